from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimgraph.app import append_step_summary
from claimgraph.formats import FormatOptions, markdown, render
from claimgraph.formats.github import (
    STEP_SUMMARY_LIMIT,
    annotation,
    escape_data,
    escape_property,
    step_summary,
)
from claimgraph.levels import Severity
from claimgraph.models import Location
from claimgraph.report import Finding
from claimgraph.safetext import multiline
from tests.formats.report_samples import assert_golden, empty_report, sample_report

COMMAND = re.compile(r"^::(error|warning|notice) (?P<props>[^:]*)::(?P<message>.*)$")


def _unescape(text: str) -> str:
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, char)
    return text


def _props(line: str) -> dict[str, str]:
    match = COMMAND.match(line)
    assert match, line
    return dict(item.split("=", 1) for item in match["props"].split(","))


def test_golden() -> None:
    assert_golden("report.github.txt", render(sample_report(), "github", FormatOptions()))


def test_one_annotation_per_finding_then_a_summary() -> None:
    report = sample_report()
    lines = render(report, "github", FormatOptions()).splitlines()
    assert len(lines) == len(report.findings) + 1
    kinds = [COMMAND.match(line)[1] for line in lines[:-1]]  # type: ignore[index]
    expected = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    assert kinds == [expected[f.severity] for f in report.findings]
    assert lines[-1].startswith("claimgraph: 7 claims")
    assert not lines[-1].startswith("::")


def test_annotations_carry_file_line_and_column() -> None:
    report = sample_report()
    by_rule = {f.rule: f for f in report.findings}
    props = _props(annotation(report, by_rule["anecdotal-only"]))
    assert props == {
        "file": "articles/draft%2C v2%3Afinal.md",
        "line": "7",
        "col": "1",
        "title": "claimgraph anecdotal-only",
    }
    # no draft location: the input file, no line
    assert _props(annotation(report, by_rule["unsourced-claim"])) == {
        "file": "claims.json",
        "title": "claimgraph unsourced-claim",
    }


def test_message_escaping() -> None:
    report = sample_report()
    (finding,) = [f for f in report.findings if f.rule == "unsupported-attribution"]
    line = annotation(report, finding)
    assert "\n" not in line
    assert "100%25 of readers" in line
    assert line.endswith("editors%0Acite the studies or drop the attribution")
    match = COMMAND.match(line)
    assert match and _unescape(match["message"]) == finding.message


def test_escape_functions() -> None:
    assert escape_data("50% a\r\nb: c, d") == "50%25 a%0D%0Ab: c, d"
    assert escape_property("50% a\r\nb: c, d") == "50%25 a%0D%0Ab%3A c%2C d"
    # % first, so an escape sequence in the input is not mistaken for one
    assert escape_data("%0A") == "%250A"


@given(st.text(), st.text(min_size=1), st.integers(min_value=1, max_value=10**6))
def test_no_text_can_break_out_of_an_annotation(message: str, file: str, line: int) -> None:
    finding = Finding(
        rule="unsourced-claim",
        severity=Severity.WARNING,
        claim="c",
        message=message,
        location=Location(file=file, line=line),
    )
    report = empty_report().model_copy(update={"findings": [finding]})
    text = annotation(report, finding)
    assert "\n" not in text and "\r" not in text
    match = COMMAND.match(text)
    assert match is not None
    # control characters are shown escaped (the log viewer obeys ANSI sequences)
    assert _unescape(match["message"]) == multiline(message)
    props = _props(text)
    assert _unescape(props["file"]) == multiline(file.replace("\\", "/"))
    assert props["line"] == str(line)


def test_empty_report_prints_only_the_summary() -> None:
    assert render(empty_report(), "github", FormatOptions()).splitlines() == [
        "claimgraph: 0 claims (none), 0 sources; 0 errors, 0 warnings, 0 info"
    ]


def test_append_step_summary_appends_the_markdown(tmp_path: Path) -> None:
    path = tmp_path / "summary.md"
    path.write_text("# earlier step\n", encoding="utf-8")
    report = sample_report()
    append_step_summary(report, path)
    expected = markdown.render(report, FormatOptions())
    assert path.read_text(encoding="utf-8") == "# earlier step\n" + expected
    append_step_summary(report, path)
    assert path.read_text(encoding="utf-8").count("claimgraph audit") == 2


