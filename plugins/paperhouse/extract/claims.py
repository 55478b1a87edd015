"""Claims: the numbers in an abstract that state a measured outcome of the work it presents.

The definition (what counts, how numbers split, kinds and qualifiers) is the shared spec
``claims.md``. The extractor reads an abstract the way its definition does:

1. `numbers.find_numbers` finds every number with the unit written next to it.
2. Neighbouring numbers are joined into ranges ("12-18%", "3.5% to 7.25%") and lists
   ("by 1.7 and 4.2 percentage points": the trailing unit binds every number of the list).
3. Plain numbers become `score` claims only when bound to a metric ("BLEU of 41.0", "0.91 F1").
4. Numbers that are not outcomes are dropped: sizes and counts (other units), settings
   ("masking rate of 10%", "60% sparsity"), baselines ("from A to B" keeps B, "A vs. B" keeps A),
   data given as input ("3x more data"), and sentences about the world before the work.
5. Each group of numbers gets a kind from the vocabulary of results around it: cue words say
   which way something moved (improve, reduce, faster, fewer), the metric says whether that
   direction is good (perplexity and latency are better lower), and "of the original budget",
   "only 9% as many" mark shares. Qualifiers come from the words before the number.
6. Numbers coordinated with an earlier claim ("up to 1.2% on A and 2.6% on B") share its
   qualifier and kind unless they carry their own.

Everything is precompiled module-level regular expressions over the original string, so offsets
are exact: ``abstract[c.char_offset:c.char_offset + len(c.text)] == c.text``.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .numbers import SCORE_METRIC_PATTERN, Number, find_numbers

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


# --- vocabulary ---------------------------------------------------------------------------

# Cue classes: which way a quantity moved, and whether the word already says "for the better".
_EVAL_UP, _DIR_UP, _DIR_DOWN, _EVAL_DOWN = "eval_up", "dir_up", "dir_down", "eval_down"
_CUE_WORDS: list[tuple[str, str]] = [
    (_EVAL_UP, r"improv\w*|outperform\w*|surpass\w*|boost\w*|enhanc\w*|accelerat\w*|speed-?ups?|speedups?"
               r"|speeds?|sped|faster|quicker|better|superior\w*|gains?|gained|beat|beats|beating|outshin\w*"
               r"|outperformance|advantage|uplift|efficient|win|wins"),
    (_DIR_UP, r"increas\w*|higher|greater|rais\w*|extend\w*|extension|expand\w*|grow\w*|growth|up"
              r"|rise|rises|rising|rose|climb\w*"),
    (_DIR_DOWN, r"reduc\w*|decreas\w*|lower|lowers|lowered|lowering|less|fewer|smaller|cheaper|shorter"
                r"|cut|cuts|cutting|save|saves|saved|saving|savings|shrink\w*|compress\w*|prun\w*|drop|drops"
                r"|dropped|dropping|declin\w*|eliminat\w*|trim\w*|slash\w*|minimi[sz]\w*|remov\w*|down"
                r"|shorten\w*|fall|falls|fell|falling"),
    (_EVAL_DOWN, r"degrad\w*|worse|deteriorat\w*|slower|slowly|slow-?downs?"),
]
# The vocabularies below are matched against lower-cased text (`_lower`): faster than IGNORECASE.
_CUE_RE = re.compile(r"\b(?:" + "|".join(f"(?P<{cls}>{words})" for cls, words in _CUE_WORDS) + r")\b")
# "speeds up", "more accurate" are gains; a bare "speed" or "more" is not a cue.
_NOT_A_CUE = {"speeds", "speed", "win", "wins", "up"}
_COST_NOUNS = frozenset({"loss", "gap", "penalty", "degradation", "decline"})
_NAMES_ITS_QUANTITY = {
    "faster": "gain", "quicker": "gain", "speedup": "gain", "speedups": "gain", "speed-up": "gain",
    "speed-ups": "gain", "acceleration": "gain", "cheaper": "reduction", "smaller": "reduction",
    "shorter": "reduction", "compression": "reduction", "slower": "finding", "slowly": "finding",
    "slowdown": "finding", "slow-down": "finding"}
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
_HIGHER_BETTER = re.compile(
    r"\b(?:accuracy|accuracies|precision|recall|f1|f-?scores?|scores?|bleu|rouge\S*|meteor|cider|chrf\S*|auc|auroc"
    r"|map|ndcg\S*|mrr\S*|em|correlations?|performance|quality|throughput|speed|effectiveness|efficiency"
    r"|win|success|pass@\S+|nmi|psnr|ssim|reward|robustness|coverage|agreement|results|capabilit\w+"
    r"|fluency|faithfulness|generalization)\b")

# Resources a work reports using a fraction of ("with only 40% of the FLOPs", "60% of the budget").
_RESOURCE = re.compile(
    r"\b(?:[tgp]?flops|compute|computation|computational|memory|parameters|params|storage|cache|gpus?"
    r"|gpu-hours|hours|costs?|budget|energy|data|dataset|corpus|training\s+time|time|original|full"
    r"|(?:training\s+)?(?:examples|samples|tokens|steps|iterations)"
    r"|baseline'?s?)\b", re.IGNORECASE)
_PERFORMANCE = re.compile(r"\b(?:performance|effectiveness|accuracy|quality|scores?)\b", re.IGNORECASE)
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
# "the rate of unsupported entities", "the ratio of correct answers": a rate of something is measured.
_RATE_OF_SOMETHING = re.compile(r"(?:rates?|ratios?)\s+of\s+(?:the\s+)?[a-z]", re.IGNORECASE)
# Multipliers given to an experiment: "budgets of 2x, 5x and 10x", "a compression ratio of 4x".
_SETTING_BEFORE_MULTIPLIER = re.compile(
    r"\b(?:budgets?|ratios?|rates?|levels?|settings?|configurations?)\s*(?:of|=|:)?\s*$", re.IGNORECASE)
# A selection knob: "keeping the top 10% of documents", "keeping 50%".
_METRIC_ADJECTIVE_AT_START = re.compile(
    r"^(?:(?:top-\d+|average|overall|mean|macro|micro|zero-shot|few-shot|weighted|test|validation)[\s-]+)+",
    re.IGNORECASE)
_MANIPULATED_BEFORE = re.compile(
    r"\b(?:merg|prun|mask|drop|remov|skipp|evict|corrupt|perturb|replac|freez|quantiz|sparsif|discard)ing\s+"
    r"(?:only\s+|just\s+)?(?:the\s+)?$", re.IGNORECASE)
_TOP_BEFORE = re.compile(r"\b(?:top|bottom)\s*$", re.IGNORECASE)
_KEEP_BEFORE = re.compile(r"\b(?:keep|keeps|keeping|kept|retain|retains|retaining|retained)\s+(?:only\s+|just\s+)?"
                         r"(?:the\s+)?$", re.IGNORECASE)
_RETAINED_AT = re.compile(r"\b(?:kept|retained|maintained|preserved|held|stays?|remains?)\s+at\s*$", re.IGNORECASE)
# A condition under which something happens: "peaks when the amateur is 10x smaller", "once the gap exceeds 100x".
_CONDITION_BEFORE = re.compile(
    r"\b(?:when|if|once|whenever|unless)\s+(?:[\w'-]+\s+){0,4}?(?:is|are|becomes?|gets?|exceeds?|reach(?:es)?)\s+$",
    re.IGNORECASE)
_SETTING_AFTER = re.compile(
    r"^\s*(?:sparsity|sparse|compressed|compression\s+ratio|pruned|pruning\s+ratio|masked|masking|mask"
    r"|quantized|dropout|noise|noisy|subsets?|confidence|significance|quantile|percentile"
    r"|of\s+(?:the\s+)?(?:original\s+)?inputs?\b)", re.IGNORECASE)

# Results vocabulary for levels and shares.
_RETAIN_BEFORE = re.compile(r"\b(?:retain\w*|maintain\w*|preserv\w*|recover\w*|keeps|kept)\s+"
                           r"(?:(?:at|only|just|still|on\s+average|an?\s+average\s+of)\s+)*$", re.IGNORECASE)
_SOLVE_BEFORE = re.compile(r"\b(?:answers|answered|solves|solved|resolves|resolved|passes|passed|completes"
                           r"|completed)\s+(?:only\s+|correctly\s+)?$", re.IGNORECASE)
# "judges preferred our summaries in 64% of comparisons": a win rate.
_PREFERRED = re.compile(r"\b(?:prefer(?:s|red|ring)?|favou?r(?:s|ed)|chosen)\b", re.IGNORECASE)
_IN_AT_END = re.compile(r"\bin\s*$", re.IGNORECASE)
_TRAINED_ON_BEFORE = re.compile(
    r"\b(?:train\w*|fine-?tun\w*|pre-?train\w*|distill\w*)\s+(?:\w+\s+){0,2}?on\s+(?:only\s+|just\s+)?"
    r"(?:the\s+|a\s+|our\s+)?(?:\w+\s+)?$", re.IGNORECASE)
# "accuracy at 32K is 99.2%": a copula whose subject names a metric.
_COPULA_AT_END = re.compile(r"\b(?:is|are|was|were|remains?|stays?|stands\s+at|equals?)\s*$", re.IGNORECASE)
# A direction word before "to" names a level: "rising to 21%", "drops to 5%".
_CUE_TO_AT_END = re.compile(r"\b(\w+)\s+to\s*$", re.IGNORECASE)
# Nouns that name a cost when followed by "of": "at a ROUGE-L cost of 0.3 points".
_COST_OF = frozenset({"cost", "costs", "loss", "penalty", "degradation", "overhead", "gap"})
# Words of a model or a budget that a share can be of: "of the full model", "of the original budget".
_SHARE_OF_WHOLE = frozenset({"model", "models", "network", "baseline", "one", "version", "counterpart"})
_SCORE_METRIC_WORD = re.compile(SCORE_METRIC_PATTERN)
_SPEEDUP_OF = re.compile(r"\b(?:speed-?ups?|acceleration)\s+(?:of\s+)?(?:(?:up\s+to|about|over|nearly)\s+)?$",
                         re.IGNORECASE)
_METRIC_CONNECTORS = frozenset({"of", "=", ":", "is", "was", "("})
_METRIC_ADJECTIVES = frozenset({"average", "overall", "mean", "macro", "micro", "zero-shot", "weighted", "top-1"})
_SCORE_METRIC_ANYWHERE = re.compile(r"(?<![\w-])" + SCORE_METRIC_PATTERN + r"(?![\w])")
_ACHIEVE_BEFORE = re.compile(
    r"\b(?:achiev\w*|attain\w*|obtain\w*|reach\w*|scor(?:es|ed|ing)|record\w*|gets|got|getting|yield\w*"
    r"|deliver\w*|sets?)\s+(?:an?\s+)?$", re.IGNORECASE)

_QUALIFIER_BEFORE = re.compile(
    r"(?:\b(?P<word>up\s+to|more\s+than|over|above|exceeding|upwards\s+of|greater\s+than|in\s+excess\s+of"
    r"|at\s+least|no\s+less\s+than|at\s+most|no\s+more\s+than|less\s+than|fewer\s+than|below"
    r"|about|approximately|approx\.|nearly|almost|around|roughly|close\s+to"
    r"|on\s+an?\s+average\s+of|on\s+average|an?\s+average\s+of|an?\s+average|average\s+of|averaging|average)"
    r"|(?P<symbol>&[lg]t;|[<>]=|[~≈∼<>≤≥]))\s*(?:(?:a|an)\s+)?$")
_QUALIFIER_WORDS = {
    "up to": "up_to", "more than": "more_than", "over": "more_than", "above": "more_than",
    "exceeding": "more_than", "upwards of": "more_than", "greater than": "more_than",
    "in excess of": "more_than", "at least": "at_least", "no less than": "at_least",
    "at most": "at_most", "no more than": "at_most", "less than": "at_most", "fewer than": "at_most",
    "below": "at_most", "about": "about", "approximately": "about", "approx.": "about",
    "nearly": "about", "almost": "about", "around": "about", "roughly": "about", "close to": "about",
}
_QUALIFIER_SYMBOLS = {"~": "about", "≈": "about", "∼": "about", "<": "at_most", "≤": "at_most",
                      "<=": "at_most", "&lt;": "at_most", ">": "more_than", "&gt;": "more_than",
                      ">=": "at_least", "≥": "at_least"}
_AVERAGE_AFTER = re.compile(
    r"^\s*(?:average\b|\)?\s*(?:[\w@\-]+\s+){0,3}?(?:(?:on|in)\s+average|averaged)\b)", re.IGNORECASE)
_NUMBER_IN_TEXT = re.compile(r"(?<![\w@.\-])\d[\d.,]*(?:\s*(?:%|\\%|x|×|points?))?")
_AVERAGE_WORD = re.compile(r"\b(?:average|averaged|avg)\b", re.IGNORECASE)

_FROM_BEFORE = re.compile(r"\bfrom\s*$", re.IGNORECASE)
_TO_BEFORE = re.compile(r"\bto\s*$", re.IGNORECASE)
_VERSUS_BEFORE = re.compile(r"\b(?:vs\.?|versus)\s*(?:[\w\-.]+\s*)?\(?\s*$", re.IGNORECASE)
_COMPARED_TO = re.compile(r"\b(?:compared\s+(?:to|with)|relative\s+to|than|versus|vs\.?)\s", re.IGNORECASE)
_BEATEN_BEFORE = re.compile(r"\b(?:surpass\w*|outperform\w*|beat|beats|beating|exceed\w*|outperforming)\s",
                            re.IGNORECASE)
# "than the best baseline and needs 5x fewer ...": a second verb phrase after a comparison.
_NEW_VERB_PHRASE = re.compile(
    r"\b(?:and|while|but|yet)\s+(?:\w+ly\s+)?(?:needs?|needing|runs?|running|trains?|takes?|taking|consum\w*"
    r"|match(?:es|ing)?|deliver\w*|gives?|giving|has|have|having|keeps?|keeping|retain\w*|maintain\w*"
    r"|scores?|scoring|attains?|lowers?|raises?|halves|doubles|triples|shrinks?|speeds?|generates?|produces?)\b",
    re.IGNORECASE)
_BY_BEFORE = re.compile(r"\bby\s+(?:an?\s+(?:\w+\s+)?)?$", re.IGNORECASE)
_CUE_NOUN_OF_BEFORE = re.compile(r"\b(\w+)\s+(?:\([^()]{0,20}\)\s*)?of\s*$", re.IGNORECASE)
_DIRECT_OBJECT_BEFORE = re.compile(r"\b(\w+)\s+(?:(?:a|an|the)\s+)?$", re.IGNORECASE)
# Words that soften a number without qualifying it: "a drop of only 0.7%", "a merely 0.3 point".
_SOFTENERS_AT_END = re.compile(r"\b(?:only|just|merely|mere|a\s+mere|a\s+merely|still)\s*$", re.IGNORECASE)
_PARENTHETICAL_AT_START = re.compile(r"^\s*\([^()]{0,60}\)")
_AS_ADJECTIVE_AS = re.compile(r"^\s*as\s+\w+\s+as\b", re.IGNORECASE)
_AS_ADJECTIVE_KIND = {"fast": "gain", "quick": "gain", "quickly": "gain", "efficient": "gain", "accurate": "gain",
                      "slow": "finding", "slowly": "finding", "cheap": "reduction", "small": "reduction"}
_AS_ADJECTIVE = re.compile(r"^\s*as\s+(" + "|".join(_AS_ADJECTIVE_KIND) + r")\b", re.IGNORECASE)
_AS_MANY_AFTER = re.compile(r"^\s*as\s+(?:many|much)\b", re.IGNORECASE)
_OF_AFTER = re.compile(r"^\s*of\s+([^,;:.()]{0,60})", re.IGNORECASE)
_ALL_OF = re.compile(r"^(?:all|each|every)\b", re.IGNORECASE)

_NEXT_WORD = re.compile(r"\s+([A-Za-z]+)")
# Words of a qualifier or a softener, which name nothing that moved ("by only", "by up to").
_QUALIFIER_ONLY = re.compile(r"up|to|more|less|than|at|least|most|about|nearly|almost|around|roughly|over"
                             r"|approximately|only|just|merely|average|on|an|a|no|fewer|below|above|some")
_DIGIT_NEXT = re.compile(r"\s*\d")
_BY_WORD = re.compile(r"\bby\b")
_AT_BEFORE = re.compile(r"\bat\s*$")
_OF_ITS_COST = re.compile(r"\s*of\s+(?:its|their|the)\s+(?:\w+\s+)?(?:cost|price|budget|expense)", re.IGNORECASE)
_ACHIEVED_VALUE_END = re.compile(r"\s*(?:on|in|[,.;)])")
_HALF_OF = re.compile(r"\s*(?:of\s+)?(?:the|its|their|our)\s+")
_CROSS_VALIDATION = re.compile(r"\s*-?\s*(?:cross|validation)", re.IGNORECASE)
_RANGE_GAP = re.compile(r"^\s*(?:-{1,2}|–|—|to|~)\s*$", re.IGNORECASE)
_BETWEEN_BEFORE = re.compile(r"\bbetween\s*$", re.IGNORECASE)
# Separators inside a list of numbers: "1.5, 2.0 and 3.1", "0.2/0.7", "0.88 (for A), 0.84 (for B)".
_LIST_GAP = re.compile(r"^\s*(?:\([^()]{0,60}\)\s*)?(?:[,/&]\s*(?:(?:and|or)\s+)?|(?:and|or)\s+)$", re.IGNORECASE)
# What may not stand between two claims that share a qualifier or kind: a new verb or clause.
_COORDINATION_BREAK = re.compile(
    r"[;:]|\b(?:while|whereas|but|although|though|which|that|respectively|is|are|was|were|be|been|has|have"
    r"|had|can|could|will|would|achiev\w*|reach\w*|obtain\w*|attain\w*|yield\w*|show\w*|demonstrat\w*"
    r"|reduc\w*|improv\w*|outperform\w*|surpass\w*|increas\w*|decreas\w*|accelerat\w*|boost\w*|sav(?:e|es|ing)"
    r"|cuts?|lowers?|speeds?|requir(?:e|es|ed|ing)|us(?:e|es|ing))\b", re.IGNORECASE)
_LAST_COORDINATOR = re.compile(r"(?:,|\band\b|\bor\b|\bwith\b|/)(?!.*(?:,|\band\b|\bor\b|\bwith\b|/))", re.IGNORECASE | re.DOTALL)

# Clause boundaries, searched in the lower-cased text.
_CLAUSE_BREAK = re.compile(r";|,?\s+(?:while|whereas|but|although|though)\s|,\s+which\s")
_CLAUSE_WORDS = (";", "while", "whereas", "but", "though", "which")
_SENTENCE_END = re.compile(r"[.!?](?=\s+[\"'(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset({"e.g", "i.e", "vs", "al", "fig", "figs", "eq", "eqs", "approx", "cf", "resp", "no",
                            "sec", "ref", "refs", "tab", "dr", "mr", "ms", "st", "vol", "pp", "ca"})

# Who a sentence is about: the work itself, or the world before it (lower-cased text).
_SELF = re.compile(
    r"\b(?:we|our|ours|us|this\s+(?:paper|work|study|article|report|method|approach|model|framework)"
    r"|proposed|here|experiments?|experimental|empirical\w*|results\s+(?:show|demonstrate|indicate|reveal))\b")
_BACKGROUND = re.compile(
    r"\b(?:often|typically|usually|commonly|generally|traditionally|previously|historically|frequently"
    r"|widely)\b|(?<!\b(?:than|over|upon|with|from)\s)(?<!\bthe\s)(?<!\bto\s)"
    r"\b(?:existing|conventional|prior\s+(?:work|methods|approaches|studies)|recent\s+(?:work|studies|methods))\b")
# How an abstract names its own work: "we propose ProX", "we present Infini-gram mini, ...".
_INTRODUCTION_VERBS = ("propose", "introduce", "present", "develop", "design", "build", "release", "construct",
                       "curate", "create", "call", "name", "dub", "term")
_INTRODUCTION_OBJECT = re.compile(r"(?:s|d|ed)?\b([^.;]{0,160})")
_NAME_TOKEN = re.compile(r"(?<![\w-])([A-Za-z][\w\-+.]*[A-Z][\w\-+]*|[A-Z]{2,}[\w\-+]*)")
_NAMED_OPENING = re.compile(r"\s*([A-Z][\w\-+]*[A-Z0-9][\w\-+]*)\s*(?:\([^()]{1,40}\)\s*)?,?\s+(?:is|are)\s+an?\b")
_NAME_AFTER_INTRODUCTION = re.compile(r"\s+(?!(?:A|An|The|This|Our|Two|Three|New)\b)([A-Z][\w\-+]{2,})")
_COMPARISON_WORDS = re.compile(r"\b(?:compared|than|over|against|unlike|versus|vs|relative|with|to|upon)\b")
_OTHERS_AS_SUBJECT = re.compile(
    r"\b(?:existing|prior|previous|leading|conventional|traditional|competing|other|baseline|baselines)\b")
_BENCHMARK_WORDS = ("benchmark", "dataset", "evaluation", "test suite", "corpus")
_BENCHMARK_PAPER = re.compile(
    r"\b(?:we|this\s+(?:paper|work|study|article)|here\s+we|in\s+this\s+(?:paper|work))\s+(?:\w+\s+){0,2}?"
    r"(?:propos|introduc|present|develop|releas|construct|build|buil|creat|curat)\w*\b"
    r"(?:(?!\b(?:method|approach|framework|model|technique|algorithm|architecture|system)\b)[^.;]){0,80}?"
    r"\b(?:benchmark|dataset|evaluation|test\s+suite|corpus)\b")

_STOP_WORDS = frozenset({
    "on", "in", "for", "over", "than", "across", "compared", "with", "when", "while", "at", "to", "of", "and",
    "or", "from", "by", "during", "which", "that", "as", "respectively", "without", "against",
    "under", "among", "between", "within", "via", "after", "before", "using", "where", "whereas", "but",
    "vs", "versus",
})
# Words that may follow a metric's value ("an F1 of 0.91 overall"), where a count has its noun.
_AFTER_A_VALUE = frozenset({"overall", "absolute", "relative", "alone", "only", "points", "point"})
# Words that never name a metric on their own ("a 31% relative reduction").
_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "our", "this", "these", "those", "both", "all",
                          "relative", "absolute", "additional", "only"})
_WORD_RE = re.compile(r"[A-Za-z][\w@\-+'.]*[\w+]|[A-Za-z]|[(),;:]|\d[\d.,]*")

_CLAIM_UNITS = frozenset({"percent", "points", "x", "metric", "score"})


# --- working state ----------------------------------------------------------------------------

@dataclass(slots=True)
class _Candidate:
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
class _Group:
    """A run of numbers read together: one number, or a list sharing its unit and context."""
    members: list[_Candidate]
    start: int
    end: int
    sentence: int
    kind: str | None = None
    cue: str | None = None
    kind_source: str = "default"   # default | metric | share | cue
    cue_side: str | None = None    # "left" when a verb before the numbers governs them (it distributes)
    metric: str | None = None


class _Text:
    """The abstract with its sentences, and per-sentence facts computed on demand (most abstracts
    need them for two or three sentences only)."""

    def __init__(self, abstract: str):
        self.abstract = abstract
        self.lowered = abstract.lower()
        starts = [0]
        for m in _SENTENCE_END.finditer(abstract):
            word = abstract[abstract.rfind(" ", 0, m.start()) + 1:m.start()].lstrip("(\"'").lower()
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
            starts.append(m.end())
        self.starts = starts
        self.ends = starts[1:] + [len(abstract)]
        self._self: dict[int, bool] = {}
        self._background: dict[int, bool] = {}
        self._first_self: int | None = None
        self._names: list[str] | None = None
        self._clause_breaks: dict[int, list[tuple[int, int]]] = {}
        self._benchmark: bool | None = None

    def sentence_of(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos) - 1

    def _breaks(self, index: int) -> list[tuple[int, int]]:
        breaks = self._clause_breaks.get(index)
        if breaks is None:
            start, end = self.starts[index], self.ends[index]
            sentence = self.lowered[start:end]
            breaks = [m.span() for m in _CLAUSE_BREAK.finditer(self.lowered, start, end)] \
                if any(word in sentence for word in _CLAUSE_WORDS) else []
            self._clause_breaks[index] = breaks
        return breaks

    def clause_start(self, pos: int) -> int:
        index = self.sentence_of(pos)
        start = self.starts[index]
        for _, end in self._breaks(index):
            if end <= pos:
                start = end
        return start

    def clause_end(self, pos: int) -> int:
        index = self.sentence_of(pos)
        for start, _ in self._breaks(index):
            if start >= pos:
                return start
        return self.ends[index]

    def method_names(self) -> list[str]:
        """Names the abstract gives its own work ("we propose ProX", "(SEA)", "called X")."""
        if self._names is None:
            names = set()
            for verb in _INTRODUCTION_VERBS:
                at = self.lowered.find(verb)
                while at >= 0:
                    found = _INTRODUCTION_OBJECT.match(self.abstract, at + len(verb))
                    if found and (at == 0 or not self.lowered[at - 1].isalnum()):
                        obj = found.group(1)
                        named = _NAME_AFTER_INTRODUCTION.match(obj)
                        if named:
                            names.add(named.group(1))
                        names.update(t.rstrip(".-") for t in _NAME_TOKEN.findall(obj))
                    at = self.lowered.find(verb, at + 1)
            opening = _NAMED_OPENING.match(self.abstract)  # "ProX is a framework that ..."
            if opening:
                names.add(opening.group(1))
            self._names = [n for n in names if len(n) > 1 and not n.isdigit()]
        return self._names

    def is_self(self, index: int) -> bool:
        """Whether the sentence speaks of the work: "we", "our", "experiments", its name."""
        known = self._self.get(index)
        if known is None:
            known = bool(_SELF.search(self.lowered, self.starts[index], self.ends[index]))
            if not known:
                sentence = self.abstract[self.starts[index]:self.ends[index]]
                known = any(name in sentence for name in self.method_names())
            self._self[index] = known
        return known

    def is_background(self, index: int) -> bool:
        """A sentence about the world: before the work is first mentioned (if it ever is), or with
        words like "often", "existing" and nothing about the work."""
        known = self._background.get(index)
        if known is None:
            if self._first_self is None:
                # The work's name is introduced in or after its first "we"/"this paper" sentence
                # (or opens the abstract), so that sentence is the first to speak of the work.
                opening = 0 if _NAMED_OPENING.match(self.abstract) else None
                self._first_self = opening if opening is not None else next(
                    (i for i in range(len(self.starts)) if _SELF.search(self.lowered, self.starts[i], self.ends[i])), 0)
            known = not self.is_self(index) and (index < self._first_self or bool(
                _BACKGROUND.search(self.lowered, self.starts[index], self.ends[index])))
            self._background[index] = known
        return known

    @property
    def benchmark_paper(self) -> bool:
        """Whether the work is a benchmark or dataset (its results then are about others' models)."""
        if self._benchmark is None:
            self._benchmark = any(w in self.lowered for w in _BENCHMARK_WORDS) and bool(
                _BENCHMARK_PAPER.search(self.lowered))
        return self._benchmark


# --- small helpers ---------------------------------------------------------------------------

def _words(text: str, limit: int) -> list[str]:
    return _WORD_RE.findall(text)[:limit]


def _phrase_after(text: str, limit: int = 4) -> list[str]:
    """The words right after a number, up to punctuation or a preposition."""
    phrase = []
    words = _words(text, limit + 2)
    for i, word in enumerate(words):
        if word in "(),;:" or word.lower() in _STOP_WORDS or word[0].isdigit():
            break
        if word.lower() == "relative" and words[i + 1:i + 2] == ["to"]:
            break  # "relative to the baseline" (but "a 31% relative reduction" goes on)
        phrase.append(word)
        if len(phrase) == limit:
            break
    return phrase


def _lower(text: str) -> str:
    """`text` lower-cased, keeping offsets (the rare characters whose lower case is longer stay)."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text


def _metric_before(lead: str) -> str | None:
    """The metric a number right after `lead` is the value of: "accuracy of ", "F1 score (",
    "perplexity (PPL) of ", "nDCG ". Read word by word from the end (an end-anchored regex
    search over the whole lead is slow)."""
    words = lead.replace("(", " ( ").split()[-7:]
    while words and words[-1].lower() in _METRIC_CONNECTORS:
        words.pop()
    if words and words[-1].endswith(")") and "(" in words[-4:]:
        del words[len(words) - 1 - words[::-1].index("("):]  # "perplexity (PPL)"
    if not words:
        return None
    if words[-1].lower() in ("score", "scores") and len(words) > 1 and _SCORE_METRIC_WORD.fullmatch(words[-2]):
        return words[-2]
    if _SCORE_METRIC_WORD.fullmatch(words[-1]):
        return words[-1]
    if len(words) > 1 and _SCORE_METRIC_WORD.fullmatch(" ".join(words[-2:])):
        return " ".join(words[-2:])
    return None


def _cue_of(word: str) -> str | None:
    word = word.lower()
    m = _CUE_RE.fullmatch(word)
    if not m or word in _NOT_A_CUE:
        return None
    return m.lastgroup


def _last_cue(text: str) -> tuple[str, int, int] | None:
    """The cue nearest the end of `text`: (class, start, end) of it in `text`."""
    text = _lower(text)
    found = None
    for m in _CUE_RE.finditer(text):
        if m.group(0).lower() in _NOT_A_CUE:
            continue
        found = (m.lastgroup, m.start(), m.end())
    for pattern in (_SPEED_UP, _MORE_GOOD):
        for m in pattern.finditer(text):
            if found is None or m.end() > found[2]:
                found = (_EVAL_UP, m.start(), m.end())
    return found


def _first_cue(words: list[str]) -> tuple[str, int] | None:
    for i, word in enumerate(words):
        cls = _cue_of(word)
        if cls:
            return cls, i
        if word.lower() == "more" and i + 1 < len(words) and _MORE_GOOD.match(f"more {words[i + 1]}"):
            return _EVAL_UP, i
        if word.lower() == "above":
            return _DIR_UP, i  # "1.9 points above the baseline"
    return None


def _polarity(text: str) -> str | None:
    """"bad" when the first metric named is better lower, "good" when better higher."""
    text = text.lower()
    bad = _LOWER_BETTER.search(text)
    good = _HIGHER_BETTER.search(text)
    if bad and (not good or bad.start() <= good.start()):
        return "bad"
    return "good" if good else None


def _kind_from_cue(cue: str, polarity: str | None) -> str:
    if cue == _EVAL_UP:
        return "reduction" if polarity == "bad" else "gain"
    if cue == _DIR_UP:
        return "finding" if polarity == "bad" else "gain"
    if cue == _DIR_DOWN:
        return "finding" if polarity == "good" else "reduction"
    return "finding"


def _is_resource_head(head: str) -> bool:
    """Whether "N% of <head>" is a share of a resource: "the FLOPs", "the original budget", "the full
    model" (but not "the original labels")."""
    m = _RESOURCE.search(head)
    if not m:
        return False
    if m.group(0).lower().rstrip("'s") not in ("original", "full", "baseline"):
        return True
    words = head.lower().replace("-", " ").split()
    last = words[-1] if words else ""
    return last in ("original", "full", "baseline", "baseline's") or last in _SHARE_OF_WHOLE or bool(
        _RESOURCE.fullmatch(last) and last not in ("original", "full"))


def _clean_metric(words: list[str]) -> str | None:
    words = [w for w in words if w not in "(),;:"]
    while words and (words[0].lower() in _DETERMINERS or words[0].lower() in _STOP_WORDS or _cue_of(words[0])):
        words = words[1:]
    while words and (words[-1].lower() in _DETERMINERS or words[-1].lower() in _STOP_WORDS):
        words = words[:-1]
    return " ".join(words[:5]) or None


# --- the steps -------------------------------------------------------------------------------

def _candidates(text: _Text, numbers: list[Number]) -> list[_Candidate]:
    """Numbers with their qualifiers, ranges joined."""
    abstract = text.abstract
    found: list[_Candidate] = []
    for number in numbers:
        if number.unit == "other":
            continue  # "7B", "32k": sizes and names
        if number.unit is None:
            next_word = _NEXT_WORD.match(abstract, number.end)
            if next_word and next_word.group(1).lower() not in _STOP_WORDS \
                    and next_word.group(1).lower() not in _AFTER_A_VALUE:
                continue  # "25,000 documents", "14 benchmarks": counts
        found.append(_Candidate(number=number, start=number.start, end=number.end, text_end=number.end,
                                value=number.value, value_max=None, unit=number.unit, metric=number.metric,
                                qualifier=number.glued_qualifier))
    joined: list[_Candidate] = []
    for cand in found:
        prev = joined[-1] if joined else None
        # "4% to 9% absolute points": the last unit names the whole range.
        if (prev is not None and cand.unit in _CLAIM_UNITS
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
        lead = _lower(abstract[max(0, cand.start - 30):cand.start])
        m = _QUALIFIER_BEFORE.search(lead)
        if m:
            cand.start -= len(lead) - m.start()
            if m.group("word"):
                word = " ".join(m.group("word").lower().split())
                cand.qualifier = _QUALIFIER_WORDS.get(word, "average")
            else:
                cand.qualifier = _QUALIFIER_SYMBOLS[m.group("symbol")]
        if cand.number.multiplier_word == "factor":
            cand.start = min(cand.start, cand.number.start)
        cand.sentence = text.sentence_of(cand.number.num_start)
    return joined


def _mark_comparisons(text: _Text, cands: list[_Candidate]) -> None:
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
            if nxt.unit is None and cand.unit in _CLAIM_UNITS:
                nxt.unit, nxt.metric = cand.unit, cand.metric
        elif len(gap) < 30 and _VERSUS_BEFORE.search(gap) and nxt.unit in (None, cand.unit):
            cand.role, nxt.role = "own", "baseline"


def _groups(text: _Text, cands: list[_Candidate]) -> list[_Group]:
    """Lists of numbers: a trailing unit binds the bare numbers before it."""
    abstract = text.abstract
    groups: list[_Group] = []
    for cand in cands:
        last = groups[-1].members[-1] if groups else None
        if (last is not None and last.sentence == cand.sentence and last.unit != "other"
                and cand.unit != "other" and last.role is None and cand.role is None
                and _LIST_GAP.match(abstract[last.end:cand.start])):
            groups[-1].members.append(cand)
            groups[-1].end = cand.end
        else:
            groups.append(_Group(members=[cand], start=cand.start, end=cand.end, sentence=cand.sentence))
    for group in groups:
        members = group.members
        for i in range(len(members) - 2, -1, -1):
            if members[i].unit is None and members[i + 1].unit in _CLAIM_UNITS:
                members[i].unit, members[i].metric = members[i + 1].unit, members[i + 1].metric
                members[i].text_end = members[i + 1].text_end
                if members[i + 1].number.unit == "x":
                    members[i].number.multiplier_word = members[i + 1].number.multiplier_word
        first = members[0]
        if first.qualifier:
            for member in members[1:]:
                member.qualifier = member.qualifier or first.qualifier
    return groups


def _bind_plain_numbers(text: _Text, group: _Group) -> None:
    """A plain number is a claim only as a metric's value: "F1 of 0.91", "(~ 0.3)" after "correlation"."""
    abstract = text.abstract
    first = group.members[0]
    if first.unit is not None:
        return
    lead = _SOFTENERS_AT_END.sub("", abstract[max(text.starts[first.sentence], first.start - 60):first.start])
    after = abstract[group.end:group.end + 3]
    number_text = abstract[first.number.num_start:first.number.num_end]

    def metric_in_clause(reach: int) -> str | None:
        found = list(_SCORE_METRIC_ANYWHERE.finditer(abstract[text.clause_start(first.start):first.start][-reach:]))
        return found[-1].group(0) if found else None

    if _SPEEDUP_OF.search(lead[-30:]):
        for member in group.members:  # "a speedup of 2.5": a multiplier with its unit before it
            if member.unit is None:
                member.unit, member.number.multiplier_word = "x", "speedup"
        return
    metric = _metric_before(lead)
    if metric is None:
        if lead.rstrip().endswith("(") and after.lstrip().startswith(")") and "." in number_text:
            metric = metric_in_clause(90)    # "weak correlation with human ratings (~ 0.3)"
        elif first.role == "target":
            metric = metric_in_clause(120)   # "perplexity rises from 8.1 to 8.4"
        elif _BY_BEFORE.search(lead):
            metric = metric_in_clause(60)    # "improves BLEU by 1.2"
            if metric is None and "." in number_text \
                    and _last_cue(abstract[text.clause_start(first.start):first.start]):
                metric = ""                  # "increases the peak reward by 0.31": a change, metric unnamed
            if metric is not None:
                for member in group.members:
                    member.difference = True
        elif first.role == "own":
            metric = metric_in_clause(120)   # "perplexity at 32K is 7.12 vs. 7.85"
        elif _ACHIEVE_BEFORE.search(lead) and "." in number_text and _ACHIEVED_VALUE_END.match(after):
            metric = ""                      # "attains 45.6 on the benchmark": a score, metric unnamed
    if metric is None:
        return
    for member in group.members:
        if member.unit is None:
            member.unit, member.metric = "metric", metric or None


def _multiplier_is_outcome(text: _Text, group: _Group) -> bool:
    """Whether "Nx" / "N times" / "N-fold" / "half" is a measured ratio rather than an input or a count."""
    abstract = text.abstract
    last = group.members[-1]
    how = last.number.multiplier_word
    after = _PARENTHETICAL_AT_START.sub("", abstract[group.end:min(group.end + 60, text.ends[group.sentence])])
    after_words = _words(after, 4)
    lead = abstract[text.clause_start(group.start):group.start]
    if how == "times" and _DIGIT_NEXT.match(after):
        return False  # "256 times 256"
    if how == "speedup":
        return True  # "a speedup of 2.5" names what it measures
    if how == "half":
        return bool(_HALF_OF.match(after)) and bool(
            _RESOURCE.search(" ".join(after_words[1:])))
    first_cue = _first_cue(after_words[:3])
    if _DATA_SIZE.match(after.strip()) and not (first_cue and first_cue[1] == 0):
        return False
    if _AS_ADJECTIVE_AS.match(after):
        return True  # "6 times as fast as"
    if not after_words or after_words[0] in "(),;:" or after_words[0].lower() in _STOP_WORDS:
        if how in ("times", "fold") and not group.members[0].number.word and not _last_cue(lead) \
                and not _BY_BEFORE.search(lead):
            return False  # "repeated 5 times.": a count
        return True
    if first_cue or _AS_MANY_AFTER.match(after) or after_words[0].lower() in ("more", "relative", "compared", "than"):
        return True  # "4.3x faster", "5 times more sample-efficient"
    head = " ".join(after_words[:3])
    if _RESOURCE.search(head) or _HIGHER_BETTER.search(head.lower()) or _MULTIPLIER_TARGET.search(head):
        return not _CROSS_VALIDATION.match(after)
    return False


def _is_setting(text: _Text, group: _Group) -> bool:
    """Whether the numbers describe how an experiment was set up rather than what it measured."""
    abstract = text.abstract
    lead = abstract[text.clause_start(group.start):group.start]
    if _CONDITION_BEFORE.search(lead[-60:]):
        return True  # "when the amateur is 10x smaller": a condition
    if group.members[-1].unit == "x":
        return bool(_SETTING_BEFORE_MULTIPLIER.search(lead[-40:]))
    if group.members[-1].unit not in ("percent", "points"):
        return False
    after = abstract[group.end:min(group.end + 40, text.ends[group.sentence])]
    if _SETTING_AFTER.match(after):
        return True
    near = lead[-60:]
    setting = _SETTING_BEFORE.search(near) if any(w in near.lower() for w in _SETTING_WORDS) else None
    if setting:
        noun_on = setting.group(0)[len(setting.group(1) or ""):]
        modifier = (setting.group(1) or "").strip().lower()
        if not _last_cue(noun_on) and " by" not in noun_on and not _RATE_OF_SOMETHING.match(noun_on) and (
                modifier not in _OUTCOME_RATE or _PRESET.search(lead[-60:])):
            return True
    if _MANIPULATED_BEFORE.search(lead[-30:]) and _OF_AFTER.match(after):
        return True  # "merging 40% of the frames": how much of the input the method touches
    if _TOP_BEFORE.search(lead[-8:]):
        return True  # "the top 10% of documents"
    of_phrase = _OF_AFTER.match(after)
    head = _METRIC_ADJECTIVE_AT_START.sub("", after.lstrip())
    measured = _PERFORMANCE.search(of_phrase.group(1)) if of_phrase else (
        _SCORE_METRIC_ANYWHERE.match(head) or _PERFORMANCE.match(head))
    if _KEEP_BEFORE.search(lead[-30:]) and not measured:
        return True  # "keeping 50% (of the data)": a selection knob
    if _AT_BEFORE.search(lead[-6:]):
        if _RETAINED_AT.search(lead[-30:]):
            return False  # "accuracy is retained at 97%"
        before_at = _words(lead[:lead.rstrip().rfind("at")], 40)[-1:]
        if measured and not (before_at and _SCORE_METRIC_ANYWHERE.fullmatch(before_at[0])):
            return False  # "cuts FLOPs by 42% at 81.3% top-1 accuracy" (but "precision at 90% recall")
        return not _OF_ITS_COST.match(after)
    return False


def _is_baseline_by_comparison(text: _Text, group: _Group, window_start: int) -> bool:
    """A number introduced by "compared to", "than" or "vs." is someone else's."""
    lead = text.abstract[window_start:group.start]
    markers = list(_COMPARED_TO.finditer(lead))
    beaten = list(_BEATEN_BEFORE.finditer(lead))
    first = group.members[0]
    if beaten and (not markers or beaten[-1].end() > markers[-1].end()) \
            and not first.number.sign and not first.qualifier:
        # "surpassing a 7B model trained on rationales (39.8%)": the bracketed number is the other's.
        rest = lead[beaten[-1].end():]
        return rest.rstrip().endswith("(") and len(rest) <= 80 and not _BY_WORD.search(rest) \
            and not re.search(r"[,;]", rest)
    if not markers:
        return False
    rest = lead[markers[-1].end():]
    # Only the phrase right after the marker ("than the dense model's 7.45 PPL", "than X (71.2%)"),
    # not a new phrase after a comma or inside a parenthesis.
    inside = rest.rstrip().rstrip("(")
    if group.members[0].qualifier == "average":
        return False  # "(on average 3.3x)" restates the work's own result
    if _COORDINATION_BREAK.search(rest) or _NEW_VERB_PHRASE.search(rest):
        return False  # "12x faster than the baseline and using 8 times fewer parameters": a new phrase
    return (len(rest) <= 50 and "," not in rest and "(" not in inside and not _last_cue(rest)
            and not _BY_WORD.search(rest))


def _classify(text: _Text, group: _Group, window_start: int, window_end: int) -> None:
    """Set the group's kind from the words around it (see the module docstring, step 5)."""
    abstract = text.abstract
    first, last = group.members[0], group.members[-1]
    lead = abstract[window_start:group.start]
    governed_lead = _SOFTENERS_AT_END.sub("", lead)
    after = _PARENTHETICAL_AT_START.sub("", abstract[group.end:window_end])
    after_phrase = _phrase_after(after, 4)
    metric = last.metric
    polarity_of_metric = _polarity(metric) if metric else None

    def done(kind: str, source: str, cue: str | None = None, metric_words: list[str] | None = None) -> None:
        group.kind, group.kind_source, group.cue = kind, source, cue
        group.metric = metric or (_clean_metric(metric_words) if metric_words else None)

    def kind_of_left_cue(found: tuple[str, int, int], context: str, metric_from: str | None = None) -> None:
        """A cue found in `context` before the number: what moved is between them, or (for a
        direction word with no object) its subject just before it: "performance drop of 0.7%",
        "a high AUC (dropping 3%)", "cross-entropy against human labels falls by 17%"."""
        cls, cue_start, cue_end = found
        between = context[cue_end:]
        polarity = polarity_of_metric or _polarity(between)
        between_words = [w for w in _words(between, 12) if w.lower() not in ("by", "of")]
        has_object = any(w[0].isalpha() and w.lower() not in _STOP_WORDS and w.lower() not in _DETERMINERS
                         and not _QUALIFIER_ONLY.fullmatch(w.lower()) for w in between_words)
        if polarity is None and cls in (_DIR_UP, _DIR_DOWN) and not has_object:
            polarity = _polarity(" ".join(_words(context[:cue_start], 40)[-6:]))
        polarity = polarity or _polarity(" ".join(after_phrase))
        if metric_from is not None:
            between_words = [w for w in _words(metric_from, 12) if w.lower() not in ("by", "of")]
        done(_kind_from_cue(cls, polarity), "cue", cls, between_words or after_phrase)
        group.cue_side = "left"

    if first.role in ("target", "own"):
        before_from = lead[:lead.lower().rfind("from")] if first.role == "target" else lead
        words = [w for w in _words(before_from, 40)[-4:] if not _cue_of(w)]
        return done("score", "cue", None, words)
    if last.number.multiplier_word == "half":
        return done("share", "cue", None, _phrase_after(_HALF_OF.sub("", after, count=1), 4))  # "half the energy"
    as_adjective = _AS_ADJECTIVE.match(after)
    if last.unit == "x" and as_adjective:  # "twice as fast as", "3 times as slow"
        return done(_AS_ADJECTIVE_KIND[as_adjective.group(1).lower()], "cue", None, [as_adjective.group(1)])
    # 1. A cue right after the number: "22% reduction in errors", "2.9x faster", "6.5% higher".
    cue = _first_cue(after_phrase[:3])
    if cue:
        cls, at = cue
        word = after_phrase[at].lower()
        if word in _NAMES_ITS_QUANTITY:  # "4.3x faster", "3.6x smaller": the word says what moved
            return done(_NAMES_ITS_QUANTITY[word], "cue", cls, after_phrase[:at + 1])
        # What moved: before the cue ("precision improvement") or its object ("reduction in errors").
        rest = _words(after, 12)[at + 1:]
        if rest and rest[0].lower() in ("in", "of"):
            rest = rest[1:]
        target = _phrase_after(" ".join(rest), 3)
        polarity = polarity_of_metric or _polarity(" ".join(after_phrase[:at])) or _polarity(" ".join(target))
        if polarity is None and cls in (_DIR_UP, _DIR_DOWN):
            # "the number of tokens is 9x higher": the subject says what went up.
            polarity = _polarity(" ".join(_words(lead, 40)[-5:]))
        return done(_kind_from_cue(cls, polarity), "cue", cls, after_phrase[:at] or target or after_phrase[:at + 1])
    # A cost named after a metric: "1% accuracy loss", "0.2 point accuracy gap".
    for i, word in enumerate(after_phrase[1:4], start=1):
        if word.lower() in _COST_NOUNS and _HIGHER_BETTER.search(after_phrase[i - 1].lower()):
            return done("finding", "cue", _EVAL_DOWN, after_phrase[:i + 1])
    # 2. A written sign: "+2.2%", "+0.05 validation loss".
    sign = first.number.sign
    if sign:
        cls = _DIR_UP if sign == "+" else _DIR_DOWN
        polarity = polarity_of_metric or _polarity(" ".join(after_phrase))
        return done(_kind_from_cue(cls, polarity), "cue", cls, after_phrase)
    # 3. A verb or noun governing the number: "reduce memory by 48%", "improvement of 12%", "saves 25%".
    if _BY_BEFORE.search(governed_lead):
        # The verb may sit before an earlier number of the clause: "reduce A by 10x and B by 3x".
        found = _last_cue(lead)
        if found:
            return kind_of_left_cue(found, lead)
        clause = abstract[text.clause_start(group.start):window_start]
        found = _last_cue(clause)
        if found:  # "cut cost by 60%, latency by 45%": the verb governs the whole run
            return kind_of_left_cue(found, clause + lead, metric_from=lead)
    m = _CUE_NOUN_OF_BEFORE.search(governed_lead)
    if m and m.group(1).lower() in _COST_OF and not _last_cue(" ".join(governed_lead[:m.start(1)].split()[-3:])):
        return done("finding", "cue", _EVAL_DOWN, _words(governed_lead[max(0, m.start(1) - 30):m.end(1)], 6))
    m = m or _DIRECT_OBJECT_BEFORE.search(governed_lead)
    if m and _cue_of(m.group(1)):
        return kind_of_left_cue((_cue_of(m.group(1)), m.start(1), m.end(1)), governed_lead)
    if last.unit == "percent" and _ACHIEVE_BEFORE.search(governed_lead) and not _OF_AFTER.match(after):
        return done("score", "metric", None, after_phrase)  # "achieves 47.3% on the benchmark"
    clause_lead = abstract[text.clause_start(group.start):group.start]
    of_phrase = _OF_AFTER.match(after)
    if last.unit == "percent":
        if _SOLVE_BEFORE.search(governed_lead):
            return done("score", "metric", None, _phrase_after(of_phrase.group(1), 4) if of_phrase else after_phrase)
        if _IN_AT_END.search(governed_lead) and of_phrase and _PREFERRED.search(clause_lead):
            return done("score", "metric", None, ["preference"])  # a win rate
    if last.unit in ("percent", "x") and of_phrase:
        head_words = _phrase_after(of_phrase.group(1), 5)
        resource = _RESOURCE.search(" ".join(head_words))
        if _RETAIN_BEFORE.search(governed_lead) and not (
                resource and resource.group(0).lower().rstrip("'s") not in ("original", "full", "baseline")):
            return done("score", "metric", None, head_words)  # "retains 96% of the accuracy of X"
        if _TRAINED_ON_BEFORE.search(governed_lead):
            return done("share", "share", None, head_words)  # "trained on the selected 5% of Alpaca"
    # 4. Shares of a resource: "only 9% as many tokens", "60% of the original budget", "40% FLOPs".
    if last.unit in ("percent", "x"):
        as_many = _AS_MANY_AFTER.match(after)
        if as_many:
            return done("share", "cue", None, _phrase_after(after[as_many.end():], 4))
        of_phrase = _OF_AFTER.match(after)
        if of_phrase:
            head_words = _phrase_after(of_phrase.group(1), 5)
            head = " ".join(head_words)
            if _PERFORMANCE.search(head) or _SCORE_METRIC_ANYWHERE.search(head):
                return done("score", "metric", None, head_words)  # "96% of the MRR@10 of X"
            if _is_resource_head(head) and not _ALL_OF.match(head) and head.lower() != "the time":
                return done("share", "share", None, head_words)
            return done("finding", "cue", None, head_words)
        if after_phrase and _RESOURCE.search(" ".join(after_phrase[:3])):
            return done("share", "share", None, after_phrase)
    # 5. A metric written next to the number: "88.2% precision", "nDCG 64.10%", "F1 of 0.91".
    #    (Points are a difference, never a level.)
    before = _metric_before(lead)
    head = after_phrase[1:2] if after_phrase and after_phrase[0].lower() in _METRIC_ADJECTIVES else after_phrase[:1]
    metric_after = bool(head) and bool(_SCORE_METRIC_ANYWHERE.match(head[0]) or _PERFORMANCE.match(head[0]))
    if not last.difference and (last.unit != "points" and (metric or metric_after or before)
                                or last.unit == "points" and before):
        # ("a mean absolute error of 1.9 points" is a level; other points are differences)
        words = [metric] if metric else (after_phrase if metric_after else [before])
        return done("score", "metric", None, words)
    if not last.difference and last.unit in ("percent", "score", "metric") and _COPULA_AT_END.search(governed_lead):
        subject = clause_lead[:len(clause_lead) - len(governed_lead)] + governed_lead
        found = list(_SCORE_METRIC_ANYWHERE.finditer(subject)) or list(_PERFORMANCE.finditer(subject))
        if found:  # "passkey retrieval accuracy at 32K is 99.2%"
            return done("score", "metric", None, [found[-1].group(0)])
    # 6. A cue earlier in the clause: "boosts recall on both tasks (up to 11.5%)".
    #    (A direction word before "to" gives a level, not a change: "rising to 21% in ANLI".)
    found = _last_cue(lead)
    to_level = _CUE_TO_AT_END.search(governed_lead)
    if found and not (to_level and _cue_of(to_level.group(1))):
        return kind_of_left_cue(found, lead)
    # 7. Nothing said: a multiplier is a gain ("12x the training length"), a percent a finding.
    default = {"x": "gain", "metric": "finding" if last.difference else "score"}.get(last.unit, "finding")
    return done(default, "default", None, after_phrase)


def _coordinated(text: _Text, earlier: _Group, later: _Group) -> tuple[bool, bool]:
    """(shares context, later has no words of its own before it) for two groups of a sentence."""
    gap = text.abstract[earlier.end:later.start]
    if len(gap) > 160 or _COORDINATION_BREAK.search(gap):
        return False, False
    coordinator = _LAST_COORDINATOR.search(gap)
    if coordinator is None and gap.strip():
        return False, False  # "by 42% at 81.3% top-1 accuracy": no list, no shared reading
    tail = gap[coordinator.end():] if coordinator else gap
    own_words = _CUE_RE.search(tail.lower()) or _SCORE_METRIC_ANYWHERE.search(tail) or _BY_WORD.search(tail)
    return True, not own_words


def _is_others_clause(text: _Text, group: _Group) -> bool:
    """A clause about other work inside a sentence about this one: "leading approaches reach a
    perplexity of 10, but ours reaches 6.7"."""
    start, end = text.clause_start(group.start), text.clause_end(group.end)
    index = group.sentence
    if (start, end) == (text.starts[index], text.ends[index]):
        return False  # a one-clause sentence: the sentence-level reading decides
    clause = text.abstract[start:end]
    lowered = text.lowered[start:end]
    others = _OTHERS_AS_SUBJECT.search(lowered)
    if not others or others.start() > group.start - start or _last_cue(clause[:others.start()]) \
            or _COMPARISON_WORDS.search(" ".join(lowered[:others.start()].split()[-3:])):
        return False  # no other work named before the number, or only as an object ("beats prior work",
        # "compared with traditional methods")
    # The subject comes first: "prior methods reach 11.2 on our test set" is about prior methods.
    ours = _SELF.search(lowered)
    named = [clause.find(name) for name in text.method_names() if name in clause]
    return not (ours and ours.start() < others.start()) and not any(at < others.start() for at in named)


def _is_from_setting(text: _Text, group: _Group) -> bool:
    """"masking rate from 10% to 40%": a setting being varied, not an outcome."""
    lead = text.abstract[text.clause_start(group.start):group.start]
    frm = lead.lower().rfind("from")
    setting = _SETTING_BEFORE.search(lead[:frm].rstrip()[-40:] + " ") if frm >= 0 else None
    if setting and _RATE_OF_SOMETHING.match(setting.group(0)[len(setting.group(1) or ""):]):
        return False  # "reduces the rate of unsupported entities from 23% to 11%"
    return bool(setting) and (setting.group(1) or "").strip().lower() not in _OUTCOME_RATE


def _average_qualifier(text: _Text, group: _Group) -> None:
    """"improving average accuracy by 4.4%", "by 1.2% on average": the number is an average."""
    abstract = text.abstract
    after = abstract[group.end:min(group.end + 50, text.ends[group.sentence])]
    lead = abstract[text.clause_start(group.start):group.start]
    # An "average" before an earlier number belongs to that number: "62.8 on average, 1.9 points above".
    numbers_in_lead = list(_NUMBER_IN_TEXT.finditer(lead))
    if numbers_in_lead:
        lead = lead[numbers_in_lead[-1].end():]
        own = _AVERAGE_AFTER.match(lead)
        if own:
            lead = lead[own.end():]
    written_after = bool(_AVERAGE_AFTER.match(after))
    if written_after or _AVERAGE_WORD.search(" ".join(lead.split()[-6:])):
        for member in group.members:
            if member.qualifier is None:
                member.qualifier, member.qualifier_after = "average", written_after


def _claim(text: _Text, group: _Group, member: _Candidate, kind: str) -> Claim:
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
    text = _Text(abstract)
    cands = _candidates(text, numbers)
    _mark_comparisons(text, cands)
    groups = _groups(text, cands)

    kept: list[_Group] = []
    for group in groups:
        _bind_plain_numbers(text, group)
        members = group.members
        if members[-1].unit not in _CLAIM_UNITS or any(m.role == "baseline" for m in members):
            continue
        group.members = [m for m in members if m.unit in _CLAIM_UNITS]
        if members[-1].unit == "x" and not _multiplier_is_outcome(text, group):
            continue
        if _is_setting(text, group) or text.is_background(group.sentence) or _is_others_clause(text, group):
            continue
        if group.members[0].role == "target" and members[0].unit in ("percent", "points") \
                and _is_from_setting(text, group):
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
        if group.members[0].role != "target" and _is_baseline_by_comparison(text, group, window_start):
            group.kind = "dropped"
            continue
        _classify(text, group, window_start, window_end)
    kept = [g for g in kept if g.kind != "dropped"]
    for group in kept:
        _average_qualifier(text, group)

    for earlier, later in zip(kept, kept[1:]):
        if earlier.sentence != later.sentence:
            continue
        shares, bare = _coordinated(text, earlier, later)
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
                polarity = _polarity(later.members[-1].metric or "") or _polarity(earlier.metric or "")
                later.kind = _kind_from_cue(earlier.cue, polarity)
            else:
                later.kind = earlier.kind
            later.cue, later.kind_source, later.cue_side = earlier.cue, earlier.kind_source, earlier.cue_side
            later.metric = later.metric or earlier.metric

    claims: list[Claim] = []
    for group in kept:
        kind = group.kind
        if not text.is_self(group.sentence) and text.benchmark_paper:
            kind = "finding"  # a benchmark's results about other people's models
        for member in group.members:
            claims.append(_claim(text, group, member, kind))
    return claims
