"""Per-source state of a resolution, and the verdict it leads to (DESIGN.md statuses).

A lookup that failed is never a "does not exist": an outage or an offline miss makes the
source ``unverifiable``; ``not_found`` only when the services answered, or when the source's
identifier is malformed (``doi: "not a doi"``, ``pmid: "abc"``): no service can hold it, so
that is known without asking, online and offline, and it is never sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from claimgraph.errors import OfflineCacheMiss, ServiceError
from claimgraph.identifiers import (
    check_source_identifiers,
    identifier_from_url,
    source_identifiers,
)
from claimgraph.levels import SourceStatus
from claimgraph.models import Source
from claimgraph.records import Record
from claimgraph.resolvers.base import FieldDifference, Resolution
from claimgraph.resolvers.lookup import Lookup
from claimgraph.resolvers.match import (
    TITLE_SAME,
    CitedFields,
    Comparison,
    compare,
    title_similarity,
)
from claimgraph.resolvers.profiles import LABELS, PUBMED

# --------------------------------------------------------------------------- per-source state


@dataclass(eq=False)
class IdLookup:
    """One identifier of a source and what the services said about it."""

    kind: str  # "pmid" | "doi" | "pmcid"
    value: str | None  # normalised; None when the written value is not an identifier
    written: str | None  # as the source wrote it (None when taken from url/citation)
    records: list[Record] = field(default_factory=list)
    errors: list[ServiceError] = field(default_factory=list)
    #: the registration agency of a DOI Crossref does not hold (datacite, medra, ...)
    agency: str | None = None
    #: a service answered for it (a miss is then a real "does not exist")
    answered: bool = False

    @property
    def label(self) -> str:
        name = {"pmid": "PMID", "doi": "DOI", "pmcid": "PMCID"}[self.kind]
        return f"{name} {self.value or self.written}"


@dataclass(eq=False)
class SourceState:
    source: Source
    lookups: list[IdLookup]
    notes: list[str]
    #: what the source cites, parsed on first use (an identifier lookup that fails, the
    #: common case offline, never needs it)
    parsed: CitedFields | None = None
    #: the lookups with a usable identifier, by kind and in order (fixed once prepared)
    by_kind: dict[str, IdLookup] = field(default_factory=dict)
    valid: list[IdLookup] = field(default_factory=list)
    #: free-text search state
    candidates: list[tuple[Record, str]] = field(default_factory=list)
    search_errors: list[ServiceError] = field(default_factory=list)
    #: lookups of the accepted work's other record (its retraction status depends on them)
    completion_errors: list[ServiceError] = field(default_factory=list)
    accepted: tuple[Record, Comparison] | None = None
    near_miss: tuple[Record, float] | None = None

    @property
    def cited(self) -> CitedFields:
        if self.parsed is None:
            own = {lk.kind: lk.value for lk in self.lookups if lk.written is not None}
            self.parsed = CitedFields.from_source(self.source, own)
        return self.parsed

    def lookup(self, kind: str) -> IdLookup | None:
        """The usable lookup of one kind (a source has at most one per kind)."""
        return self.by_kind.get(kind)

    @property
    def valid_lookups(self) -> list[IdLookup]:
        return self.valid

    @property
    def malformed(self) -> bool:
        """The source writes an identifier that is not one (no service can hold it)."""
        return any(lk.written is not None and lk.value is None for lk in self.lookups)


def prepare(source: Source) -> SourceState:
    own = source_identifiers(source)  # normalised once, for the check, lookups and cited fields
    notes = check_source_identifiers(source, own)
    lookups = [
        IdLookup(kind=kind, value=own[kind][1], written=own[kind][0])
        for kind in ("pmid", "doi", "pmcid")
        if kind in own
    ]
    state = SourceState(source=source, lookups=lookups, notes=notes)
    carried = {lk.kind for lk in lookups}
    for kind, value in extra_identifiers(source, state.cited if source.citation else None).items():
        if kind not in carried:
            lookups.append(IdLookup(kind=kind, value=value, written=None))
    for lk in lookups:
        if lk.value and lk.kind not in state.by_kind:
            state.by_kind[lk.kind] = lk
    state.valid = list(state.by_kind.values())
    return state


def extra_identifiers(source: Source, cited: CitedFields | None) -> dict[str, str]:
    """Identifiers the source may not carry in its fields: its link's, then its citation's
    (``cited``: the source's cited fields; needed only when it has a citation)."""
    extra: dict[str, str] = {}
    if source.url:
        named = identifier_from_url(source.url)
        if named is not None:
            extra[named[0]] = named[1]
    if source.citation and cited is not None:
        # without a citation the cited identifiers are the source's own, already carried
        for kind in ("pmid", "doi", "pmcid"):
            value = getattr(cited, kind)
            if value:
                extra.setdefault(kind, value)
    return extra


def identifier_verdict(item: SourceState) -> Resolution | None:
    """The verdict from identifiers, or None when every identifier is missing and the
    citation is worth a free-text search.

    A lookup that failed leaves the check incomplete: only a retraction stands then
    (found retracted is retracted whatever the other service says); anything else is
    ``unverifiable``.
    """
    resolution = _identifier_evidence(item)
    errors = [e for lk in item.valid_lookups for e in lk.errors]
    if resolution is None or not errors or resolution.status is SourceStatus.UNVERIFIABLE:
        return resolution
    if resolution.status is SourceStatus.RETRACTED:
        return resolution
    return _incomplete(errors, resolution, item.notes)


def _identifier_evidence(item: SourceState) -> Resolution | None:
    lookups = item.valid_lookups
    works = _group_works(lk for lk in lookups)
    notes = list(item.notes)
    if not works:
        return _no_work(item, notes)
    # the work the citation describes: among the works its identifiers name, the one the
    # cited fields agree with best
    judged = [(record, names, compare(item.cited, record)) for record, names in works]
    judged.sort(key=lambda w: (not w[2].same_work, -(w[2].title_score or 0.0)))
    record, names, comparison = judged[0]
    differences = list(comparison.differences)
    if not comparison.same_work:
        label = " and ".join(lk.label for lk in lookups if lk in names)
        notes.insert(0, f"{label} belongs to a different work: {_describe(record)}")
        return Resolution(
            status=SourceStatus.MISMATCH,
            record=record,
            differences=tuple(differences),
            different_work=True,
            message="; ".join(notes),
        )
    # identifiers that do not lead to this work are wrong details of the citation
    for lk in item.lookups:
        if lk in names or lk.written is None:
            continue
        own = _identifier(record, lk.kind)
        if lk.value and own == lk.value:
            continue  # the record carries it (e.g. a PMCID not looked up by itself)
        if not lk.value:
            pass  # check_source_identifiers already says why it is not an identifier
        elif lk.errors and not lk.records:
            service = LABELS[lk.errors[0].service]
            notes.append(f"{lk.label} could not be checked ({service} unreachable)")
            continue
        elif lk.records:
            notes.append(f"{lk.label} belongs to another work: {_describe(lk.records[0])}")
        elif lk.agency:
            notes.append(f"{lk.label} is registered with {lk.agency}, not checked")
            continue
        elif lk.answered:
            notes.append(f"{lk.label} does not exist")
        elif own:
            notes.append(f"{lk.label} is not the record's ({own})")
        else:
            continue  # not looked up and nothing to compare it with
        differences.append(FieldDifference(field=lk.kind, cited=lk.written, record=own))
    return _verdict(item, record, comparison, tuple(differences), notes)


def _no_work(item: SourceState, notes: list[str]) -> Resolution | None:
    """No identifier led to a record: why, or None when the citation is worth a search."""
    lookups = item.valid_lookups
    errors = [e for lk in lookups for e in lk.errors]
    if errors:
        return unverifiable(errors, notes)
    agencies = [lk for lk in lookups if lk.agency]
    if agencies:
        lk = agencies[0]
        notes.insert(
            0,
            f"{lk.label} is registered with {lk.agency}, not Crossref; "
            "claimgraph checks PubMed and Crossref only",
        )
        return Resolution(status=SourceStatus.UNVERIFIABLE, message="; ".join(notes))
    if item.cited.title or item.cited.citation:
        return None
    if all(lk.kind == "pmcid" for lk in lookups):
        # PMC holds articles PubMed does not: absent from PubMed is not "no such PMCID"
        label = lookups[0].label
        notes.insert(0, f"{label} is not in PubMed; claimgraph does not check PMC")
        return Resolution(status=SourceStatus.UNVERIFIABLE, message="; ".join(notes))
    return Resolution(
        status=SourceStatus.NOT_FOUND,
        message="; ".join([*_missing_messages(item), *notes]),
    )


def search_verdict(item: SourceState) -> Resolution:
    notes = list(item.notes)
    missing = _missing_messages(item)
    if item.accepted is not None:
        record, comparison = item.accepted
        differences = list(comparison.differences)
        for lk in item.lookups:
            own = _identifier(record, lk.kind)
            if lk.written is not None and not (lk.value and own == lk.value):
                differences.append(FieldDifference(field=lk.kind, cited=lk.written, record=own))
        resolution = _verdict(item, record, comparison, tuple(differences), [*missing, *notes])
        if item.completion_errors and resolution.status is not SourceStatus.RETRACTED:
            return _incomplete(item.completion_errors, resolution, item.notes)
        return resolution
    return unplaced_verdict(
        notes,
        missing,
        malformed=item.malformed,
        errors=item.search_errors,
        searchable=item.cited.searchable,
        near_miss=item.near_miss,
    )


def unplaced_verdict(
    notes: list[str],
    missing: Sequence[str],
    *,
    malformed: bool,
    errors: Sequence[ServiceError],
    searchable: bool,
    near_miss: tuple[Record, float] | None = None,
) -> Resolution:
    """The verdict of a source no search placed: ``missing``, the identifiers the services
    said do not exist; ``errors``, the failed searches."""
    if missing or malformed:
        # the identifiers the source gives do not exist (a malformed one cannot): an answer
        if errors:
            notes.append("the citation could not be searched: " + _error_text(errors[0]))
        return Resolution(status=SourceStatus.NOT_FOUND, message="; ".join([*missing, *notes]))
    if errors:
        return unverifiable(errors, notes)
    if not searchable:
        return Resolution(
            status=SourceStatus.NOT_FOUND,
            message="; ".join(notes or ["nothing to look up: no identifier, title or citation"]),
        )
    message = "no PubMed or Crossref record matches the citation"
    if near_miss is not None:
        record, score = near_miss
        message += f" (closest: {_describe(record)}, title similarity {score:.0f})"
    return Resolution(status=SourceStatus.NOT_FOUND, message="; ".join([message, *notes]))


def apply(targets: Iterable[IdLookup], answers: Mapping[str, Lookup]) -> None:
    """Copy what the services answered onto the sources' identifier lookups."""
    for lk in targets:
        answer = answers.get(lk.value) if lk.value else None
        if answer is None:
            continue
        if answer.error is not None and not answer.records:
            lk.errors.append(answer.error)
            continue
        lk.records += [record for record in answer.records if record not in lk.records]
        lk.answered = True
        if answer.agency and not answer.records:
            lk.agency = answer.agency


def pubmed_records(item: SourceState) -> list[Record]:
    return [r for lk in item.valid_lookups for r in lk.records if r.service == PUBMED]


def with_companion(record: Record, crossref_works: Mapping[str, Lookup]) -> Record:
    """A PubMed record merged with the Crossref record of its DOI, when there is one."""
    if record.service != PUBMED or not record.doi:
        return record
    companion = crossref_works.get(record.doi)
    if companion is None or not companion.records:
        return record
    return record.merged_with(companion.records[0])


def _same_work(a: Record, b: Record) -> bool:
    if a.doi and b.doi:
        return a.doi == b.doi
    if a.pmid and b.pmid:
        return a.pmid == b.pmid
    if a.title and b.title:
        return title_similarity(a.title, b.title) >= TITLE_SAME
    return False


def _group_works(lookups: Iterable[IdLookup]) -> list[tuple[Record, list[IdLookup]]]:
    """The distinct works the identifiers lead to, each merged across services (PubMed
    first), with the identifiers that lead to it."""
    works: list[tuple[Record, list[IdLookup]]] = []
    for lk in lookups:
        for record in lk.records:
            for index, (work, names) in enumerate(works):
                if _same_work(work, record):
                    merged = (
                        work.merged_with(record)
                        if work.service == PUBMED
                        else record.merged_with(work)
                        if record.service == PUBMED
                        else work
                    )
                    if lk not in names:
                        names.append(lk)
                    works[index] = (merged, names)
                    break
            else:
                works.append((record, [lk]))
    return works


def _identifier(record: Record, kind: str) -> str:
    value = {"pmid": record.pmid, "doi": record.doi, "pmcid": record.pmcid}.get(kind)
    return value or ""


def _describe(record: Record) -> str:
    first = record.authors[0].family if record.authors else None
    where = ", ".join(str(p) for p in (first, record.year) if p)
    ident = f"PMID {record.pmid}" if record.pmid else f"DOI {record.doi}" if record.doi else ""
    text = f'"{record.title or "(untitled)"}"'
    if where:
        text += f" ({where})"
    if ident:
        text += f", {ident}"
    return text


def _missing_messages(item: SourceState) -> list[str]:
    messages: list[str] = []
    for lk in item.lookups:
        if not lk.value:
            continue  # check_source_identifiers already says why it is not an identifier
        if lk.kind == "pmcid":
            continue  # PMC is not checked: a PMCID PubMed lacks may still exist
        if lk.answered and not lk.records and not lk.agency and not lk.errors:
            where = "PubMed" if lk.kind == "pmid" else "Crossref or PubMed"
            messages.append(f"{lk.label} does not exist in {where}")
    return messages


def _error_text(error: ServiceError) -> str:
    label = LABELS.get(error.service, error.service)
    if isinstance(error, OfflineCacheMiss):
        return f"{label}: offline and not in the cache"
    # "PubMed cannot be reached (...)" names its service already: no "pubmed: " before it
    return error.message if label in error.message else f"{label}: {error.message}"


def _unreachable(errors: Sequence[ServiceError]) -> tuple[str, ...]:
    """The services that could not be reached; an offline cache miss is not an outage."""
    return tuple(dict.fromkeys(e.service for e in errors if not isinstance(e, OfflineCacheMiss)))


#: (reasons, unreachable services) by the errors themselves: a batch shares one error object,
#: so 100,000 sources offline have a handful of distinct error lists (a third of the verdict
#: time on bench_offline). Keyed by the objects, which the entries keep alive: no id reuse.
_REASONS: dict[tuple[ServiceError, ...], tuple[str, tuple[str, ...]]] = {}


def _reasons(errors: Sequence[ServiceError]) -> tuple[str, tuple[str, ...]]:
    key = tuple(errors)
    found = _REASONS.get(key)
    if found is None:
        found = ("; ".join(dict.fromkeys(_error_text(e) for e in errors)), _unreachable(errors))
        if len(_REASONS) < _SHARED_MAX:
            _REASONS[key] = found
    return found


def unverifiable(errors: Sequence[ServiceError], notes: Sequence[str]) -> Resolution:
    reasons, services = _reasons(errors)
    # what stopped the check; the status says it could not be made
    message = "; ".join([reasons, *notes])
    return _shared(Resolution, SourceStatus.UNVERIFIABLE, message, services)


#: identical verdicts (offline, every source with only a DOI has the same reasons)
#: share one frozen Resolution: 100,000 copies cost time and memory
_SHARED: dict[tuple[SourceStatus, str, tuple[str, ...]], Resolution] = {}
_SHARED_MAX = 10_000


def _shared(
    kind: type[Resolution], status: SourceStatus, message: str, services: tuple[str, ...]
) -> Resolution:
    key = (status, message, services)
    found = _SHARED.get(key)
    if found is None:
        found = kind(status=status, message=message, unreachable=services)
        if len(_SHARED) < _SHARED_MAX:
            _SHARED[key] = found
    return found


def _incomplete(
    errors: Sequence[ServiceError], found: Resolution, notes: Sequence[str]
) -> Resolution:
    """``unverifiable``: something was found, but a lookup it depends on failed."""
    reasons, services = _reasons(errors)
    seen = f"found {_describe(found.record)}, " if found.record is not None else ""
    return Resolution(
        status=SourceStatus.UNVERIFIABLE,
        record=found.record,
        message="; ".join([f"{seen}but the check is incomplete: {reasons}", *notes]),
        unreachable=services,
    )


def _verdict(
    item: SourceState,
    record: Record,
    comparison: Comparison,
    differences: tuple[FieldDifference, ...],
    notes: list[str],
) -> Resolution:
    source = item.source
    found_doi = record.doi if not (source.doi and str(source.doi).strip()) else None
    found_pmid = record.pmid if not (source.pmid and str(source.pmid).strip()) else None
    if record.is_retracted:
        status = SourceStatus.RETRACTED
        notes.insert(0, _retraction_text(record))
    elif differences:
        status = SourceStatus.MISMATCH
        details = ", ".join(
            f"{d.field} (cited {d.cited or '-'}, record {d.record or '-'})" for d in differences
        )
        notes.insert(0, f"the citation differs from {_describe(record)} in {details}")
    else:
        status = SourceStatus.VERIFIED
        ident = f"PMID {record.pmid}" if record.pmid else f"DOI {record.doi}"
        notes.insert(0, f"matches {ident}")
    return Resolution(
        status=status,
        record=record,
        differences=differences,
        message="; ".join(notes),
        found_doi=found_doi,
        found_pmid=found_pmid,
    )


def _retraction_text(record: Record) -> str:
    parts: list[str] = []
    if record.marked_retracted:
        parts.append("PubMed marks it Retracted Publication")
    for update in record.retraction_notices():
        notice = f"PMID {update.pmid}" if update.pmid else update.doi or "a notice"
        parts.append(f"{update.type} notice {notice} ({update.origin})")
    return "retracted: " + "; ".join(dict.fromkeys(parts) or ["retraction notice"])
