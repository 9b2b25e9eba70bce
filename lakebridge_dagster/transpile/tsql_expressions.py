"""T-SQL expressions and statements -> Databricks SQL, as sqlglot transforms.

`to_databricks` runs one small rule per T-SQL construct over a parsed
statement, then remaps table names. Each rule is a function
(node, _Rewrite) -> node applied to every node of the tree; sqlglot's own
T-SQL -> Databricks generation does the rest, and the tests pin what it
already gets right. A rule that changes meaning warns on the context; a
construct with no Databricks equivalent is collected as a MANUAL reason and
raised once per statement with the best-effort SQL.

Statements should be parsed with `parse_tsql` (the T-SQL dialect plus
compound assignment, `SET @x += 1`, which stock sqlglot cannot parse).
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from sqlglot import Dialect, exp
from sqlglot.errors import ErrorLevel, SqlglotError, UnsupportedError
from sqlglot.tokens import Token, TokenType

from lakebridge_dagster.catalog.model import ObjectType
from lakebridge_dagster.transpile.context import ManualConversion, ObjectContext, manual
from lakebridge_dagster.transpile.model import Message
from lakebridge_dagster.transpile.names import remap_tables
from lakebridge_dagster.transpile.tsql_xml import (
    NodesSchema,
    node_steps,
    nodes_value,
    value_steps,
    xml_exist,
    xml_value,
    xml_value_at,
    xquery_to_xpath,
)
from lakebridge_dagster.transpile.types import databricks_type

# Function names that exist in T-SQL but not in Databricks, or exist there with
# another meaning (isnull(x) is a 1-argument predicate, len() counts trailing
# spaces). None may appear as a call in converted output; `tsql_only_calls`
# finds them. Not listed because Databricks has them with the T-SQL meaning:
# charindex (= locate), getdate (= current_timestamp), dateadd, datediff(unit,
# a, b) (valid, though its count differs: see datediff_boundaries), datepart.
TSQL_ONLY_BUILTINS: frozenset[str] = frozenset(
    {
        "APP_NAME",
        "BINARY_CHECKSUM",
        "CHECKSUM",
        "CHOOSE",
        "COL_LENGTH",
        "COLUMNPROPERTY",
        "CONVERT",
        "DATABASEPROPERTYEX",
        "DATALENGTH",
        "DATEDIFF_BIG",
        "DATEFROMPARTS",
        "DATENAME",
        "DATETIMEFROMPARTS",
        "DB_ID",
        "DB_NAME",
        "EOMONTH",
        "ERROR_LINE",
        "ERROR_MESSAGE",
        "ERROR_NUMBER",
        "ERROR_PROCEDURE",
        "ERROR_SEVERITY",
        "ERROR_STATE",
        "FORMATMESSAGE",
        "GETUTCDATE",
        "HASHBYTES",
        "HOST_NAME",
        "IDENT_CURRENT",
        "IIF",
        "ISDATE",
        "ISJSON",
        "ISNULL",
        "ISNUMERIC",
        "JSON_MODIFY",
        "JSON_QUERY",
        "JSON_VALUE",
        "LEN",
        "NEWID",
        "NEWSEQUENTIALID",
        "OBJECT_ID",
        "OBJECT_NAME",
        "OBJECTPROPERTY",
        "OPENDATASOURCE",
        "OPENJSON",
        "OPENQUERY",
        "OPENROWSET",
        "OPENXML",
        "PARSE",
        "PATINDEX",
        "QUOTENAME",
        "RAISERROR",
        "REPLICATE",
        "SCHEMA_NAME",
        "SCOPE_IDENTITY",
        "SERVERPROPERTY",
        "SQUARE",
        "STR",
        "STRING_SPLIT",
        "STUFF",
        "SUSER_NAME",
        "SUSER_SNAME",
        "SWITCHOFFSET",
        "SYSDATETIME",
        "SYSDATETIMEOFFSET",
        "SYSUTCDATETIME",
        "TODATETIMEOFFSET",
        "TRY_CONVERT",
        "TRY_PARSE",
        "USER_NAME",
        "XACT_STATE",
    }
)


# ---------------------------------------------------------------- parsing

_TSQL = Dialect.get_or_raise("tsql")
# one instance: get_or_raise("databricks") builds a new Dialect on every .sql() call
_DATABRICKS = Dialect.get_or_raise("databricks")

_COMPOUND_OPERATORS: dict[TokenType, type[exp.Binary]] = {
    TokenType.PLUS: exp.Add,
    TokenType.DASH: exp.Sub,
    TokenType.STAR: exp.Mul,
    TokenType.SLASH: exp.Div,
    TokenType.MOD: exp.Mod,
}

# sqlglot reads `real` as FLOAT, like `float` (8 bytes). A `real` token is handed to
# the parser as this type token instead, which the T-SQL tokenizer never produces and
# the parser treats exactly like FLOAT; the type it yields becomes FLOAT(24).
REAL_STAND_IN = TokenType.UDOUBLE

_VARIABLE_NAME = re.compile(r"[^\W\d][\w@$#]*")


@dataclass
class _TokenEdits:
    """What `_edit_tokens` changed in the token list, for `_restore` to carry over
    to the parsed tree (keys are character offsets in the batch)."""

    # end of the token before a compound operator -> (operator, its token index)
    compound: dict[int, tuple[type[exp.Binary], int]] = field(default_factory=dict)
    # start of a variable's name -> the `@` before it (the name is handed over as a
    # quoted identifier, which the parser gives a position, unlike a plain name)
    variables: dict[int, Token] = field(default_factory=dict)
    # end of an `@` token -> the token, for the outer `@` of `@@name`
    at_signs: dict[int, Token] = field(default_factory=dict)
    # start of a quoted `[real]` handed over as REAL_STAND_IN
    quoted_reals: set[int] = field(default_factory=set)
    real_types: bool = False


def parse_tsql(sql: str) -> list[exp.Expression]:
    """Every statement of a T-SQL batch, parsed with sqlglot's T-SQL dialect plus:

    - compound assignment in SET and UPDATE (also MERGE's UPDATE SET): `SET @x += 1`,
      `UPDATE t SET c *= 2` (`+=`, `-=`, `*=`, `/=`, `%=`), expanded to
      `x = x + v` (`x = x * (v)` when v is an operation);
    - option lists, `SET ANSI_NULLS, QUOTED_IDENTIFIER ON` ->
      `(ANSI_NULLS, QUOTED_IDENTIFIER) = ON`;
    - `real` read as FLOAT(24), distinct from `float` (8 bytes);
    - the position (line, col, offsets) of every `@x` / `@@x` (Parameter), which
      stock sqlglot does not record.

    The token list is edited before parsing and the tree fixed after it; sqlglot's
    own classes are used as they are (they may be compiled, see sqlglot[c])."""
    tokens = _TSQL.tokenize(sql)
    merge = {
        index
        for index in range(1, len(tokens) - 1)
        if tokens[index].token_type in _COMPOUND_OPERATORS
        and tokens[index + 1].token_type == TokenType.EQ
        and tokens[index + 1].start == tokens[index].end + 1
    }
    while True:
        edited, edits = _edit_tokens(tokens, merge)
        statements = [statement for statement in _TSQL.parser().parse(edited, sql) if statement]
        unused = _expand_compound_assignments(statements, edits)
        if not unused:
            break
        # `+=` outside an assignment (SELECT @x += 1, the old `*=` outer join) is not
        # T-SQL sqlglot reads: parse it unmerged, as stock sqlglot would
        merge -= unused
    _restore(statements, edits)
    _datename_as_datepart(statements, edited)
    return statements


# DATENAME units that name a number, as DATEPART spells them (month and weekday
# name a month or a day, which sqlglot writes as date_format 'MMMM' / 'EEEE').
_DATENAME_NUMBERS = {
    **dict.fromkeys(("year", "yy", "yyyy"), "YEAR"),
    **dict.fromkeys(("quarter", "qq", "q"), "QUARTER"),
    **dict.fromkeys(("dayofyear", "dy", "y"), "DAYOFYEAR"),
    **dict.fromkeys(("day", "dd", "d"), "DAY"),
    **dict.fromkeys(("week", "wk", "ww"), "WEEK"),
    **dict.fromkeys(("hour", "hh"), "HOUR"),
    **dict.fromkeys(("minute", "mi", "n"), "MINUTE"),
    **dict.fromkeys(("second", "ss", "s"), "SECOND"),
    **dict.fromkeys(("millisecond", "ms"), "MILLISECOND"),
    **dict.fromkeys(("iso_week", "isowk", "isoww"), "WEEKISO"),
}


def _datename_as_datepart(statements: list[exp.Expression], tokens: list[Token]) -> None:
    """DATENAME(unit, d) of a numeric unit is the text of DATEPART(unit, d).
    sqlglot reads it as a date format and loses the unit (yy becomes a 2-digit
    year, y the year instead of the day of the year, quarter and week are no
    pattern at all): the unit is read back from the tokens and the call becomes
    CAST(DATEPART(unit, d) AS nvarchar(max)), which the rules convert."""
    at = {token.start: index for index, token in enumerate(tokens)}
    for statement in statements:
        for node in list(statement.find_all(exp.TimeToStr)):
            index = at.get(node.meta.get("start", -1))
            if index is None or index + 2 >= len(tokens):
                continue
            if tokens[index].text.upper() != "DATENAME" or tokens[index + 1].text != "(":
                continue
            part = _DATENAME_NUMBERS.get(tokens[index + 2].text.lower())
            if part is not None:
                extract = exp.Extract(this=exp.var(part), expression=node.this.copy())
                text = exp.DataType.build("NVARCHAR(MAX)", dialect="tsql")
                node.replace(exp.Cast(this=extract, to=text))


def _edit_tokens(tokens: list[Token], merge: set[int]) -> tuple[list[Token], _TokenEdits]:
    """The tokens as the stock T-SQL parser should see them (see `parse_tsql`):
    the compound operators at `merge` indexes become `=`, the name after `@` a
    quoted identifier, `real` the REAL_STAND_IN type, and option lists are
    parenthesised, `SET (A, B) ON`."""
    edits = _TokenEdits()
    edited: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token.token_type
        if index in merge:
            equals = tokens[index + 1]
            edits.compound[tokens[index - 1].end] = (_COMPOUND_OPERATORS[kind], index)
            edited.append(
                Token(
                    TokenType.EQ,
                    "=",
                    line=equals.line,
                    col=equals.col,
                    start=token.start,
                    end=equals.end,
                    comments=token.comments + equals.comments,
                )
            )
            index += 2
            continue
        if kind == TokenType.PARAMETER:
            edits.at_signs[token.end] = token
            name = tokens[index + 1] if index + 1 < len(tokens) else None
            if name and name.start == token.end + 1 and _is_bare_name(name):
                edits.variables[name.start] = token
                edited += [token, _retyped(name, TokenType.IDENTIFIER)]
                index += 2
                continue
        elif token.text.upper() == "REAL" and kind in (TokenType.FLOAT, TokenType.IDENTIFIER):
            if kind == TokenType.IDENTIFIER:
                edits.quoted_reals.add(token.start)
            edits.real_types = True
            token = _retyped(token, REAL_STAND_IN)
        elif kind == TokenType.SET:
            options = _option_list_length(tokens, index + 1)
            if options:
                first, last = tokens[index + 1], tokens[index + options]
                edited += [
                    token,
                    _retyped(first, TokenType.L_PAREN, "(", end=first.start),
                    *tokens[index + 1 : index + options + 1],
                    _retyped(last, TokenType.R_PAREN, ")", start=last.end),
                ]
                index += options + 1
                continue
        edited.append(token)
        index += 1
    return edited, edits


def _is_bare_name(token: Token) -> bool:
    """A name as written (a keyword or plain name, not a quoted string or identifier,
    whose text is shorter than its source)."""
    return token.end - token.start + 1 == len(token.text) and bool(
        _VARIABLE_NAME.fullmatch(token.text)
    )


def _retyped(
    token: Token,
    kind: TokenType,
    text: str | None = None,
    *,
    start: int | None = None,
    end: int | None = None,
) -> Token:
    return Token(
        kind,
        token.text if text is None else text,
        line=token.line,
        col=token.col,
        start=token.start if start is None else start,
        end=token.end if end is None else end,
        comments=token.comments,
    )


def _option_list_length(tokens: list[Token], first: int) -> int:
    """How many tokens `A, B, ...` of an option list `SET A, B ON|OFF` start at
    `first` (0: none; a single option is stock sqlglot's `SET A ON`)."""
    index = first
    while index < len(tokens) and tokens[index].token_type == TokenType.VAR:
        if index + 1 < len(tokens) and tokens[index + 1].token_type == TokenType.COMMA:
            index += 2
            continue
        if index > first and index + 1 < len(tokens):
            if tokens[index + 1].text.upper() in ("ON", "OFF"):
                return index - first + 1
        return 0
    return 0


def _expand_compound_assignments(statements: list[exp.Expression], edits: _TokenEdits) -> set[int]:
    """Expand each `x = v` that was `x += v` into `x = x + v` (v parenthesised when
    it is an operation). Returns the token indexes of the compound operators that
    did not end up as an assignment of SET or UPDATE SET."""
    if not edits.compound:
        return set()
    pending = dict(edits.compound)
    assignments = [
        node
        for statement in statements
        for node in statement.find_all(exp.EQ)
        if (isinstance(node.parent, exp.SetItem) and node.arg_key == "this")
        or (isinstance(node.parent, exp.Update) and node.arg_key == "expressions")
    ]
    for assignment in assignments:
        target = assignment.this
        ends = [node.meta["end"] for node in target.walk() if "end" in node.meta]
        if not ends or max(ends) not in pending:
            continue
        operator, _ = pending.pop(max(ends))
        value = assignment.expression
        if isinstance(value, exp.Binary):
            value = exp.paren(value, copy=False)
        assignment.set("expression", operator(this=target.copy(), expression=value))
    return {index for _, index in pending.values()}


def _restore(statements: list[exp.Expression], edits: _TokenEdits) -> None:
    """Carry `_edit_tokens`' changes over to the tree: variable names become
    plain again and their Parameter gets the position of its `@`; a `[real]`
    identifier is quoted again; the REAL_STAND_IN type becomes FLOAT(24)."""
    if not (edits.variables or edits.real_types):
        return
    for statement in statements:
        parameters = []
        for node in statement.walk():
            if isinstance(node, exp.Identifier) and "start" in node.meta:
                start = node.meta["start"]
                if start in edits.variables:
                    node.set("quoted", False)
                elif start in edits.quoted_reals:
                    node.set("quoted", True)
            elif isinstance(node, exp.Parameter):
                parameters.append(node)
            elif isinstance(node, exp.DataType) and node.this == exp.DataType.Type.UDOUBLE:
                node.set("this", exp.DataType.Type.FLOAT)
                if not node.expressions:
                    node.set("expressions", [exp.DataTypeParam(this=exp.Literal.number(24))])
        for parameter in reversed(parameters):  # inner `@x` of `@@x` first
            _place_parameter(parameter, edits)


def _place_parameter(parameter: exp.Parameter, edits: _TokenEdits) -> None:
    name = parameter.this
    at_sign = None
    if isinstance(name, exp.Identifier) and name.meta.get("start") in edits.variables:
        at_sign = edits.variables[name.meta["start"]]
        parameter.set("this", exp.var(name.name))  # as stock sqlglot reads `@x`
    elif isinstance(name, exp.Parameter) and "start" in name.meta:
        at_sign = edits.at_signs.get(name.meta["start"] - 1)
    if at_sign is not None:
        parameter.update_positions(at_sign)


# ---------------------------------------------------------------- helpers for the converters

# SET options whose ON/OFF value only matters to SQL Server's session, or whose
# Databricks behaviour is already the ON one (NULL comparisons, padding, errors).
_SESSION_OPTIONS = frozenset(
    {
        "ANSI_NULLS",
        "ANSI_NULL_DFLT_ON",
        "ANSI_PADDING",
        "ANSI_WARNINGS",
        "ARITHABORT",
        "CONCAT_NULL_YIELDS_NULL",
        "NOCOUNT",
        "NUMERIC_ROUNDABORT",
        "QUOTED_IDENTIFIER",
        "XACT_ABORT",
    }
)


def is_use_statement(statement: exp.Expression) -> bool:
    """`USE db`: the target catalog and schema come from the options, so the
    caller drops the statement."""
    return isinstance(statement, exp.Use)


def is_session_option(statement: exp.Expression) -> bool:
    """`SET NOCOUNT ON`, `SET ANSI_NULLS, QUOTED_IDENTIFIER ON`, `SET XACT_ABORT ON`
    and the like: session settings with no Databricks counterpart, droppable."""
    if not isinstance(statement, exp.Set) or not statement.expressions:
        return False
    for item in statement.expressions:
        assignment = item.this if isinstance(item, exp.SetItem) else None
        if not isinstance(assignment, exp.EQ):
            return False
        names = [part.name.upper() for part in _flatten_options(assignment.this)]
        if not names or any(name not in _SESSION_OPTIONS for name in names):
            return False
    return True


def _flatten_options(node: exp.Expression) -> list[exp.Expression]:
    if isinstance(node, exp.Tuple):
        return list(node.expressions)
    if isinstance(node, exp.Column | exp.Identifier | exp.Var):
        return [node]
    return []


def temp_table_name(name: str, ctx: ObjectContext) -> str:
    """The Databricks name of a `#temp` / `##temp` table or `@table` variable of
    the object being converted: `tmp_<object>_<name>` (`..._global_..` for
    `##`, `..._var_..` for `@`), so it cannot collide with a real table and is
    the same in every statement of the object. Recorded in `ctx.local_names`
    so table remapping leaves it alone."""
    if name.startswith("##"):
        kind, bare = "global_", name[2:]
    elif name.startswith("#"):
        kind, bare = "", name[1:]
    elif name.startswith("@"):
        kind, bare = "var_", name[1:]
    else:
        kind, bare = "", name
    target = re.sub(r"\W+", "_", f"tmp_{ctx.obj.name}_{kind}{bare}").lower()
    ctx.local_names.add(target)
    return target


def tsql_only_calls(databricks_sql: str) -> list[str]:
    """Calls of `TSQL_ONLY_BUILTINS` in Databricks SQL text: a bare name (not
    `schema.name`) followed by `(`. Read with the Databricks tokenizer, so
    names inside strings and comments do not count."""
    tokens = _DATABRICKS.tokenize(databricks_sql)
    found = []
    for index, token in enumerate(tokens[:-1]):
        if tokens[index + 1].token_type != TokenType.L_PAREN:
            continue
        if index > 0 and tokens[index - 1].token_type == TokenType.DOT:
            continue
        if token.token_type == TokenType.STRING or token.text.upper() not in TSQL_ONLY_BUILTINS:
            continue
        found.append(token.text.upper())
    return found


def declared_variable_types(statements: list[exp.Expression]) -> dict[str, str]:
    """Variable name (without `@`) -> declared T-SQL type, from the DECLARE
    statements among `statements`."""
    types = {}
    for statement in statements:
        for item in statement.find_all(exp.DeclareItem):
            kind = item.args.get("kind")
            if not isinstance(kind, exp.DataType):
                continue
            for variable in item.this if isinstance(item.this, list) else [item.this]:
                types[variable.name.lower()] = kind.sql(_TSQL)
    return types


# ---------------------------------------------------------------- the rewrite


def _unqualified_variable(name: str) -> exp.Expression:
    return exp.column(exp.to_identifier(name))


@dataclass
class _Rewrite:
    """What every rule gets: the object context, how to spell a variable, the
    declared types of variables, and the MANUAL reasons found so far."""

    ctx: ObjectContext
    variable_reference: Callable[[str], exp.Expression] = _unqualified_variable
    variable_types: Mapping[str, str] = field(default_factory=dict)
    reasons: list[Message] = field(default_factory=list)

    def manual(self, text: str, node: exp.Expression, rule: str) -> None:
        if all(reason.text != text for reason in self.reasons):
            self.reasons.append(manual(text, line=_line(node), rule=rule))

    def warn(self, text: str, node: exp.Expression, rule: str) -> None:
        self.ctx.warn(text, line=_line(node), rule=rule)


# A rule returns every node that is not an instance of the node types it is
# listed with in RULES unchanged, with no side effect.
Rule = Callable[[exp.Expression, _Rewrite], exp.Expression]


def to_databricks(
    expression: exp.Expression,
    ctx: ObjectContext,
    *,
    variable_reference: Callable[[str], exp.Expression] | None = None,
    variable_types: Mapping[str, str] | None = None,
    check_writable: bool = True,
) -> exp.Expression:
    """Rewrite one parsed T-SQL statement (or expression) so that
    `.sql("databricks")` is Databricks SQL with the same meaning. Rewrites that
    lose or change something record a warning on `ctx`; constructs with no
    Databricks equivalent raise `ManualConversion` (all of the statement's
    reasons at once, with the best-effort SQL).

    `variable_reference(name)` spells a reference to the T-SQL variable `@name`
    (default: the bare identifier `name`); the procedure converter passes one
    that qualifies it with the declaring label or the procedure name.
    `variable_types` maps variable names (without `@`, any case) to their
    declared T-SQL types, see `declared_variable_types`; it decides whether
    `@a + @b` concatenates strings.

    `check_writable=False` skips generating the result once to find what sqlglot
    cannot write for Databricks: for callers that write it (or a tree holding
    it) with `write_databricks`, which finds the same."""
    _check_complete(expression)
    rewrite = _Rewrite(
        ctx=ctx,
        variable_reference=variable_reference or _unqualified_variable,
        variable_types={name.lower(): kind for name, kind in (variable_types or {}).items()},
    )
    source = expression
    expression = expression.copy()
    present = {type(node) for node in expression.walk()}
    active = set().union(*map(_rules_acting_on, present))
    for index, (rule, node_types) in enumerate(RULES):
        # a rule returns every node not of its types unchanged: skip the walk
        # when the tree holds none of them (`present` only grows: it may name
        # types a rule removed, never miss one in the tree)
        if index in active:
            expression = _apply(rule, node_types, expression, rewrite, present)
            active.update(*map(_rules_acting_on, present))
    expression = remap_tables(expression, ctx)
    if check_writable:
        _check_writable(expression, rewrite)
    if rewrite.reasons:
        partial = expression.sql(_DATABRICKS).strip() or "\n".join(
            # sqlglot wrote nothing: the T-SQL, commented, is the starting point
            f"-- {line}"
            for line in source.sql("tsql", pretty=True).splitlines()
        )
        raise ManualConversion(rewrite.reasons, partial_sql=partial)
    return expression


def _check_complete(expression: exp.Expression) -> None:
    """MANUAL when a node lacks a part it requires (sqlglot, told to ignore parse
    errors, keeps such nodes: `OR UPDATE(x)` with no left side); no rule or
    generator can write it (the compiled sqlglot generator raises on it)."""
    for node in expression.walk():
        missing = node.error_messages()
        if missing:
            raise ManualConversion(
                [
                    manual(
                        f"sqlglot read this only in part ({missing[0]}): convert it by hand",
                        line=_line(node),
                        rule="parse",
                    )
                ]
            )


def _check_writable(expression: exp.Expression, rewrite: _Rewrite) -> None:
    """What sqlglot itself cannot write for Databricks (an IF block, a query
    option, ...) it would drop with a log line: MANUAL instead, with its
    message."""
    try:
        expression.sql(_DATABRICKS, unsupported_level=ErrorLevel.RAISE)
    except UnsupportedError as error:
        rewrite.manual(_unsupported(error), expression, "unsupported")


def write_databricks(expression: exp.Expression, *, pretty: bool = False, copy: bool = True) -> str:
    """`expression` as Databricks SQL. What sqlglot cannot write for Databricks
    it would drop with a log line: raises ManualConversion instead, with its
    message and the best-effort SQL. `copy=False` lets the generator change
    `expression` (it must not be used again)."""
    try:
        return expression.sql(
            _DATABRICKS, pretty=pretty, copy=copy, unsupported_level=ErrorLevel.RAISE
        )
    except UnsupportedError as error:
        partial = None
        with contextlib.suppress(SqlglotError):
            partial = expression.sql(_DATABRICKS, pretty=pretty)
        raise ManualConversion(
            [manual(_unsupported(error), line=_line(expression), rule="unsupported")],
            partial_sql=partial,
        ) from error


def _unsupported(error: UnsupportedError) -> str:
    problems = "; ".join(dict.fromkeys(str(error).splitlines()))
    return f"sqlglot cannot write this for Databricks ({problems}): convert it by hand"


@functools.cache
def _rules_acting_on(node_type: type[exp.Expression]) -> frozenset[int]:
    """The positions in RULES of the rules that act on nodes of `node_type`."""
    return frozenset(
        index for index, (_, node_types) in enumerate(RULES) if issubclass(node_type, node_types)
    )


def _apply(
    rule: Rule,
    node_types: tuple[type[exp.Expression], ...],
    root: exp.Expression,
    rewrite: _Rewrite,
    seen: set[type[exp.Expression]],
) -> exp.Expression:
    """Apply `rule` to every node of `node_types` once, parents before children,
    descending into what the rule returns (unlike `Expression.transform`, which
    skips the insides of a replaced node: CONVERT(.., CONVERT(..)) needs both).
    Other nodes the rule would return unchanged: it is not called on them.
    Adds to `seen` the type of every node of the result (each is visited: a
    rule changes only the node it is called on and what is under it)."""
    if isinstance(root, node_types):
        root = rule(root, rewrite)
    _apply_below(rule, node_types, root, rewrite, seen)
    return root


def _apply_below(
    rule: Rule,
    node_types: tuple[type[exp.Expression], ...],
    top: exp.Expression,
    rewrite: _Rewrite,
    seen: set[type[exp.Expression]],
) -> None:
    """`_apply` on the nodes under `top`, in sqlglot's compiled depth-first walk.
    The walk looks at a node's children after the rule ran on it, so it follows
    changes made in place; a replaced or removed node is not descended into (its
    replacement is, by the recursive call, even one that wraps the node)."""
    replaced: dict[int, exp.Expression] = {}  # by id; the values keep the ids unique

    def gone(node: exp.Expression) -> bool:
        return id(node) in replaced

    for node in top.dfs(prune=gone):
        seen.add(type(node))
        if node is top or not isinstance(node, node_types):
            continue
        replacement = rule(node, rewrite)
        if replacement is node:
            continue
        replaced[id(node)] = node
        if replacement is None:
            node.pop()
        else:
            node.replace(replacement)
            _apply_below(rule, node_types, replacement, rewrite, seen)


def _line(node: exp.Expression | None, levels: int = 3) -> int | None:
    """The source line of a node: the first line sqlglot recorded in it, else in
    its parent (a data type has none, its column definition has)."""
    if node is None or levels == 0:
        return None
    for descendant in node.walk():
        line = descendant.meta.get("line")
        if line is not None:
            return line
    return _line(node.parent, levels - 1)


# ---------------------------------------------------------------- types of expressions

_STRING_TYPE = re.compile(r"^\s*(n?(var)?char|n?text|sysname|string)\b", re.IGNORECASE)


_NUMBER_TYPE = re.compile(
    r"^\s*(bigint|integer|int|smallint|tinyint|decimal|numeric|money|smallmoney|float|real"
    r"|double|bit)\b",
    re.IGNORECASE,
)


_DATETIME_TYPE = re.compile(
    # not `timestamp`: in T-SQL that is rowversion, binary
    r"^\s*(date|datetime|datetime2|smalldatetime|datetimeoffset)\b",
    re.IGNORECASE,
)


_DATETIME_FUNCTIONS = (exp.CurrentTimestamp, exp.CurrentTimestampLTZ, exp.DateAdd)


_STRING_FUNCTIONS = (
    exp.Concat,
    exp.ConcatWs,
    exp.Upper,
    exp.Lower,
    exp.Trim,
    exp.Substring,
    exp.Left,
    exp.Right,
    exp.Initcap,
    exp.Repeat,
)


_NUMBER_FUNCTIONS = (exp.Length, exp.Count, exp.Sum, exp.Avg, exp.Round, exp.Abs, exp.StrPosition)


def _type_kind(type_name: str | None) -> str | None:
    if not type_name:
        return None
    if _STRING_TYPE.match(type_name):
        return "string"
    if _NUMBER_TYPE.match(type_name):
        return "number"
    if _DATETIME_TYPE.match(type_name):
        return "datetime"
    return None


def _kind(node: exp.Expression, rewrite: _Rewrite) -> str | None:
    """ "string", "number", "datetime" or None (unknown) for a T-SQL expression."""
    if isinstance(node, exp.Paren):
        return _kind(node.this, rewrite)
    if isinstance(node, exp.Literal):
        return "string" if node.is_string else "number"
    if isinstance(node, exp.Convert):
        return _type_kind(node.this.sql(_TSQL))
    if isinstance(node, exp.Cast):
        return _type_kind(node.to.sql(_TSQL))
    if isinstance(node, exp.Column):
        return _type_kind(_column_type(node, rewrite.ctx))
    if isinstance(node, exp.Parameter) and not isinstance(node.this, exp.Parameter):
        return _type_kind(rewrite.variable_types.get(node.name.lower()))
    if isinstance(node, exp.Add):
        kinds = {_kind(node.this, rewrite), _kind(node.expression, rewrite)}
        if kinds == {"string", "number"}:
            return "number"  # numbers outrank strings: T-SQL converts the string and adds
        if "string" in kinds:
            return "string"
        if "datetime" in kinds:
            return "datetime"
        return "number" if kinds == {"number"} else None
    if isinstance(node, exp.Sub | exp.Mul | exp.Div | exp.Mod | exp.Neg):
        return "number"
    if isinstance(node, _DATETIME_FUNCTIONS):
        return "datetime"
    if isinstance(node, _STRING_FUNCTIONS):
        return "string"
    if isinstance(node, _NUMBER_FUNCTIONS):
        return "number"
    if isinstance(node, exp.Coalesce):
        kinds = [_kind(arg, rewrite) for arg in [node.this, *node.expressions]]
        return next((kind for kind in kinds if kind), None)
    return None


_INTEGER_TYPE = re.compile(r"^\s*(bigint|integer|int|smallint|tinyint|bit)\b", re.IGNORECASE)


_INTEGER_FUNCTIONS = (exp.Count, exp.Length, exp.StrPosition, exp.IntDiv)


def _is_integer(node: exp.Expression, rewrite: _Rewrite) -> bool | None:
    """True for an integer-typed T-SQL expression, False for another known
    type, None when unknown."""
    if isinstance(node, exp.Paren):
        return _is_integer(node.this, rewrite)
    if isinstance(node, exp.Neg):
        return _is_integer(node.this, rewrite)
    if isinstance(node, exp.Literal):
        return node.is_int
    if isinstance(node, exp.Add | exp.Sub | exp.Mul | exp.Mod | exp.Div):
        sides = [_is_integer(node.this, rewrite), _is_integer(node.expression, rewrite)]
        if False in sides:
            return False
        return None if None in sides else True
    if isinstance(node, _INTEGER_FUNCTIONS):
        return True
    type_name = _declared_type(node, rewrite)
    if type_name is None:
        return None
    return bool(_INTEGER_TYPE.match(type_name))


def _declared_type(node: exp.Expression, rewrite: _Rewrite) -> str | None:
    if isinstance(node, exp.Column):
        return _column_type(node, rewrite.ctx)
    if isinstance(node, exp.Parameter) and not isinstance(node.this, exp.Parameter):
        return rewrite.variable_types.get(node.name.lower())
    if isinstance(node, exp.Cast | exp.Convert):
        return (node.to if isinstance(node, exp.Cast) else node.this).sql(_TSQL)
    return None


def _column_type(column: exp.Column, ctx: ObjectContext) -> str | None:
    """The source type of a column, resolving its table (or alias) against the
    FROM/JOIN tables of the statement or query it belongs to."""
    scope = column.find_ancestor(exp.Select, exp.Update, exp.Delete)
    if scope is None:
        return _sibling_column_type(column)
    sources: dict[str, exp.Table] = {}
    roots = [scope.args.get("this")] if not isinstance(scope, exp.Select) else []
    roots += [scope.args.get("from_"), *(scope.args.get("joins") or [])]
    for root in roots:
        if root is None:
            continue
        # nested joins `(a JOIN b) JOIN c` hang off tables; derived tables are other scopes
        for table in root.walk(prune=lambda n: isinstance(n, exp.Select | exp.SetOperation)):
            if isinstance(table, exp.Table) and isinstance(table.this, exp.Identifier):
                sources[table.alias_or_name.lower()] = table
    if column.table:
        tables = [sources[column.table.lower()]] if column.table.lower() in sources else []
    else:
        tables = list(sources.values())
    for table in tables:
        found = ctx.column_type(table.name, column.name, table.db or None)
        if found:
            return found
    return None


def _sibling_column_type(column: exp.Column) -> str | None:
    """The type of a column of the CREATE TABLE a computed column or a CHECK
    constraint belongs to."""
    create = column.find_ancestor(exp.Create)
    if create is None or not isinstance(create.this, exp.Schema):
        return None
    for definition in create.this.expressions:
        kind = definition.args.get("kind")
        if (
            isinstance(definition, exp.ColumnDef)
            and definition.name.lower() == column.name.lower()
            and isinstance(kind, exp.DataType)
        ):
            return kind.sql(_TSQL)
    return None


# ---------------------------------------------------------- rules: what has no Databricks form


def unparsed_statements(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """A statement sqlglot could not parse (exp.Command keeps the T-SQL text):
    nothing can be rewritten inside it, so it is MANUAL rather than copied."""
    if isinstance(node, exp.Command):
        words = " ".join(node.sql(_TSQL).split()[:4])
        rewrite.manual(
            f"statement not understood by the T-SQL parser ({words} ...): convert it by hand",
            node,
            "unparsed",
        )
    return node


_SYSTEM_VARIABLE_ADVICE = {
    "ROWCOUNT": "Databricks has no row count of the last statement; count the rows "
    "with a query, or read num_affected_rows from the DML result",
    "ERROR": "Databricks stops on errors instead of setting @@ERROR; use an EXIT "
    "HANDLER FOR SQLEXCEPTION",
    "IDENTITY": "Databricks does not return the generated identity value; select "
    "it back by a natural key",
    "TRANCOUNT": "Databricks procedures have no open-transaction count; each "
    "statement commits on its own",
    "FETCH_STATUS": "Databricks has no cursors; rewrite the loop as FOR row AS query DO",
}


_FUNCTION_ADVICE = {
    "SCOPE_IDENTITY": "Databricks does not return the generated identity value; select "
    "it back by a natural key",
    "IDENT_CURRENT": "Databricks does not expose the current identity value; use max() "
    "of the column",
    "XACT_STATE": "Databricks procedures have no transaction state; each statement "
    "commits on its own",
    "ERROR_NUMBER": "inside an EXIT HANDLER use GET DIAGNOSTICS CONDITION 1 v = "
    "RETURNED_SQLSTATE (SQLSTATE, not a SQL Server error number)",
    "ERROR_SEVERITY": "Databricks errors have no severity",
    "ERROR_STATE": "Databricks errors have no state number; use RETURNED_SQLSTATE",
    "ERROR_LINE": "Databricks handlers do not expose the failing line",
    "ERROR_PROCEDURE": "Databricks handlers do not expose the failing procedure",
    # The procedure converter sees the CATCH block and may map it there.
    "ERROR_MESSAGE": "inside an EXIT HANDLER use GET DIAGNOSTICS CONDITION 1 v = MESSAGE_TEXT",
    "RAISERROR": "use SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = ...",
    "FORMATMESSAGE": "build the text with format_string()",
    "OBJECT_ID": "query information_schema.tables instead",
    "OBJECT_NAME": "query information_schema instead",
    "DB_NAME": "use current_catalog()",
    "HOST_NAME": "Databricks has no client host name",
    "APP_NAME": "Databricks has no client application name",
    "SERVERPROPERTY": "Databricks has no server properties",
    "OPENXML": "load the XML with from_xml() or xpath functions",
    "OPENQUERY": "query the linked source through Lakehouse Federation",
    "OPENROWSET": "read the file with read_files()",
    "OPENDATASOURCE": "query the source through Lakehouse Federation",
}


def system_functions(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """`@@ROWCOUNT`, `@@ERROR`, `SCOPE_IDENTITY()`, `XACT_STATE()`,
    `ERROR_NUMBER()`, ... have no Databricks counterpart: MANUAL, naming the
    function and what to use instead."""
    if isinstance(node, exp.Parameter) and isinstance(node.this, exp.Parameter):
        name = node.this.name.upper()
        advice = _SYSTEM_VARIABLE_ADVICE.get(name, "Databricks has no such session value")
        rewrite.manual(f"@@{name}: {advice}", node, "system_function")
    elif isinstance(node, exp.Func) and _function_name(node) in _FUNCTION_ADVICE:
        name = _function_name(node)
        rewrite.manual(f"{name}(): {_FUNCTION_ADVICE[name]}", node, "system_function")
    return node


def _function_name(node: exp.Func) -> str:
    # sqlglot parses some T-SQL functions into typed nodes (OBJECT_ID -> exp.ObjectId)
    return node.name.upper() if isinstance(node, exp.Anonymous) else node.sql_name()


def sequences(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """`NEXT VALUE FOR seq`: Databricks has no sequences. The usual replacement
    is an identity column on the table the value goes into, a table-level
    decision the converter cannot make from one expression: MANUAL."""
    if isinstance(node, exp.NextValueFor):
        rewrite.manual(
            f"NEXT VALUE FOR {node.this.sql('tsql')}: Databricks has no sequences; make the "
            "target column BIGINT GENERATED BY DEFAULT AS IDENTITY and drop the default, "
            "or compute max(id) + row_number() when inserting",
            node,
            "sequence",
        )
    return node


def dml_top(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """DELETE TOP (n) / UPDATE TOP (n): Databricks DML takes no row limit (and
    sqlglot misreads DELETE TOP as a table named TOP): MANUAL."""
    if isinstance(node, exp.Delete) and any(
        isinstance(table, exp.Table) and table.name.upper() == "TOP"
        for table in node.args.get("tables") or []
    ):
        rewrite.manual(
            "DELETE TOP (n): Databricks DELETE has no row limit; delete the rows whose key "
            "is IN (SELECT key ... LIMIT n)",
            node,
            "dml_top",
        )
    return node


def output_clause(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """INSERT/UPDATE/DELETE/MERGE ... OUTPUT: sqlglot writes RETURNING, which
    Databricks DML does not have: MANUAL."""
    if isinstance(node, exp.Insert | exp.Update | exp.Delete | exp.Merge) and node.args.get(
        "returning"
    ):
        rewrite.manual(
            "OUTPUT clause: Databricks DML returns no rows; read the changed rows with a "
            "query (or the Delta change data feed) before or after the statement",
            node,
            "output",
        )
    return node


_FOR_JSON_ROW_OPTIONS = {"PATH", "WITHOUT_ARRAY_WRAPPER", "INCLUDE_NULL_VALUES"}


def for_json_row(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """`(SELECT a, b AS x FOR JSON PATH[, WITHOUT_ARRAY_WRAPPER][,
    INCLUDE_NULL_VALUES])` without FROM is one row as a JSON document ->
    to_json(named_struct('a', a, 'x', b)) (in an array unless
    WITHOUT_ARRAY_WRAPPER; null fields kept only with INCLUDE_NULL_VALUES, as
    in T-SQL). Queries with FROM, ROOT or dotted names stay MANUAL
    (`for_json_xml`)."""
    query = node.this if isinstance(node, exp.Subquery) else node
    clause = query.args.get("for_") if isinstance(query, exp.Select) else None
    if not isinstance(clause, exp.ForClause) or query.args.get("from_"):
        return node
    options = {option.name.upper() for option in clause.expressions}
    if str(clause.args.get("kind")).upper() != "JSON" or not options <= _FOR_JSON_ROW_OPTIONS:
        return node
    names = [projection.alias_or_name for projection in query.expressions]
    if any(not name or "." in name for name in names):
        return node
    fields: list[exp.Expression] = []
    for name, projection in zip(names, query.expressions, strict=True):
        fields += [exp.Literal.string(name), projection.unalias().copy()]
    document: exp.Expression = _fn("named_struct", *fields)
    if "WITHOUT_ARRAY_WRAPPER" not in options:
        document = _fn("array", document)
    arguments = [document]
    if "INCLUDE_NULL_VALUES" in options:
        ignore_nulls = [exp.Literal.string("ignoreNullFields"), exp.Literal.string("false")]
        arguments.append(_fn("map", *ignore_nulls))
    rewrite.warn(
        "FOR JSON -> to_json(): dates and timestamps are written in Databricks' ISO format "
        "(with a time zone offset)",
        node,
        "for_json",
    )
    converted = _fn("to_json", *arguments)
    if isinstance(node, exp.Subquery):
        return converted
    return exp.select(exp.alias_(converted, "json"))


def for_json_xml(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """SELECT ... FOR JSON / FOR XML: sqlglot drops the clause when generating
    Databricks SQL, which would silently return rows instead of one document.
    MANUAL, with the Databricks way to build the document."""
    if isinstance(node, exp.ForClause):
        kind = node.args.get("kind")
        kind_name = (kind.name if isinstance(kind, exp.Expression) else str(kind)).upper()
        advice = {
            "JSON": "to_json(collect_list(named_struct(...))) over the query",
            "XML": "array_join(collect_list(...), '') for the FOR XML PATH('') string "
            "aggregation idiom, to_xml() otherwise",
        }.get(kind_name, "build the document with to_json()/to_xml()")
        rewrite.manual(f"FOR {kind_name}: use {advice}", node.parent, "for_json_xml")
    return node


def query_options(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """OPTION (RECOMPILE), OPTION (MAXDOP n), ...: SQL Server optimiser hints,
    dropped (sqlglot does not write them for Databricks), with a note."""
    if isinstance(node, exp.Select) and node.args.get("options"):
        hints = ", ".join(option.sql(_TSQL) for option in node.args["options"])
        rewrite.ctx.info(f"query hint OPTION ({hints}) dropped", line=_line(node), rule="hint")
        node.set("options", None)
    return node


_XML_METHODS = frozenset({"value", "query", "exist", "nodes", "modify"})


def xml_methods(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """`col.value('(path)[1]', 'type')` and `col.exist('path')` over a plain
    location path -> xpath_string/xpath_boolean on the STRING column (see
    tsql_xml). Other XQuery, `.query()`, `.nodes()` shredding and `.modify()`
    have no Databricks equivalent: MANUAL."""
    if (
        isinstance(node, exp.Dot)
        and isinstance(node.expression, exp.Anonymous)
        and node.expression.name.lower() in _XML_METHODS
    ):
        converted = _xpath_call(node, rewrite)
        if converted is not None:
            _say_xpath(node, rewrite)
            return converted
        rewrite.manual(
            f"XML method .{node.expression.name}() on {node.this.sql('tsql')}: rewrite the "
            "XQuery with xpath_string()/from_xml() on the STRING column",
            node,
            "xml_method",
        )
    return node


def xml_nodes(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """`CROSS/OUTER APPLY doc.nodes(path) AS T(ref)` and the `T.ref.value()` reads.

    - `path` is the document's root element (`/Root`): one node per document,
      so no shredding is needed. The join goes; with CROSS APPLY its filter (a
      NULL document, or another root element, gives no row) becomes
      `xpath_boolean(doc, '/Root')` in WHERE. OUTER APPLY keeps every row: with
      no root node each `.value()` is NULL, as the absolute paths find nothing.
      `T.ref.value('rel[1]', type)` reads `/Root/rel` of the document.
    - `path` is below the root (`/Root/a/b`): several rows per document. The
      join becomes `LATERAL VIEW [OUTER] explode(<nodes>) T AS ref`, where the
      nodes come from `from_xml` with a schema of just the element paths read
      from them (see tsql_xml.NodesSchema), and each `T.ref.value('(x/y)[1]',
      type)` reads the row's struct. LATERAL VIEW follows every join, so only
      APPLYs at the end of the FROM move; and only when every use of `T` is a
      `.value()` over element steps.
    Anything else is left to xml_methods (MANUAL with its reason)."""
    if not isinstance(node, exp.Select):
        return node
    roots: dict[tuple[str, str], tuple[exp.Expression, str]] = {}
    shredded: list[tuple[exp.Join, exp.Lateral, NodesSchema, list[tuple[exp.Dot, list[str]]]]] = []
    for join in list(node.args.get("joins") or []):
        applied = _nodes_apply(join)
        if applied is None:
            continue
        lateral, document, xquery, alias, ref = applied
        path = xquery_to_xpath(xquery, first=False)
        if path is not None and path.count("/") == 1 and path.startswith("/*[local-name()"):
            roots[(alias.lower(), ref.lower())] = (document, path)
            join.pop()
            if lateral.args.get("cross_apply"):
                found = exp.Anonymous(
                    this="xpath_boolean", expressions=[document.copy(), exp.Literal.string(path)]
                )
                node.where(found, copy=False)
            continue
        steps = node_steps(xquery)
        reads = _row_reads(node, alias, ref) if steps is not None else None
        if steps is None or reads is None:
            shredded.append((join, lateral, NodesSchema(steps=[]), []))  # not movable
            continue
        schema = NodesSchema(steps=steps)
        paths = [value_steps(read.expression.expressions[0].name) for read in reads]
        if reads and all(path is not None and schema.add(path) for path in paths):
            shredded.append((join, lateral, schema, list(zip(reads, paths, strict=True))))
        else:
            shredded.append((join, lateral, NodesSchema(steps=[]), []))
    _read_root_nodes(node, roots, rewrite)
    _shred_trailing_nodes(node, shredded, rewrite)
    return node


def _nodes_apply(join: exp.Join) -> tuple[exp.Lateral, exp.Expression, str, str, str] | None:
    """(lateral, document, XQuery, alias, row column) of `CROSS/OUTER APPLY
    doc.nodes('...') AS alias(column)`; None for any other join."""
    lateral = join.this
    # cross_apply: True for CROSS APPLY, False for OUTER APPLY, None for LATERAL
    if not isinstance(lateral, exp.Lateral) or lateral.args.get("cross_apply") is None:
        return None
    call, alias = lateral.this, lateral.args.get("alias")
    if not (
        isinstance(call, exp.Dot)
        and isinstance(call.expression, exp.Anonymous)
        and call.expression.name.lower() == "nodes"
        and len(call.expression.expressions) == 1
        and _is_text(call.expression.expressions[0])
        and isinstance(alias, exp.TableAlias)
        and len(alias.columns) == 1
    ):
        return None
    xquery = call.expression.expressions[0].name
    return lateral, call.this, xquery, alias.name, alias.columns[0].name


def _row_reads(select: exp.Select, alias: str, ref: str) -> list[exp.Dot] | None:
    """The `alias.ref.value('...', 'type')` calls in `select`; None when `alias`
    is used any other way (`.exist()`, a nested `.nodes()`, the bare column)."""
    reads = []
    for dot in select.find_all(exp.Dot):
        owner = dot.this
        if not (
            isinstance(owner, exp.Identifier | exp.Column) and owner.name.lower() == alias.lower()
        ):
            continue
        call = dot.parent
        if not (
            dot.expression.name.lower() == ref.lower()
            and isinstance(call, exp.Dot)
            and call.this is dot
            and isinstance(call.expression, exp.Anonymous)
            and call.expression.name.lower() == "value"
            and len(call.expression.expressions) == 2
            and all(_is_text(arg) for arg in call.expression.expressions)
        ):
            return None
        reads.append(call)
    for column in select.find_all(exp.Column):
        if column.table.lower() == alias.lower():
            return None
    return reads


def _read_root_nodes(
    node: exp.Select, roots: dict[tuple[str, str], tuple[exp.Expression, str]], rewrite: _Rewrite
) -> None:
    if not roots:
        return
    _say_xpath(node, rewrite)
    for dot in list(node.find_all(exp.Dot)):
        method = dot.expression
        owner = dot.this
        if not (
            isinstance(method, exp.Anonymous)
            and method.name.lower() == "value"
            and isinstance(owner, exp.Dot)
            and len(method.expressions) == 2
        ):
            continue
        key = (owner.this.name.lower(), owner.expression.name.lower())
        if key not in roots:
            continue
        document, root = roots[key]
        absolute = xquery_to_xpath(method.expressions[0].name, first=True, context=root)
        if absolute is None:
            continue  # left for xml_methods: MANUAL with its reason
        converted = xml_value_at(document, absolute, method.expressions[1].name, rewrite.ctx)
        dot.replace(converted)


def _shred_trailing_nodes(
    node: exp.Select,
    shredded: list[tuple[exp.Join, exp.Lateral, NodesSchema, list[tuple[exp.Dot, list[str]]]]],
    rewrite: _Rewrite,
) -> None:
    joins = node.args.get("joins") or []
    movable = []
    for join, lateral, schema, reads in reversed(shredded):
        if not reads or not joins or joins[len(joins) - 1 - len(movable)] is not join:
            break
        movable.append((join, lateral, schema, reads))
    if not movable:
        return
    rewrite.warn(
        ".nodes() rows are read with from_xml() (Databricks SQL, Databricks Runtime 14.1+; "
        "Public Preview): elements match by local name without case, and an element read "
        "by .value() that has child elements gives its inner XML where T-SQL gives its text",
        node,
        "xml_method",
    )
    laterals = list(node.args.get("laterals") or [])
    for join, lateral, schema, reads in reversed(movable):
        alias = lateral.args["alias"]
        row = exp.Column(this=alias.columns[0].copy(), table=alias.this.copy())
        for read, path in reads:
            sql_type = read.expression.expressions[1].name
            read.replace(nodes_value(row, path, sql_type, rewrite.ctx))
        join.pop()
        laterals.append(
            exp.Lateral(
                this=exp.Explode(this=schema.nodes(lateral.this.this)),
                view=True,
                outer=not lateral.args.get("cross_apply"),
                alias=exp.TableAlias(this=alias.this.copy(), columns=[alias.columns[0].copy()]),
            )
        )
    node.set("laterals", laterals)


def _is_text(node: exp.Expression) -> bool:
    return node.is_string or isinstance(node, exp.National)


def _say_xpath(node: exp.Expression, rewrite: _Rewrite) -> None:
    """Once per object: every XQuery of it is read the same way."""
    if not any(m.rule == "xml_method" for m in rewrite.ctx.messages):
        rewrite.ctx.info(
            "XQuery read with xpath functions: elements are matched by local name, "
            "namespaces ignored",
            line=_line(node),
            rule="xml_method",
        )


def _xpath_call(node: exp.Dot, rewrite: _Rewrite) -> exp.Expression | None:
    method = node.expression
    args = method.expressions
    if not all(_is_text(arg) for arg in args):
        return None
    if method.name.lower() == "value" and len(args) == 2:
        return xml_value(node.this, args[0].name, args[1].name, rewrite.ctx)
    if method.name.lower() == "exist" and len(args) == 1:
        return xml_exist(node.this, args[0].name)
    return None


def select_assignment(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """`SELECT @a = x, @b = y FROM ...` assigns variables in T-SQL; written as is
    it would be a Databricks query comparing columns. -> SET VARIABLE (a, b) =
    (SELECT x, y FROM ...). With a FROM the edge cases differ (T-SQL keeps the
    last row, or the old values when no row matches; Databricks fails on
    several rows and sets NULL on none): warning."""
    if not isinstance(node, exp.Select) or not node.expressions:
        return node
    targets = [projection.this for projection in node.expressions]
    if not all(
        isinstance(projection, exp.EQ) and isinstance(projection.this, exp.Parameter)
        for projection in node.expressions
    ):
        return node
    query = node.copy()
    query.set("expressions", [projection.expression for projection in query.expressions])
    if query.args.get("from_"):
        rewrite.warn(
            "SELECT @variable = ... FROM -> SET VARIABLE ... = (SELECT ...): fails when the "
            "query returns several rows and sets NULL when it returns none (T-SQL keeps the "
            "last row, or the old values)",
            node,
            "select_assignment",
        )
    target = targets[0] if len(targets) == 1 else exp.Tuple(expressions=targets)
    assignment = exp.EQ(this=target, expression=exp.Subquery(this=query))
    return exp.Set(expressions=[exp.SetItem(this=assignment, kind="VARIABLE")])


def leftover_builtins(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """Any call of a `TSQL_ONLY_BUILTINS` function no rule converted (ISNUMERIC,
    QUOTENAME, STR, HASHBYTES, ...): MANUAL, naming it, rather than output the
    validator would reject."""
    if isinstance(node, exp.Func) and not isinstance(node, exp.Convert):
        name = _function_name(node)
        if name in TSQL_ONLY_BUILTINS and name not in _FUNCTION_ADVICE:
            rewrite.manual(
                f"{name}() has no Databricks equivalent the converter knows: rewrite it",
                node,
                "builtin",
            )
    return node


# ---------------------------------------------------------------- rules: names


def rename_temp_tables(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """`#t`, `##t` and table variables `@t` used as tables -> `tmp_<object>_...`
    (see `temp_table_name`): Databricks has no session-scoped `#` tables, and
    the bare name could collide with a real table."""
    if isinstance(node, exp.Identifier) and (
        node.args.get("temporary") or node.args.get("global_")
    ):
        sigil = "##" if node.args.get("global_") else "#"
        if sigil == "##":
            rewrite.warn(
                f"global temporary table ##{node.name} is visible to other sessions in SQL "
                "Server; it becomes a name private to this object",
                node,
                "temp_table",
            )
        return exp.to_identifier(temp_table_name(sigil + node.name, rewrite.ctx))
    if isinstance(node, exp.Table) and isinstance(node.this, exp.Parameter):
        node.set("this", exp.to_identifier(temp_table_name("@" + node.this.name, rewrite.ctx)))
    return node


def remap_function_calls(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """`dbo.ufnX(...)` (scalar) and `FROM dbo.ufnT(...)` (table-valued) -> the
    function's Databricks name, by the same rules as tables."""
    ctx = rewrite.ctx
    if isinstance(node, exp.Table) and isinstance(node.this, exp.Anonymous):
        name = node.this.name
        if not node.db and ctx.catalog.find(name, object_type=ObjectType.FUNCTION) is None:
            return node
        catalog, schema, target = ctx.target_name_parts(_function_schema(ctx, node.db, name), name)
        call = exp.Anonymous(
            this=exp.to_identifier(target, quoted=True), expressions=node.this.expressions
        )
        # a qualified call keeps the case of its name (sqlglot upper-cases bare calls)
        node.set("this", exp.Dot.build([_quoted(catalog), _quoted(schema), call]))
        node.set("db", None)
        node.set("catalog", None)
        return node
    if not (isinstance(node, exp.Dot) and isinstance(node.expression, exp.Anonymous)):
        return node
    owner = node.this
    if not isinstance(owner, exp.Identifier | exp.Column) or (
        isinstance(owner, exp.Column) and owner.table
    ):
        return node  # column.ref.method(...): an XML method, see xml_methods
    function = node.expression
    if not _is_schema(ctx, owner.name):
        if function.name.lower() not in _XML_METHODS:  # those get their own reason
            rewrite.manual(
                f"{node.sql('tsql')}: a method of a CLR type (geography, hierarchyid, ...) or "
                f"a function in the unknown schema {owner.name}: rewrite it by hand",
                node,
                "method_call",
            )
        return node
    catalog, schema, target = ctx.target_name_parts(
        _function_schema(ctx, owner.name, function.name), function.name
    )
    call = exp.Anonymous(
        this=exp.to_identifier(target, quoted=True), expressions=function.expressions
    )
    return exp.Dot.build([_quoted(catalog), _quoted(schema), call])


def _quoted(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)


def _function_schema(ctx: ObjectContext, schema: str | None, name: str) -> str:
    if schema:
        return schema
    found = ctx.catalog.find(name, object_type=ObjectType.FUNCTION)
    return found.schema_name if found is not None else ctx.obj.schema_name


def _is_schema(ctx: ObjectContext, name: str) -> bool:
    return name.lower() in {"dbo"} | {obj.schema_name.lower() for obj in ctx.catalog.objects}


def variables(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """`@name` -> `variable_reference(name)` (a bare identifier unless the
    procedure converter qualifies it); in a DECLARE the name stays bare, and a
    table variable gets its `temp_table_name`."""
    if not isinstance(node, exp.Parameter) or isinstance(node.this, exp.Parameter):
        return node
    if isinstance(node.parent, exp.DeclareItem):
        if isinstance(node.parent.args.get("kind"), exp.Schema):  # DECLARE @t TABLE (...)
            return exp.to_identifier(temp_table_name("@" + node.name, rewrite.ctx))
        return exp.column(exp.to_identifier(node.name))
    # a copy, in case the hook hands out one node per variable
    return rewrite.variable_reference(node.name).copy()


# ---------------------------------------------------------------- rules: operators

_ISO_BASIC_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})((?:\s|T)\d.*)?$")


def basic_date_literals(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """'19970101' compared with a date column or cast to a date type: SQL
    Server reads the unseparated ISO form as a date, Databricks casts it to
    NULL (a filter silently matches nothing). Rewritten to '1997-01-01'."""
    if not isinstance(node, exp.Literal) or not node.is_string:
        return node
    match = _ISO_BASIC_DATE.match(node.name)
    holder = node.parent
    if not match:
        return node
    if isinstance(holder, exp.Cast | exp.Convert):
        target = holder.to if isinstance(holder, exp.Cast) else holder.this
        if _type_kind(target.sql(_TSQL)) != "datetime" or holder.args.get("style"):
            return node
    elif isinstance(holder, exp.Predicate):
        others = [
            child
            for child in holder.iter_expressions()
            if child is not node and not isinstance(child, exp.Literal)
        ]
        if not any(_kind(other, rewrite) == "datetime" for other in others):
            return node
    else:
        return node
    year, month, day, rest = match.groups()
    return exp.Literal.string(f"{year}-{month}-{day}{rest or ''}")


_BIT_TYPE = re.compile(r"^\s*bit\b", re.IGNORECASE)


def bit_literals(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """bit becomes BOOLEAN, and Databricks does not compare or assign a BOOLEAN
    with 0/1 (`Discontinued = 0` is a type error). 0/1 compared with or
    assigned to a bit column or variable, or the DEFAULT of a bit column or
    variable -> FALSE/TRUE."""
    if not (isinstance(node, exp.Literal) and node.is_int and node.name in ("0", "1")):
        return node
    side: exp.Expression = node
    while isinstance(side.parent, exp.Paren):
        side = side.parent
    holder = side.parent
    if isinstance(holder, exp.EQ | exp.NEQ):
        other = holder.expression if holder.this is side else holder.this
        while isinstance(other, exp.Paren):
            other = other.this
        is_bit = _BIT_TYPE.match(_declared_type(other, rewrite) or "")
    elif isinstance(holder, exp.DefaultColumnConstraint | exp.DeclareItem):
        # the default of a column definition or of a DECLAREd variable
        declaration = (
            holder if isinstance(holder, exp.DeclareItem) else holder.find_ancestor(exp.ColumnDef)
        )
        kind = declaration.args.get("kind") if declaration is not None else None
        is_bit = isinstance(kind, exp.DataType) and kind.this == exp.DataType.Type.BIT
    else:
        return node
    return exp.Boolean(this=node.name == "1") if is_bit else node


def datetime_arithmetic(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """T-SQL datetime + n / datetime - n adds or subtracts n days; Databricks
    rejects TIMESTAMP + INT. With an integer n -> timestampadd(DAY, n, x), which
    keeps the time of day; other numbers (fractions of days) keep the operator
    with a warning."""
    if not isinstance(node, exp.Add | exp.Sub):
        return node
    left, right = node.this, node.expression
    if _kind(left, rewrite) != "datetime" and isinstance(node, exp.Add):
        left, right = right, left
    if _kind(left, rewrite) != "datetime" or _kind(right, rewrite) != "number":
        return node
    if not _is_integer(right, rewrite):
        rewrite.warn(
            f"`{node.sql('tsql')}`: T-SQL adds days to a datetime; Databricks needs "
            "timestampadd() or an INTERVAL",
            node,
            "datetime_arithmetic",
        )
        return node
    simple = isinstance(right, exp.Literal | exp.Column | exp.Paren)
    negated = right if simple else exp.paren(right)
    days = right if isinstance(node, exp.Add) else exp.Neg(this=negated)
    return _fn("timestampadd", exp.var("DAY"), days, left)


_DATE_UNITS = frozenset({"YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "DAYOFYEAR", "WEEKDAY"})
_ON_A_DATE = "lakebridge_dateadd_on_date"  # meta flag: already cast back to DATE


def dateadd_on_dates(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """DATEADD(unit, n, d) returns a date when d is a T-SQL date; Databricks'
    dateadd (timestampadd) returns a TIMESTAMP whatever its operand. When d is
    declared date (a column, a variable, a CAST), the result is cast back to
    DATE, so a view's column keeps its type."""
    if not isinstance(node, exp.DateAdd) or node.meta.get(_ON_A_DATE):
        return node
    declared = _declared_type(node.this, rewrite)
    unit = node.args.get("unit")
    if (declared or "").strip().lower() != "date" or unit is None:
        return node
    if unit.name.upper() not in _DATE_UNITS:
        return node
    inner = node.copy()  # the wrapper must not hold `node`, which the caller replaces
    inner.meta[_ON_A_DATE] = True
    return exp.Cast(this=inner, to=exp.DataType.build("DATE"))


def string_concatenation(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """T-SQL `a + b` on strings -> concat(a, b) (both return NULL when an
    argument is NULL, so not concat_ws). A side is a string when it is a string
    literal, a CAST/CONVERT to a char type, a char column (its table resolved
    through the statement's FROM/JOINs), a string variable or a string
    function. Numbers keep `+`; unknown operands keep `+` with a warning
    (datetime + number is `datetime_arithmetic`'s)."""
    if not isinstance(node, exp.Add):
        return node
    kind = _kind(node, rewrite)
    if kind == "string":
        return exp.Concat(expressions=_concat_operands(node, rewrite))
    parent = node.parent
    while isinstance(parent, exp.Paren):
        parent = parent.parent
    if kind in ("number", "datetime") or isinstance(parent, exp.Add):
        return node
    rewrite.warn(
        f"`{node.sql('tsql')}`: could not tell whether this adds numbers or concatenates "
        "strings; kept `+` (use concat() if they are strings)",
        node,
        "concat",
    )
    return node


def _concat_operands(node: exp.Expression, rewrite: _Rewrite) -> list[exp.Expression]:
    inner = node.this if isinstance(node, exp.Paren) else node
    if isinstance(inner, exp.Add) and _kind(inner, rewrite) != "number":
        return [
            *_concat_operands(inner.this, rewrite),
            *_concat_operands(inner.expression, rewrite),
        ]
    return [node]


def integer_division(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """T-SQL int / int truncates (7 / 2 = 3); Databricks `/` always returns a
    fraction (3.5). Integer operands -> `a DIV b` (also truncating toward
    zero); a known non-integer side keeps `/`; unknown operands keep `/` with a
    warning."""
    if not isinstance(node, exp.Div):
        return node
    sides = [_is_integer(node.this, rewrite), _is_integer(node.expression, rewrite)]
    if sides == [True, True]:
        return exp.IntDiv(this=node.this, expression=node.expression)
    if False not in sides:
        rewrite.warn(
            f"`{node.sql('tsql')}`: if both sides are integers T-SQL truncates the result, "
            "Databricks does not (use DIV)",
            node,
            "division",
        )
    return node


def like_pattern_to_regex(
    pattern: str, *, anchor_start: bool = True, anchor_end: bool = True
) -> str:
    """A T-SQL LIKE pattern (`%`, `_`, `[a-c]`, `[^0-9]`) as a Java regular
    expression, for Databricks regexp_like()/regexp_instr()."""
    parts = ["(?s)", "^" if anchor_start else ""]
    index = 0
    while index < len(pattern):
        char = pattern[index]
        closing = pattern.find("]", index + 2) if char == "[" else -1
        if char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        elif closing != -1:
            negated = pattern[index + 1] == "^"
            members = pattern[index + 2 if negated else index + 1 : closing]
            escaped = "".join("\\" + c if c in "\\[]^&" else c for c in members)
            parts.append(f"[{'^' if negated else ''}{escaped}]")
            index = closing
        else:
            parts.append("\\" + char if char in _REGEX_SPECIAL else char)
        index += 1
    parts.append("$" if anchor_end else "")
    return "".join(parts)


def like_character_classes(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """`x LIKE '[A-C]%'`: T-SQL LIKE has character classes, Databricks LIKE does
    not (it would look for a literal '['). -> regexp_like(x, '^[A-C].*$')."""
    if not isinstance(node, exp.Like) or isinstance(node.parent, exp.Escape):
        return node
    pattern = node.expression
    if not (isinstance(pattern, exp.Literal) and pattern.is_string and "[" in pattern.name):
        return node
    regex = exp.Literal.string(like_pattern_to_regex(pattern.name))
    matches = exp.RegexpLike(this=node.this, expression=regex)
    return exp.Not(this=matches) if node.args.get("negate") else matches


# ---------------------------------------------------------------- rules: functions


def scalar_functions(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """LEN(x) -> length(rtrim(x)): LEN does not count trailing spaces. T-SQL
    scalar functions sqlglot leaves as they are: USER_NAME()/SUSER_NAME()/
    ORIGINAL_LOGIN() -> current_user(); NEWSEQUENTIALID() -> uuid(); ISJSON(x)
    -> 1/0/NULL from try_parse_json(x); CHOOSE(i, a, b, ...) -> CASE i WHEN 1
    THEN a ... END; DATALENGTH(x) -> octet_length(x) for varchar (bytes),
    length(x) * 2 for nvarchar (UTF-16 bytes), octet_length with a warning when
    the type is unknown."""
    if isinstance(node, exp.Length):
        # T-SQL LEN ignores trailing spaces; Databricks length() counts them
        return _fn("length", _fn("rtrim", node.this))
    if not isinstance(node, exp.Anonymous):
        return node
    name = node.name.upper()
    args = node.expressions
    if name in ("USER_NAME", "SUSER_NAME", "ORIGINAL_LOGIN") and not args:
        return exp.CurrentUser()
    if name == "NEWSEQUENTIALID" and not args:
        rewrite.warn(
            "NEWSEQUENTIALID() -> uuid(): random, not increasing; fine as a key, not to "
            "order rows by",
            node,
            "uuid",
        )
        return exp.Anonymous(this="uuid")
    if name == "ISJSON" and len(args) == 1:
        rewrite.warn(
            "ISJSON(x) -> try_parse_json(x): JSON scalars ('1', '\"a\"') also count as "
            "valid, SQL Server before 2022 accepts only objects and arrays",
            node,
            "isjson",
        )
        valid = exp.Not(this=exp.Is(this=_fn("try_parse_json", args[0]), expression=exp.Null()))
        present = exp.Not(this=exp.Is(this=args[0].copy(), expression=exp.Null()))
        return exp.Case().when(valid, _int(1), copy=False).when(present, _int(0), copy=False)
    if name == "CHOOSE" and len(args) >= 2:
        case = exp.Case(this=args[0].copy())
        for position, value in enumerate(args[1:], start=1):
            case = case.when(_int(position), value.copy(), copy=False)
        return case
    if name == "DATALENGTH" and len(args) == 1:
        value = args[0]
        type_name = _declared_type(value, rewrite) or ""
        if re.match(r"^\s*n(var)?char|^\s*ntext", type_name, re.IGNORECASE):
            return exp.Mul(this=_fn("length", value), expression=_int(2))
        if _type_kind(type_name) != "string":
            rewrite.warn(
                f"DATALENGTH({value.sql('tsql')}) -> octet_length(): the UTF-8 byte count; "
                "SQL Server counts 2 bytes per nvarchar character and the storage size of "
                "other types",
                node,
                "datalength",
            )
        return _fn("octet_length", value)
    return node


def utc_now(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """GETUTCDATE()/SYSUTCDATETIME() return the UTC wall-clock time as a value
    without time zone. Databricks current_timestamp() is an instant shown in the
    session time zone, so the UTC wall clock is
    to_utc_timestamp(current_timestamp(), current_timezone()) (the same value
    when the session time zone is UTC, the Databricks SQL default).
    SYSDATETIMEOFFSET() -> current_timestamp(), the offset is lost."""
    name = node.name.upper() if isinstance(node, exp.Anonymous) else ""
    if name in ("GETUTCDATE", "SYSUTCDATETIME"):
        return exp.Anonymous(
            this="to_utc_timestamp",
            expressions=[exp.CurrentTimestamp(), exp.Anonymous(this="current_timezone")],
        )
    if isinstance(node, exp.CurrentTimestampLTZ):
        rewrite.warn(
            "SYSDATETIMEOFFSET() -> current_timestamp(): Databricks timestamps carry no "
            "offset, the value is the same instant",
            node,
            "utc_now",
        )
        return exp.CurrentTimestamp()
    return node


_DATEDIFF_UNITS = {
    **dict.fromkeys(("YEAR", "YY", "YYYY"), "year"),
    **dict.fromkeys(("QUARTER", "QQ", "Q"), "quarter"),
    **dict.fromkeys(("MONTH", "MM", "M"), "month"),
    **dict.fromkeys(("DAY", "DD", "D", "DAYOFYEAR", "DY", "Y", "WEEKDAY", "DW", "W"), "day"),
    **dict.fromkeys(("WEEK", "WK", "WW"), "week"),
    **dict.fromkeys(("HOUR", "HH"), "HOUR"),
    **dict.fromkeys(("MINUTE", "MI", "N"), "MINUTE"),
    **dict.fromkeys(("SECOND", "SS", "S"), "SECOND"),
    **dict.fromkeys(("MILLISECOND", "MS"), "MILLISECOND"),
    **dict.fromkeys(("MICROSECOND", "MCS"), "MICROSECOND"),
}


def datediff_boundaries(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """T-SQL DATEDIFF(unit, a, b) counts unit boundaries crossed
    (DATEDIFF(year, '2020-12-31', '2021-01-01') = 1); Databricks datediff(unit,
    a, b) counts complete units (0). Rebuilt from calendar parts: days via the
    date-only datediff(end, start) (no DST hours), months/quarters/years from
    year()/month()/quarter(), weeks from the Sundays on or before each date,
    hours and smaller via date_trunc of both ends."""
    if not isinstance(node, exp.DateDiff):
        return node
    unit = (node.unit.name if node.unit else "DAY").upper()
    target = _DATEDIFF_UNITS.get(unit)
    start, end = _unwrap_time(node.expression), _unwrap_time(node.this)
    if target is None:
        rewrite.manual(f"DATEDIFF unit {unit} has no Databricks equivalent", node, "datediff")
        return node
    if target == "day":
        return _fn("datediff", _as_date(end), _as_date(start))
    if target == "year":
        return _part_diff("year", start, end)
    if target in ("month", "quarter"):
        per_year = 12 if target == "month" else 4
        years = exp.Mul(this=exp.paren(_part_diff("year", start, end)), expression=_int(per_year))
        return exp.Add(this=years, expression=_part_diff(target, start, end))
    if target == "week":
        days = _fn("datediff", _sunday_on_or_before(end), _sunday_on_or_before(start))
        return exp.IntDiv(this=days, expression=_int(7))
    if target == "MICROSECOND":
        return _fn("timestampdiff", exp.var(target), start, end)
    return _fn(
        "timestampdiff",
        exp.var(target),
        _fn("date_trunc", exp.Literal.string(target), start),
        _fn("date_trunc", exp.Literal.string(target), end),
    )


def _unwrap_time(node: exp.Expression) -> exp.Expression:
    # sqlglot wraps DATEDIFF arguments in TimeStrToTime (a CAST AS TIMESTAMP)
    return node.this if isinstance(node, exp.TimeStrToTime) else node


def _fn(name: str, *args: exp.Expression) -> exp.Anonymous:
    return exp.Anonymous(this=name, expressions=[arg.copy() for arg in args])


def _int(value: int) -> exp.Literal:
    return exp.Literal.number(value)


def _as_date(node: exp.Expression) -> exp.Expression:
    return exp.cast(node.copy(), exp.DataType.Type.DATE)


def _part_diff(part: str, start: exp.Expression, end: exp.Expression) -> exp.Sub:
    return exp.Sub(this=_fn(part, end), expression=_fn(part, start))


def _sunday_on_or_before(node: exp.Expression) -> exp.Expression:
    # dayofweek() is 1 on Sunday; T-SQL week boundaries are Sundays whatever DATEFIRST says
    back = exp.Sub(this=_fn("dayofweek", node), expression=_int(1))
    return _fn("date_sub", _as_date(node), back)


_FRACTION = "lakebridge_fraction_of_second"  # meta flag: an EXTRACT already converted


def datepart_parts(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """DATEPART (sqlglot's EXTRACT) where Databricks' EXTRACT differs:
    - week counts weeks from the one holding 1 January, starting on Sundays;
      Databricks EXTRACT(WEEK) is the ISO week. -> (dayofyear(d) +
      dayofweek(date_trunc('YEAR', d)) - 2) DIV 7 + 1;
    - iso_week -> EXTRACT(WEEK) (sqlglot writes WEEKISO, which Databricks does
      not know); dayofyear -> dayofyear(d) (no such EXTRACT field);
    - second is a whole number in T-SQL; EXTRACT(SECOND) keeps the fraction
      -> second(d); millisecond and microsecond are the fraction's part only
      -> CAST(EXTRACT(SECOND FROM d) * 1000 AS INT) % 1000 (Databricks has
      no such EXTRACT field)."""
    if not isinstance(node, exp.Extract) or not isinstance(node.this, exp.Var):
        return node
    if node.meta.get(_FRACTION):
        return node  # the EXTRACT inside a millisecond/microsecond conversion
    part = node.this.name.upper()
    if part == "WEEKISO":
        return exp.Extract(this=exp.var("WEEK"), expression=node.expression)
    if part == "DAYOFYEAR":
        return _fn("dayofyear", node.expression)
    if part == "SECOND":
        return _fn("second", node.expression)
    if part in ("MILLISECOND", "MICROSECOND"):
        seconds = exp.Extract(this=exp.var("SECOND"), expression=node.expression.copy())
        seconds.meta[_FRACTION] = True  # with its fraction: not second(d)
        unit = 1000 if part == "MILLISECOND" else 1_000_000
        scaled = exp.Mul(this=seconds, expression=_int(unit))
        whole = exp.Cast(this=scaled, to=exp.DataType.build("INT"))
        return exp.paren(exp.Mod(this=whole, expression=_int(unit)))
    if part != "WEEK":
        return node
    value = node.expression
    offset = exp.Add(
        this=_fn("dayofyear", value),
        expression=_fn("dayofweek", _fn("date_trunc", exp.Literal.string("YEAR"), value)),
    )
    weeks = exp.IntDiv(this=exp.paren(exp.Sub(this=offset, expression=_int(2))), expression=_int(7))
    return exp.paren(exp.Add(this=weeks, expression=_int(1)))


# CONVERT styles -> Databricks datetime patterns (date <-> string).
CONVERT_STYLES: dict[int, str] = {
    1: "MM/dd/yy",
    101: "MM/dd/yyyy",
    2: "yy.MM.dd",
    102: "yyyy.MM.dd",
    3: "dd/MM/yy",
    103: "dd/MM/yyyy",
    4: "dd.MM.yy",
    104: "dd.MM.yyyy",
    5: "dd-MM-yy",
    105: "dd-MM-yyyy",
    6: "dd MMM yy",
    106: "dd MMM yyyy",
    7: "MMM dd, yy",
    107: "MMM dd, yyyy",
    8: "HH:mm:ss",
    108: "HH:mm:ss",
    10: "MM-dd-yy",
    110: "MM-dd-yyyy",
    11: "yy/MM/dd",
    111: "yyyy/MM/dd",
    12: "yyMMdd",
    112: "yyyyMMdd",
    20: "yyyy-MM-dd HH:mm:ss",
    120: "yyyy-MM-dd HH:mm:ss",
    21: "yyyy-MM-dd HH:mm:ss.SSS",
    121: "yyyy-MM-dd HH:mm:ss.SSS",
    23: "yyyy-MM-dd",
    24: "HH:mm:ss",
    126: "yyyy-MM-dd'T'HH:mm:ss.SSS",
}


def convert_function(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """CONVERT(type, x) -> CAST (sqlglot emits TRY_CAST, which turns errors into
    NULLs); TRY_CONVERT -> TRY_CAST. With a style: date -> string via
    date_format() and string -> date via to_timestamp()/to_date() with the
    style's pattern (`CONVERT_STYLES`), cut to the target length as T-SQL does
    (CONVERT(varchar(10), d, 120) is the date only). Other styles: warning."""
    if not isinstance(node, exp.Convert):
        return node
    to: exp.DataType = node.this
    value: exp.Expression = node.expression
    safe = bool(node.args.get("safe"))
    style = node.args.get("style")
    cast = exp.TryCast if safe else exp.Cast
    if style is None:
        return cast(this=value, to=to)
    code = int(style.name) if isinstance(style, exp.Literal) and style.is_int else None
    target_kind = _type_kind(to.sql(_TSQL))
    pattern = CONVERT_STYLES.get(code) if code is not None else None
    if code in (0, 100) or target_kind not in ("string", "datetime"):
        if code not in (0, 100):
            rewrite.warn(
                f"CONVERT style {style.sql('tsql')} to {to.sql('tsql')} is not converted; "
                "plain CAST used",
                node,
                "convert_style",
            )
        return cast(this=value, to=to)
    if pattern is None or (target_kind == "string" and _kind(value, rewrite) == "number"):
        rewrite.warn(
            f"CONVERT style {style.sql('tsql')} has no Databricks pattern here; plain CAST "
            "used, check the format",
            node,
            "convert_style",
        )
        return cast(this=value, to=to)
    if target_kind == "string":
        formatted = _fn("date_format", value, exp.Literal.string(pattern))
        length = _type_length(to)
        if length is not None and length < len(pattern.replace("'", "")):
            return exp.Substring(this=formatted, start=_int(1), length=_int(length))
        return formatted
    # string -> date: T-SQL accepts 1-digit days and months where separators
    # delimit them (not in the unseparated yyyyMMdd), and ISO text whatever the
    # style (AdventureWorks' vJobCandidateEducation reads '1994-06-15' with 101):
    # the style's pattern first, then the ISO forms a plain cast reads
    # (try_to_date is Databricks Runtime 17.2+ only: dates go through try_to_timestamp)
    lenient = pattern if pattern.isalpha() else pattern.replace("dd", "d").replace("MM", "M")
    styled: exp.Expression = _fn("try_to_timestamp", value, exp.Literal.string(lenient))
    if to.this == exp.DataType.Type.DATE:
        styled = exp.Cast(this=styled, to=exp.DataType.build("DATE"))
        iso = (
            exp.TryCast(this=value.copy(), to=exp.DataType.build("DATE"))
            if safe
            else _fn("to_date", value)
        )
    else:
        iso = _fn("try_to_timestamp" if safe else "to_timestamp", value)
    return exp.Coalesce(this=styled, expressions=[iso])


def _type_length(data_type: exp.DataType) -> int | None:
    params = data_type.expressions
    if params and isinstance(params[0].this, exp.Literal) and params[0].this.is_int:
        return int(params[0].this.name)
    return None


_CHAR_TYPES = {exp.DataType.Type.CHAR, exp.DataType.Type.NCHAR}


_VARCHAR_TYPES = {exp.DataType.Type.VARCHAR, exp.DataType.Type.NVARCHAR}


def char_casts(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """CAST(x AS varchar(n)) cuts x to n characters in T-SQL, CAST(x AS char(n))
    also pads it with spaces; a Databricks cast to VARCHAR(n)/CHAR(n) is a
    plain STRING cast. -> left(CAST(x AS STRING), n) / rpad(CAST(x AS STRING),
    n, ' ') (rpad both pads and cuts)."""
    if not isinstance(node, exp.Cast) or node.to.this not in _CHAR_TYPES | _VARCHAR_TYPES:
        return node
    length = _type_length(node.to)
    if length is None:
        return node
    text = node.__class__(this=node.this, to=exp.DataType.build("STRING"))
    if node.to.this in _CHAR_TYPES:
        return _fn("rpad", text, _int(length), exp.Literal.string(" "))
    return _fn("left", text, _int(length))


def round_truncate(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """ROUND(x, d, f) with f <> 0 truncates; Databricks round() takes two
    arguments. -> CASE WHEN x >= 0 THEN floor(x, d) ELSE ceil(x, d) END; f = 0
    is a plain round(x, d)."""
    if not isinstance(node, exp.Round) or node.args.get("truncate") is None:
        return node
    truncate = node.args["truncate"]
    decimals = node.args.get("decimals") or _int(0)
    value = node.this
    if isinstance(truncate, exp.Literal) and truncate.is_int and int(truncate.name) == 0:
        return exp.Round(this=value, decimals=decimals)
    if not isinstance(truncate, exp.Literal):
        rewrite.manual(
            f"ROUND with a computed function argument {truncate.sql('tsql')}", node, "round"
        )
        return node
    positive = exp.GTE(this=value.copy(), expression=_int(0))
    return (
        exp.Case()
        .when(positive, _fn("floor", value, decimals), copy=False)
        .else_(_fn("ceil", value, decimals), copy=False)
    )


_DOTNET_NUMBER_FORMAT = re.compile(r"^([NnFf])(\d*)$")


def format_number(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """FORMAT(x, 'N2') / FORMAT(x, 'F2'): .NET standard formats, which sqlglot
    passes to format_number() as a Java pattern ('N2' would print 'N2').
    N<d> -> format_number(x, d) (group separators), F<d> -> format_number(x,
    '0.00') (none). Other standard formats (C, P, E, X, ...) and cultures:
    MANUAL; custom patterns ('#,##0.00') are Java patterns already."""
    if not isinstance(node, exp.NumberToStr):
        return node
    pattern = node.args.get("format")
    if node.args.get("culture") is not None:
        rewrite.manual(
            f"FORMAT with culture {node.args['culture'].sql('tsql')}: Databricks formats "
            "numbers in en-US only",
            node,
            "format",
        )
        return node
    if not isinstance(pattern, exp.Literal) or not pattern.is_string:
        return node
    match = _DOTNET_NUMBER_FORMAT.match(pattern.name)
    if match is None:
        if len(pattern.name) <= 3 and pattern.name[:1].isalpha():
            rewrite.manual(
                f"FORMAT(..., '{pattern.name}'): .NET standard format with no Databricks "
                "equivalent; use format_number()/format_string()",
                node,
                "format",
            )
        return node
    kind, digits = match.group(1).upper(), int(match.group(2) or 2)
    if kind == "N":
        return _fn("format_number", node.this, _int(digits))
    fixed = "0." + "0" * digits if digits else "0"
    return _fn("format_number", node.this, exp.Literal.string(fixed))


def substring_start(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """T-SQL SUBSTRING(s, start, n) counts n from `start` even when it is 0 or
    negative (SUBSTRING('abc', 0, 2) is 'a'); Databricks reads a start below 1
    as 1. Unless the start is surely 1 or more (a positive number, or a
    CHARINDEX/PATINDEX plus one), -> substring(s, greatest(start, 1),
    start + n - greatest(start, 1)), constant-folded for literals."""
    if not isinstance(node, exp.Substring) or node.args.get("length") is None:
        return node
    start, length = node.args["start"], node.args["length"]
    if _at_least_one(start):
        return node
    if start.is_int and length.is_int:
        count = max(0, start.to_py() + length.to_py() - 1)
        return exp.Substring(this=node.this, start=_int(1), length=_int(count))
    first = exp.Greatest(this=start.copy(), expressions=[_int(1)])
    count = exp.Sub(
        this=exp.Add(this=start.copy(), expression=length.copy()), expression=first.copy()
    )
    return exp.Substring(this=node.this, start=first, length=count)


def _at_least_one(start: exp.Expression) -> bool:
    if start.is_int:
        return start.to_py() >= 1
    if isinstance(start, exp.Add) and start.expression.is_int and start.expression.to_py() >= 1:
        return isinstance(start.this, exp.StrPosition) or _at_least_one(start.this)
    return False


def stuff(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """STUFF(s, start, n, r) -> overlay(s PLACING r FROM start FOR n), NULL (as in
    T-SQL) when start is outside s or n is negative, where overlay would
    append or fail."""
    if not isinstance(node, exp.Stuff):
        return node
    text, start, length = node.this, node.args["start"], node.args["length"]
    inside = exp.and_(
        exp.GTE(this=start.copy(), expression=_int(1)),
        exp.LTE(this=start.copy(), expression=_fn("length", text)),
        exp.GTE(this=length.copy(), expression=_int(0)),
        copy=False,
    )
    overlay = exp.Overlay(
        this=text.copy(), expression=node.expression.copy(), from_=start.copy(), for_=length.copy()
    )
    return exp.Case().when(inside, overlay, copy=False)


def patindex(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """PATINDEX('%pattern%', s) -> regexp_instr(s, <pattern as a regex>): both
    give the 1-based position of the first match, 0 when there is none. A
    pattern that is not a literal: MANUAL."""
    if not (isinstance(node, exp.Anonymous) and node.name.upper() == "PATINDEX"):
        return node
    pattern, text = (node.expressions + [exp.null(), exp.null()])[:2]
    if len(node.expressions) != 2 or not (isinstance(pattern, exp.Literal) and pattern.is_string):
        rewrite.manual("PATINDEX with a computed pattern: use regexp_instr()", node, "patindex")
        return node
    body = pattern.name
    leading, trailing = body.startswith("%"), body.endswith("%") and len(body) > 1
    body = body[1 if leading else 0 : -1 if trailing else None]
    regex = like_pattern_to_regex(body, anchor_start=not leading, anchor_end=not trailing)
    return _fn("regexp_instr", text, exp.Literal.string(regex))


# ---------------------------------------------------------------- rules: queries and table sources


def recursive_ctes(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """A CTE that reads itself is recursive without a keyword in T-SQL;
    Databricks needs WITH RECURSIVE."""
    if isinstance(node, exp.With) and not node.args.get("recursive"):
        for cte in node.expressions:
            name = cte.alias_or_name.lower()
            if any(table.name.lower() == name for table in cte.this.find_all(exp.Table)):
                node.set("recursive", True)
    return node


_REGEX_SPECIAL = set(r"\.[]{}()<>*+-=!?^$|")


def string_split(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """STRING_SPLIT(s, sep) as a table source (FROM or CROSS/OUTER APPLY) ->
    explode(split(s, <sep as a regex>)) AS alias(value): Databricks split()
    takes a regular expression, so the separator is escaped. The ordinal
    argument (SQL Server 2022) is MANUAL."""
    call = node.this if isinstance(node, exp.Table | exp.Lateral) else None
    if not isinstance(call, exp.Anonymous) or call.name.upper() != "STRING_SPLIT":
        return node
    if len(call.expressions) not in (2, 3):
        rewrite.manual("STRING_SPLIT takes a string and a separator", node, "string_split")
        return node
    text, separator, *ordinal = call.expressions
    if ordinal:
        rewrite.manual(
            "STRING_SPLIT with enable_ordinal: use posexplode(split(...)) and add 1",
            node,
            "string_split",
        )
        return node
    if isinstance(separator, exp.Literal) and separator.is_string:
        pattern: exp.Expression = exp.Literal.string(
            "".join("\\" + ch if ch in _REGEX_SPECIAL else ch for ch in separator.name)
        )
    else:
        pattern = _fn("concat", exp.Literal.string("\\Q"), separator, exp.Literal.string("\\E"))
    outer = isinstance(node, exp.Lateral) and node.args.get("cross_apply") is False
    exploded = _fn("explode_outer" if outer else "explode", _fn("split", text, pattern))
    alias = node.args.get("alias")
    alias_name = alias.name if alias is not None and alias.name else "string_split"
    node.set("this", exploded)
    node.set("alias", exp.TableAlias(this=exp.to_identifier(alias_name), columns=["value"]))
    return node


def openjson(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """OPENJSON(j [, path]) WITH (col type ['$.p'] [AS JSON], ...) in FROM ->
    a derived table over explode(from_json(j, 'ARRAY<STRING>')) with one
    get_json_object() per column, cast to its type. Without a WITH schema
    (key/value/type rows) or under APPLY: MANUAL."""
    call = node.this if isinstance(node, exp.Table | exp.Lateral) else None
    if not isinstance(call, exp.OpenJSON):
        return node
    if isinstance(node, exp.Lateral) or not call.expressions:
        rewrite.manual(
            "OPENJSON without a WITH schema, or under APPLY: explode(from_json(...)) with "
            "an explicit schema",
            node,
            "openjson",
        )
        return node
    document = call.this
    if isinstance(call.args.get("path"), exp.Expression):  # False when absent
        document = _fn("get_json_object", document, call.args["path"])
    rows = exp.Table(
        this=_fn("explode", _fn("from_json", document, exp.Literal.string("ARRAY<STRING>"))),
        alias=exp.TableAlias(this=exp.to_identifier("openjson_rows"), columns=["value"]),
    )
    columns = []
    for column in call.expressions:
        path = column.args.get("path") or exp.Literal.string(f"$.{column.name}")
        value = _fn("get_json_object", exp.column("value"), path)
        if not column.args.get("as_json"):
            value = exp.Cast(this=value, to=column.args["kind"].copy())
        columns.append(exp.alias_(value, column.name))
    alias = node.args.get("alias")
    rewrite.warn(
        "OPENJSON -> from_json(..., 'ARRAY<STRING>'): the document must be a JSON array "
        "(a single object gives no rows)",
        node,
        "openjson",
    )
    return exp.Subquery(
        this=exp.select(*columns).from_(rows),
        alias=alias.copy() if alias is not None else exp.TableAlias(this="openjson"),
    )


def top_percent_with_ties(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """TOP n stays LIMIT n (sqlglot). TOP n PERCENT and TOP n WITH TIES have no
    LIMIT form in Databricks -> QUALIFY on a window over the query's ORDER BY:
    row_number() <= ceil(n * count(*) / 100) for PERCENT (SQL Server rounds
    up), rank() <= n for WITH TIES (both: rank() <= ceil(...))."""
    if not isinstance(node, exp.Select) or not isinstance(node.args.get("limit"), exp.Limit):
        return node
    limit: exp.Limit = node.args["limit"]
    options = limit.args.get("limit_options")
    percent = bool(options and options.args.get("percent"))
    with_ties = bool(options and options.args.get("with_ties"))
    if not (percent or with_ties):
        return node
    bound_value = limit.expression
    if (
        percent
        and not with_ties
        and isinstance(bound_value, exp.Literal)
        and bound_value.name == "100"
    ):
        # TOP 100 PERCENT (old views' way to allow ORDER BY): all rows
        node.set("limit", None)
        return node
    if node.args.get("distinct") or node.args.get("qualify"):
        rewrite.manual(
            "TOP ... PERCENT/WITH TIES with DISTINCT or QUALIFY: wrap the query in a "
            "subquery and filter on row_number()/rank()",
            node,
            "top",
        )
        return node
    order = _window_order(node)
    if with_ties and order is None:
        rewrite.manual("TOP WITH TIES without ORDER BY", node, "top")
        return node
    ranking = exp.Anonymous(this="rank" if with_ties else "row_number")
    window = exp.Window(this=ranking, order=order or exp.Order(expressions=[_int(1)]))
    bound: exp.Expression = limit.expression.copy()
    if percent:
        total = exp.Window(this=exp.Count(this=exp.Star()))
        share = exp.Div(this=exp.Mul(this=bound, expression=total), expression=_int(100))
        bound = exp.Ceil(this=share)
    node.set("limit", None)
    node.set("qualify", exp.Qualify(this=exp.LTE(this=window, expression=bound)))
    return node


def _window_order(select: exp.Select) -> exp.Order | None:
    """The query's ORDER BY with select aliases and ordinals replaced by their
    expressions, usable inside a window."""
    order = select.args.get("order")
    if order is None:
        return None
    projections = select.expressions
    aliases = {p.alias.lower(): p.this for p in projections if isinstance(p, exp.Alias)}
    order = order.copy()
    for ordered in order.expressions:
        key = ordered.this
        if isinstance(key, exp.Literal) and key.is_int and 0 < int(key.name) <= len(projections):
            projection = projections[int(key.name) - 1]
            ordered.set("this", projection.unalias().copy())
        elif isinstance(key, exp.Column) and not key.table and key.name.lower() in aliases:
            ordered.set("this", aliases[key.name.lower()].copy())
    return order


def pivot_values(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """PIVOT (... FOR col IN ([2002], [abc])): T-SQL names the values as
    bracketed identifiers, Databricks takes values (a backticked name there is
    a column reference). Numbers become number literals unless `col` is a
    string column; the result columns keep the same names."""
    if not isinstance(node, exp.Pivot) or node.args.get("unpivot"):
        return node
    for field_ in node.args.get("fields") or []:
        if not isinstance(field_, exp.In):
            continue
        strings = _kind(field_.this, rewrite) == "string"
        for value in field_.expressions:
            if not isinstance(value, exp.Column) or value.table:
                continue
            name = value.name
            numeric = re.fullmatch(r"-?\d+(\.\d+)?", name) and not strings
            value.replace(exp.Literal.number(name) if numeric else exp.Literal.string(name))
    return node


def view_schemabinding(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """CREATE VIEW ... WITH SCHEMABINDING: SQL Server's guard against dropping
    the underlying tables has no Databricks form (its WITH SCHEMA BINDING is
    about column changes), so the attribute is dropped with a note."""
    if isinstance(node, exp.ViewAttributeProperty) and node.name.upper() == "SCHEMABINDING":
        rewrite.ctx.info(
            "WITH SCHEMABINDING dropped: Databricks does not stop the underlying tables "
            "from being dropped",
            line=_line(node),
            rule="view_attribute",
        )
        return None  # type: ignore[return-value]
    return node


# ---------------------------------------------------------------- rules: data types


def data_types(node: exp.Expression, rewrite: _Rewrite) -> exp.Expression:
    """A SQL Server type -> the Databricks type `types.databricks_type` gives it,
    the one the table converter and bronze use (datetime -> TIMESTAMP_NTZ,
    money -> DECIMAL(19, 4), float -> DOUBLE, real -> FLOAT, ...), with its
    warnings. Types the rules before this one wrote (STRING, DATE) map to
    themselves."""
    if not isinstance(node, exp.DataType):
        return node
    owner = node.parent
    column = owner.name if isinstance(owner, exp.ColumnDef) else None
    # A type the parser read carries more than its name (`nested`, `expressions`,
    # a user-defined `kind`); one with only its name sqlglot built itself (the
    # DATETIME2 cast around a DATENAME argument): the source has no such type,
    # so there is no loss to warn about.
    built = node.args.keys() == {"this"}
    ctx = replace(rewrite.ctx, messages=[]) if built else rewrite.ctx
    return databricks_type(node, ctx, column=column, line=_line(node))


# ---------------------------------------------------------------- the rules, in order

# Order matters: names and types are read before variables and CONVERT lose
# their T-SQL shape; variables are rewritten last, then table names.
RULES: tuple[tuple[Rule, tuple[type[exp.Expression], ...]], ...] = (
    (unparsed_statements, (exp.Command,)),
    (rename_temp_tables, (exp.Identifier, exp.Table)),
    (system_functions, (exp.Parameter, exp.Func)),
    (sequences, (exp.NextValueFor,)),
    (dml_top, (exp.Delete,)),
    (output_clause, (exp.Insert, exp.Update, exp.Delete, exp.Merge)),
    (recursive_ctes, (exp.With,)),
    (for_json_row, (exp.Subquery, exp.Select)),
    (for_json_xml, (exp.ForClause,)),
    (query_options, (exp.Select,)),
    (xml_nodes, (exp.Select,)),
    (xml_methods, (exp.Dot,)),
    (remap_function_calls, (exp.Table, exp.Dot)),
    (basic_date_literals, (exp.Literal,)),
    (bit_literals, (exp.Literal,)),
    (datetime_arithmetic, (exp.Add, exp.Sub)),
    (dateadd_on_dates, (exp.DateAdd,)),
    (string_concatenation, (exp.Add,)),
    (integer_division, (exp.Div,)),
    (scalar_functions, (exp.Length, exp.Anonymous)),
    (convert_function, (exp.Convert,)),
    (char_casts, (exp.Cast,)),
    (datediff_boundaries, (exp.DateDiff,)),
    (datepart_parts, (exp.Extract,)),
    (round_truncate, (exp.Round,)),
    (format_number, (exp.NumberToStr,)),
    (substring_start, (exp.Substring,)),
    (stuff, (exp.Stuff,)),
    (like_character_classes, (exp.Like,)),
    (patindex, (exp.Anonymous,)),
    (utc_now, (exp.Anonymous, exp.CurrentTimestampLTZ)),
    (string_split, (exp.Table, exp.Lateral)),
    (openjson, (exp.Table, exp.Lateral)),
    (top_percent_with_ties, (exp.Select,)),
    (pivot_values, (exp.Pivot,)),
    (data_types, (exp.DataType,)),
    (view_schemabinding, (exp.ViewAttributeProperty,)),
    (select_assignment, (exp.Select,)),
    (leftover_builtins, (exp.Func,)),
    (variables, (exp.Parameter,)),
)
