from __future__ import annotations

import datetime as dt

import pyarrow.parquet as pq
import pytest

from conftest import SAMPLE_ENTRIES, api_json, page_text
from paperhouse import lake
from paperhouse.extract.claims import RULES
from paperhouse.ingest import ingest_paths, reprocess

DAY = dt.date(2026, 8, 10)


def _lake_files(settings):
    return {p.relative_to(settings.lake_dir): p.read_bytes() for p in settings.lake_dir.rglob("*") if p.is_file()}


def _write(feed, name, text):
    feed.mkdir(parents=True, exist_ok=True)
    path = feed / name
    path.write_text(text, encoding="utf-8")
    return path


def test_seed_feed_lands_every_snapshot(settings, seed_feed):
    report = ingest_paths(settings, [seed_feed])
    assert report.ok and report.summary() == "3 accepted, 0 replaced, 0 unchanged, 0 rejected"
    counts = {d.isoformat(): lake.read_partition(settings.lake_dir, "entries", d).num_rows
              for d in lake.partition_dates(settings.lake_dir)}
    assert counts == {"2026-08-09": 54, "2026-08-10": 234, "2026-08-11": 60}
    landed = sorted(p.name.split(".")[0] for p in settings.landing_dir.iterdir())
    assert landed == sorted(o.snapshot_id for o in report.outcomes)
    for outcome in report.outcomes:  # kept byte for byte
        source = seed_feed / f"{outcome.snapshot_date}.txt"
        assert (settings.landing_dir / f"{outcome.snapshot_id}.txt").read_bytes() == source.read_bytes()


def test_lake_tables_have_the_explicit_schemas(settings, tmp_path):
    path = _write(tmp_path / "feed", "2026-08-10.json", api_json())
    ingest_paths(settings, [path])
    for table, schema in lake.SCHEMAS.items():
        written = pq.read_schema(lake.partition_path(settings.lake_dir, table, DAY))
        assert written.names == schema.names
        assert [f.type for f in written] == [f.type for f in schema]
    snapshot = lake.snapshot_for_date(settings.lake_dir, DAY)
    assert snapshot["format"] == "api" and snapshot["entry_count"] == len(SAMPLE_ENTRIES)
    assert snapshot["byte_size"] == path.stat().st_size
    entries = lake.read_partition(settings.lake_dir, "entries", DAY).to_pylist()
    assert entries[0]["arxiv_id"] == "2611.00001" and entries[0]["authors"] == ["Author 0"]
    claims = lake.read_partition(settings.lake_dir, "claims", DAY).to_pylist()
    assert claims and all(c["snapshot_id"] == snapshot["snapshot_id"] for c in claims)
    for claim in claims:  # offsets point into the stored abstract
        abstract = entries[claim["position"] - 1]["abstract"]
        assert abstract[claim["char_offset"]:claim["char_offset"] + len(claim["text"])] == claim["text"]
    repos = {r["repo_id"] for r in lake.read_partition(settings.lake_dir, "repo_mentions", DAY).to_pylist()}
    assert "github.com/fold-lab/folded-cache" in repos and "github.com/lab0/repo0" in repos


def test_same_bytes_again_change_nothing(settings, tmp_path):
    path = _write(tmp_path / "feed", "2026-08-10.txt", page_text())
    assert ingest_paths(settings, [path]).outcomes[0].status == "accepted"
    before = _lake_files(settings)
    again = ingest_paths(settings, [path])
    assert again.outcomes[0].status == "unchanged" and again.ok
    assert _lake_files(settings) == before


def test_corrected_file_replaces_the_day(settings, tmp_path):
    feed = tmp_path / "feed"
    first = ingest_paths(settings, [_write(feed, "2026-08-10.txt", page_text(SAMPLE_ENTRIES[:2]))]).outcomes[0]
    # (its own day line: the same bytes as another day's would be stopped as a duplicate)
    other_day = ingest_paths(settings, [_write(feed, "2026-08-11.txt", page_text(day_line="Aug 11"))]).outcomes[0]
    other_before = {t: lake.partition_path(settings.lake_dir, t, other_day.snapshot_date).read_bytes() for t in lake.SCHEMAS}
    second = ingest_paths(settings, [_write(feed, "2026-08-10.txt", page_text(SAMPLE_ENTRIES))]).outcomes[0]
    assert second.status == "replaced" and second.replaced_snapshot_id == first.snapshot_id
    assert lake.read_partition(settings.lake_dir, "entries", DAY).num_rows == len(SAMPLE_ENTRIES)
    snapshot = lake.snapshot_for_date(settings.lake_dir, DAY)
    assert snapshot["snapshot_id"] == second.snapshot_id and snapshot["replaces_snapshot_id"] == first.snapshot_id
    # one file per partition, no temporary leftovers, the other day untouched
    assert sorted(p.name for p in lake.partition_path(settings.lake_dir, "entries", DAY).parent.iterdir()) == ["data.parquet"]
    assert {t: lake.partition_path(settings.lake_dir, t, other_day.snapshot_date).read_bytes() for t in lake.SCHEMAS} == other_before


