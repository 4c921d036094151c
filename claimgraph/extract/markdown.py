"""Read a Markdown draft into blocks, with markdown-it-py (the one module importing it).

Block structure and line numbers come from markdown-it tokens (``token.map``); the visible
text of each block is rebuilt from the inline children, and every text run is found again
in the raw source so columns point at the right place. Link reference definitions
(``[1]: https://...``) and footnote definitions (``[^1]: Smith J. ...``) become
``definition`` blocks, whether markdown-it consumed them or left them as paragraph text.
YAML front matter is blanked (keeping line numbers) before parsing.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from claimgraph.extract.align import align, verbatim_prefix
from claimgraph.extract.text import Block, Document, Link

__all__ = ["parse_markdown"]

_DEFINITION_RE = re.compile(r"^\s{0,3}\[(?P<label>\^?[^\]\s]{1,40})\]:\s*(?P<rest>.*)$")
_CITATION_LINK_TEXT = re.compile(r"^(?:\^[\w-]{1,20}|\d{1,4}(?:\s*[,–-]\s*\d{1,4})*)$")
_BROKEN_HEADING_RE = re.compile(r"^(#{1,6})(?=[A-Za-z])")
_HREF_RE = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.I)
_SUP_NUMBERS = re.compile(r"^\d{1,4}(?:\s*[,–-]\s*\d{1,4})*$")


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")


def _space_broken_headings(lines: list[str]) -> None:
    """ "##Heading" (no space, so not a heading in CommonMark) is read as the heading it is."""
    for index, line in enumerate(lines):
        if line.startswith("#") and (match := _BROKEN_HEADING_RE.match(line)):
            lines[index] = f"{match.group(1)} {line[match.end(1) :]}"


def _blank_front_matter(lines: list[str]) -> None:
    """Blank a leading YAML front matter block in place (line numbers stay the same)."""
    if not lines or lines[0].strip() != "---":
        return
    for index in range(1, min(len(lines), 200)):
        if lines[index].strip() in {"---", "..."}:
            for blank in range(index + 1):
                lines[blank] = ""
            return


@dataclass(slots=True)
class _Context:
    kind: str = "paragraph"
    level: int = 0
    label: str | None = None
    list_id: int | None = None
    item_paragraphs: int = 0
    stack: list[str] = field(default_factory=list)
    list_stack: list[int] = field(default_factory=list)


def parse_markdown(text: str, file: str) -> Document:
    """Parse Markdown ``text`` (already decoded) into a :class:`Document`."""
    lines = text.split("\n")
    _blank_front_matter(lines)
    _space_broken_headings(lines)
    source = "\n".join(lines)
    reader = _BlockReader(lines)
    for token in _parser().parse(source):
        reader.read(token)
    blocks = reader.blocks
    blocks.extend(_consumed_definitions(lines, reader.covered))
    blocks.sort(key=lambda block: (block.line, block.column))
    return Document(file=file, blocks=blocks)


#: token types that open and close a container: (kind pushed on the stack, opening?)
_CONTAINER_TOKENS = {
    "list_item_open": ("item", True),
    "list_item_close": ("item", False),
    "blockquote_open": ("quote", True),
    "blockquote_close": ("quote", False),
    "th_open": ("cell", True),
    "td_open": ("cell", True),
    "th_close": ("cell", False),
    "td_close": ("cell", False),
}


@dataclass(slots=True)
class _BlockReader:
    """Turns markdown-it's token stream into blocks, keeping track of containers."""

    lines: list[str]
    blocks: list[Block] = field(default_factory=list)
    covered: set[int] = field(default_factory=set)
    ctx: _Context = field(default_factory=_Context)
    pending_break: bool = False
    last_end: int = 0
    list_counter: int = 0

    def read(self, token: Token) -> None:
        if token.map is not None:
            self.covered.update(range(token.map[0], token.map[1]))
        ttype = token.type
        if ttype == "inline":
            self.inline(token)
        elif ttype in _CONTAINER_TOKENS:
            self.container(token, *_CONTAINER_TOKENS[ttype])
        elif ttype == "hr":
            self.pending_break = True
        elif ttype in {"code_block", "fence", "html_block"}:
            if token.map:
                self.last_end = token.map[1]
        elif ttype == "heading_open":
            self.ctx.kind, self.ctx.level = "heading", int(token.tag[1:])
        elif ttype in {"bullet_list_open", "ordered_list_open"}:
            self.list_counter += 1
            self.ctx.list_stack.append(self.list_counter)
        elif ttype in {"bullet_list_close", "ordered_list_close"} and self.ctx.list_stack:
            self.ctx.list_stack.pop()

    def container(self, token: Token, kind: str, opening: bool) -> None:
        ctx = self.ctx
        if opening:
            ctx.stack.append(kind)
            if kind == "item":
                ctx.label = token.info or None
                ctx.item_paragraphs = 0
            return
        if ctx.stack:
            ctx.stack.pop()
        if kind == "item":
            ctx.label = None

    def inline(self, token: Token) -> None:
        ctx = self.ctx
        start = token.map[0] if token.map else self.last_end
        if _blank_run(self.lines, self.last_end, start) >= 2 and self.blocks:
            self.pending_break = True
        for block in _inline_blocks(token, self.lines, ctx):
            block.break_before = self.pending_break
            self.pending_break = False
            self.blocks.append(block)
        if token.map:
            self.last_end = token.map[1]
        if ctx.kind == "heading":
            ctx.kind, ctx.level = "paragraph", 0
        elif ctx.stack and ctx.stack[-1] == "item":
            ctx.item_paragraphs += 1


