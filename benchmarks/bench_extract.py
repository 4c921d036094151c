"""Time draft extraction on a generated 1 MB Markdown draft.

    .venv/bin/python benchmarks/bench_extract.py            # 1 MB, best of 3
    .venv/bin/python benchmarks/bench_extract.py --mb 4 --runs 1

Prints the draft size, the number of claims and sources found, the wall time of each run
and the peak memory of the last run (tracemalloc). The target is under 2 s for 1 MB.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claimgraph.extract import extract_draft  # noqa: E402

TARGET_SECONDS = 2.0

_SECTION = """\
## Section {n}: magnesium, sleep and muscle cramps

Roughly a third of adults report poor sleep at least once a week, and about {p}% say it affects
their work. Research suggests that magnesium helps regulate melatonin, the hormone that tells the
body it is time to sleep. Is it worth trying? Probably, for some people.

A randomised trial in older adults found that 500 mg of magnesium a day shortened the time to
fall asleep by about 17 minutes [{r}]. Participants in the magnesium group also had higher blood
levels of melatonin ([Smith et al., 2019](https://doi.org/10.5555/bench.{n})).

Magnesium deficiency is linked to restless legs and muscle cramps at night (Lee and Park 2018).
Experts say most people get enough magnesium from food.[^n{n}] Try pumpkin seeds, almonds and
spinach before reaching for supplements.

- Pumpkin seeds
- Almonds
- Dark chocolate

Taking more than 350 mg a day from supplements can cause diarrhoea (PMID: {pmid}). See the
[product page](https://shop.example.com/magnesium-{n}) or [read more](/sleep-tips).

Source: 10 signs you're low in magnesium, Good Health, New Zealand, 2014

[^n{n}]: Personal communication with a nutritionist, 2023.

"""

_REFERENCES = """\
## References

{entries}
"""


def make_draft(target_bytes: int) -> str:
    """A Markdown draft of about ``target_bytes`` bytes in the style of a health blog."""
    parts = ["# A very long article about magnesium\n\n"]
    size = len(parts[0])
    n = 0
    while size < target_bytes:
        n += 1
        section = _SECTION.format(n=n, p=10 + n % 80, r=1 + n % 50, pmid=30000000 + n)
        parts.append(section)
        size += len(section.encode("utf-8"))
    entries = "\n".join(
        f"{i}. Author{i} A, Writer B. Magnesium and sleep, part {i}. J Sleep Res. "
        f"2019;{i}(2):1-{i + 10}. doi:10.5555/ref.{i}"
        for i in range(1, 51)
    )
    parts.append(_REFERENCES.format(entries=entries))
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=1.0, help="draft size in MB (default 1)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs (default 3)")
    args = parser.parse_args(argv)
    text = make_draft(int(args.mb * 1024 * 1024))
    raw = text.encode("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "long-draft.md"
        path.write_bytes(raw)
        times: list[float] = []
        claims = sources = 0
        for run in range(args.runs):
            last = run == args.runs - 1
            if last:
                tracemalloc.start()
            start = time.perf_counter()
            project = extract_draft(path)
            times.append(time.perf_counter() - start)
            if last:
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
            claims, sources = len(project.claims), len(project.sources)
    best = min(times)
    print(f"draft: {len(raw) / 1024 / 1024:.2f} MB, {text.count(chr(10))} lines")
    print(f"found: {claims} claims, {sources} sources")
    print("runs: " + ", ".join(f"{t:.2f} s" for t in times) + " (last run under tracemalloc)")
    print(f"best: {best:.2f} s (target < {TARGET_SECONDS:.0f} s per MB)")
    print(f"peak memory (tracemalloc, last run): {peak / 1024 / 1024:.0f} MB")
    return 0 if best / max(args.mb, 1e-9) < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
