"""Issue 11's reproducers through a real worker and broker: no message stops a partition. Each
poison pill becomes one dead letter and the message behind it in the same partition is processed;
a result the broker refuses becomes a smaller dead letter, or is skipped by the documented policy;
topics that break copydesk's promises are reported on start, or refused; faust's own environment
variables change nothing."""

from __future__ import annotations

import asyncio
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import hypothesis
import orjson
import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from hypothesis import strategies as st

from copydesk.kafka.produce import Message, produce
from copydesk.kafka.results import Result, ResultReader
from copydesk.routing import Origin, route
from copydesk.settings import Settings
from tests.integration.conftest import Workers, lag
from tests.unit.test_poison_pills import SMALL, hostile

PROSE = "The harbour authority said on Tuesday that the old swing bridge will close for repairs next spring. " * 6
#: Topics this small keep the messages near their limit cheap to send.
LIMIT = 4 * 1024 * 1024
WAIT_S = 120.0


def good(n: int) -> bytes:
    return orjson.dumps({"id": f"good-{n}", "url": f"https://news.example.com/{n}", "text": PROSE})


def deep_field(depth: int) -> bytes:
    return b'{"id":"deep","url":"https://news.example.com/p","text":"%s","x":%s%s}' % (PROSE.encode(), b"[" * depth, b"]" * depth)


def just_under(settings: Settings) -> bytes:
    """A message whose record alone is 60 bytes under the topic's limit: with its key and the
    batch's overhead it is over it."""

    def message(pad: int) -> bytes:
        return orjson.dumps({"id": "edge", "url": "https://news.example.com/edge", "text": PROSE, "pad": "x" * pad})

    roomy = replace(settings, topic_max_message_bytes=2 * LIMIT)
    record = route(message(1_000), None, Origin(), roomy)
    assert record.ok
    return message(1_000 + settings.topic_max_message_bytes - 60 - len(record.value))


async def create(settings: Settings, configs: dict[str, dict[str, str]]) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, 1, 1, topic_configs=c) for name, c in configs.items()])
    finally:
        await admin.close()


async def alter(settings: Settings, topic: str, configs: dict[str, str]) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers)
    await admin.start()
    try:
        await admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, topic, configs)])
    finally:
        await admin.close()


def own_topics(kafka: Settings, **changes: object) -> Settings:
    name = f"t{uuid.uuid4().hex[:10]}"
    return replace(kafka, raw_topic=f"{name}.raw", enriched_topic=f"{name}.enriched", dead_letter_topic=f"{name}.dead-letter",
                   group_id=f"{name}-group", partitions=1, **changes)


async def send_and_collect(settings: Settings, messages: list[Message], count: int) -> list[Result]:
    async with ResultReader(settings) as reader:
        await produce(settings, messages)
        return await reader.collect(count, timeout=WAIT_S)


async def committed_all(settings: Settings) -> int:
    deadline = time.monotonic() + 30
    while (remaining := await lag(settings)) and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
    return remaining


def sized_topics(kafka: Settings, limit: int, **changes: object) -> Settings:
    """Settings for topics of this test alone, one partition each, that take ``limit`` bytes."""
    settings = own_topics(kafka, topic_max_message_bytes=limit, **changes)
    size = {"max.message.bytes": str(limit)}
    asyncio.run(create(settings, {settings.raw_topic: size, settings.enriched_topic: {**size, "cleanup.policy": "compact"}, settings.dead_letter_topic: size}))
    return settings


@contextmanager
def worker_on(settings: Settings, log_dir: Path, *args: str) -> Iterator[Workers]:
    pool = Workers(settings, log_dir)
    try:
        pool.start(*args)
        yield pool
    finally:
        for process in pool.processes:
            if process.poll() is None:
                pool.stop(process)


def one_result_each(pool: Workers, settings: Settings, messages: list[Message], *, sender: Settings | None = None) -> list[Result]:
    """Send ``messages``; each gets its result, the worker lives, and every offset is committed."""
    results = asyncio.run(send_and_collect(sender or settings, messages, len(messages)))
    assert pool.processes[0].poll() is None, pool.logs()
    assert len(results) == len(messages), pool.logs()
    assert asyncio.run(committed_all(settings)) == 0
    return results


def full_logs(workers: Workers) -> str:
    return "\n".join(p.read_text(errors="replace") for p in sorted(workers.log_dir.glob("worker-*.log")))


