"""The audit with support checking, on real recorded PubMed records (tests/fixtures/pubmed).

The claims are written here; the records (abstracts, MeSH) are real efetch responses. The
shipped model runs on a handful of pairs.
"""

from pathlib import Path

import pytest

from claimgraph.audit import audit
from claimgraph.levels import ClaimStatus, SourceStatus
from claimgraph.models import Project, parse_claims, parse_sources
from claimgraph.resolvers.base import Resolution
from claimgraph.resolvers.pubmed_parse import parse_efetch
from claimgraph.support.checker import SupportChecker

PUBMED = Path(__file__).resolve().parents[1] / "fixtures" / "pubmed"


def _record(relative: str):  # type: ignore[no-untyped-def]
    [record] = parse_efetch((PUBMED / relative).read_text(encoding="utf-8"))
    return record


@pytest.fixture(scope="module")
def project_and_resolutions() -> tuple[Project, dict[str, Resolution]]:
    ppi = _record("metapub/35830032.xml")  # PPI safety review: B12, magnesium, iron, kidney
    vitd = _record("metapub/pmid_28731372.xml")  # vitamin D trial
    assert ppi.abstract and vitd.abstract
    claims = parse_claims(
        {
            "claims": [
                {"id": "ppi-minerals", "sources": ["ppi"],
                 "text": "Long-term proton pump inhibitor use is linked to poor absorption of "
                         "vitamin B12, magnesium and iron."},
                {"id": "blepharospasm", "sources": ["ppi"],
                 "text": "Magnesium cures blepharospasm, the involuntary closing of the eyelids."},
                {"id": "mixed", "sources": ["ppi", "vitd", "no-abstract"],
                 "text": "Proton pump inhibitors may be associated with kidney disease in older people."},
                {"id": "gone", "sources": ["missing"], "text": "Zinc prevents colds."},
            ]
        }
    )  # fmt: skip
    sources = parse_sources(
        {
            "sources": [
                {"id": "ppi", "pmid": ppi.pmid},
                {"id": "vitd", "pmid": vitd.pmid},
                {"id": "no-abstract", "pmid": "1"},
                {"id": "missing", "pmid": "2"},
            ]
        }
    )
    no_abstract = ppi.model_copy(update={"abstract": None, "pmid": "1"})
    resolutions = {
        "ppi": Resolution(status=SourceStatus.VERIFIED, record=ppi),
        "vitd": Resolution(status=SourceStatus.VERIFIED, record=vitd),
        "no-abstract": Resolution(status=SourceStatus.VERIFIED, record=no_abstract),
        "missing": Resolution(status=SourceStatus.NOT_FOUND, message="PMID 2 does not exist"),
    }
    return Project(claims=claims, sources=sources), resolutions


def test_every_edge_with_an_abstract_gets_a_judgement_with_its_quote(
    project_and_resolutions: tuple[Project, dict[str, Resolution]], tmp_path: Path
) -> None:
    project, resolutions = project_and_resolutions
    checker = SupportChecker(tmp_path)
    report = audit(project, resolutions=resolutions, support=checker)
    assert report.schema_version == 2
    claims = {c.id: c for c in report.claims}
    abstracts = {sid: r.record.abstract or "" for sid, r in resolutions.items() if r.record}
    for claim in report.claims:
        assert claim.support is not None
        assert [s.source for s in claim.support.sources] == claim.sources
        for judged in claim.support.sources:
            if abstracts.get(judged.source):
                assert judged.label != "not_checked"
                assert judged.evidence, judged
                ev = judged.evidence[0]
                assert abstracts[judged.source][ev.start : ev.end] == ev.text
            else:
                assert judged.label == "not_checked" and judged.note
    related = claims["ppi-minerals"].support
    assert related is not None and related.sources[0].label in {"supports", "uncertain"}
    assert "magnesium" in related.sources[0].evidence[0].text.lower()
    off = claims["blepharospasm"].support
    assert off is not None and off.sources[0].label == "unrelated"
    # every cited source judged off-topic: not_supported, with the deciding finding listed
    assert claims["blepharospasm"].status is ClaimStatus.NOT_SUPPORTED
    rules = {f.rule for f in claims["blepharospasm"].findings}
    assert "source-off-topic" in rules
    assert "overstated-claim" not in rules  # its best evidence is a review, not observational
    # a claim made broken by a missing source lists that source's finding
    assert claims["gone"].status is ClaimStatus.BROKEN
    assert [f.rule for f in claims["gone"].findings] == ["citation-not-found"]
    assert claims["gone"].support is not None and claims["gone"].support.label == "not_checked"
    # warm: the same audit again judges nothing
    before = checker.judged
    again = audit(project, resolutions=resolutions, support=checker)
    assert checker.judged == before and checker.cached > 0
    assert again.model_dump() == report.model_dump()


