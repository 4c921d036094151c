"""Time draft extraction on a generated Markdown draft, through `claimgraph check`.

    .venv/bin/python benchmarks/bench_extract.py                    # 1 MB, best of 3
    .venv/bin/python benchmarks/bench_extract.py --mb 10 --runs 1   # the 10 MB target
    .venv/bin/python benchmarks/bench_extract.py --in-process       # extract_draft only

Each run is ``claimgraph check --offline --format json DRAFT`` in a fresh process (an empty
cache folder, output discarded): what a user waits for. Prints the draft size, the number of
claims and sources, the wall time of each run, the best CPU time (user + system, worker
processes included: steadier than the wall time on a loaded machine) and the peak memory:
of the checking process alone (its maximum resident set size) and, on Linux, of the checking
process and its worker processes together (their resident set sizes summed, sampled every
0.1 s; pages a forked worker shares with its parent count twice, so the sum of their
proportional set sizes is printed too). ``--jobs`` is passed to ``claimgraph check``.
The package's bytecode is compiled first, as an installed package has it (with
PYTHONDONTWRITEBYTECODE set, as in some sandboxes, every run would otherwise compile its
modules from source again: about 0.07 s of a 1 MB check).
Targets: 1 MB under 2 s; 10 MB under 20 s and 500 MB (the sum of resident set sizes).
"""

from __future__ import annotations

import argparse
import compileall
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_offline import report_summary, run_cli_code  # noqa: E402
from claimgraph.extract import extract_draft  # noqa: E402

TARGET_SECONDS = 2.0
#: seconds per MB and peak memory for the 10 MB draft
TARGET_10MB_SECONDS = 20.0
TARGET_10MB_MEMORY_MB = 500.0

_NUTRIENTS = [
    "magnesium",
    "vitamin D",
    "zinc",
    "iron",
    "omega-3",
    "caffeine",
    "fibre",
    "potassium",
    "vitamin C",
    "calcium",
    "melatonin",
    "probiotics",
    "turmeric",
    "salt",
    "protein",
]
_CONDITIONS = [
    "muscle cramps",
    "poor sleep",
    "high blood pressure",
    "migraine",
    "fatigue",
    "anxiety",
    "colds",
    "back pain",
    "type 2 diabetes",
    "heart disease",
    "constipation",
    "eczema",
]
_PEOPLE = ["adults", "older adults", "women", "children", "athletes", "patients", "smokers"]
_VERBS = ["reduces", "lowers", "improves", "eases", "prevents", "is linked to", "worsens"]
_FILLER = [
    "Is it worth trying?",
    "Probably, for some people.",
    "Here is what we found.",
    "Let's take a closer look.",
    "Read more about it in our guide.",
    "That's the short answer.",
    "I tried it myself last winter.",
    "Always talk to your doctor first.",
]
_TEMPLATES = [
    "Roughly {pct}% of {people} report {condition} at least once a {period}.",
    "Research suggests that {nutrient} {verb} {condition} in {people}.",
    "A randomised trial of {n} {people} found that {dose} mg of {nutrient} a day {verb} "
    "{condition} by about {pct}% [{ref}].",
    "Participants taking {nutrient} also had {adj} levels of {marker}.",
    "{Nutrient} deficiency {verb} {condition} ({author} and {author2} {year}).",
    "Experts say most {people} get enough {nutrient} from food.",
    "Taking more than {dose} mg a day of {nutrient} can cause {side} (PMID: {pmid}).",
    "According to the World Health Organization, {big} million people live with {condition}.",
    "{Nutrient} {verb} {condition}, according to a [{year} review](https://doi.org/10.5555/b.{n}).",
    "In a study of {n} {people}, those with the highest {nutrient} intake had {pct}% less "
    "{condition}.[^n{ref}]",
    "{Nutrient} is found in {food} and {food2}.",
    "Try adding {food} to your breakfast.",
    "Numerous studies have shown that {nutrient} {verb} {condition}.",
    "Some {people} find that {nutrient} helps with {condition}, but the evidence is mixed.",
]
_WORDS = {
    "period": ["week", "month", "year"],
    "adj": ["higher", "lower", "steadier"],
    "marker": ["melatonin", "ferritin", "vitamin B12", "cortisol", "insulin"],
    "side": ["diarrhoea", "nausea", "headaches", "stomach upset"],
    "food": ["spinach", "almonds", "oily fish", "lentils", "yoghurt", "oats", "beans"],
    "food2": ["seeds", "wholegrain bread", "eggs", "broccoli", "citrus fruit"],
    "author": ["Smith", "Lee", "Okafor", "Nakamura", "Brennan", "Costa", "Fischer"],
    "author2": ["Park", "Rao", "Wagner", "Lima", "Sato", "Osei", "Tran"],
}


