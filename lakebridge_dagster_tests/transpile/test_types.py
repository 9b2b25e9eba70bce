"""T-SQL column types -> Databricks column types."""

from __future__ import annotations

import pytest
import sqlglot
from sqlglot import exp

from lakebridge_dagster.catalog.model import ObjectType
from lakebridge_dagster.transpile.types import databricks_type
from lakebridge_dagster_tests.transpile.conftest import tsql_object


@pytest.mark.parametrize(
    ("source", "expected", "warns"),
    [
        ("bigint", "BIGINT", False),
        ("int", "INT", False),
        ("[int]", "INT", False),
        ("smallint", "SMALLINT", False),
        ("tinyint", "SMALLINT", False),  # Databricks TINYINT is signed
        ("bit", "BOOLEAN", False),
        ("money", "DECIMAL(19, 4)", False),
        ("smallmoney", "DECIMAL(10, 4)", False),
        ("decimal(19,4)", "DECIMAL(19, 4)", False),
        ("[decimal](18, 4)", "DECIMAL(18, 4)", False),
        ("numeric(10)", "DECIMAL(10, 0)", False),
        ("decimal", "DECIMAL(18, 0)", False),
        ("numeric(38,10)", "DECIMAL(38, 10)", False),
        ("float", "DOUBLE", False),
        ("float(53)", "DOUBLE", False),
        ("float(24)", "FLOAT", False),
        ("real", "FLOAT", False),
        ("nvarchar(max)", "STRING", False),
        ("nvarchar(50)", "STRING", False),
        ("[nvarchar](50)", "STRING", False),
        ("varchar(10)", "STRING", False),
        ("char(2)", "STRING", False),
        ("nchar(3)", "STRING", False),
        ("text", "STRING", False),
        ("ntext", "STRING", False),
        ("uniqueidentifier", "STRING", False),
        ("xml", "STRING", False),
        ("sysname", "STRING", False),
        ("date", "DATE", False),
        ("datetime", "TIMESTAMP_NTZ", False),
        ("smalldatetime", "TIMESTAMP_NTZ", False),
        ("datetime2(3)", "TIMESTAMP_NTZ", False),
        ("datetime2(6)", "TIMESTAMP_NTZ", False),
        ("datetime2(7)", "TIMESTAMP_NTZ", True),  # 100 ns truncated to microseconds
        ("datetime2", "TIMESTAMP_NTZ", True),  # the default precision is 7
        ("datetimeoffset(3)", "TIMESTAMP", True),
        ("time(7)", "STRING", True),
        ("varbinary(max)", "BINARY", False),
        ("binary(8)", "BINARY", False),
        ("image", "BINARY", False),
        ("rowversion", "BINARY", True),  # nothing maintains it in Databricks
        ("timestamp", "BINARY", True),  # T-SQL timestamp is rowversion
        ("hierarchyid", "STRING", True),
        ("geography", "STRING", True),
        ("geometry", "STRING", True),
        ("sql_variant", "STRING", True),
        ("[dbo].[Name]", "STRING", True),
        ("Flag", "STRING", True),
        ("dbo.Phone", "STRING", True),
    ],
)
def test_type_mapping(source: str, expected: str, warns: bool) -> None:
    ctx = tsql_object("CREATE TABLE t (c int)", ObjectType.TABLE)
    mapped = databricks_type(source, ctx, column="c")
    assert mapped.sql("databricks") == expected
    assert bool(ctx.messages) is warns
    assert all(m.level == "warning" and "column c" in m.text for m in ctx.messages)


@pytest.mark.parametrize(
    ("declaration", "expected"),
    [
        ("int", "INT"),
        ("tinyint", "SMALLINT"),
        ("money", "DECIMAL(19, 4)"),
        ("[nvarchar](max)", "STRING"),
        ("datetime", "TIMESTAMP_NTZ"),
        ("uniqueidentifier", "STRING"),
        ("sql_variant", "STRING"),
        ("[dbo].[Flag]", "STRING"),
    ],
)
def test_parsed_tsql_types_map_like_their_text(declaration: str, expected: str) -> None:
    parsed = sqlglot.parse_one(f"CREATE TABLE t (c {declaration})", read="tsql")
    kind = parsed.find(exp.ColumnDef).args["kind"]
    ctx = tsql_object("CREATE TABLE t (c int)", ObjectType.TABLE)
    assert databricks_type(kind, ctx).sql("databricks") == expected


def test_alias_type_warning_names_the_type() -> None:
    ctx = tsql_object("CREATE TABLE t (c int)", ObjectType.TABLE)
    databricks_type("[dbo].[AccountNumber]", ctx, column="AccountNumber", line=4)
    (message,) = ctx.messages
    assert "[dbo].[AccountNumber]" in message.text
    assert message.line == 4


@pytest.mark.parametrize(
    ("source", "expected"),
    [("Flag", "BOOLEAN"), ("[dbo].[Flag]", "BOOLEAN"), ("Amount", "DECIMAL(19, 4)")],
)
def test_an_alias_type_the_catalog_knows_maps_as_its_base_type(source: str, expected: str) -> None:
    ctx = tsql_object("SELECT 1", ObjectType.TABLE)
    ctx.catalog.alias_types.update({"flag": "bit", "amount": "decimal(19, 4)"})
    assert databricks_type(source, ctx, column="c").sql("databricks") == expected
    assert [(m.level, m.rule) for m in ctx.messages] == [("info", "types")]
    assert "alias type" in ctx.messages[0].text and "column c" in ctx.messages[0].text


def test_an_alias_of_a_type_that_loses_something_still_warns() -> None:
    ctx = tsql_object("SELECT 1", ObjectType.TABLE)
    ctx.catalog.alias_types["stamp"] = "datetimeoffset(7)"
    assert databricks_type("Stamp", ctx).sql("databricks") == "TIMESTAMP"
    assert [m.level for m in ctx.messages].count("warning") == 2  # 100 ns, offset lost