def test_support_switched_off(
    project_and_resolutions: tuple[Project, dict[str, Resolution]],
) -> None:
    project, resolutions = project_and_resolutions
    report = audit(project, resolutions=resolutions)
    for claim in report.claims:
        assert claim.status is not ClaimStatus.NOT_SUPPORTED
        assert claim.support is not None and claim.support.label == "not_checked"
        assert all(s.note == "support checking is switched off" for s in claim.support.sources)
    assert not {"source-off-topic", "source-contradicts-claim"} & {f.rule for f in report.findings}


def _project(claims: list[dict], sources: list[dict]) -> Project:  # type: ignore[type-arg]
    return Project(
        claims=parse_claims({"claims": claims}), sources=parse_sources({"sources": sources})
    )


def _resolved(pmid: str, title: str, abstract: str, types: tuple[str, ...]) -> Resolution:
    from claimgraph.records import Record

    record = Record(
        service="pubmed", pmid=pmid, title=title, abstract=abstract, publication_types=types
    )
    return Resolution(status=SourceStatus.VERIFIED, record=record)


def test_overstated_claim_needs_causal_wording_and_weak_evidence() -> None:
    project = _project(
        [
            {"id": "causal-obs", "text": "Coffee prevents liver cancer.", "sources": ["obs"]},
            {"id": "hedged-obs", "text": "Coffee is linked to less liver cancer.",
             "sources": ["obs"]},
            {"id": "causal-rct", "text": "Coffee prevents liver cancer.", "sources": ["rct"]},
        ],
        [{"id": "obs", "pmid": "11"}, {"id": "rct", "pmid": "12"}],
    )  # fmt: skip
    resolutions = {
        "obs": _resolved("11", "Coffee and liver cancer: a cohort study", "We followed adults.",
                         ("Journal Article", "Observational Study")),
        "rct": _resolved("12", "Coffee for liver health: a trial", "We randomised adults.",
                         ("Journal Article", "Randomized Controlled Trial")),
    }  # fmt: skip
    report = audit(project, resolutions=resolutions)
    flagged = [(f.claim, f.rule) for f in report.findings if f.rule == "overstated-claim"]
    assert flagged == [("causal-obs", "overstated-claim")]
    message = next(f.message for f in report.findings if f.rule == "overstated-claim")
    assert "'prevents'" in message and "observational" in message


def test_a_confident_contradiction_from_a_plugged_in_model(tmp_path: Path) -> None:
    """The user's cross-encoder (a tiny ONNX model built here) fires source-contradicts-claim."""
    from tests.support.test_crossencoder import build_model

    folder = build_model(tmp_path / "nli")
    project = _project(
        [{"id": "mg-sleep", "text": "Magnesium increases sleep quality.", "sources": ["trial"]}],
        [{"id": "trial", "pmid": "13"}],
    )
    resolutions = {
        "trial": _resolved("13", "Magnesium and sleep quality",
                           "We gave magnesium to adults. Magnesium does not increase sleep quality.",
                           ("Journal Article", "Randomized Controlled Trial")),
    }  # fmt: skip
    report = audit(
        project, resolutions=resolutions, support=SupportChecker(tmp_path, model_dir=folder)
    )
    [claim] = report.claims
    assert claim.support is not None
    [judged] = claim.support.sources
    assert judged.label == "contradicts" and judged.confident
    assert judged.evidence[0].text == "Magnesium does not increase sleep quality."
    assert claim.status is ClaimStatus.NOT_SUPPORTED
    assert [f.rule for f in claim.findings] == ["source-contradicts-claim"]
    assert "may contradict" in claim.findings[0].message


