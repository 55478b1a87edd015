"""Review of quarantined snapshots: list, show, release; the waivers a release grants.

`paperhouse.landing.quarantine` keeps rejected bytes as `quarantine/<sha256>.<ext>` beside
`<sha256>.why.json`. Releasing a gate reject moves both to `quarantine/released/` (the why.json
gains `released_at`, `waived_checks`, `note`) and appends the waiver to `state/waivers.jsonl`; the
next ingest takes released files in with those checks waived and marks them ingested. A parse
reject cannot be released: no waiver makes the parser read it.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paperhouse.errors import PaperhouseError
from paperhouse.fsio import write_atomic
from paperhouse.locking import writer_lock
from paperhouse.settings import Settings

WHY_SUFFIX = ".why.json"
GATE_STAGES = ("raw_gate", "marts_gate", "build", "duplicate")  # stages whose rejects a person may release
RELEASE_LOCK_TIMEOUT_S = 30.0  # a person waits this long for a running pipeline, then is told


@dataclass
class QuarantineRecord:
    snapshot_id: str
    path: Path                        # the quarantined (or released) bytes
    why_path: Path
    stage: str                        # parse | raw_gate | marts_gate
    reason: str
    snapshot_date: str | None = None
    original_path: str | None = None
    line: int | None = None
    failed_checks: list[str] = field(default_factory=list)
    report_path: str | None = None
    quarantined_at: str | None = None
    released_at: str | None = None
    waived_checks: list[str] = field(default_factory=list)
    note: str | None = None
    ingested_at: str | None = None
    report: dict[str, Any] | None = None  # show(): the gate run behind a gate reject

    @property
    def released(self) -> bool:
        return self.released_at is not None

    def as_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data.update(path=str(self.path), why_path=str(self.why_path))
        return data


def released_dir(settings: Settings) -> Path:
    return settings.quarantine_dir / "released"


def waivers_path(settings: Settings) -> Path:
    return settings.state_dir / "waivers.jsonl"


def _now() -> str:
    """Microseconds, so that releases made in the same second keep their order."""
    return dt.datetime.now(dt.timezone.utc).isoformat()


def _read(why_path: Path) -> QuarantineRecord:
    snapshot_id = why_path.name[: -len(WHY_SUFFIX)]
    try:
        why = json.loads(why_path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise PaperhouseError(f"{why_path}: unreadable quarantine note: {exc}") from exc
    data_files = [p for p in why_path.parent.glob(f"{snapshot_id}.*") if not p.name.endswith(WHY_SUFFIX)]
    known = {f.name for f in dataclasses.fields(QuarantineRecord)} - {"snapshot_id", "path", "why_path", "report"}
    return QuarantineRecord(
        snapshot_id=snapshot_id,
        path=data_files[0] if data_files else why_path.with_name(snapshot_id),
        why_path=why_path,
        **{key: value for key, value in why.items() if key in known},
    )


def _records(directory: Path) -> list[QuarantineRecord]:
    if not directory.is_dir():
        return []
    return [_read(path) for path in sorted(directory.glob(f"*{WHY_SUFFIX}"))]


def list_quarantined(settings: Settings) -> list[QuarantineRecord]:
    """Every quarantined snapshot, pending and released, newest first."""
    records = _records(settings.quarantine_dir) + _records(released_dir(settings))
    return sorted(records, key=lambda r: r.quarantined_at or "", reverse=True)


def _find(settings: Settings, snapshot_id_or_prefix: str, released: bool | None = None) -> QuarantineRecord:
    """The one record whose id starts with the prefix; a pending record wins over a released one
    of the same snapshot (it was stopped again after its release)."""
    prefix = snapshot_id_or_prefix.strip().lower()
    if not prefix:
        raise PaperhouseError(f"{settings.quarantine_dir}: give a snapshot id or a prefix of one")
    candidates = [r for r in list_quarantined(settings) if r.snapshot_id.startswith(prefix)
                  and (released is None or r.released == released)]
    by_id: dict[str, QuarantineRecord] = {}
    for record in candidates:
        if record.snapshot_id not in by_id or not record.released:
            by_id[record.snapshot_id] = record
    if not by_id:
        state = {None: "", True: "released ", False: "pending "}[released]
        raise PaperhouseError(f"{settings.quarantine_dir}: no {state}quarantined snapshot matches {prefix!r}")
    if len(by_id) > 1:
        ids = ", ".join(sorted(i[:12] for i in by_id))
        raise PaperhouseError(f"{settings.quarantine_dir}: {prefix!r} matches {len(by_id)} snapshots ({ids}); give more of the id")
    return next(iter(by_id.values()))


def _report(report_path: str | None) -> dict[str, Any] | None:
    """The gate run's summary: its outcome, the failing checks in words, the Data Docs."""
    if not report_path or not Path(report_path).is_file():
        return None
    run = json.loads(Path(report_path).read_text())
    return {
        "run_id": run["run_id"],
        "ok": run["ok"],
        "failed": {c["name"]: c["detail"] for c in run["checks"] if not c["ok"]},
        "params": run.get("params"),
        "docs_path": run.get("docs_path"),
    }


