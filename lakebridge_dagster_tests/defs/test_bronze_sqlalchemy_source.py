"""Bronze in Dagster for a `sqlserver` source: registry, loads, checks and the
source-change sensor through SQLAlchemy, on a real SQLite file database.

No SQL Server can run here. A `sqlserver` source's bronze SQL follows its URL's
scheme (as `load_table` does), so pointing the source at a `sqlite://` file runs
every dialect-neutral piece for real: the Definitions, the partitioned assets,
the generic reader, the Delta writes, the reconciliation count and the
`MAX(watermark)` queries through `Source`, the sensor's decisions. The tables
declare SQL Server type names (SQLite accepts them), and the catalog is the one
the SQL Server extractor would write for them (that extractor's queries read
`sys.*` views, which SQLite lacks: they are tested on recorded rows in
catalog/). The T-SQL text of the same queries is covered by bronze/test_query.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from dagster import (
    AssetKey,
    DagsterInstance,
    Definitions,
    build_sensor_context,
    instance_for_test,
    materialize,
)
from dagster._core.definitions.sensor_definition import SensorExecutionData
from deltalake import DeltaTable

from lakebridge_dagster.catalog.model import (
    CatalogObject,
    Column,
    ForeignKey,
    ObjectType,
    SourceCatalog,
)
from lakebridge_dagster.config import LakebridgeConfig, parse_config
from lakebridge_dagster.definitions import build_definitions
from lakebridge_dagster.defs.bronze.assets import build_table_registry_asset
from lakebridge_dagster.defs.resources import source_resources
from lakebridge_dagster.sources import Source

# (table, [(column, SQL Server type, nullable)], primary key)
TABLES = [
    (
        "Company",
        [
            ("Id", "int", False),
            ("Name", "nvarchar(50)", False),
            ("CreatedAt", "datetime2(7)", False),
            ("UpdatedAt", "datetime2(7)", True),
        ],
    ),
    (
        "DeviceLocation",
        [
            ("Id", "bigint", False),
            ("CompanyId", "int", False),
            ("Latitude", "float", True),
            ("RecordedAt", "datetime2(7)", False),
        ],
    ),
]
ROWS = """
INSERT INTO "Company" VALUES
    (1, 'one', '2024-01-01 01:00:00', NULL),
    (2, 'two', '2024-01-01 02:00:00', '2024-01-05 00:00:00'),
    (3, 'three', '2024-01-01 03:00:00', NULL);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
INSERT INTO "DeviceLocation"
    SELECT i, 1 + i % 3, i / 10.0, datetime('2024-02-01 00:00:00', '+' || i || ' minutes')
    FROM n;
