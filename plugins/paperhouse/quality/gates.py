"""The gate runner: validate a stage's frames with Great Expectations, record, judge.

Each frame of a stage is one Great Expectations batch (a pandas DataFrame, whole) validated
against its own suite; all batches of a run share one run id, so Data Docs group them. A failing
check of severity "stop" makes the gate fail unless it is waived; a failing "warn" check lets the
data through and is reported as a warning; waived checks still run and are reported.

The raw gate validates many days as ONE run (`run_raw_gates`): the days' frames are concatenated
with a subject column, every check is per row, and each row's result is given back to its day, so
each day keeps its own verdict and record. Creating a context, writing suites and building the
validation graph cost seconds per run, whatever the rows: one run per backfill, not one per day.
"""
from __future__ import annotations

import datetime as dt
import itertools
import json
import time
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from paperhouse.errors import GateFailed
from paperhouse.quality import marts, raw, results
from paperhouse.quality.suite import STOP, SUBJECT_COLUMN, TABLE, VIOLATIONS, WARN, CheckSpec, StageInput
from paperhouse.settings import Settings

DATASOURCE = "paperhouse"
EXAMPLE_CHARS = 60
# Per-row results keep a few failing values and their row indexes, never the whole list.
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": 5}
# A batch of many days needs every failing row's index to give it back to its day.
BATCH_RESULT_FORMAT = {"result_format": "COMPLETE"}


@dataclass(frozen=True)
class CheckOutcome:
    name: str
    ok: bool
    unexpected_count: int | None   # failing rows, or the observed row count (row-count checks)
    example: Any                   # a failing value, or None
    element_count: int | None = None  # rows checked (per-row checks)
    waived: bool = False
    detail: str = ""               # the count and example in words: "37 of 120 rows (e.g. '...')"
    expectation: str = ""
    severity: str = STOP           # what a failure does: "stop" the data, or "warn" and let it pass


@dataclass
class GateResult:
    stage: str
    subject: str                   # the snapshot date (raw) or latest date in the warehouse (marts)
    ok: bool
    checks: list[CheckOutcome]
    report_path: Path              # the run's JSON record
    run_id: str
    docs_path: Path | None = None  # Data Docs index
    snapshot_id: str | None = None
    duration_s: float = 0.0
    params: dict[str, Any] = field(default_factory=dict)
    gx_run_name: str | None = None  # the Great Expectations run (one per batch of days) in Data Docs

    @property
    def failed(self) -> list[CheckOutcome]:
        """Failing "stop" checks that are not waived: what stops the gate."""
        return [check for check in self.checks if not check.ok and not check.waived and check.severity == STOP]

    @property
    def warnings(self) -> list[CheckOutcome]:
        """Failing "warn" checks that are not waived: the data passes, a person is told."""
        return [check for check in self.checks if not check.ok and not check.waived and check.severity == WARN]


def _passes(checks: list[CheckOutcome]) -> bool:
    return all(check.ok or check.waived or check.severity == WARN for check in checks)


def run_raw_gate(settings: Settings, snapshot_date: dt.date, waived: set[str] = frozenset(),
                 build_docs: bool = True) -> GateResult:
    """Audit the day's lake partition. Checks waived on the snapshot (a release) count as waived too."""
    (result,) = run_raw_gates(settings, [snapshot_date], {snapshot_date: set(waived)}, build_docs)
    return result


def run_raw_gates(settings: Settings, snapshot_dates: list[dt.date],
                  waived: dict[dt.date, set[str]] | None = None, build_docs: bool = True,
                  entry_counts: dict[dt.date, int] | None = None) -> list[GateResult]:
    """Audit several days' lake partitions in one Great Expectations run; one result per day, in
    the order given. Checks waived on a day's snapshot (a release) count as waived too.
    `entry_counts`: `raw.lake_entry_counts`, when the caller has scanned the lake already."""
    if entry_counts is None:
        entry_counts = raw.lake_entry_counts(settings)  # one lake scan for every day's count bounds
    loaded = raw.load_days(settings, snapshot_dates) if len(snapshot_dates) > 1 else {}  # one read of the lake
    inputs = [raw.build(settings, day, entry_counts, loaded.get(day)) for day in snapshot_dates]
    waivers = [set((waived or {}).get(day, ())) | stage_input.waived
               for day, stage_input in zip(snapshot_dates, inputs)]
    return run_batch(settings, inputs, waivers, build_docs)


