"""Lake days and mart files for the quality tests, made from our own synthetic text.

`write_lake_day` writes one committed day with `paperhouse.lake`; `build_marts` writes a small
DuckDB warehouse by hand (column names per docs/architecture.md), no dbt needed.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import duckdb

from paperhouse import lake

START = dt.date(2026, 8, 1)
TOPICS = ["Sparse Routing", "Folded Caches", "Graph Kernels", "Table Questions", "Speech Tokens", "Robot Grasping"]


def sha(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


def entry(position: int, day: dt.date) -> dict:
    """A well-formed entry: a title-cased title and a prose abstract."""
    topic = TOPICS[position % len(TOPICS)]
    return {
        "position": position,
        "title": f"{topic} Revisited: Lessons from Study {position} of {day:%B %d}",
        "abstract": (f"We revisit {topic.lower()} in a controlled study. Our method improves accuracy by "
                     f"{position % 9 + 1}.5 points over strong baselines. Code and data are released."),
        "arxiv_id": f"2608.{position:05d}",
        "upvotes": position % 17,
        "num_comments": position % 3,
        "github_stars": 10 * position,
    }


def write_lake_day(home_lake: Path, day: dt.date, entries: list[dict], waived_checks: list[str] | None = None) -> str:
    """Commit one day to the lake: the entries given, empty side tables, the snapshots row last."""
    snapshot_id = sha(f"{day}:{len(entries)}:{entries[:1]}")
    tables = {table: lake.to_table(table, []) for table in lake.SCHEMAS}
    tables["entries"] = lake.to_table("entries", [{"snapshot_id": snapshot_id, **e} for e in entries])
    tables["snapshots"] = lake.to_table("snapshots", [{
        "snapshot_id": snapshot_id, "source": f"feed/{day}.json", "format": "api", "layout": "api_json",
        "byte_size": 1000, "entry_count": len(entries), "ingested_at": dt.datetime.now(dt.timezone.utc),
        "parser_version": "test", "extractor_version": "test", "waived_checks": waived_checks,
    }])
    lake.write_day(home_lake, day, tables)
    return snapshot_id


def write_usual_days(home_lake: Path, days: int, entries_per_day: int) -> dt.date:
    """`days` good days from START; returns the day after them."""
    for offset in range(days):
        day = START + dt.timedelta(days=offset)
        write_lake_day(home_lake, day, [entry(p, day) for p in range(1, entries_per_day + 1)])
    return START + dt.timedelta(days=days)


MART_SQL = """
CREATE TABLE dim_snapshots AS
    SELECT md5('snap' || d) || md5('shot' || d) AS snapshot_id, DATE '{start}' + d::INTEGER AS snapshot_date,
           'api' AS format, {papers}::INTEGER AS entry_count
    FROM range({days}) t(d);
CREATE TABLE fct_paper_appearances AS
    SELECT md5(s.snapshot_id || ':' || p) AS appearance_id,
           'title:' || md5('paper ' || d || ' ' || p) AS paper_id,
           s.snapshot_id, s.snapshot_date, p + 1 AS position, p % 40 AS upvotes, 0 AS num_comments
    FROM range({days}) t(d), range({papers}) q(p), dim_snapshots s
    WHERE s.snapshot_date = DATE '{start}' + d::INTEGER;
CREATE TABLE dim_papers AS
    SELECT paper_id, NULL::VARCHAR AS arxiv_id, 'Paper ' || position AS title,
           'paper ' || md5(paper_id) AS title_key, 'An abstract.' AS abstract,
           snapshot_date AS first_seen_date, snapshot_date AS last_seen_date
    FROM fct_paper_appearances;
CREATE TABLE dim_repos AS
    SELECT 'github.com/lab' || i || '/tool-' || i AS repo_id, 'github.com' AS host,
           CASE WHEN i % 5 = 0 THEN 'dataset' ELSE 'code' END AS kind, 'lab' || i AS owner, 'tool-' || i AS name
    FROM range({repos}) t(i);
CREATE TABLE bridge_paper_repos AS
    SELECT paper_id, 'github.com/lab' || (position % {repos}) || '/tool-' || (position % {repos}) AS repo_id,
           'abstract' AS source, NULL::VARCHAR AS path, snapshot_date AS first_seen_date
    FROM fct_paper_appearances WHERE position % 3 = 0;
CREATE TABLE fct_claims AS
    SELECT md5(a.appearance_id || ':claim') AS claim_id, a.paper_id, a.snapshot_id, a.snapshot_date, a.position,
           10 AS char_offset,
           ['percent', 'points', 'x', 'score'][a.position % 4 + 1] AS unit,
           ['gain', 'reduction', 'score', 'share', 'finding'][a.position % 5 + 1] AS kind,
           CASE WHEN a.position % 3 = 0 THEN 'up_to' END AS qualifier,
           (a.position % 50 + 1)::DOUBLE AS value, NULL::DOUBLE AS value_max,
           'accuracy' AS metric, 'improves accuracy by ' || (a.position % 50 + 1) AS text
    FROM fct_paper_appearances a;
"""


def build_marts(path: Path, days: int = 3, papers: int = 20, repos: int = 10) -> Path:
    """A well-formed warehouse: `days` snapshots of `papers` new papers each, a claim per appearance."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute(MART_SQL.format(start=START.isoformat(), days=days, papers=papers, repos=repos))
    finally:
        con.close()
    return path


def execute(path: Path, sql: str) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute(sql)
    finally:
        con.close()
