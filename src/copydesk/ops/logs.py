"""A worker's log: text for people or JSON lines for log pipelines, the Kafka client's retriable
chatter kept out, and a progress line every so often."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import orjson

from copydesk.settings import SettingsError

if TYPE_CHECKING:  # the commands that only quiet their logging need no Prometheus client
    from copydesk.ops.metrics import Totals

FORMATS = ("text", "json")
#: Errors the Kafka client logs and then handles by retrying: after a topic is created or a
#: leader moves (the demo's first seconds, a rolling broker restart) they say nothing to act on.
RETRIABLE = (
    "NotLeaderForPartitionError",
    "LeaderNotAvailableError",
    "UnknownTopicOrPartitionError",
    "NotCoordinatorForGroupError",
    "CoordinatorNotAvailableError",
    "GroupCoordinatorNotAvailableError",
    "RebalanceInProgressError",
)
_RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "color_message"}


class QuietClient(logging.Filter):
    """Drops what the Kafka client logs, even as an error, about errors it then retries by itself
    ("Failed fetch offsets ... NotLeaderForPartitionError" while a new topic elects leaders)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith("aiokafka") or record.levelno > logging.ERROR:
            return True
        message = record.getMessage()
        return not any(name in message for name in RETRIABLE)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, the exception if any, and any
    ``extra`` fields the call passed."""

    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        doc.update({k: v for k, v in vars(record).items() if k not in _RECORD_FIELDS})
        if record.exc_info:
            doc["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(doc, default=str).decode()


def quiet_command_logging() -> None:
    """For the short-lived commands: warnings and errors to stderr, without the client's retried ones."""
    handler = logging.StreamHandler()
    handler.addFilter(QuietClient())
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", handlers=[handler])


def logging_config(log_format: str, level: str) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for the worker (faust's, merged), in ``log_format``."""
    if log_format not in FORMATS:
        raise SettingsError(f"COPYDESK_LOG_FORMAT={log_format!r}: expected one of {', '.join(FORMATS)}")
    handler = {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "level": level.upper(), "filters": ["quiet_client"]}
    if log_format == "json":
        handler["formatter"] = "json"
    else:  # faust's own coloured format, as before
        handler.update({"class": "colorlog.StreamHandler", "formatter": "colored"})
    return {
        "merge": True,
        "version": 1,
        "filters": {"quiet_client": {"()": QuietClient}},
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"default": handler},
    }


def progress_line(previous: Totals, now: Totals, seconds: float, lag: Mapping[tuple[str, int], int], in_flight: int) -> tuple[str, dict[str, Any]]:
    """The progress line since ``previous`` and its figures as fields (for JSON logs)."""
    messages = now.messages - previous.messages
    dead = {reason: n - previous.dead_letters.get(reason, 0) for reason, n in now.dead_letters.items()}
    dead = {reason: n for reason, n in sorted(dead.items(), key=lambda item: -item[1]) if n}
    fields = {
        "messages": messages,
        "per_second": round(messages / seconds, 1) if seconds > 0 else 0.0,
        "records": now.records - previous.records,
        "dead_letters": dead,
        "lag": sum(lag.values()),
        "partitions": len(lag),
        "in_flight": in_flight,
    }
    reasons = f" ({', '.join(f'{reason} {n}' for reason, n in dead.items())})" if dead else ""
    text = (
        f"last {seconds:.0f}s: {messages} messages ({fields['per_second']}/s), {fields['records']} records, "
        f"{sum(dead.values())} dead letters{reasons}; lag {fields['lag']} over {len(lag)} partitions; {in_flight} results in flight"
    )
    return text, fields
