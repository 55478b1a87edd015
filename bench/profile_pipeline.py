"""Where a backfill's and a day's time goes: cProfile of `pipeline.backfill` over a synthetic year,
then of `paperhouse run` for day 366 as a fresh process (the way cron or Airflow runs it).

    python bench/profile_pipeline.py WORK_DIR [--days 365] [--papers 200] [--top 25]

Writes WORK_DIR/backfill.prof and WORK_DIR/day.prof (open with `python -m pstats` or snakeviz) and
prints each step's wall and CPU time and the costliest calls by cumulative time. WORK_DIR/home
is the data root (removed first); the feed is written once under WORK_DIR/feeds.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench_support import REPO_ROOT, child_env, ensure_feed, feed_files, quiet_logs, settings_for

PHASES = ("ingest", "gate_raw", "build", "gate_marts", "publish", "export", "freshness")


def top_calls(profile_path: Path, top: int) -> str:
    out = io.StringIO()
    pstats.Stats(str(profile_path), stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("work", type=Path)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--papers", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    quiet_logs()
    feed = ensure_feed(args.work, args.days + 1, args.papers, formats="api")
    files = feed_files(feed)
    home = args.work / "home"
    shutil.rmtree(home, ignore_errors=True)
    import datetime as dt

    from bench_backfill import timed_steps

    from paperhouse import pipeline

    settings = settings_for(home, feed)
    wall, cpu = {}, {}
    timed_steps(pipeline, PHASES, wall, cpu)
    start, end = dt.date.fromisoformat(files[0].stem), dt.date.fromisoformat(files[-2].stem)
    profile = cProfile.Profile()
    started, cpu_started = time.perf_counter(), time.process_time()
    profile.enable()
    report = pipeline.backfill(settings, start, end)
    profile.disable()
    total, total_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    profile.dump_stats(str(args.work / "backfill.prof"))
    print(f"backfill {start}..{end}: {report.summary()}")
    print(f"backfill wall {total:.1f} s, CPU {total_cpu:.1f} s (load {os.getloadavg()[0]:.1f})")
    for name in PHASES:
        if name in wall:
            print(f"  {name:<11} wall {wall[name]:6.1f} s  CPU {cpu[name]:6.1f} s")
    print(top_calls(args.work / "backfill.prof", args.top))

    # Day 366 as cron runs it: a fresh process, the CLI, the whole feed directory.
    env = child_env(PAPERHOUSE_HOME=str(home), PAPERHOUSE_FEED_DIR=str(feed))
    day_prof = args.work / "day.prof"
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(day_prof), str(Path(sys.executable).parent / "paperhouse"),
                           "run"], env=env, cwd=REPO_ROOT, capture_output=True, text=True)
    print(f"day {files[-1].stem}: exit {done.returncode}, wall {time.perf_counter() - started:.1f} s "
          f"(load {os.getloadavg()[0]:.1f}); {done.stdout.strip()[-300:]} {done.stderr.strip()[-300:]}")
    print(top_calls(day_prof, args.top))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
