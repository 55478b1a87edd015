"""The synthetic feed generator: Daily Papers snapshots in the real shapes, with text we wrote.

Titles and abstracts come from templates and vocabularies in this module (never from real
papers). A paper stays on the feed for 1-4 days, keeping its arXiv id, title and abstract across
days and formats, while its upvotes grow. Some abstracts state claims ("reduces memory by up to
73%", "4.3x faster") and some link a repository or a Hugging Face dataset, model or space, in the
untidy ways real abstracts do (no scheme, a trailing period, parentheses, a /tree/main path).

Everything is drawn from `random.Random` seeded by the caller's seed: same seed, same files.
The day's papers come from one stream; page headers from a per-day stream, so the choice of
formats never changes which papers a day holds.
"""
from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

PAGE_LAYOUTS = ("blank_separated", "line_per_field")
# What `write_feed` writes: "mixed" rotates blank_separated page, line_per_field page, API JSON;
# "page" alternates the two page layouts; a layout name or "api" writes that one only.
FORMATS = ("mixed", "page", "api", *PAGE_LAYOUTS)

# How many days a paper stays on the feed, and how often.
_DAYS_ON_FEED = (1, 2, 3, 4)
_DAYS_ON_FEED_WEIGHTS = (35, 30, 20, 15)
_LARGE_PAGE_DAY = dt.date(2026, 1, 1)

