"""A real Kafka for integration tests: the local broker (``copydesk broker up``), or the cluster
``COPYDESK_BROKERS`` names. Each test gets topics and a consumer group of its own."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import fields, replace
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from copydesk.kafka.security import client_kwargs
from copydesk.settings import Settings
from copydesk.kafka.topics import ensure_topics


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def kafka() -> Iterator[Settings]:
    settings = Settings.from_env()
    if settings.brokers:
        yield settings
        return
    from copydesk.kafka.broker import LocalBroker

    broker = LocalBroker(settings)
    was_running = broker.status().running
    broker.up()
    yield settings
    if not was_running:
        broker.down()


@pytest.fixture
def isolated(kafka: Settings) -> Settings:
    """Settings whose topics and consumer group no other test uses, with the topics created."""
    name = f"t{uuid.uuid4().hex[:10]}"
    settings = replace(
        kafka,
        raw_topic=f"{name}.raw",
        enriched_topic=f"{name}.enriched",
        dead_letter_topic=f"{name}.dead-letter",
        trends_topic=f"{name}.trends",
        group_id=f"{name}-group",
        partitions=3,
    )
    asyncio.run(ensure_topics(settings))
    return settings


def settings_env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPYDESK_")}
    env.update({f"COPYDESK_{f.name.upper()}": str(getattr(settings, f.name)) for f in fields(settings)})
    env["COPYDESK_BROKERS"] = settings.bootstrap_servers
    return env


async def lag(settings: Settings) -> int:
    """Messages of the raw topic the group has not committed."""
    consumer = AIOKafkaConsumer(**client_kwargs(settings), group_id=settings.group_id, enable_auto_commit=False)
    await consumer.start()
    try:
        ends = await consumer.end_offsets([TopicPartition(settings.raw_topic, p) for p in range(settings.partitions)])
        return sum([end - (await consumer.committed(tp) or 0) for tp, end in ends.items()])
    finally:
        await consumer.stop()


class Workers:
    """Worker processes of one consumer group, started as users start them."""

    def __init__(self, settings: Settings, log_dir: Path) -> None:
        self.settings = settings
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        log = (self.log_dir / f"worker-{len(self.processes)}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "copydesk", "worker", *args],
            env=settings_env(self.settings), stdout=log, stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        return process

    def stop(self, process: subprocess.Popen[bytes], *, timeout: float = 60.0) -> int:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            return process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in sorted(self.log_dir.glob("worker-*.log")))


@pytest.fixture
def workers(isolated: Settings, tmp_path: Path) -> Iterator[Workers]:
    yield from _pool(isolated, tmp_path)


def _pool(settings: Settings, log_dir: Path) -> Iterator[Workers]:
    """Workers for a test; any it leaves running are killed at the end."""
    pool = Workers(settings, log_dir)
    yield pool
    for process in pool.processes:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.fixture
def own_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A running broker of this test alone (its own home and ports; the jars come from the usual
    cache), for tests that stop and restart it. Settings point at it, topics created."""
    from copydesk.kafka.broker import LocalBroker, free_port_pair

    usual = Settings.from_env()
    home = tmp_path_factory.mktemp("own-broker-home")
    LocalBroker(usual).fetch_jars()
    (home / "jars").symlink_to(usual.home / "jars", target_is_directory=True)
    name = f"t{uuid.uuid4().hex[:10]}"
    settings = replace(
        usual, brokers="", home=home, broker_port=free_port_pair(), raw_topic=f"{name}.raw",
        enriched_topic=f"{name}.enriched", dead_letter_topic=f"{name}.dead-letter", group_id=f"{name}-group",
    )
    broker = LocalBroker(settings)
    broker.up()
    asyncio.run(ensure_topics(settings))
    yield settings
    broker.down()


@pytest.fixture
def own_workers(own_broker: Settings, tmp_path: Path) -> Iterator[Workers]:
    """Worker processes on the test's own broker."""
    yield from _pool(own_broker, tmp_path)
