"""The DuckDB warehouse: dbt builds a staging copy, `publish_staging` swaps it in, readers read.

Write-audit-publish. `build_staging` starts the staging file as a copy of the published warehouse
(so incremental models only read new snapshots), runs `dbt build` in-process against it, and leaves
it fully checkpointed. The marts gate audits it; `publish_staging` renames it onto the published
file, which is therefore never written in place and always a complete build.

dbt is imported only inside the functions that run it: readers (`query`, exports) stay fast.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from paperhouse import lake
from paperhouse.errors import BuildFailed, PaperhouseError
from paperhouse.fsio import fsync_path, write_atomic
from paperhouse.progress import progress_bar
from paperhouse.settings import Settings

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
# Read by dbt_project/profiles.yml: the DuckDB file dbt writes.
DUCKDB_PATH_ENV = "PAPERHOUSE_DBT_DUCKDB_PATH"

_TEST_TYPES = ("test", "unit_test")
_FAILED = ("error", "fail")
# Unit tests check the models' SQL on fixed rows, not the data: the same on every build, so they run
# in development and CI (`run_unit_tests`, tests/warehouse/test_build.py), not in daily builds,
# where each one cost ~0.5 s of dbt node time (dbt's docs advise excluding them in production).
_PRODUCTION_EXCLUDES = ["--exclude-resource-type", "unit_test"]
# The build does not write manifest.json and run_results.json (about 1.3 s of CPU on a year of
# history): the parse before it wrote manifest.json (descriptions for exports, docs), and the
# build's outcome is read from its result objects, not from files.
_BUILD_OPTIONS = ["--no-write-json"]


@dataclass(frozen=True)
class BuildResult:
    ok: bool
    path: Path              # the staging warehouse dbt built
    full_refresh: bool
    models_built: int
    tests_passed: int
    tests_warned: int
    tests_failed: int
    elapsed_s: float

    @property
    def summary(self) -> str:
        mode = "full refresh" if self.full_refresh else "incremental"
        warned = f", {self.tests_warned} warned" if self.tests_warned else ""
        return (f"{self.models_built} models built ({mode}), {self.tests_passed} tests passed{warned}, "
                f"{self.tests_failed} failed in {self.elapsed_s:.1f} s")


def dbt_target_dir(settings: Settings) -> Path:
    """dbt's target path (manifest.json, run_results.json, catalog.json): under the data root."""
    return settings.state_dir / "dbt" / "target"


def dbt_log_dir(settings: Settings) -> Path:
    return settings.state_dir / "dbt" / "logs"


