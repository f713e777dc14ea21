"""Parquet files that are whole or absent: each is written under a hidden temporary name,
fsynced, renamed into place and its folder fsynced, so a reader, or a sink killed at any moment,
never finds half a file.

Layout: ``DIR/<table>/dt=YYYY-MM-DD/part-<time>-<n>.parquet``, one file per partition per roll.
One sink writes a folder at a time (a lock says so), which makes every temporary file it finds
at start a leftover of a killed run, safe to delete.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import pyarrow.parquet as pq

from copydesk.analytics.tables import DEAD_LETTERS, RECORDS, TableShape, partition_day, prepared, to_arrow_skipping

TABLES: dict[str, TableShape] = {"records": RECORDS, "dead_letters": DEAD_LETTERS}
_TEMPORARY = ".tmp"
_LOCK = ".copydesk-sink.lock"


class FolderError(RuntimeError):
    """The folder cannot be written, or another sink is writing it."""


@dataclass(frozen=True, slots=True)
class Roll:
    """When buffered rows are written out: whichever comes first."""

    max_bytes: int
    max_seconds: float


def claim(root: Path) -> IO[str]:
    """Make ``root``, prove it writable, lock it for this process and remove what a killed run
    left. The returned handle holds the lock until it is closed (or the process dies)."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        lock = (root / _LOCK).open("w")
    except OSError as exc:
        raise FolderError(f"cannot write to {root}: {exc.strerror or exc}") from None
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        raise FolderError(f"another sink is writing {root}") from None
    lock.write(f"{os.getpid()}\n")
    lock.flush()
    for leftover in root.glob(f"*/dt=*/.*{_TEMPORARY}"):
        leftover.unlink(missing_ok=True)
    return lock


class PartitionedWriter:
    """Rows buffered per table and day until ``flush`` writes one file for each."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._rows: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        self._bytes = 0
        self._since: float | None = None
        self._files = 0
        self._skipped = 0

    @property
    def buffered(self) -> int:
        return sum(map(len, self._rows.values()))

    @property
    def files_written(self) -> int:
        return self._files

    @property
    def rows_skipped(self) -> int:
        """Rows left out because their values did not fit the table's columns."""
        return self._skipped

    def add(self, table: str, doc: dict[str, Any], *, size: int, fallback_day: str) -> None:
        shape = TABLES[table]
        row = prepared(doc, shape)
        self._rows[(table, partition_day(row, shape, fallback_day))].append(row)
        self._bytes += size
        if self._since is None:
            self._since = time.monotonic()

    def due(self, roll: Roll) -> bool:
        return self._since is not None and (self._bytes >= roll.max_bytes or time.monotonic() - self._since >= roll.max_seconds)

    def flush(self) -> list[Path]:
        """Write every buffered partition to its own file; returns the files, all durable."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        written = []
        for n, ((table, day), rows) in enumerate(sorted(self._rows.items(), key=lambda item: item[0])):
            folder = self._root / table / f"dt={day}"
            converted, skipped = to_arrow_skipping(rows, TABLES[table])
            self._skipped += skipped
            written.append(write_atomically(converted, folder, f"part-{stamp}-{n:03d}.parquet"))
        self._rows.clear()
        self._bytes = 0
        self._since = None
        self._files += len(written)
        return written


def write_atomically(table: Any, folder: Path, name: str) -> Path:
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        _fsync_folder(folder.parent)
        _fsync_folder(folder.parent.parent)
    final = folder / name
    temporary = folder / f".{name}{_TEMPORARY}"
    with temporary.open("wb") as handle:
        pq.write_table(table, handle, compression="zstd")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, final)
    _fsync_folder(folder)
    return final


def _fsync_folder(folder: Path) -> None:
    # The rename is durable only once the folder's entry is on disk.
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
