"""One writer at a time per data root, across processes (CLI, DAG tasks, tests).

Airflow's pool serialises tasks inside one deployment; this lock also covers a person running the
CLI beside the scheduler. The lock is an flock on a file, so it is released if the process dies.
"""
from __future__ import annotations

import contextlib
import fcntl
import time
from collections.abc import Iterator

from paperhouse.errors import PaperhouseError
from paperhouse.settings import Settings


_held: dict[str, int] = {}  # lock path -> nesting depth in this process (flock is not re-entrant)


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
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise PaperhouseError(f"{path}: another paperhouse writer holds the lock (waited {timeout_s:.0f} s)") from None
                time.sleep(0.2)
        _held[key] = 1
        try:
            yield
        finally:
            _held.pop(key, None)
            fcntl.flock(handle, fcntl.LOCK_UN)
