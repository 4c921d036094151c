"""Does a record describe the work a source cites? Field-by-field comparison.

Two questions, answered by :func:`compare`:

1. **Same work?** For a record reached through the source's own DOI/PMID the identifier is
   trusted unless the cited fields clearly describe another paper (a different title that
   nothing else corroborates, or several independent fields that disagree). A candidate from
   a free-text search must earn acceptance: a near-identical title backed by the author, year
   or journal, or (without a title) author, year, journal and volume/page all agreeing.
2. **Which details differ?** title, first author, year (more than one year apart: epub vs
   print years legitimately differ by one), journal (abbreviation vs full name allowed),
   volume and first page. Each disagreement is a :class:`FieldDifference`.

Thresholds (rapidfuzz scores, 0-100, on accent-free lower-case word sequences):

- ``TITLE_SAME`` 90: the same title up to punctuation, a dropped article, a spelling variant or
  a missing subtitle (token-set scoring when the shorter title has 4+ words; a cited title equal
  to the main title before the colon). Not reported.
- ``TITLE_SIMILAR`` 70: paraphrased or abbreviated; with an identifier this is still the work
  (reported as a title difference). Below it the title names something else.
- ``SEARCH_TITLE_ALONE`` 95: a search hit accepted on a title of 6+ words alone; shorter titles
  ("Vitamin D deficiency") need the author, year or journal to agree too. Between 90 and 95 one
  of those must agree; between 80 and 90 the author and the year (or journal) must.
- ``SURNAME_SPELLING`` 85: a surname this close is the same person misspelt (reported).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz

from claimgraph.identifiers import normalize_doi, normalize_pmcid, normalize_pmid
from claimgraph.models import Source
from claimgraph.records import Author, Record
from claimgraph.references import normalize_author as _normalize_author
from claimgraph.references import parse_reference
from claimgraph.resolvers.base import FieldDifference

__all__ = [
    "SEARCH_TITLE_ALONE",
    "SURNAME_SPELLING",
    "TITLE_SAME",
    "TITLE_SIMILAR",
    "CitedFields",
    "Comparison",
    "Verdict",
    "author_agreement",
    "compare",
    "journal_matches",
    "surname_of",
    "title_similarity",
]

TITLE_SAME = 90.0
TITLE_SIMILAR = 70.0
SEARCH_TITLE_ALONE = 95.0
SEARCH_TITLE_CORROBORATED = 80.0
#: words a title needs before it identifies a search hit on its own
SEARCH_TITLE_ALONE_WORDS = 6
SURNAME_SPELLING = 85.0
JOURNAL_FUZZY = 90.0
#: the shorter title needs this many words before a subset counts as a match
_SUBSET_MIN_WORDS = 4
#: a main title (before the colon) needs this many words to stand for the whole title
_MAIN_TITLE_MIN_WORDS = 2

FoundBy = Literal["identifier", "search"]


class Verdict(StrEnum):
    """How one field of the citation compares with the record."""

    MATCH = "match"
    NEAR = "near"  # year one off; surname misspelt
    MISMATCH = "mismatch"
    UNKNOWN = "unknown"  # not cited, or not in the record


# --------------------------------------------------------------------------- cited fields

#: a pure function called twice per comparison with the same name: remembered
normalize_author = lru_cache(maxsize=4096)(_normalize_author)


@dataclass(frozen=True, slots=True)
class CitedFields:
    """What the article says about the work: structured fields, gaps filled from ``citation``."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    journal: str | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    citation: str | None = None

    @classmethod
    def from_source(
        cls, source: Source, own: Mapping[str, str | None] | None = None
    ) -> CitedFields:
        """``own``: the source's own identifiers already normalised, by kind (see
        :func:`claimgraph.identifiers.source_identifiers`); the rest are normalised here."""
        parsed = parse_reference(source.citation) if source.citation else None
        authors = list(source.authors or [])
        if not authors and parsed is not None:
            authors = list(parsed.authors)

        def pick(name: str) -> str | None:
            value = getattr(source, name, None)
            if value is None and parsed is not None:
                value = getattr(parsed, name)
            text = str(value).strip() if value is not None else ""
            return text or None

        def identifier(name: str, normalize: Callable[[str], str | None]) -> str | None:
            written = getattr(source, name)
            if not written:
                return getattr(parsed, name) if parsed else None
            if own is not None and name in own:
                return own[name]
            return normalize(written)

        year = source.year if source.year is not None else (parsed.year if parsed else None)
        return cls(
            title=pick("title"),
            authors=tuple(a for a in authors if isinstance(a, str) and a.strip()),
            journal=pick("journal"),
            year=year,
            volume=pick("volume"),
            issue=pick("issue"),
            pages=pick("pages"),
            doi=identifier("doi", normalize_doi),
            pmid=identifier("pmid", normalize_pmid),
            pmcid=identifier("pmcid", normalize_pmcid),
            citation=source.citation,
        )

    @property
    def first_author(self) -> str | None:
        for name in self.authors:
            if normalize_author(name):
                return name
        return None

    @property
    def searchable(self) -> bool:
        """Enough to look the work up without an identifier."""
        return bool(self.title or self.citation or (self.journal and self.year))


