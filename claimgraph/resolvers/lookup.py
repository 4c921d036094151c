"""What a service client returns, and what every client offers.

Each service has one client with two calls: ``fetch(scheme, ids)`` (identifiers: PMIDs,
DOIs, PMCIDs) and ``search(queries)`` (free-text citations). Both answer with one
:class:`Lookup` per identifier or query, keyed by its normalised form. Clients ask the record
store first, in bulk, and send requests only for what it lacks; what a service answered is
stored, failures never are. A failure is a value on the lookup (an exception instance without
traceback), never raised out of a client.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from claimgraph.errors import OfflineCacheMiss, ServiceError
from claimgraph.http import HttpClient, as_value
from claimgraph.records import Record
from claimgraph.store import Answer, RecordStore

__all__ = ["Lookup", "SearchQuery", "ServiceClient", "StoredRound"]


@dataclass(frozen=True, slots=True)
class Lookup:
    """A service's answer about one identifier or query.

    ``error`` set: the service could not answer (outage, offline and not stored, unreadable
    reply). Otherwise it answered: ``records`` found (none: it does not exist), ``agency``
    the registration agency of a DOI held elsewhere.
    """

    key: str
    records: tuple[Record, ...] = ()
    agency: str | None = None
    error: ServiceError | None = None

    @property
    def answered(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A free-text citation, split into the fields the services can search."""

    text: str
    title: str | None = None
    first_author: str | None = None  # "Alonso-Navarro H" or a surname
    surname: str | None = None
    year: int | None = None
    journal: str | None = None
    volume: str | None = None
    first_page: str | None = None

    #: the normalised query: what the store keys its answers by (computed once: the rounds
    #: and both clients ask for it several times per query, 0.9 s of 1.6 s for 22,000
    #: free-text sources offline)
    key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parts = (
            self.text,
            self.title,
            self.first_author,
            self.year,
            self.journal,
            self.volume,
            self.first_page,
        )
        key = "|".join(_normal(str(part)) if part else "" for part in parts)
        object.__setattr__(self, "key", key)


_KEY_BREAKS = re.compile(r"[|\r\n]")


def _normal(text: str) -> str:
    return " ".join(_KEY_BREAKS.sub(" ", text).lower().split())


class ServiceClient(Protocol):
    """One service."""

    service: str

    def fetch(self, scheme: str, ids: Sequence[str]) -> dict[str, Lookup]:
        """A lookup per identifier (``scheme``: pmid, doi or pmcid), keyed as given."""
        ...

    def search(self, queries: Sequence[SearchQuery]) -> dict[str, Lookup]:
        """Candidate records per query (keyed by :attr:`SearchQuery.key`)."""
        ...


class StoredRound:
    """The store-first step every client shares: answers stored for ``keys``, the rest
    missing; offline, the missing ones become lookups that say so (nothing is sent)."""

    def __init__(self, http: HttpClient, store: RecordStore, service: str) -> None:
        self.http = http
        self.store = store
        self.service = service

    @property
    def offline(self) -> bool:
        return self.http.settings.offline

    def split(
        self, keys: Mapping[str, str]
    ) -> tuple[dict[str, Answer], list[str], dict[str, Lookup]]:
        """``keys``: value -> store key. Returns (stored answers by value, values to ask
        about, offline lookups for values that cannot be asked about)."""
        stored = self.store.get_many(keys.values())
        found = {value: stored[key] for value, key in keys.items() if key in stored}
        missing = [value for value in keys if value not in found]
        if not self.offline or not missing:
            return found, missing, {}
        error = self.offline_miss()
        return found, [], {value: Lookup(value, error=error) for value in missing}

    def offline_miss(self) -> OfflineCacheMiss:
        label = self.http.label(self.service)
        return OfflineCacheMiss(self.service, f"{label}: offline and not in the cache")

    def failed(self, error: ServiceError) -> ServiceError:
        return as_value(error)


def chunks(items: Sequence[str], size: int) -> list[Sequence[str]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


OnBatch = Callable[[Mapping[str, Lookup]], None]
