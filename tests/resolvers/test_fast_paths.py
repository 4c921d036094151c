"""The resolver's speed shortcuts give the verdicts of the plain path, source for source.

Offline with an empty record store, :meth:`ServiceResolver._offline_miss_round` gives every
identifier lookup, and :meth:`ServiceResolver._offline_miss_search` every free-text citation,
its offline misses directly instead of going through the clients; the same
sources offline on a store that holds one unrelated answer take the plain path (store
queries, client rounds) and must come out identical.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from claimgraph.models import Source
from claimgraph.records import Author, Record, Update
from claimgraph.resolvers.base import Resolution
from claimgraph.resolvers.profiles import HttpSettings, build_http
from claimgraph.resolvers.service import ServiceResolver
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
    Source(id="bad-pmid", pmid="abc", title="Some work"),
    Source(id="bad-doi", doi="not a doi"),
    Source(id="url-doi", url="https://doi.org/10.1000/from-url", title="Linked"),
    Source(id="url-empty-doi", url="https://doi.org/", title="Nothing there"),
    Source(
        id="cited-doi",
        citation="Smith J. A study of things. J Things. 2020;3(4):1-9. doi:10.1000/cited",
    ),
    Source(
        id="reference",
        citation="Smith J, Jones K. A study of things. J Things. 2020;3(4):1-9.",
    ),
    Source(id="line", citation="Smith J. A study of things 2020."),
    Source(id="title-only", title="Magnesium and sleep"),
    Source(id="journal-year", journal="BMJ", year=2019),
    Source(id="nothing", kind="journal-article"),
]


def resolve_offline(cache: Path) -> tuple[dict[str, Resolution], bool]:
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
    with ServiceResolver(build_http(settings), store=store) as resolver:
        results = resolver.resolve(SOURCES)
        return results, resolver._all_missing


@pytest.mark.parametrize("store", ["absent", "empty"])
def test_offline_on_an_empty_store_equals_the_plain_path(tmp_path: Path, store: str) -> None:
    plain_cache, fast_cache = tmp_path / "plain", tmp_path / "fast"
    seeded = open_store(plain_cache, max_age=30 * 86400.0, offline=False)
    seeded.put_many({"pubmed:pmid:999999999": Answer()})  # not a source of SOURCES
    seeded.close()
    if store == "empty":
        open_store(fast_cache, max_age=30 * 86400.0, offline=False).close()
    plain, plain_shortcut = resolve_offline(plain_cache)
    fast, fast_shortcut = resolve_offline(fast_cache)
    assert not plain_shortcut and fast_shortcut
    assert list(fast) == list(plain)
    for key, resolution in plain.items():
        assert fast[key] == resolution, key
    assert len({r.message for r in plain.values()}) > 5  # the mix gives varied verdicts


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
