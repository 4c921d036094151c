"""Any bytes in: a clean result or a clean InputError out, for every draft format."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimgraph.errors import InputError
from claimgraph.extract import extract_draft
from claimgraph.extract.html import parse_html
from claimgraph.extract.markdown import parse_markdown
from claimgraph.extract.text import parse_text
from claimgraph.models import Claim

PIECES = st.sampled_from(
    [
        "# ", "## ", "\n", "\n\n", "\n\n\n", "[1]", "[2-4]", "[^a]", "[^a]: ", "[1]: ",
        "Smith et al. (2019)", "(Smith and Lee 2019)", "(Source: Healthline)", "Source: ",
        "Authors: ", "Published: ", "https://doi.org/10.1000/x", "doi:10.1000/y", "PMID: 12",
        "PMC34", "<sup>", "</sup>", "<a href='#ref-1'>", "</a>", "<p>", "</p>",
        "<li id='ref-1'>", "<ol>", "</ol>", "<script>", "<!--", "-->", "* ", "1. ", "> ",
        "|a|b|\n|-|-|\n", "```\n", "---\n", "Magnesium reduces cramps by 40%. ",
        "Studies show that ", "?", ".", " ", "é", "\u200b", "\r", "\t", "[", "]", "(", ")",
        "References\n", "•", "www.example.com", "Good Health, 2014", "<h2>", "</h2>",
    ]
)  # fmt: skip
DRAFTS = st.one_of(st.lists(PIECES, max_size=40).map("".join), st.text(max_size=300))


def _check(project_claims: list[Claim], file: str) -> None:
    for claim in project_claims:
        assert claim.location is not None and claim.location.file == file
        assert (claim.location.line or 0) >= 1 and (claim.location.column or 1) >= 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DRAFTS, st.sampled_from([".md", ".html", ".txt"]))
def test_any_text_extracts(text: str, suffix: str) -> None:
    file = f"draft{suffix}"
    try:
        project = extract_draft(Path(file), text.encode("utf-8"))
    except InputError as error:
        assert "NUL" in error.message
        return
    _check(project.claims, file)
    ids = [c.id for c in project.claims]
    assert len(ids) == len(set(ids))
    source_ids = [s.id for s in project.sources]
    assert len(source_ids) == len(set(source_ids))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300), st.sampled_from([".md", ".html", ".txt", ""]))
def test_any_bytes_extract_or_raise_input_error(raw: bytes, suffix: str) -> None:
    try:
        extract_draft(Path(f"draft{suffix}"), raw)
    except InputError as error:
        assert error.file == f"draft{suffix}"


@settings(max_examples=100, deadline=None)
@given(DRAFTS)
def test_readers_locate_every_block(text: str) -> None:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    for document in (
        parse_text(text, "t.txt"),
        parse_markdown(text, "t.md"),
        parse_html(text, "t.html"),
    ):
        for block in document.blocks:
            assert block.text == block.text.strip() and block.text
            for offset in (0, len(block.text) - 1):
                line, column = block.locate(offset)
                assert 1 <= line <= lines + 1 and column >= 1
