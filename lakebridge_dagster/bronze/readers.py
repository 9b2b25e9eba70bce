"""Read a PostgreSQL query as a stream of Arrow record batches (ADBC).

The ADBC PostgreSQL driver reads a query without parameters through
`COPY (query) TO STDOUT (FORMAT binary)` and decodes it straight into Arrow in
C: no Python object per value, and batches of about `BATCH_BYTES` each (cut
further to `fetch_size` rows), so memory holds one batch whatever the size of
the table. A query with a bound parameter (the incremental `> $1`) cannot run
as COPY: the driver reads its whole result into one batch; increments are read
whole before the MERGE anyway (see load.py).

The Arrow schema is fixed before the first batch is read, from the result's
types (never inferred from values: a batch of NULLs must not change a
column's type). Types ADBC decodes in a form Delta cannot store, or not as the
text PostgreSQL shows, are cast to text by the query (`text_columns`).

Type mapping (PostgreSQL -> Arrow -> Delta), chosen so that Databricks reads
every value back unchanged:

| PostgreSQL | Arrow / Delta | how |
|---|---|---|
| boolean, smallint, integer, bigint, real, double precision | same | ADBC |
| oid | int64 | ADBC's int32 read as unsigned |
| numeric(p,s), p <= 38 | decimal(p,s) | ADBC's digits, cast to the result's (p,s) |
| numeric without precision, or p > 38 | string | exact digits; Delta decimals stop at 38 |
| money | string | PostgreSQL's text form (ADBC would give int64 cents) |
| text, varchar, char, name, citext, enums, domains of text | string | |
| uuid | string | Delta has no uuid type |
| json, jsonb, xml | string | the document's text |
| bytea | binary | ADBC |
| date | date | ADBC |
| timestamp | timestamp_ntz | wall-clock, as stored |
| timestamptz | timestamp (UTC) | |
| time, timetz, interval | string | no such Delta types; intervals in ISO 8601 (`P1DT2H`) |
| inet, cidr, macaddr, point, polygon, other types | string | PostgreSQL's text form |
| PostGIS geometry/geography | string | read as WKT by the query (`ST_AsText`) |
| arrays of the ADBC-mapped scalars above | list<element> | ADBC; see below |
| other arrays (numeric[], uuid[], ...) | string | PostgreSQL's text form (`{1.5,2}`) |

The precision and scale of a numeric come from the result's typmod: the
column's declared type as the source has it now (the registry's, unless the
column changed since it was derived). Unconstrained numerics keep PostgreSQL's
spelling of `NaN` and `Infinity` (ADBC writes `nan`, `inf`). A
multi-dimensional array reaches bronze flattened (`{{1,2},{3,4}}` ->
`[1,2,3,4]`): ADBC's Arrow type has one level; the psycopg reader failed on it.

`infinity`/`-infinity` dates and timestamps have no Arrow value: the read
fails with `SourceDataError` naming the column (ADBC would wrap them round to
year -292,000-something).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import adbc_driver_manager
import adbc_driver_postgresql.dbapi as adbc_postgresql
import pyarrow as pa
import pyarrow.compute as pc

from lakebridge_dagster.bronze.query import BoundQuery
from lakebridge_dagster.catalog.errors import SourceConnectionError
from lakebridge_dagster.catalog.postgres import libpq_url, server_of
from lakebridge_dagster.config import scrub

Connection = adbc_postgresql.Connection
Cursor = adbc_postgresql.Cursor

# Types ADBC decodes to the Arrow type bronze keeps (udt names); arrays of them too.
NATIVE_TYPES = frozenset(
    "bool int2 int4 int8 oid float4 float8 text varchar bpchar char name bytea date "
    "timestamp timestamptz".split()
)
# Well below the driver's default of 16 MiB: several batches are in flight at once
# (the driver's, the converted one, the Delta writer's queue) and peak memory follows
# their size; smaller cost no measurable time (bench/bronze.py).
BATCH_BYTES = 2 * 1024 * 1024
SESSION_SETTINGS = (
    "SET TRANSACTION READ ONLY",
    "SET TimeZone = 'UTC'",
    "SET IntervalStyle = 'iso_8601'",
    "SET DateStyle = 'ISO'",
)
# PostgreSQL's earliest date and timestamp (4714-11-24 BC), in days and in
# microseconds since 1970: anything below is an infinity ADBC wrapped round.
_MIN_DAYS = -2_440_588
_MIN_MICROS = _MIN_DAYS * 86_400 * 1_000_000
_NUMERIC_SPECIAL = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}
_MAX_DECIMAL_PRECISION = 38


class SourceDataError(ValueError):
    """A source value has no bronze (Arrow/Delta) representation."""


def connect(source: str, url: str, connect_timeout: int = 10) -> Connection:
    """An ADBC connection to the PostgreSQL source (a transaction is open: ADBC
    starts without autocommit). A failure becomes a `SourceConnectionError`
    naming the source and host, never the password."""
    uri = libpq_url(url)
    if "connect_timeout" not in uri:
        separator = ("&" if "?" in uri else "?") if "://" in uri else " "
        uri = f"{uri}{separator}connect_timeout={connect_timeout}"
    try:
        return adbc_postgresql.connect(uri)
    except adbc_driver_manager.Error as error:
        password = _password(uri)
        detail = scrub(" ".join(str(error).split()), [password] if password else [])
        host = server_of(uri) or "a local socket"
        message = (
            f"source {source!r}: cannot connect to PostgreSQL at {host}: {detail}. "
            "Check that the server is running and reachable from this machine, and that "
            "the URL's environment variable holds the right user and password."
        )
    raise SourceConnectionError(message) from None


def prepare_session(cursor: Cursor) -> None:
    """A read-only transaction in UTC with ISO 8601 intervals and dates: the text
    forms bronze stores do not depend on the server's defaults."""
    for statement in SESSION_SETTINGS:
        cursor.execute(statement)


