import orjson

from copydesk.kafka.produce import messages_from_paths


def test_pages_and_jsonl_become_raw_messages(tmp_path):
    page = tmp_path / "story.html"
    page.write_bytes('<html><head><meta charset="windows-1252"></head><body><p>Caf\u00e9 owners said \u201cno\u201d.</p></body></html>'.encode("cp1252"))
    text = tmp_path / "story.txt"
    text.write_text("Headline\nBody line.\n", encoding="utf-8")
    lines = tmp_path / "raw.jsonl"
    lines.write_bytes(b'{"id": "a1", "url": "https://example.org/a", "text": "x"}\n\nnot json\n')

    messages = list(messages_from_paths([page, text, lines]))

    html_doc = orjson.loads(messages[0][1])
    assert "Caf\u00e9 owners said \u201cno\u201d" in html_doc["html"]
    assert html_doc["url"].startswith("file://") and html_doc["fetched_at"]
    assert orjson.loads(messages[1][1])["text"] == "Headline\nBody line.\n"
    # JSONL lines pass as written (bad ones too: the worker dead-letters them), keyed by id.
    assert messages[2:] == [(b"a1", b'{"id": "a1", "url": "https://example.org/a", "text": "x"}'), (None, b"not json")]
