"""All network policy in one place: identification, timeouts, rate limits, retries, cache.

This is the only module that imports ``requests`` and ``requests_cache``. Resolvers build
against :class:`HttpClient` and see :class:`HttpResponse` values and
:class:`~claimgraph.errors.ServiceError` exceptions only.

Policy, per service (``"pubmed"`` or ``"crossref"``; see API_FACTS.md):

* **Identification**: a User-Agent naming claimgraph and the contact address; NCBI gets
  ``tool``/``email``/``api_key`` (in the form body of a POST), Crossref gets ``mailto``.
* **Rate limits** never above the documented ones: NCBI 3 requests/s (10 with an API key),
  one limit over all E-utilities; Crossref public pool 5/s single-DOI and 1/s list requests with
  one connection at a time, polite pool (with an email) 10/s, 3/s and 3 connections. Request
  *starts* are spaced evenly (no bursts). Crossref's ``x-rate-limit-*`` and
  ``x-concurrency-limit`` headers can lower these limits, never raise them.
* **Retries** with exponential backoff and jitter on 429 (honouring ``Retry-After``), 5xx,
  timeouts, connection resets and truncated bodies. E-utilities' ``{"error":"API rate limit
  exceeded"}`` body counts as a 429 whatever its status. 404 and other 4xx are answers.
* **Cache**: SQLite (``<cache_dir>/http.sqlite``) of GET and POST answers with status 200 and
  404, for ``cache_max_age``. Identification parameters are neither part of the keys nor
  stored. ``offline`` sends nothing and raises :class:`~claimgraph.errors.OfflineCacheMiss` on
  a miss (an expired entry still counts as a hit: offline means "what we have").
  ``refresh`` ignores cached answers but stores the fresh ones.

Rate limiting and the concurrency cap sit in the transport adapter, below the cache, so cache
hits never wait for a rate slot and the counters in :attr:`HttpClient.stats` count requests
that really went out.
"""

from __future__ import annotations

import datetime
import email.utils
import json
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import unquote, urlsplit

import requests
import requests.adapters
import requests_cache
from requests.structures import CaseInsensitiveDict

from claimgraph.errors import OfflineCacheMiss, ServiceError
from claimgraph.version import __version__

if TYPE_CHECKING:
    from claimgraph.config import Config

__all__ = [
    "SERVICES",
    "EndpointStats",
    "HttpClient",
    "HttpResponse",
    "HttpSettings",
    "HttpStats",
    "RateLimits",
    "redact",
    "user_agent",
]

logger = logging.getLogger(__name__)

Service = Literal["pubmed", "crossref"]
SERVICES: tuple[Service, ...] = ("pubmed", "crossref")
_LABELS = {"pubmed": "PubMed", "crossref": "Crossref"}

#: query / form parameters that identify us: never in a cache key, never stored, never logged
_IDENTIFICATION_PARAMS = ("api_key", "email", "tool", "mailto")
#: the User-Agent carries the contact address; keep it out of the stored request too
_REDACTED_FIELDS = [*_IDENTIFICATION_PARAMS, "User-Agent"]
_CACHEABLE_STATUS = (200, 404)
#: the longest Retry-After we are willing to sit through before calling it an outage
_MAX_RETRY_AFTER = 120.0
_MAX_BACKOFF = 30.0
#: request starts are spaced this much wider than the limit, so that network jitter between
#: us and the server never makes two starts look closer than the limit allows
_SPACING_MARGIN = 1.10
_RATE_LIMIT_BODY_MAX = 4096


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class HttpSettings:
    """Where the services are, who we are, and how patient to be."""

    pubmed_url: str
    crossref_url: str
    email: str | None
    ncbi_api_key: str | None = field(repr=False)
    cache_dir: Path
    cache_max_age: datetime.timedelta
    offline: bool = False
    refresh: bool = False
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    max_retries: int = 4
    backoff_base: float = 0.5  # seconds; tests set it tiny

    @classmethod
    def from_config(
        cls, config: Config, *, offline: bool = False, refresh: bool = False
    ) -> HttpSettings:
        return cls(
            pubmed_url=config.pubmed_url,
            crossref_url=config.crossref_url,
            email=config.email,
            ncbi_api_key=config.ncbi_api_key,
            cache_dir=Path(config.cache_dir),
            cache_max_age=datetime.timedelta(days=config.cache_max_age_days),
            offline=offline,
            refresh=refresh,
        )

    def base_url(self, service: str) -> str:
        if service == "pubmed":
            return self.pubmed_url
        if service == "crossref":
            return self.crossref_url
        raise ValueError(f"unknown service {service!r}; expected one of {', '.join(SERVICES)}")


