"""Floor of a backfill's own work: parse every snapshot of a feed directory and extract repos and
claims from each abstract, in one process, writing nothing. Whatever a backfill spends beyond this
(and beyond loading the entries into DuckDB, `naive_cron.py --load-only`) is overhead.

    python bench/extract_floor.py FEED_DIR [--report FILE]
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from paperhouse.extract import extract_claims, extract_repos
from paperhouse.feeds import parse_file


def run(feed_dir: Path) -> dict:
    files = sorted(p for p in Path(feed_dir).iterdir() if p.suffix in (".txt", ".json"))
    entries = claims = repos = 0
    for path in files:
        for entry in parse_file(path).entries:
            entries += 1
            found_repos, _links = extract_repos(entry["abstract"], entry.get("github_repo"), entry.get("project_page"))
            repos += len(found_repos)
            claims += len(extract_claims(entry["abstract"]))
    return {"files": len(files), "entries": entries, "claims": claims, "repo_mentions": repos}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("feed_dir", type=Path)
    parser.add_argument("--report", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    result = run(args.feed_dir)
    result["seconds"] = time.perf_counter() - started
    if args.report:
        args.report.write_text(json.dumps(result))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
