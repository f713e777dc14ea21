"""Train the block model: which blocks of a page are the article.

Run from the repository root (needs ``../shared`` and the ``train`` extra)::

    python bench/train_blocks.py            # fit on all of WCXB-dev, write the shipped models
    python bench/train_blocks.py --report   # out-of-fold scores only, nothing written

Every block of every page gets the features of ``copydesk.clean.html.block_features`` and a
label from the page's ground truth: the share of its word trigrams the true text holds. The
model is LightGBM's gradient-boosted trees, exported to the numpy form ``copydesk.clean.model``
evaluates, so LightGBM is needed to train, never to run.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from folds import FOLDS, fold_of  # noqa: E402

from copydesk.clean.model import BlockModel, shipped  # noqa: E402
from scoring import site_of, word_score  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "eval"
MODELS = Path(__file__).resolve().parents[1] / "src" / "copydesk" / "clean" / "models"
CACHE = Path(__file__).resolve().parent / ".models"
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Page:
    id: str
    set: str
    domain: str
    page_type: str
    url: str
    truth: str

    @property
    def fold(self) -> int:
        return fold_of(self.domain)

    def raw(self, mode: str) -> str:
        folder = SHARED / self.set
        if self.set == "wcxb":
            path = folder / mode / f"{self.id}.{'html' if mode == 'html' else 'txt'}.gz"
            return gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        if mode == "html":
            return gzip.decompress((folder / "html" / f"{self.id}.html.gz").read_bytes()).decode("utf-8", "replace")
        return (folder / "text" / f"{self.id}.txt").read_text(encoding="utf-8")


def pages(name: str) -> list[Page]:
    if name == "wcxb":
        truth = orjson.loads(gzip.decompress((SHARED / "wcxb" / "ground-truth.json.gz").read_bytes()))
        return [
            Page(pid, "wcxb", t["domain"], t["page_type"], t["url"], t["main_content"] or "")
            for pid, t in sorted(truth.items())
        ]
    truth = orjson.loads((SHARED / "scrapinghub" / "ground-truth.json").read_bytes())
    return [
        Page(pid, "scrapinghub", site_of(t["url"]), "article", t["url"], t["articleBody"] or "")
        for pid, t in sorted(truth.items())
    ]


def _trigrams(tokens: list[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2)}


def block_labels(texts: list[str], truth: str) -> np.ndarray:
    """For each block, the share of its word trigrams (lower-cased) found in the true text;
    a block of fewer than three words counts as found when the true text has it as a line."""
    truth_tokens = _WORD.findall(truth.lower())
    truth_trigrams = _trigrams(truth_tokens)
    lines = {" ".join(_WORD.findall(line.lower())) for line in truth.splitlines()}
    joined = " " + " ".join(truth_tokens) + " "
    labels = np.zeros(len(texts), np.float32)
    for i, text in enumerate(texts):
        tokens = _WORD.findall(text.lower())
        if len(tokens) >= 3:
            grams = [tuple(tokens[j : j + 3]) for j in range(len(tokens) - 2)]
            labels[i] = sum(g in truth_trigrams for g in grams) / len(grams)
        elif tokens:
            key = " ".join(tokens)
            labels[i] = 1.0 if key in lines else (0.5 if f" {key} " in joined and len(key) > 12 else 0.0)
    return labels


@dataclass(frozen=True, slots=True)
class PageBlocks:
    page: Page
    features: np.ndarray
    texts: list[str]
    labels: np.ndarray
    #: The hand rules' choice, for comparison.
    rule_kept: np.ndarray
    #: What the page declares itself to be (``PageMetadata.types``).
    types: tuple[str, ...] = ()


def html_blocks(page: Page) -> PageBlocks:
    from copydesk.clean.html import analyse, block_features

    analysis = analyse(page.raw("html"))
    texts = [piece.text for piece in analysis.page.pieces]
    rule_kept = np.array([v == "" for v in analysis.verdicts], bool)
    labels = block_labels(texts, page.truth)
    return PageBlocks(page, block_features(analysis), texts, labels, rule_kept, analysis.metadata.types)


def text_blocks(page: Page) -> PageBlocks:
    from copydesk.clean.text import analyse_text, line_features

    analysis = analyse_text(page.raw("text"))
    texts = [line.text for line in analysis.lines]
    rule_kept = np.zeros(len(texts), bool)
    rule_kept[analysis.kept] = True
    return PageBlocks(page, line_features(analysis), texts, block_labels(texts, page.truth), rule_kept)


def blocks_of(pages_: list[Page], mode: str) -> Iterator[PageBlocks]:
    blocks = html_blocks if mode == "html" else text_blocks
    for page in pages_:
        yield blocks(page)


def page_f1(blocks: PageBlocks, keep: np.ndarray) -> float:
    """WCXB's per-page word F1 of the kept blocks."""
    return word_score(blocks.page.truth, "\n\n".join(t for t, k in zip(blocks.texts, keep, strict=True) if k)).f1


