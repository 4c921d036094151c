"""Evidence levels for one source (``evidence-levels.md``).

Order of evidence used, best first: the resolved record's PubMed publication types and MeSH,
its Crossref type, the publication types declared on the source, the declared ``kind``, and
title/abstract wording as a fallback. Animals without Humans (or in-vitro MeSH) caps the level
at ``preclinical``; a preprint is graded one level down.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from claimgraph.levels import Evidence
from claimgraph.models import Source
from claimgraph.records import Record

# ---------------------------------------------------------------- publication types (NLM)

_PUBLICATION_TYPES: dict[str, Evidence] = {}


def _register(level: Evidence, names: Iterable[str]) -> None:
    for name in names:
        _PUBLICATION_TYPES[name.lower()] = level


_register(
    Evidence.GUIDELINE,
    [
        "Practice Guideline",
        "Guideline",
        "Consensus Development Conference",
        "Consensus Development Conference, NIH",
    ],
)
_register(
    Evidence.SYSTEMATIC_REVIEW, ["Systematic Review", "Meta-Analysis", "Network Meta-Analysis"]
)
_register(
    Evidence.RCT,
    [
        "Randomized Controlled Trial",
        "Pragmatic Clinical Trial",
        "Equivalence Trial",
        "Adaptive Clinical Trial",
        "Clinical Trial, Phase III",
        "Clinical Trial, Phase IV",
    ],
)
_register(
    Evidence.OBSERVATIONAL,
    [
        "Controlled Clinical Trial",
        "Clinical Trial",
        "Clinical Trial, Phase I",
        "Clinical Trial, Phase II",
        "Observational Study",
        "Twin Study",
        "Clinical Study",
    ],
)
_register(Evidence.REVIEW, ["Review"])
_register(Evidence.CASE_REPORT, ["Case Reports", "Personal Narrative", "Interview"])
_register(
    Evidence.OPINION,
    [
        "Editorial",
        "Comment",
        "Letter",
        "News",
        "Newspaper Article",
        "Scoping Review",
        "Lecture",
        "Address",
        "Introductory Journal Article",
        "Patient Education Handout",
        "Interactive Tutorial",
        "Webcast",
        "Video-Audio Media",
        "Congress",
        "Clinical Conference",
        "Biography",
        "Autobiography",
        "Historical Article",
        "Classical Article",
        "Portrait",
        "Festschrift",
        "Bibliography",
        "Dictionary",
        "Directory",
        "Periodical Index",
        "Collected Work",
        "Books and Documents",
        "Legal Case",
        "Legislation",
        "Government Publication",
        "Technical Report",
    ],
)
_register(
    Evidence.PRECLINICAL,
    [
        "Randomized Controlled Trial, Veterinary",
        "Clinical Trial, Veterinary",
        "Observational Study, Veterinary",
    ],
)

#: MeSH study-design descriptors (not publication types) that imply a design
_MESH_DESIGNS: dict[str, Evidence] = {
    "random allocation": Evidence.RCT,
    "cohort studies": Evidence.OBSERVATIONAL,
    "prospective studies": Evidence.OBSERVATIONAL,
    "longitudinal studies": Evidence.OBSERVATIONAL,
    "follow-up studies": Evidence.OBSERVATIONAL,
    "case-control studies": Evidence.OBSERVATIONAL,
    "retrospective studies": Evidence.OBSERVATIONAL,
    "cross-sectional studies": Evidence.OBSERVATIONAL,
}

_IN_VITRO_MESH = {
    "in vitro",
    "in vitro techniques",
    "cells, cultured",
    "cell line",
    "cell line, tumor",
}

# ------------------------------------------------------------------ declared kinds

#: kinds that are scholarly works worth looking up (when they carry enough to look up)
SCHOLARLY_KINDS = frozenset(
    {
        "journal-article",
        "article",
        "review",
        "systematic-review",
        "meta-analysis",
        "clinical-trial",
        "rct",
        "case-report",
        "preprint",
        "posted-content",
        "proceedings-article",
        "conference-paper",
        "book-chapter",
        "dissertation",
        "report",
        "guideline",
    }
)

_KIND_LEVELS: dict[str, Evidence] = {
    "guideline": Evidence.GUIDELINE,
    "government": Evidence.GUIDELINE,
    "position-statement": Evidence.GUIDELINE,
    "systematic-review": Evidence.SYSTEMATIC_REVIEW,
    "meta-analysis": Evidence.SYSTEMATIC_REVIEW,
    "rct": Evidence.RCT,
    "clinical-trial": Evidence.OBSERVATIONAL,
    "review": Evidence.REVIEW,
    "book": Evidence.REVIEW,
    "textbook": Evidence.REVIEW,
    "reference-work": Evidence.REVIEW,
    "case-report": Evidence.CASE_REPORT,
    "editorial": Evidence.OPINION,
    "letter": Evidence.OPINION,
    "comment": Evidence.OPINION,
    "press-release": Evidence.OPINION,
    "magazine": Evidence.ANECDOTAL,
    "newspaper": Evidence.ANECDOTAL,
    "news": Evidence.ANECDOTAL,
    "blog": Evidence.ANECDOTAL,
    "website": Evidence.ANECDOTAL,
    "web-page": Evidence.ANECDOTAL,
    "webpage": Evidence.ANECDOTAL,
    "social-media": Evidence.ANECDOTAL,
    "forum": Evidence.ANECDOTAL,
    "podcast": Evidence.ANECDOTAL,
    "video": Evidence.ANECDOTAL,
    "shop": Evidence.ANECDOTAL,
    "product-page": Evidence.ANECDOTAL,
    "testimonial": Evidence.ANECDOTAL,
    "personal-communication": Evidence.ANECDOTAL,
    "personal-experience": Evidence.ANECDOTAL,
}

#: kinds that are not scholarly works: not looked up unless they carry a DOI/PMID/PMCID
NON_SCHOLARLY_KINDS = frozenset(
    {
        "book",
        "textbook",
        "reference-work",
        "government",
        "position-statement",
        "press-release",
        "magazine",
        "newspaper",
        "news",
        "blog",
        "website",
        "web-page",
        "webpage",
        "social-media",
        "forum",
        "podcast",
        "video",
        "shop",
        "product-page",
        "testimonial",
        "personal-communication",
        "personal-experience",
    }
)

#: Crossref work types that say something about design
_CROSSREF_TYPES: dict[str, Evidence] = {
    "book": Evidence.REVIEW,
    "monograph": Evidence.REVIEW,
    "reference-book": Evidence.REVIEW,
    "reference-entry": Evidence.REVIEW,
    "edited-book": Evidence.REVIEW,
    "book-chapter": Evidence.REVIEW,
    "peer-review": Evidence.OPINION,
}

# ------------------------------------------------------------------ wording fallback

_TEXT_RULES: list[tuple[re.Pattern[str], Evidence]] = [
    (
        re.compile(
            r"\b(practice guidelines?|clinical guidelines?|consensus statement|position statement)\b",
            re.I,
        ),
        Evidence.GUIDELINE,
    ),
    (
        re.compile(r"\b(systematic review|meta-?analys[ie]s|umbrella review)\b", re.I),
        Evidence.SYSTEMATIC_REVIEW,
    ),
    (re.compile(r"\b(randomi[sz]ed|placebo[- ]controlled|double[- ]blind)\b", re.I), Evidence.RCT),
    (
        re.compile(
            r"\b(cohort|case[- ]control|cross[- ]sectional|prospective study|longitudinal study|observational study)\b",
            re.I,
        ),
        Evidence.OBSERVATIONAL,
    ),
    (
        re.compile(
            r"\b(in vitro|cell cultures?|cell lines?|mice|murine|rats?|rodents?|zebrafish|animal model)\b",
            re.I,
        ),
        Evidence.PRECLINICAL,
    ),
    (
        re.compile(
            r"\b(case reports?|case study|case series|we report a (?:case|patient)|an? \d{1,3}-year-old)\b",
            re.I,
        ),
        Evidence.CASE_REPORT,
    ),
    (
        re.compile(
            r"\b(my (?:own )?(?:clinical )?experiences?|personal experiences?|personal view|editorial|commentary|opinion)\b",
            re.I,
        ),
        Evidence.OPINION,
    ),
    (
        re.compile(
            r"\b(narrative review|a review|review of the literature|literature review|overview)\b",
            re.I,
        ),
        Evidence.REVIEW,
    ),
]


_TEXT_ANY = re.compile(
    "|".join(f"(?P<r{i}>{pattern.pattern})" for i, (pattern, _) in enumerate(_TEXT_RULES)),
    re.IGNORECASE,
)


#: every text rule needs one of these substrings (lower case): a cheap gate before the regex
_TEXT_HINTS = (
    "guideline", "consensus", "position statement", "systematic", "meta", "umbrella",
    "random", "placebo", "blind", "cohort", "control", "sectional", "prospective",
    "longitudinal", "observational", "vitro", "cell", "mice", "mouse", "murine", "rat",
    "rodent", "zebrafish", "animal", "case", "we report", "year-old", "experience", "personal view",
    "editorial", "commentary", "opinion", "review", "overview",
)  # fmt: skip


_TEXT_GATE = re.compile("|".join(map(re.escape, _TEXT_HINTS)))


def level_from_text(*texts: str | None) -> Evidence | None:
    """A level guessed from title/abstract wording, or None when nothing matches."""
    joined = " ".join(text for text in texts if text)
    if not joined:
        return None
    if _TEXT_GATE.search(joined.lower()) is None:
        return None
    found = [
        _TEXT_RULES[int(match.lastgroup[1:])][1]
        for match in _TEXT_ANY.finditer(joined)
        if match.lastgroup is not None
    ]
    if not found:
        return None
    # "in vitro"/animal wording caps a design: a randomised study in mice is preclinical
    if Evidence.PRECLINICAL in found:
        return Evidence.PRECLINICAL
    return min(found, key=lambda level: level.rank)


def level_from_publication_types(publication_types: Iterable[str]) -> Evidence | None:
    """The strongest design among NLM publication types; None when none carries design."""
    levels = [
        _PUBLICATION_TYPES[pt.lower()]
        for pt in publication_types
        if pt.lower() in _PUBLICATION_TYPES
    ]
    design = [level for level in levels if level is not Evidence.PRECLINICAL]
    if design:
        return min(design, key=lambda level: level.rank)
    return Evidence.PRECLINICAL if levels else None


def _is_preclinical_mesh(mesh: Iterable[str]) -> bool:
    names = {name.lower() for name in mesh}
    if names & _IN_VITRO_MESH and "humans" not in names:
        return True
    # absence of Humans alone is not evidence of an animal study (check-tag decline since 2022)
    return "animals" in names and "humans" not in names


def _record_design(record: Record) -> Evidence | None:
    """The design a record's structured data states: publication types, MeSH, Crossref type."""
    level = level_from_publication_types(record.publication_types)
    if level is None:
        designs = [
            _MESH_DESIGNS[name.lower()] for name in record.mesh if name.lower() in _MESH_DESIGNS
        ]
        level = min(designs, key=lambda lv: lv.rank) if designs else None
    if level is None and record.crossref_type:
        level = _CROSSREF_TYPES.get(record.crossref_type)
    return level


