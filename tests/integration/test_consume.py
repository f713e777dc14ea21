"""``copydesk consume`` and ``copydesk lag`` against the real broker, run as users run them."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from dataclasses import replace

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.structs import OffsetAndMetadata

from copydesk.kafka.produce import produce
from copydesk.kafka.security import client_kwargs
from tests.integration.conftest import settings_env


def _copydesk(settings, *args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "copydesk", *args], env=settings_env(settings), capture_output=True, text=True, timeout=60, **kwargs)


def test_consume_shows_a_topic_from_the_beginning_or_its_newest(isolated):
    letters = [(None, orjson.dumps({"reason": "not_json", "message": f"bad {i}", "topic": "raw", "partition": 0, "offset": i})) for i in range(5)]
    asyncio.run(produce(isolated, letters, topic=isolated.dead_letter_topic))

    everything = _copydesk(isolated, "consume", "--topic", "dead-letter", "--from-beginning", "--format", "jsonl")
    assert everything.returncode == 0, everything.stderr
    assert sorted(orjson.loads(line)["message"] for line in everything.stdout.splitlines()) == [f"bad {i}" for i in range(5)]

    newest = _copydesk(isolated, "consume", "--topic", "dead-letter", "-n", "2")
    assert newest.stdout.count("DEAD LETTER  not_json") == 2, newest.stdout

    missing = _copydesk(replace(isolated, enriched_topic=f"{isolated.raw_topic}-missing"), "consume")
    assert missing.returncode == 1 and "no such topics" in missing.stderr
    assert _copydesk(replace(isolated, enriched_topic=f"{isolated.raw_topic}-missing"), "consume").returncode == 1  # not made by asking


def test_consume_follows_new_messages(isolated):
    follower = subprocess.Popen(
        [sys.executable, "-m", "copydesk", "consume", "--topic", "raw", "--follow", "--format", "jsonl"],
        env=settings_env(isolated), stdout=subprocess.PIPE, text=True,
    )
    try:
        asyncio.run(asyncio.sleep(5))  # it is reading by then: a message sent earlier would be shown too
        asyncio.run(produce(isolated, [(None, b'{"url": "https://example.org/late", "text": "late"}')]))
        assert orjson.loads(follower.stdout.readline())["url"] == "https://example.org/late"
    finally:
        follower.terminate()
        follower.wait(timeout=30)


def test_lag_reports_the_groups_committed_offsets(isolated):
    asyncio.run(produce(isolated, [(b"k", b'{"url": "https://example.org/a", "text": "a"}')] * 4))

    async def commit_two() -> TopicPartition:
        consumer = AIOKafkaConsumer(**client_kwargs(isolated), group_id=isolated.group_id, enable_auto_commit=False)
        await consumer.start()
        try:
            partitions = [TopicPartition(isolated.raw_topic, p) for p in range(3)]
            consumer.assign(partitions)  # committing needs an assignment; it joins no group
            tp = next(tp for tp, end in (await consumer.end_offsets(partitions)).items() if end)
            await consumer.commit({tp: OffsetAndMetadata(2, "")})
            return tp
        finally:
            await consumer.stop()

    tp = asyncio.run(commit_two())
    done = _copydesk(isolated, "lag")
    assert done.returncode == 0, done.stderr
    rows = {tuple(line.split()[:2]): line.split()[2:] for line in done.stdout.splitlines()[2:]}
    assert rows[(tp.topic, str(tp.partition))] == ["2", "4", "2"]
    assert done.stdout.splitlines()[-1].split() == ["total", "2"]
