"""Edits to sources.json keep what was resolved: the record store holds answers per
identifier and per query, so adding, removing or reordering sources never changes another
source's verdict offline, and online costs only the requests the new sources need.

Runs the real resolver against the local fake E-utilities and Crossref of the benchmarks,
which count every request.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.fake_services import FakeServices, WorkUniverse
from claimgraph.levels import SourceStatus
from claimgraph.models import Source
from claimgraph.resolvers.base import Resolution
from claimgraph.resolvers.profiles import HttpSettings, build_http
from claimgraph.resolvers.service import ServiceResolver
from claimgraph.store import open_store

UNIVERSE = WorkUniverse(size=400)


@pytest.fixture
def fake() -> Iterator[FakeServices]:
    with FakeServices(UNIVERSE, latency=0.0, enforce_limits=False) as services:
        yield services


def resolve(
    fake: FakeServices,
    cache: Path,
    sources: list[Source],
    *,
    offline: bool = False,
    refresh: bool = False,
    email: str = "auditor@example.org",
    api_key: str = "key",
) -> dict[str, Resolution]:
    settings = HttpSettings(
        pubmed_url=fake.pubmed_url,
        crossref_url=fake.crossref_url,
        email=email,
        ncbi_api_key=api_key,
        cache_dir=cache,
        cache_max_age=datetime.timedelta(days=30),
        offline=offline,
        refresh=refresh,
        backoff_base=0.001,
    )
    client = build_http(settings)
    for service in ("pubmed", "crossref"):
        client.policy(service).single.set_rate(1000.0)
        client.policy(service).list.set_rate(1000.0)
    store = open_store(cache, max_age=30 * 86400.0, offline=offline)
    resolver = ServiceResolver(client, store=store)
    try:
        return resolver.resolve(sources)
    finally:
        resolver.close()


def project(first: int = 0) -> list[Source]:
    """PMIDs with their fields, DOI-only sources, full references and title-only lines."""
    works = [w for p in UNIVERSE.pmids(first, 60) if (w := UNIVERSE.work(p))]
    sources = [
        Source(
            id=f"pmid-{w.pmid}",
            kind="journal-article",
            pmid=w.pmid,
            title=w.title,
            authors=w.author_names,
            journal=w.journal_abbrev,
            year=w.year,
            volume=w.volume,
            pages=w.pages,
        )
        for w in works[:30]
    ]
    sources += [Source(id=f"doi-{w.pmid}", doi=w.doi) for w in works[30:45]]
    sources += [Source(id=f"ref-{w.pmid}", citation=w.citation()) for w in works[45:52]]
    sources += [
        Source(id=f"line-{w.pmid}", citation=f"{w.author_names[0]}. {w.title} {w.year}.")
        for w in works[52:58]
    ]
    sources += [
        Source(id="no-such-pmid", pmid="1"),
        Source(id="no-such-doi", doi="10.5555/cg.does-not-exist"),
    ]
    return sources


def test_first_run_resolves_and_a_rerun_asks_nothing(fake: FakeServices, tmp_path: Path) -> None:
    sources = project()
    first = resolve(fake, tmp_path, sources)
    statuses = {r.status for key, r in first.items() if not key.startswith("no-such")}
    assert statuses == {SourceStatus.VERIFIED, SourceStatus.RETRACTED}  # the universe has some
    assert first["no-such-pmid"].status is SourceStatus.NOT_FOUND
    assert first["no-such-doi"].status is SourceStatus.NOT_FOUND
    asked = fake.total_requests()
    assert resolve(fake, tmp_path, sources) == first
    assert resolve(fake, tmp_path, sources, offline=True) == first
    assert fake.total_requests() == asked


@pytest.mark.parametrize("edit", ["insert-pmid", "insert-doi", "remove", "reorder", "mixed"])
def test_edits_keep_every_other_verdict(fake: FakeServices, tmp_path: Path, edit: str) -> None:
    sources = project()
    before = resolve(fake, tmp_path, sources)
    spare = UNIVERSE.work(UNIVERSE.pmids(100, 1)[0])
    assert spare is not None
    new = {
        "insert-pmid": [Source(id="new", pmid=spare.pmid)],
        "insert-doi": [Source(id="new", doi=spare.doi)],
    }.get(edit, [])
    edited = list(sources)
    if edit == "remove":  # a PMID source, a DOI-only one, a reference and a title line
        gone = {sources[0].id, sources[31].id, sources[46].id, sources[53].id}
        edited = [s for s in edited if s.id not in gone]
    elif edit == "reorder":
        edited.reverse()
    elif edit == "mixed":
        edited = edited[5:] + edited[:3]
        edited.reverse()
    edited = new + edited

    offline = resolve(fake, tmp_path, edited, offline=True)
    for source in edited:
        if source.id == "new":
            assert offline["new"].status is SourceStatus.UNVERIFIABLE
            assert "offline" in (offline["new"].message or "")
        else:
            assert offline[source.id] == before[source.id], source.id

    asked = fake.total_requests()
    online = resolve(fake, tmp_path, edited)
    sent = fake.total_requests() - asked
    for source in edited:
        if source.id != "new":
            assert online[source.id] == before[source.id], source.id
    if not new:
        assert sent == 0
    else:
        assert online["new"].status is SourceStatus.VERIFIED
        # a PMID: its efetch and the Crossref record of its DOI; a DOI: Crossref's filter,
        # PubMed's [doi] search and the efetch of what it found
        assert sent <= 3, fake.stats()


def test_refresh_asks_again_and_stores_the_fresh_answers(
    fake: FakeServices, tmp_path: Path
) -> None:
    sources = project()[:40]
    first = resolve(fake, tmp_path, sources)
    asked = fake.total_requests()
    assert resolve(fake, tmp_path, sources, refresh=True) == first
    assert fake.total_requests() == 2 * asked
    assert resolve(fake, tmp_path, sources) == first
    assert fake.total_requests() == 2 * asked


def test_nothing_that_identifies_us_is_stored(fake: FakeServices, tmp_path: Path) -> None:
    secret, contact = "SeCrEtKeY0123456789", "someone.unique@example.org"
    resolve(fake, tmp_path, project(), email=contact, api_key=secret)
    stored = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert b"30000000" in stored  # we are looking at the right files
    assert secret.encode() not in stored
    assert contact.encode() not in stored
    assert b"tool=claimgraph" not in stored
