"""The ``copydesk`` command."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import textwrap
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import orjson

from copydesk import __version__
from copydesk.analytics.examples import EXAMPLES
from copydesk.ops.logs import quiet_command_logging
from copydesk.settings import CODECS, Settings, SettingsError


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except ValueError as exc:
        parser.error(str(exc))
    quiet_command_logging()
    try:
        return int(args.run(args, settings) or 0)
    except SettingsError as exc:
        print(f"copydesk: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into head, say, which stopped reading
        # Python would report the pipe again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="copydesk", description="Clean and enrich scraped articles on Kafka.")
    parser.add_argument("--version", action="version", version=f"copydesk {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    broker = commands.add_parser(
        "broker", help="run a local single-node Apache Kafka (KRaft), no Docker",
        description="A single-node Apache Kafka (broker and KRaft controller) on 127.0.0.1, for trying copydesk and for "
        "the tests. The first `up` fetches Kafka's jars from Maven Central with `mvn` (needs a JDK 17+ and Maven; about "
        "a minute, once) and formats its storage; later ones start in seconds. `up` and `down` are idempotent; data is kept.",
        epilog=_environment("COPYDESK_BROKER_PORT: its port (the controller uses the next one); COPYDESK_HOME: jars, data "
                            "and log; COPYDESK_KAFKA_VERSION; COPYDESK_PARTITIONS and COPYDESK_TOPIC_MAX_MESSAGE_BYTES", kafka=False),
    )
    broker.add_argument("action", choices=("up", "down", "status"), help="start (and wait until it answers), stop, or say whether it runs")
    broker.set_defaults(run=_broker)

    schema = commands.add_parser(
        "schema", help="print a message contract as JSON Schema",
        description="Print the contract of raw messages (what scrapers send to the raw topic) or of records (what the "
        "workers publish) as a JSON Schema document.",
    )
    schema.add_argument("which", choices=("raw", "record"), help="raw: the input message; record: the output")
    schema.set_defaults(run=_schema)

    process = commands.add_parser(
        "process", help="batch mode: raw JSON lines in, records out (no Kafka)",
        description="Clean and enrich raw messages from a JSONL file without Kafka: one record a line out, and a dead "
        "letter (with its reason) for each line that cannot become one. A summary goes to stderr at the end.",
        epilog=_environment("COPYDESK_MAX_MESSAGE_BYTES, COPYDESK_DEAD_LETTER_VALUE_BYTES, COPYDESK_READING_WPM", kafka=False),
    )
    process.add_argument("input", help="raw messages, one JSON object a line ('-' for stdin)")
    process.add_argument("-o", "--output", default="", help="records, one a line (default or '-': stdout)")
    process.add_argument("--dead-letter", default="", help="where malformed lines go (default: stderr)")
    process.set_defaults(run=_process)

    produce = commands.add_parser(
        "produce", help="send JSONL, .html or .txt files to the raw topic",
        description="Send raw messages to the raw topic: each line of a .jsonl file as it is (keyed by its id; each needs "
        "a url), or one saved page (.html, .htm or .txt) with the URL it came from (--url). Files may be gzipped (.gz). "
        "Every file is checked before anything is sent; a binary file is refused.",
        epilog=_environment("COPYDESK_RAW_TOPIC, COPYDESK_TOPIC_MAX_MESSAGE_BYTES"),
    )
    produce.add_argument("paths", nargs="+", type=Path, help="JSONL files, or one page")
    produce.add_argument("--url", default="", help="the page's URL (required for an .html/.txt page; one page at a time)")
    produce.add_argument("--topic", default="", help="send elsewhere than COPYDESK_RAW_TOPIC")
    produce.add_argument("--compression", choices=CODECS, help="compress batches, as scrapers may")
    produce.set_defaults(run=_produce)

    worker = commands.add_parser(
        "worker", help="consume raw articles and publish records (faust)",
        description="Consume the raw topic in the consumer group, publish a record or a dead letter for every message, "
        "and commit a message's offset only once its result is acknowledged. Runs until SIGTERM or Ctrl-C, which drain. "
        "A refused certificate or login ends it at once (exit code 2).",
        epilog=_environment(
            "COPYDESK_GROUP_ID, COPYDESK_RAW_TOPIC, COPYDESK_ENRICHED_TOPIC, COPYDESK_DEAD_LETTER_TOPIC, COPYDESK_PARTITIONS, "
            "COPYDESK_REPLICATION_FACTOR (for the topics it creates); COPYDESK_MAX_MESSAGE_BYTES, COPYDESK_DEAD_LETTER_VALUE_BYTES, "
            "COPYDESK_TOPIC_MAX_MESSAGE_BYTES, COPYDESK_READING_WPM, COPYDESK_LINGER_MS; COPYDESK_LOG_LEVEL, COPYDESK_LOG_FORMAT, "
            "COPYDESK_LOG_INTERVAL_S; COPYDESK_METRICS_PORT (/metrics, /healthz, /readyz; process i of --processes serves on port + i); "
            "COPYDESK_TRENDS and COPYDESK_TRENDS_* (trending entities)"
        ),
    )
    worker.add_argument("--processes", type=int, default=1, help="worker processes on this host (one per core), restarted when they die")
    worker.set_defaults(run=_worker)

    config = commands.add_parser(
        "config", help="print the effective settings (secrets masked)",
        description="Print every COPYDESK_* setting as the commands would use it, and whether it comes from the "
        "environment or is the default. Passwords show as ****.",
    )
    config.set_defaults(run=_config)

    sink = commands.add_parser(
        "sink",
        help="write records (and dead letters) from the broker into files for analytics",
        description=SINK_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_environment("COPYDESK_SINK_GROUP_ID, COPYDESK_SINK_ROLL_BYTES, COPYDESK_SINK_ROLL_SECONDS, COPYDESK_ENRICHED_TOPIC, COPYDESK_DEAD_LETTER_TOPIC"),
    )
    sink.add_argument("format", choices=("parquet",))
    sink.add_argument("folder", type=Path, help="where the tables go (made when missing)")
    sink.add_argument("--roll-seconds", type=float, help="write files at least this often (default: COPYDESK_SINK_ROLL_SECONDS, 60)")
    sink.add_argument("--roll-mb", type=float, help="write files when this much JSON is buffered (default: COPYDESK_SINK_ROLL_BYTES, 64 MB)")
    sink.add_argument("--no-dead-letters", dest="dead_letters", action="store_false", help="leave out the dead_letters table")
    sink.add_argument("--until-caught-up", action="store_true", help="stop once everything on the topics is written (else run until SIGTERM or Ctrl-C)")
    sink.set_defaults(run=_sink)

    query = commands.add_parser(
        "query",
        help="SQL (DuckDB) over the sink's Parquet folder",
        description=QUERY_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    query.add_argument("folder", type=Path, help="the folder `copydesk sink parquet` writes")
    query.add_argument("sql", nargs="?", default="", help="one SQL statement over the views records, records_all, dead_letters")
    query.add_argument("--example", choices=sorted(EXAMPLES), help="run one of the example questions (and print its SQL)")
    query.add_argument("--views", action="store_true", help="print the SQL that defines the views, for the duckdb shell")
    query.set_defaults(run=_query)

    report = commands.add_parser(
        "report", help="one self-contained HTML page of charts from the sink's Parquet folder",
        description="Read the folder `copydesk sink parquet` writes and draw its charts into one HTML page that needs no "
        "network and no file beside it. Reads no COPYDESK_* setting.",
    )
    report.add_argument("folder", type=Path, help="the folder `copydesk sink parquet` writes")
    report.add_argument("-o", "--output", type=Path, help="the HTML file (default: FOLDER/report.html)")
    report.set_defaults(run=_report)

    consume = commands.add_parser(
        "consume", help="show the messages of a topic: records, dead letters or raw pages",
        description="Show a topic's messages without joining a consumer group or committing anything. By default "
        "the 10 newest messages, oldest first; --from-beginning shows all; --follow then waits for new ones (Ctrl-C stops).",
        epilog=_environment("COPYDESK_ENRICHED_TOPIC, COPYDESK_DEAD_LETTER_TOPIC, COPYDESK_RAW_TOPIC: the topic names"),
    )
    consume.add_argument("--topic", choices=("enriched", "dead-letter", "raw"), default="enriched", help="which topic (default: enriched)")
    consume.add_argument("--from-beginning", action="store_true", help="every message the topic still holds")
    consume.add_argument("-n", "--last", type=int, default=10, metavar="N", help="without --from-beginning: the N newest messages (default 10)")
    consume.add_argument("--follow", "-f", action="store_true", help="keep showing new messages as they arrive")
    consume.add_argument("--format", choices=("pretty", "jsonl"), default="pretty", help="pretty (for people, default) or jsonl (one JSON value a line, for jq)")
    consume.set_defaults(run=_consume)

    lag = commands.add_parser(
        "lag", help="how far a consumer group is behind, per partition",
        description="Per partition of the topic: the group's committed offset, the end of the log, and the difference. "
        "Reads the offsets only; it does not join the group.",
        epilog=_environment("COPYDESK_GROUP_ID: the default group; COPYDESK_RAW_TOPIC and the others: the topic names"),
    )
    lag.add_argument("--group", default="", help="consumer group (default: COPYDESK_GROUP_ID, the workers')")
    lag.add_argument("--topic", choices=("raw", "enriched", "dead-letter"), default="raw", help="which topic (default: raw, what the workers read)")
    lag.set_defaults(run=_lag)

    demo = commands.add_parser(
        "demo", help="local broker, a worker, example articles in, records out",
        description="Start the local broker (unless COPYDESK_BROKERS names a cluster), create the topics, start a worker, "
        "send the example pages and a broken message, print the records and the dead letter, then run the Parquet sink "
        "and the report, and stop what it started.",
        epilog=_environment("COPYDESK_BROKER_PORT and COPYDESK_HOME for the local broker; the worker's settings (see `copydesk worker --help`)"),
    )
    demo.set_defaults(run=_demo)
    return parser


def _broker(args: argparse.Namespace, settings: Settings) -> int:
    from copydesk.kafka.broker import BrokerError, LocalBroker

    broker = LocalBroker(settings)
    try:
        if args.action == "up":
            if not broker.status().running:
                fetch = "" if broker.jars_cached() else (
                    f"fetching Apache Kafka {settings.kafka_version}'s jars from Maven Central with mvn into {settings.home} "
                    "(once; about a minute), then "
                )
                print(f"copydesk broker up: {fetch}starting Kafka on 127.0.0.1:{settings.broker_port} and waiting until it answers...", file=sys.stderr, flush=True)
            status = broker.up()
        elif args.action == "down":
            broker.down()
            status = broker.status()
        else:
            status = broker.status()
    except BrokerError as exc:
        print(f"copydesk broker {args.action}: {exc}", file=sys.stderr)
        return 1
    state = f"running (pid {status.pid})" if status.running else "stopped"
    print(f"Kafka {status.version} {state} at {status.bootstrap}\nlog:  {status.log_path}\ndata: {status.data_dir}")
    return 0 if status.running or args.action == "down" else 3


def _schema(args: argparse.Namespace, settings: Settings) -> int:
    from copydesk.contracts import RAW_SCHEMA, RECORD_SCHEMA

    schema = RAW_SCHEMA if args.which == "raw" else RECORD_SCHEMA
    sys.stdout.buffer.write(orjson.dumps(schema, option=orjson.OPT_INDENT_2) + b"\n")
    return 0


def _process(args: argparse.Namespace, settings: Settings) -> int:
    from copydesk.batch import progress_stream, run_batch

    try:
        with (
            _open_in(args.input) as lines,
            _open_out(args.output, sys.stdout.buffer) as out,
            _open_out(args.dead_letter, sys.stderr.buffer) as dead,
        ):
            started = time.monotonic()
            counts = run_batch(lines, out, dead, settings, name=args.input, progress=progress_stream())
    except OSError as exc:
        print(f"copydesk process: {exc}", file=sys.stderr)
        return 2
    print(counts.summary(time.monotonic() - started), file=sys.stderr)
    return 0


@contextlib.contextmanager
def _open_in(name: str) -> Iterator[BinaryIO]:
    if name == "-":
        yield sys.stdin.buffer
    else:
        with open(name, "rb") as handle:
            yield handle


@contextlib.contextmanager
def _open_out(name: str, default: BinaryIO) -> Iterator[BinaryIO]:
    if name in ("", "-"):
        yield default
    else:
        with open(name, "wb") as handle:
            yield handle


def _produce(args: argparse.Namespace, settings: Settings) -> int:
    # asyncio comes with the Kafka commands only: `copydesk process` starts 0.05 s of CPU sooner.
    import asyncio

    from copydesk.kafka.produce import ProduceError, messages_from_paths, produce
    from copydesk.kafka.topics import ensure_topics

    if args.url and len(args.paths) != 1:
        print("copydesk produce: --url goes with a single file", file=sys.stderr)
        return 2
    try:
        # Every file is read and checked before the first message goes out: all or nothing.
        messages = list(messages_from_paths(args.paths, url=args.url))
    except (OSError, ProduceError) as exc:
        print(f"copydesk produce: {exc}", file=sys.stderr)
        return 2
    # The broker creates no topic on its own: pages sent before any worker ran would wait for one.
    asyncio.run(ensure_topics(settings))
    sent = asyncio.run(produce(settings, messages, topic=args.topic, compression=args.compression))
    print(f"sent {sent} messages to {args.topic or settings.raw_topic}", file=sys.stderr)
    return 0


def _worker(args: argparse.Namespace, settings: Settings) -> int:
    import asyncio

    from copydesk.kafka.security import check_access
    from workers.run import run_worker, supervise

    if args.processes < 1:
        print("copydesk worker: --processes must be at least 1", file=sys.stderr)
        return 2
    # A refused certificate or login does not heal by waiting for the broker: say so at once.
    asyncio.run(check_access(settings))
    if args.processes > 1:
        return supervise(args.processes, metrics_port=settings.metrics_port, fleet_processes=settings.fleet_processes)
    return run_worker(settings)


SINK_HELP = """\
Consume articles.enriched (and articles.dead-letter) in its own consumer group
(COPYDESK_SINK_GROUP_ID, default copydesk-sink) and write Parquet tables:

  FOLDER/records/dt=YYYY-MM-DD/part-*.parquet       day of published_at, else fetched_at
  FOLDER/dead_letters/dt=YYYY-MM-DD/part-*.parquet  day of failed_at

