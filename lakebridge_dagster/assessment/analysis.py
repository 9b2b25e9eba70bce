"""The analysis of one catalog object: its findings with evidence, and its references.

The object's definition is tokenized once. If sqlglot parses it faithfully
(`parsing.parse_trusted`) the AST rules run, else the token rules. A
PostgreSQL routine's body is a dollar-quoted string: it is tokenized (and, for
LANGUAGE sql, parsed) on its own, because PL/pgSQL is not SQL. Strings the
object executes as dynamic SQL are analysed too (`dynamic_sql`). Objects
without a definition (live tables) are analysed from their column metadata.
"""

from __future__ import annotations

from dataclasses import dataclass

from lakebridge_dagster.assessment.ast_rules import ast_hits
from lakebridge_dagster.assessment.context import (
    Access,
    CatalogIndex,
    Hit,
    Reference,
    RuleContext,
)
from lakebridge_dagster.assessment.dependencies import ast_references, token_references
from lakebridge_dagster.assessment.dynamic_sql import executed_sql
from lakebridge_dagster.assessment.indicators import Indicator
from lakebridge_dagster.assessment.parsing import parse_trusted
from lakebridge_dagster.assessment.token_rules import EXTERNAL_LANGUAGES, token_hits
from lakebridge_dagster.assessment.tokens import (
    QUOTED,
    STRING,
    WORD,
    Dialect,
    LineIndex,
    TokenStream,
    tokenize,
)
from lakebridge_dagster.catalog.model import CatalogObject, Column, ObjectType

SNIPPET_LENGTH = 160
IN_DYNAMIC_SQL = "in executed dynamic SQL"

AST = "ast"
TOKENS = "tokens"
METADATA = "metadata"
ERROR = "error"

# Column types found from metadata when a live table has no definition.
_COLUMN_TYPES = {
    "geography": Indicator.SPATIAL,
    "geometry": Indicator.SPATIAL,
    "hierarchyid": Indicator.HIERARCHYID,
    "ltree": Indicator.HIERARCHYID,
    "xml": Indicator.XML_JSON,
    "json": Indicator.XML_JSON,
    "jsonb": Indicator.XML_JSON,
}


@dataclass(frozen=True)
class Evidence:
    indicator: Indicator
    line: int | None  # 1-based line in the object's definition; None for metadata
    snippet: str
    detail: str | None = None


@dataclass
class ObjectAnalysis:
    evidence: list[Evidence]
    references: list[Reference]
    method: str  # ast | tokens | metadata | error
    code_lines: int = 0


def analyse_object(
    obj: CatalogObject, index: CatalogIndex, *, use_ast: bool = True
) -> ObjectAnalysis:
    """Findings and references of `obj`. Raises on an internal error (see assess.py).

    `use_ast=False` reads every object from its tokens, as if nothing parsed (the
    tests check both ways agree)."""
    ctx = RuleContext(index, obj)
    refs = _metadata_references(obj)
    if not obj.definition or not obj.definition.strip():
        hits, column_refs = _column_hits(obj, ctx)
        hits.extend(_object_type_hits(obj, hits))
        return ObjectAnalysis(_evidence(hits, None), refs + column_refs, METADATA)

    text = obj.definition
    lines = LineIndex(text)
    dialect = index.dialect
    stream = tokenize(text, dialect)
    hits: list[Hit] = []
    body_at = _routine_body(stream) if _is_pg_routine(obj, dialect) else None
    outer = stream if body_at is None else stream.without(body_at)
    streams = [outer]

    statements = parse_trusted(stream) if use_ast else None
    if statements is not None:
        hits += ast_hits(statements, stream, ctx)
        refs += ast_references(statements)
        method = AST
    else:
        hits += token_hits(outer, ctx)
        refs += token_references(outer)
        method = TOKENS

    if body_at is not None and _language(obj, outer) in ("sql", "plpgsql"):
        body_token = stream.tokens[body_at]
        shift = body_token.content_start
        body = tokenize(body_token.value, Dialect.POSTGRES, lambda offset: offset + shift)
        streams.append(body)
        sql_body = use_ast and _language(obj, outer) == "sql"
        body_statements = parse_trusted(body) if sql_body else None
        if body_statements is not None:
            hits += ast_hits(body_statements, body, ctx)
            refs += ast_references(body_statements)
        else:
            hits += token_hits(body, ctx)
            refs += token_references(body)
            method = TOKENS

    for analysed in streams:
        for executed in executed_sql(analysed):
            dynamic = executed.stream(dialect, lines)
            if dynamic is None:
                continue
            hits += [
                Hit(hit.indicator, hit.offset, _join(hit.detail, IN_DYNAMIC_SQL))
                for hit in token_hits(dynamic, ctx)
            ]
            refs += token_references(dynamic)

    hits.extend(_object_type_hits(obj, hits))
    code_lines = len(
        {lines.line(analysed.locate(tok.start)) for analysed in streams for tok in analysed.tokens}
    )
    return ObjectAnalysis(_evidence(hits, lines), refs, method, code_lines)


