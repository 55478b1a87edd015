"""The pipeline's steps. Each is one function that a DAG task and the CLI both call.

Write-audit-publish: a day enters the lake (ingest), is audited (raw gate), the warehouse is built
into a staging file (build), audited (marts gate), and only then renamed onto the published file
(publish). A day stopped by a gate is quarantined with its report and taken back out of the lake
(its earlier version, if it replaced one, is restored), so the next build never sees it; so is a
day dbt's tests fail on. Publish takes only the staging file whose digest the marts gate recorded,
and a run re-exports whenever `exports/latest` is not the export of the published file, so a run
killed at any step is finished by the next one.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from paperhouse import lake, landing
from paperhouse.errors import BuildFailed, FeedError, GateFailed, SnapshotNotReady, SourceUnavailable
from paperhouse.faults import crash_point
from paperhouse.ingest import IngestReport, date_from_name, ingest_file, ingest_paths
from paperhouse.locking import writer_lock
from paperhouse.settings import Settings

log = logging.getLogger(__name__)


# ---- fetch -------------------------------------------------------------------------------------

def fetch(settings: Settings, snapshot_date: dt.date) -> Path:
    """The day's snapshot file: from the feed directory, or downloaded from the API into it."""
    if settings.source == "http":
        from paperhouse.feeds.http import fetch_api_day

        return fetch_api_day(settings, snapshot_date, settings.feed_dir)
    candidates = sorted(p for p in settings.feed_dir.glob(f"{snapshot_date.isoformat()}.*")
                        if p.is_file() and date_from_name(p) == snapshot_date)
    if not candidates:
        raise SnapshotNotReady(f"{settings.feed_dir}: no snapshot for {snapshot_date} yet")
    if len(candidates) > 1:
        raise FeedError(settings.feed_dir, f"{len(candidates)} snapshots for {snapshot_date} ({', '.join(p.name for p in candidates)}); keep one")
    return candidates[0]


# ---- ingest ------------------------------------------------------------------------------------

def ingest(settings: Settings, paths: list[Path], snapshot_date: dt.date | None = None,
           progress: bool = False) -> IngestReport:
    """Land, parse and extract files into the lake, plus any snapshot a person released from
    quarantine (with the checks it was stopped by waived)."""
    from paperhouse.quality import quarantine

    with writer_lock(settings):
        # Released snapshots first: a copy of the same bytes still in the feed directory is then
        # "unchanged" instead of going in again without the waiver (and being stopped again).
        released = []
        for record in quarantine.pending_releases(settings):
            day = dt.date.fromisoformat(record.snapshot_date)
            released.append(ingest_file(settings, record.path, day, waived=set(record.waived_checks)))
            quarantine.mark_ingested(settings, record.snapshot_id)
        report = ingest_paths(settings, paths, snapshot_date, progress=progress) if paths else IngestReport()
        report.outcomes[:0] = released
    return report


# ---- gates -------------------------------------------------------------------------------------

def reject_day(settings: Settings, snapshot_date: dt.date, stage: str, reason: str,
               failed_checks: list[str], report_path: Path | None) -> None:
    """Quarantine a day's committed snapshot and take it out of the lake, restoring the version it
    replaced (if any) from landing."""
    row = lake.snapshot_for_date(settings.lake_dir, snapshot_date)
    if row is None:
        return
    landed = landing.landed_file(settings, row["snapshot_id"])
    if landed is not None:
        landing.quarantine(settings, landed.read_bytes(), landed.suffix, {
            "original_path": row["source"], "snapshot_date": snapshot_date, "stage": stage, "reason": reason,
            "failed_checks": failed_checks, "report_path": str(report_path) if report_path else None})
    lake.remove_day(settings.lake_dir, snapshot_date)
    previous = landing.landed_file(settings, row["replaces_snapshot_id"]) if row.get("replaces_snapshot_id") else None
    if previous is not None:
        ingest_file(settings, previous, snapshot_date)
    log.warning("%s: %s stopped %s: %s", snapshot_date, stage, row["snapshot_id"][:12], reason)


