"""The closed vocabularies of the report contract (DESIGN.md): statuses, evidence levels,
severities and rule ids."""

from __future__ import annotations

from enum import StrEnum


class SourceStatus(StrEnum):
    VERIFIED = "verified"
    MISMATCH = "mismatch"
    NOT_FOUND = "not_found"
    RETRACTED = "retracted"
    UNVERIFIABLE = "unverifiable"
    NOT_CHECKABLE = "not_checkable"


class ClaimStatus(StrEnum):
    SUPPORTED = "supported"
    UNVERIFIED = "unverified"
    ANECDOTAL_ONLY = "anecdotal_only"
    UNSOURCED = "unsourced"
    BROKEN = "broken"
    #: schema 2: it cites usable sources, and every one that could be judged contradicts it
    #: or is about something else
    NOT_SUPPORTED = "not_supported"

    @property
    def weakness(self) -> int:
        """Higher is weaker; a claim is no stronger than its weakest premise."""
        return _CLAIM_WEAKNESS[self]


_CLAIM_WEAKNESS = {
    ClaimStatus.SUPPORTED: 0,
    ClaimStatus.UNVERIFIED: 1,
    ClaimStatus.ANECDOTAL_ONLY: 2,
    ClaimStatus.NOT_SUPPORTED: 3,
    ClaimStatus.UNSOURCED: 4,
    ClaimStatus.BROKEN: 5,
}


class Evidence(StrEnum):
    """Evidence levels, strongest first (the declaration order is the ranking)."""

    GUIDELINE = "guideline"
    SYSTEMATIC_REVIEW = "systematic-review"
    RCT = "rct"
    OBSERVATIONAL = "observational"
    REVIEW = "review"
    PRECLINICAL = "preclinical"
    CASE_REPORT = "case-report"
    OPINION = "opinion"
    ANECDOTAL = "anecdotal"
    UNKNOWN = "unknown"

    @property
    def rank(self) -> int:
        """0 is strongest; ``unknown`` is last."""
        return _EVIDENCE_RANK[self]


_EVIDENCE_RANK = {level: i for i, level in enumerate(Evidence)}
ANECDOTAL_TIER = frozenset({Evidence.CASE_REPORT, Evidence.OPINION, Evidence.ANECDOTAL})


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is more severe."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


#: the stable rule ids (DESIGN.md); :mod:`claimgraph.rules` registers one rule for each, and
#: the settings name them without loading the rules
RULE_IDS = frozenset(
    {
        "unsourced-claim",
        "anecdotal-only",
        "unknown-source",
        "citation-not-found",
        "citation-mismatch",
        "retracted-source",
        "unverifiable-source",
        "preclinical-only",
        "unsupported-attribution",
        "orphan-source",
        "circular-support",
        "source-contradicts-claim",
        "source-off-topic",
        "overstated-claim",
    }
)


def best_evidence(levels: list[Evidence]) -> Evidence | None:
    """The strongest level in ``levels``, or None for an empty list."""
    return min(levels, key=_EVIDENCE_RANK.__getitem__) if levels else None
