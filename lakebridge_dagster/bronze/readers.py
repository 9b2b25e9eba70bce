"""Read a source query as a stream of Arrow record batches (PostgreSQL, psycopg 3).

The query runs in a server-side cursor: the server keeps the result and hands
over `fetch_size` rows at a time, so memory holds one batch, whatever the size
of the table. The Arrow schema is fixed from the result's column types before
the first row is read (never inferred from values: a batch of NULLs must not
change a column's type).

Type mapping (PostgreSQL -> Arrow -> Delta), chosen so that Databricks reads
every value back unchanged:

| PostgreSQL | Arrow / Delta | why |
|---|---|---|
| boolean, smallint, integer, bigint, real, double precision | same | |
| numeric(p,s), p <= 38 | decimal(p,s) | exact |
| numeric without precision (or p > 38), money | string | exact digits; Delta decimals stop at 38 |
| text, varchar, char, name, citext, enums, domains of text | string | |
| uuid | string | Delta has no uuid type |
| json, jsonb, xml | string | the document's text |
| bytea | binary | |
| date | date | |
| timestamp | timestamp_ntz | wall-clock, as stored |
| timestamptz | timestamp (UTC) | the session runs in UTC |
| time, timetz, interval | string | no such Delta types; intervals in ISO 8601 (`P1DT2H`) |
| inet, cidr, macaddr, point, polygon, other types | string | PostgreSQL's text form |
| PostGIS geometry/geography | string | read as WKT by the query (`ST_AsText`) |
| arrays of the scalar types above | list<element> | other arrays as their text form |
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import psycopg
import pyarrow as pa
from psycopg.rows import tuple_row
from psycopg.types.string import TextLoader

from lakebridge_dagster.bronze.query import BoundQuery

_NATIVE: dict[str, pa.DataType] = {
    "bool": pa.bool_(),
    "int2": pa.int16(),
    "int4": pa.int32(),
    "int8": pa.int64(),
    "oid": pa.int64(),
    "float4": pa.float32(),
    "float8": pa.float64(),
    "text": pa.string(),
    "varchar": pa.string(),
    "bpchar": pa.string(),
    "name": pa.string(),
    "bytea": pa.binary(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us"),
    "timestamptz": pa.timestamp("us", tz="UTC"),
}
# Read as PostgreSQL's text form (psycopg would build uuid/ipaddress/dict/... objects).
_AS_TEXT = (
    "uuid",
    "json",
    "jsonb",
    "xml",
    "time",
    "timetz",
    "interval",
    "money",
    "inet",
    "cidr",
    "macaddr",
    "point",
    "polygon",
)
SESSION_SETTINGS = (
    "SET TimeZone = 'UTC'",
    "SET IntervalStyle = 'iso_8601'",
    "SET DateStyle = 'ISO'",
)


@dataclass(frozen=True)
class ArrowColumn:
    name: str
    type: pa.DataType
    convert: Callable[[Sequence[Any]], list[Any]] | None = None


def prepare_connection(conn: psycopg.Connection[Any]) -> None:
    """Session settings and loaders every bronze read relies on: UTC, ISO 8601
    intervals, and text for the types mapped to strings (and their arrays)."""
    for statement in SESSION_SETTINGS:
        conn.execute(statement)
    types = psycopg.adapters.types
    for name in _AS_TEXT:
        info = types.get(name)
        if info is not None:
            conn.adapters.register_loader(info.oid, TextLoader)
            conn.adapters.register_loader(info.array_oid, TextLoader)


def stream_batches(
    conn: psycopg.Connection[Any], query: BoundQuery, fetch_size: int, cursor_name: str
) -> tuple[pa.Schema, Iterator[pa.RecordBatch]]:
    """Run `query` in a server-side cursor; the Arrow schema of its result and an
    iterator of record batches of at most `fetch_size` rows. Call inside a
    transaction; the cursor closes when the iterator is exhausted or closed."""
    cursor = conn.cursor(name=cursor_name, row_factory=tuple_row)
    cursor.itersize = fetch_size
    cursor.execute(query.sql, query.params)  # type: ignore[arg-type]
    if cursor.description is None:
        cursor.close()
        raise ValueError("the bronze query returned no result set")
    columns = [_arrow_column(conn, column) for column in cursor.description]
    schema = pa.schema([pa.field(c.name, c.type) for c in columns])

    def batches() -> Iterator[pa.RecordBatch]:
        try:
            while rows := cursor.fetchmany(fetch_size):
                yield _to_batch(rows, columns, schema)
        finally:
            cursor.close()

    return schema, batches()


def _to_batch(
    rows: list[tuple[Any, ...]], columns: list[ArrowColumn], schema: pa.Schema
) -> pa.RecordBatch:
    arrays = []
    for index, (column, values) in enumerate(zip(columns, zip(*rows, strict=True), strict=True)):
        data = column.convert(values) if column.convert else values
        try:
            arrays.append(pa.array(data, type=column.type))
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError) as error:
            raise ValueError(
                f"column {column.name!r} (#{index + 1}) does not convert to Arrow "
                f"{column.type}: {error}"
            ) from error
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _arrow_column(conn: psycopg.Connection[Any], column: psycopg.Column) -> ArrowColumn:
    info = conn.adapters.types.get(column.type_code)
    type_name = info.name if info is not None else ""
    if info is not None and info.array_oid == column.type_code:
        # The registry answers an array's oid with its element's type.
        if type_name in _NATIVE:
            return ArrowColumn(column.name, pa.list_(_NATIVE[type_name]))
        return ArrowColumn(column.name, pa.string(), _text)
    if type_name == "numeric":
        precision, scale = column.precision, column.scale
        if precision is not None and precision <= 38:
            return ArrowColumn(column.name, pa.decimal128(precision, scale or 0))
        return ArrowColumn(column.name, pa.string(), _decimal_text)
    if type_name in _NATIVE:
        return ArrowColumn(column.name, _NATIVE[type_name])
    return ArrowColumn(column.name, pa.string(), _text)


def _decimal_text(values: Sequence[Any]) -> list[Any]:
    return [
        None if v is None else format(v, "f") if isinstance(v, Decimal) else str(v) for v in values
    ]


def _text(values: Sequence[Any]) -> list[Any]:
    return [v if v is None or isinstance(v, str) else str(v) for v in values]