def show(settings: Settings, snapshot_id_or_prefix: str) -> QuarantineRecord:
    record = _find(settings, snapshot_id_or_prefix)
    record.report = _report(record.report_path)
    return record


def waivers_for(settings: Settings, snapshot_id: str) -> set[str]:
    """Every check waived for a snapshot by its releases."""
    path = waivers_path(settings)
    if not path.exists():
        return set()
    waived: set[str] = set()
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PaperhouseError(f"{path}:{number}: not JSON: {exc}") from exc
        if entry.get("snapshot_id") == snapshot_id:
            waived.update(entry.get("waived_checks") or ())
    return waived


def release(settings: Settings, snapshot_id_or_prefix: str, note: str | None = None) -> QuarantineRecord:
    """Let a gate reject into the next run with the checks that stopped it (and any waived by an
    earlier release) waived. The waiver is recorded in state/waivers.jsonl."""
    with writer_lock(settings, timeout_s=RELEASE_LOCK_TIMEOUT_S):
        record = _find(settings, snapshot_id_or_prefix)
        if record.released:
            raise PaperhouseError(f"{record.why_path}: {record.snapshot_id[:12]} was already released at {record.released_at}")
        if record.stage not in GATE_STAGES:
            where = f" (line {record.line})" if record.line is not None else ""
            raise PaperhouseError(
                f"{record.why_path}: a {record.stage} reject cannot be released: the parser rejects it{where}: "
                f"{record.reason}; fix the file and ingest it again")
        if not record.path.is_file():
            raise PaperhouseError(f"{record.why_path}: the quarantined file {record.path.name} is missing")
        waived = sorted(set(record.failed_checks) | waivers_for(settings, record.snapshot_id))
        why = json.loads(record.why_path.read_text())
        why.update(released_at=_now(), waived_checks=waived, note=note, ingested_at=None)
        target_dir = released_dir(settings)
        target_why = target_dir / record.why_path.name
        write_atomic(target_why, json.dumps(why, indent=2).encode())
        os.replace(record.path, target_dir / record.path.name)
        entry = {"snapshot_id": record.snapshot_id, "snapshot_date": record.snapshot_date, "stage": record.stage,
                 "waived_checks": waived, "note": note, "released_at": why["released_at"],
                 "report_path": record.report_path}
        waivers_path(settings).parent.mkdir(parents=True, exist_ok=True)
        with open(waivers_path(settings), "a") as log:
            log.write(json.dumps(entry) + "\n")
        record.why_path.unlink()
        return _read(target_why)


def pending_releases(settings: Settings) -> list[QuarantineRecord]:
    """Released snapshots the pipeline has not ingested yet, oldest release first."""
    records = [r for r in _records(released_dir(settings)) if r.ingested_at is None]
    return sorted(records, key=lambda r: r.released_at or "")


def mark_ingested(settings: Settings, snapshot_id: str) -> QuarantineRecord:
    why_path = released_dir(settings) / f"{snapshot_id}{WHY_SUFFIX}"
    if not why_path.exists():
        raise PaperhouseError(f"{why_path}: no released snapshot {snapshot_id[:12]}")
    why = json.loads(why_path.read_text())
    why["ingested_at"] = _now()
    write_atomic(why_path, json.dumps(why, indent=2).encode())
    return _read(why_path)
