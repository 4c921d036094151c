"""The application functions the commands call, without a command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimgraph.app import CheckRequest, run_check, run_import
from claimgraph.config import Config
from claimgraph.errors import InputError


def _config(folder: Path) -> Config:
    return Config(cache_dir=folder / "cache")


def test_check_gives_the_report_and_the_exit_code(example: Path) -> None:
    outcome = run_check(CheckRequest(config=_config(example), offline=True))
    assert outcome.exit_code == 1 and outcome.show_report and outcome.notes == []
    assert outcome.report.summary.by_status == {"anecdotal_only": 4, "unsourced": 10}
    never = run_check(CheckRequest(config=_config(example), offline=True, fail_on="never"))
    assert never.exit_code == 0


def test_check_records_then_applies_a_baseline(example: Path) -> None:
    baseline = example / "baseline.json"
    request = CheckRequest(
        config=_config(example), offline=True, baseline=baseline, update_baseline=True
    )
    recorded = run_check(request)
    assert (recorded.exit_code, recorded.show_report) == (0, False)
    assert recorded.notes == [f"wrote {baseline} ({len(recorded.report.findings)} findings)"]
    applied = run_check(CheckRequest(config=_config(example), offline=True, baseline=baseline))
    assert applied.exit_code == 0 and applied.report.findings == []


def test_check_writes_the_lock_and_the_job_summary(example: Path) -> None:
    summary = example / "summary.md"
    request = CheckRequest(
        config=_config(example), offline=True, update_lock=True, step_summary=summary
    )
    outcome = run_check(request)
    assert "claimgraph audit" in summary.read_text(encoding="utf-8")
    # offline, nothing was verified: the lock has nothing to record, and is not written
    assert outcome.notes == [] and not (example / "claimgraph.lock").exists()


def test_update_baseline_needs_a_baseline(example: Path) -> None:
    with pytest.raises(InputError, match="needs --baseline"):
        run_check(CheckRequest(config=_config(example), update_baseline=True))


def test_import_keeps_the_indent_of_the_file(tmp_path: Path) -> None:
    sources = tmp_path / "sources.json"
    sources.write_text(json.dumps({"sources": [{"id": "a"}]}, indent=4) + "\n", encoding="utf-8")
    csl = tmp_path / "refs.json"
    csl.write_text(json.dumps([{"id": "b", "type": "article-journal", "title": "T"}]))
    outcome = run_import([csl], sources, dry_run=False)
    assert (outcome.added, outcome.written) == (["b"], True)
    text = sources.read_text(encoding="utf-8")
    assert text.startswith('{\n    "sources"') and json.loads(text)["sources"][1]["id"] == "b"