_PREFIXES = (
    "Flash", "Sparse", "Meta", "Hyper", "Omni", "Lumen", "Quill", "Tandem", "Cascade", "Prism",
    "Atlas", "Beacon", "Ember", "Fjord", "Harbor", "Kestrel", "Lattice", "Mosaic", "Nimbus", "Orbit",
    "Pivot", "Relay", "Sable", "Tessel", "Vireo", "Wren", "Zephyr", "Drift", "Glide", "Ripple",
    "Strata", "Tiller", "Anvil", "Copper", "Delta", "Marble", "Cobalt", "Juniper", "Pebble", "Quarry",
)
_SUFFIXES = (
    "Net", "Former", "LM", "Route", "Mix", "Tune", "Scope", "Bench", "Align", "Gate", "Fuse", "Map",
    "Chain", "Prune", "Cache", "Quant", "Diff", "Seg", "Loop", "Forge", "Sketch", "Probe", "Shift",
    "Pack", "Weave", "Rank", "Coder", "Vision", "Speech", "Agent",
)
_VERSIONS = ("", "", "", "", "-2", "++", "-XL", "-Lite", "-R1", " 2.0")
_GERUNDS = (
    "Scaling", "Compressing", "Pruning", "Distilling", "Aligning", "Routing", "Caching", "Steering",
    "Calibrating", "Sparsifying", "Quantizing", "Grounding", "Merging", "Retrieving", "Rewarding",
    "Benchmarking", "Tokenizing", "Decoding", "Stabilizing", "Revisiting", "Rethinking", "Unifying",
    "Probing", "Adapting", "Verifying", "Sharing", "Recycling", "Filtering", "Composing", "Ranking",
)
_ADJECTIVES = (
    "Efficient", "Robust", "Scalable", "Training-Free", "Adaptive", "Lightweight", "Faithful",
    "Data-Efficient", "Memory-Efficient", "Self-Supervised", "Multilingual", "Interpretable",
    "Compositional", "Hierarchical", "Streaming", "Parameter-Efficient", "Calibrated", "Unified",
    "Zero-Shot", "Controllable", "Long-Horizon", "Privacy-Preserving",
)
_THINGS = (
    "attention heads", "key-value caches", "mixture-of-experts layers", "reward models",
    "diffusion transformers", "token embeddings", "retrieval indices", "speculative drafts",
    "low-rank adapters", "vision encoders", "state-space models", "graph neural networks",
    "preference pairs", "synthetic instructions", "reasoning traces", "quantized weights",
    "sparse activations", "positional encodings", "tool calls", "code agents", "speech tokenizers",
    "point clouds", "video latents", "protein language models", "tabular encoders", "memory modules",
    "routing policies", "contrastive objectives", "world models", "normalization layers",
    "draft models", "value functions", "visual tokens", "query rewrites", "latent plans",
    "optimizer states", "data mixtures", "evaluation suites", "multimodal connectors", "search trees",
)
_TASKS = (
    "long-context reasoning", "open-domain question answering", "text-to-image generation",
    "machine translation", "code generation", "mathematical reasoning", "speech recognition",
    "video understanding", "robot manipulation", "document retrieval", "multilingual summarization",
    "molecule design", "3D reconstruction", "semantic segmentation", "instruction following",
    "dialogue safety", "time-series forecasting", "recommendation", "visual question answering",
    "table understanding", "program repair", "named entity recognition", "audio captioning",
    "medical report generation", "autonomous driving", "weather forecasting", "theorem proving",
    "fact verification", "web navigation", "chart understanding", "music generation",
    "scientific document parsing", "on-device inference", "federated learning", "image editing",
)
_PROBLEMS = (
    "their cost grows quickly with sequence length",
    "they are brittle under distribution shift",
    "they need large amounts of labeled data",
    "their behaviour is still poorly understood",
    "they are expensive to deploy on commodity hardware",
    "existing evaluations rarely reflect how they are used in practice",
    "they tend to forget earlier skills when adapted to new domains",
    "their outputs are hard to verify automatically",
    "most systems treat every input with the same compute budget",
)
_MECHANISMS = (
    "learns which {things} to keep at each step",
    "replaces dense {things} with a small set of learned prototypes",
    "treats {things} as a budgeted resource and allocates it per input",
    "pairs {things} with a lightweight verifier",
    "reuses intermediate {things} across requests",
    "trains {things} with a curriculum built from its own mistakes",
    "factorizes {things} into shared and task-specific parts",
    "searches over {things} with a learned value estimate",
)
_DETAILS = (
    "Unlike prior work, {method} requires no additional training and applies to existing checkpoints.",
    "The approach is simple to implement and adds little overhead to a standard training loop.",
    "We further show that the procedure converges under mild assumptions.",
    "A small calibration set of {count} examples is enough to fit its few hyperparameters.",
    "We study {things} at three model scales to separate the effect of size from the effect of data.",
)
_COSTS = (
    "memory usage", "inference latency", "training cost", "the number of FLOPs", "peak GPU memory",
    "energy consumption", "communication overhead", "the error rate",
)
_METRICS = ("accuracy", "F1", "exact match", "BLEU", "pass@1", "mIoU", "win rate", "nDCG@10", "recall@5")
_BENCHMARKS = (
    "GSM8K", "MMLU", "HumanEval", "ImageNet", "COCO", "LibriSpeech", "BEIR", "SQuAD", "MATH",
    "a new held-out suite", "five public benchmarks", "our in-house evaluation",
)
_BASELINES = (
    "full fine-tuning", "standard attention", "dense retrieval", "greedy decoding", "LoRA",
    "the strongest prior method", "the original model", "a tuned supervised baseline",
)
_CLAIM_SENTENCES = (
    "On {benchmark}, {method} reduces {cost} by up to {percent}% while matching {baseline}.",
    "{method} is {factor}x faster than {baseline} at inference time.",
    "{method} runs {factor}\u00d7 faster than {baseline} with no loss in quality.",
    "It improves {metric} by {points} points over {baseline}.",
    "Our best model achieves {score}% {metric} on {benchmark}.",
    "Across {count} benchmarks, it outperforms {baseline} by {percent}% on average.",
    "It cuts {cost} by {percent}% and is {factor}x cheaper to serve than {baseline}.",
    "With only {share}% of the compute of {baseline}, {method} scores {score} on {benchmark}.",
)
_PLAIN_RESULT_SENTENCES = (
    "Experiments on {count} benchmarks show consistent improvements over strong baselines.",
    "Extensive experiments show that {method} generalizes across model sizes and domains.",
    "A human study confirms that the gains hold beyond automatic metrics.",
    "Ablations show that each component contributes to the final result.",
)
_SUMMARY_VERBS = ("compresses", "prunes", "routes", "caches", "aligns", "distills", "reuses", "calibrates")
_CLOSINGS = (
    "We hope {method} serves as a practical baseline for future work on {task}.",
    "Our analysis also suggests that {things} matter more than model size for {task}.",
    "We discuss limitations and directions for making {task} more reliable.",
)
# Repository links, written the untidy ways abstracts write them.
_CODE_LINK_SENTENCES = (
    "Code is available at https://github.com/{owner}/{repo}.",
    "Our code and models are released at github.com/{owner}/{repo}.",
    "Code: https://github.com/{owner}/{repo}",
    "We release all code (https://github.com/{owner}/{repo}).",
    "The implementation is available at https://github.com/{owner}/{repo}/tree/main/{subdir}.",
    "Code and data are at https://www.github.com/{owner}/{repo} .",
    "Our code is publicly available at https://gitlab.com/{owner}/{repo}.",
)
_HF_LINK_SENTENCES = (
    "The dataset is available at https://huggingface.co/datasets/{owner}/{repo}.",
    "Model weights are released at https://huggingface.co/{owner}/{repo}.",
    "A demo is hosted at huggingface.co/spaces/{owner}/{repo}.",
)
_PROJECT_LINK_SENTENCES = ("Project page: https://{owner}.github.io/{repo}/.",)
_SUBDIRS = ("examples", "scripts", "src", "experiments", "benchmarks")