def text_columns(types: Mapping[str, str]) -> dict[str, str]:
    """The columns (name -> PostgreSQL udt name, as information_schema has it)
    to read as PostgreSQL's text form, by the type mapping in the module doc,
    with their types. Spatial columns are read as WKT instead: leave them out."""
    return {
        name: udt
        for name, udt in types.items()
        if udt != "numeric"
        and udt not in NATIVE_TYPES
        and udt.removeprefix("_") not in NATIVE_TYPES
    }


def stream_batches(
    cursor: Cursor, query: BoundQuery, fetch_size: int
) -> tuple[pa.Schema, Iterator[pa.RecordBatch]]:
    """Run `query`; the Arrow schema bronze stores for its result and an iterator
    of record batches of at most `fetch_size` rows. The reader is closed when the
    iterator is exhausted or closed."""
    cursor.adbc_statement.set_options(**{"adbc.postgresql.batch_size_hint_bytes": str(BATCH_BYTES)})
    cursor.execute(query.sql, parameters=query.params or None)
    reader = cursor.fetch_record_batch()
    columns = [_bronze_column(field) for field in reader.schema]
    schema = pa.schema([pa.field(c.name, c.type) for c in columns])

    def batches() -> Iterator[pa.RecordBatch]:
        try:
            for batch in reader:
                converted = pa.RecordBatch.from_arrays(
                    [c.convert(array) for c, array in zip(columns, batch.columns, strict=True)],
                    schema=schema,
                )
                for offset in range(0, converted.num_rows, fetch_size):
                    yield converted.slice(offset, fetch_size)
        finally:
            reader.close()

    return schema, batches()


@dataclass(frozen=True)
class _BronzeColumn:
    name: str
    type: pa.DataType
    convert: Callable[[pa.Array], pa.Array]


