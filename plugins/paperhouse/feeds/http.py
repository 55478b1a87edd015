"""The Daily Papers API over HTTP: one GET per day, by urllib3 (connection pool, timeouts, Retry).

urllib3's Retry does the retrying: transient trouble (HTTP 429 and 5xx, timeouts, refused or
dropped connections) is retried at most ``settings.http_retries`` times with jittered exponential
backoff, honouring the server's ``Retry-After`` on 429 and 503 (capped, so a server cannot park a
task for hours); then it is a ``SourceUnavailable`` (the scheduler retries the task later).

Each attempt has one deadline, ``settings.http_timeout_s``, for everything: connecting, the headers
and the whole body, so a server that drips a byte at a time fails like one that hangs. A body above
``settings.http_max_body_mb`` is refused from its Content-Length or, without one, as soon as that
many bytes have streamed in; it is never read whole.

A day the API has nothing for yet (HTTP 404, or 200 with an empty list) raises ``SnapshotNotReady``
so the scheduler can wait and ask again. A body of the wrong shape (not JSON, an HTML error page,
not a list) is quarantined with its reason and raised as a ``FeedError``; it never reaches the
feed directory, where every later run would reject it again.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import time
import urllib.parse
from pathlib import Path

import urllib3
from urllib3.exceptions import HTTPError, MaxRetryError, NewConnectionError, ProtocolError, TimeoutError as Urllib3Timeout
from urllib3.util import Retry, Timeout

from paperhouse import __version__
from paperhouse.errors import FeedError, SnapshotNotReady, SourceUnavailable
from paperhouse.fsio import write_atomic
from paperhouse.settings import Settings

log = logging.getLogger(__name__)

USER_AGENT = f"paperhouse/{__version__}"
MAX_BACKOFF_S = 60.0
MAX_RETRY_AFTER_S = 120.0
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
CHUNK_BYTES = 64 * 1024


class _CappedRetry(Retry):
    """urllib3's Retry, with the server's Retry-After capped at MAX_RETRY_AFTER_S."""

    def get_retry_after(self, response):
        seconds = super().get_retry_after(response)
        return None if seconds is None else min(seconds, MAX_RETRY_AFTER_S)


def day_url(api_url: str, snapshot_date: dt.date) -> str:
    separator = "&" if urllib.parse.urlsplit(api_url).query else "?"
    return f"{api_url}{separator}date={snapshot_date.isoformat()}"


def _retry(retries: int, backoff_s: float) -> Retry:
    retries = max(retries, 0)
    return _CappedRetry(total=retries, connect=retries, read=retries, status=retries, other=0, redirect=3,
                        allowed_methods=frozenset({"GET"}), status_forcelist=RETRY_STATUSES,
                        backoff_factor=backoff_s, backoff_jitter=backoff_s, backoff_max=MAX_BACKOFF_S,
                        respect_retry_after_header=True, raise_on_status=False)


def _why(error: BaseException, timeout_s: float) -> str:
    if isinstance(error, MaxRetryError) and error.reason is not None:
        error = error.reason
    if isinstance(error, NewConnectionError):  # before timeouts: urllib3 makes it a ConnectTimeoutError
        return "cannot connect: connection refused or host unreachable"
    if isinstance(error, Urllib3Timeout):
        return f"timed out after {timeout_s:g} s"
    if isinstance(error, ProtocolError):
        return f"connection dropped: {error.args[0] if error.args else error}"
    return f"request failed: {type(error).__name__}"


def fetch_bytes(url: str, timeout_s: float, retries: int, backoff_s: float = 1.0,
                max_body_bytes: int = 50 * 1024 * 1024) -> bytes:
    """GET `url`: the body of a 200 answer, read within `timeout_s` and at most `max_body_bytes`."""
    attempts = max(retries, 0) + 1
    gave_up = f"gave up after {attempts} attempts"
    with urllib3.PoolManager(headers={"User-Agent": USER_AGENT, "Accept": "application/json"}) as pool:
        started = time.monotonic()
        try:
            response = pool.request("GET", url, retries=_retry(retries, backoff_s), preload_content=False,
                                    timeout=Timeout(total=timeout_s))
        except HTTPError as exc:
            raise SourceUnavailable(f"{url}: {_why(exc, timeout_s)} ({gave_up})") from None
        try:
            status = response.status
            if status == 404:
                raise SnapshotNotReady(f"{url}: HTTP 404, no snapshot published for this day yet")
            if status in RETRY_STATUSES:
                raise SourceUnavailable(f"{url}: HTTP {status} ({gave_up})")
            if status != 200:
                raise FeedError(url, f"HTTP {status} {response.reason or ''}".strip())
            return _read_body(url, response, timeout_s, max_body_bytes)
        finally:
            response.release_conn()


def _read_body(url: str, response, timeout_s: float, max_body_bytes: int) -> bytes:
    """The body, streamed under one deadline for the whole attempt and a size limit."""
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_body_bytes:
        raise FeedError(url, f"body of {int(declared):,} bytes is over the {max_body_bytes:,}-byte limit; not downloaded")
    deadline = time.monotonic() + timeout_s  # urllib3's Timeout(total) covered connect and headers
    chunks, size = [], 0
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise SourceUnavailable(f"{url}: body not complete within the {timeout_s:g} s deadline "
                                        f"({size:,} bytes in; a slow or stalled server)")
            sock = getattr(getattr(response, "connection", None), "sock", None)
            if sock is not None:
                sock.settimeout(remaining)  # no single read may outlast the deadline
            chunk = response.read1(CHUNK_BYTES)
            if not chunk:
                break
            size += len(chunk)
            if size > max_body_bytes:
                raise FeedError(url, f"body over the {max_body_bytes:,}-byte limit; download stopped")
            chunks.append(chunk)
    except (Urllib3Timeout, TimeoutError):
        raise SourceUnavailable(f"{url}: body not complete within the {timeout_s:g} s deadline "
                                f"({size:,} bytes in; a slow or stalled server)") from None
    except (ProtocolError, ConnectionError, HTTPError) as exc:
        raise SourceUnavailable(f"{url}: {_why(exc, timeout_s)} after {size:,} bytes") from None
    return b"".join(chunks)


def _check_body(url: str, body: bytes, snapshot_date: dt.date) -> None:
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise FeedError(url, f"malformed body: not JSON ({len(body)} bytes starting {body[:40]!r})") from None
    if not isinstance(document, list):
        raise FeedError(url, f"malformed body: expected a JSON list of papers, got {type(document).__name__}")
    if not document:
        raise SnapshotNotReady(f"{url}: the API lists no papers for {snapshot_date.isoformat()} yet")


def fetch_api_day(settings: Settings, snapshot_date: dt.date, dest_dir: Path, *, backoff_s: float = 1.0) -> Path:
    """Download the day's API JSON to ``dest_dir/YYYY-MM-DD.json`` (atomically) and return that
    path. A body of the wrong shape goes to quarantine (stage ``fetch``) instead."""
    url = day_url(settings.api_url, snapshot_date)
    body = fetch_bytes(url, settings.http_timeout_s, settings.http_retries, backoff_s,
                       max_body_bytes=int(settings.http_max_body_mb * 1024 * 1024))
    try:
        _check_body(url, body, snapshot_date)
    except FeedError as exc:
        from paperhouse import landing

        kept = landing.quarantine(settings, body, "json", {
            "original_path": url, "snapshot_date": snapshot_date, "stage": "fetch", "reason": exc.reason})
        raise FeedError(url, f"{exc.reason}; quarantined as {kept.name}") from None
    dest = Path(dest_dir) / f"{snapshot_date.isoformat()}.json"
    write_atomic(dest, body)
    return dest
