"""Quality gates (Great Expectations suites written in code) and the review of quarantined input.

- `raw`: the suite for a new lake partition; `marts`: the suite for the staged warehouse.
- `suite`: what a stage module hands the runner (DataFrames and named checks).
- `gates`: runs a suite (the raw gate: many days in one run), records the result, says in one line
  why a gate failed (a "stop" check) or warned (a "warn" check: the data still passes).
- `results`: run records (JSON), Data Docs and the `paperhouse quality` table.
- `quarantine`: list, show and release quarantined snapshots; waivers.

Importing this package does not import Great Expectations (~10 s): only running a gate does.
"""
