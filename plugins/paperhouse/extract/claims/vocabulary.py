"""Word patterns read by more than one stage (resources, performance words, "by", "of ...")."""
from __future__ import annotations

import re

from .screen import Screened
from .numbers import SCORE_METRIC_PATTERN

# Resources a work reports using a fraction of ("with only 40% of the FLOPs", "60% of the budget").
RESOURCE = re.compile(
    r"\b(?:[tgp]?flops|compute|computation|computational|memory|parameters|params|storage|cache|gpus?"
    r"|gpu-hours|hours|costs?|budget|energy|data|dataset|corpus|training\s+time|time|original|full"
    r"|(?:training\s+)?(?:examples|samples|tokens|steps|iterations)"
    r"|baseline'?s?)\b", re.IGNORECASE)

PERFORMANCE = re.compile(r"\b(?:performance|effectiveness|accuracy|quality|scores?)\b", re.IGNORECASE)

SCORE_METRIC_ANYWHERE = re.compile(r"(?<![\w-])" + SCORE_METRIC_PATTERN + r"(?![\w])")

ACHIEVE_BEFORE = Screened(re.compile(
    r"\b(?:achiev\w*|attain\w*|obtain\w*|reach\w*|scor(?:es|ed|ing)|record\w*|gets|got|getting|yield\w*"
    r"|deliver\w*|sets?)\s+(?:an?\s+)?$", re.IGNORECASE),
    needs=("achiev", "attain", "obtain", "reach", "scor", "record", "get", "got", "yield", "deliver", "set"), starts=True)

BY_BEFORE = Screened(re.compile(r"\bby\s+(?:an?\s+(?:\w+\s+)?)?$", re.IGNORECASE),
    needs=("by",), starts=True)

# Words that soften a number without qualifying it: "a drop of only 0.7%", "a merely 0.3 point".
SOFTENERS_AT_END = Screened(re.compile(r"\b(?:only|just|merely|mere|a\s+mere|a\s+merely|still)\s*$", re.IGNORECASE),
    needs=("only", "just", "mere", "still"))

PARENTHETICAL_AT_START = re.compile(r"^\s*\([^()]{0,60}\)")


def without_parenthetical(text: str) -> str:
    """`text` without a bracketed aside at its start: " (on A) 3x faster" -> " 3x faster"."""
    found = PARENTHETICAL_AT_START.match(text)  # (a match, not a substitution: no scan of the rest)
    return text[found.end():] if found else text


AS_MANY_AFTER = re.compile(r"^\s*as\s+(?:many|much)\b", re.IGNORECASE)

OF_AFTER = re.compile(r"^\s*of\s+([^,;:.()]{0,60})", re.IGNORECASE)

BY_WORD = re.compile(r"\bby\b")

HALF_OF = re.compile(r"\s*(?:of\s+)?(?:the|its|their|our)\s+")

# What may not stand between two claims that share a qualifier or kind: a new verb or clause.
COORDINATION_BREAK = re.compile(
    r"[;:]|\b(?:while|whereas|but|although|though|which|that|respectively|is|are|was|were|be|been|has|have"
    r"|had|can|could|will|would|achiev\w*|reach\w*|obtain\w*|attain\w*|yield\w*|show\w*|demonstrat\w*"
    r"|reduc\w*|improv\w*|outperform\w*|surpass\w*|increas\w*|decreas\w*|accelerat\w*|boost\w*|sav(?:e|es|ing)"
    r"|cuts?|lowers?|speeds?|requir(?:e|es|ed|ing)|us(?:e|es|ing))\b", re.IGNORECASE)
