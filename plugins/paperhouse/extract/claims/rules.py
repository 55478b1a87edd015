"""Every rule the extractor applies, by id: the id is stored with each claim (`Claim.rule`, the lake's
and fct_claims' `rule` column) and printed by `paperhouse extract claims --explain` for every number,
so a wrong claim leads to its rule in one step (grep the id in this package).

`left.*` rules leave a number out; `kind.*` rules take it and say which kind it is.
"""
from __future__ import annotations

RULES: dict[str, str] = {
    # --- left out: not an outcome of the work ----------------------------------------------------
    "left.other_unit": "a size or name with another unit glued on: 7B, 32k, 24GB",
    "left.count": "a plain number followed by a noun: 25,000 documents, 14 benchmarks",
    "left.plain_number": "a plain number bound to no metric",
    "left.baseline_from": "the first number of 'from A to B' (the baseline)",
    "left.baseline_vs": "the second number of 'A vs. B' (the other system's)",
    "left.baseline_compared": "a number right after 'than', 'compared to', or in brackets after 'outperforms X'",
    "left.multiplier_not_outcome": "a multiplier of an input or a count: 3x more data, repeated 5 times",
    "left.setting": "a setting of the experiment: a masking rate of 15%, at a compression ratio of 4x",
    "left.setting_range": "a setting varied over a range: masking rate from 15% to 50%",
    "left.background": "a sentence about the world before the work (before the work is named, or 'often')",
    "left.others_clause": "a clause whose subject is other work: prior methods reach 11.2",
    "left.size_of_work": "the size of the work itself: 10x more parameters than previous models",
    "left.rank_or_p_value": "a rank, a placing or a significance level: p<0.001, first place",
    # --- taken: the kind of the claim -----------------------------------------------------------
    "kind.baseline_pair_own": "the work's side of 'from A to B' or 'A vs. B': a score",
    "kind.half_of": "'half the X': a share",
    "kind.as_adjective_as": "'3x as fast as': the adjective gives the direction",
    "kind.comparative_after_number": "a comparative right after a multiplier or percent: 4x faster, 3x smaller",
    "kind.cue_after_number": "a direction noun or verb right after the number: 22% reduction in errors",
    "kind.cost_after_metric": "a cost named after a metric: 1% accuracy loss (a finding)",
    "kind.written_sign": "a written sign: +2.2%, -0.3 loss",
    "kind.verb_by": "a verb governing the number through 'by': reduce memory by 48%",
    "kind.verb_over_list": "one verb governing a run of 'A by N' phrases: cut cost by 60%, latency by 45%",
    "kind.cost_of": "'a cost of N': a finding",
    "kind.cue_governs_number": "a direction word right before the number: an improvement of 12%, saves 25%",
    "kind.achieved_level": "a level after an achieve verb: achieves 47.3% on X",
    "kind.solved_share": "'solves 40% of the tasks': a score",
    "kind.preference_rate": "'preferred in 64% of comparisons': a score",
    "kind.retained_level": "'retains 96% of the accuracy': a score",
    "kind.trained_on_share": "'trained on 5% of the data': a share",
    "kind.as_many_share": "'only 9% as many tokens': a share",
    "kind.as_many_multiple": "'2.4 times as many tasks': a multiple, gain unless the noun is better lower",
    "kind.of_metric_level": "'96% of the teacher's accuracy': a score",
    "kind.of_resource_share": "'60% of the original budget': a share",
    "kind.portion_of_items": "'N% of X' as the subject of its own verb or the object of a failure:"
                             " 12% of tokens are copied, fails to parse 8% of files (a finding)",
    "kind.of_other": "'N% of something else': a finding",
    "kind.resource_after_number": "'40% FLOPs': a share",
    "kind.metric_level": "a metric named next to the number: 88.2% precision, BLEU of 41.0",
    "kind.copula_level": "'recall at 64K is 97.5%': a score",
    "kind.cue_before_number": "a direction word earlier in the clause",
    "kind.cue_earlier_in_clause": "a direction word earlier in the clause, not governing the number directly",
    "kind.default": "no direction word: a multiplier is a gain, a percent a finding",
    "kind.like_earlier_in_list": "a later item of a coordinated list takes the earlier item's kind",
    "kind.extreme_of_change": "a level with no metric in a participle after a change: cuts X by 46%,"
                              " reaching 90% in some cases (the change's kind)",
    "kind.restated_in_brackets": "a number in brackets restating the one before it in another unit",
    "kind.larger_model": "outperforming or matching a model N times larger: a reduction in model size",
    "kind.achieved_ratio": "an achieved ratio: achieves a compression rate of 16x",
    "kind.third_party_finding": "a result about other people's systems in the work's own analysis",
    "kind.level_in_analysis": "a level in a sentence not about the work, in a paper that studies systems and"
                              " introduces none: a finding",
    "kind.others_systems_subject": "a sentence whose subject is other people's systems (current models, most LLMs,"
                                   " an existing system in an analysis paper): a finding",
}
