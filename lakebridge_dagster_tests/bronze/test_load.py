"""Incremental loads from the real embedded PostgreSQL into real Delta tables."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from deltalake import DeltaTable

from lakebridge_dagster.bronze.load import (
    LOADED_AT,
    METADATA_COLUMNS,
    BronzeLoadError,
    LoadResult,
    load_table,
)
from lakebridge_dagster.bronze.registry import RegisteredTable, TableRegistry, derive_registry
from lakebridge_dagster.bronze.watermarks import WatermarkStore, watermark_table_path
from lakebridge_dagster.catalog.postgres import extract_postgres_catalog
from lakebridge_dagster.config import SourceConfig
from lakebridge_dagster.demo.seed import seed_demo

SYSTEM = "app"
T0 = datetime(2024, 1, 1, tzinfo=UTC)

WORKER = """
CREATE TABLE app."Worker" (
    "Id" integer PRIMARY KEY,
    "Name" text NOT NULL,
    "Rate" numeric(12,2),
    "Skills" text[],
    "Badge" uuid,
    "Settings" jsonb,
    "CreatedAt" timestamptz NOT NULL,
    "UpdatedAt" timestamptz
);
INSERT INTO app."Worker"
SELECT g, 'w' || g, g * 1.5, ARRAY['a', 'b' || g], md5(g::text)::uuid,
       jsonb_build_object('g', g),
       '2024-01-01Z'::timestamptz + g * interval '1 hour', NULL
