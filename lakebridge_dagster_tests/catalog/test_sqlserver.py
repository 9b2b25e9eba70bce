"""The SQL Server catalog extractor without a SQL Server.

The queries are checked by parsing them as T-SQL with sqlglot; the mapping is
checked on rows recorded from a small construction-workforce DW (schemas dbo
and stg) in `data/sqlserver_rows/<query>.json`. The recorded rows are what
pyodbc returns for each query, written as JSON: `bit` as true/false (pyodbc
returns bool), the sequences' decimal(38, 0) bounds as integers (pyodbc
returns Decimal), strings and ints as they are, NULL as null.
"""

from __future__ import annotations

import json
import traceback
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel

from lakebridge_dagster.catalog.errors import SourceConnectionError
from lakebridge_dagster.catalog.model import ForeignKey, Index, ObjectType, SourceCatalog
from lakebridge_dagster.catalog.sqlserver import (
    QUERY_NAMES,
    catalog_from_rows,
    extract_sqlserver_catalog,
    load_query,
)

ROWS_DIR = Path(__file__).resolve().parent.parent / "data" / "sqlserver_rows"


def recorded_rows() -> dict[str, list[dict[str, Any]]]:
    return {
        name: json.loads((ROWS_DIR / f"{name}.json").read_text(encoding="utf-8"))
        for name in QUERY_NAMES
    }


@pytest.fixture(scope="module")
def catalog() -> SourceCatalog:
    return catalog_from_rows("wakecap_dw", "wakecap", "dw01.example.com:1433", recorded_rows())


def parsed(name: str) -> exp.Expression:
    statements = sqlglot.parse(load_query(name), read="tsql", error_level=ErrorLevel.RAISE)
    assert len(statements) == 1, f"{name}.sql holds {len(statements)} statements"
    return statements[0]


# --- the queries -------------------------------------------------------------


def test_query_names_are_the_packaged_query_files():
    folder = resources.files("lakebridge_dagster.catalog") / "queries" / "sqlserver"
    files = {entry.name.removesuffix(".sql") for entry in folder.iterdir()}
    assert files == set(QUERY_NAMES)


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_query_is_one_tsql_select_without_parameters(name):
    query = parsed(name)
    assert isinstance(query, exp.Select)
    assert not list(query.find_all(exp.Placeholder, exp.Parameter))


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_query_excludes_objects_shipped_by_microsoft(name):
    filters = [
        eq
        for eq in parsed(name).find_all(exp.EQ)
        if isinstance(eq.this, exp.Column)
        and eq.this.name == "is_ms_shipped"
        and eq.expression == exp.Literal.number(0)
    ]
    assert filters, f"{name}.sql has no is_ms_shipped = 0 filter"


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_recorded_rows_have_exactly_the_query_columns(name):
    aliases = [column.alias_or_name for column in parsed(name).expressions]
    rows = recorded_rows()[name]
    assert rows
    assert all(list(row) == aliases for row in rows)


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("primary_keys_and_indexes", "is_included_column = 0"),
        ("primary_keys_and_indexes", "i.type <> 0"),
        ("table_sizes", "p.index_id IN (0, 1)"),
        ("table_sizes", "total_pages * 8192"),
    ],
)
def test_query_has_filter_or_expression(name, fragment):
    assert fragment in parsed(name).sql("tsql", comments=False)


def test_sequence_bounds_are_cast_from_sql_variant_to_decimal_38_0():
    # pyodbc cannot read sql_variant (ODBC type -150).
    casts = {
        cast.this.name: cast.to.sql("tsql")
        for cast in parsed("sequences").find_all(exp.Cast)
        if isinstance(cast.this, exp.Column)
    }
    assert casts == dict.fromkeys(
        ["start_value", "increment", "minimum_value", "maximum_value"],
        exp.DataType.build("decimal(38, 0)", dialect="tsql").sql("tsql"),
    )


# --- the mapping: one case at a time -----------------------------------------


