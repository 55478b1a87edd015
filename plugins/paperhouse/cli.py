"""paperhouse's command-line interface. Every command calls the same functions as the DAGs.

Exit status: 0 success; 1 when something was rejected or a gate stopped the run; 2 for bad input
given to `parse` or bad usage. Errors are one line on stderr, naming the file.
"""
from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import json
import logging
import os
import sys
import threading
from pathlib import Path
from typing import NoReturn

import click

from paperhouse.errors import FeedError, PaperhouseError
from paperhouse.safe_text import csv_safe, terminal_safe
from paperhouse.settings import Settings


def _settings() -> Settings:
    return Settings.from_env()


def _date(_ctx, _param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"error: {terminal_safe(message)}", err=True)
    sys.exit(code)


def _json_default(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(type(value).__name__)


def _print_jsonl(rows) -> None:
    out = sys.stdout
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False, default=_json_default) + "\n")


class _Group(click.Group):
    """Turns paperhouse's own errors into one line on stderr instead of a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except FeedError as err:
            _fail(str(err), 2)
        except PaperhouseError as err:
            _fail(str(err), 1)
        except OSError as err:
            # Disk full, permissions, a vanished file: one line naming the file, not a traceback.
            # Every write is atomic, so nothing stored was half-written; rerun once it is fixed.
            where = f"{err.filename}: " if err.filename else ""
            _fail(f"{where}{err.strerror or err}", 1)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # usage errors and --help: click reports them itself
        except Exception as err:  # noqa: BLE001 - the last line of defence: still one line
            if logging.getLogger().isEnabledFor(logging.DEBUG):
                raise  # -vv: the traceback, for a bug report
            first = str(err).strip().splitlines()[0] if str(err).strip() else ""
            _fail(f"{type(err).__name__}: {first} (run with -vv for the traceback)", 1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug).")
@click.version_option(package_name="paperhouse")
def main(verbose: int) -> None:
    """paperhouse: research-paper feeds into a DuckDB warehouse of papers, repos and claims.

    Data lives under $PAPERHOUSE_HOME (default ./data); the feed directory is
    $PAPERHOUSE_FEED_DIR (default $PAPERHOUSE_HOME/feed), one file per day named YYYY-MM-DD.txt
    (the Daily Papers page) or YYYY-MM-DD.json (the Daily Papers API).
    """
    level = [logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("great_expectations").setLevel(max(level, logging.WARNING))


# ---- feed files ------------------------------------------------------------------------------------

@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["auto", "page", "api"]), default="auto", show_default=True,
              help="Feed format; auto tells it from the content.")
def parse(file: Path, fmt: str) -> None:
    """Parse one snapshot FILE and print its entries as JSON lines.

    Each line has position, title, abstract and, for API snapshots, arxiv_id, upvotes,
    github_repo and the other API fields. A rejected file prints nothing on stdout, one line
    on stderr, and exits 2.
    """
    from paperhouse.feeds import parse_file

    parsed = parse_file(file, fmt)
    _print_jsonl({"format": parsed.format, **entry} for entry in parsed.entries)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--date", "snapshot_date", callback=_date, help="Snapshot date (YYYY-MM-DD) for a single file not named by its day.")
@click.option("--format", "fmt", type=click.Choice(["auto", "page", "api"]), default="auto", show_default=True)
def ingest(paths: tuple[Path, ...], snapshot_date: dt.date | None, fmt: str) -> None:
    """Land, parse and extract files or feed directories into the Parquet lake.

    With no PATHS, ingests the configured feed directory. Good files are ingested even when
    others are rejected (rejected files are copied to quarantine/ with a note of why); the
    exit status is then 1.
    """
    from paperhouse.ingest import ingest_paths

    settings = _settings()
    report = ingest_paths(settings, list(paths) or [settings.feed_dir], snapshot_date, format=fmt, progress=True)
    for warning in report.warnings:
        click.echo(f"warning: {terminal_safe(warning)}", err=True)
    for outcome in report.by_status("rejected"):
        click.echo(f"rejected: {terminal_safe(outcome.reason)}", err=True)
    click.echo(f"ingest: {report.summary()} (lake: {settings.lake_dir})", err=True)
    if not report.outcomes:
        _fail(f"{', '.join(map(str, paths or [settings.feed_dir]))}: no snapshot files found (expected YYYY-MM-DD.<ext>)")
    if not report.ok:
        sys.exit(1)


@main.command()
@click.option("--days", type=click.IntRange(1), required=True, help="Number of daily snapshots.")
@click.option("--papers-per-day", type=click.IntRange(1), required=True, help="Entries on each day's feed.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Feed directory to write.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (same seed, same feed).")
@click.option("--start", callback=_date, default="2026-01-01", show_default=True, help="First day.")
@click.option("--formats", type=click.Choice(["mixed", "page", "api"]), default="mixed", show_default=True,
              help="mixed rotates both page layouts and API JSON.")
def synth(days: int, papers_per_day: int, out: Path, seed: int, start: dt.date, formats: str) -> None:
    """Write a synthetic feed directory (text we wrote, realistic shape) for demos and benchmarks."""
    from paperhouse.synth import write_feed

    files = write_feed(out, days=days, papers_per_day=papers_per_day, seed=seed, start=start, formats=formats)
    click.echo(f"synth: wrote {len(files)} snapshots to {out}", err=True)


@main.group()
def extract() -> None:
    """Extract claims or repository links from JSON lines with title and abstract."""


def _read_jsonl(file: Path | None):
    stream = open(file, encoding="utf-8") if file else sys.stdin
    name = str(file) if file else "<stdin>"
    with stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise FeedError(name, f"not JSON: {exc.msg}", number) from None
            if not isinstance(row, dict) or not isinstance(row.get("abstract"), str):
                raise FeedError(name, "each line needs an object with an 'abstract' string", number)
            yield row


@extract.command("claims")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--explain", is_flag=True,
              help="For every number of each abstract, print whether it was taken or left, and by which rule.")
def extract_claims_command(file: Path | None, explain: bool) -> None:
    """Print one JSON line per claim: title, value, value_max, unit, kind, qualifier, metric, text, char_offset, rule.

    Reads FILE or stdin, so `paperhouse parse day.txt | paperhouse extract claims` works. With
    --explain, prints instead one line per number: its offset, taken/left, the rule id (see
    plugins/paperhouse/extract/claims/rules.py), the number as written and, if taken, the claim.
    """
    import dataclasses

    from paperhouse.extract import extract_claims
    from paperhouse.extract.claims import RULES, explain_claims

    if not explain:
        _print_jsonl({"title": row.get("title"), **dataclasses.asdict(claim)}
                     for row in _read_jsonl(file) for claim in extract_claims(row["abstract"]))
        return
    for row in _read_jsonl(file):
        click.echo(f"# {row.get('title') or '(untitled)'}")
        for d in explain_claims(row["abstract"]):
            outcome = "taken" if d.taken else "left "
            line = f"{d.char_offset:>5} {outcome} {d.rule:<32} {d.text!r}"
            if d.claim is not None:
                c = d.claim
                line += f" -> {c.kind} {c.value:g}{'' if c.value_max is None else f'-{c.value_max:g}'} {c.unit}" \
                        f" qualifier={c.qualifier} metric={c.metric!r}"
            else:
                line += f"  ({RULES.get(d.rule, '')})"
            click.echo(line)


@extract.command("repos")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
def extract_repos_command(file: Path | None) -> None:
    """Print one JSON line per repository: title, host, kind, owner, name, url, path, source.

    API fields github_repo and project_page are read when present.
    """
    import dataclasses

    from paperhouse.extract import extract_repos

    for row in _read_jsonl(file):
        repos, _links = extract_repos(row["abstract"], row.get("github_repo"), row.get("project_page"))
        _print_jsonl({"title": row.get("title"), **dataclasses.asdict(repo)} for repo in repos)


@main.command()
@click.option("--date", "dates", multiple=True, callback=lambda c, p, v: [_date(c, p, d) for d in v],
              help="Only this day (repeatable); default every day in the lake.")
def reprocess(dates: list[dt.date]) -> None:
    """Re-extract repos and claims from the lake's entries with the current extractor.

    Nothing is re-landed or re-parsed. Afterwards run `paperhouse run --full-refresh`.
    """
    from paperhouse.ingest import reprocess as reprocess_lake

    done = reprocess_lake(_settings(), dates or None, progress=True)
    click.echo(f"reprocess: {len(done)} days re-extracted; now run `paperhouse run --full-refresh`", err=True)


# ---- warehouse -------------------------------------------------------------------------------------

@main.command()
@click.option("--full-refresh", is_flag=True, help="Rebuild incremental models from all of the lake.")
def build(full_refresh: bool) -> None:
    """Run `dbt build` into the staging warehouse (not published until the gates pass: see `run`)."""
    from paperhouse import pipeline

    result = pipeline.build(_settings(), full_refresh=full_refresh, progress=True)
    click.echo(f"build: {result.summary}", err=True)


def _run_report(report) -> None:
    for warning in report.ingest.warnings:
        click.echo(f"warning: {terminal_safe(warning)}", err=True)
    for outcome in report.ingest.by_status("rejected"):
        click.echo(f"rejected: {terminal_safe(outcome.reason)}", err=True)
    for failure in report.gate_failures:
        click.echo(f"gate: {terminal_safe(failure)}", err=True)
    for warning in report.gate_warnings:
        click.echo(f"warning: {terminal_safe(warning)}", err=True)
    click.echo(terminal_safe(report.summary()), err=True)
    if not report.ok:
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--full-refresh", is_flag=True, help="Rebuild the warehouse from all of the lake.")
def run(paths: tuple[Path, ...], full_refresh: bool) -> None:
    """Ingest, gate, build, gate, publish and export: a scheduled day, without a scheduler.

    With no PATHS, reads the configured feed directory; with PAPERHOUSE_SOURCE=http it first
    fetches the recent days from the API into it. Exits 1 when any day could not be fetched,
    any snapshot was rejected or any gate failed (the published warehouse then stays as it was).
    """
    from paperhouse import pipeline

    _run_report(pipeline.run(_settings(), list(paths) or None, full_refresh=full_refresh, progress=True))


@main.command()
@click.option("--start", callback=_date, required=True, help="First day (YYYY-MM-DD).")
@click.option("--end", callback=_date, required=True, help="Last day, inclusive.")
def backfill(start: dt.date, end: dt.date) -> None:
    """Ingest a range of days from the configured source, gate each, and build once."""
    from paperhouse import pipeline

    _run_report(pipeline.backfill(_settings(), start, end, progress=True))


@main.command()
@click.argument("sql")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--allow-files", is_flag=True,
              help="Let the SQL read and write files on this host (COPY, read_csv, ATTACH): trusted operators only.")
def query(sql: str, fmt: str, allow_files: bool) -> None:
    """Run SQL against the published warehouse (opened read-only) and print the result.

    The SQL sees the warehouse only: file access is disabled unless --allow-files is given.
    Text is shown as text (no markup, no escape sequences); CSV cells never start a formula.
    """
    from paperhouse.warehouse import query as run_query

    columns, rows = run_query(_settings(), sql, allow_files=allow_files)
    if fmt == "json":
        _print_jsonl(dict(zip(columns, row)) for row in rows)
    elif fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow([csv_safe(c) for c in columns])
        writer.writerows([csv_safe(v) for v in row] for row in rows)
    else:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(show_lines=False)
        for column in columns:
            table.add_column(Text(terminal_safe(column)))
        for row in rows:
            table.add_row(*(Text("" if v is None else terminal_safe(v)) for v in row))
        Console().print(table)


@main.command()
def export() -> None:
    """Export every published mart to Parquet and CSV under exports/<date>/ and repoint exports/latest."""
    from paperhouse import pipeline

    path = pipeline.export(_settings())
    click.echo(f"export: {path}", err=True)


@main.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="HTML file to write.  [default: $PAPERHOUSE_HOME/report.html]")
def report(out: Path | None) -> None:
    """Write the daily digest of the published warehouse as one self-contained HTML page (charts
    and tables; each export also gets one, exports/<date>/report.html)."""
    from paperhouse.report import REPORT_FILE, write_report

    settings = _settings()
    path = write_report(settings.warehouse_path, out or settings.home / REPORT_FILE)
    click.echo(f"report: {path.absolute()}", err=True)


@main.command()
def docs() -> None:
    """Generate dbt's documentation site (models, columns, lineage) for the published warehouse."""
    from paperhouse.warehouse import generate_docs

    target = generate_docs(_settings())
    click.echo(f"docs: {target / 'index.html'} (serve with: python -m http.server -d {target})", err=True)


