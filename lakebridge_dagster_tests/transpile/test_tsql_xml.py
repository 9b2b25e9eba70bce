"""XQuery .value()/.exist() on xml columns -> xpath_string/xpath_boolean."""

from __future__ import annotations

import pytest
import sqlglot
from sqlglot import exp

from lakebridge_dagster.catalog.model import ObjectType
from lakebridge_dagster.transpile.tsql_xml import (
    NodesSchema,
    node_steps,
    value_steps,
    xml_exist,
    xml_value,
    xquery_to_xpath,
)
from lakebridge_dagster_tests.transpile.conftest import tsql_object

AW = "http://schemas.microsoft.com/sqlserver/2004/07/adventure-works/StoreSurvey"


def step(name: str) -> str:
    return f'*[local-name()="{name}"]'


@pytest.mark.parametrize(
    ("xquery", "first", "xpath"),
    [
        (
            f'declare default element namespace "{AW}"; (/StoreSurvey/AnnualSales)[1]',
            True,
            f"/{step('StoreSurvey')}/{step('AnnualSales')}",
        ),
        (
            f'declare namespace ns="{AW}";\n  (/ns:Resume/ns:Name/ns:Name.Prefix)[1]',
            True,
            f"/{step('Resume')}/{step('Name')}/{step('Name.Prefix')}",
        ),
        ("(/a/b/@id)[1]", True, f"/{step('a')}/{step('b')}/@id"),
        ("/a/b/text()[1]", True, f"/{step('a')}/{step('b')}/text()"),
        ("(Address/City)[1]", True, f"/{step('Address')}/{step('City')}"),
        # the first telephoneNumber's number: T-SQL needs a schema allowing one
        (
            "(act:telephoneNumber)[1]/act:number",
            True,
            f"(/{step('telephoneNumber')})[1]/{step('number')}",
        ),
        ("(a/text())[1]/b", True, None),
        ("(a)[1]b", True, None),
        ("/a/*", False, f"/{step('a')}/*"),
        # Not a plain path: stays MANUAL.
        ("(/a/b)[2]", True, None),
        ("/a/b", True, None),  # .value() needs a singleton
        ("(//b)[1]", True, None),
        ('(/a/b[@type="x"])[1]', True, None),
        ("(/a/b/@id/c)[1]", True, None),
        ("count(/a/b)", False, None),
        ("(/a/../b)[1]", True, None),
    ],
)
def test_xquery_to_xpath(xquery: str, first: bool, xpath: str | None) -> None:
    assert xquery_to_xpath(xquery, first=first) == xpath


def test_a_relative_path_starts_at_its_context_and_an_absolute_one_does_not() -> None:
    root = f"/{step('Root')}"
    assert (
        xquery_to_xpath("(a/b)[1]", first=True, context=root) == f"{root}/{step('a')}/{step('b')}"
    )
    assert xquery_to_xpath("(a)[1]/b", first=True, context=root) == (
        f"({root}/{step('a')})[1]/{step('b')}"
    )
    assert xquery_to_xpath("(/x)[1]", first=True, context=root) == f"/{step('x')}"


def test_value_reads_the_first_match_and_is_null_when_nothing_matches() -> None:
    ctx = tsql_object("SELECT 1", ObjectType.VIEW)
    converted = xml_value(
        exp.column("Demographics", "s"),
        f'declare default element namespace "{AW}"; (/StoreSurvey/AnnualSales)[1]',
        "money",
        ctx,
    )
    assert converted is not None
    path = f"/{step('StoreSurvey')}/{step('AnnualSales')}"
    assert converted.sql("databricks") == (
        f"CAST(CASE WHEN XPATH_BOOLEAN(s.Demographics, '{path}') "
        f"THEN XPATH_STRING(s.Demographics, '{path}') END AS DECIMAL(19, 4))"
    )
    assert sqlglot.parse_one(f"SELECT {converted.sql('databricks')}", read="databricks")


def test_exist_is_one_zero_or_null() -> None:
    converted = xml_exist(exp.column("Doc"), "/a/b")
    assert converted is not None
    path = f"/{step('a')}/{step('b')}"
    assert converted.sql("databricks") == (
        f"CASE WHEN Doc IS NULL THEN NULL WHEN XPATH_BOOLEAN(Doc, '{path}') THEN 1 ELSE 0 END"
    )


def test_unsupported_xquery_gives_none() -> None:
    ctx = tsql_object("SELECT 1", ObjectType.VIEW)
    assert xml_value(exp.column("x"), "(/a/b)[2]", "int", ctx) is None
    assert xml_exist(exp.column("x"), "/a[b=1]") is None


