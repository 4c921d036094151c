from __future__ import annotations

import datetime
import email.utils
import itertools
import json
import logging
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from claimgraph import __version__
from claimgraph.config import Config
from claimgraph.errors import OfflineCacheMiss, ServiceError
from claimgraph.http import redact
from claimgraph.ratelimit import RateLimits
from claimgraph.ratelimit import retry_after_seconds as _retry_after
from claimgraph.resolvers.profiles import HttpSettings, build_http
from tests.httpservers import own_server
from tests.rawserver import RawServer, raw_reply

EMAIL = "auditor@example.org"
API_KEY = "SeCrEtKeY0123456789"
RATE_LIMIT_BODY = '{"error":"API rate limit exceeded","count":"4","limit":"3"}'


@pytest.fixture
def server() -> Iterator[HTTPServer]:
    """A threaded local server of this test's own (concurrency tests need parallel handlers;
    a shared one let a test see the late requests of the one before)."""
    with own_server() as httpserver:
        yield httpserver


def make_settings(server: HTTPServer, tmp_path: Path, **changes: Any) -> HttpSettings:
    settings = HttpSettings(
        pubmed_url=server.url_for("/eutils/"),
        crossref_url=server.url_for("/crossref/"),
        email=EMAIL,
        ncbi_api_key=None,
        cache_dir=tmp_path / "cache",
        cache_max_age=datetime.timedelta(days=30),
        connect_timeout=1.0,
        read_timeout=2.0,
        backoff_base=0.001,
    )
    return replace(settings, **changes)


def settings_at(url: str, tmp_path: Path, **changes: Any) -> HttpSettings:
    """Settings for a raw or closed local address: both services there, no identification,
    a fast backoff."""
    settings = HttpSettings(
        pubmed_url=url,
        crossref_url=url + "c/",
        email=None,
        ncbi_api_key=None,
        cache_dir=tmp_path,
        cache_max_age=datetime.timedelta(days=1),
        backoff_base=0.001,
    )
    return replace(settings, **changes)


def sequence(*responses: Response) -> Callable[[Request], Response]:
    """A handler answering with the given responses in turn, then the last one forever."""
    answers = list(responses)
    lock = threading.Lock()

    def handler(request: Request) -> Response:
        with lock:
            return answers.pop(0) if len(answers) > 1 else answers[0]

    return handler


def ok(body: str = "<ok/>", content_type: str = "text/xml", **headers: str) -> Response:
    return Response(body, status=200, content_type=content_type, headers=headers)


# --------------------------------------------------------------------------- settings


def test_settings_from_config_and_repr_hides_the_key(tmp_path: Path) -> None:
    config = Config(
        email=EMAIL,
        ncbi_api_key=API_KEY,
        pubmed_url="http://127.0.0.1:1/e/",
        cache_dir=tmp_path,
        cache_max_age_days=2.5,
    )
    settings = HttpSettings.from_config(config, offline=True)
    assert settings.ncbi_api_key == API_KEY
    assert settings.pubmed_url == "http://127.0.0.1:1/e/"
    assert settings.cache_max_age == datetime.timedelta(days=2.5)
    assert settings.offline and not settings.refresh
    assert API_KEY not in repr(settings)


def test_redact() -> None:
    assert redact("GET /efetch.fcgi?db=pubmed&api_key=abc123&id=1") == (
        "GET /efetch.fcgi?db=pubmed&api_key=***&id=1"
    )
    assert redact("key is abc123", "abc123") == "key is ***"


def test_retry_after_parsing() -> None:
    assert _retry_after("3") == 3.0
    assert _retry_after(None) is None
    assert _retry_after("soon") is None
    future = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=30)
    waited = _retry_after(email.utils.format_datetime(future, usegmt=True))
    assert waited is not None and 28 <= waited <= 30
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


# --------------------------------------------------------------------------- identification


