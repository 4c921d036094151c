"""Vague attributions and sentences that are not claims, by their form."""

from __future__ import annotations

import pytest

from claimgraph.extract.attribution import vague_attribution
from claimgraph.extract.claims import classify_sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Trials that compared ginger with placebo found less nausea in pregnancy.",
        "A 2019 evaluation of 12 studies concluded that melatonin shortens jet lag.",
        "In a study funded by a dairy council, yoghurt lowered blood pressure.",
        "Recommendations from a panel of nutrition societies say adults need more fibre.",
        "There is some evidence that turmeric eases joint pain.",
        "Walking lowers the risk of stroke, as several large studies in Japan show.",
        "Research on cold water swimming and mood is in its early stages.",
    ],
)
def test_vague_attributions(sentence: str) -> None:
    assert vague_attribution(sentence) is not None
    verdict = classify_sentence(sentence)
    assert verdict.checkworthy and verdict.attribution, verdict


@pytest.mark.parametrize(
    "sentence",
    [
        "Our survey covered 30 towns in the region.",
        "Ginger tea is widely available in supermarkets.",
    ],
)
def test_not_attributions(sentence: str) -> None:
    assert vague_attribution(sentence) is None


@pytest.mark.parametrize(
    ("sentence", "kind", "excluded"),
    [
        ("Insomnia is a condition in which people cannot fall asleep.", "paragraph", "definition"),
        ("The practice of resting after meals is called a siesta.", "paragraph", "definition"),
        ("Figure 2 shows the number of flu cases by month.", "paragraph", "caption"),
        ("Explain how sleep affects blood pressure.", "paragraph", "instruction"),
        ("sleep hygiene: habits that help people sleep well", "paragraph", "glossary"),
        ("For the condition in children, see Paediatric asthma.", "paragraph", "cross-reference"),
        ("https://example.org/sleep/advice", "paragraph", "url"),
        ("We downloaded the hospital figures and plotted them by week.", "paragraph", "narrative"),
        ("Thus a 2 litre bottle holds about 8 cups of water.", "paragraph", "arithmetic"),
        ("Sleep and the heart", "paragraph", "heading"),
        ("Sleep apnoea raises blood pressure", "heading", "heading"),
        ("Why does caffeine keep us awake", "paragraph", "question"),
        ("Is it safe to drink coffee while pregnant", "paragraph", "question"),
    ],
)
def test_not_claims_by_form(sentence: str, kind: str, excluded: str) -> None:
    verdict = classify_sentence(sentence, kind=kind)
    assert not verdict.checkworthy
    assert verdict.excluded == excluded


@pytest.mark.parametrize(
    "sentence",
    [
        "Night shifts disturb the release of melatonin in nurses.",
        "The clinic stopped offering the test on March 3, 2021.",
        "Typhoid fever spreads through food and water contaminated with faeces.",
    ],
)
def test_plain_statements_are_claims(sentence: str) -> None:
    assert classify_sentence(sentence).checkworthy


@pytest.mark.parametrize(
    "sentence",
    [
        "How much caffeine a cup holds depends on the brew.",
        "What is sold as green tea often contains added caffeine.",
    ],
)
def test_statements_opening_like_questions_are_still_claims(sentence: str) -> None:
    assert classify_sentence(sentence).checkworthy, classify_sentence(sentence)


def test_a_cited_definition_is_still_a_claim() -> None:
    sentence = "Insomnia is a condition in which people cannot fall asleep [3]."
    assert classify_sentence(sentence, has_citation=True).checkworthy


def test_a_date_labelling_a_log_entry_is_not_a_dated_fact() -> None:
    assert not classify_sentence(
        "Oct 31 – The team starts calling clinics in the region."
    ).checkworthy
    assert classify_sentence("The registry was not made public until June 1, 2018.").checkworthy


def test_a_full_sentence_list_item_is_a_claim() -> None:
    assert classify_sentence(
        "Older adults get more chest infections in winter.", kind="item"
    ).checkworthy
    assert not classify_sentence("Falls in winter", kind="item").checkworthy


@pytest.mark.parametrize(
    "sentence",
    [
        "Vitamin C helps us absorb iron from plant foods.",
        "If a child has a fever, he or she may lose more water through the skin.",
    ],
)
def test_general_pronouns_do_not_make_a_story(sentence: str) -> None:
    assert classify_sentence(sentence).checkworthy


def test_one_persons_story_is_not_a_claim() -> None:
    verdict = classify_sentence("When Maria turned 40, she developed high blood pressure.")
    assert verdict.excluded == "anecdote"
