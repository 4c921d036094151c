"""Field comparison of what an article cites with what a service holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimgraph.models import Source
from claimgraph.records import Author, Record
from claimgraph.resolvers.match import (
    CitedFields,
    Verdict,
    author_agreement,
    compare,
    journal_matches,
    surname_of,
    title_similarity,
)
from claimgraph.resolvers.pubmed_parse import parse_efetch

PUBMED = Path(__file__).resolve().parents[1] / "fixtures" / "pubmed"

#: the record of the sources.json example in DESIGN.md (as PubMed holds it)
ALONSO = Record(
    service="pubmed",
    pmid="16888447",
    title="Tardive blepharospasm associated with cinnarizine use.",
    authors=(
        Author(family="Alonso-Navarro", given="Hortensia", initials="H"),
        Author(family="Jiménez-Jiménez", given="Félix Javier", initials="FJ"),
    ),
    journal="Clinical neuropharmacology",
    journal_abbrev="Clin Neuropharmacol",
    year=2006,
    volume="29",
    issue="4",
    pages="236-8",
)
DESIGN_EXAMPLE = {
    "id": "alonso-navarro-2006",
    "kind": "journal-article",
    "citation": "H. Alonso-Navarro, F. Jimenez-Jimenez, Tardive blepharospasm associated with "
    "cinnarizine use, Clinical Neuropharmacology, 2006",
    "title": "Tardive blepharospasm associated with cinnarizine use",
    "authors": ["Alonso-Navarro H", "Jimenez-Jimenez FJ"],
    "journal": "Clinical Neuropharmacology",
    "year": 2006,
    "volume": "29",
    "issue": "4",
    "pages": "236-238",
    "doi": None,
    "pmid": None,
    "url": None,
}


def cited(**fields: Any) -> CitedFields:
    return CitedFields.from_source(Source.model_validate({"id": "s", **fields}))


def record_of(fixture: str) -> Record:
    return parse_efetch((PUBMED / fixture).read_text(encoding="utf-8"))[0]


# --------------------------------------------------------------------------- pieces


@pytest.mark.parametrize(
    "name",
    [
        "Alonso-Navarro H",
        "H. Alonso-Navarro",
        "Alonso-Navarro, H.",
        "alonso navarro h",
        "Hortensia Alonso-Navarro",
        "ALONSO-NAVARRO H",
        "Alonso‐Navarro H",
    ],
)
def test_first_author_forms(name: str) -> None:
    assert author_agreement(name, ALONSO.authors) is Verdict.MATCH


def test_accents_and_spelling() -> None:
    jimenez = (Author(family="Jiménez-Jiménez", initials="FJ"),)
    assert author_agreement("Jimenez-Jimenez FJ", jimenez) is Verdict.MATCH
    assert author_agreement("Alonso-Navaro H", ALONSO.authors) is Verdict.NEAR
    assert author_agreement("Jimenez FJ", ALONSO.authors) is Verdict.MISMATCH
    assert author_agreement("Smith J", ()) is Verdict.UNKNOWN
    assert surname_of("van der Berg, J.") == "van der Berg"
    assert author_agreement("Berg J", (Author(family="van der Berg"),)) is Verdict.MATCH


@pytest.mark.parametrize(
    ("cited_name", "names"),
    [
        ("Clin Neuropharmacol", ["Clinical neuropharmacology", None]),
        ("Clinical Neuropharmacology", ["Clinical neuropharmacology", "Clin Neuropharmacol"]),
        (
            "Proc Natl Acad Sci U S A",
            ["Proceedings of the National Academy of Sciences of the United States of America"],
        ),
        ("PNAS", ["Proceedings of the National Academy of Sciences"]),
        ("Biochemical Journal", ["The Biochemical journal", "Biochem. J."]),
        ("BMJ", ["British medical journal"]),
        ("The Lancet", ["Lancet (London, England)"]),
        (
            "J Clin Oncol",
            [
                "Journal of clinical oncology : official journal of the American Society of Clinical "
                "Oncology"
            ],
        ),
    ],
)
def test_journal_abbreviation_or_full_name(cited_name: str, names: list[str | None]) -> None:
    assert journal_matches(cited_name, names) is Verdict.MATCH


def test_other_journals_do_not_match() -> None:
    assert journal_matches("Nature", ["Science"]) is Verdict.MISMATCH
    assert journal_matches("Clin Neurophysiol", ["Clinical neuropharmacology"]) is Verdict.MISMATCH
    assert journal_matches("Anything", [None]) is Verdict.UNKNOWN


def test_title_similarity() -> None:
    exact = "Tardive blepharospasm associated with cinnarizine use"
    assert title_similarity(exact, exact + ".") == 100
    assert title_similarity(exact.upper(), "[" + exact + "].") == 100  # translated-title brackets
    # a missing subtitle is not held against a title of four or more words
    # a title cited without its subtitle
    assert (
        title_similarity(
            "Giant intrathoracic schwannoma", "Giant intrathoracic schwannoma: A case report."
        )
        == 100
    )
    assert title_similarity("Magnesium", "Magnesium: a review of its uses") < 70
    assert (
        title_similarity(
            "Giant intrathoracic schwannoma in an adult",
            "Giant intrathoracic schwannoma in an adult: a case report",
        )
        == 100
    )
    assert title_similarity("Magnesium", "Magnesium deficiency and eye twitch") < 70


# --------------------------------------------------------------------------- identifier path


def test_design_example_is_verified() -> None:
    comparison = compare(CitedFields.from_source(Source.model_validate(DESIGN_EXAMPLE)), ALONSO)
    assert comparison.same_work and comparison.exact, comparison.differences


def test_citation_alone_is_parsed_and_compared() -> None:
    fields = cited(citation=DESIGN_EXAMPLE["citation"])
    assert fields.title == "Tardive blepharospasm associated with cinnarizine use"
    assert fields.first_author == "Alonso-Navarro H"
    assert compare(fields, ALONSO).exact


def test_structured_fields_win_over_the_citation() -> None:
    fields = cited(citation=DESIGN_EXAMPLE["citation"], year=2007, journal="Clin Neuropharmacol")
    assert (fields.year, fields.journal) == (2007, "Clin Neuropharmacol")


def test_year_one_off_is_tolerated_two_off_is_a_difference() -> None:
    assert compare(cited(title=ALONSO.title, year=2007), ALONSO).exact
    comparison = compare(cited(title=ALONSO.title, year=2008), ALONSO)
    assert comparison.same_work
    assert [(d.field, d.cited, d.record) for d in comparison.differences] == [
        ("year", "2008", "2006")
    ]


def test_volume_and_pages() -> None:
    assert compare(cited(title=ALONSO.title, volume="29", pages="236-238"), ALONSO).exact
    comparison = compare(cited(title=ALONSO.title, volume="30", pages="336"), ALONSO)
    assert comparison.same_work
    assert [d.field for d in comparison.differences] == ["volume", "pages"]
    assert compare(
        cited(title="x y z w", pages="e33693"),
        ALONSO.model_copy(update={"title": "x y z w", "pages": "e33693"}),
    ).exact


def test_misspelt_author_and_other_journal_are_details() -> None:
    comparison = compare(
        cited(title=ALONSO.title, authors=["Alonso-Navaro H"], journal="Movement Disorders"),
        ALONSO,
    )
    assert comparison.same_work
    assert [(d.field, d.cited, d.record) for d in comparison.differences] == [
        ("first_author", "Alonso-Navaro H", "Alonso-Navarro H"),
        ("journal", "Movement Disorders", "Clinical neuropharmacology"),
    ]


def test_identifier_of_another_paper_is_a_different_work() -> None:
    liu = record_of("metapub/38762411.xml")
    comparison = compare(cited(**{k: v for k, v in DESIGN_EXAMPLE.items() if k != "id"}), liu)
    assert not comparison.same_work
    assert "title" in [d.field for d in comparison.differences]


def test_paraphrased_title_with_corroboration_is_the_same_work() -> None:
    comparison = compare(
        cited(
            title="Cinnarizine can cause blepharospasm",
            authors=["Alonso-Navarro H"],
            year=2006,
            journal="Clin Neuropharmacol",
        ),
        ALONSO,
    )
    assert comparison.same_work
    assert [d.field for d in comparison.differences] == ["title"]


def test_without_title_two_disagreements_mean_another_work() -> None:
    liu = record_of("metapub/38762411.xml")
    assert not compare(cited(authors=["Alonso-Navarro H"], year=2006), liu).same_work
    # a single disagreement is a detail of the identified work
    assert compare(cited(authors=["Liu H"], year=2006), liu).same_work
    assert compare(cited(), liu).exact  # nothing cited but the identifier


# --------------------------------------------------------------------------- search path


def test_search_hit_needs_the_fields_to_agree() -> None:
    def search(**fields: Any) -> bool:
        return compare(cited(**fields), ALONSO, found_by="search").same_work

    assert search(title="Tardive blepharospasm associated with cinnarizine use")  # 6 words
    assert search(title="Tardive blepharospasm and cinnarizine", authors=["Alonso-Navarro H"])
    assert search(title="Tardive blepharospasm and cinnarizine", year=2006)
    assert not search(title="Tardive blepharospasm and cinnarizine")  # short title alone
    assert not search(title=ALONSO.title, authors=["Smith J"])  # someone else's paper
    assert not search(title="Blepharospasm after cinnarizine", year=2006)
    # a wrong year does not hide a real paper: same work, the year is a difference
    wrong_year = compare(
        cited(title=ALONSO.title, authors=["Alonso-Navarro H"], year=2010),
        ALONSO,
        found_by="search",
    )
    assert wrong_year.same_work and [d.field for d in wrong_year.differences] == ["year"]


def test_structured_search_hit_without_title() -> None:
    def search(**fields: Any) -> bool:
        return compare(cited(**fields), ALONSO, found_by="search").same_work

    assert search(journal="Clin Neuropharmacol", year=2006, volume="29", pages="236")
    assert not search(journal="Clin Neuropharmacol", year=2006, volume="29", pages="300")
    assert not search(journal="Clin Neuropharmacol", year=2006)


# --------------------------------------------------------------------------- robustness

names = st.text(max_size=40)


@settings(max_examples=300, deadline=None)
@given(
    title=st.none() | names,
    authors=st.lists(names, max_size=3),
    journal=st.none() | names,
    year=st.none() | st.integers(1000, 2026),
    volume=st.none() | names,
    pages=st.none() | names,
    record_title=st.none() | names,
    family=names,
    found_by=st.sampled_from(["identifier", "search"]),
)
def test_compare_never_raises(
    title: str | None,
    authors: list[str],
    journal: str | None,
    year: int | None,
    volume: str | None,
    pages: str | None,
    record_title: str | None,
    family: str,
    found_by: Any,
) -> None:
    fields = CitedFields(
        title=title, authors=tuple(authors), journal=journal, year=year, volume=volume, pages=pages
    )
    record = Record(
        service="pubmed",
        title=record_title,
        authors=(Author(family=family or "x"),),
        journal=journal,
        year=2000,
        volume="1",
        pages="1-2",
    )
    comparison = compare(fields, record, found_by=found_by)
    assert isinstance(comparison.same_work, bool)
    if title and record_title:
        assert 0 <= (comparison.title_score or 0) <= 100


def test_titles_equal_once_folded_score_what_the_full_comparison_gives() -> None:
    from rapidfuzz import fuzz

    from claimgraph.resolvers.match import _fold, title_similarity

    pairs = [
        ("Giant intrathoracic schwannoma: a case report", "Giant Intrathoracic Schwannoma - A Case Report."),
        ("Tardive blepharospasm [associated] with cinnarizine", "Tardive blepharospasm associated with cinnarizine"),
        ("Éclat du magnésium", "eclat du magnesium"),
    ]  # fmt: skip
    for cited, record in pairs:
        folded = _fold(cited.replace("[", " ").replace("]", " "))
        assert folded == _fold(record)
        assert title_similarity(cited, record) == float(fuzz.token_sort_ratio(folded, folded))
