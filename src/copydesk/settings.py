"""Configuration, read once from ``COPYDESK_*`` environment variables into a frozen object."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path


def _default_home() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "copydesk"


class SettingsError(ValueError):
    """A setting's value cannot be used; the message names the variable and never a secret."""


#: Kafka's compression codecs: what raw messages may be produced with, and all of them a worker reads.
CODECS = ("gzip", "snappy", "lz4", "zstd")
#: What ``Settings.topic_check`` may say.
TOPIC_CHECKS = ("warn", "refuse")


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
    #: Words per minute for ``reading_time_s``.
    reading_wpm: int = 230
    log_level: str = "info"
    #: ``text`` for people, ``json`` (one object a line) for log pipelines.
    log_format: str = "text"
    #: Seconds between a worker's progress lines (throughput, lag, dead letters); 0: none.
    log_interval_s: float = 30.0
    #: Port of a worker's /metrics, /healthz and /readyz; 0: not served. With ``--processes N``,
    #: process i (from 0) serves on this port + i.
    metrics_port: int = 0
    #: How long a worker waits to fill a batch of results before sending it: fewer, larger produce
    #: requests cost the broker less CPU; an idle fleet's latency grows by up to this much.
    linger_ms: int = 20
    #: What a worker does on start when a topic breaks a promise copydesk makes (the enriched
    #: topic not compacted, fewer raw partitions than worker processes, an output topic's
    #: max.message.bytes below ``topic_max_message_bytes``): "warn" (log and run) or "refuse" (exit 2).
    topic_check: str = "warn"
    #: Worker processes of the whole fleet, all hosts together, for the partition check;
    #: ``copydesk worker --processes N`` counts at least its own N.
    fleet_processes: int = 0
    #: A worker holding messages that neither finishes a page nor has a result acknowledged for
    #: this long is stuck, and restarts itself; well above what one page may take.
    stall_timeout_s: float = 60.0
    #: CPU seconds a page's cleaning may take before its enrichment is skipped (a best-effort
    #: record, ``processing.enriched`` false); linear cleaning takes about 1.4 s a MB at worst.
    page_budget_s: float = 20.0
    #: How every client copydesk makes reaches the brokers: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL
    #: (``copydesk.kafka.security`` turns these fields into client settings).
    security_protocol: str = "PLAINTEXT"
    #: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, for the SASL protocols.
    sasl_mechanism: str = "PLAIN"
    sasl_username: str = ""
    #: A secret: fields declared with repr=False are never printed (``describe`` masks them).
    sasl_password: str = field(default="", repr=False)
    #: A file holding the SASL password (a mounted secret), instead of ``sasl_password``.
    sasl_password_file: str = ""
    #: CA certificates (PEM) that sign the brokers' certificates; empty: the system's CAs.
    ssl_cafile: str = ""
    #: This client's certificate (PEM) and key, for brokers that require client certificates (mTLS).
    ssl_certfile: str = ""
    ssl_keyfile: str = ""
    ssl_key_password: str = field(default="", repr=False)
    #: Whether a broker's certificate must name the host connected to.
    ssl_check_hostname: bool = True
    #: Whether ``copydesk worker`` counts trending entities and keywords (``copydesk.analytics.trends``).
    trends: bool = True
    #: Where the top counts of each window go (compacted, key = window + entity).
    trends_topic: str = "articles.trends"
    #: How many entities and keywords per window each worker publishes.
    trends_top_n: int = 20
    #: How often a worker publishes the counts that changed.
    trends_publish_seconds: float = 10.0
    #: The Parquet sink's consumer group (``copydesk sink``): its offsets are its own.
    sink_group_id: str = "copydesk-sink"
    #: The sink writes its buffered rows out when they reach this many bytes of JSON...
    sink_roll_bytes: int = 64 * 1024 * 1024
    #: ...or when the oldest of them has waited this long, whichever comes first.
    sink_roll_seconds: float = 60.0

    def __post_init__(self) -> None:
        if self.reading_wpm < 1:
            raise SettingsError(f"COPYDESK_READING_WPM={self.reading_wpm}: must be at least 1")
        if self.topic_check not in TOPIC_CHECKS:
            raise SettingsError(f"COPYDESK_TOPIC_CHECK={self.topic_check!r}: expected one of {', '.join(TOPIC_CHECKS)}")

    @property
    def bootstrap_servers(self) -> str:
        return self.brokers or f"127.0.0.1:{self.broker_port}"

    def describe(self, environ: Mapping[str, str] | None = None) -> list[tuple[str, str, str]]:
        """Each setting as (variable, value, where it came from: "env" or "default"), secrets
        masked: what ``copydesk config`` prints."""
        environ = os.environ if environ is None else environ
        rows = []
        for f in fields(self):
            name = f"COPYDESK_{f.name.upper()}"
            value = getattr(self, f.name)
            shown = ("****" if value else "") if not f.repr else str(value).lower() if isinstance(value, bool) else str(value)
            rows.append((name, shown, "env" if name in environ else "default"))
        return rows

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
                values[f.name] = _boolean(raw) if kind is bool else kind(raw)
            except ValueError as exc:
                raise ValueError(f"COPYDESK_{f.name.upper()}={raw!r}: {exc}") from None
        return cls(**values)  # type: ignore[arg-type]


def _boolean(raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError("expected true or false")