def gate_raw(settings: Settings, snapshot_dates: list[dt.date], build_docs: bool = True):
    """Audit the new lake partitions, all in one Great Expectations run. Every failing day is
    rejected; then GateFailed is raised naming them all, so a backfill can go on with the days that
    passed. Days that pass with warnings (an unusual entry count) are logged and alerted. Without
    `build_docs`, the caller builds the Data Docs of the passed run (`gx_run_name`); a run with a
    failing day builds them here."""
    from paperhouse.quality.gates import failure_line, run_raw_gates
    from paperhouse.quality.results import build_data_docs

    results, failures = [], []
    with writer_lock(settings):
        # One scan of the lake's snapshots table for the whole step (the writer lock keeps it as it
        # is): which days are committed, unpublished, and every day's entry count.
        snapshots = lake.committed_snapshots(settings.lake_dir)
        committed = {day: snapshot_id for day, (snapshot_id, _count) in snapshots.items()}
        # Days a killed run left in the lake unpublished are audited too, never built unaudited.
        days = sorted(set(snapshot_dates) | set(unpublished_dates(settings, committed)))
        for day in days:
            if day not in committed:
                # Never pass a day silently: it was rejected earlier or never ingested.
                failures.append(f"raw gate: {day} has no committed snapshot in the lake (rejected earlier, see `paperhouse quarantine list`)")
        audited = [day for day in days if day in committed]
        entry_counts = {day: count for day, (_snapshot_id, count) in snapshots.items()}
        results = run_raw_gates(settings, audited, build_docs=False, entry_counts=entry_counts) if audited else []
        for day, result in zip(audited, results):
            if not result.ok:
                line = failure_line(result)
                reject_day(settings, day, "raw_gate", line, [c.name for c in result.failed],
                           result.report_path)
                failures.append(line)
        if results and (build_docs or failures):
            build_data_docs(settings, sorted({r.gx_run_name for r in results}))
        warnings = report_gate_warnings(settings, results)
    if failures:
        raise GateFailed("; ".join(failures), warnings=warnings)
    return results


def report_gate_warnings(settings: Settings, results) -> list[str]:
    """Send each passed day's warnings through the alert path (state/failures.log, and mail when
    PAPERHOUSE_ALERT_EMAIL is set); returns the lines."""
    from paperhouse import alerts
    from paperhouse.quality.gates import warning_line

    lines = []
    for result in results:
        if result.ok and (line := warning_line(result)):
            log.warning("%s", line)
            alerts.alert(settings, "paperhouse", "gate_raw", result.subject, "warning", line)
            lines.append(line)
    return lines


def gate_marts(settings: Settings, changed_dates: list[dt.date] = (), docs_for: list[str] = ()):
    """Audit the staged warehouse. On failure the staging file is discarded, the days of this run
    are rejected, and the published warehouse stays as it was. `docs_for`: earlier Great
    Expectations runs (the raw gate's) whose Data Docs are built with this one's."""
    from paperhouse.quality.gates import failure_line, run_marts_gate

    from paperhouse.warehouse import file_digest, record_audit

    staging = settings.staging_warehouse_path
    digest = file_digest(staging) if staging.is_file() else None  # taken before: what was audited
    result = run_marts_gate(settings, staging, docs_for=docs_for)
    if result.ok and digest:
        record_audit(settings, digest)
    if not result.ok:
        line = failure_line(result)
        with writer_lock(settings):
            settings.staging_warehouse_path.unlink(missing_ok=True)
            for day in sorted(set(changed_dates) | set(unpublished_dates(settings))):
                reject_day(settings, day, "marts_gate", line, [c.name for c in result.failed],
                           result.report_path)
        raise GateFailed(line, result.report_path)
    return result


# ---- build, publish, export ----------------------------------------------------------------------

