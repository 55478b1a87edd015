"""Stage 4: the kind of a claim (gain, reduction, score, share, finding), read from the words around it.

`classify` tries the patterns in order of how directly they bind the number, and records the rule
id of the first that applies (`rules.RULES`):
- the number's own side of a "from A to B" / "A vs. B" pair is a score;
- a comparative or direction word right after it ("4x faster", "22% reduction in errors");
- a written sign ("+2.2%"); a verb governing it through "by" ("reduce memory by 48%");
- "N% of X" (a share of a resource, a level of a metric, or another finding);
- a metric named next to it ("88.2% precision"); a direction word earlier in the clause;
- else a default (a multiplier is a gain, a percent a finding).
Then list items without words of their own take the kind of the item before them, and a number
restated in brackets takes the kind of the one it restates.
"""
from __future__ import annotations

import re

from .screen import Screened
from .cues import (
    DIR_DOWN,
    DIR_UP,
    EVAL_DOWN,
    HIGHER_BETTER,
    UP_COMPARATIVES,
    cue_of,
    find_first_cue,
    kind_from_cue,
    last_cue,
    polarity_of,
)
from .metrics import clean_metric, is_resource_head, metric_before
from .phrases import Group, coordinated
from .settings import ACHIEVED_RATIO
from .text import DETERMINERS, STOP_WORDS, Text, phrase_after, split_words
from .vocabulary import (
    ACHIEVE_BEFORE,
    AS_MANY_AFTER,
    BY_BEFORE,
    HALF_OF,
    OF_AFTER,
    PERFORMANCE,
    RESOURCE,
    SCORE_METRIC_ANYWHERE,
    SOFTENERS_AT_END,
    without_parenthetical,
)

_COST_NOUNS = frozenset({"loss", "gap", "penalty", "degradation", "decline"})

_NAMES_ITS_QUANTITY = {
    "faster": "gain", "quicker": "gain", "speedup": "gain", "speedups": "gain", "speed-up": "gain",
    "speed-ups": "gain", "acceleration": "gain", "cheaper": "reduction", "smaller": "reduction",
    "shorter": "reduction", "compression": "reduction", "slower": "finding", "slowly": "finding",
    "slowdown": "finding", "slow-down": "finding"}
# A comparative adjective right after a number gives the direction of what follows it: "6x longer
# context" (up), "40% fewer steps" (down); whether that is good comes from the noun (`polarity_of`).
_COMPARATIVES = frozenset({"longer", "larger", "bigger", "wider", "deeper", "higher", "greater", "lower", "fewer",
                           "less", "better", "worse"})

# Results vocabulary for levels and shares.
_RETAIN_BEFORE = Screened(re.compile(r"\b(?:retain\w*|maintain\w*|preserv\w*|recover\w*|keeps|kept)\s+"
                           r"(?:(?:at|only|just|still|on\s+average|an?\s+average\s+of)\s+)*$", re.IGNORECASE),
    needs=("retain", "maintain", "preserv", "recover", "keeps", "kept"), starts=True)

_SOLVE_BEFORE = Screened(re.compile(r"\b(?:answers|answered|solves|solved|resolves|resolved|passes|passed|completes"
                           r"|completed)\s+(?:only\s+|correctly\s+)?$", re.IGNORECASE),
    needs=("answer", "solve", "pass", "complete"))

# "judges preferred our summaries in 64% of comparisons": a win rate.
_PREFERRED = re.compile(r"\b(?:prefer(?:s|red|ring)?|favou?r(?:s|ed)|chosen)\b", re.IGNORECASE)

_IN_AT_END = re.compile(r"\bin\s*$", re.IGNORECASE)

# A share is the work's use of a resource ("with only 40% of the FLOPs"). A portion of items that
# is the subject of its own verb ("12% of the tokens are copied") or the object of a failure ("fails
# to parse 8% of the files") counts items instead: a finding.
_PORTION_AS_SUBJECT = re.compile(
    r"^\s*of\s+(?:the\s+|all\s+)?(?:[\w-]+\s+){0,3}?(?:can|could|cannot|can't|may|might|are|is|were|was|have"
    r"|has|had|come|comes|came|(?:remain|contain|fail|lack|belong|exhibit|suffer|appear)(?:s|ed)?)\b",
    re.IGNORECASE)
_FAILED_BEFORE = Screened(
    re.compile(r"\b(?:fail(?:s|ed|ing)?|unable)\s+(?:to\s+\w+|on|in)\s+(?:\w+\s+)?$", re.IGNORECASE),
    needs=("fail", "unable"), starts=True)

