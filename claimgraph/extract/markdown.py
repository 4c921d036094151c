"""Read a Markdown draft into blocks, with markdown-it-py (the one module importing it).

Block structure and line numbers come from markdown-it tokens (``token.map``); the visible
text of each block is rebuilt from the inline children, and every text run is found again
in the raw source so columns point at the right place. Link reference definitions
(``[1]: https://...``) and footnote definitions (``[^1]: Smith J. ...``) become
``definition`` blocks, whether markdown-it consumed them or left them as paragraph text.
YAML front matter is blanked (keeping line numbers) before parsing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from claimgraph.extract.text import Block, Document, Link

__all__ = ["parse_markdown"]

_DEFINITION_RE = re.compile(r"^\s{0,3}\[(?P<label>\^?[^\]\s]{1,40})\]:\s*(?P<rest>.*)$")
_CITATION_LINK_TEXT = re.compile(r"^(?:\^[\w-]{1,20}|\d{1,4}(?:\s*[,–-]\s*\d{1,4})*)$")
_SUP_NUMBERS = re.compile(r"^\d{1,4}(?:\s*[,–-]\s*\d{1,4})*$")


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")


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
    source = "\n".join(lines)
    tokens = _parser().parse(source)
    blocks: list[Block] = []
    covered: set[int] = set()
    ctx = _Context()
    pending_break = False
    last_end = 0
    list_counter = 0
    for token in tokens:
        if token.map is not None:
            covered.update(range(token.map[0], token.map[1]))
        ttype = token.type
        if ttype == "hr":
            pending_break = True
        elif ttype in {"code_block", "fence", "html_block"}:
            if token.map:
                last_end = token.map[1]
        elif ttype == "heading_open":
            ctx.kind, ctx.level = "heading", int(token.tag[1:])
        elif ttype in {"bullet_list_open", "ordered_list_open"}:
            list_counter += 1
            ctx.list_stack.append(list_counter)
        elif ttype in {"bullet_list_close", "ordered_list_close"}:
            if ctx.list_stack:
                ctx.list_stack.pop()
        elif ttype == "list_item_open":
            ctx.stack.append("item")
            ctx.label = token.info or None
            ctx.item_paragraphs = 0
        elif ttype == "list_item_close":
            if ctx.stack:
                ctx.stack.pop()
            ctx.label = None
        elif ttype == "blockquote_open":
            ctx.stack.append("quote")
        elif ttype == "blockquote_close":
            if ctx.stack:
                ctx.stack.pop()
        elif ttype in {"th_open", "td_open"}:
            ctx.stack.append("cell")
        elif ttype in {"th_close", "td_close"}:
            if ctx.stack:
                ctx.stack.pop()
        elif ttype == "inline":
            start = token.map[0] if token.map else last_end
            if _blank_run(lines, last_end, start) >= 2 and blocks:
                pending_break = True
            new_blocks = _inline_blocks(token, lines, ctx)
            for block in new_blocks:
                block.break_before = pending_break
                pending_break = False
                blocks.append(block)
            if token.map:
                last_end = token.map[1]
            if ctx.kind == "heading":
                ctx.kind, ctx.level = "paragraph", 0
            elif ctx.stack and ctx.stack[-1] == "item":
                ctx.item_paragraphs += 1
    blocks.extend(_consumed_definitions(lines, covered))
    blocks.sort(key=lambda block: (block.line, block.column))
    return Document(file=file, blocks=blocks)


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
    parts: list[str] = []
    anchors: list[tuple[int, int, int]] = []
    links: list[Link] = []
    length = 0
    cursor = 0
    in_sup = False
    link_stack: list[tuple[int, str, bool, str]] = []
    children = token.children or []

    def emit(piece: str, found_at: int | None) -> None:
        nonlocal length
        if not piece:
            return
        if found_at is not None:
            line, column = _position(positions, found_at)
            anchors.append((length, line, column))
        parts.append(piece)
        length += len(piece)

    def find(piece: str) -> int | None:
        nonlocal cursor
        index = content.find(piece, cursor) if piece else -1
        if index < 0:
            return None
        cursor = index + len(piece)
        return index

    for position, child in enumerate(children):
        ctype = child.type
        if ctype in {"text", "code_inline"}:
            piece = child.content
            at = find(piece)
            if in_sup and _SUP_NUMBERS.match(piece.strip()):
                emit("[", at)
                emit(piece.strip(), None)
                emit("]", None)
            else:
                emit(piece, at)
        elif ctype in {"softbreak", "hardbreak"}:
            newline = content.find("\n", cursor)
            if newline >= 0:
                cursor = newline + 1
            emit(" ", None)
        elif ctype == "link_open":
            href = str(child.attrs.get("href") or "")
            link_text = _link_text(children, position).strip()
            bracket = bool(_CITATION_LINK_TEXT.match(link_text)) and not (
                parts and parts[-1].endswith("[")
            )
            if bracket:
                # a numbered or footnote reference written as a link: keep it as "[1]"
                emit("[", None)
            link_stack.append((length - 1 if bracket else length, href, bracket, link_text))
        elif ctype == "link_close":
            if link_stack:
                start, href, bracket, link_text = link_stack.pop()
                if bracket:
                    emit("]", None)
                    link_text = f"[{link_text}]"
                links.append(Link(start, length, href, link_text))
        elif ctype == "html_inline":
            tag = child.content.strip().lower()
            if tag.startswith("<sup"):
                in_sup = True
            elif tag.startswith("</sup"):
                in_sup = False
            elif tag.startswith("<br"):
                emit(" ", None)
            find(child.content)
        elif ctype == "image":
            find(child.content)
    text = "".join(parts)
    return text, anchors, links


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
