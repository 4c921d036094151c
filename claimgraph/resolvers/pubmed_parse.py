"""PubMed (NCBI E-utilities): efetch XML, esearch and ECitMatch, parsed into claimgraph values.

The parsers are pure functions of a response body. A body that cannot be read raises
:class:`~claimgraph.errors.ServiceError` (the service said something we do not understand,
so the source is ``unverifiable``), never another exception. Requests are made by
:class:`claimgraph.resolvers.pubmed.PubMedClient`.

Facts these parsers rely on (see the recorded responses under ``tests/fixtures/pubmed``):

- efetch for a PMID that does not exist answers HTTP 200 with an empty
  ``<PubmedArticleSet>``: missing PMIDs are "requested minus returned".
- the article's own DOI is in ``PubmedData/ArticleIdList`` and ``Article/ELocationID``;
  the reference list (``PubmedData/ReferenceList``) holds other works' DOIs.
- ``CommentsCorrections/@RefType`` ending in ``In`` means "a notice about this record lives
  elsewhere" (``RetractionIn``); RefTypes are compared case-insensitively.
- ECitMatch answers plain text, one ``journal|year|volume|page|author|key|result`` line per
  citation, where ``result`` is a PMID, ``NOT_FOUND[;reason]`` or ``AMBIGUOUS ...``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from claimgraph.errors import ServiceError
from claimgraph.identifiers import normalize_doi, normalize_pmcid, normalize_pmid
from claimgraph.records import Author, Record, Update
from claimgraph.years import is_plausible_year

__all__ = [
    "CitationMatch",
    "CitationQuery",
    "SearchResult",
    "ecitmatch_bdata",
    "field_query",
    "parse_ecitmatch",
    "parse_efetch",
    "parse_esearch_json",
    "parse_esearch_xml",
]

logger = logging.getLogger(__name__)

SERVICE = "pubmed"
#: esearch field tags for identifiers
DOI_TAG = "[doi]"
PMCID_TAG = "[pmcid]"

#: CommentsCorrections RefTypes that attach a notice to this record -> Update.type
_NOTICE_REFTYPES = {
    "retractionin": "retraction",
    "retractedandrepublishedin": "retraction",
    "expressionofconcernin": "expression_of_concern",
    "erratumin": "erratum",
    "correctedandrepublishedin": "correction",
}
#: RefTypes too common and too uninformative to keep on a record (its reference list)
_SKIPPED_REFTYPES = {"cites"}
#: a four-digit number in a date text ("2019 Spring", "1998 Dec-1999 Jan")
_FOUR_DIGITS = re.compile(r"(?<!\d)(\d{4})(?!\d)")


# --------------------------------------------------------------------------- XML helpers


def _parse_xml(text: str, what: str) -> Element:
    """Parse an XML body safely (no entity expansion, no external references)."""
    try:
        return fromstring(text)
    except (ParseError, DefusedXmlException, ValueError, UnicodeError, RecursionError) as exc:
        raise ServiceError(SERVICE, f"unreadable {what} response: {exc}") from exc


def _text(element: Element | None) -> str | None:
    """All text inside ``element`` (markup such as <i> dropped), whitespace collapsed."""
    if element is None:
        return None
    joined = " ".join("".join(element.itertext()).split())
    return joined or None


def _error_message(root: Element) -> str | None:
    error = root.find("ERROR")
    return _text(error) if error is not None else None


# --------------------------------------------------------------------------- efetch


def parse_efetch(text: str) -> list[Record]:
    """Records in an efetch ``PubmedArticleSet`` (articles and book chapters), in order.

    An empty set is a valid answer (the PMIDs do not exist). Raises ServiceError for a body
    that is not a PubmedArticleSet (an error page, an ``<ERROR>``, broken XML).
    """
    root = _parse_xml(text, "efetch")
    if root.tag != "PubmedArticleSet":
        message = _error_message(root)
        raise ServiceError(
            SERVICE, f"efetch error: {message}" if message else f"unexpected efetch <{root.tag}>"
        )
    records: list[Record] = []
    for child in root:
        if child.tag == "PubmedArticle":
            record = _article_record(child)
        elif child.tag == "PubmedBookArticle":
            record = _book_record(child)
        else:
            continue
        if record is not None:
            records.append(record)
    return records


def _authors(author_list: Element | None) -> tuple[Author, ...]:
    if author_list is None:
        return ()
    authors: list[Author] = []
    for author in author_list.findall("Author"):
        if author.get("ValidYN", "Y") == "N":
            continue
        family = _text(author.find("LastName")) or _text(author.find("CollectiveName"))
        if not family:
            continue
        authors.append(
            Author(
                family=family,
                given=_text(author.find("ForeName")),
                initials=_text(author.find("Initials")),
            )
        )
    return tuple(authors)


def _year_of(date: Element | None) -> int | None:
    if date is None:
        return None
    for tag in ("Year", "MedlineDate"):
        value = _text(date.find(tag))
        if value:
            for match in _FOUR_DIGITS.finditer(value):
                year = int(match.group(1))
                if is_plausible_year(year):  # the one range the whole code base uses
                    return year
    return None


def _pages(article: Element) -> str | None:
    pagination = article.find("Pagination")
    if pagination is None:
        return None
    medline = _text(pagination.find("MedlinePgn"))
    if medline:
        return medline
    start = _text(pagination.find("StartPage"))
    end = _text(pagination.find("EndPage"))
    if start and end:
        return f"{start}-{end}"
    return start


def _abstract(abstract: Element | None) -> str | None:
    if abstract is None:
        return None
    parts: list[str] = []
    for section in abstract.findall("AbstractText"):
        body = _text(section)
        if not body:
            continue
        label = section.get("Label")
        parts.append(f"{label}: {body}" if label else body)
    return " ".join(parts) or None


def _article_ids(id_list: Element | None) -> dict[str, str]:
    """``IdType -> value`` of an ArticleIdList (first of each type)."""
    ids: dict[str, str] = {}
    if id_list is None:
        return ids
    for article_id in id_list.findall("ArticleId"):
        kind = (article_id.get("IdType") or "").lower()
        value = _text(article_id)
        if kind and value and kind not in ids:
            ids[kind] = value
    return ids


def _own_doi(article: Element | None, ids: Mapping[str, str]) -> str | None:
    """The article's DOI: PubmedData's ArticleIdList, else a valid ELocationID."""
    if "doi" in ids and (doi := normalize_doi(ids["doi"])):
        return doi
    if article is not None:
        for location in article.findall("ELocationID"):
            if location.get("EIdType", "").lower() != "doi" or location.get("ValidYN") == "N":
                continue
            doi = normalize_doi(_text(location) or "")
            if doi:
                return doi
    return None


def _comments_corrections(citation: Element) -> tuple[tuple[str, str | None], ...]:
    found: list[tuple[str, str | None]] = []
    for item in citation.findall("CommentsCorrectionsList/CommentsCorrections"):
        ref_type = (item.get("RefType") or "").strip()
        if not ref_type or ref_type.lower() in _SKIPPED_REFTYPES:
            continue
        pmid = normalize_pmid(_text(item.find("PMID")) or "")
        entry = (ref_type, pmid)
        if entry not in found:
            found.append(entry)
    return tuple(found)


def _notices(comments: Iterable[tuple[str, str | None]]) -> tuple[Update, ...]:
    updates: list[Update] = []
    for ref_type, pmid in comments:
        kind = _NOTICE_REFTYPES.get(ref_type.lower())
        if kind is not None:
            update = Update(type=kind, origin="pubmed", pmid=pmid)
            if update not in updates:
                updates.append(update)
    return tuple(updates)


def _publication_types(parent: Element | None) -> tuple[str, ...]:
    if parent is None:
        return ()
    # articles wrap them in a PublicationTypeList; book documents list them directly
    elements = parent.findall("PublicationTypeList/PublicationType")
    elements += parent.findall("PublicationType")
    names = (_text(pt) for pt in elements)
    return tuple(dict.fromkeys(name for name in names if name))


def _mesh(citation: Element) -> tuple[str, ...]:
    names = (_text(d) for d in citation.findall("MeshHeadingList/MeshHeading/DescriptorName"))
    return tuple(dict.fromkeys(name for name in names if name))


def _pubmed_url(pmid: str | None) -> str | None:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else None


def _article_record(element: Element) -> Record | None:
    citation = element.find("MedlineCitation")
    if citation is None:
        return None
    pmid = normalize_pmid(_text(citation.find("PMID")) or "")
    if pmid is None:
        return None
    article = citation.find("Article")
    ids = _article_ids(element.find("PubmedData/ArticleIdList"))
    journal = article.find("Journal") if article is not None else None
    issue = journal.find("JournalIssue") if journal is not None else None
    comments = _comments_corrections(citation)
    year = _year_of(issue.find("PubDate") if issue is not None else None)
    if year is None and article is not None:
        year = _year_of(article.find("ArticleDate"))
    title = None
    if article is not None:
        title = _text(article.find("ArticleTitle")) or _text(article.find("VernacularTitle"))
    abbrev = None
    if journal is not None:
        abbrev = _text(journal.find("ISOAbbreviation"))
    abbrev = abbrev or _text(citation.find("MedlineJournalInfo/MedlineTA"))
    return Record(
        service=SERVICE,
        pmid=pmid,
        doi=_own_doi(article, ids),
        pmcid=normalize_pmcid(ids.get("pmc", "")),
        title=title,
        authors=_authors(article.find("AuthorList") if article is not None else None),
        journal=_text(journal.find("Title")) if journal is not None else None,
        journal_abbrev=abbrev,
        year=year,
        volume=_text(issue.find("Volume")) if issue is not None else None,
        issue=_text(issue.find("Issue")) if issue is not None else None,
        pages=_pages(article) if article is not None else None,
        publication_types=_publication_types(article),
        mesh=_mesh(citation),
        abstract=_abstract(article.find("Abstract") if article is not None else None),
        updates=_notices(comments),
        comments_corrections=comments,
        url=_pubmed_url(pmid),
    )


def _book_record(element: Element) -> Record | None:
    document = element.find("BookDocument")
    if document is None:
        return None
    pmid = normalize_pmid(_text(document.find("PMID")) or "")
    if pmid is None:
        return None
    book = document.find("Book")
    book_title = _text(book.find("BookTitle")) if book is not None else None
    chapter = _text(document.find("ArticleTitle"))
    ids = _article_ids(document.find("ArticleIdList"))
    ids.update(
        {
            k: v
            for k, v in _article_ids(element.find("PubmedBookData/ArticleIdList")).items()
            if k not in ids
        }
    )
    # chapter authors when listed; a book with only editors has no authors to compare
    author_list = next(
        (a for a in document.findall("AuthorList") if a.get("Type", "authors") == "authors"),
        None,
    )
    if author_list is None and book is not None:
        author_list = next(
            (a for a in book.findall("AuthorList") if a.get("Type", "authors") == "authors"),
            None,
        )
    comments = _comments_corrections(document)
    return Record(
        service=SERVICE,
        pmid=pmid,
        doi=_own_doi(None, ids),
        pmcid=normalize_pmcid(ids.get("pmc", "")),
        title=chapter or book_title,
        authors=_authors(author_list),
        journal=book_title if chapter else None,
        year=_year_of(book.find("PubDate") if book is not None else None),
        publication_types=_publication_types(document),
        abstract=_abstract(document.find("Abstract")),
        updates=_notices(comments),
        comments_corrections=comments,
        url=_pubmed_url(pmid),
    )


# --------------------------------------------------------------------------- esearch


@dataclass(frozen=True, slots=True)
class SearchResult:
    """What esearch answered: the total count and the PMIDs returned."""

    count: int
    ids: tuple[str, ...]
    phrases_not_found: tuple[str, ...] = ()
    #: field tags PubMed did not recognise: the query was not understood as written
    fields_not_found: tuple[str, ...] = ()


def _as_int(value: Any, what: str) -> int:
    try:
        number = int(str(value).strip())
    except ValueError as exc:
        raise ServiceError(SERVICE, f"unreadable esearch response: {what} is {value!r}") from exc
    if number < 0:
        raise ServiceError(SERVICE, f"unreadable esearch response: {what} is {number}")
    return number


def _pmids(values: Iterable[Any]) -> tuple[str, ...]:
    pmids: list[str] = []
    for value in values:
        pmid = normalize_pmid(value) if isinstance(value, str | int) else None
        if pmid is None:
            raise ServiceError(SERVICE, f"unreadable esearch response: id {value!r}")
        pmids.append(pmid)
    return tuple(dict.fromkeys(pmids))


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value if isinstance(item, str))


def parse_esearch_json(text: str) -> SearchResult:
    """Parse ``esearch.fcgi?retmode=json``. Error bodies (also when sent with HTTP 200,
    such as ``{"error":"API rate limit exceeded"}``) raise ServiceError."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ServiceError(SERVICE, f"unreadable esearch response: {exc}") from exc
    if not isinstance(data, dict):
        raise ServiceError(SERVICE, "unreadable esearch response: not a JSON object")
    if "error" in data:
        raise ServiceError(SERVICE, f"esearch error: {data['error']}")
    result = data.get("esearchresult")
    if not isinstance(result, dict):
        raise ServiceError(SERVICE, "unreadable esearch response: no esearchresult")
    if "ERROR" in result:
        raise ServiceError(SERVICE, f"esearch error: {result['ERROR']}")
    ids = result.get("idlist", [])
    if not isinstance(ids, list):
        raise ServiceError(SERVICE, "unreadable esearch response: idlist is not a list")
    errors = result.get("errorlist")
    errors = errors if isinstance(errors, dict) else {}
    return SearchResult(
        count=_as_int(result.get("count", len(ids)), "count"),
        ids=_pmids(ids),
        phrases_not_found=_strings(errors.get("phrasesnotfound")),
        fields_not_found=_strings(errors.get("fieldsnotfound")),
    )


