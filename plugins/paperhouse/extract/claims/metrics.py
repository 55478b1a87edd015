"""Naming what a number measures: the metric written right before it ("accuracy of", "F1 ="), the
few words cleaned into `Claim.metric`, and whether "N% of <head>" is a share of a resource.
"""
from __future__ import annotations

import re

from .cues import cue_of
from .numbers import SCORE_METRIC_PATTERN
from .text import DETERMINERS, STOP_WORDS
from .vocabulary import RESOURCE

# Words of a model or a budget that a share can be of: "of the full model", "of the original budget".
_SHARE_OF_WHOLE = frozenset({"model", "models", "network", "baseline", "one", "version", "counterpart"})

_SCORE_METRIC_WORD = re.compile(SCORE_METRIC_PATTERN)

_METRIC_CONNECTORS = frozenset({"of", "=", ":", "is", "was", "("})


def metric_before(lead: str) -> str | None:
    """The metric a number right after `lead` is the value of: "accuracy of ", "F1 score (",
    "word error rate (WER) of ", "nDCG ". Read word by word from the end (an end-anchored regex
    search over the whole lead is slow)."""
    words = lead.replace("(", " ( ").split()[-7:]
    while words and words[-1].lower() in _METRIC_CONNECTORS:
        words.pop()
    if words and words[-1].endswith(")") and "(" in words[-4:]:
        del words[len(words) - 1 - words[::-1].index("("):]  # "word error rate (WER)"
    if not words:
        return None
    if words[-1].lower() in ("score", "scores") and len(words) > 1 and _SCORE_METRIC_WORD.fullmatch(words[-2]):
        return words[-2]
    if _SCORE_METRIC_WORD.fullmatch(words[-1]):
        return words[-1]
    for size in (2, 3):  # "exact match", "false positive rate"
        if len(words) >= size and _SCORE_METRIC_WORD.fullmatch(" ".join(words[-size:])):
            return " ".join(words[-size:])
    return None


def is_resource_head(head: str) -> bool:
    """Whether "N% of <head>" is a share of a resource: "the FLOPs", "the original budget", "the full
    model" (but not "the original captions")."""
    m = RESOURCE.search(head)
    if not m:
        return False
    if m.group(0).lower().rstrip("'s") not in ("original", "full", "baseline"):
        return True
    words = head.lower().replace("-", " ").split()
    last = words[-1] if words else ""
    return last in ("original", "full", "baseline", "baseline's") or last in _SHARE_OF_WHOLE or bool(
        RESOURCE.fullmatch(last) and last not in ("original", "full"))


def clean_metric(words: list[str]) -> str | None:
    words = [w for w in words if w not in "(),;:"]
    while words and (words[0].lower() in DETERMINERS or words[0].lower() in STOP_WORDS or cue_of(words[0])):
        words = words[1:]
    while words and (words[-1].lower() in DETERMINERS or words[-1].lower() in STOP_WORDS):
        words = words[:-1]
    return " ".join(words[:5]) or None
