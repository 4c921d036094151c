from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from claimgraph.identifiers import (
    SCHEMES,
    check_source_identifiers,
    doi_to_url,
    find_dois,
    find_pmcids,
    find_pmids,
    identifier_from_url,
    normalize_doi,
    normalize_pmcid,
    normalize_pmid,
)
from claimgraph.models import Source

# --------------------------------------------------------------------------- DOI


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.1000/XYZ", "10.1000/xyz"),
        ("doi:10.1000/xyz", "10.1000/xyz"),
        ("DOI: 10.1000/xyz", "10.1000/xyz"),
        ("doi 10.1000/xyz", "10.1000/xyz"),
        ("info:doi/10.1000/xyz", "10.1000/xyz"),
        ("https://doi.org/10.1000/xyz", "10.1000/xyz"),
        ("http://dx.doi.org/10.1000/xyz", "10.1000/xyz"),
        ("https://www.doi.org/10.1000/xyz", "10.1000/xyz"),
        ("doi.org/10.1000/xyz", "10.1000/xyz"),
        ("10.1000%2Fabc", "10.1000/abc"),
        ("10.1000%2fa%2Fb", "10.1000/a/b"),
        ("10.1000/xyz.", "10.1000/xyz"),
        ("10.1000/xyz,", "10.1000/xyz"),
        ("10.1000/xyz;", "10.1000/xyz"),
        ("10.1000/xyz).", "10.1000/xyz"),
        ("10.1016/0005-2795(76)90109-4", "10.1016/0005-2795(76)90109-4"),
        ("10.1016/0005-2795(76)90109-4)", "10.1016/0005-2795(76)90109-4"),
        ("  <10.1000/xyz>  ", "10.1000/xyz"),
        ('"10.1000/xyz"', "10.1000/xyz"),
        ("<https://doi.org/10.1000/xyz>", "10.1000/xyz"),
        ("10.1371/journal.pone.0033693", "10.1371/journal.pone.0033693"),
        ("10.1000.10/abc", "10.1000.10/abc"),
        # a doi.org link is percent-encoded; old SICI DOIs carry < > inside
        (
            "https://doi.org/10.1002/(SICI)1097-4636(199812)43:4%3C404::AID-JBM6%3E3.0.CO;2-K",
            "10.1002/(sici)1097-4636(199812)43:4<404::aid-jbm6>3.0.co;2-k",
        ),
    ],
)
def test_normalize_doi_accepts(text: str, expected: str) -> None:
    assert normalize_doi(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "10.abc",
        "10.1000",
        "10.1000/",
        "10.1000/.",
        "10.12/abc",  # registrant code has 4-9 digits
        "11.1000/abc",
        "10.1000/a b",
        "https://doi.org/",
        "https://example.com/10.1000/abc",  # a journal link: identifier_from_url handles those
        "doi:",
        "x10.1000/abc",
        "10.١٢٣٤/abc",  # non-ASCII digits
    ],
)
def test_normalize_doi_rejects(text: str) -> None:
    assert normalize_doi(text) is None


def test_normalize_doi_does_not_decode_a_bare_doi_twice() -> None:
    # a literal "%41" in a bare DOI stays; only links and an encoded prefix slash are decoded
    assert normalize_doi("10.1000/a%41") == "10.1000/a%41"
    assert normalize_doi("https://doi.org/10.1000/a%2541") == "10.1000/a%41"


# --------------------------------------------------------------------------- PMID


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("123", "123"),
        (123, "123"),
        ("  31452104 ", "31452104"),
        ("PMID: 123", "123"),
        ("PMID:123", "123"),
        ("pmid:123", "123"),
        ("PMID 123.", "123"),
        ("PubMed ID: 123", "123"),
        ("https://pubmed.ncbi.nlm.nih.gov/123/", "123"),
        ("https://pubmed.ncbi.nlm.nih.gov/123", "123"),
        ("http://www.ncbi.nlm.nih.gov/pubmed/123", "123"),
        ("www.ncbi.nlm.nih.gov/pubmed/123", "123"),
        ("https://pubmed.ncbi.nlm.nih.gov/123/?from=search", "123"),
        ("00123", "123"),
        ("999999999", "999999999"),
    ],
)
def test_normalize_pmid_accepts(text: str | int, expected: str) -> None:
    assert normalize_pmid(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "0",
        "000",
        0,
        -5,
        10**9,
        "1234567890",
        "12a",
        "PMID:",
        "PMC123",
        "1 2",
        "١٢٣",
        True,
        "+1",
    ],
)
def test_normalize_pmid_rejects(text: str | int) -> None:
    assert normalize_pmid(text) is None


