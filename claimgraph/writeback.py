"""Write the DOIs and PMIDs resolution found back into ``sources.json``, touching nothing else.

Only ``doi`` / ``pmid`` keys that are missing or ``null`` are filled; a value the user wrote is
never replaced. The file is edited as text: the new value replaces ``null`` in place, or a new
member is inserted after the object's last member in the layout the file already uses (its
indentation, line endings, ``": "`` spacing, one-line or multi-line objects). Every other byte,
including unknown fields, key order, number spelling and escapes, stays as it was. The result
is checked against the raw JSON with the additions applied before it is written atomically
(a temporary file in the same folder, then ``os.replace``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimgraph.atomic import write_text_atomic
from claimgraph.errors import InputError
from claimgraph.models import read_json
from claimgraph.reading import read_input

__all__ = ["Addition", "add_identifiers", "apply_additions", "plan_additions"]

#: fields the writer may add, in the order they are added
WRITABLE = ("doi", "pmid")
_BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class Addition:
    """One identifier added to one source."""

    source_id: str
    field: str
    value: str | int


def _pmid_style(sources: list[Any]) -> type:
    """Write PMIDs as numbers when the file already does, else as strings."""
    for source in sources:
        if isinstance(source, dict):
            value = source.get("pmid")
            if isinstance(value, int) and not isinstance(value, bool):
                return int
            if isinstance(value, str):
                return str
    return str


def plan_additions(data: Any, found: Mapping[str, Mapping[str, str | None]]) -> list[Addition]:
    """The additions ``found`` (source id -> {"doi": ..., "pmid": ...}) makes to ``data``."""
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        return []
    sources: list[Any] = data["sources"]
    as_number = _pmid_style(sources) is int
    additions: list[Addition] = []
    for source in sources:
        if not isinstance(source, dict) or not isinstance(source.get("id"), str):
            continue
        wanted = found.get(source["id"]) or {}
        for name in WRITABLE:
            value = wanted.get(name)
            if not value or source.get(name) is not None:
                continue  # nothing found, or the user wrote a value: keep it
            written: str | int = value
            if name == "pmid" and as_number and value.isdigit():
                written = int(value)
            additions.append(Addition(source["id"], name, written))
    return additions


# --------------------------------------------------------------------------- JSON positions


@dataclass(slots=True)
class _Member:
    key: str
    key_start: int
    key_end: int
    value_start: int
    value_end: int


@dataclass(slots=True)
class _Object:
    start: int
    end: int  # index of the closing brace
    members: list[_Member]


class _Scanner:
    """A JSON reader that remembers where each source object and member is."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.sources: list[_Object | None] = []

    def error(self, what: str) -> ValueError:
        return ValueError(f"{what} at offset {self.pos}")

    def skip(self) -> None:
        text, pos = self.text, self.pos
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        self.pos = pos

    def string(self) -> str:
        if self.text[self.pos] != '"':
            raise self.error("expected a string")
        decoder = json.JSONDecoder()
        value, end = decoder.raw_decode(self.text, self.pos)
        self.pos = end
        if not isinstance(value, str):  # pragma: no cover - raw_decode of '"' is a string
            raise self.error("expected a string")
        return value

    def value(self, path: tuple[str | int, ...]) -> Any:
        self.skip()
        if self.pos >= len(self.text):
            raise self.error("unexpected end")
        char = self.text[self.pos]
        if char == "{":
            return self.obj(path)
        if char == "[":
            return self.array(path)
        value, end = json.JSONDecoder().raw_decode(self.text, self.pos)
        self.pos = end
        return value

    def obj(self, path: tuple[str | int, ...]) -> _Object:
        start = self.pos
        self.pos += 1
        members: list[_Member] = []
        self.skip()
        if self.text[self.pos] == "}":
            self.pos += 1
            return _Object(start, self.pos - 1, members)
        while True:
            self.skip()
            key_start = self.pos
            key = self.string()
            key_end = self.pos
            self.skip()
            if self.text[self.pos] != ":":
                raise self.error("expected ':'")
            self.pos += 1
            self.skip()
            value_start = self.pos
            self.value((*path, key))
            members.append(_Member(key, key_start, key_end, value_start, self.pos))
            self.skip()
            if self.text[self.pos] == ",":
                self.pos += 1
                continue
            if self.text[self.pos] == "}":
                self.pos += 1
                return _Object(start, self.pos - 1, members)
            raise self.error("expected ',' or '}'")

    def array(self, path: tuple[str | int, ...]) -> list[Any]:
        self.pos += 1
        items: list[Any] = []
        self.skip()
        if self.text[self.pos] == "]":
            self.pos += 1
            return items
        while True:
            item = self.value((*path, len(items)))
            if path == ("sources",):
                self.sources.append(item if isinstance(item, _Object) else None)
            items.append(item)
            self.skip()
            if self.text[self.pos] == ",":
                self.pos += 1
                continue
            if self.text[self.pos] == "]":
                self.pos += 1
                return items
            raise self.error("expected ',' or ']'")


