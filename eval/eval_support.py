#!/usr/bin/env python3
"""Measure the support checker on DEV data it was not trained on; print the figures.

    python eval/eval_support.py                 # everything (a few minutes on 2 cores)
    python eval/eval_support.py --quick         # reuse eval/.work embeddings (not a cold timing)

Runs the checker exactly as ``claimgraph support`` does (abstract text in, label, score and
evidence offsets out), on:

- SciFact dev, claim + cited abstract: macro-F1 by ../shared/eval/score_label_f1.py
  (SUPPORT / CONTRADICT / NEI, where NEI = unrelated, uncertain or not_checked);
- each SciFact dev claim with a random other abstract: share not called supports/contradicts,
  and the AUC of the topic score, cited vs random;
- the share of correct SUPPORT/CONTRADICT calls whose quoted sentence is a gold rationale;
- Citation-Integrity dev and Check-COVID dev macro-F1 (same scorer);
- throughput: pairs per second, cold (fresh encoder, no cache; model loading timed apart).

Skips with a message when ../shared/eval is absent.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support_data import EVAL_DIR, Example, load_corpus, load_split, random_pairs, require_eval_dir

from claimgraph.support.decide import SCIFACT_LABEL, SupportLabel
from claimgraph.support.encoder import SentenceEncoder
from claimgraph.support.judge import Judgement, MiniLMScorer, SupportPair, judge_pairs
from claimgraph.support.model import shared_model


def _pairs(examples: list[Example]) -> tuple[list[SupportPair], list[list[tuple[int, int]]]]:
    """Pairs with the abstract as one text, and each gold sentence's span in it."""
    pairs, spans = [], []
    for i, ex in enumerate(examples):
        offsets, pos = [], 0
        for sentence in ex.doc.sentences:
            offsets.append((pos, pos + len(sentence)))
            pos += len(sentence) + 1
        spans.append(offsets)
        pairs.append(SupportPair(str(i), ex.claim, " ".join(ex.doc.sentences), ex.doc.title))
    return pairs, spans


def _gold_index(judgement: Judgement, offsets: list[tuple[int, int]]) -> set[int]:
    hit = set()
    for ev in judgement.evidence:
        for idx, (start, end) in enumerate(offsets):
            if start < ev.end and ev.start < end:
                hit.add(idx)
    return hit