def one_column_rows(
    type_name: str, max_length: int, precision: int = 0, scale: int = 0, user: bool = False
) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in QUERY_NAMES}
    rows["objects"] = [
        {
            "schema_name": "dbo",
            "object_name": "T",
            "object_type": "U",
            "definition": None,
            "parent_schema": None,
            "parent_name": None,
        }
    ]
    rows["columns"] = [
        {
            "schema_name": "dbo",
            "table_name": "T",
            "column_id": 1,
            "column_name": "c",
            "type_name": type_name,
            "is_user_defined": user,
            "base_type_name": None if user else type_name,
            "max_length": max_length,
            "precision": precision,
            "scale": scale,
            "is_nullable": 1,
            "is_identity": 0,
            "is_computed": 0,
            "default_definition": None,
        }
    ]
    return rows


@pytest.mark.parametrize(
    ("type_name", "max_length", "precision", "scale", "user", "expected"),
    [
        ("int", 4, 10, 0, False, "int"),
        ("bigint", 8, 19, 0, False, "bigint"),
        ("nvarchar", 200, 0, 0, False, "nvarchar(100)"),
        ("nvarchar", -1, 0, 0, False, "nvarchar(max)"),
        ("nchar", 12, 0, 0, False, "nchar(6)"),
        ("varchar", 20, 0, 0, False, "varchar(20)"),
        ("varchar", -1, 0, 0, False, "varchar(max)"),
        ("char", 4, 0, 0, False, "char(4)"),
        ("varbinary", -1, 0, 0, False, "varbinary(max)"),
        ("binary", 6, 0, 0, False, "binary(6)"),
        ("decimal", 9, 19, 4, False, "decimal(19,4)"),
        ("numeric", 9, 12, 2, False, "numeric(12,2)"),
        ("datetime2", 8, 27, 7, False, "datetime2(7)"),
        ("datetime2", 7, 23, 3, False, "datetime2(3)"),
        ("time", 3, 8, 0, False, "time(0)"),
        ("datetimeoffset", 10, 34, 7, False, "datetimeoffset(7)"),
        ("datetime", 8, 23, 3, False, "datetime"),
        ("money", 8, 19, 4, False, "money"),
        ("float", 8, 53, 0, False, "float"),
        ("real", 4, 24, 0, False, "real"),
        ("geography", -1, 0, 0, False, "geography"),
        ("hierarchyid", 892, 0, 0, False, "hierarchyid"),
        ("xml", -1, 0, 0, False, "xml"),
        ("timestamp", 8, 0, 0, False, "rowversion"),
        ("sysname", 256, 0, 0, False, "sysname"),
        ("PhoneNumber", 40, 0, 0, True, "PhoneNumber"),
    ],
)
def test_data_type_is_written_as_sql_server_writes_it(
    type_name, max_length, precision, scale, user, expected
):
    rows = one_column_rows(type_name, max_length, precision, scale, user)
    table = catalog_from_rows("s", None, None, rows).objects[0]
    assert table.columns[0].data_type == expected


@pytest.mark.parametrize(
    ("code", "object_type", "language"),
    [
        ("U", ObjectType.TABLE, None),
        ("V", ObjectType.VIEW, None),
        ("P", ObjectType.PROCEDURE, "tsql"),
        ("PC", ObjectType.PROCEDURE, "clr"),
        ("FN", ObjectType.FUNCTION, "tsql"),
        ("IF", ObjectType.FUNCTION, "tsql"),
        ("TF", ObjectType.FUNCTION, "tsql"),
        ("FS", ObjectType.FUNCTION, "clr"),
        ("FT", ObjectType.FUNCTION, "clr"),
        ("TR", ObjectType.TRIGGER, "tsql"),
        ("TA", ObjectType.TRIGGER, "clr"),
        ("SO", ObjectType.SEQUENCE, None),
    ],
)
def test_object_type_code_maps_to_catalog_type(code, object_type, language):
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in QUERY_NAMES}
    rows["objects"] = [
        {
            "schema_name": "dbo",
            "object_name": "x",
            "object_type": code,
            "definition": None,
            "parent_schema": None,
            "parent_name": None,
        }
    ]
    (obj,) = catalog_from_rows("s", None, None, rows).objects
    assert (obj.type, obj.language) == (object_type, language)


# --- the mapping: the recorded database --------------------------------------


def test_catalog_names_source_database_and_server(catalog):
    assert (catalog.source, catalog.dialect, catalog.database, catalog.server) == (
        "wakecap_dw",
        "sqlserver",
        "wakecap",
        "dw01.example.com:1433",
    )


