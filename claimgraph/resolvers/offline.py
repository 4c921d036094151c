"""Offline verdicts of the sources the record store holds nothing about.

Offline, a lookup the store cannot answer ends in the service's offline miss
(:class:`~claimgraph.errors.OfflineCacheMiss`), never in a request. For a source none of whose
store keys is held, the rounds of :class:`~claimgraph.resolvers.service.ServiceResolver`
therefore reach a verdict that depends on the source alone:

- with a usable identifier: ``unverifiable``, missed by PubMed (every identifier kind is
  asked there) and, when a DOI is among them, by Crossref; the identifier notes follow;
- without one: the citation's searches missed (PubMed only when it would be asked about the
  citation, Crossref whenever there is something to search), so ``unverifiable``; or
  ``not_found`` when a written identifier is malformed, or nothing can be looked up.

:func:`unasked` reads what that takes from a source and :func:`unasked_verdict` gives the
verdict, without the per-source lookup state, the rounds and their threads (100,000 claims
citing 200,000 sources offline: see benchmarks/bench_offline.py).
tests/resolvers/test_fast_paths.py proves the verdicts equal to the rounds'.
"""

from __future__ import annotations

from dataclasses import dataclass

from claimgraph.errors import OfflineCacheMiss
from claimgraph.identifiers import check_source_identifiers, source_identifiers
from claimgraph.models import Source
from claimgraph.resolvers.base import Resolution
from claimgraph.resolvers.match import CitedFields
from claimgraph.resolvers.verdicts import extra_identifiers, unplaced_verdict, unverifiable

__all__ = ["Misses", "Unasked", "unasked", "unasked_verdict"]


@dataclass(frozen=True, slots=True)
class Misses:
    """The offline miss of each service (one object each, shared by every lookup)."""

    pubmed: OfflineCacheMiss
    crossref: OfflineCacheMiss


@dataclass(frozen=True, slots=True)
class Unasked:
    """What a source's offline verdict depends on."""

    source: Source
    #: the identifiers the rounds would look up, by kind
    usable: dict[str, str]
    notes: list[str]
    #: the source writes an identifier that is not one
    malformed: bool
    #: what it cites, when it has no usable identifier (its citation would be searched)
    cited: CitedFields | None


def unasked(source: Source) -> Unasked:
    """The source as :func:`unasked_verdict` needs it (what :func:`.verdicts.prepare` reads,
    without the lookup state)."""
    own = source_identifiers(source)
    written: dict[str, str | None] = {kind: value for kind, (_, value) in own.items()}
    cited = CitedFields.from_source(source, written) if source.citation else None
    usable: dict[str, str] = {kind: value for kind, value in written.items() if value}
    for kind, value in extra_identifiers(source, cited).items():
        if value and kind not in written:
            usable[kind] = value
    if not usable and cited is None:
        cited = CitedFields.from_source(source, written)
    return Unasked(
        source=source,
        usable=usable,
        notes=check_source_identifiers(source, own),
        malformed=any(value is None for value in written.values()),
        cited=None if usable else cited,
    )


def unasked_verdict(item: Unasked, misses: Misses, *, pubmed_asks: bool) -> Resolution:
    """The verdict of a source offline when the store holds nothing about it.

    ``pubmed_asks``: PubMed would be asked about its citation (it has no usable identifier
    and enough fields for an ECitMatch line or a field search)."""
    if item.usable:
        # PubMed is missed first whatever the kinds (a PMCID is asked there unless a PMID
        # is), Crossref when a DOI is asked too
        errors = (misses.pubmed, misses.crossref) if "doi" in item.usable else (misses.pubmed,)
        return unverifiable(errors, item.notes)
    assert item.cited is not None
    searchable = item.cited.searchable
    searched = [misses.pubmed] if searchable and pubmed_asks else []
    if searchable:
        searched.append(misses.crossref)
    return unplaced_verdict(
        list(item.notes), (), malformed=item.malformed, errors=searched, searchable=searchable
    )
