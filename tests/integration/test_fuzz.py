"""Generated bad messages through a real worker: each becomes a dead letter with a reason, the
worker never crashes, and its memory stays flat over 100,000 messages."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from subprocess import Popen

import orjson
import psutil
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from copydesk import errors
from copydesk.kafka.produce import Message, produce
from copydesk.kafka.results import Result, ResultReader
from copydesk.settings import Settings

REASONS = {cls.reason for cls in vars(errors).values() if isinstance(cls, type) and issubclass(cls, errors.CopydeskError)}
BODY = "The harbour authority said on Thursday that the new ferry terminal would open in the spring of next year."
URL = "https://example.org/a"


def _break_utf8(value: bytes, at: int, junk: bytes) -> bytes:
    at %= len(value)
    return value[:at] + b"\xff" + junk + value[at:]


def _page(html: str) -> bytes:
    return orjson.dumps({"url": URL, "html": html})


json_leaves = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False) | st.text(max_size=50)
json_values = st.recursive(json_leaves, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=20)
not_a_string = json_values.filter(lambda v: not isinstance(v, str))
#: Each of these can never become a record.
bad_values = st.one_of(
    st.binary(max_size=300).map(lambda b: b"\xff" + b),  # not UTF-8
    st.text(max_size=300).map(lambda t: f"#{t}".encode()),  # not JSON
    json_values.filter(lambda v: not isinstance(v, dict)).map(orjson.dumps),  # not an object
    st.dictionaries(st.text(max_size=10).filter(lambda k: k != "url"), json_values, max_size=4).map(orjson.dumps),  # no url
    st.builds(lambda url: orjson.dumps({"url": url, "text": BODY}), not_a_string),  # url of the wrong type
    st.builds(lambda field, v: orjson.dumps({"url": URL, field: v}), st.sampled_from(["html", "text"]), not_a_string),
    st.builds(lambda f: orjson.dumps({"url": URL, "text": BODY, "fetched_at": f"x{f}"}), st.text(max_size=20)),
    st.builds(lambda blank: orjson.dumps({"url": URL, "html": blank, "text": blank}), st.sampled_from(["", " ", "\n\t"])),
    st.integers(1030, 5000).map(lambda depth: b"[" * depth + b"]" * depth),  # nested past the JSON parser's limit
    st.builds(lambda at, junk: _break_utf8(orjson.dumps({"url": URL, "text": BODY}), at, junk), st.integers(0, 2**16), st.binary(min_size=1, max_size=4)),
)
#: Megabytes each: a run draws two of each kind and sends them once in the warm-up, once after it.
heavy_kinds = (
    # huge strings where the schema allows short ones
    st.builds(lambda field, size: orjson.dumps({"url": URL, "text": BODY, field: "x" * size}), st.sampled_from(["url", "id"]), st.integers(2**20, 3 * 2**20)),
    # huge strings past the size limit: dead-lettered unread
    st.builds(lambda field, extra: orjson.dumps({"url": URL, field: "w " * ((Settings().max_message_bytes + extra) // 2)}), st.sampled_from(["html", "text", "title"]), st.integers(1, 2**20)),
    # HTML bombs, with no article in them: deep nesting, a flood of elements, a flood of attributes
    st.builds(lambda tag, depth: _page(f"<{tag}>" * depth + f"</{tag}>" * depth), st.sampled_from(["div", "span", "li", "p"]), st.integers(50_000, 100_000)),
    st.builds(lambda opener, count: _page(opener * count), st.sampled_from(["<b><i>", "<table><tr><td>", "<!--", "<br>"]), st.integers(50_000, 100_000)),
    st.integers(50_000, 100_000).map(lambda count: _page("<p " + " ".join(f"a{i}={i}" for i in range(count)) + "></p>")),
)

TOTAL = 100_000
#: RSS is measured once these have results: the worker's caches, buffers and allocator arenas
#: have reached their working size by then.
WARM_UP = 5_000
#: Growth from the warm-up to the end that is not a leak: RSS rises in a few steps of a few MB as
#: the allocator keeps freed buffers (4-13 MB in all over 100,000 messages, 11 MB over 300,000),
#: then stays flat. A leak of 350 bytes a message over the 95,000 after the warm-up exceeds it.
RSS_BOUND = 32 * 2**20
GOOD_EVERY = 20
BATCH = 2_500
#: Fail if no result arrives for this long (the worker is alive but stuck).
STALL_S = 60.0


def draw(strategy: st.SearchStrategy[bytes], count: int) -> list[bytes]:
    """Up to ``count`` distinct examples; drawing a pool once and cycling it is far faster than drawing
    100,000."""
    drawn: set[bytes] = set()

    @settings(max_examples=count, database=None, phases=[Phase.generate], deadline=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def keep(value: bytes) -> None:
        drawn.add(value)

    keep()
    return sorted(drawn)


def good_page(n: int) -> bytes:
    key = f"soak-{n}"
    if n % 2:
        return orjson.dumps({"id": key, "url": f"https://harbour.example.org/{n}", "text": f"Ferry {n}\n{BODY}\n{BODY} Item {n}."})
    html = f"<html><title>Ferry {n}</title><body><article><h1>Ferry {n}</h1>" + f"<p>{BODY} Item {n}.</p>" * 5 + "</article></body></html>"
    return orjson.dumps({"id": key, "url": f"https://harbour.example.org/{n}", "html": html})


def spread(items: list[bytes], span: range) -> dict[int, bytes]:
    """The items at even intervals inside ``span``, by position."""
    step = len(span) // (len(items) + 1)
    return {span.start + step * (i + 1): item for i, item in enumerate(items)}


@dataclass(frozen=True)
class Plan:
    """Message ``n`` of the run, rebuilt on demand so neither the messages nor their results are
    held: the bad pool cycled, a good page every ``GOOD_EVERY``, the heavy ones at fixed places."""

    bad: list[bytes]
    heavy: dict[int, bytes]

    def value(self, n: int) -> bytes:
        if n in self.heavy:
            return self.heavy[n]
        return good_page(n) if n % GOOD_EVERY == 0 else self.bad[n % len(self.bad)]

    def messages(self, span: range) -> Iterator[Message]:
        return ((f"soak-{n}".encode(), self.value(n)) for n in span)

    def problem(self, n: int, result: Result) -> str:
        """What is wrong with message ``n``'s result; empty when nothing."""
        topic, doc = result
        value = self.value(n)
        if n not in self.heavy and n % GOOD_EVERY == 0:
            return "" if topic.endswith(".enriched") else f"a good page was dead-lettered: {doc.get('reason')} {doc.get('message')}"
        if topic.endswith(".enriched"):
            return f"became a record: {value[:200]!r}"
        if doc["reason"] not in REASONS or not doc["message"]:
            return f"unknown reason {doc['reason']!r} ({doc['message']!r}) for {value[:200]!r}"
        if doc["value_length"] != len(value):
            return f"value_length {doc['value_length']} for a message of {len(value)} bytes"
        return ""


