"""The Arrow shape of copydesk's output, and JSON documents turned into Arrow tables.

The records' columns are derived from ``RECORD_SCHEMA``, so a field added to the contract reaches
the Parquet files without a change here: nested objects become structs, arrays lists, the
contract's UTC timestamps ``timestamp[ms]`` (UTC, no zone attached, which DuckDB reads as
TIMESTAMP), and a free-form object (``extra``) a JSON string.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
import pyarrow as pa

from copydesk.contracts import RECORD_SCHEMA, UTC_PATTERN, utc_timestamp

TIMESTAMP = pa.timestamp("ms")


@dataclass(frozen=True, slots=True)
class TableShape:
    """A table's Arrow schema, and which of its top-level columns need converting first."""

    schema: pa.Schema
    timestamps: tuple[str, ...]
    json_columns: tuple[str, ...]
    #: The column whose day names the partition, and the one to fall back on.
    day_columns: tuple[str, ...]


def arrow_type(node: Mapping[str, Any]) -> pa.DataType:
    """The Arrow type of one JSON Schema node of the contract."""
    if node.get("pattern") == UTC_PATTERN:
        return TIMESTAMP
    kinds = node.get("type")
    kinds = [k for k in kinds if k != "null"] if isinstance(kinds, list) else [kinds]
    kind = kinds[0] if kinds else None
    if kind is None and ("enum" in node or "const" in node):
        values = [v for v in node.get("enum", [node.get("const")]) if v is not None]
        kind = "integer" if all(isinstance(v, int) for v in values) else "string"
    if kind == "array":
        return pa.list_(arrow_type(node.get("items", {})))
    if kind == "object":
        properties = node.get("properties")
        if not properties:
            return pa.string()  # free-form: kept as its JSON text
        return pa.struct([pa.field(name, arrow_type(child)) for name, child in properties.items()])
    return {"integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}.get(kind, pa.string())


def record_shape(properties: Mapping[str, Any]) -> TableShape:
    """The records table for the contract's ``properties``."""
    schema = pa.schema([pa.field(name, arrow_type(node)) for name, node in properties.items()])
    free_form = tuple(name for name, node in properties.items() if node.get("type") == "object" and not node.get("properties"))
    return _shape(schema, ("published_at", "fetched_at"), free_form)


def _shape(schema: pa.Schema, day_columns: tuple[str, ...], json_columns: tuple[str, ...] = ()) -> TableShape:
    return TableShape(
        schema=schema,
        timestamps=tuple(f.name for f in schema if f.type == TIMESTAMP),
        json_columns=json_columns,
        day_columns=day_columns,
    )


RECORDS = record_shape(RECORD_SCHEMA["properties"])

#: Dead letters have no JSON Schema of their own; these are the fields ``copydesk.routing``
#: writes (a later field is dropped here until it is named).
DEAD_LETTERS = _shape(
    pa.schema(
        [
            ("reason", pa.string()),
            ("error", pa.string()),
            ("message", pa.string()),
            ("id", pa.string()),
            ("topic", pa.string()),
            ("partition", pa.int64()),
            ("offset", pa.int64()),
            ("file", pa.string()),
            ("line", pa.int64()),
            ("key", pa.string()),
            ("key_encoding", pa.string()),
            ("value_length", pa.int64()),
            ("value_truncated", pa.bool_()),
            ("failed_at", TIMESTAMP),
            ("copydesk_version", pa.string()),
            ("value", pa.string()),
            ("value_encoding", pa.string()),
            ("traceback", pa.string()),
        ]
    ),
    ("failed_at",),
)


def prepared(doc: dict[str, Any], shape: TableShape) -> dict[str, Any]:
    """``doc`` with its timestamps in the contract's UTC form (older records wrote them as the
    page did) and its free-form objects as JSON text. Returns a new dict."""
    row = dict(doc)
    for name in shape.timestamps:
        value = row.get(name)
        row[name] = utc_timestamp(value)[0] if isinstance(value, str) else None
    for name in shape.json_columns:
        if name in row:
            row[name] = orjson.dumps(row[name]).decode()
    return row


def partition_day(row: Mapping[str, Any], shape: TableShape, fallback: str) -> str:
    """``YYYY-MM-DD`` of the first of the shape's day columns that is set, else ``fallback``."""
    for name in shape.day_columns:
        value = row.get(name)
        if value:
            return value[:10]
    return fallback


def to_arrow_skipping(rows: list[dict[str, Any]], shape: TableShape) -> tuple[pa.Table, int]:
    """``to_arrow``, leaving out any row whose values do not fit the columns (a producer other
    than copydesk's workers), so one bad row cannot stop a sink for good; returns how many."""
    try:
        return to_arrow(rows, shape), 0
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        fitting = []
        for row in rows:
            try:
                to_arrow([row], shape)
            except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
                continue
            fitting.append(row)
        return to_arrow(fitting, shape), len(rows) - len(fitting)


def to_arrow(rows: Iterable[dict[str, Any]], shape: TableShape) -> pa.Table:
    """Prepared rows as a table of the shape's schema; timestamps go through a UTC parse."""
    strings = pa.schema([f.with_type(pa.string()) if f.type == TIMESTAMP else f for f in shape.schema])
    table = pa.Table.from_pylist(list(rows), schema=strings)
    for name in shape.timestamps:
        index = table.schema.get_field_index(name)
        column = table.column(index).cast(pa.timestamp("ms", tz="UTC")).cast(TIMESTAMP)
        table = table.set_column(index, shape.schema.field(name), column)
    return table
