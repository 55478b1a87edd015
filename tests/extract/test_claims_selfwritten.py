"""The claims extractor against the abstracts of tests/extract/selfwritten, written and labelled per
claims.md by an earlier team, which then tuned the rules on them: dev sets, not held-out (the
held-out part of the labelled data is chosen in bench/score_claims_dev.py and scored there, never
here). The main set (40 abstracts) and the probe (10 abstracts). `bench/score_claims_dev.py --set selfwritten|probe`
prints the official scorer's report on them. Matching follows the shared scorer
(tools/score_claims.py): a predicted claim matches a labelled one when title and unit agree and the
values are within 1e-6 relative; each prediction matches at most one label."""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from paperhouse.extract.claims import extract_claims

SELFWRITTEN = Path(__file__).resolve().parent / "selfwritten"


def _load(name: str) -> list[dict]:
    with open(SELFWRITTEN / name, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _same_number(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(a)), abs(float(b)))


SETS = {"selfwritten": ("", 40), "probe": ("probe_", 10)}  # name -> (file prefix, abstracts)


@pytest.fixture(scope="module", params=list(SETS))
def labelled(request) -> tuple[str, int]:
    return SETS[request.param]


@pytest.fixture(scope="module")
def scores(labelled) -> dict[str, float]:
    prefix, _count = labelled
    abstracts = _load(f"{prefix}abstracts.jsonl")
    gold = _load(f"{prefix}claims.jsonl")
    titles = {line for line in (SELFWRITTEN / f"{prefix}titles.txt").read_text(encoding="utf-8").splitlines() if line.strip()}
    assert titles == {row["title"] for row in abstracts}
    predicted = [{"title": row["title"], "unit": c.unit, "value": c.value, "value_max": c.value_max,
                  "kind": c.kind, "qualifier": c.qualifier}
                 for row in abstracts for c in extract_claims(row["abstract"])]
    by_key: dict[tuple, list[int]] = defaultdict(list)
    for i, p in enumerate(predicted):
        by_key[(p["title"], p["unit"])].append(i)
    used: set[int] = set()
    matches = []
    for g in gold:
        hit = next((i for i in by_key[(g["title"], g["unit"])]
                    if i not in used and _same_number(predicted[i]["value"], g["value"])), None)
        if hit is not None:
            used.add(hit)
            matches.append((g, predicted[hit]))
    tp = len(matches)
    return {
        "precision": tp / len(predicted) if predicted else 0.0,
        "recall": tp / len(gold) if gold else 0.0,
        "kind": sum(g["kind"] == p["kind"] for g, p in matches) / tp if tp else 0.0,
        "qualifier": sum(g["qualifier"] == p["qualifier"] for g, p in matches) / tp if tp else 0.0,
        "value_max": sum(_same_number(g["value_max"], p["value_max"]) for g, p in matches) / tp if tp else 0.0,
    }


def test_selfwritten_set_is_well_formed(labelled):
    prefix, count = labelled
    abstracts = {row["title"]: row["abstract"] for row in _load(f"{prefix}abstracts.jsonl")}
    assert len(abstracts) == count
    for claim in _load(f"{prefix}claims.jsonl"):
        assert claim["title"] in abstracts
        assert claim["text"] in abstracts[claim["title"]]
        assert claim["unit"] in ("percent", "points", "x", "score")
        assert claim["kind"] in ("gain", "reduction", "score", "share", "finding")


def test_selfwritten_precision_and_recall(scores):
    assert scores["precision"] >= 0.9, scores
    assert scores["recall"] >= 0.9, scores


def test_selfwritten_kind_and_qualifier_agreement(scores):
    assert scores["kind"] >= 0.85, scores
    assert scores["qualifier"] >= 0.85, scores
    assert scores["value_max"] >= 0.85, scores
