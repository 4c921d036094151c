"""A progress display on stderr for runs that make requests (only on a terminal, never --quiet).

Honest about what is known: checking sources goes in rounds (identifiers first, in batches
of up to 200, then citations by text), so no count of finished sources exists until the
first round ends. Until then the display is a spinner and a pulsing bar with the number of
sources, the requests answered so far (they do advance as the work happens) and the time;
once sources are finished it shows how many of how many, and when all are, it pulses again
while the report is built (the audit, and judging the cited abstracts, have no count).

The display (and the thread that redraws it) starts with the first news: reading drafts
before that forks worker processes, which a second thread would forbid
(:mod:`claimgraph.extract.workers`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rich loads only for a display (~30 ms of every other run's start)
    from rich.console import Console
    from rich.progress import Progress, TaskID


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


class ProgressDisplay:
    """``display(done, total)`` reports finished sources; ``request_done(service, cached)``
    (the HTTP client's ``on_request`` hook) counts answered requests."""

    def __init__(self, bar: Progress, label: str) -> None:
        self.bar = bar
        self.label = label
        self.task: TaskID = bar.add_task(label, total=None, counts="")
        self._lock = threading.Lock()
        self._done = 0
        self._total: int | None = None
        self._requests = 0
        self._finishing = False
        self._started = False

    def __call__(self, done: int, total: int) -> None:
        with self._lock:
            self._done, self._total = done, total
            self._show()

    def request_done(self, service: str, from_cache: bool) -> None:
        del service, from_cache
        with self._lock:
            self._requests += 1
            self._show()

    def close(self) -> None:
        if self._started:
            self.bar.stop()

    def _show(self) -> None:
        if not self._started:
            self._started = True
            self.bar.start()
        requests = _plural(self._requests, "request") + " answered" if self._requests else ""
        done, total = self._done, self._total
        if total and done >= total:
            # every source is checked; the audit (and the abstracts' judging) goes on, for
            # how long is not known: pulse again rather than sit at 100 %
            description = f"{_plural(total, 'source')} checked; building the report"
            if not self._finishing:  # a task's total cannot go back to unknown: a new one
                self._finishing = True
                self.bar.remove_task(self.task)
                self.task = self.bar.add_task(description, total=None, counts=requests)
            self.bar.update(self.task, description=description, counts=requests)
        elif total and done:
            counts = " · ".join(part for part in (f"{done:,}/{total:,}", requests) if part)
            self.bar.update(self.task, completed=done, total=total, counts=counts)
        else:
            # no source is finished yet: how far along is unknown, so the bar pulses
            description = f"{self.label} ({total:,})" if total else self.label
            self.bar.update(self.task, description=description, counts=requests)


@contextmanager
def progress_bar(
    enabled: bool, label: str = "checking sources", console: Console | None = None
) -> Iterator[ProgressDisplay | None]:
    """Yield a :class:`ProgressDisplay`, or None when disabled."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[counts]}"),
        TimeElapsedColumn(),
        console=console or Console(stderr=True),
        transient=True,
    )
    display = ProgressDisplay(bar, label)
    try:
        yield display
    finally:
        display.close()
