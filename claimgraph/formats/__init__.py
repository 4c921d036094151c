"""Output formats: pure functions from a :class:`~claimgraph.report.Report` to text.

A format never writes files, never prints and never decides the exit code.
Each module exposes ``render(report, options) -> str``; a module whose text can be very large
may also expose ``render_parts(report, options)``, the same text in pieces (see
:func:`render_parts`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the names of the formats are known without loading the report
    from claimgraph.report import Report


@dataclass(frozen=True)
class FormatOptions:
    #: error | warning | never (JUnit marks findings at or above it as failures)
    fail_on: str = "error"
    #: ANSI colour (text format only; the CLI turns it on for terminals)
    color: bool = False
    #: terminal width for the text format
    width: int = 100


Renderer = Callable[["Report", FormatOptions], str]

#: format name -> module under claimgraph.formats
FORMATS: dict[str, str] = {
    "text": "text",
    "markdown": "markdown",
    "json": "json_format",
    "html": "html",
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
}


def available_formats() -> list[str]:
    return list(FORMATS)


def get_renderer(name: str) -> Renderer:
    module = importlib.import_module(f"claimgraph.formats.{FORMATS[name]}")
    renderer: Renderer = module.render
    return renderer


def render(report: Report, name: str, options: FormatOptions | None = None) -> str:
    return get_renderer(name)(report, options or FormatOptions())


def render_parts(report: Report, name: str, options: FormatOptions | None = None) -> Iterator[str]:
    """The text of :func:`render` in pieces that join to it (one piece for most formats).

    Writing the pieces one by one keeps a large report's output out of memory as one string.
    """
    module = importlib.import_module(f"claimgraph.formats.{FORMATS[name]}")
    parts = getattr(module, "render_parts", None)
    if parts is None:
        yield render(report, name, options)
    else:
        yield from parts(report, options or FormatOptions())
