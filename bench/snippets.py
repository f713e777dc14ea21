"""copydesk and its peers on trafilatura's evaluation pages: a third set of real pages, in many
languages, that no model or rule here was fitted on.

trafilatura's repository (github.com/adbar/trafilatura, Apache-2.0) keeps about a thousand
pages it evaluates extractors on (``tests/eval/``, ``tests/cache/``) and, for each, a few
snippets the extracted text must hold and a few it must not (``tests/evaldata.json``); most are
German, then English, Spanish, French and Polish. The pages are the sites' own, so they are
read from a clone of that repository, never copied here::

    git clone --depth 1 https://github.com/adbar/trafilatura ../trafilatura
    python bench/snippets.py --tests ../trafilatura/tests
    python bench/snippets.py --tests ../trafilatura/tests --mode text   # also the flattened text

The metric is trafilatura's own: a snippet that must be held and is, is a true positive; one that
must not and is, a false positive (whitespace-normalised substring tests); precision, recall and
F1 over all snippets, ± the standard deviation over 1,000 bootstrap resamples of pages. Rows by
the language copydesk detects in the page's snippets to hold (English, German, the rest). In text mode each page is
first flattened as the shared sets' text is (``html-text``, ``guess_layout=True``, runs of blank
lines collapsed; ``html-text`` is in the ``bench`` extra); the peers then read each line as a ``<p>``. The
shipped models score every page: none of these pages was in their training pool. Note that
trafilatura's authors have tuned it on these pages, and that copydesk's text is the body alone:
a snippet of the headline or of the standfirst (the record's ``title`` and ``dek``) counts as
missed.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from quality import _extract, lines_as_html, systems_for  # noqa: E402
from scoring import bootstrap_std  # noqa: E402
from tables import markdown_table  # noqa: E402

#: Language groups of the rows: the two the pages have most of, and the rest together.
GROUPS = ("en", "de", "other")
BOOTSTRAP = 1000
_SPACE = re.compile(r"\s+")
_BLANK_RUNS = re.compile(r"\n{3,}")


class Page(NamedTuple):
    url: str
    html: str
    holds: tuple[str, ...]
    lacks: tuple[str, ...]


def norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def load_pages(tests: Path) -> list[Page]:
    """The pages of ``evaldata.json`` whose file is in ``tests/eval`` or ``tests/cache``."""
    from copydesk.clean.encoding import decode_html

    pages = []
    for url, item in sorted(orjson.loads((tests / "evaldata.json").read_bytes()).items()):
        found = [folder / item["file"] for folder in (tests / "cache", tests / "eval") if (folder / item["file"]).is_file()]
        if found:
            html = decode_html(found[0].read_bytes())
            pages.append(Page(url, html, tuple(map(norm, item["with"])), tuple(map(norm, item["without"]))))
    return pages


def flattened(html: str) -> str:
    import html_text

    return _BLANK_RUNS.sub("\n\n", html_text.extract_text(html, guess_layout=True))


def counts(page: Page, extracted: str) -> tuple[int, int, int, int]:
    """True and false positives, false and true negatives of ``page``'s snippets."""
    text = norm(extracted)
    held = sum(snippet in text for snippet in page.holds)
    leaked = sum(snippet in text for snippet in page.lacks)
    return held, leaked, len(page.holds) - held, len(page.lacks) - leaked


def f1(rows: np.ndarray) -> tuple[float, float, float]:
    tp, fp, fn = rows[:, 0].sum(), rows[:, 1].sum(), rows[:, 2].sum()
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return precision, recall, 2 * precision * recall / max(precision + recall, 1e-9)


def spread(rows: np.ndarray) -> float:
    return bootstrap_std(list(rows), lambda sample: f1(np.array(sample))[2], BOOTSTRAP, seed=0)


def extracted(htmls: Sequence[str], urls: Sequence[str], mode: str, names: list[str]) -> Iterator[tuple[str, list[str]]]:
    """Each system of ``names`` (in text mode also keeping every line) with its text of each
    page (``htmls``, at ``urls``), in ``mode``: in text mode each page is flattened first and the
    peers read its lines as ``<p>``. A page the system fails on counts as empty. No fold models:
    these pages are in no fold, and the shipped models never saw them."""
    native = list(htmls) if mode == "html" else [flattened(html) for html in htmls]
    as_html = native if mode == "html" else [lines_as_html(text) for text in native]
    for system in systems_for("unseen", mode, names, None):
        extract = system.extractor_for(0)
        given = native if system.native else as_html
        yield system.name, [_extract(extract, text, url)[0].text for text, url in zip(given, urls, strict=True)]


def group_of(page: Page) -> str:
    """The page's row of ``GROUPS``, by the language of the text it must hold."""
    from copydesk.enrich.language import detect

    code = detect(" ".join(page.holds))[0]
    return code if code in GROUPS else "other"


def table(results: Iterable[tuple[str, str, np.ndarray]], groups: list[str]) -> str:
    header = ["mode", "system", "pages", "precision", "recall", "F1 ±", *(f"F1 {g} ({groups.count(g)})" for g in GROUPS)]
    lines = [header]
    member = np.array(groups)
    for mode, system, rows in results:
        precision, recall, score = f1(rows)
        by_group = [f"{f1(rows[member == g])[2]:.3f}" if (member == g).any() else "" for g in GROUPS]
        lines.append([mode, system, str(len(rows)), f"{precision:.3f}", f"{recall:.3f}", f"{score:.3f} ± {spread(rows):.3f}", *by_group])
    return markdown_table(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tests", type=Path, required=True, help="the tests folder of a clone of trafilatura's repository")
    parser.add_argument("--mode", choices=("html", "text", "both"), default="html")
    parser.add_argument("--systems", default="copydesk,trafilatura,rs-trafilatura", help="comma-separated, of copydesk and quality.py's peers")
    parser.add_argument("--dump", type=Path, help="write every page's extracted text here (JSON: mode -> system -> url -> text)")
    args = parser.parse_args(argv)
    if not (args.tests / "evaldata.json").is_file():
        parser.error(f"no evaldata.json in {args.tests}: give the tests folder of a clone of trafilatura's repository")
    names = [name.strip() for name in args.systems.split(",") if name.strip()]
    pages = load_pages(args.tests)
    groups = [group_of(page) for page in pages]
    results = []
    dumped: dict[str, dict[str, dict[str, str]]] = {}
    urls = [page.url for page in pages]
    for mode in ("html", "text") if args.mode == "both" else (args.mode,):
        for name, texts in extracted([page.html for page in pages], urls, mode, names):
            results.append((mode, name, np.array([counts(page, text) for page, text in zip(pages, texts, strict=True)], np.int64)))
            dumped.setdefault(mode, {})[name] = dict(zip(urls, texts, strict=True))
    print(table(results, groups))
    if args.dump:
        args.dump.write_bytes(orjson.dumps(dumped))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
