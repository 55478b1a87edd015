"""The raw gate: title-like abstracts, count bounds, and whole runs on lake days."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from paperhouse.errors import GateFailed, PaperhouseError
from paperhouse.quality import raw
from paperhouse.quality.raw import count_bounds, is_title_like

from .builders import START, entry, write_lake_day, write_usual_days


@pytest.mark.parametrize("text", [
    "Sparse Routing for Mixture-of-Experts at Scale",
    "LLaMA-Adapter: Efficient Fine-tuning of Language Models with Zero-init Attention",
    "A Survey of Table Question Answering in Ten Languages",
    "Tiny Models, Big Gains",
])
def test_titles_are_title_like(text):
    assert is_title_like(text)


@pytest.mark.parametrize("text", [
    "We route tokens to few experts. It improves accuracy by up to 12.5% over dense layers.",
    "Small models learn fast and the benchmark runs three times faster than before",  # sentence case
    "Sparse Routing for Mixture-of-Experts at Scale.",  # ends a sentence
    "Scaling " * 40,  # far too long for a title
    "",
    None,
    "2024 1 2 3",
])
def test_prose_and_oddities_are_not_title_like(text):
    assert not is_title_like(text)


def test_real_pages_titles_read_as_titles_and_abstracts_do_not(seeds_dir):
    from paperhouse.feeds import parse_file

    for path in sorted(seeds_dir.glob("*.txt")):
        entries = parse_file(path).entries
        titles = sum(is_title_like(e["title"]) for e in entries)
        abstracts = sum(is_title_like(e["abstract"]) for e in entries)
        assert titles >= 0.8 * len(entries), path.name
        assert abstracts <= 0.01 * len(entries), path.name


def test_count_bounds_exempt_during_warmup(settings):
    day = write_usual_days(settings.lake_dir, settings.gate_warmup_days - 1, 100)
    bounds = count_bounds(settings, day)
    assert bounds["min"] is None and bounds["max"] is None
    assert len(bounds["history"]) == settings.gate_warmup_days - 1


def test_count_bounds_use_median_of_recent_days(settings):
    counts = [10, 200, 100, 120, 80, 90, 110, 100, 300]  # the first falls out of the 7-day window
    for offset, count in enumerate(counts):
        day = START + dt.timedelta(days=offset)
        write_lake_day(settings.lake_dir, day, [entry(p, day) for p in range(1, count + 1)])
    bounds = count_bounds(settings, START + dt.timedelta(days=len(counts)))
    recent = sorted(counts[-settings.gate_history_days:])
    assert bounds["median"] == recent[len(recent) // 2] == 100
    assert (bounds["min"], bounds["max"]) == (50, 300)
    # Days after the audited one do not count.
    assert count_bounds(settings, START + dt.timedelta(days=3))["history"] == {
        (START + dt.timedelta(days=k)).isoformat(): counts[k] for k in range(3)}


def test_missing_day_is_a_readable_error(settings):
    with pytest.raises(PaperhouseError, match=r"snapshots/snapshot_date=2026-08-01.*ingest the day first"):
        raw.build(settings, START)


def test_title_like_flag_is_computed_per_entry(settings):
    entries = [entry(p, START) for p in range(1, 5)]
    entries[2]["abstract"] = "Graph Kernels Revisited for Molecules"
    write_lake_day(settings.lake_dir, START, entries)
    _, frame = raw.load_entries(settings, START)
    assert frame["abstract_title_like"].tolist() == [False, False, True, False]


# ---- whole gate runs (Great Expectations) ---------------------------------------------------------

@pytest.mark.slow
def test_good_day_passes_and_records_its_run(settings):
    from paperhouse.quality.gates import run_raw_gate

    day = write_usual_days(settings.lake_dir, 4, 50)
    write_lake_day(settings.lake_dir, day, [entry(p, day) for p in range(1, 51)])
    result = run_raw_gate(settings, day)
    assert result.ok, [c.detail for c in result.failed]
    assert {c.name for c in result.checks} >= {"entry_count_out_of_range", "abstracts_look_like_titles"}
    assert result.report_path.name == f"{result.run_id}.json"
    assert result.run_id.endswith(f"_raw_{day}")
    pages = list((settings.quality_dir / "data_docs" / "validations").rglob("*.html"))
    assert pages and (settings.quality_dir / "data_docs" / "index.html").exists()


@pytest.mark.slow
def test_misaligned_page_is_stopped_by_title_like_abstracts(settings):
    from paperhouse.quality.gates import raise_for_failure, run_raw_gate

    day = START
    entries = [entry(p, day) for p in range(1, 41)]
    # One line lost: every abstract slot now holds the next entry's title.
    for current, following in zip(entries, entries[1:] + entries[:1]):
        current["abstract"] = following["title"]
    write_lake_day(settings.lake_dir, day, entries)
    result = run_raw_gate(settings, day)
    assert not result.ok
    assert [c.name for c in result.failed] == ["abstracts_look_like_titles"]
    with pytest.raises(GateFailed) as failed:
        raise_for_failure(result)
    message = str(failed.value)
    assert "\n" not in message
    assert message == (f"raw gate failed for {day}: abstracts_look_like_titles: 40 of 40 rows "
                       f"(e.g. {entries[0]['abstract']!r})")
    assert failed.value.report_path == result.report_path


@pytest.mark.slow
def test_entry_count_far_from_the_median_warns_by_default(settings):
    import json

    from paperhouse.quality.gates import failure_line, run_raw_gate, warning_line

    day = write_usual_days(settings.lake_dir, settings.gate_warmup_days, 60)
    write_lake_day(settings.lake_dir, day, [entry(p, day) for p in range(1, 29)])
    result = run_raw_gate(settings, day)
    assert result.ok and not result.failed
    assert [(c.name, c.severity) for c in result.warnings] == [("entry_count_out_of_range", "warn")]
    assert failure_line(result) == f"raw gate passed for {day}"
    assert warning_line(result) == (f"raw gate warning for {day}: entry_count_out_of_range: 28 rows, "
                                    "expected 30..180 entries (median 60 of the last 3 days)")
    record = json.loads(result.report_path.read_text())
    assert record["ok"] and record["warnings"] == ["entry_count_out_of_range"]
    # A busy day far above the median warns too.
    write_lake_day(settings.lake_dir, day, [entry(p, day) for p in range(1, 182)])
    assert [c.unexpected_count for c in run_raw_gate(settings, day).warnings] == [181]
    # The bounds are inclusive: exactly half of the median is no warning.
    write_lake_day(settings.lake_dir, day, [entry(p, day) for p in range(1, 31)])
    assert not run_raw_gate(settings, day).warnings


@pytest.mark.slow
def test_entry_count_far_from_the_median_stops_when_volume_is_set_to_stop(settings):
    from paperhouse.quality.gates import failure_line, run_raw_gate

    settings = dataclasses.replace(settings, gate_volume="stop")
    day = write_usual_days(settings.lake_dir, settings.gate_warmup_days, 60)
    write_lake_day(settings.lake_dir, day, [entry(p, day) for p in range(1, 29)])
    result = run_raw_gate(settings, day)
    assert not result.ok and not result.warnings
    assert [c.name for c in result.failed] == ["entry_count_out_of_range"]
    assert failure_line(result) == (f"raw gate failed for {day}: entry_count_out_of_range: 28 rows, "
                                    "expected 30..180 entries (median 60 of the last 3 days)")


@pytest.mark.slow
def test_many_days_in_one_run_keep_their_own_verdicts(settings):
    """One Great Expectations run over five days gives each day the result it gets alone."""
    import json

    from paperhouse.quality.gates import run_raw_gate, run_raw_gates

    first = write_usual_days(settings.lake_dir, settings.gate_warmup_days, 60)
    days = [first + dt.timedelta(days=k) for k in range(5)]
    good, misaligned, duplicated, thin, good_again = days
    write_lake_day(settings.lake_dir, good, [entry(p, good) for p in range(1, 61)])
    shifted = [entry(p, misaligned) for p in range(1, 61)]
    for current, following in zip(shifted, shifted[1:] + shifted[:1]):
        current["abstract"] = following["title"]
    write_lake_day(settings.lake_dir, misaligned, shifted)
    # Position 1 is on every day: only a repeat within one day is a duplicate.
    twice = [entry(p, duplicated) for p in range(1, 61)]
    twice[5]["position"] = 3
    write_lake_day(settings.lake_dir, duplicated, twice)
    write_lake_day(settings.lake_dir, thin, [entry(p, thin) for p in range(1, 8)])
    few_title_like = [entry(p, good_again) for p in range(1, 61)]
    few_title_like[0]["abstract"] = "Graph Kernels Revisited for Molecules and Proteins Across Many Benchmarks"  # 1 of 60: allowed
    write_lake_day(settings.lake_dir, good_again, few_title_like)

    batch = run_raw_gates(settings, days)
    verdicts = {r.subject: ([c.name for c in r.failed], [c.name for c in r.warnings]) for r in batch}
    assert verdicts == {
        good.isoformat(): ([], []),
        misaligned.isoformat(): (["abstracts_look_like_titles"], []),
        duplicated.isoformat(): (["duplicate_positions"], []),
        thin.isoformat(): ([], ["entry_count_out_of_range"]),
        good_again.isoformat(): ([], []),
    }
    assert len({r.gx_run_name for r in batch}) == 1 and len({r.report_path for r in batch}) == 5
    (check,) = [c for c in batch[2].failed]
    assert check.unexpected_count == 2 and check.element_count == 60 and check.example == 3
    (title_like,) = [c for c in batch[4].checks if c.name == "abstracts_look_like_titles"]
    assert title_like.ok and title_like.unexpected_count == 1
    for result in batch:  # the same outcomes as one run per day
        alone = run_raw_gate(settings, dt.date.fromisoformat(result.subject))
        assert [dataclasses.astuple(c) for c in alone.checks] == [dataclasses.astuple(c) for c in result.checks]
        assert json.loads(result.report_path.read_text())["subject"] == result.subject


@pytest.mark.slow
def test_small_day_during_warmup_passes(settings):
    from paperhouse.quality.gates import run_raw_gate

    day = write_usual_days(settings.lake_dir, settings.gate_warmup_days - 1, 60)
    write_lake_day(settings.lake_dir, day, [entry(p, day) for p in range(1, 6)])
    assert run_raw_gate(settings, day).ok


@pytest.mark.slow
def test_each_row_defect_is_named(settings):
    from paperhouse.quality.gates import run_raw_gate

    entries = [entry(p, START) for p in range(1, 31)]
    entries[1]["position"] = 1                      # duplicate position
    entries[2]["abstract"] = entries[2]["title"]    # title equals abstract (and is short)
    entries[3]["title"] = "Hi"                      # too short
    entries[4]["abstract"] = "Too short."           # too short
    entries[5]["upvotes"] = -3
    entries[6]["num_comments"] = -1
    entries[7]["github_stars"] = -10
    entries[8]["arxiv_id"] = "arXiv:2608.1"
    entries[9]["arxiv_id"] = None                   # page entries have none: fine
    write_lake_day(settings.lake_dir, START, entries)
    result = run_raw_gate(settings, START)
    failed = {c.name: c for c in result.failed}
    assert set(failed) == {"duplicate_positions", "title_equals_abstract", "title_length_implausible",
                           "abstract_length_implausible", "negative_upvotes", "negative_num_comments",
                           "negative_github_stars", "malformed_arxiv_id"}
    assert failed["duplicate_positions"].unexpected_count == 2
    assert failed["title_equals_abstract"].example == entries[2]["title"]
    assert failed["title_length_implausible"].example == "Hi"
    assert failed["abstract_length_implausible"].example == "Too short."
    assert failed["negative_upvotes"].example == -3
    assert failed["malformed_arxiv_id"].detail == "1 of 30 rows (e.g. 'arXiv:2608.1')"


@pytest.mark.slow
def test_waived_checks_run_but_do_not_stop_the_gate(settings):
    from paperhouse.quality.gates import failure_line, run_raw_gate

    entries = [entry(p, START) for p in range(1, 21)]
    entries[0]["upvotes"] = -1
    write_lake_day(settings.lake_dir, START, entries)
    result = run_raw_gate(settings, START, waived={"negative_upvotes"})
    assert result.ok and not result.failed
    (check,) = [c for c in result.checks if c.name == "negative_upvotes"]
    assert not check.ok and check.waived and check.unexpected_count == 1
    assert failure_line(result) == f"raw gate passed for {START}"

    # A waiver recorded on the lake's snapshot row (a released snapshot) counts too.
    write_lake_day(settings.lake_dir, START, entries, waived_checks=["negative_upvotes"])
    assert run_raw_gate(settings, START).ok
