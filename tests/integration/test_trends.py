"""Trending entities on a real broker: a worker counts the mentions of records on the enriched
topic in windowed tables and publishes each window's top N; restarted, it goes on from the same
counts (the tables' changelogs are on the broker)."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import replace

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from copydesk.analytics.trends import mentions, top
from copydesk.kafka.demo import example_messages
from copydesk.kafka.security import client_kwargs
from copydesk.routing import Origin, route
from copydesk.settings import Settings

BATCH = 40
#: Every record is stamped at one moment, so all of them fall in the same windows whenever the test runs.
STAMP_MS = 1_780_000_000_000
TOP_N = 5


def records(settings: Settings, batch: int) -> list[tuple[bytes, bytes]]:
    made = [orjson.loads(o.value) for o in (route(v, k, Origin(), settings) for k, v in example_messages()) if o.ok]
    docs = [{**made[n % len(made)], "id": f"b{batch}-{n}"} for n in range(BATCH)]
    return [(doc["id"].encode(), orjson.dumps(doc)) for doc in docs]


async def send(settings: Settings, messages: list[tuple[bytes, bytes]]) -> None:
    producer = AIOKafkaProducer(**client_kwargs(settings), acks="all")
    await producer.start()
    try:
        for key, value in messages:
            await producer.send_and_wait(settings.enriched_topic, value, key=key, timestamp_ms=STAMP_MS)
    finally:
        await producer.stop()


async def published(settings: Settings) -> dict[tuple[str, str, str], int]:
    """The latest count per (window, type, name) on the trends topic."""
    consumer = AIOKafkaConsumer(settings.trends_topic, **client_kwargs(settings), auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    latest: dict[tuple[str, str, str], int] = {}
    try:
        while True:
            batches = await consumer.getmany(timeout_ms=1000)
            if not batches:
                return latest
            for messages in batches.values():
                for message in messages:
                    doc = orjson.loads(message.value)
                    latest[(doc["window"], doc["type"], doc["name"])] = doc["count"]
    finally:
        await consumer.stop()


def expected_top(batches: int, settings: Settings) -> dict[tuple[str, str], int]:
    counts: Counter[str] = Counter()
    for _, value in records(settings, 0):
        for key, n in mentions(value):
            counts[key] += n * batches
    return {tuple(key.split("\t", 1)): n for key, n in top(counts.items(), TOP_N)}


def wait_for_top(settings: Settings, want: dict[tuple[str, str], int], workers, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while True:
        got = asyncio.run(published(settings))
        leaders = dict(top([((t, n), c) for (w, t, n), c in got.items() if w == "1d"], TOP_N))
        hourly = {(t, n): c for (w, t, n), c in got.items() if w == "1h"}
        if leaders == want and all(hourly.get(key) == count for key, count in want.items()):
            return
        assert time.monotonic() < deadline, f"trends never reached {want}; got {leaders}\n{workers.logs()}"
        time.sleep(1)


def ready(workers, process, timeout: float = 120) -> None:
    log = workers.log_dir / f"worker-{workers.processes.index(process)}.log"
    deadline = time.monotonic() + timeout
    while "Ready" not in log.read_text(errors="replace"):
        assert process.poll() is None and time.monotonic() < deadline, workers.logs()
        time.sleep(0.2)


def test_trend_counts_survive_a_worker_restart(workers):
    settings = replace(workers.settings, trends_top_n=TOP_N, trends_publish_seconds=0.5)
    workers.settings = settings
    asyncio.run(send(settings, records(settings, 1)))
    first = workers.start()
    wait_for_top(settings, expected_top(1, settings), workers)
    assert workers.stop(first) == 0

    second = workers.start()
    # Records sent while the worker is still joining may be redelivered by a rebalance (at least
    # once) and counted twice; this test is about the counts a restart keeps.
    ready(workers, second)
    asyncio.run(send(settings, records(settings, 2)))
    wait_for_top(settings, expected_top(2, settings), workers)
    assert workers.stop(second) == 0
