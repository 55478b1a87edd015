"""Claims: the numbers in an abstract that state a measured outcome of the work it presents.

The definition (what counts, how numbers split, kinds and qualifiers) is the shared spec
``claims.md``. The extractor reads an abstract in stages, one module each:

1. `numbers`    every number with the unit written next to it (%, points, x, a metric name).
2. `phrases`    numbers that could be claims (not counts or sizes), ranges and lists joined, and
                "from A to B" / "A vs. B" pairs marked.
3. `roles`      whose number it is: sentences about the world before the work, clauses about other
   `settings`   work and baselines are left out, and so are settings of the experiment.
4. `kinds`      gain, reduction, score, share or finding, from the direction words (`cues`) and the
                metric around the number (`metrics`); `subjects` turns into findings the results whose
                subject is other people's systems ("current models", an evaluated system).
5. `qualifiers` up_to, about, average... written before, after or once for a whole list.

`text` holds the sentences and clauses every stage reads; `screen` skips, with the same result,
searches whose words a lead does not hold (most patterns run once per number).

Every decision has a rule id (`rules.RULES`): each claim carries the one that took it, and
`explain_claims` gives, for every number, the rule that took or left it.
All regular expressions run over the original string, so offsets are exact:
``abstract[c.char_offset:c.char_offset + len(c.text)] == c.text``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .kinds import classify, extreme_of_change, inherit_kind_in_list, restated_in_brackets
from .numbers import find_numbers
from .phrases import CLAIM_UNITS, Candidate, Group, bind_plain_numbers, find_candidates, find_groups, mark_comparisons
from .qualifiers import attach_written_qualifiers, average_qualifier, share_qualifier_over_list
from .roles import is_background, is_baseline_by_comparison, is_benchmark_paper, is_others_clause, is_self
from .rules import RULES
from .settings import is_from_setting, is_larger_model, is_setting, multiplier_is_outcome
from .subjects import is_about_others_systems, is_level_in_analysis
from .text import Text

CLAIMS_VERSION = "2.1.0"

# "10x more parameters than any previous model": the size of the work itself, not an outcome.
_SIZE_AFTER = re.compile(r"\s*(?:more\s+)?(?:parameters|params|layers|larger|bigger)\b", re.IGNORECASE)

__all__ = ["CLAIMS_VERSION", "Claim", "Decision", "RULES", "explain_claims", "extract_claims"]


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
    rule: str                 # id of the rule that took it (rules.RULES)


@dataclass(frozen=True)
class Decision:
    """What the extractor did with one number of an abstract."""
    char_offset: int          # where the number starts
    text: str                 # the number as written, with its unit
    taken: bool
    rule: str                 # the rule that took or left it (rules.RULES)
    claim: Claim | None       # the claim it became, if taken


def _claim(text: Text, group: Group, member: Candidate, kind: str, rule: str) -> Claim:
    unit = member.unit
    if unit == "metric":
        # A metric's value is a score; a change in it ("improves BLEU by 1.2", "a drop of 0.1 BLEU") is points.
        changed = kind in ("gain", "reduction") or (kind == "finding" and group.cue is not None)
        unit = "points" if changed or member.number.sign or member.difference else "score"
    if kind == "share" and unit != "percent" and unit != "x":
        kind = "score" if unit == "score" else "finding"  # shares are fractions or multiples
    return Claim(value=member.value, value_max=member.value_max, unit=unit, kind=kind, qualifier=member.qualifier,
                 metric=group.metric, text=text.abstract[member.start:member.text_end], char_offset=member.start,
                 rule=rule)


def _left_rule(text: Text, group: Group) -> str | None:
    """The rule that leaves the group out, or None when its numbers may be claims."""
    members = group.members
    if members[-1].unit not in CLAIM_UNITS:
        return "left.plain_number"
    if any(m.role == "baseline" for m in members):
        return "left.baseline_from" if any(m.role == "target" for m in members) else "left.baseline_vs"
    if members[-1].unit == "x" and not multiplier_is_outcome(text, group):
        return "left.size_of_work" if _SIZE_AFTER.match(text.abstract, group.end) else "left.multiplier_not_outcome"
    if is_setting(text, group):
        return "left.setting"
    if is_background(text, group.sentence):
        return "left.background"
    if is_others_clause(text, group):
        return "left.others_clause"
    if members[0].role == "target" and members[0].unit in ("percent", "points") and is_from_setting(text, group):
        return "left.setting_range"
    return None


def _read(abstract: str, left: dict[tuple[int, int], str]) -> list[Claim]:
    """The claims of `abstract`; the spans of the numbers left out go into `left` with their rule."""
    numbers = find_numbers(abstract)
    if not numbers:
        return []
    text = Text(abstract)
    # Stage 2: the phrases a number can be a claim in.
    cands = find_candidates(text, numbers, left)
    attach_written_qualifiers(text, cands)
    mark_comparisons(text, cands)
    groups = find_groups(text, cands)

    # Stage 3: whose number it is, and whether it is an outcome at all.
    kept: list[Group] = []
    for group in groups:
        bind_plain_numbers(text, group)
        if is_larger_model(text, group) and not is_background(text, group.sentence):
            group.kind, group.rule, group.metric, group.kind_source = "reduction", "kind.larger_model", "model size", "cue"
            kept.append(group)
            continue
        rule = _left_rule(text, group)
        if rule:
            for member in group.members:
                left[(member.number.num_start, member.end)] = rule
            continue
        group.members = [m for m in group.members if m.unit in CLAIM_UNITS]
        kept.append(group)

    # Stage 4: the kind. A group reads the words between its neighbours, within its clause.
    classified: list[Group] = []
    previous_end: dict[int, int] = {}
    for i, group in enumerate(kept):
        window_start = max(text.clause_start(group.start), previous_end.get(group.sentence, 0))
        next_start = kept[i + 1].start if i + 1 < len(kept) and kept[i + 1].sentence == group.sentence \
            else len(abstract)
        window_end = min(text.clause_end(group.end), next_start, group.end + 120)
        previous_end[group.sentence] = group.end
        # (the work's side of "from A to B" / "A vs. B" is never the baseline)
        if group.members[0].role not in ("target", "own") and is_baseline_by_comparison(text, group, window_start):
            for member in group.members:
                left[(member.number.num_start, member.end)] = "left.baseline_compared"
            continue
        if not group.rule:  # (a rule of stage 3 may have settled the kind already)
            classify(text, group, window_start, window_end)
        classified.append(group)
    inherit_kind_in_list(text, classified)
    extreme_of_change(text, classified)

    # Stage 5: qualifiers written after a number or once for a list.
    for group in classified:
        average_qualifier(text, group)
    share_qualifier_over_list(text, classified)
    restated_in_brackets(text, classified)

    claims: list[Claim] = []
    for group in classified:
        kind, rule = group.kind, group.rule
        if not is_self(text, group.sentence) and is_benchmark_paper(text):
            kind, rule = "finding", "kind.third_party_finding"  # a benchmark's results about others' models
        elif is_about_others_systems(text, group):
            kind, rule = "finding", "kind.others_systems_subject"  # "we find that current models gain 3%"
        elif is_level_in_analysis(text, group):
            kind, rule = "finding", "kind.level_in_analysis"  # an analysis paper: "LoRA retains 94% of ..."
        claims.extend(_claim(text, group, member, kind, rule) for member in group.members)
    return claims


def extract_claims(abstract: str) -> list[Claim]:
    """The claims of an abstract, in reading order (see claims.md for what counts)."""
    if not abstract:
        return []
    return _read(abstract, {})


def explain_claims(abstract: str) -> list[Decision]:
    """For every number of the abstract, in reading order: taken or left, and by which rule."""
    if not abstract:
        return []
    left: dict[tuple[int, int], str] = {}
    claims = _read(abstract, left)
    decisions = []
    for number in find_numbers(abstract):
        written = abstract[number.start:number.end]
        claim = next((c for c in claims if c.char_offset <= number.num_start < c.char_offset + len(c.text)), None)
        if claim is not None:
            decisions.append(Decision(number.start, written, True, claim.rule, claim))
            continue
        rule = next((r for (start, end), r in left.items() if start <= number.num_start < max(end, start + 1)),
                    "left.plain_number")
        decisions.append(Decision(number.start, written, False, rule, None))
    return decisions
