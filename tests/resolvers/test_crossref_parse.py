"""Crossref parsers on real recorded REST API responses (tests/fixtures/crossref)."""

from __future__ import annotations

import contextlib
import copy
import json
from collections.abc import Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimgraph.errors import ClaimgraphError, ServiceError
from claimgraph.http import HttpResponse
from claimgraph.records import Record
from claimgraph.resolvers.crossref import (
    CrossrefClient,
    bibliographic_request,
    fetch_work,
    parse_work,
    parse_work_list,
    parse_work_response,
    work_path,
)
from claimgraph.store import RecordStore

CROSSREF = Path(__file__).resolve().parents[1] / "fixtures" / "crossref"


def interactions(relative: str) -> list[dict[str, Any]]:
    data = json.loads((CROSSREF / relative).read_text(encoding="utf-8"))
    return list(data["interactions"])


def body_text(interaction: Mapping[str, Any]) -> str:
    body = interaction["body"]
    return body if isinstance(body, str) else json.dumps(body)


def response(interaction: Mapping[str, Any]) -> HttpResponse:
    return HttpResponse(
        status=interaction["status"],
        headers=dict(interaction["headers_subset"]),
        text=body_text(interaction),
        url=interaction["uri"],
        from_cache=False,
    )


ONE_WORK = interactions("habanero/test_works_with_one_id.yaml.decoded.json")[0]


# --------------------------------------------------------------------------- works/{doi}


def test_single_work() -> None:
    record = parse_work_response(body_text(ONE_WORK))
    assert record.service == "crossref"
    assert record.doi == "10.1371/journal.pone.0033693"
    assert record.title == (
        "Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation of Microglia in "
        "the Basal Ganglia of Mice"
    )
    assert record.authors[0].family == "Sadasivan"
    assert record.authors[0].given == "Shankar"
    assert record.authors[0].short() == "Sadasivan S"
    assert (record.journal, record.journal_abbrev) == ("PLoS ONE", "PLoS ONE")
    assert (record.year, record.volume, record.issue, record.pages) == (2012, "7", "3", "e33693")
    assert record.crossref_type == "journal-article"
    assert record.url == "https://doi.org/10.1371/journal.pone.0033693"
    assert record.pmid is None and record.publication_types == ()


def test_updated_by_correction() -> None:
    record = parse_work_response(body_text(ONE_WORK))
    assert [(u.type, u.origin, u.doi, u.date) for u in record.updates] == [
        (
            "correction",
            "publisher",
            "10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda",
            "2012-05-08",
        )
    ]
    assert not record.is_retracted
    pnas = interactions("paper-qa/test_doi_search[paper_attributes4].yaml.decoded.json")
    work = next(
        i
        for i in pnas
        if i["uri"].startswith("https://api.crossref.org/works/10.1073%2F")
        and "transform" not in i["uri"]
    )
    record = parse_work_response(body_text(work))
    assert [(u.type, u.doi) for u in record.updates] == [("correction", "10.1073/pnas.1507001112")]
    assert record.journal_abbrev == "Proc. Natl. Acad. Sci. U.S.A."


def test_many_works_types_and_short_titles() -> None:
    records = [
        parse_work_response(body_text(i))
        for i in interactions("habanero/test_works_with_many_ids.yaml.decoded.json")
    ]
    assert [r.crossref_type for r in records] == [
        "journal-article",
        "journal-article",
        "journal-article",
        "proceedings-article",
        "journal-article",
    ]
    assert records[2].journal_abbrev == "Sci Rep"
    assert records[0].pages == "588-602"


def test_retraction_notices() -> None:
    """No recorded Crossref retraction exists (see PROVENANCE gaps): the recorded work with the
    ``updated-by``/``update-to`` entries in the shape Crossref documents (API_FACTS.md)."""
    message = copy.deepcopy(ONE_WORK["body"]["message"])
    message["updated-by"] = [
        {
            "DOI": "10.1177/17588359231172420",
            "type": "retraction",
            "label": "Retraction",
            "source": "retraction-watch",
            "record-id": "20946",
            "updated": {"date-parts": [[2023, 5, 2]]},
        },
        {
            "DOI": "10.1177/17588359231172420",
            "type": "retraction",
            "label": "Retraction",
            "source": "publisher",
            "updated": {"date-parts": [[2023, 5, 2]]},
        },
    ]
    record = parse_work(message)
    assert record.is_retracted
    assert [(u.type, u.origin) for u in record.updates] == [("retraction", "retraction-watch")]
    notice = copy.deepcopy(ONE_WORK["body"]["message"])
    notice["update-to"] = [
        {"DOI": "10.1177/1758835920922055", "type": "retraction", "source": "publisher"}
    ]
    notice_record = parse_work(notice)
    assert not notice_record.is_retracted  # it is the notice, not the retracted paper
    assert ("RetractionOf", None) in notice_record.comments_corrections
    for kind, expected in (
        ("withdrawal", True),
        ("expression_of_concern", False),
        ("new_version", False),
    ):
        other = copy.deepcopy(ONE_WORK["body"]["message"])
        other["updated-by"] = [{"DOI": "10.1/x", "type": kind}]
        assert parse_work(other).is_retracted is expected
    concern = copy.deepcopy(ONE_WORK["body"]["message"])
    concern["updated-by"] = [{"DOI": "10.1/x", "type": "expression_of_concern"}]
    assert parse_work(concern).has_expression_of_concern


