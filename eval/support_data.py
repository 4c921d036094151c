"""Claim / abstract pairs from the eval pool (``../shared/eval``), for training and measuring.

Shared by ``train_support.py`` and ``eval_support.py``. Reads the data at run time and never
copies it into the project. Labels are SUPPORT / NEI / CONTRADICT (Citation-Integrity's
ACCURATE / NOT_ACCURATE and Check-COVID's REFUTE / NOTENOUGHINFO mapped onto them).
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from claimgraph.support.cues import flip

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT.parent / "shared" / "eval"

LABELS = ("SUPPORT", "NEI", "CONTRADICT")
_NORM = {
    "ACCURATE": "SUPPORT",
    "SUPPORTS": "SUPPORT",
    "NOT_ACCURATE": "CONTRADICT",
    "REFUTE": "CONTRADICT",
    "REFUTES": "CONTRADICT",
    "NOTENOUGHINFO": "NEI",
    "NOT_ENOUGH_INFO": "NEI",
}


@dataclass
class Doc:
    doc_id: str
    title: str
    sentences: list[str]


@dataclass
class Example:
    dataset: str
    claim_id: str
    doc_id: str
    claim: str
    doc: Doc
    label: str
    #: gold rationale sentence indices (empty for NEI)
    rationale: set[int] = field(default_factory=set)
    #: a claim paired with a random other abstract (not in the original data)
    random_pair: bool = False


def require_eval_dir() -> Path:
    """The eval pool, or exit 0 with a message when it is absent (a fresh clone without it)."""
    if not EVAL_DIR.is_dir():
        print(f"skipped: {EVAL_DIR} is absent (the eval data lives beside the repository)")
        sys.exit(0)
    return EVAL_DIR


def _jsonl(path: Path) -> Iterator[dict[str, object]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _norm(label: str) -> str:
    return _NORM.get(label, label)


def load_corpus(name: str) -> dict[str, Doc]:
    base = EVAL_DIR / name
    if name == "check-covid":
        rows = _jsonl(base / "corpus.json")
        return {
            str(r["cord_id"]): Doc(str(r["cord_id"]), str(r["title"]), list(r["abstract"]))  # type: ignore[call-overload]
            for r in rows
        }
    return {
        str(r["doc_id"]): Doc(str(r["doc_id"]), str(r.get("title") or ""), list(r["abstract"]))  # type: ignore[call-overload]
        for r in _jsonl(base / "corpus.jsonl")
    }


def _scifact_style(name: str, split: str, corpus: dict[str, Doc]) -> list[Example]:
    examples = []
    for row in _jsonl(EVAL_DIR / name / f"claims_{split}.jsonl"):
        evidence = row.get("evidence") or {}
        for doc_id in (str(d) for d in row["cited_doc_ids"]):  # type: ignore[attr-defined]
            if doc_id not in corpus:
                continue
            sets = evidence.get(doc_id)  # type: ignore[attr-defined]
            label = _norm(sets[0]["label"]) if sets else "NEI"
            rationale = {i for s in sets or [] for i in s["sentences"]}
            claim = str(row["claim"])
            for marker in ("<|cit|>", "<|multi_cit|>", "<|other_cit|>"):
                claim = claim.replace(marker, "")
            examples.append(
                Example(name, str(row["id"]), doc_id, claim, corpus[doc_id], label, rationale)
            )
    return examples


def _check_covid(split: str, corpus: dict[str, Doc]) -> list[Example]:
    path = EVAL_DIR / "check-covid" / split / f"covidCheck_{split}_composed+extracted.json"
    examples = []
    for row in _jsonl(path):
        doc_id = str(row["cord_id"])
        if doc_id not in corpus:
            continue
        label = _norm(str(row["label"]))
        rationale = (
            {int(e["sent_index"]) for e in row.get("evidence_set") or []}  # type: ignore[attr-defined]
            if label != "NEI"
            else set()
        )
        examples.append(
            Example(
                "check-covid", str(row["id"]), doc_id, str(row["claim"]).strip(), corpus[doc_id],
                label, rationale,
            )
        )  # fmt: skip
    return examples


def load_split(name: str, split: str) -> list[Example]:
    """``name`` is scifact, citation-integrity or check-covid; ``split`` train or dev."""
    corpus = load_corpus(name)
    if name == "check-covid":
        return _check_covid(split, corpus)
    return _scifact_style(name, split, corpus)


def random_pairs(examples: list[Example], corpus: dict[str, Doc], seed: int) -> list[Example]:
    """Each distinct claim with a random abstract it does not cite (labelled NEI)."""
    rng = random.Random(seed)
    ids = sorted(corpus)
    cited: dict[str, set[str]] = {}
    for ex in examples:
        cited.setdefault(ex.claim, set()).add(ex.doc_id)
    out = []
    for claim, docs in cited.items():
        doc_id = rng.choice(ids)
        while doc_id in docs:
            doc_id = rng.choice(ids)
        first = next(e for e in examples if e.claim == claim)
        out.append(
            Example(first.dataset, first.claim_id, doc_id, claim, corpus[doc_id], "NEI",
                    random_pair=True)
        )  # fmt: skip
    return out


_LEAD = ("in conclusion, ", "conclusions: ", "conclusion: ", "these results suggest that ",
         "these findings suggest that ", "our results suggest that ", "we conclude that ",
         "these data suggest that ", "our findings suggest that ", "this study shows that ")  # fmt: skip
_CONCLUDING = ("conclu", "suggest", "demonstrat", "indicat", "show")


def weak_pairs(corpus: dict[str, Doc], exclude: set[str], limit: int, seed: int) -> list[Example]:
    """NLI-style pairs from abstracts alone (MultiVerS-style weak supervision).

    The conclusion sentence becomes a claim supported by the rest of its abstract; the same
    sentence flipped (direction word swapped or negated) contradicts it.
    """
    rng = random.Random(seed)
    ids = [d for d in sorted(corpus) if d not in exclude]
    rng.shuffle(ids)
    out: list[Example] = []
    for doc_id in ids:
        doc = corpus[doc_id]
        if len(doc.sentences) < 4:
            continue
        tail = list(range(len(doc.sentences) - 3, len(doc.sentences)))
        pick = next(
            (i for i in reversed(tail) if any(c in doc.sentences[i].lower() for c in _CONCLUDING)),
            tail[-1],
        )
        claim = doc.sentences[pick]
        for lead in _LEAD:
            if claim.lower().startswith(lead):
                claim = claim[len(lead) :]
                claim = claim[:1].upper() + claim[1:]
        flipped = flip(claim)
        if flipped is None:
            continue
        rest = Doc(doc_id, doc.title, [s for i, s in enumerate(doc.sentences) if i != pick])
        out.append(Example("weak", f"w{doc_id}", doc_id, claim, rest, "SUPPORT"))
        out.append(Example("weak", f"w{doc_id}", doc_id, flipped, rest, "CONTRADICT"))
        if len(out) >= limit:
            break
    return out


def flipped_pairs(examples: list[Example]) -> list[Example]:
    """Each SUPPORT claim made to say the opposite, as a CONTRADICT pair with the same abstract."""
    out = []
    for ex in examples:
        if ex.label != "SUPPORT" or ex.random_pair:
            continue
        flipped = flip(ex.claim)
        if flipped:
            out.append(
                Example(f"{ex.dataset}+flip", ex.claim_id, ex.doc_id, flipped, ex.doc,
                        "CONTRADICT", set(ex.rationale))
            )  # fmt: skip
    return out
