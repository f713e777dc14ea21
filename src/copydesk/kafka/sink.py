"""``copydesk sink parquet``: records (and dead letters) from the broker into Parquet files.

At least once: offsets are committed only after the files holding everything consumed so far
are durable (``copydesk.analytics.parquet``). A sink killed between a file and its commit
writes those records again after a restart; readers keep the latest row per ``id``.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import orjson
from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import CommitFailedError

from copydesk.analytics.parquet import PartitionedWriter, Roll
from copydesk.kafka.security import client_kwargs
from copydesk.settings import Settings

#: How often the progress line is printed.
PROGRESS_EVERY_S = 10.0


@dataclass(slots=True)
class SinkCounts:
    records: int = 0
    dead_letters: int = 0
    unreadable: int = 0
    files: int = 0
    #: Rolls whose offsets a rebalance kept from being committed (their rows will repeat).
    uncommitted: int = 0

    def line(self, rate: float, behind: int | None) -> str:
        lag = "" if behind is None else f", {behind:,} behind"
        unreadable = f", {self.unreadable:,} unreadable messages skipped" if self.unreadable else ""
        uncommitted = f", {self.uncommitted:,} rolls to be written again after a rebalance" if self.uncommitted else ""
        return f"sink: {self.records:,} records, {self.dead_letters:,} dead letters in {self.files:,} files ({rate:,.0f}/s{lag}{unreadable}{uncommitted})"


class _Sink(ConsumerRebalanceListener):
    def __init__(self, settings: Settings, consumer: AIOKafkaConsumer, writer: PartitionedWriter) -> None:
        self._tables = {settings.enriched_topic: "records", settings.dead_letter_topic: "dead_letters"}
        self._consumer = consumer
        self._writer = writer
        self._consumed: dict[TopicPartition, int] = {}
        self._unparsed = 0
        self.counts = SinkCounts()

    def add(self, topic: str, partition: int, offset: int, value: bytes | None, timestamp_ms: int) -> None:
        self._consumed[TopicPartition(topic, partition)] = offset + 1
        try:
            doc = orjson.loads(value or b"")
        except orjson.JSONDecodeError:
            doc = None
        if not isinstance(doc, dict):
            self._unparsed += 1  # not a worker's output; counted and said, not written
            self.counts.unreadable = self._unparsed + self._writer.rows_skipped
            return
        table = self._tables[topic]
        day = datetime.fromtimestamp(timestamp_ms / 1000, UTC).date().isoformat()
        self._writer.add(table, doc, size=len(value or b""), fallback_day=day)
        if table == "records":
            self.counts.records += 1
        else:
            self.counts.dead_letters += 1

    def due(self, roll: Roll) -> bool:
        return self._writer.due(roll)

    async def save(self) -> None:
        """Write what is buffered, durably, then commit everything consumed up to it."""
        if self._writer.buffered:
            self._writer.flush()
            self.counts.files = self._writer.files_written
            self.counts.unreadable = self._unparsed + self._writer.rows_skipped
        if self._consumed:
            consumed, self._consumed = self._consumed, {}
            try:
                await self._consumer.commit(consumed)
            except CommitFailedError:
                # The group rebalanced first: the files stand, and the partitions' next owner
                # writes those rows again (at least once).
                self.counts.uncommitted += 1

    async def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        # The next owner starts from the committed offsets: what this sink holds is saved first.
        await self.save()

    async def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        return None


async def run_sink(
    settings: Settings,
    root: Path,
    *,
    roll: Roll,
    dead_letters: bool,
    until_caught_up: bool,
    progress: Callable[[str], None],
) -> SinkCounts:
    topics = [settings.enriched_topic, *([settings.dead_letter_topic] if dead_letters else [])]
    consumer = AIOKafkaConsumer(
        **client_kwargs(settings),
        group_id=settings.sink_group_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=settings.topic_max_message_bytes,
        fetch_max_bytes=max(settings.topic_max_message_bytes, 52428800),
    )
    sink = _Sink(settings, consumer, PartitionedWriter(root))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await consumer.start()
    started = last_progress = time.monotonic()
    try:
        consumer.subscribe(topics, listener=sink)
        while not stop.is_set():
            batches = await consumer.getmany(timeout_ms=500, max_records=5000)
            for tp, messages in batches.items():
                for message in messages:
                    sink.add(tp.topic, tp.partition, message.offset, message.value, message.timestamp)
            if sink.due(roll):
                await sink.save()
            now = time.monotonic()
            if now - last_progress >= PROGRESS_EVERY_S:
                last_progress = now
                progress(sink.counts.line(_rate(sink.counts, now - started), await _behind(consumer)))
            if until_caught_up and not batches and await _behind(consumer) == 0:
                break
        await sink.save()
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
        await consumer.stop()
    progress(sink.counts.line(_rate(sink.counts, time.monotonic() - started), None))
    return sink.counts


def _rate(counts: SinkCounts, seconds: float) -> float:
    return (counts.records + counts.dead_letters) / max(seconds, 1e-9)


async def _behind(consumer: AIOKafkaConsumer) -> int | None:
    """Messages on the assigned partitions not read yet; None before partitions are assigned."""
    assigned = list(consumer.assignment())
    if not assigned:
        return None
    ends = await consumer.end_offsets(assigned)
    return sum([max(ends[tp] - await consumer.position(tp), 0) for tp in assigned])
