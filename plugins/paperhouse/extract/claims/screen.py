"""Skipping searches that cannot match: a pattern with the words every match must contain.

Most patterns of the later stages look for a phrase ending where a number starts ("reduces memory
by ", "at least "), in every lead of every number. Python's `re` tries such a pattern at every
position of the lead, which costs more than checking first that the lead holds one of the words
the pattern needs. `Screened` does that check, and gives exactly what the pattern gives. When
every match starts with one of the words ("by ", "when ... is "), it also tries the pattern only
where they start.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Iterator


# The last text lowered, with its lower case: a stage tests one lead against several patterns,
# and the number and sentence stages lower-case the same abstract.
# (One tuple, rebound at once, so threads never see a text with another text's lower case.)
_last_lowered = ("", "")


def lower(text: str) -> str:
    """`text.lower()`, computed once for the same text object asked again in a row."""
    global _last_lowered
    last = _last_lowered
    if last[0] is not text:
        last = _last_lowered = (text, text.lower())
    return last[1]


class Screened:
    """`pattern`, searched only in text holding one of `needs` (lower case; each match of the
    pattern must contain one of them, in any case). With `starts`, each match must start with one
    of them, and `search` tries the pattern at those places only. Text with non-ASCII characters
    is always searched in full: case-insensitive matching folds a few of them onto ASCII letters
    (the Kelvin sign matches "k")."""

    def __init__(self, pattern: re.Pattern, needs: tuple[str, ...], starts: bool = False):
        self.pattern = pattern
        self.needs = needs
        self.starts = starts

    def _may_match(self, text: str) -> bool:
        if not text.isascii():
            return True
        lowered = lower(text)
        for word in self.needs:  # (a plain loop: cheaper than any() over a generator)
            if word in lowered:
                return True
        return False

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match | None:
        if not self._may_match(text):
            return None
        if self.starts and text.isascii():
            return self._search_where_words_start(text, pos, endpos)
        return self.pattern.search(text, pos, endpos)

    def _search_where_words_start(self, text: str, pos: int, endpos: int) -> re.Match | None:
        """The leftmost match, as `search` finds it, trying only where one of `needs` starts."""
        lowered = lower(text)  # (lower-cased by `_may_match` just before)
        starts = set()
        for word in self.needs:
            at = lowered.find(word, pos, endpos)
            while at >= 0:
                starts.add(at)
                at = lowered.find(word, at + 1, endpos)
        for at in sorted(starts):
            found = self.pattern.match(text, at, endpos)
            if found:
                return found
        return None

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match | None:
        return self.pattern.match(text, pos, endpos) if self._may_match(text) else None

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match]:
        return self.pattern.finditer(text, pos, endpos) if self._may_match(text) else iter(())

    def sub(self, replacement: str, text: str, count: int = 0) -> str:
        return self.pattern.sub(replacement, text, count) if self._may_match(text) else text


def screened(regex: str, needs: tuple[str, ...], flags: int = 0) -> Screened:
    """`re.compile(regex, flags)`, screened by the words it needs."""
    return Screened(re.compile(regex, flags), needs)
