"""Request pacing, shared by threads and by processes: start spacing and connection caps.

Nothing here knows a service: a :class:`ServiceProfile` (built by each service's client) gives
the limits, the identification parameters and which paths are list requests.

Request *starts* are at least ``1/rate`` apart. A start is recorded when the request really
leaves (after any wait), never as a planned slot, so a late thread cannot end up right before
an on-time one. With a cache folder the spacing and the connection cap are shared by every
claimgraph process using that folder (pre-commit runs hooks in parallel, CI runs matrix jobs
on one runner): the time of the last start sits in a small file under ``<cache>/rate/`` that is
read and written under an exclusive lock, and each connection holds one of ``concurrency``
lock files while it is open. Where file locks are not available (no ``fcntl``), the limits
hold within the process only.
"""

from __future__ import annotations

import contextlib
import datetime
import email.utils
import os
import re
import struct
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "Gate",
    "RateLimits",
    "ServicePolicy",
    "ServiceProfile",
    "StartSpacer",
    "advertised_rate",
    "retry_after_seconds",
]

#: starts are spaced this much wider than the limit, so network jitter between us and the
#: server never makes two starts look closer than the limit allows
SPACING_MARGIN = 1.10
#: how often a connection waiting for a free slot held by another process looks again
_SLOT_POLL_S = 0.02


@dataclass(frozen=True)
class RateLimits:
    """Requests per second for single-record and list requests, and parallel connections."""

    single: float
    list: float
    concurrency: int


@dataclass(frozen=True)
class ServiceProfile:
    """What the policy needs to know about one service."""

    name: str
    label: str
    base_url: str
    limits: RateLimits
    #: query / form parameters sent on every request (tool, email, api_key, mailto)
    identification: Mapping[str, str] = field(default_factory=dict, repr=False)
    #: single and list requests count against one limit (one budget over all endpoints)
    one_limit: bool = False
    #: ``path -> (endpoint name for the counters, "single" | "list")``
    classify: Callable[[str], tuple[str, str]] = field(
        default=lambda path: (path.split("?", 1)[0].strip("/") or "/", "single")
    )


# --------------------------------------------------------------------------- spacing


