"""The faust app: copydesk's topics and its one agent, wired to ``copydesk.routing.route``.

Everything an article goes through lives in the library; this module only moves bytes between
Kafka and ``route`` and decides when an input offset may be committed: after the broker has
acknowledged the record or dead letter that message became, never before.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import faust

from copydesk.routing import Origin, route
from copydesk.settings import Settings


def create_app(settings: Settings, *, datadir: Path | None = None) -> faust.App:
    app = faust.App(
        settings.group_id,
        broker=[f"kafka://{server.strip()}" for server in settings.bootstrap_servers.split(",")],
        key_serializer="raw",
        value_serializer="raw",
        store="memory://",
        web_enabled=False,
        datadir=str(datadir or settings.home / "faust"),
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        consumer_max_fetch_size=settings.topic_max_message_bytes,
        producer_max_request_size=settings.topic_max_message_bytes,
        producer_acks=-1,
        stream_wait_empty=True,
    )
    raw = app.topic(settings.raw_topic, key_serializer="raw", value_serializer="raw")
    enriched = app.topic(settings.enriched_topic, key_serializer="raw", value_serializer="raw")
    dead = app.topic(settings.dead_letter_topic, key_serializer="raw", value_serializer="raw")
    # Cleaning is CPU work; on a thread the event loop still gets the GIL between bytecodes, so
    # heartbeats and commits keep flowing while a huge page is parsed.
    cpu = ThreadPoolExecutor(max_workers=1, thread_name_prefix="copydesk-route")

    @app.agent(raw, name="copydesk.clean")
    async def clean(stream: faust.StreamT) -> None:
        loop = asyncio.get_running_loop()
        async for event in stream.noack().events():
            message = event.message
            origin = Origin(topic=message.topic, partition=message.partition, offset=message.offset)
            outcome = await loop.run_in_executor(cpu, route, message.value, message.key, origin, settings)
            delivery = await (enriched if outcome.ok else dead).send(key=outcome.key, value=outcome.value)
            await delivery
            await stream.ack(event)

    return app
