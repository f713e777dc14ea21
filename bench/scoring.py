"""The two evaluation sets of ``../shared/eval/README.md``, each with its own metric, as stated there.

scrapinghub: tokens are ``\\w+`` (Unicode, case kept); shingles are consecutive 4-token tuples
counted with repeats. Each page's tp/fp/fn are scaled to sum to 1, precision and recall are
averaged over pages, and F1 is the harmonic mean of those two means. ± is the standard deviation
over 1,000 seeded bootstrap resamples of pages.

WCXB: each page's lower-cased ``\\w+`` tokens as a bag of words give its precision, recall and F1;
the reported F1 is the mean of the pages' F1s. Beside it, the share of a page's ``with`` snippets
found in the extraction and of its ``without`` snippets leaked into it (case-insensitive
substrings). ``folds.py`` splits its pages by domain.
"""

from __future__ import annotations

import ast
import gzip
import hashlib
import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import orjson

EVAL_DIR = Path(__file__).resolve().parents[2] / "shared" / "eval" / "scrapinghub"
WCXB_DIR = EVAL_DIR.parent / "wcxb"
#: WCXB's page types, in the order its own evaluation reports them.
PAGE_TYPES = ("article", "forum", "product", "collection", "listing", "documentation", "service")
#: A word, as both sets' metrics count them.
WORD = re.compile(r"\w+")
T = TypeVar("T")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = WORD.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


@dataclass(frozen=True, slots=True)
class PageScore:
    precision: float
    recall: float


def score_page(truth: str, predicted: str) -> PageScore:
    t, p = shingles(truth), shingles(predicted)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    if total == 0:
        return PageScore(1.0, 1.0)
    tp, fp, fn = tp / total, fp / total, fn / total
    precision = 0.0 if tp == 0 else (1.0 if fp == 0 else tp / (tp + fp))
    recall = 0.0 if tp == 0 else (1.0 if fn == 0 else tp / (tp + fn))
    return PageScore(precision, recall)


