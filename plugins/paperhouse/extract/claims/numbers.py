"""Reading numbers as abstracts write them: digits with their units, and multipliers spelled out.

`find_numbers` returns every number of an abstract that could carry a claim, with the unit written
right after it (``%``, LaTeX ``\\%``, percentage points, ``x``/``×``/times/-fold, a metric name)
and any qualifier glued in front of it by PDF extraction (``sim0.6`` is ``\\sim 0.6``). Numbers
that are part of names (``GPT-4``, ``Llama-2-7B``, ``F_{0.5}``) or carry another unit (``7B``,
``32k``) are kept with unit ``other``: they end lists and never become claims.
Deciding which numbers are claims is the job of the later stages of this package.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .screen import Screened, lower

# Metrics whose value can stand as a plain number ("0.91 F1", "BLEU of 38.5", "7.90 PPL").
# Acronyms are matched case-sensitively; words in any case.
SCORE_METRIC_PATTERN = (
    r"(?:F[-_ ]?1(?:[-\s]scores?)?|F_?\{?\d?\.?\d+\}?|BLEU(?:-\d)?|ROUGE(?:-[A-Za-z0-9]+)?|METEOR|CIDEr|SPICE"
    r"|chrF\+*|BERTScore|PPL|mAP|AP(?:\d+)?|AUC|AUROC|AUPRC|nDCG(?:@\d+)?|NDCG(?:@\d+)?|MRR(?:@\d+)?"
    r"|EM|FID|[rg]FID|FVD|WER|CER|ECE|Elo|NMI|ARI|m?IoU|PSNR|SSIM|BPC|BPB|MCC|MAE|MSE|RMSE"
    r"|pass@\d+|[Rr]ecall@\d+|R@\d+|Hits?@\d+|Top-\d+"
    r"|(?i:perplexity|perplexities|accuracy|precision|recall|f-?scores?|exact match"
    # Rates of an outcome ("acceptance rate of 0.74"); a bare "rate" is usually a setting.
    r"|(?:win|success|acceptance|hit|pass|error|refusal|detection|attack success|false positive|false negative"
    r"|false alarm|miss) rates?"
    r"|(?:Cohen's |Fleiss' )?kappa|Krippendorff's alpha|(?:expected )?calibration error"
    r"|(?:mean|average|median) rank|(?:mean )?(?:absolute|squared) error"
    r"|correlations?|cross-entropy(?: loss)?|loss|score|divergence))"
)
# "0.91 F1", "65.1 average accuracy": the adjective stays out of the metric's name.
_SCORE_METRIC_AFTER = re.compile(
    r"\s?(?:(?i:average|overall|mean|macro|micro|zero-shot|weighted)[\s-])?(" + SCORE_METRIC_PATTERN + r")(?![\w@])")

_POINTS_AFTER = re.compile(
    r"(?:\s|-)?(?:(?i:percentage|percent)[\s-]+points?\b|(?:pp|p\.p\.|pts?\.?)(?![\w])|(?i:points?)\b)")
_PERCENT_AFTER = re.compile(r"\s?(?:\\?%|(?i:percent|per\s?cent)\b)")
# "4% to 9% absolute points", "3% points", "3%p": a percent that names an absolute difference.
_PERCENT_POINTS_AFTER = re.compile(r"\s*(?:(?i:absolute|percentage)\s+)*(?i:points?|pts|pp)\b|p\b")
# "x" must not start a dimension ("3 x 3") or a word ("8xH100", "4x4").
_TIMES_AFTER = re.compile(r"\s?(?:[x×X](?![A-Za-z0-9])(?!\s*\d)|(?i:-?\s?times)\b|(?i:\s?-\s?|\s)?(?i:folds?)\b)")

# The four units above in one pattern, tried in the same order (what four calls give, in one).
_UNIT_AFTER = re.compile(
    f"(?P<points>{_POINTS_AFTER.pattern})|(?P<percent>{_PERCENT_AFTER.pattern})|(?P<x>{_TIMES_AFTER.pattern})"
    f"|(?P<metric>{_SCORE_METRIC_AFTER.pattern})")
_METRIC_NAME = _UNIT_AFTER.groupindex["metric"] + 1  # (the metric's name: the first group inside "metric")

# Comma grouping is checked in `_number_at`.
_NUMBER_RE = re.compile(r"\d[\d,]*(?:\.\d+)?")
# Scanning for a class such as \d goes character by character in Python; in ASCII text the digits
# are found faster by masking them to one character and searching for that (`_number_matches`).
_DIGIT_MASK = str.maketrans(dict.fromkeys("0123456789", "\0"))
_GROUPED_INTEGER = re.compile(r"\d{1,3}(?:,\d{3})+")
# Qualifiers that lost their backslash in PDF text and stick to the number: \sim, \ge, \le, \approx.
_GLUED_QUALIFIERS = {"sim": "about", "approx": "about", "ge": "at_least", "geq": "at_least",
                     "le": "at_most", "leq": "at_most"}
_TRAILING_LETTERS = re.compile(r"[A-Za-z]+$")
# Characters no unit starts with (a unit starts with a space, a letter, "%", "\\", "-" or "×").
_NO_UNIT_AFTER = frozenset(("", ".", ",", ";", ":", ")", "]", "}", "/", "'", '"', "!", "?", "+", "=", "*", "&", "#",
                            "<", ">", "|", "^", "@", "$", "(", "[", "{", "_", "`"))

_WORD_VALUES = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "hundred": 100,
}
_WORD_MULTIPLIER_RE = re.compile(
    r"\b(?:(twice)|(" + "|".join(_WORD_VALUES) + r")(?:\s?-\s?|\s)?(fold|times)|(half)"
    r"|a\s+factor\s+of\s+(" + "|".join(_WORD_VALUES) + r"))\b", re.IGNORECASE)
# A digit fraction is a multiplier (claims.md: "1/3 to 2/3 of the parameters" is 0.3333-0.6667 x);
# "0.2/0.7" and "3.4%/5.9%" are lists, not fractions.
_FRACTION = re.compile(r"(\d)/(\d{1,2})(?![\w/.%]|\.\d)")
_FACTOR_OF_BEFORE = Screened(re.compile(r"\ba\s+factor\s+of\s*$", re.IGNORECASE), needs=("factor",))


@dataclass(slots=True)
class Number:
    """One number as written: `start`..`end` spans its sign, digits and unit; `num_start`..`num_end`
    the digits (or the words) alone."""
    start: int
    end: int
    num_start: int
    num_end: int
    value: float
    unit: str | None            # percent | points | x | metric | other | None (plain number)
    metric: str | None = None   # the metric name when unit is "metric" ("BLEU")
    sign: str = ""              # "+" or "-" written before the number
    glued_qualifier: str | None = None
    word: bool = False          # spelled out ("twice", "threefold", "half")
    multiplier_word: str = ""   # for unit x, how it was written: x | times | fold | factor | half | fraction | speedup


def _number_at(m: re.Match) -> tuple[int, int, str]:
    """The number of a `_NUMBER_RE` match: "1,000" is one number, "10," ends before its comma."""
    text = m.group(0)
    if "," not in text:
        return m.start(), m.end(), text
    integer, dot, fraction = text.partition(".")
    if "," in integer and not _GROUPED_INTEGER.fullmatch(integer):
        integer, dot, fraction = integer.split(",", 1)[0], "", ""
    text = integer + dot + fraction
    return m.start(), m.start() + len(text), text


def _number_matches(abstract: str) -> list[re.Match]:
    """Every `_NUMBER_RE` match of the abstract, as `finditer` gives them."""
    if not abstract.isascii() or "\0" in abstract:
        return list(_NUMBER_RE.finditer(abstract))
    masked = abstract.translate(_DIGIT_MASK)
    found = []
    at = masked.find("\0")
    while at >= 0:
        m = _NUMBER_RE.match(abstract, at)
        found.append(m)
        at = masked.find("\0", m.end())
    return found


def _unit_after(abstract: str, pos: int) -> tuple[str | None, int, str | None]:
    """The unit written at `pos` (right after a number): (unit, end of unit, metric name)."""
    if abstract[pos:pos + 1] in _NO_UNIT_AFTER:
        return None, pos, None  # ("3.", "(12)", "5, 6" and the end of the text: no unit)
    tail = abstract[pos:pos + 40]
    m = _UNIT_AFTER.match(tail)
    if m and m.start("points") >= 0:
        return "points", pos + m.end(), None
    if m and m.start("percent") >= 0:
        end = m.end()
        points = _PERCENT_POINTS_AFTER.match(tail, end)
        if points:
            return "points", pos + points.end(), None
        return "percent", pos + end, None
    if m and m.start("x") >= 0:
        return "x", pos + m.end(), None
    if m:
        return "metric", pos + m.end(), m.group(_METRIC_NAME)
    if tail[:1].isalpha() or (tail[:1] == " " and tail[1:2] in "KMBT" and not tail[2:3].isalpha()):
        return "other", pos, None
    return None, pos, None


def _multiplier_kind(abstract: str, start: int, end: int) -> str:
    written = abstract[start:end].lower()
    if "fold" in written:
        return "fold"
    if "times" in written:
        return "times"
    return "x"


def _word_multipliers(abstract: str) -> list[re.Match]:
    """Spelled-out multipliers, looked for only around their last word (a scan of the whole text
    with the full pattern is slow)."""
    lowered = lower(abstract)
    found: dict[int, re.Match] = {}
    for trigger in ("twice", "half", "fold", "times", "factor of"):
        at = lowered.find(trigger)
        while at >= 0:
            m = _WORD_MULTIPLIER_RE.search(abstract, max(0, at - 12), at + len(trigger) + 10)
            if m and m.start() <= at < m.end():
                found[m.start()] = m
            at = lowered.find(trigger, at + 1)
    return [found[start] for start in sorted(found)]


def find_numbers(abstract: str) -> list[Number]:
    """Every number of the abstract in reading order, with the unit written after it."""
    numbers: list[Number] = []
    skip_to = 0
    for m in _number_matches(abstract):
        if m.start() < skip_to:
            continue  # the denominator of a fraction already read
        start, end, written = _number_at(m)
        before = abstract[start - 1] if start else " "
        glued = None
        if before.isalpha() or before == "_":
            letters = _TRAILING_LETTERS.search(abstract, max(0, start - 8), start)
            glued = _GLUED_QUALIFIERS.get(letters.group(0).lower()) if letters else None
            if glued is None:
                continue  # part of a name: GPT4, IWSLT14, x2013
        elif before in "@^{.\\$#":
            continue  # pass@1, 2^{18}, F_{0.5}, v1.2.3, $5
        elif before in "-–" and start >= 2 and (abstract[start - 2].isalpha() or abstract[start - 2] == "_") \
                and not (abstract[start - 2] in "xX" and abstract[start - 3:start - 2].isdigit()):
            continue  # GPT-4, Llama-2, Top-1 (but "2.7x-4.0x" is a range)
        fraction = _FRACTION.match(abstract, start) if abstract[end:end + 1] == "/" else None
        if fraction and before not in "./" and 0 < int(fraction.group(1)) < int(fraction.group(2)) <= 10:
            value = round(int(fraction.group(1)) / int(fraction.group(2)), 4)
            numbers.append(Number(start=start, end=fraction.end(), num_start=start, num_end=fraction.end(),
                                  value=value, unit="x", multiplier_word="fraction"))
            skip_to = fraction.end()
            continue
        sign = ""
        before_sign = abstract[start - 2] if start >= 2 else " "
        if before in "+±":
            sign = "+"
        elif before in "-−" and not before_sign.isalnum() and before_sign not in "-–%":
            sign = "-"  # a minus, not the dash of a range ("12-18%", "12%-18%", "6--9")
        unit, unit_end, metric = _unit_after(abstract, end)
        number = Number(start=start - len(sign), end=unit_end, num_start=start, num_end=end,
                        value=float(written.replace(",", "")), unit=unit, metric=metric, sign=sign,
                        glued_qualifier=glued)
        if unit == "x":
            number.multiplier_word = _multiplier_kind(abstract, end, unit_end)
        elif unit is None:
            # "by a factor of 6.5": the unit is written before the number.
            factor = _FACTOR_OF_BEFORE.search(abstract, max(0, start - 20), start)
            if factor:
                number.unit, number.multiplier_word, number.start = "x", "factor", factor.start()
        numbers.append(number)
    spelled = _word_multipliers(abstract)
    for m in spelled:
        twice, word, suffix, half, factor = m.groups()
        if twice:
            value, how = 2.0, "times"
        elif half:
            value, how = 0.5, "half"
        elif factor:
            value, how = float(_WORD_VALUES[factor.lower()]), "factor"
        else:
            value, how = float(_WORD_VALUES[word.lower()]), suffix.lower()
        numbers.append(Number(start=m.start(), end=m.end(), num_start=m.start(), num_end=m.end(),
                              value=value, unit="x", word=True, multiplier_word=how))
    if spelled:  # (the digits were read in order)
        numbers.sort(key=lambda n: n.num_start)
    return numbers
