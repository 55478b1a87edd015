"""What a stage module hands the gate runner: DataFrames and the checks to run on them.

Checks name Great Expectations expectation classes by string so that building a suite does not
import Great Expectations (its import takes ~10 s); the runner instantiates them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import pandas as pd

# How a failing check is counted in the one-line reason.
ROWS = "rows"              # a per-row expectation: "37 of 120 rows"
VIOLATIONS = "violations"  # a frame of violating rows computed in SQL, expected to be empty
TABLE = "table"            # a table-level expectation (row count): its observed value

# What a failing check does to the gate: stop the data, or let it through with a warning.
STOP = "stop"
WARN = "warn"
SEVERITIES = (STOP, WARN)
# The column a batch of several subjects (days) gets, so each row's result goes back to its day.
SUBJECT_COLUMN = "gate_subject"


@dataclass(frozen=True)
class CheckSpec:
    name: str                  # stable short name: what is wrong when it fails; used for waivers
    frame: str                 # key of the DataFrame it validates in `StageInput.frames`
    expectation: str           # a great_expectations.expectations class name
    kwargs: dict[str, Any]
    counted: str = ROWS
    example_column: str | None = None  # column shown as the example of a failing row
    expected: str = ""         # for TABLE checks: the expectation in words ("100..360 entries")
    where: tuple[str, Any] | None = None  # (column, value): check only the rows where column == value
    severity: str = STOP       # STOP: a failure stops the data; WARN: it passes, with a warning

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"check {self.name}: severity {self.severity!r}, expected one of {SEVERITIES}")


@dataclass
class StageInput:
    stage: str                           # "raw" | "marts"
    subject: str                         # what was validated: the snapshot date (ISO)
    frames: dict[str, pd.DataFrame]
    checks: list[CheckSpec]
    params: dict[str, Any] = field(default_factory=dict)  # figures the checks were built from
    snapshot_id: str | None = None
    waived: frozenset[str] = frozenset()  # checks already waived for this data (by a release)
    # (frame name, column, failing row) -> the example value of a column the frame does not carry
    # (long text, read only for a failing check's example rather than validated with every row).
    fetch_example: Callable[[str, str, pd.Series], Any] | None = None

    def __post_init__(self) -> None:
        names = [check.name for check in self.checks]
        duplicated = {name for name in names if names.count(name) > 1}
        if duplicated:
            raise ValueError(f"{self.stage} checks: duplicate names {sorted(duplicated)}")
        unknown = {check.frame for check in self.checks} - set(self.frames)
        if unknown:
            raise ValueError(f"{self.stage} checks: no frames {sorted(unknown)}")
