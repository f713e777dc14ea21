"""A real single-node Apache Kafka (KRaft broker + controller) on 127.0.0.1, run from jars that Maven
fetches: no Docker, no Kafka download to unpack.

Layout under ``settings.home``::

    jars/kafka-<version>/libs/        the broker's classpath, shared by every port
    broker-<port>/server.properties   generated config (and log4j2.xml)
    broker-<port>/data/               KRaft metadata and topic data, kept across restarts
    broker-<port>/kafka.log           the broker's log; kafka.out has what the JVM itself prints
    broker-<port>/kafka.pid

Each port is a cluster of its own: a standalone KRaft controller records its own address in its
metadata log at format time, so the same data cannot be served from another port.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import errno
import fcntl
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from copydesk.settings import Settings

#: The slf4j binding must match the slf4j-api 1.7 that Kafka 4 depends on: the slf4j2 binding would
#: leave the broker silent.
LOG4J_VERSION = "2.25.3"
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
#: Small on purpose: the broker shares a 2-core machine with workers, yet must hold a few 32 MB
#: requests at once.
JVM_OPTIONS = (
    "-Xms256m",
    "-Xmx768m",
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:InitiatingHeapOccupancyPercent=35",
    "-XX:+ExplicitGCInvokesConcurrent",
    "-Djava.awt.headless=true",
)
#: Kafka's default: a produce request must fit, with room for the largest message.
SOCKET_REQUEST_MAX_BYTES = 100 * 1024 * 1024
MAVEN_TIMEOUT_S = 900.0
FORMAT_TIMEOUT_S = 120.0
KILL_WAIT_S = 10.0
LOG_TAIL_LINES = 40
_POLL_S = 0.2
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class BrokerError(Exception):
    """The local broker could not be fetched, started or stopped; the message says what to do."""


@dataclass(frozen=True, slots=True)
class BrokerStatus:
    running: bool
    pid: int | None
    bootstrap: str
    version: str
    log_path: Path
    data_dir: Path


@dataclass(frozen=True, slots=True)
class BrokerPaths:
    """Every file the local broker of one home and port uses."""

    libs: Path
    run_dir: Path
    config: Path
    log4j_config: Path
    log: Path
    console: Path
    pid: Path
    lock: Path
    data: Path
    #: The newest Kafka version that ran on ``data``.
    data_version: Path

    @classmethod
    def of(cls, settings: Settings) -> BrokerPaths:
        run_dir = settings.home / f"broker-{settings.broker_port}"
        return cls(
            libs=settings.home / "jars" / f"kafka-{settings.kafka_version}" / "libs",
            run_dir=run_dir,
            config=run_dir / "server.properties",
            log4j_config=run_dir / "log4j2.xml",
            log=run_dir / "kafka.log",
            console=run_dir / "kafka.out",
            pid=run_dir / "kafka.pid",
            lock=run_dir / "kafka.lock",
            data=run_dir / "data",
            data_version=run_dir / "data.kafka-version",
        )


def render_pom(kafka_version: str) -> str:
    """A pom whose runtime dependencies are exactly the broker's classpath."""
    dependencies = [
        ("org.apache.kafka", "kafka_2.13", kafka_version),
        ("org.apache.logging.log4j", "log4j-slf4j-impl", LOG4J_VERSION),
        ("org.apache.logging.log4j", "log4j-core", LOG4J_VERSION),
    ]
    entries = "\n".join(
        f"    <dependency><groupId>{g}</groupId><artifactId>{a}</artifactId><version>{escape(v)}</version></dependency>"
        for g, a, v in dependencies
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>copydesk.local</groupId>
  <artifactId>kafka-broker-classpath</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
{entries}
  </dependencies>
</project>
"""


def render_server_properties(settings: Settings, data_dir: Path, extra: Mapping[str, str] | None = None) -> str:
    """Config for a one-node dev/test cluster: every internal topic with one replica, no rebalance
    delay, and a message size limit that lets an oversized page reach the worker's dead letters.
    ``extra`` properties are added, or replace these (more listeners, TLS and SASL, say)."""
    port = settings.broker_port
    message_bytes = settings.topic_max_message_bytes
    values = {
        "process.roles": "broker,controller",
        "node.id": "1",
        "listeners": f"PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{port + 1}",
        "advertised.listeners": f"PLAINTEXT://127.0.0.1:{port}",
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "PLAINTEXT",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "controller.quorum.bootstrap.servers": f"127.0.0.1:{port + 1}",
        "log.dirs": str(data_dir),
        "num.partitions": str(settings.partitions),
        # A topic created by a metadata request gets the broker's defaults (an enriched topic
        # that is not compacted, say); only ensure_topics creates topics, with their configs.
        "auto.create.topics.enable": "false",
        "offsets.topic.replication.factor": "1",
        # 50 partitions (the default) make the first consumer group wait for all of them.
        "offsets.topic.num.partitions": "6",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "transaction.state.log.num.partitions": "6",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        "min.insync.replicas": "1",
        "group.initial.rebalance.delay.ms": "0",
        "message.max.bytes": str(message_bytes),
        "replica.fetch.max.bytes": str(message_bytes),
        "socket.request.max.bytes": str(max(SOCKET_REQUEST_MAX_BYTES, 2 * message_bytes)),
        **(extra or {}),
    }
    # The version is part of the config so that a broker started for another version reads as a
    # different configuration.
    header = f"# Generated by copydesk for Apache Kafka {settings.kafka_version}; edits are overwritten.\n"
    return header + "".join(f"{key}={_escape_property(value)}\n" for key, value in values.items())


def _escape_property(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n")


def render_log4j2(log_path: Path) -> str:
    """Log4j2 config: the broker logs to one rolling file, as Kafka's own scripts would set up."""
    # "${" starts a log4j lookup; "$${" is a literal one.
    file_name = escape(str(log_path).replace("${", "$${"), {'"': "&quot;"})
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="warn">
  <Appenders>
    <RollingFile name="file" fileName="{file_name}" filePattern="{file_name}.%i">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
      <SizeBasedTriggeringPolicy size="20 MB"/>
      <DefaultRolloverStrategy max="3"/>
    </RollingFile>
  </Appenders>
  <Loggers>
    <Logger name="kafka.request.logger" level="WARN"/>
    <Root level="INFO"><AppenderRef ref="file"/></Root>
  </Loggers>
</Configuration>
"""


def new_cluster_id() -> str:
    """What ``kafka-storage.sh random-uuid`` prints (22 URL-safe base64 characters), without
    starting a JVM for it. Like Kafka, never one starting with "-", which command lines misread."""
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode("ascii")
        if not cluster_id.startswith("-"):
            return cluster_id


def version_key(version: str) -> tuple[int, ...]:
    """A Kafka version as numbers, for comparing: "4.10.0" comes after "4.9.1"."""
    return tuple(int(part) for part in re.findall(r"\d+", version))


def find_tool(name: str, install: str) -> str:
    """The absolute path of a program on PATH, or a BrokerError saying what to install."""
    found = shutil.which(name)
    if found is None:
        raise BrokerError(f"`{name}` was not found on PATH; the local Kafka broker needs it: install {install}")
    return found


def find_java() -> str:
    """The ``java`` of ``JAVA_HOME`` when set, as Kafka's own scripts choose, else the one on PATH."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and os.access(Path(java_home, "bin", "java"), os.X_OK):
        return str(Path(java_home, "bin", "java"))
    return find_tool("java", "a Java runtime, JDK 17 or newer (e.g. `apt-get install openjdk-17-jdk-headless`)")


def explain_java_failure(output: str) -> str:
    """Output of a failed java run, with the fix for the usual cause spelled out."""
    if "UnsupportedClassVersionError" in output:
        return f"{output}\nApache Kafka 4 needs Java 17 or newer: install a JDK 17+ and point JAVA_HOME (or PATH) at it."
    return output


def java_command(java: str, paths: BrokerPaths, main_class: str, *args: str) -> list[str]:
    return [
        java,
        *JVM_OPTIONS,
        f"-Dlog4j2.configurationFile={paths.log4j_config}",
        "-cp",
        f"{paths.libs}{os.sep}*",
        main_class,
        *args,
    ]


def run_tool(command: list[str], timeout: float) -> tuple[int, str]:
    """Run a command to completion: its exit code and the tail of its output."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise BrokerError(f"`{Path(command[0]).name}` did not finish within {timeout:.0f}s: {' '.join(command[1:])}") from None
    # Maven colours its output even in batch mode.
    output = _ANSI_ESCAPE.sub("", done.stdout + done.stderr)
    return done.returncode, "\n".join(output.splitlines()[-LOG_TAIL_LINES:])


def port_in_use(port: int) -> bool:
    """Whether something listens on 127.0.0.1:port (a socket in TIME_WAIT does not count)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return True
            raise
    return False


def free_port_pair() -> int:
    """A port that, with the next one, nothing listens on: room for a throwaway broker (tests)."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port < 65535 and not port_in_use(port + 1):
            return port


def tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def process_alive(pid: int) -> bool:
    """Whether pid runs. A zombie does not: ours is reaped here, another parent's is recognised."""
    if _reaped(pid):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return True
    if stat.rpartition(")")[2].split()[:1] != ["Z"]:
        return True
    # It died between the first reap and the look: reap it now, or ours stays in the process table.
    _reaped(pid)
    return False


def _reaped(pid: int) -> bool:
    """Whether pid was our child and had exited, in which case it is now gone from the process table."""
    with contextlib.suppress(ChildProcessError):
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done == pid
    return False


def command_line(pid: int) -> str:
    """The command line of a running process, or "" when it cannot be read."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except FileNotFoundError:
        if Path("/proc/self").exists():
            return ""
    except PermissionError:
        return ""
    # Without /proc (macOS), ps says the same.
    done = subprocess.run(["ps", "-o", "command=", "-p", str(pid)], capture_output=True, text=True, check=False)
    return done.stdout.strip()


class LocalBroker:
    """The local broker of one ``settings.home`` and ``settings.broker_port``. Every method may be
    called from any process: the state lives in the pid file, and a file lock orders up and down."""

    def __init__(self, settings: Settings, *, extra_properties: Mapping[str, str] | None = None, scram_users: Sequence[str] = ()) -> None:
        """``extra_properties`` go into server.properties; ``scram_users`` are SCRAM credentials
        that formatting the storage creates, in kafka-storage's form
        ``SCRAM-SHA-256=[name=alice,password=...]``."""
        self.settings = settings
        self.paths = BrokerPaths.of(settings)
        self.extra_properties = dict(extra_properties or {})
        self.scram_users = tuple(scram_users)

    def jars_cached(self) -> bool:
        """Whether this Kafka version's jars are here already (else ``up`` fetches them first)."""
        cached_pom = self.paths.libs / "pom.xml"
        return cached_pom.is_file() and cached_pom.read_text(encoding="utf-8") == render_pom(self.settings.kafka_version)

    def fetch_jars(self) -> Path:
        """The directory of the broker's jars, fetched with Maven on first use; offline afterwards."""
        libs = self.paths.libs
        if self.jars_cached():
            return libs
        pom = render_pom(self.settings.kafka_version)
        mvn = find_tool("mvn", "Apache Maven (e.g. `apt-get install maven`), with a JDK 17 or newer")
        libs.parent.mkdir(parents=True, exist_ok=True)
        # Fetch into a fresh directory and rename it into place, so an interrupted or concurrent
        # fetch never leaves a half-filled libs directory behind.
        staging = Path(tempfile.mkdtemp(prefix="libs.", dir=libs.parent))
        try:
            staging.chmod(0o755)  # mkdtemp's is private; the jars are not
            (staging / "pom.xml").write_text(pom, encoding="utf-8")
            command = [
                mvn, "-B", "-q", "-f", str(staging / "pom.xml"),
                f"{DEPENDENCY_PLUGIN}:copy-dependencies", "-DincludeScope=runtime", f"-DoutputDirectory={staging}",
            ]
            returncode, output = run_tool(command, MAVEN_TIMEOUT_S)
            if returncode != 0 or not any(staging.glob("kafka_2.13-*.jar")):
                raise BrokerError(
                    f"Maven could not fetch Apache Kafka {self.settings.kafka_version} (exit code {returncode}); "
                    f"check that this version exists on Maven Central and that Maven can reach it. Maven said:\n{output}"
                )
            self._install(staging, libs)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return libs

    @staticmethod
    def _install(staging: Path, libs: Path) -> None:
        installed = libs / "pom.xml"
        if installed.is_file() and installed.read_bytes() == (staging / "pom.xml").read_bytes():
            return  # another process fetched the same jars meanwhile
        if libs.exists():
            outdated = libs.with_name(f"{libs.name}.old.{os.getpid()}")
            with contextlib.suppress(FileNotFoundError):
                libs.rename(outdated)
            shutil.rmtree(outdated, ignore_errors=True)
        try:
            staging.rename(libs)
        except OSError:
            # Another process installed jars between the check above and here.
            if not installed.is_file():
                raise

    def up(self, *, timeout: float = 120.0) -> BrokerStatus:
        """Start the broker unless it runs, and return once it answers Kafka requests: within
        ``timeout`` seconds of starting it (a first fetch of the jars comes on top)."""
        java = find_java()
        with self._locked():
            pid = self._running_pid()
            started = pid is None
            if pid is None:
                if self.paths.pid.exists():
                    self._await_ports_free(KILL_WAIT_S)
                self._check_ports_free()
                self._check_data_readable()
                self.fetch_jars()
                self._write_configs()
                self._format_storage(java)
                pid = self._start(java)
            else:
                self._check_same_config(pid)
            try:
                self._wait_until_ready(pid, time.monotonic() + timeout)
            except BrokerError:
                if started:
                    self._stop(pid, KILL_WAIT_S)
                raise
        return self.status()

    def down(self, *, timeout: float = 30.0) -> None:
        """Stop the broker: SIGTERM lets it shut down cleanly, SIGKILL after ``timeout`` seconds."""
        with self._locked():
            pid = self._running_pid()
            if pid is None:
                self.paths.pid.unlink(missing_ok=True)
            else:
                self._stop(pid, timeout)

    def status(self) -> BrokerStatus:
        """Whether the broker runs, and where it listens, logs and keeps its data; changes nothing."""
        pid = self._running_pid()
        return BrokerStatus(
            running=pid is not None,
            pid=pid,
            bootstrap=f"127.0.0.1:{self.settings.broker_port}",
            version=self.settings.kafka_version,
            log_path=self.paths.log,
            data_dir=self.paths.data,
        )

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.paths.run_dir.mkdir(parents=True, exist_ok=True)
        with self.paths.lock.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _pid_in_file(self) -> int | None:
        try:
            return int(self.paths.pid.read_text(encoding="utf-8").strip())
        except (FileNotFoundError, ValueError):
            return None

    def _running_pid(self) -> int | None:
        """The pid of this home's broker if it runs. A pid file left by a broker that died, or naming
        a process that is no longer our broker, is stale: it reads as not running."""
        pid = self._pid_in_file()
        return pid if pid is not None and process_alive(pid) and self._is_our_broker(pid) else None

    def _is_our_broker(self, pid: int) -> bool:
        line = command_line(pid)
        return "kafka.Kafka" in line and str(self.paths.config) in line

    def _await_ports_free(self, timeout: float) -> None:
        """A broker that was stopped or killed reads as gone a little before the kernel has
        closed its listening sockets."""
        deadline = time.monotonic() + timeout
        port = self.settings.broker_port
        while (port_in_use(port) or port_in_use(port + 1)) and time.monotonic() < deadline:
            time.sleep(_POLL_S / 2)

    def _check_ports_free(self) -> None:
        port = self.settings.broker_port
        for taken in (p for p in (port, port + 1) if port_in_use(p)):
            raise BrokerError(
                f"port {taken} on 127.0.0.1 is in use by another program, not by the copydesk broker of "
                f"{self.settings.home} (the broker needs ports {port} and {port + 1}); stop that program, "
                f"or pick free ports with COPYDESK_BROKER_PORT"
            )

    def _check_same_config(self, pid: int) -> None:
        wanted = render_server_properties(self.settings, self.paths.data, self.extra_properties)
        try:
            running = self.paths.config.read_text(encoding="utf-8")
        except FileNotFoundError:
            running = ""
        if running != wanted:
            raise BrokerError(
                f"the running broker (pid {pid}) was started with other settings (Kafka version or limits); "
                f"restart it with `copydesk broker down` and `copydesk broker up`"
            )

    def _write_configs(self) -> None:
        self.paths.config.write_text(render_server_properties(self.settings, self.paths.data, self.extra_properties), encoding="utf-8")
        self.paths.log4j_config.write_text(render_log4j2(self.paths.log), encoding="utf-8")

    def _check_data_readable(self) -> None:
        """Kafka reads data that older versions wrote, not what newer ones did: refuse a
        downgrade with what to do, rather than let the broker fail with a stack trace."""
        newest = self._noted_data_version()
        wanted = self.settings.kafka_version
        if newest and version_key(wanted) < version_key(newest):
            raise BrokerError(
                f"the data in {self.paths.data} was last served by Apache Kafka {newest}, which Kafka {wanted} "
                f"cannot read: set COPYDESK_KAFKA_VERSION={newest}, or delete {self.paths.run_dir} to start an empty cluster"
            )

    def _format_storage(self, java: str) -> None:
        """Format the data directory once; later starts keep its topics and offsets."""
        noted = self._noted_data_version()
        if not noted:
            self._format(java)
        version = self.settings.kafka_version
        if not noted or version_key(version) > version_key(noted):
            self.paths.data_version.write_text(f"{version}\n", encoding="utf-8")

    def _noted_data_version(self) -> str:
        """The newest Kafka version that ran on the data; "" when there is no data yet, and
        "0" for data from before versions were noted."""
        if not (self.paths.data / "meta.properties").is_file():
            return ""
        try:
            return self.paths.data_version.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return "0"

    def _format(self, java: str) -> None:
        command = java_command(
            java, self.paths, "kafka.tools.StorageTool",
            "format", "--standalone", "--ignore-formatted", "-t", new_cluster_id(), "--config", str(self.paths.config),
            *(arg for user in self.scram_users for arg in ("--add-scram", user)),
        )
        returncode, output = run_tool(command, FORMAT_TIMEOUT_S)
        if returncode != 0:
            raise BrokerError(f"could not format the broker's storage in {self.paths.data}:\n{explain_java_failure(output)}")

    def _start(self, java: str) -> int:
        command = java_command(java, self.paths, "kafka.Kafka", str(self.paths.config))
        with self.paths.console.open("wb") as console:
            # A session of its own: the broker outlives the process that started it and is spared
            # the signals sent to that process's group (Ctrl-C in a terminal, a test runner's kill).
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=console, stderr=subprocess.STDOUT,
                cwd=self.paths.run_dir, start_new_session=True,
            )
        self.paths.pid.write_text(f"{process.pid}\n", encoding="utf-8")
        return process.pid

    def _wait_until_ready(self, pid: int, deadline: float) -> None:
        bootstrap = f"127.0.0.1:{self.settings.broker_port}"
        while True:
            if not process_alive(pid):
                self.paths.pid.unlink(missing_ok=True)
                raise BrokerError(f"the Kafka broker exited while starting.\n{self._log_tails()}")
            if asyncio.run(answers_requests(bootstrap, timeout=min(10.0, max(1.0, deadline - time.monotonic())))):
                return
            if time.monotonic() >= deadline:
                raise BrokerError(f"the Kafka broker (pid {pid}) did not answer at {bootstrap} in time.\n{self._log_tails()}")
            time.sleep(_POLL_S)

    def _log_tails(self) -> str:
        parts = [f"--- {path} (last lines) ---\n{text}" for path in (self.paths.console, self.paths.log) if (text := tail(path))]
        return explain_java_failure("\n".join(parts) or f"(no output in {self.paths.log})")

    def _stop(self, pid: int, timeout: float) -> None:
        _signal(pid, signal.SIGTERM)
        if not _wait_exit(pid, timeout):
            _signal(pid, signal.SIGKILL)
            if not _wait_exit(pid, KILL_WAIT_S):
                raise BrokerError(f"the Kafka broker (pid {pid}) survived SIGKILL")
        self._await_ports_free(KILL_WAIT_S)
        self.paths.pid.unlink(missing_ok=True)


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


def _wait_exit(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while process_alive(pid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(_POLL_S / 2)
    return True


async def answers_requests(bootstrap: str, *, timeout: float) -> bool:
    """Whether a Kafka broker at bootstrap answers a metadata request and lists itself in it."""
    # Imported here so that `status` and `down` stay quick.
    from aiokafka.admin import AIOKafkaAdminClient
    from aiokafka.errors import KafkaError

    host, _, port = bootstrap.rpartition(":")
    try:
        # A plain connect first: the Kafka client logs every refused connection as an error.
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, int(port)), timeout)
    except (OSError, TimeoutError):
        return False
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=int(timeout * 1000))
    try:
        await asyncio.wait_for(admin.start(), timeout)
        cluster = await asyncio.wait_for(admin.describe_cluster(), timeout)
    except (KafkaError, OSError, TimeoutError):
        return False
    finally:
        await admin.close()
    return bool(cluster.get("brokers"))
