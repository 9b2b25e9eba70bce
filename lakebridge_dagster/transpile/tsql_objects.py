"""T-SQL tables, views, functions, triggers and sequences -> Databricks SQL.

Object-level DDL only: expressions inside (defaults, CHECK conditions, view
queries, function bodies) go through `tsql_expressions.to_databricks`, and
column types through `types.databricks_type`.

- TABLE: `CREATE TABLE IF NOT EXISTS ... USING DELTA`, built from sqlglot's
  parse of the CREATE TABLE (or from the catalog's columns when a live catalog
  has no definition). Constraints the catalog read from other batches
  (ALTER TABLE ... ADD, CREATE INDEX) are merged in. Physical storage options
  sqlglot cannot parse are taken out of the token stream first, each with a
  message. Keys become Unity Catalog informational constraints, CHECKs
  enforced Delta constraints, indexes a CLUSTER BY suggestion.
- VIEW: `CREATE OR REPLACE VIEW`.
- FUNCTION: inline table-valued functions and scalar functions made of
  DECLARE / SET / SELECT @v = / IF ... ELSE / RETURN become SQL UDFs (variables
  inlined, IFs folded into CASE); loops, cursors, writes, table variables and
  multi-statement table functions are MANUAL: Databricks functions hold one
  expression or query.
- TRIGGER and SEQUENCE: MANUAL, with what they do and what to use instead.

Every statement of the definition is converted or reported as dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NoReturn

import sqlglot
from sqlglot import Dialect, exp
from sqlglot.errors import ErrorLevel, SqlglotError
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.tokens import Token, TokenType

from lakebridge_dagster.catalog.model import CatalogObject, Column, ObjectType
from lakebridge_dagster.sqlglot_logging import quiet_sqlglot
from lakebridge_dagster.transpile import tsql_expressions
from lakebridge_dagster.transpile.context import ManualConversion, ObjectContext, manual
from lakebridge_dagster.transpile.names import target_table
from lakebridge_dagster.transpile.tsql_expressions import to_databricks, write_databricks
from lakebridge_dagster.transpile.types import databricks_type

_TSQL = Dialect.get_or_raise("tsql")
# one instance: get_or_raise("databricks") builds a new Dialect on every .sql() call
_DATABRICKS = Dialect.get_or_raise("databricks")


def convert_tsql_object(ctx: ObjectContext) -> str:
    """Databricks SQL for one T-SQL object other than a procedure."""
    converters: dict[ObjectType, Callable[[ObjectContext], str]] = {
        ObjectType.TABLE: convert_table,
        ObjectType.VIEW: convert_view,
        ObjectType.FUNCTION: convert_function,
        ObjectType.TRIGGER: convert_trigger,
        ObjectType.SEQUENCE: convert_sequence,
    }
    converter = converters.get(ctx.obj.type)
    if converter is None:
        raise ValueError(f"{ctx.obj.type.value} {ctx.obj.qualified_name} is not an object DDL")
    return converter(ctx)


# ---------------------------------------------------------------- batches


def _tokens(text: str) -> list[Token]:
    """The T-SQL tokens of `text`."""
    return _tokenize_run(text, 0, len(text))


def _tokenize_run(text: str, start: int, stop: int) -> list[Token]:
    """The tokens of `text[start:stop]`, positions and lines as in `text`. sqlglot's
    tokenizer reads whatever follows END up to the next `;` as one raw string
    (`END RETURN 0` -> END, 'RETURN 0'); that run is tokenized again."""
    lines_before = text.count("\n", 0, start)
    tokens: list[Token] = []
    for token in _TSQL.tokenize(text[start:stop]):
        after_end = bool(tokens) and tokens[-1].token_type == TokenType.END
        if after_end and token.token_type == TokenType.STRING and token.text:
            tokens.extend(_tokenize_run(text, tokens[-1].end + 1, start + token.end + 1))
            continue
        if start == 0:  # positions and lines are already those in `text`
            tokens.append(token)
            continue
        tokens.append(
            Token(
                token.token_type,
                token.text,
                line=token.line + lines_before,
                col=token.col,
                start=token.start + start,
                end=token.end + start,
                comments=token.comments,
            )
        )
    return tokens


def _parse(tokens: list[Token], text: str) -> list[exp.Expression]:
    """The statements of `tokens` (a ParseError propagates: the pipeline makes
    the object MANUAL with sqlglot's message)."""
    with quiet_sqlglot():
        parsed = _TSQL.parser(error_level=ErrorLevel.RAISE).parse(tokens, text)
    return [statement for statement in parsed if statement is not None]


# Words that begin a statement in a DDL batch written without semicolons. The
# ambiguous ones also appear inside statements (ALTER TABLE ... DROP, ON DELETE
# SET NULL) and start one only as an IF's body.
_BATCH_STARTS = frozenset(
    {"ALTER", "CREATE", "DECLARE", "DENY", "EXEC", "EXECUTE", "GRANT", "IF", "INSERT", "PRINT",
     "REVOKE", "USE", "TRUNCATE"}
)  # fmt: skip
_AMBIGUOUS_STARTS = frozenset({"DROP", "SET", "UPDATE", "DELETE", "MERGE"})


@dataclass(frozen=True)
class _Starts:
    """The words that start a statement: `always` anywhere, `in_if` also as an IF's body."""

    always: frozenset[str]
    in_if: frozenset[str]


_BATCH = _Starts(_BATCH_STARTS, _BATCH_STARTS | _AMBIGUOUS_STARTS)


def _split(tokens: list[Token], starts: _Starts) -> list[list[Token]]:
    """The top-level statements of `tokens`; an IF (with its body and ELSE) and a
    BEGIN ... END block are one statement each. sqlglot's T-SQL IF takes every
    statement after it as its body; T-SQL's takes one (or a BEGIN ... END)."""
    statements = []
    k = 0
    while k < len(tokens):
        if tokens[k].token_type == TokenType.SEMICOLON:
            k += 1
            continue
        end = _block_end(tokens, k, starts)
        statements.append(tokens[k:end])
        k = max(end, k + 1)
    return statements


def _statement_end(tokens: list[Token], k: int, starts: _Starts) -> int:
    """The index after the simple statement starting at k: before a `;`, the next
    statement's first word, or an ELSE / END that closes the enclosing block."""
    depth = 0
    cases = 0  # CASE ... END inside the statement
    for j in range(k + 1, len(tokens)):
        kind = tokens[j].token_type
        word = _word(tokens[j])
        if kind == TokenType.L_PAREN:
            depth += 1
        elif kind == TokenType.R_PAREN:
            depth -= 1
        elif depth > 0:
            continue
        elif word == "CASE":
            cases += 1
        elif word == "END" and cases:
            cases -= 1
        elif cases == 0 and (
            kind == TokenType.SEMICOLON or word in starts.always or word in ("ELSE", "END")
        ):
            return j
    return len(tokens)


def _if_parts(tokens: list[Token], k: int, starts: _Starts) -> tuple[int, int, int, int]:
    """For the IF at k: (body start, body end, ELSE body start, ELSE body end); the
    ELSE indexes equal the body end when there is no ELSE."""
    opening = starts.in_if | {"BEGIN"}
    body = _first_at_depth_zero(tokens, k + 1, lambda token: _word(token) in opening)
    body = len(tokens) if body is None else body
    body_end = _block_end(tokens, body, starts)
    j = body_end
    while j < len(tokens) and tokens[j].token_type == TokenType.SEMICOLON:
        j += 1
    if j < len(tokens) and _word(tokens[j]) == "ELSE":
        return body, body_end, j + 1, _block_end(tokens, j + 1, starts)
    return body, body_end, body_end, body_end


def _block_end(tokens: list[Token], k: int, starts: _Starts) -> int:
    """The index after the statement, IF or BEGIN ... END block starting at k."""
    if k >= len(tokens):
        return k
    if _word(tokens[k]) == "IF":
        return _if_parts(tokens, k, starts)[3]
    if _word(tokens[k]) != "BEGIN":
        return _statement_end(tokens, k, starts)
    depth = 0
    for j in range(k, len(tokens)):
        if _word(tokens[j]) in ("BEGIN", "CASE"):
            depth += 1
        elif _word(tokens[j]) == "END":
            depth -= 1
            if depth == 0:
                return j + 1
    return len(tokens)


def _line(node: exp.Expression | None) -> int | None:
    """The first source line sqlglot recorded in `node` or its ancestors."""
    while node is not None:
        for descendant in node.walk():
            line = descendant.meta.get("line")
            if line is not None:
                return line
        node = node.parent
    return None


def _first_line(node: exp.Expression) -> str:
    text = node.sql(_TSQL).strip()
    first = text.splitlines()[0] if text else type(node).__name__
    return first if len(first) <= 80 else first[:77] + "..."


def _report_dropped_statement(statement: exp.Expression, ctx: ObjectContext) -> None:
    """Say why a statement of the batch that is not the object itself is not in the output."""
    line = _line(statement)
    what = _first_line(statement)
    rule = "batch_statement"
    if tsql_expressions.is_session_option(statement):
        ctx.info(f"dropped `{what}`: a SQL Server session setting", line=line, rule=rule)
    elif tsql_expressions.is_use_statement(statement):
        ctx.info(
            f"dropped `{what}`: the target catalog and schema come from the options",
            line=line,
            rule=rule,
        )
    elif isinstance(statement, exp.Drop) or (
        isinstance(statement, exp.IfBlock) and statement.find(exp.Drop) is not None
    ):
        ctx.info(
            f"dropped `{what}`: the Databricks DDL is idempotent (IF NOT EXISTS / OR REPLACE)",
            line=line,
            rule=rule,
        )
    elif isinstance(statement, exp.Command) and _is_constraint_switch(statement):
        ctx.info(
            f"dropped `{what}`: it re-enables a constraint, and Databricks constraints are "
            "always on",
            line=line,
            rule=rule,
        )
    elif isinstance(statement, exp.Command) and _is_default_for(statement):
        ctx.info(
            f"dropped `{what}`: the catalog read this default into the column definition",
            line=line,
            rule=rule,
        )
    elif isinstance(statement, exp.Command) and statement.name.upper() == "PRINT":
        ctx.info(f"dropped `{what}`: a deployment message", line=line, rule=rule)
    elif isinstance(statement, exp.Command | exp.Execute) and "sp_addextendedproperty" in what:
        ctx.info(
            f"dropped `{what}`: an extended property (documentation); "
            "add it as COMMENT ON if it is wanted",
            line=line,
            rule=rule,
        )
    else:
        ctx.warn(
            f"dropped `{what}`: not part of the {ctx.obj.type.value.lower()}'s definition; "
            "run its Databricks equivalent separately if it is needed",
            line=line,
            rule=rule,
        )


def _command_words(command: exp.Command) -> list[str]:
    return [_word(token) for token in _tokens(command.sql(_TSQL))]


def _is_constraint_switch(command: exp.Command) -> bool:
    """`ALTER TABLE t [WITH CHECK] CHECK CONSTRAINT c`."""
    words = _command_words(command)
    return words[:2] == ["ALTER", "TABLE"] and "CONSTRAINT" in words and "ADD" not in words


def _is_default_for(command: exp.Command) -> bool:
    """`ALTER TABLE t ADD [CONSTRAINT d] DEFAULT (x) FOR c`."""
    words = _command_words(command)
    return words[:2] == ["ALTER", "TABLE"] and "DEFAULT" in words and "FOR" in words


def _is_create(statement: exp.Expression, kind: str) -> bool:
    return isinstance(statement, exp.Create) and str(statement.args.get("kind", "")).upper() == kind


def _own_create(
    statements: list[exp.Expression], kind: str, ctx: ObjectContext
) -> tuple[exp.Create | None, list[exp.Alter], list[exp.Create]]:
    """The CREATE of the object among `statements`, and (for a table) the ALTER
    TABLEs and CREATE INDEXes of it; every other statement is reported."""
    own: exp.Create | None = None
    alters: list[exp.Alter] = []
    indexes: list[exp.Create] = []
    for statement in statements:
        if own is None and _is_create(statement, kind) and _names_object(statement, ctx):
            assert isinstance(statement, exp.Create)
            own = statement
        elif kind == "TABLE" and _is_table_change(statement, ctx):
            if isinstance(statement, exp.Alter):
                alters.append(statement)
            else:
                assert isinstance(statement, exp.Create)
                indexes.append(statement)
        else:
            _report_dropped_statement(statement, ctx)
    return own, alters, indexes


def _is_table_change(statement: exp.Expression, ctx: ObjectContext) -> bool:
    """ALTER TABLE <this table> or CREATE INDEX ... ON <this table>."""
    if isinstance(statement, exp.Alter):
        return statement.this.name.lower() == ctx.obj.name.lower()
    if isinstance(statement, exp.Create) and isinstance(statement.this, exp.Index):
        table = statement.this.args.get("table")
        return table is not None and table.name.lower() == ctx.obj.name.lower()
    return False


def _names_object(create: exp.Create, ctx: ObjectContext) -> bool:
    table = create.this.this if isinstance(create.this, exp.Schema) else create.this
    if isinstance(table, exp.UserDefinedFunction):
        table = table.this
    return isinstance(table, exp.Table) and table.name.lower() == ctx.obj.name.lower()


# ---------------------------------------------------------------- table: storage options

# SQL Server options with no Databricks counterpart, removed from the token
# stream before parsing (sqlglot cannot parse most of them). Physical placement
# and index storage are notes (info); what changes behaviour is a warning.
_OPTION_WORDS: dict[str, tuple[str, str]] = {
    "CLUSTERED": ("info", "index storage; Delta tables have no indexes"),
    "NONCLUSTERED": ("info", "index storage; Delta tables have no indexes"),
    "ROWGUIDCOL": (
        "info",
        "marks the column for $ROWGUID and replication; the column and its default are kept",
    ),
    "SPARSE": ("info", "a storage optimisation for mostly-NULL columns; Parquet needs none"),
    "FILESTREAM": (
        "warning",
        "the values lived in NTFS files; in Databricks they are ordinary BINARY values "
        "(keep large files in a volume and store the path if that is too big)",
    ),
}
_UNIQUE_REASON = (
    "Databricks does not enforce uniqueness; check it after loads "
    "(GROUP BY ... HAVING COUNT(*) > 1) or MERGE on these columns"
)
_PROTECTION_WORDS = {
    "MASKED": "dynamic data masking; use a Unity Catalog column mask "
    "(ALTER TABLE ... ALTER COLUMN ... SET MASK <function>)",
    "ENCRYPTED": "Always Encrypted; the values arrive as loaded, so protect the column with "
    "Unity Catalog grants, a column mask or aes_encrypt()",
}
_PLACEMENT_WORDS = frozenset({"TEXTIMAGE_ON", "FILESTREAM_ON"})
_FK_ACTIONS = frozenset({"DELETE", "UPDATE"})


@dataclass
class _Dropped:
    """Options taken out of a definition: (level, option, reason) -> source lines."""

    lines: dict[tuple[str, str, str], list[int]] = field(default_factory=dict)

    def add(self, level: str, option: str, reason: str, token: Token) -> None:
        self.lines.setdefault((level, option, reason), []).append(token.line)

    def report(self, ctx: ObjectContext) -> None:
        for (level, option, reason), lines in self.lines.items():
            where = ", ".join(str(line) for line in sorted(set(lines)))
            text = f"dropped {option} (line {where}): {reason}"
            record = ctx.warn if level == "warning" else ctx.info
            record(text, line=lines[0], rule="table_option")


def _closing(tokens: Sequence[Token], i: int) -> int:
    """The index of the `)` matching the `(` at i (the last index when unbalanced)."""
    depth = 0
    for j in range(i, len(tokens)):
        if tokens[j].token_type == TokenType.L_PAREN:
            depth += 1
        elif tokens[j].token_type == TokenType.R_PAREN:
            depth -= 1
            if depth == 0:
                return j
    return len(tokens) - 1


def _word(token: Token | None) -> str:
    if token is None or token.token_type in (TokenType.IDENTIFIER, TokenType.STRING):
        return ""
    return token.text.upper()


def _strip_storage_options(
    tokens: list[Token], ctx: ObjectContext
) -> tuple[list[Token], list[tuple[str, list[str]]]]:
    """`tokens` without SQL Server's physical options: filegroups and partition
    schemes (ON x, TEXTIMAGE_ON x), index options (WITH (PAD_INDEX = ...)),
    table options (WITH (SYSTEM_VERSIONING = ...)), CLUSTERED, ROWGUIDCOL,
    SPARSE, FILESTREAM, NOT FOR REPLICATION and inline INDEX definitions.
    Each is reported once per kind with its lines. Also returns the inline
    indexes as (name, columns)."""
    dropped = _Dropped()
    indexes: list[tuple[str, list[str]]] = []
    kept: list[Token] = []
    i = 0
    previous_dropped = False
    column = ""  # the first word of the current table element: a column's name
    while i < len(tokens):
        token = tokens[i]
        word = _word(token)
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        after_close = bool(kept) and kept[-1].token_type == TokenType.R_PAREN
        element_start = not kept or kept[-1].token_type in (TokenType.L_PAREN, TokenType.COMMA)
        if element_start:
            column = token.text
        end = i  # the last token index to drop, when something is dropped
        if word in _OPTION_WORDS and token.token_type == TokenType.VAR and not element_start:
            level, reason = _OPTION_WORDS[word]
            dropped.add(level, word, reason, token)
        elif word == "NOT" and [_word(t) for t in tokens[i + 1 : i + 3]] == ["FOR", "REPLICATION"]:
            dropped.add("info", "NOT FOR REPLICATION", "replication is not migrated", token)
            end = i + 2
        elif word in _PLACEMENT_WORDS and following is not None:
            dropped.add("info", word, "a filegroup; Databricks manages storage", token)
            end = i + 1
        elif (
            token.token_type == TokenType.ON
            and (after_close or previous_dropped)
            and _word(following) not in _FK_ACTIONS
            and following is not None
        ):
            end = i + 1
            if end + 1 < len(tokens) and tokens[end + 1].token_type == TokenType.L_PAREN:
                end = _closing(tokens, end + 1)
                reason = "a partition scheme; consider CLUSTER BY or PARTITIONED BY"
                dropped.add("info", "ON <partition scheme>", reason, token)
            else:
                reason = "a filegroup; Databricks manages storage"
                dropped.add("info", f"ON {following.text}", reason, token)
        elif (
            token.token_type == TokenType.WITH
            and following is not None
            and following.token_type == TokenType.L_PAREN
            and (after_close or previous_dropped)
        ):
            end = _closing(tokens, i + 1)
            _report_with_options(tokens[i + 2 : end], dropped, token)
        elif word in _PROTECTION_WORDS and _word(following) == "WITH":
            end = _closing(tokens, i + 2) if i + 2 < len(tokens) else i + 1
            dropped.add("warning", f"{word} WITH (...)", _PROTECTION_WORDS[word], token)
        elif word in ("ASC", "DESC") and _word(following) in (",", ")"):
            dropped.add("info", "ASC/DESC", "index key order; Delta has no indexes", token)
        elif (
            word == "UNIQUE"
            and kept
            and _word(kept[-1]) != "CREATE"  # CREATE UNIQUE INDEX
            and _word(following) != "("
            and not (following is not None and _word(following) in _OPTION_WORDS)
        ):
            # a column's own UNIQUE (sqlglot cannot parse it before another constraint)
            dropped.add("warning", f"UNIQUE on column {column}", _UNIQUE_REASON, token)
            if len(kept) >= 2 and _word(kept[-2]) == "CONSTRAINT":
                del kept[-2:]
        elif word == "INDEX" and element_start and kept and len(kept) > 1:
            end = _element_end(tokens, i)
            columns = _index_columns(tokens[i : end + 1])
            indexes.append((following.text if following else "", columns))
            dropped.add(
                "info",
                f"INDEX {following.text if following else ''} ({', '.join(columns)})",
                "Delta has no secondary indexes; see the CLUSTER BY suggestion",
                token,
            )
            if kept[-1].token_type == TokenType.COMMA:
                kept.pop()
            elif end + 1 < len(tokens) and tokens[end + 1].token_type == TokenType.COMMA:
                end += 1
        else:
            kept.append(token)
            previous_dropped = False
            i += 1
            continue
        previous_dropped = True
        i = end + 1
    dropped.report(ctx)
    return kept, indexes


def _element_end(tokens: Sequence[Token], i: int) -> int:
    """The last token of the table element starting at i (before `,` or the closing `)`)."""
    depth = 0
    for j in range(i, len(tokens)):
        kind = tokens[j].token_type
        if kind == TokenType.L_PAREN:
            depth += 1
        elif kind == TokenType.R_PAREN:
            if depth == 0:
                return j - 1
            depth -= 1
        elif kind == TokenType.COMMA and depth == 0:
            return j - 1
    return len(tokens) - 1


def _index_columns(tokens: Sequence[Token]) -> list[str]:
    start = next((k for k, t in enumerate(tokens) if t.token_type == TokenType.L_PAREN), None)
    if start is None:
        return []
    inner = tokens[start + 1 : _closing(tokens, start)]
    names = []
    for k, token in enumerate(inner):
        if k == 0 or inner[k - 1].token_type == TokenType.COMMA:
            names.append(token.text)
    return names


_WITH_WARNINGS = {
    "SYSTEM_VERSIONING": "SQL Server kept every row version in a history table; use Delta "
    "time travel (DESCRIBE HISTORY, VERSION AS OF) or change data feed instead",
    "MEMORY_OPTIMIZED": "in-memory OLTP has no Databricks counterpart",
    "LEDGER": "ledger tables have no Databricks counterpart",
}


def _report_with_options(options: Sequence[Token], dropped: _Dropped, at: Token) -> None:
    """WITH (name = value, ...): the behaviour-changing options one by one, the
    storage and index options together."""
    depth = 0
    storage = []
    for k, token in enumerate(options):
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
        elif depth == 0 and (k == 0 or options[k - 1].token_type == TokenType.COMMA):
            name = token.text.upper()
            if name in _WITH_WARNINGS:
                dropped.add("warning", f"WITH ({name} ...)", _WITH_WARNINGS[name], at)
            else:
                storage.append(name)
    if storage:
        reason = "SQL Server storage and index options"
        dropped.add("info", f"WITH ({', '.join(storage)})", reason, at)


# ---------------------------------------------------------------- table: model


@dataclass
class _ColumnOut:
    name: str
    type: exp.DataType
    not_null: bool = False
    identity: tuple[exp.Expression, exp.Expression] | None = None
    default: exp.Expression | None = None
    generated: exp.Expression | None = None
    had_default: bool = False  # the definition gave one (kept, or dropped with a warning)


@dataclass
class _ForeignKey:
    name: str | None
    columns: list[str]
    table: exp.Table
    referenced: list[str]


@dataclass
class _TableOut:
    columns: list[_ColumnOut] = field(default_factory=list)
    primary_key: tuple[str | None, list[str]] | None = None
    foreign_keys: list[_ForeignKey] = field(default_factory=list)
    checks: list[tuple[str, exp.Expression]] = field(default_factory=list)
    index_keys: list[tuple[str, list[str]]] = field(default_factory=list)
    # constraint names already handled (the catalog lists them again)
    seen: set[str] = field(default_factory=set)

    def column(self, name: str) -> _ColumnOut | None:
        return next((c for c in self.columns if c.name.lower() == name.lower()), None)


def convert_table(ctx: ObjectContext) -> str:
    """`CREATE TABLE IF NOT EXISTS ... USING DELTA` and the constraint statements."""
    table = _TableOut()
    definition = ctx.obj.definition
    if definition and definition.strip():
        tokens, table.index_keys = _strip_storage_options(_tokens(definition), ctx)
        try:
            statements = [
                statement
                for piece in _split(tokens, _BATCH)
                for statement in _parse(piece, definition)
            ]
        except SqlglotError as error:
            _unreadable_table(ctx, str(error).strip().splitlines()[0], error)
        create, alters, indexes = _own_create(statements, "TABLE", ctx)
        if create is None or not isinstance(create.this, exp.Schema):
            _unreadable_table(ctx, "no CREATE TABLE with a column list for this table", None)
        _read_create_table(create, table, ctx)
        for alter in alters:
            _read_alter_table(alter, table, ctx)
        for index in indexes:
            _read_create_index(index, table, ctx)
    else:
        table = _table_from_catalog(ctx)
    _merge_catalog(table, ctx)
    return _emit_table(table, ctx)


def _unreadable_table(ctx: ObjectContext, why: str, error: Exception | None) -> NoReturn:
    raise ManualConversion(
        [
            manual(
                f"sqlglot could not read this CREATE TABLE ({why}); the partial SQL is built "
                "from the catalog's columns and keys, without CHECK constraints and computed "
                "column expressions: compare it with the source and finish it by hand",
                rule="table",
            )
        ],
        partial_sql=_emit_table(_catalog_table(ctx), ctx),
    ) from error


def _catalog_table(ctx: ObjectContext) -> _TableOut:
    table = _table_from_catalog(ctx)
    _merge_catalog(table, ctx)
    return table


def _table_from_catalog(ctx: ObjectContext) -> _TableOut:
    table = _TableOut()
    for column in sorted(ctx.obj.columns, key=lambda c: c.ordinal):
        table.columns.append(_catalog_column(column, ctx))
    return table


def _catalog_column(column: Column, ctx: ObjectContext) -> _ColumnOut:
    """A column from the catalog alone (live catalogs, or ALTER TABLE ... ADD)."""
    if column.data_type.upper().startswith("AS "):
        source_type = None
        ctx.warn(
            f"column {column.name}: computed in SQL Server ({column.data_type}), which the "
            "catalog cannot type; written as STRING holding the loaded values",
            rule="computed_column",
        )
    else:
        source_type = column.data_type
    out = _ColumnOut(
        name=column.name,
        type=databricks_type(source_type, ctx, column=column.name)
        if source_type
        else exp.DataType.build("STRING"),
        not_null=not column.nullable,
    )
    if column.is_computed and source_type:
        ctx.warn(
            f"column {column.name}: computed in SQL Server; the catalog has no expression, "
            "so it is a plain column holding the loaded values",
            rule="computed_column",
        )
    if column.is_identity:
        _set_identity(out, source_type or "", exp.Literal.number(1), exp.Literal.number(1), ctx)
        ctx.info(
            f"column {column.name}: the catalog has no identity seed; START WITH 1 assumed",
            rule="identity",
        )
    elif column.default:
        _set_default(out, _parse_expression(column.default), ctx)
    return out


def _parse_expression(text: str) -> exp.Expression:
    return _parse_tokens_expression(_tokens(text), text)


def _read_create_table(create: exp.Create, table: _TableOut, ctx: ObjectContext) -> None:
    schema = create.this
    properties = create.args.get("properties")
    for prop in properties.expressions if properties else []:
        ctx.warn(
            f"table option `{prop.sql('tsql')}` dropped: no Databricks counterpart",
            line=_line(prop),
            rule="table_option",
        )
    computed: list[tuple[_ColumnOut, exp.Expression]] = []
    for element in schema.expressions:
        if isinstance(element, exp.ColumnDef):
            out, expression = _read_column(element, table, ctx)
            table.columns.append(out)
            if expression is not None:
                computed.append((out, expression))
        elif isinstance(element, exp.Constraint):
            for constraint in element.expressions:
                _read_table_constraint(constraint, element.name or None, table, ctx)
        else:
            _read_table_constraint(element, None, table, ctx)
    for out, expression in computed:
        _set_generated(out, expression, table, ctx)


def _read_create_index(create: exp.Create, table: _TableOut, ctx: ObjectContext) -> None:
    index = create.this
    params = index.args.get("params")
    columns = [_key_name(key) for key in (params.args.get("columns") or [])] if params else []
    table.seen.add(index.name.lower())
    table.index_keys.append((index.name, columns))
    if create.args.get("unique"):
        _drop_unique(index.name, columns, table, ctx, _line(create))
        return
    ctx.info(
        f"index {index.name} ({', '.join(columns)}) dropped: Delta has no secondary "
        "indexes; see the CLUSTER BY suggestion",
        line=_line(create),
        rule="index",
    )


def _read_alter_table(alter: exp.Alter, table: _TableOut, ctx: ObjectContext) -> None:
    """ALTER TABLE ... ADD columns and constraints, in the same batch as the CREATE."""
    for action in alter.args.get("actions") or []:
        if isinstance(action, exp.AddConstraint):
            for constraint in action.expressions:
                name = constraint.name or None if isinstance(constraint, exp.Constraint) else None
                parts = constraint.expressions if isinstance(constraint, exp.Constraint) else []
                for part in parts or [constraint]:
                    _read_table_constraint(part, name, table, ctx)
        elif isinstance(action, exp.ColumnDef):
            out, computed = _read_column(action, table, ctx)
            table.columns.append(out)
            if computed is not None:
                _set_generated(out, computed, table, ctx)
        else:
            ctx.warn(
                f"`{_first_line(alter)}` dropped: only ADD of columns and constraints is "
                "carried over",
                line=_line(alter),
                rule="batch_statement",
            )


def _read_column(
    column: exp.ColumnDef, table: _TableOut, ctx: ObjectContext
) -> tuple[_ColumnOut, exp.Expression | None]:
    """The column and, for a computed column, its T-SQL expression."""
    name = column.name
    kind = column.args.get("kind")
    catalog_column = next((c for c in ctx.obj.columns if c.name.lower() == name.lower()), None)
    source_type: str | exp.DataType | None = kind
    if catalog_column is not None and not catalog_column.data_type.upper().startswith("AS "):
        source_type = catalog_column.data_type  # keeps `real` apart from `float`
    line = _line(column)
    out = _ColumnOut(
        name=name,
        type=databricks_type(source_type, ctx, column=name, line=line)
        if source_type is not None
        else exp.DataType.build("STRING"),
    )
    computed = None
    for constraint in column.constraints:
        kind_node = constraint.args.get("kind")
        constraint_name = constraint.name or None
        if isinstance(kind_node, exp.NotNullColumnConstraint):
            out.not_null = not kind_node.args.get("allow_null")
        elif isinstance(kind_node, exp.GeneratedAsIdentityColumnConstraint):
            start = kind_node.args.get("start") or exp.Literal.number(1)
            increment = kind_node.args.get("increment") or exp.Literal.number(1)
            _set_identity(out, source_type, start, increment, ctx, line=line)
        elif isinstance(kind_node, exp.DefaultColumnConstraint):
            out.had_default = True
            _set_default(out, kind_node.this, ctx, line=line)
            if constraint_name:
                table.seen.add(constraint_name.lower())
        elif isinstance(kind_node, exp.PrimaryKeyColumnConstraint):
            table.primary_key = (constraint_name, [name])
        elif isinstance(kind_node, exp.Reference):
            _add_reference(kind_node, constraint_name, [name], table, ctx)
        elif isinstance(kind_node, exp.ForeignKey):
            _add_reference(kind_node.args["reference"], constraint_name, [name], table, ctx)
        elif isinstance(kind_node, exp.CheckColumnConstraint):
            _add_check(kind_node.this, constraint_name, name, table, ctx)
        elif isinstance(kind_node, exp.UniqueColumnConstraint):
            _drop_unique(constraint_name, [name], table, ctx, line)
        elif isinstance(kind_node, exp.ComputedColumnConstraint):
            computed = kind_node.this
        elif isinstance(kind_node, exp.CollateColumnConstraint):
            _drop_collation(name, kind_node.this.name, ctx, line)
        elif isinstance(kind_node, exp.GeneratedAsRowColumnConstraint):
            edge = "START" if kind_node.args.get("start") else "END"
            ctx.warn(
                f"column {name}: GENERATED ALWAYS AS ROW {edge} dropped: system-versioning "
                "periods have no Databricks counterpart; the "
                "column is a plain column (Delta time travel keeps row history instead)",
                line=line,
                rule="system_versioning",
            )
        else:
            ctx.warn(
                f"column {name}: `{constraint.sql('tsql')}` dropped: no Databricks counterpart",
                line=line,
                rule="column_option",
            )
    return out, computed


def _set_identity(
    out: _ColumnOut,
    source_type: str | exp.DataType | None,
    start: exp.Expression,
    increment: exp.Expression,
    ctx: ObjectContext,
    line: int | None = None,
) -> None:
    text = source_type.sql(_TSQL) if isinstance(source_type, exp.DataType) else source_type
    if (text or "").lower() != "bigint":
        ctx.warn(
            f"column {out.name}: IDENTITY on {text} widened to BIGINT (Databricks allows "
            "identity columns only on BIGINT)",
            line=line,
            rule="identity",
        )
    out.type = exp.DataType.build("BIGINT")
    out.identity = (start, increment)
    out.not_null = True
    if ctx.options.identity_generation == "BY DEFAULT":
        ctx.info(
            f"column {out.name}: after loading the existing ids run ALTER TABLE ... "
            f"ALTER COLUMN {out.name} SYNC IDENTITY so new ids do not collide with them",
            line=line,
            rule="identity",
        )


def _convert_expression(
    expression: exp.Expression, what: str, ctx: ObjectContext, line: int | None
) -> exp.Expression | None:
    """`expression` in Databricks SQL, or None (with a warning) when it does
    not map or calls a user-defined function (constraints and generated
    columns may only call built-in functions)."""
    udf = next((call for call in _function_calls(expression) if _is_udf(call, ctx)), None)
    if udf is not None:
        ctx.warn(
            f"{what} dropped: it calls {udf.sql('tsql')}, a user-defined function or "
            "type method, and Databricks allows only built-in functions there",
            line=line,
            rule="expression",
        )
        return None
    try:
        converted = to_databricks(_unwrap(expression), ctx, check_writable=False)
        text = write_databricks(converted)
    except ManualConversion as outcome:
        ctx.warn(f"{what} dropped: {outcome}", line=line, rule="expression")
        return None
    leftover = tsql_expressions.tsql_only_calls(text)
    if leftover:
        ctx.warn(
            f"{what} dropped: {', '.join(sorted(set(leftover)))}() has no Databricks counterpart",
            line=line,
            rule="expression",
        )
        return None
    return converted


def _function_calls(expression: exp.Expression) -> Iterable[exp.Expression]:
    for node in expression.walk():
        if isinstance(node, exp.Dot) and isinstance(node.expression, exp.Anonymous):
            yield node
        elif isinstance(node, exp.Anonymous) and not isinstance(node.parent, exp.Dot):
            yield node


def _is_udf(call: exp.Expression, ctx: ObjectContext) -> bool:
    if isinstance(call, exp.Dot):
        return True
    return ctx.catalog.find(call.name, object_type=ObjectType.FUNCTION) is not None


def _unwrap(expression: exp.Expression) -> exp.Expression:
    """`((0))` -> `0`: SQL Server stores defaults and checks in parentheses."""
    while isinstance(expression, exp.Paren):
        expression = expression.this
    return expression


def _set_default(
    out: _ColumnOut, expression: exp.Expression, ctx: ObjectContext, line: int | None = None
) -> None:
    if out.identity is not None:
        ctx.warn(
            f"column {out.name}: DEFAULT dropped: an identity column cannot have one",
            line=line,
            rule="default",
        )
        return
    converted = _convert_expression(expression, f"column {out.name}: DEFAULT", ctx, line)
    out.default = None if converted is None else _fit(converted, out.type)


_TEXT_TYPES = {exp.DataType.Type.TEXT, exp.DataType.Type.VARCHAR, exp.DataType.Type.UUID}


def _fit(expression: exp.Expression, kind: exp.DataType) -> exp.Expression:
    """`expression` as a value of `kind`: SQL Server converts a default to the
    column's type implicitly (bit DEFAULT 1, datetime DEFAULT GETDATE()), a
    Databricks default must already have it."""
    if isinstance(expression, exp.Null):
        return expression
    if kind.this == exp.DataType.Type.BOOLEAN and expression.is_number:
        return exp.Boolean(this=expression.to_py() != 0)
    if kind.this == exp.DataType.Type.TEXT and expression.is_number:
        return exp.Literal.string(expression.name)
    if isinstance(expression, exp.Literal) and kind.this != exp.DataType.Type.BOOLEAN:
        return expression
    typed = _typed(expression, {})
    if typed is not None and (typed == kind or {typed.this, kind.this} <= _TEXT_TYPES):
        return expression
    return exp.Cast(this=expression, to=kind.copy())


def _set_generated(
    out: _ColumnOut, expression: exp.Expression, table: _TableOut, ctx: ObjectContext
) -> None:
    """A computed column -> `type GENERATED ALWAYS AS (expr)` when Databricks can
    compute it; otherwise a plain column with a warning."""
    line = _line(expression)
    what = f"column {out.name}: computed expression `{_first_line(expression)}`"
    generated_names = {c.name.lower() for c in table.columns if c.generated is not None}
    references = {column.name.lower() for column in expression.find_all(exp.Column)}
    computed_names = references & {
        c.name.lower() for c in ctx.obj.columns if c.data_type.upper().startswith("AS ")
    }
    if computed_names or references & generated_names:
        ctx.warn(
            f"{what} dropped: it reads another computed column, which Databricks generated "
            "columns cannot; the column is a plain column holding the loaded values",
            line=line,
            rule="computed_column",
        )
        return
    nondeterministic = next(
        (node for node in expression.walk() if isinstance(node, _NONDETERMINISTIC)), None
    )
    if nondeterministic is not None:
        ctx.warn(
            f"{what} dropped: {_first_line(nondeterministic)} is not deterministic; "
            "the column is a plain column holding the loaded values",
            line=line,
            rule="computed_column",
        )
        return
    converted = _convert_expression(expression, what, ctx, line)
    if converted is None:
        return
    typed = _expression_type(converted, table)
    if typed is None:
        ctx.warn(
            f"{what} dropped: its type cannot be worked out, and a generated column needs "
            "one; the column is a plain STRING column holding the loaded values",
            line=line,
            rule="computed_column",
        )
        return
    out.type = typed
    # the CAST pins the result to the column's type, which Delta requires
    out.generated = converted if isinstance(converted, exp.Cast) else exp.cast(converted, typed)


_NONDETERMINISTIC = (
    exp.CurrentTimestamp,
    exp.CurrentDate,
    exp.CurrentDatetime,
    exp.CurrentUser,
    exp.Rand,
    exp.Uuid,
    exp.Subquery,
    exp.Select,
)


def _expression_type(expression: exp.Expression, table: _TableOut) -> exp.DataType | None:
    """The Databricks type of a generated column's expression, from the types of
    the columns it reads; None when sqlglot cannot tell."""
    types = {}
    for column in expression.find_all(exp.Column):
        source = table.column(column.name)
        if source is None:
            return None
        types[column.name.lower()] = source.type
    kind = _typed(expression, types)
    if kind is not None and kind.this in (exp.DataType.Type.TINYINT, exp.DataType.Type.SMALLINT):
        # sqlglot types date parts as TINYINT; Databricks returns INT
        return exp.DataType.build("INT")
    return kind


def _typed(expression: exp.Expression, columns: dict[str, exp.DataType]) -> exp.DataType | None:
    """sqlglot's idea of the type of `expression`, columns typed by `columns`."""

    def typed_leaf(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and node.name.lower() in columns:
            return exp.Cast(this=exp.null(), to=columns[node.name.lower()].copy())
        if isinstance(node, exp.National):
            return exp.Literal.string(node.name)
        return node

    annotated = annotate_types(expression.copy().transform(typed_leaf), dialect="databricks")
    kind = annotated.type
    if kind is None or kind.this in (exp.DataType.Type.UNKNOWN, exp.DataType.Type.NULL):
        return None
    return kind


def _read_table_constraint(
    constraint: exp.Expression, name: str | None, table: _TableOut, ctx: ObjectContext
) -> None:
    line = _line(constraint)
    if isinstance(constraint, exp.PrimaryKey):
        table.primary_key = (name, [_key_name(key) for key in constraint.expressions])
    elif isinstance(constraint, exp.ForeignKey):
        columns = [key.name for key in constraint.expressions]
        _add_reference(constraint.args["reference"], name, columns, table, ctx)
    elif isinstance(constraint, exp.CheckColumnConstraint):
        _add_check(constraint.this, name, None, table, ctx)
    elif isinstance(constraint, exp.UniqueColumnConstraint):
        schema = constraint.this
        columns = [_key_name(key) for key in schema.expressions] if schema else []
        _drop_unique(name, columns, table, ctx, line)
    elif isinstance(constraint, exp.PeriodForSystemTimeConstraint):
        ctx.warn(
            f"PERIOD FOR SYSTEM_TIME ({constraint.this.name}, {constraint.expression.name}) "
            "dropped: system-versioning has no Databricks counterpart (Delta time travel "
            "keeps table history)",
            line=line,
            rule="system_versioning",
        )
    else:
        ctx.warn(
            f"table constraint `{constraint.sql('tsql')}` dropped: no Databricks counterpart",
            line=line,
            rule="table_constraint",
        )
    if name:
        table.seen.add(name.lower())


def _key_name(key: exp.Expression) -> str:
    return key.this.name if isinstance(key, exp.Ordered) else key.name


def _add_reference(
    reference: exp.Reference,
    name: str | None,
    columns: list[str],
    table: _TableOut,
    ctx: ObjectContext,
) -> None:
    target = reference.this
    referenced_table = target.this if isinstance(target, exp.Schema) else target
    referenced_columns = (
        [key.name for key in target.expressions] if isinstance(target, exp.Schema) else []
    )
    line = _line(reference)
    for option in reference.args.get("options") or []:
        text = option if isinstance(option, str) else option.sql(_TSQL)
        if "NO ACTION" not in text.upper():
            ctx.warn(
                f"foreign key {name or ', '.join(columns)}: `{text}` dropped: Databricks "
                "foreign keys are informational and take no actions; the loads or a job "
                "must apply it",
                line=line,
                rule="foreign_key",
            )
    schema = referenced_table.db or None
    if schema is None:
        found = ctx.catalog.find(referenced_table.name, object_type=ObjectType.TABLE)
        schema = found.schema_name if found is not None else ctx.obj.schema_name
    _append_foreign_key(
        table, ctx, name, columns, (schema, referenced_table.name), referenced_columns, line
    )


def _append_foreign_key(
    table: _TableOut,
    ctx: ObjectContext,
    name: str | None,
    columns: list[str],
    parent_name: tuple[str, str],
    referenced_columns: list[str],
    line: int | None,
) -> None:
    """Add a foreign key unless Unity Catalog would refuse it."""
    if name:
        table.seen.add(name.lower())
    parent = ctx.catalog.find(parent_name[1], parent_name[0], ObjectType.TABLE)
    if not referenced_columns:
        referenced_columns = list(parent.primary_key) if parent is not None else []
    if not _references_primary_key(referenced_columns, parent):
        ctx.warn(
            f"foreign key {name or ', '.join(columns)} dropped: it references "
            f"{parent_name[1]} ({', '.join(referenced_columns)}), which is not that "
            "table's primary key, and Unity Catalog foreign keys must reference one",
            line=line,
            rule="foreign_key",
        )
        return
    table.foreign_keys.append(
        _ForeignKey(name, columns, target_table(ctx, *parent_name), referenced_columns)
    )


def _references_primary_key(columns: list[str], parent: CatalogObject | None) -> bool:
    if parent is None:
        return True  # not in the catalog: nothing to check against
    return {c.lower() for c in columns} == {c.lower() for c in parent.primary_key}


def _add_check(
    condition: exp.Expression,
    name: str | None,
    column: str | None,
    table: _TableOut,
    ctx: ObjectContext,
) -> None:
    constraint_name = name or f"CK_{ctx.obj.name}_{column or len(table.checks) + 1}"
    line = _line(condition)
    converted = _convert_expression(condition, f"CHECK constraint {constraint_name}", ctx, line)
    if converted is not None:
        table.checks.append((constraint_name, converted))
    if name:
        table.seen.add(name.lower())


def _drop_unique(
    name: str | None, columns: list[str], table: _TableOut, ctx: ObjectContext, line: int | None
) -> None:
    ctx.warn(
        f"UNIQUE constraint {name or ''} ({', '.join(columns)}) dropped: {_UNIQUE_REASON}",
        line=line,
        rule="unique",
    )
    if name:
        table.seen.add(name.lower())


def _drop_collation(column: str, collation: str, ctx: ObjectContext, line: int | None) -> None:
    # Not mapped to UTF8_LCASE for *_CI_* collations: columns without COLLATE use
    # the database default (usually case-insensitive too), so mapping only the
    # explicit ones would make comparisons inconsistent between columns; and a
    # CHECK constraint needs the table's default collation to stay UTF8_BINARY.
    ctx.warn(
        f"column {column}: COLLATE {collation} dropped: Databricks compares strings "
        "byte-wise (UTF8_BINARY) unless told otherwise; comparisons that relied on "
        "case- or accent-insensitivity need lower() or COLLATE UTF8_LCASE",
        line=line,
        rule="collation",
    )


def _merge_catalog(table: _TableOut, ctx: ObjectContext) -> None:
    """Add what the catalog read from other batches: columns and constraints
    added by ALTER TABLE, defaults written as `DEFAULT x FOR col`, indexes."""
    obj = ctx.obj
    for column in obj.columns:
        existing = table.column(column.name)
        if existing is None:
            table.columns.append(_catalog_column(column, ctx))
        elif (
            column.default
            and existing.default is None
            and existing.identity is None
            and existing.generated is None
            and not existing.had_default
        ):
            _set_default(existing, _parse_expression(column.default), ctx)
    primary = next((index for index in obj.indexes if index.primary), None)
    if table.primary_key is None and obj.primary_key:
        table.primary_key = (primary.name if primary else None, list(obj.primary_key))
    if primary is not None:
        table.seen.add(primary.name.lower())
    if table.primary_key and table.primary_key[0]:
        table.seen.add(table.primary_key[0].lower())
    known_keys = {tuple(c.lower() for c in fk.columns) for fk in table.foreign_keys}
    for foreign_key in obj.foreign_keys:
        columns = tuple(c.lower() for c in foreign_key.columns)
        if foreign_key.name.lower() in table.seen or columns in known_keys:
            continue
        _append_foreign_key(
            table,
            ctx,
            foreign_key.name,
            list(foreign_key.columns),
            (foreign_key.referenced_schema, foreign_key.referenced_table),
            list(foreign_key.referenced_columns),
            None,
        )
    for index in obj.indexes:
        if index.primary or index.name.lower() in table.seen:
            continue
        table.seen.add(index.name.lower())
        if index.unique:
            _drop_unique(index.name, index.columns, table, ctx, None)
        else:
            ctx.info(
                f"index {index.name} ({', '.join(index.columns)}) dropped: Delta has no "
                "secondary indexes; see the CLUSTER BY suggestion",
                rule="index",
            )
        table.index_keys.append((index.name, list(index.columns)))


# ---------------------------------------------------------------- table: output

_COLUMN_DEFAULTS_FEATURE = "delta.feature.allowColumnDefaults"


def _emit_table(table: _TableOut, ctx: ObjectContext) -> str:
    target = target_table(ctx, ctx.obj.schema_name, ctx.obj.name)
    key_columns = {c.lower() for c in table.primary_key[1]} if table.primary_key else set()
    elements: list[exp.Expression] = []
    for column in table.columns:
        if column.name.lower() in key_columns:
            column.not_null = True  # SQL Server makes key columns NOT NULL too
        elements.append(_column_def(column, ctx))
    if table.primary_key is not None:
        name, columns = table.primary_key
        key = exp.PrimaryKey(expressions=[_identifier(c) for c in columns])
        elements.append(_constraint(name or f"PK_{ctx.obj.name}", key))
        ctx.info(
            "PRIMARY KEY is informational in Unity Catalog: it is not enforced",
            rule="primary_key",
        )
    properties: list[exp.Expression] = [exp.FileFormatProperty(this=exp.var("DELTA"))]
    if any(column.default is not None for column in table.columns):
        properties.append(
            exp.Property(
                this=exp.Literal.string(_COLUMN_DEFAULTS_FEATURE),
                value=exp.Literal.string("supported"),
            )
        )
    create = exp.Create(
        this=exp.Schema(this=target.copy(), expressions=elements),
        kind="TABLE",
        exists=True,
        properties=exp.Properties(expressions=properties),
    )
    # copy=False here and below: these trees are built for this one generation
    # and `table` is not used after it (generating may adjust nodes in place)
    statements = [create.sql(_DATABRICKS, pretty=True, copy=False)]
    for foreign_key in table.foreign_keys:
        name = foreign_key.name or f"FK_{ctx.obj.name}_{foreign_key.table.name}"
        reference = exp.Reference(
            this=exp.Schema(
                this=foreign_key.table,
                expressions=[_identifier(c) for c in foreign_key.referenced],
            )
        )
        key = exp.ForeignKey(
            expressions=[_identifier(c) for c in foreign_key.columns], reference=reference
        )
        statements += _replace_constraint(target, name, key)
    if table.foreign_keys:
        ctx.info(
            "FOREIGN KEYs are informational in Unity Catalog (not enforced); they are added "
            "by ALTER TABLE after the CREATE, and each needs its referenced table to exist "
            "with its primary key: create all tables before running these statements",
            rule="foreign_key",
        )
    for name, condition in table.checks:
        statements += _replace_constraint(target, name, exp.CheckColumnConstraint(this=condition))
    sql = ";\n\n".join(statements) + ";"
    suggestions = [
        f"-- index {name}: to speed up lookups on its keys consider "
        + exp.Alter(
            this=target.copy(),
            kind="TABLE",
            actions=[
                exp.ClusterProperty(expressions=[exp.column(_identifier(c)) for c in columns])
            ],
        ).sql(_DATABRICKS, copy=False)
        for name, columns in table.index_keys
        if columns
    ]
    # before the CREATE: a comment after the last statement parses as an empty statement
    return "\n".join([*suggestions, sql])


def _column_def(column: _ColumnOut, ctx: ObjectContext) -> exp.ColumnDef:
    constraints: list[exp.ColumnConstraint] = []
    if column.identity is not None:
        start, increment = column.identity
        constraints.append(
            exp.ColumnConstraint(
                kind=exp.GeneratedAsIdentityColumnConstraint(
                    this=ctx.options.identity_generation == "ALWAYS",
                    start=start.copy(),
                    increment=increment.copy(),
                )
            )
        )
    if column.generated is not None:
        constraints.append(
            exp.ColumnConstraint(kind=exp.ComputedColumnConstraint(this=column.generated))
        )
    if column.not_null:
        constraints.append(exp.ColumnConstraint(kind=exp.NotNullColumnConstraint()))
    if column.default is not None:
        constraints.append(
            exp.ColumnConstraint(kind=exp.DefaultColumnConstraint(this=column.default))
        )
    return exp.ColumnDef(this=_identifier(column.name), kind=column.type, constraints=constraints)


def _identifier(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)


def _constraint(name: str, kind: exp.Expression) -> exp.Constraint:
    return exp.Constraint(this=_identifier(name), expressions=[kind])


def _replace_constraint(target: exp.Table, name: str, kind: exp.Expression) -> list[str]:
    """DROP IF EXISTS then ADD: re-running the file must not fail on an existing constraint."""
    drop = exp.Alter(
        this=target.copy(),
        kind="TABLE",
        actions=[exp.Drop(tables=[exp.table_(_identifier(name))], kind="CONSTRAINT", exists=True)],
    )
    add = exp.Alter(
        this=target.copy(),
        kind="TABLE",
        actions=[exp.AddConstraint(expressions=[_constraint(name, kind)])],
    )
    # fresh trees, generated once (`kind` is the caller's, used only here)
    return [drop.sql(_DATABRICKS, copy=False), add.sql(_DATABRICKS, copy=False)]


# ---------------------------------------------------------------- view


_VIEW_ATTRIBUTES = {
    "SCHEMABINDING": "Databricks does not stop the underlying tables from being dropped",
    "VIEW_METADATA": "it only changes the metadata SQL Server sends to client libraries",
    "ENCRYPTION": "Databricks stores view text in the clear; restrict it with grants",
}


def convert_view(ctx: ObjectContext) -> str:
    """`CREATE OR REPLACE VIEW <target> [(columns)] AS <query>`."""
    definition = ctx.obj.definition or ""
    tokens = _strip_view_options(_tokens(definition), ctx)
    create, _, _ = _own_create(_parse(tokens, definition), "VIEW", ctx)
    if create is None or create.expression is None:
        raise ManualConversion(
            [manual("no CREATE VIEW ... AS <query> was found in the definition", rule="view")]
        )
    if ctx.obj.indexes:
        names = ", ".join(index.name for index in ctx.obj.indexes)
        ctx.warn(
            f"indexed view (index {names}): SQL Server kept its result materialised; this "
            "Databricks view is computed on every read (a materialized view would keep it)",
            rule="view",
        )
    target: exp.Expression = target_table(ctx, ctx.obj.schema_name, ctx.obj.name)
    if isinstance(create.this, exp.Schema):
        columns = [_identifier(column.name) for column in create.this.expressions]
        target = exp.Schema(this=target, expressions=columns)

    def view(query: exp.Expression) -> exp.Expression:
        return exp.Create(this=target.copy(), kind="VIEW", replace=True, expression=query)

    # copy=False: the converted query is a copy made for this one generation
    return (
        write_databricks(view(_converted(create.expression, ctx, view)), pretty=True, copy=False)
        + ";"
    )


def _converted(
    expression: exp.Expression,
    ctx: ObjectContext,
    wrap: Callable[[exp.Expression], exp.Expression],
    variable_reference: Callable[[str], exp.Expression] | None = None,
) -> exp.Expression:
    """`to_databricks(expression)`. When that is MANUAL, its best-effort SQL is put
    inside the object's DDL (`wrap`), so whoever finishes it starts from the whole
    statement. The caller writes the DDL with `write_databricks`, which finds what
    sqlglot cannot write."""
    try:
        return to_databricks(
            expression, ctx, variable_reference=variable_reference, check_writable=False
        )
    except ManualConversion as outcome:
        partial = outcome.partial_sql
        if partial:
            try:
                with quiet_sqlglot():
                    parsed = sqlglot.parse_one(partial, read="databricks")
            except SqlglotError:
                parsed = None
            if parsed is not None:
                partial = wrap(parsed).sql(_DATABRICKS, pretty=True) + ";"
        raise ManualConversion(outcome.reasons, partial_sql=partial) from outcome


def _strip_view_options(tokens: list[Token], ctx: ObjectContext) -> list[Token]:
    """`tokens` without the view attributes (WITH SCHEMABINDING, VIEW_METADATA,
    ENCRYPTION) and WITH CHECK OPTION, which sqlglot cannot parse in a list."""
    start = next((k for k, t in enumerate(tokens) if t.token_type == TokenType.VIEW), None)
    if start is None:
        return tokens
    body = _first_at_depth_zero(tokens, start, lambda token: token.token_type == TokenType.ALIAS)
    kept = list(tokens)
    tail = next(
        (
            k
            for k in range(len(tokens) - 2)
            if [_word(t) for t in tokens[k : k + 3]] == ["WITH", "CHECK", "OPTION"]
        ),
        None,
    )
    if tail is not None:
        ctx.warn(
            "WITH CHECK OPTION dropped: Databricks views cannot be written through, so "
            "there is nothing to check",
            line=tokens[tail].line,
            rule="view_attribute",
        )
        del kept[tail : tail + 3]
    with_at = _first_at_depth_zero(tokens, start, lambda token: token.token_type == TokenType.WITH)
    if body is not None and with_at is not None and with_at < body:
        for token in tokens[with_at + 1 : body]:
            reason = _VIEW_ATTRIBUTES.get(_word(token))
            if reason is not None:
                ctx.info(
                    f"WITH {_word(token)} dropped: {reason}", line=token.line, rule="view_attribute"
                )
        del kept[with_at:body]
    return kept


def _first_at_depth_zero(
    tokens: Sequence[Token], start: int, wanted: Callable[[Token], bool]
) -> int | None:
    depth = 0
    for k in range(start, len(tokens)):
        token = tokens[k]
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
        elif depth == 0 and wanted(token):
            return k
    return None


# ---------------------------------------------------------------- function


@dataclass
class _Parameter:
    name: str
    type: str  # as written in T-SQL
    default: list[Token] = field(default_factory=list)


@dataclass
class _FunctionHeader:
    """CREATE FUNCTION name (@p type [= default], ...) RETURNS ... [WITH ...] AS, read
    from the tokens (sqlglot cannot parse most scalar function bodies)."""

    parameters: list[_Parameter]
    returns: str  # "TABLE", "@var TABLE" or the T-SQL type
    options: list[tuple[str, int]]  # (option text, line)
    body: int  # index of the first token after AS


def _raw(text: str, tokens: Sequence[Token]) -> str:
    return text[tokens[0].start : tokens[-1].end + 1] if tokens else ""


def _read_function_header(tokens: list[Token], text: str) -> _FunctionHeader | None:
    start = next((k for k, t in enumerate(tokens) if t.token_type == TokenType.FUNCTION), None)
    if start is None:
        return None
    k = start + 1
    while (
        k < len(tokens)
        and tokens[k].token_type != TokenType.L_PAREN
        and _word(tokens[k]) != "RETURNS"
    ):
        k += 1
    parameters = []
    if k < len(tokens) and tokens[k].token_type == TokenType.L_PAREN:
        close = _closing(tokens, k)
        for part in _split_commas(tokens[k + 1 : close]):
            parameters.append(_read_parameter(part, text))
        k = close + 1
    if k >= len(tokens) or _word(tokens[k]) != "RETURNS":
        return None
    k += 1
    returns_start = k
    if _word(tokens[k]) == "@" or tokens[k].token_type == TokenType.PARAMETER:
        returns_end = _first_at_depth_zero(tokens, k, lambda t: t.token_type == TokenType.TABLE)
        k = (returns_end or k) + 1
        if k < len(tokens) and tokens[k].token_type == TokenType.L_PAREN:
            k = _closing(tokens, k) + 1
        returns = "@var TABLE"
    else:
        end = _first_at_depth_zero(
            tokens, k, lambda t: t.token_type in (TokenType.WITH, TokenType.ALIAS)
        )
        k = end if end is not None else len(tokens)
        returns = _raw(text, tokens[returns_start:k])
    options: list[tuple[str, int]] = []
    if k < len(tokens) and tokens[k].token_type == TokenType.WITH:
        k += 1
        option: list[Token] = []
        while k < len(tokens) and not (
            tokens[k].token_type == TokenType.ALIAS
            and _word(tokens[k - 1]) not in ("EXECUTE", "EXEC")
        ):
            if tokens[k].token_type == TokenType.COMMA:
                options.append((_raw(text, option).upper(), option[0].line))
                option = []
            else:
                option.append(tokens[k])
            k += 1
        if option:
            options.append((_raw(text, option).upper(), option[0].line))
    if k >= len(tokens) or tokens[k].token_type != TokenType.ALIAS:
        return None
    return _FunctionHeader(parameters, returns, options, k + 1)


def _split_commas(tokens: Sequence[Token]) -> list[list[Token]]:
    parts: list[list[Token]] = [[]]
    depth = 0
    for token in tokens:
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
        elif token.token_type == TokenType.COMMA and depth == 0:
            parts.append([])
            continue
        parts[-1].append(token)
    return [part for part in parts if part]


def _read_parameter(tokens: list[Token], text: str) -> _Parameter:
    """`@name [AS] type [= default] [READONLY]`."""
    k = 1 if tokens[0].token_type == TokenType.PARAMETER else 0
    name = tokens[k].text
    k += 1
    if k < len(tokens) and tokens[k].token_type == TokenType.ALIAS:
        k += 1
    equals = next(
        (j for j in range(k, len(tokens)) if tokens[j].token_type == TokenType.EQ), len(tokens)
    )
    type_tokens = [t for t in tokens[k:equals] if _word(t) != "READONLY"]
    default = [t for t in tokens[equals + 1 :] if _word(t) != "READONLY"]
    return _Parameter(name, _raw(text, type_tokens), default)


def convert_function(ctx: ObjectContext) -> str:
    """A SQL UDF for inline table-valued functions and scalar functions whose body
    folds into one expression."""
    definition = ctx.obj.definition or ""
    tokens = _tokens(definition)
    header = _read_function_header(tokens, definition)
    if header is None:
        raise ManualConversion(
            [
                manual(
                    "the CREATE FUNCTION header (parameters, RETURNS, AS) could not be read",
                    rule="function",
                )
            ]
        )
    if header.returns == "@var TABLE":
        raise ManualConversion(
            [
                manual(
                    "multi-statement table-valued function: Databricks SQL functions cannot "
                    "hold statements (DECLARE, INSERT, IF, WHILE); rewrite it as a view or an "
                    "inline table function (RETURN SELECT ...), or as a procedure that fills "
                    "a table",
                    rule="function",
                )
            ]
        )
    _, _, function_name = ctx.target_name_parts(ctx.obj.schema_name, ctx.obj.name)
    null_on_null = _function_options(header, ctx)
    body = tokens[header.body :]
    parameters = [_parameter_def(parameter, ctx, definition) for parameter in header.parameters]
    if header.returns.upper() == "TABLE":
        body_expression = _inline_table_query(body, definition, ctx)
        columns = _table_columns(body_expression, ctx)
        returns = exp.ReturnsProperty(
            this=exp.Schema(this=exp.var("TABLE"), expressions=columns), is_table=True
        )
    else:
        body_expression = _scalar_return(body, definition, header, ctx)
        if null_on_null and header.parameters:
            body_expression = _null_on_null(body_expression, header.parameters)
        returns = exp.ReturnsProperty(this=databricks_type(header.returns, ctx))

    def function(result: exp.Expression) -> exp.Expression:
        return exp.Create(
            this=exp.UserDefinedFunction(
                this=target_table(ctx, ctx.obj.schema_name, ctx.obj.name),
                expressions=[parameter.copy() for parameter in parameters],
                wrapped=True,
            ),
            kind="FUNCTION",
            replace=True,
            expression=exp.Return(this=result),
            properties=exp.Properties(expressions=[returns.copy()]),
        )

    reference = _parameter_reference(function_name, body_expression)
    result = _converted(body_expression, ctx, function, variable_reference=reference)
    sql = write_databricks(function(result), pretty=True) + ";"  # `result` is read below
    _refuse_type_methods(result, sql)
    return sql


def _refuse_type_methods(expression: exp.Expression, sql: str) -> None:
    """CLR type methods (`@g.STIntersects(...)`, `geography::Point(...)`) have no
    Databricks form; without this check they would survive as text."""
    for node in expression.walk():
        method = isinstance(node, exp.Dot) and isinstance(node.expression, exp.Anonymous)
        if method and not isinstance(node.this, exp.Identifier | exp.Dot):
            call = f"{node.expression.name}()"
        elif isinstance(node, exp.ScopeResolution):
            call = node.sql(_TSQL).split("(")[0].replace("SCOPE_RESOLUTION", "") or "::"
        else:
            continue
        raise ManualConversion(
            [
                manual(
                    f"the body calls {call}, a method of a SQL Server CLR type (geography, "
                    "geometry, hierarchyid) with no Databricks function; rewrite it with "
                    "Databricks spatial (ST_*) or string functions",
                    line=_line(node),
                    rule="function",
                )
            ],
            partial_sql=sql,
        )


_FUNCTION_OPTIONS = {
    "SCHEMABINDING": "Databricks does not stop the objects it reads from being dropped",
    "ENCRYPTION": "Databricks stores function text in the clear; restrict it with grants",
    "CALLED ON NULL INPUT": "the Databricks default",
    "INLINE = ON": "Databricks inlines SQL functions itself",
    "INLINE = OFF": "Databricks inlines SQL functions itself",
}


def _function_options(header: _FunctionHeader, ctx: ObjectContext) -> bool:
    """Report the WITH options; True when RETURNS NULL ON NULL INPUT is among them
    (kept as a CASE around the body)."""
    null_on_null = False
    for option, line in header.options:
        normalised = " ".join(option.split())
        if normalised == "RETURNS NULL ON NULL INPUT":
            null_on_null = True
        elif normalised in _FUNCTION_OPTIONS:
            ctx.info(
                f"WITH {normalised} dropped: {_FUNCTION_OPTIONS[normalised]}",
                line=line,
                rule="function_option",
            )
        else:
            ctx.warn(
                f"WITH {normalised} dropped: no Databricks counterpart (Databricks SQL "
                "functions run with the privileges of their owner on the objects they read)",
                line=line,
                rule="function_option",
            )
    return null_on_null


def _null_on_null(expression: exp.Expression, parameters: list[_Parameter]) -> exp.Expression:
    """RETURNS NULL ON NULL INPUT as `CASE WHEN p IS NULL OR ... THEN NULL ELSE body END`."""
    condition = exp.or_(
        *[exp.Is(this=_variable(p.name), expression=exp.null()) for p in parameters]
    )
    return exp.Case(ifs=[exp.If(this=condition, true=exp.null())], default=expression)


def _variable(name: str) -> exp.Parameter:
    return exp.Parameter(this=exp.var(name))


def _parameter_def(parameter: _Parameter, ctx: ObjectContext, text: str) -> exp.ColumnDef:
    constraints = []
    if parameter.default:
        # written with the function, by write_databricks
        default = to_databricks(
            _parse_tokens_expression(parameter.default, text), ctx, check_writable=False
        )
        constraints.append(exp.ColumnConstraint(kind=exp.DefaultColumnConstraint(this=default)))
    return exp.ColumnDef(
        this=_identifier(parameter.name),
        kind=databricks_type(parameter.type, ctx, column=f"parameter @{parameter.name}"),
        constraints=constraints,
    )


def _parse_tokens_expression(tokens: list[Token], text: str) -> exp.Expression:
    with quiet_sqlglot():
        parsed = _TSQL.parser(error_level=ErrorLevel.RAISE).parse_into(exp.Condition, tokens, text)
    return parsed[0]


def _parameter_reference(
    function_name: str, body: exp.Expression
) -> Callable[[str], exp.Expression]:
    """How the body spells parameter `p`: `function.p` wherever a FROM column of
    the same name could capture a bare `p` (Databricks resolves columns first)."""
    qualify = body.find(exp.Select) is not None

    def reference(name: str) -> exp.Expression:
        if qualify:
            return exp.column(_identifier(name), table=_identifier(function_name))
        return exp.column(_identifier(name))

    return reference


def _inline_table_query(body: list[Token], text: str, ctx: ObjectContext) -> exp.Expression:
    """The query of `RETURN [(] SELECT ... [)]`."""
    if not body or _word(body[0]) != "RETURN":
        raise ManualConversion(
            [manual("an inline table function's body must be RETURN <query>", rule="function")]
        )
    statements = _parse(body[1:], text)
    query = statements[0] if statements else None
    for extra in statements[1:]:
        _report_dropped_statement(extra, ctx)
    while isinstance(query, exp.Subquery | exp.Paren):
        query = query.this
    if not isinstance(query, exp.Query):
        raise ManualConversion(
            [manual("the RETURN of this inline table function is not a query", rule="function")]
        )
    return query


def _table_columns(query: exp.Query, ctx: ObjectContext) -> list[exp.ColumnDef]:
    """The RETURNS TABLE columns Databricks requires: the catalog's columns of the
    function when it has them, else the query's output names and types."""
    if ctx.obj.columns:
        return [
            exp.ColumnDef(
                this=_identifier(column.name),
                kind=databricks_type(column.data_type, ctx, column=column.name),
            )
            for column in sorted(ctx.obj.columns, key=lambda c: c.ordinal)
        ]
    columns = []
    unknown = []
    for projection in query.selects:
        if isinstance(projection, exp.Star) or (
            isinstance(projection, exp.Column) and isinstance(projection.this, exp.Star)
        ):
            raise ManualConversion(
                [
                    manual(
                        "the function returns SELECT *, and a Databricks table function must "
                        "list its columns: name them in the query",
                        rule="function",
                    )
                ]
            )
        name = projection.alias_or_name
        kind = _output_type(projection.unalias(), query, ctx)
        if kind is None:
            unknown.append(name)
            kind = exp.DataType.build("STRING")
        columns.append(exp.ColumnDef(this=_identifier(name), kind=kind))
    if unknown:
        partial = exp.Schema(this=exp.var("TABLE"), expressions=columns).sql("databricks")
        raise ManualConversion(
            [
                manual(
                    f"the types of the returned columns {', '.join(unknown)} cannot be worked "
                    "out (Databricks table functions declare them): put them in RETURNS "
                    "TABLE, or CAST them in the query",
                    rule="function",
                )
            ],
            partial_sql=f"RETURNS {partial}",
        )
    return columns


def _output_type(
    expression: exp.Expression, query: exp.Query, ctx: ObjectContext
) -> exp.DataType | None:
    """The Databricks type of one output of `query`: a CAST's type, a table
    column's catalog type, a catalog function's RETURNS type, or sqlglot's
    inference over typed columns."""
    if isinstance(expression, exp.Cast):
        return databricks_type(expression.to, ctx)
    if isinstance(expression, exp.Column):
        source = _column_source_type(expression, query, ctx)
        return databricks_type(source, ctx) if source else None
    called = _called_function(expression, ctx)
    if called is not None:
        return called
    columns = {}
    for column in expression.find_all(exp.Column):
        source = _column_source_type(column, query, ctx)
        if source is None:
            return None
        columns[column.name.lower()] = databricks_type(source, ctx)
    return _typed(expression, columns)


def _column_source_type(column: exp.Column, query: exp.Query, ctx: ObjectContext) -> str | None:
    tables = {
        table.alias_or_name.lower(): table
        for table in query.find_all(exp.Table)
        if table.name and not isinstance(table.this, exp.Anonymous)
    }
    if column.table:
        table = tables.get(column.table.lower())
        candidates = [table] if table is not None else []
    else:
        candidates = list(tables.values())
    for table in candidates:
        found = ctx.column_type(table.name, column.name, table.db or None)
        if found is not None:
            return found
    return None


def _called_function(expression: exp.Expression, ctx: ObjectContext) -> exp.DataType | None:
    """The RETURNS type of a catalog scalar function called as the whole expression."""
    call = expression.expression if isinstance(expression, exp.Dot) else expression
    if not isinstance(call, exp.Anonymous):
        return None
    function = ctx.catalog.find(call.name, object_type=ObjectType.FUNCTION)
    if function is None or not function.definition:
        return None
    header = _read_function_header(_tokens(function.definition), function.definition)
    if header is None or header.returns.upper() in ("TABLE", "@VAR TABLE"):
        return None
    return databricks_type(header.returns, ctx)


# Statements a scalar function body cannot fold into one expression.
_BLOCKING_WORDS = {
    "WHILE": "WHILE",
    "GOTO": "GOTO",
    "CURSOR": "a cursor",
    "FETCH": "FETCH",
    "TRY": "TRY/CATCH",
    "EXEC": "EXEC",
    "EXECUTE": "EXECUTE",
    "INSERT": "INSERT",
    "UPDATE": "UPDATE",
    "DELETE": "DELETE",
    "MERGE": "MERGE",
    "TABLE": "a table variable",
}
_FUNCTION_STARTS = frozenset({"DECLARE", "SET", "SELECT", "RETURN", "IF", *_BLOCKING_WORDS})
_FUNCTION = _Starts(_FUNCTION_STARTS, _FUNCTION_STARTS)
# Folding every IF into a CASE copies the statements after it into both
# branches; past this size the expression is no longer something to review.
_MAX_FOLDED_NODES = 3000


@dataclass
class _Variables:
    """What each variable holds at a point of a scalar function body."""

    parameters: set[str]
    values: dict[str, exp.Expression] = field(default_factory=dict)
    declared: dict[str, str] = field(default_factory=dict)

    def copy(self) -> _Variables:
        return _Variables(self.parameters, dict(self.values), dict(self.declared))


def _scalar_return(
    body: list[Token], text: str, header: _FunctionHeader, ctx: ObjectContext
) -> exp.Expression:
    """The body of `BEGIN DECLARE/SET/SELECT @v = ...; IF ...; RETURN expr END` as
    one expression: every variable replaced by the value it holds at the RETURN,
    every IF ... ELSE a CASE WHEN over the two paths."""
    inner = _begin_end_inner(body)
    if inner is None:
        raise ManualConversion(
            [manual("the scalar function's body is not BEGIN ... END", rule="function")]
        )
    blockers = sorted(
        {(_BLOCKING_WORDS[_word(t)], t.line) for t in inner if _word(t) in _BLOCKING_WORDS},
        key=lambda item: item[1],
    )
    if blockers:
        raise ManualConversion(
            [
                manual(
                    f"{what} (line {line}): Databricks SQL functions cannot contain "
                    "statements, only one RETURN expression; rewrite the logic as one "
                    "expression (CASE, COALESCE, scalar subqueries) or as a procedure",
                    line=line,
                    rule="function",
                )
                for what, line in blockers
            ]
        )
    parameters = {parameter.name.lower() for parameter in header.parameters}
    result = _fold(_split(inner, _FUNCTION), _Variables(parameters), text, ctx)
    if sum(1 for _ in result.walk()) > _MAX_FOLDED_NODES:
        raise ManualConversion(
            [
                manual(
                    "folding this function's IF branches into one CASE expression makes it "
                    "too large to review; rewrite it by hand",
                    rule="function",
                )
            ]
        )
    return result


def _fold(
    statements: list[list[Token]], variables: _Variables, text: str, ctx: ObjectContext
) -> exp.Expression:
    """The value the function returns after running `statements` from `variables`."""
    for index, statement in enumerate(statements):
        word = _word(statement[0])
        rest = statements[index + 1 :]
        line = statement[0].line
        if word == "RETURN":
            if len(statement) == 1:
                _block("RETURN without a value", line)
            value = _parse_tokens_expression(statement[1:], text)
            return _inline(value, variables, line)
        if word == "BEGIN":
            return _fold(_split(statement[1:-1], _FUNCTION) + rest, variables, text, ctx)
        if word == "IF":
            body, body_end, otherwise, otherwise_end = _if_parts(statement, 0, _FUNCTION)
            condition = _inline(_parse_tokens_expression(statement[1:body], text), variables, line)
            then = _fold(
                _split(statement[body:body_end], _FUNCTION) + rest, variables.copy(), text, ctx
            )
            other = _fold(
                _split(statement[otherwise:otherwise_end], _FUNCTION) + rest,
                variables.copy(),
                text,
                ctx,
            )
            return exp.Case(ifs=[exp.If(this=condition, true=then)], default=other)
        for node in _parse(statement, text):
            _assign(node, variables, ctx)
    raise ManualConversion(
        [manual("the scalar function can end without RETURN <expression>", rule="function")]
    )


def _begin_end_inner(body: list[Token]) -> list[Token] | None:
    while body and body[-1].token_type == TokenType.SEMICOLON:
        body = body[:-1]
    if len(body) < 2 or _word(body[0]) != "BEGIN" or _word(body[-1]) != "END":
        return None
    return body[1:-1]


def _assign(node: exp.Expression, variables: _Variables, ctx: ObjectContext) -> None:
    """Record what DECLARE, SET or SELECT @v = ... puts in each variable."""
    line = _line(node)
    if isinstance(node, exp.Declare):
        for item in node.expressions:
            kind = item.args.get("kind")
            default = item.args.get("default")
            for variable in item.this if isinstance(item.this, list) else [item.this]:
                name = variable.name.lower()
                variables.declared[name] = kind.sql(_TSQL) if isinstance(kind, exp.DataType) else ""
                variables.values[name] = exp.null()
                if isinstance(default, exp.Expression):
                    _store(variable.name, default, variables, line)
        return
    if isinstance(node, exp.Set):
        for item in node.expressions:
            assignment = item.this if isinstance(item, exp.SetItem) else None
            if not isinstance(assignment, exp.EQ) or not isinstance(assignment.this, exp.Parameter):
                _block(f"`{_first_line(node)}`", line)
            _store(assignment.this.name, assignment.expression, variables, line)
        return
    if isinstance(node, exp.Select) and all(
        isinstance(p, exp.EQ) and isinstance(p.this, exp.Parameter) for p in node.expressions
    ):
        for projection in node.expressions:
            name = projection.this.name
            if not isinstance(variables.values.get(name.lower()), exp.Null):
                _block(
                    f"SELECT @{name} = ... after @{name} was given a value (a query that "
                    "finds no row would leave it unchanged)",
                    line,
                )
            query = node.copy()
            query.set("expressions", [projection.expression.copy()])
            query.set("limit", exp.Limit(expression=exp.Literal.number(1)))
            ctx.info(
                f"SELECT @{name} = ... became a scalar subquery with LIMIT 1 (SQL Server "
                "keeps one of the rows when several match, Databricks would fail)",
                line=line,
                rule="function",
            )
            _store(name, exp.Subquery(this=query), variables, line)
        return
    _block(f"`{_first_line(node)}`", line)


def _store(name: str, value: exp.Expression, variables: _Variables, line: int | None) -> None:
    key = name.lower()
    if key not in variables.declared:
        _block(f"assignment to @{name}, which is not a declared variable", line)
    inlined = _inline(value, variables, line)
    kind = variables.declared[key]
    # T-SQL converts the value to the variable's type on assignment
    variables.values[key] = (
        exp.cast(inlined, exp.DataType.build(kind, dialect="tsql")) if kind else inlined
    )


def _inline(expression: exp.Expression, variables: _Variables, line: int | None) -> exp.Expression:
    """`expression` with every variable replaced by its current value."""

    def replace(node: exp.Expression) -> exp.Expression:
        if not isinstance(node, exp.Parameter):
            return node
        key = node.name.lower()
        if key in variables.values:
            value = variables.values[key].copy()
            simple = isinstance(value, exp.Column | exp.Literal | exp.Null | exp.Func)
            return value if simple else exp.Paren(this=value)
        if key not in variables.parameters:
            _block(f"@{node.name} is used but not declared", line)
        return node

    return _unwrap(expression.copy()).transform(replace)


def _block(what: str, line: int | None) -> None:
    raise ManualConversion(
        [
            manual(
                f"{what}: the body cannot be folded into the single RETURN expression a "
                "Databricks SQL function holds; rewrite it by hand",
                line=line,
                rule="function",
            )
        ]
    )


# ---------------------------------------------------------------- trigger, sequence


def convert_trigger(ctx: ObjectContext) -> str:
    """Always MANUAL: Databricks has no triggers. The reason says what the
    trigger reacts to and writes, and what to build instead."""
    definition = ctx.obj.definition or ""
    tokens = _tokens(definition)
    timing, events, target = _trigger_header(tokens, definition)
    target = ctx.obj.parent or target
    writes = _written_tables(tokens, ctx)
    does = f"; its body writes {', '.join(writes)}" if writes else ""
    if any(_word(token) in ("ROLLBACK", "RAISERROR", "THROW") for token in tokens):
        does += "; it can reject the change (ROLLBACK / RAISERROR / THROW)"
    if target is None:
        text = (
            f"{timing} {events} DDL trigger{does}: Databricks has no triggers; use the Unity "
            "Catalog audit log (system.access.audit) to track schema changes"
        )
    elif timing == "INSTEAD OF":
        text = (
            f"INSTEAD OF {events} trigger on {target}{does}: Databricks has no triggers; the "
            "trigger replaces the write itself, so the job that writes the table must apply "
            "its logic (e.g. one MERGE) instead of writing the table directly"
        )
    else:
        text = (
            f"{timing} {events} trigger on {target}{does}: Databricks has no triggers; turn "
            "on change data feed for the table (the partial SQL does) and run the trigger's "
            "logic as a job step (a MERGE reading table_changes()) after each load, or fold "
            "it into the MERGE that loads the table"
        )
        schema, _, table = target.rpartition(".")
        feed = exp.Alter(
            this=target_table(ctx, schema or None, table),
            kind="TABLE",
            actions=[
                exp.AlterSet(
                    expressions=[
                        exp.Properties(
                            expressions=[
                                exp.Property(
                                    this=exp.Literal.string("delta.enableChangeDataFeed"),
                                    value=exp.true(),
                                )
                            ]
                        )
                    ]
                )
            ],
        )
        raise ManualConversion(
            [manual(text, line=1, rule="trigger")], partial_sql=feed.sql("databricks") + ";"
        )
    raise ManualConversion([manual(text, line=1, rule="trigger")])


def _trigger_header(tokens: list[Token], text: str) -> tuple[str, str, str | None]:
    """(AFTER | INSTEAD OF, events, schema.table or None for DDL triggers)."""
    on = next((k for k, t in enumerate(tokens) if t.token_type == TokenType.ON), None)
    if on is None:
        return "AFTER", "", None
    k = on + 1
    target: str | None = None
    if _word(tokens[k]) in ("DATABASE", "ALL"):
        k += 1 if _word(tokens[k]) == "DATABASE" else 3
    else:
        parts, k = _dotted(tokens, k)
        target = ".".join(parts[-2:])
    timing = "AFTER"
    if _word(tokens[k]) == "INSTEAD":
        timing, k = "INSTEAD OF", k + 2
    elif _word(tokens[k]) in ("AFTER", "FOR"):
        k += 1
    events: list[str] = []
    while k < len(tokens) and tokens[k].token_type != TokenType.ALIAS and _word(tokens[k]) != "NOT":
        if tokens[k].token_type != TokenType.COMMA and _word(tokens[k]) != "WITH":
            events.append(tokens[k].text.upper())
        k += 1
    return timing, ", ".join(events), target


def _dotted(tokens: Sequence[Token], k: int) -> tuple[list[str], int]:
    """The parts of the dotted name at k (`db.schema.name`), and the index after it."""
    parts = [tokens[k].text]
    k += 1
    while k + 1 < len(tokens) and tokens[k].token_type == TokenType.DOT:
        parts.append(tokens[k + 1].text)
        k += 2
    return parts, k


def _written_tables(tokens: list[Token], ctx: ObjectContext) -> list[str]:
    """`table (VERB)` for every INSERT INTO / UPDATE / DELETE FROM / MERGE INTO of a
    catalog table (an alias or a temp table is not one) in a body."""
    found: dict[str, list[str]] = {}
    for k, token in enumerate(tokens):
        verb = _word(token)
        if verb not in ("INSERT", "UPDATE", "DELETE", "MERGE") or k + 1 >= len(tokens):
            continue
        j = k + 2 if _word(tokens[k + 1]) in ("INTO", "FROM") else k + 1
        if j >= len(tokens) or tokens[j].token_type not in (TokenType.VAR, TokenType.IDENTIFIER):
            continue
        parts, _ = _dotted(tokens, j)
        schema = parts[-2] if len(parts) > 1 else None
        table = ctx.catalog.find(parts[-1], schema, ObjectType.TABLE)
        if table is None:
            continue
        verbs = found.setdefault(table.qualified_name, [])
        if verb not in verbs:
            verbs.append(verb)
    return [f"{name} ({', '.join(verbs)})" for name, verbs in found.items()]


def convert_sequence(ctx: ObjectContext) -> str:
    """Always MANUAL: Databricks has no sequences. The reason names START and
    INCREMENT and the tables that draw from the sequence."""
    definition = ctx.obj.definition or ""
    tokens = _tokens(definition)
    start = _number_after(tokens, "START", "WITH") or "1"
    increment = _number_after(tokens, "INCREMENT", "BY") or "1"
    users = _sequence_users(ctx)
    where = (
        f"; it feeds {', '.join(users)}: make that column BIGINT GENERATED BY DEFAULT AS "
        f"IDENTITY (START WITH {start} INCREMENT BY {increment}) and drop its default"
        if users
        else "; where a table takes its values as a default, make that column BIGINT "
        f"GENERATED BY DEFAULT AS IDENTITY (START WITH {start} INCREMENT BY {increment})"
    )
    raise ManualConversion(
        [
            manual(
                f"sequence START WITH {start} INCREMENT BY {increment}: Databricks has no "
                f"sequences{where}; values drawn in procedures (NEXT VALUE FOR) need the "
                "identity column or max(id) + row_number() instead",
                line=1,
                rule="sequence",
            )
        ]
    )


def _number_after(tokens: list[Token], first: str, second: str) -> str | None:
    for k in range(len(tokens) - 2):
        if _word(tokens[k]) == first and _word(tokens[k + 1]) == second:
            sign = "-" if tokens[k + 2].token_type == TokenType.DASH else ""
            number = tokens[k + 3] if sign else tokens[k + 2]
            return sign + number.text
    return None


def _sequence_users(ctx: ObjectContext) -> list[str]:
    """`schema.table.column` of every column whose default draws from this sequence."""
    users = []
    for table in ctx.catalog.of_type(ObjectType.TABLE):
        for column in table.columns:
            if not column.default:
                continue
            for call in _parse_expression(column.default).find_all(exp.NextValueFor):
                if call.this.name.lower() == ctx.obj.name.lower():
                    users.append(f"{table.qualified_name}.{column.name}")
    return users
