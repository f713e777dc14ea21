"""Generated bad messages through a real worker: each becomes a dead letter with a reason, the
worker never crashes, and its memory stays flat over thousands of messages."""

from __future__ import annotations

import asyncio
import time
import uuid

import orjson
import psutil
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from copydesk import errors
from copydesk.produce import Message, produce
from copydesk.results import Result, ResultReader
from copydesk.settings import Settings

REASONS = {cls.reason for cls in vars(errors).values() if isinstance(cls, type) and issubclass(cls, errors.CopydeskError)}
BODY = "The harbour authority said on Thursday that the new ferry terminal would open in the spring of next year."

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
    st.builds(lambda field, v: orjson.dumps({"url": "https://example.org/a", field: v}), st.sampled_from(["html", "text"]), not_a_string),
    st.builds(lambda f: orjson.dumps({"url": "https://example.org/a", "text": BODY, "fetched_at": f"x{f}"}), st.text(max_size=20)),
    st.builds(lambda blank: orjson.dumps({"url": "https://example.org/a", "html": blank, "text": blank}), st.sampled_from(["", " ", "\n\t"])),
    st.integers(1030, 5000).map(lambda depth: b"[" * depth + b"]" * depth),  # nested past the JSON parser's limit
)


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


@pytest.fixture
def worker(workers):
    return workers.start()


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(bad_values, min_size=100, max_size=100))
def test_generated_bad_messages_are_dead_lettered(isolated, workers, worker, values):
    messages = [(f"fz-{uuid.uuid4().hex}".encode(), value) for value in values]
    found = asyncio.run(results_for(isolated, messages))
    assert worker.poll() is None, f"the worker died:\n{workers.logs()}"
    for key, value in messages:
        (topic, letter), *_ = found[key.decode()]
        assert topic == isolated.dead_letter_topic, (value[:200], letter)
        assert letter["reason"] in REASONS and letter["message"], letter
        assert letter["value_length"] == len(value)


def test_worker_memory_stays_flat_over_3000_messages(isolated, workers, worker):
    def batch(start: int, count: int) -> list[Message]:
        out: list[Message] = []
        for n in range(start, start + count):
            key = f"rss-{n}"
            if n % 3 == 0:
                value = b"\xff not a message"
            else:
                html = f"<html><title>Ferry {n}</title><body><article><h1>Ferry {n}</h1>" + f"<p>{BODY} Item {n}.</p>" * 5 + "</article></body></html>"
                value = orjson.dumps({"id": key, "url": f"https://harbour.example.org/{n}", "html": html})
            out.append((key.encode(), value))
        return out

    process = psutil.Process(worker.pid)
    warm = asyncio.run(results_for(isolated, batch(0, 500)))
    assert len(warm) == 500, workers.logs()
    start = process.memory_info().rss
    for first in range(500, 3000, 500):
        assert len(asyncio.run(results_for(isolated, batch(first, 500)))) == 500, workers.logs()
    end = process.memory_info().rss
    print(f"\nworker RSS after 500 messages {start / 2**20:.1f} MB, after 3,000 {end / 2**20:.1f} MB")
    assert worker.poll() is None, workers.logs()
    assert end - start < 32 * 2**20, f"worker RSS grew from {start / 2**20:.1f} MB to {end / 2**20:.1f} MB"


def test_the_largest_page_costs_no_rebalance(isolated, workers, worker):
    """Cleaning runs beside the event loop, so heartbeats flow while a page near the size limit is
    worked on: the group does not rebalance and the message behind it is processed."""
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
