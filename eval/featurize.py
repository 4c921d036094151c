"""Feature matrices for eval examples, through the same code the checker runs.

Embeddings are kept in ``eval/.work/embeddings.npz`` (keyed by the text's sha1) so that
re-running training or evaluation does not re-encode the corpora.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import numpy as np
from support_data import ROOT, Example

from claimgraph.support.cues import flips
from claimgraph.support.encoder import SentenceEncoder
from claimgraph.support.features import PairFeatures, PairText, pair_features
from claimgraph.support.model import load_common_terms

WORK = ROOT / "eval" / ".work"


def _key(text: str) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


class EmbeddingStore:
    def __init__(self, path: Path = WORK / "embeddings.npz") -> None:
        self.path = path
        self.vectors: dict[str, np.ndarray] = {}
        if path.is_file():
            with np.load(path) as data:
                self.vectors = {k: data[k] for k in data.files}
        self.encoder: SentenceEncoder | None = None
        self.dirty = False

    def ensure(self, texts: list[str]) -> None:
        missing = list(dict.fromkeys(t for t in texts if _key(t) not in self.vectors))
        if not missing:
            return
        if self.encoder is None:
            self.encoder = SentenceEncoder()
        started = time.time()
        for start in range(0, len(missing), 2048):
            chunk = missing[start : start + 2048]
            for text, vec in zip(chunk, self.encoder.encode(chunk), strict=True):
                self.vectors[_key(text)] = vec
            print(f"  encoded {start + len(chunk)}/{len(missing)} ({time.time() - started:.0f} s)")
        self.dirty = True
        self.save()

    def save(self) -> None:
        if self.dirty:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp.npz")
            np.savez(tmp, **self.vectors)
            tmp.replace(self.path)
            self.dirty = False

    def get(self, text: str) -> np.ndarray:
        return self.vectors[_key(text)]


def featurize(examples: list[Example], store: EmbeddingStore) -> list[PairFeatures]:
    texts: list[str] = []
    for ex in examples:
        texts.append(ex.claim)
        texts.extend(flips(ex.claim))
        texts.extend(ex.doc.sentences)
        if ex.doc.title:
            texts.append(ex.doc.title)
    store.ensure(texts)
    common = load_common_terms()
    out = []
    for ex in examples:
        sents = ex.doc.sentences
        svecs = np.stack([store.get(s) for s in sents]) if sents else np.zeros((0, 384), np.float32)
        tvec = store.get(ex.doc.title) if ex.doc.title else None
        pair = PairText(ex.claim, sents, ex.doc.title)
        variants = flips(ex.claim)
        fvecs = np.stack([store.get(v) for v in variants]) if variants else None
        out.append(pair_features(pair, store.get(ex.claim), svecs, tvec, common, fvecs))
    return out
