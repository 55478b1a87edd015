"""dbt builds of synthetic lake days: marts, incremental loads, corrected days, full refresh, docs."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest

from .lake_days import (DAY1, DAY1_PAGE, DAY2, DAY2_API, DAY2_CORRECTED, DAY3, GRAPH_ARXIV, SPARSE_ARXIV,
                      SPARSE_TITLE_API, SPARSE_TITLE_PAGE, SURVEY_TITLE, TINY_TITLE, snapshot_id, write_lake_day)
from paperhouse import warehouse
from paperhouse.errors import BuildFailed
from paperhouse.settings import Settings

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
SPARSE = f"arxiv:{SPARSE_ARXIV}"
GRAPH = f"arxiv:{GRAPH_ARXIV}"
SPARSE_REPO = "github.com/acme/sparseroute"
GRAPH_REPO = "github.com/graph-lab/kernels"
TINY_REPO = "huggingface.co/datasets/acme/tiny-bench"


def title_paper_id(title: str) -> str:
    """docs/architecture.md: md5 of the title in lower case, non-alphanumeric runs folded to a space."""
    key = re.sub(r"[\W_]+", " ", title.lower()).strip()
    return "title:" + hashlib.md5(key.encode()).hexdigest()


def architecture_marts() -> dict[str, list[str]]:
    """The marts table of docs/architecture.md: {table: [columns it must have at least]}."""
    text = (REPO_ROOT / "docs" / "architecture.md").read_text()
    marts = {}
    for table, columns in re.findall(r"^\| `(\w+)` \| [^|]+ \| ([^|]+) \|$", text, flags=re.M):
        marts[table] = [c.strip() for c in columns.split(",")]
    return marts


def rows(path: Path, sql: str) -> list[tuple]:
    with warehouse.connect_readonly(path) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """Day 1, then day 2 (with an uncommitted day 3 beside it), then a corrected day 2: each built
    incrementally and published; a copy of every published warehouse is kept."""
    root = tmp_path_factory.mktemp("history")
    settings = Settings.from_env({"PAPERHOUSE_HOME": str(root / "home")})
    published, results, progress = {}, {}, []

    def build_and_publish(step: str) -> None:
        results[step] = warehouse.build_staging(settings, progress=True)
        published[step] = root / f"{step}.duckdb"
        shutil.copyfile(warehouse.publish_staging(settings), published[step])

    def recording_bar(label, total, enabled=True):
        progress.append({"total": total, "done": []})
        return _Recorder(progress[-1]["done"])

    write_lake_day(settings.lake_dir, DAY1, DAY1_PAGE)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(warehouse, "progress_bar", recording_bar)
        build_and_publish("day1")
    write_lake_day(settings.lake_dir, DAY2, DAY2_API)
    write_lake_day(settings.lake_dir, DAY3, DAY1_PAGE | {"label": "day3-crashed"}, commit=False)
    build_and_publish("day2")
    write_lake_day(settings.lake_dir, DAY2, DAY2_CORRECTED)
    build_and_publish("corrected")
    return SimpleNamespace(root=root, settings=settings, published=published, results=results, progress=progress)


class _Recorder:
    def __init__(self, done: list):
        self.done = done

    def __enter__(self):
        return self.done.append

    def __exit__(self, *exc):
        return False


def test_build_reports_what_dbt_did(history):
    result = history.results["day1"]
    model_files = list((warehouse.DBT_PROJECT_DIR / "models").rglob("*.sql"))
    assert result.ok and result.tests_failed == 0
    assert result.models_built == len(model_files)
    manifest = json.loads((warehouse.dbt_target_dir(history.settings) / "manifest.json").read_text())
    data_tests = [node for node in manifest["nodes"].values() if node["resource_type"] == "test"]
    assert data_tests and result.tests_passed == len(data_tests)  # every data test ran (unit tests do not)
    assert result.path == history.settings.staging_warehouse_path
    assert f"{result.models_built} models built" in result.summary
    # the progress bar advanced once per node dbt ran, and knew that total up front
    (bar,) = history.progress
    assert len(bar["done"]) == bar["total"] == result.models_built + result.tests_passed + result.tests_warned
    assert "dim_papers" in bar["done"]


def test_unit_tests_pass_in_ci_and_stay_out_of_daily_builds(history):
    manifest = json.loads((warehouse.dbt_target_dir(history.settings) / "manifest.json").read_text())
    unit_tests = set(manifest["unit_tests"])
    assert unit_tests  # the project has unit tests (models/intermediate/_intermediate.yml)
    (bar,) = history.progress  # every node the day-1 build ran (a daily build, as any)
    assert bar["done"] and not {manifest["unit_tests"][u]["name"] for u in unit_tests} & set(bar["done"])
    published = history.published["corrected"]
    before = published.read_bytes()

    result = warehouse.run_unit_tests(history.settings, published)

    assert result.failed == [] and set(result.passed) == unit_tests
    assert published.read_bytes() == before  # dbt ran on a copy
    assert not (history.settings.state_dir / "dbt" / "unit_tests").exists()


def test_published_file_is_complete_without_a_wal(history):
    warehouse_dir = history.settings.warehouse_dir
    assert sorted(p.name for p in warehouse_dir.iterdir()) == ["paperhouse.duckdb"]


def test_marts_match_the_architecture_columns(history):
    path = history.published["day2"]
    for table, expected in architecture_marts().items():
        columns = [r[0] for r in rows(path, "select column_name from information_schema.columns "
                                            f"where table_schema = 'main' and table_name = '{table}'")]
        assert set(expected) <= set(columns), f"{table} lacks {set(expected) - set(columns)}"
    assert len(architecture_marts()) == 14


def test_page_and_api_entries_of_one_paper_become_one_arxiv_paper(history):
    path = history.published["day2"]
    papers = {r[0]: r[1:] for r in rows(path, "select paper_id, title, first_seen_date, last_seen_date, days_on_feed, "
                                              "latest_upvotes, has_code, repo_count, claim_count from dim_papers")}
    assert set(papers) == {SPARSE, GRAPH, title_paper_id(TINY_TITLE), title_paper_id(SURVEY_TITLE)}
    assert papers[SPARSE] == (SPARSE_TITLE_API, DAY1, DAY2, 2, 42, True, 1, 1)
    assert papers[title_paper_id(TINY_TITLE)][5:] == (False, 1, 1)  # a dataset is not code

    appearances = rows(path, "select snapshot_date, position, paper_id from fct_paper_appearances order by 1, 2")
    assert appearances == [(DAY1, 1, SPARSE), (DAY1, 2, title_paper_id(TINY_TITLE)), (DAY1, 3, title_paper_id(SURVEY_TITLE)),
                           (DAY2, 1, SPARSE), (DAY2, 2, GRAPH)]


def test_uncommitted_day_is_invisible(history):
    path = history.published["day2"]
    assert rows(path, "select snapshot_date from dim_snapshots order by 1") == [(DAY1,), (DAY2,)]
    for table in ("fct_paper_appearances", "fct_claims", "intermediate.int_entries", "intermediate.int_repo_mentions",
                  "agg_daily_feed"):
        assert rows(path, f"select count(*) from {table} where snapshot_date = date '{DAY3}'") == [(0,)], table


def test_repos_are_deduplicated_across_spellings_and_sources(history):
    path = history.published["day2"]
    repos = {r[0]: r[1:] for r in rows(path, "select repo_id, kind, url, github_stars, paper_count, first_seen_date from dim_repos")}
    assert repos == {
        SPARSE_REPO: ("code", "https://github.com/acme/sparseroute", 120, 1, DAY1),
        GRAPH_REPO: ("code", "https://github.com/Graph-Lab/kernels", None, 1, DAY2),
        TINY_REPO: ("dataset", "https://huggingface.co/datasets/acme/tiny-bench", None, 1, DAY1),
    }
    links = set(rows(path, "select paper_id, repo_id, source, first_seen_date from bridge_paper_repos"))
    assert links == {(SPARSE, SPARSE_REPO, "abstract", DAY1), (SPARSE, SPARSE_REPO, "api", DAY2),
                     (GRAPH, GRAPH_REPO, "abstract", DAY2), (title_paper_id(TINY_TITLE), TINY_REPO, "abstract", DAY1)}


def test_authors_the_api_names_without_ids_are_matched_by_name(history):
    path = history.published["day2"]
    assert sorted(r[0] for r in rows(path, "select name from dim_authors")) == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
    graph_authors = rows(path, "select a.name, b.author_position from bridge_paper_authors b join dim_authors a using (author_id) "
                               f"where b.paper_id = '{GRAPH}' order by 2")
    assert graph_authors == [("Alan Turing", 1), ("Grace Hopper", 2)]


def test_claims_and_daily_aggregate(history):
    path = history.published["day2"]
    day1_sid = snapshot_id("day1-page")
    offset = DAY1_PAGE["claims"][0]["char_offset"]
    expected_id = hashlib.md5(f"{day1_sid}:1:{offset}".encode()).hexdigest()
    claims = rows(path, "select claim_id, paper_id, snapshot_date, unit, kind from fct_claims order by snapshot_date, position")
    assert len(claims) == len(DAY1_PAGE["claims"]) + len(DAY2_API["claims"])
    assert claims[0] == (expected_id, SPARSE, DAY1, "percent", "gain")
    # every claim names the extractor rule that took it (the not_null test in _marts.yml checks it too)
    assert rows(path, "select distinct rule, extractor_version from fct_claims") == [("kind.verb_by", "test")]

    daily = rows(path, "select snapshot_date, papers, new_papers, returning_papers, papers_with_code, share_with_code, "
                       "claims, top_claim_paper_id, top_claim_text from agg_daily_feed order by 1")
    assert daily == [
        (DAY1, 3, 3, 0, 1, pytest.approx(1 / 3), 3, SPARSE, "improves accuracy by up to 12.5%"),
        (DAY2, 2, 1, 1, 2, 1.0, 2, SPARSE, "improves accuracy by up to 12.5%"),
    ]


def test_corrected_day_replaces_that_days_rows(history):
    path = history.published["corrected"]
    corrected_sid = snapshot_id("day2-api-corrected")
    assert rows(path, f"select snapshot_id from dim_snapshots where snapshot_date = date '{DAY2}'") == [(corrected_sid,)]
    # The only API sighting of the sparse paper is gone, so its page entry is a title-keyed paper again.
    appearances = rows(path, "select snapshot_date, paper_id, snapshot_id from fct_paper_appearances order by 1, position")
    assert [a[:2] for a in appearances] == [(DAY1, title_paper_id(SPARSE_TITLE_PAGE)), (DAY1, title_paper_id(TINY_TITLE)),
                                            (DAY1, title_paper_id(SURVEY_TITLE)), (DAY2, GRAPH)]
    assert appearances[-1][2] == corrected_sid
    # The corrected day has no claims and no repos: the old day's rows are gone all the same.
    assert rows(path, "select distinct snapshot_date from fct_claims") == [(DAY1,)]
    assert rows(path, f"select count(*) from intermediate.int_repo_mentions where snapshot_date = date '{DAY2}'") == [(0,)]
    repos = dict(rows(path, "select repo_id, url from dim_repos"))
    assert repos == {SPARSE_REPO: "https://github.com/Acme/SparseRoute", TINY_REPO: "https://huggingface.co/datasets/acme/tiny-bench"}
    assert rows(path, f"select latest_upvotes, claim_count, has_code from dim_papers where paper_id = '{GRAPH}'") == [(9, 0, False)]
    assert rows(path, "select count(*) from dim_papers where paper_id like 'arxiv:%'") == [(1,)]


def test_full_refresh_gives_the_rows_of_the_incremental_history(history, tmp_path):
    fresh = Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path / "fresh")})
    shutil.copytree(history.settings.lake_dir, fresh.lake_dir)
    result = warehouse.build_staging(fresh, full_refresh=True)
    assert result.full_refresh and "full refresh" in result.summary

    with duckdb.connect() as con:
        con.execute(f"attach '{history.published['corrected']}' as incremental (read_only)")
        con.execute(f"attach '{result.path}' as refreshed (read_only)")
        tables = {db: sorted(f"{schema}.{table}" for schema, table in con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = ? and table_type = 'BASE TABLE'", [db]).fetchall())
            for db in ("incremental", "refreshed")}
        assert tables["incremental"] == tables["refreshed"]
        assert {f"main.{mart}" for mart in architecture_marts()} == {t for t in tables["refreshed"] if t.startswith("main.")}
        assert "intermediate.int_entries" in tables["refreshed"]
        for table in tables["refreshed"]:
            for left, right in (("incremental", "refreshed"), ("refreshed", "incremental")):
                extra = con.execute(f"select count(*) from (select * from {left}.{table} except all "
                                    f"select * from {right}.{table})").fetchone()[0]
                assert extra == 0, f"{table}: {extra} rows in {left} only"
        assert con.execute("select count(*) from refreshed.main.fct_paper_appearances").fetchone()[0] == 4


def test_failed_build_names_the_node_and_leaves_the_published_file(history, tmp_path):
    settings = Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path / "failing")})
    shutil.copytree(history.settings.lake_dir, settings.lake_dir)
    settings.warehouse_dir.mkdir(parents=True)
    shutil.copyfile(history.published["corrected"], settings.warehouse_path)
    before = settings.warehouse_path.read_bytes()
    # (a bad claim unit is the marts gate's to stop; a bad repo source is one of dbt's own tests)
    bad_day = DAY1_PAGE | {"label": "bad-source",
                           "repo_mentions": [DAY1_PAGE["repo_mentions"][0] | {"source": "tweet"}]}
    write_lake_day(settings.lake_dir, DAY3, bad_day)

    with pytest.raises(BuildFailed) as err:
        warehouse.build_staging(settings)

    message = str(err.value)
    assert "\n" not in message
    assert "accepted_values_int_repo_mentions_source" in message
    assert settings.warehouse_path.read_bytes() == before
    assert not settings.staging_warehouse_path.exists()


def _failing_home(history, tmp_path) -> Settings:
    """A data root holding the lake and the published warehouse of the history."""
    settings = Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path / "failing")})
    shutil.copytree(history.settings.lake_dir, settings.lake_dir)
    settings.warehouse_dir.mkdir(parents=True)
    shutil.copyfile(history.published["corrected"], settings.warehouse_path)
    return settings


UNKNOWN_HOST_REPO = DAY1_PAGE["repo_mentions"][0] | {"repo_id": "example.org/acme/sparseroute", "host": "example.org"}


@pytest.mark.parametrize("corrupt_sql, bad, model, constraint", [
    # a title lost in the warehouse's copy of the entries: dim_papers.title is declared not_null
    ("update intermediate.int_entries set title = null", {}, "dim_papers", "NOT NULL constraint failed"),
    # a repository on an unknown host: dim_repos.host's accepted values are a check constraint
    (None, {"repo_mentions": [UNKNOWN_HOST_REPO]}, "dim_repos", "CHECK constraint failed"),
])
def test_a_row_breaking_a_mart_constraint_fails_the_build_naming_the_model(history, tmp_path, corrupt_sql, bad,
                                                                           model, constraint):
    settings = _failing_home(history, tmp_path)
    if corrupt_sql:
        with duckdb.connect(str(settings.warehouse_path)) as con:
            con.execute(corrupt_sql)
    before = settings.warehouse_path.read_bytes()
    write_lake_day(settings.lake_dir, DAY3, DAY1_PAGE | {"label": "breaks-a-constraint"} | bad)

    with pytest.raises(BuildFailed) as err:
        warehouse.build_staging(settings)

    message = str(err.value)
    assert "\n" not in message
    assert f"model.paperhouse.{model}: " in message and constraint in message
    assert err.value.failed_nodes == [f"model.paperhouse.{model}"]  # what pipeline.build quarantines the day for
    assert settings.warehouse_path.read_bytes() == before
    assert not settings.staging_warehouse_path.exists()


def test_an_incremental_mart_built_before_its_constraints_gets_them(history, tmp_path):
    settings = _failing_home(history, tmp_path)
    declared = "select table_name, constraint_column_names[1] from duckdb_constraints() " \
               "where schema_name = 'main' and constraint_type = 'NOT NULL' and table_name like 'fct_%'"
    expected = set(rows(settings.warehouse_path, declared))
    assert ("fct_claims", "unit") in expected and ("fct_paper_appearances", "position") in expected
    with duckdb.connect(str(settings.warehouse_path)) as con:  # as an older build left them
        for table, column in expected:
            con.execute(f'alter table {table} alter column "{column}" drop not null')
    write_lake_day(settings.lake_dir, DAY3, DAY1_PAGE | {"label": "day3"})

    result = warehouse.build_staging(settings)

    assert set(rows(result.path, declared)) == expected


def test_docs_describe_every_column_of_every_model(history):
    target = warehouse.generate_docs(history.settings)

    assert target == warehouse.dbt_target_dir(history.settings)
    catalog = json.loads((target / "catalog.json").read_text())
    manifest = json.loads((target / "manifest.json").read_text())
    models = [node["name"] for node in manifest["nodes"].values() if node["resource_type"] == "model"]
    assert set(architecture_marts()) <= set(models) and any(m.startswith("stg_") for m in models)
    for table in models:
        node_id = f"model.paperhouse.{table}"
        built_columns = {c.lower() for c in catalog["nodes"][node_id]["columns"]}
        described = {name: col["description"] for name, col in manifest["nodes"][node_id]["columns"].items()}
        assert manifest["nodes"][node_id]["description"], table
        assert built_columns == set(described), table
        assert all(described.values()), f"{table}: undescribed {[c for c, d in described.items() if not d]}"
        if table in architecture_marts():  # exports and BI rely on the marts' types: contracts enforce them
            node = manifest["nodes"][node_id]
            assert node["contract"]["enforced"], table
            assert all(col["data_type"] for col in node["columns"].values()), table
    assert not (history.settings.state_dir / "dbt" / "docs.duckdb").exists()
