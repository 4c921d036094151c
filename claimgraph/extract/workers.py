"""Judge the sentences of large drafts in worker processes as well as in this one.

Deciding whether a sentence is a claim, with and without a source that covers it
(:func:`~claimgraph.extract.claims.classify_either`), and the claim's text and id depend on
the sentence alone: about 60% of the CPU time of extraction. Reading the draft, finding its
reference list, its citations and their scope depend on the whole draft and stay in this
process.

A draft of :data:`AUTO_JOBS_FROM_BYTES` or more (``jobs=0``, the default) is judged by one
process per core: the workers are forked before this process reads the draft and judge its
sentences as this process finds them; once it has found them all (and the scope of their
citations), it reads the decisions in order, and while it waits for a worker's, it judges
the last sentences itself (:class:`SentenceJudge`). The answers are the same as in one
process, in the same order (``tests/extract/test_extract_workers.py``); ``jobs=1`` keeps
everything in this process. On a machine whose cores are busy with other work, the workers
gain nothing (and cost about 5%).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import NamedTuple

from claimgraph.extract.claims import CheckWorthiness, classify_either, strip_markers
from claimgraph.extract.sources import claim_id

__all__ = [
    "AUTO_JOBS_FROM_BYTES",
    "Judged",
    "SentenceFacts",
    "SentenceJudge",
    "judge_sentence",
    "sentence_pool",
    "workers_for",
]

#: from this many bytes of drafts, ``jobs=0`` (auto) judges sentences in one process per core.
#: Judging costs about 1 s of CPU per MB.
AUTO_JOBS_FROM_BYTES = 256 * 1024
#: sentences per task (about 15 ms of judging): small tasks keep a worker's memory small,
#: reach the workers early and share the work out evenly
_CHUNK = 250
#: tasks sent to the workers and not finished, per worker: one running, the next ones waiting
#: (at the end, this process waits for what it sent: the less, the shorter the wait) ...
_SENT_PER_WORKER = 3
#: ... and a share of the tasks not sent yet, so that the workers stay busy while this
#: process, between two sends, links the draft's citations to sources (parsing its
#: reference list) and finds their scope (~15% of the time of judging its sentences): a
#: quarter of what remains, which shrinks to nothing at the end
_SENT_SHARE = 4
#: seconds a thread of the pool waits for the interpreter while this process judges
_SWITCH_INTERVAL = 0.001


class SentenceFacts(NamedTuple):
    """What the decision about one sentence depends on, before citation scope is known."""

    text: str
    #: block kind ("text-heading" for a short plain-text line that may be a heading)
    kind: str
    has_citation: bool


class Judged(NamedTuple):
    """The decisions about one sentence; for a claim, its text and id (else empty)."""

    verdict: CheckWorthiness
    #: the decision when a source block or a quotation's citation covers the sentence
    when_covered: CheckWorthiness
    text: str = ""
    id: str = ""


def judge_sentence(stem: str, facts: SentenceFacts) -> Judged:
    """The decisions about one sentence of the draft whose ids start with ``stem``."""
    verdict, when_covered = classify_either(
        facts.text, kind=facts.kind, has_citation=facts.has_citation
    )
    if not (verdict.checkworthy or when_covered.checkworthy):
        return Judged(verdict, when_covered)
    text = strip_markers(facts.text)
    return Judged(verdict, when_covered, text, claim_id(stem, text))


def _judge_chunk(stem: str, chunk: Sequence[SentenceFacts]) -> list[Judged]:
    return [judge_sentence(stem, facts) for facts in chunk]


def _start_worker() -> None:
    """Ctrl-C is for this process to handle (it stops the workers), not for each worker.

    A worker makes only acyclic objects, freed with each task: the cyclic garbage collector
    would find nothing (and costs about 5% of judging).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.disable()


def _ready() -> None:
    """A first task: the workers start while the draft is read."""


class _Task:
    """Sentences judged together: here, or by a worker once sent (``future``)."""

    __slots__ = ("chunk", "future", "judged")

    def __init__(self, chunk: list[SentenceFacts]) -> None:
        self.chunk = chunk
        self.future: Future[list[Judged]] | None = None
        self.judged: list[Judged] | None = None

    def decisions(self, stem: str) -> Iterable[Judged]:
        if self.judged is not None:
            return self.judged
        if self.future is None:
            return (judge_sentence(stem, facts) for facts in self.chunk)
        try:
            return self.future.result()
        except BrokenProcessPool:  # a worker was killed (out of memory?): judge it here
            return _judge_chunk(stem, self.chunk)