def _wal_path(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _discard(path: Path) -> None:
    path.unlink(missing_ok=True)
    _wal_path(path).unlink(missing_ok=True)


def discard_staging(settings: Settings) -> None:
    """Remove the staging warehouse (a build that will not be published)."""
    _discard(settings.staging_warehouse_path)


def _checkpoint(path: Path) -> None:
    """Fold any write-ahead log into the file, so that copying or renaming the file alone is safe."""
    with duckdb.connect(str(path)) as con:
        con.execute("CHECKPOINT")
    if _wal_path(path).exists():
        raise BuildFailed(f"{path}: write-ahead log still present after CHECKPOINT")


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """dbt reads env_var() from os.environ of this process: set ours for the call only."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _dbt_args(settings: Settings, command: list[str]) -> list[str]:
    return [*command, "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
            "--target-path", str(dbt_target_dir(settings)), "--log-path", str(dbt_log_dir(settings)),
            "--threads", str(settings.dbt_threads), "--log-level", "none", "--log-level-file", "info", "--no-use-colors"]


def _dbt_env(settings: Settings, duckdb_path: Path) -> dict[str, str]:
    return {**settings.as_env(), DUCKDB_PATH_ENV: str(duckdb_path)}


def _first_line(text: object) -> str:
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return lines[0] if lines else "no message"


# dbt's first line of a failed model only names it ("Runtime Error in model dim_papers (models/...)");
# the cause (a constraint, a database error) is the next line.
_NODE_ERROR_HEADER = re.compile(r"^[\w ]*Error in (?:model|unit_test|test|seed|snapshot) \S+ \(.*\)$")


def _node_message(message: object) -> str:
    """One line: why a node failed."""
    lines = [line.strip() for line in str(message).splitlines() if line.strip()]
    if len(lines) > 1 and _NODE_ERROR_HEADER.match(lines[0]):
        return lines[1]
    return lines[0] if lines else "no message"


def _status(result) -> str:
    return str(getattr(result.status, "value", result.status)).lower()


def _failure_reason(res) -> str:
    """One line naming the failing node (the first of them) and dbt's message."""
    if res.exception is not None:
        return _first_line(res.exception)
    results = getattr(res.result, "results", None) or []
    failed = [r for r in results if _status(r) in _FAILED]
    if not failed:
        return "dbt build did not succeed (no failing node reported)"
    first = failed[0]
    more = f" (and {len(failed) - 1} more failing nodes)" if len(failed) > 1 else ""
    return f"{first.node.unique_id}: {_node_message(first.message)}{more}"


# Messages of a node that failed because of the machine (full disk, permissions), not the data.
_ENVIRONMENTAL = ("io error", "no space left", "permission", "out of memory", "could not set lock")


def _failed_nodes(res) -> list[str]:
    """The nodes (tests, models) that failed on the data; empty when dbt itself raised or a node
    failed for a reason of the machine (the days are then not to blame)."""
    if res.exception is not None:
        return []
    failed = [r for r in getattr(res.result, "results", None) or [] if _status(r) in _FAILED]
    if any(word in str(r.message).lower() for r in failed for word in _ENVIRONMENTAL):
        return []
    return [r.node.unique_id for r in failed]


# The parsed project, kept for the life of the process: even a valid partial parse re-reads and
# checks every file of the project (seconds), and a run needs the manifest twice (build, freshness).
_MANIFESTS: dict[tuple, object] = {}
_NOT_PROJECT_FILES = {"target", "logs", "dbt_packages"}


def _project_fingerprint() -> tuple:
    """Every project file's path, size and mtime: a changed file means a new parse."""
    files = []
    for path in sorted(DBT_PROJECT_DIR.rglob("*")):
        if path.is_file() and not _NOT_PROJECT_FILES.intersection(path.relative_to(DBT_PROJECT_DIR).parts):
            stat = path.stat()
            files.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(files)


def parse_project(settings: Settings):
    """The project's manifest: parsed once per process (and per data root), reused by the build and
    the freshness check. dbt always parses with the profile pointing at the staging file: its
    partial parse (target/partial_parse.msgpack) is only valid while the profile is unchanged, so
    a parse against another file would make the next run parse the whole project again."""
    from dbt.cli.main import dbtRunner

    env = _dbt_env(settings, settings.staging_warehouse_path)
    key = (str(dbt_target_dir(settings)), tuple(sorted(env.items())), _project_fingerprint())
    if key in _MANIFESTS:
        return _MANIFESTS[key]
    with _environment(env):
        res = dbtRunner().invoke(_dbt_args(settings, ["parse"]))
    if not res.success:
        raise BuildFailed(f"dbt parse of {DBT_PROJECT_DIR} failed: {_failure_reason(res)}")
    _MANIFESTS.clear()  # one project per process: keep only the latest
    _MANIFESTS[key] = res.result
    return res.result


def _node_count(manifest) -> int:
    """The nodes a production build runs (unit tests are excluded from it)."""
    runnable = ("model", "test", "seed", "snapshot")
    return sum(1 for node in manifest.nodes.values() if str(node.resource_type) in runnable)


def _prepare_staging(settings: Settings, full_refresh: bool) -> Path:
    """The staging file as dbt must find it: a fresh copy of the published warehouse, or nothing
    for a full refresh (or before the first publish)."""
    staging, published = settings.staging_warehouse_path, settings.warehouse_path
    staging.parent.mkdir(parents=True, exist_ok=True)
    _discard(staging)  # a leftover of a killed or failed run is not a copy of the published file
    if published.exists() and not full_refresh:
        try:
            shutil.copyfile(published, staging)
        except OSError as exc:
            _discard(staging)  # no partial copy left behind
            raise PaperhouseError(f"{staging}: cannot copy the published warehouse: {exc.strerror or exc}") from None
    return staging


def _run_build(settings: Settings, staging: Path, full_refresh: bool, progress: bool):
    """dbt build against `staging`; the progress bar advances on each NodeFinished event."""
    from dbt.cli.main import dbtRunner

    manifest = parse_project(settings)
    with _environment(_dbt_env(settings, staging)):
        with progress_bar("dbt build", _node_count(manifest), enabled=progress) as advance:
            def on_event(event) -> None:
                if event.info.name == "NodeFinished":
                    advance(event.data.node_info.node_name)

            command = ["build", *_BUILD_OPTIONS, *_PRODUCTION_EXCLUDES, *(["--full-refresh"] if full_refresh else [])]
            return dbtRunner(manifest=manifest, callbacks=[on_event]).invoke(_dbt_args(settings, command))


def build_staging(settings: Settings, full_refresh: bool = False, progress: bool = False) -> BuildResult:
    """`dbt build` into a fresh staging copy of the published warehouse; raises BuildFailed."""
    if not lake.partition_dates(settings.lake_dir):
        raise BuildFailed(f"{settings.lake_dir}: no committed snapshots in the lake to build from")
    started = time.monotonic()
    staging = _prepare_staging(settings, full_refresh)
    try:
        res = _run_build(settings, staging, full_refresh, progress)
        if not res.success:
            raise BuildFailed(f"dbt build into {staging} failed: {_failure_reason(res)} "
                              f"(log: {dbt_log_dir(settings) / 'dbt.log'})", failed_nodes=_failed_nodes(res))
        _checkpoint(staging)
    except BaseException:
        _discard(staging)  # never leave a half-built or failed file where publish would take it
        raise
    results = res.result.results
    tests = [r for r in results if str(r.node.resource_type) in _TEST_TYPES]
    return BuildResult(
        ok=True,
        path=staging,
        full_refresh=full_refresh,
        models_built=sum(1 for r in results if str(r.node.resource_type) == "model" and _status(r) == "success"),
        tests_passed=sum(1 for r in tests if _status(r) == "pass"),
        tests_warned=sum(1 for r in tests if _status(r) == "warn"),
        tests_failed=sum(1 for r in tests if _status(r) in _FAILED),
        elapsed_s=time.monotonic() - started,
    )


# The latest `dbt source freshness` results, for `paperhouse quality` and the run summary.
FRESHNESS_FILE = "source_freshness.json"


@dataclass(frozen=True)
class SourceFreshness:
    source: str                 # "lake.snapshots"
    status: str                 # pass | warn | error | runtime error
    max_loaded_at: str | None   # the latest loaded_at_field value (ISO, UTC)
    age_hours: float | None
    checked_at: str
    message: str = ""           # dbt's message for a runtime error

    @property
    def line(self) -> str:
        if self.age_hours is None:
            return f"freshness {self.source}: {self.status} ({self.message or 'no age'})"
        return (f"freshness {self.source}: {self.status}, latest snapshot ingested {self.age_hours / 24:.1f} days ago "
                f"({self.max_loaded_at})")


def freshness_path(settings: Settings) -> Path:
    return settings.state_dir / FRESHNESS_FILE


def check_source_freshness(settings: Settings) -> list[SourceFreshness]:
    """`dbt source freshness` on the lake (the sources' warn/error windows are in the staging yml),
    recorded in `<state>/source_freshness.json`. Reads the lake only: dbt runs on an in-memory
    DuckDB, no warehouse file is opened. A stale or unreadable lake is reported, never raised."""
    from dbt.cli.main import dbtRunner

    checked_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    try:
        manifest = parse_project(settings)
    except BuildFailed as failed:
        manifest, res, results = None, None, []
        parse_failure = str(failed)
    if manifest is not None:
        with _environment(_dbt_env(settings, Path(":memory:"))):
            # The results are read here, not from dbt's files: no sources.json, and no second
            # manifest.json (the parse wrote it), which cost a third of the check.
            res = dbtRunner(manifest=manifest).invoke(_dbt_args(settings, ["source", "freshness", "--no-write-json"]))
        results = getattr(res.result, "results", None) or []
    checks = []
    for result in results:
        max_loaded_at = getattr(result, "max_loaded_at", None)
        age = getattr(result, "age", None)
        node = result.node
        checks.append(SourceFreshness(
            source=f"{node.source_name}.{node.name}" if hasattr(node, "source_name") else str(node.unique_id),
            status=_status(result),
            max_loaded_at=max_loaded_at.isoformat() if max_loaded_at else None,
            age_hours=round(age / 3600, 2) if age is not None else None,
            checked_at=checked_at,
            message=_first_line(result.message) if getattr(result, "message", None) and age is None else ""))
    if not checks:
        reason = (parse_failure if res is None else _failure_reason(res) if not res.success
                  else "no source has a freshness window")
        checks.append(SourceFreshness("lake", "runtime error", None, None, checked_at, reason))
    path = freshness_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([c.__dict__ for c in checks], indent=2) + "\n", encoding="utf-8")
    return checks


