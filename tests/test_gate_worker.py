"""The gate worker: a process forked by `paperhouse run` that imports Great Expectations while the
run ingests and parses dbt, then runs the gates under the run's writer lock."""
from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from paperhouse.errors import BuildFailed, FeedError, GateFailed, PaperhouseError
from paperhouse.gate_worker import ForkedWorker, InProcess, gate_worker
from paperhouse.locking import writer_lock
from paperhouse.settings import Settings


def _pid() -> int:
    return os.getpid()


def _add(a: int, b: int = 0) -> int:
    return a + b


def _fail_gate(report_path: str) -> None:
    raise GateFailed("raw gate failed for 2026-03-05: empty_title: 3 of 30 rows", Path(report_path),
                     warnings=["raw gate warning for 2026-03-04: entry_count"])


def _exit_hard() -> None:
    os._exit(7)


def _take_writer_lock(home: str) -> str:
    # Waits at most a second: the lock is held by the run that forked this worker.
    with writer_lock(Settings.from_env({"PAPERHOUSE_HOME": home}), timeout_s=1.0):
        return "locked"


def _gx_imported() -> bool:
    return "great_expectations" in sys.modules


@pytest.fixture
def worker():
    forked = ForkedWorker(warm_up=None)  # Great Expectations' import is left out where it is not the point
    yield forked
    forked.close()


def test_the_worker_imports_great_expectations_the_run_does_not(tmp_path):
    settings = Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path)})
    before = _gx_imported()
    with gate_worker(settings) as gates:
        time.sleep(0.5)  # the worker warms up once idle
        deadline = time.monotonic() + 120
        while not gates.start(_gx_imported).result() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert gates.start(_gx_imported).result() is True
    assert _gx_imported() is before


def test_calls_run_in_another_process_in_order(worker):
    assert worker.start(_pid).result() != os.getpid()
    assert worker.start(_add, 2, b=3).result() == 5
    assert worker.start(_add, 4).result() == 4


def test_an_error_in_the_worker_is_raised_in_the_run_whole(worker, tmp_path):
    with pytest.raises(GateFailed) as raised:
        worker.start(_fail_gate, str(tmp_path / "run.json")).result()
    assert str(raised.value) == "raw gate failed for 2026-03-05: empty_title: 3 of 30 rows"
    assert raised.value.report_path == tmp_path / "run.json"
    assert raised.value.warnings == ["raw gate warning for 2026-03-04: entry_count"]
    assert worker.start(_add, 1, 1).result() == 2  # the worker goes on after a failed call


def test_a_worker_that_dies_is_an_error_naming_it(worker):
    with pytest.raises(PaperhouseError, match=r"gate worker \(pid \d+\) died with exit code 7"):
        worker.start(_exit_hard).result()


def test_the_worker_works_under_the_writer_lock_the_run_holds(tmp_path):
    settings = Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path)})
    with writer_lock(settings):
        gates = ForkedWorker(warm_up=None)
        assert gates.start(_take_writer_lock, str(tmp_path)).result() == "locked"
        gates.close()
    # Without the run's lock the same call in a fresh process would have to wait: the lock is real.
    with writer_lock(settings):
        probe = subprocess.run(
            [sys.executable, "-c", f"from {__name__.rpartition('.')[2]} import _take_writer_lock; "
                                   f"_take_writer_lock({str(tmp_path)!r})"],
            cwd=Path(__file__).parent, capture_output=True, text=True)
    assert probe.returncode != 0 and "holds the writer lock" in probe.stderr


def test_a_killed_run_takes_its_worker_with_it(tmp_path):
    script = textwrap.dedent("""
        import os, signal, sys
        from paperhouse.gate_worker import ForkedWorker
        worker = ForkedWorker(warm_up=None)
        print(worker.start(os.getpid).result(), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == -9
    worker_pid = int(run.stdout.strip())
    deadline = time.monotonic() + 30
    while _alive(worker_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(worker_pid), f"worker {worker_pid} outlived the killed run"


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except FileNotFoundError:
        return False
    return state != "Z"


def _mark(path: str) -> None:
    Path(path).write_text("warm")


def _exists(path: str) -> bool:
    return Path(path).exists()


def test_a_first_call_is_served_before_the_warm_up_which_comes_when_idle(tmp_path):
    marker = tmp_path / "warmed"
    worker = ForkedWorker(warm_up=lambda: _mark(str(marker)), first=(_exists, (str(marker),), {}))
    try:
        assert worker.first.result() is False  # the run's ingest does not wait for the import
        deadline = time.monotonic() + 30
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), "the worker did not warm up once idle"
        assert worker.start(_exists, str(marker)).result() is True
    finally:
        worker.close()


def test_a_crash_point_in_the_worker_kills_the_run(tmp_path):
    script = textwrap.dedent("""
        import os
        from paperhouse.faults import crash_point
        from paperhouse.gate_worker import ForkedWorker
        os.environ["PAPERHOUSE_CRASH_AT"] = "ingest"
        worker = ForkedWorker(warm_up=None, first=(crash_point, ("ingest",), {}))
        worker.first.result()
        print("the run went on", flush=True)
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == -9 and "went on" not in run.stdout, run.stderr


def test_in_process_when_the_settings_say_so(tmp_path):
    settings = Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path), "PAPERHOUSE_GATE_WORKER": "0"})
    assert settings.gate_worker is False
    with gate_worker(settings) as gates:
        assert isinstance(gates, InProcess) and not gates.concurrent
        assert gates.start(_pid).result() == os.getpid()
    with gate_worker(settings, first=(_add, (2,), {"b": 3})) as gates:
        assert gates.first.result() == 5
        with pytest.raises(GateFailed):
            gates.start(_fail_gate, str(tmp_path / "run.json")).result()


@pytest.mark.parametrize("error", [
    FeedError("/feed/2026-03-05.txt", "no entries", line=3),
    GateFailed("marts gate failed", Path("/q/run.json"), ["a warning"]),
    BuildFailed("dbt build failed", ["test.paperhouse.unique_x"]),
    PaperhouseError("plain"),
])
def test_errors_cross_processes_with_their_attributes(error):
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error) and str(copy) == str(error)
    assert copy.__dict__ == error.__dict__
