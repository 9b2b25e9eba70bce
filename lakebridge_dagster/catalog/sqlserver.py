"""Live SQL Server catalog extractor (SQLAlchemy + pyodbc).

One set-based query per kind of object (the `.sql` files in
`queries/sqlserver/`), never one round trip per object. The queries take no
parameters: the schema filter is applied in Python, case-insensitively as
SQL Server's default collations compare names, so every query is a plain
SELECT any driver runs as is and no value is ever pasted into SQL.

Choices the catalog makes:

- A `timestamp` column is reported as `rowversion`: both names are the same
  type, `timestamp` is the deprecated one, and it means a date-time everywhere
  else (Databricks included), which would mislead every later stage.
- An alias type (`CREATE TYPE dbo.Phone FROM nvarchar(20)`) is reported by its
  own name, as its columns are declared.
- `row_count` and `row_count_estimate` both hold `sys.partitions.rows` of the
  heap or clustered index: the storage engine keeps it per partition (no
  sampling, no ANALYZE), so it matches `COUNT(*)` over committed rows, but
  Microsoft documents it as approximate (in-flight transactions, rare
  drift), so consumers that want an estimate find one too.
- `size_bytes` is every page reserved by the table and its indexes, LOB and
  row-overflow pages included (what `sp_spaceused` calls reserved).
- A column default is the text SQL Server stores, e.g. `((0))`.
- Routines and triggers carry `language` "tsql", or "clr" for CLR objects,
  whose code lives in an assembly and has no `definition`.

The catalog views show a login only what it may see: without VIEW DEFINITION
on the database (GRANT VIEW DEFINITION TO <user>) objects are missing and
definitions are NULL, without an error. So are WITH ENCRYPTION modules.

Rows are dicts as pyodbc returns them: `bit` as bool, `decimal` as Decimal,
everything else as int or str; the mapping also accepts 0/1 for bits and
ints for decimals, as recorded JSON rows hold them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from importlib import resources
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from sqlalchemy import create_engine
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.pool import NullPool
from sqlglot import exp

from lakebridge_dagster.catalog.errors import CatalogError, SourceConnectionError
from lakebridge_dagster.catalog.model import (
    CatalogObject,
    Column,
    ForeignKey,
    Index,
    ObjectType,
    SourceCatalog,
)
from lakebridge_dagster.config import scrub

QUERY_NAMES = (
    "objects",
    "columns",
    "primary_keys_and_indexes",
    "foreign_keys",
    "table_sizes",
    "sequences",
)

# sys.objects.type codes the objects query selects.
_OBJECT_TYPES = {
    "U": ObjectType.TABLE,
    "V": ObjectType.VIEW,
    "P": ObjectType.PROCEDURE,
    "PC": ObjectType.PROCEDURE,
    "FN": ObjectType.FUNCTION,
    "IF": ObjectType.FUNCTION,
    "TF": ObjectType.FUNCTION,
    "FS": ObjectType.FUNCTION,
    "FT": ObjectType.FUNCTION,
    "TR": ObjectType.TRIGGER,
    "TA": ObjectType.TRIGGER,
    "SO": ObjectType.SEQUENCE,
}
_CLR_CODES = frozenset({"PC", "FS", "FT", "TA"})
_ROUTINES = frozenset({ObjectType.PROCEDURE, ObjectType.FUNCTION, ObjectType.TRIGGER})

_BYTE_LENGTH_TYPES = frozenset({"binary", "char", "varbinary", "varchar"})
# max_length counts bytes: two per character for these.
_UNICODE_LENGTH_TYPES = frozenset({"nchar", "nvarchar"})
_EXACT_NUMERIC_TYPES = frozenset({"decimal", "numeric"})
_FRACTIONAL_SECOND_TYPES = frozenset({"datetime2", "datetimeoffset", "time"})
_RENAMED_TYPES = {"timestamp": "rowversion"}

_DRIVER = "ODBC Driver 18 for SQL Server"

TableKey = tuple[str, str]


class _TableDetails(NamedTuple):
    columns: dict[TableKey, list[Column]]
    indexes: dict[TableKey, list[Index]]
    foreign_keys: dict[TableKey, list[ForeignKey]]
    sizes: dict[TableKey, dict[str, Any]]
    sequences: dict[TableKey, dict[str, Any]]


def load_query(name: str) -> str:
    """The text of `queries/sqlserver/<name>.sql`."""
    return (
        resources.files("lakebridge_dagster.catalog")
        .joinpath("queries")
        .joinpath("sqlserver")
        .joinpath(f"{name}.sql")
        .read_text(encoding="utf-8")
    )


def extract_sqlserver_catalog(source: str, url: str, schemas: list[str] | None) -> SourceCatalog:
    """Extract every user table, view, routine, trigger and sequence in `schemas`
    (default: all schemas) of the SQL Server database at `url`, an
    `mssql+pyodbc://` SQLAlchemy URL."""
    database, server = _location(source, url)
    where = server or "the host in its url"
    with _connect(source, url, where) as connection:
        rows = {name: _run_query(connection, source, where, url, name) for name in QUERY_NAMES}
    return catalog_from_rows(source, database, server, rows, schemas)


def catalog_from_rows(
    source: str,
    database: str | None,
    server: str | None,
    rows: dict[str, list[dict[str, Any]]],
    schemas: list[str] | None = None,
) -> SourceCatalog:
    """Pure mapping of the catalog queries' result rows (keyed by query name, see
    `QUERY_NAMES`) to a `SourceCatalog`, keeping only objects in `schemas`
    (compared case-insensitively; None or empty keeps every schema)."""
    wanted = _schema_filter(schemas)
    details = _TableDetails(
        columns=_columns_by_table(rows["columns"]),
        indexes=_indexes_by_table(rows["primary_keys_and_indexes"]),
        foreign_keys=_foreign_keys_by_table(rows["foreign_keys"]),
        sizes=_by_key(rows["table_sizes"], "table_name"),
        sequences=_by_key(rows["sequences"], "sequence_name"),
    )
    objects = [
        _catalog_object(source, row, details)
        for row in rows["objects"]
        if wanted(row["schema_name"])
    ]
    return SourceCatalog(
        source=source,
        dialect="sqlserver",
        database=database,
        server=server,
        objects=objects,
        alias_types=_alias_types(rows["columns"]),
    )


def _alias_types(rows: list[dict[str, Any]]) -> dict[str, str]:
    """Alias type name (lower case) -> its base type as T-SQL writes it, from the
    columns that use one (the column's length, precision and scale are the
    alias's own)."""
    return {
        row["type_name"].lower(): _data_type(
            {**row, "type_name": row["base_type_name"], "is_user_defined": False}
        )
        for row in rows
        if row["is_user_defined"] and row.get("base_type_name")
    }


def _location(source: str, url: str) -> tuple[str | None, str | None]:
    """(database, host[:port]) of a SQLAlchemy URL; never user or password."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        parsed = None
    if parsed is None:
        # The parse error quotes the whole URL, password included: say why without it.
        raise SourceConnectionError(
            f"source {source!r}: the url is not a SQLAlchemy URL; write it as "
            f"mssql+pyodbc://USER:PASSWORD@HOST:1433/DATABASE?driver={_DRIVER.replace(' ', '+')}"
        )
    if not parsed.host:
        return parsed.database, None
    server = f"{parsed.host}:{parsed.port}" if parsed.port else parsed.host
    return parsed.database, server


def _connect(source: str, url: str, where: str) -> Connection:
    """An open connection, or a SourceConnectionError that names the source, the
    host (`where`) and the fix and carries no credentials: the driver's message is
    scrubbed and raised outside the `except` block, so no original exception is
    chained."""
    try:
        # One extraction, a handful of queries: no pool to keep alive afterwards.
        return create_engine(url, poolclass=NullPool).connect()
    except ImportError as error:
        # pyodbc is a C extension linked against unixODBC's libodbc.so.2.
        message = (
            f"source {source!r}: cannot connect to SQL Server at {where}: pyodbc cannot be "
            f"loaded ({_scrubbed(error, url)}). Install unixODBC (`apt-get install unixodbc`) "
            f"and the Microsoft ODBC driver ({_DRIVER!r}, package msodbcsql18), then retry."
        )
    except SQLAlchemyError as error:
        message = (
            f"source {source!r}: cannot connect to SQL Server at {where}: "
            f"{_scrubbed(error, url)}. Check that the server is reachable from this machine "
            "(host, port, firewall), that the ODBC driver named by driver= in the url is "
            f"installed (e.g. {_DRIVER!r}; `odbcinst -q -d` lists the installed ones), and "
            "that the environment variable holding the url (e.g. SQLSERVER_URL) has the right "
            "user and password; for a server with a self-signed certificate add "
            "TrustServerCertificate=yes to the url."
        )
    raise SourceConnectionError(message)


def _run_query(
    connection: Connection, source: str, where: str, url: str, name: str
) -> list[dict[str, Any]]:
    """The rows of one catalog query, as plain dicts keyed by column alias."""
    try:
        result = connection.exec_driver_sql(load_query(name))
        return [dict(row) for row in result.mappings()]
    except DBAPIError as error:
        message = (
            f"source {source!r}: catalog query {name}.sql failed on {where}: "
            f"{_scrubbed(error, url)}. The catalog views it reads exist from SQL Server 2012 "
            "on (sys.sequences is the newest); if the connection dropped, re-materialize "
            "the source_catalog asset."
        )
    raise CatalogError(message)


def _scrubbed(error: BaseException, url: str) -> str:
    """The driver's own message (not SQLAlchemy's wrapper) with the password removed."""
    text = str(getattr(error, "orig", None) or error).strip()
    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    return scrub(text, [password] if password else [])


def _schema_filter(schemas: list[str] | None) -> Callable[[str], bool]:
    if not schemas:
        return lambda schema: True
    wanted = {schema.casefold() for schema in schemas}
    return lambda schema: schema.casefold() in wanted


def _catalog_object(source: str, row: dict[str, Any], details: _TableDetails) -> CatalogObject:
    code = row["object_type"]
    key = (row["schema_name"], row["object_name"])
    if code not in _OBJECT_TYPES:
        raise CatalogError(
            f"source {source!r}: {key[0]}.{key[1]} has sys.objects type {code!r}, which the "
            "SQL Server extractor does not map; objects.sql and the extractor disagree, "
            "fix objects.sql's type list"
        )
    object_type = _OBJECT_TYPES[code]
    fields: dict[str, Any] = {"definition": row["definition"]}
    if object_type in _ROUTINES:
        fields["language"] = "clr" if code in _CLR_CODES else "tsql"
    if object_type is ObjectType.TABLE:
        fields.update(_table_fields(key, details))
    elif object_type is ObjectType.TRIGGER and row["parent_name"] is not None:
        fields["parent"] = f"{row['parent_schema']}.{row['parent_name']}"
    elif object_type is ObjectType.SEQUENCE and key in details.sequences:
        fields["definition"] = _sequence_definition(key, details.sequences[key])
    return CatalogObject(schema=key[0], name=key[1], type=object_type, **fields)


def _table_fields(key: TableKey, details: _TableDetails) -> dict[str, Any]:
    indexes = details.indexes.get(key, [])
    primary = next((index for index in indexes if index.primary), None)
    size = details.sizes.get(key, {})
    return {
        "columns": details.columns.get(key, []),
        "primary_key": list(primary.columns) if primary else [],
        "indexes": indexes,
        "foreign_keys": details.foreign_keys.get(key, []),
        "row_count": size.get("row_count"),
        "row_count_estimate": size.get("row_count"),
        "size_bytes": size.get("size_bytes"),
    }


def _by_key(rows: Iterable[dict[str, Any]], name_column: str) -> dict[TableKey, dict[str, Any]]:
    return {(row["schema_name"], row[name_column]): row for row in rows}


def _grouped(
    rows: Iterable[dict[str, Any]], *columns: str
) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    """Rows grouped by the values of `columns`, groups and rows in input order."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[tuple(row[column] for column in columns)].append(row)
    return groups


