"""Golden-file tests for the text, markdown and JSON formats (UPDATE_GOLDEN=1 regenerates)."""

import dataclasses
import json

import pytest
from rich.cells import cell_len

from claimgraph.formats import FormatOptions, render
from claimgraph.report import Report
from tests.formats.report_samples import (
    ATTR_PAYLOAD,
    SCRIPT_PAYLOAD,
    assert_golden,
    empty_report,
    sample_report,
)


def test_text_golden() -> None:
    assert_golden("report.txt", render(sample_report(), "text", FormatOptions(width=120)))


def test_text_colour_only_when_asked() -> None:
    plain = render(sample_report(), "text", FormatOptions(color=False))
    coloured = render(sample_report(), "text", FormatOptions(color=True))
    assert "\x1b[" not in plain
    assert "\x1b[" in coloured


def test_markdown_golden() -> None:
    assert_golden("report.md", render(sample_report(), "markdown"))


def test_markdown_lets_no_html_or_table_breaking_through() -> None:
    text = render(sample_report(), "markdown")
    assert SCRIPT_PAYLOAD not in text and "<script>" not in text
    assert ATTR_PAYLOAD not in text
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            # every table row keeps its column count: user pipes are escaped
            assert line.replace("\\|", "").count("|") in {6}, line


def test_json_golden_and_round_trip() -> None:
    text = render(sample_report(), "json")
    assert_golden("report.json", text)
    assert Report.model_validate_json(text) == sample_report()
    assert json.loads(text)["schema_version"] == 2


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_empty_report(fmt: str) -> None:
    assert render(empty_report(), fmt)


@pytest.mark.parametrize("width", [60, 80, 100, 160])
def test_text_claims_table_uses_the_width(width: int) -> None:
    """Every claim row fits; the claim text gets a readable share (30 cells, or lines of its
    own under the row), never a sliver next to long ids."""
    text = render(sample_report(), "text", FormatOptions(width=width))
    lines = text.split("\n")
    table = lines[lines.index("Claims") + 1 : lines.index("What the cited abstracts say") - 1]
    assert all(cell_len(line) <= width for line in table), table
    flowing = " ".join(" ".join(table).split())  # a text wrapped under its row reads on
    for claim in sample_report().claims:
        shown = " ".join(claim.text.split())
        assert shown[:30] in flowing, (claim.id, table)
        assert any(claim.id in line for line in table)
    if width >= 100:  # wide enough: one line per claim
        assert len(table) == 1 + len(sample_report().claims)


def test_text_cuts_a_long_id_in_the_middle_not_every_text() -> None:
    sample = sample_report()
    long_id = "a-very-long-claim-identifier-that-goes-on-and-on-forever-2024-x"
    claims = [dataclasses.replace(sample.claims[0], id=long_id), *sample.claims[1:]]
    report = dataclasses.replace(sample, claims=claims)  # the sample's own list is shared
    text = render(report, "text", FormatOptions(width=120))
    lines = text.split("\n")
    table = lines[lines.index("Claims") + 1 : lines.index("What the cited abstracts say") - 1]
    assert len(table) == 1 + len(report.claims)  # still one line per claim
    (row,) = [line for line in table if "a-very-long" in line]
    assert "…nd-on-forever-2024-x" in row  # both ends of the id tell it apart
    assert all(cell_len(line) <= 120 for line in table)
