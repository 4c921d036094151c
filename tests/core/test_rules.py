from claimgraph.audit import audit
from claimgraph.config import Config
from claimgraph.levels import RULE_IDS, ClaimStatus, Evidence, Severity, SourceStatus
from claimgraph.records import Record, Update
from claimgraph.report import Report
from claimgraph.resolvers.base import FieldDifference, Resolution
from claimgraph.rules import RULES
from tests.helpers import FixedResolver, claim, journal, project, verified


def rules_of(report: Report, **where: object) -> list[str]:
    return sorted(
        f.rule for f in report.findings if all(getattr(f, k) == v for k, v in where.items())
    )


def status_of(report: Report, claim_id: str) -> ClaimStatus:
    return next(c for c in report.claims if c.id == claim_id).status


def test_every_rule_has_help_and_a_default() -> None:
    assert set(RULES) == {
        "unsourced-claim",
        "anecdotal-only",
        "unknown-source",
        "citation-not-found",
        "citation-mismatch",
        "retracted-source",
        "unverifiable-source",
        "preclinical-only",
        "unsupported-attribution",
        "orphan-source",
        "circular-support",
        "source-contradicts-claim",
        "source-off-topic",
        "overstated-claim",
    }
    for rule in RULES.values():
        assert rule.help and rule.summary and rule.default_severity in Severity


def test_unsourced_and_supported() -> None:
    p = project([claim("a"), claim("b", "s")], [journal("s")])
    report = audit(p, FixedResolver({"s": verified("Randomized Controlled Trial")}))
    assert status_of(report, "a") is ClaimStatus.UNSOURCED
    assert status_of(report, "b") is ClaimStatus.SUPPORTED
    assert rules_of(report, claim="a") == ["unsourced-claim"]
    assert rules_of(report, claim="b") == []
    assert next(c for c in report.claims if c.id == "b").evidence is Evidence.RCT


def test_verified_journal_article_with_no_design_is_supported_not_anecdotal() -> None:
    p = project([claim("a", "s")], [journal("s")])
    report = audit(p, FixedResolver({"s": verified("Journal Article")}))
    assert status_of(report, "a") is ClaimStatus.SUPPORTED
    assert report.claims[0].evidence is Evidence.UNKNOWN


def test_anecdotal_only_needs_every_usable_source_anecdotal() -> None:
    p = project(
        [claim("mag", "m"), claim("mixed", "m", "s"), claim("case", "cr")],
        [{"id": "m", "kind": "magazine", "title": "t"}, journal("s"), journal("cr")],
    )
    report = audit(
        p, FixedResolver({"s": verified("Meta-Analysis"), "cr": verified("Case Reports")})
    )
    assert status_of(report, "mag") is ClaimStatus.ANECDOTAL_ONLY
    assert status_of(report, "mixed") is ClaimStatus.SUPPORTED
    assert status_of(report, "case") is ClaimStatus.ANECDOTAL_ONLY
    assert rules_of(report, rule="anecdotal-only") == ["anecdotal-only", "anecdotal-only"]


def test_unknown_source_makes_the_claim_broken() -> None:
    report = audit(project([claim("a", "ghost")]))
    assert status_of(report, "a") is ClaimStatus.BROKEN
    assert rules_of(report, claim="a") == ["unknown-source"]
    assert report.findings[0].source == "ghost"


def test_not_found_and_retracted_are_unusable() -> None:
    retracted = Resolution(
        status=SourceStatus.RETRACTED,
        record=Record(
            service="pubmed",
            pmid="1",
            publication_types=("Retracted Publication",),
            comments_corrections=(("RetractionIn", "99"),),
        ),
    )
    p = project(
        [claim("a", "nf"), claim("b", "rt"), claim("c", "nf", "ok")],
        [journal("nf"), journal("rt"), journal("ok")],
    )
    report = audit(
        p,
        FixedResolver(
            {
                "nf": Resolution(
                    status=SourceStatus.NOT_FOUND, message="PMID 12345 does not exist"
                ),
                "rt": retracted,
                "ok": verified("Observational Study"),
            }
        ),
    )
    assert status_of(report, "a") is ClaimStatus.BROKEN
    assert status_of(report, "b") is ClaimStatus.BROKEN
    assert status_of(report, "c") is ClaimStatus.SUPPORTED
    messages = {f.rule: f.message for f in report.findings}
    assert "PMID 12345 does not exist" in messages["citation-not-found"]
    assert "PMID 99" in messages["retracted-source"]


def test_mismatch_of_details_still_supports_but_different_work_does_not() -> None:
    same = Resolution(
        status=SourceStatus.MISMATCH,
        record=Record(
            service="pubmed",
            title="T",
            year=2006,
            publication_types=("Randomized Controlled Trial",),
        ),
        differences=(FieldDifference(field="year", cited="2005", record="2006"),),
    )
    other = Resolution(
        status=SourceStatus.MISMATCH,
        different_work=True,
        record=Record(service="crossref", title="Something else"),
    )
    p = project([claim("a", "same"), claim("b", "other")], [journal("same"), journal("other")])
    report = audit(p, FixedResolver({"same": same, "other": other}))
    assert status_of(report, "a") is ClaimStatus.SUPPORTED
    assert status_of(report, "b") is ClaimStatus.BROKEN
    mismatch = [f.message for f in report.findings if f.rule == "citation-mismatch"]
    assert any("cited '2005', record says '2006'" in m for m in mismatch)
    assert any("different work" in m and "Something else" in m for m in mismatch)


