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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import faust
from aiokafka.errors import KafkaError, MessageSizeTooLargeError, RecordListTooLargeError, RecordTooLargeError
from faust.exceptions import ConsumerNotStarted, ProducerSendError
from faust.transport.drivers import aiokafka as driver
from faust.types import TP, EventT, StreamT
from mode import CrashingSupervisor
from mode.utils.objects import cached_property
from mode.utils.queues import FlowControlEvent

from copydesk.kafka.commits import CommitLedger
from copydesk.kafka.security import faust_credentials
from copydesk.ops.logs import progress_line
from copydesk.ops.metrics import ConsumerState, WorkerMetrics, lag
from copydesk.routing import Origin, Outcome, fits, route, smaller
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

#: An event, its result, the result's delivery, and when that was sent (perf_counter).
Delivery = tuple[EventT, Outcome, Awaitable[Any], float]
log = logging.getLogger("copydesk.worker")

#: What the client (before sending) or the broker says of a result it will never take, however
#: often it is sent: something smaller goes instead (``copydesk.routing.smaller``).
_REFUSED = (MessageSizeTooLargeError, RecordListTooLargeError, RecordTooLargeError)


@dataclass(slots=True)
class Progress:
    """What the watchdog (``workers.run``) reads: how many messages the agent holds, and when it
    last finished a page or had a result acknowledged (or took work on while holding none)."""

    holding: int = 0
    last: float = field(default_factory=time.monotonic)

    def took(self) -> None:
        if not self.holding:
            self.last = time.monotonic()
        self.holding += 1

    def advanced(self) -> None:
        """A page finished; called from the cleaning thread, so it writes the time alone."""
        self.last = time.monotonic()

    def acked(self) -> None:
        self.holding -= 1
        self.last = time.monotonic()

    def stalled_for(self, now: float) -> float:
        """Seconds without progress while holding messages; 0 when holding none."""
        return now - self.last if self.holding else 0.0


def faust_variables(environ: Mapping[str, str]) -> list[str]:
    """The environment variables faust would read for its own settings that are set here; the app
    reads none of them (copydesk's settings are the only source), and the worker says so."""
    names = {param.env_name for param in faust.Settings.SETTINGS.values() if param.env_name}
    return sorted(names & environ.keys())


class _IdempotentProducer(driver.Producer):
    """faust turns idempotence on only in exactly-once mode. With it off, a retry after a lost
    produce response writes a result twice; on, the broker drops the repeat."""

    def _settings_extra(self) -> Mapping[str, Any]:
        return {**super()._settings_extra(), "acks": "all", "enable_idempotence": True}


class _WatchedConsumer(driver.Consumer):
    """Notes when it last polled and last committed, for health checks and metrics; commits the
    raw topic where the app's ``CommitLedger`` says, not where faust's count of acks would."""

    app: _App
    last_poll = 0.0
    last_commit = 0.0
    #: While faust seeks to the commits: where each partition's kept-back messages begin.
    _withheld: dict[TP, int] | None = None

    async def _getmany(self, active_partitions: Any, timeout: float) -> Any:
        records = await super()._getmany(active_partitions, timeout)
        self.last_poll = time.monotonic()
        if self._withheld is not None:
            _withhold(records, self._withheld)
            return {}
        ledger = self.app.ledger
        for tp, batch in records.items():
            if tp.topic == ledger.topic and batch:
                records[tp] = batch = ledger.fetched(tp, batch)
                if batch:
                    self._read_from(tp, batch[0].offset)
        return records

    def _read_from(self, tp: TP, first: int) -> None:
        """faust drops fetched messages below its read offset as handed on already. A seek (faust's
        own after a rebalance, or ``_read_holes_again``) while faust was still handing on the batch
        before it leaves that offset past the seek, and the messages read again are dropped (the
        seek undone; a drop of one message there is how the chaos test lost a page). Those at or
        above the group's commit have not all been handed on: faust hands them on again."""
        read, committed = self._read_offset.get(tp), self._committed_offset.get(tp)
        if read is not None and first < read and first >= (committed or 0):
            self._read_offset[tp] = first

    def _new_offset(self, tp: TP) -> int | None:
        offset = super()._new_offset(tp)  # also trims faust's own list of acks
        if tp.topic != self.app.ledger.topic:
            return offset
        return self.app.ledger.commit_offset(tp, self._committed_offset.get(tp))

    async def on_partitions_assigned(self, assigned: set[TP], generation_id: int = 0) -> None:
        self.app.ledger.reset(reading=False)
        await super().on_partitions_assigned(assigned, generation_id)

    async def perform_seek(self) -> None:
        # Every partition is read again from its commit: what was fetched before counts then.
        self.app.ledger.reset(reading=True)
        # faust resumes fetching before this seek, which asks the broker for each partition's
        # commit in turn: a fetch lands meanwhile, and a partition sought before it is not read
        # again (the demo lost 2 of its 4 pages so, 1 start in 3). Kept back, read after it.
        withheld = self._withheld = {}
        try:
            await super().perform_seek()
        finally:
            self._withheld = None
        for tp, offset in withheld.items():
            if tp in self.assignment():
                await self.seek(tp, offset)

    async def commit_and_end_transactions(self) -> None:
        # The commit that ends a drain (SIGTERM) or a revoke. faust skips a commit asked for
        # while another is in flight, and that one may have read its offsets before the last
        # acks: the drain then ended with hundreds of finished offsets uncommitted (the chaos
        # test, once). After the one in flight, the commit made here (or a timer's, begun after
        # the acks, that this one waits for) commits everything acked.
        await self.maybe_wait_for_commit_to_finish()
        await super().commit_and_end_transactions()

    async def _commit(self, offsets: Mapping[Any, int]) -> bool:
        done = await super()._commit(offsets)
        if done:
            self.last_commit = time.monotonic()
        return done


