"""``render_parts``: a report's text in pieces, joining to exactly what ``render`` gives."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from claimgraph.atomic import write_text_atomic
from claimgraph.cli import emit
from claimgraph.formats import FORMATS, json_format, render, render_parts
from claimgraph.report import SCHEMA_VERSION, Report
from tests.formats.report_samples import empty_report, sample_report


def _many(report: Report, copies: int) -> Report:
    """The sample report with its claims, sources and findings repeated ``copies`` times."""
    return dataclasses.replace(
        report,
        claims=report.claims * copies,
        sources=report.sources * copies,
        findings=report.findings * copies,
    )


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_parts_join_to_the_rendered_text(fmt: str) -> None:
    for report in (sample_report(), empty_report()):
        assert "".join(render_parts(report, fmt)) == render(report, fmt)


@pytest.mark.parametrize("compact_above", [0, 3, 10_000])
def test_large_json_in_pieces_is_the_same_text(
    compact_above: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(json_format, "COMPACT_ABOVE", compact_above)
    monkeypatch.setattr(json_format, "_ITEMS_PER_PART", 7)  # lists end mid-piece too
    for report in (sample_report(), empty_report(), _many(sample_report(), 13)):
        text = render(report, "json")
        parts = list(render_parts(report, "json"))
        assert "".join(parts) == text
        assert json.loads(text)["schema_version"] == SCHEMA_VERSION
        if compact_above == 0 and report.claims:
            assert len(parts) > 3  # written in pieces, never as one string


def test_emit_writes_pieces_and_one_final_newline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    emit(iter(["{", '"a":1', "", "}"]), None)
    emit("done\n", None)
    emit(iter([]), None)
    assert capsys.readouterr().out == '{"a":1}\ndone\n\n'
    target = tmp_path / "report.json"
    emit(iter(["{", '"a":1', "}"]), str(target))
    assert target.read_text(encoding="utf-8") == '{"a":1}\n'


def test_atomic_write_of_pieces(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_text_atomic(target, iter(["a", "", "b\n"]), final_newline=True)
    assert target.read_text(encoding="utf-8") == "ab\n"
    write_text_atomic(target, ["x"], final_newline=False)
    assert target.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize("compact_above", [0, 10_000])
def test_large_sarif_html_and_text_in_pieces(
    compact_above: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written a part at a time (a large report is never one string), joining to the same
    text; a large SARIF log is compact, as the JSON report is, and says the same."""
    from claimgraph.formats import html, sarif, text

    monkeypatch.setattr(sarif, "COMPACT_ABOVE", compact_above)
    monkeypatch.setattr(sarif, "_RESULTS_PER_PART", 4)
    monkeypatch.setattr(html, "_PIECES_PER_PART", 100)
    monkeypatch.setattr(text, "_LINES_PER_PART", 10)
    report = _many(sample_report(), 13)
    for fmt in ("sarif", "html", "text"):
        parts = list(render_parts(report, fmt))
        assert len(parts) > 3, fmt
        assert "".join(parts) == render(report, fmt)
    log = json.loads(render(report, "sarif"))
    assert log == json.loads(json.dumps(sarif.sarif_log(report)))
    assert len(log["runs"][0]["results"]) == len(report.findings)
    indented = render(report, "sarif").startswith('{\n  "$schema"')
    assert indented == (compact_above > 0)
