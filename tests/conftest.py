"""Shared test fixtures: synthetic feed text we write ourselves, and the shared seeds when present."""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

# Great Expectations logs hundreds of lines when Airflow was imported first.
logging.getLogger("great_expectations").setLevel(logging.WARNING)

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"
SEED_FILES = {  # seed file prefix -> the date the warehouse issue gives it
    "000_": "2026-08-09",
    "001_": "2026-08-10",
    "002_": "2026-08-11",
}

SAMPLE_ENTRIES = [
    ("Folded Caches: Constant-Memory Decoding for Long Inputs",
     "We study decoding with a folded key cache. Our method keeps a fixed number of slots per layer. "
     "It reduces memory by up to 61% and decodes 2.4x faster than a full cache. Code is at github.com/fold-lab/folded-cache."),
    ("Why Do Small Rankers Fail? A Study of Score Saturation",
     "Small rerankers saturate early in training. We trace the effect to the output projection. "
     "A wider head improves nDCG@10 by 3.1 points on four benchmarks while adding 2% parameters."),
    ("Sparse Tutors: Teaching Language Models with Few Examples",
     "We introduce sparse tutoring, where a teacher model picks a handful of examples per step. "
     "Students trained this way reach 88.4% accuracy with 40% less compute than dense distillation."),
    ("A Benchmark for Table Question Answering in Ten Languages",
     "We release a multilingual benchmark of table questions. Current systems answer 57% of questions correctly, "
     "and errors concentrate on numeric reasoning. Data are at https://huggingface.co/datasets/tabq/tabq-10."),
]


def page_text(entries=SAMPLE_ENTRIES, layout: str = "blank_separated", day_line: str | None = "Aug 13",
              by_line: str = "byAK and the research community") -> str:
    """A Daily Papers text page in one of the two layouts."""
    if layout == "blank_separated":
        header = ["new", "Get trending papers in your email inbox!", "Subscribe", "Daily Papers", by_line]
        if day_line:
            header.append(day_line)
        lines = header + [field for entry in entries for field in entry]
        return "\n\n".join(lines) + "\n"
    first_title, first_abstract = entries[0]
    lines = ["Get trending papers in your email inbox once a day!", "Get trending papers in your email inbox!",
             "Subscribe" + first_title, first_abstract]
    lines += [field for entry in entries[1:] for field in entry]
    return "\n".join(lines) + "\n"


def api_json(entries=SAMPLE_ENTRIES, **overrides) -> str:
    items = []
    for index, (title, abstract) in enumerate(entries):
        paper = {"id": f"2611.{index + 1:05d}", "title": title, "summary": abstract, "upvotes": 10 + index,
                 "authors": [{"_id": f"a{index}", "name": f"Author {index}", "hidden": False}],
                 "publishedAt": "2026-11-18T17:42:09.000Z", "submittedOnDailyAt": "2026-11-20T01:12:44.000Z",
                 "githubRepo": f"https://github.com/lab{index}/repo{index}" if index % 2 == 0 else None,
                 "githubStars": 5 * index, "projectPage": None, "ai_keywords": ["x", "y"]}
        paper.update(overrides)
        items.append({"paper": paper, "title": title, "summary": abstract, "numComments": index})
    return json.dumps(items, indent=1)


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def require_shared(*parts: str) -> Path:
    """A path under ../shared. Missing, it skips the test on a developer's machine and fails it in
    CI (CI=true), where ../shared is always laid beside the clone and a skip would hide a gap."""
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists():
        message = f"{path} is not present"
        if running_in_ci():
            pytest.fail(f"{message} (CI=true: ../shared must be beside the repository)", pytrace=False)
        pytest.skip(message)
    return path


# `make test` runs with pytest-xdist (--dist loadfile). A test file is one unit of work, so its
# module fixtures are built once; a package whose fixtures start servers (Superset, the team stack)
# is one unit too. The longest units are handed out first, so no worker is left with a long tail.
SHARED_FIXTURE_PACKAGES = ("bi", "team")
LONGEST_FIRST = (  # measured with --durations; the rest keep their collection order
    "team", "bi", "test_faults.py", "test_no_false_stops.py", "dags/test_standard_layout.py",
    "test_embedded.py", "dags/test_daily_dag_run.py", "dags/test_backfill_dag_run.py", "test_export.py",
    "test_pipeline.py", "test_robustness.py", "warehouse/test_build.py", "warehouse/test_api_model.py",
)


def work_unit(nodeid: str) -> str:
    """The unit a test runs in: its file under tests/, or its package for SHARED_FIXTURE_PACKAGES."""
    relative = nodeid.split("::", 1)[0].removeprefix("tests/")
    package = relative.split("/", 1)[0]
    return package if package in SHARED_FIXTURE_PACKAGES else relative


@pytest.hookimpl(tryfirst=True, optionalhook=True)  # optional: `-p no:xdist` runs without it
def pytest_xdist_make_scheduler(config, log):
    """loadfile, with a package as one unit where its tests share servers. (xdist's loadgroup would
    express this with marks, but it silently stops grouping on pytest 9.2: pytest-xdist#1386.)"""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    config.option.loadscopereorder = False  # keep LONGEST_FIRST, not "most tests first"

    class WorkUnitScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    return WorkUnitScheduling(config, log)


def pytest_collection_modifyitems(config, items):
    def rank(item: pytest.Item) -> int:
        unit = work_unit(item.nodeid)
        return LONGEST_FIRST.index(unit) if unit in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: tests inside a unit keep their order


@pytest.fixture
def seeds_dir() -> Path:
    return require_shared("seeds")


@pytest.fixture
def seed_feed(seeds_dir: Path, tmp_path: Path) -> Path:
    """The three seeds as a feed directory, named by the dates the warehouse issue gives them."""
    feed = tmp_path / "seed_feed"
    feed.mkdir()
    for prefix, day in SEED_FILES.items():
        (source,) = seeds_dir.glob(prefix + "*.txt")
        (feed / f"{day}.txt").write_bytes(source.read_bytes())
    return feed


@pytest.fixture
def settings(tmp_path: Path, monkeypatch):
    from paperhouse.settings import Settings

    home = tmp_path / "home"
    monkeypatch.setenv("PAPERHOUSE_HOME", str(home))
    monkeypatch.delenv("PAPERHOUSE_FEED_DIR", raising=False)
    return Settings.from_env()
