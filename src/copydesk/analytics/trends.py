"""Trending entities and keywords: what one record adds to the counts, which counts of a window
are its top N, and the message that publishes one of them. The faust wiring (windowed tables, the
timer) is in ``workers.app``; nothing here knows about Kafka.

Counts only grow within a window, so a reader of the compacted trends topic that takes the N
largest counts of a window has the true top N: an entry that fell out of a worker's top N keeps
the count it had when it was published, which is below every count that overtook it.
"""

from __future__ import annotations

import heapq
import zlib
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import orjson

from copydesk.contracts import format_utc

#: The tumbling windows counted, by the name the trends topic gives them, in seconds.
WINDOWS: dict[str, int] = {"1h": 3600, "1d": 86400}
#: A keyword's "type" beside the entity types (person, organization, place, other).
KEYWORD = "keyword"
_SEP = "\t"  # between type and name in a table key; names are single-line, without tabs


def mentions(value: bytes | None) -> list[tuple[str, int]]:
    """(table key, count) for what one record on articles.enriched mentions: each entity by its
    canonical name and type, counted as often as the article names it, and each keyword once."""
    try:
        doc = orjson.loads(value or b"")
    except orjson.JSONDecodeError:
        return []
    if not isinstance(doc, dict):
        return []
    found = [
        (f"{e['type']}{_SEP}{e['text']}", e.get("count") or 1)
        for e in doc.get("entities") or ()
        if isinstance(e, dict) and e.get("text") and e.get("type")
    ]
    found.extend((f"{KEYWORD}{_SEP}{k}", 1) for k in doc.get("keywords") or () if isinstance(k, str) and k)
    return found


def per_hour(records: Iterable[tuple[bytes | None, float]]) -> list[tuple[str, float, int]]:
    """(key, timestamp, count) for a batch of (record, timestamp in seconds): each key's mentions
    summed per hour, the smallest window, stamped with the first of its records' times in that
    hour, so the sums fall into the same windows as the records would have one by one."""
    sums: dict[tuple[str, int], list[float | int]] = {}
    for value, timestamp in records:
        hour = int(timestamp // WINDOWS["1h"])
        for key, count in mentions(value):
            entry = sums.get((key, hour))
            if entry is None:
                sums[(key, hour)] = [timestamp, count]
            else:
                entry[0] = min(entry[0], timestamp)
                entry[1] += count
    return [(key, float(stamp), int(count)) for (key, _), (stamp, count) in sums.items()]


def counter_messages(records: Iterable[tuple[bytes | None, float]], partitions: int) -> list[tuple[int, float, bytes]]:
    """(partition, timestamp, value) of the messages that carry a batch's mentions to the counter:
    one per partition and hour, its value a JSON object of key -> count. A key always goes to
    the partition its name hashes to, so its counts (and the changelog entries they make) live in
    that one partition, whichever worker owns it; one message carries many keys, because each
    message costs the counter far more than each key in it."""
    grouped: dict[tuple[int, int], tuple[float, dict[str, int]]] = {}
    for key, stamp, count in per_hour(records):
        slot = (zlib.crc32(key.encode()) % partitions, int(stamp // WINDOWS["1h"]))
        first, counts = grouped.get(slot, (stamp, {}))
        counts[key] = count
        grouped[slot] = (min(first, stamp), counts)
    return [(partition, stamp, orjson.dumps(counts)) for (partition, _), (stamp, counts) in grouped.items()]


def top(counts: Iterable[tuple[str, int]], n: int) -> list[tuple[str, int]]:
    """The ``n`` largest counts, largest first (ties by key, so the choice is stable)."""
    return heapq.nsmallest(n, counts, key=lambda item: (-item[1], item[0]))


def trend_message(window: str, start: float, key: str, count: int) -> tuple[bytes, bytes]:
    """Key and value of one entry on the trends topic; the key names the window and the entity,
    so compaction keeps each one's latest count."""
    kind, _, name = key.partition(_SEP)
    opened = format_utc(datetime.fromtimestamp(start, UTC))
    value: dict[str, Any] = {
        "window": window,
        "window_start": opened,
        "window_end": format_utc(datetime.fromtimestamp(start + WINDOWS[window], UTC)),
        "type": kind,
        "name": name,
        "count": count,
    }
    return f"{window}|{opened}|{kind}|{name}".encode(), orjson.dumps(value)


def unpublished_leaders(
    counts: Iterable[tuple[tuple[str, tuple[float, float]], int]], n: int, published: dict[tuple[float, str], int]
) -> list[tuple[float, str, int]]:
    """(window start, key, count) of each window's top ``n`` whose count differs from what
    ``published`` says was sent. ``counts`` are a windowed table's ``((key, (start, end)), count)``."""
    windows: dict[float, list[tuple[str, int]]] = {}
    for (key, (start, _end)), count in counts:
        windows.setdefault(start, []).append((key, count))
    return [
        (start, key, count)
        for start, window in sorted(windows.items())
        for key, count in top(window, n)
        if published.get((start, key)) != count
    ]
