"""What a service says about a work: the normalised record every resolver returns.

Resolvers turn PubMed XML and Crossref JSON into :class:`Record`; nothing else in the code
base sees a raw API payload.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Author(BaseModel):
    model_config = ConfigDict(frozen=True)

    family: str
    given: str | None = None
    initials: str | None = None

    def short(self) -> str:
        """PubMed style: "Alonso-Navarro H"."""
        if self.initials:
            return f"{self.family} {self.initials}"
        if self.given:
            initials = "".join(part[0] for part in self.given.replace("-", " ").split() if part)
            return f"{self.family} {initials}"
        return self.family


class Update(BaseModel):
    """A notice attached to a work: retraction, expression of concern, correction, withdrawal."""

    model_config = ConfigDict(frozen=True)

    #: retraction | withdrawal | expression_of_concern | correction | erratum | other
    type: str
    #: pubmed | crossref | retraction-watch | publisher
    origin: str
    doi: str | None = None
    pmid: str | None = None
    date: str | None = None


#: notice types that end a work's standing
RETRACTION_TYPES = frozenset({"retraction", "withdrawal"})


class Record(BaseModel):
    """A bibliographic record as a service returned it, normalised."""

    model_config = ConfigDict(frozen=True)

    #: "pubmed" or "crossref" (the record's origin)
    service: str
    pmid: str | None = None
    doi: str | None = None
    pmcid: str | None = None
    title: str | None = None
    authors: tuple[Author, ...] = ()
    journal: str | None = None
    journal_abbrev: str | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    #: PubMed publication types (exact NLM strings)
    publication_types: tuple[str, ...] = ()
    #: MeSH descriptor names, including check tags (Humans, Animals, ...)
    mesh: tuple[str, ...] = ()
    #: Crossref work type (journal-article, posted-content, book-chapter, ...)
    crossref_type: str | None = None
    abstract: str | None = None
    #: notices attached to the work (retraction, concern, correction, ...)
    updates: tuple[Update, ...] = ()
    #: PubMed CommentsCorrections as (RefType, PMID or None)
    comments_corrections: tuple[tuple[str, str | None], ...] = ()
    url: str | None = None

    @property
    def marked_retracted(self) -> bool:
        """PubMed's publication type "Retracted Publication"."""
        return any(pt.lower() == "retracted publication" for pt in self.publication_types)

    def retraction_notices(self) -> tuple[Update, ...]:
        """The notices that retract or withdraw this work, whoever recorded them: Crossref
        ``updated-by`` and relations, Retraction Watch, PubMed ``RetractionIn``. The one
        reader of retractions: verdicts, messages and rules all ask here."""
        found = [update for update in self.updates if update.type in RETRACTION_TYPES]
        for ref_type, pmid in self.comments_corrections:
            if ref_type.lower() != "retractionin":
                continue
            if pmid and any(update.pmid == pmid for update in found):
                continue
            update = Update(type="retraction", origin="pubmed", pmid=pmid)
            if update not in found:
                found.append(update)
        return tuple(found)

    @property
    def is_retracted(self) -> bool:
        return self.marked_retracted or bool(self.retraction_notices())

    @property
    def has_expression_of_concern(self) -> bool:
        if any(pt.lower() == "expression of concern" for pt in self.publication_types):
            return True
        if any(ref.lower() == "expressionofconcernin" for ref, _ in self.comments_corrections):
            return True
        return any(update.type == "expression_of_concern" for update in self.updates)

    def merged_with(self, other: Record) -> Record:
        """This record with gaps filled from ``other`` (same work, another service)."""
        mine = self.__dict__
        changes: dict[str, object] = {}
        for key, value in other.__dict__.items():
            if key == "service":
                continue
            if key in _UNION_FIELDS:
                extra = [item for item in value if item not in mine[key]]
                if extra:
                    changes[key] = (*mine[key], *extra)
            elif mine[key] in (None, (), "") and value != mine[key]:
                changes[key] = value
        # both records are validated and the values are theirs: a copy with the gaps filled
        # needs no validation (a warm run merges 20,000 pairs: 0.22 s with model_construct
        # of every field, 0.13 s this way)
        return self.model_copy(update=changes) if changes else self


_UNION_FIELDS = frozenset({"updates", "comments_corrections", "publication_types", "mesh"})
