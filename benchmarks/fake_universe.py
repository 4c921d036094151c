"""The synthetic universe of works behind :mod:`benchmarks.fake_services`, and how the fake
services render a work: PubmedArticle XML shaped like the recorded efetch responses, Crossref
work JSON and work lists.

Deterministic: the same PMID always gives the same record (title, authors, journal, year,
volume, pages, DOI), so a run and its re-run, or two processes, see the same universe.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

__all__ = [
    "DOI_PREFIX",
    "FIRST_PMID",
    "FakeWork",
    "WorkUniverse",
    "crossref_work",
    "efetch_xml",
    "envelope",
    "journal_key",
    "pubmed_article_xml",
    "tokens",
    "work_list",
]

DOI_PREFIX = "10.5555/cg."  # 10.5555 is Crossref's prefix for test DOIs
FIRST_PMID = 30_000_000

# --------------------------------------------------------------------------- the universe

_INTERVENTIONS = (
    "magnesium supplementation", "vitamin D", "omega-3 fatty acids", "caffeine intake",
    "cinnarizine", "botulinum toxin", "aerobic exercise", "mindfulness training",
    "intermittent fasting", "zinc", "probiotics", "melatonin", "green tea extract",
    "low-dose aspirin", "statin therapy", "metformin", "acupuncture",
    "cognitive behavioural therapy", "screen time", "sleep deprivation", "iron supplementation",
    "folic acid", "sodium reduction", "dietary fibre", "curcumin", "ketogenic diet", "yoga",
    "artificial sweeteners", "alcohol consumption", "smartphone use",
)  # fmt: skip
_OUTCOMES = (
    "eyelid myokymia", "blepharospasm", "migraine frequency", "muscle cramps",
    "blood pressure", "sleep quality", "anxiety symptoms", "depressive symptoms",
    "cognitive decline", "fatigue", "bone mineral density", "glycaemic control", "body weight",
    "dry eye disease", "tension-type headache", "restless legs", "heart rate variability",
    "serum magnesium", "inflammatory markers", "quality of life", "visual acuity",
    "exercise performance", "insulin resistance", "hair loss", "neuropathic pain", "tinnitus",
    "constipation", "kidney stones", "cardiac arrhythmia", "asthma control",
)  # fmt: skip
_POPULATIONS = (
    "adults", "older adults", "children", "adolescents", "pregnant women",
    "postmenopausal women", "athletes", "office workers", "patients with type 2 diabetes",
    "patients with chronic kidney disease", "healthy volunteers", "students",
    "night-shift nurses", "patients with hypertension", "mice",
)  # fmt: skip
#: design wording -> (UI, PublicationType) besides "Journal Article"
_DESIGNS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("a randomized controlled trial", (("D016449", "Randomized Controlled Trial"),)),
    ("a systematic review and meta-analysis",
     (("D016454", "Review"), ("D000078182", "Systematic Review"), ("D017418", "Meta-Analysis"))),
    ("a prospective cohort study", (("D064888", "Observational Study"),)),
    ("a case report", (("D002363", "Case Reports"),)),
    ("a narrative review", (("D016454", "Review"),)),
    ("a cross-sectional study", (("D064888", "Observational Study"),)),
    ("a clinical practice guideline", (("D017065", "Practice Guideline"),)),
    ("an editorial", (("D016421", "Editorial"),)),
)  # fmt: skip
_JOURNALS = (
    ("Journal of Synthetic Neurology", "J Synth Neurol"),
    ("Clinical Trials in Imaginary Medicine", "Clin Trials Imag Med"),
    ("Annals of Placeholder Ophthalmology", "Ann Placeholder Ophthalmol"),
    ("Fictional Nutrition Reviews", "Fict Nutr Rev"),
    ("International Journal of Mock Epidemiology", "Int J Mock Epidemiol"),
    ("Sample Sleep Research", "Sample Sleep Res"),
    ("European Journal of Example Cardiology", "Eur J Example Cardiol"),
    ("Test Pharmacology Letters", "Test Pharmacol Lett"),
    ("Archives of Stand-in Pediatrics", "Arch Stand-in Pediatr"),
    ("Proceedings of Dummy Physiology", "Proc Dummy Physiol"),
    ("Journal of Invented Dermatology", "J Invent Dermatol"),
    ("Bulletin of Specimen Psychiatry", "Bull Specimen Psychiatry"),
)
_FAMILY = (
    "Alonso", "Baker", "Chen", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito",
    "Jensen", "Kowalski", "Li", "Moreau", "Nakamura", "Okafor", "Petrov", "Quinn", "Rossi",
    "Silva", "Tanaka", "Umarov", "Varga", "Wang", "Xu", "Yilmaz", "Zhang", "Novak", "Costa",
    "Murphy", "Schmidt", "Larsen", "Horvat", "Mendes", "Sato", "Kim", "Nguyen", "Ahmed",
    "Berg", "Castillo", "Dimitrov",
)  # fmt: skip
_GIVEN = (
    "Ana", "Ben", "Chloe", "David", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kaori",
    "Luis", "Maria", "Nils", "Olga", "Pedro", "Qing", "Rosa", "Samir", "Tove", "Uma", "Victor",
    "Wen", "Ximena", "Yusuf", "Zoe",
)  # fmt: skip
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_COMBINATIONS = len(_INTERVENTIONS) * len(_OUTCOMES) * len(_POPULATIONS) * len(_DESIGNS)
_SCRAMBLE = 7919  # prime, coprime with the number of combinations: a permutation of titles
_WORD = re.compile(r"[^\W_]+")
_STOPWORDS = frozenset(
    ("a", "an", "and", "in", "of", "on", "or", "the", "to", "with", "for", "by", "at", "from",
     "as", "is")
)  # fmt: skip


def tokens(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS]


@dataclass(frozen=True)
class FakeWork:
    """One synthetic work, as both services know it."""

    pmid: str
    doi: str
    pmcid: str | None
    title: str
    authors: tuple[tuple[str, str], ...]  # (family, given)
    journal: str
    journal_abbrev: str
    year: int
    month: int
    volume: str
    issue: str
    first_page: int
    last_page: int
    publication_types: tuple[tuple[str, str], ...]
    mesh: tuple[str, ...]
    retracted: bool

    @property
    def pages(self) -> str:
        return f"{self.first_page}-{self.last_page}"

    @property
    def author_names(self) -> list[str]:
        """PubMed style: "Chen A"."""
        return [f"{family} {given[0]}" for family, given in self.authors]

    def citation(self) -> str:
        """A Vancouver-style reference, as an article would write it."""
        names = ", ".join(self.author_names[:3]) + (", et al" if len(self.authors) > 3 else "")
        return (
            f"{names}. {self.title.rstrip('.')}. {self.journal_abbrev}. {self.year};{self.volume}"
            f"({self.issue}):{self.pages}."
        )


class WorkUniverse:
    """``size`` synthetic works with PMIDs from ``first_pmid``, and the indexes to find them."""

    def __init__(self, first_pmid: int = FIRST_PMID, size: int = 10_000) -> None:
        if size > _COMBINATIONS:
            raise ValueError(f"at most {_COMBINATIONS} distinct works")
        self.first_pmid = first_pmid
        self.size = size
        self._title_index: dict[str, set[int]] = {}
        self._author_index: dict[str, set[int]] = {}
        self._citation_index: dict[tuple[str, int, str, str], list[int]] = {}
        self._pmcids: dict[str, int] = {}
        for index in range(size):
            work = self.work(first_pmid + index)
            assert work is not None
            for token in set(tokens(work.title)):
                self._title_index.setdefault(token, set()).add(index)
            for family, _ in work.authors:
                self._author_index.setdefault(family.lower(), set()).add(index)
            for journal in (work.journal, work.journal_abbrev):
                key = (journal_key(journal), work.year, work.volume, str(work.first_page))
                self._citation_index.setdefault(key, []).append(index)
            if work.pmcid:
                self._pmcids[work.pmcid] = index

    def pmids(self, start: int = 0, count: int | None = None) -> list[str]:
        stop = self.size if count is None else min(self.size, start + count)
        return [str(self.first_pmid + index) for index in range(start, stop)]

    def work(self, pmid: int | str) -> FakeWork | None:
        try:
            number = int(pmid)
        except ValueError:
            return None
        index = number - self.first_pmid
        if not 0 <= index < self.size:
            return None
        return _make_work(number, index)

    def by_doi(self, doi: str) -> FakeWork | None:
        doi = doi.strip().lower()
        if not doi.startswith(DOI_PREFIX):
            return None
        return self.work(doi[len(DOI_PREFIX) :])

    def by_pmcid(self, pmcid: str) -> FakeWork | None:
        index = self._pmcids.get(pmcid.strip().upper())
        return None if index is None else self.work(self.first_pmid + index)

    def by_citation(self, journal: str, year: str, volume: str, page: str) -> list[FakeWork]:
        if not year.isdigit():
            return []
        key = (journal_key(journal), int(year), volume.strip(), page.strip())
        return [w for i in self._citation_index.get(key, []) if (w := self._at(i))]

    def knows_journal(self, journal: str) -> bool:
        wanted = journal_key(journal)
        return any(wanted in {journal_key(j), journal_key(a)} for j, a in _JOURNALS)

    def title_matches(self, words: Iterable[str]) -> set[int]:
        """Indexes of works whose title has every word."""
        found: set[int] | None = None
        for word in words:
            postings = self._title_index.get(word.lower(), set())
            found = set(postings) if found is None else found & postings
        return found or set()

    def author_matches(self, name: str) -> set[int]:
        surname = name.strip().split(" ")[0].lower() if name.strip() else ""
        return set(self._author_index.get(surname, set()))

    def scored_search(self, text: str, rows: int) -> list[tuple[FakeWork, float]]:
        """Works ranked by how many of their title words the query contains."""
        query = set(tokens(text))
        counts: dict[int, int] = {}
        for token in query:
            for index in self._title_index.get(token, ()):
                counts[index] = counts.get(index, 0) + 1
        ranked: list[tuple[FakeWork, float]] = []
        for index, hits in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[: rows * 4]:
            work = self._at(index)
            if work is None:
                continue
            title_words = set(tokens(work.title))
            score = 100.0 * hits / max(1, len(title_words))
            if str(work.year) in text:
                score += 5.0
            if work.authors and work.authors[0][0].lower() in text.lower():
                score += 5.0
            ranked.append((work, round(score, 4)))
        ranked.sort(key=lambda pair: -pair[1])
        return ranked[:rows]

    def _at(self, index: int) -> FakeWork | None:
        return self.work(self.first_pmid + index)

    def all_indexes(self) -> range:
        return range(self.size)


def journal_key(name: str) -> str:
    return " ".join(_WORD.findall(name.lower()))


def _make_work(pmid: int, index: int) -> FakeWork:
    rng = random.Random(pmid)
    combination = (index * _SCRAMBLE + 13) % _COMBINATIONS
    combination, design_i = divmod(combination, len(_DESIGNS))
    combination, population_i = divmod(combination, len(_POPULATIONS))
    intervention_i, outcome_i = divmod(combination, len(_OUTCOMES))
    intervention = _INTERVENTIONS[intervention_i % len(_INTERVENTIONS)]
    outcome, population = _OUTCOMES[outcome_i], _POPULATIONS[population_i]
    design, design_types = _DESIGNS[design_i]
    title = f"{intervention[0].upper()}{intervention[1:]} and {outcome} in {population}: {design}."
    journal_i = rng.randrange(len(_JOURNALS))
    journal, abbrev = _JOURNALS[journal_i]
    year = 1995 + rng.randrange(30)
    first_page = 1 + rng.randrange(1999)
    retracted = index % 200 == 17
    types = [("D016428", "Journal Article"), *design_types]
    if retracted:
        types.append(("D016441", "Retracted Publication"))
    animal = population == "mice"
    mesh = ("Animals", "Mice") if animal else ("Humans",)
    authors = tuple((rng.choice(_FAMILY), rng.choice(_GIVEN)) for _ in range(1 + rng.randrange(6)))
    return FakeWork(
        pmid=str(pmid),
        doi=f"{DOI_PREFIX}{pmid}",
        pmcid=f"PMC{8_000_000 + index}" if index % 3 == 0 else None,
        title=title,
        authors=authors,
        journal=journal,
        journal_abbrev=abbrev,
        year=year,
        month=1 + rng.randrange(12),
        volume=str(year - 1990 + 3 * journal_i),
        issue=str(1 + rng.randrange(12)),
        first_page=first_page,
        last_page=first_page + 2 + rng.randrange(12),
        publication_types=tuple(types),
        mesh=(*mesh, outcome.title()),
        retracted=retracted,
    )


# --------------------------------------------------------------------------- renderings

_EFETCH_HEAD = (
    '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
    '1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
    "<PubmedArticleSet>\n"
)


def pubmed_article_xml(work: FakeWork) -> str:
    """One ``<PubmedArticle>``, element for element as in the recorded efetch responses."""
    e = escape
    authors = "".join(
        f'<Author ValidYN="Y"><LastName>{e(family)}</LastName><ForeName>{e(given)}</ForeName>'
        f"<Initials>{e(given[0])}</Initials><AffiliationInfo><Affiliation>Department of "
        f"Examples, Sample University.</Affiliation></AffiliationInfo></Author>"
        for family, given in work.authors
    )
    types = "".join(
        f'<PublicationType UI="{ui}">{e(name)}</PublicationType>'
        for ui, name in work.publication_types
    )
    mesh = "".join(
        f'<MeshHeading><DescriptorName UI="D{100000 + i}" MajorTopicYN="N">{e(name)}'
        f"</DescriptorName></MeshHeading>"
        for i, name in enumerate(work.mesh)
    )
    comments = ""
    if work.retracted:
        notice = int(work.pmid) + 90_000_000
        comments = (
            '<CommentsCorrectionsList><CommentsCorrections RefType="RetractionIn">'
            f"<RefSource>{e(work.journal_abbrev)}. {work.year + 2}</RefSource>"
            f'<PMID Version="1">{notice}</PMID></CommentsCorrections></CommentsCorrectionsList>'
        )
    pmc = f'<ArticleId IdType="pmc">{work.pmcid}</ArticleId>' if work.pmcid else ""
    return (
        '<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM" IndexingMethod="Curated">'
        f'<PMID Version="1">{work.pmid}</PMID>'
        f"<DateCompleted><Year>{work.year}</Year><Month>{work.month:02d}</Month><Day>15</Day>"
        "</DateCompleted>"
        '<Article PubModel="Print-Electronic"><Journal>'
        '<ISSN IssnType="Electronic">0000-0000</ISSN><JournalIssue CitedMedium="Internet">'
        f"<Volume>{work.volume}</Volume><Issue>{work.issue}</Issue><PubDate><Year>{work.year}"
        f"</Year><Month>{_MONTHS[work.month - 1]}</Month></PubDate></JournalIssue>"
        f"<Title>{e(work.journal)}</Title><ISOAbbreviation>{e(work.journal_abbrev)}"
        "</ISOAbbreviation></Journal>"
        f"<ArticleTitle>{e(work.title)}</ArticleTitle>"
        f"<Pagination><StartPage>{work.first_page}</StartPage><EndPage>{work.last_page}"
        f"</EndPage><MedlinePgn>{work.pages}</MedlinePgn></Pagination>"
        f'<ELocationID EIdType="doi" ValidYN="Y">{work.doi}</ELocationID>'
        "<Abstract><AbstractText>A synthetic abstract for benchmarking.</AbstractText>"
        f'</Abstract><AuthorList CompleteYN="Y">{authors}</AuthorList>'
        f"<Language>eng</Language><PublicationTypeList>{types}</PublicationTypeList>"
        "</Article><MedlineJournalInfo><Country>Nowhere</Country>"
        f"<MedlineTA>{e(work.journal_abbrev)}</MedlineTA><NlmUniqueID>0000000</NlmUniqueID>"
        "</MedlineJournalInfo><CitationSubset>IM</CitationSubset>"
        f"{comments}<MeshHeadingList>{mesh}</MeshHeadingList></MedlineCitation>"
        "<PubmedData><PublicationStatus>ppublish</PublicationStatus><ArticleIdList>"
        f'<ArticleId IdType="pubmed">{work.pmid}</ArticleId>'
        f'<ArticleId IdType="doi">{work.doi}</ArticleId>{pmc}'
        "</ArticleIdList></PubmedData></PubmedArticle>"
    )


def efetch_xml(works: Iterable[FakeWork]) -> str:
    return _EFETCH_HEAD + "".join(pubmed_article_xml(w) for w in works) + "\n</PubmedArticleSet>"


def _date_parts(year: int, month: int, day: int | None = None) -> dict[str, Any]:
    return {"date-parts": [[year, month] + ([day] if day else [])]}


def crossref_work(work: FakeWork, score: float | None = None) -> dict[str, Any]:
    """A work ``message`` shaped like the recorded ``works/{doi}`` responses."""
    message: dict[str, Any] = {
        "indexed": {"date-parts": [[2026, 1, 1]], "date-time": "2026-01-01T00:00:00Z"},
        "reference-count": 30,
        "publisher": "Example Publishing",
        "issue": work.issue,
        "short-container-title": [work.journal_abbrev],
        "DOI": work.doi,
        "type": "journal-article",
        "created": _date_parts(work.year, work.month, 2),
        "page": work.pages,
        "source": "Crossref",
        "is-referenced-by-count": int(work.pmid) % 97,
        "title": [work.title.rstrip(".")],
        "prefix": DOI_PREFIX.split("/", maxsplit=1)[0],
        "volume": work.volume,
        "author": [
            {
                "given": given,
                "family": family,
                "sequence": "first" if i == 0 else "additional",
                "affiliation": [],
            }
            for i, (family, given) in enumerate(work.authors)
        ],
        "member": "0",
        "published-online": _date_parts(work.year, work.month, 1),
        "published-print": _date_parts(work.year, work.month),
        "container-title": [work.journal],
        "language": "en",
        "deposited": _date_parts(work.year, work.month, 3),
        "issued": _date_parts(work.year, work.month),
        "published": _date_parts(work.year, work.month),
        "URL": f"https://doi.org/{work.doi}",
        "ISSN": ["0000-0000"],
        "relation": {},
    }
    if work.retracted:
        message["updated-by"] = [
            {
                "DOI": f"{work.doi}.retraction",
                "type": "retraction",
                "label": "Retraction",
                "source": "retraction-watch",
                "updated": _date_parts(work.year + 2, 1, 1),
                "record-id": str(int(work.pmid) % 100_000),
            }
        ]
    if score is not None:
        message["score"] = score
    return message


def envelope(message_type: str, message: Any) -> str:
    return json.dumps(
        {"status": "ok", "message-type": message_type, "message-version": "1.0.0",
         "message": message},
        separators=(",", ":"),
    )  # fmt: skip


def work_list(items: list[dict[str, Any]], total: int, rows: int) -> str:
    return envelope(
        "work-list",
        {
            "facets": {},
            "total-results": total,
            "items": items,
            "items-per-page": rows,
            "query": {"start-index": 0, "search-terms": None},
        },
    )
