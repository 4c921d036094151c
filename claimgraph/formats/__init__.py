"""Output formats: pure functions from a :class:`~claimgraph.report.Report` to text.

A format never writes files, never prints and never decides the exit code.
Each module exposes ``render(report, options) -> str``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
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