_TRAINED_ON_BEFORE = Screened(re.compile(
    r"\b(?:train\w*|fine-?tun\w*|pre-?train\w*|distill\w*)\s+(?:\w+\s+){0,2}?on\s+(?:only\s+|just\s+)?"
    r"(?:the\s+|a\s+|our\s+)?(?:\w+\s+)?$", re.IGNORECASE),
    needs=("train", "tun", "distill"))

# "recall at 64K is 97.5%": a copula whose subject names a metric.
_COPULA_AT_END = Screened(re.compile(r"\b(?:is|are|was|were|remains?|stays?|stands\s+at|equals?)\s*$", re.IGNORECASE),
    needs=("is", "are", "was", "were", "remain", "stay", "stand", "equal"), starts=True)

# A direction word before "to" names a level: "rising to 21%", "drops to 5%".
_CUE_TO_AT_END = re.compile(r"\b(\w+)\s+to\s*$", re.IGNORECASE)

# Nouns that name a cost when followed by "of": "at a ROUGE-L cost of 0.3 points".
_COST_OF = frozenset({"cost", "costs", "loss", "penalty", "degradation", "overhead", "gap"})

_METRIC_ADJECTIVES = frozenset({"average", "overall", "mean", "macro", "micro", "zero-shot", "weighted", "top-1"})

_CUE_NOUN_OF_BEFORE = Screened(re.compile(r"\b(\w+)\s+(?:\([^()]{0,20}\)\s*)?of\s*$", re.IGNORECASE),
    needs=("of",))

_DIRECT_OBJECT_BEFORE = re.compile(r"\b(\w+)\s+(?:(?:a|an|the)\s+)?$", re.IGNORECASE)

def _direct_object_before(lead: str) -> re.Match | None:
    """`_DIRECT_OBJECT_BEFORE` in `lead`, searched from its last two words only: a match is a word,
    an optional article and the end of the lead."""
    words = lead.rsplit(None, 2)
    return _DIRECT_OBJECT_BEFORE.search(lead, len(words[0]) if len(words) == 3 else 0)


_AS_ADJECTIVE_KIND = {"fast": "gain", "quick": "gain", "quickly": "gain", "efficient": "gain", "accurate": "gain",
                      "slow": "finding", "slowly": "finding", "cheap": "reduction", "small": "reduction"}

_AS_ADJECTIVE = re.compile(r"^\s*as\s+(" + "|".join(_AS_ADJECTIVE_KIND) + r")\b", re.IGNORECASE)

_ALL_OF = re.compile(r"^(?:all|each|every)\b", re.IGNORECASE)

# Words of a qualifier or a softener, which name nothing that moved ("by only", "by up to").
_QUALIFIER_ONLY = re.compile(r"up|to|more|less|than|at|least|most|about|nearly|almost|around|roughly|over"
                             r"|approximately|only|just|merely|average|on|an|a|no|fewer|below|above|some")


