"""Smoke tests of the benchmarks: each core function runs on a tiny input and returns what the
BENCHMARKS.md table needs. No timing is asserted anywhere (the machine is shared and noisy)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH_DIR = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH_DIR))

import bench_support  # noqa: E402
import naive_pandas  # noqa: E402


def assert_complete(section: bench_support.Section, key: str) -> None:
    """The fields run.py renders: a title, rows as wide as the header, notes, and the load stamp."""
    assert section.key == key and section.error is None
    assert section.rows and all(len(row) == len(section.columns) for row in section.rows)
    assert section.notes
    assert section.seconds > 0 and section.load_average is not None
    bench_support.Section.from_dict(section.as_dict())  # survives the JSON hop from the benchmark's process


def test_parse_benchmark_counts_every_entry(tmp_path):
    import bench_parse

    section = bench_support.measure_section(bench_parse.measure, tmp_path, {"entries": 60, "repeats": 1})
    assert_complete(section, "parse")
    figures = section.figures
    assert figures["entries"] == 60
    for name in ("floor_s", "parse_s", "extract_s", "cli_s", "script_floor_s"):
        assert figures[name] > 0
    assert figures["parse_extract_s"] == pytest.approx(figures["parse_s"] + figures["extract_s"])
    # Synthetic abstracts state claims and link repos, so the extractors had real work.
    assert figures["claims"] > 0 and figures["repo_mentions"] > 0
    assert figures["cli_vs_script"] == pytest.approx(figures["cli_s"] / figures["script_floor_s"])
    assert [t.met for t in section.targets] == [figures["cli_s"] < 10 * 60 / 100_000, figures["cli_vs_script"] <= 3.0,
                                                figures["extract_per_s"] >= 5_000]


def test_seed_extraction_keeps_rates_and_scores(tmp_path, seeds_dir):
    import bench_seeds

    section = bench_support.measure_section(bench_seeds.measure, tmp_path, {"seconds": 0.3})
    assert_complete(section, "seeds")
    figures = section.figures
    assert set(figures["rates"]) >= {"extract_claims"} and all(rate > 0 for rate in figures["rates"].values())
    assert set(figures["claims"]) == {"dev", "dev2", "heldout", "selfwritten", "probe"}
    # The scorer's figures reach the table. Every set is scored by the same rules; the floor is
    # far below any figure the extractor reaches, so only a broken hand-off fails it.
    assert all(scores["precision"] >= 0.8 and scores["recall"] >= 0.8 for scores in figures["claims"].values())
    # Only summary lines reach the table: no cell is as long as an abstract.
    assert all(len(str(cell)) < 120 for row in section.rows for cell in row)


def test_naive_reads_both_page_layouts_and_the_api(tmp_path):
    from paperhouse.feeds import parse_file
    from paperhouse.synth import write_feed

    paths = write_feed(tmp_path / "feed", days=3, papers_per_day=6, formats="mixed")
    for path in paths:
        expected = [(e["title"], e["abstract"]) for e in parse_file(path).entries]
        assert naive_pandas.read_snapshot(path) == expected, path.name


def test_naive_rebuilds_one_row_per_title_every_day(tmp_path):
    from paperhouse.synth import iter_feed, write_feed

    write_feed(tmp_path / "feed", days=4, papers_per_day=5)
    result = naive_pandas.run_naive(tmp_path / "feed", tmp_path / "naive.duckdb")
    titles = {re.sub(r"[^a-z0-9]+", " ", e.paper.title.lower()).strip() for _, entries in iter_feed(4, 5) for e in entries}
    assert result["days_run"] == result["days_total"] == 4 and not result["extrapolated"]
    assert result["papers"] == len(titles)
    assert result["total_s"] == pytest.approx(sum(result["per_day_s"]))

    import duckdb

    with duckdb.connect(str(tmp_path / "naive.duckdb"), read_only=True) as con:
        assert con.execute("select count(*), max(last_seen_date) from papers").fetchone() == (len(titles), "2026-01-04")


def test_naive_extrapolates_the_days_it_did_not_run():
    # Per-day cost 1, 2, 3 s is the line 1 s/day: days 4 and 5 would take 4 + 5 s.
    assert naive_pandas.extrapolate([1.0, 2.0, 3.0], 5) == pytest.approx(9.0)
    assert naive_pandas.extrapolate([1.0, 2.0, 3.0], 3) == 0.0


def test_naive_benchmark_reports_the_child_process(tmp_path):
    import bench_naive

    section = bench_support.measure_section(bench_naive.measure, tmp_path,
                                            {"days": 3, "papers_per_day": 4, "max_seconds": 60.0})
    assert_complete(section, "naive")
    assert section.figures["days_run"] == 3 and not section.figures["extrapolated"]
    assert section.figures["peak_rss_mib"] > 0


def test_run_writes_markdown_with_machine_and_sections(tmp_path):
    out = tmp_path / "bench.md"
    done = subprocess.run([sys.executable, str(BENCH_DIR / "run.py"), "--only", "naive", "--quick",
                           "--work", str(tmp_path / "work"), "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert "## 1. Naive peer" in text and "## Machine" in text
    assert "Smoke size" in text
    assert re.search(r"\| cpu \| .+ \|", text) and re.search(r"\| python \| 3\.11\.\d+ \|", text)
    assert text.strip() in done.stdout


@pytest.mark.slow
def test_incremental_benchmark_builds_each_history(tmp_path):
    import bench_incremental

    section = bench_support.measure_section(bench_incremental.measure, tmp_path, {"histories": (1, 2), "papers_per_day": 4})
    assert_complete(section, "incremental")
    histories = section.figures["histories"]
    assert [h["history_days"] for h in histories] == [1, 2]
    assert all(h["incremental_build_s"] > 0 and h["full_refresh_s"] > 0 for h in histories)
    assert section.targets[0].met == (histories[-1]["ratio_vs_first_day"] < bench_incremental.TARGET_RATIO)


@pytest.mark.slow
def test_backfill_benchmark_publishes_and_exports(tmp_path):
    import bench_backfill

    section = bench_support.measure_section(bench_backfill.measure, tmp_path, {"days": 3, "papers_per_day": 5})
    assert_complete(section, "backfill")
    figures = section.figures
    assert set(figures["phases"]) == set(bench_backfill.PHASES)
    assert figures["papers"] > 0 and figures["peak_rss_mib"] > 0
    assert figures["wall_s"] > sum(figures["phases"].values())
    # The floor ran in the same benchmark, and the ratio is the backfill over both of its halves.
    assert figures["floor_s"] == pytest.approx(figures["floor_extract_s"] + figures["floor_load_s"])
    assert figures["floor_ratio"] == pytest.approx(figures["wall_s"] / figures["floor_s"])
    assert section.targets[1].met == (figures["floor_ratio"] <= bench_backfill.FLOOR_RATIO)


def test_naive_cron_day_replaces_every_table_and_finds_claims_and_repos(tmp_path):
    import naive_cron

    from paperhouse.synth import write_feed

    write_feed(tmp_path / "feed", days=3, papers_per_day=8, formats="mixed")
    result = naive_cron.run(tmp_path / "feed", tmp_path / "cron.duckdb")
    again = naive_cron.run(tmp_path / "feed", tmp_path / "cron.duckdb")  # the next day replaces, never appends
    assert result == again and result["files"] == 3 and result["entries"] == 24
    assert result["claims"] > 0 and result["repos"] > 0  # synthetic abstracts state claims and link repos
    import duckdb

    with duckdb.connect(str(tmp_path / "cron.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from papers").fetchone()[0] == result["papers"]
    loaded = naive_cron.run(tmp_path / "feed", tmp_path / "load.duckdb", load_only=True)
    assert set(loaded) == {"files", "entries", "papers"}


def test_extract_floor_counts_what_ingest_would_extract(tmp_path):
    import extract_floor

    from paperhouse.extract import extract_claims
    from paperhouse.feeds import parse_file
    from paperhouse.synth import write_feed

    paths = write_feed(tmp_path / "feed", days=2, papers_per_day=6, formats="api")
    result = extract_floor.run(tmp_path / "feed")
    entries = [e for path in paths for e in parse_file(path).entries]
    assert result["files"] == 2 and result["entries"] == len(entries) == 12
    assert result["claims"] == sum(len(extract_claims(e["abstract"])) for e in entries)


@pytest.mark.slow
def test_day_benchmark_runs_paperhouse_run_against_the_cron_day(tmp_path):
    import bench_day

    section = bench_support.measure_section(bench_day.measure, tmp_path, {"days": 3, "papers_per_day": 4})
    assert_complete(section, "day")
    figures = section.figures
    assert {"ingest", "gate_raw", "build", "gate_marts", "publish", "export"} <= set(figures["phases"])
    assert figures["naive_wall_s"] > 0 and figures["floor_wall_s"] > 0
    assert figures["ratio"] == pytest.approx(figures["wall_s"] / figures["naive_wall_s"])
    assert section.targets[0].met == (figures["ratio"] <= bench_day.TARGET_RATIO)


@pytest.mark.slow
def test_airflow_benchmark_runs_the_daily_dag(tmp_path):
    import bench_airflow

    section = bench_support.measure_section(bench_airflow.measure, tmp_path, {"history_days": 2, "papers_per_day": 4})
    assert_complete(section, "airflow")
    figures = section.figures
    assert set(figures["steps"]) == set(bench_airflow.STEPS)
    assert figures["dag_wall_s"] > figures["dag_run_s"] > 0
    assert 0 < figures["steps_s"] < figures["direct_wall_s"]
