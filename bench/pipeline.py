"""The whole pipeline, enrichment included, against trafilatura's extraction alone: one table.

Run from the repository root::

    python bench/pipeline.py            # all 181 shared pages, html and text messages
    python bench/pipeline.py --rounds 3

Each shared page becomes a raw message (JSON bytes, as a scraper would send it) and goes through
``copydesk.routing.route`` exactly as in ``copydesk process`` and the worker: parse and check,
clean, enrich, serialise the record. trafilatura extracts the same pages in the same process.
Speed is pages per second of this process's CPU time, so ratios hold on a busy machine; the
best of ``--rounds`` rounds counts for every system alike.

A second table counts start-up too, as a user of ``copydesk process`` pays it: each system runs
in a fresh process over all the pages once (``copydesk process`` on the messages as a JSONL
file; trafilatura reading the same file and extracting each page), and its whole CPU time
(user and system, imports and model loading included, every cache cold) counts, the best of
``--rounds`` runs.

``--stages`` prints instead where ``route``'s time goes: each stage's CPU ms a page, on the
first pass over the pages (every cache cold, as on pages never seen before) and the best of
the later ``--rounds``. Stages a tree does not have are left out, so the same script times an
older commit run with its ``src`` on ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
import importlib
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
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


def extract_file(path: str) -> None:
    """trafilatura over every page of a JSONL file of HTML messages: the peer of ``copydesk
    process`` with start-up included (run in a fresh process by ``whole_run``)."""
    import trafilatura

    with open(path, "rb") as lines:
        for line in lines:
            message = orjson.loads(line)
            trafilatura.extract(message["html"], url=message["url"], include_comments=False)


def whole_run(command: list[str], rounds: int) -> float:
    """CPU seconds (user and system) of a fresh process running ``command``, the best of ``rounds``."""
    best = float("inf")
    for _ in range(rounds):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best = min(best, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return best


def startup_included(html_messages: list[bytes], text_messages: list[bytes], rounds: int) -> None:
    """The table with start-up: each system in a fresh process over all pages once."""
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for name, messages in (("html", html_messages), ("text", text_messages)):
            files[name] = f"{folder}/{name}.jsonl"
            with open(files[name], "wb") as out:
                out.writelines(message + b"\n" for message in messages)
        process = [sys.executable, "-m", "copydesk", "process", "-o", "/dev/null", "--dead-letter", "/dev/null"]
        rows = [
            ("trafilatura.extract (html, extraction only)", whole_run([sys.executable, __file__, "--extract-file", files["html"]], rounds)),
            ("copydesk process, html messages", whole_run([*process, files["html"]], rounds)),
            ("copydesk process, text messages", whole_run([*process, files["text"]], rounds)),
        ]
    pages = len(html_messages)
    reference = pages / rows[0][1]
    print(f"\nstart-up included: a fresh process over the {pages} pages once, CPU time (user+system), best of {rounds}")
    print(f"{'system':<46} {'CPU s':>8} {'pages/s':>8} {'vs trafilatura':>15}")
    for name, seconds in rows:
        print(f"{name:<46} {seconds:>8.2f} {pages / seconds:>8.1f} {pages / seconds / reference:>14.2f}x")


#: What ``--stages`` times, as (module, attribute) where the pipeline looks each up when it runs:
#: the message's parsing, cleaning and enrichment, then the steps of each (stages nest).
STAGES = (
    ("copydesk.pipeline", "parse_raw"), ("copydesk.pipeline", "clean_html"), ("copydesk.pipeline", "clean_text"),
    ("copydesk.pipeline", "enrich"),
    ("copydesk.clean.html", "_guarded"), ("copydesk.clean.html", "LexborHTMLParser"), ("copydesk.clean.html", "read_metadata"),
    ("copydesk.clean.html", "cut_furniture"), ("copydesk.clean.html", "mark_furniture"), ("copydesk.clean.html", "page_blocks"),
    ("copydesk.clean.html", "article_region"), ("copydesk.clean.html", "verdicts"), ("copydesk.clean.html", "block_features"),
    ("copydesk.clean.context", "StagedModel.probabilities"), ("copydesk.clean.html", "cut"),
    ("copydesk.clean.html", "page_features"), ("copydesk.clean.html", "page_type_and_confidence"),
    ("copydesk.clean.text", "analyse_text"), ("copydesk.clean.text", "line_features"),
    ("copydesk.clean.text", "LineModel.probabilities"), ("copydesk.clean.text", "_removed"),
    ("copydesk.enrich", "tokenize"), ("copydesk.enrich", "detect"), ("copydesk.enrich", "page_facts"),
    ("copydesk.enrich", "find_entities"), ("copydesk.enrich", "find_keywords"), ("copydesk.enrich", "body_sentiment"),
    ("copydesk.enrich", "find_quotes"), ("copydesk.enrich", "_dates"), ("copydesk.enrich", "lead_summary"),
    ("copydesk.enrich", "flesch_kincaid_grade"), ("copydesk.enrich", "fingerprint"),
)


def timed_stages(totals: dict[str, float]) -> list[str]:
    """Wrap each stage of ``STAGES`` this tree has so that its CPU seconds add up in ``totals``;
    the names of those stages, in order."""
    names = []
    for module_name, attribute in STAGES:
        try:
            owner: object = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        *path, last = attribute.split(".")
        for part in path:
            owner = getattr(owner, part, None)
        work = getattr(owner, last, None)
        if work is None:
            continue
        name = f"{module_name.removeprefix('copydesk.')}.{attribute}"

        def timed(*args: object, _work: Callable[..., object] = work, _name: str = name, **kwargs: object) -> object:
            started = time.thread_time()
            try:
                return _work(*args, **kwargs)
            finally:
                totals[_name] += time.thread_time() - started

        setattr(owner, last, timed)
        names.append(name)
    return names


def stages(messages: dict[str, list[bytes]], rounds: int) -> None:
    """Each stage's CPU ms a page: on the first pass (cold caches) and the best later round."""
    settings, origin = Settings(), Origin(file="bench", line=0)
    totals: dict[str, float] = defaultdict(float)
    names = timed_stages(totals)
    route(messages["html"][0], None, origin, settings)  # loads the models, as a worker's warm-up does
    for mode, batch in messages.items():
        passes = []
        for _ in range(rounds + 1):
            totals.clear()
            started = time.thread_time()
            for message in batch:
                route(message, None, origin, settings)
            passes.append({"route": time.thread_time() - started, **totals})
        print(f"\n{mode} messages: CPU ms a page over {len(batch)} pages, first pass (cold) and best of {rounds} more (warm)")
        print(f"{'stage':<46} {'cold':>8} {'warm':>8}")
        for name in ("route", *names):
            if name in passes[0]:
                warm = min(done.get(name, 0.0) for done in passes[1:])
                print(f"{name:<46} {passes[0][name] * 1000 / len(batch):>8.3f} {warm * 1000 / len(batch):>8.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--startup-rounds", type=int, default=2, help="fresh-process runs for the start-up table (0: none)")
    parser.add_argument("--extract-file", help=argparse.SUPPRESS)  # the trafilatura side of that table
    parser.add_argument("--stages", action="store_true", help="where route's time goes, stage by stage, cold and warm")
    args = parser.parse_args(argv)
    if args.extract_file:
        extract_file(args.extract_file)
        return 0
    if args.stages:
        truth = load_truth()
        stages({"html": raw_messages("html", truth), "text": raw_messages("text", truth)}, args.rounds)
        return 0

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
    if args.startup_rounds:
        startup_included(html_messages, text_messages, args.startup_rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
