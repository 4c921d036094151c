"""The service resolver: PubMed and Crossref, batched, one :class:`Resolution` per source.

Work happens in batched rounds, never one request per source where a batch exists:

1. **Identifiers.** PMIDs -> efetch POSTs (<= 200 ids each); PMCIDs -> esearch ``[pmcid]``
   OR-batches; DOIs -> Crossref ``works?filter=doi:...`` batches *and* PubMed esearch
   ``"doi"[doi]`` OR-batches (so publication types and MeSH can grade them). PubMed records
   found by PMID also get their Crossref record (notices such as Retraction Watch
   retractions live there).
2. **Free text** (no usable identifier): the citation is parsed; ECitMatch takes every
   citation with journal, year and volume or first page in one batch; the rest get one Crossref
   ``query.bibliographic`` each (concurrently, within the rate limits), then a PubMed field-tag
   esearch as a fallback. Every candidate is verified field by field
   (:mod:`claimgraph.resolvers.match`) before it is accepted.
3. **Completion.** An accepted Crossref work gets its PubMed record and vice versa; records of
   the same work are merged (PubMed first: publication types, MeSH, print year).

Statuses follow DESIGN.md. Any :class:`~claimgraph.errors.ServiceError` (outage, rate limit
past retries, offline cache miss, unreadable answer) on a lookup a source needed makes it
``unverifiable`` with ``unreachable=(service,)``; ``not_found`` only when the services answered.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from claimgraph.errors import OfflineCacheMiss, ServiceError
from claimgraph.identifiers import (
    check_source_identifiers,
    identifier_from_url,
    normalize_doi,
    normalize_pmcid,
    normalize_pmid,
)
from claimgraph.levels import SourceStatus
from claimgraph.models import Source
from claimgraph.records import Record
from claimgraph.resolvers import crossref, pubmed
from claimgraph.resolvers.base import FieldDifference, Resolution
from claimgraph.resolvers.match import (
    TITLE_SAME,
    CitedFields,
    Comparison,
    compare,
    surname_of,
    title_similarity,
)

if TYPE_CHECKING:
    from claimgraph.config import Config
    from claimgraph.http import HttpClient

__all__ = ["ServiceResolver", "build_resolver"]

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
_LABELS = {"pubmed": "PubMed", "crossref": "Crossref"}
#: candidates from one free-text search that are verified
_CANDIDATES = 5


def build_resolver(
    config: Config, *, offline: bool, refresh: bool, progress: Progress | None = None
) -> ServiceResolver:
    """A resolver with an HTTP client built from ``config`` (cache, identification, limits)."""
    from claimgraph.http import HttpClient, HttpSettings

    settings = HttpSettings.from_config(config, offline=offline, refresh=refresh)
    return ServiceResolver(HttpClient(settings), progress=progress)


# --------------------------------------------------------------------------- per-source state


@dataclass(eq=False)
class _Lookup:
    """One identifier of a source and what the services said about it."""

    kind: str  # "pmid" | "doi" | "pmcid"
    value: str | None  # normalised; None when the written value is not an identifier
    written: str | None  # as the source wrote it (None when taken from url/citation)
    records: list[Record] = field(default_factory=list)
    errors: list[ServiceError] = field(default_factory=list)
    #: the registration agency of a DOI Crossref does not hold (datacite, medra, ...)
    agency: str | None = None
    #: a service answered for it (a miss is then a real "does not exist")
    answered: bool = False

    @property
    def label(self) -> str:
        name = {"pmid": "PMID", "doi": "DOI", "pmcid": "PMCID"}[self.kind]
        return f"{name} {self.value or self.written}"


@dataclass(eq=False)
class _Item:
    source: Source
    cited: CitedFields
    lookups: list[_Lookup]
    notes: list[str]
    #: free-text search state
    candidates: list[tuple[Record, str]] = field(default_factory=list)
    search_errors: list[ServiceError] = field(default_factory=list)
    #: lookups of the accepted work's other record (its retraction status depends on them)
    completion_errors: list[ServiceError] = field(default_factory=list)
    accepted: tuple[Record, Comparison] | None = None
    near_miss: tuple[Record, float] | None = None

    def lookup(self, kind: str) -> _Lookup | None:
        return next((lk for lk in self.lookups if lk.kind == kind and lk.value), None)

    @property
    def valid_lookups(self) -> list[_Lookup]:
        return [lk for lk in self.lookups if lk.value]


def _prepare(source: Source) -> _Item:
    cited = CitedFields.from_source(source)
    notes = check_source_identifiers(source)
    lookups: list[_Lookup] = []
    normalizers = {"pmid": normalize_pmid, "doi": normalize_doi, "pmcid": normalize_pmcid}
    for kind, normalize in normalizers.items():
        raw = getattr(source, kind, None)
        if raw is None or not str(raw).strip():
            continue
        lookups.append(_Lookup(kind=kind, value=normalize(str(raw)), written=str(raw)))
    # identifiers the source did not carry in its fields: its link, then its citation text
    carried = {lk.kind for lk in lookups}
    extra: dict[str, str] = {}
    if source.url:
        named = identifier_from_url(source.url)
        if named is not None:
            extra.setdefault(named[0], named[1])
    for kind in ("pmid", "doi", "pmcid"):
        value = getattr(cited, kind)
        if value:
            extra.setdefault(kind, value)
    for kind, value in extra.items():
        if kind not in carried:
            lookups.append(_Lookup(kind=kind, value=value, written=None))
    return _Item(source=source, cited=cited, lookups=lookups, notes=notes)


# --------------------------------------------------------------------------- the resolver


class ServiceResolver:
    """Resolves sources against PubMed and Crossref through one :class:`HttpClient`."""

    def __init__(self, client: HttpClient, progress: Progress | None = None) -> None:
        self.client = client
        self.progress = progress

    def resolve(self, sources: Sequence[Source]) -> dict[str, Resolution]:
        """A Resolution for every source, keyed by id. Outages become ``unverifiable``."""
        total = len(sources)
        self._report(0, total)
        items = [_prepare(source) for source in sources]
        results: dict[str, Resolution] = {}

        with_ids = [item for item in items if item.valid_lookups]
        logger.debug("resolving %d sources, %d with identifiers", total, len(with_ids))
        free_text: list[_Item] = [item for item in items if not item.valid_lookups]
        # identifier lookups and free-text searches touch disjoint items and the client is
        # thread-safe: run them side by side so each service's rate budget is used at once
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimgraph-search") as pool:
            searching = pool.submit(
                self._resolve_free_text, [item for item in free_text if item.cited.searchable]
            )
            self._resolve_identifiers(with_ids)
            searching.result()
        late: list[_Item] = []
        for item in with_ids:
            resolution = self._identifier_verdict(item)
            if resolution is None:
                late.append(item)  # every identifier is missing: try the citation
            else:
                results[item.source.id] = resolution
        self._report(len(results), total)

        self._resolve_free_text([item for item in late if item.cited.searchable])
        free_text += late
        for item in free_text:
            results[item.source.id] = self._search_verdict(item)
        self._report(total, total)
        return {source.id: results[source.id] for source in sources}

    def _report(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(done, total)

    # ------------------------------------------------------------------ identifier rounds

    def _resolve_identifiers(self, items: Sequence[_Item]) -> None:
        client = self.client
        pmid_lookups = [lk for item in items if (lk := item.lookup("pmid"))]
        fetched = pubmed.fetch_records(client, [lk.value for lk in pmid_lookups if lk.value])
        _apply(pmid_lookups, fetched)

        # PMCIDs only where no PMID says it already
        pmc_lookups = [
            lk for item in items if not item.lookup("pmid") and (lk := item.lookup("pmcid"))
        ]
        if pmc_lookups:
            found = pubmed.search_pmcids(client, [lk.value for lk in pmc_lookups if lk.value])
            _apply(pmc_lookups, found)

        # DOIs without a PMID: PubMed by DOI (publication types and MeSH for grading)
        doi_lookups = [lk for item in items if (lk := item.lookup("doi"))]
        pubmed_by_doi = [
            lk for item in items if (lk := item.lookup("doi")) and not _pubmed_records(item)
        ]
        if pubmed_by_doi:
            found = pubmed.search_dois(client, [lk.value for lk in pubmed_by_doi if lk.value])
            _apply(pubmed_by_doi, found)

        # Crossref: the cited DOIs (full follow-up of misses), and the DOIs of PubMed records
        # (notices only Crossref knows, e.g. Retraction Watch)
        cited_dois = [lk.value for lk in doi_lookups if lk.value]
        lookup = crossref.fetch_works(client, cited_dois)
        for lk in doi_lookups:
            assert lk.value is not None
            _apply_crossref(lk, lookup)
        cited_set = set(cited_dois)
        extra = {
            record.doi
            for item in items
            for record in _pubmed_records(item)
            if record.doi and record.doi not in cited_set
        }
        if extra:
            companions = crossref.fetch_works(client, sorted(extra), follow_up=False)
            for item in items:
                for lk in item.valid_lookups:
                    for record in lk.records:
                        if record.doi in companions.failures:
                            lk.errors.append(companions.failures[record.doi])
                    lk.records = [_with_companion(r, companions.records) for r in lk.records]

    # ------------------------------------------------------------------ free-text rounds

    def _resolve_free_text(self, items: Sequence[_Item]) -> None:
        if not items:
            return
        client = self.client
        # 1. ECitMatch, one batch for every citation with enough structure
        queries: dict[str, tuple[_Item, pubmed.CitationQuery]] = {}
        for index, item in enumerate(items):
            query = _citation_query(f"c{index}", item.cited)
            if query is not None:
                queries[query.key] = (item, query)
        if queries:
            answers, failures = pubmed.match_citations(
                client, [query for _, query in queries.values()]
            )
            wanted: dict[str, list[_Item]] = {}
            for key, (item, _) in queries.items():
                if key in failures:
                    item.search_errors.append(failures[key])
                answer = answers.get(key)
                if answer is None:
                    continue
                for pmid in (answer.pmid,) if answer.pmid else answer.candidates:
                    wanted.setdefault(pmid, []).append(item)
            self._add_pubmed_candidates(wanted, "ecitmatch")
            self._accept(items)

        # 2. Crossref query.bibliographic, one request per remaining citation
        remaining = [item for item in items if item.accepted is None]
        if remaining:
            requests = [crossref.bibliographic_request(_query_text(item)) for item in remaining]
            answers_cr = client.get_many(crossref.SERVICE, requests)
            for item, reply in zip(remaining, answers_cr, strict=True):
                try:
                    if isinstance(reply, ServiceError):
                        raise reply
                    if reply.status != 200:
                        raise ServiceError(
                            crossref.SERVICE, f"works?query answered HTTP {reply.status}"
                        )
                    hits = crossref.parse_work_list(reply.text)
                except ServiceError as exc:
                    item.search_errors.append(exc)
                    continue
                item.candidates += [(hit.record, "crossref") for hit in hits[:_CANDIDATES]]
            self._accept(remaining)

        # 3. PubMed field-tag esearch for what is still open
        remaining = [item for item in items if item.accepted is None]
        terms = [(item, term) for item in remaining if (term := _field_term(item.cited))]
        if terms:
            requests_pm = [
                (
                    "esearch.fcgi",
                    {"db": "pubmed", "term": term, "retmode": "json", "retmax": str(_CANDIDATES)},
                )
                for _, term in terms
            ]
            answers_pm = client.get_many(pubmed.SERVICE, requests_pm)
            wanted = {}
            for (item, _), reply in zip(terms, answers_pm, strict=True):
                try:
                    if isinstance(reply, ServiceError):
                        raise reply
                    if reply.status != 200:
                        raise ServiceError(pubmed.SERVICE, f"esearch answered HTTP {reply.status}")
                    result = pubmed.parse_esearch_json(reply.text)
                    if result.fields_not_found:
                        raise ServiceError(pubmed.SERVICE, "esearch did not understand the query")
                except ServiceError as exc:
                    item.search_errors.append(exc)
                    continue
                for pmid in result.ids:
                    wanted.setdefault(pmid, []).append(item)
            self._add_pubmed_candidates(wanted, "esearch")
            self._accept(remaining)

        # 4. the other service's record of every accepted work
        self._complete([item for item in items if item.accepted is not None])

    def _add_pubmed_candidates(self, wanted: dict[str, list[_Item]], how: str) -> None:
        if not wanted:
            return
        fetched = pubmed.fetch_records(self.client, list(wanted))
        for pmid, waiting in wanted.items():
            record = fetched.records.get(pmid)
            for item in waiting:
                if record is not None:
                    item.candidates.append((record, how))
                elif pmid in fetched.failures:
                    item.search_errors.append(fetched.failures[pmid])

    def _accept(self, items: Iterable[_Item]) -> None:
        """Verify each item's candidates; keep the best one the fields support."""
        for item in items:
            if item.accepted is not None:
                continue
            best: tuple[Record, Comparison] | None = None
            for record, _ in item.candidates:
                comparison = compare(item.cited, record, found_by="search")
                score = comparison.title_score or 0.0
                if comparison.same_work:
                    if best is None or score > (best[1].title_score or 0.0):
                        best = (record, comparison)
                elif item.near_miss is None or score > item.near_miss[1]:
                    item.near_miss = (record, score)
            item.accepted = best

    def _complete(self, items: Sequence[_Item]) -> None:
        """Fetch the PubMed record of accepted Crossref works and the Crossref record of
        accepted PubMed works (by DOI, batched); merge them."""
        need_pubmed = [
            item
            for item in items
            if item.accepted
            and item.accepted[0].service == crossref.SERVICE
            and item.accepted[0].doi
        ]
        need_crossref = [
            item
            for item in items
            if item.accepted and item.accepted[0].service == pubmed.SERVICE and item.accepted[0].doi
        ]
        if need_pubmed:
            dois = [i.accepted[0].doi for i in need_pubmed if i.accepted and i.accepted[0].doi]
            found = pubmed.search_dois(self.client, dois)
            for item in need_pubmed:
                assert item.accepted is not None
                record = item.accepted[0]
                key = record.doi or ""
                companion = found.records.get(key)
                if companion is not None:
                    merged = companion.merged_with(record)
                    item.accepted = (merged, compare(item.cited, merged, found_by="search"))
                elif key in found.failures:
                    item.completion_errors.append(found.failures[key])
        if need_crossref:
            dois = [i.accepted[0].doi for i in need_crossref if i.accepted and i.accepted[0].doi]
            lookup = crossref.fetch_works(self.client, dois, follow_up=False)
            for item in need_crossref:
                assert item.accepted is not None
                record, comparison = item.accepted
                if record.doi in lookup.failures:
                    item.completion_errors.append(lookup.failures[record.doi])
                item.accepted = (_with_companion(record, lookup.records), comparison)

    # ------------------------------------------------------------------ verdicts

    def _identifier_verdict(self, item: _Item) -> Resolution | None:
        """The verdict from identifiers, or None when every identifier is missing and the
        citation is worth a free-text search.

        A lookup that failed leaves the check incomplete: only a retraction stands then
        (found retracted is retracted whatever the other service says); anything else is
        ``unverifiable``.
        """
        resolution = self._identifier_evidence(item)
        errors = [e for lk in item.valid_lookups for e in lk.errors]
        if resolution is None or not errors or resolution.status is SourceStatus.UNVERIFIABLE:
            return resolution
        if resolution.status is SourceStatus.RETRACTED:
            return resolution
        return _incomplete(errors, resolution, item.notes)

    def _identifier_evidence(self, item: _Item) -> Resolution | None:
        lookups = item.valid_lookups
        works = _group_works(lk for lk in lookups)
        notes = list(item.notes)
        if not works:
            errors = [e for lk in lookups for e in lk.errors]
            if errors:
                return _unverifiable(errors, notes)
            agencies = [lk for lk in lookups if lk.agency]
            if agencies:
                lk = agencies[0]
                notes.insert(
                    0,
                    f"{lk.label} is registered with {lk.agency}, not Crossref; "
                    "claimgraph checks PubMed and Crossref only",
                )
                return Resolution(status=SourceStatus.UNVERIFIABLE, message="; ".join(notes))
            if item.cited.title or item.cited.citation:
                return None
            if all(lk.kind == "pmcid" for lk in lookups):
                # PMC holds articles PubMed does not: absent from PubMed is not "no such PMCID"
                label = lookups[0].label
                notes.insert(0, f"{label} is not in PubMed; claimgraph does not check PMC")
                return Resolution(status=SourceStatus.UNVERIFIABLE, message="; ".join(notes))
            return Resolution(
                status=SourceStatus.NOT_FOUND,
                message="; ".join([*_missing_messages(item), *notes]),
            )
        # the work the citation describes: among the works its identifiers name, the one the
        # cited fields agree with best
        judged = [(record, names, compare(item.cited, record)) for record, names in works]
        judged.sort(key=lambda w: (not w[2].same_work, -(w[2].title_score or 0.0)))
        record, names, comparison = judged[0]
        differences = list(comparison.differences)
        if not comparison.same_work:
            label = " and ".join(lk.label for lk in lookups if lk in names)
            notes.insert(0, f"{label} belongs to a different work: {_describe(record)}")
            return Resolution(
                status=SourceStatus.MISMATCH,
                record=record,
                differences=tuple(differences),
                different_work=True,
                message="; ".join(notes),
            )
        # identifiers that do not lead to this work are wrong details of the citation
        for lk in item.lookups:
            if lk in names or lk.written is None:
                continue
            own = _identifier(record, lk.kind)
            if lk.value and own == lk.value:
                continue  # the record carries it (e.g. a PMCID not looked up by itself)
            if not lk.value:
                pass  # check_source_identifiers already says why it is not an identifier
            elif lk.errors and not lk.records:
                service = _LABELS[lk.errors[0].service]
                notes.append(f"{lk.label} could not be checked ({service} unreachable)")
                continue
            elif lk.records:
                notes.append(f"{lk.label} belongs to another work: {_describe(lk.records[0])}")
            elif lk.agency:
                notes.append(f"{lk.label} is registered with {lk.agency}, not checked")
                continue
            elif lk.answered:
                notes.append(f"{lk.label} does not exist")
            elif own:
                notes.append(f"{lk.label} is not the record's ({own})")
            else:
                continue  # not looked up and nothing to compare it with
            differences.append(FieldDifference(field=lk.kind, cited=lk.written, record=own))
        return _verdict(item, record, comparison, tuple(differences), notes)

    def _search_verdict(self, item: _Item) -> Resolution:
        notes = list(item.notes)
        missing = _missing_messages(item)
        if item.accepted is not None:
            record, comparison = item.accepted
            differences = list(comparison.differences)
            for lk in item.lookups:
                own = _identifier(record, lk.kind)
                if lk.written is not None and not (lk.value and own == lk.value):
                    differences.append(FieldDifference(field=lk.kind, cited=lk.written, record=own))
            resolution = _verdict(item, record, comparison, tuple(differences), [*missing, *notes])
            if item.completion_errors and resolution.status is not SourceStatus.RETRACTED:
                return _incomplete(item.completion_errors, resolution, item.notes)
            return resolution
        if missing:
            # the identifiers the source gives do not exist: that is an answer
            if item.search_errors:
                notes.append(
                    "the citation could not be searched: " + _error_text(item.search_errors[0])
                )
            return Resolution(status=SourceStatus.NOT_FOUND, message="; ".join([*missing, *notes]))
        if item.search_errors:
            return _unverifiable(item.search_errors, notes)
        if not item.cited.searchable:
            return Resolution(
                status=SourceStatus.NOT_FOUND,
                message="; ".join(
                    notes or ["nothing to look up: no identifier, title or citation"]
                ),
            )
        message = "no PubMed or Crossref record matches the citation"
        if item.near_miss is not None:
            record, score = item.near_miss
            message += f" (closest: {_describe(record)}, title similarity {score:.0f})"
        return Resolution(status=SourceStatus.NOT_FOUND, message="; ".join([message, *notes]))


