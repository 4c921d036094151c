"""Decide which sentences of a draft are check-worthy claims. Rule-based and explainable.

A sentence is a claim when it states something a reader could check against evidence:

* **attribution** - it leans on an authority without saying which: "studies show",
  "research suggests", "according to the World Health Organisation", "doctors agree";
* **number** - percentages, doses ("400 mg"), counts ("700 million people"), prevalence
  ("almost one in two of us", "the vast majority of");
* **effect** - a causal or associative verb ("reduces", "causes", "is linked to",
  "stimulates", "is a symptom of") together with a health term (a nutrient, a body part,
  a condition, a drug).

It is not a claim when it is a question, an instruction or piece of advice, a first-person
opinion or anecdote, a disclaimer, navigation ("Read more", "Leave a reply"), or a fragment
without a verb (a list of symptoms, a heading naming a topic). A sentence that carries a
citation is a claim unless it is a question, navigation or a disclaimer.

Every decision carries its reasons (``number: 400mg``, ``effect: reduces``,
``excluded: question``) so a reviewer can see why a sentence was or was not picked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Verdict", "classify_sentence", "strip_markers"]


@dataclass(frozen=True, slots=True)
class Verdict:
    """The check-worthiness decision for one sentence."""

    checkworthy: bool
    reasons: tuple[str, ...] = ()
    #: why it is not a claim: question, advice, opinion, disclaimer, navigation, fragment
    excluded: str | None = None
    #: the attribution phrase ("studies show"), when the sentence has one
    attribution: str | None = None


# --------------------------------------------------------------------------- vocabulary

_HEALTH_TERMS = re.compile(
    r"\b(?:"
    # nutrients, substances, food
    r"magnesium|calcium|sodium|potassium|zinc|iron|iodine|selenium|copper|phosph\w*|"
    r"vitamins?|minerals?|electrolytes?|salts?|sugars?|glucose|fructose|fats?|fatty|"
    r"omega[- ]?3s?|proteins?|fib(?:re|er)s?|carb\w*|cholesterol|caffeine|alcohol|"
    r"supplement\w*|probiotics?|prebiotics?|nutrients?|nutrition\w*|diets?|dietary|foods?|"
    r"meals?|drinks?|beverages?|fluids?|water intake|hydrat\w*|dehydrat\w*|antioxidants?|"
    r"melatonin|serotonin|cortisol|insulin|hormones?|enzym\w*|collagen|creatine|herbs?|"
    r"turmeric|curcumin|ginger|garlic|coffee|tea|milk|dairy|gluten|lactose|asbestos|"
    r"pollutants?|toxins?|toxic\w*|chemicals?|additives?|pesticides?|preservatives?|"
    r"calories|kcal|intake|dose|doses|dosage|mg|mcg|µg|iu|mmol|"
    # body
    r"muscles?|muscular|nerves?|nervous|neur\w*|brain|heart|cardi\w*|blood|bones?|"
    r"kidneys?|renal|liver|gut|intestin\w*|stomach|digest\w*|skin|eyes?|eyelids?|lungs?|"
    r"immun\w*|cells?|organs?|joints?|body|bodies|metabol\w*|absor\w*|excret\w*|urin\w*|"
    r"arter\w*|vessels?|veins?|sweat|breath\w*|pulse|teeth|tooth|gums?|hair|"
    # conditions and symptoms
    r"cramp\w*|spasm\w*|twitch\w*|blepharospasm|tremors?|pain\w*|aches?|headaches?|"
    r"migraines?|fatigue|tired\w*|insomnia|sleep\w*|anxi\w*|stress\w*|depress\w*|moods?|"
    r"hypertension|hypotension|blood pressure|diabet\w*|obes\w*|overweight|cancers?|"
    r"tumou?rs?|diseases?|disorders?|syndromes?|infect\w*|inflamm\w*|deficien\w*|"
    r"symptoms?|nausea|dizz\w*|vertigo|osteoporosis|asthma|allerg\w*|arthritis|dementia|"
    r"alzheimer\w*|strokes?|cardiovascular|memory|weight|odou?rs?|constipation|diarrh\w*|"
    r"pregnan\w*|menopaus\w*|fertility|acne|eczema|fever|colds?|flu|covid\w*|virus\w*|"
    r"bacteria\w*|wellbeing|well-being|health|healthy|illness\w*|injur\w*|wounds?|"
    r"mortality|deaths?|dying|lifespan|life expectancy|side[- ]effects?|adverse|"
    r"overdose|toxicity|allergic|conditions?|"
    # medicine and people in it
    r"drugs?|medication\w*|medicines?|medical|treat\w*|therap\w*|patients?|doctors?|"
    r"physicians?|clinical|clinicians?|trials?|vaccin\w*|antibiotics?|blockers?|"
    r"inhibitors?|statins?|aspirin|ibuprofen|paracetamol|opioids?|surgery|diagnos\w*|"
    r"exercise|workouts?|smok\w*|physical activity|pharmac\w*|prescri\w*"
    r")\b",
    re.I,
)

_EFFECT_RE = re.compile(
    r"\b(?:"
    r"caus(?:e|es|ed|ing)|reduc(?:e|es|ed|ing|tion)|increas(?:e|es|ed|ing)|"
    r"lower(?:s|ed|ing)?|rais(?:e|es|ed|ing)|decreas(?:e|es|ed|ing)|prevent(?:s|ed|ing)?|"
    r"treat(?:s|ed|ing)?|cur(?:e|es|ed|ing)|improv(?:e|es|ed|ing|ement)|"
    r"reliev(?:e|es|ed|ing)|relief|eas(?:e|es|ed|ing)|boost(?:s|ed|ing)?|"
    r"trigger(?:s|ed|ing)?|block(?:s|ed|ing)?|inhibit(?:s|ed|ing)?|stimulat(?:e|es|ed|ing)|"
    r"promot(?:e|es|ed|ing)|protect(?:s|ed|ing)?|heal(?:s|ed|ing)?|fight(?:s|ing)?|"
    r"lead(?:s|ing)? to|led to|result(?:s|ed)? in|contribut(?:e|es|ed|ing) to|"
    r"link(?:s|ed)? (?:to|with)|associated with|correlat\w*|related to|"
    r"responsible (?:\w+ ){0,3}for|"
    r"involved (?:\w+ ){0,2}in|affect(?:s|ed|ing)?|regulat(?:e|es|ed|ing)|displac(?:e|es|ed|ing)|"
    r"deplet(?:e|es|ed|ing)|excret(?:e|es|ed|ing)|relax(?:es|ed|ing)?|"
    r"contract(?:s|ed|ing)?|strengthen\w*|weaken\w*|damag(?:e|es|ed|ing)|harm(?:s|ed|ful)?|"
    r"worsen\w*|exacerbat\w*|alleviat\w*|lessen\w*|suppress\w*|enhanc(?:e|es|ed|ing)|"
    r"support(?:s|ed|ing)?|slow(?:s|ed|ing)?|speed(?:s|ed)? up|counteract\w*|"
    r"antagoni\w*|attribut(?:ed|able) to|traced (?:back )?to|due to|because of|"
    r"because|functions?|in balance|symptoms? of|signs? of|side[- ]effects?|risk(?:s)? of|at risk|risk factor|"
    r"deficien\w*|benefi\w*|effective|ineffective|efficacy|safe|unsafe|toxic|"
    r"essential for|needed for|required for|necessary for|important for|"
    r"absorb(?:s|ed|ing)?|absorption|stor(?:e|ed|es) in|produc(?:e|es|ed|ing)|"
    r"mak(?:e|es) (?:it|you|us|them)|allows?|assists?|helps?|help(?:ed|ing)|"
    r"share[sd]? (?:many|the same|similar)|creates?|spread(?:s)? to|dilat\w*|constrict\w*|"
    r"retain(?:s|ed)?|sensitiz\w*|resistan\w*|tolerance|addict\w*|depend(?:ence|ency)|"
    r"more (?:likely|prone)|less (?:likely|prone)|higher|lower|greater|fewer|"
    r"than (?:their|other|those)|compared (?:to|with)|outperform\w*|"
    r"bleached|heat processed|stripped of|contains? no"
    r")\b",
    re.I,
)

_NUMBER_RE = re.compile(
    r"(?:"
    r"\d+(?:[.,]\d+)?\s*(?:%|percent|per cent|mg|mcg|µg|ug|g|kg|grams?|milligrams?|"
    r"micrograms?|iu|mmol|mol|ml|mL|l|litres?|liters?|kcal|calories|mm ?hg|bpm|"
    r"hours?|hrs?|minutes?|days?|weeks?|months?|years?|times|fold|x)\b"
    r"|\b\d[\d,.]*\s+(?:million|billion|thousand|hundred)\b"
    r"|\b(?:over|more than|less than|fewer than|under|at least|up to|as (?:many|much) as|"
    r"almost|nearly|around|about|approximately|roughly|some|only|just)\s+\d[\d,.]*"
    r"|\b\d[\d,.]*\s+(?:people|adults|children|patients|women|men|participants|subjects|"
    r"americans|cases|deaths|studies|trials|processes|reactions|enzymes|types|kinds)\b"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:in|out of)\s+"
    r"(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\b"
    r"|\b(?:half|a third|a quarter|two[- ]thirds|three[- ]quarters|twice|double|triple|"
    r"millions|billions|thousands|hundreds)\b"
    r"|\b(?:in|since|until|by|from)\s+(?:the\s+)?(?:1[5-9]\d\d|20\d\d)s?\b"
    r")",
    re.I,
)

_PREVALENCE_RE = re.compile(
    r"\b(?:"
    r"(?:the )?(?:vast )?majority of|minority of|most (?:people|adults|of us|americans|"
    r"cases|patients|women|men|children)|many (?:people|of us|adults|patients|women|men|"
    r"cases|reports)|in most (?:of these )?cases|common(?:ly)?|rare(?:ly)?|widespread|"
    r"prevalen\w*|estimated|affects? (?:up to|about|around|nearly|over|millions)|"
    r"(?:all|every|anybody|anyone|everyone) (?:who|with)|the most common|"
    r"the only|never|always"
    r")\b",
    re.I,
)

_ATTRIBUTION_RE = re.compile(
    r"\b(?P<phrase>"
    r"(?:numerous|many|several|some|recent|new|multiple|countless|scientific|clinical|"
    r"the|a|one|other|large|published)?\s*"
    r"(?:studies|study|research|trials?|reviews?|surveys?|analys[ie]s|meta-analys[ie]s|"
    r"evidence|data|science|scientists|researchers|experts|doctors|physicians|"
    r"nutritionists|dietitians|health experts|specialists|reports)\s+"
    r"(?:have |has |had )?(?:also )?"
    r"(?:show(?:s|n|ed)?|suggest(?:s|ed)?|found|find(?:s)?|indicate(?:s|d)?|prove[sdn]?|"
    r"confirm(?:s|ed)?|reveal(?:s|ed)?|discover(?:s|ed)?|observe[sd]?|noted|conclude[sd]?|demonstrate(?:s|d)?|say(?:s)?|said|agree(?:s|d)?|"
    r"believe(?:s|d)?|recommend(?:s|ed)?|warn(?:s|ed)?|link(?:s|ed)?|report(?:s|ed)?|"
    r"point(?:s|ed)? to|support(?:s|ed)?|tell us)"
    r"|according to(?: the| a| an| some| many| recent)?(?: [\w'’-]+){1,6}"
    r"|it (?:has been|is|was) (?:been )?(?:widely |well |generally |commonly )?"
    r"(?:shown|proven|known|established|estimated|thought|believed|accepted|"
    r"reported|documented|recognised|recognized|considered)"
    r"|(?:is|are|was|were) (?:widely|generally|commonly|often|well) "
    r"(?:considered|regarded|believed|accepted|known|reported|recognised|recognized)"
    r"|(?:is|are) (?:known|thought|believed|said|shown|proven|reported) to"
    r"|many reports|there (?:have|has) been (?:a number of |many |several |numerous )?"
    r"(?:anecdotal )?(?:reports|studies|cases)"
    r"|the research is|(?:health )?authorities (?:say|recommend|agree)"
    r"|(?:the )?(?:who|cdc|nhs|fda|nih|world health organi[sz]ation|"
    r"centers for disease control)\s+(?:says?|recommends?|estimates?|reports?|warns?)"
    r")\b",
    re.I,
)

# --------------------------------------------------------------------------- exclusions

_NAVIGATION_RE = re.compile(
    r"^(?:read more|learn more|click|tap|scroll|leave a (?:reply|comment)|share (?:this|on)|"
    r"subscribe|sign up|follow us|back to|see also|related:|next:|previous:|"
    r"continue reading|you can (?:read|find|see|view|learn|discover)|download|buy now|"
    r"shop now|visit (?:our|the)|to (?:discover|learn|find out|read)\b.*\b(?:visit|see|read|"
    r"click)|check out|jump to|skip to|table of contents|posted (?:in|by|on)|filed under|"
    r"tags?:|categories:|comments?|reply|menu|home\b|search\b|log ?in|sign in|"
    r"contents|more on|find out more)"
    r"|\b(?:click here|read the full|visit our|full article here|read more about|"
    r"learn more about|scroll to top)\b",
    re.I,
)
_DISCLAIMER_RE = re.compile(
    r"\b(?:not (?:intended|meant) (?:to|as|for)|(?:does not|doesn't|do not|is not) "
    r"(?:constitute|provide|replace|substitute)|medical advice|consult (?:your|a|with)|"
    r"speak (?:to|with) your|talk (?:to|with) your|for (?:informational|educational|"
    r"entertainment|general information) purposes|sponsored|affiliate|commission|"
    r"we (?:may )?earn|this (?:site|website|blog|page|post) (?:is|does|may|contains|uses)|"
    r"copyright|all rights reserved|privacy policy|terms of (?:use|service)|cookies?|"
    r"disclaimer|not been evaluated by|always seek|before (?:beginning|starting) (?:a|any)|"
    r"the views expressed|individual results may vary|results may vary)\b",
    re.I,
)
_OPINION_RE = re.compile(
    r"(?:^\W*(?:(?:and|but|so|well|honestly|personally|okay|ok|now|however|oh|ah|yes|no),?\s+)?"
    r"(?:i|i'm|i've|i'd|i'll|my|me|personally|in my (?:opinion|view|"
    r"experience))\b"
    r"|\b(?:i|we) (?:think|believe|feel|love|like|prefer|recommend|encourage|suggest|hope|"
    r"guess|reckon|imagine|swear by|adore|hate|use|now use|personally)\b"
    r"|\bin my (?:opinion|view|experience)\b|\bi'm (?:positive|sure|convinced|imagining)\b"
    r"|\b(?:this is|here is|here's) my\b|\bmy (?:quick |simple |ultimate |personal )?"
    r"(?:guide|tips|advice|favourite|favorite|preferred|routine|story)\b"
    r"|\bpeople i (?:speak|talk|know|work)\b)",
    re.I,
)
_IMPERATIVE_VERBS = frozenset(
    (
        "add", "aim", "ask", "avoid", "be", "buy", "call", "check", "choose", "click", "consider",
        "consult", "cut", "discover", "do", "don't", "dont", "drink", "eat", "enjoy", "find",
        "follow", "get", "give", "go", "grab", "hands", "head", "imagine", "include", "join",
        "keep", "learn", "let", "let's", "lets", "limit", "look", "make", "monitor", "note",
        "opt", "pick", "read", "remember", "see", "share", "skip", "sign", "speak", "start",
        "stay", "stick", "stop", "subscribe", "swap", "switch", "take", "talk", "throw", "try",
        "use", "visit", "watch", "write", "leave", "bookmark", "tell", "book", "contact",
        "schedule", "ensure", "replace", "reach", "pay", "think", "picture", "suppose",
    )
)  # fmt: skip
_LEADING_ADVERB = re.compile(
    r"^(?:always|never|just|simply|so|now|then|first|first off|next|finally|also|instead|"
    r"please|very simply|going forward|one last point|if in doubt)\b,?\s*",
    re.I,
)
_ADVICE_RE = re.compile(
    r"\b(?:you (?:should|need to|must|have to|might want to|may want to|could try|ought to)|"
    r"we (?:do |don't |)(?:need to|should|must|have to|recommend|encourage)|make sure|"
    r"be sure to|let's (?:take|have|look|see|find|get|start|dive|talk)|"
    r"it'?s (?:best|important|a good idea|up to you|worth)|it is (?:best|important|"
    r"a good idea|up to you|worth)|don't forget|try to|aim for|it'?s time to)\b",
    re.I,
)
_DIALOGUE_RE = re.compile(
    r"^\W*[\"“‘'].{1,200}[\"”’']\W*(?:you|he|she|they|i|we) (?:say|said|think|thought|ask|asked|"
    r"wonder|wondered|tell|told)\b",
    re.I,
)
_DID_YOU_KNOW_RE = re.compile(r"^\W*did you know(?: that)?\s+", re.I)
_FILLER_RE = re.compile(
    r"^(?:that'?s (?:it|just how it is|all)|success|let'?s find out|okay|ok|in comes\b|"
    r"see where this is going|does that make sense|here'?s (?:why|how|the thing)|"
    r"the answer is|it begs the question|without getting into)",
    re.I,
)
_VERB_HINT_RE = re.compile(
    r"\b(?:is|are|was|were|be|been|being|has|have|had|do|does|did|can|could|may|might|will|"
    r"would|shall|should|must|\w+(?:s|ed|es))\b",
    re.I,
)
_MARKER_RE = re.compile(r"\s*(?:\[\^?[\w\s,–-]{1,20}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+(?:[,⁻–-][¹²³⁴⁵⁶⁷⁸⁹⁰]+)*)")


def strip_markers(text: str) -> str:
    """The sentence without citation markers ("[1]", "[^2]", "¹²")."""
    cleaned = _MARKER_RE.sub("", text)
    cleaned = re.sub(r"\s+([.,;:!?])", r"\1", cleaned)
    return re.sub(r"\s{2,}", " ", cleaned).strip()


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z][\w'’-]*|\d[\d.,]*", text)


def _first_word(text: str) -> str:
    text = _LEADING_ADVERB.sub("", text.strip().lstrip("\"'“‘(*-•–— "))
    words = _words(text)
    return words[0].lower().replace("’", "'") if words else ""


def _exclusion(text: str, kind: str, has_citation: bool) -> str | None:
    stripped = text.strip()
    words = _words(stripped)
    if _NAVIGATION_RE.search(stripped):
        return "navigation"
    if _DISCLAIMER_RE.search(stripped):
        return "disclaimer"
    if stripped.rstrip("\"'”’) ").endswith("?"):
        return "question"
    if has_citation:
        return None if len(words) >= 3 else "fragment"
    if len(words) < 4 and not _NUMBER_RE.search(stripped):
        return "fragment"
    if re.match(r"(?i)^\W*(?:what|why|how|when|where|who|which|can|could|does|do|is|are|should)\b",
                stripped) and kind == "heading":  # fmt: skip
        return "question"
    if re.match(r"(?i)^\W*(?:what if|imagine|let'?s|let me|suppose|picture this)\b", stripped):
        return "question"
    if _FILLER_RE.match(stripped):
        return "filler"
    if _DIALOGUE_RE.match(stripped):
        return "dialogue"
    if _OPINION_RE.search(stripped):
        return "opinion"
    first = _first_word(stripped)
    if first in _IMPERATIVE_VERBS and not re.match(r"(?i)^\W*(?:be|do|have)\s+\w+ed\b", stripped):
        return "advice"
    if _ADVICE_RE.search(stripped) and not _NUMBER_RE.search(stripped):
        return "advice"
    if kind in {"item", "heading", "cell"} and not _VERB_HINT_RE.search(stripped):
        return "fragment"
    return None


def classify_sentence(text: str, *, kind: str = "paragraph", has_citation: bool = False) -> Verdict:
    """Is ``text`` a check-worthy claim? ``kind`` is the block kind it sits in."""
    sentence = strip_markers(text).replace("’", "'").replace("‘", "'")
    rhetorical = _DID_YOU_KNOW_RE.match(sentence)
    if rhetorical:
        # "Did you know that X?" asserts X
        sentence = sentence[rhetorical.end() :].rstrip(" ?")
    excluded = _exclusion(sentence, kind, has_citation)
    if excluded is not None:
        return Verdict(False, excluded=excluded)
    reasons: list[str] = []
    attribution_match = _ATTRIBUTION_RE.search(sentence)
    attribution = _clean_phrase(attribution_match.group("phrase")) if attribution_match else None
    health = _strong_health_term(sentence)
    number = _NUMBER_RE.search(sentence)
    prevalence = _PREVALENCE_RE.search(sentence)
    effect, effect_health = _effect_with_health(sentence)
    if has_citation:
        reasons.append("cited")
    if attribution:
        reasons.append(f"attribution: {attribution}")
    if number and (health or _strong_number(number.group(0))):
        reasons.append(f"number: {number.group(0).strip()}")
    if prevalence and health:
        reasons.append(f"prevalence: {prevalence.group(0).strip()}")
    if effect and effect_health:
        reasons.append(f"effect: {effect} + {effect_health}")
    if (
        has_citation
        or (attribution and (health or number))
        or any(r.startswith(("number", "prevalence", "effect")) for r in reasons)
    ):
        return Verdict(True, tuple(reasons), attribution=attribution)
    return Verdict(False, tuple(reasons), excluded="no check-worthy content")


def _strong_number(text: str) -> bool:
    return bool(re.search(r"%|percent|per cent|million|billion|\bin\b|\bout of\b", text, re.I))


_WEAK_TERMS = frozenset(
    {
        "health", "healthy", "body", "bodies", "food", "foods", "meal", "meals", "drink",
        "drinks", "beverage", "beverages", "diet", "diets", "intake", "wellbeing", "well-being",
        "doctor", "doctors", "physician", "physicians", "clinicians", "clinician", "condition",
        "conditions", "medical", "weight", "memory", "mood", "moods", "exercise", "sleep",
    }
)  # fmt: skip


def _strong_terms(sentence: str) -> list[re.Match[str]]:
    """Health terms, without the everyday words that do not make a sentence medical alone."""
    return [m for m in _HEALTH_TERMS.finditer(sentence) if m.group(0).lower() not in _WEAK_TERMS]


def _strong_health_term(sentence: str) -> re.Match[str] | None:
    terms = _strong_terms(sentence)
    if terms:
        return terms[0]
    weak = [m for m in _HEALTH_TERMS.finditer(sentence)]
    # two everyday health words together ("sleep" and "weight") still make it medical
    return weak[0] if len({m.group(0).lower() for m in weak}) >= 2 else None


def _effect_with_health(sentence: str) -> tuple[str | None, str | None]:
    """An effect word and a health term that is a different word ("treated" + "potassium")."""
    effects = list(_EFFECT_RE.finditer(sentence))
    if not effects:
        return None, None
    terms = _strong_terms(sentence)
    if not terms and _strong_health_term(sentence):
        terms = list(_HEALTH_TERMS.finditer(sentence))
    for effect in effects:
        for term in terms:
            if term.end() <= effect.start() or term.start() >= effect.end():
                return effect.group(0).strip(), term.group(0).strip()
    return effects[0].group(0).strip(), None


def _clean_phrase(phrase: str) -> str:
    phrase = re.sub(r"\s+", " ", phrase).strip()
    # "according to the World Health Organisation as much as" -> stop at lower-case filler
    match = re.match(
        r"(?i)(according to(?: the| a| an| some| many| recent)?)((?: [\w'’-]+)*)", phrase
    )
    if match:
        words = match.group(2).split()
        kept: list[str] = []
        for word in words:
            if kept and not word[:1].isupper():
                break
            kept.append(word)
            if not word[:1].isupper() and word.lower() not in {"study", "studies", "research"}:
                break
        return f"{match.group(1)} {' '.join(kept)}".strip()
    return phrase
