"""The daily digest: one self-contained HTML page (charts and tables) over a published warehouse.

`write_report(warehouse, out)` reads the warehouse read-only (the same access as `paperhouse query`),
draws the charts with plotly (its JavaScript inlined once, so the page fetches nothing from the
network) and writes the page atomically. The export writes one next to each export; `paperhouse
report` writes one anywhere.

Every number on the page comes from one of the SQL statements below, so a test (or an analyst) can
run the same statement through `paperhouse query` and get the same answer. Sections whose tables
are missing (an older warehouse, or a feed without the API's keywords and organizations) are left
out rather than failing the page.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import os
import pkgutil
import uuid
from pathlib import Path

import duckdb
import jinja2
import plotly.io
import plotly.offline

from paperhouse.errors import PaperhouseError
from paperhouse.warehouse import connect_readonly

REPORT_FILE = "report.html"
TOP_N = 10
WEEK_DAYS = 7
CHART_TEMPLATE = "plotly_white"
CHART_COLORS = {"new": "#2a6f97", "returning": "#a9d6e5", "code": "#2a9d8f"}
KIND_ORDER = ("gain", "reduction", "score", "share", "finding")

# The columns each section reads; a section whose columns are missing is left out.
DAILY_COLUMNS = ("snapshot_date", "papers", "new_papers", "returning_papers", "papers_with_code",
                 "share_with_code", "claims")
CLAIM_COLUMNS = ("paper_id", "snapshot_date", "kind", "unit", "value", "text", "metric")
REPO_COLUMNS = ("repo_id", "url", "kind", "paper_count", "github_stars")

# The headline numbers: the latest day of the feed.
LATEST_DAY_SQL = """
select snapshot_date, papers, new_papers, returning_papers, papers_with_code, share_with_code, claims
from agg_daily_feed order by snapshot_date desc limit 1"""
TOTALS_SQL = """
select (select count(*) from dim_papers) as papers, (select count(*) from dim_repos) as repos,
       (select count(*) from fct_claims) as claims"""
DAILY_FEED_SQL = """
select snapshot_date, papers, new_papers, returning_papers, papers_with_code, share_with_code
from agg_daily_feed order by snapshot_date"""
CLAIMS_BY_KIND_SQL = """
select snapshot_date, kind, count(*) as claims
from fct_claims group by snapshot_date, kind order by snapshot_date, kind"""
# The largest percentage claims of one kind since a day, one row per paper (its largest claim;
# claims repeat on every day a paper is on the feed), with a link to the paper's code when it has some.
# The claims are picked first, so only their papers' code links are looked up.
TOP_CLAIMS_SQL = """
with best as (
    select paper_id, snapshot_date, text, metric, value
    from fct_claims
    where kind = $kind and unit = 'percent' and snapshot_date >= $since
    qualify row_number() over (partition by paper_id order by value desc, snapshot_date desc, text) = 1
), code_links as (
    select b.paper_id, arg_min(r.url, (case when r.kind = 'code' then 0 else 1 end, r.url)) as code_url
    from bridge_paper_repos b join dim_repos r using (repo_id)
    where b.paper_id in (select paper_id from best)
    group by b.paper_id
)
select c.snapshot_date, p.title, c.text, c.metric, c.value, l.code_url
from best c join dim_papers p using (paper_id) left join code_links l using (paper_id)
order by c.value desc, p.title limit {limit}"""
TOP_REPOS_SQL = """
select repo_id, url, kind, paper_count, github_stars
from dim_repos order by paper_count desc, repo_id limit {limit}"""
TOP_KEYWORDS_SQL = """
select keyword, count(distinct paper_id) as papers
from bridge_paper_keywords group by keyword order by papers desc, keyword limit {limit}"""
TOP_ORGANIZATIONS_SQL = """
select coalesce(fullname, name, organization_id) as organization, paper_count
from dim_organizations order by paper_count desc, organization limit {limit}"""


@dataclasses.dataclass
class Chart:
    title: str
    html: str


@dataclasses.dataclass
class Table:
    title: str
    rows: list[dict]
    empty: str = "nothing in this period"


def write_report(warehouse: Path, out: Path) -> Path:
    """Render the digest of `warehouse` into `out` (written whole or not at all); returns `out`."""
    with connect_readonly(warehouse) as con:
        try:
            page = render_report(con, source=Path(warehouse))
        except duckdb.Error as exc:
            raise PaperhouseError(f"{warehouse}: cannot build the report: {str(exc).splitlines()[0]}") from None
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.{uuid.uuid4().hex}.tmp")
    try:
        partial.write_text(page, encoding="utf-8")
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return out


def render_report(con: duckdb.DuckDBPyConnection, source: Path) -> str:
    columns = _table_columns(con)

    def has(table: str, *names: str) -> bool:
        return table in columns and set(names) <= columns[table]

    latest, totals, daily = None, None, []
    charts: list[Chart] = []
    claim_tables: list[Table] = []
    other_tables: list[Table] = []
    if has("agg_daily_feed", *DAILY_COLUMNS):
        daily = _records(con, DAILY_FEED_SQL)
    if not daily:
        # An export still gets its page: it says what is missing instead of failing the export.
        return _environment().get_template("report.html.j2").render(
            missing=f"{source.name} has no agg_daily_feed rows with {', '.join(DAILY_COLUMNS)}",
            generated_at=_now())
    latest = _records(con, LATEST_DAY_SQL)[0]
    if has("dim_papers") and has("dim_repos") and has("fct_claims"):
        totals = _records(con, TOTALS_SQL)[0]
    charts.append(_papers_per_day_chart(daily))
    charts.append(_share_with_code_chart(daily))
    if has("fct_claims", *CLAIM_COLUMNS):
        charts.append(_claims_by_kind_chart(_records(con, CLAIMS_BY_KIND_SQL)))
    if has("fct_claims", *CLAIM_COLUMNS) and has("dim_papers", "paper_id", "title") \
            and has("bridge_paper_repos", "paper_id", "repo_id") and has("dim_repos", *REPO_COLUMNS):
        last_day = latest["snapshot_date"]
        week_start = last_day - dt.timedelta(days=WEEK_DAYS - 1)
        for kind, label in (("gain", "gains"), ("reduction", "reductions")):
            for since, period in ((last_day, f"on {last_day}"), (week_start, f"{week_start} to {last_day}")):
                rows = _records(con, TOP_CLAIMS_SQL.format(limit=TOP_N), {"kind": kind, "since": since})
                claim_tables.append(Table(f"Largest percentage {label} claimed, {period}", rows))
    if has("dim_repos", *REPO_COLUMNS):
        repos = _records(con, TOP_REPOS_SQL.format(limit=TOP_N))
        if repos:
            charts.append(_bar_chart("Most-linked repositories (papers linking each)",
                                     [r["repo_id"] for r in repos], [r["paper_count"] for r in repos], "papers"))
            other_tables.append(Table("Most-linked repositories", repos))
    # The API's keywords and organizations (issue 17's marts), when the warehouse has them.
    if has("bridge_paper_keywords", "paper_id", "keyword"):
        keywords = _records(con, TOP_KEYWORDS_SQL.format(limit=TOP_N))
        if keywords:
            charts.append(_bar_chart("Top keywords (papers tagged)", [r["keyword"] for r in keywords],
                                     [r["papers"] for r in keywords], "papers"))
    if has("dim_organizations", "organization_id", "name", "fullname", "paper_count"):
        organizations = _records(con, TOP_ORGANIZATIONS_SQL.format(limit=TOP_N))
        if organizations:
            charts.append(_bar_chart("Top organizations (papers)", [r["organization"] for r in organizations],
                                     [r["paper_count"] for r in organizations], "papers"))

    template = _environment().get_template("report.html.j2")
    return template.render(
        latest=latest, totals=totals, charts=charts, claim_tables=claim_tables, other_tables=other_tables,
        first_date=daily[0]["snapshot_date"], plotly_js=plotly.offline.get_plotlyjs(),
        generated_at=_now(),
    )


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("paperhouse", "templates"),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True)


def _table_columns(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    rows = con.execute("SELECT table_name, column_name FROM duckdb_columns() "
                       "WHERE database_name = current_database() AND schema_name = 'main'").fetchall()
    columns: dict[str, set[str]] = {}
    for table, column in rows:
        columns.setdefault(table, set()).add(column)
    return columns


def _records(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None) -> list[dict]:
    cursor = con.execute(sql, params or {})
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def _figure_html(data: list[dict], layout: dict, title: str) -> Chart:
    """The chart's <div>. Figures are written as the plain dicts plotly would make of them and not
    validated (plotly's validation of every value was most of the page's cost); a test checks
    plotly reads each one back unchanged."""
    figure = {"data": data, "layout": chart_layout(layout, title)}
    # A stable div id keeps the page the same for the same warehouse.
    div_id = "chart-" + "".join(ch if ch.isalnum() else "-" for ch in title.lower())[:40]
    html = plotly.io.to_html(figure, validate=False, full_html=False, include_plotlyjs=False, div_id=div_id,
                             config={"displaylogo": False, "responsive": True})
    return Chart(title, html)


def chart_layout(layout: dict, title: str) -> dict:
    """The layout every chart shares (template, size, margins, legend), after the chart's own."""
    return {"template": _template_dict(), **layout, "margin": {"l": 50, "r": 20, "t": 50, "b": 40},
            "legend": {"orientation": "h", "y": -0.15}, "title": {"text": title}, "height": 360}


