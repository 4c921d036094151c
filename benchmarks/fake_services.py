"""Local stand-ins for NCBI E-utilities and the Crossref REST API, limits included.

A threaded HTTP server on 127.0.0.1 (random port) that answers like the real services, for a
synthetic universe of works (deterministic: the same PMID always gives the same record):

* E-utilities under ``/eutils/``: ``efetch.fcgi`` (GET or POST; PubmedArticleSet XML shaped
  like the recorded responses, empty set for unknown PMIDs), ``esearch.fcgi`` (JSON; ``[doi]``,
  ``[pmcid]``, ``[pmid]``, ``[ti]``, ``[au]``, ``[dp]``, ``[ta]`` terms joined by AND / OR),
  ``ecitmatch.cgi`` (plain-text lines, as documented).
* Crossref under ``/crossref/``: ``works/{doi}`` (work JSON, or 404 ``Resource not found.``),
  ``works/{doi}/agency``, ``works?filter=doi:A,doi:B`` and ``works?query.bibliographic=``
  (work lists, with relevance scores for queries).

Limits are enforced the way the services document them, answering 429 when exceeded:
E-utilities 3 requests/s (10 with ``api_key``) over all endpoints; Crossref public pool 5/s
single-DOI and 1/s list requests with 1 request in flight, polite pool (``mailto``) 10/s, 3/s
and 3 in flight. A request counts when it arrives; rates are checked over the trailing second.
Every request takes ``latency`` seconds (50 ms by default). Requests and 429s are counted per
endpoint.

Usage::

    with FakeServices() as fake:
        settings = HttpSettings(pubmed_url=fake.pubmed_url, crossref_url=fake.crossref_url, ...)
        ...
        print(fake.stats())
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from benchmarks.fake_universe import (
    DOI_PREFIX,
    FakeWork,
    WorkUniverse,
    crossref_work,
    efetch_xml,
    envelope,
    journal_key,
    tokens,
    work_list,
)

__all__ = ["DOI_PREFIX", "FakeServices", "FakeWork", "WorkUniverse"]

# --------------------------------------------------------------------------- limits


class _Window:
    """Arrivals over the trailing second; refuses the one that would exceed ``limit``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._times: deque[float] = deque()

    def admit(self, now: float) -> bool:
        while self._times and self._times[0] <= now - 1.0:
            self._times.popleft()
        if len(self._times) >= self.limit:
            return False
        self._times.append(now)
        return True


@dataclass
class EndpointCounts:
    requests: int = 0
    rate_limited: int = 0


@dataclass
class _Limits:
    lock: threading.Lock = field(default_factory=threading.Lock)
    windows: dict[str, _Window] = field(default_factory=dict)
    active: dict[str, int] = field(default_factory=dict)


#: (requests/s single, requests/s list, in flight) per Crossref pool
CROSSREF_POOLS = {"polite": (10, 3, 3), "public": (5, 1, 1)}
NCBI_RATE = {False: 3, True: 10}


class _Reply:
    def __init__(
        self, status: int, body: str, content_type: str, headers: Mapping[str, str] | None = None
    ) -> None:
        self.status = status
        self.body = body.encode("utf-8")
        self.content_type = content_type
        self.headers = dict(headers or {})


# --------------------------------------------------------------------------- the server


