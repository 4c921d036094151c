"""The record store: what the services said, one entry per identifier or query.

``<cache_dir>/records.sqlite`` maps a normalised key (``pubmed:pmid:16855421``,
``crossref:doi:10.1000/x``, ``crossref:query:<citation text>``, ...) to a parsed answer: the
records found, the identifiers a search pointed at, or "does not exist". Raw HTTP bodies are
never stored (so nothing that identifies us is either), and failures are never stored: a key
that is absent was never answered.

Entries found have the full lifetime (``cache-max-age-days``); "does not exist" answers a
shorter one (:data:`NEGATIVE_SHARE` of it, a record may appear later). Online, an expired
entry is a miss; offline, an expired entry is better than none and is used.

The database runs in WAL mode with a busy timeout, and every write is one short transaction,
so several claimgraph processes can share one store. A store that cannot be read (truncated,
not a database, written by an unknown version) is renamed aside with a warning and a new one
is started; a folder that cannot be created or written is a :class:`StoreError` online (exit
2), and offline the run goes on with what can be read (possibly nothing).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from claimgraph.errors import InputError
from claimgraph.memory import gc_paused
from claimgraph.records import Record

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX: opening is not serialised across processes
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "STORE_FILE",
    "Answer",
    "RecordStore",
    "StoreError",
    "open_store",
]

logger = logging.getLogger(__name__)

STORE_FILE = "records.sqlite"
#: the schema this code writes; a store with another one is set aside
STORE_VERSION = 1
#: a "does not exist" answer lives this share of the full lifetime
NEGATIVE_SHARE = 0.1
#: keys per SELECT (SQLite's default limit on host parameters is 999 on old builds)
_CHUNK = 900
_BUSY_TIMEOUT_S = 30.0


class StoreError(InputError):
    """The cache folder cannot be used (not a folder, not writable). Exit code 2."""


class Answer(BaseModel):
    """A service's answer about one key. No records and no ids: it does not exist."""

    model_config = ConfigDict(frozen=True)

    records: tuple[Record, ...] = ()
    #: PMIDs a search or citation match pointed at (their records are stored by PMID)
    ids: tuple[str, ...] = ()
    #: the registration agency of a DOI Crossref does not hold (datacite, medra, ...)
    agency: str | None = None

    @property
    def exists(self) -> bool:
        return bool(self.records or self.ids or self.agency)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    key TEXT PRIMARY KEY,
    answer TEXT NOT NULL,
    stored REAL NOT NULL,
    expires REAL NOT NULL
) WITHOUT ROWID
"""


class RecordStore:
    """Answers by key, shared by threads (one connection behind a lock) and processes (WAL).

    Any SQLite failure after opening (the file damaged under us, a full disk) is logged once
    and the store stops being used for the rest of the run: misses, nothing written.
    """

    def __init__(
        self,
        connection: sqlite3.Connection | None,
        path: Path | None,
        *,
        max_age: float,
        offline: bool,
        writable: bool,
    ) -> None:
        self._db = connection
        self.path = path
        self.max_age = max_age
        self.offline = offline
        self.writable = writable and connection is not None
        #: stored answers are not read (``--refresh``); fresh ones are still written
        self.refresh = False
        self._lock = threading.Lock()

    @classmethod
    def memory(cls, max_age: float = 30 * 86400.0) -> RecordStore:
        """A store that lives for this process only (tests, ``no cache`` runs)."""
        connection = sqlite3.connect(":memory:", check_same_thread=False)
        connection.execute(_SCHEMA)
        return cls(connection, None, max_age=max_age, offline=False, writable=True)

    # ------------------------------------------------------------------ reading

    def get_many(self, keys: Iterable[str]) -> dict[str, Answer]:
        """The usable answers among ``keys`` (expired ones only offline)."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, Answer] = {}
        if self._db is None or not wanted or self.refresh:
            return found
        now = time.time()
        rows: list[tuple[str, str, float]] = []
        with self._lock:
            try:
                for start in range(0, len(wanted), _CHUNK):
                    chunk = wanted[start : start + _CHUNK]
                    marks = ",".join("?" * len(chunk))
                    rows += self._db.execute(
                        f"SELECT key, answer, expires FROM answers WHERE key IN ({marks})",  # noqa: S608
                        chunk,
                    ).fetchall()
            except sqlite3.Error as exc:
                self._give_up(exc)
                return found
        with gc_paused():  # thousands of acyclic objects: no collector passes over them
            for key, text, expires in rows:
                if expires < now and not self.offline:
                    continue
                try:
                    found[key] = Answer.model_validate_json(text)
                except ValidationError:
                    logger.debug("unreadable store entry %s ignored", key)
        return found

    # ------------------------------------------------------------------ writing

    def put_many(self, answers: Mapping[str, Answer]) -> None:
        """Store answers (never failures: callers only pass what a service answered)."""
        if not self.writable or self._db is None or not answers or self.offline:
            return
        now = time.time()
        negative = self.max_age * NEGATIVE_SHARE
        rows = [
            (
                key,
                answer.model_dump_json(exclude_defaults=True),
                now,
                now + (self.max_age if answer.exists else negative),
            )
            for key, answer in answers.items()
        ]
        with self._lock:
            try:
                with self._db:
                    self._db.executemany(
                        "INSERT OR REPLACE INTO answers (key, answer, stored, expires) "
                        "VALUES (?, ?, ?, ?)",
                        rows,
                    )
            except sqlite3.Error as exc:
                self._give_up(exc)

    def is_empty(self) -> bool:
        """Nothing can be read: no database, ``--refresh``, or no entry at all (one cheap
        query). Offline, every lookup is then a miss without asking (see the resolver)."""
        if self._db is None or self.refresh:
            return True
        with self._lock:
            try:
                row = self._db.execute("SELECT 1 FROM answers LIMIT 1").fetchone()
            except sqlite3.Error as exc:
                self._give_up(exc)
                return True
        return row is None

    def count(self) -> int:
        if self._db is None:
            return 0
        with self._lock:
            (number,) = self._db.execute("SELECT count(*) FROM answers").fetchone()
        return int(number)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def _give_up(self, exc: sqlite3.Error) -> None:
        logger.warning(
            "the record store %s failed (%s): continuing without it for this run; "
            "delete the file if this happens again",
            self.path,
            exc,
        )
        try:
            if self._db is not None:
                self._db.close()
        except sqlite3.Error:  # pragma: no cover - closing a broken handle
            pass
        self._db = None
        self.writable = False


