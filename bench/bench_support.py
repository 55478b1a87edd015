"""What every benchmark shares: timing, child processes with their peak memory, the synthetic feeds
they run on, the result record `run.py` turns into tables, and the command line of one benchmark.

Each benchmark module has a `measure(work_dir, **size)` function returning a `Section`, and a
`SIZES` dict with the "full" and "quick" arguments. `run.py` runs each module in its own process
(`python bench/bench_x.py --work DIR --json-out FILE`), so memory held by one measurement never
counts against another and `RUSAGE_CHILDREN` inside it sees only the child it started.
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import json
import logging
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = REPO_ROOT / "bench"
FEED_START = dt.date(2026, 1, 1)


# ---- the result record -----------------------------------------------------------------------------

@dataclass
class Target:
    goal: str          # what the issue asks, in words ("paperhouse parse, 100,000 entries < 10 s")
    measured: str      # the figure, formatted
    met: bool


@dataclass
class Section:
    key: str                     # the name run.py's --only takes
    title: str
    columns: list[str]
    rows: list[list]             # formatted cells, one list per table row
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    figures: dict = field(default_factory=dict)   # raw numbers, for the smoke test and the JSON
    seconds: float = 0.0         # how long the benchmark itself took
    load_average: tuple[float, float] | None = None   # 1-minute load before and after: noise indicator
    error: str | None = None     # set when the benchmark failed; rows then say why

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Section":
        data = dict(data)
        data["targets"] = [Target(**t) for t in data.get("targets", [])]
        if data.get("load_average") is not None:
            data["load_average"] = tuple(data["load_average"])
        return cls(**data)


# ---- timing --------------------------------------------------------------------------------------

@dataclass
class Timing:
    wall_s: float = 0.0
    cpu_s: float = 0.0   # this process's CPU time: steadier than wall time on a shared machine


@contextlib.contextmanager
def timed() -> Iterator[Timing]:
    timing = Timing()
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield timing
    finally:
        timing.wall_s = time.perf_counter() - wall
        timing.cpu_s = time.process_time() - cpu


def best_of(repeats: int, work: Callable[[], object]) -> tuple[Timing, object]:
    """The fastest of `repeats` runs (the least disturbed by other work on the machine) and its result."""
    best, result = None, None
    for _ in range(repeats):
        with timed() as timing:
            result = work()
        if best is None or timing.wall_s < best.wall_s:
            best = timing
    return best, result


@dataclass
class ChildRun:
    wall_s: float
    cpu_s: float            # user + system time of the child
    peak_rss_mib: float     # the child's peak resident memory
    returncode: int
    stdout: str
    stderr: str


def run_child(command: list[str], env: dict[str, str] | None = None, timeout_s: float | None = None,
              cpu: int | None = None, capture_stdout: bool = True) -> ChildRun:
    """Run a command to completion and measure it. Peak memory is RUSAGE_CHILDREN's ru_maxrss: the
    largest child this process has waited for, so callers run one measured child per process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    pin = (lambda: os.sched_setaffinity(0, {cpu})) if cpu is not None else None
    start = time.perf_counter()
    done = subprocess.run(command, env=env, timeout=timeout_s, preexec_fn=pin, text=True,
                          stdout=subprocess.PIPE if capture_stdout else subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_s = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return ChildRun(wall, cpu_s, after.ru_maxrss / 1024, done.returncode, done.stdout or "", done.stderr)


def child_env(**extra: str) -> dict[str, str]:
    """The environment for a child: this one, quiet, plus `extra`."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONWARNINGS": "ignore", **extra}
    return env


def check_child(run: ChildRun, what: str) -> None:
    if run.returncode != 0:
        last = (run.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"{what} exited with {run.returncode}: {last}")


# ---- inputs ----------------------------------------------------------------------------------------

def ensure_feed(work_dir: Path, days: int, papers_per_day: int, seed: int = 0, formats: str = "mixed") -> Path:
    """A synthetic feed directory, written once per work dir and size (benchmarks share it)."""
    from paperhouse.synth import write_feed

    feed = Path(work_dir) / "feeds" / f"{days}d-{papers_per_day}p-seed{seed}-{formats}"
    done = feed / ".complete"
    if not done.exists():
        write_feed(feed, days, papers_per_day, seed=seed, start=FEED_START, formats=formats)
        done.write_text("")
    return feed


def feed_files(feed: Path) -> list[Path]:
    return sorted(p for p in feed.iterdir() if p.suffix in (".txt", ".json"))


def settings_for(home: Path, feed_dir: Path | None = None):
    """Settings on a data root of the benchmark's own (never ./data)."""
    from paperhouse.settings import Settings

    env = {"PAPERHOUSE_HOME": str(home)}
    if feed_dir is not None:
        env["PAPERHOUSE_FEED_DIR"] = str(feed_dir)
    return Settings.from_env(env)


def published_count(settings, table: str) -> int:
    """Rows of a mart in the published warehouse (a check that a step really did its work)."""
    from paperhouse.warehouse import query

    _columns, rows = query(settings, f"select count(*) from {table}")
    return rows[0][0]


def quiet_logs() -> None:
    """Warnings only: dbt, Great Expectations and Airflow are chatty at INFO."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for name in ("great_expectations", "dbt", "airflow", "py.warnings"):
        logging.getLogger(name).setLevel(logging.WARNING)


# ---- formatting ----------------------------------------------------------------------------------

def fmt_s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"


def fmt_rate(per_second: float) -> str:
    return f"{per_second:,.0f}/s"


def fmt_ratio(ratio: float) -> str:
    return f"{ratio:.2f}x"


def fmt_mib(mib: float) -> str:
    return f"{mib:,.0f} MiB"


def fmt_int(number: int) -> str:
    return f"{number:,}"


# ---- one benchmark's command line ------------------------------------------------------------------

def bench_main(measure: Callable[..., Section], sizes: dict[str, dict],
               options: dict[str, Callable[[str], object]] | None = None) -> None:
    """`python bench/bench_x.py [--quick] [--work DIR] [--json-out FILE]`: measure, print the
    section as JSON (to the file, or stdout). `options` names size arguments that may be
    overridden on the command line (`--papers-per-day 500`), each with its converter."""
    parser = argparse.ArgumentParser(description=(measure.__doc__ or "").strip().splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the small smoke size")
    parser.add_argument("--work", type=Path, help="work directory (default: a new temp dir)")
    parser.add_argument("--json-out", type=Path, help="write the result here instead of stdout")
    for name, convert in (options or {}).items():
        parser.add_argument("--" + name.replace("_", "-"), dest=name, type=convert, help=f"override the size's {name}")
    args = parser.parse_args()
    quiet_logs()
    import tempfile

    work = args.work or Path(tempfile.mkdtemp(prefix="paperhouse-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    size = dict(sizes["quick" if args.quick else "full"])
    size.update({name: getattr(args, name) for name in options or {} if getattr(args, name) is not None})
    section = measure_section(measure, work, size)
    text = json.dumps(section.as_dict(), indent=1)
    if args.json_out:
        args.json_out.write_text(text)
    else:
        sys.stdout.write(text + "\n")


def measure_section(measure: Callable[..., Section], work_dir: Path, size: dict) -> Section:
    """Run `measure`, stamping its own duration and the load average around it."""
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    section = measure(work_dir, **size)
    section.seconds = time.perf_counter() - start
    section.load_average = (load_before, os.getloadavg()[0])
    return section
