"""Where the raw gate's time goes: `pipeline.gate_raw` over every committed day of a data root's
lake, in one process, with wall and CPU time and a cProfile of the 30 costliest calls.

    python bench/profile_raw_gate.py DATA_ROOT     # e.g. the backfill benchmark's backfill-home

The data root is changed as a gate run changes it (run records, Data Docs).
"""
from __future__ import annotations

import cProfile
import logging
import pstats
import sys
import time

logging.getLogger("great_expectations").setLevel(logging.WARNING)


def main(home: str) -> None:
    from paperhouse import lake, pipeline
    from paperhouse.settings import Settings

    wall, cpu = time.perf_counter(), time.process_time()
    import great_expectations  # noqa: F401  (timed apart: once per process)
    print(f"import great_expectations: wall {time.perf_counter() - wall:.1f} s cpu {time.process_time() - cpu:.1f} s")
    settings = Settings.from_env({"PAPERHOUSE_HOME": home})
    days = sorted(lake.committed_snapshot_ids(settings.lake_dir))
    profile = cProfile.Profile()
    wall, cpu = time.perf_counter(), time.process_time()
    profile.enable()
    results = pipeline.gate_raw(settings, days)
    profile.disable()
    print(f"gate_raw over {len(days)} days: wall {time.perf_counter() - wall:.1f} s cpu {time.process_time() - cpu:.1f} s; "
          f"{sum(r.ok for r in results)} passed")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main(sys.argv[1])
