"""Read a SQL Server (or SQLite) query as a stream of Arrow record batches,
through SQLAlchemy and the database's own DB-API driver (pyodbc, sqlite3).

The rows are fetched `fetch_size` at a time (`stream_results`, `yield_per`) and
each slice becomes one `pa.RecordBatch`: memory holds one batch of Python rows
and its Arrow copy, whatever the size of the table. The Arrow schema is fixed
before the first row is read, from the column types the source declares now
(`live_columns`), never inferred from values: a batch whose column is all NULL
has the same schema as the others.

Type mapping (SQL Server type name, or SQLite declared type -> Arrow / Delta):

| source type | Arrow / Delta |
|---|---|
| bigint, int, integer, smallint, tinyint | int64 (tinyint too: unsigned in SQL Server) |
| real, float, double, double precision | float64 |
| decimal(p,s), numeric(p,s), p <= 38 | decimal(p,s) (SQLite REALs rounded half-even to s) |
| decimal/numeric without precision, money, smallmoney | string (exact digits) |
| bit, bool, boolean | bool |
| char, varchar, nchar, nvarchar, text, ntext, clob | string |
| date | date |
| datetime, datetime2, smalldatetime, timestamp (SQLite) | timestamp_ntz as stored (wall clock) |
| datetimeoffset | timestamp (UTC) |
| uniqueidentifier | string (as the driver gives it) |
| binary, varbinary, image, blob | binary |
| xml | string: `CAST(c AS NVARCHAR(MAX))` on the server |
| hierarchyid | string: `c.ToString()` on the server (`/1/3/`) |
| sql_variant | string: `CAST(c AS NVARCHAR(4000))` on the server |
| geometry, geography | string: WKT, `c.STAsText()` on the server |
| anything else (time, ...) | string |

The server-side conversions are `text_columns`' (and query.py's): pyodbc has no
Python type for those CLR and variant types.

SQLite keeps dates and timestamps as ISO 8601 text: they are parsed here
(`datetime.fromisoformat`), and the low watermark is bound as the same text
(`YYYY-MM-DD HH:MM:SS[.ffffff]`, UTC), which SQLite compares as text. pyodbc
returns datetimeoffset values as bytes: `register_datetimeoffset` decodes them.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import pyarrow as pa
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from lakebridge_dagster.bronze.query import (
    BoundQuery,
    QueryDialect,
    live_columns,
    sql_server_text_type,
)
from lakebridge_dagster.bronze.readers import SourceDataError

Converter = Callable[[Any], Any]
# ODBC's SQL type code of SQL Server's datetimeoffset, which pyodbc leaves undecoded.
SQL_SS_TIMESTAMPOFFSET = -155
_MAX_DECIMAL_PRECISION = 38
_TYPE = re.compile(r"^\s*([a-z_][a-z0-9_ ]*?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*$")
_INTEGERS = {"bigint", "int", "integer", "smallint", "tinyint", "int2", "int4", "int8"}
_FLOATS = {"real", "float", "double", "double precision"}
_DECIMALS = {"decimal", "numeric"}
_BOOLEANS = {"bit", "bool", "boolean"}
_NAIVE_TIMESTAMPS = {"datetime", "datetime2", "smalldatetime", "timestamp"}
_BINARIES = {"binary", "varbinary", "image", "blob"}


@dataclass(frozen=True)
class LiveColumn:
    """A source column as the source declares it now."""

    name: str
    data_type: str
    nullable: bool


def engine(url: str) -> sa.Engine:
    """A SQLAlchemy engine for the source (pyodbc's connections learn to decode
    datetimeoffset). Nothing connects until the engine is used."""
    created = sa.create_engine(url)
    sa.event.listen(created, "connect", _on_connect)
    return created


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    if hasattr(dbapi_connection, "add_output_converter"):  # pyodbc
        dbapi_connection.add_output_converter(SQL_SS_TIMESTAMPOFFSET, datetimeoffset)


def read_live_columns(
    conn: Connection, schema: str, table: str, dialect: QueryDialect
) -> list[LiveColumn]:
    """The table's columns now, in order (empty when there is no such table)."""
    query = live_columns(schema, table, dialect)
    rows = conn.exec_driver_sql(query.sql, tuple(query.params)).fetchall()
    return [
        LiveColumn(name, str(data_type or ""), nullable == "YES")
        for name, data_type, nullable in rows
    ]


