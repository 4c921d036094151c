"""The vocabulary of check-worthiness: health terms, effects, quantities, prevalence,
attributions and statements about the evidence, as compiled regular expressions.

Each pattern is a list of alternatives; :func:`_words_regex` groups them by first letter so
the regex engine rejects most positions after one character test. The classifier
(:mod:`.claims`) asks these patterns whether a sentence has a reason to be checked.
"""

from __future__ import annotations

import functools
import re
import re._constants as sre_constants  # type: ignore[import-not-found]
import re._parser as sre_parse  # type: ignore[import-not-found]
import sys
from collections.abc import Iterator
from typing import Any

from claimgraph.extract.lowered import (
    ascii_lowered,
    finditer_lowered,
    lowered_twin,
    search_lowered,
)

# --------------------------------------------------------------------------- fast matching
# Python's regex engine tries every alternative of a long "\b(?:a|b|c...)\b" at every
# position. Grouping the alternatives by their first letter ("m(?:agnesium|uscles?)|...")
# lets it reject a position after one character test: 5-10 times faster on these lists.


def _split_alternatives(body: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    in_class = escaped = False
    current: list[str] = []
    for char in body:
        if escaped:
            current.append(char)
            escaped = False
            continue
        if char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def _words_regex(pattern: str, flags: int = re.I) -> WordsPattern:
    """Compile ``\\b(?:alt|alt|...)\\b`` with its alternatives grouped by first letter.

    The result also knows the words a match must start with (derived from the alternatives by
    :func:`_first_words`), so a sentence with none of them skips the regex.
    """
    prefix, suffix = "\\b(?:", ")\\b"
    if not (pattern.startswith(prefix) and pattern.endswith(suffix)):
        return WordsPattern(re.compile(pattern, flags), None)
    groups: dict[str, list[str]] = {}
    others: list[str] = []
    alternatives = _split_alternatives(pattern[len(prefix) : -len(suffix)])
    for alternative in alternatives:
        first = alternative[:1].lower() if flags & re.I else alternative[:1]
        if first.isalnum() and alternative[1:2] not in {"?", "*", "+", "{"}:
            groups.setdefault(first, []).append(alternative[1:])
        else:
            others.append(alternative)
    grouped = [f"{first}(?:{'|'.join(tails)})" for first, tails in sorted(groups.items())]
    compiled = re.compile(f"(?<!\\w)(?:{'|'.join(grouped + others)})\\b", flags)
    words: set[str] = set()
    for alternative in alternatives:
        # (the first words are compared case-folded, so a case-sensitive list is gated too)
        found = _first_words(alternative, flags)
        if found is None:
            return WordsPattern(compiled, None)
        words |= found
    return WordsPattern(compiled, frozenset(words))


_LOWER_LETTERS_RE = re.compile(r"[a-z]+")


@functools.lru_cache(maxsize=256)
def letter_words(sentence: str) -> frozenset[str]:
    """The runs of letters a-z in the lowered sentence: the words gates compare with."""
    return frozenset(_LOWER_LETTERS_RE.findall(sentence.casefold()))


class WordsPattern:
    """A word-list pattern and the first words of its matches (None: no gate).

    A match of alternative ``A`` starts at a word boundary with one of ``A``'s first words,
    followed by a character that is not a letter a-z, so that word is one of
    :func:`letter_words` of the sentence; a sentence without any of them cannot match.
    """

    __slots__ = ("first_words", "pattern", "twin")

    def __init__(self, pattern: re.Pattern[str], first_words: frozenset[str] | None) -> None:
        self.pattern = pattern
        self.first_words = first_words
        #: the same pattern for lowered ASCII text, faster to search (see :mod:`.lowered`)
        self.twin = lowered_twin(pattern)

    def admits(self, text: str) -> bool:
        return self.first_words is None or not self.first_words.isdisjoint(letter_words(text))

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        words = self.first_words
        # a match may end at endpos, where a longer word of the whole text was cut
        seen = text if endpos >= len(text) else text[:endpos]
        if words is not None and words.isdisjoint(letter_words(seen)):
            return None
        lowered = ascii_lowered(text) if self.twin is not None else None
        if self.twin is None or lowered is None:
            return self.pattern.search(text, pos, endpos)
        return search_lowered(self.pattern, self.twin, text, lowered, pos, endpos)

    def match(self, text: str, *bounds: int) -> re.Match[str] | None:
        return self.pattern.match(text, *bounds) if self.admits(text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if not self.admits(text):
            return iter(())
        lowered = ascii_lowered(text) if self.twin is not None else None
        if self.twin is None or lowered is None:
            return self.pattern.finditer(text)
        return finditer_lowered(self.pattern, self.twin, text, lowered)


#: at most this many first words per alternative before the derivation gives up
_MAX_EXPANSION = 64


def _first_words(alternative: str, flags: int) -> set[str] | None:
    """The letter words (a-z) a match of ``alternative`` starts with, or None if unsure."""
    try:
        items = list(sre_parse.parse(alternative, flags & ~re.I))
    except re.error:
        return None
    states = _expand(items, {("", False)})
    if states is None or any(not word for word, _ in states):
        return None
    return {word for word, _ in states}


def _expand(items: list[Any], states: set[tuple[str, bool]]) -> set[tuple[str, bool]] | None:
    """Walk a parsed sequence, extending each (letters so far, word ended) state."""
    for op, value in items:
        open_states = {state for state in states if not state[1]}
        if not open_states:
            return states
        done = states - open_states
        step = _step(op, value, open_states)
        if step is None or len(step) > _MAX_EXPANSION:
            return None
        states = done | step
    return states


def _step(op: Any, value: Any, states: set[tuple[str, bool]]) -> set[tuple[str, bool]] | None:
    if op is sre_constants.LITERAL:
        char = chr(value).lower()
        if "a" <= char <= "z":
            return {(word + char, False) for word, _ in states}
        if char.isalpha() or char.isdigit() or char == "_":
            return None  # a word character outside a-z: the word cannot be read off
        return {(word, True) for word, _ in states}
    if op is sre_constants.AT:
        return {(word, True) for word, _ in states}
    if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT) and not any(w for w, _ in states):
        return states  # a look-around before the first letter consumes nothing
    if op is sre_constants.IN:
        letters = _class_letters(value)
        if letters is not None:  # "analys[ie]s": a few letters, one branch each
            return {(word + letter, False) for word, _ in states for letter in letters}
        return None if _class_has_letters(value) else {(word, True) for word, _ in states}
    if op is sre_constants.SUBPATTERN:
        return _expand(list(value[-1]), states)
    if op is sre_constants.BRANCH:
        result: set[tuple[str, bool]] = set()
        for branch in value[1]:
            found = _expand(list(branch), states)
            if found is None:
                return None
            result |= found
        return result
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
        return _repeat(value, states)
    return None


def _repeat(value: Any, states: set[tuple[str, bool]]) -> set[tuple[str, bool]] | None:
    low, high, item = value
    once = _expand(list(item), states)
    if once is None:
        return None
    # "s?" once or not; "\\s+", "(?: [\\w-]+){0,6}": when one repetition ends every word,
    # more repetitions cannot change the first word
    if high == 1 or all(ended for _, ended in once):
        return once | states if low == 0 else once
    return None


def _class_letters(members: Any) -> list[str] | None:
    """The letters of a small class of literal letters a-z ("[ie]"), else None."""
    letters = [chr(value).lower() for op, value in members if op is sre_constants.LITERAL]
    if len(letters) != len(members) or len(letters) > 6:
        return None
    return letters if all("a" <= letter <= "z" for letter in letters) else None


def _class_has_letters(members: Any) -> bool:
    for op, value in members:
        if op is sre_constants.LITERAL and chr(value).isalnum():
            return True
        if op is sre_constants.RANGE:
            return True
        if op is sre_constants.CATEGORY and value not in (
            sre_constants.CATEGORY_SPACE,
            sre_constants.CATEGORY_DIGIT,
        ):
            return True
        if op is sre_constants.NEGATE:
            return True
    return False


# --------------------------------------------------------------------------- vocabulary

_HEALTH_TERMS = _words_regex(
    r"\b(?:"
    # nutrients, substances, food
    r"magnesium|calcium|sodium|potassium|zinc|iron|iodine|selenium|copper|phosph\w*|"
    r"vitamins?|minerals?|electrolytes?|salts?|sugars?|glucose|fructose|fats?|fatty|"
    r"omega[- ]?3s?|proteins?|fib(?:re|er)s?|carb\w*|cholesterol|ldl|hdl|triglycerides?|"
    r"caffeine|alcohol|wine|beer|supplement\w*|probiotics?|prebiotics?|nutrients?|"
    r"nutrition\w*|diets?|dietary|foods?|meals?|drinks?|beverages?|fluids?|water intake|"
    r"hydrat\w*|dehydrat\w*|antioxidants?|melatonin|serotonin|cortisol|insulin|hormon\w*|"
    r"enzym\w*|collagen|creatine|herbs?|turmeric|curcumin|ginger|garlic|coffee|tea|milk|"
    r"dairy|gluten|lactose|asbestos|pollutants?|toxins?|toxic\w*|chemicals?|additives?|"
    r"pesticides?|preservatives?|calories?|kcal|intake|dose|doses|dosage|mg|mcg|µg|iu|mmol|"
    r"fasting|hunger|appetite|thirst|spf|uv|sun protection|sunscreens?|sunburn\w*|"
    # body
    r"muscles?|muscular|nerves?|nervous|neur\w*|brain|heart|cardi\w*|blood|bones?|"
    r"kidneys?|renal|liver|gut|intestin\w*|stomach|bowel\w*|digest\w*|skin|eyes?|eyelids?|"
    r"lungs?|immun\w*|cells?|organs?|joints?|body|bodies|metabol\w*|absor\w*|excret\w*|"
    r"urin\w*|arter\w*|vessels?|veins?|sweat|breath\w*|pulse|teeth|tooth|gums?|hair|nails|"
    r"microbes?|microbiome|bacteria\w*|yeasts?|"
    # conditions and symptoms
    r"cramp\w*|spasm\w*|twitch\w*|blepharospasm|tremors?|pain\w*|aches?|headaches?|"
    r"migraines?|fatigue|tired\w*|insomnia|sleep\w*|anxi\w*|stress\w*|depress\w*|moods?|"
    r"hypertension|hypotension|blood pressure|diabet\w*|obes\w*|overweight|weight loss|"
    r"cancers?|melanomas?|tumou?rs?|diseases?|disorders?|syndromes?|infect\w*|inflamm\w*|"
    r"deficien\w*|symptoms?|nausea|dizz\w*|vertigo|osteoporosis|osteoarthritis|asthma|"
    r"allerg\w*|arthritis|dementia|alzheimer\w*|strokes?|cardiovascular|memory|weight|"
    r"odou?rs?|constipation|diarrh\w*|bloating|pregnan\w*|menopaus\w*|menstrua\w*|fertility|"
    r"acne|eczema|fever|temperature|sore|colds?|flu|influenza|pneumonia|covid\w*|virus\w*|"
    r"anaemi\w*|anemi\w*|haemoglobin|hemoglobin|ferritin|hyponatr\w*|rhabdomyolysis|"
    r"wellbeing|well-being|health|healthy|illness\w*|injur\w*|wounds?|recovery|ageing|aging|"
    r"mortality|deaths?|dying|lifespan|life expectancy|side[- ]effects?|adverse|attacks?|"
    r"overdose|toxicity|allergic|conditions?|"
    # medicine and people in it
    r"drugs?|medication\w*|medicines?|medical|treat\w*|therap\w*|patients?|doctors?|"
    r"physicians?|clinical|clinicians?|trials?|vaccin\w*|antibiotics?|blockers?|"
    r"inhibitors?|statins?|aspirin|ibuprofen|paracetamol|fluoxetine|opioids?|placebo|"
    r"surgery|diagnos\w*|scans?|mri|x-rays?|painkillers?|lozenges?|capsules?|tablets?|"
    r"exercise|workouts?|smok\w*|physical activity|pharmac\w*|prescri\w*|"
    r"adults?|children|babies|infants|women|men|people|elderly|"
    # mental health, public health, infection, complementary medicine
    r"suicid\w*|self-harm|mental|psychiatr\w*|psycholog\w*|psychoactive|behaviou?r\w*|"
    r"disparit\w*|epidemi\w*|pandemic|outbreaks?|pathogen\w*|bacteri\w*|salmonell\w*|"
    r"typhoid|shock|septic|sepsis|hospital\w*|nosocomial|antimicrobial|immuni[sz]\w*|"
    r"acupuncture|hypno\w*|yoga|meditation|mindfulness|massage|chiropract\w*|"
    r"estrogens?|oestrogens?|progest\w*|phytoestrogens?|isoflavones?|receptors?|"
    r"adenosine|dopamine|nicotine|tobacco|cigarettes?|pollution|air quality|"
    # medical word endings: "-osis", "-itis", "-aemia", "-oma", "-pathy"
    r"\w+(?:osis|itis|a?emia|oma|pathy|plasia|ectomy|otomy|algia|uria)"
    r")\b",
    re.I,
)
#: everyday words that do not make a sentence medical on their own
_WEAK_TERMS = frozenset(
    {
        "health", "healthy", "body", "bodies", "food", "foods", "meal", "meals", "drink",
        "drinks", "beverage", "beverages", "diet", "diets", "intake", "wellbeing", "well-being",
        "doctor", "doctors", "physician", "physicians", "clinicians", "clinician", "condition",
        "conditions", "medical", "weight", "memory", "mood", "moods", "exercise", "sleep",
        "attack", "attacks", "sore", "temperature", "adult", "adults", "children", "babies",
        "infants", "women", "men", "people", "elderly", "tea", "capsules", "tablets",
        "recovery", "trials", "trial",
    }
)  # fmt: skip

_EFFECT_RE = _words_regex(
    r"\b(?:"
    r"caus(?:e|es|ed|ing)|reduc(?:e|es|ed|ing|tion)|increas(?:e|es|ed|ing)|"
    r"lower(?:s|ed|ing)?|rais(?:e|es|ed|ing)|decreas(?:e|es|ed|ing)|prevent(?:s|ed|ing)?|"
    r"treat(?:s|ed|ing)?|cur(?:e|es|ed|ing)|improv(?:e|es|ed|ing|ement)|"
    r"reliev(?:e|es|ed|ing)|relief|eas(?:e|es|ed|ing)|boost(?:s|ed|ing)?|"
    r"trigger(?:s|ed|ing)?|sets? off|block(?:s|ed|ing)?|inhibit(?:s|ed|ing)?|"
    r"stimulat(?:e|es|ed|ing)|promot(?:e|es|ed|ing)|protect(?:s|ed|ing|ion|ive)?|"
    r"heal(?:s|ed|ing)?|fight(?:s|ing)?|lead(?:s|ing)? to|led to|result(?:s|ed)? in|"
    r"contribut(?:e|es|ed|ing) to|link(?:s|ed)? (?:to|with)|associated with|correlat\w*|"
    r"related to|responsible (?:\w+ ){0,3}for|involved (?:\w+ ){0,2}in|"
    r"affect(?:s|ed|ing)?|regulat(?:e|es|ed|ing)|displac(?:e|es|ed|ing)|"
    r"deplet(?:e|es|ed|ing)|excret(?:e|es|ed|ing)|relax(?:es|ed|ing)?|"
    r"contract(?:s|ed|ing)?|strengthen\w*|weaken\w*|damag(?:e|es|ed|ing)|harm(?:s|ed|ful)?|"
    r"worsen\w*|exacerbat\w*|alleviat\w*|lessen\w*|suppress\w*|enhanc(?:e|es|ed|ing)|"
    r"support(?:s|ed|ing)?|slow(?:s|ed|ing)?|speed(?:s|ed)? up|counteract\w*|dilut\w*|"
    r"antagoni\w*|attribut(?:ed|able) to|traced (?:back )?to|due to|because of|because|"
    r"functions?|in balance|build(?:s)? up|symptoms? (?:of|are|include)|"
    r"signs? (?:of|are|include)|(?:best |good |main |rich )?sources? of|the best sources|"
    r"side[- ]effects? (?:are|include)|risk(?:s)? of|at risk|risk factor|"
    r"deficien\w*|benefi\w*|effective|ineffective|efficacy|safe|safety|unsafe|toxic|"
    r"dangerous|harmless|suitable|unsuitable|"
    r"essential for|needed for|required for|necessary for|important for|"
    r"absorb(?:s|ed|ing)?|absorption|stor(?:e|ed|es) in|produc(?:e|es|ed|ing)|"
    r"mak(?:e|es) (?:it|you|us|them)|allows?|assists?|helps?|help(?:ed|ing)|"
    r"share[sd]? (?:many|the same|similar)|creates?|spread(?:s)? to|dilat\w*|constrict\w*|"
    r"retain(?:s|ed)?|sensitiz\w*|resistan\w*|tolerance|addict\w*|depend(?:ence|ency)|"
    r"more (?:likely|prone|common)|less (?:likely|prone|common)|higher|lower|greater|fewer|"
    r"need(?:s)? (?:more|less|longer)|than (?:their|other|those)|compared (?:to|with)|"
    r"outperform\w*|as (?:well|much) as|contains?|rich in|"
    r"bleached|heat processed|stripped of|contains? no"
    r")\b",
    re.I,
)

_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|forty|fifty|"
    r"hundred)"
)
_UNITS = (
    r"percent|per cent|mg|mcg|µg|ug|g|kg|grams?|milligrams?|micrograms?|iu|mmol(?:/l)?|mol|"
    r"ml|mL|l|litres?|liters?|kcal|calories|mm ?hg|bpm|hours?|hrs?|minutes?|days?|weeks?|"
    r"months?|years?|times|fold|x|cups?|glasses"
)
_DIGITS_RE = re.compile(r"\d[\d,.]*")
#: what makes a run of digits a quantity: a unit, a scale or a counted noun after it
_AFTER_DIGITS_RE = re.compile(
    rf"\s*(?:%|(?:{_UNITS})\b)|\s+(?:million|billion|thousand|hundred)\b"
    r"|\s+(?:people|adults|children|patients|women|men|participants|subjects|americans|"
    r"cases|deaths|studies|trials|processes|reactions|enzymes|types|kinds)\b",
    re.I,
)
#: ... or a quantifier before it ("over 300", "in 1972")
_BEFORE_DIGITS_RE = re.compile(
    r"(?:\b(?:over|more than|less than|fewer than|under|at least|up to|as (?:many|much) as|"
    r"almost|nearly|around|about|approximately|roughly|some|only|just)"
    r"|\b(?P<year>in|since|until|by|from)(?: the)?)\s+$",
    re.I,
)
_WORD_NUMBER_RE = _words_regex(
    r"\b(?:"
    rf"{_NUMBER_WORD}\s+(?:in|out of)\s+(?:{_NUMBER_WORD}|\d+)"
    rf"|{_NUMBER_WORD}(?:[- ]{_NUMBER_WORD})?\s+(?:days?|weeks?|months?|years?|hours?|"
    r"times|percent|cups?|glasses)"
    rf"|top (?:\d+|{_NUMBER_WORD})"
    r"|half|a third|a quarter|a fifth|two[- ]thirds|three[- ]quarters|twice|double|"
    r"triple|millions|billions|thousands|hundreds"
    r")\b",
)
_HAS_DIGIT = re.compile(r"\d")