def user_agent(email: str | None) -> str:
    contact = f"; mailto:{email}" if email else ""
    return f"claimgraph/{__version__} (+https://github.com/claimgraph/claimgraph{contact})"


_KEY_IN_TEXT = re.compile(r"(api_key=)[^&\s'\"]+", re.IGNORECASE)


def redact(text: str, secret: str | None = None) -> str:
    """``text`` with API keys (``api_key=...`` and the literal ``secret``) replaced by ``***``."""
    text = _KEY_IN_TEXT.sub(r"\1***", text)
    if secret:
        text = text.replace(secret, "***")
    return text


class _RedactingFilter(logging.Filter):
    """Rewrites third-party log records (urllib3 and requests-cache log full URLs)."""

    secrets: set[str] = set()  # noqa: RUF012  (shared by every client on purpose)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = _KEY_IN_TEXT.sub(r"\1***", message)
        for secret in self.secrets:
            cleaned = cleaned.replace(secret, "***")
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


_REDACTING_FILTER = _RedactingFilter()
_NOISY_LOGGERS = ("urllib3", "requests", "requests_cache")


def _install_log_redaction(secret: str | None) -> None:
    """Keep API keys out of the logs of the libraries below us (filters do not inherit)."""
    if secret:
        _RedactingFilter.secrets.add(secret)
    names = {
        name for name in logging.root.manager.loggerDict if name.split(".", 1)[0] in _NOISY_LOGGERS
    }
    for name in names | set(_NOISY_LOGGERS):
        target = logging.getLogger(name)
        if _REDACTING_FILTER not in target.filters:
            target.addFilter(_REDACTING_FILTER)


# --------------------------------------------------------------------------- answers


@dataclass(frozen=True)
class HttpResponse:
    """An answer from a service: any status except 429 and 5xx (those are retried)."""

    status: int
    headers: Mapping[str, str]
    text: str
    url: str
    from_cache: bool

    def json(self) -> Any:
        return json.loads(self.text)


@dataclass
class EndpointStats:
    """Counters for one (service, endpoint)."""

    #: requests that went over the network (every attempt counts)
    requests: int = 0
    #: answers that said "too many requests" (HTTP 429 or E-utilities' rate-limit body)
    rate_limited: int = 0
    #: attempts after the first one
    retries: int = 0
    #: answers taken from the cache
    cache_hits: int = 0
    #: calls that ended in a ServiceError
    failures: int = 0


