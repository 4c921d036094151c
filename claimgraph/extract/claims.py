"""Decide which sentences of a draft are check-worthy claims. Rule-based and explainable.

A sentence is a claim when it states something a reader could check against evidence:

* **attribution** - it leans on an authority without saying which: "studies show",
  "research suggests", "according to the World Health Organisation", "doctors agree";
* **number** - percentages, doses ("400 mg"), counts ("700 million people"), prevalence
  ("almost one in two of us", "the vast majority of");
* **effect** - a causal or associative verb ("reduces", "causes", "is linked to",
  "stimulates", "is a symptom of") together with a health term (a nutrient, a body part,
  a condition, a drug);
* **evidence** - a statement about the state of the evidence ("there is no good evidence",
  "the evidence is mixed", "trials have mostly been neutral");
* **definition** - a health term defined as another ("a migraine is a severe headache").

It is not a claim when it is a question, an instruction or piece of advice, a first-person
opinion or anecdote, a disclaimer, navigation ("Read more", "Leave a reply"), or a fragment
without a verb (a list of symptoms, a heading naming a topic). A sentence that carries a
citation is a claim unless it is a question, navigation or a disclaimer.

A sentence that a paragraph-level or section-level source covers (it has no citation of
its own, but the source block after it applies) needs only a health term to count.

Every decision carries its reasons (``number: 400mg``, ``effect: reduces``,
``excluded: question``) so a reviewer can see why a sentence was or was not picked.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from claimgraph.extract.attribution import vague_attribution
from claimgraph.extract.notclaims import (
    _CLAUSE_SPLIT_RE,
    _DID_YOU_KNOW_RE,
    _hard_exclusion,
    _soft_exclusion,
    _words,
    form_exclusion,
    narrative_exclusion,
)
from claimgraph.extract.vocabulary import (
    _EVIDENCE_RE,
    _FINITE_RE,
    _HAS_DIGIT,
    _MODAL_RE,
    _PREVALENCE_RE,
    _STRONG_NUMBER_RE,
    _attribution,
    _effect_with_health,
    _health_terms,
    _number,
    _strong_health_term,
    _strong_terms,
    attribution_is_reported_speech,
)

__all__ = ["CheckWorthiness", "classify_either", "classify_sentence", "strip_markers"]


@dataclass(frozen=True, slots=True)
class CheckWorthiness:
    """The check-worthiness decision for one sentence."""

    checkworthy: bool
    reasons: tuple[str, ...] = ()
    #: why it is not a claim: question, advice, opinion, disclaimer, navigation, fragment
    excluded: str | None = None
    #: the attribution phrase ("studies show"), when the sentence has one
    attribution: str | None = None

    def __reduce__(self) -> tuple[type[CheckWorthiness], tuple[object, ...]]:
        # workers send decisions back pickled: the constructor and its arguments are half
        # the work of the state dictionary a frozen dataclass with slots pickles by default
        return CheckWorthiness, (self.checkworthy, self.reasons, self.excluded, self.attribution)


_HAS_SUPERSCRIPT = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]")
_MARKER_RE = re.compile(r"\s*(?:\[\^?[\w\s,–-]{1,20}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+(?:[,⁻–-][¹²³⁴⁵⁶⁷⁸⁹⁰]+)*)")
_SPACE_BEFORE_PUNCTUATION_RE = re.compile(r"\s+([.,;:!?])")
_SPACES_RE = re.compile(r"\s{2,}")


@functools.lru_cache(maxsize=64)
def strip_markers(text: str) -> str:
    """The sentence without citation markers ("[1]", "[^2]", "¹²"); cached: judging a
    sentence asks for it twice (its decision, then the claim's text in .workers)."""
    if "[" not in text and not _HAS_SUPERSCRIPT.search(text):
        return text.strip()
    cleaned = _MARKER_RE.sub("", text)
    cleaned = _SPACE_BEFORE_PUNCTUATION_RE.sub(r"\1", cleaned)
    return _SPACES_RE.sub(" ", cleaned).strip()


def _signals(sentence: str) -> tuple[list[str], str | None]:
    """Reasons that make ``sentence`` check-worthy, and its attribution phrase."""
    reasons: list[str] = []
    attribution: str | None = None
    attribution = _attribution(sentence) or vague_attribution(sentence)
    health = _strong_health_term(sentence)
    number = _number(sentence)
    prevalence = _PREVALENCE_RE.search(sentence)
    effect, effect_health = _effect_with_health(sentence)
    evidence = _EVIDENCE_RE.search(sentence)
    if attribution:
        reasons.append(f"attribution: {attribution}")
    if evidence:
        reasons.append(f"evidence: {evidence.group(0).strip()}")
    if number and (health or _STRONG_NUMBER_RE.search(number)):
        reasons.append(f"number: {number.strip()}")
    if prevalence and health:
        reasons.append(f"prevalence: {prevalence.group(0).strip()}")
    if effect and effect_health:
        reasons.append(f"effect: {effect} + {effect_health}")
    if not reasons and _MODAL_RE.search(sentence):
        terms = {t[2].lower() for t in _strong_terms(sentence)}
        if len(terms) >= 2:
            reasons.append("modal: " + " + ".join(sorted(terms)[:2]))
    return reasons, attribution


def classify_sentence(
    text: str, *, kind: str = "paragraph", has_citation: bool = False, covered: bool = False
) -> CheckWorthiness:
    """Is ``text`` a check-worthy claim?

    ``kind`` is the block kind it sits in ("text-heading" for a short plain-text line that
    may be a heading); ``has_citation`` says the sentence carries a citation of its own;
    ``covered`` says a source block or a quotation's citation applies to it.

    Three steps: exclusions by form (headings, captions, definitions, ...), then the reasons
    to check it (numbers, effects, attributions, ...) weighed against advice, opinion and
    narrative, then the decision.
    """
    plain, when_covered = classify_either(text, kind=kind, has_citation=has_citation)
    return when_covered if covered else plain


def classify_either(
    text: str, *, kind: str = "paragraph", has_citation: bool = False
) -> tuple[CheckWorthiness, CheckWorthiness]:
    """The decisions of :func:`classify_sentence` for ``covered`` False and True.

    The sentence can be judged before the scope of the draft's citations is known.
    """
    stripped = strip_markers(text)
    sentence = stripped.replace("’", "'").replace("‘", "'")
    rhetorical = _DID_YOU_KNOW_RE.match(sentence)
    if rhetorical:
        # "Did you know that X?" asserts X
        sentence = sentence[rhetorical.end() :].rstrip(" ?")
    words = _words(sentence)
    excluded = _excluded_by_form(sentence, words, kind, has_citation)
    if excluded is not None:
        verdict = CheckWorthiness(False, excluded=excluded)
        return verdict, verdict
    kind = "heading" if kind == "text-heading" else kind
    reasons, attribution = _signals(sentence)
    weighed = _weigh_exclusions(stripped, sentence, words, kind, has_citation, reasons, attribution)
    if weighed is not None:
        return weighed, weighed
    return _decide(sentence, words, kind, has_citation, reasons, attribution)


def _excluded_by_form(sentence: str, words: list[str], kind: str, has_citation: bool) -> str | None:
    """Why the sentence is not a claim whatever it says, or None."""
    hard = _hard_exclusion(sentence, kind)
    if hard is not None:
        return hard
    if kind == "heading" and not has_citation:
        # a marked-up heading names a topic; a short line of plain text may be a claim
        return "heading"
    if len(words) < (3 if has_citation else 4) and not _number(sentence):
        return "fragment"
    form = form_exclusion(sentence, "heading" if kind == "text-heading" else kind)
    if form is not None and not (has_citation and form in _CITED_FORMS_KEPT):
        return form
    return None


def _weigh_exclusions(
    stripped: str,
    sentence: str,
    words: list[str],
    kind: str,
    has_citation: bool,
    reasons: list[str],
    attribution: str | None,
) -> CheckWorthiness | None:
    """Exclusions that the sentence's content may outweigh: a verdict, or None to go on."""
    if kind in {"paragraph", "item"} and _looks_like_a_title(stripped, words, kind):
        return CheckWorthiness(False, tuple(reasons), excluded="heading")
    soft = _soft_exclusion(sentence, kind)
    if soft is None:
        if not has_citation and _is_fragment(sentence, reasons):
            return CheckWorthiness(False, tuple(reasons), excluded="fragment")
        narrative = narrative_exclusion(sentence, cited=has_citation)
        if narrative is not None and not (narrative == "narrative" and _reported(sentence)):
            return CheckWorthiness(False, tuple(reasons), excluded=narrative)
        return None
    if soft in {"advice", "opinion"}:
        # "Don't take iron without a test: too much iron can damage the liver."
        for clause in _CLAUSE_SPLIT_RE.split(sentence)[1:]:
            clause_reasons, clause_attribution = _signals(clause)
            if clause_reasons and _soft_exclusion(clause, "paragraph") is None:
                reasons_out = (f"{soft} with a claim", *clause_reasons)
                return CheckWorthiness(True, reasons_out, attribution=clause_attribution)
    # "my neighbour swears it stops a cold" is a claim; "my sister swears by it" is not
    reported = bool(
        attribution
        and attribution_is_reported_speech(attribution)
        and (_strong_terms(sentence) or _number(sentence))
    )
    if not reported and not (has_citation and reasons):
        return CheckWorthiness(False, tuple(reasons), excluded=soft)
    return None


def _decide(
    sentence: str,
    words: list[str],
    kind: str,
    has_citation: bool,
    reasons: list[str],
    attribution: str | None,
) -> tuple[CheckWorthiness, CheckWorthiness]:
    """The decision when no source covers the sentence, and when one does."""
    verdict = _decide_on_content(sentence, kind, has_citation, reasons, attribution)
    if verdict is None:
        if kind != "heading" and _is_statement(sentence, words):
            verdict = CheckWorthiness(True, ("statement",), attribution=attribution)
        else:
            verdict = CheckWorthiness(False, excluded="no check-worthy content")
        # a covered sentence needs only a health term
        if _strong_health_term(sentence) and _FINITE_RE.search(sentence + " is"):
            reasons_covered = ("covered by a source", "health term")
            return verdict, CheckWorthiness(True, reasons_covered, attribution=attribution)
    return verdict, verdict


def _decide_on_content(
    sentence: str, kind: str, has_citation: bool, reasons: list[str], attribution: str | None
) -> CheckWorthiness | None:
    """The decision from the citation and the reasons found, or None: none decides."""
    if has_citation:
        return CheckWorthiness(True, ("cited", *reasons), attribution=attribution)
    if (
        reasons == [f"attribution: {attribution}"]
        and attribution
        and _attribution(sentence) == attribution
        and attribution_is_reported_speech(attribution)
        and not (_strong_terms(sentence) or _number(sentence))
    ):
        return CheckWorthiness(False, tuple(reasons), excluded="hearsay without content")
    if reasons:
        return CheckWorthiness(True, tuple(reasons), attribution=attribution)
    return None


#: a cited definition or instruction is still a claim the citation supports
_CITED_FORMS_KEPT = frozenset({"definition", "instruction"})
_ENTRY_DATE_RE = re.compile(r"^\W*(?:[A-Z][a-z]{2,8}\.? \d{1,2}(?:\s*[–-]\s*\d{1,2})?\s*[–—-]\s*)?")
_DATE_RE = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.? \d{1,2}(?:st|nd|rd|th)?\b"
    r"|\b(?:in|since|until|by|from|of) (?:1[89]|20)\d\d\b",
    re.I,
)
_VERB_LIKE_RE = re.compile(r"\b[a-z]{3,}(?:s|ed)\b")
_BRACKETED_RE = re.compile(r"\([^()]*\)")


