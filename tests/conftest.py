"""Fixtures every test may use, and a count of the integration tests that ran (CI checks it)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The evaluation data beside the repository; tests fail, never skip, without it."""
    if not (SHARED / "samples").is_dir():
        pytest.fail(f"the shared data directory is missing: expected {SHARED} beside the repository")
    return SHARED


@pytest.fixture(scope="session")
def sample_raw_text(shared_dir: Path) -> str:
    return (shared_dir / "samples" / "motherjones-coalition-pause.raw.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_expected(shared_dir: Path) -> dict:
    return orjson.loads((shared_dir / "samples" / "motherjones-coalition-pause.expected.json").read_text(encoding="utf-8"))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    passed = [r for r in terminalreporter.stats.get("passed", []) if "integration" in r.keywords]
    terminalreporter.write_line(f"integration tests passed: {len(passed)}")
