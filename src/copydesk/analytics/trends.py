"""Trending entities and keywords: what one record adds to the counts, which counts of a window
are its top N, and the message that publishes one of them. The faust wiring (windowed tables, the
timer) is in ``workers.app``; nothing here knows about Kafka.

Counts only grow within a window, so a reader of the compacted trends topic that takes the N
largest counts of a window has the true top N: an entry that fell out of a worker's top N keeps
the count it had when it was published, which is below every count that overtook it.
"""

from __future__ import annotations

import heapq
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
