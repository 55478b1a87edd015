"""Crash points for fault-injection tests: `PAPERHOUSE_CRASH_AT=<step>` makes the process SIGKILL
itself when it reaches that step, the way a power cut or an OOM kill would.

Steps: landing (bytes landed, lake not written), ingest (a day's tables written, its commit record
not), raw_gate, build, marts_gate, publish (published, not exported), export (export written, not
moved into place). Unset, a crash point costs one dictionary lookup.
"""
from __future__ import annotations

import os
import signal

CRASH_ENV = "PAPERHOUSE_CRASH_AT"
STEPS = ("landing", "ingest", "raw_gate", "build", "marts_gate", "publish", "export")


def crash_point(step: str) -> None:
    if os.environ.get(CRASH_ENV) == step:
        os.kill(os.getpid(), signal.SIGKILL)
