"""table_registry and bronze_<category>: real Dagster runs against the embedded
PostgreSQL, writing real Delta tables."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pyarrow as pa
import pytest
from dagster import DagsterInstance, materialize
from deltalake import DeltaTable, write_deltalake

from lakebridge_dagster.bronze.registry import TableRegistry
from lakebridge_dagster.config import LakebridgeConfig, parse_config
from lakebridge_dagster.definitions import build_definitions
from lakebridge_dagster.defs.bronze.assets import build_table_registry_asset, watermark_store
from lakebridge_dagster.defs.catalog.assets import build_source_catalog_asset
from lakebridge_dagster.defs.resources import source_resources
from lakebridge_dagster.sources import Source

REPO = Path(__file__).resolve().parents[2]

SCHEMA = """
CREATE TABLE "Company" (
    "Id" integer PRIMARY KEY,
    "Name" text NOT NULL,
    "CreatedAt" timestamptz NOT NULL,
    "UpdatedAt" timestamptz
);
CREATE TABLE "DeviceLocation" (
    "Id" bigint PRIMARY KEY,
    "CompanyId" integer NOT NULL REFERENCES "Company"("Id"),
    "Latitude" double precision,
    "RecordedAt" timestamptz NOT NULL
);
CREATE TABLE "SyncLog" (message text);
INSERT INTO "Company"
    SELECT g, 'company ' || g, timestamptz '2024-01-01' + g * interval '1 hour', NULL
    FROM generate_series(1, 50) AS g;
INSERT INTO "DeviceLocation"
    SELECT g, 1 + g % 50, g / 1000.0, timestamptz '2024-02-01' + g * interval '1 minute'
    FROM generate_series(1, 2000) AS g;
