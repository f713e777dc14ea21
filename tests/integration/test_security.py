"""Secured clusters: a real broker with a SASL_SSL listener (SCRAM users made by Kafka's own
storage tool) and an SSL listener that requires client certificates (mTLS), certificates made
here with openssl. Workers with the right settings process messages; wrong ones fail fast with a
clear message that never shows the secret."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import orjson
import pytest

from copydesk.kafka.produce import produce
from copydesk.kafka.results import ResultReader
from copydesk.kafka.topics import ensure_topics
from copydesk.settings import Settings
from tests.integration.conftest import Workers, settings_env

USER, PASSWORD = "copydesk-app", "s3cret-Passw0rd-for-tests"
#: Kafka reads PEM key stores and trust stores straight from the files openssl writes.
PEM = {"ssl.keystore.type": "PEM", "ssl.truststore.type": "PEM"}
SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule required;"
PAGE = "<html><body><article><h1>Locks reopen</h1>" + "<p>The river locks reopened on Monday after repairs that took most of the winter, the port authority said.</p>" * 4 + "</article></body></html>"


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def _ca(name: str, directory: Path) -> None:
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={name}",
             "-keyout", f"{name}.key", "-out", f"{name}.crt", cwd=directory)


def _signed(name: str, ca: str, directory: Path, san: str) -> None:
    (directory / f"{name}.ext").write_text(f"subjectAltName={san}\n")
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={name}", "-keyout", f"{name}.key", "-out", f"{name}.csr", cwd=directory)
    _openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.crt", "-CAkey", f"{ca}.key", "-CAcreateserial", "-days", "2",
             "-extfile", f"{name}.ext", "-out", f"{name}.crt", cwd=directory)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make the test certificates")
    directory = tmp_path_factory.mktemp("pki")
    _ca("ca", directory)
    _ca("rogue-ca", directory)
    _signed("broker", "ca", directory, "DNS:localhost,IP:127.0.0.1")
    _signed("client", "ca", directory, "DNS:copydesk-client")
    (directory / "broker.pem").write_text((directory / "broker.key").read_text() + (directory / "broker.crt").read_text())
    return directory


@pytest.fixture(scope="module")
def secured(pki: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Settings]]:
    """A broker of this module with PLAINTEXT (for its own readiness check), SASL_SSL (SCRAM) and
    SSL with required client certificates; Settings for each secured listener, topics created."""
    from copydesk.kafka.broker import LocalBroker, free_port_pair

    usual = Settings.from_env()
    home = tmp_path_factory.mktemp("secured-broker-home")
    LocalBroker(usual).fetch_jars()
    (home / "jars").symlink_to(usual.home / "jars", target_is_directory=True)
    port, sasl_port, mtls_port = free_port_pair(), free_port_pair(), free_port_pair()
    extra = {
        **PEM,
        "listeners": f"PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{port + 1},SASL_SSL://127.0.0.1:{sasl_port},SSL://127.0.0.1:{mtls_port}",
        "advertised.listeners": f"PLAINTEXT://127.0.0.1:{port},SASL_SSL://localhost:{sasl_port},SSL://localhost:{mtls_port}",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL,SSL:SSL",
        "ssl.keystore.location": str(pki / "broker.pem"),
        "ssl.truststore.location": str(pki / "ca.crt"),
        "listener.name.ssl.ssl.client.auth": "required",
        "sasl.enabled.mechanisms": "SCRAM-SHA-256,SCRAM-SHA-512",
        "listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config": SCRAM_LOGIN,
        "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config": SCRAM_LOGIN,
    }
    users = [f"{mechanism}=[name={USER},password={PASSWORD}]" for mechanism in ("SCRAM-SHA-256", "SCRAM-SHA-512")]
    base = replace(usual, brokers="", home=home, broker_port=port, partitions=2)
    broker = LocalBroker(base, extra_properties=extra, scram_users=users)
    broker.up()
    sasl = replace(base, brokers=f"localhost:{sasl_port}", security_protocol="SASL_SSL", sasl_mechanism="SCRAM-SHA-512",
                   sasl_username=USER, sasl_password=PASSWORD, ssl_cafile=str(pki / "ca.crt"))
    mtls = replace(base, brokers=f"localhost:{mtls_port}", security_protocol="SSL", ssl_cafile=str(pki / "ca.crt"),
                   ssl_certfile=str(pki / "client.crt"), ssl_keyfile=str(pki / "client.key"))
    try:
        yield {"sasl": sasl, "mtls": mtls}
    finally:
        broker.down()


def _own_topics(settings: Settings) -> Settings:
    name = f"t{uuid.uuid4().hex[:10]}"
    return replace(settings, raw_topic=f"{name}.raw", enriched_topic=f"{name}.enriched",
                   dead_letter_topic=f"{name}.dead-letter", group_id=f"{name}-group")


async def _through(settings: Settings, count: int) -> list:
    messages = [(None, orjson.dumps({"id": f"a{i}", "url": f"https://example.org/{i}", "html": PAGE})) for i in range(count)]
    async with ResultReader(settings) as reader:
        await produce(settings, messages)
        return await reader.collect(count, timeout=120)


@pytest.mark.parametrize("listener", ["sasl", "mtls"])
def test_a_worker_with_the_right_settings_processes_messages(secured, listener, tmp_path):
    settings = _own_topics(secured[listener])
    asyncio.run(ensure_topics(settings))  # the admin client over the secured listener
    pool = Workers(settings, tmp_path)
    try:
        pool.start()
        results = asyncio.run(_through(settings, 3))
    finally:
        for process in pool.processes:
            pool.stop(process)
    assert sorted(doc["id"] for topic, doc in results if topic == settings.enriched_topic) == ["a0", "a1", "a2"], pool.logs()
    assert PASSWORD not in pool.logs()
    # The reading tools connect the same way.
    shown = subprocess.run([sys.executable, "-m", "copydesk", "consume", "--from-beginning", "--format", "jsonl"],
                           env=settings_env(settings), capture_output=True, text=True, timeout=60)
    assert sorted(orjson.loads(line)["id"] for line in shown.stdout.splitlines()) == ["a0", "a1", "a2"], shown.stderr
    behind = subprocess.run([sys.executable, "-m", "copydesk", "lag"], env=settings_env(settings), capture_output=True, text=True, timeout=60)
    assert behind.stdout.splitlines()[-1].split() == ["total", "0"], behind.stderr


def _worker_fails(settings: Settings) -> subprocess.CompletedProcess[str]:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "copydesk", "worker"], env=settings_env(settings), capture_output=True, text=True, timeout=60)
    done.elapsed = time.monotonic() - started  # type: ignore[attr-defined]
    return done


def test_a_wrong_password_fails_fast_without_showing_it(secured, tmp_path):
    wrong = "not-the-Passw0rd-at-all"
    password_file = tmp_path / "password"
    password_file.write_text(wrong + "\n")
    done = _worker_fails(replace(_own_topics(secured["sasl"]), sasl_password="", sasl_password_file=str(password_file)))
    assert done.returncode == 2
    assert "SASL" in done.stderr and f"user {USER!r}" in done.stderr and "password" in done.stderr
    assert wrong not in done.stdout + done.stderr and PASSWORD not in done.stdout + done.stderr
    assert done.elapsed < 30  # type: ignore[attr-defined]


def test_an_untrusted_broker_certificate_fails_fast(secured, pki):
    done = _worker_fails(replace(_own_topics(secured["mtls"]), ssl_cafile=str(pki / "rogue-ca.crt")))
    assert done.returncode == 2
    assert "not trusted" in done.stderr and "COPYDESK_SSL_CAFILE" in done.stderr
    assert done.elapsed < 30  # type: ignore[attr-defined]


def test_no_client_certificate_on_an_mtls_listener_fails_fast(secured):
    done = _worker_fails(replace(_own_topics(secured["mtls"]), ssl_certfile="", ssl_keyfile=""))
    assert done.returncode == 2, done.stdout[-2000:] + done.stderr[-2000:]
    assert "COPYDESK_SSL_CERTFILE" in done.stderr
    assert done.elapsed < 30  # type: ignore[attr-defined]
