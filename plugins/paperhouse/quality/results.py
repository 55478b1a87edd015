"""Where gate results live: one JSON file per run, Great Expectations Data Docs, the latest table.

Layout under `<home>/quality/`: `runs/<run_id>.json` (run_id = `<timestamp>_<stage>_<date>`),
`gx/` (a file-backed Great Expectations context: suites, validation results) and `data_docs/`
(its HTML site, which renders offline).
"""
from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from typing import Any

from rich.table import Table
from rich.text import Text

from paperhouse.fsio import write_atomic
from paperhouse.safe_text import terminal_safe
from paperhouse.settings import Settings

DOCS_SITE = "paperhouse"


def runs_dir(settings: Settings) -> Path:
    return settings.quality_dir / "runs"


def data_docs_dir(settings: Settings) -> Path:
    return settings.quality_dir / "data_docs"


def import_gx():
    """Import Great Expectations (~10 s, so only when validating) with its logging quiet."""
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    import great_expectations

    return great_expectations


# Validation results only accumulate (a file per batch per run, never rewritten): a result already
# found readable is not parsed again (a year of runs holds thousands). This file's mtime is when the
# last complete check started; results written since (a newer mtime) are checked.
RESULTS_CHECKED_MARKER = "uncommitted/validations_checked"
TIMESTAMP_MARGIN_S = 2.0  # file timestamps are coarser than time.time()


def drop_broken_store_files(gx_dir: Path) -> list[Path]:
    """Remove empty or unreadable files of the context's stores (a disk that filled up mid-write):
    the config, suites and validation definitions are rebuilt from code on the next use, and a
    broken stored result holds nothing to lose. Returns what was removed."""
    import yaml

    started = time.time()
    marker = gx_dir / RESULTS_CHECKED_MARKER
    try:
        checked_before = marker.stat().st_mtime - TIMESTAMP_MARGIN_S
    except FileNotFoundError:
        checked_before = None
    removed = []
    candidates = [gx_dir / "great_expectations.yml", *gx_dir.glob("expectations/*.json"),
                  *gx_dir.glob("validation_definitions/*.json"), *gx_dir.glob("checkpoints/*.json"),
                  *_results_to_check(gx_dir, checked_before)]
    for path in candidates:
        try:
            text = path.read_text(encoding="utf-8")
            readable = isinstance(yaml.safe_load(text) if path.suffix == ".yml" else json.loads(text), dict)
        except FileNotFoundError:
            continue
        except (OSError, ValueError, yaml.YAMLError):
            readable = False
        if not readable:
            path.unlink(missing_ok=True)
            removed.append(path)
    if removed:
        logging.getLogger(__name__).warning("%s: rebuilt %d empty or broken Great Expectations store files",
                                            gx_dir, len(removed))
    if marker.parent.is_dir():
        marker.touch()
        os.utime(marker, (started, started))
    return removed


def _results_to_check(gx_dir: Path, checked_before: float | None) -> list[Path]:
    """The stored validation results written since the last check (all of them without one)."""
    paths = []
    for path in gx_dir.glob("uncommitted/validations/**/*.json"):
        try:
            if checked_before is None or path.stat().st_mtime >= checked_before:
                paths.append(path)
        except FileNotFoundError:
            continue
    return paths


# One context per data root for the life of the process: creating one parses its YAML config and
# opens every store (a second or more each time), and a run needs it for the raw gate, its Data
# Docs and the marts gate. Kept while its config file is the one it was created from.
_CONTEXTS: dict[Path, tuple[tuple, object]] = {}


def _config_stamp(gx_dir: Path) -> tuple | None:
    try:
        stat = (gx_dir / "great_expectations.yml").stat()
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def gx_context(settings: Settings):
    """The file-backed context under <home>/quality/gx, configured on first use: Data Docs go to
    <home>/quality/data_docs (relative, so the data root can move) and progress bars are off.
    Created once per process and data root (see _CONTEXTS)."""
    gx_dir = settings.quality_dir / "gx"
    cached = _CONTEXTS.get(gx_dir)
    if cached is not None and cached[0] == _config_stamp(gx_dir):
        return cached[1]
    context = _new_gx_context(settings)
    _CONTEXTS[gx_dir] = (_config_stamp(gx_dir), context)
    return context


