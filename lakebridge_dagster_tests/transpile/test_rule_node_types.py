"""`to_databricks` skips a rule on trees without the node types RULES lists for
it and calls it only on those nodes. That is right only if every rule returns
any other node unchanged, with no message: checked here on statements that
hold what every rule acts on."""

import pytest
from sqlglot import exp

from lakebridge_dagster.catalog.model import ObjectType
from lakebridge_dagster.transpile.tsql_expressions import RULES, _Rewrite, parse_tsql

STATEMENTS = """
SELECT TOP 10 PERCENT WITH TIES o.id, LEN(o.name) AS n, CONVERT(varchar(10), o.d, 120) AS d,
  CAST(o.code AS char(3)) AS c, DATEDIFF(day, o.a, o.b) AS dd, DATEPART(week, o.a) AS w,
  ROUND(o.x, 1, 1) AS r, DATEADD(day, 1, CAST(o.a AS date)) AS nd, FORMAT(o.x, 'N2') AS f,
  STUFF(o.name, 1, 2, 'ab') AS s, SUBSTRING(o.name, 0, 2) AS sub,
  PATINDEX('%[0-9]%', o.name) AS p, GETUTCDATE() AS u, SYSDATETIMEOFFSET() AS z,
  ISNUMERIC(o.name) AS i, o.a + 1 AS plus, o.name + 'x' AS cat, o.x / 2 AS q,
  @@ROWCOUNT AS rc, SCOPE_IDENTITY() AS si, NEXT VALUE FOR dbo.seq AS nv,
  dbo.ufnGetName(o.id) AS fn, o.doc.value('(/a/b)[1]', 'int') AS xv,
  (SELECT o.id AS id FOR JSON PATH) AS j, @total AS t, CAST('19970101' AS datetime) AS bd
FROM dbo.Orders AS o CROSS APPLY STRING_SPLIT(o.tags, ',') AS s
JOIN #work AS w ON w.id = o.id
WHERE o.d > '19970101' AND @flag = 1 AND o.name LIKE '[A-C]%'
ORDER BY o.id OPTION (RECOMPILE);
WITH tree AS (SELECT id FROM dbo.t UNION ALL SELECT t.id FROM tree JOIN dbo.t AS t ON 1 = 1)
SELECT id FROM tree FOR XML PATH('');
SELECT * FROM OPENJSON(@json) WITH (id int '$.id');
SELECT p.[2002] FROM (SELECT y, v FROM dbo.s) AS src PIVOT (SUM(v) FOR y IN ([2002])) AS p;
SELECT @a = o.id FROM dbo.Orders AS o;
DELETE TOP (5) FROM dbo.Orders;
UPDATE dbo.Orders SET flag = 0 OUTPUT inserted.id WHERE id = @id;
CREATE VIEW dbo.v WITH SCHEMABINDING AS SELECT id FROM dbo.t;
"""


def _statements():
    # a statement the T-SQL parser keeps as raw text
    unparsed = exp.Command(this="DBCC", expression=exp.Literal.string("CHECKDB"))
    return [*parse_tsql(STATEMENTS), unparsed]


def _nodes(statements):
    return [node for statement in statements for node in statement.walk()]


@pytest.mark.parametrize(("rule", "node_types"), RULES, ids=[rule.__name__ for rule, _ in RULES])
def test_a_rule_leaves_nodes_of_other_types_alone(rule, node_types, make_context):
    ctx = make_context("SELECT 1", ObjectType.VIEW)
    rewrite = _Rewrite(ctx=ctx, variable_types={"total": "int", "a": "int", "flag": "bit"})
    statements = _statements()
    before = [statement.sql("tsql") for statement in statements]
    others = [node for node in _nodes(statements) if not isinstance(node, node_types)]
    assert others
    for node in others:
        assert rule(node, rewrite) is node, node.sql("tsql")
    assert [statement.sql("tsql") for statement in statements] == before
    assert ctx.messages == [] and rewrite.reasons == []


def test_the_statements_hold_what_every_rule_acts_on():
    nodes = _nodes(_statements())
    missing = [
        rule.__name__
        for rule, node_types in RULES
        if not any(isinstance(node, node_types) for node in nodes)
    ]
    assert missing == []
