"""T-SQL stored procedures -> Databricks SQL procedures (SQL scripting).

sqlglot cannot parse a whole T-SQL procedure (it loses the name and stops at
control flow), so the procedure is split here, over sqlglot's T-SQL tokens:
the header (name, parameters, options), then the body as a tree of blocks,
IF/ELSE, WHILE, TRY/CATCH and single statements. Each single SQL statement is
parsed alone by sqlglot and rewritten by `tsql_expressions.to_databricks`;
`@variables` become references that no column can capture: parameters as
`proc.param`, local variables as `body.var`.

Every statement that has no Databricks equivalent adds a reason; the procedure
is then MANUAL with the best-effort conversion as `partial_sql`, and all the
reasons of the body are collected, not only the first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, ParseError, TokenError, UnsupportedError

from lakebridge_dagster.assessment.tokens import (
    NUMBER,
    QUOTED,
    STRING,
    SYSVAR,
    VARIABLE,
    WORD,
    Dialect,
    LineIndex,
    Tok,
    tokenize,
)
from lakebridge_dagster.catalog.model import ObjectType
from lakebridge_dagster.sqlglot_logging import quiet_sqlglot
from lakebridge_dagster.transpile.context import ManualConversion, ObjectContext, manual
from lakebridge_dagster.transpile.model import Message
from lakebridge_dagster.transpile.names import target_table
from lakebridge_dagster.transpile.tsql_expressions import (
    is_session_option,
    parse_tsql,
    to_databricks,
    write_databricks,
)
from lakebridge_dagster.transpile.types import databricks_type

# one instance each: get_or_raise("name") builds a new Dialect on every call
_DATABRICKS = sqlglot.Dialect.get_or_raise("databricks")
_TSQL = sqlglot.Dialect.get_or_raise("tsql")

_UNCONVERTED = "lakebridge_unconverted"  # meta flag: to_databricks refused the statement
BODY = "body"  # label of the compound that holds every local variable
RETURN_STATUS = "return_status"  # OUT parameter that carries `RETURN n`
INDENT = "  "

# Words that start a T-SQL statement (a statement without `;` ends where the
# next one starts).
_STATEMENT_STARTS = frozenset(
    {
        "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "SET", "DECLARE", "IF", "WHILE",
        "BEGIN", "END", "RETURN", "PRINT", "EXEC", "EXECUTE", "RAISERROR", "THROW",
        "TRUNCATE", "CREATE", "DROP", "ALTER", "OPEN", "FETCH", "CLOSE", "DEALLOCATE", "GOTO",
        "BREAK", "CONTINUE", "COMMIT", "ROLLBACK", "SAVE", "USE", "WAITFOR", "ELSE", "GRANT",
        "DENY", "REVOKE", "BULK", "DBCC", "CHECKPOINT", "KILL", "RECONFIGURE",
    }
)  # fmt: skip
_SET_OPERATORS = frozenset({"UNION", "ALL", "EXCEPT", "INTERSECT"})
_DML = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE", "MERGE"})
_SQL_LEAVES = frozenset({*_DML, "WITH", "TRUNCATE", "CREATE", "DROP", "ALTER"})
_TRANSACTION_WORDS = frozenset({"TRAN", "TRANSACTION", "DISTRIBUTED"})
# Methods of the CLR types hierarchyid, geography and geometry (`col.GetAncestor(1)`,
# `@g.STDistance(p)`); the xml methods are to_databricks' own rule.
_CLR_METHODS = frozenset(
    {
        "GETANCESTOR", "GETDESCENDANT", "GETLEVEL", "GETROOT", "ISDESCENDANTOF",
        "GETREPARENTEDVALUE", "TOSTRING", "PARSE", "STDISTANCE", "STINTERSECTS", "STCONTAINS",
        "STWITHIN", "STAREA",
        "STLENGTH", "STASTEXT", "STASBINARY", "STBUFFER", "STUNION", "STINTERSECTION",
        "STGEOMFROMTEXT", "STGEOGFROMTEXT", "STPOINTFROMTEXT", "STX", "STY", "LAT", "LONG",
        "STSRID", "STISVALID", "MAKEVALID", "POINT", "STEQUALS", "STOVERLAPS", "STTOUCHES",
    }
)  # fmt: skip
_ASSIGN_OPERATORS = {"+": exp.Add, "-": exp.Sub, "*": exp.Mul, "/": exp.Div, "%": exp.Mod}


# -- the statement tree ---------------------------------------------------------


@dataclass
class Leaf:
    """One statement, tokens [start, end) of the body."""

    kind: str  # first word, upper case ("SELECT", "SET", ...), or "LABEL"
    start: int
    end: int


@dataclass
class Block:
    statements: list[Node]
    offset: int  # where the statement starts in the definition


@dataclass
class If:
    condition: tuple[int, int]
    then: Node
    otherwise: Node | None
    offset: int  # where the statement starts in the definition


@dataclass
class While:
    condition: tuple[int, int]
    body: Node
    offset: int  # where the statement starts in the definition


@dataclass
class TryCatch:
    body: Block
    handler: Block
    offset: int  # where the statement starts in the definition


@dataclass
class CursorLoop:
    """`DECLARE c CURSOR FOR q; OPEN c; FETCH ... INTO @v; WHILE @@FETCH_STATUS = 0
    BEGIN ... FETCH ... END; CLOSE c; DEALLOCATE c` as one loop over q."""

    name: str
    query: tuple[int, int]
    variables: list[str]
    body: list[Node]
    offset: int  # where the statement starts in the definition


Node = Leaf | Block | If | While | TryCatch | CursorLoop


@dataclass
class Parameter:
    name: str
    type_sql: str  # Databricks
    tsql_type: str
    default: str | None  # Databricks SQL
    output: bool
    offset: int  # in the definition


@dataclass
class Variable:
    name: str
    type_sql: str  # Databricks
    tsql_type: str


class _SyntaxProblem(Exception):
    """The procedure text does not have the shape this splitter understands."""

    def __init__(self, text: str, offset: int) -> None:
        super().__init__(text)
        self.offset = offset


# -- splitting ------------------------------------------------------------------


@dataclass
class _Splitter:
    toks: list[Tok]

    def word(self, i: int) -> str:
        tok = self.toks[i] if 0 <= i < len(self.toks) else None
        return tok.up if tok is not None and tok.kind == WORD else ""

    def punct(self, i: int, text: str) -> bool:
        return 0 <= i < len(self.toks) and self.toks[i].is_punct(text)

    def is_cte_start(self, i: int) -> bool:
        """`WITH name [(cols)] AS (` starts a statement; WITH (NOLOCK), WITH ROLLUP,
        WITH TIES, OPENJSON(...) WITH (...) do not."""
        j = i + 1
        if j >= len(self.toks) or self.toks[j].kind not in (WORD, QUOTED):
            return False
        if self.toks[j].kind == WORD and self.toks[j].keyword:
            return False
        j += 1
        if self.punct(j, "("):
            j = self.close(j) + 1
        return self.word(j) == "AS"

    def close(self, i: int) -> int:
        depth = 0
        for j in range(i, len(self.toks)):
            if self.punct(j, "("):
                depth += 1
            elif self.punct(j, ")"):
                depth -= 1
                if depth == 0:
                    return j
        raise _SyntaxProblem("unbalanced parentheses", self.offset(i))

    def starts_statement(self, i: int) -> bool:
        word = self.word(i)
        if word == "WITH":
            return self.is_cte_start(i)
        if word in _STATEMENT_STARTS:
            return True
        return self.is_label(i)

    def is_label(self, i: int) -> bool:
        return (
            self.word(i) != ""
            and not self.toks[i].keyword
            and self.punct(i + 1, ":")
            and not self.punct(i + 2, ":")
        )

    def statements(self, i: int, closers: tuple[str, ...]) -> tuple[list[Node], int]:
        """Statements from `i` up to END (+ one of `closers`, if any) or the end."""
        out: list[Node] = []
        while i < len(self.toks):
            if self.punct(i, ";"):
                i += 1
                continue
            if self.word(i) == "END" and (not closers or self.word(i + 1) in closers):
                return out, i
            if self.word(i) in ("END", "ELSE"):
                raise _SyntaxProblem(f"unexpected {self.toks[i].text}", self.offset(i))
            node, i = self.statement(i)
            out.append(node)
        return out, i

    def statement(self, i: int) -> tuple[Node, int]:
        word = self.word(i)
        start = self.toks[i].start
        if word == "BEGIN" and self.word(i + 1) == "TRY":
            body, j = self.statements(i + 2, ("TRY",))
            j = self.expect(j, "END", "TRY")
            while self.punct(j, ";"):
                j += 1
            j = self.expect(j, "BEGIN", "CATCH")
            handler, k = self.statements(j, ("CATCH",))
            k = self.expect(k, "END", "CATCH")
            return TryCatch(Block(body, start), Block(handler, start), start), k
        if word == "BEGIN" and self.word(i + 1) not in _TRANSACTION_WORDS:
            body, j = self.statements(i + 1, ())
            j = self.expect(j, "END")
            return Block(body, start), j
        if word in ("IF", "WHILE"):
            cond_end = self.condition_end(i + 1)
            then, j = self.statement(self.skip_semicolons(cond_end))
            if word == "WHILE":
                return While((i + 1, cond_end), then, start), j
            k = self.skip_semicolons(j)
            if self.word(k) == "ELSE":
                otherwise, j = self.statement(self.skip_semicolons(k + 1))
                return If((i + 1, cond_end), then, otherwise, start), j
            return If((i + 1, cond_end), then, None, start), j
        if self.is_label(i):
            return Leaf("LABEL", i, i + 2), i + 2
        end = self.leaf_end(i)
        return Leaf(word or self.toks[i].text.upper(), i, end), end

    def skip_semicolons(self, i: int) -> int:
        while self.punct(i, ";"):
            i += 1
        if i >= len(self.toks):
            raise _SyntaxProblem("a statement is missing at the end", self.offset(i))
        return i

    def expect(self, i: int, *words: str) -> int:
        for word in words:
            if self.word(i) != word:
                raise _SyntaxProblem(f"expected {' '.join(words)}", self.offset(i))
            i += 1
        return i

    def nesting(self, i: int, end: int) -> Iterator[tuple[int, bool]]:
        """(index, at top level) for tokens from i: not inside (...) nor CASE ... END."""
        depth = cases = 0
        for j in range(i, end):
            tok = self.toks[j]
            top = depth == 0 and cases == 0
            if tok.is_punct("("):
                depth += 1
            elif tok.is_punct(")"):
                depth -= 1
            elif depth == 0 and tok.is_word("CASE"):
                cases += 1
            elif depth == 0 and cases and tok.is_word("END"):
                cases -= 1
            yield j, top

    def offset(self, i: int) -> int:
        """Where token i starts in the definition (the last token past the end)."""
        return self.toks[min(i, len(self.toks) - 1)].start

    def condition_end(self, i: int) -> int:
        for j, top in self.nesting(i, len(self.toks)):
            if top and j > i and self.starts_statement(j):
                return j
        raise _SyntaxProblem("a condition is not followed by a statement", self.offset(i))

    def leaf_end(self, i: int) -> int:
        """Index after the statement starting at `i` (its `;` included)."""
        kind = self.word(i)
        source_seen = set_seen = cursor_query_seen = False
        cursor = False
        for j, top in self.nesting(i + 1, len(self.toks)):
            if not top:
                continue
            tok = self.toks[j]
            if tok.is_punct(";"):
                return j + 1
            word = self.word(j)
            if kind == "DECLARE" and word == "CURSOR":
                cursor = True
            if not self.starts_statement(j):
                continue
            previous = self.word(j - 1)
            if word == "SELECT" and previous in _SET_OPERATORS:
                continue
            if kind == "WITH" and word in _DML:
                kind = word
                continue
            if kind == "INSERT" and not source_seen and word in ("SELECT", "EXEC", "EXECUTE"):
                source_seen = True
                continue
            if kind == "INSERT" and not source_seen and word == "WITH":
                continue
            if kind == "UPDATE" and word == "SET" and not set_seen:
                set_seen = True
                continue
            if kind == "MERGE" and word in ("INSERT", "UPDATE", "DELETE", "SET"):
                continue
            if cursor and not cursor_query_seen and word in ("SELECT", "WITH"):
                cursor_query_seen = word == "SELECT"
                continue
            if cursor and word == "UPDATE" and previous == "FOR":
                continue
            return j
        return len(self.toks)


# -- the converter --------------------------------------------------------------


@dataclass
class _Loop:
    label: str
    used: bool = False


@dataclass
class _Converter:
    ctx: ObjectContext
    text: str
    toks: list[Tok]
    lines: LineIndex
    proc_name: str
    params: dict[str, Parameter]
    reasons: list[Message] = field(default_factory=list)
    variables: dict[str, Variable] = field(default_factory=dict)
    local_copies: set[str] = field(default_factory=set)  # assigned IN parameters
    leading_defaults: dict[str, str] = field(default_factory=dict)
    has_return_value: bool = False
    loops: list[_Loop] = field(default_factory=list)
    temp_tables: set[str] = field(default_factory=set)
    loop_count: int = 0
    in_handler: int = 0  # depth of CATCH blocks being emitted

    # -- messages --------------------------------------------------------------

    def line(self, token_index: int) -> int:
        tok = self.toks[min(token_index, len(self.toks) - 1)]
        return self.lines.line(tok.start)

    def block(self, text: str, i: int, rule: str) -> None:
        reason = manual(text, line=self.line(i), rule=rule)
        if reason not in self.reasons:
            self.reasons.append(reason)

    def source(self, start: int, end: int) -> str:
        return self.text[self.toks[start].start : self.toks[end - 1].end + 1]

    def snippet(self, start: int, end: int) -> str:
        flat = " ".join(self.source(start, end).split())
        return flat if len(flat) <= 60 else flat[:57] + "..."

    # -- variables ---------------------------------------------------------------

    def reference(self, name: str) -> exp.Column | None:
        key = name.lower()
        if key in self.variables or key in self.local_copies:
            stored = self.variables[key].name if key in self.variables else self.params[key].name
            return exp.column(exp.to_identifier(stored, quoted=True), table=BODY)
        if key in self.params:
            return exp.column(
                exp.to_identifier(self.params[key].name, quoted=True),
                table=exp.to_identifier(self.proc_name, quoted=True),
            )
        return None

    def reference_outer(self, name: str) -> str:
        """`proc.param`, the parameter itself even when the body works on a copy."""
        column = exp.column(
            exp.to_identifier(self.params[name.lower()].name, quoted=True),
            table=exp.to_identifier(self.proc_name, quoted=True),
        )
        return column.sql(_DATABRICKS)

    def default_sql(self, param: Parameter) -> str | None:
        """A parameter's default (a T-SQL constant) as Databricks SQL."""
        try:
            converted = _constant_sql(param.default or "", self.ctx)
        except ManualConversion as error:
            line = self.lines.line(param.offset)
            self.reasons += [reason.model_copy(update={"line": line}) for reason in error.reasons]
            return None
        if converted is None:
            self.reasons.append(
                manual(
                    f"the default of @{param.name} cannot be read: {param.default}",
                    line=self.lines.line(param.offset),
                    rule="header",
                )
            )
        return converted

    def target(self, name: str, i: int) -> exp.Column | None:
        """The unqualified name to assign to, for `SET v = ...`."""
        key = name.lower()
        if key in self.variables:
            return exp.column(exp.to_identifier(self.variables[key].name, quoted=True))
        if key in self.params:
            return exp.column(exp.to_identifier(self.params[key].name, quoted=True))
        self.block(f"@{name} is not declared in the procedure", i, "variables")
        return None

    def variable_reference(self, name: str) -> exp.Expression:
        """How `to_databricks` spells `@name` (undeclared names are reported by
        `check_declared`)."""
        return self.reference(name) or exp.column(exp.to_identifier(name, quoted=True))

    def check_declared(self, tree: exp.Expression, i: int) -> None:
        for node in tree.find_all(exp.Parameter):
            if isinstance(node.this, exp.Parameter) or isinstance(node.parent, exp.Parameter):
                continue  # @@SYSTEM_VARIABLE, reported by to_databricks
            if isinstance(node.parent, exp.Table):
                continue  # a table variable, reported where it is declared
            if self.reference(node.name) is None:
                self.block(f"@{node.name} is not declared in the procedure", i, "variables")

    # -- sqlglot -------------------------------------------------------------------

    def parse(self, sql: str, i: int) -> exp.Expression | None:
        with quiet_sqlglot():
            try:
                statements = parse_tsql(sql)
            except (ParseError, TokenError) as error:
                first = str(error).splitlines()[0]
                self.block(
                    f"sqlglot cannot parse {self.snippet(i, i + 1)}... ({first})", i, "parse"
                )
                return None
        if len(statements) != 1:
            self.block(f"not one statement: {sql[:60]}", i, "parse")
            return None
        parsed = statements[0]
        if isinstance(parsed, exp.Command):
            self.block(
                f"statement not understood: {self.snippet(i, i + 1)}: {sql[:60]}", i, "parse"
            )
            return None
        return parsed

    def tsql_expression(self, start: int, end: int) -> exp.Expression | None:
        """Tokens [start, end) parsed as one T-SQL expression."""
        if start >= end:
            self.block("an expression is missing", start, "parse")
            return None
        parsed = self.parse("SELECT " + self.source(start, end), start)
        if not isinstance(parsed, exp.Select) or len(parsed.expressions) != 1:
            if parsed is not None:
                self.block(f"not one expression: {self.snippet(start, end)}", start, "parse")
            return None
        return parsed.expressions[0]

    def expression(self, start: int, end: int) -> exp.Expression | None:
        """Tokens [start, end) as a converted Databricks expression."""
        parsed = self.tsql_expression(start, end)
        return self.convert(parsed, start) if parsed is not None else None

    def convert(self, tree: exp.Expression, i: int) -> exp.Expression:
        self.check_declared(tree, i)
        self.check_temp_tables(tree, i)
        self.query_clauses(tree, i)
        self.clr_methods(tree, i)
        self.output_clauses(tree, i)
        _mark_recursive_ctes(tree)
        try:
            return to_databricks(
                tree,
                self.ctx,
                variable_reference=self.variable_reference,
                variable_types=self.tsql_types(),
                check_writable=False,  # `sql` writes it with unsupported_level RAISE
            )
        except ManualConversion as error:
            first_line = self.line(i)
            for reason in error.reasons:
                # to_databricks counts lines from the statement it was given
                line = first_line + (reason.line or 1) - 1
                self.reasons.append(reason.model_copy(update={"line": line}))
            tree.meta[_UNCONVERTED] = True  # its reasons are recorded; no output checks
            return tree

    def tsql_types(self) -> dict[str, str]:
        types = {p.name: p.tsql_type for p in self.params.values()}
        types.update({v.name: v.tsql_type for v in self.variables.values()})
        return types

    def check_temp_tables(self, tree: exp.Expression, i: int) -> None:
        """A #temp table lives as long as the SQL Server session; a Databricks
        procedure has nothing with that lifetime, so a person chooses (reported
        where the table is first used)."""
        for ident in tree.find_all(exp.Identifier):
            if not (ident.args.get("temporary") or ident.args.get("global_")):
                continue
            name = ("##" if ident.args.get("global_") else "#") + ident.name
            if name.lower() in self.temp_tables:
                continue
            self.temp_tables.add(name.lower())
            self.block(
                f"temporary table {name}: a Databricks procedure has no session temp "
                "tables; use a CTE or a scratch Delta table that the procedure creates "
                "and drops",
                i,
                "temp-table",
            )

    def clr_methods(self, tree: exp.Expression, i: int) -> None:
        """`col.GetAncestor(1)`, `@g.STDistance(p)`, `geography::Point(...)`: methods
        of SQL Server's CLR types, which Databricks does not have."""
        for node in tree.find_all(exp.Dot, exp.ScopeResolution):
            method = node.expression
            if not isinstance(method, exp.Anonymous) or method.name.upper() not in _CLR_METHODS:
                continue
            receiver = node.this.sql(_TSQL)
            self.block(
                f"{receiver}{'::' if isinstance(node, exp.ScopeResolution) else '.'}"
                f"{method.name}(): a method of a SQL Server CLR type (hierarchyid, geography, "
                "geometry) with no Databricks equivalent; use H3/ST_ functions or a path column",
                i,
                "clr-method",
            )

    def output_clauses(self, tree: exp.Expression, i: int) -> None:
        """`INSERT/UPDATE/MERGE ... OUTPUT ... [INTO @t]`: sqlglot writes RETURNING,
        which Databricks does not have (and the INTO target would be lost)."""
        for returning in tree.find_all(exp.Returning):
            self.block(
                f"{returning.sql('tsql').strip()}: Databricks DML "
                "returns no rows; query the changed rows before or after the statement "
                "(or use the table's change data feed)",
                i,
                "output-clause",
            )
            returning.pop()
        for update in tree.find_all(exp.Update):
            for assignment in update.expressions:
                if isinstance(assignment.this, exp.Parameter):
                    self.block(
                        f"UPDATE ... SET {assignment.sql('tsql')}: assigning a variable in an "
                        "UPDATE has no Databricks equivalent; read the value with a query",
                        i,
                        "update-variable",
                    )

    def query_clauses(self, tree: exp.Expression, i: int) -> None:
        """OPTION (...) hints are dropped; FOR JSON / FOR XML have no Databricks clause."""
        for select in tree.find_all(exp.Select):
            options = select.args.get("options")
            if options:
                hints = ", ".join(option.sql(_TSQL) for option in options)
                self.ctx.warn(
                    f"query hints dropped: OPTION ({hints})", line=self.line(i), rule="query-hint"
                )
                select.set("options", None)
            clause = select.args.get("for_")
            if clause is not None:
                self.block(
                    f"FOR {clause.args.get('kind')}: Databricks has no such clause; build the "
                    "document with to_json(collect_list(named_struct(...))) or to_xml()",
                    i,
                    "for-json-xml",
                )
                select.set("for_", None)

    def sql(self, tree: exp.Expression, i: int) -> str:
        """Databricks SQL of a converted statement, checked by parsing it back."""
        if tree.meta.get(_UNCONVERTED):
            with quiet_sqlglot():
                return tree.sql(_DATABRICKS, pretty=True)
        try:
            out = tree.sql(_DATABRICKS, pretty=True, unsupported_level=ErrorLevel.RAISE)
        except UnsupportedError as error:
            self.block(f"sqlglot cannot write this as Databricks SQL: {error}", i, "generate")
            with quiet_sqlglot():
                out = tree.sql(_DATABRICKS, pretty=True)
        with quiet_sqlglot():
            try:
                reparsed = sqlglot.parse_one(out, read=_DATABRICKS)
            except (ParseError, TokenError) as error:
                first = str(error).splitlines()[0]
                self.block(f"the converted statement does not parse: {first}", i, "reparse")
                return out
        if isinstance(reparsed, exp.Command):
            self.block(f"the converted statement is not understood: {out[:60]}", i, "reparse")
        return out

    # -- declarations (first pass) --------------------------------------------------

    def collect(self, nodes: list[Node], leading: bool) -> bool:
        """Declare every local variable up front (T-SQL variables live for the
        whole procedure whatever block declares them). DECLAREs that come before
        any other statement (`leading`) keep their initial value as DEFAULT.
        Returns whether the statements seen so far were all declarations."""
        for node in nodes:
            if isinstance(node, Leaf) and node.kind == "DECLARE":
                self.declare(node, leading)
                continue
            if isinstance(node, Leaf) and node.kind == "SET" and self.session_option(node):
                continue
            if isinstance(node, Block) and leading:
                leading = self.collect(node.statements, leading=True)
                continue
            leading = False
            for child in _children(node):
                self.collect(child, leading=False)
            if isinstance(node, Leaf):
                self.find_assignments(node)
        return leading

    def declare(self, node: Leaf, leading: bool) -> None:
        i = node.start + 1
        if self.is_cursor(node):
            return
        stop = node.end - (1 if self.toks[node.end - 1].is_punct(";") else 0)
        for start, end in _split_commas(self.toks, i, stop):
            tok = self.toks[start]
            if tok.kind != VARIABLE:
                self.block(
                    f"DECLARE without a @variable: {self.snippet(start, end)}", start, "declare"
                )
                continue
            name = tok.text[1:]
            j = start + 1
            if self.word_at(j) == "AS":
                j += 1
            if self.word_at(j) == "TABLE":
                self.block(
                    f"table variable @{name}: Databricks SQL scripting has no table "
                    "variables; use a CTE or a scratch Delta table",
                    start,
                    "table-variable",
                )
                continue
            eq = next((k for k in range(j, end) if self.toks[k].is_punct("=")), end)
            type_sql, tsql_type = self.type_of(j, eq, name)
            self.variables[name.lower()] = Variable(name, type_sql, tsql_type)
            if leading and eq < end:
                value = self.expression(eq + 1, end)
                if value is not None:
                    self.leading_defaults[name.lower()] = self.sql(value, eq + 1)

    def word_at(self, i: int) -> str:
        tok = self.toks[i] if i < len(self.toks) else None
        return tok.up if tok is not None and tok.kind in (WORD, QUOTED) else ""

    def is_cursor(self, node: Leaf) -> bool:
        return any(
            self.toks[k].is_word("CURSOR")
            for k in range(node.start + 1, min(node.end, node.start + 4))
        )

    def session_option(self, node: Leaf) -> bool:
        nxt = self.toks[node.start + 1] if node.start + 1 < node.end else None
        return nxt is not None and nxt.kind in (WORD, QUOTED)

    def find_assignments(self, node: Leaf) -> None:
        """IN parameters the body assigns get a local copy."""
        toks = self.toks
        if node.kind == "SET" and node.start + 1 < node.end:
            if toks[node.start + 1].kind == VARIABLE:
                self.assigned(toks[node.start + 1].text[1:])
        if node.kind == "SELECT":
            for name in self.select_targets(node):
                self.assigned(name)
        if node.kind == "FETCH":
            for k in range(node.start + 1, node.end):
                if toks[k].kind == VARIABLE:
                    self.assigned(toks[k].text[1:])
        if node.kind in ("EXEC", "EXECUTE"):
            for k in range(node.start + 1, node.end):
                if (
                    toks[k].kind == VARIABLE
                    and k + 1 < node.end
                    and toks[k + 1].up
                    in (
                        "OUT",
                        "OUTPUT",
                    )
                ):
                    self.assigned(toks[k].text[1:])

    def assigned(self, name: str) -> None:
        param = self.params.get(name.lower())
        if param is not None and not param.output:
            self.local_copies.add(name.lower())

    def type_of(self, start: int, end: int, name: str) -> tuple[str, str]:
        """(Databricks type, T-SQL type) of tokens [start, end)."""
        tsql = _type_text(self.toks[start:end])
        if not tsql:
            self.block(f"@{name} has no type", start, "type")
            return "STRING", "nvarchar(max)"
        mapped = databricks_type(tsql, self.ctx, column=f"@{name}", line=self.line(start))
        return mapped.sql(_DATABRICKS), tsql

    # -- emitting (second pass) -------------------------------------------------------

    def emit_list(self, nodes: list[Node], depth: int, tail: bool) -> list[str]:
        out: list[str] = []
        nodes = self.find_cursor_loops(nodes)
        rowcount: int | None = None  # SET ROWCOUNT n in force
        for k, node in enumerate(nodes):
            last = tail and k == len(nodes) - 1
            if (
                isinstance(node, Leaf)
                and node.kind == "SET"
                and self.word_at(node.start + 1) == "ROWCOUNT"
            ):
                rowcount = self.rowcount(node)
                out.append(self.comment(node, depth))
                continue
            if rowcount:
                if not (isinstance(node, Leaf) and node.kind == "SELECT"):
                    self.block(
                        "SET ROWCOUNT limits a statement other than a query: "
                        "add the limit to it by hand",
                        _first_token(node),
                        "rowcount",
                    )
                out += self.emit(node, depth, last, limit=rowcount)
                continue
            following = nodes[k + 1] if k + 1 < len(nodes) else None
            out += self.emit(node, depth, last, following=following)
        return out

    def rowcount(self, node: Leaf) -> int | None:
        value = self.toks[node.start + 2] if node.start + 2 < node.end else None
        if value is None or value.kind != NUMBER:
            self.block("SET ROWCOUNT with a variable: add a LIMIT by hand", node.start, "rowcount")
            return None
        limit = int(value.text)
        if limit:
            self.ctx.warn(
                f"SET ROWCOUNT {limit} became LIMIT {limit} on the queries that follow it",
                line=self.line(node.start),
                rule="rowcount",
            )
        return limit

    def comment(self, node: Leaf, depth: int) -> str:
        return INDENT * depth + "-- " + self.snippet(node.start, node.end)

    def emit(
        self,
        node: Node,
        depth: int,
        tail: bool,
        *,
        limit: int | None = None,
        following: Node | None = None,
    ) -> list[str]:
        pad = INDENT * depth
        if isinstance(node, Block):
            return self.emit_list(node.statements, depth, tail)
        if isinstance(node, If):
            return self.emit_if(node, depth, tail)
        if isinstance(node, While):
            return self.emit_while(node, depth)
        if isinstance(node, TryCatch):
            return self.emit_try(node, depth, tail)
        if isinstance(node, CursorLoop):
            return self.emit_cursor(node, depth)
        return [pad + line for line in self.emit_leaf(node, tail, limit, following)]

    def branch(self, node: Node, depth: int, tail: bool) -> list[str]:
        lines = self.emit(node, depth, tail)
        if not any(not line.lstrip().startswith("--") for line in lines):
            lines.append(INDENT * depth + "BEGIN END;")  # a branch needs a statement
        return lines

    def emit_if(self, node: If, depth: int, tail: bool) -> list[str]:
        pad = INDENT * depth
        out: list[str] = []
        keyword = "IF"
        current: Node | None = node
        while isinstance(current, If):
            cond = self.expression(*current.condition)
            cond_sql = self.sql(cond, current.condition[0]) if cond is not None else "TRUE"
            out.append(f"{pad}{keyword} {_inline(cond_sql)} THEN")
            out += self.branch(current.then, depth + 1, tail)
            keyword = "ELSEIF"
            current = current.otherwise
        if current is not None:
            out.append(pad + "ELSE")
            out += self.branch(current, depth + 1, tail)
        out.append(pad + "END IF;")
        return out

    def emit_while(self, node: While, depth: int) -> list[str]:
        pad = INDENT * depth
        cond = self.expression(*node.condition)
        cond_sql = self.sql(cond, node.condition[0]) if cond is not None else "TRUE"
        if any(
            self.toks[k].kind == SYSVAR and self.toks[k].up == "@@FETCH_STATUS"
            for k in range(*node.condition)
        ):
            self.block(
                "a cursor loop that is not the plain OPEN / FETCH / WHILE @@FETCH_STATUS = 0 "
                "pattern: rewrite it as FOR row AS query DO ... END FOR",
                node.condition[0],
                "cursor",
            )
        self.loop_count += 1
        loop = _Loop(f"loop{self.loop_count}")
        self.loops.append(loop)
        body = self.branch(node.body, depth + 1, tail=False)
        self.loops.pop()
        label = f"{loop.label}: " if loop.used else ""
        end_label = f" {loop.label}" if loop.used else ""
        return [f"{pad}{label}WHILE {_inline(cond_sql)} DO", *body, f"{pad}END WHILE{end_label};"]

    def emit_try(self, node: TryCatch, depth: int, tail: bool) -> list[str]:
        pad = INDENT * depth
        out = [pad + "BEGIN"]
        out.append(pad + INDENT + "DECLARE EXIT HANDLER FOR SQLEXCEPTION")
        out.append(pad + INDENT + "BEGIN")
        self.in_handler += 1
        handler = self.emit_list(node.handler.statements, depth + 2, tail)
        self.in_handler -= 1
        out += handler
        out.append(pad + INDENT + "END;")
        out += self.emit_list(node.body.statements, depth + 1, tail)
        out.append(pad + "END;")
        self.ctx.info(
            "BEGIN TRY ... BEGIN CATCH became a block with an EXIT handler for SQLEXCEPTION",
            line=self.lines.line(node.offset),
            rule="try-catch",
        )
        return out

    def emit_cursor(self, node: CursorLoop, depth: int) -> list[str]:
        pad = INDENT * depth
        row = exp.to_identifier(f"{node.name}_row", quoted=True)
        query = self.parse(self.source(*node.query), node.query[0])
        out: list[str] = []
        names: list[str] = []
        if isinstance(query, exp.Select) and len(query.expressions) == len(node.variables):
            query = self.convert(query, node.query[0])
            seen: set[str] = set()
            for n, projection in enumerate(query.expressions, start=1):
                name = projection.alias_or_name
                if not name or name.lower() in seen or name == "*":
                    name = f"col{n}"
                    projection.replace(exp.alias_(projection.copy(), name, quoted=True))
                seen.add(name.lower())
                names.append(name)
            query_sql = self.sql(query, node.query[0])
        else:
            if query is not None:
                self.block(
                    "the cursor's query does not return one column per FETCH variable",
                    node.query[0],
                    "cursor",
                )
            query_sql = self.source(*node.query)
            names = [f"col{n}" for n in range(1, len(node.variables) + 1)]
        self.ctx.info(
            f"cursor {node.name} (OPEN / FETCH / WHILE @@FETCH_STATUS = 0) became a FOR loop",
            line=self.lines.line(node.offset),
            rule="cursor",
        )
        self.loop_count += 1
        loop = _Loop(f"loop{self.loop_count}")
        self.loops.append(loop)
        for variable, column in zip(node.variables, names, strict=True):
            target = self.target(variable, node.query[0])
            if target is None:
                continue
            value = exp.column(exp.to_identifier(column, quoted=True), table=row)
            out.append(
                pad + INDENT + f"SET {target.sql('databricks')} = {value.sql('databricks')};"
            )
        out += self.emit_list(node.body, depth + 1, tail=False)
        self.loops.pop()
        label = f"{loop.label}: " if loop.used else ""
        end_label = f" {loop.label}" if loop.used else ""
        head = [f"{pad}{label}FOR {row.sql('databricks')} AS"]
        head += [pad + INDENT + line for line in query_sql.splitlines()]
        return [*head, pad + "DO", *out, f"{pad}END FOR{end_label};"]

    def find_cursor_loops(self, nodes: list[Node]) -> list[Node]:
        out: list[Node] = []
        k = 0
        while k < len(nodes):
            found = self.cursor_loop(nodes, k)
            if found is None:
                out.append(nodes[k])
                k += 1
                continue
            loop, k = found
            out.append(loop)
        return out

    def cursor_loop(self, nodes: list[Node], k: int) -> tuple[CursorLoop, int] | None:
        declare = nodes[k]
        if not (
            isinstance(declare, Leaf) and declare.kind == "DECLARE" and self.is_cursor(declare)
        ):
            return None
        name_tok = self.toks[declare.start + 1]
        name = name_tok.up
        query_start = next(
            (
                j + 1
                for j in range(declare.start + 2, declare.end)
                if self.toks[j].is_word("FOR") and self.toks[j + 1].up in ("SELECT", "WITH")
            ),
            None,
        )
        if query_start is None or k + 3 >= len(nodes):
            return None
        query_end = declare.end - (1 if self.toks[declare.end - 1].is_punct(";") else 0)
        for j in range(query_start, query_end):
            if self.toks[j].is_word("FOR") and self.toks[j + 1].up in ("UPDATE", "READ"):
                query_end = j
                break
        opened, fetch, loop = nodes[k + 1], nodes[k + 2], nodes[k + 3]
        if not (self.is_leaf(opened, "OPEN", name) and self.is_leaf(fetch, "FETCH", name)):
            return None
        if not isinstance(loop, While) or not self.fetch_status_test(loop.condition):
            return None
        body = loop.body.statements if isinstance(loop.body, Block) else [loop.body]
        if not body or self.leaf_words(body[-1]) != self.leaf_words(fetch):
            return None
        variables = self.fetch_variables(fetch)
        if variables is None:
            return None
        end = k + 4
        for word in ("CLOSE", "DEALLOCATE"):
            if end < len(nodes) and self.is_leaf(nodes[end], word, name):
                end += 1
        return (
            CursorLoop(
                name_tok.text, (query_start, query_end), variables, body[:-1], name_tok.start
            ),
            end,
        )

    def is_leaf(self, node: Node, kind: str, cursor: str) -> bool:
        return (
            isinstance(node, Leaf)
            and node.kind == kind
            and any(self.toks[j].up == cursor for j in range(node.start + 1, node.end))
        )

    def leaf_words(self, node: Node) -> list[str]:
        if not isinstance(node, Leaf):
            return []
        return [t.up or t.text for t in self.toks[node.start : node.end] if not t.is_punct(";")]

    def fetch_status_test(self, condition: tuple[int, int]) -> bool:
        words = [t.up or t.text for t in self.toks[condition[0] : condition[1]]]
        words = [w for w in words if w not in ("(", ")")]
        return words == ["@@FETCH_STATUS", "=", "0"]

    def fetch_variables(self, fetch: Node) -> list[str] | None:
        """The @variables of `FETCH [NEXT] FROM c INTO @a, @b`."""
        toks = self.toks[fetch.start : fetch.end]
        words = [t.up for t in toks]
        if "INTO" not in words or words[1] not in ("NEXT", "FROM"):
            return None
        into = words.index("INTO")
        variables = [t.text[1:] for t in toks[into + 1 :] if t.kind == VARIABLE]
        return variables or None

    # -- leaves --------------------------------------------------------------------------

    def emit_leaf(
        self, node: Leaf, tail: bool, limit: int | None, following: Node | None
    ) -> list[str]:
        kind, i = node.kind, node.start
        end = node.end - (1 if self.toks[node.end - 1].is_punct(";") else 0)
        if kind == "SET":
            return self.emit_set(i, end)
        if kind == "DECLARE":
            return self.emit_declare(node, i, end)
        if kind == "SELECT" and self.is_assignment_select(i, end):
            return self.emit_select_assignment(i, end)
        if kind in _SQL_LEAVES:
            return self.emit_sql(i, end, limit)
        if kind in ("EXEC", "EXECUTE"):
            return self.emit_exec(i, end)
        if kind == "RETURN":
            return self.emit_return(i, end, tail)
        if kind == "PRINT":
            self.ctx.warn(
                f"PRINT dropped (Databricks procedures have no message output): "
                f"{self.snippet(i, end)}",
                line=self.line(i),
                rule="print",
            )
            return ["-- " + self.snippet(i, end)]
        if kind == "RAISERROR":
            return self.emit_raiserror(i, end, following)
        if kind == "THROW":
            return self.emit_throw(i, end)
        if kind in ("BREAK", "CONTINUE"):
            if not self.loops:
                self.block(f"{kind} outside a loop", i, "loop")
                return ["-- " + kind]
            self.loops[-1].used = True
            verb = "LEAVE" if kind == "BREAK" else "ITERATE"
            return [f"{verb} {self.loops[-1].label};"]
        if kind in ("BEGIN", "COMMIT", "ROLLBACK", "SAVE"):
            self.block(
                f"{self.snippet(i, end)}: Databricks SQL scripting has no multi-statement "
                "transactions (each statement commits on its own); make the steps "
                "idempotent or stage the changes and apply them in one MERGE",
                i,
                "transaction",
            )
            return ["-- " + self.snippet(i, end)]
        if kind in ("GOTO", "LABEL"):
            what = self.snippet(i, end) if kind == "GOTO" else f"label {self.toks[i].text}"
            self.block(
                f"{what}: GOTO has no Databricks equivalent; restructure with IF / LEAVE",
                i,
                "goto",
            )
            return ["-- " + self.snippet(i, end)]
        if kind in ("OPEN", "FETCH", "CLOSE", "DEALLOCATE"):
            self.block(
                f"{self.snippet(i, end)}: a cursor outside the plain OPEN / FETCH / WHILE "
                "@@FETCH_STATUS = 0 pattern; rewrite it as FOR row AS query DO ... END FOR",
                i,
                "cursor",
            )
            return ["-- " + self.snippet(i, end)]
        if kind == "USE":
            self.ctx.warn(f"{self.snippet(i, end)} dropped", line=self.line(i), rule="use")
            return ["-- " + self.snippet(i, end)]
        self.block(
            f"{self.snippet(i, end)}: no Databricks equivalent for this statement", i, "statement"
        )
        return ["-- " + self.snippet(i, end)]

    def emit_sql(self, i: int, end: int, limit: int | None) -> list[str]:
        if (
            self.toks[i].is_word("DELETE", "UPDATE")
            and i + 1 < end
            and self.toks[i + 1].is_word("TOP")
        ):
            self.block(
                f"{self.toks[i].up} TOP (n): Databricks DML has no row limit; select the keys "
                "of the rows to change (ORDER BY ... LIMIT n) and filter on them",
                i,
                "dml-top",
            )
            return ["-- " + self.snippet(i, end)]
        tree = self.parse(self.source(i, end), i)
        if tree is None:
            return ["-- " + self.snippet(i, end)]
        if isinstance(tree, exp.Select) and any(
            isinstance(projection, exp.EQ) and isinstance(projection.this, exp.Parameter)
            for projection in tree.expressions
        ):
            self.block(
                "a SELECT that both assigns variables and returns columns", i, "select-assign"
            )
            return ["-- " + self.snippet(i, end)]
        tree = self.convert(tree, i)
        if limit:
            if isinstance(tree, exp.Query) and tree.args.get("limit") is None:
                tree = tree.limit(limit, copy=False)
            else:
                self.block(
                    "SET ROWCOUNT on a query that has its own TOP: merge them by hand",
                    i,
                    "rowcount",
                )
        return (self.sql(tree, i) + ";").splitlines()

    def emit_set(self, i: int, end: int) -> list[str]:
        nxt = self.toks[i + 1] if i + 1 < end else None
        if nxt is None:
            self.block("SET without anything to set", i, "set")
            return ["-- SET"]
        if nxt.kind in (WORD, QUOTED):
            with quiet_sqlglot():
                try:
                    parsed = parse_tsql(self.source(i, end))
                except (ParseError, TokenError):
                    parsed = []
            if len(parsed) == 1 and is_session_option(parsed[0]):
                self.ctx.info(
                    f"{self.snippet(i, end)} dropped: a T-SQL session option",
                    line=self.line(i),
                    rule="session-option",
                )
            else:
                self.ctx.warn(
                    f"{self.snippet(i, end)} dropped: a T-SQL session option with no "
                    "Databricks equivalent; check the statements that depend on it",
                    line=self.line(i),
                    rule="session-option",
                )
            return ["-- " + self.snippet(i, end)]
        if nxt.kind != VARIABLE:
            self.block(f"{self.snippet(i, end)}: not an assignment", i, "set")
            return ["-- " + self.snippet(i, end)]
        j = i + 2
        operator = None
        if (
            j + 1 < end
            and self.toks[j].text in _ASSIGN_OPERATORS
            and self.toks[j + 1].is_punct("=")
        ):
            operator = self.toks[j].text
            j += 1
        if not (j < end and self.toks[j].is_punct("=")):
            self.block(f"{self.snippet(i, end)}: not an assignment", i, "set")
            return ["-- " + self.snippet(i, end)]
        if j + 1 < end and self.toks[j + 1].is_word("CURSOR"):
            self.block("a cursor variable: rewrite it as FOR row AS query DO", i, "cursor")
            return ["-- " + self.snippet(i, end)]
        target = self.target(nxt.text[1:], i)
        value = self.tsql_expression(j + 1, end)
        if target is None or value is None:
            return ["-- " + self.snippet(i, end)]
        if operator is not None:
            # `@s += x` is `@s = @s + x`, built before conversion so that a string
            # `+` becomes concatenation like any other
            if not isinstance(value, exp.Literal | exp.Column | exp.Func | exp.Parameter):
                value = exp.paren(value)
            current = exp.Parameter(this=exp.var(nxt.text[1:]))
            value = _ASSIGN_OPERATORS[operator](this=current, expression=value)
        return _set_lines(target, self.sql(self.convert(value, i), i))

    def emit_declare(self, node: Leaf, i: int, end: int) -> list[str]:
        if self.is_cursor(node):
            self.block(
                f"{self.snippet(i, end)}: a cursor outside the plain OPEN / FETCH / WHILE "
                "@@FETCH_STATUS = 0 pattern; rewrite it as FOR row AS query DO ... END FOR",
                i,
                "cursor",
            )
            return ["-- " + self.snippet(i, end)]
        out: list[str] = []
        for start, stop in _split_commas(self.toks, i + 1, end):
            tok = self.toks[start]
            name = tok.text[1:].lower()
            if tok.kind != VARIABLE or name not in self.variables or name in self.leading_defaults:
                continue
            eq = next((k for k in range(start, stop) if self.toks[k].is_punct("=")), stop)
            if eq == stop:
                continue
            value = self.expression(eq + 1, stop)
            target = self.target(tok.text[1:], start)
            if value is not None and target is not None:
                out += _set_lines(target, self.sql(value, eq + 1))
        return out

    def is_assignment_select(self, i: int, end: int) -> bool:
        return bool(self.select_targets(Leaf("SELECT", i, end)))

    def select_targets(self, node: Leaf) -> list[str]:
        """The @variables a `SELECT @a = x, @b = y FROM ...` assigns."""
        stop = next(
            (
                k
                for k, top in _Splitter(self.toks).nesting(node.start, node.end)
                if top and self.toks[k].is_word("FROM", "WHERE", "INTO", "UNION", "ORDER")
            ),
            node.end,
        )
        targets = []
        for start, end in _split_commas(self.toks, node.start + 1, stop):
            k = start
            while k < end and self.toks[k].is_word(
                "DISTINCT", "ALL", "TOP", "PERCENT", "WITH", "TIES"
            ):
                k += 1
                if k < end and self.toks[k - 1].is_word("TOP"):
                    # TOP n or TOP (expression)
                    k = _closing(self.toks, k, end) + 1 if self.toks[k].is_punct("(") else k + 1
            if k < end and self.toks[k].kind == VARIABLE and _is_assignment(self.toks, k, end):
                targets.append(self.toks[k].text[1:])
        return targets

    def emit_select_assignment(self, i: int, end: int) -> list[str]:
        tree = self.parse(self.source(i, end), i)
        if not isinstance(tree, exp.Select):
            return ["-- " + self.snippet(i, end)]
        targets: list[exp.Column] = []
        values: list[exp.Expression] = []
        for projection in tree.expressions:
            if not (isinstance(projection, exp.EQ) and isinstance(projection.this, exp.Parameter)):
                self.block(
                    "a SELECT that both assigns variables and returns columns", i, "select-assign"
                )
                return ["-- " + self.snippet(i, end)]
            target = self.target(projection.this.name, i)
            if target is None:
                return ["-- " + self.snippet(i, end)]
            targets.append(target)
            values.append(projection.expression)
        query = tree.select(*values, append=False, copy=False)
        query = self.convert(query, i)
        if query.args.get("from_") is None:
            lines: list[str] = []
            for target, value in zip(targets, query.expressions, strict=True):
                lines += _set_lines(target, self.sql(value, i))
            return lines
        if not _single_row(query):
            self.ctx.warn(
                "SELECT @v = ... FROM became SET v = (SELECT ...): when the query finds no "
                "row the variable becomes NULL (T-SQL keeps its value) and more than one row "
                "is an error (T-SQL keeps the last)",
                line=self.line(i),
                rule="select-assign",
            )
        query_sql = self.sql(query, i)
        left = (
            targets[0].sql(_DATABRICKS)
            if len(targets) == 1
            else ("(" + ", ".join(t.sql(_DATABRICKS) for t in targets) + ")")
        )
        lines = query_sql.splitlines()
        return [f"SET {left} = (", *[INDENT + line for line in lines], ");"]

    def emit_exec(self, i: int, end: int) -> list[str]:
        j = i + 1
        if j < end and self.toks[j].is_punct("("):
            self.block(
                f"dynamic SQL {self.snippet(i, end)}: the string is T-SQL; convert the "
                "statement it builds and run it with EXECUTE IMMEDIATE",
                i,
                "dynamic-sql",
            )
            return ["-- " + self.snippet(i, end)]
        status_var = None
        if j + 1 < end and self.toks[j].kind == VARIABLE and self.toks[j + 1].is_punct("="):
            status_var = self.toks[j].text[1:]
            j += 2
        parts, j = _dotted(self.toks, j, end)
        if not parts:
            self.block(f"{self.snippet(i, end)}: no procedure name", i, "exec")
            return ["-- " + self.snippet(i, end)]
        name = parts[-1]
        if name.lower().startswith(("sp_", "xp_")):
            what = "dynamic SQL" if name.lower() == "sp_executesql" else "system procedure"
            self.block(
                f"{what} {self.snippet(i, end)}: no Databricks equivalent; convert the "
                "statement it runs (EXECUTE IMMEDIATE for dynamic SQL)",
                i,
                "dynamic-sql" if what == "dynamic SQL" else "system-procedure",
            )
            return ["-- " + self.snippet(i, end)]
        schema = parts[-2] if len(parts) >= 2 and parts[-2] else None
        callee = self.ctx.catalog.find(name, schema, ObjectType.PROCEDURE)
        if callee is None:
            self.ctx.warn(
                f"EXEC {'.'.join(p for p in parts if p)}: not a procedure of the catalog; "
                "the CALL assumes it is migrated under the same name",
                line=self.line(i),
                rule="exec",
            )
        target = target_table(
            self.ctx,
            callee.schema_name if callee else (schema or self.ctx.obj.schema_name),
            callee.name if callee else name,
        )
        signature = _callee_signature(callee.definition) if callee and callee.definition else None
        callee_params, callee_returns = signature if signature is not None else ([], False)
        args: list[str] = []
        passed: set[str] = set()
        for start, stop in _split_commas(self.toks, j, end):
            arg_name = None
            if (
                stop - start >= 2
                and self.toks[start].kind == VARIABLE
                and self.toks[start + 1].is_punct("=")
            ):
                arg_name = self.toks[start].text[1:]
                start += 2
            output = self.toks[stop - 1].up in ("OUT", "OUTPUT")
            value_end = stop - 1 if output else stop
            if value_end - start == 1 and self.toks[start].is_word("DEFAULT"):
                continue
            if output:
                if self.toks[start].kind != VARIABLE or value_end - start != 1:
                    self.block("an OUTPUT argument that is not a variable", start, "exec")
                    continue
                value = self.target(self.toks[start].text[1:], start)
            else:
                value = self.expression(start, value_end)
            if value is None:
                continue
            value_sql = _inline(self.sql(value, start))
            if arg_name is None:
                if len(args) < len(callee_params):
                    passed.add(callee_params[len(args)].name.lower())
                args.append(value_sql)
            else:
                passed.add(arg_name.lower())
                args.append(f"{_quoted(arg_name)} => {value_sql}")
        for param in callee_params:
            if param.output and param.name.lower() not in passed:
                # an OUTPUT parameter the caller does not pass still needs a variable,
                # holding the callee's default; its type warnings are the callee's
                callee_ctx = replace(self.ctx, messages=[])
                type_sql = databricks_type(param.tsql_type, callee_ctx).sql(_DATABRICKS)
                try:
                    default = _constant_sql(param.default, callee_ctx) if param.default else None
                except ManualConversion:
                    default = None
                dummy = self.scratch_variable(f"{name}_{param.name}", type_sql, default)
                args.append(f"{_quoted(param.name)} => {dummy}")
        if callee_returns:
            status = _quoted(status_var) if status_var is not None else None
            if status_var is not None and self.target(status_var, i) is None:
                status = None
            status = status or self.scratch_variable(f"{name}_{RETURN_STATUS}", "INT", None)
            args.append(f"{_quoted(RETURN_STATUS)} => {status}")
        elif status_var is not None:
            self.block(
                f"EXEC @{status_var} = ...: the called procedure's return code is not known "
                "(it is not in the catalog or has no RETURN value)",
                i,
                "exec",
            )
        return [f"CALL {target.sql('databricks')}({', '.join(args)});"]

    def scratch_variable(self, name: str, type_sql: str, default: str | None) -> str:
        """A variable that receives an OUT argument nobody reads."""
        key = name.lower()
        if key not in self.variables:
            self.variables[key] = Variable(name, type_sql, type_sql)
            if default is not None:
                self.leading_defaults[key] = default
        return _quoted(self.variables[key].name)

    def emit_return(self, i: int, end: int, tail: bool) -> list[str]:
        out: list[str] = []
        if end > i + 1:
            value = self.expression(i + 1, end)
            if value is not None:
                target = exp.column(exp.to_identifier(RETURN_STATUS, quoted=True))
                out += _set_lines(target, self.sql(value, i + 1))
        elif self.has_return_value:
            out.append(f"SET {_quoted(RETURN_STATUS)} = 0;")
        if not tail and self.in_handler:
            self.block(
                "RETURN inside a CATCH block, before its end: the CATCH block becomes an "
                "EXIT handler, which cannot leave the procedure; move the statements after "
                "the TRY ... CATCH into an IF",
                i,
                "return",
            )
        elif not tail:
            out.append(f"LEAVE {BODY};")
        if not out:
            out.append("-- RETURN")
        return out

    def emit_raiserror(self, i: int, end: int, following: Node | None) -> list[str]:
        args = (
            _split_commas(self.toks, i + 2, _closing(self.toks, i + 1, end))
            if i + 1 < end and self.toks[i + 1].is_punct("(")
            else []
        )
        if len(args) < 3:
            self.block(f"{self.snippet(i, end)}: unexpected RAISERROR form", i, "raiserror")
            return ["-- " + self.snippet(i, end)]
        severity_tok = self.toks[args[1][0]]
        if severity_tok.kind != NUMBER or args[1][1] - args[1][0] != 1:
            self.block("RAISERROR with a computed severity", i, "raiserror")
            return ["-- " + self.snippet(i, end)]
        if int(severity_tok.text) <= 10:
            self.ctx.warn(
                f"informational RAISERROR dropped (no message output in Databricks): "
                f"{self.snippet(i, end)}",
                line=self.line(i),
                rule="raiserror",
            )
            return ["-- " + self.snippet(i, end)]
        message = self.toks[args[0][0]]
        if len(args) > 3 or message.kind != STRING or args[0][1] - args[0][0] != 1:
            self.block(
                f"{self.snippet(i, end)}: a formatted or computed error message; Databricks "
                "SIGNAL takes a literal MESSAGE_TEXT (build the text in a variable and use "
                "SIGNAL ... SET MESSAGE_ARGUMENTS, or raise_error())",
                i,
                "raiserror",
            )
            return ["-- " + self.snippet(i, end)]
        if not (isinstance(following, Leaf) and following.kind == "RETURN"):
            self.ctx.warn(
                "RAISERROR became SIGNAL: T-SQL continues after RAISERROR outside TRY, "
                "SIGNAL stops the procedure",
                line=self.line(i),
                rule="raiserror",
            )
        return [_signal(message.value.replace("%%", "%"))]

    def emit_throw(self, i: int, end: int) -> list[str]:
        if end == i + 1:
            return ["RESIGNAL;"]
        args = _split_commas(self.toks, i + 1, end)
        message = self.toks[args[1][0]] if len(args) == 3 else None
        if message is None or message.kind != STRING or args[1][1] - args[1][0] != 1:
            self.block(
                f"{self.snippet(i, end)}: a computed error message; Databricks SIGNAL takes a "
                "literal MESSAGE_TEXT",
                i,
                "throw",
            )
            return ["-- " + self.snippet(i, end)]
        self.ctx.warn(
            f"THROW became SIGNAL SQLSTATE '45000': the error number "
            f"{self.source(*args[0])} is not kept",
            line=self.line(i),
            rule="throw",
        )
        return [_signal(message.value)]


