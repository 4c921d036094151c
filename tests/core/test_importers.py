from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimgraph.cli import main
from claimgraph.errors import InputError
from claimgraph.importers import (
    author_name,
    import_references,
    parse_bibtex,
    parse_csl_json,
    parse_ris,
)
from claimgraph.models import Source, parse_sources
from claimgraph.source_merge import merge_sources

FIXTURES = Path(__file__).parents[1] / "fixtures" / "import"

ALONSO = {
    "kind": "journal-article",
    "title": "Tardive blepharospasm associated with cinnarizine use",
    "authors": ["Alonso-Navarro H", "Jiménez-Jiménez FJ"],
    "journal": "Clinical Neuropharmacology",
    "year": 2006,
    "volume": "29",
    "issue": "4",
    "pages": "236-238",
    "doi": "10.5555/clinneuro.2006.0236",
    "pmid": "16855470",
}
MULLER = {
    "kind": "journal-article",
    "title": "Oral Magnesium Supplementation for Muscle Cramps: A Systematic Review",
    "authors": ["Müller J", "O'Brien CA", "van der Berg JP"],
    "journal": "Cochrane Database of Systematic Reviews",
    "year": 2021,
    "volume": "9",
    "issue": "9",
    "pages": "CD009402",
    "doi": "10.5555/cochrane.cd009402",
}
MAGAZINE = {
    "kind": "magazine",
    "title": "Why your eye keeps twitching",
    "authors": ["Smith J"],
    "journal": "Good Health",
    "year": 2014,
}
WHO = {
    "kind": "website",
    "title": "Magnesium fact sheet",
    "authors": ["World Health Organization"],
    "year": 2023,
    "url": "https://example.org/fact-sheets/magnesium",
}


def test_bibtex_as_zotero_exports_it() -> None:
    assert import_references(FIXTURES / "zotero.bib") == [
        {"id": "alonso-navarro_tardive_2006", **ALONSO},
        {"id": "muller_magnesium_2021", **MULLER},  # DOI taken from the doi.org URL
        {"id": "good_health_2014", **MAGAZINE},
        {"id": "world_health_organization_magnesium_2023", **WHO},
    ]


def test_ris_as_zotero_exports_it() -> None:
    # RIS from Zotero has no citation keys: ids are made from surname and year
    assert import_references(FIXTURES / "zotero.ris") == [
        {"id": "alonso-navarro-2006", **ALONSO},
        {"id": "smith-2014", **MAGAZINE},
        {"id": "world-health-organization-2023", **WHO},
    ]


def test_csl_json_as_zotero_exports_it() -> None:
    assert import_references(FIXTURES / "zotero.json") == [
        # a Zotero item URI is no id for sources.json
        {"id": "alonso-navarro-2006", **ALONSO},
        {"id": "muller_magnesium_2021", **MULLER, "pmid": "33988845", "pmcid": "PMC8094411"},
        {"id": "who_magnesium_2023", **WHO},
    ]


def test_imported_entries_are_valid_sources() -> None:
    for name in ("zotero.bib", "zotero.ris", "zotero.json"):
        entries = import_references(FIXTURES / name)
        parse_sources({"sources": entries}, name)


@pytest.mark.parametrize(
    ("family", "given", "expected"),
    [
        ("Jiménez-Jiménez", "Félix Javier", "Jiménez-Jiménez FJ"),
        ("O'Brien", "C. A.", "O'Brien CA"),
        ("Smith", "J.K.", "Smith JK"),
        ("Dupont", "Jean-Pierre", "Dupont JP"),
        ("World Health Organization", None, "World Health Organization"),
        (None, "Madonna", "Madonna"),
    ],
)
def test_author_names(family: str | None, given: str | None, expected: str) -> None:
    assert author_name(family, given) == expected


