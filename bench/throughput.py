"""End-to-end throughput of copydesk workers on a real Kafka broker, beside trafilatura on the same
pages, in one table.

Run from the repository root::

    python bench/throughput.py                              # 2,000 messages, 6 partitions, 1 then 2 workers
    python bench/throughput.py --messages 500 --workers 1,2,3
    python bench/throughput.py --compression lz4            # raw messages as a compressing scraper sends them

The benchmark pages are cycled into raw messages with distinct ids and produced to a fresh raw
topic; ``copydesk worker --processes N`` consumes them. A first, unmeasured fleet pushes
``--warm-up`` messages through so that the broker's JVM has compiled its hot paths, as a
long-running broker has. Throughput is articles per second from the first produce to the last
result (record or dead letter) appended by the broker: the output topics are switched to
LogAppendTime, so a timestamp is the moment a consumer could read the result. Latency is measured
afterwards on the idle fleet, one article at a time, from its produce to its result's append
(in the backlog it would only measure queueing). CPU seconds per article are read with psutil
from the workers, from the broker's JVM (local broker) and from this process, the load
generator (producing raw messages, reading results in bulk as an analytics consumer would);
"x trafilatura by CPU" divides trafilatura's CPU per page by copydesk's (worker plus broker) per
article, a ratio other load on the machine does not move. The in-process rows run in this
process on the same pages: trafilatura extracting text only, and copydesk's whole ``route``
(parse, clean, enrich, serialise) without Kafka. Compare ratios, not absolute speeds: the
machine may be shared.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import orjson
import psutil
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import KafkaError

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scoring import load_truth, read_html  # noqa: E402
from tables import markdown_table  # noqa: E402

from copydesk.kafka.produce import Message, produce  # noqa: E402
from copydesk.kafka.security import client_kwargs  # noqa: E402
from copydesk.routing import Origin, route  # noqa: E402
from copydesk.settings import CODECS, Settings  # noqa: E402
from copydesk.kafka.topics import ensure_topics  # noqa: E402

READY_TIMEOUT_S = 180.0
DRAIN_TIMEOUT_S = 60.0
#: Articles sent one at a time, each after the last one's result, to measure latency.
LATENCY_ARTICLES = 50


@dataclass(frozen=True, slots=True)
class Page:
    url: str
    html: str


@dataclass(frozen=True, slots=True)
class Row:
    setup: str
    articles: int
    seconds: float
    p50_ms: float | None = None
    p99_ms: float | None = None
    #: CPU seconds an article costs the worker processes (or this process, for in-process rows).
    worker_cpu_s: float | None = None
    broker_cpu_s: float | None = None
    #: Worker processes of a fleet row (0 for in-process rows).
    processes: int = 0
    #: CPU seconds an article costs this process: producing the raw message, reading its result.
    load_cpu_s: float | None = None
    duplicates: int | None = None
    dead_letters: int | None = None
    drain_s: float | None = None
    #: How busy each worker process was: every core in use shows as one share near 100%.
    worker_busy: str = "-"
    #: How long each worker process was runnable but got no CPU, as a share of the run.
    worker_waiting: str = "-"

    @property
    def rate(self) -> float:
        return self.articles / self.seconds


def load_pages() -> list[Page]:
    truth = load_truth()
    return [Page(truth[pid]["url"], read_html(pid).decode("utf-8", errors="replace")) for pid in sorted(truth)]


def cycled(pages: Sequence[Page], count: int) -> list[Page]:
    return [pages[i % len(pages)] for i in range(count)]


def in_process(setup: str, work: Callable[[Page], object], pages: Sequence[Page]) -> Row:
    work(pages[0])  # loads models and data lazily, as a worker does once at start
    started, cpu = time.perf_counter(), time.process_time()
    for page in pages:
        work(page)
    return Row(setup, len(pages), time.perf_counter() - started, worker_cpu_s=(time.process_time() - cpu) / len(pages))


def trafilatura_extract(page: Page) -> object:
    import trafilatura

    return trafilatura.extract(page.html, url=page.url, include_comments=False)


def copydesk_route(settings: Settings) -> Callable[[Page], object]:
    origin = Origin(topic=settings.raw_topic, partition=0, offset=0)

    def work(page: Page) -> object:
        value = orjson.dumps({"url": page.url, "html": page.html, "fetched_at": datetime.now(UTC).isoformat()})
        return route(value, None, origin, settings)

    return work


def fleet_settings(settings: Settings, partitions: int) -> Settings:
    name = f"bench{uuid.uuid4().hex[:8]}"
    return replace(
        settings,
        raw_topic=f"{name}.raw",
        enriched_topic=f"{name}.enriched",
        dead_letter_topic=f"{name}.dead-letter",
        group_id=f"{name}-group",
        partitions=partitions,
    )


def worker_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        COPYDESK_BROKERS=settings.bootstrap_servers,
        COPYDESK_RAW_TOPIC=settings.raw_topic,
        COPYDESK_ENRICHED_TOPIC=settings.enriched_topic,
        COPYDESK_DEAD_LETTER_TOPIC=settings.dead_letter_topic,
        COPYDESK_GROUP_ID=settings.group_id,
        COPYDESK_PARTITIONS=str(settings.partitions),
        COPYDESK_LOG_LEVEL="warning",
    )
    return env


def cpu_by_process(pid: int | None) -> dict[int, float]:
    """User + system CPU seconds of a process and each of its living descendants, by pid."""
    if pid is None:
        return {}
    found: dict[int, float] = {}
    try:
        root = psutil.Process(pid)
        for process in [root, *root.children(recursive=True)]:
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            found[process.pid] = times.user + times.system
    except psutil.NoSuchProcess:
        pass
    return found


def run_queue_waits(pid: int | None) -> dict[int, float]:
    """Seconds each process (and descendant) spent runnable but waiting for a CPU, summed over its
    threads (Linux schedstat; empty elsewhere): high values mean the machine, not the worker, is
    the limit."""
    if pid is None:
        return {}
    found: dict[int, float] = {}
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return {}
    for process in processes:
        for stat in Path(f"/proc/{process.pid}/task").glob("*/schedstat"):
            try:
                found[process.pid] = found.get(process.pid, 0.0) + int(stat.read_text().split()[1]) / 1e9
            except (OSError, IndexError, ValueError):
                continue
    return found


def busy_shares(before: dict[int, float], after: dict[int, float], seconds: float) -> str:
    """How busy each process that used CPU was over ``seconds``, e.g. "97%/95%"."""
    shares = sorted(((after[pid] - before.get(pid, 0.0)) / seconds for pid in after), reverse=True)
    return "/".join(f"{share:.0%}" for share in shares if share >= 0.05)


async def group_members(settings: Settings) -> int:
    admin = AIOKafkaAdminClient(**client_kwargs(settings))
    await admin.start()
    try:
        (response,) = await admin.describe_consumer_groups([settings.group_id])
        _error, _group, state, _kind, _protocol, members, *_ = response.groups[0]
        return len(members) if state == "Stable" else 0
    except KafkaError:  # the group coordinator is still being elected
        return 0
    finally:
        await admin.close()


async def wait_ready(settings: Settings, processes: int, worker: subprocess.Popen[bytes]) -> None:
    """Until every worker process is a member of the group and each partition has answered a probe."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while await group_members(settings) < processes:
        if worker.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the workers did not join the group (exit code {worker.poll()})")
        await asyncio.sleep(0.5)
    # Enough keys that every partition almost surely gets one.
    probes = [f"probe-{i}" for i in range(10 * settings.partitions)]
    async with Results(settings) as results:
        await produce(settings, [(key.encode(), orjson.dumps({"id": key, "url": "https://example.org/p", "text": "x"})) for key in probes])
        await results.wait_for(set(probes), timeout=READY_TIMEOUT_S)


