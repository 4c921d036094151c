from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimgraph.config import Config
from claimgraph.errors import InputError
from claimgraph.levels import SourceStatus
from claimgraph.lockfile import (
    Lock,
    LockedResolver,
    fields_hash,
    load_lock,
    lock_text,
    write_lock,
)
from claimgraph.models import Location, Source
from claimgraph.records import Author, Record
from claimgraph.resolvers.base import Resolution
from tests.formats.report_samples import assert_golden
from tests.helpers import ANY_JSON

NOW = dt.datetime(2025, 5, 1, 9, 30, tzinfo=dt.UTC)
MAX_AGE = dt.timedelta(days=90)

SOURCES = [
    Source(
        id="alonso-navarro-2006",
        kind="journal-article",
        title="Tardive blepharospasm associated with cinnarizine use",
        authors=["Alonso-Navarro H", "Jiménez-Jiménez FJ"],
        journal="Clinical Neuropharmacology",
        year=2006,
        pmid="16855470",
        location=Location(file="sources.json", line=3),
    ),
    Source(id="missing-doi", doi="10.5555/does-not-exist"),
    Source(id="a-review", doi="https://doi.org/10.5555/REVIEW.1", title="A review"),
]


class FakeResolver:
    """Answers from a table and records what it was asked."""

    def __init__(self, outage: bool = False) -> None:
        self.calls: list[list[str]] = []
        self.outage = outage

    def resolve(self, sources: Sequence[Source]) -> dict[str, Resolution]:
        self.calls.append([s.id for s in sources])
        answers: dict[str, Resolution] = {}
        for source in sources:
            if self.outage:
                answers[source.id] = Resolution(
                    status=SourceStatus.UNVERIFIABLE,
                    message="pubmed: timeout",
                    unreachable=("pubmed",),
                )
            elif source.id == "missing-doi":
                answers[source.id] = Resolution(
                    status=SourceStatus.NOT_FOUND,
                    message="DOI 10.5555/does-not-exist does not exist",
                )
            else:
                record = Record(
                    service="pubmed",
                    pmid=source.pmid or "1",
                    title=source.title,
                    authors=(Author(family="Alonso-Navarro", initials="H"),),
                    year=source.year,
                    publication_types=("Case Reports",),
                )
                answers[source.id] = Resolution(status=SourceStatus.VERIFIED, record=record)
        return answers


def _locked(lock: Lock, inner: Any, now: dt.datetime = NOW) -> LockedResolver:
    return LockedResolver(lock, inner, MAX_AGE, now=now)


def _first_lock() -> Lock:
    resolver = _locked(Lock(), FakeResolver())
    resolver.resolve(SOURCES)
    return resolver.updated_lock()


def test_golden() -> None:
    assert_golden("claimgraph.lock", lock_text(_first_lock()))


def test_first_run_checks_everything_and_records_it() -> None:
    inner = FakeResolver()
    resolver = _locked(Lock(), inner)
    answers = resolver.resolve(SOURCES)
    assert inner.calls == [[s.id for s in SOURCES]]
    assert list(answers) == [s.id for s in SOURCES]
    lock = resolver.updated_lock()
    assert sorted(lock.sources) == sorted(s.id for s in SOURCES)
    entry = lock.sources["a-review"]
    assert entry.identifiers == {"doi": "10.5555/review.1"}
    assert entry.checked_at == NOW
    assert entry.fields_hash == fields_hash(SOURCES[2])
    assert lock.sources["missing-doi"].resolution.status is SourceStatus.NOT_FOUND


def test_output_is_stable_and_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "claimgraph.lock"
    write_lock(_first_lock(), path)
    text = path.read_text(encoding="utf-8")
    assert text == lock_text(_first_lock())
    loaded = load_lock(path)
    assert loaded == _first_lock()
    assert lock_text(loaded) == text
    data = json.loads(text)
    assert list(data["sources"]) == sorted(data["sources"])
    assert '"checked_at": "2025-05-01T09:30:00Z"' in text


