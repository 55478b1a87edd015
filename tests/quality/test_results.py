"""Run records, the `paperhouse quality` table, one-line failure reasons, lazy imports."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

from paperhouse.errors import GateFailed
from paperhouse.quality import results
from paperhouse.quality.gates import CheckOutcome, GateResult, failure_line, raise_for_failure
from paperhouse.quality.suite import CheckSpec, StageInput


def run_record(run_id: str, ok: bool, failed: list[str] = (), waived: list[str] = ()) -> dict:
    checks = [{"name": name, "ok": False, "waived": name in waived, "detail": f"{name} detail"}
              for name in [*failed, *waived]]
    checks.append({"name": "duplicate_positions", "ok": True, "waived": False, "detail": "0 of 9 rows"})
    stage, subject = run_id.split("_", 2)[1:]
    return {"run_id": run_id, "stage": stage, "subject": subject, "ok": ok, "started_at": "2026-08-10T06:00:00+00:00",
            "duration_s": 0.25, "checks": checks, "validation_results": [{"large": "payload"}]}


def test_latest_results_keeps_the_newest_run_per_stage_and_date(settings):
    for run_id, ok in [("20260810T060000.000Z_raw_2026-08-10", False),
                       ("20260810T070000.000Z_raw_2026-08-10", True),
                       ("20260810T065000.000Z_marts_2026-08-10", True),
                       ("20260809T060000.000Z_raw_2026-08-09", True)]:
        results.save_run(settings, run_record(run_id, ok, failed=[] if ok else ["abstracts_look_like_titles"]))
    latest = results.latest_results(settings)
    assert [r["run_id"] for r in latest] == ["20260810T070000.000Z_raw_2026-08-10",
                                             "20260810T065000.000Z_marts_2026-08-10",
                                             "20260809T060000.000Z_raw_2026-08-09"]
    assert all("validation_results" not in r for r in latest)
    assert Path(latest[0]["report_path"]).name == "20260810T070000.000Z_raw_2026-08-10.json"
    assert len(results.latest_results(settings, limit=1)) == 1


def test_quality_table_shows_failures_and_waivers(settings):
    results.save_run(settings, run_record("20260810T060000.000Z_raw_2026-08-10", False,
                                          failed=["abstracts_look_like_titles"], waived=["negative_upvotes"]))
    results.save_run(settings, run_record("20260810T070000.000Z_marts_2026-08-10", True))
    table = results.format_quality_table(settings)
    assert table.row_count == 2
    console = Console(record=True, width=250)
    console.print(table)
    text = console.export_text()
    assert "abstracts_look_like_titles: abstracts_look_like_titles detail" in text
    assert "negative_upvotes" in text and "FAILED" in text and "passed" in text


def test_quality_table_is_empty_without_runs(settings):
    assert results.format_quality_table(settings).row_count == 0


def result_with(checks: list[CheckOutcome]) -> GateResult:
    return GateResult(stage="raw", subject="2026-08-10", ok=all(c.ok or c.waived for c in checks), checks=checks,
                      report_path=Path("/data/quality/runs/x.json"), run_id="x")


def test_failure_line_names_the_first_unwaived_failure_and_the_others():
    result = result_with([
        CheckOutcome("negative_upvotes", False, 1, -1, 120, waived=True, detail="1 of 120 rows (e.g. -1)"),
        CheckOutcome("abstracts_look_like_titles", False, 37, "Scaling", 120, detail="37 of 120 rows (e.g. 'Scaling')"),
        CheckOutcome("duplicate_positions", False, 2, 4, 120, detail="2 of 120 rows (e.g. 4)"),
        CheckOutcome("title_missing", True, 0, None, 120, detail="0 of 120 rows"),
    ])
    assert failure_line(result) == ("raw gate failed for 2026-08-10: abstracts_look_like_titles: 37 of 120 rows "
                                    "(e.g. 'Scaling') (also: duplicate_positions)")
    with pytest.raises(GateFailed, match="abstracts_look_like_titles") as failed:
        raise_for_failure(result)
    assert failed.value.report_path == result.report_path


def test_passing_result_does_not_raise():
    result = result_with([CheckOutcome("negative_upvotes", False, 1, -1, 9, waived=True)])
    raise_for_failure(result)
    assert failure_line(result) == "raw gate passed for 2026-08-10"


def test_a_failing_warn_check_passes_with_a_warning_line():
    from paperhouse.quality.gates import gate_summary, warning_line

    volume = CheckOutcome("entry_count_out_of_range", False, 12, None, severity="warn",
                          detail="12 rows, expected 30..180 entries (median 60 of the last 7 days)")
    result = result_with([volume, CheckOutcome("title_missing", True, 0, None, 12, detail="0 of 12 rows")])
    result.ok = True  # as the runner judges it: a warning does not stop the day
    raise_for_failure(result)
    assert result.failed == [] and result.warnings == [volume]
    assert warning_line(result) == ("raw gate warning for 2026-08-10: entry_count_out_of_range: "
                                    "12 rows, expected 30..180 entries (median 60 of the last 7 days)")
    assert gate_summary([result]) == {"passed": ["2026-08-10"], "warnings": [warning_line(result)],
                                      "status": "passed with warnings", "docs_path": None}
    # Waived, it is no warning; with no warning there is no line.
    waived = result_with([CheckOutcome("entry_count_out_of_range", False, 12, None, severity="warn", waived=True)])
    assert waived.warnings == [] and warning_line(waived) is None


def test_check_severity_must_be_stop_or_warn():
    with pytest.raises(ValueError, match="severity 'fatal'"):
        CheckSpec("x", "entries", "ExpectColumnValuesToBeUnique", {"column": "position"}, severity="fatal")


def test_quality_table_and_json_show_warnings(settings, monkeypatch):
    import json

    from click.testing import CliRunner

    from paperhouse.cli import main

    record = run_record("20260810T060000.000Z_raw_2026-08-10", True)
    record["checks"].append({"name": "entry_count_out_of_range", "ok": False, "waived": False, "severity": "warn",
                             "detail": "12 rows, expected 30..180 entries"})
    results.save_run(settings, record)
    results.save_run(settings, run_record("20260810T060000.000Z_raw_2026-08-09", False, failed=["duplicate_positions"]))
    console = Console(record=True, width=300)
    console.print(results.format_quality_table(settings))
    text = console.export_text()
    assert "passed, warning" in text and "entry_count_out_of_range: 12 rows, expected 30..180 entries" in text

    monkeypatch.setenv("PAPERHOUSE_HOME", str(settings.home))
    out = CliRunner().invoke(main, ["quality", "--json"])
    assert out.exit_code == 0, out.output
    runs = {run["subject"]: run for run in json.loads(out.output)}
    assert runs["2026-08-10"]["ok"] and runs["2026-08-10"]["warnings"] == ["entry_count_out_of_range"]
    assert runs["2026-08-10"]["failed"] == []
    assert not runs["2026-08-09"]["ok"] and runs["2026-08-09"]["failed"] == ["duplicate_positions"]
    assert "validation_results" not in runs["2026-08-10"]


def test_stage_input_rejects_duplicate_names_and_unknown_frames():
    check = CheckSpec("duplicate_positions", "entries", "ExpectColumnValuesToBeUnique", {"column": "position"})
    frames = {"entries": pd.DataFrame({"position": [1]})}
    with pytest.raises(ValueError, match="duplicate names"):
        StageInput("raw", "2026-08-10", frames, [check, check])
    with pytest.raises(ValueError, match="no frames"):
        StageInput("raw", "2026-08-10", {}, [check])


def test_importing_the_quality_package_does_not_import_great_expectations():
    code = ("import sys, paperhouse.quality.gates, paperhouse.quality.results, paperhouse.quality.quarantine; "
            "sys.exit('great_expectations' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], timeout=120).returncode == 0


@pytest.mark.slow
def test_a_run_is_kept_as_json_and_rendered_as_data_docs(settings):
    from paperhouse.quality.gates import run_stage

    frames = {"entries": pd.DataFrame({"position": [1, 2, 2]})}
    check = CheckSpec("duplicate_positions", "entries", "ExpectColumnValuesToBeUnique", {"column": "position"},
                      example_column="position")
    first = run_stage(settings, StageInput("raw", "2026-08-10", frames, [check]), set())
    second = run_stage(settings, StageInput("raw", "2026-08-10", frames, [check]), {"duplicate_positions"})
    assert not first.ok and second.ok
    assert first.report_path.parent == settings.quality_dir / "runs"
    assert first.checks[0].detail == "2 of 3 rows (e.g. 2)"
    docs = settings.quality_dir / "data_docs"
    assert second.docs_path == docs / "index.html"
    for run in (first, second):
        (page,) = (docs / "validations" / "raw_entries" / run.run_id).rglob("*.html")
        assert "position" in page.read_text()
    # Only our site is built: GE's default site under gx/uncommitted is removed.
    assert not list((settings.quality_dir / "gx").rglob("*.html"))
    (latest,) = results.latest_results(settings)
    assert latest["run_id"] == second.run_id and latest["waived"] == ["duplicate_positions"]


@pytest.mark.slow
def test_a_check_that_cannot_run_fails_the_gate(settings):
    from paperhouse.quality.gates import failure_line, run_stage

    frames = {"entries": pd.DataFrame({"position": [1, 2]})}
    check = CheckSpec("title_missing", "entries", "ExpectColumnValuesToNotBeNull", {"column": "title"})
    result = run_stage(settings, StageInput("raw", "2026-08-10", frames, [check]), set())
    assert not result.ok
    assert failure_line(result).startswith("raw gate failed for 2026-08-10: title_missing: could not run: ")
    assert "\n" not in failure_line(result)


@pytest.mark.slow
def test_suites_are_written_only_when_their_checks_change(settings):
    from paperhouse.quality.gates import run_stage

    frames = {"entries": pd.DataFrame({"position": [1, 2, 2]})}
    unique = CheckSpec("duplicate_positions", "entries", "ExpectColumnValuesToBeUnique", {"column": "position"},
                       example_column="position")
    run_stage(settings, StageInput("raw", "2026-08-10", frames, [unique]), set())
    gx_dir = settings.quality_dir / "gx"
    stored = [gx_dir / "expectations" / "raw_entries.json", gx_dir / "validation_definitions" / "raw_entries.json"]
    first = [path.read_bytes() for path in stored]
    for path in stored:
        path.touch()  # an old stamp would not tell a rewrite from the same bytes
    stamps = [path.stat().st_mtime_ns for path in stored]
    again = run_stage(settings, StageInput("raw", "2026-08-10", frames, [unique]), set())
    assert [path.stat().st_mtime_ns for path in stored] == stamps
    assert again.checks[0].detail == "2 of 3 rows (e.g. 2)"

    between = CheckSpec("positions_in_range", "entries", "ExpectColumnValuesToBeBetween",
                        {"column": "position", "min_value": 2}, example_column="position")
    changed = run_stage(settings, StageInput("raw", "2026-08-10", frames, [unique, between]), set())
    assert [c.name for c in changed.failed] == ["duplicate_positions", "positions_in_range"]
    assert stored[0].read_bytes() != first[0] and "expect_column_values_to_be_between" in stored[0].read_text()


@pytest.mark.slow
def test_the_context_reads_no_config_variables_file(settings):
    context = results.gx_context(settings)
    assert context.variables.config_variables_file_path is None
    config = (settings.quality_dir / "gx" / "great_expectations.yml").read_text()
    assert "config_variables_file_path: uncommitted" not in config


@pytest.mark.slow
def test_a_stored_result_without_its_page_is_rendered_by_the_next_docs_build(settings):
    from paperhouse.quality.gates import run_stage

    frames = {"entries": pd.DataFrame({"position": [1, 2]})}
    check = CheckSpec("duplicate_positions", "entries", "ExpectColumnValuesToBeUnique", {"column": "position"})
    killed = run_stage(settings, StageInput("raw", "2026-08-10", frames, [check]), set(), build_docs=False)
    assert not list((settings.quality_dir / "data_docs").rglob(f"{killed.run_id}/**/*.html"))
    later = run_stage(settings, StageInput("raw", "2026-08-11", frames, [check]), set())
    docs = settings.quality_dir / "data_docs" / "validations" / "raw_entries"
    assert list((docs / killed.run_id).rglob("*.html")) and list((docs / later.run_id).rglob("*.html"))