def stamped(keys: Sequence[str], pages: Sequence[Page], sent_at: dict[str, float]) -> Iterator[Message]:
    """Messages made as the producer asks for them, each noting when it was sent (wall clock,
    like the broker's timestamps)."""
    for key, page in zip(keys, pages, strict=True):
        sent_at[key] = time.time()
        yield key.encode(), orjson.dumps({"id": key, "url": page.url, "html": page.html, "fetched_at": datetime.now(UTC).isoformat()})


class Results:
    """Every result on the (fresh) output topics: its key, topic and broker timestamp (the time
    the broker appended it, see ``append_times``)."""

    def __init__(self, settings: Settings, *, batched: bool = False) -> None:
        self._topics = (settings.enriched_topic, settings.dead_letter_topic)
        self._partitions = settings.partitions
        # Read as an analytics consumer would in bulk: the broker answers once a MB is ready or
        # after 200 ms, rather than once per record (which costs the shared CPUs a request each).
        bulk = {"fetch_min_bytes": 1024 * 1024, "fetch_max_wait_ms": 200} if batched else {}
        self._consumer = AIOKafkaConsumer(
            **client_kwargs(settings),
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            **bulk,
        )
        self.seen: dict[str, list[tuple[str, float]]] = {}

    async def __aenter__(self) -> Results:
        await self._consumer.start()
        self._consumer.assign([TopicPartition(t, p) for t in self._topics for p in range(self._partitions)])
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._consumer.stop()

    async def wait_for(self, keys: set[str], *, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not keys <= self.seen.keys():
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(keys - self.seen.keys())} of {len(keys)} results missing after {timeout:.0f}s")
            for batch in (await self._consumer.getmany(timeout_ms=500)).values():
                for message in batch:
                    key = (message.key or b"").decode("utf-8", errors="replace")
                    self.seen.setdefault(key, []).append((message.topic, message.timestamp / 1000))