_FIRST_NAMES = (
    "Ada", "Bruno", "Chiara", "Dmitri", "Esi", "Farah", "Goran", "Hana", "Ikaika", "Jonas", "Keiko",
    "Luis", "Maren", "Nikhil", "Oksana", "Pavel", "Qing", "Rosa", "Sefa", "Tariq", "Uma", "Viktor",
    "Wanjiru", "Xavier", "Yara", "Zeynep", "Arjun", "Bea", "Cyrus", "Dalia", "Emeka", "Freya",
)
_LAST_NAMES = (
    "Abara", "Bergstrom", "Castellano", "Dufresne", "Eriksen", "Fontaine", "Gashi", "Haddad",
    "Ivanova", "Jaramillo", "Kowalczyk", "Lindahl", "Mbeki", "Novak", "Oyelaran", "Petrakis",
    "Quintero", "Rasmussen", "Sorensen", "Takeda", "Uddin", "Valdivia", "Whitford", "Xiong",
    "Yilmaz", "Zapata", "Achterberg", "Brennan", "Chowdhury", "Delacroix", "Engstrom", "Falk",
)
_LAB_WORDS = (
    "quiet", "river", "north", "cedar", "lantern", "signal", "tidal", "granite", "meadow", "vector",
    "summit", "harbor", "foundry", "orchard", "circuit", "prairie",
)
_DRAWN_FIELDS = {
    "benchmark": _BENCHMARKS, "baseline": _BASELINES, "cost": _COSTS, "metric": _METRICS, "things": _THINGS,
}
_SMALL_WORDS = frozenset({"a", "an", "and", "as", "at", "for", "from", "in", "of", "on", "the", "to", "via", "with"})


@dataclass(frozen=True)
class SynthPaper:
    """What stays fixed while a paper is on the feed."""
    arxiv_id: str
    title: str
    abstract: str
    authors: tuple[str, ...]
    author_ids: tuple[str, ...]
    published_at: dt.datetime
    submitted_at: dt.datetime  # first put on the feed (submittedOnDailyAt)
    github_repo: str | None
    github_stars: int | None
    project_page: str | None
    ai_summary: str | None
    ai_keywords: tuple[str, ...] | None
    organization: str | None
    organization_id: str | None
    submitter_is_pro: bool
    discussion_id: str
    withdrawn_at: dt.datetime | None
    popularity: float  # scales the upvotes the paper collects per day


@dataclass(frozen=True)
class FeedEntry:
    """A paper on one day's feed."""
    paper: SynthPaper
    upvotes: int
    num_comments: int


def _title_case(text: str) -> str:
    words = text.split(" ")
    return " ".join(
        word if (index and word in _SMALL_WORDS) or word[:1].isupper() else word[:1].upper() + word[1:]
        for index, word in enumerate(words)
    )


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class _PaperText(NamedTuple):
    method: str
    things: str
    task: str
    title: str
    abstract: str
    owner: str   # of the repository links
    repo: str
    repo_in_abstract: bool  # the abstract links github.com/owner/repo


