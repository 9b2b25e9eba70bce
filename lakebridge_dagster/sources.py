"""A configured source: where it lives, how to reach it, how to catalog it.

Plain Python (no Dagster): `defs/resources.py` hands one `Source` per configured
source to the assets. The embedded demo PostgreSQL is started here, on demand,
by whichever process asks first (run worker, sensor, demo command); pgserver
stops it when the last process that asked has exited.

The bronze sensors and checks send small queries (`MAX(watermark)`,
`COUNT(*)`) through `Source` whatever the dialect: psycopg for `postgres`
sources, SQLAlchemy (the generic reader's engine) for `sqlserver` ones, whose
SQL follows the URL's scheme as the loader's does (`mssql+pyodbc://` -> T-SQL;
the tests point a `sqlserver` source at a `sqlite://` file to run this path).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from lakebridge_dagster.catalog.errors import SourceConnectionError
from lakebridge_dagster.catalog.model import SourceCatalog
from lakebridge_dagster.config import LakebridgeConfig, SourceConfig, scrub

if TYPE_CHECKING:
    import psycopg

    from lakebridge_dagster.bronze.query import BoundQuery, QueryDialect
    from lakebridge_dagster.bronze.registry import RegisteredTable

# A MAX over a column without an index scans the table: each query is bounded so
# one slow table fails alone instead of holding up a sensor tick.
QUERY_TIMEOUT_SECONDS = 10


class Source:
    """One configured source and the way to reach it."""

    def __init__(self, config: SourceConfig, settings: LakebridgeConfig) -> None:
        self.config = config
        self.settings = settings

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def output_dir(self) -> Path:
        return self.settings.source_dir(self.config)

    @property
    def catalog_path(self) -> Path:
        return self.settings.catalog_path(self.config)

    @property
    def assessment_dir(self) -> Path:
        return self.output_dir / "assessment"

    @property
    def registry_path(self) -> Path:
        return self.output_dir / "registry" / "table_registry.json"

    @property
    def target_catalog(self) -> str:
        return self.config.target.catalog or self.name

    @property
    def lakehouse(self) -> Path:
        return self.settings.lakehouse_dir(self.config)

    def bronze_path(self, target_table: str) -> Path:
        """`<lakehouse>/<catalog>/<schema>/<prefix><table>`: one bronze Delta table."""
        return self.lakehouse / self.target_catalog / self.config.target.schema_name / target_table

    @property
    def location(self) -> str:
        """Where the source is, safe to show: a redacted URL, the embedded data dir
        or the scripts folder."""
        if self.config.embedded is not None:
            return f"embedded PostgreSQL in {self.settings.embedded_data_dir(self.config)}"
        if self.config.path is not None:
            return str(self.config.path)
        return self.config.redacted_url() or "?"

    @cached_property
    def url(self) -> str:
        """The connection URL (a secret: never log it). Starting and seeding the
        embedded server on first use."""
        if self.config.embedded is not None:
            return _embedded_url(self.config, self.settings.embedded_data_dir(self.config))
        if self.config.url is None:
            raise SourceConnectionError(
                f"source {self.name!r} is a scripts folder; it has no database to connect to"
            )
        return self.config.url_secret()

    def connect(self) -> psycopg.Connection[Any]:
        """An autocommit psycopg connection (postgres sources only)."""
        from lakebridge_dagster.catalog.postgres import connect

        return connect(self.name, self.url)

    @property
    def has_bronze(self) -> bool:
        """Live sources load into bronze; a scripts folder has no rows to load."""
        return self.config.is_live

    @property
    def query_dialect(self) -> QueryDialect:
        """The dialect of the SQL bronze sends: `postgres`, or for a `sqlserver`
        source its URL's (`tsql`; `sqlite` for the tests' file database)."""
        if self.config.dialect == "postgres":
            return "postgres"
        if not self.has_bronze:
            raise SourceConnectionError(
                f"source {self.name!r} is a scripts folder; bronze needs a live source"
            )
        from lakebridge_dagster.bronze.load import dialect_of_url

        return dialect_of_url(self.url)

    def fetch_value(self, query: BoundQuery) -> Any:
        """The first column of the first row of `query` (None when no row)."""
        with self._session(QUERY_TIMEOUT_SECONDS) as run:
            return run(query)

    def read_max_watermarks(
        self, tables: Sequence[RegisteredTable], timeout_seconds: int = QUERY_TIMEOUT_SECONDS
    ) -> list[MaxWatermark]:
        """`MAX(watermark)` of each table (tables with a watermark only), as the
        driver returns it, on one read-only connection; each query is bounded by
        `timeout_seconds`. A failing query is reported in its reading and does
        not stop the others."""
        from lakebridge_dagster.bronze.query import max_watermark

        dialect = self.query_dialect
        readings: list[MaxWatermark] = []
        with self._session(timeout_seconds) as run:
            for table in tables:
                try:
                    value = run(max_watermark(table, dialect))
                except Exception as error:  # noqa: BLE001 - one table must not stop the others
                    readings.append(MaxWatermark(table, None, error))
                    continue
                readings.append(MaxWatermark(table, value, None))
        return readings

    @contextmanager
    def _session(self, timeout_seconds: int) -> Iterator[Callable[[BoundQuery], Any]]:
        """A read-only connection to the source, as a function that runs one
        bound query and returns its first value. After a failed query the
        connection is usable again (PostgreSQL: autocommit; SQLAlchemy: rolled back)."""
        if self.query_dialect == "postgres":
            with self.connect() as conn:
                conn.execute(
                    "SELECT set_config('statement_timeout', %s, false)", [f"{timeout_seconds}s"]
                )
                conn.execute("SET default_transaction_read_only = on")

                def run_postgres(query: BoundQuery) -> Any:
                    row = conn.execute(query.sql, query.params).fetchone()  # type: ignore[arg-type]
                    return None if row is None else next(iter(row.values()))

                yield run_postgres
            return
        with self._sqlalchemy_connection(timeout_seconds) as conn:
            dialect = self.query_dialect

            def run_sqlalchemy(query: BoundQuery) -> Any:
                from lakebridge_dagster.bronze.generic_reader import bind_watermark

                params = tuple(bind_watermark(value, dialect) for value in query.params)
                try:
                    return conn.exec_driver_sql(query.sql, params).scalar()
                except Exception:
                    conn.rollback()
                    raise

            yield run_sqlalchemy

    @contextmanager
    def _sqlalchemy_connection(self, timeout_seconds: int) -> Iterator[Any]:
        from sqlalchemy.exc import SQLAlchemyError

        from lakebridge_dagster.bronze.generic_reader import engine

        created = engine(self.url)
        try:
            try:
                conn = created.connect()
            except SQLAlchemyError as error:
                detail = scrub(str(getattr(error, "orig", None) or error), _password(self.url))
                raise SourceConnectionError(
                    f"source {self.name!r}: cannot connect to {self.location}: {detail}. Check "
                    "that the server is reachable and the URL's user and password are right."
                ) from None
            with conn:
                dbapi = conn.connection.dbapi_connection
                if hasattr(dbapi, "timeout"):  # pyodbc: the query timeout, in seconds
                    dbapi.timeout = timeout_seconds
                yield conn
        finally:
            created.dispose()

    def extract_catalog(self) -> CatalogExtraction:
        """Run the extractor for this source's dialect."""
        if self.config.dialect == "postgres":
            from lakebridge_dagster.catalog.postgres import extract_postgres_catalog

            catalog = extract_postgres_catalog(self.name, self.url, self.config.schemas)
            return CatalogExtraction(catalog, [])
        if self.config.dialect == "sqlserver":
            from lakebridge_dagster.catalog.sqlserver import extract_sqlserver_catalog

            catalog = extract_sqlserver_catalog(self.name, self.url, self.config.schemas)
            return CatalogExtraction(catalog, [])
        from lakebridge_dagster.catalog.scripts import extract_scripts

        assert self.config.path is not None
        catalog, unreadable = extract_scripts(self.name, self.config.path)
        return CatalogExtraction(catalog, [f"{where}: {why}" for where, why in unreadable])


