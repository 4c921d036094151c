"""Sentences judged in worker processes give the same claims, ids and order as in one."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from concurrent.futures import Executor
from pathlib import Path

import pytest

from claimgraph.extract import extract_draft, extract_paths, find_drafts, workers
from claimgraph.extract.claims import classify_sentence
from claimgraph.extract.workers import (
    Judged,
    SentenceFacts,
    SentenceJudge,
    sentence_pool,
    workers_for,
)
from claimgraph.models import Project
from claimgraph.progress import progress_bar

DRAFTS = Path(__file__).resolve().parents[2] / "eval" / "drafts"


def dump(project: Project) -> tuple[object, ...]:
    """Everything extraction decides: claims (ids, text, sources, location, reasons), sources."""
    return (
        [claim.model_dump() for claim in project.claims],
        [source.model_dump() for source in project.sources],
        project.claims_file,
    )


#: workers are forked on Linux only; elsewhere everything stays in one process
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="no fork here")


@pytest.fixture
def small_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    # small drafts, small tasks: every draft is shared between this process and the workers
    monkeypatch.setattr(workers, "_CHUNK", 3)


@linux_only
def test_the_pool_runs_elsewhere() -> None:
    with sentence_pool(1) as pool:
        assert pool is not None, "cannot fork here: the tests below would prove nothing"
        assert pool.submit(os.getpid).result() != os.getpid()


def judge_all(facts: list[SentenceFacts], pool: Executor | None) -> list[Judged]:
    judge = SentenceJudge("draft", pool)
    for item in facts:
        judge.add(item)
    return list(judge.decisions())


def test_judging_in_workers_gives_the_same_decisions(small_tasks: None) -> None:
    texts = [
        "Vitamin D lowers the risk of falls in older adults [1].",
        "Numerous studies have shown that zinc shortens colds.",
        "Try adding oats to your breakfast.",
        "Is it worth trying?",
        "About 40% of adults take a supplement.",
        "Magnesium eases muscle cramps.",
        "A migraine is a severe headache.",
        "Magnesium is in nuts.",
    ] * 3
    facts = [
        SentenceFacts(text, kind, has_citation=i % 2 == 0)
        for i, text in enumerate(texts)
        for kind in ("paragraph", "item", "text-heading")
    ]
    plain = judge_all(facts, None)
    with sentence_pool(2) as pool:
        shared = judge_all(facts, pool)
    assert shared == plain
    assert [judged.verdict for judged in plain] == [
        classify_sentence(f.text, kind=f.kind, has_citation=f.has_citation) for f in facts
    ]
    assert [judged.when_covered for judged in plain] == [
        classify_sentence(f.text, kind=f.kind, has_citation=f.has_citation, covered=True)
        for f in facts
    ]
    assert sum(1 for judged in plain if judged.verdict.checkworthy) > 10
    # some sentences are claims only when a source covers them
    assert any(j.when_covered.checkworthy and not j.verdict.checkworthy for j in plain)


@linux_only
def test_a_killed_worker_costs_time_not_answers(small_tasks: None) -> None:
    facts = [
        SentenceFacts(f"Zinc {n} shortens colds by {n}%.", "paragraph", False) for n in range(30)
    ]
    plain = judge_all(facts, None)
    with sentence_pool(1) as pool:
        assert pool is not None
        worker = pool.submit(os.getpid).result()
        pool.submit(time.sleep, 30)  # the worker is busy: the first task waits in its queue
        judge = SentenceJudge("draft", pool)
        for item in facts[:12]:
            judge.add(item)
        first = judge.tasks[0].future
        assert first is not None
        deadline = time.monotonic() + 10
        while not first.running() and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(worker, signal.SIGKILL)  # with tasks queued for it: the pool breaks
        for item in facts[12:]:
            judge.add(item)
        assert list(judge.decisions()) == plain


@pytest.mark.parametrize("jobs", [2, 3])
def test_every_eval_draft_gives_the_same_project(small_tasks: None, jobs: int) -> None:
    drafts = find_drafts([DRAFTS])
    assert len(drafts) >= 20
    for draft in drafts:
        plain = dump(extract_draft(draft, jobs=1))
        assert dump(extract_draft(draft, jobs=jobs)) == plain, draft.name
    together = dump(extract_paths([DRAFTS], jobs=1))
    assert dump(extract_paths([DRAFTS], jobs=jobs)) == together


def test_workers_only_for_large_drafts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert workers_for(0, 10_000) == 0
    assert workers_for(0, workers.AUTO_JOBS_FROM_BYTES) == 3
    assert workers_for(1, 10**9) == 0
    assert workers_for(2, 10) == 1


@linux_only
def test_the_progress_bar_starts_no_thread_before_it_is_needed() -> None:
    # on a terminal, `check` shows a progress bar; its thread would keep drafts from forking
    before = threading.active_count()
    with progress_bar(True) as update:
        assert update is not None
        assert threading.active_count() == before
        with sentence_pool(1) as pool:
            assert pool is not None
        update(1, 2)
        assert threading.active_count() > before