def latest_source_freshness(settings: Settings) -> list[SourceFreshness]:
    """The results `check_source_freshness` recorded last (none before the first check)."""
    path = freshness_path(settings)
    if not path.is_file():
        return []
    try:
        return [SourceFreshness(**row) for row in json.loads(path.read_text(encoding="utf-8"))]
    except (json.JSONDecodeError, TypeError) as exc:
        raise PaperhouseError(f"{path}: not a readable freshness record ({exc})") from None


def publish_staging(settings: Settings) -> Path:
    """Atomically replace the published warehouse with the staging file; returns the published path."""
    staging, published = settings.staging_warehouse_path, settings.warehouse_path
    if not staging.exists():
        raise PaperhouseError(f"{staging}: no staging warehouse to publish (run build first)")
    if _wal_path(staging).exists():
        raise PaperhouseError(f"{staging}: has a pending write-ahead log; rebuild before publishing")
    fsync_path(staging)
    os.replace(staging, published)
    fsync_path(published.parent)  # the rename itself survives a crash
    return published


def file_digest(path: Path) -> str:
    """The sha256 of a warehouse file: the id of a build, kept by the marts gate's audit record
    and by each export's manifest."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def audit_record_path(settings: Settings) -> Path:
    return settings.state_dir / "marts_audit.json"


def record_audit(settings: Settings, digest: str) -> None:
    """Written by the marts gate when it passes the staging file with this digest."""
    record = {"staging_sha256": digest, "audited_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    write_atomic(audit_record_path(settings), json.dumps(record).encode())


def check_audited(settings: Settings) -> None:
    """Refuse to publish a staging file the marts gate did not pass (rebuilt after the audit, or
    never audited): publishing it would bypass the gates."""
    staging, record_path = settings.staging_warehouse_path, audit_record_path(settings)
    if not staging.is_file():
        raise PaperhouseError(f"{staging}: no staging warehouse to publish (run build first)")
    try:
        audited = json.loads(record_path.read_text()).get("staging_sha256")
    except (OSError, ValueError, AttributeError):
        audited = None
    if audited != file_digest(staging):
        raise PaperhouseError(f"{staging}: not the build the marts gate passed (audit record {record_path.name} "
                              "does not match); run the marts gate on it, or `paperhouse run`, before publishing")


def connect_readonly(path: Path, allow_files: bool = True) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a warehouse file (the writer is never blocked by readers' locks).
    Without `allow_files`, SQL cannot reach the host: no reading or writing files (COPY, read_text,
    read_csv, ATTACH), no extensions loaded."""
    path = Path(path)
    if not path.exists():
        raise PaperhouseError(f"{path}: no warehouse here yet (build and publish one first)")
    config = {} if allow_files else {"enable_external_access": False, "autoload_known_extensions": False}
    try:
        return duckdb.connect(str(path), read_only=True, config=config)
    except duckdb.Error as exc:
        raise PaperhouseError(f"{path}: cannot open read-only: {_first_line(exc)}") from None


