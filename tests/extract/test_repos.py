"""Repository and link extraction from abstracts and the API's githubRepo/projectPage fields."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import require_shared

from paperhouse.extract.repos import REPOS_VERSION, Link, RepoMention, extract_repos, parse_repo_url

SEEDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds"


def only_mention(abstract: str) -> RepoMention:
    mentions, _ = extract_repos(abstract)
    assert len(mentions) == 1, mentions
    return mentions[0]


def test_version_is_semver():
    assert re.fullmatch(r"\d+\.\d+\.\d+", REPOS_VERSION)


@pytest.mark.parametrize(
    "abstract",
    [
        "Code is available at https://github.com/Owner/Name.",
        "Code is available at https://github.com/Owner/Name, with data.",
        "Code is available at https://github.com/Owner/Name; data follow.",
        "Code: https://github.com/Owner/Name: see the README.",
        "Code (https://github.com/Owner/Name) is public.",
        "Code (https://github.com/Owner/Name).",
        "Code [https://github.com/Owner/Name] is public.",
        "Code {https://github.com/Owner/Name}.",
        "Code is at https://github.com/Owner/Name/ now.",
        'Code is at "https://github.com/Owner/Name".',
        "Code is at \u201chttps://github.com/Owner/Name\u201d.",
        "Code is at 'https://github.com/Owner/Name'.",
        "Clone https://github.com/Owner/Name.git to start.",
        "See https://github.com/Owner/Name#installation for setup.",
        "See https://github.com/Owner/Name?tab=readme-ov-file for setup.",
        "Code is available at github.com/Owner/Name.",
        "Code is available at www.github.com/Owner/Name.",
        "Code is available at http://www.GitHub.com/Owner/Name.",
        "Code is available at https: //github.com/Owner/Name .",
        "Code is available at https://github.com/Owner/Name.We also release data.",
        "Code is available at https://github.com/Owner/Name...",
    ],
)
def test_github_url_is_normalised(abstract):
    mention = only_mention(abstract)
    assert (mention.repo_id, mention.owner, mention.name) == ("github.com/owner/name", "Owner", "Name")
    assert (mention.host, mention.kind, mention.url) == ("github.com", "code", "https://github.com/Owner/Name")
    assert mention.path is None
    assert mention.source == "abstract"


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://github.com/Owner/Name/tree/main/examples", "tree/main/examples"),
        ("https://github.com/Owner/Name/tree/main/examples/.", "tree/main/examples"),
        ("https://github.com/Owner/Name/blob/v1.2/src/model.py", "blob/v1.2/src/model.py"),
        ("https://github.com/Owner/Name/tree/dev#usage", "tree/dev"),
        ("https://github.com/Owner/Name.git/", None),
    ],
)
def test_path_after_owner_and_name_is_kept_apart(url, path):
    mention = parse_repo_url(url)
    assert mention.repo_id == "github.com/owner/name"
    assert mention.url == "https://github.com/Owner/Name"
    assert mention.path == path


def test_parse_repo_url_has_abstract_source_and_no_offset():
    mention = parse_repo_url("github.com/a/b")
    assert (mention.source, mention.char_offset) == ("abstract", None)


def test_char_offset_points_at_the_url_in_the_abstract():
    abstract = "We release code (see www.github.com/a/b) and https://huggingface.co/c/d."
    mentions, links = extract_repos(abstract)
    assert [abstract[m.char_offset:m.char_offset + 4] for m in mentions] == ["www.", "http"]
    assert [link.char_offset for link in links] == [m.char_offset for m in mentions]


@pytest.mark.parametrize(
    ("url", "repo_id", "kind", "canonical"),
    [
        ("https://huggingface.co/Org/Model-7B", "huggingface.co/org/model-7b", "model",
         "https://huggingface.co/Org/Model-7B"),
        ("huggingface.co/datasets/Org/Data.", "huggingface.co/datasets/org/data", "dataset",
         "https://huggingface.co/datasets/Org/Data"),
        ("https://huggingface.co/spaces/Org/Demo/", "huggingface.co/spaces/org/demo", "space",
         "https://huggingface.co/spaces/Org/Demo"),
        ("https://hf.co/Org/Model", "huggingface.co/org/model", "model", "https://huggingface.co/Org/Model"),
        ("https://gitlab.com/Group/Project", "gitlab.com/group/project", "code", "https://gitlab.com/Group/Project"),
        ("https://gitlab.com/group/sub/project/-/tree/main", "gitlab.com/group/sub/project", "code",
         "https://gitlab.com/group/sub/project"),
        ("bitbucket.org/Team/Tool/src/master", "bitbucket.org/team/tool", "code", "https://bitbucket.org/Team/Tool"),
    ],
)
def test_hosts_and_kinds(url, repo_id, kind, canonical):
    mention = parse_repo_url(url)
    assert (mention.repo_id, mention.kind, mention.url) == (repo_id, kind, canonical)


def test_hugging_face_files_keep_their_path():
    mention = parse_repo_url("https://huggingface.co/Org/Model/blob/main/config.json")
    assert (mention.repo_id, mention.path) == ("huggingface.co/org/model", "blob/main/config.json")


def link_kinds(abstract: str) -> list[tuple[str, str]]:
    _, links = extract_repos(abstract)
    return [(link.url, link.kind) for link in links]


@pytest.mark.parametrize(
    ("abstract", "url", "kind"),
    [
        ("Our lab: https://github.com/some-lab.", "https://github.com/some-lab", "organization"),
        ("Models at huggingface.co/some-org.", "https://huggingface.co/some-org", "organization"),
        ("See https://github.com/orgs/some-lab for more.", "https://github.com/orgs/some-lab", "organization"),
        ("Groups at gitlab.com/some-group.", "https://gitlab.com/some-group", "organization"),
        ("Demo: https://some-lab.github.io/project/.", "https://some-lab.github.io/project/", "project_page"),
        ("Demo: some-lab.github.io/project", "https://some-lab.github.io/project", "project_page"),
        ("Read https://bit.ly/3abcXYZ.", "https://bit.ly/3abcXYZ", "short_link"),
        ("Read t.co/abc123 now.", "https://t.co/abc123", "short_link"),
        ("Read https://tinyurl.com/y2kabc.", "https://tinyurl.com/y2kabc", "short_link"),
        ("Read https://aka.ms/SomeTool.", "https://aka.ms/SomeTool", "short_link"),
        ("See https://github.com/features/actions.", "https://github.com/features/actions", "other"),
        ("See https://github.com/topics/llm.", "https://github.com/topics/llm", "other"),
        ("See https://huggingface.co/papers/2401.01234.", "https://huggingface.co/papers/2401.01234", "other"),
        ("See https://huggingface.co/datasets/legacyname.", "https://huggingface.co/datasets/legacyname", "other"),
        ("See https://example.org/a/b (paper).", "https://example.org/a/b", "other"),
        ("See www.example.edu/~me/tool.", "https://www.example.edu/~me/tool", "other"),
    ],
)
def test_links_that_are_not_repositories(abstract, url, kind):
    mentions, links = extract_repos(abstract)
    assert mentions == []
    assert [(link.url, link.kind) for link in links] == [(url, kind)]


def test_repo_link_rows_carry_host_and_kind():
    _, links = extract_repos("Code: https://www.GitHub.com/a/b.")
    assert links == [Link(url="https://www.GitHub.com/a/b", host="github.com", kind="repo",
                          source="abstract", char_offset=6)]


@pytest.mark.parametrize(
    "abstract",
    [
        "Code will be released on GitHub.",
        "We host it on github.com. Try it.",
        "Mail me@github.com for access.",
        "As shown in Fig.3 and e.g. Tab.2, results improve.",
        "Huggingface hosts the weights.",
    ],
)
def test_prose_is_not_a_link(abstract):
    assert extract_repos(abstract) == ([], [])


def test_every_url_is_one_link_and_each_repo_one_mention_per_source():
    abstract = (
        "Code: https://github.com/a/b and https://github.com/A/B/tree/main/x; "
        "demo at https://a.github.io/b; weights at https://huggingface.co/a/b."
    )
    mentions, links = extract_repos(abstract, github_repo="https://github.com/a/B", project_page="https://a.github.io/b")
    assert [link.kind for link in links] == ["repo", "repo", "project_page", "repo", "repo", "project_page"]
    assert [link.source for link in links] == ["abstract"] * 4 + ["api"] * 2
    assert [(m.repo_id, m.source) for m in mentions] == [
        ("github.com/a/b", "abstract"),
        ("huggingface.co/a/b", "abstract"),
        ("github.com/a/b", "api"),
    ]
    assert mentions[0].path is None  # the first occurrence wins within a source
    assert (mentions[2].url, mentions[2].char_offset) == ("https://github.com/a/B", None)


def test_api_fields():
    mentions, links = extract_repos("", github_repo=" https://github.com/lab/tool ", project_page="https://example.org/tool")
    assert [(m.repo_id, m.source, m.char_offset) for m in mentions] == [("github.com/lab/tool", "api", None)]
    assert [(link.url, link.kind, link.source) for link in links] == [
        ("https://github.com/lab/tool", "repo", "api"),
        ("https://example.org/tool", "project_page", "api"),
    ]


def test_api_project_page_on_hugging_face_is_a_repo():
    mentions, links = extract_repos("", project_page="https://huggingface.co/spaces/lab/demo")
    assert [(m.repo_id, m.kind, m.source) for m in mentions] == [("huggingface.co/spaces/lab/demo", "space", "api")]
    assert [link.kind for link in links] == ["repo"]


@pytest.mark.parametrize("value", [None, "", "  ", "N/A"])
def test_empty_api_fields_yield_nothing(value):
    assert extract_repos("", github_repo=value, project_page=value) == ([], [])


def seed_abstracts() -> list[str]:
    require_shared("seeds")
    return [line for path in sorted(SEEDS.glob("*.txt")) for line in path.read_text().splitlines()]


def test_every_github_link_in_the_seeds_is_found():
    # Independent of the extractor: owner/name right after "github.com/", then trailing dots and
    # ".git" off the name.
    seed_link = re.compile(r"github\.com/([A-Za-z0-9-]+)/([A-Za-z0-9._-]+)")
    checked = 0
    for line in seed_abstracts():
        expected = set()
        for owner, name in seed_link.findall(line):
            name = name.rstrip(".")
            expected.add((owner, name.removesuffix(".git")))
        if not expected:
            continue
        mentions, _ = extract_repos(line)
        found = {(m.owner, m.name) for m in mentions if m.host == "github.com"}
        assert expected <= found, line[:80]
        checked += len(expected)
    assert checked > 50


@pytest.mark.parametrize("abstract", ["See https://foo[bar/x now.", "See www.foo[bar/x now."])
def test_unparseable_urls_are_skipped(abstract):
    assert extract_repos(abstract, github_repo="foo[bar.org") == ([], [])


def test_port_and_user_do_not_change_the_repo():
    assert parse_repo_url("https://user@github.com:443/a/b").repo_id == "github.com/a/b"


def test_urls_far_apart_and_a_scheme_split_by_a_space_are_all_found():
    # URLs are looked for only between the first and the last URL marker of an abstract: the word
    # before the first marker ("https:" before " //") and the whole last word must be inside.
    abstract = ("Data at www.example.org. " + "We describe the method in detail. " * 20
                + "Code is available at https: //github.com/Owner/Name and at x.github.io/page")
    mentions, links = extract_repos(abstract)
    assert [m.repo_id for m in mentions] == ["github.com/owner/name"]
    assert [(link.url, abstract[link.char_offset:link.char_offset + 5]) for link in links] == [
        ("https://www.example.org", "www.e"),
        ("https://github.com/Owner/Name", "https"),
        ("https://x.github.io/page", "x.git"),
    ]
