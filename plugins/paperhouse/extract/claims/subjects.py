"""Stage 4b: whose result a taken number is. claims.md: results about other people's systems
measured in the paper's own analysis are `finding`, whatever direction word they carry. The
sentence's subject says whose result it is (rule `kind.others_systems_subject`):

- a population of systems, in any paper: "current models", "most LLMs", "state-of-the-art
  systems", "the largest model", "automatic metrics" ("We find that frontier models solve only
  12% of the tasks", "Even the best model improves by only 3%");
- in an analysis paper (one that studies or evaluates systems and introduces no method of its
  own) or a benchmark paper, also any plural of systems ("4-bit models", "larger models") and an
  existing system named as the subject ("We find that fine-tuned Foo-7B beats Bar by 5%"). In a
  method paper these are usually the work applied to another model or size.

A subject is read at the start of the sentence, after an opening phrase ("However,", "On the
hard split,") and a reporting clause ("we find that", "our results show"), and again after each
"that" of a reporting verb and each ", while"; the nearest one before the number counts. Nothing
about the work ("we", "our", its name, "the resulting data") may stand in or after that subject
before the number: "current models trail our method by 9%" is the work's own result.

In an analysis paper, a level in a sentence not about the work is a finding too
(`kind.level_in_analysis`): no level there is one the work itself reaches.
"""
from __future__ import annotations

import re

from .phrases import Group
from .roles import SELF, is_benchmark_paper, is_self, method_names
from .text import Text

# Openers before the subject (lower-cased text): a short adverbial phrase up to its comma, then
# a reporting clause.
_OPENING = (
    r"\s*(?:[^,.;()]{0,60},\s+)?"
    r"(?:(?:we|our\s+(?:[\w-]+\s+){0,2}?(?:findings|results|analysis|analyses|experiments|evaluations?|study)"
    r"|(?:the\s+)?(?:results|experiments|analysis|analyses|evaluations?))\s+(?:\w+ly\s+)?(?:also\s+)?"
    r"(?:find|finds|found|observe[sd]?|show[sn]?|reveal(?:s|ed)?|demonstrate[sd]?|indicate[sd]?|suggest(?:s|ed)?"
    r"|note[sd]?|see|saw|confirm(?:s|ed)?|highlight(?:s|ed)?)\s+(?:that\s+)?)?"
)

# "current models", "most open-source LLMs", "the largest 530B parameter model", "even the best system".
_POPULATION_SUBJECT = re.compile(
    _OPENING
    + r"(?P<subject>(?:even\s+|all\s+|both\s+)?(?:the\s+)?(?:(?:current|most|many|several|some|all"
    r"|state-of-the-art|sota|frontier|open|open-source|open-weight|closed-source|proprietary|commercial|popular|mainstream|modern"
    r"|contemporary|today's|largest|smallest|best|best-performing|strongest|top|top-performing"
    r"|evaluated|tested|general-purpose|off-the-shelf|automatic|automated)[\s-]+)+(?:[\w-]+\s+){0,3}?"
    r"(?:models?|llms?|lms?|mllms?|vlms?|lvlms?|systems?|metrics?|judges?|agents?|detectors?|chatbots|assistants"
    r"|scores|scorers|evaluators|ones?)\b)")

# In a paper that studies or benchmarks systems, any plural of systems heads a population:
# "4-bit models", "instruction-tuned LLMs", "models trained with byte-level tokenizers".
_PLURAL_SYSTEMS_SUBJECT = re.compile(
    _OPENING + r"(?P<subject>(?:even\s+|all\s+|both\s+)?"
    r"(?!(?:the\s+)?(?:proposed|resulting|final|new)\b|these\b|such\b)(?:the\s+)?"
    r"(?:(?!(?:we|our|us|it|they|this)\b)[\w-]+\s+){0,3}?"
    r"(?:models|llms|lms|mllms|vlms|lvlms|systems|agents|detectors|retrievers|chatbots)\b)")

_PLURAL_HEADS = ("models", "lms", "systems", "agents", "detectors", "retrievers", "chatbots")

# Other systems given the work's output: "open models fine-tuned on the resulting data gain 8%".
_WORKS_OUTPUT = re.compile(r"\b(?:resulting|curated|synthesi[sz]ed|generated)\b")

# Where a subject starts inside a sentence: after a reporting verb's "that", or ", and that".
_SUBJECT_SLOT = re.compile(
    r"\b(?:find|finds|found|observe[sd]?|show[sn]?|reveal(?:s|ed)?|demonstrate[sd]?|indicate[sd]?|suggest(?:s|ed)?"
    r"|note[sd]?|confirm(?:s|ed)?|highlight(?:s|ed)?)\s+that\s+|,\s+and\s+that\s+|,\s+(?:while|whereas)\s+")

# An existing system named as the subject: "fine-tuned Foo-7B", "GPT-4o", "zero-shot BarNet".
_NAMED_SUBJECT = re.compile(
    _OPENING + r"(?P<subject>(?:even\s+|only\s+)?(?:(?:fine-tuned|zero-shot|few-shot|pre-?trained|open-source"
    r"|instruction-tuned|the)\s+)*(?-i:(?P<name>[A-Z][\w.+-]*[A-Z0-9][\w.+-]*)))"
    r"\s+(?!(?:and|or|with|of|in|on|for|to|is\s+an?|are)\b)", re.IGNORECASE)

