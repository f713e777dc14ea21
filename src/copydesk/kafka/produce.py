"""Raw messages from files, and a producer that sends them to ``articles.raw``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import orjson
from aiokafka import AIOKafkaProducer

from copydesk.clean.encoding import decode_html
from copydesk.kafka.security import client_kwargs
from copydesk.settings import Settings

Message = tuple[bytes | None, bytes]


def messages_from_paths(paths: Iterable[Path], *, url: str = "") -> Iterator[Message]:
    """JSONL files give one message a line, as written; an ``.html`` or ``.txt`` file gives one
    message with the page."""
    for path in paths:
        if path.suffix in (".jsonl", ".json", ".ndjson"):
            with path.open("rb") as lines:
                for line in lines:
                    if line.strip():
                        value = line.rstrip(b"\r\n")
                        yield _key_of(value), value
        else:
            yield None, page_message(path, url=url)


def page_message(path: Path, *, url: str = "") -> bytes:
    data = path.read_bytes()
    is_html = path.suffix in (".html", ".htm")
    # A page saved to disk keeps its own charset; the message must carry it as Unicode.
    body = decode_html(data) if is_html else data.decode("utf-8", errors="replace")
    doc = {
        "url": url or path.resolve().as_uri(),
        "html" if is_html else "text": body,
        "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    return orjson.dumps(doc)


def _key_of(value: bytes) -> bytes | None:
    """Key a message by its id when it has one, so one article's versions share a partition."""
    try:
        doc = orjson.loads(value)
    except orjson.JSONDecodeError:
        return None
    found = doc.get("id") if isinstance(doc, dict) else None
    return found.encode("utf-8") if isinstance(found, str) else None


async def produce(settings: Settings, messages: Iterable[Message], *, topic: str = "", compression: str | None = None) -> int:
    producer = AIOKafkaProducer(
        **client_kwargs(settings),
        acks="all",
        enable_idempotence=True,
        max_request_size=settings.topic_max_message_bytes,
        linger_ms=5,
        compression_type=compression,
    )
    await producer.start()
    sent = 0
    try:
        pending = [await producer.send(topic or settings.raw_topic, value=value, key=key) for key, value in messages]
        for delivery in pending:
            await delivery
            sent += 1
    finally:
        await producer.stop()
    return sent
