"""The pipeline: project -> graph -> resolve -> grade -> rules -> Report."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from claimgraph.assess import SourceState, assess_claims, assess_sources, unreachable_services
from claimgraph.config import Config
from claimgraph.grading import is_checkable
from claimgraph.graph import ClaimGraph
from claimgraph.memory import gc_paused
from claimgraph.models import Project, Source, check_references
from claimgraph.records import Record
from claimgraph.report import (
    ClaimResult,
    ClaimSupport,
    Finding,
    RecordSummary,
    Report,
    SourceResult,
    SourceSupport,
    SupportEvidence,
    summarize,
)
from claimgraph.resolvers.base import NotCheckedResolver, Resolution, Resolver
from claimgraph.rules import AuditContext, run_rules
from claimgraph.support.edges import SWITCHED_OFF, Edge, summary_label
from claimgraph.support.types import Judgement, SupportLabel, SupportPair, not_checked

if TYPE_CHECKING:
    from claimgraph.support.checker import SupportChecker


def summarize_record(record: Record) -> RecordSummary:
    updates = []
    for update in record.updates:
        where = update.doi or (f"PMID {update.pmid}" if update.pmid else None)
        updates.append(f"{update.type} ({where})" if where else update.type)
    return RecordSummary(
        service=record.service,
        title=record.title,
        year=record.year,
        journal=record.journal or record.journal_abbrev,
        authors=[author.short() for author in record.authors],
        volume=record.volume,
        issue=record.issue,
        pages=record.pages,
        publication_types=list(record.publication_types),
        pmid=record.pmid,
        doi=record.doi,
        pmcid=record.pmcid,
        crossref_type=record.crossref_type,
        retracted=record.is_retracted,
        updates=updates,
    )


def checkable_sources(project: Project) -> list[Source]:
    """The sources PubMed/Crossref can say something about (the rest are graded by kind)."""
    return [source for source in project.sources if is_checkable(source)]


def resolve_sources(
    project: Project, resolver: Resolver, checkable: list[Source] | None = None
) -> dict[str, Resolution]:
    """Resolve every checkable source in one batch call."""
    if checkable is None:
        checkable = checkable_sources(project)
    return resolver.resolve(checkable) if checkable else {}


_NOT_CHECKABLE = "not a scholarly work; graded by its kind"


def _source_result(
    state: SourceState, source: Source, findings: list[Finding], ctx: AuditContext
) -> SourceResult:
    """The report row of a defined source."""
    resolution = state.resolution
    record = resolution.record if resolution is not None else None
    return SourceResult(
        id=state.id,
        status=state.status,
        evidence=state.evidence,
        kind=source.kind,
        pmid=source.pmid or (record.pmid if record else None),
        doi=source.doi or (record.doi if record else None),
        pmcid=source.pmcid or (record.pmcid if record else None),
        url=source.url,
        citation=source.citation,
        title=source.title,
        record=summarize_record(record) if record is not None else None,
        differences=list(resolution.differences) if resolution is not None else [],
        different_work=resolution.different_work if resolution is not None else False,
        # no resolution: not checkable, graded by its kind
        message=resolution.message if resolution is not None else _NOT_CHECKABLE,
        cited_by=list(state.cited_by),
        location=source.location
        if source.location is not None
        else ctx.source_locations.get(state.id),
        findings=findings,
    )


def _unjudgeable(state: SourceState) -> str | None:
    """Why this source's abstract cannot be judged, or None when it can."""
    if not state.usable:
        return f"source not usable ({state.why_unusable()})"
    resolution = state.resolution
    if resolution is None:
        return "not a scholarly record (graded by its kind)"
    if resolution.record is None:
        return f"no record ({state.status.value})"
    if not (resolution.record.abstract or "").strip():
        return "the record has no abstract"
    return None


class EdgeJudgements(NamedTuple):
    """What the cited abstracts say: per judged edge, and per source that cannot be judged.

    A source whose abstract cannot be judged (not usable, no record, no abstract, support
    checking off) says the same ``not_checked`` for every claim citing it, so it is kept once
    per source, not once per edge (an offline audit of 100,000 claims has 200,000 edges and
    none judged).
    """

    #: (claim id, source id) -> the judgement of a source whose abstract was read
    judged: dict[Edge, Judgement]
    #: source id -> the not_checked judgement of a source whose abstract cannot be judged
    unjudged: dict[str, Judgement]


def judge_edges(
    project: Project, sources: Mapping[str, SourceState], checker: SupportChecker | None
) -> EdgeJudgements:
    """One judgement per distinct claim -> source edge, in one batch; every cited source is
    either judged on each of its edges or in ``unjudged``."""
    unjudged: dict[str, Judgement] = {}
    if checker is None:
        off = not_checked(SWITCHED_OFF)
        unjudged = {source_id: off for claim in project.claims for source_id in claim.sources}
        return EdgeJudgements({}, unjudged)
    judgeable: set[str] = set()
    for source_id, state in sources.items():
        why = _unjudgeable(state)
        if why is None:
            judgeable.add(source_id)
        else:
            unjudged[source_id] = not_checked(why)
    todo: list[tuple[Edge, SupportPair]] = []
    for claim in project.claims:
        for source_id in dict.fromkeys(claim.sources):
            if source_id not in judgeable:
                continue
            record = sources[source_id].resolution.record  # type: ignore[union-attr]
            assert record is not None
            pair = SupportPair(
                id=f"{claim.id}\x1f{source_id}",
                claim=claim.text,
                abstract=record.abstract,
                title=record.title or "",
                mesh=record.mesh,
            )
            todo.append(((claim.id, source_id), pair))
    judged: dict[Edge, Judgement] = {}
    if todo:
        results = checker.judge([pair for _, pair in todo])
        for (edge, _), judgement in zip(todo, results, strict=True):
            judged[edge] = judgement
    return EdgeJudgements(judged, unjudged)


