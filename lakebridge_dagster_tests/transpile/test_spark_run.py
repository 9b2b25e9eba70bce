"""Converted SQL run on Spark SQL (the open-source engine under Databricks SQL,
in ANSI mode as Databricks SQL is), against the results T-SQL gives: XML reads
over real XML documents, and CONVERT with a style.

The expected rows follow T-SQL's rules: `.nodes()` yields one row per matching
node in document order (none for a NULL document or another root element;
OUTER APPLY then keeps the row with NULL reads), `.value('(path)[1]', type)`
is the first match's text, '' for an empty element, NULL when nothing matches,
spaces kept. No SQL Server runs here; the documents are written to exercise
each rule (a node without a field, a repeated field, a nested path whose first
branch lacks the leaf, namespace prefixes, an empty and a padded value).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePosixPath

import pytest
import sqlglot
from sqlglot import exp

from lakebridge_dagster.catalog.model import ObjectType, SourceCatalog
from lakebridge_dagster.transpile.pipeline import convert_object
from lakebridge_dagster.transpile.tsql_expressions import parse_tsql, to_databricks
from lakebridge_dagster_tests.transpile.conftest import OPTIONS, tsql_object

RESUME = "http://schemas.microsoft.com/sqlserver/2004/07/adventure-works/Resume"

CANDIDATES = [
    (
        1,
        f'<ns:Resume xmlns:ns="{RESUME}"><ns:Name>A</ns:Name>'
        "<ns:Employment><ns:Emp.StartDate>2000-06-01Z</ns:Emp.StartDate>"
        "<ns:Emp.OrgName>Wingtip Toys</ns:Emp.OrgName><ns:Emp.Location><ns:Location>"
        "<ns:Loc.City>Saginaw</ns:Loc.City></ns:Location></ns:Emp.Location></ns:Employment>"
        "<ns:Employment><ns:Emp.OrgName>Contoso</ns:Emp.OrgName>"
        "<ns:Emp.OrgName>Second name</ns:Emp.OrgName><ns:Emp.Location><ns:Location/>"
        "<ns:Location><ns:Loc.City>Kent</ns:Loc.City></ns:Location></ns:Emp.Location>"
        "</ns:Employment></ns:Resume>",
    ),
    (2, f'<Resume xmlns="{RESUME}"><Name>no employment</Name></Resume>'),
    (3, None),
    (4, f'<Other xmlns="{RESUME}"><Employment><Emp.OrgName>X</Emp.OrgName></Employment></Other>'),
    (
        5,
        f'<Resume xmlns="{RESUME}"><Employment><Emp.OrgName/></Employment>'
        "<Employment><Emp.OrgName> Padded </Emp.OrgName></Employment></Resume>",
    ),
]

SHRED = (
    "SELECT jc.JobCandidateID, E.ref.value('(Emp.OrgName)[1]', 'nvarchar(100)') AS Org, "
    "E.ref.value('(Emp.StartDate)[1]', 'nvarchar(20)') AS StartDate, "
    "E.ref.value('(Emp.Location/Location/Loc.City)[1]', 'nvarchar(100)') AS City "
    "FROM dbo.JobCandidate AS jc {apply} jc.Resume.nodes(N'declare default element namespace "
    f'"{RESUME}"; /Resume/Employment\') AS E(ref)'
)
SHREDDED = [
    (1, "Wingtip Toys", "2000-06-01Z", "Saginaw"),
    (1, "Contoso", None, "Kent"),
    (5, "", None, None),
    (5, " Padded ", None, None),
]


@pytest.fixture(scope="module")
def candidates(spark):
    frame = spark.createDataFrame(CANDIDATES, "JobCandidateID INT, Resume STRING")
    frame.createOrReplaceTempView("JobCandidate")
    return spark


def run(spark, query: exp.Expression) -> list[tuple]:
    """`query` on Spark, its tables read from temp views of their bare names."""
    return [tuple(row) for row in spark.sql(local(query).sql("databricks")).collect()]


def local(tree: exp.Expression) -> exp.Expression:
    """`tree` with `catalog`.`schema`.name references made bare, tables and
    function calls alike: on Spark they are temporary views and functions."""
    tree = tree.copy()
    for table in tree.find_all(exp.Table):
        table.set("catalog", None)
        table.set("db", None)
    for dot in list(tree.find_all(exp.Dot)):
        if isinstance(dot.expression, exp.Anonymous) and not isinstance(dot.this, exp.Column):
            dot.replace(dot.expression)  # `main`.`silver`.`fn`(x) -> fn(x)
    return tree


def converted(tsql: str) -> exp.Expression:
    return to_databricks(parse_tsql(tsql)[0], tsql_object("SELECT 1", ObjectType.VIEW))


def test_cross_apply_nodes_gives_one_row_per_node_with_that_nodes_values(candidates) -> None:
    rows = run(candidates, converted(SHRED.format(apply="CROSS APPLY")))
    assert rows == SHREDDED


def test_outer_apply_nodes_keeps_documents_without_nodes(candidates) -> None:
    rows = run(candidates, converted(SHRED.format(apply="OUTER APPLY")))
    no_nodes = [(2, None, None, None), (3, None, None, None), (4, None, None, None)]
    assert sorted(rows, key=lambda r: (r[0], r[1] or "")) == sorted(
        SHREDDED + no_nodes, key=lambda r: (r[0], r[1] or "")
    )


CONTACT = "http://schemas.microsoft.com/sqlserver/2004/07/adventure-works/ContactInfo"
TYPES = "http://schemas.microsoft.com/sqlserver/2004/07/adventure-works/ContactTypes"
PEOPLE = [
    (
        1,
        "Ann",
        f'<AdditionalContactInfo xmlns="{CONTACT}" xmlns:act="{TYPES}">Notes '
        "<act:telephoneNumber><act:number>111</act:number>"
        "<act:SpecialInstructions>Call <act:b>after</act:b> 5</act:SpecialInstructions>"
        "</act:telephoneNumber><act:telephoneNumber><act:number>222</act:number>"
        "</act:telephoneNumber><act:homePostalAddress><act:Street>1 Main St</act:Street>"
        "<act:City>Kent</act:City></act:homePostalAddress></AdditionalContactInfo>",
    ),
    (2, "Bob", f'<AdditionalContactInfo xmlns="{CONTACT}"/>'),
    (
        3,
        "Cy",
        f'<Other xmlns="{CONTACT}"><telephoneNumber><number>9</number></telephoneNumber></Other>',
    ),
]


def test_the_adventureworks_contact_view_runs_on_spark(
    spark, corpus_catalog: SourceCatalog
) -> None:
    """Person.vAdditionalContactInfo as the pipeline converts it (OUTER APPLY on
    the root element, `(act:telephoneNumber)[1]/act:number`, text() reads)."""
    spark.createDataFrame(
        [(i, n, None, "L", xml, "guid", "2020-01-01") for i, n, xml in PEOPLE],
        "BusinessEntityID INT, FirstName STRING, MiddleName STRING, LastName STRING, "
        "AdditionalContactInfo STRING, rowguid STRING, ModifiedDate STRING",
    ).createOrReplaceTempView("Person_Person")
    query = _view_query(corpus_catalog, "vAdditionalContactInfo")
    rows = {row[0]: row for row in run(spark, query)}
    assert set(rows) == {1, 2, 3}  # OUTER APPLY: every person, whatever the document
    ann = dict(zip(_columns(query), rows[1], strict=True))
    assert ann["TelephoneNumber"] == "111"  # the first telephoneNumber's number
    assert ann["TelephoneSpecialInstructions"] == "Call"  # first text node, trimmed
    assert (ann["Street"], ann["City"], ann["PostalCode"]) == ("1 Main St", "Kent", None)
    for other in (2, 3):  # no such element, or another root element: NULL
        values = dict(zip(_columns(query), rows[other], strict=True))
        assert values["TelephoneNumber"] is None and values["City"] is None


def test_the_adventureworks_education_view_runs_on_spark(spark, corpus_catalog) -> None:
    """HumanResources.vJobCandidateEducation as the pipeline converts it: one row
    per Education node, values of that node only."""
    documents = [
        (
            7,
            f'<ns:Resume xmlns:ns="{RESUME}"><ns:Education><ns:Edu.Level>Bachelor</ns:Edu.Level>'
            "<ns:Edu.Degree>BA</ns:Edu.Degree><ns:Edu.School>Evergreen</ns:Edu.School>"
            "<ns:Edu.Location><ns:Location><ns:Loc.City>Olympia</ns:Loc.City></ns:Location>"
            "</ns:Edu.Location></ns:Education><ns:Education><ns:Edu.Level>Master</ns:Edu.Level>"
            "<ns:Edu.School>UW</ns:Edu.School></ns:Education></ns:Resume>",
        ),
        (8, None),
    ]
    spark.createDataFrame(documents, "JobCandidateID INT, Resume STRING").createOrReplaceTempView(
        "HumanResources_JobCandidate"
    )
    query = _view_query(corpus_catalog, "vJobCandidateEducation")
    columns = _columns(query)
    rows = [dict(zip(columns, row, strict=True)) for row in run(spark, query)]
    picked = [
        (r["JobCandidateID"], r["Edu.Level"], r["Edu.Degree"], r["Edu.School"], r["Edu.Loc.City"])
        for r in rows
    ]
    assert picked == [
        (7, "Bachelor", "BA", "Evergreen", "Olympia"),
        (7, "Master", None, "UW", None),
    ]


def _view_query(catalog: SourceCatalog, name: str) -> exp.Expression:
    obj = catalog.find(name, object_type=ObjectType.VIEW)
    assert obj is not None
    result, sql = convert_object(obj, catalog, OPTIONS)
    assert result.status.value.startswith("CONVERTED"), result.messages
    create = sqlglot.parse_one(sql, read="databricks")
    assert isinstance(create, exp.Create)
    return create.expression


def _columns(query: exp.Expression) -> list[str]:
    return [projection.alias_or_name for projection in query.expressions]


@pytest.mark.parametrize(
    ("tsql", "expected"),
    [
        # the style's own format, and ISO text, which T-SQL reads whatever the style
        ("CONVERT(datetime, '06/15/1994', 101)", "1994-06-15 00:00:00"),
        ("CONVERT(datetime, '1994-06-15', 101)", "1994-06-15 00:00:00"),
        ("CONVERT(date, '15/06/1994', 103)", "1994-06-15"),
        ("CONVERT(date, '19940615', 112)", "1994-06-15"),
        ("TRY_CONVERT(date, 'not a date', 101)", None),
    ],
)
def test_convert_with_a_style_reads_what_t_sql_reads(spark, tsql: str, expected) -> None:
    query = converted(f"SELECT CAST({tsql} AS varchar(30)) AS v")
    assert run(spark, query) == [(expected,)]


def test_convert_of_text_that_is_no_date_fails_as_in_t_sql(spark) -> None:
    query = converted("SELECT CONVERT(datetime, 'not a date', 101) AS v")
    with pytest.raises(Exception, match="CANNOT_PARSE_TIMESTAMP|cannot be cast"):
        run(spark, query)


# T-SQL expressions and the value SQL Server returns for each (us_english,
# DATEFIRST 7, CONCAT_NULL_YIELDS_NULL ON); the converted expression must give
# the same value on Spark.
EXPRESSIONS = [
    # DATEDIFF counts boundaries crossed, not elapsed units
    ("DATEDIFF(year, '2019-12-31', '2020-01-01')", 1),
    ("DATEDIFF(month, '2020-01-31', '2020-02-01')", 1),
    ("DATEDIFF(day, '2020-01-01 23:59', '2020-01-02 00:01')", 1),
    ("DATEDIFF(hour, '2020-01-01 10:59', '2020-01-01 11:00')", 1),
    ("DATEDIFF(week, '2020-01-04', '2020-01-05')", 1),  # Saturday -> Sunday
    ("DATEDIFF(day, '2020-03-01', '2020-02-01')", -29),
    ("DATEADD(month, 1, CAST('2020-01-31' AS date))", date(2020, 2, 29)),
    ("DATEADD(day, -1, CAST('2020-03-01' AS date))", date(2020, 2, 29)),
    ("CAST('2020-01-01' AS datetime) + 1", datetime(2020, 1, 2)),
    ("EOMONTH(CAST('2020-02-10' AS date))", date(2020, 2, 29)),
    ("YEAR(CAST('2020-05-06' AS date))", 2020),
    ("DATENAME(month, CAST('2020-05-06' AS date))", "May"),
    ("DATENAME(year, CAST('2020-05-06' AS date))", "2020"),
    ("DATEPART(quarter, CAST('2020-05-06' AS date))", 2),
    ("DATENAME(yy, CAST('2020-05-06' AS date))", "2020"),
    ("DATENAME(y, CAST('2020-02-05' AS date))", "36"),  # y is the day of the year
    ("DATENAME(day, CAST('2020-05-06' AS date))", "6"),
    ("DATENAME(quarter, CAST('2020-05-06' AS date))", "2"),
    ("DATENAME(week, CAST('2020-01-05' AS date))", "2"),  # weeks start on Sunday
    ("DATENAME(weekday, CAST('2020-05-06' AS date))", "Wednesday"),
    ("DATENAME(hour, CAST('2020-05-06 07:08:09' AS datetime))", "7"),
    ("DATEPART(second, CAST('2020-05-06 07:08:09.250' AS datetime2(3)))", 9),
    ("DATEPART(millisecond, CAST('2020-05-06 07:08:09.250' AS datetime2(3)))", 250),
    ("DATEPART(microsecond, CAST('2020-05-06 07:08:09.250123' AS datetime2(6)))", 250123),
    ("DATEPART(week, CAST('2020-01-05' AS date))", 2),
    ("DATEPART(iso_week, CAST('2021-01-03' AS date))", 53),
    # strings
    ("'a' + 'b'", "ab"),
    ("'a' + NULL", None),
    ("ISNULL(NULL, 'x')", "x"),
    ("LEN('abc  ')", 3),  # trailing spaces do not count
    ("LEFT('abcdef', 2) + RIGHT('abcdef', 2)", "abef"),
    ("CHARINDEX('c', 'abcabc')", 3),
    ("CHARINDEX('c', 'abcabc', 4)", 6),
    ("CHARINDEX('z', 'abc')", 0),
    ("STUFF('abcdef', 2, 3, 'XY')", "aXYef"),
    ("PATINDEX('%[0-9]%', 'ab12')", 3),
    ("CASE WHEN 'abc' LIKE '[a-c]%' THEN 1 ELSE 0 END", 1),
    ("CASE WHEN 'xbc' LIKE '[^x]%' THEN 1 ELSE 0 END", 0),
    ("SUBSTRING('abcdef', 2, 3)", "bcd"),
    ("REPLICATE('ab', 3)", "ababab"),
    ("LTRIM(RTRIM('  a  '))", "a"),
    ("CHAR(65) + CAST(ASCII('B') AS varchar(3))", "A66"),
    ("IIF(1 > 0, 'y', 'n')", "y"),
    ("NULLIF(1, 1)", None),
    ("'abc' + CAST(1 AS varchar(5))", "abc1"),
    ("'1' + 1", 2),  # int outranks varchar: T-SQL adds
    ("1 + '1'", 2),
    ("CONCAT('a', NULL, 'b')", "ab"),  # T-SQL's CONCAT skips NULLs
    ("CONCAT_WS(',', 'a', NULL, 'b')", "a,b"),
    ("SUBSTRING('abc', 0, 2)", "a"),  # position 0 is before the first character
    ("SUBSTRING('abcdef', CHARINDEX('z', 'abcdef') - 1, 3)", "a"),
    ("SUBSTRING('abcdef', CHARINDEX('c', 'abcdef') + 1, 2)", "de"),
    ("LEFT('abc', 5)", "abc"),
    ("REPLACE('abcabc', 'b', 'X')", "aXcaXc"),
    ("REVERSE('abc')", "cba"),
    ("CHOOSE(2, 'a', 'b', 'c')", "b"),
    ("SPACE(2) + 'x'", "  x"),
    ("TRY_CAST('x' AS int)", None),
    ("IIF(NULL = NULL, 1, 0)", 0),
    ("DATEFROMPARTS(2020, 2, 29)", date(2020, 2, 29)),
    ("EOMONTH(CAST('2020-01-15' AS date), 1)", date(2020, 2, 29)),
    ("DATEDIFF(quarter, '2020-03-31', '2020-04-01')", 1),
    ("DATEDIFF(minute, '2020-01-01 10:00:59', '2020-01-01 10:01:00')", 1),
    ("DATEADD(hour, 3, CAST('2020-01-01' AS datetime))", datetime(2020, 1, 1, 3)),
    ("FORMAT(CAST('2020-03-04' AS date), 'yyyy-MM-dd')", "2020-03-04"),
    # numbers
    ("CAST(-2.5 AS int)", -2),
    ("ROUND(-2.5, 0)", Decimal("-3.0")),
    ("CEILING(2.1) + FLOOR(-2.1)", 0),
    ("ABS(-3) * SIGN(-5)", -3),
    ("7 / 2", 3),
    ("-7 / 2", -3),  # truncates toward zero
    ("7 % 3", 1),
    ("ROUND(2.567, 1, 1)", Decimal("2.500")),  # truncate
    ("ROUND(2.55, 1)", Decimal("2.60")),
    ("POWER(2, 10)", 1024),
    ("SQUARE(3)", 9.0),
    ("FORMAT(1234.5, 'N2')", "1,234.50"),
    # CONVERT styles, date to text
    ("CONVERT(varchar(10), CAST('2020-03-04 05:06:07' AS datetime), 120)", "2020-03-04"),
    ("CONVERT(varchar(19), CAST('2020-03-04 05:06:07' AS datetime), 120)", "2020-03-04 05:06:07"),
    (
        "CONVERT(varchar(23), CAST('2020-03-04 05:06:07.123' AS datetime2(3)), 126)",
        "2020-03-04T05:06:07.123",
    ),
    ("CONVERT(varchar(8), CAST('2020-03-04' AS date), 112)", "20200304"),
    ("CONVERT(varchar(10), CAST('2020-03-04' AS date), 101)", "03/04/2020"),
    ("CONVERT(varchar(10), CAST('2020-03-04' AS date), 103)", "04/03/2020"),
]


@pytest.mark.parametrize(("tsql", "expected"), EXPRESSIONS, ids=[e[0] for e in EXPRESSIONS])
def test_converted_expressions_give_what_sql_server_gives(spark, tsql: str, expected) -> None:
    assert run(spark, converted(f"SELECT {tsql} AS v")) == [(expected,)]


@pytest.fixture(scope="module")
def converted_catalogs(spark, corpus_catalog, demo_tsql_catalog) -> dict:
    """Each test catalog transpiled, its tables created on Spark as empty temporary
    views of the converted column types, then every converted view and SQL
    function as temporary ones (an object that uses another is created after
    it). Maps the fixture name to (session, result, errors by object); each
    catalog has a Spark session of its own, so temporary names never collide
    with each other's or with the other tests'."""
    from lakebridge_dagster.transpile import transpile_catalog

    out = {}
    for name, catalog in (
        ("corpus_catalog", corpus_catalog),
        ("demo_tsql_catalog", demo_tsql_catalog),
    ):
        session = spark.newSession()
        result = transpile_catalog(catalog, OPTIONS, workers=1)
        _create_tables(session, catalog)
        out[name] = (session, result, _create_views_and_functions(session, result))
    return out


def _create_tables(spark, catalog: SourceCatalog) -> None:
    from lakebridge_dagster.transpile.context import ObjectContext
    from lakebridge_dagster.transpile.types import databricks_type

    for table in catalog.of_type(ObjectType.TABLE):
        ctx = ObjectContext(obj=table, catalog=catalog, options=OPTIONS)
        _, _, name = ctx.target_name_parts(table.schema_name, table.name)
        columns = ", ".join(
            f"CAST(NULL AS {databricks_type(c.data_type, ctx).sql('databricks')}) AS `{c.name}`"
            for c in table.columns
        )
        spark.sql(f"CREATE OR REPLACE TEMP VIEW `{name}` AS SELECT {columns} WHERE false")


def _converted_of(result, *types: ObjectType) -> list:
    from lakebridge_dagster.transpile import Status

    return [
        o
        for o in result.report.objects
        if o.type in types and o.status in (Status.CONVERTED, Status.CONVERTED_WITH_WARNINGS)
    ]


def _create_views_and_functions(spark, result) -> dict[str, str]:
    errors: dict[str, str] = {}
    pending = _converted_of(result, ObjectType.VIEW, ObjectType.FUNCTION)
    for _ in range(4):  # an object that uses another waits for it
        errors = {}
        for obj in pending:
            text = result.files[PurePosixPath(obj.output_file)]
            create = local(sqlglot.parse_one(text, read="databricks"))
            name = obj.target_name.rsplit(".", 1)[-1]
            if obj.type is ObjectType.VIEW:
                sql = (
                    f"CREATE OR REPLACE TEMP VIEW `{name}` AS {create.expression.sql('databricks')}"
                )
            else:
                create.this.set("this", exp.to_identifier(name, quoted=True))
                sql = create.sql("databricks").replace(
                    "CREATE OR REPLACE FUNCTION", "CREATE OR REPLACE TEMPORARY FUNCTION", 1
                )
            try:
                spark.sql(sql)
            except Exception as error:  # noqa: BLE001 - returned, with every other
                errors[obj.qualified_name] = str(error).splitlines()[0]
        pending = [obj for obj in pending if obj.qualified_name in errors]
        if not errors:
            break
    return errors


@pytest.mark.parametrize(
    ("catalog_name", "at_least"), [("corpus_catalog", (36, 10)), ("demo_tsql_catalog", (4, 2))]
)
def test_every_converted_view_and_function_resolves_on_spark(
    converted_catalogs, catalog_name: str, at_least: tuple[int, int]
) -> None:
    """Every view and SQL function the pipeline converts is created on Spark over
    empty tables of the converted column types: names, functions and types all
    resolve, which re-parsing cannot check."""
    _, result, errors = converted_catalogs[catalog_name]
    assert len(_converted_of(result, ObjectType.VIEW)) >= at_least[0]
    assert len(_converted_of(result, ObjectType.FUNCTION)) >= at_least[1]
    assert errors == {}


# What Spark 4.0 cannot run here: exit handlers (its handler lookup fails on
# errors without SQLSTATE), recursive CTEs, and writes (the tables are views).
_NOT_RUNNABLE_HERE = re.compile(
    r"\bHANDLER\b|\bRECURSIVE\b|\bINSERT\s+INTO\b|\bUPDATE\b|\bDELETE\s+FROM\b|\bMERGE\s+INTO\b",
    re.IGNORECASE,
)
_PROCEDURE = re.compile(
    r"CREATE OR REPLACE PROCEDURE `[^`]*`\.`[^`]*`\.`(?P<name>[^`]*)`\((?P<params>.*?)\)\s*"
    r"LANGUAGE SQL.*?\bAS BEGIN(?P<body>.*)END;\s*$",
    re.DOTALL,
)


# IN `p` TYPE [DEFAULT value]: declared as `p` TYPE [DEFAULT value]
_PARAMETER = re.compile(r"(?:IN|OUT|INOUT)\s+(?P<declaration>.+)", re.DOTALL)


@pytest.mark.parametrize(
    ("catalog_name", "at_least"), [("corpus_catalog", 12), ("demo_tsql_catalog", 1)]
)
def test_converted_procedures_run_as_sql_scripts_on_spark(
    converted_catalogs, catalog_name: str, at_least: int
) -> None:
    """Spark 4.0 has SQL scripting but not CREATE PROCEDURE: each converted
    procedure's body runs as a script inside a block labelled with the
    procedure's name that declares its parameters (NULL), so `proc.param` and
    `label.var` references resolve as they will in Databricks. Procedures that
    write or use what Spark 4.0 lacks (see _NOT_RUNNABLE_HERE) are left out."""
    spark, result, _ = converted_catalogs[catalog_name]
    ran, errors = 0, {}
    for procedure in _converted_of(result, ObjectType.PROCEDURE):
        text = "\n".join(
            line
            for line in result.files[PurePosixPath(procedure.output_file)].splitlines()
            if not line.lstrip().startswith("--")
        )
        if _NOT_RUNNABLE_HERE.search(text):
            continue
        parsed = _PROCEDURE.search(text)
        assert parsed, text
        declarations = [
            f"DECLARE {_PARAMETER.fullmatch(parameter.strip())['declaration']};"
            for parameter in re.split(r",\s*(?![^()]*\))", parsed["params"])
            if parameter.strip()
        ]
        body = re.sub(r"`main`\.`silver`\.", "", parsed["body"])
        label = f"`{parsed['name']}`"
        script = f"BEGIN {label}: BEGIN {' '.join(declarations)} {body} END {label}; END"
        try:
            spark.sql(script).collect()
            ran += 1
        except Exception as error:  # noqa: BLE001 - reported below, with every other
            errors[procedure.qualified_name] = " ".join(str(error).split())[:300]
    assert errors == {}
    assert ran >= at_least
