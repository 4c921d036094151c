"""The HTTP transport: identification, timeouts, pacing, retries. It knows no service.

This module and its transport half, :mod:`claimgraph.http_session` (loaded with the first
session, never on an ``--offline`` run), are the only ones that import ``requests``. Each service's client hands it a
:class:`~claimgraph.ratelimit.ServiceProfile` (base URL, documented limits, identification
parameters, which paths are list requests); clients see :class:`HttpResponse` values and
:class:`~claimgraph.errors.ServiceError` exceptions only.

* **Identification**: a User-Agent naming claimgraph and the contact address, and the
  profile's parameters (query string of a GET, form body of a POST).
* **Pacing**: :class:`~claimgraph.ratelimit.ServicePolicy` spaces request starts and caps
  connections, within the process and, through files under ``<cache_dir>/rate/``, across every
  claimgraph process sharing the cache folder. Advertised ``x-rate-limit-*`` and
  ``x-concurrency-limit`` headers can lower the limits, never raise them.
* **Retries** with exponential backoff and jitter on 429 (honouring ``Retry-After``), 5xx,
  read timeouts (10 s: a stalled answer costs at most that before the retry), connection
  resets and truncated bodies. ``{"error":"API rate limit exceeded"}`` counts as a 429 whatever
  its status. 404 and other 4xx are answers. A service that cannot be connected to at all (no
  network, no DNS, refused) is tried twice, then every later request to it fails at once, with
  one warning line that names ``--offline``.
* **Offline** sends nothing: every request raises :class:`~claimgraph.errors.OfflineCacheMiss`.

The user's settings (base URLs, contact, key, timeouts) are
:class:`claimgraph.resolvers.profiles.HttpSettings`; this module sees them as
:class:`TransportSettings`.

Answers are not cached here: the record store (:mod:`claimgraph.store`) keeps parsed records
per identifier, which survives edits to sources.json where a cache of batched requests did not.
"""

from __future__ import annotations

import json
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from claimgraph.errors import OfflineCacheMiss, ServiceError
from claimgraph.ratelimit import RateLimits, ServicePolicy, ServiceProfile, retry_after_seconds
from claimgraph.version import __version__

if TYPE_CHECKING:
    import requests

__all__ = [
    "EndpointStats",
    "HttpClient",
    "HttpResponse",
    "HttpStats",
    "RateLimits",
    "TransportSettings",
    "redact",
    "user_agent",
]

logger = logging.getLogger(__name__)

#: query / form parameters that identify us: never logged
_IDENTIFICATION_PARAMS = ("api_key", "email", "tool", "mailto")
#: the longest Retry-After we are willing to sit through before calling it an outage
_MAX_RETRY_AFTER = 120.0
_MAX_BACKOFF = 30.0
_RATE_LIMIT_BODY_MAX = 4096
#: attempts at a service that cannot be connected to at all before giving up on it
_CONNECT_ATTEMPTS = 2
#: ... except a host name that does not resolve (no network, no DNS, a mistyped base URL):
#: it does not resolve a second later either, so the first failure says so at once
_DNS_ATTEMPTS = 1


# --------------------------------------------------------------------------- settings


class TransportSettings(Protocol):
    """What the transport needs from the user's settings (see
    :class:`claimgraph.resolvers.profiles.HttpSettings`)."""

    @property
    def email(self) -> str | None: ...
    @property
    def cache_dir(self) -> Path: ...
    @property
    def offline(self) -> bool: ...
    @property
    def connect_timeout(self) -> float: ...
    @property
    def read_timeout(self) -> float: ...
    @property
    def max_retries(self) -> int: ...
    @property
    def backoff_base(self) -> float: ...
    @property
    def shared_limits(self) -> bool: ...


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
    """Rewrites third-party log records (urllib3 logs full URLs)."""

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
_NOISY_LOGGERS = ("urllib3", "requests")


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
    """Thread-safe counters per (service, endpoint name)."""

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


_IDENTIFICATION_IN_URL = re.compile(
    r"(?<=[?&])(?:" + "|".join(_IDENTIFICATION_PARAMS) + r")=[^&#]*&?", re.IGNORECASE
)


def _strip_identification(url: str) -> str:
    return _IDENTIFICATION_IN_URL.sub("", url).rstrip("?&")