def test_unverifiable_gives_unverified_and_a_warning_never_not_found() -> None:
    p = project([claim("a", "s")], [journal("s")])
    report = audit(
        p,
        FixedResolver(
            {
                "s": Resolution(
                    status=SourceStatus.UNVERIFIABLE,
                    message="PubMed unreachable",
                    unreachable=("pubmed",),
                )
            }
        ),
    )
    assert status_of(report, "a") is ClaimStatus.UNVERIFIED
    assert rules_of(report) == ["unverifiable-source"]
    assert report.summary.unreachable == ["pubmed"]


def test_missing_answer_from_resolver_is_unverifiable() -> None:
    report = audit(project([claim("a", "s")], [journal("s")]), FixedResolver({}))
    assert report.sources[0].status is SourceStatus.UNVERIFIABLE


def test_not_checkable_sources_are_not_sent_to_the_resolver() -> None:
    resolver = FixedResolver({})
    audit(project([claim("a", "m", "s")], [{"id": "m", "kind": "blog"}, journal("s")]), resolver)
    assert resolver.asked == ["s"]


def test_preclinical_only_for_claims_about_people() -> None:
    p = project(
        [
            claim("people", "mouse"),
            {"id": "mice", "text": "In mice, X lowers Y.", "sources": ["mouse"]},
        ],
        [journal("mouse")],
    )
    report = audit(
        p, FixedResolver({"mouse": verified("Journal Article", mesh=("Animals", "Mice"))})
    )
    assert rules_of(report, rule="preclinical-only") == ["preclinical-only"]
    assert next(f for f in report.findings if f.rule == "preclinical-only").claim == "people"


def test_unsupported_attribution_needs_a_missing_citation() -> None:
    p = project(
        [claim("a", attribution="studies show"), claim("b", "s", attribution="studies show")],
        [journal("s")],
    )
    report = audit(p, FixedResolver({"s": verified("Review")}))
    assert [f.claim for f in report.findings if f.rule == "unsupported-attribution"] == ["a"]


def test_orphan_source_is_info() -> None:
    report = audit(project([claim("a")], [journal("lonely")]), FixedResolver({}))
    orphan = next(f for f in report.findings if f.rule == "orphan-source")
    assert orphan.severity is Severity.INFO and orphan.source == "lonely"


def test_circular_support() -> None:
    p = project(
        [claim("a", "s", depends_on=["b"]), claim("b", "s", depends_on=["a"])], [journal("s")]
    )
    report = audit(p, FixedResolver({"s": verified("Review")}))
    cycle = [f for f in report.findings if f.rule == "circular-support"]
    assert len(cycle) == 1
    assert "a -> b -> a" in cycle[0].message or "b -> a -> b" in cycle[0].message


def test_a_claim_is_no_stronger_than_its_weakest_premise() -> None:
    p = project(
        [
            claim("premise", "mag"),
            claim("strong", "rct", depends_on=["premise"]),
            claim("step", depends_on=["premise"]),
            claim("fine", "rct"),
        ],
        [{"id": "mag", "kind": "magazine"}, journal("rct")],
    )
    report = audit(p, FixedResolver({"rct": verified("Randomized Controlled Trial")}))
    strong = next(c for c in report.claims if c.id == "strong")
    assert strong.status is ClaimStatus.ANECDOTAL_ONLY
    assert strong.evidence is Evidence.ANECDOTAL
    assert "premise" in strong.reason
    step = next(c for c in report.claims if c.id == "step")
    assert step.status is ClaimStatus.ANECDOTAL_ONLY
    # a reasoning step that builds on premises is not "unsourced"
    assert rules_of(report, claim="step") == []
    assert status_of(report, "fine") is ClaimStatus.SUPPORTED


def test_severity_override_and_disabled_rules() -> None:
    config = Config(
        severities={"unsourced-claim": Severity.WARNING}, disabled={"orphan-source": "reading list"}
    )
    report = audit(project([claim("a")], [{"id": "x", "kind": "blog"}]), FixedResolver({}), config)
    assert [(f.rule, f.severity) for f in report.findings] == [
        ("unsourced-claim", Severity.WARNING)
    ]


def test_fingerprints_are_stable_and_distinct() -> None:
    p = project([claim("a"), claim("b")])
    first, second = audit(p), audit(p)
    assert [f.fingerprint for f in first.findings] == [f.fingerprint for f in second.findings]
    assert len({f.fingerprint for f in first.findings}) == 2


def test_retraction_via_crossref_update() -> None:
    record = Record(
        service="crossref",
        doi="10.1/x",
        updates=(Update(type="retraction", origin="crossref", doi="10.1/notice"),),
    )
    assert record.is_retracted
    p = project([claim("a", "s")], [{"id": "s", "doi": "10.1/x"}])
    report = audit(
        p, FixedResolver({"s": Resolution(status=SourceStatus.RETRACTED, record=record)})
    )
    assert "10.1/notice" in next(f.message for f in report.findings if f.rule == "retracted-source")


def test_every_rule_id_has_one_registered_rule() -> None:
    assert set(RULES) == RULE_IDS


def test_severity_rank_and_threshold_filter() -> None:
    """Severity ranks info < warning < error; findings_at_or_above keeps exactly the findings
    ranked at or above the threshold, in report order."""
    assert [s.rank for s in (Severity.INFO, Severity.WARNING, Severity.ERROR)] == [0, 1, 2]
    report = audit(
        project(
            [claim("c1", "s1", "missing"), claim("c2")],
            [journal("s1"), journal("orphan")],
        )
    )
    assert {f.severity for f in report.findings} == set(Severity)
    for threshold in Severity:
        kept = [f for f in report.findings if f.severity.rank >= threshold.rank]
        assert report.findings_at_or_above(threshold) == kept
    assert len(report.findings_at_or_above(Severity.INFO)) == len(report.findings)
