"""The report's status, evidence and severity fields serialise as before (plain enum fields)."""

from __future__ import annotations

import dataclasses
from typing import Any

from pydantic import TypeAdapter

from claimgraph.levels import ClaimStatus, Evidence, Severity, SourceStatus
from claimgraph.models import Location
from claimgraph.report import ClaimResult, Finding, Report, SourceResult
from tests.formats.report_samples import sample_report


@dataclasses.dataclass
class PlainFinding:
    rule: str
    severity: Severity
    claim: str | None
    source: str | None
    message: str
    location: Location | None
    fingerprint: str


def test_json_python_dump_and_schema_as_with_plain_enums() -> None:
    finding = Finding(rule="r", severity=Severity.WARNING, message="m", fingerprint="f")
    plain = PlainFinding(**{f.name: getattr(finding, f.name) for f in dataclasses.fields(finding)})
    adapter: TypeAdapter[Any] = TypeAdapter(PlainFinding)
    assert finding.model_dump_json() == adapter.dump_json(plain).decode()
    assert finding.model_dump() == adapter.dump_python(plain)
    assert finding.model_dump()["severity"] is Severity.WARNING
    assert finding.model_dump(mode="json") == adapter.dump_python(plain, mode="json")
    schema = Finding.model_json_schema(mode="serialization")
    plain_schema = adapter.json_schema(mode="serialization")
    assert schema["properties"]["severity"] == plain_schema["properties"]["severity"]
    assert schema["$defs"]["Severity"] == plain_schema["$defs"]["Severity"]


def test_every_vocabulary_field_dumps_its_value() -> None:
    source = SourceResult(id="s", status=SourceStatus.NOT_FOUND, evidence=Evidence.RCT)
    claim = ClaimResult(id="c", text="t", status=ClaimStatus.NOT_SUPPORTED, evidence=None)
    assert source.model_dump(mode="json")["status"] == "not_found"
    assert source.model_dump(mode="json")["evidence"] == "rct"
    assert '"status":"not_supported","evidence":null' in claim.model_dump_json()
    report = sample_report()
    assert Report.model_validate_json(report.model_dump_json()) == report
