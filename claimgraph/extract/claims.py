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


def _words_regex(pattern: str, flags: int = re.I) -> re.Pattern[str]:
    """Compile ``\\b(?:alt|alt|...)\\b`` with its alternatives grouped by first letter."""
    prefix, suffix = "\\b(?:", ")\\b"
    if not (pattern.startswith(prefix) and pattern.endswith(suffix)):
        return re.compile(pattern, flags)
    groups: dict[str, list[str]] = {}
    others: list[str] = []
    for alternative in _split_alternatives(pattern[len(prefix) : -len(suffix)]):
        first = alternative[:1].lower()
        if first.isalnum() and alternative[1:2] not in {"?", "*", "+", "{"}:
            groups.setdefault(first, []).append(alternative[1:])
        else:
            others.append(alternative)
    grouped = [f"{first}(?:{'|'.join(tails)})" for first, tails in sorted(groups.items())]
    return re.compile(f"(?<!\\w)(?:{'|'.join(grouped + others)})\\b", flags)


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
    r"adults?|children|babies|infants|women|men|people|elderly"
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
_WORD_NUMBER_RE = re.compile(
    r"(?:"
    rf"\b{_NUMBER_WORD}\s+(?:in|out of)\s+(?:{_NUMBER_WORD}|\d+)\b"
    rf"|\b{_NUMBER_WORD}(?:[- ]{_NUMBER_WORD})?\s+(?:days?|weeks?|months?|years?|hours?|"
    r"times|percent|cups?|glasses)\b"
    rf"|\btop (?:\d+|{_NUMBER_WORD})\b"
    r"|\b(?:half|a third|a quarter|a fifth|two[- ]thirds|three[- ]quarters|twice|double|"
    r"triple|millions|billions|thousands|hundreds)\b"
    r")",
    re.I,
)
_NUMBER_WORDS = frozenset(
    {
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "twelve", "twenty", "thirty", "forty", "fifty", "hundred", "hundreds", "half", "third",
        "thirds", "quarter", "quarters", "fifth", "twice", "double", "triple", "million",
        "millions", "billion", "billions", "thousand", "thousands", "top",
    }
)  # fmt: skip
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
    if _lower_words(sentence) & _NUMBER_WORDS:
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
    r"prevalen\w*|estimated|affects? (?:up to|about|around|nearly|over|millions)|"
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
    r"physio\w*|nutritionist|pharmacist|dietitian|nurse)(?:\s+[A-Z]\w+)?,?"
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
    if not _lower_words(sentence) & _ATTRIBUTION_WORDS:
        return None
    match = _ATTRIBUTION_RE.search(sentence)
    if match is None:
        return None
    start = match.start()
    before = re.search(r"([A-Za-z]+)\s+$", sentence[max(0, start - 20) : start])
    if before and before.group(1).lower() in _ATTRIBUTION_LEAD:
        start -= len(sentence[max(0, start - 20) : start]) - before.start()
    topic = _TOPIC_ATTRIBUTION_RE.search(sentence)
    if topic and topic.start() <= match.start() < topic.end():
        return None
    return _clean_phrase(sentence[start : match.end()])


#: words without which _ATTRIBUTION_RE cannot match (a cheap test first)
_ATTRIBUTION_WORDS = frozenset(
    {
        "study", "studies", "studied", "research", "researchers", "trial", "trials", "review",
        "reviews", "survey", "surveys", "analysis", "analyses", "meta-analysis",
        "meta-analyses", "evidence", "data", "science", "scientists", "experts", "doctors",
        "physicians", "nutritionists", "dietitians", "specialists", "reports", "guideline",
        "guidelines", "guidance", "according", "known", "shown", "proven", "established",
        "estimated", "thought", "believed", "accepted", "reported", "documented", "recognised",
        "recognized", "considered", "regarded", "said", "there", "authorities", "who", "cdc",
        "nhs", "fda", "nih", "world", "centers", "says", "say", "told", "tells", "swears",
        "recommends", "recommended", "believes", "insists", "claims",
    }
)  # fmt: skip
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
    r"(?:trials|studies|research|evidence|results)(?: \w+){0,6} (?:have|has|were|was|are|is) "
    r"(?:been )?(?:mostly |largely |generally |so far )?(?:neutral|negative|positive|mixed|"
    r"inconclusive|conclusive|conflicting|contradictory|disappointing)|"
    r"results (?:differ|vary|are mixed)|(?:is|are) (?:not )?(?:backed|supported) by"
    r")\b",
    re.I,
)

# --------------------------------------------------------------------------- exclusions

