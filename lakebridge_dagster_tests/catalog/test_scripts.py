"""The scripts catalog: a folder of T-SQL files read offline into a SourceCatalog."""

from __future__ import annotations

import codecs
import logging
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

from lakebridge_dagster.catalog.errors import ScriptsFolderError
from lakebridge_dagster.catalog.model import Column, ForeignKey, Index, ObjectType, SourceCatalog
from lakebridge_dagster.catalog.scripts import (
    Batch,
    extract_scripts,
    extract_scripts_catalog,
    read_sql_file,
    split_batches,
)

CORPUS = Path(__file__).parents[1] / "data" / "corpus"


def write_scripts(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def catalog_of(tmp_path: Path, sql: str) -> SourceCatalog:
    return extract_scripts_catalog("legacy", write_scripts(tmp_path, {"script.sql": sql}))


# --- batches ------------------------------------------------------------------

SPLIT_CASES = [
    pytest.param("SELECT 1\nGO\nSELECT 2\n", [("SELECT 1", 1), ("SELECT 2", 3)], id="GO"),
    pytest.param(
        "select 1\ngo\nselect 2", [("select 1", 1), ("select 2", 3)], id="lowercase-no-eol"
    ),
    pytest.param("SELECT 1\nGO 3\nSELECT 2", [("SELECT 1", 1), ("SELECT 2", 3)], id="repeat-count"),
    pytest.param(
        "SELECT 1\n  Go  -- end of the first batch\nSELECT 2",
        [("SELECT 1", 1), ("SELECT 2", 3)],
        id="indented-GO-with-comment",
    ),
    pytest.param(
        "SELECT 1\n/* a comment\nGO\n*/\nSELECT 2\nGO\nSELECT 3",
        [("SELECT 1\n/* a comment\nGO\n*/\nSELECT 2", 1), ("SELECT 3", 7)],
        id="GO-in-multiline-comment",
    ),
    pytest.param(
        "/* outer /* inner */\nGO\nstill outer */\nSELECT 1\nGO\nSELECT 2",
        [("/* outer /* inner */\nGO\nstill outer */\nSELECT 1", 1), ("SELECT 2", 6)],
        id="GO-in-nested-comment",
    ),
    pytest.param(
        "SELECT 'line one\nGO\nline three'\nGO\nSELECT 2",
        [("SELECT 'line one\nGO\nline three'", 1), ("SELECT 2", 5)],
        id="GO-in-multiline-string",
    ),
    pytest.param(
        "SELECT N'it''s\nGO\n'\nGO\nSELECT 2",
        [("SELECT N'it''s\nGO\n'", 1), ("SELECT 2", 5)],
        id="doubled-quote-inside-string",
    ),
    pytest.param(
        "SELECT 1 AS [odd\nGO\nname]\nGO\nSELECT 2",
        [("SELECT 1 AS [odd\nGO\nname]", 1), ("SELECT 2", 5)],
        id="GO-in-bracketed-identifier",
    ),
    pytest.param(
        "SELECT 1 -- it's /* only a comment\nGO\nSELECT 2",
        [("SELECT 1 -- it's /* only a comment", 1), ("SELECT 2", 3)],
        id="quote-and-comment-start-in-line-comment",
    ),
    pytest.param(
        "IF 1 = 1 GOTO done\nGOTO done\ndone:\nSELECT 1",
        [("IF 1 = 1 GOTO done\nGOTO done\ndone:\nSELECT 1", 1)],
        id="GOTO-is-not-GO",
    ),
    pytest.param(
        "SELECT Go FROM t\nGO\nSELECT [Go]\nFROM t",
        [("SELECT Go FROM t", 1), ("SELECT [Go]\nFROM t", 3)],
        id="column-named-Go",
    ),
    pytest.param(
        "SELECT 1,\r\n  2\r\nGO\r\nSELECT 3\r\n",
        [("SELECT 1,\r\n  2", 1), ("SELECT 3", 4)],
        id="CRLF",
    ),
    pytest.param(
        "\n\nGO\n\n  \nSELECT 1\n\nGO\nGO\n", [("SELECT 1", 6)], id="blank-batches-dropped"
    ),
]


@pytest.mark.parametrize(("text", "expected"), SPLIT_CASES)
def test_split_batches(text: str, expected: list[tuple[str, int]]) -> None:
    assert split_batches(text) == [Batch(body, line) for body, line in expected]


# --- decoding -----------------------------------------------------------------

SCRIPT = "CREATE VIEW dbo.v AS SELECT N'café' AS c\nGO\n"

ENCODING_CASES = [
    pytest.param(SCRIPT.encode("utf-8"), id="utf-8"),
    pytest.param(codecs.BOM_UTF8 + SCRIPT.encode("utf-8"), id="utf-8-bom"),
    pytest.param(codecs.BOM_UTF16_LE + SCRIPT.encode("utf-16-le"), id="utf-16-le-bom"),
    pytest.param(codecs.BOM_UTF16_BE + SCRIPT.encode("utf-16-be"), id="utf-16-be-bom"),
    pytest.param(SCRIPT.encode("utf-16-le"), id="utf-16-le-no-bom"),
    pytest.param(SCRIPT.encode("utf-16-be"), id="utf-16-be-no-bom"),
    pytest.param(SCRIPT.replace("\n", "\r\n").encode("utf-8"), id="utf-8-crlf"),
]


@pytest.mark.parametrize("data", ENCODING_CASES)
def test_read_sql_file_decodes(tmp_path: Path, data: bytes) -> None:
    (tmp_path / "view.sql").write_bytes(data)

    assert read_sql_file(tmp_path / "view.sql") == SCRIPT
    view = extract_scripts_catalog("legacy", tmp_path).find("v")
    assert view is not None and view.definition == "CREATE VIEW dbo.v AS SELECT N'café' AS c"


UNDECODABLE_CASES = [
    pytest.param(
        "CREATE VIEW v AS SELECT 'caf\xe9' AS c".encode("cp1252"), "not valid utf-8", id="cp1252"
    ),
    pytest.param(b"SELECT 1\x00\x00\x00\x00\x01\x02 junk", "NUL", id="binary"),
]


@pytest.mark.parametrize(("data", "problem"), UNDECODABLE_CASES)
def test_undecodable_file_is_reported_not_fatal(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, data: bytes, problem: str
) -> None:
    folder = write_scripts(tmp_path, {"good.sql": "CREATE TABLE dbo.t (id int)"})
    (folder / "legacy" / "bad.sql").parent.mkdir()
    (folder / "legacy" / "bad.sql").write_bytes(data)

    extraction = extract_scripts("legacy", folder)

    assert [obj.qualified_name for obj in extraction.catalog.objects] == ["dbo.t"]
    [(where, why)] = extraction.unreadable
    assert where == "legacy/bad.sql"
    assert "bad.sql" in why and problem in why
    assert "save it as UTF-8 or UTF-16 with a BOM" in why
    with caplog.at_level(logging.WARNING, logger="lakebridge_dagster.catalog.scripts"):
        extract_scripts_catalog("legacy", folder)
    assert "legacy/bad.sql" in caplog.text


def test_read_sql_file_names_the_file_and_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "ansi.sql"
    path.write_bytes("SELECT 'caf\xe9'".encode("cp1252"))

    with pytest.raises(ScriptsFolderError) as raised:
        read_sql_file(path)

    assert str(path) in str(raised.value)
    assert "byte 0xe9 at offset 11" in str(raised.value)
    assert "save it as UTF-8 or UTF-16 with a BOM" in str(raised.value)


def test_batch_that_cannot_be_tokenized_is_reported(tmp_path: Path) -> None:
    folder = write_scripts(
        tmp_path,
        {"s.sql": "CREATE VIEW ok AS SELECT 1 AS a\nGO\nCREATE PROCEDURE p AS SELECT [unclosed\n"},
    )

    extraction = extract_scripts("legacy", folder)

    assert [obj.name for obj in extraction.catalog.objects] == ["ok"]
    [(where, why)] = extraction.unreadable
    assert where == "s.sql:3"
    assert why.startswith("TokenError: ")


def test_folder_where_no_file_can_be_read_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "bad.sql").write_bytes(b"\xff\xfe\x00\xd8")  # UTF-16 BOM, lone surrogate

    with pytest.raises(ScriptsFolderError, match="none of the 1 .sql files") as raised:
        extract_scripts_catalog("legacy", tmp_path)
    assert "scripts source 'legacy'" in str(raised.value)


