"""``--format text``: readable in a terminal at a glance. Colour only when asked (a TTY).

Written line by line with plain string formatting (a table library took ~190 µs a row, 93 s
for 100,000 claims): columns are sized once from the widths of what they hold (display
cells, so wide characters line up), then every row is padded to them. Every text from the
inputs or a service passes :func:`claimgraph.safetext.one_line` first: no control sequence
reaches the terminal and no field can start a line of its own.

The claims table gives the claim text the rest of the line; when the terminal is too narrow
for a readable share (:data:`MIN_TEXT`), each claim's text goes under its row, wrapped to the
width (up to :data:`TEXT_LINES` lines), instead of being cut to a few characters.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Iterator, Sequence

from rich.cells import cell_len, set_cell_size

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
from claimgraph.safetext import one_line

#: the fewest cells the claim text gets beside its row; less, and it gets a line of its own
MIN_TEXT = 30
#: the widest the claim id column gets beside the text (longer ids are cut in the middle)
ID_MAX = 42
#: the most lines a claim's text takes when it has lines of its own
TEXT_LINES = 3
#: lines joined into one piece of the output
_LINES_PER_PART = 2000
_GAP = "  "

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
#: SGR codes of the style words used above
_SGR = {
    "bold": "1",
    "dim": "2",
    "underline": "4",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "blue": "34",
    "magenta": "35",
    "cyan": "36",
    "bright_black": "90",
}


class _Painter:
    """Wraps text in ANSI styles, or leaves it alone without colour."""

    def __init__(self, color: bool) -> None:
        self.color = color
        self._codes = {
            style: ";".join(_SGR[word] for word in style.split())
            for style in {
                *(s for _, s in _CLAIM_STYLE.values()),
                *_SUPPORT_STYLE.values(),
                *_SOURCE_STYLE.values(),
                *_SEVERITY_STYLE.values(),
                "bold",
                "dim",
                "bold underline",
            }
        }

    def __call__(self, text: str, style: str) -> str:
        if not self.color or not style or not text:
            return text
        return f"\x1b[{self._codes[style]}m{text}\x1b[0m"


def _fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with an ellipsis (end cut)."""
    if len(text) <= width and (text.isascii() or cell_len(text) <= width):
        return text
    if width <= 1:
        return "…"[:width]
    return set_cell_size(text, width - 1).rstrip() + "…"


def _fit_middle(text: str, width: int) -> str:
    """An id cut to ``width`` cells in the middle (``mg-daily…400mg``): both ends tell ids apart."""
    if len(text) <= width and (text.isascii() or cell_len(text) <= width):
        return text
    if not text.isascii() or width < 8:
        return _fit(text, width)
    tail = (width - 1) // 2
    return text[: width - 1 - tail] + "…" + text[-tail:]


def _pad(text: str, width: int) -> str:
    size = len(text) if text.isascii() else cell_len(text)
    return text + " " * (width - size)


def _width(texts: Iterable[str]) -> int:
    return max((len(t) if t.isascii() else cell_len(t) for t in texts), default=0)


def _fold(text: str, width: int) -> list[str]:
    """``text`` wrapped at words to ``width`` (long words broken); continuation lines indented."""
    if len(text) <= width and (text.isascii() or cell_len(text) <= width):
        return [text]
    indent = " " * (len(text) - len(text.lstrip(" ")) + 2)
    lines = textwrap.wrap(
        text, max(width, 10), subsequent_indent=indent, break_on_hyphens=False, drop_whitespace=True
    )
    return lines or [""]


def _text_below(text: str, width: int) -> Iterator[str]:
    """A claim's text on lines of its own under its row: wrapped, at most :data:`TEXT_LINES`."""
    if not text:
        return
    lines = _fold(text, width) if len(text) > width else [text]
    lines = [line.strip() for line in lines]
    if len(lines) > TEXT_LINES:
        lines = [*lines[: TEXT_LINES - 1], _fit(" ".join(lines[TEXT_LINES - 1 :]), width)]
    for line in lines:
        yield "   " + line


def _claims_table(claims: Sequence[ClaimResult], width: int, paint: _Painter) -> Iterator[str]:
    rows = [
        (
            claim.status,
            CLAIM_STATUS_LABEL[claim.status],
            claim.evidence.value if claim.evidence else "-",
            one_line(claim.id),
            one_line(claim.text),
        )
        for claim in claims
    ]
    status_w = _width(["claim status", *(r[1] for r in rows)])
    evidence_w = _width(["evidence", *(r[2] for r in rows)])
    fixed = 1 + len(_GAP) + status_w + len(_GAP) + evidence_w + len(_GAP)
    rest = width - fixed
    # an id longer than ID_MAX is cut in the middle rather than squeeze every text
    id_natural = min(_width(["claim", *(r[3] for r in rows)]), ID_MAX)
    beside = rest - len(_GAP) - id_natural >= MIN_TEXT
    id_w = id_natural if beside else min(id_natural, max(rest, 12))
    text_w = rest - len(_GAP) - id_w if beside else width - 3
    head = _GAP.join([" ", _pad("claim status", status_w), _pad("evidence", evidence_w)])
    head += _GAP + ((_pad("claim", id_w) + _GAP + "text") if beside else "claim")
    yield paint(head.rstrip(), "bold")
    for status, label, evidence, claim_id, text in rows:
        mark, style = _CLAIM_STYLE[status]
        line = (
            paint(mark, style)
            + _GAP
            + paint(_pad(label, status_w), style)
            + _GAP
            + _pad(evidence, evidence_w)
            + _GAP
        )
        shown_id = _fit_middle(claim_id, id_w)
        if beside:
            line += paint(shown_id, "bold") + " " * (id_w - _width([shown_id])) + _GAP
            yield (line + _fit(text, text_w)).rstrip()
        else:
            yield line + paint(shown_id, "bold")
            yield from _text_below(text, text_w)