Delivery: at least once. Rows are buffered and written as one file per day per roll (when the
buffer reaches --roll-mb or its oldest row --roll-seconds); each file is written under a hidden
temporary name, fsynced and renamed, and only then are the offsets committed. A sink that is
killed loses nothing and leaves no half file; the rows since its last commit are written again
when it restarts, so a record may appear more than once: keep the latest row per id (the view
that `copydesk query` defines does). One sink writes a folder at a time.
"""


def _sink(args: argparse.Namespace, settings: Settings) -> int:
    import asyncio

    from aiokafka.errors import KafkaError

    from copydesk.analytics.parquet import FolderError, Roll, claim
    from copydesk.kafka.sink import run_sink

    roll = Roll(
        max_bytes=int(args.roll_mb * 1024 * 1024) if args.roll_mb else settings.sink_roll_bytes,
        max_seconds=args.roll_seconds if args.roll_seconds is not None else settings.sink_roll_seconds,
    )
    try:
        lock = claim(args.folder)
    except FolderError as exc:
        print(f"copydesk sink: {exc}", file=sys.stderr)
        return 2
    with lock:
        print(f"copydesk sink: writing {args.folder.resolve()} (Ctrl-C or SIGTERM saves and stops)", file=sys.stderr, flush=True)
        progress = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731
        try:
            asyncio.run(run_sink(settings, args.folder, roll=roll, dead_letters=args.dead_letters, until_caught_up=args.until_caught_up, progress=progress))
        except KafkaError as exc:
            print(f"copydesk sink: {exc} (brokers: {settings.bootstrap_servers})", file=sys.stderr)
            return 1
    return 0


QUERY_HELP = """\
DuckDB over the Parquet folder that `copydesk sink parquet` writes, with three views:

  records       the latest row per id (the sink delivers at least once, so a record may be
                written more than once; a page scraped again is a newer version)
  records_all   every row as written, with its filename and file_row_number
  dead_letters  what could not become a record, with its reason

