"""Sentences that are not check-worthy claims, recognised by their form.

An editor checking an article does not ask for a source for: definitions ("Menopause is the
time when ...", "X is called Y"), captions ("Figure 4 shows ..."), learning objectives and
other instructions, glossary entries ("term: meaning"), bylines and notes ("Editor's note:",
"— Name (@handle) June 1, 2018"), notes about the text itself ("The following text has been
accessed from ..."), cross-references ("For X, see Y."), bare URLs, the author's own account of
what they did ("We start ...", "I post ..."), files and code ("The code to extract the data
is long"), hypotheticals addressed to the reader ("If your city's levels were ..."), and
arithmetic drawn from numbers already given ("Thus it takes roughly 50 cups ...").

:func:`form_exclusion` returns why a sentence is not a claim, or None.
"""

from __future__ import annotations

import functools
import re

from claimgraph.extract.vocabulary import (
    _EFFECT_RE,
    _FINITE_RE,
    WordsPattern,
    _number,
    _words_regex,
)

__all__ = ["form_exclusion", "narrative_exclusion"]

#: words joined by underscores: link text of a text-browser dump ("Jump_to_navigation")
_JOINED_RE = re.compile(r"\b[A-Za-z]+_[A-Za-z_]+\b")


class _StartOrAnywhere:
    """A pattern anchored at the sentence start, or a word-list phrase anywhere in it."""

    __slots__ = ("anywhere", "start")

    def __init__(self, start: re.Pattern[str], anywhere: WordsPattern) -> None:
        self.start = start
        self.anywhere = anywhere

    def search(self, text: str) -> re.Match[str] | None:
        return self.start.match(text) or self.anywhere.search(text)


