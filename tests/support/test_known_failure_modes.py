"""The two failure modes the issue names, on the shipped model (texts written here)."""

from claimgraph.support import cues
from claimgraph.support.judge import SupportPair, judge_pairs

NULL_TRIAL = (
    "In a randomised trial of 300 adults, oral magnesium did not reduce systolic blood pressure "
    "compared with placebo. There was no significant difference in diastolic pressure."
)
TITLE = "Magnesium supplementation and blood pressure: a randomised controlled trial"
BRUXISM = (
    "Bruxism is a common sleep disorder. Magnesium supplements reduced nocturnal teeth "
    "grinding in 40 adults."
)


def test_condition_terms() -> None:
    assert cues.condition_terms("Magnesium relieves blepharospasm and colitis.") == {
        "blepharospasm",
        "colitis",
    }
    assert cues.condition_terms("The mechanism of magnesium metabolism.") == set()


def test_a_trial_that_found_no_effect_never_supports_an_effect() -> None:
    effect, no_effect = judge_pairs(
        [
            SupportPair("a", "Magnesium lowers blood pressure.", NULL_TRIAL, TITLE),
            SupportPair("b", "Magnesium has no effect on blood pressure.", NULL_TRIAL, TITLE),
        ]
    )
    assert effect.label.value in {"uncertain", "contradicts"}
    assert "no effect" in effect.note or effect.label.value == "contradicts"
    assert no_effect.label.value in {"supports", "uncertain"}


def test_same_treatment_another_condition_is_unrelated() -> None:
    [judged] = judge_pairs(
        [SupportPair("c", "Magnesium cures blepharospasm.", BRUXISM, "Magnesium for bruxism")]
    )
    assert judged.label.value == "unrelated"
    assert "blepharospasm" in judged.note and "bruxism" in judged.note
