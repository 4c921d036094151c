"""A pluggable scorer: a local ONNX cross-encoder (an NLI model the user is licensed to use).

The folder (``support-model`` in the config) holds:

- ``model.onnx``: inputs ``input_ids`` and ``attention_mask`` (``token_type_ids`` if it
  declares it), output logits of shape (batch, labels);
- ``tokenizer.json``: a Hugging Face ``tokenizers`` file;
- ``labels.json``: ``{"labels": ["contradiction", "entailment", "neutral"]}`` in the model's
  output order (names: entailment/supports, contradiction/contradicts, anything else is
  neither), optionally ``"max_length"`` (default 256) and ``"thresholds"``.

Each abstract sentence is scored against the claim; the sentence with the strongest
entailment or contradiction decides. Off-topic still comes from the MiniLM topic score.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from claimgraph.errors import ConfigError
from claimgraph.support.cues import content_terms
from claimgraph.support.decide import SupportLabel, decide
from claimgraph.support.encoder import SentenceEncoder, shared_encoder
from claimgraph.support.features import topic_score
from claimgraph.support.judge import (
    EvidenceSpan,
    Judgement,
    SupportPair,
    abstract_sentences,
    encodable,
    not_checked,
)
from claimgraph.support.model import Thresholds, load_common_terms

_SUPPORT_NAMES = {"entailment", "entails", "supports", "support", "entail"}
_CONTRADICT_NAMES = {"contradiction", "contradicts", "contradict", "refutes", "refute"}


def _read_labels(folder: Path) -> dict[str, Any]:
    path = folder / "labels.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"cannot read the label order ({exc})",
            file=str(path),
            hint='write {"labels": ["contradiction", "entailment", "neutral"]} in output order',
        ) from None
    labels = data.get("labels") if isinstance(data, dict) else None
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        raise ConfigError("labels.json needs a list of label names", file=str(path))
    assert isinstance(data, dict)
    names = [x.lower() for x in labels]
    if not _SUPPORT_NAMES & set(names) or not _CONTRADICT_NAMES & set(names):
        raise ConfigError(
            "labels.json must name an entailment and a contradiction label", file=str(path)
        )
    result: dict[str, Any] = data
    return result


class CrossEncoderScorer:
    def __init__(self, folder: Path, encoder: SentenceEncoder | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        for name in ("model.onnx", "tokenizer.json"):
            if not (folder / name).is_file():
                raise ConfigError(
                    f"{name} is missing",
                    file=str(folder),
                    hint="support-model points at a folder with model.onnx, tokenizer.json, labels.json",
                )
        data = _read_labels(folder)
        names = [x.lower() for x in data["labels"]]
        self.support_index = next(i for i, n in enumerate(names) if n in _SUPPORT_NAMES)
        self.contradict_index = next(i for i, n in enumerate(names) if n in _CONTRADICT_NAMES)
        t = data.get("thresholds") or {}
        self.thresholds = Thresholds(
            contradicts=float(t.get("contradicts", 0.5)),
            contradicts_rule=float(t.get("contradicts_rule", 0.8)),
            supports=float(t.get("supports", 0.5)),
            unrelated=float(t.get("unrelated", 0.3)),
        )
        self.session = ort.InferenceSession(
            str(folder / "model.onnx"), providers=["CPUExecutionProvider"]
        )
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(int(data.get("max_length", 256)))
        self.tokenizer.enable_padding()
        digest = hashlib.sha256((folder / "model.onnx").read_bytes()).hexdigest()[:12]
        self.version = f"cross-encoder-{digest}"
        self._encoder = encoder
        self.common = load_common_terms()

    @property
    def encoder(self) -> SentenceEncoder:
        if self._encoder is None:
            self._encoder = shared_encoder()
        return self._encoder

    def _probabilities(self, claim: str, sentences: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch([(claim, s) for s in sentences])
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        feeds = {
            "input_ids": ids,
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
        }
        if "token_type_ids" in self.inputs:
            feeds["token_type_ids"] = np.array([e.type_ids for e in encodings], dtype=np.int64)
        logits = np.asarray(self.session.run(None, feeds)[0], dtype=np.float64)
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        probs: np.ndarray = e / e.sum(axis=1, keepdims=True)
        return probs

    def _topic(self, pair: SupportPair, sentences: list[str]) -> float:
        vecs = self.encoder.encode([pair.claim, *sentences] + ([pair.title] if pair.title else []))
        claim_vec, sentence_vecs = vecs[0], vecs[1 : 1 + len(sentences)]
        cos = sentence_vecs @ claim_vec
        cos_title = float(vecs[-1] @ claim_vec) if pair.title else float(cos.mean())
        specific = {t for t in content_terms(pair.claim) if t not in self.common}
        record = content_terms(" ".join([pair.title, *sentences, *pair.mesh]))
        recall = len(specific & record) / len(specific) if specific else 1.0
        return topic_score(float(cos.max()), cos_title, recall)

    def judge(self, pairs: Sequence[SupportPair]) -> list[Judgement]:
        return [self._judge_one(p) for p in pairs]

    def _judge_one(self, pair: SupportPair) -> Judgement:
        spans: list[EvidenceSpan] = abstract_sentences(pair.abstract or "")
        if not spans:
            return not_checked("the record has no abstract")
        sentences = [encodable(s.text) for s in spans]
        probs = self._probabilities(pair.claim, sentences)
        p_support = probs[:, self.support_index]
        p_contradict = probs[:, self.contradict_index]
        topic = self._topic(pair, sentences)
        ps, pc = float(p_support.max()), float(p_contradict.max())
        label, score = decide(ps, pc, topic, self.thresholds)
        best = int(
            p_contradict.argmax() if label is SupportLabel.CONTRADICTS else p_support.argmax()
        )
        return Judgement(
            label=label,
            score=score,
            evidence=(spans[best],),
            topic=round(topic, 4),
            confident=label is SupportLabel.CONTRADICTS
            and pc >= (self.thresholds.contradicts_rule or 2.0),
            model=self.version,
            probabilities={"supports": round(ps, 4), "contradicts": round(pc, 4)},
        )
