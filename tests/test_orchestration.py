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


WHILE_WAITING = dt.datetime(2026, 8, 10, 9, 0, tzinfo=dt.timezone.utc)   # D+1 09:00: still waiting
AFTER_THE_WAIT = dt.datetime(2026, 8, 10, 18, 0, tzinfo=dt.timezone.utc)  # D+1 18:00: gives up


def test_fetch_if_ready_is_none_until_the_source_has_the_day(settings):
    assert orchestration.fetch_if_ready(settings, DAY, now=WHILE_WAITING) is None
    settings.feed_dir.mkdir(parents=True)
    (settings.feed_dir / "2026-08-09.json").write_text("[]")
    assert orchestration.fetch_if_ready(settings, DAY, now=AFTER_THE_WAIT) == str(settings.feed_dir / "2026-08-09.json")


def test_a_day_never_filled_is_skipped_when_scheduled_and_fails_when_run_by_hand(settings):
    assert orchestration.give_up_at(DAY) == AFTER_THE_WAIT
    with pytest.raises(orchestration.DaySkipped, match="2026-08-09: skipped: .*no snapshot for 2026-08-09.*waited until 2026-08-10 18:00 UTC"):
        orchestration.fetch_if_ready(settings, DAY, now=AFTER_THE_WAIT, scheduled=True)
    with pytest.raises(SnapshotNotReady, match="no snapshot for 2026-08-09"):
        orchestration.fetch_if_ready(settings, DAY, now=AFTER_THE_WAIT, scheduled=False)


def test_fetch_day_skips_a_scheduled_day_with_an_alert(settings):
    from types import SimpleNamespace

    from airflow.sdk.exceptions import AirflowSkipException

    from paperhouse.alerts import failures_log_path

    with pytest.raises(AirflowSkipException, match="2026-08-09: skipped"):
        orchestration.fetch_day(settings, "2026-08-09", SimpleNamespace(run_type="scheduled"))
    assert "paperhouse_daily.fetch 2026-08-09 skipped: " in failures_log_path(settings).read_text()
    with pytest.raises(SnapshotNotReady):  # a run a person started fails instead: nothing to do
        orchestration.fetch_day(settings, "2026-08-09", SimpleNamespace(run_type="manual"))


def test_fetch_day_refetches_an_earlier_day(settings):
    settings.feed_dir.mkdir(parents=True)
    (settings.feed_dir / "2026-08-09.txt").write_text("x")
    assert orchestration.fetch_day(settings, "2026-08-09") == {
        "is_done": True, "xcom_value": {"path": str(settings.feed_dir / "2026-08-09.txt"), "refetched": None}}
    (settings.feed_dir / "2026-08-07.txt").write_text("x")
    assert orchestration.fetch_day(settings, "2026-08-09")["xcom_value"]["refetched"] == str(settings.feed_dir / "2026-08-07.txt")


@pytest.mark.parametrize("error, waits", [
    (SnapshotNotReady("http://api/daily_papers?date=2026-08-09: the API lists no papers yet"), True),
    (SourceUnavailable("http://api/daily_papers?date=2026-08-09: HTTP 502 (gave up after 4 attempts)"), False),
])
def test_fetch_if_ready_waits_only_for_not_ready(settings, monkeypatch, error, waits):
    def fetch(_settings, _day):
        raise error

    monkeypatch.setattr(pipeline, "fetch", fetch)
    if waits:
        assert orchestration.fetch_if_ready(settings, DAY, now=WHILE_WAITING) is None
    else:
        with pytest.raises(SourceUnavailable, match="HTTP 502"):
            orchestration.fetch_if_ready(settings, DAY, now=WHILE_WAITING)


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
    # Unset: the feed's first day, without catch-up, so any day of the feed can be run by hand.
    assert start({}).date() == orchestration.FEED_EPOCH
    assert orchestration.schedule_catchup(Settings.from_env({"PAPERHOUSE_HOME": "/tmp/x"})) is False
    assert orchestration.schedule_catchup(Settings.from_env({"PAPERHOUSE_HOME": "/tmp/x", "PAPERHOUSE_START_DATE": "2026-08-09"}))
    with pytest.raises(ValueError, match="PAPERHOUSE_START_DATE='yesterday'"):
        start({"PAPERHOUSE_START_DATE": "yesterday"})


def test_ingest_day_ingests_the_refetched_day_under_its_own_date(settings, monkeypatch):
    calls = []

    def fake_ingest(_settings, paths, day=None):
        calls.append((paths, day))
        return IngestReport([FileOutcome(str(paths[0]), "replaced" if day is None else "accepted", day or dt.date(2026, 8, 7))])

    monkeypatch.setattr(pipeline, "ingest", fake_ingest)
    result = orchestration.ingest_day(settings, "/feed/2026-08-09.json", DAY, "/feed/2026-08-07.json")
    assert calls == [([Path("/feed/2026-08-09.json")], DAY), ([Path("/feed/2026-08-07.json")], None)]
    assert result["summary"].startswith("1 accepted, 1 replaced")  # late papers of 2026-08-07 landed


def test_no_deadline_alert_under_dag_test():
    # Airflow 3.3's dag.test fails a finished run on a DAG-level deadline; test runs get none.
    assert orchestration._running_dag_test(["/venv/bin/airflow", "dags", "test", "paperhouse_daily", "2026-08-09"])
    assert orchestration._running_dag_test(["/repo/plugins/paperhouse/embedded.py", "dag-test", "--results", "x"])
    assert not orchestration._running_dag_test(["/venv/bin/airflow", "dag-processor"])
