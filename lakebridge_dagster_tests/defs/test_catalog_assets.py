"""The source_catalog assets, materialized for real with Dagster."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from dagster import AssetKey, DagsterInstance, materialize

from lakebridge_dagster.catalog.model import SourceCatalog
from lakebridge_dagster.config import LakebridgeConfig, parse_config
from lakebridge_dagster.definitions import build_definitions
from lakebridge_dagster.defs.catalog.assets import build_source_catalog_asset
from lakebridge_dagster.defs.resources import source_resources

REPO = Path(__file__).resolve().parents[2]
DEMO_TSQL = REPO / "lakebridge_dagster" / "demo" / "tsql"
DEMO_FACT_ROWS = 3_000


def _materialize(config: LakebridgeConfig, source: str, instance: DagsterInstance | None = None):
    return materialize(
        [build_source_catalog_asset(config.source(source))],
        resources=source_resources(config),
        instance=instance,
        raise_on_error=False,
    )


@pytest.fixture()
def demo_config(tmp_path: Path, pg_data_dir: Path, pg_server) -> LakebridgeConfig:
    """The default config's two demo sources, outputs in tmp_path, the embedded
    database on the session's server (same data dir: pgserver attaches to it)."""
    return parse_config(
        {
            "output_dir": str(tmp_path / "out"),
            "sources": [
                {
                    "name": "demo_timescale",
                    "dialect": "postgres",
                    "embedded": {
                        "database": "wakecap_demo_test",
                        "seed": "demo",
                        "fact_rows": DEMO_FACT_ROWS,
                        "data_dir": str(pg_data_dir),
                    },
                },
                {"name": "demo_sqlserver", "dialect": "scripts", "path": str(DEMO_TSQL)},
            ],
        }
    )


def test_default_definitions_have_one_graph_per_source() -> None:
    defs = build_definitions(
        parse_config(
            {
                "sources": [
                    {"name": "a_pg", "dialect": "postgres", "url": "postgresql://u:p@h/db"},
                    {"name": "b_dw", "dialect": "scripts", "path": str(DEMO_TSQL)},
                ]
            }
        )
    )
    keys = {key.to_user_string() for key in defs.resolve_all_asset_keys()}
    assert {"a_pg/source_catalog", "b_dw/source_catalog"} <= keys
    assert defs.resolve_assets_def(AssetKey(["b_dw", "source_catalog"])).group_names_by_key


