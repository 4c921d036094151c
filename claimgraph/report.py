"""The report: the one object formats read. Frozen; built by :mod:`claimgraph.audit`.

Its JSON form is a contract (DESIGN.md, "Report"): keys are added, never renamed or removed
without a ``schema_version`` bump.
"""

from __future__ import annotations

import hashlib

from pydantic import BaseModel, ConfigDict, Field

from claimgraph import __version__
from claimgraph.levels import ClaimStatus, Evidence, Severity, SourceStatus
from claimgraph.models import Location
from claimgraph.resolvers.base import FieldDifference

SCHEMA_VERSION = 1


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Finding(_Frozen):
    rule: str
    severity: Severity
    claim: str | None = None
    source: str | None = None
    message: str
    location: Location | None = None
    #: stable across runs for the same rule, claim and source (used by baselines)
    fingerprint: str = ""

    @staticmethod
    def make_fingerprint(rule: str, claim: str | None, source: str | None) -> str:
        key = f"{rule}\x1f{claim or ''}\x1f{source or ''}".encode()
        return hashlib.sha256(key).hexdigest()[:16]


class RecordSummary(_Frozen):
    """The resolved record, as shown in every format."""

    service: str
    title: str | None = None
    year: int | None = None
    journal: str | None = None
    authors: list[str] = Field(default_factory=list)
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    publication_types: list[str] = Field(default_factory=list)
    pmid: str | None = None
    doi: str | None = None
    pmcid: str | None = None
    crossref_type: str | None = None
    retracted: bool = False
    updates: list[str] = Field(default_factory=list)


class SourceResult(_Frozen):
    id: str
    status: SourceStatus
    evidence: Evidence
    kind: str | None = None
    pmid: str | None = None
    doi: str | None = None
    pmcid: str | None = None
    url: str | None = None
    citation: str | None = None
    title: str | None = None
    record: RecordSummary | None = None
    differences: list[FieldDifference] = Field(default_factory=list)
    different_work: bool = False
    #: why it has this status, in a sentence
    message: str | None = None
    cited_by: list[str] = Field(default_factory=list)
    location: Location | None = None
    findings: list[Finding] = Field(default_factory=list)


class ClaimResult(_Frozen):
    id: str
    text: str
    status: ClaimStatus
    #: best evidence among the usable sources, capped by the weakest premise; null if none
    evidence: Evidence | None = None
    sources: list[str] = Field(default_factory=list)
    depends_on: list[str] = Field(default_factory=list)
    location: Location | None = None
    #: why it has this status, in a sentence
    reason: str = ""
    findings: list[Finding] = Field(default_factory=list)


class FindingCounts(_Frozen):
    error: int = 0
    warning: int = 0
    info: int = 0


class Summary(_Frozen):
    claims: int
    sources: int
    #: claims by status
    by_status: dict[str, int]
    #: sources by status
    sources_by_status: dict[str, int] = Field(default_factory=dict)
    findings: FindingCounts
    #: services that could not be reached during this run
    unreachable: list[str] = Field(default_factory=list)
    offline: bool = False


class ToolInfo(_Frozen):
    name: str = "claimgraph"
    version: str = __version__


class Report(_Frozen):
    schema_version: int = SCHEMA_VERSION
    tool: ToolInfo = Field(default_factory=ToolInfo)
    summary: Summary
    claims: list[ClaimResult]
    sources: list[SourceResult]
    findings: list[Finding]
    #: the files the claims and sources came from
    inputs: list[str] = Field(default_factory=list)

    def findings_at_or_above(self, severity: Severity) -> list[Finding]:
        return [f for f in self.findings if f.severity.rank >= severity.rank]


#: exit codes (DESIGN.md)
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_UNREACHABLE = 3

#: a rule that only reports outages: it never makes a run fail with exit code 1
OUTAGE_RULES = frozenset({"unverifiable-source"})


def exit_code(report: Report, fail_on: str) -> int:
    """0 nothing at or above ``fail_on``; 1 findings at or above it; 3 a service was unreachable.

    Outages alone never give 1: ``unverifiable-source`` findings do not count. With
    ``fail_on="never"`` the result is always 0.
    """
    if fail_on == "never":
        return EXIT_OK
    threshold = Severity(fail_on)
    if any(f.rule not in OUTAGE_RULES for f in report.findings_at_or_above(threshold)):
        return EXIT_FINDINGS
    if report.summary.unreachable and not report.summary.offline:
        return EXIT_UNREACHABLE
    return EXIT_OK
