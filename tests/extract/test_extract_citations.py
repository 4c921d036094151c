"""Finding citations in text and reference lists, and linking one to the other."""

from __future__ import annotations

from claimgraph.extract.citations import find_citations, link_citation
from claimgraph.extract.markdown import parse_markdown
from claimgraph.extract.reflists import find_references, is_reference_heading, source_block_text
from claimgraph.extract.text import Block, Link, parse_text


def cite(text: str, links: list[Link] | None = None) -> list[tuple[str, str]]:
    block = Block("paragraph", text, 1, links=links or [])
    return [(c.kind, c.value) for c in find_citations(block)]


def test_numbered_ranges_and_lists() -> None:
    assert cite("Fish is good [1]. Oil too [2-4]. Both [5, 7].") == [
        ("numbered", "1"),
        ("numbered", "2"),
        ("numbered", "3"),
        ("numbered", "4"),
        ("numbered", "5"),
        ("numbered", "7"),
    ]


def test_footnotes_and_superscripts() -> None:
    assert cite("Iron matters.[^who] Zinc too.²") == [("footnote", "^who"), ("numbered", "2")]


def test_author_year_forms() -> None:
    found = cite(
        "Caffeine blocks receptors (Fredholm et al., 1999). He and MacGregor (2011) said so, "
        "as did Drake and colleagues (2013) and others (Chen, Wu & He, 2014; Kuhn, 2020)."
    )
    assert found == [
        ("author-year", "Fredholm|1999|"),
        ("author-year", "He|2011|MacGregor"),
        ("author-year", "Drake|2013|"),
        ("author-year", "Chen|2014|He"),
        ("author-year", "Kuhn|2020|"),
    ]


def test_parentheses_that_are_not_citations() -> None:
    assert cite("It started (in 2019) and grew (March 2020) to 40% (see below).") == []


def test_identifiers_and_urls() -> None:
    found = cite(
        "See doi:10.1000/abc, PMID: 12345, PMC67890 and https://example.org/page or "
        "https://doi.org/10.1000/XYZ."
    )
    assert ("doi", "10.1000/abc") in found
    assert ("pmid", "12345") in found
    assert ("pmcid", "PMC67890") in found
    assert ("url", "https://example.org/page") in found
    assert ("doi", "10.1000/xyz") in found


def test_links_internal_links_are_not_sources() -> None:
    text = "A trial and a shop and home."
    links = [
        Link(2, 7, "https://pubmed.ncbi.nlm.nih.gov/555/", "trial"),
        Link(14, 18, "https://shop.example.com/x", "shop"),
        Link(23, 27, "/home", "home"),
    ]
    assert cite(text, links) == [("pmid", "555"), ("url", "https://shop.example.com/x")]


def test_inline_source() -> None:
    assert cite("Vitamin D helps (Source: NHS website, 2022).") == [
        ("inline-source", "NHS website, 2022")
    ]


def test_reference_headings() -> None:
    for heading in ("References", "Sources:", "Bibliography", "Notes", "Further reading"):
        assert is_reference_heading(heading)
    assert not is_reference_heading("References to magnesium in old texts")


def test_source_block_text() -> None:
    assert (
        source_block_text("Source: Ten signs, Good Health, 2014") == "Ten signs, Good Health, 2014"
    )
    assert source_block_text(
        "Author: D. Marchetti Published: Cramps, Revue Med, 1991. You can read it here."
    ) == ("Author: D. Marchetti Published: Cramps, Revue Med, 1991.")
    assert source_block_text("Research: we asked ten friends") is None
    assert source_block_text("Magnesium: the facts") is None


DRAFT = """# Fish

Fish oil is popular [1] and cuts triglycerides [2] (Lee and Park 2018).

## References

1. Moreno LA, Tran QH. Use of supplements. Public Health Nutr. 2018;21(4):612-620.
2. Harwood PJ. Triglycerides. J Lipid Res. 2011;52(6):1101-1109. doi:10.5555/tg
Lee A, Park B (2018) Fish and hearts. Heart J 3: 4-5.
"""


def test_reference_list_entries_and_linking() -> None:
    document = parse_markdown(DRAFT, "fish.md")
    index = find_references(document)
    assert index.has_list
    by_label = {e.labels[0]: e for e in index.entries if e.labels}
    assert by_label["2"].parsed.doi == "10.5555/tg"
    citations = find_citations(document.blocks[1])
    linked = [link_citation(c, index) for c in citations]
    assert [e.parsed.authors[0] if e else None for e in linked] == [
        "Moreno LA",
        "Harwood PJ",
        "Lee A",
    ]


def test_standalone_source_blocks() -> None:
    document = parse_text("Some claim here.\n\nSource: Ten signs, Good Health, NZ, 2014\n", "x.txt")
    index = find_references(document)
    assert list(index.standalone) == [1]
    assert index.standalone[1][0].parsed.outlet_kind == "magazine"


def test_published_in_a_journal_and_year_links_to_that_entry() -> None:
    document = parse_markdown(
        "# Salt\n\nA trial published in *Hypertension Today* (2021) cut blood pressure.\n\n"
        "## References\n\n"
        "1. Ruiz M, Berg A. Salt and stroke. Stroke Rep. 2019;2(1):1-9.\n"
        "2. Kaur P, Lee S. Salt substitutes in adults. Hypertension Today. 2021;14(2):33-41.\n",
        "salt.md",
    )
    index = find_references(document)
    citations = find_citations(document.blocks[1])
    assert [c.kind for c in citations] == ["venue-year"]
    entry = link_citation(citations[0], index)
    assert entry is not None and entry.parsed.authors[0] == "Kaur P"
