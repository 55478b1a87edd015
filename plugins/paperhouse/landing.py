"""Content-addressed storage of input files: accepted bytes in landing/, rejected in quarantine/.

Files are named by the sha256 of their bytes, so landing the same bytes twice is a no-op and a
snapshot's id is its landed file's name. Feed directories are the source of record and are never
modified: paperhouse copies bytes in, it does not move a user's files.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from paperhouse.fsio import write_atomic
from paperhouse.settings import Settings


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _extension(ext: str) -> str:
    ext = ext.lstrip(".").lower()
    return ext if ext.isalnum() and ext else "dat"


def land(settings: Settings, data: bytes, ext: str, snapshot_id: str | None = None) -> Path:
    """Keep accepted bytes as landing/<snapshot id>.<ext> (the sha256 of the bytes unless the
    snapshot has a day-qualified id); returns the landed path."""
    target = settings.landing_dir / f"{snapshot_id or sha256_hex(data)}.{_extension(ext)}"
    if not target.exists():
        write_atomic(target, data)
    return target


def landed_file(settings: Settings, snapshot_id: str) -> Path | None:
    matches = sorted(settings.landing_dir.glob(f"{snapshot_id}.*"))
    return matches[0] if matches else None


def quarantine(settings: Settings, data: bytes, ext: str, why: dict) -> Path:
    """Keep rejected bytes as quarantine/<sha256>.<ext> with <sha256>.why.json saying why.

    `why` holds at least `stage` and `reason`; the id, time and defaults are filled in here."""
    snapshot_id = sha256_hex(data)
    target = settings.quarantine_dir / f"{snapshot_id}.{_extension(ext)}"
    if not target.exists():
        write_atomic(target, data)
    record = {
        "snapshot_id": snapshot_id,
        "original_path": None,
        "snapshot_date": None,
        "stage": "parse",
        "reason": "",
        "line": None,
        "failed_checks": [],
        "report_path": None,
        **why,
        "quarantined_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    if isinstance(record.get("snapshot_date"), dt.date):
        record["snapshot_date"] = record["snapshot_date"].isoformat()
    write_atomic(settings.quarantine_dir / f"{snapshot_id}.why.json", json.dumps(record, indent=2).encode())
    return target