def test_locked_run_trusts_the_lock() -> None:
    inner = FakeResolver()
    resolver = _locked(_first_lock(), inner, now=NOW + dt.timedelta(days=30))
    answers = resolver.resolve(SOURCES)
    assert inner.calls == []
    assert resolver.trusted == [s.id for s in SOURCES]
    assert answers["alonso-navarro-2006"].status is SourceStatus.VERIFIED
    assert answers["missing-doi"].status is SourceStatus.NOT_FOUND
    # nothing re-checked: the lock is unchanged (same checked_at)
    assert resolver.updated_lock() == _first_lock()


def test_moving_a_citation_does_not_invalidate_it() -> None:
    moved = [s.model_copy(update={"location": Location(file="draft.md", line=40)}) for s in SOURCES]
    inner = FakeResolver()
    _locked(_first_lock(), inner).resolve(moved)
    assert inner.calls == []


def test_new_changed_and_stale_sources_are_rechecked() -> None:
    lock = _first_lock()
    changed = SOURCES[0].model_copy(update={"year": 2007})
    new = Source(id="new-one", pmid="123")
    inner = FakeResolver()
    later = NOW + dt.timedelta(days=10)
    resolver = _locked(lock, inner, now=later)
    resolver.resolve([changed, SOURCES[1], new])
    assert inner.calls == [["alonso-navarro-2006", "new-one"]]
    updated = resolver.updated_lock()
    assert updated.sources["alonso-navarro-2006"].checked_at == later
    assert updated.sources["alonso-navarro-2006"].fields_hash == fields_hash(changed)
    assert updated.sources["new-one"].checked_at == later
    assert updated.sources["missing-doi"].checked_at == NOW  # trusted, kept as it was

    stale = FakeResolver()
    _locked(lock, stale, now=NOW + dt.timedelta(days=91)).resolve(SOURCES)
    assert stale.calls == [[s.id for s in SOURCES]]


def test_without_an_inner_resolver_the_rest_is_unverifiable() -> None:
    lock = _first_lock()
    changed = SOURCES[0].model_copy(update={"title": "Another title"})
    new = Source(id="new-one", pmid="123")
    answers = _locked(lock, None, now=NOW + dt.timedelta(days=1)).resolve(
        [changed, new, SOURCES[1]]
    )
    assert answers["new-one"] == Resolution(
        status=SourceStatus.UNVERIFIABLE, message="not in claimgraph.lock; run without --locked"
    )
    assert answers["alonso-navarro-2006"].status is SourceStatus.UNVERIFIABLE
    assert answers["alonso-navarro-2006"].message == (
        "changed since claimgraph.lock was written; run without --locked"
    )
    assert answers["alonso-navarro-2006"].unreachable == ()
    assert answers["missing-doi"].status is SourceStatus.NOT_FOUND
    stale = _locked(lock, None, now=NOW + dt.timedelta(days=91)).resolve(SOURCES[:1])
    assert stale["alonso-navarro-2006"].message == (
        "claimgraph.lock entry is older than 90 days; run without --locked"
    )


def test_outages_are_never_stored() -> None:
    lock = _first_lock()
    # stale entry + outage: the old entry stays, to be tried again next time
    resolver = _locked(lock, FakeResolver(outage=True), now=NOW + dt.timedelta(days=100))
    answers = resolver.resolve(SOURCES)
    assert all(a.status is SourceStatus.UNVERIFIABLE for a in answers.values())
    assert resolver.updated_lock() == lock
    # changed source + outage: the old entry no longer applies and is dropped
    changed = SOURCES[0].model_copy(update={"year": 2007})
    resolver = _locked(lock, FakeResolver(outage=True))
    resolver.resolve([changed])
    assert "alonso-navarro-2006" not in resolver.updated_lock().sources
    # a new source + outage: nothing recorded
    resolver = _locked(Lock(), FakeResolver(outage=True))
    resolver.resolve(SOURCES)
    assert resolver.updated_lock().sources == {}