def test_ncbi_identification_on_get(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/eutils/esearch.fcgi").respond_with_data("{}")
    settings = make_settings(server, tmp_path, ncbi_api_key=API_KEY)
    with build_http(settings) as client:
        answer = client.get("pubmed", "esearch.fcgi", {"db": "pubmed", "term": "x"})
    assert answer.status == 200 and not answer.from_cache
    [(request, _)] = server.log
    assert request.args.to_dict() == {
        "db": "pubmed",
        "term": "x",
        "tool": "claimgraph",
        "email": EMAIL,
        "api_key": API_KEY,
    }
    assert request.headers["User-Agent"] == (
        f"claimgraph/{__version__} (+https://github.com/claimgraph/claimgraph; mailto:{EMAIL})"
    )
    # the answer's URL is safe to show
    assert API_KEY not in answer.url and EMAIL not in answer.url


def test_ncbi_identification_in_post_body(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/eutils/efetch.fcgi", method="POST").respond_with_data("<set/>")
    settings = make_settings(server, tmp_path, ncbi_api_key=API_KEY)
    with build_http(settings) as client:
        client.post("pubmed", "efetch.fcgi", {"db": "pubmed", "id": "1,2,3"})
    [(request, _)] = server.log
    assert request.args.to_dict() == {}
    assert request.content_type == "application/x-www-form-urlencoded"
    assert parse_qs(request.get_data(as_text=True)) == {
        "db": ["pubmed"],
        "id": ["1,2,3"],
        "tool": ["claimgraph"],
        "email": [EMAIL],
        "api_key": [API_KEY],
    }


def test_crossref_identification(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/crossref/works/10.1000/abc").respond_with_json({"status": "ok"})
    with build_http(make_settings(server, tmp_path)) as client:
        answer = client.get("crossref", "works/10.1000%2Fabc")
    assert answer.json() == {"status": "ok"}
    with build_http(make_settings(server, tmp_path / "2", email=None)) as client:
        client.get("crossref", "works/10.1000%2Fabc")
    (polite, _), (public, _) = server.log
    assert polite.args.to_dict() == {"mailto": EMAIL}
    assert f"mailto:{EMAIL}" in polite.headers["User-Agent"]
    assert public.args.to_dict() == {}
    assert public.headers["User-Agent"] == (
        f"claimgraph/{__version__} (+https://github.com/claimgraph/claimgraph)"
    )


def test_unknown_service_is_a_programming_error(server: HTTPServer, tmp_path: Path) -> None:
    with build_http(make_settings(server, tmp_path)) as client, pytest.raises(ValueError):
        client.get("openalex", "works")


# --------------------------------------------------------------------------- rate limits


def start_times(server: HTTPServer, path: str, body: str = "{}") -> list[float]:
    starts: list[float] = []

    def handler(request: Request) -> Response:
        starts.append(time.monotonic())
        return ok(body, content_type="application/json")

    server.expect_request(path).respond_with_handler(handler)
    return starts


def busiest_second(starts: list[float]) -> int:
    """The most request starts in any one-second window."""
    starts = sorted(starts)
    return max(sum(1 for t in starts if first <= t < first + 1.0) for first in starts)


def test_ncbi_rate_spacing_without_key(server: HTTPServer, tmp_path: Path) -> None:
    starts = start_times(server, "/eutils/esummary.fcgi")
    requests = [("esummary.fcgi", {"db": "pubmed", "id": str(n)}) for n in range(7)]
    with build_http(make_settings(server, tmp_path)) as client:
        answers = client.get_many("pubmed", requests)
        assert client.limits("pubmed") == RateLimits(single=3.0, list=3.0, concurrency=3)
    assert all(not isinstance(answer, ServiceError) for answer in answers)
    assert len(starts) == 7
    assert busiest_second(starts) <= 3
    gaps = [b - a for a, b in zip(sorted(starts), sorted(starts)[1:], strict=False)]
    assert min(gaps) >= 0.3  # spread evenly, not a burst


def test_ncbi_rate_with_key_is_ten_per_second(server: HTTPServer, tmp_path: Path) -> None:
    starts = start_times(server, "/eutils/esummary.fcgi")
    settings = make_settings(server, tmp_path, ncbi_api_key=API_KEY)
    with build_http(settings) as client:
        client.get_many("pubmed", [("esummary.fcgi", {"id": str(n)}) for n in range(12)])
    assert busiest_second(starts) <= 10
    assert max(starts) - min(starts) < 2.0


def test_crossref_list_requests_are_slower_than_single(server: HTTPServer, tmp_path: Path) -> None:
    list_starts = start_times(server, "/crossref/works")
    with build_http(make_settings(server, tmp_path)) as client:
        assert client.limits("crossref") == RateLimits(single=10.0, list=3.0, concurrency=3)
        client.get_many("crossref", [("works", {"query.bibliographic": str(n)}) for n in range(5)])
    assert busiest_second(list_starts) <= 3


def test_crossref_headers_lower_the_limits(server: HTTPServer, tmp_path: Path) -> None:
    lowered = {"x-rate-limit-limit": "2", "x-rate-limit-interval": "1s", "x-concurrency-limit": "1"}
    generous = {"x-rate-limit-limit": "50", "x-rate-limit-interval": "1s"}
    server.expect_ordered_request("/crossref/works/a/1").respond_with_json({}, headers=generous)
    server.expect_ordered_request("/crossref/works/a/2").respond_with_json({}, headers=lowered)
    server.expect_ordered_request("/crossref/works/a/3").respond_with_json(
        {}, headers={"x-rate-limit-limit": "60", "x-rate-limit-interval": "1m"}
    )
    with build_http(make_settings(server, tmp_path)) as client:
        client.get("crossref", "works/a/1")
        # headers never raise a limit above the documented one
        assert client.limits("crossref") == RateLimits(single=10.0, list=3.0, concurrency=3)
        client.get("crossref", "works/a/2")
        assert client.limits("crossref") == RateLimits(single=2.0, list=2.0, concurrency=1)
        client.get("crossref", "works/a/3")
        assert client.limits("crossref").single == pytest.approx(1.0)
    with build_http(make_settings(server, tmp_path / "public", email=None)) as client:
        assert client.limits("crossref") == RateLimits(single=5.0, list=1.0, concurrency=1)


# --------------------------------------------------------------------------- get_many


def concurrency_probe(
    server: HTTPServer, path: re.Pattern[str], headers: dict[str, str]
) -> dict[str, int]:
    state = {"active": 0, "peak": 0}
    lock = threading.Lock()

    def handler(request: Request) -> Response:
        with lock:
            state["active"] += 1
            state["peak"] = max(state["peak"], state["active"])
        time.sleep(0.25)
        with lock:
            state["active"] -= 1
        doi = request.path.rsplit("/", 1)[-1]
        return Response(json.dumps({"doi": doi}), content_type="application/json", headers=headers)

    server.expect_request(path).respond_with_handler(handler)
    return state


def test_get_many_keeps_order_and_bounds_concurrency(server: HTTPServer, tmp_path: Path) -> None:
    state = concurrency_probe(server, re.compile(r"/crossref/works/10\.1000/a/\d+"), {})
    server.expect_request("/crossref/works/10.1000/missing").respond_with_data(
        "Resource not found.", status=404
    )
    paths = [f"works/10.1000/a/{n}" for n in range(9)]
    paths.insert(4, "works/10.1000/missing")
    calls: list[tuple[str, bool]] = []
    settings = make_settings(server, tmp_path)
    with build_http(settings, on_request=lambda *call: calls.append(call)) as client:
        answers = client.get_many("crossref", [(path, {}) for path in paths])
    bodies = [
        answer.json()["doi"]
        if not isinstance(answer, ServiceError) and answer.status == 200
        else answer.status
        if not isinstance(answer, ServiceError)
        else None
        for answer in answers
    ]
    assert bodies == ["0", "1", "2", "3", 404, "4", "5", "6", "7", "8"]
    assert 2 <= state["peak"] <= 3
    assert calls == [("crossref", False)] * 10


def test_get_many_public_pool_one_at_a_time(server: HTTPServer, tmp_path: Path) -> None:
    state = concurrency_probe(server, re.compile(r"/crossref/works/x/\d+"), {})
    with build_http(make_settings(server, tmp_path, email=None)) as client:
        client.get_many("crossref", [(f"works/x/{n}", {}) for n in range(4)])
    assert state["peak"] == 1


def test_get_many_follows_advertised_concurrency(server: HTTPServer, tmp_path: Path) -> None:
    state = concurrency_probe(
        server, re.compile(r"/crossref/works/y/\d+"), {"x-concurrency-limit": "1"}
    )
    with build_http(make_settings(server, tmp_path)) as client:
        client.get("crossref", "works/y/0")  # learns the limit
        client.get_many("crossref", [(f"works/y/{n}", {}) for n in range(1, 5)])
    assert state["peak"] == 1


def test_get_many_returns_failures_as_values(server: HTTPServer, tmp_path: Path) -> None:
    def handler(request: Request) -> Response:
        return Response("", status=503) if request.args.get("term") == "bad" else ok("{}")

    server.expect_request("/eutils/esearch.fcgi").respond_with_handler(handler)
    settings = make_settings(server, tmp_path, max_retries=1)
    with build_http(settings) as client:
        good, bad = client.get_many(
            "pubmed", [("esearch.fcgi", {}), ("esearch.fcgi", {"term": "bad"})]
        )
    assert not isinstance(good, ServiceError) and good.status == 200
    assert isinstance(bad, ServiceError)
    assert bad.message == "PubMed unreachable after 2 attempts: HTTP 503"


# --------------------------------------------------------------------------- retries


def test_429_with_retry_after_is_honoured(server: HTTPServer, tmp_path: Path) -> None:
    times: list[float] = []

    def handler(request: Request) -> Response:
        times.append(time.monotonic())
        if len(times) == 1:
            return Response("Too Many Requests", status=429, headers={"Retry-After": "1"})
        return ok()

    server.expect_request("/eutils/efetch.fcgi").respond_with_handler(handler)
    with build_http(make_settings(server, tmp_path)) as client:
        answer = client.get("pubmed", "efetch.fcgi", {"id": "1"})
        stats = client.stats.snapshot()[("pubmed", "efetch.fcgi")]
    assert answer.status == 200
    assert times[1] - times[0] >= 0.95
    assert (stats.requests, stats.rate_limited, stats.retries) == (2, 1, 1)


def test_429_pauses_the_other_threads_too(server: HTTPServer, tmp_path: Path) -> None:
    times: list[float] = []
    lock = threading.Lock()

    def handler(request: Request) -> Response:
        with lock:
            times.append(time.monotonic())
            first = len(times) == 1
        if first:
            return Response("slow down", status=429, headers={"Retry-After": "1"})
        return ok()

    server.expect_request(re.compile(r"/crossref/works/p.*")).respond_with_handler(handler)
    with build_http(make_settings(server, tmp_path)) as client:
        client.get("crossref", "works/p")
        client.get_many("crossref", [(f"works/p/{n}", {}) for n in range(3)])
    assert all(later - times[0] >= 0.95 for later in times[1:])


def test_long_retry_after_is_an_outage(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/crossref/works").respond_with_data(
        "", status=429, headers={"Retry-After": "3600"}
    )
    with build_http(make_settings(server, tmp_path)) as client, pytest.raises(ServiceError) as err:
        client.get("crossref", "works", {"query.bibliographic": "x"})
    assert "asked to wait 3600 s" in err.value.message
    assert len(server.log) == 1


def test_5xx_is_retried_then_succeeds(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/eutils/efetch.fcgi").respond_with_handler(
        sequence(Response("", status=502), Response("", status=503), ok("<PubmedArticleSet/>"))
    )
    with build_http(make_settings(server, tmp_path)) as client:
        answer = client.post("pubmed", "efetch.fcgi", {"id": "1"})
        assert client.stats.total("retries") == 2
    assert answer.text == "<PubmedArticleSet/>"
    assert len(server.log) == 3


def test_5xx_forever_is_a_service_error(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/eutils/efetch.fcgi").respond_with_data("down", status=503)
    with build_http(make_settings(server, tmp_path)) as client:
        with pytest.raises(ServiceError) as err:
            client.get("pubmed", "efetch.fcgi", {"id": "1"})
        assert client.stats.snapshot()[("pubmed", "efetch.fcgi")].failures == 1
    assert err.value.service == "pubmed"
    assert err.value.message == "PubMed unreachable after 5 attempts: HTTP 503"
    assert len(server.log) == 5


def test_timeout_is_retried_then_a_service_error(server: HTTPServer, tmp_path: Path) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.4)
        return ok()

    server.expect_request("/crossref/works/10.1/slow").respond_with_handler(slow)
    settings = make_settings(server, tmp_path, read_timeout=0.1, max_retries=2)
    with build_http(settings) as client, pytest.raises(ServiceError) as err:
        client.get("crossref", "works/10.1%2Fslow")
    assert err.value.message == "Crossref unreachable after 3 attempts: read timeout"
    assert err.value.service == "crossref"


def test_404_is_an_answer_not_retried(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/crossref/works/10.1/none").respond_with_data(
        "Resource not found.", status=404, content_type="text/plain"
    )
    server.expect_request("/crossref/works").respond_with_data("bad", status=400)
    settings = make_settings(server, tmp_path)
    with build_http(settings) as client:
        first = client.get("crossref", "works/10.1%2Fnone")
        second = client.get("crossref", "works/10.1%2Fnone")
        bad = client.get("crossref", "works", {"rows": "-1"})
        assert client.stats.total("retries") == 0
    assert (first.status, first.text, first.from_cache) == (404, "Resource not found.", False)
    assert second.status == 404
    assert bad.status == 400
    assert len(server.log) == 3  # answers are not cached here: the record store keeps them


def test_rate_limit_body_with_200_counts_as_429(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/eutils/esummary.fcgi").respond_with_handler(
        sequence(
            Response(RATE_LIMIT_BODY, status=200, content_type="application/json"),
            ok('{"result": {}}', content_type="application/json"),
        )
    )
    with build_http(make_settings(server, tmp_path)) as client:
        answer = client.get("pubmed", "esummary.fcgi", {"id": "1", "retmode": "json"})
        assert client.stats.total("rate_limited") == 1
    assert answer.json() == {"result": {}}


def test_rate_limit_body_is_never_cached(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/eutils/esummary.fcgi").respond_with_data(
        RATE_LIMIT_BODY, content_type="application/json"
    )
    settings = make_settings(server, tmp_path, max_retries=1)
    with build_http(settings) as client, pytest.raises(ServiceError) as err:
        client.get("pubmed", "esummary.fcgi", {"id": "1"})
    assert "rate limited" in err.value.message
    with build_http(replace(settings, offline=True)) as offline, pytest.raises(OfflineCacheMiss):
        offline.get("pubmed", "esummary.fcgi", {"id": "1"})


def test_truncated_body_is_retried(tmp_path: Path) -> None:
    full = b"<PubmedArticleSet><PubmedArticle/></PubmedArticleSet>"
    with RawServer([raw_reply(full[:20], length=len(full)), raw_reply(full)]) as raw:
        settings = settings_at(raw.url, tmp_path)
        with build_http(settings) as client:
            answer = client.get("pubmed", "efetch.fcgi", {"id": "1"})
            assert client.stats.total("retries") == 1
        assert answer.text == full.decode()
        assert raw.connections == 2


def test_truncated_body_forever_is_a_service_error(tmp_path: Path) -> None:
    with RawServer([raw_reply(b"<a>", length=50)]) as raw:
        settings = settings_at(raw.url, tmp_path, max_retries=1)
        with build_http(settings) as client, pytest.raises(ServiceError) as err:
            client.get("pubmed", "efetch.fcgi")
    assert err.value.message == "PubMed unreachable after 2 attempts: truncated response body"


def test_connection_reset_is_retried(tmp_path: Path) -> None:
    with RawServer([None, raw_reply(b"<ok/>")]) as raw:
        settings = settings_at(raw.url, tmp_path)
        with build_http(settings) as client:
            assert client.get("pubmed", "einfo.fcgi").text == "<ok/>"
        assert raw.connections == 2


def test_connection_refused_is_a_service_error(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    settings = settings_at(url, tmp_path, ncbi_api_key=API_KEY, max_retries=1)
    with build_http(settings) as client, pytest.raises(ServiceError) as err:
        client.get("pubmed", "einfo.fcgi")
    # what happened only: the advice is in the one warning line, not in every verdict
    assert err.value.message == "PubMed cannot be reached (connection refused)"
    # the requests exception carries the URL with the key: it is not chained
    assert err.value.__cause__ is None and err.value.__suppress_context__


# --------------------------------------------------------------------------- offline


def test_offline_makes_no_requests(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/eutils/efetch.fcgi").respond_with_data("<warm/>")
    calls: list[tuple[str, bool]] = []
    settings = replace(make_settings(server, tmp_path), offline=True)
    with build_http(settings, on_request=lambda *c: calls.append(c)) as offline:
        with pytest.raises(OfflineCacheMiss) as miss:
            offline.post("pubmed", "efetch.fcgi", {"id": "1,2,4"})
        with pytest.raises(OfflineCacheMiss):
            offline.get("crossref", "works/10.1%2Fx")
        assert offline.stats.total("requests") == 0
    assert miss.value.service == "pubmed"
    assert "offline" in miss.value.message
    assert server.log == []
    assert calls == [("pubmed", False), ("crossref", False)]


def test_errors_are_never_cached(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/crossref/works/10.1/e").respond_with_handler(
        sequence(Response("", status=500), ok("fine"))
    )
    settings = make_settings(server, tmp_path, max_retries=0)
    with build_http(settings) as client:
        with pytest.raises(ServiceError):
            client.get("crossref", "works/10.1%2Fe")
        assert client.get("crossref", "works/10.1%2Fe").text == "fine"


def test_api_key_never_logged(
    server: HTTPServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server.expect_request("/eutils/efetch.fcgi").respond_with_data("", status=503)
    settings = make_settings(server, tmp_path, ncbi_api_key=API_KEY, max_retries=2)
    with (
        caplog.at_level(logging.DEBUG),
        build_http(settings) as client,
        pytest.raises(ServiceError) as err,
    ):
        client.get("pubmed", "efetch.fcgi", {"id": "1"})
    ours = [record for record in caplog.records if not record.name.startswith("werkzeug")]
    assert {record.name.split(".")[0] for record in ours} >= {"claimgraph", "urllib3"}
    assert all(API_KEY not in record.getMessage() for record in ours)
    assert API_KEY not in str(err.value)


def test_a_service_that_cannot_be_connected_to_fails_fast_after_the_first_request(
    tmp_path: Path,
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = settings_at(f"http://127.0.0.1:{port}/", tmp_path, max_retries=2)
    with build_http(settings) as client:
        with pytest.raises(ServiceError, match="connection refused"):
            client.get("pubmed", "esearch.fcgi", {"term": "a"})
        first = client.stats.total("retries")
        with pytest.raises(ServiceError, match="connection refused"):
            client.get("pubmed", "esearch.fcgi", {"term": "b"})
        assert client.stats.total("retries") == first  # no new attempts


# --------------------------------------------------------------------------- pacing


def test_starts_are_spaced_across_processes_from_when_they_leave(tmp_path: Path) -> None:
    """Two spacers on one file stand for two processes sharing a cache folder: every start,
    recorded when the request leaves, is at least one interval after the one before, whoever
    made it, even when a thread is late (it is not given a planned slot it then misses)."""
    from claimgraph.ratelimit import SPACING_MARGIN, StartSpacer

    rate = 20.0
    shared = tmp_path / "rate" / "next"
    spacers = [StartSpacer(rate, shared), StartSpacer(rate, shared)]
    starts: list[float] = []
    lock = threading.Lock()

    def worker(spacer: StartSpacer, late: bool) -> None:
        for n in range(8):
            if late and n % 3 == 0:
                time.sleep(0.08)  # a thread that falls behind its schedule
            spacer.wait()
            with lock:
                starts.append(time.time())

    threads = [
        threading.Thread(target=worker, args=(spacer, index == 0))
        for index, spacer in enumerate(spacers * 2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    starts.sort()
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert len(starts) == 32
    # (the 15 % slack is for a thread paused between leaving and noting the time)
    assert min(gaps) >= SPACING_MARGIN / rate * 0.85, gaps


def test_a_host_name_that_does_not_resolve_is_not_retried(tmp_path: Path) -> None:
    """No network or a mistyped base URL: said at once, not after a round of retries
    (``.invalid`` never resolves, RFC 6761)."""
    settings = settings_at("http://nonexistent.invalid/", tmp_path)
    with build_http(settings) as client:
        with pytest.raises(ServiceError, match="host name not found"):
            client.get("pubmed", "esearch.fcgi", {"term": "a"})
        assert client.stats.total("retries") == 0
