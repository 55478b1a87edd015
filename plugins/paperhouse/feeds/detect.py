"""Decode a feed file's bytes and tell its format from the content, never from the extension."""
from __future__ import annotations

import re
from pathlib import Path

from paperhouse.errors import FeedError

FORMATS = ("page", "api")
# Any C0 control character but tab and newline (CR is folded to LF before the search); one regex
# search instead of a Python loop over the first 64 KiB of every file.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f]")


def decode_feed_bytes(data: bytes, path: Path | str) -> str:
    """Bytes -> text with a UTF-8 BOM removed and CRLF/CR folded to LF; rejects what is not text."""
    if not data.strip():
        raise FeedError(path, "empty file")
    if b"\x00" in data[:65536]:
        raise FeedError(path, "binary file (NUL bytes), not a feed snapshot")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FeedError(path, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})", line) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Control characters other than tab/newline mean a binary or corrupted file, not a page.
    found = _CONTROL_CHARACTER.search(text, 0, 65536)
    if found is not None:
        index = found.start()
        raise FeedError(path, f"binary content (control character U+{ord(text[index]):04X})", text[:index].count("\n") + 1)
    return text


def detect_format(text: str) -> str:
    """'api' for a JSON document, 'page' for a text page."""
    head = text.lstrip()[:1]
    return "api" if head in ("[", "{") else "page"
