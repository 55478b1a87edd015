"""The marts gate's suite: the staged warehouse, before it is published.

Tables are read into pandas through a read-only DuckDB connection that is closed before
validation (Great Expectations' SQL path on DuckDB fetches results after the connection closes).
Cross-table checks (referential integrity, papers lost since the last publish) are computed in
DuckDB SQL as frames of violating rows, which a check expects to be empty. They are validated as ONE
frame (`violations`: a check-name column and an example column), one row-conditioned expectation per
check: each Great Expectations validation run costs ~0.1 s whatever its rows, and almost every
violation frame is empty.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from paperhouse.errors import PaperhouseError
from paperhouse.quality.suite import VIOLATIONS, CheckSpec, StageInput
from paperhouse.settings import Settings

CLAIM_UNITS = ["percent", "points", "x", "score"]
CLAIM_KINDS = ["gain", "reduction", "score", "share", "finding"]
CLAIM_QUALIFIERS = ["up_to", "more_than", "at_least", "at_most", "about", "average"]
REPO_KINDS = ["code", "model", "dataset", "space"]

# Plausible claim values per unit: percent allows gains such as "300%"; x is a positive factor;
# points are differences on a 0..100 scale; scores run from small metrics up to Elo-like ratings.
CLAIM_VALUE_RANGES = {
    "percent": {"min_value": 0, "max_value": 1000},
    "x": {"min_value": 0, "max_value": 10_000, "strict_min": True},
    "points": {"min_value": -100, "max_value": 100},
    "score": {"min_value": -100, "max_value": 10_000},
}

PAPER_ID_PATTERN = r"^(?:arxiv:\d{4}\.\d{4,5}(?:v\d+)?|title:[0-9a-f]{32})$"
# Lower-cased host/owner/name; GitLab subgroups and HF datasets/spaces add segments.
REPO_ID_PATTERN = r"^[a-z0-9.-]+\.[a-z]+(?:/[^/\sA-Z]+){2,}$"

# The table each frame is read from, with the columns the checks need. A claim's text (the example
# of a failing claim check) is not validated: it is fetched by row id for a failing row only.
FRAME_QUERIES = {
    "dim_papers": "SELECT paper_id FROM dim_papers",
    "dim_repos": "SELECT repo_id, kind FROM dim_repos",
    "fct_claims": "SELECT rowid AS claim_row, claim_id, unit, kind, qualifier, value, value_max FROM fct_claims",
    "fct_paper_appearances": "SELECT appearance_id FROM fct_paper_appearances",
    "dim_snapshots": "SELECT snapshot_id FROM dim_snapshots",
}
KEYS = {
    "dim_papers": "paper_id",
    "dim_repos": "repo_id",
    "fct_claims": "claim_id",
    "fct_paper_appearances": "appearance_id",
    "dim_snapshots": "snapshot_id",
}
# Violation frames: rows that reference a missing parent. Name -> (query, example column).
ORPHAN_QUERIES = {
    "orphan_appearances": ("""
        SELECT appearance_id, paper_id FROM fct_paper_appearances a
        WHERE NOT EXISTS (SELECT 1 FROM dim_papers p WHERE p.paper_id = a.paper_id)""", "paper_id"),
    "appearances_unknown_snapshot": ("""
        SELECT appearance_id, snapshot_id FROM fct_paper_appearances a
        WHERE NOT EXISTS (SELECT 1 FROM dim_snapshots s WHERE s.snapshot_id = a.snapshot_id)""", "snapshot_id"),
    "orphan_claims": ("""
        SELECT claim_id, paper_id FROM fct_claims c
        WHERE NOT EXISTS (SELECT 1 FROM dim_papers p WHERE p.paper_id = c.paper_id)""", "paper_id"),
    "orphan_paper_repos": ("""
        SELECT paper_id, repo_id FROM bridge_paper_repos b
        WHERE NOT EXISTS (SELECT 1 FROM dim_papers p WHERE p.paper_id = b.paper_id)""", "paper_id"),
    "paper_repos_unknown_repo": ("""
        SELECT paper_id, repo_id FROM bridge_paper_repos b
        WHERE NOT EXISTS (SELECT 1 FROM dim_repos r WHERE r.repo_id = b.repo_id)""", "repo_id"),
}
AUTHOR_ORPHAN_QUERIES = {  # run when the warehouse has the author tables
    "orphan_paper_authors": ("""
        SELECT paper_id, author_id FROM bridge_paper_authors b
        WHERE NOT EXISTS (SELECT 1 FROM dim_papers p WHERE p.paper_id = b.paper_id)""", "paper_id"),
    "paper_authors_unknown_author": ("""
        SELECT paper_id, author_id FROM bridge_paper_authors b
        WHERE NOT EXISTS (SELECT 1 FROM dim_authors a WHERE a.author_id = b.author_id)""", "author_id"),
}
# The API's data model (organizations, submitters, keywords, links, trends, authors by identity):
# checked when the warehouse has those marts. Key columns, and violation frames for composite
# keys and references.
API_MODEL_TABLES = {"dim_organizations", "dim_submitters", "dim_authors", "bridge_paper_keywords",
                    "bridge_paper_links", "fct_paper_trends"}
API_MODEL_KEYS = {
    "dim_organizations": "organization_id",
    "dim_submitters": "user_name",
    "dim_authors": "author_id",
}
API_MODEL_QUERIES = {
    "papers_unknown_organization": ("""
        SELECT paper_id, organization_id FROM dim_papers p WHERE organization_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM dim_organizations o WHERE o.organization_id = p.organization_id)""",
        "organization_id"),
    "papers_unknown_submitter": ("""
        SELECT paper_id, submitted_by FROM dim_papers p WHERE submitted_by IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM dim_submitters s WHERE s.user_name = p.submitted_by)""", "submitted_by"),
    "orphan_paper_keywords": ("""
        SELECT paper_id, keyword FROM bridge_paper_keywords b
        WHERE NOT EXISTS (SELECT 1 FROM dim_papers p WHERE p.paper_id = b.paper_id)""", "paper_id"),
    "duplicate_paper_keyword": ("""
        SELECT paper_id, keyword FROM bridge_paper_keywords
        GROUP BY ALL HAVING count(*) > 1 OR keyword IS NULL""", "keyword"),
    "orphan_paper_links": ("""
        SELECT paper_id, url FROM bridge_paper_links b
        WHERE NOT EXISTS (SELECT 1 FROM dim_papers p WHERE p.paper_id = b.paper_id)""", "paper_id"),
    "duplicate_paper_link": ("""
        SELECT paper_id, url, source FROM bridge_paper_links
        GROUP BY ALL HAVING count(*) > 1 OR url IS NULL OR source IS NULL""", "url"),
    "orphan_paper_trends": ("""
        SELECT paper_id, snapshot_date FROM fct_paper_trends t
        WHERE NOT EXISTS (SELECT 1 FROM dim_papers p WHERE p.paper_id = t.paper_id)""", "paper_id"),
    "duplicate_paper_trend": ("""
        SELECT paper_id, snapshot_date FROM fct_paper_trends
        GROUP BY ALL HAVING count(*) > 1 OR snapshot_date IS NULL""", "paper_id"),
}
REQUIRED_TABLES = sorted(set(FRAME_QUERIES) | {"bridge_paper_repos"})

# A published paper is lost when neither its key nor its title is in staging any more (a page
# paper's title: key legitimately becomes arxiv: once the API reveals its arXiv id).
LOST_PAPERS_QUERY = """
    SELECT paper_id, title_key FROM published.dim_papers old
    WHERE NOT EXISTS (SELECT 1 FROM main.dim_papers new WHERE new.paper_id = old.paper_id)
      AND NOT EXISTS (SELECT 1 FROM main.dim_papers new WHERE new.title_key = old.title_key)"""
# (Two NOT EXISTS, not one with OR: DuckDB turns each into a hash anti-join; the OR is a nested loop.)


def _key_checks(table: str, key: str) -> list[CheckSpec]:
    return [
        CheckSpec(f"null_{key}", table, "ExpectColumnValuesToNotBeNull", {"column": key}),
        CheckSpec(f"duplicate_{key}", table, "ExpectColumnValuesToBeUnique", {"column": key}, example_column=key),
    ]


# The frame of every violating row of every cross-table check: which check, and its example value.
VIOLATIONS_FRAME = "violations"
VIOLATION_COLUMN = "violation"
EXAMPLE_COLUMN = "example"


def violations_frame(violating: dict[str, tuple[pd.DataFrame, str]]) -> pd.DataFrame:
    """One frame of the violating rows of each check (name -> (rows, example column)), in check order."""
    parts = [pd.DataFrame({VIOLATION_COLUMN: pd.Series([name] * len(rows), dtype=object),
                           EXAMPLE_COLUMN: pd.Series(rows[example].astype(object).to_numpy(), dtype=object)})
             for name, (rows, example) in violating.items()]
    return pd.concat(parts, ignore_index=True)


def violating_rows(stage_input: StageInput, check: str) -> pd.DataFrame:
    """The violating rows of one cross-table check (its example column as `example`)."""
    frame = stage_input.frames[VIOLATIONS_FRAME]
    return frame[frame[VIOLATION_COLUMN] == check].reset_index(drop=True)


def _violation_check(name: str) -> CheckSpec:
    return CheckSpec(name, VIOLATIONS_FRAME, "ExpectTableRowCountToEqual", {"value": 0},
                     counted=VIOLATIONS, example_column=EXAMPLE_COLUMN, where=(VIOLATION_COLUMN, name))


def _claim_checks() -> list[CheckSpec]:
    checks = [
        CheckSpec("claim_unit_unknown", "fct_claims", "ExpectColumnValuesToBeInSet",
                  {"column": "unit", "value_set": CLAIM_UNITS}, example_column="unit"),
        CheckSpec("claim_kind_unknown", "fct_claims", "ExpectColumnValuesToBeInSet",
                  {"column": "kind", "value_set": CLAIM_KINDS}, example_column="kind"),
        CheckSpec("claim_qualifier_unknown", "fct_claims", "ExpectColumnValuesToBeInSet",
                  {"column": "qualifier", "value_set": CLAIM_QUALIFIERS}, example_column="qualifier"),
        CheckSpec("claim_value_missing", "fct_claims", "ExpectColumnValuesToNotBeNull",
                  {"column": "value"}, example_column="text"),
        CheckSpec("claim_range_reversed", "fct_claims", "ExpectColumnPairValuesAToBeGreaterThanB",
                  {"column_A": "value_max", "column_B": "value", "or_equal": True,
                   "ignore_row_if": "either_value_is_missing"}, example_column="text"),
    ]
    for unit, bounds in CLAIM_VALUE_RANGES.items():
        checks.append(CheckSpec(
            f"claim_{unit}_out_of_range", "fct_claims", "ExpectColumnValuesToBeBetween",
            {"column": "value", **bounds}, example_column="text", where=("unit", unit)))
    return checks


def claim_text_fetcher(warehouse_path: Path):
    """`StageInput.fetch_example` of the marts: a failing claim's text, read by its row id from the
    (read-only, unchanged) warehouse file, converted by pandas as the frames are."""
    def fetch(frame_name: str, column: str, row: pd.Series):
        if frame_name != "fct_claims" or column != "text":
            raise KeyError(f"marts gate: no {column} to fetch for {frame_name}")
        with duckdb.connect(str(warehouse_path), read_only=True) as con:
            found = con.execute("SELECT text FROM fct_claims WHERE rowid = ?", [int(row["claim_row"])]).df()
        return found.loc[0, "text"]
    return fetch


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()
    return {name for (name,) in rows}


def build(settings: Settings, warehouse_path: Path) -> StageInput:
    if not warehouse_path.exists():
        raise PaperhouseError(f"{warehouse_path}: no warehouse to audit; run the build first")
    published = settings.warehouse_path
    compare_with_published = published.exists() and published.resolve() != warehouse_path.resolve()
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        con.execute("SET enable_progress_bar = false")  # quiet: no bar on the terminal of a gate run
        tables = _tables(con)
        missing = [table for table in REQUIRED_TABLES if table not in tables]
        if missing:
            frames = {VIOLATIONS_FRAME: violations_frame(
                {"missing_tables": (pd.DataFrame({"table_name": missing}), "table_name")})}
            return StageInput("marts", warehouse_path.stem, frames, [_violation_check("missing_tables")],
                              params={"warehouse": str(warehouse_path)})
        subject = con.execute("SELECT max(snapshot_date) FROM dim_snapshots").fetchone()[0]
        keys = dict(KEYS)
        frame_queries = dict(FRAME_QUERIES)
        orphan_queries = dict(ORPHAN_QUERIES)
        if {"bridge_paper_authors", "dim_authors"} <= tables:
            orphan_queries.update(AUTHOR_ORPHAN_QUERIES)
        if API_MODEL_TABLES <= tables:
            keys.update(API_MODEL_KEYS)
            frame_queries.update({table: f"SELECT {key} FROM {table}" for table, key in API_MODEL_KEYS.items()})
            orphan_queries.update(API_MODEL_QUERIES)
        frames = {name: con.execute(query).df() for name, query in frame_queries.items()}
        if compare_with_published:
            quoted = str(published).replace("'", "''")
            con.execute(f"ATTACH '{quoted}' AS published (READ_ONLY)")
            orphan_queries["papers_lost_since_publish"] = (LOST_PAPERS_QUERY, "paper_id")
        frames[VIOLATIONS_FRAME] = violations_frame(
            {name: (con.execute(query).df(), example) for name, (query, example) in orphan_queries.items()})
    except duckdb.Error as exc:
        raise PaperhouseError(f"{warehouse_path}: cannot read the marts: {exc}".splitlines()[0]) from exc
    finally:
        con.close()

    checks = [check for table, key in keys.items() for check in _key_checks(table, key)]
    checks += [
        CheckSpec("malformed_paper_id", "dim_papers", "ExpectColumnValuesToMatchRegex",
                  {"column": "paper_id", "regex": PAPER_ID_PATTERN}, example_column="paper_id"),
        CheckSpec("malformed_repo_id", "dim_repos", "ExpectColumnValuesToMatchRegex",
                  {"column": "repo_id", "regex": REPO_ID_PATTERN}, example_column="repo_id"),
        CheckSpec("repo_kind_unknown", "dim_repos", "ExpectColumnValuesToBeInSet",
                  {"column": "kind", "value_set": REPO_KINDS}, example_column="kind"),
    ]
    checks += _claim_checks()
    checks += [_violation_check(name) for name in orphan_queries]
    return StageInput(
        stage="marts",
        subject=str(subject) if subject is not None else warehouse_path.stem,  # the latest day it holds
        frames=frames,
        checks=checks,
        params={"warehouse": str(warehouse_path),
                "published": str(published) if compare_with_published else None,
                "rows": {name: len(frame) for name, frame in frames.items() if name in frame_queries}},
        fetch_example=claim_text_fetcher(warehouse_path),
    )
