"""``copydesk demo`` as a user runs it: records shown, then the Parquet sink and the report
written where it says."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq

from copydesk.settings import Settings
from tests.integration.conftest import settings_env


def test_the_demo_ends_with_the_sink_and_the_report(isolated: Settings, tmp_path: Path):
    settings = replace(isolated, home=tmp_path / "home")
    done = subprocess.run([sys.executable, "-m", "copydesk", "demo"], env=settings_env(settings), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = Path(re.search(r"^Report:\s+(\S+)", done.stdout, re.M).group(1))
    lake = report.parent
    assert lake == settings.home / "demo-lake" and "<svg" in report.read_text(encoding="utf-8")
    assert pq.read_table(lake / "records").num_rows == 3
    assert pq.read_table(lake / "dead_letters").num_rows == 1
    assert f"copydesk query {lake}" in done.stdout
