"""feeds/http.py against a real HTTP server on 127.0.0.1 that plays scripted responses."""
from __future__ import annotations

import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

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
    """Serves `script` in order, one (status, body, delay_s) per request; the last entry repeats."""

    def __init__(self, script: list[tuple[int, bytes, float]]):
        self.script = script
        self.requests: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                owner.requests.append(self.path)
                status, body, delay_s = owner.script[min(len(owner.requests), len(owner.script)) - 1]
                time.sleep(delay_s)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

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
    (b"<html>maintenance</html>", "not JSON"),
    (b'{"error": "rate limited"}', "expected a JSON list of papers, got dict"),
])
def test_malformed_body_is_a_one_line_feed_error_naming_the_url(serve, tmp_path, body, reason):
    server, settings = serve((200, body, 0))
    with pytest.raises(FeedError) as err:
        fetch_api_day(settings, DAY, tmp_path, backoff_s=0.01)
    message = str(err.value)
    assert message.startswith(day_url(server.url, DAY) + ": ") and reason in message and "\n" not in message
    assert len(server.requests) == 1  # a bad body is not retried
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
    assert fetch_if_ready(settings, DAY) is None  # the sensor pokes again later
    path = fetch_if_ready(settings, DAY)
    assert path == str(settings.feed_dir / "2026-08-09.json")
    assert json.loads(Path(path).read_bytes()) == PAPERS
