"""SARIF 2.1.0: findings as static-analysis results, for code scanning UIs.

One ``reportingDescriptor`` per claimgraph rule (its docstring is the help text), one
``result`` per finding, located at the claim or citation in the draft (or in
claims.json / sources.json when the input carries no draft location). The finding's
fingerprint becomes a ``partialFingerprints`` entry so a code-scanning service can track a
result across runs.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from claimgraph.formats import FormatOptions
from claimgraph.formats._common import finding_location, judged_sources
from claimgraph.formats.json_format import COMPACT_ABOVE
from claimgraph.levels import Severity
from claimgraph.models import Location
from claimgraph.report import Finding, RecordSummary, Report, SourceSupport
from claimgraph.rules import RULES
from claimgraph.safetext import json_text, multiline

SARIF_VERSION = "2.1.0"
#: the $id of the OASIS schema the output is validated against (tests/fixtures/schemas)
SARIF_SCHEMA_URI = (
    "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
)
#: key of the finding's fingerprint in ``partialFingerprints`` (versioned, as SARIF suggests)
FINGERPRINT_KEY = "claimgraph/v1"

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def sarif_level(severity: Severity) -> str:
    """SARIF has ``note`` where claimgraph has ``info``."""
    return _LEVELS[severity]


@functools.lru_cache(maxsize=4096)  # a report names few files, each for many findings
def artifact_uri(path: str) -> str:
    """A relative path as a URI reference (forward slashes, percent-encoded); absolute as file:.

    A name the file system could not decode keeps its bytes (percent-encoded); a lone
    surrogate no file name can hold is shown escaped.
    """
    try:
        path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        path = multiline(path)
    if PureWindowsPath(path).is_absolute():  # C:\docs\a.md, \\server\share
        return PureWindowsPath(path).as_uri()
    posix = path.replace("\\", "/")
    if posix.startswith("/"):
        return PurePosixPath(posix).as_uri()
    # ':' stays encoded: in a first segment it would read as a URI scheme
    return quote(posix, safe="/-._~!$&'()*+,;=@", errors="surrogateescape")


def unwrap(text: str) -> str:
    """Docstring paragraphs as single lines (viewers wrap text themselves)."""
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _rule_descriptor(rule_id: str) -> dict[str, Any]:
    rule = RULES.get(rule_id)
    if rule is None:  # a finding from a rule this version does not know (e.g. a plug-in)
        return {"id": rule_id, "shortDescription": {"text": rule_id}}
    help_text = unwrap(rule.help)
    return {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": help_text},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": sarif_level(rule.default_severity)},
        "properties": {"tags": ["claimgraph", "citations"]},
    }


def _physical_location(location: Location) -> dict[str, Any]:
    assert location.file is not None
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(location.file)}}
    if location.line is not None:
        region: dict[str, Any] = {"startLine": location.line}
        if location.column is not None:
            region["startColumn"] = location.column
        physical["region"] = region
    return physical


def _record_properties(record: RecordSummary) -> dict[str, Any]:
    """The resolved record, as SARIF result properties (identifiers, title, year, journal...)."""
    fields = {
        "service": record.service,
        "pmid": record.pmid,
        "doi": record.doi,
        "title": record.title,
        "year": record.year,
        "journal": record.journal,
        "publicationTypes": record.publication_types,
        "retracted": record.retracted,
    }
    return {key: value for key, value in fields.items() if value not in (None, [])}


def _support_properties(support: SourceSupport) -> dict[str, Any]:
    return {
        "label": support.label,
        "score": support.score,
        "evidence": [{"text": e.text, "start": e.start, "end": e.end} for e in support.evidence],
        "model": support.model,
    }


def _result(
    report: Report,
    finding: Finding,
    rule_index: int,
    records: dict[str, RecordSummary] | None = None,
    judged: dict[tuple[str, str], SourceSupport] | None = None,
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": sarif_level(finding.severity),
        "message": {"text": multiline(finding.message)},
    }
    location: dict[str, Any] = {}
    where = finding_location(report, finding)
    if where is not None and where.file:
        location["physicalLocation"] = _physical_location(where)
    logical = [
        {"name": name, "kind": kind}
        for name, kind in ((finding.claim, "claim"), (finding.source, "source"))
        if name is not None
    ]
    if logical:
        location["logicalLocations"] = logical
    if location:
        result["locations"] = [location]
    fingerprint = finding.fingerprint or Finding.make_fingerprint(
        finding.rule, finding.claim, finding.source
    )
    result["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint}
    properties: dict[str, Any] = {
        key: value
        for key, value in (("claim", finding.claim), ("source", finding.source))
        if value is not None
    }
    if records and finding.source is not None and finding.source in records:
        properties["record"] = _record_properties(records[finding.source])
    edge = (finding.claim or "", finding.source or "")
    if judged and edge in judged:
        properties["support"] = _support_properties(judged[edge])
    if properties:
        result["properties"] = properties
    return result


def sarif_log(report: Report) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict."""
    log = _log_without_results(report)
    log["runs"][0]["results"] = list(_results(report))
    return log


