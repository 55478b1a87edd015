"""The CLI contract other tools depend on: JSON lines on stdout, one-line errors, exit codes."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import SAMPLE_ENTRIES, api_json, page_text
from paperhouse.cli import main


@pytest.fixture
def runner():
    return CliRunner()


def test_help_explains_each_command(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("parse", "ingest", "synth", "extract", "run", "build", "query", "quarantine", "quality", "export", "backfill", "reprocess", "docs"):
        assert command in result.output
        sub = runner.invoke(main, [command, "--help"])
        assert sub.exit_code == 0 and len(sub.output.splitlines()) > 3


def test_parse_prints_json_lines(runner, tmp_path):
    path = tmp_path / "day.txt"
    path.write_text(page_text())
    result = runner.invoke(main, ["parse", str(path)])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["position"], r["title"], r["abstract"]) for r in rows] == [
        (i + 1, t, a) for i, (t, a) in enumerate(SAMPLE_ENTRIES)]


def test_parse_api_fields(runner, tmp_path):
    path = tmp_path / "day.json"
    path.write_text(api_json())
    rows = [json.loads(line) for line in runner.invoke(main, ["parse", str(path), "--format", "api"]).stdout.splitlines()]
    assert rows[0]["arxiv_id"] == "2611.00001" and rows[0]["upvotes"] == 10
    assert rows[0]["github_repo"] == "https://github.com/lab0/repo0" and rows[1]["github_repo"] is None


def test_parse_rejects_with_exit_2_and_nothing_on_stdout(runner, tmp_path):
    path = tmp_path / "day.txt"
    path.write_text(page_text() + "\nA Title Without Abstract\n")
    result = runner.invoke(main, ["parse", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and str(path) in result.stderr and "truncated" in result.stderr


def test_parse_missing_file(runner, tmp_path):
    result = runner.invoke(main, ["parse", str(tmp_path / "absent.txt")])
    assert result.exit_code == 2 and "absent.txt" in result.stderr and result.stdout == ""


def test_extract_reads_parse_output(runner, tmp_path):
    path = tmp_path / "day.txt"
    path.write_text(page_text())
    parsed = runner.invoke(main, ["parse", str(path)]).stdout
    claims = [json.loads(line) for line in runner.invoke(main, ["extract", "claims"], input=parsed).stdout.splitlines()]
    assert claims and {"title", "value", "value_max", "unit", "kind", "qualifier", "metric", "text", "char_offset",
                       "rule"} <= set(claims[0])
    assert any(c["value"] == 61 and c["unit"] == "percent" for c in claims)
    repos = [json.loads(line) for line in runner.invoke(main, ["extract", "repos"], input=parsed).stdout.splitlines()]
    assert {(r["host"], r["owner"], r["name"], r["kind"]) for r in repos} == {
        ("github.com", "fold-lab", "folded-cache", "code"), ("huggingface.co", "tabq", "tabq-10", "dataset")}
    assert all({"title", "url", "path", "source"} <= set(r) for r in repos)


def test_extract_claims_explain_names_the_rule_for_every_number(runner):
    line = json.dumps({"title": "Quill", "abstract": "We present Quill. It cuts latency by up to 41% with 7B "
                                                      "parameters, from 120 to 70 ms (p < 0.01)."})
    result = runner.invoke(main, ["extract", "claims", "--explain"], input=line + "\n")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "# Quill"
    taken = [x for x in lines[1:] if " taken " in x]
    assert len(taken) == 1 and "kind.verb_by" in taken[0] and "'41%'" in taken[0] and "reduction 41 percent" in taken[0]
    left = [x for x in lines[1:] if " left " in x]
    assert {"left.other_unit", "left.rank_or_p_value"} <= {x.split()[2] for x in left}
    assert len(lines) == 1 + 5  # one line per number: 41, 7, 120, 70, 0.01


def test_extract_rejects_lines_without_abstract(runner):
    result = runner.invoke(main, ["extract", "claims"], input='{"title": "x"}\n')
    assert result.exit_code == 2 and "<stdin>:1" in result.stderr


def test_ingest_exit_status_and_summary(runner, tmp_path, settings):
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "2026-08-09.txt").write_text(page_text())
    (feed / "2026-08-10.txt").write_text("")
    result = runner.invoke(main, ["ingest", str(feed)])
    assert result.exit_code == 1
    assert "1 accepted" in result.stderr and "1 rejected" in result.stderr and "empty file" in result.stderr
    again = runner.invoke(main, ["ingest", str(feed / "2026-08-09.txt")])
    assert again.exit_code == 0 and "1 unchanged" in again.stderr


def test_ingest_defaults_to_the_configured_feed_dir(runner, settings):
    settings.feed_dir.mkdir(parents=True)
    (settings.feed_dir / "2026-08-09.json").write_text(api_json())
    result = runner.invoke(main, ["ingest"])
    assert result.exit_code == 0 and "1 accepted" in result.stderr


def test_ingest_without_any_snapshot_fails(runner, tmp_path, settings):
    result = runner.invoke(main, ["ingest", str(tmp_path)])
    assert result.exit_code == 1 and "no snapshot files found" in result.stderr


def test_bad_date_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["ingest", str(tmp_path), "--date", "10/08/2026"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr


def _command(script: str, *args: str):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args, status", [(["--version"], 0), (["parse", "/nonexistent/day.txt"], 2),
                                          (["no-such-command"], 2)])
def test_the_command_exits_with_its_status_after_exit_handlers_and_flushed_output(args, status):
    # `paperhouse` (cli.entry) skips the interpreter's teardown; what a normal exit does for the
    # program (threads joined, exit handlers, flushed output) must still happen.
    script = ("import atexit, sys, threading, time\n"
              "from paperhouse.cli import entry\n"
              "atexit.register(lambda: print('exit handler ran'))\n"
              "threading.Thread(target=lambda: (time.sleep(0.3), print('thread finished'))).start()\n"
              "sys.stdout.write('buffered, not flushed ')\n"
              "entry(sys.argv[1:])\n")
    done = _command(script, *args)
    assert done.returncode == status, done.stderr
    assert done.stdout.startswith("buffered, not flushed ")
    assert "thread finished" in done.stdout and done.stdout.rstrip().endswith("exit handler ran")
    if status:
        assert "rror" in done.stderr and "Traceback" not in done.stderr
    else:
        assert "version" in done.stdout
