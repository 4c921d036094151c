"""JUnit XML: one test case per claim, failed by findings at or above ``--fail-on``.

CI systems (GitLab, Jenkins, Azure, GitHub test reporters) read this shape. A claim's case
also fails on findings about the sources it cites (a citation that does not exist, a
retracted paper); findings no claim shows (an orphan source) get a case of their own, so
the XML fails exactly when the exit code does. Findings below the threshold are listed in
``system-out``.

The XML is built with :mod:`xml.etree.ElementTree` (which escapes markup); control
characters, lone surrogates and the other characters XML 1.0 cannot carry are shown escaped
(``\\x1b``), as :mod:`claimgraph.safetext` does for every format.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # builds XML only; parsing goes through defusedxml
from collections.abc import Sequence

from claimgraph.formats import FormatOptions
from claimgraph.formats._common import finding_location, judged_sources, location_text, support_text
from claimgraph.levels import ClaimStatus, Severity
from claimgraph.report import OUTAGE_RULES, ClaimResult, Finding, Report, SourceResult
from claimgraph.safetext import multiline


def xml_text(text: str) -> str:
    """``text`` with the characters XML 1.0 forbids (and other controls) shown escaped."""
    return multiline(text)


def fails(finding: Finding, fail_on: str) -> bool:
    """Whether ``finding`` fails a test: at or above ``--fail-on``, as the exit code counts.

    ``never`` fails nothing, and an outage (``unverifiable-source``) fails nothing either:
    it is reported, and a claim that could not be checked at all is skipped.
    """
    if fail_on == "never" or finding.rule in OUTAGE_RULES:
        return False
    return finding.severity.rank >= Severity(fail_on).rank


def _where(report: Report, finding: Finding) -> str:
    where = location_text(finding_location(report, finding))
    return f" ({where})" if where else ""


def _describe(report: Report, findings: Sequence[Finding]) -> str:
    return "\n".join(
        f"{f.severity.value} {f.rule}: {f.message}{_where(report, f)}" for f in findings
    )


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


class _Suite:
    def __init__(self, parent: ET.Element, name: str) -> None:
        self.element = _sub(parent, "testsuite", name=name)
        self.tests = self.failures = self.skipped = 0

    def case(
        self,
        report: Report,
        *,
        classname: str,
        name: str,
        findings: Sequence[Finding],
        fail_on: str,
        details: list[str],
        file: str | None = None,
        line: int | None = None,
        skip_reason: str | None = None,
    ) -> None:
        attrs = {"classname": classname, "name": name, "time": "0"}
        if file:
            attrs["file"] = file
            if line is not None:
                attrs["line"] = str(line)
        case = _sub(self.element, "testcase", **attrs)
        self.tests += 1
        failing = [f for f in findings if fails(f, fail_on)]
        passing = [f for f in findings if not fails(f, fail_on)]
        if failing:
            self.failures += 1
            first = max(failing, key=lambda f: f.severity.rank)
            _sub(
                case,
                "failure",
                _describe(report, failing),
                message=first.message,
                type=first.rule,
            )
        elif skip_reason is not None:
            self.skipped += 1
            _sub(case, "skipped", message=skip_reason)
        out = list(details)
        if passing:
            out += ["", "findings below --fail-on:", _describe(report, passing)]
        _sub(case, "system-out", "\n".join(out))

    def close(self) -> tuple[int, int, int]:
        for key, value in (
            ("tests", self.tests),
            ("failures", self.failures),
            ("errors", 0),
            ("skipped", self.skipped),
            ("time", 0),
        ):
            self.element.set(key, str(value))
        return self.tests, self.failures, self.skipped


def _record_line(source: SourceResult) -> str | None:
    record = source.record
    if record is None:
        return None
    bits = [
        f"PMID {record.pmid}" if record.pmid else None,
        f"doi:{record.doi}" if record.doi else None,
        record.title,
        record.journal,
        str(record.year) if record.year else None,
        "; ".join(record.publication_types) or None,
    ]
    return " | ".join(bit for bit in bits if bit)


def _claim_details(claim: ClaimResult, sources: dict[str, SourceResult]) -> list[str]:
    lines = [
        f"claim: {claim.text}",
        f"status: {claim.status.value}",
        f"evidence: {claim.evidence.value if claim.evidence else 'none'}",
        f"sources: {', '.join(claim.sources) or 'none'}",
    ]
    if claim.depends_on:
        lines.append(f"depends on: {', '.join(claim.depends_on)}")
    if claim.reason:
        lines.append(f"why: {claim.reason}")
    for source_id in claim.sources:
        source = sources.get(source_id)
        if source is None:
            continue
        line = f"source {source_id}: {source.status.value}, {source.evidence.value}"
        record = _record_line(source)
        lines.append(f"{line}; record: {record}" if record else line)
    for judged in judged_sources(claim):
        lines.append(f"abstract of {judged.source}: {support_text(judged)}")
    return lines


def _source_details(source: SourceResult) -> list[str]:
    lines = [f"status: {source.status.value}", f"evidence: {source.evidence.value}"]
    record_line = _record_line(source)
    for label, value in (
        ("citation", source.citation),
        ("title", source.title),
        ("record", record_line),
        ("doi", source.doi),
        ("pmid", source.pmid),
        ("why", source.message),
    ):
        if value:
            lines.append(f"{label}: {value}")
    lines.append(f"cited by: {', '.join(source.cited_by) or 'no claim'}")
    return lines


def _claim_findings(report: Report) -> tuple[dict[str, list[Finding]], list[Finding]]:
    """Findings per claim test case (its own, and those about the sources it cites); the rest."""
    cited_by: dict[str, list[str]] = {}
    for claim in report.claims:
        for source_id in dict.fromkeys(claim.sources):
            cited_by.setdefault(source_id, []).append(claim.id)
    claim_ids = {claim.id for claim in report.claims}
    by_claim: dict[str, list[Finding]] = {claim.id: [] for claim in report.claims}
    rest: list[Finding] = []
    for finding in report.findings:
        if finding.claim is not None and finding.claim in claim_ids:
            by_claim[finding.claim].append(finding)
        elif finding.claim is None and finding.source in cited_by:
            for claim_id in cited_by[finding.source]:
                by_claim[claim_id].append(finding)
        else:
            rest.append(finding)
    return by_claim, rest


def junit_tree(report: Report, fail_on: str) -> ET.Element:
    """``testsuites``: one case per claim; findings no claim case shows get cases of their own.

    A claim's case fails on its own findings and on those about the sources it cites (a
    claim citing a retracted paper fails); a finding no claim case shows (an orphan source)
    fails a case of its source, so the XML fails exactly when the exit code does.
    """
    root = ET.Element("testsuites", {"name": "claimgraph"})
    by_claim, rest = _claim_findings(report)
    sources = {source.id: source for source in report.sources}
    suites = [_Suite(root, "claimgraph.claims")]
    for claim in report.claims:
        location = claim.location
        suites[0].case(
            report,
            classname="claimgraph.claims",
            name=claim.id,
            findings=by_claim[claim.id],
            fail_on=fail_on,
            details=_claim_details(claim, sources),
            file=location.file if location else None,
            line=location.line if location else None,
            skip_reason="nothing could be checked"
            if claim.status is ClaimStatus.UNVERIFIED
            else None,
        )
    by_source: dict[str, list[Finding]] = {}
    for finding in rest:
        by_source.setdefault(finding.source or "", []).append(finding)
    if by_source:
        others = _Suite(root, "claimgraph.sources")
        suites.append(others)
        for source_id, findings in by_source.items():
            source = sources.get(source_id)
            location = source.location if source else None
            others.case(
                report,
                classname="claimgraph.sources" if source_id else "claimgraph",
                name=source_id or "project",
                findings=findings,
                fail_on=fail_on,
                details=_source_details(source) if source else [],
                file=location.file if location else None,
                line=location.line if location else None,
            )
    totals = [suite.close() for suite in suites]
    root.set("tests", str(sum(t[0] for t in totals)))
    root.set("failures", str(sum(t[1] for t in totals)))
    root.set("errors", "0")
    root.set("skipped", str(sum(t[2] for t in totals)))
    return root


def render(report: Report, options: FormatOptions) -> str:
    root = junit_tree(report, options.fail_on)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