_NAVIGATION_START_RE = re.compile(
    r"^(?:read more|learn more|click|tap|scroll|leave a (?:reply|comment)|share (?:this|on)|"
    r"subscribe|sign up|follow us|back to|see also|related:|next:|previous:|"
    r"continue reading|you can (?:read|find|see|view|learn|discover)|download|buy now|"
    r"shop (?:now|our|the)|visit (?:our|the)|to (?:discover|learn|find out|read)\b.*\b(?:visit|see|read|"
    r"click)|check out|jump to|skip to|table of contents|posted (?:in|by|on)|filed under|"
    r"tags?:|categories:|comments?|reply|menu|home\b|search\b|log ?in|sign in|"
    r"contents|more on|find out more|re:|by [A-Z][a-z]+ [A-Z][a-z]+ \|)",
    re.I,
)
_NAVIGATION_RE = _words_regex(
    r"\b(?:click here|read the full|visit our|full article here|read more about|"
    r"learn more about|scroll to top|read more \w+ tips)\b"
)
_DISCLAIMER_RE = _words_regex(
    r"\b(?:not (?:intended|meant) (?:to|as|for)|(?:does not|doesn't|do not|is not) "
    r"(?:constitute|provide|replace|substitute)|(?:is|are|isn't|aren't|is not|are not|"
    r"not intended as|nothing here is|no) (?:\w+ ){0,2}medical advice|"
    r"substitute for (?:\w+ ){0,3}advice|"
    r"consult (?:your|a|with)|"
    r"speak (?:to|with) your|talk (?:to|with) your|for (?:informational|educational|"
    r"entertainment|general information) purposes|sponsored|affiliate|commission|"
    r"we (?:may )?earn|this (?:site|website|blog|page|post) (?:is|does|may|contains|uses)|"
    r"copyright|all rights reserved|privacy policy|terms of (?:use|service)|cookies?|"
    r"disclaimer|not been evaluated by|always seek|before (?:beginning|starting) (?:a|any)|"
    r"the views expressed|individual results may vary|results may vary|"
    r"for information only|is for information|i'm not a doctor|not a doctor)\b",
    re.I,
)
_META_RE = re.compile(
    r"^\W*(?:this|the|our) (?:leaflet|article|post|page|guide|review|section|booklet|"
    r"factsheet|fact sheet|newsletter|piece|blog|chapter|report|faq)s? (?:explains|describes|"
    r"covers|summari[sz]es|looks at|will|aims|is about|tells you|gives|sets out|is written)\b",
    re.I,
)
_MYTH_RE = re.compile(
    r"^\W*(?:myth|misconception|fiction|false|claim)(?:\s*#?\d+)?\s*[:.\-–]", re.I
)
#: first person at the start: "I ...", "I'm ...", "Personally, ...", "Hi all, I've ..."
_OPINION_START_RE = re.compile(
    r"^\W*(?:(?:and|but|so|well|honestly|personally|okay|ok|now|however|oh|ah|yes|no),?\s+)?"
    r"(?:(?:hi|hello|hey|dear)(?: all| everyone| folks| guys| there)?,?\s+)?"
    r"(?:i|i'm|i've|i'd|i'll|me|personally|in my (?:opinion|view|experience))\b"
    r"|^\W*my (?!(?:\w+ ){0,2}(?:friend|neighbou?r|mum|mom|mother|dad|father|sister|brother|"
    r"aunt|uncle|cousin|colleague|coach|trainer|naturopath|chiropractor|doctor|gp|physio\w*|"
    r"nutritionist|pharmacist|dietitian|nurse)\b)",
    re.I,
)
#: first-person opinion anywhere: "I think", "in my experience", "my favourite"
_OPINION_RE = _words_regex(
    r"\b(?:i (?:think|believe|feel|love|like|prefer|recommend|encourage|suggest|hope|guess|"
    r"reckon|imagine|swear by|adore|hate|use|now use|personally)"
    r"|we (?:think|believe|feel|love|like|prefer|recommend|encourage|suggest|hope|guess|"
    r"reckon|imagine|swear by|adore|hate|use|now use|personally)"
    r"|in my (?:opinion|view|experience)|i'm (?:positive|sure|convinced|imagining)"
    r"|this is my|here is my|here's my"
    r"|my (?:quick |simple |ultimate |personal )?(?:guide|tips|advice|favourite|favorite|"
    r"preferred|routine|story)"
    r"|people i (?:speak|talk|know|work))\b"
)
_OPINION_WORDS = frozenset(
    {
        "i", "i'm", "i've", "i'd", "i'll", "me", "my", "we", "personally", "here's", "here",
        "this", "people", "hi", "hello", "hey", "dear",
    }
)  # fmt: skip
_IMPERATIVE_VERBS = frozenset(
    (
        "add", "aim", "ask", "avoid", "be", "buy", "call", "check", "choose", "click", "consider",
        "consult", "cut", "discover", "do", "don't", "dont", "drink", "eat", "enjoy", "find",
        "follow", "get", "give", "go", "grab", "hands", "head", "imagine", "include", "join",
        "keep", "learn", "let", "let's", "lets", "limit", "look", "make", "monitor", "note",
        "opt", "pick", "read", "remember", "see", "share", "skip", "sign", "speak", "start",
        "stay", "stick", "stop", "subscribe", "swap", "switch", "take", "talk", "throw", "try",
        "use", "visit", "watch", "write", "leave", "bookmark", "tell", "book", "contact",
        "schedule", "ensure", "replace", "reach", "pay", "think", "picture", "suppose", "wear",
        "apply", "cook", "bring", "wash", "sleep", "shop", "order", "enter", "download",
    )
)  # fmt: skip
_LEADING_ADVERB = re.compile(
    r"^(?:always|never|just|simply|so|now|then|first|first off|next|finally|also|instead|"
    r"please|very simply|going forward|one last point|if in doubt|anyway)\b,?\s*",
    re.I,
)
_ADVICE_RE = _words_regex(
    r"\b(?:you (?:should|need to|must|have to|might want to|may want to|could try|ought to)|"
    r"we (?:do |don't |)(?:need to|should|must|have to|recommend|encourage)|make sure|"
    r"be sure to|let's (?:take|have|look|see|find|get|start|dive|talk|clear)|"
    r"it'?s (?:best|important|a good idea|up to you|worth)|it is (?:best|important|"
    r"a good idea|up to you|worth)|don't forget|try to|aim for|it'?s time to)\b",
    re.I,
)
_DIALOGUE_RE = re.compile(
    r"^\W*[\"“‘'].{1,200}[\"”’']\W*(?:you|he|she|they|i|we) (?:say|said|think|thought|ask|"
    r"asked|wonder|wondered|tell|told)\b",
    re.I,
)
_DID_YOU_KNOW_RE = re.compile(r"^\W*did you know(?: that)?\s+", re.I)
_FILLER_RE = re.compile(
    r"^(?:that'?s (?:it|just how it is|all)|success|let'?s find out|okay|ok|in comes\b|"
    r"see where this is going|does that make sense|here'?s (?:why|how|the thing|what)|"
    r"the answer is|it begs the question|without getting into|hope this helps)",
    re.I,
)
_FINITE_RE = _words_regex(
    r"\b(?:is|are|was|were|be|been|has|have|had|do|does|did|can|could|may|might|will|"
    r"would|shall|should|must|isn't|aren't|doesn't|don't|won't|can't)\b",
    re.I,
)
_MODAL_RE = _words_regex(r"\b(?:can|could|may|might|will|won't|can't|cannot)\b", re.I)
_CLAUSE_SPLIT_RE = re.compile(r"\s*(?:[:;]|\s-\s|\s–\s|,? because |,? as |,? since )\s*", re.I)
_HAS_SUPERSCRIPT = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]")
_MARKER_RE = re.compile(r"\s*(?:\[\^?[\w\s,–-]{1,20}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+(?:[,⁻–-][¹²³⁴⁵⁶⁷⁸⁹⁰]+)*)")