def _columns_by_table(rows: list[dict[str, Any]]) -> dict[TableKey, list[Column]]:
    # Ordinals are positions in column_id order: column_ids keep gaps of dropped columns.
    return {
        key: [
            Column(
                name=row["column_name"],
                data_type=_data_type(row),
                nullable=bool(row["is_nullable"]),
                ordinal=position,
                default=row["default_definition"],
                is_identity=bool(row["is_identity"]),
                is_computed=bool(row["is_computed"]),
            )
            for position, row in enumerate(
                sorted(table_rows, key=lambda r: r["column_id"]), start=1
            )
        ]
        for key, table_rows in _grouped(rows, "schema_name", "table_name").items()
    }


def _indexes_by_table(rows: list[dict[str, Any]]) -> dict[TableKey, list[Index]]:
    indexes: dict[TableKey, list[Index]] = defaultdict(list)
    by_index = _grouped(rows, "schema_name", "table_name", "index_id")
    for (schema, table, _), index_rows in sorted(by_index.items(), key=lambda item: item[0]):
        # Columnstore indexes have no key order (key_ordinal 0): the stable sort
        # keeps the query's index_column_id order for them.
        ordered = sorted(index_rows, key=lambda r: r["key_ordinal"])
        first = ordered[0]
        indexes[(schema, table)].append(
            Index(
                name=first["index_name"],
                columns=[row["column_name"] for row in ordered],
                unique=bool(first["is_unique"]),
                primary=bool(first["is_primary_key"]),
                kind=first["type_desc"],
            )
        )
    return indexes