def source_support(source_id: str, judgement: Judgement) -> SourceSupport:
    return SourceSupport(
        source=source_id,
        label=judgement.label.value,
        score=judgement.score,
        evidence=[
            SupportEvidence(text=e.text, start=e.start, end=e.end) for e in judgement.evidence
        ]
        if judgement.evidence
        else [],
        topic=judgement.topic,
        confident=judgement.confident,
        model=judgement.model or None,
        note=judgement.note or None,
    )


#: the support of every claim that cites nothing (a draft's uncited sentences: most claims)
_CITES_NOTHING = ClaimSupport(label=SupportLabel.NOT_CHECKED.value, sources=[])


def claim_support(
    ctx: AuditContext,
    claim_id: str,
    sources: list[str],
    shared: dict[str, SourceSupport],
) -> ClaimSupport:
    """What the cited abstracts say about the claim.

    ``shared`` source id -> its row, for the sources whose abstract cannot be judged: every
    claim citing one gets the same row, as it gets the same judgement; rows are never changed.
    """
    if not sources:
        return _CITES_NOTHING
    judgements, unjudged = ctx.judgements, ctx.unjudged
    supports: list[SourceSupport] = []
    judged: list[Judgement] = []  # what the summary label is made of (not_checked is not)
    for source_id in dict.fromkeys(sources):
        judgement = judgements.get((claim_id, source_id))
        if judgement is not None:
            supports.append(source_support(source_id, judgement))
            judged.append(judgement)
            continue
        row = shared.get(source_id)
        if row is None:
            off = unjudged.get(source_id)
            if off is None:
                continue
            row = shared[source_id] = source_support(source_id, off)
        supports.append(row)
    return ClaimSupport(label=summary_label(judged), sources=supports)


def _claim_findings(
    claim_id: str, sources: list[str], by_claim: dict[str, list[Finding]],
    by_source: dict[str, list[Finding]],
) -> list[Finding]:  # fmt: skip
    """Its own findings, then those of the sources it cites (they decide its status too)."""
    own = by_claim.get(claim_id, [])
    cited = [f for source_id in dict.fromkeys(sources) for f in by_source.get(source_id, ())]
    return own + cited if cited else own


def build_report(
    ctx: AuditContext,
    findings: list[Finding],
    *,
    offline: bool = False,
) -> Report:
    by_claim: dict[str, list[Finding]] = {}
    by_source: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.claim is not None:
            by_claim.setdefault(finding.claim, []).append(finding)
        elif finding.source is not None:
            by_source.setdefault(finding.source, []).append(finding)
    shared: dict[str, SourceSupport] = {}
    claims = [
        ClaimResult(
            id=state.id,
            text=state.claim.text,
            status=state.status,
            evidence=state.evidence,
            sources=list(state.claim.sources),
            depends_on=list(state.claim.depends_on),
            location=state.claim.location
            if state.claim.location is not None
            else ctx.claim_locations.get(state.id),
            reason=state.reason,
            findings=_claim_findings(state.id, state.claim.sources, by_claim, by_source),
            support=claim_support(ctx, state.id, state.claim.sources, shared),
        )
        for state in ctx.claims.values()
    ]
    sources = [
        _source_result(state, state.source, by_source.get(state.id, []), ctx)
        for state in ctx.sources.values()
        if state.source is not None
    ]
    summary = summarize(
        claims,
        sources,
        findings,
        unreachable=unreachable_services(list(ctx.sources.values())),
        offline=offline,
    )
    inputs = [f for f in (ctx.project.claims_file, ctx.project.sources_file) if f]
    return Report(summary=summary, claims=claims, sources=sources, findings=findings, inputs=inputs)


def audit(
    project: Project,
    resolver: Resolver | None = None,
    config: Config | None = None,
    *,
    resolutions: Mapping[str, Resolution] | None = None,
    offline: bool = False,
    support: SupportChecker | None = None,
) -> Report:
    """Audit a project: the one entry point of the library.

    ``resolver`` checks the sources (default: none, every checkable source is
    ``unverifiable``); pass ``resolutions`` instead to reuse answers already in hand.
    ``support`` judges each claim against the abstracts it cites (default: not checked).
    """
    config = config or Config()
    with gc_paused():
        return _audit(
            project, resolver, config, resolutions=resolutions, offline=offline, support=support
        )


def _audit(
    project: Project,
    resolver: Resolver | None,
    config: Config,
    *,
    resolutions: Mapping[str, Resolution] | None,
    offline: bool,
    support: SupportChecker | None = None,
) -> Report:
    check_references(project)
    graph = ClaimGraph(project)
    checkable = checkable_sources(project)
    if resolutions is None:
        resolutions = resolve_sources(project, resolver or NotCheckedResolver(), checkable)
    source_states = assess_sources(project, graph, resolutions, {s.id for s in checkable})
    judgements = judge_edges(project, source_states, support)
    claim_states = assess_claims(project, graph, source_states, judgements.judged)
    ctx = AuditContext(
        project=project,
        graph=graph,
        sources=source_states,
        claims=claim_states,
        claim_locations=project.claim_locations,
        source_locations=project.source_locations,
        judgements=judgements.judged,
        unjudged=judgements.unjudged,
    )
    findings = run_rules(ctx, config.severities, config.disabled)
    return build_report(ctx, findings, offline=offline)
