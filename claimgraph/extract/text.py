"""The document form every draft reader produces, and the plain-text reader.

A draft (Markdown, HTML or plain text) becomes a :class:`Document`: a list of
:class:`Block` (headings, paragraphs, list items, quotes, table cells, reference
definitions), each with its visible text, the links inside it and a map from text offsets
back to the 1-based line and column in the file. Everything downstream (citations, claims,
ids) works on this form and never sees the draft's syntax.

Plain text has no markup, so the reader infers the structure health sites produce when
copied as text: paragraphs separated by blank lines, two or more blank lines separating
groups, short unpunctuated lines as headings, "•", "-", "*" and "1." lines as list items.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

__all__ = ["Block", "Document", "Link", "parse_text"]


@dataclass(slots=True)
class Link:
    """A link inside a block: [start, end) offsets of its text and its target."""

    start: int
    end: int
    href: str
    text: str


@dataclass(slots=True)
class Block:
    """One block of a draft, as visible text with a map back to the file."""

    #: heading | paragraph | item | quote | cell | definition
    kind: str
    text: str
    line: int
    column: int = 1
    #: (text offset, line, column) anchors, sorted by offset
    anchors: list[tuple[int, int, int]] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    #: heading level (1-6), 0 for other blocks
    level: int = 0
    #: the number of an ordered-list item or the label of a definition ("1", "^note")
    label: str | None = None
    #: True when a group boundary (thematic break, 2+ blank lines) comes before this block
    break_before: bool = False
    #: an HTML element id on the block (reference lists link to "#ref-1")
    element_id: str | None = None
    #: the id of the list this item belongs to, so items of one list stay together
    list_id: int | None = None
    #: a heading guessed from plain text (a short line on its own), not marked up as one
    inferred: bool = False

    def locate(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of a text offset."""
        if not self.anchors:
            return self.line, self.column
        index = bisect.bisect_right(self.anchors, (offset, 1 << 30, 1 << 30)) - 1
        if index < 0:
            return self.line, self.column
        anchor_offset, line, column = self.anchors[index]
        return line, column + max(0, offset - anchor_offset)


@dataclass(slots=True)
class Document:
    """A parsed draft: its file name (as given) and its blocks in reading order."""

    file: str
    blocks: list[Block]


# --------------------------------------------------------------------------- plain text

_BULLET_RE = re.compile(r"^(?P<indent>\s*)(?P<marker>[•·▪◦●‣\-*+–]|\d{1,3}[.)])\s+(?=\S)")
_DEFINITION_RE = re.compile(r"^\s{0,3}\[(?P<label>\^?[^\]\s]{1,20})\]:\s*(?P<rest>.*)$")
_LABEL_RE = re.compile(r"^[\w ]{1,30}:\s")
_ENDS_WITH_MARKER_RE = re.compile(r"[.!?\"”]\s?\[\d{1,4}\]$")
_SENTENCE_END = '.!?:;,…"”’)'


def _looks_like_heading(lines: list[str], first_in_doc: bool) -> bool:
    if len(lines) != 1:
        return False
    line = lines[0].strip()
    if not line or len(line) > 90 or _BULLET_RE.match(lines[0]):
        return False
    if _ENDS_WITH_MARKER_RE.search(line):
        # "Rates were 8.5% in 2005.[44]": a cited sentence, not a heading
        return False
    if line[-1] in _SENTENCE_END and not line.endswith("?"):
        return False
    if line.endswith("?"):
        # a one-line question standing alone works as a heading in copied articles
        return len(line.split()) <= 12
    if not (line[0].isupper() or line[0].isdigit() or line[0] in "'\"“‘"):
        return False
    if _LABEL_RE.match(line) or re.sub(r"\([^()]*\)", "", line).count(", ") >= 2:
        # "Source: Title, Outlet, 2014" is a citation line, not a heading
        return False
    return first_in_doc or len(line.split()) <= 12


_FRAMED_HEADING_RE = re.compile(r"^\s*(?P<stars>\*{2,6})\s*(?P<title>\S.*?)\s*\*{2,6}\s*$")
_NAVIGATION_LINE_RE = re.compile(
    r"^\s*(?:see also|main articles?|further information|further reading|for more information)\s*:",
    re.I,
)
_EDIT_LINK_RE = re.compile(r"\s*\[edit\]\s*$", re.I)


