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
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from claimgraph import identifiers
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


# --------------------------------------------------------------------------- vocabulary

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|spring|summer|autumn|fall|winter)"
)
_MONTH_RE = re.compile(rf"^{_MONTH}\.?(?:\s*[-–/]\s*{_MONTH}\.?)?(?:\s+\d{{1,2}})?$", re.I)
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_YEAR_RE = re.compile(rf"(?<![\d.])({_YEAR})(?![\d])")
_DATE_SEGMENT_RE = re.compile(
    rf"^(?:(?:\d{{1,2}}\s+)?{_MONTH}\.?(?:\s*[-–/]\s*{_MONTH}\.?)?(?:\s+\d{{1,2}})?,?\s*)?"
    rf"(?:{_YEAR}[a-z]?)?\.?$",
    re.I,
)

_COUNTRIES = {
    "new zealand", "australia", "uk", "united kingdom", "usa", "us", "united states", "canada",
    "ireland", "india", "south africa", "singapore", "england", "scotland", "wales", "germany",
    "france", "spain", "italy", "japan", "china", "nz", "online", "online edition", "print",
    "print edition", "international edition", "london", "new york", "sydney", "auckland",
}  # fmt: skip

#: words that make a venue look like a scholarly journal
_SCHOLARLY_VENUE_RE = re.compile(
    r"\b(?:journal|j|jour|clin|clinical|clinica|medicine|med|lancet|bmj|jama|nejm|nature|"
    r"science|sciences|sci|cell|plos|nutrients|nutr|nutrition|neurology|neurol|neuro\w*|"
    r"review|reviews|rev|revue|revista|rivista|proceedings|proc|annals|ann|archives|arch|acta|"
    r"zeitschrift|bulletin|bull|research|res|therapeutics|ther|pharmacology|pharmacol|pharm\w*|"
    r"physiology|physiol|biology|biol|bio\w*|endocrinology|endocrinol|cardiology|cardiol|"
    r"psychiatry|psychiatr\w*|pediatrics|pediatr|paediatr\w*|oncology|oncol|epidemiology|"
    r"epidemiol|surgery|surg|dietetics|diet|ophthalmology|ophthalmol|dermatology|dermatol|"
    r"gastroenterology|gastroenterol|hepatology|immunology|immunol|toxicology|toxicol|"
    r"trials|cochrane|database syst|obstetrics|obstet|gynecology|gynaecology|gynecol|"
    r"nephrology|nephrol|urology|urol|rheumatology|rheumatol|hypertension|stomatologie|"
    r"chirurgie|maxillo\w*|nerve|metabolism|metab|molecular|mol|genetics|genet|physiologica|"
    r"scandinavica|internal|intern|psychol\w*|dent\w*|orthop\w*|radiol\w*|anesth\w*|"
    r"anaesth\w*|pathol\w*|microbiol\w*|infect\w*|vaccine|diabetes|diabetologia|obesity|"
    r"circulation|stroke|thorax|gut|brain|chest|pediatric|bmc|frontiers|front|cureus|"
    r"elife|peerj|jci|mmwr|headache|cephalalgia|sleep|allergy|eur|am|br|int|engl)\b",
    re.I,
)

