"""The pluggable cross-encoder path, with a tiny ONNX model and tokenizer built here.

The model sums a per-token weight row over the (claim, sentence) tokens: "not" and "no" push
towards contradiction, "increases"/"raises" towards entailment. It is a real ONNX graph run
by onnxruntime through the same code a user's NLI model would go through.
"""

import json
from pathlib import Path

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402
from tokenizers.models import WordLevel  # noqa: E402
from tokenizers.normalizers import Lowercase  # noqa: E402
from tokenizers.pre_tokenizers import Whitespace  # noqa: E402
from tokenizers.processors import TemplateProcessing  # noqa: E402

from claimgraph.errors import ConfigError  # noqa: E402
from claimgraph.support.crossencoder import CrossEncoderScorer  # noqa: E402
from claimgraph.support.decide import SupportLabel  # noqa: E402
from claimgraph.support.judge import SupportPair  # noqa: E402

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "magnesium", "increases", "raises", "not", "no",
         "sleep", "quality", "does", "increase", "effect", "on", "improved", "."]  # fmt: skip
LABELS = ["contradiction", "entailment", "neutral"]


def _weights() -> np.ndarray:
    w = np.zeros((len(VOCAB), 3), dtype=np.float32)
    w[:, 2] = 0.2  # every token leans a little to neutral
    w[VOCAB.index("not")] = [6.0, -2.0, 0.0]
    w[VOCAB.index("no")] = [3.0, -2.0, 0.0]
    for word in ("increases", "raises", "improved"):
        w[VOCAB.index(word)] = [0.0, 2.0, 0.0]
    return w


def build_model(folder: Path, labels: list[str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    ids = helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"])
    mask = helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "seq"])
    logits = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 3])
    table = numpy_helper.from_array(_weights(), name="table")
    axes = numpy_helper.from_array(np.array([1], dtype=np.int64), name="axes")
    nodes = [
        helper.make_node("Gather", ["table", "input_ids"], ["rows"]),
        helper.make_node("Cast", ["attention_mask"], ["maskf"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["maskf", "axis2"], ["mask3"]),
        helper.make_node("Mul", ["rows", "mask3"], ["masked"]),
        helper.make_node("ReduceSum", ["masked", "axes"], ["logits"], keepdims=0),
    ]
    axis2 = numpy_helper.from_array(np.array([2], dtype=np.int64), name="axis2")
    graph = helper.make_graph(nodes, "tiny-nli", [ids, mask], [logits], [table, axes, axis2])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, str(folder / "model.onnx"))
    tokenizer = Tokenizer(WordLevel({w: i for i, w in enumerate(VOCAB)}, unk_token="[UNK]"))
    tokenizer.normalizer = Lowercase()
    tokenizer.pre_tokenizer = Whitespace()
    tokenizer.post_processor = TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", 2), ("[SEP]", 3)],
    )
    tokenizer.save(str(folder / "tokenizer.json"))
    (folder / "labels.json").write_text(json.dumps({"labels": labels or LABELS}))
    return folder


class _NoTopicEncoder:
    """Stands in for MiniLM in this test: every text gets the same vector (topic = related)."""

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.ones((len(texts), 4), dtype=np.float32) / 2.0


def test_cross_encoder_judges_with_the_users_model(tmp_path: Path) -> None:
    scorer = CrossEncoderScorer(build_model(tmp_path / "nli"), encoder=_NoTopicEncoder())  # type: ignore[arg-type]
    pairs = [
        SupportPair("a", "magnesium increases sleep quality .",
                    "Magnesium does not increase sleep quality. No effect on sleep.", "magnesium sleep"),
        SupportPair("b", "magnesium increases sleep quality .",
                    "Magnesium improved sleep quality.", "magnesium sleep"),
        SupportPair("c", "magnesium increases sleep quality .", None),
    ]  # fmt: skip
    first, second, third = scorer.judge(pairs)
    assert first.label is SupportLabel.CONTRADICTS and first.confident
    assert first.evidence[0].text == "Magnesium does not increase sleep quality."
    assert (first.evidence[0].start, first.evidence[0].end) == (0, 42)
    assert second.label is SupportLabel.SUPPORTS
    assert second.evidence[0].text == "Magnesium improved sleep quality."
    assert third.label is SupportLabel.NOT_CHECKED
    assert first.model.startswith("cross-encoder-")


def test_label_order_is_read_from_labels_json(tmp_path: Path) -> None:
    # the same weights with the first two labels swapped: "not" now means entailment
    folder = build_model(tmp_path / "nli", ["entailment", "contradiction", "neutral"])
    scorer = CrossEncoderScorer(folder, encoder=_NoTopicEncoder())  # type: ignore[arg-type]
    [judged] = scorer.judge(
        [SupportPair("a", "magnesium increases sleep quality .", "magnesium does not .", "")]
    )
    assert judged.label is SupportLabel.SUPPORTS


def test_bad_folders_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"model\.onnx is missing"):
        CrossEncoderScorer(tmp_path)
    folder = build_model(tmp_path / "nli")
    (folder / "labels.json").write_text('{"labels": ["a", "b"]}')
    with pytest.raises(ConfigError, match="entailment and a contradiction"):
        CrossEncoderScorer(folder)
