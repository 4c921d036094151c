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
import random
import re
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape

__all__ = ["DOI_PREFIX", "FakeServices", "FakeWork", "WorkUniverse"]

DOI_PREFIX = "10.5555/cg."  # 10.5555 is Crossref's prefix for test DOIs
FIRST_PMID = 30_000_000

# --------------------------------------------------------------------------- the universe

_INTERVENTIONS = (
    "magnesium supplementation", "vitamin D", "omega-3 fatty acids", "caffeine intake",
    "cinnarizine", "botulinum toxin", "aerobic exercise", "mindfulness training",
    "intermittent fasting", "zinc", "probiotics", "melatonin", "green tea extract",
    "low-dose aspirin", "statin therapy", "metformin", "acupuncture",
    "cognitive behavioural therapy", "screen time", "sleep deprivation", "iron supplementation",
    "folic acid", "sodium reduction", "dietary fibre", "curcumin", "ketogenic diet", "yoga",
    "artificial sweeteners", "alcohol consumption", "smartphone use",
)  # fmt: skip
_OUTCOMES = (
    "eyelid myokymia", "blepharospasm", "migraine frequency", "muscle cramps",
    "blood pressure", "sleep quality", "anxiety symptoms", "depressive symptoms",
    "cognitive decline", "fatigue", "bone mineral density", "glycaemic control", "body weight",
    "dry eye disease", "tension-type headache", "restless legs", "heart rate variability",
    "serum magnesium", "inflammatory markers", "quality of life", "visual acuity",
    "exercise performance", "insulin resistance", "hair loss", "neuropathic pain", "tinnitus",
    "constipation", "kidney stones", "cardiac arrhythmia", "asthma control",
)  # fmt: skip
_POPULATIONS = (
    "adults", "older adults", "children", "adolescents", "pregnant women",
    "postmenopausal women", "athletes", "office workers", "patients with type 2 diabetes",
    "patients with chronic kidney disease", "healthy volunteers", "students",
    "night-shift nurses", "patients with hypertension", "mice",
)  # fmt: skip
#: design wording -> (UI, PublicationType) besides "Journal Article"
_DESIGNS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("a randomized controlled trial", (("D016449", "Randomized Controlled Trial"),)),
    ("a systematic review and meta-analysis",
     (("D016454", "Review"), ("D000078182", "Systematic Review"), ("D017418", "Meta-Analysis"))),
    ("a prospective cohort study", (("D064888", "Observational Study"),)),
    ("a case report", (("D002363", "Case Reports"),)),
    ("a narrative review", (("D016454", "Review"),)),
    ("a cross-sectional study", (("D064888", "Observational Study"),)),
    ("a clinical practice guideline", (("D017065", "Practice Guideline"),)),
    ("an editorial", (("D016421", "Editorial"),)),
)  # fmt: skip
_JOURNALS = (
    ("Journal of Synthetic Neurology", "J Synth Neurol"),
    ("Clinical Trials in Imaginary Medicine", "Clin Trials Imag Med"),
    ("Annals of Placeholder Ophthalmology", "Ann Placeholder Ophthalmol"),
    ("Fictional Nutrition Reviews", "Fict Nutr Rev"),
    ("International Journal of Mock Epidemiology", "Int J Mock Epidemiol"),
    ("Sample Sleep Research", "Sample Sleep Res"),
    ("European Journal of Example Cardiology", "Eur J Example Cardiol"),
    ("Test Pharmacology Letters", "Test Pharmacol Lett"),
    ("Archives of Stand-in Pediatrics", "Arch Stand-in Pediatr"),
    ("Proceedings of Dummy Physiology", "Proc Dummy Physiol"),
    ("Journal of Invented Dermatology", "J Invent Dermatol"),
    ("Bulletin of Specimen Psychiatry", "Bull Specimen Psychiatry"),
)
_FAMILY = (
    "Alonso", "Baker", "Chen", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito",
    "Jensen", "Kowalski", "Li", "Moreau", "Nakamura", "Okafor", "Petrov", "Quinn", "Rossi",
    "Silva", "Tanaka", "Umarov", "Varga", "Wang", "Xu", "Yilmaz", "Zhang", "Novak", "Costa",
    "Murphy", "Schmidt", "Larsen", "Horvat", "Mendes", "Sato", "Kim", "Nguyen", "Ahmed",
    "Berg", "Castillo", "Dimitrov",
)  # fmt: skip
_GIVEN = (
    "Ana", "Ben", "Chloe", "David", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kaori",
    "Luis", "Maria", "Nils", "Olga", "Pedro", "Qing", "Rosa", "Samir", "Tove", "Uma", "Victor",
    "Wen", "Ximena", "Yusuf", "Zoe",
)  # fmt: skip
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_COMBINATIONS = len(_INTERVENTIONS) * len(_OUTCOMES) * len(_POPULATIONS) * len(_DESIGNS)
_SCRAMBLE = 7919  # prime, coprime with the number of combinations: a permutation of titles
_WORD = re.compile(r"[^\W_]+")
_STOPWORDS = frozenset(
    ("a", "an", "and", "in", "of", "on", "or", "the", "to", "with", "for", "by", "at", "from",
     "as", "is")
)  # fmt: skip