# -- helpers --------------------------------------------------------------------------


def _children(node: Node) -> list[list[Node]]:
    if isinstance(node, Block):
        return [node.statements]
    if isinstance(node, If):
        return [[node.then]] + ([[node.otherwise]] if node.otherwise is not None else [])
    if isinstance(node, While):
        return [[node.body]]
    if isinstance(node, TryCatch):
        return [node.body.statements, node.handler.statements]
    if isinstance(node, CursorLoop):
        return [node.body]
    return []


def _first_token(node: Node) -> int:
    if isinstance(node, Leaf):
        return node.start
    if isinstance(node, If | While):
        return node.condition[0]
    if isinstance(node, CursorLoop):
        return node.query[0]
    statements = node.statements if isinstance(node, Block) else node.body.statements
    return _first_token(statements[0]) if statements else 0


def _split_commas(toks: list[Tok], start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) split at top-level commas; empty parts dropped."""
    parts: list[tuple[int, int]] = []
    depth = 0
    begin = start
    for k in range(start, end):
        if toks[k].is_punct("("):
            depth += 1
        elif toks[k].is_punct(")"):
            depth -= 1
        elif depth == 0 and toks[k].is_punct(","):
            if k > begin:
                parts.append((begin, k))
            begin = k + 1
    if end > begin:
        parts.append((begin, end))
    return parts


def _closing(toks: list[Tok], opening: int, end: int) -> int:
    depth = 0
    for k in range(opening, end):
        if toks[k].is_punct("("):
            depth += 1
        elif toks[k].is_punct(")"):
            depth -= 1
            if depth == 0:
                return k
    return end


def _dotted(toks: list[Tok], start: int, end: int) -> tuple[list[str], int]:
    """`[db].[schema].name` -> ['db', 'schema', 'name'] and the index after it."""
    parts: list[str] = []
    k = start
    while k < end and toks[k].kind in (WORD, QUOTED):
        parts.append(toks[k].text)
        k += 1
        if k < end and toks[k].is_punct("."):
            k += 1
            while k < end and toks[k].is_punct("."):
                parts.append("")
                k += 1
            continue
        break
    return parts, k


def _is_assignment(toks: list[Tok], k: int, end: int) -> bool:
    """Token k (a @variable) is followed by `=` or a compound `+=`."""
    nxt = toks[k + 1] if k + 1 < end else None
    if nxt is None:
        return False
    if nxt.is_punct("="):
        return k == 0 or not toks[k - 1].is_punct(".")
    return nxt.text in _ASSIGN_OPERATORS and k + 2 < end and toks[k + 2].is_punct("=")


def _single_row(query: exp.Select) -> bool:
    """An aggregate without GROUP BY always returns exactly one row."""
    return query.args.get("group") is None and all(
        projection.find(exp.AggFunc) is not None for projection in query.expressions
    )


def _mark_recursive_ctes(tree: exp.Expression) -> None:
    """T-SQL CTEs recurse implicitly; Databricks needs WITH RECURSIVE."""
    for with_ in tree.find_all(exp.With):
        for cte in with_.expressions:
            name = cte.alias_or_name.lower()
            if any(
                not table.db and table.name.lower() == name
                for table in cte.this.find_all(exp.Table)
            ):
                with_.set("recursive", True)


def _inline(sql: str) -> str:
    return " ".join(sql.split()) if "'" not in sql else sql


def _set_lines(target: exp.Column, value_sql: str) -> list[str]:
    return f"SET {target.sql('databricks')} = {value_sql};".splitlines()


def _constant_sql(tsql: str, ctx: ObjectContext) -> str | None:
    """A T-SQL constant expression (a parameter default) as Databricks SQL; None
    when it is not one expression. Raises ManualConversion from to_databricks."""
    with quiet_sqlglot():
        try:
            parsed = parse_tsql("SELECT " + tsql)
        except (ParseError, TokenError):
            return None
    select = parsed[0] if len(parsed) == 1 else None
    if not isinstance(select, exp.Select) or len(select.expressions) != 1:
        return None
    return write_databricks(to_databricks(select.expressions[0], ctx, check_writable=False))


def _quoted(name: str) -> str:
    return exp.to_identifier(name, quoted=True).sql(_DATABRICKS)


def _signal(message: str) -> str:
    text = exp.Literal.string(message).sql(_DATABRICKS)
    return f"SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = {text};"


def _type_text(toks: list[Tok]) -> str:
    """`[nvarchar](50)` -> nvarchar(50), `[dbo].[Flag]` -> dbo.Flag."""
    text = ""
    for k, tok in enumerate(toks):
        words = (WORD, QUOTED)
        if k and tok.kind in words and toks[k - 1].kind in words:
            text += " "
        text += tok.text
    return text


# -- the header -------------------------------------------------------------------------


@dataclass
class _Header:
    params: list[Parameter]
    body_start: int
    notes: list[tuple[str, str, int]]  # (level, text, token index)


def _parse_header(toks: list[Tok], text: str) -> _Header:
    """Name, parameters and options of `CREATE [OR ALTER] PROC[EDURE]`."""
    found = next(
        ((j, after) for j in range(len(toks)) if (after := _after_create_procedure(toks, j))),
        None,
    )
    if found is None:
        raise _SyntaxProblem("no CREATE PROCEDURE in the definition", 0)
    start, k = found
    notes: list[tuple[str, str, int]] = []
    if start > 0:
        notes.append(
            (
                "info",
                "statements before CREATE PROCEDURE dropped (CREATE OR REPLACE covers them)",
                0,
            )
        )
    _, k = _dotted(toks, k, len(toks))
    if k < len(toks) and toks[k].is_punct(";") and k + 1 < len(toks) and toks[k + 1].kind == NUMBER:
        k += 2
    wrapped = k < len(toks) and toks[k].is_punct("(")
    if wrapped:
        k += 1
    params: list[Parameter] = []
    while k < len(toks) and toks[k].kind == VARIABLE:
        param, k, param_notes = _parse_parameter(toks, text, k)
        params.append(param)
        notes += param_notes
        if k < len(toks) and toks[k].is_punct(","):
            k += 1
    if wrapped:
        if not (k < len(toks) and toks[k].is_punct(")")):
            raise _SyntaxProblem(
                "the parameter list is not closed", toks[min(k, len(toks) - 1)].start
            )
        k += 1
    if k < len(toks) and toks[k].is_word("WITH"):
        k += 1
        while k < len(toks) and not toks[k].is_word("AS", "FOR"):
            option_start = k
            depth = 0
            while k < len(toks) and not (
                depth == 0 and (toks[k].is_punct(",") or toks[k].is_word("AS", "FOR"))
            ):
                if (
                    toks[k].is_word("EXECUTE", "EXEC")
                    and k + 1 < len(toks)
                    and toks[k + 1].is_word("AS")
                ):
                    k += 2
                    continue
                k += 1
            option = " ".join(t.up or t.text for t in toks[option_start:k])
            if option in ("EXECUTE AS CALLER", "EXEC AS CALLER", "RECOMPILE"):
                notes.append(
                    ("info", f"WITH {option} dropped (SQL SECURITY INVOKER)", option_start)
                )
            elif option in ("NATIVE_COMPILATION", "SCHEMABINDING"):
                notes.append(
                    ("manual", f"WITH {option}: a natively compiled procedure", option_start)
                )
            else:
                notes.append(
                    (
                        "warning",
                        f"WITH {option} dropped: the procedure runs with the caller's "
                        "rights (SQL SECURITY INVOKER)",
                        option_start,
                    )
                )
            if k < len(toks) and toks[k].is_punct(","):
                k += 1
    if (
        k < len(toks)
        and toks[k].is_word("FOR")
        and k + 1 < len(toks)
        and toks[k + 1].is_word("REPLICATION")
    ):
        notes.append(("info", "FOR REPLICATION dropped", k))
        k += 2
    if not (k < len(toks) and toks[k].is_word("AS")):
        raise _SyntaxProblem(
            "expected AS before the procedure body", toks[min(k, len(toks) - 1)].start
        )
    return _Header(params, k + 1, notes)


def _after_create_procedure(toks: list[Tok], j: int) -> int | None:
    """Index after `CREATE|ALTER [OR ALTER] PROC[EDURE]` starting at j, else None."""
    words = [tok.up if tok.kind == WORD else "" for tok in toks[j : j + 4]]
    if words[:1] not in (["CREATE"], ["ALTER"]):
        return None
    if words[1:2] in (["PROC"], ["PROCEDURE"]):
        return j + 2
    if words[1:3] == ["OR", "ALTER"] and words[3:4] in (["PROC"], ["PROCEDURE"]):
        return j + 4
    return None


def _parse_parameter(
    toks: list[Tok], text: str, k: int
) -> tuple[Parameter, int, list[tuple[str, str, int]]]:
    notes: list[tuple[str, str, int]] = []
    start = k
    name = toks[k].text[1:]
    k += 1
    if k < len(toks) and toks[k].is_word("AS"):
        k += 1
    type_start = k
    k = _top_level_stop(
        toks,
        k,
        ("=", ","),
        ("OUT", "OUTPUT", "READONLY", "VARYING", "NULL", "WITH", "AS", "FOR"),
    )
    type_text = _type_text(toks[type_start:k])
    default = None
    output = False
    while (
        k < len(toks)
        and toks[k].is_word("VARYING", "NULL", "OUT", "OUTPUT", "READONLY")
        or (k < len(toks) and toks[k].is_punct("="))
    ):
        if toks[k].is_punct("="):
            value_start = k + 1
            k = _top_level_stop(
                toks, value_start, (",",), ("OUT", "OUTPUT", "READONLY", "WITH", "AS", "FOR")
            )
            if k == value_start:
                notes.append(("manual", f"parameter @{name} has = without a default", start))
            else:
                default = text[toks[value_start].start : toks[k - 1].end + 1]
            continue
        if toks[k].is_word("OUT", "OUTPUT"):
            output = True
        elif toks[k].is_word("READONLY", "VARYING"):
            notes.append(
                ("manual", f"parameter @{name} is a {toks[k].up} table or cursor parameter", k)
            )
        k += 1
    return Parameter(name, "", type_text, default, output, toks[start].start), k, notes


def _top_level_stop(
    toks: list[Tok], k: int, puncts: tuple[str, ...], words: tuple[str, ...]
) -> int:
    """From `k`, the index of the first token outside parentheses that is one of
    `puncts` or `words`, or of the `)` that closes an enclosing list."""
    depth = 0
    while k < len(toks):
        tok = toks[k]
        if tok.is_punct("("):
            depth += 1
        elif tok.is_punct(")"):
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and ((tok.kind == "PUNCT" and tok.text in puncts) or tok.is_word(*words)):
            break
        k += 1
    return k


def _callee_signature(definition: str) -> tuple[list[Parameter], bool] | None:
    """The parameters of a called procedure and whether it returns a value (so
    that its conversion has the OUT parameter return_status); None when the
    definition cannot be read."""
    try:
        toks = tokenize(definition, Dialect.TSQL).tokens
        header = _parse_header(toks, definition)
        return header.params, _returns_value(toks[header.body_start :])
    except (_SyntaxProblem, TokenError):
        return None


def _returns_value(toks: list[Tok]) -> bool:
    """Some `RETURN` of the body has a value."""
    splitter = _Splitter(toks)
    return any(
        tok.is_word("RETURN")
        and k + 1 < len(toks)
        and not toks[k + 1].is_punct(";")
        and not toks[k + 1].is_word("END")
        and not splitter.starts_statement(k + 1)
        for k, tok in enumerate(toks)
    )


# -- entry point -------------------------------------------------------------------------


def convert_tsql_procedure(ctx: ObjectContext) -> str:
    """`CREATE OR REPLACE PROCEDURE ... LANGUAGE SQL ... AS BEGIN ... END` for one
    T-SQL procedure, or ManualConversion with the statements that do not map."""
    definition = ctx.obj.definition or ""
    lines = LineIndex(definition)
    try:
        toks = tokenize(definition, Dialect.TSQL).tokens
    except TokenError as error:
        reason = f"the definition cannot be tokenized (an unterminated string or comment?): {error}"
        raise ManualConversion([manual(reason, line=1, rule="parse")]) from error
    try:
        header = _parse_header(toks, definition)
        body_toks = toks[header.body_start :]
        splitter = _Splitter(body_toks)
        statements, end = splitter.statements(0, ())
        if end < len(body_toks):
            raise _SyntaxProblem("unexpected END", body_toks[end].start)
        has_return_value = _returns_value(body_toks)
    except _SyntaxProblem as problem:
        raise ManualConversion(
            [
                manual(
                    f"the procedure body could not be split into statements: {problem}",
                    line=lines.line(problem.offset),
                    rule="parse",
                )
            ]
        ) from problem
    reasons = []
    for param in header.params:
        line = lines.line(param.offset)
        if not param.tsql_type:
            reasons.append(manual(f"parameter @{param.name} has no type", line=line, rule="header"))
        mapped = databricks_type(
            param.tsql_type or "nvarchar(max)", ctx, column=f"@{param.name}", line=line
        )
        param.type_sql = mapped.sql(_DATABRICKS)
    _, _, target_name = ctx.target_name_parts(ctx.obj.schema_name, ctx.obj.name)
    converter = _Converter(
        ctx=ctx,
        text=definition,
        toks=body_toks,
        lines=lines,
        proc_name=target_name,
        params={p.name.lower(): p for p in header.params},
        reasons=reasons,
    )
    for level, text, k in header.notes:
        line = lines.line(toks[k].start)
        if level == "manual":
            converter.reasons.append(manual(text, line=line, rule="header"))
        elif level == "warning":
            ctx.warn(text, line=line, rule="header")
        else:
            ctx.info(text, line=line, rule="header")
    converter.collect(statements, leading=True)
    converter.has_return_value = has_return_value
    body = converter.emit_list(statements, 2, tail=True)
    sql = _assemble(ctx, converter, header.params, body)
    if converter.reasons:
        raise ManualConversion(converter.reasons, partial_sql=sql)
    return sql


def _assemble(
    ctx: ObjectContext, converter: _Converter, params: list[Parameter], body: list[str]
) -> str:
    parameters: list[str] = []
    for param in params:
        mode = "INOUT" if param.output else "IN"
        text = f"{mode} {_quoted(param.name)} {param.type_sql}"
        if param.default is not None:
            default = converter.default_sql(param)
            if default is not None:
                text += f" DEFAULT {default}"
        parameters.append(text)
    if converter.has_return_value:
        parameters.append(f"OUT {_quoted(RETURN_STATUS)} INT")
        converter.ctx.warn(
            "RETURN values are passed back in the OUT parameter return_status",
            rule="return",
        )
    name = target_table(ctx, ctx.obj.schema_name, ctx.obj.name).sql(_DATABRICKS)
    comment = exp.Literal.string(
        f"Converted from T-SQL {ctx.obj.schema_name}.{ctx.obj.name} by lakebridge-dagster"
    ).sql(_DATABRICKS)
    declarations: list[str] = []
    pad = INDENT * 2
    for key in sorted(converter.local_copies):
        param = converter.params[key]
        declarations.append(
            f"{pad}DECLARE {_quoted(param.name)} {param.type_sql} DEFAULT "
            f"{converter.reference_outer(param.name)};"
        )
    for key, variable in converter.variables.items():
        text = f"{pad}DECLARE {_quoted(variable.name)} {variable.type_sql}"
        if key in converter.leading_defaults:
            text += f" DEFAULT {_inline(converter.leading_defaults[key])}"
        declarations.append(text + ";")
    if converter.has_return_value:
        declarations.append(f"{pad}SET {_quoted(RETURN_STATUS)} = 0;")
    header = [
        f"CREATE OR REPLACE PROCEDURE {name}({', '.join(parameters)})",
        "LANGUAGE SQL",
        "SQL SECURITY INVOKER",
        f"COMMENT {comment}",
        "AS BEGIN",
        f"{INDENT}{BODY}: BEGIN",
    ]
    return "\n".join([*header, *declarations, *body, f"{INDENT}END {BODY};", "END"])