#: The trees: enough to learn the shared pages, few and shallow enough to run in well under a
#: millisecond on a page of a hundred blocks.
TREES, DEPTH, LEARNING_RATE = 300, 6, 0.1
#: Thresholds tried out of fold; the one with the best mean page F1 ships.
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)


def fit(data: list[PageBlocks], mode: str = "html", *, seed: int = 0) -> BlockModel:
    """Oblivious trees fitted on the blocks of ``data``: every page weighs the same whatever its
    number of blocks, and a block within its page by its length (the metric counts words)."""
    data = [b for b in data if len(b.texts)]
    X = np.vstack([b.features for b in data])
    y = np.concatenate([b.labels for b in data]) >= 0.5
    chars = [np.expm1(b.features[:, 0]) for b in data]
    weights = np.concatenate([c / c.sum() for c in chars]) * len(data)
    return fit_rows(X, y, weights, features_of(mode), trees=TREES, depth=DEPTH, seed=seed)


def features_of(mode: str) -> tuple[str, ...]:
    from copydesk.clean.html import FEATURES
    from copydesk.clean.text import LINE_FEATURES

    return FEATURES if mode == "html" else LINE_FEATURES


def fit_rows(
    X: np.ndarray, y: np.ndarray, weights: np.ndarray | None, features: tuple[str, ...], *, trees: int, depth: int, seed: int = 0
) -> BlockModel:
    from catboost import CatBoostClassifier

    model = CatBoostClassifier(
        iterations=trees, depth=depth, learning_rate=LEARNING_RATE, random_seed=seed, verbose=0,
        thread_count=2, allow_writing_files=False,
    )
    model.fit(X, y, sample_weight=weights)
    return _exported(model, features)


def _exported(trees, features: tuple[str, ...]) -> BlockModel:
    """CatBoost's trees as ``BlockModel`` arrays (a tree of fewer levels asks its missing ones
    of a border nothing exceeds, which leaves its leaf index as it is)."""
    import json
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.json"
        trees.save_model(str(path), format="json")
        dump = json.loads(path.read_text())
    oblivious = dump["oblivious_trees"]
    depth = max(len(tree["splits"]) for tree in oblivious)
    split_feature = np.zeros((len(oblivious), depth), np.intp)
    split_border = np.full((len(oblivious), depth), np.inf, np.float32)
    leaf_values = np.zeros((len(oblivious), 2**depth))
    for i, tree in enumerate(oblivious):
        for level, split in enumerate(tree["splits"]):
            split_feature[i, level] = split["float_feature_index"]
            split_border[i, level] = split["border"]
        leaf_values[i, : len(tree["leaf_values"])] = tree["leaf_values"]
    scale, bias = dump["scale_and_bias"]
    return BlockModel(features, split_feature, split_border, leaf_values * scale, float(bias[0]), 0.5)


def out_of_fold(data: list[PageBlocks], mode: str = "html") -> tuple[dict[str, np.ndarray], dict[str, BlockModel]]:
    """Each page's block probabilities from the model fitted on the other folds, and those
    models by name ("fold0".."fold4")."""
    found: dict[str, np.ndarray] = {}
    models = {}
    for fold in range(FOLDS):
        model = models[f"fold{fold}"] = fit([b for b in data if b.page.fold != fold], mode)
        for b in data:
            if b.page.fold == fold:
                found[b.page.id] = model.probabilities(b.features)
    return found, models


