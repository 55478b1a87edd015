"""The raw gate's suite: one new lake partition (the day's `entries`) against the recent days.

What it catches is what a parser cannot see on its own: a page whose fields came out shifted
(abstracts that read like titles, titles equal to abstracts), duplicate positions, impossible
lengths and API values out of range: these stop the day. A day with far fewer or more entries than
usual only warns (unless PAPERHOUSE_GATE_VOLUME=stop): real days swing 4x and more (weekends,
deadlines), so no ratio to a recent median tells a quiet day from a page cut short.

Every check is per row, or per row of the one-row `volume` frame, so that many days can be
validated as one batch and each day still gets its own result (see `gates.run_raw_gates`).
"""
from __future__ import annotations

import datetime as dt
import math
import re
import statistics

import pandas as pd

from paperhouse import lake
from paperhouse.errors import PaperhouseError
from paperhouse.quality.suite import STOP, SUBJECT_COLUMN, TABLE, WARN, CheckSpec, StageInput
from paperhouse.settings import Settings

TITLE_CHARS = (3, 400)
ABSTRACT_CHARS = (50, 10_000)
ARXIV_ID_PATTERN = r"^\d{4}\.\d{4,5}(?:v\d+)?$"

# A title-like text is short, does not end a sentence and capitalises most of its words.
TITLE_LIKE_MAX_CHARS = 250
TITLE_LIKE_MIN_CAPITALISED_SHARE = 0.6
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# Words a title leaves in lower case ("Learning to Rank with Graphs").
_MINOR_WORDS = frozenset(
    "a an and as at but by for from in into is of on or over per the to via vs with without".split()
)

ENTRY_COLUMNS = ["position", "title", "abstract", "arxiv_id", "upvotes", "num_comments", "github_stars"]


def is_title_like(text: str | None) -> bool:
    """Whether `text` reads like a paper title rather than prose.

    An abstract that does is the signature of a misaligned page: a title landed in the abstract
    slot. Real abstracts are long, end with a period and capitalise only the odd word."""
    if text is None:
        return False
    text = text.strip()
    if not text or len(text) > TITLE_LIKE_MAX_CHARS or _SENTENCE_END.search(text):
        return False
    words = [word for word in _WORD.findall(text) if word.lower() not in _MINOR_WORDS]
    if not words:
        return False
    capitalised = sum(1 for word in words if word[0].isupper())
    return capitalised / len(words) >= TITLE_LIKE_MIN_CAPITALISED_SHARE


def lake_entry_counts(settings: Settings) -> dict[dt.date, int]:
    """Every committed day's entry count, in one scan of the lake's snapshots table."""
    import pyarrow.dataset as ds

    root = settings.lake_dir / "snapshots"
    if not root.is_dir():
        return {}
    scanned = ds.dataset(str(root), format="parquet", partitioning="hive").to_table(
        columns=["entry_count", lake.PARTITION_COLUMN])
    return {dt.date.fromisoformat(str(day)): count for count, day in
            zip(scanned.column("entry_count").to_pylist(), scanned.column(lake.PARTITION_COLUMN).to_pylist())}


def count_bounds(settings: Settings, snapshot_date: dt.date, entry_counts: dict[dt.date, int] | None = None) -> dict:
    """The expected entry-count range for a day, from the lake's days before it (`entry_counts`:
    `lake_entry_counts`, passed in by a caller auditing many days so the lake is scanned once).

    Returns {"history": {date: entry_count}, "median", "min", "max"}; min/max are None while fewer
    than `gate_warmup_days` earlier days exist (warm-up: no count check yet)."""
    counts = lake_entry_counts(settings) if entry_counts is None else entry_counts
    earlier = sorted(day for day in counts if day < snapshot_date)
    history = {day.isoformat(): counts[day] for day in earlier[-settings.gate_history_days:]}
    if len(earlier) < settings.gate_warmup_days or not history:
        return {"history": history, "median": None, "min": None, "max": None}
    median = statistics.median(history.values())
    return {
        "history": history,
        "median": median,
        "min": math.ceil(median * settings.gate_min_count_ratio),
        "max": math.floor(median * settings.gate_max_count_ratio),
    }


