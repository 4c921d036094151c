"""Reference lists: entries parsed when first needed; the author-year fallback's index."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from claimgraph.extract.markdown import parse_markdown
from claimgraph.extract.reflists import ReferenceEntry, ReferenceIndex, find_references, fold
from claimgraph.references import ParsedReference, parse_reference

NAMES = ["Smith", "smithson", "Ösby", "De Vogli", "de", "O'Brien", "Lee-Park", "Lee", "ß", "x_1"]
LEADS = ["", " ", "— ", "(", "“", "[12] ", "12. "]
TAILS = ["", " ", ",", " J.", "-Jones", "son", "’s", " and Lee"]


def entry(text: str, year: int, number: int) -> ReferenceEntry:
    # no authors: the author-year index cannot answer, the lookup falls back to the text
    parsed = ParsedReference(raw=text, year=year)
    return ReferenceEntry(key=f"num:{number}", text=text, line=number, column=1, _parsed=parsed)


def scanned(index: ReferenceIndex, surname: str, year: str) -> ReferenceEntry | None:
    """The fallback as a pass over every entry of the year (its definition before the index)."""
    start = re.compile(rf"\W*{re.escape(fold(surname))}\b")
    for candidate in index.entries:
        if str(candidate.parsed.year) == year[:4] and start.match(fold(candidate.text)):
            return candidate
    return None


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(LEADS),
            st.sampled_from(NAMES),
            st.sampled_from(TAILS),
            st.sampled_from([2019, 2020]),
        ),
        max_size=12,
    ),
    st.sampled_from([*NAMES, "smith", "DE VOGLI", "osby", "Lee-", ""]),
    st.sampled_from(["2019", "2020", "2019a", "2021"]),
)
def test_the_author_year_fallback_finds_the_first_entry_starting_with_the_name(
    written: list[tuple[str, str, str, int]], surname: str, year: str
) -> None:
    index = ReferenceIndex(
        entries=[
            entry(f"{lead}{name}{tail} A study of sleep. {when}.", when, number)
            for number, (lead, name, tail, when) in enumerate(written, start=1)
        ]
    )
    assert index.by_author_year(surname, year) is scanned(index, surname, year)


def test_a_long_list_is_not_passed_over_for_each_citation() -> None:
    index = ReferenceIndex(
        entries=[entry(f"Author{n} B. Paper {n}. 2019.", 2019, n) for n in range(1, 3001)]
    )
    found = index.by_author_year("author2999", "2019")
    assert found is not None and found.key == "num:2999"
    assert index.by_author_year("nobody", "2019") is None


def test_entries_are_parsed_when_first_asked_for() -> None:
    draft = (
        "Zinc shortens colds [^1].\n\n"
        "[^1]: Smith J, Lee K. Zinc for colds. BMJ. 2019;3:1-9. doi:10.1136/x\n\n"
        "## References\n\n1. Park A. Sleep and iron. Lancet. 2020;5:2-3.\n"
    )
    index = find_references(parse_markdown(draft, "draft.md"))
    assert len(index.entries) == 2
    # finding the list needs labels only: the sentences reach the workers before parsing
    assert all(entry._parsed is None for entry in index.entries)
    for entry in index.entries:
        assert entry.parsed == parse_reference(entry.text)
        assert entry.parsed is entry.parsed  # parsed once
