"""The support checker's values: labels, pairs, judgements. Plain data, no model loaded.

Kept apart from the model code so the audit, the rules and the report can use them without
importing numpy or onnxruntime.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Protocol


class SupportLabel(StrEnum):
    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    UNRELATED = "unrelated"
    UNCERTAIN = "uncertain"
    NOT_CHECKED = "not_checked"


@dataclass(frozen=True, slots=True)
class SupportPair:
    """One claim and the record it cites."""

    id: str
    claim: str
    abstract: str | None
    title: str = ""
    mesh: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EvidenceSpan:
    """An abstract sentence and its [start, end) offsets in the abstract."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Judgement:
    label: SupportLabel
    #: 0-1: how sure the checker is of ``label``
    score: float
    evidence: tuple[EvidenceSpan, ...] = ()
    #: 0-1: is the record about the claim's subject (None when not checked)
    topic: float | None = None
    #: a contradiction sure enough for the source-contradicts-claim rule
    confident: bool = False
    #: the model that made it (part of the cache key)
    model: str = ""
    #: why it was not checked, or a note on the call
    note: str = ""
    probabilities: dict[str, float] = field(default_factory=dict)


@lru_cache(maxsize=256)
def not_checked(note: str) -> Judgement:
    """The ``not_checked`` judgement for this reason: one shared frozen value per reason.

    An offline audit has one per claim -> source edge (200,000 on the 100k-claim benchmark),
    and the reasons are few. Nothing changes a judgement once made.
    """
    return Judgement(label=SupportLabel.NOT_CHECKED, score=0.0, note=note)


class Scorer(Protocol):
    """Judges a batch of pairs. The default is :class:`claimgraph.support.judge.MiniLMScorer`."""

    version: str

    def judge(self, pairs: Sequence[SupportPair]) -> list[Judgement]: ...
