"""Find citations in a draft and link them to the references they point to.

Two halves:

* **References** (:func:`find_references`): reference lists under a "References" /
  "Sources" / "Bibliography" / "Notes" heading (numbered or not), Markdown footnote and link
  definitions (``[^1]: ...``, ``[1]: ...``), HTML list items with ids (``<li id="ref-1">``),
  and the loose source blocks health sites write ("Source: <title>, <outlet>, <year>",
  "Authors: ... Published: ..."). Each becomes a :class:`ReferenceEntry` with its parsed
  fields.
* **Citations** (:func:`find_citations`): what a sentence uses to point at a source: links
  (doi.org, PubMed, PMC, journal pages, any outside page), bare DOIs / PMIDs / PMCIDs / URLs,
  numbered markers ``[1]`` ``[1-3]`` ``[1, 4]``, footnotes ``[^1]``, author-year citations
  ("Smith et al., 2019", "(Smith and Lee 2019)", "Smith (2019)") and parenthetical sources
  ("(Source: Healthline)"). :func:`link_citation` turns each into the reference it names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from claimgraph import identifiers
from claimgraph.extract.text import Block, Document
from claimgraph.references import ParsedReference, parse_reference

__all__ = [
    "Citation",
    "ReferenceEntry",
    "ReferenceIndex",
    "find_citations",
    "find_references",
    "is_reference_heading",
    "source_block_text",
]

# --------------------------------------------------------------------------- references

_REFERENCE_HEADING_RE = re.compile(
    r"^\s*(?:\d+\.?\s*)?(?:references?|sources?(?:\s+(?:and|&)\s+further\s+reading)?|"
    r"bibliography|works\s+cited|literature(?:\s+cited)?|citations?|cited\s+works|"
    r"(?:end)?notes|footnotes|further\s+reading|reading\s+list|studies\s+cited|"
    r"research\s+cited|resources\s+and\s+references|key\s+references|selected\s+references|"
    r"further\s+information|more\s+information|useful\s+(?:links|resources)|resources)"
    r"\s*:?\s*$",
    re.I,
)
#: a block that is a source and nothing else: "Source: ...", "Authors: ... Published: ..."
_SOURCE_LABEL_RE = re.compile(
    r"^\s*[\(\[]?\s*(?P<label>sources?|references?|citations?|cited\s+from|study|"
    r"original\s+(?:study|research|article)|research|authors?|published(?:\s+in)?|via|"
    r"credits?|data\s+(?:from|source)|adapted\s+from|based\s+on)\s*[:\-–—]\s*",
    re.I,
)
#: a sentence that sends the reader somewhere else; it ends a source block
_NAVIGATION_TAIL_RE = re.compile(
    r"\b(?:you can (?:read|find|see|view)|read (?:the )?(?:full|more|article)|click here|"
    r"view (?:the )?(?:full|article|study)|full (?:text|article) (?:here|available)|"
    r"learn more)\b",
    re.I,
)
#: page furniture that can follow a reference list: not references
_NOT_A_REFERENCE_RE = re.compile(
    r"©|\bcopyright\b|all rights reserved|privacy policy|terms of (?:use|service)|\bcookies?\b|"
    r"\bsubscribe\b|\bnewsletter\b|back to top|share this|sign up|follow us|more health news",
    re.I,
)
_NUMBERED_ENTRY_RE = re.compile(
    r"^\s*(?:\[(?P<a>\d{1,4})\]|(?P<b>\d{1,4})[.)]|\^(?P<c>\d{1,4}))\s+"
)
_YEAR_RE = re.compile(r"\b(?:1[89]\d\d|20\d\d)[a-z]?\b")


def is_reference_heading(text: str) -> bool:
    """True for "References", "Sources:", "Bibliography", "Notes" and the like."""
    return bool(_REFERENCE_HEADING_RE.match(text))


def _fold(text: str) -> str:
    """Lower-case ASCII form used to compare surnames and titles."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


@dataclass(slots=True)
class ReferenceEntry:
    """One reference the draft lists or states, with where it is written."""

    #: unique within the document: "num:3", "fn:^2", "def:smith", "id:ref-1", "block:12:1"
    key: str
    text: str
    parsed: ParsedReference
    line: int
    column: int
    #: numbers and labels citations may use to point at it ("3", "^2", "smith")
    labels: list[str] = field(default_factory=list)
    element_id: str | None = None
    #: index of the block it comes from
    block_index: int = -1
    #: a loose "Source: ..." block in the running text (not a reference list)
    standalone: bool = False

    @property
    def first_author_key(self) -> str | None:
        if not self.parsed.authors:
            return None
        surname = re.split(r"[\s,]", self.parsed.authors[0].strip())[0]
        return _fold(surname) or None