# --------------------------------------------------------------------------- normalisation

_TAG = re.compile(r"<[^>]{0,200}>")


_NON_WORD = re.compile(r"[^\w]+|_")


@lru_cache(maxsize=16384)
def _fold(text: str) -> str:
    """Lower-case, accents removed, markup dropped, non-alphanumerics as single spaces.

    Remembered (a pure function: one comparison folds the same titles a dozen times, and a
    warm run of 20,000 sources compares 20,000 of them)."""
    text = html.unescape(_TAG.sub(" ", text))
    if not text.isascii():  # NFKD leaves ASCII as it is and it has no combining marks
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower().replace("&", " and ").replace("ß", "ss")
    return " ".join(_NON_WORD.sub(" ", text).split())


def title_similarity(cited: str, record: str) -> float:
    """0-100: word-order-insensitive similarity; a missing subtitle does not count against
    titles of four or more words."""
    a = _fold(cited.replace("[", " ").replace("]", " "))
    b = _fold(record.replace("[", " ").replace("]", " "))
    if not a or not b:
        return 0.0
    if a == b:  # the common case; every score below would be 100
        return 100.0
    score = fuzz.token_sort_ratio(a, b)
    if min(len(a.split()), len(b.split())) >= _SUBSET_MIN_WORDS:
        score = max(score, fuzz.token_set_ratio(a, b))
    # a title cited without its subtitle ("Giant intrathoracic schwannoma" for "Giant
    # intrathoracic schwannoma: a case report")
    for short, full in ((a, record), (b, cited)):
        main = _fold(full.split(":", 1)[0]) if ":" in full else ""
        if len(main.split()) >= _MAIN_TITLE_MIN_WORDS:
            score = max(score, fuzz.token_sort_ratio(short, main))
    return float(score)


def surname_of(name: str) -> str:
    """The surname in "Alonso-Navarro H", "H. Alonso-Navarro", "Alonso-Navarro, H.", ..."""
    normal = normalize_author(name) or name
    tokens = normal.split()
    if len(tokens) >= 2 and re.fullmatch(r"[A-Z]{1,4}", tokens[-1]):
        tokens = tokens[:-1]
    return " ".join(tokens)


def _surname_key(text: str) -> str:
    return _fold(text.replace("'", "").replace("\u2019", ""))


def author_agreement(cited: str, authors: Sequence[Author]) -> Verdict:
    """Whether the cited first author is the record's first author (accent/case-insensitive,
    hyphen = space, compound surnames matched by their parts)."""
    if not authors:
        return Verdict.UNKNOWN
    wanted = _surname_key(surname_of(cited))
    if not wanted:
        return Verdict.UNKNOWN
    first = _surname_key(authors[0].family)
    if not first:
        return Verdict.UNKNOWN
    if wanted == first:
        return Verdict.MATCH
    wanted_words, first_words = set(wanted.split()), set(first.split())
    if wanted_words <= first_words or first_words <= wanted_words:
        # "Navarro" for "Alonso-Navarro", "Bran" for "M. Bran", "van der Berg" for "Berg"
        return Verdict.MATCH
    if fuzz.ratio(wanted, first) >= SURNAME_SPELLING:
        return Verdict.NEAR
    return Verdict.MISMATCH


_JOURNAL_STOPWORDS = frozenset(
    ("the", "of", "and", "for", "in", "on", "de", "la", "le", "der", "und")
)


_PARENTHESES = re.compile(r"\([^)]*\)")
_SUBTITLE = re.compile(r"\s[:=]\s|\s/\s")
_PAGE_SPLIT = re.compile(r"\s*[-\u2010-\u2015,]\s*")
_NOT_DIGITS = re.compile(r"\D")