def test_failed_partition_write_leaves_the_old_partition(settings, tmp_path, monkeypatch):
    feed = tmp_path / "feed"
    ingest_paths(settings, [_write(feed, "2026-08-10.txt", page_text(SAMPLE_ENTRIES[:2]))])
    before = _lake_files(settings)

    def disk_full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(lake.pq, "write_table", disk_full)
    with pytest.raises(OSError):
        ingest_paths(settings, [_write(feed, "2026-08-10.txt", page_text())])
    assert _lake_files(settings) == before


@pytest.mark.parametrize("name,content,reason", [
    ("2026-08-10.txt", b"", "empty file"),
    ("2026-08-10.txt", b"\x00\x01\x02binary", "binary"),
    ("2026-08-10.txt", b"new\n\nSubscribe\n\n\xff\xfe\n", "not UTF-8"),
    ("2026-08-10.txt", page_text().encode() + b"\nOrphan Title\n", "truncated"),
    ("2026-08-10.json", b'{"not": "a list"}', "expected a JSON list"),
    ("notdated.txt", page_text().encode(), "no snapshot date"),
])
def test_bad_input_is_quarantined_and_the_lake_is_untouched(settings, tmp_path, name, content, reason):
    feed = tmp_path / "feed"
    ingest_paths(settings, [_write(feed, "2026-08-09.txt", page_text())])
    before = _lake_files(settings)
    bad = feed / name
    bad.write_bytes(content)
    report = ingest_paths(settings, [bad])
    (outcome,) = report.outcomes
    assert outcome.status == "rejected" and not report.ok
    assert reason in outcome.reason and str(bad) in outcome.reason and "\n" not in outcome.reason
    assert _lake_files(settings) == before
    quarantined = [p for p in settings.quarantine_dir.iterdir() if not p.name.endswith(".why.json")]
    assert len(quarantined) == 1 and quarantined[0].read_bytes() == content
    why = (settings.quarantine_dir / f"{outcome.snapshot_id}.why.json").read_text()
    assert reason in why
    assert bad.exists()  # the feed directory is never modified


def test_good_files_go_in_when_others_are_rejected(settings, tmp_path):
    feed = tmp_path / "feed"
    _write(feed, "2026-08-09.txt", page_text())
    _write(feed, "2026-08-10.txt", "Subscribe\n")
    _write(feed, "2026-08-11.json", api_json())
    (feed / "README.md").write_text("not a snapshot")
    report = ingest_paths(settings, [feed])
    assert [o.status for o in report.outcomes] == ["accepted", "rejected", "accepted"]
    assert not report.ok
    assert lake.partition_dates(settings.lake_dir) == [dt.date(2026, 8, 9), dt.date(2026, 8, 11)]


def test_explicit_date(settings, tmp_path):
    path = _write(tmp_path, "anything.txt", page_text())
    report = ingest_paths(settings, [path], snapshot_date=DAY)
    assert report.ok and lake.partition_dates(settings.lake_dir) == [DAY]


def test_two_files_for_one_day_are_not_guessed(settings, tmp_path):
    feed = tmp_path / "feed"
    _write(feed, "2026-08-10.txt", page_text())
    _write(feed, "2026-08-10.json", api_json())
    report = ingest_paths(settings, [feed])
    assert [o.status for o in report.outcomes] == ["rejected", "accepted"]
    assert "a second snapshot for 2026-08-10" in report.outcomes[0].reason


def test_reprocess_rewrites_extraction_only(settings, tmp_path, monkeypatch):
    ingest_paths(settings, [_write(tmp_path / "feed", "2026-08-10.txt", page_text())])
    entries_before = lake.partition_path(settings.lake_dir, "entries", DAY).read_bytes()
    claims_before = lake.read_partition(settings.lake_dir, "claims", DAY).num_rows
    import paperhouse.extract as extract

    monkeypatch.setattr(extract, "EXTRACTOR_VERSION", "test-next")
    assert reprocess(settings) == [DAY]
    assert lake.partition_path(settings.lake_dir, "entries", DAY).read_bytes() == entries_before
    claims = lake.read_partition(settings.lake_dir, "claims", DAY).to_pylist()
    assert len(claims) == claims_before and {c["extractor_version"] for c in claims} == {"test-next"}
    assert all(c["rule"] in RULES for c in claims)  # every re-extracted claim names its rule
    assert lake.snapshot_for_date(settings.lake_dir, DAY)["extractor_version"] == "test-next"
