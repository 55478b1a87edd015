"""One test per linguistic pattern the claims extractor handles, each with sentences written for
this file (never taken from a labelled abstract), and the rule ids that make every decision
traceable (`Claim.rule`, `explain_claims`)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from paperhouse.extract.claims import RULES, explain_claims, extract_claims

PACKAGE = Path(__file__).resolve().parents[2] / "plugins" / "paperhouse" / "extract" / "claims"


def read(abstract: str) -> list[tuple]:
    """(value, value_max, unit, kind, qualifier) of every claim, in reading order."""
    return [(c.value, c.value_max, c.unit, c.kind, c.qualifier) for c in extract_claims(abstract)]


def test_subject_pronoun_carries_the_previous_sentences_subject():
    # "It"/"They" continue a sentence about the work, even with words like "existing" that mark
    # background sentences elsewhere.
    assert read("We present Quill, a sparse attention kernel. It outperforms existing kernels by 23% "
                "in throughput.") == [(23.0, None, "percent", "gain", None)]
    assert read("We build Ledger, a log store. They are 2.5x faster than existing stores.") == [
        (2.5, None, "x", "gain", None)]
    # ...but a pronoun after a background sentence stays background.
    assert read("Existing kernels are often slow. They waste up to 40% of the memory bandwidth. "
                "We present Quill.") == []


def test_a_clause_describing_other_work_is_left():
    # A contrastive opening clause and a relative clause attached to other work end at their comma.
    assert read("While baselines degrade by 15% on long inputs, our model degrades by only 2%.") == [
        (2.0, None, "percent", "finding", None)]
    assert read("Unlike existing methods, which lose 10% accuracy under pruning, our method loses less than 1%.") == [
        (1.0, None, "percent", "finding", "at_most")]
    # A relative clause about the work itself stays.
    assert read("Our model, which is 2x faster than prior models, uses 30% less memory.") == [
        (2.0, None, "x", "gain", None), (30.0, None, "percent", "reduction", None)]


def test_head_noun_of_the_phrase_after_a_number_names_the_metric():
    (claim,) = extract_claims("Our planner gives a 17% reduction in wall-clock time.")
    assert (claim.kind, claim.metric) == ("reduction", "wall-clock time")
    (claim,) = extract_claims("Our runtime uses 3x fewer GPU hours than the baseline.")
    assert (claim.kind, claim.metric) == ("reduction", "GPU hours")
    (claim,) = extract_claims("Our student runs with only 35% of the teacher's FLOPs.")
    assert (claim.kind, claim.unit) == ("share", "percent")


def test_what_moved_may_follow_the_number_after_a_preposition():
    # A direction verb with no object before the number: the phrase after it says whether up is good.
    assert read("Our tracer adds less than 5% to the serving cost.") == [(5.0, None, "percent", "finding", "at_most")]
    assert read("We find that our retriever adds 4.1% over the strongest baseline.") == [
        (4.1, None, "percent", "gain", None)]


def test_a_change_in_a_metric_is_points_and_its_level_a_score():
    claims = extract_claims("Our approach cuts inference cost by 2-3x with a negligible drop of 0.1 BLEU.")
    assert [(c.value, c.value_max, c.unit, c.kind) for c in claims] == [
        (2.0, 3.0, "x", "reduction"), (0.1, None, "points", "finding")]
    (claim,) = extract_claims("Our approach attains a BLEU of 41.3 on the news test set.")
    assert (claim.unit, claim.kind) == ("score", "score")


def test_the_head_of_a_compound_gives_its_polarity():
    # "energy efficiency" is better higher (its head), "memory usage" better lower.
    assert read("Our design improves energy efficiency by 3.4x.") == [(3.4, None, "x", "gain", None)]
    assert read("Our cache reduces memory usage by 20%.") == [(20.0, None, "percent", "reduction", None)]
    # A good quality going down is a finding, not a reduction.
    assert read("We find that fine-tuning on synthetic data lowers factuality by 8%.") == [
        (8.0, None, "percent", "finding", None)]


def test_n_times_as_many_is_a_multiple_and_a_fraction_as_many_a_share():
    assert read("Our agent completes 2.4 times as many tasks as the planner.") == [(2.4, None, "x", "gain", None)]
    assert read("Our decoder makes 3 times as many errors on noisy input.") == [(3.0, None, "x", "finding", None)]
    assert read("Our student uses only 0.3x as much memory as the teacher.") == [(0.3, None, "x", "share", None)]


def test_up_from_names_the_baseline():
    assert read("Our system answers 91.5% of the questions correctly, up from 84.0%.") == [
        (91.5, None, "percent", "score", None)]


def test_a_multi_word_metric_before_a_level():
    (claim,) = extract_claims("Our detector has a false positive rate below 0.8%.")
    assert (claim.kind, claim.qualifier, claim.metric) == ("score", "at_most", "false positive rate")


def test_qualifier_before_a_coordinated_list_covers_each_item():
    assert read("Our index needs up to 3x fewer disk reads and 30% fewer cache misses.") == [
        (3.0, None, "x", "reduction", "up_to"), (30.0, None, "percent", "reduction", "up_to")]
    assert read("Our compiler speeds up kernels by about 4%, 7% and 9%.") == [
        (4.0, None, "percent", "gain", "about"), (7.0, None, "percent", "gain", "about"),
        (9.0, None, "percent", "gain", "about")]


def test_an_item_repeating_its_preposition_starts_a_new_phrase():
    assert read("Our scheduler reduces queueing delay by up to 42% and total energy by 18%.") == [
        (42.0, None, "percent", "reduction", "up_to"), (18.0, None, "percent", "reduction", None)]


def test_qualifier_closing_a_clause_covers_the_clause():
    assert read("Our tuner improves recall by 2.5% and precision by 1.8% on average.") == [
        (2.5, None, "percent", "gain", "average"), (1.8, None, "percent", "gain", "average")]
    # "on average" closing the phrase of one number, before the next, is that number's only.
    assert read("Our adapter is 4.5 points better than full fine-tuning on average, and 2.1 points better "
                "on long inputs.") == [(4.5, None, "points", "gain", "average"), (2.1, None, "points", "gain", None)]
    # A new clause ("while ...") is not covered.
    assert read("Our tuner improves recall by 2.5% on one suite, while precision rises by 1.8% on average.") == [
        (2.5, None, "percent", "gain", None), (1.8, None, "percent", "gain", "average")]


def test_an_averaging_opening_phrase_scopes_over_its_sentence():
    assert read("Averaged over 9 tasks, our encoder gains 3.1% and 2.2% over the two strongest baselines.") == [
        (3.1, None, "percent", "gain", "average"), (2.2, None, "percent", "gain", "average")]
    # An "on average" inside the first clause is that number's own.
    assert read("Our encoder gains 3.1% on average and, unlike prior work, 2.2% on long inputs.") == [
        (3.1, None, "percent", "gain", "average"), (2.2, None, "percent", "gain", None)]


def test_a_multiplier_of_an_averaged_metric_is_an_average():
    assert read("Our selected subsets reach 1.5x the average recall of the strongest baseline.") == [
        (1.5, None, "x", "gain", "average")]


def test_nearest_of_two_qualifiers_wins():
    assert read("Our method gives an average gain of roughly 6% on the suite.") == [
        (6.0, None, "percent", "gain", "about")]


@pytest.mark.parametrize("words", ["less than", "under", "no more than"])
def test_upper_bounds_are_at_most(words):
    assert read(f"Our agent keeps the error rate {words} 4% on every split.") == [
        (4.0, None, "percent", "score", "at_most")]


def test_comparative_after_a_multiplier_gives_the_direction():
    claims = extract_claims("Our encoder supports a 6x longer context and is 3x smaller than the teacher.")
    assert [(c.value, c.kind, c.rule) for c in claims] == [
        (6.0, "gain", "kind.comparative_after_number"), (3.0, "reduction", "kind.comparative_after_number")]
    # A size word elsewhere in the clause is no direction: "longer sequences ... at 8x the length".
    assert read("Our model handles longer inputs, keeping its loss flat at 8x the training length.") == [
        (8.0, None, "x", "gain", None)]
    assert read("Our model generates 1.7x longer coherent stories than the baseline.") == [(1.7, None, "x", "gain", None)]


def test_metric_named_after_an_a_vs_b_pair():
    (claim,) = extract_claims("Our retriever reaches 71.2% vs. 64.8% nDCG for the dense baseline.")
    assert (claim.value, claim.unit, claim.kind, claim.metric) == (71.2, "percent", "score", "nDCG")
    (claim,) = extract_claims("Models trained with our loss reach 61.5% top-1 accuracy, versus 58.2% for the old loss.")
    assert (claim.value, claim.kind, claim.metric) == (61.5, "score", "top-1 accuracy")
    (claim,) = extract_claims("Our parser scores 41.3 vs 38.9 BLEU against the strongest system.")
    assert (claim.value, claim.unit, claim.kind, claim.metric) == (41.3, "score", "score", "BLEU")
    (claim,) = extract_claims("Experiments show that our parser narrows the gap (e.g. Ours (27.4) vs Base (28.1) "
                              "ROUGE-L on the news set).")
    assert (claim.value, claim.unit, claim.metric) == (27.4, "score", "ROUGE-L")


def test_outperforming_an_n_times_larger_model_is_a_reduction_in_model_size():
    for sentence, value in [("Our 2B model outperforms the 35x larger Orca-70B on every task.", 35.0),
                            ("Our small model beats models ten times its size.", 10.0),
                            ("Our compact tagger matches a 4x bigger tagger on all splits.", 4.0)]:
        (claim,) = extract_claims(sentence)
        assert (claim.value, claim.unit, claim.kind, claim.metric, claim.rule) == (
            value, "x", "reduction", "model size", "kind.larger_model")
    # The size of the work itself is not a claim.
    assert read("We propose Titan. Titan has 10x more parameters than any previous model.") == []


def test_an_input_scaled_by_a_factor_and_a_condition_are_settings():
    assert read("We show that scaling the training data by 10x improves accuracy by only 1.2%.") == [
        (1.2, None, "percent", "gain", None)]
    assert read("Our model's accuracy drops by just 0.5% when 90% of the weights are pruned.") == [
        (0.5, None, "percent", "finding", None)]


def test_achieved_ratio_is_a_claim_and_a_chosen_ratio_a_setting():
    (claim,) = extract_claims("Our coder achieves a compression rate of up to 16x with no loss.")
    assert (claim.value, claim.kind, claim.qualifier, claim.metric) == (16.0, "reduction", "up_to", "compression rate")
    (claim,) = extract_claims("Our distillation gives a speedup ratio of 2.1x at inference.")
    assert (claim.kind, claim.metric) == ("gain", "speedup ratio")
    assert read("At a compression ratio of 4x, our coder keeps quality.") == []


def test_a_number_restated_in_brackets_shares_kind_qualifier_and_metric():
    claims = extract_claims("Our ranker improves MRR by up to 1.1 points (6.7%) on the test set.")
    assert [(c.value, c.unit, c.kind, c.qualifier, c.metric) for c in claims] == [
        (1.1, "points", "gain", "up_to", "MRR"), (6.7, "percent", "gain", "up_to", "MRR")]
    assert claims[1].rule == "kind.restated_in_brackets"


def test_p_values_and_ranks_are_not_claims():
    abstract = "We propose Foo. Foo took first place in the shared task (p<0.001), ranking No. 1 with p = 0.01."
    assert read(abstract) == []
    assert {d.rule for d in explain_claims(abstract) if "0.0" in d.text} == {"left.rank_or_p_value"}


def test_digit_fractions_are_multipliers():
    assert read("Our pruning removes 1/3 to 2/3 of the parameters.") == [(0.3333, 0.6667, "x", "reduction", None)]
    assert read("Our pruning reduces the parameter count by 1/3 with no loss.") == [(0.3333, None, "x", "reduction", None)]
    # Decimal pairs and percent pairs stay lists.
    assert [c.value for c in extract_claims("Our tagger scores 0.2/0.7 F1 on the two sets.")] == [0.2, 0.7]


def kinds_and_rules(abstract: str) -> list[tuple]:
    """(value, kind, rule) of every claim, in reading order."""
    return [(c.value, c.kind, c.rule) for c in extract_claims(abstract)]


def test_a_population_of_other_systems_as_subject_is_a_finding():
    # The subject is other people's systems, measured in the work's analysis: a finding, whatever
    # direction word the sentence carries.
    assert kinds_and_rules("We evaluate 14 chat models on our new suite. Frontier models improve by only 4% "
                           "when given hints.") == [(4.0, "finding", "kind.others_systems_subject")]
    assert kinds_and_rules("We find that the largest 70B model is 2.3x faster at converging than smaller "
                           "models.") == [(2.3, "finding", "kind.others_systems_subject")]
    assert kinds_and_rules("Surprisingly, even the best-performing systems answer at most 45% of the "
                           "questions.")[0][1:] == ("finding", "kind.others_systems_subject")
    assert kinds_and_rules("We study reward hacking. Our results show that automated judges reach a "
                           "Spearman correlation of 0.62 with experts.") == [
        (0.62, "finding", "kind.others_systems_subject")]
    # ...but the work's own result stays a gain, even with other systems in the sentence.
    assert kinds_and_rules("We propose Sift, a retrieval filter. Compared with state-of-the-art systems, Sift "
                           "reduces latency by 40%.") == [(40.0, "reduction", "kind.verb_by")]
    assert kinds_and_rules("Through extensive experiments, we show that the proposed method outperforms "
                           "state-of-the-art models by 3.4% in F1.") == [(3.4, "gain", "kind.verb_by")]


def test_an_existing_system_named_as_subject_in_an_analysis_or_benchmark_paper_is_a_finding():
    assert kinds_and_rules("We conduct a systematic study of code retrievers. Our analysis shows that "
                           "fine-tuned RetroCoder outperforms BM25 by 12% in MRR.") == [
        (12.0, "finding", "kind.others_systems_subject")]
    # A later "that" clause of the same reporting verb has its own subject.
    assert kinds_and_rules("We introduce GridBench, a benchmark of spatial puzzles. We find that even GPT-4o "
                           "achieves only 31% accuracy, and that Llama-3-70B improves by 9% with hints.") == [
        (31.0, "finding", "kind.others_systems_subject"), (9.0, "finding", "kind.others_systems_subject")]
    # The work's own system, named in an apposition ("Our final model, X"), is not someone else's.
    assert kinds_and_rules("We study long-context training recipes. Our final model, Corvid-8B, is trained "
                           "on 20B tokens. Corvid beats Mistral-7B by 6% on recall.") == [(6.0, "gain", "kind.verb_by")]
    # In a method paper a named system as subject is not treated as someone else's.
    assert kinds_and_rules("We propose a new prompting method for table QA. Llama-3 with our prompts improves "
                           "accuracy by 6%.") == [(6.0, "gain", "kind.verb_by")]


def test_the_subject_is_read_after_an_opening_phrase_and_in_each_contrasted_clause():
    # "On <the work's benchmark>, GPT-4o scores ...": the work's name in the opening phrase is not the subject.
    assert kinds_and_rules("We introduce LongHop, a benchmark for multi-hop reasoning. On LongHop, GPT-4o scores "
                           "52.3%, while open models lag by over 20%.") == [
        (52.3, "finding", "kind.others_systems_subject"), (20.0, "finding", "kind.others_systems_subject")]
    # A reporting verb without "that", and "the strongest one".
    assert kinds_and_rules("We introduce LongHop, a benchmark for multi-hop reasoning. Evaluating 12 models, we "
                           "find the strongest one solves only 38% of the tasks.") == [
        (38.0, "finding", "kind.others_systems_subject")]
    # The work's clause keeps its kind; the contrasted clause about current models is theirs.
    assert kinds_and_rules("We propose Sift, a retrieval filter. On BEIR, Sift improves recall by 7%, while current "
                           "models drop by 3%.") == [(7.0, "gain", "kind.verb_by"),
                                                     (3.0, "finding", "kind.others_systems_subject")]


def test_other_systems_given_the_works_output_or_at_another_size_stay_the_works_result():
    assert kinds_and_rules("We propose Distil, a data filter. Open-source models fine-tuned on the resulting data "
                           "improve by 8%.") == [(8.0, "gain", "kind.verb_by")]
    assert kinds_and_rules("We propose Distil, a data filter. Larger models achieve higher gains, up to 15%.") == [
        (15.0, "gain", "kind.cue_earlier_in_clause")]


def test_any_plural_of_systems_heads_a_population_in_an_analysis_paper():
    # In a paper that studies systems, "4-bit models", "models trained with X" are the studied systems;
    # the subject nearest the number counts, not one running over it.
    assert kinds_and_rules("We present an empirical study of quantized LLMs. We find that 4-bit models retain "
                           "95% of full-precision accuracy, while 2-bit models lose up to 40%.") == [
        (95.0, "finding", "kind.others_systems_subject"), (40.0, "finding", "kind.others_systems_subject")]
    # ...but not the work's own: its name in the subject, "the resulting models", or "our" after the subject.
    assert kinds_and_rules("We present CharLite, a tokenizer library. CharLite models reach an F1 of 0.78.") == [
        (0.78, "score", "kind.metric_level")]
    assert kinds_and_rules("We study continued pretraining recipes. The resulting models outperform Llama-3 by "
                           "5% on recall.") == [(5.0, "gain", "kind.verb_by")]
    assert kinds_and_rules("We evaluate retrieval for RAG. Models trained with our hard negatives improve recall "
                           "by 7%.") == [(7.0, "gain", "kind.verb_by")]
    # In a method paper a plural of systems is not a population by itself.
    assert kinds_and_rules("We propose Sift, a new retrieval method. Retrievers trained with Sift improve recall "
                           "by 7%.") == [(7.0, "gain", "kind.verb_by")]


def test_a_level_in_an_analysis_paper_is_a_finding():
    # A paper that studies systems and introduces none reaches no level of its own.
    assert kinds_and_rules("We test whether adapters forget less across 5 model families. Adapters with rank "
                           "8 retain 91% of source-domain accuracy.") == [(91.0, "finding", "kind.level_in_analysis")]
    # A method paper's level stays a score.
    assert kinds_and_rules("We present Quill, a parser. Quill retains 91% of the teacher's accuracy.") == [
        (91.0, "score", "kind.retained_level")]


def test_a_portion_of_items_counts_items_not_resource_use():
    # "N% of X" as the subject of its own verb, or the object of a failure: a finding.
    assert kinds_and_rules("We found that 31% of tokens can be predicted from the first layer.") == [
        (31.0, "finding", "kind.portion_of_items")]
    assert kinds_and_rules("Our study shows the parser still fails to parse 8% of tokens.") == [
        (8.0, "finding", "kind.portion_of_items")]
    # The work's use of a resource stays a share.
    assert kinds_and_rules("Our model matches the baseline with only 40% of the tokens.") == [
        (40.0, "share", "kind.of_resource_share")]


def test_a_level_in_a_participle_after_a_change_is_the_extreme_of_that_change():
    assert kinds_and_rules("Our cache cuts the number of tokens by 35%, reaching over 80% in some cases.") == [
        (35.0, "reduction", "kind.verb_by"), (80.0, "reduction", "kind.extreme_of_change")]
    # A participle naming its own metric is a level.
    assert kinds_and_rules("Our cache cuts the number of tokens by 35%, reaching 80% accuracy.")[1][1] == "score"


# --- rule ids ---------------------------------------------------------------------------------

SENTENCES = [
    "We propose Lumen. Lumen improves zero-shot recall by 6.4% over the strongest retriever.",
    "Our kernel runs 3.1x faster and uses 40% less memory, from 12.1 to 7.3 GB, with 7B parameters.",
    "Prior methods often waste 30% of compute. We present Quill, which needs half the compute (p < 0.05).",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_every_claim_names_a_known_taking_rule(sentence):
    claims = extract_claims(sentence)
    assert claims
    assert all(c.rule.startswith("kind.") and c.rule in RULES for c in claims)


@pytest.mark.parametrize("sentence", SENTENCES)
def test_explain_gives_every_number_a_decision_matching_the_claims(sentence):
    decisions = explain_claims(sentence)
    taken = [d.claim for d in decisions if d.taken]
    assert {c.char_offset for c in taken} == {c.char_offset for c in extract_claims(sentence)}
    assert all(d.rule in RULES for d in decisions)
    assert all(d.rule.startswith("left.") for d in decisions if not d.taken)
    assert all(sentence[d.char_offset:].startswith(d.text) for d in decisions)


def test_every_rule_id_is_used_and_every_used_id_is_listed():
    source = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.glob("*.py") if p.name != "rules.py")
    used = set(re.findall(r'"((?:kind|left)\.[a-z_]+)"', source))
    assert used == set(RULES)
