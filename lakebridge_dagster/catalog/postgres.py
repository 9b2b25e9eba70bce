"""Live PostgreSQL / TimescaleDB catalog extractor (psycopg 3).

One set-based query per kind of object (the `.sql` files in
`queries/postgres/`), never one round trip per object; exact row counts are
taken in batches of `UNION ALL count(*)` queries for tables small enough to
count.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from lakebridge_dagster.catalog.errors import SourceConnectionError
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
    "tables",
    "columns",
    "indexes",
    "foreign_keys",
    "views",
    "routines",
    "triggers",
    "sequences",
)
# Tables estimated above this many rows keep the planner's estimate only:
# count(*) over a billion-row fact table is not a catalog query.
EXACT_COUNT_LIMIT = 10_000_000
_COUNT_BATCH = 500


def load_query(name: str) -> str:
    """The text of `queries/postgres/<name>.sql`."""
    return (
        resources.files("lakebridge_dagster.catalog")
        .joinpath("queries", "postgres", f"{name}.sql")
        .read_text(encoding="utf-8")
    )


def libpq_url(url: str) -> str:
    """Accept SQLAlchemy-style `postgresql+psycopg://` URLs as well as libpq ones."""
    scheme, sep, rest = url.partition("://")
    if sep and "+" in scheme:
        return f"{scheme.split('+', 1)[0]}://{rest}"
    return url


def server_of(url: str) -> str | None:
    """host[:port] of a connection URL (never user or password); None for sockets."""
    try:
        parts = urlsplit(libpq_url(url))
        host = parts.hostname
        port = parts.port
    except ValueError:
        return None
    if not host:
        return None
    return f"{host}:{port}" if port else host


def connect(source: str, url: str, connect_timeout: int = 10) -> psycopg.Connection[Any]:
    """Open an autocommit connection returning dict rows. A failure becomes an error
    that names the source and host and never carries the password (the driver's
    message is scrubbed and the original exception is not chained)."""
    url = libpq_url(url)
    try:
        return psycopg.connect(
            url, connect_timeout=connect_timeout, autocommit=True, row_factory=dict_row
        )
    except psycopg.Error as error:
        password = _password(url)
        detail = scrub(str(error).strip(), [password] if password else [])
        host = server_of(url) or "a local socket"
        message = (
            f"source {source!r}: cannot connect to PostgreSQL at {host}: {detail}. "
            "Check that the server is running and reachable from this machine, and that "
            "the URL's environment variable holds the right user and password."
        )
    raise SourceConnectionError(message) from None


def extract_postgres_catalog(
    source: str, url: str, schemas: list[str] | None = None
) -> SourceCatalog:
    """Extract every table, view, routine, trigger and sequence in `schemas`
    (default: public) of the database at `url`."""
    schemas = schemas or ["public"]
    with connect(source, url) as conn:
        database = conn.info.dbname
        rows = {
            name: conn.execute(load_query(name), {"schemas": schemas}).fetchall()
            for name in QUERY_NAMES
        }
        counts = exact_row_counts(conn, rows["tables"])
    catalog = catalog_from_rows(source, database, server_of(url), rows)
    for table in catalog.of_type(ObjectType.TABLE):
        table.row_count = counts.get((table.schema_name, table.name), table.row_count_estimate)
    return catalog


def exact_row_counts(
    conn: psycopg.Connection[Any], tables: list[dict[str, Any]]
) -> dict[tuple[str, str], int]:
    """count(*) for each table small enough to count, in batched UNION ALL queries
    with quoted identifiers (one round trip per batch, not per table)."""
    countable = [
        t for t in tables if t["row_estimate"] is None or t["row_estimate"] <= EXACT_COUNT_LIMIT
    ]
    counts: dict[tuple[str, str], int] = {}
    for start in range(0, len(countable), _COUNT_BATCH):
        batch = countable[start : start + _COUNT_BATCH]
        query = sql.SQL(" UNION ALL ").join(
            sql.SQL("SELECT {} AS i, count(*) AS n FROM {}").format(
                sql.Literal(i), sql.Identifier(t["schema"], t["name"])
            )
            for i, t in enumerate(batch)
        )
        for row in conn.execute(query).fetchall():
            table = batch[row["i"]]
            counts[(table["schema"], table["name"])] = row["n"]
    return counts


def catalog_from_rows(
    source: str, database: str | None, server: str | None, rows: dict[str, list[dict[str, Any]]]
) -> SourceCatalog:
    """Pure mapping of the catalog queries' result rows to a `SourceCatalog`."""
    columns: dict[tuple[str, str], list[Column]] = defaultdict(list)
    for row in rows["columns"]:
        columns[(row["schema"], row["table_name"])].append(
            Column(
                name=row["name"],
                data_type=row["data_type"],
                nullable=row["nullable"],
                ordinal=row["ordinal"],
                default=row["default"],
                is_identity=row["is_identity"],
                is_computed=row["is_computed"],
            )
        )
    indexes: dict[tuple[str, str], list[Index]] = defaultdict(list)
    for row in rows["indexes"]:
        indexes[(row["schema"], row["table_name"])].append(
            Index(
                name=row["name"],
                columns=list(row["columns"]),
                unique=row["unique"],
                primary=row["primary"],
                kind=row["kind"],
            )
        )
    foreign_keys: dict[tuple[str, str], list[ForeignKey]] = defaultdict(list)
    for row in rows["foreign_keys"]:
        foreign_keys[(row["schema"], row["table_name"])].append(
            ForeignKey(
                name=row["name"],
                columns=list(row["columns"]),
                referenced_schema=row["referenced_schema"],
                referenced_table=row["referenced_table"],
                referenced_columns=list(row["referenced_columns"]),
            )
        )

    objects: list[CatalogObject] = []
    for row in rows["tables"]:
        key = (row["schema"], row["name"])
        table_indexes = indexes.get(key, [])
        primary = next((ix for ix in table_indexes if ix.primary), None)
        objects.append(
            CatalogObject(
                schema=row["schema"],
                name=row["name"],
                type=ObjectType.TABLE,
                columns=columns.get(key, []),
                primary_key=primary.columns if primary else [],
                indexes=table_indexes,
                foreign_keys=foreign_keys.get(key, []),
                row_count_estimate=row["row_estimate"] if row["row_estimate"] >= 0 else None,
                size_bytes=row["size_bytes"],
            )
        )
    for row in rows["views"]:
        objects.append(
            CatalogObject(
                schema=row["schema"],
                name=row["name"],
                type=ObjectType.VIEW,
                definition=row["definition"],
                columns=columns.get((row["schema"], row["name"]), []),
            )
        )
    # Overloaded routines share a name; the argument list tells them apart.
    overloads = Counter((row["schema"], row["name"]) for row in rows["routines"])
    for row in rows["routines"]:
        overloaded = overloads[(row["schema"], row["name"])] > 1
        objects.append(
            CatalogObject(
                schema=row["schema"],
                name=f"{row['name']}({row['arguments']})" if overloaded else row["name"],
                type=ObjectType(row["type"]),
                definition=row["definition"],
                language=row["language"],
            )
        )
    for row in rows["triggers"]:
        objects.append(
            CatalogObject(
                schema=row["schema"],
                name=row["name"],
                type=ObjectType.TRIGGER,
                definition=row["definition"],
                parent=row["parent"],
            )
        )
    for row in rows["sequences"]:
        objects.append(
            CatalogObject(
                schema=row["schema"],
                name=row["name"],
                type=ObjectType.SEQUENCE,
                definition=row["definition"],
            )
        )
    return SourceCatalog(
        source=source, dialect="postgres", database=database, server=server, objects=objects
    )


def _password(url: str) -> str | None:
    try:
        return urlsplit(url).password
    except ValueError:
        return None
