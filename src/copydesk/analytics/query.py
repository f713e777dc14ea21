"""DuckDB over the sink's Parquet folder: the views analysts query, and example questions.

``records`` keeps the latest row per ``id``: the sink delivers at least once, and a page scraped
again is a newer version of the same article. "Latest" is the newest ``fetched_at``, then the
file written last, then the row written last. ``records_all`` keeps every row as written.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from copydesk.analytics.examples import EXAMPLES
from copydesk.analytics.tables import DEAD_LETTERS, RECORDS, TableShape

__all__ = ["EXAMPLES", "as_text", "connect", "run", "view_statements"]

def view_statements(root: Path) -> list[str]:
    """The SQL that defines the views over ``root``; a table with no file yet is an empty view of
    the right columns (see ``connect``)."""
    statements = []
    for name, shape in (("records_all", RECORDS), ("dead_letters", DEAD_LETTERS)):
        folder = root / ("records" if shape is RECORDS else "dead_letters")
        if any(folder.glob("dt=*/*.parquet")):
            pattern = str(folder / "dt=*" / "*.parquet").replace("'", "''")
            statements.append(
                f"create or replace view {name} as select * from read_parquet('{pattern}', "
                "hive_partitioning = true, union_by_name = true, filename = true, file_row_number = true)"
            )
        else:
            statements.append(f"create or replace view {name} as select * from empty_{name}")
    statements.append(
        "create or replace view records as select * exclude (filename, file_row_number) from records_all "
        "qualify row_number() over (partition by id order by fetched_at desc nulls last, "
        "regexp_extract(filename, '[^/]*$') desc, file_row_number desc) = 1"
    )
    return statements


def connect(root: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the views over ``root``, its clock in UTC like the data."""
    db = duckdb.connect()
    db.execute("set TimeZone = 'UTC'")
    for name, shape in (("records_all", RECORDS), ("dead_letters", DEAD_LETTERS)):
        db.register(f"empty_{name}", _empty(shape))
    for statement in view_statements(root):
        db.execute(statement)
    return db


def _empty(shape: TableShape) -> pa.Table:
    schema = shape.schema.append(pa.field("dt", pa.date32())).append(pa.field("filename", pa.string())).append(pa.field("file_row_number", pa.int64()))
    return schema.empty_table()


def run(db: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[tuple[object, ...]]]:
    """Column names and rows of one statement."""
    cursor = db.execute(sql)
    names = [column[0] for column in cursor.description or []]
    return names, cursor.fetchall()


def as_text(names: list[str], rows: list[tuple[object, ...]]) -> str:
    """A plain aligned table, as a terminal shows it."""
    cells = [names, *[["NULL" if v is None else str(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(names))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join([*lines, f"({len(rows)} rows)"])
