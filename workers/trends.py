"""Trending entities and keywords, the faust way: records on articles.enriched are split into
mentions, summed and sent on to an internal topic in the partition each name hashes to (so an
entity's counts live in one partition), counted in tumbling-window tables (1 hour, 1 day) whose
changelogs are on the broker, and each window's top N published to the compacted trends topic.
The counting is ``copydesk.analytics.trends``; this module only wires it.

Counts follow the records: a record the worker published twice (at-least-once) counts twice.
"""

from __future__ import annotations

import faust
import orjson
from faust.types import StreamT

from copydesk.analytics.trends import WINDOWS, counter_messages, trend_message, unpublished_leaders
from copydesk.settings import Settings

#: Most records, and longest wait, over which mentions are summed before they are sent on.
SPLIT_BATCH = 5000
SPLIT_WITHIN_S = 5.0
_JSON = faust.Schema(key_serializer="json", value_serializer="json")


def add_trends(app: faust.App, settings: Settings) -> None:
    enriched = app.topic(settings.enriched_topic, key_serializer="raw", value_serializer="raw")
    mentioned = app.topic(
        f"{settings.group_id}-trend-mentions", internal=True, partitions=settings.partitions,
        key_serializer="raw", value_serializer="raw",
    )
    trends = app.topic(settings.trends_topic, key_serializer="raw", value_serializer="raw")
    tables = {
        name: app.Table(f"trends-{name}", default=int, partitions=settings.partitions, schema=_JSON)
        # A window is kept a whole size after it closes, so late records still count into it.
        .tumbling(size, expires=2 * size)
        .relative_to_stream()
        for name, size in WINDOWS.items()
    }
    #: What this worker last published per (window name, start, key); a fresh worker
    #: publishes its leaders once again, which compaction absorbs.
    published: dict[str, dict[tuple[float, str], int]] = {name: {} for name in WINDOWS}

    @app.agent(enriched, name="copydesk.trends.mentions")
    async def split(stream: StreamT) -> None:
        # Mentions are summed per entity and hour over what arrives within 5 seconds (the same
        # names recur across articles) and sent in one message per partition: each message costs
        # the counter a send, a fetch and a pass through faust.
        producer = await app.maybe_start_producer()
        async for events in stream.take_events(SPLIT_BATCH, within=SPLIT_WITHIN_S):
            # A record's own timestamp places its mentions, so a replay counts them into the
            # windows they were first counted in.
            batch = ((e.message.value, e.message.timestamp) for e in events)
            for partition, timestamp, value in counter_messages(batch, settings.partitions):
                await producer.send(mentioned.get_topic_name(), b"%d" % partition, value, partition=partition, timestamp=timestamp, headers=None)

    @app.agent(mentioned, name="copydesk.trends.count")
    async def count(stream: StreamT) -> None:
        async for event in stream.events():
            # Every key of the message hashes to this event's partition, so the tables' writes go
            # to the changelog partition that holds that key.
            for key, n in orjson.loads(event.value).items():
                for table in tables.values():
                    table[key] += n

    @app.timer(interval=settings.trends_publish_seconds)
    async def publish() -> None:
        # Mid-recovery a table holds part of its counts; publishing them would lower the
        # topic's counts until the next round.
        if app.in_recovery or app.rebalancing:
            return
        for name, table in tables.items():
            sent = published[name]
            for start, key, total in unpublished_leaders(list(table.table.data.items()), settings.trends_top_n, sent):
                message_key, value = trend_message(name, start, key, total)
                await trends.send(key=message_key, value=value)
                sent[(start, key)] = total
            _forget_closed(sent, WINDOWS[name])


def _forget_closed(sent: dict[tuple[float, str], int], size: int) -> None:
    """Drop what was published for windows the table no longer keeps."""
    newest = max((start for start, _ in sent), default=0.0)
    for entry in [entry for entry in sent if entry[0] < newest - 2 * size]:
        del sent[entry]
