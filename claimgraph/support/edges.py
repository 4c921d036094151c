"""Claim -> source edges: which judgements count against a claim, and the claim's summary."""

from __future__ import annotations

from claimgraph.support.types import Judgement, SupportLabel

Edge = tuple[str, str]

SWITCHED_OFF = "support checking is switched off"


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
