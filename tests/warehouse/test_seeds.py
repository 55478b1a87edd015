"""The three real seed snapshots, ingested and built: papers, appearances and GitHub repos."""
from __future__ import annotations

import re

import pytest

from paperhouse import warehouse

pytestmark = pytest.mark.slow

# Independent of the extractor: owner and name as GitHub allows them, trailing sentence dots dropped.
GITHUB_LINK = re.compile(r"github\.com/([A-Za-z0-9][A-Za-z0-9-]*)/([A-Za-z0-9_.-]+)", re.IGNORECASE)


def normalised_title(title: str) -> str:
    return re.sub(r"[\W_]+", " ", title.lower()).strip()


def github_repo_ids(text: str) -> set[str]:
    repo_ids = set()
    for owner, name in GITHUB_LINK.findall(text):
        name = name.rstrip(".")
        name = name[:-4] if name.lower().endswith(".git") else name
        repo_ids.add(f"github.com/{owner}/{name}".lower())
    return repo_ids


def test_seed_days_build_the_warehouse(seed_feed, wh_settings):
    from paperhouse.feeds import parse_file
    from paperhouse.ingest import ingest_paths

    files = sorted(seed_feed.iterdir())
    report = ingest_paths(wh_settings, files)
    assert report.ok, report.summary()

    result = warehouse.build_staging(wh_settings)
    assert result.tests_failed == 0
    warehouse.publish_staging(wh_settings)

    parsed = [parse_file(path) for path in files]
    entry_counts = [len(feed.entries) for feed in parsed]
    titles = {normalised_title(entry["title"]) for feed in parsed for entry in feed.entries}

    def count(sql: str) -> int:
        return warehouse.query(wh_settings, sql)[1][0][0]

    assert entry_counts == [54, 234, 60]
    assert count("select count(*) from fct_paper_appearances") == sum(entry_counts)
    assert count("select count(*) from dim_papers") == len(titles)
    assert count("select count(*) from dim_snapshots") == 3
    per_day = warehouse.query(wh_settings, "select papers from agg_daily_feed order by snapshot_date")[1]
    assert [row[0] for row in per_day] == entry_counts

    linked = set().union(*(github_repo_ids(path.read_text(encoding="utf-8")) for path in files))
    in_warehouse = {row[0] for row in warehouse.query(wh_settings, "select repo_id from dim_repos")[1]}
    assert linked, "the seeds link GitHub repositories"
    assert linked <= in_warehouse, f"missing from dim_repos: {sorted(linked - in_warehouse)}"
