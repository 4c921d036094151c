"""Citation scope: which sentences a citation covers.

A citation covers the sentence it closes, and nothing else, except where the author marks a
wider scope:

* a quotation closed by a citation: the quoted sentences (and a lead-in ending in ":" just
  before a block quotation) share it;
* a quoted or introduced list: a citation on the lead-in ("... makes these recommendations:
  [6]") covers the items that cite nothing; a citation on the last item of a list whose other
  items cite nothing covers the whole list and its lead-in;
* a sentence that goes on about the work just cited ("The study also ...", "Participants
  ...") shares the citation of the sentence before it;
* a standalone source block ("Source: ...", "Authors: ... Published: ...") after a paragraph
  covers that paragraph, or the run of paragraphs back to a group break the author marked
  (a thematic break or two blank lines); at the start of a section it covers the section;
* a cited heading covers its section.

A paragraph's last citation does not spread to the paragraph's earlier sentences: an uncited
sentence next to a cited one stays uncited.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from claimgraph.extract.citations import Citation
from claimgraph.extract.sentences import Sentence
from claimgraph.extract.text import Block

__all__ = ["ScopedSentence", "apply_scope"]


@dataclass(slots=True)
class ScopedSentence:
    """A sentence of a block, with the sources it cites and the sources it inherits."""

    block_index: int
    block: Block
    sentence: Sentence
    citations: list[Citation]
    own_sources: list[str] = field(default_factory=list)
    inherited: list[str] = field(default_factory=list)
    #: a "Source: ..." sentence inside a paragraph: a citation, not a claim
    is_source: bool = False

    def inherit(self, sources: Sequence[str]) -> None:
        for source in sources:
            if source not in self.inherited:
                self.inherited.append(source)

    @property
    def cited(self) -> bool:
        return bool(self.own_sources)


_CONTINUATION_RE = re.compile(
    r"^\W*(?:the (?:same )?(?:study|trial|review|researchers|authors|team|analysis|"
    r"participants|results|findings)|this (?:study|trial|review|analysis|research)|"
    r"in (?:that|this|the same) (?:study|trial|review)|participants|those (?:who|in|taking)|"
    r"(?:they|it|researchers|the authors) (?:also|further|additionally)|"
    r"(?:people|adults|patients|subjects|volunteers|women|men) (?:in|on|taking|given) the)\b",
    re.I,
)
_TRAILING_MARKERS_RE = re.compile(r"(?:\s*\[[^\]]{1,20}\](?::[\d–-]+)?)+\s*$|\s+$")
_OPEN_QUOTES = '“"'
_CLOSE_QUOTE_BEFORE_MARKER_RE = re.compile(r"[”\"][.,;!?]?\s*$|[.!?][”\"]\s*$")


@dataclass(slots=True)
class _Layout:
    """The document's blocks and the sentences of each block."""

    blocks: Sequence[Block]
    by_block: dict[int, list[ScopedSentence]]
    #: block index -> sources of the standalone source block there
    standalone: dict[int, list[str]]
    #: reference-list blocks (not prose)
    reference_blocks: set[int]

    def sentences(self, position: int) -> list[ScopedSentence]:
        return self.by_block.get(position, [])

    def cites(self, position: int) -> bool:
        return any(item.cited for item in self.sentences(position))

    def sources(self, position: int) -> list[str]:
        return [s for item in self.sentences(position) for s in item.own_sources]

    def cover(self, positions: Sequence[int], sources: Sequence[str]) -> None:
        for position in positions:
            for item in self.sentences(position):
                if not item.cited:
                    item.inherit(sources)


def apply_scope(
    blocks: Sequence[Block],
    sentences: Sequence[ScopedSentence],
    standalone: dict[int, list[str]],
    reference_blocks: set[int],
) -> None:
    """Set ``inherited`` on every sentence a citation covers beyond its own sentence."""
    by_block: dict[int, list[ScopedSentence]] = {}
    for item in sentences:
        by_block.setdefault(item.block_index, []).append(item)
    layout = _Layout(blocks, by_block, standalone, reference_blocks)
    for items in by_block.values():
        _continuations(items)
        _quotations_in_block(items)
    _block_quotations(layout)
    _lists(layout)
    _cited_headings(layout)
    _source_blocks(layout)


def _continuations(items: list[ScopedSentence]) -> None:
    """ "The study also ...": the sentence goes on about the work just cited."""
    for previous, item in itertools.pairwise(items):
        sources = previous.own_sources or previous.inherited
        if not item.cited and sources and _CONTINUATION_RE.match(item.sentence.text):
            item.inherit(sources)


def _quotations_in_block(items: list[ScopedSentence]) -> None:
    """A citation right after a closing quote covers the quoted sentences before it."""
    for position, item in enumerate(items):
        if not item.cited or not item.citations:
            continue
        first = item.citations[0].start - item.sentence.start
        if not _CLOSE_QUOTE_BEFORE_MARKER_RE.search(item.sentence.text[: max(0, first)]):
            continue
        opened = [
            index
            for index in range(position, -1, -1)
            if any(mark in items[index].sentence.text for mark in _OPEN_QUOTES)
        ]
        if not opened or (opened[0] == position and _opens_here(item.sentence.text)):
            continue
        start = next((i for i in opened if _opens_here(items[i].sentence.text)), None)
        if start is None:
            continue
        for earlier in items[start:position]:
            if not earlier.cited:
                earlier.inherit(item.own_sources)


