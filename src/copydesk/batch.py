"""Batch mode: raw messages as JSON lines in, records and dead letters as JSON lines out."""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import BinaryIO, TextIO

from copydesk.routing import Origin, route
from copydesk.settings import Settings


@dataclass(slots=True)
class BatchCounts:
    records: int = 0
    dead_letters: int = 0
    blank_lines: int = 0
    reasons: Counter[str] = field(default_factory=Counter)

    def summary(self, seconds: float) -> str:
        total = self.records + self.dead_letters
        rate = total / seconds if seconds > 0 else 0.0
        reasons = ", ".join(f"{reason} {n}" for reason, n in self.reasons.most_common())
        return (
            f"{total} messages in {seconds:.2f}s ({rate:.1f}/s): {self.records} records, "
            f"{self.dead_letters} dead letters" + (f" ({reasons})" if reasons else "")
            + (f", {self.blank_lines} blank lines skipped" if self.blank_lines else "")
        )


def run_batch(
    lines: Iterable[bytes],
    out: BinaryIO,
    dead: BinaryIO,
    settings: Settings,
    *,
    name: str = "-",
    progress: TextIO | None = None,
) -> BatchCounts:
    """Route each input line: its record to ``out``, or a dead letter to ``dead``."""
    counts = BatchCounts()
    started = time.monotonic()
    for number, line in enumerate(lines, start=1):
        value = line.rstrip(b"\r\n")
        if not value.strip():
            counts.blank_lines += 1
            continue
        outcome = route(value, None, Origin(file=name, line=number), settings)
        (out if outcome.ok else dead).write(outcome.value + b"\n")
        if outcome.ok:
            counts.records += 1
        else:
            counts.dead_letters += 1
            counts.reasons[outcome.reason] += 1
        if progress is not None and number % 25 == 0:
            _show_progress(progress, counts, time.monotonic() - started)
    if progress is not None:
        progress.write("\r\x1b[K")
    return counts


def _show_progress(stream: TextIO, counts: BatchCounts, seconds: float) -> None:
    done = counts.records + counts.dead_letters
    rate = done / seconds if seconds > 0 else 0.0
    stream.write(f"\r{done} processed, {counts.dead_letters} dead-lettered, {rate:.0f}/s")
    stream.flush()


def progress_stream() -> TextIO | None:
    """A progress line only when a person is watching."""
    return sys.stderr if sys.stderr.isatty() else None
