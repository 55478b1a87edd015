"""Run paperhouse's benchmarks, save each result and generate BENCHMARKS.md from all saved results.

    python bench/run.py                  # all, full size, saves each result and writes BENCHMARKS.md
    python bench/run.py --only parse     # one (repeatable): saves its result, re-renders BENCHMARKS.md
    python bench/run.py --render         # no benchmark: re-render BENCHMARKS.md from the saved results
    python bench/run.py --quick          # all, smoke size: prints only (or --out FILE), saves nothing

Each benchmark runs in its own process (`bench/bench_<name>.py`) on a temporary data root, so
memory held by one never counts against the next. Its section is saved as JSON in
`bench/results/<name>.json` (committed), stamped with the date, the load average around it, the
command and the machine; BENCHMARKS.md is always rendered from those files, never edited by hand
(prose that must stay belongs in the notes of the benchmark's section). Figures are ratios taken
within one run: the machine is shared and absolute times are noisy.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

from bench_support import BENCH_DIR, REPO_ROOT, Section, child_env, fmt_ratio, fmt_s

BENCHMARKS = ("parse", "seeds", "incremental", "backfill", "day", "naive", "airflow", "scale")  # run in this order
BENCHMARK_TIMEOUT_S = 900
TIMEOUTS_S = {"scale": 8 * 3600}  # millions of entries, backfilled from empty
RESULTS_DIR = BENCH_DIR / "results"
PACKAGES = ("paperhouse", "duckdb", "dbt-core", "dbt-duckdb", "pyarrow", "pandas", "great-expectations",
            "apache-airflow-core")


def run_benchmark(name: str, work: Path, quick: bool, bench_args: list[str] = ()) -> Section:
    """One benchmark in its own process; a failure becomes a section saying so."""
    result_path = work / f"{name}.json"
    result_path.unlink(missing_ok=True)
    command = [sys.executable, str(BENCH_DIR / f"bench_{name}.py"), "--work", str(work), "--json-out", str(result_path),
               *bench_args]
    if quick:
        command.append("--quick")
    started = time.perf_counter()
    timeout_s = TIMEOUTS_S.get(name, BENCHMARK_TIMEOUT_S)
    try:
        done = subprocess.run(command, env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              timeout=timeout_s)
        error = None if done.returncode == 0 else (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
    except subprocess.TimeoutExpired:
        error = f"stopped after {timeout_s} s"
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


def comparison(results: dict[str, dict]) -> list[str]:
    """The naive peer against paperhouse's backfill of the same year, when both come from one run."""
    backfill, naive = results.get("backfill"), results.get("naive")
    if not (backfill and naive and backfill["run"] == naive["run"]):
        return []
    backfill_figures, naive_figures = backfill["section"]["figures"], naive["section"]["figures"]
    if not (backfill_figures and naive_figures):
        return []
    paperhouse_s, naive_s = backfill_figures["wall_s"], naive_figures["total_s"]
    phases = backfill_figures["phases"]
    ungated_s = paperhouse_s - phases.get("gate_raw", 0.0) - phases.get("gate_marts", 0.0)
    label = "extrapolated" if naive_figures["extrapolated"] else "measured"
    return [f"Over the same {naive_figures['days']} days, the naive peer takes {fmt_s(naive_s)} ({label}) and "
            f"paperhouse's backfill {fmt_s(paperhouse_s)}: naive / paperhouse = {fmt_ratio(naive_s / paperhouse_s)}. "
            f"Without its quality gates, which the naive script has no counterpart for, paperhouse's backfill takes "
            f"{fmt_s(ungated_s)} (naive / paperhouse = {fmt_ratio(naive_s / ungated_s)}), extracting claims and repos "
            f"as well. The naive script's last day alone costs {fmt_s(naive_figures['last_day_s'])} and grows with "
            "every day of history; paperhouse's daily cost is in the incremental and scaling tables.", ""]


# ---- the result store: one JSON per benchmark --------------------------------------------------------

def result_record(section: Section, run: str, command: str, quick: bool, host: dict[str, str]) -> dict:
    """What is saved of one benchmark: its section, stamped with when, how and where it ran."""
    return {"name": section.key, "run": run, "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "command": command, "quick": quick, "load_average": list(os.getloadavg()), "machine": host,
            "section": section.as_dict()}


def save_result(record: dict, results_dir: Path) -> Path:
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{record['name']}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)  # a run killed while saving leaves the previous result whole
    return path


