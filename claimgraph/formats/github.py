"""GitHub Actions: workflow-command annotations, and the Markdown job summary.

:func:`render` is pure: it returns one ``::error``/``::warning``/``::notice`` line per finding
(escaped as the Actions runner expects, so no text from an article can end the command or
start another one; control characters shown escaped, since the log viewer obeys ANSI
sequences), then a plain summary line. :func:`step_summary` is the Markdown job
summary; :func:`claimgraph.app.append_step_summary` appends it to ``$GITHUB_STEP_SUMMARY``.
"""

from __future__ import annotations

from claimgraph.formats import FormatOptions, markdown
from claimgraph.formats._common import finding_location, summary_line
from claimgraph.levels import Severity
from claimgraph.report import Finding, Report
from claimgraph.safetext import multiline, one_line

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}

#: GitHub refuses a step summary above 1 MiB; stay under it
STEP_SUMMARY_LIMIT = 1024 * 1024 - 4096


def escape_data(text: str) -> str:
    """Escape a command's message (after ``::``): ``%``, CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (``file=``, ``title=``): also ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(report: Report, finding: Finding) -> str:
    """One workflow command for ``finding``."""
    properties: list[tuple[str, str]] = []
    location = finding_location(report, finding)
    if location is not None and location.file:
        properties.append(("file", multiline(location.file.replace("\\", "/"))))
        if location.line is not None:
            properties.append(("line", str(location.line)))
            if location.column is not None:
                properties.append(("col", str(location.column)))
    properties.append(("title", f"claimgraph {finding.rule}"))
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{_COMMANDS[finding.severity]} {props}::{escape_data(multiline(finding.message))}"


def render(report: Report, options: FormatOptions) -> str:
    del options  # every finding is annotated; --fail-on only decides the exit code
    lines = [annotation(report, finding) for finding in report.findings]
    lines.append(escape_data("claimgraph: " + one_line(summary_line(report))))
    return "\n".join(lines) + "\n"


def step_summary(report: Report, options: FormatOptions | None = None) -> str:
    """The Markdown for the job summary, cut to fit GitHub's size limit."""
    text = markdown.render(report, options or FormatOptions())
    if len(text.encode("utf-8")) <= STEP_SUMMARY_LIMIT:
        return text if text.endswith("\n") else text + "\n"
    note = "\n\n_The report was cut to fit the job summary; see the full report in the log._\n"
    budget = STEP_SUMMARY_LIMIT - len(note.encode("utf-8"))
    cut = text.encode("utf-8")[:budget].decode("utf-8", errors="ignore")
    cut = cut[: cut.rfind("\n")] if "\n" in cut else cut
    return cut + note