def text_columns(types: Mapping[str, str], dialect: QueryDialect) -> dict[str, str]:
    """The columns (name -> source type) SQL Server converts to text itself:
    xml, hierarchyid, sql_variant (`select_rows(text_columns=...)`); none in SQLite."""
    if dialect != "tsql":
        return {}
    return {name: data_type for name, data_type in types.items() if sql_server_text_type(data_type)}


def arrow_type(data_type: str) -> pa.DataType:
    """The Arrow type bronze keeps for a source type name (see the module doc)."""
    match = _TYPE.match(data_type.lower())
    if match is None:
        return pa.string()
    name, precision, scale = match.group(1), match.group(2), match.group(3)
    if name in _INTEGERS or name.endswith(" int"):  # `unsigned big int`, ...
        return pa.int64()
    if name in _FLOATS:
        return pa.float64()
    if name in _DECIMALS:
        if precision is not None and int(precision) <= _MAX_DECIMAL_PRECISION:
            return pa.decimal128(int(precision), int(scale or 0))
        return pa.string()
    if name in _BOOLEANS:
        return pa.bool_()
    if name == "date":
        return pa.date32()
    if name in _NAIVE_TIMESTAMPS:
        return pa.timestamp("us")
    if name == "datetimeoffset":
        return pa.timestamp("us", tz="UTC")
    if name in _BINARIES:
        return pa.binary()
    return pa.string()


def stream_rows(
    conn: Connection,
    query: BoundQuery,
    schema: pa.Schema,
    fetch_size: int,
) -> Iterator[pa.RecordBatch]:
    """Run `query` and yield its rows as record batches of at most `fetch_size`
    rows, each with `schema` (one field per selected column, in order)."""
    converters = [_converter(field) for field in schema]
    result = conn.execution_options(stream_results=True, yield_per=fetch_size).exec_driver_sql(
        query.sql, tuple(query.params)
    )
    try:
        for rows in result.partitions(fetch_size):
            yield _batch(rows, schema, converters)
    finally:
        result.close()


def bind_watermark(value: Any, dialect: QueryDialect) -> Any:
    """The low watermark as the driver binds it: timestamps as naive UTC (SQL
    Server's datetime2 is wall clock), as ISO text for SQLite."""
    if not isinstance(value, datetime):
        return value
    naive = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    return naive.isoformat(sep=" ") if dialect == "sqlite" else naive


def datetimeoffset(raw: bytes) -> datetime:
    """pyodbc's raw SQL_SS_TIMESTAMPOFFSET_STRUCT as an aware datetime."""
    year, month, day, hour, minute, second, nanos, tz_hour, tz_minute = struct.unpack("<6hI2h", raw)
    offset = timezone(timedelta(hours=tz_hour, minutes=tz_minute))
    return datetime(year, month, day, hour, minute, second, nanos // 1000, tzinfo=offset)


def _batch(
    rows: Sequence[Sequence[Any]], schema: pa.Schema, converters: list[Converter]
) -> pa.RecordBatch:
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    arrays = []
    for field, convert, values in zip(schema, converters, columns, strict=True):
        try:
            arrays.append(pa.array([None if v is None else convert(v) for v in values], field.type))
        except (ValueError, TypeError, ArithmeticError, pa.ArrowException) as error:
            raise SourceDataError(
                f"column {field.name!r} does not convert to Arrow {field.type}: {error}"
            ) from None
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _converter(field: pa.Field) -> Converter:
    kind = field.type
    if pa.types.is_decimal(kind):
        quantum = Decimal(1).scaleb(-kind.scale)
        return lambda v: _decimal(v).quantize(quantum, rounding=ROUND_HALF_EVEN)
    if pa.types.is_timestamp(kind):
        return _utc if kind.tz else _naive
    if pa.types.is_date32(kind):
        return _date
    if pa.types.is_boolean(kind):
        return bool
    if pa.types.is_integer(kind):
        return int
    if pa.types.is_floating(kind):
        return float
    if pa.types.is_binary(kind):
        return lambda v: v if isinstance(v, bytes) else str(v).encode()
    return _text


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return datetime.fromisoformat(str(value))


def _naive(value: Any) -> datetime:
    parsed = _datetime(value)
    return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed


def _utc(value: Any) -> datetime:
    parsed = _datetime(value)
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.hex()
    return value if isinstance(value, str) else str(value)
