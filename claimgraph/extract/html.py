"""Read an HTML draft into blocks, with BeautifulSoup and the html5lib parser.

html5lib parses as browsers do (HTML5): unclosed ``<p>`` and ``<li>`` end where the next
block starts, so paragraphs written one per line without closing tags stay apart.

The tree is walked, never matched with patterns: headings, paragraphs, list items, quotes
and table cells become blocks; scripts, styles, navigation, forms and embedded frames are
skipped. Links keep their targets (``#ref-1`` links to a reference list item resolve to that
item later), ``<sup>1</sup>`` becomes the numbered citation "[1]", and each text run is
found again in the source so that locations carry the right line and column.
"""

from __future__ import annotations

import bisect
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from bs4 import BeautifulSoup, Tag
from bs4.element import Comment, Declaration, Doctype, NavigableString, ProcessingInstruction

from claimgraph.extract.align import align, verbatim_prefix
from claimgraph.extract.text import Block, Document, Link

__all__ = ["parse_html"]

_SKIP = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "math", "nav", "form", "button",
        "select", "option", "textarea", "iframe", "object", "embed", "head", "canvas", "video",
        "audio", "picture", "map", "input", "label", "menu", "dialog",
    }
)  # fmt: skip
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_LEAF_BLOCKS = {
    "p": "paragraph", "li": "item", "td": "cell", "th": "cell", "dd": "paragraph",
    "dt": "paragraph", "figcaption": "paragraph", "caption": "paragraph", "summary": "heading",
    "blockquote": "quote", "pre": "skip", "address": "paragraph",
}  # fmt: skip
_CONTAINERS = frozenset(
    {
        "html", "body", "div", "section", "article", "main", "header", "footer", "aside", "ul",
        "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "figure", "details", "fieldset",
        "center", "hgroup",
    }
)  # fmt: skip
_SUP_NUMBERS = re.compile(r"^\[?\d{1,4}(?:\s*[,–-]\s*\d{1,4})*\]?$")
_SPACE_RE = re.compile(r"\s+")


@dataclass(slots=True)
class _Run:
    """Inline content being collected into one block."""

    parts: list[str] = field(default_factory=list)
    anchors: list[tuple[int, int, int]] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    length: int = 0

    def text(self) -> str:
        return "".join(self.parts)

    def add(
        self,
        piece: str,
        where: tuple[int, int] | None,
        lines: list[tuple[int, int, int]] | None = None,
    ) -> None:
        """Append visible text; ``where`` locates its start, ``lines`` its later lines
        as (offset in ``piece``, line, column)."""
        if not piece:
            return
        # collapse whitespace across pieces
        cut = 0
        if piece[0] == " " and (not self.parts or self.parts[-1].endswith(" ")):
            cut = len(piece) - len(piece.lstrip(" "))
            piece = piece[cut:]
            if not piece:
                return
        if where is not None:
            # ``where`` is where the text itself starts, after any space before it
            lead = len(piece) - len(piece.lstrip(" "))
            self.anchors.append((self.length + lead, where[0], where[1]))
        for offset, line, column in lines or ():
            if offset >= cut:
                self.anchors.append((self.length + offset - cut, line, column))
        self.parts.append(piece)
        self.length += len(piece)


@dataclass(slots=True)
class _Shape:
    """What the block being collected is: its kind and where it sits."""

    kind: str
    level: int = 0
    label: str | None = None
    element_id: str | None = None
    list_id: int | None = None


