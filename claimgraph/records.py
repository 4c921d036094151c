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
    def is_retracted(self) -> bool:
        if any(pt.lower() == "retracted publication" for pt in self.publication_types):
            return True
        if any(ref.lower() == "retractionin" for ref, _ in self.comments_corrections):
            return True
        return any(update.type in {"retraction", "withdrawal"} for update in self.updates)

    @property
    def has_expression_of_concern(self) -> bool:
        if any(pt.lower() == "expression of concern" for pt in self.publication_types):
            return True
        if any(ref.lower() == "expressionofconcernin" for ref, _ in self.comments_corrections):
            return True
        return any(update.type == "expression_of_concern" for update in self.updates)

    def merged_with(self, other: Record) -> Record:
        """This record with gaps filled from ``other`` (same work, another service)."""
        data = self.model_dump()
        for key, value in other.model_dump().items():
            if key == "service":
                continue
            if key in {"updates", "comments_corrections", "publication_types", "mesh"}:
                merged = list(data[key])
                merged += [item for item in value if item not in merged]
                data[key] = tuple(merged)
            elif data.get(key) in (None, (), ""):
                data[key] = value
        return Record.model_validate(data)