def _blank_run(lines: list[str], start: int, end: int) -> int:
    """The longest run of blank lines in lines[start:end]."""
    best = run = 0
    for index in range(max(0, start), min(end, len(lines))):
        if lines[index].strip():
            run = 0
        else:
            run += 1
            best = max(best, run)
    return best


def _inline_blocks(token: Token, lines: list[str], ctx: _Context) -> list[Block]:
    content = token.content
    map_start = token.map[0] if token.map else 0
    positions = _content_positions(content, lines, map_start)
    first_line = content.split("\n", 1)[0]
    if ctx.kind != "heading" and _DEFINITION_RE.match(first_line):
        return _definition_blocks(content, positions)
    raw_text, raw_anchors, raw_links = _inline_text(token, content, positions)
    text = raw_text.strip()
    if not text:
        return []
    lead = len(raw_text) - len(raw_text.lstrip())
    anchors = [
        (max(0, offset - lead), line, column + max(0, lead - offset))
        for offset, line, column in raw_anchors
    ]
    links = [
        Link(max(0, link.start - lead), max(0, link.end - lead), link.href, link.text)
        for link in raw_links
    ]
    container = ctx.stack[-1] if ctx.stack else None
    if ctx.kind == "heading":
        kind = "heading"
    elif container == "item":
        kind = "item"
    elif container in {"quote", "cell"}:
        kind = container
    else:
        kind = "paragraph"
    line, column = anchors[0][1:] if anchors else (map_start + 1, 1)
    label = ctx.label if kind == "item" and ctx.item_paragraphs == 0 else None
    block = Block(
        kind,
        text,
        line,
        column,
        anchors=anchors,
        links=links,
        level=ctx.level if kind == "heading" else 0,
        label=label,
        list_id=ctx.list_stack[-1] if kind == "item" and ctx.list_stack else None,
    )
    return [block]


def _content_positions(
    content: str, lines: list[str], map_start: int
) -> list[tuple[int, int, int]]:
    """(content offset, line, column) of the start of each content line."""
    positions: list[tuple[int, int, int]] = []
    offset = 0
    for index, part in enumerate(content.split("\n")):
        line_index = map_start + index
        source = lines[line_index] if 0 <= line_index < len(lines) else ""
        stripped = part.strip()
        found = source.find(stripped) if stripped else -1
        column = found + 1 if found >= 0 else 1
        # where the content line itself starts (it may keep leading spaces)
        column -= len(part) - len(part.lstrip())
        positions.append((offset, line_index + 1, max(1, column)))
        offset += len(part) + 1
    return positions


def _position(positions: list[tuple[int, int, int]], offset: int) -> tuple[int, int]:
    line, column, base = positions[0][1], positions[0][2], 0
    for start, pline, pcolumn in positions:
        if start > offset:
            break
        line, column, base = pline, pcolumn, start
    return line, column + (offset - base)


def _inline_text(
    token: Token, content: str, positions: list[tuple[int, int, int]]
) -> tuple[str, list[tuple[int, int, int]], list[Link]]:
    """Visible text of an inline token, its (offset, line, column) anchors and its links."""
    reader = _InlineReader(content, positions, token.children or [])
    for position, child in enumerate(reader.children):
        handler = _INLINE_HANDLERS.get(child.type)
        if handler is not None:
            handler(reader, child, position)
    return "".join(reader.parts), reader.anchors, reader.links