@pytest.mark.parametrize(
    ("object_type", "names"),
    [
        (
            ObjectType.TABLE,
            [
                "dbo.Crew",
                "dbo.CrewWorker",
                "dbo.Shift",
                "dbo.Worker",
                "dbo.Zone",
                "stg.LocationPing",
            ],
        ),
        (ObjectType.VIEW, ["dbo.vActiveWorker"]),
        (ObjectType.PROCEDURE, ["dbo.usp_AssignWorkerToCrew", "stg.usp_PurgeLocationPing"]),
        (ObjectType.FUNCTION, ["dbo.fn_CrewMembers", "dbo.fn_WorkerDisplayName"]),
        (ObjectType.TRIGGER, ["dbo.trg_Worker_SetModifiedAt"]),
        (ObjectType.SEQUENCE, ["dbo.CrewNumber"]),
    ],
)
def test_recorded_objects_of_each_type(catalog, object_type, names):
    assert sorted(obj.qualified_name for obj in catalog.of_type(object_type)) == names


@pytest.mark.parametrize(
    ("table", "primary_key"),
    [
        ("Worker", ["WorkerID"]),
        ("Zone", ["ZoneID"]),
        ("Crew", ["CrewID"]),
        # Key order, not column order: CrewID is the table's first column.
        ("CrewWorker", ["WorkerID", "CrewID"]),
        ("LocationPing", []),
    ],
)
def test_primary_key_in_key_order(catalog, table, primary_key):
    assert catalog.find(table).primary_key == primary_key


def test_alias_types_are_recorded_with_their_base_type(catalog):
    """Phone is declared with the alias type PhoneNumber (nvarchar(20): 40 bytes)."""
    assert catalog.alias_types == {"phonenumber": "nvarchar(20)"}


def test_worker_columns(catalog):
    columns = [
        (c.name, c.data_type, c.nullable, c.ordinal, c.default, c.is_identity, c.is_computed)
        for c in catalog.find("Worker", "dbo").columns
    ]
    assert columns == [
        ("WorkerID", "int", False, 1, None, True, False),
        ("EmployeeNo", "varchar(20)", False, 2, None, False, False),
        ("FullName", "nvarchar(100)", False, 3, None, False, False),
        ("Phone", "PhoneNumber", True, 4, None, False, False),
        ("Notes", "nvarchar(max)", True, 5, None, False, False),
        ("HourlyRate", "decimal(19,4)", True, 6, None, False, False),
        ("ZoneID", "int", True, 7, None, False, False),
        ("HiredAt", "datetime2(7)", False, 8, "(sysutcdatetime())", False, False),
        ("IsActive", "bit", False, 9, "((1))", False, False),
        ("Photo", "varbinary(max)", True, 10, None, False, False),
        ("ModifiedAt", "datetime2(3)", True, 11, None, False, False),
        ("RowVer", "rowversion", False, 12, None, False, False),
        # column_id 14: column 13 was dropped; ordinals have no gap.
        ("DisplayName", "nvarchar(123)", True, 13, None, False, True),
    ]


@pytest.mark.parametrize(
    ("table", "column", "data_type"),
    [
        ("Zone", "Boundary", "geography"),
        ("Zone", "AreaM2", "numeric(12,2)"),
        ("Zone", "ZoneCode", "nchar(6)"),
        ("Crew", "DailyBudget", "money"),
        ("Shift", "StartsAt", "time(0)"),
        ("Shift", "UpdatedAt", "datetimeoffset(7)"),
        ("LocationPing", "RawPayload", "varchar(max)"),
        ("LocationPing", "DeviceMac", "binary(6)"),
        ("LocationPing", "BatchID", "uniqueidentifier"),
    ],
)
def test_recorded_column_types(catalog, table, column, data_type):
    (match,) = [c for c in catalog.find(table).columns if c.name == column]
    assert match.data_type == data_type


def test_column_default_from_a_sequence(catalog):
    crew_id = catalog.find("Crew").columns[0]
    assert crew_id.default == "(NEXT VALUE FOR [dbo].[CrewNumber])"


