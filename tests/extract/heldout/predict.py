"""Write extract_claims predictions for the held-out abstracts (one claim per line).

Usage: uv run python tests/extract/heldout/predict.py OUT.jsonl
then:  python /work/shared/tools/score_claims.py tests/extract/heldout/claims.jsonl \
           tests/extract/heldout/titles.txt OUT.jsonl --show-errors
"""
import dataclasses
import json
import sys
from pathlib import Path

from paperhouse.extract.claims import extract_claims

HERE = Path(__file__).resolve().parent


def main(out: str) -> None:
    with open(HERE / "abstracts.jsonl", encoding="utf-8") as fa, open(out, "w", encoding="utf-8") as fo:
        for line in fa:
            row = json.loads(line)
            for claim in extract_claims(row["abstract"]):
                fo.write(json.dumps({"title": row["title"], **dataclasses.asdict(claim)}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
