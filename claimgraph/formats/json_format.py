"""``--format json``: the report contract of DESIGN.md (schema_version 1)."""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Iterator
from typing import Any, get_type_hints

import pydantic_core
from pydantic import TypeAdapter

from claimgraph.formats import FormatOptions
from claimgraph.report import Report
from claimgraph.safetext import json_text

#: above this many claims + sources the JSON is written compact (no indentation)
COMPACT_ABOVE = 20_000
#: list items serialised into one piece of a large report's text
_ITEMS_PER_PART = 1000


def _large(report: Report) -> bool:
    return len(report.claims) + len(report.sources) > COMPACT_ABOVE


def _with_surrogates(data: Any, indent: int | None) -> str:
    """The JSON of ``data`` (plain JSON values) that holds lone surrogates.

    pydantic refuses to write a string with a lone surrogate (what ``"\\ud800"`` in an input
    decodes to); the standard library writes it in the same layout, and the surrogate then
    becomes its JSON escape again, so the report says exactly what the input said.
    """
    separators = (",", ":") if indent is None else (",", ": ")
    text = json.dumps(data, ensure_ascii=False, indent=indent, separators=separators)
    return json_text(text)


def render(report: Report, options: FormatOptions) -> str:
    # no trailing newline is appended here: on a large report that would copy the whole text;
    # the CLI ends every output with a newline
    indent = None if _large(report) else 2
    try:
        return report.model_dump_json(indent=indent)
    except pydantic_core.PydanticSerializationError:
        return _with_surrogates(report.model_dump(mode="json"), indent)


def _value_json(value: Any) -> str:
    try:
        if dataclasses.is_dataclass(value) and hasattr(value, "model_dump_json"):
            text: str = value.model_dump_json()
            return text
        return pydantic_core.to_json(value).decode()
    except pydantic_core.PydanticSerializationError:
        return _with_surrogates(pydantic_core.to_jsonable_python(value), None)


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
            items = value[start : start + _ITEMS_PER_PART]
            try:
                chunk = adapter.dump_json(items).decode()[1:-1]
            except pydantic_core.PydanticSerializationError:
                chunk = _with_surrogates(adapter.dump_python(items, mode="json"), None)[1:-1]
            yield ("," if start else "") + chunk
        yield "]"
    yield "}"
