"""The DuckDB views over a Parquet folder written the way the sink writes it: the latest row per
id, the example questions, and empty tables before any file exists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest

from copydesk.analytics.parquet import PartitionedWriter
from copydesk.analytics.query import EXAMPLES, connect, run
from copydesk.contracts import format_utc
from copydesk.kafka.demo import example_messages
from copydesk.routing import Origin, route
from copydesk.settings import Settings


@pytest.fixture(scope="module")
def outcomes():
    return [route(value, key, Origin(), Settings()) for key, value in example_messages()]


@pytest.fixture
def lake(outcomes, tmp_path: Path) -> Path:
    """Three examples (one of them written twice, the second time re-scraped with a new title)
    and a dead letter, in two rolls."""
    now = datetime.now(UTC)
    writer = PartitionedWriter(tmp_path)
    records = [orjson.loads(o.value) for o in outcomes if o.ok]
    for doc in records:
        writer.add("records", {**doc, "fetched_at": format_utc(now - timedelta(hours=2))}, size=1, fallback_day="2000-01-01")
    writer.add("dead_letters", orjson.loads(next(o for o in outcomes if not o.ok).value), size=1, fallback_day="2000-01-01")
    writer.flush()
    writer.add("records", {**records[0], "title": "Newer", "fetched_at": format_utc(now)}, size=1, fallback_day="2000-01-01")
    writer.add("records", {**records[1], "fetched_at": format_utc(now - timedelta(hours=2))}, size=1, fallback_day="2000-01-01")
    writer.flush()
    return tmp_path


def test_records_keep_the_latest_row_per_id(lake: Path, outcomes):
    db = connect(lake)
    [(all_rows,)] = run(db, "select count(*) from records_all")[1]
    ids = run(db, "select id, title from records order by id")[1]
    assert all_rows == 5 and len(ids) == 3
    first = orjson.loads(next(o for o in outcomes if o.ok).value)["id"]
    assert dict(ids)[first] == "Newer"


def test_the_example_questions_answer(lake: Path):
    db = connect(lake)
    names, per_day = run(db, EXAMPLES["articles-per-source-per-day"])
    assert names == ["day", "source", "articles"] and sum(row[2] for row in per_day) == 3
    names, entities = run(db, EXAMPLES["top-entities-this-week"])
    assert names[:3] == ["entity", "type", "mentions"] and entities and entities[0][2] >= entities[-1][2]
    assert run(db, EXAMPLES["dead-letters-by-reason"])[1][0][:2] == ("schema_violation", 1)


def test_an_empty_folder_has_empty_views(tmp_path: Path):
    db = connect(tmp_path)
    for sql in EXAMPLES.values():
        assert run(db, sql)[1] == []


def test_a_row_that_does_not_fit_the_columns_is_left_out_and_counted(outcomes, tmp_path: Path):
    writer = PartitionedWriter(tmp_path)
    good = orjson.loads(next(o for o in outcomes if o.ok).value)
    writer.add("records", good, size=1, fallback_day="2026-12-01")
    writer.add("records", {**good, "id": "odd", "word_count": "many"}, size=1, fallback_day="2026-12-01")
    writer.flush()
    assert writer.rows_skipped == 1
    assert run(connect(tmp_path), "select id from records")[1] == [(good["id"],)]
