"""Repository and link extraction: an abstract (plus the API's githubRepo/projectPage) in, rows out.

Every URL found becomes one `Link` (kind repo, project_page, organization, short_link or other).
URLs that name a code repository (GitHub, GitLab, Bitbucket) or a Hugging Face model, dataset or
space also become a `RepoMention`, keyed by the lower-cased `host/owner/name` (`repo_id`).

URLs in abstracts come out of PDF text: they lose their scheme, get glued to the next sentence,
sit in parentheses or braces and end in punctuation. `_clean_url` undoes that the way a careful
reader would; `urllib.parse` then does the actual URL parsing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

REPOS_VERSION = "1.0.0"


@dataclass(frozen=True)
class RepoMention:
    repo_id: str             # lower-cased host/owner/name; HF datasets/spaces: host/datasets/owner/name
    host: str                # github.com | gitlab.com | bitbucket.org | huggingface.co
    kind: str                # code | model | dataset | space
    owner: str               # original case; GitLab subgroups included ("group/sub")
    name: str                # original case, without ".git"
    url: str                 # canonical https URL, original case
    path: str | None         # what followed owner/name ("tree/main/examples"), if anything
    source: str              # abstract | api
    char_offset: int | None  # where the URL starts in the abstract; None for api


@dataclass(frozen=True)
class Link:
    url: str                 # the URL as found, cleaned of surrounding punctuation, with a scheme
    host: str                # lower case, without "www."
    kind: str                # repo | project_page | organization | short_link | other
    source: str
    char_offset: int | None


_CODE_HOSTS = frozenset({"github.com", "gitlab.com", "bitbucket.org"})
_HF_HOSTS = frozenset({"huggingface.co", "hf.co"})  # hf.co is Hugging Face's short domain
_SHORT_LINK_HOSTS = frozenset({
    "bit.ly", "t.co", "tinyurl.com", "goo.gl", "aka.ms", "ow.ly", "is.gd", "buff.ly", "rb.gy",
    "cutt.ly", "tiny.cc", "shorturl.at", "lnkd.in", "s.id", "v.gd",
})
# Static-site hosts: a page there is a project page, not a repository.
_PROJECT_PAGE_SUFFIXES = (".github.io", ".gitlab.io", ".pages.dev", ".netlify.app", ".vercel.app")

# First path segments that are GitHub's own pages, not owners.
_GITHUB_RESERVED = frozenset({
    "about", "account", "apps", "blog", "codespaces", "collections", "contact", "customer-stories",
    "dashboard", "enterprise", "events", "explore", "features", "home", "issues", "join", "login",
    "logout", "marketplace", "new", "notifications", "orgs", "organizations", "pricing", "pulls",
    "readme", "search", "security", "settings", "signup", "site", "sponsors", "team", "topics",
    "trending", "users",
})
_GITLAB_RESERVED = frozenset({"explore", "help", "dashboard", "users", "groups", "projects", "-"})
_BITBUCKET_RESERVED = frozenset({"account", "dashboard", "product", "repo", "site", "blog"})
_HF_RESERVED = frozenset({
    "api", "blog", "chat", "collections", "course", "docs", "enterprise", "join", "learn", "login",
    "models", "new", "organizations", "papers", "posts", "pricing", "privacy", "search", "settings",
    "tasks", "terms-of-service", "welcome",
})
# Account pages under a reserved segment (github.com/orgs/<name>, /users/<name>).
_GITHUB_ACCOUNT_PREFIXES = frozenset({"orgs", "users"})

_OWNER_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?")
_NAME_RE = re.compile(r"[A-Za-z0-9_.-]+")

# A URL starts with a scheme (PDF text sometimes has "https: //") or "www.", or is a schemeless
# link on a host we know ("github.com/a/b", "lab.github.io"): unknown schemeless domains are too
# easily confused with prose. The regex takes any schemeless domain ending in one of the known
# hosts' top-level domains; `_find_urls` then keeps the known hosts only (a 20-way alternation of
# host names in the regex is several times slower). The body stops at whitespace and at characters
# that never occur unescaped in a URL.
_SCHEMELESS_HOSTS = _CODE_HOSTS | _HF_HOSTS | _SHORT_LINK_HOSTS
_SCHEMELESS_HOST_SUFFIXES = (".github.io", ".gitlab.io")
_KNOWN_TLDS = "|".join(sorted({host.rsplit(".", 1)[1] for host in _SCHEMELESS_HOSTS} | {"io"}))
_URL_RE = re.compile(
    r"(?<![\w@./-])"
    r"(?:https?:\s?//|www\.|[a-z0-9][a-z0-9.-]*\.(?:" + _KNOWN_TLDS + r")(?![\w-]))"
    r"[^\s<>\"'`{}|\\^\u201c\u201d\u2018\u2019]*",
    re.IGNORECASE,
)
# With the `in` tests of `_find_urls`, rules out most abstracts (they hold no URL) cheaply.
_KNOWN_TLD_RE = re.compile(r"\.(?:" + _KNOWN_TLDS + r")(?![\w-])", re.IGNORECASE)
# The same in lower-cased ASCII text, where it runs faster than a case-insensitive pattern.
_KNOWN_TLD_LOWER_RE = re.compile(r"\.(?:" + _KNOWN_TLDS + r")(?![\w-])")
# A sentence glued on after the URL ("github.com/a/b.We propose ..."), and list separators.
_GLUED_RE = re.compile(r"\.(?=[A-Z][a-z])|[,;]")
_TRAILING_PUNCTUATION = ".,;:!?*'\"\u2026\u00bb>"
_CLOSERS = {")": "(", "]": "[", "}": "{"}
_SCHEME_RE = re.compile(r"^https?:\s?//", re.IGNORECASE)


def _clean_url(raw: str) -> str:
    """Cut what a careful reader would not count as part of the URL, and make sure it has a scheme."""
    url = _SCHEME_RE.sub(lambda match: "".join(match.group(0).split()).lower(), raw.strip(), count=1)
    # Glued text is only looked for after the host: host names hold dots and capitals too.
    path_start = url.find("/", url.find("//") + 2 if "//" in url else 0)
    if path_start >= 0:
        glued = _GLUED_RE.search(url, path_start)
        if glued:
            url = url[:glued.start()]
    while url:
        last = url[-1]
        if last in _TRAILING_PUNCTUATION:
            url = url[:-1]
        elif last in _CLOSERS and url.count(_CLOSERS[last]) < url.count(last):
            url = url[:-1]  # an unbalanced closer belongs to the surrounding text
        else:
            break
    if not _SCHEME_RE.match(url):
        url = "https://" + url
    return url


def _split(url: str) -> tuple[str, list[str]] | None:
    """(host in lower case without "www.", non-empty path segments), or None if it does not parse."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:  # e.g. a stray "[" read as a malformed IPv6 literal
        return None
    return host.removeprefix("www."), [segment for segment in parts.path.split("/") if segment]


def _valid(owner: str, name: str) -> bool:
    return bool(_OWNER_RE.fullmatch(owner) and _NAME_RE.fullmatch(name)) and name not in (".", "..")


def _mention(host: str, kind: str, owners: list[str], name: str, rest: list[str]) -> RepoMention | None:
    if name.lower().endswith(".git"):
        name = name[:-4]
    if not owners or not all(_valid(owner, name) for owner in owners):
        return None
    owner = "/".join(owners)
    prefix = {"dataset": "datasets/", "space": "spaces/"}.get(kind, "")
    return RepoMention(
        repo_id=f"{host}/{prefix}{owner}/{name}".lower(),
        host=host,
        kind=kind,
        owner=owner,
        name=name,
        url=f"https://{host}/{prefix}{owner}/{name}",
        path="/".join(rest) or None,
        source="abstract",
        char_offset=None,
    )


def _classify_code_host(host: str, segments: list[str]) -> tuple[str, RepoMention | None]:
    first = segments[0].lower()
    if host == "github.com" and first in _GITHUB_RESERVED:
        if first in _GITHUB_ACCOUNT_PREFIXES and len(segments) == 2:
            return "organization", None
        return "other", None
    if (host == "gitlab.com" and first in _GITLAB_RESERVED) or (
        host == "bitbucket.org" and first in _BITBUCKET_RESERVED
    ):
        return "other", None
    if len(segments) == 1:
        return "organization", None
    if host == "gitlab.com":
        # Projects nest in subgroups; "/-/" (or a bare tree/blob) starts the in-repo path.
        repo_end = len(segments)
        for index, segment in enumerate(segments[2:], start=2):
            if segment in ("-", "tree", "blob"):
                repo_end = index
                break
        owners, name = segments[:repo_end - 1], segments[repo_end - 1]
        rest = [segment for segment in segments[repo_end:] if segment != "-"]
    else:
        owners, name, rest = segments[:1], segments[1], segments[2:]
    mention = _mention(host, "code", owners, name, rest)
    return ("repo", mention) if mention else ("other", None)


def _classify_hf(segments: list[str]) -> tuple[str, RepoMention | None]:
    first = segments[0].lower()
    if first in ("datasets", "spaces"):
        if len(segments) < 3:
            return "other", None  # the listing page, or a legacy owner-less dataset name
        kind, owners, name, rest = first[:-1], segments[1:2], segments[2], segments[3:]
    elif first in _HF_RESERVED:
        return "other", None
    elif len(segments) == 1:
        return "organization", None
    else:
        kind, owners, name, rest = "model", segments[:1], segments[1], segments[2:]
    mention = _mention("huggingface.co", kind, owners, name, rest)
    return ("repo", mention) if mention else ("other", None)


def _classify(url: str, project_page_hint: bool = False) -> tuple[str, str, RepoMention | None]:
    """(link kind, link host, repo mention or None) for a cleaned URL."""
    split = _split(url)
    if split is None:
        return "other", "", None
    host, segments = split
    if (host in _CODE_HOSTS or host in _HF_HOSTS) and not segments:
        kind, mention = "other", None  # the site's home page
    elif host in _CODE_HOSTS:
        kind, mention = _classify_code_host(host, segments)
    elif host in _HF_HOSTS:
        kind, mention = _classify_hf(segments)
    elif host in _SHORT_LINK_HOSTS:
        kind, mention = "short_link", None
    elif host.endswith(_PROJECT_PAGE_SUFFIXES) or project_page_hint:
        kind, mention = "project_page", None
    else:
        kind, mention = "other", None
    return kind, host, mention


def parse_repo_url(url: str) -> RepoMention | None:
    """The repository one URL names (source "abstract", no offset), or None if it names none."""
    return _classify(_clean_url(url))[2]


def _url_stretch(text: str, lowered: str) -> tuple[int, int]:
    """Where in an ASCII text the URLs can be: from the word before the first marker of a URL ("//",
    "www.", a known top-level domain) to the end of the word holding the last one. A URL never
    spans whitespace but once, after its scheme ("https: //"). `_URL_RE` tests a look-behind and
    three starts at every character, so it is run over this stretch only."""
    markers = [m.start() for m in _KNOWN_TLD_LOWER_RE.finditer(lowered)]
    for marker in ("//", "www."):
        if marker in lowered:
            markers += [lowered.find(marker), lowered.rfind(marker)]
    start, end = min(markers), max(markers)
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while start > 0 and text[start - 1].isspace():
        start -= 1  # the word before: its scheme may end in whitespace
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def _find_urls(text: str) -> list[tuple[str, int]]:
    """(cleaned URL, offset of its first character) for every URL in the text."""
    ascii_text, lowered = text.isascii(), text.lower()
    known_tld = _KNOWN_TLD_LOWER_RE.search(lowered) if ascii_text else _KNOWN_TLD_RE.search(text)
    if "//" not in text and "www." not in lowered and not known_tld:
        return []
    start, end = _url_stretch(text, lowered) if ascii_text else (0, len(text))
    found = []
    for match in _URL_RE.finditer(text, start, end):
        raw = match.group(0)
        url = _clean_url(raw)
        split = _split(url)
        if split is None:
            continue
        if not _SCHEME_RE.match(raw):
            host, segments = split
            if not raw.lower().startswith("www.") and not (
                host in _SCHEMELESS_HOSTS or host.endswith(_SCHEMELESS_HOST_SUFFIXES)
            ):
                continue
            if not segments and host in _SCHEMELESS_HOSTS:
                continue  # "available on github.com" names the site; it is not a link
        found.append((url, match.start()))
    return found


def _api_url(value: str | None) -> str | None:
    """The URL held by an API field; the field is usually a bare URL but may carry extra text."""
    value = (value or "").strip()
    if not value:
        return None
    found = _find_urls(value)
    if found:
        return found[0][0]
    if " " not in value and "." in value and _split(_clean_url(value)) is not None:
        return _clean_url(value)
    return None


def extract_repos(
    abstract: str, github_repo: str | None = None, project_page: str | None = None
) -> tuple[list[RepoMention], list[Link]]:
    """Repo mentions (one per repo_id and source, abstract first) and every link found."""
    mentions: list[RepoMention] = []
    links: list[Link] = []
    seen: set[tuple[str, str]] = set()

    def add(url: str, source: str, offset: int | None, project_page_hint: bool = False) -> None:
        kind, host, mention = _classify(url, project_page_hint)
        links.append(Link(url=url, host=host, kind=kind, source=source, char_offset=offset))
        if mention and (mention.repo_id, source) not in seen:
            seen.add((mention.repo_id, source))
            mentions.append(replace(mention, source=source, char_offset=offset))

    for url, offset in _find_urls(abstract or ""):
        add(url, "abstract", offset)
    for value, is_project_page in ((github_repo, False), (project_page, True)):
        url = _api_url(value)
        if url:
            add(url, "api", None, project_page_hint=is_project_page)
    return mentions, links
