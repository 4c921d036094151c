"""DOI, PMID and PMCID parsing: one small handler per identifier scheme.

Each scheme knows its labels (``doi:``, ``PMID:``), its link forms (doi.org, PubMed, PMC,
Europe PMC) and how to normalise a value to one canonical spelling:

========  ==========================  ==================================================
scheme    canonical form              accepted spellings (case-insensitive)
========  ==========================  ==================================================
doi       ``10.1000/xyz`` lower-case  ``doi:``/``DOI:`` label, doi.org / dx.doi.org links,
                                      URL-encoded slash, trailing punctuation, ``<...>``
pmid      ``12345`` (1-9 digits)      bare digits, ``PMID: 1``, PubMed links
pmcid     ``PMC1234567``              ``PMC123``, ``PMCID: 123``, PMC / Europe PMC links
========  ==========================  ==================================================

Nothing here raises on bad input: a value that is not an identifier normalises to ``None``.
Such a value cannot exist in any service, so a source that writes one is ``not_found``
without a request, offline too (:mod:`claimgraph.resolvers.verdicts`). The shapes are kept
loose so that no real identifier is called malformed: a DOI suffix may hold almost any
character (SICI DOIs with ``<``, ``;``, ``()``; Unicode), only whitespace ends it.
``find_*`` locate identifiers in running text and return ``(value, start, end)`` where the
span covers the whole mention (label or link included), so an extractor can cut it out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal
from urllib.parse import parse_qsl, quote, unquote, urlsplit

if TYPE_CHECKING:
    from claimgraph.models import Source

__all__ = [
    "SCHEMES",
    "IdentifierKind",
    "Scheme",
    "check_source_identifiers",
    "doi_to_url",
    "find_dois",
    "find_pmcids",
    "find_pmids",
    "identifier_from_url",
    "normalize_doi",
    "normalize_pmcid",
    "normalize_pmid",
    "pmcid_to_url",
    "pmid_to_url",
    "source_identifiers",
]

IdentifierKind = Literal["doi", "pmid", "pmcid"]
Found = list[tuple[str, int, int]]

# --------------------------------------------------------------------------- shared helpers

_CLOSERS = {")": "(", "]": "[", "}": "{", ">": "<"}
#: punctuation that ends a sentence or a list rather than an identifier
_TRAILING = ".,;:!?'\"\u2019\u201d"
_MAX_INPUT = 10_000  # nothing we parse is longer; keeps pathological input cheap


def _strip_trailing(text: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets from the end."""
    while text:
        last = text[-1]
        unbalanced = last in _CLOSERS and text.count(last) > text.count(_CLOSERS[last])
        if last not in _TRAILING and not unbalanced:
            break
        text = text[:-1]
    return text


def _unwrap(text: str) -> str:
    """Surrounding whitespace, ``<...>`` and quotes, as in ``<https://doi.org/...>``."""
    text = text.strip()
    while len(text) >= 2 and (text[0], text[-1]) in {("<", ">"), ('"', '"'), ("'", "'")}:
        text = text[1:-1].strip()
    return text


def _is_ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


# --------------------------------------------------------------------------- DOI

_DOI_PREFIX = r"10\.[0-9]{4,9}(?:\.[0-9]+)*"
_DOI_RE = re.compile(rf"{_DOI_PREFIX}/\S+")
_DOI_ENCODED_SLASH = re.compile(rf"{_DOI_PREFIX}%2f", re.IGNORECASE)
_DOI_LABEL = re.compile(r"^(?:doi|info:doi/?)\s*[:=]?\s*", re.IGNORECASE)
_DOI_LINK = re.compile(r"^(?:https?://)?(?:dx\.|www\.)?doi\.org/", re.IGNORECASE)
_DOI_IN_TEXT = re.compile(
    r"(?<![\w.-])"
    r"(?:(?:https?://)?(?:dx\.|www\.)?doi\.org/|doi\s*:\s*)?"
    rf"{_DOI_PREFIX}(?:/|%2[fF])[^\s\"<>\[\]]+",
    re.IGNORECASE,
)


def normalize_doi(text: str) -> str | None:
    """The lower-cased canonical ``10.xxxx/suffix``, or ``None`` when ``text`` is not a DOI."""
    if not isinstance(text, str) or len(text) > _MAX_INPUT:
        return None
    if _is_canonical_doi(text):
        return text
    return _normalize_doi(text)