def _support_lines(claims: Sequence[ClaimResult], width: int, paint: _Painter) -> Iterator[str]:
    """What each cited abstract says about the claim, with the sentence that decided it."""
    rows = [(claim, judged) for claim in claims for judged in judged_sources(claim)]
    if not rows:
        return
    yield ""
    yield paint("What the cited abstracts say", "bold underline")
    for claim, judged in rows:
        judgement = one_line(support_text(judged, quote_width=width))
        yield (
            f"  {paint(one_line(claim.id), 'bold')} ← {one_line(judged.source)} "
            + paint(judgement, _SUPPORT_STYLE.get(judged.label, ""))
        )


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
    return one_line(" ".join(parts))


def _source_cell(source: SourceResult, cell_width: int) -> list[tuple[str, str]]:
    """The lines of a source's cell, each with its style (the title cut to fit the first)."""
    label = one_line(source.id)
    title = one_line(_source_label(source))
    if title:
        label += " " + _fit(title, max(cell_width - _width([label]) - 1, 20))
    lines = [(label, "")]
    record_line = _record_line(source)
    if record_line:
        lines.append(("  record: " + record_line, "dim"))
    for difference in source.differences:
        change = f"{difference.field}: cited {difference.cited!r}, record {difference.record!r}"
        lines.append(("  " + one_line(change), "yellow"))
    return lines


def _sources_table(sources: Sequence[SourceResult], width: int, paint: _Painter) -> Iterator[str]:
    status_w = _width(["source status", *(SOURCE_STATUS_LABEL[s.status] for s in sources)])
    evidence_w = _width(["evidence", *(s.evidence.value for s in sources)])
    indent = status_w + len(_GAP) + evidence_w + len(_GAP)
    cell_w = max(width - indent, 20)
    yield paint(
        _pad("source status", status_w) + _GAP + _pad("evidence", evidence_w) + _GAP + "source",
        "bold",
    )
    for source in sources:
        first = True
        for text, style in _source_cell(source, cell_w):
            for piece in _fold(text, cell_w):
                if first:
                    status = SOURCE_STATUS_LABEL[source.status]
                    lead = paint(_pad(status, status_w), _SOURCE_STYLE[source.status])
                    lead += _GAP + _pad(source.evidence.value, evidence_w) + _GAP
                    first = False
                else:
                    lead = " " * indent
                yield lead + paint(piece, style)


def _finding_lines(report: Report, paint: _Painter) -> Iterator[str]:
    grouped = findings_by_severity(report)
    for severity in SEVERITY_ORDER:
        findings = grouped[severity]
        if not findings:
            continue
        style = _SEVERITY_STYLE[severity]
        yield ""
        yield paint(f"{_SEVERITY_TITLE[severity]} ({len(findings)})", style)
        for finding in findings:
            where = one_line(location_text(finding.location))
            lead = "  " + (paint(where, "dim") + " " if where else "")
            yield lead + paint(finding.rule, style) + " " + one_line(finding.message)


def _lines(report: Report, options: FormatOptions) -> Iterator[str]:
    paint = _Painter(options.color)
    width = max(options.width, 40)
    head = paint(f"claimgraph {one_line(report.tool.version)}", "bold")
    if report.inputs:
        head += " · " + ", ".join(one_line(name) for name in report.inputs)
    yield head

    # ---- claims, weakest first
    text_width = max(30, width - 40)
    claims = sorted(report.claims, key=lambda c: (CLAIM_STATUS_ORDER.index(c.status), c.id))
    yield ""
    yield paint("Claims", "bold underline")
    yield from _claims_table(claims, width, paint)
    yield from _support_lines(claims, text_width, paint)

    if report.sources:
        yield ""
        yield paint("Sources", "bold underline")
        yield from _sources_table(report.sources, width, paint)

    yield from _finding_lines(report, paint)
    yield ""
    yield paint("Summary: ", "bold") + one_line(summary_line(report))


def render_parts(report: Report, options: FormatOptions) -> Iterator[str]:
    """The report in pieces of a few thousand lines (a large report is never one string)."""
    batch: list[str] = []
    for line in _lines(report, options):
        batch.append(line)
        if len(batch) >= _LINES_PER_PART:
            yield "\n".join(batch) + "\n"
            batch = []
    yield "\n".join(batch) + "\n"


def render(report: Report, options: FormatOptions) -> str:
    return "".join(render_parts(report, options))
