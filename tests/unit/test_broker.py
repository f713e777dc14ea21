"""The local broker's pure parts and its failure messages, with stand-in ``java`` and ``mvn`` scripts
(no JVM, no network)."""

from __future__ import annotations

import base64
import os
import shutil
import socket
import stat
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from copydesk.kafka.broker import (
    BrokerError,
    BrokerPaths,
    LocalBroker,
    free_port_pair,
    new_cluster_id,
    port_in_use,
    render_log4j2,
    render_pom,
    render_server_properties,
    version_key,
)
from copydesk.settings import Settings

POM_NS = {"m": "http://maven.apache.org/POM/4.0.0"}


def properties(text: str) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))
    return {key: value for key, value in pairs}


def script(directory: Path, name: str, body: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def java_that_formats_then_fails(bin_dir: Path, paths: BrokerPaths) -> None:
    script(bin_dir, "java", f'case "$*" in *StorageTool*) touch "{paths.data}/meta.properties";; *) exit 1;; esac')


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PATH holding only the stand-in tools a test writes, and the few programs they call."""
    directory = tmp_path / "bin"
    directory.mkdir()
    for program in ("touch", "sleep"):
        (directory / program).symlink_to(shutil.which(program))
    monkeypatch.setenv("PATH", str(directory))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    return directory


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home", broker_port=free_port_pair(), kafka_version="4.9.9")


@pytest.fixture
def cached_jars(settings: Settings) -> Path:
    """Jars as a finished fetch leaves them, so nothing calls Maven."""
    libs = BrokerPaths.of(settings).libs
    libs.mkdir(parents=True)
    (libs / "pom.xml").write_text(render_pom(settings.kafka_version), encoding="utf-8")
    (libs / f"kafka_2.13-{settings.kafka_version}.jar").write_bytes(b"")
    return libs


def test_server_properties_suit_a_single_node_dev_cluster():
    settings = Settings(broker_port=19500, topic_max_message_bytes=32 * 1024 * 1024, partitions=4)
    config = properties(render_server_properties(settings, Path("/data/kafka")))
    assert config["process.roles"] == "broker,controller"
    assert config["listeners"] == "PLAINTEXT://127.0.0.1:19500,CONTROLLER://127.0.0.1:19501"
    assert config["advertised.listeners"] == "PLAINTEXT://127.0.0.1:19500"
    assert config["controller.quorum.bootstrap.servers"] == "127.0.0.1:19501"
    assert config["log.dirs"] == "/data/kafka"
    for key in ("offsets.topic.replication.factor", "transaction.state.log.replication.factor", "transaction.state.log.min.isr"):
        assert config[key] == "1"
    assert config["group.initial.rebalance.delay.ms"] == "0"
    assert config["auto.create.topics.enable"] == "false"
    assert config["num.partitions"] == "4"
    assert config["message.max.bytes"] == config["replica.fetch.max.bytes"] == str(32 * 1024 * 1024)
    assert int(config["socket.request.max.bytes"]) > 32 * 1024 * 1024


def test_server_properties_grow_the_request_limit_with_the_message_limit():
    config = properties(render_server_properties(Settings(topic_max_message_bytes=200 * 1024 * 1024), Path("/d")))
    assert int(config["socket.request.max.bytes"]) > 200 * 1024 * 1024


def test_server_properties_name_the_kafka_version():
    assert render_server_properties(Settings(kafka_version="4.0.1"), Path("/d")) != render_server_properties(Settings(kafka_version="4.1.0"), Path("/d"))


def test_log4j2_config_logs_to_the_log_file_even_with_odd_characters():
    log = Path('/tmp/a "b" & ${c}/kafka.log')
    root = ET.fromstring(render_log4j2(log))
    appender = root.find("./Appenders/RollingFile")
    assert appender is not None
    assert appender.get("fileName") == '/tmp/a "b" & $${c}/kafka.log'
    assert root.find("./Loggers/Root/AppenderRef").get("ref") == appender.get("name")


def test_pom_asks_for_kafka_and_a_log4j2_binding():
    root = ET.fromstring(render_pom("4.2.0"))
    found = {d.findtext("m:artifactId", namespaces=POM_NS): d.findtext("m:version", namespaces=POM_NS) for d in root.iterfind(".//m:dependency", POM_NS)}
    assert found["kafka_2.13"] == "4.2.0"
    assert {"log4j-slf4j-impl", "log4j-core"} <= found.keys()


def test_cluster_ids_look_like_kafkas():
    ids = {new_cluster_id() for _ in range(200)}
    assert len(ids) == 200
    for cluster_id in ids:
        assert len(cluster_id) == 22 and not cluster_id.startswith("-")
        assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16


def test_paths_live_under_home_and_port(settings: Settings):
    paths = BrokerPaths.of(settings)
    run_dir = settings.home / f"broker-{settings.broker_port}"
    assert paths.libs == settings.home / "jars" / "kafka-4.9.9" / "libs"
    assert {paths.config.parent, paths.log.parent, paths.pid.parent, paths.data.parent} == {run_dir}


def test_status_when_never_started(settings: Settings):
    status = LocalBroker(settings).status()
    assert not status.running and status.pid is None
    assert status.bootstrap == f"127.0.0.1:{settings.broker_port}"
    assert status.version == "4.9.9"
    assert status.log_path == BrokerPaths.of(settings).log
    assert status.data_dir == BrokerPaths.of(settings).data


def test_missing_java_says_what_to_install(bin_dir: Path, settings: Settings):
    with pytest.raises(BrokerError, match=r"`java` was not found.*JDK 17"):
        LocalBroker(settings).up()


def test_java_home_is_preferred(bin_dir: Path, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cached_jars: Path):
    script(tmp_path / "jdk" / "bin", "java", 'echo "java from JAVA_HOME"; exit 1')
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jdk"))
    with pytest.raises(BrokerError, match="java from JAVA_HOME"):
        LocalBroker(settings).up()


def test_missing_maven_says_what_to_install(bin_dir: Path, settings: Settings):
    with pytest.raises(BrokerError, match=r"`mvn` was not found.*Maven"):
        LocalBroker(settings).fetch_jars()


def test_maven_failure_shows_its_output(bin_dir: Path, settings: Settings):
    script(bin_dir, "mvn", 'printf "\\033[0m[ERROR] Failed to collect dependencies for kafka_2.13:jar:4.9.9\\n"; exit 1')
    with pytest.raises(BrokerError, match=r"(?s)Maven could not fetch Apache Kafka 4\.9\.9.*\n\[ERROR\] Failed to collect dependencies") as raised:
        LocalBroker(settings).fetch_jars()
    assert "\033" not in str(raised.value)
    assert not BrokerPaths.of(settings).libs.exists()


def test_jars_are_fetched_once_then_used_offline(bin_dir: Path, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    calls = tmp_path / "mvn-calls"
    script(bin_dir, "mvn", f"""echo call >> {calls}
for arg in "$@"; do case "$arg" in -DoutputDirectory=*) out="${{arg#-DoutputDirectory=}}";; esac; done
touch "$out/kafka_2.13-4.9.9.jar" "$out/log4j-core-2.jar"
""")
    broker = LocalBroker(settings)
    libs = broker.fetch_jars()
    assert sorted(p.name for p in libs.glob("*.jar")) == ["kafka_2.13-4.9.9.jar", "log4j-core-2.jar"]
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    assert broker.fetch_jars() == libs
    assert calls.read_text().count("call") == 1
    assert [p.name for p in libs.parent.iterdir()] == ["libs"]


def test_port_taken_by_another_program(bin_dir: Path, settings: Settings):
    script(bin_dir, "java", "exit 1")
    for port in (settings.broker_port, settings.broker_port + 1):
        with socket.socket() as squatter:
            squatter.bind(("127.0.0.1", port))
            squatter.listen()
            with pytest.raises(BrokerError, match=rf"port {port} .* in use by another program.*COPYDESK_BROKER_PORT"):
                LocalBroker(settings).up()


def test_broker_that_exits_at_start_shows_its_output(bin_dir: Path, settings: Settings, cached_jars: Path):
    script(bin_dir, "java", """case "$*" in
  *StorageTool*) echo formatted;;
  *) echo "Exception in thread main: the broker fell over"; exit 1;;
