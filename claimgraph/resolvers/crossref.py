"""Crossref REST API: work JSON parsed into :class:`~claimgraph.records.Record`, and lookups.

Parsers are pure functions of a response body; a body that cannot be read raises
:class:`~claimgraph.errors.ServiceError`, never another exception. :class:`CrossrefClient`
asks the record store first and Crossref (through :class:`claimgraph.http.HttpClient`) only
about what it lacks.

Facts relied on (recorded responses under ``tests/fixtures/crossref``):

- ``works/{doi}`` for an unknown DOI answers 404 with the plain-text body
  ``Resource not found.``; an alias DOI answers 301 to the canonical DOI.
- ``works?filter=doi:A,doi:B`` ORs repeated filters; ``rows`` must cover the batch.
- list items carry a relevance ``score`` (not normalised: ~90 for an exact title hit).
- notices: ``updated-by`` on the original work (``type`` retraction, withdrawal,
  expression_of_concern, correction, ...), ``update-to`` on the notice itself; ``relation``
  may carry the same links.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

from pydantic import ValidationError

from claimgraph.errors import ServiceError
from claimgraph.http import HttpClient, HttpResponse, as_value
from claimgraph.identifiers import normalize_doi
from claimgraph.records import Author, Record, Update
from claimgraph.resolvers.lookup import Lookup, SearchQuery, StoredRound, chunks
from claimgraph.store import Answer, RecordStore
from claimgraph.years import is_plausible_year

__all__ = [
    "FILTER_BATCH",
    "CrossrefClient",
    "ScoredRecord",
    "bibliographic_request",
    "fetch_work",
    "parse_work",
    "parse_work_list",
    "parse_work_response",
    "work_path",
]

logger = logging.getLogger(__name__)

SERVICE = "crossref"
#: DOIs OR-ed into one ``filter=doi:...`` list request: a list request is the slow,
#: rate-limited class, and 100 DOIs keep the URL near 4 kB
FILTER_BATCH = 100
#: candidates asked for per free-text query
BIBLIOGRAPHIC_ROWS = 5
NOT_FOUND_BODY = "Resource not found."
_REDIRECTS = {301, 302, 303, 307, 308}
_MAX_REDIRECTS = 3

#: Crossref update/relation types -> Update.type
_UPDATE_TYPES = {
    "retraction": "retraction",
    "withdrawal": "withdrawal",
    "removal": "withdrawal",
    "expression_of_concern": "expression_of_concern",
    "correction": "correction",
    "corrigendum": "correction",
    "erratum": "erratum",
}
#: how a notice's own record says what it is, in PubMed's CommentsCorrections vocabulary
#: (``...Of`` / ``...For``: "this record is the notice"), so one place tells graders
_NOTICE_OF = {
    "retraction": "RetractionOf",
    "withdrawal": "RetractionOf",
    "expression_of_concern": "ExpressionOfConcernFor",
    "correction": "ErratumFor",
    "erratum": "ErratumFor",
}
_TAG = re.compile(r"<[^>]{0,200}>")


# --------------------------------------------------------------------------- JSON helpers


def _clean(value: Any) -> str | None:
    """A display string: markup (JATS/HTML tags) dropped, entities decoded, spaces collapsed."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = " ".join(html.unescape(_TAG.sub(" ", value)).split())
    return text or None


def _first(value: Any) -> str | None:
    """The first usable string of a Crossref list field (``title``, ``container-title``)."""
    if isinstance(value, list):
        for item in value:
            text = _clean(item)
            if text:
                return text
        return None
    return _clean(value)


def _year(value: Any) -> int | None:
    if not isinstance(value, dict):
        return None
    parts = value.get("date-parts")
    if not isinstance(parts, list) or not parts or not isinstance(parts[0], list):
        return None
    first = parts[0][0] if parts[0] else None
    if isinstance(first, str) and first.isdigit() and len(first) == 4:
        first = int(first)
    if isinstance(first, int) and not isinstance(first, bool) and is_plausible_year(first):
        return first
    return None


