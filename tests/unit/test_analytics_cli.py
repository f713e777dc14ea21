import subprocess
import sys
from pathlib import Path

import orjson

from copydesk.analytics.parquet import PartitionedWriter
from copydesk.kafka.demo import example_messages
from copydesk.routing import Origin, route
from copydesk.settings import Settings


def copydesk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "copydesk", *args], capture_output=True, text=True, timeout=120)


def test_sink_help_explains_the_delivery_guarantee():
    shown = " ".join(copydesk("sink", "--help").stdout.split())
    assert "at least once" in shown and "fsynced and renamed" in shown and "latest row per id" in shown


def test_query_and_report_commands_read_a_folder(tmp_path: Path):
    writer = PartitionedWriter(tmp_path)
    for key, value in example_messages():
        outcome = route(value, key, Origin(), Settings())
        writer.add("records" if outcome.ok else "dead_letters", orjson.loads(outcome.value), size=1, fallback_day="2026-12-01")
    writer.flush()
    asked = copydesk("query", str(tmp_path), "select count(*) as n from records")
    assert asked.returncode == 0 and asked.stdout.split()[:3] == ["n", "-", "3"]
    assert "schema_violation" in copydesk("query", str(tmp_path), "--example", "dead-letters-by-reason").stdout
    made = copydesk("report", str(tmp_path))
    assert made.returncode == 0 and (tmp_path / "report.html").stat().st_size > 10_000
    assert copydesk("query", str(tmp_path / "missing")).returncode == 2
