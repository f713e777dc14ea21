"""docker-compose.yml is for users with Docker; here it is validated, not run."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_compose_file_is_valid():
    compose = shutil.which("docker-compose")
    if compose is None:
        pytest.fail("docker-compose is not installed (Debian package 'docker-compose'); .ci/run installs it")
    done = subprocess.run([compose, "config", "-q"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_compose_runs_the_worker_against_the_kafka_service():
    done = subprocess.run([shutil.which("docker-compose") or "docker-compose", "config"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "apache/kafka:" in done.stdout
    assert "COPYDESK_BROKERS: kafka:9092" in done.stdout
    assert "cleanup.policy=compact" in done.stdout
    assert (ROOT / "Dockerfile").read_text().count("copydesk") >= 1