def _date(value: Any) -> str | None:
    if not isinstance(value, dict):
        return None
    parts = value.get("date-parts")
    if not isinstance(parts, list) or not parts or not isinstance(parts[0], list):
        return None
    numbers = [p for p in parts[0][:3] if isinstance(p, int) and not isinstance(p, bool)]
    if not numbers or not is_plausible_year(numbers[0]):
        return None
    return "-".join(f"{n:02d}" if i else f"{n:04d}" for i, n in enumerate(numbers))


def _authors(value: Any) -> tuple[Author, ...]:
    if not isinstance(value, list):
        return ()
    authors: list[Author] = []
    for item in value:
        if not isinstance(item, dict):
            continue
        family = _clean(item.get("family")) or _clean(item.get("name"))
        if not family:
            continue
        authors.append(Author(family=family, given=_clean(item.get("given"))))
    # Crossref marks the first author with sequence "first"; keep the given order otherwise
    firsts = [
        a
        for a, item in zip(authors, value, strict=False)
        if isinstance(item, dict) and item.get("sequence") == "first"
    ]
    if len(firsts) == 1 and authors and authors[0] is not firsts[0]:
        authors.remove(firsts[0])
        authors.insert(0, firsts[0])
    return tuple(authors)


def _update_type(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    return _UPDATE_TYPES.get(key)


def _notices(message: Mapping[str, Any]) -> tuple[Update, ...]:
    """Notices attached to this work: ``updated-by`` entries and notice-type relations."""
    updates: list[Update] = []
    entries = message.get("updated-by")
    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, dict):
            continue
        kind = _update_type(entry.get("type"))
        if kind is None:
            continue
        source = entry.get("source")
        update = Update(
            type=kind,
            origin=source if source in {"publisher", "retraction-watch"} else SERVICE,
            doi=normalize_doi(entry.get("DOI") or "")
            if isinstance(entry.get("DOI"), str)
            else None,
            date=_date(entry.get("updated")),
        )
        if not any(u.type == update.type and u.doi == update.doi for u in updates):
            updates.append(update)
    relations = message.get("relation")
    for name, targets in relations.items() if isinstance(relations, dict) else ():
        kind = _update_type(name) or _update_type(str(name).removeprefix("is-").removesuffix("-by"))
        if kind is None or not isinstance(targets, list):
            continue
        for target in targets:
            if not isinstance(target, dict) or target.get("id-type") != "doi":
                continue
            doi = normalize_doi(target["id"]) if isinstance(target.get("id"), str) else None
            if not any(u.type == kind and u.doi == doi for u in updates):
                updates.append(Update(type=kind, origin=SERVICE, doi=doi))
    return tuple(updates)


def _notice_of(message: Mapping[str, Any]) -> tuple[tuple[str, str | None], ...]:
    """For a notice (``update-to``): what it is a notice of, as CommentsCorrections pairs."""
    found: list[tuple[str, str | None]] = []
    entries = message.get("update-to")
    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, dict):
            continue
        kind = _update_type(entry.get("type"))
        ref_type = _NOTICE_OF.get(kind or "")
        if ref_type and (ref_type, None) not in found:
            found.append((ref_type, None))
    return tuple(found)


def parse_work(message: Any) -> Record:
    """One Crossref work (the ``message`` of ``works/{doi}`` or a list item) as a Record."""
    if not isinstance(message, dict):
        raise ServiceError(SERVICE, "unreadable work: not a JSON object")
    doi = normalize_doi(message["DOI"]) if isinstance(message.get("DOI"), str) else None
    year = None
    for key in ("published-print", "issued", "published-online", "published"):
        year = _year(message.get(key))
        if year is not None:
            break
    try:
        return Record(
            service=SERVICE,
            doi=doi,
            title=_first(message.get("title")),
            authors=_authors(message.get("author")),
            journal=_first(message.get("container-title")),
            journal_abbrev=_first(message.get("short-container-title")),
            year=year,
            volume=_clean(message.get("volume")),
            issue=_clean(message.get("issue")),
            pages=_clean(message.get("page")) or _clean(message.get("article-number")),
            crossref_type=_clean(message.get("type")),
            abstract=_clean(message.get("abstract")),
            updates=_notices(message),
            comments_corrections=_notice_of(message),
            url=f"https://doi.org/{doi}" if doi else None,
        )
    except ValidationError as exc:  # pragma: no cover - every field is cleaned above
        raise ServiceError(SERVICE, f"unreadable work: {exc}") from exc


