"""Extraction quality and speed of copydesk and its peers on the scrapinghub benchmark, one table.

Run from the repository root::

    python bench/quality.py                      # both modes, every system, all 181 pages
    python bench/quality.py --mode html --systems copydesk,trafilatura --pages 40
    python bench/quality.py --mode html --systems copydesk,trafilatura --rounds 3

Every system runs in this process on the same pages, warmed up on other sites' pages first,
and speed is pages per second of this process's CPU time, so the ratios to trafilatura hold
on a busy shared machine (absolute speeds still vary between machines). With ``--rounds``
the systems take turns that many times and each one's fastest round counts (timeit's
convention: a slower round measured other people's load, not the system). A page a system
fails on counts as an empty prediction. In text mode the peers, which only read HTML, get each line of the
flattened page wrapped in a ``<p>``.
"""

from __future__ import annotations

import argparse
import html as html_lib
import itertools
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scoring import PageScore, Summary, load_truth, read_html, read_text, score_page, split_by_site, summarise  # noqa: E402

#: (page html or text, url) -> extracted body text
Extractor = Callable[[str, str], str]
SYSTEMS = ("copydesk", "trafilatura", "readability", "resiliparse")


@dataclass(frozen=True, slots=True)
class Run:
    system: str
    mode: str
    texts: dict[str, str]
    seconds: float
    failures: int


def copydesk_html(page: str, url: str) -> str:
    from copydesk.clean import clean_html

    return clean_html(page, url).text


def copydesk_text(page: str, url: str) -> str:
    from copydesk.clean import clean_text

    return clean_text(page, url).text


