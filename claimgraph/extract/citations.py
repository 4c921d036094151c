"""Find the citations in a block of a draft and link them to the references they name.

A citation is what a sentence uses to point at a source: links (doi.org, PubMed, PMC, journal
pages, any outside page), bare DOIs / PMIDs / PMCIDs / URLs, numbered markers ``[1]``
``[1-3]`` ``[1, 4]`` ``[22]:10``, parenthetical numbers ``(72)`` ``(32, 37)`` where the draft
has a numbered list, superscript numbers glued to the text by a conversion that lost the
``<sup>`` tags, footnotes ``[^1]``, pandoc keys ``[@doi:...; @pmid:...]``, author-year
citations ("Smith et al., 2019", "(American Heart Association [AHA], 2012a)", "Chida and
Steptoe (2009)") and parenthetical sources ("(Source: Healthline)"). :func:`link_citation`
turns each into the reference it names (reference lists are found in :mod:`.reflists`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from claimgraph import identifiers
from claimgraph.extract.reflists import ReferenceEntry, ReferenceIndex, fold
from claimgraph.extract.text import Block

__all__ = ["Citation", "find_citations", "link_citation"]

# --------------------------------------------------------------------------- citations


@dataclass(slots=True)
class Citation:
    """A pointer to a source found in a block's text: [start, end) offsets and its target."""

    #: link | doi | pmid | pmcid | url | numbered | footnote | author-year | venue-year |
    #: inline-source
    kind: str
    start: int
    end: int
    #: the identifier, URL, label ("3", "^2"), "surname|year|second" or reference text
    value: str
    text: str
    #: True for markers the claim text should not keep ("[1]", "[^2]")
    marker: bool = False


_NUMBERED_RE = re.compile(r"\[(?P<body>\d{1,4}(?:\s*[-–,]\s*\d{1,4}){0,20})\]")
_FOOTNOTE_RE = re.compile(r"\[\^(?P<label>[^\]\s]{1,40})\]")
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_HAS_SUPERSCRIPT = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]")
_YEAR_RE = re.compile(r"\b(?:1[89]\d\d|20\d\d)[a-z]?\b")
_HAS_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_SUPERSCRIPT_RE = re.compile(r"(?<=[\w.,;)\]])[¹²³⁴⁵⁶⁷⁸⁹⁰]+(?:[,⁻–-][¹²³⁴⁵⁶⁷⁸⁹⁰]+)*")
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"'\]]+", re.I)
_INLINE_SOURCE_RE = re.compile(
    r"[(\[]\s*(?:source|sources|via|ref|reference|from|study)\s*:\s*(?P<ref>[^)\]]{3,300})[)\]]",
    re.I,
)
_NAME = (
    r"(?:(?:[Vv]an|[Vv]on|[Dd]e|[Dd]er|[Dd]en|[Dd]a|[Dd]i|[Dd]u|[Dd]el|[Ll]a|[Ll]e|Mc|Mac|O')\s?)*"
    r"[A-ZÀ-ÖØ-Þ][\w'’-]+"
)
#: an organisation as author, with its abbreviation: "American Heart Association [AHA]"
_ORG_ITEM_RE = re.compile(
    r"^(?P<org>[A-Z][\w'’-]+(?:\s+(?:(?:of|on|for|and|the|in|&)\s+)*[A-Z][\w'’-]+){1,8})"
    r"(?:\s*[\[(](?P<abbr>[A-Z]{2,10})[\])])?,?\s+(?P<year>(?:1[89]|20)\d\d[a-z]?)$"
)
_NOT_NAMES = frozenset(
    (
        "in", "on", "at", "by", "of", "the", "a", "an", "and", "or", "since", "from", "between",
        "until", "up", "published", "updated", "spring", "summer", "autumn", "fall", "winter",
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
        "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday", "sunday", "copyright", "accessed", "retrieved", "around", "before", "after",
        "early", "late", "mid", "circa", "about", "approximately", "year", "years", "vol",
        "volume", "issue", "page", "pages", "see", "also", "eg", "ie", "cf", "figure", "fig",
        "table", "note", "est", "founded", "born", "died", "age", "aged", "class", "version",
        "edition", "ed",
    )
)  # fmt: skip
_AUTHOR_PART = (
    rf"(?P<first>{_NAME})(?:\s+et\s+al\.?|\s+(?:and|&)\s+(?:colleagues|co-?workers|others)"
    rf"|(?:\s*,\s*{_NAME})*\s*(?:,\s*)?(?:and|&)\s+(?P<second>{_NAME})"
    rf"|\s*,\s*(?P<second2>{_NAME})(?=\s*,?\s*(?:1[89]|20)\d\d))?"
)
_PAREN_RE = re.compile(r"\((?P<body>[^()]{3,300}?)\)")
_PAREN_ITEM_RE = re.compile(
    rf"^(?:(?:see|e\.g\.|cf\.|also|reviewed in|as cited in)\s*,?\s*)*{_AUTHOR_PART},?\s+"
    r"(?P<year>(?:1[89]|20)\d\d[a-z]?)(?:\s*,\s*(?:p|pp)\.?\s*[\d–-]+)?$"
)
_NARRATIVE_RE = re.compile(rf"\b{_AUTHOR_PART}\s+\((?P<year>(?:1[89]|20)\d\d[a-z]?)\)")
#: what every narrative citation contains: a cheap test before the costly search (which
#: tries a name at every word)
_NARRATIVE_YEAR_RE = re.compile(r"\((?:1[89]|20)\d\d[a-z]?\)")


