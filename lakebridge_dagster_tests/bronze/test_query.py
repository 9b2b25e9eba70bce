"""The query builder: the SQL text per dialect (tables of cases), and the
PostgreSQL queries run for real on the embedded server with awkward names."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest
import sqlglot

from lakebridge_dagster.bronze.query import (
    BoundQuery,
    count_rows,
    live_columns,
    max_watermark,
    postgis_schema,
    query_dialect,
    select_rows,
    sql_server_text_type,
)
from lakebridge_dagster.bronze.registry import RegisteredTable, WatermarkSpec
from lakebridge_dagster.catalog.model import Column


def registered(
    name: str = "Crew Shift",
    schema: str = "dbo",
    columns: tuple[str, ...] = ("Id", "Name"),
    watermark: WatermarkSpec | None = None,
) -> RegisteredTable:
    return RegisteredTable(
        schema_name=schema,
        name=name,
        partition_key=name,
        target_table="t",
        primary_key=["Id"],
        watermark=watermark,
        watermark_reason="test",
        category="dimensions",
        category_reason="test",
        full_load=watermark is None,
        fetch_size=10,
        columns=[
            Column(name=c, data_type="integer", nullable=True, ordinal=i)
            for i, c in enumerate(columns, 1)
        ],
    )


UPDATED = WatermarkSpec(kind="column", columns=["UpdatedAt"], type="timestamp")
NULLABLE = WatermarkSpec(kind="column", columns=["UpdatedAt"], type="timestamp", nullable=True)
GREATEST = WatermarkSpec(kind="greatest", columns=["CreatedAt", "UpdatedAt"], type="timestamp")
ALL_NULLABLE = WatermarkSpec(
    kind="greatest", columns=["CreatedAt", "UpdatedAt"], type="timestamp", nullable=True
)
ROWVERSION = WatermarkSpec(kind="column", columns=["RowVer"], type="bigint", rowversion=True)
LOW = datetime(2024, 5, 1, tzinfo=UTC)

PG_GREATEST = (
    "GREATEST(COALESCE(\"CreatedAt\", '1900-01-01'), COALESCE(\"UpdatedAt\", '1900-01-01'))"
)
TSQL_GREATEST = (
    "(SELECT MAX([v]) FROM (VALUES (COALESCE([CreatedAt], '19000101')), "
    "(COALESCE([UpdatedAt], '19000101'))) AS [w]([v]))"
)
SQLITE_GREATEST = (
    "MAX(COALESCE(\"CreatedAt\", '1900-01-01'), COALESCE(\"UpdatedAt\", '1900-01-01'))"
)

# (id, table, dialect, columns, wkt columns, low) -> (sql, params)
SELECT_CASES = [
    (
        "full-read-no-watermark",
        registered(),
        "sqlite",
        None,
        (),
        None,
        'SELECT "Id", "Name" FROM "dbo"."Crew Shift"',
        (),
    ),
    (
        "column",
        registered(watermark=UPDATED),
        "sqlite",
        ["Id"],
        (),
        "2024-05-01 00:00:00",
        'SELECT "Id", "UpdatedAt" AS "_watermark" FROM "dbo"."Crew Shift" WHERE "UpdatedAt" > ?',
        ("2024-05-01 00:00:00",),
    ),
    (
        "greatest-of-several-is-sqlite-scalar-max",
        registered(watermark=ALL_NULLABLE),
        "sqlite",
        ["Id"],
        (),
        "2024-05-01 00:00:00",
        f'SELECT "Id", {SQLITE_GREATEST} AS "_watermark" FROM "dbo"."Crew Shift" '
        'WHERE ("CreatedAt" > ? OR "UpdatedAt" > ? OR ("CreatedAt" IS NULL AND '
        '"UpdatedAt" IS NULL))',
        ("2024-05-01 00:00:00", "2024-05-01 00:00:00"),
    ),
    (
        "full-read-no-watermark",
        registered(),
        "postgres",
        None,
        (),
        None,
        'SELECT "Id", "Name" FROM "dbo"."Crew Shift"',
        {},
    ),
    (
        "full-read-no-watermark",
        registered(),
        "tsql",
        None,
        (),
        None,
        "SELECT [Id], [Name] FROM [dbo].[Crew Shift]",
        (),
    ),
    (
        "first-read-selects-watermark",
        registered(watermark=UPDATED),
        "postgres",
        ["Id"],
        (),
        None,
        'SELECT "Id", "UpdatedAt" AS "_watermark" FROM "dbo"."Crew Shift"',
        {},
    ),
    (
        "column",
        registered(watermark=UPDATED),
        "postgres",
        ["Id"],
        (),
        LOW,
        'SELECT "Id", "UpdatedAt" AS "_watermark" FROM "dbo"."Crew Shift" '
        'WHERE "UpdatedAt" > %(low)s',
        {"low": LOW},
    ),
    (
        "column",
        registered(watermark=UPDATED),
        "tsql",
        ["Id"],
        (),
        LOW,
        "SELECT [Id], [UpdatedAt] AS [_watermark] FROM [dbo].[Crew Shift] WHERE [UpdatedAt] > ?",
        (LOW,),
    ),
    (
        "nullable-column-rereads-nulls",
        registered(watermark=NULLABLE),
        "postgres",
        ["Id"],
        (),
        LOW,
        'SELECT "Id", "UpdatedAt" AS "_watermark" FROM "dbo"."Crew Shift" '
        'WHERE ("UpdatedAt" > %(low)s OR "UpdatedAt" IS NULL)',
        {"low": LOW},
    ),
    (
        "greatest",
        registered(watermark=GREATEST),
        "postgres",
        ["Id"],
        (),
        LOW,
        f'SELECT "Id", {PG_GREATEST} AS "_watermark" FROM "dbo"."Crew Shift" '
        'WHERE ("CreatedAt" > %(low)s OR "UpdatedAt" > %(low)s)',
        {"low": LOW},
    ),
    (
        "greatest",
        registered(watermark=GREATEST),
        "tsql",
        ["Id"],
        (),
        LOW,
        f"SELECT [Id], {TSQL_GREATEST} AS [_watermark] FROM [dbo].[Crew Shift] "
        "WHERE ([CreatedAt] > ? OR [UpdatedAt] > ?)",
        (LOW, LOW),
    ),
    (
        "greatest-all-nullable",
        registered(watermark=ALL_NULLABLE),
        "tsql",
        ["Id"],
        (),
        LOW,
        f"SELECT [Id], {TSQL_GREATEST} AS [_watermark] FROM [dbo].[Crew Shift] "
        "WHERE ([CreatedAt] > ? OR [UpdatedAt] > ? "
        "OR ([CreatedAt] IS NULL AND [UpdatedAt] IS NULL))",
        (LOW, LOW),
    ),
    (
        "rowversion",
        registered(watermark=ROWVERSION),
        "tsql",
        ["Id"],
        (),
        41,
        "SELECT [Id], CAST([RowVer] AS BIGINT) AS [_watermark] FROM [dbo].[Crew Shift] "
        "WHERE [RowVer] > CAST(? AS BINARY(8))",
        (41,),
    ),
    (
        "geometry-as-wkt",
        registered(),
        "postgres",
        ["Id", "Shape"],
        {"Shape"},
        None,
        'SELECT "Id", ST_AsText("Shape") AS "Shape" FROM "dbo"."Crew Shift"',
        {},
    ),
    (
        "geometry-as-wkt",
        registered(),
        "tsql",
        ["Id", "Shape"],
        {"Shape"},
        None,
        "SELECT [Id], [Shape].STAsText() AS [Shape] FROM [dbo].[Crew Shift]",
        (),
    ),
    (
        "awkward-identifiers",
        registered(name='a"b', schema="My Schema"),
        "postgres",
        ['x"y', "Mixed Case", "100%", "a]b"],
        (),
        None,
        'SELECT "x""y", "Mixed Case", "100%%", "a]b" FROM "My Schema"."a""b"',
        {},
    ),
    (
        "awkward-identifiers",
        registered(name="a]b", schema="My Schema"),
        "tsql",
        ['x"y', "Mixed Case", "100%", "a]b"],
        (),
        None,
        'SELECT [x"y], [Mixed Case], [100%], [a]]b] FROM [My Schema].[a]]b]',
        (),
    ),
]


@pytest.mark.parametrize(
    ("table", "dialect", "columns", "wkt", "low", "sql", "params"),
    [pytest.param(*case[1:], id=f"{case[0]}-{case[2]}") for case in SELECT_CASES],
)
def test_select_rows(
    table: RegisteredTable,
    dialect: str,
    columns: list[str] | None,
    wkt: set[str],
    low: object,
    sql: str,
    params: object,
) -> None:
    query = select_rows(table, dialect, columns, wkt, low)  # type: ignore[arg-type]
    assert query == BoundQuery(sql, params)  # type: ignore[arg-type]
    if dialect == "tsql":
        sqlglot.parse_one(query.sql, read="tsql")  # valid T-SQL syntax


# (table, dialect) -> the cheap max
MAX_CASES = [
    (
        registered(watermark=UPDATED),
        "postgres",
        'SELECT MAX("UpdatedAt") AS "_watermark" FROM "dbo"."Crew Shift"',
    ),
    (
        registered(watermark=GREATEST),
        "postgres",
        'SELECT MAX("_watermark") AS "_watermark" FROM ('
        'SELECT MAX("CreatedAt") AS "_watermark" FROM "dbo"."Crew Shift" UNION ALL '
        'SELECT MAX("UpdatedAt") AS "_watermark" FROM "dbo"."Crew Shift") AS "w"',
    ),
    (
        registered(watermark=GREATEST),
        "tsql",
        "SELECT MAX([_watermark]) AS [_watermark] FROM ("
        "SELECT MAX([CreatedAt]) AS [_watermark] FROM [dbo].[Crew Shift] UNION ALL "
        "SELECT MAX([UpdatedAt]) AS [_watermark] FROM [dbo].[Crew Shift]) AS [w]",
    ),
    (
        registered(watermark=ROWVERSION),
        "tsql",
        "SELECT CAST(MAX([RowVer]) AS BIGINT) AS [_watermark] FROM [dbo].[Crew Shift]",
    ),
]


@pytest.mark.parametrize(("table", "dialect", "sql"), MAX_CASES)
def test_max_watermark(table: RegisteredTable, dialect: str, sql: str) -> None:
    assert max_watermark(table, dialect).sql == sql  # type: ignore[arg-type]


# (table, dialect, high) -> the reconciliation count
COUNT_CASES = [
    (
        registered(),
        "postgres",
        None,
        BoundQuery('SELECT COUNT(*) AS "row_count" FROM "dbo"."Crew Shift"', {}),
    ),
    (
        registered(watermark=NULLABLE),
        "postgres",
        LOW,
        BoundQuery(
            'SELECT COUNT(*) AS "row_count" FROM "dbo"."Crew Shift" '
            "WHERE COALESCE(\"UpdatedAt\", '1900-01-01') <= %(high)s",
            {"high": LOW},
        ),
    ),
    (
        registered(watermark=GREATEST),
        "tsql",
        LOW,
        BoundQuery(
            "SELECT COUNT_BIG(*) AS [row_count] FROM [dbo].[Crew Shift] "
            f"WHERE {TSQL_GREATEST} <= ?",
            (LOW,),
        ),
    ),
]


@pytest.mark.parametrize(("table", "dialect", "high", "expected"), COUNT_CASES)
def test_count_rows(
    table: RegisteredTable, dialect: str, high: object, expected: BoundQuery
) -> None:
    assert count_rows(table, dialect, high) == expected  # type: ignore[arg-type]


def test_live_columns_binds_schema_and_table() -> None:
    assert live_columns("My Schema", "a'b", "tsql") == BoundQuery(
        "SELECT COLUMN_NAME AS column_name, CASE WHEN DATA_TYPE IN ('decimal', 'numeric') "
        "THEN DATA_TYPE + '(' + CAST(NUMERIC_PRECISION AS VARCHAR(3)) + ',' "
        "+ CAST(NUMERIC_SCALE AS VARCHAR(3)) + ')' ELSE DATA_TYPE END AS data_type, "
        "IS_NULLABLE AS is_nullable "
        "FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? "
        "ORDER BY ORDINAL_POSITION",
        ("My Schema", "a'b"),
    )
    assert live_columns("main", "a'b", "sqlite") == BoundQuery(
        'SELECT "name" AS column_name, "type" AS data_type, '
        """CASE WHEN "notnull" THEN 'NO' ELSE 'YES' END AS is_nullable """
        'FROM pragma_table_info(?, ?) ORDER BY "cid"',
        ("a'b", "main"),
    )


def test_errors_name_the_table() -> None:
    with pytest.raises(ValueError, match="dbo.Crew Shift has no watermark"):
        select_rows(registered(), "postgres", low=LOW)
    with pytest.raises(ValueError, match="dbo.Crew Shift is loaded whole every time"):
        max_watermark(registered(), "postgres")
    with pytest.raises(ValueError, match="live source"):
        query_dialect("scripts")


# A table whose every identifier needs quoting, on the real server.
AWKWARD = """
CREATE SCHEMA "My Schema";
CREATE TABLE "My Schema"."a""b; DROP TABLE x" (
    "Id" integer PRIMARY KEY,
    "x""y" text,
    "Mixed Case" text,
    "100%" integer,
    "CreatedAt" timestamptz NOT NULL,
    "UpdatedAt" timestamptz
);
INSERT INTO "My Schema"."a""b; DROP TABLE x" VALUES
    (1, 'q"uote', 'M', 10, '2024-01-01Z', NULL),
    (2, 'it''s', 'N', 20, '2024-01-01Z', '2024-06-01Z'),
    (3, '%(low)s', 'O', 30, '2024-07-01Z', NULL);
