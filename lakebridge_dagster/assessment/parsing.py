"""Parse an object with sqlglot, and decide whether the parse can be trusted.

sqlglot reads T-SQL procedural code leniently: what it does not understand
becomes an opaque `Command`, and a few statements are read as something else
(`OPEN c` parses as a column `OPEN` aliased `c`). An object counts as parsed
only when sqlglot raised no error, produced no `Command`, and every statement
it found, at the top and inside BEGIN/IF/WHILE blocks, is a statement node.
Everything else is analysed from the token stream.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, SqlglotError

from lakebridge_dagster.assessment.tokens import TokenStream
from lakebridge_dagster.sqlglot_logging import quiet_sqlglot

STATEMENTS: tuple[type[exp.Expression], ...] = (
    exp.Query,
    exp.DML,
    exp.DDL,
    exp.Create,
    exp.Drop,
    exp.Alter,
    exp.Declare,
    exp.Set,
    exp.IfBlock,
    exp.WhileBlock,
    exp.Block,
    exp.Execute,
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
    exp.Use,
    exp.Return,
    exp.TruncateTable,
    exp.EndStatement,
)

_parsers: dict[str, type] = {}


def _positioned_parser(dialect: str) -> type:
    """The dialect's parser, recording where every statement starts.

    sqlglot keeps token positions on identifiers and literals only; statements
    (BEGIN TRAN, MERGE, WHILE) need theirs for evidence lines."""
    if dialect not in _parsers:
        base = sqlglot.Dialect.get_or_raise(dialect).parser_class

        class PositionedParser(base):  # type: ignore[misc, valid-type]
            def _parse_statement(self):  # noqa: ANN202 - sqlglot's signature
                start = self._curr
                statement = super()._parse_statement()
                if statement is not None and start is not None and "start" not in statement.meta:
                    statement.update_positions(start)
                return statement

        _parsers[dialect] = PositionedParser
    return _parsers[dialect]


def parse_trusted(stream: TokenStream) -> list[exp.Expression] | None:
    """The statements of `stream` when sqlglot parses all of it faithfully, else None."""
    if stream.has_commands:
        return None
    dialect = sqlglot.Dialect.get_or_raise(stream.dialect.value)
    parser = _positioned_parser(stream.dialect.value)(dialect=dialect, error_level=ErrorLevel.RAISE)
    try:
        with quiet_sqlglot():
            statements = [s for s in parser.parse(stream.raw, stream.text) if s is not None]
    except (SqlglotError, RecursionError):
        return None
    if not statements or not all(_trusted(statement) for statement in statements):
        return None
    return statements


def _trusted(statement: exp.Expression) -> bool:
    if not isinstance(statement, STATEMENTS):
        return False
    for node in statement.walk():
        if isinstance(node, exp.Command):
            return False
        if isinstance(node, exp.Block) and not all(
            isinstance(inner, STATEMENTS) for inner in node.expressions
        ):
            return False
        if isinstance(node, exp.IfBlock | exp.WhileBlock):
            branches = [node.args.get(key) for key in ("true", "false", "body")]
            if not all(isinstance(b, STATEMENTS) for b in branches if b is not None):
                return False
        if (
            isinstance(node, exp.Execute)
            and isinstance(node.this, exp.Subquery)
            and (node.this.alias or node.expressions)
        ):
            return False  # EXEC (...) AT server, read as an aliased subquery
    return True
