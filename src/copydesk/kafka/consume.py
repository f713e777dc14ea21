"""Reading the output without writing a consumer: ``copydesk consume`` shows a topic's messages,
``copydesk lag`` how far a consumer group is behind. Neither joins a group or commits anything,
so they never take partitions from the workers or the sink."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition

from copydesk.kafka.demo import render_dead_letter, render_record
from copydesk.kafka.security import client_kwargs
from copydesk.kafka.topics import partitions_of
from copydesk.settings import Settings

#: ``--topic`` names and the settings that hold the real topic names.
TOPICS: dict[str, Callable[[Settings], str]] = {
    "enriched": lambda s: s.enriched_topic,
    "dead-letter": lambda s: s.dead_letter_topic,
    "raw": lambda s: s.raw_topic,
}
_POLL_MS = 500


@dataclass(frozen=True, slots=True)
class Start:
    """Where reading begins: the beginning of each partition, or the ``last`` newest messages of
    the topic (by timestamp)."""

    from_beginning: bool = False
    last: int = 10


async def consume(settings: Settings, topic: str, start: Start, *, follow: bool) -> AsyncIterator[ConsumerRecord]:
    """The messages of ``topic`` from ``start`` in timestamp order up to the end it had when
    reading began; with ``follow``, then every new one as it comes, until cancelled."""
    partitions = await partitions_of(settings, [topic])
    consumer = AIOKafkaConsumer(**client_kwargs(settings), enable_auto_commit=False, max_partition_fetch_bytes=settings.topic_max_message_bytes)
    await consumer.start()
    try:
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        begins = await consumer.beginning_offsets(partitions)
        for tp in partitions:
            consumer.seek(tp, begins[tp] if start.from_beginning else max(begins[tp], ends[tp] - start.last))
        backlog = await _until(consumer, ends)
        backlog.sort(key=lambda m: (m.timestamp, m.partition, m.offset))
        for message in backlog if start.from_beginning else backlog[-start.last :] if start.last else []:
            yield message
        while follow:
            for batch in (await consumer.getmany(timeout_ms=_POLL_MS)).values():
                for message in batch:
                    yield message
    finally:
        await consumer.stop()


async def _until(consumer: AIOKafkaConsumer, ends: dict[TopicPartition, int]) -> list[ConsumerRecord]:
    """Everything from the current positions up to at least ``ends``."""
    found: list[ConsumerRecord] = []
    waiting = {tp for tp, end in ends.items() if await consumer.position(tp) < end}
    while waiting:
        for tp, batch in (await consumer.getmany(*waiting, timeout_ms=_POLL_MS)).items():
            found.extend(batch)  # a few newer than the ends may come along: they are shown too
            if await consumer.position(tp) >= ends[tp]:
                waiting.discard(tp)
    return found


def as_jsonl(message: ConsumerRecord) -> bytes:
    """The message's value as one JSON line; a value that is not JSON comes as a JSON string."""
    value = message.value or b""
    try:
        return orjson.dumps(orjson.loads(value))
    except orjson.JSONDecodeError:
        return orjson.dumps(value.decode("utf-8", errors="replace"))


def as_pretty(message: ConsumerRecord, kind: str) -> str:
    """For people: a record as the demo shows it, a dead letter with its reason, a raw message
    with its URL and the start of its body."""
    where = f"partition {message.partition} offset {message.offset}"
    try:
        doc: Any = orjson.loads(message.value or b"")
    except orjson.JSONDecodeError:
        doc = None
    if not isinstance(doc, dict):
        return f"{'─' * 78}\n  {where}: {len(message.value or b''):,} bytes that are not a JSON object\n"
    if kind == "enriched":
        return render_record(doc)
    if kind == "dead-letter":
        return render_dead_letter(doc)
    body = doc.get("html") or doc.get("text") or ""
    preview = " ".join(str(body)[:200].split())
    return f"{'─' * 78}\n  {doc.get('url')}  ({where}, {len(message.value or b''):,} bytes)\n  │ {preview}\n"


@dataclass(frozen=True, slots=True)
class PartitionLag:
    topic: str
    partition: int
    committed: int | None
    end: int

    @property
    def lag(self) -> int:
        """Messages not committed; all of them when the group never committed here."""
        return self.end - (self.committed or 0)


async def group_lag(settings: Settings, group: str, topic: str) -> list[PartitionLag]:
    """Per partition of ``topic``: the group's committed offset, the log end and the difference."""
    partitions = await partitions_of(settings, [topic])
    # A consumer with the group's id reads its offsets; it never subscribes, so never joins.
    consumer = AIOKafkaConsumer(**client_kwargs(settings), group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        ends = await consumer.end_offsets(partitions)
        committed = await asyncio.gather(*(consumer.committed(tp) for tp in partitions))
    finally:
        await consumer.stop()
    return [PartitionLag(tp.topic, tp.partition, offset, ends[tp]) for tp, offset in zip(partitions, committed)]


def lag_table(rows: list[PartitionLag], group: str) -> str:
    lines = [f"group {group}", f"{'topic':<32} {'partition':>9} {'committed':>12} {'end':>12} {'lag':>10}"]
    lines += [f"{r.topic:<32} {r.partition:>9} {'-' if r.committed is None else r.committed:>12} {r.end:>12} {r.lag:>10}" for r in rows]
    lines.append(f"{'total':<32} {'':>9} {'':>12} {'':>12} {sum(r.lag for r in rows):>10}")
    return "\n".join(lines)