def _tokens(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS]


@dataclass(frozen=True)
class FakeWork:
    """One synthetic work, as both services know it."""

    pmid: str
    doi: str
    pmcid: str | None
    title: str
    authors: tuple[tuple[str, str], ...]  # (family, given)
    journal: str
    journal_abbrev: str
    year: int
    month: int
    volume: str
    issue: str
    first_page: int
    last_page: int
    publication_types: tuple[tuple[str, str], ...]
    mesh: tuple[str, ...]
    retracted: bool

    @property
    def pages(self) -> str:
        return f"{self.first_page}-{self.last_page}"

    @property
    def author_names(self) -> list[str]:
        """PubMed style: "Chen A"."""
        return [f"{family} {given[0]}" for family, given in self.authors]

    def citation(self) -> str:
        """A Vancouver-style reference, as an article would write it."""
        names = ", ".join(self.author_names[:3]) + (", et al" if len(self.authors) > 3 else "")
        return (
            f"{names}. {self.title.rstrip('.')}. {self.journal_abbrev}. {self.year};{self.volume}"
            f"({self.issue}):{self.pages}."
        )


class WorkUniverse:
    """``size`` synthetic works with PMIDs from ``first_pmid``, and the indexes to find them."""

    def __init__(self, first_pmid: int = FIRST_PMID, size: int = 10_000) -> None:
        if size > _COMBINATIONS:
            raise ValueError(f"at most {_COMBINATIONS} distinct works")
        self.first_pmid = first_pmid
        self.size = size
        self._title_index: dict[str, set[int]] = {}
        self._author_index: dict[str, set[int]] = {}
        self._citation_index: dict[tuple[str, int, str, str], list[int]] = {}
        self._pmcids: dict[str, int] = {}
        for index in range(size):
            work = self.work(first_pmid + index)
            assert work is not None
            for token in set(_tokens(work.title)):
                self._title_index.setdefault(token, set()).add(index)
            for family, _ in work.authors:
                self._author_index.setdefault(family.lower(), set()).add(index)
            for journal in (work.journal, work.journal_abbrev):
                key = (_journal_key(journal), work.year, work.volume, str(work.first_page))
                self._citation_index.setdefault(key, []).append(index)
            if work.pmcid:
                self._pmcids[work.pmcid] = index

    def pmids(self, start: int = 0, count: int | None = None) -> list[str]:
        stop = self.size if count is None else min(self.size, start + count)
        return [str(self.first_pmid + index) for index in range(start, stop)]

    def work(self, pmid: int | str) -> FakeWork | None:
        try:
            number = int(pmid)
        except ValueError:
            return None
        index = number - self.first_pmid
        if not 0 <= index < self.size:
            return None
        return _make_work(number, index)

    def by_doi(self, doi: str) -> FakeWork | None:
        doi = doi.strip().lower()
        if not doi.startswith(DOI_PREFIX):
            return None
        return self.work(doi[len(DOI_PREFIX) :])

    def by_pmcid(self, pmcid: str) -> FakeWork | None:
        index = self._pmcids.get(pmcid.strip().upper())
        return None if index is None else self.work(self.first_pmid + index)

    def by_citation(self, journal: str, year: str, volume: str, page: str) -> list[FakeWork]:
        if not year.isdigit():
            return []
        key = (_journal_key(journal), int(year), volume.strip(), page.strip())
        return [w for i in self._citation_index.get(key, []) if (w := self._at(i))]

    def knows_journal(self, journal: str) -> bool:
        wanted = _journal_key(journal)
        return any(wanted in {_journal_key(j), _journal_key(a)} for j, a in _JOURNALS)

    def title_matches(self, words: Iterable[str]) -> set[int]:
        """Indexes of works whose title has every word."""
        found: set[int] | None = None
        for word in words:
            postings = self._title_index.get(word.lower(), set())
            found = set(postings) if found is None else found & postings
        return found or set()

    def author_matches(self, name: str) -> set[int]:
        surname = name.strip().split(" ")[0].lower() if name.strip() else ""
        return set(self._author_index.get(surname, set()))

    def scored_search(self, text: str, rows: int) -> list[tuple[FakeWork, float]]:
        """Works ranked by how many of their title words the query contains."""
        query = set(_tokens(text))
        counts: dict[int, int] = {}
        for token in query:
            for index in self._title_index.get(token, ()):
                counts[index] = counts.get(index, 0) + 1
        ranked: list[tuple[FakeWork, float]] = []
        for index, hits in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[: rows * 4]:
            work = self._at(index)
            if work is None:
                continue
            title_words = set(_tokens(work.title))
            score = 100.0 * hits / max(1, len(title_words))
            if str(work.year) in text:
                score += 5.0
            if work.authors and work.authors[0][0].lower() in text.lower():
                score += 5.0
            ranked.append((work, round(score, 4)))
        ranked.sort(key=lambda pair: -pair[1])
        return ranked[:rows]

    def _at(self, index: int) -> FakeWork | None:
        return self.work(self.first_pmid + index)

    def all_indexes(self) -> range:
        return range(self.size)


