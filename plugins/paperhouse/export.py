"""BI exports of the published warehouse: complete or absent, with a manifest to check them by.

Layout: ``<home>/exports/<snapshot date>/`` holds ``<mart>.parquet`` and ``<mart>.csv`` for every
mart, ``paperhouse.duckdb`` (a read-only copy of the published warehouse) and ``manifest.json``
(its ``build_id`` is the sha256 of the warehouse it exports). CSV text cells are made safe for
spreadsheets: no escape sequences, and a leading ' before = + - @ (see safe_text); Parquet is as is.
``<home>/exports/latest`` is a relative symlink to the newest export; the newest
``PAPERHOUSE_EXPORT_KEEP`` exports (14) are kept, older ones deleted after ``latest`` moves.

An export is written into ``exports/.tmp-<uuid>/``, verified (each file's row count and columns:
COPY's count, the Parquet footer, the CSV's header and records), renamed onto its date and only then
is ``latest`` repointed (symlink under a temporary name, ``os.replace`` onto ``latest``), so a
failure part-way leaves the previous export and ``latest`` untouched. An export may also be written
from a build before it is published and held for approval (``approve``): it becomes visible only
once approved, and is discarded otherwise. Exports take their own lock
(``exports/.lock``, not the writer lock: they only read the published file), which makes it safe
to sweep the leftovers of a crashed export at the start.
"""
from __future__ import annotations

import csv
import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import shutil
import stat
import uuid
from collections.abc import Callable
from pathlib import Path

import duckdb

from paperhouse import __version__
from paperhouse.fsio import fsync_path
from paperhouse.errors import PaperhouseError
from paperhouse.faults import crash_point
from paperhouse.safe_text import sql_csv_safe
from paperhouse.report import REPORT_FILE, write_report
from paperhouse.settings import Settings

MART_NAME = re.compile(r"^(dim|fct|bridge|agg)_")
EXPORT_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WAREHOUSE_COPY = "paperhouse.duckdb"
MANIFEST = "manifest.json"
LATEST = "latest"
LOCK_FILE = ".lock"
# Working names inside exports/; they start with a dot so BI tools listing dates skip them.
TMP_PREFIX = ".tmp-"
OLD_PREFIX = ".old-"
LINK_PREFIX = ".latest-"
# The dialect DuckDB writes the CSVs in (what _csv_shape counts by): read them with it, not by sniffing.
CSV_READ_OPTIONS = "header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"'"
READ_CHUNK = 1 << 20  # bytes of a CSV counted at a time


