"""Small helpers the human-readable formats share."""

from __future__ import annotations

import threading
from pathlib import PurePosixPath

from claimgraph.levels import ClaimStatus, Severity, SourceStatus
from claimgraph.models import Location
from claimgraph.report import ClaimResult, Finding, Report, SourceSupport

CLAIM_STATUS_ORDER = [
    ClaimStatus.BROKEN,
    ClaimStatus.UNSOURCED,
    ClaimStatus.NOT_SUPPORTED,
    ClaimStatus.ANECDOTAL_ONLY,
    ClaimStatus.UNVERIFIED,
    ClaimStatus.SUPPORTED,
]

CLAIM_STATUS_LABEL = {
    ClaimStatus.SUPPORTED: "supported",
    ClaimStatus.UNVERIFIED: "unverified",
    ClaimStatus.ANECDOTAL_ONLY: "anecdotal only",
    ClaimStatus.UNSOURCED: "unsourced",
    ClaimStatus.BROKEN: "broken",
    ClaimStatus.NOT_SUPPORTED: "not supported",
}

SOURCE_STATUS_LABEL = {
    SourceStatus.VERIFIED: "verified",
    SourceStatus.MISMATCH: "mismatch",
    SourceStatus.NOT_FOUND: "not found",
    SourceStatus.RETRACTED: "retracted",
    SourceStatus.UNVERIFIABLE: "unverifiable",
    SourceStatus.NOT_CHECKABLE: "not checkable",
}

SEVERITY_ORDER = [Severity.ERROR, Severity.WARNING, Severity.INFO]


def judged_sources(claim: ClaimResult) -> list[SourceSupport]:
    """The cited sources whose abstract was judged (not ``not_checked``)."""
    if claim.support is None:
        return []
    return [s for s in claim.support.sources if s.label != "not_checked"]


def support_text(support: SourceSupport, quote_width: int = 0) -> str:
    """``contradicts (0.87): "quote" [120-245]`` for plain-text formats."""
    text = f"{support.label} ({support.score:.2f})"
    if support.evidence:
        quote = " ".join(support.evidence[0].text.split())
        if quote_width and len(quote) > quote_width:
            quote = quote[: quote_width - 1] + "…"
        text += f': "{quote}" [{support.evidence[0].start}-{support.evidence[0].end}]'
    if support.note:
        text += f" ({support.note})"
    return text


def location_text(location: Location | None) -> str:
    if location is None or location.file is None:
        return ""
    text = location.file
    if location.line is not None:
        text += f":{location.line}"
        if location.column is not None:
            text += f":{location.column}"
    return text


def findings_by_severity(report: Report) -> dict[Severity, list[Finding]]:
    grouped: dict[Severity, list[Finding]] = {severity: [] for severity in SEVERITY_ORDER}
    for finding in report.findings:
        grouped[finding.severity].append(finding)
    return grouped


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def summary_line(report: Report) -> str:
    summary = report.summary
    statuses = ", ".join(
        f"{summary.by_status[s.value]} {CLAIM_STATUS_LABEL[s]}"
        for s in CLAIM_STATUS_ORDER
        if s.value in summary.by_status
    )
    counts = summary.findings
    text = (
        f"{plural(summary.claims, 'claim')} ({statuses or 'none'}), "
        f"{plural(summary.sources, 'source')}; "
        f"{plural(counts.error, 'error')}, {plural(counts.warning, 'warning')}, {counts.info} info"
    )
    if summary.unreachable:
        text += f"; unreachable: {', '.join(summary.unreachable)}"
    if summary.offline:
        text += "; offline"
    return text


class FindingLocator:
    """Where findings point: their own location, their claim's or source's, else the input file.

    Every finding of a real run resolves to at least a file, so CI annotations and
    code-scanning results have somewhere to appear. Built once per report (dict lookups).
    """

    def __init__(self, report: Report) -> None:
        self._claims = {c.id: c.location for c in report.claims if c.location and c.location.file}
        self._sources = {s.id: s.location for s in report.sources if s.location and s.location.file}
        self._files: dict[str, Location | None] = {}
        for wanted in ("claims", "sources"):
            match = next(
                (
                    name
                    for name in report.inputs
                    if wanted in PurePosixPath(name.replace("\\", "/")).name
                ),
                report.inputs[0] if report.inputs else None,
            )
            self._files[wanted] = Location(file=match) if match else None

    def __call__(self, finding: Finding) -> Location | None:
        if finding.location is not None and finding.location.file:
            return finding.location
        if finding.claim is not None and finding.claim in self._claims:
            return self._claims[finding.claim]
        if finding.source is not None and finding.source in self._sources:
            return self._sources[finding.source]
        about_source = finding.claim is None and finding.source is not None
        return self._files["sources" if about_source else "claims"]


_locator_lock = threading.Lock()
_last_locator: tuple[Report, FindingLocator] | None = None


def finding_location(report: Report, finding: Finding) -> Location | None:
    """:class:`FindingLocator` for ``report`` (the last one is reused: formats ask per finding)."""
    global _last_locator  # noqa: PLW0603 - a one-entry cache
    with _locator_lock:
        if _last_locator is None or _last_locator[0] is not report:
            _last_locator = (report, FindingLocator(report))
        locator = _last_locator[1]
    return locator(finding)
