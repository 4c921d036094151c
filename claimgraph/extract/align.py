"""Tie text as a reader sees it back to the source it was written as.

A parser hands back decoded text: ``\\[AHA\\]`` in Markdown reads ``[AHA]``, ``&#8217;`` in
HTML reads ``’`` and a line break inside a paragraph reads as one space. A sentence's
location (line and column) is found by counting from the last point where the shown text
and the source were known to line up, so every place where they stop running in step must
be known, or every later sentence of the paragraph is reported a few columns off or on the
paragraph's first line.

:func:`align` walks the two texts side by side and returns those points. It is used only
when the shown text does not stand verbatim in the source (an escape, an entity, a
collapsed line break), so the common case costs nothing.
"""

from __future__ import annotations

import html
import re

__all__ = ["align", "verbatim_prefix"]

_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
#: what a Markdown backslash may escape (CommonMark: any ASCII punctuation)
_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def align(shown: str, raw: str, start: int) -> list[tuple[int, int]]:
    """(offset in ``shown``, offset in ``raw``) pairs that tie ``shown`` to ``raw[start:]``.

    The first pair is ``(0, start)``; another follows each place where the two stop running
    in step (a backslash escape, a character entity, a whitespace run shown as one space or
    not at all) and each line break of ``raw``. Between two pairs, the texts advance
    together, so the source offset of any shown offset is its pair's plus the distance.
    Should the texts stop matching in a way none of these explain, the pairs found so far
    are returned: later offsets are then counted from the last known point.
    """
    pairs = [(0, start)]
    i, j = 0, start
    size, end = len(shown), len(raw)
    while i < size and j < end:
        s, r = shown[i], raw[j]
        entity = _ENTITY_RE.match(raw, j) if r == "&" else None
        if entity is not None:
            value = html.unescape(entity.group())
            if value.isspace() and s == " ":
                i += 1
            elif shown.startswith(value, i):
                i += len(value)
            elif s == r:  # a bare "&" followed by what only looks like an entity
                i, j = i + 1, j + 1
                continue
            else:
                break
            j = entity.end()
        elif r.isspace():
            # a whitespace run: shown as one space, or dropped where the text was trimmed
            after = _skip_space(raw, j)
            in_step = r == " " and after == j + 1 and s == " "
            i, j = i + s.isspace(), after
            if in_step:
                continue
        elif s == r:
            i, j = i + 1, j + 1
            continue
        elif r == "\\" and j + 1 < end and raw[j + 1] == s and s in _ESCAPABLE:
            i, j = i + 1, j + 2
        else:
            break
        pairs.append((i, j))
    return pairs


def _skip_space(raw: str, j: int) -> int:
    end = len(raw)
    while j < end and raw[j].isspace():
        j += 1
    return j


#: characters a source may spell otherwise (after an escape, as an entity)
_SPELLED_OTHERWISE = re.compile(r"[!-/:-@\[-`{-~]|[^\x00-\x7f]")


def verbatim_prefix(shown: str, limit: int = 40) -> str:
    """The start of ``shown`` (at most ``limit`` characters) that a source surely spells the
    same way: up to the first character an escape or an entity may stand for."""
    cut = _SPELLED_OTHERWISE.search(shown, 0, limit)
    return shown[: cut.start() if cut else limit]
