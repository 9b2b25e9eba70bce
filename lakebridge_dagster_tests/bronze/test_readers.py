"""The PostgreSQL reader's type mapping (readers.py), one case per source type,
loaded for real through ADBC into Delta and read back."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pyarrow as pa
import pytest
from deltalake import DeltaTable

from lakebridge_dagster.bronze.load import BronzeLoadError, load_table
from lakebridge_dagster.bronze.registry import derive_registry
from lakebridge_dagster.bronze.watermarks import WatermarkStore
from lakebridge_dagster.catalog.postgres import extract_postgres_catalog
from lakebridge_dagster.config import SourceConfig

UTC_TS = pa.timestamp("us", tz="UTC")
# (PostgreSQL type, literal, Arrow type in bronze, value read back)
# fmt: off
CASES: list[tuple[str, str, pa.DataType, Any]] = [
    ("boolean", "true", pa.bool_(), True),
    ("smallint", "7", pa.int16(), 7),
    ("bigint", "9000000000", pa.int64(), 9_000_000_000),
    ("real", "1.5", pa.float32(), 1.5),
    ("oid", "4000000000", pa.int64(), 4_000_000_000),
    ("numeric(12,2)", "12.5", pa.decimal128(12, 2), Decimal("12.50")),
    ("numeric", "'1e-20'", pa.string(), "0.00000000000000000001"),
    ("numeric", "'NaN'", pa.string(), "NaN"),
    ("numeric(50,10)", "3.1", pa.string(), "3.1000000000"),
    ("money", "12.34", pa.string(), "$12.34"),
    ("char(3)", "'ab'", pa.string(), "ab "),
    ("uuid", "'c4ca4238-a0b9-2382-0dcc-509a6f75849b'", pa.string(),
     "c4ca4238-a0b9-2382-0dcc-509a6f75849b"),
    ("jsonb", """'{"g": 1}'""", pa.string(), '{"g": 1}'),
    ("json", """'{"a":1}'""", pa.string(), '{"a":1}'),
    ("bytea", "'\\x0102'", pa.binary(), b"\x01\x02"),
    ("date", "'2024-01-02'", pa.date32(), date(2024, 1, 2)),
    ("timestamp", "'2024-01-01 10:00:00.123456'", pa.timestamp("us"),
     datetime(2024, 1, 1, 10, 0, 0, 123456)),
    ("timestamptz", "'2024-01-01 10:00+02'", UTC_TS, datetime(2024, 1, 1, 8, tzinfo=UTC)),
    ("time", "'10:00'", pa.string(), "10:00:00"),
    ("timetz", "'10:00+02'", pa.string(), "10:00:00+02"),
    ("interval", "'1 day 2 hours'", pa.string(), "P1DT2H"),
    ("inet", "'10.0.0.1'", pa.string(), "10.0.0.1"),
    ("cidr", "'10.0.0.0/8'", pa.string(), "10.0.0.0/8"),
    ("macaddr", "'08:00:2b:01:02:03'", pa.string(), "08:00:2b:01:02:03"),
    ("point", "'(1,2)'", pa.string(), "(1,2)"),
    ("polygon", "'((0,0),(1,1),(1,0))'", pa.string(), "((0,0),(1,1),(1,0))"),
    ("text[]", "ARRAY['a', NULL]", pa.list_(pa.string()), ["a", None]),
    ("integer[]", "ARRAY[1, 2]", pa.list_(pa.int32()), [1, 2]),
    ("timestamptz[]", "ARRAY['2024-01-01Z'::timestamptz]", pa.list_(UTC_TS),
     [datetime(2024, 1, 1, tzinfo=UTC)]),
    ("numeric[]", "ARRAY[1.5, 2]", pa.string(), "{1.5,2}"),
    ("uuid[]", "ARRAY['c4ca4238-a0b9-2382-0dcc-509a6f75849b'::uuid]", pa.string(),
     "{c4ca4238-a0b9-2382-0dcc-509a6f75849b}"),
]
# fmt: on


def _load(url: str, tmp_path: Path) -> tuple[Path, WatermarkStore]:
    catalog = extract_postgres_catalog("app", url, ["public"])
    source = SourceConfig.model_validate(
        {"name": "app", "dialect": "postgres", "url": "postgresql://u@h/d"}
    )
    table = derive_registry(catalog, source).table("typed")
    target, store = tmp_path / "typed", WatermarkStore(tmp_path / "_watermarks")
    load_table(table, url, target, store, source_system="app")
    return target, store


def test_every_type_maps_as_documented(fresh_database: str, tmp_path: Path) -> None:
    columns = ", ".join(f"c{i} {pg_type}" for i, (pg_type, *_) in enumerate(CASES))
    values = ", ".join(literal for _, literal, *_ in CASES)
    nulls = ", ".join("NULL" for _ in CASES)
    with psycopg.connect(fresh_database, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE typed (id integer PRIMARY KEY, {columns})")
        conn.execute(f"INSERT INTO typed VALUES (1, {values}), (2, {nulls})")
    target, _ = _load(fresh_database, tmp_path)
    bronze = DeltaTable(str(target)).to_pyarrow_table().sort_by("id")
    for i, (pg_type, _, arrow_type, value) in enumerate(CASES):
        column = bronze.column(f"c{i}")
        assert (pg_type, column.type) == (pg_type, arrow_type)
        assert (pg_type, column.to_pylist()) == (pg_type, [value, None])
        assert bronze.schema.field(f"c{i}").metadata is None  # no driver metadata in Delta


@pytest.mark.parametrize("pg_type", ["timestamptz", "timestamp", "date"])
def test_infinity_fails_the_load_clearly(pg_type: str, fresh_database: str, tmp_path: Path) -> None:
    with psycopg.connect(fresh_database, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE typed (id integer PRIMARY KEY, seen {pg_type})")
        conn.execute("INSERT INTO typed VALUES (1, '2024-01-01'), (2, 'infinity')")
    with pytest.raises(BronzeLoadError, match="column 'seen' holds 'infinity'"):
        _load(fresh_database, tmp_path)
