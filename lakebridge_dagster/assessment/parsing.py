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
from sqlglot.tokens import Token, TokenType

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

# Each token is handed to the parser with this comment appended; sqlglot attaches a
# token's comments to the statement it starts (and to the first node built after it),
# which tells where each statement starts. The markers are removed after parsing.
_START_MARK = "lakebridge-token:"


def parse_trusted(stream: TokenStream) -> list[exp.Expression] | None:
    """The statements of `stream` when sqlglot parses all of it faithfully, else None.

    Every statement (also inside BEGIN/IF/WHILE blocks) gets the position of its
    first token: sqlglot keeps token positions on identifiers and literals only;
    statements (BEGIN TRAN, MERGE, WHILE) need theirs for evidence lines."""
    if stream.has_commands:
        return None
    dialect = sqlglot.Dialect.get_or_raise(stream.dialect.value)
    parser = dialect.parser(error_level=ErrorLevel.RAISE)
    tokens = [
        Token(
            token.token_type,
            token.text,
            line=token.line,
            col=token.col,
            start=token.start,
            end=token.end,
            comments=[*token.comments, f"{_START_MARK}{index}"],
        )
        if token.token_type != TokenType.SEMICOLON  # a commented `;` is a statement
        else token
        for index, token in enumerate(stream.raw)
    ]
    try:
        with quiet_sqlglot():
            statements = [s for s in parser.parse(tokens, stream.text) if s is not None]
    except (SqlglotError, RecursionError):
        return None
    for statement in statements:
        _place_statements(statement, stream.raw)
    if not statements or not all(_trusted(statement) for statement in statements):
        return None
    return statements


def _place_statements(root: exp.Expression, raw: list[Token]) -> None:
    """Give every statement under `root` (itself included) without a position the
    position of its first token: the earliest token whose marker ended up in its
    subtree. Removes the markers."""
    first: dict[int, int] = {}  # id(node) -> earliest marked token index in its subtree
    nodes = list(root.walk())
    for node in nodes:
        if not node.comments:
            continue
        marks = [int(c[len(_START_MARK) :]) for c in node.comments if c.startswith(_START_MARK)]
        if marks:
            kept = [c for c in node.comments if not c.startswith(_START_MARK)]
            node.pop_comments()
            if kept:
                node.add_comments(kept)
            first[id(node)] = min(marks)
    for node in reversed(nodes):  # children before parents
        index = first.get(id(node))
        for child in node.iter_expressions():
            child_index = first.get(id(child))
            if child_index is not None and (index is None or child_index < index):
                index = child_index
        if index is None:
            continue
        first[id(node)] = index
        if _at_statement_level(node) and "start" not in node.meta:
            if isinstance(node, exp.WhileBlock) and index > 0:
                # WHILE is matched as text: its marker goes to no node
                if raw[index - 1].text.upper() == "WHILE":
                    index -= 1
            node.update_positions(raw[index])


def _at_statement_level(node: exp.Expression) -> bool:
    """A statement of the batch or of a BEGIN/IF/WHILE block (not a query inside
    a statement, nor the body of a view)."""
    parent = node.parent
    if parent is None:
        return True
    return isinstance(node, STATEMENTS) and isinstance(
        parent, exp.Block | exp.IfBlock | exp.WhileBlock
    )


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
