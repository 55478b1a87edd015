"""Failure summaries: one readable line per failed task in ``<home>/state/failures.log``.

The DAGs register ``record_task_failure`` as their ``on_failure_callback``; a person (or a log
shipper) reads the file instead of digging through per-try task logs.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from paperhouse.settings import Settings

FAILURES_LOG = "failures.log"


def failures_log_path(settings: Settings) -> Path:
    return settings.state_dir / FAILURES_LOG


def failure_line(dag_id: str, task_id: str, run_date: str, try_number: int, max_tries: int,
                 error: BaseException | str | None, at: dt.datetime) -> str:
    """`2026-08-10T06:00:00Z paperhouse_daily.gate_raw 2026-08-09 try 1/3: GateFailed: ...`"""
    if isinstance(error, BaseException):
        reason = f"{type(error).__name__}: {error}"
    else:
        reason = error or "no error recorded"
    reason = " ".join(reason.split())  # one line, whatever the exception printed
    stamp = at.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{stamp} {dag_id}.{task_id} {run_date} try {try_number}/{max_tries}: {reason}"


def record_failure(settings: Settings, line: str) -> Path:
    path = failures_log_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
    return path


def record_task_failure(context) -> None:
    """Airflow ``on_failure_callback``: append the failed task's summary line."""
    ti = context["ti"]
    run_date = context.get("ds") or str(getattr(context.get("dag_run"), "run_id", "-"))
    max_tries = getattr(ti, "max_tries", 0) + 1
    line = failure_line(ti.dag_id, ti.task_id, run_date, ti.try_number, max_tries,
                        context.get("exception"), dt.datetime.now(dt.timezone.utc))
    record_failure(Settings.from_env(), line)
