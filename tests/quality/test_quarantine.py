"""Quarantine review: list, show, release, waivers, and the pipeline's pending releases."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from paperhouse import landing
from paperhouse.errors import PaperhouseError
from paperhouse.quality import quarantine, results
from paperhouse.quality.quarantine import (
    list_quarantined, mark_ingested, pending_releases, release, show, waivers_for,
)
from paperhouse.settings import Settings

DAY = dt.date(2026, 8, 10)


def gate_reject(settings, data: bytes, checks=("abstracts_look_like_titles",), stage="raw_gate") -> str:
    run = {"run_id": f"20260810T060000.000Z_raw_{DAY}", "stage": "raw", "subject": str(DAY), "ok": False,
           "params": {"entry_count": 120}, "docs_path": "index.html",
           "checks": [{"name": name, "ok": False, "waived": False, "detail": "37 of 120 rows"} for name in checks]
           + [{"name": "duplicate_positions", "ok": True, "waived": False, "detail": "0 of 120 rows"}]}
    report = results.save_run(settings, run)
    landing.quarantine(settings, data, "json", {
        "original_path": f"feed/{DAY}.json", "snapshot_date": DAY, "stage": stage,
        "reason": f"raw gate failed for {DAY}: {checks[0]}: 37 of 120 rows", "failed_checks": list(checks),
        "report_path": str(report)})
    return landing.sha256_hex(data)


def parse_reject(settings, data: bytes) -> str:
    landing.quarantine(settings, data, "txt", {"original_path": "feed/2026-08-11.txt", "stage": "parse",
                                               "reason": "title slot holds prose", "line": 14})
    return landing.sha256_hex(data)


def test_list_shows_every_reject_with_its_reason(settings):
    gate_id = gate_reject(settings, b'[{"paper": 1}]')
    parse_id = parse_reject(settings, b"Daily Papers\n...")
    records = {r.snapshot_id: r for r in list_quarantined(settings)}
    assert set(records) == {gate_id, parse_id}
    assert records[gate_id].stage == "raw_gate" and records[gate_id].snapshot_date == str(DAY)
    assert records[gate_id].failed_checks == ["abstracts_look_like_titles"]
    assert records[gate_id].path == settings.quarantine_dir / f"{gate_id}.json"
    assert records[parse_id].line == 14 and not records[parse_id].released
    assert list_quarantined(Settings.from_env({"PAPERHOUSE_HOME": str(settings.home / "empty")})) == []


def test_show_by_prefix_includes_the_gate_report(settings):
    gate_id = gate_reject(settings, b"snapshot one")
    record = show(settings, gate_id[:8].upper())
    assert record.snapshot_id == gate_id
    assert record.report["failed"] == {"abstracts_look_like_titles": "37 of 120 rows"}
    assert record.report["params"] == {"entry_count": 120}
    assert json.loads(json.dumps(record.as_dict()))["path"] == str(record.path)


def test_show_rejects_unknown_and_ambiguous_prefixes(settings):
    first = gate_reject(settings, b"snapshot 0")
    n = 1
    while landing.sha256_hex(f"snapshot {n}".encode())[0] != first[0]:
        n += 1
    gate_reject(settings, f"snapshot {n}".encode())
    with pytest.raises(PaperhouseError, match=rf"'{first[0]}' matches 2 snapshots"):
        show(settings, first[0])
    with pytest.raises(PaperhouseError, match="no quarantined snapshot matches 'zz'"):
        show(settings, "zz")
    with pytest.raises(PaperhouseError, match="give a snapshot id"):
        show(settings, " ")


def test_parse_rejects_cannot_be_released(settings):
    parse_id = parse_reject(settings, b"not a page")
    with pytest.raises(PaperhouseError) as failed:
        release(settings, parse_id)
    message = str(failed.value)
    assert "\n" not in message
    assert "parse reject cannot be released: the parser rejects it (line 14): title slot holds prose" in message
    assert (settings.quarantine_dir / f"{parse_id}.txt").exists()
    assert not quarantine.waivers_path(settings).exists()


def test_release_moves_the_file_and_records_the_waiver(settings):
    gate_id = gate_reject(settings, b"good after all", checks=("entry_count_out_of_range",))
    record = release(settings, gate_id[:10], note="holiday: a short day is right")
    assert record.released and record.waived_checks == ["entry_count_out_of_range"]
    assert record.note == "holiday: a short day is right"
    assert record.path == settings.quarantine_dir / "released" / f"{gate_id}.json"
    assert record.path.read_bytes() == b"good after all"
    assert not (settings.quarantine_dir / f"{gate_id}.json").exists()
    assert not (settings.quarantine_dir / f"{gate_id}.why.json").exists()
    (logged,) = [json.loads(line) for line in quarantine.waivers_path(settings).read_text().splitlines()]
    assert logged["snapshot_id"] == gate_id and logged["waived_checks"] == ["entry_count_out_of_range"]
    assert waivers_for(settings, gate_id) == {"entry_count_out_of_range"}
    assert waivers_for(settings, "0" * 64) == set()
    # Still listed (as released), still shown.
    assert [r.released for r in list_quarantined(settings)] == [True]
    assert show(settings, gate_id).released_at == record.released_at
    with pytest.raises(PaperhouseError, match="already released"):
        release(settings, gate_id)


def test_pending_releases_until_ingested(settings):
    first = gate_reject(settings, b"first")
    second = gate_reject(settings, b"second", stage="marts_gate", checks=("claim_unit_unknown",))
    gate_reject(settings, b"not released")
    release(settings, first)
    release(settings, second)
    assert [r.snapshot_id for r in pending_releases(settings)] == [first, second]
    assert pending_releases(settings)[1].waived_checks == ["claim_unit_unknown"]
    ingested = mark_ingested(settings, first)
    assert ingested.ingested_at is not None
    assert [r.snapshot_id for r in pending_releases(settings)] == [second]
    with pytest.raises(PaperhouseError, match="no released snapshot"):
        mark_ingested(settings, "f" * 64)


def test_stopped_again_after_release_waives_both_checks(settings):
    data = b"twice stopped"
    snapshot_id = gate_reject(settings, data, checks=("entry_count_out_of_range",))
    release(settings, snapshot_id)
    mark_ingested(settings, snapshot_id)
    gate_reject(settings, data, stage="marts_gate", checks=("claim_percent_out_of_range",))
    assert not show(settings, snapshot_id).released  # the new, pending stop wins
    record = release(settings, snapshot_id)
    assert record.waived_checks == ["claim_percent_out_of_range", "entry_count_out_of_range"]
    assert record.ingested_at is None and [r.snapshot_id for r in pending_releases(settings)] == [snapshot_id]
