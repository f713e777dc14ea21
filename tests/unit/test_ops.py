"""The verdicts, figures and log lines an operator sees, from made-up consumer states."""

from __future__ import annotations

import logging
import urllib.error
import urllib.request

import orjson
import pytest

from copydesk.ops.logs import JsonFormatter, QuietClient, logging_config, progress_line
from copydesk.ops.metrics import ConsumerState, Totals, WorkerMetrics, healthy, lag, ready
from copydesk.ops.server import serve
from copydesk.settings import SettingsError


def _state(offsets=None, *, rebalancing=False, last_poll=100.0, last_commit=99.0) -> ConsumerState:
    return ConsumerState({("raw", 0): (10, 7)} if offsets is None else offsets, rebalancing, last_poll, last_commit)


def test_health_needs_a_live_loop_and_recent_polls_when_holding_partitions():
    assert healthy(101.0, 100.5, _state()).ok
    assert healthy(101.0, 100.5, None).ok
    assert healthy(200.0, 100.0, _state()).reason.startswith("event loop stalled")
    assert healthy(200.0, 199.0, _state()).reason == "no poll for 100s"
    assert healthy(200.0, 199.0, _state({})).ok  # an idle spare worker holds nothing to poll


def test_readiness_needs_partitions_and_no_rebalance():
    assert not ready(None).ok
    assert ready(_state(rebalancing=True)).reason == "rebalancing"
    assert ready(_state({})).reason == "no partitions assigned"
    assert ready(_state()).ok


def test_lag_counts_only_partitions_with_both_ends_known():
    assert lag({("raw", 0): (10, 7), ("raw", 1): (None, 3), ("raw", 2): (5, None), ("raw", 3): (4, 6)}) == {("raw", 0): 3, ("raw", 3): 0}


def test_progress_line_says_what_changed_since_the_last():
    before = Totals(10, 8, {"not_json": 2})
    after = Totals(40, 35, {"not_json": 3, "empty_body": 2})
    text, fields = progress_line(before, after, 30.0, {("raw", 0): 4, ("raw", 1): 1}, 2)
    assert text == "last 30s: 30 messages (1.0/s), 27 records, 3 dead letters (empty_body 2, not_json 1); lag 5 over 2 partitions; 2 results in flight"
    assert fields["dead_letters"] == {"empty_body": 2, "not_json": 1}


def test_metrics_count_outcomes_and_serve_probes_over_http():
    metrics = WorkerMetrics()
    metrics.routed(True, "", 0.01)
    metrics.routed(False, "not_json", 0.001)
    assert metrics.totals() == Totals(2, 1, {"not_json": 1})
    server = serve(metrics, 0, "127.0.0.1")
    port = server.server_address[1]
    try:
        body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
        assert 'copydesk_dead_letters_total{reason="not_json"} 1.0' in body
        assert 'copydesk_stage_seconds_count{stage="route"} 2.0' in body
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).status == 200
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5)
        assert refused.value.code == 503 and refused.value.read() == b"starting\n"
        metrics.tick(_state())
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5).read() == b"1 partitions assigned\n"
        assert 'copydesk_consumer_lag{partition="0",topic="raw"} 3.0' in urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics").read().decode()
    finally:
        server.shutdown()


def _record(name: str, level: int, message: str, **extra) -> logging.LogRecord:
    record = logging.LogRecord(name, level, __file__, 1, message, None, None)
    record.__dict__.update(extra)
    return record


def test_json_lines_carry_the_message_and_extra_fields():
    line = orjson.loads(JsonFormatter().format(_record("copydesk.worker", logging.INFO, "hello", lag=3)))
    assert (line["level"], line["logger"], line["message"], line["lag"]) == ("info", "copydesk.worker", "hello", 3)
    assert line["time"].endswith("Z")


def test_the_clients_retried_errors_are_kept_out_but_real_errors_stay():
    quiet = QuietClient()
    assert not quiet.filter(_record("aiokafka.producer.sender", logging.WARNING, "Got error produce response: NotLeaderForPartitionError"))
    assert not quiet.filter(_record("aiokafka.consumer.fetcher", logging.ERROR, "Failed fetch offsets from 1: [Error 6] NotLeaderForPartitionError"))
    assert quiet.filter(_record("aiokafka.conn", logging.ERROR, "Unable to connect: SaslAuthenticationFailed"))
    assert quiet.filter(_record("copydesk.worker", logging.WARNING, "NotLeaderForPartitionError"))


def test_an_unknown_log_format_is_refused():
    with pytest.raises(SettingsError, match="COPYDESK_LOG_FORMAT"):
        logging_config("xml", "info")
