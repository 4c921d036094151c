"""Judge the sentences of large drafts in worker processes as well as in this one.

Deciding whether a sentence is a claim (:func:`~claimgraph.extract.claims.classify_sentence`),
and the claim's text and id, depend on the sentence alone: about 60% of the CPU time of
extraction. Reading the draft, finding its reference list, its citations and their scope
depend on the whole draft and stay in this process.

A draft of :data:`AUTO_JOBS_FROM_BYTES` or more (``jobs=0``, the default) is judged by one
process per core: the workers are forked before this process reads the draft, then this
process judges the first share of the sentences while the workers judge the others. The answers are
the same as in one process and in the same order (``tests/extract/test_extract_workers.py``);
``jobs=1`` keeps everything in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import NamedTuple

from claimgraph.extract.claims import CheckWorthiness, classify_sentence, strip_markers
from claimgraph.extract.sources import claim_id

__all__ = ["AUTO_JOBS_FROM_BYTES", "Judged", "SentenceFacts", "judge_sentences", "sentence_pool"]

#: from this many bytes of drafts, ``jobs=0`` (auto) judges sentences in one process per core.
#: Judging costs about 1 s of CPU per MB.
AUTO_JOBS_FROM_BYTES = 256 * 1024
#: sentences per task sent to a worker: small tasks keep a worker's memory small
_CHUNK = 2000


class SentenceFacts(NamedTuple):
    """What the decision about one sentence depends on."""

    text: str
    #: block kind ("text-heading" for a short plain-text line that may be a heading)
    kind: str
    has_citation: bool
    covered: bool


class Judged(NamedTuple):
    """The decision about one sentence; for a claim, its text and id (else empty)."""

    verdict: CheckWorthiness
    text: str = ""
    id: str = ""


def judge_sentence(stem: str, facts: SentenceFacts) -> Judged:
    """The decision about one sentence of the draft whose ids start with ``stem``."""
    verdict = classify_sentence(
        facts.text, kind=facts.kind, has_citation=facts.has_citation, covered=facts.covered
    )
    if not verdict.checkworthy:
        return Judged(verdict)
    text = strip_markers(facts.text)
    return Judged(verdict, text, claim_id(stem, text))


def _judge_chunk(stem: str, chunk: Sequence[SentenceFacts]) -> list[Judged]:
    return [judge_sentence(stem, facts) for facts in chunk]


def _ready() -> None:
    """A first task: the workers start while the draft is read."""


def judge_sentences(
    stem: str, sentences: Sequence[SentenceFacts], pool: Executor | None, workers: int = 0
) -> Iterator[Judged]:
    """The decision about every sentence, in order: this process and ``workers`` of ``pool``.

    The decisions come as they are made, and a worker's are dropped once read: the caller
    keeps only the claims.
    """
    if pool is None or workers < 1 or len(sentences) < 2 * _CHUNK:
        return (judge_sentence(stem, facts) for facts in sentences)
    # this process takes the first share; the workers the rest, in small tasks
    own = len(sentences) // (workers + 1)
    futures = deque(
        pool.submit(_judge_chunk, stem, sentences[start : start + _CHUNK])
        for start in range(own, len(sentences), _CHUNK)
    )
    return _in_order(stem, sentences[:own], futures)


def _in_order(
    stem: str, own: Sequence[SentenceFacts], futures: deque[Future[list[Judged]]]
) -> Iterator[Judged]:
    for facts in own:
        yield judge_sentence(stem, facts)
    while futures:
        yield from futures.popleft().result()


def workers_for(jobs: int, size: int) -> int:
    """Worker processes besides this one for ``size`` bytes of drafts (``jobs=0``: auto)."""
    if jobs == 0:
        jobs = (os.cpu_count() or 1) if size >= AUTO_JOBS_FROM_BYTES else 1
    return max(0, jobs - 1)


def _can_fork() -> bool:
    """Forking is cheap and safe here: a start method of this platform, and no other thread."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


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
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for _ in range(workers):
            pool.submit(_ready)
        yield pool