# --------------------------------------------------------------------------- PMCID


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PMC1234567", "PMC1234567"),
        ("pmc1234567", "PMC1234567"),
        ("PMCID: PMC1234567", "PMC1234567"),
        ("PMCID: 1234567", "PMC1234567"),
        ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC1234567/", "PMC1234567"),
        ("https://pmc.ncbi.nlm.nih.gov/articles/PMC1234567/", "PMC1234567"),
        ("https://europepmc.org/article/PMC/PMC1234567", "PMC1234567"),
        ("https://europepmc.org/abstract/PMC/PMC1234567", "PMC1234567"),
        ("https://europepmc.org/articles/PMC1234567", "PMC1234567"),
    ],
)
def test_normalize_pmcid_accepts(text: str, expected: str) -> None:
    assert normalize_pmcid(text) == expected


@pytest.mark.parametrize("text", ["", "1234567", "PMC", "PMC0", "PMCabc", "PMID: 123"])
def test_normalize_pmcid_rejects(text: str) -> None:
    assert normalize_pmcid(text) is None


# --------------------------------------------------------------------------- running text


def test_find_dois_in_running_text() -> None:
    text = (
        "See doi:10.1000/abc. Also (https://doi.org/10.1000/XY). "
        "[paper](https://doi.org/10.1371/journal.pone.0033693) and 10.1016/0005-2795(76)90109-4, ok"
    )
    found = find_dois(text)
    assert [doi for doi, _, _ in found] == [
        "10.1000/abc",
        "10.1000/xy",
        "10.1371/journal.pone.0033693",
        "10.1016/0005-2795(76)90109-4",
    ]
    # spans cover the whole mention: label or link included, trailing punctuation excluded
    assert [text[start:end] for _, start, end in found] == [
        "doi:10.1000/abc",
        "https://doi.org/10.1000/XY",
        "https://doi.org/10.1371/journal.pone.0033693",
        "10.1016/0005-2795(76)90109-4",
    ]


def test_find_dois_ignores_non_dois() -> None:
    assert find_dois("version 10.1 of the paper, 10.12/abc, x10.1000/abc") == []


def test_find_pmids_needs_a_label_or_a_link() -> None:
    text = "In 2019, 12345 people (PMID: 31452104; pubmed.ncbi.nlm.nih.gov/999/), PMID 1234567890."
    found = find_pmids(text)
    assert [pmid for pmid, _, _ in found] == ["31452104", "999"]
    assert [text[start:end] for _, start, end in found] == [
        "PMID: 31452104",
        "pubmed.ncbi.nlm.nih.gov/999/",
    ]


def test_find_pmcids() -> None:
    text = "Free text at PMC7772 and https://pmc.ncbi.nlm.nih.gov/articles/PMC1234/ (PMCID: 55)."
    found = find_pmcids(text)
    assert [value for value, _, _ in found] == ["PMC7772", "PMC1234", "PMC55"]
    assert text[found[1][1] : found[1][2]] == "https://pmc.ncbi.nlm.nih.gov/articles/PMC1234/"
    assert find_pmcids("1234567 and PMID: 5") == []


