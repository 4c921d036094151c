"""Split an abstract into sentences, keeping each sentence's [start, end) offsets.

Abstracts are well-formed scientific prose: a sentence ends at ``.``, ``!`` or ``?`` followed
by space and an upper-case letter, a digit or an opening bracket or quote. Abbreviations
common in abstracts ("e.g.", "et al.", "vs.", "Fig."), initials and decimals do not end one.
(Draft text has its own, more forgiving splitter in :mod:`claimgraph.extract`; the support
checker stays independent of the draft extractor.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BOUNDARY_RE = re.compile(r"(?P<punct>[.!?]+)[\"')\]”’]*(?=\s+[\"'(\[“‘]?[A-Z0-9])")
_WORD_BEFORE_RE = re.compile(r"(\S+)$")
_ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "al",
        "vs",
        "etc",
        "fig",
        "figs",
        "approx",
        "ca",
        "cf",
        "dr",
        "no",
        "nos",
        "vol",
        "ref",
        "refs",
        "resp",
        "eq",
        "eqs",
        "st",
        "mr",
        "mrs",
        "ms",
        "prof",
        "inc",
        "ltd",
        "co",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
        "sp",
        "spp",
    ]
)


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    start: int
    end: int


def _false_boundary(text: str, end: int) -> bool:
    """True when the "." ending at ``end`` closes an abbreviation or an initial."""
    if text[end - 1] != ".":
        return False
    match = _WORD_BEFORE_RE.search(text, max(0, end - 40), end - 1)
    if match is None:
        return False
    word = match.group(1).lstrip("([\"'").lower()
    if word in _ABBREVIATIONS:
        return True
    # "J. Smith", "A.B." initials
    return bool(re.fullmatch(r"[A-Z](?:\.[A-Z])*", match.group(1).lstrip("([\"'")))


def split_abstract(text: str) -> list[Span]:
    """The sentences of ``text`` with their offsets; blank text gives none."""
    spans: list[Span] = []
    start = 0
    for match in _BOUNDARY_RE.finditer(text):
        if _false_boundary(text, match.end("punct")):
            continue
        _append(spans, text, start, match.end())
        start = match.end()
    _append(spans, text, start, len(text))
    return spans


def _append(spans: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Span(text[start:end], start, end))
