"""The floor `paperhouse parse` is measured against (issue 18): what a user's own script would do
with a page in the layout without blank lines: read the file, split it into lines, pair them and
write one JSON line per entry. No checks, no header handling."""
import json
import sys

lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
write = sys.stdout.write
for index in range(0, len(lines) - 1, 2):
    write(json.dumps({"position": index // 2 + 1, "title": lines[index], "abstract": lines[index + 1]}) + "\n")
