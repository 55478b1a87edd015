"""A forked worker for `paperhouse run`: it ingests, imports Great Expectations, and runs the gates.

Importing Great Expectations costs seconds in every fresh process, more than a day's validation
itself, and importing dbt and parsing the project costs seconds more. So `run` forks this worker
first thing and gives it the ingest; once idle, the worker imports Great Expectations. Meanwhile
the run imports dbt and parses the project on the other core, then builds while the worker runs
the raw gate, and exports the staged build while the worker runs the marts gate (one Great
Expectations context for both gates). A build or export is used only once the gate passed it.

The worker is forked, not spawned: it shares the run's writer lock (the locked file and the
record that this run holds it) and the run's settings, patches and environment. It is forked
before the run opens DuckDB or uses Arrow's thread pools, so no other thread's lock is copied
held. It dies with the run (PR_SET_PDEATHSIG), so a killed run never leaves a worker holding
the lock, and a crash point it reaches kills the run too. Without fork (or with
PAPERHOUSE_GATE_WORKER=0) every call runs in-process, in order.
"""
from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from typing import Any

from paperhouse import faults
from paperhouse.errors import PaperhouseError
from paperhouse.settings import Settings

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1  # linux/prctl.h
# A call for the worker: (function, args, kwargs).
Call = tuple[Callable[..., Any], tuple, dict]


class Pending:
    """A call started on a worker; `result()` waits for it and returns or raises what it did."""

    def __init__(self, receive: Callable[[], Any]):
        self._receive = receive

    def result(self) -> Any:
        return self._receive()


class InProcess:
    """The gates in the calling process: a call runs when started."""

    concurrent = False  # a started call is done before the caller goes on

    def __init__(self, first: Call | None = None) -> None:
        self.first = self.start(first[0], *first[1], **first[2]) if first else None

    def start(self, function: Callable, *args: Any, **kwargs: Any) -> Pending:
        try:
            value = function(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - given back where the caller waits, as if called there
            error = exc

            def reraise():
                raise error
            return Pending(reraise)
        return Pending(lambda: value)

    def close(self) -> None:
        pass


def _die_with_parent(parent_pid: int) -> None:
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the run died before the line above took effect
        os._exit(1)


def _import_gx() -> None:
    from paperhouse.quality.results import import_gx

    import_gx()


def _serve(connection, parent_pid: int, warm_up: Callable[[], Any] | None, first_call: bool) -> None:
    """The worker: run each call it is sent, in order, and warm up (import Great Expectations) the
    first time it is idle; with `first_call`, a call is on its way and is served before that."""
    _die_with_parent(parent_pid)
    faults.in_worker_of(parent_pid)
    warm = warm_up is None
    while True:
        if not warm and not first_call and not connection.poll():
            warm_up()
            warm = True
        first_call = False
        try:
            request = connection.recv()
        except EOFError:
            return
        if request is None:
            return
        function, args, kwargs = request
        try:
            reply = ("value", function(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the run
            reply = ("error", exc)
        try:
            connection.send(reply)
        except Exception as exc:  # noqa: BLE001 - an unpicklable answer still gets an answer
            connection.send(("error", PaperhouseError(f"gate worker: cannot send the result back: {exc}")))


class ForkedWorker:
    """One forked process running the calls it is given, in order."""

    concurrent = True  # the caller goes on while a started call runs

    def __init__(self, warm_up: Callable[[], Any] | None = _import_gx, first: Call | None = None) -> None:
        context = multiprocessing.get_context("fork")
        self._connection, child_end = context.Pipe()
        self._process = context.Process(target=_serve, args=(child_end, os.getpid(), warm_up, first is not None),
                                         daemon=True, name="paperhouse-gates")
        self._process.start()
        child_end.close()
        self._busy = False
        self.first = self.start(first[0], *first[1], **first[2]) if first else None

    def start(self, function: Callable, *args: Any, **kwargs: Any) -> Pending:
        if self._busy:
            raise RuntimeError("gate worker: one call at a time")
        self._connection.send((function, args, kwargs))
        self._busy = True
        return Pending(self._receive)

    def _receive(self) -> Any:
        try:
            kind, payload = self._connection.recv()
        except EOFError:
            self._process.join(timeout=5)
            raise PaperhouseError(f"gate worker (pid {self._process.pid}) died with exit code "
                                  f"{self._process.exitcode} before answering") from None
        finally:
            self._busy = False
        if kind == "error":
            raise payload
        return payload

    def close(self) -> None:
        """Stop the worker: at once if it is still importing or idle (nothing of the run waits on it)."""
        with contextlib.suppress(OSError):
            self._connection.close()
        if self._process.is_alive():
            self._process.kill()
        self._process.join()


def fork_available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


@contextlib.contextmanager
def gate_worker(settings: Settings, first: Call | None = None) -> Iterator[ForkedWorker | InProcess]:
    """The worker the run's gates go to: forked when the settings allow and the platform can.
    `first`: a call it runs before warming up (the run's ingest); its Pending is `worker.first`."""
    worker = ForkedWorker(first=first) if settings.gate_worker and fork_available() else InProcess(first=first)
    try:
        yield worker
    finally:
        worker.close()
