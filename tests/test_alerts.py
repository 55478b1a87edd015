"""alerts.py: the one-line failure summaries the DAGs append to <home>/state/failures.log."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from paperhouse import alerts
from paperhouse.errors import GateFailed

AT = dt.datetime(2026, 8, 10, 6, 0, tzinfo=dt.timezone.utc)


def test_failure_line_is_one_line_naming_task_day_try_and_error():
    error = GateFailed("raw gate: entry_count 3 is below 30\n(see quality/raw/2026-08-09.json)")
    line = alerts.failure_line("paperhouse_daily", "gate_raw", "2026-08-09", 1, 3, error, AT)
    assert line == ("2026-08-10T06:00:00Z paperhouse_daily.gate_raw 2026-08-09 try 1/3: "
                    "GateFailed: raw gate: entry_count 3 is below 30 (see quality/raw/2026-08-09.json)")


def test_failure_line_without_an_exception():
    line = alerts.failure_line("paperhouse_daily", "fetch", "2026-08-09", 1, 1, None, AT)
    assert line.endswith("fetch 2026-08-09 try 1/1: no error recorded")


def test_task_failure_callback_appends_to_the_failures_log(settings):
    def context(task_id, error):
        ti = SimpleNamespace(dag_id="paperhouse_daily", task_id=task_id, try_number=3, max_tries=2)
        return {"ti": ti, "ds": "2026-08-09", "exception": error}

    alerts.record_task_failure(context("build", RuntimeError("dbt exited 2")))
    alerts.record_task_failure(context("publish", OSError("disk full")))
    lines = alerts.failures_log_path(settings).read_text().splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("paperhouse_daily.build 2026-08-09 try 3/3: RuntimeError: dbt exited 2")
    assert "paperhouse_daily.publish" in lines[1] and lines[1].endswith("OSError: disk full")
    assert alerts.failures_log_path(settings) == settings.home / "state" / "failures.log"