@lru_cache(maxsize=4096)
def _journal_words(name: str) -> tuple[str, ...]:
    # "Social justice (San Francisco, Calif.)", "J Clin Oncol : official journal of ..."
    name = _PARENTHESES.sub(" ", name)
    name = _SUBTITLE.split(name)[0]
    return tuple(w for w in _fold(name).split() if w not in _JOURNAL_STOPWORDS)


def _abbreviates(short: Sequence[str], full: Sequence[str]) -> bool:
    """ISO-style abbreviation: word for word, each short word starts like its full word and
    its letters appear in order ("Natl" for "National", "Neuropharmacol" for
    "Neuropharmacology")."""
    if len(short) != len(full) or not short:
        return False
    for abbrev, word in zip(short, full, strict=True):
        if abbrev[0] != word[0] or len(abbrev) > len(word):
            return False
        position = 0
        for char in abbrev:
            position = word.find(char, position)
            if position < 0:
                return False
            position += 1
    return True


def _initialism(short: Sequence[str], full: Sequence[str]) -> bool:
    """An initialism: BMJ for British Medical Journal, PNAS for Proceedings of the National..."""
    if len(short) != 1 or len(short[0]) < 3 or len(full) < 3:
        return False
    initials = "".join(word[0] for word in full)
    return initials == short[0] or (len(short[0]) >= 4 and initials.startswith(short[0]))


def journal_matches(cited: str, names: Iterable[str | None]) -> Verdict:
    """Whether the cited journal is one of the record's names (full title or abbreviation)."""
    cited_words = _journal_words(cited)
    candidates = [_journal_words(name) for name in names if name]
    candidates = [words for words in candidates if words]
    if not cited_words or not candidates:
        return Verdict.UNKNOWN
    if cited_words in candidates:  # any name matching is a match: the exact test first
        return Verdict.MATCH
    for words in candidates:
        if cited_words == words:
            return Verdict.MATCH
        if _abbreviates(cited_words, words) or _abbreviates(words, cited_words):
            return Verdict.MATCH
        if _initialism(cited_words, words) or _initialism(words, cited_words):
            return Verdict.MATCH
        if fuzz.token_sort_ratio(" ".join(cited_words), " ".join(words)) >= JOURNAL_FUZZY:
            return Verdict.MATCH
    return Verdict.MISMATCH


def _number_key(value: str) -> str:
    text = _fold(value)
    return text.lstrip("0") or text


def _first_page(pages: str) -> str:
    first = _PAGE_SPLIT.split(pages.strip(), maxsplit=1)[0]
    return _number_key(first.removeprefix("pp.").removeprefix("p."))


def _same_number(cited: str, record: str) -> bool:
    a, b = _number_key(cited), _number_key(record)
    if a == b:
        return True
    digits_a, digits_b = _NOT_DIGITS.sub("", a), _NOT_DIGITS.sub("", b)
    return bool(digits_a) and digits_a == digits_b


# --------------------------------------------------------------------------- comparison


@dataclass(frozen=True, slots=True)
class Comparison:
    """The outcome of comparing cited fields with one record."""

    same_work: bool
    differences: tuple[FieldDifference, ...] = ()
    title_score: float | None = None
    verdicts: tuple[tuple[str, Verdict], ...] = ()

    @property
    def exact(self) -> bool:
        return self.same_work and not self.differences

    def verdict(self, name: str) -> Verdict:
        return dict(self.verdicts).get(name, Verdict.UNKNOWN)


def _year_verdict(cited: int | None, record: int | None) -> Verdict:
    if cited is None or record is None:
        return Verdict.UNKNOWN
    gap = abs(cited - record)
    return Verdict.MATCH if gap == 0 else Verdict.NEAR if gap == 1 else Verdict.MISMATCH


def _agrees(verdict: Verdict) -> bool:
    return verdict in {Verdict.MATCH, Verdict.NEAR}


