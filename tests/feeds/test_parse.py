from __future__ import annotations

import json

import pytest

from conftest import SAMPLE_ENTRIES, api_json, page_text
from paperhouse.errors import FeedError
from paperhouse.feeds import parse_bytes, parse_file

SEED_COUNTS = {"000_": 54, "001_": 234, "002_": 60}


@pytest.mark.parametrize("prefix,count", SEED_COUNTS.items())
def test_seed_counts_and_pairing(seeds_dir, prefix, count):
    (path,) = seeds_dir.glob(prefix + "*.txt")
    parsed = parse_file(path)
    assert parsed.format == "page"
    assert len(parsed.entries) == count
    assert [e["position"] for e in parsed.entries] == list(range(1, count + 1))
    # The first title follows the header, the last abstract ends the file: read them independently.
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert parsed.entries[-1]["abstract"] == lines[-1]
    assert parsed.entries[-1]["title"] == " ".join(lines[-2].split())
    first_title = parsed.entries[0]["title"]
    assert not first_title.startswith("Subscribe")
    assert any(line.endswith(first_title) for line in lines[:8])
    for entry in parsed.entries:
        assert len(entry["abstract"]) > len(entry["title"])


def test_seed_layouts(seeds_dir):
    layouts = {p.name[:4]: parse_file(p).layout for p in seeds_dir.glob("*.txt")}
    assert layouts == {"000_": "blank_separated", "001_": "line_per_field", "002_": "blank_separated"}


@pytest.mark.parametrize("layout", ["blank_separated", "line_per_field"])
def test_both_layouts_parse_the_same_entries(layout):
    parsed = parse_bytes(page_text(layout=layout).encode(), "day.txt")
    assert parsed.layout == layout
    assert [(e["title"], e["abstract"]) for e in parsed.entries] == SAMPLE_ENTRIES


@pytest.mark.parametrize("by_line,day_line", [("byAK and the research community", "Aug 13"),
                                              ("by AK and the research community", None),
                                              ("by AK and the research community", "Sep 2")])
def test_header_variants(by_line, day_line):
    parsed = parse_bytes(page_text(by_line=by_line, day_line=day_line).encode(), "day.txt")
    assert len(parsed.entries) == len(SAMPLE_ENTRIES)
    assert parsed.in_page_date == day_line


def test_crlf_and_bom():
    data = "\ufeff".encode() + page_text(layout="line_per_field").replace("\n", "\r\n").encode()
    parsed = parse_bytes(data, "day.txt")
    assert [(e["title"], e["abstract"]) for e in parsed.entries] == SAMPLE_ENTRIES


def test_api_example_keeps_api_fields():
    from conftest import require_shared

    path = require_shared("spec", "daily_papers_api_example.json")
    parsed = parse_file(path)
    assert parsed.format == "api"
    first, second = parsed.entries
    assert first["arxiv_id"] == "2611.04211"
    assert first["authors"] == ["Mira Okafor", "Tomas Lindqvist"]
    assert (first["upvotes"], first["num_comments"], first["github_stars"]) == (41, 3, 128)
    assert first["github_repo"] == "https://github.com/okafor-lab/sparse-ledger"
    assert first["ai_keywords"] == ["attention", "long context", "memory efficiency"]
    assert first["published_at"].isoformat() == "2026-11-18T17:42:09+00:00"
    assert first["submitted_at"].isoformat() == "2026-11-20T01:12:44+00:00"
    assert first["is_withdrawn"] is False
    assert second["github_repo"] is None and second["project_page"] == "https://example.org/counting-what-matters"
    assert second["ai_keywords"] is None


