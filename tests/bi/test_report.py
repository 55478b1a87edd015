"""`paperhouse report` and the report written into each export, rendered by headless Chromium."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import duckdb
import pytest

from paperhouse import embedded, report
from paperhouse.export import latest_export
from paperhouse.report import REPORT_FILE, write_report

from .conftest import REPO_ROOT, paperhouse_query

pytestmark = [pytest.mark.bi, pytest.mark.slow]

# For each chart card: how many drawn marks (bars, lines, points: paths in a plotly trace) its SVG holds.
COUNT_MARKS_JS = """() => [...document.querySelectorAll('.card.chart')].map(card => ({
    title: card.querySelector('.gtitle') ? card.querySelector('.gtitle').textContent : '',
    svgs: card.querySelectorAll('svg.main-svg').length,
    marks: [...card.querySelectorAll('svg .trace path')].filter(p => (p.getAttribute('d') || '').length > 4).length,
}))"""


def open_report(browser, path):
    """Load the page with every network request refused; returns (page, console errors, requests)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors, requests = [], []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    def refuse(route):
        requests.append(route.request.url)
        route.abort()

    page.route("http*://**/*", refuse)
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_function("document.querySelectorAll('.card.chart svg.main-svg').length > 0")
    return page, errors, requests


def test_each_export_has_a_report_that_renders_with_the_warehouse_numbers(exported, browser, tmp_path):
    latest = exported.exports_dir / "latest"
    dated = latest.resolve()
    assert (dated / REPORT_FILE).is_file() and (latest / REPORT_FILE).read_bytes() == (dated / REPORT_FILE).read_bytes()

    page, errors, requests = open_report(browser, dated / REPORT_FILE)
    try:
        charts = page.evaluate(COUNT_MARKS_JS)
        titles = [c["title"] for c in charts]
        assert titles[:4] == ["Papers per day: new and returning", "Share of papers with code",
                              "Claims by kind per day", "Most-linked repositories (papers linking each)"]
        assert all(c["svgs"] >= 1 and c["marks"] >= 1 for c in charts), charts
        assert errors == [] and requests == []

        (day,) = paperhouse_query(exported, "select snapshot_date, papers, new_papers, claims from agg_daily_feed "
                                            "order by snapshot_date desc limit 1")
        assert page.locator("#kpi-papers").inner_text() == str(day["papers"])
        assert page.locator("#kpi-new-papers").inner_text() == str(day["new_papers"])
        assert page.locator("#kpi-claims").inner_text() == str(day["claims"])
        (totals,) = paperhouse_query(exported, "select count(*) as n from dim_papers")
        assert page.locator("#kpi-total-papers").inner_text() == str(totals["n"])

        # The week's largest gain: the same rows `paperhouse query` gives for the report's statement.
        week_start = dt.date.fromisoformat(day["snapshot_date"]) - dt.timedelta(days=report.WEEK_DAYS - 1)
        sql = (report.TOP_CLAIMS_SQL.format(limit=report.TOP_N)
               .replace("$kind", "'gain'").replace("$since", f"DATE '{week_start}'"))
        expected = [(r["title"], r["text"]) for r in paperhouse_query(exported, sql)]
        table = page.locator(".card", has_text=f"Largest percentage gains claimed, {week_start} to").locator("table.claims tr")
        shown = [(row.locator("td").nth(0).inner_text(), row.locator("td").nth(1).inner_text())
                 for row in table.all()[1:]]
        assert expected and shown == expected
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    finally:
        page.close()


def test_report_command_writes_the_page_and_fails_in_one_line_without_a_warehouse(exported, tmp_path):
    out = tmp_path / "digest.html"
    env = {"PAPERHOUSE_HOME": str(exported.home), "PATH": str(REPO_ROOT / ".venv" / "bin")}
    done = subprocess.run(["paperhouse", "report", "--out", str(out)], capture_output=True, text=True, env=env)
    assert done.returncode == 0 and done.stderr.strip() == f"report: {out}"
    page = out.read_text(encoding="utf-8")
    assert "<script src=" not in page and "<link " not in page  # nothing fetched: plotly.js is inline
    assert 'id="kpi-papers"' in page

    env["PAPERHOUSE_HOME"] = str(tmp_path / "empty")
    failed = subprocess.run(["paperhouse", "report"], capture_output=True, text=True, env=env)
    assert failed.returncode == 1
    assert failed.stderr.count("\n") == 1 and "no warehouse here yet" in failed.stderr


def test_keywords_and_organizations_appear_when_the_warehouse_has_them(exported, browser, tmp_path):
    # The synthetic feed has API days, so the published warehouse holds keywords and organizations.
    from paperhouse.report import TOP_N

    with duckdb.connect(str(exported.warehouse_path), read_only=True) as con:
        keywords = con.execute("select count(distinct keyword) from bridge_paper_keywords").fetchone()[0]
        organizations = con.execute("select count(*) from dim_organizations").fetchone()[0]
    assert keywords > 0 and organizations > 0
    page, errors, requests = open_report(browser, exported.exports_dir / "latest" / REPORT_FILE)
    try:
        charts = {c["title"]: c for c in page.evaluate(COUNT_MARKS_JS)}
        assert charts["Top keywords (papers tagged)"]["marks"] == min(keywords, TOP_N)
        assert charts["Top organizations (papers)"]["marks"] == min(organizations, TOP_N)
        assert errors == [] and requests == []
    finally:
        page.close()

    # An older warehouse without those marts: the sections are simply absent, nothing fails.
    older = tmp_path / "older.duckdb"
    shutil.copyfile(exported.warehouse_path, older)
    with duckdb.connect(str(older)) as con:
        con.execute("DROP TABLE bridge_paper_keywords")
        con.execute("DROP TABLE dim_organizations")
    page_text = write_report(older, tmp_path / "older.html").read_text(encoding="utf-8")
    assert "Top keywords" not in page_text and "Top organizations" not in page_text
    assert 'id="kpi-papers"' in page_text


def test_make_run_ends_with_the_reports_path(exported):
    lines = []
    embedded._echo_report_path(exported, lines.append)
    assert lines == [f"report:    {latest_export(exported) / REPORT_FILE}"]
