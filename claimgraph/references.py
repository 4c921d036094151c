"""Parse a reference string, as an article writes it, into fields a resolver can look up.

:func:`parse_reference` takes one reference (a reference-list entry, a "Source: ..." line, an
"Authors: ... Published: ..." block) and returns a :class:`ParsedReference`: authors, title,
journal, year, volume, issue, pages and any DOI, PMID, PMCID or URL it carries.

It also says what kind of thing the reference points to. Health sites cite magazines,
newspapers, blogs, shops and a friend's advice next to journal articles; those get an
``outlet_kind`` ("magazine", "newspaper", ...) and ``looks_scholarly=False`` so the audit grades
them as anecdotal / not checkable instead of reporting a citation that does not exist. Only
references that look scholarly (an identifier, a journal-like venue, volume/pages, scholarly
author forms) are worth a "not found".

Forms handled: Vancouver / AMA ("Smith J, Lee K. Title. J Name. 2019;12(3):45-67."), APA
("Smith, J., & Lee, K. (2019). Title. Journal, 12(3), 45–67."), Harvard ("Smith, J. and Lee, K.
(2019) 'Title', Journal, 12(3), pp. 45-67." and "Smith, J., 2019. Title. ..."), comma-separated
lists as health sites write them ("H. Smith, K. Lee, Title, Journal, July-August, 2006"), and
free-form "Author: ... Published: ..." blocks. Parsing never raises: any string gives a result,
with the fields it could not find left empty.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from claimgraph.reference_fields import (
    _AUTHORS_LABEL_RE,
    _COUNTRIES,
    _DATE_SEGMENT_RE,
    _ET_AL_RE,
    _HARVARD_YEAR_RE,
    _LABEL_RE,
    _MONTH,
    _NAME_FULL,
    _NUMBERING_RE,
    _OUTLET_TYPE_RE,
    _POPULAR_OVERRIDES,
    _PUBLISHED_RE,
    _SCHOLARLY_VENUE_RE,
    _SURNAME,
    _YEAR,
    _clean,
    _find_identifiers,
    _leading_authors,
    _normalize_pages,
    _remove_identifiers,
    _split_sentences,
    _strip_punct,
    _venue_looks_scholarly,
    _vol_issue_pages,
    _year_of,
    is_author_like,
    normalize_author,
    outlet_kind_of,
    split_authors,
)
from claimgraph.years import is_plausible_year

__all__ = [
    "ParsedReference",
    "is_author_like",
    "normalize_author",
    "outlet_kind_of",
    "parse_reference",
    "split_authors",
]

logger = logging.getLogger(__name__)

#: references longer than this are cut before parsing (a reference is a line, not a page)
MAX_REFERENCE_CHARS = 2000


@dataclass(frozen=True, slots=True)
class ParsedReference:
    """The fields found in one reference string; unknown fields are None / empty."""

    raw: str
    authors: list[str] = field(default_factory=list)
    title: str | None = None
    journal: str | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    url: str | None = None
    #: "magazine", "newspaper", "website", "blog", "shop", "book", "government",
    #: "personal-communication", ... for non-scholarly references; None when it looks scholarly
    outlet_kind: str | None = None
    looks_scholarly: bool = False

    @property
    def has_identifier(self) -> bool:
        return bool(self.doi or self.pmid or self.pmcid)

    def source_fields(self) -> dict[str, Any]:
        """The non-empty fields, named as in ``sources.json`` (``kind`` from the outlet)."""
        fields: dict[str, Any] = {"citation": self.raw}
        if self.outlet_kind:
            fields["kind"] = self.outlet_kind
        elif self.looks_scholarly and self.journal:
            fields["kind"] = "journal-article"
        for name in ("title", "journal", "year", "volume", "issue", "pages"):
            value = getattr(self, name)
            if value:
                fields[name] = value
        if self.authors:
            fields["authors"] = list(self.authors)
        for name in ("doi", "pmid", "pmcid", "url"):
            value = getattr(self, name)
            if value:
                fields[name] = value
        return fields


# --------------------------------------------------------------------------- forms


@dataclass(slots=True)
class _Fields:
    authors: list[str] = field(default_factory=list)
    title: str | None = None
    journal: str | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    scholarly_form: bool = False


def _parse_published_block(text: str) -> _Fields | None:
    """ "Authors: H. Smith, K. Lee, et al, Published: Title, Journal, December, 1999." """
    match = _PUBLISHED_RE.search(text)
    if match is None:
        return None
    head = _AUTHORS_LABEL_RE.sub("", text[: match.start()]).strip(" ,;")
    tail = text[match.end() :]
    fields = _parse_comma_form(tail) or _Fields()
    if head:
        fields.authors = split_authors(head)
        fields.scholarly_form = fields.scholarly_form or any(
            is_author_like(part) for part in re.split(r"\s*[,;]\s*", head)
        )
    return fields


_APA_YEAR_RE = re.compile(
    rf"\(\s*(?P<year>{_YEAR})[a-z]?(?:,\s*[A-Za-z]+\.?(?:\s*\d{{1,2}})?)?\s*\)|\(\s*n\.\s?d\.\s*\)"
)


def _head_is_authors(head: str) -> bool:
    """True when ``head`` reads as a list of people or an organisation, not a sentence."""
    if not head or len(head) > 400:
        return False
    if split_authors(head) and all(
        is_author_like(part) or _NAME_FULL.match(part.strip(" ."))
        for part in re.split(r"\s*(?:;|,(?!\s*(?:[A-Z]\.?-?\s?){1,3}(?:,|$))|&|\band\b)\s*", head)
        if part.strip(" .,")
    ):
        return True
    # an organisation: a few capitalised words
    words = head.split()
    return len(words) <= 8 and all(
        w[:1].isupper() or w.lower() in {"of", "for", "and", "the"} for w in words
    )


def _title_and_venue(
    rest: str,
) -> tuple[str | None, str | None, str | None, str | None, str | None]:
    """Title, venue, volume, issue and pages from what follows the authors and year."""
    rest = rest.strip(" .,:")
    quoted = re.match(r"^[\"'“‘](?P<title>.+?)[\"'”’](?=[,.\s]|$)[.,]?\s*(?P<rest>.*)$", rest)
    if quoted:
        title: str | None = quoted.group("title")
        rest = quoted.group("rest")
        if rest.lower().startswith("in:"):
            rest = rest[3:]
    else:
        parts = _split_sentences(rest)
        title = parts[0] if parts else None
        rest = ". ".join(parts[1:])
    volume, issue, pages, rest = _vol_issue_pages(rest)
    rest = re.sub(r"\[[^\]]*\]", "", rest)
    venue_parts = _split_sentences(rest)
    venue = re.split(r",\s*(?=\d)", venue_parts[0])[0] if venue_parts else None
    return _strip_punct(title), _strip_punct(venue), volume, issue, pages


def _parse_apa_harvard(text: str) -> _Fields | None:
    """ "Smith, J., & Lee, K. (2019). Title. Journal, 12(3), 45–67." and Harvard variants."""
    match = _APA_YEAR_RE.search(text)
    if match is None or match.start() == 0 or match.start() > 400:
        match = _HARVARD_YEAR_RE.search(text)
        if match is None or not _head_is_authors(text[: match.start()]):
            return None
    head = text[: match.start()].strip(" ,.")
    if not _head_is_authors(head):
        return None
    fields = _Fields(authors=split_authors(head))
    if match.group("year"):
        fields.year = int(match.group("year"))
    title, venue, volume, issue, pages = _title_and_venue(text[match.end() :])
    fields.title, fields.journal = title, venue
    fields.volume, fields.issue, fields.pages = volume, issue, pages
    fields.scholarly_form = (
        bool(volume or pages)
        or any(
            is_author_like(part)
            for part in re.split(r"\s*(?:,\s*(?=[A-Z][\w'-]+,)|&|\band\b)\s*", head)
        )
        or bool(re.search(rf"{_SURNAME},\s*[A-Z]\.", head))
    )
    return fields


# "J Name. 2019;12(3):45-67", "JAMA. 2019 Mar 5;321(9):1-2", "Lancet 2019; 393: 1-10"
_VANCOUVER_DATE_RE = re.compile(
    rf"(?P<year>{_YEAR})(?:\s+{_MONTH}\.?(?:\s*\d{{1,2}})?(?:\s*[-–]\s*{_MONTH}?\.?\s*\d{{0,2}})?)?"
    r"\s*;\s*(?P<volume>\d{1,5}[A-Z]?)?\s*(?:\((?P<issue>[^)]{1,15})\))?"
    r"(?:\s*:\s*(?P<pages>[A-Za-z]{0,3}\d{1,6}(?:\s*[-–]\s*[A-Za-z]?\d{1,6})?))?",
    re.I,
)
# "Nutrients 2019, 11, 123", "Journal 2019, 12(3), 45-67"
_COMMA_VOLUME_DATE_RE = re.compile(
    rf"(?P<year>{_YEAR})\s*,\s*(?P<volume>\d{{1,5}})\s*(?:\((?P<issue>[^)]{{1,15}})\))?"
    r"\s*,\s*(?P<pages>[A-Za-z]?\d{1,6}(?:\s*[-–]\s*[A-Za-z]?\d{1,6})?)"
)


def _parse_vancouver(text: str) -> _Fields | None:
    """ "Smith J, Lee K. Title. J Name. 2019;12(3):45-67." """
    match = _VANCOUVER_DATE_RE.search(text) or _COMMA_VOLUME_DATE_RE.search(text)
    if match is None:
        return None
    authors, before = _leading_authors(text[: match.start()].strip(" ,"))
    parts = _split_sentences(before.strip(" .,"))
    if not parts or (not authors and len(parts) < 2):
        return None
    fields = _Fields(year=int(match.group("year")), scholarly_form=True, authors=authors)
    fields.volume = match.group("volume")
    fields.issue = _strip_punct(match.group("issue"))
    fields.pages = _normalize_pages(match.group("pages"))
    if not authors and len(parts) >= 3:
        fields.authors = split_authors(parts[0])
        parts = parts[1:]
    fields.journal = _strip_punct(parts[-1]) if len(parts) >= 2 else None
    fields.title = _strip_punct(". ".join(parts[:-1]) if len(parts) >= 2 else parts[0])
    if len(parts) == 1:
        # "Authors. Title Journal 2019;..." cannot be split further
        fields.journal, fields.title = fields.title, None
    return fields


_QUOTED_TITLE_RE = re.compile(r"[\"“](?P<title>[^\"“”]{8,})[\"”]")


def _parse_quoted_title(text: str) -> _Fields | None:
    """'Novak et al., "Metformin and body weight", Diabetes Care, 2021': a quoted title
    after the authors; what follows is the venue, volume/pages and date."""
    match = _QUOTED_TITLE_RE.search(text)
    if match is None or len(match.group("title").split()) < 3:
        return None
    head = text[: match.start()].strip(" ,.;:")
    lone = re.fullmatch(rf"({_SURNAME})\s*,?\s*et\.?\s*al\.?", head)
    authors = [lone.group(1)] if lone else (split_authors(head) if head else [])
    if head and not lone and not (authors and all(is_author_like(a) for a in authors)):
        return None  # whatever stands before the quote is not a list of names
    tail = text[match.end() :].strip(" ,.;:")
    volume, issue, pages, rest = _vol_issue_pages(tail)
    venue_parts = [
        part.strip()
        for part in re.split(r",\s*|;\s*", rest)
        if part.strip(" .")
        and not _DATE_SEGMENT_RE.match(part.strip())
        and part.strip(" .").lower() not in _COUNTRIES
    ]
    return _Fields(
        authors=authors,
        title=match.group("title"),
        journal=_strip_punct(", ".join(venue_parts)) or None,
        year=_year_of(tail) or _year_of(head),
        volume=volume,
        issue=issue,
        pages=pages,
        scholarly_form=bool(authors),
    )


def _parse_comma_form(text: str) -> _Fields | None:
    """ "H. Smith, K. Lee, Title, Journal, July-August, 2006" and "Title, Outlet, Country, 2014" """
    segments = [s.strip() for s in re.split(r",\s+|;\s+", text.strip(" .")) if s.strip()]
    if not segments:
        return None
    fields = _Fields()
    # trailing date / place / volume segments
    while segments and (
        _DATE_SEGMENT_RE.match(segments[-1])
        or segments[-1].lower().strip(" .") in _COUNTRIES
        or re.fullmatch(r"(?i)(?:vol\.?|no\.?|pp?\.?)?\s*[\d()–:-]+", segments[-1])
    ):
        last = segments.pop()
        year = _year_of(last)
        if year and fields.year is None:
            fields.year = year
        vip = re.fullmatch(r"(\d{1,5})\((\w{1,6})\):?([\d–-]+)?", last.replace(" ", ""))
        if vip:
            fields.volume, fields.issue = vip.group(1), vip.group(2)
            fields.pages = _normalize_pages(vip.group(3))
    # leading author-like segments ("H. Alonso-Navarro", "et al")
    authors: list[str] = []
    while segments and (
        is_author_like(segments[0])
        or _ET_AL_RE.fullmatch(segments[0])
        or is_author_like(_ET_AL_RE.sub("", segments[0]).strip())  # "Novak et al"
    ):
        segment = segments.pop(0)
        name = normalize_author(_ET_AL_RE.sub("", segment))
        if name:
            authors.append(name)
    fields.authors = authors
    fields.scholarly_form = bool(authors)
    if len(segments) >= 2:
        fields.journal = _strip_punct(segments[-1])
        fields.title = _strip_punct(", ".join(segments[:-1]))
    elif segments:
        fields.title = _strip_punct(segments[0])
    if fields.year is None:
        fields.year = _year_of(text)
    return fields


def _parse_sentence_form(text: str) -> _Fields:
    """Fallback: "Author. Title. Venue, 2019." or anything else."""
    fields = _Fields(year=_year_of(text))
    authors, rest = _leading_authors(text)
    volume, issue, pages, rest = _vol_issue_pages(rest)
    fields.volume, fields.issue, fields.pages = volume, issue, pages
    fields.authors = authors
    fields.scholarly_form = bool(authors)
    parts = [p for p in _split_sentences(rest) if not _DATE_SEGMENT_RE.match(p)]
    if len(parts) >= 3 and not authors and _head_is_authors(parts[0]):
        fields.authors = split_authors(parts[0])
        parts = parts[1:]
    if len(parts) >= 2:
        fields.title = _strip_punct(parts[0])
        venue = re.split(r",\s*(?=\d)|;\s*", parts[1])[0]
        fields.journal = _strip_punct(re.sub(rf"\b{_YEAR}\b\.?$", "", venue))
    elif parts:
        comma = _parse_comma_form(parts[0])
        if comma is not None and (comma.journal or comma.authors):
            comma.volume = comma.volume or volume
            comma.issue = comma.issue or issue
            comma.pages = comma.pages or pages
            comma.authors = comma.authors or fields.authors
            comma.scholarly_form = comma.scholarly_form or fields.scholarly_form
            return comma
        fields.title = _strip_punct(parts[0])
    return fields


# --------------------------------------------------------------------------- entry point


def parse_reference(text: str) -> ParsedReference:
    """Parse one reference string. Never raises: unparseable text gives empty fields."""
    try:
        return _parse(text)
    except Exception:  # a parser of outside input returns a value, always
        logger.debug("reference not parsed: %r", text, exc_info=True)
        raw = _clean(text)[:MAX_REFERENCE_CHARS] if isinstance(text, str) else ""
        return ParsedReference(raw=raw)


#: venue words strong enough to outweigh a popular-outlet word ("Mayo Clinic Proceedings")
_STRONG_SCHOLARLY_RE = re.compile(
    r"\b(?:journal|proceedings|annals|acta|revue|revista|lancet|bmj|jama|nejm|"
    r"j|archives|transactions|cochrane|plos|bmc)\b",
    re.I,
)


def classify_venue(venue: str | None, raw: str) -> tuple[str | None, bool]:
    """(popular outlet kind or None, venue looks scholarly) for a reference's venue."""
    if venue and _POPULAR_OVERRIDES.search(venue):
        return outlet_kind_of(venue) or "website", False
    kind = outlet_kind_of(venue) if venue else None
    if (
        kind
        and venue
        and not _STRONG_SCHOLARLY_RE.search(venue)
        and (_OUTLET_TYPE_RE.search(venue) or not _SCHOLARLY_VENUE_RE.search(venue))
    ):
        return kind, False
    return None, _venue_looks_scholarly(venue)