#: words without which a rule cannot match: a set test is cheaper than a regex pass
_NAVIGATION_WORDS = frozenset({"click", "read", "visit", "full", "learn", "scroll"})
_DISCLAIMER_WORDS = frozenset(
    {
        "intended", "meant", "constitute", "provide", "replace", "substitute", "advice",
        "consult", "speak", "talk", "purposes", "sponsored", "affiliate", "commission", "earn",
        "site", "website", "blog", "page", "post", "copyright", "reserved", "privacy", "terms",
        "cookie", "cookies", "disclaimer", "evaluated", "seek", "beginning", "starting", "views",
        "vary", "information", "doctor",
    }
)  # fmt: skip
_ADVICE_WORDS = frozenset(
    {"you", "we", "make", "be", "let's", "it's", "its", "it", "don't", "try", "aim"}
)
_PREVALENCE_WORDS = frozenset(
    {
        "majority", "minority", "most", "many", "few", "some", "all", "nearly", "almost",
        "reports", "common", "commonly", "rare", "rarely", "widespread", "estimated", "affects",
        "affect", "every", "anybody", "anyone", "everyone", "only", "never", "always",
        "usually", "often", "typically", "generally", "frequently", "one", "prevalence",
        "prevalent",
    }
)  # fmt: skip
_EVIDENCE_WORDS = frozenset(
    {
        "evidence", "proof", "studies", "research", "data", "science", "trials", "results",
        "backed", "supported",
    }
)  # fmt: skip
_LOWER_WORD_RE = re.compile(r"[a-z][a-z'’-]*")


