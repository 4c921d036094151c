"""Citation scope: a citation covers the sentence it closes; wider scope only where marked."""

from __future__ import annotations

from pathlib import Path

from claimgraph.extract import extract_draft
from claimgraph.models import Claim, Project


def claim_on(project: Project, fragment: str) -> Claim:
    matches = [c for c in project.claims if fragment in c.text]
    assert len(matches) == 1, [c.text for c in project.claims]
    return matches[0]


REFS = """
## References

1. Okafor N, Lind P. Zinc and colds. J Trials. 2020;3(1):1-9.
2. Brennan T. Zinc lozenges. Nutr Rev. 2018;7(2):10-19.
"""


def test_a_paragraphs_last_citation_does_not_cover_earlier_sentences() -> None:
    draft = (
        "# Zinc\n\nStudies show that zinc shortens colds by two days. "
        "A trial of 200 adults found fewer sick days with zinc lozenges [1].\n" + REFS
    )
    project = extract_draft(Path("zinc.md"), draft.encode())
    studies = claim_on(project, "Studies show")
    assert studies.sources == []
    assert (studies.model_extra or {}).get("attribution") == "Studies show"
    assert claim_on(project, "200 adults").sources == ["okafor-2020"]


def test_a_citation_closing_a_quotation_covers_the_quoted_sentences() -> None:
    draft = (
        "# Zinc\n\nOne reviewer wrote: \u201cZinc lozenges shorten colds in adults by about two days. "
        "Higher doses do not help more.\u201d [2]\n" + REFS
    )
    project = extract_draft(Path("quote.md"), draft.encode())
    assert claim_on(project, "Higher doses").sources == ["brennan-2018"]
    assert claim_on(project, "shorten colds").sources == ["brennan-2018"]


def test_a_cited_lead_in_covers_the_items_of_its_list() -> None:
    draft = (
        "# Zinc\n\nThe trial reported these effects in adults taking zinc: [1]\n\n"
        "- colds lasted two days less on average\n"
        "- nausea was more common than with placebo\n" + REFS
    )
    project = extract_draft(Path("list.md"), draft.encode())
    assert claim_on(project, "nausea was more common").sources == ["okafor-2020"]


def test_a_source_block_covers_only_the_paragraph_before_it() -> None:
    draft = (
        "<h1>Zinc</h1>\n<p>Zinc lozenges are sold in most pharmacies across Europe.</p>\n"
        "<p>Zinc sprays in the nose have caused a lasting loss of smell.</p>\n"
        "<p>Source: Nasal zinc and smell, Pharmacy Weekly, 2011</p>\n"
        "<p>Zinc tablets taken with food cause less nausea than on an empty stomach.</p>\n"
    )
    project = extract_draft(Path("spray.html"), draft.encode())
    assert len(claim_on(project, "loss of smell").sources) == 1
    assert claim_on(project, "most pharmacies").sources == []


def test_a_source_block_that_closes_a_section_covers_the_section() -> None:
    draft = (
        "Is it safe?\n\nNasal zinc sprays have caused a lasting loss of smell.\n\n"
        "Zinc lozenges can leave a metallic taste for several hours.\n\n"
        "Source: Zinc products and safety, Pharmacy Weekly, 2011\n"
    )
    project = extract_draft(Path("safe.txt"), draft.encode())
    smell = claim_on(project, "loss of smell").sources
    assert len(smell) == 1
    assert claim_on(project, "metallic taste").sources == smell
