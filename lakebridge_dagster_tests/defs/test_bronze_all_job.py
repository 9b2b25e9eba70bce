"""`<source>__bronze_all`: every registered table of every category in one run,
on the embedded PostgreSQL, each load recorded as its partition's
materialization (and check evaluations) in a real Dagster instance."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from dagster import (
    AssetKey,
    AssetRecordsFilter,
    DagsterEventType,
    DagsterInstance,
    materialize,
)
from deltalake import DeltaTable

from lakebridge_dagster.bronze.registry import TableRegistry
from lakebridge_dagster.config import CATEGORIES, LakebridgeConfig, parse_config
from lakebridge_dagster.definitions import build_definitions
from lakebridge_dagster.defs.bronze.assets import build_table_registry_asset, watermark_store
from lakebridge_dagster.defs.catalog.assets import build_source_catalog_asset
from lakebridge_dagster.defs.resources import source_resources
from lakebridge_dagster.sources import Source

SCHEMA = """
CREATE TABLE "Company" ("Id" int PRIMARY KEY, "Name" text NOT NULL,
                        "UpdatedAt" timestamptz NOT NULL);
CREATE TABLE "Project" ("Id" int PRIMARY KEY, "Name" text NOT NULL,
                        "UpdatedAt" timestamptz NOT NULL);
CREATE TABLE "Worker" ("Id" int PRIMARY KEY, "CompanyId" int NOT NULL REFERENCES "Company",
                       "Name" text NOT NULL, "UpdatedAt" timestamptz NOT NULL);
CREATE TABLE "WorkerProject" ("WorkerId" int REFERENCES "Worker",
                              "ProjectId" int REFERENCES "Project",
                              "UpdatedAt" timestamptz NOT NULL,
                              PRIMARY KEY ("WorkerId", "ProjectId"));
CREATE TABLE "DeviceLocation" ("Id" bigint PRIMARY KEY, "WorkerId" int REFERENCES "Worker",
                               "X" double precision, "RecordedAt" timestamptz NOT NULL);
CREATE TABLE "WorkerHistory" ("Id" int PRIMARY KEY, "WorkerId" int REFERENCES "Worker",
                              "Name" text, "ChangedAt" timestamptz NOT NULL);
INSERT INTO "Company"
  SELECT i, 'company ' || i, timestamptz '2024-01-01 00:00+00' + i * interval '1 hour'
  FROM generate_series(1, 3) AS i;
INSERT INTO "Project" SELECT i, 'project ' || i, timestamptz '2024-01-01 00:00+00'
  FROM generate_series(1, 4) AS i;
INSERT INTO "Worker" SELECT i, 1 + i % 3, 'worker ' || i, timestamptz '2024-01-02 00:00+00'
  FROM generate_series(1, 30) AS i;
INSERT INTO "WorkerProject" SELECT i, 1 + i % 4, timestamptz '2024-01-03 00:00+00'
  FROM generate_series(1, 30) AS i;
INSERT INTO "DeviceLocation"
  SELECT i, 1 + i % 30, i / 7.0, timestamptz '2024-01-04 00:00+00' + i * interval '1 second'
  FROM generate_series(1, 500) AS i;
INSERT INTO "WorkerHistory" SELECT i, i, 'worker ' || i, timestamptz '2024-01-05 00:00+00'
  FROM generate_series(1, 30) AS i;
