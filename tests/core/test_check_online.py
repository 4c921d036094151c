"""End to end: ``claimgraph check`` against local stand-ins for E-utilities and Crossref.

The fake services (benchmarks/fake_services.py) answer in the shapes of the real recorded
responses and enforce the documented rate limits; nothing leaves 127.0.0.1.
"""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.fake_services import FakeServices, WorkUniverse
from claimgraph.cli import main


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeServices]:
    with FakeServices(WorkUniverse(size=40), latency=0.0) as services:
        yield services


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake: FakeServices) -> Path:
    universe = fake.universe
    observational = universe.work(universe.first_pmid)
    review = universe.work(universe.first_pmid + 1)
    retracted = universe.work(universe.first_pmid + 17)
    assert observational and review and retracted and retracted.retracted
    sources = [
        {
            "id": "obs",
            "pmid": observational.pmid,
            "title": observational.title,
            "year": observational.year,
            "note": "kept",
        },
        {"id": "review-by-doi", "doi": f"https://doi.org/{review.doi}", "title": review.title},
        {"id": "wrong-year", "pmid": review.pmid, "title": review.title, "year": review.year - 3},
        {"id": "gone", "pmid": "39999999", "title": "A study that was never published"},
        {"id": "retracted", "pmid": retracted.pmid},
        {"id": "magazine", "kind": "magazine", "title": "Ten signs you need magnesium"},
    ]
    claims = [
        {
            "id": "c-obs",
            "text": "Magnesium is linked to fewer eyelid twitches.",
            "sources": ["obs"],
        },
        {
            "id": "c-review",
            "text": "Omega-3 eases anxiety.",
            "sources": ["review-by-doi", "wrong-year"],
        },
        {"id": "c-gone", "text": "X cures Y.", "sources": ["gone"]},
        {"id": "c-retracted", "text": "Mindfulness lowers blood sugar.", "sources": ["retracted"]},
        {"id": "c-magazine", "text": "Twitches mean low magnesium.", "sources": ["magazine"]},
    ]
    (tmp_path / "claims.json").write_text(json.dumps({"claims": claims}, indent=2))
    (tmp_path / "sources.json").write_text(json.dumps({"sources": sources}, indent=2))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CLAIMGRAPH_PUBMED_URL", fake.pubmed_url)
    monkeypatch.setenv("CLAIMGRAPH_CROSSREF_URL", fake.crossref_url)
    monkeypatch.setenv("CLAIMGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CLAIMGRAPH_EMAIL", "tests@example.org")
    return tmp_path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(["check", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def test_check_online_then_offline_from_the_cache(
    project: Path, fake: FakeServices, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = _run(capsys)
    sources = {s["id"]: s for s in report["sources"]}
    claims = {c["id"]: c for c in report["claims"]}
    assert code == 1
    assert sources["obs"]["status"] == "verified"
    assert sources["obs"]["evidence"] == "observational"
    assert sources["obs"]["record"]["publication_types"] == [
        "Journal Article",
        "Observational Study",
    ]
    assert sources["review-by-doi"]["status"] == "verified"
    assert sources["review-by-doi"]["evidence"] == "review"
    assert sources["review-by-doi"]["pmid"]  # found through PubMed by its DOI
    assert sources["wrong-year"]["status"] == "mismatch"
    assert any(d["field"] == "year" for d in sources["wrong-year"]["differences"])
    assert sources["gone"]["status"] == "not_found"
    assert sources["retracted"]["status"] == "retracted"
    assert sources["magazine"]["status"] == "not_checkable"
    assert claims["c-obs"]["status"] == "supported"
    assert claims["c-review"]["status"] == "supported"
    assert claims["c-gone"]["status"] == "broken"
    assert claims["c-retracted"]["status"] == "broken"
    assert claims["c-magazine"]["status"] == "anecdotal_only"
    rules = {f["rule"] for f in report["findings"]}
    assert {
        "citation-not-found",
        "citation-mismatch",
        "retracted-source",
        "anecdotal-only",
    } <= rules
    assert report["summary"]["unreachable"] == []

    before = sum(counts.requests for counts in fake.stats().values())
    code, offline = _run(capsys, "--offline")
    assert sum(counts.requests for counts in fake.stats().values()) == before  # zero requests
    assert code == 1
    assert [s["status"] for s in offline["sources"]] == [s["status"] for s in report["sources"]]


def test_lock_file_makes_ci_runs_reproducible(
    project: Path, fake: FakeServices, capsys: pytest.CaptureFixture[str]
) -> None:
    code, first = _run(capsys, "--update-lock")
    assert code == 1
    capsys.readouterr()
    lock = json.loads((project / "claimgraph.lock").read_text())
    assert "obs" in json.dumps(lock)
    before = sum(counts.requests for counts in fake.stats().values())
    code, locked = _run(capsys, "--locked")
    assert code == 1
    assert sum(counts.requests for counts in fake.stats().values()) == before
    assert [s["status"] for s in locked["sources"]] == [s["status"] for s in first["sources"]]