@pytest.mark.parametrize(
    ("table", "indexes"),
    [
        (
            "Worker",
            [
                Index(
                    name="PK_Worker",
                    columns=["WorkerID"],
                    unique=True,
                    primary=True,
                    kind="CLUSTERED",
                ),
                Index(
                    name="UX_Worker_EmployeeNo",
                    columns=["EmployeeNo"],
                    unique=True,
                    kind="NONCLUSTERED",
                ),
                # Created with INCLUDE (FullName): included columns are not keys.
                Index(name="IX_Worker_ZoneID", columns=["ZoneID"], kind="NONCLUSTERED"),
            ],
        ),
        (
            "CrewWorker",
            [
                Index(
                    name="PK_CrewWorker",
                    columns=["WorkerID", "CrewID"],
                    unique=True,
                    primary=True,
                    kind="CLUSTERED",
                ),
                Index(name="IX_CrewWorker_CrewID", columns=["CrewID"], kind="NONCLUSTERED"),
            ],
        ),
        (
            "Shift",
            [
                Index(
                    name="PK_Shift",
                    columns=["ShiftID"],
                    unique=True,
                    primary=True,
                    kind="CLUSTERED",
                ),
                Index(
                    name="UQ_Shift_ShiftName",
                    columns=["ShiftName"],
                    unique=True,
                    kind="NONCLUSTERED",
                ),
            ],
        ),
        ("LocationPing", []),
    ],
)
def test_indexes(catalog, table, indexes):
    assert catalog.find(table).indexes == indexes


@pytest.mark.parametrize(
    ("table", "foreign_keys"),
    [
        (
            "CrewWorker",
            [
                ForeignKey(
                    name="FK_CrewWorker_Crew",
                    columns=["CrewID"],
                    referenced_schema="dbo",
                    referenced_table="Crew",
                    referenced_columns=["CrewID"],
                ),
                ForeignKey(
                    name="FK_CrewWorker_Worker",
                    columns=["WorkerID"],
                    referenced_schema="dbo",
                    referenced_table="Worker",
                    referenced_columns=["WorkerID"],
                ),
            ],
        ),
        (
            "Worker",
            [
                ForeignKey(
                    name="FK_Worker_Zone",
                    columns=["ZoneID"],
                    referenced_schema="dbo",
                    referenced_table="Zone",
                    referenced_columns=["ZoneID"],
                ),
            ],
        ),
        ("Zone", []),
    ],
)
def test_foreign_keys(catalog, table, foreign_keys):
    assert catalog.find(table).foreign_keys == foreign_keys


@pytest.mark.parametrize(
    ("table", "rows", "size_bytes"),
    [
        ("Crew", 640, 9 * 8192),
        ("CrewWorker", 15_872, 97 * 8192),
        ("Shift", 3, 18 * 8192),
        ("Worker", 12_480, 1_065 * 8192),
        ("Zone", 86, 57 * 8192),
        ("LocationPing", 1_250_000, 13_921 * 8192),
    ],
)
def test_row_count_and_size(catalog, table, rows, size_bytes):
    found = catalog.find(table)
    assert (found.row_count, found.row_count_estimate, found.size_bytes) == (
        rows,
        rows,
        size_bytes,
    )


def test_largest_table_is_the_heap_of_pings(catalog):
    assert catalog.largest_tables(1)[0].qualified_name == "stg.LocationPing"


def test_trigger_names_its_table_and_keeps_its_definition(catalog):
    trigger = catalog.find("trg_Worker_SetModifiedAt")
    assert trigger.parent == "dbo.Worker"
    assert trigger.language == "tsql"
    assert trigger.definition.startswith(
        "CREATE TRIGGER dbo.trg_Worker_SetModifiedAt ON dbo.Worker"
    )


@pytest.mark.parametrize(
    ("name", "starts_with"),
    [
        ("vActiveWorker", "CREATE VIEW dbo.vActiveWorker\r\nAS\r\n"),
        ("usp_AssignWorkerToCrew", "CREATE PROCEDURE dbo.usp_AssignWorkerToCrew"),
        ("fn_WorkerDisplayName", "CREATE FUNCTION dbo.fn_WorkerDisplayName"),
        ("fn_CrewMembers", "CREATE FUNCTION dbo.fn_CrewMembers"),
    ],
)
def test_module_definition_is_kept_verbatim(catalog, name, starts_with):
    assert catalog.find(name).definition.startswith(starts_with)


