"""Small helpers the human-readable formats share."""

from __future__ import annotations

from claimgraph.levels import ClaimStatus, Severity, SourceStatus
from claimgraph.models import Location
from claimgraph.report import Finding, Report

CLAIM_STATUS_ORDER = [
    ClaimStatus.BROKEN,
    ClaimStatus.UNSOURCED,
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