def score_file(gold_path: Path, examples: list[Example], judgements: list[Judgement]) -> dict:
    preds: dict[str, dict[str, dict[str, object]]] = {}
    for ex, j in zip(examples, judgements, strict=True):
        label = SCIFACT_LABEL[j.label]
        if label != "NEI":
            preds.setdefault(ex.claim_id, {})[ex.doc_id] = {"label": label, "sentences": []}
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as fh:
        for claim_id, evidence in preds.items():
            fh.write(json.dumps({"id": int(claim_id), "evidence": evidence}) + "\n")
    out = subprocess.run(
        [sys.executable, str(EVAL_DIR / "score_label_f1.py"), str(gold_path), fh.name],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    Path(fh.name).unlink()
    return json.loads(out.stdout)


def _auc(pos: list[float], neg: list[float]) -> float:
    scores = np.array(pos + neg)
    ranks = scores.argsort().argsort() + 1
    r_pos = ranks[: len(pos)].sum()
    return float((r_pos - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def _macro_by_label(examples: list[Example], judgements: list[Judgement]) -> float:
    from train_support import macro_f1

    return macro_f1([e.label for e in examples], [SCIFACT_LABEL[j.label] for j in judgements])


def _preload(scorer: MiniLMScorer, pairs: list[SupportPair]) -> None:
    """Serve the encoder from eval/.work embeddings (encoding and saving what is missing)."""
    from featurize import EmbeddingStore, _key

    from claimgraph.support.judge import abstract_sentences, encodable

    store = EmbeddingStore()
    texts = []
    for pair in pairs:
        texts.append(pair.claim)
        texts.extend(encodable(s.text) for s in abstract_sentences(pair.abstract or ""))
        if pair.title:
            texts.append(pair.title)
    store.ensure(texts)
    by_key = store.vectors
    original = scorer.encoder.encode

    def encode(texts):  # type: ignore[no-untyped-def]
        for t in texts:
            if t not in scorer.encoder._cache and _key(t) in by_key:
                scorer.encoder._remember(t, by_key[_key(t)])
        return original(texts)

    scorer.encoder.encode = encode  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--quick", action="store_true", help="reuse eval/.work embeddings")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    require_eval_dir()
    model = shared_model()
    print(f"model {model.version}; thresholds {model.thresholds}")
    scorer = MiniLMScorer()
    dev = load_split("scifact", "dev")
    pairs, offsets = _pairs(dev)
    rand = random_pairs(dev, load_corpus("scifact"), args.seed)
    rpairs, _ = _pairs(rand)
    others = {name: load_split(name, "dev") for name in ("citation-integrity", "check-covid")}
    if args.quick:
        _preload(scorer, pairs + rpairs + [p for e in others.values() for p in _pairs(e)[0]])
    started = time.perf_counter()
    judged = judge_pairs(pairs, scorer)
    elapsed = time.perf_counter() - started
    figures = score_file(EVAL_DIR / "scifact" / "claims_dev.jsonl", dev, judged)
    print(f"SciFact dev (claim + cited abstract): {json.dumps(figures)}")
    if not args.quick:
        print(f"  judged {len(pairs)} pairs in {elapsed:.1f} s: {len(pairs) / elapsed:.1f} pairs/s")

    correct = [
        (j, off, ex)
        for j, off, ex in zip(judged, offsets, dev, strict=True)
        if ex.label != "NEI" and SCIFACT_LABEL[j.label] == ex.label
    ]
    in_gold = sum(bool(_gold_index(j, off) & ex.rationale) for j, off, ex in correct)
    print(f"  evidence sentence is a gold rationale in {in_gold}/{len(correct)} correct calls "
          f"({in_gold / max(len(correct), 1):.1%})")  # fmt: skip
    counts: dict[str, int] = {}
    for j in judged:
        counts[j.label.value] = counts.get(j.label.value, 0) + 1
    print(f"  labels: {counts}")

    rjudged = judge_pairs(rpairs, scorer)
    called = sum(j.label in {SupportLabel.SUPPORTS, SupportLabel.CONTRADICTS} for j in rjudged)
    unrelated = sum(j.label is SupportLabel.UNRELATED for j in rjudged)
    print(f"SciFact dev claims with a random abstract: {len(rjudged)} pairs, "
          f"{1 - called / len(rjudged):.1%} not called supports/contradicts "
          f"({called} called), {unrelated / len(rjudged):.1%} unrelated")  # fmt: skip
    pos = [j.topic or 0.0 for j in judged]
    neg = [j.topic or 0.0 for j in rjudged]
    print(f"  topic score AUC, cited vs random abstract: {_auc(pos, neg):.4f}")
    cited_unrelated = sum(j.label is SupportLabel.UNRELATED for j in judged)
    print(f"  cited pairs called unrelated: {cited_unrelated}/{len(judged)}")
    contr_calls = [(j, ex) for j, ex in zip(judged, dev, strict=True) if j.confident]
    if contr_calls:
        prec = sum(ex.label == "CONTRADICT" for _, ex in contr_calls) / len(contr_calls)
        print(f"  source-contradicts-claim (confident) on dev: {len(contr_calls)} calls, "
              f"precision {prec:.3f}")  # fmt: skip

    for name, gold_file in (
        ("citation-integrity", EVAL_DIR / "citation-integrity" / "claims_dev.jsonl"),
        ("check-covid", None),
    ):
        exs = others[name]
        ps, _ = _pairs(exs)
        js = judge_pairs(ps, scorer)
        if gold_file is not None:
            print(f"{name} dev: {json.dumps(score_file(gold_file, exs, js))}")
        else:
            print(f"{name} dev: {len(exs)} pairs, macro-F1 {_macro_by_label(exs, js):.4f}")

    if not args.quick:
        sample = pairs[:100]
        t0 = time.perf_counter()
        cold = MiniLMScorer(encoder=SentenceEncoder())
        t1 = time.perf_counter()
        judge_pairs(sample, cold)
        t2 = time.perf_counter()
        print(f"throughput, cold (fresh encoder, {len(sample)} SciFact dev pairs): "
              f"{len(sample) / (t2 - t1):.1f} pairs/s; model load {t1 - t0:.1f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