# --- folders ------------------------------------------------------------------


def test_missing_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"

    with pytest.raises(ScriptsFolderError) as raised:
        extract_scripts_catalog("legacy", missing)

    message = str(raised.value)
    assert "scripts source 'legacy'" in message
    assert f"folder {missing} does not exist" in message
    assert "set sources[].path to a folder of .sql files" in message


def test_folder_without_sql_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("CREATE TABLE t (x int)")
    (tmp_path / "sub").mkdir()

    with pytest.raises(ScriptsFolderError) as raised:
        extract_scripts_catalog("legacy", tmp_path)

    message = str(raised.value)
    assert "scripts source 'legacy'" in message
    assert f"folder {tmp_path} has no .sql files" in message
    assert "set sources[].path to a folder of .sql files" in message


def test_path_that_is_a_file(tmp_path: Path) -> None:
    path = write_scripts(tmp_path, {"one.sql": "SELECT 1"}) / "one.sql"

    with pytest.raises(ScriptsFolderError, match="is a file, not a folder"):
        extract_scripts_catalog("legacy", path)


def test_every_sql_file_recursively_in_path_order(tmp_path: Path) -> None:
    write_scripts(
        tmp_path,
        {
            "views/b.sql": "CREATE VIEW b AS SELECT 1 AS one",
            "tables/a.sql": "\n\nCREATE TABLE a (x int)",
            "Z.SQL": "CREATE PROCEDURE z AS SELECT 1",
            "readme.md": "CREATE TABLE not_read (x int)",
        },
    )

    catalog = extract_scripts_catalog("legacy", tmp_path)

    assert [(obj.name, obj.file, obj.line) for obj in catalog.objects] == [
        ("z", "Z.SQL", 1),
        ("a", "tables/a.sql", 3),
        ("b", "views/b.sql", 1),
    ]
    assert (catalog.source, catalog.dialect, catalog.database, catalog.server) == (
        "legacy",
        "scripts",
        None,
        None,
    )
    assert SourceCatalog.read(catalog.write(tmp_path / "out" / "catalog.json")) == catalog


