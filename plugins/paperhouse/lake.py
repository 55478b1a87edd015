"""The Parquet lake: explicit schemas and atomic, hive-partitioned partition writes.

Layout: ``<lake>/<table>/snapshot_date=YYYY-MM-DD/data.parquet``. The partition column lives in
the directory name only (readers use hive partitioning). Each partition is one file, replaced with
``os.replace`` after it is fully written, so a reader never sees half a partition.

A day is written table by table with ``snapshots`` last: the snapshots row is the commit record.
Readers join on ``snapshot_id``, so rows of a snapshot whose ``snapshots`` row was never written
(a crash mid-way) are invisible, and re-ingesting the same file completes the day.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from paperhouse.faults import crash_point
from paperhouse.fsio import replacing, replacing_all

PARTITION_COLUMN = "snapshot_date"
PARTITION_FILE = "data.parquet"

SNAPSHOTS = pa.schema([
    pa.field("snapshot_id", pa.string(), nullable=False),      # sha256 of the landed bytes
    pa.field("source", pa.string(), nullable=False),           # path or URL it came from
    pa.field("format", pa.string(), nullable=False),           # "page" | "api"
    pa.field("layout", pa.string(), nullable=False),           # "blank_separated" | "line_per_field" | "api_json"
    pa.field("in_page_date", pa.string()),                     # the day line printed on a page ("Aug 13"), if any
    pa.field("byte_size", pa.int64(), nullable=False),
    pa.field("entry_count", pa.int32(), nullable=False),
    pa.field("ingested_at", pa.timestamp("us", tz="UTC"), nullable=False),
    pa.field("parser_version", pa.string(), nullable=False),
    pa.field("extractor_version", pa.string(), nullable=False),
    pa.field("waived_checks", pa.list_(pa.string())),          # raw-gate checks waived by a release
    pa.field("replaces_snapshot_id", pa.string()),             # the day's earlier snapshot, restored if this one is rejected
])

ENTRIES = pa.schema([
    pa.field("snapshot_id", pa.string(), nullable=False),
    pa.field("position", pa.int32(), nullable=False),          # 1-based place on the page
    pa.field("title", pa.string(), nullable=False),
    pa.field("abstract", pa.string(), nullable=False),
    # API fields: null for page snapshots.
    pa.field("arxiv_id", pa.string()),
    pa.field("authors", pa.list_(pa.string())),
    pa.field("upvotes", pa.int32()),
    pa.field("num_comments", pa.int32()),
    pa.field("github_repo", pa.string()),
    pa.field("github_stars", pa.int32()),
    pa.field("project_page", pa.string()),
    pa.field("ai_summary", pa.string()),
    pa.field("ai_keywords", pa.list_(pa.string())),
    pa.field("published_at", pa.timestamp("us", tz="UTC")),
    pa.field("submitted_at", pa.timestamp("us", tz="UTC")),    # submittedOnDailyAt
    pa.field("is_withdrawn", pa.bool_()),
    # Who: parallel to `authors`, the HF author id and linked HF account of each (null when unknown).
    pa.field("author_ids", pa.list_(pa.string())),
    pa.field("author_users", pa.list_(pa.string())),
    pa.field("organization_id", pa.string()),                  # organization `_id` (in `paper` or the item)
    pa.field("organization_name", pa.string()),                # its HF handle
    pa.field("organization_fullname", pa.string()),
    pa.field("submitter_id", pa.string()),                     # submittedOnDailyBy / submittedBy `_id`
    pa.field("submitter_user", pa.string()),                   # the submitter's HF user name
    pa.field("submitter_fullname", pa.string()),
])

REPO_MENTIONS = pa.schema([
    pa.field("snapshot_id", pa.string(), nullable=False),
    pa.field("position", pa.int32(), nullable=False),
    pa.field("repo_id", pa.string(), nullable=False),          # lower-cased host/owner/name (datasets/spaces prefixed)
    pa.field("host", pa.string(), nullable=False),
    pa.field("kind", pa.string(), nullable=False),             # code | model | dataset | space
    pa.field("owner", pa.string(), nullable=False),
    pa.field("name", pa.string(), nullable=False),
    pa.field("url", pa.string(), nullable=False),              # canonical URL, original case
    pa.field("path", pa.string()),                             # /tree/<ref>/<path> remainder, if any
    pa.field("source", pa.string(), nullable=False),           # "abstract" | "api"
    pa.field("char_offset", pa.int32()),                       # offset in the abstract (null for api)
    pa.field("extractor_version", pa.string(), nullable=False),
])

LINKS = pa.schema([
    pa.field("snapshot_id", pa.string(), nullable=False),
    pa.field("position", pa.int32(), nullable=False),
    pa.field("url", pa.string(), nullable=False),
    pa.field("host", pa.string(), nullable=False),
    pa.field("kind", pa.string(), nullable=False),             # repo | project_page | organization | short_link | other
    pa.field("source", pa.string(), nullable=False),           # "abstract" | "api"
    pa.field("char_offset", pa.int32()),
    pa.field("extractor_version", pa.string(), nullable=False),
])

CLAIMS = pa.schema([
    pa.field("snapshot_id", pa.string(), nullable=False),
    pa.field("position", pa.int32(), nullable=False),
    pa.field("char_offset", pa.int32(), nullable=False),       # offset of `text` in the abstract
    pa.field("value", pa.float64(), nullable=False),
    pa.field("value_max", pa.float64()),
    pa.field("unit", pa.string(), nullable=False),             # percent | points | x | score
    pa.field("kind", pa.string(), nullable=False),             # gain | reduction | score | share | finding
    pa.field("qualifier", pa.string()),
    pa.field("metric", pa.string()),
    pa.field("text", pa.string(), nullable=False),
    pa.field("extractor_version", pa.string(), nullable=False),
    # id of the extractor rule that took the claim (claims.rules.RULES); null in partitions written
    # before claims 2.0.0 (`paperhouse reprocess` fills it)
    pa.field("rule", pa.string()),
])

SCHEMAS: dict[str, pa.Schema] = {
    "entries": ENTRIES,
    "repo_mentions": REPO_MENTIONS,
    "links": LINKS,
    "claims": CLAIMS,
    "snapshots": SNAPSHOTS,  # last: the commit record of a day
}


def partition_path(lake_dir: Path, table: str, snapshot_date: dt.date) -> Path:
    return lake_dir / table / f"{PARTITION_COLUMN}={snapshot_date.isoformat()}" / PARTITION_FILE


def table_glob(lake_dir: Path, table: str) -> str:
    return str(lake_dir / table / f"{PARTITION_COLUMN}=*" / "*.parquet")


def to_table(table: str, rows: list[dict]) -> pa.Table:
    """Rows (dicts) -> a table of exactly the table's schema; unknown keys are an error."""
    schema = SCHEMAS[table]
    names = set(schema.names)
    for row in rows:
        extra = set(row) - names
        if extra:
            raise ValueError(f"{table}: unexpected columns {sorted(extra)}")
    return pa.Table.from_pylist(rows, schema=schema)