class _PaperFactory:
    """Draws papers from one random stream; titles are unique within a factory.

    Draws go through `pick` and `between` (one `random()` each) rather than `Random.choice` and
    `randint`, which cost several times more: a 100,000-entry page draws millions of values.
    """

    def __init__(self, rng: random.Random):
        self.random = rng.random
        self.getrandbits = rng.getrandbits
        self.titles: set[str] = set()
        self.count = 0

    def pick(self, options):
        return options[int(self.random() * len(options))]

    def between(self, low: int, high: int) -> int:
        return low + int(self.random() * (high - low + 1))

    def hex_id(self) -> str:
        return f"{self.getrandbits(96):024x}"

    def method_name(self) -> str:
        if self.random() < 0.2:  # an acronym, like many real method names
            return "".join(self.pick("ABCDEFGHKLMNPRSTVW") for _ in range(self.between(3, 5)))
        return self.pick(_PREFIXES) + self.pick(_SUFFIXES) + self.pick(_VERSIONS)

    def title(self, method: str, things: str, task: str) -> str:
        pick = self.pick
        template = self.between(0, 6)
        if template == 0:
            title = f"{method}: {pick(_GERUNDS)} {things} for {task}"
        elif template == 1:
            title = f"{method}: {pick(_ADJECTIVES)} {task} with {things}"
        elif template == 2:
            title = f"{pick(_GERUNDS)} {things} for {pick(_ADJECTIVES).lower()} {task}"
        elif template == 3:
            title = f"{pick(_ADJECTIVES)} {task} via {pick(_GERUNDS).lower()} {things}"
        elif template == 4:
            title = f"{method}: A Benchmark for {pick(_ADJECTIVES).lower()} {task}"
        elif template == 5:
            title = f"When Do {things} Help {task}? A Study with {method}"
        else:
            title = f"{method}: Towards {pick(_ADJECTIVES).lower()} {task} at Scale"
        return _title_case(title)

    def links(self, owner: str, repo: str) -> tuple[list[str], bool]:
        """Link sentences for the abstract (none for most papers, like the real feed), and whether
        they name the GitHub repository owner/repo."""
        roll = self.random()
        fields = {"owner": owner, "repo": repo, "subdir": self.pick(_SUBDIRS)}
        sentences = []
        on_github = False
        if roll < 0.30:
            sentence = self.pick(_CODE_LINK_SENTENCES)
            on_github = "github.com" in sentence
            sentences.append(sentence.format(**fields))
        if 0.22 < roll < 0.36:
            sentences.append(self.pick(_HF_LINK_SENTENCES).format(**fields))
        if 0.92 < roll:
            sentences.append(self.pick(_PROJECT_LINK_SENTENCES).format(**fields))
        return sentences, on_github

    def abstract(self, method: str, things: str, task: str, link_sentences: list[str]) -> str:
        pick, random_ = self.pick, self.random
        # Template fields are drawn when a template first uses them, so unused ones cost nothing.
        fields = _TemplateFields(self, method=method, things=things, task=task)
        if random_() < 0.5:
            context = f"{things[0].upper()}{things[1:]} are widely used for {task}, but {pick(_PROBLEMS)}."
        else:
            context = f"Recent progress in {task} relies heavily on {things}, yet {pick(_PROBLEMS)}."
        adjective = pick(_ADJECTIVES).lower()
        article = "an" if adjective[0] in "aeiou" else "a"
        sentences = [
            context,
            f"We introduce {method}, {article} {adjective} method that {pick(_MECHANISMS).format(things=pick(_THINGS))}.",
        ]
        if random_() < 0.5:
            sentences.append(pick(_DETAILS).format_map(fields))
        claim_roll = random_()
        claims = 0 if claim_roll < 0.30 else 1 if claim_roll < 0.75 else 2
        for _ in range(claims):
            sentences.append(pick(_CLAIM_SENTENCES).format_map(_TemplateFields(self, method=method)))
        if claims == 0 or random_() < 0.3:
            sentences.append(pick(_PLAIN_RESULT_SENTENCES).format_map(fields))
        if random_() < 0.3:
            sentences.append(pick(_CLOSINGS).format_map(fields))
        sentences.extend(link_sentences)
        return " ".join(sentences)

    def text(self) -> _PaperText:
        """A new paper's title and abstract, and what they were made from."""
        pick, random_ = self.pick, self.random
        while True:
            method = self.method_name()
            things = pick(_THINGS)
            task = pick(_TASKS)
            title = self.title(method, things, task)
            if title not in self.titles:
                break
        self.titles.add(title)
        if random_() < 0.5:  # a user account or a lab
            owner = f"{pick(_LAST_NAMES).lower()}{pick(_FIRST_NAMES)[0].lower()}"
        else:
            owner = f"{pick(_LAB_WORDS)}-{pick(_LAB_WORDS)}-lab"
        slug = method.replace("+", "p").replace(" ", "-")
        repo = slug if random_() < 0.5 else slug.lower()
        link_sentences, repo_in_abstract = self.links(owner, repo)
        abstract = self.abstract(method, things, task, link_sentences)
        return _PaperText(method, things, task, title, abstract, owner, repo, repo_in_abstract)

    def paper(self, first_day: dt.date) -> SynthPaper:
        pick, between, random_ = self.pick, self.between, self.random
        method, things, task, title, abstract, owner, repo, repo_in_abstract = self.text()
        self.count += 1
        authors = tuple(f"{pick(_FIRST_NAMES)} {pick(_LAST_NAMES)}" for _ in range(between(1, 8)))

        midnight = dt.datetime.combine(first_day, dt.time(), dt.timezone.utc)
        published_at = midnight - dt.timedelta(days=between(0, 3), seconds=between(0, 86_399), milliseconds=between(0, 999))
        submitted_at = midnight + dt.timedelta(seconds=between(0, 14_399), milliseconds=between(0, 999))
        # arXiv numbers are unique within a month; a stride coprime to 100,000 keeps the first
        # 100,000 papers of a factory distinct without bookkeeping.
        arxiv_id = f"{published_at:%y%m}.{(self.count * 7919 + 1021) % 100_000:05d}"

        github_repo = None
        # The API usually, not always, knows the repository the abstract links; now and then it
        # knows one the abstract does not mention.
        if (repo_in_abstract and random_() < 0.85) or (not repo_in_abstract and random_() < 0.08):
            github_repo = f"https://github.com/{owner}/{repo}"
        project_page = f"https://{owner}.github.io/{repo.lower()}/" if random_() < 0.12 else None
        organization = f"{pick(_LAB_WORDS)}-{pick(_LAB_WORDS)}" if random_() < 0.4 else None
        has_ai_fields = random_() < 0.85
        ai_keywords = None
        if has_ai_fields:
            ai_keywords = (things, task, method, pick(_THINGS))[:between(2, 4)]
        return SynthPaper(
            arxiv_id=arxiv_id,
            title=title,
            abstract=abstract,
            authors=authors,
            author_ids=tuple(self.hex_id() for _ in authors),
            published_at=published_at,
            submitted_at=submitted_at,
            github_repo=github_repo,
            github_stars=int(10 / (1.0 - random_()) ** 0.8) if github_repo else None,  # heavy-tailed
            project_page=project_page,
            ai_summary=f"{method} {pick(_SUMMARY_VERBS)} {things} to make {task} more {pick(_ADJECTIVES).lower()}."
            if has_ai_fields else None,
            ai_keywords=ai_keywords,
            organization=organization,
            organization_id=self.hex_id() if organization else None,
            submitter_is_pro=random_() < 0.3,
            discussion_id=self.hex_id(),
            withdrawn_at=published_at + dt.timedelta(days=2) if random_() < 0.01 else None,
            popularity=1.0 / (1.0 - random_()) ** 0.6,  # heavy-tailed, >= 1
        )