# --- objects ------------------------------------------------------------------

T, V, P, F, TR, S = (
    ObjectType.TABLE,
    ObjectType.VIEW,
    ObjectType.PROCEDURE,
    ObjectType.FUNCTION,
    ObjectType.TRIGGER,
    ObjectType.SEQUENCE,
)

OBJECT_CASES = [
    pytest.param(
        "CREATE OR ALTER PROC [dbo].[p] AS SELECT 1",
        [(P, "dbo.p", None)],
        id="create-or-alter-proc",
    ),
    pytest.param("create procedure p as select 1", [(P, "dbo.p", None)], id="default-schema"),
    pytest.param(
        'CREATE VIEW "Sales"."v 1" AS SELECT 1 AS a', [(V, "Sales.v 1", None)], id="quoted"
    ),
    pytest.param(
        "CREATE TABLE Shop.dbo.Orders (id int)", [(T, "dbo.Orders", None)], id="three-part"
    ),
    pytest.param("CREATE TABLE Shop..Orders (id int)", [(T, "dbo.Orders", None)], id="db..name"),
    pytest.param(
        "CREATE FUNCTION [dbo].[f] (@a int) RETURNS TABLE AS RETURN (SELECT @a AS a)",
        [(F, "dbo.f", None)],
        id="inline-table-function",
    ),
    pytest.param(
        "CREATE TRIGGER trg ON [Sales].[Orders] AFTER INSERT AS SELECT 1",
        [(TR, "Sales.trg", "Sales.Orders")],
        id="trigger-in-its-tables-schema",
    ),
    pytest.param(
        "CREATE TRIGGER audit.trg ON Orders FOR INSERT, UPDATE AS SELECT 1",
        [(TR, "audit.trg", "dbo.Orders")],
        id="trigger-parent",
    ),
    pytest.param(
        "CREATE TRIGGER ddl ON DATABASE FOR CREATE_TABLE AS PRINT 'x'",
        [(TR, "dbo.ddl", None)],
        id="database-trigger",
    ),
    pytest.param(
        "CREATE SEQUENCE dbo.seq AS int START WITH 1\nCREATE TABLE t (id int)",
        [(S, "dbo.seq", None), (T, "dbo.t", None)],
        id="sequence",
    ),
    pytest.param(
        "/* CREATE TABLE a (x int)\n   CREATE VIEW b AS SELECT 1 */\n"
        "-- CREATE PROCEDURE c AS SELECT 1\n"
        "PRINT 'CREATE PROCEDURE d AS SELECT 1'\nEXEC (N'CREATE TABLE e (x int)')",
        [],
        id="create-in-comments-and-strings",
    ),
    pytest.param(
        "CREATE SCHEMA s\nGO\nCREATE TYPE dbo.Name FROM nvarchar(50)\nGO\nCREATE DATABASE x\nGO\n"
        "CREATE XML SCHEMA COLLECTION c AS N'<x/>'\nGO\nGRANT CREATE TABLE, CREATE VIEW TO u\n"
        "GO\nCREATE TABLE #work (x int)\nINSERT INTO t VALUES (1)\nEXEC sp_addextendedproperty 'a'",
        [],
        id="not-objects",
    ),
    pytest.param(
        "CREATE TABLE a (x int)\nCREATE TABLE [b] (y int) ON [PRIMARY]\n"
        "INSERT INTO a VALUES (1)\nCREATE TABLE c (z int);",
        [(T, "dbo.a", None), (T, "dbo.b", None), (T, "dbo.c", None)],
        id="tables-sharing-a-batch",
    ),
    pytest.param(
        "CREATE PROCEDURE p AS\nCREATE TABLE #work (x int)\nCREATE TABLE dbo.inner_table (y int)\n"
        "GO\nCREATE VIEW v AS SELECT 1 AS one",
        [(P, "dbo.p", None), (V, "dbo.v", None)],
        id="routine-body-runs-to-end-of-batch",
    ),
    pytest.param(
        "ALTER PROCEDURE dbo.p AS SELECT 2", [(P, "dbo.p", None)], id="alter-without-create"
    ),
]


