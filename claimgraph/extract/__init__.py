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
5. each sentence is classified (:mod:`.claims`; for a large draft, in worker processes too,
   as step 3 finds the sentences: :mod:`.workers`): check-worthy sentences become claims,
   with their sources (possibly none), their location and, for "studies show"-style
   attributions that cite nothing, an ``attribution`` field.

Ids are stable: the same draft always gives the same claim and source ids.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

from claimgraph.drafts import DRAFT_SUFFIXES, drafts_in
from claimgraph.errors import InputError
from claimgraph.extract.citations import Citation, find_citations, link_citation
from claimgraph.extract.markdown import parse_markdown
from claimgraph.extract.markers import marker_style, normalise_markers
from claimgraph.extract.merge import MergeResult, merge_into
from claimgraph.extract.reflists import (
    ReferenceEntry,
    ReferenceIndex,
    find_references,
    source_block_text,
)
from claimgraph.extract.scope import ScopedSentence, apply_scope
from claimgraph.extract.sentences import Sentence, split_sentences
from claimgraph.extract.sources import (
    SourceDraft,
    SourceRegistry,
    normalise_text,
    short_hash,
    slug,
)
from claimgraph.extract.text import Block, Document, parse_text
from claimgraph.extract.workers import SentenceFacts, SentenceJudge, sentence_pool, workers_for
from claimgraph.memory import gc_paused
from claimgraph.models import Claim, Location, Project, Source
from claimgraph.reading import read_input
from claimgraph.references import parse_reference

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
    data = read_input(path) if raw is None else raw
    text = decode_draft(data, name)
    if suffix in _MARKDOWN:
        return parse_markdown(text, name)
    if suffix in _HTML:
        # html5lib and BeautifulSoup load only for HTML drafts (~0.1 s of every other run)
        from claimgraph.extract.html import parse_html

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


# --------------------------------------------------------------------------- analysis


def _is_link_list_item(block: Block) -> bool:
    """A list item that is a link and little else: a link list, not a statement."""
    if block.kind != "item" or not block.links:
        return False
    linked = sum(link.end - link.start for link in block.links)
    return linked >= 0.6 * len(block.text)


def _may_be_a_claim(item: ScopedSentence) -> bool:
    """Not a "Source: ..." sentence, nor an item of a list of links."""
    return not (item.is_source or _is_link_list_item(item.block))


def _location(file: str, block: Block, offset: int) -> Location:
    line, column = block.locate(offset)
    return Location(file=file, line=max(1, line), column=max(1, column))


class _DocumentExtractor:
    def __init__(
        self,
        document: Document,
        stem: str,
        registry: SourceRegistry,
        pool: Executor | None = None,
        workers: int = 0,
    ) -> None:
        self.document = document
        self.pool, self.workers = pool, workers
        self.file = document.file
        self.stem = stem
        self.registry = registry
        self.index: ReferenceIndex = find_references(document)
        self.entry_sources: dict[str, str] = {}
        prose = [
            block
            for position, block in enumerate(document.blocks)
            if position not in self.index.reference_blocks and block.kind != "definition"
        ]
        labels = [label for entry in self.index.entries for label in entry.labels]
        self.markers = marker_style(
            prose, labels, written_numbers=not self.index.numbered_by_position
        )

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
        name = f"{self.stem}-ref-{slug(label.lstrip('^'), 4, 20) or short_hash(label)}"
        key = f"dangling:{self.file}:{label}"
        self.registry.dangling[key] = name
        return key

    def citation_sources(self, citation: Citation, block: Block) -> list[str]:
        location = _location(self.file, block, citation.start)
        kind = citation.kind
        if kind == "venue-year":
            entry = link_citation(citation, self.index)
            return [self.entry_source(entry)] if entry is not None else []
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
                identity = f"text:{normalise_text(surname)} {year}"
                base = f"{slug(surname, 3, 24)}-{year}"
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

    def sentences(self, judge: SentenceJudge) -> list[ScopedSentence]:
        """The sentences of the draft with the sources they cite; ``judge`` gets the candidates.

        Judging needs a sentence and whether it cites, not what it cites: the candidates
        go to ``judge`` (and its workers) first, then the citations are linked to sources,
        which parses the reference list's entries (see :attr:`ReferenceEntry.parsed`).
        """
        result: list[ScopedSentence] = []
        for position, block in enumerate(self.document.blocks):
            if position in self.index.reference_blocks or block.kind == "definition":
                continue
            block = normalise_markers(block, self.markers)  # noqa: PLW2901
            citations = find_citations(block)
            if block.kind == "heading":
                pieces = [Sentence(block.text, 0, len(block.text))]
            else:
                pieces = split_sentences(block.text)
            for sentence in pieces:
                own = [c for c in citations if sentence.start <= c.start < sentence.end]
                item = ScopedSentence(position, block, sentence, own)
                if block.kind != "heading" and sentence.start > 0:
                    item.is_source = source_block_text(sentence.text) is not None
                result.append(item)
                if _may_be_a_claim(item):
                    kind = "text-heading" if block.inferred else block.kind
                    judge.add(SentenceFacts(sentence.text, kind, bool(own)))
        for item in result:
            self.link(item)
        return result

    def link(self, item: ScopedSentence) -> None:
        """The sources a sentence cites: its citations', and its own if it names one."""
        block, sentence = item.block, item.sentence
        if item.is_source and (reference := source_block_text(sentence.text)) is not None:
            location = _location(self.file, block, sentence.start)
            parsed = parse_reference(reference)
            if not item.citations or parsed.looks_scholarly or parsed.outlet_kind:
                item.own_sources.append(self.registry.add_reference(parsed, location))
        for citation in item.citations:
            for source in self.citation_sources(citation, block):
                if source not in item.own_sources:
                    item.own_sources.append(source)

    # ----------------------------------------------------------------- claims

    def claims(self) -> list[tuple[Claim, list[str]]]:
        """Claims with their source identities (ids are assigned later)."""
        judge = SentenceJudge(self.stem, self.pool, self.workers)
        sentences = self.sentences(judge)
        standalone = {
            position: [self.entry_source(entry) for entry in entries]
            for position, entries in self.index.standalone.items()
        }
        apply_scope(self.document.blocks, sentences, standalone, self.index.reference_blocks)
        # reference list entries nobody cites are still sources of the draft
        for entry in self.index.entries:
            self.entry_source(entry)
        candidates = deque(item for item in sentences if _may_be_a_claim(item))
        del sentences  # each sentence is dropped once judged (a large draft's peak memory)
        result: list[tuple[Claim, list[str]]] = []
        seen: dict[str, int] = {}
        for plain, when_covered, text, base_id in judge.decisions():
            item = candidates.popleft()
            verdict = when_covered if item.inherited else plain
            if not verdict.checkworthy:
                logger.debug("not a claim (%s): %s", verdict.excluded, item.sentence.text)
                continue
            sources = item.own_sources or item.inherited
            count = seen.get(base_id, 0) + 1
            seen[base_id] = count
            identifier = f"{base_id}-{count}" if count > 1 else base_id
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


