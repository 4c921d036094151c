"""A fixed :class:`~claimgraph.report.Report` for the format tests and their golden files.

It covers every claim status, every source status, every severity, findings with and
without a location, sources with and without a resolved record, unicode, and text that is
special in HTML, Markdown, XML and GitHub workflow commands (``<script>``, ``"onerror=``,
``&``, ``|``, ``%``, ``:``, ``,``, newlines). The payloads set ``window.__pwned`` or
``document.title`` if they ever run.
"""

from __future__ import annotations

import os
from pathlib import Path

from claimgraph.levels import ClaimStatus, Evidence, Severity, SourceStatus
from claimgraph.models import Location
from claimgraph.report import (
    ClaimResult,
    ClaimSupport,
    Finding,
    FindingCounts,
    RecordSummary,
    Report,
    SourceResult,
    SourceSupport,
    Summary,
    SupportEvidence,
    ToolInfo,
    summarize,
)
from claimgraph.resolvers.base import FieldDifference

#: a fixed version, so golden files do not change with every release
TOOL = ToolInfo(name="claimgraph", version="0.0.0-test")

SCRIPT_PAYLOAD = "<script>window.__pwned = 'script'; document.title = 'pwned'</script>"
ATTR_PAYLOAD = '"><img src=x onerror="window.__pwned=\'img\'">'
DRAFT = "articles/draft, v2:final.md"


def _finding(
    rule: str,
    severity: Severity,
    message: str,
    *,
    claim: str | None = None,
    source: str | None = None,
    location: Location | None = None,
) -> Finding:
    return Finding(
        rule=rule,
        severity=severity,
        claim=claim,
        source=source,
        message=message,
        location=location,
        fingerprint=Finding.make_fingerprint(rule, claim, source),
    )


FINDINGS: list[Finding] = [
    _finding(
        "unsourced-claim",
        Severity.ERROR,
        "claim 'c-unsourced' cites no source: cite a study that supports it, "
        "or reword it as opinion",
        claim="c-unsourced",
    ),
    _finding(
        "anecdotal-only",
        Severity.ERROR,
        "claim 'c-anecdotal' rests only on anecdotal sources: s-case (case-report), "
        "s-magazine (anecdotal); cite a study with a stronger design",
        claim="c-anecdotal",
        location=Location(file=DRAFT, line=7, column=1),
    ),
    _finding(
        "unknown-source",
        Severity.ERROR,
        "claim 'c-payload' cites 's-missing', which sources.json does not define: "
        "add it to sources.json or fix the id",
        claim="c-payload",
        source="s-missing",
        location=Location(file=DRAFT, line=21, column=3),
    ),
    _finding(
        "citation-not-found",
        Severity.ERROR,
        "source 's-notfound' was not found (DOI 10.9999/no-such-doi does not exist); "
        "cited by c-broken: check the identifier and citation for typos",
        source="s-notfound",
        location=Location(file="sources.json", line=40, column=5),
    ),
    _finding(
        "citation-mismatch",
        Severity.WARNING,
        "source 's-mismatch' matches a real record but the citation differs "
        "(year: cited '2005', record says '2006'): correct the citation",
        source="s-mismatch",
        location=Location(file="sources.json", line=52),
    ),
    _finding(
        "citation-mismatch",
        Severity.WARNING,
        "source 's-otherwork': the identifier belongs to a different work "
        f"('{SCRIPT_PAYLOAD}'); cited by c-broken: fix the DOI/PMID",
        source="s-otherwork",
    ),
    _finding(
        "retracted-source",
        Severity.ERROR,
        "source 's-retracted' is retracted (notice: 10.1000/retraction.1); cited by "
        "c-broken: remove it and re-examine those claims",
        source="s-retracted",
        location=Location(file="sources.json", line=64, column=5),
    ),
    _finding(
        "unverifiable-source",
        Severity.WARNING,
        "source 's-unverifiable' could not be checked (pubmed: timeout); run again online",
        source="s-unverifiable",
        location=Location(file="sources.json"),
    ),
    _finding(
        "unsupported-attribution",
        Severity.WARNING,
        "claim 'c-unsourced' says \"studies show\" but cites nothing: 100% of readers, "
        "50% of editors\ncite the studies or drop the attribution",
        claim="c-unsourced",
        location=Location(file=DRAFT, line=12, column=5),
    ),
    _finding(
        "orphan-source",
        Severity.INFO,
        "source 's-orphan' is cited by no claim: link it to the claim it supports or remove it",
        source="s-orphan",
        location=Location(file="sources.json", line=88, column=5),
    ),
]


