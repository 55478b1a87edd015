"""Stage 3a: whose number it is. A claim is about the work the abstract presents, so numbers are
left out when their sentence is about the world before it ("often", "existing", before the work is
named), when their clause's subject is other work ("prior methods reach ..."), or when they follow
"than", "compared to" (someone else's level). A sentence opening with a pronoun ("It", "They")
carries the previous sentence's subject.
"""
from __future__ import annotations

import re

from .screen import Screened
from .cues import last_cue
from .phrases import Group
from .text import Text
from .vocabulary import BY_WORD, COORDINATION_BREAK

_COMPARED_TO = Screened(re.compile(r"\b(?:compared\s+(?:to|with)|relative\s+to|than|versus|vs\.?|(?:up|down)\s+from)\s",
                          re.IGNORECASE),
    needs=("compared", "relative", "than", "versus", "vs", "from"))

_BEATEN_BEFORE = Screened(re.compile(r"\b(?:surpass\w*|outperform\w*|beat|beats|beating|exceed\w*|outperforming)\s",
                            re.IGNORECASE),
    needs=("surpass", "outperform", "beat", "exceed"))

# "than the best baseline and needs 5x fewer ...": a second verb phrase after a comparison.
_NEW_VERB_PHRASE = re.compile(
    r"\b(?:and|while|but|yet)\s+(?:\w+ly\s+)?(?:needs?|needing|runs?|running|trains?|takes?|taking|consum\w*"
    r"|match(?:es|ing)?|deliver\w*|gives?|giving|has|have|having|keeps?|keeping|retain\w*|maintain\w*"
    r"|scores?|scoring|attains?|lowers?|raises?|halves|doubles|triples|shrinks?|speeds?|generates?|produces?)\b",
    re.IGNORECASE)

# Who a sentence is about: the work itself, or the world before it (lower-cased text).
SELF = re.compile(
    r"\b(?:we|our|ours|us|this\s+(?:paper|work|study|article|report|method|approach|model|framework)"
    r"|proposed|here|experiments?|experimental|empirical\w*|results\s+(?:show|demonstrate|indicate|reveal))\b")

_COMPARISON_WORDS = re.compile(r"\b(?:compared|than|over|against|unlike|versus|vs|relative|with|to|upon)\b")

_OTHERS_AS_SUBJECT = re.compile(
    r"\b(?:existing|prior|previous|leading|conventional|traditional|competing|other|baseline|baselines)\b")

_BACKGROUND = re.compile(
    r"\b(?:often|typically|usually|commonly|generally|traditionally|previously|historically|frequently"
    r"|widely)\b|(?<!\b(?:than|over|upon|with|from)\s)(?<!\bthe\s)(?<!\bto\s)"
    r"\b(?:existing|conventional|prior\s+(?:work|methods|approaches|studies)|recent\s+(?:work|studies|methods))\b")

# How an abstract names its own work: "we propose ProX", "we present Foo-lite, ...".
_INTRODUCTION_VERBS = ("propose", "introduce", "present", "develop", "design", "build", "release", "construct",
                       "curate", "create", "call", "name", "dub", "term")

_INTRODUCTION_OBJECT = re.compile(r"(?:s|d|ed)?\b([^.;]{0,160})")

_NAME_TOKEN = re.compile(r"(?<![\w-])([A-Za-z][\w\-+.]*[A-Z][\w\-+]*|[A-Z]{2,}[\w\-+]*)")

_NAMED_OPENING = re.compile(r"\s*([A-Z][\w\-+]*[A-Z0-9][\w\-+]*)\s*(?:\([^()]{1,40}\)\s*)?,?\s+(?:is|are)\s+an?\b")

_NAME_AFTER_INTRODUCTION = re.compile(r"\s+(?!(?:A|An|The|This|Our|Two|Three|New)\b)([A-Z][\w\-+]{2,})")

_BENCHMARK_WORDS = ("benchmark", "dataset", "evaluation", "test suite", "corpus")

_BENCHMARK_PAPER = re.compile(
    r"\b(?:we|this\s+(?:paper|work|study|article)|here\s+we|in\s+this\s+(?:paper|work))\s+(?:\w+\s+){0,2}?"
    r"(?:propos|introduc|present|develop|releas|construct|build|buil|creat|curat)\w*\b"
    r"(?:(?!\b(?:method|approach|framework|model|technique|algorithm|architecture|system)\b)[^.;]){0,80}?"
    r"\b(?:benchmark|dataset|evaluation|test\s+suite|corpus)\b")


def method_names(text: Text) -> list[str]:
    """Names the abstract gives its own work ("we propose ProX", "(SEA)", "called X")."""
    if text.work_names is None:
        names = set()
        for verb in _INTRODUCTION_VERBS:
            at = text.lowered.find(verb)
            while at >= 0:
                found = (at == 0 or not text.lowered[at - 1].isalnum()) \
                    and _INTRODUCTION_OBJECT.match(text.abstract, at + len(verb))
                # (a name has a capital letter: an object without one names nothing)
                if found and found.group(1).lower() != found.group(1):
                    obj = found.group(1)
                    named = _NAME_AFTER_INTRODUCTION.match(obj)
                    if named:
                        names.add(named.group(1))
                    names.update(t.rstrip(".-") for t in _NAME_TOKEN.findall(obj))
                at = text.lowered.find(verb, at + 1)
        opening = _NAMED_OPENING.match(text.abstract)  # "ProX is a framework that ..."
        if opening:
            names.add(opening.group(1))
        text.work_names = [n for n in names if len(n) > 1 and not n.isdigit()]
    return text.work_names

