"""Audit article drafts directly: find the claims and citations in Markdown, HTML and text.

Public entry points:

* :func:`extract_draft` - one draft (``.md``, ``.markdown``, ``.html``, ``.htm``, ``.txt``)
  to a :class:`~claimgraph.models.Project` of claims and sources;
* :func:`extract_paths` - several drafts or folders of drafts, ids unique across files;
* :func:`merge_into` - write or merge ``claims.json`` / ``sources.json`` in a folder
  (see :mod:`claimgraph.extract.merge`).

How a draft becomes claims:

1. the draft is decoded (UTF-8 only; anything else is an :class:`InputError` naming the
   byte offset and line) and read into blocks by the reader for its format;
2. reference lists, footnote/link definitions and loose "Source: ..." blocks are found
   (:mod:`.citations`);
3. every block is split into sentences (:mod:`.sentences`) and the citations in each
   sentence are linked to sources;
4. citations that stand for more than their sentence are spread: a citation at the end of
   a paragraph covers the paragraph's uncited claims; a source block after paragraphs covers
   them back to the previous source block or section start; a source block (or a cited
   heading) at the start of a section covers the section;
5. each sentence is classified (:mod:`.claims`): check-worthy sentences become claims, with
   their sources (possibly none), their location and, for "studies show"-style attributions
   that cite nothing, an ``attribution`` field.

Ids are stable: the same draft always gives the same claim and source ids.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from claimgraph.drafts import DRAFT_SUFFIXES, drafts_in
from claimgraph.errors import InputError
from claimgraph.extract.citations import (
    Citation,
    ReferenceEntry,
    ReferenceIndex,
    find_citations,
    find_references,
    link_citation,
    source_block_text,
)
from claimgraph.extract.claims import Verdict, classify_sentence, strip_markers
from claimgraph.extract.html import parse_html
from claimgraph.extract.markdown import parse_markdown
from claimgraph.extract.merge import MergeResult, merge_into
from claimgraph.extract.sentences import Sentence, split_sentences
from claimgraph.extract.text import Block, Document, parse_text
from claimgraph.memory import gc_paused
from claimgraph.models import Claim, Location, Project, Source
from claimgraph.references import ParsedReference, outlet_kind_of, parse_reference

__all__ = [
    "DRAFT_SUFFIXES",
    "MergeResult",
    "decode_draft",
    "extract_draft",
    "extract_paths",
    "find_drafts",
    "merge_into",
    "read_document",
]

logger = logging.getLogger(__name__)

_MARKDOWN = frozenset({".md", ".markdown"})
_HTML = frozenset({".html", ".htm"})


# --------------------------------------------------------------------------- reading


def decode_draft(raw: bytes, name: str) -> str:
    """UTF-8 text of a draft with newlines normalised; InputError for anything else."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            "the file is UTF-16 encoded, not UTF-8", file=name, line=1, hint="save it as UTF-8"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            file=name,
            line=line,
            column=column,
            hint="save the draft as UTF-8",
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise InputError(
            f"contains a NUL character at offset {nul}: this looks like a binary file",
            file=name,
            line=line,
            hint="pass a Markdown, HTML or plain-text draft",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", file=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", file=str(path)) from exc