def _number(sentence: str) -> str | None:
    """The first quantity in a sentence ("400mg", "over 300", "one in two"), or None."""
    for run in _DIGITS_RE.finditer(sentence) if _HAS_DIGIT.search(sentence) else ():
        digits = run.group(0).rstrip(".,")
        end = run.start() + len(digits)
        after = _AFTER_DIGITS_RE.match(sentence, end)
        if after:
            return sentence[run.start() : after.end()]
        before = _BEFORE_DIGITS_RE.search(sentence, max(0, run.start() - 24), run.start())
        if before and (not before.group("year") or re.fullmatch(r"1[5-9]\d\d|20\d\d", digits)):
            return sentence[before.start() : end]
    words = _WORD_NUMBER_RE.search(sentence)
    if words:
        return words.group(0)
    return None


#: a dose or a share is check-worthy on its own
_STRONG_NUMBER_RE = re.compile(
    r"%|percent|per cent|million|billion|\bin\b|\bout of\b|mg\b|mcg|µg|micrograms?|"
    r"milligrams?|\biu\b|mmol",
    re.I,
)

_POPULATION = (
    r"(?:people|adults|children|patients|women|men|cases|episodes|users|drinkers|smokers|"
    r"americans|britons|of us|of them|babies|infants|athletes|runners)"
)
_PREVALENCE_RE = _words_regex(
    r"\b(?:"
    r"(?:the )?(?:vast )?majority of|minority of|"
    rf"(?:most|many|few|some|all|nearly all|almost all) (?:\w+ ){{0,2}}{_POPULATION}|"
    r"many reports|in most (?:of these )?cases|common(?:ly)?|rare(?:ly)?|widespread|"
    r"prevalence|prevalences|prevalent|estimated|affects? (?:up to|about|around|nearly|over|millions)|"
    r"(?:all|every|anybody|anyone|everyone) (?:who|with)|the most (?:common|\w+ed|popular)|"
    r"one of the most|the only|never|always|usually|often|typically|generally|frequently"
    r")\b",
    re.I,
)

