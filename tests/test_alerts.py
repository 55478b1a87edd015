"""alerts.py: the one-line failure summaries in <home>/state/failures.log, and the same lines mailed
through Airflow's SmtpNotifier to a real SMTP server (aiosmtpd) on 127.0.0.1."""
from __future__ import annotations

import asyncio
import datetime as dt
import json
import socket
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from types import SimpleNamespace

import pytest

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


# ---- mail through Airflow's SmtpNotifier, to a real SMTP server on 127.0.0.1 -----------------------

@pytest.fixture
def smtp_inbox(monkeypatch):
    """An aiosmtpd server on a free 127.0.0.1 port, the Airflow connection pointing at it, and the
    alert recipients set; yields the list of received messages."""
    from aiosmtpd.controller import Controller

    inbox: list[EmailMessage] = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            inbox.append(message_from_bytes(envelope.content, policy=default_policy))
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", json.dumps({
        "conn_type": "smtp", "host": "127.0.0.1", "port": port,
        "extra": {"disable_tls": True, "disable_ssl": True, "timeout": 10, "retry_limit": 1}}))
    monkeypatch.setenv("PAPERHOUSE_ALERT_EMAIL", "oncall@example.org, data@example.org")
    try:
        yield inbox
    finally:
        controller.stop()


def _body(message: EmailMessage) -> str:
    return "\n".join(part.get_content() for part in message.walk() if part.get_content_maintype() == "text")


def test_failed_task_mail_names_dag_task_day_and_reason(settings, smtp_inbox):
    ti = SimpleNamespace(dag_id="paperhouse_daily", task_id="gate_raw", try_number=1, max_tries=0)
    error = GateFailed("raw gate: entry_count 3 is below 30\n(see quality/raw/2026-08-09.json)")
    alerts.record_task_failure({"ti": ti, "ds": "2026-08-09", "exception": error})

    (message,) = smtp_inbox
    assert message["To"] == "oncall@example.org, data@example.org"
    assert message["Subject"] == "[paperhouse] paperhouse_daily.gate_raw 2026-08-09 failed"
    body = _body(message)
    assert "paperhouse_daily.gate_raw 2026-08-09 try 1/1: GateFailed: raw gate: entry_count 3 is below 30 " \
           "(see quality/raw/2026-08-09.json)" in body
    assert alerts.failures_log_path(settings).read_text().count("\n") == 1  # the local record stays


def test_late_day_deadline_callback_mails_the_day(settings, smtp_inbox):
    context = {"dag_run": {"dag_id": "paperhouse_daily", "run_id": "scheduled__2026-08-09T06:00:00+00:00",
                           "run_type": "scheduled", "state": "running", "logical_date": "2026-08-09T06:00:00Z",
                           "queued_at": "2026-08-10T06:00:02Z"},
               "deadline": {"id": "x", "deadline_time": "2026-08-10T08:00:00+00:00"}}
    line = asyncio.run(alerts.notify_day_late(context=context))

    (message,) = smtp_inbox
    assert message["Subject"] == "[paperhouse] paperhouse_daily.publish 2026-08-09 late"
    assert "day 2026-08-09 not published by 2026-08-10T08:00:00+00:00" in _body(message)
    assert line in alerts.failures_log_path(settings).read_text()


def test_no_deadline_alert_for_manual_or_catch_up_runs():
    run = {"dag_id": "paperhouse_daily", "run_type": "scheduled", "logical_date": "2026-08-09T06:00:00Z"}
    deadline = {"deadline_time": "2026-08-10T08:00:00+00:00"}
    assert alerts.late_day_alert({"dag_run": {**run, "queued_at": "2026-08-10T06:00:00Z"}, "deadline": deadline})
    # created after the deadline had passed (catch-up of an old day): late by design, no mail
    assert alerts.late_day_alert({"dag_run": {**run, "queued_at": "2026-09-01T06:00:00Z"}, "deadline": deadline}) is None
    assert alerts.late_day_alert({"dag_run": {**run, "run_type": "manual"}, "deadline": deadline}) is None


def test_skipped_day_is_mailed_and_recorded(smtp_inbox, settings):  # settings read after the env is set
    alerts.alert_day_skipped(settings, "paperhouse_daily", "fetch", dt.date(2026, 8, 9), "no snapshot for 2026-08-09")
    (message,) = smtp_inbox
    assert message["Subject"] == "[paperhouse] paperhouse_daily.fetch 2026-08-09 skipped"
    assert "no snapshot for 2026-08-09" in _body(message)
    assert "paperhouse_daily.fetch 2026-08-09 skipped: no snapshot" in alerts.failures_log_path(settings).read_text()


def test_unreachable_mail_server_does_not_hide_the_failure(settings, monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", json.dumps({
        "conn_type": "smtp", "host": "127.0.0.1", "port": port,
        "extra": {"disable_tls": True, "disable_ssl": True, "timeout": 2, "retry_limit": 0}}))
    monkeypatch.setenv("PAPERHOUSE_ALERT_EMAIL", "oncall@example.org")
    ti = SimpleNamespace(dag_id="paperhouse_daily", task_id="build", try_number=1, max_tries=0)
    alerts.record_task_failure({"ti": ti, "ds": "2026-08-09", "exception": RuntimeError("dbt exited 2")})
    assert alerts.failures_log_path(settings).read_text().rstrip().endswith("RuntimeError: dbt exited 2")


def test_a_volume_warning_is_mailed_and_logged(smtp_inbox, tmp_path, monkeypatch):
    # A day that passes the raw gate with a warning still reaches a person: the same alert path.
    from paperhouse.pipeline import report_gate_warnings
    from paperhouse.quality.gates import CheckOutcome, GateResult
    from paperhouse.settings import Settings

    monkeypatch.setenv("PAPERHOUSE_HOME", str(tmp_path / "home"))
    settings = Settings.from_env()
    check = CheckOutcome(name="entry_count_out_of_range", ok=False, unexpected_count=5, example=None,
                         detail="5 rows, expected 15..90 entries (median 30 of the last 4 days)", severity="warn")
    passed = GateResult(stage="raw", subject="2026-08-16", ok=True, checks=[check],
                        report_path=tmp_path / "r.json", run_id="r1")

    (line,) = report_gate_warnings(settings, [passed])

    assert line == ("raw gate warning for 2026-08-16: entry_count_out_of_range: "
                    "5 rows, expected 15..90 entries (median 30 of the last 4 days)")
    (logged,) = alerts.failures_log_path(settings).read_text().splitlines()
    assert logged.endswith(f"paperhouse.gate_raw 2026-08-16 warning: {line}")
    (message,) = smtp_inbox
    assert message["Subject"] == "[paperhouse] paperhouse.gate_raw 2026-08-16 warning"
    assert line in _body(message)
