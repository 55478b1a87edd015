"""The Superset dashboard provisioned from bi/ (bundle, config, provision.py) over a real export:
each chart's data through Superset's API equals `paperhouse query`, and the dashboard renders in
headless Chromium with no chart in error."""
from __future__ import annotations

import datetime as dt
import json
import os
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import SUPERSET_USER, paperhouse_query

pytestmark = [pytest.mark.bi, pytest.mark.slow]

SLUG = "paperhouse"
STARTUP_TIMEOUT_S = 600  # after the export: importing the dashboard and starting to serve
SCREENSHOT_DIR_ENV = "PAPERHOUSE_SCREENSHOT_DIR"  # set to docs/ to refresh docs/dashboard.png


def call(base: str, method: str, path: str, token: str | None = None, body: dict | None = None) -> dict:
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body else None,
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.load(response)
    except urllib.error.HTTPError as exc:
        raise AssertionError(f"{method} {path}: {exc.code} {exc.read()[:2000]!r}") from None


@pytest.fixture(scope="module")
def superset(superset_process, exported):
    """Superset provisioned from scratch over the export, answering: (base url, user, password)."""
    server, base, password, log_path = superset_process
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while True:
        assert server.poll() is None, f"provisioning failed: {log_path.read_text()[-3000:]}"
        try:
            with urllib.request.urlopen(base + "/health", timeout=5) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        assert time.monotonic() < deadline, f"Superset did not answer in {STARTUP_TIMEOUT_S} s"
        time.sleep(1)
    return base, SUPERSET_USER, password


def query_context(form_data: dict) -> dict:
    """The query a chart runs, built from its saved form data (as the frontend's buildQuery does)."""
    datasource_id, datasource_type = form_data["datasource"].split("__")
    if form_data["viz_type"] == "table":
        query = {"columns": form_data["all_columns"], "metrics": None,
                 "orderby": [json.loads(order) for order in form_data["order_by_cols"]],
                 "row_limit": form_data["row_limit"]}
    else:
        axis = {"columnType": "BASE_AXIS", "expressionType": "SQL", "sqlExpression": form_data["x_axis"],
                "label": form_data["x_axis"], "timeGrain": form_data["time_grain_sqla"]}
        query = {"columns": [axis, *form_data["groupby"]], "metrics": form_data["metrics"],
                 "orderby": [[form_data["x_axis"], True], *[[column, True] for column in form_data["groupby"]]],
                 "row_limit": form_data["row_limit"]}
    query.update(filters=[], time_range="No filter", extras={"having": "", "where": ""})
    return {"datasource": {"id": int(datasource_id), "type": datasource_type}, "force": True,
            "queries": [query], "form_data": form_data, "result_format": "json", "result_type": "full"}


def day(value) -> str:
    """A temporal value as Superset's JSON gives it (epoch milliseconds) or as a date string."""
    if isinstance(value, (int, float)):
        return dt.datetime.fromtimestamp(value / 1000, dt.timezone.utc).date().isoformat()
    return str(value)[:10]


# Each chart's rows as `paperhouse query` computes them, and how to read Superset's rows the same way.
EXPECTED = {
    "Papers per day, new and returning": (
        "select snapshot_date, new_papers as new, returning_papers as returning from agg_daily_feed order by 1",
        lambda r: (day(r["snapshot_date"]), r["new"], r["returning"])),
    "Share of papers with code": (
        "select snapshot_date, papers_with_code / papers as \"share with code\" from agg_daily_feed order by 1",
        lambda r: (day(r["snapshot_date"]), round(r["share with code"], 9))),
    "Claims by kind per day": (
        "select snapshot_date, kind, count(*) as claims from fct_claims group by all order by 1, 2",
        lambda r: (day(r["snapshot_date"]), r["kind"], r["claims"])),
    "Largest percentage claims": (
        """select p.title, c.kind, c.text, c.metric, c.snapshot_date, c.value from fct_claims c join dim_papers p using (paper_id)
           where c.kind in ('gain', 'reduction') and c.unit = 'percent'
           qualify row_number() over (partition by c.paper_id, c.kind order by c.value desc, c.snapshot_date desc, c.text) = 1
           order by c.value desc, p.title limit 20""",
        lambda r: (r["title"], r["kind"], r["text"], r["metric"], day(r["snapshot_date"]))),
    "Most-linked repositories": (
        "select repo_id, kind, paper_count, github_stars from dim_repos order by paper_count desc, repo_id limit 10",
        lambda r: (r["repo_id"], r["kind"], r["paper_count"], r["github_stars"])),
}


def test_every_chart_answers_the_same_rows_as_paperhouse_query(superset, exported):
    base, user, password = superset
    token = call(base, "POST", "/api/v1/security/login",
                 body={"username": user, "password": password, "provider": "db", "refresh": False})["access_token"]
    charts = call(base, "GET", f"/api/v1/dashboard/{SLUG}/charts", token)["result"]
    assert sorted(c["slice_name"] for c in charts) == sorted(EXPECTED)
    for chart in charts:
        sql, normalise = EXPECTED[chart["slice_name"]]
        (result,) = call(base, "POST", "/api/v1/chart/data", token, query_context(chart["form_data"]))["result"]
        assert result.get("error") is None, (chart["slice_name"], result.get("error"))
        got = [normalise(row) for row in result["data"]]
        expected = [normalise(row) for row in paperhouse_query(exported, sql)]
        assert got and got == expected, chart["slice_name"]


def test_dashboard_renders_every_chart_without_errors(superset, browser, tmp_path):
    base, user, password = superset
    page = browser.new_page(viewport={"width": 1400, "height": 1200})
    try:
        page.goto(f"{base}/login/")
        page.fill("input[name=username], #username", user)
        page.fill("input[name=password], #password", password)
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url: "/login" not in url, timeout=60_000)
        page.goto(f"{base}/superset/dashboard/{SLUG}/?standalone=1")
        page.wait_for_function(
            """() => document.querySelectorAll('.dashboard-component-chart-holder').length === 5
                     && document.querySelectorAll('.dashboard-component-chart-holder .loading').length === 0
                     && [...document.querySelectorAll('.dashboard-component-chart-holder')].every(
                          h => h.querySelector('canvas, svg, table, [role=alert], .alert'))""",
            timeout=180_000)
        page.wait_for_timeout(1500)  # echarts animates its marks in
        holders = page.locator(".dashboard-component-chart-holder")
        errors = page.locator(".dashboard-component-chart-holder [role=alert], "
                              ".dashboard-component-chart-holder .alert-danger, "
                              ".dashboard-component-chart-holder [data-test=error-message]")
        assert errors.count() == 0, errors.all_inner_texts()
        drawn = [h.locator("canvas, table tbody tr").count() for h in holders.all()]
        assert all(count > 0 for count in drawn), drawn
        shot = Path(os.environ.get(SCREENSHOT_DIR_ENV) or tmp_path) / "dashboard.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
    finally:
        page.close()
