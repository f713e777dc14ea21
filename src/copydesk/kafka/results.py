"""Reading what workers publish: records and dead letters written after a given moment.

The demo, the integration tests and the throughput benchmark all wait for results this way.
"""

from __future__ import annotations

import time
from types import TracebackType
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer

from copydesk.kafka.security import client_kwargs
from copydesk.settings import Settings
from copydesk.kafka.topics import partitions_of

Result = tuple[str, dict[str, Any]]


class ResultReader:
    """Async context manager: on entry it marks the current end of the output topics; ``collect``
    then returns what arrives after that mark."""

    def __init__(self, settings: Settings, *, from_beginning: bool = False) -> None:
        self._settings = settings
        self._topics = [settings.enriched_topic, settings.dead_letter_topic]
        self._from_beginning = from_beginning
        self._consumer = AIOKafkaConsumer(
            **client_kwargs(settings),
            enable_auto_commit=False,
            max_partition_fetch_bytes=settings.topic_max_message_bytes,
        )

    async def __aenter__(self) -> ResultReader:
        partitions = await partitions_of(self._settings, self._topics)
        consumer = self._consumer
        await consumer.start()
        consumer.assign(partitions)
        if self._from_beginning:
            await consumer.seek_to_beginning(*partitions)
        else:
            for tp, offset in (await consumer.end_offsets(partitions)).items():
                consumer.seek(tp, offset)
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        await self._consumer.stop()

    async def collect(self, count: int, *, timeout: float) -> list[Result]:
        """Up to ``count`` results, waiting at most ``timeout`` seconds for them."""
        results: list[Result] = []
        deadline = time.monotonic() + timeout
        while len(results) < count and time.monotonic() < deadline:
            batches = await self._consumer.getmany(timeout_ms=500)
            for tp, batch in batches.items():
                results.extend((tp.topic, orjson.loads(m.value)) for m in batch)
        return results
