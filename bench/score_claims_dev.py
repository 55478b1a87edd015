"""Score the claims extractor on the labelled dev abstracts with the official scorer.

Usage: uv run python bench/score_claims_dev.py [--shared DIR] [--out PREDICTIONS.jsonl] [--show-errors]

Reads the titles of ``spec/claims_dev_titles.txt``, finds each in the seed snapshots (the abstract
is the next non-empty line after the title line), runs `extract_claims`, writes one prediction per
line ({"title", ...claim fields}) and runs ``tools/score_claims.py`` on it, printing its report.
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, help="where to keep the predictions (default: not kept)")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args(argv)

    abstracts = dev_abstracts(args.shared)
    with tempfile.TemporaryDirectory() as scratch:
        out = args.out or Path(scratch) / "predictions.jsonl"
        with open(out, "w", encoding="utf-8") as fh:
            for title, abstract in abstracts.items():
                for claim in extract_claims(abstract):
                    fh.write(json.dumps({"title": title, **dataclasses.asdict(claim)}) + "\n")
        spec = args.shared / "spec"
        command = [sys.executable, str(args.shared / "tools" / "score_claims.py"),
                   str(spec / "claims_dev.jsonl"), str(spec / "claims_dev_titles.txt"), str(out)]
        if args.show_errors:
            command.append("--show-errors")
        print(f"{len(abstracts)} abstracts" + (f", predictions in {out}" if args.out else ""), flush=True)
        return subprocess.run(command, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
