"""The marts gate on small hand-made warehouses: clean, corrupted, compared with the published one."""
from __future__ import annotations

import re
import shutil

import pytest

from paperhouse.errors import GateFailed, PaperhouseError
from paperhouse.quality import marts
from paperhouse.quality.marts import PAPER_ID_PATTERN, REPO_ID_PATTERN

from .builders import START, build_marts, execute, write_lake_day

FIRST_PAPER = "(SELECT min(paper_id) FROM dim_papers)"


@pytest.mark.parametrize("repo_id", [
    "github.com/fold-lab/folded-cache",
    "gitlab.com/group/subgroup/tool.v2",
    "huggingface.co/datasets/tabq/tabq-10",
    "huggingface.co/acme/tiny_model",
])
def test_well_formed_repo_ids(repo_id):
    assert re.match(REPO_ID_PATTERN, repo_id)


@pytest.mark.parametrize("repo_id", [
    "github.com/Fold-Lab/folded-cache",   # not lower-cased
    "github.com/fold-lab",                # no name
    "fold-lab/folded-cache",              # no host
    "github.com/fold lab/folded-cache",
])
def test_malformed_repo_ids(repo_id):
    assert not re.match(REPO_ID_PATTERN, repo_id)


@pytest.mark.parametrize(("paper_id", "ok"), [
    ("arxiv:2608.01234", True),
    ("title:" + "0123456789abcdef" * 2, True),
    ("arxiv:2608.1", False),
    ("2608.01234", False),
    ("title:Sparse Routing", False),
])
def test_paper_id_pattern(paper_id, ok):
    assert bool(re.match(PAPER_ID_PATTERN, paper_id)) is ok


def test_no_warehouse_is_a_readable_error(settings):
    with pytest.raises(PaperhouseError, match=r"staging\.duckdb: no warehouse to audit"):
        marts.build(settings, settings.staging_warehouse_path)


def test_missing_tables_are_the_only_check(settings):
    path = build_marts(settings.staging_warehouse_path)
    execute(path, "DROP TABLE bridge_paper_repos; DROP TABLE fct_claims")
    stage_input = marts.build(settings, path)
    assert [c.name for c in stage_input.checks] == ["missing_tables"]
    assert marts.violating_rows(stage_input, "missing_tables")["example"].tolist() == ["bridge_paper_repos", "fct_claims"]


def test_lost_papers_are_compared_by_key_or_title(settings):
    published = build_marts(settings.warehouse_path)
    execute(published, """
        INSERT INTO dim_papers (paper_id, title_key) VALUES
            ('arxiv:2608.00001', 'a paper only the published warehouse has'),
            ('title:' || md5('renamed'), 'a paper whose key became an arxiv id')""")
    staging = build_marts(settings.staging_warehouse_path)
    execute(staging, """
        INSERT INTO dim_papers (paper_id, title_key) VALUES ('arxiv:2608.00002', 'a paper whose key became an arxiv id')""")
    stage_input = marts.build(settings, staging)
    assert marts.violating_rows(stage_input, "papers_lost_since_publish")["example"].tolist() == ["arxiv:2608.00001"]
    assert stage_input.params["published"] == str(settings.warehouse_path)


def test_no_published_warehouse_means_no_lost_papers_check(settings):
    stage_input = marts.build(settings, build_marts(settings.staging_warehouse_path))
    assert "papers_lost_since_publish" not in {c.name for c in stage_input.checks}
    assert stage_input.subject == "2026-08-03"
    assert stage_input.params["rows"]["dim_papers"] == 60


# ---- whole gate runs (Great Expectations) ---------------------------------------------------------

@pytest.mark.slow
def test_clean_marts_pass(settings):
    from paperhouse.quality.gates import run_marts_gate

    build_marts(settings.staging_warehouse_path)
    shutil.copy(settings.staging_warehouse_path, settings.warehouse_path)
    result = run_marts_gate(settings)
    assert result.ok, [c.detail for c in result.failed]
    names = {c.name for c in result.checks}
    assert {"duplicate_paper_id", "claim_unit_unknown", "orphan_claims", "papers_lost_since_publish"} <= names
    assert result.run_id.endswith("_marts_2026-08-03")