def test_new_version_updates_are_not_notices_and_relations_are() -> None:
    listing = parse_work_list(
        body_text(interactions("habanero/test_prefixes_field_queries.yaml.decoded.json")[0])
    )
    by_doi = {item.record.doi: item.record for item in listing}
    assert by_doi["10.1371/journal.ppat.1006930"].updates == ()
    assert by_doi["10.1371/journal.ppat.1006930"].comments_corrections == ()
    corrected = by_doi["10.1371/journal.pbio.0050002"]
    # updated-by and relation name the same correction: one notice
    assert [(u.type, u.doi) for u in corrected.updates] == [
        ("correction", "10.1371/journal.pbio.0060304")
    ]


def test_alias_redirect_is_followed() -> None:
    recorded = interactions("serrano/test_works_impolite_redirect.yml.decoded.json")
    client = FakeClient(
        {
            "works/10.26434%2Fchemrxiv.5406907": response(recorded[0]),
            "works/10.26434%2Fchemrxiv.5406907.v5": response(recorded[1]),
        }
    )
    record = fetch_work(client, "10.26434/chemrxiv.5406907")  # type: ignore[arg-type]
    assert record is not None
    assert record.doi == "10.26434/chemrxiv.5406907.v5"
    assert record.crossref_type == "posted-content"
    assert client.asked == [
        "works/10.26434%2Fchemrxiv.5406907",
        "works/10.26434%2Fchemrxiv.5406907.v5",
    ]


def test_not_found_body_is_none_and_other_failures_raise() -> None:
    missing = interactions("habanero/test_works_bad_id_warn.yaml.decoded.json")[0]
    client = FakeClient({"works/10.1371%2Fnotarealdoi": response(missing)})
    assert fetch_work(client, "10.1371/notarealdoi") is None  # type: ignore[arg-type]
    refused = interactions(
        "habanero/test_works_query_filters_not_allowed_with_dois.yaml.decoded.json"
    )
    client = FakeClient({"works/10.1371%2Fjournal.pone.0033693": response(refused[0])})
    with pytest.raises(ServiceError, match="HTTP 400"):
        fetch_work(client, "10.1371/journal.pone.0033693")  # type: ignore[arg-type]
    with pytest.raises(ServiceError, match="field query parameters"):
        parse_work_response(body_text(refused[0]))


def test_work_path_encodes_the_slash() -> None:
    assert work_path("10.1016/0005-2795(76)90109-4") == "works/10.1016%2F0005-2795%2876%2990109-4"


# --------------------------------------------------------------------------- lists


def test_same_filter_repeated_is_or() -> None:
    recorded = interactions("serrano/test_works_filter_handler_same_filters.yml.decoded.json")[0]
    assert "filter=type:book,type:journal-article" in recorded["uri"]
    items = parse_work_list(body_text(recorded))
    assert len(items) == 19
    assert {i.record.crossref_type for i in items} == {"book", "journal-article"}


def test_query_bibliographic_scores_and_markup() -> None:
    recorded = interactions("habanero/test_journals_field_queries.yaml.decoded.json")[0]
    assert "query.bibliographic=fish" in recorded["uri"]
    items = parse_work_list(body_text(recorded))
    assert [round(i.score or 0, 3) for i in items[:3]] == [8.682, 8.633, 8.572]
    titles = [i.record.title or "" for i in items]
    threadfin = next(t for t in titles if "threadfin" in t)
    assert "<i>" not in threadfin and "\n" not in threadfin
    assert "four-finger threadfin fish, Eleutheronema tetradactylum, and its diet" in threadfin


def test_bulk_title_search_score() -> None:
    recorded = interactions("paper-qa/test_bulk_title_search.yaml.decoded.json")
    hits = [
        parse_work_list(body_text(i))[0] for i in recorded if "api.crossref.org/works?" in i["uri"]
    ]
    best = max(hits, key=lambda h: h.score or 0)
    assert best.record.doi == "10.1023/a:1007154515475"
    assert best.score == pytest.approx(93.76582)


