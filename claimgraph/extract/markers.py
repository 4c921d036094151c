"""Numbered citation markers written in forms other than ``[n]``, rewritten as ``[n]``.

Which forms a draft uses is a property of the whole draft, so the decision is made once per
document (:func:`marker_style`) and each block is then rewritten (:func:`normalise_markers`):

* **glued superscripts**: a page converted to text lost its ``<sup>`` tags, so note numbers
  stick to the words: ``violence1such``, ``100,000).3``, ``disparities.2Examples``,
  ``100,0004`` (a thousands group has three digits, the fourth is the note). Only read when
  the draft has a numbered reference list and no explicit marker anywhere, and only numbers
  the list defines;
* **parenthetical numbers** ``(72)``, ``(32, 37, 38)``, ``(4-6)``: read when the draft has a
  numbered reference list and no ``[n]`` markers, and only numbers the list defines.

The rewritten block keeps its map back to the file: every marker gets an anchor after it, so
columns after a marker still point at the right character.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass

from claimgraph.extract.text import Block, Link

__all__ = ["MarkerStyle", "marker_style", "normalise_markers"]

_EXPLICIT_RE = re.compile(r"\[\^?\d{1,4}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]|\^\d")
_NUMBERS = r"\d{1,3}(?:[,–-]\d{1,3}){0,6}"
_GLUED_RE = re.compile(
    # a word, then the note, then a word: "violence1such"
    rf"(?<=[a-z]{{3}})(?P<word>{_NUMBERS})(?=[a-z]{{2}})"
    # after end punctuation that follows a word or a bracket: "century.3", "100,000).3"
    rf"|(?<=[A-Za-z%)\]][.,;:)])(?P<punct>{_NUMBERS})(?=\s|$|[A-Z(])"
    # after a year that ends a sentence: "in 2009.8"
    rf"|(?<=(?<!\d)(?:1[89]|20)\d\d[.;])(?P<year>{_NUMBERS})(?=\s|$|[A-Z(])"
    # after a number with thousands groups that ends a sentence: "36.3 per 100,000.3"
    rf"|(?<=\d,\d{{3}}[.;])(?P<groupend>{_NUMBERS})(?=\s|$|[A-Z(])"
    # a fourth digit on a thousands group: "100,0004"
    r"|(?<=\d,\d{3})(?P<group>\d{1,2})(?!\d)"
)
_PAREN_RE = re.compile(r"(?<=\S) ?\((?P<body>\d{1,3}(?:\s*[,–-]\s*\d{1,3}){0,10})\)")


@dataclass(frozen=True, slots=True)
class MarkerStyle:
    """How a draft writes numbered markers besides ``[n]``."""

    #: the numbers its reference list defines
    numbers: frozenset[int] = frozenset()
    glued: bool = False
    parenthetical: bool = False

    @property
    def active(self) -> bool:
        return self.glued or self.parenthetical


def marker_style(
    prose: Iterable[Block], numbers: Iterable[str], *, written_numbers: bool = True
) -> MarkerStyle:
    """Decide which extra marker forms a draft uses, from its prose blocks and list labels.

    ``written_numbers`` is False when the list's numbers come from item positions only: then
    "(2)" in the text is more likely an enumeration than a note, and is left alone.
    """
    defined = frozenset(int(n) for n in numbers if n.isdigit())
    if not defined:
        return MarkerStyle()
    explicit = False
    has_brackets = False
    for block in prose:
        if _EXPLICIT_RE.search(block.text) or any(
            link.href.startswith("#") for link in block.links
        ):
            explicit = True
            has_brackets = has_brackets or "[" in block.text
    return MarkerStyle(
        defined, glued=not explicit, parenthetical=written_numbers and not has_brackets
    )


def _expand(body: str) -> list[int]:
    numbers: list[int] = []
    for part in re.split(r"\s*,\s*", body):
        bounds = [b for b in re.split(r"\s*[-–]\s*", part) if b]
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            low, high = int(bounds[0]), int(bounds[1])
            if not 0 < low <= high <= low + 50:
                return []
            numbers.extend(range(low, high + 1))
        elif len(bounds) == 1 and bounds[0].isdigit():
            numbers.append(int(bounds[0]))
        else:
            return []
    return numbers


def _replacements(text: str, style: MarkerStyle) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    if style.glued:
        for match in _GLUED_RE.finditer(text):
            numbers = _expand(match.group(0))
            if numbers and all(n in style.numbers for n in numbers):
                found.append((match.start(), match.end(), f"[{match.group(0)}]"))
    if style.parenthetical and "(" in text:
        for match in _PAREN_RE.finditer(text):
            numbers = _expand(match.group("body"))
            if numbers and all(n in style.numbers for n in numbers):
                found.append((match.start(), match.end(), f"[{match.group('body')}]"))
    found.sort()
    kept: list[tuple[int, int, str]] = []
    for item in found:
        if not kept or item[0] >= kept[-1][1]:
            kept.append(item)
    return kept


def normalise_markers(block: Block, style: MarkerStyle) -> Block:
    """``block`` with its glued or parenthetical markers written as ``[n]``."""
    if not style.active:
        return block
    found = _replacements(block.text, style)
    if not found:
        return block
    parts: list[str] = []
    anchors: list[tuple[int, int, int]] = []
    cursor = 0
    shift = 0
    original = sorted(block.anchors)
    moves: list[tuple[int, int]] = []  # (old offset, shift from there on)
    for start, end, marker in found:
        parts.append(block.text[cursor:start])
        parts.append(marker)
        shift += len(marker) - (end - start)
        moves.append((end, shift))
        line, column = block.locate(end)
        anchors.append((end + shift, line, column))
        cursor = end
    parts.append(block.text[cursor:])

    def moved(offset: int) -> int:
        delta = 0
        for old, total in moves:
            if offset >= old:
                delta = total
        return offset + delta

    anchors.extend((moved(o), line, column) for o, line, column in original)
    links = [Link(moved(link.start), moved(link.end), link.href, link.text) for link in block.links]
    return dataclasses.replace(
        block, text="".join(parts), anchors=sorted(set(anchors)), links=links
    )