def _second(match: re.Match[str]) -> str:
    return match.group("second") or match.group("second2") or ""


def _expand_numbers(body: str) -> list[str]:
    numbers: list[str] = []
    for part in re.split(r"\s*,\s*", body):
        bounds = re.split(r"\s*[-–⁻]\s*", part)
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            low, high = int(bounds[0]), int(bounds[1])
            if 0 < low <= high and high - low <= 50:
                numbers.extend(str(n) for n in range(low, high + 1))
                continue
        if part.isdigit():
            numbers.append(str(int(part)))
    return numbers


def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start < s_end and s_start < end for s_start, s_end in spans)


def _is_name(word: str) -> bool:
    return fold(word).strip(".") not in _NOT_NAMES


def find_citations(block: Block) -> list[Citation]:
    """Every citation in a block's text, in text order."""
    text = block.text
    found: list[Citation] = []
    taken: list[tuple[int, int]] = []
    # cheap substring tests first: most sentences cite nothing
    lowered = text.lower()
    _find_markers(text, found, taken)
    for link in block.links:
        if _overlaps(link.start, link.end, taken) and not link.href.startswith(("http", "www")):
            continue
        citation = _link_citation(link.href, link.start, link.end, link.text)
        if citation is not None:
            found.append(citation)
            taken.append((citation.start, citation.end))
    if ":" in text:
        for match in _INLINE_SOURCE_RE.finditer(text):
            if not _overlaps(match.start(), match.end(), taken):
                ref = match.group("ref").strip()
                found.append(
                    Citation("inline-source", match.start(), match.end(), ref, match.group(0))
                )
                taken.append((match.start(), match.end()))
    if _HAS_YEAR.search(text):
        if "published in" in lowered:
            _find_venue_year(text, found, taken)
        _find_author_year(text, found, taken)
    if "@clinicaltrials:" in lowered:
        _find_trial_keys(text, found, taken)
    _find_bare_identifiers(text, lowered, found, taken)
    found.sort(key=lambda c: (c.start, c.end))
    return found


def _find_markers(text: str, found: list[Citation], taken: list[tuple[int, int]]) -> None:
    """Numbered markers "[1]" "[1-3]", footnotes "[^n]" and superscript numbers "¹²"."""
    matches: list[tuple[str, re.Match[str], list[str]]] = []
    if "[" in text:
        for match in _NUMBERED_RE.finditer(text):
            matches.append(("numbered", match, _expand_numbers(match.group("body"))))
        for match in _FOOTNOTE_RE.finditer(text):
            matches.append(("footnote", match, ["^" + match.group("label")]))
    if _HAS_SUPERSCRIPT.search(text):
        for match in _SUPERSCRIPT_RE.finditer(text):
            body = match.group(0).translate(_SUPERSCRIPT).replace("⁻", "-")
            matches.append(("numbered", match, _expand_numbers(body)))
    for kind, match, values in matches:
        for value in values:
            found.append(Citation(kind, match.start(), match.end(), value, match.group(0), True))
            taken.append((match.start(), match.end()))


def _link_citation(href: str, start: int, end: int, text: str) -> Citation | None:
    href = href.strip()
    if href.startswith("#"):
        return Citation("anchor", start, end, href[1:], text, marker=bool(_NUMBERED_RE.match(text)))
    lowered = href.lower()
    if not lowered.startswith(("http://", "https://", "www.")):
        return None  # relative links, mailto:, javascript: are navigation, not sources
    named = identifiers.identifier_from_url(href)
    if named is not None:
        return Citation(named[0], start, end, named[1], text)
    return Citation("url", start, end, href, text)


def _paren_item(item: str) -> str | None:
    """ "surname|year|second" of one item of a parenthetical citation, or None."""
    person = _PAREN_ITEM_RE.match(item)
    if person is not None and _is_name(person.group("first")):
        return f"{person.group('first')}|{person.group('year')}|{_second(person)}"
    org = _ORG_ITEM_RE.match(item)
    if org is not None and _is_name(org.group("org").split()[0]):
        return f"{org.group('abbr') or org.group('org')}|{org.group('year')}|"
    return None


