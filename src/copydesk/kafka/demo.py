"""``copydesk demo``: a local broker, one worker, the example pages in, the records shown."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any


from copydesk.kafka.produce import Message, page_message, produce
from copydesk.kafka.results import Result, ResultReader
from copydesk.settings import Settings
from copydesk.kafka.topics import ensure_topics

#: A message no worker can use, so the demo shows a dead letter too.
BROKEN_MESSAGE: Message = (b"demo-broken", b'{"url": "https://demo.example/broken", "html": 42}')
WAIT_SECONDS = 120.0


def example_messages() -> list[Message]:
    examples = resources.files("copydesk.examples")
    messages = []
    for entry in sorted(examples.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".html", ".txt")):
            with resources.as_file(entry) as path:
                messages.append((None, page_message(path, url=f"https://demo.example/{path.stem}")))
    return [*messages, BROKEN_MESSAGE]


def run_demo(settings: Settings) -> int:
    started_broker = False
    if not settings.brokers:
        from copydesk.kafka.broker import BrokerError, LocalBroker

        broker = LocalBroker(settings)
        started_broker = not broker.status().running
        print("Starting the local Kafka broker (the first run downloads its jars)..." if started_broker else "Using the running local broker.", flush=True)
        try:
            status = broker.up()
        except BrokerError as exc:
            print(f"copydesk demo: {exc}", file=sys.stderr)
            return 1
        print(f"Kafka {status.version} at {status.bootstrap} (log: {status.log_path})", flush=True)
    worker = None
    try:
        asyncio.run(ensure_topics(settings))
        log_path = settings.home / "demo-worker.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("ab") as log:
            worker = subprocess.Popen([sys.executable, "-m", "copydesk", "worker"], stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy())
        print(f"Started a worker (pid {worker.pid}, log: {log_path}).", flush=True)
        messages = example_messages()
        results = asyncio.run(_send_and_collect(settings, messages))
        for topic, doc in results:
            print(render_record(doc) if topic == settings.enriched_topic else render_dead_letter(doc), flush=True)
        missing = len(messages) - len(results)
        if missing > 0:  # more results than messages: raw messages an earlier run left behind
            print(f"copydesk demo: {missing} of {len(messages)} messages got no result within {WAIT_SECONDS:.0f}s; see {log_path}", file=sys.stderr)
            return 1
        return write_analytics(settings, settings.home / "demo-lake")
    finally:
        if worker is not None:
            _stop(worker)
        if started_broker:
            broker.down()
            print("Stopped the local broker.", flush=True)


def write_analytics(settings: Settings, lake: Path) -> int:
    """The analyst's path for the demo's output: the Parquet sink (a group of the demo's own, so a
    real sink's offsets are left alone), then the report."""
    from copydesk.analytics.parquet import FolderError, Roll, claim
    from copydesk.analytics.report import write_report
    from copydesk.kafka.sink import run_sink

    print("Writing the records and dead letters to Parquet...", flush=True)
    try:
        with claim(lake):
            counts = asyncio.run(
                run_sink(
                    replace(settings, sink_group_id=f"{settings.sink_group_id}-demo"), lake,
                    roll=Roll(max_bytes=settings.sink_roll_bytes, max_seconds=3600.0),
                    dead_letters=True, until_caught_up=True, progress=lambda line: None,
                )
            )
    except FolderError as exc:
        print(f"copydesk demo: {exc}", file=sys.stderr)
        return 1
    report = write_report(lake, lake / "report.html")
    print(
        f"\nParquet: {counts.records} records and {counts.dead_letters} dead letters added to {lake}\n"
        f"Report:  {report} (open it in a browser)\n"
        f"Query:   copydesk query {lake}",
        flush=True,
    )
    return 0


async def _send_and_collect(settings: Settings, messages: list[Message]) -> list[Result]:
    async with ResultReader(settings) as reader:
        await produce(settings, messages)
        print(f"Produced {len(messages)} raw messages to {settings.raw_topic}; waiting for the worker...\n", flush=True)
        return await reader.collect(len(messages), timeout=WAIT_SECONDS)


def _stop(worker: subprocess.Popen[bytes]) -> None:
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
    print("Stopped the worker.", flush=True)


def render_record(doc: dict[str, Any]) -> str:
    line = "─" * 78
    facts = [doc["source"], doc.get("site_name"), _language(doc), _joined("by ", doc["authors"]), doc["published_at"]]
    entities = [f"{e['text']} ({e['type']}, {e['count']})" for e in (doc["entities"] or [])[:8]]
    removed = Counter(r["label"] for r in doc["removed"])
    parts = [
        line,
        f"  {doc['title'] or '(no title)'}",
        f"  {' · '.join(f for f in facts if f)}",
        *([f"  {doc['dek']}"] if doc["dek"] else []),
        "",
        f"  {doc['word_count']} words, {doc['reading_time_s']}s to read, sentiment " + ("n/a" if doc["sentiment"] is None else f"{doc['sentiment']:+.2f}"),
        *_labelled("entities", entities),
        *_labelled("keywords", (doc["keywords"] or [])[:8]),
        *_labelled("quotes", [f"“{q['text'][:90]}” — {q['speaker'] or '?'}" for q in (doc["quotes"] or [])[:4]]),
        *_labelled("dates", [f"{d['text']} → {d['date']}" for d in (doc["dates"] or [])[:6]]),
        *_labelled("summary", [doc["summary"][:300]] if doc["summary"] else []),
        f"  removed  {sum(removed.values())} blocks: " + ", ".join(f"{label} {n}" for label, n in removed.most_common()),
        "",
        *(f"  │ {paragraph[:160]}{'…' if len(paragraph) > 160 else ''}" for paragraph in doc["text"].split("\n\n")),
        "",
    ]
    return "\n".join(parts)


def render_dead_letter(doc: dict[str, Any]) -> str:
    return f"{'─' * 78}\n  DEAD LETTER  {doc['reason']}: {doc['message']}\n  from {doc.get('topic')} partition {doc.get('partition')} offset {doc.get('offset')}\n"


def _language(doc: dict[str, Any]) -> str:
    return f"{doc['language']} ({doc.get('language_confidence', 0):.2f})" if doc["language"] else ""


def _joined(prefix: str, items: Iterable[str]) -> str:
    items = list(items)
    return prefix + ", ".join(items) if items else ""


def _labelled(label: str, items: list[str]) -> list[str]:
    return [f"  {label:<8} {'; '.join(items)}"] if items else []

