"""What keeps a worker honest without a broker in sight: the topic checks, the watchdog, and
faust's own environment variables left unread."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, replace
from types import SimpleNamespace

import pytest

from faust.types import TP
from mode.utils.queues import FlowControlQueue

from copydesk.kafka.commits import CommitLedger
from copydesk.kafka.topics import config_problems, result_limit
from copydesk.settings import Settings
from workers.app import Progress, _FlowControl, _WatchedConsumer, create_app, faust_variables
from workers.run import watchdog

SETTINGS = Settings(topic_max_message_bytes=1_000_000)
GOOD = {"cleanup.policy": "compact", "max.message.bytes": "1000000"}


def configs(enriched: dict[str, str] | None = None, dead: dict[str, str] | None = None) -> dict[str, dict[str, str]]:
    return {
        SETTINGS.raw_topic: {"cleanup.policy": "delete", "max.message.bytes": "1000000"},
        SETTINGS.enriched_topic: {**GOOD, **(enriched or {})},
        SETTINGS.dead_letter_topic: {"cleanup.policy": "delete", "max.message.bytes": "1000000", **(dead or {})},
    }


PARTITIONS = {SETTINGS.raw_topic: 6, SETTINGS.enriched_topic: 6, SETTINGS.dead_letter_topic: 6}


def test_topics_as_copydesk_creates_them_have_no_problems():
    assert config_problems(SETTINGS, PARTITIONS, configs()) == []
    assert config_problems(SETTINGS, PARTITIONS, configs({"cleanup.policy": "compact,delete"})) == []


def test_an_enriched_topic_that_is_not_compacted_is_a_problem():
    [problem] = config_problems(SETTINGS, PARTITIONS, configs({"cleanup.policy": "delete"}))
    assert "cleanup.policy='delete'" in problem and "articles.enriched" in problem


def test_fewer_partitions_than_fleet_processes_is_a_problem():
    fleet = Settings(topic_max_message_bytes=1_000_000, fleet_processes=8)
    [problem] = config_problems(fleet, PARTITIONS, configs())
    assert "6 partitions for 8 worker processes" in problem


def test_an_output_topic_smaller_than_what_copydesk_sends_is_a_problem():
    problems = config_problems(SETTINGS, PARTITIONS, configs({"max.message.bytes": "999999"}, {"max.message.bytes": "1048"}))
    assert len(problems) == 2 and all("max.message.bytes" in p for p in problems)


def test_topic_check_takes_warn_or_refuse_only():
    assert Settings.from_env({"COPYDESK_TOPIC_CHECK": "refuse"}).topic_check == "refuse"
    with pytest.raises(ValueError, match="COPYDESK_TOPIC_CHECK"):
        Settings.from_env({"COPYDESK_TOPIC_CHECK": "ignore"})


def run_watchdog(progress: Progress, seconds: float, *, feed: bool = False) -> list[float]:
    stalls: list[float] = []
    thread = threading.Thread(target=watchdog, args=(progress, 0.3, stalls.append), kwargs={"every": 0.02}, daemon=True)
    thread.start()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not stalls:
        if feed:
            progress.advanced()
        time.sleep(0.05)
    return stalls


def test_the_watchdog_fires_when_held_messages_make_no_progress():
    progress = Progress()
    progress.took()
    started = time.monotonic()
    assert run_watchdog(progress, 5.0)
    assert time.monotonic() - started < 2.0


def test_the_watchdog_is_quiet_while_pages_finish_or_nothing_is_held():
    progress = Progress()
    assert not run_watchdog(progress, 1.0)  # idle: nothing held
    progress.took()
    assert not run_watchdog(progress, 1.0, feed=True)
    progress.acked()
    assert progress.stalled_for(time.monotonic() + 100) == 0.0


def test_faust_reads_none_of_its_environment_variables(monkeypatch):
    monkeypatch.setenv("BROKER_URL", "kafka://elsewhere.example:9092")
    monkeypatch.setenv("APP_WEB_ENABLED", "true")
    monkeypatch.setenv("BROKER_COMMIT_INTERVAL", "600")
    app = create_app(Settings(brokers="127.0.0.1:19999"))
    assert [str(url) for url in app.conf.broker] == ["kafka://127.0.0.1:19999"]
    assert app.conf.web_enabled is False and app.conf.broker_commit_interval == 1.0
    assert faust_variables({"BROKER_URL": "x", "APP_WEB_ENABLED": "1", "PATH": "/bin"}) == ["APP_WEB_ENABLED", "BROKER_URL"]


def test_results_are_cut_to_what_the_output_topics_take():
    assert result_limit(SETTINGS, configs()) == 1_000_000
    assert result_limit(SETTINGS, configs(dead={"max.message.bytes": "4000"})) == 4_000
    assert result_limit(replace(SETTINGS, topic_max_message_bytes=500), configs()) == 500


def test_the_commit_that_ends_a_drain_is_made_after_the_one_in_flight():
    """faust skips a commit asked for while another is in flight; the drain's last commit must
    still be made, or what was acked since the one in flight began stays uncommitted."""

    async def drain() -> list[bool]:
        consumer = object.__new__(_WatchedConsumer)
        consumer.app = SimpleNamespace(client_only=False)
        consumer._loop = asyncio.get_running_loop()
        made: list[bool] = []

        async def force_commit(topics: object = None, start_new_transaction: bool = True) -> bool:
            made.append(start_new_transaction)
            return True

        consumer.force_commit = force_commit
        in_flight = asyncio.get_running_loop().create_future()
        consumer._commit_fut = in_flight

        def finish() -> None:  # as faust's commit ends: no commit in flight, then its waiters told
            consumer._commit_fut = None
            in_flight.set_result(None)

        asyncio.get_running_loop().call_soon(finish)
        await consumer.commit_and_end_transactions()
        return made

    assert asyncio.run(drain()) == [False]


@dataclass(frozen=True)
class Record:
    offset: int


def test_what_is_fetched_while_faust_seeks_to_the_commits_is_read_again_after_it():
    """faust fetches while it seeks to the commits, one partition after another: a partition
    sought before a fetch lands is not read again, and faust then empties the agents' queues.
    What lands meanwhile is handed on to nobody and its partition is sought back to it."""
    raw = [TP("articles.raw", 0), TP("articles.raw", 1)]
    sought: list[tuple[int, int]] = []

    class Thread:  # the consumer's thread, as faust's delegate reaches it
        def assignment(self) -> set[TP]:
            return set(raw)

        def seek(self, tp: TP, offset: int) -> None:
            sought.append((tp.partition, offset))

        async def getmany(self, active: object, timeout: float) -> dict[TP, list[Record]]:
            return {raw[1]: [Record(4), Record(5)]}

        async def seek_to_committed(self) -> dict[TP, int]:
            sought.append((1, 4))
            landed.append(await consumer._getmany(set(raw), 1.0))  # after partition 1's seek
            return {raw[0]: 7, raw[1]: 4}

    async def start() -> dict[TP, list[Record]]:
        await consumer.perform_seek()
        return await consumer._getmany(set(raw), 1.0)

    consumer = object.__new__(_WatchedConsumer)
    consumer.app = SimpleNamespace(ledger=CommitLedger("articles.raw"))
    consumer._thread, consumer._read_offset, consumer._committed_offset = Thread(), {}, {}
    consumer.log = SimpleNamespace(dev=lambda *args: None)
    landed: list[dict[TP, list[Record]]] = []
    after = asyncio.run(start())
    assert landed == [{}], "nothing handed on during the seek"
    assert sought == [(1, 4), (1, 4)] and consumer._read_offset[raw[1]] == 4, "partition 1 sought back"
    assert [r.offset for r in after[raw[1]]] == [4, 5], "and read after the seek"


def test_only_a_resume_after_a_suspend_empties_the_agents_queues():
    flow = _FlowControl(initially_suspended=False)
    queue: FlowControlQueue[str] = FlowControlQueue(flow_control=flow, clear_on_resume=True)
    queue.put_nowait("page")
    flow.resume()
    assert queue.qsize() == 1, "a second resume keeps what this assignment fetched"
    flow.suspend()
    flow.resume()
    assert queue.empty(), "a resume after a rebalance drops what the old assignment fetched"
