"""quick_init builds the same objects as the ``__init__`` dataclasses writes."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

import claimgraph.models
import claimgraph.report
from claimgraph.frozen import ORIGINAL_INITS, quick_init

# importing the modules registers their classes
CLASSES = sorted(ORIGINAL_INITS, key=lambda cls: cls.__qualname__)


def test_every_report_row_and_location_uses_it() -> None:
    names = {cls.__name__ for cls in CLASSES}
    assert claimgraph.models.Location in ORIGINAL_INITS
    for name in ("Finding", "SourceResult", "ClaimResult", "SourceSupport", "ClaimSupport"):
        assert name in names
        assert getattr(claimgraph.report, name) in ORIGINAL_INITS


def _build(cls: type[Any], init: Any, *args: Any, **kwargs: Any) -> Any:
    instance = object.__new__(cls)
    init(instance, *args, **kwargs)
    return instance


def _values(instance: Any) -> dict[str, Any]:
    return {spec.name: getattr(instance, spec.name) for spec in dataclasses.fields(instance)}


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_same_objects_as_the_dataclass_init(cls: type[Any]) -> None:
    fields = dataclasses.fields(cls)
    given = {spec.name: object() for spec in fields}  # a distinct value per field
    required = {
        spec.name: given[spec.name]
        for spec in fields
        if spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING
    }
    original = ORIGINAL_INITS[cls]
    for kwargs in (given, required):
        quick, plain = cls(**kwargs), _build(cls, original, **kwargs)
        assert _values(quick).keys() == _values(plain).keys()
        for name, value in _values(plain).items():
            if name in kwargs:
                assert getattr(quick, name) is value
            else:  # a default, or a fresh value from its factory (never shared)
                assert getattr(quick, name) == value
                if isinstance(value, list | dict):
                    assert getattr(quick, name) is not getattr(cls(**kwargs), name)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(cls(**given), fields[0].name, 1)
    with pytest.raises(TypeError):
        cls(**given, not_a_field=1)
    if required:
        with pytest.raises(TypeError):
            cls(**dict(list(required.items())[1:]))


def test_positional_fields_stay_positional() -> None:
    location = claimgraph.models.Location("a.json", 3, 4)
    assert (location.file, location.line, location.column) == ("a.json", 3, 4)
    assert claimgraph.models.Location() == claimgraph.models.Location(None, None, None)
    with pytest.raises(TypeError):
        claimgraph.report.Finding("rule", "error")  # type: ignore[call-arg, arg-type]


def test_refuses_what_it_cannot_copy() -> None:
    @dataclasses.dataclass(slots=True)
    class Mutable:
        a: int

    @dataclasses.dataclass(frozen=True)
    class NoSlots:
        a: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class PostInit:
        a: int

        def __post_init__(self) -> None:
            pass

    for cls in (Mutable, NoSlots, PostInit):
        with pytest.raises(TypeError):
            quick_init(cls)
