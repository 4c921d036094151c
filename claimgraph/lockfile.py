"""``claimgraph.lock``: what each source was verified against, and when.

A CI run with ``--locked`` trusts the lock instead of asking PubMed and Crossref again, so it
is fast and gives the same answer every time. Only sources that are new, whose cited fields
changed since they were checked, or whose entry is older than the configured maximum age
(``lock-max-age-days``) go to the real resolver.

The file is JSON with sorted keys, one entry per source id, empty and null fields left out::

    {"claimgraph_lock": 1,
     "sources": {
       "alonso-navarro-2006": {
         "checked_at": "2025-05-01T09:30:00Z",
         "fields_hash": "sha256:...",          # of the fields a resolution depends on
         "identifiers": {"pmid": "16855421"},   # for people reading a diff
         "resolution": {"status": "verified", "record": {...}, ...}}}}

Failures are never stored: a source the services could not check (``unverifiable``) keeps
its previous entry, if any, and is asked about again next time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from claimgraph.atomic import write_text_atomic
from claimgraph.config import Config
from claimgraph.errors import InputError
from claimgraph.identifiers import normalize_doi, normalize_pmcid, normalize_pmid
from claimgraph.levels import SourceStatus
from claimgraph.models import Source, json_path, read_json
from claimgraph.resolvers.base import Resolution, Resolver

logger = logging.getLogger(__name__)

LOCK_FILE = "claimgraph.lock"
LOCK_FORMAT = 1

#: the source fields a resolution depends on: a change to any of them means checking again
CITED_FIELDS = (
    "kind",
    "citation",
    "title",
    "authors",
    "journal",
    "year",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "pmcid",
    "url",
    "publication_types",
)


# ----------------------------------------------------------------------------- the lock


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def fields_hash(source: Source) -> str:
    """A hash of what the source cites (not its id or where it is written)."""
    cited = {
        name: getattr(source, name)
        for name in CITED_FIELDS
        if getattr(source, name) not in (None, "", [])
    }
    canonical = json.dumps(cited, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def source_identifiers(source: Source) -> dict[str, str]:
    """The source's identifiers, normalised where they can be."""
    found: dict[str, str] = {}
    for name, normalize in (
        ("doi", normalize_doi),
        ("pmid", normalize_pmid),
        ("pmcid", normalize_pmcid),
    ):
        value = getattr(source, name)
        if value:
            found[name] = normalize(value) or value
    if source.url:
        found["url"] = source.url
    return found


class LockEntry(BaseModel):
    """What one source was verified against."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    identifiers: dict[str, str] = Field(default_factory=dict)
    fields_hash: str
    resolution: Resolution
    checked_at: dt.datetime

    @field_validator("checked_at")
    @classmethod
    def _utc(cls, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None:
            raise ValueError("checked_at needs a time zone, e.g. 2025-05-01T09:30:00Z")
        return value.astimezone(dt.UTC)


def lock_entry(source: Source, resolution: Resolution, now: dt.datetime) -> LockEntry:
    return LockEntry(
        identifiers=source_identifiers(source),
        fields_hash=fields_hash(source),
        resolution=resolution,
        checked_at=now,
    )


class Lock(BaseModel):
    """The whole lock: source id -> entry."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    format: int = Field(default=LOCK_FORMAT, alias="claimgraph_lock")
    sources: dict[str, LockEntry] = Field(default_factory=dict)

    @field_validator("format")
    @classmethod
    def _known_format(cls, value: int) -> int:
        if value != LOCK_FORMAT:
            raise ValueError(
                f"lock format {value} is not supported (this claimgraph reads {LOCK_FORMAT})"
            )
        return value


def load_lock(path: str | Path) -> Lock:
    """Read ``claimgraph.lock``; a missing file is an empty lock. Raises InputError."""
    name = str(path)
    if not Path(path).exists():
        logger.info("%s does not exist yet: every source will be checked", name)
        return Lock()
    data = read_json(path)
    if not isinstance(data, dict) or "claimgraph_lock" not in data:
        raise InputError(
            'not a claimgraph lock file (no "claimgraph_lock" key)',
            file=name,
            path="$",
            hint="delete it and run claimgraph check to write a new one",
        )
    try:
        return Lock.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        raise InputError(
            f"bad lock entry: {first['msg']}",
            file=name,
            path=json_path(first["loc"]),
            hint="delete the entry (or the file) and run claimgraph check to write it again",
        ) from None


