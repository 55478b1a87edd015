"""The naive peer (issue 8): `naive_pandas.py` over the same synthetic year as the backfill, in a
child process (wall time, peak memory). Past its time limit it extrapolates, and says so."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from bench_support import (
    BENCH_DIR, Section, bench_main, check_child, child_env, ensure_feed, fmt_int, fmt_mib, fmt_s, run_child,
)

SIZES = {
    "full": {"days": 365, "papers_per_day": 200, "max_seconds": 180.0},
    "quick": {"days": 4, "papers_per_day": 10, "max_seconds": 60.0},
}


def measure(work_dir: Path, days: int, papers_per_day: int, max_seconds: float, seed: int = 0) -> Section:
    """The naive pandas peer over the backfill's year: re-read everything, every day."""
    feed = ensure_feed(work_dir, days, papers_per_day, seed)
    db_path = Path(work_dir) / "naive.duckdb"
    db_path.unlink(missing_ok=True)
    report_path = Path(work_dir) / "naive-report.json"
    child = run_child([sys.executable, str(BENCH_DIR / "naive_pandas.py"), str(feed), str(db_path),
                       "--max-seconds", str(max_seconds), "--report", str(report_path)], env=child_env())
    check_child(child, "naive_pandas.py")
    result = json.loads(report_path.read_text())
    per_day = result["per_day_s"]
    run_days = result["days_run"]
    total_label = (f"{fmt_s(result['total_s'])} (extrapolated from the first {fmt_int(run_days)} days)"
                   if result["extrapolated"] else fmt_s(result["total_s"]))
    sample_days = sorted({1, min(30, run_days), run_days})
    rows = [[f"day {fmt_int(day)} (re-reads {fmt_int(day)} file{'s' if day > 1 else ''})", fmt_s(per_day[day - 1])]
            for day in sample_days]
    rows.append([f"days 1-{fmt_int(run_days)}, measured (child process {fmt_s(child.wall_s)})", fmt_s(result["measured_s"])])
    rows.append([f"all {fmt_int(days)} days", total_label])
    return Section(
        key="naive",
        title=f"Naive peer: pandas re-reading every snapshot every day ({fmt_int(days)} days x {papers_per_day} papers)",
        columns=["what", "wall"],
        rows=rows,
        notes=[
            "`bench/naive_pandas.py`: for each day, read and split every file so far, rebuild the paper table "
            "with pandas, write it to DuckDB. It extracts no claims or repos and runs no gates or exports.",
            f"Peak memory: {fmt_mib(child.peak_rss_mib)}; its last table holds {fmt_int(result['papers'])} papers.",
            *([f"It stopped after {fmt_int(run_days)} days ({max_seconds:g} s limit); the rest is a least-squares "
               "line through the per-day cost, which grows with the files re-read."] if result["extrapolated"] else []),
        ],
        figures={"days": days, "papers_per_day": papers_per_day, "days_run": run_days,
                 "measured_s": result["measured_s"], "total_s": result["total_s"],
                 "extrapolated": result["extrapolated"], "peak_rss_mib": child.peak_rss_mib,
                 "last_day_s": per_day[-1], "papers": result["papers"]},
    )


if __name__ == "__main__":
    bench_main(measure, SIZES)
