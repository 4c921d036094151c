"""Per-service values for the HTTP policy: base URL, documented limits, identification.

The limits are the ones the services publish (API_FACTS.md), the ceiling never exceeded:
NCBI 3 requests/s (10 with an API key), one limit over all E-utilities; Crossref since
December 2025 public pool 5/s single-DOI and 1/s list requests with one connection, polite
pool (with a contact email) 10/s, 3/s and 3 connections.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from claimgraph.http import HttpClient
from claimgraph.ratelimit import RateLimits, ServiceProfile

if TYPE_CHECKING:
    import requests

    from claimgraph.config import Config

__all__ = [
    "CROSSREF",
    "PUBMED",
    "SERVICES",
    "HttpSettings",
    "build_http",
    "crossref_profile",
    "documented_limits",
    "pubmed_profile",
]

PUBMED = "pubmed"
CROSSREF = "crossref"
SERVICES = (PUBMED, CROSSREF)
LABELS = {PUBMED: "PubMed", CROSSREF: "Crossref"}


@dataclass(frozen=True)
class HttpSettings:
    """Where the services are, who we are, and how patient to be (the user's settings)."""

    pubmed_url: str
    crossref_url: str
    email: str | None
    ncbi_api_key: str | None = field(repr=False)
    cache_dir: Path
    cache_max_age: datetime.timedelta
    offline: bool = False
    refresh: bool = False
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    max_retries: int = 4
    backoff_base: float = 0.5  # seconds; tests set it tiny
    #: share rate limits with other processes through files in the cache folder
    shared_limits: bool = True

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


def documented_limits(service: str, *, email: str | None, api_key: str | None) -> RateLimits:
    """The limits the services publish: the ceiling we never exceed."""
    if service == PUBMED:
        rate = 10.0 if api_key else 3.0
        # a few parallel connections keep a slow efetch from idling the rate; the start
        # spacing still holds the rate
        return RateLimits(single=rate, list=rate, concurrency=3)
    if service == CROSSREF:
        if email:
            return RateLimits(single=10.0, list=3.0, concurrency=3)
        return RateLimits(single=5.0, list=1.0, concurrency=1)
    raise ValueError(f"unknown service {service!r}")


def _eutils_endpoint(path: str) -> tuple[str, str]:
    segments = [part for part in path.split("?", 1)[0].split("/") if part]
    return (segments[0] if segments else "/"), "single"


def _crossref_endpoint(path: str) -> tuple[str, str]:
    """``works?...`` is a list request; ``works/{doi}`` (and its ``/agency``) a single one."""
    segments = [part for part in path.split("?", 1)[0].split("/") if part]
    if not segments:
        return "/", "list"
    if len(segments) == 1:
        return segments[0], "list"  # works?filter=..., works?query...=
    name = "works/{doi}" if segments[0] == "works" else f"{segments[0]}/{{id}}"
    if len(segments) > 2 and segments[-1] in {"agency", "transform"}:
        name += "/" + segments[-1]
    return name, "single"


def pubmed_profile(settings: HttpSettings) -> ServiceProfile:
    identification = {"tool": "claimgraph"}
    if settings.email:
        identification["email"] = settings.email
    if settings.ncbi_api_key:
        identification["api_key"] = settings.ncbi_api_key
    return ServiceProfile(
        name=PUBMED,
        label=LABELS[PUBMED],
        base_url=settings.pubmed_url,
        limits=documented_limits(PUBMED, email=settings.email, api_key=settings.ncbi_api_key),
        identification=identification,
        one_limit=True,
        classify=_eutils_endpoint,
    )


def crossref_profile(settings: HttpSettings) -> ServiceProfile:
    return ServiceProfile(
        name=CROSSREF,
        label=LABELS[CROSSREF],
        base_url=settings.crossref_url,
        limits=documented_limits(CROSSREF, email=settings.email, api_key=None),
        identification={"mailto": settings.email} if settings.email else {},
        classify=_crossref_endpoint,
    )


def build_http(
    settings: HttpSettings,
    *,
    session: requests.Session | None = None,
    on_request: Callable[[str, bool], None] | None = None,
) -> HttpClient:
    """An HTTP client for PubMed and Crossref."""
    return HttpClient(
        settings,
        [pubmed_profile(settings), crossref_profile(settings)],
        session=session,
        on_request=on_request,
    )