# --------------------------------------------------------------------------- helpers


def _apply(lookups: Iterable[_Lookup], outcome: pubmed.FetchOutcome) -> None:
    for lk in lookups:
        if lk.value is None:
            continue
        record = outcome.records.get(lk.value)
        if record is not None:
            lk.records.append(record)
            lk.answered = True
        elif lk.value in outcome.failures:
            lk.errors.append(outcome.failures[lk.value])
        else:
            lk.answered = True


def _apply_crossref(lk: _Lookup, lookup: crossref.DoiLookup) -> None:
    assert lk.value is not None
    record = lookup.records.get(lk.value)
    if record is not None:
        lk.records.append(record)
        lk.answered = True
    elif lk.value in lookup.failures:
        lk.errors.append(lookup.failures[lk.value])
    else:
        lk.answered = True
        lk.agency = lookup.other_agency.get(lk.value)


def _pubmed_records(item: _Item) -> list[Record]:
    return [r for lk in item.valid_lookups for r in lk.records if r.service == pubmed.SERVICE]


def _with_companion(record: Record, crossref_records: dict[str, Record]) -> Record:
    """A PubMed record merged with the Crossref record of its DOI, when there is one."""
    if record.service != pubmed.SERVICE or not record.doi:
        return record
    companion = crossref_records.get(record.doi)
    return record.merged_with(companion) if companion is not None else record