_CAPTION_RE = re.compile(
    r"^\W*(?:figure|fig\.|table|image|photo|chart|graph|map|panel)\s*\d+[a-z]?\b", re.I
)
#: "heart disease: several types of ...", "Type A: behaviour pattern ...": term, then meaning
_GLOSSARY_RE = re.compile(
    r"^(?:[a-z][\w'’ -]{1,50}|[A-Z][\w'’-]*(?: [\w'’-]+){0,3}):\s+"
    r"(?!(?:the|a|an|your|our|my|this|these|that|it|its|there|we|you|they|he|she)\b)[a-z]"
)
_BYLINE_RE = re.compile(
    r"^\W*(?:editor'?s? note|author'?s? note|note from the editor|by [A-Z][\w.]+ [A-Z][\w.]+,?$)"
    r"|^\s*[—–-]+\s*[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}\s*\(@\w+\)"
    r"|^\W*(?:last )?(?:reviewed|updated|published|posted|modified)(?: on)? "
    r"(?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
    re.I,
)
_ABOUT_THE_TEXT_RE = _StartOrAnywhere(
    re.compile(
        r"^\W*the following (?:text|article|content|page|material|section)\b"
        r"|^\W*(?:this|the) (?:text|article|content|page) (?:has been|was) (?:accessed|retrieved|"
        r"copied|adapted|taken)\b",
        re.I,
    ),
    _words_regex(r"\b(?:this (?:website|web ?page|web ?site|site))\b"),
)
_CROSS_REFERENCE_RE = re.compile(
    r"^\W*for\b.{0,100},\s*see\b|^\W*(?:here|below|above)(?:'s|’s| is| are)\b", re.I
)
_BARE_URL_RE = re.compile(r"^\W*(?:https?://|www\.)\S+\W*$", re.I)
_DEFINITION_RE = re.compile(
    r"^\W*(?:(?:a|an|the)\s+)?(?P<term>[\w'’ -]{2,60}?)\s+(?:is|are)\s+"
    r"(?:(?:called|known as|defined as|termed)\b"
    r"|(?:(?:a|an|the)\s+|(?<=are\s))(?:[\w-]+\s+){0,3}?(?P<genus>term|name|process|time|technique|practice|"
    r"method|force|condition|state|way|period|type|kind|group|form|substance|preparation|"
    r"diet|approach|category|word|system|field|branch|measure|procedure|therapy|treatment|"
    r"tendency|phenomenon|family|class|set|collection|mixture|combination|"
    r"[\w-]+)\s+(?:that|which|who|whose|in which|when|where|of|for|from|used|made|consisting)\b)",
    re.I,
)
_DEFINING_VERB_RE = _StartOrAnywhere(
    re.compile(
        r"^\W*(?:[\w/.'’-]+\s+){1,4}means\b|"
        r"^\W*(?:it|this|this term|the term|the word|the phrase) (?:describes|denotes)\b|"
        r"^\W*(?:[\w-]+\s+){1,3}(?:approaches|types|kinds|forms|categories|classes) include\b",
        re.I,
    ),
    # the defining verb first (after a look-behind for "is"/"are"), so it gates the pattern
    _words_regex(
        r"\b(?:refers? to|(?<=\bis )defined as|(?<=\bare )defined as|(?<=\bis )composed of|"
        r"(?<=\bare )composed of|consists? of|(?<=\bis )made up of|(?<=\bare )made up of|"
        r"(?<=\bcan be )(?:classified|divided|grouped|categori[sz]ed) (?:into|by|according)|"
        r"(?<=\bare )(?:classified|divided|grouped|categori[sz]ed) (?:into|by|according))\b"
    ),
)
_KINDS_RE = re.compile(
    r"^\W*there are (?:\w+ )?(?:different|several|many|various|two|three|four|five|a few) "
    r"(?:\w+ )?(?:types|kinds|forms|classes|categories|groups)\b",
    re.I,
)
#: "Also called: ...", "Main article: ...": a label and a name, no sentence
_LABEL_RE = re.compile(
    r"^\W*[A-Z][\w'’ ]{1,30}:\s+(?!.*\b(?:is|are|was|were|has|have|can|will)\b)"
    r"(?:\S+\s+){0,7}\S+(?<![.!?\"”])\s*$"
)
#: "Can be used in emergencies ...": a verb phrase without its subject (a list fragment)
_MODAL_START_RE = re.compile(
    r"^\W*(?:Can|May|Might|Should|Must|Will|Could)\s+(?=[a-z])(?!.*\?\s*$)"
)
_LEARNING_VERBS = frozenset(
    {
        "describe", "explain", "identify", "discuss", "list", "define", "compare", "summarize",
        "summarise", "outline", "evaluate", "recognize", "recognise", "differentiate",
        "distinguish", "understand", "review", "name", "classify", "analyze", "analyse",
    }
)  # fmt: skip
_FILE_SUBJECT_RE = re.compile(
    r"^\W*(?:(?:the|this|that|these|our|my|all (?:the )?)\s+)?(?:[\w-]+\s+)?"
    r"(?:code|file|files|plot|plots|spreadsheet|script|scripts|repository|repo|dataset|"
    r"pdf|csv|chart|graph|screenshot|post|tweet|faq|app|video|notebook|appendix)\b",
    re.I,
)
_OWN_DATA_RE = re.compile(
    r"\b(?:we|our|i|my)\b.*\b(?:data|code|file|pdf|github|csv|plot|analysis)\b"
    r"|\b(?:data|code)\b.*\b(?:we|our|i|my|github|pdf|csv)\b",
    re.I,
)
#: both branches of _OWN_DATA_RE need one of these words (a cheap first test, derived)
_DATA_WORDS = _words_regex(r"\b(?:data|code|file|pdf|github|csv|plot|analysis)\b")
_FIRST_PERSON_RE = _StartOrAnywhere(
    re.compile(
        r"^\W*(?:(?:and|but|so|then|now|here|first|next|finally|also|again|today|later)\b,?\s+)?"
        # a dated entry: "Dec 03 - We start ...", "Oct 3 - 23 - ..."
        r"(?:[A-Z][a-z]{2,8}\.? \d{1,2}(?:\s*[–-]\s*\d{1,2})?\s*[–-]\s*)?"
        r"(?:[Ii]|[Ww]e|[Oo]ur|[Mm]y)\b"
    ),
    # "contacts me", "I", "our survey" (not "us": "it helps us absorb iron" is general)
    _words_regex(
        r"\b(?:me|my|I"
        r"|[Oo]ur (?:[\w-]+ )?(?:survey|paper|study|analysis|team|data|code|post|blog|website|"
        r"site|lab|group|project|work|faq|estimates?))\b",
        flags=0,
    ),
)
_REPORTED_RE = re.compile(r"\b(?:swears?|says?|said|claims?|believes?|insists?|told)\b", re.I)
#: "When Jeffrey was 52, he suffered ...": one person's story
#: "he or she", "he/she": anyone, not a person in a story
_ANY_PERSON_RE = re.compile(r"\b(?:he or she|she or he|he/she|s/he)\b", re.I)
_PERSON_RE = _StartOrAnywhere(
    re.compile(r"^\W*(?:an|one) example of\b", re.I), _words_regex(r"\b(?:he|she)\b")
)
_OWN_WORK_RE = re.compile(
    r"\b(?:extract|extracted|download|downloaded|scrape|scraped|collect|collected|post|posted|"
    r"publish|published|share|shared|plot|plotted|email|emailed)\b",
    re.I,
)
_SINGULAR_FIRST_PERSON_RE = re.compile(r"\b(?:me|my)\b|\bI\b")
_HYPOTHETICAL_RE = _StartOrAnywhere(
    re.compile(
        r"^\W*(?:(?:for example|for instance|now),?\s+)?(?:suppose|supposing|assuming|imagine|"
        r"if\b(?=.{0,80}\b(?:you|your|we|our|i|my)\b)|if\b(?=.*,\s*then\b))"
        # "To make these drinks, caffeine is extracted ...": how something is done
        r"|^\W*to [a-z]+\b[^,]{0,60},",
        re.I,
    ),
    # "it would be convenient to ...", "might still seem like ...": musing, not a finding
    _words_regex(
        r"\b(?:it would be (?:convenient|nice|useful|helpful|good|great|interesting|easier|ideal)"
        r"|(?:might|may|would|could) (?:still |also )?seem|seems? like)\b"
    ),
)

