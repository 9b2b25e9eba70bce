"""Indicator rules over the sqlglot AST, for objects sqlglot parses faithfully.

One function per kind of node; each yields (indicator, node, anchor words,
detail). The evidence line is where the anchor word is written near the node
(sqlglot keeps positions on identifiers and literals, and `parsing.py` adds
them to statements), so a finding points at `MERGE`, not at the target table.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlglot import exp

from lakebridge_dagster.assessment.context import Hit, RuleContext
from lakebridge_dagster.assessment.indicators import Indicator
from lakebridge_dagster.assessment.parsing import STATEMENTS
from lakebridge_dagster.assessment.token_rules import (
    EXTERNAL_LANGUAGES,
    HIERARCHYID_METHODS,
    PG_JSON_FUNCTIONS,
    PG_JSON_PREFIXES,
    PG_LTREE_FUNCTIONS,
    PG_LTREE_TYPES,
    PG_SEQUENCE_FUNCTIONS,
    PG_SERIAL_TYPES,
    SPATIAL_METHODS,
    TIMESCALEDB_FUNCTIONS,
    TSQL_IDENTITY_FUNCTIONS,
    TSQL_JSON_FUNCTIONS,
    XML_METHODS,
)
from lakebridge_dagster.assessment.tokens import QUOTED, Dialect, TokenStream

I = Indicator  # noqa: E741 - the rules below read better with a short name


@dataclass(frozen=True)
class AstHit:
    indicator: Indicator
    node: exp.Expression
    anchor: tuple[str, ...] = ()  # the word(s) the evidence points at
    detail: str | None = None


def _function_names(node: exp.Func) -> list[str]:
    """Upper-case names a function call may have been written with."""
    if isinstance(node, exp.Anonymous):
        return [node.name.upper()]
    return [name.upper() for name in type(node).sql_names()]


def _type_name(node: exp.DataType) -> str:
    if node.this == exp.DataType.Type.USERDEFINED:
        return str(node.args.get("kind") or "").rsplit(".", 1)[-1].strip('"[]').upper()
    return node.this.value.upper()


def _qualified_call(node: exp.Anonymous) -> tuple[str, ...]:
    """(schema, name) of `schema.fn(...)`, (name,) of `fn(...)`."""
    parent = node.parent
    if isinstance(parent, exp.Dot) and parent.expression is node:
        qualifier = parent.this
        if isinstance(qualifier, exp.Identifier | exp.Column):
            return (qualifier.name, node.name)
        if isinstance(qualifier, exp.Dot):
            return (*(part.name for part in qualifier.flatten()), node.name)
    if isinstance(parent, exp.Table) and parent.this is node:
        return tuple(part for part in (parent.catalog, parent.db, node.name) if part)
    return (node.name,)


def _is_string(node: exp.Expression) -> bool:
    return isinstance(node, exp.National) or (isinstance(node, exp.Literal) and node.is_string)


def _table_parts(table: exp.Table) -> list[str]:
    """catalog, db, name (plus a 4th part for server.db.schema.name); `db..t` keeps its gap."""
    names = (
        [part.name for part in table.this.flatten()]
        if isinstance(table.this, exp.Dot)
        else [table.name]
    )
    if table.args.get("catalog") is not None:
        return [table.catalog, table.db, *names]
    if table.args.get("db") is not None:
        return [table.db, *names]
    return names


def _is_method_call(node: exp.Func) -> bool:
    parent = node.parent
    return isinstance(parent, exp.Dot | exp.ScopeResolution) and parent.expression is node


class AstRules:
    """Runs every AST rule over the parsed statements of one object."""

    def __init__(self, ctx: RuleContext) -> None:
        self.ctx = ctx
        self.tsql = ctx.dialect is Dialect.TSQL
        self._temp_tables: set[str] = set()

    def run(self, statements: list[exp.Expression]) -> Iterator[AstHit]:
        for statement in statements:
            for node in statement.walk():
                rule = _RULES.get(type(node))
                if rule is not None:
                    yield from rule(self, node)
                if isinstance(node, exp.Func) and not isinstance(node, exp.Cast):
                    yield from self.function(node)

    # -- functions and methods -----------------------------------------------------

    def function(self, node: exp.Func) -> Iterator[AstHit]:
        names = _function_names(node)
        word = names[0] if names else ""
        anchor = (node.name.upper(),) if isinstance(node, exp.Anonymous) else ()
        if isinstance(node, exp.Anonymous) and not isinstance(node.parent, exp.TriggerExecute):
            if not _is_method_call(node) or isinstance(node.parent.this, exp.Identifier):
                function = self.ctx.called_function(_qualified_call(node))
                if function is not None:
                    yield AstHit(I.UDF_CALL, node, anchor, function.qualified_name)
        # sqlglot gives JSON_VALUE, ->>, json_agg, ... node types of their own.
        node_type = type(node).__name__.upper()
        if not isinstance(node, exp.Anonymous) and ("JSON" in node_type or "XML" in node_type):
            yield AstHit(I.XML_JSON, node)
            return
        if self.tsql:
            if _is_method_call(node):
                if isinstance(node.parent, exp.ScopeResolution):
                    return  # geography::Point() is found from the type name
                if word in SPATIAL_METHODS:
                    yield AstHit(I.SPATIAL, node, anchor)
                elif word in HIERARCHYID_METHODS:
                    yield AstHit(I.HIERARCHYID, node, anchor)
                elif word in XML_METHODS and node.expressions and _is_string(node.expressions[0]):
                    yield AstHit(I.XML_JSON, node, anchor)
                return
            if word in TSQL_JSON_FUNCTIONS:
                yield AstHit(I.XML_JSON, node, anchor)
            elif word in ("OPENQUERY", "OPENROWSET", "OPENDATASOURCE"):
                yield AstHit(I.LINKED_SERVER, node, anchor)
            elif word in TSQL_IDENTITY_FUNCTIONS:
                yield AstHit(I.IDENTITY, node, anchor)
            return
        if any(name.startswith("ST_") for name in names):
            yield AstHit(I.SPATIAL, node, anchor)
        elif word in PG_JSON_FUNCTIONS or word.startswith(PG_JSON_PREFIXES):
            yield AstHit(I.XML_JSON, node, anchor)
        elif word in TIMESCALEDB_FUNCTIONS:
            yield AstHit(I.TIMESCALEDB, node, anchor)
        elif word in PG_SEQUENCE_FUNCTIONS:
            yield AstHit(I.SEQUENCE, node, anchor)
        elif word in ("CROSSTAB", "CROSSTAB2", "CROSSTAB3", "CROSSTAB4"):
            yield AstHit(I.PIVOT, node, anchor)
        elif word.startswith("DBLINK"):
            yield AstHit(I.LINKED_SERVER, node, anchor)
        elif word == "PG_NOTIFY":
            yield AstHit(I.LISTEN_NOTIFY, node, anchor)
        elif word in PG_LTREE_FUNCTIONS:
            yield AstHit(I.HIERARCHYID, node, anchor)

    # -- one rule per node type ----------------------------------------------------

    def data_type(self, node: exp.DataType) -> Iterator[AstHit]:
        name = _type_name(node)
        anchor = (name,)
        if name in ("GEOGRAPHY", "GEOMETRY"):
            yield AstHit(I.SPATIAL, node, anchor)
        elif name in ("XML", "JSON") or (name == "JSONB" and not self.tsql):
            yield AstHit(I.XML_JSON, node, anchor)
        elif self.tsql and name == "HIERARCHYID":
            yield AstHit(I.HIERARCHYID, node, anchor)
        elif self.tsql and name == "CURSOR":
            yield AstHit(I.CURSOR, node, anchor)
        elif not self.tsql and name in PG_LTREE_TYPES:
            yield AstHit(I.HIERARCHYID, node, anchor)
        elif not self.tsql and name in PG_SERIAL_TYPES:
            yield AstHit(I.SEQUENCE, node, anchor)
        elif not self.tsql and name == "REFCURSOR":
            yield AstHit(I.REFCURSOR, node, anchor)
        elif not self.tsql and name == "TRIGGER" and isinstance(node.parent, exp.ReturnsProperty):
            yield AstHit(I.TRIGGER, node, anchor)

    def scope_resolution(self, node: exp.ScopeResolution) -> Iterator[AstHit]:
        name = node.this.name.upper() if node.this is not None else ""
        if name in ("GEOGRAPHY", "GEOMETRY"):
            yield AstHit(I.SPATIAL, node, (name,))
        elif name == "HIERARCHYID":
            yield AstHit(I.HIERARCHYID, node, (name,))

    def table(self, node: exp.Table) -> Iterator[AstHit]:
        identifier = node.this
        if isinstance(identifier, exp.Identifier) and (
            identifier.args.get("temporary") or identifier.args.get("global_")
        ):
            name = ("##" if identifier.args.get("global_") else "#") + identifier.name
            if name.upper() not in self._temp_tables:
                self._temp_tables.add(name.upper())
                yield AstHit(I.TEMP_TABLE, node, (name,), name)
            return
        parts = _table_parts(node)
        if len(parts) >= 4:
            yield AstHit(I.LINKED_SERVER, node, (), ".".join(parts))
        elif len(parts) == 3 and self.ctx.index.is_other_database(parts[0]):
            yield AstHit(I.CROSS_DATABASE, node, (), ".".join(parts))

    def create(self, node: exp.Create) -> Iterator[AstHit]:
        kind = str(node.args.get("kind") or "").upper()
        properties = node.args.get("properties")
        if kind == "SEQUENCE":
            yield AstHit(I.SEQUENCE, node, ("SEQUENCE",))
        elif kind == "TRIGGER":
            yield AstHit(I.TRIGGER, node, ("TRIGGER",))
        elif (
            not self.tsql
            and properties is not None
            and properties.find(exp.TemporaryProperty) is not None
        ):
            yield AstHit(I.TEMP_TABLE, node, ("TEMP", "TEMPORARY"))

    def into(self, node: exp.Into) -> Iterator[AstHit]:
        if node.args.get("temporary"):
            yield AstHit(I.TEMP_TABLE, node, ("TEMP", "TEMPORARY"))

    def declare_item(self, node: exp.DeclareItem) -> Iterator[AstHit]:
        if isinstance(node.args.get("kind"), exp.Schema):
            names = [target.sql(dialect="tsql") for target in node.this or []]
            yield AstHit(I.TABLE_VARIABLE, node, tuple(names), names[0] if names else None)

    def returns(self, node: exp.ReturnsProperty) -> Iterator[AstHit]:
        table = node.args.get("table")
        if isinstance(table, exp.Parameter):
            yield AstHit(I.TABLE_VARIABLE, node, ("@" + table.name,), "@" + table.name)

    def execute(self, node: exp.Execute) -> Iterator[AstHit]:
        target = node.this
        if isinstance(node, exp.ExecuteSql) or isinstance(target, exp.Subquery):
            yield AstHit(I.DYNAMIC_SQL, node, ("EXEC", "EXECUTE"))
        elif isinstance(target, exp.Table) and isinstance(target.this, exp.Parameter):
            if not node.args.get("return_status"):
                yield AstHit(I.DYNAMIC_SQL, node, ("EXEC", "EXECUTE"))
        elif isinstance(target, exp.Table) and target.name.upper() == "SP_EXECUTESQL":
            yield AstHit(I.DYNAMIC_SQL, node, ("SP_EXECUTESQL",))
        elif isinstance(target, exp.Table) and target.name.upper() in ("SP_XML_PREPAREDOCUMENT",):
            yield AstHit(I.XML_JSON, node, ("SP_XML_PREPAREDOCUMENT",))

    def cte(self, node: exp.CTE) -> Iterator[AstHit]:
        name = node.alias_or_name.lower()
        for table in node.this.find_all(exp.Table):
            if not table.db and table.name.lower() == name:
                yield AstHit(I.RECURSIVE_CTE, table, (), name)
                return

    def language(self, node: exp.LanguageProperty) -> Iterator[AstHit]:
        language = node.name.lower()
        if language in EXTERNAL_LANGUAGES:
            yield AstHit(I.CLR, node, ("LANGUAGE",), f"LANGUAGE {node.name}")

    def parameter(self, node: exp.Parameter) -> Iterator[AstHit]:
        inner = node.this
        if isinstance(inner, exp.Parameter) and inner.name.upper() == "IDENTITY":
            yield AstHit(I.IDENTITY, node, ("@@IDENTITY",))

    def for_clause(self, node: exp.Expression) -> Iterator[AstHit]:
        kind = str(node.args.get("kind") or "").upper()
        if kind in ("XML", "JSON"):
            yield AstHit(I.XML_JSON, node, (f"FOR {kind}",))

    def version(self, node: exp.Version) -> Iterator[AstHit]:
        yield AstHit(I.TEMPORAL_TABLE, node, ("FOR SYSTEM_TIME",))

    def pivot(self, node: exp.Pivot) -> Iterator[AstHit]:
        yield AstHit(I.PIVOT, node, ("UNPIVOT",) if node.args.get("unpivot") else ("PIVOT",))


AstRule = Callable[[AstRules, exp.Expression], Iterator[AstHit]]


def _always(indicator: Indicator, *anchor: str) -> AstRule:
    """A rule for a node type that is the indicator wherever it appears."""

    def rule(self: AstRules, node: exp.Expression) -> Iterator[AstHit]:
        yield AstHit(indicator, node, anchor)

    return rule


_RULES: dict[type, AstRule] = {
    exp.DataType: AstRules.data_type,
    exp.ScopeResolution: AstRules.scope_resolution,
    exp.Table: AstRules.table,
    exp.Create: AstRules.create,
    exp.Into: AstRules.into,
    exp.DeclareItem: AstRules.declare_item,
    exp.ReturnsProperty: AstRules.returns,
    exp.Execute: AstRules.execute,
    exp.ExecuteSql: AstRules.execute,
    exp.CTE: AstRules.cte,
    exp.LanguageProperty: AstRules.language,
    exp.Parameter: AstRules.parameter,
    exp.Pivot: AstRules.pivot,
    exp.Merge: _always(I.MERGE, "MERGE"),
    exp.WhileBlock: _always(I.WHILE_LOOP, "WHILE"),
    exp.Transaction: _always(I.TRANSACTION, "BEGIN TRAN", "BEGIN TRANSACTION"),
    exp.Commit: _always(I.TRANSACTION, "COMMIT"),
    exp.Rollback: _always(I.TRANSACTION, "ROLLBACK"),
    exp.ForClause: AstRules.for_clause,
    exp.Version: AstRules.version,
    exp.WithSystemVersioningProperty: _always(I.TEMPORAL_TABLE, "SYSTEM_VERSIONING"),
    exp.PeriodForSystemTimeConstraint: _always(I.TEMPORAL_TABLE, "FOR SYSTEM_TIME"),
    exp.GeneratedAsIdentityColumnConstraint: _always(I.IDENTITY, "IDENTITY"),
    exp.NextValueFor: _always(I.SEQUENCE, "NEXT VALUE FOR"),
}


def ast_hits(statements: list[exp.Expression], stream: TokenStream, ctx: RuleContext) -> list[Hit]:
    """Every indicator the AST rules find, located in `stream` (the parsed text)."""
    locator = _Locator(stream)
    return [
        Hit(found.indicator, locator.offset(found.node, found.anchor), found.detail)
        for found in AstRules(ctx).run(statements)
    ]


class _Locator:
    """Where in the source an AST node's evidence is."""

    def __init__(self, stream: TokenStream) -> None:
        self.stream = stream
        self.starts = [tok.start for tok in stream.tokens]

    def offset(self, node: exp.Expression, anchor: tuple[str, ...]) -> int | None:
        start = _start(node)
        if start is None:
            return None
        if anchor:
            start = self._anchor(start, _statement_start(node), anchor)
        return self.stream.locate(start)

    def _matches(self, k: int, phrases: list[list[str]]) -> bool:
        tokens = self.stream.tokens
        for phrase in phrases:
            if k + len(phrase) <= len(tokens) and all(
                tokens[k + n].up == word and tokens[k + n].kind != QUOTED
                for n, word in enumerate(phrase)
            ):
                return True
        return False

    def _anchor(self, start: int, statement_start: int, anchor: tuple[str, ...]) -> int:
        """The anchor phrase closest before `start` in its statement, else the next one."""
        phrases = [phrase.upper().split() for phrase in anchor]
        tokens = self.stream.tokens
        index = bisect_right(self.starts, start) - 1
        for k in range(index, -1, -1):
            if tokens[k].start < statement_start:
                break
            if self._matches(k, phrases):
                return tokens[k].start
        for k in range(max(index, 0), len(tokens)):
            if self._matches(k, phrases):
                return tokens[k].start
        return start


def _start(node: exp.Expression) -> int | None:
    """The node's own position, else its first positioned descendant's, else its parent's."""
    current: exp.Expression | None = node
    while current is not None:
        if "start" in current.meta:
            return current.meta["start"]
        starts = [n.meta["start"] for n in current.walk() if "start" in n.meta]
        if starts:
            return min(starts)
        current = current.parent
    return None


def _statement_start(node: exp.Expression) -> int:
    """Where the innermost statement holding `node` starts (0 if unknown)."""
    current: exp.Expression | None = node
    while current is not None:
        if isinstance(current, STATEMENTS) and "start" in current.meta:
            return current.meta["start"]
        current = current.parent
    return 0
