"""The watermark store on real Delta tables."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from deltalake import DeltaTable

from lakebridge_dagster.bronze.watermarks import (
    WATERMARK_SCHEMA,
    WatermarkStore,
    watermark_table_path,
)

T1 = datetime(2024, 5, 1, 12, 30, 15, 123456, tzinfo=UTC)
T2 = datetime(2024, 6, 1, tzinfo=UTC)


@pytest.fixture()
def store(tmp_path: Path) -> WatermarkStore:
    return WatermarkStore(watermark_table_path(tmp_path / "lakehouse", "wakecap_prod"))


def test_path_is_the_catalogs_migration_schema(tmp_path: Path) -> None:
    assert watermark_table_path(tmp_path, "wakecap_prod") == (
        tmp_path / "wakecap_prod" / "migration" / "_watermarks"
    )


def test_unknown_table_has_no_state(store: WatermarkStore) -> None:
    assert store.get("demo", "public", "Worker") is None
    assert store.all() == []


def test_success_then_failure_keeps_the_watermark(store: WatermarkStore) -> None:
    store.record_success(
        "demo", "public", "Worker", watermark_column="UpdatedAt", watermark=T1, row_count=10
    )
    first = store.get("demo", "public", "Worker")
    assert first is not None
    assert (first.watermark, first.last_load_status, first.last_load_row_count) == (
        T1,
        "success",
        10,
    )
    assert first.watermark_column == "UpdatedAt" and first.last_error_message is None

    store.record_failure(
        "demo",
        "public",
        "Worker",
        watermark_column="UpdatedAt",
        error_message='relation "Worker" does not exist',
    )
    failed = store.get("demo", "public", "Worker")
    assert failed is not None
    assert failed.watermark == T1  # untouched by the failure
    assert failed.last_load_status == "failed"
    assert failed.last_error_message == 'relation "Worker" does not exist'
    assert failed.updated_at >= first.updated_at

    store.record_success(
        "demo", "public", "Worker", watermark_column="UpdatedAt", watermark=T2, row_count=3
    )
    again = store.get("demo", "public", "Worker")
    assert again is not None
    assert (again.watermark, again.last_load_status, again.last_error_message) == (
        T2,
        "success",
        None,
    )
    assert len(store.all()) == 1  # one row per table, never duplicates


def test_first_load_failing_records_the_message_without_a_watermark(
    store: WatermarkStore,
) -> None:
    store.record_failure("demo", "public", "Zone", watermark_column=None, error_message="x" * 9000)
    state = store.get("demo", "public", "Zone")
    assert state is not None
    assert state.watermark is None and state.last_load_status == "failed"
    assert state.last_error_message == "x" * 4000


def test_skipped_keeps_the_watermark(store: WatermarkStore) -> None:
    store.record_success("demo", "public", "Crew", watermark_column="U", watermark=T1, row_count=1)
    store.record_skipped("demo", "public", "Crew", watermark_column="U")
    state = store.get("demo", "public", "Crew")
    assert state is not None
    assert (state.watermark, state.last_load_status, state.last_load_row_count) == (
        T1,
        "skipped",
        0,
    )


def test_bigint_and_naive_watermarks(store: WatermarkStore) -> None:
    store.record_success(
        "dw", "dbo", "Worker", watermark_column="RowVer", watermark=2**40, row_count=1
    )
    naive = datetime(2024, 1, 2, 3, 4, 5)
    store.record_success("dw", "dbo", "Site", watermark_column="U", watermark=naive, row_count=1)
    worker = store.get("dw", "dbo", "Worker")
    site = store.get("dw", "dbo", "Site")
    assert worker is not None and worker.watermark == 2**40
    assert site is not None and site.watermark == naive.replace(tzinfo=UTC)
    with pytest.raises(TypeError, match="dbo.Crew: a watermark is a datetime or an int"):
        store.record_success(
            "dw", "dbo", "Crew", watermark_column="U", watermark="2024", row_count=1
        )  # type: ignore[arg-type]


def test_keys_are_source_schema_and_table(store: WatermarkStore) -> None:
    for system, schema in [("a", "public"), ("b", "public"), ("a", "other")]:
        store.record_success(system, schema, "T", watermark_column="U", watermark=T1, row_count=1)
    assert [(s.source_system, s.source_schema) for s in store.all()] == [
        ("a", "other"),
        ("a", "public"),
        ("b", "public"),
    ]
    assert [s.source_schema for s in store.all("a")] == ["other", "public"]


def test_concurrent_writers_for_different_tables(store: WatermarkStore) -> None:
    tables = [f"T{i}" for i in range(8)]

    def load(table: str) -> None:
        for round_ in range(3):
            store.record_success(
                "demo",
                "public",
                table,
                watermark_column="U",
                watermark=T1.replace(day=1 + round_),
                row_count=round_,
            )

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(load, tables))
    states = store.all()
    assert [s.source_table for s in states] == tables
    assert {s.watermark for s in states} == {T1.replace(day=3)}


def test_readable_as_a_plain_delta_table(store: WatermarkStore) -> None:
    store.record_success(
        "demo", "public", "Worker", watermark_column="U", watermark=T1, row_count=5
    )
    table = DeltaTable(str(store.path)).to_pyarrow_table()
    assert table.schema.names == WATERMARK_SCHEMA.names
    assert table.column("last_watermark_timestamp").to_pylist() == [T1]