@pytest.mark.parametrize(("sql", "expected"), OBJECT_CASES)
def test_objects(tmp_path: Path, sql: str, expected: list) -> None:
    catalog = catalog_of(tmp_path, sql)

    assert [(obj.type, obj.qualified_name, obj.parent) for obj in catalog.objects] == expected


def test_definitions_run_to_the_end_of_the_batch_or_statement(tmp_path: Path) -> None:
    catalog = catalog_of(
        tmp_path,
        "-- the procedure\nCREATE PROCEDURE p AS\nBEGIN\n  SELECT 1\nEND\n\nGO\n"
        "CREATE TABLE t (x int) ON [PRIMARY]\nINSERT INTO t VALUES (1)\n"
        "CREATE SEQUENCE s START WITH 1;\nSELECT 1\n",
    )

    assert [(obj.name, obj.definition, obj.line) for obj in catalog.objects] == [
        ("p", "CREATE PROCEDURE p AS\nBEGIN\n  SELECT 1\nEND", 1),
        ("t", "CREATE TABLE t (x int) ON [PRIMARY]", 8),
        ("s", "CREATE SEQUENCE s START WITH 1", 8),
    ]


def test_stub_then_alter_is_one_object_with_the_alter_body(tmp_path: Path) -> None:
    alter = "ALTER PROCEDURE [DBO].[P] @x int AS\nBEGIN\n  SELECT @x\nEND"
    write_scripts(
        tmp_path,
        {
            "1_stubs.sql": "IF OBJECT_ID('dbo.p') IS NULL\n  EXEC ('SELECT 1')\nGO\n"
            "CREATE PROCEDURE dbo.p AS RETURN 0\nGO\nCREATE VIEW dbo.v AS SELECT 1 AS a\n",
            "2_bodies.sql": f"SET NOCOUNT ON\nGO\n{alter}\nGO\n",
        },
    )

    catalog = extract_scripts_catalog("legacy", tmp_path)

    assert [(obj.qualified_name, obj.type) for obj in catalog.objects] == [
        ("dbo.p", P),
        ("dbo.v", V),
    ]
    procedure = catalog.objects[0]
    assert (procedure.definition, procedure.file, procedure.line) == (alter, "2_bodies.sql", 3)