class _SharedClock:
    """The earliest next start, in a file shared by processes (8-byte float, wall clock)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def _open(self) -> int | None:
        if self._fd is None and fcntl is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:
                return None
        return self._fd

    @contextlib.contextmanager
    def locked(self) -> Iterator[tuple[float, Callable[[float], None]]]:
        """``(next start, setter)`` under an exclusive lock; 0.0 when unshared."""
        fd = self._open()
        if fd is None or fcntl is None:
            yield 0.0, lambda _value: None
            return
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            raw = os.pread(fd, 8, 0)
            current = struct.unpack("<d", raw)[0] if len(raw) == 8 else 0.0

            def write(value: float) -> None:
                os.pwrite(fd, struct.pack("<d", value), 0)

            yield current, write
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class StartSpacer:
    """Spaces request starts at least ``1/rate`` seconds apart, across threads and processes."""

    def __init__(self, rate: float, shared: Path | None = None) -> None:
        self._lock = threading.Lock()
        self._interval = SPACING_MARGIN / rate
        self._next = 0.0
        self._shared = _SharedClock(shared) if shared is not None else None

    @property
    def rate(self) -> float:
        return SPACING_MARGIN / self._interval

    def set_rate(self, rate: float) -> None:
        with self._lock:
            self._interval = SPACING_MARGIN / rate

    @contextlib.contextmanager
    def _clock(self) -> Iterator[tuple[float, Callable[[float], None]]]:
        if self._shared is None:
            yield 0.0, lambda _value: None
        else:
            with self._shared.locked() as state:
                yield state

    def wait(self) -> None:
        """Block until a start is allowed, and record it as starting now."""
        while True:
            with self._lock, self._clock() as (shared_next, write):
                now = time.time()
                earliest = max(self._next, shared_next)
                if now >= earliest:
                    self._next = now + self._interval
                    write(self._next)
                    return
                delay = earliest - now
            time.sleep(delay)

    def pause(self, seconds: float) -> None:
        """No start before ``seconds`` from now (a 429 with Retry-After)."""
        with self._lock, self._clock() as (shared_next, write):
            self._next = max(self._next, shared_next, time.time() + seconds)
            write(self._next)

    def close(self) -> None:
        if self._shared is not None:
            self._shared.close()


# --------------------------------------------------------------------------- connections


class Gate:
    """At most ``limit`` connections at once: a semaphore whose size can shrink while in use,
    and, with a folder, one of ``limit`` lock files held per connection across processes."""

    def __init__(self, limit: int, shared: Path | None = None) -> None:
        self._cond = threading.Condition()
        self._limit = limit
        self._active = 0
        self.peak = 0
        self._shared = shared if fcntl is not None else None

    @property
    def limit(self) -> int:
        return self._limit

    def set_limit(self, limit: int) -> None:
        with self._cond:
            self._limit = max(1, limit)
            self._cond.notify_all()

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        with self._cond:
            while self._active >= self._limit:
                self._cond.wait()
            self._active += 1
            self.peak = max(self.peak, self._active)
        try:
            with self._process_slot():
                yield
        finally:
            with self._cond:
                self._active -= 1
                self._cond.notify_all()

    @contextlib.contextmanager
    def _process_slot(self) -> Iterator[None]:
        if self._shared is None or fcntl is None:
            yield
            return
        fd = self._claim(self._shared)
        try:
            yield
        finally:
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)

    def _claim(self, folder: Path) -> int | None:
        assert fcntl is not None
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        while True:
            for index in range(self._limit):
                try:
                    fd = os.open(folder / f"slot-{index}", os.O_RDWR | os.O_CREAT, 0o644)
                except OSError:
                    return None
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    os.close(fd)
                    continue
                return fd
            time.sleep(_SLOT_POLL_S)


# --------------------------------------------------------------------------- one service


_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def advertised_rate(headers: Mapping[str, str]) -> float | None:
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


def retry_after_seconds(value: str | None) -> float | None:
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


class ServicePolicy:
    """Rate and concurrency limits of one service, lowered by what its headers advertise."""

    def __init__(self, profile: ServiceProfile, shared: Path | None = None) -> None:
        self.profile = profile
        self.documented = profile.limits
        folder = shared / profile.name if shared is not None else None
        self.single = StartSpacer(
            profile.limits.single, folder / "single-next" if folder is not None else None
        )
        self.list = (
            self.single
            if profile.one_limit
            else StartSpacer(profile.limits.list, folder / "list-next" if folder else None)
        )
        self.gate = Gate(profile.limits.concurrency, folder / "connections" if folder else None)
        self.advertised: float | None = None

    def spacer(self, kind: str) -> StartSpacer:
        return self.list if kind == "list" else self.single

    @contextlib.contextmanager
    def slot(self, kind: str) -> Iterator[None]:
        with self.gate.hold():
            self.spacer(kind).wait()
            yield

    def pause(self, seconds: float) -> None:
        self.single.pause(seconds)
        if self.list is not self.single:
            self.list.pause(seconds)

    def observe(self, headers: Mapping[str, str]) -> None:
        rate = advertised_rate(headers)
        if rate is not None and rate != self.advertised:
            self.advertised = rate
            self.single.set_rate(min(self.documented.single, rate))
            if self.list is not self.single:
                self.list.set_rate(min(self.documented.list, rate))
        concurrency = headers.get("x-concurrency-limit")
        if concurrency and concurrency.strip().isdigit():
            self.gate.set_limit(min(self.documented.concurrency, int(concurrency)))

    def limits(self) -> RateLimits:
        return RateLimits(single=self.single.rate, list=self.list.rate, concurrency=self.gate.limit)

    def close(self) -> None:
        self.single.close()
        self.list.close()