class _TemplateFields(dict):
    """Template fields given up front, and the rest drawn on first use (and then kept)."""

    def __init__(self, factory: _PaperFactory, **given: str):
        super().__init__(given)
        self.factory = factory

    def __missing__(self, key: str) -> str:
        factory = self.factory
        pick, between, random_ = factory.pick, factory.between, factory.random
        if key == "percent":
            value = f"{3 + random_() * 77:.1f}" if random_() < 0.5 else str(between(5, 75))
        elif key == "factor":
            value = f"{1.2 + random_() * 8.3:.1f}"
        elif key == "points":
            value = f"{0.4 + random_() * 11.6:.1f}"
        elif key == "score":
            value = f"{40 + random_() * 58:.1f}"
        elif key == "share":
            value = str(between(20, 80))
        elif key == "count":
            value = str(between(3, 14))
        else:
            value = pick(_DRAWN_FIELDS[key])
        self[key] = value
        return value


def iter_feed(days: int, papers_per_day: int, seed: int = 0, start: dt.date = dt.date(2026, 1, 1)) -> Iterator[tuple[dt.date, list[FeedEntry]]]:
    """Each day's entries, most upvoted first. Papers stay 1-4 days; new papers fill the rest."""
    if days < 0 or papers_per_day < 1:
        raise ValueError(f"need days >= 0 and papers_per_day >= 1, got {days} and {papers_per_day}")
    rng = random.Random(seed)
    factory = _PaperFactory(rng)
    # (paper, days left on the feed counting today, how many days it has been on the feed)
    on_feed: list[tuple[SynthPaper, int, int]] = []
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        carried = [(paper, left - 1, age + 1) for paper, left, age in on_feed if left > 1]
        new = [
            (factory.paper(day), rng.choices(_DAYS_ON_FEED, _DAYS_ON_FEED_WEIGHTS)[0], 1)
            for _ in range(papers_per_day - len(carried))
        ]
        on_feed = carried + new
        entries = [
            FeedEntry(
                paper=paper,
                upvotes=int(paper.popularity * 4 * age) + rng.randint(0, 3),
                num_comments=int(paper.popularity * rng.random() * age),
            )
            for paper, _, age in on_feed
        ]
        entries.sort(key=lambda entry: (-entry.upvotes, entry.paper.arxiv_id))
        yield day, entries