def _same_work(a: Record, b: Record) -> bool:
    if a.doi and b.doi:
        return a.doi == b.doi
    if a.pmid and b.pmid:
        return a.pmid == b.pmid
    if a.title and b.title:
        return title_similarity(a.title, b.title) >= TITLE_SAME
    return False


def _group_works(lookups: Iterable[_Lookup]) -> list[tuple[Record, list[_Lookup]]]:
    """The distinct works the identifiers lead to, each merged across services (PubMed
    first), with the identifiers that lead to it."""
    works: list[tuple[Record, list[_Lookup]]] = []
    for lk in lookups:
        for record in lk.records:
            for index, (work, names) in enumerate(works):
                if _same_work(work, record):
                    merged = (
                        work.merged_with(record)
                        if work.service == pubmed.SERVICE
                        else record.merged_with(work)
                        if record.service == pubmed.SERVICE
                        else work
                    )
                    if lk not in names:
                        names.append(lk)
                    works[index] = (merged, names)
                    break
            else:
                works.append((record, [lk]))
    return works


def _identifier(record: Record, kind: str) -> str:
    value = {"pmid": record.pmid, "doi": record.doi, "pmcid": record.pmcid}.get(kind)
    return value or ""


def _describe(record: Record) -> str:
    first = record.authors[0].family if record.authors else None
    where = ", ".join(str(p) for p in (first, record.year) if p)
    ident = f"PMID {record.pmid}" if record.pmid else f"DOI {record.doi}" if record.doi else ""
    text = f'"{record.title or "(untitled)"}"'
    if where:
        text += f" ({where})"
    if ident:
        text += f", {ident}"
    return text