class HttpStats:
    """Thread-safe counters per (service, endpoint), e.g. ``("pubmed", "efetch.fcgi")``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[tuple[str, str], EndpointStats] = {}

    def add(self, service: str, endpoint: str, counter: str, amount: int = 1) -> None:
        with self._lock:
            stats = self._counts.setdefault((service, endpoint), EndpointStats())
            setattr(stats, counter, getattr(stats, counter) + amount)

    def snapshot(self) -> dict[tuple[str, str], EndpointStats]:
        """A copy of the counters, safe to read while requests run."""
        with self._lock:
            return {key: EndpointStats(**vars(value)) for key, value in self._counts.items()}

    def total(self, counter: str, service: str | None = None) -> int:
        with self._lock:
            return sum(
                getattr(stats, counter)
                for (name, _), stats in self._counts.items()
                if service is None or name == service
            )

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()

    def __repr__(self) -> str:
        return f"HttpStats({self.snapshot()!r})"


# --------------------------------------------------------------------------- rate limits


@dataclass(frozen=True)
class RateLimits:
    """Requests per second for single-record and list requests, and parallel connections."""

    single: float
    list: float
    concurrency: int


def documented_limits(service: str, *, email: str | None, api_key: str | None) -> RateLimits:
    """The limits the services publish (API_FACTS.md): the ceiling we never exceed."""
    if service == "pubmed":
        rate = 10.0 if api_key else 3.0
        # a few parallel connections keep a slow efetch from idling the rate; the start
        # spacing still holds the rate
        return RateLimits(single=rate, list=rate, concurrency=3)
    if service == "crossref":
        if email:
            return RateLimits(single=10.0, list=3.0, concurrency=3)
        return RateLimits(single=5.0, list=1.0, concurrency=1)
    raise ValueError(f"unknown service {service!r}")


class _StartSpacer:
    """Spaces request starts at least ``1/rate`` seconds apart, across threads."""

    def __init__(self, rate: float) -> None:
        self._lock = threading.Lock()
        self._interval = _SPACING_MARGIN / rate
        self._next = 0.0

    @property
    def rate(self) -> float:
        return _SPACING_MARGIN / self._interval

    def set_rate(self, rate: float) -> None:
        with self._lock:
            self._interval = _SPACING_MARGIN / rate

    def wait(self) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self._interval
        if start > now:
            time.sleep(start - now)

    def pause(self, seconds: float) -> None:
        """No start before ``seconds`` from now (a 429 with Retry-After)."""
        with self._lock:
            self._next = max(self._next, time.monotonic() + seconds)


class _Gate:
    """A semaphore whose size can shrink (and grow back) while it is in use."""

    def __init__(self, limit: int) -> None:
        self._cond = threading.Condition()
        self._limit = limit
        self._active = 0
        self.peak = 0

    @property
    def limit(self) -> int:
        return self._limit

    def set_limit(self, limit: int) -> None:
        with self._cond:
            self._limit = max(1, limit)
            self._cond.notify_all()

    @contextmanager
    def hold(self) -> Iterator[None]:
        with self._cond:
            while self._active >= self._limit:
                self._cond.wait()
            self._active += 1
            self.peak = max(self.peak, self._active)
        try:
            yield
        finally:
            with self._cond:
                self._active -= 1
                self._cond.notify_all()


_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def _advertised_rate(headers: Mapping[str, str]) -> float | None:
    """Requests per second from ``x-rate-limit-limit`` / ``x-rate-limit-interval``."""
    # 2026 recordings spell them x-rate-limit-*, some 2025 ones x-ratelimit-*
    limit = headers.get("x-rate-limit-limit") or headers.get("x-ratelimit-limit")
    if not limit:
        return None
    try:
        count = float(limit)
    except ValueError:
        return None
    written = headers.get("x-rate-limit-interval") or headers.get("x-ratelimit-interval")
    interval = _INTERVAL.match(written or "1s")
    if interval is None or count <= 0:
        return None
    seconds = float(interval.group(1)) * _UNIT_SECONDS[(interval.group(2) or "s").lower()]
    return count / seconds if seconds > 0 else None


class _ServicePolicy:
    """Rate and concurrency limits of one service, lowered by what its headers advertise."""

    def __init__(self, service: str, documented: RateLimits) -> None:
        self.service = service
        self.documented = documented
        self.single = _StartSpacer(documented.single)
        # NCBI counts every E-utility against one limit: one spacer for all requests
        self.list = self.single if service == "pubmed" else _StartSpacer(documented.list)
        self.gate = _Gate(documented.concurrency)

    def spacer(self, kind: str) -> _StartSpacer:
        return self.list if kind == "list" else self.single

    @contextmanager
    def slot(self, kind: str) -> Iterator[None]:
        with self.gate.hold():
            self.spacer(kind).wait()
            yield

    def pause(self, seconds: float) -> None:
        self.single.pause(seconds)
        if self.list is not self.single:
            self.list.pause(seconds)

    def observe(self, headers: Mapping[str, str]) -> None:
        rate = _advertised_rate(headers)
        if rate is not None:
            single = min(self.documented.single, rate)
            if single != self.single.rate:
                logger.info("%s advertises %.3g requests/s", _LABELS[self.service], rate)
            self.single.set_rate(single)
            if self.list is not self.single:
                self.list.set_rate(min(self.documented.list, rate))
        concurrency = headers.get("x-concurrency-limit")
        if concurrency and concurrency.strip().isdigit():
            self.gate.set_limit(min(self.documented.concurrency, int(concurrency)))

    def limits(self) -> RateLimits:
        return RateLimits(single=self.single.rate, list=self.list.rate, concurrency=self.gate.limit)


def _endpoint(service: str, path: str) -> tuple[str, str]:
    """``(endpoint name for the counters, "single" | "list")`` of a path below a base URL."""
    segments = [part for part in path.split("?", 1)[0].split("/") if part]
    if not segments:
        return "/", "list"
    if service == "crossref":
        if len(segments) == 1:
            return segments[0], "list"  # works?filter=..., works?query...=
        name = "works/{doi}" if segments[0] == "works" else f"{segments[0]}/{{id}}"
        if len(segments) > 2 and segments[-1] in {"agency", "transform"}:
            name += "/" + segments[-1]
        return name, "single"
    return segments[0], "single"


# --------------------------------------------------------------------------- transport


class _PolicyAdapter(requests.adapters.HTTPAdapter):
    """Applies the rate and concurrency limits to requests that really go out."""

    def __init__(self, client: HttpClient, service: str, pool_size: int) -> None:
        super().__init__(pool_connections=2, pool_maxsize=pool_size, max_retries=0)
        self._client = client
        self._service = service

    def send(
        self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        client = self._client
        base = client.settings.base_url(self._service)
        path = (request.url or "")[len(base) :] if (request.url or "").startswith(base) else ""
        endpoint, kind = _endpoint(self._service, unquote(urlsplit(path).path))
        policy = client.policy(self._service)
        with policy.slot(kind):
            client.stats.add(self._service, endpoint, "requests")
            response = super().send(request, *args, **kwargs)
            # read the body inside the slot: a connection counts until its body is read
            _ = response.content
        policy.observe(response.headers)
        return response


class _OfflineAdapter(requests.adapters.BaseAdapter):
    """Mounted in offline mode: any request that reaches the network is refused."""

    def send(
        self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        raise OfflineCacheMiss("network", f"offline: not in the cache: {redact(request.url or '')}")

    def close(self) -> None:
        pass


# --------------------------------------------------------------------------- client


def _is_rate_limit_body(text: str) -> bool:
    """E-utilities' ``{"error":"API rate limit exceeded",...}``, which may come with HTTP 200."""
    if len(text) > _RATE_LIMIT_BODY_MAX or not text.lstrip().startswith("{"):
        return False
    try:
        data = json.loads(text)
    except ValueError:
        return False
    error = data.get("error") if isinstance(data, dict) else None
    return isinstance(error, str) and error.lower().startswith("api rate limit exceeded")


