"""Property tests over the whole audit: random projects (cycles, undefined ids, every status)."""

import contextlib
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimgraph.audit import audit
from claimgraph.levels import ClaimStatus, SourceStatus
from claimgraph.records import Record
from claimgraph.report import exit_code
from claimgraph.resolvers.base import Resolution
from tests.helpers import FixedResolver, project

STATUSES = [
    SourceStatus.VERIFIED,
    SourceStatus.MISMATCH,
    SourceStatus.NOT_FOUND,
    SourceStatus.RETRACTED,
    SourceStatus.UNVERIFIABLE,
]
PUBLICATION_TYPES = ["Journal Article", "Case Reports", "Randomized Controlled Trial", "Review"]
KINDS = ["journal-article", "magazine", "blog", "government", None]


@st.composite
def projects(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    n_sources = draw(st.integers(0, 6))
    n_claims = draw(st.integers(1, 8))
    source_ids = [f"s{i}" for i in range(n_sources)]
    sources = []
    answers = {}
    for source_id in source_ids:
        kind = draw(st.sampled_from(KINDS))
        sources.append({"id": source_id, "kind": kind, "pmid": "1" if kind != "magazine" else None})
        status = draw(st.sampled_from(STATUSES))
        record = Record(
            service="pubmed", publication_types=(draw(st.sampled_from(PUBLICATION_TYPES)),)
        )
        answers[source_id] = Resolution(
            status=status,
            record=None
            if status in {SourceStatus.NOT_FOUND, SourceStatus.UNVERIFIABLE}
            else record,
            different_work=status is SourceStatus.MISMATCH and draw(st.booleans()),
        )
    claim_ids = [f"c{i}" for i in range(n_claims)]
    cited = st.sampled_from([*source_ids, "ghost"]) if source_ids else st.just("ghost")
    claims = [
        {
            "id": claim_id,
            "text": "A claim.",
            "sources": draw(st.lists(cited, max_size=3)),
            "depends_on": draw(st.lists(st.sampled_from(claim_ids), max_size=2, unique=True)),
        }
        for claim_id in claim_ids
    ]
    return project(claims, sources), answers


@settings(max_examples=200, deadline=None)
@given(projects())
def test_every_claim_gets_one_status_and_the_invariants_hold(case) -> None:  # type: ignore[no-untyped-def]
    proj, answers = case
    report = audit(proj, FixedResolver(answers))
    claims = {c.id: c for c in report.claims}
    sources = {s.id: s for s in report.sources}
    assert set(claims) == {c.id for c in proj.claims}
    for claim in proj.claims:
        result = claims[claim.id]
        assert result.status in ClaimStatus
        if not claim.sources and not claim.depends_on:
            assert result.status is ClaimStatus.UNSOURCED
        if "ghost" in claim.sources:
            assert any(f.rule == "unknown-source" and f.claim == claim.id for f in report.findings)
        if claim.sources and all(
            s == "ghost" or sources[s].status in {SourceStatus.NOT_FOUND, SourceStatus.RETRACTED}
            for s in claim.sources
        ):
            assert result.status is ClaimStatus.BROKEN
        for premise in claim.depends_on:
            if premise != claim.id:
                # no stronger than a premise outside its own cycle: checked via weakness order
                premise_status = claims[premise].status
                in_cycle = any(f.rule == "circular-support" for f in report.findings)
                if not in_cycle:
                    assert result.status.weakness >= premise_status.weakness
    # an outage alone never gives exit code 1
    only_outages = all(f.rule == "unverifiable-source" for f in report.findings)
    if only_outages:
        assert exit_code(report, "warning") != 1
    # severity counts add up
    counts = report.summary.findings
    assert counts.error + counts.warning + counts.info == len(report.findings)


def test_the_gc_pause_changes_no_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """The audit pauses the garbage collector for speed (benchmarks/bench_core.py
    --no-gc-pause); the report is the same with the collector on."""
    from claimgraph.models import load_project

    root = Path(__file__).resolve().parents[2]
    example = load_project(root / "claims.json", root / "sources.json")
    paused = audit(example, offline=True)
    monkeypatch.setattr(sys.modules["claimgraph.audit"], "gc_paused", contextlib.nullcontext)
    assert audit(example, offline=True) == paused
