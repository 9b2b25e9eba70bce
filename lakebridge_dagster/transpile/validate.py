"""Every output is checked before it is called CONVERTED.

- It parses as Databricks SQL: with sqlglot for plain statements (a statement
  sqlglot can only keep as a raw Command does not count), and with our
  scripting checker for procedures and compound statements.
- No function that exists only in the source dialect remains.
- The object's target name is in it.
- It is not drastically shorter than the input unless a message says what
  was dropped.
"""

from __future__ import annotations

import re

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, SqlglotError
from sqlglot.tokens import Token, TokenType

from lakebridge_dagster.sqlglot_logging import quiet_sqlglot
from lakebridge_dagster.transpile import tsql_expressions
from lakebridge_dagster.transpile.context import ObjectContext
from lakebridge_dagster.transpile.model import Message
from lakebridge_dagster.transpile.scripting import check_script

# PostgreSQL functions with no Databricks function of the same name.
POSTGRES_ONLY_BUILTINS = frozenset(
    {
        "NEXTVAL", "CURRVAL", "SETVAL", "LASTVAL", "AGE", "JUSTIFY_DAYS", "JUSTIFY_HOURS",
        "JUSTIFY_INTERVAL", "TO_TSVECTOR", "TO_TSQUERY", "PLAINTO_TSQUERY", "TS_RANK",
        "STRING_TO_ARRAY", "ARRAY_TO_STRING", "REGEXP_MATCHES", "JSONB_BUILD_OBJECT",
        "JSON_BUILD_OBJECT", "JSONB_AGG", "JSON_AGG", "JSONB_SET", "JSONB_EXTRACT_PATH_TEXT",
        "JSON_EXTRACT_PATH_TEXT", "TIME_BUCKET", "GENERATE_SERIES", "CLOCK_TIMESTAMP",
        "STATEMENT_TIMESTAMP", "TRANSACTION_TIMESTAMP", "PG_SLEEP", "TXID_CURRENT", "UNNEST",
    }
)  # fmt: skip

# An output shorter than this share of its input needs a recorded reason.
MIN_OUTPUT_SHARE = 0.5

_SCRIPT_START = re.compile(r"^\s*(CREATE\s+(OR\s+REPLACE\s+)?PROCEDURE\b|BEGIN\b)", re.IGNORECASE)
_DATABRICKS = sqlglot.Dialect.get_or_raise("databricks")


def builtins_for(dialect: str) -> frozenset[str]:
    """The function names that must not survive conversion from `dialect`."""
    return POSTGRES_ONLY_BUILTINS if dialect == "postgres" else tsql_expressions.TSQL_ONLY_BUILTINS


def validate_output(sql: str, ctx: ObjectContext, source_dialect: str) -> list[Message]:
    """Errors found in `sql`, the Databricks SQL converted for `ctx.obj`; empty when valid."""
    tokens = _tokens(sql)
    errors = [error(text, rule="reparse") for text in parse_problems(sql, tokens)]
    if tokens is None:
        return errors or [error("the output cannot be tokenized as Databricks SQL", "reparse")]
    errors += _leftover_builtins(tokens, builtins_for(source_dialect))
    _, _, target_name = ctx.target_name_parts(ctx.obj.schema_name, ctx.obj.name)
    if not any(token.text.lower() == target_name.lower() for token in tokens):
        errors.append(error(f"the object's name {target_name!r} is not in the output", "name"))
    errors += _shrinkage(ctx, tokens)
    return errors


def parse_problems(sql: str, tokens: list[Token] | None = None) -> list[str]:
    """Why `sql` does not parse as Databricks SQL (empty when it does). `tokens`:
    its Databricks tokens when the caller has them (None: tokenized here)."""
    if _SCRIPT_START.match(sql):
        return check_script(sql)
    try:
        with quiet_sqlglot():
            if tokens is None:
                tokens = _DATABRICKS.tokenize(sql)
            parser = _DATABRICKS.parser(error_level=ErrorLevel.RAISE)
            statements = parser.parse(tokens, sql)
    except SqlglotError as exc:
        return [f"does not parse as Databricks SQL: {_first_line(str(exc))}"]
    except Exception as exc:  # noqa: BLE001 - sqlglot's parser itself crashes on some input
        return [f"sqlglot crashed re-parsing it as Databricks SQL ({type(exc).__name__}: {exc})"]
    problems = []
    for statement in statements:
        if statement is None:
            continue
        for command in statement.find_all(exp.Command):
            problems.append(
                "sqlglot could only keep a raw command, not parse it as Databricks SQL: "
                f"{_first_line(command.sql('databricks'))[:120]}"
            )
    return problems


def significant_chars(sql: str, dialect: str) -> int:
    """Characters of `sql` that are not comments or whitespace (tokens' text)."""
    try:
        tokens = sqlglot.Dialect.get_or_raise(dialect).tokenize(sql)
    except SqlglotError:
        return len("".join(sql.split()))
    return sum(len(token.text) for token in tokens)


def error(text: str, rule: str) -> Message:
    return Message(level="error", text=text, rule=rule)


def _tokens(sql: str) -> list[Token] | None:
    try:
        return _DATABRICKS.tokenize(sql)
    except SqlglotError:
        return None


def _leftover_builtins(tokens: list[Token], names: frozenset[str]) -> list[Message]:
    found: list[Message] = []
    for index, (token, following) in enumerate(zip(tokens, tokens[1:], strict=False)):
        if following.token_type != TokenType.L_PAREN:
            continue
        if index > 0 and tokens[index - 1].token_type == TokenType.DOT:
            continue  # schema.name(...): a user function, remapped like a table
        if token.token_type == TokenType.IDENTIFIER:  # quoted: a user name, not a builtin
            continue
        if token.text.upper() in names:
            found.append(
                Message(
                    level="error",
                    text=f"{token.text.upper()}() is not a Databricks function",
                    line=token.line,
                    rule="builtins",
                )
            )
    for token, following in zip(tokens, [*tokens[1:], None], strict=True):
        if token.token_type == TokenType.PARAMETER:
            name = f"@{following.text}" if following is not None else "@"
            found.append(
                Message(
                    level="error",
                    text=f"a T-SQL variable reference ({name}) remains",
                    line=token.line,
                    rule="builtins",
                )
            )
            break
    return found


def _shrinkage(ctx: ObjectContext, output_tokens: list[Token]) -> list[Message]:
    definition = ctx.obj.definition
    if not definition:
        return []
    if any(message.level in ("warning", "info") for message in ctx.messages):
        return []  # the converter said what it dropped
    output_chars = sum(len(token.text) for token in output_tokens)
    if output_chars >= MIN_OUTPUT_SHARE * len(definition):
        return []  # no need to tokenize the source: a token's text is never longer than it
    source_dialect = "postgres" if ctx.catalog.dialect == "postgres" else "tsql"
    source_chars = significant_chars(definition, source_dialect)
    if source_chars == 0 or output_chars >= MIN_OUTPUT_SHARE * source_chars:
        return []
    return [
        error(
            f"the output has {output_chars} significant characters for {source_chars} in the "
            "source and no message says what was dropped: something may have been lost",
            "length",
        )
    ]


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text