def _body_is_truncated(response: requests.Response) -> bool:
    length = response.headers.get("Content-Length")
    encoding = response.headers.get("Content-Encoding", "identity").lower()
    if not length or not length.isdigit() or encoding != "identity":
        return False
    if response.request is not None and response.request.method == "HEAD":
        return False
    return len(response.content) != int(length)


def _cacheable(response: requests.Response) -> bool:
    """requests-cache filter: never store a rate-limit body or a short read."""
    if response.status_code not in _CACHEABLE_STATUS:
        return False
    if _body_is_truncated(response) or _is_rate_limit_body(_decode(response)):
        return False
    # redirects (a Crossref DOI alias answers 301) are stored too, and requests-cache only
    # redacts the final request: scrub the hops
    for hop in response.history:
        hop.url = _strip_identification(hop.url)
        if "Location" in hop.headers:
            hop.headers["Location"] = _strip_identification(hop.headers["Location"])
        if hop.request is not None:
            hop.request.url = _strip_identification(hop.request.url or "")
            hop.request.headers.pop("User-Agent", None)
    return True


_IDENTIFICATION_IN_URL = re.compile(
    r"(?<=[?&])(?:" + "|".join(_IDENTIFICATION_PARAMS) + r")=[^&#]*&?", re.IGNORECASE
)