def _foreign_keys_by_table(rows: list[dict[str, Any]]) -> dict[TableKey, list[ForeignKey]]:
    foreign_keys: dict[TableKey, list[ForeignKey]] = defaultdict(list)
    by_constraint = _grouped(rows, "schema_name", "table_name", "constraint_name")
    for (schema, table, name), fk_rows in by_constraint.items():
        ordered = sorted(fk_rows, key=lambda r: r["constraint_column_id"])
        foreign_keys[(schema, table)].append(
            ForeignKey(
                name=name,
                columns=[row["column_name"] for row in ordered],
                referenced_schema=ordered[0]["referenced_schema"],
                referenced_table=ordered[0]["referenced_table"],
                referenced_columns=[row["referenced_column"] for row in ordered],
            )
        )
    return foreign_keys


def _data_type(row: dict[str, Any]) -> str:
    """The type as SQL Server writes it in DDL, from sys.types' name and the
    column's (or sequence's) max_length in bytes, precision and scale."""
    name = row["type_name"]
    if row["is_user_defined"]:
        return name
    if name in _BYTE_LENGTH_TYPES or name in _UNICODE_LENGTH_TYPES:
        length = row["max_length"]
        if length == -1:
            return f"{name}(max)"
        return f"{name}({length // 2 if name in _UNICODE_LENGTH_TYPES else length})"
    if name in _EXACT_NUMERIC_TYPES:
        return f"{name}({row['precision']},{row['scale']})"
    if name in _FRACTIONAL_SECOND_TYPES:
        return f"{name}({row['scale']})"
    return _RENAMED_TYPES.get(name, name)


def _sequence_definition(key: TableKey, row: dict[str, Any]) -> str:
    """A CREATE SEQUENCE statement that recreates the sequence from its metadata."""
    if not row["is_cached"]:
        cache = "NO CACHE"
    elif row["cache_size"] is None:
        cache = "CACHE"  # the server's default cache size
    else:
        cache = f"CACHE {row['cache_size']}"
    name = exp.table_(key[1], db=key[0], quoted=True).sql("tsql")
    return (
        f"CREATE SEQUENCE {name} AS {_data_type(row)}"
        f" START WITH {int(row['start_value'])} INCREMENT BY {int(row['increment'])}"
        f" MINVALUE {int(row['minimum_value'])} MAXVALUE {int(row['maximum_value'])}"
        f" {'CYCLE' if row['is_cycling'] else 'NO CYCLE'} {cache}"
    )