FROM generate_series(1, 10) AS g;
"""


def execute(url: str, statement: str, params: Any = None) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement, params)


def scalar(url: str, statement: str) -> Any:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(statement).fetchone()
        assert row is not None
        return row[0]


def registry_of(url: str, schemas: list[str], **config: Any) -> TableRegistry:
    catalog = extract_postgres_catalog(SYSTEM, url, schemas)
    source = SourceConfig.model_validate(
        {"name": SYSTEM, "dialect": "postgres", "url": "postgresql://u@h/d", **config}
    )
    return derive_registry(catalog, source)


def bronze(path: Path, key: list[str]) -> list[dict[str, Any]]:
    """The bronze rows without the per-load metadata, in key order."""
    table = DeltaTable(str(path)).to_pyarrow_table()
    table = table.drop_columns([c for c in (LOADED_AT,) if c in table.column_names])
    return sorted(table.to_pylist(), key=lambda row: tuple(row[k] for k in key))


def keys_are_unique(path: Path, key: list[str]) -> bool:
    rows = bronze(path, key)
    return len({tuple(r[k] for k in key) for r in rows}) == len(rows)


class Loader:
    """Loads one registered table into one bronze path with one store."""

    def __init__(self, url: str, table: RegisteredTable, root: Path) -> None:
        self.url, self.table, self.root = url, table, root
        self.path = root / "bronze" / table.target_table
        self.store = WatermarkStore(watermark_table_path(root, "cat"))

    def __call__(self, **kwargs: Any) -> LoadResult:
        return load_table(
            self.table, self.url, self.path, self.store, source_system=SYSTEM, **kwargs
        )

    def state(self) -> Any:
        return self.store.get(SYSTEM, self.table.schema_name, self.table.name)


@pytest.fixture()
def app_url(fresh_database: str) -> str:
    execute(fresh_database, "CREATE SCHEMA app")
    execute(fresh_database, WORKER)
    return fresh_database


@pytest.fixture()
def worker(app_url: str, tmp_path: Path) -> Loader:
    return Loader(app_url, registry_of(app_url, ["app"]).table("Worker"), tmp_path)


def test_first_load_reads_every_row(worker: Loader) -> None:
    result = worker()
    assert (result.status, result.mode, result.rows_read, result.rows_inserted) == (
        "success",
        "full",
        10,
        10,
    )
    assert result.watermark_before is None
    assert result.watermark_after == T0 + timedelta(hours=10)  # max of the rows, not now()
    assert result.delta_version == 0 and result.error_message is None
    rows = bronze(worker.path, ["Id"])
    assert [r["Id"] for r in rows] == list(range(1, 11))
    first = rows[0]
    assert first["Skills"] == ["a", "b1"] and first["Settings"] == '{"g": 1}'
    assert first["Badge"] == "c4ca4238-a0b9-2382-0dcc-509a6f75849b"
    assert (first["_source_system"], first["_source_table"]) == (SYSTEM, "app.Worker")
    assert first["_watermark"] == T0 + timedelta(hours=1)
    schema = DeltaTable(str(worker.path)).schema().to_arrow()
    assert [f.name for f in schema][-4:] == list(METADATA_COLUMNS)
    state = worker.state()
    assert (state.watermark, state.last_load_status, state.last_load_row_count) == (
        result.watermark_after,
        "success",
        10,
    )
    assert state.watermark_column == "GREATEST(CreatedAt, UpdatedAt)"


def test_incremental_load_reads_only_changes_and_merges_on_the_key(worker: Loader) -> None:
    worker()
    execute(
        worker.url,
        """UPDATE app."Worker" SET "Name" = 'changed', "UpdatedAt" = '2024-02-01Z'
           WHERE "Id" IN (2, 3);
           INSERT INTO app."Worker" ("Id", "Name", "CreatedAt")
           VALUES (11, 'new', '2024-02-02Z')""",
    )
    result = worker()
    assert (result.status, result.mode) == ("success", "incremental")
    assert (result.rows_read, result.rows_inserted, result.rows_updated) == (3, 1, 2)
    assert result.watermark_before == T0 + timedelta(hours=10)
    assert result.watermark_after == datetime(2024, 2, 2, tzinfo=UTC)
    assert result.delta_version == 1
    rows = {r["Id"]: r for r in bronze(worker.path, ["Id"])}
    assert len(rows) == 11 and keys_are_unique(worker.path, ["Id"])
    assert rows[2]["Name"] == rows[3]["Name"] == "changed" and rows[11]["Name"] == "new"
    assert rows[4]["Name"] == "w4"


def test_nothing_new_is_skipped_without_a_commit(worker: Loader) -> None:
    first = worker()
    again = worker()
    assert (again.status, again.rows_read, again.delta_version) == ("skipped", 0, 0)
    assert again.watermark_before == again.watermark_after == first.watermark_after
    assert worker.state().last_load_status == "skipped"
    assert worker.state().watermark == first.watermark_after


def test_late_rows_inside_the_lag_window_are_picked_up(worker: Loader) -> None:
    first = worker()
    late = first.watermark_after - timedelta(seconds=30)  # committed late, stamped earlier
    execute(
        worker.url,
        'INSERT INTO app."Worker" ("Id", "Name", "CreatedAt") VALUES (12, %s, %s)',
        ["late", late],
    )
    assert worker().status == "skipped"  # no lag window: the late row is missed
    result = worker(lag=timedelta(minutes=1))
    assert result.status == "success"
    assert result.rows_read == 2  # the late row and the re-read newest row
    assert (result.rows_inserted, result.rows_updated) == (1, 1)
    assert result.watermark_after == first.watermark_after  # never moves backwards
    assert [r["Name"] for r in bronze(worker.path, ["Id"])][-1] == "late"
    assert keys_are_unique(worker.path, ["Id"])


def test_a_new_source_column_reaches_bronze(worker: Loader) -> None:
    worker()
    execute(
        worker.url,
        """ALTER TABLE app."Worker" ADD COLUMN "Email" text;
           UPDATE app."Worker" SET "Email" = 'x@y', "UpdatedAt" = '2024-03-01Z' WHERE "Id" = 5""",
    )
    result = worker()
    assert (result.status, result.rows_read) == ("success", 1)
    rows = {r["Id"]: r for r in bronze(worker.path, ["Id"])}
    assert rows[5]["Email"] == "x@y" and rows[4]["Email"] is None


def test_a_dropped_source_column_does_not_break_the_load(worker: Loader) -> None:
    worker()
    execute(
        worker.url,
        """ALTER TABLE app."Worker" DROP COLUMN "Rate";
           UPDATE app."Worker" SET "Name" = 'after', "UpdatedAt" = '2024-03-01Z' WHERE "Id" = 5;
           INSERT INTO app."Worker" ("Id", "Name", "CreatedAt") VALUES (13, 'n', '2024-03-02Z')""",
    )
    result = worker()
    assert (result.status, result.rows_inserted, result.rows_updated) == ("success", 1, 1)
    rows = {r["Id"]: r for r in bronze(worker.path, ["Id"])}
    assert rows[5]["Name"] == "after"
    assert str(rows[5]["Rate"]) == "7.50"  # bronze keeps what it had
    assert rows[13]["Rate"] is None


def test_full_mode_overwrites_and_resets_the_watermark(worker: Loader) -> None:
    worker()
    execute(worker.url, 'DELETE FROM app."Worker" WHERE "Id" = 10')
    result = worker(mode="full")
    assert (result.status, result.mode, result.rows_read) == ("success", "full", 9)
    assert result.watermark_after == T0 + timedelta(hours=9)  # reset to the rows now there
    assert [r["Id"] for r in bronze(worker.path, ["Id"])] == list(range(1, 10))


def test_a_dropped_source_table_fails_clearly_and_keeps_the_watermark(worker: Loader) -> None:
    first = worker()
    execute(worker.url, 'DROP TABLE app."Worker"')
    with pytest.raises(BronzeLoadError) as raised:
        worker()
    message = str(raised.value)
    assert "bronze load of app.app.Worker" in message
    assert "the source has no table app.Worker" in message
    assert "Re-materialize the source_catalog and table_registry assets" in message
    assert raised.value.result.status == "failed"
    assert raised.value.result.watermark_before == first.watermark_after
    state = worker.state()
    assert state.watermark == first.watermark_after
    assert state.last_load_status == "failed"
    assert "the source has no table app.Worker" in state.last_error_message
    assert DeltaTable(str(worker.path)).version() == 0


def test_a_source_error_mid_stream_commits_nothing(worker: Loader) -> None:
    first = worker()
    # 'infinity' has no Python datetime: the driver fails on that row, after the
    # first batches have streamed into the MERGE.
    execute(
        worker.url,
        """ALTER TABLE app."Worker" ADD COLUMN "SeenAt" timestamptz;
           UPDATE app."Worker" SET "UpdatedAt" = '2024-05-01Z' WHERE "Id" <= 8;
           UPDATE app."Worker" SET "SeenAt" = 'infinity', "UpdatedAt" = '2024-05-02Z'
           WHERE "Id" = 9""",
    )
    table = worker.table.model_copy(update={"fetch_size": 2})
    loader = Loader(worker.url, table, worker.root)
    with pytest.raises(BronzeLoadError) as raised:
        loader()
    assert "DataError" in str(raised.value) and "infinity" in str(raised.value)
    assert "Traceback" not in str(raised.value)
    assert DeltaTable(str(worker.path)).version() == 0  # nothing committed
    assert loader.state().watermark == first.watermark_after
    assert loader.state().last_load_status == "failed"
    execute(worker.url, 'UPDATE app."Worker" SET "SeenAt" = NULL WHERE "Id" = 9')
    result = loader()  # fixed at the source: the same rows load now
    assert (result.status, result.rows_read) == ("success", 9)
    assert result.watermark_after == datetime(2024, 5, 2, tzinfo=UTC)


def test_every_batch_gets_the_metadata_columns(worker: Loader) -> None:
    table = worker.table.model_copy(update={"fetch_size": 3})  # batches of 3, 3, 3, 1 rows
    loader = Loader(worker.url, table, worker.root)
    assert loader().rows_read == 10
    rows = DeltaTable(str(loader.path)).to_pyarrow_table()
    assert set(rows.column("_source_system").to_pylist()) == {SYSTEM}
    assert set(rows.column("_source_table").to_pylist()) == {"app.Worker"}
    assert rows.column(LOADED_AT).null_count == 0
    assert len(set(rows.column(LOADED_AT).to_pylist())) == 1  # one value per load


WIDE = """
CREATE TABLE app.reading (id integer PRIMARY KEY, payload text, updated_at timestamptz);
INSERT INTO app.reading
SELECT g, repeat(md5(g::text), 16), '2024-01-01Z'::timestamptz + g * interval '1 second'
FROM generate_series(1, 6000) AS g;
"""


def row_group_rows(path: Path) -> list[int]:
    """The row count of every row group in the table's current files."""
    files = [
        pq.ParquetFile(uri.removeprefix("file://")) for uri in DeltaTable(str(path)).file_uris()
    ]
    return [f.metadata.row_group(i).num_rows for f in files for i in range(f.num_row_groups)]


