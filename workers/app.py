"""The faust app: copydesk's topics and its one agent, wired to ``copydesk.routing.route``.

Everything an article goes through lives in the library; this module only moves bytes between
Kafka and ``route`` and decides when an input offset may be committed: after the broker has
acknowledged the record or dead letter that message became, never before.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import faust
from aiokafka.errors import KafkaError
from faust.transport.drivers import aiokafka as driver
from faust.exceptions import ConsumerNotStarted
from faust.types import EventT, StreamT
from mode import CrashingSupervisor

from copydesk.kafka.security import faust_credentials
from copydesk.ops.logs import progress
from copydesk.ops.metrics import ConsumerState, WorkerMetrics, lag
from copydesk.routing import Origin, Outcome, route
from copydesk.settings import Settings
from workers.trends import add_trends

#: Results sent but not yet acknowledged by the broker. Sends are pipelined so the next page is
#: cleaned while earlier results travel; the bound keeps memory flat when the broker is slow.
IN_FLIGHT = 256
#: Raw messages faust may fetch ahead of the agent. Pages are large (100 kB is common), so the
#: default of 4,096 could hold hundreds of MB per worker without making it any faster.
PREFETCH = 256
#: Most fetched pages handed to the cleaning thread at once. A hand-over per page cost the event
#: loop 0.5 ms of CPU an article, a batch 0.2 ms (its work stays in cache); a larger batch only
#: holds back the first results in it.
ROUTE_BATCH = 16

#: Most a fetch brings per partition. Kafka returns a first batch larger than this anyway
#: (KIP-74), so pages up to the topic limit still come through; the bound keeps each fetch
#: response, and the copies the client makes of it, small.
FETCH_BYTES_PER_PARTITION = 4 * 1024 * 1024

#: How often acked offsets are committed. A crashed worker's successor redoes what was acked
#: since the last commit: faust's 2.8 s means that many seconds of duplicates; a commit a second
#: costs the broker one small request a worker.
COMMIT_INTERVAL_S = 1.0

SESSION_TIMEOUT_S = 15.0
METADATA_MAX_AGE_MS = 15_000

#: Seconds between the event loop's reports of itself and its consumer to the metrics.
TICK_S = 1.0

#: An event, its result's delivery, and when that was sent (perf_counter).
Delivery = tuple[EventT, Awaitable[Any], float]
log = logging.getLogger("copydesk.worker")


class _IdempotentProducer(driver.Producer):
    """faust turns idempotence on only in exactly-once mode. With it off, a retry after a lost
    produce response writes a result twice; on, the broker drops the repeat."""

    def _settings_extra(self) -> Mapping[str, Any]:
        return {**super()._settings_extra(), "acks": "all", "enable_idempotence": True}


class _WatchedConsumer(driver.Consumer):
    """Notes when it last polled and last committed, for health checks and metrics."""

    last_poll = 0.0
    last_commit = 0.0

    async def _getmany(self, active_partitions: Any, timeout: float) -> Any:
        records = await super()._getmany(active_partitions, timeout)
        self.last_poll = time.monotonic()
        return records

    async def _commit(self, offsets: Mapping[Any, int]) -> bool:
        done = await super()._commit(offsets)
        if done:
            self.last_commit = time.monotonic()
        return done


class _Transport(driver.Transport):
    Producer = _IdempotentProducer
    Consumer = _WatchedConsumer


class _App(faust.App):
    metrics: WorkerMetrics

    def _new_transport(self) -> driver.Transport:
        return _Transport(self.conf.broker_consumer, self)


def create_app(settings: Settings, *, datadir: Path | None = None) -> faust.App:
    app = _App(
        settings.group_id,
        broker=[f"kafka://{server.strip()}" for server in settings.bootstrap_servers.split(",")],
        broker_credentials=faust_credentials(settings),
        key_serializer="raw",
        value_serializer="raw",
        store="memory://",
        web_enabled=False,
        datadir=str(datadir or settings.home / "faust"),
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        consumer_max_fetch_size=FETCH_BYTES_PER_PARTITION,
        producer_max_request_size=settings.topic_max_message_bytes,
        producer_acks=-1,
        producer_linger=settings.linger_ms / 1000,
        producer_max_batch_size=1024 * 1024,
        stream_buffer_maxsize=PREFETCH,
        stream_wait_empty=True,
        broker_commit_interval=COMMIT_INTERVAL_S,
        # A worker killed without leaving the group holds its partitions until its session
        # expires; faust's 60 s would stall them that long.
        broker_session_timeout=SESSION_TIMEOUT_S,
        # A group leader that assigned partitions while a restarting broker did not list the
        # topic yet hands out nothing until its metadata is refreshed (aiokafka's default: 5 min).
        consumer_metadata_max_age_ms=METADATA_MAX_AGE_MS,
        # A standby copy of a table would sit in the same in-memory store as the active one, and
        # the trends timer would publish its stale counts.
        table_standby_replicas=0,
    )
    raw = app.topic(settings.raw_topic, key_serializer="raw", value_serializer="raw")
    app.metrics = metrics = WorkerMetrics()

    @app.timer(TICK_S)
    async def watch() -> None:
        metrics.tick(await _consumer_state(app, settings.raw_topic))

    if settings.log_interval_s > 0:
        totals = [metrics.totals(), time.monotonic()]

        @app.timer(settings.log_interval_s)
        async def report() -> None:
            now, at = metrics.totals(), time.monotonic()
            in_flight = int(metrics.registry.get_sample_value("copydesk_in_flight_results") or 0)
            text, fields = progress(totals[0], now, at - totals[1], lag(metrics.state.offsets) if metrics.state else {}, in_flight)
            totals[:] = [now, at]
            log.info(text, extra=fields)

    # Cleaning is CPU work; on a thread the event loop still gets the GIL between bytecodes, so
    # heartbeats and commits keep flowing while a huge page is parsed.
    cpu = ThreadPoolExecutor(max_workers=1, thread_name_prefix="copydesk-route")

    # A crashed agent must take the worker down, not be restarted in place: a restarted agent
    # goes on with later messages while the failed one has no result. A fresh worker redoes
    # everything after the last commit instead.
    @app.agent(raw, name="copydesk.clean", supervisor_strategy=CrashingSupervisor)
    async def clean(stream: StreamT) -> None:
        loop = asyncio.get_running_loop()
        # Straight to the producer: a topic's send wraps every result in futures, callbacks and
        # sensor calls that a result sent once and awaited by the acker has no use for.
        producer = await app.maybe_start_producer()
        sent: asyncio.Queue[Delivery] = asyncio.Queue(maxsize=IN_FLIGHT)
        acker = asyncio.create_task(_ack_in_order(stream, sent, metrics))
        batch: list[EventT] = []
        try:
            async for event in stream.noack().events():
                batch.append(event)
                # What is already fetched goes to the thread in one hand-over; with nothing
                # waiting, a page goes at once, so batching never delays an idle fleet.
                if len(batch) < ROUTE_BATCH and not stream.channel.empty():
                    continue
                outcomes = await loop.run_in_executor(cpu, _route_each, batch, settings, metrics)
                for done, outcome in zip(batch, outcomes):
                    topic = settings.enriched_topic if outcome.ok else settings.dead_letter_topic
                    delivery = await producer.send(topic, outcome.key, outcome.value, partition=None, timestamp=None, headers=None)
                    await _put_unless_failed(sent, (done, delivery, time.perf_counter()), acker)
                    metrics.in_flight.inc()
                batch = []
        finally:
            # Cancelling acks nothing: whatever is still in flight is fetched again after a restart.
            acker.cancel()

    if settings.trends:
        add_trends(app, settings)
    return app


def _route_each(events: list[EventT], settings: Settings, metrics: WorkerMetrics) -> list[Outcome]:
    outcomes = []
    for event in events:
        message = event.message
        origin = Origin(topic=message.topic, partition=message.partition, offset=message.offset)
        started = time.perf_counter()
        outcome = route(message.value, message.key, origin, settings)
        metrics.routed(outcome.ok, outcome.reason, time.perf_counter() - started)
        outcomes.append(outcome)
    return outcomes


async def _consumer_state(app: faust.App, topic: str) -> ConsumerState | None:
    """The consumer as the metrics see it; None while it is not started (or is being replaced)."""
    consumer = app.consumer
    try:
        offsets = {}
        for tp in [tp for tp in consumer.assignment() if tp.topic == topic]:
            # faust keeps the next offset to read after its last commit, as Kafka does; before
            # that commit, the position is where the group's committed offset put it.
            committed = consumer._committed_offset.get(tp)
            offsets[(tp.topic, tp.partition)] = (consumer.highwater(tp), committed if committed is not None else await consumer.position(tp))
    except (ConsumerNotStarted, AssertionError, KafkaError):  # a partition taken away meanwhile
        return None
    return ConsumerState(offsets, bool(app.rebalancing), consumer.last_poll, consumer.last_commit)


async def _ack_in_order(stream: StreamT, sent: asyncio.Queue[Delivery], metrics: WorkerMetrics) -> None:
    """Ack each event once the broker has its result, in the order the events arrived. A failed
    delivery raises here and nothing after it is acked, so its offset is never committed."""
    while True:
        event, delivery, sent_at = await sent.get()
        await delivery
        metrics.in_flight.dec()
        metrics.deliver_seconds.observe(time.perf_counter() - sent_at)
        await stream.ack(event)


async def _put_unless_failed(sent: asyncio.Queue[Delivery], item: Delivery, acker: asyncio.Task[None]) -> None:
    """Queue a delivery for the acker; if the acker died on a failed delivery, crash the agent with
    its error, so the messages since the last commit are redone by a fresh worker."""
    if not acker.done() and not sent.full():
        sent.put_nowait(item)
        return
    put = asyncio.ensure_future(sent.put(item))
    done, _ = await asyncio.wait({put, acker}, return_when=asyncio.FIRST_COMPLETED)
    if acker in done:
        put.cancel()
        acker.result()
        raise RuntimeError("the acker stopped")