def kept(mode: str, blocks: PageBlocks, probabilities: np.ndarray, threshold: float) -> np.ndarray:
    """What the cleaner keeps of the blocks: in HTML those at ``threshold`` or more; in text mode
    the lines of the best expected F1, whatever the threshold (``text.line_keeps``)."""
    if mode == "text":
        from copydesk.clean.text import line_keeps

        return line_keeps(probabilities, blocks.features)
    return probabilities >= threshold


#: Text mode: log-odds taken off the line model's before the expected-F1 choice (its trees are
#: surer of article text on pages they have not seen than they should be), tried out of fold.
SHIFTS = (0.0, 0.25, 0.5, 0.75, 1.0)


def shifted(model: BlockModel, shift: float) -> BlockModel:
    return replace(model, bias=model.bias - shift)


def best_shifts(data: list[PageBlocks], probabilities: dict[str, np.ndarray]) -> tuple[float, dict[str, float], np.ndarray]:
    """Text mode's shift: the one with the best out-of-fold mean page F1 (it ships), each
    fold's model's chosen on the other folds alone ("fold0".."fold4"), and each page's F1 under
    its fold's shift: the out-of-fold score, with nothing chosen on the pages it scores."""
    from copydesk.clean.text import line_keeps

    def score(b: PageBlocks, shift: float) -> float:
        p = probabilities[b.page.id]
        return page_f1(b, line_keeps(p / (p + (1 - p) * np.exp(shift)), b.features))

    f1 = {shift: np.array([score(b, shift) for b in data]) for shift in SHIFTS}
    for shift, values in f1.items():
        print(f"  shift {shift:.2f}: out-of-fold word F1 {values.mean():.4f}")
    folds = np.array([b.page.fold for b in data])
    by_fold = {k: max(SHIFTS, key=lambda shift: f1[shift][folds != k].mean()) for k in range(FOLDS)}
    honest = np.array([f1[by_fold[fold]][i] for i, fold in enumerate(folds)])
    return max(SHIFTS, key=lambda shift: f1[shift].mean()), {f"fold{k}": v for k, v in by_fold.items()}, honest


def settled(mode: str, data: list[PageBlocks], probabilities: dict[str, np.ndarray]) -> tuple[Callable[[str, BlockModel], BlockModel], np.ndarray, str]:
    """What the out-of-fold predictions choose: a function that gives a fitted model (by name)
    its threshold (HTML) or shift (text), each page's out-of-fold F1, and the choice in words."""
    if mode == "html":
        threshold = best_threshold(data, probabilities)
        f1 = np.array([page_f1(b, probabilities[b.page.id] >= threshold) for b in data])
        return (lambda name, model: replace(model, threshold=threshold)), f1, f"{threshold:.2f}"
    shift, by_fold, f1 = best_shifts(data, probabilities)
    return (lambda name, model: shifted(model, by_fold.get(name, shift))), f1, f"{shift:.2f}"


def best_threshold(data: list[PageBlocks], probabilities: dict[str, np.ndarray]) -> float:
    scores = {t: np.mean([page_f1(b, probabilities[b.page.id] >= t) for b in data]) for t in THRESHOLDS}
    for t, score in scores.items():
        print(f"  threshold {t:.2f}: out-of-fold word F1 {score:.4f}")
    return max(scores, key=scores.__getitem__)


#: The page models are small: one row per page, a few hundred pages per type.
PAGE_TREES, PAGE_DEPTH = 150, 4
#: An extraction this good (word F1) or better is one to trust.
GOOD_F1 = 0.8


def page_rows(data: list[PageBlocks], probabilities: dict[str, np.ndarray], threshold: float) -> np.ndarray:
    """Each page's row of ``copydesk.clean.page.PAGE_FEATURES`` as the cleaner makes it."""
    from copydesk.clean.html import FEATURES
    from copydesk.clean.page import page_features

    return np.vstack([
        page_features(b.page.url, b.types, b.texts, dict(zip(FEATURES, b.features.T)), probabilities[b.page.id], threshold)
        for b in data
    ])