_FIRST_LETTERS_RE = re.compile(r"^\W*([A-Za-z]+)")
_ARITHMETIC_RE = re.compile(
    r"^\W*(?:thus|so|therefore|hence|that means|this means|which means|in other words)\b,?"
    r"(?=.*\d)",
    re.I,
)


def form_exclusion(sentence: str, kind: str) -> str | None:
    """Why ``sentence`` (markers removed) is not a claim, judged by its form; or None."""
    checks: tuple[tuple[str, re.Pattern[str] | _StartOrAnywhere], ...] = (
        ("caption", _CAPTION_RE),
        ("byline", _BYLINE_RE),
        ("about the text", _ABOUT_THE_TEXT_RE),
        ("cross-reference", _CROSS_REFERENCE_RE),
        ("url", _BARE_URL_RE),
    )
    for reason, pattern in checks:
        if pattern.search(sentence):
            return reason
    if kind in {"paragraph", "item", "cell"} and _GLOSSARY_RE.match(sentence):
        return "glossary"
    if _LABEL_RE.match(sentence):
        return "label"
    if sentence.lstrip().startswith("#") or "   " in sentence.strip():
        return "heading or table"
    joined = len(_JOINED_RE.findall(sentence)) if "_" in sentence else 0
    if joined >= 2 and joined >= 0.15 * len(sentence.split()):
        return "page debris"
    if _MODAL_START_RE.match(sentence):
        return "fragment"
    if _KINDS_RE.match(sentence):
        return "definition"
    first = _FIRST_LETTERS_RE.match(sentence)
    if first and first.group(1).lower() in _LEARNING_VERBS and first.group(1)[0].isupper():
        return "instruction"
    if _is_definition(sentence):
        return "definition"
    if _FILE_SUBJECT_RE.match(sentence) or (
        _DATA_WORDS.admits(sentence) and _OWN_DATA_RE.search(sentence)
    ):
        return "files and code"
    return None


def narrative_exclusion(sentence: str, cited: bool = False) -> str | None:
    """The author's own account, a hypothetical or arithmetic.

    A cited sentence is the author's own account only in the singular ("I post my analysis
    [link]"): "we found [1]" in a paper reports the cited work.
    """
    if cited:
        own = _SINGULAR_FIRST_PERSON_RE.search(sentence) or (
            _FIRST_PERSON_RE.search(sentence) and _OWN_WORK_RE.search(sentence)
        )
        return "narrative" if own else None
    if _FIRST_PERSON_RE.search(sentence):
        return "narrative"
    if (
        _PERSON_RE.search(sentence)
        and not _REPORTED_RE.search(sentence)
        and not _ANY_PERSON_RE.search(sentence)
    ):
        # "She swears zinc stops a cold" reports a claim; "When Jeffrey was 52, he ..." tells
        return "anecdote"
    if _HYPOTHETICAL_RE.search(sentence):
        return "hypothetical"
    if _ARITHMETIC_RE.match(sentence):
        return "arithmetic"
    return None


def _is_definition(sentence: str) -> bool:
    match = _DEFINITION_RE.match(sentence)
    if match is not None:
        genus = (match.group("genus") or "").lower()
        term = match.group("term").lower()
        if not genus or genus in _GENUS_WORDS or genus.rstrip("s") in term:
            return True
    prefix = sentence[:80]
    return bool(_DEFINING_VERB_RE.search(prefix)) and len(prefix.split()) > 3


