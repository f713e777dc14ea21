"""The whole pipeline, enrichment included, against trafilatura's extraction alone: one table.

Run from the repository root::

    python bench/pipeline.py            # all 181 shared pages, html and text messages
    python bench/pipeline.py --rounds 3

Each shared page becomes a raw message (JSON bytes, as a scraper would send it) and goes through
``copydesk.routing.route`` exactly as in ``copydesk process`` and the worker: parse and check,
clean, enrich, serialise the record. trafilatura extracts the same pages in the same process.
Speed is pages per second of this process's CPU time, so ratios hold on a busy machine; the
best of ``--rounds`` rounds counts for every system alike.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scoring import load_truth, read_html, read_text  # noqa: E402

from copydesk.routing import Origin, route  # noqa: E402
from copydesk.settings import Settings  # noqa: E402


def raw_messages(field: str, truth: dict[str, dict[str, str]]) -> list[bytes]:
    read = (lambda pid: read_html(pid).decode("utf-8")) if field == "html" else read_text
    return [orjson.dumps({"id": pid, "url": truth[pid]["url"], field: read(pid)}) for pid in sorted(truth)]


def cpu_per_page(work: Callable[[object], object], items: list, rounds: int) -> list[float]:
    """Per-item CPU seconds, the best of ``rounds`` for each item."""
    best = [float("inf")] * len(items)
    for _ in range(rounds):
        for i, item in enumerate(items):
            started = time.thread_time()
            work(item)
            best[i] = min(best[i], time.thread_time() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)

    import trafilatura

    truth = load_truth()
    settings = Settings()
    origin = Origin(file="bench", line=0)
    pages = [read_html(pid).decode("utf-8") for pid in sorted(truth)]
    urls = [truth[pid]["url"] for pid in sorted(truth)]
    html_messages, text_messages = raw_messages("html", truth), raw_messages("text", truth)
    # Warm every system up once (first calls load models, gazetteers and caches).
    route(html_messages[0], None, origin, settings)
    trafilatura.extract(pages[0], url=urls[0], include_comments=False)

    def pipeline(message: object) -> object:
        return route(message, None, origin, settings)  # type: ignore[arg-type]

    def extract(i: object) -> object:
        return trafilatura.extract(pages[i], url=urls[i], include_comments=False)  # type: ignore[index]

    rows = [
        ("trafilatura.extract (html, extraction only)", cpu_per_page(extract, list(range(len(pages))), args.rounds)),
        ("copydesk pipeline, html messages", cpu_per_page(pipeline, html_messages, args.rounds)),
        ("copydesk pipeline, text messages", cpu_per_page(pipeline, text_messages, args.rounds)),
    ]
    reference = len(rows[0][1]) / sum(rows[0][1])
    print(f"whole pipeline vs extraction alone, {len(pages)} shared pages, one core, CPU time, best of {args.rounds}")
    print(f"{'system':<46} {'pages/s':>8} {'median ms':>10} {'p90 ms':>8} {'vs trafilatura':>15}")
    for name, seconds in rows:
        rate = len(seconds) / sum(seconds)
        ms = sorted(s * 1000 for s in seconds)
        print(f"{name:<46} {rate:>8.1f} {statistics.median(ms):>10.2f} {ms[int(len(ms) * 0.9)]:>8.2f} {rate / reference:>14.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
