"""The pieces of a written reference: years, identifiers, author names, venues and outlets.

Patterns and small helpers that :mod:`claimgraph.references` combines into whole reference
forms (Vancouver, APA, Harvard, comma lists, "Published:" blocks). Every helper takes text and
returns fields; none raises on odd input.
"""

from __future__ import annotations

import re
import unicodedata

from claimgraph import identifiers
from claimgraph.years import is_plausible_year

__all__ = [
    "is_author_like",
    "normalize_author",
    "outlet_kind_of",
    "split_authors",
]

# --------------------------------------------------------------------------- vocabulary

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|spring|summer|autumn|fall|winter)"
)
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


def _ends_title(before: str) -> bool:
    """ "... chronic hepatitis C", "... vitamin D": a capital letter after a lower-case word
    ends a title (an initial follows a name, a comma or another initial)."""
    words = before.rsplit(" ", 2)
    return len(words) >= 2 and words[-2][:1].islower() and words[-2][-1:].isalpha()


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
        if re.fullmatch(r"[A-Z]|(?:[A-Z]\.)+[A-Z]", last) and not _ends_title(before):
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
