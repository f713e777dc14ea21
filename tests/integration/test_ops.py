"""A running worker, watched as operators watch it: /metrics, /healthz and /readyz over HTTP, and
its JSON log with the periodic progress line."""

from __future__ import annotations

import asyncio
import gzip
import time
import urllib.error
import urllib.request
from dataclasses import replace

import orjson
from prometheus_client.parser import text_string_to_metric_families

from copydesk.kafka.broker import free_port_pair
from copydesk.kafka.produce import produce
from copydesk.kafka.results import ResultReader
from tests.integration.conftest import lag

PAGE = "<html><body><article><h1>Tram line opens</h1>" + "<p>The new tram line opened on Sunday, and the first trams were full, the city transport office said.</p>" * 4 + "</article></body></html>"


def _get(port: int, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return 0, ""


def _wait_for(port: int, path: str, status: int, timeout: float = 90) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got, body = _get(port, path)
        if got == status:
            return body
        time.sleep(0.5)
    raise AssertionError(f"{path} did not answer {status} in {timeout}s (last: {got} {body!r})")


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def _run(settings, messages, expected):
    async with ResultReader(settings) as reader:
        await produce(settings, messages)
        return await reader.collect(expected, timeout=120)


def test_metrics_health_and_progress_log_of_a_running_worker(isolated, workers):
    port = free_port_pair()
    settings = replace(isolated, metrics_port=port, log_format="json", log_interval_s=1.0)
    workers.settings = settings
    process = workers.start()
    _wait_for(port, "/healthz", 200)
    assert _wait_for(port, "/readyz", 200).endswith("partitions assigned\n")
    messages = [(None, orjson.dumps({"id": f"ok-{i}", "url": f"https://example.org/{i}", "html": PAGE})) for i in range(5)]
    messages += [(None, b"not json"), (None, b'{"url": "https://example.org/e", "text": ""}')]
    messages += [(None, orjson.dumps({"url": "https://example.org/gz", "html": gzip.compress(PAGE.encode()).decode("utf-8", "replace")}))]
    results = asyncio.run(_run(settings, messages, len(messages)))
    assert len(results) == len(messages), workers.logs()
    deadline = time.monotonic() + 30
    while asyncio.run(lag(settings)) and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(2.5)  # a tick and a progress line after the last commit

    samples = _samples(_get(port, "/metrics")[1])
    assert samples[("copydesk_messages_consumed_total", ())] == 8
    assert samples[("copydesk_records_total", ())] == 5
    assert samples[("copydesk_dead_letters_total", (("reason", "not_json"),))] == 1
    assert samples[("copydesk_dead_letters_total", (("reason", "empty_body"),))] == 1
    assert samples[("copydesk_dead_letters_total", (("reason", "not_text"),))] == 1
    assert samples[("copydesk_stage_seconds_count", (("stage", "route"),))] == 8
    assert samples[("copydesk_stage_seconds_count", (("stage", "deliver"),))] == 8
    lags = {labels: v for (name, labels), v in samples.items() if name == "copydesk_consumer_lag"}
    assert lags and set(lags.values()) == {0}, lags
    assert samples[("copydesk_in_flight_results", ())] == 0
    assert 0 <= samples[("copydesk_last_commit_age_seconds", ())] < 30
    assert samples[("process_resident_memory_bytes", ())] > 10_000_000
    assert samples[("copydesk_assigned_partitions", ())] == settings.partitions

    workers.stop(process)
    log = (workers.log_dir / "worker-0.log").read_text()
    lines = [orjson.loads(line) for line in log.splitlines() if line.startswith("{")]
    progress = [line for line in lines if line["logger"] == "copydesk.worker" and "messages" in line]
    assert sum(line["messages"] for line in progress) == 8, lines[-5:]
    assert {"not_json": 1, "empty_body": 1, "not_text": 1} == {
        reason: sum(line["dead_letters"].get(reason, 0) for line in progress) for reason in ("not_json", "empty_body", "not_text")
    }
    assert not any("NotLeaderForPartition" in line["message"] for line in lines)
