"""What a consumer may trust: http(s) URLs without credentials, no private image hosts, no control
or bidi-override characters in any text or id, no secrets or install paths in dead letters."""

from __future__ import annotations

import sys
from pathlib import Path

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

import copydesk
from copydesk.errors import ProcessingError
from copydesk.routing import Origin, dead_letter, route
from copydesk.sanitize import http_url, public_url, redact_paths, redact_secrets, strip_unsafe, strip_unsafe_json
from copydesk.settings import Settings

SETTINGS = Settings()
ORIGIN = Origin(topic="articles.raw", partition=0, offset=7)
PROSE = "The harbour authority said on Tuesday that the old swing bridge will close for repairs next spring. " * 4
UNSAFE = "\x00\x01\x08\x0b\x0c\r\x1b\x1f\x7f\x80\x9f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def routed(**fields: object):
    return route(orjson.dumps({"url": "https://news.example.com/a", **fields}), None, ORIGIN, SETTINGS)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<p>x</p>", "file:///etc/passwd", "   ", "\t\n", "https://", "ftp://example.org/a", "//example.org/a", "https://example.org:99999/"])
def test_only_http_urls_with_a_host_are_taken(url):
    outcome = routed(url=url, text=PROSE)
    assert (outcome.ok, outcome.reason) == (False, "schema_violation")


def test_credentials_and_controls_leave_the_url():
    outcome = routed(url="https://user:pass@news.example.com/a\x00?\u202eq=1", text=PROSE)
    assert orjson.loads(outcome.value)["url"] == "https://news.example.com/a?q=1"


def test_a_javascript_canonical_or_og_url_is_not_passed_on():
    html = f'<html><head><link rel="canonical" href="javascript:alert(1)"></head><body><p>{PROSE}</p></body></html>'
    assert orjson.loads(routed(html=html).value)["canonical_url"] == "https://news.example.com/a"


@pytest.mark.parametrize(
    "image",
    ["http://127.0.0.1/x.png", "http://localhost:8080/x.png", "http://10.1.2.3/x.png", "http://[::1]/x.png", "http://169.254.169.254/latest",
     "http://2130706433/x.png", "http://0x7f000001/x.png", "http://127.1/x.png", "http://[::ffff:127.0.0.1]/x.png", "http://192.168.0.1/x.png",
     "javascript:alert(1)", "http://a.localhost/x.png"],
)
def test_an_image_on_a_private_host_is_dropped(image):
    html = f'<html><head><meta property="og:image" content="{image}"></head><body><p>{PROSE}</p></body></html>'
    assert orjson.loads(routed(html=html).value)["image"] is None


def test_a_public_image_is_kept_and_made_absolute():
    html = f'<html><head><meta property="og:image" content="/img/a.png"></head><body><p>{PROSE}</p></body></html>'
    assert orjson.loads(routed(html=html).value)["image"] == "https://news.example.com/img/a.png"
    assert public_url("https://u:p@cdn.example.com/a.png") == "https://cdn.example.com/a.png"


def test_no_text_or_id_keeps_a_control_or_bidi_character():
    html = f"<html><head><title>Bridge{UNSAFE}</title></head><body><h1>Bridge &#x202e;closes&#x7f;</h1><p>{PROSE}&#x202d;&#x1b;{UNSAFE}</p></body></html>"
    outcome = routed(html=html, id="abc\n\u0000def\u202e", source=f"wire{UNSAFE}", extra=f"x{UNSAFE}")
    doc = orjson.loads(outcome.value)
    assert outcome.key == b"abcdef" and doc["id"] == "abcdef"
    texts = [doc["title"], doc["text"], doc["source"], doc["extra"]["extra"], doc["summary"] or ""]
    assert not any(c in text for text in texts for c in UNSAFE)
    assert doc["source"] == "wire" and doc["title"].startswith("Bridge")


def test_an_id_of_nothing_but_controls_gives_the_url_id():
    outcome = routed(text=PROSE, id="\u202e\x00 ")
    assert outcome.ok and len(outcome.key) == 32


@given(st.text())
def test_the_json_pass_removes_exactly_what_the_text_pass_does(text):
    document = orjson.dumps({"a": text, "b": [text, "\\" + text]})
    assert orjson.loads(strip_unsafe_json(document)) == {"a": strip_unsafe(text), "b": [strip_unsafe(text), "\\" + strip_unsafe(text)]}


def test_an_escaped_backslash_before_u0000_text_is_kept():
    document = orjson.dumps(["\\u0000", "\\\\b", "\x00\\"])
    assert orjson.loads(strip_unsafe_json(document)) == ["\\u0000", "\\\\b", "\\"]


def test_tabs_and_newlines_stay_in_text():
    assert strip_unsafe("a\tb\n\nc\r") == "a\tb\n\nc"
    assert http_url(" https://example.org/a\n") == "https://example.org/a"


def test_dead_letters_redact_secret_headers_and_url_credentials():
    message = orjson.dumps(
        {"url": "https://bob:hunter2@news.example.com/a", "html": " ", "headers": {"Cookie": "sid=s3cr3t", "Authorization": "Bearer s3cr3t",
         "Set-Cookie": ["a=s3cr3t", "b=s3cr3t"], "X-Api-Key": "s3cr3t", "Accept": "text/html"}, "session_token": "s3cr3t"}
    )
    outcome = route(message, None, ORIGIN, SETTINGS)
    assert not outcome.ok
    assert b"s3cr3t" not in outcome.value and b"hunter2" not in outcome.value
    value = orjson.loads(orjson.loads(outcome.value)["value"])
    assert value["headers"]["Accept"] == "text/html" and value["headers"]["Cookie"] == "[redacted]"


def test_a_cut_message_is_redacted_too():
    text = '{"url":"https://x.example/a","headers":{"authorization":"Basic czNjcjN0","cookie":"a=b; c=s3cr3t' + "x" * 100
    assert "czNjcjN0" not in redact_secrets(text) and '"authorization":"[redacted]"' in redact_secrets(text)


def test_dead_letters_carry_no_install_paths():
    try:
        raise ValueError(f"cannot open {Path(copydesk.__file__)} under {sys.prefix}")
    except ValueError as exc:
        error = ProcessingError(str(exc))
        error.__cause__ = exc
    letter = orjson.dumps(dead_letter(error, b"{}", None, ORIGIN, limit=1000)).decode()
    package_root = str(Path(copydesk.__file__).resolve().parent.parent)
    assert package_root not in letter and sys.prefix not in letter
    assert "<copydesk>/copydesk/__init__.py" in redact_paths(str(Path(copydesk.__file__).resolve()))


def test_offsets_into_the_text_hold_after_unsafe_characters_are_removed():
    text = f"\u202e\x00\u2066 President Jane Doe of the World Bank said on Monday in Paris that \u202dthe bank would lend more. {PROSE}"
    doc = orjson.loads(routed(text=text).value)
    assert doc["entities"] and doc["dates"]
    for found in doc["entities"] + doc["dates"]:
        assert doc["text"][found["offset"]:].startswith(found["text"]), found
