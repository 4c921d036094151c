"""Measure draft extraction against the labelled drafts in eval/drafts/.

    .venv/bin/python eval/score_extraction.py            # tuning set, held-out set, seeds
    .venv/bin/python eval/score_extraction.py --check    # exit 1 if a target is missed
    .venv/bin/python eval/score_extraction.py -v         # list every miss and false alarm

Each draft ``<name>.<ext>`` has ``<name>.labels.json``: the check-worthy claims a careful
reader finds (``line`` + a short ``match`` of the claim's text), the references each claim
should link to (``refs``: text that identifies the source, e.g. an author or a DOI), and
whether the claim is an attribution without a source (``attribution``). A claim marked
``"scope": "ambiguous"`` is an uncited sentence right before a cited one in the same
paragraph: it may share that citation or not (the real-world corpus's convention), so its
``refs`` are neither required nor counted as extra links.

Reported per draft and overall, separately for the tuning set (eval/drafts/) and the
held-out set (eval/drafts/heldout/, written after tuning and not tuned on):

* claim precision / recall: an extracted claim is correct when it sits on the labelled line
  and contains the labelled text;
* citation linking accuracy: the share of labelled claim -> reference links the extractor
  made (a missed claim counts as missed links); extra links are counted separately;
* attribution recall: labelled unsupported attributions that carry ``attribution``.

The seeds check runs on ../shared/seeds/ (next to the repository) when it exists: the cited
claims of the seed articles must link to their sources and the uncited factual claims must
be flagged (claims with no source). Expectations name a line and a keyword or two, never a
sentence of the seed articles.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claimgraph.extract import extract_draft  # noqa: E402
from claimgraph.models import Claim, Project, Source  # noqa: E402

DRAFTS = ROOT / "eval" / "drafts"
HELDOUT = DRAFTS / "heldout"
SEEDS = ROOT.parent / "shared" / "seeds"

TARGET_PRECISION = 0.85
TARGET_RECALL = 0.80
TARGET_LINKING = 0.95


def _norm(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def _source_text(source: Source) -> str:
    parts: list[Any] = [
        source.citation,
        source.title,
        source.journal,
        source.url,
        source.doi,
        source.pmid,
        source.pmcid,
        " ".join(source.authors or []),
    ]
    return _norm(" ".join(str(p) for p in parts if p))


@dataclass
class Score:
    name: str
    expected: int = 0
    extracted: int = 0
    matched: int = 0
    links_expected: int = 0
    links_correct: int = 0
    links_extra: int = 0
    attributions_expected: int = 0
    attributions_found: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    link_errors: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in (
            "expected", "extracted", "matched", "links_expected", "links_correct",
            "links_extra", "attributions_expected", "attributions_found",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def linking(self) -> float:
        return self.links_correct / self.links_expected if self.links_expected else 1.0

    @property
    def attribution(self) -> float:
        if not self.attributions_expected:
            return 1.0
        return self.attributions_found / self.attributions_expected


def _match(expected: list[dict[str, Any]], claims: list[Claim]) -> dict[int, Claim]:
    pairs: dict[int, Claim] = {}
    used: set[str] = set()
    for index, label in enumerate(expected):
        needle = _norm(label["match"])
        for claim in claims:
            if claim.id in used or claim.location is None:
                continue
            if claim.location.line == label["line"] and needle in _norm(claim.text):
                pairs[index] = claim
                used.add(claim.id)
                break
    return pairs


def _score_links(
    score: Score,
    draft: Path,
    label: dict[str, Any],
    claim: Claim | None,
    texts: list[str],
    refs: list[str],
) -> None:
    score.links_expected += len(refs)
    for ref in refs:
        if any(_norm(ref) in text for text in texts):
            score.links_correct += 1
        else:
            score.link_errors.append(
                f"  link  {draft.name}:{label['line']}: {label['match']!r} -> {ref!r} "
                f"(linked: {', '.join(claim.sources) if claim else 'claim not found'})"
            )


def score_draft(draft: Path, labels: dict[str, Any]) -> Score:
    project: Project = extract_draft(draft)
    sources = {source.id: source for source in project.sources}
    expected: list[dict[str, Any]] = labels["claims"]
    score = Score(draft.name, expected=len(expected), extracted=len(project.claims))
    pairs = _match(expected, project.claims)
    score.matched = len(pairs)
    matched_ids = {claim.id for claim in pairs.values()}
    for index, label in enumerate(expected):
        claim = pairs.get(index)
        refs: list[str] = label.get("refs", [])
        if claim is None:
            score.misses.append(f"  miss  {draft.name}:{label['line']}: {label['match']}")
        linked = [sources[s] for s in (claim.sources if claim else []) if s in sources]
        texts = [_source_text(source) for source in linked]
        # an uncited sentence before a cited one may share that citation or not: its refs are
        # not required, but a link to anything else is still an extra one
        if label.get("scope") != "ambiguous":
            _score_links(score, draft, label, claim, texts, refs)
        if claim is not None:
            score.links_extra += sum(
                1 for text in texts if not any(_norm(ref) in text for ref in refs)
            )
            score.links_extra += sum(1 for s in claim.sources if s not in sources)
        if label.get("attribution"):
            score.attributions_expected += 1
            if claim is not None and (claim.model_extra or {}).get("attribution"):
                score.attributions_found += 1
            else:
                score.link_errors.append(
                    f"  attr  {draft.name}:{label['line']}: {label['match']!r} not marked"
                )
    for claim in project.claims:
        if claim.id not in matched_ids:
            line = claim.location.line if claim.location else "?"
            score.false_alarms.append(f"  extra {draft.name}:{line}: {claim.text[:90]}")
    return score


def score_folder(folder: Path, verbose: bool, title: str) -> Score | None:
    labels = sorted(folder.glob("*.labels.json"))
    if not labels:
        return None
    total = Score("overall")
    print(f"\n{title} ({len(labels)} drafts)")
    print(
        f"{'draft':40} {'claims':>7} {'found':>6} {'prec':>6} {'recall':>7} {'links':>9} {'attr':>6}"
    )
    details: list[str] = []
    for label_file in labels:
        data = json.loads(label_file.read_text(encoding="utf-8"))
        draft = folder / data["draft"]
        score = score_draft(draft, data)
        total.add(score)
        links = f"{score.links_correct}/{score.links_expected}"
        print(
            f"{draft.name:40} {score.expected:7} {score.extracted:6} {score.precision:6.2f} "
            f"{score.recall:7.2f} {links:>9} {score.attribution:6.2f}"
        )
        details.extend(score.misses + score.false_alarms + score.link_errors)
    print(
        f"{'overall':40} {total.expected:7} {total.extracted:6} {total.precision:6.2f} "
        f"{total.recall:7.2f} {total.links_correct:>4}/{total.links_expected:<4} "
        f"{total.attribution:6.2f}"
    )
    print(
        f"claim precision {total.precision:.3f}, recall {total.recall:.3f}; citation linking "
        f"accuracy {total.linking:.3f} ({total.links_correct}/{total.links_expected}, "
        f"{total.links_extra} extra links); attribution recall {total.attribution:.3f}"
    )
    if verbose and details:
        print("\n".join(details))
    return total


# --------------------------------------------------------------------------- seeds

#: (file, line, keyword in the linked source) for the cited claims of the seed articles
SEED_CITED = [
    ("magnesium-calcium-blepharospasm.txt", 13, "good health"),
    ("magnesium-calcium-blepharospasm.txt", 18, "alonso-navarro"),
    ("magnesium-calcium-blepharospasm.txt", 23, "kanzato"),
    ("magnesium-calcium-blepharospasm.txt", 25, "kanzato"),
    ("magnesium-calcium-blepharospasm.txt", 31, "ploceniak"),
]
#: (file, line, keyword, attribution?) for uncited factual claims that must be flagged
SEED_UNCITED = [
    ("can-magnesium-cause-twitches.txt", 9, "one in two", False),
    ("can-magnesium-cause-twitches.txt", 9, "300", False),
    ("can-magnesium-cause-twitches.txt", 16, "majority", False),
    ("can-magnesium-cause-twitches.txt", 18, "insomnia", False),
    ("can-magnesium-cause-twitches.txt", 32, "studies show", True),
    ("can-magnesium-cause-twitches.txt", 32, "raise blood pressure", True),
    ("can-magnesium-cause-twitches.txt", 36, "700 million", True),
    ("can-magnesium-cause-twitches.txt", 39, "reduces sodium", False),
    ("can-magnesium-cause-twitches.txt", 41, "numerous studies", True),
    ("can-magnesium-cause-twitches.txt", 43, "studies have shown", True),
    ("can-magnesium-cause-twitches.txt", 91, "attributed", False),
    ("can-magnesium-cause-twitches.txt", 119, "responsible", False),
    ("can-magnesium-cause-twitches.txt", 139, "anybody", False),
    ("can-magnesium-cause-twitches.txt", 143, "asbestos", False),
    ("can-magnesium-cause-twitches.txt", 159, "lower our sodium", False),
    ("magnesium-calcium-blepharospasm.txt", 6, "contracts", False),
    ("magnesium-calcium-blepharospasm.txt", 8, "widely considered", True),
    ("magnesium-calcium-blepharospasm.txt", 10, "400mg", False),
]


def seeds_check(folder: Path, verbose: bool) -> bool | None:
    if not folder.is_dir():
        print(f"\nseeds check skipped: {folder} not found")
        return None
    projects: dict[str, Project] = {}
    for name in sorted({item[0] for item in SEED_CITED + SEED_UNCITED}):
        path = folder / name
        if not path.exists():
            print(f"\nseeds check skipped: {path} not found")
            return None
        projects[name] = extract_draft(path)
    problems: list[str] = []
    linked = 0
    for name, line, keyword in SEED_CITED:
        project = projects[name]
        sources = {s.id: s for s in project.sources}
        claims = [c for c in project.claims if c.location and c.location.line == line]
        good = [
            c for c in claims
            if any(keyword in _source_text(sources[s]) for s in c.sources if s in sources)
        ]  # fmt: skip
        if claims and len(good) == len(claims):
            linked += 1
        else:
            problems.append(f"  cited claims at {name}:{line} not all linked to {keyword!r}")
    flagged = attributions = attributions_expected = 0
    for name, line, keyword, attribution in SEED_UNCITED:
        project = projects[name]
        claims = [
            c for c in project.claims
            if c.location and c.location.line == line and keyword in _norm(c.text)
        ]  # fmt: skip
        if claims and not claims[0].sources:
            flagged += 1
        else:
            problems.append(f"  uncited claim at {name}:{line} ({keyword!r}) not flagged")
        if attribution:
            attributions_expected += 1
            if claims and (claims[0].model_extra or {}).get("attribution"):
                attributions += 1
            else:
                problems.append(f"  attribution at {name}:{line} ({keyword!r}) not marked")
    total_claims = sum(len(p.claims) for p in projects.values())
    cited_claims = sum(1 for p in projects.values() for c in p.claims if c.sources)
    print("\nseeds check (../shared/seeds)")
    print(
        f"cited claim groups linked to their source: {linked}/{len(SEED_CITED)}; "
        f"uncited factual claims flagged: {flagged}/{len(SEED_UNCITED)}; "
        f"unsupported attributions marked: {attributions}/{attributions_expected}; "
        f"{total_claims} claims extracted, {cited_claims} of them cited"
    )
    if verbose and problems:
        print("\n".join(problems))
    return linked == len(SEED_CITED) and flagged == len(SEED_UNCITED)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every error")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--seeds", type=Path, default=SEEDS, help="folder of the seed articles")
    args = parser.parse_args(argv)
    tuning = score_folder(DRAFTS, args.verbose, "tuning set: eval/drafts")
    heldout = score_folder(HELDOUT, args.verbose, "held-out set: eval/drafts/heldout")
    seeds_ok = seeds_check(args.seeds, args.verbose)
    print(
        f"\ntargets: precision >= {TARGET_PRECISION}, recall >= {TARGET_RECALL}, "
        f"linking >= {TARGET_LINKING}"
    )
    failed = False
    for name, total in (("tuning", tuning), ("held-out", heldout)):
        if total is None:
            continue
        met = (
            total.precision >= TARGET_PRECISION
            and total.recall >= TARGET_RECALL
            and total.linking >= TARGET_LINKING
        )
        print(f"{name}: {'met' if met else 'NOT met'}")
        failed |= not met
    if seeds_ok is not None:
        print(f"seeds: {'met' if seeds_ok else 'NOT met'}")
        failed |= not seeds_ok
    return 1 if (failed and args.check) else 0


if __name__ == "__main__":
    raise SystemExit(main())
