"""Vague attributions: a sentence that leans on research or an authority it does not name.

Three shapes, each a structural pattern rather than a list of sentences:

* the subject of the sentence is research or an authority, followed by what it reports:
  "Studies that tested X found ...", "A 2012 research review concluded ...", "Guidelines from
  the American College of ... say ...", "Other estimates indicate ...", "Research on X is in
  its early stages";
* the claim is placed inside research: "In a study funded by ...", "In an NCCIH-funded
  study, ...", "In studies that compared ...";
* research is asserted to exist or is cited as a reason: "There is evidence that ...",
  "there have been reports that ...", "..., as a number of studies in Asian cities show",
  "..., say Finnish experts".

Whether the sentence also carries a citation is decided elsewhere: with one, it is a cited
claim; without, the report flags it as an unsupported attribution.
"""

from __future__ import annotations

import re

from claimgraph.extract.vocabulary import _words_regex, letter_words

__all__ = ["vague_attribution"]

_CONNECTOR = (
    r"(?:(?:however|for example|for instance|overall|also|but|and|in addition|moreover|"
    r"furthermore|still|yet|thus|similarly|in fact|indeed|likewise|in contrast|by contrast|"
    r"nevertheless|meanwhile|instead|in general|importantly)\b,?\s+)?"
)
_DETERMINERS = (
    r"(?:(?:a|an|one|some|several|many|few|other|the|these|those|this|that|recent|extensive|"
    r"limited|new|numerous|more|most|two|three|four|five|large|small|newer|older|early|"
    r"later|further|current|available|growing|emerging|scientific|clinical|published|"
    r"preliminary|systematic|\d{1,4}|a (?:number|body|handful) of|a growing body of)\s+)*"
)
_RESEARCH_NOUN = (
    r"(?:studies|study|research|evidence|reviews?|evaluations?|trials?|analys[ie]s|"
    r"meta-analys[ie]s|surveys?|reports?|guidelines?|position statements?|"
    r"(?:consensus )?statements?|estimates|experts|scientists|researchers|textbooks|"
    r"investigators|findings|authorities|experiments|recommendations|panels?|committees?)"
)
_REPORTING_VERB = (
    r"(?:found|find|finds|show|shows|shown|showed|suggest|suggests|suggested|indicate|"
    r"indicates|indicated|conclude|concludes|concluded|say|says|said|recommend|recommends|"
    r"recommended|report|reports|reported|state|states|stated|note|notes|noted|demonstrate|"
    r"demonstrates|demonstrated|reveal|reveals|revealed|confirm|confirms|confirmed|support|"
    r"supports|supported|link|links|linked|advise|advises|advised|agree|agrees|agreed|"
    r"estimate|estimates|estimated|observed|hint|hints|point to|points to|pointed to|"
    r"claim|claims|claimed|warn|warns|warned|conclude|determined|established|"
    r"(?:is|are|was|were|remains?) (?:still )?(?:in its early stages|limited|lacking|"
    r"mixed|inconclusive|preliminary|sparse|scarce|conflicting|weak|strong|insufficient))"
)
_SETTING_NOUN = (
    r"(?:study|studies|trial|trials|review|reviews|analysis|survey|experiment|evaluation)"
)
_EXISTENCE_NOUN = r"(?:evidence|reports|studies|research|data|indications)"
_AS_NOUN = r"(?:studies|research|trials|experts|researchers|scientists)"
_SAY_NOUN = r"(?:experts|researchers|scientists|doctors|officials|specialists|authorities)"
#: "Studies that tested black cohosh for hot flashes found ...": subject, then its verb
_SUBJECT_RE = re.compile(
    rf"^\W*{_CONNECTOR}{_DETERMINERS}(?:[\w-]+\s+){{0,2}}?(?P<noun>{_RESEARCH_NOUN})\b"
    rf"(?P<rest>.{{0,160}}?)\b(?P<verb>{_REPORTING_VERB})\b",
    re.I,
)
#: "In a study funded by ...", "In an NCCIH-funded study, ...", "In studies that compared"
_SETTING_RE = re.compile(
    rf"^\W*{_CONNECTOR}in\s+(?:(?:a|an|one|two|three|several|some|these|other|recent|"
    rf"many|a few|large|small|\d{{1,4}})\s+)*(?:[\w-]+\s+){{0,2}}?"
    rf"{_SETTING_NOUN}\b",
    re.I,
)
#: "There is evidence that ...", "there have been reports that ..."
_EXISTENCE_RE = re.compile(
    r"\bthere (?:is|are|has been|have been|was|were) (?:also )?(?:some |limited |little |"
    r"growing |strong |good |increasing |emerging |mounting |preliminary |no )?"
    rf"{_EXISTENCE_NOUN}\s+(?:that|of|showing|suggesting)\b",
    re.I,
)
#: "..., as a number of studies in Asian cities show", "..., say Finnish experts"
_TRAILING_RE = re.compile(
    rf"(?:,?\s+as\s+{_DETERMINERS}{_AS_NOUN}"
    rf"\b.{{0,80}}?\b(?:show|shows|suggest|suggests|found|find|indicate|indicates|"
    r"demonstrate|demonstrates|confirm|confirms|report|reports)\b"
    rf"|,\s*(?:say|says|said|according to)\s+(?:[\w-]+\s+){{0,3}}?{_SAY_NOUN}\b)",
    re.I,
)


def _noun_words() -> frozenset[str] | None:
    """Every shape needs one of its nouns as a word: the words, read off the noun patterns."""
    words: set[str] = set()
    for nouns in (_RESEARCH_NOUN, _SETTING_NOUN, _EXISTENCE_NOUN, _AS_NOUN, _SAY_NOUN):
        found = _words_regex(rf"\b(?:{nouns})\b").first_words
        if found is None:
            return None
        words |= found
    return frozenset(words)


#: a sentence without any of these words has no vague attribution (a cheap first test)
NOUN_WORDS = _noun_words()


def vague_attribution(sentence: str) -> str | None:
    """The phrase by which ``sentence`` leans on unnamed research or authority, or None."""
    if NOUN_WORDS is not None and NOUN_WORDS.isdisjoint(letter_words(sentence)):
        return None
    for pattern in (_SUBJECT_RE, _SETTING_RE, _EXISTENCE_RE, _TRAILING_RE):
        match = pattern.search(sentence)
        if match is not None:
            return _phrase(sentence, match)
    return None


def _phrase(sentence: str, match: re.Match[str]) -> str:
    start = match.start()
    while start < match.end() and not sentence[start].isalnum():
        start += 1
    phrase = sentence[start : match.end()].strip(" ,")
    if len(phrase) > 80:
        # keep the subject and the verb: "Studies that tested ... found"
        head = phrase[:40].rsplit(" ", 1)[0]
        tail = phrase[-20:].split(" ", 1)[-1]
        phrase = f"{head} ... {tail}"
    return re.sub(r"\s+", " ", phrase)