def trafilatura_html(page: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(page, url=url, include_comments=False) or ""


def readability_html(page: str, url: str) -> str:
    import lxml.html
    from readability import Document

    summary = Document(page, url=url).summary(html_partial=True)
    return lxml.html.fromstring(summary).text_content() if summary.strip() else ""


def resiliparse_html(page: str, url: str) -> str:
    from resiliparse.extract.html2text import extract_plain_text

    return extract_plain_text(page, main_content=True)


def keep_everything(page: str, url: str) -> str:
    return page


HTML_EXTRACTORS: dict[str, Extractor] = {
    "copydesk": copydesk_html,
    "trafilatura": trafilatura_html,
    "readability": readability_html,
    "resiliparse": resiliparse_html,
}


def lines_as_html(text: str) -> str:
    """The flattened page as the simplest HTML a peer can read: one ``<p>`` per line."""
    paragraphs = "\n".join(f"<p>{html_lib.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return f"<html><body>\n{paragraphs}\n</body></html>"


def load_inputs(mode: str, page_ids: list[str]) -> dict[str, str]:
    if mode == "html":
        return {pid: read_html(pid).decode("utf-8", errors="replace") for pid in page_ids}
    return {pid: read_text(pid) for pid in page_ids}


def run(
    mode: str, name: str, extract: Extractor, inputs: dict[str, str], urls: dict[str, str], halves: tuple[list[str], list[str]]
) -> Run:
    """One system on every page, back to back as it would run in a worker that is already
    warm: before each half of the pages is timed, the system first reads the other half
    untimed. The halves are split by site, so warming up never shows it the timed sites'
    pages (which would flatter anything that remembers what it saw). Time is CPU time of this
    process: time spent waiting while other people's jobs use the machine is nobody's speed."""
    texts: dict[str, str] = {}
    failed: set[str] = set()
    seconds = 0.0
    for timed, warm_up in ((halves[0], halves[1]), (halves[1], halves[0])):
        for pid in warm_up:
            _extract(extract, inputs[pid], urls[pid])
        started = time.process_time()
        for pid in timed:
            texts[pid], ok = _extract(extract, inputs[pid], urls[pid])
            if not ok:
                failed.add(pid)
        seconds += time.process_time() - started
    return Run(name, mode, texts, seconds, len(failed))


def _extract(extract: Extractor, page: str, url: str) -> tuple[str, bool]:
    """The page's text and whether the system got through it (a failure is an empty text)."""
    try:
        return extract(page, url), True
    except Exception:
        return "", False


def scores_of(texts: dict[str, str], truth: dict[str, dict[str, str]]) -> dict[str, PageScore]:
    return {pid: score_page(truth[pid]["articleBody"], text) for pid, text in texts.items()}


def summary_of(scores: dict[str, PageScore], page_ids: list[str]) -> Summary:
    return summarise([scores[pid] for pid in page_ids if pid in scores])


def format_row(name: str, s: Summary, speed: str, ratio: str, note: str = "") -> str:
    return (
        f"| {name:<34} | {s.pages:>5} | {s.f1:.3f} ± {s.f1_std:.3f} | {s.precision:.3f} | {s.recall:.3f} "
        f"| {speed:>8} | {ratio:>6} | {note} |"
    )


def fastest(rounds: list[Run]) -> Run:
    """The first round's texts with the fastest round's time."""
    return Run(rounds[0].system, rounds[0].mode, rounds[0].texts, min(r.seconds for r in rounds), rounds[0].failures)


def mode_table(
    mode: str, systems: list[str], page_ids: list[str], truth: dict[str, dict[str, str]], rounds: int = 1
) -> list[str]:
    tune, check = split_by_site({pid: truth[pid] for pid in page_ids})
    urls = {pid: truth[pid]["url"] for pid in page_ids}
    inputs = load_inputs(mode, page_ids)
    peer_inputs = inputs if mode == "html" else {pid: lines_as_html(t) for pid, t in inputs.items()}
    extractors = {**HTML_EXTRACTORS, "copydesk": copydesk_html if mode == "html" else copydesk_text}
    turns = [
        [
            run(mode, system, extractors[system], inputs if system == "copydesk" else peer_inputs, urls, (tune, check))
            for system in systems
        ]
        for _ in range(max(rounds, 1))
    ]
    runs = [fastest(list(by_system)) for by_system in zip(*turns, strict=True)]
    baseline = next((r for r in runs if r.system == "trafilatura"), None)
    base_speed = len(baseline.texts) / baseline.seconds if baseline and baseline.seconds else 0.0
    rows = []
    peer_note = "" if mode == "html" else "lines as <p>"
    for r in runs:
        scores = scores_of(r.texts, truth)
        speed = len(r.texts) / r.seconds if r.seconds else 0.0
        ratio = f"{speed / base_speed:.2f}x" if base_speed else "-"
        note = peer_note if r.system != "copydesk" else ""
        if r.failures:
            note = f"{note} {r.failures} failed".strip()
        rows.append(format_row(f"{mode}: {r.system}", summary_of(scores, page_ids), f"{speed:.1f}", ratio, note))
        if r.system == "copydesk":
            rows.append(format_row(f"{mode}: {r.system} (tune sites)", summary_of(scores, tune), "", "", ""))
            rows.append(format_row(f"{mode}: {r.system} (check sites)", summary_of(scores, check), "", "", ""))
    if mode == "text":
        scores = scores_of(inputs, truth)
        rows.append(format_row("text: keep everything", summary_of(scores, page_ids), "", "", ""))
    return rows


def memory_line(mode: str, pages: int, page_ids: list[str], truth: dict[str, dict[str, str]]) -> str:
    import gc

    import psutil

    process = psutil.Process()
    inputs = load_inputs(mode, page_ids)
    extract = copydesk_html if mode == "html" else copydesk_text
    cycle = itertools.cycle(page_ids)
    extract(inputs[page_ids[0]], truth[page_ids[0]]["url"])
    gc.collect()
    start = process.memory_info().rss
    peak = start
    for i in range(pages):
        pid = next(cycle)
        extract(inputs[pid], truth[pid]["url"])
        if i % 500 == 499:
            peak = max(peak, process.memory_info().rss)
    gc.collect()
    end = process.memory_info().rss
    mb = 1024 * 1024
    return (
        f"memory ({mode}, copydesk): RSS {start / mb:.1f} MB at start, {end / mb:.1f} MB after {pages:,} pages "
        f"(peak sampled {max(peak, end) / mb:.1f} MB; {len(page_ids)} pages cycled)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("html", "text", "both"), default="both")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help=f"comma-separated, of {', '.join(SYSTEMS)}")
    parser.add_argument("--pages", type=int, default=0, help="only the first N pages (by id); 0 for all")
    parser.add_argument("--memory-pages", type=int, default=0, help="also report RSS over this many pages")
    parser.add_argument("--rounds", type=int, default=1, help="time each system this many times, the fastest counts")
    args = parser.parse_args(argv)
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = sorted(set(systems) - set(SYSTEMS))
    if unknown:
        parser.error(f"unknown systems: {', '.join(unknown)}")
    truth = load_truth()
    page_ids = sorted(truth)[: args.pages] if args.pages else sorted(truth)
    modes = ("html", "text") if args.mode == "both" else (args.mode,)
    speed = "pages/s (CPU)" if args.rounds <= 1 else f"pages/s (CPU, best of {args.rounds})"
    print(f"| system | pages | F1 ± | P | R | {speed} | vs trafilatura | note |")
    print("|---|---|---|---|---|---|---|---|")
    for mode in modes:
        for row in mode_table(mode, systems, page_ids, truth, args.rounds):
            print(row, flush=True)
    if args.memory_pages:
        for mode in modes:
            print(memory_line(mode, args.memory_pages, page_ids, truth))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
