"""``--format json``: the report contract of DESIGN.md (schema_version 1)."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator
from typing import Any, get_type_hints

import pydantic_core
from pydantic import TypeAdapter

from claimgraph.formats import FormatOptions
from claimgraph.report import Report

#: above this many claims + sources the JSON is written compact (no indentation)
COMPACT_ABOVE = 20_000
#: list items serialised into one piece of a large report's text
_ITEMS_PER_PART = 1000


def _large(report: Report) -> bool:
    return len(report.claims) + len(report.sources) > COMPACT_ABOVE


def render(report: Report, options: FormatOptions) -> str:
    # no trailing newline is appended here: on a large report that would copy the whole text;
    # the CLI ends every output with a newline
    return report.model_dump_json(indent=None if _large(report) else 2)


def _value_json(value: Any) -> str:
    if dataclasses.is_dataclass(value) and hasattr(value, "model_dump_json"):
        text: str = value.model_dump_json()
        return text
    return pydantic_core.to_json(value).decode()


@functools.cache
def _list_adapter(field_name: str) -> TypeAdapter[Any]:
    """The serialiser of one of the report's list fields, for a slice of its items."""
    return TypeAdapter(get_type_hints(Report)[field_name])


def render_parts(report: Report, options: FormatOptions) -> Iterator[str]:
    """The text of :func:`render` in pieces, so a large report is never one string in memory.

    A large report's compact JSON is written field by field and its lists a thousand items
    at a time; the pieces join to exactly ``render(report, options)`` (tested), a small
    report is one piece.
    """
    if not _large(report):
        yield render(report, options)
        return
    for position, spec in enumerate(dataclasses.fields(report)):
        value = getattr(report, spec.name)
        head = ("{" if position == 0 else ",") + pydantic_core.to_json(spec.name).decode() + ":"
        if not isinstance(value, list):
            yield head + _value_json(value)
            continue
        yield head + "["
        adapter = _list_adapter(spec.name)
        for start in range(0, len(value), _ITEMS_PER_PART):
            # a slice serialised as a list, less its brackets: one call per thousand items
            chunk = adapter.dump_json(value[start : start + _ITEMS_PER_PART]).decode()[1:-1]
            yield ("," if start else "") + chunk
        yield "]"
    yield "}"
