from __future__ import annotations

from dataclasses import dataclass

from .cues import kind_from_cue, polarity_of
from .kinds import classify
from .numbers import find_numbers
from .phrases import CLAIM_UNITS, Candidate, Group, bind_plain_numbers, find_candidates, coordinated, find_groups, mark_comparisons
from .qualifiers import average_qualifier
from .roles import is_background, is_baseline_by_comparison, is_benchmark_paper, is_others_clause, is_self
from .settings import is_from_setting, is_setting, multiplier_is_outcome
from .text import Text


CLAIMS_VERSION = "1.1.0"

@dataclass(frozen=True)
class Claim:
    value: float
    value_max: float | None
    unit: str                 # percent | points | x | score
    kind: str                 # gain | reduction | score | share | finding
    qualifier: str | None     # up_to | more_than | at_least | at_most | about | average
    metric: str | None        # a few words naming what was measured (best effort)
    text: str                 # the exact substring carrying the number and its unit
    char_offset: int          # where `text` starts in the abstract

def _claim(text: Text, group: Group, member: Candidate, kind: str) -> Claim:
    abstract = text.abstract
    unit = member.unit
    if unit == "metric":
        unit = "points" if kind in ("gain", "reduction") or member.number.sign or member.difference else "score"
    if kind == "share" and unit != "percent" and unit != "x":
        kind = "score" if unit == "score" else "finding"  # shares are fractions or multiples
    return Claim(value=member.value, value_max=member.value_max, unit=unit, kind=kind, qualifier=member.qualifier,
                 metric=group.metric, text=abstract[member.start:member.text_end], char_offset=member.start)

def extract_claims(abstract: str) -> list[Claim]:
    """The claims of an abstract, in reading order (see claims.md for what counts)."""
    if not abstract:
        return []
    numbers = find_numbers(abstract)
    if not numbers:
        return []
    text = Text(abstract)
    cands = find_candidates(text, numbers)
    mark_comparisons(text, cands)
    groups = find_groups(text, cands)

    kept: list[Group] = []
    for group in groups:
        bind_plain_numbers(text, group)
        members = group.members
        if members[-1].unit not in CLAIM_UNITS or any(m.role == "baseline" for m in members):
            continue
        group.members = [m for m in members if m.unit in CLAIM_UNITS]
        if members[-1].unit == "x" and not multiplier_is_outcome(text, group):
            continue
        if is_setting(text, group) or is_background(text, group.sentence) or is_others_clause(text, group):
            continue
        if group.members[0].role == "target" and members[0].unit in ("percent", "points") \
                and is_from_setting(text, group):
            continue
        kept.append(group)

    # Windows: a group reads the words between its neighbours, within its clause.
    previous_end: dict[int, int] = {}
    for i, group in enumerate(kept):
        window_start = max(text.clause_start(group.start), previous_end.get(group.sentence, 0))
        next_start = kept[i + 1].start if i + 1 < len(kept) and kept[i + 1].sentence == group.sentence \
            else len(abstract)
        window_end = min(text.clause_end(group.end), next_start, group.end + 120)
        previous_end[group.sentence] = group.end
        if group.members[0].role != "target" and is_baseline_by_comparison(text, group, window_start):
            group.kind = "dropped"
            continue
        classify(text, group, window_start, window_end)
    kept = [g for g in kept if g.kind != "dropped"]
    for group in kept:
        average_qualifier(text, group)

    for earlier, later in zip(kept, kept[1:]):
        if earlier.sentence != later.sentence:
            continue
        shares, bare = coordinated(text, earlier, later)
        if not shares:
            continue
        # (a qualifier written after the earlier number is its own: "62.8 on average, 1.9 points above")
        if bare and earlier.members[0].qualifier and not earlier.members[0].qualifier_after:
            for member in later.members:
                member.qualifier = member.qualifier or earlier.members[0].qualifier
        # A later number with no cue of its own reads like the earlier one: "save 30% compute and 20%
        # training time", "by 0.8 BLEU on A and 2.1 PPL on B" (PPL then turns the gain into a reduction).
        weak = later.kind_source == "default" or (
            later.kind_source in ("metric", "share") and bare and earlier.cue_side == "left"
            and earlier.kind in ("gain", "reduction"))
        if weak:
            if earlier.cue:
                polarity = polarity_of(later.members[-1].metric or "") or polarity_of(earlier.metric or "")
                later.kind = kind_from_cue(earlier.cue, polarity)
            else:
                later.kind = earlier.kind
            later.cue, later.kind_source, later.cue_side = earlier.cue, earlier.kind_source, earlier.cue_side
            later.metric = later.metric or earlier.metric

    claims: list[Claim] = []
    for group in kept:
        kind = group.kind
        if not is_self(text, group.sentence) and is_benchmark_paper(text):
            kind = "finding"  # a benchmark's results about other people's models
        for member in group.members:
            claims.append(_claim(text, group, member, kind))
    return claims
