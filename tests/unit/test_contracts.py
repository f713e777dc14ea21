import fastjsonschema
import orjson
import pytest

from copydesk.contracts import RAW_SCHEMA, RECORD_SCHEMA, SCHEMA_VERSION, parse_raw
from copydesk.errors import EmptyBody, NotAnObject, NotJSON, NotUTF8, SchemaViolation, TooLarge
from copydesk.pipeline import process_value
from copydesk.settings import Settings

LIMIT = 1 << 20
PARAGRAPHS = [
    "The city expects heavy rain on Tuesday, forecasters said, and officials urged residents to prepare.",
    "Schools in the low-lying districts will close early, the education office announced on Monday evening.",
    "Emergency crews have cleared storm drains along the river, where flooding closed roads last spring.",
    "The weather service said the rain would ease by Thursday morning, with sunshine expected at the weekend.",
]
PAGE = "<html><head><title>Rain due | The Daily</title></head><body><article><h1>Rain due</h1>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article></body></html>"


def raw(**fields) -> bytes:
    return orjson.dumps({"url": "https://example.org/a", **fields})


def test_minimal_message_parses_and_keeps_unknown_fields():
    article = parse_raw(raw(text="Hello world", scraper="s7", depth=2), max_bytes=LIMIT)
    assert article.url == "https://example.org/a"
    assert article.text == "Hello world"
    assert article.extra == {"scraper": "s7", "depth": 2}


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (b"", EmptyBody),
        (b"not json", NotJSON),
        (b"\xff\xfe\x00", NotUTF8),
        (b"[1, 2]", NotAnObject),
        (b'"a string"', NotAnObject),
        (orjson.dumps({"text": "no url"}), SchemaViolation),
        (raw(html=5), SchemaViolation),
        (raw(text=["a"]), SchemaViolation),
        (raw(text="x", headers="nope"), SchemaViolation),
        (raw(text="x", fetched_at="yesterday"), SchemaViolation),
        (raw(), EmptyBody),
        (raw(text=" \n\t "), EmptyBody),
        (raw(html="", text=""), EmptyBody),
        (b"{" * 5000 + b"}" * 5000, NotJSON),
    ],
)
def test_bad_messages_raise_the_error_their_dead_letter_names(value, error):
    with pytest.raises(error) as info:
        parse_raw(value, max_bytes=LIMIT)
    assert str(info.value)


def test_oversized_message_is_refused_before_parsing():
    with pytest.raises(TooLarge, match="limit"):
        parse_raw(raw(text="x" * 2000), max_bytes=1000)


def test_schemas_are_valid_json_schema_and_versioned():
    for schema in (RAW_SCHEMA, RECORD_SCHEMA):
        fastjsonschema.compile(schema)
    assert RECORD_SCHEMA["properties"]["schema_version"] == {"const": SCHEMA_VERSION}


def test_record_matches_its_schema_and_is_keyed_by_a_stable_id():
    validate = fastjsonschema.compile(RECORD_SCHEMA)
    settings = Settings()
    first = process_value(raw(html=PAGE, fetched_at="2024-03-05T10:00:00Z"), settings)
    again = process_value(orjson.dumps({"url": "https://EXAMPLE.org:443/a?utm_source=x#top", "html": PAGE}), settings)
    doc = orjson.loads(first.to_json())
    validate(doc)
    assert doc["schema_version"] == SCHEMA_VERSION
    assert first.id == again.id
    assert doc["source"] == "example.org"
    assert doc["text"].split("\n\n") == PARAGRAPHS


def test_raw_id_wins_over_url_hash():
    record = process_value(raw(id="scraper-42", html=PAGE), Settings())
    assert record.id == "scraper-42"