def query(settings: Settings, sql: str, path: Path | None = None,
          allow_files: bool = False) -> tuple[list[str], list[tuple]]:
    """Run one statement against the published warehouse (or `path`); returns (columns, rows).
    The analyst's SQL sees the warehouse only, unless a trusted operator passes `allow_files`."""
    target = Path(path) if path is not None else settings.warehouse_path
    with connect_readonly(target, allow_files=allow_files) as con:
        try:
            cursor = con.execute(sql)
        except duckdb.Error as exc:
            raise PaperhouseError(f"{target}: {_first_line(exc)}") from None
        columns = [d[0] for d in cursor.description] if cursor.description else []
        return columns, cursor.fetchall() if columns else []


@dataclass(frozen=True)
class UnitTestResult:
    passed: list[str]       # unique ids of the unit tests that passed
    failed: list[str]       # "<unique id>: <dbt's first line>" of each that did not


def run_unit_tests(settings: Settings, path: Path | None = None) -> UnitTestResult:
    """dbt's unit tests (models' SQL on fixed input rows), which production builds leave out: for
    development and CI. dbt reads the column types of the models' inputs from a built warehouse,
    the published one (or `path`); it runs on a throwaway copy, so that file is never written."""
    from dbt.cli.main import dbtRunner

    source = Path(path) if path is not None else settings.warehouse_path
    if not source.exists():
        raise PaperhouseError(f"{source}: no warehouse here yet (build and publish one first)")
    manifest = parse_project(settings)
    # The parsed manifest names relations by the staging file's database (its stem): keep that name.
    scratch = dbt_target_dir(settings).parent / "unit_tests" / settings.staging_warehouse_path.name
    scratch.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, scratch)
    try:
        with _environment(_dbt_env(settings, scratch)):
            res = dbtRunner(manifest=manifest).invoke(_dbt_args(settings, ["test", "--resource-type", "unit_test"]))
    finally:
        shutil.rmtree(scratch.parent, ignore_errors=True)
    if res.exception is not None:
        raise BuildFailed(f"dbt unit tests on {source} could not run: {_first_line(res.exception)}")
    results = [r for r in getattr(res.result, "results", None) or [] if str(r.node.resource_type) == "unit_test"]
    return UnitTestResult(
        passed=[r.node.unique_id for r in results if _status(r) == "pass"],
        failed=[f"{r.node.unique_id}: {_node_message(r.message)}" for r in results if _status(r) != "pass"])


def generate_docs(settings: Settings, path: Path | None = None) -> Path:
    """`dbt docs generate` for the published warehouse (or `path`); returns the target directory
    holding manifest.json, catalog.json and index.html. The warehouse file is not written: dbt
    reads a throwaway copy of it."""
    from dbt.cli.main import dbtRunner

    source = Path(path) if path is not None else settings.warehouse_path
    if not source.exists():
        raise PaperhouseError(f"{source}: no warehouse here yet (build and publish one first)")
    scratch = dbt_target_dir(settings).parent / "docs.duckdb"
    scratch.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, scratch)
    try:
        with _environment(_dbt_env(settings, scratch)):
            res = dbtRunner().invoke(_dbt_args(settings, ["docs", "generate", "--no-compile"]))
    finally:
        _discard(scratch)
    if not res.success:
        raise BuildFailed(f"dbt docs generate for {source} failed: {_failure_reason(res)}")
    return dbt_target_dir(settings)
