"""Stage 5: qualifiers (up_to, more_than, at_least, at_most, about, average).

A qualifier written right before a number is its own ("up to 3x", "~40%", "under 2%"); "average"
may also follow the number or name the metric ("average accuracy by 4%"). Over a coordinated list
a qualifier written once before it covers every item that has no words of its own, and one that
closes a clause ("... by 2.6% on average") covers the clause; where a number has two, the one
nearest to it wins.
"""
from __future__ import annotations

import re

from .screen import Screened
from .phrases import Candidate, Group, coordinated
from .text import Text, lower_same_length

_QUALIFIER_BEFORE = Screened(re.compile(
    r"(?:\b(?P<word>up\s+to|more\s+than|over|above|exceeding|upwards\s+of|greater\s+than|in\s+excess\s+of"
    r"|at\s+least|no\s+less\s+than|at\s+most|no\s+more\s+than|less\s+than|fewer\s+than|below|under"
    r"|about|approximately|approx\.|nearly|almost|around|roughly|close\s+to"
    r"|on\s+an?\s+average\s+of|on\s+average|an?\s+average\s+of|an?\s+average|average\s+of|averaging|average)"
    r"|(?P<symbol>&[lg]t;|[<>]=|[~≈∼<>≤≥]))\s*(?:(?:a|an)\s+)?$"),
    needs=("up", "more", "over", "above", "exceed", "greater", "excess", "least", "less", "most", "fewer", "below",
           "under", "about", "approx", "nearly", "around", "roughly", "close", "averag", "&", "<", ">", "~"))

_QUALIFIER_WORDS = {
    "up to": "up_to", "more than": "more_than", "over": "more_than", "above": "more_than",
    "exceeding": "more_than", "upwards of": "more_than", "greater than": "more_than",
    "in excess of": "more_than", "at least": "at_least", "no less than": "at_least",
    "at most": "at_most", "no more than": "at_most", "less than": "at_most", "fewer than": "at_most",
    "below": "at_most", "under": "at_most", "about": "about", "approximately": "about", "approx.": "about",
    "nearly": "about", "almost": "about", "around": "about", "roughly": "about", "close to": "about",
}

_QUALIFIER_SYMBOLS = {"~": "about", "≈": "about", "∼": "about", "<": "at_most", "≤": "at_most",
                      "<=": "at_most", "&lt;": "at_most", ">": "more_than", "&gt;": "more_than",
                      ">=": "at_least", "≥": "at_least"}

_AVERAGE_AFTER = re.compile(
    r"^\s*(?:average\b|\)?\s*(?:[\w@\-]+\s+){0,3}?(?:(?:on|in)\s+average|averaged)\b)", re.IGNORECASE)

# A number not glued to a word or a version: the digit comes first and the look-behind second, so
# `re` skips to digits fast instead of testing the look-behind at every character.
_NUMBER_IN_TEXT = re.compile(r"\d(?<![\w@.\-]\d)[\d.,]*(?:\s*(?:%|\\%|x|×|points?))?")

_AVERAGING_OPENER = re.compile(r"\s*(?:on|across|over|in|averaged|averaging|when\s+averaged)\b", re.IGNORECASE)

_AVERAGE_CLOSING = Screened(re.compile(r"\b(?:on|in)\s+average\s*(?:[.,;)]|$)", re.IGNORECASE),
    needs=("average",))

_THE_AVERAGE_AFTER = re.compile(r"\s*the\s+(?:average|mean)\b", re.IGNORECASE)

_AVERAGE_WORD = Screened(re.compile(r"\b(?:average|averaged|averaging|avg)\b", re.IGNORECASE),
    needs=("averag", "avg"))