PARSE_CASES = [
    pytest.param("CREATE VIEW v AS SELECT 1 AS a", None, id="parses"),
    pytest.param("CREATE VIEW v AS SELECT (1", "ParseError: Expecting )", id="syntax-error"),
    pytest.param(
        "CREATE TRIGGER t ON x AFTER INSERT AS SELECT 1",
        "kept it as raw text: 'CREATE TRIGGER t ON x AFTER INSERT AS SELECT 1'",
        id="whole-statement-raw",
    ),
    pytest.param(
        "CREATE PROCEDURE p AS BEGIN TRY SELECT 1 END TRY BEGIN CATCH SELECT 2 END CATCH",
        "kept it as raw text",
        id="part-of-body-raw",
    ),
]


@pytest.mark.parametrize(("sql", "error"), PARSE_CASES)
def test_parse_error_records_what_sqlglot_could_not_parse(
    tmp_path: Path, sql: str, error: str | None
) -> None:
    [obj] = catalog_of(tmp_path, sql).objects

    if error is None:
        assert obj.parse_error is None
    else:
        assert error in obj.parse_error
        assert "\n" not in obj.parse_error and len(obj.parse_error) <= 300


# --- tables -------------------------------------------------------------------

ORDERS = """\
CREATE TABLE [Sales].[Orders] (
    [OrderID] [int] IDENTITY (1, 1) NOT FOR REPLICATION NOT NULL,
    [CustomerID] nchar(5) NULL REFERENCES dbo.Customers (CustomerID),
    [Amount] [decimal](19, 4) NOT NULL CONSTRAINT [DF_Orders_Amount] DEFAULT ((0)),
    [Notes] NVARCHAR(MAX),
    [Name] [dbo].[Name] NOT NULL,
    [Total] AS ([Amount] * 2) PERSISTED,
    [Code] varchar(10) COLLATE Latin1_General_CI_AS UNIQUE NONCLUSTERED,
    [Created] datetime2(7) DEFAULT getdate(),
    [Go] int,
    CONSTRAINT [PK_Orders] PRIMARY KEY CLUSTERED ([OrderID] ASC, [Code] DESC)
        WITH (FILLFACTOR = 90) ON [PRIMARY],
    CONSTRAINT [CK_Orders_Amount] CHECK ([Amount] >= 0 AND [Notes] IS NOT NULL)
) ON [PRIMARY] TEXTIMAGE_ON [PRIMARY]
"""


