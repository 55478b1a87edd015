"""The pipeline's steps. Each is one function that a DAG task and the CLI both call.

Write-audit-publish: a day enters the lake (ingest), is audited (raw gate), the warehouse is built
into a staging file (build), audited (marts gate), and only then renamed onto the published file
(publish). A day stopped by a gate is quarantined with its report and taken back out of the lake
(its earlier version, if it replaced one, is restored), so the next build never sees it.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from paperhouse import lake, landing
from paperhouse.errors import FeedError, GateFailed, SnapshotNotReady
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
        report = ingest_paths(settings, paths, snapshot_date, progress=progress) if paths else IngestReport()
        for record in quarantine.pending_releases(settings):
            day = dt.date.fromisoformat(record.snapshot_date)
            report.outcomes.append(ingest_file(settings, record.path, day, waived=set(record.waived_checks)))
            quarantine.mark_ingested(settings, record.snapshot_id)
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


def gate_raw(settings: Settings, snapshot_dates: list[dt.date]):
    """Audit each new lake partition. Every failing day is rejected; then GateFailed is raised
    naming them all, so a backfill can go on with the days that passed."""
    from paperhouse.quality.gates import failure_line, run_raw_gate
    from paperhouse.quality.results import build_data_docs

    results, failures = [], []
    with writer_lock(settings):
        # Days a killed run left in the lake unpublished are audited too, never built unaudited.
        for day in sorted(set(snapshot_dates) | set(unpublished_dates(settings))):
            row = lake.snapshot_for_date(settings.lake_dir, day)
            if row is None:
                # Never pass a day silently: it was rejected earlier or never ingested.
                failures.append(f"raw gate: {day} has no committed snapshot in the lake (rejected earlier, see `paperhouse quarantine list`)")
                continue
            result = run_raw_gate(settings, day, waived=set(row.get("waived_checks") or []), build_docs=False)
            results.append(result)
            if not result.ok:
                line = failure_line(result)
                reject_day(settings, day, "raw_gate", line, [c.name for c in result.failed],
                           result.report_path)
                failures.append(line)
        if results:
            build_data_docs(settings, [r.run_id for r in results])
    if failures:
        raise GateFailed("; ".join(failures))
    return results


def gate_marts(settings: Settings, changed_dates: list[dt.date] = ()):
    """Audit the staged warehouse. On failure the staging file is discarded, the days of this run
    are rejected, and the published warehouse stays as it was."""
    from paperhouse.quality.gates import failure_line, run_marts_gate

    result = run_marts_gate(settings, settings.staging_warehouse_path)
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

def build(settings: Settings, full_refresh: bool = False, progress: bool = False):
    from paperhouse.warehouse import build_staging

    with writer_lock(settings):
        return build_staging(settings, full_refresh=full_refresh, progress=progress)


def publish(settings: Settings) -> Path:
    from paperhouse.warehouse import publish_staging

    with writer_lock(settings):
        return publish_staging(settings)


def export(settings: Settings, run_id: str | None = None) -> Path:
    from paperhouse.export import export_warehouse

    return export_warehouse(settings, run_id=run_id)


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
    build_summary: str | None = None
    published: Path | None = None
    exported: Path | None = None
    skipped_dates: list[str] = field(default_factory=list)   # days the source had no snapshot for
    freshness: list[str] = field(default_factory=list)       # sources dbt finds stale (warn or error)

    @property
    def ok(self) -> bool:
        return self.ingest.ok and not self.gate_failures

    def summary(self) -> str:
        parts = [f"ingest: {self.ingest.summary()}"]
        if self.skipped_dates:
            parts.append(f"{len(self.skipped_dates)} days without a snapshot")
        if self.gate_failures:
            parts.append("gates: " + "; ".join(self.gate_failures))
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
                "gate_failures": self.gate_failures, "freshness": self.freshness, "published": str(self.published) if self.published else None,
                "exported": str(self.exported) if self.exported else None}


def unpublished_dates(settings: Settings) -> list[dt.date]:
    """Days whose committed lake snapshot the published warehouse does not hold yet: new days, and
    days a killed or failed run left in the lake. A run audits and builds all of them."""
    import duckdb

    committed = lake.committed_snapshot_ids(settings.lake_dir)
    published: set[str] = set()
    if committed and settings.warehouse_path.exists():
        with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
            published = {row[0] for row in con.execute("select snapshot_id from dim_snapshots").fetchall()}
    return sorted(day for day, snapshot_id in committed.items() if snapshot_id not in published)


def audit_build_publish(settings: Settings, report: RunReport, changed: list[dt.date],
                        full_refresh: bool = False, progress: bool = False) -> RunReport:
    """Raw gate on the changed days, then build, marts gate, publish and export once."""
    changed = sorted(set(changed) | set(unpublished_dates(settings)))
    if changed:
        try:
            gate_raw(settings, changed)
        except GateFailed as failed:
            report.gate_failures.append(str(failed))
            changed = [d for d in changed if lake.snapshot_for_date(settings.lake_dir, d) is not None]
    if not changed and settings.warehouse_path.exists() and not full_refresh:
        return report  # nothing new to publish
    if not lake.partition_dates(settings.lake_dir):
        return report  # an empty lake has no warehouse
    result = build(settings, full_refresh=full_refresh, progress=progress)
    report.build_summary = getattr(result, "summary", str(result))
    try:
        gate_marts(settings, changed)
    except GateFailed as failed:
        report.gate_failures.append(str(failed))
        return report
    report.published = publish(settings)
    report.exported = export(settings)
    return report


def run(settings: Settings, paths: list[Path] | None = None, full_refresh: bool = False,
        progress: bool = False) -> RunReport:
    """Everything a scheduled day does, for working without a scheduler."""
    with writer_lock(settings):
        report = RunReport(ingest=ingest(settings, paths or [settings.feed_dir], progress=progress))
        report = audit_build_publish(settings, report, report.ingest.changed_dates, full_refresh, progress)
        report.freshness = freshness(settings)
        return report


def backfill(settings: Settings, start: dt.date, end: dt.date, progress: bool = False) -> RunReport:
    """Ingest every day from start to end (inclusive), gate each, and build once."""
    if end < start:
        raise ValueError(f"backfill: end {end} is before start {start}")
    with writer_lock(settings):
        paths, skipped = [], []
        day = start
        while day <= end:
            try:
                paths.append(fetch(settings, day))
            except SnapshotNotReady:
                skipped.append(day.isoformat())
            day += dt.timedelta(days=1)
        report = RunReport(ingest=ingest(settings, paths, progress=progress), skipped_dates=skipped)
        report = audit_build_publish(settings, report, report.ingest.changed_dates, progress=progress)
        report.freshness = freshness(settings)
        return report
