"""The worker against a real broker: records out, every malformed message dead-lettered with its
reason while the good messages behind it are processed, and offsets committed only for results
the broker has."""

from __future__ import annotations

import asyncio
import time

import orjson
import pytest

from copydesk.kafka.produce import produce
from copydesk.kafka.results import ResultReader
from copydesk.settings import CODECS, Settings
from tests.integration.conftest import lag

GOOD_HTML = (
    "<html><head><title>Ferry service resumes | Harbor Times</title></head><body><nav><a href='/'>Home</a></nav>"
    "<article><h1>Ferry service resumes</h1>"
    + "<p>Ferry service between the islands resumed on Friday after a week of storms, the operator said, and extra crossings were added.</p>" * 4
    + "</article></body></html>"
)

BAD = {
    "not-json": (b"this is not json", "not_json"),
    "array": (b"[1, 2, 3]", "not_an_object"),
    "no-url": (b'{"id": "no-url", "text": "Some text"}', "schema_violation"),
    "html-type": (b'{"id": "html-type", "url": "https://example.org/h", "html": {"p": 1}}', "schema_violation"),
    "empty-text": (b'{"id": "empty-text", "url": "https://example.org/e", "text": ""}', "empty_body"),
    "huge": (orjson.dumps({"id": "huge", "url": "https://example.org/big", "text": "word " * 4_000_000}), "too_large"),
    "bad-utf8": (b'{"url": "https://example.org/u", "text": "caf\xe9 \xff"}', "not_utf8"),
}


async def _run(settings: Settings, messages, expected: int, timeout: float = 120.0, compression: str | None = None):
    async with ResultReader(settings) as reader:
        await produce(settings, messages, compression=compression)
        return await reader.collect(expected, timeout=timeout)


def test_sample_and_malformed_messages_through_kafka(isolated, workers, sample_raw_text, sample_expected):
    sample = orjson.dumps({"id": "sample", "url": "https://www.motherjones.com/politics/2020/01/coalition-pause/", "text": sample_raw_text})
    after = [orjson.dumps({"id": f"after-{i}", "url": f"https://example.org/after/{i}", "html": GOOD_HTML}) for i in range(3)]
    messages = [(b"sample", sample)] + [(key.encode(), value) for key, (value, _) in BAD.items()] + [(None, v) for v in after]
    worker = workers.start()

    results = asyncio.run(_run(isolated, messages, len(messages)))

    assert worker.poll() is None, workers.logs()
    records = {doc["id"]: doc for topic, doc in results if topic == isolated.enriched_topic}
    letters = {doc["key"]: doc for topic, doc in results if topic == isolated.dead_letter_topic}
    assert len(results) == len(messages), workers.logs()
    assert set(records) == {"sample", "after-0", "after-1", "after-2"}
    assert records["sample"]["title"] == sample_expected["title"]
    # Every paragraph of the article is there (what else the line model keeps: tests/unit/test_sample.py).
    assert all(paragraph in records["sample"]["text"] for paragraph in sample_expected["body_paragraphs"])
    assert {key: letter["reason"] for key, letter in letters.items()} == {key: reason for key, (_, reason) in BAD.items()}
    for letter in letters.values():
        assert letter["topic"] == isolated.raw_topic and letter["offset"] >= 0 and letter["message"]
    assert letters["huge"]["value_length"] > 20_000_000 and letters["huge"]["value_truncated"]
    assert letters["bad-utf8"]["value_encoding"] == "base64"
    assert workers.stop(worker) == 0, workers.logs()


def test_offsets_are_committed_and_a_restart_reprocesses_nothing(isolated, workers):
    messages = [(None, orjson.dumps({"id": f"c{i}", "url": f"https://example.org/c/{i}", "html": GOOD_HTML})) for i in range(20)]
    worker = workers.start()
    results = asyncio.run(_run(isolated, messages, 20))
    assert len(results) == 20, workers.logs()
    assert workers.stop(worker) == 0, workers.logs()

    assert asyncio.run(lag(isolated)) == 0

    again = workers.start()
    assert asyncio.run(_idle(isolated, 10.0)) == [], "a restarted worker reprocessed committed messages"
    workers.stop(again)


@pytest.mark.parametrize("codec", CODECS)
def test_raw_messages_in_every_kafka_codec_are_read(isolated, workers, codec):
    messages = [(None, orjson.dumps({"id": f"{codec}{i}", "url": f"https://example.org/{codec}/{i}", "html": GOOD_HTML})) for i in range(5)]
    worker = workers.start()
    results = asyncio.run(_run(isolated, messages, 5, compression=codec))
    assert sorted(doc["id"] for _, doc in results) == [f"{codec}{i}" for i in range(5)], workers.logs()
    assert workers.stop(worker) == 0, workers.logs()


async def _idle(settings: Settings, seconds: float):
    async with ResultReader(settings) as reader:
        return await reader.collect(1, timeout=seconds)


def test_a_supervised_fleet_processes_everything_and_drains_on_sigterm(isolated, workers):
    messages = [(None, orjson.dumps({"id": f"f{i}", "url": f"https://example.org/f/{i}", "html": GOOD_HTML})) for i in range(30)]
    fleet = workers.start("--processes", "2")
    results = asyncio.run(_run(isolated, messages, 30))
    assert sorted(doc["id"] for _, doc in results) == sorted(f"f{i}" for i in range(30)), workers.logs()
    assert workers.stop(fleet) == 0, workers.logs()
    assert asyncio.run(lag(isolated)) == 0


def test_a_worker_started_while_the_broker_restarts_carries_on(own_broker, own_workers):
    from copydesk.kafka.broker import LocalBroker

    broker = LocalBroker(own_broker)
    worker = own_workers.start()
    time.sleep(0.8)  # past its wait for the broker, while faust starts its clients
    broker.down()
    time.sleep(3)
    broker.up()
    messages = [(None, orjson.dumps({"id": f"r{i}", "url": f"https://example.org/r/{i}", "html": GOOD_HTML})) for i in range(10)]
    results = asyncio.run(_run(own_broker, messages, 10, timeout=180.0))
    assert sorted(doc["id"] for _, doc in results) == [f"r{i}" for i in range(10)], own_workers.logs()
    assert worker.poll() is None, own_workers.logs()
    assert own_workers.stop(worker) == 0, own_workers.logs()
