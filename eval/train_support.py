#!/usr/bin/env python3
"""Train the support classifier on the TRAIN splits only; write claimgraph/support/data/.

    python eval/train_support.py            # rebuild support-model.json and common-terms.txt
    python eval/train_support.py --no-write # cross-validation figures only

Data (../shared/eval, read at run time): the train splits named by --datasets (default
SciFact claims_train; Citation-Integrity and Check-COVID train lowered the SciFact
cross-validation score, see MODEL_CARD.md), each train claim paired with a random abstract of
its corpus (NEI), and in-domain weak pairs: each SUPPORT claim flipped to say the opposite
(claimgraph.support.cues.flip) as a CONTRADICT pair with the same abstract (weight
--flip-weight). Dev splits are never read here. Thresholds are set on 5-fold
cross-validation (grouped by claim) over the real train pairs:

- ``contradicts_rule``: the lowest P(contradict) at which the out-of-fold precision of
  "contradicts" is >= 0.80 (the source-contradicts-claim rule fires only above it);
- ``contradicts`` / ``supports``: the label thresholds that maximise out-of-fold macro-F1;
- ``unrelated``: the topic score below which at most 2% of cited SUPPORT/CONTRADICT pairs fall.

Needs scikit-learn (``pip install scikit-learn``); the checker itself does not.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support_data import (
    LABELS,
    flipped_pairs,
    load_corpus,
    load_split,
    random_pairs,
    require_eval_dir,
    weak_pairs,
)

from claimgraph.support import cues
from claimgraph.support.decide import SCIFACT_LABEL, decide
from claimgraph.support.encoder import ENCODER_ID
from claimgraph.support.features import FEATURE_NAMES
from claimgraph.support.model import (
    COMMON_TERMS_PATH,
    MODEL_PATH,
    Thresholds,
    load_common_terms,
    with_products,
)

DATASETS = ("scifact", "citation-integrity", "check-covid")
#: a stem in at least this share of SciFact's abstracts is a common word, not a topic word
COMMON_DF = 0.01


def build_common_terms() -> list[str]:
    docs = load_corpus("scifact")
    df: Counter[str] = Counter()
    for doc in docs.values():
        df.update(cues.content_terms(doc.title + " " + " ".join(doc.sentences)))
    cutoff = COMMON_DF * len(docs)
    return sorted(t for t, n in df.items() if n >= cutoff)


def macro_f1(gold: list[str], pred: list[str]) -> float:
    f1s = []
    for lab in LABELS:
        tp = sum(g == p == lab for g, p in zip(gold, pred, strict=True))
        fp = sum(p == lab and g != lab for g, p in zip(gold, pred, strict=True))
        fn = sum(g == lab and p != lab for g, p in zip(gold, pred, strict=True))
        pr = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * pr * rc / (pr + rc) if pr + rc else 0.0)
    return sum(f1s) / 3


def _standardiser(x):  # type: ignore[no-untyped-def]
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    return mean, scale


def expand(x, base):  # type: ignore[no-untyped-def]
    """The raw features, or their standardised values and pairwise products."""
    if base is None:
        return x
    return with_products((x - base[0]) / base[1])


def fit(x, y, c, w, products=True):  # type: ignore[no-untyped-def]
    from sklearn.linear_model import LogisticRegression

    base = _standardiser(x) if products else None
    x2 = expand(x, base)
    mean, scale = _standardiser(x2)
    clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
    clf.fit((x2 - mean) / scale, y, sample_weight=w)
    # classes are 0,1,2 = SUPPORT, NEI, CONTRADICT
    return base, mean, scale, clf.coef_, clf.intercept_


def predict(params, x):  # type: ignore[no-untyped-def]
    base, mean, scale, coef, intercept = params
    z = ((expand(x, base) - mean) / scale) @ coef.T + intercept
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def out_of_fold(x, y, w, groups, c, products, folds=5):  # type: ignore[no-untyped-def]
    from sklearn.model_selection import GroupKFold

    probs = np.zeros((len(y), 3))
    for train_idx, test_idx in GroupKFold(n_splits=folds).split(x, y, groups):
        params = fit(x[train_idx], y[train_idx], c, w[train_idx], products)
        probs[test_idx] = predict(params, x[test_idx])
    return probs


def labels_for(probs, topics, th: Thresholds) -> list[str]:  # type: ignore[no-untyped-def]
    return [SCIFACT_LABEL[decide(p[0], p[2], t, th)[0]] for p, t in zip(probs, topics, strict=True)]


def contradict_rule_threshold(probs, gold, real) -> float | None:  # type: ignore[no-untyped-def]
    """Lowest P(contradict) from which on the out-of-fold precision (real pairs) stays >= 0.80
    at every threshold with at least 10 calls, or None when no threshold gets there (the rule
    then never fires with this model)."""
    pc = probs[:, 2]
    curve = []
    for thr in np.arange(0.30, 0.99, 0.01):
        called = [i for i in range(len(gold)) if real[i] and pc[i] >= thr and pc[i] > probs[i, 0]]
        if len(called) >= 10:
            precision = sum(gold[i] == "CONTRADICT" for i in called) / len(called)
            curve.append((round(float(thr), 2), precision, len(called)))
    print("contradict precision/calls by threshold:",
          " ".join(f"{t:.2f}:{p:.2f}/{n}" for t, p, n in curve[::3]))  # fmt: skip
    for k, (thr, _, _) in enumerate(curve):
        if all(p >= 0.80 for _, p, _ in curve[k:]):
            return thr
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--no-write", action="store_true", help="print figures only")
    parser.add_argument("--c", type=float, nargs="*", default=None, help="C values to try")
    parser.add_argument(
        "--no-products", action="store_true", help="a linear model (no pairwise products)"
    )
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--datasets", nargs="+", default=["scifact"], choices=DATASETS)
    parser.add_argument(
        "--flip-weight", type=float, default=0.5,
        help="weight of flipped SUPPORT claims as CONTRADICT pairs (0: none)",
    )  # fmt: skip
    parser.add_argument(
        "--weak", type=int, default=0,
        help="add this many weak NLI pairs built from SciFact abstracts no dev claim cites",
    )  # fmt: skip
    args = parser.parse_args(argv)
    require_eval_dir()
    from featurize import EmbeddingStore, featurize

    common = build_common_terms()
    if not args.no_write:
        COMMON_TERMS_PATH.write_text("\n".join(common) + "\n", encoding="utf-8")
    load_common_terms.cache_clear()
    print(f"common terms: {len(common)}")

    examples = []
    for name in args.datasets:
        split = load_split(name, "train")
        rand = random_pairs(split, load_corpus(name), args.seed)
        print(f"{name} train: {len(split)} pairs {dict(Counter(e.label for e in split))}, "
              f"+{len(rand)} random")  # fmt: skip
        examples += split + rand
        if args.flip_weight > 0:
            flipped = flipped_pairs(split)
            print(f"  +{len(flipped)} flipped SUPPORT claims as CONTRADICT")
            examples += flipped
    if args.weak:
        dev_docs = {e.doc_id for e in load_split("scifact", "dev")}
        weak = weak_pairs(load_corpus("scifact"), dev_docs, args.weak, args.seed)
        print(f"weak pairs: {len(weak)} {dict(Counter(e.label for e in weak))}")
        examples += weak
    store = EmbeddingStore()
    feats = featurize(examples, store)
    x = np.stack([f.vector for f in feats])
    topics = np.array([f.topic for f in feats])
    gold = [e.label for e in examples]
    y = np.array([LABELS.index(g) for g in gold])
    groups = [f"{e.dataset.removesuffix('+flip')}:{e.claim_id}" for e in examples]
    real = [e.dataset in DATASETS and not e.random_pair for e in examples]
    weights = np.array([
        args.flip_weight if e.dataset.endswith("+flip") else 0.5 if e.dataset == "weak" else 1.0
        for e in examples
    ])  # fmt: skip

    products = not args.no_products
    grid = args.c or ([0.00005, 0.0001, 0.0002, 0.0005] if products else [0.01, 0.03, 0.1, 0.3])
    best = None
    for c in grid:
        probs = out_of_fold(x, y, weights, groups, c, products)
        argmax = [LABELS[i] for i in probs.argmax(axis=1)]
        f1 = macro_f1([g for g, r in zip(gold, real, strict=True) if r],
                      [p for p, r in zip(argmax, real, strict=True) if r])  # fmt: skip
        print(f"C={c}: out-of-fold macro-F1 (argmax, real pairs) {f1:.4f}")
        if best is None or f1 > best[0]:
            best = (f1, c, probs)
    assert best is not None
    _, c, probs = best

    # off-topic means another subject: at most 2% of the cited pairs (any label) fall below
    cited_topics = sorted(t for t, r in zip(topics, real, strict=True) if r)
    unrelated = round(float(cited_topics[int(0.02 * len(cited_topics))]), 3)
    random_topics = [t for t, e in zip(topics, examples, strict=True) if e.random_pair]
    below = sum(t < unrelated for t in random_topics) / max(len(random_topics), 1)
    print(f"unrelated below topic {unrelated}: {below:.1%} of train random pairs")
    rule = contradict_rule_threshold(probs, gold, real)
    best_th = None
    for tc in np.arange(0.30, 0.80, 0.02):
        for ts in np.arange(0.30, 0.80, 0.02):
            th = Thresholds(float(tc), rule, float(ts), unrelated)
            pred = labels_for(probs, topics, th)
            f1 = macro_f1([g for g, r in zip(gold, real, strict=True) if r],
                          [p for p, r in zip(pred, real, strict=True) if r])  # fmt: skip
            if best_th is None or f1 > best_th[0]:
                best_th = (f1, th)
    assert best_th is not None
    cv_f1, th = best_th
    print(f"chosen C={c}; thresholds {th}; out-of-fold macro-F1 with thresholds {cv_f1:.4f}")
    per_set = {}
    pred = labels_for(probs, topics, th)
    for name in args.datasets:
        idx = [i for i, e in enumerate(examples) if e.dataset == name and real[i]]
        per_set[name] = round(macro_f1([gold[i] for i in idx], [pred[i] for i in idx]), 4)
    print(f"out-of-fold macro-F1 by train set: {per_set}")
    rule_at = th.contradicts_rule if th.contradicts_rule is not None else 2.0
    called = [i for i in range(len(gold)) if real[i] and probs[i, 2] >= rule_at
              and probs[i, 2] > probs[i, 0]]  # fmt: skip
    rule_precision = sum(gold[i] == "CONTRADICT" for i in called) / max(len(called), 1)
    print(f"source-contradicts-claim at P>={th.contradicts_rule}: {len(called)} calls, "
          f"out-of-fold precision {rule_precision:.3f}")  # fmt: skip
    for label, name in (("SUPPORT", "supports"), ("CONTRADICT", "contradicts")):
        calls = [i for i, p in enumerate(pred) if real[i] and p == label]
        right = sum(gold[i] == label for i in calls)
        print(f"out-of-fold precision of {name}: {right}/{len(calls)} = "
              f"{right / max(len(calls), 1):.3f}")  # fmt: skip

    base, mean, scale, coef, intercept = fit(x, y, c, weights, products)
    model = {
        "format": 2,
        "encoder": ENCODER_ID,
        "classes": list(LABELS),
        "features": list(FEATURE_NAMES),
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "coef": coef.round(6).tolist(),
        "intercept": intercept.round(6).tolist(),
        "products": None
        if base is None
        else {"mean": base[0].round(6).tolist(), "scale": base[1].round(6).tolist()},
        "thresholds": {
            "contradicts": round(th.contradicts, 2),
            "contradicts_rule": th.contradicts_rule,
            "supports": round(th.supports, 2),
            "unrelated": th.unrelated,
        },
        "trained": {
            "date": datetime.date.today().isoformat(),
            "data": {name: "train split" for name in args.datasets},
            "flip_weight": args.flip_weight,
            "weak_pairs": args.weak,
            "pairs": len(examples),
            "random_pairs_seed": args.seed,
            "C": c,
            "cv_macro_f1": round(cv_f1, 4),
            "cv_macro_f1_by_set": per_set,
            "cv_contradicts_rule_precision": round(rule_precision, 3),
            "cv_contradicts_rule_calls": len(called),
        },
    }
    if not args.no_write:
        MODEL_PATH.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
