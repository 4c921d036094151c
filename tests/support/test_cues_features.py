"""Cues, features, the decision rule and the judgement store, on small texts written here."""

import sqlite3
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimgraph.support import cues
from claimgraph.support.decide import SupportLabel, decide
from claimgraph.support.edges import decisive, summary_label
from claimgraph.support.features import FEATURE_NAMES, PairText, pair_features, topic_score
from claimgraph.support.judge import EvidenceSpan, Judgement, SupportPair, not_checked
from claimgraph.support.model import Thresholds
from claimgraph.support.store import JudgementStore, judgement_key


def test_direction_negation_and_null_cues() -> None:
    assert cues.direction("Magnesium lowers blood pressure.") == -1
    assert cues.direction("Exercise increased bone density.") == 1
    assert cues.direction("Vitamin C and colds.") == 0
    assert cues.negated("Zinc did not shorten colds.")
    assert not cues.negated("Zinc shortened colds.")
    assert cues.null_finding("There was no significant difference in sleep duration.")
    assert cues.null_finding("Magnesium was not associated with migraine frequency.")
    assert not cues.null_finding("Magnesium reduced migraine frequency by 41%.")


def test_causal_wording() -> None:
    assert cues.causal_wording("Magnesium cures blepharospasm.") == "cures"
    assert cues.causal_wording("Smoking causes lung cancer.") == "causes"
    assert cues.causal_wording("Magnesium is associated with better sleep.") is None


def test_stems_match_word_forms() -> None:
    assert cues.stem("reduces") == cues.stem("reduce") == "reduc" or cues.stem("reduces")
    assert "magnesium" in cues.content_terms("The magnesium of the patients")
    assert "the" not in cues.content_terms("The magnesium of the patients")


