"""feeds/http.py against a real HTTP server on 127.0.0.1 that plays scripted responses."""
from __future__ import annotations

import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import api_json
from paperhouse.errors import FeedError, SnapshotNotReady, SourceUnavailable
from paperhouse.feeds.http import day_url, fetch_api_day
from paperhouse.settings import Settings

DAY = dt.date(2026, 8, 9)
PAPERS = [
    {"paper": {"id": "2608.00001", "title": "A made-up paper", "summary": "Text we wrote for this test."}, "numComments": 2},
    {"paper": {"id": "2608.00002", "title": "Another made-up paper", "summary": "More text we wrote."}},
]
OK_BODY = json.dumps(PAPERS).encode()


class ScriptedServer:
    """Serves `script` in order, one (status, body, delay_s[, headers[, drip_s]]) per request; the
    last entry repeats. `headers` are sent as well (None for Content-Length sends none and closes
    the connection after the body); `drip_s` > 0 sends the body a byte at a time, that far apart."""

    def __init__(self, script: list[tuple[int, bytes, float]]):
        self.script = script
        self.requests: list[str] = []
        self.times: list[float] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                owner.requests.append(self.path)
                owner.times.append(time.monotonic())
                status, body, delay_s, headers, drip_s = (
                    *owner.script[min(len(owner.requests), len(owner.script)) - 1], {}, 0.0)[:5]
                headers = {"Content-Type": "application/json", "Content-Length": str(len(body)), **headers}
                time.sleep(delay_s)
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        if value is not None:
                            self.send_header(name, value)
                    self.end_headers()
                    if headers["Content-Length"] is None:
                        self.close_connection = True
                    if drip_s:
                        for i in range(len(body)):
                            self.wfile.write(body[i:i + 1])
                            self.wfile.flush()
                            time.sleep(drip_s)
                    else:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout, size limit)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/daily_papers"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def serve(tmp_path):
    servers = []

    def start(*script: tuple[int, bytes, float]) -> tuple[ScriptedServer, Settings]:
        server = ScriptedServer(list(script)).__enter__()
        servers.append(server)
        settings = Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path)}, source="http", api_url=server.url,
                                     http_timeout_s=2.0, http_retries=2)
        return server, settings

    yield start
    for server in servers:
        server.__exit__(None, None, None)


def test_ok_body_is_written_as_the_days_json(serve, tmp_path):
    server, settings = serve((200, OK_BODY, 0))
    path = fetch_api_day(settings, DAY, tmp_path / "downloads", backoff_s=0.01)
    assert path == tmp_path / "downloads" / "2026-08-09.json"
    assert json.loads(path.read_bytes()) == PAPERS
    assert server.requests == ["/api/daily_papers?date=2026-08-09"]
    assert [p.name for p in path.parent.iterdir()] == ["2026-08-09.json"]  # no temp file left


def test_server_error_is_retried_then_succeeds(serve, tmp_path):
    server, settings = serve((500, b"oops", 0), (503, b"busy", 0), (200, OK_BODY, 0))
    path = fetch_api_day(settings, DAY, tmp_path, backoff_s=0.01)
    assert json.loads(path.read_bytes()) == PAPERS
    assert len(server.requests) == 3


def test_server_errors_give_up_after_the_configured_retries(serve, tmp_path):
    server, settings = serve((502, b"bad gateway", 0))
    with pytest.raises(SourceUnavailable) as err:
        fetch_api_day(settings, DAY, tmp_path, backoff_s=0.01)
    assert len(server.requests) == settings.http_retries + 1
    assert server.url in str(err.value) and "HTTP 502" in str(err.value) and "3 attempts" in str(err.value)
    assert not (tmp_path / "2026-08-09.json").exists()


def test_timeout_is_retried_and_bounded(serve, tmp_path):
    server, settings = serve((200, OK_BODY, 1.0))
    settings = Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path)}, source="http", api_url=server.url,
                                 http_timeout_s=0.1, http_retries=1)
    started = time.monotonic()
    with pytest.raises(SourceUnavailable, match="timed out") as err:
        fetch_api_day(settings, DAY, tmp_path, backoff_s=0.01)
    assert time.monotonic() - started < 1.5  # two 0.1 s attempts, not the server's 1 s per reply
    assert len(server.requests) == 2
    assert "\n" not in str(err.value)


def test_slow_then_fast_server_succeeds_on_retry(serve, tmp_path):
    server, settings = serve((200, OK_BODY, 1.0), (200, OK_BODY, 0))
    settings = Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path)}, source="http", api_url=server.url,
                                 http_timeout_s=0.2, http_retries=1)
    path = fetch_api_day(settings, DAY, tmp_path, backoff_s=0.01)
    assert json.loads(path.read_bytes()) == PAPERS