# --------------------------------------------------------------------------- URLs


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://doi.org/10.1000/ABC", ("doi", "10.1000/abc")),
        ("http://dx.doi.org/10.1000/abc", ("doi", "10.1000/abc")),
        ("https://pubmed.ncbi.nlm.nih.gov/31452104/", ("pmid", "31452104")),
        ("pubmed.ncbi.nlm.nih.gov/42", ("pmid", "42")),
        ("https://www.ncbi.nlm.nih.gov/pubmed/123", ("pmid", "123")),
        ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC123/", ("pmcid", "PMC123")),
        ("https://pmc.ncbi.nlm.nih.gov/articles/PMC999/", ("pmcid", "PMC999")),
        ("https://europepmc.org/article/MED/1234", ("pmid", "1234")),
        ("https://europepmc.org/abstract/MED/1234", ("pmid", "1234")),
        ("https://europepmc.org/article/PMC/PMC77", ("pmcid", "PMC77")),
        ("https://journals.example/doi/10.1000/abc", ("doi", "10.1000/abc")),
        ("https://onlinelibrary.wiley.com/doi/full/10.1002/jbm.123", ("doi", "10.1002/jbm.123")),
        ("https://onlinelibrary.wiley.com/doi/abs/10.1002/jbm.123", ("doi", "10.1002/jbm.123")),
        (
            "https://www.frontiersin.org/articles/10.3389/fneur.2020.00001/full",
            ("doi", "10.3389/fneur.2020.00001"),
        ),
        ("https://link.springer.com/article/10.1007/s00415-020-1", ("doi", "10.1007/s00415-020-1")),
        (
            "https://journals.plos.org/plosone/article?id=10.1371/journal.pone.0033693",
            ("doi", "10.1371/journal.pone.0033693"),
        ),
        ("https://example.org/doi/10.1000%2Fabc", ("doi", "10.1000/abc")),
        ("https://example.org/article?doi=10.1000%2Fabc&x=1", ("doi", "10.1000/abc")),
    ],
)
def test_identifier_from_url(url: str, expected: tuple[str, str] | None) -> None:
    assert identifier_from_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://www.goodhealth.example/eye-twitching",
        "https://doi.org/not-a-doi",
        "https://pubmed.ncbi.nlm.nih.gov/?term=magnesium",
        "http://[::1",  # unparseable
        "",
    ],
)
def test_identifier_from_url_none(url: str) -> None:
    assert identifier_from_url(url) is None


# --------------------------------------------------------------------------- source checks


def test_check_source_identifiers_reports_bad_ones() -> None:
    source = Source(id="s", doi="10.abc", pmid="12a", pmcid="1234", url="https://doi.org/oops")
    problems = check_source_identifiers(source)
    assert problems == [
        'doi "10.abc" is not a DOI: a DOI looks like 10.1234/suffix',
        'pmid "12a" is not a PMID: a PMID looks like 12345678 (digits only)',
        'pmcid "1234" is not a PMCID: a PMCID looks like PMC1234567',
        'url "https://doi.org/oops" is a doi.org link but holds no DOI: '
        "a DOI link looks like https://doi.org/10.1234/suffix",
    ]


def test_check_source_identifiers_accepts_good_ones() -> None:
    source = Source(
        id="s",
        doi="https://doi.org/10.1000/ABC",
        pmid=31452104,
        pmcid="PMC1",
        url="https://doi.org/10.1000/abc",
    )
    assert check_source_identifiers(source) == []
    assert check_source_identifiers(Source(id="empty", doi=" ", url="https://example.org")) == []


def test_check_source_identifiers_conflicting_link() -> None:
    source = Source(id="s", pmid="1", url="https://pubmed.ncbi.nlm.nih.gov/2/")
    [problem] = check_source_identifiers(source)
    assert "names PMID 2, but the source's pmid is 1" in problem


# --------------------------------------------------------------------------- properties

_suffix_chars = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._;()/:<>[]")
)
generated_dois = (
    st.builds(
        lambda registrant, suffix: f"10.{registrant}/{suffix}",
        st.from_regex(r"[0-9]{4,9}", fullmatch=True),
        st.text(_suffix_chars, min_size=1, max_size=30),
    )
    .map(normalize_doi)
    .filter(lambda doi: doi is not None)
)


@given(st.text(max_size=300))
def test_random_text_never_raises(text: str) -> None:
    for scheme in SCHEMES.values():
        value = scheme.normalize(text)
        assert value is None or scheme.normalize(value) == value
        for found, start, end in scheme.find(text):
            assert 0 <= start < end <= len(text)
            assert scheme.normalize(found) == found
    identifier_from_url(text)
    identifier_from_url("https://" + text)


