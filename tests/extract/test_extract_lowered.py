"""The lowered-text twins of the word-list patterns find exactly the original matches."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from claimgraph.extract import attribution, notclaims, vocabulary
from claimgraph.extract.lowered import lowered_twin
from claimgraph.extract.vocabulary import WordsPattern

ALL = [
    value
    for module in (vocabulary, notclaims, attribution)
    for value in vars(module).values()
    if isinstance(value, WordsPattern)
] + [
    value.anywhere
    for value in vars(notclaims).values()
    if isinstance(getattr(value, "anywhere", None), WordsPattern)
]
TWINNED = [pattern for pattern in ALL if pattern.twin is not None]
#: words the patterns are made of, in several cases, plus words no list has
WORDS = sorted(
    {word for p in ALL if p.first_words for word in p.first_words}
    | {word.upper() for p in ALL if p.first_words for word in list(p.first_words)[:40]}
    | {"Studies", "show", "Vitamin", "D", "mg", "µg", "KELVIN", "Ösby", "café", "İron"}
)


def _spans(matches: object) -> list[tuple[tuple[int, int], str, tuple[str | None, ...]]]:
    return [(m.span(), m.group(0), m.groups()) for m in matches]  # type: ignore[attr-defined]


def test_the_big_lists_have_twins_and_unsafe_patterns_do_not() -> None:
    assert vocabulary._HEALTH_TERMS.twin is not None
    assert vocabulary._ATTRIBUTION_RE.twin is not None
    assert len(TWINNED) >= len(ALL) // 2
    assert lowered_twin(re.compile(r"\b(?:Vitamin|zinc)\b", re.I)) is None  # upper case
    assert lowered_twin(re.compile(r"\b(?:[A-Z]\w+)\b", re.I)) is None  # a class with A-Z
    assert lowered_twin(re.compile("\u212a", re.I)) is None  # the Kelvin sign matches "k"
    assert lowered_twin(re.compile(r"\b(?:zinc)?", re.I)) is None  # may match nothing
    assert lowered_twin(re.compile(r"(?-i:zinc)", re.I)) is None  # scoped flags
    assert lowered_twin(re.compile(r"\bzinc\b")) is None  # not case-insensitive
    assert lowered_twin(re.compile(r"\b(?:µg|zinc)\b", re.I)) is not None


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(WORDS), st.text(max_size=6)),
        max_size=14,
    ),
    st.sampled_from([" ", "-", ", ", "", "'"]),
)
@example(["Studies", "SHOW", "that", "MAGNESIUM", "lowers", "blood", "pressure"], " ")
@example(["According", "to", "the", "WHO,", "IRON", "deficiency", "affects", "µg"], " ")
@example(["0:AFFILIATEA"], "")  # a match that ends at endpos, inside a longer word
def test_twins_find_what_the_patterns_find(parts: list[str], glue: str) -> None:
    text = glue.join(parts)
    for pattern in TWINNED:
        original = pattern.pattern
        expected = original.search(text)
        found = pattern.search(text)
        assert _spans([found] if found else []) == _spans([expected] if expected else [])
        if len(text) > 3:
            found = pattern.search(text, 2, len(text) - 1)
            expected = original.search(text, 2, len(text) - 1)
            assert _spans([found] if found else []) == _spans([expected] if expected else [])
        if pattern.admits(text):
            assert _spans(pattern.finditer(text)) == _spans(original.finditer(text))


#: the attribution list wrote a name after "my friend" as [A-Z]\w+, which had no twin
WRITTEN_WITH_CAPITALS = re.compile(
    vocabulary._ATTRIBUTION_RE.pattern.pattern.replace(r"(?:\s+[a-z]\w+)?", r"(?:\s+[A-Z]\w+)?"),
    vocabulary._ATTRIBUTION_RE.pattern.flags,
)


def test_a_class_of_capitals_is_a_class_of_letters_when_case_is_ignored() -> None:
    assert WRITTEN_WITH_CAPITALS.pattern != vocabulary._ATTRIBUTION_RE.pattern.pattern
    capitals, letters = re.compile("[A-Z]", re.I), re.compile("[a-z]", re.I)
    for code in range(0x3000):  # every script with case
        assert bool(capitals.match(chr(code))) == bool(letters.match(chr(code))), hex(code)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["my", "MY", "friend", "Neighbour", "says", "SAID", "Sarah", "ſam"]),
            st.sampled_from(WORDS),
            st.text(max_size=5),
        ),
        max_size=10,
    ),
    st.sampled_from([" ", ", ", ""]),
)
@example(["My", "neighbour", "Sarah,", "a", "nurse,", "swears", "zinc", "works"], " ")
def test_the_attribution_list_finds_what_it_found_with_capitals(
    parts: list[str], glue: str
) -> None:
    text = glue.join(parts)
    assert _spans(vocabulary._ATTRIBUTION_RE.pattern.finditer(text)) == _spans(
        WRITTEN_WITH_CAPITALS.finditer(text)
    )