class _Walker:
    def __init__(self, source: str, file: str) -> None:
        self.source = source
        self.file = file
        self.line_starts = [0]
        for match in re.finditer("\n", source):
            self.line_starts.append(match.end())
        self.blocks: list[Block] = []
        self.pending_break = False
        self.search_from = 0
        self.list_counter = 0
        self.li_numbers: dict[int, int] = {}
        #: source offset of the text node found last (None when it was not found verbatim)
        self.last_found: int | None = None

    # ----------------------------------------------------------------- positions

    def tag_offset(self, tag: Tag) -> int | None:
        line = getattr(tag, "sourceline", None)
        column = getattr(tag, "sourcepos", None)
        if not isinstance(line, int) or not isinstance(column, int) or line < 1:
            return None
        if line - 1 >= len(self.line_starts):
            return None
        return self.line_starts[line - 1] + column

    def line_column(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def find_text(self, text: str, fallback: int | None) -> tuple[int, int] | None:
        stripped = text.strip()
        self.last_found = None
        # the text as it stands, else its start up to a character an entity may stand for
        for probe in dict.fromkeys((stripped[:40], verbatim_prefix(stripped))):
            found = self.source.find(probe, self.search_from) if probe else -1
            if found >= 0 and (fallback is None or found >= fallback):
                self.search_from = found + len(probe)
                self.last_found = found
                return self.line_column(found)
        if fallback is not None:
            return self.line_column(fallback)
        return None

    def line_starts_of(self, raw: str) -> list[tuple[int, int, int]]:
        """(offset in the collapsed text, line, column) wherever a text node and its source
        stop running in step.

        A node that spans lines ("...worldwide.\\n   Women who ...") is anchored after each
        line break, so a sentence that starts on its second line is located there; one with
        entities such as ``&#8217;`` after each of them (:func:`~claimgraph.extract.align.align`).
        """
        if self.last_found is None:
            return []
        shown = _SPACE_RE.sub(" ", raw)
        lead = len(shown) - len(shown.lstrip())
        return [
            (lead + offset, *self.line_column(at))
            for offset, at in align(shown[lead:], self.source, self.last_found)
        ]

    # ----------------------------------------------------------------- walking
    # Every step of the walk is a generator that yields the nested nodes it wants walked;
    # :func:`_drive` runs them on an explicit stack, so the depth of the HTML never meets
    # Python's recursion limit (3,000 nested <div>s are fine) and the order of the blocks is
    # exactly that of a recursive walk.

    def walk(self, node: Tag, list_id: int | None = None) -> Iterator[_Step]:
        name = node.name.lower() if node.name else ""
        if name in _SKIP or _hidden(node):
            return
        if name == "hr":
            self.pending_break = True
            return
        if name in _HEADINGS:
            yield from self.leaf(node, "heading", level=_HEADINGS[name])
            return
        kind = _LEAF_BLOCKS.get(name)
        if kind == "skip":
            return
        if name in {"ul", "ol"}:
            self.list_counter += 1
            list_id = self.list_counter
        if kind is not None and name != "blockquote":
            yield from self.leaf(node, kind, list_id=list_id)
            return
        yield from self.container(node, list_id, quote=name == "blockquote")

    def container(self, node: Tag, list_id: int | None, quote: bool = False) -> Iterator[_Step]:
        run: list[Any] = []
        number = 0
        shape = _Shape("quote" if quote else "paragraph")
        for child in list(node.children):
            if isinstance(child, Tag) and _is_block(child):
                self.flush_run(run, node, shape)
                run = []
                if child.name and child.name.lower() == "li" and node.name == "ol":
                    number += 1
                    self.li_numbers[id(child)] = _li_number(node, child, number)
                yield self.walk(child, list_id)
            else:
                run.append(child)
        self.flush_run(run, node, shape)

    def leaf(
        self, node: Tag, kind: str, level: int = 0, list_id: int | None = None
    ) -> Iterator[_Step]:
        """A block element: its inline content is one block; nested blocks are walked."""
        run: list[Any] = []
        number = self.li_numbers.get(id(node)) if kind == "item" else None
        element_id = node.get("id")
        shape = _Shape(
            kind,
            level=level,
            label=str(number) if number is not None else None,
            element_id=element_id if isinstance(element_id, str) else None,
            list_id=list_id if kind == "item" else None,
        )
        for child in list(node.children):
            if isinstance(child, Tag) and _is_block(child) and child.name != "p":
                if self.flush_run(run, node, shape):
                    shape.label = None  # the number belongs to the item's first block
                run = []
                yield self.walk(child, list_id)
            elif isinstance(child, Tag) and child.name == "p" and kind != "paragraph":
                # <li><p>text</p></li>: the paragraph's content belongs to the item
                run.extend(list(child.children))
                run.append(" ")
            else:
                run.append(child)
        self.flush_run(run, node, shape)

    def flush_run(self, nodes: list[Any], parent: Tag, shape: _Shape) -> bool:
        run = _Run()
        fallback = self.tag_offset(parent)
        for node in nodes:
            _drive(self.inline(node, run, fallback, in_sup=False))
        raw = run.text()
        text = raw.strip()
        if not text:
            return False
        lead = len(raw) - len(raw.lstrip())
        anchors = [
            (max(0, o - lead), line, column + max(0, lead - o)) for o, line, column in run.anchors
        ]
        links = [
            Link(max(0, link.start - lead), max(0, link.end - lead), link.href, link.text)
            for link in run.links
        ]
        if not anchors:
            where = self.line_column(fallback) if fallback is not None else (1, 1)
            anchors = [(0, where[0], where[1])]
        block = Block(
            shape.kind,
            text,
            anchors[0][1],
            anchors[0][2],
            anchors=anchors,
            links=links,
            level=shape.level,
            label=shape.label,
            break_before=self.pending_break,
            element_id=shape.element_id,
            list_id=shape.list_id,
        )
        self.pending_break = False
        self.blocks.append(block)
        return True

    def inline(self, node: Any, run: _Run, fallback: int | None, in_sup: bool) -> Iterator[_Step]:
        if isinstance(node, str) and not isinstance(node, NavigableString):
            run.add(node, None)
            return
        if isinstance(node, Comment | Declaration | Doctype | ProcessingInstruction):
            return
        if isinstance(node, NavigableString):
            self.text_node(node, run, fallback, in_sup)
            return
        if not isinstance(node, Tag):
            return
        name = node.name.lower() if node.name else ""
        if name in _SKIP or _hidden(node) or name == "img":
            return
        if name == "br":
            run.add(" ", None)
            return
        offset = self.tag_offset(node)
        if offset is not None:
            fallback = offset
        if name == "a":
            href = node.get("href")
            start = run.length
            for child in list(node.children):
                yield self.inline(child, run, fallback, in_sup)
            if isinstance(href, str) and href.strip():
                run.links.append(Link(start, run.length, href.strip(), run.text()[start:]))
            return
        sup = in_sup or name == "sup"
        for child in list(node.children):
            yield self.inline(child, run, fallback, sup)
        if name in _LEAF_BLOCKS or name in _CONTAINERS:
            run.add(" ", None)

    def text_node(
        self, node: NavigableString, run: _Run, fallback: int | None, in_sup: bool
    ) -> None:
        text = _SPACE_RE.sub(" ", str(node))
        if not text.strip():
            run.add(" " if text else "", None)
            return
        where = self.find_text(str(node), fallback)
        # "[22]:10" is note 22, page 10: a number after ":" is a page, not a note
        page = bool(run.parts) and run.parts[-1].rstrip().endswith(":")
        if in_sup and _SUP_NUMBERS.match(text.strip()) and not page:
            number = text.strip().strip("[]")
            run.add(f"[{number}]", where)
        else:
            run.add(text, where, self.line_starts_of(str(node)))


#: a walk step: a generator that yields the nested steps it wants run, in order
_Step = Iterator[Any]


def _drive(step: _Step) -> None:
    """Run a walk step and every step it yields, depth first, without recursion."""
    stack = [step]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        else:
            stack.append(child)


_BLOCK_TAGS = frozenset(set(_HEADINGS) | set(_LEAF_BLOCKS) | set(_CONTAINERS) | {"hr"})


def _is_block(tag: Tag) -> bool:
    name = tag.name.lower() if tag.name else ""
    return name in _BLOCK_TAGS or name in _SKIP


def _hidden(tag: Tag) -> bool:
    if tag.has_attr("hidden"):
        return True
    if str(tag.get("aria-hidden", "")).lower() == "true":
        return True
    style = str(tag.get("style", "")).replace(" ", "").lower()
    return "display:none" in style


def _li_number(ol: Tag, li: Tag, position: int) -> int:
    value = li.get("value")
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    start = ol.get("start")
    base = int(start) if isinstance(start, str) and start.strip().isdigit() else 1
    return base + position - 1


def _blank_front_matter(text: str) -> str:
    """Blank a leading YAML front matter block (``---`` ... ``---``), keeping line numbers."""
    if not text.startswith("---\n"):
        return text
    lines = text.split("\n")
    for index in range(1, min(len(lines), 200)):
        if lines[index].strip() in {"---", "..."}:
            return "\n" * index + "\n" + "\n".join(lines[index + 1 :])
    return text


def parse_html(text: str, file: str) -> Document:
    """Parse HTML ``text`` (already decoded) into a :class:`Document`, as browsers do."""
    text = _blank_front_matter(text)
    with warnings.catch_warnings():
        # bs4 warns about input that looks like a file name or a URL; a draft is neither
        warnings.simplefilter("ignore")
        soup = BeautifulSoup(text, "html5lib")
    walker = _Walker(text, file)
    root: Tag = soup.body if isinstance(soup.body, Tag) else soup
    _drive(walker.container(root, None))
    return Document(file=file, blocks=walker.blocks)
