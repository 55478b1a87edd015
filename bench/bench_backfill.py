"""Backfill (issue 8): a year of synthetic history from an empty data root to a published,
exported warehouse through `pipeline.backfill`, the code path of the backfill DAG; against its
floor (issue 18), measured in the same run: one process parsing the year and extracting claims and
repos (`extract_floor.py`), plus the one-shot pandas script loading the same files into DuckDB
(`naive_cron.py --load-only`).

The backfill runs in a child process (`bench_backfill.py --worker ...`), so its wall time includes
imports and its peak memory is the child's alone (RUSAGE_CHILDREN). The worker wraps the
pipeline's step functions with timers to report where the time went; the steps themselves are
unchanged.
"""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import shutil
import sys
import time
from pathlib import Path

from bench_support import (
    BENCH_DIR, Section, Target, bench_main, check_child, child_env, ensure_feed, feed_files, fmt_int, fmt_mib,
    fmt_rate, fmt_ratio, fmt_s, published_count, quiet_logs, run_child, settings_for,
)

SIZES = {"full": {"days": 365, "papers_per_day": 200}, "quick": {"days": 4, "papers_per_day": 10}}
TARGET_S = 600.0  # issue 8: a year from empty to published and exported in < 10 minutes
FLOOR_RATIO = 3.0  # issue 18: the backfill within 3x of its floor
PHASES = ("ingest", "gate_raw", "build", "gate_marts", "publish", "export", "freshness")
# What stays true of every run: where to look further, and what the raw gate cost before it was batched.
STANDING_NOTES = (
    "`python bench/profile_raw_gate.py <backfill-home>` profiles gate_raw (cProfile) over a finished backfill's data "
    "root. Before issue 13 the raw gate ran one Great Expectations run per day and took 69% of this backfill's wall "
    "time (146 s of which 102 s, 2026-11-23); its cost was per run, not per row (building the metric graph, "
    "creating the file-backed context, store writes), so one run for all days pays it once.",
    "Before issue 18's cuts (2026-12-02, mixed feed, load 4): 202 s wall, 114 s CPU, of which ingest 48 s CPU, "
    "gate_raw 23 s, build 31 s. Cut: bytecode compiled once by `make setup`, one dbt parse per process shared "
    "by build and freshness, records copied shallowly, control characters found by one regex, a day's "
    "partitions fsynced together, one Great Expectations context, the raw gate's days read as one dataset.",
)