"""
EXPECTED_PARTITIONS = {
    "dimensions": ["Company", "Project", "Worker"],
    "assignments": ["WorkerProject"],
    "facts": ["DeviceLocation"],
    "history": ["WorkerHistory"],
}
CHECKS = {"row_count_reconciles", "primary_key_unique", "watermark_not_backwards"}


@pytest.fixture()
def app(fresh_database: str, tmp_path: Path) -> LakebridgeConfig:
    with psycopg.connect(fresh_database, autocommit=True) as conn:
        conn.execute(SCHEMA)
    return parse_config(
        {
            "output_dir": str(tmp_path / "out"),
            "sources": [
                {
                    "name": "app",
                    "dialect": "postgres",
                    "url": fresh_database,
                    "target": {"catalog": "lake", "schema": "raw", "table_prefix": "app_"},
                }
            ],
        }
    )


@pytest.fixture()
def instance():
    with DagsterInstance.ephemeral() as instance:
        yield instance


def _register(config: LakebridgeConfig, instance: DagsterInstance) -> None:
    source = config.source("app")
    result = materialize(
        [build_source_catalog_asset(source), build_table_registry_asset(source)],
        resources=source_resources(config),
        instance=instance,
    )
    assert result.success


def _run_all(config: LakebridgeConfig, instance: DagsterInstance, mode: str = "incremental"):
    job = build_definitions(config).resolve_job_def("app__bronze_all")
    run_config = {"ops": {"app__load_bronze_all": {"config": {"load_mode": mode}}}}
    return job.execute_in_process(instance=instance, run_config=run_config, raise_on_error=False)


def _latest(instance: DagsterInstance, category: str, partition: str):
    key = AssetKey(["app", f"bronze_{category}"])
    records = instance.fetch_materializations(
        AssetRecordsFilter(asset_key=key, asset_partitions=[partition]), limit=1
    ).records
    return records[0].asset_materialization if records else None


def _source_rows(url: str, table: str, key: list[str]) -> list[tuple]:
    order = ", ".join(f'"{column}"' for column in key)
    with psycopg.connect(url) as conn:
        return conn.execute(f'SELECT * FROM "{table}" ORDER BY {order}').fetchall()


def _bronze_rows(live: Source, table: str, columns: list[str], key: list[str]) -> list[tuple]:
    data = DeltaTable(str(live.bronze_path(f"app_{table.lower()}"))).to_pyarrow_table()
    data = data.sort_by([(column, "ascending") for column in key]).select(columns)
    return [tuple(row.values()) for row in data.to_pylist()]


def test_one_run_loads_every_category_in_order_as_partition_materializations(
    app: LakebridgeConfig, instance: DagsterInstance
) -> None:
    _register(app, instance)
    live = Source(app.source("app"), app)
    registry = TableRegistry.read(live.registry_path)
    assert {c: [t.partition_key for t in registry.by_category(c)] for c in CATEGORIES} == (
        EXPECTED_PARTITIONS
    )

    result = _run_all(app, instance)
    assert result.success
    # The run's materializations, in the order they happened: category by category.
    events = [
        event.event_specific_data.materialization
        for event in result.all_events
        if event.event_type == DagsterEventType.ASSET_MATERIALIZATION
    ]
    loaded = [(m.asset_key.path[-1].removeprefix("bronze_"), m.partition) for m in events]
    assert loaded == [(c, key) for c in CATEGORIES for key in EXPECTED_PARTITIONS[c]]

    checks = result.get_asset_check_evaluations()
    assert len(checks) == 3 * len(loaded)
    assert all(check.passed for check in checks), [c for c in checks if not c.passed]
    assert {(c.asset_key.path[-1], c.partition, c.check_name) for c in checks} == {
        (f"bronze_{category}", key, name)
        for category, keys in EXPECTED_PARTITIONS.items()
        for key in keys
        for name in CHECKS
    }

    for category, keys in EXPECTED_PARTITIONS.items():
        asset_key = AssetKey(["app", f"bronze_{category}"])
        assert instance.get_materialized_partitions(asset_key) == set(keys)
        for key in keys:
            table = registry.table(key)
            materialization = _latest(instance, category, key)
            assert materialization is not None
            assert materialization.metadata["status"].value == "success"
            assert materialization.metadata["mode"].value == "full"  # the first load
            source = _source_rows(live.url, key, table.primary_key)
            assert materialization.metadata["rows_read"].value == len(source)
            columns = [column.name for column in table.columns]
            assert _bronze_rows(live, key, columns, table.primary_key) == source

    # A second run is incremental: only the moved table reads rows, and the
    # partitioned job sees the all-job's materializations as its history.
    with psycopg.connect(live.url, autocommit=True) as conn:
        conn.execute(
            """INSERT INTO "DeviceLocation" VALUES (501, 1, 0.5, '2024-02-01 00:00+00');
            UPDATE "DeviceLocation" SET "X" = -1, "RecordedAt" = '2024-02-02 00:00+00'
            WHERE "Id" = 7"""
        )
    again = _run_all(app, instance)
    assert again.success
    facts = _latest(instance, "facts", "DeviceLocation")
    assert facts.metadata["rows_read"].value == 2
    assert facts.metadata["rows_inserted"].value == 1
    assert facts.metadata["watermark_before"].value == "2024-01-04T00:08:20+00:00"
    assert facts.metadata["watermark_after"].value == "2024-02-02T00:00:00+00:00"
    assert _latest(instance, "dimensions", "Company").metadata["status"].value == "skipped"
    assert all(check.passed for check in again.get_asset_check_evaluations())
    columns = [column.name for column in registry.table("DeviceLocation").columns]
    assert _bronze_rows(live, "DeviceLocation", columns, ["Id"]) == _source_rows(
        live.url, "DeviceLocation", ["Id"]
    )
    one = build_definitions(app).resolve_job_def("app__bronze_facts_job")
    single = one.execute_in_process(partition_key="DeviceLocation", instance=instance)
    assert single.success
    assert {c.check_name: c.passed for c in single.get_asset_check_evaluations()} == dict.fromkeys(
        CHECKS, True
    )


def test_a_failed_table_fails_the_run_after_its_category_and_stops_later_ones(
    app: LakebridgeConfig, instance: DagsterInstance
) -> None:
    _register(app, instance)
    live = Source(app.source("app"), app)
    with psycopg.connect(live.url, autocommit=True) as conn:
        conn.execute('ALTER TABLE "Project" DROP COLUMN "UpdatedAt"')  # its watermark

    result = _run_all(app, instance)
    assert not result.success
    # The other dimensions loaded; nothing after the dimensions started.
    assert instance.get_materialized_partitions(AssetKey(["app", "bronze_dimensions"])) == {
        "Company",
        "Worker",
    }
    for category in ("assignments", "facts", "history"):
        assert not instance.get_materialized_partitions(AssetKey(["app", f"bronze_{category}"]))

    failure = next(e for e in result.all_events if e.event_type == DagsterEventType.STEP_FAILURE)
    description = failure.step_failure_data.user_failure_data.description
    assert "1 dimensions table(s) failed to load (Project)" in description
    assert "Not started: assignments, facts, history" in description

    # The failure is recorded: an observation of the partition with the load's
    # metadata, and the watermark table's failed status (no watermark yet).
    observations = instance.fetch_observations(
        AssetRecordsFilter(
            asset_key=AssetKey(["app", "bronze_dimensions"]), asset_partitions=["Project"]
        ),
        limit=1,
    ).records
    observed = observations[0].asset_observation
    assert observed.metadata["status"].value == "failed"
    assert "UpdatedAt" in observed.metadata["error"].value
    state = watermark_store(live).get("app", "public", "Project")
    assert state is not None
    assert state.last_load_status == "failed"
    assert state.watermark is None
