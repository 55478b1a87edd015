"""The synthetic feed generator: realistic shapes, recurring papers, determinism, our own text."""
from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from paperhouse.extract.repos import extract_repos
from paperhouse.synth import FORMATS, generate_api, generate_page, iter_feed, write_feed, write_large_page

START = dt.date(2026, 1, 1)
PAGE_HEADER_LINES = {
    "new", "Subscribe", "Daily Papers",
    "Get trending papers in your email inbox!", "Get trending papers in your email inbox once a day!",
    "byAK and the research community", "by AK and the research community",
}
DAY_LINE = re.compile(r"^[A-Z][a-z]{2} \d{1,2}$")


def page_fields(text: str) -> list[str]:
    """Titles and abstracts of a page, in order, by the layout rules the generator follows."""
    if "\n\n" in text:
        lines = text.split("\n\n")
    else:
        lines = text.split("\n")
        lines = [line[len("Subscribe"):] if line.startswith("Subscribe") and line != "Subscribe" else line
                 for line in lines]
    return [line for line in lines if line not in PAGE_HEADER_LINES and not DAY_LINE.match(line)]


def entries_of(path: Path) -> list[tuple[str, str]]:
    """(title, abstract) of every entry in a snapshot file."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return [(item["paper"]["title"], item["paper"]["summary"]) for item in json.loads(text)]
    fields = page_fields(text)
    assert len(fields) % 2 == 0
    return list(zip(fields[0::2], fields[1::2]))


@pytest.fixture(scope="module")
def mixed_feed(tmp_path_factory) -> list[Path]:
    return write_feed(tmp_path_factory.mktemp("feed"), days=12, papers_per_day=30, seed=7, start=START)


def test_one_file_per_day_named_by_date_rotating_formats(mixed_feed):
    assert [path.name for path in mixed_feed[:4]] == ["2026-01-01.txt", "2026-01-02.txt", "2026-01-03.json", "2026-01-04.txt"]
    assert len(mixed_feed) == 12
    first, second, third = (path.read_text(encoding="utf-8") for path in mixed_feed[:3])
    assert "\n\n" in first and "Daily Papers" in first  # blank_separated page
    assert "\n\n" not in second and re.search(r"^Subscribe\S", second, re.MULTILINE)  # line_per_field page
    assert isinstance(json.loads(third), list)  # API JSON


def test_every_file_has_exactly_papers_per_day_entries(mixed_feed):
    for path in mixed_feed:
        entries = entries_of(path)
        assert len(entries) == 30, path.name
        assert len({title for title, _ in entries}) == 30, path.name


def test_pages_end_without_a_newline_like_real_pages(mixed_feed):
    pages = [path for path in mixed_feed if path.suffix == ".txt"]
    assert all(not path.read_text(encoding="utf-8").endswith("\n") for path in pages)


def test_same_seed_same_bytes_other_seed_other_feed(tmp_path, mixed_feed):
    again = write_feed(tmp_path / "again", days=12, papers_per_day=30, seed=7, start=START)
    assert [path.read_bytes() for path in again] == [path.read_bytes() for path in mixed_feed]
    other = write_feed(tmp_path / "other", days=1, papers_per_day=30, seed=8, start=START)
    assert other[0].read_bytes() != mixed_feed[0].read_bytes()


def test_formats_do_not_change_which_papers_a_day_holds(tmp_path, mixed_feed):
    api_only = write_feed(tmp_path / "api", days=12, papers_per_day=30, seed=7, start=START, formats="api")
    assert [entries_of(path) for path in api_only] == [entries_of(path) for path in mixed_feed]


def test_formats_offered_to_the_cli():
    assert set(FORMATS) == {"mixed", "page", "api", "blank_separated", "line_per_field"}


@pytest.mark.parametrize(("formats", "suffixes"), [
    ("page", {".txt"}), ("api", {".json"}), ("blank_separated", {".txt"}), ("line_per_field", {".txt"}),
])
def test_single_format_feeds(tmp_path, formats, suffixes):
    paths = write_feed(tmp_path, days=4, papers_per_day=5, formats=formats)
    assert {path.suffix for path in paths} == suffixes
    assert all(len(entries_of(path)) == 5 for path in paths)


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(ValueError, match="formats"):
        write_feed(tmp_path, days=1, papers_per_day=1, formats="xml")


def test_papers_recur_for_one_to_four_consecutive_days_unchanged():
    days_seen = defaultdict(list)
    text_of = {}
    for day, entries in iter_feed(days=40, papers_per_day=25, seed=3, start=START):
        for entry in entries:
            paper = entry.paper
            days_seen[paper.arxiv_id].append(day)
            assert text_of.setdefault(paper.arxiv_id, (paper.title, paper.abstract)) == (paper.title, paper.abstract)
    spans = []
    for arxiv_id, days in days_seen.items():
        assert days == [days[0] + dt.timedelta(days=offset) for offset in range(len(days))], arxiv_id
        spans.append(len(days))
    finished = spans[: len(spans) // 2]  # papers that started early enough to have left the feed
    assert set(finished) == {1, 2, 3, 4}
    assert len({title for title, _ in text_of.values()}) == len(text_of)  # titles are unique


def test_a_recurring_paper_keeps_its_arxiv_id_across_formats(mixed_feed):
    page_entries = set(entries_of(mixed_feed[1]))  # line_per_field page of Jan 2
    api_items = json.loads(mixed_feed[2].read_text(encoding="utf-8"))  # API of Jan 3
    carried = [item for item in api_items if (item["paper"]["title"], item["paper"]["summary"]) in page_entries]
    assert carried
    later_ids = {item["paper"]["id"]: item["paper"]["title"] for item in json.loads(mixed_feed[5].read_text(encoding="utf-8"))}
    earlier_ids = {item["paper"]["id"]: item["paper"]["title"] for item in api_items}
    for arxiv_id in earlier_ids.keys() & later_ids.keys():
        assert earlier_ids[arxiv_id] == later_ids[arxiv_id]


def test_upvotes_order_the_day_and_grow_while_on_feed():
    previous: dict[str, int] = {}
    for _, entries in iter_feed(days=10, papers_per_day=20, seed=5, start=START):
        upvotes = [entry.upvotes for entry in entries]
        assert upvotes == sorted(upvotes, reverse=True)
        for entry in entries:
            if entry.paper.arxiv_id in previous:
                assert entry.upvotes >= previous[entry.paper.arxiv_id] - 3
        previous = {entry.paper.arxiv_id: entry.upvotes for entry in entries}


def test_page_headers_vary_like_real_pages():
    by_lines, day_lines, once_a_day = set(), set(), set()
    for day, entries in iter_feed(days=30, papers_per_day=2, seed=1, start=START):
        blank = generate_page(day, entries, "blank_separated", seed=1).split("\n\n")
        by_lines.add(next(line for line in blank if line.startswith("by")))
        day_lines.add(f"{day:%b} {day.day}" in blank)
        per_line = generate_page(day, entries, "line_per_field", seed=1).split("\n")
        once_a_day.add(per_line[0] == "Get trending papers in your email inbox once a day!")
        assert per_line[per_line.index("Get trending papers in your email inbox!") + 1] == "Subscribe" + entries[0].paper.title
    assert by_lines == {"byAK and the research community", "by AK and the research community"}
    assert day_lines == {True, False}
    assert once_a_day == {True, False}


def test_api_items_have_the_daily_papers_shape():
    _, entries = next(iter_feed(days=1, papers_per_day=60, seed=2, start=START))
    items = json.loads(generate_api(entries))
    assert len(items) == 60
    for item in items:
        paper = item["paper"]
        assert re.fullmatch(r"\d{4}\.\d{5}", paper["id"])
        assert {"authors", "publishedAt", "submittedOnDailyAt", "title", "summary", "upvotes", "discussionId",
                "githubRepo", "projectPage"} <= paper.keys()
        assert {"publishedAt", "title", "summary", "numComments"} <= item.keys()
        assert ("organization" in item) != ("organization" in paper)  # one position or the other
        assert "submittedBy" in item or "submittedOnDailyBy" in paper
        assert all(author.keys() in ({"_id", "name", "hidden"}, {"_id", "name", "hidden", "user"})
                   for author in paper["authors"])
        for key in ("publishedAt", "submittedOnDailyAt"):
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", paper[key])
        assert paper["submittedOnDailyAt"].startswith("2026-01-01")
        assert paper["publishedAt"] <= paper["submittedOnDailyAt"]
        assert ("githubStars" in paper) == (paper["githubRepo"] is not None)
        assert (item["title"], item["summary"]) == (paper["title"], paper["summary"])
    assert any(item["paper"]["githubRepo"] for item in items)
    assert any(item["paper"].get("ai_keywords") for item in items)
    organizations = [item.get("organization") or item["paper"].get("organization") for item in items]
    assert any(organizations) and not all(organizations)


def test_api_items_vary_their_shape_like_the_real_api_and_parse_alike():
    """Organization in `paper` or at the top level; submitter in either shape or both; authors with
    and without a linked account: every shape occurs, and the parser reads each into the same fields."""
    from paperhouse.feeds import parse_bytes

    _, entries = next(iter_feed(days=1, papers_per_day=200, seed=5, start=START))
    items = json.loads(generate_api(entries))
    organization_places = {("organization" in item["paper"], bool(item["paper"].get("organization") or item.get("organization")))
                           for item in items}
    assert {(True, True), (False, True), (True, False), (False, False)} == organization_places
    submitter_shapes = {("submittedOnDailyBy" in item["paper"], "submittedBy" in item) for item in items}
    assert submitter_shapes == {(True, True), (True, False), (False, True)}
    authors = [author for item in items for author in item["paper"]["authors"]]
    assert any("user" in author for author in authors) and any("user" not in author for author in authors)

    parsed = parse_bytes(generate_api(entries).encode(), "day.json").entries
    for item, entry in zip(items, parsed):
        organization = item["paper"].get("organization") or item.get("organization")
        assert entry["organization_id"] == (organization["_id"] if organization else None)
        assert entry["organization_name"] == (organization["name"] if organization else None)
        submitter = item["paper"].get("submittedOnDailyBy") or item["submittedBy"]
        assert entry["submitter_user"] == submitter.get("user", submitter.get("name"))
        assert entry["submitter_id"] == submitter["_id"]
        assert entry["author_ids"] == [author["_id"] for author in item["paper"]["authors"]]
        assert entry["author_users"] == [author["user"]["user"] if "user" in author else None
                                         for author in item["paper"]["authors"]]


def test_abstracts_mix_claims_links_and_neither():
    abstracts = [entry.paper.abstract for _, entries in iter_feed(days=1, papers_per_day=300, seed=4, start=START)
                 for entry in entries]
    claim = re.compile(r"\d(?:\.\d)?%|\d\.\d(?:x|\u00d7) faster|by \d+\.\d points")
    with_claims = sum(bool(claim.search(abstract)) for abstract in abstracts)
    with_links = sum(bool(extract_repos(abstract)[1]) for abstract in abstracts)
    assert 0.4 * len(abstracts) < with_claims < 0.95 * len(abstracts)
    assert 0.15 * len(abstracts) < with_links < 0.6 * len(abstracts)
    for abstract in abstracts:
        sentences = re.findall(r"[.?!](?:\s|$)", abstract)
        assert 3 <= len(sentences) <= 10, abstract


def test_repo_links_in_abstracts_are_found_by_the_extractor():
    kinds = set()
    for _, entries in iter_feed(days=1, papers_per_day=300, seed=4, start=START):
        for entry in entries:
            paper = entry.paper
            mentions, links = extract_repos(paper.abstract, paper.github_repo, paper.project_page)
            assert all(link.kind in ("repo", "project_page") for link in links), paper.abstract
            kinds.update(mention.kind for mention in mentions)
            if paper.github_repo:
                assert any(m.source == "api" and m.url == paper.github_repo for m in mentions)
    assert kinds == {"code", "model", "dataset", "space"}


def test_large_page(tmp_path):
    path = write_large_page(tmp_path / "large.txt", entries=3_000, seed=1)
    entries = entries_of(path)
    assert len(entries) == 3_000
    assert len({title for title, _ in entries}) == 3_000
    assert write_large_page(tmp_path / "again.txt", entries=3_000, seed=1).read_bytes() == path.read_bytes()
    line_per_field = write_large_page(tmp_path / "lpf.txt", entries=50, seed=1, layout="line_per_field")
    assert entries_of(line_per_field) == entries[:50]


def test_round_trip_through_the_page_and_api_parsers(mixed_feed):
    from paperhouse import feeds

    layouts = []
    for path in mixed_feed[:3]:
        parsed = feeds.parse_file(path)
        layouts.append(parsed.layout)
        assert [(entry["title"], entry["abstract"]) for entry in parsed.entries] == entries_of(path)
    assert layouts == ["blank_separated", "line_per_field", "api_json"]


def test_no_seed_text(seeds_dir, mixed_feed):
    """Our vocabularies, not the real feed: no seed title, and no run of 8 words from a seed."""
    seed_lines = [line for path in sorted(seeds_dir.glob("*.txt"))
                  for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    seed_titles = {line for line in seed_lines if len(line) < 250} - PAGE_HEADER_LINES
    seed_runs = set()
    for line in seed_lines:
        words = line.split()
        seed_runs.update(" ".join(words[index:index + 8]) for index in range(len(words) - 7))
    for path in mixed_feed:
        for title, abstract in entries_of(path):
            assert title not in seed_titles
            words = abstract.split()
            runs = {" ".join(words[index:index + 8]) for index in range(len(words) - 7)}
            assert not runs & seed_runs, title