_GENUS_WORDS = frozenset(
    {
        "use", "substance", "substances",
        "term", "name", "process", "time", "technique", "practice", "method", "force",
        "condition", "state", "way", "period", "type", "kind", "group", "form", "preparation", "diet", "approach", "category", "word", "system", "field", "branch",
        "measure", "procedure", "therapy", "treatment", "tendency", "phenomenon", "family",
        "class", "set", "collection", "mixture", "combination",
    }
)  # fmt: skip


# --------------------------------------------------------------------------- by wording

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
    r"covers|summari[sz]es|looks at|will|aims|is about|tells you|gives|sets out|is written|"
    r"provides|presents|discusses|focuses|examines|reviews|includes|outlines)\b"
    r"|^\W*(?:the )?(?:sections?|chapters?|paragraphs?) (?:below|above|that follow)\b",
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
        "maintain", "prefer", "reduce", "increase", "eat", "rest", "store", "mix", "dissolve",
        "prioritize", "prioritise", "seek", "sit", "lie", "call", "go",
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
    r"(?:should|must|ought to) (?:only )?be (?:used|taken|avoided|given|stored|followed)|"
    r"you (?:can|could) (?:also )?(?:use|download|find|read|see|try|check|get)|"
    r"(?:is|are) (?:still |generally |strongly |therefore |also )?(?:recommended|advised|"
    r"encouraged)(?! (?:only |for |in |by ))|(?:may|might) be (?:advisable|wise|prudent)|"
    r"you (?:may|might|can|could|will|would) (?:need|want|have|be able)|may need to|"
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
_CLAUSE_SPLIT_RE = re.compile(r"\s*(?:[:;]|\s-\s|\s–\s|,? because |,? as |,? since )\s*", re.I)

_WORD_RE = re.compile(r"[A-Za-z][\w'-]*|\d[\d.,]*")
_TRAILING_ASIDE_RE = re.compile(r"\s*\([^()]*\)\s*$")
_QUESTION_HEADING_RE = re.compile(
    r"^\W*(?:what|why|how|when|where|who|which|can|could|does|do|is|are|should)\b", re.I
)
#: "How does magnesium relax us", "Is it safe": a question whose "?" the author left off
#: (an interrogative word with the subject after its verb, and no closing full stop)
_UNMARKED_QUESTION_RE = re.compile(
    r"^\W*(?:(?:how|why|what|when|where|which|who)\s+(?:do|does|did|is|are|was|were|can|could"
    r"|should|will|would|much|many|long|often)"
    r"|(?:do|does|did|is|are|can|could|should|will|would)\s+(?:you|it|this|that|these|those"
    r"|there|we|i|they|he|she|your|my|our|their|the))\b[^.!:;]*$",
    re.I,
)
_WHAT_IF_RE = re.compile(r"^\W*(?:what if|imagine|let's|let me|suppose|picture this)\b", re.I)
_PASSIVE_START_RE = re.compile(r"^\W*(?:be|do|have)\s+\w+ed\b", re.I)


@functools.lru_cache(maxsize=64)
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
    if _NAVIGATION_START_RE.match(text) or (_NAVIGATION_RE.search(text)):
        return "navigation"
    if _DISCLAIMER_RE.search(text):
        return "disclaimer"
    if _is_question(text) or _UNMARKED_QUESTION_RE.match(text.strip()):
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
    if _WHAT_IF_RE.match(text):
        return "question"
    return None


_CONDITION_RE = re.compile(
    r"^\W*(?:if|when|whenever|once|before|after|while)\b[^,]{1,120},\s*", re.I
)


def _soft_exclusion(text: str, kind: str) -> str | None:
    """Exclusions that content (a number, an effect, an attribution) may outweigh."""
    if _OPINION_START_RE.match(text) or _OPINION_RE.search(text):
        return "opinion"
    first = _first_word(text)
    if first in _IMPERATIVE_VERBS and not _PASSIVE_START_RE.match(text):
        return "advice"
    # "If you feel dizzy, sit down": a condition, then an instruction
    condition = _CONDITION_RE.match(text)
    if condition and _first_word(text[condition.end() :]) in _IMPERATIVE_VERBS:
        return "advice"
    if _ADVICE_RE.search(text) and not _number(text):
        return "advice"
    # a list item that ends like a sentence is one ("Some groups face more risk.")
    if (
        kind in {"item", "heading", "cell"}
        and not _FINITE_RE.search(text)
        and (kind != "item" or not text.rstrip().endswith("."))
    ):
        effect = _EFFECT_RE.search(text)
        if effect is None or not effect.group(0).lower().endswith("s"):
            return "fragment"
    return None