def wait_for_log(workers: Workers, text: str, timeout: float = 60.0) -> str:
    deadline = time.monotonic() + timeout
    while text not in (logs := full_logs(workers)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return logs


def test_poison_pills_never_stop_a_partition(kafka, tmp_path, monkeypatch):
    settings = sized_topics(kafka, LIMIT)
    # faust's own variables, as a Celery deployment sets them: neither may change the worker.
    monkeypatch.setenv("BROKER_URL", "kafka://127.0.0.1:1")
    monkeypatch.setenv("APP_WEB_ENABLED", "true")
    huge_key = b"K" * (LIMIT - 4_096)
    # One partition: each pill is followed by a good message that must get through behind it.
    messages: list[Message] = [
        (b"deep", deep_field(300)), (b"a", good(1)),
        (huge_key, b""), (b"b", good(2)),
        (b"edge", just_under(settings)), (b"c", good(3)),
        (b"deepest", deep_field(1_000)), (b"d", good(4)),
    ]
    with worker_on(settings, tmp_path) as pool:
        results = one_result_each(pool, settings, messages)
    records = sorted(doc["id"] for topic, doc in results if topic == settings.enriched_topic)
    letters = [doc for topic, doc in results if topic == settings.dead_letter_topic]
    assert records == ["good-1", "good-2", "good-3", "good-4"]
    assert [d["reason"] for d in letters] == ["unserialisable", "empty_body", "too_large", "unserialisable"]
    assert letters[1]["key_length"] == len(huge_key) and letters[1]["key_truncated"]
    assert "ignoring APP_WEB_ENABLED, BROKER_URL" in full_logs(pool)
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", 6066)) != 0, "faust's web server is listening"


def test_what_the_broker_refuses_becomes_smaller_or_is_skipped(kafka, tmp_path):
    # The worker believes the topics take 32 MB; they take far less.
    settings = own_topics(kafka)
    asyncio.run(create(settings, {
        settings.raw_topic: {"max.message.bytes": str(LIMIT)},
        settings.enriched_topic: {"max.message.bytes": "100000", "cleanup.policy": "compact"},
        settings.dead_letter_topic: {"max.message.bytes": "4000"},
    }))
    big = orjson.dumps({"id": "big", "url": "https://news.example.com/big", "text": PROSE * 300})
    with worker_on(settings, tmp_path) as pool:
        # Refused as a record and as a dead letter (value of 64 kB): a bare dead letter arrives.
        [(topic, letter)] = asyncio.run(send_and_collect(settings, [(b"big", big)], 1))
        assert topic == settings.dead_letter_topic and letter["reason"] == "too_large", pool.logs()
        assert letter["value"] is None and letter["value_length"] == len(big)
        [(topic, record)] = asyncio.run(send_and_collect(settings, [(b"a", good(1))], 1))
        assert (topic, record["id"]) == (settings.enriched_topic, "good-1")
        # Now not even a bare dead letter fits: the message is logged, counted and skipped.
        asyncio.run(alter(settings, settings.dead_letter_topic, {"max.message.bytes": "200"}))
        time.sleep(1)
        results = asyncio.run(send_and_collect(settings, [(b"big", big), (b"b", good(2))], 1))
        assert [(t, d["id"]) for t, d in results] == [(settings.enriched_topic, "good-2")], pool.logs()
        assert asyncio.run(committed_all(settings)) == 0
        assert pool.processes[0].poll() is None, pool.logs()
    logs = full_logs(pool)
    assert "max.message.bytes" in logs  # the topic check said so on start
    assert "1 skipped since start" in logs


@pytest.mark.parametrize("check, args", [("warn", ()), ("refuse", ()), ("refuse", ("--processes", "2"))])
def test_an_enriched_topic_that_is_not_compacted_is_reported(kafka, tmp_path, check, args):
    settings = own_topics(kafka, topic_check=check)
    size = {"max.message.bytes": str(settings.topic_max_message_bytes)}
    asyncio.run(create(settings, {settings.raw_topic: size, settings.enriched_topic: {**size, "cleanup.policy": "delete"}, settings.dead_letter_topic: size}))
    with worker_on(settings, tmp_path, *args) as pool:
        process = pool.processes[0]
        if check == "refuse":
            # A supervisor stops, rather than restarting workers that will refuse again.
            assert process.wait(timeout=90) == 2
            assert "not starting" in full_logs(pool)
        else:
            logs = wait_for_log(pool, "cleanup.policy='delete'")
            assert process.poll() is None and "cleanup.policy='delete'" in logs, logs


def test_the_local_broker_creates_no_topic_on_its_own(kafka):
    name = f"t{uuid.uuid4().hex[:10]}.nobody"

    async def ask() -> list[str]:
        admin = AIOKafkaAdminClient(bootstrap_servers=kafka.bootstrap_servers)
        await admin.start()
        try:
            await admin.describe_topics([name])  # a metadata request for it
            return await admin.list_topics()
        finally:
            await admin.close()

    if kafka.brokers:
        pytest.skip("COPYDESK_BROKERS names a cluster copydesk did not configure")
    assert name not in asyncio.run(ask())


def examples(strategy: st.SearchStrategy[Message], count: int) -> list[Message]:
    drawn: list[Message] = []

    @hypothesis.settings(max_examples=count, database=None, phases=[hypothesis.Phase.generate], deadline=None, suppress_health_check=list(hypothesis.HealthCheck))
    @hypothesis.given(strategy)
    def keep(message: Message) -> None:
        drawn.append(message)

    keep()
    return drawn


def test_generated_hostile_messages_get_one_result_each_and_no_worker_exits(kafka, tmp_path):
    """Messages nested to every depth up to orjson's limit, huge keys and records around the
    topic's limit (``tests.unit.test_poison_pills.hostile``), through a real worker."""
    limit = SMALL.topic_max_message_bytes
    settings = own_topics(kafka, topic_max_message_bytes=limit)
    # The raw topic takes three times what the output topics do, so that every drawn message can
    # be sent: a key of up to the limit and a record of about it, with their framing, pass twice it.
    size = {"max.message.bytes": str(limit)}
    asyncio.run(create(settings, {settings.raw_topic: {"max.message.bytes": str(3 * limit)}, settings.enriched_topic: {**size, "cleanup.policy": "compact"}, settings.dead_letter_topic: size}))
    messages = examples(hostile(), 40)
    with worker_on(settings, tmp_path) as pool:
        one_result_each(pool, settings, messages, sender=replace(settings, topic_max_message_bytes=3 * limit))