esac""")
    broker = LocalBroker(settings)
    with pytest.raises(BrokerError, match=r"(?s)exited while starting.*the broker fell over"):
        broker.up(timeout=30)
    assert not broker.status().running
    assert not BrokerPaths.of(settings).pid.exists()


def test_too_old_java_is_explained(bin_dir: Path, settings: Settings, cached_jars: Path):
    script(bin_dir, "java", 'echo "java.lang.UnsupportedClassVersionError: kafka/tools/StorageTool"; exit 1')
    with pytest.raises(BrokerError, match="needs Java 17 or newer"):
        LocalBroker(settings).up()


def test_broker_that_never_answers_is_stopped(bin_dir: Path, settings: Settings, cached_jars: Path):
    script(bin_dir, "java", 'case "$*" in *StorageTool*) exit 0;; esac\necho "still starting"\nwhile :; do sleep 0.1; done')
    broker = LocalBroker(settings)
    with pytest.raises(BrokerError, match=r"(?s)did not answer .* in time.*still starting"):
        broker.up(timeout=1)
    assert not broker.status().running


def test_stale_pid_files_read_as_stopped(settings: Settings):
    paths = BrokerPaths.of(settings)
    paths.run_dir.mkdir(parents=True)
    gone = subprocess.Popen(["true"])
    gone.wait()
    broker = LocalBroker(settings)
    for pid in (gone.pid, os.getpid()):  # dead, and alive but not our broker
        paths.pid.write_text(f"{pid}\n")
        status = broker.status()
        assert not status.running and status.pid is None
        broker.down()
        assert not paths.pid.exists()


def test_port_in_use_sees_listeners_only():
    port = free_port_pair()
    assert not port_in_use(port) and not port_in_use(port + 1)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", port))
        listener.listen()
        assert port_in_use(port)


def test_versions_compare_as_numbers():
    assert version_key("4.10.0") > version_key("4.9.1") > version_key("4.9.0") == (4, 9, 0)


def test_data_from_a_newer_kafka_is_refused_with_what_to_do(bin_dir: Path, settings: Settings):
    script(bin_dir, "java", "exit 1")
    paths = BrokerPaths.of(settings)
    paths.data.mkdir(parents=True)
    (paths.data / "meta.properties").write_text("cluster.id=x\n")
    paths.data_version.write_text("4.10.0\n")
    with pytest.raises(BrokerError, match=r"last served by Apache Kafka 4\.10\.0.*COPYDESK_KAFKA_VERSION=4\.10\.0"):
        LocalBroker(settings).up()


def test_the_newest_version_on_the_data_is_noted(bin_dir: Path, settings: Settings, cached_jars: Path):
    paths = BrokerPaths.of(settings)
    paths.data.mkdir(parents=True)
    java_that_formats_then_fails(bin_dir, paths)
    broker = LocalBroker(settings)
    with pytest.raises(BrokerError, match="exited while starting"):
        broker.up()
    assert (paths.data / "meta.properties").is_file()
    assert paths.data_version.read_text().strip() == "4.9.9"


def test_a_version_note_without_data_is_ignored(bin_dir: Path, settings: Settings, cached_jars: Path):
    paths = BrokerPaths.of(settings)
    paths.data.mkdir(parents=True)
    paths.data_version.write_text("4.10.0\n")
    java_that_formats_then_fails(bin_dir, paths)
    with pytest.raises(BrokerError, match="exited while starting"):
        LocalBroker(settings).up()
    assert paths.data_version.read_text().strip() == "4.9.9"


def test_a_running_broker_with_other_settings_is_reported_and_can_be_stopped(bin_dir: Path, settings: Settings):
    script(bin_dir, "java", "exit 1")
    paths = BrokerPaths.of(settings)
    paths.run_dir.mkdir(parents=True)
    paths.config.write_text("# Generated by copydesk for Apache Kafka 4.0.0\n")
    # Reads as our broker: its command line names kafka.Kafka and this home's config.
    stand_in = subprocess.Popen(["/bin/sh", "-c", "while :; do sleep 0.1; done", "kafka.Kafka", str(paths.config)])
    paths.pid.write_text(f"{stand_in.pid}\n")
    broker = LocalBroker(settings)
    assert broker.status().running and broker.status().pid == stand_in.pid
    with pytest.raises(BrokerError, match=r"pid \d+\) was started with other settings.*broker down"):
        broker.up()
    broker.down(timeout=5)
    assert not broker.status().running and not paths.pid.exists()


def test_down_kills_a_broker_that_ignores_sigterm(settings: Settings):
    paths = BrokerPaths.of(settings)
    paths.run_dir.mkdir(parents=True)
    ready = paths.run_dir / "trap-set"
    stubborn = subprocess.Popen(["/bin/sh", "-c", f'trap "" TERM; touch "{ready}"; while :; do sleep 0.1; done', "kafka.Kafka", str(paths.config)])
    paths.pid.write_text(f"{stubborn.pid}\n")
    while not ready.exists():
        time.sleep(0.01)
    broker = LocalBroker(settings)
    assert broker.status().running
    started = time.monotonic()
    broker.down(timeout=0.5)
    assert time.monotonic() - started >= 0.5  # it had its chance to stop on SIGTERM
    assert not broker.status().running and not paths.pid.exists()
    with pytest.raises(ProcessLookupError):
        os.kill(stubborn.pid, 0)
