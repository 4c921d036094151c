"""``--format json``: the report contract of DESIGN.md (schema_version 1)."""

from __future__ import annotations

from claimgraph.formats import FormatOptions
from claimgraph.report import Report

#: above this many claims + sources the JSON is written compact (no indentation)
COMPACT_ABOVE = 20_000


def render(report: Report, options: FormatOptions) -> str:
    large = len(report.claims) + len(report.sources) > COMPACT_ABOVE
    # no trailing newline is appended here: on a large report that would copy the whole text;
    # the CLI ends every output with a newline
    return report.model_dump_json(indent=None if large else 2)
