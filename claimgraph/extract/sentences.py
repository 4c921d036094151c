"""Split a block of prose into sentences, keeping each sentence's offsets in the block.

Rule-based and conservative: a sentence ends at ``.``, ``!``, ``?`` or ``…`` followed by
space and an upper-case letter, a digit, a quote or a bracket. Trailing closing quotes and
citation markers ("... absorption.[3] Next", "... absorption.^2") stay with the sentence they
follow. Abbreviations (e.g., Dr., et al., vs.), initials (J. Smith), decimals (1.5 mg) and
numbered-list markers do not end a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Sentence", "split_sentences"]


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its text and its [start, end) offsets in the block text."""

    text: str
    start: int
    end: int


_ABBREVIATIONS = frozenset(
    (
        "e.g", "i.e", "vs", "al", "approx", "appr", "ca", "cf", "dr", "drs", "mr", "mrs",
        "ms", "prof", "st", "no", "nos", "vol", "fig", "figs", "jan", "feb", "mar", "apr", "jun",
        "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "inc", "ltd", "co", "corp",
        "dept", "univ", "est", "min", "max", "avg", "incl", "ref", "refs", "ed", "eds", "p", "pp",
        "ph.d", "phd", "u.s", "u.k", "b.sc", "m.d", "md",
    )
)  # fmt: skip

# end punctuation, then closing quotes/brackets, then citation markers that belong to
# the sentence just ended, then the whitespace before the next sentence
_BOUNDARY_RE = re.compile(
    r"(?P<end>[.!?…]+)"
    r"(?P<close>[\"'”’)\]]*)"
    r"(?P<cite>(?:[ \t]?\[\^?\d[\w\s,–-]{0,19}\](?::[\d–-]+)?|\[\^?[\w,–-]{1,20}\]|\^\d{1,3}|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)*)"
    r"(?P<space>\s+|(?<=[a-z)\]][.!?])(?=[A-Z][a-z]+)|(?<=[.!?]\[\d\])(?=[A-Z][a-z]+)|(?<=\d\])(?=[A-Z][a-z]+))"
    r"(?=[\"'“‘(\[]?[A-Z0-9À-ÖØ-Þ])"
)
_ONLY_MARKERS_RE = re.compile(r"(?:\s*\[\^?\d[\w\s,–-]{0,19}\](?::[\d–-]+)?)+")
_SENTENCE_STARTER_RE = re.compile(
    r"\s+(?:In|The|This|These|Those|It|Its|A|An|However|There|They|We|Our|Some|Most|Many|"
    r"When|If|As|For|After|Before|During|Although|But|And|Also|Such|Other|Both|Each)\b"
)
_WORD_BEFORE_RE = re.compile(r"([\w.'-]+)$")
_INITIALS_RE = re.compile(r"[A-Z]|(?:[A-Z]\.)+[A-Z]")
_DOTTED_RE = re.compile(r"(?:[A-Za-z]\.){1,4}[A-Za-z]")
_LIST_NUMBER_RE = re.compile(r"\d{1,2}")


def _is_false_boundary(text: str, dot_index: int, punct: str) -> bool:
    """True when a "." at ``dot_index`` ends an abbreviation, an initial or a number."""
    if punct != ".":
        return False
    window = max(0, dot_index - 40)
    match = _WORD_BEFORE_RE.search(text, window, dot_index)
    if match is None:
        return False
    word = match.group(1)
    lowered = word.lower().rstrip(".")
    if lowered in _ABBREVIATIONS:
        return True
    # "J. Smith", "A.B. Jones": a single capital letter (or dotted initials), unless the
    # next word starts a sentence ("... Paratyphi C. In the systemic form ...")
    if _INITIALS_RE.fullmatch(word):
        return _SENTENCE_STARTER_RE.match(text, dot_index + 1) is None
    # "U.S." "e.g." already dotted inside
    if _DOTTED_RE.fullmatch(word):
        return True
    # a list marker at the very start: "1. Take ..." is not a sentence of its own
    return bool(_LIST_NUMBER_RE.fullmatch(word) and match.start() == 0 and window == 0)


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` with their offsets; whitespace-only text gives none."""
    sentences: list[Sentence] = []
    start = 0
    length = len(text)
    for match in _BOUNDARY_RE.finditer(text):
        punct = match.group("end")
        if _is_false_boundary(text, match.start("end"), punct[-1] if len(punct) == 1 else ""):
            continue
        end = match.start("space")
        _append(sentences, text, start, end)
        start = match.end()
    _append(sentences, text, start, length)
    return sentences


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start:
        return
    if sentences and _ONLY_MARKERS_RE.fullmatch(text, start, end):
        # "... in 2017. [50]" at the end of a block: the marker closes the sentence before
        previous = sentences.pop()
        start = previous.start
    sentences.append(Sentence(text[start:end], start, end))
