"""PubMed (NCBI E-utilities) client: identifiers and free-text citations to records.

``fetch("pmid", ids)`` efetches records by PMID (POST, :data:`EFETCH_BATCH` a request);
``fetch("doi" | "pmcid", ids)`` finds the records of DOIs or PMCIDs with ``"..."[doi]`` terms
OR-ed into one esearch POST (:data:`ID_SEARCH_BATCH` a request) and maps each record back by
its own identifier; ``search(queries)`` matches structured citations with ECitMatch
(:data:`ECITMATCH_BATCH` lines a request) and the rest with field-tag terms, several OR-ed into
one esearch. Every answer is stored per PMID, identifier, citation line or term, so later runs
and edited projects ask only about what is new. Parsing lives in :mod:`.pubmed_parse`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Mapping, Sequence

from claimgraph.errors import ServiceError
from claimgraph.http import HttpClient, HttpResponse, as_value
from claimgraph.records import Record
from claimgraph.resolvers.lookup import Lookup, OnBatch, SearchQuery, StoredRound, chunks
from claimgraph.resolvers.pubmed_parse import (
    DOI_TAG,
    PMCID_TAG,
    SERVICE,
    CitationQuery,
    SearchResult,
    ecitmatch_bdata,
    field_query,
    parse_ecitmatch,
    parse_efetch,
    parse_esearch_json,
)
from claimgraph.store import Answer, RecordStore

__all__ = ["ECITMATCH_BATCH", "EFETCH_BATCH", "ID_SEARCH_BATCH", "SERVICE", "PubMedClient"]

logger = logging.getLogger(__name__)

#: ids per efetch POST (NCBI: POST above ~200 ids; 200 keeps every request well-formed)
EFETCH_BATCH = 200
#: identifiers (DOIs, PMCIDs) OR-ed into one esearch term, sent by POST
ID_SEARCH_BATCH = 100
#: free-text field-tag terms OR-ed into one esearch
TERM_SEARCH_BATCH = 10
#: citations per ECitMatch request, and the longest bdata sent in one GET (URL length)
ECITMATCH_BATCH = 100
ECITMATCH_MAX_CHARS = 6000
#: candidates kept per free-text query
CANDIDATES = 5
_WORD = re.compile(r"[^\W_]+")


def _check_status(response: HttpResponse, what: str) -> None:
    if response.status != 200:
        raise ServiceError(SERVICE, f"{what} answered HTTP {response.status}")


class PubMedClient:
    """PubMed behind the record store."""

    service = SERVICE

    def __init__(self, http: HttpClient, store: RecordStore) -> None:
        self.http = http
        self.store = store
        self._round = StoredRound(http, store, SERVICE)

    # ------------------------------------------------------------------ identifiers

    def fetch(
        self, scheme: str, ids: Sequence[str], on_batch: OnBatch | None = None
    ) -> dict[str, Lookup]:
        """Records by PMID, DOI (lower case) or PMCID (``PMC123``), keyed as asked.

        ``on_batch`` sees the lookups of each batch as it arrives (stored ones first)."""
        if scheme == "pmid":
            return self._fetch_pmids(ids, on_batch)
        if scheme == "doi":
            return self._by_identifier("doi", [v.lower() for v in ids], DOI_TAG, _doi_of)
        if scheme == "pmcid":
            return self._by_identifier("pmcid", ids, PMCID_TAG, _pmcid_of)
        raise ValueError(f"PubMed cannot fetch by {scheme!r}")

    def _fetch_pmids(
        self, pmids: Sequence[str], on_batch: OnBatch | None = None
    ) -> dict[str, Lookup]:
        keys = {pmid: _key("pmid", pmid) for pmid in pmids}
        stored, missing, offline = self._round.split(keys)
        result = {pmid: Lookup(pmid, records=answer.records) for pmid, answer in stored.items()}
        result.update(offline)
        if on_batch is not None and result:
            on_batch(dict(result))
        for chunk in chunks(missing, EFETCH_BATCH):
            batch = self._efetch(chunk, keys)
            result.update(batch)
            if on_batch is not None:
                on_batch(batch)
        return result

    def _efetch(self, chunk: Sequence[str], keys: Mapping[str, str]) -> dict[str, Lookup]:
        try:
            response = self.http.post(
                SERVICE, "efetch.fcgi", {"db": "pubmed", "id": ",".join(chunk), "retmode": "xml"}
            )
            _check_status(response, "efetch")
            records = parse_efetch(response.text)
        except ServiceError as exc:
            error = as_value(exc)
            logger.info("efetch of %d PMIDs failed: %s", len(chunk), error)
            return {pmid: Lookup(pmid, error=error) for pmid in chunk}
        asked = set(chunk)
        found = {record.pmid: record for record in records if record.pmid in asked}
        answers = {pmid: Answer(records=(found[pmid],) if pmid in found else ()) for pmid in chunk}
        self.store.put_many({keys[pmid]: answer for pmid, answer in answers.items()})
        return {pmid: Lookup(pmid, records=answer.records) for pmid, answer in answers.items()}

    def _esearch(self, term: str, retmax: int) -> SearchResult:
        response = self.http.post(
            SERVICE,
            "esearch.fcgi",
            {"db": "pubmed", "term": term, "retmode": "json", "retmax": str(retmax)},
        )
        _check_status(response, "esearch")
        result = parse_esearch_json(response.text)
        if result.fields_not_found:
            raise ServiceError(
                SERVICE, f"esearch did not understand {', '.join(result.fields_not_found)}"
            )
        return result

    def _by_identifier(
        self,
        scheme: str,
        values: Sequence[str],
        tag: str,
        key_of: Callable[[Record], str | None],
    ) -> dict[str, Lookup]:
        """Records for DOIs or PMCIDs; the efetched records are mapped back by their own
        identifier, so a search hit for another value is never attributed to the wrong one."""
        keys = {value: _key(scheme, value) for value in values}
        stored, missing, offline = self._round.split(keys)
        result: dict[str, Lookup] = dict(offline)
        searched: list[tuple[Sequence[str], SearchResult]] = []
        for chunk in chunks(missing, ID_SEARCH_BATCH):
            # inside double quotes brackets are literal (DOIs like 10.1016/0005-2795(76)90109-4)
            term = " OR ".join(f'"{value.replace(chr(34), " ")}"{tag}' for value in chunk)
            try:
                searched.append((chunk, self._esearch(term, retmax=len(chunk) * 3)))
            except ServiceError as exc:
                error = as_value(exc)
                result.update({value: Lookup(value, error=error) for value in chunk})
        wanted = [p for answer in stored.values() for p in answer.ids]
        wanted += [p for _, found in searched for p in found.ids]
        fetched = self._fetch_pmids(list(dict.fromkeys(wanted)))
        for value, answer in stored.items():
            result[value] = _gathered(value, answer.ids, fetched)
        answers: dict[str, Answer] = {}
        for chunk, found in searched:
            by_key: dict[str, Record] = {}
            failed = [fetched[p].error for p in found.ids if fetched[p].error is not None]
            for pmid in found.ids:
                for record in fetched[pmid].records:
                    own = key_of(record)
                    if own:
                        by_key.setdefault(own, record)
            complete = found.count <= len(found.ids)
            for value in chunk:
                hit = by_key.get(value)
                if hit is not None and hit.pmid:
                    answers[value] = Answer(ids=(hit.pmid,))
                    result[value] = Lookup(value, records=(hit,))
                elif failed:
                    # a record we could not fetch may be this one's: not an answer
                    result[value] = Lookup(value, error=failed[0])
                else:
                    result[value] = Lookup(value)
                    if complete:
                        answers[value] = Answer()
        self.store.put_many({keys[value]: answer for value, answer in answers.items()})
        return result

    # ------------------------------------------------------------------ free text

    def asks_about(self, query: SearchQuery) -> bool:
        """Whether :meth:`search` sends ``query`` anywhere (an ECitMatch line or a field
        search); one it does not send gets no lookup error when nothing can be asked."""
        return _citation(query) is not None or _term(query) is not None

    def store_keys(self, scheme: str, value: str) -> list[str]:
        """Where :meth:`fetch` keeps its answer about one identifier (DOIs lower-case)."""
        return [_key(scheme, value.lower() if scheme == "doi" else value)]

    def search_keys(self, query: SearchQuery) -> list[str]:
        """Where :meth:`search` may keep its answers about ``query``."""
        citation, term = _citation(query), _term(query)
        keys = [_citation_key(citation)] if citation is not None else []
        return keys + ([_term_key(term)] if term is not None else [])

    def search(self, queries: Sequence[SearchQuery]) -> dict[str, Lookup]:
        """Candidate records per query: ECitMatch for citations with journal, year and
        volume or first page; field-tag esearch for the rest and for what ECitMatch missed."""
        unique = {query.key: query for query in queries}
        errors: dict[str, ServiceError] = {}
        ids: dict[str, tuple[str, ...]] = {}
        structured = {k: c for k, q in unique.items() if (c := _citation(q)) is not None}
        for key, (found, error) in self._match_citations(structured).items():
            ids[key] = found
            if error is not None:
                errors[key] = error
        terms = {
            key: term
            for key, query in unique.items()
            if not ids.get(key) and (term := _term(query)) is not None
        }
        term_batches, term_found = self._search_terms(terms, errors)
        wanted = [p for found in [*ids.values(), *term_found.values()] for p in found]
        wanted += [p for _, batch_result in term_batches for p in batch_result.ids]
        fetched = self._fetch_pmids(list(dict.fromkeys(wanted)))
        answers: dict[str, Answer] = {}
        for batch, result_ in term_batches:
            for key, pmids in _attribute(batch, result_, fetched, unique).items():
                term_found[key] = pmids
                if pmids or result_.count <= len(result_.ids):
                    answers[_term_key(terms[key])] = Answer(ids=pmids)
        self.store.put_many(answers)
        result: dict[str, Lookup] = {}
        for key in unique:
            pmids = ids.get(key, ()) + term_found.get(key, ())
            gathered = _gathered(key, tuple(dict.fromkeys(pmids)), fetched)
            error = errors.get(key) or gathered.error
            result[key] = Lookup(key, records=gathered.records, error=error)
        return result

    def _match_citations(
        self, citations: Mapping[str, CitationQuery]
    ) -> dict[str, tuple[tuple[str, ...], ServiceError | None]]:
        """``query key -> (PMIDs, error)`` from ECitMatch (stored per citation line)."""
        keys = {key: _citation_key(c) for key, c in citations.items()}
        stored, missing, offline = self._round.split(keys)
        result: dict[str, tuple[tuple[str, ...], ServiceError | None]] = {
            key: (answer.ids, None) for key, answer in stored.items()
        }
        result.update({key: ((), lookup.error) for key, lookup in offline.items()})
        answers: dict[str, Answer] = {}
        numbered = {f"c{index}": key for index, key in enumerate(missing)}
        lines = [
            CitationQuery(
                key=line,
                journal=citations[key].journal,
                year=citations[key].year,
                volume=citations[key].volume,
                first_page=citations[key].first_page,
                author=citations[key].author,
            )
            for line, key in numbered.items()
        ]
        for batch in _ecitmatch_batches(lines):
            try:
                response = self.http.get(
                    SERVICE,
                    "ecitmatch.cgi",
                    {"db": "pubmed", "retmode": "xml", "bdata": ecitmatch_bdata(batch)},
                )
                _check_status(response, "ecitmatch")
                parsed = parse_ecitmatch(response.text)
            except ServiceError as exc:
                error = as_value(exc)
                result.update({numbered[line.key]: ((), error) for line in batch})
                continue
            for line in batch:
                key = numbered[line.key]
                match = parsed.get(line.key)
                if match is None:
                    result[key] = ((), None)  # ECitMatch said nothing: not an answer
                    continue
                found = (match.pmid,) if match.pmid else match.candidates
                answers[keys[key]] = Answer(ids=found)
                result[key] = (found, None)
        self.store.put_many(answers)
        return result

    def _search_terms(
        self, terms: Mapping[str, str], errors: dict[str, ServiceError]
    ) -> tuple[list[tuple[Sequence[str], SearchResult]], dict[str, tuple[str, ...]]]:
        """Stored term answers, and the esearch results of the rest (OR-batched)."""
        keys = {key: _term_key(term) for key, term in terms.items()}
        stored, missing, offline = self._round.split(keys)
        found = {key: answer.ids for key, answer in stored.items()}
        for key, lookup in offline.items():
            if lookup.error is not None:
                errors.setdefault(key, lookup.error)
        batches: list[tuple[Sequence[str], SearchResult]] = []
        for batch in chunks(missing, TERM_SEARCH_BATCH):
            joined = " OR ".join(f"({terms[key]})" for key in batch)
            if len(batch) == 1:
                joined = terms[batch[0]]
            try:
                batches.append((batch, self._esearch(joined, retmax=CANDIDATES * len(batch))))
            except ServiceError as exc:
                error = as_value(exc)
                errors.update(dict.fromkeys(batch, error))
        return batches, found


# --------------------------------------------------------------------------- helpers


def _key(scheme: str, value: str) -> str:
    return f"pubmed:{scheme}:{value}"


def _citation_key(citation: CitationQuery) -> str:
    return "pubmed:citation:" + ecitmatch_bdata([citation])


def _term_key(term: str) -> str:
    return f"pubmed:term:{term}"


def _doi_of(record: Record) -> str | None:
    return record.doi


def _pmcid_of(record: Record) -> str | None:
    return record.pmcid


def _gathered(key: str, pmids: Sequence[str], fetched: Mapping[str, Lookup]) -> Lookup:
    """The records of ``pmids``; an error only when none could be had and one failed."""
    records: list[Record] = []
    error: ServiceError | None = None
    for pmid in pmids:
        lookup = fetched.get(pmid)
        if lookup is None:
            continue
        records += lookup.records
        error = error or lookup.error
    return Lookup(key, records=tuple(records), error=None if records else error)


def _citation(query: SearchQuery) -> CitationQuery | None:
    """An ECitMatch line when journal, year and volume or first page are known."""
    if not (query.journal and query.year and (query.volume or query.first_page)):
        return None
    return CitationQuery(
        key="",
        journal=query.journal,
        year=query.year,
        volume=query.volume,
        first_page=query.first_page,
        author=query.first_author.lower() if query.first_author else None,
    )


def _term(query: SearchQuery) -> str | None:
    return field_query(title=query.title, author=query.surname, year=query.year)


def _words(text: str | None) -> set[str]:
    return set(_WORD.findall(text.lower())) if text else set()


def _attribute(
    batch: Sequence[str],
    found: SearchResult,
    fetched: Mapping[str, Lookup],
    queries: Mapping[str, SearchQuery],
) -> dict[str, tuple[str, ...]]:
    """Which hits of an OR-ed esearch belong to which query: those whose title holds the
    query's title words (what the ``[ti]`` terms asked for). One query: all of them."""
    if len(batch) == 1:
        return {batch[0]: found.ids[:CANDIDATES]}
    titles = {pmid: _words(record.title) for pmid in found.ids for record in fetched[pmid].records}
    attributed: dict[str, tuple[str, ...]] = {}
    for key in batch:
        term = _term(queries[key]) or ""
        wanted = set(re.findall(r"([^\W_]+)\[ti\]", term))
        hits = [pmid for pmid, words in titles.items() if wanted and wanted <= words]
        attributed[key] = tuple(hits[:CANDIDATES])
    return attributed


def _ecitmatch_batches(queries: Sequence[CitationQuery]) -> Iterator[list[CitationQuery]]:
    batch: list[CitationQuery] = []
    size = 0
    for query in queries:
        line = len(ecitmatch_bdata([query])) + 1
        if batch and (len(batch) >= ECITMATCH_BATCH or size + line > ECITMATCH_MAX_CHARS):
            yield batch
            batch, size = [], 0
        batch.append(query)
        size += line
    if batch:
        yield batch