def test_api_example_keeps_organization_submitter_and_author_ids():
    from conftest import SHARED_DIR

    path = SHARED_DIR / "spec" / "daily_papers_api_example.json"
    if not path.exists():
        pytest.skip("../shared/spec is not present")
    first, second = parse_file(path).entries
    assert first["author_ids"] == ["6731a0f2c1d4e5f6a7b8c9d0", "6731a0f2c1d4e5f6a7b8c9d1"]
    assert first["author_users"] == [None, None]
    assert (first["organization_id"], first["organization_name"], first["organization_fullname"]) == (None, None, None)
    assert (second["organization_id"], second["organization_name"], second["organization_fullname"]) == (
        "6731a0f2c1d4e5f6a7b8ca00", "example-lab", "Example Lab")
    assert (first["submitter_id"], first["submitter_user"], first["submitter_fullname"]) == (
        "6731a0f2c1d4e5f6a7b8c9f0", "mokafor", "Mira Okafor")


def _one_item(paper_extra: dict, item_extra: dict) -> dict:
    document = json.loads(api_json(SAMPLE_ENTRIES[:1]))
    for key in ("organization", "submittedBy"):
        document[0].pop(key, None)
    document[0]["paper"].update(paper_extra)
    document[0].update(item_extra)
    return parse_bytes(json.dumps(document).encode(), "day.json").entries[0]


ORG = {"_id": "org1", "name": "river-lab", "fullname": "River  Lab"}


@pytest.mark.parametrize("paper_extra, item_extra", [
    ({"organization": ORG}, {}),                          # newer responses: inside paper
    ({}, {"organization": ORG}),                          # older responses: at the item's top level
    ({"organization": None}, {"organization": ORG}),
])
def test_api_organization_in_either_position(paper_extra, item_extra):
    entry = _one_item(paper_extra, item_extra)
    assert (entry["organization_id"], entry["organization_name"], entry["organization_fullname"]) == ("org1", "river-lab", "River Lab")


@pytest.mark.parametrize("paper_extra, item_extra, expected", [
    ({"submittedOnDailyBy": {"_id": "u1", "user": "ada", "fullname": "Ada L"}}, {}, ("u1", "ada", "Ada L")),
    ({}, {"submittedBy": {"_id": "u1", "name": "ada", "fullname": "Ada L", "type": "user"}}, ("u1", "ada", "Ada L")),
    ({"submittedOnDailyBy": {"_id": "u1", "user": "ada"}},
     {"submittedBy": {"_id": "u1", "name": "ada", "fullname": "Ada L"}}, ("u1", "ada", "Ada L")),
    ({}, {}, (None, None, None)),
])
def test_api_submitter_in_either_shape(paper_extra, item_extra, expected):
    entry = _one_item(paper_extra, item_extra)
    assert (entry["submitter_id"], entry["submitter_user"], entry["submitter_fullname"]) == expected


def test_api_author_ids_and_accounts_follow_the_named_authors():
    entry = _one_item({"authors": [
        {"_id": "a1", "name": "Ada  Lovelace", "user": {"_id": "x", "user": "ada", "fullname": "Ada Lovelace"}},
        {"_id": "a2", "name": " "},                          # no name: left out, ids stay aligned
        {"name": "Alan Turing", "user": "alan"},             # the account given as a plain handle
        {"_id": "a4", "name": "Grace Hopper"},               # no account
    ]}, {})
    assert entry["authors"] == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
    assert entry["author_ids"] == ["a1", None, "a4"]
    assert entry["author_users"] == ["ada", "alan", None]


def test_api_withdrawn_and_detection_ignores_extension():
    parsed = parse_bytes(api_json(withdrawnAt="2026-11-21T00:00:00.000Z").encode(), "looks-like-a-page.txt")
    assert parsed.format == "api"
    assert all(e["is_withdrawn"] for e in parsed.entries)
    page = parse_bytes(page_text().encode(), "looks-like-json.json")
    assert page.format == "page"


def test_format_override_must_match_content():
    with pytest.raises(FeedError, match="expected a api snapshot but the content is page"):
        parse_bytes(page_text().encode(), "day.txt", "api")