def test_table_columns_keys_and_definition(tmp_path: Path) -> None:
    [orders] = catalog_of(tmp_path, ORDERS).objects

    assert orders.columns == [
        Column(name="OrderID", data_type="int", nullable=False, ordinal=1, is_identity=True),
        Column(name="CustomerID", data_type="nchar(5)", nullable=True, ordinal=2),
        Column(
            name="Amount", data_type="decimal(19,4)", nullable=False, ordinal=3, default="((0))"
        ),
        Column(name="Notes", data_type="nvarchar(max)", nullable=True, ordinal=4),
        Column(name="Name", data_type="dbo.Name", nullable=False, ordinal=5),
        Column(
            name="Total", data_type="AS ([Amount] * 2)", nullable=True, ordinal=6, is_computed=True
        ),
        Column(name="Code", data_type="varchar(10)", nullable=False, ordinal=7),
        Column(
            name="Created", data_type="datetime2(7)", nullable=True, ordinal=8, default="getdate()"
        ),
        Column(name="Go", data_type="int", nullable=True, ordinal=9),
    ]
    assert orders.primary_key == ["OrderID", "Code"]
    assert orders.indexes == [
        Index(name="UQ_Orders_Code", columns=["Code"], unique=True, kind="NONCLUSTERED"),
        Index(
            name="PK_Orders",
            columns=["OrderID", "Code"],
            unique=True,
            primary=True,
            kind="CLUSTERED",
        ),
    ]
    assert orders.foreign_keys == [
        ForeignKey(
            name="FK_Orders_Customers",
            columns=["CustomerID"],
            referenced_schema="dbo",
            referenced_table="Customers",
            referenced_columns=["CustomerID"],
        )
    ]
    assert orders.definition == ORDERS.strip()
    assert (orders.row_count, orders.size_bytes) == (None, None)


def test_later_alter_table_and_create_index_apply_to_the_table(tmp_path: Path) -> None:
    # The constraints file sorts first: changes are applied once every file is read.
    write_scripts(
        tmp_path,
        {
            "1_constraints.sql": """\
ALTER TABLE [dbo].[T] NOCHECK CONSTRAINT ALL
ALTER TABLE [dbo].[T] WITH CHECK ADD
    CONSTRAINT [PK_T] PRIMARY KEY CLUSTERED ([a] ASC, [b]) ON [PRIMARY],
    CONSTRAINT [FK_T_U] FOREIGN KEY ([b]) REFERENCES [dbo].[U] ([id]) ON DELETE CASCADE
ALTER TABLE dbo.T ADD CONSTRAINT DF_T_b DEFAULT ((0)) FOR b
GO
ALTER TABLE T ADD c datetime NOT NULL, CONSTRAINT FK_T_V FOREIGN KEY (c) REFERENCES V;
CREATE UNIQUE NONCLUSTERED INDEX [IX_T_c] ON [dbo].[T] ([c] DESC) INCLUDE ([a])
CREATE INDEX IX_V ON dbo.V (id)
GO
""",
            "2_tables.sql": "CREATE TABLE dbo.T (a int, b int NULL)\nGO\n"
            "CREATE TABLE V (id datetime PRIMARY KEY)\nGO\nCREATE TABLE U (id int)\n",
        },
    )

    table = extract_scripts_catalog("legacy", tmp_path).find("T")

    assert table is not None and table.primary_key == ["a", "b"]
    assert [(c.name, c.data_type, c.nullable, c.ordinal, c.default) for c in table.columns] == [
        ("a", "int", False, 1, None),
        ("b", "int", False, 2, "((0))"),
        ("c", "datetime", False, 3, None),
    ]
    assert [
        (fk.name, fk.columns, fk.referenced_table, fk.referenced_columns)
        for fk in table.foreign_keys
    ] == [
        ("FK_T_U", ["b"], "U", ["id"]),
        ("FK_T_V", ["c"], "V", ["id"]),  # REFERENCES V means V's primary key
    ]
    assert [(i.name, i.columns, i.unique, i.primary, i.kind) for i in table.indexes] == [
        ("PK_T", ["a", "b"], True, True, "CLUSTERED"),
        ("IX_T_c", ["c"], True, False, "NONCLUSTERED"),
    ]