def _envelope(text: str, expected: str) -> Any:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ServiceError(SERVICE, f"unreadable response: {exc}") from exc
    if not isinstance(data, dict):
        raise ServiceError(SERVICE, "unreadable response: not a JSON object")
    if data.get("status") != "ok":
        raise ServiceError(SERVICE, f"request failed: {_failure_message(data)}")
    if data.get("message-type") != expected:
        raise ServiceError(
            SERVICE, f"expected a {expected}, got {str(data.get('message-type'))[:40]!r}"
        )
    return data.get("message")


def _failure_message(data: Mapping[str, Any]) -> str:
    message = data.get("message")
    if isinstance(message, list) and message and isinstance(message[0], dict):
        return str(message[0].get("message") or message[0].get("type") or "error")[:200]
    return str(message or data.get("status") or "error")[:200]


def parse_work_response(text: str) -> Record:
    """The body of ``works/{doi}`` (HTTP 200)."""
    return parse_work(_envelope(text, "work"))


@dataclass(frozen=True, slots=True)
class ScoredRecord:
    """A list item and Crossref's relevance score (absent when ``select=`` was used)."""

    record: Record
    score: float | None = None


def parse_work_list(text: str) -> list[ScoredRecord]:
    """The items of a ``works?...`` list response, in Crossref's order."""
    message = _envelope(text, "work-list")
    if not isinstance(message, dict):
        raise ServiceError(SERVICE, "unreadable work list: no message")
    items = message.get("items", [])
    if not isinstance(items, list):
        raise ServiceError(SERVICE, "unreadable work list: items is not a list")
    results: list[ScoredRecord] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        score = item.get("score")
        value = (
            float(score) if isinstance(score, int | float) and not isinstance(score, bool) else None
        )
        results.append(ScoredRecord(parse_work(item), value))
    return results


# --------------------------------------------------------------------------- requests


def work_path(doi: str) -> str:
    """``works/<url-encoded doi>`` (the slash encoded too, as Crossref accepts)."""
    return "works/" + quote(doi, safe="")


def bibliographic_request(
    citation: str, rows: int = BIBLIOGRAPHIC_ROWS
) -> tuple[str, dict[str, str]]:
    """Path and parameters of a free-text ``query.bibliographic`` search."""
    return "works", {"query.bibliographic": " ".join(citation.split())[:1000], "rows": str(rows)}


def _header(response: HttpResponse, name: str) -> str | None:
    for key, value in response.headers.items():
        if key.lower() == name:
            return str(value)
    return None


def _redirect_path(location: str) -> str | None:
    """The ``works/...`` path a redirect points to (absolute or relative Location)."""
    marker = "/works/"
    index = location.find(marker)
    if index < 0:
        if location.startswith("works/"):
            return location
        return None
    suffix = location[index + len(marker) :].split("?", 1)[0]
    return work_path(unquote(suffix)) if suffix else None


def fetch_work(client: HttpClient, doi: str) -> Record | None:
    """The work for one DOI, or None when Crossref answers 404 (no such DOI).

    Follows alias redirects (301 to the canonical DOI). Anything else that is not a work
    raises ServiceError.
    """
    path = work_path(doi)
    for _ in range(_MAX_REDIRECTS + 1):
        response = client.get(SERVICE, path, {})
        if response.status in _REDIRECTS:
            location = _header(response, "location")
            next_path = _redirect_path(location) if location else None
            if next_path is None or next_path == path:
                raise ServiceError(SERVICE, f"redirect for {doi} without a usable Location")
            path = next_path
            continue
        return _work_or_none(response, doi)
    raise ServiceError(SERVICE, f"too many redirects for {doi}")