"""
AWKWARD_NAME = 'a"b; DROP TABLE x'
AWKWARD_COLUMNS = ("Id", 'x"y', "Mixed Case", "100%", "CreatedAt", "UpdatedAt")


@pytest.fixture()
def awkward_database(fresh_database: str) -> str:
    with psycopg.connect(fresh_database, autocommit=True) as conn:
        conn.execute(AWKWARD)
    return fresh_database


def _run(url: str, query: BoundQuery) -> list[tuple[object, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(query.sql, query.params).fetchall()  # type: ignore[arg-type]


def test_awkward_identifiers_on_postgres(awkward_database: str) -> None:
    table = registered(AWKWARD_NAME, "My Schema", AWKWARD_COLUMNS, GREATEST)
    rows = _run(awkward_database, select_rows(table, "postgres", low=LOW))
    assert [(r[0], r[1], r[3]) for r in rows] == [(2, "it's", 20), (3, "%(low)s", 30)]
    assert {r[-1] for r in rows} == {
        datetime(2024, 6, 1, tzinfo=UTC),
        datetime(2024, 7, 1, tzinfo=UTC),
    }
    assert _run(awkward_database, max_watermark(table, "postgres")) == [
        (datetime(2024, 7, 1, tzinfo=UTC),)
    ]
    assert _run(awkward_database, count_rows(table, "postgres", LOW)) == [(1,)]
    assert _run(awkward_database, count_rows(table, "postgres")) == [(3,)]
    columns = _run(awkward_database, live_columns("My Schema", AWKWARD_NAME, "postgres"))
    assert [c[0] for c in columns] == list(AWKWARD_COLUMNS)


def test_nullable_column_rows_are_not_lost_on_postgres(awkward_database: str) -> None:
    table = registered(AWKWARD_NAME, "My Schema", ("Id",), NULLABLE)
    rows = _run(awkward_database, select_rows(table, "postgres", low=LOW))
    assert sorted(r[0] for r in rows) == [1, 2, 3]  # 2 is newer, 1 and 3 have no UpdatedAt
    assert _run(awkward_database, count_rows(table, "postgres", LOW)) == [(2,)]


def test_injection_looking_value_stays_a_parameter(awkward_database: str) -> None:
    table = registered(AWKWARD_NAME, "My Schema", ("Id",), UPDATED)
    evil = '2024-01-01\'; DROP TABLE "My Schema"."a""b; DROP TABLE x"; --'
    query = select_rows(table, "postgres", low=evil)
    assert evil not in query.sql and query.params == {"low": evil}
    with pytest.raises(psycopg.errors.InvalidDatetimeFormat):
        _run(awkward_database, query)
    assert _run(awkward_database, count_rows(table, "postgres")) == [(3,)]  # still there


def test_numeric_placeholders_for_adbc() -> None:
    """ADBC's PostgreSQL driver prepares `$n`: a name used twice is one number,
    and `%` needs no doubling."""
    table = registered(AWKWARD_NAME, "My Schema", ("Id", "100%"), GREATEST)
    query = select_rows(table, "postgres", low=LOW, paramstyle="numeric")
    assert query.params == (LOW,)
    assert query.sql.endswith('WHERE ("CreatedAt" > $1 OR "UpdatedAt" > $1)')
    assert '"100%"' in query.sql and "%%" not in query.sql
    columns = live_columns("s", "t", "postgres", "numeric")
    assert columns.params == ("s", "t")
    assert "table_schema = $1 AND table_name = $2" in columns.sql


def test_text_columns_are_cast_and_inet_abbreviated() -> None:
    table = registered(columns=("Id", "Badge", "Ip"))
    query = select_rows(table, "postgres", text_columns={"Badge": "uuid", "Ip": "inet"})
    assert query.sql == (
        'SELECT "Id", CAST("Badge" AS TEXT) AS "Badge", abbrev("Ip") AS "Ip" '
        'FROM "dbo"."Crew Shift"'
    )


def test_numeric_placeholders_run_on_adbc(awkward_database: str) -> None:
    import adbc_driver_postgresql.dbapi as adbc_postgresql

    table = registered(AWKWARD_NAME, "My Schema", AWKWARD_COLUMNS, GREATEST)
    evil = '2024-01-01\'; DROP TABLE "My Schema"."a""b; DROP TABLE x"; --'
    with adbc_postgresql.connect(awkward_database) as conn, conn.cursor() as cursor:
        query = select_rows(table, "postgres", low=LOW, paramstyle="numeric")
        cursor.execute(query.sql, parameters=query.params)
        assert sorted(row[0] for row in cursor.fetchall()) == [2, 3]
        query = select_rows(table, "postgres", low=evil, paramstyle="numeric")
        # bound as text, which timestamptz has no `>` for: rejected, never run as SQL
        with pytest.raises(adbc_postgresql.Error, match="operator does not exist"):
            cursor.execute(query.sql, parameters=query.params)
    assert _run(awkward_database, count_rows(table, "postgres")) == [(3,)]  # still there


# (SQL Server type, what the server is asked for)
TSQL_TEXT_CASES = [
    ("xml", "CAST([Doc] AS NVARCHAR(MAX)) AS [Doc]"),
    ("XML(CONTENT dbo.OrderSchema)", "CAST([Doc] AS NVARCHAR(MAX)) AS [Doc]"),
    ("hierarchyid", "[Doc].ToString() AS [Doc]"),
    ("sys.hierarchyid", "[Doc].ToString() AS [Doc]"),
    ("sql_variant", "CAST([Doc] AS NVARCHAR(4000)) AS [Doc]"),
]


@pytest.mark.parametrize(("data_type", "selected"), TSQL_TEXT_CASES)
def test_sql_server_reads_xml_hierarchyid_and_sql_variant_as_text(
    data_type: str, selected: str
) -> None:
    table = registered(columns=("Id", "Doc"), watermark=UPDATED)
    query = select_rows(table, "tsql", ["Id", "Doc"], text_columns={"Doc": data_type}, low=LOW)
    assert query.sql == (
        f"SELECT [Id], {selected}, [UpdatedAt] AS [_watermark] FROM [dbo].[Crew Shift] "
        "WHERE [UpdatedAt] > ?"
    )
    assert query.params == (LOW,)
    # Re-parsed as T-SQL, the column is still a conversion of [Doc] named [Doc].
    parsed = sqlglot.parse_one(query.sql, read="tsql")
    doc = parsed.selects[1]
    assert isinstance(doc, sqlglot.exp.Alias) and doc.alias == "Doc"
    if "ToString" in selected:
        assert isinstance(doc.this, sqlglot.exp.Dot)
        assert doc.this.expression.name == "ToString"
    else:
        assert isinstance(doc.this, sqlglot.exp.Cast)
        assert doc.this.to.this == sqlglot.exp.DataType.Type.NVARCHAR
        assert doc.this.this.name == "Doc"
    assert parsed.sql("tsql") == query.sql  # round-trips unchanged


def test_sql_server_spatial_columns_are_wkt_beside_text_columns() -> None:
    table = registered(columns=("Id", "Shape", "Node"))
    query = select_rows(table, "tsql", None, {"Shape"}, text_columns={"Node": "hierarchyid"})
    assert query.sql == (
        "SELECT [Id], [Shape].STAsText() AS [Shape], [Node].ToString() AS [Node] "
        "FROM [dbo].[Crew Shift]"
    )
    assert sqlglot.parse_one(query.sql, read="tsql").sql("tsql") == query.sql


@pytest.mark.parametrize(
    ("data_type", "as_text"),
    [
        ("xml", True),
        ("hierarchyid", True),
        ("sql_variant", True),
        ("SQL_VARIANT", True),
        ("nvarchar(max)", False),
        ("geography", False),  # read as WKT instead
        ("datetimeoffset(7)", False),
    ],
)
def test_which_sql_server_types_are_read_as_text(data_type: str, as_text: bool) -> None:
    from lakebridge_dagster.bronze.generic_reader import text_columns

    assert sql_server_text_type(data_type) is as_text
    assert bool(text_columns({"c": data_type}, "tsql")) is as_text
    assert text_columns({"c": data_type}, "sqlite") == {}  # SQLite has no such types


@pytest.mark.parametrize(
    ("schema", "call"),
    [
        (None, 'ST_AsText("Shape")'),
        ("extensions", '"extensions".ST_AsText("Shape")'),
        ('we"ird%', '"we""ird%%".ST_AsText("Shape")'),
    ],
)
def test_st_astext_is_called_in_the_postgis_schema(schema: str | None, call: str) -> None:
    table = registered(columns=("Id", "Shape"))
    query = select_rows(table, "postgres", None, {"Shape"}, spatial_schema=schema)
    assert query.sql == f'SELECT "Id", {call} AS "Shape" FROM "dbo"."Crew Shift"'
    numeric = select_rows(
        table, "postgres", None, {"Shape"}, spatial_schema=schema, paramstyle="numeric"
    )
    parsed = sqlglot.parse_one(numeric.sql, read="postgres")
    shape = parsed.selects[1].this
    if schema is None:
        assert shape.name.lower() == "st_astext"
    else:
        assert isinstance(shape, sqlglot.exp.Dot)
        assert shape.this.name == schema and shape.this.quoted


def test_postgis_schema_query_is_bound() -> None:
    query = postgis_schema()
    assert query.params == {"function": "st_astext"}
    assert "st_astext" not in query.sql.replace("%(function)s", "")
    assert "p.proargtypes[0]" in query.sql  # oidvector is indexed from 0
    numeric = postgis_schema(paramstyle="numeric")
    assert numeric.params == ("st_astext",) and "p.proname = $1" in numeric.sql
    sqlglot.parse_one(numeric.sql, read="postgres")


def test_postgis_schema_finds_none_without_postgis(fresh_database: str) -> None:
    query = postgis_schema()
    with psycopg.connect(fresh_database) as conn:
        assert conn.execute(query.sql, query.params).fetchall() == []