def compare(cited: CitedFields, record: Record, *, found_by: FoundBy = "identifier") -> Comparison:
    """Compare what the article cites with a record; see the module docstring for the rules."""
    differences: list[FieldDifference] = []
    title_score: float | None = None
    title = Verdict.UNKNOWN
    if cited.title and record.title:
        title_score = title_similarity(cited.title, record.title)
        title = (
            Verdict.MATCH
            if title_score >= TITLE_SAME
            else Verdict.NEAR
            if title_score >= TITLE_SIMILAR
            else Verdict.MISMATCH
        )
        if title is not Verdict.MATCH:
            differences.append(
                FieldDifference(field="title", cited=cited.title, record=record.title)
            )

    author = Verdict.UNKNOWN
    first_author = cited.first_author
    if first_author and record.authors:
        author = author_agreement(first_author, record.authors)
        if author in {Verdict.NEAR, Verdict.MISMATCH}:
            differences.append(
                FieldDifference(
                    field="first_author", cited=first_author, record=record.authors[0].short()
                )
            )

    year = _year_verdict(cited.year, record.year)
    if year is Verdict.MISMATCH:
        differences.append(
            FieldDifference(field="year", cited=str(cited.year), record=str(record.year))
        )

    journal = Verdict.UNKNOWN
    if cited.journal:
        journal = journal_matches(cited.journal, (record.journal, record.journal_abbrev))
        if journal is Verdict.MISMATCH:
            shown = record.journal or record.journal_abbrev or ""
            differences.append(FieldDifference(field="journal", cited=cited.journal, record=shown))

    volume = Verdict.UNKNOWN
    if cited.volume and record.volume:
        volume = Verdict.MATCH if _same_number(cited.volume, record.volume) else Verdict.MISMATCH
        if volume is Verdict.MISMATCH:
            differences.append(
                FieldDifference(field="volume", cited=cited.volume, record=record.volume)
            )

    pages = Verdict.UNKNOWN
    if cited.pages and record.pages:
        same = _first_page(cited.pages) == _first_page(record.pages)
        pages = Verdict.MATCH if same else Verdict.MISMATCH
        if not same:
            differences.append(
                FieldDifference(field="pages", cited=cited.pages, record=record.pages)
            )

    verdicts = (
        ("title", title),
        ("first_author", author),
        ("year", year),
        ("journal", journal),
        ("volume", volume),
        ("pages", pages),
    )
    if found_by == "identifier":
        same_work = _same_work_by_identifier(
            title=title, author=author, year=year, journal=journal, volume=volume, pages=pages
        )
    else:
        words = len(_fold(cited.title).split()) if cited.title else 0
        same_work = _accept_search_hit(
            title_score=title_score,
            title_words=words,
            author=author,
            year=year,
            journal=journal,
            volume=volume,
            pages=pages,
        )
    return Comparison(
        same_work=same_work,
        differences=tuple(differences),
        title_score=title_score,
        verdicts=verdicts,
    )


def _same_work_by_identifier(
    *,
    title: Verdict,
    author: Verdict,
    year: Verdict,
    journal: Verdict,
    volume: Verdict,
    pages: Verdict,
) -> bool:
    """The identifier is trusted unless the citation clearly describes another work."""
    if title in {Verdict.MATCH, Verdict.NEAR}:
        return True
    placement = journal is Verdict.MATCH or volume is Verdict.MATCH or pages is Verdict.MATCH
    if title is Verdict.MISMATCH:
        # a different title is the same work only if author, year and placement all agree
        return _agrees(author) and _agrees(year) and placement
    # no title to compare: two or more independent disagreements outweighing the agreements
    others = (author, year, journal, volume, pages)
    disagree = sum(v is Verdict.MISMATCH for v in others)
    agree = sum(_agrees(v) for v in others)
    return not (disagree >= 2 and disagree > agree)


def _accept_search_hit(
    *,
    title_score: float | None,
    title_words: int,
    author: Verdict,
    year: Verdict,
    journal: Verdict,
    volume: Verdict,
    pages: Verdict,
) -> bool:
    """A search candidate is the cited work only when the fields verify it."""
    if author is Verdict.MISMATCH:
        return False
    corroborated = _agrees(author) or _agrees(year) or journal is Verdict.MATCH
    if title_score is not None:
        if title_score >= SEARCH_TITLE_ALONE:
            # a short title ("Vitamin D deficiency") is shared by many papers
            return corroborated or title_words >= SEARCH_TITLE_ALONE_WORDS
        if title_score >= TITLE_SAME:
            return corroborated
        if title_score >= SEARCH_TITLE_CORROBORATED:
            return _agrees(author) and (_agrees(year) or journal is Verdict.MATCH)
        return False
    # no title (a structured ECitMatch hit): everything cited must line up
    return (
        _agrees(year)
        and journal is Verdict.MATCH
        and (volume is Verdict.MATCH or pages is Verdict.MATCH)
        and volume is not Verdict.MISMATCH
        and pages is not Verdict.MISMATCH
    )
