"""Reference lists of a draft: where the references are and what each one says.

:func:`find_references` finds reference lists under a "References" / "Sources" /
"Bibliography" / "Notes" heading (numbered or not), Markdown footnote and link definitions
(``[^1]: ...``, ``[1]: ...``), HTML list items that in-page links point at (``<li
id="ref-1">``), a list at the end of the page whose items all read as references (the n-th
unnumbered item is note n), and the loose source blocks health sites write ("Source: <title>,
<outlet>, <year>", "Authors: ... Published: ..."). Each becomes a :class:`ReferenceEntry` with
its parsed fields; :class:`ReferenceIndex` looks them up by label, element id or author-year.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from claimgraph.extract.text import Block, Document
from claimgraph.references import ParsedReference, parse_reference

__all__ = [
    "ReferenceEntry",
    "ReferenceIndex",
    "find_references",
    "fold",
    "is_reference_heading",
    "looks_like_reference",
    "source_block_text",
]


_REFERENCE_HEADING_RE = re.compile(
    r"^\s*(?:\d+\.?\s*)?(?:references?|sources?(?:\s+(?:and|&)\s+further\s+reading)?|"
    r"bibliography|works\s+cited|literature(?:\s+cited)?|citations?|cited\s+works|"
    r"(?:end)?notes|footnotes|further\s+reading|reading\s+list|studies\s+cited|"
    r"research\s+cited|resources\s+and\s+references|key\s+references|selected\s+references|"
    r"further\s+information|more\s+information|useful\s+(?:links|resources)|resources)"
    r"\s*:?\s*$",
    re.I,
)
#: a block that is a source and nothing else: "Source: ...", "Authors: ... Published: ..."
_SOURCE_LABEL_RE = re.compile(
    r"^\s*[\(\[]?\s*(?P<label>sources?|references?|citations?|cited\s+from|study|"
    r"original\s+(?:study|research|article)|research|authors?|published(?:\s+in)?|via|"
    r"credits?|data\s+(?:from|source)|adapted\s+from|based\s+on)\s*[:\-–—]\s*",
    re.I,
)
#: a sentence that sends the reader somewhere else; it ends a source block
_NAVIGATION_TAIL_RE = re.compile(
    r"\b(?:you can (?:read|find|see|view)|read (?:the )?(?:full|more|article)|click here|"
    r"view (?:the )?(?:full|article|study)|full (?:text|article) (?:here|available)|"
    r"learn more)\b",
    re.I,
)
#: page furniture that can follow a reference list: not references
_NOT_A_REFERENCE_RE = re.compile(
    r"©|\bcopyright\b|all rights reserved|privacy policy|terms of (?:use|service)|\bcookies?\b|"
    r"\bsubscribe\b|\bnewsletter\b|back to top|share this|sign up|follow us|more health news",
    re.I,
)
_NUMBERED_ENTRY_RE = re.compile(
    r"^\s*(?:\[(?P<a>\d{1,4})\]|(?P<b>\d{1,4})[.)]|\^(?P<c>\d{1,4}))\s+"
)
_BACKLINKS_RE = re.compile(r"^\s*\^(?:\s*[a-z]\b)*\s*")
_YEAR_RE = re.compile(r"\b(?:1[89]\d\d|20\d\d)[a-z]?\b")
_FIRST_WORD_RE = re.compile(r"\W*(\w+)")
_ONE_WORD_RE = re.compile(r"\w+")


def is_reference_heading(text: str) -> bool:
    """True for "References", "Sources:", "Bibliography", "Notes" and the like."""
    return bool(_REFERENCE_HEADING_RE.match(text))


def fold(text: str) -> str:
    """Lower-case ASCII form used to compare surnames and titles."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


@dataclass(slots=True)
class ReferenceEntry:
    """One reference the draft lists or states, with where it is written."""

    #: unique within the document: "num:3", "fn:^2", "def:smith", "id:ref-1", "block:12:1"
    key: str
    text: str
    line: int
    column: int
    #: numbers and labels citations may use to point at it ("3", "^2", "smith")
    labels: list[str] = field(default_factory=list)
    element_id: str | None = None
    #: index of the block it comes from
    block_index: int = -1
    #: a loose "Source: ..." block in the running text (not a reference list)
    standalone: bool = False
    _parsed: ParsedReference | None = field(default=None, repr=False, compare=False)

    @property
    def parsed(self) -> ParsedReference:
        """The fields of :attr:`text`, parsed when first asked for: finding the reference
        list needs the entries' labels only, so a draft's sentences go to the workers
        without waiting for its (long) list to be parsed (:mod:`.workers`)."""
        if self._parsed is None:
            self._parsed = parse_reference(self.text)
        return self._parsed

    @property
    def first_author_key(self) -> str | None:
        if not self.parsed.authors:
            return None
        surname = re.split(r"[\s,]", self.parsed.authors[0].strip())[0]
        return fold(surname) or None