@functools.cache
def _template_dict() -> dict:
    """plotly_white, read from the file plotly.io.templates loads it from (validating it, as a
    go.Figure would, cost a quarter second; the test of the figure dicts checks it is the same)."""
    return json.loads(pkgutil.get_data("plotly", f"package_data/templates/{CHART_TEMPLATE}.json"))


def papers_per_day_figure(daily: list[dict]) -> tuple[list[dict], dict]:
    days = [_day(r["snapshot_date"]) for r in daily]
    data = [
        {"marker": {"color": CHART_COLORS["new"]}, "name": "new", "x": days,
         "y": [r["new_papers"] for r in daily], "type": "bar"},
        {"marker": {"color": CHART_COLORS["returning"]}, "name": "returning", "x": days,
         "y": [r["returning_papers"] for r in daily], "type": "bar"},
    ]
    return data, {"barmode": "stack", "yaxis": {"title": {"text": "papers"}}}


def share_with_code_figure(daily: list[dict]) -> tuple[list[dict], dict]:
    data = [{"line": {"color": CHART_COLORS["code"]}, "mode": "lines+markers", "name": "share with code",
             "x": [_day(r["snapshot_date"]) for r in daily], "y": [r["share_with_code"] for r in daily], "type": "scatter"}]
    return data, {"yaxis": {"tickformat": ".0%", "rangemode": "tozero", "title": {"text": "papers with code"}}}


