"""Fixtures every test may use, and a count of the integration tests that ran (CI checks it)."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
#: Either variable turns a missing ``../shared`` from a skip into a failure: CI has the data, so
#: a skip there would hide tests that silently stopped running.
REQUIRE_SHARED = ("CI", "COPYDESK_REQUIRE_SHARED")


def _required() -> bool:
    return any(os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no") for name in REQUIRE_SHARED)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The evaluation data (``../shared``: samples and benchmark pages) beside the repository. A
    clone without it skips the tests that read it, with the reason printed in the summary."""
    missing = [SHARED / part for part in ("samples", "eval") if not (SHARED / part).is_dir()]
    if missing:
        reason = f"needs the evaluation data beside the repository: {', '.join(map(str, missing))} not found"
        if _required():
            pytest.fail(f"{reason} (required because {' or '.join(REQUIRE_SHARED)} is set)")
        pytest.skip(reason)
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
