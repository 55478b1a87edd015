"""The Daily Papers text page, in its two layouts.

- blank_separated: header lines, then title, blank, abstract, blank, ...
- line_per_field: no blank lines; the first title is glued to "Subscribe" in the header.

After the header the page is a strict alternation of title and abstract lines. Every pair is
checked: a title slot must hold a title and an abstract slot prose. A page with a missing line
shifts every later pair, which this check catches, so a title is never paired with the wrong
abstract: when in doubt the page is rejected, naming the line.
"""
from __future__ import annotations

import re
from pathlib import Path

from paperhouse.errors import FeedError
from paperhouse.feeds.model import ParsedFeed

_HEADER_LINES = {
    "new",
    "subscribe",
    "daily papers",
    "get trending papers in your email inbox!",
    "get trending papers in your email inbox once a day!",
    "byak and the research community",
    "by ak and the research community",
}
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_DAY_LINE = re.compile(rf"^(?:{_MONTHS})[a-z]*\.? \d{{1,2}}(?:,? \d{{4}})?$", re.IGNORECASE)
_SUBSCRIBE_PREFIX = "Subscribe"
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*(?:\s|$)")

MAX_TITLE_CHARS = 400
MIN_ABSTRACT_CHARS = 100


def _is_header(line: str) -> bool:
    folded = " ".join(line.split()).lower()
    return folded in _HEADER_LINES or bool(_DAY_LINE.match(folded))


def _looks_like_prose(text: str) -> bool:
    """An abstract: long enough and made of sentences."""
    return len(text) >= 250 or (len(text) >= MIN_ABSTRACT_CHARS and len(_SENTENCE_END.findall(text)) >= 2)


def _looks_like_title(text: str) -> bool:
    """A title: one line of at most a few hundred characters, not several sentences
    (though "Why X? A study of Y" has two)."""
    return len(text) <= MAX_TITLE_CHARS and len(_SENTENCE_END.findall(text)) <= 2


def parse_page(text: str, path: Path | str) -> ParsedFeed:
    numbered = [(number, line.strip()) for number, line in enumerate(text.split("\n"), start=1)]
    has_blank_lines = False
    in_page_date = None
    body: list[tuple[int, str]] = []
    in_header = True
    blank_since_last = False
    for number, line in numbered:
        if not line:
            blank_since_last = bool(body)
            continue
        # Only a blank line between two body lines marks the layout (not a trailing newline).
        has_blank_lines = has_blank_lines or blank_since_last
        blank_since_last = False
        if in_header:
            if _is_header(line):
                if _DAY_LINE.match(" ".join(line.split())):
                    in_page_date = line
                continue
            if line.startswith(_SUBSCRIBE_PREFIX) and len(line) > len(_SUBSCRIBE_PREFIX):
                # line_per_field pages glue the first title to the Subscribe button's label.
                line = line[len(_SUBSCRIBE_PREFIX):].strip()
            in_header = False
        body.append((number, line))

    if not body:
        raise FeedError(path, "page has no entries (only header lines)")
    layout = "blank_separated" if has_blank_lines else "line_per_field"
    if has_blank_lines:
        _check_blank_separation(numbered, body, path)

    entries = []
    for index in range(0, len(body), 2):
        title_line, title = body[index]
        if index + 1 >= len(body):
            raise FeedError(path, f"truncated page: title {title[:60]!r} has no abstract", title_line)
        abstract_line, abstract = body[index + 1]
        if not _looks_like_title(title):
            raise FeedError(path, f"misaligned page: expected a title, found prose ({title[:60]!r}...)", title_line)
        if not _looks_like_prose(abstract) or len(abstract) <= len(title):
            raise FeedError(path, f"misaligned page: expected the abstract of {title[:60]!r}, found {abstract[:60]!r}", abstract_line)
        entries.append({"position": len(entries) + 1, "title": " ".join(title.split()), "abstract": abstract})
    return ParsedFeed(format="page", layout=layout, entries=entries, in_page_date=in_page_date)


def _check_blank_separation(numbered: list[tuple[int, str]], body: list[tuple[int, str]], path: Path | str) -> None:
    """In the blank-separated layout every field stands alone: two text lines in a row mean a
    paragraph break inside an abstract or a damaged page, which would shift the pairing."""
    first = body[0][0]
    previous_blank = True
    for number, line in numbered[first - 1:]:
        if line and not previous_blank and number != first:
            raise FeedError(path, "blank-separated page has two text lines in a row (a split or damaged entry)", number)
        previous_blank = not line
