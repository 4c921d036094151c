from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimgraph.formats import FormatOptions, render
from claimgraph.formats.sarif import FINGERPRINT_KEY, artifact_uri, sarif_log, unwrap
from claimgraph.levels import Severity
from claimgraph.report import Finding
from claimgraph.rules import RULES
from tests.formats.report_samples import DRAFT, assert_golden, empty_report, sample_report

SCHEMA_PATH = Path(__file__).parents[1] / "fixtures" / "schemas" / "sarif-schema-2.1.0.json"
#: the characters RFC 3986 allows in a URI reference
URI_REFERENCE = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$")


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def _sarif(report: Any = None) -> dict[str, Any]:
    text = render(report or sample_report(), "sarif", FormatOptions())
    data: dict[str, Any] = json.loads(text)
    return data


def _results_by_rule(log: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    return [r for r in log["runs"][0]["results"] if r["ruleId"] == rule]


def test_golden() -> None:
    assert_golden("report.sarif", render(sample_report(), "sarif", FormatOptions()))


@pytest.mark.parametrize("report", [sample_report(), empty_report()], ids=["sample", "empty"])
def test_valid_against_the_official_schema(
    validator: jsonschema.Draft7Validator, report: Any
) -> None:
    errors = sorted(validator.iter_errors(_sarif(report)), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_uris_are_uri_references() -> None:
    # jsonschema does not check format "uri"/"uri-reference" without extra packages
    log = _sarif()
    uris = [
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for result in log["runs"][0]["results"]
        for loc in result.get("locations", [])
        if "physicalLocation" in loc
    ]
    assert uris
    assert all(URI_REFERENCE.match(uri) for uri in uris), uris
    assert URI_REFERENCE.match(log["$schema"])


def test_one_rule_per_claimgraph_rule_with_help() -> None:
    driver = _sarif()["runs"][0]["tool"]["driver"]
    rules = driver["rules"]
    assert [r["id"] for r in rules] == list(RULES)
    for descriptor in rules:
        rule = RULES[descriptor["id"]]
        assert descriptor["help"]["text"] == unwrap(rule.help)
        assert "\n\n" in descriptor["help"]["text"]  # paragraphs kept
        assert descriptor["help"]["text"].split("\n\n")[1] == " ".join(
            rule.help.split("\n\n")[1].split()
        )
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert (
            descriptor["defaultConfiguration"]["level"]
            == {
                Severity.ERROR: "error",
                Severity.WARNING: "warning",
                Severity.INFO: "note",
            }[rule.default_severity]
        )
    assert driver["name"] == "claimgraph"
    assert driver["version"] == "0.0.0-test"


def test_every_finding_is_a_result_with_the_right_rule_index() -> None:
    log = _sarif()
    run = log["runs"][0]
    report = sample_report()
    assert len(run["results"]) == len(report.findings)
    for result, finding in zip(run["results"], report.findings, strict=True):
        assert result["ruleId"] == finding.rule
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == finding.rule
        assert result["message"]["text"] == finding.message
        assert result["partialFingerprints"][FINGERPRINT_KEY] == finding.fingerprint
    levels = {r["level"] for r in run["results"]}
    assert levels == {"error", "warning", "note"}


def test_results_are_located_in_the_draft() -> None:
    (result,) = _results_by_rule(_sarif(), "anecdotal-only")
    location = result["locations"][0]
    physical = location["physicalLocation"]
    assert unquote(physical["artifactLocation"]["uri"]) == DRAFT
    assert physical["region"] == {"startLine": 7, "startColumn": 1}
    assert location["logicalLocations"] == [{"name": "c-anecdotal", "kind": "claim"}]


def test_without_a_draft_location_results_point_at_the_input_files() -> None:
    log = _sarif()
    (unsourced,) = _results_by_rule(log, "unsourced-claim")
    physical = unsourced["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "claims.json"
    assert "region" not in physical
    mismatches = _results_by_rule(log, "citation-mismatch")
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in mismatches}
    assert uris == {"sources.json"}
    assert mismatches[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 52}


def test_a_finding_of_an_unknown_rule_gets_a_descriptor(
    validator: jsonschema.Draft7Validator,
) -> None:
    report = sample_report()
    extra = Finding(rule="plugin-rule", severity=Severity.INFO, message="hello", claim="c-broken")
    report = report.model_copy(update={"findings": [*report.findings, extra]})
    log = sarif_log(report)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[-1]["id"] == "plugin-rule"
    result = log["runs"][0]["results"][-1]
    assert result["ruleIndex"] == len(rules) - 1
    # an empty fingerprint is computed, not left empty
    assert result["partialFingerprints"][FINGERPRINT_KEY] == Finding.make_fingerprint(
        "plugin-rule", "c-broken", None
    )
    assert not list(validator.iter_errors(log))


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("articles/draft.md", "articles/draft.md"),
        ("articles/my draft.md", "articles/my%20draft.md"),
        ("a:b.md", "a%3Ab.md"),
        ("articles\\win.md", "articles/win.md"),
        ("/abs/x y.md", "file:///abs/x%20y.md"),
        ("C:\\docs\\a.md", "file:///C:/docs/a.md"),
        ("notes/100%.md", "notes/100%25.md"),
    ],
)
def test_artifact_uri(path: str, uri: str) -> None:
    assert artifact_uri(path) == uri


@given(st.text(min_size=1).filter(lambda p: not p.startswith(("/", "\\")) and ":" not in p[:3]))
def test_artifact_uri_is_a_uri_reference_that_decodes_back(path: str) -> None:
    uri = artifact_uri(path)
    assert URI_REFERENCE.match(uri)
    assert unquote(uri, errors="surrogatepass") == path.replace("\\", "/")


def test_schema_uri_is_the_official_schema_id() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert _sarif()["$schema"] == schema["$id"]
