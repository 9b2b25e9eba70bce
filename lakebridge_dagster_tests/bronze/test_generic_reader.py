"""The generic (SQLAlchemy) reader and load on a real SQLite file database into
real Delta tables.

The SQLite tables declare SQL Server type names (`DATETIME2`, `DECIMAL(12,2)`,
`UNIQUEIDENTIFIER`, `BIT`, `VARBINARY`, ...), which SQLite accepts as written:
the type mapping, the fixed schema, streaming and the shared Delta write,
MERGE and watermark code run for real; the SQL sent is the `sqlite` dialect's,
not T-SQL (that is covered by test_query.py only: no SQL Server here).
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
import sqlalchemy as sa
from deltalake import DeltaTable

from lakebridge_dagster.bronze import generic_reader
from lakebridge_dagster.bronze.load import (
    LOADED_AT,
    dialect_of_url,
    load_table,
)
from lakebridge_dagster.bronze.query import select_rows
from lakebridge_dagster.bronze.registry import RegisteredTable, TableRegistry, derive_registry
from lakebridge_dagster.bronze.watermarks import WatermarkStore
from lakebridge_dagster.catalog.model import CatalogObject, Column, ObjectType, SourceCatalog
from lakebridge_dagster.config import SourceConfig

SYSTEM = "shop"
T0 = datetime(2024, 1, 1)

# (column, SQL Server type, nullable)
COLUMNS = [
    ("Id", "int", False),
    ("Name", "nvarchar", True),
    ("Price", "decimal(12,2)", True),
    ("Active", "bit", True),
    ("Badge", "uniqueidentifier", True),
    ("Blob", "varbinary", True),
    ("Born", "date", True),
    ("Seen", "datetimeoffset", True),
    ("Notes", "xml", True),
    ("CreatedAt", "datetime2", False),
    ("UpdatedAt", "datetime2", True),
]
DDL = (
    'CREATE TABLE "Item" ('
    + ", ".join(
        f'"{name}" {data_type.upper()}{"" if nullable else " NOT NULL"}'
        for name, data_type, nullable in COLUMNS
    )
    + ', PRIMARY KEY ("Id"))'
)


def registry(fetch_size: int | None = None) -> TableRegistry:
    """The registry derive_registry makes of a hand-made SQL Server catalog of `Item`."""
    item = CatalogObject(
        schema="main",
        name="Item",
        type=ObjectType.TABLE,
        columns=[
            Column(name=name, data_type=data_type, nullable=nullable, ordinal=i)
            for i, (name, data_type, nullable) in enumerate(COLUMNS, start=1)
        ],
        primary_key=["Id"],
        row_count=10,
    )
    catalog = SourceCatalog(source=SYSTEM, dialect="sqlserver", objects=[item])
    tables = {"Item": {"fetch_size": fetch_size}} if fetch_size else {}
    source = SourceConfig.model_validate(
        {"name": SYSTEM, "dialect": "sqlserver", "url": "mssql+pyodbc://u@h/d", "tables": tables}
    )
    return derive_registry(catalog, source)


def item(fetch_size: int | None = None) -> RegisteredTable:
    return registry(fetch_size).table("Item")


def row(i: int, **changes: Any) -> tuple[Any, ...]:
    values = {
        "Id": i,
        "Name": f"item {i}",
        "Price": i * 1.25,
        "Active": i % 2,
        "Badge": f"6f9619ff-8b86-d011-b42d-00c04fc9{i:04d}",
        "Blob": bytes([i % 256, 1]),
        "Born": "2000-01-02",
        "Seen": "2024-01-01 12:00:00+02:00",
        "Notes": "<a/>",
        "CreatedAt": (T0 + timedelta(hours=i)).isoformat(sep=" "),
        "UpdatedAt": None,
    }
    values.update(changes)
    return tuple(values[name] for name, _, _ in COLUMNS)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "shop.db"
    with sqlite3.connect(path) as conn:
        conn.execute(DDL)
        conn.executemany(
            f"INSERT INTO Item VALUES ({', '.join('?' * len(COLUMNS))})",
            [row(i) for i in range(1, 11)],
        )
    return path


def url(path: Path) -> str:
    return f"sqlite:///{path}"


def execute(path: Path, statement: str, params: Any = ()) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(statement, params)


def bronze(target: Path) -> list[dict[str, Any]]:
    table = DeltaTable(str(target)).to_pyarrow_table().drop_columns([LOADED_AT])
    return sorted(table.to_pylist(), key=lambda r: r["Id"])


def test_the_registry_is_a_sqlserver_one() -> None:
    table = item()
    assert table.watermark is not None
    assert (table.watermark.kind, table.watermark.columns, table.watermark.type) == (
        "greatest",
        ["CreatedAt", "UpdatedAt"],
        "timestamp",
    )


@pytest.mark.parametrize(
    ("source_url", "dialect"),
    [
        ("postgresql://u@h/d", "postgres"),
        ("postgresql+psycopg://u@h/d", "postgres"),
        ("host=h dbname=d", "postgres"),
        ("mssql+pyodbc://u:p@h/d?driver=ODBC+Driver+18+for+SQL+Server", "tsql"),
        ("sqlite:///x.db", "sqlite"),
    ],
)
def test_dialect_of_url(source_url: str, dialect: str) -> None:
    assert dialect_of_url(source_url) == dialect


def test_dialect_of_an_unknown_scheme_fails_clearly() -> None:
    with pytest.raises(ValueError, match="not mysql://; pass `dialect`"):
        dialect_of_url("mysql://u@h/d")


@pytest.mark.parametrize(
    ("source_type", "arrow"),
    [
        ("int", pa.int64()),
        ("BIGINT", pa.int64()),
        ("tinyint", pa.int64()),
        ("INTEGER", pa.int64()),
        ("float", pa.float64()),
        ("REAL", pa.float64()),
        ("decimal(12,2)", pa.decimal128(12, 2)),
        ("NUMERIC(38, 0)", pa.decimal128(38, 0)),
        ("decimal", pa.string()),
        ("money", pa.string()),
        ("bit", pa.bool_()),
        ("BOOLEAN", pa.bool_()),
        ("nvarchar", pa.string()),
        ("VARCHAR(50)", pa.string()),
        ("TEXT", pa.string()),
        ("date", pa.date32()),
        ("datetime", pa.timestamp("us")),
        ("datetime2", pa.timestamp("us")),
        ("smalldatetime", pa.timestamp("us")),
        ("datetimeoffset", pa.timestamp("us", tz="UTC")),
        ("uniqueidentifier", pa.string()),
        ("varbinary", pa.binary()),
        ("VARBINARY(16)", pa.binary()),
        ("BLOB", pa.binary()),
        ("xml", pa.string()),
        ("hierarchyid", pa.string()),
        ("", pa.string()),
    ],
)
def test_arrow_type(source_type: str, arrow: pa.DataType) -> None:
    assert generic_reader.arrow_type(source_type) == arrow


def test_datetimeoffset_as_pyodbc_hands_it_over() -> None:
    import struct

    raw = struct.pack("<6hI2h", 2024, 1, 2, 3, 4, 5, 123_456_000, -5, -30)
    assert generic_reader.datetimeoffset(raw) == datetime(
        2024, 1, 2, 3, 4, 5, 123_456, tzinfo=timezone(-timedelta(hours=5, minutes=30))
    )


def test_first_load_reads_every_row_with_the_mapped_types(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "bronze" / "item"
    store = WatermarkStore(tmp_path / "_watermarks")
    result = load_table(item(), url(source), target, store, source_system=SYSTEM)
    assert (result.status, result.mode, result.rows_read, result.rows_inserted) == (
        "success",
        "full",
        10,
        10,
    )
    assert result.watermark_after == datetime(2024, 1, 1, 10, tzinfo=UTC)
    rows = bronze(target)
    assert rows[0] == {
        "Id": 1,
        "Name": "item 1",
        "Price": Decimal("1.25"),
        "Active": True,
        "Badge": "6f9619ff-8b86-d011-b42d-00c04fc90001",
        "Blob": b"\x01\x01",
        "Born": date(2000, 1, 2),
        "Seen": datetime(2024, 1, 1, 10, tzinfo=UTC),
        "Notes": "<a/>",
        "CreatedAt": datetime(2024, 1, 1, 1),
        "UpdatedAt": None,
        "_watermark": datetime(2024, 1, 1, 1, tzinfo=UTC),
        "_source_system": SYSTEM,
        "_source_table": "main.Item",
    }
    assert rows[1]["Price"] == Decimal("2.50") and rows[1]["Active"] is False


def test_incremental_load_merges_only_changed_rows(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "bronze" / "item"
    store = WatermarkStore(tmp_path / "_watermarks")
    load_table(item(), url(source), target, store, source_system=SYSTEM)
    execute(
        source, "UPDATE Item SET Name = 'renamed', UpdatedAt = '2024-02-01 00:00:00' WHERE Id = 3"
    )
    execute(
        source,
        "INSERT INTO Item VALUES (" + ", ".join("?" * len(COLUMNS)) + ")",
        row(11, CreatedAt="2024-02-02 00:00:00"),
    )

    result = load_table(item(), url(source), target, store, source_system=SYSTEM)

    assert (result.status, result.mode, result.rows_read) == ("success", "incremental", 2)
    assert (result.rows_inserted, result.rows_updated) == (1, 1)
    assert result.watermark_after == datetime(2024, 2, 2, tzinfo=UTC)
    rows = bronze(target)
    assert [r["Id"] for r in rows] == list(range(1, 12))  # no duplicate key
    assert rows[2]["Name"] == "renamed"
    assert rows[2]["UpdatedAt"] == datetime(2024, 2, 1)
    again = load_table(item(), url(source), target, store, source_system=SYSTEM)
    assert (again.status, again.rows_read) == ("skipped", 0)


def test_batches_keep_one_schema_when_a_column_is_null_in_a_whole_batch(
    tmp_path: Path,
) -> None:
    path = tmp_path / "nulls.db"
    with sqlite3.connect(path) as conn:
        conn.execute(DDL)
        # Rows 1-100 have no Price, Badge, Blob, Seen at all: the first batch is all NULL.
        conn.executemany(
            f"INSERT INTO Item VALUES ({', '.join('?' * len(COLUMNS))})",
            [
                row(i, Price=None, Badge=None, Blob=None, Seen=None, Active=None)
                if i <= 100
                else row(i)
                for i in range(1, 251)
            ],
        )
    table = item(fetch_size=100)
    names = [name for name, _, _ in COLUMNS]
    schema = pa.schema(
        [pa.field(n, generic_reader.arrow_type(t)) for n, t, _ in COLUMNS]
        + [pa.field("_watermark", pa.timestamp("us", tz="UTC"))]
    )
    engine = generic_reader.engine(url(path))
    with engine.connect() as conn:
        batches = list(
            generic_reader.stream_rows(conn, select_rows(table, "sqlite", names), schema, 100)
        )
    engine.dispose()
    assert [b.num_rows for b in batches] == [100, 100, 50]
    assert all(b.schema == schema for b in batches)
    assert batches[0].column("Price").null_count == 100

    target = tmp_path / "bronze" / "nulls"
    store = WatermarkStore(tmp_path / "_watermarks")
    result = load_table(table, url(path), target, store, source_system=SYSTEM)
    assert result.rows_read == 250
    delta = DeltaTable(str(target)).to_pyarrow_table()
    assert delta.schema.field("Price").type == pa.decimal128(12, 2)
    assert delta.schema.field("Seen").type == pa.timestamp("us", tz="UTC")


def test_an_injection_looking_value_stays_a_bound_parameter(source: Path, tmp_path: Path) -> None:
    evil = "x'); DROP TABLE Item; --"
    execute(source, "UPDATE Item SET Name = ? WHERE Id = 1", (evil,))
    target = tmp_path / "bronze" / "item"
    store = WatermarkStore(tmp_path / "_watermarks")
    load_table(item(), url(source), target, store, source_system=SYSTEM)
    assert bronze(target)[0]["Name"] == evil

    table = item()
    query = select_rows(table, "sqlite", [n for n, _, _ in COLUMNS], (), evil)
    assert evil not in query.sql and query.params == (evil, evil)
    engine = generic_reader.engine(url(source))
    with engine.connect() as conn:
        schema = pa.schema([pa.field(n, generic_reader.arrow_type(t)) for n, t, _ in COLUMNS])
        schema = schema.append(pa.field("_watermark", pa.timestamp("us", tz="UTC")))
        list(generic_reader.stream_rows(conn, query, schema, 10))
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM Item").scalar() == 10
    engine.dispose()


def test_a_missing_table_fails_clearly(source: Path, tmp_path: Path) -> None:
    execute(source, "DROP TABLE Item")
    store = WatermarkStore(tmp_path / "_watermarks")
    with pytest.raises(Exception, match="the source has no table main.Item"):
        load_table(item(), url(source), tmp_path / "b", store, source_system=SYSTEM)
    state = store.get(SYSTEM, "main", "Item")
    assert state is not None and state.last_load_status == "failed"


def test_a_large_table_streams_one_batch_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.db"
    rows = 200_000
    with sqlite3.connect(path) as conn:
        conn.execute(DDL)
        conn.execute(
            "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < ?) "
            "INSERT INTO Item SELECT i, 'item ' || i, i * 1.25, i % 2, NULL, NULL, "
            "'2000-01-02', NULL, NULL, datetime('2024-01-01', '+' || i || ' seconds'), NULL "
            "FROM g",
            (rows,),
        )
    sizes: list[int] = []
    stream = generic_reader.stream_rows

    def counted(*args: Any, **kwargs: Any) -> Any:
        for batch in stream(*args, **kwargs):
            sizes.append(batch.num_rows)
            yield batch

    monkeypatch.setattr(generic_reader, "stream_rows", counted)
    # The reader's rows come through SQLAlchemy's partitions of fetch_size: at most
    # one partition of Python rows is held at a time.
    partitions: list[int] = []
    original = sa.engine.Result.partitions

    def tracked(self: sa.engine.Result, size: int | None = None) -> Any:
        for part in original(self, size):
            partitions.append(len(part))
            yield part

    monkeypatch.setattr(sa.engine.Result, "partitions", tracked)
    target = tmp_path / "bronze" / "big"
    store = WatermarkStore(tmp_path / "_watermarks")
    result = load_table(item(fetch_size=10_000), url(path), target, store, source_system=SYSTEM)
    assert result.rows_read == rows
    assert sizes == [10_000] * 20
    assert partitions == [10_000] * 20
    assert DeltaTable(str(target)).to_pyarrow_table().num_rows == rows
