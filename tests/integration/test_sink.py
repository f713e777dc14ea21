"""The Parquet sink against a real broker: killed with SIGKILL mid-run and restarted, it has
written every record at least once and left no file a reader cannot open."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import duckdb
import orjson
import pyarrow.parquet as pq

from copydesk.kafka.demo import example_messages
from copydesk.kafka.produce import produce
from copydesk.routing import Origin, route
from copydesk.settings import Settings
from tests.integration.conftest import settings_env

RECORDS = 3000
DEAD = 30
DAYS = ("2026-11-30", "2026-12-01", "2026-12-02")


def outputs(settings: Settings) -> tuple[list[tuple[bytes, bytes]], list[tuple[bytes, bytes]]]:
    """Records made from the example pages under many ids and days (some with no published
    time, so the fetch day names their partition), and dead letters of broken messages."""
    made = [route(value, key, Origin(), settings) for key, value in example_messages()]
    bases = [orjson.loads(o.value) for o in made if o.ok]
    records = []
    for n in range(RECORDS):
        doc = {**bases[n % len(bases)], "id": f"r{n}"}
        doc["published_at"] = None if n % 5 == 0 else f"{DAYS[n % 3]}T{n % 24:02d}:00:00Z"
        records.append((doc["id"].encode(), orjson.dumps(doc)))
    dead = [o for o in made if not o.ok]
    return records, [(f"d{n}".encode(), dead[0].value) for n in range(DEAD)]


def start_sink(settings: Settings, folder: Path, log: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "copydesk", "sink", "parquet", str(folder), "--roll-seconds", "0.2", *args],
        env=settings_env(settings), stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )


def sinked(isolated: Settings) -> Settings:
    return replace(isolated, sink_group_id=f"{isolated.group_id}-sink")


def test_a_killed_sink_restarted_has_written_every_record_and_no_broken_file(isolated: Settings, tmp_path: Path):
    settings = sinked(isolated)
    records, dead = outputs(settings)
    folder, log = tmp_path / "lake", tmp_path / "sink.log"
    asyncio.run(produce(settings, records[: RECORDS // 2], topic=settings.enriched_topic))
    asyncio.run(produce(settings, dead, topic=settings.dead_letter_topic))

    sink = start_sink(settings, folder, log)
    deadline = time.monotonic() + 60
    while len(list(folder.glob("records/dt=*/*.parquet"))) < 2:
        assert sink.poll() is None and time.monotonic() < deadline, log.read_text()
        time.sleep(0.05)
    os.kill(sink.pid, signal.SIGKILL)
    sink.wait()

    asyncio.run(produce(settings, records[RECORDS // 2 :], topic=settings.enriched_topic))
    again = start_sink(settings, folder, log, "--until-caught-up")
    assert again.wait(timeout=120) == 0, log.read_text()

    files = sorted(folder.rglob("*.parquet"))
    ids = []
    for file in files:
        ids.extend(pq.read_table(file, columns=["id"]).column("id").to_pylist() if "records" in file.parts else [])
    assert {key.decode() for key, _ in records} <= set(ids)
    assert not [p for p in folder.rglob(".*") if p.name != ".copydesk-sink.lock"], "a temporary file was left"
    days = {p.name for p in folder.glob("records/dt=*")}
    assert {f"dt={day}" for day in DAYS} <= days
    dead_rows = pq.read_table(folder / "dead_letters").num_rows
    assert dead_rows >= DEAD
    assert "sink: " in log.read_text()


def test_duckdb_reads_the_timestamps_as_timestamps(isolated: Settings, tmp_path: Path):
    settings = sinked(isolated)
    records, _ = outputs(settings)
    asyncio.run(produce(settings, records[:50], topic=settings.enriched_topic))
    sink = start_sink(settings, tmp_path / "lake", tmp_path / "sink.log", "--until-caught-up")
    assert sink.wait(timeout=120) == 0, (tmp_path / "sink.log").read_text()
    glob = str(tmp_path / "lake" / "records" / "**" / "*.parquet")
    db = duckdb.connect()
    types = dict(db.execute(f"select column_name, column_type from (describe select * from read_parquet('{glob}', hive_partitioning=true))").fetchall())
    assert types["published_at"] == types["fetched_at"] == types["modified_at"] == "TIMESTAMP"
    assert types["entities"].startswith("STRUCT(") and types["entities"].endswith("[]")
    [(first,)] = db.execute(f"select published_at from read_parquet('{glob}') where id = 'r1'").fetchall()
    assert first.isoformat() == "2026-12-01T01:00:00"


def test_an_unwritable_folder_is_a_clear_error(isolated: Settings, tmp_path: Path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    done = subprocess.run(
        [sys.executable, "-m", "copydesk", "sink", "parquet", str(blocker / "lake")],
        env=settings_env(isolated), capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2
    assert f"cannot write to {blocker / 'lake'}" in done.stderr and "Traceback" not in done.stderr