def _withhold(records: Mapping[TP, list[Any]], withheld: dict[TP, int]) -> None:
    """Note where each partition's fetched records begin, to read them again from there."""
    for tp, batch in records.items():
        if batch:
            withheld[tp] = min(batch[0].offset, withheld.get(tp, batch[0].offset))


class _FlowControl(FlowControlEvent):
    """faust empties every agent's queue on each resume, to drop what an earlier assignment
    fetched. After a rebalance it resumes twice (for the changelogs, then after the seek to the
    commits), and the second emptied pages of this assignment that had been read past. Only a
    resume after a suspend (a rebalance) empties the queues here."""

    def resume(self) -> None:
        if not self.is_active():
            super().resume()


class _Transport(driver.Transport):
    Producer = _IdempotentProducer
    Consumer = _WatchedConsumer


class _App(faust.App):
    metrics: WorkerMetrics
    ledger: CommitLedger

    def _new_transport(self) -> driver.Transport:
        return _Transport(self.conf.broker_consumer, self)

    @cached_property
    def flow_control(self) -> FlowControlEvent:
        return _FlowControl(loop=self.loop)


def create_app(settings: Settings, *, datadir: Path | None = None, progress: Progress | None = None) -> faust.App:
    progress = progress or Progress()
    app = _App(
        settings.group_id,
        # faust reads its settings from the environment over the arguments given here
        # (BROKER_URL, APP_WEB_ENABLED, ...); an empty one leaves copydesk's settings in force.
        env={},
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
        # The broker refuses a batch larger than the topic takes, even of results that each fit.
        producer_max_batch_size=min(1024 * 1024, settings.topic_max_message_bytes),
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
    app.ledger = CommitLedger(settings.raw_topic)

    @app.timer(TICK_S)
    async def watch() -> None:
        metrics.tick(await _consumer_state(app, settings.raw_topic))
        await _read_holes_again(app, idle=not progress.holding)

    if settings.log_interval_s > 0:
        totals = [metrics.totals(), time.monotonic()]

        @app.timer(settings.log_interval_s)
        async def report() -> None:
            now, at = metrics.totals(), time.monotonic()
            in_flight = int(metrics.registry.get_sample_value("copydesk_in_flight_results") or 0)
            text, fields = progress_line(totals[0], now, at - totals[1], lag(metrics.state.offsets) if metrics.state else {}, in_flight)
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
        acker = asyncio.create_task(_ack_in_order(stream, sent, producer, settings, app, progress))
        batch: list[EventT] = []
        try:
            async for event in stream.noack().events():
                batch.append(event)
                progress.took()
                # What is already fetched goes to the thread in one hand-over; with nothing
                # waiting, a page goes at once, so batching never delays an idle fleet.
                if len(batch) < ROUTE_BATCH and not stream.channel.empty():
                    continue
                outcomes = await loop.run_in_executor(cpu, _route_each, batch, settings, metrics, progress)
                for done, outcome in zip(batch, outcomes):
                    delivery = await _send(producer, settings, outcome)
                    await _put_unless_failed(sent, (done, outcome, delivery, time.perf_counter()), acker)
                    metrics.in_flight.inc()
                batch = []
        finally:
            # Cancelling acks nothing: whatever is still in flight is fetched again after a restart.
            acker.cancel()

    if settings.trends:
        add_trends(app, settings)
    return app


def _route_each(events: list[EventT], settings: Settings, metrics: WorkerMetrics, progress: Progress) -> list[Outcome]:
    outcomes = []
    for event in events:
        started = time.perf_counter()
        outcome = route(event.message.value, event.message.key, _origin(event), settings)
        metrics.routed(outcome.ok, outcome.reason, time.perf_counter() - started)
        progress.advanced()
        outcomes.append(outcome)
    return outcomes


def _origin(event: EventT) -> Origin:
    return Origin(topic=event.message.topic, partition=event.message.partition, offset=event.message.offset)


async def _send(producer: Any, settings: Settings, outcome: Outcome) -> Awaitable[Any]:
    """Send one result; a refusal the client makes before sending comes back as a failed delivery,
    the same as the broker's, so the acker deals with both in order."""
    topic = settings.enriched_topic if outcome.ok else settings.dead_letter_topic
    error: BaseException
    if fits(outcome.key, outcome.value, settings.topic_max_message_bytes):
        try:
            return await producer.send(topic, outcome.key, outcome.value, partition=None, timestamp=None, headers=None)
        except ProducerSendError as exc:
            if not isinstance(exc.__cause__, _REFUSED):
                raise
            error = exc.__cause__
    else:  # a bare dead letter larger than the topics take: the broker is not asked
        error = RecordTooLargeError(f"{len(outcome.value):,} bytes; the topics take {settings.topic_max_message_bytes:,}")
    refused = asyncio.get_running_loop().create_future()
    refused.set_exception(error)
    return refused


async def _read_holes_again(app: _App, *, idle: bool) -> None:
    """Seek back to a message the consumer fetched and dropped before the agent saw it; the commit
    waits for it (``CommitLedger``), and only a new fetch brings it."""
    consumer = app.consumer
    for tp, offset in app.ledger.holes(time.monotonic(), consumer._committed_offset, idle=idle):
        if tp in consumer.assignment():
            log.warning("%s[%d] offset %d was fetched but never reached the agent; reading from it again", tp.topic, tp.partition, offset)
            app.metrics.read_again.inc()
            await consumer.seek(tp, offset)


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


async def _ack_in_order(stream: StreamT, sent: asyncio.Queue[Delivery], producer: Any, settings: Settings, app: _App, progress: Progress) -> None:
    """Ack each event once the broker has its result, in the order the events arrived. A result
    the broker refuses as too large is replaced by a smaller one (a dead letter, then a bare dead
    letter); a message not even that could be sent for is logged, counted and skipped (README:
    "Messages that cannot be delivered"), never retried in a loop. Any other failed delivery
    raises here and nothing after it is acked, so its offset is never committed."""
    metrics = app.metrics
    skipped = 0
    while True:
        event, outcome, delivery, sent_at = await sent.get()
        retried = False
        while True:
            try:
                await delivery
                break
            except _REFUSED as exc:
                if not retried:
                    # The broker refuses a whole batch: a result may only have shared one with a
                    # larger result. Sent again, it is sent after that batch, in a new one.
                    retried, delivery = True, await _send(producer, settings, outcome)
                    continue
                retried = False
                message, why = event.message, f"{type(exc).__name__}: {exc}"
                replacement = smaller(outcome, message.value, message.key, _origin(event), settings, why)
                if replacement is None:
                    skipped += 1
                    metrics.skipped.inc()
                    log.error(
                        "skipped %s[%d] offset %d: the broker refused even a bare dead letter (%s); %d skipped since start",
                        message.topic, message.partition, message.offset, why, skipped,
                    )
                    break
                log.warning("%s[%d] offset %d: the broker refused the %s (%s); sending a smaller dead letter",
                            message.topic, message.partition, message.offset, "record" if outcome.ok else "dead letter", why)
                outcome, delivery = replacement, await _send(producer, settings, replacement)
        metrics.in_flight.dec()
        metrics.deliver_seconds.observe(time.perf_counter() - sent_at)
        app.ledger.finished(event.message.tp, event.message.offset)
        await stream.ack(event)
        progress.acked()


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