def test_bibtex_details() -> None:
    text = r"""
    @article{key1, author = {{Barnes and Noble} and Doe, J.}, title = {{COVID}-19},
             year = {2020}, eprinttype = {pubmed}, eprint = {32000000}, date = {2020-05}}
    @online{key2, title = {Page}, url = {https://pubmed.ncbi.nlm.nih.gov/12345/},
            date = {2019-02-03}, note = {PMCID: PMC42}}
    @inproceedings{key3, title = {Talk}, booktitle = {Proc. X}, year = 3000}
    """
    key1, key2, key3 = parse_bibtex(text)
    assert key1["authors"] == ["Barnes and Noble", "Doe J"]
    assert key1["title"] == "COVID-19"
    assert key1["pmid"] == "32000000"
    assert key2 == {
        "id": "key2",
        "kind": "website",
        "title": "Page",
        "year": 2019,
        "pmid": "12345",
        "pmcid": "PMC42",
        "url": "https://pubmed.ncbi.nlm.nih.gov/12345/",
    }
    assert key3["kind"] == "conference-paper"
    assert "year" not in key3  # not a plausible year


def test_bibtex_entry_that_cannot_be_read_is_an_error() -> None:
    text = "@article{good, title = {Fine}}\n\n@article{broken, title = {Unclosed, year = 2006\n"
    with pytest.raises(InputError) as caught:
        parse_bibtex(text, "refs.bib")
    assert "could not read the entry 'broken'" in str(caught.value)
    assert "refs.bib:3" in str(caught.value)


def test_ris_record_without_end_is_an_error() -> None:
    text = "TY  - JOUR\nTI  - One\nER  - \nTY  - JOUR\nTI  - Two\n"
    with pytest.raises(InputError) as caught:
        parse_ris(text, "refs.ris")
    assert "1 of 2 records could not be read" in str(caught.value)
    assert "refs.ris:4" in str(caught.value)


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"sources": [{"id": "x", "title": "T"}]}, "$"),  # a claimgraph sources.json
        ({"claims": []}, "$"),
        ([{"id": "x", "title": "No type"}], "$[0]"),
        ([{"id": "x", "type": 3}], "$[0]"),
        ({"name": "package.json", "version": "1.0"}, "$"),
    ],
)
def test_json_that_is_not_csl_is_refused(data: Any, path: str) -> None:
    with pytest.raises(InputError, match="not CSL JSON") as caught:
        parse_csl_json(data, "refs.json")
    assert caught.value.path == path


def test_csl_text_given_as_a_list_of_one_is_taken() -> None:
    item = {
        "id": "k",
        "type": "article-journal",
        "title": ["Magnesium and sleep"],
        "container-title": ["Nutrients"],
        "DOI": ["10.3390/nu1"],
        "author": [{"family": ["Smith"], "given": ["John"]}],
    }
    (entry,) = parse_csl_json([item])
    assert entry["title"] == "Magnesium and sleep" and entry["journal"] == "Nutrients"
    assert entry["doi"] == "10.3390/nu1" and entry["authors"] == ["Smith J"]
    assert "[" not in json.dumps(entry).replace('["Smith J"]', "")  # no "['x']" anywhere


@pytest.mark.parametrize(
    ("field", "value", "path"),
    [
        ("title", ["One", "Two"], "$[0].title"),
        ("DOI", ["10.1/a", "10.1/b"], "$[0].DOI"),
        ("title", {"text": "T"}, "$[0].title"),
        ("URL", True, "$[0].URL"),
        ("author", "Smith J", "$[0].author"),
    ],
)
def test_csl_values_csl_does_not_allow_are_refused(field: str, value: Any, path: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_csl_json([{"id": "k", "type": "book", field: value}], "refs.json")
    assert caught.value.path == path and "CSL JSON" in caught.value.message


def test_a_csl_author_name_given_as_a_list_of_two_is_refused() -> None:
    item = {"id": "k", "type": "book", "author": [{"family": "Doe"}, {"family": ["A", "B"]}]}
    with pytest.raises(InputError) as caught:
        parse_csl_json([item], "refs.json")
    assert caught.value.path == "$[0].author[1].family"


def test_import_of_json_that_is_not_csl_exits_2_and_writes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "other.json").write_text('{"sources": [{"id": "a", "doi": "10.1/x"}]}')
    assert main(["import", "other.json"]) == 2
    err = capsys.readouterr().err
    assert "other.json at $: not CSL JSON" in err and "Traceback" not in err
    assert not (project / "sources.json").exists()


