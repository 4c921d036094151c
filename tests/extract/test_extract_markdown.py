"""The Markdown reader: blocks from markdown-it tokens, located text, links, definitions."""

from __future__ import annotations

from claimgraph.extract.markdown import parse_markdown
from claimgraph.extract.text import Block

DRAFT = """---
title: Front matter is skipped
---
# Magnesium *and* sleep

Roughly a **third** of adults sleep badly [1]. A [trial](https://doi.org/10.1000/abc) found
an effect.[^smith]

> A quoted line
> over two lines.

1. First item
   continued
2. Second item

- Bullet with <sup>2</sup>

| Condition | Effect |
|---|---|
| Cramps | Magnesium eases cramps |

[1]: https://pubmed.ncbi.nlm.nih.gov/123/
[^smith]: Smith J. Title. J Nutr. 2019;1:2-3.
"""


def blocks() -> list[Block]:
    return parse_markdown(DRAFT, "draft.md").blocks


def test_front_matter_is_blanked_and_lines_are_kept() -> None:
    first = blocks()[0]
    assert (first.kind, first.text, first.line, first.level) == (
        "heading",
        "Magnesium and sleep",
        4,
        1,
    )


def test_inline_markup_is_removed_and_columns_found() -> None:
    paragraph = blocks()[1]
    assert paragraph.text == (
        "Roughly a third of adults sleep badly [1]. A trial found an effect.[^smith]"
    )
    assert paragraph.locate(paragraph.text.index("third")) == (6, 13)
    assert paragraph.locate(paragraph.text.index("an effect")) == (7, 1)


def test_links_keep_targets_and_shortcut_references_stay_numbered() -> None:
    paragraph = blocks()[1]
    hrefs = {(link.text, link.href) for link in paragraph.links}
    assert ("trial", "https://doi.org/10.1000/abc") in hrefs
    assert ("[1]", "https://pubmed.ncbi.nlm.nih.gov/123/") in hrefs


def test_quotes_items_cells() -> None:
    kinds = [(b.kind, b.text) for b in blocks()[2:]]
    assert ("quote", "A quoted line over two lines.") in kinds
    assert ("item", "First item continued") in kinds
    assert ("item", "Bullet with [2]") in kinds
    assert ("cell", "Magnesium eases cramps") in kinds
    numbers = [b.label for b in blocks() if b.kind == "item"]
    assert numbers[:2] == ["1", "2"]


def test_definitions_consumed_or_not_become_blocks() -> None:
    definitions = {b.label: (b.text, b.line) for b in blocks() if b.kind == "definition"}
    assert definitions["1"] == ("https://pubmed.ncbi.nlm.nih.gov/123/", 22)
    assert definitions["^smith"] == ("Smith J. Title. J Nutr. 2019;1:2-3.", 23)


def test_thematic_break_and_blank_lines_mark_groups() -> None:
    document = parse_markdown("Para one.\n\n---\n\nPara two.\n\n\n\nPara three.\n", "x.md")
    assert [b.break_before for b in document.blocks] == [False, True, True]


def test_code_is_not_text() -> None:
    document = parse_markdown("```\nStudies show 99% of code.\n```\n\n    indented code\n", "x.md")
    assert document.blocks == []
