"""orchestration.py: what the DAG tasks call around the pipeline's steps (no Airflow run needed)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from paperhouse import orchestration, pipeline
from paperhouse.errors import FeedError, GateFailed, SnapshotNotReady, SourceUnavailable
from paperhouse.ingest import FileOutcome, IngestReport
from paperhouse.settings import Settings

DAY = dt.date(2026, 8, 9)


def test_to_xcom_makes_results_json_able():
    @dataclasses.dataclass
    class Result:
        path: Path
        day: dt.date
        counts: dict
        names: tuple

    value = orchestration.to_xcom([Result(Path("/x/y.duckdb"), DAY, {1: 2}, ("a", None))])
    assert value == [{"path": "/x/y.duckdb", "day": "2026-08-09", "counts": {"1": 2}, "names": ["a", None]}]
    json.dumps(value)


def test_to_xcom_prefers_a_results_own_as_dict():
    report = IngestReport([FileOutcome("/feed/2026-08-09.txt", "accepted", DAY, "ab" * 32, entries=54)])
    value = orchestration.to_xcom(report)
    assert value["ok"] is True and value["files"][0]["snapshot_date"] == "2026-08-09"
    assert value["files"][0]["entries"] == 54


def test_fetch_if_ready_is_none_until_the_source_has_the_day(settings):
    assert orchestration.fetch_if_ready(settings, DAY) is None
    settings.feed_dir.mkdir(parents=True)
    (settings.feed_dir / "2026-08-09.json").write_text("[]")
    assert orchestration.fetch_if_ready(settings, DAY) == str(settings.feed_dir / "2026-08-09.json")


@pytest.mark.parametrize("error, waits", [
    (SnapshotNotReady("http://api/daily_papers?date=2026-08-09: the API lists no papers yet"), True),
    (SourceUnavailable("http://api/daily_papers?date=2026-08-09: HTTP 502 (gave up after 4 attempts)"), False),
])
def test_fetch_if_ready_waits_only_for_not_ready(settings, monkeypatch, error, waits):
    def fetch(_settings, _day):
        raise error

    monkeypatch.setattr(pipeline, "fetch", fetch)
    if waits:
        assert orchestration.fetch_if_ready(settings, DAY) is None
    else:
        with pytest.raises(SourceUnavailable, match="HTTP 502"):
            orchestration.fetch_if_ready(settings, DAY)


def test_ingest_day_fails_the_task_when_the_file_is_rejected(settings, monkeypatch):
    calls = []

    def fake_ingest(_settings, paths, day):
        calls.append((paths, day))
        return IngestReport([FileOutcome(str(paths[0]), "rejected", day, reason=f"{paths[0]}:7: title slot holds prose")])

    monkeypatch.setattr(pipeline, "ingest", fake_ingest)
    with pytest.raises(FeedError, match=r"rejected: .*2026-08-09.txt:7: title slot holds prose"):
        orchestration.ingest_day(settings, "/feed/2026-08-09.txt", DAY)
    assert calls == [([Path("/feed/2026-08-09.txt")], DAY)]


def test_ingest_day_returns_the_report(settings, monkeypatch):
    monkeypatch.setattr(pipeline, "ingest", lambda _s, paths, day: IngestReport(
        [FileOutcome(str(paths[0]), "unchanged", day, "cd" * 32, entries=40)]))
    assert orchestration.ingest_day(settings, "/feed/2026-08-09.txt", DAY)["summary"].startswith("0 accepted")


def test_backfill_range_fails_when_days_were_stopped(settings, monkeypatch):
    report = pipeline.RunReport(gate_failures=["raw gate: 2026-08-10 entry_count 3 below 30"])
    seen = []
    monkeypatch.setattr(pipeline, "backfill", lambda _s, start, end: seen.append((start, end)) or report)
    with pytest.raises(GateFailed, match="backfill 2026-08-09..2026-08-11: .*entry_count 3"):
        orchestration.backfill_range(settings, "2026-08-09", "2026-08-11")
    assert seen == [(DAY, dt.date(2026, 8, 11))]
    monkeypatch.setattr(pipeline, "backfill", lambda *_: pipeline.RunReport())
    assert orchestration.backfill_range(settings, "2026-08-09", "2026-08-11")["ok"] is True


def test_schedule_start_date_from_settings():
    def start(environ):
        return orchestration.schedule_start_date(Settings.from_env({"PAPERHOUSE_HOME": "/tmp/x", **environ}))

    assert start({"PAPERHOUSE_START_DATE": "2026-08-09"}) == dt.datetime(2026, 8, 9, tzinfo=dt.timezone.utc)
    assert start({}).date() == dt.date.fromisoformat(Settings.start_date)
    with pytest.raises(ValueError, match="PAPERHOUSE_START_DATE='yesterday'"):
        start({"PAPERHOUSE_START_DATE": "yesterday"})
