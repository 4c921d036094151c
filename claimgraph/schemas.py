"""JSON Schemas generated from the models: the input files and the JSON report.

The committed copies in ``schema/`` are checked against these by the tests; regenerate them
with ``claimgraph schema --write schema``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from claimgraph.models import ClaimsFile, SourcesFile
from claimgraph.report import Report

_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _with_header(schema: dict[str, Any], name: str) -> dict[str, Any]:
    return {
        "$schema": _DIALECT,
        "$id": f"https://claimgraph.dev/schema/{name}.schema.json",
        **schema,
    }


def claims_schema() -> dict[str, Any]:
    return _with_header(ClaimsFile.model_json_schema(), "claims")


def sources_schema() -> dict[str, Any]:
    return _with_header(SourcesFile.model_json_schema(), "sources")


def report_schema() -> dict[str, Any]:
    return _with_header(Report.model_json_schema(mode="serialization"), "report")


SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {
    "claims": claims_schema,
    "sources": sources_schema,
    "report": report_schema,
}


def schema_text(name: str) -> str:
    return json.dumps(SCHEMAS[name](), indent=2, ensure_ascii=False) + "\n"


def schema_path(folder: Path, name: str) -> Path:
    return folder / f"{name}.schema.json"


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into ``folder`` (created if missing); return the files written."""
    from claimgraph.atomic import make_folder, write_text_atomic

    make_folder(folder)
    written = []
    for name in SCHEMAS:
        write_text_atomic(schema_path(folder, name), schema_text(name))
        written.append(schema_path(folder, name))
    return written
