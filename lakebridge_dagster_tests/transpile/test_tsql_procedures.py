"""T-SQL procedures -> Databricks SQL procedures: one case per construct, then
every procedure of the corpus and of the demo."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

import pytest

from lakebridge_dagster.catalog.model import CatalogObject, ObjectType, SourceCatalog
from lakebridge_dagster.transpile.context import ManualConversion, ObjectContext
from lakebridge_dagster.transpile.scripting import check_script
from lakebridge_dagster.transpile.tsql_procedures import convert_tsql_procedure
from lakebridge_dagster_tests.transpile.conftest import OPTIONS, context_for

MakeContext = Callable[..., ObjectContext]


def convert(
    make_context: MakeContext, definition: str, **kwargs: object
) -> tuple[str, ObjectContext]:
    ctx = make_context(definition, ObjectType.PROCEDURE, name="p", **kwargs)
    sql = convert_tsql_procedure(ctx)
    assert check_script(sql) == [], sql
    return sql, ctx


def flat(sql: str) -> str:
    """One line, single spaces, no padding inside parentheses (pretty printing differs)."""
    return re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", " ".join(sql.split())))


# (T-SQL procedure, fragments the Databricks procedure must contain)
CONVERTED = {
    "header: parameters, defaults, OUTPUT -> INOUT": (
        "CREATE PROCEDURE dbo.p @a int, @b nvarchar(10) = N'x', @c int = 5 OUTPUT AS SELECT @a",
        [
            "CREATE OR REPLACE PROCEDURE `main`.`silver`.`p`(IN `a` INT, "
            "IN `b` STRING DEFAULT 'x', INOUT `c` INT DEFAULT 5) LANGUAGE SQL "
            "SQL SECURITY INVOKER COMMENT 'Converted from T-SQL dbo.p by lakebridge-dagster' "
            "AS BEGIN body: BEGIN",
            "SELECT `p`.`a`; END body; END",
        ],
    ),
    "CREATE OR ALTER PROC, parenthesised parameters, WITH options": (
        "CREATE OR ALTER PROC [dbo].[p] (@a [int]) WITH EXECUTE AS CALLER, RECOMPILE AS\n"
        "SELECT 1 AS one",
        ["(IN `a` INT)", "SELECT 1 AS one;"],
    ),
    "SET options before CREATE are dropped": (
        "SET ANSI_NULLS ON\nCREATE PROCEDURE p AS SELECT 1 AS one",
        ["`main`.`silver`.`p`()", "SELECT 1 AS one;"],
    ),
    "IF OBJECT_ID(...) DROP before CREATE is dropped": (
        "IF OBJECT_ID('dbo.p') IS NOT NULL DROP PROCEDURE dbo.p\n"
        "CREATE PROCEDURE dbo.p AS SELECT 1 AS one",
        ["`main`.`silver`.`p`()", "body: BEGIN SELECT 1 AS one; END body;"],
    ),
    "compound assignment: string += concatenates, number *= multiplies": (
        "CREATE PROCEDURE p AS\nDECLARE @s nvarchar(100) = N'a', @n int = 1\n"
        "SET @s += N'b' + @s\nSET @n *= 2 + @n\nSELECT @s AS s, @n AS n",
        [
            "SET `s` = CONCAT(body.`s`, 'b', body.`s`);",
            "SET `n` = body.`n` * (2 + body.`n`);",
        ],
    ),
    "parameters cannot be captured by columns": (
        "CREATE PROCEDURE p @Name nvarchar(50) AS SELECT Name FROM dbo.Items WHERE Name = @Name",
        ["WHERE Name = `p`.`Name`"],
    ),
    "local variables: leading DECLAREs keep DEFAULT, later ones become SET": (
        "CREATE PROCEDURE p AS BEGIN SET NOCOUNT ON; DECLARE @a int = 1, @b varchar(10);\n"
        "SELECT @a AS a; DECLARE @c int = @a * 2; SELECT @c AS c; END",
        [
            "DECLARE `a` INT DEFAULT 1; DECLARE `b` STRING; DECLARE `c` INT;",
            "-- SET NOCOUNT ON",
            "SELECT body.`a` AS a; SET `c` = body.`a` * 2; SELECT body.`c` AS c;",
        ],
    ),
    "IF without BEGIN, ELSE IF chain -> ELSEIF": (
        "CREATE PROCEDURE p @x int AS\nIF @x > 10 SELECT 'big' AS s\n"
        "ELSE IF @x > 5 SELECT 'mid' AS s\nELSE BEGIN SELECT 'small' AS s; SELECT 'x' AS t END",
        [
            "IF `p`.`x` > 10 THEN SELECT 'big' AS s; ELSEIF `p`.`x` > 5 THEN "
            "SELECT 'mid' AS s; ELSE SELECT 'small' AS s; SELECT 'x' AS t; END IF;"
        ],
    ),
    "WHILE with BREAK and CONTINUE -> labelled loop": (
        "CREATE PROCEDURE p AS BEGIN DECLARE @i int = 0;\n"
        "WHILE @i < 10 BEGIN SET @i += 1; IF @i = 3 CONTINUE; IF @i > 8 BREAK; END END",
        [
            "loop1: WHILE body.`i` < 10 DO SET `i` = body.`i` + 1; "
            "IF body.`i` = 3 THEN ITERATE loop1; END IF; "
            "IF body.`i` > 8 THEN LEAVE loop1; END IF; END WHILE loop1;"
        ],
    ),
    "SELECT @v = ... -> SET v = (SELECT ...), two variables -> SET (a, b)": (
        "CREATE PROCEDURE p AS BEGIN DECLARE @n int, @s int, @name nvarchar(20);\n"
        "SELECT @name = Name FROM dbo.Items WHERE Id = 1;\n"
        "SELECT @n = COUNT(*), @s = SUM(Qty) FROM dbo.Items;\nSELECT @n = 0 END",
        [
            "SET `name` = (SELECT Name FROM `main`.`silver`.`Items` WHERE Id = 1);",
            "SET (`n`, `s`) = (SELECT COUNT(*), SUM(Qty) FROM `main`.`silver`.`Items`);",
            "SET `n` = 0;",
        ],
    ),
    "SELECT TOP 1 @v = ... -> SET v = (SELECT ... LIMIT 1); @v = x in WHERE is a test": (
        "CREATE PROCEDURE p AS BEGIN DECLARE @x int;\n"
        "SELECT TOP (1) @x = Id FROM dbo.t ORDER BY Id DESC;\n"
        "SELECT Id FROM dbo.t WHERE @x = Id END",
        [
            "SET `x` = (SELECT Id FROM `main`.`silver`.`t` ORDER BY Id DESC LIMIT 1);",
            "SELECT Id FROM `main`.`silver`.`t` WHERE body.`x` = Id;",
        ],
    ),
    "an assigned IN parameter gets a local copy": (
        "CREATE PROCEDURE p @Day date = NULL AS\nSET @Day = ISNULL(@Day, '2024-01-01')\n"
        "SELECT @Day AS d",
        [
            "IN `Day` DATE DEFAULT NULL",
            "DECLARE `Day` DATE DEFAULT `p`.`Day`;",
            "SELECT body.`Day` AS d;",
        ],
    ),
    "RETURN n -> OUT return_status and LEAVE body": (
        "CREATE PROCEDURE p @x int AS BEGIN IF @x IS NULL RETURN 1; SELECT @x AS x; RETURN; END",
        [
            "OUT `return_status` INT)",
            "SET `return_status` = 0;",
            "IF `p`.`x` IS NULL THEN SET `return_status` = 1; LEAVE body; END IF;",
            "SELECT `p`.`x` AS x; SET `return_status` = 0; END body;",
        ],
    ),
    "RETURN without values anywhere: no return_status": (
        "CREATE PROCEDURE p @x int AS BEGIN IF @x IS NULL RETURN; SELECT @x AS x END",
        ["(IN `x` INT)", "IF `p`.`x` IS NULL THEN LEAVE body; END IF;"],
    ),
    "EXEC with named and positional arguments -> CALL": (
        "CREATE PROCEDURE p @a int AS EXEC dbo.other @x = @a, @y = N'k'; EXEC other 1, DEFAULT",
        [
            "CALL `main`.`silver`.`other`(`x` => `p`.`a`, `y` => 'k');",
            "CALL `main`.`silver`.`other`(1);",
        ],
    ),
    "TRY/CATCH -> EXIT handler, THROW; -> RESIGNAL, RAISERROR -> SIGNAL": (
        "CREATE PROCEDURE p AS BEGIN TRY\n"
        "  UPDATE dbo.Items SET Qty = 0 WHERE Qty < 0\n"
        "  RAISERROR('negative quantities reset', 16, 1)\nEND TRY\n"
        "BEGIN CATCH\n  THROW;\nEND CATCH",
        [
            "BEGIN DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN RESIGNAL; END; "
            "UPDATE `main`.`silver`.`Items` SET Qty = 0 WHERE Qty < 0; "
            "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'negative quantities reset'; END;"
        ],
    ),
    "THROW with a literal message -> SIGNAL": (
        "CREATE PROCEDURE p AS THROW 50001, N'bad input', 1;",
        ["SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'bad input';"],
    ),
    "PRINT and informational RAISERROR are kept as comments": (
        "CREATE PROCEDURE p AS BEGIN PRINT 'hello'; RAISERROR('done', 10, 1) WITH NOWAIT; END",
        ["-- PRINT 'hello'", "-- RAISERROR('done', 10, 1) WITH NOWAIT"],
    ),
    "standard cursor loop -> FOR": (
        "CREATE PROCEDURE p AS\nDECLARE @id int, @n nvarchar(50)\n"
        "DECLARE c CURSOR LOCAL FAST_FORWARD FOR SELECT Id, Name FROM dbo.Items ORDER BY Id\n"
        "OPEN c\nFETCH NEXT FROM c INTO @id, @n\nWHILE @@FETCH_STATUS = 0\nBEGIN\n"
        "  UPDATE dbo.Items SET Name = UPPER(@n) WHERE Id = @id\n"
        "  FETCH NEXT FROM c INTO @id, @n\nEND\nCLOSE c\nDEALLOCATE c",
        [
            "FOR `c_row` AS SELECT Id, Name FROM `main`.`silver`.`Items` ORDER BY Id DO "
            "SET `id` = `c_row`.`Id`; SET `n` = `c_row`.`Name`; "
            "UPDATE `main`.`silver`.`Items` SET Name = UPPER(body.`n`) WHERE Id = body.`id`; "
            "END FOR;"
        ],
    ),
    "BREAK inside a cursor loop leaves the FOR": (
        "CREATE PROCEDURE p AS\nDECLARE @id int\nDECLARE c CURSOR FOR SELECT Id FROM dbo.Items\n"
        "OPEN c\nFETCH NEXT FROM c INTO @id\nWHILE (@@FETCH_STATUS = 0)\nBEGIN\n"
        "  IF @id > 10 BREAK\n  FETCH NEXT FROM c INTO @id\nEND\nCLOSE c\nDEALLOCATE c",
        [
            "loop1: FOR `c_row` AS SELECT Id FROM `main`.`silver`.`Items` DO "
            "SET `id` = `c_row`.`Id`; IF body.`id` > 10 THEN LEAVE loop1; END IF; "
            "END FOR loop1;"
        ],
    ),
    "RETURN as the last statement of a CATCH at the end: no LEAVE needed": (
        "CREATE PROCEDURE p AS\nBEGIN TRY\n  DELETE FROM dbo.Items\nEND TRY\n"
        "BEGIN CATCH\n  RETURN 1\nEND CATCH",
        ["BEGIN SET `return_status` = 1; END; DELETE FROM `main`.`silver`.`Items`; END;"],
    ),
    "recursive CTE -> WITH RECURSIVE, OPTION dropped": (
        "CREATE PROCEDURE p AS\n"
        ";WITH t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 5)\n"
        "SELECT n FROM t OPTION (MAXRECURSION 10)",
        ["WITH RECURSIVE t(n) AS (", "SELECT n FROM t;"],
    ),
    "SET ROWCOUNT n -> LIMIT n on the next queries": (
        "CREATE PROCEDURE p AS\nSET ROWCOUNT 10\nSELECT Name FROM dbo.Items ORDER BY Name\n"
        "SET ROWCOUNT 0\nSELECT Name FROM dbo.Items",
        ["ORDER BY Name LIMIT 10;", "-- SET ROWCOUNT 0 SELECT Name FROM `main`.`silver`.`Items`;"],
    ),
    "statements without semicolons, INSERT ... SELECT, UPDATE ... SET": (
        "CREATE PROCEDURE p AS\nINSERT INTO dbo.Log (a) SELECT Id FROM dbo.Items\n"
        "UPDATE dbo.Items SET Qty = 1 WHERE Id IN (SELECT a FROM dbo.Log)\n"
        "SELECT Id FROM dbo.Items UNION SELECT a FROM dbo.Log",
        [
            "INSERT INTO `main`.`silver`.`Log` (a) SELECT Id FROM `main`.`silver`.`Items`;",
            "UPDATE `main`.`silver`.`Items` SET Qty = 1 WHERE Id IN (SELECT a FROM "
            "`main`.`silver`.`Log`);",
            "SELECT Id FROM `main`.`silver`.`Items` UNION SELECT a FROM `main`.`silver`.`Log`;",
        ],
    ),
}


@pytest.mark.parametrize(("definition", "fragments"), CONVERTED.values(), ids=CONVERTED.keys())
def test_converted_constructs(
    make_context: MakeContext, definition: str, fragments: list[str]
) -> None:
    sql, _ = convert(make_context, definition)
    for fragment in fragments:
        assert fragment in flat(sql), sql


# (T-SQL procedure, [(rule, line)] of the MANUAL reasons)
MANUAL = {
    "transactions": (
        "CREATE PROCEDURE p AS\nBEGIN TRAN\nUPDATE dbo.Items SET Qty = 0\nCOMMIT TRAN",
        [("transaction", 2), ("transaction", 4)],
    ),
    "dynamic SQL": (
        "CREATE PROCEDURE p @sql nvarchar(max) AS\nEXEC (@sql)\nEXEC sp_executesql @sql",
        [("dynamic-sql", 2), ("dynamic-sql", 3)],
    ),
    "GOTO and its label": (
        "CREATE PROCEDURE p AS\nGOTO done\nSELECT 1 AS one\ndone:\nSELECT 2 AS two",
        [("goto", 2), ("goto", 4)],
    ),
    "table variable": (
        "CREATE PROCEDURE p AS\nDECLARE @t TABLE (a int)\nINSERT INTO @t VALUES (1)",
        [("table-variable", 2)],
    ),
    "temp table, reported once": (
        "CREATE PROCEDURE p AS\nCREATE TABLE #t (a int)\nINSERT INTO #t VALUES (1)",
        [("temp-table", 2)],
    ),
    "formatted RAISERROR": (
        "CREATE PROCEDURE p @n int AS\nRAISERROR('bad %d', 16, 1, @n)",
        [("raiserror", 2)],
    ),
    "undeclared variable": (
        "CREATE PROCEDURE p AS\nSELECT @nope AS x",
        [("variables", 2)],
    ),
    "cursor that is not the standard loop": (
        "CREATE PROCEDURE p AS\nDECLARE c CURSOR FOR SELECT 1\nOPEN c\nCLOSE c",
        [("cursor", 2), ("cursor", 3), ("cursor", 4)],
    ),
    "hierarchyid method": (
        "CREATE PROCEDURE p AS\nSELECT e.Node.GetAncestor(1) AS a FROM dbo.Employee e",
        [("clr-method", 2)],
    ),
    "FOR JSON": (
        "CREATE PROCEDURE p AS\nSELECT Id FROM dbo.Items FOR JSON PATH",
        [("for-json-xml", 2)],
    ),
    "SELECT that assigns and returns columns": (
        "CREATE PROCEDURE p AS\nDECLARE @x int\nSELECT Id, @x = Id FROM dbo.t",
        [("select-assign", 3)],
    ),
    "UPDATE that assigns a variable": (
        "CREATE PROCEDURE p AS\nDECLARE @x int\nUPDATE dbo.t SET @x = a, b = 1",
        [("update-variable", 3)],
    ),
    "OUTPUT clause and DELETE TOP": (
        "CREATE PROCEDURE p AS\nINSERT INTO dbo.t (a) OUTPUT inserted.id VALUES (1)\n"
        "DELETE TOP (10) FROM dbo.t",
        [("output-clause", 2), ("dml-top", 3)],
    ),
    "RETURN in the middle of a CATCH": (
        "CREATE PROCEDURE p AS\nBEGIN TRY SELECT 1 AS one END TRY\n"
        "BEGIN CATCH\n  RETURN 1\n  SELECT 2 AS two\nEND CATCH\nSELECT 3 AS three",
        [("return", 4)],
    ),
    "a body that cannot be split": (
        "CREATE PROCEDURE p AS\nBEGIN\nSELECT 1 AS one\n",
        [("parse", 3)],
    ),
}


@pytest.mark.parametrize(("definition", "expected"), MANUAL.values(), ids=MANUAL.keys())
def test_manual_constructs_name_rule_and_line(
    make_context: MakeContext, definition: str, expected: list[tuple[str, int]]
) -> None:
    ctx = make_context(definition, ObjectType.PROCEDURE, name="p")
    with pytest.raises(ManualConversion) as raised:
        convert_tsql_procedure(ctx)
    found = sorted((reason.rule, reason.line) for reason in raised.value.reasons)
    assert found == sorted(expected)


def test_manual_collects_every_blocker_and_keeps_the_partial_conversion(
    make_context: MakeContext,
) -> None:
    definition = (
        "CREATE PROCEDURE p @a int AS\nBEGIN TRAN\nSELECT Name FROM dbo.Items WHERE Id = @a\n"
        "EXEC (N'SELECT 1')\nCOMMIT"
    )
    ctx = make_context(definition, ObjectType.PROCEDURE, name="p")
    with pytest.raises(ManualConversion) as raised:
        convert_tsql_procedure(ctx)
    assert [r.line for r in raised.value.reasons] == [2, 4, 5]
    partial = raised.value.partial_sql
    assert partial is not None
    assert "WHERE Id = `p`.`a`;" in flat(partial)
    assert "-- BEGIN TRAN" in partial
    assert check_script(partial) == []


def test_exec_passes_variables_for_the_callees_output_and_return_status(
    make_context: MakeContext,
) -> None:
    callee = CatalogObject(
        schema="dbo",
        name="log_error",
        type=ObjectType.PROCEDURE,
        definition="CREATE PROCEDURE dbo.log_error @id int = 0 OUTPUT AS BEGIN SET @id = 1; "
        "RETURN 5; END",
    )
    sql, _ = convert(
        make_context,
        "CREATE PROCEDURE p AS BEGIN DECLARE @rc int; EXEC @rc = dbo.log_error; END",
        catalog_objects=[callee],
    )
    assert "DECLARE `log_error_id` INT DEFAULT 0;" in sql  # the callee's default
    assert (
        "CALL `main`.`silver`.`log_error`(`id` => `log_error_id`, `return_status` => `rc`);" in sql
    )


def test_dropped_statements_leave_a_warning(make_context: MakeContext) -> None:
    _, ctx = convert(make_context, "CREATE PROCEDURE p AS BEGIN PRINT 'x'; SELECT 1 AS one; END")
    assert [(m.level, m.line, m.rule) for m in ctx.messages] == [("warning", 1, "print")]


def test_query_hints_are_dropped_with_a_warning(make_context: MakeContext) -> None:
    _, ctx = convert(
        make_context, "CREATE PROCEDURE p AS\nSELECT Id FROM dbo.Items OPTION (RECOMPILE)"
    )
    assert [(m.line, m.rule) for m in ctx.messages if m.level == "warning"] == [(2, "query-hint")]


def test_user_defined_parameter_type_is_string_with_a_warning(make_context: MakeContext) -> None:
    sql, ctx = convert(make_context, "CREATE PROCEDURE p @f [dbo].[Flag] AS SELECT @f AS f")
    assert "(IN `f` STRING)" in sql
    assert any("dbo.Flag" in m.text for m in ctx.messages if m.level == "warning")


# -- the corpus and the demo -------------------------------------------------------------


def procedures(catalog: SourceCatalog) -> list[str]:
    return [obj.name for obj in catalog.objects if obj.type == ObjectType.PROCEDURE]


def outcome(catalog: SourceCatalog, name: str) -> tuple[str, list]:
    ctx = context_for(catalog, name, ObjectType.PROCEDURE)
    try:
        sql = convert_tsql_procedure(ctx)
    except ManualConversion as error:
        return "MANUAL", error.reasons
    return "CONVERTED", check_script(sql)


def test_corpus_and_demo_procedures(
    corpus_catalog: SourceCatalog, demo_tsql_catalog: SourceCatalog
) -> None:
    """Each procedure converts to a script check_script accepts, or is MANUAL with
    reasons that have lines; at least 60% convert."""
    results: Counter[str] = Counter()
    catalogs = [corpus_catalog, demo_tsql_catalog]
    names = [(catalog, name) for catalog in catalogs for name in procedures(catalog)]
    assert len(names) == 31
    for catalog, name in names:
        status, details = outcome(catalog, name)
        results[status] += 1
        if status == "CONVERTED":
            assert details == [], name
        else:
            assert details, name
            assert all(reason.line is not None and reason.line >= 1 for reason in details), name
    assert results["CONVERTED"] / len(names) >= 0.6, results


@pytest.mark.parametrize(
    ("name", "rules"),
    [
        ("usp_PurgeSoftDeleted", {"goto", "dynamic-sql", "table-variable", "raiserror"}),
        ("usp_AttendancePivotReport", {"dynamic-sql", "raiserror"}),
        ("usp_SyncEquipmentFromERP", {"temp-table", "transaction"}),
    ],
)
def test_demo_blockers_are_named(
    demo_tsql_catalog: SourceCatalog, name: str, rules: set[str]
) -> None:
    status, reasons = outcome(demo_tsql_catalog, name)
    assert status == "MANUAL"
    assert rules <= {reason.rule for reason in reasons}


@pytest.mark.parametrize(
    "name", ["usp_UpsertCompany", "usp_CloseOpenAttendance", "usp_GetWorkersByCompany"]
)
def test_demo_procedures_that_convert(demo_tsql_catalog: SourceCatalog, name: str) -> None:
    assert outcome(demo_tsql_catalog, name) == ("CONVERTED", [])


@pytest.mark.parametrize("name", ["usp_RefreshZoneOccupancy", "usp_PurgeSoftDeleted"])
def test_truncated_definitions_never_fail(demo_tsql_catalog: SourceCatalog, name: str) -> None:
    """A broken definition is MANUAL with a line, never another exception: every
    prefix of two of the most involved demo procedures, cut every 23 characters."""
    obj = demo_tsql_catalog.find(name, object_type=ObjectType.PROCEDURE)
    assert obj is not None and obj.definition
    for cut in range(0, len(obj.definition), 23):
        prefix = obj.model_copy(update={"definition": obj.definition[:cut]})
        ctx = ObjectContext(obj=prefix, catalog=demo_tsql_catalog, options=OPTIONS)
        try:
            sql = convert_tsql_procedure(ctx)
        except ManualConversion as error:
            assert error.reasons, cut
            assert all(reason.line is not None for reason in error.reasons), cut
            continue
        assert check_script(sql) == [], cut