def _sentence(rng: random.Random, n: int) -> str:
    template = rng.choice(_TEMPLATES)
    nutrient = rng.choice(_NUTRIENTS)
    values = {
        "nutrient": nutrient,
        "Nutrient": nutrient[0].upper() + nutrient[1:],
        "condition": rng.choice(_CONDITIONS),
        "people": rng.choice(_PEOPLE),
        "verb": rng.choice(_VERBS),
        "pct": rng.randint(3, 90),
        "n": rng.randint(20, 90000),
        "dose": rng.choice([50, 100, 150, 200, 350, 400, 500, 1000]),
        "ref": rng.randint(1, 50),
        "year": rng.randint(1990, 2024),
        "pmid": rng.randint(10000000, 39999999),
        "big": rng.randint(2, 900),
    }
    values.update({key: rng.choice(words) for key, words in _WORDS.items()})
    return template.format(**values)


def make_draft(target_bytes: int, seed: int = 7) -> str:
    """A Markdown draft of about ``target_bytes`` bytes in the style of a health blog.

    Sentences are drawn from templates with random nutrients, conditions, numbers and
    citation forms, so that (almost) every sentence is different, as in a real draft.
    """
    rng = random.Random(seed)
    parts = ["# A very long article about supplements\n\n"]
    size = len(parts[0])
    n = 0
    while size < target_bytes:
        n += 1
        lines = [f"## Section {n}: {rng.choice(_NUTRIENTS)} and {rng.choice(_CONDITIONS)}", ""]
        for _ in range(rng.randint(2, 4)):
            sentences = [_sentence(rng, n) for _ in range(rng.randint(2, 5))]
            if rng.random() < 0.4:
                sentences.insert(rng.randint(0, len(sentences)), rng.choice(_FILLER))
            lines.extend([" ".join(sentences), ""])
        if rng.random() < 0.5:
            lines.extend([f"- {food}" for food in rng.sample(_WORDS["food"], 3)] + [""])
        if rng.random() < 0.3:
            lines.extend([f"Source: {n} ways to feel better, Good Health, New Zealand, 2014", ""])
        lines.extend([f"[^n{n % 50 + 1}]: Personal communication with a nutritionist, 2023.", ""])
        section = "\n".join(lines) + "\n"
        parts.append(section)
        size += len(section.encode("utf-8"))
    entries = "\n".join(
        f"{i}. Author{i} A, Writer B. Nutrients and health, part {i}. J Nutr Res. "
        f"2019;{i}(2):1-{i + 10}. doi:10.5555/ref.{i}"
        for i in range(1, 51)
    )
    parts.append(f"## References\n\n{entries}\n")
    return "".join(parts)


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux /proc)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text()
        except OSError:
            continue
        queue.extend(int(child) for child in children.split())
    return found


def _kb(pid: int, name: str, key: str) -> int:
    try:
        text = Path(f"/proc/{pid}/{name}").read_text()
    except OSError:
        return 0
    found = re.search(rf"^{key}:\s+(\d+) kB", text, re.M)
    return int(found.group(1)) if found else 0


