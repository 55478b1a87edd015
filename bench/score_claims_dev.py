"""Score the claims extractor on the labelled sets with the official scorer.

Usage: uv run python bench/score_claims_dev.py [--set all|dev|dev2|heldout|selfwritten|probe]
                                               [--without-heldout] [--shared DIR] [--out PREDICTIONS.jsonl]
                                               [--show-errors]

The labelled sets, and which of them the rules may be tuned on:

- dev: ``spec/claims_dev.jsonl`` (abstracts found in the seed pages by title). Tuned on.
- dev2: ``spec/claims_dev2.jsonl`` (abstracts from seed 001 via the feed parser), minus the
  held-out part below. Tuned on.
- heldout: a fixed random 30% of the dev2 abstracts (`HELDOUT_SEED`), whose labels and decisions
  are not read while rules are written; scored once, at the end of a round of rule changes.
  The only set that measures how the rules do on unseen abstracts.
- selfwritten, probe: abstracts an earlier team wrote and labelled itself, in tests/extract/selfwritten/.
  The rules were tuned on them: dev sets, not held-out.

``--set all`` (default) prints one row per set, side by side; ``--without-heldout`` leaves the
held-out row out, for working on the rules without seeing it. Each row runs `extract_claims`,
writes one prediction per line ({"title", ...claim fields}) and runs ``tools/score_claims.py``.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from paperhouse.extract.claims import extract_claims

DEFAULT_SHARED = Path(__file__).resolve().parents[2] / "shared"
SELFWRITTEN_DIR = Path(__file__).resolve().parents[1] / "tests" / "extract" / "selfwritten"
DEV2_SEED_FILE = "001_*.txt"
# The held-out part of dev2: chosen once by this seed, over the sorted titles, never changed.
HELDOUT_SEED = 15
HELDOUT_SHARE = 0.3
SETS = ("dev", "dev2", "heldout", "selfwritten", "probe")


@dataclasses.dataclass
class LabelledSet:
    name: str
    abstracts: dict[str, str]      # title -> abstract
    gold: list[dict]               # labelled claims of these titles only


def _titles(path: Path) -> list[str]:
    return [t for t in path.read_text(encoding="utf-8").splitlines() if t.strip()]


def _jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def seed_page_abstracts(shared: Path, titles: list[str]) -> dict[str, str]:
    """Title -> abstract for the dev titles, read from the seed pages (the abstract is the next
    non-empty line after the title line)."""
    lines: list[str] = []
    for seed in sorted((shared / "seeds").glob("*.txt")):
        lines += seed.read_text(encoding="utf-8").splitlines()
    first_index: dict[str, int] = {}
    for i, line in enumerate(lines):
        first_index.setdefault(line.strip(), i)
    abstracts = {}
    for title in titles:
        i = first_index.get(title.strip())
        if i is None:
            raise SystemExit(f"title not found in the seeds: {title[:60]!r}")
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        abstracts[title] = lines[j]
    return abstracts


def dev2_abstracts(shared: Path, titles: list[str]) -> dict[str, str]:
    """Title -> abstract for the dev2 titles, parsed from seed 001 the way `paperhouse parse` does."""
    from paperhouse.feeds import parse_file

    (seed,) = sorted((shared / "seeds").glob(DEV2_SEED_FILE))
    by_title = {entry["title"]: entry["abstract"] for entry in parse_file(seed, "auto").entries}
    missing = [t for t in titles if t not in by_title]
    if missing:
        raise SystemExit(f"{seed.name}: title not found: {missing[0][:60]!r}")
    return {t: by_title[t] for t in titles}


def heldout_titles(dev2_titles: list[str]) -> set[str]:
    """The held-out part of dev2: HELDOUT_SHARE of its titles, drawn with HELDOUT_SEED."""
    ordered = sorted(set(dev2_titles))
    return set(random.Random(HELDOUT_SEED).sample(ordered, round(len(ordered) * HELDOUT_SHARE)))


def labelled_set(name: str, shared: Path) -> LabelledSet:
    spec = shared / "spec"
    if name == "dev":
        titles = _titles(spec / "claims_dev_titles.txt")
        return LabelledSet(name, seed_page_abstracts(shared, titles), _jsonl(spec / "claims_dev.jsonl"))
    if name in ("dev2", "heldout"):
        titles = _titles(spec / "claims_dev2_titles.txt")
        held = heldout_titles(titles)
        chosen = [t for t in titles if (t in held) == (name == "heldout")]
        wanted = set(chosen)
        gold = [g for g in _jsonl(spec / "claims_dev2.jsonl") if g["title"] in wanted]
        return LabelledSet(name, dev2_abstracts(shared, chosen), gold)
    prefix = "probe_" if name == "probe" else ""
    abstracts = {row["title"]: row["abstract"] for row in _jsonl(SELFWRITTEN_DIR / f"{prefix}abstracts.jsonl")}
    return LabelledSet(name, abstracts, _jsonl(SELFWRITTEN_DIR / f"{prefix}claims.jsonl"))


def score(labelled: LabelledSet, shared: Path, out: Path | None = None, show_errors: bool = False) -> str:
    """The official scorer's report on `labelled`."""
    with tempfile.TemporaryDirectory() as scratch:
        predictions = out or Path(scratch) / "predictions.jsonl"
        with open(predictions, "w", encoding="utf-8") as fh:
            for title, abstract in labelled.abstracts.items():
                for claim in extract_claims(abstract):
                    fh.write(json.dumps({"title": title, **dataclasses.asdict(claim)}) + "\n")
        gold, titles = Path(scratch) / "gold.jsonl", Path(scratch) / "titles.txt"
        gold.write_text("".join(json.dumps(g) + "\n" for g in labelled.gold), encoding="utf-8")
        titles.write_text("".join(t + "\n" for t in labelled.abstracts), encoding="utf-8")
        command = [sys.executable, str(shared / "tools" / "score_claims.py"), str(gold), str(titles), str(predictions)]
        if show_errors:
            command.append("--show-errors")
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def _figures(report: str) -> dict[str, str]:
    return dict(re.findall(r"(\w+)=([\d.]+)", report))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", dest="labelled", choices=("all",) + SETS, default="all")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, help="where to keep the predictions of one set (default: not kept)")
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--without-heldout", action="store_true",
                        help="leave the held-out part out (for tuning rules without seeing it)")
    args = parser.parse_args(argv)
    if args.without_heldout and args.labelled == "heldout":
        parser.error("--set heldout with --without-heldout")

    if args.labelled != "all":
        labelled = labelled_set(args.labelled, args.shared)
        print(f"{args.labelled}: {len(labelled.abstracts)} abstracts" + (f", predictions in {args.out}" if args.out else ""))
        print(score(labelled, args.shared, args.out, args.show_errors), end="")
        return 0
    columns = ("gold", "predicted", "precision", "recall", "f1", "kind", "qualifier", "value_max")
    print(f"{'set':<12} {'abstracts':>9} " + " ".join(f"{c:>9}" for c in columns))
    for name in SETS:
        if args.without_heldout and name == "heldout":
            continue
        labelled = labelled_set(name, args.shared)
        figures = _figures(score(labelled, args.shared))
        print(f"{name:<12} {len(labelled.abstracts):>9} " + " ".join(f"{figures.get(c, '-'):>9}" for c in columns))
    return 0


if __name__ == "__main__":
    sys.exit(main())
