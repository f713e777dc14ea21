"""The article-extraction metric of ``../shared/eval/README.md``, exactly as stated there.

Tokens are ``\\w+`` (Unicode, case kept); shingles are consecutive 4-token tuples counted with
repeats. Each page's tp/fp/fn are scaled to sum to 1, precision and recall are averaged over
pages, and F1 is the harmonic mean of those two means. ± is the standard deviation over 1,000
seeded bootstrap resamples of pages.
"""

from __future__ import annotations

import gzip
import random
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import orjson

EVAL_DIR = Path(__file__).resolve().parents[2] / "shared" / "eval" / "scrapinghub"
_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
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


def _f1(p: float, r: float) -> float:
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
    rng = random.Random(seed)
    boot = []
    for _ in range(resamples):
        sample = [scores[rng.randrange(n)] for _ in range(n)]
        boot.append(_f1(sum(s.precision for s in sample) / n, sum(s.recall for s in sample) / n))
    mean = sum(boot) / resamples
    std = (sum((b - mean) ** 2 for b in boot) / resamples) ** 0.5
    return Summary(_f1(precision, recall), precision, recall, std, n)


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
    import hashlib

    tune, check = [], []
    for page_id in sorted(truth):
        site = site_of(truth[page_id]["url"])
        bucket = hashlib.sha256(site.encode()).digest()[0] % 2
        (tune if bucket == 0 else check).append(page_id)
    return tune, check
