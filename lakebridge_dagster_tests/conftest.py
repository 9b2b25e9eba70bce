"""Shared fixtures: one real embedded PostgreSQL (pgserver) for the whole session.

Tests get fresh databases on it so they never see each other's objects.
"""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pgserver
import psycopg
import pytest
from psycopg import sql


@pytest.fixture(scope="session")
def pg_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Short path: the server's unix socket lives near it (~107-byte limit).
    return tmp_path_factory.mktemp("pg")


@pytest.fixture(scope="session")
def pg_server(pg_data_dir: Path) -> Iterator[pgserver.PostgresServer]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        server = pgserver.get_server(pg_data_dir, cleanup_mode="stop")
    yield server


@pytest.fixture()
def fresh_database(pg_server: pgserver.PostgresServer) -> str:
    """The URL of a new, empty database on the session server."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server.get_uri("postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return pg_server.get_uri(name)
