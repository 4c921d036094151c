"""Verdicts: source states from resolutions and grading; claim states from their sources.

A claim's status (DESIGN.md):

- ``unsourced``: it cites nothing (and builds on no other claim);
- ``broken``: every cited source is unusable (not found, retracted, undefined, or an
  identifier that belongs to a different work);
- ``anecdotal_only``: every usable source is in the anecdotal tier;
- ``supported``: a usable source that was checked (or is graded by its kind) is stronger;
- ``unverified``: otherwise: what could lift it above anecdote could not be checked;
- ``not_supported`` (schema 2): it cites usable sources, and every one whose abstract could
  be judged confidently contradicts it or is about something else (overrides the three above).

A claim that ``depends_on`` other claims is no stronger than its weakest premise.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from claimgraph.grading import grade
from claimgraph.graph import ClaimGraph
from claimgraph.levels import ANECDOTAL_TIER, ClaimStatus, Evidence, SourceStatus, best_evidence
from claimgraph.models import Claim, Project, Source
from claimgraph.resolvers.base import Resolution
from claimgraph.support.edges import Edge, decisive
from claimgraph.support.types import Judgement, SupportLabel

_CHECKED = {SourceStatus.VERIFIED, SourceStatus.MISMATCH, SourceStatus.NOT_CHECKABLE}
_UNUSABLE = {SourceStatus.NOT_FOUND, SourceStatus.RETRACTED}


# The states are internal working values (not part of the report): plain slotted dataclasses,
# cheaper to create than frozen ones, and nothing changes them after assessment.
@dataclass(slots=True)
class SourceState:
    id: str
    source: Source | None
    status: SourceStatus
    evidence: Evidence
    resolution: Resolution | None
    cited_by: tuple[str, ...]
    #: whether this source can support a claim at all (set in __post_init__)
    usable: bool = field(init=False)
    #: whether its evidence level is in the anecdotal tier (set in __post_init__)
    anecdotal: bool = field(init=False)

    def __post_init__(self) -> None:
        usable = not (
            self.source is None
            or self.status in _UNUSABLE
            or (self.status is SourceStatus.MISMATCH and self.different_work)
        )
        self.usable = usable
        self.anecdotal = self.evidence in ANECDOTAL_TIER

    @property
    def defined(self) -> bool:
        return self.source is not None

    @property
    def different_work(self) -> bool:
        return self.resolution is not None and self.resolution.different_work

    def why_unusable(self) -> str:
        if self.source is None:
            return "not defined in sources.json"
        if self.status is SourceStatus.NOT_FOUND:
            return "not found"
        if self.status is SourceStatus.RETRACTED:
            return "retracted"
        return "identifier belongs to a different work"


@dataclass(slots=True)
class ClaimState:
    id: str
    claim: Claim
    #: status from the claim's own sources
    own_status: ClaimStatus
    #: status after taking premises into account (what the report shows)
    status: ClaimStatus
    evidence: Evidence | None
    reason: str
    usable_sources: tuple[str, ...] = ()


def assess_sources(
    project: Project,
    graph: ClaimGraph,
    resolutions: Mapping[str, Resolution],
    checkable: Collection[str],
) -> dict[str, SourceState]:
    """One state per defined source, plus one per undefined id a claim cites.

    ``checkable`` holds the ids of the sources that were sent to the resolver; the others are
    ``not_checkable`` and graded by their kind.
    """
    states: dict[str, SourceState] = {}
    for source in project.sources:
        resolution: Resolution | None
        if source.id in checkable:
            resolution = resolutions.get(source.id) or Resolution(
                status=SourceStatus.UNVERIFIABLE, message="the resolver gave no answer"
            )
            status = resolution.status
        else:
            resolution = None
            status = SourceStatus.NOT_CHECKABLE
        record = resolution.record if resolution is not None else None
        if resolution is not None and resolution.different_work:
            record = None  # the identifier's record is another paper: do not grade from it
        states[source.id] = SourceState(
            id=source.id,
            source=source,
            status=status,
            evidence=grade(source, record),
            resolution=resolution,
            cited_by=graph.citing_claims(source.id),
        )
    for claim in project.claims:
        for source_id in claim.sources:
            if source_id not in states:
                states[source_id] = SourceState(
                    id=source_id,
                    source=None,
                    status=SourceStatus.NOT_FOUND,
                    evidence=Evidence.UNKNOWN,
                    resolution=None,
                    cited_by=graph.citing_claims(source_id),
                )
    return states


def _not_supported(
    claim: Claim, usable: Sequence[SourceState], judgements: Mapping[Edge, Judgement]
) -> str | None:
    """The reason a claim is ``not_supported``, or None when it is not.

    ``judgements`` holds only the edges that were judged (no ``not_checked`` ones).
    """
    if not judgements:
        return None
    judged = []
    for state in usable:
        judgement = judgements.get((claim.id, state.id))
        if judgement is not None:
            judged.append((state.id, judgement))
    if not judged or not all(decisive(j) for _, j in judged):
        return None
    said = ", ".join(f"{sid}: {j.label.value}" for sid, j in judged)
    return f"the cited abstracts do not support it ({said})"


def _own_verdict(
    claim: Claim, sources: Mapping[str, SourceState], judgements: Mapping[Edge, Judgement]
) -> tuple[ClaimStatus, Evidence | None, str, tuple[str, ...]]:
    cited = list(dict.fromkeys(claim.sources))
    if not cited:
        return ClaimStatus.UNSOURCED, None, "cites no source", ()
    states = [sources[s] for s in cited]
    usable = [s for s in states if s.usable]
    if not usable:
        why = "; ".join(f"{s.id}: {s.why_unusable()}" for s in states)
        return ClaimStatus.BROKEN, None, f"no usable source ({why})", ()
    usable_ids = tuple(s.id for s in usable)
    evidence = best_evidence([s.evidence for s in usable])
    not_supported = _not_supported(claim, usable, judgements)
    if not_supported is not None:
        return ClaimStatus.NOT_SUPPORTED, evidence, not_supported, usable_ids
    if all(s.anecdotal for s in usable):
        levels = ", ".join(f"{s.id}: {s.evidence.value}" for s in usable)
        return (
            ClaimStatus.ANECDOTAL_ONLY,
            evidence,
            f"only anecdotal sources ({levels})",
            usable_ids,
        )
    strong_checked = [s for s in usable if s.status in _CHECKED and not s.anecdotal]
    if strong_checked:
        best = min(strong_checked, key=lambda s: s.evidence.rank)
        return (
            ClaimStatus.SUPPORTED,
            evidence,
            f"best source {best.id} ({best.status.value}, {best.evidence.value})",
            usable_ids,
        )
    unchecked = ", ".join(s.id for s in usable if s.status is SourceStatus.UNVERIFIABLE)
    return (
        ClaimStatus.UNVERIFIED,
        evidence,
        f"sources could not be checked ({unchecked})",
        usable_ids,
    )


def _weaker_evidence(a: Evidence | None, b: Evidence | None) -> Evidence | None:
    if a is None or b is None:
        return None
    return a if a.rank >= b.rank else b


def assess_claims(
    project: Project,
    graph: ClaimGraph,
    sources: Mapping[str, SourceState],
    judgements: Mapping[Edge, Judgement] | None = None,
) -> dict[str, ClaimState]:
    """Claim states, premises first, so each claim is capped by its weakest premise.

    ``judgements`` (claim id, source id) -> what the source's abstract says about the claim.
    """
    # only the edges that were judged can make a claim not_supported; offline none are
    judged = {
        edge: judgement
        for edge, judgement in (judgements or {}).items()
        if judgement.label is not SupportLabel.NOT_CHECKED
    }
    claims = project.claim_map()
    states: dict[str, ClaimState] = {}
    for group in graph.premise_order(claims):
        in_group = set(group) if len(group) > 1 else group
        for claim_id in group:
            claim = claims[claim_id]
            premises = (
                [p for p in dict.fromkeys(claim.depends_on) if p not in in_group]
                if claim.depends_on
                else []
            )
            own_status, own_evidence, reason, usable = _own_verdict(claim, sources, judged)
            if not claim.sources and premises:
                # a reasoning step: it stands on its premises, not on citations of its own
                worst = max((states[p] for p in premises), key=lambda s: s.status.weakness)
                evidence = states[premises[0]].evidence
                for premise in premises[1:]:
                    evidence = _weaker_evidence(evidence, states[premise].evidence)
                states[claim_id] = ClaimState(
                    id=claim_id,
                    claim=claim,
                    own_status=worst.status,
                    status=worst.status,
                    evidence=evidence,
                    reason=f"rests on claim{'s' if len(premises) > 1 else ''} "
                    f"{', '.join(premises)}; weakest is {worst.id} ({worst.status.value})",
                )
                continue
            status, evidence = own_status, own_evidence
            weakest: str | None = None  # the premise that lowered the status, if any
            for premise_id in premises:
                premise_state = states[premise_id]
                if premise_state.status.weakness > status.weakness:
                    status = premise_state.status
                    weakest = premise_id
                evidence = _weaker_evidence(evidence, premise_state.evidence)
            if weakest is not None:
                reason += f"; no stronger than its premise {weakest} ({status.value})"
            states[claim_id] = ClaimState(
                id=claim_id,
                claim=claim,
                own_status=own_status,
                status=status,
                evidence=evidence,
                reason=reason,
                usable_sources=usable,
            )
    return {claim.id: states[claim.id] for claim in project.claims}


def unreachable_services(states: Sequence[SourceState]) -> list[str]:
    services = {
        service
        for state in states
        if state.resolution is not None
        for service in state.resolution.unreachable
    }
    return sorted(services)
