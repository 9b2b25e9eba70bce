"""The offline catalog of a "scripts" source: a folder of T-SQL `.sql` files.

No database is reached. Each file is decoded, cut into batches at `GO` lines
(the way sqlcmd and SSMS do) and each batch is read with sqlglot's T-SQL
tokenizer, so a CREATE inside a comment or a string never counts. What the
scripts define becomes one `CatalogObject` per table, view, procedure,
function, trigger and sequence; what they later add to a table (ALTER TABLE
... ADD, CREATE INDEX) is applied to it once every file has been read.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, SqlglotError
from sqlglot.tokens import TokenType

from lakebridge_dagster.catalog.errors import ScriptsFolderError
from lakebridge_dagster.catalog.model import (
    CatalogObject,
    Column,
    ForeignKey,
    Index,
    ObjectType,
    SourceCatalog,
)
from lakebridge_dagster.sqlglot_logging import quiet_sqlglot

logger = logging.getLogger(__name__)

DEFAULT_SCHEMA = "dbo"
_FIX_ENCODING = "save it as UTF-8 or UTF-16 with a BOM"
_FIX_FOLDER = "set sources[].path to a folder of .sql files"


@dataclass(frozen=True)
class Batch:
    """The text between two GO lines, and the 1-based file line it starts on."""

    text: str
    line: int


class ScriptsExtraction(NamedTuple):
    """The catalog, and (where, why) for every file or batch that could not be read.

    `where` is the file's path relative to the folder, with `:<line>` added when
    only one batch of the file could not be read.
    """

    catalog: SourceCatalog
    unreadable: list[tuple[str, str]]


def extract_scripts_catalog(source: str, folder: Path) -> SourceCatalog:
    """The catalog of every `.sql` file under `folder`; unreadable parts are logged."""
    extraction = extract_scripts(source, folder)
    for where, why in extraction.unreadable:
        logger.warning("scripts source '%s': skipped %s: %s", source, where, why)
    return extraction.catalog


def extract_scripts(source: str, folder: Path) -> ScriptsExtraction:
    """Read every `.sql` file under `folder` (recursively, sorted) into a catalog.

    A later CREATE or ALTER of the same schema.name and type replaces the earlier
    definition (the stub-then-ALTER pattern). Raises `ScriptsFolderError` when the
    folder is missing, holds no `.sql` file, or none of its files can be decoded.
    """
    paths = _sql_files(source, folder)
    objects: dict[tuple[str, str, ObjectType], CatalogObject] = {}
    changes: list[_TableChange] = []
    alias_types: dict[str, str] = {}
    unreadable: list[tuple[str, str]] = []
    files_read = 0
    for path in paths:
        file = path.relative_to(folder).as_posix()
        try:
            text = read_sql_file(path)
        except ScriptsFolderError as error:
            unreadable.append((file, str(error)))
            continue
        files_read += 1
        for batch in split_batches(text):
            try:
                found = _read_batch(batch, file)
            except SqlglotError as error:
                unreadable.append((f"{file}:{batch.line}", _one_line(error)))
                continue
            for item in found:
                if isinstance(item, CatalogObject):
                    _define(objects, item)
                elif isinstance(item, _AliasType):
                    alias_types[item.name.lower()] = item.base
                else:
                    changes.append(item)
    if not files_read:
        raise ScriptsFolderError(
            f"scripts source '{source}': none of the {len(paths)} .sql files in {folder} "
            f"could be read (first: {unreadable[0][1]}); {_FIX_ENCODING}"
        )
    _apply_table_changes(objects, changes)
    for obj in objects.values():
        obj.parse_error = _parse_error(obj.definition or "")
    catalog = SourceCatalog(
        source=source, dialect="scripts", objects=list(objects.values()), alias_types=alias_types
    )
    return ScriptsExtraction(catalog, unreadable)


def _sql_files(source: str, folder: Path) -> list[Path]:
    if not folder.exists():
        raise ScriptsFolderError(
            f"scripts source '{source}': folder {folder} does not exist; {_FIX_FOLDER}"
        )
    if not folder.is_dir():
        raise ScriptsFolderError(
            f"scripts source '{source}': {folder} is a file, not a folder; {_FIX_FOLDER}"
        )
    paths = [p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() == ".sql"]
    if not paths:
        raise ScriptsFolderError(
            f"scripts source '{source}': folder {folder} has no .sql files "
            f"(searched recursively); {_FIX_FOLDER}"
        )
    return sorted(paths, key=lambda p: p.relative_to(folder).as_posix())


# --- decoding -----------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),  # the utf-16 codec reads the BOM for the byte order
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def read_sql_file(path: Path) -> str:
    """The text of a script: UTF-8 (with or without BOM) or UTF-16 (BOM, or none).

    Line endings become `\\n`. Anything else (a legacy code page, a binary file)
    raises `ScriptsFolderError` naming the file and the fix; guessing a code page
    could silently change the text.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ScriptsFolderError(
            f"{path}: cannot be read ({error.strerror}); check that the file is readable"
        ) from error
    encoding = _encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ScriptsFolderError(
            f"{path}: is not valid {encoding} (byte 0x{data[error.start]:02x} at offset "
            f"{error.start}); {_FIX_ENCODING}"
        ) from error
    if "\x00" in text:
        raise ScriptsFolderError(
            f"{path}: contains NUL characters, so it is binary or in an encoding that was "
            f"not recognised; {_FIX_ENCODING}"
        )
    return text.replace("\r\n", "\n")