@pytest.mark.slow
@pytest.mark.parametrize(("corruption", "check", "line"), [
    (f"INSERT INTO dim_papers SELECT * FROM dim_papers WHERE paper_id = {FIRST_PAPER}",
     "duplicate_paper_id", "duplicate_paper_id: 2 of 61 rows (e.g. 'title:"),
    ("UPDATE fct_claims SET unit = 'furlongs' WHERE position = 7",
     "claim_unit_unknown", "claim_unit_unknown: 3 of 60 rows (e.g. 'furlongs')"),
    ("UPDATE fct_claims SET paper_id = 'arxiv:2608.99999' WHERE position = 5 AND snapshot_date = DATE '2026-08-02'",
     "orphan_claims", "orphan_claims: 1 row (e.g. 'arxiv:2608.99999')"),
    ("UPDATE fct_claims SET value = 5000, text = 'up 5000%' WHERE unit = 'percent' AND position = 4",
     "claim_percent_out_of_range", "claim_percent_out_of_range: 3 of 15 rows (e.g. 'up 5000%')"),
    ("INSERT INTO dim_repos (repo_id, kind) VALUES ('GitHub.com/Acme/Tool', 'code')",
     "malformed_repo_id", "malformed_repo_id: 1 of 11 rows (e.g. 'GitHub.com/Acme/Tool')"),
    ("DELETE FROM dim_snapshots WHERE snapshot_date = DATE '2026-08-01'",
     "appearances_unknown_snapshot", "appearances_unknown_snapshot: 20 rows (e.g. '"),
])
def test_corrupted_marts_are_stopped_by_the_right_check(settings, corruption, check, line):
    from paperhouse.quality.gates import raise_for_failure, run_marts_gate

    path = build_marts(settings.staging_warehouse_path)
    execute(path, corruption)
    result = run_marts_gate(settings)
    assert [c.name for c in result.failed] == [check]
    with pytest.raises(GateFailed) as failed:
        raise_for_failure(result)
    message = str(failed.value)
    assert "\n" not in message
    assert message.startswith(f"marts gate failed for {result.subject}: {line}")


@pytest.mark.slow
def test_several_failures_are_named_on_one_line(settings):
    from paperhouse.quality.gates import failure_line, run_marts_gate

    path = build_marts(settings.staging_warehouse_path)
    execute(path, f"""
        INSERT INTO dim_papers SELECT * FROM dim_papers WHERE paper_id = {FIRST_PAPER};
        UPDATE fct_claims SET unit = 'furlongs' WHERE position = 7;
        UPDATE fct_claims SET paper_id = 'arxiv:2608.99999' WHERE position = 5""")
    result = run_marts_gate(settings)
    assert [c.name for c in result.failed] == ["duplicate_paper_id", "claim_unit_unknown", "orphan_claims"]
    assert failure_line(result).endswith("(also: claim_unit_unknown, orphan_claims)")


@pytest.mark.slow
def test_paper_lost_since_publish_is_stopped(settings):
    from paperhouse.quality.gates import failure_line, run_marts_gate

    build_marts(settings.staging_warehouse_path)
    shutil.copy(settings.staging_warehouse_path, settings.warehouse_path)
    execute(settings.staging_warehouse_path, f"DELETE FROM dim_papers WHERE paper_id = {FIRST_PAPER}")
    result = run_marts_gate(settings)
    failed = {c.name: c for c in result.failed}
    assert set(failed) == {"papers_lost_since_publish", "orphan_appearances", "orphan_claims"}
    assert failed["papers_lost_since_publish"].detail.startswith("1 row (e.g. 'title:")
    assert failure_line(result).endswith("(also: orphan_claims, papers_lost_since_publish)")


@pytest.mark.slow
def test_marts_waivers_from_the_lake_and_given(settings):
    from paperhouse.quality.gates import run_marts_gate

    path = build_marts(settings.staging_warehouse_path)
    execute(path, "UPDATE fct_claims SET unit = 'furlongs' WHERE position = 7")
    assert not run_marts_gate(settings, path, waived=set()).ok
    given = run_marts_gate(settings, path, waived={"claim_unit_unknown"})
    assert given.ok and [c.name for c in given.checks if c.waived and not c.ok] == ["claim_unit_unknown"]

    # A released snapshot in the lake carries its waived checks; by default they apply here.
    write_lake_day(settings.lake_dir, START, [], waived_checks=["claim_unit_unknown"])
    assert run_marts_gate(settings).ok