def run_marts_gate(settings: Settings, warehouse_path: Path | None = None,
                   waived: set[str] | None = None, docs_for: list[str] = ()) -> GateResult:
    """Audit a warehouse file (default: staging). Without `waived`, the checks waived on any
    snapshot in the lake are waived: a released day's marts issue persists while the day is in.
    `docs_for`: earlier Great Expectations runs whose Data Docs are built with this one's."""
    stage_input = marts.build(settings, warehouse_path or settings.staging_warehouse_path)
    return run_stage(settings, stage_input, lake_waivers(settings) if waived is None else set(waived),
                     docs_for=docs_for)


def lake_waivers(settings: Settings) -> set[str]:
    """Every check waived on a snapshot now in the lake (one column of the snapshots table)."""
    import pyarrow.dataset as ds

    root = settings.lake_dir / "snapshots"
    if not root.is_dir():
        return set()
    # Hidden files (a partition being written) are skipped by the dataset reader.
    lists = ds.dataset(root, format="parquet", partitioning="hive").to_table(columns=["waived_checks"])
    return {check for checks in lists.column("waived_checks").to_pylist() for check in checks or ()}


def failure_line(result: GateResult) -> str:
    """One line: the stage, the first failing check with its row count and an example."""
    if result.ok:
        return f"{result.stage} gate passed for {result.subject}"
    first, *others = result.failed
    line = f"{result.stage} gate failed for {result.subject}: {first.name}: {first.detail}"
    if others:
        line += f" (also: {', '.join(check.name for check in others)})"
    return line


def warning_line(result: GateResult) -> str | None:
    """One line naming each warning with its figures, or None when there is none."""
    if not result.warnings:
        return None
    details = "; ".join(f"{check.name}: {check.detail}" for check in result.warnings)
    return f"{result.stage} gate warning for {result.subject}: {details}"


def gate_summary(results: list[GateResult]) -> dict:
    """What a passed gate step reports (the daily DAG's XCom): the days that passed, and the days
    that passed with warnings, each as one line, so a day with warnings is visible without failing."""
    warnings = [line for result in results if (line := warning_line(result))]
    return {"passed": [result.subject for result in results if result.ok],
            "warnings": warnings, "status": "passed with warnings" if warnings else "passed",
            "docs_path": str(results[0].docs_path) if results and results[0].docs_path else None}


def raise_for_failure(result: GateResult) -> None:
    if not result.ok:
        raise GateFailed(failure_line(result), result.report_path)


def run_stage(settings: Settings, stage_input: StageInput, waived: set[str], build_docs: bool = True,
              docs_for: list[str] = ()) -> GateResult:
    started = dt.datetime.now(dt.timezone.utc)
    clock = time.monotonic()
    run_id = f"{started.strftime('%Y%m%dT%H%M%S.%f')[:-3]}Z_{stage_input.stage}_{stage_input.subject}"
    context = results.gx_context(settings)
    from great_expectations.core.run_identifier import RunIdentifier

    gx_run_id = RunIdentifier(run_name=run_id, run_time=started)
    outcomes: dict[str, CheckOutcome] = {}
    validation_results = []
    for frame_name, frame in stage_input.frames.items():
        checks = [check for check in stage_input.checks if check.frame == frame_name]
        if not checks:
            continue
        result = _validate(context, f"{stage_input.stage}_{frame_name}", frame, checks, gx_run_id)
        validation_results.append(result.to_json_dict())
        by_name = {check.name: check for check in checks}
        for expectation_result in result.results:
            check = by_name[expectation_result.expectation_config.meta["check"]]
            fetch = partial(stage_input.fetch_example, frame_name) if stage_input.fetch_example else None
            outcomes[check.name] = _outcome(check, expectation_result, frame, check.name in waived, fetch)
    docs_path = (results.build_data_docs(settings, [run_id, *docs_for], context) if build_docs
                 else results.data_docs_dir(settings) / "index.html")
    checks = [outcomes[check.name] for check in stage_input.checks]  # in suite order
    ok = _passes(checks)
    record = {
        "run_id": run_id, "stage": stage_input.stage, "subject": stage_input.subject, "ok": ok,
        "snapshot_id": stage_input.snapshot_id, "started_at": started.isoformat(),
        "duration_s": round(time.monotonic() - clock, 3), "waived": sorted(waived),
        "params": stage_input.params, "docs_path": str(docs_path),
        "checks": [asdict(check) for check in checks], "warnings": [c.name for c in checks if _warns(c)],
        "gx_run_name": run_id, "validation_results": validation_results,
    }
    report_path = results.save_run(settings, record)
    return GateResult(stage=stage_input.stage, subject=stage_input.subject, ok=ok, checks=checks,
                      report_path=report_path, run_id=run_id, docs_path=docs_path,
                      snapshot_id=stage_input.snapshot_id, duration_s=record["duration_s"],
                      params=stage_input.params, gx_run_name=run_id)