def _journal_key(name: str) -> str:
    return " ".join(_WORD.findall(name.lower()))


def _make_work(pmid: int, index: int) -> FakeWork:
    rng = random.Random(pmid)
    combination = (index * _SCRAMBLE + 13) % _COMBINATIONS
    combination, design_i = divmod(combination, len(_DESIGNS))
    combination, population_i = divmod(combination, len(_POPULATIONS))
    intervention_i, outcome_i = divmod(combination, len(_OUTCOMES))
    intervention = _INTERVENTIONS[intervention_i % len(_INTERVENTIONS)]
    outcome, population = _OUTCOMES[outcome_i], _POPULATIONS[population_i]
    design, design_types = _DESIGNS[design_i]
    title = f"{intervention[0].upper()}{intervention[1:]} and {outcome} in {population}: {design}."
    journal_i = rng.randrange(len(_JOURNALS))
    journal, abbrev = _JOURNALS[journal_i]
    year = 1995 + rng.randrange(30)
    first_page = 1 + rng.randrange(1999)
    retracted = index % 200 == 17
    types = [("D016428", "Journal Article"), *design_types]
    if retracted:
        types.append(("D016441", "Retracted Publication"))
    animal = population == "mice"
    mesh = ("Animals", "Mice") if animal else ("Humans",)
    authors = tuple((rng.choice(_FAMILY), rng.choice(_GIVEN)) for _ in range(1 + rng.randrange(6)))
    return FakeWork(
        pmid=str(pmid),
        doi=f"{DOI_PREFIX}{pmid}",
        pmcid=f"PMC{8_000_000 + index}" if index % 3 == 0 else None,
        title=title,
        authors=authors,
        journal=journal,
        journal_abbrev=abbrev,
        year=year,
        month=1 + rng.randrange(12),
        volume=str(year - 1990 + 3 * journal_i),
        issue=str(1 + rng.randrange(12)),
        first_page=first_page,
        last_page=first_page + 2 + rng.randrange(12),
        publication_types=tuple(types),
        mesh=(*mesh, outcome.title()),
        retracted=retracted,
    )


