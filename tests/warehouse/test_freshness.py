"""dbt source freshness on the lake's snapshots: warn and error windows on ingested_at, recorded
for `paperhouse quality`."""
from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from .lake_days import DAY1, DAY1_PAGE, write_lake_day
from paperhouse import lake, pipeline, warehouse
from paperhouse.cli import main

pytestmark = pytest.mark.slow


def _ingested(lake_dir, day: dt.date, ago: dt.timedelta) -> None:
    row = lake.snapshot_for_date(lake_dir, day)
    row["ingested_at"] = dt.datetime.now(dt.timezone.utc) - ago
    lake.write_partition(lake_dir, "snapshots", day, lake.to_table("snapshots", [row]))


def test_stale_lake_warns_fresh_lake_passes_and_quality_shows_it(wh_settings):
    assert pipeline.freshness(wh_settings) == []  # an empty lake has nothing to be fresh about
    write_lake_day(wh_settings.lake_dir, DAY1, DAY1_PAGE)

    _ingested(wh_settings.lake_dir, DAY1, dt.timedelta(days=3))  # past the 2-day warning, not the 4-day error
    (stale,) = pipeline.freshness(wh_settings)
    assert stale.startswith("freshness lake.snapshots: warn, latest snapshot ingested 3.0 days ago")

    _ingested(wh_settings.lake_dir, DAY1, dt.timedelta(hours=1))
    assert pipeline.freshness(wh_settings) == []
    (check,) = warehouse.latest_source_freshness(wh_settings)
    assert (check.source, check.status) == ("lake.snapshots", "pass") and 0.9 < check.age_hours < 1.1

    result = CliRunner().invoke(main, ["quality"], env={"PAPERHOUSE_HOME": str(wh_settings.home)})
    assert result.exit_code == 0, result.output
    assert "freshness lake.snapshots: pass, latest snapshot ingested 0.0 days ago" in result.output
