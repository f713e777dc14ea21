"""The report from a Parquet folder written the way the sink writes it, rendered by headless
Chromium (Debian's package) with the network closed: the screenshot is not blank and every chart
is on the page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import orjson
import pytest
from matplotlib.image import imread

from copydesk.analytics.parquet import TABLES, PartitionedWriter
from copydesk.analytics.tables import TableShape, record_shape
from copydesk.contracts import RECORD_SCHEMA
from copydesk.analytics.report import CHARTS, build_report, write_report
from copydesk.kafka.demo import example_messages
from copydesk.routing import Origin, route
from copydesk.settings import Settings


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        message = "headless Chromium is not installed (Debian package 'chromium'; .ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def newer_records() -> TableShape:
    """The records table once the contract has the fields the report draws and that are being
    added to it (page_type, extraction_confidence, removed[].rule)."""
    properties = {**RECORD_SCHEMA["properties"], "page_type": {"type": ["string", "null"]}, "extraction_confidence": {"type": ["number", "null"]}}
    removed = properties["removed"]["items"]
    properties["removed"] = {"type": "array", "items": {**removed, "properties": {**removed["properties"], "rule": {"type": ["string", "null"]}}}}
    return record_shape(properties)


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lake")
    patch = pytest.MonkeyPatch()
    patch.setitem(TABLES, "records", newer_records())
    writer = PartitionedWriter(root)
    for n in range(6):
        for key, value in example_messages():
            outcome = route(value, key, Origin(), Settings())
            doc = orjson.loads(outcome.value)
            if outcome.ok:
                # Later fields of the contract, as the cleaning engineer's records will carry them.
                doc = {**doc, "id": f"{doc['id']}-{n}", "page_type": "article" if n % 3 else "listing", "extraction_confidence": 0.5 + n / 20}
                doc["removed"] = [{**r, "rule": "class-name" if i % 2 else "link-density"} for i, r in enumerate(doc["removed"])]
            writer.add("records" if outcome.ok else "dead_letters", doc, size=1, fallback_day="2026-12-01")
        writer.flush()
    patch.undo()
    return root


def render(page: Path, tmp_path: Path) -> tuple[str, np.ndarray]:
    browser = chromium()
    closed = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND"]
    shot = tmp_path / "shot.png"
    subprocess.run([browser, *closed, "--window-size=1300,3400", f"--screenshot={shot}", page.as_uri()], check=True, capture_output=True, timeout=120)
    dom = subprocess.run([browser, *closed, "--dump-dom", page.as_uri()], check=True, capture_output=True, text=True, timeout=120).stdout
    return dom, imread(shot)


def test_the_report_renders_in_chromium_with_every_chart(lake: Path, tmp_path: Path):
    page = write_report(lake, tmp_path / "report.html")
    text = page.read_text(encoding="utf-8")
    assert not re.search(r'\b(?:src|href)="(?!#)', text), "the page refers to something outside itself"
    dom, pixels = render(page, tmp_path)
    for chart_id in CHARTS:
        figure = re.search(rf'<figure id="{chart_id}"[^>]*>(.*?)</figure>', dom, re.S)
        assert figure and "<svg" in figure.group(1) and figure.group(1).count("<path") > 5, chart_id
        assert "have no" not in figure.group(1) and "no records" not in figure.group(1), chart_id
    ink = (pixels[..., :3].mean(axis=2) < 0.9).mean()
    assert ink > 0.05, f"the screenshot is almost blank ({ink:.1%} of it inked)"
    assert len(np.unique((pixels[..., :3] * 255).astype(np.uint8).reshape(-1, 3), axis=0)) > 50


def test_records_without_the_newer_fields_still_get_every_chart(tmp_path: Path):
    writer = PartitionedWriter(tmp_path / "lake")
    for key, value in example_messages():
        outcome = route(value, key, Origin(), Settings())
        if outcome.ok:
            doc = {k: v for k, v in orjson.loads(outcome.value).items() if k not in ("page_type", "extraction_confidence")}
            writer.add("records", doc, size=1, fallback_day="2026-12-01")
    writer.flush()
    text = build_report(tmp_path / "lake")
    for chart_id in CHARTS:
        assert f'<figure id="{chart_id}"' in text
    # The columns come from the record schema, so older records have them empty.
    assert "no record has an extraction confidence" in text and "no dead letters" in text


def test_an_empty_folder_makes_a_report_that_says_so(tmp_path: Path):
    text = build_report(tmp_path)
    assert text.count('class="chart"') == len(CHARTS) and "no records yet" in text