def _source_objects(text: str) -> list[_Object | None]:
    scanner = _Scanner(text)
    try:
        scanner.skip()
        scanner.value(())
    except (ValueError, IndexError) as exc:
        raise ValueError(f"cannot locate the sources in the file: {exc}") from exc
    return scanner.sources


def _insertion(text: str, obj: _Object, name: str, value: str) -> tuple[int, str]:
    """Where and what to insert so a new last member looks like the existing ones."""
    last = obj.members[-1]
    if len(obj.members) >= 2:
        before_key = text[obj.members[-2].value_end : last.key_start]
        # the text between "," and the key: "\n    " (multi-line) or " " (one line)
        separator = before_key[before_key.index(",") + 1 :] if "," in before_key else " "
    else:
        # "{\n    "id": ...": reuse the line break and indentation; "{"id": ...": one space
        separator = text[obj.start + 1 : last.key_start]
        if "\n" not in separator:
            separator = " "
    colon = text[last.key_end : last.value_start]
    if ":" not in colon:  # pragma: no cover - the scanner found a colon here
        colon = ": "
    return last.value_end, f",{separator}{json.dumps(name)}{colon}{value}"


def apply_additions(text: str, additions: list[Addition]) -> str:
    """``text`` (a sources file) with ``additions`` made, everything else unchanged."""
    if not additions:
        return text
    bom = text.startswith(_BOM)
    body = text[1:] if bom else text
    objects = _source_objects(body)
    by_id: dict[str, _Object] = {}
    decoder = json.JSONDecoder()
    for obj in objects:
        if obj is None:
            continue
        for member in obj.members:
            if member.key == "id":
                value, _ = decoder.raw_decode(body, member.value_start)
                if isinstance(value, str):
                    by_id.setdefault(value, obj)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement)
    for addition in additions:
        obj = by_id.get(addition.source_id)
        if obj is None:
            raise ValueError(f"source {addition.source_id!r} not found in the file")
        value = json.dumps(addition.value, ensure_ascii=False)
        existing = [m for m in obj.members if m.key == addition.field]
        if existing:
            member = existing[-1]
            if body[member.value_start : member.value_end] != "null":
                continue  # a value the user wrote
            edits.append((member.value_start, member.value_end, value))
        else:
            position, inserted = _insertion(body, obj, addition.field, value)
            edits.append((position, position, inserted))
    # later edits first, so earlier offsets stay valid; same-position inserts keep their order
    for start, end, replacement in sorted(edits, key=lambda e: e[0], reverse=True):
        body = body[:start] + replacement + body[end:]
    return (_BOM if bom else "") + body


def _expected(data: Any, additions: list[Addition]) -> Any:
    for source in data["sources"]:
        if not isinstance(source, dict):
            continue
        for addition in additions:
            if source.get("id") == addition.source_id and source.get(addition.field) is None:
                source[addition.field] = addition.value
    return data


def add_identifiers(
    path: str | Path, found: Mapping[str, Mapping[str, str | None]]
) -> list[Addition]:
    """Add the identifiers in ``found`` to the sources file at ``path``; return what was added.

    Writes nothing when there is nothing to add. Raises InputError when the file cannot be
    read or edited safely (it is then left as it was).
    """
    target = Path(path)
    data = read_json(target)  # every way the file can be unreadable is an InputError here
    raw = read_input(target)
    additions = plan_additions(data, found)
    if not additions:
        return []
    try:
        text = raw.decode("utf-8")
        updated = apply_additions(text, additions)
        check = json.loads(updated.removeprefix(_BOM))
    except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError included
        raise InputError(f"cannot add identifiers safely: {exc}", file=str(target)) from exc
    if check != _expected(read_json(target, raw), additions):
        raise InputError(
            "cannot add identifiers safely: the edit changed other values", file=str(target)
        )
    write_text_atomic(target, updated)
    return additions