_ATTRIBUTION_RE = _words_regex(
    r"\b(?:"
    r"(?:studies|study|research|trials?|reviews?|surveys?|analys[ie]s|meta-analys[ie]s|"
    r"evidence|data|science|scientists|researchers|experts|doctors|physicians|"
    r"nutritionists|dietitians|health experts|specialists|reports|guidelines?|guidance)\s+"
    r"(?:have |has |had )?(?:also )?"
    r"(?:show(?:s|n|ed)?|suggest(?:s|ed)?|found|find(?:s)?|indicate(?:s|d)?|prove[sdn]?|"
    r"confirm(?:s|ed)?|reveal(?:s|ed)?|discover(?:s|ed)?|observe[sd]?|noted|"
    r"conclude[sd]?|demonstrate(?:s|d)?|say(?:s)?|said|agree(?:s|d)?|advise[sd]?|"
    r"believe(?:s|d)?|recommend(?:s|ed)?|warn(?:s|ed)?|link(?:s|ed)?|report(?:s|ed)?|"
    r"point(?:s|ed)? to|support(?:s|ed)?|tell us)"
    r"|according to(?: the| a| an| some| many| recent)?(?: [\w'’-]+){1,6}"
    r"|it (?:has been|is|was) (?:also )?(?:been )?(?:widely |well |generally |commonly )?"
    r"(?:shown|proven|known|established|estimated|thought|believed|accepted|"
    r"reported|documented|recognised|recognized|considered)"
    r"|(?:is|are|was|were) (?:widely|generally|commonly|often|well) "
    r"(?:considered|regarded|believed|accepted|known|reported|recognised|recognized|"
    r"established)"
    r"|(?:is|are) (?:known|thought|believed|said|shown|proven|reported) to"
    r"|there (?:have|has) been (?:a number of |many |several |numerous )?"
    r"(?:anecdotal )?(?:reports|studies|cases)"
    r"|the research is|(?:health )?authorities (?:say|recommend|agree|advise)"
    r"|(?:the )?(?:who|cdc|nhs|fda|nih|world health organi[sz]ation|"
    r"centers for disease control)\s+(?:says?|recommends?|estimates?|reports?|warns?)"
    r"|says? (?:nutritionist|dietitian|doctor|dr|professor|prof|expert|researcher|gp|"
    r"pharmacist|physio\w*|naturopath|trainer|coach)\b[^,.]{0,40}"
    r"|(?:my|a|one|our) (?:\w+ ){0,2}(?:friend|neighbou?r|mum|mom|mother|dad|father|sister|"
    r"brother|aunt|uncle|cousin|colleague|coach|trainer|naturopath|chiropractor|doctor|gp|"
    # then maybe a name: [a-z] is any letter (case is ignored), and lower case gives the list
    # a lowered twin (:mod:`.lowered`)
    r"physio\w*|nutritionist|pharmacist|dietitian|nurse)(?:\s+[a-z]\w+)?,?"
    r"(?: [^.;:]{0,80}?,)? (?:once |always |also )?(?:told me|tells me|says|said|swears|"
    r"recommends|recommended|believes|insists|claims)"
    r")\b"
)
#: "many studies show": words before an attribution that belong to it
_ATTRIBUTION_LEAD = frozenset(
    {
        "numerous", "many", "several", "some", "recent", "new", "multiple", "countless",
        "scientific", "clinical", "the", "a", "one", "other", "large", "published",
    }
)  # fmt: skip