def _join(detail: str | None, note: str) -> str:
    return f"{detail}; {note}" if detail else note


def _is_pg_routine(obj: CatalogObject, dialect: Dialect) -> bool:
    return dialect is Dialect.POSTGRES and obj.type in (ObjectType.FUNCTION, ObjectType.PROCEDURE)


def _routine_body(stream: TokenStream) -> int | None:
    """Index of the string after `AS` that holds a PostgreSQL routine's body."""
    for i, tok in enumerate(stream.tokens):
        if tok.kind == STRING and i and stream.tokens[i - 1].is_word("AS"):
            if stream.enclosing_call(i) is None:
                return i
    return None


def _language(obj: CatalogObject, header: TokenStream) -> str | None:
    if obj.language:
        return obj.language.lower()
    for i, tok in enumerate(header.tokens[:-1]):
        nxt = header.tokens[i + 1]
        if tok.is_word("LANGUAGE") and nxt.kind in (WORD, QUOTED, STRING):
            return nxt.text.lower()
    return None


def _evidence(hits: list[Hit], lines: LineIndex | None) -> list[Evidence]:
    found: dict[tuple[Indicator, int | None, str | None], Evidence] = {}
    for hit in hits:
        if hit.offset is None or lines is None:
            key = (hit.indicator, None, hit.detail)
            found.setdefault(key, Evidence(hit.indicator, None, hit.detail or "", None))
            continue
        line = lines.line(hit.offset)
        key = (hit.indicator, line, hit.detail)
        if key not in found:
            snippet = " ".join(lines.line_text(line).split())[:SNIPPET_LENGTH]
            found[key] = Evidence(hit.indicator, line, snippet, hit.detail)
    return sorted(found.values(), key=lambda e: (e.line or 0, e.indicator.value, e.detail or ""))


def _object_type_hits(obj: CatalogObject, hits: list[Hit]) -> list[Hit]:
    """Indicators an object has by what it is, when its text did not show them."""
    present = {hit.indicator for hit in hits}
    extra: list[Hit] = []
    if obj.type is ObjectType.TRIGGER and Indicator.TRIGGER not in present:
        extra.append(Hit(Indicator.TRIGGER, None, f"trigger on {obj.parent or 'the database'}"))
    if obj.type is ObjectType.SEQUENCE and Indicator.SEQUENCE not in present:
        extra.append(Hit(Indicator.SEQUENCE, None, f"sequence {obj.qualified_name}"))
    language = (obj.language or "").lower()
    if language in EXTERNAL_LANGUAGES and Indicator.CLR not in present:
        extra.append(Hit(Indicator.CLR, None, f"LANGUAGE {obj.language}"))
    return extra


def _column_hits(obj: CatalogObject, ctx: RuleContext) -> tuple[list[Hit], list[Reference]]:
    """Indicators of a live table's columns: types, identity, defaults."""
    hits: list[Hit] = []
    refs: list[Reference] = []
    for column in obj.columns:
        described = _describe(column)
        type_name = column.data_type.split("(", 1)[0].strip().rsplit(".", 1)[-1].strip('"[] ')
        indicator = _COLUMN_TYPES.get(type_name.lower())
        if indicator is not None:
            hits.append(Hit(indicator, None, described))
        if column.is_identity:
            hits.append(Hit(Indicator.IDENTITY, None, described))
        if column.default:
            try:
                default = tokenize(column.default, ctx.dialect)
            except Exception:  # noqa: BLE001 - an unreadable default is not a finding
                continue
            hits += [Hit(hit.indicator, None, described) for hit in token_hits(default, ctx)]
            refs += token_references(default)
    return hits, refs


def _describe(column: Column) -> str:
    text = f"column {column.name} {column.data_type}"
    if column.is_identity:
        text += " IDENTITY"
    if column.default:
        text += f" DEFAULT {column.default}"
    return text[:SNIPPET_LENGTH]


def _metadata_references(obj: CatalogObject) -> list[Reference]:
    """A table depends on the tables its foreign keys reference; a trigger on its table."""
    refs = [
        Reference(Access.READ, (fk.referenced_schema, fk.referenced_table))
        for fk in obj.foreign_keys
    ]
    if obj.parent:
        refs.append(Reference(Access.READ, tuple(obj.parent.split(".", 1))))
    return refs
