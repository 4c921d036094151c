"""The resolver interface: sources in, one :class:`Resolution` per source out.

A resolver answers for every source it is given. "Not found" is a value
(``SourceStatus.NOT_FOUND``); a service it could not reach yields ``UNVERIFIABLE``
with a message, never ``NOT_FOUND``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from claimgraph.levels import SourceStatus
from claimgraph.models import Source
from claimgraph.records import Record


class FieldDifference(BaseModel):
    """One field where the citation and the record disagree."""

    model_config = ConfigDict(frozen=True)

    field: str
    cited: str
    record: str


class Resolution(BaseModel):
    """What resolution concluded about one source."""

    model_config = ConfigDict(frozen=True)

    status: SourceStatus
    record: Record | None = None
    differences: tuple[FieldDifference, ...] = ()
    #: a mismatch where the identifier belongs to a different work than the one cited
    different_work: bool = False
    #: why: "PMID 123 does not exist", "PubMed unreachable: timeout", ...
    message: str | None = None
    #: the service an unverifiable source could not reach ("pubmed", "crossref")
    unreachable: tuple[str, ...] = ()
    #: identifiers found for a source that did not carry them (for ``claimgraph resolve``)
    found_doi: str | None = None
    found_pmid: str | None = None


class Resolver(Protocol):
    """Anything that can resolve a batch of sources."""

    def resolve(self, sources: Sequence[Source]) -> dict[str, Resolution]:
        """Return a Resolution for every source in ``sources``, keyed by source id."""
        ...


class NotCheckedResolver:
    """Resolves nothing: every checkable source is ``unverifiable`` (offline, no resolver)."""

    def __init__(self, reason: str = "not checked: offline") -> None:
        self.reason = reason

    def resolve(self, sources: Sequence[Source]) -> dict[str, Resolution]:
        answer = Resolution(status=SourceStatus.UNVERIFIABLE, message=self.reason)  # frozen: share
        return {source.id: answer for source in sources}
