"""Text from the feed made safe to show or hand on: titles and abstracts are written by strangers.

On a terminal, escape sequences (colours, cursor moves, window titles) and other control
characters are removed; rich markup is never interpreted (callers wrap cells in `rich.text.Text`).
In a CSV, a cell that starts with = + - @ (or a tab or carriage return) would be a formula in a
spreadsheet, so it gets a leading apostrophe, the usual neutraliser.
"""
from __future__ import annotations

import re

# ESC [ ... final byte (CSI), ESC ] ... BEL/ST (OSC), other two-byte ESC sequences, then any
# remaining C0/C1 control character except tab and newline.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?|\x9b[0-?]*[ -/]*[@-~]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# The same two steps in DuckDB SQL (RE2 reads the \x escapes), for exports written by COPY.
SQL_ESCAPES = r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)?|\x1b[@-_]?|\x{9b}[0-?]*[ -/]*[@-~]"
SQL_CONTROLS = r"[\x00-\x08\x0b-\x1f\x7f-\x{9f}]"


def terminal_safe(value: object) -> str:
    """str(value) without escape sequences or control characters (tab and newline stay)."""
    return _CONTROLS.sub("", _ESCAPES.sub("", str(value)))


def csv_safe(value: object) -> object:
    """A CSV cell: text made terminal-safe and kept from starting a formula; other types unchanged."""
    if not isinstance(value, str):
        return value
    text = terminal_safe(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


SQL_FORMULA_START = r"^[=+\-@\t\r]"
# Only a cell holding a control character (every escape sequence starts with one, ESC or CSI) or
# starting a formula changes; one scan tells, so a clean cell (nearly all) costs one regexp test.
SQL_NEEDS_CHANGE = f"{SQL_FORMULA_START}|{SQL_CONTROLS}"


def sql_csv_safe(column_sql: str) -> str:
    """The DuckDB expression doing `csv_safe` to a VARCHAR column expression."""
    cleaned = f"regexp_replace(regexp_replace({column_sql}, '{SQL_ESCAPES}', '', 'g'), '{SQL_CONTROLS}', '', 'g')"
    made_safe = f"(CASE WHEN regexp_matches({cleaned}, '{SQL_FORMULA_START}') THEN '''' || {cleaned} ELSE {cleaned} END)"
    return f"(CASE WHEN regexp_matches({column_sql}, '{SQL_NEEDS_CHANGE}') THEN {made_safe} ELSE {column_sql} END)"