class SentenceJudge:
    """Judges the sentences of a draft as they are found, in order.

    With a pool, every :data:`_CHUNK` sentences make a task; the first tasks not sent yet
    go to the workers, a few per worker at a time, while this process goes on reading the
    draft. When it asks for the decisions, it judges itself the first task if it was not
    sent; while a worker judges it, this process judges the last tasks, which the workers
    would reach last. (A task once sent is never taken back: ``Future.cancel`` races with
    a broken pool in Python 3.11.)
    """

    def __init__(self, stem: str, pool: Executor | None, workers: int = 1) -> None:
        self.stem, self.pool = stem, pool
        self.most_sent = _SENT_PER_WORKER * max(1, workers)
        self.tasks: deque[_Task] = deque()  # all tasks not read yet, in order
        self.unsent: deque[_Task] = deque()  # those neither sent nor judged, in order
        self.sent: list[Future[list[Judged]]] = []
        self.chunk: list[SentenceFacts] = []

    def add(self, facts: SentenceFacts) -> None:
        self.chunk.append(facts)
        if len(self.chunk) >= _CHUNK:
            self._new_task()

    def _new_task(self) -> None:
        if self.chunk:
            task = _Task(self.chunk)
            self.tasks.append(task)
            self.unsent.append(task)
            self.chunk = []
        self._send()

    def _send(self) -> None:
        """Keep the workers busy: send the first unsent tasks, a few per worker at a time."""
        if self.pool is None:
            return
        self.sent = [future for future in self.sent if not future.done()]
        while self.unsent and len(self.sent) < self.most_sent + len(self.unsent) // _SENT_SHARE:
            task = self.unsent[0]
            try:
                task.future = self.pool.submit(_judge_chunk, self.stem, task.chunk)
            except BrokenProcessPool:  # a worker was killed: judge the rest here
                self.pool = None
                return
            self.unsent.popleft()
            self.sent.append(task.future)

    def decisions(self) -> Iterator[Judged]:
        """The decisions about the sentences added, in order; each task is dropped once read."""
        self._new_task()
        while self.tasks:
            task = self.tasks.popleft()
            if self.unsent and self.unsent[0] is task:
                self.unsent.popleft()
            elif task.future is not None:
                self._meanwhile(task.future)
            yield from task.decisions(self.stem)
            self._send()

    def _meanwhile(self, future: Future[list[Judged]]) -> None:
        """While a worker judges ``future``, judge the last tasks not sent."""
        while not future.done() and self.unsent:
            task = self.unsent.pop()
            task.judged = _judge_chunk(self.stem, task.chunk)
            self._send()


def workers_for(jobs: int, size: int) -> int:
    """Worker processes besides this one for ``size`` bytes of drafts (``jobs=0``: auto)."""
    if jobs == 0:
        jobs = (os.cpu_count() or 1) if size >= AUTO_JOBS_FROM_BYTES else 1
    return max(0, jobs - 1)


def _can_fork() -> bool:
    """Forking is cheap and safe here: Linux (macOS frameworks may not survive a fork), and
    no other thread (one could hold a lock the worker needs)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


@contextmanager
def sentence_pool(workers: int) -> Iterator[Executor | None]:
    """A pool of ``workers`` processes, already starting, or None for none.

    The workers are forked before the draft is read, while this process holds little more
    than its modules: nothing to import again, no main module to run again (as a spawned
    worker would), little memory shared. Where forking is not safe, everything stays here.
    """
    if workers < 1 or not _can_fork():
        yield None
        return
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(workers, context, initializer=_start_worker)
    switch_interval = sys.getswitchinterval()
    # the pool's threads here send tasks and take results while this thread judges: they
    # wait for the lock of the interpreter up to the switch interval each time (5 ms)
    sys.setswitchinterval(min(switch_interval, _SWITCH_INTERVAL))
    try:
        for _ in range(workers):
            pool.submit(_ready)
        yield pool
    finally:
        sys.setswitchinterval(switch_interval)
        # after an error, the tasks not started yet are not worth waiting for
        pool.shutdown(cancel_futures=True)