#: outlet names and words, by kind; checked on the venue and the whole reference
_OUTLET_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "personal-communication",
        re.compile(
            r"\b(?:personal communication|pers\.? comm\.?|private communication|"
            r"(?:my|a) (?:friend|neighbou?r|mum|mom|mother|dad|father|sister|brother|aunt|"
            r"uncle|cousin|colleague|coach|trainer|naturopath|chiropractor|doctor|gp)\b|"
            r"told me|conversation with|word of mouth|interview with)",
            re.I,
        ),
    ),
    (
        "shop",
        re.compile(
            r"\b(?:shop|store|online store|product page|buy now|add to cart|amazon|iherb|"
            r"ebay|etsy|supplements? (?:company|brand|shop)|pharmacy shop|"
            r"[\w-]+\.shop)\b",
            re.I,
        ),
    ),
    (
        "blog",
        re.compile(
            r"\b(?:blog|blogger|blogspot|wordpress|substack|medium\.com|tumblr|vlog|podcast|"
            r"youtube|instagram|tiktok|facebook|twitter|forum|reddit)\b",
            re.I,
        ),
    ),
    (
        "newspaper",
        re.compile(
            r"\b(?:newspaper|new york times|nytimes|washington post|the times|sunday times|"
            r"the guardian|guardian|telegraph|daily mail|mail online|daily express|the sun|"
            r"the independent|independent|evening standard|usa today|los angeles times|"
            r"la times|wall street journal|financial times|the age|sydney morning herald|"
            r"herald|gazette|tribune|chronicle|courier|daily|\w+ post|\w+ times|news|"
            r"nz herald|stuff\.co\.nz|bbc|cnn|fox news|reuters|associated press)\b",
            re.I,
        ),
    ),
    (
        "magazine",
        re.compile(
            r"\b(?:magazine|mag|good health|women'?s health|men'?s health|good housekeeping|"
            r"prevention|cosmopolitan|cosmo|vogue|elle|marie claire|glamour|self|shape|"
            r"reader'?s digest|time magazine|newsweek|the atlantic|new yorker|health magazine|"
            r"muscle & fitness|muscle and fitness|runner'?s world|oprah|woman'?s day|"
            r"woman'?s weekly|new idea|bazaar|harper'?s|esquire|gq|wired|national geographic|"
            r"psychology today|scientific american|new scientist|weekly|monthly|quarterly)\b",
            re.I,
        ),
    ),
    (
        "government",
        re.compile(
            r"\b(?:world health organi[sz]ation|who fact sheet|fact sheet|nhs|cdc|"
            r"centers for disease control|national institutes of health|nih|"
            r"office of dietary supplements|food and drug administration|fda|efsa|"
            r"ministry of health|department of health|public health england|gov\.uk|"
            r"\w+\.gov(?:\.\w+)?|health canada|nice guideline|nice)\b",
            re.I,
        ),
    ),
    (
        "website",
        re.compile(
            r"\b(?:website|web site|web page|webpage|healthline|webmd|medical news today|"
            r"medicalnewstoday|verywell\w*|mindbodygreen|everyday health|livestrong|"
            r"mayo clinic|cleveland clinic|harvard health|draxe|dr\.? axe|mercola|goop|"
            r"wikipedia|\w+\.(?:com|net|org|info|co|io)(?:\.\w\w)?)\b",
            re.I,
        ),
    ),
    (
        "book",
        re.compile(
            r"\b(?:isbn|publishers?|publishing|books|press|edition|ed\.|eds\.|paperback|"
            r"hardcover|kindle|chapter)\b",
            re.I,
        ),
    ),
)

#: words that say what kind of outlet a venue is ("fact sheet", "blog")
_OUTLET_TYPE_RE = re.compile(
    r"\b(?:blog|magazine|newspaper|website|web site|web page|fact ?sheet|podcast|"
    r"press release|newsletter|news|shop|store|leaflet)\b",
    re.I,
)
#: venues that sound popular even though a scholarly word appears in them
_POPULAR_OVERRIDES = re.compile(
    r"\b(?:medical news today|harvard health|psychology today|scientific american|"
    r"new scientist|wall street journal|muscle & fitness|muscle and fitness|"
    r"health (?:magazine|news)|science daily|sciencedaily|eurekalert|health digest|brain ?md)\b",
    re.I,
)

_LABEL_RE = re.compile(
    r"^\s*(?:sources?|references?|reference|citations?|cited|bibliography|further reading|"
    r"read more|via|see|from|ref\.?|authors?|by|published(?: in| by)?|"
    r"retrieved from|available (?:at|from))\s*[:\-–—]\s*",
    re.I,
)
_NUMBERING_RE = re.compile(
    r"^\s*(?:\[\^?[\w-]{1,12}\]:?|\^?\d{1,4}[.):]|\(\d{1,4}\)|[-*•·]|\d{1,4}\s(?=[A-Z]))\s*"
)
_PUBLISHED_RE = re.compile(r"\bpublished(?:\s+(?:in|by|on))?\s*:\s*", re.I)
_AUTHORS_LABEL_RE = re.compile(r"^\s*(?:authors?|by|written by)\s*:?\s*", re.I)