def lock_text(lock: Lock) -> str:
    """The file's text: empty and null fields left out, keys sorted."""
    data = {
        "claimgraph_lock": lock.format,
        "sources": {
            source_id: entry.model_dump(mode="json", exclude_defaults=True)
            for source_id, entry in sorted(lock.sources.items())
        },
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_lock(lock: Lock, path: str | Path) -> None:
    """Write the lock atomically, in a stable order."""
    write_text_atomic(path, lock_text(lock))


# ----------------------------------------------------------------------------- resolver


class LockedResolver:
    """A resolver that answers from the lock and asks ``inner`` only about what it must.

    An entry is trusted when the source's cited fields are unchanged and the entry is not
    older than ``max_age``. Everything else goes to ``inner``; without one (``--locked``
    offline) it is ``unverifiable`` with a message saying how to fix it.
    """

    def __init__(
        self,
        lock: Lock,
        inner: Resolver | None,
        max_age: dt.timedelta,
        now: dt.datetime | None = None,
    ) -> None:
        self.lock = lock
        self.inner = inner
        self.max_age = max_age
        self.now = (now or utc_now()).astimezone(dt.UTC)
        self._fresh: dict[str, LockEntry] = {}
        self._dropped: set[str] = set()
        self._seen: set[str] = set()
        #: sources answered from the lock (for tests)
        self.trusted: list[str] = []

    @classmethod
    def from_config(
        cls,
        lock: Lock | None,
        inner: Resolver | None,
        config: Config,
        *,
        recheck_all: bool = False,
    ) -> LockedResolver:
        """Trust entries up to ``lock-max-age-days``; ``recheck_all`` trusts none (refresh)."""
        max_age = dt.timedelta(0) if recheck_all else dt.timedelta(days=config.lock_max_age_days)
        return cls(lock or Lock(), inner, max_age)

    def why_recheck(self, source: Source) -> str | None:
        """Why the lock cannot answer for ``source``; None when it can."""
        entry = self.lock.sources.get(source.id)
        if entry is None:
            return f"not in {LOCK_FILE}"
        if entry.fields_hash != fields_hash(source):
            return f"changed since {LOCK_FILE} was written"
        if entry.resolution.status is SourceStatus.UNVERIFIABLE:
            return f"not verified in {LOCK_FILE}"
        if self.now - entry.checked_at > self.max_age:
            days = self.max_age.total_seconds() / 86400
            return f"{LOCK_FILE} entry is older than {days:g} days"
        return None

    def resolve(self, sources: Sequence[Source]) -> dict[str, Resolution]:
        answers: dict[str, Resolution] = {}
        pending: list[Source] = []
        reasons: dict[str, str] = {}
        for source in sources:
            self._seen.add(source.id)
            reason = self.why_recheck(source)
            if reason is None:
                answers[source.id] = self.lock.sources[source.id].resolution
                self.trusted.append(source.id)
            else:
                reasons[source.id] = reason
                pending.append(source)
        if pending:
            logger.info(
                "%s: %d sources from the lock, %d to check", LOCK_FILE, len(answers), len(pending)
            )
            answers.update(self._check(pending, reasons))
        return {source.id: answers[source.id] for source in sources}

    def _check(self, pending: list[Source], reasons: dict[str, str]) -> dict[str, Resolution]:
        if self.inner is None:
            return {
                source.id: Resolution(
                    status=SourceStatus.UNVERIFIABLE,
                    message=f"{reasons[source.id]}; run without --locked",
                )
                for source in pending
            }
        fresh = self.inner.resolve(pending)
        for source in pending:
            resolution = fresh[source.id]
            if resolution.status is SourceStatus.UNVERIFIABLE:
                # never store a failure; an entry for other fields no longer applies
                old = self.lock.sources.get(source.id)
                if old is not None and old.fields_hash != fields_hash(source):
                    self._dropped.add(source.id)
                continue
            self._fresh[source.id] = lock_entry(source, resolution, self.now)
        return fresh

    def updated_lock(self, *, prune: bool = False) -> Lock:
        """The lock with this run's answers; ``prune`` drops entries of sources not seen.

        Prune only after a run that saw every source of the project (a check of a few
        drafts would otherwise drop the entries of all the others).
        """
        entries = {
            source_id: entry
            for source_id, entry in self.lock.sources.items()
            if source_id not in self._dropped and (not prune or source_id in self._seen)
        }
        entries.update(self._fresh)
        return Lock(sources=dict(sorted(entries.items())))