# --- the corpus ---------------------------------------------------------------

# Counted without the extractor, per file and kind, with
#   grep -iE '^\s*CREATE\s+(OR\s+ALTER\s+)?(TABLE|VIEW|PROC|PROCEDURE|FUNCTION|TRIGGER|SEQUENCE)\b'
# and every match read by hand: all are top-level statements, none sits in a
# comment or a string (the only multi-line comments are file headers). No file
# has an ALTER VIEW/PROC/FUNCTION/TRIGGER (grep -ciE '^\s*ALTER\s+(VIEW|PROC|FUNCTION|TRIGGER)').
CORPUS_COUNTS = [
    pytest.param(
        "adventureworks",
        {"TABLE": 71, "VIEW": 20, "PROCEDURE": 10, "FUNCTION": 11, "TRIGGER": 11, "SEQUENCE": 0},
        id="adventureworks",
    ),
    pytest.param(
        "northwind",
        {"TABLE": 13, "VIEW": 16, "PROCEDURE": 7, "FUNCTION": 0, "TRIGGER": 0, "SEQUENCE": 0},
        id="northwind",
    ),
    pytest.param(
        "pubs",
        {"TABLE": 11, "VIEW": 1, "PROCEDURE": 4, "FUNCTION": 0, "TRIGGER": 1, "SEQUENCE": 0},
        id="pubs",
    ),
]

# grep -c 'FOREIGN KEY' (AdventureWorks, Northwind); grep -ci REFERENCES (pubs, all inline).
CORPUS_FOREIGN_KEYS = {"adventureworks": 90, "northwind": 13, "pubs": 10}


@pytest.fixture(scope="module")
def corpus() -> dict[str, SourceCatalog]:
    return {name: extract_scripts_catalog(name, CORPUS / name) for name in CORPUS_FOREIGN_KEYS}


@pytest.mark.parametrize(("name", "counts"), CORPUS_COUNTS)
def test_corpus_counts(corpus: dict[str, SourceCatalog], name: str, counts: dict[str, int]) -> None:
    catalog = corpus[name]

    assert catalog.counts_by_type() == counts
    foreign_keys = sum(len(t.foreign_keys) for t in catalog.of_type(ObjectType.TABLE))
    assert foreign_keys == CORPUS_FOREIGN_KEYS[name]
    assert all(obj.definition and "\r" not in obj.definition for obj in catalog.objects)


def test_corpus_whole_folder(corpus: dict[str, SourceCatalog]) -> None:
    extraction = extract_scripts("samples", CORPUS)

    assert extraction.unreadable == []
    assert len(extraction.catalog.objects) == sum(len(c.objects) for c in corpus.values())
    assert {obj.file for obj in extraction.catalog.objects} == {
        "adventureworks/instawdb.sql",
        "northwind/instnwnd.sql",
        "pubs/instpubs.sql",
    }


def test_northwind_tables_all_have_their_primary_key(corpus: dict[str, SourceCatalog]) -> None:
    # Read from instnwnd.sql: eight tables declare CONSTRAINT "PK_..." inline,
    # five get theirs from ALTER TABLE ... ADD CONSTRAINT [PK_...] at the end.
    expected = {
        "Employees": ["EmployeeID"],
        "Categories": ["CategoryID"],
        "Customers": ["CustomerID"],
        "Shippers": ["ShipperID"],
        "Suppliers": ["SupplierID"],
        "Orders": ["OrderID"],
        "Products": ["ProductID"],
        "Order Details": ["OrderID", "ProductID"],
        "CustomerCustomerDemo": ["CustomerID", "CustomerTypeID"],
        "CustomerDemographics": ["CustomerTypeID"],
        "Region": ["RegionID"],
        "Territories": ["TerritoryID"],
        "EmployeeTerritories": ["EmployeeID", "TerritoryID"],
    }
    tables = corpus["northwind"].of_type(ObjectType.TABLE)

    assert {t.name: t.primary_key for t in tables} == expected
    for table in tables:
        assert all(not c.nullable for c in table.columns if c.name in table.primary_key)


