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
from copydesk.errors import CopydeskError, ProcessingError, TooLarge, Unserialisable
from copydesk.pipeline import process_value
from copydesk.sanitize import redact_paths, redact_secrets, strip_unsafe_json
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
    #: A dead letter that carries neither the message nor its key: nothing smaller can be sent.
    bare: bool = False


#: What Kafka adds to a record's key and value in a batch of one: the batch header (61 bytes)
#: and the record's own lengths, offsets and timestamp (at most 36), with room to spare.
RECORD_OVERHEAD_BYTES = 128


def fits(key: bytes | None, value: bytes, limit: int) -> bool:
    """Whether the broker takes a record of this key and value under a limit of ``limit`` bytes."""
    return len(key or b"") + len(value) + RECORD_OVERHEAD_BYTES <= limit


def route(value: bytes | None, key: bytes | None, origin: Origin, settings: Settings) -> Outcome:
    """Process one message; never raises for anything the message holds. Whatever it returns can
    be sent: a record the topic would refuse becomes a dead letter, and a dead letter too large
    for it a bare one (see ``smaller``)."""
    try:
        record = process_value(value, settings)
        try:
            document = strip_unsafe_json(record.to_json())
        except TypeError as exc:  # orjson writes 254 levels of nesting, though it reads 1,024
            raise Unserialisable(f"the record cannot be written as JSON: {exc}") from None
        record_key = record.id.encode("utf-8")
        if not fits(record_key, document, settings.topic_max_message_bytes):
            # The broker would refuse it, and the worker would fail on the same message after
            # every restart.
            size = len(record_key) + len(document) + RECORD_OVERHEAD_BYTES
            raise TooLarge(f"the record is {size:,} bytes with its key; the output topic takes at most {settings.topic_max_message_bytes:,}")
        return Outcome(True, record_key, document)
    except CopydeskError as exc:
        return _dead(exc, value, key, origin, settings)
    except Exception as exc:  # noqa: BLE001 - the last guard: a worker must outlive any message
        error = ProcessingError(f"{type(exc).__name__}: {exc}")
        error.__cause__ = exc
        return _dead(error, value, key, origin, settings)


def smaller(outcome: Outcome, value: bytes | None, key: bytes | None, origin: Origin, settings: Settings, why: str) -> Outcome | None:
    """What to send instead of ``outcome`` when the broker refused it as too large (its limit
    below copydesk's setting, say): a record becomes a dead letter, a dead letter a bare one;
    ``None`` once even a bare one was refused (the worker then skips the message, see README)."""
    if outcome.ok:
        return _dead(TooLarge(f"the broker refused the record: {why}"), value, key, origin, settings)
    if not outcome.bare:
        return _bare(TooLarge(f"the broker refused the dead letter ({outcome.reason}): {why}"), value, key, origin)
    return None


def _dead(error: CopydeskError, value: bytes | None, key: bytes | None, origin: Origin, settings: Settings) -> Outcome:
    limit = settings.dead_letter_value_bytes
    cut_key = key[:limit] if key is not None else None
    try:
        document = orjson.dumps(dead_letter(error, value, key, origin, limit=limit))
    except Exception:  # noqa: BLE001 - a dead letter must be sent whatever went wrong
        return _bare(error, value, key, origin)
    if not fits(cut_key, document, settings.topic_max_message_bytes):
        return _bare(error, value, key, origin)
    return Outcome(False, cut_key, document, error.reason)


_BARE_MESSAGE_CHARS = 1000


def _bare(error: CopydeskError, value: bytes | None, key: bytes | None, origin: Origin) -> Outcome:
    """A dead letter of a kilobyte or two: why, and where the message is, without the message.
    Nothing in it can fail to be written: the error's text loses any lone surrogate."""
    message = redact_paths(redact_secrets(str(error)))[:_BARE_MESSAGE_CHARS]
    letter = {
        "reason": error.reason,
        "error": type(error).__name__,
        "message": message.encode("utf-8", "replace").decode("utf-8"),
        **{k: v for k, v in _origin_fields(origin).items() if v is not None},
        "key": None,
        "key_length": len(key) if key is not None else None,
        "value": None,
        "value_length": len(value or b""),
        "value_truncated": True,
        "failed_at": format_utc(datetime.now(UTC)),
        "copydesk_version": __version__,
    }
    return Outcome(False, None, orjson.dumps(letter), error.reason, bare=True)


def dead_letter(
    error: CopydeskError, value: bytes | None, key: bytes | None, origin: Origin, *, limit: int
) -> dict[str, Any]:
    """The dead-letter document: the reason, where the message came from, and the message itself
    (cut to ``limit`` bytes, base64 when it is not UTF-8, secrets redacted) so it can be
    inspected and replayed."""
    value = value or b""
    letter: dict[str, Any] = {
        "reason": error.reason,
        "error": type(error).__name__,
        "message": redact_paths(redact_secrets(str(error))),
        "id": _peek_id(value, limit=limit),
        **{k: v for k, v in _origin_fields(origin).items() if v is not None},
        "key": None,
        "key_encoding": None,
        "key_length": None,
        "key_truncated": False,
        "value_length": len(value),
        "value_truncated": len(value) > limit,
        "failed_at": format_utc(datetime.now(UTC)),
        "copydesk_version": __version__,
    }
    if key is not None:
        letter["key"], letter["key_encoding"] = _as_text(key, limit)
        letter["key_length"], letter["key_truncated"] = len(key), len(key) > limit
    letter["value"], letter["value_encoding"] = _as_text(value, limit)
    if letter["value_encoding"] == "utf-8":
        letter["value"] = redact_secrets(letter["value"])
    if isinstance(error, ProcessingError) and error.__cause__ is not None:
        letter["traceback"] = redact_paths("".join(traceback.format_exception(error.__cause__, limit=-8))[-4000:])
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