def test_the_expression_rules_use_xpath_and_keep_nodes_manual() -> None:
    from lakebridge_dagster.transpile.context import ManualConversion
    from lakebridge_dagster.transpile.tsql_expressions import parse_tsql, to_databricks

    ctx = tsql_object("SELECT 1", ObjectType.VIEW)
    value = parse_tsql(
        'SELECT s.Demographics.value(N\'declare default element namespace "x"; '
        "(/StoreSurvey/BankName)[1]', 'nvarchar(50)') AS BankName FROM Store s"
    )[0]
    sql = to_databricks(value, ctx).sql("databricks")
    assert "XPATH_STRING(s.Demographics" in sql and "AS STRING)" in sql
    assert [m.rule for m in ctx.messages] == ["xml_method"]

    nested = parse_tsql(
        "SELECT s.ref.value('(Name)[1]', 'nvarchar(50)') AS n FROM Candidate jc "
        "CROSS APPLY jc.Resume.nodes('/Resume/Employment') AS e(ref) "
        "CROSS APPLY e.ref.nodes('Step') AS s(ref)"
    )[0]
    with pytest.raises(ManualConversion) as raised:
        to_databricks(nested, tsql_object("SELECT 1", ObjectType.VIEW))
    assert any(".nodes()" in reason.text for reason in raised.value.reasons)


def test_nodes_on_the_root_element_reads_the_document() -> None:
    from lakebridge_dagster.transpile.tsql_expressions import parse_tsql, to_databricks

    root = parse_tsql(
        'SELECT p.Id, S.ref.value(N\'declare default element namespace "x"; '
        "Gender[1]', 'nvarchar(1)') AS Gender FROM Person p "
        'CROSS APPLY p.Demographics.nodes(N\'declare default element namespace "x"; '
        "/Survey') AS S(ref) WHERE p.Id > 0"
    )[0]
    ctx = tsql_object("SELECT 1", ObjectType.VIEW)
    sql = to_databricks(root, ctx).sql("databricks")
    survey, gender = step("Survey"), step("Gender")
    assert f"XPATH_STRING(p.Demographics, '/{survey}/{gender}')" in sql
    # CROSS APPLY gave no row for a NULL document or another root: same filter.
    assert sql.endswith(f"WHERE p.Id > 0 AND XPATH_BOOLEAN(p.Demographics, '/{survey}')")
    assert "nodes" not in sql.lower() and "LATERAL" not in sql
    assert [m.rule for m in ctx.messages] == ["xml_method"]

    outer = parse_tsql(
        "SELECT p.Id, S.ref.value('Gender[1]', 'nvarchar(1)') AS Gender FROM Person p "
        "OUTER APPLY p.Demographics.nodes('/Survey') AS S(ref)"
    )[0]
    sql = to_databricks(outer, tsql_object("SELECT 1", ObjectType.VIEW)).sql("databricks")
    # OUTER APPLY keeps every row: no filter, the reads are NULL without a root
    assert "WHERE" not in sql and f"XPATH_STRING(p.Demographics, '/{survey}/{gender}')" in sql


def test_nodes_below_the_root_become_a_lateral_view_of_from_xml() -> None:
    from lakebridge_dagster.transpile.tsql_expressions import parse_tsql, to_databricks

    tree = parse_tsql(
        "SELECT jc.Id, E.ref.value('(Emp.Org)[1]', 'nvarchar(50)') AS Org, "
        "E.ref.value('(ns:Emp.Loc/ns:Loc/ns:City)[1]', 'nvarchar(50)') AS City "
        "FROM Candidate jc OUTER APPLY jc.Resume.nodes("
        "'declare namespace ns=\"urn:r\"; /ns:Resume/ns:Employment') AS E(ref) "
        "WHERE E.ref.value('(Emp.Org)[1]', 'nvarchar(50)') <> 'x'"
    )[0]
    ctx = tsql_object("SELECT 1", ObjectType.VIEW)
    sql = to_databricks(tree, ctx).sql("databricks")
    schema = (
        "`Employment` ARRAY<STRUCT<`Emp.Org`: ARRAY<STRING>, `Emp.Loc`: ARRAY<STRUCT<"
        "`Loc`: ARRAY<STRUCT<`City`: ARRAY<STRING>>>>>>>"
    )
    assert sql == (
        "SELECT jc.Id, CAST(TRY_ELEMENT_AT(E.ref.`Emp.Org`, 1) AS STRING) AS Org, "
        "CAST(TRY_ELEMENT_AT(FLATTEN(TRANSFORM(FLATTEN(TRANSFORM(E.ref.`Emp.Loc`, "
        "node -> COALESCE(node.`Loc`, ARRAY()))), node -> COALESCE(node.`City`, ARRAY()))), 1) "
        "AS STRING) AS City FROM Candidate AS jc LATERAL VIEW OUTER EXPLODE(CASE WHEN "
        f"XPATH_BOOLEAN(jc.Resume, '/{step('Resume')}') THEN FROM_XML(jc.Resume, '{schema}', "
        "MAP('ignoreNamespace', 'true', 'ignoreSurroundingSpaces', 'false')).`Employment` END) "
        "E AS ref WHERE CAST(TRY_ELEMENT_AT(E.ref.`Emp.Org`, 1) AS STRING) <> 'x'"
    )
    assert [(m.level, m.rule) for m in ctx.messages] == [("warning", "xml_method")]