_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"'\])]+", re.I)
_DOI_LABEL_RE = re.compile(r"(?:\bdoi\s*[:.]?\s*|https?://(?:dx\.)?doi\.org/)10\.\d{4,9}/\S+", re.I)
_PMID_LABEL_RE = re.compile(r"\bPMID\s*[:#]?\s*\d{1,9}\b\.?", re.I)
_PMCID_RE = re.compile(r"\b(?:PMCID\s*[:#]?\s*)?(PMC\d{4,9})\b", re.I)
_ACCESSED_RE = re.compile(
    r"[\[(]?\b(?:accessed|cited|retrieved|viewed|last updated|updated)\b[^\])]{0,40}[\])]?\.?",
    re.I,
)
_AVAILABLE_RE = re.compile(r"\b(?:available (?:at|from|online)|retrieved from|url)\s*:?\s*$", re.I)

# "12(3):45-67", "12(3), 45–67", "12:45", "vol. 12, no. 3, pp. 45-67", "29(4):236-8"
_VOL_ISSUE_PAGES_RE = re.compile(
    r"(?:\bvol(?:ume)?\.?\s*)?(?P<volume>\d{1,5}[A-Z]?)"
    r"(?:\s*\((?P<issue>[\w\s./–-]{1,15})\)|,?\s*(?:no\.|issue|nr\.?)\s*(?P<issue2>[\w–-]{1,10}))?"
    r"\s*(?:[:,]\s*(?:pp?\.\s*)?)(?P<pages>[A-Za-z]?\d{1,6}(?:\s*[-–—]\s*[A-Za-z]?\d{1,6})?"
    r"|e\d{1,8})\b",
)
_PAGES_ONLY_RE = re.compile(
    r"\bpp?\.\s*(?P<pages>[A-Za-z]?\d{1,6}(?:\s*[-–—]\s*[A-Za-z]?\d{1,6})?)\b"
)

_INITIALS = r"(?:[A-Z](?:\.|\b)\s?-?){1,3}"
_SURNAME = (
    r"(?:(?:van|von|de|der|den|da|di|du|del|della|la|le|mc|mac|o'|st\.?)\s)*"
    r"(?:(?:al|el|d|l)['’-])?[A-Z][\w'’\-]+"
)
# Vancouver: "Smith J", "Alonso-Navarro HJ", "van der Berg AB"
_NAME_SURNAME_INITIALS = re.compile(rf"^(?P<surname>{_SURNAME})\s+(?P<initials>[A-Z]{{1,3}})$")
# APA: "Smith, J.", "Smith, J. A."
_NAME_SURNAME_COMMA_INITIALS = re.compile(
    rf"^(?P<surname>{_SURNAME}),\s*(?P<initials>{_INITIALS})$"
)
# "H. Alonso-Navarro", "F. J. Jimenez-Jimenez", "J.A. Smith"
_NAME_INITIALS_SURNAME = re.compile(
    rf"^(?P<initials>(?:[A-Z]\.\s?-?){{1,3}})\s*(?P<surname>{_SURNAME})$"
)
# "John Smith", "Mary-Anne O'Neil"
_NAME_FULL = re.compile(
    rf"^(?P<given>[A-Z][a-z][\w'’\-]*(?:\s[A-Z]\.?)?)\s+(?P<surname>{_SURNAME})$"
)
_ET_AL_RE = re.compile(r",?\s*\bet\.?\s*al\b\.?,?", re.I)


# --------------------------------------------------------------------------- helpers


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u00a0", " ").replace("\u2009", " ").replace("\u200b", "")
    text = re.sub(r"\s+", " ", text)
    return text.strip()