def export_warehouse(settings: Settings, run_id: str | None = None, warehouse_path: Path | None = None,
                     approve: Callable[[], object] | None = None) -> Path:
    """Export every mart of the published warehouse (or of `warehouse_path`); returns
    ``exports/<date>/``. `approve`, when given, is called once the files are written and verified,
    before anything is visible: if it raises, the export is discarded and ``latest`` stays. So a
    run can export a staged build while its audit runs, and show the export only once that build
    has passed and been published."""
    source = warehouse_path or settings.warehouse_path
    if not source.is_file():
        raise PaperhouseError(f"{source}: no published warehouse to export")
    exports_dir = settings.exports_dir
    exports_dir.mkdir(parents=True, exist_ok=True)
    with open(exports_dir / LOCK_FILE, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one exporter at a time; released if the process dies
        _sweep_leftovers(exports_dir)
        staging = exports_dir / f"{TMP_PREFIX}{uuid.uuid4().hex}"
        staging.mkdir()
        try:
            snapshot_date = _write_export(settings, source, staging, run_id)
            _fsync_tree(staging)
            crash_point("export")
            if approve is not None:
                approve()
            final = exports_dir / snapshot_date.isoformat()
            _move_into_place(staging, final)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        _point_latest(exports_dir, final.name)
        prune_exports(exports_dir, settings.export_keep)
    return final


def prune_exports(exports_dir: Path, keep: int) -> list[str]:
    """Delete dated exports beyond the newest `keep` (never the one `latest` points to); returns
    the names removed. A reader holding a file of a removed export keeps reading it (POSIX)."""
    if keep <= 0:
        return []
    latest = exports_dir / LATEST
    current = os.readlink(latest) if latest.is_symlink() else None
    dated = sorted((child.name for child in exports_dir.iterdir()
                    if EXPORT_NAME.match(child.name) and child.is_dir() and not child.is_symlink()), reverse=True)
    removed = [name for name in dated[keep:] if name != current]
    for name in removed:
        # Set aside first, so a crash mid-delete leaves an .old-* leftover the next export sweeps.
        aside = exports_dir / f"{OLD_PREFIX}{uuid.uuid4().hex}"
        os.rename(exports_dir / name, aside)
        shutil.rmtree(aside)
    return removed


def latest_export(settings: Settings) -> Path | None:
    """The directory ``exports/latest`` points to, or None if there is no export yet."""
    link = settings.exports_dir / LATEST
    if not link.is_symlink():
        return None
    target = (settings.exports_dir / os.readlink(link)).resolve()
    return target if target.is_dir() else None


def _write_export(settings: Settings, source: Path, staging: Path, run_id: str | None) -> dt.date:
    """Fill `staging` with the files and the manifest; returns the latest snapshot date."""
    produced_at = dt.datetime.now(dt.timezone.utc)
    # Copy first and read the marts from the copy: publish may replace the source mid-export, and
    # the Parquet, CSV and DuckDB files must all describe the same warehouse.
    copy_path = staging / WAREHOUSE_COPY
    shutil.copyfile(source, copy_path)
    os.chmod(copy_path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)

    descriptions = _dbt_descriptions(_dbt_manifest_path(settings))
    con = duckdb.connect(str(copy_path), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")  # timestamps in the CSVs read the same everywhere
        marts = _mart_names(con, source)
        first_date, last_date = _snapshot_range(con, source)
        mart_columns = _columns(con)
        tables = []
        for name in marts:
            columns = mart_columns[name]
            row_count = con.execute(f"SELECT count(*) FROM {_ident(name)}").fetchone()[0]
            files = {"parquet": f"{name}.parquet", "csv": f"{name}.csv"}
            written = {
                "parquet": con.execute(f"COPY (SELECT * FROM {_ident(name)}) TO "
                                       f"{_literal(staging / files['parquet'])} (FORMAT parquet)").fetchone()[0],
                "csv": con.execute(f"COPY (SELECT {_csv_select(columns)} FROM {_ident(name)}) TO "
                                   f"{_literal(staging / files['csv'])} (FORMAT csv, HEADER)").fetchone()[0],
            }
            _verify_files(con, staging, files, [c["name"] for c in columns], row_count, written)
            table_docs = descriptions.get(name, {})
            for column in columns:
                column["description"] = table_docs.get("columns", {}).get(column["name"], "")
            tables.append({
                "name": name,
                "description": table_docs.get("description", ""),
                "row_count": row_count,
                "columns": columns,
                "files": files,
            })
        # The HTML digest a person opens (paperhouse.report). Written while `con` is open: its own
        # connection to the same file then shares this database, catalog and cached blocks.
        write_report(copy_path, staging / REPORT_FILE)
    finally:
        con.close()

    file_names = [WAREHOUSE_COPY, REPORT_FILE] + [f for table in tables for f in table["files"].values()]
    file_entries = {f: {"bytes": (staging / f).stat().st_size, "sha256": _sha256_file(staging / f)} for f in file_names}
    manifest = {
        "build_id": file_entries[WAREHOUSE_COPY]["sha256"],  # the published file's sha256: which build this exports
        "snapshot_date": last_date.isoformat(),
        "snapshot_range": {"min": first_date.isoformat(), "max": last_date.isoformat()},
        "run": {"run_id": run_id, "produced_at": produced_at.isoformat(), "paperhouse_version": __version__},
        "tables": tables,
        "files": file_entries,
    }
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return last_date


def clean_leftovers(settings: Settings) -> None:
    """Remove what a killed export left in exports/ (.tmp-*, .old-*, .latest-*)."""
    exports_dir = settings.exports_dir
    if not exports_dir.is_dir():
        return
    with open(exports_dir / LOCK_FILE, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _sweep_leftovers(exports_dir)


def export_is_current(settings: Settings) -> bool:
    """Whether `exports/latest` is the export of the published warehouse (same build id)."""
    from paperhouse.warehouse import file_digest

    latest = latest_export(settings)
    if latest is None or not settings.warehouse_path.is_file():
        return False
    try:
        exported = json.loads((latest / MANIFEST).read_text(encoding="utf-8")).get("build_id")
    except (OSError, ValueError, AttributeError):
        return False
    return exported == file_digest(settings.warehouse_path)


def _csv_select(columns: list[dict]) -> str:
    """Text columns made safe for spreadsheets and terminals (see safe_text); others as they are."""
    parts = []
    for column in columns:
        ident = _ident(column["name"])
        if column["type"] == "VARCHAR":
            parts.append(f"{sql_csv_safe(ident)} AS {ident}")
        elif column["type"] == "VARCHAR[]":
            parts.append(f"list_transform({ident}, lambda x: {sql_csv_safe('x')}) AS {ident}")
        else:
            parts.append(ident)
    return ", ".join(parts)


def _sha256_file(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _mart_names(con: duckdb.DuckDBPyConnection, source: Path) -> list[str]:
    names = [row[0] for row in con.execute(
        "SELECT table_name FROM duckdb_tables() "
        "WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary "
        "ORDER BY table_name").fetchall()]
    marts = [name for name in names if MART_NAME.match(name)]
    if not marts:
        raise PaperhouseError(f"{source}: no dim_/fct_/bridge_/agg_ tables in schema main")
    return marts


def _snapshot_range(con: duckdb.DuckDBPyConnection, source: Path) -> tuple[dt.date, dt.date]:
    try:
        first, last = con.execute(
            "SELECT min(snapshot_date)::DATE, max(snapshot_date)::DATE FROM main.dim_snapshots").fetchone()
    except duckdb.CatalogException:
        raise PaperhouseError(f"{source}: no dim_snapshots table, cannot date the export") from None
    if last is None:
        raise PaperhouseError(f"{source}: dim_snapshots is empty, nothing to export")
    return first, last


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[dict]]:
    """{table: its columns in order} for schema main: one catalog query, not one per table."""
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = 'main' "
        "ORDER BY table_name, column_index").fetchall()
    columns: dict[str, list[dict]] = {}
    for table, name, data_type in rows:
        columns.setdefault(table, []).append({"name": name, "type": data_type})
    return columns


def _verify_files(con: duckdb.DuckDBPyConnection, staging: Path, files: dict[str, str],
                  columns: list[str], row_count: int, written: dict[str, int]) -> None:
    """Check both files hold the table's columns, in order, and its row count, without parsing
    them again: COPY's count of rows written; the Parquet footer (a file cut short has none, or
    one that does not add up); the CSV's header and its records, counted by quote parity."""
    literal = _literal(staging / files["parquet"])
    try:
        parquet_shape = (
            con.execute(f"SELECT num_rows FROM parquet_file_metadata({literal})").fetchone()[0],
            [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM read_parquet({literal})").fetchall()])
    except duckdb.Error as exc:
        raise PaperhouseError(f"{staging / files['parquet']}: unreadable Parquet: {str(exc).splitlines()[0]}") from None
    got = {"parquet": parquet_shape, "csv": _csv_shape(staging / files["csv"])}
    for kind, (got_rows, got_columns) in got.items():
        path = staging / files[kind]
        if got_columns != columns or got_rows != row_count or written[kind] != row_count:
            raise PaperhouseError(
                f"{path}: wrote {written[kind]} and read back {got_rows} rows x {got_columns}, "
                f"expected {row_count} rows x {columns}")


def _csv_shape(path: Path) -> tuple[int | None, list[str]]:
    """(data rows, header) of a CSV in DuckDB's dialect (quote and escape both '"'). A line break
    ends a record only outside quotes, and a doubled quote flips the parity twice, so counting
    breaks where an even number of quotes precede them counts records, quoted line breaks and
    all; a file that does not end a record (cut short) counts None."""
    with open(path, newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle), [])
    records, in_quotes, last = 0, False, b""
    with open(path, "rb") as handle:
        while chunk := handle.read(READ_CHUNK):
            pieces = chunk.split(b'"')
            records += sum(piece.count(b"\n") for piece in pieces[in_quotes::2])  # the unquoted pieces
            in_quotes ^= len(pieces) % 2 == 0  # an odd number of quotes in the chunk
            last = chunk[-1:]
    if in_quotes or last != b"\n":
        return None, header
    return records - 1, header


def _dbt_manifest_path(settings: Settings) -> Path:
    # Imported here: the warehouse module pulls in dbt, which the export itself never runs.
    from paperhouse.warehouse import dbt_target_dir

    return dbt_target_dir(settings) / "manifest.json"


def _dbt_descriptions(manifest_path: Path) -> dict[str, dict]:
    """{table: {"description": str, "columns": {column: str}}} from dbt's manifest, {} without one."""
    if not manifest_path.is_file():
        return {}
    try:
        nodes = json.loads(manifest_path.read_text(encoding="utf-8")).get("nodes", {})
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PaperhouseError(f"{manifest_path}: not a readable dbt manifest ({exc})") from None
    descriptions = {}
    for node in nodes.values():
        if node.get("resource_type") not in ("model", "seed", "snapshot"):
            continue
        descriptions[node.get("alias") or node["name"]] = {
            "description": node.get("description") or "",
            "columns": {name: (column.get("description") or "") for name, column in node.get("columns", {}).items()},
        }
    return descriptions


def _move_into_place(staging: Path, final: Path) -> None:
    """Rename `staging` onto `final`; an earlier export of the same date is set aside, then deleted."""
    if not final.exists():
        os.rename(staging, final)
        return
    aside = final.with_name(f"{OLD_PREFIX}{uuid.uuid4().hex}")
    os.rename(final, aside)
    try:
        os.rename(staging, final)
    except OSError:
        os.rename(aside, final)
        raise
    shutil.rmtree(aside)


def _point_latest(exports_dir: Path, target_name: str) -> None:
    """Repoint `latest` atomically; relative, so the exports directory can be mounted anywhere."""
    temporary = exports_dir / f"{LINK_PREFIX}{uuid.uuid4().hex}"
    os.symlink(target_name, temporary)
    try:
        os.replace(temporary, exports_dir / LATEST)
    finally:
        temporary.unlink(missing_ok=True)
    fsync_path(exports_dir)


def _sweep_leftovers(exports_dir: Path) -> None:
    for child in exports_dir.iterdir():
        if child.name.startswith((TMP_PREFIX, OLD_PREFIX)) and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        elif child.name.startswith(LINK_PREFIX):
            child.unlink(missing_ok=True)


def _fsync_tree(directory: Path) -> None:
    """Flush the files and the directory entry, so a crash after the rename finds them whole."""
    for path in directory.iterdir():
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())
    fsync_path(directory)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"