def _warns(check: CheckOutcome) -> bool:
    return not check.ok and not check.waived and check.severity == WARN


def run_batch(settings: Settings, inputs: list[StageInput], waived: list[set[str]],
              build_docs: bool = True) -> list[GateResult]:
    """Validate the stage inputs of several subjects (days) of one stage as one run: each frame is
    concatenated over the subjects into one batch. Every check must be per row (a table-level
    check has no rows to give back); each subject is judged on its own rows, as if run alone."""
    if not inputs:
        return []
    first = inputs[0]
    suite_shape = [(c.name, c.frame, c.expectation, c.kwargs, c.where, c.counted) for c in first.checks]
    for stage_input in inputs[1:]:
        if [(c.name, c.frame, c.expectation, c.kwargs, c.where, c.counted) for c in stage_input.checks] != suite_shape:
            raise ValueError(f"{first.stage} gate: {stage_input.subject} has other checks than {first.subject}; "
                             "a batch runs one suite")
    started = dt.datetime.now(dt.timezone.utc)
    clock = time.monotonic()
    stamp = started.strftime("%Y%m%dT%H%M%S.%f")[:-3] + "Z"
    subjects = [stage_input.subject for stage_input in inputs]
    gx_run_name = f"{stamp}_{first.stage}_{subjects[0]}" + (f"_to_{subjects[-1]}" if len(inputs) > 1 else "")
    context = results.gx_context(settings)
    from great_expectations.core.run_identifier import RunIdentifier

    gx_run_id = RunIdentifier(run_name=gx_run_name, run_time=started)
    outcomes: list[dict[str, CheckOutcome]] = [{} for _ in inputs]
    for frame_name in first.frames:
        checks = [check for check in first.checks if check.frame == frame_name]
        if not checks:
            continue
        parts = [stage_input.frames[frame_name] for stage_input in inputs]
        batch = pd.concat([part.assign(**{SUBJECT_COLUMN: stage_input.subject})
                           for part, stage_input in zip(parts, inputs)], ignore_index=True)
        result = _validate(context, f"{first.stage}_{frame_name}", batch, checks, gx_run_id, BATCH_RESULT_FORMAT)
        # The subjects' rows are consecutive: each subject is a span of row positions (= index labels).
        stops = list(itertools.accumulate(len(part) for part in parts))
        spans = [(stop - len(part), stop) for part, stop in zip(parts, stops)]
        subject_of_row = batch[SUBJECT_COLUMN].to_numpy()
        for expectation_result in result.results:
            name = expectation_result.expectation_config.meta["check"]
            failing: dict[str, list[int]] = {}
            for row in (expectation_result.result or {}).get("unexpected_index_list") or ():
                failing.setdefault(subject_of_row[row], []).append(row)
            for index, stage_input in enumerate(inputs):
                check = next(c for c in stage_input.checks if c.name == name)
                outcomes[index][name] = _subject_outcome(check, expectation_result, batch, spans[index],
                                                         failing.get(stage_input.subject, []), name in waived[index])
    docs_path = (results.build_data_docs(settings, [gx_run_name], context) if build_docs
                 else results.data_docs_dir(settings) / "index.html")
    duration_s = round(time.monotonic() - clock, 3)
    gate_results = []
    for index, stage_input in enumerate(inputs):
        checks = [outcomes[index][check.name] for check in stage_input.checks]  # in suite order
        run_id = f"{stamp}_{stage_input.stage}_{stage_input.subject}"
        ok = _passes(checks)
        record = {
            "run_id": run_id, "stage": stage_input.stage, "subject": stage_input.subject, "ok": ok,
            "snapshot_id": stage_input.snapshot_id, "started_at": started.isoformat(),
            "duration_s": duration_s, "batch_subjects": len(inputs), "waived": sorted(waived[index]),
            "params": stage_input.params, "docs_path": str(docs_path),
            "checks": [asdict(check) for check in checks], "warnings": [c.name for c in checks if _warns(c)],
            "gx_run_name": gx_run_name,
        }
        report_path = results.save_run(settings, record)
        gate_results.append(GateResult(
            stage=stage_input.stage, subject=stage_input.subject, ok=ok, checks=checks, report_path=report_path,
            run_id=run_id, docs_path=docs_path, snapshot_id=stage_input.snapshot_id, duration_s=duration_s,
            params=stage_input.params, gx_run_name=gx_run_name))
    return gate_results


