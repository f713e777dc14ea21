"""Configuration, read once from ``COPYDESK_*`` environment variables into a frozen object."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path


def _default_home() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "copydesk"


#: Kafka's compression codecs: what raw messages may be produced with, and all of them a worker reads.
CODECS = ("gzip", "snappy", "lz4", "zstd")


@dataclass(frozen=True, slots=True)
class Settings:
    """Every knob copydesk has. Field ``foo_bar`` is read from ``COPYDESK_FOO_BAR``."""

    #: Bootstrap servers of an existing cluster; empty means the local broker.
    brokers: str = ""
    #: Port of the local broker (``copydesk broker up``); the controller uses port + 1.
    broker_port: int = 9092
    #: Where the local broker's jars, data and log live.
    home: Path = _default_home()
    #: Apache Kafka version the local broker runs.
    kafka_version: str = "4.4.0"
    raw_topic: str = "articles.raw"
    enriched_topic: str = "articles.enriched"
    dead_letter_topic: str = "articles.dead-letter"
    group_id: str = "copydesk"
    #: Partitions for the topics copydesk creates.
    partitions: int = 6
    #: Replication factor for the topics copydesk creates (1 suits the local broker only).
    replication_factor: int = 1
    #: A raw message larger than this is dead-lettered unread.
    max_message_bytes: int = 8 * 1024 * 1024
    #: How much of a failed message's value the dead letter carries.
    dead_letter_value_bytes: int = 64 * 1024
    #: Largest message the topics accept (the broker's and topics' limit).
    topic_max_message_bytes: int = 32 * 1024 * 1024
    #: Deepest HTML element nesting kept; deeper subtrees are cut off.
    max_html_depth: int = 512
    #: Words per minute for ``reading_time_s``.
    reading_wpm: int = 230
    log_level: str = "info"
    #: How long a worker waits to fill a batch of results before sending it: fewer, larger produce
    #: requests cost the broker less CPU; an idle fleet's latency grows by up to this much.
    linger_ms: int = 20

    @property
    def bootstrap_servers(self) -> str:
        return self.brokers or f"127.0.0.1:{self.broker_port}"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = environ.get(f"COPYDESK_{f.name.upper()}")
            if raw is None:
                continue
            kind = type(f.default)
            try:
                values[f.name] = kind(raw)
            except ValueError as exc:
                raise ValueError(f"COPYDESK_{f.name.upper()}={raw!r}: {exc}") from None
        return cls(**values)  # type: ignore[arg-type]
