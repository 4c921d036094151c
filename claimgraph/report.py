"""The report: the one object formats read. Frozen; built by :mod:`claimgraph.audit`.

Its JSON form is a contract (DESIGN.md, "Report"): keys are added, never renamed or removed
without a ``schema_version`` bump.

The nodes are slotted frozen dataclasses rather than pydantic models: a large audit builds
hundreds of thousands of them, and a dataclass is about three times cheaper to create. A
pydantic ``TypeAdapter`` still gives each one JSON, validation and a JSON Schema, behind the
same method names the models had (``model_dump_json``, ``model_copy``, ...).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Literal, Self, cast

from pydantic import GetCoreSchemaHandler, TypeAdapter
from pydantic_core import CoreSchema, core_schema

from claimgraph.frozen import quick_init
from claimgraph.levels import ClaimStatus, Evidence, Severity, SourceStatus
from claimgraph.models import Location
from claimgraph.resolvers.base import FieldDifference
from claimgraph.version import __version__

#: 2: claim status not_supported, claim ``support`` judgements, claims list the findings
#: of the sources they cite
SCHEMA_VERSION = 2


_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _adapter(cls: type[Any]) -> TypeAdapter[Any]:
    adapter = _ADAPTERS.get(cls)
    if adapter is None:
        adapter = _ADAPTERS[cls] = TypeAdapter(cls)
    return adapter


class _AsText:
    """Serialise a value of a closed vocabulary (a ``StrEnum``) as the string it is.

    pydantic's enum serialiser reads ``.value`` through Python, once per value (a report of
    100,000 claims holds over a million); its ``str`` serialiser reads the string itself,
    about five times cheaper (measured). The JSON, ``model_dump`` (enum members in Python
    mode) and the JSON Schema stay the same (``tests/core/test_report_text.py``).
    """

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        schema = {**handler(source), "serialization": core_schema.simple_ser_schema("str")}
        return cast(CoreSchema, schema)


class _Node:
    """JSON, validation and copying for the report's dataclasses."""

    __slots__ = ()
    #: set on each subclass by @dataclass (declared so that type checkers know it is one)
    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]

    def model_copy(self, *, update: dict[str, Any] | None = None) -> Self:
        return dataclasses.replace(self, **(update or {}))

    def model_dump(
        self, *, mode: Literal["json", "python"] = "python", **options: Any
    ) -> dict[str, Any]:
        dumped: dict[str, Any] = _adapter(type(self)).dump_python(self, mode=mode, **options)
        return dumped

    def model_dump_json(self, *, indent: int | None = None) -> str:
        return _adapter(type(self)).dump_json(self, indent=indent).decode()

    @classmethod
    def model_validate(cls, data: Any) -> Self:
        value: Self = _adapter(cls).validate_python(data)
        return value

    @classmethod
    def model_validate_json(cls, data: str | bytes) -> Self:
        value: Self = _adapter(cls).validate_json(data)
        return value

    @classmethod
    def model_json_schema(
        cls, mode: Literal["validation", "serialization"] = "validation"
    ) -> dict[str, Any]:
        schema: dict[str, Any] = _adapter(cls).json_schema(mode=mode)
        return schema


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Finding(_Node):
    rule: str
    severity: Annotated[Severity, _AsText]
    claim: str | None = None
    source: str | None = None
    message: str
    location: Location | None = None
    #: stable across runs for the same rule, claim and source (used by baselines)
    fingerprint: str = ""

    @staticmethod
    def make_fingerprint(rule: str, claim: str | None, source: str | None) -> str:
        # surrogatepass: a lone surrogate in an id (a cut "\\ud800" escape) is hashed, not fatal
        key = f"{rule}\x1f{claim or ''}\x1f{source or ''}".encode("utf-8", "surrogatepass")
        return hashlib.blake2b(key, digest_size=8).hexdigest()


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class RecordSummary(_Node):
    """The resolved record, as shown in every format."""

    service: str
    title: str | None = None
    year: int | None = None
    journal: str | None = None
    authors: list[str] = field(default_factory=list)
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    publication_types: list[str] = field(default_factory=list)
    pmid: str | None = None
    doi: str | None = None
    pmcid: str | None = None
    crossref_type: str | None = None
    retracted: bool = False
    updates: list[str] = field(default_factory=list)


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class SourceResult(_Node):
    id: str
    status: Annotated[SourceStatus, _AsText]
    evidence: Annotated[Evidence, _AsText]
    kind: str | None = None
    pmid: str | None = None
    doi: str | None = None
    pmcid: str | None = None
    url: str | None = None
    citation: str | None = None
    title: str | None = None
    record: RecordSummary | None = None
    differences: list[FieldDifference] = field(default_factory=list)
    different_work: bool = False
    #: why it has this status, in a sentence
    message: str | None = None
    cited_by: list[str] = field(default_factory=list)
    location: Location | None = None
    findings: list[Finding] = field(default_factory=list)


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class SupportEvidence(_Node):
    """An abstract sentence that decided a judgement, with its [start, end) offsets."""

    text: str
    start: int
    end: int


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class SourceSupport(_Node):
    """Does this cited source's abstract support the claim? (schema 2)"""

    source: str
    #: supports | contradicts | unrelated | uncertain | not_checked
    label: str
    #: 0-1: how sure the checker is of ``label``
    score: float = 0.0
    evidence: list[SupportEvidence] = field(default_factory=list)
    #: 0-1: is the record about the claim's subject at all
    topic: float | None = None
    #: a contradiction sure enough for source-contradicts-claim
    confident: bool = False
    model: str | None = None
    #: why it was not checked
    note: str | None = None


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimSupport(_Node):
    """What the cited abstracts say about the claim (schema 2)."""

    #: supports | contradicts | mixed | unrelated | uncertain | not_checked
    label: str
    sources: list[SourceSupport] = field(default_factory=list)


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimResult(_Node):
    id: str
    text: str
    status: Annotated[ClaimStatus, _AsText]
    #: best evidence among the usable sources, capped by the weakest premise; null if none
    evidence: Annotated[Evidence, _AsText] | None = None
    sources: list[str] = field(default_factory=list)
    depends_on: list[str] = field(default_factory=list)
    location: Location | None = None
    #: why it has this status, in a sentence
    reason: str = ""
    #: the findings that decide its status: its own and those of the sources it cites
    findings: list[Finding] = field(default_factory=list)
    #: what the cited abstracts say about it (schema 2)
    support: ClaimSupport | None = None


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class FindingCounts(_Node):
    error: int = 0
    warning: int = 0
    info: int = 0


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Summary(_Node):
    claims: int
    sources: int
    #: claims by status
    by_status: dict[str, int]
    #: sources by status
    sources_by_status: dict[str, int] = field(default_factory=dict)
    findings: FindingCounts
    #: services that could not be reached during this run
    unreachable: list[str] = field(default_factory=list)
    offline: bool = False


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class ToolInfo(_Node):
    name: str = "claimgraph"
    version: str = __version__


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Report(_Node):
    schema_version: int = SCHEMA_VERSION
    tool: ToolInfo = field(default_factory=ToolInfo)
    summary: Summary
    claims: list[ClaimResult]
    sources: list[SourceResult]
    findings: list[Finding]
    #: the files the claims and sources came from
    inputs: list[str] = field(default_factory=list)

    def findings_at_or_above(self, severity: Severity) -> list[Finding]:
        # the set of severities that pass, built once: called for every finding of a big report
        passing = {level for level in Severity if level.rank >= severity.rank}
        return [f for f in self.findings if f.severity in passing]