def _claim_findings(claim_id: str) -> list[Finding]:
    return [f for f in FINDINGS if f.claim == claim_id]


def _source_findings(source_id: str) -> list[Finding]:
    return [f for f in FINDINGS if f.claim is None and f.source == source_id]


CLAIMS: list[ClaimResult] = [
    ClaimResult(
        id="c-supported",
        text="Magnesium supplements lower blood pressure slightly in adults.",
        status=ClaimStatus.SUPPORTED,
        evidence=Evidence.SYSTEMATIC_REVIEW,
        sources=["s-rct", "s-review"],
        location=Location(file=DRAFT, line=3, column=1),
        reason="supported by s-review (systematic-review)",
        support=ClaimSupport(
            label="supports",
            sources=[
                SourceSupport(
                    source="s-rct",
                    label="supports",
                    score=0.81,
                    evidence=[
                        SupportEvidence(
                            text="Systolic pressure fell by 2.0 mmHg (p < 0.05) & diastolic "
                            f"by 1.8 mmHg {SCRIPT_PAYLOAD}.",
                            start=412,
                            end=560,
                        )
                    ],
                    topic=0.93,
                    model="test-model",
                ),
                SourceSupport(
                    source="s-review",
                    label="uncertain",
                    score=0.52,
                    evidence=[SupportEvidence(text="Evidence was | mixed.", start=0, end=21)],
                    topic=0.88,
                    model="test-model",
                ),
            ],
        ),
    ),
    ClaimResult(
        id="c-anecdotal",
        text="Eye twitch is a symptom of magnesium deficiency.",
        status=ClaimStatus.ANECDOTAL_ONLY,
        evidence=Evidence.CASE_REPORT,
        sources=["s-case", "s-magazine"],
        location=Location(file=DRAFT, line=7, column=1),
        reason="every usable source is anecdotal",
        support=ClaimSupport(
            label="unrelated",
            sources=[
                SourceSupport(
                    source="s-case",
                    label="unrelated",
                    score=0.77,
                    evidence=[
                        SupportEvidence(text="We report bruxism in a child.", start=0, end=29)
                    ],
                    topic=0.23,
                    model="test-model",
                    note="the claim is about <deficiency>; the record about bruxism & more",
                ),
                SourceSupport(
                    source="s-magazine",
                    label="not_checked",
                    note="not a scholarly record (graded by its kind)",
                ),
            ],
        ),
    ),
    ClaimResult(
        id="c-unsourced",
        text=f'Studies show {SCRIPT_PAYLOAD} "one in two" of us are low on magnesium & more',
        status=ClaimStatus.UNSOURCED,
        evidence=None,
        sources=[],
        location=None,
        reason="cites no source",
    ),
    ClaimResult(
        id="c-broken",
        text="**Calcium** _blocks_ [spasms](javascript:alert(1)) | pipe `code` # not a heading",
        status=ClaimStatus.BROKEN,
        evidence=None,
        sources=["s-notfound", "s-retracted", "s-otherwork"],
        location=Location(file=DRAFT, line=15, column=1),
        reason="no usable source: s-notfound not found, s-retracted retracted",
    ),
    ClaimResult(
        id="c-unverified",
        text="Le magnésium réduit les crampes nocturnes — 睡眠 😴",
        status=ClaimStatus.UNVERIFIED,
        evidence=None,
        sources=["s-unverifiable"],
        location=Location(file=DRAFT, line=18),
        reason="nothing could be checked",
    ),
    ClaimResult(
        id="c-depends",
        text="So magnesium is worth trying for hypertension.",
        status=ClaimStatus.SUPPORTED,
        evidence=Evidence.RCT,
        sources=["s-mismatch"],
        depends_on=["c-supported"],
        location=Location(file=DRAFT, line=19, column=1),
        reason="supported by s-mismatch (rct)",
    ),
    ClaimResult(
        id="c-payload",
        text=f"Calcium helps {ATTR_PAYLOAD} and <b>bold</b> claims",
        status=ClaimStatus.BROKEN,
        evidence=None,
        sources=["s-missing"],
        location=Location(file=DRAFT, line=21, column=3),
        reason="no usable source: s-missing is not defined",
    ),
]
CLAIMS = [c.model_copy(update={"findings": _claim_findings(c.id)}) for c in CLAIMS]