def test_csl_json_shapes() -> None:
    one = {"id": 7, "type": "post-weblog", "title": "A blog", "issued": {"date-parts": [[2020]]}}
    assert parse_csl_json(one) == [{"id": "7", "kind": "blog", "title": "A blog", "year": 2020}]
    with pytest.raises(InputError, match="expected a CSL-JSON list"):
        parse_csl_json("nope")
    with pytest.raises(InputError, match=r"\$\[1\]"):
        parse_csl_json([one, 3])


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("refs.txt", "x", "cannot import .txt"),
        ("refs.bib", "", "no references found"),
        ("refs.ris", "nothing here", "no references found"),
        ("refs.json", "[]", "no references found"),
        ("refs.json", "{", "invalid JSON"),
    ],
)
def test_bad_files(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_references(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_bytes(b"@article{a, title = {Caf\xe9}}")
    with pytest.raises(InputError, match="not UTF-8"):
        import_references(path)


# ----------------------------------------------------------------------------- merging


def test_merge_the_same_works_from_three_exports() -> None:
    imported = [
        *import_references(FIXTURES / "zotero.bib"),
        *import_references(FIXTURES / "zotero.ris"),
        *import_references(FIXTURES / "zotero.json"),
    ]
    result = merge_sources({"sources": []}, imported)
    ids = [s["id"] for s in result.merged["sources"]]
    assert ids == [
        "alonso-navarro_tardive_2006",
        "muller_magnesium_2021",
        "good_health_2014",
        "world_health_organization_magnesium_2023",
    ]
    assert result.added == ids
    assert result.updated == [] and result.unchanged == []
    muller = result.merged["sources"][1]
    assert muller["pmid"] == "33988845"  # filled in from the CSL JSON export


def test_merge_keeps_what_the_user_wrote() -> None:
    existing = {
        "$comment": "our sources",
        "sources": [
            {"id": "first", "citation": "Somebody, 2001"},
            {
                "id": "alonso",
                "doi": "https://doi.org/10.5555/CLINNEURO.2006.0236",
                "title": "Tardive blepharospasm (as we cite it)",
                "reviewed_by": "editor",
            },
            {
                "id": "who",
                "kind": "government",
                "url": "https://example.org/fact-sheets/magnesium",
                "title": "Magnesium fact sheet",
                "year": 2023,
            },
        ],
    }
    before = json.loads(json.dumps(existing))
    imported = import_references(FIXTURES / "zotero.json")
    result = merge_sources(existing, imported)
    assert existing == before  # the input is not modified
    merged = result.merged
    assert merged["$comment"] == "our sources"
    assert [s["id"] for s in merged["sources"]] == [
        "first",
        "alonso",
        "who",
        "muller_magnesium_2021",
    ]
    alonso = merged["sources"][1]
    assert alonso["title"] == "Tardive blepharospasm (as we cite it)"
    assert alonso["doi"] == "https://doi.org/10.5555/CLINNEURO.2006.0236"
    assert alonso["reviewed_by"] == "editor"
    assert alonso["pmid"] == "16855470"
    assert alonso["authors"] == ALONSO["authors"]
    assert merged["sources"][2]["kind"] == "government"  # matched by title and year
    assert result.added == ["muller_magnesium_2021"]
    assert result.updated == ["alonso", "who"]
    assert result.unchanged == []
    again = merge_sources(merged, imported)
    assert again.merged == merged
    assert again.added == [] and again.updated == []
    assert again.unchanged == ["alonso", "muller_magnesium_2021", "who"]


def test_same_id_different_work_gets_a_new_id() -> None:
    existing = {"sources": [{"id": "smith-2014", "doi": "10.5555/other"}]}
    imported = [{"id": "smith-2014", "doi": "10.5555/mine", "title": "Mine"}]
    result = merge_sources(existing, imported)
    assert [s["id"] for s in result.merged["sources"]] == ["smith-2014", "smith-2014-2"]
    assert result.added == ["smith-2014-2"]


def test_same_id_without_conflict_is_the_same_source() -> None:
    existing = {"sources": [{"id": "smith-2014", "citation": "Smith 2014"}]}
    result = merge_sources(existing, [{"id": "smith-2014", "doi": "10.5555/mine"}])
    assert result.merged["sources"] == [
        {"id": "smith-2014", "citation": "Smith 2014", "doi": "10.5555/mine"}
    ]
    assert result.updated == ["smith-2014"]


# ----------------------------------------------------------------------------- properties


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('@{}=,"% \nabtiluedry0123TY-ER')), max_size=120))
def test_any_bibtex_text_parses_or_fails_clearly(text: str) -> None:
    try:
        entries = parse_bibtex(text)
    except InputError:
        return
    for entry in entries:
        Source.model_validate({"id": "x", **entry})


