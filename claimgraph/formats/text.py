"""``--format text``: readable in a terminal at a glance. Colour only when asked (a TTY)."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

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
    support_text,
)
from claimgraph.levels import ClaimStatus, Severity, SourceStatus
from claimgraph.report import ClaimResult, Report, SourceResult

_CLAIM_STYLE = {
    ClaimStatus.SUPPORTED: ("✓", "green"),
    ClaimStatus.UNVERIFIED: ("?", "bright_black"),
    ClaimStatus.ANECDOTAL_ONLY: ("!", "yellow"),
    ClaimStatus.UNSOURCED: ("✗", "red"),
    ClaimStatus.BROKEN: ("✗", "bold red"),
    ClaimStatus.NOT_SUPPORTED: ("✗", "magenta"),
}
_SUPPORT_STYLE = {
    "supports": "green",
    "contradicts": "bold red",
    "unrelated": "magenta",
    "uncertain": "bright_black",
}
_SOURCE_STYLE = {
    SourceStatus.VERIFIED: "green",
    SourceStatus.MISMATCH: "yellow",
    SourceStatus.NOT_FOUND: "bold red",
    SourceStatus.RETRACTED: "bold magenta",
    SourceStatus.UNVERIFIABLE: "bright_black",
    SourceStatus.NOT_CHECKABLE: "cyan",
}
_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
_SEVERITY_TITLE = {Severity.ERROR: "Errors", Severity.WARNING: "Warnings", Severity.INFO: "Info"}


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _source_label(source: SourceResult) -> str:
    if source.record is not None and source.record.title:
        return source.record.title
    return source.title or source.citation or source.url or ""


def _record_line(source: SourceResult) -> str | None:
    record = source.record
    if record is None:
        return None
    ids = [f"PMID {record.pmid}" if record.pmid else "", f"doi:{record.doi}" if record.doi else ""]
    parts = [p for p in ids if p]
    where = ", ".join(str(p) for p in (record.journal, record.year) if p)
    if where:
        parts.append(where)
    if record.publication_types:
        parts.append("[" + "; ".join(record.publication_types) + "]")
    return " ".join(parts)


def _print_support(console: Console, claims: list[ClaimResult], width: int) -> None:
    """What each cited abstract says about the claim, with the sentence that decided it."""
    rows = [(claim, judged) for claim in claims for judged in judged_sources(claim)]
    if not rows:
        return
    console.print()
    console.print(Text("What the cited abstracts say", style="bold underline"))
    for claim, judged in rows:
        line = Text("  ") + Text(claim.id, style="bold") + Text(" ← ") + Text(judged.source)
        line += Text(" ") + Text(
            support_text(judged, quote_width=width), style=_SUPPORT_STYLE.get(judged.label, "")
        )
        console.print(line, soft_wrap=True)


def render(report: Report, options: FormatOptions) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=options.color,
        no_color=not options.color,
        color_system="standard" if options.color else None,
        width=options.width,
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )
    print_ = console.print

    print_(Text(f"claimgraph {report.tool.version}", style="bold"), end="")
    if report.inputs:
        print_(f" · {escape(', '.join(report.inputs))}", end="")
    print_()

    # ---- claims, weakest first
    text_width = max(30, options.width - 40)
    claims = sorted(report.claims, key=lambda c: (CLAIM_STATUS_ORDER.index(c.status), c.id))
    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False, expand=True)
    table.add_column("", no_wrap=True)
    table.add_column("claim status", no_wrap=True)
    table.add_column("evidence", no_wrap=True)
    table.add_column("claim", no_wrap=True, max_width=42, overflow="ellipsis")
    table.add_column("text", no_wrap=True, overflow="ellipsis", ratio=1)
    for claim in claims:
        mark, style = _CLAIM_STYLE[claim.status]
        table.add_row(
            Text(mark, style=style),
            Text(CLAIM_STATUS_LABEL[claim.status], style=style),
            claim.evidence.value if claim.evidence else "-",
            Text(claim.id, style="bold"),
            Text(" ".join(claim.text.split())),
        )
    print_()
    print_(Text("Claims", style="bold underline"))
    print_(table)
    _print_support(console, claims, text_width)

    # ---- sources
    if report.sources:
        sources = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
        sources.add_column("source status", no_wrap=True)
        sources.add_column("evidence", no_wrap=True)
        sources.add_column("source", overflow="fold")
        for source in report.sources:
            label = Text(source.id, style="bold")
            title = _source_label(source)
            if title:
                label += Text(" " + _shorten(title, text_width))
            record_line = _record_line(source)
            if record_line:
                label += Text("\n  record: " + record_line, style="dim")
            for difference in source.differences:
                label += Text(
                    f"\n  {difference.field}: cited {difference.cited!r}, record {difference.record!r}",
                    style="yellow",
                )
            sources.add_row(
                Text(SOURCE_STATUS_LABEL[source.status], style=_SOURCE_STYLE[source.status]),
                source.evidence.value,
                label,
            )
        print_()
        print_(Text("Sources", style="bold underline"))
        print_(sources)

    # ---- findings grouped by severity
    grouped = findings_by_severity(report)
    for severity in SEVERITY_ORDER:
        findings = grouped[severity]
        if not findings:
            continue
        print_()
        print_(
            Text(f"{_SEVERITY_TITLE[severity]} ({len(findings)})", style=_SEVERITY_STYLE[severity])
        )
        for finding in findings:
            where = location_text(finding.location)
            line = Text("  ")
            if where:
                line += Text(where + " ", style="dim")
            line += Text(finding.rule, style=_SEVERITY_STYLE[severity]) + Text(
                " " + finding.message
            )
            print_(line, soft_wrap=True)

    print_()
    print_(Text("Summary: ", style="bold") + Text(summary_line(report)), soft_wrap=True)
    return buffer.getvalue()