def _capped(level: Evidence, record: Record) -> Evidence:
    """Animal or in-vitro MeSH caps a level at preclinical; a preprint is one level down."""
    if _is_preclinical_mesh(record.mesh) and (
        level.rank < Evidence.PRECLINICAL.rank or level is Evidence.UNKNOWN
    ):
        level = Evidence.PRECLINICAL
    is_preprint = record.crossref_type == "posted-content" or any(
        pt.lower() == "preprint" for pt in record.publication_types
    )
    return downgrade(level) if is_preprint else level


def grade_record(record: Record) -> Evidence:
    """Grade a resolved record: its structured design first, its wording as a fallback."""
    level = _record_design(record) or level_from_text(record.title, record.abstract)
    return _capped(level or Evidence.UNKNOWN, record)


def downgrade(level: Evidence) -> Evidence:
    """One level weaker, but never into the anecdotal tier or ``unknown`` from outside it."""
    if level.rank >= Evidence.PRECLINICAL.rank:
        return level
    return list(Evidence)[level.rank + 1]


@functools.lru_cache(maxsize=1024)
def normalize_kind(kind: str | None) -> str | None:
    if kind is None:
        return None
    return kind.strip().lower().replace("_", "-").replace(" ", "-") or None


def _declared_design(source: Source) -> Evidence | None:
    """The design the author declared: publication types, or a kind that names a design."""
    if source.publication_types:
        level = level_from_publication_types(source.publication_types)
        if level is not None:
            return level
    kind = normalize_kind(source.kind)
    if kind in NON_SCHOLARLY_KINDS or kind in _DESIGN_KINDS:
        return _KIND_LEVELS[kind or ""]
    return None


