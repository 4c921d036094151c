"""Score `claimgraph check` on the real-world development corpus with the corpus's own scorer.

    .venv/bin/python eval/score_realworld.py            # table and totals
    .venv/bin/python eval/score_realworld.py --detail   # plus every miss, false flag and link error
    .venv/bin/python eval/score_realworld.py --keep DIR # keep the JSON reports in DIR

Runs ``claimgraph check --offline --format json`` on every article in
``../shared/eval/realworld-dev`` (next to the repository; override with ``--corpus``), each with
an empty cache folder, then calls that folder's ``score_labels.py``. It also counts the claims whose reported line and
column point at the first word of their sentence in the article (the corpus's scorer matches by
line only). Skips with a message when
the corpus is absent. The articles are read where they are; nothing is copied into the project.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claimgraph.drafts import is_draft  # noqa: E402

CORPUS = ROOT.parent / "shared" / "eval" / "realworld-dev"
NOT_ARTICLES = {"README.md", "PROVENANCE.md"}


def _claimgraph() -> list[str]:
    return [sys.executable, "-m", "claimgraph"]


def run_reports(corpus: Path, out: Path) -> int:
    """Write ``<article>.json`` for every article; the number of articles checked."""
    articles = sorted(p for p in corpus.iterdir() if is_draft(p) and p.name not in NOT_ARTICLES)
    for article in articles:
        with tempfile.TemporaryDirectory() as cache:
            env = dict(os.environ, CLAIMGRAPH_CACHE_DIR=cache)
            done = subprocess.run(
                [*_claimgraph(), "check", "--offline", "--format", "json", str(article)],
                capture_output=True,
                text=True,
                env=env,
                cwd=ROOT,
                check=False,
            )
        # exit 1 only means findings; 2 or more is a failure worth showing
        if done.returncode not in (0, 1):
            print(f"{article.name}: exit {done.returncode}\n{done.stderr}", file=sys.stderr)
        elif done.stderr.strip():
            print(f"{article.name}: stderr: {done.stderr.strip()[:500]}", file=sys.stderr)
        (out / f"{article.name}.json").write_text(done.stdout, encoding="utf-8")
    return len(articles)


_WORD = re.compile(r"\w+")


def check_locations(corpus: Path, out: Path, detail: bool) -> tuple[int, int]:
    """(claims located at their sentence's first word, claims with a location), printing misses."""
    right = total = 0
    for report_file in sorted(out.glob("*.json")):
        article = corpus / report_file.name.removesuffix(".json")
        lines = article.read_text(encoding="utf-8").split("\n")
        report = json.loads(report_file.read_text(encoding="utf-8") or "{}")
        for claim in report.get("claims", []):
            where = claim.get("location") or {}
            line, column = where.get("line"), where.get("column")
            if not line or not column or line > len(lines):
                continue
            total += 1
            said = _WORD.search(claim["text"])
            found = _WORD.search(lines[line - 1], column - 1)
            starts_there = found is not None and found.start() - (column - 1) <= 3
            if said and found and starts_there and said.group() == found.group():
                right += 1
            elif detail:
                shown = lines[line - 1][column - 1 : column + 39]
                print(
                    f"  LOCATION {article.name}:{line}:{column} {claim['text'][:40]!r} -> {shown!r}"
                )
    return right, total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--detail", action="store_true", help="list every miss")
    parser.add_argument("--keep", type=Path, help="write the reports to this folder")
    args = parser.parse_args(argv)
    corpus: Path = args.corpus
    scorer = corpus / "score_labels.py"
    labels = corpus / "labels.json"
    if not (scorer.is_file() and labels.is_file()):
        print(f"skipped: no corpus at {corpus} (score_labels.py and labels.json needed)")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        count = run_reports(corpus, out)
        print(f"{count} articles checked from {corpus}\n", flush=True)
        command = [sys.executable, str(scorer), str(labels), str(out)]
        if args.detail:
            command.append("--detail")
        code = subprocess.run(command, check=False).returncode
        right, total = check_locations(corpus, out, args.detail)
        print(f"claim locations at the first word of the sentence: {right}/{total}")
        return code


if __name__ == "__main__":
    raise SystemExit(main())