def test_adventureworks_keys_and_positions(corpus: dict[str, SourceCatalog]) -> None:
    catalog = corpus["adventureworks"]
    tables = catalog.of_type(ObjectType.TABLE)
    # 71 ALTER TABLE ... ADD CONSTRAINT [PK_...] (grep), one per table, DatabaseLog's included.
    assert all(table.primary_key for table in tables)

    address = catalog.find("Address", "Person")
    assert (address.file, address.line) == ("instawdb.sql", 964)
    assert address.definition.startswith("CREATE TABLE [Person].[Address](")
    assert address.definition.endswith(") ON [PRIMARY]")
    assert address.columns[0] == Column(
        name="AddressID", data_type="int", nullable=False, ordinal=1, is_identity=True
    )
    log_trigger = catalog.find("ddlDatabaseTriggerLog")
    assert (log_trigger.type, log_trigger.parent, log_trigger.line) == (TR, None, 162)
    assert catalog.find("iuPerson").parent == "Person.Person"


def test_pubs_inline_keys(corpus: dict[str, SourceCatalog]) -> None:
    catalog = corpus["pubs"]

    assert [t.name for t in catalog.of_type(ObjectType.TABLE) if not t.primary_key] == [
        "roysched",
        "discounts",
    ]
    authors = catalog.find("authors")
    assert authors.primary_key == ["au_id"]
    assert (authors.columns[0].data_type, authors.columns[0].nullable) == ("id", False)
    assert catalog.find("titleauthor").primary_key == ["au_id", "title_id"]
    assert catalog.find("discounts").columns[-1].data_type == "dec(4,2)"


def test_corpus_columns_agree_with_sqlglot_where_it_parses(
    corpus: dict[str, SourceCatalog],
) -> None:
    # An independent reading: sqlglot's own parse of each CREATE TABLE it can parse.
    checked = 0
    for catalog in corpus.values():
        for table in catalog.of_type(ObjectType.TABLE):
            if table.parse_error:
                continue
            create = sqlglot.parse_one(table.definition, read="tsql")
            names = [c.name for c in create.this.expressions if isinstance(c, exp.ColumnDef)]
            assert [c.name for c in table.columns] == names, table.qualified_name
            checked += 1
    assert checked >= 50  # most of the 95 tables: the comparison is not vacuous


def test_alias_types_are_read_with_their_base_type(tmp_path: Path) -> None:
    catalog = catalog_of(
        tmp_path,
        "CREATE TYPE [dbo].[Flag] FROM bit NOT NULL;\n"
        "CREATE TYPE Name FROM nvarchar(50) NULL\n"
        "CREATE TYPE dbo.Amount FROM decimal(19, 4)\nGO\n"
        "CREATE TYPE dbo.Lines AS TABLE (id int)\nGO\n"
        "execute sp_addtype tid, 'varchar(6)', 'NOT NULL'\n"
        "-- CREATE TYPE Commented FROM int\n"
        "CREATE TABLE dbo.T (f Flag, n [dbo].[Name], t tid)\n",
    )
    assert catalog.alias_types == {
        "flag": "bit",
        "name": "nvarchar(50)",
        "amount": "decimal(19, 4)",
        "tid": "varchar(6)",
    }
    # the columns keep the alias's name, as SQL Server's own catalog does
    assert [c.data_type for c in catalog.find("T").columns] == ["Flag", "dbo.Name", "tid"]


def test_the_corpus_alias_types() -> None:
    catalog = extract_scripts_catalog("corpus", CORPUS)
    assert catalog.alias_types["flag"] == "bit" and catalog.alias_types["empid"] == "char(9)"
    assert len(catalog.alias_types) == 9  # AdventureWorks' six, pubs' three
