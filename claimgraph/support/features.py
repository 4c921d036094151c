"""Features of one claim / abstract pair, for the support classifier.

Every feature is a number with a plain meaning: how close the claim is to the abstract's
nearest sentences (MiniLM cosine), how many of the claim's words the abstract uses, whether
the claim's specific terms (condition, exposure, outcome) appear in the title, abstract or
MeSH headings, and whether the nearest sentences negate, report a null finding or go the
other direction. Training (``eval/train_support.py``) and run time share this module, so
the classifier always sees features computed the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from claimgraph.support import cues

FEATURE_NAMES: tuple[str, ...] = (
    "cos_max",
    "cos_second",
    "cos_top3",
    "cos_mean",
    "cos_gap",
    "cos_title",
    "cos_best_evidence",
    "recall_best",
    "recall_lexmax",
    "recall_abstract",
    "specific_recall",
    "specific_missing",
    "numbers_found",
    "numbers_missing",
    "claim_negated",
    "evidence_negated",
    "negation_mismatch",
    "claim_null",
    "evidence_null",
    "null_mismatch",
    "claim_direction",
    "evidence_direction",
    "direction_agree",
    "direction_clash",
    "evidence_hedged",
    "evidence_position",
    "claim_length",
    "n_sentences",
)

#: how many nearest sentences are read for cues and quoted as evidence at most
EVIDENCE_TOP = 2

Matrix = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class PairText:
    """The texts of one pair, as the features read them."""

    claim: str
    sentences: Sequence[str]
    title: str = ""
    mesh: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class PairFeatures:
    vector: npt.NDArray[np.float64]
    #: sentence indices, best first, that decide the pair (the evidence)
    evidence: tuple[int, ...]
    #: how well the claim's topic matches the record (0 = another topic, 1 = same)
    topic: float


def _recall(claim_terms: set[str], text_terms: set[str]) -> float:
    if not claim_terms:
        return 0.0
    return len(claim_terms & text_terms) / len(claim_terms)


def _prefix_found(term: str, haystack: set[str]) -> bool:
    """A term is found when a word shares its first five letters (magnesium/magnesemia)."""
    if term in haystack:
        return True
    if len(term) < 6:
        return False
    prefix = term[:5]
    return any(word.startswith(prefix) for word in haystack)


def rank_sentences(
    cos: npt.NDArray[np.float32], claim_terms: set[str], sentence_terms: Sequence[set[str]]
) -> list[int]:
    """Sentence indices, nearest to the claim first (cosine, with word overlap as a tiebreak)."""
    scores = [
        float(cos[i]) + 0.25 * _recall(claim_terms, terms) for i, terms in enumerate(sentence_terms)
    ]
    return sorted(range(len(scores)), key=lambda i: -scores[i])


def pair_features(
    pair: PairText,
    claim_vec: npt.NDArray[np.float32],
    sentence_vecs: Matrix,
    title_vec: npt.NDArray[np.float32] | None,
    common_terms: frozenset[str],
) -> PairFeatures:
    """The feature vector of one pair (``FEATURE_NAMES`` order), its evidence and topic score."""
    n = len(pair.sentences)
    claim_terms = cues.content_terms(pair.claim)
    specific = {t for t in claim_terms if t not in common_terms and not t.isdigit()}
    sentence_terms = [cues.content_terms(s) for s in pair.sentences]
    record_terms = set().union(*sentence_terms) | cues.content_terms(pair.title)
    for heading in pair.mesh:
        record_terms |= cues.content_terms(heading)
    cos = sentence_vecs @ claim_vec if n else np.zeros(0, dtype=np.float32)
    order = rank_sentences(cos, claim_terms, sentence_terms)
    top = order[:EVIDENCE_TOP]
    sorted_cos = np.sort(cos)[::-1] if n else np.zeros(1, dtype=np.float32)
    cos_max = float(sorted_cos[0])
    cos_second = float(sorted_cos[1]) if n > 1 else cos_max
    cos_top3 = float(sorted_cos[:3].mean())
    cos_mean = float(cos.mean()) if n else 0.0
    cos_title = float(title_vec @ claim_vec) if title_vec is not None else cos_mean
    evidence_text = " ".join(pair.sentences[i] for i in top)
    best_terms = sentence_terms[top[0]] if top else set()
    specific_found = [t for t in specific if _prefix_found(t, record_terms)]
    specific_recall = len(specific_found) / len(specific) if specific else 1.0
    claim_numbers = cues.numbers(pair.claim)
    record_numbers = cues.numbers(" ".join(pair.sentences))
    numbers_found = (
        len(claim_numbers & record_numbers) / len(claim_numbers) if claim_numbers else 0.0
    )
    claim_neg = cues.negated(pair.claim)
    ev_neg = cues.negated(evidence_text)
    claim_null = cues.null_finding(pair.claim)
    ev_null = cues.null_finding(evidence_text)
    claim_dir = cues.direction(pair.claim)
    ev_dir = cues.direction(evidence_text)
    vector = np.array(
        [
            cos_max,
            cos_second,
            cos_top3,
            cos_mean,
            cos_max - cos_mean,
            cos_title,
            float(cos[top[0]]) if top else 0.0,
            _recall(claim_terms, best_terms),
            max((_recall(claim_terms, t) for t in sentence_terms), default=0.0),
            _recall(claim_terms, record_terms),
            specific_recall,
            float(len(specific) - len(specific_found)),
            numbers_found,
            float(len(claim_numbers - record_numbers)),
            float(claim_neg),
            float(ev_neg),
            float(claim_neg != ev_neg),
            float(claim_null),
            float(ev_null),
            float(claim_null != ev_null),
            float(claim_dir),
            float(ev_dir),
            float(claim_dir * ev_dir > 0),
            float(claim_dir * ev_dir < 0),
            float(cues.hedged(evidence_text)),
            (top[0] / max(n - 1, 1)) if top else 0.0,
            float(np.log1p(len(cues.tokens(pair.claim)))),
            float(np.log1p(n)),
        ],
        dtype=np.float64,
    )
    topic = topic_score(cos_max, cos_title, specific_recall)
    return PairFeatures(vector=vector, evidence=tuple(top), topic=topic)


def topic_score(cos_max: float, cos_title: float, specific_recall: float) -> float:
    """0-1: is the record about the claim's subject at all?

    The nearest sentence's cosine separates a cited abstract from a random one; the share
    of the claim's specific terms found in the title, abstract and MeSH headings catches
    "same treatment, another condition" that a cosine alone misses.
    """
    semantic = min(max((max(cos_max, cos_title) - 0.15) / 0.45, 0.0), 1.0)
    return float(0.6 * semantic + 0.4 * specific_recall)
