"""Stage 2: the phrase around each number.

Numbers that cannot be claims are left here (a size with another unit, a count followed by its
noun, a p-value); ranges are joined ("12-18%", "between 3 and 5%"); "from A to B" and "A vs. B"
pairs are marked (the baseline side is left later); lists share their trailing unit ("by 3.3 and
2.5 points"); and a plain number becomes a metric's value only when bound to one ("BLEU of 41.0").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .screen import Screened
from .cues import CUE_RE, last_cue
from .metrics import metric_before
from .numbers import SCORE_METRIC_PATTERN, Number
from .text import STOP_WORDS, Text
from .vocabulary import ACHIEVE_BEFORE, BY_BEFORE, BY_WORD, COORDINATION_BREAK, SCORE_METRIC_ANYWHERE, SOFTENERS_AT_END

_SPEEDUP_OF = Screened(re.compile(r"\b(?:speed-?ups?|acceleration)\s+(?:of\s+)?(?:(?:up\s+to|about|over|nearly)\s+)?$",
                         re.IGNORECASE),
    needs=("speed", "acceleration"), starts=True)

_FROM_BEFORE = re.compile(r"\bfrom\s*$", re.IGNORECASE)

_TO_BEFORE = re.compile(r"\bto\s*$", re.IGNORECASE)

_VERSUS_BEFORE = re.compile(r"\b(?:vs\.?|versus)\s*(?:[\w\-.]+\s*)?\(?\s*$", re.IGNORECASE)

_METRIC_AFTER_PAIR = re.compile(r"\s*\)?\s*(?:(?i:average|overall|mean)\s+)?(" + SCORE_METRIC_PATTERN + r")(?![\w@])")

_P_VALUE_BEFORE = re.compile(r"\b[pP]\s*(?:<|=|≤|<=|&lt;)\s*$")

_NEXT_WORD = re.compile(r"\s+([A-Za-z]+)")

_ACHIEVED_VALUE_END = re.compile(r"\s*(?:on|in|[,.;)])")

_RANGE_GAP = re.compile(r"^\s*(?:-{1,2}|–|—|to|~)\s*$", re.IGNORECASE)

_BETWEEN_BEFORE = re.compile(r"\bbetween\s*$", re.IGNORECASE)

# Separators inside a list of numbers: "1.5, 2.0 and 3.1", "0.2/0.7", "0.88 (for A), 0.84 (for B)".
_LIST_GAP = re.compile(r"^\s*(?:\([^()]{0,60}\)\s*)?(?:[,/&]\s*(?:(?:and|or)\s+)?|(?:and|or)\s+)$", re.IGNORECASE)

_LAST_COORDINATOR = re.compile(r"(?:,|\band\b|\bor\b|\bwith\b|/)(?!.*(?:,|\band\b|\bor\b|\bwith\b|/))", re.IGNORECASE | re.DOTALL)

# Words that may follow a metric's value ("an F1 of 0.91 overall"), where a count has its noun.
_AFTER_A_VALUE = frozenset({"overall", "absolute", "relative", "alone", "only", "points", "point"})

CLAIM_UNITS = frozenset({"percent", "points", "x", "metric", "score"})


@dataclass(slots=True)
class Candidate:
    number: Number
    start: int                  # text start (qualifier included)
    end: int                    # end of the number's own unit
    text_end: int               # end of the text (a list's trailing unit included)
    value: float
    value_max: float | None
    unit: str | None
    metric: str | None
    qualifier: str | None = None
    role: str | None = None     # baseline | target | own (of "A vs. B")
    difference: bool = False    # a plain number read as a change ("improves the reward by 0.31")
    qualifier_after: bool = False  # the qualifier follows the number ("1.9x on average")
    sentence: int = 0


@dataclass(slots=True)
class Group:
    """A run of numbers read together: one number, or a list sharing its unit and context."""
    members: list[Candidate]
    start: int
    end: int
    sentence: int
    kind: str | None = None
    cue: str | None = None
    kind_source: str = "default"   # default | metric | share | cue
    cue_side: str | None = None    # "left" when a verb before the numbers governs them (it distributes)
    metric: str | None = None
    rule: str = ""                 # the id of the rule that gave the kind (rules.RULES)


def find_candidates(text: Text, numbers: list[Number], left: dict[tuple[int, int], str]) -> list[Candidate]:
    """The numbers that could be claims (not counts, not sizes), with ranges joined."""
    abstract = text.abstract
    found: list[Candidate] = []
    for number in numbers:
        if number.unit == "other":
            left[(number.num_start, number.end)] = "left.other_unit"
            continue  # "7B", "32k": sizes and names
        if number.unit is None and _P_VALUE_BEFORE.search(abstract, max(0, number.start - 6), number.start):
            left[(number.num_start, number.end)] = "left.rank_or_p_value"
            continue  # "p < 0.001": a significance level
        if number.unit is None:
            next_word = _NEXT_WORD.match(abstract, number.end)
            if next_word and next_word.group(1).lower() not in STOP_WORDS \
                    and next_word.group(1).lower() not in _AFTER_A_VALUE:
                left[(number.num_start, number.end)] = "left.count"
                continue  # "25,000 documents", "14 benchmarks": counts
        found.append(Candidate(number=number, start=number.start, end=number.end, text_end=number.end,
                                value=number.value, value_max=None, unit=number.unit, metric=number.metric,
                                qualifier=number.glued_qualifier))
    joined: list[Candidate] = []
    for cand in found:
        prev = joined[-1] if joined else None
        # "4% to 9% absolute points": the last unit names the whole range.
        if (prev is not None and cand.unit in CLAIM_UNITS
                and (prev.unit in (None, cand.unit) or (prev.unit, cand.unit) == ("percent", "points"))
                and prev.value_max is None and not prev.number.word and not cand.number.word
                and prev.number.sign == cand.number.sign == "" and prev.value < cand.value):
            gap = abstract[prev.end:cand.start]
            lead = abstract[max(0, prev.start - 12):prev.start]
            if (_RANGE_GAP.match(gap) and not (gap.strip().lower() == "to" and _FROM_BEFORE.search(lead))) \
                    or (gap.strip().lower() == "and" and _BETWEEN_BEFORE.search(lead)):
                prev.value_max, prev.unit, prev.metric = cand.value, cand.unit, cand.metric
                prev.end = prev.text_end = cand.end
                prev.number.multiplier_word = cand.number.multiplier_word
                continue
        joined.append(cand)
    for cand in joined:
        if cand.number.multiplier_word == "factor":
            cand.start = min(cand.start, cand.number.start)
        cand.sentence = text.sentence_of(cand.number.num_start)
    return joined


def mark_comparisons(text: Text, cands: list[Candidate]) -> None:
    """"from A to B": A is the baseline, B the work's level; "A vs. B": B is the baseline."""
    abstract = text.abstract
    for i, cand in enumerate(cands):
        if i + 1 >= len(cands):
            break
        nxt = cands[i + 1]
        if nxt.sentence != cand.sentence:
            continue
        lead = abstract[max(0, cand.start - 12):cand.start]
        gap = abstract[cand.text_end:nxt.start]
        if _FROM_BEFORE.search(lead) and _TO_BEFORE.search(gap) and len(gap) < 80:
            cand.role, nxt.role = "baseline", "target"
            if nxt.unit is None and cand.unit in CLAIM_UNITS:
                nxt.unit, nxt.metric = cand.unit, cand.metric
        elif len(gap) < 30 and _VERSUS_BEFORE.search(gap) and (
                nxt.unit in (None, cand.unit) or (cand.unit is None and nxt.unit == "metric")):
            cand.role, nxt.role = "own", "baseline"
            # The metric may be named once after the pair: "41.3 vs 38.9 BLEU", "A (29.9) vs B (30.6) ROUGE-L".
            metric = _METRIC_AFTER_PAIR.match(abstract, nxt.end)
            named = nxt.metric or (metric.group(1) if metric else None)
            if named:
                for member in (cand, nxt):
                    member.metric = named
                    if member.unit is None:
                        member.unit = "metric"


