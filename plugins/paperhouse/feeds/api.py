"""The Daily Papers API's JSON: a list of {"paper": {...}, ...} objects."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from paperhouse.errors import FeedError
from paperhouse.feeds.model import ParsedFeed


# The lake stores counts as int32: a larger value is a corrupt feed, not a popular paper.
INT32_MAX = 2**31 - 1


def _text(value: object) -> str:
    return " ".join(str(value).split())


def _string_or_none(item: dict, key: str, where: str, path: Path | str) -> str | None:
    """An optional text field: a string (blank means absent); any other type rejects the file."""
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise FeedError(path, f"{where}: {key} must be a string, got {type(value).__name__}")
    return value.strip() or None


def _int_or_none(item: dict, key: str, where: str, path: Path | str) -> int | None:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise FeedError(path, f"{where}: {key} must be an integer, got {type(value).__name__}")
    if value < 0:
        raise FeedError(path, f"{where}: {key} must not be negative, got {value}")
    if value > INT32_MAX:
        raise FeedError(path, f"{where}: {key} is out of range (at most {INT32_MAX}), got {value}")
    return value


def _timestamp(value: object, key: str, where: str, path: Path | str) -> dt.datetime | None:
    if value in (None, ""):
        return None
    try:
        stamp = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise FeedError(path, f"{where}: {key} is not an ISO timestamp: {str(value)[:60]!r}") from None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.timezone.utc)


def _string_list(value: object, key: str, where: str, path: Path | str) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise FeedError(path, f"{where}: {key} must be a list")
    return [_text(v) for v in value if isinstance(v, str) and v.strip()]


def _identity(value: object) -> str | None:
    """An id or handle as the API gives it; blanks and non-strings are unknown."""
    return value.strip() if isinstance(value, str) and value.strip() else None


def _author_user(author: dict) -> str | None:
    """The HF account an author entry is linked to: `user` is the account object (its own `user`
    is the handle) or, in some responses, the handle itself."""
    user = author.get("user")
    if isinstance(user, dict):
        return _identity(user.get("user")) or _identity(user.get("name"))
    return _identity(user)


def _organization(paper: dict, item: dict) -> dict:
    """Newer responses put `organization` inside `paper`, older ones at the item's top level."""
    organization = paper.get("organization") if isinstance(paper.get("organization"), dict) else item.get("organization")
    if not isinstance(organization, dict):
        organization = {}
    return {
        "organization_id": _identity(organization.get("_id")),
        "organization_name": _identity(organization.get("name")),
        "organization_fullname": _text(organization["fullname"]) if _identity(organization.get("fullname")) else None,
    }


def _submitter(paper: dict, item: dict) -> dict:
    """`paper.submittedOnDailyBy` (`_id`, `user`, `fullname`) and/or the item's `submittedBy`
    (`_id`, `name`, `fullname`): the same person in two shapes; each fills what the other lacks."""
    on_daily = paper.get("submittedOnDailyBy") if isinstance(paper.get("submittedOnDailyBy"), dict) else {}
    by = item.get("submittedBy") if isinstance(item.get("submittedBy"), dict) else {}
    fullname = _identity(on_daily.get("fullname")) or _identity(by.get("fullname"))
    return {
        "submitter_id": _identity(on_daily.get("_id")) or _identity(by.get("_id")),
        "submitter_user": _identity(on_daily.get("user")) or _identity(on_daily.get("name")) or _identity(by.get("name")),
        "submitter_fullname": _text(fullname) if fullname else None,
    }


def _author_identities(authors: list | None) -> dict:
    """The HF author id and account of each named author, in the order of `authors` (null when the
    API gives none)."""
    if authors is None:
        return {"author_ids": None, "author_users": None}
    named = [a for a in authors if isinstance(a, dict) and isinstance(a.get("name"), str) and a["name"].strip()]
    return {"author_ids": [_identity(a.get("_id")) for a in named],
            "author_users": [_author_user(a) for a in named]}


def parse_api(text: str, path: Path | str) -> ParsedFeed:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FeedError(path, f"invalid JSON: {exc.msg}", exc.lineno) from None
    except RecursionError:
        raise FeedError(path, "invalid JSON: nested too deeply for a Daily Papers snapshot") from None
    if not isinstance(document, list):
        raise FeedError(path, f"not the Daily Papers API shape: expected a JSON list of papers, got {type(document).__name__}")
    if not document:
        raise FeedError(path, "API snapshot lists no papers")
    entries = []
    for index, item in enumerate(document):
        where = f"entry {index}"
        if not isinstance(item, dict) or not isinstance(item.get("paper"), dict):
            raise FeedError(path, f"not the Daily Papers API shape: {where} has no 'paper' object")
        paper = item["paper"]
        title = paper.get("title") or item.get("title")
        abstract = paper.get("summary") or item.get("summary")
        if not isinstance(title, str) or not title.strip():
            raise FeedError(path, f"{where}: paper has no title")
        if not isinstance(abstract, str) or not abstract.strip():
            raise FeedError(path, f"{where}: paper {title[:60]!r} has no summary")
        arxiv_id = paper.get("id")
        if arxiv_id is not None and not isinstance(arxiv_id, str):
            raise FeedError(path, f"{where}: paper.id must be a string, got {type(arxiv_id).__name__}")
        authors = paper.get("authors")
        if authors is not None and not isinstance(authors, list):
            raise FeedError(path, f"{where}: authors must be a list")
        author_names = [_text(a["name"]) for a in authors or [] if isinstance(a, dict) and isinstance(a.get("name"), str) and a["name"].strip()]
        entries.append({
            "position": index + 1,
            "title": _text(title),
            "abstract": _text(abstract),
            "arxiv_id": arxiv_id.strip() if arxiv_id else None,
            "authors": author_names if authors is not None else None,
            "upvotes": _int_or_none(paper, "upvotes", where, path),
            "num_comments": _int_or_none(item, "numComments", where, path),
            "github_repo": _string_or_none(paper, "githubRepo", where, path),
            "github_stars": _int_or_none(paper, "githubStars", where, path),
            "project_page": _string_or_none(paper, "projectPage", where, path),
            "ai_summary": _string_or_none(paper, "ai_summary", where, path),
            "ai_keywords": _string_list(paper.get("ai_keywords"), "ai_keywords", where, path),
            "published_at": _timestamp(paper.get("publishedAt"), "publishedAt", where, path),
            "submitted_at": _timestamp(paper.get("submittedOnDailyAt"), "submittedOnDailyAt", where, path),
            "is_withdrawn": bool(paper.get("withdrawnAt") or paper.get("withdrawn") or item.get("withdrawnAt")),
            **_author_identities(authors),
            **_organization(paper, item),
            **_submitter(paper, item),
        })
    return ParsedFeed(format="api", layout="api_json", entries=entries)