SOURCES: list[SourceResult] = [
    SourceResult(
        id="s-rct",
        status=SourceStatus.VERIFIED,
        evidence=Evidence.RCT,
        kind="journal-article",
        pmid="11111111",
        doi="10.1000/rct.2019.1",
        citation="Smith J, Lee K. Magnesium and blood pressure. J Hypertens. 2019;37(2):100-8.",
        title="Magnesium and blood pressure",
        record=RecordSummary(
            service="pubmed",
            title="Magnesium and blood pressure: a randomized controlled trial.",
            year=2019,
            journal="Journal of Hypertension",
            authors=["Smith J", "Lee K"],
            volume="37",
            issue="2",
            pages="100-108",
            publication_types=["Journal Article", "Randomized Controlled Trial"],
            pmid="11111111",
            doi="10.1000/rct.2019.1",
        ),
        message="PMID 11111111 matches the citation",
        cited_by=["c-supported"],
        location=Location(file="sources.json", line=3, column=5),
    ),
    SourceResult(
        id="s-review",
        status=SourceStatus.VERIFIED,
        evidence=Evidence.SYSTEMATIC_REVIEW,
        kind="journal-article",
        pmid="22222222",
        doi="10.1000/review&meta<2>",
        pmcid="PMC1234567",
        title=f"Magnesium & blood pressure: a <b>meta</b>-analysis {ATTR_PAYLOAD}",
        record=RecordSummary(
            service="pubmed",
            title=f"Magnesium & blood pressure: a <b>meta</b>-analysis {ATTR_PAYLOAD}",
            year=2021,
            journal="Cochrane Database Syst Rev",
            authors=["Müller Ä", "O'Brien C"],
            publication_types=["Systematic Review", "Meta-Analysis"],
            pmid="22222222",
            doi="10.1000/review&meta<2>",
            pmcid="PMC1234567",
        ),
        cited_by=["c-supported"],
    ),
    SourceResult(
        id="s-case",
        status=SourceStatus.VERIFIED,
        evidence=Evidence.CASE_REPORT,
        kind="journal-article",
        pmid="33333333",
        citation="H. Alonso, Tardive blepharospasm, Clin Neuropharmacol, 2006",
        record=RecordSummary(
            service="crossref",
            title="Tardive blepharospasm associated with cinnarizine use",
            year=2006,
            journal="Clinical Neuropharmacology",
            publication_types=["Case Reports"],
            crossref_type="journal-article",
        ),
        cited_by=["c-anecdotal"],
        location=Location(file="sources.json", line=20, column=5),
    ),
    SourceResult(
        id="s-magazine",
        status=SourceStatus.NOT_CHECKABLE,
        evidence=Evidence.ANECDOTAL,
        kind="magazine",
        url="https://example.org/magazine?issue=7&page=2",
        citation="Good Health magazine, July-August 2014",
        message="not a scholarly work; graded by its kind",
        cited_by=["c-anecdotal"],
    ),
    SourceResult(
        id="s-notfound",
        status=SourceStatus.NOT_FOUND,
        evidence=Evidence.UNKNOWN,
        kind="journal-article",
        doi="10.9999/no-such-doi",
        message="DOI 10.9999/no-such-doi does not exist",
        cited_by=["c-broken"],
        location=Location(file="sources.json", line=40, column=5),
    ),
    SourceResult(
        id="s-retracted",
        status=SourceStatus.RETRACTED,
        evidence=Evidence.OBSERVATIONAL,
        pmid="44444444",
        record=RecordSummary(
            service="pubmed",
            title="Calcium intake and muscle spasm: a cohort study",
            year=2010,
            journal="Spasm Research",
            authors=["Doe J"],
            publication_types=["Journal Article", "Retracted Publication"],
            pmid="44444444",
            retracted=True,
            updates=["retraction (10.1000/retraction.1)"],
        ),
        message="retracted (notice: 10.1000/retraction.1)",
        cited_by=["c-broken"],
        location=Location(file="sources.json", line=64, column=5),
    ),
    SourceResult(
        id="s-otherwork",
        status=SourceStatus.MISMATCH,
        evidence=Evidence.UNKNOWN,
        doi="10.1000/other",
        title="Calcium and cramps",
        record=RecordSummary(service="crossref", title=SCRIPT_PAYLOAD, year=1999),
        differences=[FieldDifference(field="title", cited="Calcium and cramps", record="x")],
        different_work=True,
        message="the DOI belongs to a different work",
        cited_by=["c-broken"],
    ),
    SourceResult(
        id="s-unverifiable",
        status=SourceStatus.UNVERIFIABLE,
        evidence=Evidence.UNKNOWN,
        pmid="55555555",
        url="javascript:alert('pwned')",
        message="pubmed: timeout",
        cited_by=["c-unverified"],
        location=Location(file="sources.json"),
    ),
    SourceResult(
        id="s-mismatch",
        status=SourceStatus.MISMATCH,
        evidence=Evidence.RCT,
        pmid="66666666",
        title="A trial of magnesium in hypertension",
        record=RecordSummary(
            service="pubmed",
            title="A trial of magnesium in hypertension.",
            year=2006,
            journal="Hypertension",
            publication_types=["Randomized Controlled Trial"],
            pmid="66666666",
        ),
        differences=[FieldDifference(field="year", cited="2005", record="2006")],
        message="year differs",
        cited_by=["c-depends"],
        location=Location(file="sources.json", line=52),
    ),
    SourceResult(
        id="s-orphan",
        status=SourceStatus.NOT_CHECKABLE,
        evidence=Evidence.GUIDELINE,
        kind="government",
        url="https://example.gov/magnesium",
        title="Magnesium fact sheet",
        message="not a scholarly work; graded by its kind",
        location=Location(file="sources.json", line=88, column=5),
    ),
]
SOURCES = [s.model_copy(update={"findings": _source_findings(s.id)}) for s in SOURCES]


