"""The naive cron script's day: the script one writes instead of paperhouse, run once a day by cron.

A fresh process that re-reads every snapshot file of the feed directory, rebuilds the paper table
with pandas (one row per normalised title), finds claims and repos in each paper's abstract with
a regex, and replaces the DuckDB tables (entries, papers, claims, repos) in one transaction. No
checks, no history kept, no exports: its cost is a peer for paperhouse's day, not for its work.

    python bench/naive_cron.py FEED_DIR DB_PATH [--load-only] [--report FILE]

`--load-only` skips the regexes: the one-shot load of the files into DuckDB, the second half of a
backfill's floor (the first is `extract_floor.py`).
"""
from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

STARTED = time.perf_counter()  # before the imports: they are part of a cron day

import duckdb  # noqa: E402
import pandas as pd  # noqa: E402

from naive_pandas import read_snapshot  # noqa: E402

# A percentage, a multiple or a points gain stated as a number: the regex a first script uses.
CLAIM = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(%|x\b|×|times\b|points?\b|pp\b)", re.IGNORECASE)
REPO = re.compile(r"https?://(?:www\.)?(github\.com|gitlab\.com|huggingface\.co)/([\w.-]+)/([\w.-]+)", re.IGNORECASE)


def load(files: list[Path]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every entry of every file, and the deduplicated paper table."""
    rows = [{"snapshot_date": path.stem, "position": position, "title": title, "abstract": abstract}
            for path in files for position, (title, abstract) in enumerate(read_snapshot(path), start=1)]
    entries = pd.DataFrame(rows)
    entries["title_key"] = entries["title"].str.lower().str.replace(r"[^a-z0-9]+", " ", regex=True).str.strip()
    papers = entries.groupby("title_key", as_index=False).agg(
        title=("title", "first"), abstract=("abstract", "first"), first_seen_date=("snapshot_date", "min"),
        last_seen_date=("snapshot_date", "max"), days_on_feed=("snapshot_date", "nunique"))
    return entries, papers


def find(papers: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Claims and repos of each paper's abstract, by regex."""
    claims, repos = [], []
    for key, abstract in zip(papers["title_key"], papers["abstract"]):
        claims += [(key, float(m.group(1)), m.group(2).lower(), m.start()) for m in CLAIM.finditer(abstract)]
        repos += [(key, f"{m.group(1)}/{m.group(2)}/{m.group(3)}".lower().rstrip("."), m.start())
                  for m in REPO.finditer(abstract)]
    return (pd.DataFrame(claims, columns=["title_key", "value", "unit", "char_offset"]),
            pd.DataFrame(repos, columns=["title_key", "repo_id", "char_offset"]))


def replace_tables(db_path: Path, frames: dict[str, pd.DataFrame]) -> None:
    with duckdb.connect(str(db_path)) as con:
        con.execute("begin")
        for name, frame in frames.items():
            con.register(f"{name}_frame", frame)
            con.execute(f"create or replace table {name} as select * from {name}_frame")
        con.execute("commit")


def run(feed_dir: Path, db_path: Path, load_only: bool = False) -> dict:
    files = sorted(p for p in Path(feed_dir).iterdir() if p.suffix in (".txt", ".json"))
    entries, papers = load(files)
    frames = {"entries": entries.drop(columns="title_key"), "papers": papers}
    if not load_only:
        frames["claims"], frames["repos"] = find(papers)
    replace_tables(db_path, frames)
    return {"files": len(files), **{name: len(frame) for name, frame in frames.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("feed_dir", type=Path)
    parser.add_argument("db_path", type=Path)
    parser.add_argument("--load-only", action="store_true", help="no regexes: load the files into DuckDB only")
    parser.add_argument("--report", type=Path, help="write the counts and seconds here as JSON")
    args = parser.parse_args()
    result = run(args.feed_dir, args.db_path, args.load_only)
    result["seconds"] = time.perf_counter() - STARTED
    if args.report:
        args.report.write_text(json.dumps(result))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