def _bronze_column(field: pa.Field) -> _BronzeColumn:
    """The Arrow type bronze keeps for one ADBC result column, and the conversion
    of ADBC's arrays to it (field metadata is dropped: bronze's schema is the
    types alone, as the Delta tables already written have it)."""
    metadata = field.metadata or {}
    pg_type = metadata.get(b"POSTGRESQL:type", b"").decode()
    name, kind = field.name, field.type
    if pg_type == "numeric":
        precision, scale = _numeric_typmod(int(metadata.get(b"POSTGRESQL:typmod", b"-1")))
        if precision is not None and precision <= _MAX_DECIMAL_PRECISION:
            decimal = pa.decimal128(precision, scale)
            return _BronzeColumn(name, decimal, lambda a: _checked_cast(a.storage, decimal, name))
        return _BronzeColumn(name, pa.string(), lambda a: _numeric_text(a.storage))
    if pg_type == "oid":
        return _BronzeColumn(name, pa.int64(), lambda a: a.view(pa.uint32()).cast(pa.int64()))
    if _is_opaque(kind):
        raise ValueError(
            f"column {name!r} (PostgreSQL {pg_type or 'unknown type'}) reaches the reader as "
            f"{kind}, which bronze has no mapping for; read it as text (CAST AS TEXT)"
        )
    plain = _plain(kind)
    if _holds_dates(plain):
        return _BronzeColumn(name, plain, lambda a: _finite(a.cast(plain), name))
    return _BronzeColumn(name, plain, lambda a: a.cast(plain))


def _numeric_typmod(typmod: int) -> tuple[int | None, int]:
    """(precision, scale) of `numeric(p,s)` from PostgreSQL's typmod; None when
    unconstrained (-1)."""
    if typmod < 4:
        return None, 0
    value = typmod - 4
    scale = value & 0xFFFF
    return value >> 16, scale - 0x10000 if scale & 0x8000 else scale


def _checked_cast(array: pa.Array, type: pa.DataType, name: str) -> pa.Array:
    try:
        return array.cast(type)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
        raise SourceDataError(
            f"column {name!r} does not convert to Arrow {type}: {error}"
        ) from None


def _numeric_text(array: pa.Array) -> pa.Array:
    """ADBC writes NaN/Infinity as `nan`/`inf`: back to PostgreSQL's spelling."""
    special = pc.is_in(array, value_set=pa.array(list(_NUMERIC_SPECIAL)))
    if not pc.any(special).as_py():
        return array
    return pa.array(
        [_NUMERIC_SPECIAL.get(value, value) for value in array.to_pylist()], pa.string()
    )


def _finite(array: pa.Array, name: str) -> pa.Array:
    """`array` unchanged, or `SourceDataError` when it holds an infinity."""
    values = array
    while pa.types.is_list(values.type):
        values = values.flatten()
    if len(values) == 0 or values.null_count == len(values):
        return array
    bound = _MIN_DAYS if pa.types.is_date32(values.type) else _MIN_MICROS
    as_int = values.view(pa.int32() if pa.types.is_date32(values.type) else pa.int64())
    if pc.min(as_int).as_py() < bound:
        raise SourceDataError(
            f"column {name!r} holds 'infinity' or '-infinity', which has no Arrow/Delta "
            f"{values.type} value; replace it at the source (or NULL it) and re-run"
        )
    return array


def _plain(kind: pa.DataType) -> pa.DataType:
    """`kind` without field metadata on list items."""
    if pa.types.is_list(kind):
        return pa.list_(_plain(kind.value_type))
    return kind


def _holds_dates(kind: pa.DataType) -> bool:
    while pa.types.is_list(kind):
        kind = kind.value_type
    return pa.types.is_timestamp(kind) or pa.types.is_date32(kind)


def _is_opaque(kind: pa.DataType) -> bool:
    while pa.types.is_list(kind):
        kind = kind.value_type
    return (
        isinstance(kind, pa.BaseExtensionType)
        or pa.types.is_interval(kind)
        or pa.types.is_time(kind)
    )


def _password(uri: str) -> str | None:
    try:
        return urlsplit(uri).password if "://" in uri else None
    except ValueError:
        return None