@dataclass(slots=True)
class _Lookup:
    size: int
    labels: dict[str, ReferenceEntry] = field(default_factory=dict)
    ids: dict[str, ReferenceEntry] = field(default_factory=dict)
    author_year: dict[tuple[str, str], list[ReferenceEntry]] = field(default_factory=dict)
    #: year -> (folded text, entry), for "Smith (2019)" against differently spelled lists
    years: dict[str, list[tuple[str, ReferenceEntry]]] = field(default_factory=dict)


@dataclass(slots=True)
class ReferenceIndex:
    """All references of one document, and the blocks that hold them."""

    entries: list[ReferenceEntry] = field(default_factory=list)
    #: indexes of blocks that are reference-list content or headings (not prose)
    reference_blocks: set[int] = field(default_factory=set)
    #: block index -> entries of a standalone source block at that index
    standalone: dict[int, list[ReferenceEntry]] = field(default_factory=dict)
    has_list: bool = False
    _cache: _Lookup | None = field(default=None, repr=False)

    def _lookup(self) -> _Lookup:
        """Label, element-id, author-year and year lookups, rebuilt when entries change."""
        if self._cache is None or self._cache.size != len(self.entries):
            lookup = _Lookup(len(self.entries))
            for entry in self.entries:
                for label in entry.labels:
                    lookup.labels.setdefault(label, entry)
                if entry.element_id:
                    lookup.ids.setdefault(entry.element_id, entry)
                if entry.standalone or entry.parsed.year is None:
                    continue
                year = str(entry.parsed.year)
                lookup.years.setdefault(year, []).append((_fold(entry.text), entry))
                key = entry.first_author_key
                if key:
                    lookup.author_year.setdefault((key, year), []).append(entry)
            self._cache = lookup
        return self._cache

    def by_label(self, label: str) -> ReferenceEntry | None:
        return self._lookup().labels.get(label)

    def by_element_id(self, element_id: str) -> ReferenceEntry | None:
        return self._lookup().ids.get(element_id)

    def by_author_year(
        self, surname: str, year: str, second: str | None = None
    ) -> ReferenceEntry | None:
        folded = _fold(surname)
        lookup = self._lookup()
        matches = list(lookup.author_year.get((folded, year[:4]), []))
        if len(matches) > 1 and len(year) == 5:
            # "2019a" / "2019b": the letter is the order in the list
            position = ord(year[4]) - ord("a")
            lettered = [e for e in matches if re.search(rf"\b{year}\b", e.text)]
            if lettered:
                return lettered[0]
            if 0 <= position < len(matches):
                return matches[position]
        if len(matches) > 1 and second:
            second_folded = _fold(second)
            for entry in matches:
                if any(_fold(a).startswith(second_folded) for a in entry.parsed.authors[1:]):
                    return entry
        if matches:
            return matches[0]
        # "Smith (2019)" with a reference list that spells authors differently
        start = re.compile(rf"\W*{re.escape(folded)}\b")
        for text, entry in lookup.years.get(year[:4], []):
            if start.match(text):
                return entry
        return None


def source_block_text(text: str) -> str | None:
    """The reference text of a standalone source block, or None if ``text`` is not one."""
    match = _SOURCE_LABEL_RE.match(text)
    if match is None:
        return None
    label = match.group("label").lower()
    rest = text[match.end() :].strip()
    if not rest:
        return None
    if label.startswith(("study", "research", "original", "data", "adapted", "based")):
        # "Research: <reference>" is a source only when it reads like one
        parsed = parse_reference(rest)
        if not (parsed.looks_scholarly or parsed.outlet_kind or parsed.url):
            return None
    navigation = _NAVIGATION_TAIL_RE.search(rest)
    if navigation and navigation.start() > 0:
        rest = rest[: navigation.start()].rstrip()
    text_out = text[: match.end()].strip(" ([") + " " + rest if label.startswith("auth") else rest
    return text_out.strip().rstrip(")]").strip() or None


def _split_lines(block: Block) -> list[tuple[str, int, int]]:
    """Split a block at its source line starts: (text, line, column) per line."""
    pieces: list[tuple[str, int, int]] = []
    starts = [(0, block.line, block.column)]
    last_line = block.line
    for offset, line, column in block.anchors:
        if line != last_line and offset > 0:
            starts.append((offset, line, column))
            last_line = line
    for index, (offset, line, column) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(block.text)
        piece = block.text[offset:end].strip()
        if piece:
            pieces.append((piece, line, column))
    return pieces


