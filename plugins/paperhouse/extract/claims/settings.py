"""Stage 3b: numbers that set up an experiment rather than measure it (a masking rate, a top-10%
selection, "when X is 10x smaller"), multipliers of inputs or counts ("3x more data", "repeated 5
times"), and the two multiplier patterns claims.md singles out: an achieved ratio ("achieves a
compression rate of 16x") is an outcome, and beating an N-times larger model is a claim about size.
"""
from __future__ import annotations

import re

from .screen import Screened
from .cues import HIGHER_BETTER, UP_COMPARATIVES, find_first_cue, last_cue
from .phrases import Group
from .text import STOP_WORDS, Text, split_words
from .vocabulary import (
    AS_MANY_AFTER,
    BY_BEFORE,
    HALF_OF,
    OF_AFTER,
    PERFORMANCE,
    RESOURCE,
    SCORE_METRIC_ANYWHERE,
    without_parenthetical,
)

# Quantities given to an experiment, not measured by it ("trained on 3x more data", "models ten times its size").
_DATA_SIZE = re.compile(
    r"^(?:the\s+|its\s+|their\s+)?(?:amount|size|number|data|tokens|samples|examples|parameters|params"
    r"|larger|bigger|models?|documents|languages|more\s+(?:data|tokens|parameters|examples|samples|compute))\b",
    re.IGNORECASE)

_MULTIPLIER_TARGET = re.compile(
    r"\b(?:length|lengths|context|window|the|its|their|as)\b", re.IGNORECASE)

# Settings of an experiment that a percent may describe.
_SETTING_BEFORE = re.compile(
    r"(\w+\s+)?\b(?:rates?|ratios?|sparsity|thresholds?|probabilit(?:y|ies)|temperatures?|dropout|masking"
    r"|top-?[pk]|percentiles?|quantiles?|confidence|significance|noise(?:\s+levels?)?)\b[^.;%,]{0,25}$",
    re.IGNORECASE)

_SETTING_WORDS = ("rate", "ratio", "sparsity", "threshold", "probabilit", "temperature", "dropout", "masking",
                  "top", "percentile", "quantile", "confidence", "significance", "noise")

_PRESET = re.compile(r"\b(?:predefined|pre-defined|target|fixed|desired|specified|user-specified|given)\s+\w+\s+"
                     r"(?:rates?|ratios?|thresholds?)\b", re.IGNORECASE)

# A rate of something the work measures is an outcome, not a knob: "hallucination rate", "win rate".
_OUTCOME_RATE = frozenset({
    "win", "success", "pass", "hit", "acceptance", "evasion", "accuracy", "error", "hallucination",
    "detection", "recognition", "refusal", "failure", "toxicity", "positive", "negative", "rejection",
    "agreement", "match", "attack", "miss", "recall", "retrieval", "completion", "solve", "resolution"})

# "the rate of unsupported claims", "the ratio of correct answers": a rate of something is measured.
_RATE_OF_SOMETHING = re.compile(r"(?:rates?|ratios?)\s+of\s+(?:the\s+)?[a-z]", re.IGNORECASE)

# Multipliers given to an experiment: "budgets of 3x, 6x and 12x", "a compression ratio of 4x".
_OF_NEXT = re.compile(r"\s*of\b", re.IGNORECASE)

# A ratio that is the object of a result verb: "achieves a compression rate of up to 16x".
ACHIEVED_RATIO = re.compile(
    r"\b(?:achiev\w*|attain\w*|reach\w*|obtain\w*|deliver\w*|yield\w*|gives?|giving|realiz\w*|show\w*)\s+"
    r"(?:an?\s+|the\s+)?(?P<noun>(?:[\w-]+\s+){0,2}?(?:ratios?|rates?|factors?))\s*(?:of\s+)?"
    r"(?:(?:up\s+to|about|over|nearly|approximately|around|more\s+than)\s+)?$", re.IGNORECASE)

# A model the work beats that is N times larger: the claim is about the work's size.
_LARGER_MODEL_AFTER = re.compile(
    r"\s*(?:larger|bigger)\b|\s*(?:its|their|our)\s+(?:own\s+)?size\b|\s*(?:the\s+)?(?:size|parameters)\s+of\b",
    re.IGNORECASE)
_BEATS_BEFORE = re.compile(
    r"\b(?:outperform\w*|beat\w*|surpass\w*|exceed\w*|rival\w*|match\w*|compet\w*|on\s+par|comparabl\w*"
    r"|better\s+than)\b", re.IGNORECASE)


def is_larger_model(text: Text, group: Group) -> bool:
    """"outperforms the 40x larger X", "beats models ten times its size": a multiplier of a
    competitor's size after a verb of beating or matching it (claims.md: a reduction in model size)."""
    if group.members[-1].unit != "x":
        return False
    if not _LARGER_MODEL_AFTER.match(text.abstract, group.end):
        return False
    lead = text.abstract[text.clause_start(group.start):group.start]
    return bool(_BEATS_BEFORE.search(lead[-80:]))