def _missing_messages(item: _Item) -> list[str]:
    messages: list[str] = []
    for lk in item.lookups:
        if not lk.value:
            continue  # check_source_identifiers already says why it is not an identifier
        if lk.kind == "pmcid":
            continue  # PMC is not checked: a PMCID PubMed lacks may still exist
        if lk.answered and not lk.records and not lk.agency and not lk.errors:
            where = "PubMed" if lk.kind == "pmid" else "Crossref or PubMed"
            messages.append(f"{lk.label} does not exist in {where}")
    return messages


def _error_text(error: ServiceError) -> str:
    if isinstance(error, OfflineCacheMiss):
        return f"{_LABELS.get(error.service, error.service)}: offline and not in the cache"
    return str(error)


def _unreachable(errors: Sequence[ServiceError]) -> tuple[str, ...]:
    """The services that could not be reached; an offline cache miss is not an outage."""
    return tuple(dict.fromkeys(e.service for e in errors if not isinstance(e, OfflineCacheMiss)))


def _unverifiable(errors: Sequence[ServiceError], notes: Sequence[str]) -> Resolution:
    services = _unreachable(errors)
    reasons = "; ".join(dict.fromkeys(_error_text(e) for e in errors))
    return Resolution(
        status=SourceStatus.UNVERIFIABLE,
        message="; ".join(["could not be checked: " + reasons, *notes]),
        unreachable=services,
    )