def claims_by_kind_figure(rows: list[dict]) -> tuple[list[dict], dict]:
    days = sorted({_day(r["snapshot_date"]) for r in rows})
    kinds = [k for k in KIND_ORDER if any(r["kind"] == k for r in rows)]
    kinds += sorted({r["kind"] for r in rows} - set(kinds))
    counts = {(_day(r["snapshot_date"]), r["kind"]): r["claims"] for r in rows}
    data = [{"name": kind, "x": days, "y": [counts.get((day, kind), 0) for day in days], "type": "bar"}
            for kind in kinds]
    return data, {"barmode": "stack", "yaxis": {"title": {"text": "claims"}}}


def bar_figure(labels: list[str], values: list, axis: str) -> tuple[list[dict], dict]:
    data = [{"marker": {"color": CHART_COLORS["new"]}, "orientation": "h", "x": values, "y": labels, "type": "bar"}]
    return data, {"yaxis": {"autorange": "reversed", "automargin": True}, "xaxis": {"title": {"text": axis}}}


def _day(day: dt.date) -> str:
    """A day as the chart's JSON holds it (what plotly's encoder would write, without its lookups)."""
    return day.isoformat()


def _papers_per_day_chart(daily: list[dict]) -> Chart:
    return _figure_html(*papers_per_day_figure(daily), "Papers per day: new and returning")


def _share_with_code_chart(daily: list[dict]) -> Chart:
    return _figure_html(*share_with_code_figure(daily), "Share of papers with code")


def _claims_by_kind_chart(rows: list[dict]) -> Chart:
    return _figure_html(*claims_by_kind_figure(rows), "Claims by kind per day")


def _bar_chart(title: str, labels: list[str], values: list, axis: str) -> Chart:
    return _figure_html(*bar_figure(labels, values, axis), title)
