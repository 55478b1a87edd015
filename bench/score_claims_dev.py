"""Score the claims extractor on a labelled set of abstracts with the official scorer.

Usage: uv run python bench/score_claims_dev.py [--set dev|heldout|probe] [--shared DIR]
                                               [--out PREDICTIONS.jsonl] [--show-errors]

- dev (default): the titles of ``spec/claims_dev_titles.txt``, each found in the seed snapshots
  (the abstract is the next non-empty line after the title line), scored against claims_dev.jsonl.
- heldout, probe: the abstracts we wrote and labelled ourselves, in tests/extract/heldout/
  (``abstracts.jsonl``, ``claims.jsonl``, ``titles.txt``; the probe's files are prefixed ``probe_``).

Runs `extract_claims`, writes one prediction per line ({"title", ...claim fields}) and runs
``tools/score_claims.py`` on it, printing its report.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from paperhouse.extract.claims import extract_claims

DEFAULT_SHARED = Path(__file__).resolve().parents[2] / "shared"
HELDOUT_DIR = Path(__file__).resolve().parents[1] / "tests" / "extract" / "heldout"


def dev_abstracts(shared: Path) -> dict[str, str]:
    """Title -> abstract for every labelled title, read from the seed pages."""
    titles = [t for t in (shared / "spec" / "claims_dev_titles.txt").read_text(encoding="utf-8").splitlines() if t.strip()]
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


def labelled_set(name: str, shared: Path) -> tuple[dict[str, str], Path, Path]:
    """(title -> abstract, gold claims file, titles file) of one labelled set."""
    if name == "dev":
        spec = shared / "spec"
        return dev_abstracts(shared), spec / "claims_dev.jsonl", spec / "claims_dev_titles.txt"
    prefix = "probe_" if name == "probe" else ""
    with open(HELDOUT_DIR / f"{prefix}abstracts.jsonl", encoding="utf-8") as fh:
        abstracts = {row["title"]: row["abstract"] for row in map(json.loads, fh) if row}
    return abstracts, HELDOUT_DIR / f"{prefix}claims.jsonl", HELDOUT_DIR / f"{prefix}titles.txt"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", dest="labelled", choices=["dev", "heldout", "probe"], default="dev")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, help="where to keep the predictions (default: not kept)")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args(argv)

    abstracts, gold, titles = labelled_set(args.labelled, args.shared)
    with tempfile.TemporaryDirectory() as scratch:
        out = args.out or Path(scratch) / "predictions.jsonl"
        with open(out, "w", encoding="utf-8") as fh:
            for title, abstract in abstracts.items():
                for claim in extract_claims(abstract):
                    fh.write(json.dumps({"title": title, **dataclasses.asdict(claim)}) + "\n")
        command = [sys.executable, str(args.shared / "tools" / "score_claims.py"), str(gold), str(titles), str(out)]
        if args.show_errors:
            command.append("--show-errors")
        print(f"{len(abstracts)} abstracts" + (f", predictions in {out}" if args.out else ""), flush=True)
        return subprocess.run(command, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
