"""The SQL text an object executes dynamically, reassembled from its literals.

String literals never produce findings, except one kind: a string that is
executed. This module finds the strings an object executes:

- T-SQL: the literals inside `EXEC (...)` and in the first argument of
  `sp_executesql`, and those assigned (SET, SELECT, DECLARE) to a variable that
  is executed that way;
- PL/pgSQL: the literals of `EXECUTE <expression>` (the template of
  `format()`), and those assigned to a variable that is executed.

The literals of one executed statement are joined in source order, with a
placeholder name where an expression was concatenated, and the result is
tokenized and analysed like code. One level only: a variable concatenated into
the executed one is a placeholder, not followed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlglot.errors import TokenError

from lakebridge_dagster.assessment.tokens import (
    NUMBER,
    QUOTED,
    STRING,
    SYSVAR,
    VARIABLE,
    WORD,
    Dialect,
    LineIndex,
    TokenStream,
    tokenize,
)

PLACEHOLDER = "__expr__"
# Words that end a declared type: what follows a variable is then not a declaration.
_NOT_A_TYPE = frozenset(
    "FROM WHERE SELECT SET AND OR ON JOIN INTO UNION ORDER GROUP BY HAVING END BEGIN IF ELSE "
    "WHILE RETURN DEFAULT".split()
)
_PG_STATEMENT_START = ("BEGIN", "THEN", "ELSE", "LOOP", "DECLARE")


@dataclass(frozen=True)
class Fragment:
    """A literal's content and where that content starts in the object's definition."""

    text: str
    offset: int


@dataclass(frozen=True)
class ExecutedSql:
    """One statement executed dynamically: its literal fragments, None for expressions."""

    parts: tuple[Fragment | None, ...]

    def stream(self, dialect: Dialect, lines: LineIndex) -> TokenStream | None:
        """The executed text as a token stream located in the definition; None if untokenizable."""
        pieces: list[str] = []
        spans: list[tuple[int, Fragment]] = []
        position = 0
        for part in self.parts:
            text = f" {PLACEHOLDER} " if part is None else part.text
            if part is not None:
                spans.append((position, part))
            pieces.append(text)
            position += len(text)
        joined = "".join(pieces)
        if not spans:
            return None
        try:
            return tokenize(joined, dialect, _locator(spans, lines))
        except TokenError:
            return None


def _locator(spans: list[tuple[int, Fragment]], lines: LineIndex) -> Callable[[int], int]:
    """Maps an offset of the joined text to the definition (exact to the line)."""

    def locate(offset: int) -> int:
        start, fragment = spans[0]
        for span_start, span_fragment in spans:
            if span_start <= offset:
                start, fragment = span_start, span_fragment
        inside = max(offset - start, 0)
        newlines = fragment.text.count("\n", 0, inside)
        if not newlines:
            return fragment.offset + inside
        return lines.line_start(lines.line(fragment.offset) + newlines)

    return locate


def executed_sql(stream: TokenStream) -> list[ExecutedSql]:
    """Every dynamically executed statement of `stream` that has literal parts."""
    finder = _Finder(stream)
    found = finder.in_tsql() if stream.dialect is Dialect.TSQL else finder.in_plpgsql()
    return [executed for executed in found if any(part is not None for part in executed.parts)]


class _Finder:
    def __init__(self, stream: TokenStream) -> None:
        self.s = stream
        self.t = stream.tokens
        self.tsql = stream.dialect is Dialect.TSQL

    def word(self, i: int, *words: str) -> bool:
        return 0 <= i < len(self.t) and self.t[i].is_word(*words)

    def punct(self, i: int, *texts: str) -> bool:
        return 0 <= i < len(self.t) and self.t[i].is_punct(*texts)

    def fragment(self, i: int) -> Fragment:
        tok = self.t[i]
        return Fragment(tok.value, self.s.locate(tok.content_start))

    # -- T-SQL -------------------------------------------------------------------

    def in_tsql(self) -> list[ExecutedSql]:
        found: list[ExecutedSql] = []
        variables: set[str] = set()
        for i, tok in enumerate(self.t):
            if tok.is_word("EXEC", "EXECUTE") and self.punct(i + 1, "("):
                close = self.s.closing(i + 1)
                if close is not None:
                    parts = self.operands(i + 2, close, variables, None)
                    found.append(ExecutedSql(tuple(parts)))
            elif tok.up == "SP_EXECUTESQL" and tok.kind in (WORD, QUOTED):
                end = self.tsql_expression_end(i + 1)
                parts = self.operands(i + 1, end, variables, None)
                found.append(ExecutedSql(tuple(parts)))
        for name in sorted(variables):
            parts = self.assignments(name)
            if parts:
                found.append(ExecutedSql(tuple(parts)))
        return found

    def tsql_expression_end(self, i: int) -> int:
        """The end (exclusive) of the expression starting at `i`: operands joined by +."""
        j = self.operand_end(i)
        while j > i and self.punct(j, "+") and not self.punct(j + 1, "="):
            j = self.operand_end(j + 1)
        return j

    def operand_end(self, i: int) -> int:
        if i >= len(self.t):
            return i
        tok = self.t[i]
        if tok.is_punct("("):
            close = self.s.closing(i)
            return close + 1 if close is not None else i + 1
        if tok.kind == WORD and self.punct(i + 1, "("):
            close = self.s.closing(i + 1)
            return close + 1 if close is not None else i + 2
        if tok.kind in (STRING, VARIABLE, SYSVAR, WORD, QUOTED, NUMBER):
            return i + 1
        return i

    def assignments(self, name: str) -> list[Fragment | None]:
        """Fragments of every `SET/SELECT/DECLARE name [+]= expression`, in order."""
        parts: list[Fragment | None] = []
        for i, tok in enumerate(self.t):
            if tok.up != name or not (
                self.word(i - 1, "SET", "SELECT", "DECLARE") or self.punct(i - 1, ",")
            ):
                continue
            j = i + 1
            if self.word(i - 1, "DECLARE") or self.punct(i - 1, ","):
                j = self.skip_type(j)
            if self.punct(j, "+") and self.punct(j + 1, "="):
                j += 1
            if not self.punct(j, "="):
                continue
            end = self.tsql_expression_end(j + 1)
            parts.extend(self.operands(j + 1, end, set(), name))
        return parts

    def skip_type(self, j: int) -> int:
        """Past a declared type (`NVARCHAR(MAX)`, `AS VARCHAR(100)`), if one is there."""
        for _ in range(4):
            if self.punct(j, "("):
                j = (self.s.closing(j) or j) + 1
            elif self.word(j) and self.t[j].up not in _NOT_A_TYPE:
                j += 1
            else:
                break
        return j

    def operands(
        self, start: int, end: int, variables: set[str], own: str | None
    ) -> list[Fragment | None]:
        """Literal fragments of tokens [start, end); executed variables go to `variables`."""
        parts: list[Fragment | None] = []
        i = start
        while i < end:
            tok = self.t[i]
            if tok.kind == STRING:
                parts.append(self.fragment(i))
            elif tok.is_punct("("):
                close = self.s.closing(i) or end
                parts.extend(self.operands(i + 1, min(close, end), variables, own))
                i = close
            elif tok.kind == WORD and self.punct(i + 1, "("):
                close = self.s.closing(i + 1) or end
                if tok.up == "FORMAT" and not self.tsql:
                    template_end = self.argument_end(i + 2, close)
                    parts.extend(self.operands(i + 2, template_end, variables, own))
                else:
                    parts.append(None)
                i = close
            elif tok.kind == VARIABLE or (not self.tsql and tok.kind == WORD and not tok.keyword):
                if tok.up != own:
                    variables.add(tok.up)
                    parts.append(None)
            elif tok.kind in (SYSVAR, QUOTED, NUMBER, WORD):
                parts.append(None)
            i += 1
        return parts

    def argument_end(self, i: int, close: int) -> int:
        """The end of the first argument of a call whose arguments start at `i`."""
        j = i
        while j < close:
            if self.punct(j, "("):
                j = (self.s.closing(j) or close) + 1
                continue
            if self.punct(j, ","):
                return j
            j += 1
        return close

    # -- PL/pgSQL ----------------------------------------------------------------

    def in_plpgsql(self) -> list[ExecutedSql]:
        found: list[ExecutedSql] = []
        variables: set[str] = set()
        for i, tok in enumerate(self.t):
            if tok.is_word("EXECUTE") and not self.word(i + 1, "FUNCTION", "PROCEDURE", "ON"):
                end = self.plpgsql_expression_end(i + 1)
                found.append(ExecutedSql(tuple(self.operands(i + 1, end, variables, None))))
        for name in sorted(variables):
            parts = self.plpgsql_assignments(name)
            if parts:
                found.append(ExecutedSql(tuple(parts)))
        return found

    def plpgsql_expression_end(self, i: int) -> int:
        j = i
        while j < len(self.t):
            if self.punct(j, "(") and self.s.closing(j) is not None:
                j = self.s.closing(j) + 1
                continue
            if self.punct(j, ";") or self.word(j, "INTO", "USING", "LOOP"):
                break
            j += 1
        return j

    def plpgsql_assignments(self, name: str) -> list[Fragment | None]:
        """Fragments of every `name := expression;` (and `name type := / DEFAULT`)."""
        parts: list[Fragment | None] = []
        for i, tok in enumerate(self.t):
            if tok.kind != WORD or tok.up != name:
                continue
            if not (self.punct(i - 1, ";") or self.word(i - 1, *_PG_STATEMENT_START)):
                continue
            j = self.skip_type(i + 1)
            if not (self.punct(j, ":=", "=") or self.word(j, "DEFAULT")):
                continue
            end = self.plpgsql_expression_end(j + 1)
            parts.extend(self.operands(j + 1, end, set(), name))
        return parts
