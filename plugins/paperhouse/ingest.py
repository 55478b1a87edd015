"""Ingest: feed file -> landing -> parse -> extract -> the day's lake partitions.

A file is accepted whole or not at all. Rejected bytes go to quarantine with a note of why, and
nothing already in the lake changes. The same bytes again change nothing; different bytes for a
day already in the lake replace that day's partitions (each written then renamed). The same bytes
as another day's snapshot are quarantined as a duplicate (snapshot ids must stay unique); released,
they go in as their own day under an id that includes the date.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from pyarrow import ArrowException

from paperhouse import lake, landing
from paperhouse.faults import crash_point
from paperhouse.errors import FeedError
from paperhouse.feeds import PARSER_VERSION, ParsedFeed, parse_bytes
from paperhouse.locking import writer_lock
from paperhouse.settings import Settings

# Feed directories name each snapshot by its day.
_DATED_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})\.[A-Za-z0-9]+$")


@dataclass
class FileOutcome:
    path: str
    status: str                      # accepted | replaced | unchanged | rejected
    snapshot_date: dt.date | None = None
    snapshot_id: str | None = None
    entries: int = 0
    reason: str | None = None        # one line, for rejected files
    replaced_snapshot_id: str | None = None

    def as_dict(self) -> dict:
        out = dataclasses.asdict(self)
        out["snapshot_date"] = self.snapshot_date.isoformat() if self.snapshot_date else None
        return out


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # files passed over, one line each

    def by_status(self, *statuses: str) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status in statuses]

    @property
    def ok(self) -> bool:
        return not self.by_status("rejected")

    @property
    def changed_dates(self) -> list[dt.date]:
        """Days whose lake partitions this ingest wrote (new or replaced)."""
        return sorted({o.snapshot_date for o in self.by_status("accepted", "replaced") if o.snapshot_date})

    def summary(self) -> str:
        counts = {s: len(self.by_status(s)) for s in ("accepted", "replaced", "unchanged", "rejected")}
        return ", ".join(f"{n} {s}" for s, n in counts.items())

    def as_dict(self) -> dict:
        return {"summary": self.summary(), "ok": self.ok, "files": [o.as_dict() for o in self.outcomes],
                "warnings": self.warnings}


def date_from_name(path: Path) -> dt.date | None:
    match = _DATED_NAME.match(path.name)
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None


# A name that tries to be YYYY-MM-DD.<ext> (so a typo is reported, not passed over).
_DATE_LIKE = re.compile(r"^\d{2,4}-\d{1,2}-\d{1,2}\.")


def resolve_inputs(paths: list[Path], problems: list[FileOutcome] | None = None,
                   warnings: list[str] | None = None) -> list[Path]:
    """Files as given, and a directory's dated snapshot files (YYYY-MM-DD.<ext>), oldest first.

    Nothing is passed over in silence: a dated-looking name that is not a real date, a dangling
    symlink or a directory named like a snapshot is added to `problems` (a rejection); any other
    file that is not named by its day goes to `warnings`. Hidden files are skipped."""
    problems = problems if problems is not None else []
    warnings = warnings if warnings is not None else []
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if not path.is_dir():
            files.append(path)
            continue
        dated = []
        for child in sorted(path.iterdir()):
            if child.name.startswith("."):
                continue
            day = date_from_name(child)
            if child.is_dir():
                if day or _DATE_LIKE.match(child.name):
                    problems.append(FileOutcome(str(child), "rejected", day, reason=f"{child}: a directory, not a snapshot file"))
                else:
                    warnings.append(f"{child}: skipped: a directory inside the feed directory")
            elif not child.exists():
                problems.append(FileOutcome(str(child), "rejected", day, reason=f"{child}: a dangling symlink (its target {os.readlink(child)} is missing)"))
            elif day:
                dated.append(child)
            elif _DATE_LIKE.match(child.name):
                problems.append(FileOutcome(str(child), "rejected", None, reason=f"{child}: not a snapshot name (YYYY-MM-DD.<ext>, a real date)"))
            else:
                warnings.append(f"{child}: skipped: not named YYYY-MM-DD.<ext>")
        files.extend(sorted(dated, key=lambda p: (date_from_name(p), p.name)))
    return files


def extract_tables(snapshot_id: str, entries: list[dict]) -> dict[str, list[dict]]:
    """Repo mentions, links and claims of every entry, as lake rows."""
    from paperhouse.extract import EXTRACTOR_VERSION, extract_claims, extract_repos

    mentions, links, claims = [], [], []
    for entry in entries:
        key = {"snapshot_id": snapshot_id, "position": entry["position"]}
        repos, found_links = extract_repos(entry["abstract"], entry.get("github_repo"), entry.get("project_page"))
        mentions += [{**key, **_fields(r), "extractor_version": EXTRACTOR_VERSION} for r in repos]
        links += [{**key, **_fields(link), "extractor_version": EXTRACTOR_VERSION} for link in found_links]
        claims += [{**key, **_fields(c), "extractor_version": EXTRACTOR_VERSION} for c in extract_claims(entry["abstract"])]
    return {"repo_mentions": mentions, "links": links, "claims": claims}


def _fields(record) -> dict:
    """A flat dataclass's fields as a dict: `dataclasses.asdict` deep-copies every value, which
    cost more than a quarter of a backfill's extraction; these records hold only scalars."""
    return {name: getattr(record, name) for name in record.__dataclass_fields__}


