"""Fit the scorer that chooses a page's date among the dates it states
(``copydesk.enrich.page_dates``) and write its weights and card. Run from the repository root::

    python bench/train_dates.py            # fit on WCXB folds 0-2, write the shipped weights and card
    python bench/train_dates.py --report   # the scores only, nothing written

Every WCXB page with a true ``publish_date`` is cleaned; its candidate dates and their features
are those enrichment computes. The scorer is linear; its weights maximise the likelihood that a
softmax over each page's candidates gives its mass to the candidates with the true day (pages
where no candidate has it teach nothing), with a small L2 penalty. It is fitted on the folds
the metadata rules were tuned on (0-2, ``bench/metadata.py``'s folds) and scored on 3-4, and
out of fold: each fold by a scorer fitted on the four others.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from metadata import FOLDS, TUNED_FOLDS, fold_of, wcxb_pages  # noqa: E402

from copydesk.clean import clean_html  # noqa: E402
from copydesk.enrich.metadata import date_lines  # noqa: E402
from copydesk.enrich.page_dates import FEATURES, Dated, choose, dated_candidates, features  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "src" / "copydesk" / "enrich" / "data"
_L2 = 1e-3
_STEPS = 3000
_RATE = 0.05


@dataclass(frozen=True, slots=True)
class Example:
    fold: int
    day: str
    dated: list[Dated]


def examples() -> list[Example]:
    found = []
    for page in wcxb_pages():
        if not page.day or len(page.day) != 10:
            continue
        extraction = clean_html(page.html, page.url)
        meta = extraction.metadata
        dated = dated_candidates(meta.dates, date_lines(extraction), meta.canonical_url or page.url, meta.language)
        found.append(Example(fold_of(page.domain), page.day, dated))
    return found


def fit(data: list[Example]) -> np.ndarray:
    """Weights by full-batch gradient descent (Adam) on the softmax likelihood."""
    pages = [(np.array(features(e.dated)), np.array([d.day == e.day for d in e.dated])) for e in data if e.dated]
    pages = [(x, y) for x, y in pages if y.any() and not y.all()]  # only a choice teaches
    x_all = np.concatenate([x for x, _ in pages])
    y_all = np.concatenate([y for _, y in pages]).astype(float)
    page_of = np.concatenate([np.full(len(x), i) for i, (x, _) in enumerate(pages)])
    w = np.zeros(x_all.shape[1])
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for step in range(1, _STEPS + 1):
        s = x_all @ w
        s = s - np.maximum.reduceat(s, np.r_[0, np.flatnonzero(np.diff(page_of)) + 1])[page_of]
        e = np.exp(s)
        p = e / np.bincount(page_of, e)[page_of]
        q = p * y_all
        q = q / np.bincount(page_of, q)[page_of]
        grad = x_all.T @ (p - q) / len(pages) + _L2 * w
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        w -= _RATE * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return w


def accuracy(data: list[Example], w: np.ndarray) -> float:
    right = 0
    for e in data:
        chosen = choose(e.dated, tuple(w))
        right += chosen is not None and chosen.day == e.day
    return right / len(data) if data else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", action="store_true", help="print the scores; write nothing")
    args = parser.parse_args()
    data = examples()
    tuned = [e for e in data if e.fold in TUNED_FOLDS]
    held = [e for e in data if e.fold not in TUNED_FOLDS]
    w = fit(tuned)
    reachable = sum(any(d.day == e.day for d in e.dated) for e in data) / len(data)
    out_of_fold = {k: accuracy([e for e in data if e.fold == k], fit([e for e in data if e.fold != k])) for k in range(FOLDS)}
    oof_all = sum(out_of_fold[k] * sum(e.fold == k for e in data) for k in out_of_fold) / len(data)
    scores = {
        "pages": len(data),
        "true day among the candidates": round(reachable, 3),
        "folds 0-2 (fitted on)": round(accuracy(tuned, w), 3),
        "folds 3-4 (held out)": round(accuracy(held, w), 3),
        **{f"fold {k} out of fold": round(a, 3) for k, a in out_of_fold.items()},
        "all folds out of fold": round(oof_all, 3),
    }
    for name, value in scores.items():
        print(f"{name:32} {value}")
    for name, weight in sorted(zip(FEATURES, w), key=lambda t: -abs(t[1])):
        print(f"  {weight:+.3f} {name}")
    if not args.report:
        model = {"features": list(FEATURES), "weights": [round(float(x), 4) for x in w], "scores": scores}
        (DATA / "date-model.json").write_bytes(orjson.dumps(model, option=orjson.OPT_INDENT_2) + b"\n")
        print(f"wrote {DATA / 'date-model.json'}")


if __name__ == "__main__":
    main()