def f1_of(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


@dataclass(frozen=True, slots=True)
class Summary:
    f1: float
    precision: float
    recall: float
    f1_std: float
    pages: int


def summarise(scores: list[PageScore], *, resamples: int = 1000, seed: int = 0) -> Summary:
    n = len(scores)
    if n == 0:
        return Summary(0.0, 0.0, 0.0, 0.0, 0)
    precision = sum(s.precision for s in scores) / n
    recall = sum(s.recall for s in scores) / n
    def f1_of_means(sample: list[PageScore]) -> float:
        return f1_of(sum(s.precision for s in sample) / n, sum(s.recall for s in sample) / n)

    std = bootstrap_std(scores, f1_of_means, resamples, seed)
    return Summary(f1_of(precision, recall), precision, recall, std, n)


def bootstrap_std(scores: list[T], statistic: Callable[[list[T]], float], resamples: int, seed: int) -> float:
    """The standard deviation of ``statistic`` over seeded resamples of ``scores`` with replacement."""
    n = len(scores)
    rng = random.Random(seed)
    boot = [statistic([scores[rng.randrange(n)] for _ in range(n)]) for _ in range(resamples)]
    mean = sum(boot) / resamples
    return (sum((b - mean) ** 2 for b in boot) / resamples) ** 0.5


def load_truth(eval_dir: Path = EVAL_DIR) -> dict[str, dict[str, str]]:
    return orjson.loads((eval_dir / "ground-truth.json").read_text(encoding="utf-8"))


def read_html(page_id: str, eval_dir: Path = EVAL_DIR) -> bytes:
    return gzip.decompress((eval_dir / "html" / f"{page_id}.html.gz").read_bytes())


def read_text(page_id: str, eval_dir: Path = EVAL_DIR) -> str:
    return (eval_dir / "text" / f"{page_id}.txt").read_text(encoding="utf-8")


def site_of(url: str) -> str:
    host = url.split("//", 1)[-1].split("/", 1)[0].lower()
    return host[4:] if host.startswith("www.") else host


def split_by_site(truth: dict[str, dict[str, str]]) -> tuple[list[str], list[str]]:
    """Deterministic split into a half to tune on and a half only to check, by site, so no
    site's pages land on both sides."""
    tune, check = [], []
    for page_id in sorted(truth):
        site = site_of(truth[page_id]["url"])
        bucket = hashlib.sha256(site.encode()).digest()[0] % 2
        (tune if bucket == 0 else check).append(page_id)
    return tune, check


# ---------------------------------------------------------------- WCXB

@dataclass(frozen=True, slots=True)
class WordScore:
    precision: float
    recall: float
    f1: float


def word_score(truth: str, predicted: str) -> WordScore:
    """WCXB's per-page score: bags of lower-cased ``\\w+`` tokens. An empty truth scores 1 against an
    empty prediction and 0 against anything else; an empty prediction of a non-empty truth scores 0."""
    t = Counter(WORD.findall(truth.lower()))
    p = Counter(WORD.findall(predicted.lower()))
    if not t or not p:
        return WordScore(1.0, 1.0, 1.0) if not t and not p else WordScore(0.0, 0.0, 0.0)
    overlap = sum((t & p).values())
    precision = overlap / p.total()
    recall = overlap / t.total()
    return WordScore(precision, recall, f1_of(precision, recall))


def snippet_share(text: str, snippets: list[str]) -> float | None:
    """The share of ``snippets`` found in ``text`` (case-insensitive substrings); None without any,
    so a page with no snippets of a kind does not weigh in that kind's mean."""
    if not snippets:
        return None
    lowered = text.lower()
    return sum(s.lower() in lowered for s in snippets) / len(snippets)


def parse_snippets(value: object) -> list[str]:
    """A page's ``with``/``without`` snippets, which the ground truth holds as a list, a string
    spelling a Python or JSON list, a single snippet, or null."""
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            try:
                value = ast.literal_eval(stripped)
            except (ValueError, SyntaxError):
                try:
                    value = orjson.loads(stripped)
                except orjson.JSONDecodeError:
                    return [stripped]
        else:
            return [stripped] if stripped else []
    if isinstance(value, list | tuple):
        return [str(s) for s in value if str(s).strip()]
    return []


def summarise_words(scores: list[WordScore], *, resamples: int = 1000, seed: int = 0) -> Summary:
    """Means over pages; ± is the standard deviation of the mean F1 over seeded bootstrap resamples."""
    n = len(scores)
    if n == 0:
        return Summary(0.0, 0.0, 0.0, 0.0, 0)
    f1s = [s.f1 for s in scores]
    std = bootstrap_std(f1s, lambda sample: sum(sample) / n, resamples, seed)
    return Summary(sum(f1s) / n, sum(s.precision for s in scores) / n, sum(s.recall for s in scores) / n, std, n)


def load_wcxb_truth(eval_dir: Path = WCXB_DIR) -> dict[str, dict[str, object]]:
    """``{id: {url, domain, page_type, main_content, with, without, ...}}`` with the snippets as lists."""
    truth = orjson.loads(gzip.decompress((eval_dir / "ground-truth.json.gz").read_bytes()))
    for page in truth.values():
        page["with"] = parse_snippets(page.get("with"))
        page["without"] = parse_snippets(page.get("without"))
        page["main_content"] = page.get("main_content") or ""
    return truth


def read_wcxb_html(page_id: str, eval_dir: Path = WCXB_DIR) -> bytes:
    return gzip.decompress((eval_dir / "html" / f"{page_id}.html.gz").read_bytes())


def read_wcxb_text(page_id: str, eval_dir: Path = WCXB_DIR) -> str:
    return gzip.decompress((eval_dir / "text" / f"{page_id}.txt.gz").read_bytes()).decode("utf-8")