def count_findings(findings: Iterable[Finding]) -> FindingCounts:
    counts = Counter(f.severity for f in findings)
    return FindingCounts(
        error=counts[Severity.ERROR], warning=counts[Severity.WARNING], info=counts[Severity.INFO]
    )


def summarize(
    claims: Sequence[ClaimResult],
    sources: Sequence[SourceResult],
    findings: Iterable[Finding],
    *,
    unreachable: Iterable[str] = (),
    offline: bool = False,
) -> Summary:
    """The report's summary: counts by status and severity."""
    claim_counts = Counter(c.status for c in claims)
    source_counts = Counter(s.status for s in sources)
    return Summary(
        claims=len(claims),
        sources=len(sources),
        by_status={s.value: claim_counts[s] for s in ClaimStatus if claim_counts[s]},
        sources_by_status={s.value: source_counts[s] for s in SourceStatus if source_counts[s]},
        findings=count_findings(findings),
        unreachable=sorted(unreachable),
        offline=offline,
    )


#: exit codes (DESIGN.md)
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_UNREACHABLE = 3

#: a rule that only reports outages: it never makes a run fail with exit code 1
OUTAGE_RULES = frozenset({"unverifiable-source"})


def exit_code(report: Report, fail_on: str) -> int:
    """0 nothing at or above ``fail_on``; 1 findings at or above it; 3 a service was unreachable.

    Outages alone never give 1: ``unverifiable-source`` findings do not count. With
    ``fail_on="never"`` the result is always 0.
    """
    if fail_on == "never":
        return EXIT_OK
    threshold = Severity(fail_on)
    if any(f.rule not in OUTAGE_RULES for f in report.findings_at_or_above(threshold)):
        return EXIT_FINDINGS
    if report.summary.unreachable and not report.summary.offline:
        return EXIT_UNREACHABLE
    return EXIT_OK