@settings(max_examples=60)
@given(st.text(alphabet=st.sampled_from(list("TYAUERPI -\n0123abc,")), max_size=160))
def test_any_ris_text_parses_or_fails_clearly(text: str) -> None:
    try:
        entries = parse_ris(text)
    except InputError:
        return
    for entry in entries:
        Source.model_validate({"id": "x", **entry})


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "type",
                    "title",
                    "author",
                    "issued",
                    "DOI",
                    "PMID",
                    "page",
                    "family",
                    "given",
                    "date-parts",
                    "literal",
                    "note",
                    "URL",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(max_examples=100)
@given(_JSON)
def test_any_csl_json_parses_or_fails_clearly(data: Any) -> None:
    try:
        entries = parse_csl_json(data)
    except InputError:
        return
    for entry in entries:
        Source.model_validate({"id": "x", **entry})


# ----------------------------------------------------------------------------- the command


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("zotero.bib", "zotero.ris", "zotero.json"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return tmp_path


def test_import_creates_sources_json(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "zotero.bib"]) == 0
    data = json.loads((project / "sources.json").read_text(encoding="utf-8"))
    assert len(data["sources"]) == 4
    out = capsys.readouterr().out
    assert "  + alonso-navarro_tardive_2006" in out
    assert "sources.json: 4 added, 0 updated, 0 unchanged" in out


def test_import_merges_into_an_existing_file_keeping_its_indent(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = project / "sources.json"
    sources.write_text(
        json.dumps({"sources": [{"id": "mine", "doi": "10.5555/clinneuro.2006.0236"}]}, indent=4)
        + "\n",
        encoding="utf-8",
    )
    assert main(["import", "zotero.json", "zotero.ris", "--sources", str(sources)]) == 0
    text = sources.read_text(encoding="utf-8")
    assert text.startswith('{\n    "sources": [\n        {\n            "id": "mine"')
    data = json.loads(text)
    assert [s["id"] for s in data["sources"]] == [
        "mine",
        "muller_magnesium_2021",
        "who_magnesium_2023",
        "smith-2014",
    ]
    assert "1 updated" in capsys.readouterr().out


def test_dry_run_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "zotero.bib", "--dry-run"]) == 0
    assert not (project / "sources.json").exists()
    assert "(dry run: nothing written)" in capsys.readouterr().out


def test_unchanged_file_is_not_rewritten(project: Path) -> None:
    assert main(["import", "zotero.bib"]) == 0
    sources = project / "sources.json"
    inode = sources.stat().st_ino  # an atomic rewrite would make a new file
    assert main(["import", "zotero.bib"]) == 0
    assert sources.stat().st_ino == inode


@pytest.mark.parametrize("name", ["refs.txt", "missing.bib"])
def test_bad_input_exits_2(project: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    if name == "refs.txt":
        (project / name).write_text("x", encoding="utf-8")
    assert main(["import", name]) == 2
    assert name in capsys.readouterr().err


def test_invalid_existing_sources_json_exits_2(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "sources.json").write_text('{"sources": [{"title": "no id"}]}', encoding="utf-8")
    assert main(["import", "zotero.bib"]) == 2
    assert "missing required field 'id'" in capsys.readouterr().err