def measure(work_dir: Path, days: int, papers_per_day: int, seed: int = 0) -> Section:
    """A year of history through pipeline.backfill, from empty to published and exported."""
    feed = ensure_feed(work_dir, days, papers_per_day, seed, formats="api")
    files = feed_files(feed)
    home = Path(work_dir) / "backfill-home"
    shutil.rmtree(home, ignore_errors=True)
    report_path = Path(work_dir) / "backfill-report.json"
    report_path.unlink(missing_ok=True)
    start, end = (dt.date.fromisoformat(p.stem) for p in (files[0], files[-1]))
    child = run_child([sys.executable, __file__, "--worker", "--home", str(home), "--feed", str(feed),
                       "--start", start.isoformat(), "--end", end.isoformat(), "--report", str(report_path)],
                      env=child_env())
    check_child(child, "the backfill worker")
    report = json.loads(report_path.read_text())
    if not report["ok"]:
        raise RuntimeError(f"backfill {start}..{end} did not pass: {report['summary']}")

    # The floor, right after (same load): the work itself, done the shortest way.
    extract = run_child([sys.executable, str(BENCH_DIR / "extract_floor.py"), str(feed)], env=child_env())
    check_child(extract, "extract_floor.py")
    floor_db = Path(work_dir) / "backfill-floor.duckdb"
    floor_db.unlink(missing_ok=True)
    load = run_child([sys.executable, str(BENCH_DIR / "naive_cron.py"), str(feed), str(floor_db), "--load-only"],
                     env=child_env())
    check_child(load, "naive_cron.py --load-only")
    floor_wall, floor_cpu = extract.wall_s + load.wall_s, extract.cpu_s + load.cpu_s
    ratio, cpu_ratio = child.wall_s / floor_wall, child.cpu_s / floor_cpu
    extracted = json.loads(extract.stdout.strip().splitlines()[-1])

    entries = days * papers_per_day
    phases = report["phases"]
    largest = max(phases, key=phases.get)
    rows = [["backfill, whole (child process)", fmt_s(child.wall_s), fmt_s(child.cpu_s), fmt_rate(entries / child.wall_s)]]
    cpu_phases = report.get("cpu_phases", {})
    rows += [[f"  {name}", fmt_s(phases[name]), fmt_s(cpu_phases[name]) if name in cpu_phases else "", ""]
             for name in PHASES if name in phases]
    rows.append(["  other (imports, fetch, start-up)", fmt_s(child.wall_s - sum(phases.values())),
                 fmt_s(max(child.cpu_s - sum(cpu_phases.values()), 0.0)), ""])
    rows += [
        ["floor: parse + extract claims and repos, one process (`extract_floor.py`)", fmt_s(extract.wall_s),
         fmt_s(extract.cpu_s), fmt_rate(entries / extract.wall_s)],
        ["floor: one-shot pandas load into DuckDB (`naive_cron.py --load-only`)", fmt_s(load.wall_s), fmt_s(load.cpu_s),
         fmt_rate(entries / load.wall_s)],
        ["floor, both", fmt_s(floor_wall), fmt_s(floor_cpu), fmt_rate(entries / floor_wall)],
        ["backfill / floor", fmt_ratio(ratio), fmt_ratio(cpu_ratio), ""],
    ]
    return Section(
        key="backfill",
        title=f"Backfill: {fmt_int(days)} days x {papers_per_day} papers, empty -> published and exported",
        columns=["step", "wall", "CPU", "entries/s"],
        rows=rows,
        targets=[Target(f"{fmt_int(days)} days from empty to published and exported: < {TARGET_S / 60:g} min (issue 8)",
                        fmt_s(child.wall_s), child.wall_s < TARGET_S),
                 Target(f"the backfill within {FLOOR_RATIO:g}x of its floor (parse + extract, plus a one-shot pandas "
                        "load into DuckDB), same run (issue 18)",
                        f"{fmt_ratio(ratio)} wall ({fmt_s(child.wall_s)} vs {fmt_s(floor_wall)}), {fmt_ratio(cpu_ratio)} CPU",
                        ratio <= FLOOR_RATIO)],
        notes=[
            f"`pipeline.backfill` over {fmt_int(days)} days of the synthetic API feed ({fmt_int(entries)} entries, "
            "written beforehand): ingest every day, raw gate over all days in ONE Great "
            "Expectations run (per-day results), ONE dbt build, marts gate, publish, export, source freshness.",
            f"Floor, run right after the backfill: `extract_floor.py` parses every file and extracts "
            f"{fmt_int(extracted['claims'])} claims and {fmt_int(extracted['repo_mentions'])} repo mentions, writing "
            "nothing; `naive_cron.py --load-only` reads the same files with pandas and writes the entries and the "
            "deduplicated papers into DuckDB. Both are fresh processes (imports included), as the backfill is.",
            f"The raw gate takes {phases.get('gate_raw', 0.0) / child.wall_s:.0%} of the wall time and "
            f"{cpu_phases.get('gate_raw', 0.0) / child.cpu_s:.0%} of the CPU time (target: at most 25%, issue 13); "
            f"the largest step is {largest}: {phases[largest] / child.wall_s:.0%} of the wall time.",
            f"Peak memory of the backfill process: {fmt_mib(child.peak_rss_mib)}. The published warehouse holds "
            f"{fmt_int(report['papers'])} papers and {fmt_int(report['claims'])} claims.",
            *STANDING_NOTES,
        ],
        figures={"days": days, "papers_per_day": papers_per_day, "wall_s": child.wall_s, "cpu_s": child.cpu_s,
                 "peak_rss_mib": child.peak_rss_mib, "phases": phases, "cpu_phases": cpu_phases, "papers": report["papers"],
                 "claims": report["claims"], "summary": report["summary"], "floor_extract_s": extract.wall_s,
                 "floor_extract_cpu_s": extract.cpu_s, "floor_load_s": load.wall_s, "floor_load_cpu_s": load.cpu_s,
                 "floor_s": floor_wall, "floor_cpu_s": floor_cpu, "floor_ratio": ratio, "floor_cpu_ratio": cpu_ratio},
    )


def timed_steps(module, names: tuple[str, ...], seconds: dict[str, float], cpu_seconds: dict[str, float] | None = None) -> None:
    """Wrap the module's step functions so each call adds its duration to `seconds[name]` (and its
    process CPU time to `cpu_seconds[name]`: on a shared machine, shares of CPU time are steadier)."""
    for name in names:
        step = getattr(module, name)

        @functools.wraps(step)
        def wrapper(*args, _step=step, _name=name, **kwargs):
            start, cpu_start = time.perf_counter(), time.process_time()
            try:
                return _step(*args, **kwargs)
            finally:
                seconds[_name] = seconds.get(_name, 0.0) + time.perf_counter() - start
                if cpu_seconds is not None:
                    cpu_seconds[_name] = cpu_seconds.get(_name, 0.0) + time.process_time() - cpu_start

        setattr(module, name, wrapper)


def worker(argv: list[str]) -> None:
    """The child: run the backfill and write what it did as JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    for option in ("--home", "--feed", "--report"):
        parser.add_argument(option, type=Path, required=True)
    parser.add_argument("--start", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--end", type=dt.date.fromisoformat, required=True)
    args = parser.parse_args(argv)
    quiet_logs()
    from paperhouse import pipeline

    settings = settings_for(args.home, args.feed)
    phases: dict[str, float] = {}
    cpu_phases: dict[str, float] = {}
    timed_steps(pipeline, PHASES, phases, cpu_phases)
    report = pipeline.backfill(settings, args.start, args.end)
    counts = {"papers": published_count(settings, "dim_papers"), "claims": published_count(settings, "fct_claims")} \
        if report.published else {"papers": 0, "claims": 0}
    args.report.write_text(json.dumps({"ok": report.ok and report.exported is not None, "summary": report.summary(),
                                       "phases": phases, "cpu_phases": cpu_phases, **counts}))


if __name__ == "__main__":
    if "--worker" in sys.argv[1:]:
        worker(sys.argv[1:])
    else:
        bench_main(measure, SIZES)
