"""Numbered markers written without brackets: glued superscripts and parenthetical numbers."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from claimgraph.extract import extract_draft
from claimgraph.extract.markers import MarkerStyle, marker_style, normalise_markers
from claimgraph.extract.text import Block

GLUED = MarkerStyle(frozenset({1, 2, 3, 4}), glued=True)


def norm(text: str, style: MarkerStyle = GLUED) -> str:
    return normalise_markers(Block("paragraph", text, 1), style).text


def test_glued_superscripts_become_markers() -> None:
    assert norm("Falls cause many injuries in people over eighty.3 They") == (
        "Falls cause many injuries in people over eighty.[3] They"
    )
    assert (
        norm("risk factors such as smoking2and diet") == "risk factors such as smoking[2]and diet"
    )
    assert norm("about 12 per 100,000).1 Rates") == "about 12 per 100,000).[1] Rates"
    assert norm("(41.7 per 100,0004).") == "(41.7 per 100,000[4])."


def test_numbers_that_are_not_notes_stay() -> None:
    assert norm("It fell by 2.5 points in 2019.") == "It fell by 2.5 points in 2019."
    # only numbers the reference list defines
    assert norm("seen in groups of adults.7 Then") == "seen in groups of adults.7 Then"


def test_parenthetical_numbers_where_the_list_is_numbered() -> None:
    style = MarkerStyle(frozenset(range(1, 40)), parenthetical=True)
    assert norm("Rates rose in older adults (12, 14-15).", style) == (
        "Rates rose in older adults[12, 14-15]."
    )
    assert norm("It was seen in 2 of (3) cases (300).", style) == (
        "It was seen in 2 of[3] cases (300)."
    )


def test_the_style_is_decided_for_the_whole_draft() -> None:
    plain = [Block("paragraph", "Falls are common.3", 1)]
    bracketed = [Block("paragraph", "Falls are common [3].", 1)]
    assert marker_style(plain, ["1", "2", "3"]).glued
    assert not marker_style(bracketed, ["1", "2", "3"]).glued
    assert not marker_style(plain, []).active


def test_columns_after_a_rewritten_marker_still_point_at_the_file() -> None:
    block = Block("paragraph", "Falls hurt.3 Hip fractures follow.", 2, 1, anchors=[(0, 2, 1)])
    rewritten = normalise_markers(block, GLUED)
    offset = rewritten.text.index("Hip")
    assert rewritten.locate(offset) == (2, 14)


def test_an_unheaded_list_of_references_at_the_end_is_the_reference_list() -> None:
    draft = """# Falls in older adults

Falls are the leading cause of injury deaths in older adults.1 Hip fractures
after a fall double the risk of dying within a year.2

- Osei K, Lima R. Falls and injury. Age Res. 2019;8(2):1-9.
- Tran B. Hip fracture outcomes. Bone J. 2017;4(1):20-29.
- National Falls Office. Falls data 2020. Available from https://falls.example.org/data.
"""
    project = extract_draft(Path("falls.md"), draft.encode())
    by_text = {c.text[:20]: c.sources for c in project.claims}
    assert by_text["Falls are the leadin"] == ["osei-2019"]
    assert by_text["Hip fractures after "] == ["tran-2017"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab.,;:)( 0123456789\n[]%", max_size=60))
def test_rewriting_any_text_keeps_a_valid_map(text: str) -> None:
    style = MarkerStyle(frozenset(range(1, 12)), glued=True, parenthetical=True)
    block = Block("paragraph", text, 3, 5, anchors=[(0, 3, 5)])
    rewritten = normalise_markers(block, style)
    for offset in range(len(rewritten.text)):
        line, column = rewritten.locate(offset)
        assert line == 3 and column >= 5


def test_enumerations_stay_when_the_list_is_numbered_by_position_only() -> None:
    draft = """# Hand washing

Wash in three steps: (1) wet your hands, (2) use soap for 20 seconds, (3) rinse well.
Hand washing cuts diarrhoeal illness by about a third.2

- Osei K. Hand hygiene. Hyg Rev. 2019;8(2):1-9.
- Tran B. Soap and diarrhoea. Trop Med. 2017;4(1):20-29.
- Lima R. Washing habits. Public Health Rep. 2020;5(3):3-8.
"""
    project = extract_draft(Path("hands.md"), draft.encode())
    by_text = {c.text[:18]: c.sources for c in project.claims}
    assert by_text["Hand washing cuts "] == ["tran-2017"]
    assert all("osei-2019" not in sources for sources in by_text.values())
