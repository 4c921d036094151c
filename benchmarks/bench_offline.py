"""Benchmark: ``claimgraph check --offline`` on a large project with an empty cache.

The workload of issue 11: 100,000 claims citing 0-4 each of 200,000 sources (kinds
journal-article, magazine, blog, website, government, book at random; one source in three
with a DOI; a fifth of the claims with a ``depends_on``), generated with the core benchmark's
generator. Runs the real command line (``claimgraph check --offline --format json --output
r.json``) in a child process with an empty ``CLAIMGRAPH_CACHE_DIR`` and prints its wall time
and peak memory (resident set size), next to the targets (10 s, 1.2 GB).

    python -m benchmarks.bench_offline [--claims N] [--sources N] [--runs N] [--warm]

``--warm`` first runs the same project once more offline, so that the timed run reads a
record store that exists (still empty: offline never writes).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_core import generate

TARGET_SECONDS = 10.0
TARGET_MB = 1200.0
KINDS = ["journal-article", "magazine", "blog", "website", "government", "book"]


def run_check(folder: Path, cache: Path) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, exit code) of one ``claimgraph check --offline``."""
    env = {**os.environ, "CLAIMGRAPH_CACHE_DIR": str(cache)}
    command = [
        sys.executable,
        "-m",
        "claimgraph",
        "check",
        "--offline",
        "--format",
        "json",
        "--output",
        str(folder / "r.json"),
        str(folder),
    ]
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if done.returncode not in (0, 1):
        print(done.stderr, file=sys.stderr)
    return seconds, peak, done.returncode


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--sources", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generate(
            folder,
            args.claims,
            args.sources,
            args.seed,
            kinds=KINDS,
            doi_share=1 / 3,
            pmid_share=0.0,
            citations_per_claim=(0, 1, 2, 3, 4),
            depends_share=0.2,
        )
        print(f"input: {args.claims:,} claims, {args.sources:,} sources; cache: empty")
        times = []
        for run in range(args.runs):
            cache = folder / f"cache-{run}"
            seconds, peak, code = run_check(folder, cache)
            times.append(seconds)
            report = json.loads((folder / "r.json").read_text(encoding="utf-8"))
            statuses: dict[str, int] = {}
            for source in report["sources"]:
                statuses[source["status"]] = statuses.get(source["status"], 0) + 1
            print(
                f"run {run + 1}: {seconds:6.2f} s, peak {peak:6.0f} MB, exit {code}, "
                f"source statuses {dict(sorted(statuses.items()))}"
            )
        best = min(times)
        ok = best <= TARGET_SECONDS and peak <= TARGET_MB
        print(
            f"{'PASS' if ok else 'FAIL'}: best {best:.2f} s (target {TARGET_SECONDS:.0f} s), "
            f"peak {peak:.0f} MB (target {TARGET_MB:.0f} MB)"
        )
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
