"""Throughput of the extractors, in abstracts per CPU second on one core.

Usage: uv run python bench/bench_extract.py [--seconds 3] [--synthetic]

Abstracts come from the shared seed snapshots when present (every line long enough to be an
abstract), else (or with --synthetic) from the project's synthetic feed (`paperhouse.synth`).
Each extractor, and both one after the other (what the pipeline does per paper), runs over the
whole set repeatedly for `--seconds` of CPU time of this process (not wall time: the machine is
shared); the best of three rounds is printed. Pin it to one core: `taskset -c 0 python ...`.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from paperhouse.extract.claims import extract_claims
from paperhouse.extract.repos import extract_repos
from paperhouse.synth import iter_feed

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def seed_abstracts() -> list[str]:
    abstracts = []
    for path in sorted(SEEDS.glob("*.txt")):
        abstracts += [line for line in path.read_text(encoding="utf-8").splitlines() if len(line) > 300]
    return abstracts


def synthetic_abstracts(days: int = 10, papers_per_day: int = 50) -> list[str]:
    """Distinct abstracts of the synthetic feed (papers stay on it for several days)."""
    seen = {entry.paper.abstract for _, entries in iter_feed(days, papers_per_day, seed=7) for entry in entries}
    return sorted(seen)


def throughput(extract, abstracts: list[str], seconds: float) -> float:
    """Abstracts per CPU second of this process (one core: the extractors are single-threaded),
    so other work on a shared machine does not count against it. Best of three rounds."""
    best = 0.0
    for _ in range(3):
        done, started = 0, time.process_time()
        while time.process_time() - started < seconds / 3:
            for abstract in abstracts:
                extract(abstract)
            done += len(abstracts)
        best = max(best, done / (time.process_time() - started))
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--synthetic", action="store_true", help="use the synthetic feed even if seeds exist")
    args = parser.parse_args(argv)

    abstracts = [] if args.synthetic else seed_abstracts()
    source = "seed"
    if not abstracts:
        abstracts, source = synthetic_abstracts(), "synthetic"
    claims = sum(len(extract_claims(abstract)) for abstract in abstracts) / len(abstracts)
    mean_chars = sum(map(len, abstracts)) / len(abstracts)
    print(f"{len(abstracts)} {source} abstracts, {mean_chars:.0f} characters and {claims:.2f} claims on average")

    def both(abstract: str) -> None:
        extract_claims(abstract)
        extract_repos(abstract)

    # (bench_seeds.py reads the "extract_*" lines: keep their format)
    for name, extract in (("extract_claims", extract_claims), ("extract_repos", extract_repos),
                          ("both extractors, one after the other", both)):
        print(f"{name}: {throughput(extract, abstracts, args.seconds):,.0f} abstracts/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