Times are TIMESTAMP in UTC. Without SQL, runs every example question.
"""


def _query(args: argparse.Namespace, settings: Settings) -> int:
    import duckdb

    from copydesk.analytics.query import as_text, connect, run, view_statements

    if not args.folder.is_dir():
        print(f"copydesk query: no such folder: {args.folder}", file=sys.stderr)
        return 2
    if args.views:
        print(";\n".join(view_statements(args.folder.resolve())) + ";")
        return 0
    db = connect(args.folder)
    names = [args.example] if args.example else list(EXAMPLES)
    asked = [(args.sql, args.sql)] if args.sql else [(f"-- {name}\n{textwrap.dedent(EXAMPLES[name]).strip()}", EXAMPLES[name]) for name in names]
    for shown, sql in asked:
        try:
            result = run(db, sql)
        except duckdb.Error as exc:
            print(f"copydesk query: {exc}", file=sys.stderr)
            return 1
        print(as_text(*result) if args.sql else f"{shown}\n\n{as_text(*result)}\n")
    return 0


def _report(args: argparse.Namespace, settings: Settings) -> int:
    from copydesk.analytics.report import write_report

    if not args.folder.is_dir():
        print(f"copydesk report: no such folder: {args.folder}", file=sys.stderr)
        return 2
    try:
        written = write_report(args.folder, args.output or args.folder / "report.html")
    except OSError as exc:
        print(f"copydesk report: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {written.resolve()}", file=sys.stderr)
    return 0


#: How every command that talks to Kafka finds and authenticates to it.
CONNECTION_ENV = (
    "COPYDESK_BROKERS (else the local broker on COPYDESK_BROKER_PORT), COPYDESK_SECURITY_PROTOCOL, "
    "COPYDESK_SASL_MECHANISM, COPYDESK_SASL_USERNAME, COPYDESK_SASL_PASSWORD or COPYDESK_SASL_PASSWORD_FILE, "
    "COPYDESK_SSL_CAFILE, COPYDESK_SSL_CERTFILE, COPYDESK_SSL_KEYFILE, COPYDESK_SSL_KEY_PASSWORD, COPYDESK_SSL_CHECK_HOSTNAME"
)


def _environment(*more: str, kafka: bool = True) -> str:
    """The --help epilog that lists a command's environment variables (wrapped here, for the
    commands whose help keeps its own line breaks)."""
    text = "environment: " + "; ".join([*([CONNECTION_ENV] if kafka else []), *more]) + ". `copydesk config` prints them all."
    return textwrap.fill(text, 79)


def _config(args: argparse.Namespace, settings: Settings) -> int:
    rows = settings.describe()
    width = max(len(name) + len(value) for name, value, _ in rows) + 1
    for name, value, source in rows:
        print(f"{name}={value}".ljust(width + 2) + f"# {source}")
    return 0


def _consume(args: argparse.Namespace, settings: Settings) -> int:
    from copydesk.kafka.consume import TOPICS, Start, as_jsonl, as_pretty, consume

    async def show() -> None:
        start = Start(from_beginning=args.from_beginning, last=max(0, args.last))
        async for message in consume(settings, TOPICS[args.topic](settings), start, follow=args.follow):
            if args.format == "jsonl":
                sys.stdout.buffer.write(as_jsonl(message) + b"\n")
            else:
                sys.stdout.write(as_pretty(message, args.topic) + "\n")
            sys.stdout.flush()

    return _run_reader("consume", show)


def _lag(args: argparse.Namespace, settings: Settings) -> int:
    from copydesk.kafka.consume import TOPICS, group_lag, lag_table

    group = args.group or settings.group_id

    async def show() -> None:
        print(lag_table(await group_lag(settings, group, TOPICS[args.topic](settings)), group))

    return _run_reader("lag", show)


def _run_reader(command: str, show: Callable[[], Awaitable[None]]) -> int:
    import asyncio

    from aiokafka.errors import KafkaError

    from copydesk.kafka.topics import UnknownTopics

    try:
        asyncio.run(show())
    except (UnknownTopics, KafkaError) as exc:
        print(f"copydesk {command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    return 0


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from copydesk.kafka.demo import run_demo

    return run_demo(settings)