def percentile(values: Sequence[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


async def append_times(settings: Settings) -> None:
    """Stamp results with the time the broker appended them (the time a consumer could first read
    them), not the time the worker handed them to its producer, which leaves out batching."""
    admin = AIOKafkaAdminClient(**client_kwargs(settings))
    await admin.start()
    try:
        await admin.alter_configs([
            ConfigResource(ConfigResourceType.TOPIC, topic, {"message.timestamp.type": "LogAppendTime"})
            for topic in (settings.enriched_topic, settings.dead_letter_topic)
        ])
    finally:
        await admin.close()


async def run_fleet(
    settings: Settings, processes: int, pages: Sequence[Page], broker_pid: int | None, log_dir: Path, compression: str | None
) -> Row:
    settings = fleet_settings(settings, settings.partitions)
    await ensure_topics(settings)
    await append_times(settings)
    log = (log_dir / f"workers-{processes}.log").open("wb")
    worker = subprocess.Popen(
        [sys.executable, "-m", "copydesk", "worker", "--processes", str(processes)],
        env=worker_env(settings), stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        await wait_ready(settings, processes, worker)
        keys = [f"a{i:07d}" for i in range(len(pages))]
        sent_at: dict[str, float] = {}
        async with Results(settings, batched=True) as results:
            workers_before, broker_before = cpu_by_process(worker.pid), cpu_by_process(broker_pid)
            waits_before, own_before = run_queue_waits(worker.pid), time.process_time()
            started = time.monotonic()
            await produce(settings, stamped(keys, pages, sent_at), compression=compression)
            await results.wait_for(set(keys), timeout=max(600.0, 2.0 * len(keys)))
            elapsed = time.monotonic() - started
            workers_after, broker_after = cpu_by_process(worker.pid), cpu_by_process(broker_pid)
            waits_after, own_after = run_queue_waits(worker.pid), time.process_time()
        # Latency one article at a time on the idle fleet: in the backlog above it is queueing.
        alone = [f"l{i:07d}" for i in range(LATENCY_ARTICLES)]
        async with Results(settings) as one_by_one:
            for key, page in zip(alone, pages, strict=False):
                await produce(settings, stamped([key], [page], sent_at), compression=compression)
                await one_by_one.wait_for({key}, timeout=READY_TIMEOUT_S)
        drain_started = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=DRAIN_TIMEOUT_S)
        drain = time.monotonic() - drain_started
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        log.close()
        await delete_topics(settings)
    first = min(sent_at[key] for key in keys)
    done = {key: results.seen[key] for key in keys}
    last = max(stamp for found in done.values() for _, stamp in found)
    latencies = [(one_by_one.seen[key][0][1] - sent_at[key]) * 1000 for key in alone]
    return Row(
        f"copydesk worker --processes {processes}",
        len(keys),
        last - first,
        processes=processes,
        p50_ms=percentile(latencies, 50),
        p99_ms=percentile(latencies, 99),
        worker_cpu_s=(sum(workers_after.values()) - sum(workers_before.values())) / len(keys),
        broker_cpu_s=(sum(broker_after.values()) - sum(broker_before.values())) / len(keys) if broker_pid else None,
        load_cpu_s=(own_after - own_before) / len(keys),
        worker_busy=busy_shares(workers_before, workers_after, elapsed),
        worker_waiting=busy_shares(waits_before, waits_after, elapsed),
        duplicates=sum(len(found) - 1 for found in done.values()),
        dead_letters=sum(found[0][0] == settings.dead_letter_topic for found in done.values()),
        drain_s=drain,
    )


async def delete_topics(settings: Settings) -> None:
    admin = AIOKafkaAdminClient(**client_kwargs(settings))
    await admin.start()
    try:
        await admin.delete_topics([settings.raw_topic, settings.enriched_topic, settings.dead_letter_topic])
    finally:
        await admin.close()


def cpu_ratio(baseline: Row, row: Row) -> float:
    """How many articles copydesk handles (worker plus broker) for the CPU trafilatura spends on one
    page: unlike articles/s, unmoved by other load on a shared machine."""
    return (baseline.worker_cpu_s or 0.0) / ((row.worker_cpu_s or 0.0) + (row.broker_cpu_s or 0.0))


def ceiling(row: Row, one_worker: Row) -> str:
    """The most this machine's cores could give at the CPU per article this row measured for the
    workers, the broker and the load generator together: the bound a fleet sharing them meets."""
    per_article = (row.worker_cpu_s or 0.0) + (row.broker_cpu_s or 0.0) + (row.load_cpu_s or 0.0)
    cores = os.cpu_count() or 1
    bound = cores / per_article
    return (f"{row.setup}: {cores} cores / {per_article * 1000:.2f} ms CPU an article (workers, broker, load generator) "
            f"= at most {bound:.0f} articles/s, {bound / one_worker.rate:.2f}x the 1-worker rate; reached {row.rate / bound:.0%} of it")


def table(rows: Sequence[Row], baseline: Row, one_worker: Row | None) -> str:
    def num(value: float | None, fmt: str) -> str:
        return "-" if value is None else format(value, fmt)

    header = ("setup", "articles", "articles/s", "x trafilatura", "x 1 worker", "idle p50 ms", "idle p99 ms", "CPU s/article",
              "busy per worker process", "waiting for CPU", "broker CPU s/article", "load generator CPU s/article", "x trafilatura by CPU", "dead letters", "duplicates", "SIGTERM drain s")
    lines = [header]
    for row in rows:
        lines.append((
            row.setup, str(row.articles), f"{row.rate:.1f}", f"{row.rate / baseline.rate:.2f}",
            "-" if one_worker is None or row.worker_busy == "-" else f"{row.rate / one_worker.rate:.2f}",
            num(row.p50_ms, ".0f"), num(row.p99_ms, ".0f"), num(row.worker_cpu_s, ".4f"), row.worker_busy, row.worker_waiting or "-", num(row.broker_cpu_s, ".4f"), num(row.load_cpu_s, ".4f"),
            f"{cpu_ratio(baseline, row):.2f}", num(row.dead_letters, "d"), num(row.duplicates, "d"), num(row.drain_s, ".1f"),
        ))
    return markdown_table(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=2000, help="raw messages per worker run")
    parser.add_argument("--partitions", type=int, default=6, help="partitions of the raw topic")
    parser.add_argument("--workers", default="1,2", help="worker process counts to run, in order")
    parser.add_argument("--in-process-pages", type=int, default=362, help="pages for the in-process rows")
    parser.add_argument("--warm-up", type=int, default=5000, help="messages through one worker, unmeasured, first")
    parser.add_argument("--compression", choices=("none", *CODECS), default="none",
                        help="codec the raw messages are produced with, as a scraper's producer may set")
    args = parser.parse_args(argv)
    compression = None if args.compression == "none" else args.compression

    configured = Settings.from_env()
    settings = replace(configured, partitions=args.partitions)
    broker_pid = None
    if not settings.brokers:
        from copydesk.kafka.broker import LocalBroker

        broker_pid = LocalBroker(configured).up().pid
    pages = load_pages()
    log_dir = Path(tempfile.mkdtemp(prefix="copydesk-throughput-"))

    few = cycled(pages, args.in_process_pages)
    baseline = in_process("trafilatura.extract only, in process", trafilatura_extract, few)
    rows = [baseline, in_process("copydesk route() only, in process", copydesk_route(settings), few)]
    if args.warm_up:
        # A fresh JVM spends seconds of CPU compiling its hot paths and sizing its heap: measured
        # here, a new local broker costs 4-6 ms of CPU an article over its first 3,000 articles
        # and about 1 ms from some 5,000 on. A production broker has long done so.
        asyncio.run(run_fleet(settings, 1, cycled(pages, args.warm_up), broker_pid, log_dir, compression))
    one_worker = None
    for processes in (int(n) for n in args.workers.split(",")):
        row = asyncio.run(run_fleet(settings, processes, cycled(pages, args.messages), broker_pid, log_dir, compression))
        one_worker = one_worker or (row if processes == 1 else None)
        rows.append(row)
        print(f"{row.setup}: {row.rate:.1f} articles/s", file=sys.stderr, flush=True)

    print(f"{len(pages)} benchmark pages cycled; raw messages compressed with {args.compression}; {args.partitions} partitions; {os.cpu_count()} cores; "
          f"broker {'local, pid ' + str(broker_pid) if broker_pid else settings.bootstrap_servers}; worker logs in {log_dir}")
    print(table(rows, baseline, one_worker))
    for row in rows:
        if one_worker is not None and row.processes > 1:
            print(ceiling(row, one_worker))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
