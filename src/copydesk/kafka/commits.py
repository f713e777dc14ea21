"""Which input offset a worker may commit: past every message it fetched and finished, never past
one it fetched and did not finish.

faust decides commits from the acks it counts, and lets a commit pass the first offset after the
committed one when that offset has no ack (it takes it for a transaction marker). Around a
rebalance faust can drop fetched messages before they reach the agent: it seeks its partitions
back to their commits while still handing on a batch fetched before, whose last offset it then
takes as read, so the messages fetched again below it are dropped. When that drops the one message
at the committed offset, the commit passes it and the page is never cleaned (one page lost in CI's
chaos test, and in 1 of 5 of its runs under load).

The ledger decides from what the consumer fetched and the agent finished instead. Offsets that
are never fetched (transaction markers, compacted records) never hold a commit back; a fetched
message never finished always does, and ``holes`` names it so the worker reads it again.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

#: A fetched message still unfinished this long after a later one of its partition was finished
#: (and after it was last fetched again) was dropped on its way to the agent.
HOLE_GRACE_S = 10.0


class Fetched(Protocol):
    @property
    def offset(self) -> int: ...


F = TypeVar("F", bound=Fetched)


@dataclass(slots=True)
class _Partition:
    pending: set[int] = field(default_factory=set)
    #: Finished at or above the group's commit, so that reading them again does not make them due.
    finished: set[int] = field(default_factory=set)
    #: The highest finished offset.
    done: int | None = None
    hole_since: float | None = None
    #: The offset a seek went back to, until a fetch brings it.
    asked_for: int | None = None


class CommitLedger:
    """Fetched and finished offsets of one topic's partitions, since they were last read from the
    group's commit."""

    def __init__(self, topic: str) -> None:
        self.topic = topic
        self.reading = False
        self._partitions: dict[Hashable, _Partition] = {}

    def reset(self, *, reading: bool) -> None:
        """Forget everything. On a new assignment ``reading`` is False: what is fetched before the
        consumer seeks its partitions to their commits is read again after it, and counts then."""
        self._partitions.clear()
        self.reading = reading

    def fetched(self, partition: Hashable, records: Sequence[F]) -> Sequence[F]:
        """Note a fetch; the records to hand on: a message fetched again after it was finished
        (a seek goes back further than what was dropped) is not handed on twice."""
        if not self.reading:
            return records
        state = self._partitions.setdefault(partition, _Partition())
        due = [record for record in records if record.offset not in state.finished]
        for record in due:
            if record.offset == state.asked_for:
                state.asked_for = state.hole_since = None
            state.pending.add(record.offset)
        return due

    def finished(self, partition: Hashable, offset: int) -> None:
        state = self._partitions.get(partition)
        if state is None or offset not in state.pending:
            return  # fetched before the last seek to the commits: it counts when fetched again
        state.pending.discard(offset)
        state.finished.add(offset)
        state.done = offset if state.done is None else max(state.done, offset)

    def commit_offset(self, partition: Hashable, committed: int | None) -> int | None:
        """The offset to commit: the first fetched message not finished, else the one after the
        last finished; None before anything is finished."""
        state = self._partitions.get(partition)
        if state is None or state.done is None:
            return None
        _forget_below(state, committed)
        return min(state.pending) if state.pending else state.done + 1

    def holes(self, now: float, committed: Mapping[Hashable, int | None], *, idle: bool = False) -> list[tuple[Hashable, int]]:
        """Partitions to read again and from where: their first unfinished message lies behind a
        finished one, or the agent holds no message (``idle``) while this one is unfinished; and
        has for ``HOLE_GRACE_S`` (counted again once a seek back fetched it). The second kind is a
        message dropped with nothing after it in its partition: nothing finished would show it."""
        found = []
        for partition, state in self._partitions.items():
            _forget_below(state, committed.get(partition))
            first = min(state.pending, default=None)
            if first is None or not (idle or (state.done is not None and first <= state.done)):
                state.hole_since = state.asked_for = None
            elif state.asked_for is not None:
                continue
            elif state.hole_since is None:
                state.hole_since = now
            elif now - state.hole_since >= HOLE_GRACE_S:
                found.append((partition, first))
                state.asked_for = first
        return found


def _forget_below(state: _Partition, committed: int | None) -> None:
    """Whoever committed ``committed`` finished what lies below it."""
    if committed is None:
        return
    if state.pending and min(state.pending) < committed:
        state.pending = {offset for offset in state.pending if offset >= committed}
    if state.finished and min(state.finished) < committed:
        state.finished = {offset for offset in state.finished if offset >= committed}