def _results(report: Report) -> Iterator[dict[str, Any]]:
    """One SARIF result per finding, made one at a time."""
    index = {rule_id: i for i, rule_id in enumerate(_rule_ids(report))}
    records = {s.id: s.record for s in report.sources if s.record is not None}
    judged = {(c.id, s.source): s for c in report.claims for s in judged_sources(c)}
    for finding in report.findings:
        yield _result(report, finding, index[finding.rule], records, judged)


def _rule_ids(report: Report) -> list[str]:
    rule_ids = list(RULES)
    rule_ids += [f.rule for f in report.findings if f.rule not in RULES and f.rule not in rule_ids]
    return rule_ids


def _log_without_results(report: Report) -> dict[str, Any]:
    by_support: dict[str, int] = {}
    for claim in report.claims:
        if claim.support is not None:
            by_support[claim.support.label] = by_support.get(claim.support.label, 0) + 1
    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": report.tool.name,
                        "version": report.tool.version,
                        "semanticVersion": report.tool.version,
                        "rules": [_rule_descriptor(rule_id) for rule_id in _rule_ids(report)],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [],
                "properties": {
                    "claims": report.summary.claims,
                    "sources": report.summary.sources,
                    "claimsByStatus": report.summary.by_status,
                    "claimsBySupport": by_support,
                    "unreachable": report.summary.unreachable,
                },
            }
        ],
    }


def _dumps(data: Any, indent: int | None = 2) -> str:
    # a lone surrogate (from an input's "\ud800") is written as its JSON escape
    separators = (",", ":") if indent is None else (",", ": ")
    return json_text(json.dumps(data, indent=indent, separators=separators, ensure_ascii=False))


#: stands in for the results in the log's text until they are written one by one (only
#: claimgraph's own text comes before the results, so its first occurrence is the one)
_PLACEHOLDER = "\x00claimgraph-results"
#: the indentation of an item of ``runs[0].results``
_RESULT_INDENT = " " * 8
_RESULTS_PER_PART = 1000


def render_parts(report: Report, options: FormatOptions) -> Iterator[str]:
    """The log in pieces: everything around the results, then the results a thousand at a time.

    The results are never all in memory at once, as dicts or as text. Above
    :data:`~claimgraph.formats.json_format.COMPACT_ABOVE` claims + sources the log is written
    compact, as the JSON report is (indented JSON is written by the standard library's
    slow pure-Python encoder: 5x the time).
    """
    del options  # every finding is a result; --fail-on only decides the exit code
    indent = None if len(report.claims) + len(report.sources) > COMPACT_ABOVE else 2
    if not report.findings:
        yield _dumps(sarif_log(report), indent) + "\n"
        return
    log = _log_without_results(report)
    log["runs"][0]["results"] = [_PLACEHOLDER]
    head, tail = _dumps(log, indent).split(_dumps(_PLACEHOLDER), 1)
    between = "," if indent is None else ",\n" + _RESULT_INDENT
    batch: list[str] = []
    for position, result in enumerate(_results(report)):
        text = _dumps(result, indent)
        if indent is not None:
            text = text.replace("\n", "\n" + _RESULT_INDENT)
        batch.append(("" if position == 0 else between) + text)
        if len(batch) >= _RESULTS_PER_PART:
            yield head + "".join(batch)
            head, batch = "", []
    yield head + "".join(batch) + tail + "\n"


def render(report: Report, options: FormatOptions) -> str:
    return "".join(render_parts(report, options))