def load_entries(settings: Settings, snapshot_date: dt.date) -> tuple[dict, pd.DataFrame]:
    """The day's committed snapshots row and its entries (only the columns the suite reads)."""
    snapshot = lake.snapshot_for_date(settings.lake_dir, snapshot_date)
    if snapshot is None:
        path = lake.partition_path(settings.lake_dir, "snapshots", snapshot_date)
        raise PaperhouseError(f"{path}: no committed snapshot for {snapshot_date}; ingest the day first")
    table = lake.read_partition(settings.lake_dir, "entries", snapshot_date)
    if table is None:
        path = lake.partition_path(settings.lake_dir, "entries", snapshot_date)
        raise PaperhouseError(f"{path}: missing, though the day's snapshots row exists")
    # A partition holds one snapshot, but only rows of the committed one count.
    frame = table.select(["snapshot_id", *ENTRY_COLUMNS]).to_pandas()
    frame = frame[frame["snapshot_id"] == snapshot["snapshot_id"]].drop(columns="snapshot_id")
    return snapshot, with_derived_columns(frame.reset_index(drop=True))


def with_derived_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The per-row flags the suite checks, computed once here rather than row by row in GE."""
    frame["abstract_title_like"] = frame["abstract"].map(is_title_like).astype(bool)
    frame["title_equals_abstract"] = (frame["title"] == frame["abstract"]).fillna(False).astype(bool)
    return frame


def load_days(settings: Settings, snapshot_dates: list[dt.date]) -> dict[dt.date, tuple[dict, pd.DataFrame]]:
    """`load_entries` for many days in one read of the lake (a backfill audits hundreds): the
    committed snapshots rows in one dataset scan, the days' entries files as one dataset. Days
    without a committed snapshot or an entries file are left out (`load_entries` says why)."""
    import pyarrow.dataset as ds

    wanted = set(snapshot_dates)
    root = settings.lake_dir / "snapshots"
    if not wanted or not root.is_dir():
        return {}
    scanned = ds.dataset(str(root), format="parquet", partitioning="hive")
    if "snapshot_id" not in scanned.schema.names:
        return {}
    snapshots = {}
    for row in scanned.to_table().to_pylist():
        day = dt.date.fromisoformat(str(row.pop(lake.PARTITION_COLUMN)))
        if day in wanted:
            snapshots[day] = row
    days = [day for day in sorted(snapshots) if lake.partition_path(settings.lake_dir, "entries", day).is_file()]
    if not days:
        return {}
    paths = [str(lake.partition_path(settings.lake_dir, "entries", day)) for day in days]
    table = ds.dataset(paths, format="parquet", schema=lake.ENTRIES).to_table(columns=["snapshot_id", *ENTRY_COLUMNS])
    frame = table.to_pandas()
    # Only rows of each day's committed snapshot count (as in load_entries).
    day_of_snapshot = {snapshots[day]["snapshot_id"]: day for day in days}
    frame = with_derived_columns(frame[frame["snapshot_id"].isin(day_of_snapshot)])
    loaded = {}
    for snapshot_id, part in frame.groupby("snapshot_id", sort=False):
        loaded[day_of_snapshot[snapshot_id]] = (snapshots[day_of_snapshot[snapshot_id]],
                                                part.drop(columns="snapshot_id").reset_index(drop=True))
    for day in days:  # a committed snapshot with no rows: an empty frame, as load_entries gives
        if day not in loaded:
            loaded[day] = (snapshots[day], frame.iloc[0:0].drop(columns="snapshot_id").reset_index(drop=True))
    return loaded


def volume_frame(entry_count: int, bounds: dict) -> pd.DataFrame:
    """One row: the day's entry count and its ratio to the recent median (None in warm-up)."""
    ratio = entry_count / bounds["median"] if bounds["median"] else float("nan")
    return pd.DataFrame({"entry_count": [entry_count], "count_to_median": [ratio]})


