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


@pytest.mark.slow
def test_scale_benchmark_backfills_in_chunks_and_runs_one_more_day(tmp_path):
    import bench_scale

    size = {**bench_scale.SIZES["quick"], "plot": str(tmp_path / "scaling.png")}
    section = bench_support.measure_section(bench_scale.measure, tmp_path, size)
    assert_complete(section, "scale")
    figures = section.figures
    points = figures["points"]
    assert [p["history_days"] for p in points] == list(size["checkpoints"]) and not figures["skipped_checkpoints"]
    # Day 1 is backfilled alone; days 3 .. the next checkpoint in one more chunk.
    assert [(c["days"]) for c in figures["chunks"]] == [1, size["checkpoints"][1] - size["checkpoints"][0] - 1]
    for point in points:
        steps = point["steps"]
        assert set(bench_scale.DAY_STEPS) <= set(steps) and steps["wap_copy"] > 0 and steps["digest"] > 0
        assert point["wall_s"] > sum(steps[name] for name in bench_scale.DAY_STEPS)
        assert point["peak_rss_mib"] > 0 and point["papers"] > 0 and point["claims"] > 0
        # The copy is of the published warehouse, which the lake and the warehouse file both hold.
        assert point["sizes"]["published_warehouse"] > 0 and point["sizes"]["lake"] > 0
        assert point["sizes"]["latest_export"] > point["sizes"]["published_warehouse"]  # the copy plus the marts
        assert point["naive"]["wall_s"] > 0 and point["naive"]["papers"] > 0
    assert points[-1]["papers"] > points[0]["papers"]
    assert points[-1]["sizes"]["lake"] > points[0]["sizes"]["lake"]
    # One export per publish: two backfill chunks and two measured days.
    assert [p["sizes"]["exports_kept"] for p in points] == [2, 4]
    assert figures["entries"] == (size["checkpoints"][-1] + 1) * size["papers_per_day"]
    assert (tmp_path / "scaling.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [t.met for t in section.targets][0] is False  # the smoke size is not the 2.2 M entries
    # Smaller than the size: the copy was also timed on a file as large as the full warehouse would be.
    probe = figures["copy_probe"]
    assert probe["bytes"] >= points[-1]["sizes"]["published_warehouse"] and probe["copy_s"] > 0 and probe["digest_s"] > 0
    assert not list(tmp_path.glob("scale-probe*"))  # the probe's files are removed


def test_scale_projects_the_warehouse_by_its_growth_per_entry():
    import bench_scale

    # 10 MiB at 1 day, 300 MiB at 365 days (500 a day): 290 MiB per 182,000 entries, carried to 2.19 M.
    points = [{"history_entries": 500, "sizes": {"published_warehouse": 10 * 2**20}},
              {"history_entries": 365 * 500, "sizes": {"published_warehouse": 300 * 2**20}}]
    growth = 290 * 2**20 / (366 * 500 - 2 * 500)
    assert bench_scale.projected_bytes(points, 500) == int(300 * 2**20 + growth * (bench_scale.FULL_ENTRIES - 366 * 500))


def test_scale_extrapolates_the_naive_day_by_entries():
    import bench_scale

    points = [{"history_days": 10, "history_entries": 100, "naive": {"wall_s": 2.2}},
              {"history_days": 100, "history_entries": 1000, "naive": {"stopped": "stopped after 1 s"}}]
    bench_scale.extrapolate_naive(points)
    # 2.2 s for 110 entries re-read: 1,010 entries take 20.2 s.
    assert points[1]["naive"]["extrapolated_s"] == pytest.approx(20.2)
    assert points[1]["naive"]["extrapolated_from_days"] == 10


def test_saved_results_render_benchmarks_md_in_order(tmp_path):
    import run as bench_run

    host = bench_run.machine()

    def record(key: str, title: str, met: bool, command: str) -> dict:
        section = bench_support.Section(key=key, title=title, columns=["what", "wall"], rows=[["day 1", "0.10 s"]],
                                        targets=[bench_support.Target(f"{key} goal", "1 s", met)],
                                        notes=[f"{key} note"], seconds=2.0, load_average=(1.0, 2.0))
        return bench_run.result_record(section, "run-1", command, False, host)

    bench_run.save_result(record("scale", "Scaling: big", False, "python bench/run.py --only scale"), tmp_path)
    bench_run.save_result(record("parse", "Parsing: small", True, "python bench/run.py"), tmp_path)
    results = bench_run.load_results(tmp_path)
    assert list(results) == ["parse", "scale"]  # BENCHMARKS order, not the order saved
    text = bench_run.render(results, "python bench/run.py")
    assert text.index("## 1. Parsing: small") < text.index("## 2. Scaling: big")
    assert "| Parsing | parse goal | 1 s | yes |" in text and "| Scaling | scale goal | 1 s | **no** |" in text
    assert "- scale note" in text and "by `python bench/run.py --only scale`" in text
    assert "load average 1.0 before, 2.0 after" in text and "## Machine" in text
    # A re-run replaces its own result whole and leaves the others.
    bench_run.save_result(record("scale", "Scaling: bigger", True, "python bench/run.py --only scale"), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["parse.json", "scale.json"]
    assert bench_run.load_results(tmp_path)["scale"]["section"]["title"] == "Scaling: bigger"


def test_committed_results_render_the_committed_benchmarks_md():
    import run as bench_run

    results = bench_run.load_results(bench_run.RESULTS_DIR)
    assert set(results) <= set(bench_run.BENCHMARKS) and results
    rendered = bench_run.render(results, "python bench/run.py")
    assert (bench_run.REPO_ROOT / "BENCHMARKS.md").read_text(encoding="utf-8") == rendered


def test_scale_starts_a_checkpoint_only_when_it_fits_the_budget():
    import bench_scale

    chunks = [{"days": 1, "wall_s": 231.0}, {"days": 59, "wall_s": 148.0}]   # 2.5 s a day at the largest
    points = [{"history_days": 90, "wall_s": 127.0, "naive": {"wall_s": 13.0}}]
    # 274 more days: 687 s of backfill, then the day and the naive day grown 4x (274/91 more): about 1,250 s.
    assert bench_scale.fits(274, chunks, points, elapsed_s=1000.0, budget_s=2300.0)
    assert not bench_scale.fits(274, chunks, points, elapsed_s=1000.0, budget_s=2200.0)
    assert bench_scale.fits(29, chunks[:1], points, elapsed_s=1e9, budget_s=1.0)  # no pace yet: go on