@dataclass(slots=True)
class _EntryIndex:
    size: int
    labels: dict[str, ReferenceEntry] = field(default_factory=dict)
    ids: dict[str, ReferenceEntry] = field(default_factory=dict)
    author_year: dict[tuple[str, str], list[ReferenceEntry]] = field(default_factory=dict)
    #: year -> (folded text, entry), for "Smith (2019)" against differently spelled lists
    years: dict[str, list[tuple[str, ReferenceEntry]]] = field(default_factory=dict)
    #: (year, first word of the folded text) -> the first such entry: the same search for a
    #: one-word name without a pass over the year's entries (a long list, many citations)
    year_first_word: dict[tuple[str, str], ReferenceEntry] = field(default_factory=dict)


@dataclass(slots=True)
class ReferenceIndex:
    """All references of one document, and the blocks that hold them."""

    entries: list[ReferenceEntry] = field(default_factory=list)
    #: indexes of blocks that are reference-list content or headings (not prose)
    reference_blocks: set[int] = field(default_factory=set)
    #: block index -> entries of a standalone source block at that index
    standalone: dict[int, list[ReferenceEntry]] = field(default_factory=dict)
    has_list: bool = False
    #: the list's numbers were given by position (unnumbered items), not written by the author
    numbered_by_position: bool = False
    _cache: _EntryIndex | None = field(default=None, repr=False)

    def _lookup(self) -> _EntryIndex:
        """Label, element-id, author-year and year lookups, rebuilt when entries change."""
        if self._cache is None or self._cache.size != len(self.entries):
            lookup = _EntryIndex(len(self.entries))
            for entry in self.entries:
                for label in entry.labels:
                    lookup.labels.setdefault(label, entry)
                if entry.element_id:
                    lookup.ids.setdefault(entry.element_id, entry)
                if entry.standalone or entry.parsed.year is None:
                    continue
                year = str(entry.parsed.year)
                folded = fold(entry.text)
                lookup.years.setdefault(year, []).append((folded, entry))
                first = _FIRST_WORD_RE.match(folded)
                if first:
                    lookup.year_first_word.setdefault((year, first.group(1)), entry)
                key = entry.first_author_key
                if key:
                    lookup.author_year.setdefault((key, year), []).append(entry)
            self._cache = lookup
        return self._cache

    def by_label(self, label: str) -> ReferenceEntry | None:
        return self._lookup().labels.get(label)

    def by_element_id(self, element_id: str) -> ReferenceEntry | None:
        return self._lookup().ids.get(element_id)

    def by_venue_year(self, venue: str, year: str) -> ReferenceEntry | None:
        """The one entry of that year whose journal (or text) names ``venue``."""
        folded = fold(venue)
        matches = [
            entry
            for _, entry in self._lookup().years.get(year, [])
            if fold(entry.parsed.journal or "").startswith(folded)
            or re.search(rf"\b{re.escape(folded)}\b", fold(entry.text))
        ]
        return matches[0] if len(matches) == 1 else None

    def by_author_year(
        self, surname: str, year: str, second: str | None = None
    ) -> ReferenceEntry | None:
        folded = fold(surname)
        lookup = self._lookup()
        matches = list(lookup.author_year.get((folded, year[:4]), []))
        if len(matches) > 1 and len(year) == 5:
            # "2019a" / "2019b": the letter is the order in the list
            position = ord(year[4]) - ord("a")
            lettered = [e for e in matches if re.search(rf"\b{year}\b", e.text)]
            if lettered:
                return lettered[0]
            if 0 <= position < len(matches):
                return matches[position]
        if len(matches) > 1 and second:
            second_folded = fold(second)
            for entry in matches:
                if any(fold(a).startswith(second_folded) for a in entry.parsed.authors[1:]):
                    return entry
        if matches:
            return matches[0]
        # "Smith (2019)" with a reference list that spells authors differently: the first
        # entry of the year whose folded text starts with the name (after non-word
        # characters); for a name of one word, the entry whose first word it is
        if _ONE_WORD_RE.fullmatch(folded):
            return lookup.year_first_word.get((year[:4], folded))
        start = re.compile(rf"\W*{re.escape(folded)}\b")
        for text, entry in lookup.years.get(year[:4], []):
            if start.match(text):
                return entry
        return None