@pytest.mark.parametrize("body, reason", [
    (b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>", "not JSON"),
    (OK_BODY[: len(OK_BODY) // 2], "not JSON"),  # truncated JSON, with a matching Content-Length
    (b'{"error": "rate limited"}', "expected a JSON list of papers, got dict"),
])
def test_body_of_the_wrong_shape_is_quarantined_not_written_to_the_feed(serve, tmp_path, body, reason):
    server, settings = serve((200, body, 0))
    with pytest.raises(FeedError) as err:
        fetch_api_day(settings, DAY, tmp_path, backoff_s=0.01)
    message = str(err.value)
    assert message.startswith(day_url(server.url, DAY) + ": ") and reason in message and "\n" not in message
    assert len(server.requests) == 1  # a bad body is not retried
    assert not (tmp_path / "2026-08-09.json").exists()
    (why,) = settings.quarantine_dir.glob("*.why.json")
    record = json.loads(why.read_text())
    assert (record["stage"], record["snapshot_date"], record["original_path"]) == ("fetch", "2026-08-09", day_url(server.url, DAY))
    assert reason in record["reason"] and f"quarantined as {record['snapshot_id']}.json" in message
    assert (settings.quarantine_dir / f"{record['snapshot_id']}.json").read_bytes() == body


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_honoured_on_429_and_503(serve, tmp_path, status):
    server, settings = serve((status, b"slow down", 0, {"Retry-After": "1"}), (200, OK_BODY, 0))
    path = fetch_api_day(settings, DAY, tmp_path, backoff_s=0.01)
    assert json.loads(path.read_bytes()) == PAPERS
    assert len(server.requests) == 2
    assert server.times[1] - server.times[0] >= 0.9  # waited as told, not the 0.01 s backoff


def test_429_gives_up_after_the_retries(serve, tmp_path):
    server, settings = serve((429, b"", 0, {"Retry-After": "0"}))
    with pytest.raises(SourceUnavailable, match=r"HTTP 429 \(gave up after 3 attempts\)"):
        fetch_api_day(settings, DAY, tmp_path, backoff_s=0.01)
    assert len(server.requests) == 3


def test_slow_drip_fails_at_the_per_request_deadline(serve, tmp_path):
    # Every byte arrives well within the 2 s timeout, the whole body would take about 10 s.
    server, settings = serve((200, OK_BODY, 0, {}, 10.0 / len(OK_BODY)))
    started = time.monotonic()
    with pytest.raises(SourceUnavailable, match="not complete within the 2 s deadline") as err:
        fetch_api_day(settings, DAY, tmp_path, backoff_s=0.01)
    assert time.monotonic() - started < 5
    assert "\n" not in str(err.value)
    assert not (tmp_path / "2026-08-09.json").exists()


@pytest.mark.parametrize("declared", [True, False])
def test_oversized_body_is_refused_without_reading_it_whole(serve, tmp_path, declared):
    junk = b"x" * (3 * 1024 * 1024)
    server, settings = serve((200, junk, 0, {} if declared else {"Content-Length": None}))
    settings = Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path)}, source="http", api_url=server.url,
                                 http_timeout_s=5.0, http_retries=0, http_max_body_mb=1.0)
    with pytest.raises(FeedError, match="1,048,576-byte limit") as err:
        fetch_api_day(settings, DAY, tmp_path, backoff_s=0.01)
    assert ("not downloaded" if declared else "download stopped") in str(err.value)
    assert not (tmp_path / "2026-08-09.json").exists()


def test_connection_dropped_mid_body_is_unavailable(serve, tmp_path):
    # Content-Length promises more than is sent before the server closes: a truncated transfer.
    server, settings = serve((200, OK_BODY[:20], 0, {"Content-Length": str(len(OK_BODY)), "Connection": "close"}))
    with pytest.raises(SourceUnavailable, match="connection dropped|not complete"):
        fetch_api_day(settings, DAY, tmp_path, backoff_s=0.01)
    assert not (tmp_path / "2026-08-09.json").exists()


@pytest.mark.parametrize("status, body", [(200, b"[]"), (404, b'{"error": "not found"}')])
def test_day_without_papers_is_not_ready(serve, tmp_path, status, body):
    server, settings = serve((status, body, 0))
    with pytest.raises(SnapshotNotReady, match="2026-08-09"):
        fetch_api_day(settings, DAY, tmp_path, backoff_s=0.01)
    assert len(server.requests) == 1
    assert not (tmp_path / "2026-08-09.json").exists()


def test_client_error_is_not_retried(serve, tmp_path):
    server, settings = serve((403, b"forbidden", 0))
    with pytest.raises(FeedError, match="HTTP 403"):
        fetch_api_day(settings, DAY, tmp_path, backoff_s=0.01)
    assert len(server.requests) == 1