def test_step_summary_is_cut_to_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    huge = "| row |\n" * (STEP_SUMMARY_LIMIT // 4)
    monkeypatch.setattr(markdown, "render", lambda report, options: huge)
    text = step_summary(sample_report())
    assert len(text.encode("utf-8")) <= STEP_SUMMARY_LIMIT
    assert text.endswith("see the full report in the log._\n")
    assert "| row |\n\n_The report was cut" in text


# ----------------------------------------------------------------------------- action and hook

ROOT = Path(__file__).parents[2]


def _yaml(name: str) -> Any:
    yaml = pytest.importorskip("yaml", reason="PyYAML reads action.yml and .pre-commit-hooks.yaml")
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


def test_action_metadata() -> None:
    action = _yaml("action.yml")
    assert set(action["inputs"]) == {
        "paths",
        "args",
        "fail-on",
        "format",
        "output",
        "python-version",
    }
    assert action["inputs"]["format"]["default"] == "github"
    assert action["inputs"]["fail-on"]["default"] == "error"
    assert action["outputs"]["exit-code"]["value"] == "${{ steps.check.outputs.exit-code }}"
    assert action["runs"]["using"] == "composite"
    (check,) = [step for step in action["runs"]["steps"] if step.get("id") == "check"]
    # inputs reach the script only through the environment (no script injection)
    assert "${{" not in check["run"]
    assert set(check["env"].values()) == {
        f"${{{{ inputs.{name} }}}}" for name in ("paths", "args", "fail-on", "format", "output")
    }


def _run_action_script(tmp_path: Path, **inputs: str) -> tuple[int, str, str, str]:
    action = _yaml("action.yml")
    (check,) = [step for step in action["runs"]["steps"] if step.get("id") == "check"]
    github_output = tmp_path / "github_output"
    summary = tmp_path / "step_summary.md"
    github_output.write_text("", encoding="utf-8")
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "CLAIMGRAPH_CACHE_DIR": str(tmp_path / "cache"),
        "GITHUB_OUTPUT": str(github_output),
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    for name, variable in (
        ("paths", "CLAIMGRAPH_PATHS"),
        ("args", "CLAIMGRAPH_ARGS"),
        ("fail-on", "CLAIMGRAPH_FAIL_ON"),
        ("format", "CLAIMGRAPH_FORMAT"),
        ("output", "CLAIMGRAPH_OUTPUT"),
    ):
        env[variable] = inputs.get(name, str(action["inputs"][name].get("default", "")))
    # GitHub runs a bash step as `bash --noprofile --norc -eo pipefail {0}`
    script = tmp_path / "step.sh"
    script.write_text(check["run"], encoding="utf-8")
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    written = summary.read_text(encoding="utf-8") if summary.exists() else ""
    return done.returncode, done.stdout, github_output.read_text(encoding="utf-8"), written


def test_action_script_annotates_and_sets_the_exit_code(tmp_path: Path) -> None:
    code, out, outputs, summary = _run_action_script(
        tmp_path, paths="claims.json sources.json", args="--offline"
    )
    assert code == 1
    assert outputs == "exit-code=1\n"
    assert out.startswith("::error file=claims.json,line=")
    assert "## claimgraph audit" in summary


def test_action_script_with_an_output_file_and_fail_on_never(tmp_path: Path) -> None:
    report = tmp_path / "claimgraph.sarif"
    code, _, outputs, _ = _run_action_script(
        tmp_path, args="--offline", format="sarif", output=str(report), **{"fail-on": "never"}
    )
    assert (code, outputs) == (0, "exit-code=0\n")
    assert json.loads(report.read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_action_script_reports_bad_input_as_2(tmp_path: Path) -> None:
    code, _, outputs, _ = _run_action_script(tmp_path, paths="no-such-folder", args="--offline")
    assert (code, outputs) == (2, "exit-code=2\n")


def test_pre_commit_hook() -> None:
    (hook,) = _yaml(".pre-commit-hooks.yaml")
    assert hook["id"] == "claimgraph"
    assert hook["entry"] == "claimgraph check --offline"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    files = re.compile(hook["files"])  # pre-commit matches with re.search
    for name in (
        "articles/mg.md",
        "a.markdown",
        "b.html",
        "c.htm",
        "d.txt",
        "claims.json",
        "site/sources.json",
    ):
        assert files.search(name), name
    for name in ("setup.py", "myclaims.json", "claims.json.bak", "notes.md.orig", "data.json"):
        assert not files.search(name), name
