"""The API's whole data model in the marts: a two-day API feed, ingested and built as a daily run
would (day 1, publish, day 2, publish), then rebuilt with a full refresh that must give the same
rows. The feed has organizations in both positions, namesake authors, an author whose name is
re-spelled, a paper whose upvotes change, keywords, a project page and submitters in both shapes.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
from types import SimpleNamespace

import duckdb
import pytest

from paperhouse import warehouse
from paperhouse.ingest import ingest_paths
from paperhouse.settings import Settings

pytestmark = pytest.mark.slow

DAY1, DAY2 = dt.date(2026, 8, 9), dt.date(2026, 8, 10)
LEDGER, PEAK, QUIET = "arxiv:2608.10001", "arxiv:2608.10002", "arxiv:2608.10003"
PROJECT_PAGE = "https://river-lab.github.io/ledger/"
RIVER = {"_id": "org-river", "name": "river-lab", "fullname": "River Lab"}
PEAK_ORG = {"_id": "org-peak", "name": "peak-ai", "fullname": "Peak AI"}


def _item(arxiv_id: str, title: str, upvotes: int, comments: int, authors: list[dict], paper: dict | None = None,
          item: dict | None = None) -> dict:
    return {
        "paper": {"id": arxiv_id, "title": title, "summary": f"{title}: we study it and report what we found.",
                  "upvotes": upvotes, "authors": authors, "publishedAt": "2026-08-07T10:00:00.000Z",
                  "submittedOnDailyAt": "2026-08-09T01:00:00.000Z", **(paper or {})},
        "title": title, "numComments": comments, **(item or {}),
    }


def _ledger(upvotes: int, comments: int, second_author: str) -> dict:
    # newer shape: organization and submitter inside `paper`; the first author linked an account
    return _item("2608.10001", "Ledger Routing for Sparse Experts", upvotes, comments, [
        {"_id": "a1", "name": "Kim Lee", "user": {"_id": "u-kim", "user": "kimlee", "fullname": "Kim Lee"}},
        {"_id": "a2", "name": second_author},
    ], paper={"organization": RIVER, "projectPage": PROJECT_PAGE,
              "submittedOnDailyBy": {"_id": "u-ada", "user": "ada", "fullname": "Ada Byron"},
              "ai_summary": "Routes tokens through a ledger.", "ai_keywords": ["routing", "sparse experts"]})


DAY1_FEED = [
    _ledger(10, 1, "Sam Park"),
    # older shape: organization and submitter at the item's top level; a namesake of Kim Lee with
    # another id, and an author the API names only
    _item("2608.10002", "Peak Kernels Revisited", 25, 0, [{"_id": "a3", "name": "Kim Lee"}, {"name": "Ana Ruiz"}],
          paper={"ai_keywords": ["kernels"], "githubRepo": "https://github.com/peak-ai/kernels", "githubStars": 3,
                 "summary": "Kernels, revisited. It improves accuracy by 4.5% over the old ones."},
          item={"organization": PEAK_ORG, "submittedBy": {"_id": "u-bo", "name": "bo", "fullname": "Bo Chen"}}),
]
DAY2_FEED = [
    _ledger(31, 4, "Samuel Park"),  # upvotes change; author a2 re-spelled
    _item("2608.10003", "Quiet Baselines", 31, 0, [{"name": "Ana  Ruiz"}], paper={"ai_keywords": ["routing"]}),
]


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("api_model")
    feed = root / "feed"
    feed.mkdir()
    settings = Settings.from_env({"PAPERHOUSE_HOME": str(root / "home")})
    published = {}
    for day, items in ((DAY1, DAY1_FEED), (DAY2, DAY2_FEED)):
        path = feed / f"{day.isoformat()}.json"
        path.write_text(json.dumps(items), encoding="utf-8")
        assert ingest_paths(settings, [path]).ok
        warehouse.build_staging(settings)
        published[day] = root / f"{day.isoformat()}.duckdb"
        shutil.copyfile(warehouse.publish_staging(settings), published[day])
    fresh = Settings.from_env({"PAPERHOUSE_HOME": str(root / "fresh")})
    shutil.copytree(settings.lake_dir, fresh.lake_dir)
    refreshed = warehouse.build_staging(fresh, full_refresh=True).path
    con = duckdb.connect(str(published[DAY2]), read_only=True)
    yield SimpleNamespace(con=con, published=published, refreshed=refreshed, settings=settings)
    con.close()


def test_dim_papers_carry_the_api_fields_of_the_latest_api_appearance(built):
    papers = {row[0]: row[1:] for row in _rows(built.con, (
        "select paper_id, ai_summary, ai_keywords, published_at, project_page, is_withdrawn, organization_id, "
        "submitted_by, latest_upvotes from dim_papers"))}
    published = dt.datetime(2026, 8, 7, 10, tzinfo=dt.timezone.utc)
    assert papers[LEDGER] == ("Routes tokens through a ledger.", ["routing", "sparse experts"], published, PROJECT_PAGE,
                              False, "org-river", "ada", 31)
    assert papers[PEAK] == (None, ["kernels"], published, None, False, "org-peak", "bo", 25)
    # no organization, no submitter, no project page: null, never a made-up value
    assert papers[QUIET] == (None, ["routing"], published, None, False, None, None, 31)


def test_organizations_from_either_position(built):
    assert _rows(built.con, "select organization_id, name, fullname, paper_count, first_seen_date "
                            "from dim_organizations order by 1") == [
        ("org-peak", "peak-ai", "Peak AI", 1, DAY1),
        ("org-river", "river-lab", "River Lab", 1, DAY1),
    ]


def test_submitters_from_either_shape(built):
    assert _rows(built.con, "select user_name, hf_user_id, fullname, paper_count, first_seen_date "
                            "from dim_submitters order by 1") == [
        ("ada", "u-ada", "Ada Byron", 1, DAY1),
        ("bo", "u-bo", "Bo Chen", 1, DAY1),
    ]


def test_keywords_one_row_each(built):
    assert _rows(built.con, "select paper_id, keyword from bridge_paper_keywords order by 1, 2") == [
        (LEDGER, "routing"), (LEDGER, "sparse experts"), (PEAK, "kernels"), (QUIET, "routing")]


def test_authors_by_identity(built):
    authors = _rows(built.con, "select name, hf_user, matched_on, paper_count from dim_authors order by 1, 2 nulls first")
    assert authors == [
        ("Ana Ruiz", None, "name", 2),       # named only: matched by name across papers
        ("Kim Lee", None, "author_id", 1),   # the namesake with another id stays apart
        ("Kim Lee", "kimlee", "user", 1),
        ("Samuel Park", None, "author_id", 1),  # same id, changed spelling: one author, latest name
    ]
    ledger = _rows(built.con, "select a.name, a.hf_user, b.author_position from bridge_paper_authors b "
                              f"join dim_authors a using (author_id) where paper_id = '{LEDGER}' order by 3")
    assert ledger == [("Kim Lee", "kimlee", 1), ("Samuel Park", None, 2)]


def test_trends_give_deltas_and_daily_ranks(built):
    assert _rows(built.con, "select paper_id, snapshot_date, upvotes, upvotes_delta, num_comments, rank_by_upvotes "
                            "from fct_paper_trends order by 2, 1") == [
        (LEDGER, DAY1, 10, None, 1, 2),
        (PEAK, DAY1, 25, None, 0, 1),
        (LEDGER, DAY2, 31, 21, 4, 1),
        (QUIET, DAY2, 31, None, 0, 1),  # a tie shares the place
    ]


def test_links_reach_a_mart(built):
    links = _rows(built.con, "select paper_id, url, kind, source, first_seen_date from bridge_paper_links")
    assert (LEDGER, PROJECT_PAGE, "project_page", "api", DAY1) in links


def test_export_manifest_describes_every_new_column(built):
    from paperhouse.export import MANIFEST, export_warehouse

    manifest = json.loads((export_warehouse(built.settings) / MANIFEST).read_text())
    tables = {table["name"]: table for table in manifest["tables"]}
    for name in ("dim_organizations", "dim_submitters", "bridge_paper_keywords", "bridge_paper_links",
                 "fct_paper_trends", "dim_papers", "dim_authors"):
        assert tables[name]["description"], name
        assert all(column["description"] and column["type"] for column in tables[name]["columns"]), name
    types = {column["name"]: column["type"] for column in tables["dim_papers"]["columns"]}
    assert (types["ai_keywords"], types["published_at"]) == ("VARCHAR[]", "TIMESTAMP WITH TIME ZONE")


def test_incremental_and_full_refresh_give_the_same_rows(built):
    with duckdb.connect() as con:
        con.execute(f"attach '{built.published[DAY2]}' as incremental (read_only)")
        con.execute(f"attach '{built.refreshed}' as refreshed (read_only)")
        marts = [name for (name,) in con.execute(
            "select table_name from information_schema.tables where table_catalog = 'refreshed' "
            "and table_schema = 'main' order by 1").fetchall()]
        assert {"dim_organizations", "dim_submitters", "bridge_paper_keywords", "bridge_paper_links",
                "fct_paper_trends"} <= set(marts)
        for table in marts:
            for left, right in (("incremental", "refreshed"), ("refreshed", "incremental")):
                extra = con.execute(f"select count(*) from (select * from {left}.main.{table} except all "
                                    f"select * from {right}.main.{table})").fetchone()[0]
                assert extra == 0, f"{table}: {extra} rows in {left} only"
            assert con.execute(f"select count(*) from refreshed.main.{table}").fetchone()[0] > 0, table


def test_marts_gate_checks_the_new_keys_and_references(built, tmp_path):
    from paperhouse.quality import marts
    from paperhouse.quality.gates import run_marts_gate

    settings = Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path / "home")})
    clean = marts.build(settings, built.published[DAY2])
    new_checks = {"duplicate_organization_id", "duplicate_user_name", "duplicate_author_id",
                  "papers_unknown_organization", "papers_unknown_submitter", "duplicate_paper_trend",
                  "orphan_paper_keywords", "orphan_paper_links", "duplicate_paper_link"}
    assert new_checks <= {check.name for check in clean.checks}
    assert all(clean.frames[name].empty for name in new_checks if name in clean.frames)

    corrupted = tmp_path / "corrupted.duckdb"
    shutil.copyfile(built.published[DAY2], corrupted)
    with duckdb.connect(str(corrupted)) as con:
        con.execute(f"update dim_papers set organization_id = 'org-gone' where paper_id = '{LEDGER}'")
        con.execute(f"insert into fct_paper_trends select * from fct_paper_trends where paper_id = '{QUIET}'")
    result = run_marts_gate(settings, corrupted, waived=set())
    assert sorted(check.name for check in result.failed) == ["duplicate_paper_trend", "papers_unknown_organization"]


def test_days_written_before_the_new_columns_still_build(tmp_path):
    """A lake day written before entries had organization, submitter and author id columns reads
    them as null beside a day that has them."""
    import pyarrow.parquet as pq

    from paperhouse import lake

    settings = Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path / "home")})
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / f"{DAY2.isoformat()}.json").write_text(json.dumps(DAY2_FEED), encoding="utf-8")
    (feed / f"{DAY1.isoformat()}.json").write_text(json.dumps(DAY1_FEED), encoding="utf-8")
    assert ingest_paths(settings, [feed]).ok
    old_columns = [name for name in lake.ENTRIES.names if not name.startswith(("author_", "organization_", "submitter_"))]
    old_day = lake.read_partition(settings.lake_dir, "entries", DAY1).select(old_columns)
    pq.write_table(old_day, lake.partition_path(settings.lake_dir, "entries", DAY1))
    assert "organization_id" not in pq.read_schema(lake.partition_path(settings.lake_dir, "entries", DAY1)).names

    path = warehouse.build_staging(settings).path
    with duckdb.connect(str(path), read_only=True) as con:
        assert _rows(con, "select paper_id, organization_id, submitted_by from dim_papers order by 1") == [
            (LEDGER, "org-river", "ada"), (PEAK, None, None), (QUIET, None, None)]
