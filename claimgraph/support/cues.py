"""Word-level cues the support checker reads: content terms, negation, direction, hedging.

All of it is plain, explainable pattern matching on lower-cased text. The cues are features
for the classifier (:mod:`claimgraph.support.features`), never verdicts on their own.
"""

from __future__ import annotations

import re
from functools import lru_cache

_TOKEN_RE = re.compile(r"[a-z0-9][a-z0-9\-]*[a-z0-9]|[a-z0-9]")
_NUMBER_RE = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?(?![\w])")

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "although",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "either",
        "et",
        "etc",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "may",
        "me",
        "might",
        "more",
        "most",
        "must",
        "my",
        "myself",
        "nor",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "per",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "thus",
        "to",
        "too",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "very",
        "via",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "would",
        "you",
        "your",
        "yours",
        "al",
    ]
)

NEGATION = frozenset(
    [
        "not",
        "no",
        "never",
        "none",
        "neither",
        "nor",
        "without",
        "cannot",
        "cant",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "lack",
        "lacks",
        "lacked",
        "lacking",
        "absence",
        "absent",
        "unable",
        "fail",
        "fails",
        "failed",
        "failure",
        "unaffected",
        "independent",
        "insufficient",
    ]
)

#: phrases that report a null finding: no effect, no difference, not associated
_NULL_RE = re.compile(
    r"\b(?:no|not|neither|nor|without|did not|does not|do not|was not|were not|failed to|fails to)\b"
    r"(?:\s+\w+){0,4}?\s+(?:significant(?:ly)?|effect|effects|difference|differences|differ|"
    r"associat\w*|chang\w*|improv\w*|reduc\w*|increas\w*|benefit\w*|correlat\w*|affect\w*|"
    r"alter\w*|influenc\w*|impact\w*|relat\w*|link\w*)"
    r"|\bno\s+(?:significant|statistically|clear|evidence|effect|difference|association|benefit)"
    r"|\b(?:similar|comparable|unchanged|unaffected|not significant|nonsignificant|non-significant)\b"
)

_UP_STEMS = (
    "increas", "higher", "rais", "elevat", "enhanc", "improv", "promot", "stimulat", "induc",
    "upregulat", "up-regulat", "greater", "boost", "accelerat", "activat", "augment", "rise",
    "rose", "exacerbat", "worsen", "potentiat", "amplif", "gain", "more", "excess",
)  # fmt: skip
_DOWN_STEMS = (
    "decreas", "lower", "reduc", "declin", "inhibit", "suppress", "downregulat",
    "down-regulat", "less", "fewer", "diminish", "attenuat", "impair", "prevent", "block",
    "loss", "lose", "drop", "fell", "fall", "abolish", "shorten", "protect", "alleviat",
    "limit", "weaken", "deplet", "deficien",
)  # fmt: skip

_HEDGE = frozenset(
    [
        "may",
        "might",
        "could",
        "possibly",
        "potentially",
        "suggest",
        "suggests",
        "suggested",
        "suggesting",
        "appear",
        "appears",
        "likely",
        "unclear",
        "uncertain",
        "hypothes",
        "hypothesize",
        "hypothesized",
        "speculate",
    ]
)

#: causal or absolute wording (Sumner et al. 2014; Yu et al. 2019): the strong end of claim
#: strength, which needs experimental evidence behind it
_CAUSAL_RE = re.compile(
    r"\b(?:cure[sd]?|curing|cause[sd]?|causing|prevent(?:s|ed|ing)?|revers(?:e|es|ed|ing)|"
    r"eliminat(?:e|es|ed|ing)|eradicat(?:e|es|ed|ing)|guarantee[sd]?|always|never fails?|"
    r"proven to|proves? that|stops?|heals?|leads? to|results? in|makes? you|will (?:fix|cure|prevent))\b"
)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits, inner hyphens kept)."""
    return _TOKEN_RE.findall(text.lower().replace("'", ""))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix-stripping stem, enough to match "reduces" with "reduction"."""
    for suffix in ("ational", "ations", "ation", "ments", "ment", "ness", "ities", "ity",
                   "ings", "ing", "ives", "ive", "edly", "ed", "ies", "es", "s", "ly", "al"):  # fmt: skip
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_terms(text: str) -> set[str]:
    """Stems of the words that carry meaning (no stop words, no single characters)."""
    return {stem(t) for t in tokens(text) if t not in STOPWORDS and len(t) > 1}


def numbers(text: str) -> set[str]:
    return {n.replace(",", ".") for n in _NUMBER_RE.findall(text)}


def negated(text: str) -> bool:
    words = tokens(text)
    return any(w in NEGATION for w in words) or "n't" in text.lower()


def null_finding(text: str) -> bool:
    """The text reports no effect, no difference or no association."""
    return _NULL_RE.search(text.lower()) is not None


def _direction_counts(text: str) -> tuple[int, int]:
    up = down = 0
    for word in tokens(text):
        if word.startswith(_UP_STEMS):
            up += 1
        elif word.startswith(_DOWN_STEMS):
            down += 1
    return up, down


def direction(text: str) -> int:
    """+1 for increase wording, -1 for decrease wording, 0 for neither or both equally."""
    up, down = _direction_counts(text)
    return (up > down) - (down > up)


def hedged(text: str) -> bool:
    return any(w in _HEDGE for w in tokens(text))


def causal_wording(text: str) -> str | None:
    """The causal or absolute word in ``text`` ("cures", "prevents", ...), or None."""
    match = _CAUSAL_RE.search(text.lower())
    return match.group(0) if match else None
