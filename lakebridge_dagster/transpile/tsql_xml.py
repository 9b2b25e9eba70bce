"""XQuery on T-SQL xml columns -> Databricks xpath functions, where it is exact.

Bronze and the converted tables hold xml as STRING, and Databricks reads XML
strings with `xpath_string` / `xpath_boolean`. Those take an XPath 1.0 path
and no namespace declarations, so a namespaced step `ns:Name` becomes
`*[local-name()="Name"]`: the same element whatever its namespace (documents
that use one local name in two namespaces would need a person).

Converted here:
- `col.value('[declare ... ;] (path)[1]', 'type')` (or `(path)[1]/more`) ->
  `CAST(CASE WHEN xpath_boolean(col, 'p') THEN xpath_string(col, 'p') END AS type)`:
  the first match's text, NULL when nothing matches (as in T-SQL; xpath_string
  alone would give '').
- `col.exist('[declare ... ;] path')` -> 1 / 0, NULL for a NULL document.
- `.nodes('/Root/a/b')` below the root element (several rows per document):
  `from_xml` with a schema made of the element paths the query reads from the
  rows' nodes, see `NodesSchema`. Each node becomes one struct, so every value
  read from a row comes from that row's node; zipping per-field xpath arrays
  instead would misalign rows whenever a node lacks a field.
Anything else (predicates, axes, functions, `.query()`, `.modify()`) returns
None: the caller keeps it MANUAL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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


def _without_prolog(xquery: str) -> str:
    body = xquery
    while True:
        match = _PROLOG.match(body)
        if match is None:
            return body.strip()
        body = body[match.end() :]


def xquery_to_xpath(xquery: str, *, first: bool, context: str = "") -> str | None:
    """The XPath 1.0 path for a simple XQuery location path, namespaces dropped;
    None when the XQuery is more than a path of element steps (and a final
    attribute or text()). `first`: the XQuery must select its first item, as
    `.value()` demands: `(path)[1]`, `path[1]`, or `(path)[1]/more` (T-SQL
    accepts the last only where the XML schema allows one `more` per node, so
    the first match is the one it means). `context`: the XPath of the node a
    relative path starts from (a `.nodes()` row's node); the document when
    empty."""
    body = _without_prolog(xquery)
    if not first:
        return _location_path(body, context, final=True)
    close = body.rfind(")[1]")
    if body.startswith("(") and close > 0:
        path, more = body[1:close].strip(), body[close + 4 :].strip()
        if not more:
            return _location_path(path, context, final=True)
        if not more.startswith("/"):
            return None
        head = _location_path(path, context, final=False)
        tail = _steps(more[1:], final=True)
        return None if head is None or tail is None else f"({head})[1]/{tail}"
    if body.endswith("[1]"):
        return _location_path(body[:-3].strip(), context, final=True)
    return None


def _location_path(path: str, context: str, *, final: bool) -> str | None:
    """`path` as an absolute XPath; a relative path starts at `context` (on a
    whole document, at the document node, as `/` does)."""
    steps = _steps(path.removeprefix("/"), final=final)
    if steps is None:
        return None
    return "/" + steps if path.startswith("/") else f"{context}/{steps}"


def _steps(path: str, *, final: bool) -> str | None:
    """Element steps `a/ns:b` as `*[local-name()="a"]/*[local-name()="b"]`; with
    `final`, the last step may be an attribute or text(). None for anything else."""
    steps = path.split("/")
    if any(not step for step in steps):
        return None  # empty steps: `//` (descendant axis) is not a plain path
    converted = []
    for index, step in enumerate(steps):
        last = final and index == len(steps) - 1
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
    return "/".join(converted)


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


# ---------------------------------------------------------------- .nodes() below the root

# from_xml options: match elements by local name, keep a value's spaces as they are
_FROM_XML_OPTIONS = {"ignoreNamespace": "true", "ignoreSurroundingSpaces": "false"}
_LAMBDA = "node"


def node_steps(xquery: str) -> list[str] | None:
    """The element names of an absolute `.nodes()` path `/Root/ns:a/b` below the
    root element (at least two steps, prolog and prefixes dropped); None unless
    every step is a plain element name."""
    body = _without_prolog(xquery)
    if not body.startswith("/"):
        return None
    names = _element_names(body[1:])
    return names if names is not None and len(names) >= 2 else None


def value_steps(xquery: str) -> list[str] | None:
    """The element names of a `.value()` path relative to a row's node,
    `(a/ns:b)[1]` or `a[1]`; None for anything else (attributes, text(), an
    absolute path, which reads the whole document)."""
    body = _without_prolog(xquery)
    if body.startswith("(") and body.endswith(")[1]"):
        inner = body[1:-4].strip()
    elif body.endswith("[1]"):
        inner = body[:-3].strip()
    else:
        return None
    return None if inner.startswith("/") else _element_names(inner)


def _element_names(path: str) -> list[str] | None:
    names = []
    for step in path.split("/"):
        match = _STEP.match(step)
        if match is None or match.group("name") == "*":
            return None
        names.append(match.group("name"))
    return names


@dataclass
class NodesSchema:
    """The from_xml schema of the nodes one `.nodes('/Root/a/b')` yields, grown
    from the `.value()` paths read from them: every field is an array, so a
    repeated element keeps its first value and a nested path keeps document
    order. `add` refuses a path that makes a name both a value and a parent."""

    steps: list[str]
    fields: dict[str, NodesSchema | None] = field(default_factory=dict)

    def add(self, path: list[str]) -> bool:
        node = self
        for index, name in enumerate(path):
            last = index == len(path) - 1
            if name not in node.fields:
                node.fields[name] = None if last else NodesSchema(steps=[])
            child = node.fields[name]
            if last != (child is None):
                return False
            if child is not None:
                node = child
        return True

    def ddl(self) -> str:
        """The from_xml schema of the root element, columns as in CREATE TABLE:
        `` `a` ARRAY<STRUCT<`b`: ARRAY<STRUCT<...>>>> ``."""
        inner = self._struct()
        for name in reversed(self.steps[2:]):
            inner = f"STRUCT<{_field(name)}: ARRAY<{inner}>>"
        return f"{_field(self.steps[1])} ARRAY<{inner}>"

    def _struct(self) -> str:
        parts = [
            f"{_field(name)}: ARRAY<{'STRING' if child is None else child._struct()}>"
            for name, child in self.fields.items()
        ]
        return f"STRUCT<{', '.join(parts)}>"

    def nodes(self, document: exp.Expression) -> exp.Expression:
        """The array of the nodes, in document order; NULL for a NULL document
        or one whose root element is another."""
        parsed = exp.Anonymous(
            this="from_xml",
            expressions=[
                document.copy(),
                exp.Literal.string(self.ddl()),
                exp.Anonymous(
                    this="map",
                    expressions=[
                        exp.Literal.string(text)
                        for pair in _FROM_XML_OPTIONS.items()
                        for text in pair
                    ],
                ),
            ],
        )
        nodes = _descend(exp.Dot(this=parsed, expression=_quoted(self.steps[1])), self.steps[2:])
        root = exp.Literal.string(f'/*[local-name()="{self.steps[0]}"]')
        found = exp.Anonymous(this="xpath_boolean", expressions=[document.copy(), root])
        return exp.Case(ifs=[exp.If(this=found, true=nodes)])


def nodes_value(
    row: exp.Expression, path: list[str], sql_type: str, ctx: ObjectContext
) -> exp.Expression:
    """`row.value('(a/b)[1]', type)` on a row of `NodesSchema.nodes`: the first
    `a/b` of the row's node (in document order) as `sql_type`, NULL when it has
    none."""
    values = _descend(exp.Dot(this=row, expression=_quoted(path[0])), path[1:])
    first = exp.Anonymous(this="try_element_at", expressions=[values, exp.Literal.number(1)])
    return exp.Cast(this=first, to=databricks_type(sql_type, ctx))


def _descend(array: exp.Expression, names: list[str]) -> exp.Expression:
    """`array` of structs -> the concatenated arrays of field `name` of each, in
    order, for each name (a struct without the field adds nothing)."""
    for name in names:
        variable = exp.to_identifier(_LAMBDA)
        each = exp.Anonymous(
            this="coalesce",
            expressions=[
                exp.Dot(this=exp.column(_LAMBDA), expression=_quoted(name)),
                exp.Anonymous(this="array", expressions=[]),
            ],
        )
        lambda_ = exp.Lambda(this=each, expressions=[variable])
        array = exp.Anonymous(
            this="flatten",
            expressions=[exp.Anonymous(this="transform", expressions=[array, lambda_])],
        )
    return array


def _quoted(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)


def _field(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"
