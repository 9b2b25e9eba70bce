"""Bronze fixtures: the demo schema seeded once per session (small facts) and its
catalog, on the session's embedded PostgreSQL."""

from __future__ import annotations

import uuid

import pgserver
import psycopg
import pytest
from psycopg import sql

from lakebridge_dagster.catalog.model import SourceCatalog
from lakebridge_dagster.catalog.postgres import extract_postgres_catalog
from lakebridge_dagster.demo.seed import seed_demo

DEMO_FACT_ROWS = 2_000


@pytest.fixture(scope="session")
def demo_database(pg_server: pgserver.PostgresServer) -> str:
    """The URL of a database seeded with the demo schema (2,000 rows per fact table).
    Read it, never change it: tests that change data use `fresh_database`."""
    name = f"demo_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_server.get_uri("postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = pg_server.get_uri(name)
    with psycopg.connect(url) as conn:
        seed_demo(conn, fact_rows=DEMO_FACT_ROWS)
    return url


@pytest.fixture(scope="session")
def demo_catalog(demo_database: str) -> SourceCatalog:
    return extract_postgres_catalog("demo_timescale", demo_database, ["public"])
