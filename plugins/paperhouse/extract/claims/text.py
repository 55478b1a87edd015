"""The abstract as sentences, clauses and words: the positions every other stage reads from.

Sentences end at ". " before a capital or digit (not after "e.g", "vs", "Fig" and the like);
clauses end at ";" and before "while", "whereas", "but", "although", ", which".
"""
from __future__ import annotations

import bisect
import re
from itertools import islice

from .screen import lower

# Clause boundaries, searched in the lower-cased text.
_CLAUSE_BREAK = re.compile(r";|,?\s+(?:while|whereas|but|although|though)\s|,\s+which\s")

_CLAUSE_WORDS = (";", "while", "whereas", "but", "though", "which")

_CONTRAST_OPENING = re.compile(r"\s*(?:while|whereas|although|though|unlike)\b")

# One pattern per end mark: a pattern starting with a literal character is scanned for much
# faster than one starting with a class ("[.!?]"), and "!" and "?" are rare.
_SENTENCE_ENDS = {mark: re.compile(re.escape(mark) + r"(?=\s+[\"'(\[]?[A-Z0-9])") for mark in ".!?"}

_ABBREVIATIONS = frozenset({"e.g", "i.e", "vs", "al", "fig", "figs", "eq", "eqs", "approx", "cf", "resp", "no",
                            "sec", "ref", "refs", "tab", "dr", "mr", "ms", "st", "vol", "pp", "ca"})

STOP_WORDS = frozenset({
    "on", "in", "for", "over", "than", "across", "compared", "with", "when", "while", "at", "to", "of", "and",
    "or", "from", "by", "during", "which", "that", "as", "respectively", "without", "against",
    "under", "among", "between", "within", "via", "after", "before", "using", "where", "whereas", "but",
    "vs", "versus",
})

# Words that never name a metric on their own ("a 31% relative reduction").
DETERMINERS = frozenset({"the", "a", "an", "its", "their", "our", "this", "these", "those", "both", "all",
                          "relative", "absolute", "additional", "only", "just", "merely", "mere"})

_WORD_RE = re.compile(r"[A-Za-z][\w@\-+'.]*[\w+]|[A-Za-z]|[(),;:]|\d[\d.,]*")


def _sentence_ends(abstract: str) -> list[int]:
    """Where sentences may end (after the mark), in order."""
    ends = [m.end() for mark, pattern in _SENTENCE_ENDS.items() if mark in abstract for m in pattern.finditer(abstract)]
    ends.sort()
    return ends


class Text:
    """The abstract with its sentences, and per-sentence facts computed on demand (most abstracts
    need them for two or three sentences only)."""

    def __init__(self, abstract: str):
        self.abstract = abstract
        self.lowered = lower(abstract)  # (the number stage has just lower-cased it)
        starts = [0]
        for end in _sentence_ends(abstract):
            word = abstract[abstract.rfind(" ", 0, end - 1) + 1:end - 1].lstrip("(\"'").lower()
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
            starts.append(end)
        self.starts = starts
        self.ends = starts[1:] + [len(abstract)]
        self._clause_breaks: dict[int, list[tuple[int, int]]] = {}
        # Facts about who the sentences speak of, filled on demand by `roles`.
        self.self_sentences: dict[int, bool] = {}
        self.background_sentences: dict[int, bool] = {}
        self.first_self_sentence: int | None = None
        self.work_names: list[str] | None = None
        self.benchmark_paper: bool | None = None
        # Facts about whose systems a sentence reports on, filled on demand by `subjects`.
        self.analysis_paper: bool | None = None
        self.subject_slots: dict[int, list[int]] = {}                 # sentence -> where its subjects start
        self.others_subjects: dict[int, tuple[int, int] | None] = {}  # subject start -> its span, if others' systems
        # Whether two groups share their context, by (end of the first, start of the second): `phrases`.
        self.coordination: dict[tuple[int, int], tuple[bool, bool]] = {}

    def sentence_of(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos) - 1

    def _breaks(self, index: int) -> list[tuple[int, int]]:
        breaks = self._clause_breaks.get(index)
        if breaks is None:
            start, end = self.starts[index], self.ends[index]
            sentence = self.lowered[start:end]
            breaks = [m.span() for m in _CLAUSE_BREAK.finditer(self.lowered, start, end)] \
                if any(word in sentence for word in _CLAUSE_WORDS) else []
            # A sentence opening with a contrast ("While X degrade by 15%, ours ...", "Unlike X, ...")
            # and a relative clause (", which lose 10% ..., ours") end at their comma.
            opened = _CONTRAST_OPENING.match(sentence)
            ends = [start + opened.end()] if opened else []
            ends += [b_end for _, b_end in breaks if "which" in self.lowered[_:b_end]]
            for at in ends:
                comma = self.lowered.find(", ", at, end)
                if comma >= 0:
                    breaks.append((comma, comma + 2))
            breaks.sort()
            self._clause_breaks[index] = breaks
        return breaks

    def clause_start(self, pos: int) -> int:
        index = self.sentence_of(pos)
        start = self.starts[index]
        for _, end in self._breaks(index):
            if end <= pos:
                start = end
        return start

    def clause_end(self, pos: int) -> int:
        index = self.sentence_of(pos)
        for start, _ in self._breaks(index):
            if start >= pos:
                return start
        return self.ends[index]


def split_words(text: str, limit: int) -> list[str]:
    """The first `limit` words (and brackets, commas, numbers) of `text`; the rest is not read."""
    return [m.group(0) for m in islice(_WORD_RE.finditer(text), limit)]


def phrase_after(text: str, limit: int = 4) -> list[str]:
    """The words right after a number, up to punctuation or a preposition."""
    phrase = []
    words = split_words(text, limit + 2)
    for i, word in enumerate(words):
        if word in "(),;:" or word.lower() in STOP_WORDS or word[0].isdigit():
            break
        if word.lower() == "relative" and words[i + 1:i + 2] == ["to"]:
            break  # "relative to the baseline" (but "a 31% relative reduction" goes on)
        phrase.append(word)
        if len(phrase) == limit:
            break
    return phrase


def lower_same_length(text: str) -> str:
    """`text` lower-cased, keeping offsets (the rare characters whose lower case is longer stay)."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text