class FakeServices:
    """E-utilities and Crossref on one local port. A context manager; thread-safe."""

    def __init__(
        self,
        universe: WorkUniverse | None = None,
        *,
        latency: float = 0.05,
        enforce_limits: bool = True,
    ) -> None:
        self.universe = universe or WorkUniverse()
        self.latency = latency
        self.enforce_limits = enforce_limits
        self._counts: dict[str, EndpointCounts] = {}
        self._counts_lock = threading.Lock()
        self._limits = _Limits()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.max_in_flight: dict[str, int] = {}

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> FakeServices:
        services = self

        class Handler(_Handler):
            fake = services

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "use FakeServices as a context manager"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/"

    @property
    def pubmed_url(self) -> str:
        return self.base_url + "eutils/"

    @property
    def crossref_url(self) -> str:
        return self.base_url + "crossref/"

    # ------------------------------------------------------------------ counters

    def stats(self) -> dict[str, EndpointCounts]:
        """Requests and 429s per endpoint, e.g. ``"pubmed efetch.fcgi"``."""
        with self._counts_lock:
            return {k: EndpointCounts(v.requests, v.rate_limited) for k, v in self._counts.items()}

    def total_requests(self) -> int:
        return sum(counts.requests for counts in self.stats().values())

    def total_rate_limited(self) -> int:
        return sum(counts.rate_limited for counts in self.stats().values())

    def reset_stats(self) -> None:
        with self._counts_lock:
            self._counts.clear()

    def _count(self, endpoint: str, *, limited: bool = False) -> None:
        with self._counts_lock:
            counts = self._counts.setdefault(endpoint, EndpointCounts())
            counts.requests += 1
            counts.rate_limited += int(limited)

    # ------------------------------------------------------------------ limits

    def _admit_rate(self, key: str, limit: int, now: float) -> bool:
        with self._limits.lock:
            window = self._limits.windows.setdefault(key, _Window(limit))
            return window.admit(now)

    @contextmanager
    def _in_flight(self, pool: str, limit: int) -> Iterator[bool]:
        with self._limits.lock:
            active = self._limits.active.get(pool, 0)
            admitted = active < limit
            if admitted:
                self._limits.active[pool] = active + 1
                self.max_in_flight[pool] = max(self.max_in_flight.get(pool, 0), active + 1)
        try:
            yield admitted
        finally:
            if admitted:
                with self._limits.lock:
                    self._limits.active[pool] -= 1

    # ------------------------------------------------------------------ dispatch

    def handle(self, method: str, path: str, query: str, body: str, agent: str) -> _Reply:
        arrival = time.monotonic()
        params = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
        if method == "POST":
            params.update({k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()})
        if path.startswith("/eutils/"):
            return self._eutils(path[len("/eutils/") :], params, arrival)
        if path.startswith("/crossref/"):
            return self._crossref(path[len("/crossref/") :], params, agent, arrival)
        self._count("other")
        return _Reply(404, "Not Found", "text/plain")

    def _eutils(self, endpoint: str, params: dict[str, str], arrival: float) -> _Reply:
        name = f"pubmed {endpoint}"
        keyed = bool(params.get("api_key"))
        limit = NCBI_RATE[keyed]
        if self.enforce_limits and not self._admit_rate(f"ncbi:{keyed}", limit, arrival):
            self._count(name, limited=True)
            body = json.dumps({"error": "API rate limit exceeded", "count": str(limit + 1)})
            return _Reply(429, body, "application/json")
        self._count(name)
        time.sleep(self.latency)
        if endpoint == "efetch.fcgi":
            return self._efetch(params)
        if endpoint == "esearch.fcgi":
            return self._esearch(params)
        if endpoint == "ecitmatch.cgi":
            return self._ecitmatch(params)
        return _Reply(404, "Not Found", "text/html")

    def _crossref(self, path: str, params: dict[str, str], agent: str, arrival: float) -> _Reply:
        polite = bool(params.get("mailto")) or "mailto:" in agent
        pool = "polite" if polite else "public"
        single_rate, list_rate, in_flight = CROSSREF_POOLS[pool]
        segments = [unquote(part) for part in path.split("/") if part]
        is_list = len(segments) <= 1
        if is_list:
            kind = "works?filter" if "filter" in params else "works?query"
        else:
            kind = "works/{doi}/agency" if segments[-1] == "agency" else "works/{doi}"
        name = f"crossref {kind}"
        headers = {
            "x-api-pool": pool,
            "x-rate-limit-limit": str(single_rate),
            "x-rate-limit-interval": "1s",
            "x-concurrency-limit": str(in_flight),
            "access-control-allow-origin": "*",
        }
        with self._in_flight(pool, in_flight if self.enforce_limits else 10**6) as admitted:
            rate = list_rate if is_list else single_rate
            key = f"crossref:{pool}:{'list' if is_list else 'single'}"
            if not admitted or (self.enforce_limits and not self._admit_rate(key, rate, arrival)):
                self._count(name, limited=True)
                return _Reply(429, "Too many requests", "text/plain", headers)
            self._count(name)
            time.sleep(self.latency)
            reply = self._works(segments, params)
        reply.headers.update(headers)
        return reply

    # ------------------------------------------------------------------ E-utilities

    def _efetch(self, params: dict[str, str]) -> _Reply:
        ids = [part.strip() for part in params.get("id", "").split(",") if part.strip()]
        works = [w for pmid in dict.fromkeys(ids) if (w := self.universe.work(pmid))]
        return _Reply(200, efetch_xml(works), "text/xml; charset=UTF-8")

    def _esearch(self, params: dict[str, str]) -> _Reply:
        term = params.get("term", "")
        retmax = int(params.get("retmax", "20") or 20)
        ids, fields_not_found = self._evaluate(term)
        ordered = sorted(ids, key=int, reverse=True)
        result = {
            "header": {"type": "esearch", "version": "0.3"},
            "esearchresult": {
                "count": str(len(ordered)),
                "retmax": str(min(retmax, len(ordered))),
                "retstart": "0",
                "idlist": ordered[:retmax],
                "translationset": [],
                "querytranslation": term,
                "errorlist": {"phrasesnotfound": [], "fieldsnotfound": fields_not_found},
                "warninglist": {
                    "phrasesignored": [],
                    "quotedphrasesnotfound": [],
                    "outputmessages": [] if ordered else ["No items found."],
                },
            },
        }
        return _Reply(200, json.dumps(result, separators=(",", ":")) + "\n", "application/json")

    _TERM = re.compile(r'^\(*\s*"?(?P<value>[^"\[]*?)"?\s*\[(?P<tag>[\w ]+)\]\s*\)*$')

    def _evaluate(self, term: str) -> tuple[set[str], list[str]]:
        """PMIDs for an esearch term: clauses OR-ed, their parts AND-ed (no nesting)."""
        universe = self.universe
        found: set[str] = set()
        unknown: list[str] = []
        for clause in re.split(r"\s+OR\s+", term.strip()):
            indexes: set[int] | None = None
            filters: list[tuple[str, str]] = []
            for part in re.split(r"\s+AND\s+", clause.strip()):
                match = self._TERM.match(part.strip())
                value, tag = (
                    (match.group("value").strip(), match.group("tag").lower())
                    if match else (part.strip().strip('"()'), "all")
                )  # fmt: skip
                hits: set[int] | None
                if tag == "doi":
                    work = universe.by_doi(value)
                    hits = {int(work.pmid) - universe.first_pmid} if work else set()
                elif tag == "pmcid":
                    work = universe.by_pmcid(value)
                    hits = {int(work.pmid) - universe.first_pmid} if work else set()
                elif tag in {"pmid", "uid"}:
                    work = universe.work(value)
                    hits = {int(work.pmid) - universe.first_pmid} if work else set()
                elif tag in {"ti", "tiab", "title", "all"}:
                    hits = universe.title_matches(tokens(value))
                elif tag in {"au", "1au", "author"}:
                    hits = universe.author_matches(value)
                elif tag in {"dp", "ta", "journal", "vi", "pg", "ip"}:
                    filters.append((tag, value))
                    continue
                else:
                    unknown.append(tag)
                    continue
                indexes = hits if indexes is None else indexes & hits
            if indexes is None:
                indexes = set(universe.all_indexes()) if filters else set()
            for index in indexes:
                work = universe.work(universe.first_pmid + index)
                if work is not None and all(_passes(work, t, v) for t, v in filters):
                    found.add(work.pmid)
        return found, unknown

    def _ecitmatch(self, params: dict[str, str]) -> _Reply:
        lines: list[str] = []
        for raw in re.split(r"[\r\n]+", params.get("bdata", "")):
            if not raw.strip():
                continue
            fields = (raw.split("|") + [""] * 7)[:7]
            journal, year, volume, page, author, key = (f.strip() for f in fields[:6])
            echo = [journal.lower(), year, volume, page]
            if not self.universe.knows_journal(journal):
                lines.append("|".join([*echo, "", key, "NOT_FOUND;INVALID_JOURNAL"]))
                continue
            matches = self.universe.by_citation(journal, year, volume, page)
            if author and len(matches) > 1:
                surname = author.split(" ")[0].lower()
                matches = [m for m in matches if m.authors[0][0].lower() == surname] or matches
            if len(matches) == 1:
                answer = matches[0].pmid
            elif matches:
                answer = "AMBIGUOUS " + ",".join(m.pmid for m in matches)
            else:
                answer = "NOT_FOUND"
            lines.append("|".join([*echo, author.lower(), key, answer]))
        return _Reply(200, "\n".join(lines) + "\n", "text/plain")

    # ------------------------------------------------------------------ Crossref

    def _works(self, segments: list[str], params: dict[str, str]) -> _Reply:
        not_found = _Reply(404, "Resource not found.", "text/plain")
        if not segments or segments[0] != "works":
            return not_found
        if len(segments) == 1:
            return self._work_list(params)
        if segments[-1] == "agency" and len(segments) > 2:
            doi = "/".join(segments[1:-1]).lower()
            if self.universe.by_doi(doi) is not None:
                agency = {"id": "crossref", "label": "Crossref"}
            elif doi.startswith("10.48550/"):
                agency = {"id": "datacite", "label": "DataCite"}
            else:
                return not_found
            return _Reply(
                200,
                envelope("work-agency", {"DOI": doi, "agency": agency}),
                "application/json;charset=utf-8",
            )
        work = self.universe.by_doi("/".join(segments[1:]))
        if work is None:
            return not_found
        return _Reply(200, envelope("work", crossref_work(work)), "application/json")

    def _work_list(self, params: dict[str, str]) -> _Reply:
        rows = int(params.get("rows", "20") or 20)
        if "filter" in params:
            values = params["filter"]
            dois = (
                [d for d in re.split(r",?doi:", values) if d] if values.startswith("doi:") else []
            )
            works = [w for doi in dict.fromkeys(dois) if (w := self.universe.by_doi(doi))]
            items = [crossref_work(w) for w in works[:rows]]
            return _Reply(200, work_list(items, len(works), rows), "application/json")
        query = params.get("query.bibliographic") or params.get("query") or ""
        if not query:
            failure = {
                "status": "failed",
                "message-type": "validation-failure",
                "message": [
                    {"type": "parameter-not-allowed", "value": "", "message": "unsupported query"}
                ],
            }
            return _Reply(400, json.dumps(failure), "application/json")  # fmt: skip
        ranked = self.universe.scored_search(query, rows)
        items = [crossref_work(w, score) for w, score in ranked]
        return _Reply(200, work_list(items, len(ranked), rows), "application/json")


def _passes(work: FakeWork, tag: str, value: str) -> bool:
    value = value.strip().strip('"')
    if tag == "dp":
        years = [int(y) for y in re.findall(r"\d{4}", value)]
        if not years:
            return True
        return min(years) <= work.year <= max(years)
    if tag in {"ta", "journal"}:
        wanted = journal_key(value)
        return wanted in {journal_key(work.journal), journal_key(work.journal_abbrev)}
    if tag == "vi":
        return value == work.volume
    if tag == "ip":
        return value == work.issue
    if tag == "pg":
        return value == str(work.first_page)
    return True


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake: FakeServices

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the benchmark prints its own numbers

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        parts = urlsplit(self.path)
        reply = self.fake.handle(
            method, parts.path, parts.query, body, self.headers.get("User-Agent", "")
        )
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)