@given(st.one_of(st.text(max_size=80), st.integers()))
def test_normalize_pmid_idempotent(value: str | int) -> None:
    pmid = normalize_pmid(value)
    assert pmid is None or normalize_pmid(pmid) == pmid


@given(generated_dois)
@example("10.0000/abstract")  # a suffix that is also a view name (found by hypothesis)
def test_doi_round_trips_through_forms(doi: str | None) -> None:
    assert doi is not None
    forms = [
        doi,
        doi.upper(),
        f"doi:{doi}",
        f"DOI: {doi}",
        f"<{doi}>",
        doi_to_url(doi),
        "http://dx.doi.org/" + quote(doi, safe=""),
        doi.replace("/", "%2F", 1),
    ]
    for form in forms:
        assert normalize_doi(form) == doi, form
    assert identifier_from_url(doi_to_url(doi)) == ("doi", doi)
    assert identifier_from_url("https://journals.example/doi/full/" + quote(doi)) == ("doi", doi)


@given(generated_dois)
def test_doi_found_in_a_sentence(doi: str | None) -> None:
    assert doi is not None
    # running text stops at < > [ ], and a bracket that the DOI leaves open is ambiguous
    assume(not any(char in doi for char in "<>[]()"))
    text = f"As shown (https://doi.org/{doi}). Then doi: {doi}, end."
    assert [found for found, _, _ in find_dois(text)] == [doi, doi]


@given(st.integers(min_value=1, max_value=999_999_999))
def test_pmid_round_trips(number: int) -> None:
    pmid = str(number)
    for form in (pmid, f"PMID: {pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/", number):
        assert normalize_pmid(form) == pmid
    assert find_pmids(f"x (PMID:{pmid}).") == [(pmid, 3, 8 + len(pmid))]
    assert normalize_pmcid(f"pmc{pmid}") == f"PMC{pmid}"


# --------------------------------------------------------------------------- malformed, end to end


def test_check_offline_reports_a_malformed_identifier_as_citation_not_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from claimgraph.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CLAIMGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CLAIMGRAPH_PUBMED_URL", "http://127.0.0.1:9/")  # never reached
    monkeypatch.setenv("CLAIMGRAPH_CROSSREF_URL", "http://127.0.0.1:9/")
    claims = {"claims": [{"id": "c", "text": "Magnesium helps sleep.", "sources": ["a", "b"]}]}
    sources = {
        "sources": [
            {"id": "a", "doi": "not a doi at all", "title": "Magnesium and sleep"},
            {"id": "b", "pmid": "abc", "citation": "Smith J. Magnesium. Sleep. 2001;1:1-2."},
        ]
    }
    (tmp_path / "claims.json").write_text(json.dumps(claims))
    (tmp_path / "sources.json").write_text(json.dumps(sources))
    assert main(["check", "--offline", "-f", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert {s["id"]: s["status"] for s in report["sources"]} == {"a": "not_found", "b": "not_found"}
    found = {(f["rule"], f["severity"], f["source"]) for f in report["findings"] if f["source"]}
    assert found == {("citation-not-found", "error", "a"), ("citation-not-found", "error", "b")}
    assert report["claims"][0]["status"] == "broken"


_DOI_PIECES = st.sampled_from(
    ["10.", "1234", "5555", "/", ".", "bench", "X", "é", "İ", ")", "(", ">", "<", ",", " ",
     "\u00a0", "%2f", "%2F", "doi:", "https://doi.org/", "'", '"', "ABC", "-", ";", "ſ"]
)  # fmt: skip


@given(st.lists(_DOI_PIECES, max_size=8).map("".join))
@example("10.5555/bench.1")
@example("10.5555/bench.1.")
@example("10.5555/Bench")
@example("10.5555/x)")
@example("10.1234/ſ")
def test_canonical_doi_shortcut_gives_the_full_normalisation(text: str) -> None:
    from claimgraph.identifiers import _normalize_doi

    assert normalize_doi(text) == _normalize_doi.__wrapped__(text)
    assert normalize_doi("10.5555/" + text) == _normalize_doi.__wrapped__("10.5555/" + text)
