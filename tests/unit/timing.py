"""CPU time of a piece of work, for the tests that bound how a cost grows with its input."""

from __future__ import annotations

import time
from collections.abc import Callable


def cpu_seconds(work: Callable[[], object], *, repeat: int = 3) -> float:
    """The least CPU time of ``repeat`` runs of ``work``. This thread's CPU time, so that other
    processes on a busy machine do not count; the least of several runs, so that a stall inside
    this one (a collection, a page fault storm) does not either."""
    timings = []
    for _ in range(repeat):
        started = time.thread_time()
        work()
        timings.append(time.thread_time() - started)
    return min(timings)