# --------------------------------------------------------------------------- opening


def open_store(cache_dir: Path, *, max_age: float, offline: bool) -> RecordStore:
    """The store in ``cache_dir``, created when missing (not offline).

    Offline, nothing is created or written: a missing or unusable store gives an empty one.
    Online, a cache folder that cannot be created or written raises :class:`StoreError`.
    """
    path = cache_dir / STORE_FILE
    if offline:
        return _open_offline(path, max_age)
    _ensure_folder(cache_dir)
    for _ in range(2):
        try:
            with _opening(path):
                connection = _connect(path)
                _check_schema(connection, path)
        except _Damaged as damaged:
            _set_aside(path, str(damaged))
            continue
        except sqlite3.OperationalError as exc:
            raise StoreError(
                f"the record store cannot be opened: {exc}",
                file=str(path),
                hint="check the folder's permissions, or set CLAIMGRAPH_CACHE_DIR to another folder",
            ) from None
        return RecordStore(connection, path, max_age=max_age, offline=False, writable=True)
    raise StoreError(  # pragma: no cover - a new file that is damaged at once
        "the record store is damaged again after being set aside",
        file=str(path),
        hint="set CLAIMGRAPH_CACHE_DIR to another folder",
    )


class _Damaged(Exception):
    pass


@contextmanager
def _opening(path: Path) -> Iterator[None]:
    """Processes open (and create) the store one at a time.

    SQLite's busy timeout does not cover every step of opening: two processes creating the
    database and switching it to WAL at the same moment can get "database is locked" at once.
    A lock file beside the store serialises that short step; reads and writes afterwards rely
    on WAL and the busy timeout.
    """
    if fcntl is None:  # pragma: no cover
        yield
        return
    try:
        fd = os.open(path.with_name(path.name + ".open-lock"), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(
            f"the record store cannot be opened: {exc.strerror or exc}",
            file=str(path),
            hint="check the folder's permissions, or set CLAIMGRAPH_CACHE_DIR to another folder",
        ) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _ensure_folder(cache_dir: Path) -> None:
    if cache_dir.exists() and not cache_dir.is_dir():
        raise StoreError(
            "the cache folder is a file",
            file=str(cache_dir),
            hint="move the file away, set CLAIMGRAPH_CACHE_DIR to a folder, or run with --offline",
        )
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"the cache folder cannot be created: {exc.strerror or exc}",
            file=str(cache_dir),
            hint="set CLAIMGRAPH_CACHE_DIR to a folder you can write, or run with --offline",
        ) from None
    if not os.access(cache_dir, os.W_OK | os.X_OK):
        raise StoreError(
            "the cache folder is not writable",
            file=str(cache_dir),
            hint="fix its permissions, set CLAIMGRAPH_CACHE_DIR to a folder you can write, "
            "or run with --offline",
        )


