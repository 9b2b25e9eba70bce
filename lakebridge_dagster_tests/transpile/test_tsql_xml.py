"""XQuery .value()/.exist() on xml columns -> xpath_string/xpath_boolean."""

from __future__ import annotations

import pytest
import sqlglot
from sqlglot import exp

from lakebridge_dagster.catalog.model import ObjectType
from lakebridge_dagster.transpile.tsql_xml import xml_exist, xml_value, xquery_to_xpath
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

    nodes = parse_tsql(
        "SELECT c.ref.value('(Name)[1]', 'nvarchar(50)') AS n "
        "FROM Candidate jc CROSS APPLY jc.Resume.nodes('/Resume/Name') AS c(ref)"
    )[0]
    with pytest.raises(ManualConversion) as raised:
        to_databricks(nodes, tsql_object("SELECT 1", ObjectType.VIEW))
    assert any(".nodes()" in reason.text for reason in raised.value.reasons)


def test_nodes_on_the_root_element_reads_the_document_and_deeper_nodes_stay_manual() -> None:
    from lakebridge_dagster.transpile.context import ManualConversion
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

    deeper = parse_tsql(
        "SELECT E.ref.value('(Name)[1]', 'nvarchar(50)') AS n FROM Candidate jc "
        "CROSS APPLY jc.Resume.nodes('/Resume/Employment') AS E(ref)"
    )[0]
    with pytest.raises(ManualConversion) as raised:
        to_databricks(deeper, tsql_object("SELECT 1", ObjectType.VIEW))
    assert any(".nodes()" in reason.text for reason in raised.value.reasons)