def parse_esearch_xml(text: str) -> SearchResult:
    """Parse ``esearch.fcgi`` XML (``<eSearchResult>``); ``<ERROR>`` raises ServiceError."""
    root = _parse_xml(text, "esearch")
    if root.tag != "eSearchResult":
        raise ServiceError(SERVICE, f"unexpected esearch <{root.tag}>")
    message = _error_message(root)
    if message:
        raise ServiceError(SERVICE, f"esearch error: {message}")
    ids = [_text(item) or "" for item in root.findall("IdList/Id")]
    count = _text(root.find("Count"))
    return SearchResult(
        count=_as_int(count, "Count") if count is not None else len(ids),
        ids=_pmids(ids),
        phrases_not_found=tuple(
            t for t in (_text(e) for e in root.findall("ErrorList/PhraseNotFound")) if t
        ),
        fields_not_found=tuple(
            t for t in (_text(e) for e in root.findall("ErrorList/FieldNotFound")) if t
        ),
    )


def _quoted(text: str) -> str:
    """A phrase for an esearch term: quotes and brackets removed, whitespace collapsed."""
    return " ".join(re.sub(r'["\[\]()]', " ", text).split())


#: words that carry no weight in a title search
_STOPWORDS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "in", "into", "is",
    "its", "of", "on", "or", "the", "to", "was", "were", "with", "without", "than", "that",
    "this", "these", "those", "their", "our", "we", "via", "vs", "versus", "after", "before",
    "during",
))  # fmt: skip


