import gzip

import orjson
import pytest

from copydesk.contracts import parse_raw
from copydesk.errors import NotText
from copydesk.kafka.produce import ProduceError, messages_from_paths

URL = "https://example.org/story"


def test_pages_and_jsonl_become_raw_messages(tmp_path):
    page = tmp_path / "story.html"
    page.write_bytes('<html><head><meta charset="windows-1252"></head><body><p>Caf\u00e9 owners said \u201cno\u201d.</p></body></html>'.encode("cp1252"))
    text = tmp_path / "story.txt"
    text.write_text("Headline\nBody line.\n", encoding="utf-8")
    lines = tmp_path / "raw.jsonl"
    lines.write_bytes(b'{"id": "a1", "url": "https://example.org/a", "text": "x"}\n\nnot json\n')

    messages = [*messages_from_paths([page], url=URL), *messages_from_paths([text], url=URL), *messages_from_paths([lines])]

    html_doc = orjson.loads(messages[0][1])
    assert "Caf\u00e9 owners said \u201cno\u201d" in html_doc["html"]
    assert html_doc["url"] == URL and html_doc["fetched_at"]
    assert orjson.loads(messages[1][1])["text"] == "Headline\nBody line.\n"
    # JSONL lines pass as written (bad ones too: the worker dead-letters them), keyed by id.
    assert messages[2:] == [(b"a1", b'{"id": "a1", "url": "https://example.org/a", "text": "x"}'), (None, b"not json")]


def test_gzipped_pages_and_jsonl_are_decompressed(tmp_path):
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(b"<html><body><p>Bridge reopens.</p></body></html>"))
    (tmp_path / "raw.jsonl.gz").write_bytes(gzip.compress(b'{"id": "z", "url": "https://example.org/z", "text": "z"}\n'))
    [(_, page)] = messages_from_paths([tmp_path / "page.html.gz"], url=URL)
    assert orjson.loads(page)["html"] == "<html><body><p>Bridge reopens.</p></body></html>"
    assert [key for key, _ in messages_from_paths([tmp_path / "raw.jsonl.gz"])] == [b"z"]


def test_a_page_needs_its_url_and_binary_files_are_refused(tmp_path):
    page = tmp_path / "story.html"
    page.write_text("<p>text</p>")
    with pytest.raises(ProduceError, match="needs its URL: pass --url"):
        list(messages_from_paths([page]))
    image = tmp_path / "photo.txt"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    with pytest.raises(ProduceError, match="not a text file"):
        list(messages_from_paths([image], url=URL))


def test_the_worker_refuses_a_body_that_is_not_text():
    garbage = gzip.compress(b"<html><body>" + b"<p>Some article text here.</p>" * 50 + b"</body></html>").decode("utf-8", errors="replace")
    with pytest.raises(NotText, match="message.html is not text"):
        parse_raw(orjson.dumps({"url": URL, "html": garbage}), max_bytes=10**6)
    with pytest.raises(NotText):
        parse_raw(orjson.dumps({"url": URL, "text": "\x00\x01\x02\x03 binary " * 10}), max_bytes=10**6)
    # A stray replacement character in a real page is fine.
    assert parse_raw(orjson.dumps({"url": URL, "text": "Caf\ufffd owners said no to the plan. " * 5}), max_bytes=10**6).text