def _validate(context, name: str, frame, checks: list[CheckSpec], gx_run_id, result_format=RESULT_FORMAT):
    """One batch (the whole frame) against a suite of `checks`, stored under `name`."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    # Looked up with get/get_asset: objects reached by iterating `.assets` of a reopened context
    # are not bound to it (MissingDataContextError on run).
    try:
        datasource = context.data_sources.get(DATASOURCE)
    except KeyError:
        datasource = context.data_sources.add_pandas(DATASOURCE)
    try:
        asset = datasource.get_asset(name)
    except LookupError:
        asset = datasource.add_dataframe_asset(name)
    try:
        batch = asset.get_batch_definition("whole")
    except KeyError:
        batch = asset.add_batch_definition_whole_dataframe("whole")
    suite = gx.ExpectationSuite(name=name, expectations=[_expectation(gxe, check) for check in checks])
    definition = _stored_definition(context, name, batch, suite)
    return definition.run(batch_parameters={"dataframe": frame}, result_format=result_format, run_id=gx_run_id)


def _stored_definition(context, name: str, batch, suite):
    """The stored validation definition `name` of this batch and suite, written (with its suite)
    only when the stored one differs: the suites change with the code, not from run to run, and
    each write re-reads and rewrites the suite and definition files."""
    import great_expectations as gx

    try:
        stored = context.validation_definitions.get(name)
    except Exception:  # not stored yet, or its suite file is gone (see drop_broken_store_files): written anew
        stored = None
    if stored is not None and stored.data.id == batch.id and _expectations(stored.suite) == _expectations(suite):
        return stored
    return context.validation_definitions.add_or_update(gx.ValidationDefinition(name=name, data=batch, suite=suite))


def _expectations(suite) -> list[str]:
    """A suite's expectations as comparable text, without the ids the store gives them."""
    return sorted(json.dumps({**expectation.configuration.to_json_dict(), "id": None}, sort_keys=True, default=str)
                  for expectation in suite.expectations)


def _expectation(gxe, check: CheckSpec):
    kwargs = dict(check.kwargs)
    if check.where is not None:
        from great_expectations.expectations.row_conditions import Column

        column, value = check.where
        kwargs["row_condition"] = Column(column) == value
    if check.severity == WARN:  # shown in Data Docs beside the result: a failure here is a warning
        kwargs["severity"] = "warning"
        kwargs["notes"] = "Warning only: a day failing this check is still published, with a warning."
    return getattr(gxe, check.expectation)(**kwargs, meta={"check": check.name, "severity": check.severity})


def _plain(value: Any) -> Any:
    """numpy/pandas scalars -> Python, so outcomes serialise as JSON."""
    return value.item() if hasattr(value, "item") else value


def _rows(count: Any) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


def _quoted(value: Any) -> str:
    if isinstance(value, str) and len(value) > EXAMPLE_CHARS:
        value = value[:EXAMPLE_CHARS - 3].rstrip() + "..."
    return repr(value)