class MaxWatermark(NamedTuple):
    """One table's `MAX(watermark)` as the source answered it, or why it did not."""

    table: RegisteredTable
    value: Any
    error: Exception | None


def _password(url: str) -> list[str]:
    from urllib.parse import urlsplit

    try:
        password = urlsplit(url).password
    except ValueError:
        return []
    return [password] if password else []


class CatalogExtraction(NamedTuple):
    """A catalog and what could not be read into it (scripts files or batches)."""

    catalog: SourceCatalog
    skipped: list[str]


def _embedded_url(config: SourceConfig, data_dir: Path) -> str:
    """Start (or attach to) the pgserver instance, create the database and seed it
    once; return a libpq URL for it."""
    import psycopg

    from lakebridge_dagster.demo.seed import seed_demo

    embedded = config.embedded
    assert embedded is not None
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers): harmless.
        warnings.simplefilter("ignore")
        import pgserver

        try:
            server = pgserver.get_server(data_dir)
        except Exception as error:  # pgserver raises bare subprocess/OS errors
            raise SourceConnectionError(
                f"source {config.name!r}: the embedded PostgreSQL in {data_dir} did not start "
                f"({type(error).__name__}: {error}). See {data_dir / 'log'}; if the folder is "
                "from another PostgreSQL version, delete it and run again."
            ) from error
    _EMBEDDED_SERVERS.append(server)  # keep the handle (and the server) alive
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [embedded.database]
        ).fetchone()
        if not exists:
            from psycopg import sql

            try:
                create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(embedded.database))
                admin.execute(create)
            except psycopg.errors.DuplicateDatabase:
                pass  # another process created it between our check and now
    url = server.get_uri(embedded.database)
    if embedded.seed == "demo":
        with psycopg.connect(url) as conn:
            seed_demo(conn, fact_rows=embedded.fact_rows)
    return url


_EMBEDDED_SERVERS: list[Any] = []
