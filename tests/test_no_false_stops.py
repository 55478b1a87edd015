"""No false stops on real variation: days whose entry counts swing 4x and more are all published,
with a volume warning where the count is far from the recent median.

Each day goes through `pipeline.run`, as `paperhouse run` does; the expected warnings are worked
out here from the entry counts alone (median of the earlier days in the window, 0.5x..3x).
"""
from __future__ import annotations

import datetime as dt
import itertools
import math
import statistics
from pathlib import Path

import duckdb
import pytest

from conftest import SEED_FILES
from paperhouse import pipeline
from paperhouse.feeds import parse_file
from paperhouse.settings import Settings
from paperhouse.synth import generate_api, generate_page, iter_feed

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]

MONTH_START = dt.date(2026, 6, 1)  # a Monday


def expected_warning(settings: Settings, earlier_counts: list[int], count: int) -> bool:
    """Whether the raw gate should warn about `count`, given the counts of the days before it."""
    if len(earlier_counts) < settings.gate_warmup_days or not earlier_counts:
        return False
    median = statistics.median(earlier_counts[-settings.gate_history_days:])
    return not math.ceil(median * settings.gate_min_count_ratio) <= count <= math.floor(median * settings.gate_max_count_ratio)


def published_counts(settings: Settings) -> dict[str, tuple[int, int]]:
    """Per published day: (entry_count of its snapshot, appearances in the fact table)."""
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        rows = con.execute("""
            select s.snapshot_date::varchar, s.entry_count, count(a.appearance_id)
            from dim_snapshots s left join fct_paper_appearances a using (snapshot_id)
            group by all""").fetchall()
    return {day: (entries, appearances) for day, entries, appearances in rows}


def run_days(settings: Settings, days: list[tuple[dt.date, str, bytes, int]], publish_every: int) -> list[str]:
    """Put each day's file in the feed, one day at a time, and audit it with the steps `paperhouse
    run` starts with (ingest, raw gate); every `publish_every` days and on the last, the whole run
    (which audits the days not yet published again, builds once and publishes them). Every day
    must pass and be published; each day warns exactly when its count is far from the median.
    Returns the warning lines."""
    from paperhouse.quality.gates import warning_line

    settings.feed_dir.mkdir(parents=True, exist_ok=True)
    counts: list[int] = []
    warnings: list[str] = []
    for number, (day, suffix, data, count) in enumerate(days, start=1):
        path = settings.feed_dir / f"{day}{suffix}"
        path.write_bytes(data)
        if number % publish_every == 0 or number == len(days):
            report = pipeline.run(settings)
            assert report.ok and report.published, f"{day} ({count} entries): {report.summary()}"
            lines = report.gate_warnings
        else:
            assert pipeline.ingest(settings, [path]).ok
            lines = [warning_line(result) for result in pipeline.gate_raw(settings, [day])]
        line = next((line for line in lines if line and f" for {day}:" in line), None)
        if expected_warning(settings, counts, count):
            assert line and "entry_count_out_of_range" in line and f": {count} rows" in line, (day, counts, count)
            warnings.append(line)
        else:
            assert line is None, (day, counts, count, line)
        counts.append(count)
    assert published_counts(settings) == {day.isoformat(): (count, count) for day, _, _, count in days}
    return warnings


@pytest.fixture
def seed_pages(seeds_dir: Path) -> list[tuple[bytes, int]]:
    """The three shared seed pages with their entry counts."""
    pages = []
    for prefix in SEED_FILES:
        (path,) = seeds_dir.glob(prefix + "*.txt")
        pages.append((path.read_bytes(), len(parse_file(path).entries)))
    return pages


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))), ids=lambda o: "".join(map(str, o)))
def test_seeds_on_consecutive_days_in_every_order_are_published(seed_pages, order, tmp_path: Path):
    # Warm-up of one day, so the second and third days are checked against the days before them.
    settings = Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path / "home"), "PAPERHOUSE_GATE_WARMUP_DAYS": "1"})
    start = dt.date(2026, 8, 9)
    days = [(start + dt.timedelta(days=k), ".txt", *seed_pages[index]) for k, index in enumerate(order)]
    run_days(settings, days, publish_every=3)


def test_a_month_swinging_from_5_to_250_entries_a_day_is_published(tmp_path: Path):
    settings = Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path / "home")})
    days = []
    for offset, (day, entries) in enumerate(iter_feed(30, 250, seed=11, start=MONTH_START)):
        weekday = day.weekday()
        # Busy weekdays (a deadline week reaches 250), quiet weekends down to 5.
        count = {5: 12, 6: 5}.get(weekday, 250 if 14 <= offset < 19 else 60 + 35 * weekday)
        entries = entries[:count]
        if offset % 3 == 2:
            days.append((day, ".json", generate_api(entries).encode(), count))
        else:
            days.append((day, ".txt", generate_page(day, entries, seed=offset).encode(), count))
    warnings = run_days(settings, days, publish_every=7)  # a weekly publish
    assert {count for *_, count in days} >= {5, 250}
    assert len(warnings) >= 8  # every weekend after the first warns, and the busy days after them