# --------------------------------------------------------------------------- renderings

_EFETCH_HEAD = (
    '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
    '1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
    "<PubmedArticleSet>\n"
)


def pubmed_article_xml(work: FakeWork) -> str:
    """One ``<PubmedArticle>``, element for element as in the recorded efetch responses."""
    e = escape
    authors = "".join(
        f'<Author ValidYN="Y"><LastName>{e(family)}</LastName><ForeName>{e(given)}</ForeName>'
        f"<Initials>{e(given[0])}</Initials><AffiliationInfo><Affiliation>Department of "
        f"Examples, Sample University.</Affiliation></AffiliationInfo></Author>"
        for family, given in work.authors
    )
    types = "".join(
        f'<PublicationType UI="{ui}">{e(name)}</PublicationType>'
        for ui, name in work.publication_types
    )
    mesh = "".join(
        f'<MeshHeading><DescriptorName UI="D{100000 + i}" MajorTopicYN="N">{e(name)}'
        f"</DescriptorName></MeshHeading>"
        for i, name in enumerate(work.mesh)
    )
    comments = ""
    if work.retracted:
        notice = int(work.pmid) + 90_000_000
        comments = (
            '<CommentsCorrectionsList><CommentsCorrections RefType="RetractionIn">'
            f"<RefSource>{e(work.journal_abbrev)}. {work.year + 2}</RefSource>"
            f'<PMID Version="1">{notice}</PMID></CommentsCorrections></CommentsCorrectionsList>'
        )
    pmc = f'<ArticleId IdType="pmc">{work.pmcid}</ArticleId>' if work.pmcid else ""
    return (
        '<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM" IndexingMethod="Curated">'
        f'<PMID Version="1">{work.pmid}</PMID>'
        f"<DateCompleted><Year>{work.year}</Year><Month>{work.month:02d}</Month><Day>15</Day>"
        "</DateCompleted>"
        '<Article PubModel="Print-Electronic"><Journal>'
        '<ISSN IssnType="Electronic">0000-0000</ISSN><JournalIssue CitedMedium="Internet">'
        f"<Volume>{work.volume}</Volume><Issue>{work.issue}</Issue><PubDate><Year>{work.year}"
        f"</Year><Month>{_MONTHS[work.month - 1]}</Month></PubDate></JournalIssue>"
        f"<Title>{e(work.journal)}</Title><ISOAbbreviation>{e(work.journal_abbrev)}"
        "</ISOAbbreviation></Journal>"
        f"<ArticleTitle>{e(work.title)}</ArticleTitle>"
        f"<Pagination><StartPage>{work.first_page}</StartPage><EndPage>{work.last_page}"
        f"</EndPage><MedlinePgn>{work.pages}</MedlinePgn></Pagination>"
        f'<ELocationID EIdType="doi" ValidYN="Y">{work.doi}</ELocationID>'
        "<Abstract><AbstractText>A synthetic abstract for benchmarking.</AbstractText>"
        f'</Abstract><AuthorList CompleteYN="Y">{authors}</AuthorList>'
        f"<Language>eng</Language><PublicationTypeList>{types}</PublicationTypeList>"
        "</Article><MedlineJournalInfo><Country>Nowhere</Country>"
        f"<MedlineTA>{e(work.journal_abbrev)}</MedlineTA><NlmUniqueID>0000000</NlmUniqueID>"
        "</MedlineJournalInfo><CitationSubset>IM</CitationSubset>"
        f"{comments}<MeshHeadingList>{mesh}</MeshHeadingList></MedlineCitation>"
        "<PubmedData><PublicationStatus>ppublish</PublicationStatus><ArticleIdList>"
        f'<ArticleId IdType="pubmed">{work.pmid}</ArticleId>'
        f'<ArticleId IdType="doi">{work.doi}</ArticleId>{pmc}'
        "</ArticleIdList></PubmedData></PubmedArticle>"
    )


