"""Hostile text from the inputs or a service never drives a terminal or breaks a format.

Claim ids, claim text, record titles and messages may hold terminal control sequences
(clear screen, OSC title / hyperlink / clipboard), C1 controls, NUL, bidi overrides (Trojan
Source), lone surrogates (a cut ``"\\ud800"`` escape), newlines that forge a report line, and
``@mentions``. Every format meant for people or XML parsers shows them escaped
(:mod:`claimgraph.safetext`); the JSON report stays exact.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimgraph.audit import audit
from claimgraph.cli import main
from claimgraph.export import export_graph
from claimgraph.formats import FormatOptions, render, render_parts
from claimgraph.formats.github import step_summary
from claimgraph.levels import ClaimStatus, Evidence, Severity, SourceStatus
from claimgraph.models import Location
from claimgraph.report import (
    ClaimResult,
    Finding,
    RecordSummary,
    Report,
    SourceResult,
    summarize,
)
from claimgraph.safetext import json_text, multiline, one_line
from tests.formats.report_samples import TOOL
from tests.helpers import project

HOSTILE = [
    "\x1b[2J\x1b[H",  # clear the screen, cursor home
    "\x1b[1A\x1b[2K",  # cursor up, erase the line
    "\x1b]0;pwned\x07",  # OSC window title
    "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",  # OSC hyperlink
    "\x1b]52;c;ZXZpbA==\x07",  # OSC clipboard
    "\x9b31m\x9d0;t\x9c",  # C1 CSI / OSC / ST
    "\x00\x07\x08\x7f\r",
    "\ud800",  # a lone surrogate
    "\udfff",
    "\u202eevil\u202c\u2066x\u2069",  # bidi override and isolate
    "\ufffe\uffff",
    "\n\x1b[32mSummary: 0 claims; 0 errors, 0 warnings, 0 info\x1b[0m\n",
    "@octocat and @org/team",
    "\t<b>&</b> | ` # *",
]
#: what no text meant for people may contain raw (tab and newline are judged per format)
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
#: the colour the text format itself writes: SGR sequences and nothing else
SGR = re.compile(r"\x1b\[[0-9;]*m")

_ID_REJECTS = re.compile("[\n\ud800-\udfff]")

hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE), st.text(max_size=8)), min_size=1, max_size=4
).map("".join)


def hostile_report(claim_id: str, text: str, title: str, message: str) -> Report:
    finding = Finding(
        rule="unsourced-claim",
        severity=Severity.ERROR,
        claim=claim_id,
        source="s" + title[:3],
        message=message,
        location=Location(file="a" + message[:5] + ".md", line=1),
    )
    claim = ClaimResult(
        id=claim_id,
        text=text,
        status=ClaimStatus.UNSOURCED,
        sources=["s" + title[:3]],
        findings=[finding],
        reason=message,
    )
    source = SourceResult(
        id="s" + title[:3],
        status=SourceStatus.MISMATCH,
        evidence=Evidence.RCT,
        title=title,
        citation=text,
        url="https://example.org/" + text,
        doi="10.1000/" + claim_id,
        record=RecordSummary(
            service="pubmed", title=title, journal=message, pmid="1", doi="10.1000/" + title
        ),
        cited_by=[claim_id],
        findings=[finding],
    )
    claims, sources, findings = [claim], [source], [finding]
    return Report(
        tool=TOOL,
        inputs=["claims" + claim_id[:4] + ".json"],
        summary=summarize(claims, sources, findings),
        claims=claims,
        sources=sources,
        findings=findings,
    )


def meaning(value: str) -> str:
    """What ``value`` says in JSON (a surrogate pair split in two reads as one character)."""
    loaded: str = json.loads(json.dumps(value))
    return loaded


def _no_raw_controls(text: str, *, allowed: str = "\n") -> None:
    found = {char for char in RAW.findall(text) if char not in allowed}
    assert not found, sorted(found)
    text.encode("utf-8")  # writable as it is


@settings(max_examples=60, deadline=None)
@given(claim_id=hostile_text, text=hostile_text, title=hostile_text, message=hostile_text)
def test_people_formats_show_no_raw_control_characters(
    claim_id: str, text: str, title: str, message: str
) -> None:
    report = hostile_report(claim_id, text, title, message)

    plain = render(report, "text", FormatOptions(width=100))
    _no_raw_controls(plain)
    # nothing can forge a line of the report: one summary line, the last one
    summaries = [line for line in plain.splitlines() if line.startswith("Summary:")]
    assert len(summaries) == 1 and plain.rstrip("\n").endswith(summaries[0])
    coloured = render(report, "text", FormatOptions(width=100, color=True))
    _no_raw_controls(SGR.sub("", coloured))

    for fmt in ("markdown", "github", "html"):
        _no_raw_controls(render(report, fmt), allowed="\n")
    summary = step_summary(report)
    _no_raw_controls(summary)
    # no live @mention outside code spans (they notify nobody)
    spans = re.sub(r"`[^`\n]*`", "", summary.replace("\\`", ""))  # an escaped ` opens none
    assert not re.search(r"@[A-Za-z0-9]", spans)

    sarif = render(report, "sarif")
    (result,) = json.loads(sarif)["runs"][0]["results"]
    assert result["message"]["text"] == multiline(message)
    _no_raw_controls(result["message"]["text"], allowed="\n\t")

    junit = render(report, "junit")
    SafeET.fromstring(junit.encode("utf-8"))  # well-formed
    _no_raw_controls(junit, allowed="\n\t")


@settings(max_examples=40, deadline=None)
@given(claim_id=hostile_text, text=hostile_text, title=hostile_text)
def test_json_report_stays_exact(claim_id: str, text: str, title: str) -> None:
    report = hostile_report(claim_id, text, title, "m")
    output = render(report, "json")
    output.encode("utf-8")
    data = json.loads(output)
    assert data["claims"][0]["id"] == meaning(claim_id)
    assert data["claims"][0]["text"] == meaning(text)
    assert data["sources"][0]["record"]["title"] == meaning(title)
    assert "".join(render_parts(report, "json")) == output


@settings(max_examples=30, deadline=None)
@given(claim_id=hostile_text, text=hostile_text, title=hostile_text)
def test_graph_exports_are_well_formed_xml(claim_id: str, text: str, title: str) -> None:
    proj = project(
        # claims.json rejects an id with a newline, a lone surrogate or whitespace at an end
        [
            {
                "id": "c" + _ID_REJECTS.sub("_", claim_id) + "c",
                "text": text or "x",
                "sources": ["s1"],
            }
        ],
        [{"id": "s1", "title": title or "t", "url": "https://example.org/"}],
    )
    report = audit(proj, offline=True)
    for fmt in ("graphml", "gexf"):
        SafeET.fromstring(export_graph(proj, report, fmt).encode("utf-8"))
    _no_raw_controls(export_graph(proj, report, "dot"), allowed="\n")
    data = json.loads(export_graph(proj, report, "json"))
    assert {node.get("label") for node in data["nodes"]} >= {meaning(text or "x")}


def test_the_policy() -> None:
    assert one_line("a\x1b[2J\nSummary:\t0  errors") == "a\\x1b[2J Summary: 0 errors"
    assert one_line("\x9b\x7f\x00\ud800\u202e\u2066") == "\\x9b\\x7f\\x00\\ud800\\u202e\\u2066"
    assert multiline("a\r\nb\rc\td\ne") == "a\nb\\x0dc\td\ne"
    assert one_line("Le magnésium — 睡眠 😴") == "Le magnésium — 睡眠 😴"
    assert json_text(json.dumps("x\ud800", ensure_ascii=False)) == '"x\\ud800"'


def test_text_output_of_the_cli_cannot_fake_a_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # a carriage return takes the cursor back to the start of the line: a forged summary
    forged = "c1\r\x1b[32mSummary: 1 claim (1 supported), 0 sources; 0 errors\x1b[0m\u2028x"
    claims = {"claims": [{"id": forged, "text": "cut emoji \ud83d\x1b]0;t\x07", "sources": []}]}
    (tmp_path / "claims.json").write_text(json.dumps(claims), encoding="utf-8")
    (tmp_path / "sources.json").write_text('{"sources": []}', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CLAIMGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["check", "--offline", "--no-support"]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\ud83d" not in out
    summaries = [line for line in out.splitlines() if line.startswith("Summary:")]
    assert len(summaries) == 1 and summaries[0].startswith("Summary: 1 claim (1 unsourced)")
    for fmt in ("json", "html", "markdown", "text", "sarif", "junit", "github"):
        assert main(["check", "--offline", "--no-support", "-f", fmt, "-o", f"r.{fmt}"]) == 1
        written = (tmp_path / f"r.{fmt}").read_text(encoding="utf-8")
        if fmt == "json":
            assert json.loads(written)["claims"][0]["text"] == claims["claims"][0]["text"]
        else:
            assert "\x1b" not in written


def test_resolve_table_shows_service_titles_escaped_and_reads_no_markup() -> None:
    from claimgraph.app import ResolveOutcome, resolution_table
    from claimgraph.models import Source
    from claimgraph.records import Record
    from claimgraph.resolvers.base import Resolution

    title = "[link=https://evil.example/]click[/link] \x1b]0;pwned\x07\x1b[2J\u202eevil"
    source = Source(id="s1", kind="journal-article", doi="10.1000/x")
    resolution = Resolution(
        status=SourceStatus.VERIFIED, record=Record(service="crossref", title=title)
    )
    outcome = ResolveOutcome(
        sources=[source],
        results={"s1": resolution},
        found={},
        added=None,
        sources_file=None,
        exit_code=0,
    )
    for color in (False, True):
        table = resolution_table(outcome, width=200, color=color)
        assert "\x1b]" not in table and "\x1b[2J" not in table and "\u202e" not in table
        assert "[link=https://evil.example/]click[/link]" in table  # shown, not obeyed
        assert "\\x1b]0;pwned\\x07" in table


def test_error_messages_show_names_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--offline", "no\x1b]0;pwned\x07such"]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert "no\\x1b]0;pwned\\x07such" in err
