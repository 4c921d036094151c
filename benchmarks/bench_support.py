"""Support checker speed: pairs per second cold, a warm re-run, and --jobs.

    python benchmarks/bench_support.py [--pairs 200] [--jobs 2]

Pairs are SciFact dev claims with their cited abstracts (read from ../shared/eval at run time;
skipped with a message when it is absent). "Cold" means a fresh process-level encoder with
nothing cached: every claim, title and abstract sentence is encoded. Loading the model is
timed apart. The warm run goes through the judgement cache (a fresh cache folder), as a
second ``claimgraph check`` would.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description="support checker speed")
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    from support_data import EVAL_DIR, load_split  # type: ignore[import-not-found]

    if not EVAL_DIR.is_dir():
        print(f"skipped: {EVAL_DIR} is absent")
        return 0
    from claimgraph.support.checker import SupportChecker
    from claimgraph.support.encoder import SentenceEncoder
    from claimgraph.support.judge import MiniLMScorer, SupportPair, judge_pairs

    examples = load_split("scifact", "dev")[: args.pairs]
    pairs = [
        SupportPair(str(i), e.claim, " ".join(e.doc.sentences), e.doc.title)
        for i, e in enumerate(examples)
    ]
    sentences = sum(len(e.doc.sentences) for e in examples)
    t0 = time.perf_counter()
    scorer = MiniLMScorer(encoder=SentenceEncoder())
    t1 = time.perf_counter()
    judge_pairs(pairs, scorer)
    t2 = time.perf_counter()
    cold = len(pairs) / (t2 - t1)
    print(f"cold: {len(pairs)} pairs ({sentences} abstract sentences) in {t2 - t1:.1f} s = "
          f"{cold:.1f} pairs/s; model load {t1 - t0:.1f} s")  # fmt: skip
    print(f"  a 1,000-edge project, cold: about {1000 / cold / 60:.1f} min (target <= 4)")

    with tempfile.TemporaryDirectory() as cache:
        checker = SupportChecker(Path(cache))
        checker.judge(pairs)
        t3 = time.perf_counter()
        again = SupportChecker(Path(cache))
        again.judge(pairs)
        t4 = time.perf_counter()
        print(f"warm (judgement cache): {len(pairs)} pairs in {t4 - t3:.2f} s, "
              f"{again.judged} judged again, {again.cached} from the cache")  # fmt: skip

    if args.jobs > 1:
        t5 = time.perf_counter()
        judge_pairs(pairs, jobs=args.jobs)
        t6 = time.perf_counter()
        print(f"--jobs {args.jobs} (cold workers, model load included): {len(pairs)} pairs in "
              f"{t6 - t5:.1f} s = {len(pairs) / (t6 - t5):.1f} pairs/s")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