def _is_canonical_doi(text: str) -> bool:
    """Already ``10.xxxx/suffix``, lower-case, with nothing to strip: what
    :func:`_normalize_doi` returns unchanged (no label, link, wrapping or space can start
    with "10." and match ``_DOI_RE``). The usual sources.json DOI: 66,573 of them take 0.03 s
    instead of 0.14 s (measured); tests/test_identifiers.py compares the two on many
    spellings."""
    return (
        text.startswith("10.")
        and text == text.lower()
        and _DOI_RE.fullmatch(text) is not None
        and _strip_trailing(text) == text
    )


#: a source's DOI is normalised by the identifier check, the cited fields and the resolver,
#: one right after the other: remember the last few thousand (pure function)
@lru_cache(maxsize=4096)
def _normalize_doi(text: str) -> str | None:
    candidate = _unwrap(text)
    link = _DOI_LINK.match(candidate)
    if link:
        # a link's path is percent-encoded: decode it once
        candidate = unquote(candidate[link.end() :])
    else:
        candidate = _DOI_LABEL.sub("", candidate, count=1)
        if _DOI_ENCODED_SLASH.match(candidate):
            candidate = unquote(candidate)
    candidate = _strip_trailing(candidate.strip())
    if not _DOI_RE.fullmatch(candidate):
        return None
    doi = candidate.lower()
    # lower() can change characters in ways that no longer form a DOI; be strict
    return doi if _DOI_RE.fullmatch(doi) and _strip_trailing(doi) == doi else None


def find_dois(text: str) -> Found:
    """DOIs in running text (bare, ``doi:`` labelled or doi.org links) with their spans."""
    found: Found = []
    for match in _DOI_IN_TEXT.finditer(text):
        mention = _strip_trailing(match.group())
        doi = normalize_doi(mention)
        if doi is not None:
            found.append((doi, match.start(), match.start() + len(mention)))
    return found


def doi_to_url(doi: str) -> str:
    """The https://doi.org/ link of a canonical DOI (percent-encoded where a URL needs it)."""
    return "https://doi.org/" + quote(doi, safe="/:;()[]<>,=+-._~!$&'*@")


# --------------------------------------------------------------------------- PMID

_PMID_LABEL = re.compile(r"^(?:pmid|pubmed(?:\s*id)?)\s*[:#]?\s*", re.IGNORECASE)
_PUBMED_LINK = (
    r"(?:https?://)?(?:www\.)?"
    r"(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/)"
)
_PMID_LINK = re.compile(rf"^{_PUBMED_LINK}([0-9]+)/?(?:[?#].*)?$", re.IGNORECASE)
_PMID_IN_TEXT = re.compile(
    rf"(?<![\w/.]){_PUBMED_LINK}([0-9]{{1,9}})(?![0-9])/?"
    r"|\b(?:PMID|PubMed\s+ID)\s*[:#]?\s*([0-9]{1,9})(?![0-9])",
    re.IGNORECASE,
)


def _pmid_digits(digits: str) -> str | None:
    if not _is_ascii_digits(digits):
        return None
    digits = digits.lstrip("0")
    return digits if 1 <= len(digits) <= 9 else None