def build(settings: Settings, full_refresh: bool = False, progress: bool = False,
          changed_dates: list[dt.date] = ()):
    """dbt build into staging. When dbt's tests (or a model) fail on the data, the days being
    built (the unpublished ones) are quarantined with the failing node, like a gate reject, and
    taken out of the lake, so the next build does not fail again; then BuildFailed is raised."""
    with writer_lock(settings):
        return _settle_build(settings, _attempt_build(settings, full_refresh, progress), changed_dates)


def _attempt_build(settings: Settings, full_refresh: bool, progress: bool):
    """dbt build into staging: the BuildResult, or the exception that stopped it (not raised yet:
    a build made while the raw gate runs is settled only after the gate's verdict)."""
    from paperhouse.warehouse import build_staging

    with writer_lock(settings):
        crash_point("build")
        try:
            return build_staging(settings, full_refresh=full_refresh, progress=progress)
        except Exception as exc:  # noqa: BLE001 - returned to _settle_build, which raises it
            return exc


def _settle_build(settings: Settings, outcome, changed_dates: list[dt.date]):
    """The BuildResult of `_attempt_build`; or quarantine the days dbt failed on and raise."""
    if isinstance(outcome, BuildFailed) and outcome.failed_nodes:
        for day in sorted(set(changed_dates) | set(unpublished_dates(settings))):
            reject_day(settings, day, "build", f"dbt build: {outcome}", outcome.failed_nodes, None)
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


def publish(settings: Settings) -> Path:
    """Publish the staging warehouse, but only the very file the marts gate passed."""
    from paperhouse.warehouse import check_audited, publish_staging

    with writer_lock(settings):
        check_audited(settings)
        published = publish_staging(settings)
        crash_point("publish")
        return published


def export(settings: Settings, run_id: str | None = None, warehouse_path: Path | None = None,
           approve=None) -> Path:
    """Export the published warehouse; or (`warehouse_path`, `approve`) a staged build, made
    visible only once `approve` returns (see paperhouse.export)."""
    from paperhouse.export import export_warehouse

    return export_warehouse(settings, run_id=run_id, warehouse_path=warehouse_path, approve=approve)


def export_if_stale(settings: Settings, run_id: str | None = None) -> Path | None:
    """Export when `exports/latest` is not the export of the published warehouse (a run killed
    after publishing, or an export that failed); None when it already is, or nothing is published."""
    from paperhouse.export import clean_leftovers, export_is_current

    if not settings.warehouse_path.is_file() or export_is_current(settings):
        clean_leftovers(settings)
        return None
    return export(settings, run_id)


def freshness(settings: Settings) -> list[str]:
    """dbt source freshness of the lake (recorded for `paperhouse quality`); the lines of the
    sources that are not fresh. A stale lake is reported, it stops nothing."""
    if not lake.partition_dates(settings.lake_dir):
        return []
    from paperhouse.warehouse import check_source_freshness

    stale = [check.line for check in check_source_freshness(settings) if check.status != "pass"]
    for line in stale:
        log.warning("%s", line)
    return stale


# ---- whole runs ------------------------------------------------------------------------------------