# ---- quality ---------------------------------------------------------------------------------------

@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the latest results as JSON (for scripts).")
def quality(as_json: bool) -> None:
    """Print the latest quality-gate results: what stopped a day, and warnings (days that passed)."""
    from rich.console import Console

    from paperhouse.quality.results import format_quality_table, latest_results_json
    from paperhouse.warehouse import latest_source_freshness

    settings = _settings()
    if as_json:
        click.echo(latest_results_json(settings))
        return
    console = Console()
    console.print(format_quality_table(settings))
    for check in latest_source_freshness(settings):  # dbt source freshness of the lake, as last checked
        console.print(f"{check.line}; checked {check.checked_at}", markup=False)


@main.group()
def quarantine() -> None:
    """Review snapshots stopped by the parser or a quality gate, and release them."""


@quarantine.command("list")
def quarantine_list() -> None:
    """List quarantined snapshots with the reason each was stopped."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from paperhouse.quality.quarantine import list_quarantined

    table = Table("id", "date", "stage", "reason", "released")
    for record in list_quarantined(_settings()):
        cells = (record.snapshot_id[:12], record.snapshot_date or "", record.stage, record.reason,
                 "yes" if record.released_at else "")
        table.add_row(*(Text(terminal_safe(cell)) for cell in cells))  # reasons quote feed text
    Console().print(table)


@quarantine.command("show")
@click.argument("snapshot_id")
def quarantine_show(snapshot_id: str) -> None:
    """Show why SNAPSHOT_ID (or a unique prefix) was stopped, with its validation report."""
    from paperhouse.quality.quarantine import show

    record = show(_settings(), snapshot_id)
    click.echo(json.dumps(record.as_dict() if hasattr(record, "as_dict") else record.__dict__, indent=2, default=_json_default))


@quarantine.command("release")
@click.argument("snapshot_id")
@click.option("--note", help="Why it is judged good (kept with the waiver).")
def quarantine_release(snapshot_id: str, note: str | None) -> None:
    """Release SNAPSHOT_ID into the next run with the checks that stopped it waived (recorded)."""
    from paperhouse.quality.quarantine import release

    record = release(_settings(), snapshot_id, note=note)
    click.echo(f"released {record.snapshot_id[:12]} ({record.snapshot_date}); waived: {', '.join(record.waived_checks) or 'none'}; "
               "it is ingested by the next run", err=True)


def entry(args: list[str] | None = None) -> NoReturn:
    """The `paperhouse` command: `main`, then exit without the interpreter's teardown. Freeing
    the object graphs dbt and Great Expectations leave after a run takes over a second and only
    returns memory the exit returns anyway. Everything a normal exit does for the program still
    happens first: threads are joined, exit handlers run, output is flushed."""
    try:
        main(args)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    _exit_now(code)


def _exit_now(code: int | str | None) -> NoReturn:
    if isinstance(code, str):  # as sys.exit("message") would: the message on stderr, status 1
        click.echo(code, err=True)
    status = 0 if code is None else code if isinstance(code, int) else 1
    shutdown, run_exit_handlers = getattr(threading, "_shutdown", None), getattr(atexit, "_run_exitfuncs", None)
    if shutdown is None or run_exit_handlers is None:  # an interpreter without them: exit normally
        sys.exit(status)
    try:
        shutdown()             # join non-daemon threads, as the interpreter does at exit
        run_exit_handlers()    # logging's flush, multiprocessing's children, dbt's connections
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(status)


if __name__ == "__main__":
    entry()
