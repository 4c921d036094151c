from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimgraph.baseline import (
    Baseline,
    BaselineEntry,
    apply_baseline,
    baseline_of,
    baseline_text,
    fingerprint_of,
    load_baseline,
    write_baseline,
)
from claimgraph.cli import main
from claimgraph.errors import InputError
from claimgraph.levels import Severity
from claimgraph.models import Location
from claimgraph.report import Finding, Report
from tests.formats.report_samples import assert_golden, sample_report
from tests.helpers import ANY_JSON


def _without(report: Report, rule: str) -> Report:
    return report.model_copy(update={"findings": [f for f in report.findings if f.rule != rule]})


def test_golden() -> None:
    assert_golden("baseline.json", baseline_text(sample_report()))


def test_file_is_sorted_and_reviewable(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    write_baseline(sample_report(), path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["claimgraph_baseline"] == 1
    fingerprints = [entry["fingerprint"] for entry in data["findings"]]
    assert fingerprints == sorted(fingerprints)
    assert {"rule", "claim", "source", "message"} <= set(data["findings"][0])
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_accepting_everything_leaves_no_findings(tmp_path: Path) -> None:
    report = sample_report()
    path = tmp_path / "baseline.json"
    write_baseline(report, path)
    accepted = apply_baseline(report, load_baseline(path))
    assert accepted.findings == []
    assert accepted.summary.findings.model_dump() == {"error": 0, "warning": 0, "info": 0}
    assert all(not c.findings for c in accepted.claims)
    assert all(not s.findings for s in accepted.sources)
    # statuses are not changed by a baseline; the input report is untouched
    assert [c.status for c in accepted.claims] == [c.status for c in report.claims]
    assert report.summary.findings.error == 5
    assert len(report.findings) == 10


def test_only_new_findings_remain() -> None:
    report = sample_report()
    baseline = baseline_of(_without(report, "anecdotal-only").findings)
    result = apply_baseline(report, baseline)
    assert [f.rule for f in result.findings] == ["anecdotal-only"]
    assert result.summary.findings.model_dump() == {"error": 1, "warning": 0, "info": 0}
    (claim,) = [c for c in result.claims if c.id == "c-anecdotal"]
    assert [f.rule for f in claim.findings] == ["anecdotal-only"]
    assert all(not c.findings for c in result.claims if c.id != "c-anecdotal")


def test_fingerprints_ignore_message_and_location() -> None:
    report = sample_report()
    baseline = baseline_of(report.findings)
    moved = report.model_copy(
        update={
            "findings": [
                f.model_copy(
                    update={"message": f.message + " (reworded)", "location": Location(line=99)}
                )
                for f in report.findings
            ]
        }
    )
    assert apply_baseline(moved, baseline).findings == []


def test_a_fingerprint_accepts_as_many_findings_as_it_was_recorded() -> None:
    report = sample_report()
    first = report.findings[0]
    twice = report.model_copy(update={"findings": [*report.findings, first]})
    result = apply_baseline(twice, baseline_of(report.findings))
    assert result.findings == [first]


def test_empty_fingerprints_are_computed() -> None:
    finding = Finding(rule="unsourced-claim", severity=Severity.ERROR, claim="c", message="m")
    assert fingerprint_of(finding) == Finding.make_fingerprint("unsourced-claim", "c", None)
    report = sample_report().model_copy(update={"findings": [finding]})
    assert apply_baseline(report, baseline_of([finding])).findings == []


def test_empty_baseline_returns_the_report_unchanged() -> None:
    report = sample_report()
    assert apply_baseline(report, Baseline()) is report


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "invalid JSON"),
        ("[]", 'no "claimgraph_baseline" key'),
        ('{"claimgraph_baseline": 1}', "missing required field 'findings'"),
        ('{"claimgraph_baseline": 1, "findings": [{}]}', "missing required field 'fingerprint'"),
        (
            '{"claimgraph_baseline": 1, "findings": [{"fingerprint": "not hex!"}]}',
            "a fingerprint is a hex string",
        ),
        ('{"claimgraph_baseline": 7, "findings": []}', "baseline format 7 is not supported"),
    ],
)
def test_bad_baseline_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_baseline(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_missing_baseline_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        load_baseline(tmp_path / "nope.json")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.fixed_dictionaries(
        {"claimgraph_baseline": st.integers(0, 2) | ANY_JSON, "findings": ANY_JSON}
    )
    | ANY_JSON
)
def test_any_json_loads_or_fails_clearly(tmp_path: Path, data: Any) -> None:
    path = tmp_path / "fuzz.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    try:
        baseline = load_baseline(path)
    except InputError as exc:
        assert str(path) in str(exc)
    else:
        assert all(isinstance(entry, BaselineEntry) for entry in baseline.entries)


# ----------------------------------------------------------------------------- through the CLI


def _project(folder: Path, claims: list[dict[str, Any]]) -> None:
    folder.mkdir(exist_ok=True)
    (folder / "claims.json").write_text(json.dumps({"claims": claims}), encoding="utf-8")
    (folder / "sources.json").write_text(json.dumps({"sources": []}), encoding="utf-8")


def test_check_with_a_baseline_fails_only_on_new_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CLAIMGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    project = tmp_path / "article"
    baseline = tmp_path / "baseline.json"
    old = {"id": "old", "text": "Magnesium cures everything.", "sources": []}
    _project(project, [old])
    args = ["check", str(project), "--offline", "--format", "json"]
    assert main(args) == 1
    assert main([*args, "--baseline", str(baseline), "--update-baseline"]) == 0
    assert load_baseline(baseline).fingerprints == {
        Finding.make_fingerprint("unsourced-claim", "old", None): 1
    }
    assert main([*args, "--baseline", str(baseline)]) == 0
    _project(project, [old, {"id": "new", "text": "Calcium too.", "sources": []}])
    assert main([*args, "--baseline", str(baseline)]) == 1