def build(settings: Settings, snapshot_date: dt.date, entry_counts: dict[dt.date, int] | None = None,
          loaded: tuple[dict, pd.DataFrame] | None = None) -> StageInput:
    """The day's stage input; `loaded`: the day's (snapshots row, entries) from `load_days`."""
    snapshot, entries = loaded if loaded is not None else load_entries(settings, snapshot_date)
    bounds = count_bounds(settings, snapshot_date, entry_counts)
    if bounds["min"] is None:
        expected = "any count (warm-up)"
    else:
        expected = (f"{bounds['min']}..{bounds['max']} entries "
                    f"(median {bounds['median']:g} of the last {len(bounds['history'])} days)")
    title_like_share = settings.gate_max_title_like_share
    checks = [
        # count >= ceil(median * min) <=> count / median >= min (counts are whole): same bounds.
        CheckSpec("entry_count_out_of_range", "volume", "ExpectColumnValuesToBeBetween",
                  {"column": "count_to_median", "min_value": settings.gate_min_count_ratio,
                   "max_value": settings.gate_max_count_ratio},
                  counted=TABLE, example_column="entry_count", expected=expected,
                  severity=WARN if settings.gate_volume == "warn" else STOP),
        CheckSpec("abstracts_look_like_titles", "entries", "ExpectColumnValuesToBeInSet",
                  {"column": "abstract_title_like", "value_set": [False], "mostly": 1.0 - title_like_share},
                  example_column="abstract"),
        # A flag column, not ExpectSelectColumnValuesToBeUniqueWithinRecord: GE computes that row by
        # row in Python (50 s on a year of entries); the comparison is one vectorised step here.
        CheckSpec("title_equals_abstract", "entries", "ExpectColumnValuesToBeInSet",
                  {"column": "title_equals_abstract", "value_set": [False]}, example_column="title"),
        CheckSpec("duplicate_positions", "entries", "ExpectCompoundColumnsToBeUnique",
                  {"column_list": [SUBJECT_COLUMN, "position"]}, example_column="position"),
        CheckSpec("title_missing", "entries", "ExpectColumnValuesToNotBeNull",
                  {"column": "title"}, example_column="position"),
        CheckSpec("abstract_missing", "entries", "ExpectColumnValuesToNotBeNull",
                  {"column": "abstract"}, example_column="title"),
        CheckSpec("title_length_implausible", "entries", "ExpectColumnValueLengthsToBeBetween",
                  {"column": "title", "min_value": TITLE_CHARS[0], "max_value": TITLE_CHARS[1]},
                  example_column="title"),
        CheckSpec("abstract_length_implausible", "entries", "ExpectColumnValueLengthsToBeBetween",
                  {"column": "abstract", "min_value": ABSTRACT_CHARS[0], "max_value": ABSTRACT_CHARS[1]},
                  example_column="abstract"),
        CheckSpec("negative_upvotes", "entries", "ExpectColumnValuesToBeBetween",
                  {"column": "upvotes", "min_value": 0}, example_column="upvotes"),
        CheckSpec("negative_num_comments", "entries", "ExpectColumnValuesToBeBetween",
                  {"column": "num_comments", "min_value": 0}, example_column="num_comments"),
        CheckSpec("negative_github_stars", "entries", "ExpectColumnValuesToBeBetween",
                  {"column": "github_stars", "min_value": 0}, example_column="github_stars"),
        CheckSpec("malformed_arxiv_id", "entries", "ExpectColumnValuesToMatchRegex",
                  {"column": "arxiv_id", "regex": ARXIV_ID_PATTERN}, example_column="arxiv_id"),
    ]
    return StageInput(
        stage="raw",
        subject=snapshot_date.isoformat(),
        frames={"entries": entries, "volume": volume_frame(len(entries), bounds)},
        checks=checks,
        params={"entry_count": len(entries), "count_bounds": bounds, "max_title_like_share": title_like_share,
                "volume": settings.gate_volume},
        snapshot_id=snapshot["snapshot_id"],
        waived=frozenset(snapshot.get("waived_checks") or ()),
    )
