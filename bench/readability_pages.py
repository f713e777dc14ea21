"""copydesk and its peers on the test pages of Mozilla's Readability: a fourth set of real pages
that no model or rule here was fitted on.

Readability's repository (github.com/mozilla/readability, Apache-2.0) keeps, for each of about
130 pages (``test/test-pages/<name>/``), the page (``source.html``) and what Readability extracts
from it (``expected.html``). The pages are the sites' own, so they are read from a clone of
that repository, never copied here::

    git clone --depth 1 https://github.com/mozilla/readability ../readability
    python bench/readability_pages.py --pages ../readability/test/test-pages --mode both

Each page is scored with WCXB's word F1 (``scoring.word_score``) against its expected output
flattened as the shared sets' text is (``snippets.flattened``). The truth is Readability's own
output, so it follows Readability's conventions: infoboxes, reference lists and captions are
kept. Only the real pages count: the fixtures written in lorem ipsum and pages of under
``MIN_WORDS`` words of truth are left out. ± is the standard deviation over 1,000 seeded
bootstrap resamples of pages. Text mode flattens each page first; the peers then read each line
as a ``<p>``. The shipped models score every page.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scoring import summarise_words, word_score  # noqa: E402
from snippets import BOOTSTRAP, extracted, flattened  # noqa: E402
from tables import markdown_table  # noqa: E402

#: A page whose truth is shorter is a fixture of one of Readability's rules, not a page.
MIN_WORDS = 100


class Page(NamedTuple):
    name: str
    html: str
    truth: str


def load_pages(folder: Path) -> list[Page]:
    """The real pages under ``folder`` (one folder a page, as Readability's tests are laid out)."""
    from copydesk.clean.encoding import decode_html

    pages = []
    for page in sorted(path for path in folder.iterdir() if (path / "source.html").is_file() and (path / "expected.html").is_file()):
        truth = flattened(decode_html((page / "expected.html").read_bytes()))
        if len(truth.split()) >= MIN_WORDS and "lorem ipsum" not in truth.lower():
            pages.append(Page(page.name, decode_html((page / "source.html").read_bytes()), truth))
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, required=True, help="test/test-pages of a clone of Readability's repository")
    parser.add_argument("--mode", choices=("html", "text", "both"), default="html")
    parser.add_argument("--systems", default="copydesk,trafilatura,rs-trafilatura", help="comma-separated, of copydesk and quality.py's peers")
    args = parser.parse_args(argv)
    if not args.pages.is_dir():
        parser.error(f"{args.pages} is not a folder: give test/test-pages of a clone of Readability's repository")
    pages = load_pages(args.pages)
    names = [name.strip() for name in args.systems.split(",") if name.strip()]
    lines = [["mode", "system", "pages", "precision", "recall", "F1 ±"]]
    for mode in ("html", "text") if args.mode == "both" else (args.mode,):
        for name, texts in extracted([page.html for page in pages], [f"https://readability.test/{page.name}" for page in pages], mode, names):
            summary = summarise_words([word_score(page.truth, text) for page, text in zip(pages, texts, strict=True)], resamples=BOOTSTRAP)
            lines.append([
                mode, name, str(summary.pages), f"{summary.precision:.3f}", f"{summary.recall:.3f}", f"{summary.f1:.3f} ± {summary.f1_std:.3f}",
            ])
    print(markdown_table(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
