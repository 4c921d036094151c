import pytest

from claimgraph.grading import grade, grade_declared, grade_record, is_checkable, level_from_text
from claimgraph.levels import Evidence
from claimgraph.models import Source
from claimgraph.records import Record


def record(*pts: str, mesh: tuple[str, ...] = (), **kw: object) -> Record:
    return Record(service="pubmed", publication_types=pts, mesh=mesh, **kw)


@pytest.mark.parametrize(
    ("types", "expected"),
    [
        (("Journal Article", "Practice Guideline"), Evidence.GUIDELINE),
        (("Journal Article", "Review", "Systematic Review"), Evidence.SYSTEMATIC_REVIEW),
        (("Meta-Analysis",), Evidence.SYSTEMATIC_REVIEW),
        (("Randomized Controlled Trial", "Multicenter Study"), Evidence.RCT),
        (("Clinical Trial, Phase III",), Evidence.RCT),
        (("Observational Study",), Evidence.OBSERVATIONAL),
        (("Journal Article", "Review"), Evidence.REVIEW),
        (("Case Reports", "Journal Article"), Evidence.CASE_REPORT),
        (("Editorial",), Evidence.OPINION),
        (("Letter", "Case Reports"), Evidence.CASE_REPORT),
        (("Scoping Review",), Evidence.OPINION),
        (("Randomized Controlled Trial, Veterinary",), Evidence.PRECLINICAL),
        (("Journal Article",), Evidence.UNKNOWN),
        (("Journal Article", "Research Support, N.I.H., Extramural"), Evidence.UNKNOWN),
    ],
)
def test_publication_types(types: tuple[str, ...], expected: Evidence) -> None:
    assert grade_record(record(*types)) is expected


def test_animals_without_humans_caps_at_preclinical() -> None:
    assert (
        grade_record(record("Randomized Controlled Trial", mesh=("Animals", "Mice")))
        is Evidence.PRECLINICAL
    )
    assert (
        grade_record(record("Randomized Controlled Trial", mesh=("Animals", "Humans")))
        is Evidence.RCT
    )
    # no check tags at all is not evidence of an animal study
    assert grade_record(record("Randomized Controlled Trial")) is Evidence.RCT
    assert (
        grade_record(record("Journal Article", mesh=("Cells, Cultured",))) is Evidence.PRECLINICAL
    )


def test_anecdotal_levels_are_not_raised_by_the_animal_cap() -> None:
    assert grade_record(record("Case Reports", mesh=("Animals", "Dogs"))) is Evidence.CASE_REPORT


def test_mesh_design_when_no_design_publication_type() -> None:
    assert (
        grade_record(record("Journal Article", mesh=("Humans", "Cohort Studies")))
        is Evidence.OBSERVATIONAL
    )


def test_text_fallback_and_preprint_downgrade() -> None:
    assert (
        grade_record(record("Journal Article", title="A randomised placebo-controlled trial of X"))
        is Evidence.RCT
    )
    preprint = Record(
        service="crossref", crossref_type="posted-content", title="A randomized trial of Y"
    )
    assert grade_record(preprint) is Evidence.OBSERVATIONAL
    assert (
        level_from_text("Effects of magnesium in mice: a randomized study") is Evidence.PRECLINICAL
    )
    assert level_from_text("Nothing here") is None


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("magazine", Evidence.ANECDOTAL),
        ("blog", Evidence.ANECDOTAL),
        ("website", Evidence.ANECDOTAL),
        ("government", Evidence.GUIDELINE),
        ("book", Evidence.REVIEW),
        ("press-release", Evidence.OPINION),
        ("personal-communication", Evidence.ANECDOTAL),
        ("journal-article", Evidence.UNKNOWN),
        ("Journal Article", Evidence.UNKNOWN),
    ],
)
def test_declared_kind(kind: str, expected: Evidence) -> None:
    assert grade(Source(id="s", kind=kind, title="Magnesium"), None) is expected


def test_declared_wording_sharpens_a_scholarly_kind_only() -> None:
    clinician = Source(
        id="s", kind="journal-article", title="Bruxism and magnesium, my clinical experiences"
    )
    assert grade(clinician, None) is Evidence.OPINION
    magazine = Source(id="m", kind="magazine", title="A randomized trial says ...")
    assert grade(magazine, None) is Evidence.ANECDOTAL


def test_declared_publication_types_on_the_source() -> None:
    source = Source(id="s", publication_types=["Randomized Controlled Trial"])
    assert grade(source, None) is Evidence.RCT


def test_record_beats_declared_but_declared_fills_unknown() -> None:
    source = Source(id="s", kind="case-report")
    assert grade(source, record("Randomized Controlled Trial")) is Evidence.RCT
    assert grade(source, record("Journal Article")) is Evidence.CASE_REPORT


@pytest.mark.parametrize(
    ("fields", "checkable"),
    [
        ({"kind": "magazine", "title": "t"}, False),
        ({"kind": "magazine", "doi": "10.1/x"}, True),
        ({"kind": "journal-article", "citation": "Smith J. T. 2001"}, True),
        ({"citation": "Smith J. Title. J. 2001"}, True),
        ({"url": "https://example.org/page"}, False),
        ({"pmid": "123"}, True),
        ({"kind": "podcast-episode", "title": "t"}, False),
    ],
)
def test_is_checkable(fields: dict[str, str], checkable: bool) -> None:
    assert is_checkable(Source(id="s", **fields)) is checkable


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Practice guidelines for magnesium", Evidence.GUIDELINE),
        ("An umbrella review", Evidence.SYSTEMATIC_REVIEW),
        ("A double-blind trial", Evidence.RCT),
        ("A cross-sectional survey", Evidence.OBSERVATIONAL),
        ("Zebrafish larvae", Evidence.PRECLINICAL),
        ("We report a patient with X", Evidence.CASE_REPORT),
        ("A 54-year-old woman", Evidence.CASE_REPORT),
        ("A personal view", Evidence.OPINION),
        ("An overview", Evidence.REVIEW),
        ("Magnesium and sleep quality", None),
    ],
)
def test_every_wording_rule_gets_past_the_cheap_gate(text: str, expected: Evidence | None) -> None:
    assert level_from_text(text) is expected


# title words are a fallback: structured publication types and declared designs come first

_EXPERIENCE_TITLE = "Endoscopic treatment of achalasia: a personal experience"


def test_a_review_whose_title_says_personal_experience_is_a_review() -> None:
    record = Record(
        service="pubmed", title=_EXPERIENCE_TITLE, publication_types=("Journal Article", "Review")
    )
    assert grade_record(record) is Evidence.REVIEW
    source = Source(id="s", kind="journal-article", title=_EXPERIENCE_TITLE)
    assert grade(source, record) is Evidence.REVIEW


def test_a_declared_design_is_not_overridden_by_title_words() -> None:
    source = Source(id="s", kind="review", title=_EXPERIENCE_TITLE)
    assert grade_declared(source) is Evidence.REVIEW
    bare = Record(service="pubmed", title=_EXPERIENCE_TITLE, publication_types=("Journal Article",))
    assert grade(source, bare) is Evidence.REVIEW


def test_title_words_still_grade_a_bare_journal_article() -> None:
    bare = Record(service="pubmed", title=_EXPERIENCE_TITLE, publication_types=("Journal Article",))
    assert grade_record(bare) is Evidence.OPINION
    source = Source(id="s", kind="journal-article", title="A case report of achalasia")
    assert grade_declared(source) is Evidence.CASE_REPORT
