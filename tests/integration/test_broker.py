"""The local broker for real: a JVM running Apache Kafka in a home and on ports of its own, so the
broker other tests share is left alone. Its jars come from the usual cache, fetched once."""

from __future__ import annotations

import asyncio
import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from copydesk.kafka.broker import LocalBroker, free_port_pair
from copydesk.settings import Settings

pytestmark = pytest.mark.integration

Record = tuple[bytes | None, bytes]


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalBroker]:
    usual = Settings.from_env()
    home = tmp_path_factory.mktemp("copydesk-home")
    (usual.home / "jars").mkdir(parents=True, exist_ok=True)
    (home / "jars").symlink_to(usual.home / "jars", target_is_directory=True)
    local = LocalBroker(replace(usual, brokers="", home=home, broker_port=free_port_pair()))
    yield local
    local.down()


async def send(broker: LocalBroker, topic: str, records: list[Record]) -> None:
    await create_topic(broker, topic)
    producer = AIOKafkaProducer(
        bootstrap_servers=broker.status().bootstrap,
        acks="all",
        enable_idempotence=True,
        max_request_size=broker.settings.topic_max_message_bytes,
    )
    await producer.start()
    try:
        for key, value in records:
            # One partition, so that records come back in the order they were sent.
            await producer.send_and_wait(topic, value, key=key, partition=0)
    finally:
        await producer.stop()


async def create_topic(broker: LocalBroker, topic: str) -> None:
    """The broker creates no topic on its own (``auto.create.topics.enable=false``)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=broker.status().bootstrap)
    await admin.start()
    try:
        if topic not in await admin.list_topics():
            await admin.create_topics([NewTopic(topic, 1, 1)])
    finally:
        await admin.close()


async def receive(broker: LocalBroker, topic: str, count: int, *, group: str, commit: bool = False) -> list[Record]:
    """The first ``count`` records the group has not consumed yet."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=broker.status().bootstrap,
        group_id=group,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        max_partition_fetch_bytes=broker.settings.topic_max_message_bytes,
        fetch_max_bytes=broker.settings.topic_max_message_bytes,
    )
    await consumer.start()
    try:
        got: list[ConsumerRecord] = []
        while len(got) < count:
            batches = await asyncio.wait_for(consumer.getmany(timeout_ms=1000), 60)
            got.extend(m for messages in batches.values() for m in messages)
        got = got[:count]
        if commit:
            last = got[-1]
            await consumer.commit({TopicPartition(last.topic, last.partition): last.offset + 1})
        return [(m.key, m.value) for m in got]
    finally:
        await consumer.stop()


def test_two_command_lines_at_once_start_one_broker_that_outlives_them(broker: LocalBroker):
    env = {**os.environ, "COPYDESK_HOME": str(broker.settings.home), "COPYDESK_BROKER_PORT": str(broker.settings.broker_port)}
    env.pop("COPYDESK_BROKERS", None)
    command = [sys.executable, "-m", "copydesk", "broker", "up"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    status = broker.status()
    assert status.running
    assert all(f"pid {status.pid}" in stdout for stdout, _ in outputs), outputs
    again = broker.up()
    assert again.pid == status.pid and again.running
    assert again.bootstrap == f"127.0.0.1:{broker.settings.broker_port}"
    assert "Kafka Server started" in status.log_path.read_text(encoding="utf-8", errors="replace")


def test_produce_consume_round_trip(broker: LocalBroker):
    broker.up()
    records = [(f"k{i}".encode(), f"article {i}".encode()) for i in range(5)]
    asyncio.run(send(broker, "round-trip", records))
    assert asyncio.run(receive(broker, "round-trip", 5, group="round-trip")) == records


def test_a_20_mb_message_is_accepted(broker: LocalBroker):
    broker.up()
    big = os.urandom(20 * 1024 * 1024)
    asyncio.run(send(broker, "big", [(b"big", big)]))
    [(key, value)] = asyncio.run(receive(broker, "big", 1, group="big"))
    assert key == b"big" and hashlib.sha256(value).digest() == hashlib.sha256(big).digest()


def test_down_then_up_keeps_topics_messages_and_offsets(broker: LocalBroker):
    broker.up()
    records = [(None, f"before restart {i}".encode()) for i in range(3)]
    asyncio.run(send(broker, "restart", records))
    assert asyncio.run(receive(broker, "restart", 2, group="restart", commit=True)) == records[:2]
    before = broker.status()

    broker.down()
    stopped = broker.status()
    assert not stopped.running and stopped.pid is None
    assert stopped.log_path == before.log_path and stopped.log_path.is_file()
    assert stopped.data_dir.is_dir()
    broker.down()  # stopping a stopped broker does nothing

    after = broker.up()
    assert after.running and after.pid != before.pid
    assert asyncio.run(receive(broker, "restart", 1, group="restart")) == records[2:]
    assert asyncio.run(receive(broker, "restart", 3, group="restart-fresh")) == records


def test_a_killed_broker_reads_as_stopped_and_restarts_with_its_data(broker: LocalBroker):
    broker.up()
    records = [(None, f"before crash {i}".encode()) for i in range(3)]
    asyncio.run(send(broker, "crash", records))
    crashed = broker.status().pid
    assert crashed is not None
    os.kill(crashed, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while broker.status().running and time.monotonic() < deadline:
        time.sleep(0.1)
    stale = broker.status()
    assert not stale.running and stale.pid is None

    after = broker.up()
    assert after.running and after.pid != crashed
    assert asyncio.run(receive(broker, "crash", 3, group="crash")) == records