def test_select_lists_have_no_score_and_empty_lists_are_empty() -> None:
    selected = interactions("habanero/test_works_with_select_param.yaml.decoded.json")[0]
    assert {i.score for i in parse_work_list(body_text(selected))} == {None}
    empty, invalid = interactions("rcrossref/cr_works_fails_well.yml.decoded.json")
    assert parse_work_list(body_text(empty)) == []
    with pytest.raises(ServiceError, match="less than or equal to 100"):
        parse_work_list(body_text(invalid))


def test_fetch_works_batches_and_follows_up() -> None:
    works = [i for i in interactions("habanero/test_works_with_many_ids.yaml.decoded.json")]
    messages = [w["body"]["message"] for w in works]
    listing = {
        "status": "ok",
        "message-type": "work-list",
        "message-version": "1.0.0",
        "message": {"total-results": 5, "items": messages[:2]},
    }
    missing = interactions("habanero/test_works_bad_id_warn.yaml.decoded.json")[0]
    agency = interactions("serrano/test_registration_agency_not_found.yml.decoded.json")[0]
    client = FakeClient(
        {
            "works": HttpResponse(200, {}, json.dumps(listing), "", False),
            "works/10.1371%2Fnotarealdoi": response(missing),
            "works/10.1371%2Fnotarealdoi/agency": response(agency),
        }
    )
    dois = [m["DOI"] for m in messages[:2]] + ["10.1371/NotARealDOI"]
    crossref = CrossrefClient(client, RecordStore.memory())  # type: ignore[arg-type]
    lookups = crossref.fetch("doi", dois)
    found = {doi for doi, lookup in lookups.items() if lookup.records}
    assert found == {m["DOI"].lower() for m in messages[:2]}
    assert all(lookup.answered and lookup.agency is None for lookup in lookups.values())
    assert lookups["10.1371/notarealdoi"].records == ()
    assert client.asked == [
        "works",
        "works/10.1371%2Fnotarealdoi",
        "works/10.1371%2Fnotarealdoi/agency",
    ]
    assert client.params[0]["filter"].count("doi:") == 3
    assert client.params[0]["rows"] == "6"
    # every answer is in the store now, the "does not exist" too: nothing is asked again
    assert crossref.fetch("doi", list(reversed(dois))) == lookups
    assert len(client.asked) == 3


def test_bibliographic_request() -> None:
    path, params = bibliographic_request("  Smith J.\n Title.  2001 ")
    assert path == "works"
    assert params == {"query.bibliographic": "Smith J. Title. 2001", "rows": "5"}


# --------------------------------------------------------------------------- robustness


class FakeClient:
    """Answers ``get``/``get_many`` from a table of recorded responses."""

    def __init__(self, answers: Mapping[str, HttpResponse]) -> None:
        self.answers = dict(answers)
        self.settings = SimpleNamespace(offline=False)
        self.asked: list[str] = []
        self.params: list[Mapping[str, str]] = []

    def get(self, service: str, path: str, params: Mapping[str, str] | None = None) -> HttpResponse:
        assert service == "crossref"
        self.asked.append(path)
        self.params.append(dict(params or {}))
        return self.answers[path]

    def label(self, service: str) -> str:
        return service.title()

    def get_many(
        self, service: str, requests: list[tuple[str, Mapping[str, str]]]
    ) -> list[HttpResponse | ServiceError]:
        return [self.get(service, path, params) for path, params in requests]


crossref_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "DOI",
                    "title",
                    "author",
                    "family",
                    "given",
                    "name",
                    "sequence",
                    "container-title",
                    "short-container-title",
                    "issued",
                    "published-print",
                    "date-parts",
                    "volume",
                    "issue",
                    "page",
                    "type",
                    "updated-by",
                    "update-to",
                    "relation",
                    "id-type",
                    "id",
                    "source",
                    "updated",
                    "score",
                    "items",
                    "message",
                    "status",
                    "message-type",
                    "abstract",
                ]
            ),
            children,
            max_size=6,
        )
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(crossref_json)
def test_work_parser_never_raises_anything_else(message: Any) -> None:
    try:
        record = parse_work(message)
    except ClaimgraphError:
        return
    assert isinstance(record, Record)


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        crossref_json.map(json.dumps),
        st.text(max_size=200),
        st.binary(max_size=200).map(lambda raw: raw.decode("utf-8", errors="replace")),
    )
)
def test_response_parsers_never_raise_anything_else(body: str) -> None:
    for parse in (parse_work_response, parse_work_list):
        with contextlib.suppress(ClaimgraphError):
            parse(body)


@settings(max_examples=100, deadline=None)
@given(crossref_json)
def test_wrapped_messages_parse_or_fail_cleanly(message: Any) -> None:
    envelope = {"status": "ok", "message-type": "work", "message": message}
    with contextlib.suppress(ClaimgraphError):
        parse_work_response(json.dumps(envelope))
    listing = {"status": "ok", "message-type": "work-list", "message": {"items": [message]}}
    with contextlib.suppress(ClaimgraphError):
        parse_work_list(json.dumps(listing))