def _attribution(sentence: str) -> str | None:
    """The attribution phrase of a sentence ("Numerous studies have shown"), or None."""
    match = _ATTRIBUTION_RE.search(sentence)
    if match is None:
        return None
    start = match.start()
    before = _WORD_BEFORE_RE.search(sentence[max(0, start - 20) : start])
    if before and before.group(1).lower() in _ATTRIBUTION_LEAD:
        start -= len(sentence[max(0, start - 20) : start]) - before.start()
    topic = _TOPIC_ATTRIBUTION_RE.search(sentence)
    if topic and topic.start() <= match.start() < topic.end():
        return None
    return _clean_phrase(sentence[start : match.end()])


_WORD_BEFORE_RE = re.compile(r"([A-Za-z]+)\s+$")
#: "what the research says" names a topic, it does not attribute a claim
_TOPIC_ATTRIBUTION_RE = re.compile(
    r"\bwhat (?:the )?(?:research|science|studies|evidence|experts|doctors) (?:says?|shows?)\b",
    re.I,
)
#: statements about the state of the evidence
_EVIDENCE_RE = _words_regex(
    r"\b(?:"
    r"(?:no|little|any|good|strong|weak|limited|insufficient|some|enough|robust|clear|"
    r"conclusive|solid|scientific) (?:good |scientific |clinical |strong )?"
    r"(?:evidence|proof|studies|research|data)|"
    r"the (?:evidence|research|data|science) (?:on|for|about|behind|is|are|remains?|"
    r"suggests?|shows?)|"
    r"(?:trials|studies|research|evidence|results)(?: [\w-]+){0,6} (?:have|has|were|was|are|is) "
    r"(?:mostly |largely |generally |so far )?(?:been )?(?:mostly |largely |generally |so far )?(?:neutral|negative|positive|mixed|"
    r"inconclusive|conclusive|conflicting|contradictory|disappointing)|"
    r"results (?:differ|vary|are mixed)|(?:is|are) (?:not )?(?:backed|supported) by|"
    r"(?:has|have|had) (?:not )?(?:clearly |consistently |yet |ever |also )?been "
    r"(?:shown|proven|found|demonstrated|established)"
    r")\b",
    re.I,
)