def find_groups(text: Text, cands: list[Candidate]) -> list[Group]:
    """Lists of numbers: a trailing unit binds the bare numbers before it."""
    abstract = text.abstract
    groups: list[Group] = []
    for cand in cands:
        last = groups[-1].members[-1] if groups else None
        if (last is not None and last.sentence == cand.sentence and last.unit != "other"
                and cand.unit != "other" and last.role is None and cand.role is None
                and _LIST_GAP.match(abstract[last.end:cand.start])):
            groups[-1].members.append(cand)
            groups[-1].end = cand.end
        else:
            groups.append(Group(members=[cand], start=cand.start, end=cand.end, sentence=cand.sentence))
    for group in groups:
        members = group.members
        for i in range(len(members) - 2, -1, -1):
            if members[i].unit is None and members[i + 1].unit in CLAIM_UNITS:
                members[i].unit, members[i].metric = members[i + 1].unit, members[i + 1].metric
                members[i].text_end = members[i + 1].text_end
                if members[i + 1].number.unit == "x":
                    members[i].number.multiplier_word = members[i + 1].number.multiplier_word
        first = members[0]
        if first.qualifier:
            for member in members[1:]:
                member.qualifier = member.qualifier or first.qualifier
    return groups


def bind_plain_numbers(text: Text, group: Group) -> None:
    """A plain number is a claim only as a metric's value: "F1 of 0.91", "(~ 0.3)" after "correlation"."""
    abstract = text.abstract
    first = group.members[0]
    if first.unit is not None:
        return
    lead = SOFTENERS_AT_END.sub("", abstract[max(text.starts[first.sentence], first.start - 60):first.start])
    after = abstract[group.end:group.end + 3]
    number_text = abstract[first.number.num_start:first.number.num_end]

    def metric_in_clause(reach: int) -> str | None:
        found = list(SCORE_METRIC_ANYWHERE.finditer(abstract[text.clause_start(first.start):first.start][-reach:]))
        return found[-1].group(0) if found else None

    if _SPEEDUP_OF.search(lead[-30:]):
        for member in group.members:  # "a speedup of 2.5": a multiplier with its unit before it
            if member.unit is None:
                member.unit, member.number.multiplier_word = "x", "speedup"
        return
    metric = metric_before(lead)
    if metric is None:
        if lead.rstrip().endswith("(") and after.lstrip().startswith(")") and "." in number_text:
            metric = metric_in_clause(90)    # "weak correlation with human ratings (~ 0.3)"
        elif first.role == "target":
            metric = metric_in_clause(120)   # "perplexity rises from 8.1 to 8.4"
        elif BY_BEFORE.search(lead):
            metric = metric_in_clause(60)    # "improves BLEU by 1.2"
            if metric is None and "." in number_text \
                    and last_cue(abstract[text.clause_start(first.start):first.start]):
                metric = ""                  # "increases the peak reward by 0.31": a change, metric unnamed
            if metric is not None:
                for member in group.members:
                    member.difference = True
        elif first.role == "own":
            metric = metric_in_clause(120)   # "perplexity at 32K is 7.12 vs. 7.85"
        elif ACHIEVE_BEFORE.search(lead) and "." in number_text and _ACHIEVED_VALUE_END.match(after):
            metric = ""                      # "attains 45.6 on the benchmark": a score, metric unnamed
    if metric is None:
        return
    for member in group.members:
        if member.unit is None:
            member.unit, member.metric = "metric", metric or None


def coordinated(text: Text, earlier: Group, later: Group) -> tuple[bool, bool]:
    """(shares context, later has no words of its own before it) for two groups of a sentence.
    (Read once per gap: the kind and qualifier stages ask about the same pairs.)"""
    known = text.coordination.get((earlier.end, later.start))
    if known is None:
        known = text.coordination[earlier.end, later.start] = _coordinated(text.abstract[earlier.end:later.start])
    return known


def _coordinated(gap: str) -> tuple[bool, bool]:
    if len(gap) > 160 or COORDINATION_BREAK.search(gap):
        return False, False
    coordinator = _LAST_COORDINATOR.search(gap)
    if coordinator is None and gap.strip():
        return False, False  # "by 35% at 77.9% top-1 accuracy": no list, no shared reading
    tail = gap[coordinator.end():] if coordinator else gap
    own_words = CUE_RE.search(tail.lower()) or SCORE_METRIC_ANYWHERE.search(tail) or BY_WORD.search(tail)
    return True, not own_words