_SETTING_BEFORE_MULTIPLIER = re.compile(
    r"\b(?:budgets?|ratios?|rates?|levels?|settings?|configurations?)\s*(?:of|=|:)?\s*$", re.IGNORECASE)

# A selection knob: "keeping the top 5% of pages", "keeping 50%".
_METRIC_ADJECTIVE_AT_START = re.compile(
    r"^(?:(?:top-\d+|average|overall|mean|macro|micro|zero-shot|few-shot|weighted|test|validation)[\s-]+)+",
    re.IGNORECASE)

_MANIPULATED_BEFORE = Screened(re.compile(
    r"\b(?:merg|prun|mask|drop|remov|skipp|evict|corrupt|perturb|replac|freez|quantiz|sparsif|discard)ing\s+"
    r"(?:only\s+|just\s+)?(?:the\s+)?$", re.IGNORECASE),
    needs=("merg", "prun", "mask", "drop", "remov", "skipp", "evict", "corrupt", "perturb", "replac", "freez",
           "quantiz", "sparsif", "discard"), starts=True)

_TOP_BEFORE = re.compile(r"\b(?:top|bottom)\s*$", re.IGNORECASE)

_KEEP_BEFORE = Screened(re.compile(r"\b(?:keep|keeps|keeping|kept|retain|retains|retaining|retained)\s+(?:only\s+|just\s+)?"
                         r"(?:the\s+)?$", re.IGNORECASE),
    needs=("keep", "kept", "retain"), starts=True)

_RETAINED_AT = re.compile(r"\b(?:kept|retained|maintained|preserved|held|stays?|remains?)\s+at\s*$", re.IGNORECASE)

# A condition under which something happens: "peaks when the amateur is 10x smaller", "once the ratio exceeds 50x".
# An input scaled by a factor: "scaling the training data by 10x", "doubling model size by 2x".
_SCALED_INPUT_BEFORE = Screened(re.compile(
    r"\b(?:scal|increas|enlarg|grow|doubl|expand)\w*\s+(?:the\s+)?(?:amount\s+of\s+)?(?:training\s+|pre-?training\s+)?"
    r"(?:data|dataset|corpus|model(?:\s+size)?|compute|parameters|tokens|batch(?:\s+size)?)(?:\s+size)?\s+by\s+$",
    re.IGNORECASE),
    needs=("scal", "increas", "enlarg", "grow", "doubl", "expand"), starts=True)
# What the two condition patterns need: "if" followed by whitespace (in ASCII text: one of these
# characters), not the "if" of "significant" or "different".
_CONDITION_WORDS = ("when", "once", "unless") + tuple("if" + space for space in " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f")
# A number right after "when"/"if" is the condition: "when 90% of the weights are pruned".
_CONDITION_RIGHT_BEFORE = Screened(re.compile(r"\b(?:when|if|once|whenever|unless)\s+(?:only\s+)?$", re.IGNORECASE),
    needs=_CONDITION_WORDS, starts=True)

_CONDITION_BEFORE = Screened(re.compile(
    r"\b(?:when|if|once|whenever|unless)\s+(?:[\w'-]+\s+){0,4}?(?:is|are|becomes?|gets?|exceeds?|reach(?:es)?)\s+$",
    re.IGNORECASE),
    needs=_CONDITION_WORDS, starts=True)

_SETTING_AFTER = re.compile(
    r"^\s*(?:sparsity|sparse|compressed|compression\s+ratio|pruned|pruning\s+ratio|masked|masking|mask"
    r"|quantized|dropout|noise|noisy|subsets?|confidence|significance|quantile|percentile"
    r"|of\s+(?:the\s+)?(?:original\s+)?inputs?\b)", re.IGNORECASE)

_AS_ADJECTIVE_AS = re.compile(r"^\s*as\s+\w+\s+as\b", re.IGNORECASE)

_DIGIT_NEXT = re.compile(r"\s*\d")

_AT_BEFORE = re.compile(r"\bat\s*$")

_OF_ITS_COST = re.compile(r"\s*of\s+(?:its|their|the)\s+(?:\w+\s+)?(?:cost|price|budget|expense)", re.IGNORECASE)

_CROSS_VALIDATION = re.compile(r"\s*-?\s*(?:cross|validation)", re.IGNORECASE)