def _conformed(table: str, data: pa.Table) -> pa.Table:
    schema = SCHEMAS[table]
    return data if data.schema.equals(schema) else data.cast(schema)


def write_partition(lake_dir: Path, table: str, snapshot_date: dt.date, data: pa.Table) -> Path:
    """Write one table's partition for a day, replacing any earlier one atomically."""
    final = partition_path(lake_dir, table, snapshot_date)
    with replacing(final) as tmp:
        pq.write_table(_conformed(table, data), tmp, compression="zstd")
    return final


def _write_partitions(lake_dir: Path, snapshot_date: dt.date, tables: dict[str, pa.Table]) -> None:
    """Several of a day's partitions, each as `write_partition` does, but flushed to disk together
    (most of a backfill's ingest wall time on a busy disk was waiting on one fsync per table)."""
    finals = [partition_path(lake_dir, table, snapshot_date) for table in tables]
    with replacing_all(finals) as temporaries:
        for (table, data), tmp in zip(tables.items(), temporaries):
            pq.write_table(_conformed(table, data), tmp, compression="zstd")


def write_day(lake_dir: Path, snapshot_date: dt.date, tables: dict[str, pa.Table]) -> None:
    """Write every table of one day; `snapshots` goes last so it commits the day."""
    missing = set(SCHEMAS) - set(tables)
    if missing:
        raise ValueError(f"write_day: missing tables {sorted(missing)}")
    _write_partitions(lake_dir, snapshot_date, {table: tables[table] for table in SCHEMAS if table != "snapshots"})
    crash_point("ingest")
    write_partition(lake_dir, "snapshots", snapshot_date, tables["snapshots"])


def remove_day(lake_dir: Path, snapshot_date: dt.date) -> None:
    """Take a day out of the lake: the commit record first, so a crash leaves it uncommitted."""
    for table in reversed(list(SCHEMAS)):
        partition_path(lake_dir, table, snapshot_date).unlink(missing_ok=True)


def read_partition(lake_dir: Path, table: str, snapshot_date: dt.date) -> pa.Table | None:
    path = partition_path(lake_dir, table, snapshot_date)
    if not path.exists():
        return None
    return pq.read_table(path, schema=SCHEMAS[table])


def partition_dates(lake_dir: Path, table: str = "snapshots") -> list[dt.date]:
    """Dates that have a committed partition of `table`, oldest first."""
    root = lake_dir / table
    if not root.is_dir():
        return []
    dates = []
    for child in root.iterdir():
        name = child.name
        if name.startswith(PARTITION_COLUMN + "=") and (child / PARTITION_FILE).exists():
            dates.append(dt.date.fromisoformat(name.split("=", 1)[1]))
    return sorted(dates)


def committed_snapshots(lake_dir: Path) -> dict[dt.date, tuple[str, int]]:
    """Every committed day's (snapshot_id, entry_count), in one dataset scan (temporary files start
    with "." and are skipped), for questions about the whole lake such as what is not yet published."""
    import pyarrow.dataset as ds

    root = lake_dir / "snapshots"
    if not root.is_dir():
        return {}
    dataset = ds.dataset(str(root), format="parquet", partitioning="hive")
    if "snapshot_id" not in dataset.schema.names:
        return {}  # every day was taken out again: only empty partition folders are left
    scanned = dataset.to_table(columns=["snapshot_id", "entry_count", PARTITION_COLUMN])
    return {dt.date.fromisoformat(str(day)): (snapshot_id, count)
            for snapshot_id, count, day in zip(scanned.column("snapshot_id").to_pylist(),
                                               scanned.column("entry_count").to_pylist(),
                                               scanned.column(PARTITION_COLUMN).to_pylist())}


def committed_snapshot_ids(lake_dir: Path) -> dict[dt.date, str]:
    """Every committed day's snapshot_id (see `committed_snapshots`)."""
    return {day: snapshot_id for day, (snapshot_id, _count) in committed_snapshots(lake_dir).items()}


def snapshot_for_date(lake_dir: Path, snapshot_date: dt.date) -> dict | None:
    """The committed snapshots row of a day, if any."""
    data = read_partition(lake_dir, "snapshots", snapshot_date)
    if data is None or data.num_rows == 0:
        return None
    return data.to_pylist()[0]