def source_block_text(text: str) -> str | None:
    """The reference text of a standalone source block, or None if ``text`` is not one."""
    match = _SOURCE_LABEL_RE.match(text)
    if match is None:
        return None
    label = match.group("label").lower()
    rest = text[match.end() :].strip()
    if not rest:
        return None
    if label.startswith(("study", "research", "original", "data", "adapted", "based")):
        # "Research: <reference>" is a source only when it reads like one
        parsed = parse_reference(rest)
        if not (parsed.looks_scholarly or parsed.outlet_kind or parsed.url):
            return None
    navigation = _NAVIGATION_TAIL_RE.search(rest)
    if navigation and navigation.start() > 0:
        rest = rest[: navigation.start()].rstrip()
    text_out = text[: match.end()].strip(" ([") + " " + rest if label.startswith("auth") else rest
    return text_out.strip().rstrip(")]").strip() or None


def _split_lines(block: Block) -> list[tuple[str, int, int]]:
    """Split a block at its source line starts: (text, line, column) per line."""
    pieces: list[tuple[str, int, int]] = []
    starts = [(0, block.line, block.column)]
    last_line = block.line
    for offset, line, column in block.anchors:
        if line != last_line and offset > 0:
            starts.append((offset, line, column))
            last_line = line
    for index, (offset, line, column) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(block.text)
        piece = block.text[offset:end].strip()
        if piece:
            pieces.append((piece, line, column))
    return pieces


def _entry_pieces(block: Block) -> list[tuple[str, int, int]]:
    """A reference-list block as one entry, or one entry per line when each line is one."""
    lines = _split_lines(block)
    if block.kind == "item" and all(column > block.column - 2 for _, _, column in lines[1:]):
        # lines indented under the item continue its entry (hard-wrapped text)
        return [(block.text, block.line, block.column)]
    if len(lines) >= 2 and sum(1 for text, _, _ in lines if _YEAR_RE.search(text)) >= 2:
        return lines
    return [(block.text, block.line, block.column)]


def find_references(document: Document) -> ReferenceIndex:
    """Every reference list entry, definition and standalone source block of a document."""
    index = ReferenceIndex()
    in_list_level: int | None = None
    # list items that in-page links point at ("#fn1", "#ref-3") are notes or references
    targets = {
        link.href[1:]
        for block in document.blocks
        for link in block.links
        if link.href.startswith("#") and len(link.href) > 1
    }
    for position, block in enumerate(document.blocks):
        if block.kind == "heading" or is_reference_heading(block.text):
            if is_reference_heading(block.text):
                in_list_level = block.level or 1
                index.reference_blocks.add(position)
                index.has_list = True
                continue
            if in_list_level is not None and (block.level or 1) <= in_list_level:
                in_list_level = None
            elif in_list_level is None:
                continue
        if block.kind == "definition":
            index.reference_blocks.add(position)
            _add_definition(index, block, position)
            continue
        if in_list_level is not None or (
            block.element_id in targets and block.kind in {"item", "paragraph"}
        ):
            index.reference_blocks.add(position)
            for piece, (text, line, column) in enumerate(_entry_pieces(block)):
                # a list item's number belongs to its first line only
                label = block.label if piece == 0 else None
                _add_list_entry(index, block, position, text, (line, column), label, piece == 0)
            continue
        numbered = _NUMBERED_ENTRY_RE.match(block.text)
        if numbered and block.kind == "paragraph" and block.text.startswith(("[", "^")):
            parsed = parse_reference(block.text[numbered.end() :])
            if parsed.looks_scholarly or parsed.has_identifier:
                index.reference_blocks.add(position)
                _add_list_entry(
                    index,
                    block,
                    position,
                    block.text,
                    (block.line, block.column),
                    block.label,
                    True,
                )
                continue
        source_text = source_block_text(block.text)
        if source_text is not None and block.kind != "heading":
            index.reference_blocks.add(position)
            entries = [
                _standalone_entry(block, position, part) for part in _split_source_list(source_text)
            ]
            index.standalone[position] = entries
            index.entries.extend(entries)
    if not index.has_list:
        _unheaded_list(document, index)
    return index


