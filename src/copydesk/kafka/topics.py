"""The topics copydesk reads and writes, created with the settings they need."""

from __future__ import annotations

import asyncio
import time

from aiokafka import TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from copydesk.kafka.security import client_kwargs
from copydesk.settings import Settings

_ALREADY_EXISTS = 36
#: How long a created topic may take to show in the metadata every client sees.
_VISIBLE_WITHIN_S = 30.0


def topic_configs(settings: Settings) -> dict[str, dict[str, str]]:
    """Per topic, the configs that matter: records are keyed by id on a compacted topic so a
    re-delivered article replaces its earlier copy; every topic accepts large pages so that an
    oversized one reaches the worker and is dead-lettered rather than refused unseen."""
    size = str(settings.topic_max_message_bytes)
    return {
        settings.raw_topic: {"max.message.bytes": size},
        settings.enriched_topic: {"max.message.bytes": size, "cleanup.policy": "compact"},
        settings.dead_letter_topic: {"max.message.bytes": size},
        settings.trends_topic: {"cleanup.policy": "compact"},
    }


def _admin(settings: Settings) -> AIOKafkaAdminClient:
    return AIOKafkaAdminClient(**client_kwargs(settings), request_timeout_ms=30000)


async def partitions_of(settings: Settings, topics: list[str]) -> list[TopicPartition]:
    """Every partition of ``topics``; raises when one of them does not exist."""
    admin = _admin(settings)
    await admin.start()
    try:
        # Describing a missing topic asks for its metadata, which a broker that auto-creates
        # topics answers by creating it: a typo would make a topic.
        existing = set(await admin.list_topics())
        if missing := [t for t in topics if t not in existing]:
            raise UnknownTopics(missing)
        return await _describe(admin, topics)
    finally:
        await admin.close()


async def _describe(admin: AIOKafkaAdminClient, topics: list[str]) -> list[TopicPartition]:
    described = await admin.describe_topics(topics)
    missing = [t["topic"] for t in described if t["error_code"] != 0 or not t["partitions"]]
    if missing:
        raise UnknownTopics(missing)
    return [
        TopicPartition(t["topic"], p["partition"])
        for t in described
        for p in sorted(t["partitions"], key=lambda p: p["partition"])
    ]


class UnknownTopics(RuntimeError):
    def __init__(self, topics: list[str]) -> None:
        super().__init__(f"no such topics: {topics}")


async def ensure_topics(settings: Settings) -> list[str]:
    """Create whichever of copydesk's topics are missing; returns the names it created."""
    admin = _admin(settings)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = [
            NewTopic(name, settings.partitions, settings.replication_factor, topic_configs=configs)
            for name, configs in topic_configs(settings).items()
            if name not in existing
        ]
        if not wanted:
            return []
        response = await admin.create_topics(wanted)
        for name, code, *_ in response.topic_errors:
            if code not in (0, _ALREADY_EXISTS):
                raise RuntimeError(f"could not create topic {name!r}: Kafka error code {code}")
        await _visible(admin, [t.name for t in wanted])
        return [t.name for t in wanted]
    finally:
        await admin.close()


async def _visible(admin: AIOKafkaAdminClient, topics: list[str]) -> None:
    """Wait until created topics show with their partitions: the controller answers a create
    before every broker's metadata has it, and a client asking in between hears 'no such topic'."""
    deadline = time.monotonic() + _VISIBLE_WITHIN_S
    while True:
        try:
            await _describe(admin, topics)
            return
        except UnknownTopics:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.1)
