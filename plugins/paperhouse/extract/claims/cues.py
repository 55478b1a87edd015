"""Direction words: which way a quantity moved, and whether the word already says it was for the better.

Four classes: `EVAL_UP` (improve, outperform, faster: better), `DIR_UP` (increase, higher: up),
`DIR_DOWN` (reduce, fewer, cut: down), `EVAL_DOWN` (degrade, slower: worse). Whether "up" is good
comes from the metric (`polarity_of`: perplexity and latency are better lower), and
`kind_from_cue` turns (class, polarity) into gain, reduction or finding.
"""
from __future__ import annotations

import re

from .text import lower_same_length

# Cue classes: which way a quantity moved, and whether the word already says "for the better".
_EVAL_UP, DIR_UP, DIR_DOWN, EVAL_DOWN = "eval_up", "dir_up", "dir_down", "eval_down"

_CUE_WORDS: list[tuple[str, str]] = [
    (_EVAL_UP, r"improv\w*|outperform\w*|surpass\w*|boost\w*|enhanc\w*|accelerat\w*|speed-?ups?|speedups?"
               r"|speeds?|sped|faster|quicker|better|superior\w*|gains?|gained|beat|beats|beating|outshin\w*"
               r"|outperformance|advantage|uplift|efficient|win|wins"),
    (DIR_UP, r"increas\w*|higher|greater|rais\w*|extend\w*|extension|expand\w*|grow\w*|growth|up"
              r"|rise|rises|rising|rose|climb\w*|adds|added|adding"),
    (DIR_DOWN, r"reduc\w*|decreas\w*|lower|lowers|lowered|lowering|less|fewer|smaller|cheaper|shorter"
                r"|cut|cuts|cutting|save|saves|saved|saving|savings|shrink\w*|compress\w*|prun\w*|drop|drops"
                r"|dropped|dropping|declin\w*|eliminat\w*|trim\w*|slash\w*|minimi[sz]\w*|remov\w*|down"
                r"|shorten\w*|fall|falls|fell|falling"),
    (EVAL_DOWN, r"lose|loses|lost|losing|degrad\w*|worse|deteriorat\w*|slower|slowly|slow-?downs?"),
]

# The vocabularies below are matched against lower-cased text (`lower`): faster than IGNORECASE.
CUE_RE = re.compile(r"\b(?:" + "|".join(f"(?P<{cls}>{words})" for cls, words in _CUE_WORDS) + r")\b")

# "speeds up", "more accurate" are gains; a bare "speed" or "more" is not a cue.
_NOT_A_CUE = {"speeds", "speed", "win", "wins", "up"}

_SPEED_UP = re.compile(r"\b(?:speeds?|sped|speeding)\s+up\b")

_MORE_GOOD = re.compile(r"\bmore\s+(?:efficient|accurate|effective|robust)\b")

# Metrics that are better when lower: "improving" them means they went down.
_LOWER_BETTER = re.compile(
    r"\b(?:perplexit\w*|ppl|errors?|wer|cer|loss(?:es)?|latenc\w*|memory|costs?|[tg]?flops|time|runtime|energy"
    r"|[rg]?fid|fvd|mse|mae|rmse|ttft|hallucinations?|toxicity|storage|footprint|size|parameters|params"
    r"|tokens|cache|compute|computation|overhead|bpc|bpb|ece|gpus?|hours|budget|iterations|steps"
    r"|requirements?|usage|consumption|padding|contamination|redundancy|divergence|cross-entropy"
    r"|repetitions?|memori[sz]ation|forgetting|bias|leakage|lag|lagging|violations?|failures?"
    r"|toxic|harmful|unsafe|unfaithful|unsupported|incorrect|wrong|invalid|erroneous)\b")

HIGHER_BETTER = re.compile(
    r"\b(?:accuracy|accuracies|precision|recall|f1|f-?scores?|scores?|bleu|rouge\S*|meteor|cider|chrf\S*|auc|auroc"
    r"|map|ndcg\S*|mrr\S*|em|correlations?|performance|quality|throughput|speed|effectiveness|efficiency"
    r"|win|success|pass@\S+|nmi|psnr|ssim|reward|robustness|coverage|agreement|results|capabilit\w+"
    r"|fluency|faithfulness|generalization|factuality|truthfulness|helpfulness|diversity|fidelity"
    r"|consistency|coherence|informativeness|relevance|utility|safety|stability)\b")


def cue_of(word: str) -> str | None:
    word = word.lower()
    m = CUE_RE.fullmatch(word)
    if not m or word in _NOT_A_CUE:
        return None
    return m.lastgroup


def last_cue(text: str) -> tuple[str, int, int] | None:
    """The cue nearest the end of `text`: (class, start, end) of it in `text`."""
    text = lower_same_length(text)
    found = None
    for m in CUE_RE.finditer(text):
        if m.group(0).lower() in _NOT_A_CUE:
            continue
        found = (m.lastgroup, m.start(), m.end())
    for pattern, needed in ((_SPEED_UP, "up"), (_MORE_GOOD, "more")):
        if needed not in text:
            continue  # (a full scan for a phrase the text cannot hold)
        for m in pattern.finditer(text):
            if found is None or m.end() > found[2]:
                found = (_EVAL_UP, m.start(), m.end())
    return found


def find_first_cue(words: list[str]) -> tuple[str, int] | None:
    for i, word in enumerate(words):
        cls = cue_of(word)
        if cls:
            return cls, i
        if word.lower() == "more" and i + 1 < len(words) and _MORE_GOOD.match(f"more {words[i + 1]}"):
            return _EVAL_UP, i
        if word.lower() == "above":
            return DIR_UP, i  # "1.9 points above the baseline"
    return None


# Size words that give a direction only right after a number: "6x longer context".
UP_COMPARATIVES = frozenset({"longer", "larger", "bigger", "wider", "deeper"})


def polarity_of(text: str) -> str | None:
    """"bad" when the first metric named is better lower, "good" when better higher."""
    text = text.lower()
    bad = _LOWER_BETTER.search(text)
    good = HIGHER_BETTER.search(text)
    # In a compound the head noun comes last: "energy efficiency" is good, "memory usage" bad.
    if bad and good and good.start() == bad.end() + 1:
        return "good"
    if bad and (not good or bad.start() <= good.start()):
        return "bad"
    return "good" if good else None


def kind_from_cue(cue: str, polarity: str | None) -> str:
    if cue == _EVAL_UP:
        return "reduction" if polarity == "bad" else "gain"
    if cue == DIR_UP:
        return "finding" if polarity == "bad" else "gain"
    if cue == DIR_DOWN:
        return "finding" if polarity == "good" else "reduction"
    return "finding"
