"""Checks Databricks SQL scripting text (procedures, compound statements):
the block structure by our own small parser, each leaf statement by sqlglot.

sqlglot parses single Databricks statements but not SQL scripting (`BEGIN
DECLARE x INT; ... END`), so the blocks are walked here, over sqlglot's
Databricks tokens, and only the statements inside them go to sqlglot.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import Token, TokenType

from lakebridge_dagster.sqlglot_logging import quiet_sqlglot

_DIALECT = "databricks"
_TOKENIZER = sqlglot.Dialect.get_or_raise(_DIALECT).tokenizer_class

# Words that open a plain SQL statement, checked whole by sqlglot.
_LEAF_STARTS = frozenset(
    {
        "SELECT", "WITH", "INSERT", "UPDATE", "DELETE", "MERGE", "VALUES", "TRUNCATE",
        "CREATE", "DROP", "ALTER", "USE", "TABLE", "FROM", "(",
    }
)  # fmt: skip
# Words that end a list of statements (the enclosing construct takes over).
_LIST_ENDS = frozenset({"END", "ELSE", "ELSEIF", "WHEN", "UNTIL"})
_LOOPS = frozenset({"WHILE", "LOOP", "REPEAT", "FOR"})
_CHARACTERISTICS = {
    "LANGUAGE": ("SQL",),
    "SQL": ("SECURITY",),
    "NOT": ("DETERMINISTIC",),
    "DETERMINISTIC": (),
    "MODIFIES": ("SQL", "DATA"),
    "READS": ("SQL", "DATA"),
    "CONTAINS": ("SQL",),
}


class _Stop(Exception):  # noqa: N818 - control flow: a structural problem ends the walk
    pass


@dataclass
class _Label:
    name: str
    is_loop: bool


@dataclass
class _Checker:
    sql: str
    toks: list[Token]
    pos: int = 0
    problems: list[str] = field(default_factory=list)
    labels: list[_Label] = field(default_factory=list)

    # -- tokens --------------------------------------------------------------

    def tok(self, offset: int = 0) -> Token | None:
        i = self.pos + offset
        return self.toks[i] if i < len(self.toks) else None

    def word(self, offset: int = 0) -> str:
        """Upper-case text of a token that can be a keyword ('' for strings,
        quoted identifiers and the end of the text)."""
        tok = self.tok(offset)
        if tok is None or tok.token_type in (TokenType.STRING, TokenType.IDENTIFIER):
            return ""
        return tok.text.upper()

    def is_name(self, offset: int = 0) -> bool:
        """A token that can be a label or variable name (keywords like INNER too)."""
        tok = self.tok(offset)
        if tok is None or tok.token_type == TokenType.STRING:
            return False
        return tok.token_type == TokenType.IDENTIFIER or tok.text.isidentifier()

    def line(self) -> int:
        tok = self.tok() or (self.toks[-1] if self.toks else None)
        return tok.line if tok is not None else 1

    def fail(self, text: str) -> _Stop:
        self.problems.append(f"line {self.line()}: {text}")
        return _Stop()

    def expect(self, *words: str) -> None:
        for word in words:
            if self.word() != word:
                found = self.tok().text if self.tok() is not None else "the end of the script"
                raise self.fail(f"expected {word}, found {found}")
            self.pos += 1

    def accept(self, *words: str) -> bool:
        if all(self.word(k) == w for k, w in enumerate(words)):
            self.pos += len(words)
            return True
        return False

    def text(self, start: int, end: int) -> str:
        """Source text of tokens [start, end)."""
        if start >= end:
            return ""
        first, last = self.toks[start], self.toks[end - 1]
        begin = first.start
        if last.token_type == TokenType.STRING and self.toks[end - 2 : end - 1]:
            # a command's argument string: its start offset is unreliable
            begin = min(begin, last.end - len(last.text) + 1)
        return self.sql[begin : last.end + 1]

    def scan_to(self, *stops: str, stop_at_semicolon: bool = True) -> int:
        """Index of the first token at nesting depth 0 that is one of `stops`
        (or `;`); parentheses and CASE ... END nest."""
        depth = cases = 0
        i = self.pos
        while i < len(self.toks):
            tok = self.toks[i]
            quoted = tok.token_type in (TokenType.STRING, TokenType.IDENTIFIER)
            word = "" if quoted else tok.text.upper()
            semicolon = stop_at_semicolon and tok.token_type == TokenType.SEMICOLON
            if depth == 0 and not cases and (word in stops or semicolon):
                return i
            if word in ("(", "["):
                depth += 1
            elif word in (")", "]"):
                depth -= 1
            elif depth == 0 and word == "CASE":
                cases += 1
            elif depth == 0 and cases and word == "END":
                cases -= 1
            i += 1
        return i

    def end_statement(self) -> None:
        if self.tok() is None or self.tok().token_type != TokenType.SEMICOLON:
            found = self.tok().text if self.tok() is not None else "the end of the script"
            raise self.fail(f"expected ; after the statement, found {found}")
        self.pos += 1

    # -- sqlglot checks ------------------------------------------------------

    def check_sql(self, text: str, line: int, what: str) -> exp.Expression | None:
        with quiet_sqlglot():
            try:
                parsed = sqlglot.parse(text, read=_DIALECT)
            except (ParseError, TokenError) as error:
                first = str(error).splitlines()[0]
                self.problems.append(f"line {line}: {what} does not parse: {first}")
                return None
        statements = [p for p in parsed if p is not None]
        if len(statements) != 1:
            self.problems.append(f"line {line}: {what} is not one statement")
            return None
        if isinstance(statements[0], exp.Command):
            self.problems.append(f"line {line}: {what} is not understood by sqlglot: {text[:60]}")
            return None
        return statements[0]

    def check_expression(self, start: int, end: int, what: str) -> None:
        if start >= end:
            raise self.fail(f"{what} is missing")
        line = self.toks[start].line
        self.check_sql("SELECT " + self.text(start, end), line, what)

    def check_type(self, start: int, end: int, what: str) -> None:
        text = self.text(start, end)
        try:
            exp.DataType.build(text, dialect=_DIALECT)
        except (ParseError, TokenError, ValueError):
            self.problems.append(f"line {self.toks[start].line}: {what}: unknown type {text}")

    # -- grammar ---------------------------------------------------------------

    def script(self) -> None:
        if self.word() == "CREATE":
            self.procedure_header()
        if self.word() != "BEGIN":
            raise self.fail("a procedure body must be a BEGIN ... END compound statement")
        self.compound(label=None)
        if self.tok() is not None and self.tok().token_type == TokenType.SEMICOLON:
            self.pos += 1
        if self.tok() is not None:
            raise self.fail(f"unexpected {self.tok().text} after the end of the body")

    def procedure_header(self) -> None:
        self.expect("CREATE")
        self.accept("OR", "REPLACE")
        self.expect("PROCEDURE")
        self.accept("IF", "NOT", "EXISTS")
        name_end = self.scan_to("(")
        if name_end == self.pos:
            raise self.fail("the procedure has no name")
        self.pos = name_end
        self.parameters()
        seen_language = False
        while self.word() != "AS":
            word = self.word()
            if word == "COMMENT":
                self.pos += 1
                if self.tok() is None or self.tok().token_type != TokenType.STRING:
                    raise self.fail("COMMENT needs a string literal")
                self.pos += 1
            elif word == "SQL SECURITY":  # one token in sqlglot
                self.pos += 1
                if self.word() not in ("INVOKER", "DEFINER"):
                    raise self.fail("SQL SECURITY is INVOKER or DEFINER")
                self.pos += 1
            elif word == "DEFAULT" and self.word(1) == "COLLATION":
                self.pos += 3
            elif word in _CHARACTERISTICS:
                seen_language |= word == "LANGUAGE"
                self.pos += 1
                self.expect(*_CHARACTERISTICS[word])
            else:
                found = self.tok().text if self.tok() is not None else "the end of the script"
                raise self.fail(f"expected a procedure characteristic or AS, found {found}")
        if not seen_language:
            self.problems.append(f"line {self.line()}: the procedure needs LANGUAGE SQL")
        self.expect("AS")

    def parameters(self) -> None:
        self.expect("(")
        while self.word() != ")":
            start = self.pos
            end = self.scan_to(",", ")", stop_at_semicolon=False)
            self.parameter(start, end)
            self.pos = end
            if self.word() == ",":
                self.pos += 1
                if self.word() == ")":
                    raise self.fail("a parameter is missing after ,")
        self.expect(")")

    def parameter(self, start: int, end: int) -> None:
        i = start
        if self.word(i - self.pos) in ("IN", "OUT", "INOUT"):
            i += 1
        if i >= end:
            raise self.fail("a parameter has no name")
        i += 1  # the name
        default = next(
            (k for k in range(i, end) if self.toks[k].text.upper() in ("DEFAULT", "COMMENT")), end
        )
        if default == i:
            self.problems.append(f"line {self.toks[start].line}: a parameter has no type")
        else:
            self.check_type(i, default, "parameter")
        if default < end and self.toks[default].text.upper() == "DEFAULT":
            comment = next(
                (k for k in range(default, end) if self.toks[k].text.upper() == "COMMENT"), end
            )
            self.check_expression(default + 1, comment, "parameter default")

    def compound(self, label: str | None) -> None:
        self.expect("BEGIN")
        self.labels.append(_Label(label or "", is_loop=False))
        self.declarations()
        self.statements()
        self.expect("END")
        self.end_label(label)
        self.labels.pop()

    def end_label(self, label: str | None) -> None:
        tok = self.tok()
        if tok is None or not self.is_name():
            return
        if label is None:
            raise self.fail(f"END {tok.text}: the block it closes has no label (or a ; is missing)")
        if tok.text.upper() != label.upper():
            raise self.fail(f"END {tok.text} does not match the label of its block, {label}")
        self.pos += 1

    def declarations(self) -> None:
        handlers = False
        names: set[str] = set()  # variables and conditions of this compound
        while self.word() == "DECLARE":
            line = self.line()
            if self.word(1) in ("EXIT", "CONTINUE") and self.word(2) == "HANDLER":
                handlers = True
                self.handler()
                continue
            if handlers:
                self.problems.append(
                    f"line {line}: variables and conditions must be declared before handlers"
                )
            declared = self.declared_names()
            for name in declared:
                if name.upper() in names:
                    self.problems.append(f"line {line}: {name} is declared twice in its block")
                names.add(name.upper())
            if self.word(2) == "CONDITION":
                self.pos += 3
                if self.accept("FOR"):
                    self.expect("SQLSTATE")
                    self.accept("VALUE")
                    self.pos += 1
            else:
                self.variable()
            self.end_statement()

    def declared_names(self) -> list[str]:
        """Names a `DECLARE [OR REPLACE] [VARIABLE] a, b ...` at the cursor declares."""
        k = 1
        while self.word(k) in ("OR", "REPLACE", "VARIABLE"):
            k += 1
        names = []
        while self.tok(k) is not None and self.is_name(k):
            names.append(self.tok(k).text)
            if self.word(k + 1) != ",":
                break
            k += 2
        return names

    def variable(self) -> None:
        self.expect("DECLARE")
        self.accept("OR", "REPLACE")
        self.accept("VARIABLE")
        start = self.pos
        while self.word(1) == ",":
            self.pos += 2
        if not self.is_name():
            raise self.fail("DECLARE needs a variable name")
        self.pos += 1
        stop = self.scan_to("DEFAULT", "=")
        if stop > self.pos:
            self.check_type(self.pos, stop, "variable")
        elif self.word(stop - self.pos) not in ("DEFAULT", "="):
            self.problems.append(
                f"line {self.toks[start].line}: a variable needs a type or DEFAULT"
            )
        self.pos = stop
        if self.word() in ("DEFAULT", "="):
            self.pos += 1
            end = self.scan_to()
            self.check_expression(self.pos, end, "variable default")
            self.pos = end

    def handler(self) -> None:
        self.expect("DECLARE")
        self.pos += 1  # EXIT or CONTINUE
        self.expect("HANDLER", "FOR")
        while True:
            if (
                self.accept("SQLEXCEPTION")
                or self.accept("SQLWARNING")
                or self.accept("NOT", "FOUND")
            ):
                pass
            elif self.accept("SQLSTATE"):
                self.accept("VALUE")
                if self.tok() is None or self.tok().token_type != TokenType.STRING:
                    raise self.fail("SQLSTATE needs a string literal")
                self.pos += 1
            elif self.tok() is not None and self.tok().token_type == TokenType.VAR:
                self.pos += 1  # a declared condition
            else:
                raise self.fail("a handler needs SQLEXCEPTION, NOT FOUND, SQLSTATE or a condition")
            if not self.accept(","):
                break
        self.statement()

    def statements(self) -> None:
        while self.tok() is not None and self.word() not in _LIST_ENDS:
            if self.word() == "DECLARE":
                raise self.fail("DECLARE must come before the other statements of its block")
            self.statement()

    def statement(self) -> None:
        label = None
        if self.word(1) == ":" and self.is_name():
            label = self.tok().text
            if any(known.name.upper() == label.upper() for known in self.labels):
                raise self.fail(f"label {label} is already used by an enclosing block")
            self.pos += 2
            if self.word() not in ("BEGIN", *_LOOPS):
                raise self.fail(f"label {label} must be followed by BEGIN or a loop")
        word = self.word()
        if word == "BEGIN":
            self.compound(label)
            self.end_statement()
        elif word in _LOOPS:
            self.labels.append(_Label(label or "", is_loop=True))
            getattr(self, "loop_" + word.lower())()
            self.end_label(label)
            self.labels.pop()
            self.end_statement()
        elif word == "IF":
            self.if_statement()
        elif word == "CASE":
            self.case_statement()
        elif word in ("LEAVE", "ITERATE"):
            self.leave(word)
        elif word in ("SIGNAL", "RESIGNAL"):
            self.signal()
        elif word == "CALL":
            self.call()
        elif word == "EXECUTE":
            self.execute()
        elif word == "RETURN":
            raise self.fail("RETURN is not a statement of a procedure; LEAVE the body instead")
        elif word == "SET":
            self.set_statement()
        elif word in _LEAF_STARTS:
            self.leaf()
        elif self.tok() is None:
            raise self.fail("the script ends inside a block")
        else:
            raise self.fail(f"{self.tok().text} does not start a statement")

    def leaf(self) -> exp.Expression | None:
        line = self.line()
        end = self.scan_to(stop_at_semicolon=True)
        text = self.text(self.pos, end)
        self.pos = end
        self.end_statement()
        return self.check_sql(text, line, "statement")

    def set_statement(self) -> None:
        line = self.line()
        parsed = self.leaf()
        if parsed is None:
            return
        items = parsed.expressions if isinstance(parsed, exp.Set) else []
        if not items or not all(isinstance(item.this, exp.EQ) for item in items):
            self.problems.append(f"line {line}: SET must assign a variable: SET v = expression")

    def if_statement(self) -> None:
        self.expect("IF")
        self.condition("THEN")
        self.statements()
        while self.word() == "ELSEIF":
            self.pos += 1
            self.condition("THEN")
            self.statements()
        if self.accept("ELSE"):
            self.statements()
        self.expect("END", "IF")
        self.end_statement()

    def case_statement(self) -> None:
        self.expect("CASE")
        if self.word() != "WHEN":
            end = self.scan_to("WHEN")
            self.check_expression(self.pos, end, "CASE operand")
            self.pos = end
        if self.word() != "WHEN":
            raise self.fail("a CASE statement needs WHEN")
        while self.accept("WHEN"):
            self.condition("THEN")
            self.statements()
        if self.accept("ELSE"):
            self.statements()
        self.expect("END", "CASE")
        self.end_statement()

    def condition(self, keyword: str) -> None:
        end = self.scan_to(keyword)
        if end >= len(self.toks) or self.toks[end].text.upper() != keyword:
            raise self.fail(f"the condition is not followed by {keyword}")
        self.check_expression(self.pos, end, "condition")
        self.pos = end + 1

    def loop_while(self) -> None:
        self.expect("WHILE")
        self.condition("DO")
        self.statements()
        self.expect("END", "WHILE")

    def loop_loop(self) -> None:
        self.expect("LOOP")
        self.statements()
        self.expect("END", "LOOP")

    def loop_repeat(self) -> None:
        self.expect("REPEAT")
        self.statements()
        self.expect("UNTIL")
        end = self.scan_to("END")
        self.check_expression(self.pos, end, "UNTIL condition")
        self.pos = end
        self.expect("END", "REPEAT")

    def loop_for(self) -> None:
        self.expect("FOR")
        if self.word(1) == "AS":
            self.pos += 2
        line = self.line()
        end = self.scan_to("DO")
        if end >= len(self.toks) or self.toks[end].text.upper() != "DO":
            raise self.fail("FOR needs a query followed by DO")
        query = self.check_sql(self.text(self.pos, end), line, "FOR query")
        if query is not None and not isinstance(query, exp.Query):
            self.problems.append(f"line {line}: FOR needs a query")
        self.pos = end + 1
        self.statements()
        self.expect("END", "FOR")

    def leave(self, word: str) -> None:
        self.pos += 1
        tok = self.tok()
        if tok is None or not self.is_name():
            raise self.fail(f"{word} needs a label")
        target = next((k for k in self.labels if k.name.upper() == tok.text.upper()), None)
        if target is None:
            raise self.fail(f"{word} {tok.text}: no enclosing block has that label")
        if word == "ITERATE" and not target.is_loop:
            raise self.fail(f"ITERATE {tok.text}: the label is not a loop")
        self.pos += 1
        self.end_statement()

    def signal(self) -> None:
        resignal = self.word() == "RESIGNAL"
        self.pos += 1
        if self.accept("SQLSTATE"):
            self.accept("VALUE")
            tok = self.tok()
            if tok is None or tok.token_type != TokenType.STRING or len(tok.text) != 5:
                raise self.fail("SQLSTATE needs a 5-character string literal")
            self.pos += 1
        elif self.tok() is not None and self.tok().token_type == TokenType.VAR:
            self.pos += 1  # a condition name
        elif not resignal:
            raise self.fail("SIGNAL needs SQLSTATE '.....' or a condition name")
        if self.accept("SET"):
            if self.word() not in ("MESSAGE_TEXT", "MESSAGE_ARGUMENTS"):
                raise self.fail("SIGNAL ... SET needs MESSAGE_TEXT or MESSAGE_ARGUMENTS")
            self.pos += 1
            self.expect("=")
            end = self.scan_to()
            self.check_expression(self.pos, end, "signal message")
            self.pos = end
        self.end_statement()

    def call(self) -> None:
        line = self.line()
        self.pos += 1
        end = self.scan_to()
        text = self.text(self.pos, end)
        self.pos = end
        self.end_statement()
        parsed = self.check_sql("SELECT " + text, line, "CALL")
        if parsed is None:
            return
        called = parsed.expressions[0] if len(parsed.expressions) == 1 else None
        while isinstance(called, exp.Dot):
            called = called.expression
        if not isinstance(called, exp.Func) or parsed.args.get("from_"):
            self.problems.append(f"line {line}: CALL needs a procedure name and (arguments)")

    def execute(self) -> None:
        line = self.line()
        end = self.scan_to()
        text = self.text(self.pos, end)
        self.pos = end
        self.end_statement()
        words = text.split(None, 2)
        if len(words) < 3 or words[1].upper() != "IMMEDIATE":
            self.problems.append(f"line {line}: EXECUTE needs IMMEDIATE and a statement text")


def check_script(sql: str) -> list[str]:
    """Problems found in `sql`, a CREATE PROCEDURE or a BEGIN ... END block;
    empty when every block is well formed and every statement parses as
    Databricks SQL. Each problem names its line."""
    try:
        toks = _TOKENIZER().tokenize(sql)
    except TokenError as error:
        return [f"the script cannot be tokenized: {error}"]
    if not toks:
        return ["the script is empty"]
    checker = _Checker(sql, toks)
    with suppress(_Stop):  # the problem that stopped the walk is already recorded
        checker.script()
    return checker.problems