# --------------------------------------------------------------------------- entry points


def _stem_for(path: Path, used: dict[str, Path]) -> str:
    stem = slug(path.stem, 8, 40) or "draft"
    owner = used.get(stem)
    if owner is not None and owner != path:
        stem = f"{slug(path.parent.name, 3, 20) or 'draft'}-{stem}"
        base, number = stem, 2
        while stem in used and used[stem] != path:
            stem, number = f"{base}-{number}", number + 1
    used[stem] = path
    return stem


def _finish(
    claims: list[tuple[Claim, list[str]]], registry: SourceRegistry, file: str | None
) -> Project:
    """Give every source its id and put the ids on the claims."""
    bases: dict[str, list[SourceDraft]] = {}
    for draft in registry.sources.values():
        bases.setdefault(draft.base or "source", []).append(draft)
    for base, drafts in bases.items():
        if len(drafts) == 1:
            drafts[0].id = base
        else:
            for draft in drafts:
                draft.id = f"{base}-{short_hash(draft.identity, 4)}"
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


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # read_document says what is wrong


def extract_draft(path: Path, raw: bytes | None = None, *, jobs: int = 0) -> Project:
    """Claims and sources of one draft. Raises InputError for unreadable or non-UTF-8 input.

    ``jobs``: processes that judge the sentences (0: one per core for a large draft; see
    :mod:`claimgraph.extract.workers`).
    """
    path = Path(path)
    workers = workers_for(jobs, len(raw) if raw is not None else _size(path))
    with sentence_pool(workers) as pool, gc_paused():
        registry = SourceRegistry()
        document = read_document(path, raw)
        stem = _stem_for(path, {})
        claims = _DocumentExtractor(document, stem, registry, pool, workers).claims()
        return _finish(claims, registry, str(path))


def extract_paths(paths: Sequence[Path], *, jobs: int = 0) -> Project:
    """Claims and sources of several drafts or folders of drafts; ids unique across files.

    ``jobs`` as for :func:`extract_draft`, for the drafts' total size.
    """
    drafts = find_drafts([Path(p) for p in paths])
    registry = SourceRegistry()
    used: dict[str, Path] = {}
    claims: list[tuple[Claim, list[str]]] = []
    workers = workers_for(jobs, sum(_size(draft) for draft in drafts))
    with sentence_pool(workers) as pool:
        for draft in drafts:
            with gc_paused():
                document = read_document(draft)
                stem = _stem_for(draft, used)
                extractor = _DocumentExtractor(document, stem, registry, pool, workers)
                claims.extend(extractor.claims())
    # (each draft in its own pause: an HTML draft's parse tree is cyclic garbage to collect)
    with gc_paused():
        seen: dict[str, int] = {}
        for claim, _ in claims:
            count = seen.get(claim.id, 0) + 1
            seen[claim.id] = count
            if count > 1:
                claim.id = f"{claim.id}-{count}"
        file = str(drafts[0]) if len(drafts) == 1 else None
        return _finish(claims, registry, file)