# ---- bad input: one line naming the file (and line), never wrong data -----------------------------

def _rejected(data: bytes, name: str = "bad.txt") -> FeedError:
    with pytest.raises(FeedError) as info:
        parse_bytes(data, name)
    message = str(info.value)
    assert message.startswith(name) and "\n" not in message
    return info.value


def test_empty_file():
    assert "empty file" in str(_rejected(b""))
    assert "empty file" in str(_rejected(b"  \n\n"))


def test_binary_file():
    assert "binary" in str(_rejected(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))


def test_undecodable_text():
    err = _rejected(page_text().encode()[:200] + b"\n\xff\xfe broken\n")
    assert "not UTF-8" in err.reason and err.line is not None


def test_truncated_page_title_without_abstract():
    text = page_text() + "\nA Dangling Title With No Abstract\n"
    err = _rejected(text.encode())
    assert "truncated" in err.reason
    assert err.line == text.splitlines().index("A Dangling Title With No Abstract") + 1


@pytest.mark.parametrize("layout", ["blank_separated", "line_per_field"])
@pytest.mark.parametrize("drop", ["title", "abstract"])
def test_missing_line_is_never_paired_wrongly(layout, drop):
    entries = SAMPLE_ENTRIES * 3  # 12 entries, so the shift is in the middle
    lines = page_text(entries, layout=layout).split("\n")
    victim = entries[5][0] if drop == "title" else entries[5][1]
    lines.remove(victim)
    # Re-pad so the count stays even: the damage must be caught by content, not by parity.
    padding = entries[0][0] if drop == "abstract" else entries[0][1]
    lines[-1:-1] = ["", padding] if layout == "blank_separated" else [padding]
    err = _rejected("\n".join(lines).encode())
    assert "misaligned" in err.reason and err.line is not None


def test_paragraph_break_inside_abstract_is_rejected():
    title, abstract = SAMPLE_ENTRIES[0]
    first, rest = abstract.split(". ", 1)
    text = page_text().replace(abstract, first + ".\n" + rest)
    err = _rejected(text.encode())
    assert "two text lines in a row" in err.reason


def test_header_only_page():
    assert "no entries" in str(_rejected(b"new\n\nSubscribe\n\nDaily Papers\n"))


@pytest.mark.parametrize("document,reason", [
    ('{"papers": []}', "expected a JSON list"),
    ("[]", "lists no papers"),
    ('[{"title": "x"}]', "no 'paper' object"),
    ('[{"paper": {"title": "T", "summary": "S", "upvotes": "many"}}]', "upvotes must be an integer"),
    ('[{"paper": {"title": "T", "summary": "S", "upvotes": -3}}]', "must not be negative"),
    ('[{"paper": {"summary": "S"}}]', "has no title"),
    ('[{"paper": {"title": "T", "summary": "S", "publishedAt": "yesterday"}}]', "not an ISO timestamp"),
])
def test_api_shape_errors(document, reason):
    assert reason in str(_rejected(document.encode(), "day.json"))


def test_invalid_json_names_the_line():
    err = _rejected(b'[\n {"paper": {"title": "T",\n  "summary": oops}}\n]', "day.json")
    assert "invalid JSON" in err.reason and err.line == 3


def test_parse_output_survives_a_json_round_trip():
    # Entries travel as JSON (XCom, `paperhouse parse` output): every value must come back equal,
    # timestamps as their ISO text.
    parsed = parse_bytes(api_json().encode(), "day.json")
    again = json.loads(json.dumps(parsed.entries, default=lambda value: value.isoformat()))
    assert len(again) == len(parsed.entries) == 4
    for before, after in zip(parsed.entries, again):
        assert after.keys() == before.keys()
        for key, value in before.items():
            assert after[key] == (value.isoformat() if hasattr(value, "isoformat") else value), key
    assert again[0]["published_at"] == "2026-11-18T17:42:09+00:00"