def _exception_message(info: dict) -> str | None:
    """The first line of the error an expectation raised, if any. GE reports it either flat or
    keyed by the metric that raised it."""
    for entry in [info, *(value for value in info.values() if isinstance(value, dict))]:
        if entry.get("raised_exception"):
            lines = str(entry.get("exception_message") or "error").strip().splitlines()
            return lines[0] if lines else "error"
    return None


def _subject_outcome(check: CheckSpec, expectation_result, batch, span: tuple[int, int], mine: list[int],
                     waived: bool) -> CheckOutcome:
    """One subject's outcome of a per-row check run over a batch: `span` is its rows' positions in
    the batch, `mine` its failing rows; judged with the check's `mostly`. (Slicing the batch per
    subject and check would cost more than Great Expectations itself: only what is needed is read.)"""
    common = {"name": check.name, "waived": waived, "expectation": check.expectation, "severity": check.severity}
    error = _exception_message(expectation_result.exception_info or {})
    if error is not None:
        return CheckOutcome(**common, ok=False, unexpected_count=None, example=None, detail=f"could not run: {error}")
    start, stop = span
    count, total = len(mine), stop - start
    ok = count == 0
    mostly = check.kwargs.get("mostly")
    if not ok and mostly is not None:  # Great Expectations judges `mostly` on the non-null values
        column = check.kwargs.get("column")
        nonnull = int(batch[column].iloc[start:stop].notna().sum()) if column else total
        ok = nonnull > 0 and (nonnull - count) / nonnull >= mostly
    if check.counted == TABLE:  # a one-row frame per subject: its example column holds the figure
        observed = _plain(batch[check.example_column].iloc[start]) if total else None
        return CheckOutcome(**common, ok=ok, unexpected_count=observed, example=None,
                            detail=f"{_rows(observed)}, expected {check.expected}")
    example = _plain(batch[check.example_column].iloc[mine[0]]) if mine and check.example_column else None
    detail = f"{count} of {_rows(total)}" + (f" (e.g. {_quoted(example)})" if count else "")
    return CheckOutcome(**common, ok=ok, unexpected_count=count, example=example, element_count=total, detail=detail)


def _outcome(check: CheckSpec, expectation_result, frame, waived: bool, fetch=None) -> CheckOutcome:
    """`fetch(column, row)`: the example of a failing row when the frame does not carry its column."""
    common = {"name": check.name, "ok": bool(expectation_result.success), "waived": waived,
              "expectation": check.expectation, "severity": check.severity}
    error = _exception_message(expectation_result.exception_info or {})
    if error is not None:
        return CheckOutcome(**common, unexpected_count=None, example=None, detail=f"could not run: {error}")
    result = expectation_result.result or {}
    if check.counted == TABLE:
        observed = _plain(result.get("observed_value"))
        return CheckOutcome(**common, unexpected_count=observed, example=None,
                            detail=f"{_rows(observed)}, expected {check.expected}")
    if check.counted == VIOLATIONS:  # the frame's rows (those of this check, when it has a `where`)
        rows = frame if check.where is None else frame[frame[check.where[0]] == check.where[1]]
        count = len(rows)
        example = _plain(rows.iloc[0][check.example_column]) if count else None
        detail = f"{_rows(count)} (e.g. {_quoted(example)})" if count else _rows(0)
        return CheckOutcome(**common, unexpected_count=count, example=example, detail=detail)
    count = int(result.get("unexpected_count") or 0)
    total = int(result.get("element_count") or 0)
    example = None
    indexes = result.get("partial_unexpected_index_list") or []
    if check.example_column and indexes:
        column = check.example_column
        example = _plain(frame.loc[indexes[0], column] if column in frame.columns or fetch is None
                         else fetch(column, frame.loc[indexes[0]]))
    elif result.get("partial_unexpected_list"):
        example = _plain(result["partial_unexpected_list"][0])
    detail = f"{count} of {_rows(total)}" + (f" (e.g. {_quoted(example)})" if count else "")
    return CheckOutcome(**common, unexpected_count=count, example=example, element_count=total, detail=detail)