def _strip_punct(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip().strip(" .,;:-–—'\"“”‘’()[]").strip()
    return text or None


def _normalize_pages(pages: str | None) -> str | None:
    if not pages:
        return None
    pages = re.sub(r"\s*[-–—]\s*", "-", pages.strip())
    return pages or None


def _find_identifiers(text: str) -> tuple[str | None, str | None, str | None, str | None]:
    """DOI, PMID, PMCID and the first URL that is not a DOI link, found in ``text``."""
    dois = identifiers.find_dois(text)
    pmids = identifiers.find_pmids(text)
    pmcids = identifiers.find_pmcids(text)
    doi = dois[0][0] if dois else None
    pmid = pmids[0][0] if pmids else None
    pmcid = pmcids[0][0] if pmcids else None
    url: str | None = None
    for found in _URL_RE.finditer(text):
        candidate = found.group(0).rstrip(".,;:")
        named = identifiers.identifier_from_url(candidate)
        kind = named[0] if named else None
        if named is not None:
            if kind == "doi" and not doi:
                doi = named[1]
            elif kind == "pmid" and not pmid:
                pmid = named[1]
            elif kind == "pmcid" and not pmcid:
                pmcid = named[1]
        if url is None and kind != "doi":
            url = candidate
    return doi, pmid, pmcid, url


def _remove_identifiers(text: str) -> str:
    text = _DOI_LABEL_RE.sub(" ", text)
    text = _URL_RE.sub(" ", text)
    text = _PMID_LABEL_RE.sub(" ", text)
    text = _PMCID_RE.sub(" ", text)
    text = _ACCESSED_RE.sub(" ", text)
    text = re.sub(r"\b10\.\d{4,9}/\S+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = _AVAILABLE_RE.sub("", text).strip()
    return text.strip(" .,;")


def normalize_author(name: str) -> str | None:
    """One author as "Surname Initials" (PubMed style) when the form is recognised."""
    name = _strip_punct(name.replace("’", "'")) or ""
    name = re.sub(r"\s+", " ", name)
    if not name or len(name) > 80:
        return None
    if re.fullmatch(r"(?i)(?:and|&|et al|others|eds?|editors?)", name):
        return None
    for pattern in (_NAME_SURNAME_COMMA_INITIALS, _NAME_INITIALS_SURNAME):
        match = pattern.match(name)
        if match:
            initials = re.sub(r"[^A-Z]", "", match.group("initials"))
            return f"{match.group('surname')} {initials}"
    # "Smith, J" without a dot
    match = re.match(rf"^(?P<surname>{_SURNAME}),\s*(?P<initials>[A-Z]{{1,3}})$", name)
    if match:
        return f"{match.group('surname')} {match.group('initials')}"
    match = _NAME_SURNAME_INITIALS.match(name)
    if match:
        return f"{match.group('surname')} {match.group('initials')}"
    match = _NAME_FULL.match(name)
    if match:
        given = match.group("given")
        initials = "".join(part[0] for part in re.split(r"[\s-]+", given) if part[:1].isalpha())
        return f"{match.group('surname')} {initials.upper()}"
    return name


def is_author_like(name: str) -> bool:
    """True for the scholarly name forms: "Smith J", "Smith, J.", "J. Smith", "et al"."""
    name = (_strip_punct(name) or "").replace("’", "'")
    if not name:
        return False
    if _ET_AL_RE.fullmatch(name) or re.fullmatch(r"(?i)et\.? al\.?", name):
        return True
    return bool(
        _NAME_SURNAME_COMMA_INITIALS.match(name)
        or _NAME_INITIALS_SURNAME.match(name)
        or _NAME_SURNAME_INITIALS.match(name)
        or re.match(rf"^{_SURNAME},\s*[A-Z]{{1,3}}$", name)
    )


def split_authors(text: str) -> list[str]:
    """Split an author string in any of the common forms into normalised names."""
    text = _clean(text)
    text = _ET_AL_RE.sub("", text).strip(" ,;")
    if not text:
        return []
    text = re.sub(r"\s*(?:,\s*)?(?:&|\band\b)\s*", ", ", text)
    parts = [part.strip() for part in re.split(r"\s*[;,]\s*", text) if part.strip(" .")]
    if parts and all(is_author_like(part) for part in parts):
        names = [normalize_author(part) for part in parts]
        return [name for name in names if name]
    # APA / Harvard: "Smith, J., Lee, K. A." -> pairs of surname + initials
    pairs = list(re.finditer(rf"({_SURNAME}),\s*((?:[A-Z]\.?\s?-?){{1,3}})(?=,|;|$)", text))
    residue = text
    for pair in pairs:
        residue = residue.replace(pair.group(0), "", 1)
    residue = re.sub(r"[\W\d_]+", "", residue)
    if pairs and not residue:
        names = [normalize_author(f"{m.group(1)}, {m.group(2)}") for m in pairs]
        return [name for name in names if name]
    names = [normalize_author(part) for part in parts]
    return [name for name in names if name]


def outlet_kind_of(text: str) -> str | None:
    """The popular-outlet kind a reference or venue name suggests, or None."""
    lowered = text.lower()
    for kind, pattern in _OUTLET_PATTERNS:
        if pattern.search(lowered):
            return kind
    return None


def _venue_looks_scholarly(venue: str | None) -> bool:
    if not venue:
        return False
    if _POPULAR_OVERRIDES.search(venue):
        return False
    if _SCHOLARLY_VENUE_RE.search(venue):
        return True
    # abbreviated journal titles: "N Engl J Med", "Am J Clin Nutr"
    tokens = venue.split()
    short = [t for t in tokens if re.fullmatch(r"[A-Z][a-z]{0,5}\.?", t)]
    return len(tokens) >= 2 and len(short) == len(tokens)


def _year_of(text: str) -> int | None:
    years = [int(y) for y in _YEAR_RE.findall(text)]
    years = [y for y in years if is_plausible_year(y)]
    return years[-1] if years else None


_ABBREVIATIONS = re.compile(
    r"(?i:vol|no|nos|pp|p|ed|eds|al|st|dr|mr|mrs|ms|prof|e\.g|i\.e|vs|etc|inc|ltd|co|suppl)"
)


def _split_sentences(text: str) -> list[str]:
    """Split on ". " boundaries that are not initials or common abbreviations."""
    parts: list[str] = []
    start = 0
    for match in re.finditer(r"[.?!]\s+(?=[\"'“‘A-Z0-9(\[])", text):
        before = text[start : match.start()]
        last = before.rsplit(" ", 1)[-1]
        following = text[match.end() : match.end() + 12]
        if _ABBREVIATIONS.fullmatch(last):
            continue
        # "H. Alonso-Navarro", "J. Nutr.": an initial goes on (a Vancouver author list that
        # ends in initials is cut off before splitting, by _leading_authors)
        if re.fullmatch(r"[A-Z]|(?:[A-Z]\.)+[A-Z]", last):
            continue
        # "Clin. Nutr. 2019": an abbreviated journal word followed by another one
        if re.fullmatch(r"[A-Z][a-z]{0,4}", last) and re.match(r"[A-Z][a-z]{0,5}\.", following):
            continue
        parts.append(text[start : match.start() + 1].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        parts.append(tail)
    return [p.strip(" .") for p in parts if p.strip(" .")]


_AUTHOR_LIST_ITEM = rf"(?:{_SURNAME}\s+[A-Z]{{1,3}}|et\.?\s+al)"
# Vancouver / AMA author list at the start: "Smith J, Lee KA, et al. "
_VANCOUVER_AUTHORS_RE = re.compile(
    rf"^(?P<authors>{_SURNAME}\s+[A-Z]{{1,3}}(?:\s*,\s*{_AUTHOR_LIST_ITEM})*(?:,?\s*et\.?\s+al)?)"
    r"\.\s+"
)
# Harvard without brackets: "Smith, J. and Lee, K., 2019. Title."
_HARVARD_YEAR_RE = re.compile(rf",\s*(?P<year>{_YEAR})[a-z]?\.\s+")


def _leading_authors(text: str) -> tuple[list[str], str]:
    """A Vancouver author list at the start of ``text`` and the text after it."""
    match = _VANCOUVER_AUTHORS_RE.match(text)
    if match is None:
        return [], text
    return split_authors(match.group("authors")), text[match.end() :]


def _vol_issue_pages(text: str) -> tuple[str | None, str | None, str | None, str]:
    """Volume, issue, pages and the text with them removed."""
    match = None
    for candidate in _VOL_ISSUE_PAGES_RE.finditer(text):
        # a year followed by ";" is Vancouver's date, not a volume
        if is_plausible_year(int(re.sub(r"\D", "", candidate.group("volume")) or 0)) and (
            text[candidate.end("volume") : candidate.end("volume") + 1] == ";"
        ):
            continue
        match = candidate
    if match is None:
        pages_match = _PAGES_ONLY_RE.search(text)
        if pages_match:
            rest = (text[: pages_match.start()] + text[pages_match.end() :]).strip(" ,.;")
            return None, None, _normalize_pages(pages_match.group("pages")), rest
        return None, None, None, text
    volume = match.group("volume")
    issue = match.group("issue") or match.group("issue2")
    pages = _normalize_pages(match.group("pages"))
    rest = (text[: match.start()] + text[match.end() :]).strip(" ,.;")
    return volume, _strip_punct(issue), pages, rest


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
