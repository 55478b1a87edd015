"""Fixtures of the warehouse tests; the synthetic lake days are in lake_days.py."""
from __future__ import annotations

from pathlib import Path

import pytest

from paperhouse.settings import Settings


@pytest.fixture
def wh_settings(tmp_path: Path) -> Settings:
    return Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path / "home")})