def _opens_here(text: str) -> bool:
    """True when the sentence opens a quotation it does not close."""
    if "“" in text:
        return text.count("“") > text.count("”")
    return text.count('"') % 2 == 1


def _lead_in(layout: _Layout, position: int) -> int | None:
    """The paragraph just before ``position`` when it introduces what follows (ends in ":")."""
    before = position - 1
    if before < 0 or before in layout.reference_blocks:
        return None
    block = layout.blocks[before]
    if block.kind != "paragraph" or not _TRAILING_MARKERS_RE.sub("", block.text).endswith(":"):
        return None
    return before


def _block_quotations(layout: _Layout) -> None:
    """A block quotation whose last sentence cites is covered, with its lead-in."""
    position = 0
    blocks = layout.blocks
    while position < len(blocks):
        if blocks[position].kind != "quote":
            position += 1
            continue
        end = position
        while end + 1 < len(blocks) and blocks[end + 1].kind == "quote":
            end += 1
        last = layout.sentences(end)
        if last and last[-1].cited:
            covered = list(range(position, end + 1))
            lead = _lead_in(layout, position)
            if lead is not None:
                covered.append(lead)
            layout.cover(covered, last[-1].own_sources)
        position = end + 1


def _lists(layout: _Layout) -> None:
    """Introduced lists: the lead-in's citation covers the items, the last item's the list."""
    groups: dict[int, list[int]] = {}
    for position, block in enumerate(layout.blocks):
        if block.kind == "item" and block.list_id is not None:
            groups.setdefault(block.list_id, []).append(position)
    for positions in groups.values():
        if positions in ([],) or positions != list(range(positions[0], positions[-1] + 1)):
            continue
        lead = _lead_in(layout, positions[0])
        if lead is not None and layout.cites(lead):
            layout.cover(positions, layout.sources(lead))
            continue
        cited = [p for p in positions if layout.cites(p)]
        if cited == [positions[-1]] and len(positions) > 1:
            covered = positions[:-1] + ([lead] if lead is not None else [])
            layout.cover(covered, layout.sources(positions[-1]))


def _cited_headings(layout: _Layout) -> None:
    for position, block in enumerate(layout.blocks):
        if block.kind != "heading":
            continue
        sources = layout.sources(position)
        if sources:
            layout.cover(_section(layout, position), sources)


def _source_blocks(layout: _Layout) -> None:
    """A standalone source block covers the paragraph before it, or its section."""
    for position, sources in sorted(layout.standalone.items()):
        covered = _before(layout, position)
        if not any(layout.sentences(p) for p in covered):
            covered = _after(layout, position)
        layout.cover(covered, sources)


def _stops_scope(layout: _Layout, position: int) -> bool:
    block = layout.blocks[position]
    return position in layout.standalone or block.kind == "heading" or layout.cites(position)


def _before(layout: _Layout, position: int) -> list[int]:
    """The block before a source block, or the run back to a group break the author marked."""
    blocks = layout.blocks
    if blocks[position].break_before:
        return []
    run: list[int] = []
    index = position - 1
    while index >= 0 and not _stops_scope(layout, index):
        if index not in layout.reference_blocks:
            run.append(index)
        if blocks[index].break_before:
            return run
        index -= 1
    if not run:
        return run
    if index >= 0 and blocks[index].kind == "heading" and _closes_section(layout, position):
        # the last block of a section whose other blocks cite nothing: the section's source
        return run
    # otherwise the paragraph right before (with its list, if it is a list item)
    first = run[0]
    block = blocks[first]
    if block.kind == "item" and block.list_id is not None:
        return [p for p in run if blocks[p].list_id == block.list_id]
    return [first]


def _closes_section(layout: _Layout, position: int) -> bool:
    after = position + 1
    blocks = layout.blocks
    return after >= len(blocks) or blocks[after].kind == "heading" or blocks[after].break_before


def _after(layout: _Layout, position: int) -> list[int]:
    """Blocks after a source block that opens its section, to the section's end."""
    covered: list[int] = []
    blocks = layout.blocks
    index = position + 1
    while index < len(blocks):
        block = blocks[index]
        if index in layout.standalone or block.kind == "heading" or block.break_before:
            break
        if index not in layout.reference_blocks:
            covered.append(index)
        index += 1
    return covered


def _section(layout: _Layout, heading: int) -> list[int]:
    blocks = layout.blocks
    level = blocks[heading].level or 1
    covered: list[int] = []
    for index in range(heading + 1, len(blocks)):
        block = blocks[index]
        if block.kind == "heading" and (block.level or 1) <= level:
            break
        if index not in layout.reference_blocks:
            covered.append(index)
    return covered
