"""ServiceResolver against a local server that answers with recorded PubMed and Crossref bodies.

The fake services below route requests and answer with the recorded responses in
tests/fixtures (efetch articles cut from recorded PubmedArticleSets, Crossref work messages and
lists, the recorded 404 and 301). Where a recording of a shape does not exist (an esearch hit
list for a DOI term, a ``filter=doi:`` list, an ECitMatch line for a given citation) the
answer is built in the recorded format from recorded parts.
"""

from __future__ import annotations

import datetime
import json
import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from claimgraph.config import Config
from claimgraph.http import HttpClient
from claimgraph.levels import SourceStatus
from claimgraph.models import Source
from claimgraph.resolvers.base import Resolution
from claimgraph.resolvers.profiles import HttpSettings, build_http
from claimgraph.resolvers.service import ServiceResolver, build_resolver
from claimgraph.store import open_store
from tests.httpservers import own_server
from tests.rawserver import RawServer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PUBMED = FIXTURES / "pubmed"
CROSSREF = FIXTURES / "crossref"
EFETCH_HEADER = (PUBMED / "metapub" / "37909814.xml").read_text().split("<PubmedArticleSet>")[0]
EMPTY_SET = (PUBMED / "metapub" / "37909814.xml").read_text()
ESEARCH_TEMPLATE = json.loads(
    (PUBMED / "yeliztli" / "pubmed-30939045-correction-retraction-esearch.json").read_text()
)


# --------------------------------------------------------------------------- recorded material