@dataclass(slots=True)
class _InlineReader:
    """The state of one inline token's text as it is rebuilt."""

    content: str
    positions: list[tuple[int, int, int]]
    children: list[Token]
    parts: list[str] = field(default_factory=list)
    anchors: list[tuple[int, int, int]] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    length: int = 0
    cursor: int = 0
    in_sup: bool = False
    #: open links: (text offset, href, written as "[n]", link text)
    link_stack: list[tuple[int, str, bool, str]] = field(default_factory=list)

    def emit(self, piece: str, found_at: int | None) -> None:
        if not piece:
            return
        if found_at is not None:
            line, column = _position(self.positions, found_at)
            self.anchors.append((self.length, line, column))
        self.parts.append(piece)
        self.length += len(piece)

    def find(self, piece: str) -> int | None:
        index = self.content.find(piece, self.cursor) if piece else -1
        if index < 0:
            return None
        self.cursor = index + len(piece)
        return index

    def text(self, child: Token, position: int) -> None:
        piece = child.content
        at = self.find(piece)
        if self.in_sup and _SUP_NUMBERS.match(piece.strip()):
            self.emit("[", at)
            self.emit(piece.strip(), None)
            self.emit("]", None)
        elif at is None:
            self.emit_aligned(piece)
        else:
            self.emit(piece, at)

    def emit_aligned(self, piece: str) -> None:
        """Text not written verbatim (``\\[AHA\\]``, ``&amp;``): anchored wherever it and
        the source stop running in step, so later sentences keep their columns."""
        prefix = verbatim_prefix(piece)
        start = self.content.find(prefix, self.cursor) if prefix else self.cursor
        if start < 0:
            self.emit(piece, None)
            return
        base = self.length
        self.emit(piece, None)
        for shown, raw in align(piece, self.content, start):
            line, column = _position(self.positions, raw)
            self.anchors.append((base + shown, line, column))
            self.cursor = raw + len(piece) - shown  # the end, if the rest runs in step

    def line_break(self, child: Token, position: int) -> None:
        newline = self.content.find("\n", self.cursor)
        if newline >= 0:
            self.cursor = newline + 1
        self.emit(" ", None)

    def link_open(self, child: Token, position: int) -> None:
        href = str(child.attrs.get("href") or "")
        link_text = _link_text(self.children, position).strip()
        bracket = bool(_CITATION_LINK_TEXT.match(link_text)) and not (
            self.parts and self.parts[-1].endswith("[")
        )
        if bracket:
            # a numbered or footnote reference written as a link: keep it as "[1]"
            self.emit("[", None)
        start = self.length - 1 if bracket else self.length
        self.link_stack.append((start, href, bracket, link_text))

    def link_close(self, child: Token, position: int) -> None:
        if self.link_stack:
            start, href, bracket, link_text = self.link_stack.pop()
            if bracket:
                self.emit("]", None)
                link_text = f"[{link_text}]"
            self.links.append(Link(start, self.length, href, link_text))

    def html_inline(self, child: Token, position: int) -> None:
        tag = child.content.strip().lower()
        if tag.startswith("<sup"):
            self.in_sup = True
        elif tag.startswith("</sup"):
            self.in_sup = False
        elif tag.startswith("<br"):
            self.emit(" ", None)
        elif tag.startswith("<a ") or tag == "<a>":
            # raw HTML links inside Markdown are links too
            href = _HREF_RE.search(child.content)
            self.link_stack.append((self.length, href.group(1) if href else "", False, ""))
        elif tag.startswith("</a") and self.link_stack:
            start, href_text, _, _ = self.link_stack.pop()
            if href_text:
                text = "".join(self.parts)[start:]
                self.links.append(Link(start, self.length, html.unescape(href_text), text))
        self.find(child.content)

    def image(self, child: Token, position: int) -> None:
        self.find(child.content)


_INLINE_HANDLERS = {
    "text": _InlineReader.text,
    "code_inline": _InlineReader.text,
    "softbreak": _InlineReader.line_break,
    "hardbreak": _InlineReader.line_break,
    "link_open": _InlineReader.link_open,
    "link_close": _InlineReader.link_close,
    "html_inline": _InlineReader.html_inline,
    "image": _InlineReader.image,
}


def _link_text(children: list[Token], open_index: int) -> str:
    depth = 0
    pieces: list[str] = []
    for child in children[open_index + 1 :]:
        if child.type == "link_open":
            depth += 1
        elif child.type == "link_close":
            if depth == 0:
                break
            depth -= 1
        elif child.type in {"text", "code_inline"}:
            pieces.append(child.content)
    return "".join(pieces)


def _definition_blocks(content: str, positions: list[tuple[int, int, int]]) -> list[Block]:
    """Split paragraph text made of ``[label]: ...`` lines into one block per definition."""
    blocks: list[Block] = []
    offset = 0
    current: Block | None = None
    for part in content.split("\n"):
        match = _DEFINITION_RE.match(part)
        line, column = _position(positions, offset)
        if match:
            rest_column = column + match.start("rest")
            current = Block(
                "definition",
                match.group("rest").strip(),
                line,
                rest_column,
                anchors=[(0, line, rest_column)],
                label=match.group("label"),
            )
            blocks.append(current)
        elif current is not None and part.strip():
            stripped = part.strip()
            lead = len(part) - len(part.lstrip())
            if not current.text:
                current.anchors = [(0, line, column + lead)]
                current.line, current.column = line, column + lead
                current.text = stripped
            else:
                current.anchors.append((len(current.text) + 1, line, column + lead))
                current.text = f"{current.text} {stripped}"
        offset += len(part) + 1
    return [block for block in blocks if block.text]


def _consumed_definitions(lines: list[str], covered: set[int]) -> list[Block]:
    """Definitions markdown-it consumed as link reference definitions (no token of their own)."""
    blocks: list[Block] = []
    for index, line in enumerate(lines):
        if index in covered:
            continue
        match = _DEFINITION_RE.match(line)
        if match is None:
            continue
        column = match.start("rest") + 1
        if not match.group("rest").strip():
            continue
        blocks.append(
            Block(
                "definition",
                match.group("rest").strip(),
                index + 1,
                column,
                anchors=[(0, index + 1, column)],
                label=match.group("label"),
            )
        )
    return blocks
