"""Raw messages from files, and a producer that sends them to ``articles.raw``."""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import orjson
from aiokafka import AIOKafkaProducer

from copydesk.clean.encoding import decode_html
from copydesk.contracts import not_text_share
from copydesk.kafka.security import client_kwargs
from copydesk.settings import Settings

Message = tuple[bytes | None, bytes]


class ProduceError(ValueError):
    """A file that cannot be sent as it is; the message says what to do."""


def messages_from_paths(paths: Iterable[Path], *, url: str = "") -> Iterator[Message]:
    """JSONL files give one message a line, as written; an ``.html`` or ``.txt`` page gives one
    message, with ``url``. Any of them may be gzipped (``.gz``)."""
    for path in paths:
        data, suffix = _read(path)
        if suffix in (".jsonl", ".json", ".ndjson"):
            for line in data.splitlines():
                if line.strip():
                    yield _key_of(line), line
        else:
            yield None, page_message(path, url=url, data=data, suffix=suffix)


def _read(path: Path) -> tuple[bytes, str]:
    """The file's bytes, decompressed when it is gzipped, and the suffix of what it holds."""
    data = path.read_bytes()
    if path.suffix == ".gz" or data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data), Path(path.stem).suffix if path.suffix == ".gz" else path.suffix
        except (OSError, EOFError) as exc:
            raise ProduceError(f"{path}: not readable as gzip: {exc}") from None
    return data, path.suffix


def page_message(path: Path, *, url: str, data: bytes | None = None, suffix: str = "") -> bytes:
    """One raw message of a saved page. A URL is required: an invented one would end up in the
    record as the article's address."""
    if not url:
        raise ProduceError(f"{path}: a page needs its URL: pass --url URL (one file at a time), or send JSONL with a url on each line")
    data = path.read_bytes() if data is None else data
    is_html = (suffix or path.suffix) in (".html", ".htm")
    # A page saved to disk keeps its own charset; the message must carry it as Unicode.
    body = decode_html(data) if is_html else data.decode("utf-8", errors="replace")
    if share := not_text_share(body):
        raise ProduceError(f"{path}: not a text file ({share:.0%} of its first characters are control or undecodable bytes): "
                           "send pages as .html or .txt, plain or gzipped (.gz)")
    doc = {
        "url": url,
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
