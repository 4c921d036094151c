"""Claim -> source edges of an audit: which can be judged, their judgements, the claim summary."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from claimgraph.support.types import Judgement, SupportLabel, SupportPair, not_checked

if TYPE_CHECKING:
    from claimgraph.assess import SourceState
    from claimgraph.models import Project
    from claimgraph.support.checker import SupportChecker

Edge = tuple[str, str]

SWITCHED_OFF = "support checking is switched off"


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


def judge_edges(
    project: Project, sources: Mapping[str, SourceState], checker: SupportChecker | None
) -> dict[Edge, Judgement]:
    """One judgement per distinct claim -> source edge, in one batch."""
    judgements: dict[Edge, Judgement] = {}
    todo: list[tuple[Edge, SupportPair]] = []
    for claim in project.claims:
        for source_id in dict.fromkeys(claim.sources):
            edge = (claim.id, source_id)
            if checker is None:
                judgements[edge] = not_checked(SWITCHED_OFF)
                continue
            state = sources[source_id]
            why = _unjudgeable(state)
            if why is not None:
                judgements[edge] = not_checked(why)
                continue
            record = state.resolution.record  # type: ignore[union-attr]
            assert record is not None
            pair = SupportPair(
                id=f"{claim.id}\x1f{source_id}",
                claim=claim.text,
                abstract=record.abstract,
                title=record.title or "",
                mesh=record.mesh,
            )
            todo.append((edge, pair))
    if checker is not None and todo:
        results = checker.judge([pair for _, pair in todo])
        for (edge, _), judgement in zip(todo, results, strict=True):
            judgements[edge] = judgement
    return judgements


def decisive(judgement: Judgement) -> bool:
    """Counts against the claim: a confident contradiction or an off-topic record."""
    return judgement.label is SupportLabel.UNRELATED or (
        judgement.label is SupportLabel.CONTRADICTS and judgement.confident
    )


def summary_label(judgements: list[Judgement]) -> str:
    """supports | contradicts | mixed | unrelated | uncertain | not_checked, for one claim."""
    labels = [j.label for j in judgements if j.label is not SupportLabel.NOT_CHECKED]
    if not labels:
        return SupportLabel.NOT_CHECKED.value
    supports = SupportLabel.SUPPORTS in labels
    contradicts = SupportLabel.CONTRADICTS in labels
    if supports and contradicts:
        return "mixed"
    if supports:
        return SupportLabel.SUPPORTS.value
    if contradicts:
        return SupportLabel.CONTRADICTS.value
    if all(label is SupportLabel.UNRELATED for label in labels):
        return SupportLabel.UNRELATED.value
    return SupportLabel.UNCERTAIN.value
