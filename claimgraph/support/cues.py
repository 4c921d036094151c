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


_OPPOSITES = {
    "increase": "decrease", "increases": "decreases", "increased": "decreased",
    "increasing": "decreasing", "higher": "lower", "reduces": "increases", "reduced": "increased",
    "reduce": "increase", "reducing": "increasing", "decrease": "increase",
    "decreases": "increases", "decreased": "increased", "decreasing": "increasing",
    "lower": "higher", "lowers": "raises", "raises": "lowers", "raised": "lowered",
    "improves": "worsens", "improved": "worsened", "improve": "worsen", "worsens": "improves",
    "enhances": "inhibits", "enhanced": "inhibited", "inhibits": "enhances",
    "inhibited": "enhanced", "promotes": "suppresses", "promoted": "suppressed",
    "suppresses": "promotes", "suppressed": "promoted", "more": "less", "less": "more",
    "greater": "smaller", "positively": "negatively", "negatively": "positively",
    "upregulates": "downregulates", "downregulates": "upregulates",
    "upregulated": "downregulated", "downregulated": "upregulated", "activates": "inhibits",
    "prevents": "promotes", "protects": "harms", "benefit": "harm", "beneficial": "harmful",
    "harmful": "beneficial", "safe": "unsafe", "effective": "ineffective",
}  # fmt: skip
_NEGATIONS = (
    (" does not ", " does "), (" do not ", " do "), (" did not ", " did "),
    (" is not ", " is "), (" are not ", " are "), (" was not ", " was "), (" were not ", " were "),
    (" cannot ", " can "), (" no ", " a "),
    (" is ", " is not "), (" are ", " are not "), (" was ", " was not "),
    (" were ", " were not "), (" can ", " cannot "), (" may ", " may not "),
    (" has ", " has no "), (" have ", " have no "),
)  # fmt: skip


def _swap_direction(sentence: str) -> str | None:
    words = sentence.split(" ")
    for i, word in enumerate(words):
        bare = word.lower().strip(",.;:()")
        if bare in _OPPOSITES:
            words[i] = word.lower().replace(bare, _OPPOSITES[bare])
            return " ".join(words)
    return None


def _toggle_negation(sentence: str) -> str | None:
    padded = f" {sentence} "
    for old, new in _NEGATIONS:
        if old in padded:
            return padded.replace(old, new, 1).strip()
    return None


def flip(sentence: str) -> str | None:
    """The sentence made to say the opposite, or None: a direction word swapped, else a
    negation added or removed ("increases" -> "decreases", "is" -> "is not")."""
    return _swap_direction(sentence) or _toggle_negation(sentence)


def flips(sentence: str) -> list[str]:
    """Every opposite :func:`flip` knows: the direction swapped and the negation toggled."""
    variants = [_swap_direction(sentence), _toggle_negation(sentence)]
    return [v for v in dict.fromkeys(variants) if v]


def _opposite_stems() -> dict[str, str]:
    return {stem(a): stem(b) for a, b in _OPPOSITES.items()}


_OPPOSITE_STEMS = _opposite_stems()
_PREFIXES = ("in", "non-", "non", "un", "im", "dis", "anti-")


def wording_clash(claim: str, sentence: str) -> tuple[bool, bool, bool]:
    """(opposite word, same word, prefix clash) between a claim and one sentence.

    Opposite word: the claim says "decreases" where the sentence says "increased". Same
    word: both use the same direction word. Prefix clash: "UCP1-dependent" against
    "UCP1-independent", "effective" against "ineffective".
    """
    claim_stems = {stem(t) for t in tokens(claim)}
    sentence_stems = {stem(t) for t in tokens(sentence)}
    opposite = same = False
    for word in claim_stems:
        other = _OPPOSITE_STEMS.get(word)
        if other is None:
            continue
        if word in sentence_stems:
            same = True
        elif other in sentence_stems:
            opposite = True
    clash = False
    for word in claim_stems:
        for prefix in _PREFIXES:
            if (
                word.startswith(prefix) and word[len(prefix) :] in sentence_stems
            ) or prefix + word in sentence_stems:
                clash = True
            inner = word.rsplit("-", 1)
            if len(inner) == 2 and f"{inner[0]}-{prefix}{inner[1]}" in sentence_stems:
                clash = True
    return opposite, same, clash


#: endings of words that name a condition (bruxism, blepharospasm, arthritis, fibrosis,
#: anaemia, neuropathy, neuralgia, carcinoma, ...)
_CONDITION_ENDINGS = (
    "ism", "spasm", "itis", "osis", "emia", "aemia", "pathy", "algia", "oma", "plegia",
    "trophy", "penia", "uria", "rrhea", "rrhoea", "cardia", "ectasis", "plasia", "iasis",
)  # fmt: skip
_NOT_CONDITIONS = frozenset(
    [
        "mechanism",
        "metabolism",
        "organism",
        "magnetism",
        "aroma",
        "stoma",
        "diploma",
        "chromosome",
        "genome",
        "diagnosis",
        "prognosis",
        "synopsis",
        "hypothesis",
        "analysis",
        "basis",
        "emphasis",
    ]
)


def condition_terms(text: str) -> set[str]:
    """Words that name a condition by their ending ("bruxism", "blepharospasm", "colitis")."""
    return {
        word
        for word in tokens(text)
        if len(word) >= 7 and word.endswith(_CONDITION_ENDINGS) and word not in _NOT_CONDITIONS
    }