"""


@dataclass
class Shop:
    """The `shop` source (dialect sqlserver, a SQLite file), its Dagster parts."""

    database: Path
    config: LakebridgeConfig
    defs: Definitions
    instance: DagsterInstance

    @property
    def live(self) -> Source:
        return Source(self.config.source("shop"), self.config)

    def sql(self, script: str) -> None:
        with sqlite3.connect(self.database) as conn:
            conn.executescript(script)

    def count(self, table: str) -> int:
        with sqlite3.connect(self.database) as conn:
            return conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]

    def materialize_registry(self) -> None:
        asset = build_table_registry_asset(self.config.source("shop"))
        result = materialize(
            [asset], resources=source_resources(self.config), instance=self.instance
        )
        assert result.success

    def load(self, category: str, key: str):
        job = self.defs.resolve_job_def(f"shop__bronze_{category}_job")
        return job.execute_in_process(partition_key=key, instance=self.instance)

    def sensor_tick(self, cursor: str | None) -> SensorExecutionData:
        repository = self.defs.get_repository_def()
        with build_sensor_context(
            instance=self.instance,
            instance_ref=self.instance.get_ref(),
            cursor=cursor,
            resources=source_resources(self.config),
            repository_def=repository,
        ) as context:
            sensor = repository.get_sensor_def("shop__source_change_sensor")
            return sensor.evaluate_tick(context)


def sqlserver_catalog() -> SourceCatalog:
    """The catalog the SQL Server extractor writes for TABLES."""
    objects = [
        CatalogObject(
            schema="main",
            name=name,
            type=ObjectType.TABLE,
            columns=[
                Column(name=column, data_type=data_type, nullable=nullable, ordinal=i)
                for i, (column, data_type, nullable) in enumerate(columns, start=1)
            ],
            primary_key=["Id"],
            foreign_keys=[
                ForeignKey(
                    name="FK_DeviceLocation_Company",
                    columns=["CompanyId"],
                    referenced_schema="main",
                    referenced_table="Company",
                    referenced_columns=["Id"],
                )
            ]
            if name == "DeviceLocation"
            else [],
            row_count=3 if name == "Company" else 200,
        )
        for name, columns in TABLES
    ]
    return SourceCatalog(source="shop", dialect="sqlserver", objects=objects)


@pytest.fixture()
def shop(tmp_path: Path) -> Iterator[Shop]:
    database = tmp_path / "shop.db"
    with sqlite3.connect(database) as conn:
        for name, columns in TABLES:
            declared = ", ".join(
                f'"{column}" {data_type.upper()}{"" if nullable else " NOT NULL"}'
                for column, data_type, nullable in columns
            )
            conn.execute(f'CREATE TABLE "{name}" ({declared}, PRIMARY KEY ("Id"))')
        conn.executescript(ROWS)
    config = parse_config(
        {
            "output_dir": str(tmp_path / "out"),
            "sources": [
                {
                    "name": "shop",
                    "dialect": "sqlserver",
                    "url": f"sqlite:///{database}",
                    "target": {"catalog": "lake", "schema": "raw", "table_prefix": "shop_"},
                },
                {"name": "ddl", "dialect": "scripts", "path": str(tmp_path)},
            ],
        }
    )
    sqlserver_catalog().write(Source(config.source("shop"), config).catalog_path)
    with instance_for_test() as instance:
        yield Shop(database, config, build_definitions(config), instance)


def requested(result: SensorExecutionData) -> dict[str, str | None]:
    return {r.partition_key: r.job_name for r in result.run_requests or []}


def test_live_sources_get_bronze_and_scripts_folders_do_not(shop: Shop) -> None:
    keys = {key.to_user_string() for key in shop.defs.resolve_all_asset_keys()}
    assert {
        "shop/table_registry",
        "shop/bronze_dimensions",
        "shop/bronze_assignments",
        "shop/bronze_facts",
        "shop/bronze_history",
    } <= keys
    assert not {key for key in keys if key.startswith("ddl/") and "bronze" in key}
    assert "ddl/table_registry" not in keys
    repository = shop.defs.get_repository_def()
    assert repository.has_sensor_def("shop__source_change_sensor")
    assert repository.has_sensor_def("shop__new_tables_sensor")
    assert not repository.has_sensor_def("ddl__source_change_sensor")
    assert repository.has_job("shop__bronze_facts_job")
    bronze = shop.defs.resolve_assets_def(AssetKey(["shop", "bronze_facts"]))
    assert "sqlserver" in bronze.specs_by_key[AssetKey(["shop", "bronze_facts"])].kinds
    assert shop.live.query_dialect == "sqlite"


def test_loads_checks_and_the_change_sensor_run_through_sqlalchemy(
    shop: Shop, capfd: pytest.CaptureFixture[str]
) -> None:
    shop.materialize_registry()
    assert shop.instance.get_dynamic_partitions("shop__bronze_dimensions") == ["Company"]
    assert shop.instance.get_dynamic_partitions("shop__bronze_facts") == ["DeviceLocation"]

    first = shop.sensor_tick(None)
    assert requested(first) == {
        "Company": "shop__bronze_dimensions_job",
        "DeviceLocation": "shop__bronze_facts_job",
    }
    # Company's watermark is the greatest of CreatedAt and UpdatedAt, read as the
    # ISO text SQLite keeps: the run key carries it as a UTC timestamp.
    assert {r.run_key for r in first.run_requests} == {
        "Company:2024-01-05T00:00:00+00:00",
        "DeviceLocation:2024-02-01T03:20:00+00:00",
    }

    for category, key in (("dimensions", "Company"), ("facts", "DeviceLocation")):
        result = shop.load(category, key)
        assert result.success
        metadata = result.asset_materializations_for_node(f"shop__bronze_{category}")[0].metadata
        assert metadata["status"].value == "success"
        assert metadata["rows_read"].value == shop.count(key)
        assert {c.check_name: c.passed for c in result.get_asset_check_evaluations()} == {
            "row_count_reconciles": True,
            "primary_key_unique": True,
            "watermark_not_backwards": True,
        }
        target = shop.live.bronze_path(f"shop_{key.lower()}")
        assert DeltaTable(str(target)).to_pyarrow_dataset().count_rows() == shop.count(key)

    caught_up = shop.sensor_tick(first.cursor)
    assert not caught_up.run_requests
    assert caught_up.cursor == "{}"

    shop.sql(
        """INSERT INTO "DeviceLocation" VALUES (201, 1, 0.5, '2024-03-01 00:00:00');
        UPDATE "DeviceLocation" SET "Latitude" = -1, "RecordedAt" = '2024-03-02 00:00:00'
            WHERE "Id" = 5;"""
    )
    moved = shop.sensor_tick(caught_up.cursor)
    assert requested(moved) == {"DeviceLocation": "shop__bronze_facts_job"}
    again = shop.load("facts", "DeviceLocation")
    metadata = again.asset_materializations_for_node("shop__bronze_facts")[0].metadata
    assert (metadata["rows_read"].value, metadata["rows_inserted"].value) == (2, 1)
    assert metadata["rows_updated"].value == 1
    assert metadata["watermark_after"].value == "2024-03-02T00:00:00+00:00"
    assert all(c.passed for c in again.get_asset_check_evaluations())
    bronze = DeltaTable(str(shop.live.bronze_path("shop_devicelocation"))).to_pyarrow_table()
    assert bronze.num_rows == 201
    assert -1.0 in bronze.column("Latitude").to_pylist()

    # One table whose query fails is skipped and reported; the others are still read.
    shop.sql(
        """DROP TABLE "Company";
        INSERT INTO "DeviceLocation" VALUES (202, 1, 0.5, '2024-04-01 00:00:00');"""
    )
    after_drop = shop.sensor_tick(moved.cursor)
    assert requested(after_drop) == {"DeviceLocation": "shop__bronze_facts_job"}
    assert (
        "cannot read MAX(GREATEST(CreatedAt, UpdatedAt)) of main.Company" in capfd.readouterr().err
    )


def test_the_all_categories_job_runs_on_a_sqlalchemy_source(shop: Shop) -> None:
    shop.materialize_registry()
    job = shop.defs.resolve_job_def("shop__bronze_all")
    result = job.execute_in_process(instance=shop.instance)
    assert result.success
    for category, key in (("dimensions", "Company"), ("facts", "DeviceLocation")):
        asset_key = AssetKey(["shop", f"bronze_{category}"])
        assert shop.instance.get_materialized_partitions(asset_key) == {key}
        target = shop.live.bronze_path(f"shop_{key.lower()}")
        assert DeltaTable(str(target)).to_pyarrow_dataset().count_rows() == shop.count(key)
    assert len(result.get_asset_check_evaluations()) == 6
    assert all(check.passed for check in result.get_asset_check_evaluations())