def _entry_pieces(block: Block) -> list[tuple[str, int, int]]:
    """A reference-list block as one entry, or one entry per line when each line is one."""
    lines = _split_lines(block)
    if len(lines) >= 2 and sum(1 for text, _, _ in lines if _YEAR_RE.search(text)) >= 2:
        return lines
    return [(block.text, block.line, block.column)]


def find_references(document: Document) -> ReferenceIndex:
    """Every reference list entry, definition and standalone source block of a document."""
    index = ReferenceIndex()
    in_list_level: int | None = None
    # list items that in-page links point at ("#fn1", "#ref-3") are notes or references
    targets = {
        link.href[1:]
        for block in document.blocks
        for link in block.links
        if link.href.startswith("#") and len(link.href) > 1
    }
    for position, block in enumerate(document.blocks):
        if block.kind == "heading" or is_reference_heading(block.text):
            if is_reference_heading(block.text):
                in_list_level = block.level or 1
                index.reference_blocks.add(position)
                index.has_list = True
                continue
            if in_list_level is not None and (block.level or 1) <= in_list_level:
                in_list_level = None
            elif in_list_level is None:
                continue
        if block.kind == "definition":
            index.reference_blocks.add(position)
            _add_definition(index, block, position)
            continue
        if in_list_level is not None or (
            block.element_id in targets and block.kind in {"item", "paragraph"}
        ):
            index.reference_blocks.add(position)
            for piece, (text, line, column) in enumerate(_entry_pieces(block)):
                # a list item's number belongs to its first line only
                label = block.label if piece == 0 else None
                _add_list_entry(index, block, position, text, (line, column), label, piece == 0)
            continue
        numbered = _NUMBERED_ENTRY_RE.match(block.text)
        if numbered and block.kind == "paragraph" and block.text.startswith(("[", "^")):
            parsed = parse_reference(block.text[numbered.end() :])
            if parsed.looks_scholarly or parsed.has_identifier:
                index.reference_blocks.add(position)
                _add_list_entry(
                    index,
                    block,
                    position,
                    block.text,
                    (block.line, block.column),
                    block.label,
                    True,
                )
                continue
        source_text = source_block_text(block.text)
        if source_text is not None and block.kind != "heading":
            index.reference_blocks.add(position)
            entries = [
                _standalone_entry(block, position, part) for part in _split_source_list(source_text)
            ]
            index.standalone[position] = entries
            index.entries.extend(entries)
    return index


def _split_source_list(text: str) -> list[str]:
    """ "Sources: A; B" -> ["A", "B"] when both parts read as references."""
    parts = [part.strip() for part in re.split(r"\s*;\s+(?=[A-Z\"'“])", text) if part.strip()]
    if len(parts) >= 2 and all(
        parse_reference(part).year or parse_reference(part).url for part in parts
    ):
        return parts
    return [text]


def _standalone_entry(block: Block, position: int, text: str) -> ReferenceEntry:
    return ReferenceEntry(
        key=f"block:{block.line}:{block.column}:{_fold(text)[:30]}",
        text=text,
        parsed=parse_reference(text),
        line=block.line,
        column=block.column,
        block_index=position,
        standalone=True,
    )


def _add_definition(index: ReferenceIndex, block: Block, position: int) -> None:
    label = block.label or ""
    entry = ReferenceEntry(
        key=f"def:{label}",
        text=block.text,
        parsed=parse_reference(block.text),
        line=block.line,
        column=block.column,
        labels=[label],
        block_index=position,
    )
    if label.isdigit():
        index.has_list = True
    index.entries.append(entry)


def _add_list_entry(
    index: ReferenceIndex,
    block: Block,
    position: int,
    text: str,
    where: tuple[int, int],
    label: str | None,
    first: bool,
) -> None:
    line, column = where
    labels: list[str] = []
    numbered = _NUMBERED_ENTRY_RE.match(text)
    if numbered:
        labels.append(numbered.group("a") or numbered.group("b") or numbered.group("c"))
        text = text[numbered.end() :]
    elif label and label.isdigit():
        labels.append(label)
    if block.element_id and first:
        digits = re.search(r"(\d{1,4})$", block.element_id)
        if digits and not labels:
            labels.append(str(int(digits.group(1))))
    text = text.strip()
    if not text or (not labels and _NOT_A_REFERENCE_RE.search(text)):
        return
    key = f"num:{labels[0]}" if labels else f"list:{line}:{column}"
    if any(entry.key == key for entry in index.entries):
        key = f"{key}@{line}:{column}"
    index.entries.append(
        ReferenceEntry(
            key=key,
            text=text,
            parsed=parse_reference(text),
            line=line,
            column=column,
            labels=labels,
            element_id=block.element_id,
            block_index=position,
        )
    )


