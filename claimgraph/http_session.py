"""The ``requests`` half of :mod:`claimgraph.http`: session adapters and what reads
``requests`` objects. Imported with the first session an :class:`~claimgraph.http.HttpClient`
makes, so a run that sends nothing (``--offline``) never loads the HTTP stack. It does not
import :mod:`claimgraph.http` (the client is seen as :class:`Paced`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

import requests
import requests.adapters
from requests import RequestException
from requests.structures import CaseInsensitiveDict

from claimgraph.errors import OfflineCacheMiss
from claimgraph.ratelimit import ServicePolicy, ServiceProfile

__all__ = [
    "CaseInsensitiveDict",
    "OfflineAdapter",
    "Paced",
    "PolicyAdapter",
    "RequestException",
    "body_is_truncated",
    "decode",
    "describe",
    "mounted",
]


class Counts(Protocol):
    def add(self, service: str, endpoint: str, counter: str) -> None: ...


class Paced(Protocol):
    """What the adapters use of :class:`claimgraph.http.HttpClient`."""

    @property
    def stats(self) -> Counts: ...

    def policy(self, service: str) -> ServicePolicy: ...

    def raise_if_down(self, service: str) -> None: ...


def mounted(
    session: requests.Session | None,
    client: Paced,
    profiles: Sequence[ServiceProfile],
    *,
    offline: bool,
    user_agent: str,
    redact: Callable[[str], str],
) -> requests.Session:
    """``session`` (a new one when None) with the client's adapters (pacing per service, or
    refusal of everything offline) and User-Agent. ``redact`` cleans a URL for a message."""
    session = session if session is not None else requests.Session()
    if offline:
        refuse = OfflineAdapter(redact)
        session.mount("http://", refuse)
        session.mount("https://", refuse)
    else:
        for profile in profiles:
            pool = profile.limits.concurrency + 1
            session.mount(profile.base_url, PolicyAdapter(client, profile, pool))
    session.headers["User-Agent"] = user_agent
    return session


class PolicyAdapter(requests.adapters.HTTPAdapter):
    """Applies the pacing to requests that really go out (every attempt)."""

    def __init__(self, client: Paced, profile: ServiceProfile, pool_size: int) -> None:
        super().__init__(pool_connections=2, pool_maxsize=pool_size, max_retries=0)
        self._client = client
        self._profile = profile

    def send(
        self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        profile = self._profile
        url = request.url or ""
        path = url[len(profile.base_url) :] if url.startswith(profile.base_url) else ""
        endpoint, kind = profile.classify(unquote(urlsplit(path).path))
        policy = self._client.policy(profile.name)
        with policy.slot(kind):
            # the wait for a slot can be long: the service may have been found down meanwhile
            self._client.raise_if_down(profile.name)
            self._client.stats.add(profile.name, endpoint, "requests")
            response = super().send(request, *args, **kwargs)
            # read the body inside the slot: a connection counts until its body is read
            _ = response.content
        policy.observe(response.headers)
        return response


class OfflineAdapter(requests.adapters.BaseAdapter):
    """Mounted in offline mode: any request that reaches the network is refused."""

    def __init__(self, redact: Callable[[str], str]) -> None:
        super().__init__()
        self._redact = redact

    def send(
        self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        raise OfflineCacheMiss("network", f"offline: not sent: {self._redact(request.url or '')}")

    def close(self) -> None:
        pass


def body_is_truncated(response: requests.Response) -> bool:
    length = response.headers.get("Content-Length")
    encoding = response.headers.get("Content-Encoding", "identity").lower()
    if not length or not length.isdigit() or encoding != "identity":
        return False
    if response.request is not None and response.request.method == "HEAD":
        return False
    return len(response.content) != int(length)


def decode(response: requests.Response) -> str:
    """The body as text: the declared charset, else UTF-8 (XML and JSON default to it)."""
    content_type = response.headers.get("Content-Type", "")
    match = re.search(r"charset=[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    encoding = match.group(1) if match else "utf-8"
    content = response.content or b""
    try:
        return content.decode(encoding, errors="replace")
    except LookupError:
        return content.decode("utf-8", errors="replace")


def describe(exc: requests.RequestException) -> tuple[str, bool]:
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