@dataclass
class RunReport:
    ingest: IngestReport = field(default_factory=IngestReport)
    gate_failures: list[str] = field(default_factory=list)
    gate_warnings: list[str] = field(default_factory=list)    # days that passed with a warning
    build_summary: str | None = None
    published: Path | None = None
    exported: Path | None = None
    skipped_dates: list[str] = field(default_factory=list)   # days the source had no snapshot for
    fetch_failures: list[str] = field(default_factory=list)  # one line per day the source failed
    freshness: list[str] = field(default_factory=list)       # sources dbt finds stale (warn or error)
    step_seconds: dict[str, float] = field(default_factory=dict)  # wall time of each step, as the run waited

    @contextlib.contextmanager
    def timed(self, step: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.step_seconds[step] = self.step_seconds.get(step, 0.0) + time.perf_counter() - started

    @property
    def ok(self) -> bool:
        return self.ingest.ok and not self.gate_failures and not self.fetch_failures

    def summary(self) -> str:
        parts = [f"ingest: {self.ingest.summary()}"]
        if self.skipped_dates:
            parts.append(f"{len(self.skipped_dates)} days without a snapshot")
        if self.fetch_failures:
            parts.append("fetch failed: " + "; ".join(self.fetch_failures))
        if self.gate_failures:
            parts.append("gates: " + "; ".join(self.gate_failures))
        if self.gate_warnings:
            parts.append("warnings: " + "; ".join(self.gate_warnings))
        if self.build_summary:
            parts.append(f"build: {self.build_summary}")
        parts.extend(self.freshness)
        if self.published:
            parts.append(f"published: {self.published}")
        elif not self.gate_failures and not self.build_summary:
            parts.append("no new snapshots: the published warehouse is unchanged")
        else:
            parts.append("nothing published: the published warehouse is unchanged")
        return " | ".join(parts)

    def as_dict(self) -> dict:
        return {"ok": self.ok, "summary": self.summary(), "ingest": self.ingest.as_dict(),
                "gate_failures": self.gate_failures, "gate_warnings": self.gate_warnings,
                "fetch_failures": self.fetch_failures, "freshness": self.freshness,
                "published": str(self.published) if self.published else None,
                "exported": str(self.exported) if self.exported else None,
                "step_seconds": {step: round(seconds, 3) for step, seconds in self.step_seconds.items()}}


def unpublished_dates(settings: Settings, committed: dict[dt.date, str] | None = None) -> list[dt.date]:
    """Days whose committed lake snapshot the published warehouse does not hold yet: new days, and
    days a killed or failed run left in the lake. A run audits and builds all of them. `committed`:
    `lake.committed_snapshot_ids`, when the caller has it already."""
    import duckdb

    committed = lake.committed_snapshot_ids(settings.lake_dir) if committed is None else committed
    published: set[str] = set()
    if committed and settings.warehouse_path.exists():
        with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
            published = {row[0] for row in con.execute("select snapshot_id from dim_snapshots").fetchall()}
    return sorted(day for day, snapshot_id in committed.items() if snapshot_id not in published)


def audit_build_publish(settings: Settings, report: RunReport, changed: list[dt.date],
                        full_refresh: bool = False, progress: bool = False, gates=None,
                        unpublished: list[dt.date] | None = None) -> RunReport:
    """Raw gate on the changed days, then build, marts gate, publish and export once. The gates run
    on `gates` (a paperhouse.gate_worker worker; default: in this process); while the raw gate runs
    there, this process builds. The Data Docs site is built once (with the marts gate's run): each
    build lists and reads every stored result. `unpublished`: `unpublished_dates`, when known."""
    from paperhouse.gate_worker import InProcess
    from paperhouse.quality.results import build_data_docs

    gates = gates or InProcess()
    docs_pending: list[str] = []  # the raw gate's run, until its Data Docs are built
    if unpublished is None:
        unpublished = unpublished_dates(settings)
    changed = sorted(set(changed) | set(unpublished))
    report = _audit_build_publish(settings, report, changed, full_refresh, progress, gates, docs_pending)
    if docs_pending:  # the marts gate did not run (nothing to build, a failed build); after an
        # error, the next Data Docs build renders the pages it finds missing
        gates.start(build_data_docs, settings, docs_pending).result()
    return report


def _audit_build_publish(settings: Settings, report: RunReport, changed: list[dt.date], full_refresh: bool,
                         progress: bool, gates, docs_pending: list[str]) -> RunReport:
    early_build = None  # the build made while the raw gate ran in the gate worker
    if changed:
        from paperhouse.quality.gates import warning_line

        pending = gates.start(gate_raw, settings, changed, build_docs=False)
        with report.timed("parse"):
            prepare_build(settings)  # done already when the run parsed while the worker ingested
        if gates.concurrent and lake.partition_dates(settings.lake_dir):
            # The worker audits the new days on the other core: build meanwhile, as if they pass
            # (a reject is rare). The build is settled only after the verdict: a day the gate
            # stops leaves the lake, and the build is then discarded and made again without it.
            with report.timed("build"):
                early_build = _attempt_build(settings, full_refresh, progress)
        with report.timed("gate_raw"):
            try:
                passed = pending.result()
                docs_pending[:] = sorted({result.gx_run_name for result in passed})
                report.gate_warnings += [line for result in passed if (line := warning_line(result))]
            except GateFailed as failed:
                report.gate_failures.append(str(failed))
                report.gate_warnings += failed.warnings
                changed = [d for d in changed if lake.snapshot_for_date(settings.lake_dir, d) is not None]
                _discard_build(settings, early_build)
                early_build = None
        crash_point("raw_gate")
    if (not changed and settings.warehouse_path.exists() and not full_refresh) or not lake.partition_dates(settings.lake_dir):
        # Nothing new to publish (or an empty lake: no warehouse); the exports may still lag.
        _discard_build(settings, early_build)
        with report.timed("export"):
            report.exported = export_if_stale(settings)
        return report
    try:
        with report.timed("build"):
            if early_build is None:
                result = build(settings, full_refresh=full_refresh, progress=progress, changed_dates=changed)
            else:
                with writer_lock(settings):
                    result = _settle_build(settings, early_build, changed)
    except BuildFailed as failed:
        if not failed.failed_nodes:
            raise  # not the data's fault (dbt could not run): nothing was quarantined
        report.gate_failures.append(f"dbt build: {failed}")
        report.exported = export_if_stale(settings)
        return report
    report.build_summary = getattr(result, "summary", str(result))
    try:
        _gate_publish_export(settings, report, changed, gates, docs_pending)
    except GateFailed as failed:
        report.gate_failures.append(str(failed))
        report.exported = export_if_stale(settings)
    return report


def _discard_build(settings: Settings, outcome) -> None:
    """Drop a build made before the raw gate stopped one of its days (its staging file)."""
    from paperhouse.warehouse import discard_staging

    if outcome is not None and not isinstance(outcome, BaseException):
        discard_staging(settings)


def _gate_publish_export(settings: Settings, report: RunReport, changed: list[dt.date], gates,
                         docs_pending: list[str]) -> None:
    """Marts gate, publish, export. With a gate worker, the export of the staged build is written
    while the worker audits it, and becomes visible only after the gate passed and publish swapped
    the file in (the export's copy is of the very file published). GateFailed when the gate stops it."""
    pending = gates.start(gate_marts, settings, changed, docs_for=list(docs_pending))
    docs_pending.clear()  # built with the marts gate's run
    verdict: list = []    # the gate's answer, once received (a worker answers once)

    def publish_if_passed() -> None:
        with report.timed("gate_marts"):
            if not verdict:
                verdict.append(True)
                pending.result()
        crash_point("marts_gate")
        with report.timed("publish"):
            report.published = publish(settings)

    if not gates.concurrent:  # the gate ran already: do not export a build it stopped
        with report.timed("gate_marts"):
            verdict.append(True)
            pending.result()
    waited = {step: report.step_seconds.get(step, 0.0) for step in ("gate_marts", "publish")}
    started = time.perf_counter()
    try:
        report.exported = export(settings, warehouse_path=settings.staging_warehouse_path, approve=publish_if_passed)
    except GateFailed:
        raise
    except Exception:
        if not verdict:  # the export failed before the gate's verdict: the build still goes out if it passed
            publish_if_passed()
        raise
    finally:
        inside = sum(report.step_seconds.get(step, 0.0) - seconds for step, seconds in waited.items())
        report.step_seconds["export"] = report.step_seconds.get("export", 0.0) + time.perf_counter() - started - inside


def prepare_build(settings: Settings) -> None:
    """Import dbt and parse the project now (the build reuses the parse), e.g. while a gate runs
    elsewhere. A parse that fails is left for the build to report."""
    from paperhouse.warehouse import parse_project

    with contextlib.suppress(BuildFailed):
        parse_project(settings)


# Without a scheduler, `run` on the HTTP source fetches from the newest day in the lake (again, for
# its late papers) through yesterday (UTC), at most this many days; a longer gap is a backfill.
HTTP_RUN_MAX_DAYS = 14


def http_run_dates(settings: Settings, today: dt.date | None = None) -> list[dt.date]:
    """The days `run` fetches from the API: the newest lake day (or yesterday, or
    PAPERHOUSE_START_DATE on an empty lake) through yesterday, the last HTTP_RUN_MAX_DAYS of them."""
    yesterday = (today or dt.datetime.now(dt.timezone.utc).date()) - dt.timedelta(days=1)
    known = lake.partition_dates(settings.lake_dir)
    if known:
        first = max(known)
    elif settings.start_date:
        first = dt.date.fromisoformat(settings.start_date)
    else:
        first = yesterday
    first = max(first, yesterday - dt.timedelta(days=HTTP_RUN_MAX_DAYS - 1))
    return [first + dt.timedelta(days=n) for n in range((yesterday - first).days + 1)]


def fetch_days(settings: Settings, days: list[dt.date]) -> tuple[list[Path], list[str], list[str]]:
    """Fetch each day; one failing day never stops the others. Returns (paths, days without a
    snapshot, one line per failed day)."""
    paths, skipped, failures = [], [], []
    for day in days:
        try:
            paths.append(fetch(settings, day))
        except SnapshotNotReady:
            skipped.append(day.isoformat())
        except (FeedError, SourceUnavailable) as exc:
            log.warning("%s: %s", day, exc)
            failures.append(f"{day}: {exc}")
    return paths, skipped, failures


def run(settings: Settings, paths: list[Path] | None = None, full_refresh: bool = False,
        progress: bool = False) -> RunReport:
    """Everything a scheduled day does, for working without a scheduler. On the HTTP source
    (without explicit paths) the recent days are fetched into the feed directory first. A worker
    is forked to ingest, then import Great Expectations and run the gates, while this process
    imports dbt, parses the project and builds."""
    from paperhouse.gate_worker import gate_worker

    with writer_lock(settings):
        skipped, failures = [], []
        if paths is None and settings.source == "http":
            paths, skipped, failures = fetch_days(settings, http_run_dates(settings))
        else:
            paths = paths or [settings.feed_dir]
        report = RunReport(skipped_dates=skipped, fetch_failures=failures)
        with gate_worker(settings, first=(_ingest_for_run, (settings, paths, progress), {})) as gates:
            with report.timed("parse"):
                prepare_build(settings)
            with report.timed("ingest"):
                report.ingest, unpublished = gates.first.result()
            report = audit_build_publish(settings, report, report.ingest.changed_dates, full_refresh, progress, gates,
                                         unpublished)
        with report.timed("freshness"):
            report.freshness = freshness(settings)
        return report


def _ingest_for_run(settings: Settings, paths: list[Path], progress: bool) -> tuple[IngestReport, list[dt.date]]:
    """Ingest, then the days the published warehouse lacks: what the run audits and builds."""
    report = ingest(settings, paths, progress=progress)
    return report, unpublished_dates(settings)


def backfill(settings: Settings, start: dt.date, end: dt.date, progress: bool = False) -> RunReport:
    """Ingest every day from start to end (inclusive), gate each, and build once. A day the source
    fails on is reported and the days after it are still tried."""
    if end < start:
        raise ValueError(f"backfill: end {end} is before start {start}")
    with writer_lock(settings):
        days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
        paths, skipped, failures = fetch_days(settings, days)
        report = RunReport(ingest=ingest(settings, paths, progress=progress), skipped_dates=skipped,
                           fetch_failures=failures)
        report = audit_build_publish(settings, report, report.ingest.changed_dates, progress=progress)
        report.freshness = freshness(settings)
        return report