def normalize_pmid(text: str | int) -> str | None:
    """Canonical PMID digits (no leading zeros), or ``None`` when ``text`` is not a PMID."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return str(text) if 0 < text < 10**9 else None
    if not isinstance(text, str) or len(text) > _MAX_INPUT:
        return None
    return _normalize_pmid(text)


@lru_cache(maxsize=4096)  # pure; one source's PMID is normalised three times in a row
def _normalize_pmid(text: str) -> str | None:
    candidate = _strip_trailing(_unwrap(text))
    link = _PMID_LINK.match(candidate)
    if link:
        return _pmid_digits(link.group(1))
    candidate = _PMID_LABEL.sub("", candidate, count=1)
    return _pmid_digits(candidate)


def find_pmids(text: str) -> Found:
    """PMIDs in running text: ``PMID: 123`` labels and PubMed links, never bare numbers."""
    found: Found = []
    for match in _PMID_IN_TEXT.finditer(text):
        pmid = _pmid_digits(match.group(1) or match.group(2))
        if pmid is not None:
            found.append((pmid, match.start(), match.end()))
    return found


def pmid_to_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


# --------------------------------------------------------------------------- PMCID

_PMC_LINK = (
    r"(?:https?://)?(?:www\.)?"
    r"(?:ncbi\.nlm\.nih\.gov/pmc/articles/|pmc\.ncbi\.nlm\.nih\.gov/articles/"
    r"|europepmc\.org/(?:article|abstract)/PMC/|europepmc\.org/articles?/)"
)
_PMCID_LINK = re.compile(rf"^{_PMC_LINK}(?:PMC)?([0-9]+)/?(?:[?#].*)?$", re.IGNORECASE)
_PMCID_LABELLED = re.compile(r"^(?:pmcid\s*[:#]?\s*(?:pmc)?|pmc)\s*([0-9]+)$", re.IGNORECASE)
_PMCID_IN_TEXT = re.compile(
    rf"(?<![\w/.]){_PMC_LINK}(?:PMC)?([0-9]{{1,9}})(?![0-9])/?"
    r"|\bPMCID\s*[:#]?\s*(?:PMC)?([0-9]{1,9})(?![0-9])"
    r"|\bPMC([0-9]{1,9})(?![0-9])",
    re.IGNORECASE,
)


def _pmcid_digits(digits: str) -> str | None:
    number = _pmid_digits(digits)  # same shape: 1-9 digits, not all zeros
    return None if number is None else f"PMC{number}"


def normalize_pmcid(text: str) -> str | None:
    """Canonical ``PMC1234567``, or ``None``. Bare digits are not a PMCID (they may be a PMID)."""
    if not isinstance(text, str) or len(text) > _MAX_INPUT:
        return None
    candidate = _strip_trailing(_unwrap(text))
    match = _PMCID_LINK.match(candidate) or _PMCID_LABELLED.match(candidate)
    return _pmcid_digits(match.group(1)) if match else None


def find_pmcids(text: str) -> Found:
    """PMCIDs in running text: ``PMC123``, ``PMCID: 123`` and PMC / Europe PMC links."""
    found: Found = []
    for match in _PMCID_IN_TEXT.finditer(text):
        digits = match.group(1) or match.group(2) or match.group(3)
        pmcid = _pmcid_digits(digits)
        if pmcid is not None:
            found.append((pmcid, match.start(), match.end()))
    return found


def pmcid_to_url(pmcid: str) -> str:
    return f"https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/"


# --------------------------------------------------------------------------- schemes


@dataclass(frozen=True)
class Scheme:
    """One identifier scheme: how it looks, how to normalise it and find it in text."""

    name: IdentifierKind
    label: str
    example: str
    normalize: Callable[[str], str | None]
    find: Callable[[str], Found]


SCHEMES: dict[IdentifierKind, Scheme] = {
    "doi": Scheme("doi", "DOI", "10.1234/suffix", normalize_doi, find_dois),
    "pmid": Scheme("pmid", "PMID", "12345678 (digits only)", normalize_pmid, find_pmids),
    "pmcid": Scheme("pmcid", "PMCID", "PMC1234567", normalize_pmcid, find_pmcids),
}


# --------------------------------------------------------------------------- URLs

_DOI_HOSTS = {"doi.org", "dx.doi.org", "www.doi.org"}
_PUBMED_HOSTS = {
    "pubmed.ncbi.nlm.nih.gov",
    "ncbi.nlm.nih.gov",
    "www.ncbi.nlm.nih.gov",
    "pmc.ncbi.nlm.nih.gov",
    "europepmc.org",
    "www.europepmc.org",
}
_EUROPEPMC_MED = re.compile(r"^/(?:article|abstract)/MED/([0-9]+)/?$", re.IGNORECASE)
_DOI_IN_PATH = re.compile(rf"(?:^|/)({_DOI_PREFIX}/.+)$")
_DOI_START = re.compile(rf"{_DOI_PREFIX}/")
#: view suffixes journals append after the DOI in their article links
_VIEW_SUFFIXES = re.compile(
    r"/(?:full|abstract|pdf|epdf|pdfdirect|fulltext|full-text|html|meta|summary|references"
    r"|figures|tables|supplementary|suppl_file|info|metrics|citedby)(?:/.*)?$",
    re.IGNORECASE,
)


def _without_view_suffix(doi: str) -> str:
    """``10.1000/abc/full`` -> ``10.1000/abc``; the first part of the suffix is always kept
    (``10.1000/abstract`` is a DOI whose suffix happens to be a view name)."""
    prefix, _, suffix = doi.partition("/")
    head, sep, tail = suffix.partition("/")
    if not sep:
        return doi
    return f"{prefix}/{head}{_VIEW_SUFFIXES.sub('', sep + tail)}"


def identifier_from_url(url: str) -> tuple[IdentifierKind, str] | None:
    """``("doi"|"pmid"|"pmcid", value)`` for a link that names a work, else ``None``.

    Knows doi.org, PubMed, PMC and Europe PMC links, and DOIs embedded in journal links
    (``.../doi/10.1000/abc``, ``.../doi/full/10.1000/abc``, ``.../article/10.1000/abc``,
    ``?doi=10.1000/abc``).
    """
    if not isinstance(url, str) or len(url) > _MAX_INPUT:
        return None
    text = _strip_trailing(_unwrap(url))
    if not re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if host in _DOI_HOSTS:
        doi = normalize_doi(text)
        return ("doi", doi) if doi else None
    if host in _PUBMED_HOSTS:
        pmcid = normalize_pmcid(text)
        if pmcid:
            return ("pmcid", pmcid)
        pmid = normalize_pmid(text)
        if pmid:
            return ("pmid", pmid)
        med = _EUROPEPMC_MED.match(parts.path) if "europepmc" in host else None
        if med and (pmid := _pmid_digits(med.group(1))):
            return ("pmid", pmid)
        return None
    path = unquote(parts.path)
    embedded = _DOI_IN_PATH.search(path)
    if embedded:
        doi = normalize_doi(_without_view_suffix(embedded.group(1)))
        if doi:
            return ("doi", doi)
    for _name, value in parse_qsl(parts.query):
        if _DOI_START.match(value) and (doi := normalize_doi(value)):
            return ("doi", doi)
    return None


# --------------------------------------------------------------------------- source checks


def source_identifiers(source: Source) -> dict[IdentifierKind, tuple[str, str | None]]:
    """The identifiers a source writes in its own fields (blank ones left out), each as
    ``(written, normalised)``; normalised is ``None`` when the written value is not one."""
    own: dict[IdentifierKind, tuple[str, str | None]] = {}
    for kind in ("doi", "pmid", "pmcid"):
        raw = getattr(source, kind, None)
        if raw is None or not str(raw).strip():
            continue
        written = str(raw)
        own[kind] = (written, SCHEMES[kind].normalize(written))
    return own


def check_source_identifiers(
    source: Source, own: dict[IdentifierKind, tuple[str, str | None]] | None = None
) -> list[str]:
    """Human messages for identifiers a source carries that are not valid. Never raises.

    Also reports a link that names a different work than the source's own identifier.
    ``own`` is :func:`source_identifiers` of the source, when the caller already has it.
    """
    problems: list[str] = []
    valid: dict[str, str] = {}
    if own is None:
        own = source_identifiers(source)
    for kind, (raw, value) in own.items():
        scheme = SCHEMES[kind]
        if value is None:
            problems.append(
                f'{kind} "{raw}" is not a {scheme.label}: '
                f"a {scheme.label} looks like {scheme.example}"
            )
        else:
            valid[kind] = value
    url = source.url
    if isinstance(url, str) and url.strip():
        try:
            host = (urlsplit(url.strip()).hostname or "").lower()
        except ValueError:
            host = ""
        named = identifier_from_url(url)
        if named is None and host in _DOI_HOSTS:
            problems.append(
                f'url "{url}" is a doi.org link but holds no DOI: '
                "a DOI link looks like https://doi.org/10.1234/suffix"
            )
        elif named is not None:
            kind, value = named
            if kind in valid and valid[kind] != value:
                problems.append(
                    f'url "{url}" names {SCHEMES[kind].label} {value}, '
                    f"but the source's {kind} is {valid[kind]}: which one is the cited work?"
                )
    return problems
