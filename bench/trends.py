"""What trending entities cost a worker, per article, beside what cleaning it costs, in one run.

Run from the repository root, with the local broker up (``copydesk broker up``) or
``COPYDESK_BROKERS`` set::

    python bench/trends.py                  # 3,000 records of the benchmark pages
    python bench/trends.py --records 1000

The benchmark pages are cleaned once in this process (``route``: parse, clean, enrich, serialise;
its CPU per article is the peer). Their records are put onto a fresh enriched topic twice: cycled
under distinct ids (the same names recur, as they do in news), and with every entity and
keyword made unique to its record (nothing to sum: the counter's worst case). Each time a fresh
``copydesk worker`` with trends on (nothing on its raw topic) splits them into mentions, counts
them in the 1-hour and 1-day window tables and publishes the top N. The worker's CPU from the
first record until every expected count is published, less its idle CPU over as long, divided
by the records, is the trends cost per article.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import fields, replace
from pathlib import Path

import orjson
import psutil
from aiokafka import AIOKafkaConsumer, TopicPartition

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tables import markdown_table  # noqa: E402
from throughput import load_pages  # noqa: E402

from copydesk.analytics.trends import mentions, top  # noqa: E402
from copydesk.kafka.produce import produce  # noqa: E402
from copydesk.kafka.security import client_kwargs  # noqa: E402
from copydesk.kafka.topics import ensure_topics  # noqa: E402
from copydesk.routing import Origin, route  # noqa: E402
from copydesk.settings import Settings  # noqa: E402

TOP_N = 20
IDLE_S = 5.0


def records_of_pages(settings: Settings) -> tuple[list[bytes], float]:
    """The benchmark pages' records, and route's CPU seconds per page."""
    pages = load_pages()
    route(orjson.dumps({"url": pages[0].url, "html": pages[0].html}), None, Origin(), settings)
    cpu = time.process_time()
    outcomes = [route(orjson.dumps({"url": p.url, "html": p.html}), None, Origin(), settings) for p in pages]
    per_page = (time.process_time() - cpu) / len(pages)
    return [o.value for o in outcomes if o.ok], per_page


def env_of(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPYDESK_")}
    env.update({f"COPYDESK_{f.name.upper()}": str(getattr(settings, f.name)) for f in fields(settings)})
    env["COPYDESK_BROKERS"] = settings.bootstrap_servers
    return env


async def published_top(settings: Settings) -> dict[str, int]:
    consumer = AIOKafkaConsumer(settings.trends_topic, **client_kwargs(settings), auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    latest: dict[str, int] = {}
    try:
        while batches := await consumer.getmany(timeout_ms=500):
            for messages in batches.values():
                for message in messages:
                    doc = orjson.loads(message.value)
                    if doc["window"] == "1d":
                        latest[f"{doc['type']}\t{doc['name']}"] = doc["count"]
    finally:
        await consumer.stop()
    return dict(top(latest.items(), TOP_N))


async def messages_on(settings: Settings, topic: str) -> int:
    consumer = AIOKafkaConsumer(**client_kwargs(settings))
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()] or [TopicPartition(topic, p) for p in range(settings.partitions)]
        return sum((await consumer.end_offsets(partitions)).values())
    finally:
        await consumer.stop()


def distinct(doc: dict, n: int) -> dict:
    """The record with every entity and keyword made its own, so no two records share a key: the
    counter's worst case."""
    return {
        **doc,
        "entities": [{**e, "text": f"{e['text']} {n}"} for e in doc["entities"]],
        "keywords": [f"{k} {n}" for k in doc["keywords"]],
    }


def measure(base: Settings, label: str, messages: list[tuple[bytes, bytes]]) -> tuple[str, float, int, float]:
    """A fresh worker counts ``messages``: its trends CPU seconds per article, the messages it
    sent to the counter, and the seconds until every count was published."""
    name = f"bench-trends-{uuid.uuid4().hex[:8]}"
    settings = replace(
        base, raw_topic=f"{name}.raw", enriched_topic=f"{name}.enriched", dead_letter_topic=f"{name}.dead-letter",
        trends_topic=f"{name}.trends", group_id=name, trends_top_n=TOP_N, trends_publish_seconds=1.0,
    )
    asyncio.run(ensure_topics(settings))
    expected: Counter[str] = Counter()
    for _, value in messages:
        for key, count in mentions(value):
            expected[key] += count
    want = dict(top(expected.items(), TOP_N))
    worker = subprocess.Popen([sys.executable, "-m", "copydesk", "worker"], env=env_of(settings), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        process = psutil.Process(worker.pid)
        time.sleep(20)  # joins the group, recovers its (empty) tables
        idle_from, idle_cpu = time.monotonic(), sum(process.cpu_times()[:2])
        time.sleep(IDLE_S)
        idle_rate = (sum(process.cpu_times()[:2]) - idle_cpu) / (time.monotonic() - idle_from)
        began, cpu0 = time.monotonic(), sum(process.cpu_times()[:2])
        asyncio.run(produce(settings, messages, topic=settings.enriched_topic))
        while asyncio.run(published_top(settings)) != want:
            if time.monotonic() - began > 600:
                raise SystemExit("the trends never reached the expected counts")
            time.sleep(0.5)
        wall = time.monotonic() - began
        spent = sum(process.cpu_times()[:2]) - cpu0 - idle_rate * wall
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    return label, spent / len(messages), asyncio.run(messages_on(settings, f"{settings.group_id}-trend-mentions")), wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=3000)
    args = parser.parse_args()
    settings = Settings.from_env()
    values, route_cpu = records_of_pages(settings)
    docs = [orjson.loads(values[n % len(values)]) for n in range(args.records)]
    cycled = [(f"r{n}".encode(), orjson.dumps({**doc, "id": f"r{n}"})) for n, doc in enumerate(docs)]
    own = [(f"r{n}".encode(), orjson.dumps({**distinct(doc, n), "id": f"r{n}"})) for n, doc in enumerate(docs)]

    started = time.process_time()
    for _, value in cycled:
        mentions(value)
    split_cpu = (time.process_time() - started) / len(cycled)
    per_record = sum(len(mentions(v)) for _, v in cycled) / len(cycled)
    runs = [
        measure(settings, f"trends in a worker, the {len(values)} pages' records cycled", cycled),
        measure(settings, "trends in a worker, every entity and keyword its own (worst case)", own),
    ]
    print(f"{len(cycled):,} records, {per_record:.1f} mentions a record; cleaning measured in-process on the same pages\n")
    rows = [["step", "CPU ms / article", "x cleaning", "messages to the counter", "s until all published"]]
    rows.append(["cleaning: route (parse, clean, enrich, serialise), in-process", f"{route_cpu * 1000:.2f}", "1.00", "", ""])
    for label, cpu, sent, wall in runs:
        rows.append([label, f"{cpu * 1000:.2f}", f"{cpu / route_cpu:.2f}", f"{sent:,}", f"{wall:.1f}"])
    rows.append(["the split alone (mentions), in-process", f"{split_cpu * 1000:.3f}", f"{split_cpu / route_cpu:.3f}", "", ""])
    print(markdown_table(rows))


if __name__ == "__main__":
    main()