def _incomplete(
    errors: Sequence[ServiceError], found: Resolution, notes: Sequence[str]
) -> Resolution:
    """``unverifiable``: something was found, but a lookup it depends on failed."""
    services = _unreachable(errors)
    reasons = "; ".join(dict.fromkeys(_error_text(e) for e in errors))
    seen = f"found {_describe(found.record)}, " if found.record is not None else ""
    return Resolution(
        status=SourceStatus.UNVERIFIABLE,
        record=found.record,
        message="; ".join([f"{seen}but the check is incomplete: {reasons}", *notes]),
        unreachable=services,
    )


def _verdict(
    item: _Item,
    record: Record,
    comparison: Comparison,
    differences: tuple[FieldDifference, ...],
    notes: list[str],
) -> Resolution:
    source = item.source
    found_doi = record.doi if not (source.doi and str(source.doi).strip()) else None
    found_pmid = record.pmid if not (source.pmid and str(source.pmid).strip()) else None
    if record.is_retracted:
        status = SourceStatus.RETRACTED
        notes.insert(0, _retraction_text(record))
    elif differences:
        status = SourceStatus.MISMATCH
        details = ", ".join(
            f"{d.field} (cited {d.cited or '-'}, record {d.record or '-'})" for d in differences
        )
        notes.insert(0, f"the citation differs from {_describe(record)} in {details}")
    else:
        status = SourceStatus.VERIFIED
        ident = f"PMID {record.pmid}" if record.pmid else f"DOI {record.doi}"
        notes.insert(0, f"matches {ident}")
    return Resolution(
        status=status,
        record=record,
        differences=differences,
        message="; ".join(notes),
        found_doi=found_doi,
        found_pmid=found_pmid,
    )