def classify(text: Text, group: Group, window_start: int, window_end: int) -> None:
    """Set the group's kind from the words around it (see the module docstring, step 5)."""
    abstract = text.abstract
    first, last = group.members[0], group.members[-1]
    lead = abstract[window_start:group.start]
    governed_lead = SOFTENERS_AT_END.sub("", lead)
    after = without_parenthetical(abstract[group.end:window_end])
    after_phrase = phrase_after(after, 4)
    metric = last.metric
    polarity_of_metric = polarity_of(metric) if metric else None

    def done(rule: str, kind: str, source: str, cue: str | None = None, metric_words: list[str] | None = None) -> None:
        group.kind, group.kind_source, group.cue, group.rule = kind, source, cue, rule
        group.metric = metric or (clean_metric(metric_words) if metric_words else None)

    def kind_of_left_cue(found: tuple[str, int, int], context: str, metric_from: str | None = None,
                         rule: str = "kind.cue_before_number") -> None:
        """A cue found in `context` before the number: what moved is between them, or (for a
        direction word with no object) its subject just before it: "performance drop of 0.7%",
        "a high AUC (dropping 3%)", "cross-entropy against human labels falls by 17%"."""
        cls, cue_start, cue_end = found
        between = context[cue_end:]
        polarity = polarity_of_metric or polarity_of(between)
        between_words = [w for w in split_words(between, 12) if w.lower() not in ("by", "of")]
        has_object = any(w[0].isalpha() and w.lower() not in STOP_WORDS and w.lower() not in DETERMINERS
                         and not _QUALIFIER_ONLY.fullmatch(w.lower()) for w in between_words)
        if polarity is None and cls in (DIR_UP, DIR_DOWN) and not has_object:
            polarity = polarity_of(" ".join(split_words(context[:cue_start], 40)[-6:]))
        polarity = polarity or polarity_of(" ".join(after_phrase))
        if polarity is None and cls in (DIR_UP, DIR_DOWN):
            # "adds 5% to the pretraining cost": what moved may follow the number after a preposition.
            polarity = polarity_of(" ".join(split_words(after, 5)))
        if metric_from is not None:
            between_words = [w for w in split_words(metric_from, 12) if w.lower() not in ("by", "of")]
        done(rule, kind_from_cue(cls, polarity), "cue", cls, between_words or after_phrase)
        group.cue_side = "left"

    achieved_ratio = ACHIEVED_RATIO.search(lead[-80:]) if last.unit == "x" else None
    if achieved_ratio:  # "achieves a compression ratio of 16x", "a speedup ratio of 2.1x"
        noun = " ".join(achieved_ratio.group("noun").split())
        kind = "reduction" if noun.lower().startswith(("compress", "reduc", "sav")) else "gain"
        done("kind.achieved_ratio", kind, "cue", DIR_DOWN if kind == "reduction" else DIR_UP)
        group.metric = noun
        return None
    if first.role in ("target", "own"):
        before_from = lead[:lead.lower().rfind("from")] if first.role == "target" else lead
        words = [w for w in split_words(before_from, 40)[-4:] if not cue_of(w)]
        head = after_phrase[1:2] if after_phrase and after_phrase[0].lower() in _METRIC_ADJECTIVES else after_phrase[:1]
        if head and (SCORE_METRIC_ANYWHERE.match(head[0]) or PERFORMANCE.match(head[0])):
            words = after_phrase  # "61.5% top-1 accuracy, versus 58.2%": the metric follows the number
        return done("kind.baseline_pair_own", "score", "cue", None, words)
    if last.number.multiplier_word == "half":
        return done("kind.half_of", "share", "cue", None, phrase_after(HALF_OF.sub("", after, count=1), 4))  # "half the energy"
    as_adjective = _AS_ADJECTIVE.match(after)
    if last.unit == "x" and as_adjective:  # "twice as fast as", "3 times as slow"
        return done("kind.as_adjective_as", _AS_ADJECTIVE_KIND[as_adjective.group(1).lower()], "cue", None, [as_adjective.group(1)])
    # 1. A cue right after the number: "22% reduction in errors", "2.9x faster", "6.5% higher".
    cue = find_first_cue(after_phrase[:3])
    if after_phrase and after_phrase[0].lower() in UP_COMPARATIVES:
        cue = (DIR_UP, 0)  # "6x longer context": a size word that is a direction only right after a number
    if cue:
        cls, at = cue
        word = after_phrase[at].lower()
        if word in _NAMES_ITS_QUANTITY:  # "4.3x faster", "3.6x smaller": the word says what moved
            return done("kind.comparative_after_number" if word.endswith("er") else "kind.cue_after_number", _NAMES_ITS_QUANTITY[word], "cue", cls, after_phrase[:at + 1])
        # What moved: before the cue ("recall improvement") or its object ("reduction in errors").
        rest = split_words(after, 12)[at + 1:]
        if rest and rest[0].lower() in ("in", "of"):
            rest = rest[1:]
        target = phrase_after(" ".join(rest), 3)
        polarity = polarity_of_metric or polarity_of(" ".join(after_phrase[:at])) or polarity_of(" ".join(target))
        if polarity is None and cls in (DIR_UP, DIR_DOWN):
            # "the number of tokens is 9x higher": the subject says what went up.
            polarity = polarity_of(" ".join(split_words(lead, 40)[-5:]))
        rule = "kind.comparative_after_number" if word in _COMPARATIVES and at == 0 else "kind.cue_after_number"
        return done(rule, kind_from_cue(cls, polarity), "cue", cls, after_phrase[:at] or target or after_phrase[:at + 1])
    # A cost named after a metric: "1% accuracy loss", "0.2 point accuracy gap".
    for i, word in enumerate(after_phrase[1:4], start=1):
        if word.lower() in _COST_NOUNS and HIGHER_BETTER.search(after_phrase[i - 1].lower()):
            return done("kind.cost_after_metric", "finding", "cue", EVAL_DOWN, after_phrase[:i + 1])
    # 2. A written sign: "+2.2%", "+0.05 validation loss".
    sign = first.number.sign
    if sign:
        cls = DIR_UP if sign == "+" else DIR_DOWN
        polarity = polarity_of_metric or polarity_of(" ".join(after_phrase))
        return done("kind.written_sign", kind_from_cue(cls, polarity), "cue", cls, after_phrase)
    # 3. A verb or noun governing the number: "reduce memory by 48%", "improvement of 12%", "saves 25%".
    if BY_BEFORE.search(governed_lead):
        # The verb may sit before an earlier number of the clause: "reduce A by 10x and B by 3x".
        found = last_cue(lead)
        if found:
            return kind_of_left_cue(found, lead, rule="kind.verb_by")
        clause = abstract[text.clause_start(group.start):window_start]
        found = last_cue(clause)
        if found:  # "cut cost by 60%, latency by 45%": the verb governs the whole run
            return kind_of_left_cue(found, clause + lead, metric_from=lead, rule="kind.verb_over_list")
    m = _CUE_NOUN_OF_BEFORE.search(governed_lead)
    if m and m.group(1).lower() in _COST_OF and not last_cue(" ".join(governed_lead[:m.start(1)].split()[-3:])):
        return done("kind.cost_of", "finding", "cue", EVAL_DOWN, split_words(governed_lead[max(0, m.start(1) - 30):m.end(1)], 6))
    m = m or _direct_object_before(governed_lead)
    if m and cue_of(m.group(1)):
        return kind_of_left_cue((cue_of(m.group(1)), m.start(1), m.end(1)), governed_lead, rule="kind.cue_governs_number")
    if last.unit == "percent" and ACHIEVE_BEFORE.search(governed_lead) and not OF_AFTER.match(after):
        return done("kind.achieved_level", "score", "metric", None, after_phrase)  # "achieves 47.3% on the benchmark"
    clause_lead = abstract[text.clause_start(group.start):group.start]
    of_phrase = OF_AFTER.match(after)
    if last.unit == "percent":
        if _SOLVE_BEFORE.search(governed_lead):
            return done("kind.solved_share", "score", "metric", None, phrase_after(of_phrase.group(1), 4) if of_phrase else after_phrase)
        if _IN_AT_END.search(governed_lead) and of_phrase and _PREFERRED.search(clause_lead):
            return done("kind.preference_rate", "score", "metric", None, ["preference"])  # a win rate
    if last.unit in ("percent", "x") and of_phrase:
        head_words = phrase_after(of_phrase.group(1), 5)
        resource = RESOURCE.search(" ".join(head_words))
        if _RETAIN_BEFORE.search(governed_lead) and not (
                resource and resource.group(0).lower().rstrip("'s") not in ("original", "full", "baseline")):
            return done("kind.retained_level", "score", "metric", None, head_words)  # "retains 96% of the accuracy of X"
        if _TRAINED_ON_BEFORE.search(governed_lead):
            return done("kind.trained_on_share", "share", "share", None, head_words)  # "trained on the selected 5% of Alpaca"
    # 4. Shares of a resource: "only 9% as many tokens", "60% of the original budget", "40% FLOPs".
    if last.unit in ("percent", "x"):
        as_many = AS_MANY_AFTER.match(after)
        if as_many and last.unit == "x" and last.value > 1:  # "2.4 times as many tasks solved": a multiple
            noun = phrase_after(after[as_many.end():], 4)
            return done("kind.as_many_multiple", kind_from_cue(DIR_UP, polarity_of(" ".join(noun))), "cue", DIR_UP, noun)
        if as_many:
            return done("kind.as_many_share", "share", "cue", None, phrase_after(after[as_many.end():], 4))
        of_phrase = OF_AFTER.match(after)
        if of_phrase:
            head_words = phrase_after(of_phrase.group(1), 5)
            head = " ".join(head_words)
            if PERFORMANCE.search(head) or SCORE_METRIC_ANYWHERE.search(head):
                return done("kind.of_metric_level", "score", "metric", None, head_words)  # "96% of the MRR@10 of X"
            if _PORTION_AS_SUBJECT.match(after) or _FAILED_BEFORE.search(governed_lead):
                return done("kind.portion_of_items", "finding", "cue", None, head_words)
            if is_resource_head(head) and not _ALL_OF.match(head) and head.lower() != "the time":
                return done("kind.of_resource_share", "share", "share", None, head_words)
            return done("kind.of_other", "finding", "cue", None, head_words)
        if after_phrase and RESOURCE.search(" ".join(after_phrase[:3])):
            return done("kind.resource_after_number", "share", "share", None, after_phrase)
    # 5. A metric written next to the number: "88.2% precision", "nDCG 64.10%", "F1 of 0.91".
    #    (Points are a difference, never a level.)
    before = metric_before(lead)
    head = after_phrase[1:2] if after_phrase and after_phrase[0].lower() in _METRIC_ADJECTIVES else after_phrase[:1]
    metric_after = bool(head) and bool(SCORE_METRIC_ANYWHERE.match(head[0]) or PERFORMANCE.match(head[0]))
    if not last.difference and (last.unit != "points" and (metric or metric_after or before)
                                or last.unit == "points" and before):
        # ("a mean absolute error of 2.4 points" is a level; other points are differences)
        words = [metric] if metric else (after_phrase if metric_after else [before])
        return done("kind.metric_level", "score", "metric", None, words)
    if not last.difference and last.unit in ("percent", "score", "metric") and _COPULA_AT_END.search(governed_lead):
        subject = clause_lead[:len(clause_lead) - len(governed_lead)] + governed_lead
        found = list(SCORE_METRIC_ANYWHERE.finditer(subject)) or list(PERFORMANCE.finditer(subject))
        if found:  # "needle retrieval recall at 64K is 97.5%"
            return done("kind.copula_level", "score", "metric", None, [found[-1].group(0)])
    # 6. A cue earlier in the clause: "boosts recall on both tasks (up to 11.5%)".
    #    (A direction word before "to" gives a level, not a change: "rising to 21% in ANLI".)
    found = last_cue(lead)
    to_level = _CUE_TO_AT_END.search(governed_lead)
    if found and not (to_level and cue_of(to_level.group(1))):
        return kind_of_left_cue(found, lead, rule="kind.cue_earlier_in_clause")
    # 7. Nothing said: a multiplier is a gain ("12x the training length"), a percent a finding.
    default = {"x": "gain", "metric": "finding" if last.difference else "score"}.get(last.unit, "finding")
    return done("kind.default", default, "default", None, after_phrase)