def test_row_groups_are_bounded_in_bytes(
    app_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The Parquet writer holds a row group in memory: its size in bytes is what
    # bounds the load's memory, so rows of ~550 bytes get ~1,900-row groups at 1 MiB.
    monkeypatch.setattr("lakebridge_dagster.bronze.load.ROW_GROUP_BYTES", 1024 * 1024)
    execute(app_url, WIDE)
    loader = Loader(app_url, registry_of(app_url, ["app"]).table("reading"), tmp_path)
    assert loader().rows_read == 6_000
    full = row_group_rows(loader.path)
    assert sum(full) == 6_000 and len(full) >= 3 and max(full) < 2_000
    files = DeltaTable(str(loader.path)).file_uris()
    execute(app_url, "UPDATE app.reading SET updated_at = '2025-01-01Z' WHERE id = 17")
    assert loader().rows_updated == 1
    assert DeltaTable(str(loader.path)).file_uris() != files  # rewrote the file holding id 17
    merged = row_group_rows(loader.path)
    assert sum(merged) == 6_000 and max(merged) < 2_000


def test_connection_failure_names_no_password(worker: Loader) -> None:
    worker.url = "postgresql://user:s3cr3t-pw@127.0.0.1:9/app?connect_timeout=2"
    with pytest.raises(BronzeLoadError) as raised:
        worker()
    assert "s3cr3t-pw" not in str(raised.value)
    assert "Check that the source is reachable" in str(raised.value)
    assert "s3cr3t-pw" not in worker.state().last_error_message


def test_lag_must_match_the_watermark_type(worker: Loader) -> None:
    with pytest.raises(TypeError, match="lag window must be a timedelta, not int"):
        worker(lag=5)


NULLABLE = """
CREATE TABLE app.device (
    id integer PRIMARY KEY,
    label text,
    updated_at timestamp
);
INSERT INTO app.device VALUES (1, 'a', NULL), (2, 'b', '2024-01-01 10:00'), (3, 'c', NULL);
"""


def test_rows_with_a_null_watermark_are_not_lost(app_url: str, tmp_path: Path) -> None:
    execute(app_url, NULLABLE)
    table = registry_of(app_url, ["app"]).table("device")
    assert table.watermark is not None and table.watermark.nullable
    loader = Loader(app_url, table, tmp_path)
    first = loader()
    assert first.rows_read == 3
    # naive timestamps are UTC wall-clock in the watermark table
    assert first.watermark_after == datetime(2024, 1, 1, 10, tzinfo=UTC)
    execute(app_url, "INSERT INTO app.device VALUES (4, 'late, no timestamp', NULL)")
    result = loader()
    assert result.status == "success"
    assert result.rows_read == 3  # the NULL-watermark rows are re-read every time
    assert (result.rows_inserted, result.rows_updated) == (1, 2)
    assert [r["id"] for r in bronze(loader.path, ["id"])] == [1, 2, 3, 4]
    assert result.watermark_after == first.watermark_after


AWKWARD = '''
CREATE SCHEMA "My Schema";
CREATE TABLE "My Schema"."Crew ""Shift""" (
    "Crew Id" integer NOT NULL,
    "a""b" text NOT NULL,
    "First Name" text,
    "100%" integer,
    "ModifiedDate" timestamptz NOT NULL,
    PRIMARY KEY ("Crew Id", "a""b")
);
INSERT INTO "My Schema"."Crew ""Shift""" VALUES
    (1, 'x', 'Ann', 1, '2024-01-01Z'), (1, 'y', 'Bob', 2, '2024-01-02Z'),
    (2, 'x', 'Cy', 3, '2024-01-03Z');
'''


def test_composite_key_and_awkward_identifiers(app_url: str, tmp_path: Path) -> None:
    execute(app_url, AWKWARD)
    table = registry_of(app_url, ["My Schema"]).table('Crew "Shift"')
    assert table.primary_key == ["Crew Id", 'a"b']
    loader = Loader(app_url, table, tmp_path)
    assert loader().rows_read == 3
    execute(
        app_url,
        '''UPDATE "My Schema"."Crew ""Shift""" SET "First Name" = 'Bo', "100%" = 20,
           "ModifiedDate" = '2024-02-01Z' WHERE "Crew Id" = 1 AND "a""b" = 'y';
           INSERT INTO "My Schema"."Crew ""Shift""" VALUES (2, 'y', 'Di', 4, '2024-02-02Z')''',
    )
    result = loader()
    assert (result.rows_read, result.rows_inserted, result.rows_updated) == (2, 1, 1)
    rows = bronze(loader.path, ["Crew Id", 'a"b'])
    assert [(r["Crew Id"], r['a"b'], r["First Name"], r["100%"]) for r in rows] == [
        (1, "x", "Ann", 1),
        (1, "y", "Bo", 20),
        (2, "x", "Cy", 3),
        (2, "y", "Di", 4),
    ]
    assert rows[0]["_source_table"] == 'My Schema.Crew "Shift"'


def test_incremental_loads_equal_a_full_reload(worker: Loader, tmp_path: Path) -> None:
    worker()
    for step in range(3):
        execute(
            worker.url,
            'UPDATE app."Worker" SET "Rate" = "Rate" + 1, "UpdatedAt" = %s WHERE "Id" %% 3 = %s',
            [T0 + timedelta(days=10 + step), step],
        )
        execute(
            worker.url,
            'INSERT INTO app."Worker" ("Id", "Name", "CreatedAt") VALUES (%s, %s, %s)',
            [100 + step, "n", T0 + timedelta(days=10 + step)],
        )
        assert worker().status == "success"
    fresh = Loader(worker.url, worker.table, tmp_path / "fresh")
    fresh()
    assert bronze(worker.path, ["Id"]) == bronze(fresh.path, ["Id"])


def test_the_demo_schema_loads_end_to_end(fresh_database: str, tmp_path: Path) -> None:
    with psycopg.connect(fresh_database) as conn:
        seed_demo(conn, fact_rows=500)
    registry = registry_of(
        fresh_database,
        ["public"],
        tables={"Zone": {"geometry_columns": ["Coordinates"]}, "AuditTrail": {"full_load": True}},
    )
    results: dict[str, LoadResult] = {}
    for category in ("dimensions", "assignments", "facts", "history"):
        for table in registry.by_category(category):  # type: ignore[arg-type]
            results[table.name] = Loader(fresh_database, table, tmp_path)()
    assert len(results) == 21
    for name, result in results.items():
        table = registry.table(name)
        source_rows = scalar(fresh_database, f'SELECT count(*) FROM public."{name}"')
        assert (result.status, result.rows_read) == ("success", source_rows), name
        path = tmp_path / "bronze" / table.target_table
        assert DeltaTable(str(path)).to_pyarrow_table().num_rows == source_rows, name
        if table.primary_key:
            assert keys_are_unique(path, table.primary_key), name
    assert results["DeviceLocation"].rows_read == 500
    zone = DeltaTable(str(tmp_path / "bronze" / "zone")).to_pyarrow_table()
    assert zone.schema.field("Coordinates").type == pa.string()  # polygon as text
    # A change made by the application: the trigger stamps "UpdatedAt" = now().
    execute(fresh_database, 'UPDATE public."Worker" SET "IsActive" = false WHERE "Id" <= 5')
    worker = Loader(fresh_database, registry.table("Worker"), tmp_path)
    again = worker()
    assert (again.status, again.rows_read, again.rows_updated, again.rows_inserted) == (
        "success",
        5,
        5,
        0,
    )
    assert worker().status == "skipped"