def efetch_xml(works: Iterable[FakeWork]) -> str:
    return _EFETCH_HEAD + "".join(pubmed_article_xml(w) for w in works) + "\n</PubmedArticleSet>"


def _date_parts(year: int, month: int, day: int | None = None) -> dict[str, Any]:
    return {"date-parts": [[year, month] + ([day] if day else [])]}


def crossref_work(work: FakeWork, score: float | None = None) -> dict[str, Any]:
    """A work ``message`` shaped like the recorded ``works/{doi}`` responses."""
    message: dict[str, Any] = {
        "indexed": {"date-parts": [[2026, 1, 1]], "date-time": "2026-01-01T00:00:00Z"},
        "reference-count": 30,
        "publisher": "Example Publishing",
        "issue": work.issue,
        "short-container-title": [work.journal_abbrev],
        "DOI": work.doi,
        "type": "journal-article",
        "created": _date_parts(work.year, work.month, 2),
        "page": work.pages,
        "source": "Crossref",
        "is-referenced-by-count": int(work.pmid) % 97,
        "title": [work.title.rstrip(".")],
        "prefix": DOI_PREFIX.split("/", maxsplit=1)[0],
        "volume": work.volume,
        "author": [
            {
                "given": given,
                "family": family,
                "sequence": "first" if i == 0 else "additional",
                "affiliation": [],
            }
            for i, (family, given) in enumerate(work.authors)
        ],
        "member": "0",
        "published-online": _date_parts(work.year, work.month, 1),
        "published-print": _date_parts(work.year, work.month),
        "container-title": [work.journal],
        "language": "en",
        "deposited": _date_parts(work.year, work.month, 3),
        "issued": _date_parts(work.year, work.month),
        "published": _date_parts(work.year, work.month),
        "URL": f"https://doi.org/{work.doi}",
        "ISSN": ["0000-0000"],
        "relation": {},
    }
    if work.retracted:
        message["updated-by"] = [
            {
                "DOI": f"{work.doi}.retraction",
                "type": "retraction",
                "label": "Retraction",
                "source": "retraction-watch",
                "updated": _date_parts(work.year + 2, 1, 1),
                "record-id": str(int(work.pmid) % 100_000),
            }
        ]
    if score is not None:
        message["score"] = score
    return message


def _envelope(message_type: str, message: Any) -> str:
    return json.dumps(
        {"status": "ok", "message-type": message_type, "message-version": "1.0.0",
         "message": message},
        separators=(",", ":"),
    )  # fmt: skip


def _work_list(items: list[dict[str, Any]], total: int, rows: int) -> str:
    return _envelope(
        "work-list",
        {
            "facets": {},
            "total-results": total,
            "items": items,
            "items-per-page": rows,
            "query": {"start-index": 0, "search-terms": None},
        },
    )


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
                    hits = universe.title_matches(_tokens(value))
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
                _envelope("work-agency", {"DOI": doi, "agency": agency}),
                "application/json;charset=utf-8",
            )
        work = self.universe.by_doi("/".join(segments[1:]))
        if work is None:
            return not_found
        return _Reply(200, _envelope("work", crossref_work(work)), "application/json")

    def _work_list(self, params: dict[str, str]) -> _Reply:
        rows = int(params.get("rows", "20") or 20)
        if "filter" in params:
            values = params["filter"]
            dois = (
                [d for d in re.split(r",?doi:", values) if d] if values.startswith("doi:") else []
            )
            works = [w for doi in dict.fromkeys(dois) if (w := self.universe.by_doi(doi))]
            items = [crossref_work(w) for w in works[:rows]]
            return _Reply(200, _work_list(items, len(works), rows), "application/json")
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
        return _Reply(200, _work_list(items, len(ranked), rows), "application/json")


def _passes(work: FakeWork, tag: str, value: str) -> bool:
    value = value.strip().strip('"')
    if tag == "dp":
        years = [int(y) for y in re.findall(r"\d{4}", value)]
        if not years:
            return True
        return min(years) <= work.year <= max(years)
    if tag in {"ta", "journal"}:
        wanted = _journal_key(value)
        return wanted in {_journal_key(work.journal), _journal_key(work.journal_abbrev)}
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