def sample_report() -> Report:
    """The fixed report every golden file is rendered from."""
    return Report(
        tool=TOOL,
        summary=summarize(CLAIMS, SOURCES, FINDINGS, unreachable=["pubmed"]),
        claims=CLAIMS,
        sources=SOURCES,
        findings=FINDINGS,
        inputs=["claims.json", "sources.json"],
    )


def empty_report() -> Report:
    """A report with nothing in it (a project with no claims)."""
    return Report(
        tool=TOOL,
        summary=Summary(claims=0, sources=0, by_status={}, findings=FindingCounts()),
        claims=[],
        sources=[],
        findings=[],
    )


# ----------------------------------------------------------------------------- golden files

GOLDEN_DIR = Path(__file__).parent / "golden"


def assert_golden(name: str, text: str) -> None:
    """Compare ``text`` with ``golden/<name>``; ``UPDATE_GOLDEN=1`` rewrites the file instead."""
    path = GOLDEN_DIR / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        return
    if not path.exists():
        raise AssertionError(
            f"{path} is missing: run UPDATE_GOLDEN=1 pytest {Path(__file__).parent}"
        )
    expected = path.read_bytes().decode("utf-8")  # byte for byte: no newline translation
    assert text == expected, (
        f"{name} differs from its golden file; if the change is intended, "
        "regenerate with UPDATE_GOLDEN=1"
    )