def _framed_heading(match: re.Match[str], number: int, pending_break: bool) -> Block:
    title = _EDIT_LINK_RE.sub("", match.group("title"))
    column = match.start("title") + 1
    return Block(
        "heading",
        title,
        number,
        column,
        anchors=[(0, number, column)],
        level=max(1, 7 - len(match.group("stars"))),
        break_before=pending_break,
    )


def parse_text(text: str, file: str) -> Document:
    """Read a plain-text draft into blocks."""
    lines = text.split("\n")
    blocks: list[Block] = []
    paragraph: list[tuple[int, str]] = []
    blank_run = 0
    pending_break = False

    def flush() -> None:
        nonlocal pending_break
        if not paragraph:
            return
        _text_blocks(paragraph, blocks, pending_break, first_in_doc=not blocks)
        pending_break = False
        paragraph.clear()

    for number, line in enumerate(lines, start=1):
        if not line.strip():
            flush()
            blank_run += 1
            continue
        if blank_run >= 2 and blocks:
            pending_break = True
        blank_run = 0
        framed = _FRAMED_HEADING_RE.match(line)
        if framed:
            # text-browser dumps frame headings in asterisks: "***** References[edit] *****"
            flush()
            blocks.append(_framed_heading(framed, number, pending_break))
            pending_break = False
            continue
        if _NAVIGATION_LINE_RE.match(line):
            # "See also: ...", "Main article: ..." in a dump without blank lines: its own block
            flush()
            paragraph.append((number, line))
            flush()
            continue
        if re.fullmatch(r"\s*(?:[-*_=]\s*){3,}", line):
            flush()
            pending_break = True
            continue
        paragraph.append((number, line))
    flush()
    return Document(file=file, blocks=blocks)


def _text_blocks(
    paragraph: list[tuple[int, str]], blocks: list[Block], pending_break: bool, first_in_doc: bool
) -> None:
    """Turn one blank-line-separated paragraph into heading, item or paragraph blocks."""
    raw_lines = [line for _, line in paragraph]
    if (
        len(paragraph) > 1
        and _BULLET_RE.match(raw_lines[1])
        and _looks_like_heading(raw_lines[:1], first_in_doc)
    ):
        # "Symptoms of low zinc" straight above its bullet list is the list's heading
        _text_blocks(paragraph[:1], blocks, pending_break, first_in_doc)
        _text_blocks(paragraph[1:], blocks, False, False)
        return
    if _looks_like_heading(raw_lines, first_in_doc):
        number, line = paragraph[0]
        column = len(line) - len(line.lstrip()) + 1
        stripped = line.strip()
        blocks.append(
            Block(
                "heading",
                stripped,
                number,
                column,
                anchors=[(0, number, column)],
                level=1 if first_in_doc else 2,
                break_before=pending_break,
                inferred=True,
            )
        )
        return
    current: list[tuple[int, str]] = []
    kind = "paragraph"
    label: str | None = None
    list_id = len(blocks)

    def emit() -> None:
        nonlocal pending_break
        if current and any(line.strip() for _, line in current):
            block = _joined_block(kind, current, label)
            block.break_before = pending_break
            block.list_id = list_id if kind == "item" else None
            blocks.append(block)
            pending_break = False

    for number, line in paragraph:
        definition = _DEFINITION_RE.match(line)
        bullet = _BULLET_RE.match(line)
        if definition:
            emit()
            label = definition.group("label")
            kind = "definition"
            column = definition.start("rest") + 1
            current = [(number, " " * (column - 1) + definition.group("rest"))]
        elif bullet:
            emit()
            marker = bullet.group("marker")
            kind = "item"
            label = marker.rstrip(".)") if marker[0].isdigit() else None
            current = [(number, " " * bullet.end() + line[bullet.end() :])]
        else:
            current.append((number, line))
    emit()


def _joined_block(kind: str, lines: list[tuple[int, str]], label: str | None) -> Block:
    parts: list[str] = []
    anchors: list[tuple[int, int, int]] = []
    offset = 0
    for number, line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        column = len(line) - len(line.lstrip()) + 1
        if parts:
            parts.append(" ")
            offset += 1
        anchors.append((offset, number, column))
        parts.append(stripped)
        offset += len(stripped)
    first_line, first_column = (anchors[0][1], anchors[0][2]) if anchors else (lines[0][0], 1)
    return Block(kind, "".join(parts), first_line, first_column, anchors=anchors, label=label)
