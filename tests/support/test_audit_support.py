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
from claimgraph.resolvers.pubmed import parse_efetch
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
    abstracts = {sid: r.record.abstract for sid, r in resolutions.items() if r.record}
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