def field_query(
    *,
    title: str | None = None,
    author: str | None = None,
    year: int | None = None,
    journal: str | None = None,
    max_title_words: int = 8,
) -> str | None:
    """An esearch term with field tags ([ti], [au], [dp], [ta]) for a free-text citation.

    Title words are AND-ed (a phrase search fails on punctuation and small wording changes);
    the year is a +/-1 range (epub vs print). Returns None when there is too little to search.
    """
    terms: list[str] = []
    if title:
        words = [
            w for w in re.findall(r"[^\W_]+", title.lower()) if len(w) > 2 and w not in _STOPWORDS
        ]
        terms += [f"{w}[ti]" for w in list(dict.fromkeys(words))[:max_title_words]]
    if not terms:
        return None
    if author:
        name = _quoted(author)
        if name:
            terms.append(f'"{name}"[au]')
    if year:
        terms.append(f"{year - 1}:{year + 1}[dp]")
    if journal:
        name = _quoted(journal)
        if name:
            terms.append(f'"{name}"[ta]')
    return " AND ".join(terms)


# --------------------------------------------------------------------------- ECitMatch


@dataclass(frozen=True, slots=True)
class CitationQuery:
    """One citation for ECitMatch; ``key`` comes back with the answer."""

    key: str
    journal: str
    year: int | None = None
    volume: str | None = None
    first_page: str | None = None
    author: str | None = None


