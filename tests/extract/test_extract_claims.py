"""The check-worthiness rules: what becomes a claim, what does not, and why."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimgraph.extract.claims import classify_sentence, strip_markers


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("Almost one in two of us are estimated to be deficient in magnesium.", "number"),
        ("The current daily value for magnesium is 400mg.", "number"),
        ("As many as 700 million people worldwide have hypertension.", "number"),
        ("Magnesium reduces sodium absorption in the gut.", "effect"),
        ("Eye twitch is a symptom of magnesium deficiency.", "effect"),
        ("The vast majority of our magnesium is stored in our bones.", "prevalence"),
        ("Studies show that magnesium lowers blood pressure.", "attribution"),
        ("There is no good evidence that turmeric prevents dementia.", "evidence"),
    ],
)
def test_check_worthy(sentence: str, reason: str) -> None:
    verdict = classify_sentence(sentence)
    assert verdict.checkworthy, verdict
    assert any(r.startswith(reason) for r in verdict.reasons), verdict.reasons


@pytest.mark.parametrize(
    ("sentence", "excluded"),
    [
        ("Can magnesium cause muscle twitches?", "question"),
        ("Always speak to your doctor before starting a supplement.", "disclaimer"),
        ("This site is not intended to provide medical advice.", "disclaimer"),
        ("Read more about magnesium food sources.", "navigation"),
        ("Leave a Reply", "navigation"),
        ("Try a magnesium supplement before bed.", "advice"),
        ("I think magnesium is amazing for cramps.", "opinion"),
        ("My preferred salt is a pink sea salt.", "opinion"),
        ("This leaflet explains what statins are.", "meta"),
        ('Myth 3: "Sunscreen causes vitamin D deficiency"', "myth"),
        ('"I am building a tolerance to magnesium" you say to yourself.', "dialogue"),
        ("Headaches", "fragment"),
    ],
)
def test_not_check_worthy(sentence: str, excluded: str) -> None:
    verdict = classify_sentence(sentence)
    assert not verdict.checkworthy
    assert verdict.excluded == excluded


def test_list_fragments_and_topic_headings_are_not_claims() -> None:
    assert not classify_sentence("Muscle cramps", kind="item").checkworthy
    assert not classify_sentence("Magnesium Deficiency Symptoms", kind="heading").checkworthy
    assert not classify_sentence("What the research says", kind="heading").checkworthy
    assert not classify_sentence("Magnesium reduces sodium absorption", kind="heading").checkworthy
    # a short line of plain text may be a heading or a claim
    assert classify_sentence("Magnesium reduces sodium absorption", kind="text-heading").checkworthy


def test_attribution_phrase_is_reported() -> None:
    verdict = classify_sentence(
        "According to the World Health Organisation as much as 700 million people have it."
    )
    assert verdict.attribution == "According to the World Health Organisation"
    assert classify_sentence("Numerous studies have shown a link with sodium.").attribution == (
        "Numerous studies have shown"
    )
    assert classify_sentence("My friend Tom told me the hunger fades after a week.").attribution


def test_hearsay_without_content_is_not_a_claim() -> None:
    assert not classify_sentence("My sister swears by it.").checkworthy


def test_did_you_know_asserts_its_content() -> None:
    assert classify_sentence("Did you know that body odour is linked to low magnesium?").checkworthy


def test_advice_with_a_factual_clause_is_a_claim() -> None:
    verdict = classify_sentence(
        "Don't take iron without a test: too much iron can damage the liver."
    )
    assert verdict.checkworthy
    assert verdict.reasons[0] == "advice with a claim"


def test_cited_sentences_are_claims_unless_navigation_or_questions() -> None:
    assert classify_sentence("Fish oil is popular [1].", has_citation=True).checkworthy
    assert not classify_sentence("Read the full study here.", has_citation=True).checkworthy
    assert not classify_sentence("Does it work [1]?", has_citation=True).checkworthy


def test_covered_sentences_need_only_a_health_term() -> None:
    sentence = "She swears zinc stops a cold in its tracks."
    assert classify_sentence(sentence, covered=True).checkworthy


def test_strip_markers() -> None:
    assert strip_markers("Iron matters [1, 2]. ") == "Iron matters."
    assert strip_markers("Zinc helps.[^note]") == "Zinc helps."
    assert strip_markers("Salt raises it¹²³.") == "Salt raises it."


@given(st.text(max_size=300), st.sampled_from(["paragraph", "heading", "item", "cell", "quote"]))
def test_any_sentence_gets_a_verdict(text: str, kind: str) -> None:
    verdict = classify_sentence(text, kind=kind)
    assert verdict.checkworthy == (verdict.excluded is None)