def _encoding(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    # Without a BOM, UTF-16 text that is mostly ASCII has a NUL in every other byte.
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    if len(odd) >= 2:
        if odd.count(0) > len(odd) / 2 and even.count(0) < len(even) / 10:
            return "utf-16-le"
        if even.count(0) > len(even) / 2 and odd.count(0) < len(odd) / 10:
            return "utf-16-be"
    return "utf-8"


# --- batches ------------------------------------------------------------------

# sqlcmd's separator: GO alone on its line, an optional repeat count, an optional comment.
_GO_LINE = re.compile(r"\s*go(?:\s+\d+)?\s*(?:--.*)?", re.IGNORECASE)
_CODE_STOP = re.compile(r"--|/\*|['\"\[]")
_COMMENT_STOP = re.compile(r"/\*|\*/")
_CLOSER = {"'": "'", '"': '"', "[": "]"}


class _LineState(NamedTuple):
    """Where a line starts: inside `depth` nested block comments, or a quoted run."""

    depth: int = 0
    closer: str | None = None  # the character that ends an open '...', "..." or [...]

    @property
    def in_code(self) -> bool:
        return self.depth == 0 and self.closer is None


def split_batches(text: str) -> list[Batch]:
    """Cut a script at its GO lines; blank lines around a batch are dropped.

    A GO inside a block comment or a string spanning lines is not a separator, so
    the splitter follows comments and quotes from line to line.
    """
    batches: list[Batch] = []
    lines: list[str] = []
    first = 1
    state = _LineState()
    for number, line in enumerate(text.split("\n"), start=1):
        if state.in_code and _GO_LINE.fullmatch(line):
            batches.extend(_batch(lines, first))
            lines, first = [], number + 1
            continue
        lines.append(line)
        state = _scan_line(line, state)
    batches.extend(_batch(lines, first))
    return batches


def _batch(lines: list[str], first: int) -> list[Batch]:
    filled = [k for k, line in enumerate(lines) if line.strip()]
    if not filled:
        return []
    body = "\n".join(lines[filled[0] : filled[-1] + 1]).rstrip()
    return [Batch(body, first + filled[0])]


def _scan_line(line: str, state: _LineState) -> _LineState:
    depth, closer = state
    pos = 0
    while True:
        if closer:
            end = line.find(closer, pos)
            if end < 0:
                return _LineState(0, closer)
            if line.startswith(closer, end + 1):  # '' ]] "" escape themselves
                pos = end + 2
                continue
            closer, pos = None, end + 1
        elif depth:
            match = _COMMENT_STOP.search(line, pos)
            if not match:
                return _LineState(depth)
            depth += 1 if match.group() == "/*" else -1  # T-SQL block comments nest
            pos = match.end()
        else:
            match = _CODE_STOP.search(line, pos)
            if not match or match.group() == "--":
                return _LineState()
            if match.group() == "/*":
                depth = 1
            else:
                closer = _CLOSER[match.group()]
            pos = match.end()


# --- lexemes ------------------------------------------------------------------

_QUOTED = frozenset(
    {
        TokenType.IDENTIFIER,
        TokenType.STRING,
        TokenType.NATIONAL_STRING,
        TokenType.HEX_STRING,
        TokenType.BIT_STRING,
        TokenType.BYTE_STRING,
        TokenType.RAW_STRING,
        TokenType.NATIONAL_RAW_STRING,
        TokenType.UNICODE_STRING,
        TokenType.HEREDOC_STRING,
    }
)
_BARE_NAME = re.compile(r"[^\W\d]\w*")


@dataclass(frozen=True)
class _Lex:
    """One word of a batch: `word` is its upper-case keyword form, "" when quoted."""

    text: str
    word: str
    start: int
    end: int  # inclusive, like sqlglot's tokens


def _lex(text: str) -> list[_Lex]:
    """The batch's tokens, one lexeme per word.

    sqlglot merges some keyword pairs ("PRIMARY KEY", "CLUSTERED INDEX"); splitting
    them back lets the readers below match single words.
    """
    lexes = []
    for token in sqlglot.tokenize(text, read="tsql"):
        if token.token_type in _QUOTED:
            lexes.append(_Lex(token.text, "", token.start, token.end))
        else:
            for word in token.text.split() or [token.text]:
                lexes.append(_Lex(word, word.upper(), token.start, token.end))
    return lexes


def _word(lexes: Sequence[_Lex], i: int) -> str:
    return lexes[i].word if i < len(lexes) else ""


def _raw(text: str, lexes: Sequence[_Lex]) -> str:
    return text[lexes[0].start : lexes[-1].end + 1] if lexes else ""


def _close(lexes: Sequence[_Lex], i: int) -> int:
    """The index of the `)` matching the `(` at i (len(lexes) when unbalanced)."""
    depth = 0
    for j in range(i, len(lexes)):
        if lexes[j].word == "(":
            depth += 1
        elif lexes[j].word == ")":
            depth -= 1
            if depth == 0:
                return j
    return len(lexes)


def _split(lexes: Sequence[_Lex]) -> list[list[_Lex]]:
    """The comma-separated parts of a list, commas inside parentheses kept."""
    parts: list[list[_Lex]] = [[]]
    depth = 0
    for lex in lexes:
        if lex.word == "(":
            depth += 1
        elif lex.word == ")":
            depth -= 1
        elif lex.word == "," and depth == 0:
            parts.append([])
            continue
        parts[-1].append(lex)
    return [part for part in parts if part]


def _is_name(lex: _Lex) -> bool:
    return not lex.word or bool(_BARE_NAME.fullmatch(lex.text))


def _read_name(lexes: Sequence[_Lex], i: int) -> tuple[list[str], int]:
    """A dotted name at i, e.g. db.[schema]."name" or db..name, as its parts."""
    parts: list[str] = []
    expect_part = True
    while i < len(lexes):
        if lexes[i].word == ".":
            if expect_part:
                parts.append("")  # db..name leaves the schema out
            expect_part = True
        elif expect_part and _is_name(lexes[i]):
            parts.append(lexes[i].text)
            expect_part = False
        else:
            break
        i += 1
    return parts, i


def _schema_and_name(parts: list[str]) -> tuple[str | None, str]:
    schema = parts[-2] if len(parts) >= 2 and parts[-2] else None
    return schema, parts[-1]


def _name_list(lexes: Sequence[_Lex], i: int) -> tuple[list[str], int]:
    """The names in `(a ASC, [b] DESC)` at i, and the index after the `)`."""
    close = _close(lexes, i)
    return [part[0].text for part in _split(lexes[i + 1 : close])], close + 1


# Words that begin a new statement when T-SQL scripts leave out the semicolon.
_STATEMENT_STARTS = frozenset(
    {
        "ALTER", "BEGIN", "BULK", "CHECKPOINT", "CREATE", "DBCC", "DECLARE", "DELETE", "DENY",
        "DROP", "END", "EXEC", "EXECUTE", "GRANT", "IF", "INSERT", "MERGE", "PRINT",
        "RAISERROR", "RETURN", "REVOKE", "SELECT", "SET", "TRUNCATE", "UPDATE", "USE", "WHILE",
    }
)  # fmt: skip


def _statement_end(lexes: Sequence[_Lex], i: int) -> int:
    """The index of the `;` or the first word of the next statement after i."""
    depth = 0
    for j in range(i, len(lexes)):
        word = lexes[j].word
        if word == "(":
            depth += 1
        elif word == ")":
            depth -= 1
        elif depth <= 0 and (
            word == ";" or (word in _STATEMENT_STARTS and not _in_clause(lexes, j))
        ):
            return j
    return len(lexes)


def _in_clause(lexes: Sequence[_Lex], j: int) -> bool:
    # ON DELETE / ON UPDATE / ON DELETE SET NULL belong to a foreign key.
    previous = _word(lexes, j - 1) if j else ""
    return previous == "ON" or (lexes[j].word == "SET" and previous in ("DELETE", "UPDATE"))


# --- statements ---------------------------------------------------------------

_OBJECT_KINDS = {
    "TABLE": ObjectType.TABLE,
    "VIEW": ObjectType.VIEW,
    "PROC": ObjectType.PROCEDURE,
    "PROCEDURE": ObjectType.PROCEDURE,
    "FUNCTION": ObjectType.FUNCTION,
    "TRIGGER": ObjectType.TRIGGER,
    "SEQUENCE": ObjectType.SEQUENCE,
}
# A routine's body is the rest of its batch (T-SQL makes it the batch's only statement).
_ROUTINES = frozenset(
    {ObjectType.VIEW, ObjectType.PROCEDURE, ObjectType.FUNCTION, ObjectType.TRIGGER}
)
_INDEX_WORDS = frozenset({"UNIQUE", "CLUSTERED", "NONCLUSTERED", "COLUMNSTORE", "INDEX"})
_MAY_DEFINE = re.compile(r"\b(?:create|alter|sp_addtype)\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Constraint:
    kind: str  # PRIMARY KEY, UNIQUE, FOREIGN KEY or DEFAULT
    name: str | None
    columns: tuple[str, ...]
    clustering: str | None = None
    referenced: tuple[str, str] | None = None  # (schema, table)
    referenced_columns: tuple[str, ...] = ()
    default: str | None = None


@dataclass(frozen=True)
class _AliasType:
    """CREATE TYPE name FROM base, or EXEC sp_addtype name, 'base'."""

    name: str
    base: str


@dataclass(frozen=True)
class _TableChange:
    """What a statement outside CREATE TABLE adds to a table."""

    schema: str
    table: str
    columns: tuple[Column, ...] = ()
    constraints: tuple[_Constraint, ...] = ()
    indexes: tuple[Index, ...] = ()


def _read_batch(batch: Batch, file: str) -> list[CatalogObject | _TableChange | _AliasType]:
    """The objects a batch defines, the changes it makes to tables and the alias
    types it creates."""
    if not _MAY_DEFINE.search(batch.text):
        return []  # most batches of a data script; skipping them saves tokenizing
    lexes = _lex(batch.text)
    found: list[CatalogObject | _TableChange | _AliasType] = []
    i = 0
    while i < len(lexes):
        if lexes[i].word in ("EXEC", "EXECUTE") and _word(lexes, i + 1) == "SP_ADDTYPE":
            alias, i = _read_addtype(lexes, i + 2)
            found.extend([alias] if alias else [])
        elif lexes[i].word in ("CREATE", "ALTER") and _starts_statement(lexes, i):
            item, i = _read_statement(batch.text, lexes, i)
            if isinstance(item, CatalogObject):
                item.file, item.line = file, batch.line
            if item is not None:
                found.append(item)
        else:
            i += 1
    return found


def _starts_statement(lexes: Sequence[_Lex], i: int) -> bool:
    # GRANT CREATE TABLE, CREATE VIEW TO ... names permissions, not objects.
    return _word(lexes, i - 1) not in ("GRANT", "DENY", "REVOKE", ",") if i else True


def _read_statement(
    text: str, lexes: Sequence[_Lex], i: int
) -> tuple[CatalogObject | _TableChange | None, int]:
    verb = lexes[i].word
    j = i + 1
    if verb == "CREATE" and _word(lexes, j) == "OR" and _word(lexes, j + 1) == "ALTER":
        j += 2
    kind = _word(lexes, j)
    if verb == "CREATE" and kind in _INDEX_WORDS:
        return _read_index(lexes, j)
    if verb == "CREATE" and kind == "TYPE":
        return _read_create_type(text, lexes, j + 1)
    if verb == "ALTER" and kind == "TABLE":
        return _read_alter_table(text, lexes, j + 1)
    object_type = _OBJECT_KINDS.get(kind)
    if object_type is None or (verb == "ALTER" and object_type not in _ROUTINES):
        return None, i + 1
    parts, k = _read_name(lexes, j + 1)
    if not parts:
        if _word(lexes, j + 1) != "#":  # temporary tables are not catalog objects
            snippet = _raw(text, lexes[i : j + 3])
            logger.warning("could not read the object name in %r; statement skipped", snippet)
        return None, k + 1
    if object_type is ObjectType.TABLE:
        return _read_table(text, lexes, i, k, parts)
    schema, name = _schema_and_name(parts)
    if object_type is ObjectType.SEQUENCE:
        end = _statement_end(lexes, k)
        definition = _raw(text, lexes[i:end])
    else:
        end = len(lexes)
        definition = text[lexes[i].start :].strip()
    parent = _trigger_parent(lexes, k) if object_type is ObjectType.TRIGGER else None
    if schema is None and parent:
        schema = parent.split(".")[0]  # a DML trigger lives in its table's schema
    obj = CatalogObject(
        schema=schema or DEFAULT_SCHEMA,
        name=name,
        type=object_type,
        definition=definition,
        parent=parent,
    )
    return obj, end


def _read_create_type(text: str, lexes: Sequence[_Lex], i: int) -> tuple[_AliasType | None, int]:
    """CREATE TYPE [schema.]name FROM base [NULL | NOT NULL] at the name; table
    types (AS TABLE) and CLR types (EXTERNAL NAME) are not alias types."""
    parts, k = _read_name(lexes, i)
    end = _statement_end(lexes, k)
    if not parts or _word(lexes, k) != "FROM":
        return None, max(end, k)
    base = list(lexes[k + 1 : end])
    while base and base[-1].word in ("NULL", "NOT"):
        base.pop()
    return (_AliasType(parts[-1], _raw(text, base)) if base else None), end


def _read_addtype(lexes: Sequence[_Lex], i: int) -> tuple[_AliasType | None, int]:
    """`sp_addtype name, 'base' [, 'NULL' | 'NOT NULL']` after the procedure name
    (the old way to create an alias type, as pubs does)."""
    end = _statement_end(lexes, i)
    arguments = _split(lexes[i:end])
    if len(arguments) < 2 or len(arguments[0]) != 1 or len(arguments[1]) != 1:
        return None, max(end, i + 1)
    # a quoted lexeme's text is without its quotes: 'varchar(11)' reads varchar(11)
    return _AliasType(arguments[0][0].text, arguments[1][0].text), max(end, i + 1)


def _trigger_parent(lexes: Sequence[_Lex], i: int) -> str | None:
    """schema.table of `ON table`; None for `ON DATABASE` / `ON ALL SERVER` triggers."""
    if _word(lexes, i) != "ON" or _word(lexes, i + 1) in ("DATABASE", "ALL"):
        return None
    parts, _ = _read_name(lexes, i + 1)
    if not parts:
        return None
    schema, table = _schema_and_name(parts)
    return f"{schema or DEFAULT_SCHEMA}.{table}"


def _read_index(lexes: Sequence[_Lex], i: int) -> tuple[_TableChange | None, int]:
    """CREATE [UNIQUE] [CLUSTERED|NONCLUSTERED] [COLUMNSTORE] INDEX name ON t (cols)."""
    flags = []
    while _word(lexes, i) in _INDEX_WORDS - {"INDEX"}:
        flags.append(lexes[i].word)
        i += 1
    if _word(lexes, i) != "INDEX" or _word(lexes, i + 2) != "ON":
        return None, i
    name = lexes[i + 1].text
    parts, j = _read_name(lexes, i + 3)
    if not parts:
        return None, j
    columns, j = _name_list(lexes, j) if _word(lexes, j) == "(" else ([], j)
    kind = " ".join(flag for flag in flags if flag != "UNIQUE") or None
    index = Index(name=name, columns=columns, unique="UNIQUE" in flags, kind=kind)
    schema, table = _schema_and_name(parts)
    change = _TableChange(schema or DEFAULT_SCHEMA, table, indexes=(index,))
    return change, _statement_end(lexes, j)


def _read_alter_table(text: str, lexes: Sequence[_Lex], i: int) -> tuple[_TableChange | None, int]:
    """ALTER TABLE t [WITH CHECK|NOCHECK] ADD <columns and constraints>."""
    parts, j = _read_name(lexes, i)
    end = _statement_end(lexes, j)
    if _word(lexes, j) == "WITH":
        j += 2
    if not parts or _word(lexes, j) != "ADD":
        return None, max(end, j)  # NOCHECK CONSTRAINT, ALTER COLUMN, DROP ...: no new shape
    columns, constraints = _read_elements(text, lexes[j + 1 : end])
    schema, table = _schema_and_name(parts)
    change = _TableChange(schema or DEFAULT_SCHEMA, table, tuple(columns), tuple(constraints))
    return change, end


# --- tables -------------------------------------------------------------------

_TABLE_ELEMENT_WORDS = frozenset(
    {"CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK", "INDEX", "PERIOD", "DEFAULT"}
)
_TABLE_OPTIONS_WITH_NAME = frozenset({"ON", "TEXTIMAGE_ON", "FILESTREAM_ON"})
_COMPUTED_END = frozenset(
    {"PERSISTED", "CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "REFERENCES", "CHECK"}
)
_SYSTEM_TYPES = frozenset(
    {
        "bigint", "binary", "bit", "char", "date", "datetime", "datetime2", "datetimeoffset",
        "dec", "decimal", "float", "geography", "geometry", "hierarchyid", "image", "int",
        "json", "money", "nchar", "ntext", "numeric", "nvarchar", "real", "rowversion",
        "smalldatetime", "smallint", "smallmoney", "sql_variant", "sysname", "text", "time",
        "timestamp", "tinyint", "uniqueidentifier", "varbinary", "varchar", "vector", "xml",
    }
)  # fmt: skip


def _read_table(
    text: str, lexes: Sequence[_Lex], i: int, k: int, parts: list[str]
) -> tuple[CatalogObject, int]:
    """CREATE TABLE at i whose name ends before k; the statement ends after its options."""
    columns: list[Column] = []
    constraints: list[_Constraint] = []
    if _word(lexes, k) == "(":
        close = _close(lexes, k)
        columns, constraints = _read_elements(text, lexes[k + 1 : close])
        k = close + 1
    end = _table_options_end(lexes, k)
    schema, name = _schema_and_name(parts)
    table = CatalogObject(
        schema=schema or DEFAULT_SCHEMA,
        name=name,
        type=ObjectType.TABLE,
        definition=_raw(text, lexes[i:end]),
    )
    _apply_change(table, _TableChange(table.schema_name, name, tuple(columns), tuple(constraints)))
    return table, end + 1 if _word(lexes, end) == ";" else end


def _table_options_end(lexes: Sequence[_Lex], k: int) -> int:
    """Skip ON [filegroup], TEXTIMAGE_ON, WITH (...), and a CTAS's AS SELECT."""
    while k < len(lexes):
        word = lexes[k].word
        if word in _TABLE_OPTIONS_WITH_NAME:
            k += 2
            if _word(lexes, k) == "(":  # ON partition_scheme (column)
                k = _close(lexes, k) + 1
        elif word == "WITH" and _word(lexes, k + 1) == "(":
            k = _close(lexes, k + 1) + 1
        elif word == "AS":
            while k < len(lexes) and lexes[k].word != ";":
                k += 1
        else:
            break
    return min(k, len(lexes))


def _read_elements(text: str, lexes: Sequence[_Lex]) -> tuple[list[Column], list[_Constraint]]:
    """The columns and constraints of a column list or of an ALTER TABLE ... ADD."""
    columns: list[Column] = []
    constraints: list[_Constraint] = []
    for element in _split(lexes):
        if element[0].word in _TABLE_ELEMENT_WORDS:
            constraints.extend(_read_constraints(text, element, own_column=None))
        else:
            column, own = _read_column(text, element, ordinal=len(columns) + 1)
            columns.append(column)
            constraints.extend(own)
    return columns, constraints


def _read_column(
    text: str, lexes: Sequence[_Lex], ordinal: int
) -> tuple[Column, list[_Constraint]]:
    """One column definition and the constraints written on it.

    A computed column's data_type is its declaration as written, `AS <expr>`:
    offline there is no type to read.
    """
    name = lexes[0].text
    computed = _word(lexes, 1) == "AS"
    if computed:
        end = next((j for j in range(2, len(lexes)) if lexes[j].word in _COMPUTED_END), len(lexes))
        data_type, rest = f"AS {_raw(text, lexes[2:end])}", lexes[end:]
    else:
        data_type, j = _read_data_type(lexes, 1)
        rest = lexes[j:]
    nullable, identity, default = _column_options(text, rest)
    column = Column(
        name=name,
        data_type=data_type,
        # IDENTITY columns cannot hold NULL; SQL Server makes them NOT NULL.
        nullable=(not identity) if nullable is None else nullable,
        ordinal=ordinal,
        default=default,
        is_identity=identity,
        is_computed=computed,
    )
    return column, _read_constraints(text, rest, own_column=name)


def _read_data_type(lexes: Sequence[_Lex], i: int) -> tuple[str, int]:
    """`[decimal](19, 4)` -> "decimal(19,4)"; user-defined types keep their spelling."""
    parts, i = _read_name(lexes, i)
    if not parts:
        return "", i  # not valid T-SQL; the column is still listed
    system = len(parts) == 1 and parts[0].lower() in _SYSTEM_TYPES
    data_type = parts[0].lower() if system else ".".join(parts)
    if _word(lexes, i) == "(":
        close = _close(lexes, i)
        data_type += f"({_render(lexes[i + 1 : close], lower=system)})"
        i = close + 1
    return data_type, i


def _render(lexes: Sequence[_Lex], lower: bool) -> str:
    out = ""
    for lex in lexes:
        piece = lex.text.lower() if lower and lex.word else lex.text
        joined = not out or lex.word in (",", ".") or out.endswith((",", "."))
        out += piece if joined else f" {piece}"
    return out


def _column_options(text: str, lexes: Sequence[_Lex]) -> tuple[bool | None, bool, str | None]:
    """(nullable as written or None, is IDENTITY, DEFAULT text) of a column's options."""
    nullable: bool | None = None
    identity = False
    default = None
    i = 0
    while i < len(lexes):
        word = lexes[i].word
        if word == "(":
            i = _close(lexes, i) + 1
        elif word == "NOT" and _word(lexes, i + 1) == "NULL":
            nullable, i = False, i + 2
        elif word == "NULL":
            nullable, i = True, i + 1
        elif word == "IDENTITY":
            identity, i = True, i + 1
        elif word == "DEFAULT":
            end = _default_end(lexes, i + 1)
            default, i = _raw(text, lexes[i + 1 : end]), end
        else:
            i += 1
    return nullable, identity, default


def _default_end(lexes: Sequence[_Lex], i: int) -> int:
    """The end of a DEFAULT expression: (expr), a literal, or a call like getdate()."""
    while _word(lexes, i) in ("-", "+"):
        i += 1
    if _word(lexes, i) != "(":
        i += 1
    return _close(lexes, i) + 1 if _word(lexes, i) == "(" else i


def _read_constraints(
    text: str, lexes: Sequence[_Lex], own_column: str | None
) -> list[_Constraint]:
    """Keys, references and DEFAULT ... FOR in a column's options or a table element.

    `own_column` is the column they are written on; None for table-level
    constraints, which name their columns.
    """
    found = []
    name = None
    i = 0
    while i < len(lexes):
        word = lexes[i].word
        constraint = None
        if word == "(":
            i = _close(lexes, i) + 1
            continue
        if word == "CONSTRAINT" and i + 1 < len(lexes):
            name, i = lexes[i + 1].text, i + 2
            continue
        if (word == "PRIMARY" and _word(lexes, i + 1) == "KEY") or word == "UNIQUE":
            constraint, i = _read_key(lexes, i, name, own_column)
        elif word in ("FOREIGN", "REFERENCES"):
            constraint, i = _read_reference(lexes, i, name, own_column)
        elif word == "DEFAULT" and own_column is None:
            constraint, i = _read_default_for(text, lexes, i + 1, name)
        else:
            if word in ("DEFAULT", "CHECK"):
                name = None  # the name was this constraint's, not the next key's
            i += 1
        if constraint is not None:
            found.append(constraint)
            name = None
    return found


def _read_key(
    lexes: Sequence[_Lex], i: int, name: str | None, own_column: str | None
) -> tuple[_Constraint, int]:
    kind = "PRIMARY KEY" if lexes[i].word == "PRIMARY" else "UNIQUE"
    i += 2 if kind == "PRIMARY KEY" else 1
    clustering = None
    if _word(lexes, i) in ("CLUSTERED", "NONCLUSTERED"):
        clustering, i = lexes[i].word, i + 1
    if own_column is None and _word(lexes, i) == "(":
        columns, i = _name_list(lexes, i)
    else:
        columns = [own_column] if own_column else []
    return _Constraint(kind, name, tuple(columns), clustering), i


def _read_reference(
    lexes: Sequence[_Lex], i: int, name: str | None, own_column: str | None
) -> tuple[_Constraint | None, int]:
    columns = [own_column] if own_column else []
    if lexes[i].word == "FOREIGN":
        i += 2  # FOREIGN KEY
        if _word(lexes, i) == "(":
            columns, i = _name_list(lexes, i)
    if _word(lexes, i) != "REFERENCES":
        return None, i
    parts, i = _read_name(lexes, i + 1)
    if not parts:
        return None, i
    referenced_columns, i = _name_list(lexes, i) if _word(lexes, i) == "(" else ([], i)
    schema, table = _schema_and_name(parts)
    return (
        _Constraint(
            "FOREIGN KEY",
            name,
            tuple(columns),
            referenced=(schema or DEFAULT_SCHEMA, table),
            referenced_columns=tuple(referenced_columns),
        ),
        i,
    )


def _read_default_for(
    text: str, lexes: Sequence[_Lex], i: int, name: str | None
) -> tuple[_Constraint | None, int]:
    """`DEFAULT (0) FOR [col]`, as SSMS scripts table defaults."""
    end = _default_end(lexes, i)
    if _word(lexes, end) != "FOR" or end + 1 >= len(lexes):
        return None, end
    column = lexes[end + 1].text
    return _Constraint("DEFAULT", name, (column,), default=_raw(text, lexes[i:end])), end + 2


# --- assembling -----------------------------------------------------------------


def _key(schema: str, name: str, object_type: ObjectType) -> tuple[str, str, ObjectType]:
    # SQL Server's default collation compares names case-insensitively.
    return schema.lower(), name.lower(), object_type


def _define(objects: dict[tuple[str, str, ObjectType], CatalogObject], obj: CatalogObject) -> None:
    """Add an object; a later definition replaces an earlier one in its place.

    The name keeps its first spelling: ALTER [DBO].[P] does not rename dbo.p.
    """
    key = _key(obj.schema_name, obj.name, obj.type)
    earlier = objects.get(key)
    if earlier is not None:
        obj = obj.model_copy(update={"schema_name": earlier.schema_name, "name": earlier.name})
    objects[key] = obj


def _apply_table_changes(
    objects: dict[tuple[str, str, ObjectType], CatalogObject], changes: list[_TableChange]
) -> None:
    """Apply ALTER TABLE ... ADD and CREATE INDEX to the tables, wherever they were read.

    An index on a view (an indexed view) goes to the view.
    """
    for change in changes:
        table = objects.get(_key(change.schema, change.table, ObjectType.TABLE))
        if table is None and not (change.columns or change.constraints):
            table = objects.get(_key(change.schema, change.table, ObjectType.VIEW))
        if table is None:
            logger.debug("no CREATE TABLE for %s.%s; change ignored", change.schema, change.table)
            continue
        _apply_change(table, change)
    # REFERENCES t without a column list means t's primary key.
    for table in objects.values():
        for foreign_key in table.foreign_keys:
            target = objects.get(
                _key(foreign_key.referenced_schema, foreign_key.referenced_table, ObjectType.TABLE)
            )
            if not foreign_key.referenced_columns and target is not None:
                foreign_key.referenced_columns = list(target.primary_key)


def _apply_change(table: CatalogObject, change: _TableChange) -> None:
    for column in change.columns:
        table.columns.append(column.model_copy(update={"ordinal": len(table.columns) + 1}))
    for constraint in change.constraints:
        _apply_constraint(table, constraint)
    table.indexes.extend(change.indexes)


def _apply_constraint(table: CatalogObject, constraint: _Constraint) -> None:
    columns = list(constraint.columns)
    named = {column.lower() for column in columns}
    if constraint.kind == "PRIMARY KEY":
        table.primary_key = columns
        for column in table.columns:
            if column.name.lower() in named:
                column.nullable = False
        table.indexes.append(
            Index(
                name=constraint.name or f"PK_{table.name}",
                columns=columns,
                unique=True,
                primary=True,
                kind=constraint.clustering,
            )
        )
    elif constraint.kind == "UNIQUE":
        table.indexes.append(
            Index(
                name=constraint.name or f"UQ_{table.name}_{'_'.join(columns)}",
                columns=columns,
                unique=True,
                kind=constraint.clustering,
            )
        )
    elif constraint.kind == "FOREIGN KEY" and constraint.referenced:
        schema, referenced = constraint.referenced
        table.foreign_keys.append(
            ForeignKey(
                name=constraint.name or f"FK_{table.name}_{referenced}",
                columns=columns,
                referenced_schema=schema,
                referenced_table=referenced,
                referenced_columns=list(constraint.referenced_columns),
            )
        )
    elif constraint.kind == "DEFAULT":
        for column in table.columns:
            if column.name.lower() in named:
                column.default = constraint.default


def _parse_error(definition: str) -> str | None:
    """Why sqlglot cannot parse the definition, in one line; None when it can."""
    try:
        with quiet_sqlglot():
            statements = sqlglot.parse(definition, read="tsql", error_level=ErrorLevel.RAISE)
    except Exception as error:  # noqa: BLE001 - even an internal sqlglot failure is a fact to record
        return _one_line(error)
    # Where sqlglot meets syntax it does not support it keeps the text as a raw
    # Command, for the whole statement or for a part of a body, and carries on.
    command = next((c for s in statements if s for c in s.find_all(exp.Command)), None)
    if command is not None:
        raw = command.sql(dialect="tsql", comments=False).split("\n")[0].strip()[:60]
        return f"sqlglot does not support this syntax and kept it as raw text: {raw!r}"
    return None


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _one_line(error: Exception) -> str:
    lines = _ANSI.sub("", str(error)).strip().splitlines() or [""]
    return f"{type(error).__name__}: {lines[0]}"[:300]