# An analysis paper studies existing systems: "our study presents the first exploration of",
# "we evaluate nine models"; a method paper introduces one ("we propose a new method").
_ANALYSIS_PAPER = re.compile(
    r"\b(?:(?:our|this)\s+(?:[\w-]+\s+){0,2}?(?:study|analysis|investigation|exploration|evaluation|survey)"
    r"|(?:we\s+(?:present|conduct|perform|report)|this\s+(?:paper|work)\s+presents)\s+(?:an?|the\s+first)\s+"
    r"(?:[\w-]+\s+){0,3}?(?:study|analysis|investigation|exploration|evaluation)"
    r"|we\s+(?:\w+ly\s+)?(?:evaluate|benchmark|study|analy[sz]e|investigate|examine|explore|assess|test|measure"
    r"|collect|compare|probe|quantify|characteri[sz]e))\b")

_METHOD_PAPER = re.compile(
    r"\b(?:we|this\s+(?:paper|work))\s+(?:\w+ly\s+)?(?:propose|introduce|present|develop|design)\w*\s+"
    r"(?:[\w-]+\s+){0,5}?(?:method|approach|framework|model|technique|algorithm|architecture|system|pipeline)\b")


# The work may name its own system only in an apposition: "Our final model, Foo-8B, ...".
_OWN_APPOSITION = re.compile(
    r"\b[Oo]ur\s+(?:[\w-]+\s+){0,2}?(?:model|method|system|approach|framework|variant|agent)s?,?\s+"
    r"(?:called\s+|named\s+|dubbed\s+)?([A-Z][\w.+]*)")


def _is_own_name(text: Text, name: str) -> bool:
    stem = name.split("-")[0]
    return name in method_names(text) or any(
        own.split("-")[0] == stem for own in _OWN_APPOSITION.findall(text.abstract))


def _is_analysis_paper(text: Text) -> bool:
    if text.analysis_paper is None:
        text.analysis_paper = bool(_ANALYSIS_PAPER.search(text.lowered)) and not _METHOD_PAPER.search(text.lowered)
    return text.analysis_paper


def _others_subject(text: Text, at: int, end: int) -> tuple[int, int] | None:
    """The span of the subject starting at `at` (after its openers), when it is other people's systems."""
    found = _POPULATION_SUBJECT.match(text.lowered, at, end)
    if found:
        return found.span("subject")
    # (the anchored matches are cheap: tried before the paper's type)
    named = _NAMED_SUBJECT.match(text.abstract, at, end)
    if named and not _is_own_name(text, named.group("name")) and (
            _is_analysis_paper(text) or is_benchmark_paper(text)):
        return named.span("subject")
    # (a plural subject ends in one of these words: most sentences hold none)
    if all(text.lowered.find(head, at, end) < 0 for head in _PLURAL_HEADS):
        return None
    plural = _PLURAL_SYSTEMS_SUBJECT.match(text.lowered, at, end)
    if plural and (_is_analysis_paper(text) or is_benchmark_paper(text)):
        return plural.span("subject")
    return None


def _subject_slots(text: Text, index: int) -> list[int]:
    """Where each subject of the sentence starts: its start and each clause after a reporting verb's
    "that" ("we find that X ..., and that Y ...")."""
    slots = text.subject_slots.get(index)
    if slots is None:
        start, end = text.starts[index], text.ends[index]
        slots = [start]
        if text.lowered.find("that ", start, end) >= 0 or text.lowered.find(", wh", start, end) >= 0:
            slots += [m.end() for m in _SUBJECT_SLOT.finditer(text.lowered, start, end)]
        text.subject_slots[index] = slots
    return slots


def _subject_at(text: Text, slot: int, index: int) -> tuple[int, int] | None:
    """The span of the subject at `slot` if it is other people's systems (read when first asked)."""
    if slot not in text.others_subjects:
        text.others_subjects[slot] = _others_subject(text, slot, text.ends[index])
    return text.others_subjects[slot]


def is_level_in_analysis(text: Text, group: Group) -> bool:
    """Whether a level ("reaches 0.71", "retains 94%") is measured on others' systems: in an
    analysis paper, no level is one the work itself reaches."""
    return group.kind == "score" and not is_self(text, group.sentence) and _is_analysis_paper(text)


def is_about_others_systems(text: Text, group: Group) -> bool:
    """Whether the group's sentence reports a result of other people's systems (see the docstring)."""
    # The nearest subject before the number (one that does not run over it).
    span = None
    for slot in reversed(_subject_slots(text, group.sentence)):
        if slot > group.start:
            continue
        found = _subject_at(text, slot, group.sentence)
        if found is None or found[1] <= group.start:
            span = found
            break
    if span is None or SELF.search(text.lowered, span[1], group.start) \
            or _WORKS_OUTPUT.search(text.lowered, span[1], group.start):
        return False
    # (the work's own name neither in the subject, "Foo models", nor after it)
    return not any(name in text.abstract[span[0]:group.start] for name in method_names(text))
