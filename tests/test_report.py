"""report.py without a browser: what it does with a warehouse that lacks the marts it reads.
(The page in headless Chromium, on a real export, is in tests/bi/test_report.py.)"""
from __future__ import annotations

import duckdb
import pytest

from paperhouse.errors import PaperhouseError
from paperhouse.report import write_report


def test_a_warehouse_without_the_daily_mart_gets_a_page_saying_so(tmp_path):
    warehouse = tmp_path / "old.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("CREATE TABLE agg_daily_feed AS SELECT DATE '2026-01-01' AS snapshot_date, 3 AS papers")
    out = write_report(warehouse, tmp_path / "report.html")
    page = out.read_text(encoding="utf-8")
    assert 'id="missing"' in page and "new_papers" in page
    assert "<script" not in page  # no charts, so no plotly either


def test_an_unreadable_warehouse_is_one_error_and_no_file(tmp_path):
    warehouse = tmp_path / "broken.duckdb"
    warehouse.write_bytes(b"not a duckdb file")
    with pytest.raises(PaperhouseError, match="broken.duckdb: cannot open read-only"):
        write_report(warehouse, tmp_path / "out" / "report.html")
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []
