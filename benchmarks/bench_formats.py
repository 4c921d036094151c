"""Benchmark: each report format at 100,000 claims, through ``claimgraph check``.

The workload of ``benchmarks/bench_offline.py`` (100,000 claims citing 0-4 each of 200,000
sources). For each format, runs the real command line (``claimgraph check --offline --format
X --output r.X``) in a child process with an empty cache, and prints:

- render: wall and CPU time of writing the report (``cli.emit``: rendering the pieces and
  writing them to the file; the audit before it is the same for every format);
- peak: the child's peak resident set size over the whole run;

then checks the targets of issue 12: the text render within 10x the JSON render, the html
and sarif peaks within 1.3x the JSON run's.

    python -m benchmarks.bench_formats [--claims N] [--sources N] [--formats json,text,...]

Timings move with the machine's load; CPU figures are steadier. Run twice before trusting a
figure.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from benchmarks.bench_offline import generate_workload, run_cli_code

#: the console script in a child that times its ``cli.emit`` and reports its peak RSS
_CHILD = run_cli_code(
    "import time\n"
    "_emit = cli.emit\n"
    "def timed(text, output):\n"
    "    wall, cpu = time.perf_counter(), time.process_time()\n"
    "    _emit(text, output)\n"
    "    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu\n"
    "    print('emit-s', wall, cpu, file=sys.stderr)\n"
    "cli.emit = timed\n"
)
DEFAULT_FORMATS = ["json", "text", "html", "sarif"]
#: text render time at most this many times the JSON render's
TEXT_FACTOR = 10.0
#: html and sarif peak RSS at most this many times the JSON run's
PEAK_FACTOR = 1.3


class Run(NamedTuple):
    total: float
    render: float
    render_cpu: float
    peak_mb: float
    size_mb: float
    code: int


def run_format(folder: Path, fmt: str, cache: Path) -> Run:
    output = folder / f"r.{fmt}"
    env = {**os.environ, "CLAIMGRAPH_CACHE_DIR": str(cache)}
    command = [sys.executable, "-c", _CHILD, "check", "--offline", "--no-support"]
    command += ["--format", fmt, "--output", str(output), str(folder)]
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    total = time.perf_counter() - start
    if done.returncode not in (0, 1, 3):
        print(done.stderr, file=sys.stderr)
    emit = [line.split()[1:] for line in done.stderr.splitlines() if line.startswith("emit-s ")]
    peaks = [line.split()[1] for line in done.stderr.splitlines() if line.startswith("peak-kb ")]
    render, render_cpu = (float(emit[-1][0]), float(emit[-1][1])) if emit else (0.0, 0.0)
    peak = int(peaks[-1]) / 1024 if peaks else float("nan")
    size = output.stat().st_size / 1e6 if output.exists() else 0.0
    output.unlink(missing_ok=True)
    return Run(total, render, render_cpu, peak, size, done.returncode)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--sources", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--formats", default=",".join(DEFAULT_FORMATS))
    args = parser.parse_args()
    formats = [name.strip() for name in args.formats.split(",") if name.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generate_workload(folder, args.claims, args.sources, args.seed)
        print(f"input: {args.claims:,} claims, {args.sources:,} sources; cache: empty")
        runs: dict[str, Run] = {}
        for fmt in formats:
            run = runs[fmt] = run_format(folder, fmt, folder / f"cache-{fmt}")
            print(
                f"{fmt:>8}: render {run.render:6.2f} s ({run.render_cpu:6.2f} s CPU), "
                f"peak {run.peak_mb:6.0f} MB, output {run.size_mb:6.1f} MB, "
                f"whole run {run.total:6.2f} s, exit {run.code}"
            )
        ok = True
        if "json" in runs:
            json_run = runs["json"]
            if "text" in runs:
                factor = runs["text"].render_cpu / max(json_run.render_cpu, 1e-9)
                passed = factor <= TEXT_FACTOR
                ok &= passed
                print(
                    f"{'PASS' if passed else 'FAIL'}: text render {factor:.1f}x the JSON "
                    f"render's CPU time (target <= {TEXT_FACTOR:.0f}x)"
                )
            for fmt in ("html", "sarif"):
                if fmt in runs:
                    factor = runs[fmt].peak_mb / json_run.peak_mb
                    passed = factor <= PEAK_FACTOR
                    ok &= passed
                    print(
                        f"{'PASS' if passed else 'FAIL'}: {fmt} peak {factor:.2f}x the JSON "
                        f"run's (target <= {PEAK_FACTOR}x)"
                    )
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