def looks_like_reference(text: str) -> bool:
    """A list item that reads as a reference: identifiers, a link, a scholarly form, or
    a year with authors or with the title. publisher. year. shape of a citation."""
    parsed = parse_reference(text)
    if parsed.has_identifier or parsed.url or parsed.looks_scholarly:
        return True
    if parsed.year is None:
        return False
    segments = [part for part in re.split(r"\.\s*(?=[A-Z0-9\[])", text) if part.strip()]
    return bool(parsed.authors) or len(segments) >= 3


def _unheaded_list(document: Document, index: ReferenceIndex) -> None:
    """A list that ends the page and whose last items all read as references (no heading).

    Pages converted to Markdown often lose the "References" heading and the item numbers;
    the n-th item of such a list is note n.
    """
    blocks = document.blocks
    last = len(blocks) - 1
    if last < 0 or blocks[last].kind != "item":
        return
    list_id = blocks[last].list_id
    run: list[int] = []
    position = last
    while position >= 0:
        block = blocks[position]
        if block.kind != "item" or block.list_id != list_id or not looks_like_reference(block.text):
            break
        run.append(position)
        position -= 1
    if len(run) < 3:
        return
    index.has_list = True
    index.numbered_by_position = not any(
        blocks[p].label and (blocks[p].label or "").isdigit() for p in run
    )
    for number, position in enumerate(reversed(run), start=1):
        block = blocks[position]
        index.reference_blocks.add(position)
        label = block.label if block.label and block.label.isdigit() else str(number)
        _add_list_entry(index, block, position, block.text, (block.line, block.column), label, True)


def _split_source_list(text: str) -> list[str]:
    """ "Sources: A; B" -> ["A", "B"] when both parts read as references."""
    parts = [part.strip() for part in re.split(r"\s*;\s+(?=[A-Z\"'“])", text) if part.strip()]
    if len(parts) >= 2 and all(
        parse_reference(part).year or parse_reference(part).url for part in parts
    ):
        return parts
    return [text]


def _standalone_entry(block: Block, position: int, text: str) -> ReferenceEntry:
    return ReferenceEntry(
        key=f"block:{block.line}:{block.column}:{fold(text)[:30]}",
        text=text,
        line=block.line,
        column=block.column,
        block_index=position,
        standalone=True,
    )


def _add_definition(index: ReferenceIndex, block: Block, position: int) -> None:
    label = block.label or ""
    entry = ReferenceEntry(
        key=f"def:{label}",
        text=block.text,
        line=block.line,
        column=block.column,
        labels=[label],
        block_index=position,
    )
    if label.isdigit():
        index.has_list = True
    index.entries.append(entry)


def _add_list_entry(
    index: ReferenceIndex,
    block: Block,
    position: int,
    text: str,
    where: tuple[int, int],
    label: str | None,
    first: bool,
) -> None:
    line, column = where
    labels: list[str] = []
    numbered = _NUMBERED_ENTRY_RE.match(text)
    if numbered:
        labels.append(numbered.group("a") or numbered.group("b") or numbered.group("c"))
        text = text[numbered.end() :]
    elif label and label.isdigit():
        labels.append(label)
    if block.element_id and first:
        digits = re.search(r"(\d{1,4})$", block.element_id)
        if digits and not labels:
            labels.append(str(int(digits.group(1))))
    # Wikipedia's back-links before an entry: "^", "^ a b c"
    text = _BACKLINKS_RE.sub("", text).strip()
    if not text or (not labels and _NOT_A_REFERENCE_RE.search(text)):
        return
    key = f"num:{labels[0]}" if labels else f"list:{line}:{column}"
    if any(entry.key == key for entry in index.entries):
        key = f"{key}@{line}:{column}"
    index.entries.append(
        ReferenceEntry(
            key=key,
            text=text,
            line=line,
            column=column,
            labels=labels,
            element_id=block.element_id,
            block_index=position,
        )
    )
