"""What every feed parser returns: the entries of one snapshot, ready for the lake's `entries` table."""
from __future__ import annotations

from dataclasses import dataclass, field

PARSER_VERSION = "1.1.0"  # bump when parsing changes what lands in the lake


@dataclass
class ParsedFeed:
    format: str                     # "page" | "api"
    layout: str                     # "blank_separated" | "line_per_field" | "api_json"
    entries: list[dict] = field(default_factory=list)  # lake.ENTRIES columns, minus snapshot_id
    in_page_date: str | None = None  # the day line a page prints ("Aug 13"), if any