@dataclass(frozen=True, slots=True)
class CitationMatch:
    """ECitMatch's answer for one citation."""

    key: str
    pmid: str | None = None
    #: "found", "not_found" or "ambiguous"
    outcome: str = "not_found"
    detail: str | None = None
    candidates: tuple[str, ...] = ()


def _bdata_field(value: object) -> str:
    # "|" separates fields and CR separates citations: neither may appear inside a field
    return " ".join(re.sub(r"[|\r\n]", " ", str(value or "")).split())


def ecitmatch_bdata(queries: Sequence[CitationQuery]) -> str:
    """The ``bdata`` parameter: ``journal|year|volume|first_page|author|key|`` per citation,
    joined by carriage returns (the HTTP layer encodes spaces and CR)."""
    lines = []
    for query in queries:
        fields = (
            query.journal,
            query.year,
            query.volume,
            query.first_page,
            query.author,
            query.key,
        )
        lines.append("|".join(_bdata_field(value) for value in fields) + "|")
    return "\r".join(lines)


def parse_ecitmatch(text: str) -> dict[str, CitationMatch]:
    """Answers by key. Lines that are not ECitMatch answers are skipped (a key missing from
    the result means ECitMatch said nothing about it, which is not "not found")."""
    if not isinstance(text, str):
        raise ServiceError(SERVICE, "unreadable ecitmatch response")
    matches: dict[str, CitationMatch] = {}
    for line in text.splitlines():
        fields = line.split("|")
        if len(fields) < 7:
            continue
        key, answer = fields[5].strip(), fields[6].strip()
        if not key or not answer:
            continue
        pmid = normalize_pmid(answer) if answer.isdigit() else None
        if pmid is not None:
            matches[key] = CitationMatch(key=key, pmid=pmid, outcome="found")
        elif answer.upper().startswith("AMBIGUOUS"):
            candidates = tuple(
                p for p in (normalize_pmid(n) for n in re.findall(r"\d+", answer[9:])) if p
            )
            # "AMBIGUOUS (5 citations)" carries a count, not PMIDs
            if "citation" in answer.lower():
                candidates = ()
            matches[key] = CitationMatch(
                key=key, outcome="ambiguous", detail=answer, candidates=candidates
            )
        elif answer.upper().startswith("NOT_FOUND"):
            reason = answer.partition(";")[2].strip() or None
            matches[key] = CitationMatch(key=key, outcome="not_found", detail=reason)
    return matches
