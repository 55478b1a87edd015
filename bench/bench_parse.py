"""Parsing and extraction throughput on one large synthetic page (issues 2, 3, 8 and 18).

The page has the layout without blank lines. Against the floor of reading the same file and
splitting it into lines in Python, it times `feeds.parse_file` and the extractors (`extract_repos`
+ `extract_claims` on every abstract). The CLI (`paperhouse parse FILE > /dev/null`, a separate
process, interpreter start included) is set against a script that reads, splits and writes JSON
lines (`parse_floor.py`), run the same way. Every process is pinned to one core.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from bench_support import (
    Section, Target, best_of, bench_main, check_child, child_env, fmt_int, fmt_mib, fmt_rate, fmt_ratio, fmt_s,
    run_child,
)

SIZES = {"full": {"entries": 100_000}, "quick": {"entries": 2_000}}
PARSE_TARGET_S_PER_100K = 10.0      # issue 2
CLI_TARGET_VS_FLOOR = 3.0           # issue 18: `paperhouse parse` within 3x of read + split + write JSON lines
FLOOR_SCRIPT = Path(__file__).resolve().parent / "parse_floor.py"
EXTRACT_TARGET_PER_S = 5_000        # issue 3


def extract_all(entries: list[dict]) -> tuple[int, int]:
    """Run both extractors over every entry; the number of repo mentions and claims found."""
    from paperhouse.extract import extract_claims, extract_repos

    repos = claims = 0
    for entry in entries:
        found_repos, _links = extract_repos(entry["abstract"], entry.get("github_repo"), entry.get("project_page"))
        repos += len(found_repos)
        claims += len(extract_claims(entry["abstract"]))
    return repos, claims


def cli_command() -> list[str]:
    script = Path(sys.executable).parent / "paperhouse"
    return [str(script)] if script.exists() else [sys.executable, "-c", "from paperhouse.cli import entry; entry()"]


def measure(work_dir: Path, entries: int, seed: int = 0, repeats: int = 2) -> Section:
    """Parse and extraction throughput on one large synthetic page, against read + split."""
    from paperhouse.feeds import parse_file
    from paperhouse.synth import write_large_page

    page = Path(work_dir) / f"large_page_{entries}_line_per_field.txt"
    if not page.exists():
        write_large_page(page, entries, seed, layout="line_per_field")
    core = max(os.sched_getaffinity(0))
    previous_affinity = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {core})
    try:
        floor, lines = best_of(repeats + 1, lambda: page.read_text(encoding="utf-8").split("\n"))
        parse, parsed = best_of(repeats, lambda: parse_file(page))
        extract, (repos, claims) = best_of(1, lambda: extract_all(parsed.entries))
    finally:
        os.sched_setaffinity(0, previous_affinity)
    if len(parsed.entries) != entries:
        raise RuntimeError(f"{page}: parsed {len(parsed.entries)} entries, expected {entries}")
    script_floor = min((run_child([sys.executable, str(FLOOR_SCRIPT), str(page)], env=child_env(), cpu=core,
                                  capture_stdout=False) for _ in range(repeats)), key=lambda run: run.wall_s)
    check_child(script_floor, "parse_floor.py")
    cli = min((run_child([*cli_command(), "parse", str(page)], env=child_env(), cpu=core, capture_stdout=False)
               for _ in range(repeats)), key=lambda run: run.wall_s)
    check_child(cli, "paperhouse parse")

    per_s = lambda seconds: entries / seconds  # noqa: E731
    both_s = parse.wall_s + extract.wall_s
    rows = [
        ["floor: read_text().split(\"\\n\")", fmt_s(floor.wall_s), fmt_s(floor.cpu_s), fmt_rate(per_s(floor.wall_s)), "1.00x"],
        ["parse (feeds.parse_file)", fmt_s(parse.wall_s), fmt_s(parse.cpu_s), fmt_rate(per_s(parse.wall_s)),
         fmt_ratio(parse.wall_s / floor.wall_s)],
        ["extract (repos + claims, parsed entries)", fmt_s(extract.wall_s), fmt_s(extract.cpu_s),
         fmt_rate(per_s(extract.wall_s)), fmt_ratio(extract.wall_s / floor.wall_s)],
        ["parse + extract", fmt_s(both_s), fmt_s(parse.cpu_s + extract.cpu_s), fmt_rate(per_s(both_s)),
         fmt_ratio(both_s / floor.wall_s)],
        ["script: read, split, write JSON lines (parse_floor.py)", fmt_s(script_floor.wall_s),
         fmt_s(script_floor.cpu_s), fmt_rate(per_s(script_floor.wall_s)), fmt_ratio(script_floor.wall_s / floor.wall_s)],
        ["CLI: paperhouse parse FILE > /dev/null", fmt_s(cli.wall_s), fmt_s(cli.cpu_s), fmt_rate(per_s(cli.wall_s)),
         fmt_ratio(cli.wall_s / floor.wall_s)],
    ]
    cli_vs_script = cli.wall_s / script_floor.wall_s
    parse_limit = PARSE_TARGET_S_PER_100K * entries / 100_000
    size_mib = page.stat().st_size / 2**20
    return Section(
        key="parse",
        title=f"Parsing and extraction: one synthetic page of {fmt_int(entries)} entries ({size_mib:.0f} MiB), one core",
        columns=["step", "wall", "CPU", "entries/s", "time vs floor"],
        rows=rows,
        targets=[
            Target(f"`paperhouse parse` on {fmt_int(entries)} entries, one core: < {parse_limit:g} s (issue 2)",
                   fmt_s(cli.wall_s), cli.wall_s < parse_limit),
            Target(f"`paperhouse parse` within {CLI_TARGET_VS_FLOOR:g}x of the read/split/write-JSON script (issue 18)",
                   fmt_ratio(cli_vs_script), cli_vs_script <= CLI_TARGET_VS_FLOOR),
            Target(f"extraction >= {fmt_int(EXTRACT_TARGET_PER_S)} abstracts/s on one core (issue 3)",
                   fmt_rate(per_s(extract.wall_s)), per_s(extract.wall_s) >= EXTRACT_TARGET_PER_S),
        ],
        notes=[
            f"Page: `synth.write_large_page` (line-per-field layout), {fmt_int(len(lines))} lines. In-process steps are "
            f"the fastest of {repeats} runs ({repeats + 1} for the floor; extraction once); the process is pinned to one core.",
            f"Extraction found {fmt_int(repos)} repo mentions and {fmt_int(claims)} claims. The CLI row includes "
            f"interpreter start and writing JSON lines to /dev/null; its peak memory was {fmt_mib(cli.peak_rss_mib)}.",
        ],
        figures={"entries": entries, "floor_s": floor.wall_s, "parse_s": parse.wall_s, "extract_s": extract.wall_s,
                 "parse_extract_s": both_s, "cli_s": cli.wall_s, "script_floor_s": script_floor.wall_s,
                 "cli_vs_script": cli_vs_script, "cli_peak_rss_mib": cli.peak_rss_mib,
                 "parse_per_s": per_s(parse.wall_s), "extract_per_s": per_s(extract.wall_s),
                 "floor_per_s": per_s(floor.wall_s), "repo_mentions": repos, "claims": claims},
    )


if __name__ == "__main__":
    bench_main(measure, SIZES)
