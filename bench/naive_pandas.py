"""The naive peer: the straightforward pandas script one writes first, for comparison.

Every day it re-reads every snapshot file so far, re-parses each (plain splitting, no checks),
rebuilds the paper table (one row per normalised title: first and last day seen, days on the
feed) and writes it to a DuckDB file. It does less than paperhouse (no claims, repos, gates or
exports), so its cost is a floor for the approach, not for the work.

    python bench/naive_pandas.py FEED_DIR DB_PATH [--max-seconds S] [--report FILE]

With --max-seconds it stops after the day that crosses the limit and extrapolates the remaining
days from the per-day cost so far (which grows linearly with the days it re-reads).
"""
from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

import duckdb
import pandas as pd

PAGE_HEADER = {
    "new", "subscribe", "daily papers", "get trending papers in your email inbox!",
    "get trending papers in your email inbox once a day!", "byak and the research community",
    "by ak and the research community",
}
DAY_LINE = re.compile(r"^[A-Z][a-z]{2} \d{1,2}$")


def read_snapshot(path: Path) -> list[tuple[str, str]]:
    """(title, abstract) pairs of one snapshot file, page or API JSON."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return [(item["title"], item["summary"]) for item in json.loads(text)]
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    start = 0
    while start < len(lines) and (lines[start].lower() in PAGE_HEADER or DAY_LINE.match(lines[start])):
        start += 1
    body = lines[start:]
    if body and body[0].startswith("Subscribe"):  # the one-line layout glues the first title to it
        body[0] = body[0][len("Subscribe"):]
    return list(zip(body[0::2], body[1::2]))


def rebuild_papers(files: list[Path]) -> pd.DataFrame:
    rows = [{"snapshot_date": path.stem, "position": position, "title": title, "abstract": abstract}
            for path in files for position, (title, abstract) in enumerate(read_snapshot(path), start=1)]
    entries = pd.DataFrame(rows)
    entries["title_key"] = entries["title"].str.lower().str.replace(r"[^a-z0-9]+", " ", regex=True).str.strip()
    return entries.groupby("title_key", as_index=False).agg(
        title=("title", "first"), abstract=("abstract", "first"), first_seen_date=("snapshot_date", "min"),
        last_seen_date=("snapshot_date", "max"), days_on_feed=("snapshot_date", "nunique"))


def write_papers(db_path: Path, papers: pd.DataFrame) -> None:
    with duckdb.connect(str(db_path)) as con:
        con.register("papers_frame", papers)
        con.execute("create or replace table papers as select * from papers_frame")


def run_naive(feed_dir: Path, db_path: Path, max_seconds: float | None = None) -> dict:
    """Day by day over the feed; per-day seconds, and the year's total (extrapolated past the limit)."""
    files = sorted(p for p in Path(feed_dir).iterdir() if p.suffix in (".txt", ".json"))
    per_day: list[float] = []
    started = time.perf_counter()
    papers = 0
    for day in range(1, len(files) + 1):
        day_start = time.perf_counter()
        table = rebuild_papers(files[:day])
        write_papers(db_path, table)
        papers = len(table)
        per_day.append(time.perf_counter() - day_start)
        if max_seconds is not None and time.perf_counter() - started > max_seconds:
            break
    measured = sum(per_day)
    total = measured + extrapolate(per_day, len(files))
    return {"days_total": len(files), "days_run": len(per_day), "measured_s": measured, "total_s": total,
            "extrapolated": len(per_day) < len(files), "per_day_s": per_day, "papers": papers}


def extrapolate(per_day: list[float], days_total: int) -> float:
    """Seconds for the days not run: a least-squares line through the per-day cost so far."""
    days_run = len(per_day)
    if days_run >= days_total:
        return 0.0
    if days_run < 2:
        return per_day[-1] * (days_total - days_run)
    xs = range(1, days_run + 1)
    mean_x, mean_y = sum(xs) / days_run, sum(per_day) / days_run
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, per_day)) / sum((x - mean_x) ** 2 for x in xs)
    intercept = mean_y - slope * mean_x
    return sum(max(intercept + slope * day, 0.0) for day in range(days_run + 1, days_total + 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("feed_dir", type=Path)
    parser.add_argument("db_path", type=Path)
    parser.add_argument("--max-seconds", type=float)
    parser.add_argument("--report", type=Path, help="write the timings here as JSON")
    args = parser.parse_args()
    result = run_naive(args.feed_dir, args.db_path, args.max_seconds)
    if args.report:
        args.report.write_text(json.dumps(result))
    label = "extrapolated" if result["extrapolated"] else "measured"
    print(f"{result['days_run']} of {result['days_total']} days in {result['measured_s']:.1f} s; "
          f"whole feed {result['total_s']:.1f} s ({label}); {result['papers']} papers")


if __name__ == "__main__":
    main()