def day_tables(snapshot_row: dict, parsed_entries: list[dict]) -> dict:
    snapshot_id = snapshot_row["snapshot_id"]
    rows = {"entries": [{"snapshot_id": snapshot_id, **e} for e in parsed_entries]}
    rows.update(extract_tables(snapshot_id, parsed_entries))
    rows["snapshots"] = [snapshot_row]
    return {table: lake.to_table(table, rows[table]) for table in lake.SCHEMAS}


def _snapshot_row(snapshot_id: str, source: str, parsed: ParsedFeed, size: int, waived: set[str],
                  replaces: str | None) -> dict:
    from paperhouse.extract import EXTRACTOR_VERSION

    return {
        "snapshot_id": snapshot_id,
        "source": source,
        "format": parsed.format,
        "layout": parsed.layout,
        "in_page_date": parsed.in_page_date,
        "byte_size": size,
        "entry_count": len(parsed.entries),
        "ingested_at": dt.datetime.now(dt.timezone.utc),
        "parser_version": PARSER_VERSION,
        "extractor_version": EXTRACTOR_VERSION,
        "waived_checks": sorted(waived),
        "replaces_snapshot_id": replaces,
    }


# The check a duplicate reject names, and a release waives: the same bytes as another day's snapshot.
DUPLICATE_CHECK = "duplicate_snapshot"


def dated_snapshot_id(content_id: str, snapshot_date: dt.date) -> str:
    """The id of a released duplicate: its bytes' hash qualified by its own day, so the warehouse
    keeps both days apart (snapshot ids are unique there)."""
    return landing.sha256_hex(f"{snapshot_date.isoformat()}:{content_id}".encode())


def _duplicated_day(settings: Settings, snapshot_id: str, snapshot_date: dt.date,
                    committed: dict[dt.date, str] | None) -> dt.date | None:
    """Another day whose committed snapshot has these very bytes, if any."""
    ids = committed if committed is not None else lake.committed_snapshot_ids(settings.lake_dir)
    return next((day for day, other in sorted(ids.items()) if other == snapshot_id and day != snapshot_date), None)


def _reject(settings: Settings, data: bytes, ext: str, name: str, source: str | None, snapshot_date: dt.date,
            snapshot_id: str, stage: str, reason: str, line: int | None = None,
            failed_checks: list[str] = ()) -> FileOutcome:
    landing.quarantine(settings, data, ext, {"original_path": source or name, "snapshot_date": snapshot_date,
                                             "stage": stage, "reason": reason, "line": line,
                                             "failed_checks": list(failed_checks)})
    where = f"{name}:{line}" if line is not None else name
    return FileOutcome(name, "rejected", snapshot_date, snapshot_id, reason=f"{where}: {reason}")


def ingest_bytes(settings: Settings, data: bytes, name: str, snapshot_date: dt.date, source: str | None = None,
                 format: str = "auto", waived: set[str] | frozenset[str] = frozenset(),
                 committed: dict[dt.date, str] | None = None,
                 entry_counts: dict[dt.date, int] | None = None) -> FileOutcome:
    """Ingest one snapshot's bytes for `snapshot_date`. Raises nothing for bad input: a rejected
    file is quarantined and reported in the outcome. `committed` (day -> snapshot id) saves a
    lake scan per file when many are ingested, and with `entry_counts` (day -> entries) lets
    unchanged bytes go without parsing; both are kept up to date here."""
    snapshot_id = landing.sha256_hex(data)
    ext = Path(name).suffix or ".dat"
    if format == "auto" and committed is not None and entry_counts is not None and snapshot_date in entry_counts and \
            committed.get(snapshot_date) in (snapshot_id, dated_snapshot_id(snapshot_id, snapshot_date)):
        # The day's committed snapshot has these very bytes: nothing to do, and no need to parse
        # them again (a daily run re-reads the whole feed directory).
        return FileOutcome(name, "unchanged", snapshot_date, committed[snapshot_date], entry_counts[snapshot_date])
    try:
        parsed = parse_bytes(data, name, format)
    except FeedError as err:
        return _reject(settings, data, ext, name, source, snapshot_date, snapshot_id, "parse", err.reason, err.line)

    with writer_lock(settings):
        current = lake.snapshot_for_date(settings.lake_dir, snapshot_date)
        if current and current["snapshot_id"] in (snapshot_id, dated_snapshot_id(snapshot_id, snapshot_date)):
            return FileOutcome(name, "unchanged", snapshot_date, current["snapshot_id"], len(parsed.entries))
        duplicated = _duplicated_day(settings, snapshot_id, snapshot_date, committed)
        if duplicated is not None:
            if DUPLICATE_CHECK not in waived:
                return _reject(settings, data, ext, name, source, snapshot_date, snapshot_id, "duplicate",
                               f"duplicate of {duplicated}: the same bytes as that day's snapshot "
                               "(release it to keep it as its own day)", failed_checks=[DUPLICATE_CHECK])
            snapshot_id = dated_snapshot_id(snapshot_id, snapshot_date)
        try:
            row = _snapshot_row(snapshot_id, source or name, parsed, len(data), set(waived),
                                current["snapshot_id"] if current else None)
            tables = day_tables(row, parsed.entries)
        except (ValueError, TypeError, OverflowError, ArrowException) as exc:
            # A value the parser let through that the lake's schema cannot hold.
            reason = f"a value does not fit the lake's schema: {str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__}"
            return _reject(settings, data, ext, name, source, snapshot_date, snapshot_id, "parse", reason)
        landing.land(settings, data, ext, snapshot_id)
        crash_point("landing")
        lake.write_day(settings.lake_dir, snapshot_date, tables)
        if committed is not None:
            committed[snapshot_date] = snapshot_id
        if entry_counts is not None:
            entry_counts[snapshot_date] = len(parsed.entries)
    status = "replaced" if current else "accepted"
    return FileOutcome(name, status, snapshot_date, snapshot_id, len(parsed.entries),
                       replaced_snapshot_id=current["snapshot_id"] if current else None)


