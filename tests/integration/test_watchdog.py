"""A worker that cannot make progress restarts within a bounded time (issue 11's hung worker): its
broker freezes (SIGSTOP) while it holds messages whose results are in flight, so no delivery
completes and nothing is acked. The watchdog restarts it in place; once the broker thaws, every
message has its result."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from dataclasses import replace

import orjson
import pytest

from copydesk.kafka.broker import LocalBroker
from copydesk.kafka.produce import produce
from copydesk.kafka.results import ResultReader
from copydesk.settings import Settings
from tests.integration.conftest import Workers

pytestmark = pytest.mark.chaos

STALL_S = 5.0
MESSAGES = 600
PARAGRAPH = "<p>The ferry operator said on Friday that crossings between the islands would resume next week after repairs.</p>"


def page(n: int) -> bytes:
    html = f"<html><body><article><h1>Ferry {n}</h1>{PARAGRAPH * 12}</article></body></html>"
    return orjson.dumps({"id": f"m{n}", "url": f"https://ferry.example.org/{n}", "html": html})


def restarted(pool: Workers, *, timeout: float) -> float | None:
    """Seconds until the worker's log says the watchdog restarted it, or None."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if "no progress for" in "".join(p.read_text(errors="replace") for p in pool.log_dir.glob("worker-*.log")):
            return time.monotonic() - started
        time.sleep(0.2)
    return None


def test_a_worker_stuck_on_a_frozen_broker_restarts_and_loses_nothing(own_broker: Settings, tmp_path):
    settings = replace(own_broker, stall_timeout_s=STALL_S)
    broker_pid = LocalBroker(settings).status().pid
    assert broker_pid is not None
    pool = Workers(settings, tmp_path)
    worker = pool.start()

    async def run() -> set[str]:
        seen: set[str] = set()
        async with ResultReader(settings) as reader:
            await produce(settings, [(None, page(n)) for n in range(MESSAGES)])
            while len(seen) < 20:  # the worker is busy: results are flowing
                seen.update(doc["id"] for _, doc in await reader.collect(20, timeout=5.0))
            os.kill(broker_pid, signal.SIGSTOP)
            try:
                stall_seen = await asyncio.to_thread(restarted, pool, timeout=STALL_S + 30)
            finally:
                os.kill(broker_pid, signal.SIGCONT)
            assert stall_seen is not None, pool.logs()
            deadline = time.monotonic() + 240
            while len(seen) < MESSAGES and time.monotonic() < deadline:
                seen.update(doc["id"] for _, doc in await reader.collect(MESSAGES, timeout=5.0))
        return seen

    try:
        seen = asyncio.run(run())
        assert seen == {f"m{n}" for n in range(MESSAGES)}, f"{MESSAGES - len(seen)} without a result\n{pool.logs()}"
        assert worker.poll() is None, pool.logs()  # restarted in place: the same process, a fresh image
    finally:
        pool.stop(worker)