_VENUE_YEAR_RE = re.compile(
    r"\bpublished in (?:the )?(?:journal )?(?P<venue>[A-Z][\w&.'’-]*(?: (?:of |and |& |the )*"
    r"[A-Z][\w&.'’-]*){0,7})\s*\((?:in )?(?P<year>(?:1[89]|20)\d\d)\)"
)


def _find_venue_year(text: str, found: list[Citation], taken: list[tuple[int, int]]) -> None:
    """ "published in JAMA (2020)": the paper of that journal and year in the list."""
    for match in _VENUE_YEAR_RE.finditer(text):
        if _overlaps(match.start("venue"), match.end(), taken):
            continue
        value = f"{match.group('venue')}|{match.group('year')}"
        found.append(
            Citation("venue-year", match.start("venue"), match.end(), value, match.group(0))
        )
        taken.append((match.start("venue"), match.end()))


def _find_author_year(text: str, found: list[Citation], taken: list[tuple[int, int]]) -> None:
    for paren in _PAREN_RE.finditer(text):
        if _overlaps(paren.start(), paren.end(), taken):
            continue
        body = paren.group("body")
        if not _YEAR_RE.search(body):
            continue
        items = [item.strip() for item in re.split(r"\s*;\s*", body) if item.strip()]
        values = [_paren_item(item) for item in items]
        if not values or None in values:
            continue
        for value in values:
            assert value is not None
            found.append(Citation("author-year", paren.start(), paren.end(), value, paren.group(0)))
        taken.append((paren.start(), paren.end()))
    for match in _NARRATIVE_RE.finditer(text) if _NARRATIVE_YEAR_RE.search(text) else ():
        if _overlaps(match.start(), match.end(), taken) or not _is_name(match.group("first")):
            continue
        value = f"{match.group('first')}|{match.group('year')}|{_second(match)}"
        found.append(Citation("author-year", match.start(), match.end(), value, match.group(0)))
        taken.append((match.start(), match.end()))


_TRIAL_KEY_RE = re.compile(r"@clinicaltrials:(?P<id>NCT\d{8})\b", re.I)


def _find_trial_keys(text: str, found: list[Citation], taken: list[tuple[int, int]]) -> None:
    """Pandoc/Manubot "[@clinicaltrials:NCT01234567]": a trial registration, cited by URL."""
    for match in _TRIAL_KEY_RE.finditer(text):
        url = f"https://clinicaltrials.gov/study/{match.group('id').upper()}"
        found.append(Citation("url", match.start(), match.end(), url, match.group(0)))
        taken.append((match.start(), match.end()))


def _find_bare_identifiers(
    text: str, lowered: str, found: list[Citation], taken: list[tuple[int, int]]
) -> None:
    for kind, finder, hint in (
        ("doi", identifiers.find_dois, "10."),
        ("pmid", identifiers.find_pmids, "pubmed"),
        ("pmid", identifiers.find_pmids, "pmid"),
        ("pmcid", identifiers.find_pmcids, "pmc"),
    ):
        if hint not in lowered:
            continue
        for value, start, end in finder(text):
            if not _overlaps(start, end, taken):
                found.append(Citation(kind, start, end, value, text[start:end]))
                taken.append((start, end))
    if "http" not in lowered and "www." not in lowered:
        return
    for match in _URL_RE.finditer(text):
        url = match.group(0).rstrip(".,;:)")
        end = match.start() + len(url)
        if _overlaps(match.start(), end, taken):
            continue
        named = identifiers.identifier_from_url(url)
        if named is not None:
            found.append(Citation(named[0], match.start(), end, named[1], url))
        else:
            found.append(Citation("url", match.start(), end, url, url))
        taken.append((match.start(), end))


def link_citation(citation: Citation, index: ReferenceIndex) -> ReferenceEntry | None:
    """The reference entry a numbered, footnote, anchor or author-year citation points at."""
    if citation.kind in {"numbered", "footnote"}:
        return index.by_label(citation.value)
    if citation.kind == "anchor":
        entry = index.by_element_id(citation.value)
        if entry is None:
            digits = re.search(r"(\d{1,4})$", citation.value)
            if digits and re.search(r"(?i)ref|cite|note|fn|bib", citation.value):
                entry = index.by_label(str(int(digits.group(1))))
        return entry
    if citation.kind == "venue-year":
        venue, year = citation.value.split("|")
        return index.by_venue_year(venue, year)
    if citation.kind == "author-year":
        surname, year, second = citation.value.split("|")
        return index.by_author_year(surname, year, second or None)
    return None
