"""Locations survive text that is not written verbatim: Markdown escapes, HTML entities,
collapsed line breaks and the space before a text node (claimgraph.extract.align)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimgraph.extract import extract_draft
from claimgraph.extract.align import align, verbatim_prefix


def _source_offset(pairs: list[tuple[int, int]], offset: int) -> int:
    shown, raw = max((pair for pair in pairs if pair[0] <= offset), key=lambda pair: pair[0])
    return raw + offset - shown


def test_escapes_entities_and_whitespace_runs_are_tied_to_the_source() -> None:
    raw = "x: heart \\[AHA\\], it&#8217;s  fine\n   here &amp; now"
    shown = "heart [AHA], it’s fine here & now"
    pairs = align(shown, raw, 3)
    for word in ("heart", "AHA", "s ", "fine", "here", "now"):
        assert raw[_source_offset(pairs, shown.index(word)) :].startswith(word), word


def test_alignment_stops_where_the_texts_part_and_keeps_what_it_found() -> None:
    pairs = align("abc xyz", "abc uvw", 0)
    assert pairs[0] == (0, 0)
    assert all(shown <= 4 for shown, _ in pairs)


@given(st.lists(st.sampled_from(["word", " ", "[", "]", "&", "’", "\n", "*"]), max_size=30))
def test_every_word_of_an_escaped_text_is_found_at_its_place(pieces: list[str]) -> None:
    shown_parts, raw_parts = [], []
    for piece in pieces:
        spelled = {"[": "\\[", "]": "\\]", "&": "&amp;", "’": "&#8217;", "*": "\\*"}
        raw_parts.append(spelled.get(piece, piece))
        shown_parts.append(piece)
    # as a parser shows it: entities and escapes decoded, every whitespace run one space
    raw, shown = "".join(raw_parts), re.sub(r"\s+", " ", "".join(shown_parts))
    pairs = align(shown, raw, 0)
    last_shown, last_raw = pairs[-1]
    assert len(shown) - last_shown == len(raw) - last_raw  # in step to the end
    at = 0
    while (at := shown.find("word", at)) >= 0:
        assert raw[_source_offset(pairs, at) :].startswith("word")
        at += 4


def test_the_verbatim_prefix_stops_before_what_an_entity_may_spell() -> None:
    assert verbatim_prefix("Office on Women’s Health") == "Office on Women"
    assert verbatim_prefix("plain words only", limit=5) == "plain"
    assert verbatim_prefix("[AHA] said") == ""


def _where(path: str, text: str, starts: str) -> tuple[int, int]:
    project = extract_draft(Path(path), text.encode())
    claim = next(c for c in project.claims if c.text.startswith(starts))
    assert claim.location is not None
    line, column = claim.location.line, claim.location.column
    assert line is not None and column is not None
    return line, column


MARKDOWN = (
    "# Heart\n\n"
    "Heart disease kills one in three adults (American Heart Association \\[AHA\\], 2012). "
    "Chest pain often spreads to the arms and jaw in adults with heart disease.\n"
)


def test_a_markdown_sentence_after_an_escape_keeps_its_column() -> None:
    line, column = _where("heart.md", MARKDOWN, "Chest pain")
    assert (line, column) == (3, MARKDOWN.split("\n")[2].index("Chest pain") + 1)


@pytest.mark.parametrize(
    "body",
    [
        "<p>Salt raises blood pressure in adults &amp; children. "
        "Potassium lowers blood pressure in most adults.</p>",
        "<p>Salt raises blood pressure in adults\n   worldwide. Potassium lowers blood "
        "pressure in most adults.</p>",
        "<p><b>Salt</b> raises blood pressure in adults. Potassium lowers blood pressure "
        "in most adults.</p>",
        "<p>It&#8217;s known that salt raises blood pressure in adults. Potassium lowers "
        "blood pressure in most adults.</p>",
        "<p>Salt raises blood pressure in adults.  Potassium lowers blood pressure in "
        "most adults.</p>",
        "<p>Salt raises blood pressure\n  in adults.  Potassium lowers blood pressure in "
        "most adults.</p>",
    ],
)
def test_an_html_sentence_after_entities_or_line_breaks_keeps_its_column(body: str) -> None:
    page = f"<html><body>\n{body}\n</body></html>\n"
    line, column = _where("salt.html", page, "Potassium")
    source_line = page.split("\n")[line - 1]
    assert source_line[column - 1 :].startswith("Potassium"), (line, column, source_line)