def _new_gx_context(settings: Settings):
    gx = import_gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    drop_broken_store_files(settings.quality_dir / "gx")
    context = gx.get_context(mode="file", project_root_dir=settings.quality_dir)
    site_names = list(context.list_data_docs_sites())
    if DOCS_SITE not in site_names:
        context.add_data_docs_site(DOCS_SITE, {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": "../data_docs/"},
        })
        for name in site_names:  # the default site, under gx/uncommitted
            context.delete_data_docs_site(name)
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        context.variables.save()
    if context.variables.config_variables_file_path:
        # No config variables are used, but GE re-reads and YAML-parses that file on every access
        # to a config value (~2.5 ms, ~300 times in a marts gate run): switched off once per data
        # root, and the context reopened so that it no longer reads the file.
        context.variables.config_variables_file_path = None
        context.variables.save()
        context = gx.get_context(mode="file", project_root_dir=settings.quality_dir)
    return context


def build_data_docs(settings: Settings, run_names: list[str], context=None) -> Path:
    """Render the validation results of these runs, any stored result still without a page (a
    process killed before it built its docs), and the index page; returns the index."""
    context = context or gx_context(settings)
    wanted = set(run_names)
    pages = data_docs_dir(settings) / "validations"  # the results store's layout, .html for .json
    keys = [key for key in context.validation_results_store.list_keys()
            if key.run_id.run_name in wanted or not (pages / ("/".join(key.to_tuple()) + ".html")).is_file()]
    context.build_data_docs(site_names=[DOCS_SITE], resource_identifiers=keys)
    return data_docs_dir(settings) / "index.html"


def save_run(settings: Settings, record: dict[str, Any]) -> Path:
    path = runs_dir(settings) / f"{record['run_id']}.json"
    write_atomic(path, json.dumps(record, indent=2, default=str).encode())
    return path


def _run_key(path: Path) -> tuple[str, str] | None:
    """(stage, date) from `<timestamp>_<stage>_<date>.json`."""
    parts = path.stem.split("_", 2)
    return (parts[1], parts[2]) if len(parts) == 3 else None


def latest_results(settings: Settings, limit: int | None = 30) -> list[dict]:
    """The latest run of each (stage, date), newest first: summaries without the GE payload."""
    latest: dict[tuple[str, str], Path] = {}
    for path in sorted(runs_dir(settings).glob("*.json")):  # timestamps sort: the last one wins
        key = _run_key(path)
        if key is not None:
            latest[key] = path
    newest = sorted(latest.values(), key=lambda p: p.name, reverse=True)[:limit]
    summaries = []
    for path in newest:
        record = json.loads(path.read_text())
        record.pop("validation_results", None)
        record["report_path"] = str(path)
        summaries.append(record)
    return summaries


def _failing(run: dict, severity: str) -> list[dict]:
    """A run's failing, unwaived checks of one severity (records from before severities: "stop")."""
    return [c for c in run["checks"] if not c["ok"] and not c["waived"] and c.get("severity", "stop") == severity]


def latest_results_json(settings: Settings, limit: int | None = 30) -> str:
    """`paperhouse quality --json`: the latest run of each (stage, date), newest first, with each
    run's failing checks split into `failed` (stopped the data) and `warnings` (let it pass)."""
    runs = []
    for run in latest_results(settings, limit):
        run["failed"] = [c["name"] for c in _failing(run, "stop")]
        run["warnings"] = [c["name"] for c in _failing(run, "warn")]
        runs.append(run)
    return json.dumps(runs, indent=2, default=str)


def format_quality_table(settings: Settings, limit: int | None = 30) -> Table:
    """`paperhouse quality`: one row per latest gate run."""
    table = Table("run at", "stage", "date", "result", "failed checks", "warnings", "waived", "seconds",
                  title=f"quality gates ({data_docs_dir(settings) / 'index.html'})")
    for run in latest_results(settings, limit):
        failed, warned = _failing(run, "stop"), _failing(run, "warn")
        waived = [c["name"] for c in run["checks"] if not c["ok"] and c["waived"]]
        if not run["ok"]:
            result = "[red]FAILED[/]"
        elif warned:
            result = "[yellow]passed, warning[/]"
        else:
            result = "[green]passed[/]"
        table.add_row(
            run["started_at"][:19].replace("T", " "), run["stage"], run["subject"], result,
            # Details quote feed text (an example title): shown as text, never as rich markup.
            Text(terminal_safe("; ".join(f"{c['name']}: {c['detail']}" for c in failed))),
            Text(terminal_safe("; ".join(f"{c['name']}: {c['detail']}" for c in warned))),
            ", ".join(waived), f"{run['duration_s']:.1f}",
        )
    return table