def multiplier_is_outcome(text: Text, group: Group) -> bool:
    """Whether "Nx" / "N times" / "N-fold" / "half" is a measured ratio rather than an input or a count."""
    abstract = text.abstract
    last = group.members[-1]
    how = last.number.multiplier_word
    after = without_parenthetical(abstract[group.end:min(group.end + 60, text.ends[group.sentence])])
    after_words = split_words(after, 4)
    lead = abstract[text.clause_start(group.start):group.start]
    if how == "times" and _DIGIT_NEXT.match(after):
        return False  # "256 times 256"
    if how == "speedup":
        return True  # "a speedup of 2.5" names what it measures
    if how == "fraction":  # "1/3 of the parameters", "reduces the size by 1/3"
        return bool(_OF_NEXT.match(after)) or bool(BY_BEFORE.search(lead))
    if how == "half":
        return bool(HALF_OF.match(after)) and bool(
            RESOURCE.search(" ".join(after_words[1:])))
    first_cue = find_first_cue(after_words[:3])
    if _DATA_SIZE.match(after.strip()) and not (first_cue and first_cue[1] == 0):
        return False
    if _SCALED_INPUT_BEFORE.search(lead[-60:]):
        return False  # "scaling the training data by 10x": how much input was given
    if _AS_ADJECTIVE_AS.match(after):
        return True  # "6 times as fast as"
    if AS_MANY_AFTER.match(after):
        return True  # "2.4 times as many tasks", "only 0.3x as much memory"
    if not after_words or after_words[0] in "(),;:" or after_words[0].lower() in STOP_WORDS:
        if how in ("times", "fold") and not group.members[0].number.word and not last_cue(lead) \
                and not BY_BEFORE.search(lead):
            return False  # "repeated 5 times.": a count
        return True
    if first_cue or AS_MANY_AFTER.match(after) or after_words[0].lower() in ("more", "relative", "compared", "than") \
            or after_words[0].lower() in UP_COMPARATIVES:
        return True  # "4.3x faster", "5 times more sample-efficient"
    head = " ".join(after_words[:3])
    if RESOURCE.search(head) or HIGHER_BETTER.search(head.lower()) or _MULTIPLIER_TARGET.search(head):
        return not _CROSS_VALIDATION.match(after)
    return False


def is_setting(text: Text, group: Group) -> bool:
    """Whether the numbers describe how an experiment was set up rather than what it measured."""
    abstract = text.abstract
    lead = abstract[text.clause_start(group.start):group.start]
    if _CONDITION_BEFORE.search(lead[-60:]) or _CONDITION_RIGHT_BEFORE.search(lead[-20:]):
        return True  # "when the amateur is 10x smaller": a condition
    if group.members[-1].unit == "x":
        # "achieves a compression ratio of 16x" states an outcome; "at a compression ratio of 4x" a knob.
        return bool(_SETTING_BEFORE_MULTIPLIER.search(lead[-40:])) and not ACHIEVED_RATIO.search(lead[-80:])
    if group.members[-1].unit not in ("percent", "points"):
        return False
    after = abstract[group.end:min(group.end + 40, text.ends[group.sentence])]
    if _SETTING_AFTER.match(after):
        return True
    near = lead[-60:]
    near_lowered = near.lower()
    setting = _SETTING_BEFORE.search(near) if any(w in near_lowered for w in _SETTING_WORDS) else None
    if setting:
        noun_on = setting.group(0)[len(setting.group(1) or ""):]
        modifier = (setting.group(1) or "").strip().lower()
        if not last_cue(noun_on) and " by" not in noun_on and not _RATE_OF_SOMETHING.match(noun_on) and (
                modifier not in _OUTCOME_RATE or _PRESET.search(lead[-60:])):
            return True
    if _MANIPULATED_BEFORE.search(lead[-30:]) and OF_AFTER.match(after):
        return True  # "merging 30% of the patches": how much of the input the method touches
    if _TOP_BEFORE.search(lead[-8:]):
        return True  # "the top 5% of pages"
    kept, at = _KEEP_BEFORE.search(lead[-30:]), _AT_BEFORE.search(lead[-6:])
    if not kept and not at:
        return False  # (the two readings below need one of them)
    of_phrase = OF_AFTER.match(after)
    head = after.lstrip()
    adjectives = _METRIC_ADJECTIVE_AT_START.match(head)
    head = head[adjectives.end():] if adjectives else head
    measured = PERFORMANCE.search(of_phrase.group(1)) if of_phrase else (
        SCORE_METRIC_ANYWHERE.match(head) or PERFORMANCE.match(head))
    if kept and not measured:
        return True  # "keeping 50% (of the data)": a selection knob
    if at:
        if _RETAINED_AT.search(lead[-30:]):
            return False  # "accuracy is retained at 97%"
        before_at = split_words(lead[:lead.rstrip().rfind("at")], 40)[-1:]
        if measured and not (before_at and SCORE_METRIC_ANYWHERE.fullmatch(before_at[0])):
            return False  # "cuts FLOPs by 35% at 77.9% top-1 accuracy" (but "precision at 90% recall")
        return not _OF_ITS_COST.match(after)
    return False


def is_from_setting(text: Text, group: Group) -> bool:
    """"masking rate from 10% to 40%": a setting being varied, not an outcome."""
    lead = text.abstract[text.clause_start(group.start):group.start]
    frm = lead.lower().rfind("from")
    setting = _SETTING_BEFORE.search(lead[:frm].rstrip()[-40:] + " ") if frm >= 0 else None
    if setting and _RATE_OF_SOMETHING.match(setting.group(0)[len(setting.group(1) or ""):]):
        return False  # "reduces the rate of unsupported claims from 23% to 11%"
    return bool(setting) and (setting.group(1) or "").strip().lower() not in _OUTCOME_RATE