def _retraction_text(record: Record) -> str:
    parts: list[str] = []
    if any(pt.lower() == "retracted publication" for pt in record.publication_types):
        parts.append("PubMed marks it Retracted Publication")
    for update in record.updates:
        if update.type in {"retraction", "withdrawal"}:
            notice = f"PMID {update.pmid}" if update.pmid else update.doi or "a notice"
            parts.append(f"{update.type} notice {notice} ({update.origin})")
    return "retracted: " + "; ".join(dict.fromkeys(parts) or ["retraction notice"])


def _citation_query(key: str, cited: CitedFields) -> pubmed.CitationQuery | None:
    """An ECitMatch line when journal, year and volume or first page are known."""
    if not (cited.journal and cited.year and (cited.volume or cited.pages)):
        return None
    first_page = None
    if cited.pages:
        first_page = cited.pages.replace("\u2013", "-").split("-")[0].strip() or None
    author = None
    if cited.first_author:
        author = cited.first_author.lower()
    return pubmed.CitationQuery(
        key=key,
        journal=cited.journal,
        year=cited.year,
        volume=cited.volume,
        first_page=first_page,
        author=author,
    )


def _query_text(item: _Item) -> str:
    """The free text for Crossref: the citation as written, else the fields joined."""
    cited = item.cited
    if cited.citation and cited.citation.strip():
        return cited.citation
    parts = [
        ", ".join(cited.authors[:3]),
        cited.title,
        cited.journal,
        str(cited.year) if cited.year else None,
        cited.volume,
        cited.pages,
    ]
    return " ".join(p for p in parts if p)


def _field_term(cited: CitedFields) -> str | None:
    author = surname_of(cited.first_author) if cited.first_author else None
    return pubmed.field_query(title=cited.title, author=author, year=cited.year)