"""


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


def _prepare(config: LakebridgeConfig, instance: DagsterInstance):
    """Catalog + registry materialized; returns the Definitions."""
    result = _materialize_registry(config, instance)
    assert result.success
    return build_definitions(config), result


def _materialize_registry(config: LakebridgeConfig, instance: DagsterInstance):
    source = config.source("app")
    assets = [build_source_catalog_asset(source), build_table_registry_asset(source)]
    return materialize(assets, resources=source_resources(config), instance=instance)


def _load(defs, instance, category: str, key: str, mode: str = "incremental"):
    job = defs.resolve_job_def(f"app__bronze_{category}_job")
    run_config = {"ops": {f"app__bronze_{category}": {"config": {"load_mode": mode}}}}
    return job.execute_in_process(
        partition_key=key, instance=instance, run_config=run_config, raise_on_error=False
    )


def _metadata(result, category: str) -> dict:
    return result.asset_materializations_for_node(f"app__bronze_{category}")[0].metadata


def _checks(result) -> dict[str, bool]:
    return {c.check_name: c.passed for c in result.get_asset_check_evaluations()}


def test_registry_registers_partitions_and_reports_exclusions(app, instance) -> None:
    _, result = _prepare(app, instance)
    assert instance.get_dynamic_partitions("app__bronze_dimensions") == ["Company"]
    assert instance.get_dynamic_partitions("app__bronze_facts") == ["DeviceLocation"]
    metadata = result.asset_materializations_for_node("app__table_registry")[0].metadata
    assert metadata["tables"].value == 2
    assert "SyncLog" in metadata["excluded"].value
    rows = {r.data["partition"]: r.data for r in metadata["registry"].value.records}
    assert rows["DeviceLocation"]["category"] == "facts"
    assert rows["Company"]["primary_key"] == "Id"

    # Re-materializing adds nothing; a table that left the registry is reported.
    with psycopg.connect(Source(app.source("app"), app).url, autocommit=True) as conn:
        conn.execute('DROP TABLE "DeviceLocation"')
    again = _materialize_registry(app, instance)
    metadata = again.asset_materializations_for_node("app__table_registry")[0].metadata
    assert "facts/DeviceLocation" in metadata["vanished_partitions"].value
    assert metadata["new_partitions"].value == "_none_"
    assert instance.get_dynamic_partitions("app__bronze_facts") == ["DeviceLocation"]


def test_incremental_loads_with_checks(app, instance) -> None:
    defs, _ = _prepare(app, instance)
    live = Source(app.source("app"), app)

    first = _load(defs, instance, "facts", "DeviceLocation")
    assert first.success
    metadata = _metadata(first, "facts")
    assert metadata["status"].value == "success"
    assert metadata["rows_read"].value == 2000
    assert metadata["rows_inserted"].value == 2000
    assert metadata["watermark_after"].value == "2024-02-02T09:20:00+00:00"
    target = live.bronze_path("app_devicelocation")
    assert metadata["target_path"].value == str(target)
    assert DeltaTable(str(target)).to_pyarrow_dataset().count_rows() == 2000
    assert _checks(first) == {
        "row_count_reconciles": True,
        "primary_key_unique": True,
        "watermark_not_backwards": True,
    }

    # Nothing changed: skipped, watermark kept.
    second = _load(defs, instance, "facts", "DeviceLocation")
    assert _metadata(second, "facts")["status"].value == "skipped"
    assert _metadata(second, "facts")["watermark_after"].value == "2024-02-02T09:20:00+00:00"

    # New rows and an update move the watermark; MERGE keeps one row per key.
    with psycopg.connect(live.url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO \"DeviceLocation\" SELECT g, 1, 0, timestamptz '2024-03-01' "
            "+ g * interval '1 second' FROM generate_series(2001, 2010) AS g"
        )
        conn.execute(
            'UPDATE "DeviceLocation" SET "Latitude" = -1, "RecordedAt" = \'2024-03-02\' '
            'WHERE "Id" = 5'
        )
    third = _load(defs, instance, "facts", "DeviceLocation")
    metadata = _metadata(third, "facts")
    assert (
        metadata["rows_read"].value,
        metadata["rows_inserted"].value,
        metadata["rows_updated"].value,
    ) == (11, 10, 1)
    assert metadata["watermark_after"].value == "2024-03-02T00:00:00+00:00"
    assert all(_checks(third).values())
    state = watermark_store(live).get("app", "public", "DeviceLocation")
    assert state.watermark == datetime(2024, 3, 2, tzinfo=UTC)


def test_the_checks_can_fail(app, instance) -> None:
    defs, _ = _prepare(app, instance)
    live = Source(app.source("app"), app)
    assert _load(defs, instance, "dimensions", "Company").success
    target = live.bronze_path("app_company")

    # A hard delete in the source: bronze keeps the row, the count check warns.
    with psycopg.connect(live.url, autocommit=True) as conn:
        conn.execute('DELETE FROM "DeviceLocation" WHERE "CompanyId" = 7')
        conn.execute('DELETE FROM "Company" WHERE "Id" = 7')
    # A duplicate key written behind the loader's back into bronze.
    bronze = DeltaTable(str(target)).to_pyarrow_table()
    write_deltalake(str(target), bronze.filter(pa.compute.equal(bronze["Id"], 3)), mode="append")
    # The watermark table restored from an old backup, and the newest source row
    # deleted: the load re-reads from the old watermark and records a lower one.
    store = watermark_store(live)
    store.record_success(
        "app",
        "public",
        "Company",
        watermark_column="CreatedAt",
        watermark=datetime(2024, 1, 1, tzinfo=UTC),
        row_count=0,
    )
    with psycopg.connect(live.url, autocommit=True) as conn:
        conn.execute('DELETE FROM "DeviceLocation" WHERE "CompanyId" = 50')
        conn.execute('DELETE FROM "Company" WHERE "Id" = 50')

    result = _load(defs, instance, "dimensions", "Company")
    assert result.success, "checks report; they do not fail the load"
    checks = _checks(result)
    assert checks["row_count_reconciles"] is False
    assert checks["primary_key_unique"] is False
    assert checks["watermark_not_backwards"] is False
    evaluation = next(
        c for c in result.get_asset_check_evaluations() if c.check_name == "primary_key_unique"
    )
    assert evaluation.metadata["duplicate_keys"].value == 1


def test_full_load_mode_overwrites(app, instance) -> None:
    defs, _ = _prepare(app, instance)
    live = Source(app.source("app"), app)
    assert _load(defs, instance, "dimensions", "Company").success
    with psycopg.connect(live.url, autocommit=True) as conn:
        conn.execute('DELETE FROM "DeviceLocation" WHERE "CompanyId" = 50')
        conn.execute('DELETE FROM "Company" WHERE "Id" = 50')
    result = _load(defs, instance, "dimensions", "Company", mode="full")
    assert _metadata(result, "dimensions")["mode"].value == "full"
    target = live.bronze_path("app_company")
    assert DeltaTable(str(target)).to_pyarrow_dataset().count_rows() == 49
    assert all(_checks(result).values())


def test_a_failed_load_names_the_table_and_keeps_the_watermark(app, instance) -> None:
    defs, _ = _prepare(app, instance)
    live = Source(app.source("app"), app)
    assert _load(defs, instance, "facts", "DeviceLocation").success
    before = watermark_store(live).get("app", "public", "DeviceLocation").watermark
    with psycopg.connect(live.url, autocommit=True) as conn:
        conn.execute('ALTER TABLE "DeviceLocation" RENAME TO "DeviceLocationOld"')

    result = _load(defs, instance, "facts", "DeviceLocation")
    assert not result.success
    message = result.get_step_failure_events()[0].step_failure_data.error.message
    assert "DeviceLocation" in message
    assert "last successful watermark" in message
    state = watermark_store(live).get("app", "public", "DeviceLocation")
    assert state.watermark == before
    assert state.last_load_status == "failed"


def test_unknown_partition_says_to_rematerialize_the_registry(app, instance) -> None:
    defs, _ = _prepare(app, instance)
    instance.add_dynamic_partitions("app__bronze_dimensions", ["Ghost"])
    result = _load(defs, instance, "dimensions", "Ghost")
    assert not result.success
    message = result.get_step_failure_events()[0].step_failure_data.error.message
    assert "no registered table 'Ghost'" in message and "table_registry" in message


def test_the_cli_materializes_one_partition(app, tmp_path: Path) -> None:
    """`dagster asset materialize --select app/bronze_facts --partition DeviceLocation`
    after the registry, as the README says."""
    url = app.source("app").url_secret()
    config = tmp_path / "lakebridge.yaml"
    config.write_text(
        f"output_dir: {tmp_path / 'cli'}\nsources:\n"
        f"  - {{name: app, dialect: postgres, url: '${{APP_TEST_URL}}'}}\n"
    )
    env = {
        **os.environ,
        "LAKEBRIDGE_CONFIG": str(config),
        "DAGSTER_HOME": str(tmp_path),
        "APP_TEST_URL": url,
    }
    dagster = str(Path(sys.executable).with_name("dagster"))
    base = [dagster, "asset", "materialize", "-m", "lakebridge_dagster.definitions"]
    for extra in (
        ["--select", "app/source_catalog,app/table_registry"],
        ["--select", "app/bronze_facts", "--partition", "DeviceLocation"],
    ):
        run = subprocess.run(
            base + extra, cwd=REPO, env=env, capture_output=True, text=True, timeout=300
        )
        assert run.returncode == 0, run.stderr[-3000:]
    registry = TableRegistry.read(tmp_path / "cli" / "app" / "registry" / "table_registry.json")
    assert registry.table("DeviceLocation").category == "facts"
    target = tmp_path / "cli" / "lakehouse" / "app" / "bronze" / "devicelocation"
    assert DeltaTable(str(target)).to_pyarrow_dataset().count_rows() == 2000
