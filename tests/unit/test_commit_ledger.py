"""The commit a worker may make: never past a message it fetched and did not finish."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from copydesk.kafka.commits import HOLE_GRACE_S, CommitLedger

P = ("articles.raw", 5)


@dataclass(frozen=True)
class Record:
    offset: int


def fetch(ledger: CommitLedger, offsets: Iterable[int]) -> list[int]:
    """The offsets of a fetch the ledger hands on."""
    return [record.offset for record in ledger.fetched(P, [Record(offset) for offset in offsets])]


def ledger_with(fetched: range, finished: list[int]) -> CommitLedger:
    ledger = CommitLedger("articles.raw")
    ledger.reset(reading=True)
    fetch(ledger, fetched)
    for offset in finished:
        ledger.finished(P, offset)
    return ledger


def test_commits_after_the_last_finished_message():
    assert ledger_with(range(236, 240), [236, 237, 238, 239]).commit_offset(P, None) == 240


def test_commits_up_to_the_first_unfinished_message():
    assert ledger_with(range(236, 240), [236, 237]).commit_offset(P, None) == 238


def test_nothing_to_commit_before_anything_is_finished():
    assert ledger_with(range(236, 240), []).commit_offset(P, None) is None
    assert CommitLedger("articles.raw").commit_offset(P, None) is None


def test_a_dropped_message_at_the_committed_offset_holds_the_commit_back():
    # The chaos test's lost page: offset 236 fetched, dropped in a rebalance; 237.. finished.
    ledger = ledger_with(range(236, 248), list(range(237, 248)))
    assert ledger.commit_offset(P, 236) == 236


def test_offsets_never_fetched_do_not_hold_a_commit_back():
    # Transaction markers and compacted records leave offsets no message ever comes from.
    ledger = ledger_with(range(0), [])
    fetch(ledger, [11, 12, 14])
    for offset in (11, 12, 14):
        ledger.finished(P, offset)
    assert ledger.commit_offset(P, 11) == 15


def test_a_dropped_message_is_named_once_until_it_is_fetched_again():
    ledger = ledger_with(range(236, 248), list(range(237, 248)))
    assert ledger.holes(100.0, {}) == []
    assert ledger.holes(100.0 + HOLE_GRACE_S / 2, {}) == []
    assert ledger.holes(100.0 + HOLE_GRACE_S, {}) == [(P, 236)]
    assert ledger.holes(100.0 + 10 * HOLE_GRACE_S, {}) == [], "the seek back is under way"
    assert fetch(ledger, range(236, 260)) == [236, *range(248, 260)], "what the seek back brings, less what is done"
    assert ledger.holes(200.0, {}) == [] and ledger.holes(200.0 + HOLE_GRACE_S / 2, {}) == []
    assert ledger.holes(200.0 + HOLE_GRACE_S, {}) == [(P, 236)], "still not finished: asked for again"


def test_a_dropped_message_with_nothing_after_it_is_a_hole_once_the_agent_is_idle():
    # The demo's lost pages: the last messages of their partitions, handed on and dropped.
    ledger = ledger_with(range(4, 6), [])
    assert ledger.holes(0.0, {}) == [] and ledger.holes(HOLE_GRACE_S * 10, {}) == [], "the agent may still be at them"
    assert ledger.holes(100.0, {}, idle=True) == []
    assert ledger.holes(100.0 + HOLE_GRACE_S, {}, idle=True) == [(P, 4)]


def test_an_idle_agent_makes_no_hole_of_what_it_has_finished():
    ledger = ledger_with(range(4, 6), [4, 5])
    assert ledger.holes(0.0, {}, idle=True) == [] and ledger.holes(HOLE_GRACE_S * 10, {}, idle=True) == []


def test_messages_in_flight_in_order_are_not_holes():
    ledger = ledger_with(range(236, 248), [236, 237])
    assert ledger.holes(0.0, {}) == [] and ledger.holes(HOLE_GRACE_S * 10, {}) == []


def test_reading_again_makes_only_unfinished_messages_due():
    ledger = ledger_with(range(236, 248), list(range(237, 248)))
    fetch(ledger, range(236, 250))  # after the seek back to 236
    for offset in (237, 238):  # copies fetched the first time, handed on late
        ledger.finished(P, offset)
    assert ledger.commit_offset(P, 236) == 236
    ledger.finished(P, 236)
    assert ledger.commit_offset(P, 236) == 248
    ledger.finished(P, 248)
    ledger.finished(P, 249)
    assert ledger.commit_offset(P, 248) == 250


def test_nothing_counts_between_an_assignment_and_the_seek_to_the_commits():
    ledger = ledger_with(range(236, 240), [236])
    ledger.reset(reading=False)
    assert fetch(ledger, range(236, 240)) == [236, 237, 238, 239], "handed on as fetched"
    ledger.finished(P, 237)
    assert ledger.commit_offset(P, None) is None
    ledger.reset(reading=True)
    fetch(ledger, range(236, 240))
    ledger.finished(P, 236)
    assert ledger.commit_offset(P, 236) == 237


def test_what_lies_below_the_groups_commit_is_not_waited_for():
    # A fetch under way when the partition changed hands read from the old owner's position.
    ledger = ledger_with(range(200, 205), [])
    fetch(ledger, range(249, 252))
    for offset in range(249, 252):
        ledger.finished(P, offset)
    assert ledger.commit_offset(P, 249) == 252
    assert ledger.holes(0.0, {P: 249}) == [] and ledger.holes(HOLE_GRACE_S, {P: 249}) == []