def ingest_file(settings: Settings, path: Path, snapshot_date: dt.date | None = None, format: str = "auto",
                waived: set[str] | frozenset[str] = frozenset(),
                committed: dict[dt.date, str] | None = None,
                entry_counts: dict[dt.date, int] | None = None) -> FileOutcome:
    path = Path(path)
    day = snapshot_date or date_from_name(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return FileOutcome(str(path), "rejected", day, reason=f"{path}: cannot read: {exc.strerror}")
    if day is None:
        reason = "no snapshot date: name the file YYYY-MM-DD.<ext> or pass --date"
        landing.quarantine(settings, data, path.suffix, {"original_path": str(path), "stage": "parse", "reason": reason})
        return FileOutcome(str(path), "rejected", None, landing.sha256_hex(data), reason=f"{path}: {reason}")
    return ingest_bytes(settings, data, str(path), day, source=str(path.absolute()), format=format, waived=waived,
                        committed=committed, entry_counts=entry_counts)


def ingest_paths(settings: Settings, paths: list[Path], snapshot_date: dt.date | None = None,
                 format: str = "auto", progress: bool = False) -> IngestReport:
    """Ingest files and feed directories. Good files go in even when others are rejected."""
    report = IngestReport()
    files = resolve_inputs(paths, report.outcomes, report.warnings)
    if snapshot_date and len(files) > 1:
        raise FeedError(", ".join(map(str, files[:3])), "--date names one day: pass a single file with it")
    days: dict[dt.date, Path] = {}
    for path in files:
        day = snapshot_date or date_from_name(path)
        if day and day in days:
            report.outcomes.append(FileOutcome(str(path), "rejected", day, reason=f"{path}: a second snapshot for {day} (first: {days[day]}); keep one file per day"))
            continue
        if day:
            days[day] = path
    pending = [p for p in files if days.get(snapshot_date or date_from_name(p)) == p or not (snapshot_date or date_from_name(p))]
    from paperhouse.progress import progress_bar

    snapshots = lake.committed_snapshots(settings.lake_dir)
    committed = {day: snapshot_id for day, (snapshot_id, _count) in snapshots.items()}
    entry_counts = {day: count for day, (_snapshot_id, count) in snapshots.items()}
    with progress_bar("ingest", total=len(pending), enabled=progress) as advance:
        for path in pending:
            report.outcomes.append(ingest_file(settings, path, snapshot_date, format, committed=committed,
                                               entry_counts=entry_counts))
            advance(path.name)
    return report


def reprocess(settings: Settings, dates: list[dt.date] | None = None, progress: bool = False) -> list[dt.date]:
    """Re-run extraction over the lake's entries (no re-landing, no re-parsing), rewriting each
    day's repo_mentions, links and claims, then its snapshots row with the new extractor version.
    Returns the days rewritten; the warehouse needs a full refresh afterwards."""
    from paperhouse.extract import EXTRACTOR_VERSION
    from paperhouse.progress import progress_bar

    days = dates or lake.partition_dates(settings.lake_dir)
    done = []
    with writer_lock(settings), progress_bar("reprocess", total=len(days), enabled=progress) as advance:
        for day in days:
            snapshot = lake.snapshot_for_date(settings.lake_dir, day)
            entries = lake.read_partition(settings.lake_dir, "entries", day)
            if snapshot is None or entries is None:
                continue
            extracted = extract_tables(snapshot["snapshot_id"], entries.to_pylist())
            for table, rows in extracted.items():
                lake.write_partition(settings.lake_dir, table, day, lake.to_table(table, rows))
            snapshot["extractor_version"] = EXTRACTOR_VERSION
            lake.write_partition(settings.lake_dir, "snapshots", day, lake.to_table("snapshots", [snapshot]))
            done.append(day)
            advance(day.isoformat())
    return done