#: what the one warning line for a service that cannot be reached advises
_UNREACHABLE_ADVICE = "check the network, or run with --offline to use only stored answers"
#: failures that mean the service cannot be reached at all (as opposed to a slow or erring one)
_CONNECTION_PROBLEMS = frozenset(
    {"host name not found", "connection refused", "connection failed", "connect timeout"}
)


# --------------------------------------------------------------------------- client


class HttpClient:
    """The one way claimgraph talks to the services in ``profiles``. Thread-safe.

    ``session`` is used as given (tests pass one in). ``on_request(service, from_cache)`` is
    called after every call that finished, with an answer or a final ServiceError (progress
    bars use it; ``from_cache`` is always False here, the record store answers before).
    """

    def __init__(
        self,
        settings: TransportSettings,
        profiles: Sequence[ServiceProfile],
        session: requests.Session | None = None,
        on_request: Callable[[str, bool], None] | None = None,
    ) -> None:
        self.settings = settings
        self.stats = HttpStats()
        self.on_request = on_request
        self._profiles = {profile.name: profile for profile in profiles}
        #: service -> why it could not be connected to in this run (requests then fail fast)
        self._down: dict[str, str] = {}
        self._down_lock = threading.Lock()
        shared = settings.cache_dir / "rate" if settings.shared_limits else None
        self._policies = {p.name: ServicePolicy(p, shared) for p in profiles}
        secrets = [v for p in profiles for k, v in p.identification.items() if k == "api_key"]
        _install_log_redaction(None)
        for secret in secrets:
            _install_log_redaction(secret)
        self._secrets = tuple(secrets)
        self._session_lock = threading.Lock()
        self._session: requests.Session | None = None
        if session is not None:
            self._session = _mounted(self, session)

    def raise_if_down(self, service: str) -> None:
        """Fail at once for a service that could not be connected to earlier in this run.

        Instead of waiting through every retry again for each remaining request (the error
        is not logged again: the first failure said it once).
        """
        down = self._down.get(service)
        if down is not None:
            raise ServiceError(service, down)

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

        Results come back in input order; a call that failed is its ServiceError (a value:
        its traceback is dropped).
        """

        def one(item: tuple[str, Mapping[str, str]]) -> HttpResponse | ServiceError:
            try:
                return self.get(service, item[0], item[1])
            except ServiceError as error:
                return as_value(error)

        if len(requests) <= 1:
            return [one(item) for item in requests]
        workers = min(len(requests), self.policy(service).documented.concurrency)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"http-{service}") as pool:
            return list(pool.map(one, requests))

    def profiles(self) -> list[ServiceProfile]:
        return list(self._profiles.values())

    def label(self, service: str) -> str:
        return self._profile(service).label

    def limits(self, service: str) -> RateLimits:
        """The limits in force now (documented, lowered by what the service advertised)."""
        return self.policy(service).limits()

    def policy(self, service: str) -> ServicePolicy:
        """The live rate/concurrency state of a service (internal; tests tune it)."""
        self._profile(service)
        return self._policies[service]

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
        for policy in self._policies.values():
            policy.close()

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

    def _profile(self, service: str) -> ServiceProfile:
        try:
            return self._profiles[service]
        except KeyError:
            raise ValueError(
                f"unknown service {service!r}; expected one of {', '.join(self._profiles)}"
            ) from None

    def _call(self, method: str, service: str, path: str, fields_: dict[str, str]) -> HttpResponse:
        profile = self._profile(service)
        url = profile.base_url.rstrip("/") + "/" + path.lstrip("/")
        endpoint, _ = profile.classify(path)
        fields_.update(profile.identification)
        try:
            if self.settings.offline:
                raise OfflineCacheMiss(service, f"offline: {profile.label} {endpoint} not sent")
            self.raise_if_down(service)
            answer = self._attempts(method, profile, endpoint, url, fields_)
        except ServiceError:
            self.stats.add(service, endpoint, "failures")
            if self.on_request is not None:
                self.on_request(service, False)
            raise
        if self.on_request is not None:
            self.on_request(service, False)
        return answer

    def _open_session(self) -> requests.Session:
        """The session, made for the first request that may go out: an ``--offline`` run
        sends none and never loads the HTTP stack (requests, urllib3: ~40 ms)."""
        with self._session_lock:
            if self._session is None:
                self._session = _mounted(self, None)
            return self._session

    def _attempts(
        self, method: str, profile: ServiceProfile, endpoint: str, url: str, fields_: dict[str, str]
    ) -> HttpResponse:
        from claimgraph import http_session as transport

        session = self._open_session()
        settings = self.settings
        service, label = profile.name, profile.label
        attempts = settings.max_retries + 1
        timeout = (settings.connect_timeout, settings.read_timeout)
        payload: dict[str, Any] = {"params": fields_} if method == "GET" else {"data": fields_}
        problem = "no attempt made"
        last_exc: BaseException | None = None
        for attempt in range(1, attempts + 1):
            self.raise_if_down(service)  # another request found it down during the backoff
            logger.debug("%s %s (attempt %d of %d)", method, url, attempt, attempts)
            retry_after: float | None = None
            try:
                response = session.request(method, url, timeout=timeout, **payload)
            except transport.RequestException as exc:
                problem, retryable = transport.describe(exc)
                last_exc = exc
                if not retryable:
                    raise self._failure(
                        service, f"{label} request failed: {problem}", exc
                    ) from None
                enough = _DNS_ATTEMPTS if problem == "host name not found" else _CONNECT_ATTEMPTS
                if problem in _CONNECTION_PROBLEMS and attempt >= enough:
                    break  # no network, no DNS, nobody listening: more attempts will not help
            else:
                text = transport.decode(response)
                status = response.status_code
                if status == 429 or _is_rate_limit_body(text):
                    self.stats.add(service, endpoint, "rate_limited")
                    problem = (
                        f"rate limited (HTTP {status})"
                        if status == 429
                        else "rate limited (API rate limit exceeded)"
                    )
                    retry_after = retry_after_seconds(response.headers.get("Retry-After"))
                    if retry_after is not None and retry_after > _MAX_RETRY_AFTER:
                        raise self._failure(
                            service,
                            f"{label} rate limit: asked to wait {retry_after:.0f} s; try later",
                            None,
                        )
                elif status >= 500:
                    problem = f"HTTP {status}"
                elif transport.body_is_truncated(response):
                    problem = "truncated response body"
                else:
                    return HttpResponse(
                        status=status,
                        headers=transport.CaseInsensitiveDict(response.headers),
                        text=text,
                        url=_strip_identification(response.url or url),
                        from_cache=False,
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
        if problem in _CONNECTION_PROBLEMS:
            raise self._unreachable(profile, problem, last_exc)
        raise self._failure(
            service, f"{label} unreachable after {attempts} attempts: {problem}", last_exc
        )

    def _unreachable(
        self, profile: ServiceProfile, problem: str, cause: BaseException | None
    ) -> ServiceError:
        """The service cannot be connected to: one warning line, later requests fail at once.

        The warning says what to do; the error itself, repeated in each source's verdict,
        says only what happened.
        """
        message = f"{profile.label} cannot be reached ({problem})"
        with self._down_lock:
            first = profile.name not in self._down
            self._down.setdefault(profile.name, message)
        return self._failure(profile.name, message, cause, log=first, advice=_UNREACHABLE_ADVICE)

    def _backoff(self, attempt: int) -> float:
        base = self.settings.backoff_base
        return min(_MAX_BACKOFF, base * 2.0 ** (attempt - 1)) + random.uniform(0, base)

    def _failure(
        self,
        service: str,
        message: str,
        cause: BaseException | None,
        *,
        log: bool = True,
        advice: str = "",
    ) -> ServiceError:
        for secret in self._secrets:
            message = message.replace(secret, "***")
        error = ServiceError(service, redact(message))
        if log:  # the message names the service already
            logger.warning("%s", f"{error.message}; {advice}" if advice else error.message)
        # a requests exception carries the URL, and with it the API key: never chain it
        del cause
        error.__suppress_context__ = True
        return error


def _mounted(client: HttpClient, session: requests.Session | None) -> requests.Session:
    """``session`` (a new one when None) with the client's adapters mounted: pacing per
    service, or refusal of everything offline."""
    from claimgraph import http_session

    _install_log_redaction(None)  # the HTTP stack's loggers exist now: filter them too
    return http_session.mounted(
        session,
        client,
        client.profiles(),
        offline=client.settings.offline,
        user_agent=user_agent(client.settings.email),
        redact=redact,
    )


def as_value(error: ServiceError) -> ServiceError:
    """``error`` kept as a value: no traceback, no chained exceptions (they pin frames and
    the data in them, ~300 MB at 100,000 sources)."""
    error.__traceback__ = None
    error.__cause__ = None
    error.__context__ = None
    return error
