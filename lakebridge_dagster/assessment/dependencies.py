"""What each object reads, writes and calls, and the order to migrate objects in.

References come from the AST where the object parses (tables of INSERT,
UPDATE, DELETE, MERGE, SELECT INTO are written; every other table is read;
function calls and EXEC are calls) and from the token stream where it does
not (the same roles, read from the word before the name). They are resolved
against the catalog; names that are not catalog objects (temp tables, CTEs,
aliases, system objects, other databases) are dropped.

Migration waves: an object goes in the wave after the last of its
dependencies; objects without dependencies are wave 1. Objects on a
dependency cycle share one wave, and the cycle is reported.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from sqlglot import exp
from sqlglot.errors import TokenError

from lakebridge_dagster.assessment.context import (
    RELATIONS,
    ROUTINES,
    SEQUENCES,
    Access,
    CatalogIndex,
    Reference,
)
from lakebridge_dagster.assessment.tokens import (
    QUOTED,
    STRING,
    VARIABLE,
    WORD,
    Dialect,
    TokenStream,
    dotted_name,
    tokenize,
)
from lakebridge_dagster.catalog.model import CatalogObject

_RESOLVES_TO = {
    Access.READ: RELATIONS | SEQUENCES,
    Access.WRITE: RELATIONS,
    Access.CALL: ROUTINES,
}
# A DML keyword after one of these is a trigger event or a referential action.
_NOT_A_STATEMENT = frozenset({"FOR", "ON", "AFTER", "BEFORE", "OF", "OR", "IF", "AND", "NOT"})
# FROM inside these calls is part of the call's syntax, not a table.
_FROM_IN_CALL = frozenset({"EXTRACT", "SUBSTRING", "TRIM", "POSITION", "OVERLAY"})
_FETCH_WORDS = frozenset({"FETCH", "NEXT", "PRIOR", "FIRST", "LAST", "ABSOLUTE", "RELATIVE"})
_NOT_A_TABLE = frozenset({"SELECT", "WITH", "VALUES", "TABLE", "SET", "WHERE"})
_ALIAS_STOP = frozenset(
    "ON WHERE JOIN INNER LEFT RIGHT FULL CROSS OUTER SET GROUP ORDER UNION WITH USING WHEN "
    "OUTPUT VALUES SELECT APPLY PIVOT UNPIVOT AS INTO HAVING OPTION FOR LIMIT".split()
)


# -- references from tokens ----------------------------------------------------------


class _TokenReferences:
    def __init__(self, stream: TokenStream) -> None:
        self.s = stream
        self.t = stream.tokens
        self.refs: list[Reference] = []
        self.aliases: list[tuple[int, str, tuple[str, ...]]] = []  # (token, alias, table)
        self.targets: list[tuple[int, int]] = []  # (reference, token) of written tables
        self.ctes: set[str] = set()

    def word(self, i: int, *words: str) -> bool:
        return 0 <= i < len(self.t) and self.t[i].is_word(*words)

    def punct(self, i: int, *texts: str) -> bool:
        return 0 <= i < len(self.t) and self.t[i].is_punct(*texts)

    def is_name(self, i: int) -> bool:
        return 0 <= i < len(self.t) and self.t[i].kind in (WORD, QUOTED)

    def name_at(self, i: int) -> tuple[tuple[str, ...], int]:
        """The dotted name starting at `i` and the index of its last part."""
        return dotted_name(self.t, i, self.is_name)

    def table_at(self, i: int, access: Access) -> int:
        """Record the table named at `i` (if a name is there); the index after its alias."""
        while self.word(i, "ONLY", "LATERAL"):
            i += 1
        if not self.is_name(i) or self.word(i, *_NOT_A_TABLE):
            return i
        parts, last = self.name_at(i)
        if access is Access.READ and self.punct(last + 1, "("):
            # FROM dbo.fn(...): a table-valued function, recorded as a call by run()
            return (self.s.closing(last + 1) or last + 1) + 1
        if access is Access.WRITE:
            self.targets.append((len(self.refs), i))
        self.refs.append(Reference(access, parts))
        j = last + 1
        if self.word(j, "AS"):
            j += 1
        tok = self.t[j] if j < len(self.t) else None
        if tok is not None and (
            tok.kind == QUOTED
            or (tok.kind == WORD and not tok.keyword and tok.up not in _ALIAS_STOP)
        ):
            self.aliases.append((j, tok.text.lower(), parts))
            j += 1
        return j

    def run(self) -> list[Reference]:
        for i, tok in enumerate(self.t):
            if tok.kind == WORD:
                self.keyword(i, tok.up)
            if tok.kind in (WORD, QUOTED) and not self.punct(i - 1, "."):
                parts, last = self.name_at(i)
                if self.punct(last + 1, "("):
                    self.refs.append(Reference(Access.CALL, parts))
        self.resolve_aliases()
        return [ref for ref in self.refs if not self.is_cte(ref)]

    def keyword(self, i: int, up: str) -> None:
        prev = self.t[i - 1] if i else None
        statement = prev is None or not (prev.is_word(*_NOT_A_STATEMENT) or prev.is_punct(",", "("))
        if up == "WITH":
            self.cte_names(i)
        elif up == "INTO":
            self.table_at(i + 1, Access.WRITE)
        elif up == "INSERT" and statement and not self.word(i + 1, "INTO"):
            self.table_at(i + 1, Access.WRITE)
        elif up == "UPDATE" and statement and not self.punct(i + 1, "("):
            self.table_at(i + 1, Access.WRITE)
        elif up == "DELETE" and statement:
            self.table_at(i + 2 if self.word(i + 1, "FROM") else i + 1, Access.WRITE)
        elif up == "MERGE" and statement:
            j = i + 1
            if self.word(j, "TOP") and self.punct(j + 1, "("):
                j = (self.s.closing(j + 1) or j) + 1
            if self.word(j, "INTO"):
                j += 1
            self.table_at(j, Access.WRITE)
        elif up == "TRUNCATE" and self.word(i + 1, "TABLE"):
            self.table_at(i + 2, Access.WRITE)
        elif up in ("FROM", "JOIN", "USING", "REFERENCES"):
            self.reads_after(i, up)
        elif up == "CALL" or (up in ("EXEC", "EXECUTE") and self.s.dialect is Dialect.TSQL):
            self.procedure_call(i + 1)
        elif up == "NEXT" and self.word(i + 1, "VALUE") and self.word(i + 2, "FOR"):
            if self.is_name(i + 3):
                self.refs.append(Reference(Access.READ, self.name_at(i + 3)[0]))
        elif up in ("NEXTVAL", "CURRVAL", "SETVAL") and self.punct(i + 1, "("):
            self.sequence_literal(i + 2)

    def procedure_call(self, j: int) -> None:
        """`EXEC [@rc =] schema.proc ...`, `CALL proc(...)`."""
        if 0 <= j < len(self.t) and self.t[j].kind == VARIABLE and self.punct(j + 1, "="):
            j += 2
        if self.is_name(j):
            self.refs.append(Reference(Access.CALL, self.name_at(j)[0]))

    def reads_after(self, i: int, up: str) -> None:
        if up == "FROM":
            if self.word(i - 1, "DELETE", "DISTINCT"):  # DELETE FROM, IS DISTINCT FROM
                return
            if self.s.enclosing_call(i) in _FROM_IN_CALL:
                return
            if any(self.word(k, *_FETCH_WORDS) for k in range(max(i - 3, 0), i)):
                return
        j = i + 1
        while self.punct(j, "("):  # FROM (A JOIN (B JOIN C ...)): nested joins
            j += 1
        j = self.table_at(j, Access.READ)
        while up == "FROM" and self.punct(j, ",") and self.is_name(j + 1):
            j = self.table_at(j + 1, Access.READ)

    def cte_names(self, i: int) -> None:
        j = i + 1
        if self.word(j, "RECURSIVE"):
            j += 1
        while self.is_name(j):
            name = self.t[j].text.lower()
            j += 1
            if self.punct(j, "("):
                j = (self.s.closing(j) or j) + 1
            if not self.word(j, "AS"):
                return
            j += 1
            while self.word(j, "NOT", "MATERIALIZED"):
                j += 1
            if not self.punct(j, "("):
                return
            self.ctes.add(name)
            j = (self.s.closing(j) or j) + 1
            if not self.punct(j, ","):
                return
            j += 1

    def sequence_literal(self, i: int) -> None:
        """nextval('schema.seq'): the literal names a sequence (a regclass)."""
        if not (0 <= i < len(self.t) and self.t[i].kind == STRING):
            return
        try:
            inner = tokenize(self.t[i].value, Dialect.POSTGRES)
        except TokenError:
            return
        parts = tuple(tok.text for tok in inner.tokens if tok.kind in (WORD, QUOTED))
        if parts:
            self.refs.append(Reference(Access.READ, parts))

    def resolve_aliases(self) -> None:
        """`UPDATE p ... FROM dbo.T AS p` writes dbo.T: the first alias p defined after it."""
        by_alias: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        for position, alias, aliased in self.aliases:  # in token order
            by_alias.setdefault(alias, []).append((position, aliased))
        for ref_index, token_index in self.targets:
            parts = self.refs[ref_index].parts
            defined = by_alias.get(parts[0].lower(), []) if len(parts) == 1 else []
            k = bisect_right(defined, token_index, key=lambda item: item[0])
            if k < len(defined) and defined[k][1] != parts:
                self.refs[ref_index] = Reference(Access.WRITE, defined[k][1])

    def is_cte(self, ref: Reference) -> bool:
        return len(ref.parts) == 1 and ref.parts[0].lower() in self.ctes


def token_references(stream: TokenStream) -> list[Reference]:
    """The names `stream` reads, writes and calls (unresolved)."""
    return _TokenReferences(stream).run()


# -- references from the AST ---------------------------------------------------------


def ast_references(statements: list[exp.Expression]) -> list[Reference]:
    """The names the parsed statements read, write and call (unresolved)."""
    refs: list[Reference] = []
    for statement in statements:
        ctes: set[str] = set()
        aliases: dict[str, exp.Table] = {}
        targets: list[exp.Table] = []
        tables: list[exp.Table] = []
        for node in statement.walk():
            if isinstance(node, exp.CTE):
                ctes.add(node.alias_or_name.lower())
            elif isinstance(node, exp.Table):
                tables.append(node)
                if node.alias and not isinstance(node.this, exp.Anonymous):
                    aliases[node.alias.lower()] = node
            elif isinstance(node, exp.Anonymous) and not _is_method(node):
                refs.append(Reference(Access.CALL, _call_parts(node)))
            elif isinstance(node, exp.NextValueFor) and isinstance(node.this, exp.Column):
                refs.append(Reference(Access.READ, tuple(p.name for p in node.this.parts)))
            target = _write_target(node)
            if target is not None:
                targets.append(target)
        written: set[int] = set()
        for target in targets:
            written.add(id(target))
            if not target.db and target.name.lower() in aliases:
                target = aliases[target.name.lower()]
            refs.append(Reference(Access.WRITE, _parts(target)))
        local_names = ctes | set(aliases)
        for table in tables:
            if id(table) in written or _is_local(table):
                continue
            if isinstance(table.this, exp.Anonymous):
                refs.append(Reference(Access.CALL, _table_call_parts(table)))
            elif table.db or table.name.lower() not in local_names:
                access = Access.CALL if isinstance(table.parent, exp.Execute) else Access.READ
                refs.append(Reference(access, _parts(table)))
    return refs


def _write_target(node: exp.Expression) -> exp.Table | None:
    target: exp.Expression | None = None
    if isinstance(node, exp.Insert | exp.Update | exp.Delete | exp.Merge):
        target = node.this
    elif isinstance(node, exp.Into):
        target = node.this
    elif isinstance(node, exp.TruncateTable):
        target = node.expressions[0] if node.expressions else None
    if isinstance(target, exp.Schema):
        target = target.this
    return target if isinstance(target, exp.Table) and not _is_local(target) else None


def _is_local(table: exp.Table) -> bool:
    """Temp tables and table variables are not catalog objects."""
    this = table.this
    return isinstance(this, exp.Parameter) or (
        isinstance(this, exp.Identifier)
        and bool(this.args.get("temporary") or this.args.get("global_"))
    )


def _parts(table: exp.Table) -> tuple[str, ...]:
    return tuple(part.name for part in table.parts)


def _table_call_parts(table: exp.Table) -> tuple[str, ...]:
    return tuple(p for p in (table.catalog, table.db, table.this.name) if p)


def _is_method(node: exp.Anonymous) -> bool:
    parent = node.parent
    return (
        isinstance(parent, exp.Dot | exp.ScopeResolution)
        and parent.expression is node
        and not isinstance(parent.this, exp.Identifier)
    )


def _call_parts(node: exp.Anonymous) -> tuple[str, ...]:
    parent = node.parent
    if isinstance(parent, exp.Dot) and parent.expression is node:
        return (parent.this.name, node.name)
    return (node.name,)


# -- resolution and waves ------------------------------------------------------------


def resolve_objects(
    refs: Iterable[Reference], obj: CatalogObject, index: CatalogIndex
) -> dict[Access, list[CatalogObject]]:
    """The catalog objects `obj` reads, writes and calls (not itself), each once."""
    found: dict[Access, dict[int, CatalogObject]] = {access: {} for access in Access}
    for ref in refs:
        for target in index.resolve(ref.parts, _RESOLVES_TO[ref.access], obj.schema_name):
            if target is not obj:
                found[ref.access][id(target)] = target
    return {access: list(targets.values()) for access, targets in found.items()}


def resolve(
    refs: Iterable[Reference], obj: CatalogObject, index: CatalogIndex
) -> dict[Access, list[str]]:
    """Qualified names of the catalog objects `obj` reads, writes and calls (not itself)."""
    return {
        access: sorted({target.qualified_name for target in targets})
        for access, targets in resolve_objects(refs, obj, index).items()
    }


def migration_waves(graph: dict[str, set[str]]) -> tuple[dict[str, int], list[list[str]]]:
    """Wave of every node (1 = no dependencies) and the cycles (strongly connected sets).

    `graph[node]` are the nodes it depends on; unknown dependencies are ignored."""
    components = _strongly_connected(graph)
    component_of = {node: k for k, members in enumerate(components) for node in members}
    waves: dict[int, int] = {}
    # Tarjan's algorithm emits a component after every component it depends on.
    for k, members in enumerate(components):
        deps = {
            component_of[dep]
            for node in members
            for dep in graph.get(node, ())
            if dep in component_of and component_of[dep] != k
        }
        waves[k] = 1 + max((waves[d] for d in deps), default=0)
    cycles = sorted(sorted(members) for members in components if len(members) > 1)
    return {node: waves[component_of[node]] for node in graph}, cycles


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (deep dependency chains do not hit the recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, sorted(d for d in graph[root] if d in graph))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, pending = work[-1]
            if pending:
                dep = pending.pop()
                if dep not in index:
                    index[dep] = low[dep] = counter
                    counter += 1
                    stack.append(dep)
                    on_stack.add(dep)
                    work.append((dep, sorted(d for d in graph[dep] if d in graph)))
                elif dep in on_stack:
                    low[node] = min(low[node], index[dep])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                members: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                components.append(members)
    return components
