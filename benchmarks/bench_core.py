"""Benchmark: load -> graph -> rules -> JSON report on a large synthetic project.

Generates claims.json and sources.json (default 100,000 claims, 200,000 sources, random
citations and dependencies) in a temporary folder, then times each stage and prints seconds and
peak memory (resident set size). No network: checkable sources are left unverified.

    python benchmarks/bench_core.py [--claims N] [--sources N] [--seed S] [--no-gc-pause]

``--no-gc-pause`` runs loading and the audit with the garbage collector on, to measure what
:func:`claimgraph.memory.gc_paused` saves.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from claimgraph.audit import audit
from claimgraph.formats import render
from claimgraph.models import load_project

KINDS = [
    "journal-article",
    "journal-article",
    "journal-article",
    "magazine",
    "blog",
    "website",
    "government",
    "book",
]


def generate(
    folder: Path,
    n_claims: int,
    n_sources: int,
    seed: int,
    *,
    kinds: list[str] = KINDS,
    doi_share: float = 0.0,
    pmid_share: float = 0.7,
    citations_per_claim: tuple[int, ...] = (0, 1, 1, 2, 3),
    depends_share: float | None = None,
) -> tuple[Path, Path]:
    """Write claims.json and sources.json. ``pmid_share`` of journal articles carry a PMID,
    ``doi_share`` of all sources a DOI; each claim cites ``rng.choice(citations_per_claim)``
    sources, and ``depends_share`` of the claims (default: one in four, drawn as before)
    depend on an earlier claim."""
    rng = random.Random(seed)
    sources = []
    for i in range(n_sources):
        kind = rng.choice(kinds)
        source: dict[str, object] = {
            "id": f"s{i}",
            "kind": kind,
            "title": f"Study number {i}",
            "year": rng.randint(1960, 2025),
        }
        if kind == "journal-article" and rng.random() < pmid_share:
            source["pmid"] = str(10_000_000 + i)
        if doi_share and rng.random() < doi_share:
            source["doi"] = f"10.5555/bench.{i}"
        sources.append(source)
    claims = []
    for i in range(n_claims):
        count = rng.choice(citations_per_claim)
        cited = [f"s{rng.randrange(n_sources)}" for _ in range(count)]
        if rng.random() < 0.001:
            cited.append(f"missing{i}")
        if depends_share is None:
            depends = [f"c{rng.randrange(i)}" for _ in range(rng.choice([0, 0, 0, 1]))] if i else []
        else:
            depends = [f"c{rng.randrange(i)}"] if i and rng.random() < depends_share else []
        if rng.random() < 0.0005 and i > 10:
            depends.append(f"c{i + 1}" if i + 1 < n_claims else "c0")  # occasional cycles
        claims.append(
            {
                "id": f"c{i}",
                "text": f"Claim number {i} about magnesium.",
                "sources": cited,
                "depends_on": depends,
            }
        )
    claims_path, sources_path = folder / "claims.json", folder / "sources.json"
    claims_path.write_text(json.dumps({"claims": claims}), encoding="utf-8")
    sources_path.write_text(json.dumps({"sources": sources}), encoding="utf-8")
    return claims_path, sources_path


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 1024 / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--sources", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-gc-pause", action="store_true", help="keep the collector on")
    args = parser.parse_args()
    if args.no_gc_pause:
        for module in ("claimgraph.models", "claimgraph.audit"):
            vars(sys.modules[module])["gc_paused"] = contextlib.nullcontext
    with tempfile.TemporaryDirectory() as tmp:
        claims_path, sources_path = generate(Path(tmp), args.claims, args.sources, args.seed)
        size_mb = (claims_path.stat().st_size + sources_path.stat().st_size) / 1e6
        print(f"input: {args.claims:,} claims, {args.sources:,} sources ({size_mb:.1f} MB JSON)")
        base_rss = peak_rss_mb()
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu_before = usage.ru_utime + usage.ru_stime
        start = time.perf_counter()
        project = load_project(claims_path, sources_path)
        loaded = time.perf_counter()
        report = audit(project, offline=True)
        audited = time.perf_counter()
        del project  # as `claimgraph check` does: the inputs are freed before rendering (timed)
        text = render(report, "json")
        rendered = time.perf_counter()
    print(f"load            {loaded - start:6.2f} s")
    print(f"graph + rules   {audited - loaded:6.2f} s  ({len(report.findings):,} findings)")
    print(
        f"JSON report     {rendered - audited:6.2f} s  ({len(text) / 1e6:.0f} MB; freeing the inputs included)"
    )
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    # CPU time is steadier than wall time on a shared machine
    print(f"total           {rendered - start:6.2f} s  ({cpu:.2f} s CPU)")
    print(f"peak memory     {peak_rss_mb():6.0f} MB (before load: {base_rss:.0f} MB)")


if __name__ == "__main__":
    main()