def test_sequence_definition_recreates_the_sequence(catalog):
    definition = catalog.find("CrewNumber").definition
    assert definition == (
        "CREATE SEQUENCE [dbo].[CrewNumber] AS int START WITH 100 INCREMENT BY 1"
        " MINVALUE 1 MAXVALUE 2147483647 NO CYCLE CACHE 50"
    )
    statement = sqlglot.parse_one(definition, read="tsql", error_level=ErrorLevel.RAISE)
    assert isinstance(statement, exp.Create)
    assert statement.args["kind"] == "SEQUENCE"


@pytest.mark.parametrize(
    ("overrides", "expected_tail"),
    [
        ({}, "NO CYCLE CACHE 50"),
        ({"is_cycling": True}, "CYCLE CACHE 50"),
        ({"cache_size": None}, "NO CYCLE CACHE"),
        ({"is_cached": False, "cache_size": None}, "NO CYCLE NO CACHE"),
        (
            {
                "type_name": "decimal",
                "max_length": 9,
                "precision": 18,
                "start_value": -5,
                "increment": -1,
                "minimum_value": -999,
                "maximum_value": 0,
            },
            (
                "AS decimal(18,0) START WITH -5 INCREMENT BY -1 MINVALUE -999 MAXVALUE 0"
                " NO CYCLE CACHE 50"
            ),
        ),
    ],
)
def test_sequence_options(overrides, expected_tail):
    rows = recorded_rows()
    rows["sequences"] = [{**rows["sequences"][0], **overrides}]
    definition = catalog_from_rows("s", None, None, rows).find("CrewNumber").definition
    assert definition.endswith(expected_tail)
    sqlglot.parse_one(definition, read="tsql", error_level=ErrorLevel.RAISE)


def test_catalog_round_trips_through_json(catalog):
    assert SourceCatalog.model_validate_json(catalog.to_json()) == catalog


@pytest.mark.parametrize(
    ("schemas", "schemas_kept", "objects_kept"),
    [
        (None, {"dbo", "stg"}, 13),
        ([], {"dbo", "stg"}, 13),
        (["dbo", "stg"], {"dbo", "stg"}, 13),
        (["dbo"], {"dbo"}, 11),
        (["stg"], {"stg"}, 2),
        # SQL Server's default collations compare names case-insensitively.
        (["STG"], {"stg"}, 2),
        (["sales"], set(), 0),
    ],
)
def test_schema_filter(schemas, schemas_kept, objects_kept):
    catalog = catalog_from_rows("s", None, None, recorded_rows(), schemas)
    assert {obj.schema_name for obj in catalog.objects} == schemas_kept
    assert len(catalog.objects) == objects_kept


# --- connecting ----------------------------------------------------------------

# Module constants: a traceback quotes the test's own source lines.
SECRET_URL = (
    "mssql+pyodbc://sa:S3cr3t-P%40ss@127.0.0.1:1/wakecap?driver=ODBC+Driver+18+for+SQL+Server"
)
NOT_A_URL = "sa:S3cr3t@dw01 not a url"


def test_connection_failure_names_source_and_host_and_hides_the_password():
    # Fails whichever way this machine fails: no unixODBC, no Microsoft driver,
    # or nothing listening on port 1.
    with pytest.raises(SourceConnectionError) as caught:
        extract_sqlserver_catalog("wakecap_dw", SECRET_URL, None)
    error = caught.value
    texts = [str(error), repr(error), "".join(traceback.format_exception(error))]
    for text in texts:
        assert "S3cr3t" not in text
        assert "S3cr3t-P@ss" not in text
    assert error.__cause__ is None
    assert error.__context__ is None
    assert "'wakecap_dw'" in str(error)
    assert "127.0.0.1:1" in str(error)
    assert "ODBC Driver 18 for SQL Server" in str(error)


def test_unparseable_url_is_reported_without_the_url():
    with pytest.raises(SourceConnectionError) as caught:
        extract_sqlserver_catalog("wakecap_dw", NOT_A_URL, None)
    text = "".join(traceback.format_exception(caught.value))
    assert "S3cr3t" not in text
    assert "'wakecap_dw'" in text
    assert "mssql+pyodbc://" in text