def generate_page(day: dt.date, entries: list[FeedEntry], layout: str = "blank_separated", seed: int = 0) -> str:
    """One day's text page. Header details vary by day the way real pages do."""
    if layout not in PAGE_LAYOUTS:
        raise ValueError(f"unknown page layout {layout!r}; expected one of {PAGE_LAYOUTS}")
    return _page_text(day, [(entry.paper.title, entry.paper.abstract) for entry in entries], layout, seed)


def _page_text(day: dt.date, titles_and_abstracts: list[tuple[str, str]], layout: str, seed: int) -> str:
    header_rng = random.Random(f"{seed}:{day.isoformat()}:{layout}")
    if layout == "blank_separated":
        header = ["new"] if header_rng.random() < 0.9 else []
        header += ["Get trending papers in your email inbox!", "Subscribe", "Daily Papers"]
        header.append(header_rng.choice(("byAK and the research community", "by AK and the research community")))
        if header_rng.random() < 0.8:
            header.append(f"{day:%b} {day.day}")
        lines = header + [field for pair in titles_and_abstracts for field in pair]
        return "\n\n".join(lines)
    header = ["Get trending papers in your email inbox once a day!"] if header_rng.random() < 0.7 else []
    header.append("Get trending papers in your email inbox!")
    if not titles_and_abstracts:
        return "\n".join(header + ["Subscribe"])
    (first_title, first_abstract), rest = titles_and_abstracts[0], titles_and_abstracts[1:]
    lines = header + [f"Subscribe{first_title}", first_abstract] + [field for pair in rest for field in pair]
    return "\n".join(lines)


def _user_name(name: str, author_id: str) -> str:
    """An HF handle for an author: namesakes get different handles (the id picks a digit)."""
    return name.lower().replace(" ", "") + str(int(author_id[-2:], 16) % 3)


def _api_author(author_id: str, name: str) -> dict:
    author = {"_id": author_id, "name": name, "hidden": False}
    if int(author_id[-1], 16) < 6:  # some authors have linked their HF account, most have not
        author["user"] = {"_id": author_id[::-1], "user": _user_name(name, author_id), "fullname": name,
                          "avatarUrl": "/avatars/placeholder.svg", "type": "user"}
    return author