class _TreeMemory(threading.Thread):
    """The largest sum of RSS and of PSS (KB) of a process and its descendants, sampled."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.rss, self.pss = pid, 0, 0
        self.done = threading.Event()

    def run(self) -> None:
        # every 0.1 s: reading smaps_rollup walks the page tables of the processes measured,
        # which slowed them measurably at 0.02 s; the peak is a plateau at the audit's end
        while not self.done.wait(0.1):
            pids = _tree(self.pid)
            self.rss = max(self.rss, sum(_kb(p, "status", "VmRSS") for p in pids))
            self.pss = max(self.pss, sum(_kb(p, "smaps_rollup", "Pss") for p in pids))


class Run(NamedTuple):
    wall: float
    cpu: float
    #: peak MB: the checking process; it and its workers (RSS summed, PSS summed; 0: unknown)
    peak: float
    tree_rss: float
    tree_pss: float
    claims: int
    sources: int


def _check_once(path: Path, jobs: int) -> Run:
    """One `claimgraph check` run in a fresh process."""
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, CLAIMGRAPH_CACHE_DIR=cache)
        # the console script as users run it (main, then its fast exit)
        code = run_cli_code()
        argv = [sys.executable, "-c", code, "check", "--offline", "--format", "json"]
        argv += ["--jobs", str(jobs), str(path)]
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
            start, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
            process = subprocess.Popen(argv, stdout=out, stderr=err, text=True, env=env)
            memory = _TreeMemory(process.pid)
            memory.start()
            returncode = process.wait()
            elapsed = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            memory.done.set()
            memory.join()
            out.seek(0)
            err.seek(0)
            head, stderr = out.read(1 << 16), err.read()  # the report's summary is at its start
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if returncode not in (0, 1):
        raise SystemExit(f"check failed (exit {returncode}): {stderr[-2000:]}")
    peak = max(int(m) for m in re.findall(r"peak-kb (\d+)", stderr)) / 1024
    summary = report_summary(head)  # never the whole report: see report_summary
    counts = summary["claims"], summary["sources"]
    return Run(elapsed, cpu, peak, memory.rss / 1024, memory.pss / 1024, *counts)


def _in_process_once(path: Path, jobs: int) -> Run:
    """One extract_draft call in this process (its workers included).

    No sampling thread here: a second thread keeps extraction from forking its workers. The
    peak of this process plus the peak of its largest worker bounds their sum from above.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start, cpu = time.perf_counter(), time.process_time()
    project = extract_draft(path, jobs=jobs)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu += (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    bound = peak + after.ru_maxrss / 1024
    counts = len(project.claims), len(project.sources)
    return Run(elapsed, cpu, peak, bound, 0.0, *counts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=1.0, help="draft size in MB (default 1)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs (default 3)")
    parser.add_argument("--jobs", type=int, default=0, help="processes (default 0: auto)")
    parser.add_argument(
        "--in-process", action="store_true", help="time extract_draft alone, in this process"
    )
    args = parser.parse_args(argv)
    compileall.compile_dir(ROOT / "claimgraph", quiet=1)
    text = make_draft(int(args.mb * 1024 * 1024))
    raw = text.encode("utf-8")
    runs: list[Run] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "long-draft.md"
        path.write_bytes(raw)
        for _ in range(args.runs):
            once = _in_process_once if args.in_process else _check_once
            runs.append(once(path, args.jobs))
    best = min(run.wall for run in runs)
    peak = max(run.peak for run in runs)
    tree_rss, tree_pss = max(run.tree_rss for run in runs), max(run.tree_pss for run in runs)
    how = "extract_draft in this process" if args.in_process else "claimgraph check --offline"
    print(f"draft: {len(raw) / 1024 / 1024:.2f} MB, {text.count(chr(10))} lines ({how})")
    print(f"found: {runs[-1].claims} claims, {runs[-1].sources} sources")
    print("runs: " + ", ".join(f"{run.wall:.2f} s" for run in runs))
    print(f"best: {best:.2f} s ({best / max(args.mb, 1e-9):.2f} s per MB)")
    # on a shared machine the wall time varies with the load; the CPU time much less
    print(f"CPU time (user + system, workers included), best: {min(r.cpu for r in runs):.2f} s")
    print(f"peak memory (max RSS of the checking process): {peak:.0f} MB")
    if args.in_process:
        print(f"peak memory with its workers (at most): {tree_rss:.0f} MB")
    elif tree_rss:
        print(
            f"peak memory with its workers (sum of RSS, sampled): {tree_rss:.0f} MB "
            f"(sum of PSS: {tree_pss:.0f} MB)"
        )
    memory = tree_rss or peak
    limit = TARGET_SECONDS * max(args.mb, 1.0) if args.mb < 10 else TARGET_10MB_SECONDS
    ok = best <= limit and (args.mb < 10 or memory <= TARGET_10MB_MEMORY_MB)
    print(
        f"target: <= {limit:.0f} s"
        + (f", <= {TARGET_10MB_MEMORY_MB:.0f} MB" if args.mb >= 10 else "")
        + (" - met" if ok else " - NOT met")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
