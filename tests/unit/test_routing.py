import base64

import orjson

from copydesk.routing import Origin, route
from copydesk.settings import Settings

SETTINGS = Settings(dead_letter_value_bytes=100)
ORIGIN = Origin(topic="articles.raw", partition=3, offset=17)
BODY = " ".join(["Officials said the bridge would reopen next month after repairs finished."] * 4)


def test_good_message_becomes_a_record_keyed_by_id():
    outcome = route(orjson.dumps({"url": "https://example.org/x", "text": f"Bridge to reopen\n\n{BODY}"}), None, ORIGIN, SETTINGS)
    assert outcome.ok
    assert outcome.key == orjson.loads(outcome.value)["id"].encode()


def test_dead_letter_carries_reason_origin_and_message():
    outcome = route(b'{"url": "https://example.org/x", "id": "a-1", "html": 7}', b"k1", ORIGIN, SETTINGS)
    letter = orjson.loads(outcome.value)
    assert not outcome.ok and outcome.reason == "schema_violation"
    assert letter["reason"] == "schema_violation" and letter["error"] == "SchemaViolation"
    assert "html" in letter["message"]
    assert (letter["topic"], letter["partition"], letter["offset"]) == ("articles.raw", 3, 17)
    assert letter["id"] == "a-1"
    assert letter["key"] == "k1" and letter["key_encoding"] == "utf-8"
    assert letter["value"] == '{"url": "https://example.org/x", "id": "a-1", "html": 7}'
    assert outcome.key == b"k1"


def test_binary_values_are_base64_and_cut_to_the_limit_with_full_length():
    value = b"\xff" * 1000
    letter = orjson.loads(route(value, b"\x00\xff", ORIGIN, SETTINGS).value)
    assert letter["reason"] == "not_utf8"
    assert letter["value_encoding"] == "base64" and base64.b64decode(letter["value"]) == value[:100]
    assert letter["value_length"] == 1000 and letter["value_truncated"] is True
    assert letter["key_encoding"] == "base64"


def test_utf8_cut_never_splits_a_character():
    value = ("é" * 80).encode()  # 160 bytes; a 100-byte cut falls inside no character
    letter = orjson.loads(route(value, None, ORIGIN, SETTINGS).value)
    assert letter["value"] == "é" * 50 and letter["value_encoding"] == "utf-8"


def test_a_page_with_no_article_is_dead_lettered_not_published():
    outcome = route(orjson.dumps({"url": "https://example.org/x", "html": "<html><body><nav>Home</nav></body></html>"}), None, ORIGIN, SETTINGS)
    assert not outcome.ok and outcome.reason == "no_content"


def test_unexpected_failures_are_kept_with_a_traceback(monkeypatch):
    import copydesk.routing

    def broken(value, settings):
        raise KeyError("boom")

    monkeypatch.setattr(copydesk.routing, "process_value", broken)
    letter = orjson.loads(route(b'{"url":"u","text":"t"}', None, ORIGIN, SETTINGS).value)
    assert letter["reason"] == "processing_error" and "KeyError" in letter["message"]
    assert "boom" in letter["traceback"]


def test_a_record_too_large_for_the_output_topic_is_dead_lettered():
    from dataclasses import replace

    outcome = route(orjson.dumps({"url": "https://example.org/x", "text": f"Bridge to reopen\n\n{BODY}"}), None, ORIGIN, replace(SETTINGS, topic_max_message_bytes=500))
    letter = orjson.loads(outcome.value)
    assert not outcome.ok and letter["reason"] == "too_large" and "output topic" in letter["message"]