@dataclass
class Tally:
    """Results counted by message key as they arrive; only the first problems are kept."""

    plan: Plan
    worker: Popen[bytes]
    logs: Callable[[], str]
    counts: bytearray = field(default_factory=lambda: bytearray(TOTAL))
    seen: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    faults: int = 0
    problems: list[str] = field(default_factory=list)
    peak_rss: int = 0

    def flag(self, problem: str) -> None:
        self.faults += 1
        if len(self.problems) < 20:
            self.problems.append(problem)

    def add(self, result: Result) -> None:
        topic, doc = result
        key = doc["id"] if topic.endswith(".enriched") else doc["key"]
        n = int(key.removeprefix("soak-")) if isinstance(key, str) and key.startswith("soak-") else -1
        if not 0 <= n < TOTAL:
            self.flag(f"a result for no message: {key!r} on {topic}")
            return
        self.counts[n] = min(self.counts[n] + 1, 255)
        self.seen += self.counts[n] == 1
        if self.counts[n] > 1:
            self.flag(f"soak-{n} has {self.counts[n]} results")
        self.reasons["record" if topic.endswith(".enriched") else doc["reason"]] += 1
        if problem := self.plan.problem(n, result):
            self.flag(f"soak-{n}: {problem}")

    async def until(self, reader: ResultReader, seen: int) -> None:
        """Collect until ``seen`` messages have a result; fail if the worker dies or stalls."""
        last = time.monotonic()
        while self.seen < seen:
            assert self.worker.poll() is None, f"the worker died after {self.seen:,} results:\n{self.logs()}"
            results = await reader.collect(seen - self.seen, timeout=1.0)
            for result in results:
                self.add(result)
            if results:
                last = time.monotonic()
            assert time.monotonic() - last < STALL_S, f"no result for {STALL_S:.0f} s after {self.seen:,} of {seen:,}:\n{self.logs()}"
            self.peak_rss = max(self.peak_rss, psutil.Process(self.worker.pid).memory_info().rss)


