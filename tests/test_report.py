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


def test_the_charts_are_the_figures_plotly_makes_of_them():
    """The charts are written as plain dicts, unvalidated; plotly must read each one back unchanged."""
    import datetime as dt

    import plotly.graph_objects as go

    from paperhouse import report

    days = [dt.date(2026, 1, 1), dt.date(2026, 1, 2)]
    daily = [{"snapshot_date": day, "new_papers": 3 + i, "returning_papers": i, "share_with_code": 0.25 * i}
             for i, day in enumerate(days)]
    claims = [{"snapshot_date": days[0], "kind": "score", "claims": 2}, {"snapshot_date": days[1], "kind": "gain", "claims": 1},
              {"snapshot_date": days[1], "kind": "other", "claims": 4}]
    figures = [report.papers_per_day_figure(daily), report.share_with_code_figure(daily),
               report.claims_by_kind_figure(claims), report.bar_figure(["org/repo", "other/repo"], [5, 2], "papers")]
    for data, layout in figures:
        figure = {"data": data, "layout": report.chart_layout(layout, "A title")}
        assert go.Figure(figure).to_dict() == figure  # raises on any property plotly does not know
    assert report.chart_layout({}, "x")["template"] == go.Figure(layout={"template": "plotly_white"}).to_dict()["layout"]["template"]
    assert [trace["name"] for trace in figures[2][0]] == ["gain", "score", "other"]
    assert figures[2][0][1]["y"] == [2, 0]  # a day without a kind's claims counts 0