def test_an_unverifiable_entry_in_the_lock_is_not_trusted() -> None:
    lock = _first_lock()
    entry = lock.sources["missing-doi"].model_copy(
        update={"resolution": Resolution(status=SourceStatus.UNVERIFIABLE)}
    )
    edited = Lock(sources={**lock.sources, "missing-doi": entry})
    inner = FakeResolver()
    _locked(edited, inner).resolve(SOURCES)
    assert inner.calls == [["missing-doi"]]


def test_prune_drops_sources_not_seen() -> None:
    resolver = _locked(_first_lock(), FakeResolver())
    resolver.resolve(SOURCES[:1])
    assert sorted(resolver.updated_lock().sources) == sorted(s.id for s in SOURCES)
    assert list(resolver.updated_lock(prune=True).sources) == ["alonso-navarro-2006"]


def test_from_config() -> None:
    config = Config(lock_max_age_days=7)
    resolver = LockedResolver.from_config(None, None, config)
    assert resolver.max_age == dt.timedelta(days=7)
    assert resolver.lock == Lock()
    assert LockedResolver.from_config(_first_lock(), None, config, recheck_all=True).max_age == (
        dt.timedelta(0)
    )


def test_missing_lock_file_is_an_empty_lock(tmp_path: Path) -> None:
    assert load_lock(tmp_path / "claimgraph.lock") == Lock()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "invalid JSON"),
        ('{"sources": {}}', 'no "claimgraph_lock" key'),
        ('{"claimgraph_lock": 2, "sources": {}}', "lock format 2 is not supported"),
        ('{"claimgraph_lock": 1, "sources": {"x": {}}}', "bad lock entry"),
        (
            '{"claimgraph_lock": 1, "sources": {"x": {"fields_hash": "h", '
            '"resolution": {"status": "verified"}, "checked_at": "2025-05-01T09:30:00"}}}',
            "checked_at needs a time zone",
        ),
        (
            '{"claimgraph_lock": 1, "sources": {"x": {"fields_hash": "h", '
            '"resolution": {"status": "fine"}, "checked_at": "2025-05-01T09:30:00Z"}}}',
            "$.sources.x.resolution.status",
        ),
    ],
)
def test_bad_lock_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "claimgraph.lock"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_lock(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.fixed_dictionaries(
        {
            "claimgraph_lock": st.just(1) | ANY_JSON,
            "sources": st.dictionaries(st.text(max_size=5), ANY_JSON, max_size=2) | ANY_JSON,
        }
    )
    | ANY_JSON
)
def test_any_json_loads_or_fails_clearly(tmp_path: Path, data: Any) -> None:
    path = tmp_path / "fuzz.lock"
    path.write_text(json.dumps(data), encoding="utf-8")
    try:
        lock = load_lock(path)
    except InputError as exc:
        assert str(path) in str(exc)
    else:
        assert isinstance(lock, Lock)


# ----------------------------------------------------------------------------- through the CLI


def test_check_locked_answers_from_the_lock_without_the_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from claimgraph.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CLAIMGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    source = SOURCES[0]
    claims = {
        "claims": [
            {"id": "c", "text": "Cinnarizine can cause blepharospasm.", "sources": [source.id]}
        ]
    }
    (tmp_path / "claims.json").write_text(json.dumps(claims), encoding="utf-8")
    (tmp_path / "sources.json").write_text(
        json.dumps({"sources": [source.model_dump(exclude_none=True, exclude={"location"})]}),
        encoding="utf-8",
    )
    resolver = LockedResolver(Lock(), FakeResolver(), MAX_AGE)  # checked "today"
    resolver.resolve([source])
    write_lock(resolver.updated_lock(), tmp_path / "claimgraph.lock")

    args = ["check", "--offline", "--format", "json"]
    main(args)
    unlocked = json.loads(capsys.readouterr().out)
    assert unlocked["sources"][0]["status"] == "unverifiable"  # offline, nothing cached

    main([*args, "--locked"])
    locked = json.loads(capsys.readouterr().out)
    (result,) = locked["sources"]
    assert result["status"] == "verified"
    assert result["evidence"] == "case-report"
    assert result["record"]["title"] == source.title
