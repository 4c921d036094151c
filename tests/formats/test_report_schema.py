"""The JSON report validates against the committed schema/report.schema.json.

(That the committed file matches the models is checked with the other schemas in
tests/core/test_cli.py::test_committed_schemas_match_the_models.)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from claimgraph.baseline import apply_baseline, baseline_of
from claimgraph.cli import main
from claimgraph.formats import FormatOptions, render
from tests.formats.report_samples import empty_report, sample_report

ROOT = Path(__file__).parents[2]
SCHEMA = ROOT / "schema" / "report.schema.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    checker: jsonschema.protocols.Validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    return checker


def _errors(validator: jsonschema.protocols.Validator, data: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


@pytest.mark.parametrize(
    "report",
    [
        sample_report(),
        empty_report(),
        apply_baseline(sample_report(), baseline_of(sample_report().findings[:3])),
    ],
    ids=["sample", "empty", "baselined"],
)
def test_json_report_validates(validator: jsonschema.protocols.Validator, report: Any) -> None:
    data = json.loads(render(report, "json", FormatOptions()))
    assert _errors(validator, data) == []


def test_json_report_of_the_bundled_example_validates(
    validator: jsonschema.protocols.Validator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CLAIMGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    output = tmp_path / "report.json"
    code = main(
        [
            "check",
            str(ROOT / "claims.json"),
            str(ROOT / "sources.json"),
            "--offline",
            "--format",
            "json",
            "--output",
            str(output),
        ]
    )
    assert code in (0, 1), capsys.readouterr().err
    data = json.loads(output.read_text(encoding="utf-8"))
    assert data["claims"], "the bundled example has claims"
    assert _errors(validator, data) == []


def test_the_schema_is_not_vacuous(validator: jsonschema.protocols.Validator) -> None:
    data = json.loads(render(sample_report(), "json", FormatOptions()))
    data["claims"][0]["status"] = "probably-fine"
    del data["summary"]
    errors = _errors(validator, data)
    assert any("'summary' is a required property" in e for e in errors)
    assert any("probably-fine" in e for e in errors)
