"""Sources of a draft and the ids of claims and sources.

A source is registered once per identity (DOI, PMID, PMCID, URL or normalised citation text)
however often it is cited; it gets a readable id from its first author and year, its outlet,
its title or its identifier ("smith-2019", "good-health-2014", "doi-10-5555-x"), with a short
hash only when two sources would share one. Claim ids are "<file stem>-<slug>-<hash>" of the
sentence text. The same text always gives the same ids.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from claimgraph.models import Location
from claimgraph.references import ParsedReference, outlet_kind_of

__all__ = [
    "SourceDraft",
    "SourceRegistry",
    "claim_id",
    "normalise_text",
    "short_hash",
    "slug",
]

_SLUG_TOKEN_RE = re.compile(r"[a-z0-9]+")
_SPACES_RE = re.compile(r"\s+")
_CLAIM_WORD_RE = re.compile(r"[\w'’-]+")


def slug(text: str, words: int = 6, limit: int = 40) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    tokens = _SLUG_TOKEN_RE.findall(folded.lower())
    slug = ""
    for token in tokens[:words]:
        candidate = f"{slug}-{token}" if slug else token
        if len(candidate) > limit:
            break
        slug = candidate
    return slug


def short_hash(text: str, length: int = 6) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def normalise_text(text: str) -> str:
    return _SPACES_RE.sub(" ", unicodedata.normalize("NFC", text)).strip().lower()


_STOPWORDS = frozenset(
    (
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "and",
        "or",
        "is",
        "are",
        "was",
        "were",
        "be",
        "that",
    )
)


def claim_id(stem: str, text: str) -> str:
    """A readable, stable claim id: "<file-stem>-<slug of the sentence>-<hash>"."""
    content = [w for w in _CLAIM_WORD_RE.findall(text) if w.lower() not in _STOPWORDS]
    words = slug(" ".join(content), words=5, limit=36) or "claim"
    return f"{stem}-{words}-{short_hash(normalise_text(text))}"


_SCHOLARLY_HOSTS = re.compile(
    r"(?:^|\.)(?:doi\.org|ncbi\.nlm\.nih\.gov|europepmc\.org|nejm\.org|thelancet\.com|"
    r"jamanetwork\.com|bmj\.com|nature\.com|sciencedirect\.com|springer\.com|wiley\.com|"
    r"onlinelibrary\.wiley\.com|academic\.oup\.com|cochranelibrary\.com|plos\.org|"
    r"frontiersin\.org|mdpi\.com|biomedcentral\.com|tandfonline\.com|sagepub\.com|"
    r"journals\.lww\.com|cell\.com|science\.org|pnas\.org|karger\.com|thieme-connect\.com|"
    r"jstage\.jst\.go\.jp|scielo\.\w+|ahajournals\.org|acpjournals\.org|annals\.org|"
    r"jci\.org|elifesciences\.org|peerj\.com|cureus\.com|biorxiv\.org|medrxiv\.org)$",
    re.I,
)


@dataclass(slots=True)
class SourceDraft:
    """A source being collected, before it gets its id."""

    identity: str
    fields: dict[str, Any]
    location: Location | None
    #: a readable base for the id ("smith-2019", "good-health-2014")
    base: str
    id: str = ""


@dataclass(slots=True)
class SourceRegistry:
    """Sources of one extraction, deduplicated by identity (DOI, PMID, URL, citation text)."""

    sources: dict[str, SourceDraft] = field(default_factory=dict)
    #: id placeholders for citations that point at nothing the draft defines
    dangling: dict[str, str] = field(default_factory=dict)

    def add(
        self, identity: str, fields: dict[str, Any], location: Location | None, base: str
    ) -> str:
        existing = self.sources.get(identity)
        if existing is None:
            self.sources[identity] = SourceDraft(identity, dict(fields), location, base)
            return identity
        for key, value in fields.items():
            if value and not existing.fields.get(key):
                existing.fields[key] = value
        if existing.location is None:
            existing.location = location
        return identity

    def add_reference(self, parsed: ParsedReference, location: Location | None) -> str:
        fields = parsed.source_fields()
        return self.add(_identity(parsed), fields, location, _reference_base(parsed))

    def add_identifier(self, kind: str, value: str, location: Location | None, text: str) -> str:
        fields: dict[str, Any] = {kind: value}
        if kind == "pmid":
            fields["url"] = f"https://pubmed.ncbi.nlm.nih.gov/{value}/"
        return self.add(f"{kind}:{value.lower()}", fields, location, f"{kind}-{slug(value, 8)}")

    def add_url(self, url: str, location: Location | None, text: str) -> str:
        normalised = _normalise_url(url)
        host = _host(url)
        fields: dict[str, Any] = {"url": url}
        if text.strip() and not text.strip().startswith(("http", "www", "[")):
            fields["citation"] = text.strip()
        if not _SCHOLARLY_HOSTS.search(host):
            kind = outlet_kind_of(host) or outlet_kind_of(url)
            fields["kind"] = kind if kind and kind != "book" else "website"
        base = slug(re.sub(r"^www\.", "", host).rsplit(".", 1)[0], 4) or "link"
        path_slug = slug(urlsplit(url).path if "://" in url else "", 4, 24)
        if path_slug:
            base = f"{base}-{path_slug}"
        return self.add(f"url:{normalised}", fields, location, base)


def _identity(parsed: ParsedReference) -> str:
    if parsed.doi:
        return f"doi:{parsed.doi.lower()}"
    if parsed.pmid:
        return f"pmid:{parsed.pmid}"
    if parsed.pmcid:
        return f"pmcid:{parsed.pmcid.lower()}"
    if parsed.url:
        return f"url:{_normalise_url(parsed.url)}"
    return "text:" + re.sub(r"[^a-z0-9]+", " ", normalise_text(parsed.raw)).strip()


def _reference_base(parsed: ParsedReference) -> str:
    """A readable id base: "smith-2019", "institute-of-medicine-2005", "good-health-2014"."""
    year = str(parsed.year) if parsed.year else ""
    if parsed.authors and (parsed.looks_scholarly or parsed.outlet_kind != "magazine"):
        first = parsed.authors[0].strip()
        # a person ("Smith J") by surname, an organisation by its first words
        is_person = re.fullmatch(r"[\w'’-]+(?: [\w'’-]+)? [A-Z]{1,3}", first) is not None
        base = slug(first.rsplit(" ", 1)[0] if is_person else first, 3, 28)
    elif parsed.journal and parsed.outlet_kind:
        base = slug(parsed.journal, 4, 28)
    elif parsed.title:
        base = slug(parsed.title, 4, 28)
    elif parsed.doi:
        base = "doi-" + slug(parsed.doi, 8, 30)
    elif parsed.pmid:
        base = f"pmid-{parsed.pmid}"
    else:
        base = slug(parsed.raw, 4, 28) or "source"
    return f"{base}-{year}" if year else base


def _host(url: str) -> str:
    try:
        return (urlsplit(url if "://" in url else f"https://{url}").hostname or "").lower()
    except ValueError:
        return ""


def _normalise_url(url: str) -> str:
    url = url.strip().rstrip("/").lower()
    return re.sub(r"^https?://(?:www\.)?", "", url)
