"""The table registry: heuristics on the demo catalog (real embedded PostgreSQL),
overrides, exclusions and the JSON file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lakebridge_dagster.bronze.registry import (
    FETCH_SIZES,
    SCHEMA_VERSION,
    RegistryError,
    TableRegistry,
    WatermarkSpec,
    bronze_table_name,
    derive_registry,
)
from lakebridge_dagster.catalog.model import (
    CatalogObject,
    Column,
    ForeignKey,
    Index,
    ObjectType,
    SourceCatalog,
)
from lakebridge_dagster.config import SourceConfig

DEMO_OVERRIDES = {"Zone": {"geometry_columns": ["Coordinates"]}, "CompanyType": {"full_load": True}}
GREATEST3 = "GREATEST(CreatedAt, UpdatedAt, DeletedAt)"

# table -> (category, watermark as described, load mode): the seed.py inventory.
DEMO_TABLES = {
    "CompanyType": ("dimensions", None, "full"),
    "Company": ("dimensions", GREATEST3, "incremental"),
    "Activity": ("dimensions", GREATEST3, "incremental"),
    "Project": ("dimensions", GREATEST3, "incremental"),
    "Site": ("dimensions", GREATEST3, "incremental"),
    "Zone": ("dimensions", GREATEST3, "incremental"),
    "Worker": ("dimensions", GREATEST3, "incremental"),
    "Crew": ("dimensions", GREATEST3, "incremental"),
    "Device": ("dimensions", GREATEST3, "incremental"),
    "Equipment": ("dimensions", GREATEST3, "incremental"),
    "CrewWorker": ("assignments", GREATEST3, "incremental"),
    "WorkerProject": ("assignments", GREATEST3, "incremental"),
    "ZoneActivity": ("assignments", GREATEST3, "incremental"),
    "DeviceAssignment": ("assignments", GREATEST3, "incremental"),
    "Crew Shift": ("assignments", GREATEST3, "incremental"),
    "DeviceLocation": ("facts", "GREATEST(CreatedAt, UpdatedAt)", "incremental"),
    "EquipmentTelemetry": ("facts", "CreatedAt", "incremental"),
    "Attendance": ("facts", GREATEST3, "incremental"),
    "WorkerHistory": ("history", "ChangedAt", "incremental"),
    "ZoneHistory": ("history", "CreatedAt", "incremental"),
}

# table -> the reason the heuristics give for its category (one per rule).
DEMO_CATEGORY_REASONS = {
    "WorkerHistory": "history: the name contains 'history'",
    "CrewWorker": "assignments: the primary key is made of foreign keys (CrewId, WorkerId)",
    "WorkerProject": "assignments: the name joins the tables Worker and Project",
    "ZoneActivity": "assignments: the name joins the tables Zone and Activity",
    "DeviceAssignment": "assignments: the name ends with 'assignment'",
    "Crew Shift": "assignments: the name ends with 'shift'",
    "DeviceLocation": "facts: time-series column RecordedAt",
    "EquipmentTelemetry": (
        "facts: append-only (created timestamp only) and refers to other tables"
    ),
}


def source_config(**fields: object) -> SourceConfig:
    values: dict[str, object] = {
        "name": "demo_timescale",
        "dialect": "postgres",
        "url": "postgresql://user@localhost/db",
        "target": {"table_prefix": "timescale_"},
    }
    values.update(fields)
    return SourceConfig.model_validate(values)


def table(
    name: str,
    columns: list[tuple[str, str, bool]],
    primary_key: list[str] | None = None,
    schema: str = "dbo",
    foreign_keys: list[tuple[list[str], str]] | None = None,
    unique: list[list[str]] | None = None,
    row_count: int | None = None,
) -> CatalogObject:
    return CatalogObject(
        schema_name=schema,
        name=name,
        type=ObjectType.TABLE,
        columns=[
            Column(name=n, data_type=t, nullable=nullable, ordinal=i)
            for i, (n, t, nullable) in enumerate(columns, 1)
        ],
        primary_key=primary_key or [],
        foreign_keys=[
            ForeignKey(
                name=f"FK_{name}_{i}",
                columns=cols,
                referenced_schema=schema,
                referenced_table=ref,
                referenced_columns=["Id"],
            )
            for i, (cols, ref) in enumerate(foreign_keys or [])
        ],
        indexes=[
            Index(name=f"UQ_{i}", columns=cols, unique=True) for i, cols in enumerate(unique or [])
        ],
        row_count=row_count,
    )


def catalog(*tables: CatalogObject, dialect: str = "sqlserver") -> SourceCatalog:
    return SourceCatalog(source="src", dialect=dialect, objects=list(tables))


ID = ("Id", "int", False)


@pytest.fixture(scope="module")
def demo_registry(demo_catalog: SourceCatalog) -> TableRegistry:
    return derive_registry(demo_catalog, source_config(tables=DEMO_OVERRIDES))


@pytest.mark.parametrize(("name", "expected"), sorted(DEMO_TABLES.items()))
def test_demo_table(
    demo_registry: TableRegistry, name: str, expected: tuple[str, str | None, str]
) -> None:
    entry = demo_registry.table(name)
    watermark = entry.watermark.describe() if entry.watermark else None
    assert (entry.category, watermark, entry.load_mode) == expected
    assert entry.fetch_size == FETCH_SIZES[entry.category]
    assert entry.partition_key == name  # one schema: bare table names


@pytest.mark.parametrize(("name", "reason"), sorted(DEMO_CATEGORY_REASONS.items()))
def test_demo_category_reason(demo_registry: TableRegistry, name: str, reason: str) -> None:
    assert demo_registry.table(name).category_reason == reason


def test_demo_registry_as_a_whole(demo_registry: TableRegistry) -> None:
    assert {t.name for t in demo_registry.tables} == set(DEMO_TABLES)
    [audit] = demo_registry.excluded
    assert audit.name == "AuditTrail"
    assert "no primary key" in audit.reason and "tables.AuditTrail.primary_key" in audit.reason
    assert demo_registry.table("CrewWorker").primary_key == ["CrewId", "WorkerId"]
    assert demo_registry.table("Crew Shift").target_table == "timescale_crew_shift"
    assert demo_registry.table("Zone").geometry_columns == ["Coordinates"]
    assert demo_registry.table("Zone").overrides == ["Zone"]
    # "Coordinates" is a built-in polygon in the demo, not PostGIS: a warning says so.
    assert any("Zone.Coordinates" in w and "polygon" in w for w in demo_registry.warnings)
    # CreatedAt is NOT NULL, so GREATEST never loses a row; a lone UpdatedAt would.
    assert demo_registry.table("Worker").watermark == WatermarkSpec(
        kind="greatest", columns=["CreatedAt", "UpdatedAt", "DeletedAt"], type="timestamp"
    )


def test_demo_audit_trail_loads_when_configured(demo_catalog: SourceCatalog) -> None:
    full = derive_registry(demo_catalog, source_config(tables={"AuditTrail": {"full_load": True}}))
    audit = full.table("AuditTrail")
    assert (audit.load_mode, audit.primary_key, audit.category) == ("full", [], "history")
    keyed = derive_registry(
        demo_catalog,
        source_config(
            tables={"AuditTrail": {"primary_key": ["TableName", "RecordId", "EventTime"]}}
        ),
    )
    assert keyed.table("AuditTrail").primary_key == ["TableName", "RecordId", "EventTime"]
    # No change-tracking column, but an event time: incremental on it.
    assert keyed.table("AuditTrail").load_mode == "incremental"
    assert keyed.table("AuditTrail").watermark_reason == (
        "event-time column EventTime (rows committed late need a lag window)"
    )


def test_a_table_without_key_or_watermark_is_excluded_too() -> None:
    registry = derive_registry(
        catalog(table("SyncLog", [("message", "text", True)])), source_config()
    )
    assert registry.tables == []
    [excluded] = registry.excluded
    assert excluded.name == "SyncLog" and "no primary key" in excluded.reason


def test_exclude_and_category_override(demo_catalog: SourceCatalog) -> None:
    registry = derive_registry(
        demo_catalog,
        source_config(
            exclude=["Worker", "Nope"],
            tables={"Device": {"category": "facts", "fetch_size": 7}},
        ),
    )
    assert "Worker" not in {t.name for t in registry.tables}
    assert {e.name: e.reason for e in registry.excluded}["Worker"] == (
        "excluded by the config (`exclude`)"
    )
    device = registry.table("Device")
    assert (device.category, device.fetch_size) == ("facts", 7)
    assert device.category_reason == "config `tables.Device.category`"
    assert any("exclude: Nope" in w for w in registry.warnings)


# (columns, dialect) -> watermark spec
WATERMARK_CASES = [
    pytest.param(
        [ID, ("RowVer", "rowversion", False), ("UpdatedAt", "datetime2(7)", True)],
        "sqlserver",
        WatermarkSpec(kind="column", columns=["RowVer"], type="bigint", rowversion=True),
        id="rowversion-wins",
    ),
    pytest.param(
        [ID, ("RowVer", "timestamp", False)],
        "scripts",
        WatermarkSpec(kind="column", columns=["RowVer"], type="bigint", rowversion=True),
        id="tsql-timestamp-is-rowversion",
    ),
    pytest.param(
        [ID, ("ModifiedDate", "datetime", False)],
        "sqlserver",
        WatermarkSpec(kind="column", columns=["ModifiedDate"], type="timestamp"),
        id="modified-date",
    ),
    pytest.param(
        [ID, ("updated_at", "timestamp without time zone", True)],
        "postgres",
        WatermarkSpec(kind="column", columns=["updated_at"], type="timestamp", nullable=True),
        id="snake-case-nullable",
    ),
    pytest.param(
        [
            ID,
            ("deleted_at", "timestamp with time zone", True),
            ("created_at", "timestamp(3) with time zone", False),
            ("modified_at", "timestamp with time zone", True),
        ],
        "postgres",
        WatermarkSpec(
            kind="greatest",
            columns=["created_at", "modified_at", "deleted_at"],
            type="timestamp",
        ),
        id="greatest-in-created-updated-deleted-order",
    ),
    pytest.param(
        [ID, ("RecordedAt", "datetime2(3)", False)],
        "sqlserver",
        WatermarkSpec(kind="column", columns=["RecordedAt"], type="timestamp"),
        id="event-time-fallback",
    ),
    pytest.param(
        [ID, ("RecordedAt", "datetime2(3)", False), ("UpdatedAt", "datetime2(3)", True)],
        "sqlserver",
        WatermarkSpec(kind="greatest", columns=["RecordedAt", "UpdatedAt"], type="timestamp"),
        id="nullable-updated-joined-by-event-time",
    ),
    pytest.param(
        [ID, ("UpdatedAt", "varchar(30)", True)],
        "postgres",
        None,
        id="not-a-timestamp",
    ),
    pytest.param([ID, ("Name", "text", False)], "postgres", None, id="nothing"),
]


@pytest.mark.parametrize(("columns", "dialect", "expected"), WATERMARK_CASES)
def test_watermark_heuristics(
    columns: list[tuple[str, str, bool]], dialect: str, expected: WatermarkSpec | None
) -> None:
    registry = derive_registry(
        catalog(table("T", columns, ["Id"]), dialect=dialect), source_config()
    )
    entry = registry.table("T")
    assert entry.watermark == expected
    assert entry.full_load is (expected is None)


DIMS = [
    table("Worker", [ID], ["Id"]),
    table("Project", [ID], ["Id"]),
    table("Team", [ID], ["Id"]),
]
# table -> expected category, with the demo-independent rules one by one.
CATEGORY_CASES = [
    pytest.param(table("sync_log", [ID], ["Id"]), "history", id="snake-log"),
    pytest.param(table("AuditEvents", [ID], ["Id"]), "history", id="audit-word"),
    pytest.param(table("Catalog", [ID], ["Id"]), "dimensions", id="log-inside-a-word"),
    pytest.param(table("workers_projects", [ID], ["Id"]), "assignments", id="plural-joined-names"),
    pytest.param(
        table(
            "Staffing",
            [ID, ("WorkerId", "int", False), ("ProjectId", "int", False)],
            ["Id"],
            foreign_keys=[(["WorkerId"], "Worker"), (["ProjectId"], "Project")],
            unique=[["WorkerId", "ProjectId"]],
        ),
        "assignments",
        id="unique-over-foreign-keys",
    ),
    pytest.param(table("TeamMember", [ID], ["Id"]), "assignments", id="member-last-word"),
    pytest.param(table("Member", [ID], ["Id"]), "dimensions", id="member-alone"),
    pytest.param(table("Readings", [ID], ["Id"], row_count=2_000_000), "facts", id="large"),
    pytest.param(
        table("Readings", [ID, ("CreatedAt", "datetime", False)], ["Id"]),
        "dimensions",
        id="created-only-without-foreign-key",
    ),
]


@pytest.mark.parametrize(("entry", "expected"), CATEGORY_CASES)
def test_category_heuristics(entry: CatalogObject, expected: str) -> None:
    registry = derive_registry(catalog(*DIMS, entry), source_config())
    assert registry.table(entry.name).category == expected


def test_several_schemas_qualify_partition_keys_and_bronze_names() -> None:
    registry = derive_registry(
        catalog(
            table("Worker", [ID], ["Id"], schema="dbo"),
            table("Worker", [ID], ["Id"], schema="stg"),
        ),
        source_config(target={"table_prefix": "dw_"}, tables={"stg.Worker": {"fetch_size": 5}}),
    )
    assert [(t.partition_key, t.target_table, t.fetch_size) for t in registry.tables] == [
        ("dbo.Worker", "dw_dbo_worker", 50_000),
        ("stg.Worker", "dw_stg_worker", 5),
    ]


def test_bronze_name_collision_excludes_the_second_table() -> None:
    registry = derive_registry(
        catalog(table("Crew Shift", [ID], ["Id"]), table("crew_shift", [ID], ["Id"])),
        source_config(),
    )
    assert [t.name for t in registry.tables] == ["Crew Shift"]
    [excluded] = registry.excluded
    assert excluded.name == "crew_shift" and "already taken by dbo.Crew Shift" in excluded.reason


def test_watermark_expression_override_is_parsed_not_pasted() -> None:
    columns = [ID, ("A", "datetime", True), ("B", "datetime", True)]
    registry = derive_registry(
        catalog(table("T", columns, ["Id"])),
        source_config(tables={"T": {"watermark_expression": "GREATEST(COALESCE([A], 0), B)"}}),
    )
    assert registry.table("T").watermark == WatermarkSpec(
        kind="greatest", columns=["A", "B"], type="timestamp", nullable=True
    )


def test_bad_overrides_are_reported_together() -> None:
    columns = [ID, ("Name", "nvarchar(20)", False), ("UpdatedAt", "datetime", True)]
    config = source_config(
        tables={
            "T": {
                "primary_key": ["Nope"],
                "geometry_columns": ["Shape"],
            },
            "U": {"watermark_expression": "UpdatedAt + 1; DROP TABLE x"},
            "V": {"watermark_column": "Name"},
        }
    )
    with pytest.raises(RegistryError) as raised:
        derive_registry(
            catalog(
                table("T", columns, ["Id"]),
                table("U", columns, ["Id"]),
                table("V", columns, ["Id"]),
            ),
            config,
        )
    message = str(raised.value)
    assert "4 problems" in message
    assert "dbo.T: `tables.T.primary_key` names column 'Nope'" in message
    assert "`tables.T.geometry_columns` names column 'Shape'" in message
    assert "dbo.U: `tables.U.watermark_expression`" in message and "GREATEST(" in message
    assert "dbo.V: `tables.V.watermark_column` must be timestamp/date" in message


def test_spatial_columns_by_type() -> None:
    registry = derive_registry(
        catalog(
            table(
                "Site",
                [ID, ("Location", "geography", True), ("Name", "nvarchar(9)", False)],
                ["Id"],
            ),
            table(
                "Zone",
                [("id", "integer", False), ("shape", "public.geometry(Polygon,4326)", True)],
                ["id"],
            ),
        ),
        source_config(),
    )
    assert registry.table("Site").geometry_columns == ["Location"]
    assert registry.table("Zone").geometry_columns == ["shape"]
    assert registry.warnings == []


@pytest.mark.parametrize(
    ("prefix", "name", "schema", "expected"),
    [
        ("timescale_", "DeviceLocation", None, "timescale_devicelocation"),
        ("", "Crew Shift", None, "crew_shift"),
        ("dw_", 'a"b', "stg", "dw_stg_a_b"),
    ],
)
def test_bronze_table_name(prefix: str, name: str, schema: str | None, expected: str) -> None:
    assert bronze_table_name(prefix, name, schema) == expected


def test_write_read_round_trip(demo_registry: TableRegistry, tmp_path: Path) -> None:
    path = demo_registry.write(tmp_path / "registry" / "table_registry.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["tables"][0]["schema"] == "public"
    assert TableRegistry.read(path) == demo_registry
    assert not list(path.parent.glob("*.tmp"))
    data["schema_version"] = 0
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="re-materialize the table_registry asset"):
        TableRegistry.read(path)


def test_unknown_partition_key_names_the_fix(demo_registry: TableRegistry) -> None:
    with pytest.raises(KeyError, match="re-materialize the table_registry asset"):
        demo_registry.table("Nope")
