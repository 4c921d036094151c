"""Rules: each has a stable id, a default severity and a docstring that is its help text.

A rule reads the :class:`AuditContext` and yields :class:`Issue` values; :func:`run_rules`
turns them into findings with the configured severity (or drops them when the rule is
switched off).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from claimgraph.assess import ClaimState, SourceState
from claimgraph.graph import ClaimGraph
from claimgraph.levels import RULE_IDS, ClaimStatus, Evidence, Severity, SourceStatus
from claimgraph.models import Location, Project
from claimgraph.report import Finding
from claimgraph.support.cues import causal_wording
from claimgraph.support.types import Judgement, SupportLabel


@dataclass(frozen=True)
class AuditContext:
    project: Project
    graph: ClaimGraph
    sources: Mapping[str, SourceState]
    claims: Mapping[str, ClaimState]
    #: where ids are defined when the input carries no location (claims.json/sources.json lines)
    claim_locations: Mapping[str, Location] = field(default_factory=dict)
    source_locations: Mapping[str, Location] = field(default_factory=dict)
    #: (claim id, source id) -> what the source's abstract says about the claim (schema 2),
    #: for the sources whose abstract was read
    judgements: Mapping[tuple[str, str], Judgement] = field(default_factory=dict)
    #: source id -> why its abstract could not be judged (not_checked), for the others
    unjudged: Mapping[str, Judgement] = field(default_factory=dict)

    def claim_location(self, claim_id: str) -> Location | None:
        """Where the claim is: its own location (drafts), else where its id is in the file."""
        state = self.claims.get(claim_id)
        if state is not None and state.claim.location is not None:
            return state.claim.location
        return self.claim_locations.get(claim_id)

    def source_location(self, source_id: str) -> Location | None:
        """Where the source is: its own location (drafts), else where its id is in the file."""
        state = self.sources.get(source_id)
        if state is not None and state.source is not None and state.source.location is not None:
            return state.source.location
        return self.source_locations.get(source_id)


class Issue(NamedTuple):
    message: str
    claim: str | None = None
    source: str | None = None
    location: Location | None = None


Check = Callable[[AuditContext], Iterable[Issue]]


@dataclass(frozen=True)
class Rule:
    id: str
    default_severity: Severity
    check: Check

    @property
    def help(self) -> str:
        doc = self.check.__doc__ or ""
        return "\n".join(line.strip() for line in doc.strip().splitlines())

    @property
    def summary(self) -> str:
        return self.help.splitlines()[0] if self.help else self.id


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: Severity) -> Callable[[Check], Check]:
    if rule_id not in RULE_IDS:
        raise ValueError(f"rule id {rule_id!r} is not in claimgraph.levels.RULE_IDS")

    def register(check: Check) -> Check:
        RULES[rule_id] = Rule(rule_id, severity, check)
        return check

    return register


def _cited_by(state: SourceState) -> str:
    if not state.cited_by:
        return "cited by no claim"
    shown = ", ".join(state.cited_by[:5])
    more = len(state.cited_by) - 5
    return f"cited by {shown}" + (f" and {more} more" if more > 0 else "")


# ----------------------------------------------------------------------------- the rules


@rule("unsourced-claim", Severity.ERROR)
def unsourced_claim(ctx: AuditContext) -> Iterator[Issue]:
    """A claim cites no source.

    Every factual claim needs a source a reader can check. Cite the study, guideline or
    review that supports it, or reword it so it no longer states a fact.
    """
    for state in ctx.claims.values():
        if not state.claim.sources and not state.claim.depends_on:
            yield Issue(
                f"claim {state.id!r} cites no source: cite a study that supports it, "
                "or reword it as opinion",
                claim=state.id,
                location=ctx.claim_location(state.id),
            )


@rule("anecdotal-only", Severity.ERROR)
def anecdotal_only(ctx: AuditContext) -> Iterator[Issue]:
    """Every usable source of a claim is anecdotal (case report, opinion, magazine, blog).

    Anecdotes can suggest a question but cannot support a general health claim. Cite a
    study with a stronger design (trial, cohort, systematic review, guideline), or say
    plainly that the evidence is anecdotal.
    """
    for state in ctx.claims.values():
        if state.own_status is ClaimStatus.ANECDOTAL_ONLY and state.claim.sources:
            levels = ", ".join(
                f"{s} ({ctx.sources[s].evidence.value})" for s in state.usable_sources
            )
            yield Issue(
                f"claim {state.id!r} rests only on anecdotal sources: {levels}; cite a study "
                "with a stronger design or say the evidence is anecdotal",
                claim=state.id,
                location=ctx.claim_location(state.id),
            )


@rule("unknown-source", Severity.ERROR)
def unknown_source(ctx: AuditContext) -> Iterator[Issue]:
    """A claim cites a source id that sources.json does not define.

    Add the source to sources.json, or fix the id in the claim.
    """
    undefined = {source_id for source_id, state in ctx.sources.items() if not state.defined}
    if not undefined:
        return
    for state in ctx.claims.values():
        if undefined.isdisjoint(state.claim.sources):
            continue
        for source_id in dict.fromkeys(state.claim.sources):
            if source_id in undefined:
                yield Issue(
                    f"claim {state.id!r} cites {source_id!r}, which sources.json does not "
                    "define: add it to sources.json or fix the id",
                    claim=state.id,
                    source=source_id,
                    location=ctx.claim_location(state.id),
                )


@rule("citation-not-found", Severity.ERROR)
def citation_not_found(ctx: AuditContext) -> Iterator[Issue]:
    """A cited DOI, PMID or citation does not exist.

    The services answered and no such record exists (an outage is never reported this
    way). Check the identifier or citation for typos; if the work is real, add its DOI or
    PMID; if it cannot be found, do not cite it.
    """
    for state in ctx.sources.values():
        if state.defined and state.status is SourceStatus.NOT_FOUND:
            why = (
                state.resolution.message
                if state.resolution and state.resolution.message
                else ("no record matches the citation")
            )
            yield Issue(
                f"source {state.id!r} was not found ({why}); {_cited_by(state)}: check the "
                "identifier and citation for typos, or add the work's DOI or PMID",
                source=state.id,
                location=ctx.source_location(state.id),
            )


@rule("citation-mismatch", Severity.WARNING)
def citation_mismatch(ctx: AuditContext) -> Iterator[Issue]:
    """The record exists but the citation's fields disagree with it.

    Either details of the same work differ (year, journal, volume, pages, author spelling):
    correct the citation; or the identifier points to a different work than the cited
    title: fix the identifier, since the source cannot support a claim until it is fixed.
    """
    for state in ctx.sources.values():
        if state.status is not SourceStatus.MISMATCH or state.resolution is None:
            continue
        resolution = state.resolution
        record = resolution.record
        if resolution.different_work:
            title = record.title if record and record.title else "another work"
            message = (
                f"source {state.id!r}: the identifier belongs to a different work "
                f"({title!r}); {_cited_by(state)}: fix the DOI/PMID"
            )
        else:
            diffs = "; ".join(
                f"{d.field}: cited {d.cited!r}, record says {d.record!r}"
                for d in resolution.differences
            ) or (resolution.message or "fields differ")
            message = (
                f"source {state.id!r} matches a real record but the citation differs ({diffs}): "
                "correct the citation"
            )
        yield Issue(message, source=state.id, location=ctx.source_location(state.id))


@rule("retracted-source", Severity.ERROR)
def retracted_source(ctx: AuditContext) -> Iterator[Issue]:
    """A claim relies on a retracted work.

    A retracted paper cannot support any claim. Remove it, and find out why it was
    retracted before citing anything that built on it.
    """
    for state in ctx.sources.values():
        if state.status is SourceStatus.RETRACTED:
            notice = ""
            record = state.resolution.record if state.resolution else None
            if record is not None:
                notices = [
                    u.doi or (f"PMID {u.pmid}" if u.pmid else None)
                    for u in record.retraction_notices()
                ]
                shown = [n for n in notices if n]
                if shown:
                    notice = f" (notice: {', '.join(dict.fromkeys(shown))})"
            yield Issue(
                f"source {state.id!r} is retracted{notice}; {_cited_by(state)}: "
                "remove it and re-examine those claims",
                source=state.id,
                location=ctx.source_location(state.id),
            )


@rule("unverifiable-source", Severity.WARNING)
def unverifiable_source(ctx: AuditContext) -> Iterator[Issue]:
    """A source could not be checked (offline, service down, rate-limited past retries).

    This says nothing about whether the citation is right. Run the check again online or
    later; with --offline only cached answers are used.
    """
    for state in ctx.sources.values():
        if state.status is SourceStatus.UNVERIFIABLE:
            why = (
                state.resolution.message
                if state.resolution and state.resolution.message
                else ("not checked")
            )
            yield Issue(
                f"source {state.id!r} could not be checked ({why}); run again online to verify it",
                source=state.id,
                location=ctx.source_location(state.id),
            )


_ABOUT_ANIMALS = re.compile(
    r"\b(mice|mouse|murine|rats?|rodents?|animals?|in vitro|cells?|cell lines?|dogs?|cats?|"
    r"zebrafish|pigs?|primates?|monkeys?)\b",
    re.IGNORECASE,
)


@rule("preclinical-only", Severity.WARNING)
def preclinical_only(ctx: AuditContext) -> Iterator[Issue]:
    """A claim about people rests only on animal or in-vitro work.

    Results in animals or cells often fail to carry over to people. Cite human studies, or
    say that the finding comes from animal or laboratory work.
    """
    sources = ctx.sources
    for state in ctx.claims.values():
        if not state.usable_sources:
            continue
        usable = [sources[s] for s in state.usable_sources]
        if any(s.evidence is not Evidence.PRECLINICAL for s in usable):
            continue
        if _ABOUT_ANIMALS.search(state.claim.text):
            continue
        yield Issue(
            f"claim {state.id!r} is about people but rests only on animal or in-vitro work "
            f"({', '.join(s.id for s in usable)}): cite human studies or say so in the text",
            claim=state.id,
            location=ctx.claim_location(state.id),
        )


@rule("unsupported-attribution", Severity.WARNING)
def unsupported_attribution(ctx: AuditContext) -> Iterator[Issue]:
    """Draft text attributes a claim ("studies show", "according to WHO") without a citation.

    An appeal to unnamed studies or an authority gives readers nothing to check. Cite the
    studies or the authority's page, or drop the attribution.
    """
    for state in ctx.claims.values():
        extra = state.claim.model_extra or {}
        phrase = extra.get("attribution")
        if phrase and not state.claim.sources:
            yield Issue(
                f"claim {state.id!r} says {phrase!r} but cites nothing: cite the studies or "
                "the authority's page, or drop the attribution",
                claim=state.id,
                location=ctx.claim_location(state.id),
            )


@rule("orphan-source", Severity.INFO)
def orphan_source(ctx: AuditContext) -> Iterator[Issue]:
    """A source no claim cites.

    Link it from the claim it supports, or remove it from sources.json.
    """
    for source_id in ctx.graph.orphan_sources():
        yield Issue(
            f"source {source_id!r} is cited by no claim: link it to the claim it supports "
            "or remove it",
            source=source_id,
            location=ctx.source_location(source_id),
        )


@rule("circular-support", Severity.ERROR)
def circular_support(ctx: AuditContext) -> Iterator[Issue]:
    """Claims depend on each other in a cycle.

    A claim cannot support itself through other claims. Break the cycle: cite a source for
    one of the claims, or remove one of the depends_on links.
    """
    for group in ctx.graph.cycles():
        path = " -> ".join(ctx.graph.cycle_path(group))
        yield Issue(
            f"claims support each other in a cycle ({path}): cite a source for one of them "
            "or remove a depends_on link",
            claim=group[0],
            location=ctx.claim_location(group[0]),
        )


def _quote(judgement: Judgement, limit: int = 160) -> str:
    if not judgement.evidence:
        return ""
    text = judgement.evidence[0].text
    return f': "{text[: limit - 1]}…"' if len(text) > limit else f': "{text}"'


@rule("source-contradicts-claim", Severity.WARNING)
def source_contradicts_claim(ctx: AuditContext) -> Iterator[Issue]:
    """A cited source's abstract may state the opposite of the claim.

    The support checker read the abstract and found a sentence that appears to contradict
    the claim (an opposite direction, a null finding, a negation), with a confidence at which
    its calls were right at least 80% of the time in cross-validation (for the bundled model
    an estimate on few calls: docs/support.md). Less confident contradictions show as the
    "contradicts" label with its score, without a finding; a model that never reaches 0.80
    leaves the rule silent rather than guess. It can still be wrong: read the quoted sentence
    and the paper, then correct the claim or cite a source that supports it. Switch the check
    off with --no-support or `support = false`.
    """
    for (claim_id, source_id), judgement in ctx.judgements.items():
        if judgement.label is SupportLabel.CONTRADICTS and judgement.confident:
            yield Issue(
                f"source {source_id!r} may contradict claim {claim_id!r} "
                f"(score {judgement.score:.2f}){_quote(judgement)}: check the claim against "
                "the paper",
                claim=claim_id,
                source=source_id,
                location=ctx.claim_location(claim_id),
            )


@rule("source-off-topic", Severity.WARNING)
def source_off_topic(ctx: AuditContext) -> Iterator[Issue]:
    """A cited source's abstract is about something else than the claim.

    Its title, abstract and MeSH headings share little with the claim: another condition,
    exposure, population or outcome (a paper on bruxism cited for blepharospasm). Check that
    the citation points at the paper you meant, or cite one about the claim's subject.
    """
    for (claim_id, source_id), judgement in ctx.judgements.items():
        if judgement.label is SupportLabel.UNRELATED:
            yield Issue(
                f"source {source_id!r} seems to be about something else than claim "
                f"{claim_id!r} (topic match {judgement.topic or 0:.2f}; nearest sentence"
                f"{_quote(judgement) or ': none'}): check the citation",
                claim=claim_id,
                source=source_id,
                location=ctx.claim_location(claim_id),
            )


_WEAK_FOR_CAUSAL = frozenset(
    {
        Evidence.OBSERVATIONAL,
        Evidence.PRECLINICAL,
        Evidence.CASE_REPORT,
        Evidence.OPINION,
        Evidence.ANECDOTAL,
    }
)


@rule("overstated-claim", Severity.WARNING)
def overstated_claim(ctx: AuditContext) -> Iterator[Issue]:
    """Causal or absolute wording resting only on observational, preclinical or anecdotal evidence.

    "Cures", "causes", "prevents", "reverses", "eliminates" claim more than an observational
    study, an animal or cell study or a case report can show (Sumner et al. 2014, BMJ; Yu et
    al. 2019, EMNLP). Soften the wording ("is associated with", "in mice", "in one patient")
    or cite a trial or systematic review.
    """
    for state in ctx.claims.values():
        if state.evidence not in _WEAK_FOR_CAUSAL or not state.usable_sources:
            continue
        word = causal_wording(state.claim.text)
        if word is None:
            continue
        yield Issue(
            f"claim {state.id!r} says {word!r} but its best evidence is "
            f"{state.evidence.value}: soften the wording or cite a trial or systematic review",
            claim=state.id,
            location=ctx.claim_location(state.id),
        )


# ---------------------------------------------------------------------------- running


def run_rules(
    ctx: AuditContext,
    severities: Mapping[str, Severity] | None = None,
    disabled: Mapping[str, str] | None = None,
) -> list[Finding]:
    """All findings, in rule order, with configured severities; switched-off rules skipped."""
    severities = severities or {}
    disabled = disabled or {}
    findings: list[Finding] = []
    for rule_id, registered in RULES.items():
        if rule_id in disabled:
            continue
        severity = severities.get(rule_id, registered.default_severity)
        fingerprint = Finding.make_fingerprint
        append = findings.append
        for message, claim, source, location in registered.check(ctx):
            append(
                Finding(
                    rule=rule_id,
                    severity=severity,
                    claim=claim,
                    source=source,
                    message=message,
                    location=location,
                    fingerprint=fingerprint(rule_id, claim, source),
                )
            )
    return findings
