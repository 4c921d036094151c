"""The word gates derived from the classifier's word-list patterns never change an answer."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from claimgraph.extract import attribution, citations, notclaims, vocabulary
from claimgraph.extract.vocabulary import WordsPattern, _words_regex, letter_words

GATED = [
    value
    for module in (vocabulary, notclaims)
    for value in vars(module).values()
    if isinstance(value, WordsPattern) and value.first_words is not None
]
ANYWHERE = [
    value.anywhere
    for value in vars(notclaims).values()
    if hasattr(value, "anywhere") and isinstance(value.anywhere, WordsPattern)
]
PATTERNS = GATED + ANYWHERE
#: words the patterns are made of, plus case and punctuation variants, to build texts from
WORDS = sorted(
    {word for p in PATTERNS if p.first_words for word in p.first_words}
    | {"the", "of", "us", "I", "It's", "side-effects", "don't", "Studies", "STUDIES", "meta-"}
)


def test_the_main_word_lists_have_gates() -> None:
    for name in ("_ATTRIBUTION_RE", "_EVIDENCE_RE", "_PREVALENCE_RE", "_WORD_NUMBER_RE"):
        assert getattr(vocabulary, name).first_words, name


def test_first_words_are_derived_from_the_alternatives() -> None:
    pattern = _words_regex(r"\b(?:stud(?:y|ies) (?:show|found)|analys[ie]s|(?:the )?who says)\b")
    assert set(pattern.first_words or ()) == {
        "study",
        "studies",
        "analysis",
        "analyses",
        "the",
        "who",
    }
    assert _words_regex(r"\b(?:phosph\w*|zinc)\b").first_words is None  # a stem: no gate


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(WORDS),
            st.text(alphabet="abcdefghijklmnopqrstuvwxyzIS ,.'’-_()0123", max_size=6),
        ),
        max_size=12,
    ),
    st.sampled_from([" ", "  ", "-", "'", ", ", ""]),
)
def test_a_gate_never_rejects_a_text_the_pattern_matches(parts: list[str], glue: str) -> None:
    text = glue.join(parts)
    for pattern in PATTERNS:
        if pattern.pattern.search(text) is not None:
            assert pattern.admits(text), (pattern.pattern.pattern[:60], text)
        assert (pattern.search(text) is None) == (pattern.pattern.search(text) is None)


def test_letter_words_fold_case_and_split_on_non_letters() -> None:
    assert letter_words("Side-effects of I’m STUDIES") == {
        "side",
        "effects",
        "of",
        "i",
        "m",
        "studies",
    }
    assert re.fullmatch(r"[a-z]+", "".join(letter_words("Ösby µg")))


_ATTRIBUTION_WORDS = sorted(
    (attribution.NOUN_WORDS or frozenset())
    | {"There", "is", "some", "In", "a", "that", "found", "say", "as", "show", "Finnish", ","}
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*_ATTRIBUTION_WORDS, "NCCIH-funded", "meta-analyses"]), max_size=10)
)
def test_the_attribution_noun_gate_never_hides_a_match(words: list[str]) -> None:
    assert attribution.NOUN_WORDS is not None
    text = " ".join(words)
    patterns = (
        attribution._SUBJECT_RE,
        attribution._SETTING_RE,
        attribution._EXISTENCE_RE,
        attribution._TRAILING_RE,
    )
    if any(p.search(text) for p in patterns):
        assert not attribution.NOUN_WORDS.isdisjoint(letter_words(text)), text


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "Chida",
                    "and",
                    "Steptoe",
                    "De Vogli",
                    "et al.",
                    "&",
                    ",",
                    "(",
                    ")",
                    "2009",
                    "1998a",
                    "2021",
                    "Ösby",
                    "colleagues",
                    "١٩٩٩",
                    "20",
                    "09",
                    "(2009)",
                ]
            ),
            st.text(alphabet="abcSDÖ ,.&()0129a", max_size=6),
        ),
        max_size=10,
    ),
    st.sampled_from([" ", "", "  "]),
)
def test_the_narrative_citation_test_keeps_every_citation(words: list[str], glue: str) -> None:
    text = glue.join(words)
    if citations._NARRATIVE_RE.search(text):
        assert citations._NARRATIVE_YEAR_RE.search(text), text
    assert citations._NARRATIVE_RE.search("as Chida and Steptoe (2009) showed")
