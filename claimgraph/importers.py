"""Import references from a reference manager (Zotero & co.) into ``sources.json`` entries.

Three formats, each read by a well-kept parser library that stays behind this module:

* BibTeX / BibLaTeX (``.bib``) with ``bibtexparser`` 1.x;
* RIS (``.ris``) with ``rispy``;
* CSL-JSON (``.json``), the citation-processor format, with the standard library.

Each reference becomes a dict with the ``sources.json`` fields: ``id`` (the citation key,
RIS ``ID`` or CSL ``id``; derived as ``surname-year`` when there is none), ``kind`` (from the
entry type), ``title``, ``authors`` ("Surname Initials"), ``journal``, ``year``, ``volume``,
``issue``, ``pages``, ``doi`` (normalised), ``pmid`` and ``pmcid`` (from their own fields or
a ``PMID: ...`` line in a note, as Zotero writes them) and ``url``. Empty fields are left out.

:func:`claimgraph.source_merge.merge_sources` merges them into an existing ``sources.json``.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from claimgraph.errors import InputError
from claimgraph.identifiers import (
    identifier_from_url,
    normalize_doi,
    normalize_pmcid,
    normalize_pmid,
)
from claimgraph.models import read_json
from claimgraph.reading import read_input
from claimgraph.records import Author
from claimgraph.years import is_plausible_year

logger = logging.getLogger(__name__)

#: the sources.json fields an import fills, in the order they are written
FIELDS = (
    "id",
    "kind",
    "title",
    "authors",
    "journal",
    "year",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "pmcid",
    "url",
)

SUFFIXES = {".bib": "bibtex", ".bibtex": "bibtex", ".ris": "ris", ".json": "csl-json"}

_PMID_IN_NOTE = re.compile(r"\bPMID\s*:\s*([0-9]{1,9})\b", re.IGNORECASE)
_PMCID_IN_NOTE = re.compile(r"\bPMCID\s*:\s*(PMC[0-9]{1,9})\b", re.IGNORECASE)
_INITIALS = re.compile(r"^(.+) ([A-Z]{1,4})$")  # "van der Berg JP"
_YEAR = re.compile(r"(?<![0-9])([12][0-9]{3})(?![0-9])")


# ----------------------------------------------------------------------------- shared


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = unicodedata.normalize("NFC", " ".join(str(value).split()))
    return text or None


def _plausible_year(value: Any) -> int | None:
    match = _YEAR.search(str(value)) if value is not None else None
    if not match:
        return None
    year = int(match.group(1))
    return year if is_plausible_year(year) else None


def _pages(first: Any, last: Any = None) -> str | None:
    text = _clean(first)
    if text is None:
        return None
    text = re.sub(r"\s*(?:--|[-–—])\s*", "-", text)
    end = _clean(last)
    if end and "-" not in text and end != text:
        text = f"{text}-{end}"
    return text


def author_name(family: str | None, given: str | None = None) -> str | None:
    """ "Surname Initials", as PubMed writes authors: ("Jiménez-Jiménez", "Félix Javier")."""
    family = _clean(family)
    given = _clean(given)
    if family is None:
        return given
    if given:
        given = given.replace(".", ". ")  # "F.J." has two initials
    return Author(family=family, given=given).short()


def _identifiers_from_notes(notes: Iterable[str | None]) -> dict[str, str]:
    found: dict[str, str] = {}
    for note in notes:
        if not note:
            continue
        if "pmid" not in found and (match := _PMID_IN_NOTE.search(note)):
            found["pmid"] = match.group(1)
        if "pmcid" not in found and (match := _PMCID_IN_NOTE.search(note)):
            found["pmcid"] = match.group(1)
    return found


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _usable_id(value: Any) -> str | None:
    """A citation key / CSL id fit for sources.json (not a URI such as Zotero's item URIs)."""
    if isinstance(value, bool) or value is None:
        return None
    text = str(value).strip()
    if not text or "://" in text or any(char.isspace() for char in text):
        return None
    return text


def _source(
    *,
    key: Any,
    kind: str | None,
    title: Any,
    authors: list[str],
    journal: Any,
    year: Any,
    volume: Any,
    issue: Any,
    pages: str | None,
    doi: Any,
    pmid: Any,
    pmcid: Any,
    url: Any,
) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": _usable_id(key)}
    url_text = _clean(url)
    from_url = identifier_from_url(url_text) if url_text else None
    doi_text = _clean(doi) or (from_url[1] if from_url and from_url[0] == "doi" else None)
    pmid_text = _clean(pmid) or (from_url[1] if from_url and from_url[0] == "pmid" else None)
    pmcid_text = _clean(pmcid) or (from_url[1] if from_url and from_url[0] == "pmcid" else None)
    entry.update(
        kind=kind,
        title=_clean(title),
        authors=[a for a in authors if a] or None,
        journal=_clean(journal),
        year=_plausible_year(year),
        volume=_clean(volume),
        issue=_clean(issue),
        pages=pages,
        # an identifier that does not normalise is kept as written: the audit reports it
        doi=(normalize_doi(doi_text) or doi_text) if doi_text else None,
        pmid=(normalize_pmid(pmid_text) or pmid_text) if pmid_text else None,
        pmcid=(normalize_pmcid(pmcid_text) or pmcid_text) if pmcid_text else None,
        # a doi.org link says no more than the DOI itself
        url=None if from_url and from_url[0] == "doi" and doi_text == from_url[1] else url_text,
    )
    return {name: entry[name] for name in FIELDS if entry.get(name) not in (None, "", [])}


def _with_ids(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give entries without a usable key a ``surname-year`` id (unique within the import)."""
    taken = {entry["id"] for entry in entries if "id" in entry}
    result: list[dict[str, Any]] = []
    for entry in entries:
        if "id" not in entry:
            first = entry["authors"][0] if entry.get("authors") else ""
            initials = _INITIALS.match(first)
            surname = initials.group(1) if initials else first
            words = [
                slug(surname),
                str(entry.get("year", "")),
            ]
            base = "-".join(w for w in words if w) or slug(entry.get("title", ""))[:40] or "ref"
            candidate, n = base, 1
            while candidate in taken:
                n += 1
                candidate = f"{base}-{n}"
            taken.add(candidate)
            result.append({"id": candidate, **entry})
        else:
            result.append(entry)
    return result


def _read_text(path: Path) -> str:
    raw = read_input(path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            "not UTF-8 text", file=str(path), line=line, hint="export the file as UTF-8"
        ) from None


# ----------------------------------------------------------------------------- BibTeX

_BIB_KINDS = {
    "article": "journal-article",
    "book": "book",
    "booklet": "book",
    "mvbook": "book",
    "inbook": "book-chapter",
    "incollection": "book-chapter",
    "inreference": "reference-work",
    "inproceedings": "conference-paper",
    "conference": "conference-paper",
    "phdthesis": "dissertation",
    "mastersthesis": "dissertation",
    "thesis": "dissertation",
    "techreport": "report",
    "report": "report",
    "online": "website",
    "electronic": "website",
    "www": "website",
}
#: BibLaTeX ``entrysubtype`` of an ``@article``
_BIB_SUBTYPES = {"magazine": "magazine", "newspaper": "newspaper"}
_BIB_ENTRY_START = re.compile(r"^[ \t]*@[ \t]*(\w+)[ \t]*[{(][ \t]*([^,\s]*)", re.MULTILINE)
_BIB_NOT_ENTRIES = {"string", "comment", "preamble"}


def _split_bib_names(text: str) -> list[str]:
    """Split an author list on ``and`` outside braces ("{Barnes and Noble}" is one name)."""
    names: list[str] = []
    depth = 0
    start = 0
    lowered = text.lower()
    i = 0
    while i < len(text):
        char = text[i]
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif depth == 0 and lowered.startswith(" and ", i):
            names.append(text[start:i])
            i += 5
            start = i
            continue
        i += 1
    names.append(text[start:])
    return [name.strip() for name in names if name.strip()]


def _bib_author(name: str, to_text: Callable[[str], str]) -> str | None:
    from bibtexparser.customization import InvalidName, splitname

    if name.startswith("{") and name.endswith("}") and name.count("{") == 1:
        return _clean(to_text(name))  # {World Health Organization}: a corporate author
    try:
        parts = splitname(name, strict_mode=False)
    except InvalidName:
        return _clean(to_text(name))
    family = " ".join(parts["von"] + parts["last"])
    given = " ".join(parts["first"])
    return author_name(to_text(family), to_text(given) if given else None)


def parse_bibtex(text: str, name: str = "<bibtex>") -> list[dict[str, Any]]:
    """BibTeX / BibLaTeX entries as sources.json dicts."""
    import bibtexparser
    from bibtexparser.bparser import BibTexParser
    from bibtexparser.latexenc import latex_to_unicode

    def to_text(value: str) -> str:
        text: str = latex_to_unicode(value)
        return text.replace("{", "").replace("}", "")

    parser = BibTexParser(common_strings=True, ignore_nonstandard_types=False)
    try:
        database = bibtexparser.loads(text, parser=parser)
    except Exception as exc:  # the library raises pyparsing and other errors
        raise InputError(f"cannot read as BibTeX: {exc}", file=name) from exc
    entries = database.entries
    starts = [
        (m.group(2), text.count("\n", 0, m.start()) + 1)
        for m in _BIB_ENTRY_START.finditer(text)
        if m.group(1).lower() not in _BIB_NOT_ENTRIES
    ]
    read = {entry.get("ID") for entry in entries}
    lost = [(key, line) for key, line in starts if key not in read]
    if lost:
        key, line = lost[0]
        more = f" (and {len(lost) - 1} more)" if len(lost) > 1 else ""
        raise InputError(
            f"could not read the entry {key!r}{more}",
            file=name,
            line=line,
            hint="check its braces, quotes and commas",
        )
    sources: list[dict[str, Any]] = []
    for entry in entries:
        fields = {k.lower(): v for k, v in entry.items()}

        def field(*names: str, fields: Mapping[str, str] = fields) -> str | None:
            for key in names:
                if fields.get(key):
                    return to_text(fields[key])
            return None

        entry_type = fields.get("entrytype", "").lower()
        kind = _BIB_KINDS.get(entry_type)
        if entry_type == "article":
            kind = _BIB_SUBTYPES.get(fields.get("entrysubtype", "").lower(), kind)
        elif entry_type == "misc" and fields.get("url") and not fields.get("journal"):
            kind = "website"
        notes = [field("note"), field("annote"), field("annotation"), field("extra")]
        from_notes = _identifiers_from_notes(notes)
        eprint_pmid = (
            field("eprint") if (fields.get("eprinttype", "").lower() == "pubmed") else None
        )
        sources.append(
            _source(
                key=entry.get("ID"),
                kind=kind,
                title=field("title"),
                authors=[
                    author
                    for raw in _split_bib_names(fields.get("author", "").replace("\n", " "))
                    if (author := _bib_author(raw, to_text))
                ],
                journal=field("journal", "journaltitle", "booktitle"),
                year=field("year", "date"),
                volume=field("volume"),
                issue=field("number", "issue"),
                pages=_pages(field("pages")),
                doi=field("doi"),
                pmid=field("pmid") or eprint_pmid or from_notes.get("pmid"),
                pmcid=field("pmcid") or from_notes.get("pmcid"),
                url=field("url"),
            )
        )
    return sources


# ----------------------------------------------------------------------------- RIS

_RIS_KINDS = {
    "JOUR": "journal-article",
    "EJOUR": "journal-article",
    "JFULL": "journal-article",
    "ABST": "journal-article",
    "INPR": "journal-article",
    "MGZN": "magazine",
    "NEWS": "newspaper",
    "BLOG": "blog",
    "ELEC": "website",
    "WEB": "website",
    "BOOK": "book",
    "EBOOK": "book",
    "EDBOOK": "book",
    "CHAP": "book-chapter",
    "ECHAP": "book-chapter",
    "ENCYC": "reference-work",
    "DICT": "reference-work",
    "RPRT": "report",
    "THES": "dissertation",
    "CONF": "conference-paper",
    "CPAPER": "conference-paper",
    "PCOMM": "personal-communication",
    "GOVDOC": "government",
    "UNPB": "preprint",
}
_RIS_RECORD_START = re.compile(r"^TY  - ", re.MULTILINE)


def _ris_author(name: str) -> str | None:
    if "," in name:
        family, _, given = name.partition(",")
        return author_name(family, given.split(",")[0] or None)
    return author_name(name)


def parse_ris(text: str, name: str = "<ris>") -> list[dict[str, Any]]:
    """RIS records as sources.json dicts."""
    import rispy

    try:
        records = rispy.loads(text)
    except Exception as exc:  # the library raises IOError, ValueError and others
        raise InputError(f"cannot read as RIS: {exc}", file=name) from exc
    starts = [text.count("\n", 0, m.start()) + 1 for m in _RIS_RECORD_START.finditer(text)]
    if len(records) < len(starts):
        raise InputError(
            f"{len(starts) - len(records)} of {len(starts)} records could not be read",
            file=name,
            line=starts[len(records)],
            hint='every record runs from "TY  - " to "ER  - "',
        )
    sources: list[dict[str, Any]] = []
    for record in records:

        def first(*keys: str, record: Mapping[str, Any] = record) -> str | None:
            for key in keys:
                value = record.get(key)
                if isinstance(value, list):
                    value = next((v for v in value if v), None)
                if value:
                    return str(value)
            return None

        notes = [str(note) for note in record.get("notes", []) if note]
        notes += [str(record[key]) for key in ("note", "custom2") if record.get(key)]
        from_notes = _identifiers_from_notes(notes)
        accession = first("accession_number")
        database = (first("name_of_database", "database_provider") or "").lower()
        pmid = from_notes.get("pmid")
        if pmid is None and accession and "pubmed" in database:
            pmid = accession
        authors = record.get("authors") or record.get("first_authors") or []
        sources.append(
            _source(
                key=record.get("id"),
                kind=_RIS_KINDS.get(str(record.get("type_of_reference", "")).upper()),
                title=first("title", "primary_title"),
                authors=[a for name in authors if (a := _ris_author(str(name)))],
                journal=first(
                    "journal_name", "secondary_title", "alternate_title3", "alternate_title2"
                ),
                year=first("year", "publication_year", "date"),
                volume=first("volume"),
                issue=first("number"),
                pages=_pages(first("start_page"), first("end_page")),
                doi=first("doi"),
                pmid=pmid,
                pmcid=from_notes.get("pmcid"),
                url=first("urls"),
            )
        )
    return sources


# ----------------------------------------------------------------------------- CSL-JSON

_CSL_KINDS = {
    "article-journal": "journal-article",
    "article-magazine": "magazine",
    "article-newspaper": "newspaper",
    "post-weblog": "blog",
    "webpage": "website",
    "post": "social-media",
    "book": "book",
    "chapter": "book-chapter",
    "entry-encyclopedia": "reference-work",
    "entry-dictionary": "reference-work",
    "report": "report",
    "thesis": "dissertation",
    "paper-conference": "conference-paper",
    "personal_communication": "personal-communication",
    "article": "preprint",
    "legislation": "government",
    "regulation": "government",
    "motion_picture": "video",
    "broadcast": "video",
}


def _csl_author(person: Any, name: str, where: str) -> str | None:
    if not isinstance(person, Mapping):
        return None
    literal, family, given, particle = (
        _csl_text(person, key, name, where)
        for key in ("literal", "family", "given", "non-dropping-particle")
    )
    if literal:
        return _clean(literal)
    family = " ".join(str(part) for part in (particle, family) if part)
    return author_name(family or None, str(given) if given else None)


def _csl_year(issued: Any) -> Any:
    if isinstance(issued, Mapping):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            return parts[0][0]
        return issued.get("raw") or issued.get("literal")
    return issued


#: CSL-JSON variables read as text: a string (or a number, for the numeric ones), never a list
_CSL_TEXT = ["title", "container-title", "container-title-short", "volume", "issue", "page",
             "DOI", "PMID", "pmid", "PMCID", "URL", "note"]  # fmt: skip
_CSL_HINT = "export CSL JSON from your reference manager (a list of items with id and type)"


def _csl_text(item: Mapping[str, Any], key: str, name: str, where: str) -> Any:
    """A CSL text variable: a string or number, or a list of exactly one (some exporters
    wrap every string in a list, as Crossref's API does); anything else is an error."""
    value = item.get(key)
    if isinstance(value, list) and len(value) == 1:
        value = value[0]  # ["Title"]: one value, no doubt which
    if value is None or (isinstance(value, str | int | float) and not isinstance(value, bool)):
        return value
    shape = f"a list of {len(value)}" if isinstance(value, list) else type(value).__name__
    raise InputError(
        f"{key} must be text in CSL JSON, not {shape}",
        file=name,
        path=f"{where}.{key}",
        hint="keep one value" if isinstance(value, list) else _CSL_HINT,
    )


def _csl_item(item: Any, name: str, where: str) -> Mapping[str, Any]:
    """``item`` when it is a CSL-JSON item (an object with a "type"), else an InputError."""
    if not isinstance(item, Mapping):
        raise InputError("expected a CSL-JSON item (an object)", file=name, path=where)
    if not isinstance(item.get("type"), str):
        raise InputError(
            'not CSL JSON: an item needs a "type" (article-journal, book, webpage, ...)',
            file=name,
            path=where,
            hint=_CSL_HINT,
        )
    if not isinstance(item.get("author", []), list):
        raise InputError("author must be a list in CSL JSON", file=name, path=f"{where}.author")
    return item


def _csl_authors(people: list[Any], name: str, where: str) -> list[str]:
    authors = (_csl_author(person, name, f"{where}[{i}]") for i, person in enumerate(people))
    return [author for author in authors if author]


def parse_csl_json(data: Any, name: str = "<csl-json>") -> list[dict[str, Any]]:
    """CSL-JSON items (a list, or one item) as sources.json dicts. Raises InputError for
    JSON that is not CSL (no item "type", a list where CSL has text)."""
    items = [_csl_item(data, name, "$")] if isinstance(data, Mapping) else data
    if not isinstance(items, list):
        raise InputError("expected a CSL-JSON list of items", file=name, path="$")
    sources: list[dict[str, Any]] = []
    for index, raw in enumerate(items):
        where = "$" if isinstance(data, Mapping) else f"$[{index}]"
        item = _csl_item(raw, name, where)
        text = {key: _csl_text(item, key, name, where) for key in _CSL_TEXT}
        notes = [str(text["note"])] if text["note"] else []
        from_notes = _identifiers_from_notes(notes)
        sources.append(
            _source(
                key=item.get("id") if isinstance(item.get("id"), str | int) else None,
                kind=_CSL_KINDS.get(str(item["type"])),
                title=text["title"],
                authors=_csl_authors(item.get("author", []), name, f"{where}.author"),
                journal=text["container-title"] or text["container-title-short"],
                year=_csl_year(item.get("issued")),
                volume=text["volume"],
                issue=text["issue"],
                pages=_pages(text["page"]),
                doi=text["DOI"],
                pmid=text["PMID"] or text["pmid"] or from_notes.get("pmid"),
                pmcid=text["PMCID"] or from_notes.get("pmcid"),
                url=text["URL"],
            )
        )
    return sources


# ----------------------------------------------------------------------------- entry points


def import_references(path: str | Path) -> list[dict[str, Any]]:
    """Read a BibTeX, RIS or CSL-JSON file into sources.json entries. Raises InputError."""
    file = Path(path)
    kind = SUFFIXES.get(file.suffix.lower())
    if kind is None:
        raise InputError(
            f"cannot import {file.suffix or 'a file without an extension'}",
            file=str(file),
            hint="export BibTeX (.bib), RIS (.ris) or CSL JSON (.json) from your reference manager",
        )
    if kind == "csl-json":
        entries = parse_csl_json(read_json(file), str(file))
    elif kind == "bibtex":
        entries = parse_bibtex(_read_text(file), str(file))
    else:
        entries = parse_ris(_read_text(file), str(file))
    if not entries:
        raise InputError(
            f"no references found (expected {kind})",
            file=str(file),
            hint="export the references again from your reference manager",
        )
    logger.info("%s: %d references", file, len(entries))
    return _with_ids(entries)
