"""The two message contracts: raw articles in, enriched records out. Both are versioned JSON.

``RAW_SCHEMA`` and ``RECORD_SCHEMA`` are JSON Schema (draft-07) documents; ``copydesk schema``
prints them. Parsing a raw message checks it against ``RAW_SCHEMA`` with a compiled validator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import fastjsonschema
import orjson

from copydesk.clean.page import PAGE_TYPES
from copydesk.document import REMOVAL_RULES, REMOVED_LABELS, DateMention, Entity, Fingerprints, Quote, Removed
from copydesk.errors import EmptyBody, NotAnObject, NotJSON, NotText, NotUTF8, SchemaViolation, TooLarge
from copydesk.sanitize import http_url, strip_controls

#: 2: missing values are null (not ""), timestamps are UTC with "Z", ``published_at_precision``.
SCHEMA_VERSION = 2

_KNOWN_RAW_FIELDS = ("url", "html", "text", "id", "fetched_at", "source", "title", "headers")

RAW_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "$id": "urn:copydesk:raw:1",
    "title": "copydesk raw article",
    "description": "A scraped page on articles.raw. Unknown fields are kept in the record's extra.",
    "type": "object",
    "required": ["url"],
    "properties": {
        "url": {"type": "string", "minLength": 1, "maxLength": 8192, "description": "An http(s) URL with a host."},
        "html": {"type": "string", "description": "The page's HTML."},
        "text": {"type": "string", "description": "The page flattened to text, one block a line."},
        "id": {"type": "string", "minLength": 1, "maxLength": 512},
        "fetched_at": {"type": "string", "description": "ISO-8601 time of the fetch."},
        "source": {"type": "string"},
        "title": {"type": "string"},
        "headers": {"type": "object"},
    },
    "anyOf": [
        {"required": ["html"], "properties": {"html": {"pattern": "\\S"}}},
        {"required": ["text"], "properties": {"text": {"pattern": "\\S"}}},
    ],
    "additionalProperties": True,
}

_STR = {"type": "string"}
_STRS = {"type": "array", "items": _STR}
_OPT_STR = {"type": ["string", "null"]}
_OPT_NUMBER = {"type": ["number", "null"]}
#: What every timestamp of a record looks like: ISO-8601 in UTC, seconds or milliseconds, "Z".
UTC_PATTERN = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$"
_OPT_TIME = {"type": ["string", "null"], "pattern": UTC_PATTERN}
#: Every field of a record, each always present (null when unknown).
_RECORD_PROPERTIES: dict[str, Any] = {
    "schema_version": {"const": SCHEMA_VERSION},
    "id": _STR,
    "url": _STR,
    "canonical_url": _STR,
    "source": {"type": ["string", "null"], "description": "The raw message's source, else the URL's domain without www."},
    "site_name": _OPT_STR,
    "title": _OPT_STR,
    "dek": {"type": ["string", "null"], "description": "The standfirst under the title."},
    "authors": {**_STRS, "description": "People who wrote the article."},
    "agencies": {**_STRS, "description": "News agencies it credits (AP, AFP, Reuters, dpa...)."},
    "published_at": {**_OPT_TIME, "description": "When the page says it was published; a date-only value is midnight UTC of that day."},
    "published_at_precision": {"enum": ["day", "second", None], "description": "day: the page gave a date only; null when published_at is."},
    "modified_at": _OPT_TIME,
    "fetched_at": {**_OPT_TIME, "description": "The raw message's fetched_at, in UTC (a time without a zone is taken as UTC)."},
    "language": {"type": ["string", "null"], "description": "ISO 639-1."},
    "language_confidence": {"type": "number", "minimum": 0, "maximum": 1},
    "section": _OPT_STR,
    "image": _OPT_STR,
    "text": {"type": "string", "description": "The clean body: paragraphs split by one blank line."},
    "summary": _OPT_STR,
    "word_count": {"type": "integer", "minimum": 0},
    "reading_time_s": {"type": "integer", "minimum": 0},
    "readability_grade": {**_OPT_NUMBER, "description": "Flesch-Kincaid grade; null for languages other than English."},
    "entities": {
        "type": ["array", "null"],
        "description": "null where not worked out for the language (README: Languages).",
        "items": {
            "type": "object",
            "required": ["text", "type", "count", "offset", "aliases", "country_code", "geonames_id"],
            "properties": {
                "text": _STR,
                "type": {"enum": ["person", "organization", "place", "other"]},
                "count": {"type": "integer", "minimum": 1},
                "offset": {"type": "integer", "minimum": 0},
                "aliases": _STRS,
                "country_code": _OPT_STR,
                "geonames_id": {"type": ["integer", "null"]},
            },
        },
    },
    "keywords": {"type": ["array", "null"], "items": _STR, "description": "null where not worked out for the language (README: Languages)."},
    "topic": _OPT_STR,
    "sentiment": {"type": ["number", "null"], "minimum": -1, "maximum": 1, "description": "null for languages other than English."},
    "title_sentiment": {"type": ["number", "null"], "minimum": -1, "maximum": 1},
    "quotes": {
        "type": ["array", "null"],
        "description": "null where not worked out for the language (README: Languages).",
        "items": {"type": "object", "required": ["text", "speaker"], "properties": {"text": _STR, "speaker": _OPT_STR}},
    },
    "dates": {
        "type": ["array", "null"],
        "description": "null where not worked out for the language (README: Languages).",
        "items": {
            "type": "object",
            "required": ["text", "date", "offset"],
            "properties": {
                "text": _STR,
                "date": {"type": "string", "description": "A day (YYYY-MM-DD), an ISO week (YYYY-Www) or a month (YYYY-MM)."},
                "offset": {"type": "integer"},
            },
        },
    },
    "page_type": {
        "enum": [*PAGE_TYPES, None],
        "description": "What kind of page it is (each mode's page-type models).",
    },
    "extraction_confidence": {
        "type": ["number", "null"],
        "description": "0..1: how likely the kept text is close to the page's real content (each mode's confidence model).",
    },
    "removed": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["label", "text", "rule"],
            "properties": {
                "label": {"enum": list(REMOVED_LABELS)},
                "text": _STR,
                "rule": {"enum": list(REMOVAL_RULES)},
            },
        },
    },
    "fingerprints": {
        "type": "object",
        "required": ["sha256", "simhash", "minhash"],
        "properties": {
            "sha256": _STR,
            "simhash": {"type": "string", "description": "64-bit SimHash, 16 hex digits."},
            "minhash": {"type": "array", "items": {"type": "integer"}},
        },
    },
    "processing": {
        "type": "object",
        "required": ["version", "ms", "mode", "enriched"],
        "properties": {
            "version": _STR, "ms": {"type": "number"}, "mode": {"enum": ["html", "text"]},
            "enriched": {"type": "boolean", "description": "false: the page used up its work budget in cleaning; enrichment fields are empty"},
        },
    },
    "extra": {"type": "object", "description": "The raw message's fields copydesk does not know."},
}
RECORD_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "$id": f"urn:copydesk:record:{SCHEMA_VERSION}",
    "title": "copydesk enriched record",
    "description": (
        "One cleaned, enriched article on articles.enriched, keyed by id. A value copydesk does not "
        "know is null, never an empty string; lists are always lists; times are UTC ISO-8601 with Z."
    ),
    "type": "object",
    "required": list(_RECORD_PROPERTIES),
    "properties": _RECORD_PROPERTIES,
}

_validate_raw = fastjsonschema.compile(RAW_SCHEMA)


@dataclass(frozen=True, slots=True)
class RawArticle:
    url: str
    html: str = ""
    text: str = ""
    id: str = ""
    fetched_at: str = ""
    source: str = ""
    title: str = ""
    headers: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


#: A \\u escape of a surrogate, with the backslashes before it (an even run escapes itself).
_SURROGATE_ESCAPE = re.compile(r"(\\+)u([dD][89a-fA-F][0-9a-fA-F]{2})")


def parse_raw(value: bytes | None, *, max_bytes: int) -> RawArticle:
    """Decode and check one raw message, or raise the error its dead letter will carry."""
    if value is None or len(value) == 0:
        raise EmptyBody("the message has no value")
    if len(value) > max_bytes:
        raise TooLarge(f"the message is {len(value):,} bytes; the limit is {max_bytes:,}")
    try:
        doc = orjson.loads(value)
    except orjson.JSONDecodeError as exc:
        # orjson refuses invalid UTF-8 as well; only a refused message pays for telling which.
        try:
            text = value.decode("utf-8")
        except UnicodeDecodeError as bad:
            raise NotUTF8(f"the message is not UTF-8: {bad}") from None
        try:
            doc = orjson.loads(_lone_surrogates_replaced(text))
        except orjson.JSONDecodeError:
            raise NotJSON(f"the message is not JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise NotAnObject(f"the message is a JSON {type(doc).__name__}, not an object")
    return raw_from_dict(doc)


def _lone_surrogates_replaced(text: str) -> str:
    """JSON text with each escaped lone surrogate (``"\\ud800"`` without its pair, which producers
    write when they cut a string between the two) escaped as U+FFFD instead: valid JSON that
    orjson refuses, and a whole article is not lost for one character."""
    escapes = [match for match in _SURROGATE_ESCAPE.finditer(text) if len(match.group(1)) % 2]  # not "\\\\ud800"
    parts: list[str] = []
    done = 0
    paired = False
    for index, escape in enumerate(escapes):
        if paired:  # the low half of a pair
            paired = False
            continue
        after = escapes[index + 1] if index + 1 < len(escapes) else None
        paired = escape.group(2).lower() < "dc" and after is not None and after.end() - 6 == escape.end() and after.group(2).lower() >= "dc"
        if not paired:
            parts += (text[done : escape.end() - 6], "\\ufffd")
            done = escape.end()
    return "".join([*parts, text[done:]])


def raw_from_dict(doc: dict[str, Any]) -> RawArticle:
    body_types_ok = all(isinstance(doc.get(k, ""), str) for k in ("html", "text"))
    if body_types_ok and isinstance(doc.get("url"), str) and not _has_body(doc):
        raise EmptyBody("the message has neither a non-blank 'html' nor a non-blank 'text'")
    try:
        _validate_raw(doc)
    except fastjsonschema.JsonSchemaValueException as exc:
        raise SchemaViolation(f"{exc.message.replace('data', 'message', 1)}") from None
    for body in ("html", "text"):
        if share := not_text_share(doc.get(body, "")):
            raise NotText(f"message.{body} is not text: {share:.0%} of its first characters are control or undecodable bytes")
    fetched_at = doc.get("fetched_at", "")
    if fetched_at:
        try:
            datetime.fromisoformat(fetched_at.replace("Z", "+00:00"))
        except ValueError:
            raise SchemaViolation(f"message.fetched_at is not ISO-8601: {fetched_at[:64]!r}") from None
    url = http_url(doc["url"])
    if not url:
        raise SchemaViolation(f"message.url must be an http(s) URL with a host: {strip_controls(doc['url'])[:64]!r}")
    return RawArticle(
        url=url,
        html=doc.get("html", ""),
        text=doc.get("text", ""),
        # An id becomes a Kafka key and a table's key: nothing in it may hide or reorder text.
        id=strip_controls(doc.get("id", "")).strip(),
        fetched_at=fetched_at,
        source=doc.get("source", ""),
        title=doc.get("title", ""),
        headers=doc.get("headers", {}),
        extra={k: v for k, v in doc.items() if k not in _KNOWN_RAW_FIELDS},
    )


#: How much of a body's start is looked at, and what share of it may be control characters or
#: U+FFFD (what a decoder makes of bytes that are not text) before it is not text. Real pages
#: have none or a stray few; gzip data or an image decoded as text has over half.
TEXT_SAMPLE = 4096
NOT_TEXT_SHARE = 0.1
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def not_text_share(body: str) -> float:
    """The share of control and undecodable characters at the start of ``body`` when it is over
    NOT_TEXT_SHARE (so it is not text), else 0.0."""
    sample = body[:TEXT_SAMPLE]
    share = len(_NOT_TEXT.findall(sample)) / len(sample) if sample else 0.0
    return share if share > NOT_TEXT_SHARE else 0.0


def _has_body(doc: dict[str, Any]) -> bool:
    # Not strip(): it would copy a page of megabytes that ends in a newline, as most do.
    return any(isinstance(doc.get(k), str) and doc[k] and not doc[k].isspace() for k in ("html", "text"))


@dataclass(frozen=True)  # no slots, as in copydesk.document: orjson writes it faster
class Processing:
    version: str
    ms: float
    mode: str
    #: False when the page's cleaning used up ``page_budget_s`` and enrichment was skipped.
    enriched: bool = True


@dataclass(frozen=True)  # no slots, as in copydesk.document: orjson writes it faster
class Record:
    """One enriched article, in the field order of ``RECORD_SCHEMA``."""

    id: str
    url: str
    canonical_url: str
    source: str | None
    site_name: str | None
    title: str | None
    dek: str | None
    authors: tuple[str, ...]
    agencies: tuple[str, ...]
    published_at: str | None
    published_at_precision: Precision | None
    modified_at: str | None
    fetched_at: str | None
    language: str | None
    language_confidence: float
    section: str | None
    image: str | None
    text: str
    summary: str | None
    word_count: int
    reading_time_s: int
    readability_grade: float | None
    entities: tuple[Entity, ...] | None
    keywords: tuple[str, ...] | None
    topic: str | None
    sentiment: float | None
    title_sentiment: float | None
    quotes: tuple[Quote, ...] | None
    dates: tuple[DateMention, ...] | None
    page_type: str | None
    extraction_confidence: float | None
    removed: tuple[Removed, ...]
    fingerprints: Fingerprints
    processing: Processing
    extra: dict[str, Any]
    schema_version: int = SCHEMA_VERSION

    def to_json(self) -> bytes:
        return orjson.dumps(self)


Precision = Literal["day", "second"]


def utc_timestamp(value: str) -> tuple[str | None, Precision | None]:
    """An ISO-8601 date or time as the record writes it, in UTC with "Z", and how precise it is.

    A date alone stays on its day (midnight UTC, precision "day"); a time without a zone is
    taken as UTC. Anything that does not parse, or nothing, is ``(None, None)``.
    """
    if not value:
        return None, None
    try:
        moment = datetime.fromisoformat(value)
        if len(value) <= 10:  # a date alone ("2024-06-03", "20240603"): read as a naive midnight
            return f"{moment.date().isoformat()}T00:00:00Z", "day"
        return format_utc(moment if moment.tzinfo else moment.replace(tzinfo=UTC)), "second"
    except (ValueError, OverflowError):  # not ISO-8601, or a year 1 or 9999 shifted out of range
        return None, None


def format_utc(moment: datetime) -> str:
    """``moment`` in UTC as ISO-8601 with "Z", to the millisecond when it has a fraction."""
    utc = moment.astimezone(UTC)
    return utc.isoformat(timespec="milliseconds" if utc.microsecond else "seconds").replace("+00:00", "Z")
