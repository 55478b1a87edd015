"""Run paperhouse's benchmarks, print them as markdown and write BENCHMARKS.md.

    python bench/run.py                  # all, full size (about 15-20 minutes on 2 cores), writes BENCHMARKS.md
    python bench/run.py --quick          # all, smoke size (a few minutes), prints only
    python bench/run.py --only parse     # one (repeatable); prints only unless --out is given

Each benchmark runs in its own process (`bench/bench_<name>.py`) on a temporary data root, so
memory held by one never counts against the next. Figures are ratios taken within one run:
the machine is shared and absolute times are noisy.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

from bench_support import BENCH_DIR, REPO_ROOT, Section, child_env, fmt_ratio, fmt_s

BENCHMARKS = ("parse", "seeds", "incremental", "backfill", "day", "naive", "airflow")  # run in this order
BENCHMARK_TIMEOUT_S = 900
PACKAGES = ("paperhouse", "duckdb", "dbt-core", "dbt-duckdb", "pyarrow", "pandas", "great-expectations",
            "apache-airflow-core")


def run_benchmark(name: str, work: Path, quick: bool) -> Section:
    """One benchmark in its own process; a failure becomes a section saying so."""
    result_path = work / f"{name}.json"
    result_path.unlink(missing_ok=True)
    command = [sys.executable, str(BENCH_DIR / f"bench_{name}.py"), "--work", str(work), "--json-out", str(result_path)]
    if quick:
        command.append("--quick")
    started = time.perf_counter()
    try:
        done = subprocess.run(command, env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              timeout=BENCHMARK_TIMEOUT_S)
        error = None if done.returncode == 0 else (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
    except subprocess.TimeoutExpired:
        error = f"stopped after {BENCHMARK_TIMEOUT_S} s"
    if error is None and result_path.exists():
        return Section.from_dict(json.loads(result_path.read_text()))
    error = error or "no result written"
    return Section(key=name, title=f"{name}: FAILED", columns=["error"], rows=[[error]],
                   seconds=time.perf_counter() - started, error=error)


def machine() -> dict[str, str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:"))
    versions = []
    for package in PACKAGES:
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            continue
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": f"{os.cpu_count()} ({len(os.sched_getaffinity(0))} usable by this process)",
        "memory": f"{mem_kib / 2**20:.1f} GiB",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "packages": ", ".join(versions),
    }


def table(columns: list[str], rows: list[list]) -> list[str]:
    cells = [[str(c).replace("|", "\\|") for c in row] for row in rows]
    return ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|",
            *("| " + " | ".join(row) + " |" for row in cells)]


def comparison(sections: dict[str, Section]) -> list[str]:
    """The naive peer against paperhouse's backfill of the same year, when both ran."""
    backfill, naive = sections.get("backfill"), sections.get("naive")
    if not (backfill and naive and backfill.figures and naive.figures):
        return []
    paperhouse_s, naive_s = backfill.figures["wall_s"], naive.figures["total_s"]
    phases = backfill.figures["phases"]
    ungated_s = paperhouse_s - phases.get("gate_raw", 0.0) - phases.get("gate_marts", 0.0)
    label = "extrapolated" if naive.figures["extrapolated"] else "measured"
    return [f"Over the same {naive.figures['days']} days, the naive peer takes {fmt_s(naive_s)} ({label}) and "
            f"paperhouse's backfill {fmt_s(paperhouse_s)}: naive / paperhouse = {fmt_ratio(naive_s / paperhouse_s)}. "
            f"Without its quality gates, which the naive script has no counterpart for, paperhouse's backfill takes "
            f"{fmt_s(ungated_s)} (naive / paperhouse = {fmt_ratio(naive_s / ungated_s)}), extracting claims and repos "
            f"as well. The naive script's last day alone costs {fmt_s(naive.figures['last_day_s'])} and grows with "
            "every day of history; paperhouse's daily cost is in the incremental table."]


def render(sections: list[Section], host: dict[str, str], quick: bool, total_s: float) -> str:
    by_key = {s.key: s for s in sections}
    lines = ["# Benchmarks", "",
             f"Generated by `python bench/run.py{' --quick' if quick else ''}` on {host['date']} in {fmt_s(total_s)}.",
             "The machine was shared with other work while this ran, so absolute times are noisy (the 1-minute load "
             "average before and after each benchmark is given); compare the ratios, which were taken within one run.",
             ""]
    if quick:
        lines += ["**Smoke size (`--quick`): these figures check that the benchmarks run; they say nothing about the targets.**", ""]
    targets = [[s.title.split(":")[0], t.goal, t.measured, "yes" if t.met else "**no**"]
               for s in sections for t in s.targets]
    if targets:
        lines += ["## Targets", "", *table(["benchmark", "target", "measured", "met"], targets), ""]
    lines += [*comparison(by_key), ""]
    for number, section in enumerate(sections, start=1):
        lines += [f"## {number}. {section.title}", "", *table(section.columns, section.rows), ""]
        lines += [f"- {note}" for note in section.notes]
        load = (f"; load average {section.load_average[0]:.1f} before, {section.load_average[1]:.1f} after"
                if section.load_average else "")
        lines += [f"- Benchmark time {fmt_s(section.seconds)}{load}.", ""]
    lines += ["## Machine", "", *table(["", ""], [[k, v] for k, v in host.items()]), "",
              "Reproduce: `make bench` (or `uv run python bench/run.py`); `--quick` for a smoke run, "
              "`--only NAME` for one of: " + ", ".join(BENCHMARKS) + ".", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--only", action="append", choices=BENCHMARKS, help="run this benchmark only (repeatable)")
    parser.add_argument("--quick", action="store_true", help="smoke size: check the benchmarks run, quickly")
    parser.add_argument("--work", type=Path, help="work directory (default: a new temp dir, removed afterwards)")
    parser.add_argument("--out", type=Path, help="write the markdown here (default: BENCHMARKS.md after a full run of all)")
    args = parser.parse_args()
    names = [n for n in BENCHMARKS if not args.only or n in args.only]
    out = args.out or (REPO_ROOT / "BENCHMARKS.md" if not args.quick and not args.only else None)
    work = args.work or Path(tempfile.mkdtemp(prefix="paperhouse-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    host = machine()
    started = time.perf_counter()
    sections = []
    try:
        for name in names:
            print(f"bench: {name} ...", file=sys.stderr, flush=True)
            section = run_benchmark(name, work, args.quick)
            print(f"bench: {name} done in {fmt_s(section.seconds)}", file=sys.stderr, flush=True)
            sections.append(section)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    text = render(sections, host, args.quick, time.perf_counter() - started)
    print(text)
    if out:
        out.write_text(text, encoding="utf-8")
        print(f"bench: wrote {out}", file=sys.stderr)
    sys.exit(1 if any(s.error for s in sections) else 0)


if __name__ == "__main__":
    main()
