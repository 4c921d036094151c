"""Baselines: accept today's findings, fail only on new ones.

``claimgraph check --update-baseline --baseline FILE`` records the fingerprint of every
finding; ``claimgraph check --baseline FILE`` then drops the findings the baseline accepts.
A fingerprint is a hash of the rule, the claim id and the source id
(:meth:`claimgraph.report.Finding.make_fingerprint`), so it survives edits that move a
claim or reword a message, and a finding comes back when its claim or source changes id.
The same fingerprint may be accepted more than once: a baseline with one copy of it
accepts one such finding, and a second one is new.

The file is JSON, sorted, with the rule, claim, source and message kept for the people
who review it::

    {"claimgraph_baseline": 1,
     "findings": [{"fingerprint": "3f9c...", "rule": "anecdotal-only",
                   "claim": "mg-eye-twitch", "source": null, "message": "..."}]}
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from claimgraph.atomic import write_text_atomic
from claimgraph.errors import InputError
from claimgraph.models import json_path, read_json
from claimgraph.report import Finding, Report, count_findings

BASELINE_FORMAT = 1


class BaselineEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    fingerprint: str = Field(pattern=r"^[0-9a-f]{8,64}$")
    rule: str | None = None
    claim: str | None = None
    source: str | None = None
    message: str | None = None


class _BaselineFile(BaseModel):
    model_config = ConfigDict(extra="ignore")

    claimgraph_baseline: int
    findings: list[BaselineEntry]


@dataclass(frozen=True)
class Baseline:
    """The accepted findings: fingerprint -> how many are accepted."""

    entries: tuple[BaselineEntry, ...] = ()

    @property
    def fingerprints(self) -> Counter[str]:
        return Counter(entry.fingerprint for entry in self.entries)

    def __len__(self) -> int:
        return len(self.entries)


def fingerprint_of(finding: Finding) -> str:
    """The finding's fingerprint (computed when the report left it empty)."""
    return finding.fingerprint or Finding.make_fingerprint(
        finding.rule, finding.claim, finding.source
    )


def load_baseline(path: str | Path) -> Baseline:
    """Read a baseline file. Raises InputError naming the file and the place when it is bad."""
    name = str(path)
    data = read_json(path)
    if not isinstance(data, dict) or "claimgraph_baseline" not in data:
        raise InputError(
            'not a claimgraph baseline (no "claimgraph_baseline" key)',
            file=name,
            path="$",
            hint="write one with claimgraph check --update-baseline --baseline FILE",
        )
    try:
        parsed = _BaselineFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        message = first["msg"]
        if first["type"] == "missing":
            message = f"missing required field {first['loc'][-1]!r}"
        elif first["type"] == "string_pattern_mismatch":
            message = "a fingerprint is a hex string as claimgraph writes it"
        raise InputError(
            f"bad baseline: {message}",
            file=name,
            path=json_path(first["loc"]),
            hint="regenerate it with claimgraph check --update-baseline",
        ) from None
    if parsed.claimgraph_baseline != BASELINE_FORMAT:
        raise InputError(
            f"baseline format {parsed.claimgraph_baseline} is not supported "
            f"(this claimgraph reads {BASELINE_FORMAT})",
            file=name,
            path="$.claimgraph_baseline",
        )
    return Baseline(tuple(parsed.findings))


def baseline_of(findings: Iterable[Finding]) -> Baseline:
    entries = [
        BaselineEntry(
            fingerprint=fingerprint_of(f),
            rule=f.rule,
            claim=f.claim,
            source=f.source,
            message=f.message,
        )
        for f in findings
    ]
    entries.sort(key=lambda e: (e.fingerprint, e.rule or "", e.message or ""))
    return Baseline(tuple(entries))


def baseline_text(report: Report) -> str:
    baseline = baseline_of(report.findings)
    data = {
        "claimgraph_baseline": BASELINE_FORMAT,
        "findings": [entry.model_dump() for entry in baseline.entries],
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_baseline(report: Report, path: str | Path) -> None:
    """Accept every finding of ``report``: write them to ``path`` atomically."""
    write_text_atomic(path, baseline_text(report))


def _without(findings: list[Finding], accepted: Counter[Finding]) -> list[Finding]:
    remove = Counter(accepted)  # per list: a finding may be listed under a claim and a source
    kept: list[Finding] = []
    for finding in findings:
        if remove[finding] > 0:
            remove[finding] -= 1
        else:
            kept.append(finding)
    return kept


def apply_baseline(report: Report, baseline: Baseline) -> Report:
    """A new report without the findings ``baseline`` accepts; summary counts recomputed.

    Claim and source statuses are unchanged: a baseline silences findings, it does not make
    a claim supported.
    """
    budget = baseline.fingerprints
    kept: list[Finding] = []
    accepted: list[Finding] = []
    for finding in report.findings:
        fingerprint = fingerprint_of(finding)
        if budget[fingerprint] > 0:
            budget[fingerprint] -= 1
            accepted.append(finding)
        else:
            kept.append(finding)
    if not accepted:
        return report
    remove: Counter[Finding] = Counter(accepted)
    claims = [
        claim.model_copy(update={"findings": _without(claim.findings, remove)})
        if claim.findings
        else claim
        for claim in report.claims
    ]
    sources = [
        source.model_copy(update={"findings": _without(source.findings, remove)})
        if source.findings
        else source
        for source in report.sources
    ]
    summary = report.summary.model_copy(update={"findings": count_findings(kept)})
    return report.model_copy(
        update={"findings": kept, "claims": claims, "sources": sources, "summary": summary}
    )