def _parse(text: str) -> ParsedReference:
    raw = _clean(text)[:MAX_REFERENCE_CHARS]
    doi, pmid, pmcid, url = _find_identifiers(raw)
    working = _NUMBERING_RE.sub("", raw, count=1)
    working = _remove_identifiers(working)
    published = _parse_published_block(working)
    if published is not None:
        fields = published
    else:
        working = _LABEL_RE.sub("", working, count=1)
        fields = (
            _parse_quoted_title(working)
            or _parse_apa_harvard(working)
            or _parse_vancouver(working)
            or (
                _parse_comma_form(working)
                if working.count(",") >= 2 and len(_split_sentences(working)) <= 2
                else None
            )
            or _parse_sentence_form(working)
        )
    if fields.year is None:
        fields.year = _year_of(working)
    if fields.year is not None and not is_plausible_year(fields.year):
        fields.year = None

    has_identifier = bool(doi or pmid or pmcid)
    outlet, venue_scholarly = classify_venue(fields.journal, raw)
    if has_identifier:
        outlet = None
    elif outlet is None and not venue_scholarly:
        whole = outlet_kind_of(raw)
        if whole is not None and not (whole == "book" and fields.scholarly_form and fields.volume):
            outlet = whole
        elif url:
            outlet = "website"
        elif not fields.scholarly_form and fields.journal and not (fields.volume and fields.pages):
            # a named venue with no author, no scholarly word and no volume/pages: the
            # "Title, Outlet, Country, Year" line health sites write for magazines
            outlet = "magazine" if _listicle_title(fields.title) else "website"
    elif outlet is None and outlet_kind_of(raw) == "personal-communication":
        outlet = "personal-communication"
    looks_scholarly = outlet is None and (
        has_identifier
        or venue_scholarly
        or (fields.scholarly_form and bool(fields.title or fields.journal))
        or bool(fields.volume and fields.pages)
    )
    return ParsedReference(
        raw=raw,
        authors=fields.authors,
        title=_strip_punct(fields.title),
        journal=_strip_punct(fields.journal),
        year=fields.year,
        volume=fields.volume,
        issue=fields.issue,
        pages=fields.pages,
        doi=doi,
        pmid=pmid,
        pmcid=pmcid,
        url=url,
        outlet_kind=outlet,
        looks_scholarly=looks_scholarly,
    )


def _listicle_title(title: str | None) -> bool:
    """ "10 signs that ...", "Seven ways to ...": the headline style of magazines."""
    if not title:
        return False
    return bool(
        re.match(
            r"(?i)^(?:\d{1,3}|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty)\s+"
            r"(?:\w+\s+){0,2}(?:signs|ways|reasons|things|foods|tips|secrets|habits|mistakes|"
            r"symptoms|benefits|facts|myths|tricks|rules|steps|surprising)\b",
            title,
        )
    )