@functools.lru_cache(maxsize=256)
def _lower_words(sentence: str) -> frozenset[str]:
    return frozenset(_LOWER_WORD_RE.findall(sentence.lower()))


def strip_markers(text: str) -> str:
    """The sentence without citation markers ("[1]", "[^2]", "¹²")."""
    if "[" not in text and not _HAS_SUPERSCRIPT.search(text):
        return text.strip()
    cleaned = _MARKER_RE.sub("", text)
    cleaned = re.sub(r"\s+([.,;:!?])", r"\1", cleaned)
    return re.sub(r"\s{2,}", " ", cleaned).strip()


_WORD_RE = re.compile(r"[A-Za-z][\w'-]*|\d[\d.,]*")
_TRAILING_ASIDE_RE = re.compile(r"\s*\([^()]*\)\s*$")
_QUESTION_HEADING_RE = re.compile(
    r"^\W*(?:what|why|how|when|where|who|which|can|could|does|do|is|are|should)\b", re.I
)
_HYPOTHETICAL_RE = re.compile(r"^\W*(?:what if|imagine|let's|let me|suppose|picture this)\b", re.I)
_PASSIVE_START_RE = re.compile(r"^\W*(?:be|do|have)\s+\w+ed\b", re.I)


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


def _first_word(text: str) -> str:
    text = _LEADING_ADVERB.sub("", text.strip().lstrip("\"'“‘(*-•–— "))
    words = _words(text)
    return words[0].lower() if words else ""


def _is_question(text: str) -> bool:
    # "Best treatment for back pain? (long post)": a question with a trailing aside
    bare = _TRAILING_ASIDE_RE.sub("", text.strip()).rstrip("\"'”’) ")
    return bare.endswith("?")


def _hard_exclusion(text: str, kind: str) -> str | None:
    """Exclusions that hold even when the sentence cites a source."""
    words = _lower_words(text)
    if _NAVIGATION_START_RE.match(text) or (
        words & _NAVIGATION_WORDS and _NAVIGATION_RE.search(text)
    ):
        return "navigation"
    if words & _DISCLAIMER_WORDS and _DISCLAIMER_RE.search(text):
        return "disclaimer"
    if _is_question(text):
        return "question"
    if _MYTH_RE.match(text):
        return "myth"
    if _META_RE.match(text):
        return "meta"
    if _DIALOGUE_RE.match(text):
        return "dialogue"
    if _FILLER_RE.match(text):
        return "filler"
    if kind == "heading" and ("?" in text or _QUESTION_HEADING_RE.match(text)):
        return "question"
    if _HYPOTHETICAL_RE.match(text):
        return "question"
    return None


def _soft_exclusion(text: str, kind: str) -> str | None:
    """Exclusions that content (a number, an effect, an attribution) may outweigh."""
    if _lower_words(text) & _OPINION_WORDS and (
        _OPINION_START_RE.match(text) or _OPINION_RE.search(text)
    ):
        return "opinion"
    first = _first_word(text)
    if first in _IMPERATIVE_VERBS and not _PASSIVE_START_RE.match(text):
        return "advice"
    if _lower_words(text) & _ADVICE_WORDS and _ADVICE_RE.search(text) and not _number(text):
        return "advice"
    if kind in {"item", "heading", "cell"} and not _FINITE_RE.search(text):
        effect = _EFFECT_RE.search(text)
        if effect is None or not effect.group(0).lower().endswith("s"):
            return "fragment"
    return None


def _signals(sentence: str) -> tuple[list[str], str | None]:
    """Reasons that make ``sentence`` check-worthy, and its attribution phrase."""
    reasons: list[str] = []
    attribution: str | None = None
    attribution = _attribution(sentence)
    health = _strong_health_term(sentence)
    number = _number(sentence)
    words = _lower_words(sentence)
    prevalence = _PREVALENCE_RE.search(sentence) if words & _PREVALENCE_WORDS else None
    effect, effect_health = _effect_with_health(sentence)
    evidence = _EVIDENCE_RE.search(sentence) if words & _EVIDENCE_WORDS else None
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
    definition = _definition(sentence)
    if definition:
        reasons.append(f"definition: {definition}")
    if not reasons and _MODAL_RE.search(sentence) and len(_strong_terms(sentence)) >= 2:
        terms = {t[2].lower() for t in _strong_terms(sentence)}
        if len(terms) >= 2:
            reasons.append("modal: " + " + ".join(sorted(terms)[:2]))
    return reasons, attribution


