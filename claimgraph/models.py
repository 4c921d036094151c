"""Input models for ``claims.json`` and ``sources.json`` and the loaders that read them.

The loaders turn every way a file can be wrong into an :class:`~claimgraph.errors.InputError`
that names the file, the place (line and column for bad JSON, a JSON path and the claim or
source id for schema errors) and what to do. Unknown fields are kept on the models
(``extra="allow"``) so nothing the user wrote is dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    StringConstraints,
    ValidationError,
    field_validator,
)

from claimgraph.errors import InputError
from claimgraph.frozen import quick_init
from claimgraph.memory import gc_paused
from claimgraph.reading import decode_text, number_too_long, read_input
from claimgraph.years import EARLIEST_YEAR, is_plausible_year, latest_year

#: ids are non-empty strings without surrounding whitespace
Id = Annotated[str, StringConstraints(min_length=1, pattern=r"^\S(.*\S)?$")]

#: up to this every four-digit year is plausible whatever today's date (fast path)
_PLAUSIBLE_YEAR = latest_year()


if TYPE_CHECKING:
    TextOrNumber = str
else:
    #: text, or a whole number kept as text (the value is always a str); a string is checked
    #: by pydantic's core without a Python call, which matters for 200,000 sources
    TextOrNumber = Annotated[
        StrictStr | Annotated[StrictInt, AfterValidator(str)],
        Field(union_mode="left_to_right"),
    ]


# A plain frozen dataclass (pydantic validates it inside the models): a large audit creates
# one per claim and source with a finding, and a dataclass is cheap to create.
@quick_init
@dataclass(frozen=True, slots=True)
class Location:
    """Where a claim or citation sits: 1-based line and column."""

    __pydantic_config__ = ConfigDict(extra="forbid")

    file: str | None = None
    line: Annotated[int, Field(ge=1)] | None = None
    column: Annotated[int, Field(ge=1)] | None = None


class Claim(BaseModel):
    """One claim an article makes, and the ids of the sources it cites."""

    model_config = ConfigDict(extra="allow")

    id: Id = Field(description="Unique id of the claim.")
    text: str = Field(description="The claim, as the article makes it.")
    sources: list[Id] = Field(description="Ids of the sources cited for this claim; may be empty.")
    depends_on: list[Id] = Field(
        default_factory=list, description="Ids of other claims this claim builds on."
    )
    location: Location | None = Field(default=None, description="Where the claim is written.")


class Source(BaseModel):
    """One cited work. Only ``id`` is required; any mix of identifiers and fields may follow."""

    model_config = ConfigDict(extra="allow")

    id: Id = Field(description="Unique id of the source.")
    kind: str | None = Field(
        default=None,
        description="What the author declares: journal-article, book, magazine, newspaper, blog, "
        "website, government, press-release, personal-communication, ...",
    )
    citation: str | None = Field(
        default=None, description="The citation as written in the article."
    )
    title: str | None = None
    authors: list[str] | None = None
    journal: str | None = None
    year: int | None = Field(default=None, description="Four-digit year of publication.")
    volume: TextOrNumber | None = None
    issue: TextOrNumber | None = None
    pages: TextOrNumber | None = None
    doi: str | None = None
    pmid: TextOrNumber | None = None
    pmcid: str | None = None
    url: str | None = None
    publication_types: list[str] | None = Field(
        default=None, description="PubMed publication types already known for this source."
    )
    location: Location | None = Field(default=None, description="Where the citation is written.")

    @field_validator("year", mode="before")
    @classmethod
    def _year_is_a_year(cls, value: Any) -> Any:
        if value is None:
            return None
        if type(value) is int and EARLIEST_YEAR <= value <= _PLAUSIBLE_YEAR:
            return value  # the common case, without the checks below
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValueError(f"not a year: {value!r}; write a four-digit year such as 2006")
        text = str(value).strip()
        if not text.isdigit() or len(text) != 4:
            raise ValueError(f"not a year: {value!r}; write a four-digit year such as 2006")
        year = int(text)
        if not is_plausible_year(year):
            raise ValueError(
                f"not a plausible year: {year}; expected {EARLIEST_YEAR}-{latest_year()}"
            )
        return year


class ClaimsFile(BaseModel):
    """The top level of ``claims.json``."""

    model_config = ConfigDict(extra="allow", title="claimgraph claims file")

    claims: list[Claim]


class SourcesFile(BaseModel):
    """The top level of ``sources.json``."""

    model_config = ConfigDict(extra="allow", title="claimgraph sources file")

    sources: list[Source]


@dataclass(slots=True)
class Project:
    """Claims and sources loaded together, with the files they came from."""

    claims: list[Claim]
    sources: list[Source]
    claims_file: str | None = None
    sources_file: str | None = None
    #: where each id is defined in claims.json / sources.json (for findings without a location)
    claim_locations: Mapping[str, Location] = field(default_factory=dict)
    source_locations: Mapping[str, Location] = field(default_factory=dict)

    def source_map(self) -> dict[str, Source]:
        return {source.id: source for source in self.sources}

    def claim_map(self) -> dict[str, Claim]:
        return {claim.id: claim for claim in self.claims}


# --------------------------------------------------------------------------- loading


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):  # rare: find which key came twice
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def read_json(path: str | Path, raw: bytes | None = None) -> Any:
    """Read a JSON file, turning every way it can be unreadable into an InputError."""
    return read_json_text(path, raw)[1]


def read_json_text(path: str | Path, raw: bytes | None = None) -> tuple[str, Any]:
    """The decoded text of a JSON file and its parsed value; raises InputError."""
    name = str(path)
    if raw is None:
        raw = read_input(path)  # regular files only, size-capped; every OSError an InputError
    text = decode_text(raw, name, hint="save the file as UTF-8")
    try:
        return text, json.loads(text, object_pairs_hook=_reject_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON: {exc.msg}", file=name, line=exc.lineno, column=exc.colno
        ) from None
    except _DuplicateKey as exc:
        raise InputError(
            f"duplicate key {exc.key!r} in a JSON object",
            file=name,
            hint="each key may appear once per object",
        ) from None
    except RecursionError:
        raise InputError("JSON nested too deeply", file=name) from None
    except ValueError:  # an integer of more than 4,300 digits (int max str digits)
        raise number_too_long(text, name) from None


def json_path(loc: Sequence[int | str]) -> str:
    path = "$"
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _item_id(data: Any, list_key: str, loc: Sequence[int | str]) -> str | None:
    """The id of the claim/source an error is in, when it has one."""
    if len(loc) >= 2 and loc[0] == list_key and isinstance(loc[1], int):
        try:
            item = data[list_key][loc[1]]
        except (KeyError, IndexError, TypeError):
            return None
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            return str(item["id"])
    return None


_UNION_TAGS = frozenset({"str", "function-after[str(), int]"})


def _validation_error(
    exc: ValidationError, data: Any, file: str, list_key: str, noun: str
) -> InputError:
    # one problem per place: a text-or-number field reports an error per union member, with
    # the member's tag in the location; strip the tags and keep the first error of each place
    problems: dict[tuple[int | str, ...], Any] = {}
    for error in exc.errors(include_url=False):
        loc = tuple(part for part in error["loc"] if part not in _UNION_TAGS)
        if loc in problems:
            continue
        tagged = len(loc) != len(error["loc"])
        problems[loc] = {**error, "loc": loc, "type": "text_or_number"} if tagged else error
    loc, first = next(iter(problems.items()))
    item_id = _item_id(data, list_key, loc)
    message = str(first["msg"]).removeprefix("Value error, ")
    got = _json_type(type(first.get("input")).__name__)
    if first["type"] == "missing":
        message = f"missing required field {loc[-1]!r}"
    elif first["type"] == "extra_forbidden":
        message = f"unknown field {loc[-1]!r}"
    elif first["type"] == "text_or_number":
        message = f"wrong type: expected text or a whole number, got {got}"
    elif first["type"].endswith("_type") or first["type"] in {"model_type", "list_type"}:
        message = f"wrong type: {message.lower()}, got {got}"
    if item_id is not None:
        message = f"{noun} {item_id!r}: {message}"
    more = len(problems) - 1
    if more:
        message += f" (and {more} more problem{'s' if more > 1 else ''})"
    return InputError(message, file=file, path=json_path(loc))


def _json_type(python_type: str) -> str:
    return {
        "dict": "an object",
        "list": "a list",
        "str": "a string",
        "int": "a number",
        "float": "a number",
        "bool": "true/false",
        "NoneType": "null",
    }.get(python_type, python_type)


def _check_duplicates(ids: Iterable[str], file: str, list_key: str, noun: str) -> None:
    seen: dict[str, int] = {}
    for index, item_id in enumerate(ids):
        if item_id in seen:
            raise InputError(
                f"duplicate {noun} id {item_id!r} (first defined at {list_key}[{seen[item_id]}])",
                file=file,
                path=f"$.{list_key}[{index}].id",
                hint="give every " + noun + " its own id",
            )
        seen[item_id] = index


def parse_claims(data: Any, file: str = "claims.json") -> list[Claim]:
    if not isinstance(data, dict) or "claims" not in data:
        raise InputError(
            'expected an object with a "claims" list',
            file=file,
            path="$",
            hint='see the example claims.json: {"claims": [{"id": ..., "text": ..., "sources": []}]}',
        )
    try:
        claims = ClaimsFile.model_validate(data).claims
    except ValidationError as exc:
        raise _validation_error(exc, data, file, "claims", "claim") from None
    _check_duplicates((claim.id for claim in claims), file, "claims", "claim")
    return claims


def parse_sources(data: Any, file: str = "sources.json") -> list[Source]:
    if not isinstance(data, dict) or "sources" not in data:
        raise InputError(
            'expected an object with a "sources" list',
            file=file,
            path="$",
            hint='see the example sources.json: {"sources": [{"id": ...}]}',
        )
    try:
        sources = SourcesFile.model_validate(data).sources
    except ValidationError as exc:
        raise _validation_error(exc, data, file, "sources", "source") from None
    _check_duplicates((source.id for source in sources), file, "sources", "source")
    return sources


_ID_KEY = re.compile(r'"id"\s*:\s*"((?:[^"\\]|\\.)*)"')


def id_locations(text: str, file: str, list_key: str) -> dict[str, Location]:
    """Where the ``"id"`` of each item of the top-level ``list_key`` list is (line, column).

    Made once, in one pass over the text: a report gives every claim and source its
    location, and the rules ask for many of them again.

    Each ``"id": "..."`` in the text is found by one regex; when an id string also appears
    elsewhere (an extra field holding ``{"id": ...}``), the JSON structure decides which one
    is the item's own (:func:`_item_id_offsets`).
    """
    offsets: dict[str, int] = {}
    ambiguous = False
    for match in _ID_KEY.finditer(text):
        raw = match.group(1)
        item_id = _decoded(raw) if "\\" in raw else raw  # only escaped ids need decoding
        if item_id is None:
            continue
        if item_id in offsets:
            ambiguous = True
        else:
            offsets[item_id] = match.start()
    if ambiguous:
        offsets = _item_id_offsets(text, list_key)
    return _locations(text, file, offsets)


def _decoded(raw: str) -> str | None:
    try:
        decoded: str = json.loads(f'"{raw}"')
    except json.JSONDecodeError:
        return None
    return decoded


#: the tokens that give a JSON text its structure: strings, and the brackets outside them
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _item_id_offsets(text: str, list_key: str) -> dict[str, int]:
    """Offset of ``"id"`` in each object directly inside ``$.<list_key>`` (first one wins)."""
    offsets: dict[str, int] = {}
    depth = 0
    top_key: str | None = None
    for token in _JSON_TOKEN.finditer(text):
        first = token.group()[0]
        if first in "[{":
            depth += 1
        elif first in "]}":
            depth -= 1
        elif depth == 1:  # a key (or a value) of the top-level object
            top_key = _decoded(token.group()[1:-1])
        elif depth == 3 and top_key == list_key and token.group() == '"id"':
            match = _ID_KEY.match(text, token.start())
            item_id = _decoded(match.group(1)) if match else None
            if item_id is not None and item_id not in offsets:
                offsets[item_id] = token.start()
    return offsets


def _locations(text: str, file: str, offsets: Mapping[str, int]) -> dict[str, Location]:
    """Offsets (in increasing order) as locations: 1-based lines and columns."""
    locations: dict[str, Location] = {}
    line, line_start, position = 1, 0, 0
    for item_id, start in offsets.items():  # in the order of the text
        newlines = text.count("\n", position, start)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", position, start) + 1
        position = start
        locations[item_id] = Location(file, line, start - line_start + 1)
    return locations


def check_references(project: Project) -> None:
    """Every ``depends_on`` names a claim that exists (an undefined source id is a finding)."""
    known = {claim.id for claim in project.claims}
    for index, claim in enumerate(project.claims):
        for position, premise in enumerate(claim.depends_on):
            if premise not in known:
                raise InputError(
                    f"claim {claim.id!r} depends on {premise!r}, which is not a claim",
                    file=project.claims_file,
                    path=f"$.claims[{index}].depends_on[{position}]",
                    hint="depends_on lists ids of other claims in the same file",
                )


def load_project(claims_path: str | Path, sources_path: str | Path | None) -> Project:
    """Load a claims file and (optionally) its sources file; raises InputError."""
    with gc_paused():
        return _load_project(claims_path, sources_path)


def _load_project(claims_path: str | Path, sources_path: str | Path | None) -> Project:
    claims_name = str(claims_path)
    claims_text, claims_data = read_json_text(claims_path)
    claims = parse_claims(claims_data, claims_name)
    sources: list[Source] = []
    source_locations: Mapping[str, Location] = {}
    if sources_path is not None:
        sources_name = str(sources_path)
        sources_text, sources_data = read_json_text(sources_path)
        sources = parse_sources(sources_data, sources_name)
        source_locations = id_locations(sources_text, sources_name, "sources")
    project = Project(
        claims=claims,
        sources=sources,
        claims_file=claims_name,
        sources_file=str(sources_path) if sources_path is not None else None,
        claim_locations=id_locations(claims_text, claims_name, "claims"),
        source_locations=source_locations,
    )
    check_references(project)
    return project