def inherit_kind_in_list(text: Text, groups: list[Group]) -> None:
    """A later number of a list with no cue of its own reads like the earlier one: "save 30% compute
    and 20% training time", "by 0.8 BLEU on A and 2.1 PPL on B" (where PPL, better lower, turns the
    gain into a reduction)."""
    for earlier, later in zip(groups, groups[1:]):
        if earlier.sentence != later.sentence:
            continue
        shares, bare = coordinated(text, earlier, later)
        if not shares:
            continue
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
            later.rule = "kind.like_earlier_in_list"


# "by 1.1 points (6.7%)": a number in brackets right after another restates it in another unit.
_OPEN_BRACKET = re.compile(r"\s*\(\s*(?:i\.e\.,?\s*|or\s+|about\s+)?$")
_CLOSE_BRACKET = re.compile(r"\s*(?:relative|absolute|improvement|gain)?\s*\)")


def restated_in_brackets(text: Text, groups: list[Group]) -> None:
    """The bracketed restatement takes the kind, qualifier and metric of the number it restates."""
    abstract = text.abstract
    for earlier, later in zip(groups, groups[1:]):
        if earlier.sentence != later.sentence or len(later.members) != 1:
            continue
        if not (_OPEN_BRACKET.fullmatch(abstract, earlier.end, later.start)
                and _CLOSE_BRACKET.match(abstract, later.end)):
            continue
        if earlier.members[-1].unit == later.members[0].unit:
            continue  # "by 3% (5%)": two results, not one restated
        later.kind, later.metric, later.rule = earlier.kind, earlier.metric, "kind.restated_in_brackets"
        later.members[0].qualifier = earlier.members[-1].qualifier


# "cuts tokens by 46%, reaching over 90% in some cases": a level named by no metric of its own,
# in a participle right after a change, is the extreme of that change.
_EXTREME_AFTER_CHANGE = re.compile(r"\s*,\s*(?:and\s+)?(?:even\s+)?(?:achieving|reaching|attaining|hitting)\s+",
                                   re.IGNORECASE)


def extreme_of_change(text: Text, groups: list[Group]) -> None:
    """The extreme takes the kind and metric of the change before it."""
    for earlier, later in zip(groups, groups[1:]):
        if earlier.sentence != later.sentence or earlier.kind not in ("gain", "reduction"):
            continue
        if later.rule == "kind.achieved_level" and not later.metric \
                and _EXTREME_AFTER_CHANGE.fullmatch(text.abstract, earlier.end, later.start):
            later.kind, later.metric, later.cue = earlier.kind, earlier.metric, earlier.cue
            later.rule = "kind.extreme_of_change"