async def send(settings: Settings, reader: ResultReader, tally: Tally, span: range) -> None:
    """Produce ``span`` in batches, at most one batch ahead of the results, then wait for all."""
    for start in range(span.start, span.stop, BATCH):
        await produce(settings, tally.plan.messages(range(start, min(start + BATCH, span.stop))))
        await tally.until(reader, start)
    await tally.until(reader, span.stop)


async def soak(settings: Settings, tally: Tally) -> tuple[int, int, float]:
    """Run every message through; RSS after the warm-up and at the end, and seconds for the rest."""
    process = psutil.Process(tally.worker.pid)
    async with ResultReader(settings) as reader:
        await send(settings, reader, tally, range(WARM_UP))
        start = process.memory_info().rss
        began = time.monotonic()
        await send(settings, reader, tally, range(WARM_UP, TOTAL))
        seconds = time.monotonic() - began
        end = process.memory_info().rss
        # A second result for any message would be a redelivery; give it a moment to show.
        for result in await reader.collect(1, timeout=3.0):
            tally.add(result)
    return start, end, seconds


def test_100k_generated_messages_through_one_worker(isolated, workers, capsys):
    """Bad messages of every kind, hypothesis-drawn, with small good pages among them: each
    message gets exactly one result, the worker never dies, and its RSS stays flat."""
    heavy = [value for kind in heavy_kinds for value in draw(kind, 2)]
    # The warm-up sees each heavy kind too, so a high-water mark it leaves is not taken for a leak.
    plan = Plan(bad=draw(bad_values, 3_000), heavy=spread(heavy, range(WARM_UP)) | spread(heavy, range(WARM_UP, TOTAL)))
    worker = workers.start()
    tally = Tally(plan, worker, workers.logs)
    began = time.monotonic()
    start, end, seconds = asyncio.run(soak(isolated, tally))
    wall = time.monotonic() - began
    with capsys.disabled():
        print(
            f"\nworker soak: {TOTAL:,} messages ({len(plan.bad):,} distinct generated bad ones cycled, "
            f"{len(plan.heavy)} of megabytes) in {wall:.0f} s; {(TOTAL - WARM_UP) / seconds:.0f} messages/s after warm-up; "
            f"worker RSS after {WARM_UP:,} messages {start / 2**20:.1f} MB, after {TOTAL:,} {end / 2**20:.1f} MB "
            f"(peak {tally.peak_rss / 2**20:.1f} MB); results: {dict(tally.reasons.most_common())}"
        )
    assert worker.poll() is None, f"the worker died:\n{workers.logs()}"
    assert not tally.faults, f"{tally.faults} problems, the first ones:\n" + "\n".join(tally.problems)
    assert tally.seen == TOTAL
    assert end - start < RSS_BOUND, f"worker RSS grew from {start / 2**20:.1f} MB to {end / 2**20:.1f} MB"


async def results_for(settings: Settings, messages: list[Message], *, timeout: float = 120.0) -> dict[str, list[Result]]:
    """Produce, then gather results by message key until every key has one."""
    keys = {key.decode() for key, _ in messages}
    found: dict[str, list[Result]] = {}
    async with ResultReader(settings) as reader:
        await produce(settings, messages)
        deadline = time.monotonic() + timeout
        while not keys <= found.keys() and time.monotonic() < deadline:
            for topic, doc in await reader.collect(len(keys), timeout=2.0):
                found.setdefault(doc["key"] if topic == settings.dead_letter_topic else doc["id"], []).append((topic, doc))
    return found


def test_the_largest_page_costs_no_rebalance(isolated, workers):
    """Cleaning runs beside the event loop, so heartbeats flow while a page near the size limit is
    worked on: the group does not rebalance and the message behind it is processed."""
    worker = workers.start()
    log = workers.log_dir / "worker-0.log"
    assert len(asyncio.run(results_for(isolated, [(b"warm", b"not json")]))) == 1, workers.logs()
    joins = log.read_text(errors="replace").count("Joined group")
    paragraphs = "".join(f"<p>{BODY} Paragraph {n} adds the figure {n * 7} to the record.</p>" for n in range(40_000))
    big = orjson.dumps({"id": "big", "url": "https://harbour.example.org/big", "html": f"<html><body><article><h1>Ferry</h1>{paragraphs}</article></body></html>"})
    assert len(big) < Settings().max_message_bytes
    found = asyncio.run(results_for(isolated, [(b"big", big), (b"after", b"not json either")], timeout=300.0))
    assert set(found) == {"big", "after"}, workers.logs()
    assert worker.poll() is None, workers.logs()
    assert log.read_text(errors="replace").count("Joined group") == joins, f"the group rebalanced:\n{workers.logs()}"
