"""Fixtures of the BI tests: a real export built from a synthetic feed, the system Chromium driven by
Playwright, and Superset provisioned from scratch by bi/provision.py in the bi/ environment (Superset
6.1, its own lock). Chromium and the bi environment are installed here when missing, as on a fresh
machine (`apt-get install chromium`, `make bi-setup`).

Superset's provisioning (imports, metadata migrations, permissions: about a minute of one core) does
not need the warehouse until the dashboard import, so when the session runs a test that uses it, it
starts before the pipeline builds the export and the two run side by side."""
from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from paperhouse import pipeline
from paperhouse.settings import Settings
from paperhouse.synth import write_feed

REPO_ROOT = Path(__file__).resolve().parents[2]
BI_DIR = REPO_ROOT / "bi"
BI_PYTHON = BI_DIR / ".venv" / "bin" / "python"
CHROMIUM = Path("/usr/bin/chromium")
FEED_DAYS = 8
PAPERS_PER_DAY = 30
SUPERSET_USER = "analyst"
WAREHOUSE_WAIT_S = 900  # how long provisioning waits for the pipeline's first export


def ensure_chromium() -> Path:
    """Debian's chromium, installed with apt-get when missing (the tests run as root on CI)."""
    if not CHROMIUM.exists():
        # The team stack may be installing Postgres at the same moment (pytest-xdist): our apt calls
        # take turns on one lock file (scripts/team.py uses the same), and wait for anyone else's.
        apt = ["flock", "/var/lock/paperhouse-apt", "apt-get", "-o", "DPkg::Lock::Timeout=600"]
        subprocess.run(apt + ["update", "-qq"], check=True, capture_output=True)
        result = subprocess.run(apt + ["install", "-y", "-qq", "chromium", "fonts-liberation"],
                                capture_output=True, text=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        assert result.returncode == 0, f"apt-get install chromium failed: {result.stderr[-2000:]}"
    return CHROMIUM


def ensure_bi_environment() -> Path:
    """bi/.venv from bi/uv.lock (what `make bi-setup` does)."""
    result = subprocess.run([str(REPO_ROOT / "scripts" / "uv"), "sync", "--frozen", "--quiet", "--compile-bytecode",
                             "--project", str(BI_DIR)], cwd=BI_DIR, capture_output=True, text=True)
    assert result.returncode == 0, f"uv sync of bi/ failed: {result.stderr[-2000:]}"
    return BI_PYTHON


@pytest.fixture(scope="session")
def chromium() -> Path:
    return ensure_chromium()


# Package scope: Playwright's sync API keeps an event loop running in this thread while it is open,
# and later tests (asyncio.run in the alert callbacks) need the thread free of it.
@pytest.fixture(scope="package")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def paperhouse_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("bi-home")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def superset_process(paperhouse_home, tmp_path_factory):
    """`bi/provision.py up --serve` from scratch on a free port, started at once: it migrates and
    waits for the export, then imports the dashboard and serves. Yields (process, base url,
    password, log path); test_superset waits for it to answer."""
    python = ensure_bi_environment()
    bi_home = tmp_path_factory.mktemp("superset-home")
    password = secrets.token_urlsafe(12)
    port = free_port()
    env = {**os.environ, "PAPERHOUSE_HOME": str(paperhouse_home), "PAPERHOUSE_BI_HOME": str(bi_home),
           "SUPERSET_ADMIN_USERNAME": SUPERSET_USER, "SUPERSET_ADMIN_PASSWORD": password,
           "PYTHONWARNINGS": "ignore", "PAPERHOUSE_BI_TIMINGS": "1"}
    log_path = bi_home / "superset.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen([str(python), str(BI_DIR / "provision.py"), "up", "--serve", "--port", str(port),
                                   "--wait-for-warehouse", str(WAREHOUSE_WAIT_S)],
                                  env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield server, f"http://127.0.0.1:{port}", password, log_path
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
def exported(paperhouse_home, request) -> Settings:
    """A published warehouse and its export, from an eight-day synthetic feed run through the pipeline."""
    if any("superset_process" in item.fixturenames for item in request.session.items):
        request.getfixturevalue("superset_process")  # provisions meanwhile (see the module docstring)
    settings = Settings.from_env({"PAPERHOUSE_HOME": str(paperhouse_home)})
    write_feed(settings.feed_dir, days=FEED_DAYS, papers_per_day=PAPERS_PER_DAY, start=dt.date(2026, 3, 1))
    report = pipeline.run(settings)
    assert report.ok and report.exported, report.summary()
    return settings


def paperhouse_query(settings: Settings, sql: str) -> list[dict]:
    """Rows as `paperhouse query --format json` prints them (the CLI, in its own process)."""
    env = {**os.environ, "PAPERHOUSE_HOME": str(settings.home)}
    result = subprocess.run([shutil.which("paperhouse") or str(REPO_ROOT / ".venv" / "bin" / "paperhouse"),
                             "query", "--format", "json", sql], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]
