"""The HTML reader: a real parser, skipped furniture, located text, links and notes."""

from __future__ import annotations

import pytest

from claimgraph.extract.html import parse_html
from claimgraph.extract.text import Block

PAGE = """<!DOCTYPE html>
<html><head><title>T</title><script>var s = "<p>Studies show 99%</p>";</script></head>
<body>
<nav><a href="/">Home</a></nav>
<article>
<h1>Water &amp; you</h1>
<p>Water makes up <b>60%</b> of the body.<sup><a href="#ref-1">1</a></sup> See a
<a href="https://doi.org/10.1000/x">trial</a>.</p>
<div>Loose text.<p>Inner paragraph.</p>Tail text.</div>
<div style="display: none"><p>Hidden advert.</p></div>
<ul><li><p>Item paragraph</p><ul><li>Nested item</li></ul></li></ul>
<table><tr><td>Cell claim text</td></tr></table>
<!-- a comment -->
<ol start="3"><li id="ref-1">Smith J. Title. J Nutr. 2019;1:2.</li><li>Next one.</li></ol>
</article>
</body></html>
"""


@pytest.fixture
def blocks() -> list[Block]:
    return parse_html(PAGE, "page.html").blocks


def test_scripts_nav_comments_and_hidden_content_are_skipped(blocks: list[Block]) -> None:
    texts = " ".join(b.text for b in blocks)
    assert "Studies show" not in texts
    assert "Home" not in texts
    assert "comment" not in texts
    assert "Hidden advert" not in texts


def test_heading_and_entities(blocks: list[Block]) -> None:
    assert (blocks[0].kind, blocks[0].text, blocks[0].level) == ("heading", "Water & you", 1)


def test_paragraph_text_links_and_superscript_numbers(blocks: list[Block]) -> None:
    paragraph = blocks[1]
    assert paragraph.text == "Water makes up 60% of the body.[1] See a trial."
    assert [(link.text, link.href) for link in paragraph.links] == [
        ("[1]", "#ref-1"),
        ("trial", "https://doi.org/10.1000/x"),
    ]
    assert paragraph.locate(0) == (7, 4)


def test_mixed_content_divs_and_nested_lists(blocks: list[Block]) -> None:
    texts = [(b.kind, b.text) for b in blocks]
    assert ("paragraph", "Loose text.") in texts
    assert ("paragraph", "Inner paragraph.") in texts
    assert ("paragraph", "Tail text.") in texts
    assert ("item", "Item paragraph") in texts
    assert ("item", "Nested item") in texts
    assert ("cell", "Cell claim text") in texts


def test_ordered_list_numbers_and_ids(blocks: list[Block]) -> None:
    items = [b for b in blocks if b.element_id == "ref-1" or b.text == "Next one."]
    assert [(b.label, b.element_id) for b in items] == [("3", "ref-1"), ("4", None)]


@pytest.mark.parametrize(
    "markup",
    ["", "<", "<p>", "</p></p>", "<p><b>unclosed", "<![CDATA[x]]>", "<?php echo 1 ?>", "&#xZZ;"],
)
def test_broken_markup_is_parsed(markup: str) -> None:
    parse_html(markup, "broken.html")


def test_deeply_nested_markup_does_not_hit_the_recursion_limit() -> None:
    depth = 3000
    page = "<div>" * depth + "<p>Deep <b>" * 1 + "paragraph</b> text.</p>" + "</div>" * depth
    spans = "<p>" + "<span>" * depth + "Deep inline text." + "</span>" * depth + "</p>"
    blocks = parse_html(page + spans, "deep.html").blocks
    assert [b.text for b in blocks] == ["Deep paragraph text.", "Deep inline text."]


def test_unclosed_paragraphs_one_per_line_stay_apart_with_their_lines() -> None:
    page = "<p>First paragraph here.\n<p>Second one, on line two.\n<p>Third.\n"
    blocks = parse_html(page, "p.html").blocks
    assert [(b.text, b.line, b.column) for b in blocks] == [
        ("First paragraph here.", 1, 4),
        ("Second one, on line two.", 2, 4),
        ("Third.", 3, 4),
    ]


def test_front_matter_is_not_text_and_lines_are_kept() -> None:
    page = "---\ntitle: 'A post'\ndate: 2020-01-01\n---\n<p>Body text.</p>\n"
    blocks = parse_html(page, "post.html").blocks
    assert [(b.text, b.line) for b in blocks] == [("Body text.", 5)]


def test_a_sentence_is_located_where_it_starts_in_a_multi_line_block() -> None:
    from pathlib import Path

    from claimgraph.extract import extract_draft

    page = (
        "<p>Iron deficiency is the most common nutrient deficiency worldwide.\n"
        "   Women who menstruate lose about 1 mg of iron a day.</p>\n"
    )
    project = extract_draft(Path("iron.html"), page.encode())
    second = next(c for c in project.claims if c.text.startswith("Women"))
    assert second.location is not None
    assert (second.location.line, second.location.column) == (2, 4)
