"""The sqlglot token stream of an object, normalised for indicator rules.

sqlglot's tokenizer already drops comments and keeps string literals and quoted
identifiers as single tokens, so a rule that looks at words can never match
inside a comment, a string or `[CursorPosition]`. This module only regroups a
few tokens the rules need whole: T-SQL `@var`, `@@SYSVAR`, `#temp` and
`##global` names, and multi-word keyword tokens (`ORDER BY`) split into words.

Offsets are character offsets into the text that was tokenized; `locate` maps
them back to the object's definition (a PL/pgSQL body or an executed
dynamic-SQL string is tokenized on its own).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

import sqlglot
from sqlglot.tokens import Token, Tokenizer, TokenType

WORD = "WORD"  # an unquoted identifier or keyword
QUOTED = "QUOTED"  # a quoted identifier: [x], "x"
STRING = "STRING"  # any string literal: 'x', N'x', E'x', $$x$$
NUMBER = "NUMBER"
VARIABLE = "VARIABLE"  # T-SQL @name
SYSVAR = "SYSVAR"  # T-SQL @@NAME
TEMP = "TEMP"  # T-SQL #name, ##name
PUNCT = "PUNCT"  # everything else: ( ) , . ; = :: -> ...

_STRING_TYPES = frozenset(t for t in TokenType if t.name == "STRING" or t.name.endswith("_STRING"))


@dataclass(slots=True)
class Tok:
    kind: str
    text: str
    start: int
    end: int
    up: str = ""  # upper-case text, for WORD and PUNCT
    keyword: bool = False  # a WORD that sqlglot knows as a keyword (not a plain name)
    value: str = ""  # a string literal's content
    content_start: int = 0  # where a string literal's content begins

    def is_word(self, *words: str) -> bool:
        return self.kind == WORD and (not words or self.up in words)

    def is_punct(self, *texts: str) -> bool:
        return self.kind == PUNCT and (not texts or self.text in texts)


class Dialect(Enum):
    TSQL = "tsql"
    POSTGRES = "postgres"


@dataclass
class TokenStream:
    """Normalised tokens of `text`, with matching parentheses precomputed."""

    text: str
    dialect: Dialect
    tokens: list[Tok]
    locate: Callable[[int], int] = field(default=lambda offset: offset)
    raw: list[Token] = field(default_factory=list)
    # sqlglot kept a command's arguments as one string (PRINT ..., FETCH ...): its
    # parser can then only return an opaque Command, so parsing is not tried.
    has_commands: bool = False
    _pairs: dict[int, int] = field(default_factory=dict)
    _enclosing: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        stack: list[int] = []
        for i, tok in enumerate(self.tokens):
            self._enclosing.append(stack[-1] if stack else -1)
            if tok.kind != PUNCT:
                continue
            if tok.text == "(":
                stack.append(i)
            elif tok.text == ")" and stack:
                opened = stack.pop()
                self._pairs[opened] = i
                self._pairs[i] = opened
                self._enclosing[i] = stack[-1] if stack else -1

    def __len__(self) -> int:
        return len(self.tokens)

    def at(self, i: int) -> Tok | None:
        return self.tokens[i] if 0 <= i < len(self.tokens) else None

    def closing(self, i: int) -> int | None:
        """Index of the parenthesis matching the one at `i`."""
        return self._pairs.get(i)

    def enclosing_call(self, i: int) -> str | None:
        """The upper-case name of the function whose parentheses hold token `i`."""
        opened = self._enclosing[i] if 0 <= i < len(self._enclosing) else -1
        if opened <= 0:
            return None
        before = self.tokens[opened - 1]
        return before.up if before.kind == WORD else None

    def without(self, i: int) -> TokenStream:
        """The stream with token `i` left out (a routine's body, analysed on its own)."""
        return TokenStream(
            self.text, self.dialect, self.tokens[:i] + self.tokens[i + 1 :], self.locate, self.raw
        )

    def source_offset(self, i: int) -> int:
        return self.locate(self.tokens[i].start)


def tokenize(
    text: str, dialect: Dialect, locate: Callable[[int], int] | None = None
) -> TokenStream:
    """Tokenize `text` with sqlglot and normalise the tokens.

    Raises sqlglot's TokenError when the text cannot be tokenized (an
    unterminated string or comment)."""
    tokenizer = sqlglot.Dialect.get_or_raise(dialect.value).tokenizer_class
    raw = tokenizer().tokenize(text)
    expanded = _expand(text, raw, tokenizer, 0)
    tokens = _normalise(text, expanded, dialect)
    stream = TokenStream(text, dialect, tokens, locate or (lambda offset: offset), raw)
    stream.has_commands = any(
        k and raw[k - 1].token_type in tokenizer.COMMANDS and tok.token_type == TokenType.STRING
        for k, tok in enumerate(raw)
    )
    return stream


def _expand(
    text: str, raw: list[Token], tokenizer: type[Tokenizer], shift: int
) -> list[tuple[Token, int]]:
    """The tokens with their offset shift, command arguments tokenized too.

    sqlglot's tokenizer keeps the rest of a "command" statement (T-SQL `END`,
    `FETCH`, `PRINT`; PostgreSQL `EXECUTE`, `DECLARE`, `CALL`) as one string
    token, verbatim; the rules need the words in it, so it is tokenized again."""
    out: list[tuple[Token, int]] = []
    for k, tok in enumerate(raw):
        after_command = k and raw[k - 1].token_type in tokenizer.COMMANDS
        # A command's argument token ends where it should but does not start there.
        start = tok.end - len(tok.text) + 1
        if (
            after_command
            and tok.token_type == TokenType.STRING
            and text[start : tok.end + 1] == tok.text
        ):
            inner = tokenizer().tokenize(tok.text)
            out.extend(_expand(tok.text, inner, tokenizer, shift + start))
        else:
            out.append((tok, shift))
    return out


def _normalise(text: str, raw: list[tuple[Token, int]], dialect: Dialect) -> list[Tok]:
    out: list[Tok] = []
    i = 0
    n = len(raw)
    while i < n:
        tok, shift = raw[i]
        if dialect is Dialect.TSQL:
            merged, used = _merge_tsql_prefix(raw, i)
            if merged is not None:
                out.append(merged)
                i += used
                continue
        out.extend(_convert(text, tok, shift))
        i += 1
    return out


def _adjacent(a: tuple[Token, int], b: tuple[Token, int]) -> bool:
    return a[0].end + a[1] + 1 == b[0].start + b[1]


def _is_wordish(tok: Token) -> bool:
    if tok.token_type in _STRING_TYPES or tok.token_type == TokenType.IDENTIFIER:
        return False
    first = tok.text[:1]
    return tok.token_type == TokenType.VAR or first.isalpha() or first == "_"


def _merge_tsql_prefix(raw: list[tuple[Token, int]], i: int) -> tuple[Tok | None, int]:
    """`@` `x` -> @x, `@` `@` `X` -> @@X, `#` `t` -> #t, `#` `#` `t` -> ##t."""
    tok, shift = raw[i]
    if tok.text not in ("@", "#"):
        return None, 0
    j = i + 1
    prefix = tok.text
    if j < len(raw) and raw[j][0].text == tok.text and _adjacent(raw[j - 1], raw[j]):
        prefix += raw[j][0].text
        j += 1
    if j < len(raw) and _adjacent(raw[j - 1], raw[j]) and _is_wordish(raw[j][0]):
        word, word_shift = raw[j]
        if tok.text == "@":
            kind = SYSVAR if prefix == "@@" else VARIABLE
        else:
            kind = TEMP
        text = prefix + word.text
        return Tok(kind, text, tok.start + shift, word.end + word_shift, up=text.upper()), j + 1 - i
    return None, 0


def _convert(text: str, tok: Token, shift: int) -> list[Tok]:
    start, end = tok.start + shift, tok.end + shift
    if tok.token_type in _STRING_TYPES:
        raw = text[start : end + 1]
        if tok.token_type == TokenType.HEREDOC_STRING and raw.startswith("$"):
            content_start = start + raw.index("$", 1) + 1
        else:
            quote = raw.find("'")
            content_start = start + (quote + 1 if quote >= 0 else 0)
        return [Tok(STRING, tok.text, start, end, value=tok.text, content_start=content_start)]
    if tok.token_type == TokenType.IDENTIFIER:
        return [Tok(QUOTED, tok.text, start, end, up=tok.text.upper())]
    if tok.token_type == TokenType.NUMBER:
        return [Tok(NUMBER, tok.text, start, end)]
    if _is_wordish(tok):
        words = tok.text.split()
        keyword = tok.token_type != TokenType.VAR
        if len(words) == 1:
            return [Tok(WORD, tok.text, start, end, up=tok.text.upper(), keyword=keyword)]
        # A multi-word keyword token (ORDER BY): first word at the start, the
        # others at the end, which keeps every offset inside the token.
        return [
            Tok(
                WORD,
                word,
                start if k == 0 else end - len(word) + 1,
                start + len(word) - 1 if k == 0 else end,
                up=word.upper(),
                keyword=True,
            )
            for k, word in enumerate(words)
        ]
    return [Tok(PUNCT, tok.text, start, end, up=tok.text.upper())]


def dotted_name(
    toks: list[Tok], i: int, is_part: Callable[[int], bool]
) -> tuple[tuple[str, ...], int]:
    """The dotted name starting at `i` (`a.b..c` has an empty part) and the index of
    its last token; `is_part(j)` says whether token j can be a part of the name."""

    def dot(j: int) -> bool:
        return 0 <= j < len(toks) and toks[j].is_punct(".")

    parts = [toks[i].text]
    j = i
    while dot(j + 1):
        if is_part(j + 2):
            parts.append(toks[j + 2].text)
            j += 2
        elif dot(j + 2):
            parts.append("")
            j += 1
        else:
            break
    return tuple(parts), j


class LineIndex:
    """Maps character offsets of a text to 1-based lines and line texts."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        newline = text.find("\n")
        while newline >= 0:
            self.starts.append(newline + 1)
            newline = text.find("\n", newline + 1)

    def line(self, offset: int) -> int:
        return bisect_right(self.starts, offset)

    def line_start(self, line: int) -> int:
        return self.starts[min(max(line, 1), len(self.starts)) - 1]

    def line_text(self, line: int) -> str:
        start = self.line_start(line)
        end = self.text.find("\n", start)
        return self.text[start : end if end >= 0 else len(self.text)]
