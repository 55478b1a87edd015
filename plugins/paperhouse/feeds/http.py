"""The Daily Papers API over HTTP: one GET per day, with timeouts, bounded retries and backoff.

Transient trouble (HTTP 5xx or 429, timeouts, refused or dropped connections) is retried with
exponential backoff, at most ``settings.http_retries`` times after the first attempt, then raised
as ``SourceUnavailable`` (the scheduler retries the task later). A day the API has nothing for yet
(HTTP 404, or 200 with an empty list) raises ``SnapshotNotReady`` so the scheduler can wait and
ask again; a body that is not a JSON list, or another 4xx, is a ``FeedError`` naming the URL.
"""
from __future__ import annotations

import datetime as dt
import http.client
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from paperhouse import __version__
from paperhouse.errors import FeedError, SnapshotNotReady, SourceUnavailable
from paperhouse.fsio import write_atomic
from paperhouse.settings import Settings

log = logging.getLogger(__name__)

USER_AGENT = f"paperhouse/{__version__}"
MAX_BACKOFF_S = 60.0


class _Transient(Exception):
    """A failure worth another attempt; str() says what happened."""


def day_url(api_url: str, snapshot_date: dt.date) -> str:
    separator = "&" if urllib.parse.urlsplit(api_url).query else "?"
    return f"{api_url}{separator}date={snapshot_date.isoformat()}"


def _get_once(url: str, timeout_s: float) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            raise SnapshotNotReady(f"{url}: HTTP 404, no snapshot published for this day yet") from None
        if exc.code >= 500 or exc.code == 429:
            raise _Transient(f"HTTP {exc.code}") from None
        raise FeedError(url, f"HTTP {exc.code} {exc.reason}") from None
    except TimeoutError:
        raise _Transient(f"timed out after {timeout_s:g} s") from None
    except urllib.error.URLError as exc:
        # urlopen wraps connect-time failures (refused, DNS, connect timeout) in URLError.
        raise _Transient(f"cannot connect: {exc.reason}") from None
    except (ConnectionError, http.client.HTTPException) as exc:
        raise _Transient(f"connection failed while reading: {exc!r}") from None


def fetch_bytes(url: str, timeout_s: float, retries: int, backoff_s: float = 1.0) -> bytes:
    """GET `url`, retrying transient failures `retries` times with exponential backoff."""
    attempts = max(retries, 0) + 1
    for attempt in range(1, attempts + 1):
        try:
            return _get_once(url, timeout_s)
        except _Transient as exc:
            failure = exc
        if attempt < attempts:
            delay = min(backoff_s * 2 ** (attempt - 1), MAX_BACKOFF_S)
            log.warning("%s: %s; retrying in %.1f s (attempt %d of %d)", url, failure, delay, attempt + 1, attempts)
            time.sleep(delay)
    raise SourceUnavailable(f"{url}: {failure} (gave up after {attempts} attempts)")


def _check_body(url: str, body: bytes, snapshot_date: dt.date) -> None:
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise FeedError(url, f"malformed body: not JSON ({len(body)} bytes starting {body[:40]!r})") from None
    if not isinstance(document, list):
        raise FeedError(url, f"malformed body: expected a JSON list of papers, got {type(document).__name__}")
    if not document:
        raise SnapshotNotReady(f"{url}: the API lists no papers for {snapshot_date.isoformat()} yet")


def fetch_api_day(settings: Settings, snapshot_date: dt.date, dest_dir: Path, *, backoff_s: float = 1.0) -> Path:
    """Download the day's API JSON to ``dest_dir/YYYY-MM-DD.json`` (atomically) and return that path."""
    url = day_url(settings.api_url, snapshot_date)
    body = fetch_bytes(url, settings.http_timeout_s, settings.http_retries, backoff_s)
    _check_body(url, body, snapshot_date)
    dest = Path(dest_dir) / f"{snapshot_date.isoformat()}.json"
    write_atomic(dest, body)
    return dest
