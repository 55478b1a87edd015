"""The claims extractor against sentences written for these tests, one or more per rule of the
claims definition (shared spec claims.md), and against the labelled dev set when it is present."""
from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import require_shared

from paperhouse.extract.claims import CLAIMS_VERSION, Claim, extract_claims

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT.parent / "shared"


def read(abstract: str) -> list[tuple]:
    """(value, value_max, unit, kind, qualifier) of every claim, in reading order."""
    return [(c.value, c.value_max, c.unit, c.kind, c.qualifier) for c in extract_claims(abstract)]


CASES = {
    # --- kinds -------------------------------------------------------------------------------
    "gain by verb": (
        "We propose Lumen. Lumen improves zero-shot recall by 6.4% over the strongest retriever.",
        [(6.4, None, "percent", "gain", None)]),
    "gain by comparative": (
        "Our kernel runs 3.1× faster than the reference implementation.",
        [(3.1, None, "x", "gain", None)]),
    "reduction by verb": (
        "Our scheduler lowers tail latency by 27% under bursty load.",
        [(27.0, None, "percent", "reduction", None)]),
    "reduction as noun with its object": (
        "Our filter yields a 31% relative reduction in hallucinations.",
        [(31.0, None, "percent", "reduction", None)]),
    "reduction by comparative": (
        "Our encoder needs 4.2x less memory and 30% fewer training steps than the dense baseline.",
        [(4.2, None, "x", "reduction", None), (30.0, None, "percent", "reduction", None)]),
    "improving a lower-is-better metric is a reduction": (
        "Our regulariser improves perplexity by 1.4 points on the held-out set.",
        [(1.4, None, "points", "reduction", None)]),
    "a rise in a bad metric is a finding": (
        "We propose Mira. It gives a 15% increase in throughput but a 20% increase in latency.",
        [(15.0, None, "percent", "gain", None), (20.0, None, "percent", "finding", None)]),
    "a drop in a good metric is a finding": (
        "Our pruning keeps quality: accuracy drops by only 0.4% on the held-out split.",
        [(0.4, None, "percent", "finding", None)]),
    "score with metric after": (
        "Our tagger reaches 93.4% accuracy on the test set and 0.87 F1 on rare tags.",
        [(93.4, None, "percent", "score", None), (0.87, None, "score", "score", None)]),
    "score with metric before": (
        "We propose Zephyr. Zephyr attains a BLEU of 38.5 and an accuracy of 0.81 on our tests.",
        [(38.5, None, "score", "score", None), (0.81, None, "score", "score", None)]),
    "score after an achieve verb": (
        "Our model achieves 47.3% on the reasoning benchmark and 61.0% on the coding benchmark.",
        [(47.3, None, "percent", "score", None), (61.0, None, "percent", "score", None)]),
    "score as a fraction of a stronger model": (
        "Our compact model achieves 92% of the teacher's accuracy.",
        [(92.0, None, "percent", "score", None)]),
    "share of a resource": (
        "Our model matches the dense one with only 18.5% of the FLOPs and 40% KV cache memory.",
        [(18.5, None, "percent", "share", None), (40.0, None, "percent", "share", None)]),
    "share as many": (
        "Our recipe reaches the same loss while reading only 7% as many tokens.",
        [(7.0, None, "percent", "share", None)]),
    "share of the data": (
        "Using only 20% of the labelled data, our model matches the fully supervised one.",
        [(20.0, None, "percent", "share", None)]),
    "finding of the work's analysis": (
        "We show that our detector flags about 12% of the documents as synthetic.",
        [(12.0, None, "percent", "finding", "about")]),
    "a cost named after a metric is a finding": (
        "Our pruning removes redundant heads with less than 1% accuracy loss.",
        [(1.0, None, "percent", "finding", "at_most")]),
    "signed difference": (
        "Our recipe adds robustness (+4.5 points) and +2.1%/+4.8% on the two suites.",
        [(4.5, None, "points", "gain", None), (2.1, None, "percent", "gain", None),
         (4.8, None, "percent", "gain", None)]),

    # --- units -------------------------------------------------------------------------------
    "latex percent keeps the backslash": (
        "Our parser reaches 91.5\\% labelled attachment accuracy.",
        [(91.5, None, "percent", "score", None)]),
    "percentage points": (
        "We present Lumen. It improves exact match by 4.1 and 2.7 percentage points on the two splits.",
        [(4.1, None, "points", "gain", None), (2.7, None, "points", "gain", None)]),
    "hyphenated point": (
        "Our method yields a 2.1-point improvement in exact match.",
        [(2.1, None, "points", "gain", None)]),
    "points of a metric after a verb": (
        "Our parser outperforms the previous best system by 2.3 F1 on news text.",
        [(2.3, None, "points", "gain", None)]),
    "trailing metric binds a list": (
        "The approach yields 1.8 and 2.4 BLEU gains on the two language pairs.",
        [(1.8, None, "points", "gain", None), (2.4, None, "points", "gain", None)]),
    "a factor of": (
        "Our index shrinks storage by a factor of 6.5, and the error by a factor of two.",
        [(6.5, None, "x", "reduction", None), (2.0, None, "x", "reduction", None)]),
    "numbers as words": (
        "We propose Falcon. Training converges two times faster, decoding gets a ten-fold speedup "
        "and inference is threefold cheaper.",
        [(2.0, None, "x", "gain", None), (10.0, None, "x", "gain", None), (3.0, None, "x", "reduction", None)]),
    "twice and half": (
        "We propose Falcon. It is twice as fast as the baseline and uses half the memory.",
        [(2.0, None, "x", "gain", None), (0.5, None, "x", "share", None)]),
    "a speedup of a plain number": (
        "Our kernel achieves a speedup of 2.5 on long sequences.",
        [(2.5, None, "x", "gain", None)]),
    "percent p is percentage points": (
        "Our method improves accuracy by 7.6%p on the benchmark.",
        [(7.6, None, "points", "gain", None)]),
    "glued times": (
        "Our engine cuts lookup time by up to 9times on one device.",
        [(9.0, None, "x", "reduction", "up_to")]),

    # --- ranges and lists --------------------------------------------------------------------
    "hyphen range": (
        "Our method lowers latency by 12-18% across devices.",
        [(12.0, 18.0, "percent", "reduction", None)]),
    "to range": (
        "Our method improves recall by 3.5% to 7.25% on all benchmarks.",
        [(3.5, 7.25, "percent", "gain", None)]),
    "multiplier range": (
        "Our decoder is 2.7x-4.1x faster than greedy decoding.",
        [(2.7, 4.1, "x", "gain", None)]),
    "list gives one claim per number": (
        "Our compiler speeds up the three kernels by 14.5%, 22.1%, and 9.8%, respectively.",
        [(14.5, None, "percent", "gain", None), (22.1, None, "percent", "gain", None),
         (9.8, None, "percent", "gain", None)]),
    "qualifier before a list applies to all": (
        "Our method improves accuracy by on average 5%, 8% and 11% on the three suites.",
        [(5.0, None, "percent", "gain", "average"), (8.0, None, "percent", "gain", "average"),
         (11.0, None, "percent", "gain", "average")]),
    "qualifier carried to a coordinated number": (
        "Our adapter brings up to 1.2% gains on short inputs and 2.6% gains on long inputs.",
        [(1.2, None, "percent", "gain", "up_to"), (2.6, None, "percent", "gain", "up_to")]),
    "a new verb stops the qualifier": (
        "We propose Volt, which cuts memory by up to 64% and improves throughput by 18%.",
        [(64.0, None, "percent", "reduction", "up_to"), (18.0, None, "percent", "gain", None)]),
    "one verb governs a run of objects": (
        "Our cache cuts cost by 60%, latency by 45% and memory by 30%.",
        [(60.0, None, "percent", "reduction", None), (45.0, None, "percent", "reduction", None),
         (30.0, None, "percent", "reduction", None)]),

    # --- qualifiers --------------------------------------------------------------------------
    "qualifiers": (
        "Our solver is over 4x faster, uses at least 35% less energy, answers within at most 2% of the "
        "optimum in approximately 70% of cases and reaches an average of 88.1% accuracy.",
        [(4.0, None, "x", "gain", "more_than"), (35.0, None, "percent", "reduction", "at_least"),
         (2.0, None, "percent", "finding", "at_most"), (70.0, None, "percent", "finding", "about"),
         (88.1, None, "percent", "score", "average")]),
    "symbols": (
        "Our model keeps the accuracy gap <0.5 point and skips >20% of layers (~3x fewer FLOPs).",
        [(0.5, None, "points", "finding", "at_most"), (20.0, None, "percent", "finding", "more_than"),
         (3.0, None, "x", "reduction", "about")]),
    "average in the metric name": (
        "Our model improves average accuracy by 3.9% over the strongest baseline.",
        [(3.9, None, "percent", "gain", "average")]),

    # --- baselines ---------------------------------------------------------------------------
    "from A to B keeps B": (
        "With our curriculum, accuracy rises from 41.3 to 58.9 on the hardest split.",
        [(58.9, None, "score", "score", None)]),
    "from A% to B% keeps B": (
        "Our hints raise exact match from less than 2% to more than 80% on long inputs.",
        [(80.0, None, "percent", "score", "more_than")]),
    "A vs. B keeps A": (
        "Our reranker scores 71.2% vs. 64.5% for the strongest baseline.",
        [(71.2, None, "percent", "score", None)]),
    "compared to a baseline's number": (
        "Our model reaches 47.9% accuracy, compared to 41.2% for the baseline.",
        [(47.9, None, "percent", "score", None)]),

    "a rate the work measures is an outcome": (
        "Our filter reduces the hallucination rate from 12% to 4% at a fixed sampling rate of 20%.",
        [(4.0, None, "percent", "score", None)]),
    "share of a compared model's cost": (
        "Our compact model achieves 92% of the teacher's accuracy at 1% of its cost.",
        [(92.0, None, "percent", "score", None), (1.0, None, "percent", "share", None)]),
    "frequency is a finding": (
        "In our human study, annotators preferred our summaries 68% of the time.",
        [(68.0, None, "percent", "finding", None)]),
    "more after a multiplier": (
        "Our approach is 5 times more sample-efficient than the standard recipe.",
        [(5.0, None, "x", "gain", None)]),
    "an abstract may open with the work's name": (
        "Quill is a decoder that lowers latency by 35%. It is simple.",
        [(35.0, None, "percent", "reduction", None)]),
    "a clause about other work": (
        "Prior compressors reach a perplexity of 11.2 on our test set, while our model reaches 7.9 PPL.",
        [(7.9, None, "score", "score", None)]),

    "other work as the object of a comparison": (
        "Compared with conventional caches, our design cuts eviction misses by 41%, while keeping hit latency flat.",
        [(41.0, None, "percent", "reduction", None)]),

    # --- not claims --------------------------------------------------------------------------
    "sizes and counts": (
        "We train a 13B model on 300B tokens with a 32k context window, 12,000 dialogues and 14 tasks.",
        []),
    "years, versions and model names": (
        "Since 2019, models such as GPT-3, Llama-2-70B and ERNIE 3.0 have grown; see Section 4.2.",
        []),
    "settings": (
        "We vary the masking rate from 10% to 40%, start from a 40% pruned checkpoint and "
        "evaluate at 60% sparsity with a 95% confidence interval.",
        []),
    "background before the work": (
        "Web crawls typically discard up to 90% of pages during filtering. We propose Sieve, a cleaner.",
        []),
    "data given as input (but beating a larger model is a claim, claims.md)": (
        "Our mixture beats a model that has access to 3x more data and LLMs ten times its size.",
        [(10.0, None, "x", "reduction", None)]),
    "other units": (
        "Our pipeline cuts the time per query from 120 ms to 35 ms and the index to 12 GB.",
        []),
    "counts of repetitions": (
        "Each experiment is repeated 5 times, with 5-fold cross-validation.",
        []),
    "order of magnitude names no number": (
        "We propose Falcon, which is an order of magnitude faster than prior work.",
        []),
    "p-values": (
        "The gains are significant (p < 0.01) across all runs.",
        []),
    # --- rules added in 1.1.0 -----------------------------------------------------------------
    "a plain change after by is points": (
        "We propose Tally. Tally raises the mean episode reward by 0.42 over PPO.",
        [(0.42, None, "points", "gain", None)]),
    "a plain change in a worse-lower metric is a finding in points": (
        "We propose Pico. Pruning with Pico increases validation perplexity by only 0.35.",
        [(0.35, None, "points", "finding", None)]),
    "an outcome rate of a plain number": (
        "Our drafter reaches an acceptance rate of 0.77 on chat prompts.",
        [(0.77, None, "score", "score", None)]),
    "a multiplier compared with a reference": (
        "We propose Squish, which compresses the checkpoint 3.8x relative to bf16.",
        [(3.8, None, "x", "reduction", None)]),
    "slower is a finding": (
        "Our verifier is about 1.4 times slower than greedy decoding.",
        [(1.4, None, "x", "finding", "about")]),
    "a new phrase after than is not the baseline": (
        "We propose Kite, which trains 6x faster than the best baseline and needs 5 times fewer parameters.",
        [(6.0, None, "x", "gain", None), (5.0, None, "x", "reduction", None)]),
    "a bracketed number after surpass is the other's": (
        "Our 2B model reaches 55.0% on the test set, surpassing a 9B model (52.1%).",
        [(55.0, None, "percent", "score", None)]),
    "a rate of something is measured, not set": (
        "Our decoder lowers the rate of unfaithful sentences from 19% to 8%.",
        [(8.0, None, "percent", "score", None)]),
    "a level at an accuracy is a score, not a setting": (
        "Our early-exit model cuts FLOPs by 35% at 78.2% top-1 accuracy.",
        [(35.0, None, "percent", "reduction", None), (78.2, None, "percent", "score", None)]),
    "settings of multipliers, top fractions and conditions": (
        "We compare budgets of 4x and 8x compression, keep the top 20% of documents, and find that "
        "distillation helps most when the student is 10x smaller than the teacher.",
        []),
    "a setting noun does not reach across a comma": (
        "With a stricter threshold, our model needs only 45% of the baseline's FLOPs.",
        [(45.0, None, "percent", "share", None)]),
    "retained performance is a score": (
        "We propose Lean. With Lean, accuracy is retained at 98.1% of the full-precision model.",
        [(98.1, None, "percent", "score", None)]),
    "a share of the original labels is not a resource": (
        "We estimate that 9.5% of the original annotations are wrong.",
        [(9.5, None, "percent", "finding", None)]),
    "a win rate from preferences": (
        "Annotators preferred our responses in 62% of the head-to-head comparisons.",
        [(62.0, None, "percent", "score", None)]),
    "a share of training data by name": (
        "We propose Cull. Fine-tuning on the selected 8% of FLAN matches full-data training.",
        [(8.0, None, "percent", "share", None)]),
    "a copula with a metric subject is a score": (
        "Needle retrieval accuracy of our model at 64K is 97.5%.",
        [(97.5, None, "percent", "score", None)]),
    "a cost of a metric is a finding": (
        "Our filter improves factuality by 5.1 points at a BLEU cost of less than 0.2 points.",
        [(5.1, None, "points", "gain", None), (0.2, None, "points", "finding", "at_most")]),
    "falls and rises": (
        "We propose Calm. With Calm, repetition falls by 23%, and we find that the rate of toxic replies "
        "rises by 2% for the smallest model.",
        [(23.0, None, "percent", "reduction", None), (2.0, None, "percent", "finding", None)]),
    "a direction word before to names a level": (
        "We find that 11% of the answers are unsupported, rising to 18% for long questions.",
        [(11.0, None, "percent", "finding", None), (18.0, None, "percent", "finding", None)]),
    "an average after an earlier number stays with it": (
        "Our model scores 71.4 on average, 2.2 points above the strongest baseline.",
        [(71.4, None, "score", "score", "average"), (2.2, None, "points", "gain", None)]),
    "half of a resource is a share": (
        "We propose Nimble. Nimble cuts latency by 20% and consumes half the energy of the dense model.",
        [(20.0, None, "percent", "reduction", None), (0.5, None, "x", "share", None)]),
    "times as fast as is a gain": (
        "Our student needs 6 times less data than the baseline and runs three times as fast at inference.",
        [(6.0, None, "x", "reduction", None), (3.0, None, "x", "gain", None)]),
    "a fraction of the input a method touches is a setting": (
        "We propose Fuse. Pruning 30% of the patches, Fuse improves throughput by 41%.",
        [(41.0, None, "percent", "gain", None)]),
    "a fraction of a named metric is a score": (
        "Our retriever reaches 93% of the nDCG@10 of the cross-encoder.",
        [(93.0, None, "percent", "score", None)]),
    "an object between verb and number decides the polarity": (
        "At equal quality, our policy reduces lagging by 31%.",
        [(31.0, None, "percent", "reduction", None)]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_rule(name):
    abstract, expected = CASES[name]
    assert read(abstract) == expected


@pytest.mark.parametrize("name", list(CASES))
def test_text_is_the_substring_at_char_offset(name):
    abstract, _ = CASES[name]
    for claim in extract_claims(abstract):
        assert abstract[claim.char_offset:claim.char_offset + len(claim.text)] == claim.text


def test_texts_carry_qualifier_number_and_unit():
    abstract = "Our method improves recall by up to 3.5% and precision by 2.7 percentage points."
    assert [c.text for c in extract_claims(abstract)] == ["up to 3.5%", "2.7 percentage points"]


def test_a_listed_number_spans_to_the_shared_unit():
    abstract = "We gain 0.9, 1.6 and 3.4 percentage points at the three scales."
    assert [c.text for c in extract_claims(abstract)] == [
        "0.9, 1.6 and 3.4 percentage points", "1.6 and 3.4 percentage points", "3.4 percentage points"]


def test_latex_percent_text_keeps_backslash():
    (claim,) = extract_claims("Our parser reaches 91.5\\% accuracy.")
    assert claim.text == "91.5\\%"


def test_metric_names_what_was_measured():
    (claim,) = extract_claims("Our scheduler lowers tail latency by 27% under bursty load.")
    assert claim.metric == "tail latency"
    (claim,) = extract_claims("Our model reaches a win rate of 62.3% against the reference model.")
    assert claim.metric == "win rate"


def test_benchmark_results_about_other_models_are_findings():
    abstract = ("We introduce Tally, a benchmark of counting questions in long documents. "
                "The strongest commercial model answers 57% of questions correctly and improves by "
                "+9% with retrieval.")
    assert read(abstract) == [(57.0, None, "percent", "finding", None), (9.0, None, "percent", "finding", None)]


def test_claim_is_a_plain_frozen_record_matching_the_lake_columns():
    from paperhouse.lake import CLAIMS
    (claim,) = extract_claims("Our method improves recall by 6.4%.")
    row = dataclasses.asdict(claim)
    assert set(row) <= set(CLAIMS.names)
    assert set(CLAIMS.names) - set(row) == {"snapshot_id", "position", "extractor_version"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        claim.value = 1.0  # type: ignore[misc]


def test_enumerations_and_types_hold_on_every_case():
    for abstract, _ in CASES.values():
        for claim in extract_claims(abstract):
            assert isinstance(claim, Claim)
            assert claim.unit in {"percent", "points", "x", "score"}
            assert claim.kind in {"gain", "reduction", "score", "share", "finding"}
            assert claim.qualifier in {None, "up_to", "more_than", "at_least", "at_most", "about", "average"}
            assert isinstance(claim.value, float)
            assert claim.value_max is None or claim.value_max > claim.value


def test_no_numbers_no_claims():
    assert extract_claims("") == []
    assert extract_claims("We study why language models hallucinate and propose a remedy.") == []


def test_version_is_semantic_and_part_of_the_extractor_version():
    from paperhouse.extract import EXTRACTOR_VERSION
    assert len(CLAIMS_VERSION.split(".")) == 3
    assert f"claims-{CLAIMS_VERSION}" in EXTRACTOR_VERSION


def test_random_token_soup_keeps_offsets_and_enumerations():
    import random
    tokens = ["we", "our", "by", "up to", "~", "<", "(", ")", ",", ".", "and", "from", "to", "vs.", "3.5", "12",
              "0.4", "1,000", "%", "\\%", "x", "times", "-fold", "twice", "half", "points", "F1", "PPL", "of",
              "accuracy", "reduces", "improves", "faster", "fewer", "-", "/", "+", "a factor of", "between",
              "on average", "only", "as many", "tokens", "7B", "GPT-4", "2024", ";", "while", "at", "sparsity"]
    rng = random.Random(11)
    for _ in range(2000):
        abstract = " ".join(rng.choice(tokens) for _ in range(rng.randint(1, 30))).replace(" %", "%")
        for claim in extract_claims(abstract):
            assert abstract[claim.char_offset:claim.char_offset + len(claim.text)] == claim.text
            assert claim.value_max is None or claim.value_max > claim.value


def test_dev_set_scores(tmp_path):
    """The labelled dev abstracts (shared spec) through the official scorer."""
    require_shared("spec", "claims_dev.jsonl")
    require_shared("seeds")
    out = tmp_path / "predictions.jsonl"
    run = subprocess.run(
        [sys.executable, str(REPO_ROOT / "bench" / "score_claims_dev.py"), "--set", "dev", "--shared", str(SHARED), "--out", str(out)],
        capture_output=True, text=True, check=True)
    figures = dict(part.split("=") for line in run.stdout.splitlines()[1:] for part in line.split())
    assert float(figures["f1"]) >= 0.95
    assert float(figures["kind"]) >= 0.90
    assert float(figures["qualifier"]) >= 0.90
    assert all(json.loads(line)["title"] for line in out.read_text().splitlines())
