"""Benchmark: ``claimgraph check --offline`` on a large project with an empty cache.

The workload of issue 11: 100,000 claims citing 0-4 each of 200,000 sources (kinds
journal-article, magazine, blog, website, government, book at random; one source in three
with a DOI; a fifth of the claims with a ``depends_on``), generated with the core benchmark's
generator. Runs the real command line (``claimgraph check --offline --format json --output
r.json``) in a child process with an empty ``CLAIMGRAPH_CACHE_DIR`` and prints its wall time
and peak memory (resident set size), next to the targets (10 s, 1.2 GB).

    python -m benchmarks.bench_offline [--claims N] [--sources N] [--runs N]

The timings move with the machine's load: compare with ``benchmarks/bench_core.py`` (the same
audit without a resolver) run right before or after.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, NamedTuple

from benchmarks.bench_core import generate

#: child code: wraps the console script's exit so that, just before the process ends, it
#: prints ``peak-kb N`` (its own peak RSS: VmHWM, not ru_maxrss, which Linux carries over
#: exec from the forking parent, a benchmark holding the last report) and ``cpu-s N``
_PRINT_AT_EXIT = (
    "import sys, resource\n"
    "import claimgraph.cli as cli\n"
    "_exit_now = cli.exit_now\n"
    "def exit_now(code):\n"
    "    usage = resource.getrusage(resource.RUSAGE_SELF)\n"
    "    peak = usage.ru_maxrss\n"
    "    try:\n"
    "        peak = int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0])\n"
    "    except (OSError, IndexError, ValueError):\n"
    "        pass\n"
    "    print('peak-kb', peak, file=sys.stderr)\n"
    "    print('cpu-s', usage.ru_utime + usage.ru_stime, file=sys.stderr)\n"
    "    _exit_now(code)\n"
    "cli.exit_now = exit_now\n"
)


def run_cli_code(before: str = "") -> str:
    """Child code for ``python -c``: the console script as users run it
    (``claimgraph.cli.run``: main, then its fast exit), printing its peak memory and CPU
    time to stderr just before the process ends; ``before`` (child code, which may use
    ``cli``) runs first."""
    return _PRINT_AT_EXIT + before + "cli.run()\n"


_CHILD = run_cli_code(
    "import contextlib, os\n"
    "import claimgraph.app as app\n"
    "if os.environ.get('BENCH_NO_RESOLVER'):\n"
    "    from claimgraph.resolvers.base import NotCheckedResolver\n"
    "    app.open_resolver = lambda *a, **k: contextlib.nullcontext(NotCheckedResolver())\n"
)
TARGET_SECONDS = 10.0
TARGET_MB = 1200.0
KINDS = ["journal-article", "magazine", "blog", "website", "government", "book"]


def generate_workload(folder: Path, claims: int, sources: int, seed: int) -> None:
    """Issue 11's project in ``folder``: claims citing 0-4 sources each, mixed kinds, a third
    with a DOI, a fifth of the claims with a ``depends_on``."""
    generate(
        folder,
        claims,
        sources,
        seed,
        kinds=KINDS,
        doi_share=1 / 3,
        pmid_share=0.0,
        citations_per_claim=(0, 1, 2, 3, 4),
        depends_share=0.2,
    )


def report_summary(head: str) -> dict[str, Any]:
    """The ``summary`` object of a JSON report, read from its first characters (it comes
    before the claims).

    A benchmark never parses a whole report: loading a 300 MB report between two runs made
    the next run 1-2 s slower on this VM (the memory it takes and frees is slow to touch
    again), measured with and without it.
    """
    found = re.search(r'"summary"\s*:\s*', head)
    if found is None:
        raise ValueError("no summary at the start of the report")
    summary: dict[str, Any] = json.JSONDecoder().raw_decode(head, found.end())[0]
    return summary


def report_head(path: Path, size: int = 1 << 16) -> str:
    """The first characters of a report file (where its summary is)."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        return handle.read(size)


class Run(NamedTuple):
    seconds: float
    peak_mb: float
    code: int
    #: user + system CPU of the child: steadier than wall time on a shared machine
    cpu: float


def run_check(folder: Path, cache: Path, *, resolver: bool = True) -> Run:
    """Wall time, peak RSS, exit code and CPU time of one ``claimgraph check --offline``;
    without ``resolver`` the same audit with every checkable source left unchecked (the core
    path)."""
    env = {**os.environ, "CLAIMGRAPH_CACHE_DIR": str(cache)}
    if not resolver:
        env["BENCH_NO_RESOLVER"] = "1"
    command = [
        sys.executable,
        "-c",
        _CHILD,
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
    peaks = [line.split()[1] for line in done.stderr.splitlines() if line.startswith("peak-kb ")]
    peak = int(peaks[-1]) / 1024 if peaks else float("nan")
    cpus = [line.split()[1] for line in done.stderr.splitlines() if line.startswith("cpu-s ")]
    if done.returncode not in (0, 1):
        print(done.stderr, file=sys.stderr)
    return Run(seconds, peak, done.returncode, float(cpus[-1]) if cpus else float("nan"))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--sources", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument(
        "--compare", action="store_true", help="also time the audit without a resolver, alternately"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generate_workload(folder, args.claims, args.sources, args.seed)
        print(f"input: {args.claims:,} claims, {args.sources:,} sources; cache: empty")
        times, peaks = [], []
        for run in range(args.runs):
            cache = folder / f"cache-{run}"
            seconds, peak, code, cpu = run_check(folder, cache)
            times.append(seconds)
            peaks.append(peak)
            statuses = report_summary(report_head(folder / "r.json"))["sources_by_status"]
            print(
                f"run {run + 1}: {seconds:6.2f} s ({cpu:5.2f} s CPU), peak {peak:6.0f} MB, "
                f"exit {code}, "
                f"source statuses {dict(sorted(statuses.items()))}"
            )
            if args.compare:
                core = run_check(folder, folder / f"core-{run}", resolver=False)
                print(
                    f"  same audit without a resolver: {core.seconds:6.2f} s "
                    f"({core.cpu:5.2f} s CPU), peak {core.peak_mb:6.0f} MB"
                )
        best, peak = min(times), max(peaks)
        ok = best <= TARGET_SECONDS and peak <= TARGET_MB
        print(
            f"{'PASS' if ok else 'FAIL'}: best {best:.2f} s (target {TARGET_SECONDS:.0f} s), "
            f"peak {peak:.0f} MB (target {TARGET_MB:.0f} MB)"
        )
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
