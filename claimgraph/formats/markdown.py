"""``--format markdown``: a summary fit for a pull-request comment."""

from __future__ import annotations

import re
from urllib.parse import quote

from claimgraph.formats import FormatOptions
from claimgraph.formats._common import (
    CLAIM_STATUS_LABEL,
    CLAIM_STATUS_ORDER,
    SEVERITY_ORDER,
    SOURCE_STATUS_LABEL,
    findings_by_severity,
    judged_sources,
    location_text,
    summary_line,
)
from claimgraph.levels import ClaimStatus, Severity, SourceStatus
from claimgraph.report import Report
from claimgraph.safetext import escape_surrogates, one_line

_CLAIM_ICON = {
    ClaimStatus.SUPPORTED: "✅",
    ClaimStatus.UNVERIFIED: "❔",
    ClaimStatus.ANECDOTAL_ONLY: "⚠️",
    ClaimStatus.UNSOURCED: "❌",
    ClaimStatus.BROKEN: "⛔",
    ClaimStatus.NOT_SUPPORTED: "🚫",
}
_SUPPORT_ICON = {"supports": "✅", "contradicts": "⛔", "unrelated": "🚫", "uncertain": "❔"}
_SOURCE_ICON = {
    SourceStatus.VERIFIED: "✅",
    SourceStatus.MISMATCH: "⚠️",
    SourceStatus.NOT_FOUND: "⛔",
    SourceStatus.RETRACTED: "⛔",
    SourceStatus.UNVERIFIABLE: "❔",
    SourceStatus.NOT_CHECKABLE: "ℹ️",
}
_SEVERITY_TITLE = {Severity.ERROR: "Errors", Severity.WARNING: "Warnings", Severity.INFO: "Info"}

_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")
#: an ``@name`` that would notify someone on GitHub (``@org/team`` too)
_MENTION = re.compile(r"@(?=[A-Za-z0-9_-])")


def md(text: str) -> str:
    """Escape text for a Markdown table cell or paragraph.

    No HTML gets through, control characters are shown escaped (:mod:`claimgraph.safetext`)
    and an ``@mention`` is cut with a zero-width space, as careful bots do, so a report
    posted as a pull-request comment notifies nobody.
    """
    text = one_line(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    return _MENTION.sub("@&#8203;", text)


def _url_part(text: str) -> str:
    return quote(escape_surrogates(text), safe="/")


def _code(text: str) -> str:
    """A code span (an ``@mention`` in one notifies nobody)."""
    text = one_line(text).replace("`", "'")
    return f"`{text}`"


def _support_section(report: Report) -> list[str]:
    rows = [(claim, judged) for claim in report.claims for judged in judged_sources(claim)]
    if not rows:
        return []
    lines = [
        "### What the cited abstracts say",
        "",
        "| | claim | source | judgement | sentence that decided it |",
        "|---|---|---|---|---|",
    ]
    for claim, judged in rows:
        quote = "—"
        if judged.evidence:
            ev = judged.evidence[0]
            quote = f"“{md(ev.text)}” ({ev.start}–{ev.end})"
        if judged.note:
            quote += f" — {md(judged.note)}"
        lines.append(
            f"| {_SUPPORT_ICON.get(judged.label, '')} | {_code(claim.id)} | {_code(judged.source)} | "
            f"{judged.label} ({judged.score:.2f}) | {quote} |"
        )
    return [*lines, ""]


def render(report: Report, options: FormatOptions) -> str:
    lines: list[str] = ["## claimgraph audit", "", md(summary_line(report)), ""]
    counts = report.summary.findings
    if counts.error:
        lines += [
            f"**{counts.error} error{'s' if counts.error != 1 else ''} to fix before publishing.**",
            "",
        ]

    lines += [
        "### Claims",
        "",
        "| | status | evidence | claim | sources |",
        "|---|---|---|---|---|",
    ]
    for claim in sorted(report.claims, key=lambda c: (CLAIM_STATUS_ORDER.index(c.status), c.id)):
        sources = ", ".join(_code(s) for s in claim.sources) or "—"
        lines.append(
            f"| {_CLAIM_ICON[claim.status]} | {CLAIM_STATUS_LABEL[claim.status]} | "
            f"{claim.evidence.value if claim.evidence else '—'} | "
            f"{_code(claim.id)} {md(claim.text)} | {sources} |"
        )
    lines.append("")
    lines += _support_section(report)

    if report.sources:
        lines += [
            "### Sources",
            "",
            "| | status | evidence | source | record |",
            "|---|---|---|---|---|",
        ]
        for source in report.sources:
            label = source.title or source.citation or source.url or ""
            record = source.record
            record_text = "—"
            if record is not None:
                bits = []
                if record.pmid:
                    bits.append(
                        f"[PMID {record.pmid}](https://pubmed.ncbi.nlm.nih.gov/{record.pmid}/)"
                    )
                if record.doi:
                    bits.append(f"[doi:{md(record.doi)}](https://doi.org/{_url_part(record.doi)})")
                if record.title:
                    bits.append(md(record.title))
                if record.year:
                    bits.append(str(record.year))
                if record.publication_types:
                    bits.append(md("; ".join(record.publication_types)))
                record_text = " · ".join(bits) or "—"
            lines.append(
                f"| {_SOURCE_ICON[source.status]} | {SOURCE_STATUS_LABEL[source.status]} | "
                f"{source.evidence.value} | {_code(source.id)} {md(label)} | {record_text} |"
            )
        lines.append("")

    grouped = findings_by_severity(report)
    for severity in SEVERITY_ORDER:
        findings = grouped[severity]
        if not findings:
            continue
        open_attr = " open" if severity is Severity.ERROR else ""
        lines += [
            f"<details{open_attr}><summary><b>{_SEVERITY_TITLE[severity]} ({len(findings)})</b></summary>",
            "",
        ]
        for finding in findings:
            where = location_text(finding.location)
            prefix = f"{_code(where)} " if where else ""
            lines.append(f"- {prefix}**{finding.rule}**: {md(finding.message)}")
        lines += ["", "</details>", ""]
    lines.append(f"<sub>claimgraph {md(report.tool.version)}</sub>")
    return "\n".join(lines) + "\n"
