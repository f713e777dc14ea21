"""The topics copydesk reads and writes, created with the settings they need."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from aiokafka import TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

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


@dataclass(frozen=True, slots=True)
class TopicCheck:
    #: What the existing topics' settings break of copydesk's promises (``config_problems``).
    problems: tuple[str, ...]
    #: The most bytes one result may take: ``topic_max_message_bytes``, or less where an output
    #: topic takes less.
    result_limit: int


async def check_topics(settings: Settings) -> TopicCheck:
    """Describe copydesk's topics (they must exist) and check their settings."""
    admin = _admin(settings)
    await admin.start()
    try:
        names = list(topic_configs(settings))
        partitions = Counter(tp.topic for tp in await _describe(admin, names))
        responses = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, name) for name in names])
    finally:
        await admin.close()
    configs = {
        name: {entry[0]: entry[1] for entry in entries}
        for response in responses
        for _code, _message, _kind, name, entries in response.resources
    }
    return TopicCheck(tuple(config_problems(settings, partitions, configs)), result_limit(settings, configs))


def result_limit(settings: Settings, configs: Mapping[str, Mapping[str, str]]) -> int:
    """A result larger than an output topic takes is refused by the broker, and a refused batch
    leaves the idempotent producer's sequence broken for its partition: workers cut results to
    what the topics really take instead."""
    limits = [int(configs.get(topic, {}).get("max.message.bytes") or settings.topic_max_message_bytes) for topic in (settings.enriched_topic, settings.dead_letter_topic)]
    return min(settings.topic_max_message_bytes, *limits)


def config_problems(settings: Settings, partitions: Mapping[str, int], configs: Mapping[str, Mapping[str, str]]) -> list[str]:
    """Existing topics are never altered (they may be shared, or managed elsewhere); what in
    their settings breaks a promise is said instead."""
    problems = []
    enriched = settings.enriched_topic
    policy = configs.get(enriched, {}).get("cleanup.policy", "")
    if "compact" not in policy.split(","):
        problems.append(
            f"topic {enriched!r} has cleanup.policy={policy!r}: consumers can upsert records by id only on a "
            "compacted topic (cleanup.policy=compact); old copies of an article are never dropped"
        )
    fleet = max(1, settings.fleet_processes)
    if partitions.get(settings.raw_topic, 0) < fleet:
        problems.append(
            f"topic {settings.raw_topic!r} has {partitions.get(settings.raw_topic, 0)} partitions for {fleet} worker "
            "processes: each partition goes to one process, so the others sit idle"
        )
    for topic in (enriched, settings.dead_letter_topic):
        limit = int(configs.get(topic, {}).get("max.message.bytes") or 0)
        if limit < settings.topic_max_message_bytes:
            problems.append(
                f"topic {topic!r} takes at most {limit:,} bytes a batch (max.message.bytes) but copydesk sends up to "
                f"{settings.topic_max_message_bytes:,} (COPYDESK_TOPIC_MAX_MESSAGE_BYTES): workers dead-letter results "
                "larger than the topic takes; raise the topic's limit or lower the setting"
            )
    return problems
