import datetime as dt

from paperhouse import lake

DAY = dt.date(2026, 8, 10)


def _snapshot(snapshot_id: str) -> dict:
    return {"snapshot_id": snapshot_id, "source": "s", "format": "page", "layout": "line_per_field", "byte_size": 1,
            "entry_count": 0, "ingested_at": dt.datetime(2026, 8, 10, tzinfo=dt.timezone.utc),
            "parser_version": "p", "extractor_version": "e"}


def test_committed_snapshot_ids_reads_every_committed_day(tmp_path):
    for offset, snapshot_id in enumerate(["a" * 64, "b" * 64]):
        lake.write_partition(tmp_path, "snapshots", DAY + dt.timedelta(days=offset), lake.to_table("snapshots", [_snapshot(snapshot_id)]))
    # a write in progress is invisible
    (lake.partition_path(tmp_path, "snapshots", DAY).parent / ".data.parquet.123.tmp").write_bytes(b"partial")
    assert lake.committed_snapshot_ids(tmp_path) == {DAY: "a" * 64, DAY + dt.timedelta(days=1): "b" * 64}
    lake.remove_day(tmp_path, DAY)
    assert lake.committed_snapshot_ids(tmp_path) == {DAY + dt.timedelta(days=1): "b" * 64}


def test_committed_snapshot_ids_of_an_empty_lake(tmp_path):
    assert lake.committed_snapshot_ids(tmp_path) == {}
