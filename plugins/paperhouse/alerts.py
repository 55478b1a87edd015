"""Failure summaries and alerts that reach a person.

Every failed task, skipped day and missed publish deadline is one readable line: appended to
``<home>/state/failures.log`` (the local record) and, when PAPERHOUSE_ALERT_EMAIL names
recipients, mailed through Airflow's SmtpNotifier (the SMTP provider) using the Airflow connection
PAPERHOUSE_ALERT_SMTP_CONN_ID (default ``smtp_default``, e.g. from AIRFLOW_CONN_SMTP_DEFAULT).
A mail that cannot be sent is logged; it never hides the failure it was about.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import html
import logging
from pathlib import Path

from paperhouse.settings import Settings

log = logging.getLogger(__name__)

FAILURES_LOG = "failures.log"


def failures_log_path(settings: Settings) -> Path:
    return settings.state_dir / FAILURES_LOG


def one_line(error: BaseException | str | None) -> str:
    if isinstance(error, BaseException):
        reason = f"{type(error).__name__}: {error}"
    else:
        reason = error or "no error recorded"
    return " ".join(reason.split())  # one line, whatever the exception printed


def failure_line(dag_id: str, task_id: str, run_date: str, try_number: int, max_tries: int,
                 error: BaseException | str | None, at: dt.datetime) -> str:
    """`2026-08-10T06:00:00Z paperhouse_daily.gate_raw 2026-08-09 try 1/3: GateFailed: ...`"""
    stamp = at.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{stamp} {dag_id}.{task_id} {run_date} try {try_number}/{max_tries}: {one_line(error)}"


def record_failure(settings: Settings, line: str) -> Path:
    path = failures_log_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
    return path


def recipients(settings: Settings) -> list[str]:
    return [r.strip() for r in settings.alert_email.split(",") if r.strip()]


def send_alert(settings: Settings, subject: str, line: str, context: dict | None = None) -> bool:
    """Mail `line` to PAPERHOUSE_ALERT_EMAIL through Airflow's SmtpNotifier; False when no
    recipient is configured or the mail could not be sent (logged)."""
    to = recipients(settings)
    if not to:
        return False
    from airflow.providers.smtp.notifications.smtp import SmtpNotifier

    notifier = SmtpNotifier(to=to, from_email=settings.alert_from, subject=subject,
                            html_content=f"<pre>{html.escape(line)}</pre>",
                            smtp_conn_id=settings.alert_smtp_conn_id)
    try:
        notifier.notify(context or {})
    except Exception as exc:  # a broken mail server must not mask what the alert is about
        log.warning("alert not sent to %s: %s", ", ".join(to), one_line(exc))
        return False
    return True


def alert(settings: Settings, dag_id: str, task_id: str, day: str, what: str, reason: str,
          context: dict | None = None) -> str:
    """Record and mail one alert; returns its line."""
    line = f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%dT%H:%M:%SZ} {dag_id}.{task_id} {day} {what}: {one_line(reason)}"
    record_failure(settings, line)
    send_alert(settings, f"[paperhouse] {dag_id}.{task_id} {day} {what}", line, context)
    return line


def record_task_failure(context) -> None:
    """Airflow ``on_failure_callback``: record the failed task's summary line and mail it."""
    ti = context["ti"]
    run_date = context.get("ds") or str(getattr(context.get("dag_run"), "run_id", "-"))
    max_tries = getattr(ti, "max_tries", 0) + 1
    line = failure_line(ti.dag_id, ti.task_id, run_date, ti.try_number, max_tries,
                        context.get("exception"), dt.datetime.now(dt.timezone.utc))
    settings = Settings.from_env()
    record_failure(settings, line)
    send_alert(settings, f"[paperhouse] {ti.dag_id}.{ti.task_id} {run_date} failed", line, context)


def alert_day_skipped(settings: Settings, dag_id: str, task_id: str, day: dt.date, reason: str) -> str:
    return alert(settings, dag_id, task_id, day.isoformat(), "skipped", reason)


def late_day_alert(context: dict) -> tuple[str, str] | None:
    """(day, reason) for a deadline the scheduler reports missed, or None when it needs no alert:
    a run a person started, or a catch-up run created after its deadline had already passed."""
    run = (context or {}).get("dag_run") or {}
    deadline = str(((context or {}).get("deadline") or {}).get("deadline_time") or "")
    if str(run.get("run_type", "")).lower() != "scheduled":
        return None
    queued = str(run.get("queued_at") or run.get("run_after") or "")
    if deadline and queued and _parse(queued) >= _parse(deadline):
        return None
    logical = str(run.get("logical_date") or "")
    day = logical[:10] or "-"
    return day, f"day {day} not published by {deadline or 'its deadline'} (run {run.get('run_id', '-')} is {run.get('state', '-')})"


def _parse(stamp: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


async def notify_day_late(context: dict | None = None, **_ignored) -> str | None:
    """Airflow deadline-alert callback (runs in the triggerer): the day is not published by its
    deadline (D+1 08:00 UTC for day D)."""
    late = late_day_alert(context or {})
    if late is None:
        return None
    day, reason = late
    dag_id = ((context or {}).get("dag_run") or {}).get("dag_id", "paperhouse_daily")
    return await asyncio.to_thread(alert, Settings.from_env(), dag_id, "publish", day, "late", reason)