def _connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        uri = path.resolve().as_uri() + "?mode=ro"
        connection = sqlite3.connect(
            uri, uri=True, check_same_thread=False, timeout=_BUSY_TIMEOUT_S
        )
    else:
        connection = sqlite3.connect(path, check_same_thread=False, timeout=_BUSY_TIMEOUT_S)
    try:
        connection.execute(f"PRAGMA busy_timeout = {int(_BUSY_TIMEOUT_S * 1000)}")
        if not read_only:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as exc:
        connection.close()
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            raise
        raise _Damaged(str(exc)) from None
    return connection


def _check_schema(connection: sqlite3.Connection, path: Path) -> None:
    """Create the table in a new store; a store of another shape or version is damaged."""
    try:
        (version,) = connection.execute("PRAGMA user_version").fetchone()
        tables = {
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            ).fetchall()
        }
        if not tables and version == 0:
            with connection:
                connection.execute(_SCHEMA)
                connection.execute(f"PRAGMA user_version = {STORE_VERSION}")
            return
        if version != STORE_VERSION or "answers" not in tables:
            raise _Damaged(f"written by another claimgraph version (format {version})")
        connection.execute("SELECT key, answer, stored, expires FROM answers LIMIT 1").fetchall()
    except sqlite3.DatabaseError as exc:
        connection.close()
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            raise
        raise _Damaged(str(exc)) from None
    except _Damaged:
        connection.close()
        raise


def _set_aside(path: Path, why: str) -> None:
    stamp = time.strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            try:
                companion.replace(target.with_name(target.name + suffix))
            except OSError:
                companion.unlink(missing_ok=True)
    try:
        path.replace(target)
    except OSError as exc:
        raise StoreError(
            f"the record store is unreadable ({why}) and cannot be moved away: {exc.strerror}",
            file=str(path),
            hint="delete the file, or set CLAIMGRAPH_CACHE_DIR to another folder",
        ) from None
    logger.warning(
        "%s could not be read (%s): moved it to %s and started a new record store",
        path,
        why,
        target.name,
    )


def _open_offline(path: Path, max_age: float) -> RecordStore:
    if not path.is_file():
        if path.exists() or (path.parent.exists() and not path.parent.is_dir()):
            logger.warning("%s is not usable: offline with no cached answers", path)
        return RecordStore(None, path, max_age=max_age, offline=True, writable=False)
    try:
        connection = _connect(path, read_only=True)
        _check_schema_read_only(connection)
    except (_Damaged, sqlite3.Error) as exc:
        logger.warning(
            "%s could not be read (%s): offline with no cached answers; "
            "run once online to set it aside and start a new one",
            path,
            exc,
        )
        return RecordStore(None, path, max_age=max_age, offline=True, writable=False)
    return RecordStore(connection, path, max_age=max_age, offline=True, writable=False)


def _check_schema_read_only(connection: sqlite3.Connection) -> None:
    try:
        (version,) = connection.execute("PRAGMA user_version").fetchone()
        if version != STORE_VERSION:
            raise _Damaged(f"written by another claimgraph version (format {version})")
        connection.execute("SELECT key, answer, stored, expires FROM answers LIMIT 1").fetchall()
    except sqlite3.DatabaseError as exc:
        connection.close()
        raise _Damaged(str(exc)) from None
    except _Damaged:
        connection.close()
        raise


def chunked(items: Sequence[str], size: int) -> list[Sequence[str]]:
    """``items`` in slices of ``size``."""
    return [items[start : start + size] for start in range(0, len(items), size)]
