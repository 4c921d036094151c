"""The plain-text reader: paragraphs, groups, headings, list items and locations."""

from __future__ import annotations

from claimgraph.extract.text import parse_text

DRAFT = """Zinc and colds


Learn more about zinc.

Zinc is needed by many enzymes. It is found in meat
and shellfish.

Symptoms of low zinc
  • Hair loss
  • Slow wound healing

Source: Five supplements for winter, Healthy Living Magazine, Australia, 2019
[^1]: Smith J. Zinc. J Nutr. 2019;1:2.
"""


def test_blocks_and_kinds() -> None:
    document = parse_text(DRAFT, "zinc.txt")
    kinds = [(block.kind, block.text[:20]) for block in document.blocks]
    assert kinds == [
        ("heading", "Zinc and colds"),
        ("paragraph", "Learn more about zin"),
        ("paragraph", "Zinc is needed by ma"),
        ("heading", "Symptoms of low zinc"),
        ("item", "Hair loss"),
        ("item", "Slow wound healing"),
        ("paragraph", "Source: Five supplem"),
        ("definition", "Smith J. Zinc. J Nut"),
    ]


def test_two_blank_lines_start_a_group() -> None:
    document = parse_text(DRAFT, "zinc.txt")
    assert [b.break_before for b in document.blocks[:3]] == [False, True, False]


def test_lines_are_joined_and_located() -> None:
    block = parse_text(DRAFT, "zinc.txt").blocks[2]
    assert block.text == "Zinc is needed by many enzymes. It is found in meat and shellfish."
    assert block.locate(0) == (6, 1)
    assert block.locate(block.text.index("and shellfish")) == (7, 1)
    assert block.locate(block.text.index("It is")) == (6, 33)


def test_list_items_keep_their_column_and_list() -> None:
    items = [b for b in parse_text(DRAFT, "zinc.txt").blocks if b.kind == "item"]
    assert (items[0].line, items[0].column) == (10, 5)
    assert items[0].list_id == items[1].list_id


def test_definition_label() -> None:
    block = parse_text(DRAFT, "zinc.txt").blocks[-1]
    assert block.label == "^1"
    assert (block.line, block.column) == (14, 7)


def test_empty_text() -> None:
    assert parse_text("", "x.txt").blocks == []
    assert parse_text("\n\n  \n", "x.txt").blocks == []