# A sentence whose subject is a pronoun or "the method" continues the previous sentence's subject:
# after a sentence about the work, "It cuts latency by 30%" is about the work too.
_CARRIED_SUBJECT = re.compile(
    r"\s*(?:it|they|its|their|this|these|such|both|the\s+(?:resulting|new|final|same)\s+\w+"
    r"|the\s+(?:method|approach|model|framework|system|technique|algorithm)s?)\b")


def is_self(text: Text, index: int) -> bool:
    """Whether the sentence speaks of the work: "we", "our", "experiments", its name, or a pronoun
    carrying the subject of a previous sentence that does."""
    known = text.self_sentences.get(index)
    if known is None:
        known = bool(SELF.search(text.lowered, text.starts[index], text.ends[index]))
        if not known:
            sentence = text.abstract[text.starts[index]:text.ends[index]]
            known = any(name in sentence for name in method_names(text))
        if not known and index > 0 and _CARRIED_SUBJECT.match(text.lowered, text.starts[index]):
            known = is_self(text, index - 1)
        text.self_sentences[index] = known
    return known


def is_background(text: Text, index: int) -> bool:
    """A sentence about the world: before the work is first mentioned (if it ever is), or with
    words like "often", "existing" and nothing about the work."""
    known = text.background_sentences.get(index)
    if known is None:
        # (most numbers sit in sentences about the work: the first such sentence is looked for only
        # for the others)
        known = not is_self(text, index) and (index < _first_self_sentence(text) or bool(
            _BACKGROUND.search(text.lowered, text.starts[index], text.ends[index])))
        text.background_sentences[index] = known
    return known


def _first_self_sentence(text: Text) -> int:
    if text.first_self_sentence is None:
        # The work's name is introduced in or after its first "we"/"this paper" sentence
        # (or opens the abstract), so that sentence is the first to speak of the work.
        opening = 0 if _NAMED_OPENING.match(text.abstract) else None
        text.first_self_sentence = opening if opening is not None else next(
            (i for i in range(len(text.starts)) if SELF.search(text.lowered, text.starts[i], text.ends[i])), 0)
    return text.first_self_sentence


def is_benchmark_paper(text: Text) -> bool:
    """Whether the work is a benchmark or dataset (its results then are about others' models)."""
    if text.benchmark_paper is None:
        text.benchmark_paper = any(w in text.lowered for w in _BENCHMARK_WORDS) and bool(
            _BENCHMARK_PAPER.search(text.lowered))
    return text.benchmark_paper


def is_baseline_by_comparison(text: Text, group: Group, window_start: int) -> bool:
    """A number introduced by "compared to", "than" or "vs." is someone else's."""
    lead = text.abstract[window_start:group.start]
    markers = list(_COMPARED_TO.finditer(lead))
    beaten = list(_BEATEN_BEFORE.finditer(lead))
    first = group.members[0]
    if beaten and (not markers or beaten[-1].end() > markers[-1].end()) \
            and not first.number.sign and not first.qualifier:
        # "surpassing a 7B model trained on rationales (39.8%)": the bracketed number is the other's.
        rest = lead[beaten[-1].end():]
        return rest.rstrip().endswith("(") and len(rest) <= 80 and not BY_WORD.search(rest) \
            and not re.search(r"[,;]", rest)
    if not markers:
        return False
    rest = lead[markers[-1].end():]
    # Only the phrase right after the marker ("than the dense model's 7.45 PPL", "than X (71.2%)"),
    # not a new phrase after a comma or inside a parenthesis.
    inside = rest.rstrip().rstrip("(")
    if group.members[0].qualifier == "average":
        return False  # "(on average 3.3x)" restates the work's own result
    if COORDINATION_BREAK.search(rest) or _NEW_VERB_PHRASE.search(rest):
        return False  # "12x faster than the baseline and using 8 times fewer parameters": a new phrase
    return (len(rest) <= 50 and "," not in rest and "(" not in inside and not last_cue(rest)
            and not BY_WORD.search(rest))


_RELATIVE_START = re.compile(r"\s*(?:which|that|who)\b")
_RELATIVE_BEFORE = re.compile(r"\b(?:which|that|who)\s*$")


def is_others_clause(text: Text, group: Group) -> bool:
    """A clause about other work inside a sentence about this one: "leading approaches reach a
    perplexity of 10, but ours reaches 6.7"."""
    start, end = text.clause_start(group.start), text.clause_end(group.end)
    index = group.sentence
    if (start, end) == (text.starts[index], text.ends[index]):
        return False  # a one-clause sentence: the sentence-level reading decides
    clause = text.abstract[start:end]
    lowered = text.lowered[start:end]
    relative = _RELATIVE_START.match(lowered) or _RELATIVE_BEFORE.search(text.lowered, max(0, start - 8), start)
    if relative and _OTHERS_AS_SUBJECT.search(text.lowered, max(text.starts[index], start - 40),
                                                                    start):
        return True  # "existing methods, which lose 10% accuracy, ...": the clause describes other work
    others = _OTHERS_AS_SUBJECT.search(lowered)
    if not others or others.start() > group.start - start or last_cue(clause[:others.start()]) \
            or _COMPARISON_WORDS.search(" ".join(lowered[:others.start()].split()[-3:])):
        return False  # no other work named before the number, or only as an object ("beats prior work",
        # "compared with traditional methods")
    # The subject comes first: "prior methods reach 11.2 on our test set" is about prior methods.
    ours = SELF.search(lowered)
    named = [clause.find(name) for name in method_names(text) if name in clause]
    return not (ours and ours.start() < others.start()) and not any(at < others.start() for at in named)
