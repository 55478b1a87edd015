"""The screen in front of costly patterns (`claims.screen.Screened`) never changes what they find."""
from __future__ import annotations

import re

import pytest

from paperhouse.extract.claims.screen import Screened

BY_BEFORE = re.compile(r"\bby\s+(?:an?\s+)?$", re.IGNORECASE)
SCREENED = Screened(BY_BEFORE, needs=("by",))


@pytest.mark.parametrize("text", [
    "reduces the memory footprint by ",       # holds the word: searched
    "Reduces the memory footprint BY an ",    # any case
    "reduces the memory footprint of ",       # no "by": not searched, nothing found
    "",
])
def test_screened_search_finds_what_the_pattern_finds(text):
    found, expected = SCREENED.search(text), BY_BEFORE.search(text)
    assert (found and found.span()) == (expected and expected.span())
    assert [m.span() for m in SCREENED.finditer(text)] == [m.span() for m in BY_BEFORE.finditer(text)]
    assert SCREENED.sub("", text) == BY_BEFORE.sub("", text)


def test_text_without_the_needed_words_is_returned_unchanged_by_sub():
    text = "improves accuracy on the benchmark "
    assert SCREENED.sub("", text) is text


def test_non_ascii_text_is_always_searched():
    # Case-insensitive matching folds the Kelvin sign onto "k": a screen of lower-cased ASCII words
    # would miss it, so text with non-ASCII characters goes to the pattern.
    kelvin = Screened(re.compile(r"\bkappa\b", re.IGNORECASE), needs=("kappa",))
    assert kelvin.search("a \u212aappa of 0.8").span() == (2, 7)
    assert kelvin.search("a Kappa of 0.8").span() == (2, 7)
    assert kelvin.search("an alpha of 0.8") is None


def test_search_window_is_the_patterns():
    text = "cut by half, then by "
    assert SCREENED.search(text, 0, 7).span() == BY_BEFORE.search(text, 0, 7).span() == (4, 7)  # window end
    assert SCREENED.search(text, 10).span() == BY_BEFORE.search(text, 10).span() == (18, 21)
    assert SCREENED.search(text, 0, 4) is None and BY_BEFORE.search(text, 0, 4) is None


@pytest.mark.parametrize("text", [
    "we cut latency by ",
    "by far the best, and the cost drops by an ",
    "Standby mode cuts power by  ",          # "by" inside a word is not where a match starts
    "reduces it BY\t",
    "no such word here ",
    "by",
])
def test_search_where_the_words_start_finds_what_the_pattern_finds(text):
    starting = Screened(BY_BEFORE, needs=("by",), starts=True)
    for pos in range(len(text) + 1):
        found, expected = starting.search(text, pos), BY_BEFORE.search(text, pos)
        assert (found and found.span()) == (expected and expected.span()), pos
