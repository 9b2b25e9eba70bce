"""XQuery on T-SQL xml columns -> Databricks xpath functions, where it is exact.

Bronze and the converted tables hold xml as STRING, and Databricks reads XML
strings with `xpath_string` / `xpath_boolean`. Those take an XPath 1.0 path
and no namespace declarations, so a namespaced step `ns:Name` becomes
`*[local-name()="Name"]`: the same element whatever its namespace (documents
that use one local name in two namespaces would need a person).

Converted here:
- `col.value('[declare ... ;] (path)[1]', 'type')` ->
  `CAST(CASE WHEN xpath_boolean(col, 'p') THEN xpath_string(col, 'p') END AS type)`:
  the first match's text, NULL when nothing matches (as in T-SQL; xpath_string
  alone would give '').
- `col.exist('[declare ... ;] path')` -> 1 / 0, NULL for a NULL document.
Anything else (predicates, axes, functions, `.nodes()` shredding, `.query()`,
`.modify()`) returns None: the caller keeps it MANUAL.
"""

from __future__ import annotations

import re

from sqlglot import exp

from lakebridge_dagster.transpile.context import ObjectContext
from lakebridge_dagster.transpile.types import databricks_type

_PROLOG = re.compile(
    r"""\s*declare\s+(?:default\s+element\s+namespace|namespace\s+[\w.-]+\s*=)\s*
        (?:"[^"]*"|'[^']*')\s*;""",
    re.IGNORECASE | re.VERBOSE,
)
_NAME = r"[A-Za-z_][\w.-]*"
_STEP = re.compile(rf"^(?:(?:{_NAME}):)?(?P<name>{_NAME}|\*)$")
_ATTRIBUTE = re.compile(rf"^@(?:(?:{_NAME}):)?(?P<name>{_NAME})$")


def xquery_to_xpath(xquery: str, *, first: bool) -> str | None:
    """The XPath 1.0 path for a simple XQuery location path, namespaces dropped;
    None when the XQuery is more than a path of element steps (and a final
    attribute or text()). `first`: the XQuery must select its first item,
    `(path)[1]` or `path[1]`, as `.value()` demands."""
    body = xquery
    while True:
        match = _PROLOG.match(body)
        if match is None:
            break
        body = body[match.end() :]
    body = body.strip()
    if first:
        if body.startswith("(") and body.endswith(")[1]"):
            body = body[1:-4].strip()
        elif body.endswith("[1]"):
            body = body[:-3].strip()
        else:
            return None
    steps = body.removeprefix("/").split("/")
    if any(not step for step in steps):
        return None  # empty steps: `//` (descendant axis) is not a plain path
    converted = []
    for index, step in enumerate(steps):
        last = index == len(steps) - 1
        if step == "text()" and last:
            converted.append("text()")
            continue
        attribute = _ATTRIBUTE.match(step)
        if attribute is not None and last:
            converted.append(f"@{attribute.group('name')}")
            continue
        element = _STEP.match(step)
        if element is None:
            return None
        name = element.group("name")
        converted.append("*" if name == "*" else f'*[local-name()="{name}"]')
    # On a whole document a relative path starts at the document node, as `/` does.
    return "/" + "/".join(converted)


def xml_value(
    column: exp.Expression, xquery: str, sql_type: str, ctx: ObjectContext
) -> exp.Expression | None:
    """`column.value(xquery, sql_type)` in Databricks SQL, or None."""
    path = xquery_to_xpath(xquery, first=True)
    if path is None:
        return None
    return xml_value_at(column, path, sql_type, ctx)


def xml_value_at(
    column: exp.Expression, path: str, sql_type: str, ctx: ObjectContext
) -> exp.Expression:
    """The text at XPath `path` of the document in `column` as `sql_type`; NULL
    when nothing matches."""
    target = databricks_type(sql_type, ctx)
    found = exp.Anonymous(
        this="xpath_boolean", expressions=[column.copy(), exp.Literal.string(path)]
    )
    text = exp.Anonymous(this="xpath_string", expressions=[column.copy(), exp.Literal.string(path)])
    value = exp.Case(ifs=[exp.If(this=found, true=text)])
    return exp.Cast(this=value, to=target)


def xml_exist(column: exp.Expression, xquery: str) -> exp.Expression | None:
    """`column.exist(xquery)`: 1 when the path matches, 0 when not, NULL for NULL."""
    path = xquery_to_xpath(xquery, first=False)
    if path is None:
        return None
    found = exp.Anonymous(
        this="xpath_boolean", expressions=[column.copy(), exp.Literal.string(path)]
    )
    return exp.Case(
        ifs=[
            exp.If(this=exp.Is(this=column.copy(), expression=exp.Null()), true=exp.Null()),
            exp.If(this=found, true=exp.Literal.number(1)),
        ],
        default=exp.Literal.number(0),
    )
