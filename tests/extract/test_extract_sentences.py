"""Sentence splitting with offsets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from claimgraph.extract.sentences import split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def test_splits_on_end_punctuation() -> None:
    assert texts("Magnesium relaxes muscles. Calcium contracts them! Why? Nobody knows.") == [
        "Magnesium relaxes muscles.",
        "Calcium contracts them!",
        "Why?",
        "Nobody knows.",
    ]


def test_offsets_point_into_the_text() -> None:
    text = "  First one.  Second one. "
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text


def test_abbreviations_initials_and_decimals_do_not_split() -> None:
    text = "Dr. Smith et al. found 1.5 mg e.g. in J. Nutr. was enough. It worked."
    assert texts(text) == [
        "Dr. Smith et al. found 1.5 mg e.g. in J. Nutr. was enough.",
        "It worked.",
    ]


def test_citation_markers_stay_with_their_sentence() -> None:
    assert texts("Iron is common.[1] It matters.[^a] So does zinc.² End.") == [
        "Iron is common.[1]",
        "It matters.[^a]",
        "So does zinc.²",
        "End.",
    ]


def test_missing_space_after_a_bracket() -> None:
    assert texts("It helps (myself included).To find out, visit us.") == [
        "It helps (myself included).",
        "To find out, visit us.",
    ]


def test_lower_case_after_a_stop_does_not_split() -> None:
    assert texts('"Huh, what gives?" you think.') == ['"Huh, what gives?" you think.']


@given(st.text(max_size=300))
def test_any_text_splits_into_covering_sentences(text: str) -> None:
    previous_end = 0
    for sentence in split_sentences(text):
        assert sentence.start >= previous_end
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip() and sentence.text
        previous_end = sentence.end