#: scholarly kinds that name a design ("review", "rct"): wording never overrides them
_DESIGN_KINDS = frozenset(kind for kind in SCHOLARLY_KINDS if kind in _KIND_LEVELS)


def grade_declared(source: Source) -> Evidence:
    """Grade a source from what the author declared (no record).

    Declared publication types and kinds come first; a generic scholarly kind
    ("journal-article") is sharpened by its wording ("case report" in the title).
    """
    declared = _declared_design(source)
    if declared is not None:
        return declared
    from_text = level_from_text(source.title, source.citation)
    if from_text is not None:
        return from_text
    return _KIND_LEVELS.get(normalize_kind(source.kind) or "", Evidence.UNKNOWN)


def grade(source: Source, record: Record | None) -> Evidence:
    """The evidence level of one source.

    Structured data first (the record's publication types, MeSH and Crossref type, then the
    publication types and kind the author declared), title and abstract wording only as a
    fallback: a review whose title says "personal experience" is a review.
    """
    if record is None:
        return grade_declared(source)
    level = _record_design(record)
    if level is None:
        kind = normalize_kind(source.kind)
        declared = _declared_design(source)
        # a web page that resolved to a record is graded by the record, not its kind
        if declared is not None and kind not in NON_SCHOLARLY_KINDS:
            level = declared
    if level is None:
        level = level_from_text(record.title, record.abstract)
    if level is None:
        level = grade_declared(source)
    return _capped(level, record)


def has_identifier(source: Source) -> bool:
    return bool(source.doi or source.pmid or source.pmcid)


def is_checkable(source: Source) -> bool:
    """Whether PubMed/Crossref can say anything about this source.

    A DOI, PMID or PMCID is always checked. Otherwise popular and grey kinds (magazine, blog,
    web page, government page, book, ...) are ``not_checkable`` and graded by kind; anything
    scholarly or undeclared with a citation, a title or a scholarly-looking URL is looked up.
    """
    if has_identifier(source):
        return True
    kind = normalize_kind(source.kind)
    if kind in NON_SCHOLARLY_KINDS:
        return False
    if kind is not None and kind not in SCHOLARLY_KINDS:
        # an unknown declared kind ("podcast-episode") is treated as not scholarly
        return False
    return bool(source.citation or source.title)
