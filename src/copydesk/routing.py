"""Where one raw message goes: its record to the output, or a dead letter that says why.

The worker and the batch CLI share this, so a message fails the same way in both.
"""

from __future__ import annotations

import base64
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from copydesk import __version__
from copydesk.contracts import format_utc
from copydesk.errors import CopydeskError, ProcessingError, TooLarge
from copydesk.pipeline import process_value
from copydesk.settings import Settings


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a message came from: a topic partition offset, or a file line."""

    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    file: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    ok: bool
    key: bytes | None
    value: bytes
    reason: str = ""


def route(value: bytes | None, key: bytes | None, origin: Origin, settings: Settings) -> Outcome:
    """Process one message; never raises for anything the message holds."""
    try:
        record = process_value(value, settings)
    except CopydeskError as exc:
        return _dead(exc, value, key, origin, settings)
    except Exception as exc:  # noqa: BLE001 - the last guard: a worker must outlive any message
        error = ProcessingError(f"{type(exc).__name__}: {exc}")
        error.__cause__ = exc
        return _dead(error, value, key, origin, settings)
    document = record.to_json()
    if len(document) > settings.topic_max_message_bytes:
        # The broker would refuse it, and the worker would fail on the same message after
        # every restart.
        too_large = TooLarge(f"the record is {len(document):,} bytes; the output topic takes at most {settings.topic_max_message_bytes:,}")
        return _dead(too_large, value, key, origin, settings)
    return Outcome(True, record.id.encode("utf-8"), document)


def _dead(error: CopydeskError, value: bytes | None, key: bytes | None, origin: Origin, settings: Settings) -> Outcome:
    letter = dead_letter(error, value, key, origin, limit=settings.dead_letter_value_bytes)
    return Outcome(False, key, orjson.dumps(letter), error.reason)


def dead_letter(
    error: CopydeskError, value: bytes | None, key: bytes | None, origin: Origin, *, limit: int
) -> dict[str, Any]:
    """The dead-letter document: the reason, where the message came from, and the message itself
    (cut to ``limit`` bytes, base64 when it is not UTF-8) so it can be inspected and replayed."""
    value = value or b""
    letter: dict[str, Any] = {
        "reason": error.reason,
        "error": type(error).__name__,
        "message": str(error),
        "id": _peek_id(value, limit=limit),
        **{k: v for k, v in _origin_fields(origin).items() if v is not None},
        "key": None,
        "key_encoding": None,
        "value_length": len(value),
        "value_truncated": len(value) > limit,
        "failed_at": format_utc(datetime.now(UTC)),
        "copydesk_version": __version__,
    }
    if key is not None:
        letter["key"], letter["key_encoding"] = _as_text(key, limit)
    letter["value"], letter["value_encoding"] = _as_text(value, limit)
    if isinstance(error, ProcessingError) and error.__cause__ is not None:
        letter["traceback"] = "".join(traceback.format_exception(error.__cause__, limit=-8))[-4000:]
    return letter


def _origin_fields(origin: Origin) -> dict[str, Any]:
    return {
        "topic": origin.topic,
        "partition": origin.partition,
        "offset": origin.offset,
        "file": origin.file,
        "line": origin.line,
    }


def _as_text(data: bytes, limit: int) -> tuple[str, str]:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return base64.b64encode(data[:limit]).decode("ascii"), "base64"
    # Cutting may split a character; dropping the partial tail keeps the text valid.
    return data[:limit].decode("utf-8", errors="ignore"), "utf-8"


def _peek_id(value: bytes, *, limit: int) -> str | None:
    """The message's own ``id`` when it can be read cheaply, so a dead letter can be matched to
    its input."""
    if len(value) > limit:
        return None
    try:
        doc = orjson.loads(value)
    except orjson.JSONDecodeError:
        return None
    found = doc.get("id") if isinstance(doc, dict) else None
    return found if isinstance(found, str) else None