@pytest.mark.parametrize(
    ("tsql", "why"),
    [
        (
            "SELECT E.ref.value('(Org)[1]', 'nvarchar(9)') FROM C jc "
            "CROSS APPLY jc.R.nodes('/R/E') AS E(ref) JOIN D d ON d.id = jc.id",
            "a join after the APPLY: LATERAL VIEW can only come after every join",
        ),
        (
            "SELECT E.ref.value('(@id)[1]', 'int') FROM C jc "
            "CROSS APPLY jc.R.nodes('/R/E') AS E(ref)",
            "an attribute is not an element of the schema",
        ),
        (
            "SELECT E.ref.exist('Org') FROM C jc CROSS APPLY jc.R.nodes('/R/E') AS E(ref)",
            "the row is read by something other than .value()",
        ),
        (
            "SELECT E.ref.value('(Org)[1]', 'int'), E.ref.value('(Org/Name)[1]', 'int') "
            "FROM C jc CROSS APPLY jc.R.nodes('/R/E') AS E(ref)",
            "Org is read both as a value and as a parent",
        ),
        (
            "SELECT E.ref.value('(Org)[1]', 'int') FROM C jc "
            "CROSS APPLY jc.R.nodes('//E') AS E(ref)",
            "the descendant axis is not a path of elements",
        ),
    ],
)
def test_nodes_that_cannot_be_shredded_exactly_stay_manual(tsql: str, why: str) -> None:
    from lakebridge_dagster.transpile.context import ManualConversion
    from lakebridge_dagster.transpile.tsql_expressions import parse_tsql, to_databricks

    with pytest.raises(ManualConversion) as raised:
        to_databricks(parse_tsql(tsql)[0], tsql_object("SELECT 1", ObjectType.VIEW))
    assert any(".nodes()" in reason.text for reason in raised.value.reasons), why


@pytest.mark.parametrize(
    ("xquery", "steps"),
    [
        ('declare default element namespace "x"; /Resume/Employment', ["Resume", "Employment"]),
        ("/ns:a/ns:b/c", ["a", "b", "c"]),
        ("/Resume", None),  # the root element: read with xpath, not shredded
        ("Employment", None),  # relative: below another row's node
        ("/a/*", None),
        ("/a//b", None),
        ("/a/b[1]", None),
    ],
)
def test_node_steps(xquery: str, steps: list[str] | None) -> None:
    assert node_steps(xquery) == steps


@pytest.mark.parametrize(
    ("xquery", "steps"),
    [
        ("(Emp.StartDate)[1]", ["Emp.StartDate"]),
        ('declare namespace ns="x"; (ns:a/ns:b)[1]', ["a", "b"]),
        ("a[1]", ["a"]),
        ("(a)[2]", None),
        ("(/Resume/a)[1]", None),  # absolute: the whole document, not the row
        ("(a/@id)[1]", None),
        ("(a/text())[1]", None),
        ("string(.)[1]", None),
    ],
)
def test_value_steps(xquery: str, steps: list[str] | None) -> None:
    assert value_steps(xquery) == steps


def test_the_nodes_schema_holds_what_is_read_and_refuses_a_name_used_two_ways() -> None:
    schema = NodesSchema(steps=["R", "A", "B"])
    assert schema.add(["x"]) and schema.add(["y", "z"]) and schema.add(["y", "w"])
    assert schema.add(["x"])  # read twice: one field
    assert not schema.add(["x", "deeper"]) and not schema.add(["y"])
    assert schema.ddl() == (
        "`A` ARRAY<STRUCT<`B`: ARRAY<STRUCT<`x`: ARRAY<STRING>, "
        "`y`: ARRAY<STRUCT<`z`: ARRAY<STRING>, `w`: ARRAY<STRING>>>>>>>"
    )