def _api_item(entry: FeedEntry) -> dict:
    """One item, in the shapes the API has used. The shape is chosen from digits of ids already
    drawn, so it never changes which papers a seed gives: the organization sits inside `paper`
    (newer responses) or at the item's top level (older); the submitter is given as
    `paper.submittedOnDailyBy`, as the item's `submittedBy`, or both."""
    paper = entry.paper
    paper_fields: dict = {
        "id": paper.arxiv_id,
        "authors": [_api_author(author_id, name) for author_id, name in zip(paper.author_ids, paper.authors)],
        "publishedAt": _stamp(paper.published_at),
        "submittedOnDailyAt": _stamp(paper.submitted_at),
        "title": paper.title,
        "summary": paper.abstract,
        "upvotes": entry.upvotes,
        "discussionId": paper.discussion_id,
        "githubRepo": paper.github_repo,
    }
    if paper.github_repo:
        paper_fields["githubStars"] = paper.github_stars
    paper_fields["projectPage"] = paper.project_page
    if paper.ai_summary is not None:
        paper_fields["ai_summary"] = paper.ai_summary
        paper_fields["ai_keywords"] = list(paper.ai_keywords or ())
    if paper.withdrawn_at is not None:
        paper_fields["withdrawnAt"] = _stamp(paper.withdrawn_at)
    organization = None
    if paper.organization:
        organization = {"_id": paper.organization_id, "name": paper.organization,
                        "fullname": _title_case(paper.organization.replace("-", " "))}
    organization_in_paper = int(paper.discussion_id[-1], 16) % 2 == 0
    submitter_shape = int(paper.discussion_id[-2], 16) % 3  # 0: both, 1: paper only, 2: item only
    submitter_id, submitter = paper.author_ids[0], paper.authors[0]
    if organization_in_paper:
        paper_fields["organization"] = organization
    if submitter_shape in (0, 1):
        paper_fields["submittedOnDailyBy"] = {
            "_id": submitter_id, "avatarUrl": "/avatars/placeholder.svg", "fullname": submitter,
            "user": _user_name(submitter, submitter_id), "type": "user", "isPro": paper.submitter_is_pro,
        }
    item = {
        "paper": paper_fields,
        "publishedAt": _stamp(paper.submitted_at),
        "title": paper.title,
        "summary": paper.abstract,
        "thumbnail": f"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{paper.arxiv_id}.png",
        "numComments": entry.num_comments,
    }
    if submitter_shape in (0, 2):
        item["submittedBy"] = {
            "_id": submitter_id, "avatarUrl": "/avatars/placeholder.svg", "fullname": submitter,
            "name": _user_name(submitter, submitter_id), "type": "user", "isPro": paper.submitter_is_pro,
        }
    if not organization_in_paper:
        item["organization"] = organization
    item["isAuthorParticipating"] = entry.num_comments > 2
    return item


def generate_api(entries: list[FeedEntry]) -> str:
    """One day's Daily Papers API response (a JSON list)."""
    return json.dumps([_api_item(entry) for entry in entries], ensure_ascii=False, indent=2)


def _day_format(formats: str, offset: int) -> str:
    if formats == "mixed":
        return ("blank_separated", "line_per_field", "api")[offset % 3]
    if formats == "page":
        return PAGE_LAYOUTS[offset % 2]
    return formats


def write_feed(out_dir: Path, days: int, papers_per_day: int, seed: int = 0,
               start: dt.date = dt.date(2026, 1, 1), formats: str = "mixed") -> list[Path]:
    """Write `days` daily snapshots (YYYY-MM-DD.txt pages, YYYY-MM-DD.json API) into out_dir."""
    if formats not in FORMATS:
        raise ValueError(f"unknown formats {formats!r}; expected one of {FORMATS}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for offset, (day, entries) in enumerate(iter_feed(days, papers_per_day, seed, start)):
        day_format = _day_format(formats, offset)
        if day_format == "api":
            path, text = out_dir / f"{day.isoformat()}.json", generate_api(entries)
        else:
            path, text = out_dir / f"{day.isoformat()}.txt", generate_page(day, entries, day_format, seed)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def write_large_page(path: Path, entries: int, seed: int = 0, layout: str = "blank_separated") -> Path:
    """One page with `entries` distinct papers, for benchmarks."""
    if layout not in PAGE_LAYOUTS:
        raise ValueError(f"unknown page layout {layout!r}; expected one of {PAGE_LAYOUTS}")
    factory = _PaperFactory(random.Random(seed))
    texts = [factory.text() for _ in range(entries)]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_page_text(_LARGE_PAGE_DAY, [(text.title, text.abstract) for text in texts], layout, seed),
                    encoding="utf-8")
    return path
