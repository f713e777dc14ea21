"""docker-compose.yml is for users with Docker; here it is validated, not run."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> list[str] | None:
    """The Compose v2 plugin (``docker compose``) when Docker has it, else Compose v1."""
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


@pytest.fixture(scope="module")
def compose_config() -> str:
    compose = _compose()
    if compose is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    done = subprocess.run([*compose, "config"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_compose_runs_the_worker_against_the_kafka_service(compose_config: str) -> None:
    assert "apache/kafka:" in compose_config
    assert "COPYDESK_BROKERS: kafka:9092" in compose_config
    assert "cleanup.policy=compact" in compose_config
    assert "/healthz" in compose_config and "prom/prometheus:" in compose_config
    assert (ROOT / "Dockerfile").read_text().count("copydesk") >= 1