def classify_sentence(
    text: str, *, kind: str = "paragraph", has_citation: bool = False, covered: bool = False
) -> Verdict:
    """Is ``text`` a check-worthy claim?

    ``kind`` is the block kind it sits in; ``has_citation`` says the sentence carries a
    citation of its own; ``covered`` says a paragraph or section source applies to it.
    """
    sentence = strip_markers(text).replace("’", "'").replace("‘", "'")
    rhetorical = _DID_YOU_KNOW_RE.match(sentence)
    if rhetorical:
        # "Did you know that X?" asserts X
        sentence = sentence[rhetorical.end() :].rstrip(" ?")
    words = _words(sentence)
    hard = _hard_exclusion(sentence, kind)
    if hard is not None:
        return Verdict(False, excluded=hard)
    if len(words) < (3 if has_citation else 4) and not _number(sentence):
        return Verdict(False, excluded="fragment")
    reasons, attribution = _signals(sentence)
    soft = _soft_exclusion(sentence, kind)
    if soft is not None:
        if soft in {"advice", "opinion"}:
            # "Don't take iron without a test: too much iron can damage the liver."
            for clause in _CLAUSE_SPLIT_RE.split(sentence)[1:]:
                clause_reasons, clause_attribution = _signals(clause)
                if clause_reasons and _soft_exclusion(clause, "paragraph") is None:
                    reasons_out = (f"{soft} with a claim", *clause_reasons)
                    return Verdict(True, reasons_out, attribution=clause_attribution)
        # "my neighbour swears it stops a cold" is a claim; "my sister swears by it" is not
        reported = bool(
            attribution
            and attribution_is_reported_speech(attribution)
            and (_strong_terms(sentence) or _number(sentence))
        )
        if not reported and not (has_citation and reasons):
            return Verdict(False, tuple(reasons), excluded=soft)
    if has_citation:
        return Verdict(True, ("cited", *reasons), attribution=attribution)
    if (
        reasons == [f"attribution: {attribution}"]
        and attribution
        and attribution_is_reported_speech(attribution)
        and not (_strong_terms(sentence) or _number(sentence))
    ):
        return Verdict(False, tuple(reasons), excluded="hearsay without content")
    if reasons:
        return Verdict(True, tuple(reasons), attribution=attribution)
    if covered and _strong_health_term(sentence) and _FINITE_RE.search(sentence + " is"):
        return Verdict(True, ("covered by a source", "health term"), attribution=attribution)
    return Verdict(False, excluded="no check-worthy content")


def attribution_is_reported_speech(phrase: str) -> bool:
    """ "my friend told me", "says nutritionist X": a claim someone else makes."""
    return bool(re.search(r"(?i)\b(?:told me|tells me|says|said|swears|recommend|believes|"
                          r"insists|claims)\b", phrase))  # fmt: skip


def _definition(sentence: str) -> str | None:
    """ "A migraine is a severe headache ...": a health term defined by another."""
    match = re.search(r"\b(?:is|are)\s+(?:a|an|the|one|not|usually|often|mostly|mainly)\b",
                      sentence, re.I)  # fmt: skip
    if match is None or len(_words(sentence[: match.start()])) > 6:
        return None
    terms = _strong_terms(sentence)
    left = [t for t in terms if t[1] <= match.start()]
    right = [t for t in terms if t[0] >= match.end()]
    if left and right:
        return f"{left[0][2]} = {right[0][2]}"
    return None


@functools.lru_cache(maxsize=256)
def _health_terms(sentence: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, word) of every health term; cached, several rules ask for them."""
    return tuple((m.start(), m.end(), m.group(0)) for m in _HEALTH_TERMS.finditer(sentence))


def _strong_terms(sentence: str) -> list[tuple[int, int, str]]:
    """Health terms, without the everyday words that do not make a sentence medical alone."""
    return [t for t in _health_terms(sentence) if t[2].lower() not in _WEAK_TERMS]


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
    terms: list[tuple[int, int, str]] = _strong_terms(sentence)
    if not terms and _strong_health_term(sentence):
        terms = list(_health_terms(sentence))
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