def _is_fragment(sentence: str, reasons: list[str]) -> bool:
    """No verb outside brackets and nothing that makes a phrase a claim: a list or a label."""
    if any(r.startswith(("attribution:", "number:", "effect:", "evidence:")) for r in reasons):
        return False
    bare = _BRACKETED_RE.sub("", sentence)
    return not (_FINITE_RE.search(bare) or _VERB_LIKE_RE.search(bare))


def _reported(sentence: str) -> bool:
    """ "my neighbour says ...": someone else's claim reported in the first person."""
    phrase = _attribution(sentence)
    return bool(phrase and attribution_is_reported_speech(phrase))


def _looks_like_a_title(stripped: str, words: list[str], kind: str) -> bool:
    """A short line with no end punctuation (``stripped``: the line without its citation
    markers): a plain-text heading or a navigation item."""
    if stripped.endswith(tuple(".!?:;\"”)]’'")):
        return False
    if kind == "item":
        return bool(words) and words[0].lower() in {"what", "how", "why", "who", "where", "when"}
    return len(words) <= 8


def _is_statement(sentence: str, words: list[str]) -> bool:
    """A plain declarative sentence about health: a claim even without trigger words."""
    if len(words) < 7 or sentence.rstrip().endswith(":"):
        return False
    if words[0].lower() in {"i", "we", "you", "my", "our", "your"}:
        return False
    if not (_FINITE_RE.search(sentence) or _VERB_LIKE_RE.search(sentence, len(words[0]))):
        return False
    if _strong_terms(sentence):
        return True
    # a dated fact: "this dataset was not made publicly available until June 1, 2018"
    # (a date that labels a log entry, "Oct 31 – ...", is not a fact the sentence states)
    entry = _ENTRY_DATE_RE.match(sentence)
    if _DATE_RE.search(sentence, entry.end() if entry else 0):
        return True
    return bool(_HAS_DIGIT.search(sentence)) and bool(_health_terms(sentence))
