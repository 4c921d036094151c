"""Benchmark: how long the command line takes to start, and what a JSON-input check imports.

Runs each command in a fresh interpreter (best of ``--runs``, wall-clock seconds) and reports
the modules ``-X importtime`` shows for a ``check`` of the bundled claims.json/sources.json.
Targets: ``claimgraph --version`` and ``claimgraph --help`` under 0.2 s; a JSON-input
``check`` imports none of the draft extractors. No network (the check runs ``--offline``).

    python benchmarks/bench_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {
    "python -c pass (the floor)": ["-c", "pass"],
    "claimgraph --version": ["-m", "claimgraph", "--version"],
    "claimgraph --help": ["-m", "claimgraph", "--help"],
    "claimgraph check --offline -f json": ["-m", "claimgraph", "check", "--offline", "-f", "json"],
}
#: what a check of claims.json + sources.json must not load
DRAFT_ONLY = ("claimgraph.extract", "markdown_it", "bs4")


def best_time(args: list[str], cwd: Path, env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return min(times)


def imported_modules(args: list[str], cwd: Path, env: dict[str, str]) -> list[str]:
    run = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return [
        line.rsplit("|", 1)[-1].strip()
        for line in run.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for name in ("claims.json", "sources.json"):
            shutil.copy(ROOT / name, work / name)
        env = {**os.environ, "CLAIMGRAPH_CACHE_DIR": str(work / "cache"), "NO_COLOR": "1"}
        print(f"start-up, best of {options.runs} runs (wall clock):")
        for label, args in COMMANDS.items():
            print(f"  {label:<40} {best_time(args, work, env, options.runs):6.3f} s")
        modules = imported_modules(COMMANDS["claimgraph check --offline -f json"], work, env)
        ours = [m for m in modules if m.startswith("claimgraph")]
        draft_only = sorted(
            m for m in modules if any(m == p or m.startswith(p + ".") for p in DRAFT_ONLY)
        )
        print(f"JSON-input check: {len(modules)} modules imported, {len(ours)} of claimgraph")
        shown = ", ".join(draft_only[:4]) + (", ..." if len(draft_only) > 4 else "")
        print(f"  draft-extractor modules imported: {len(draft_only)} ({shown or 'none'})")
        version_modules = imported_modules(COMMANDS["claimgraph --version"], work, env)
        print(
            f"--version: {len(version_modules)} modules imported, "
            f"{sum(m.startswith('claimgraph') for m in version_modules)} of claimgraph"
        )


if __name__ == "__main__":
    main()