def fit_pages(data: list[PageBlocks], rows: np.ndarray, f1: np.ndarray) -> dict[str, BlockModel]:
    """A one-against-the-rest model per page type, and the confidence model (F1 >= GOOD_F1)."""
    from copydesk.clean.page import LEARNED_TYPES, PAGE_FEATURES

    kinds = np.array([b.page.page_type for b in data])
    models = {
        f"page-{kind}": fit_rows(rows, kinds == kind, None, PAGE_FEATURES, trees=PAGE_TREES, depth=PAGE_DEPTH)
        for kind in LEARNED_TYPES
    }
    models["confidence"] = fit_rows(rows, f1 >= GOOD_F1, None, PAGE_FEATURES, trees=PAGE_TREES, depth=PAGE_DEPTH)
    return models


def page_report(data: list[PageBlocks], probabilities: dict[str, np.ndarray], threshold: float) -> dict[str, float]:
    """Out of fold: page-type accuracy, and how the confidence tracks the page's F1."""
    from copydesk.clean.page import LEARNED_TYPES

    rows = page_rows(data, probabilities, threshold)
    f1 = np.array([page_f1(b, probabilities[b.page.id] >= threshold) for b in data])
    folds = np.array([b.page.fold for b in data])
    predicted = np.empty(len(data), object)
    confidence = np.zeros(len(data))
    for fold in range(FOLDS):
        train = folds != fold
        models = fit_pages([b for b, t in zip(data, train, strict=True) if t], rows[train], f1[train])
        test = ~train
        scores = np.column_stack([models[f"page-{kind}"].probabilities(rows[test]) for kind in LEARNED_TYPES])
        predicted[test] = [LEARNED_TYPES[i] for i in scores.argmax(1)]
        confidence[test] = models["confidence"].probabilities(rows[test])
    truth = np.array([b.page.page_type for b in data])
    low = confidence < 0.5
    return {
        "page type accuracy": float((predicted == truth).mean()),
        "confidence vs F1 (Pearson r)": float(np.corrcoef(confidence, f1)[0, 1]),
        "mean F1, confidence < 0.5": float(f1[low].mean()) if low.any() else float("nan"),
        "mean F1, confidence >= 0.5": float(f1[~low].mean()) if (~low).any() else float("nan"),
        "pages with confidence < 0.5": float(low.sum()),
    }


def fold_models(mode: str) -> dict[str, BlockModel]:
    """The models the out-of-fold protocol scores with: "fold0".."fold4" (each fitted without
    that WCXB fold), "wcxb" (all of WCXB-dev) and "scrapinghub" (all of it). ``main`` keeps them
    in ``bench/.models/`` under a key of the code that makes the features and the trees; where
    they are missing they are fitted now."""
    folder = _cache(mode)
    names = [*(f"fold{k}" for k in range(FOLDS)), "wcxb", "scrapinghub"]
    if not all((folder / f"{name}.npz").is_file() for name in names):
        wcxb = list(blocks_of(pages("wcxb"), mode))
        threshold = shipped(mode).threshold
        probabilities, fitted = out_of_fold(wcxb, mode)
        fitted |= {"wcxb": fit(wcxb, mode), "scrapinghub": fit(list(blocks_of(pages("scrapinghub"), mode)), mode)}
        settle = settled(mode, wcxb, probabilities)[0] if mode == "text" else lambda name, m: replace(m, threshold=threshold)
        _keep(mode, {name: settle(name, model) for name, model in fitted.items()})
    return {name: BlockModel.load((folder / f"{name}.npz").read_bytes()) for name in names}


def _cache(mode: str) -> Path:
    import hashlib

    from copydesk.clean import html as html_cleaner
    from copydesk.clean import text as text_cleaner

    cleaner = html_cleaner if mode == "html" else text_cleaner
    code = Path(__file__).read_bytes() + Path(cleaner.__file__).read_bytes()
    return CACHE / f"{mode}-{hashlib.sha256(code).hexdigest()[:12]}"


