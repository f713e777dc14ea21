"""Fuzzing ``route``: whatever bytes arrive, the answer is a valid record or a dead letter that says
why, never an exception; and memory stays flat over many calls."""

from __future__ import annotations

import gc

import fastjsonschema
import orjson
import psutil
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from copydesk import errors
from copydesk.contracts import RECORD_SCHEMA
from copydesk.routing import Origin, Outcome, route
from copydesk.settings import Settings

SETTINGS = Settings()
ORIGIN = Origin(topic="articles.raw", partition=0, offset=0)
REASONS = {cls.reason for cls in vars(errors).values() if isinstance(cls, type) and issubclass(cls, errors.CopydeskError)}
BODY = "The council voted on Tuesday to extend the night bus network to the northern suburbs next spring."
_validate_record = fastjsonschema.compile(RECORD_SCHEMA)
# Shared CPU and big inputs make per-example timing meaningless; the tests below bound work by size.
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def assert_routed(outcome: Outcome) -> None:
    """A record that meets the contract, or a dead letter with a known reason and a message."""
    doc = orjson.loads(outcome.value)
    if outcome.ok:
        _validate_record(doc)
        assert outcome.key == doc["id"].encode("utf-8")
    else:
        assert doc["reason"] == outcome.reason and outcome.reason in REASONS, doc
        assert doc["message"]


def route_value(value: bytes | None, key: bytes | None = None) -> Outcome:
    outcome = route(value, key, ORIGIN, SETTINGS)
    assert_routed(outcome)
    return outcome


def message(**fields: object) -> bytes:
    return orjson.dumps({"url": "https://example.org/news/1", **fields})


json_leaves = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False) | st.text()
json_values = st.recursive(json_leaves, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5), max_leaves=30)
anything = json_values | st.binary(max_size=64)
html_tokens = st.sampled_from(
    ["<div>", "</div>", "<p>", "</p>", "<script>", "</script>", "<!--", "-->", "<a href='x'>", "<table><tr><td>",
     "<", ">", "&amp;", "&#0;", "&#xD800;", "<![CDATA[", "<svg><foreignObject>", "\x00", BODY, "Ünïcødé 中文 🙂"]
)


@FUZZ
@given(st.binary(max_size=4096), st.none() | st.binary(max_size=64))
def test_random_bytes(value, key):
    route_value(value, key)


@FUZZ
@given(json_values)
def test_any_json_document(doc):
    route_value(orjson.dumps(doc))


@FUZZ
@given(
    st.fixed_dictionaries(
        {"url": anything},
        optional={"html": anything, "text": anything, "id": anything, "fetched_at": anything, "title": anything,
                  "source": anything, "headers": anything},
    )
)
def test_raw_fields_of_the_wrong_type(doc):
    doc = {k: v.decode("latin-1") if isinstance(v, bytes) else v for k, v in doc.items()}
    route_value(orjson.dumps(doc))


@FUZZ
@given(st.text(max_size=200), st.sampled_from(["html", "text"]), st.lists(html_tokens, max_size=200), st.text(max_size=80))
def test_arbitrary_pages_and_urls(url, field, tokens, fetched_at):
    route_value(orjson.dumps({"url": url or "u", field: "".join(tokens), "fetched_at": fetched_at}))


@FUZZ
@given(st.integers(1, 3000), st.sampled_from(["[", '{"a":']))
def test_deeply_nested_json(depth, opener):
    closer = "]" if opener == "[" else "}"
    route_value((opener * depth + "1" + closer * depth).encode())
    route_value(message(text=BODY, extra=orjson.loads("[" * 200 + "]" * 200)))


@FUZZ
@given(st.text(min_size=1, max_size=300), st.integers(0, 400), st.binary(min_size=1, max_size=4))
def test_invalid_utf8(text, at, junk):
    valid = message(text=f"{text}\n{BODY}")
    broken = valid[: at % len(valid)] + b"\xff" + junk + valid[at % len(valid):]
    assert route_value(broken).reason == "not_utf8"
    cut = "é".encode() * 3
    assert route_value(message(text=BODY)[:-3] + cut[:-1] + b'"}').reason == "not_utf8"


@settings(max_examples=8, deadline=None)
@given(st.integers(1_000, 9_500_000), st.sampled_from(["text", "html", "url", "id", "title"]))
def test_huge_strings(size, field):
    fields = {"text": BODY, field: "w " * (size // 2)}
    outcome = route_value(message(**fields))
    if len(message(**fields)) > SETTINGS.max_message_bytes:
        assert outcome.reason == "too_large"


@pytest.mark.parametrize(
    "html",
    [
        pytest.param("<div>" * 100_000 + BODY + "</div>" * 100_000, id="100k-nested-divs"),
        pytest.param("<b><i>" * 50_000 + BODY, id="100k-unclosed-inline"),
        pytest.param("<table><tr><td>" * 30_000 + BODY, id="nested-tables"),
        pytest.param(f"<p title='{'x' * 5_000_000}'>{BODY}</p>", id="5mb-attribute"),
        pytest.param(f"<p {' '.join(f'a{i}=1' for i in range(20_000))}>{BODY}</p>", id="20k-attributes"),
        pytest.param(f"<p>{BODY}</p>" * 50_000, id="50k-sibling-paragraphs"),
        pytest.param("<span>a</span>" * 300_000, id="300k-sibling-spans"),
        pytest.param("<!--" * 100_000 + BODY, id="unclosed-comments"),
        pytest.param("&amp;" * 1_000_000, id="1m-entities"),
    ],
)
def test_html_bombs(html):
    route_value(message(html=html))


def test_rss_stays_flat_over_100k_calls(record_property):
    """Every route outcome (records and each kind of dead letter) in a loop: RSS after warm-up
    and at the end may differ by allocator noise, not by a leak."""
    good = [message(id=f"g{i}", text=f"Night buses\n{BODY} {i}\n{BODY}") for i in range(50)]
    good_html = [message(id=f"h{i}", html=f"<html><title>T{i}</title><p>{BODY}</p><p>{BODY} {i}</p>") for i in range(50)]
    bad = [b"", b"\xff\xfe", b"not json", b"[1]", b'{"url": 1}', message(text=" "), message(html="<nav>Home</nav>"),
           b"[" * 2000 + b"]" * 2000, message(fetched_at="yesterday", text=BODY)]
    pool = good + good_html + bad * 20
    process = psutil.Process()
    total, warm_up = 100_000, 10_000
    start = 0
    for i in range(total):
        if i == warm_up:
            gc.collect()
            start = process.memory_info().rss
        outcome = route(pool[i % len(pool)], b"k", ORIGIN, SETTINGS)
        assert outcome.value
    gc.collect()
    end = process.memory_info().rss
    record_property("rss_start_mb", round(start / 2**20, 1))
    record_property("rss_end_mb", round(end / 2**20, 1))
    print(f"\nroute() x {total:,}: RSS after {warm_up:,} calls {start / 2**20:.1f} MB, at the end {end / 2**20:.1f} MB")
    assert end - start < 16 * 2**20, f"RSS grew from {start / 2**20:.1f} MB to {end / 2**20:.1f} MB"