def _articles() -> dict[str, str]:
    """PubmedArticle / PubmedBookArticle fragments by PMID, cut from recorded efetch sets."""
    found: dict[str, str] = {}
    for path in sorted(PUBMED.rglob("*.xml")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(
            r"<(PubmedArticle|PubmedBookArticle)>.*?</\1>", text, flags=re.DOTALL
        ):
            fragment = match.group(0)
            pmid = re.search(r"<PMID[^>]*>(\d+)</PMID>", fragment)
            assert pmid is not None
            found.setdefault(pmid.group(1), fragment)
    return found


def _interactions(relative: str) -> list[dict[str, Any]]:
    data = json.loads((CROSSREF / relative).read_text(encoding="utf-8"))
    return list(data["interactions"])


def _works() -> dict[str, dict[str, Any]]:
    """Recorded ``works/{doi}`` 200 bodies by lower-case DOI."""
    works: dict[str, dict[str, Any]] = {}
    for path in sorted(CROSSREF.rglob("*.decoded.json")):
        for interaction in _interactions(str(path.relative_to(CROSSREF))):
            body = interaction["body"]
            if (
                interaction["status"] == 200
                and isinstance(body, dict)
                and body.get("message-type") == "work"
            ):
                works.setdefault(body["message"]["DOI"].lower(), body)
    return works


ARTICLES = _articles()
WORKS = _works()
NOT_FOUND_404 = _interactions("habanero/test_works_bad_id_warn.yaml.decoded.json")[0]
REDIRECT = _interactions("serrano/test_works_impolite_redirect.yml.decoded.json")
AGENCY_404 = _interactions("serrano/test_registration_agency_not_found.yml.decoded.json")[0]
BULK_TITLES = _interactions("paper-qa/test_bulk_title_search.yaml.decoded.json")
BAD_TITLES = _interactions("paper-qa/test_bad_titles.yaml.decoded.json")
NO_HITS = BAD_TITLES[0]["body"]  # query.title=askldjrq3rjaw938h: total-results 0


def _query_bodies() -> list[tuple[str, dict[str, Any]]]:
    """(title words, recorded list body) for recorded Crossref title queries."""
    bodies: list[tuple[str, dict[str, Any]]] = []
    for interaction in [*BULK_TITLES, *BAD_TITLES]:
        uri = interaction["uri"]
        if "api.crossref.org/works?" in uri and "query.title=" in uri:
            query = parse_qs(uri.split("?", 1)[1])["query.title"][0]
            bodies.append((query.lower(), interaction["body"]))
    return bodies


QUERY_BODIES = _query_bodies()


def work_list(messages: list[dict[str, Any]], rows: int) -> dict[str, Any]:
    """A work-list envelope (the shape of every recorded list response) around items."""
    return {
        "status": "ok",
        "message-type": "work-list",
        "message-version": "1.0.0",
        "message": {
            "facets": {},
            "total-results": len(messages),
            "items": messages,
            "items-per-page": rows,
            "query": {"start-index": 0, "search-terms": None},
        },
    }


def esearch_json(ids: list[str], query: str) -> str:
    """An esearch JSON answer in the recorded format."""
    body = json.loads(json.dumps(ESEARCH_TEMPLATE))
    result = body["esearchresult"]
    result.update(count=str(len(ids)), retmax=str(len(ids)), idlist=ids, querytranslation=query)
    if ids:
        result["errorlist"] = {"phrasesnotfound": [], "fieldsnotfound": []}
        result["warninglist"]["outputmessages"] = []
    return json.dumps(body)


# --------------------------------------------------------------------------- fake services

Fault = Callable[[Request], Response | None]


@dataclass
class FakeServices:
    """Routes PubMed (``/eutils/``) and Crossref (``/``) requests to recorded answers."""

    citations: dict[tuple[str, str], str] = field(default_factory=dict)
    #: DOI -> registration agency id answered by works/{doi}/agency (default: the recorded 404)
    agencies: dict[str, str] = field(default_factory=dict)
    log: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    faults: dict[str, Fault] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def requests(self, service: str, endpoint: str | None = None) -> list[dict[str, str]]:
        return [p for s, e, p in self.log if s == service and (endpoint is None or e == endpoint)]

    def __call__(self, request: Request) -> Response:
        service = "pubmed" if request.path.startswith("/eutils/") else "crossref"
        params = {**request.args.to_dict(), **request.form.to_dict()}
        endpoint = request.path.removeprefix("/eutils/").lstrip("/")
        with self.lock:
            self.log.append((service, endpoint, params))
        fault = self.faults.get(service)
        if fault is not None:
            answer = fault(request)
            if answer is not None:
                return answer
        if service == "pubmed":
            return self.pubmed(endpoint, params)
        return self.crossref(request.path, params)

    # PubMed -------------------------------------------------------------------------

    def pubmed(self, endpoint: str, params: dict[str, str]) -> Response:
        if endpoint == "efetch.fcgi":
            ids = [i for i in params["id"].split(",") if i]
            found = [ARTICLES[i] for i in ids if i in ARTICLES]
            body = (
                EMPTY_SET
                if not found
                else (
                    EFETCH_HEADER
                    + "<PubmedArticleSet>\n"
                    + "\n".join(found)
                    + "\n</PubmedArticleSet>"
                )
            )
            return Response(body, content_type="text/xml; charset=UTF-8")
        if endpoint == "esearch.fcgi":
            return Response(self.esearch(params["term"]), content_type="application/json")
        if endpoint == "ecitmatch.cgi":
            return Response(self.ecitmatch(params["bdata"]), content_type="text/plain")
        return Response("unknown endpoint", status=400)

    def esearch(self, term: str) -> str:
        ids: list[str] = []
        for value, tag in re.findall(r'"([^"]+)"\[(doi|pmcid)\]', term):
            for pmid, fragment in ARTICLES.items():
                if tag == "doi" and re.search(
                    rf'IdType="doi">{re.escape(value)}<', fragment, flags=re.IGNORECASE
                ):
                    ids.append(pmid)
                if tag == "pmcid" and f'IdType="pmc">{value}<' in fragment:
                    ids.append(pmid)
        if "[ti]" in term:
            words = re.findall(r"(\w+)\[ti\]", term)
            for pmid, fragment in ARTICLES.items():
                title = re.search(r"<ArticleTitle[^>]*>(.*?)</ArticleTitle>", fragment, re.DOTALL)
                if title and all(w in title.group(1).lower() for w in words):
                    ids.append(pmid)
        return esearch_json(list(dict.fromkeys(ids)), term)

    def ecitmatch(self, bdata: str) -> str:
        lines = []
        for line in bdata.split("\r"):
            fields = line.split("|")
            journal, year, volume, page, author, key = fields[:6]
            pmid = self.citations.get((journal.lower(), page))
            answer = pmid or "NOT_FOUND"
            lines.append(
                f"{journal.lower()}|{year}|{volume}|{page}|{author.lower()}|{key}|{answer}"
            )
        return "\n".join(lines) + "\n"

    # Crossref -----------------------------------------------------------------------

    def crossref(self, path: str, params: dict[str, str]) -> Response:
        if path == "/works" and "filter" in params:
            dois = [part.removeprefix("doi:").lower() for part in params["filter"].split(",")]
            items = [WORKS[doi]["message"] for doi in dois if doi in WORKS]
            return json_response(work_list(items, int(params.get("rows", "20"))))
        if path == "/works" and "query.bibliographic" in params:
            query = params["query.bibliographic"].lower()
            for title, body in QUERY_BODIES:
                if title.rstrip(".") in query:
                    return json_response(body)
            return json_response(NO_HITS)
        if path.startswith("/works/"):
            doi = path.removeprefix("/works/")
            if doi.endswith("/agency"):
                agency = self.agencies.get(doi.removesuffix("/agency").lower())
                if agency is None:
                    return recorded(AGENCY_404)
                # the route's documented shape (no recording in the pool)
                return json_response(
                    {
                        "status": "ok",
                        "message-type": "work-agency",
                        "message-version": "1.0.0",
                        "message": {
                            "DOI": doi.removesuffix("/agency"),
                            "agency": {"id": agency, "label": agency.title()},
                        },
                    }
                )
            if doi.lower() == "10.26434/chemrxiv.5406907":
                return recorded(REDIRECT[0])
            if doi.lower() in WORKS:
                return json_response(WORKS[doi.lower()])
            return recorded(NOT_FOUND_404)
        return Response("unknown route", status=400)


def json_response(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


def recorded(interaction: dict[str, Any]) -> Response:
    body = interaction["body"]
    text = body if isinstance(body, str) else json.dumps(body)
    headers = {k: v for k, v in interaction["headers_subset"].items() if k.lower() == "location"}
    content_type = interaction["headers_subset"].get("content-type", "text/plain")
    return Response(text, status=interaction["status"], headers=headers, content_type=content_type)


# --------------------------------------------------------------------------- fixtures


_CLIENTS: list[HttpClient] = []


@pytest.fixture
def server() -> Iterator[HTTPServer]:
    """A server of this test's own: a shared one let a test see the late requests of the
    test before it (the flaky failures of the random-fault tests)."""
    with own_server() as httpserver:
        try:
            yield httpserver
        finally:
            while _CLIENTS:
                _CLIENTS.pop().close()


@pytest.fixture
def services(server: HTTPServer) -> FakeServices:
    fake = FakeServices()
    server.expect_request(re.compile(".*")).respond_with_handler(fake)
    return fake


def settings_for(server: HTTPServer, tmp_path: Path, **changes: Any) -> HttpSettings:
    settings = HttpSettings(
        pubmed_url=server.url_for("/eutils/"),
        crossref_url=server.url_for("/"),
        email="auditor@example.org",
        ncbi_api_key="test-key",
        cache_dir=tmp_path / "cache",
        cache_max_age=datetime.timedelta(days=1),
        connect_timeout=1.0,
        read_timeout=1.0,
        max_retries=1,
        backoff_base=0.001,
    )
    return replace(settings, **changes)


def make_resolver(
    server: HTTPServer, tmp_path: Path, *, cached: bool = False, **changes: Any
) -> ServiceResolver:
    import requests

    settings = settings_for(server, tmp_path, **changes)
    client = build_http(settings, session=requests.Session())
    _CLIENTS.append(client)
    # the rate limits are the HTTP layer's business (tested there); keep these tests quick
    for service in ("pubmed", "crossref"):
        policy = client.policy(service)
        policy.single.set_rate(1000.0)
        policy.list.set_rate(1000.0)
    store = (
        open_store(settings.cache_dir, max_age=86400.0, offline=settings.offline)
        if cached
        else None
    )
    return ServiceResolver(client, store=store)


def src(source_id: str, **fields: Any) -> Source:
    return Source.model_validate({"id": source_id, **fields})


LIU = {  # PMID 38762411, a case report (Letter) in Asian J Surg
    "title": "Giant intrathoracic schwannoma: A case report",
    "authors": ["Liu H", "Li L", "Xiang J", "Chen G"],
    "journal": "Asian J Surg",
    "year": 2024,
    "volume": "47",
    "issue": "9",
    "pages": "4044-6",
}
SADASIVAN = {  # 10.1371/journal.pone.0033693 (Crossref; updated-by correction)
    "title": "Methylphenidate exposure induces dopamine neuron loss and activation of microglia "
    "in the basal ganglia of mice",
    "authors": ["Sadasivan S", "Pond BB"],
    "journal": "PLoS One",
    "year": 2012,
}


# --------------------------------------------------------------------------- identifiers


def test_pmid_verified_with_publication_types_mesh_and_found_doi(
    services: FakeServices, server: HTTPServer, tmp_path: Path
) -> None:
    resolver = make_resolver(server, tmp_path)
    result = resolver.resolve([src("liu", pmid="38762411", **LIU)])["liu"]
    assert result.status is SourceStatus.VERIFIED, result.message
    assert result.record is not None
    assert result.record.publication_types == ("Case Reports", "Letter")
    assert "Humans" in result.record.mesh
    assert result.found_doi == "10.1016/j.asjsur.2024.05.017"
    assert result.found_pmid is None  # the source carried it
    assert len(services.requests("pubmed", "efetch.fcgi")) == 1


def test_450_pmids_take_three_efetch_posts(
    services: FakeServices, server: HTTPServer, tmp_path: Path
) -> None:
    resolver = make_resolver(server, tmp_path)
    sources = [src("liu", pmid="38762411", **LIU)]
    sources += [src(f"s{n}", pmid=str(40_000_000 + n)) for n in range(449)]
    progress: list[tuple[int, int]] = []
    resolver.progress = lambda done, total: progress.append((done, total))
    results = resolver.resolve(sources)
    efetch = services.requests("pubmed", "efetch.fcgi")
    assert [len(p["id"].split(",")) for p in efetch] == [200, 200, 50]
    assert resolver.client.stats.snapshot()[("pubmed", "efetch.fcgi")].requests == 3
    assert results["liu"].status is SourceStatus.VERIFIED
    missing = [r for key, r in results.items() if key != "liu"]
    assert {r.status for r in missing} == {SourceStatus.NOT_FOUND}
    assert "PMID 40000000 does not exist in PubMed" in (results["s0"].message or "")
    # the one record with a DOI was looked up in Crossref in one list request
    assert len(services.requests("crossref")) == 1
    assert progress[0] == (0, 450) and progress[-1] == (450, 450)
    assert [done for done, _ in progress] == sorted(done for done, _ in progress)


def test_missing_pmid_is_not_found(
    services: FakeServices, server: HTTPServer, tmp_path: Path
) -> None:
    result = make_resolver(server, tmp_path).resolve([src("gone", pmid="37909814")])["gone"]
    assert result.status is SourceStatus.NOT_FOUND
    assert result.message == "PMID 37909814 does not exist in PubMed"
    assert result.unreachable == ()


def test_retracted_publication(services: FakeServices, server: HTTPServer, tmp_path: Path) -> None:
    source = src(
        "gullis",
        pmid="993",
        title="The stimulation by synaptic transmitters of the incorporation of oleate into the "
        "phospholipid of synaptic membranes",
        authors=["Gullis RJ", "Rowe CE"],
        year=1975,
    )
    result = make_resolver(server, tmp_path).resolve([source])["gullis"]
    assert result.status is SourceStatus.RETRACTED
    assert result.record is not None and result.record.is_retracted
    assert "195582" in (result.message or "")


def test_wrong_year_is_a_mismatch_of_the_same_work(
    services: FakeServices, server: HTTPServer, tmp_path: Path
) -> None:
    source = src("liu", pmid="38762411", **{**LIU, "year": 2021})
    result = make_resolver(server, tmp_path).resolve([source])["liu"]
    assert result.status is SourceStatus.MISMATCH
    assert not result.different_work
    assert [(d.field, d.cited, d.record) for d in result.differences] == [("year", "2021", "2024")]


def test_pmid_of_another_paper_is_a_different_work(
    services: FakeServices, server: HTTPServer, tmp_path: Path
) -> None:
    source = src(
        "alonso",
        pmid="38762411",
        title="Tardive blepharospasm associated with cinnarizine use",
        authors=["Alonso-Navarro H", "Jimenez-Jimenez FJ"],
        journal="Clinical Neuropharmacology",
        year=2006,
    )
    result = make_resolver(server, tmp_path).resolve([source])["alonso"]
    assert result.status is SourceStatus.MISMATCH
    assert result.different_work
    assert "PMID 38762411 belongs to a different work" in (result.message or "")
    assert result.found_doi is None  # never offer the wrong work's identifiers


def test_invalid_identifier_is_a_clear_message(
    services: FakeServices, server: HTTPServer, tmp_path: Path
) -> None:
    results = make_resolver(server, tmp_path).resolve(
        [src("bad", doi="doi:nonsense"), src("bad-pmid", pmid="12ab", **LIU)]
    )
    assert results["bad"].status is SourceStatus.NOT_FOUND
    message = results["bad"].message or ""
    assert message.startswith('doi "doi:nonsense" is not a DOI')
    assert message.count("doi:nonsense") == 1  # said once
    # the citation still finds the work: the identifier is a wrong detail
    liu = results["bad-pmid"]
    assert liu.status is SourceStatus.MISMATCH, liu.message
    assert ("pmid", "12ab", "38762411") in [(d.field, d.cited, d.record) for d in liu.differences]


MALFORMED = [
    src("doi-only", doi="not a doi at all"),
    src("doi-titled", doi="not a doi at all", title="Magnesium and sleep in older adults"),
    src("pmid-cited", pmid="abc", citation="Smith J. Magnesium and sleep. Sleep. 2001;1:1-2."),
    src("pmcid", pmcid="PMCabc", title="Zinc and colds"),
    src("all-three", doi="10.abc", pmid="0", pmcid="PMC"),
]


@pytest.mark.parametrize("warm", [False, True], ids=["empty store", "warm store"])
def test_malformed_identifiers_are_not_found_offline_without_a_request(
    services: FakeServices, server: HTTPServer, tmp_path: Path, warm: bool
) -> None:
    # no service can hold "not a doi" or PMID "abc": that is an answer, known offline too
    if warm:  # something in the store: the ordinary offline path, not the empty-store one
        make_resolver(server, tmp_path, cached=True).resolve([src("liu", pmid="38762411")])
        services.log.clear()
    resolver = make_resolver(server, tmp_path, cached=True, offline=True)
    results = resolver.resolve(MALFORMED)
    assert {k: r.status for k, r in results.items()} == dict.fromkeys(
        results, SourceStatus.NOT_FOUND
    )
    assert 'doi "not a doi at all" is not a DOI' in (results["doi-titled"].message or "")
    assert 'pmid "abc" is not a PMID' in (results["pmid-cited"].message or "")
    assert 'pmcid "PMCabc" is not a PMCID' in (results["pmcid"].message or "")
    assert all(r.unreachable == () for r in results.values())
    assert services.log == []


def test_malformed_identifiers_are_never_sent_online(
    services: FakeServices, server: HTTPServer, tmp_path: Path
) -> None:
    resolver = make_resolver(server, tmp_path)
    only = resolver.resolve([src("doi-only", doi="not a doi at all"), src("p", pmid="12ab")])
    assert {r.status for r in only.values()} == {SourceStatus.NOT_FOUND}
    assert services.log == []  # nothing to ask: no identifier, nothing else to search
    titled = resolver.resolve([src("x", doi="not a doi at all", title="askldjrq3rjaw938h")])
    assert titled["x"].status is SourceStatus.NOT_FOUND
    assert services.log  # the title was searched (it might have named the work) ...
    assert not any("not a doi" in str(params) for _, _, params in services.log)  # ... not the DOI


UNUSUAL_DOIS = [
    "10.1002/(SICI)1097-4636(199709)36:3<338::AID-JBM7>3.0.CO;2-E",
    "10.1000.10/123456",
    "10.1007/978-3-319-24277-4_9",
    "10.1016/S0140-6736(20)30183-5",
    "10.12345/ABC_def;ghi:jkl#2",
    "10.5281/zenodo.1234567",
    "10.1093/nar/gkz1138",
    "10.3929/ethz-b-000354356",
    "10.1234/é-unicode-suffix",
]


def test_unusual_but_well_formed_identifiers_are_not_malformed(
    services: FakeServices, server: HTTPServer, tmp_path: Path
) -> None:
    sources = [src(f"d{i}", doi=doi) for i, doi in enumerate(UNUSUAL_DOIS)]
    sources += [src("pmid", pmid="99999999"), src("pmcid", pmcid="PMC99999999")]
    results = make_resolver(server, tmp_path, cached=True, offline=True).resolve(sources)
    # offline they could not be checked; calling them not_found would be a false error
    assert {k: r.status for k, r in results.items()} == dict.fromkeys(
        results, SourceStatus.UNVERIFIABLE
    )
    assert not any("is not a" in (r.message or "") for r in results.values())


def test_doi_batch_checks_crossref_and_pubmed_together(
    services: FakeServices, server: HTTPServer, tmp_path: Path
) -> None:
    sources = [
        src("sadasivan", doi="10.1371/journal.pone.0033693", **SADASIVAN),
        src("srep", doi="https://doi.org/10.1038/srep16696"),
        src("aging", doi="10.1016/j.neurobiolaging.2010.03.024"),
        src("liu", doi="10.1016/J.ASJSUR.2024.05.017", **LIU),
        src("rct", doi="10.1177/1352458517722646"),
        src("fake", doi="10.1371/notarealdoi"),
    ]
    results = make_resolver(server, tmp_path).resolve(sources)
    lists = [p for p in services.requests("crossref", "works") if "filter" in p]
    assert len(lists) == 1
    assert lists[0]["filter"].count("doi:") == 6
    esearch = services.requests("pubmed", "esearch.fcgi")
    assert len(esearch) == 1 and esearch[0]["term"].count("[doi]") == 6
    assert {k: r.status for k, r in results.items()} == {
        "sadasivan": SourceStatus.VERIFIED,
        "srep": SourceStatus.VERIFIED,
        "aging": SourceStatus.VERIFIED,
        "liu": SourceStatus.VERIFIED,
        "rct": SourceStatus.VERIFIED,
        "fake": SourceStatus.NOT_FOUND,
    }
    sadasivan = results["sadasivan"].record
    assert sadasivan is not None and sadasivan.crossref_type == "journal-article"
    assert [u.type for u in sadasivan.updates] == ["correction"]
    # the DOIs only PubMed knows here came with their publication types
    rct = results["rct"].record
    assert rct is not None and "Randomized Controlled Trial" in rct.publication_types
    assert results["rct"].found_pmid == "28731372"
    assert results["fake"].message == (
        "DOI 10.1371/notarealdoi does not exist in Crossref or PubMed"
    )


def test_doi_alias_follows_the_redirect(
    services: FakeServices, server: HTTPServer, tmp_path: Path
) -> None:
    source = src("blues", doi="10.26434/chemrxiv.5406907")
    result = make_resolver(server, tmp_path).resolve([source])["blues"]
    assert result.status is SourceStatus.VERIFIED, result.message
    assert result.record is not None
    assert result.record.doi == "10.26434/chemrxiv.5406907.v5"
    assert result.record.crossref_type == "posted-content"


def test_pmcid_alone_and_beside_a_pmid(
    services: FakeServices, server: HTTPServer, tmp_path: Path
) -> None:
    rolf = {
        "title": "Exploring the effect of vitamin D3 supplementation on the anti-EBV antibody "
        "response in relapsing-remitting multiple sclerosis",
        "year": 2018,
    }
    results = make_resolver(server, tmp_path).resolve(
        [
            src("by-pmcid", pmcid="PMC6108041", **rolf),
            src("both", pmid="28731372", pmcid="PMC6108041", **rolf),
            src("wrong-pmcid", pmid="28731372", pmcid="PMC1", **rolf),
        ]
    )
    assert results["by-pmcid"].status is SourceStatus.VERIFIED, results["by-pmcid"].message
    assert results["by-pmcid"].found_pmid == "28731372"
    assert '"PMC6108041"[pmcid]' in services.requests("pubmed", "esearch.fcgi")[0]["term"]
    assert results["both"].status is SourceStatus.VERIFIED, results["both"].message
    wrong = results["wrong-pmcid"]
    assert wrong.status is SourceStatus.MISMATCH and not wrong.different_work
    assert [(d.field, d.cited, d.record) for d in wrong.differences] == [
        ("pmcid", "PMC1", "PMC6108041")
    ]


def test_pmcid_missing_from_pubmed_is_not_a_missing_work(
    services: FakeServices, server: HTTPServer, tmp_path: Path
) -> None:
    results = make_resolver(server, tmp_path).resolve(
        [src("pmc", pmcid="PMC1"), src("pmc-titled", pmcid="PMC1", title="askldjrq3rjaw938h")]
    )
    assert results["pmc"].status is SourceStatus.UNVERIFIABLE
    assert results["pmc"].message == "PMCID PMC1 is not in PubMed; claimgraph does not check PMC"
    # with a title, the search decides
    assert results["pmc-titled"].status is SourceStatus.NOT_FOUND


def test_doi_and_pmid_of_different_works(
    services: FakeServices, server: HTTPServer, tmp_path: Path
) -> None:
    # the PMID is right for the cited title, the DOI belongs to another paper
    source = src("liu", pmid="38762411", doi="10.1371/journal.pone.0033693", **LIU)
    result = make_resolver(server, tmp_path).resolve([source])["liu"]
    assert result.status is SourceStatus.MISMATCH
    assert not result.different_work  # the cited work exists; one identifier is wrong
    assert result.record is not None and result.record.pmid == "38762411"
    assert [(d.field, d.cited, d.record) for d in result.differences] == [
        ("doi", "10.1371/journal.pone.0033693", "10.1016/j.asjsur.2024.05.017")
    ]
    assert "belongs to another work" in (result.message or "")


def test_doi_of_another_registration_agency_is_unverifiable(
    services: FakeServices, server: HTTPServer, tmp_path: Path
) -> None:
    # Crossref answers 404 for the arXiv DOI (recorded in paper-qa's bulk DOI search)
    services.agencies["10.48550/arxiv.2312.07559"] = "datacite"
    result = make_resolver(server, tmp_path).resolve(
        [src("arxiv", doi="10.48550/arXiv.2312.07559")]
    )
    assert result["arxiv"].status is SourceStatus.UNVERIFIABLE
    assert result["arxiv"].unreachable == ()  # not an outage
    assert "registered with datacite" in (result["arxiv"].message or "")


# --------------------------------------------------------------------------- free text


def test_free_text_ecitmatch_batch(
    services: FakeServices, server: HTTPServer, tmp_path: Path
) -> None:
    services.citations[("asian j surg", "4044")] = "38762411"
    services.citations[("mult scler", "1280")] = "28731372"
    sources = [
        src(
            "liu",
            citation="Liu H, Li L, Xiang J, Chen G. Giant intrathoracic schwannoma: a case "
            "report. Asian J Surg. 2024;47(9):4044-4046.",
        ),
        src(
            "rolf",
            citation="Rolf L, Muris AH, Mathias A, et al. Exploring the effect of vitamin "
            "D3 supplementation on the anti-EBV antibody response in relapsing-remitting multiple "
            "sclerosis. Mult Scler. 2018;24(10):1280-1287.",
        ),
    ]
    results = make_resolver(server, tmp_path).resolve(sources)
    assert len(services.requests("pubmed", "ecitmatch.cgi")) == 1
    assert services.requests("pubmed", "ecitmatch.cgi")[0]["bdata"].count("\r") == 1
    assert results["liu"].status is SourceStatus.VERIFIED, results["liu"].message
    assert results["liu"].found_pmid == "38762411"
    assert results["liu"].found_doi == "10.1016/j.asjsur.2024.05.017"
    assert results["rolf"].status is SourceStatus.VERIFIED, results["rolf"].message
    assert results["rolf"].found_pmid == "28731372"
    # nothing left for the slow path
    assert not [p for p in services.requests("crossref") if "query.bibliographic" in p]


def test_free_text_crossref_query_then_pubmed_by_doi(
    services: FakeServices, server: HTTPServer, tmp_path: Path
) -> None:
    source = src(
        "adak",
        citation="Adak S, Bandyopadhyay D, Bandyopadhyay U, Banerjee RK. An essential role of "
        "active site arginine residue in iodide binding and histidine residue in electron "
        "transfer for iodide oxidation by horseradish peroxidase. Mol Cell Biochem 2001.",
    )
    result = make_resolver(server, tmp_path).resolve([source])["adak"]
    assert result.status is SourceStatus.VERIFIED, result.message
    assert result.found_doi == "10.1023/a:1007154515475"
    assert result.found_pmid is None  # PubMed was asked by DOI and has no record here
    queries = [p for p in services.requests("crossref", "works") if "query.bibliographic" in p]
    assert len(queries) == 1 and queries[0]["rows"] == "5"
    assert any("[doi]" in p["term"] for p in services.requests("pubmed", "esearch.fcgi"))


def test_free_text_wrong_hit_is_rejected(
    services: FakeServices, server: HTTPServer, tmp_path: Path
) -> None:
    # Crossref's top hit for this title is another paper (recorded, score 28)
    source = src(
        "paperqa",
        title="PaperQA: Retrieval-Augmented Generative Agent for Scientific Research",
        authors=["Lala J", "O'Donoghue O"],
        year=2023,
    )
    result = make_resolver(server, tmp_path).resolve([source])["paperqa"]
    assert result.status is SourceStatus.NOT_FOUND
    assert "closest" in (result.message or "")
    assert result.found_doi is None


def test_free_text_with_no_hits_is_not_found(
    services: FakeServices, server: HTTPServer, tmp_path: Path
) -> None:
    result = make_resolver(server, tmp_path).resolve([src("x", title="askldjrq3rjaw938h")])["x"]
    assert result.status is SourceStatus.NOT_FOUND
    assert result.message == "no PubMed or Crossref record matches the citation"


def test_free_text_pubmed_fallback(
    services: FakeServices, server: HTTPServer, tmp_path: Path
) -> None:
    source = src(
        "dicken",
        title="Who consumes ultra-processed food? A systematic review of sociodemographic "
        "determinants of ultra-processed food consumption from nationally representative samples",
        authors=["Dicken SJ", "Qamar S", "Batterham RL"],
        year=2024,
    )
    result = make_resolver(server, tmp_path).resolve([source])["dicken"]
    assert result.status is SourceStatus.VERIFIED, result.message
    assert result.found_pmid == "37905428"
    assert result.record is not None and "Systematic Review" in result.record.publication_types
    term = services.requests("pubmed", "esearch.fcgi")[0]["term"]
    assert "consumes[ti]" in term and '"Dicken"[au]' in term and "2023:2025[dp]" in term


# --------------------------------------------------------------------------- outages


def answer_500(request: Request) -> Response:
    return Response("upstream error", status=500)


def answer_429(request: Request) -> Response:
    return Response("slow down", status=429, headers={"Retry-After": "0"})


def answer_slowly(request: Request) -> Response:
    time.sleep(0.3)  # longer than the client's read timeout
    return Response("late", status=200)


def answer_html(request: Request) -> Response:
    return Response("<html><body>Service Unavailable</body></html>", content_type="text/html")


def answer_rate_limit_body(request: Request) -> Response:
    return Response(
        '{"error":"API rate limit exceeded","count":"11"}', content_type="application/json"
    )


MIXED = [
    src("liu", pmid="38762411", **LIU),
    src("gone", pmid="37909814"),
    src("sadasivan", doi="10.1371/journal.pone.0033693", **SADASIVAN),
    src("fake", doi="10.1371/notarealdoi"),
    src("free", title="askldjrq3rjaw938h"),
    src(
        "adak",
        citation="Adak S. An essential role of active site arginine residue in iodide "
        "binding and histidine residue in electron transfer for iodide oxidation by horseradish "
        "peroxidase. Mol Cell Biochem 2001.",
    ),
]


@pytest.mark.parametrize(
    "fault", [answer_500, answer_429, answer_slowly, answer_html, answer_rate_limit_body]
)
def test_total_outage_is_never_not_found(
    services: FakeServices, server: HTTPServer, tmp_path: Path, fault: Fault
) -> None:
    services.faults = {"pubmed": fault, "crossref": fault}
    results = make_resolver(server, tmp_path, read_timeout=0.1, max_retries=1).resolve(MIXED)
    for key, result in results.items():
        assert result.status is SourceStatus.UNVERIFIABLE, (key, result)
        assert result.unreachable, key
        assert result.message


def test_one_service_down(services: FakeServices, server: HTTPServer, tmp_path: Path) -> None:
    services.faults = {"crossref": answer_500}
    results = make_resolver(server, tmp_path).resolve(MIXED)
    statuses = {key: result.status for key, result in results.items()}
    # what PubMed alone answers definitively stands; everything needing Crossref waits
    assert statuses["gone"] is SourceStatus.NOT_FOUND
    assert statuses["liu"] is SourceStatus.UNVERIFIABLE  # its Crossref record is unknown
    assert results["liu"].unreachable == ("crossref",)
    assert results["liu"].record is not None  # what was found is still shown
    for key in ("sadasivan", "fake", "free", "adak"):
        assert statuses[key] is SourceStatus.UNVERIFIABLE, key
        assert "crossref" in results[key].unreachable


def test_connection_drops(tmp_path: Path, services: FakeServices, server: HTTPServer) -> None:
    with RawServer([None]) as dropper:
        resolver = make_resolver(server, tmp_path, pubmed_url=dropper.url, crossref_url=dropper.url)
        results = resolver.resolve(MIXED)
    assert {r.status for r in results.values()} == {SourceStatus.UNVERIFIABLE}
    assert all(
        "reset" in (r.message or "") or "connection" in (r.message or "") for r in results.values()
    )


def test_offline_cache_miss_is_unverifiable(
    services: FakeServices, server: HTTPServer, tmp_path: Path
) -> None:
    resolver = make_resolver(server, tmp_path, cached=True, offline=True)
    results = resolver.resolve(MIXED)
    assert {r.status for r in results.values()} == {SourceStatus.UNVERIFIABLE}
    assert "offline and not in the cache" in (results["liu"].message or "")
    # a cache miss is not an outage: nothing was meant to be reached
    assert all(r.unreachable == () for r in results.values())
    assert services.log == []


def test_second_efetch_batch_failing_affects_only_its_pmids(
    services: FakeServices, server: HTTPServer, tmp_path: Path
) -> None:
    calls = {"n": 0}

    def second_post_fails(request: Request) -> Response | None:
        if request.path.endswith("efetch.fcgi"):
            calls["n"] += 1
            ids = request.form.get("id", "")
            if not ids.startswith("40000000"):
                return Response("busy", status=503)
        return None

    services.faults = {"pubmed": second_post_fails}
    sources = [src(f"s{n}", pmid=str(40_000_000 + n)) for n in range(250)]
    results = make_resolver(server, tmp_path).resolve(sources)
    assert {results[f"s{n}"].status for n in range(200)} == {SourceStatus.NOT_FOUND}
    assert {results[f"s{n}"].status for n in range(200, 250)} == {SourceStatus.UNVERIFIABLE}


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_faults_only_ever_make_sources_unverifiable(
    server: HTTPServer, tmp_path: Path, seed: int
) -> None:
    """Whatever fails, each source ends as it does without faults, or unverifiable."""
    fake = FakeServices()
    fake.citations[("asian j surg", "4044")] = "38762411"
    server.expect_request(re.compile(".*")).respond_with_handler(fake)
    sources = [
        *MIXED,
        src("gullis", pmid="993", year=1975),
        src("blues", doi="10.26434/chemrxiv.5406907"),
        src(
            "liu-free",
            citation="Liu H, Li L. Giant intrathoracic schwannoma: a case report. "
            "Asian J Surg. 2024;47(9):4044-4046.",
        ),
        src("alonso", pmid="38762411", title="Tardive blepharospasm associated with cinnarizine"),
    ]
    baseline = make_resolver(server, tmp_path).resolve(sources)
    rng = random.Random(seed)
    lock = threading.Lock()

    def flaky(request: Request) -> Response | None:
        with lock:
            broken = rng.random() < 0.4
        return Response("flaky", status=502) if broken else None

    fake.faults = {"pubmed": flaky, "crossref": flaky}
    results = make_resolver(server, tmp_path, max_retries=0).resolve(sources)
    for key, result in results.items():
        assert result.status in {baseline[key].status, SourceStatus.UNVERIFIABLE}, (key, result)
        if result.status is SourceStatus.UNVERIFIABLE and baseline[key].status is not (
            SourceStatus.UNVERIFIABLE
        ):
            assert result.unreachable, key


def test_build_resolver_from_config(
    tmp_path: Path, services: FakeServices, server: HTTPServer
) -> None:
    config = Config(
        pubmed_url=server.url_for("/eutils/"),
        crossref_url=server.url_for("/"),
        cache_dir=tmp_path / "cache",
        email="auditor@example.org",
    )
    resolver = build_resolver(config, offline=False, refresh=False)
    _CLIENTS.append(resolver.client)
    result: Resolution = resolver.resolve([src("gone", pmid="37909814")])["gone"]
    assert result.status is SourceStatus.NOT_FOUND
    offline = build_resolver(config, offline=True, refresh=False)
    _CLIENTS.append(offline.client)
    # answered from the cache the first run filled
    assert offline.resolve([src("gone", pmid="37909814")])["gone"].status is SourceStatus.NOT_FOUND
