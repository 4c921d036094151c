"""Judge claim / abstract pairs: a pure batch function from pairs to judgements.

``judge_pairs`` splits each abstract into sentences (with offsets), encodes the claim, the
title and every sentence once, computes the features, and turns the classifier's
probabilities into a label with a score and the sentences that decided it. ``jobs > 1``
maps it over worker processes; a corpus-scale run could map it over Dask or Ray the same way.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from claimgraph.support.cues import flips
from claimgraph.support.decide import decide
from claimgraph.support.encoder import SentenceEncoder, shared_encoder
from claimgraph.support.features import PairFeatures, PairText, pair_features
from claimgraph.support.model import SupportModel, load_common_terms, shared_model
from claimgraph.support.sentences import split_abstract
from claimgraph.support.types import (
    EvidenceSpan,
    Judgement,
    Scorer,
    SupportLabel,
    SupportPair,
    not_checked,
)

__all__ = [
    "EvidenceSpan",
    "Judgement",
    "MiniLMScorer",
    "Scorer",
    "SupportPair",
    "abstract_sentences",
    "judge_pairs",
    "not_checked",
]

#: pairs judged per encoder pass (their texts must fit in the encoder's cache)
CHUNK = 512

#: a structured abstract's section label at the start of a sentence ("RESULTS: ...")
_SECTION_RE = re.compile(r"^(?:[A-Z][A-Z /&-]{2,40}):\s+")


def abstract_sentences(abstract: str) -> list[EvidenceSpan]:
    return [EvidenceSpan(s.text, s.start, s.end) for s in split_abstract(abstract)]


def encodable(sentence: str) -> str:
    """The sentence without a leading section label, as the encoder should read it."""
    return _SECTION_RE.sub("", sentence)


class MiniLMScorer:
    """MiniLM sentence similarities + lexical and direction cues + logistic regression."""

    def __init__(
        self, encoder: SentenceEncoder | None = None, model: SupportModel | None = None
    ) -> None:
        self.encoder = encoder or shared_encoder()
        self.model = model or shared_model()
        self.version = self.model.version
        self.common = load_common_terms()

    def judge(self, pairs: Sequence[SupportPair]) -> list[Judgement]:
        judged: list[Judgement] = []
        # in chunks, so one chunk's vectors always fit in the encoder's cache
        for start in range(0, len(pairs), CHUNK):
            judged += self._judge_chunk(pairs[start : start + CHUNK])
        return judged

    def _judge_chunk(self, pairs: Sequence[SupportPair]) -> list[Judgement]:
        spans = [abstract_sentences(p.abstract) if p.abstract else [] for p in pairs]
        texts: list[str] = []
        for pair, sentences in zip(pairs, spans, strict=True):
            if not sentences:
                continue
            texts.append(pair.claim)
            texts.extend(flips(pair.claim))
            texts.extend(encodable(s.text) for s in sentences)
            if pair.title:
                texts.append(pair.title)
        self.encoder.encode(texts)  # one batched pass; the rows below come from its cache
        return [
            self._judge_one(pair, sentences)
            if sentences
            else not_checked("the record has no abstract")
            for pair, sentences in zip(pairs, spans, strict=True)
        ]

    def _judge_one(self, pair: SupportPair, spans: list[EvidenceSpan]) -> Judgement:
        sentences = [encodable(s.text) for s in spans]
        if not sentences:
            return not_checked("the abstract has no sentence")  # pragma: no cover - guarded
        claim_vec = self.encoder.encode([pair.claim])[0]
        sentence_vecs = self.encoder.encode(sentences)
        title_vec = self.encoder.encode([pair.title])[0] if pair.title else None
        variants = flips(pair.claim)
        flipped_vecs = self.encoder.encode(variants) if variants else None
        text = PairText(pair.claim, sentences, pair.title, pair.mesh)
        feats = pair_features(text, claim_vec, sentence_vecs, title_vec, self.common, flipped_vecs)
        probs = self.model.probabilities(feats.vector[None, :])[0]
        thresholds = self.model.thresholds
        label, score = decide(float(probs[0]), float(probs[2]), feats.topic, thresholds)
        label, score, note = _guard(label, score, feats)
        rule_at = thresholds.contradicts_rule
        confident = (
            label is SupportLabel.CONTRADICTS and rule_at is not None and probs[2] >= rule_at
        )
        return Judgement(
            label=label,
            score=score,
            # the nearest sentence decides (for an off-topic record: shows what it is about)
            evidence=tuple(spans[i] for i in feats.evidence[:1]),
            topic=round(feats.topic, 4),
            confident=bool(confident),
            model=self.version,
            note=note,
            probabilities={
                "supports": round(float(probs[0]), 4),
                "neither": round(float(probs[1]), 4),
                "contradicts": round(float(probs[2]), 4),
            },
        )


def _guard(
    label: SupportLabel, score: float, feats: PairFeatures
) -> tuple[SupportLabel, float, str]:
    """Two explicit checks the classifier may miss; each makes the call more cautious.

    Another condition: the claim names a condition the record never mentions while the
    record names others -> ``unrelated``. No effect: the claim asserts an effect and the
    sentence it was matched to reports none -> never ``supports``; both report no effect ->
    never ``contradicts`` (``uncertain`` instead). On SciFact train these cases were called
    right less than half the time.
    """
    if feats.other_condition is not None:
        claimed, named = feats.other_condition
        return (
            SupportLabel.UNRELATED,
            round(max(score if label is SupportLabel.UNRELATED else 0.0, 0.5), 4),
            f"the claim is about {', '.join(claimed)}; the record about {', '.join(named[:3])}",
        )
    if label is SupportLabel.SUPPORTS and feats.null_evidence:
        return (
            SupportLabel.UNCERTAIN,
            round(1.0 - score, 4),
            "the nearest sentence reports no effect",
        )
    if label is SupportLabel.CONTRADICTS and feats.both_null:
        return SupportLabel.UNCERTAIN, round(1.0 - score, 4), "both report no effect"
    return label, score, ""


_WORKER_SCORER: Scorer | None = None


def _worker_judge(job: tuple[list[SupportPair], int]) -> list[Judgement]:
    global _WORKER_SCORER  # noqa: PLW0603 - one model per worker process
    pairs, threads = job
    if _WORKER_SCORER is None:
        _WORKER_SCORER = MiniLMScorer(encoder=SentenceEncoder(threads=threads))
    return _WORKER_SCORER.judge(pairs)


def judge_pairs(
    pairs: Sequence[SupportPair], scorer: Scorer | None = None, *, jobs: int = 1
) -> list[Judgement]:
    """One judgement per pair, in order. ``jobs > 1`` uses worker processes (default scorer)."""
    if not pairs:
        return []
    if jobs <= 1 or scorer is not None or len(pairs) < 2 * jobs:
        return (scorer or MiniLMScorer()).judge(pairs)
    chunks = [list(chunk) for chunk in np.array_split(np.arange(len(pairs)), jobs)]
    batches = [[pairs[i] for i in chunk] for chunk in chunks if len(chunk)]
    # spawned, not forked: a fork would copy onnxruntime's thread pools and this process's caches
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        # the cores are shared out between the workers rather than each taking them all
        threads = max(1, (os.cpu_count() or 1) // jobs)
        results = list(pool.map(_worker_judge, [(batch, threads) for batch in batches]))
    return [j for batch in results for j in batch]