def read_document(path: Path, raw: bytes | None = None) -> Document:
    """Decode and parse one draft into blocks, choosing the reader by file suffix."""
    name = str(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        raise InputError(
            "this is a JSON file, not an article draft",
            file=name,
            hint="pass claims.json/sources.json to `claimgraph check`, drafts to extract",
        )
    data = _read_bytes(path) if raw is None else raw
    text = decode_draft(data, name)
    if suffix in _MARKDOWN:
        return parse_markdown(text, name)
    if suffix in _HTML:
        return parse_html(text, name)
    return parse_text(text, name)


def find_drafts(paths: Sequence[Path]) -> list[Path]:
    """The draft files named by ``paths``; folders are searched recursively."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            drafts = drafts_in(path)
            if not drafts:
                raise InputError(
                    "no drafts in this folder",
                    file=str(path),
                    hint="drafts end in .md, .markdown, .html, .htm or .txt",
                )
            found.extend(drafts)
        elif path.exists():
            found.append(path)
        else:
            raise InputError("file not found", file=str(path))
    unique: list[Path] = []
    seen: set[Path] = set()
    for path in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


# --------------------------------------------------------------------------- ids


def _slug(text: str, words: int = 6, limit: int = 40) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    tokens = re.findall(r"[a-z0-9]+", folded.lower())
    slug = ""
    for token in tokens[:words]:
        candidate = f"{slug}-{token}" if slug else token
        if len(candidate) > limit:
            break
        slug = candidate
    return slug


def _short_hash(text: str, length: int = 6) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def _normalise_text(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().lower()


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
    content = [w for w in re.findall(r"[\w'’-]+", text) if w.lower() not in _STOPWORDS]
    slug = _slug(" ".join(content), words=5, limit=36) or "claim"
    return f"{stem}-{slug}-{_short_hash(_normalise_text(text))}"


# --------------------------------------------------------------------------- sources

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
class _SourceDraft:
    """A source being collected, before it gets its id."""

    identity: str
    fields: dict[str, Any]
    location: Location | None
    #: a readable base for the id ("smith-2019", "good-health-2014")
    base: str
    id: str = ""


@dataclass(slots=True)
class _Registry:
    """Sources of one extraction, deduplicated by identity (DOI, PMID, URL, citation text)."""

    sources: dict[str, _SourceDraft] = field(default_factory=dict)
    #: id placeholders for citations that point at nothing the draft defines
    dangling: dict[str, str] = field(default_factory=dict)

    def add(
        self, identity: str, fields: dict[str, Any], location: Location | None, base: str
    ) -> str:
        existing = self.sources.get(identity)
        if existing is None:
            self.sources[identity] = _SourceDraft(identity, dict(fields), location, base)
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
        return self.add(f"{kind}:{value.lower()}", fields, location, f"{kind}-{_slug(value, 8)}")

    def add_url(self, url: str, location: Location | None, text: str) -> str:
        normalised = _normalise_url(url)
        host = _host(url)
        fields: dict[str, Any] = {"url": url}
        if text.strip() and not text.strip().startswith(("http", "www", "[")):
            fields["citation"] = text.strip()
        if not _SCHOLARLY_HOSTS.search(host):
            kind = outlet_kind_of(host) or outlet_kind_of(url)
            fields["kind"] = kind if kind and kind != "book" else "website"
        base = _slug(re.sub(r"^www\.", "", host).rsplit(".", 1)[0], 4) or "link"
        path_slug = _slug(urlsplit(url).path if "://" in url else "", 4, 24)
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
    return "text:" + re.sub(r"[^a-z0-9]+", " ", _normalise_text(parsed.raw)).strip()


def _reference_base(parsed: ParsedReference) -> str:
    """A readable id base: "smith-2019", "institute-of-medicine-2005", "good-health-2014"."""
    year = str(parsed.year) if parsed.year else ""
    if parsed.authors and (parsed.looks_scholarly or parsed.outlet_kind != "magazine"):
        first = parsed.authors[0].strip()
        # a person ("Smith J") by surname, an organisation by its first words
        is_person = re.fullmatch(r"[\w'’-]+(?: [\w'’-]+)? [A-Z]{1,3}", first) is not None
        base = _slug(first.rsplit(" ", 1)[0] if is_person else first, 3, 28)
    elif parsed.journal and parsed.outlet_kind:
        base = _slug(parsed.journal, 4, 28)
    elif parsed.title:
        base = _slug(parsed.title, 4, 28)
    elif parsed.doi:
        base = "doi-" + _slug(parsed.doi, 8, 30)
    elif parsed.pmid:
        base = f"pmid-{parsed.pmid}"
    else:
        base = _slug(parsed.raw, 4, 28) or "source"
    return f"{base}-{year}" if year else base


def _host(url: str) -> str:
    try:
        return (urlsplit(url if "://" in url else f"https://{url}").hostname or "").lower()
    except ValueError:
        return ""


def _normalise_url(url: str) -> str:
    url = url.strip().rstrip("/").lower()
    return re.sub(r"^https?://(?:www\.)?", "", url)


# --------------------------------------------------------------------------- analysis


@dataclass(slots=True)
class _Sentence:
    block_index: int
    block: Block
    sentence: Sentence
    citations: list[Citation]
    own_sources: list[str] = field(default_factory=list)
    inherited: list[str] = field(default_factory=list)
    #: a "Source: ..." sentence inside a paragraph: a citation, not a claim
    is_source: bool = False


def _location(file: str, block: Block, offset: int) -> Location:
    line, column = block.locate(offset)
    return Location(file=file, line=max(1, line), column=max(1, column))


class _DocumentExtractor:
    def __init__(self, document: Document, stem: str, registry: _Registry) -> None:
        self.document = document
        self.file = document.file
        self.stem = stem
        self.registry = registry
        self.index: ReferenceIndex = find_references(document)
        self.entry_sources: dict[str, str] = {}

    # ----------------------------------------------------------------- sources

    def entry_source(self, entry: ReferenceEntry) -> str:
        known = self.entry_sources.get(entry.key)
        if known is not None:
            return known
        location = Location(file=self.file, line=entry.line, column=entry.column)
        identity = self.registry.add_reference(entry.parsed, location)
        self.entry_sources[entry.key] = identity
        return identity

    def dangling(self, label: str) -> str:
        name = f"{self.stem}-ref-{_slug(label.lstrip('^'), 4, 20) or _short_hash(label)}"
        key = f"dangling:{self.file}:{label}"
        self.registry.dangling[key] = name
        return key

    def citation_sources(self, citation: Citation, block: Block) -> list[str]:
        location = _location(self.file, block, citation.start)
        kind = citation.kind
        if kind in {"numbered", "footnote", "anchor", "author-year"}:
            entry = link_citation(citation, self.index)
            if entry is not None:
                return [self.entry_source(entry)]
            if kind == "anchor":
                return []
            if kind == "author-year":
                surname, year, second = citation.value.split("|")
                if self.index.has_list:
                    return [self.dangling(f"{surname}-{year}")]
                authors = [surname] + ([second] if second else [])
                fields: dict[str, Any] = {
                    "citation": citation.text.strip("() "),
                    "authors": authors,
                    "year": int(year[:4]),
                }
                identity = f"text:{_normalise_text(surname)} {year}"
                base = f"{_slug(surname, 3, 24)}-{year}"
                return [self.registry.add(identity, fields, location, base)]
            return [self.dangling(citation.value)]
        if kind in {"doi", "pmid", "pmcid"}:
            return [self.registry.add_identifier(kind, citation.value, location, citation.text)]
        if kind == "url":
            return [self.registry.add_url(citation.value, location, citation.text)]
        if kind == "inline-source":
            return [self.registry.add_reference(parse_reference(citation.value), location)]
        return []

    # ----------------------------------------------------------------- sentences

    def sentences(self) -> list[_Sentence]:
        result: list[_Sentence] = []
        for position, block in enumerate(self.document.blocks):
            if position in self.index.reference_blocks or block.kind == "definition":
                continue
            citations = find_citations(block)
            if block.kind == "heading":
                pieces = [Sentence(block.text, 0, len(block.text))]
            else:
                pieces = split_sentences(block.text)
            for sentence in pieces:
                own = [c for c in citations if sentence.start <= c.start < sentence.end]
                item = _Sentence(position, block, sentence, own)
                reference = source_block_text(sentence.text) if block.kind != "heading" else None
                if reference is not None and sentence.start > 0:
                    item.is_source = True
                    location = _location(self.file, block, sentence.start)
                    parsed = parse_reference(reference)
                    if not own or parsed.looks_scholarly or parsed.outlet_kind:
                        item.own_sources.append(self.registry.add_reference(parsed, location))
                for citation in own:
                    for source in self.citation_sources(citation, block):
                        if source not in item.own_sources:
                            item.own_sources.append(source)
                result.append(item)
        return result

    # ----------------------------------------------------------------- scopes

    def spread(self, sentences: list[_Sentence]) -> None:
        by_block: dict[int, list[_Sentence]] = {}
        for item in sentences:
            by_block.setdefault(item.block_index, []).append(item)
        # "The study also ...", "Participants ...": a sentence that goes on about the work
        # the previous sentence cited shares its citation
        for items in by_block.values():
            for previous, item in itertools.pairwise(items):
                if (
                    not item.own_sources
                    and previous.own_sources
                    and _CONTINUATION_RE.match(item.sentence.text)
                ):
                    _inherit(item, previous.own_sources)
        # a citation in the last sentence of a paragraph covers the paragraph
        for position, items in by_block.items():
            block = self.document.blocks[position]
            if block.kind == "heading" or not items:
                continue
            last = items[-1]
            if last.own_sources:
                for item in items[:-1]:
                    if not item.own_sources:
                        _inherit(item, last.own_sources)
        # a heading with a citation covers its section
        blocks = self.document.blocks
        for position, block in enumerate(blocks):
            if block.kind != "heading":
                continue
            heading_items = by_block.get(position, [])
            sources = [s for item in heading_items for s in item.own_sources]
            if not sources:
                continue
            for other in self._section(position):
                for item in by_block.get(other, []):
                    if not item.own_sources:
                        _inherit(item, sources)
        # standalone source blocks cover the blocks before them, or their section
        for position, entries in sorted(self.index.standalone.items()):
            sources = [self.entry_source(entry) for entry in entries]
            covered = self._before(position)
            if not any(by_block.get(p) for p in covered):
                covered = self._after(position)
            for other in covered:
                for item in by_block.get(other, []):
                    if not item.own_sources:
                        _inherit(item, sources)

    def _group_start(self, position: int) -> bool:
        block = self.document.blocks[position]
        return block.kind == "heading" or block.break_before

    def _before(self, position: int) -> list[int]:
        """Blocks before a source block, back to the previous source block or group start."""
        covered: list[int] = []
        if self.document.blocks[position].break_before:
            return covered
        index = position - 1
        while index >= 0:
            if index in self.index.standalone or self.document.blocks[index].kind == "heading":
                break
            if index not in self.index.reference_blocks:
                covered.append(index)
            if self.document.blocks[index].break_before:
                break
            index -= 1
        return covered

    def _after(self, position: int) -> list[int]:
        """Blocks after a source block that opens its section, to the section's end."""
        covered: list[int] = []
        index = position + 1
        blocks = self.document.blocks
        while index < len(blocks):
            if index in self.index.standalone or self._group_start(index):
                break
            if index not in self.index.reference_blocks:
                covered.append(index)
            index += 1
        return covered

    def _section(self, heading: int) -> list[int]:
        blocks = self.document.blocks
        level = blocks[heading].level or 1
        covered: list[int] = []
        index = heading + 1
        while index < len(blocks):
            block = blocks[index]
            if block.kind == "heading" and (block.level or 1) <= level:
                break
            if index not in self.index.reference_blocks:
                covered.append(index)
            index += 1
        return covered

    # ----------------------------------------------------------------- claims

    def claims(self) -> list[tuple[Claim, list[str]]]:
        """Claims with their source identities (ids are assigned later)."""
        sentences = self.sentences()
        self.spread(sentences)
        # reference list entries nobody cites are still sources of the draft
        for entry in self.index.entries:
            self.entry_source(entry)
        result: list[tuple[Claim, list[str]]] = []
        seen: dict[str, int] = {}
        for item in sentences:
            if item.is_source:
                continue
            verdict: Verdict = classify_sentence(
                item.sentence.text,
                kind=item.block.kind,
                has_citation=bool(item.citations),
                covered=bool(item.inherited),
            )
            if not verdict.checkworthy:
                logger.debug("not a claim (%s): %s", verdict.excluded, item.sentence.text)
                continue
            text = strip_markers(item.sentence.text)
            sources = item.own_sources or item.inherited
            identifier = claim_id(self.stem, text)
            count = seen.get(identifier, 0) + 1
            seen[identifier] = count
            if count > 1:
                identifier = f"{identifier}-{count}"
            extra: dict[str, Any] = {}
            if verdict.attribution and not sources:
                extra["attribution"] = verdict.attribution
            extra["reasons"] = list(verdict.reasons)
            claim = Claim(
                id=identifier,
                text=text,
                sources=[],
                location=_location(self.file, item.block, item.sentence.start),
                **extra,
            )
            result.append((claim, list(dict.fromkeys(sources))))
        return result


def _inherit(item: _Sentence, sources: list[str]) -> None:
    for source in sources:
        if source not in item.inherited:
            item.inherited.append(source)


_CONTINUATION_RE = re.compile(
    r"^\W*(?:the (?:same )?(?:study|trial|review|researchers|authors|team|analysis|"
    r"participants|results|findings)|this (?:study|trial|review|analysis|research)|"
    r"in (?:that|this|the same) (?:study|trial|review)|participants|those (?:who|in|taking)|"
    r"(?:they|it|researchers|the authors) (?:also|further|additionally)|"
    r"(?:people|adults|patients|subjects|volunteers|women|men) (?:in|on|taking|given) the)\b",
    re.I,
)


# --------------------------------------------------------------------------- entry points


def _stem_for(path: Path, used: dict[str, Path]) -> str:
    stem = _slug(path.stem, 8, 40) or "draft"
    owner = used.get(stem)
    if owner is not None and owner != path:
        stem = f"{_slug(path.parent.name, 3, 20) or 'draft'}-{stem}"
        base, number = stem, 2
        while stem in used and used[stem] != path:
            stem, number = f"{base}-{number}", number + 1
    used[stem] = path
    return stem


def _finish(
    claims: list[tuple[Claim, list[str]]], registry: _Registry, file: str | None
) -> Project:
    """Give every source its id and put the ids on the claims."""
    bases: dict[str, list[_SourceDraft]] = {}
    for draft in registry.sources.values():
        bases.setdefault(draft.base or "source", []).append(draft)
    for base, drafts in bases.items():
        if len(drafts) == 1:
            drafts[0].id = base
        else:
            for draft in drafts:
                draft.id = f"{base}-{_short_hash(draft.identity, 4)}"
    ids = {draft.identity: draft.id for draft in registry.sources.values()}
    taken = set(ids.values())
    for key, wanted in registry.dangling.items():
        name = wanted
        while name in taken:
            name = f"{name}-x"
        ids[key] = name
    sources = [
        Source(id=draft.id, location=draft.location, **draft.fields)
        for draft in registry.sources.values()
    ]
    result_claims: list[Claim] = []
    for claim, identities in claims:
        claim.sources = list(dict.fromkeys(ids[i] for i in identities if i in ids))
        result_claims.append(claim)
    # claims and sources come from the same draft: name it once
    return Project(claims=result_claims, sources=sources, claims_file=file, sources_file=None)


def extract_draft(path: Path, raw: bytes | None = None) -> Project:
    """Claims and sources of one draft. Raises InputError for unreadable or non-UTF-8 input."""
    path = Path(path)
    with gc_paused():
        registry = _Registry()
        document = read_document(path, raw)
        stem = _stem_for(path, {})
        claims = _DocumentExtractor(document, stem, registry).claims()
        return _finish(claims, registry, str(path))


def extract_paths(paths: Sequence[Path]) -> Project:
    """Claims and sources of several drafts or folders of drafts; ids unique across files."""
    drafts = find_drafts([Path(p) for p in paths])
    registry = _Registry()
    used: dict[str, Path] = {}
    claims: list[tuple[Claim, list[str]]] = []
    for draft in drafts:
        with gc_paused():
            document = read_document(draft)
            stem = _stem_for(draft, used)
            claims.extend(_DocumentExtractor(document, stem, registry).claims())
    seen: dict[str, int] = {}
    for claim, _ in claims:
        count = seen.get(claim.id, 0) + 1
        seen[claim.id] = count
        if count > 1:
            claim.id = f"{claim.id}-{count}"
    file = str(drafts[0]) if len(drafts) == 1 else None
    return _finish(claims, registry, file)
