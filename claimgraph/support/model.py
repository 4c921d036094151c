"""The support classifier: a multinomial logistic regression over :mod:`features` and, when
the model says so, their pairwise products (a quadratic model, strongly regularised).

Its weights, thresholds and measured scores live in ``data/support-model.json``, written by
``eval/train_support.py`` from the train splits only (see ``data/MODEL_CARD.md``). Inference
is a few numpy operations.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from claimgraph.support.encoder import DATA_DIR, ENCODER_ID, ModelUnavailableError
from claimgraph.support.features import FEATURE_NAMES

MODEL_PATH = DATA_DIR / "support-model.json"
COMMON_TERMS_PATH = DATA_DIR / "common-terms.txt"
#: class order of the classifier's outputs
CLASSES = ("SUPPORT", "NEI", "CONTRADICT")


@dataclass(frozen=True)
class Thresholds:
    #: P(contradict) at or above which the label is ``contradicts``
    contradicts: float
    #: P(contradict) at or above which ``source-contradicts-claim`` fires (precision >= 0.80
    #: in cross-validation on the train splits); None: no threshold got there, never fires
    contradicts_rule: float | None
    #: P(support) at or above which the label is ``supports``
    supports: float
    #: topic score below which a pair is ``unrelated``
    unrelated: float


_ARRAYS = frozenset({"mean", "scale", "coef", "intercept", "products"})


def with_products(z: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """``z`` followed by every product z[i] * z[j], i < j (row-major order)."""
    i, j = np.triu_indices(z.shape[1], k=1)
    return np.hstack([z, z[:, i] * z[:, j]])


@dataclass(frozen=True)
class SupportModel:
    version: str
    mean: npt.NDArray[np.float64]
    scale: npt.NDArray[np.float64]
    coef: npt.NDArray[np.float64]
    intercept: npt.NDArray[np.float64]
    thresholds: Thresholds
    card: dict[str, Any]
    #: standardisation of the raw features before their pairwise products (None: no products)
    base_mean: npt.NDArray[np.float64] | None = None
    base_scale: npt.NDArray[np.float64] | None = None

    def probabilities(self, features: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Rows of P(SUPPORT), P(NEI), P(CONTRADICT) for rows of features."""
        if self.base_mean is not None and self.base_scale is not None:
            features = with_products((features - self.base_mean) / self.base_scale)
        z = ((features - self.mean) / self.scale) @ self.coef.T + self.intercept
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        probs: npt.NDArray[np.float64] = e / e.sum(axis=1, keepdims=True)
        return probs

    @classmethod
    def from_dict(cls, data: dict[str, Any], version: str) -> SupportModel:
        if list(data.get("features", [])) != list(FEATURE_NAMES):
            raise ModelUnavailableError(
                "the support model was trained on other features than this version computes; "
                "rebuild it with eval/train_support.py"
            )
        if data.get("encoder") != ENCODER_ID:
            raise ModelUnavailableError(f"the support model expects encoder {data.get('encoder')}")
        t = data["thresholds"]
        products = data.get("products")
        return cls(
            version=version,
            mean=np.asarray(data["mean"], dtype=np.float64),
            scale=np.asarray(data["scale"], dtype=np.float64),
            coef=np.asarray(data["coef"], dtype=np.float64),
            intercept=np.asarray(data["intercept"], dtype=np.float64),
            thresholds=Thresholds(
                contradicts=float(t["contradicts"]),
                contradicts_rule=(
                    None if t["contradicts_rule"] is None else float(t["contradicts_rule"])
                ),
                supports=float(t["supports"]),
                unrelated=float(t["unrelated"]),
            ),
            card={k: v for k, v in data.items() if k not in _ARRAYS},
            base_mean=None if not products else np.asarray(products["mean"], dtype=np.float64),
            base_scale=None if not products else np.asarray(products["scale"], dtype=np.float64),
        )


def load_model(path: Path = MODEL_PATH) -> SupportModel:
    try:
        raw = path.read_bytes()
        data = json.loads(raw)
    except (OSError, ValueError) as exc:
        raise ModelUnavailableError(f"{path}: cannot read the support model ({exc})") from exc
    version = f"{ENCODER_ID}+lr-{hashlib.sha256(raw).hexdigest()[:12]}"
    return SupportModel.from_dict(data, version)


@lru_cache(maxsize=1)
def shared_model() -> SupportModel:
    return load_model()


@lru_cache(maxsize=1)
def load_common_terms(path: Path = COMMON_TERMS_PATH) -> frozenset[str]:
    """Stems common in biomedical abstracts ("patient", "study", ...): not topic words."""
    if not path.is_file():
        return frozenset()
    return frozenset(
        line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    )
