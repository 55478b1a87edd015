"""Synthetic lake days for the warehouse tests, written with `paperhouse.lake` (our own text).

Day 1 is a page snapshot (no arXiv ids), day 2 an API snapshot that names one of day 1's papers
under a differently punctuated title, so both must become one arXiv paper. `DAY2_CORRECTED` is a
re-ingested day 2 (new snapshot_id) that drops that paper and has no claims or repos at all.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from paperhouse import lake

DAY1 = dt.date(2026, 8, 9)
DAY2 = dt.date(2026, 8, 10)
DAY3 = dt.date(2026, 8, 11)

SPARSE_TITLE_PAGE = "Sparse Routing for Mixture-of-Experts at Scale"
SPARSE_TITLE_API = "Sparse routing for mixture of experts, at scale"
SPARSE_ABSTRACT = ("We route tokens to few experts. It improves accuracy by up to 12.5% over dense layers. "
                   "Code: github.com/Acme/SparseRoute")
TINY_TITLE = "Tiny Models, Big Gains"
TINY_ABSTRACT = "Small models learn fast. The benchmark is at huggingface.co/datasets/acme/tiny-bench and runs 3x faster."
SURVEY_TITLE = "A Survey That Only Pages Show"
SURVEY_ABSTRACT = "We survey routing methods. Careful tuning reduces error by 40% on average."
GRAPH_TITLE = "Graph Kernels Revisited"
GRAPH_ABSTRACT = "Kernels on graphs, again. It improves F1 by 4 points. See github.com/Graph-Lab/kernels"

SPARSE_ARXIV = "2608.01234"
GRAPH_ARXIV = "2608.05678"


def snapshot_id(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


def _entry(position: int, title: str, abstract: str, **api) -> dict:
    return {"position": position, "title": title, "abstract": abstract, **api}


def _repo(position: int, repo_id: str, kind: str, owner: str, name: str, url: str, source: str,
          char_offset: int | None) -> dict:
    host = repo_id.split("/", 1)[0]
    return {"position": position, "repo_id": repo_id, "host": host, "kind": kind, "owner": owner, "name": name,
            "url": url, "path": None, "source": source, "char_offset": char_offset, "extractor_version": "test"}


def _claim(position: int, abstract: str, text: str, value: float, unit: str, kind: str,
           qualifier: str | None = None, metric: str | None = None) -> dict:
    return {"position": position, "char_offset": abstract.index(text), "value": value, "value_max": None,
            "unit": unit, "kind": kind, "qualifier": qualifier, "metric": metric, "text": text,
            "extractor_version": "test", "rule": "kind.verb_by"}


def _sparse_code(position: int) -> dict:
    return _repo(position, "github.com/acme/sparseroute", "code", "Acme", "SparseRoute",
                 "https://github.com/Acme/SparseRoute", "abstract", SPARSE_ABSTRACT.index("github.com"))


DAY1_PAGE = {
    "label": "day1-page", "format": "page", "layout": "blank_separated",
    "entries": [_entry(1, SPARSE_TITLE_PAGE, SPARSE_ABSTRACT), _entry(2, TINY_TITLE, TINY_ABSTRACT),
                _entry(3, SURVEY_TITLE, SURVEY_ABSTRACT)],
    "repo_mentions": [
        _sparse_code(1),
        _repo(2, "huggingface.co/datasets/acme/tiny-bench", "dataset", "acme", "tiny-bench",
              "https://huggingface.co/datasets/acme/tiny-bench", "abstract", TINY_ABSTRACT.index("huggingface")),
    ],
    "claims": [
        _claim(1, SPARSE_ABSTRACT, "improves accuracy by up to 12.5%", 12.5, "percent", "gain", "up_to", "accuracy"),
        _claim(2, TINY_ABSTRACT, "3x faster", 3.0, "x", "gain"),
        _claim(3, SURVEY_ABSTRACT, "reduces error by 40% on average", 40.0, "percent", "reduction", "average", "error"),
    ],
}

DAY2_API = {
    "label": "day2-api", "format": "api", "layout": "api_json",
    "entries": [
        _entry(1, SPARSE_TITLE_API, SPARSE_ABSTRACT, arxiv_id=SPARSE_ARXIV, authors=["Ada Lovelace", "Alan Turing"],
               upvotes=42, num_comments=3, github_repo="https://github.com/acme/sparseroute", github_stars=120),
        _entry(2, GRAPH_TITLE, GRAPH_ABSTRACT, arxiv_id=GRAPH_ARXIV + "v2", authors=["Alan  Turing", "Grace Hopper"],
               upvotes=7, num_comments=0),
    ],
    "repo_mentions": [
        _repo(1, "github.com/acme/sparseroute", "code", "acme", "sparseroute", "https://github.com/acme/sparseroute",
              "api", None),
        _sparse_code(1),
        _repo(2, "github.com/graph-lab/kernels", "code", "Graph-Lab", "kernels", "https://github.com/Graph-Lab/kernels",
              "abstract", GRAPH_ABSTRACT.index("github.com")),
    ],
    "claims": [
        _claim(1, SPARSE_ABSTRACT, "improves accuracy by up to 12.5%", 12.5, "percent", "gain", "up_to", "accuracy"),
        _claim(2, GRAPH_ABSTRACT, "improves F1 by 4 points", 4.0, "points", "gain", None, "F1"),
    ],
}

DAY2_CORRECTED = {
    "label": "day2-api-corrected", "format": "api", "layout": "api_json",
    "entries": [_entry(1, GRAPH_TITLE, "Kernels on graphs, again.", arxiv_id=GRAPH_ARXIV,
                       authors=["Alan  Turing", "Grace Hopper"], upvotes=9, num_comments=1)],
    "repo_mentions": [],
    "claims": [],
}


def write_lake_day(lake_dir: Path, day: dt.date, spec: dict, commit: bool = True) -> str:
    """Write one day's partitions; without `commit` the snapshots row (the commit record) is left out."""
    sid = snapshot_id(spec["label"])
    rows = {
        "entries": [{"snapshot_id": sid, **e} for e in spec["entries"]],
        "repo_mentions": [{"snapshot_id": sid, **m} for m in spec["repo_mentions"]],
        "links": [{"snapshot_id": sid, "position": m["position"], "url": m["url"], "host": m["host"], "kind": "repo",
                   "source": m["source"], "char_offset": m["char_offset"], "extractor_version": "test"}
                  for m in spec["repo_mentions"]],
        "claims": [{"snapshot_id": sid, **c} for c in spec["claims"]],
        "snapshots": [{"snapshot_id": sid, "source": f"/feed/{day.isoformat()}.txt", "format": spec["format"],
                       "layout": spec["layout"], "in_page_date": None, "byte_size": 1000 + len(spec["entries"]),
                       "entry_count": len(spec["entries"]),
                       "ingested_at": dt.datetime(2026, 8, 12, 6, 0, tzinfo=dt.timezone.utc),
                       "parser_version": "test", "extractor_version": "test", "waived_checks": []}],
    }
    tables = {name: lake.to_table(name, rows[name]) for name in lake.SCHEMAS}
    if commit:
        lake.write_day(lake_dir, day, tables)
    else:
        for name in lake.SCHEMAS:
            if name != "snapshots":
                lake.write_partition(lake_dir, name, day, tables[name])
    return sid

