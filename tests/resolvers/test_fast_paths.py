"""The resolver's speed shortcuts give the verdicts of the plain path, source for source.

Offline, the sources the record store holds nothing about get their verdicts straight from
the sources (:mod:`claimgraph.resolvers.offline`, :meth:`ServiceResolver._unasked_round`);
the same sources through the plain rounds (:meth:`ServiceResolver._asked_rounds`: store
queries, client rounds, offline misses) must come out identical, on an absent, an empty and a
partly warm store.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from claimgraph.models import Source
from claimgraph.records import Author, Record, Update
from claimgraph.resolvers.base import Resolution
from claimgraph.resolvers.profiles import HttpSettings, build_http
from claimgraph.resolvers.service import ServiceResolver, _search_query
from claimgraph.resolvers.verdicts import prepare
from claimgraph.store import Answer, open_store

SOURCES = [
    Source(id="pmid", pmid="16855421", title="A title", year=2006),
    Source(id="pmid-url", pmid="PMID: 16855421", url="https://pubmed.ncbi.nlm.nih.gov/9/"),
    Source(id="doi", doi="10.1000/ABC.Def"),
    Source(id="doi-link", doi="https://doi.org/10.1000/xyz"),
    Source(id="pmcid", pmcid="PMC3531190"),
    Source(id="pmid-pmcid", pmid="123", pmcid="PMC3531190"),
    Source(id="pmid-doi", pmid="123", doi="10.1000/x"),
    Source(id="all", pmid="5", doi="10.1000/y", pmcid="PMC1"),
    Source(id="pmcid-doi", pmcid="PMC77", doi="10.1000/pmc-doi"),
    Source(id="bad-pmid", pmid="abc", title="Some work"),
    Source(id="bad-pmid-alone", pmid="abc"),
    Source(id="bad-doi", doi="not a doi"),
    Source(id="bad-doi-good-pmid", doi="not a doi", pmid="777"),
    Source(id="bad-pmcid-journal", pmcid="PMCX", journal="BMJ", year=2019, volume="3"),
    Source(
        id="bad-doi-citation",
        doi="nope",
        citation="Smith J. A study of things. J Things. 2020;3(4):1-9. doi:10.1000/cited",
    ),
    Source(id="url-doi", url="https://doi.org/10.1000/from-url", title="Linked"),
    Source(id="url-pmid", url="https://pubmed.ncbi.nlm.nih.gov/424242/"),
    Source(id="url-other", url="https://doi.org/10.1000/other", doi="10.1000/mine"),
    Source(id="url-empty-doi", url="https://doi.org/", title="Nothing there"),
    Source(
        id="cited-doi",
        citation="Smith J. A study of things. J Things. 2020;3(4):1-9. doi:10.1000/cited",
    ),
    Source(id="cited-pmid", citation="Doe A. Another study. Lancet. 2001. PMID: 11111111"),
    Source(
        id="reference",
        citation="Smith J, Jones K. A study of things. J Things. 2020;3(4):1-9.",
    ),
    Source(id="line", citation="Smith J. A study of things 2020."),
    Source(id="title-only", title="Magnesium and sleep"),
    Source(id="title-author", title="Zinc and colds", authors=["Doe A"], year=2010),
    Source(id="journal-year", journal="BMJ", year=2019),
    Source(id="journal-volume", journal="BMJ", year=2019, volume="7", pages="12-19"),
    Source(id="nothing", kind="journal-article"),
    Source(id="website", kind="website", url="https://example.org/page", title="A page"),
    Source(id="blog", kind="blog", title="A blog post", doi="10.1000/blog"),
]

PUBMED_RECORD = Record(service="pubmed", pmid="16855421", title="A title", year=2006)
CROSSREF_RECORD = Record(
    service="crossref",
    doi="10.1000/abc.def",
    title="Another title",
    authors=(Author(family="Smith", given="John"),),
    year=2020,
)


def warm_answers() -> dict[str, Answer]:
    """Answers for some of SOURCES: records, "does not exist", and a search hit."""
    title_only = next(s for s in SOURCES if s.id == "title-only")
    query = _search_query(prepare(title_only).cited)
    return {
        "pubmed:pmid:16855421": Answer(records=(PUBMED_RECORD,)),
        "crossref:doi:10.1000/abc.def": Answer(records=(CROSSREF_RECORD,)),
        "pubmed:pmid:123": Answer(),  # does not exist
        "pubmed:pmid:5": Answer(),
        "crossref:doi:10.1000/blog": Answer(agency="datacite"),
        f"crossref:query:{query.key}": Answer(
            records=(Record(service="crossref", doi="10.1000/mg", title="Magnesium and sleep"),),
        ),
        "pubmed:pmid:999999999": Answer(),  # not a source of SOURCES
    }


def offline_resolver(cache: Path) -> ServiceResolver:
    settings = HttpSettings(
        pubmed_url="http://127.0.0.1:9/pubmed",
        crossref_url="http://127.0.0.1:9/crossref",
        email=None,
        ncbi_api_key=None,
        cache_dir=cache,
        cache_max_age=datetime.timedelta(days=30),
        offline=True,
    )
    store = open_store(cache, max_age=30 * 86400.0, offline=True)
    return ServiceResolver(build_http(settings), store=store)


def plain(cache: Path) -> dict[str, Resolution]:
    """Every source through the rounds, none through the shortcut."""
    with offline_resolver(cache) as resolver:
        results: dict[str, Resolution] = {}
        resolver._asked_rounds(SOURCES, results, len(SOURCES))
        return {source.id: results[source.id] for source in SOURCES}


@pytest.mark.parametrize("store", ["absent", "empty", "unrelated", "warm"])
def test_offline_shortcut_equals_the_plain_path(tmp_path: Path, store: str) -> None:
    cache = tmp_path / "cache"
    if store != "absent":
        seeded = open_store(cache, max_age=30 * 86400.0, offline=False)
        answers = warm_answers()
        if store == "unrelated":
            answers = {"pubmed:pmid:999999999": Answer()}
        if store != "empty":
            seeded.put_many(answers)
        seeded.close()
    expected = plain(cache)
    with offline_resolver(cache) as resolver:
        fast = resolver.resolve(SOURCES)
        asked = resolver._unasked_round(SOURCES, {})
    assert list(fast) == list(expected)
    for key, resolution in expected.items():
        assert fast[key] == resolution, key
    assert len({r.message for r in expected.values()}) > 8  # the mix gives varied verdicts
    if store == "warm":
        # the sources the store knows took the rounds, the rest the shortcut
        assert {s.id for s in asked} == {
            "pmid", "pmid-url", "doi", "pmid-pmcid", "pmid-doi", "all", "title-only", "blog"
        }  # fmt: skip
        statuses = {fast[k].status.value for k in ("pmid", "doi", "pmid-doi", "title-only")}
        assert statuses - {"unverifiable"}  # the warm answers made a difference
    else:
        assert asked == []


def test_offline_shortcut_reports_equal_the_plain_path(tmp_path: Path) -> None:
    """The JSON report of the repository's own project joined with SOURCES (each cited by a
    claim), through the CLI with and without the shortcut, on a partly warm store."""
    root = Path(__file__).parents[2]
    own_claims = json.loads((root / "claims.json").read_text(encoding="utf-8"))["claims"]
    own_sources = json.loads((root / "sources.json").read_text(encoding="utf-8"))["sources"]
    mixed = [s.model_dump(mode="json", exclude_none=True) for s in SOURCES]
    claims = own_claims + [
        {"id": f"claim-{s.id}", "text": f"A claim citing {s.id}.", "sources": [s.id]}
        for s in SOURCES
    ]
    project = tmp_path / "project"
    project.mkdir()
    (project / "claims.json").write_text(json.dumps({"claims": claims}), encoding="utf-8")
    (project / "sources.json").write_text(
        json.dumps({"sources": own_sources + mixed}), encoding="utf-8"
    )
    code = (
        "import sys\n"
        "from claimgraph.resolvers.service import ServiceResolver\n"
        "if sys.argv[1] == 'plain':\n"
        "    ServiceResolver._unasked_round = lambda self, sources, results: list(sources)\n"
        "from claimgraph.cli import main\n"
        "sys.exit(main(sys.argv[2:]))\n"
    )

    def report(path: str) -> bytes:
        cache = tmp_path / f"cache-{path}"
        seeded = open_store(cache, max_age=30 * 86400.0, offline=False)
        seeded.put_many(warm_answers())
        seeded.close()
        out = tmp_path / f"{path}.json"
        command = [sys.executable, "-c", code, path, "check", "--offline", "--format", "json"]
        env = {**os.environ, "CLAIMGRAPH_CACHE_DIR": str(cache), "PYTHONHASHSEED": "0"}
        run = subprocess.run(
            [*command, "--output", str(out), "."], env=env, cwd=project, check=False
        )
        assert run.returncode in (0, 1)
        return out.read_bytes()

    fast = report("fast")
    assert fast == report("plain")
    assert b"claim-bad-doi-citation" in fast and b"good-health-2014" in fast


def plain_merge(first: Record, other: Record) -> Record:
    """Record.merged_with as it was written before it copied only the changed fields."""
    data = dict(first.__dict__)
    for key, value in other.__dict__.items():
        if key == "service":
            continue
        if key in ("updates", "comments_corrections", "publication_types", "mesh"):
            merged = list(data[key])
            merged += [item for item in value if item not in merged]
            data[key] = tuple(merged)
        elif data.get(key) in (None, (), ""):
            data[key] = value
    return Record.model_validate(data)


RECORDS = [
    Record(
        service="pubmed",
        pmid="1",
        title="A title",
        authors=(Author(family="Smith", initials="J"),),
        publication_types=("Journal Article", "Retracted Publication"),
        mesh=("Humans",),
        comments_corrections=(("RetractionIn", "9"),),
        volume="",
    ),
    Record(
        service="crossref",
        doi="10.1000/x",
        title="Another title",
        authors=(Author(family="Smith", given="John"), Author(family="Doe")),
        journal="J Things",
        year=2020,
        volume="3",
        pages="",
        updates=(Update(type="retraction", origin="crossref", doi="10.1000/r"),),
        publication_types=("Journal Article",),
        url="https://doi.org/10.1000/x",
    ),
    Record(service="crossref", doi="10.1000/y", pages=None, issue="", abstract="Text"),
    Record(service="pubmed", pmid="2"),
]


@pytest.mark.parametrize("first", RECORDS)
@pytest.mark.parametrize("other", RECORDS)
def test_merged_records_equal_the_plain_merge(first: Record, other: Record) -> None:
    merged = first.merged_with(other)
    assert merged == plain_merge(first, other)
    assert merged.model_dump() == plain_merge(first, other).model_dump()