def load_results(results_dir: Path) -> dict[str, dict]:
    """Every saved result, in BENCHMARKS order (then any other, by name)."""
    results = {}
    for path in sorted(results_dir.glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            Section.from_dict(record["section"])
        except (ValueError, KeyError, TypeError) as exc:
            raise SystemExit(f"{path}: not a benchmark result ({exc})") from None
        results[record["name"]] = record
    order = {name: n for n, name in enumerate(BENCHMARKS)}
    return dict(sorted(results.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))


# ---- markdown ----------------------------------------------------------------------------------------

def render(results: dict[str, dict], generated_by: str) -> str:
    sections = {name: Section.from_dict(record["section"]) for name, record in results.items()}
    quick = any(record["quick"] for record in results.values())
    lines = ["# Benchmarks", "",
             f"Generated by `{generated_by}` from the saved results (`bench/results/<name>.json`, one per benchmark); "
             "do not edit by hand. Each section says when and by which command it was measured, with the 1-minute "
             "load average before and after it: the machine is shared with other work, so absolute times are noisy; "
             "compare the ratios, which were taken within one run.", ""]
    if quick:
        lines += ["**Smoke size (`--quick`): these figures check that the benchmarks run; they say nothing about the targets.**", ""]
    targets = [[s.title.split(":")[0], t.goal, t.measured, "yes" if t.met else "**no**"]
               for s in sections.values() for t in s.targets]
    if targets:
        lines += ["## Targets", "", *table(["benchmark", "target", "measured", "met"], targets), ""]
    lines += comparison(results)
    newest = max(results.values(), key=lambda record: record["date"]) if results else None
    for number, (name, section) in enumerate(sections.items(), start=1):
        record = results[name]
        lines += [f"## {number}. {section.title}", "", *table(section.columns, section.rows), ""]
        lines += [f"- {note}" for note in section.notes]
        load = (f"; load average {section.load_average[0]:.1f} before, {section.load_average[1]:.1f} after"
                if section.load_average else "")
        packages = record["machine"].get("packages")
        other = f" Packages then: {packages}." if newest and packages != newest["machine"].get("packages") else ""
        took = f" in {fmt_s(section.seconds)}" if section.seconds else ""
        again = f" Table re-rendered from its figures by `{record['rerendered']}`." if record.get("rerendered") else ""
        lines += [f"- Measured {record['date']} by `{record['command']}`{took}{load}.{other}{again}", ""]
    if newest:
        lines += ["## Machine", "", f"Of the newest result ({newest['date']}):", "",
                  *table(["", ""], [[k, v] for k, v in newest["machine"].items() if k != "date"]), ""]
    lines += ["Reproduce: `make bench` (all, full size: several hours on 2 cores, the 2.2 M-entry scaling run most of it), "
              "`python bench/run.py --only NAME` for one of: " + ", ".join(BENCHMARKS) + " (saves its result and "
              "re-renders this file), `--render` to re-render only, `--quick` for a smoke run that saves nothing.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--only", action="append", choices=BENCHMARKS, help="run this benchmark only (repeatable)")
    parser.add_argument("--render", action="store_true", help="run nothing: re-render BENCHMARKS.md from the saved results")
    parser.add_argument("--quick", action="store_true", help="smoke size: check the benchmarks run; saves nothing")
    parser.add_argument("--work", type=Path, help="work directory (default: a new temp dir, removed afterwards)")
    parser.add_argument("--results", type=Path, default=RESULTS_DIR, help="where results are saved (default: bench/results)")
    parser.add_argument("--out", type=Path, help="write the markdown here (default: BENCHMARKS.md; with --quick: print only)")
    parser.add_argument("--bench-args", default="", help="extra arguments for the one --only benchmark, e.g. "
                        "\"--papers-per-day 500\" (recorded in the saved result's command)")
    args = parser.parse_args()
    bench_args = shlex.split(args.bench_args)
    if bench_args and len(args.only or []) != 1:
        parser.error("--bench-args needs exactly one --only")
    names = [] if args.render else [n for n in BENCHMARKS if not args.only or n in args.only]
    out = args.out or (None if args.quick else REPO_ROOT / "BENCHMARKS.md")
    work = args.work or Path(tempfile.mkdtemp(prefix="paperhouse-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    host = machine()
    run = host["date"]
    command = ("python bench/run.py" + "".join(f" --only {n}" for n in args.only or []) + (" --quick" if args.quick else "")
               + (f" --bench-args {shlex.quote(args.bench_args)}" if bench_args else ""))
    fresh: dict[str, dict] = {}
    failed = []
    try:
        for name in names:
            print(f"bench: {name} ...", file=sys.stderr, flush=True)
            section = run_benchmark(name, work, args.quick, bench_args)
            print(f"bench: {name} done in {fmt_s(section.seconds)}", file=sys.stderr, flush=True)
            if section.error:
                failed.append(f"{name}: {section.error}")
                continue  # the saved result of an earlier run stays
            fresh[name] = result_record(section, run, command, args.quick, host)
            if not args.quick:
                print(f"bench: saved {save_result(fresh[name], args.results)}", file=sys.stderr, flush=True)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    results = fresh if args.quick else load_results(args.results)
    text = render(results, "python bench/run.py --quick" if args.quick else "python bench/run.py")
    print(text)
    if out:
        out.write_text(text, encoding="utf-8")
        print(f"bench: wrote {out}", file=sys.stderr)
    for line in failed:
        print(f"bench: FAILED {line}", file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
