"""Feed formats: detect, decode and parse a snapshot file into entries."""
from __future__ import annotations

from pathlib import Path

from paperhouse.errors import FeedError
from paperhouse.feeds.api import parse_api
from paperhouse.feeds.detect import FORMATS, decode_feed_bytes, detect_format
from paperhouse.feeds.model import PARSER_VERSION, ParsedFeed
from paperhouse.feeds.page import parse_page

__all__ = ["PARSER_VERSION", "ParsedFeed", "parse_bytes", "parse_file", "FeedError"]


def parse_bytes(data: bytes, path: Path | str, format: str = "auto") -> ParsedFeed:
    """Parse one snapshot's bytes; `path` only names the file in errors."""
    text = decode_feed_bytes(data, path)
    detected = detect_format(text)
    if format == "auto":
        format = detected
    elif format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; expected auto, page or api")
    elif format != detected:
        raise FeedError(path, f"expected a {format} snapshot but the content is {detected}")
    return parse_api(text, path) if format == "api" else parse_page(text, path)


def parse_file(path: Path | str, format: str = "auto") -> ParsedFeed:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FeedError(path, f"cannot read: {exc.strerror}") from None
    return parse_bytes(data, path, format)
