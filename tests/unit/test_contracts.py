import dataclasses
from importlib import resources

import fastjsonschema
import orjson
import pytest

from copydesk.contracts import RAW_SCHEMA, RECORD_SCHEMA, SCHEMA_VERSION, Processing, Record, parse_raw, utc_timestamp
from copydesk.document import DateMention, Entity, Fingerprints, Quote, Removed
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


def test_schema_names_every_record_field_and_requires_each():
    fields = {f.name for f in dataclasses.fields(Record)}
    assert set(RECORD_SCHEMA["properties"]) == fields
    assert set(RECORD_SCHEMA["required"]) == fields
    properties = RECORD_SCHEMA["properties"]
    nested = {
        Entity: properties["entities"]["items"], Quote: properties["quotes"]["items"], DateMention: properties["dates"]["items"],
        Removed: properties["removed"]["items"], Fingerprints: properties["fingerprints"], Processing: properties["processing"],
    }
    for kind, node in nested.items():
        names = {f.name for f in dataclasses.fields(kind)}
        assert set(node["properties"]) == names, kind.__name__
        assert set(node["required"]) <= names, kind.__name__


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-06-03", ("2024-06-03T00:00:00Z", "day")),
        ("2024-06-03T10:02:00", ("2024-06-03T10:02:00Z", "second")),
        ("2019-11-19T22:02:00-05:00", ("2019-11-20T03:02:00Z", "second")),
        ("2024-03-05T10:00:00Z", ("2024-03-05T10:00:00Z", "second")),
        ("2024-03-05T10:00:00.250+01:00", ("2024-03-05T09:00:00.250Z", "second")),
        ("0001-01-01T00:00:00+05:00", (None, None)),
        ("", (None, None)),
        ("June 3", (None, None)),
    ],
)
def test_timestamps_are_utc_with_z_and_a_date_keeps_its_day(value, expected):
    assert utc_timestamp(value) == expected


def test_missing_values_are_null_never_empty_strings():
    page = resources.files("copydesk.examples").joinpath("stadtrat-radwege.html").read_text(encoding="utf-8")
    doc = orjson.loads(process_value(raw(html=page), Settings()).to_json())
    fastjsonschema.compile(RECORD_SCHEMA)(doc)

    def strings(value):
        if isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)
        elif isinstance(value, str):
            yield value

    assert "" not in list(strings(doc))
    assert doc["fetched_at"] is None
    assert doc["sentiment"] is None and doc["readability_grade"] is None  # German: no English lexicon
    assert isinstance(doc["authors"], list) and isinstance(doc["keywords"], list)
