"""Scale (issue 18): paperhouse's daily cost as history grows far beyond the real feed, against the
naive cron peer's day on the same files.

A synthetic API feed (default 3 years x 2,000 entries a day, about 2.2 M entries: some 10x the real
feed) is backfilled from empty in chunks. At each checkpoint (1, 30, 90, 365, 730 and 1,095 days of
history) ONE more day is run the way cron or an Airflow task runs it: a fresh process calling
`pipeline.run` on that day's file (what `paperhouse run FILE` does), each step timed, the
write-audit-publish copy of the published warehouse timed apart. The naive peer's day is a fresh
process re-reading every snapshot so far (`naive_pandas.rebuild_papers`), capped by a time limit;
past it, its cost is extrapolated linearly in entries from the largest size it finished, and
labelled so. Every child reports its own peak memory (ru_maxrss of its process).

    python bench/bench_scale.py --work /tmp/scale-work                 # full size, writes docs/scaling.png
    python bench/bench_scale.py --quick                                # smoke size
    python bench/bench_scale.py --papers-per-day 500 --work DIR        # a reduced size that fits a budget
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_support import (
    BENCH_DIR, REPO_ROOT, Section, Target, bench_main, child_env, ensure_feed, feed_files, fmt_int, fmt_mib, fmt_s,
    quiet_logs, settings_for,
)

FULL_CHECKPOINTS = (1, 30, 90, 365, 730, 1095)
SIZES = {
    "full": {"checkpoints": FULL_CHECKPOINTS, "papers_per_day": 2000, "naive_timeout_s": 600.0,
             "plot": str(REPO_ROOT / "docs" / "scaling.png")},
    "quick": {"checkpoints": (1, 3), "papers_per_day": 8, "naive_timeout_s": 120.0, "plot": None},
}
FULL_ENTRIES = FULL_CHECKPOINTS[-1] * 2000
# The steps of one day, in order; `wap_copy` (the staging copy of the published warehouse) and
# `digest` (sha256 of the warehouse file, by the marts gate and publish) run inside them.
DAY_STEPS = ("ingest", "gate_raw", "build", "gate_marts", "publish", "export", "freshness")
NAIVE_MEMORY_LIMIT = 16 * 2**30   # the naive peer holds every entry in pandas: stop it before the machine swaps
COPY_DOMINATES = 0.5              # the copy "dominates" the day past half its wall time


def directory_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file() and not p.is_symlink())


def fmt_bytes(size: int) -> str:
    return fmt_mib(size / 2**20) if size < 10 * 2**30 else f"{size / 2**30:,.1f} GiB"


def measure(work_dir: Path, checkpoints: tuple[int, ...], papers_per_day: int, naive_timeout_s: float,
            plot: str | None = None, budget_s: float | None = None, seed: int = 0) -> Section:
    """Backfill a large synthetic history in chunks; at each checkpoint, one more day for paperhouse and the naive peer.

    With `budget_s`, a checkpoint whose chunk and day would, at the pace so far, end past the
    budget is not started: the section then reports the sizes reached and says so."""
    checkpoints = tuple(sorted(set(checkpoints)))
    started = time.perf_counter()
    feed_started = time.perf_counter()
    feed = ensure_feed(work_dir, checkpoints[-1] + 1, papers_per_day, seed, formats="api")
    feed_s = time.perf_counter() - feed_started
    files = feed_files(feed)
    days = [dt.date.fromisoformat(p.stem) for p in files]
    home = Path(work_dir) / "scale-home"
    shutil.rmtree(home, ignore_errors=True)
    naive_db = Path(work_dir) / "scale-naive.duckdb"

    chunks, points = [], []
    loaded = 0           # days in the published warehouse
    naive_stopped = None  # why the naive peer was not run at larger sizes
    skipped: list[int] = []
    for history in checkpoints:
        if budget_s is not None and points and not fits(history - loaded, chunks, points, time.perf_counter() - started, budget_s):
            skipped = [c for c in checkpoints if c >= history]
            break
        if history > loaded:
            chunks.append(backfill_chunk(work_dir, home, feed, days[loaded], days[history - 1]))
            loaded = history
        point = {"history_days": history, "history_entries": history * papers_per_day,
                 "day": days[history].isoformat(), **run_day(work_dir, home, feed, days[history])}
        loaded = history + 1
        point["sizes"] = {name: directory_bytes(home / name) for name in ("warehouse", "lake", "landing", "exports")}
        point["sizes"]["published_warehouse"] = (home / "warehouse" / "paperhouse.duckdb").stat().st_size
        point["sizes"]["home"] = directory_bytes(home)
        point["sizes"]["latest_export"] = directory_bytes((home / "exports" / "latest").resolve())
        point["sizes"]["exports_kept"] = sum(1 for p in (home / "exports").iterdir() if p.is_dir() and not p.is_symlink()
                                             and not p.name.startswith("."))
        if naive_stopped is None:
            point["naive"] = naive_day(files[:history + 1], naive_db, naive_timeout_s)
            naive_stopped = point["naive"].get("stopped")
        else:
            point["naive"] = {"stopped": naive_stopped}
        points.append(point)
        # What is measured so far, in case the run is stopped before the section is written.
        (Path(work_dir) / "scale-progress.json").write_text(json.dumps({"chunks": chunks, "points": points}, indent=1))
        print(f"scale: {history} days done (day {point['wall_s']:.1f} s)", file=sys.stderr, flush=True)
    extrapolate_naive(points)
    probe = None
    if points and points[-1]["history_entries"] + papers_per_day < FULL_ENTRIES:
        probe = copy_probe(home / "warehouse" / "paperhouse.duckdb", projected_bytes(points, papers_per_day),
                           Path(work_dir))
    if plot:
        write_plot(points, Path(plot), papers_per_day)
    return section(points, chunks, papers_per_day, feed_s, plot, skipped, probe)


def projected_bytes(points: list[dict], papers_per_day: int) -> int:
    """The published warehouse's size at the full 2.2 M entries: the last size plus its growth per
    entry between the first and last checkpoints (a DuckDB file has a fixed floor of its own)."""
    first, last = points[0], points[-1]
    entries = [p["history_entries"] + papers_per_day for p in (first, last)]
    sizes = [p["sizes"]["published_warehouse"] for p in (first, last)]
    per_entry = (sizes[1] - sizes[0]) / (entries[1] - entries[0]) if entries[1] > entries[0] else 0.0
    return int(sizes[1] + max(per_entry, 0.0) * (FULL_ENTRIES - entries[1]))


def copy_probe(published: Path, size: int, scratch: Path) -> dict:
    """When the run is smaller than the issue's size: the write-audit-publish copy and digest of a
    file as large as the full-size warehouse would be (the published file repeated), timed as the
    daily run does them (shutil.copyfile, warehouse.file_digest)."""
    from paperhouse.warehouse import file_digest

    source, target = scratch / "scale-probe.duckdb", scratch / "scale-probe-copy.duckdb"
    block = published.read_bytes()
    with open(source, "wb") as handle:
        written = 0
        while written < size:
            written += handle.write(block[:size - written])
    try:
        started = time.perf_counter()
        shutil.copyfile(source, target)
        copy_s = time.perf_counter() - started
        started = time.perf_counter()
        file_digest(target)
        digest_s = time.perf_counter() - started
    finally:
        source.unlink(missing_ok=True)
        target.unlink(missing_ok=True)
    return {"bytes": size, "copy_s": copy_s, "digest_s": digest_s}


def fits(days: int, chunks: list[dict], points: list[dict], elapsed_s: float, budget_s: float) -> bool:
    """Would backfilling `days` more and running one more day (and the naive peer's) end within the
    budget? The pace is the largest chunk's time per day (its start-up included: on a shared
    machine, a difference of two chunks is too noisy to split start-up from pace)."""
    largest = max(chunks, key=lambda c: c["days"], default=None)
    if largest is None or largest["days"] < 2:
        return True
    last = points[-1]
    growth = 1 + days / (last["history_days"] + 1)   # the measured days grow with history
    naive_s = last["naive"].get("wall_s", 0.0) * growth
    return elapsed_s + largest["wall_s"] / largest["days"] * days + last["wall_s"] * growth + naive_s <= budget_s


# ---- the measured children ---------------------------------------------------------------------------

def run_measured(command: list[str], timeout_s: float | None = None) -> dict:
    """Run a child to completion; its own wall time, CPU time and peak memory (os.wait4 gives this
    child's rusage alone, where RUSAGE_CHILDREN would mix in every earlier child). Past `timeout_s`
    the child is killed and `stopped` says so."""
    with tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=child_env(), stdout=subprocess.DEVNULL, stderr=stderr)
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if timeout_s is not None and time.perf_counter() - started > timeout_s:
                process.kill()
                os.wait4(process.pid, 0)
                process.returncode = -9
                return {"stopped": f"stopped after {timeout_s:g} s"}
            time.sleep(0.1)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        stderr.seek(0)
        error = stderr.read().decode(errors="replace").strip().splitlines()
    result = {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mib": usage.ru_maxrss / 1024}
    if process.returncode != 0:
        result["stopped"] = f"exit {process.returncode}: {(error or ['no output'])[-1][:160]}"
    return result


def checked(result: dict, what: str) -> dict:
    if "stopped" in result:
        raise RuntimeError(f"{what}: {result['stopped']}")
    return result


def backfill_chunk(work_dir: Path, home: Path, feed: Path, start: dt.date, end: dt.date) -> dict:
    """`pipeline.backfill` of start..end in a fresh process (bench_backfill.py's worker), timed per step."""
    report_path = Path(work_dir) / "scale-backfill.json"
    report_path.unlink(missing_ok=True)
    child = checked(run_measured([sys.executable, str(BENCH_DIR / "bench_backfill.py"), "--worker", "--home", str(home),
                                  "--feed", str(feed), "--start", start.isoformat(), "--end", end.isoformat(),
                                  "--report", str(report_path)]), f"the backfill of {start}..{end}")
    report = json.loads(report_path.read_text())
    if not report["ok"]:
        raise RuntimeError(f"backfill {start}..{end} did not pass: {report['summary']}")
    return {"start": start.isoformat(), "end": end.isoformat(), "days": (end - start).days + 1,
            **child, "phases": report["phases"]}


def run_day(work_dir: Path, home: Path, feed: Path, day: dt.date) -> dict:
    """One day as cron or an Airflow task runs it: a fresh process, `pipeline.run` on the day's file."""
    report_path = Path(work_dir) / "scale-day.json"
    report_path.unlink(missing_ok=True)
    child = checked(run_measured([sys.executable, __file__, "--day-worker", "--home", str(home), "--feed", str(feed),
                                  "--date", day.isoformat(), "--report", str(report_path)]), f"the daily run of {day}")
    report = json.loads(report_path.read_text())
    if not report["ok"]:
        raise RuntimeError(f"the daily run of {day} did not pass: {report['summary']}")
    return {**child, "steps": report["steps"], "papers": report["papers"], "claims": report["claims"]}


def naive_day(files: list[Path], db_path: Path, timeout_s: float) -> dict:
    """The naive cron script's day: a fresh process re-reading every snapshot so far."""
    list_path = db_path.with_suffix(".files")
    list_path.write_text("\n".join(str(p) for p in files))
    report_path = db_path.with_suffix(".json")
    report_path.unlink(missing_ok=True)
    db_path.unlink(missing_ok=True)
    child = run_measured([sys.executable, __file__, "--naive-worker", "--files", str(list_path), "--db", str(db_path),
                          "--report", str(report_path)], timeout_s=timeout_s)
    if "stopped" in child:
        return {"stopped": child["stopped"]}
    return {**child, "papers": json.loads(report_path.read_text())["papers"]}


def extrapolate_naive(points: list[dict]) -> None:
    """Where the naive peer did not finish, its day is linear in the entries it re-reads: scale the
    largest day it did finish."""
    measured = [p for p in points if "wall_s" in p["naive"]]
    if not measured:
        return
    base = measured[-1]
    per_entry = base["naive"]["wall_s"] / (base["history_entries"] + base["history_entries"] / base["history_days"])
    for point in points:
        if "wall_s" not in point["naive"]:
            entries = point["history_entries"] + point["history_entries"] / point["history_days"]
            point["naive"]["extrapolated_s"] = per_entry * entries
            point["naive"]["extrapolated_from_days"] = base["history_days"]


# ---- the workers (run in the children) ------------------------------------------------------------------

def timed_functions(module, names: tuple[str, ...], seconds: dict[str, float], label: dict[str, str] | None = None) -> None:
    """Wrap module functions so each call adds its wall time to `seconds` (under `label[name]`)."""
    import functools

    for name in names:
        function = getattr(module, name)
        key = (label or {}).get(name, name)

        @functools.wraps(function)
        def wrapper(*args, _function=function, _key=key, **kwargs):
            start = time.perf_counter()
            try:
                return _function(*args, **kwargs)
            finally:
                seconds[_key] = seconds.get(_key, 0.0) + time.perf_counter() - start

        setattr(module, name, wrapper)


def day_worker(args: argparse.Namespace) -> None:
    """One daily run, each step timed; the write-audit-publish copy and the digests apart."""
    quiet_logs()
    started = time.perf_counter()
    from paperhouse import pipeline, warehouse
    from bench_support import published_count

    steps: dict[str, float] = {"imports": time.perf_counter() - started}
    # The steps as the run timed them (RunReport.step_seconds: the gates run in the gate worker);
    # the staging copy and the digests of this process apart (the marts gate's digest is the worker's).
    copies: dict[str, float] = {}
    timed_functions(warehouse, ("_prepare_staging", "file_digest"), copies,
                    {"_prepare_staging": "wap_copy", "file_digest": "digest"})
    settings = settings_for(args.home, args.feed)
    report = pipeline.run(settings, [pipeline.fetch(settings, args.date)])
    steps.update(report.step_seconds)
    steps.update(copies)
    args.report.write_text(json.dumps({
        "ok": report.ok and report.published is not None and report.exported is not None, "summary": report.summary(),
        "steps": steps,
        "papers": published_count(settings, "dim_papers"), "claims": published_count(settings, "fct_claims")}))


def naive_worker(args: argparse.Namespace) -> None:
    """The naive peer's one day over the listed files, in this fresh process."""
    resource.setrlimit(resource.RLIMIT_AS, (NAIVE_MEMORY_LIMIT, NAIVE_MEMORY_LIMIT))
    sys.path.insert(0, str(BENCH_DIR))
    import naive_pandas

    files = [Path(line) for line in args.files.read_text().splitlines() if line]
    papers = naive_pandas.rebuild_papers(files)
    naive_pandas.write_papers(args.db, papers)
    args.report.write_text(json.dumps({"papers": len(papers)}))


# ---- the result --------------------------------------------------------------------------------------------

def naive_cell(naive: dict) -> str:
    if "wall_s" in naive:
        return fmt_s(naive["wall_s"])
    if "extrapolated_s" in naive:
        return f"~{fmt_s(naive['extrapolated_s'])} (extrapolated; {naive['stopped']})"
    return naive.get("stopped", "")


def naive_seconds(naive: dict) -> float | None:
    return naive.get("wall_s", naive.get("extrapolated_s"))


def section(points: list[dict], chunks: list[dict], papers_per_day: int, feed_s: float, plot: str | None,
            skipped: list[int] = (), probe: dict | None = None, code: str | None = None) -> Section:
    last = points[-1]
    history_days, entries = last["history_days"], last["history_entries"] + papers_per_day
    backfill_s = sum(c["wall_s"] for c in chunks) + sum(p["wall_s"] for p in points[:-1])
    peak = max([c["peak_rss_mib"] for c in chunks] + [p["peak_rss_mib"] for p in points])
    naive_peak = max((p["naive"]["peak_rss_mib"] for p in points if "peak_rss_mib" in p["naive"]), default=0.0)

    rows = []
    for point in points:
        steps, naive_s = point["steps"], naive_seconds(point["naive"])
        build_s = steps.get("build", 0.0) - steps.get("wap_copy", 0.0)
        wap_s = steps.get("wap_copy", 0.0) + steps.get("digest", 0.0) + steps.get("publish", 0.0)
        rows.append([
            f"{fmt_int(point['history_days'])} ({fmt_int(point['history_entries'])})",
            fmt_s(point["wall_s"]), fmt_s(point["cpu_s"]), fmt_mib(point["peak_rss_mib"]), fmt_s(steps.get("ingest", 0.0)), fmt_s(steps.get("gate_raw", 0.0)), fmt_s(build_s),
            fmt_s(steps.get("gate_marts", 0.0)), fmt_s(steps.get("wap_copy", 0.0)), fmt_s(wap_s),
            fmt_s(steps.get("export", 0.0)), fmt_s(steps.get("freshness", 0.0)),
            fmt_bytes(point["sizes"]["published_warehouse"]), fmt_bytes(point["sizes"]["lake"]),
            naive_cell(point["naive"]),
            f"{point['wall_s'] / naive_s:.1f}x" if naive_s else ""])
    copy_share = last["steps"].get("wap_copy", 0.0) / last["wall_s"]
    wap_share = (last["steps"].get("wap_copy", 0.0) + last["steps"].get("digest", 0.0)
                 + last["steps"].get("publish", 0.0)) / last["wall_s"]
    full = entries >= FULL_ENTRIES
    size_words = f"{fmt_int(history_days + 1)} days x {fmt_int(papers_per_day)} entries"
    notes = [
        f"Synthetic API feed (`paperhouse.synth`, seed 0), {size_words} = {fmt_int(entries)} entries"
        + ("." if full else f": REDUCED from the issue's 3 years x 2,000/day ({fmt_int(FULL_ENTRIES)} entries) to fit "
           "the time this run had; `python bench/run.py --only scale` runs the full size."),
        f"Backfill from empty to {fmt_int(history_days)} days in {len(chunks)} chunks (`pipeline.backfill`, a fresh process "
        f"each) plus the measured days between them: {fmt_s(backfill_s)} wall "
        f"(chunks {fmt_s(sum(c['wall_s'] for c in chunks))}); peak memory of any paperhouse process "
        f"{fmt_mib(peak)}. Writing the feed beforehand took {fmt_s(feed_s)} (not counted).",
        f"At {fmt_int(history_days)} days the data root holds {fmt_bytes(last['sizes']['home'])}: published warehouse "
        f"{fmt_bytes(last['sizes']['published_warehouse'])}, lake {fmt_bytes(last['sizes']['lake'])}, landing (the raw "
        f"files as received) {fmt_bytes(last['sizes']['landing'])}, exports {fmt_bytes(last['sizes']['exports'])}; "
        f"{fmt_int(last['papers'])} papers and {fmt_int(last['claims'])} claims published.",
        *([f"Every publish writes an export (`exports/<date>/`: a copy of the warehouse plus each mart as Parquet and "
           f"CSV): the latest is {fmt_bytes(last['sizes']['latest_export'])}, "
           f"{last['sizes']['latest_export'] / last['sizes']['published_warehouse']:.1f}x the warehouse. Only the newest "
           f"`PAPERHOUSE_EXPORT_KEEP` (14) are kept; this run made {fmt_int(last['sizes']['exports_kept'])}, so none "
           "was pruned yet, and exports hold at most 14 times the latest."] if "latest_export" in last["sizes"] else []),
        "Each day is a fresh process running `pipeline.run` on that day's file, as `paperhouse run FILE` under cron "
        "or the daily DAG's tasks do: ingest, raw gate, build (dbt, incremental), marts gate, publish, export, "
        "dbt source freshness. `build` excludes the copy; 'WAP copy' is the copy of the published warehouse into "
        "staging; 'WAP total' adds the sha256 digests of the staging file (marts gate, publish check) and the rename.",
        f"The daily run's CPU time grows from {fmt_s(points[0]['cpu_s'])} at {fmt_int(points[0]['history_days'])} "
        f"day{'s' if points[0]['history_days'] > 1 else ''} to {fmt_s(last['cpu_s'])}, its peak memory from "
        f"{fmt_mib(points[0]['peak_rss_mib'])} to {fmt_mib(last['peak_rss_mib'])}. Ingest and the raw gate stay flat "
        "(they read the day); the steps that read whole marts grow with the history: the build (22 of its 27 models "
        "are rebuilt over the whole history every day), the export (every mart written whole) and the marts gate "
        "(keys and references checked over whole marts). Wall times are noisier than CPU times here: other work "
        "shared the 2 cores.",
        *([f"Code measured: {code}."] if code else []),
        f"Write-audit-publish at {fmt_int(history_days)} days: the copy takes {fmt_s(last['steps'].get('wap_copy', 0.0))} "
        f"for {fmt_bytes(last['sizes']['published_warehouse'])}, {copy_share:.1%} of the day's {fmt_s(last['wall_s'])}; "
        f"with the digests and the rename {wap_share:.1%}.",
        *([f"At the issue's {fmt_int(FULL_ENTRIES)} entries the published warehouse would hold about "
           f"{fmt_bytes(probe['bytes'])} (its growth per entry here, carried on). A file that large took "
           f"{fmt_s(probe['copy_s'])} to copy and {fmt_s(probe['digest_s'])} to hash, from the page cache as the "
           "file the previous run published usually is (the daily run copies it once "
           "into staging and hashes the staging file twice, then export copies and hashes it again)."] if probe else []),
        "Naive peer: a fresh process running `naive_pandas.rebuild_papers` over every snapshot up to the same day and "
        "replacing the DuckDB table (no claims, repos, gates or exports). Its day grows with the history; where it was "
        "stopped (time limit, or a 16 GiB address-space cap) the figure is the largest finished day scaled by entries. "
        f"Peak memory of its largest finished day: {fmt_mib(naive_peak)}.",
        *([f"Checkpoints {', '.join(fmt_int(c) for c in skipped)} were not started: at the pace of this run they "
           "would have ended past its time budget."] if skipped else []),
        "One measurement per cell on a shared machine (other sessions running): the load average is given below.",
    ]
    if plot:
        notes.append("Plot: [docs/scaling.png](docs/scaling.png), daily cost against history size, both axes log-scale.")
    notes.append("Reproduce: `python bench/run.py --only scale` (the full size; `--bench-args \"--papers-per-day 500 "
                 "--budget-s 4500\"` for a smaller one that stops at the checkpoint its time budget reaches), or "
                 "`python bench/bench_scale.py --work DIR` on its own. `python bench/bench_scale.py --rerender "
                 "bench/results/scale.json` redraws the table and plot from the saved figures.")
    return Section(
        key="scale",
        title=f"Scaling: one more day on up to {fmt_int(history_days)} days x {fmt_int(papers_per_day)} entries of history",
        columns=["history days (entries)", "paperhouse day", "CPU", "peak memory", "ingest", "gate_raw", "build", "gate_marts", "WAP copy",
                 "WAP total", "export", "freshness", "warehouse", "lake", "naive day", "paperhouse / naive"],
        rows=rows,
        targets=[
            Target(f"3 years x 2,000 entries/day ({fmt_int(FULL_ENTRIES)}) backfilled, then one more day (issue 18)",
                   f"{fmt_int(entries)} entries, backfill {fmt_s(backfill_s)}, day {fmt_s(last['wall_s'])}", full),
            Target("write-audit-publish copy does not dominate the day at the largest size (issue 18)",
                   f"{copy_share:.1%} of the day ({fmt_s(last['steps'].get('wap_copy', 0.0))})", copy_share < COPY_DOMINATES),
        ],
        notes=notes,
        figures={"papers_per_day": papers_per_day, "checkpoints": [p["history_days"] for p in points],
                 "entries": entries, "backfill_s": backfill_s, "peak_rss_mib": peak, "naive_peak_rss_mib": naive_peak,
                 "feed_s": feed_s, "chunks": chunks, "points": points, "wap_copy_share": copy_share,
                 "plot": plot, "skipped_checkpoints": list(skipped), "copy_probe": probe, "code": code},
    )


def write_plot(points: list[dict], path: Path, papers_per_day: int) -> None:
    """Daily cost against history size, paperhouse and the naive peer, log-log."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import EngFormatter, FuncFormatter

    figure, axes = plt.subplots(figsize=(8, 5), dpi=110)
    xs = [p["history_entries"] for p in points]
    axes.plot(xs, [p["wall_s"] for p in points], "o-", label="paperhouse: one daily run (fresh process)")
    axes.plot(xs, [p["steps"].get("wap_copy", 0.0) for p in points], "^:", label="  of which the write-audit-publish copy")
    measured = [(x, p["naive"]["wall_s"]) for x, p in zip(xs, points) if "wall_s" in p["naive"]]
    guessed = [(x, p["naive"]["extrapolated_s"]) for x, p in zip(xs, points) if "extrapolated_s" in p["naive"]]
    if measured:
        axes.plot(*zip(*measured), "s-", label="naive cron script: one day (fresh process)")
    if guessed:
        axes.plot(*zip(*(measured[-1:] + guessed)), "s--", color=axes.lines[-1].get_color() if measured else None,
                  alpha=0.6, label="naive cron script, extrapolated")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel(f"history (entries; {papers_per_day:,} per day)")
    axes.set_ylabel("seconds for one more day")
    secondary = axes.secondary_xaxis("top", functions=(lambda e: e / papers_per_day, lambda d: d * papers_per_day))
    secondary.set_xlabel("history (days)")
    plain = FuncFormatter(lambda value, _position: f"{value:g}")
    axes.xaxis.set_major_formatter(EngFormatter(sep=""))
    axes.yaxis.set_major_formatter(plain)
    secondary.xaxis.set_major_formatter(plain)
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(loc="lower right", fontsize="small")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    plt.close(figure)


def rerender(result_path: Path, probe_home: Path | None) -> None:
    """Rebuild a saved scale result's section and plot from its measured figures with this code
    (the figures are kept; only their presentation changes). With `probe_home`, first time the
    full-size copy probe on that data root's published warehouse, if the result has none."""
    record = json.loads(result_path.read_text(encoding="utf-8"))
    saved = record["section"] if "section" in record else record
    figures = saved["figures"]
    if probe_home is not None:
        # The data root as the run left it: after the last checkpoint's day.
        sizes = figures["points"][-1]["sizes"]
        if "latest_export" not in sizes:
            sizes["latest_export"] = directory_bytes((probe_home / "exports" / "latest").resolve())
            sizes["exports_kept"] = sum(1 for p in (probe_home / "exports").iterdir()
                                        if p.is_dir() and not p.is_symlink() and not p.name.startswith("."))
        if not figures.get("copy_probe"):
            figures["copy_probe"] = copy_probe(probe_home / "warehouse" / "paperhouse.duckdb",
                                               projected_bytes(figures["points"], figures["papers_per_day"]),
                                               probe_home.parent)
    plot = REPO_ROOT / "docs" / "scaling.png"
    extrapolate_naive(figures["points"])
    write_plot(figures["points"], plot, figures["papers_per_day"])
    fresh = section(figures["points"], figures["chunks"], figures["papers_per_day"], figures["feed_s"],
                    str(plot.relative_to(REPO_ROOT)), figures.get("skipped_checkpoints", []), figures.get("copy_probe"),
                    figures.get("code"))
    fresh.seconds, fresh.load_average = saved["seconds"], saved["load_average"]
    if "section" in record:
        record["section"] = fresh.as_dict()
        if probe_home is not None or not record.get("rerendered"):  # else keep the command that measured the probe
            record["rerendered"] = " ".join([
                "python bench/bench_scale.py --rerender", str(result_path.resolve().relative_to(REPO_ROOT))
                if result_path.resolve().is_relative_to(REPO_ROOT) else str(result_path),
                *(["--probe-home", str(probe_home)] if probe_home else [])])
    else:
        record = fresh.as_dict()
    result_path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> None:
    if "--rerender" in sys.argv[1:]:
        parser = argparse.ArgumentParser()
        parser.add_argument("--rerender", type=Path, required=True, help="a saved result (bench/results/scale.json)")
        parser.add_argument("--probe-home", type=Path, help="time the full-size copy on this data root's warehouse")
        args = parser.parse_args()
        rerender(args.rerender, args.probe_home)
        return
    if "--day-worker" in sys.argv[1:] or "--naive-worker" in sys.argv[1:]:
        parser = argparse.ArgumentParser()
        parser.add_argument("--day-worker", action="store_true")
        parser.add_argument("--naive-worker", action="store_true")
        for option in ("--home", "--feed", "--report", "--files", "--db"):
            parser.add_argument(option, type=Path)
        parser.add_argument("--date", type=dt.date.fromisoformat)
        args = parser.parse_args()
        (day_worker if args.day_worker else naive_worker)(args)
        return
    bench_main(measure, SIZES, options={"papers_per_day": int, "checkpoints": lambda s: tuple(int(d) for d in s.split(",")),
                                        "naive_timeout_s": float, "plot": str,
                                        "budget_s": float})


if __name__ == "__main__":
    main()