def test_refused_connection_is_retried_then_reported(tmp_path):
    server = ScriptedServer([(200, OK_BODY, 0)])
    url = server.url
    server.server.server_close()  # the port is now closed: connections are refused
    settings = Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path)}, source="http", api_url=url,
                                 http_timeout_s=1.0, http_retries=2)
    with pytest.raises(SourceUnavailable, match="cannot connect.*3 attempts"):
        fetch_api_day(settings, DAY, tmp_path, backoff_s=0.01)


def test_day_url_keeps_an_existing_query():
    assert day_url("http://h/api?limit=100", DAY) == "http://h/api?limit=100&date=2026-08-09"
    assert day_url("http://h/api", DAY) == "http://h/api?date=2026-08-09"


def test_the_daily_dags_fetch_waits_then_downloads_into_the_feed_dir(serve):
    from paperhouse.orchestration import fetch_if_ready

    server, settings = serve((200, b"[]", 0), (200, OK_BODY, 0))
    waiting = dt.datetime(2026, 8, 10, 9, 0, tzinfo=dt.timezone.utc)  # within the day's wait
    assert fetch_if_ready(settings, DAY, now=waiting) is None  # the sensor pokes again later
    path = fetch_if_ready(settings, DAY, now=waiting)
    assert path == str(settings.feed_dir / "2026-08-09.json")
    assert json.loads(Path(path).read_bytes()) == PAPERS


# ---- whole runs on the HTTP source -------------------------------------------------------------

def test_run_dates_start_at_the_newest_lake_day(settings, monkeypatch):
    from paperhouse import pipeline

    today = dt.date(2026, 8, 20)
    assert pipeline.http_run_dates(settings, today) == [dt.date(2026, 8, 19)]  # empty lake: yesterday
    monkeypatch.setattr(pipeline.lake, "partition_dates", lambda _lake: [dt.date(2026, 8, 9), dt.date(2026, 8, 16)])
    assert pipeline.http_run_dates(settings, today) == [dt.date(2026, 8, 16) + dt.timedelta(days=n) for n in range(4)]
    monkeypatch.setattr(pipeline.lake, "partition_dates", lambda _lake: [dt.date(2026, 1, 1)])
    assert len(pipeline.http_run_dates(settings, today)) == pipeline.HTTP_RUN_MAX_DAYS  # longer gaps: backfill


class DatedApi(ScriptedServer):
    """The API for any day: a made-up list whose ids carry the day; days in `broken` answer an HTML
    error page with status 200 (as a misconfigured proxy does)."""

    def __init__(self, broken: set[str]):
        super().__init__([])
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                day = self.path.rsplit("date=", 1)[-1]
                owner.requests.append(self.path)
                if day in broken:
                    body, kind = b"<html><body>Service temporarily unavailable</body></html>", "text/html"
                else:
                    items = json.loads(api_json())
                    for index, item in enumerate(items):  # ids of this day: every day's bytes differ
                        item["paper"]["id"] = f"{day[2:4]}{day[5:7]}.{int(day[8:]) * 10 + index:05d}"
                    body, kind = json.dumps(items).encode(), "application/json"
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server.RequestHandlerClass = Handler


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_paperhouse_run_and_backfill_fetch_from_the_api(tmp_path):
    import os
    import subprocess
    import sys

    yesterday = dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1)
    days = [yesterday - dt.timedelta(days=n) for n in (6, 5, 4)]
    with DatedApi(broken={days[1].isoformat()}) as api:
        env = {**os.environ, "PAPERHOUSE_HOME": str(tmp_path / "home"), "PAPERHOUSE_SOURCE": "http",
               "PAPERHOUSE_API_URL": api.url, "PAPERHOUSE_HTTP_RETRIES": "0", "PAPERHOUSE_HTTP_TIMEOUT_S": "5"}
        env.pop("PAPERHOUSE_FEED_DIR", None)
        paperhouse = [sys.executable, "-m", "paperhouse.cli"]
        run = subprocess.run([*paperhouse, "run"], env=env, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr[-2000:]
        assert api.requests == [f"/api/daily_papers?date={yesterday}"]

        backfill = subprocess.run([*paperhouse, "backfill", "--start", str(days[0]), "--end", str(days[2])],
                                  env=env, capture_output=True, text=True)
    # The broken middle day is reported; the days after it were still tried and published.
    assert backfill.returncode == 1
    assert f"fetch failed: {days[1]}: " in backfill.stderr and "not JSON" in backfill.stderr
    assert "Traceback" not in backfill.stderr
    assert api.requests[1:] == [f"/api/daily_papers?date={d}" for d in days]
    settings = Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path / "home")})
    assert sorted(p.name for p in settings.feed_dir.iterdir()) == sorted(f"{d}.json" for d in (days[0], days[2], yesterday))
    from paperhouse.warehouse import query

    _columns, rows = query(settings, "select strftime(snapshot_date, '%Y-%m-%d'), count(*) from fct_paper_appearances group by 1 order by 1")
    assert dict(rows) == {str(days[0]): 4, str(days[2]): 4, str(yesterday): 4}