def test_jobs_give_the_same_judgements(tmp_path: Path) -> None:
    from claimgraph.support.judge import SupportPair, judge_pairs

    abstract = ("Magnesium lowered blood pressure in adults. Zinc did not shorten colds. "
                "Vitamin D increased bone density.")  # fmt: skip
    pairs = [
        SupportPair(str(i), claim, abstract, "Minerals and health")
        for i, claim in enumerate(
            ["Magnesium lowers blood pressure.", "Zinc shortens colds.",
             "Vitamin D increases bone density.", "Running improves memory."]
        )
    ]  # fmt: skip
    assert judge_pairs(pairs, jobs=2) == judge_pairs(pairs)


def test_unjudged_sources_share_one_judgement_per_reason(
    project_and_resolutions: tuple[Project, dict[str, Resolution]], tmp_path: Path
) -> None:
    """Offline nothing is judged: each source has the one shared not_checked value of its
    reason, kept once per source, not per edge (a speed measure; the report's rows are the
    same as with a new value per edge)."""
    from claimgraph.assess import assess_sources
    from claimgraph.audit import judge_edges
    from claimgraph.graph import ClaimGraph
    from claimgraph.support.types import Judgement, SupportLabel

    project, resolutions = project_and_resolutions
    offline = {
        source_id: Resolution(status=SourceStatus.UNVERIFIABLE, message="offline")
        for source_id in resolutions
    }
    states = assess_sources(project, ClaimGraph(project), offline, set(offline))
    checker = SupportChecker(tmp_path)
    judgements = judge_edges(project, states, checker)
    assert checker.judged == 0 and not (tmp_path / "support-judgements.sqlite3").exists()
    assert judgements.judged == {}
    cited = {source_id for claim in project.claims for source_id in claim.sources}
    assert cited <= set(judgements.unjudged)
    assert {j.note for j in judgements.unjudged.values()} == {"no record (unverifiable)"}
    assert len({id(j) for j in judgements.unjudged.values()}) == 1
    report = audit(project, resolutions=offline, support=checker)
    for claim in report.claims:
        assert claim.support is not None
        assert [row.source for row in claim.support.sources] == list(dict.fromkeys(claim.sources))
        for row in claim.support.sources:
            fresh = Judgement(label=SupportLabel.NOT_CHECKED, score=0.0, note=row.note or "")
            assert judgements.unjudged[row.source] == fresh


def test_judged_and_unjudged_sources_split_every_edge(
    project_and_resolutions: tuple[Project, dict[str, Resolution]], tmp_path: Path
) -> None:
    """With abstracts, each cited source is judged on every edge or is unjudged: never both,
    never neither."""
    from claimgraph.assess import assess_sources
    from claimgraph.audit import judge_edges
    from claimgraph.graph import ClaimGraph

    project, resolutions = project_and_resolutions
    states = assess_sources(project, ClaimGraph(project), resolutions, set(resolutions))
    judgements = judge_edges(project, states, SupportChecker(tmp_path))
    for claim in project.claims:
        for source_id in claim.sources:
            judged = (claim.id, source_id) in judgements.judged
            assert judged != (source_id in judgements.unjudged), (claim.id, source_id)
    assert {s for _, s in judgements.judged} == {"ppi", "vitd"}
    assert set(judgements.unjudged) == {"no-abstract", "missing"}


def test_claims_citing_an_unjudgeable_source_share_its_row(
    project_and_resolutions: tuple[Project, dict[str, Resolution]],
) -> None:
    """Offline (or without an abstract) every claim citing a source gets the same
    not_checked row: one object, equal to what source_support makes."""
    from claimgraph.audit import source_support
    from claimgraph.support.edges import SWITCHED_OFF
    from claimgraph.support.types import not_checked

    project, _ = project_and_resolutions
    project = Project(claims=[*project.claims, *project.claims[:2]], sources=project.sources)
    for index, claim in enumerate(project.claims[-2:]):
        project.claims[-2 + index] = claim.model_copy(update={"id": f"again-{index}"})
    report = audit(project, offline=True)
    rows = [(c.id, row) for c in report.claims for row in (c.support.sources if c.support else [])]
    by_source: dict[str, list[object]] = {}
    for _, row in rows:
        by_source.setdefault(row.source, []).append(row)
    assert len(by_source["ppi"]) == 5  # three claims and two copies cite it
    assert all(row is by_source["ppi"][0] for row in by_source["ppi"])
    assert by_source["ppi"][0] == source_support("ppi", not_checked(SWITCHED_OFF))
    assert by_source["ppi"][0] is not by_source["vitd"][0]