def _work_or_none(response: HttpResponse, doi: str) -> Record | None:
    if response.status == 404:
        if response.text.strip() == NOT_FOUND_BODY or not response.text.strip():
            return None
        # a JSON failure (e.g. "resource-failure") is not an answer about the DOI
        raise ServiceError(SERVICE, f"works/{doi} answered 404: {response.text.strip()[:120]}")
    if response.status != 200:
        raise ServiceError(SERVICE, f"works/{doi} answered HTTP {response.status}")
    return parse_work_response(response.text)


class CrossrefClient:
    """Crossref behind the record store."""

    service = SERVICE

    def __init__(self, http: HttpClient, store: RecordStore) -> None:
        self.http = http
        self.store = store
        self._round = StoredRound(http, store, SERVICE)

    def fetch(
        self, scheme: str, ids: Sequence[str], *, follow_up: bool = True
    ) -> dict[str, Lookup]:
        """Works for DOIs (keys: lower-case DOIs): ``filter=doi:...`` batches of
        :data:`FILTER_BATCH`; with ``follow_up``, a DOI the batch did not return is asked about
        by itself (``works/{doi}``: aliases answer 301 there) and, when Crossref does not hold
        it, ``works/{doi}/agency`` names where it is registered. Without ``follow_up`` (the
        companion record of a PubMed record) such a DOI simply has no records."""
        if scheme != "doi":
            raise ValueError(f"Crossref cannot fetch by {scheme!r}")
        wanted = list(dict.fromkeys(doi.lower() for doi in ids))
        result: dict[str, Lookup] = {}
        if not follow_up:
            # "the filter did not list it" is all a companion lookup learns: stored apart
            unlisted = self.store.get_many(f"crossref:listed:{doi}" for doi in wanted)
            result.update({d: Lookup(d) for d in wanted if f"crossref:listed:{d}" in unlisted})
        keys = {doi: _doi_key(doi) for doi in wanted if doi not in result}
        stored, missing, offline = self._round.split(keys)
        result.update({d: Lookup(d, records=a.records, agency=a.agency) for d, a in stored.items()})
        result.update(offline)
        answers: dict[str, Answer] = {}
        # a comma inside a DOI would split the filter value: look those up one by one
        absent = [doi for doi in missing if "," in doi]
        for chunk in chunks([doi for doi in missing if "," not in doi], FILTER_BATCH):
            listed_works = self._filter(chunk)
            if isinstance(listed_works, ServiceError):
                result.update({doi: Lookup(doi, error=listed_works) for doi in chunk})
                continue
            for doi in chunk:
                if doi in listed_works:
                    answers[doi] = Answer(records=(listed_works[doi],))
                else:
                    absent.append(doi)
        if follow_up:
            self._follow_up(absent, result, answers)
        else:
            result.update({doi: Lookup(doi) for doi in absent})
            self.store.put_many({f"crossref:listed:{doi}": Answer() for doi in absent})
        self.store.put_many({keys[doi]: answer for doi, answer in answers.items()})
        result.update(
            {d: Lookup(d, records=a.records, agency=a.agency) for d, a in answers.items()}
        )
        return result

    def _filter(self, chunk: Sequence[str]) -> dict[str, Record] | ServiceError:
        params = {"filter": ",".join(f"doi:{doi}" for doi in chunk), "rows": str(len(chunk) * 2)}
        try:
            response = self.http.get(SERVICE, "works", params)
            if response.status != 200:
                raise ServiceError(SERVICE, f"works?filter answered HTTP {response.status}")
            items = parse_work_list(response.text)
        except ServiceError as exc:
            logger.info("Crossref DOI batch of %d failed: %s", len(chunk), exc)
            return as_value(exc)
        asked = set(chunk)
        return {i.record.doi: i.record for i in items if i.record.doi and i.record.doi in asked}

    def _follow_up(
        self, dois: Sequence[str], result: dict[str, Lookup], answers: dict[str, Answer]
    ) -> None:
        if not dois:
            return
        singles = self.http.get_many(SERVICE, [(work_path(doi), {}) for doi in dois])
        not_found: list[str] = []
        for doi, reply in zip(dois, singles, strict=True):
            try:
                if isinstance(reply, ServiceError):
                    raise reply
                record = _single(self.http, reply, doi)
            except ServiceError as exc:
                result[doi] = Lookup(doi, error=as_value(exc))
                continue
            if record is None:
                not_found.append(doi)
            else:
                answers[doi] = Answer(records=(record,))
        if not not_found:
            return
        agencies = self.http.get_many(
            SERVICE, [(work_path(doi) + "/agency", {}) for doi in not_found]
        )
        for doi, reply in zip(not_found, agencies, strict=True):
            if isinstance(reply, ServiceError):
                result[doi] = Lookup(doi, error=reply)
                continue
            agency = _agency(reply)
            answers[doi] = Answer(agency=agency if agency and agency != "crossref" else None)

    def store_keys(self, scheme: str, value: str) -> list[str]:
        """Where :meth:`fetch` keeps its answer about one DOI (Crossref fetches DOIs only)."""
        return [_doi_key(value.lower())] if scheme == "doi" else []

    def search_keys(self, query: SearchQuery) -> list[str]:
        """Where :meth:`search` keeps its answer about ``query``."""
        return [_query_key(query.key)]

    def search(self, queries: Sequence[SearchQuery]) -> dict[str, Lookup]:
        """Up to :data:`BIBLIOGRAPHIC_ROWS` candidates per query: one ``query.bibliographic``
        request each (no batch exists), concurrently within the limits."""
        unique = {query.key: query for query in queries}
        keys = {key: _query_key(key) for key in unique}
        stored, missing, offline = self._round.split(keys)
        result = {key: Lookup(key, records=answer.records) for key, answer in stored.items()}
        result.update(offline)
        replies = self.http.get_many(
            SERVICE, [bibliographic_request(unique[key].text) for key in missing]
        )
        answers: dict[str, Answer] = {}
        for key, reply in zip(missing, replies, strict=True):
            try:
                if isinstance(reply, ServiceError):
                    raise reply
                if reply.status != 200:
                    raise ServiceError(SERVICE, f"works?query answered HTTP {reply.status}")
                hits = parse_work_list(reply.text)
            except ServiceError as exc:
                result[key] = Lookup(key, error=as_value(exc))
                continue
            answers[key] = Answer(records=tuple(hit.record for hit in hits[:BIBLIOGRAPHIC_ROWS]))
            result[key] = Lookup(key, records=answers[key].records)
        self.store.put_many({keys[key]: answer for key, answer in answers.items()})
        return result


def _single(client: HttpClient, response: HttpResponse, doi: str) -> Record | None:
    if response.status in _REDIRECTS:
        location = _header(response, "location")
        target = _redirect_path(location) if location else None
        if target is None:
            raise ServiceError(SERVICE, f"redirect for {doi} without a usable Location")
        return fetch_work(client, unquote(target.removeprefix("works/")))
    return _work_or_none(response, doi)


def _agency(response: HttpResponse) -> str | None:
    """The registration agency id from ``works/{doi}/agency``; None for 404 or unreadable."""
    if response.status != 200:
        return None
    try:
        data = json.loads(response.text)
    except (ValueError, RecursionError):
        return None
    message = data.get("message") if isinstance(data, dict) else None
    agency = message.get("agency") if isinstance(message, dict) else None
    value = agency.get("id") if isinstance(agency, dict) else None
    return value.lower() if isinstance(value, str) and value.strip() else None


def _doi_key(doi: str) -> str:
    return f"crossref:doi:{doi}"


def _query_key(key: str) -> str:
    return f"crossref:query:{key}"
