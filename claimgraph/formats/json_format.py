"""``--format json``: the report contract of DESIGN.md (schema_version 1)."""

from __future__ import annotations

from claimgraph.formats import FormatOptions
from claimgraph.report import Report


def render(report: Report, options: FormatOptions) -> str:
    return report.model_dump_json(indent=2) + "\n"