def _keep(mode: str, models: dict[str, BlockModel]) -> None:
    folder = _cache(mode)
    folder.mkdir(parents=True, exist_ok=True)
    for name, model in models.items():
        model.save(folder / f"{name}.npz")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", action="store_true", help="out-of-fold scores only; write nothing")
    parser.add_argument("--mode", choices=("html", "text", "both"), default="both")
    args = parser.parse_args(argv)
    for mode in ("html", "text") if args.mode == "both" else (args.mode,):
        wcxb = list(blocks_of(pages("wcxb"), mode))
        scrapinghub = list(blocks_of(pages("scrapinghub"), mode))
        print(f"{mode}: {len(wcxb)} WCXB-dev pages, {sum(len(b.texts) for b in wcxb):,} blocks", flush=True)
        probabilities, by_fold = out_of_fold(wcxb, mode)
        settle, f1, choice = settled(mode, wcxb, probabilities)
        scores = {"all pages": float(f1.mean())}
        for kind in sorted({b.page.page_type for b in wcxb}):
            scores[kind] = float(np.mean([x for x, b in zip(f1, wcxb, strict=True) if b.page.page_type == kind]))
        model = settle("wcxb", fit(wcxb, mode))
        threshold = model.threshold
        _keep(mode, {
            **{name: settle(name, m) for name, m in by_fold.items()}, "wcxb": model,
            "scrapinghub": settle("scrapinghub", fit(scrapinghub, mode)),
        })
        scores["scrapinghub (fitted on all of WCXB-dev)"] = float(
            np.mean([page_f1(b, kept(mode, b, model.probabilities(b.features), threshold)) for b in scrapinghub])
        )
        models = {mode: model}
        if mode == "html":
            scores |= page_report(wcxb, probabilities, threshold)
            models |= fit_pages(wcxb, page_rows(wcxb, probabilities, threshold), f1)
        for name, value in scores.items():
            print(f"  {name}: {value:.4f}", flush=True)
        if not args.report:
            for name, fitted in models.items():
                fitted.save(MODELS / f"{name}.npz")
            (MODELS / f"{mode}.md").write_text(_card(mode, choice, scores), encoding="utf-8")
    return 0


def _card(mode: str, choice: str, scores: dict[str, float]) -> str:
    rows = "\n".join(f"| {name} | {value:.3f} |" for name, value in scores.items())
    unit = "block of an HTML page" if mode == "html" else "line of a page flattened to text"
    pages_ = (
        f"""
`page-<type>.npz` decide the page's type, one model per WCXB type against the rest, and
`confidence.npz` the `extraction_confidence`: the probability that the kept text has word F1 >=
{GOOD_F1} ({PAGE_TREES} trees of depth {PAGE_DEPTH} each, on one row of page features per page).
"""
        if mode == "html"
        else ""
    )
    decision = (
        f"""a block
is kept at probability {choice} or more (of {", ".join(f"{t:.2f}" for t in THRESHOLDS)}, the
threshold with the best out-of-fold mean page F1)."""
        if mode == "html"
        else f"""the lines
kept are the likeliest, as many as make the page's expected word F1 the highest
(`copydesk.clean.text.line_keeps`), with {choice} taken off the trees' log-odds (of
{", ".join(f"{s:.2f}" for s in SHIFTS)}, the shift with the best out-of-fold mean page F1, in the
model's bias; each fold's model scored below has the shift chosen on the other folds alone)."""
    )
    return f"""# `{mode}.npz`: is this {unit} article text?

Made by `python bench/train_blocks.py --mode {mode}` (needs `../shared/eval` and
`pip install -e ".[train]"`); the same command remakes it. {TREES} oblivious decision trees of
depth {DEPTH} (CatBoost), evaluated by `copydesk/clean/model.py` in numpy; {decision}
{pages_}
## Training data

WCXB, the Web Content eXtraction Benchmark, development split: 1,497 pages from 1,295 domains, 7
page types (Murrough Foley, 2026; github.com/Murrough-Foley/web-content-extraction-benchmark),
licensed CC-BY-4.0, which allows shipping models trained on it with attribution (this file).
A label: the share of the {unit.split(" of ")[0]}'s word trigrams found in the page's `main_content`, >= 0.5.

## Held-out scores

WCXB-dev is split by domain into 5 fixed folds (`bench/folds.py`); each fold is scored by models
fitted on the other four. WCXB's metric: word F1 of the kept text, mean over pages. scrapinghub's
181 news pages are never trained on. These score the model's own decisions, before the
cleaner's fallbacks (declared body, `<noscript>`, best effort) and its `edge` rule;
`bench/quality.py` measures the whole cleaner beside its peers.

| out of fold, WCXB-dev word F1 (and page models) | value |
|---|---|
{rows}
"""


if __name__ == "__main__":
    raise SystemExit(main())
