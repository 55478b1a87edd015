"""One writer at a time per data root, across processes (CLI, DAG tasks, tests).

Airflow's pool serialises tasks inside one deployment; this lock also covers a person running the
CLI beside the scheduler. The lock is an flock on a file, so it is released if the process dies.
The holder writes its pid and start time into the file, so a writer that has to wait says for whom.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import logging
import os
import time
from collections.abc import Iterator

from paperhouse.errors import PaperhouseError
from paperhouse.settings import Settings

log = logging.getLogger(__name__)

_held: dict[str, int] = {}  # lock path -> nesting depth in this process (flock is not re-entrant)


def _holder(handle) -> str:
    """Who holds the lock, as its holder wrote it ("pid 123 since 2026-...Z"), or "another writer"."""
    try:
        handle.seek(0)
        text = handle.read(200).strip()
    except OSError:
        text = ""
    return text or "another writer"


def _announce(handle) -> None:
    handle.seek(0)
    handle.truncate()
    since = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    handle.write(f"pid {os.getpid()} since {since}\n")
    handle.flush()


@contextlib.contextmanager
def writer_lock(settings: Settings, timeout_s: float = 600.0) -> Iterator[None]:
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    path = settings.state_dir / "writer.lock"
    key = str(path)
    if _held.get(key):
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    with open(path, "a+") as handle:
        deadline = time.monotonic() + timeout_s
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise PaperhouseError(f"{path}: {_holder(handle)} holds the writer lock (waited {timeout_s:.0f} s)") from None
                if not told:
                    # A warning, so a person at the terminal sees it with the default quiet logging.
                    log.warning("waiting for the paperhouse run holding %s (%s)", path, _holder(handle))
                    told = True
                time.sleep(0.2)
        _announce(handle)
        _held[key] = 1
        try:
            yield
        finally:
            _held.pop(key, None)
            with contextlib.suppress(OSError):
                handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)
