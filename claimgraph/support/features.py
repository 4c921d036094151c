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
    "numbers_clash_best",
    "flippable",
    "flip_gain_max",
    "flip_gain_best",
    "x_cos_direction_clash",
    "x_cos_negation_mismatch",
    "x_cos_null_mismatch",
    "x_cos_numbers_clash",
    "x_cos_flip_gain",
    "opposite_word_best",
    "same_word_best",
    "prefix_clash_best",
    "negation_mismatch_best",
    "direction_clash_best",
    "specific_recall_best",
    "opposite_word_top3",
    "null_top3",
)

#: how many nearest sentences are read for cues and quoted as evidence at most
EVIDENCE_TOP = 2
#: weight of word overlap next to the cosine when ranking sentences
LEXICAL_WEIGHT = 0.25

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
    #: (claim's conditions, record's conditions) when the record names other conditions only
    other_condition: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    #: the claim asserts an effect and the nearest sentence reports none
    null_evidence: bool = False
    #: the claim and the nearest sentence both report no effect
    both_null: bool = False


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
        float(cos[i]) + LEXICAL_WEIGHT * _recall(claim_terms, terms)
        for i, terms in enumerate(sentence_terms)
    ]
    return sorted(range(len(scores)), key=lambda i: -scores[i])


def pair_features(
    pair: PairText,
    claim_vec: npt.NDArray[np.float32],
    sentence_vecs: Matrix,
    title_vec: npt.NDArray[np.float32] | None,
    common_terms: frozenset[str],
    flipped_vecs: npt.NDArray[np.float32] | None = None,
) -> PairFeatures:
    """The feature vector of one pair (``FEATURE_NAMES`` order), its evidence and topic score.

    ``flipped_vecs`` encode the claim made to say the opposite (:func:`cues.flips`), one row
    each: when the abstract is nearer to an opposite than to the claim, that is a sign of
    contradiction.
    """
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
    best_numbers = cues.numbers(pair.sentences[top[0]]) if top else set()
    numbers_clash = bool(claim_numbers and best_numbers and not claim_numbers & best_numbers)
    flip_max = flip_best = 0.0
    best_text = pair.sentences[top[0]] if top else ""
    opposite, same, prefix_clash = cues.wording_clash(pair.claim, best_text)
    specific_best = (
        sum(_prefix_found(t, best_terms) for t in specific) / len(specific) if specific else 1.0
    )
    top3 = [pair.sentences[i] for i in order[:3]]
    opposite_top3 = any(cues.wording_clash(pair.claim, s)[0] for s in top3)
    null_top3 = any(cues.null_finding(s) for s in top3)
    best_dir = cues.direction(best_text)
    flippable = flipped_vecs is not None and len(flipped_vecs) > 0
    if flippable and n:
        assert flipped_vecs is not None
        flipped_cos = sentence_vecs @ flipped_vecs.T  # sentences x variants
        flip_max = float(flipped_cos.max()) - cos_max
        flip_best = float(flipped_cos[top[0]].max() - cos[top[0]])
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
            float(numbers_clash),
            float(flippable),
            flip_max,
            flip_best,
            cos_max * float(claim_dir * ev_dir < 0),
            cos_max * float(claim_neg != ev_neg),
            cos_max * float(claim_null != ev_null),
            cos_max * float(numbers_clash),
            cos_max * flip_best,
            float(opposite),
            float(same),
            float(prefix_clash),
            float(claim_neg != cues.negated(best_text)),
            float(claim_dir * best_dir < 0),
            specific_best,
            float(opposite_top3),
            float(null_top3),
        ],
        dtype=np.float64,
    )
    topic = topic_score(cos_max, cos_title, specific_recall)
    claim_asserts = not claim_null and not claim_neg
    return PairFeatures(
        vector=vector,
        evidence=tuple(top),
        topic=topic,
        other_condition=other_condition(pair),
        null_evidence=claim_asserts and cues.null_finding(best_text),
        both_null=claim_null and cues.null_finding(best_text),
    )


def other_condition(pair: PairText) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The claim names conditions the record never mentions, and the record names others.

    "Magnesium relieves blepharospasm" citing a paper on bruxism: the same treatment for
    another condition, which a sentence cosine does not see.
    """
    claimed = cues.condition_terms(pair.claim)
    if not claimed:
        return None
    record = " ".join([pair.title, *pair.sentences, *pair.mesh])
    words = set(cues.tokens(record))
    if any(word.startswith(term[:6]) for term in claimed for word in words):
        return None
    named = cues.condition_terms(record)
    return (tuple(sorted(claimed)), tuple(sorted(named))) if named else None


def topic_score(cos_max: float, cos_title: float, specific_recall: float) -> float:
    """0-1: is the record about the claim's subject at all?

    The nearest sentence's cosine separates a cited abstract from a random one; the share
    of the claim's specific terms found in the title, abstract and MeSH headings catches
    "same treatment, another condition" that a cosine alone misses.
    """
    semantic = min(max((max(cos_max, cos_title) - 0.15) / 0.45, 0.0), 1.0)
    return float(0.6 * semantic + 0.4 * specific_recall)
