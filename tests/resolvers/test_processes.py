"""Two claimgraph processes sharing a cache folder stay within the services' limits together.

Both run ``claimgraph resolve`` at once against the local fake E-utilities and Crossref of
the benchmarks, which enforce the documented limits (NCBI 3 requests/s without a key,
Crossref's polite pool 3 list requests/s and 3 connections) by answering 429, and count
every request and every violation.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.fake_services import FakeServices, WorkUniverse

UNIVERSE = WorkUniverse(size=2000)


@pytest.fixture
def fake() -> Iterator[FakeServices]:
    with FakeServices(UNIVERSE, latency=0.02, enforce_limits=True) as services:
        yield services


def _project(folder: Path, first: int) -> Path:
    folder.mkdir()
    works = [w for p in UNIVERSE.pmids(first, 660) if (w := UNIVERSE.work(p))]
    sources = [{"id": f"p{w.pmid}", "kind": "journal-article", "pmid": w.pmid} for w in works]
    sources[600:] = [{"id": f"d{w.pmid}", "doi": w.doi} for w in works[600:]]
    claims = [{"id": "c", "text": "A claim.", "sources": [s["id"] for s in sources]}]
    (folder / "claims.json").write_text(json.dumps({"claims": claims}))
    (folder / "sources.json").write_text(json.dumps({"sources": sources}))
    return folder


def test_two_processes_share_the_rate_limits(fake: FakeServices, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "CLAIMGRAPH_CACHE_DIR": str(tmp_path / "cache"),
        "CLAIMGRAPH_PUBMED_URL": fake.pubmed_url,
        "CLAIMGRAPH_CROSSREF_URL": fake.crossref_url,
        "CLAIMGRAPH_EMAIL": "auditor@example.org",
    }
    env.pop("NCBI_API_KEY", None)
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "claimgraph", "resolve", "-q"],
            cwd=_project(tmp_path / name, first),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, first in (("one", 0), ("two", 1000))
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
        assert out.count("verified") + out.count("retracted") >= 650, out
    stats = fake.stats()
    pubmed = sum(c.requests for name, c in stats.items() if name.startswith("pubmed"))
    assert pubmed >= 8  # enough requests at once to go past 3/s without sharing
    assert fake.total_rate_limited() == 0, stats