@pytest.mark.parametrize(
    "config_text",
    [
        None,  # the default lakebridge.yaml
        f"sources:\n  - {{name: only_scripts, dialect: scripts, path: {DEMO_TSQL}}}\n",
    ],
)
def test_code_location_loads_with_the_dagster_cli(tmp_path: Path, config_text: str | None) -> None:
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path)}
    env.pop("LAKEBRIDGE_CONFIG", None)
    if config_text is not None:
        (tmp_path / "lakebridge.yaml").write_text(config_text)
        env["LAKEBRIDGE_CONFIG"] = str(tmp_path / "lakebridge.yaml")
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("dagster")),
            "definitions",
            "validate",
            "-w",
            str(REPO / "workspace.yaml"),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_broken_config_fails_the_code_location_with_one_clear_message(tmp_path: Path) -> None:
    (tmp_path / "lakebridge.yaml").write_text("sources:\n  - {name: dw, dialect: oracle, url: x}\n")
    env = {
        **os.environ,
        "LAKEBRIDGE_CONFIG": str(tmp_path / "lakebridge.yaml"),
        "DAGSTER_HOME": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", "import lakebridge_dagster.definitions"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "sources[0].dialect (source 'dw'): 'oracle' is not allowed" in result.stderr


# The shipped demo folder's inventory (lakebridge_dagster/demo/tsql/README.md).
DEMO_TSQL_COUNTS = {
    "TABLE": 15,
    "VIEW": 4,
    "PROCEDURE": 10,
    "FUNCTION": 4,
    "TRIGGER": 2,
    "SEQUENCE": 1,
}


def test_materialize_demo_sqlserver_catalog(demo_config: LakebridgeConfig) -> None:
    result = _materialize(demo_config, "demo_sqlserver")
    assert result.success

    path = demo_config.catalog_path(demo_config.source("demo_sqlserver"))
    catalog = SourceCatalog.read(path)
    assert catalog.dialect == "scripts"
    assert catalog.counts_by_type() == DEMO_TSQL_COUNTS
    assert catalog.find("CrewWorker").primary_key == ["CrewId", "WorkerId"]
    assert catalog.find("DeviceLocationImport", "stg").primary_key == []
    assert catalog.find("Attendance").primary_key == ["Id"], "PK added by a later ALTER TABLE"
    worker = {c.name: c for c in catalog.find("Worker").columns}
    assert worker["RowVer"].data_type == "rowversion"
    assert worker["Id"].is_identity and not worker["Id"].nullable
    assert {c.data_type for c in catalog.find("Zone").columns} >= {"geography"}
    # Both stub-then-ALTER procedures are one object whose definition is the ALTER.
    for name in ("usp_SyncEquipmentFromERP", "usp_PurgeSoftDeleted"):
        proc = catalog.find(name)
        assert proc.definition.lstrip().upper().startswith("ALTER PROC"), name
    # The UTF-16 files were read.
    assert catalog.find("Equipment").file == "dbo/Tables/Equipment.sql"
    assert catalog.find("usp_MergeWorkersFromHR") is not None

    materialization = result.asset_materializations_for_node("demo_sqlserver__source_catalog")[0]
    metadata = materialization.metadata
    assert metadata["tables"].value == 15
    assert metadata["procedures"].value == 10
    assert metadata["path"].value == str(path)
    assert "stg.DeviceLocationImport" in metadata["tables_without_primary_key"].value


def test_a_missing_scripts_folder_fails_with_a_clear_message(tmp_path: Path) -> None:
    config = parse_config(
        {
            "output_dir": str(tmp_path / "out"),
            "sources": [{"name": "dw", "dialect": "scripts", "path": str(tmp_path / "nope")}],
        }
    )
    result = _materialize(config, "dw")
    assert not result.success
    failure = result.get_step_failure_events()[0].step_failure_data.error
    assert "nope" in failure.message and "does not exist" in failure.message
    assert not config.catalog_path(config.source("dw")).exists()


def test_a_failed_connection_leaks_the_password_nowhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "Pa55-w0rd-xyzzy"
    monkeypatch.setenv("LB_TEST_URL", f"postgresql://migrator:{secret}@127.0.0.1:1/wakecap")
    config = parse_config(
        {
            "output_dir": str(tmp_path / "out"),
            "sources": [{"name": "prod_pg", "dialect": "postgres", "url": "${LB_TEST_URL}"}],
        }
    )
    with DagsterInstance.ephemeral() as instance:
        result = _materialize(config, "prod_pg", instance)
        assert not result.success
        error = result.get_step_failure_events()[0].step_failure_data.error
        assert "'prod_pg'" in error.message and "127.0.0.1:1" in error.message
        # Everything Dagster recorded: events, messages, serialized errors and metadata.
        records = instance.all_logs(result.run_id)
        assert records, "the run logged nothing"
        recorded = "\n".join(repr(record) for record in records)
    assert "127.0.0.1:1" in recorded
    assert secret not in recorded
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(secret not in p.read_text(errors="ignore") for p in written)


# What lakebridge_dagster/demo/seed.py creates (its docstring's inventory).
DEMO_PG_COUNTS = {
    "TABLE": 21,
    "VIEW": 4,
    "PROCEDURE": 3,
    "FUNCTION": 6,
    "TRIGGER": 2,
    # 1 explicit, 7 behind identity columns, 3 behind serial columns
    "SEQUENCE": 11,
}


def test_materialize_demo_timescale_catalog(demo_config: LakebridgeConfig) -> None:
    result = _materialize(demo_config, "demo_timescale")
    assert result.success

    catalog = SourceCatalog.read(demo_config.catalog_path(demo_config.source("demo_timescale")))
    assert catalog.dialect == "postgres" and catalog.database == "wakecap_demo_test"
    assert catalog.server is None, "the embedded server listens on a socket only"
    assert catalog.counts_by_type() == DEMO_PG_COUNTS
    assert catalog.find("DeviceLocation").row_count == DEMO_FACT_ROWS
    assert catalog.find("EquipmentTelemetry").row_count == DEMO_FACT_ROWS
    assert catalog.find("CrewWorker").primary_key == ["CrewId", "WorkerId"]
    assert catalog.find("AuditTrail").primary_key == []
    assert catalog.find("Crew Shift") is not None
    zone = {c.name: c.data_type for c in catalog.find("Zone").columns}
    assert zone["Coordinates"] == "polygon"
    device_location = {c.name: c.data_type for c in catalog.find("DeviceLocation").columns}
    assert device_location["Id"] == "bigint"
    assert device_location["UpdatedAt"] == "timestamp with time zone"
    assert catalog.find("trg_Worker_History").parent == "public.Worker"
    assert catalog.find("sp_merge_zone_activity").type.value == "PROCEDURE"
    assert "_lakebridge_demo" not in {o.schema_name for o in catalog.objects}

    metadata = result.asset_materializations_for_node("demo_timescale__source_catalog")[0].metadata
    largest = metadata["largest_tables"].value.records
    assert len(largest) == 10
    by_size = sorted(
        (t for t in catalog.objects if t.type.value == "TABLE"),
        key=lambda t: t.size_bytes,
        reverse=True,
    )
    # The ten largest by size, largest first (ties may come in either order).
    assert [r.data["size_mb"] for r in largest] == [
        round(t.size_bytes / 1_048_576, 2) for t in by_size[:10]
    ]
    assert "public.DeviceLocation" in [r.data["table"] for r in largest]
    assert metadata["database"].value == "wakecap_demo_test"

    # Materializing again reuses the seeded database and rewrites the same catalog.
    again = _materialize(demo_config, "demo_timescale")
    assert again.success
    rerun = SourceCatalog.read(demo_config.catalog_path(demo_config.source("demo_timescale")))
    assert rerun.counts_by_type() == DEMO_PG_COUNTS


def test_an_undecodable_file_is_reported_and_the_rest_is_cataloged(tmp_path: Path) -> None:
    folder = tmp_path / "sql"
    folder.mkdir()
    (folder / "good.sql").write_text("CREATE TABLE dbo.T (Id int PRIMARY KEY)\nGO\n")
    (folder / "broken.sql").write_bytes(b"CREATE VIEW dbo.V AS SELECT '\xff\xfe\xfa' AS x\nGO\n")
    config = parse_config(
        {
            "output_dir": str(tmp_path / "out"),
            "sources": [{"name": "dw", "dialect": "scripts", "path": str(folder)}],
        }
    )
    result = _materialize(config, "dw")
    assert result.success
    catalog = SourceCatalog.read(config.catalog_path(config.source("dw")))
    assert [o.name for o in catalog.objects] == ["T"]
    metadata = result.asset_materializations_for_node("dw__source_catalog")[0].metadata
    assert "broken.sql" in metadata["skipped"].value
    assert "UTF-8 or UTF-16" in metadata["skipped"].value