_FINITE_RE = _words_regex(
    r"\b(?:is|are|was|were|be|been|has|have|had|do|does|did|can|could|may|might|will|"
    r"would|shall|should|must|isn't|aren't|doesn't|don't|won't|can't)\b",
    re.I,
)
_MODAL_RE = _words_regex(r"\b(?:can|could|may|might|will|won't|can't|cannot)\b", re.I)


def attribution_is_reported_speech(phrase: str) -> bool:
    """ "my friend told me", "says nutritionist X": a claim someone else makes."""
    return bool(re.search(r"(?i)\b(?:told me|tells me|says|said|swears|recommend|believes|"
                          r"insists|claims)\b", phrase))  # fmt: skip


@functools.lru_cache(maxsize=256)
def _health_terms(sentence: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, word) of every health term; cached, several rules ask for them."""
    return tuple((m.start(), m.end(), m.group(0)) for m in _HEALTH_TERMS.finditer(sentence))


@functools.lru_cache(maxsize=256)
def _strong_terms(sentence: str) -> tuple[tuple[int, int, str], ...]:
    """Health terms, without the everyday words that do not make a sentence medical alone."""
    return tuple(t for t in _health_terms(sentence) if t[2].lower() not in _WEAK_TERMS)


def _strong_health_term(sentence: str) -> tuple[int, int, str] | None:
    terms = _strong_terms(sentence)
    if terms:
        return terms[0]
    weak = _health_terms(sentence)
    # two different everyday health words together ("safe for healthy adults")
    return weak[0] if len({t[2].lower() for t in weak}) >= 2 else None


def _effect_with_health(sentence: str) -> tuple[str | None, str | None]:
    """An effect word and a health term that is a different word ("treated" + "potassium")."""
    effects = list(_EFFECT_RE.finditer(sentence))
    if not effects:
        return None, None
    terms: tuple[tuple[int, int, str], ...] = _strong_terms(sentence)
    if not terms and _strong_health_term(sentence):
        terms = _health_terms(sentence)
    for effect in effects:
        for start, end, word in terms:
            if end <= effect.start() or start >= effect.end():
                return effect.group(0).strip(), word.strip()
    return effects[0].group(0).strip(), None


def _clean_phrase(phrase: str) -> str:
    """Trim an attribution to its speaker: "according to the World Health Organisation"."""
    phrase = re.sub(r"\s+", " ", phrase).strip(" ,")
    match = re.match(
        r"(?i)(according to(?: the| a| an| some| many| recent)?)((?: [\w'-]+)*)", phrase
    )
    if not match:
        return phrase
    kept: list[str] = []
    for word in match.group(2).split():
        if word[:1].isupper() or (kept and word.lower() in {"of", "for", "and"}):
            kept.append(word)
        elif not kept and len(kept) < 3:
            kept.append(word)
            if word.lower() in {"study", "studies", "review", "report", "survey", "research"}:
                break
        else:
            break
    while kept and kept[-1].lower() in {"of", "for", "and"}:
        kept.pop()
    return f"{match.group(1)} {' '.join(kept)}".strip()
