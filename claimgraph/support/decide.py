"""From class probabilities and the topic score to one label (closed set, DESIGN.md)."""

from __future__ import annotations

from claimgraph.support.model import Thresholds
from claimgraph.support.types import SupportLabel

__all__ = ["SCIFACT_LABEL", "SupportLabel", "decide"]


def decide(
    p_support: float, p_contradict: float, topic: float, thresholds: Thresholds
) -> tuple[SupportLabel, float]:
    """The label and its score (0-1: how sure the checker is of that label).

    Off-topic comes first: a record about another subject can neither support nor
    contradict. Below the thresholds the checker abstains (``uncertain``) rather than guess.
    """
    if topic < thresholds.unrelated:
        return SupportLabel.UNRELATED, round(1.0 - topic, 4)
    if p_contradict >= thresholds.contradicts and p_contradict > p_support:
        return SupportLabel.CONTRADICTS, round(p_contradict, 4)
    if p_support >= thresholds.supports and p_support >= p_contradict:
        return SupportLabel.SUPPORTS, round(p_support, 4)
    return SupportLabel.UNCERTAIN, round(1.0 - max(p_support, p_contradict), 4)


#: SciFact's labels for each of ours (NEI = unrelated, uncertain or not_checked)
SCIFACT_LABEL = {
    SupportLabel.SUPPORTS: "SUPPORT",
    SupportLabel.CONTRADICTS: "CONTRADICT",
    SupportLabel.UNRELATED: "NEI",
    SupportLabel.UNCERTAIN: "NEI",
    SupportLabel.NOT_CHECKED: "NEI",
}
