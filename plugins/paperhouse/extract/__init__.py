"""Extraction from abstracts: pure functions, abstract in, records out.

`EXTRACTOR_VERSION` names both rule sets; it is stored with every extracted row so a change of
rules can be told apart in the lake (and re-run over the lake with `paperhouse reprocess`).
"""
from .claims import CLAIMS_VERSION, Claim, Decision, explain_claims, extract_claims
from .repos import REPOS_VERSION, Link, RepoMention, extract_repos

EXTRACTOR_VERSION = f"claims-{CLAIMS_VERSION}+repos-{REPOS_VERSION}"

__all__ = [
    "CLAIMS_VERSION", "Claim", "Decision", "explain_claims", "extract_claims",
    "REPOS_VERSION", "Link", "RepoMention", "extract_repos",
    "EXTRACTOR_VERSION",
]
