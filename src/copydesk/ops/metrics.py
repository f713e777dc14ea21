"""A worker's figures in Prometheus form, and the health and readiness verdicts built from them.

One ``WorkerMetrics`` per worker process, with a registry of its own (never the client library's
global one), so tests and several apps in a process do not share counters.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector

#: Seconds a message spends in a stage: from a tenth of a millisecond (a malformed message) to
#: the tens of seconds a hostile page or a broker under failover may take.
STAGE_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
#: The event loop ticks every second; a loop silent this long is stuck (a probe then fails).
LOOP_STALL_S = 15.0
#: A worker holding partitions fetches at least every second or so; this long without a poll
#: means its consumer is wedged.
POLL_STALL_S = 60.0

#: Partition -> (log end offset, committed offset); ``None`` where not known yet.
Offsets = Mapping[tuple[str, int], tuple[int | None, int | None]]


@dataclass(frozen=True, slots=True)
class ConsumerState:
    """What the consumer knows at one moment (monotonic seconds; 0.0: never)."""

    offsets: Offsets
    rebalancing: bool
    last_poll: float
    last_commit: float


@dataclass(frozen=True, slots=True)
class Verdict:
    ok: bool
    reason: str


def healthy(now: float, last_tick: float, state: ConsumerState | None) -> Verdict:
    """Liveness: the event loop runs, and a consumer that holds partitions keeps polling."""
    if now - last_tick > LOOP_STALL_S:
        return Verdict(False, f"event loop stalled for {now - last_tick:.0f}s")
    if state is not None and state.offsets and state.last_poll and now - state.last_poll > POLL_STALL_S:
        return Verdict(False, f"no poll for {now - state.last_poll:.0f}s")
    return Verdict(True, "ok")


def ready(state: ConsumerState | None) -> Verdict:
    """Readiness: partitions assigned and no rebalance under way."""
    if state is None:
        return Verdict(False, "starting")
    if state.rebalancing:
        return Verdict(False, "rebalancing")
    if not state.offsets:
        return Verdict(False, "no partitions assigned")
    return Verdict(True, f"{len(state.offsets)} partitions assigned")


def lag(offsets: Offsets) -> dict[tuple[str, int], int]:
    """Messages per partition that the group has not committed, where both ends are known."""
    return {tp: max(0, end - committed) for tp, (end, committed) in offsets.items() if end is not None and committed is not None}


class WorkerMetrics:
    """Counters the agent feeds, and the consumer's state as the event loop last saw it (read by
    the scrape and probe thread, which never calls into the consumer itself)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.last_tick = time.monotonic()
        self.state: ConsumerState | None = None
        self.messages = Counter("copydesk_messages_consumed", "Raw messages the worker consumed", registry=self.registry)
        self.records = Counter("copydesk_records", "Records published", registry=self.registry)
        self.dead_letters = Counter("copydesk_dead_letters", "Dead letters published, by reason", ["reason"], registry=self.registry)
        self.skipped = Counter("copydesk_messages_skipped", "Messages not even a bare dead letter could be delivered for", registry=self.registry)
        self.read_again = Counter("copydesk_messages_read_again", "Messages fetched and dropped before the agent saw them (in a rebalance), read again", registry=self.registry)
        self.stage_seconds = Histogram(
            "copydesk_stage_seconds", "Seconds a message spends in a stage: route (parse, clean, enrich, serialise; "
            "on the cleaning thread) and deliver (sent until the broker acknowledged it)",
            ["stage"], buckets=STAGE_BUCKETS, registry=self.registry,
        )
        self.route_seconds = self.stage_seconds.labels("route")
        self.deliver_seconds = self.stage_seconds.labels("deliver")
        self.in_flight = Gauge("copydesk_in_flight_results", "Results sent, not yet acknowledged by the broker", registry=self.registry)
        self.registry.register(_ConsumerCollector(self))
        ProcessCollector(registry=self.registry)

    def tick(self, state: ConsumerState | None) -> None:
        """The event loop is alive, and the consumer is in ``state`` (called every second)."""
        self.state = state
        self.last_tick = time.monotonic()

    def routed(self, ok: bool, reason: str, seconds: float) -> None:
        """One message routed in ``seconds``, to a record or to a dead letter for ``reason``.
        Thread-safe: the cleaning thread calls it."""
        self.messages.inc()
        if ok:
            self.records.inc()
        else:
            self.dead_letters.labels(reason).inc()
        self.route_seconds.observe(seconds)

    def totals(self) -> Totals:
        sample = self.registry.get_sample_value
        reasons = {s.labels["reason"]: int(s.value) for m in self.dead_letters.collect() for s in m.samples if s.name.endswith("_total")}
        return Totals(int(sample("copydesk_messages_consumed_total") or 0), int(sample("copydesk_records_total") or 0), reasons)


@dataclass(frozen=True, slots=True)
class Totals:
    messages: int
    records: int
    dead_letters: Mapping[str, int]


class _ConsumerCollector(Collector):
    """Gauges read from the consumer's state: lag per partition, the age of the last commit, the
    partitions held, and whether the worker is healthy and ready."""

    def __init__(self, metrics: WorkerMetrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterable[GaugeMetricFamily]:
        state = self.metrics.state
        now = time.monotonic()
        lag_family = GaugeMetricFamily("copydesk_consumer_lag", "Messages of a partition the group has not committed", labels=["topic", "partition"])
        if state is not None:
            for (topic, partition), behind in sorted(lag(state.offsets).items()):
                lag_family.add_metric([topic, str(partition)], behind)
        yield lag_family
        if state is not None and state.last_commit:
            yield GaugeMetricFamily("copydesk_last_commit_age_seconds", "Seconds since offsets were last committed", value=now - state.last_commit)
        yield GaugeMetricFamily("copydesk_assigned_partitions", "Partitions of the input topic this worker holds", value=len(state.offsets) if state else 0)
        yield GaugeMetricFamily("copydesk_healthy", "1 when /healthz passes", value=int(healthy(now, self.metrics.last_tick, state).ok))
        yield GaugeMetricFamily("copydesk_ready", "1 when /readyz passes", value=int(ready(state).ok))
