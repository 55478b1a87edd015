"""Crash points for fault-injection tests: `PAPERHOUSE_CRASH_AT=<step>` makes the process SIGKILL
itself when it reaches that step, the way a power cut or an OOM kill would.

Steps: landing (bytes landed, lake not written), ingest (a day's tables written, its commit record
not), raw_gate, build, marts_gate, publish (published, not exported), export (export written, not
moved into place). Unset, a crash point costs one dictionary lookup. A crash point reached in the
run's forked worker (paperhouse.gate_worker) kills the run too, as a power cut would.
"""
from __future__ import annotations

import os
import signal

CRASH_ENV = "PAPERHOUSE_CRASH_AT"
STEPS = ("landing", "ingest", "raw_gate", "build", "marts_gate", "publish", "export")
_run_pid: int | None = None  # in a run's forked worker: the run's process


def in_worker_of(run_pid: int) -> None:
    """Called in a forked worker: its crash points kill the run it works for as well."""
    global _run_pid
    _run_pid = run_pid


def crash_point(step: str) -> None:
    if os.environ.get(CRASH_ENV) == step:
        if _run_pid is not None:
            os.kill(_run_pid, signal.SIGKILL)
        os.kill(os.getpid(), signal.SIGKILL)
