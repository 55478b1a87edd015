"""Fixtures of the BI tests: a real export built from a synthetic feed, the system Chromium driven by
Playwright, and the bi/ environment (Superset 6.1, its own lock). Chromium and the bi environment
are installed here when missing, as on a fresh machine (`apt-get install chromium`, `make bi-setup`)."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
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
    result = subprocess.run([str(REPO_ROOT / "scripts" / "uv"), "sync", "--frozen", "--quiet", "--project", str(BI_DIR)],
                            cwd=BI_DIR, capture_output=True, text=True)
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
def exported(tmp_path_factory) -> Settings:
    """A published warehouse and its export, from an eight-day synthetic feed run through the pipeline."""
    home = tmp_path_factory.mktemp("bi-home")
    settings = Settings.from_env({"PAPERHOUSE_HOME": str(home)})
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
