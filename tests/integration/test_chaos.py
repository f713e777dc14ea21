"""A fleet of two workers on a broker of its own, treated badly: one worker is killed with SIGKILL
mid-stream and restarted, then the broker itself is stopped and started again. Afterwards every
input id has its record or dead letter (0 lost), each record is the article it claims to be, and
SIGTERM drains and commits in bounded time. Duplicates are allowed (at-least-once) and reported."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import fastjsonschema
import orjson
import pytest

from copydesk.kafka.broker import LocalBroker
from copydesk.contracts import RECORD_SCHEMA
from copydesk.kafka.produce import Message, produce
from copydesk.kafka.results import Result, ResultReader
from copydesk.settings import Settings
from tests.integration.conftest import lag

pytestmark = pytest.mark.chaos

WAVE = 800
#: Every this-many messages one is malformed, so dead letters go through the chaos too.
BAD_EVERY = 40
#: A drained worker must be gone within this long after SIGTERM.
DRAIN_BOUND_S = 30.0
STEP_TIMEOUT_S = 180.0
_validate_record = fastjsonschema.compile(RECORD_SCHEMA)


def article(n: int) -> Message:
    key = f"m{n:05d}"
    if n % BAD_EVERY == 0:
        return key.encode(), b'{"id": "' + key.encode() + b'", "url": 7}'
    body = "".join(
        f"<p>Item {key}: the regional transit board approved route {n % 97} changes on Monday after "
        f"a public hearing that ran late into the evening, officials said in paragraph {i}.</p>"
        for i in range(6)
    )
    html = f"<html><head><title>Transit changes {key}</title></head><body><nav><a href='/'>Home</a></nav><article><h1>Transit changes {key}</h1>{body}</article></body></html>"
    return key.encode(), orjson.dumps({"id": key, "url": f"https://transit.example.org/news/{n}", "html": html})


async def collect_until(reader: ResultReader, seen: list[Result], total: int, *, timeout: float = STEP_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while len(seen) < total:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(seen)} of {total} results after {timeout:.0f}s")
        seen.extend(await reader.collect(total - len(seen), timeout=5.0))


def key_of(topic: str, doc: dict, settings: Settings) -> str:
    return doc["id"] if topic == settings.enriched_topic else doc["key"]


def test_no_article_lost_through_worker_kill_and_broker_restart(own_broker: Settings, own_workers, capsys: pytest.CaptureFixture[str]) -> None:
    settings, pool = own_broker, own_workers
    broker = LocalBroker(settings)
    first = pool.start()
    pool.start()
    waves = [[article(n) for n in range(w * WAVE, (w + 1) * WAVE)] for w in range(3)]

    async def chaos() -> None:
        seen: list[Result] = []
        async with ResultReader(settings) as reader:
            await produce(settings, waves[0])
            await collect_until(reader, seen, WAVE // 3)
            first.kill()  # SIGKILL: no drain, no commit, mid-batch
            first.wait()
            pool.start()
            await produce(settings, waves[1])
            await collect_until(reader, seen, len(seen) + WAVE // 4)
            # up() and down() run event loops of their own.
            await asyncio.to_thread(broker.down)
            await asyncio.to_thread(broker.up)
            await produce(settings, waves[2])

    asyncio.run(chaos())
    ids = {key.decode() for wave in waves for key, _ in wave}
    asyncio.run(_all_results(settings, ids))
    alive = [p for p in pool.processes if p is not first]
    assert all(p.poll() is None for p in alive), f"a worker died:\n{pool.logs()}"

    started = time.monotonic()
    codes = [pool.stop(p, timeout=DRAIN_BOUND_S) for p in alive]
    drained = time.monotonic() - started
    remaining = asyncio.run(lag(settings))
    results = asyncio.run(_all_results(settings, ids))

    per_id = Counter(key_of(topic, doc, settings) for topic, doc in results)
    lost = sorted(ids - per_id.keys())
    duplicates = {key: n - 1 for key, n in per_id.items() if n > 1}
    with capsys.disabled():  # the report belongs in CI's log, passed or not
        print(f"\nchaos: {len(ids)} messages in, {len(results)} results out: {len(lost)} lost, "
              f"{sum(duplicates.values())} duplicates of {len(duplicates)} ids {sorted(duplicates)[:20]}; "
              f"SIGTERM drained {len(alive)} workers in {drained:.1f}s, lag after drain {remaining}")
    assert not lost, f"lost {len(lost)}: {lost[:20]}\n{pool.logs()}"
    assert per_id.keys() == ids, "results for ids never sent"
    for topic, doc in results:
        key = key_of(topic, doc, settings)
        bad = int(key[1:]) % BAD_EVERY == 0
        assert topic == (settings.dead_letter_topic if bad else settings.enriched_topic), (key, doc)
        if not bad:
            _validate_record(doc)
            assert f"Item {key}:" in doc["text"], f"record {key} carries another article's text"
    assert codes == [0] * len(alive), pool.logs()
    assert drained < DRAIN_BOUND_S
    # Once (in 16 recorded runs) 187 finished offsets stayed uncommitted: faust had skipped the
    # drain's last commit behind one in flight (``workers.app._WatchedConsumer`` now waits). The
    # workers' logs say which commit failed should it happen again.
    assert remaining == 0, f"SIGTERM left offsets uncommitted\n{pool.logs()}"


async def _all_results(settings: Settings, ids: set[str]) -> list[Result]:
    """Everything on the output topics from the start, once every id has a result (or time is up)
    and nothing more arrives for a few seconds."""
    async with ResultReader(settings, from_beginning=True) as reader:
        results: list[Result] = []
        deadline = time.monotonic() + STEP_TIMEOUT_S
        while time.monotonic() < deadline:
            more = await reader.collect(10 * len(ids), timeout=3.0)
            results.extend(more)
            if not more and ids <= {key_of(topic, doc, settings) for topic, doc in results}:
                break
        return results