def average_qualifier(text: Text, group: Group) -> None:
    """"improving average accuracy by 4.4%", "by 1.2% on average": the number is an average."""
    abstract = text.abstract
    # Every reading below needs one of these words in the sentence (most sentences have none).
    # (In ASCII text, where case-insensitive matching is plain lower-casing.)
    start, end = text.starts[group.sentence], max(text.ends[group.sentence], text.clause_end(group.end))
    if abstract.isascii() and all(text.lowered.find(word, start, end) < 0 for word in ("averag", "avg", "mean")):
        return
    after = abstract[group.end:min(group.end + 50, text.ends[group.sentence])]
    lead = abstract[text.clause_start(group.start):group.start]
    # An "average" before an earlier number belongs to that number: "71.4 on average, 2.3 points above".
    numbers_in_lead = list(_NUMBER_IN_TEXT.finditer(lead))
    if numbers_in_lead:
        lead = lead[numbers_in_lead[-1].end():]
        own = _AVERAGE_AFTER.match(lead) or _AVERAGE_CLOSING.search(lead)
        if own:
            lead = lead[own.end():]
    # "on average" closing the phrase before the next number is this number's too:
    # "4.5 points better than full fine-tuning on average."
    rest_of_clause = abstract[group.end:text.clause_end(group.end)]
    next_number = _NUMBER_IN_TEXT.search(rest_of_clause)
    written_after = bool(_AVERAGE_AFTER.match(after)) or bool(
        _AVERAGE_CLOSING.search(rest_of_clause[:next_number.start() if next_number else None]))
    # A multiplier of an averaged metric is an average: "1.5x the average recall of the baseline".
    of_average = group.members[-1].unit == "x" and bool(_THE_AVERAGE_AFTER.match(after))
    # An opening phrase that averages scopes over its sentence: "Averaged over 9 tasks, ours gains 3%".
    opening = abstract[text.starts[group.sentence]:group.start].split(",", 1)
    averaged_sentence = len(opening) == 2 and bool(_AVERAGING_OPENER.match(opening[0])) \
        and bool(_AVERAGE_WORD.search(opening[0])) and not _NUMBER_IN_TEXT.search(opening[0].split("over")[0])
    if written_after or of_average or averaged_sentence or _AVERAGE_WORD.search(" ".join(lead.split()[-6:])):
        for member in group.members:
            if member.qualifier is None:
                member.qualifier, member.qualifier_after = "average", written_after


def attach_written_qualifiers(text: Text, cands: list[Candidate]) -> None:
    """A qualifier written right before a number ("up to 3x", "~40%", "less than 2 points") is its
    own; the claim's text then starts at the qualifier."""
    abstract = text.abstract
    for cand in cands:
        lead = lower_same_length(abstract[max(0, cand.start - 30):cand.start])
        m = _QUALIFIER_BEFORE.search(lead)
        if m:
            cand.start -= len(lead) - m.start()
            if m.group("word"):
                word = " ".join(m.group("word").lower().split())
                cand.qualifier = _QUALIFIER_WORDS.get(word, "average")
            else:
                cand.qualifier = _QUALIFIER_SYMBOLS[m.group("symbol")]


def share_qualifier_over_list(text: Text, groups: list[Group]) -> None:
    """A qualifier written once before a coordinated list applies to every later number of the
    list that has no words of its own before it ("up to 3x fewer A and 30% fewer B"); an item that
    repeats its own preposition or verb starts a new phrase ("by up to 8% and B by 6%")."""
    for earlier, later in zip(groups, groups[1:]):
        if earlier.sentence != later.sentence:
            continue
        shares, bare = coordinated(text, earlier, later)
        # (a qualifier written after the earlier number is its own: "71.4 on average, 2.3 points above")
        if shares and bare and earlier.members[0].qualifier and not earlier.members[0].qualifier_after:
            for member in later.members:
                member.qualifier = member.qualifier or earlier.members[0].qualifier
    # A qualifier that closes a clause ("A by 2.5% and B by 1.8% on average") covers every number
    # of the clause before it that has none of its own: read the list backwards.
    for earlier, later in zip(reversed(groups[:-1]), reversed(groups[1:])):
        closing = later.members[-1]
        if earlier.sentence != later.sentence or not (closing.qualifier_after and closing.qualifier):
            continue
        if text.clause_start(earlier.start) != text.clause_start(later.start) or not coordinated(text, earlier, later)[0]:
            continue
        for member in earlier.members:
            if member.qualifier is None:
                member.qualifier, member.qualifier_after = closing.qualifier, True