# --------------------------------------------------------------------------- citations


@dataclass(slots=True)
class Citation:
    """A pointer to a source found in a block's text: [start, end) offsets and its target."""

    #: link | doi | pmid | pmcid | url | numbered | footnote | author-year | inline-source
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
_HAS_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_SUPERSCRIPT_RE = re.compile(r"(?<=[\w.,;)\]])[¹²³⁴⁵⁶⁷⁸⁹⁰]+(?:[,⁻–-][¹²³⁴⁵⁶⁷⁸⁹⁰]+)*")
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"'\]]+", re.I)
_INLINE_SOURCE_RE = re.compile(
    r"[(\[]\s*(?:source|sources|via|ref|reference|from|study)\s*:\s*(?P<ref>[^)\]]{3,300})[)\]]",
    re.I,
)
_NAME = r"(?:(?:van|von|de|der|den|da|di|du|del|la|le|Mc|Mac|O')\s?)*[A-Z][\w'’-]+"
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
    return _fold(word).strip(".") not in _NOT_NAMES


def find_citations(block: Block) -> list[Citation]:
    """Every citation in a block's text, in text order."""
    text = block.text
    found: list[Citation] = []
    taken: list[tuple[int, int]] = []

    def add(citation: Citation) -> None:
        found.append(citation)
        taken.append((citation.start, citation.end))

    # cheap substring tests first: most sentences cite nothing
    lowered = text.lower()
    if "[" in text:
        for match in _NUMBERED_RE.finditer(text):
            for number in _expand_numbers(match.group("body")):
                add(Citation("numbered", match.start(), match.end(), number, match.group(0), True))
        for match in _FOOTNOTE_RE.finditer(text):
            label = "^" + match.group("label")
            add(Citation("footnote", match.start(), match.end(), label, match.group(0), True))
    if _HAS_SUPERSCRIPT.search(text):
        for match in _SUPERSCRIPT_RE.finditer(text):
            body = match.group(0).translate(_SUPERSCRIPT).replace("⁻", "-")
            for number in _expand_numbers(body):
                add(Citation("numbered", match.start(), match.end(), number, match.group(0), True))
    for link in block.links:
        if _overlaps(link.start, link.end, taken) and not link.href.startswith(("http", "www")):
            continue
        citation = _link_citation(link.href, link.start, link.end, link.text)
        if citation is not None:
            add(citation)
    if ":" in text:
        for match in _INLINE_SOURCE_RE.finditer(text):
            if not _overlaps(match.start(), match.end(), taken):
                ref = match.group("ref").strip()
                add(Citation("inline-source", match.start(), match.end(), ref, match.group(0)))
    if _HAS_YEAR.search(text):
        _find_author_year(text, found, taken)
    _find_bare_identifiers(text, lowered, found, taken)
    found.sort(key=lambda c: (c.start, c.end))
    return found


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


def _find_author_year(text: str, found: list[Citation], taken: list[tuple[int, int]]) -> None:
    for paren in _PAREN_RE.finditer(text):
        if _overlaps(paren.start(), paren.end(), taken):
            continue
        body = paren.group("body")
        if not _YEAR_RE.search(body):
            continue
        items = [item.strip() for item in re.split(r"\s*;\s*", body) if item.strip()]
        matched = [_PAREN_ITEM_RE.match(item) for item in items]
        good = [m for m in matched if m is not None and _is_name(m.group("first"))]
        if not good or len(good) != len(items):
            continue
        for item in good:
            value = f"{item.group('first')}|{item.group('year')}|{_second(item)}"
            found.append(Citation("author-year", paren.start(), paren.end(), value, paren.group(0)))
        taken.append((paren.start(), paren.end()))
    for match in _NARRATIVE_RE.finditer(text):
        if _overlaps(match.start(), match.end(), taken) or not _is_name(match.group("first")):
            continue
        value = f"{match.group('first')}|{match.group('year')}|{_second(match)}"
        found.append(Citation("author-year", match.start(), match.end(), value, match.group(0)))
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
    if citation.kind == "author-year":
        surname, year, second = citation.value.split("|")
        return index.by_author_year(surname, year, second or None)
    return None