def _unit(*values: float) -> np.ndarray:
    v = np.array(values, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_pair_features_pick_the_nearest_sentence_and_see_the_clash() -> None:
    pair = PairText(
        claim="Magnesium increases sleep quality in older adults.",
        sentences=[
            "We recruited 46 older adults.",
            "Magnesium did not increase sleep quality compared with placebo.",
            "Funding came from a university grant.",
        ],
        title="Magnesium and sleep in older adults",
    )
    claim = _unit(1, 0, 0)
    sentences = np.stack([_unit(0.3, 1, 0), _unit(1, 0.1, 0), _unit(0, 0, 1)])
    feats = pair_features(pair, claim, sentences, _unit(0.8, 0.2, 0), frozenset({"older"}))
    assert feats.vector.shape == (len(FEATURE_NAMES),)
    values = dict(zip(FEATURE_NAMES, feats.vector, strict=True))
    assert feats.evidence[0] == 1
    assert values["cos_max"] == pytest.approx(float(sentences[1] @ claim), abs=1e-6)
    assert values["evidence_negated"] == 1.0 and values["claim_negated"] == 0.0
    assert values["negation_mismatch"] == 1.0
    assert values["specific_recall"] == 1.0
    assert feats.topic > 0.8


def test_off_topic_pairs_get_a_low_topic_score() -> None:
    pair = PairText(
        claim="Magnesium relieves blepharospasm.",
        sentences=["Magnesium supplements reduced bruxism episodes in adults."],
        title="Magnesium for bruxism",
    )
    claim = _unit(1, 0.2, 0)
    sentence = np.stack([_unit(0.2, 1, 0.3)])
    common = frozenset({cues.stem("relieves")})
    feats = pair_features(pair, claim, sentence, _unit(0.3, 1, 0), common)
    values = dict(zip(FEATURE_NAMES, feats.vector, strict=True))
    assert values["specific_recall"] == 0.5  # magnesium found, blepharospasm not
    assert topic_score(0.9, 0.9, 1.0) > topic_score(0.9, 0.9, 0.0) > topic_score(0.1, 0.1, 0.0)


TH = Thresholds(contradicts=0.5, contradicts_rule=0.7, supports=0.5, unrelated=0.3)


def test_decide_abstains_below_the_thresholds() -> None:
    assert decide(0.8, 0.1, 0.9, TH)[0] is SupportLabel.SUPPORTS
    assert decide(0.1, 0.8, 0.9, TH)[0] is SupportLabel.CONTRADICTS
    assert decide(0.45, 0.4, 0.9, TH)[0] is SupportLabel.UNCERTAIN
    # an off-topic record can neither support nor contradict
    assert decide(0.9, 0.0, 0.1, TH) == (SupportLabel.UNRELATED, 0.9)


def _judgement(label: SupportLabel, confident: bool = False) -> Judgement:
    return Judgement(label=label, score=0.9, confident=confident, model="m")


def test_claim_summary_and_decisive_judgements() -> None:
    sup, con = _judgement(SupportLabel.SUPPORTS), _judgement(SupportLabel.CONTRADICTS, True)
    unrel, unc = _judgement(SupportLabel.UNRELATED), _judgement(SupportLabel.UNCERTAIN)
    assert summary_label([sup, con]) == "mixed"
    assert summary_label([sup, not_checked("x")]) == "supports"
    assert summary_label([unrel, unrel]) == "unrelated"
    assert summary_label([unrel, unc]) == "uncertain"
    assert summary_label([not_checked("no abstract")]) == "not_checked"
    assert decisive(con) and decisive(unrel)
    assert not decisive(_judgement(SupportLabel.CONTRADICTS, False)) and not decisive(unc)


#: a claim / abstract pair and a judgement of it, for the judgement store's tests
PAIR = SupportPair("1", "claim", "Abstract one.", "Title")
JUDGED = Judgement(
    label=SupportLabel.SUPPORTS, score=0.8, evidence=(EvidenceSpan("Abstract one.", 0, 13),),
    topic=0.9, model="m1", probabilities={"supports": 0.8},
)  # fmt: skip


def test_store_round_trip_and_damaged_file(tmp_path: Path) -> None:
    store = JudgementStore(tmp_path)
    pair, judged = PAIR, JUDGED
    key = judgement_key(pair, "m1")
    assert key != judgement_key(pair, "m2")
    assert key != judgement_key(SupportPair("1", "claim!", "Abstract one.", "Title"), "m1")
    store.put_many({key: judged, "other": not_checked("not kept")})
    store.close()
    assert JudgementStore(tmp_path).get_many([key, "other"]) == {key: judged}
    (tmp_path / "support-judgements.sqlite3").write_bytes(b"this is not a database" * 100)
    fresh = JudgementStore(tmp_path)
    assert fresh.get_many([key]) == {}
    assert (tmp_path / "support-judgements.damaged").exists()


def test_abstract_sentences_keep_their_offsets() -> None:
    from claimgraph.support.sentences import split_abstract

    text = (
        "BACKGROUND: Magnesium (Mg) matters, e.g. for enzymes. Smith et al. found 1.5 mg/d "
        "helps (p < 0.05). METHODS: We enrolled J. Smith and 40 adults vs. controls. "
        "Results were similar [12]. 95% improved."
    )
    spans = split_abstract(text)
    assert [s.text[:12] for s in spans] == [
        "BACKGROUND: ", "Smith et al.", "METHODS: We ", "Results were", "95% improved",
    ]  # fmt: skip
    assert all(text[s.start : s.end] == s.text for s in spans)


@given(st.text(alphabet=st.sampled_from("aB .!?\n()[]1é\"'"), max_size=200))
def test_abstract_split_never_loses_text(text: str) -> None:
    from claimgraph.support.sentences import split_abstract

    spans = split_abstract(text)
    assert all(text[s.start : s.end] == s.text and s.text.strip() for s in spans)
    assert "".join(s.text for s in spans).replace(" ", "").replace("\n", "") == "".join(
        text.split()
    )


def test_store_that_cannot_be_used_never_ends_a_run(tmp_path: Path) -> None:
    pair, judged = PAIR, JUDGED
    key = judgement_key(pair, "m1")
    # a file where the cache folder should be
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    store = JudgementStore(blocker)
    store.put_many({key: judged})
    assert store.get_many([key]) == {}
    assert blocker.read_text() == "not a folder"
    # a store locked by another process is not damage: it is not set aside
    folder = tmp_path / "locked"
    JudgementStore(folder).put_many({key: judged})
    holder = sqlite3.connect(folder / "support-judgements.sqlite3")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        waiting = JudgementStore(folder)
        waiting.busy_timeout = 0.05
        assert waiting.get_many([key]) == {}
    finally:
        holder.rollback()
        holder.close()
    assert not (folder / "support-judgements.damaged").exists()
    assert JudgementStore(folder).get_many([key]) == {key: judged}