def _strip_identification(url: str) -> str:
    return _IDENTIFICATION_IN_URL.sub("", url).rstrip("?&")


def _decode(response: requests.Response) -> str:
    """The body as text: the declared charset, else UTF-8 (XML and JSON default to it)."""
    content_type = response.headers.get("Content-Type", "")
    match = re.search(r"charset=[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    encoding = match.group(1) if match else "utf-8"
    content = response.content or b""
    try:
        return content.decode(encoding, errors="replace")
    except LookupError:
        return content.decode("utf-8", errors="replace")


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delay-seconds or an HTTP-date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    return max(0.0, (when - datetime.datetime.now(datetime.UTC)).total_seconds())


#: failures that mean the service cannot be reached at all (as opposed to a slow or erring one)
_CONNECTION_PROBLEMS = frozenset(
    {"host name not found", "connection refused", "connection failed", "connect timeout"}
)


def _describe(exc: requests.RequestException) -> tuple[str, bool]:
    """A short reason for a failed attempt, and whether another attempt may help."""
    text = str(exc)
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "connect timeout", True
    if isinstance(exc, requests.exceptions.ReadTimeout) or "Read timed out" in text:
        return "read timeout", True
    if isinstance(
        exc, requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError
    ):
        return "truncated response body", True
    if isinstance(exc, requests.exceptions.SSLError):
        return "TLS error", True
    if isinstance(exc, requests.exceptions.ConnectionError):
        lowered = text.lower()
        if "reset" in lowered or "aborted" in lowered or "remotedisconnected" in lowered:
            return "connection reset", True
        if "incompleteread" in lowered or "incomplete" in lowered:
            return "truncated response body", True
        if "refused" in lowered:
            return "connection refused", True
        if "name or service not known" in lowered or "resolve" in lowered:
            return "host name not found", True
        return "connection failed", True
    if isinstance(exc, requests.exceptions.TooManyRedirects):
        return "too many redirects", False
    return f"request failed ({type(exc).__name__})", False


class HttpClient:
    """The one way claimgraph talks to PubMed and Crossref. Thread-safe.

    ``session`` is used as given (tests pass one in); by default a cached session is built
    from the settings. ``on_request(service, from_cache)`` is called after every call that
    finished, with an answer or a final ServiceError (progress bars use it).
    """

    def __init__(
        self,
        settings: HttpSettings,
        session: requests.Session | None = None,
        on_request: Callable[[str, bool], None] | None = None,
    ) -> None:
        self.settings = settings
        self.stats = HttpStats()
        #: service -> why it could not be connected to in this run (requests then fail fast)
        self._down: dict[str, str] = {}
        self.on_request = on_request
        self._policies: dict[str, _ServicePolicy] = {
            service: _ServicePolicy(
                service,
                documented_limits(service, email=settings.email, api_key=settings.ncbi_api_key),
            )
            for service in SERVICES
        }
        _install_log_redaction(settings.ncbi_api_key)
        self._session = session if session is not None else self._cached_session()
        self._cached = isinstance(self._session, requests_cache.CachedSession)
        if settings.offline:
            refuse = _OfflineAdapter()
            self._session.mount("http://", refuse)
            self._session.mount("https://", refuse)
        else:
            for service in SERVICES:
                pool = self._policies[service].documented.concurrency + 1
                self._session.mount(settings.base_url(service), _PolicyAdapter(self, service, pool))
        self._session.headers["User-Agent"] = user_agent(settings.email)

    def _cached_session(self) -> requests.Session:
        settings = self.settings
        settings.cache_dir.mkdir(parents=True, exist_ok=True)
        return requests_cache.CachedSession(
            cache_name=str(settings.cache_dir / "http.sqlite"),
            backend="sqlite",
            wal=True,
            busy_timeout=30_000,
            expire_after=settings.cache_max_age,
            allowable_methods=("GET", "POST"),
            allowable_codes=_CACHEABLE_STATUS,
            ignored_parameters=_REDACTED_FIELDS,
            match_headers=False,
            filter_fn=_cacheable,
            # offline, an expired answer is better than none
            stale_if_error=settings.offline,
        )

    # ------------------------------------------------------------------ public API

    def get(self, service: str, path: str, params: Mapping[str, str] | None = None) -> HttpResponse:
        """GET ``path`` below the service's base URL. Raises ServiceError after retries."""
        return self._call("GET", service, path, dict(params or {}))

    def post(self, service: str, path: str, data: Mapping[str, str]) -> HttpResponse:
        """POST a form (E-utilities with many ids). Raises ServiceError after retries."""
        return self._call("POST", service, path, dict(data))

    def get_many(
        self, service: str, requests: Sequence[tuple[str, Mapping[str, str]]]
    ) -> list[HttpResponse | ServiceError]:
        """GET each ``(path, params)`` concurrently within the service's limits.

        Results come back in input order; a call that failed is its ServiceError.
        """

        def one(item: tuple[str, Mapping[str, str]]) -> HttpResponse | ServiceError:
            try:
                return self.get(service, item[0], item[1])
            except ServiceError as error:
                return error

        if len(requests) <= 1:
            return [one(item) for item in requests]
        workers = min(len(requests), self.policy(service).documented.concurrency)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"http-{service}") as pool:
            return list(pool.map(one, requests))

    def limits(self, service: str) -> RateLimits:
        """The limits in force now (documented, lowered by what the service advertised)."""
        return self.policy(service).limits()

    def policy(self, service: str) -> _ServicePolicy:
        """The live rate/concurrency state of a service (internal; tests tune it)."""
        try:
            return self._policies[service]
        except KeyError:
            raise ValueError(
                f"unknown service {service!r}; expected one of {', '.join(SERVICES)}"
            ) from None

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ internals

    def _identification(self, service: str) -> dict[str, str]:
        settings = self.settings
        if service == "pubmed":
            params = {"tool": "claimgraph"}
            if settings.email:
                params["email"] = settings.email
            if settings.ncbi_api_key:
                params["api_key"] = settings.ncbi_api_key
            return params
        return {"mailto": settings.email} if settings.email else {}

    def _call(self, method: str, service: str, path: str, fields_: dict[str, str]) -> HttpResponse:
        base = self.settings.base_url(service)
        url = base.rstrip("/") + "/" + path.lstrip("/")
        endpoint, _ = _endpoint(service, path)
        fields_.update(self._identification(service))
        try:
            down = self._down.get(service)
            if down is not None and not self.settings.offline:
                # the service could not even be connected to earlier in this run: fail fast
                # instead of waiting through every retry again for each remaining request
                raise ServiceError(service, down)
            answer = self._attempts(method, service, endpoint, url, fields_)
        except ServiceError:
            self.stats.add(service, endpoint, "failures")
            if self.on_request is not None:
                self.on_request(service, False)
            raise
        if answer.from_cache:
            self.stats.add(service, endpoint, "cache_hits")
        if self.on_request is not None:
            self.on_request(service, answer.from_cache)
        return answer

    def _cache_options(self) -> dict[str, Any]:
        if not self._cached:
            return {}
        return {"only_if_cached": self.settings.offline, "force_refresh": self.settings.refresh}

    def _attempts(
        self, method: str, service: str, endpoint: str, url: str, fields_: dict[str, str]
    ) -> HttpResponse:
        settings = self.settings
        label = _LABELS[service]
        attempts = settings.max_retries + 1
        timeout = (settings.connect_timeout, settings.read_timeout)
        payload: dict[str, Any] = {"params": fields_} if method == "GET" else {"data": fields_}
        problem = "no attempt made"
        last_exc: BaseException | None = None
        for attempt in range(1, attempts + 1):
            logger.debug("%s %s (attempt %d of %d)", method, url, attempt, attempts)
            retry_after: float | None = None
            try:
                response = self._session.request(
                    method, url, timeout=timeout, **payload, **self._cache_options()
                )
            except OfflineCacheMiss:
                raise OfflineCacheMiss(
                    service, f"offline and not in the cache: {label} {endpoint}"
                ) from None
            except requests.RequestException as exc:
                problem, retryable = _describe(exc)
                last_exc = exc
                if not retryable:
                    raise self._failure(
                        service, f"{label} request failed: {problem}", exc
                    ) from None
            else:
                from_cache = bool(getattr(response, "from_cache", False))
                # only_if_cached answers a miss with a made-up 504 (only 200/404 are stored)
                if settings.offline and (not from_cache or response.status_code == 504):
                    raise OfflineCacheMiss(
                        service, f"offline and not in the cache: {label} {endpoint}"
                    )
                text = _decode(response)
                status = response.status_code
                if status == 429 or _is_rate_limit_body(text):
                    self.stats.add(service, endpoint, "rate_limited")
                    problem = (
                        f"rate limited (HTTP {status})"
                        if status == 429
                        else ("rate limited (API rate limit exceeded)")
                    )
                    retry_after = _retry_after(response.headers.get("Retry-After"))
                    if retry_after is not None and retry_after > _MAX_RETRY_AFTER:
                        raise self._failure(
                            service,
                            f"{label} rate limit: asked to wait {retry_after:.0f} s; try later",
                            None,
                        )
                elif status >= 500:
                    problem = f"HTTP {status}"
                elif not from_cache and _body_is_truncated(response):
                    problem = "truncated response body"
                else:
                    return HttpResponse(
                        status=status,
                        headers=CaseInsensitiveDict(response.headers),
                        text=text,
                        url=_strip_identification(response.url or url),
                        from_cache=from_cache,
                    )
            if attempt == attempts:
                break
            delay = self._backoff(attempt)
            if retry_after is not None:
                delay = max(delay, retry_after)
            if problem.startswith("rate limited"):
                # the limit is per client: hold back every thread, not only this one
                self.policy(service).pause(delay)
            logger.info(
                "%s: %s on %s; retrying in %.2f s (attempt %d of %d)",
                label,
                problem,
                endpoint,
                delay,
                attempt + 1,
                attempts,
            )
            self.stats.add(service, endpoint, "retries")
            time.sleep(delay)
        failure = self._failure(
            service, f"{label} unreachable after {attempts} attempts: {problem}", last_exc
        )
        if problem in _CONNECTION_PROBLEMS:
            self._down.setdefault(service, failure.message)
        raise failure

    def _backoff(self, attempt: int) -> float:
        base = self.settings.backoff_base
        return min(_MAX_BACKOFF, base * 2.0 ** (attempt - 1)) + random.uniform(0, base)

    def _failure(self, service: str, message: str, cause: BaseException | None) -> ServiceError:
        error = ServiceError(service, redact(message, self.settings.ncbi_api_key))
        logger.warning("%s", error)
        # a requests exception carries the URL, and with it the API key: do not chain it then
        if cause is not None and not self.settings.ncbi_api_key:
            error.__cause__ = cause
        else:
            error.__suppress_context__ = True
        return error
