"""PostgreSQL tables, views, functions, procedures, triggers, sequences -> Databricks SQL.

The input is one object of a live PostgreSQL / TimescaleDB catalog
(catalog/postgres.py): tables are known from their columns and keys, views from
`pg_get_viewdef`, routines from `pg_get_functiondef`, triggers from
`pg_get_triggerdef`, sequences from `pg_sequences`.

- TABLE: `CREATE TABLE IF NOT EXISTS ... USING DELTA`; identity and serial columns
  become BIGINT identity columns, defaults stay where Databricks has them, keys
  become informational constraints.
- VIEW: the query through sqlglot plus our rewrites (`convert_expression`).
- FUNCTION: a SQL UDF when the body is one expression or query (LANGUAGE sql, or
  PL/pgSQL `BEGIN RETURN expr; END`); otherwise MANUAL, with a procedure draft.
- PROCEDURE: PL/pgSQL (and LANGUAGE sql) to a Databricks SQL procedure, the body in
  a `body:` compound, parameters as `proc.param` and locals as `label.var`; every
  statement without an equivalent is a MANUAL reason with its line.
- TRIGGER, SEQUENCE: always MANUAL, with what to do instead.

Type mapping (PostgreSQL -> Databricks), the same choices bronze made for the
data (bronze/readers.py), so a silver table can be filled from bronze:

| PostgreSQL | Databricks | message |
|---|---|---|
| smallint, integer, bigint | SMALLINT, INT, BIGINT | identity/serial widened to BIGINT (warning) |
| numeric(p,s), p <= 38 | DECIMAL(p,s) | |
| numeric | DECIMAL(38,18) | warning: scale fixed at 18 |
| numeric(p,s), p > 38 | STRING | warning: beyond Delta's 38 digits |
| real, double precision | FLOAT, DOUBLE | |
| money | DECIMAL(19,2) | warning: currency and locale lost |
| boolean | BOOLEAN | |
| text, varchar, char, name | STRING | |
| citext | STRING | warning: comparisons become case-sensitive |
| uuid, inet, cidr, macaddr, xml | STRING | |
| json, jsonb | STRING | info: bronze holds the text; VARIANT is opt-in |
| bytea | BINARY | |
| date | DATE | |
| timestamp | TIMESTAMP_NTZ | |
| timestamptz | TIMESTAMP | |
| time, timetz, interval | STRING | warning: no such Delta type |
| point, polygon, ... | STRING | info: PostgreSQL's text form |
| geometry, geography | STRING | info: WKT |
| arrays | ARRAY<element> | the element's message |
| enums, domains, other types | STRING | warning |

json/jsonb become STRING, not VARIANT: bronze stores the document text, the `:`
path syntax works on JSON strings, and VARIANT (DBR 15.3+) cannot be compared,
grouped or ordered, which a migrated query may do; the info message says how to
opt in (`parse_json`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.tokens import Token, TokenType

from lakebridge_dagster.catalog.model import CatalogObject, Column, ObjectType
from lakebridge_dagster.sqlglot_logging import quiet_sqlglot
from lakebridge_dagster.transpile.context import ManualConversion, ObjectContext, manual
from lakebridge_dagster.transpile.model import Message
from lakebridge_dagster.transpile.names import remap_tables, target_table
from lakebridge_dagster.transpile.validate import POSTGRES_ONLY_BUILTINS

_POSTGRES = sqlglot.Dialect.get_or_raise("postgres")

# ---------------------------------------------------------------------------------
# Types
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TypeMapping:
    """The Databricks type for a PostgreSQL type, and what a reviewer should know."""

    databricks: str
    level: Literal["info", "warning"] | None = None
    note: str | None = None


_ALIASES = {
    "int2": "smallint",
    "int": "integer",
    "int4": "integer",
    "int8": "bigint",
    "serial2": "smallserial",
    "serial4": "serial",
    "serial8": "bigserial",
    "float4": "real",
    "float8": "double precision",
    "double": "double precision",
    "bool": "boolean",
    "decimal": "numeric",
    "varchar": "character varying",
    "char": "character",
    "bpchar": "character",
    "timestamptz": "timestamp with time zone",
    "timestamp without time zone": "timestamp",
    "timetz": "time with time zone",
    "time without time zone": "time",
    "varbit": "bit varying",
}
_SIMPLE_TYPES = {
    "smallint": "SMALLINT",
    "integer": "INT",
    "bigint": "BIGINT",
    "smallserial": "SMALLINT",
    "serial": "INT",
    "bigserial": "BIGINT",
    "oid": "BIGINT",
    "real": "FLOAT",
    "double precision": "DOUBLE",
    "boolean": "BOOLEAN",
    "text": "STRING",
    "character varying": "STRING",
    "character": "STRING",
    "name": "STRING",
    "uuid": "STRING",
    "inet": "STRING",
    "cidr": "STRING",
    "macaddr": "STRING",
    "macaddr8": "STRING",
    "xml": "STRING",
    "bytea": "BINARY",
    "date": "DATE",
    "timestamp": "TIMESTAMP_NTZ",
    "timestamp with time zone": "TIMESTAMP",
}
_GEOMETRIC = frozenset({"point", "line", "lseg", "box", "path", "polygon", "circle"})
_NO_DELTA_TYPE = frozenset({"time", "time with time zone", "interval"})
# name [(modifiers)] [rest]: `numeric(12,2)`, `timestamp(3) with time zone`
_TYPE_NAME = re.compile(
    r"^(?P<base>[a-z_][a-z0-9_ ]*?)\s*(?:\((?P<args>[^)]*)\)\s*(?P<rest>[a-z ]*))?$"
)
MAX_DECIMAL_PRECISION = 38


def map_postgres_type(pg_type: str) -> TypeMapping:
    """The Databricks type of a PostgreSQL type name as `format_type` or sqlglot spells
    it (`character varying(20)`, `numeric(12,2)`, `timestamp with time zone`,
    `text[]`, `TIMESTAMPTZ`, `INT[]`)."""
    spelled = " ".join(pg_type.strip().split())
    dims = 0
    while spelled.endswith("[]"):
        spelled, dims = spelled[:-2].rstrip(), dims + 1
    if dims:
        element = map_postgres_type(spelled)
        note = element.note
        if dims > 1:
            note = "a multi-dimensional array: bronze holds it flattened to one level"
        level = "warning" if dims > 1 else element.level
        return TypeMapping(f"ARRAY<{element.databricks}>", level, note)
    match = _TYPE_NAME.match(spelled.lower())
    if match is None:
        return _user_type(pg_type)
    base = " ".join(f"{match['base']} {match['rest'] or ''}".split())
    base = _ALIASES.get(base, base)
    if base.startswith("interval "):  # interval day to second, interval year, ...
        base = "interval"
    args = [a.strip() for a in (match["args"] or "").split(",") if a.strip()]
    if base == "numeric":
        return _numeric(args)
    if base == "float":
        precision = int(args[0]) if args and args[0].isdigit() else 53
        return TypeMapping("FLOAT" if precision <= 24 else "DOUBLE")
    if base == "citext":
        return TypeMapping(
            "STRING",
            "warning",
            "citext compares case-insensitively; Databricks STRING does not "
            "(declare it STRING COLLATE UTF8_LCASE on DBR 16.1+ to keep that)",
        )
    if base in ("json", "jsonb"):
        return TypeMapping(
            "STRING",
            "info",
            f"{base} is kept as its JSON text (as bronze loads it); query it with the "
            "`:` path syntax, or store parse_json(...) in a VARIANT column instead",
        )
    if base == "money":
        return TypeMapping(
            "DECIMAL(19,2)",
            "warning",
            "money becomes DECIMAL(19,2): currency symbol and locale formatting are lost",
        )
    if base in _NO_DELTA_TYPE:
        return TypeMapping(
            "STRING",
            "warning",
            f"Delta has no {base} type: kept as text as bronze loads it"
            + (" (ISO 8601, e.g. P1DT2H)" if base == "interval" else ""),
        )
    if base in _GEOMETRIC:
        return TypeMapping("STRING", "info", f"{base} is kept as PostgreSQL's text form")
    if base in ("geometry", "geography"):
        return TypeMapping(
            "STRING", "info", f"PostGIS {base} is kept as WKT text (bronze reads ST_AsText)"
        )
    if base in ("bit", "bit varying"):
        return TypeMapping("STRING", "warning", f"{base} is kept as a string of 0s and 1s")
    if base in _SIMPLE_TYPES:
        return TypeMapping(_SIMPLE_TYPES[base])
    return _user_type(pg_type)


def _numeric(args: list[str]) -> TypeMapping:
    if not args:
        return TypeMapping(
            "DECIMAL(38,18)",
            "warning",
            "numeric without precision becomes DECIMAL(38,18): values with more than 18 "
            "decimals are rounded, more than 20 integer digits do not fit",
        )
    precision = int(args[0])
    scale = int(args[1]) if len(args) > 1 else 0
    if precision > MAX_DECIMAL_PRECISION:
        return TypeMapping(
            "STRING",
            "warning",
            f"numeric({precision},{scale}) exceeds Delta's 38 digits: kept as text",
        )
    return TypeMapping(f"DECIMAL({precision},{scale})")


def _user_type(pg_type: str) -> TypeMapping:
    return TypeMapping(
        "STRING",
        "warning",
        f"{pg_type} is not a built-in type (an enum, domain or extension type?): kept as "
        "text; add a CHECK constraint if its values must stay restricted",
    )


def _mapped_type(ctx: ObjectContext, pg_type: str, where: str) -> exp.DataType:
    mapping = map_postgres_type(pg_type)
    if mapping.level == "warning":
        ctx.warn(f"{where}: {mapping.note}", rule="type")
    elif mapping.level == "info":
        ctx.info(f"{where}: {mapping.note}", rule="type")
    return exp.DataType.build(mapping.databricks, dialect="databricks")


# ---------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------


def convert_postgres_object(ctx: ObjectContext) -> str:
    """Databricks SQL for one PostgreSQL catalog object; raises ManualConversion with
    the reasons when it has no automatic equivalent."""
    converters: dict[ObjectType, Callable[[ObjectContext], str]] = {
        ObjectType.TABLE: convert_table,
        ObjectType.VIEW: convert_view,
        ObjectType.FUNCTION: convert_function,
        ObjectType.PROCEDURE: convert_procedure,
        ObjectType.TRIGGER: convert_trigger,
        ObjectType.SEQUENCE: convert_sequence,
    }
    return converters[ctx.obj.type](ctx)


def _sql(expression: exp.Expression) -> str:
    return expression.sql("databricks", pretty=True)


def _parse(sql: str) -> exp.Expression:
    with quiet_sqlglot():
        parsed = sqlglot.parse_one(sql, read="postgres")
    return parsed


# ---------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------


def convert_table(ctx: ObjectContext) -> str:
    """`CREATE TABLE IF NOT EXISTS ... USING DELTA` from the catalog's columns and keys."""
    table = ctx.obj
    if not table.columns:
        raise ManualConversion(
            [manual("the catalog has no columns for this table; re-extract the catalog")]
        )
    columns = [_column_def(ctx, column) for column in table.columns]
    has_default = any(
        isinstance(c.kind, exp.DefaultColumnConstraint)
        for column in columns
        for c in column.args.get("constraints") or []
    )
    constraints = _key_constraints(ctx, table)
    properties: list[exp.Expression] = [exp.FileFormatProperty(this=exp.var("DELTA"))]
    if has_default:
        properties.append(
            exp.Property(
                this=exp.Literal.string("delta.feature.allowColumnDefaults"),
                value=exp.Literal.string("supported"),
            )
        )
    create = exp.Create(
        kind="TABLE",
        exists=True,
        this=exp.Schema(
            this=target_table(ctx, table.schema_name, table.name),
            expressions=[*columns, *constraints],
        ),
        properties=exp.Properties(expressions=properties),
    )
    return _table_text(create)


def _table_text(create: exp.Create) -> str:
    """The CREATE TABLE with one column or constraint a line (sqlglot's pretty mode
    splits long constraints and generated expressions over many lines)."""
    schema = create.this
    head = exp.Create(kind="TABLE", exists=True, this=schema.this).sql("databricks")
    items = [item.sql("databricks") for item in schema.expressions]
    properties = create.args["properties"].expressions
    tail = ["USING DELTA"]
    extra = [p.sql("databricks") for p in properties if not isinstance(p, exp.FileFormatProperty)]
    if extra:
        tail.append(f"TBLPROPERTIES ({', '.join(extra)})")
    return "\n".join([f"{head} (", ",\n".join(f"  {item}" for item in items), ")", *tail]) + ";"


def _column_def(ctx: ObjectContext, column: Column) -> exp.ColumnDef:
    where = f"column {column.name!r}"
    kind = _mapped_type(ctx, column.data_type, where)
    constraints: list[exp.ColumnConstraint] = []
    if not column.nullable:
        constraints.append(exp.ColumnConstraint(kind=exp.NotNullColumnConstraint()))
    identity = _identity(ctx, column)
    if identity is not None:
        if kind.this != exp.DataType.Type.BIGINT:
            ctx.warn(
                f"{where}: identity column widened from {column.data_type} to BIGINT "
                "(Databricks identity columns are BIGINT only)",
                rule="identity",
            )
            kind = exp.DataType.build("BIGINT")
        constraints.append(exp.ColumnConstraint(kind=identity))
    elif column.is_computed and column.default:
        expression = _table_expression(ctx, _parse(column.default), f"{where}: generation")
        if expression is not None:
            ctx.info(f"{where}: computed column kept as a Delta generated column", rule="generated")
            constraints.append(
                exp.ColumnConstraint(kind=exp.ComputedColumnConstraint(this=expression))
            )
    elif column.default:
        default = _column_default(ctx, column, kind)
        if default is not None:
            constraints.append(exp.ColumnConstraint(kind=exp.DefaultColumnConstraint(this=default)))
    return exp.ColumnDef(
        this=exp.to_identifier(column.name, quoted=True), kind=kind, constraints=constraints
    )


def _nextval_sequence(default: str | None) -> str | None:
    """The sequence name of a `nextval('seq'::regclass)` default, unquoted."""
    if not default or "nextval" not in default.lower():
        return None
    for call in _parse(default).find_all(exp.Anonymous):
        if call.name.lower() == "nextval" and call.expressions:
            argument = call.expressions[0]
            literal = argument.this if isinstance(argument, exp.Cast) else argument
            if isinstance(literal, exp.Literal) and literal.is_string:
                return exp.to_table(literal.this, dialect="postgres").name
    return None


def _owned_sequence_name(table: str, column: str) -> str:
    # PostgreSQL's name for the sequence behind a serial or identity column.
    return f"{table}_{column}_seq"


def _identity(ctx: ObjectContext, column: Column) -> exp.GeneratedAsIdentityColumnConstraint | None:
    sequence = _nextval_sequence(column.default)
    owned = _owned_sequence_name(ctx.obj.name, column.name)
    if not column.is_identity and sequence != owned:
        return None
    start, increment = _sequence_start_increment(ctx, owned)
    ctx.info(
        f"column {column.name!r}: {'identity' if column.is_identity else 'serial'} column "
        f"becomes GENERATED {ctx.options.identity_generation} AS IDENTITY; after loading the "
        "existing rows run ALTER TABLE ... ALTER COLUMN ... SYNC IDENTITY",
        rule="identity",
    )
    return exp.GeneratedAsIdentityColumnConstraint(
        this=ctx.options.identity_generation == "ALWAYS",
        start=exp.Literal.number(start),
        increment=exp.Literal.number(increment),
    )


def _sequence_start_increment(ctx: ObjectContext, name: str) -> tuple[int, int]:
    sequence = ctx.catalog.find(name, ctx.obj.schema_name, ObjectType.SEQUENCE)
    if sequence is None or not sequence.definition:
        return 1, 1
    properties = _parse(sequence.definition).find(exp.SequenceProperties)
    if properties is None:
        return 1, 1
    start, increment = properties.args.get("start"), properties.args.get("increment")
    return (
        int(start.this) if isinstance(start, exp.Literal) else 1,
        int(increment.this) if isinstance(increment, exp.Literal) else 1,
    )


def _column_default(
    ctx: ObjectContext, column: Column, kind: exp.DataType
) -> exp.Expression | None:
    where = f"column {column.name!r}"
    assert column.default is not None
    sequence = _nextval_sequence(column.default)
    if sequence is not None:
        ctx.warn(
            f"{where}: default nextval('{sequence}') dropped: Databricks has no sequences; "
            "migrated rows keep their values, new rows must be given one by the writer",
            rule="sequence",
        )
        return None
    mapping = map_postgres_type(column.data_type)
    if mapping.level == "warning" and mapping.databricks == "STRING":
        ctx.warn(
            f"{where}: default {column.default} dropped: the column becomes text", rule="default"
        )
        return None
    parsed = _parse(column.default)
    if isinstance(parsed, exp.Cast) and parsed.to.is_type(exp.DataType.Type.ARRAY):
        literal = _array_literal(parsed)
        if literal is None:
            ctx.warn(f"{where}: array default {column.default} dropped", rule="default")
        return literal
    default = _table_expression(ctx, parsed, f"{where}: default {column.default}")
    if isinstance(default, exp.CurrentTimestamp) and kind.is_type(exp.DataType.Type.TIMESTAMPNTZ):
        # current_timestamp() is a TIMESTAMP; a wall-clock column wants the local time
        return exp.cast(default, exp.DataType.build("TIMESTAMP_NTZ"))
    return default


def _table_expression(
    ctx: ObjectContext, parsed: exp.Expression, what: str
) -> exp.Expression | None:
    """A default or generated-column expression, or None (with a warning) when it has
    no Databricks form: the table itself still converts without it."""
    reasons: list[Message]
    try:
        converted = convert_expression(parsed, ctx)
    except ManualConversion as outcome:
        reasons = outcome.reasons
    else:
        reasons = _postgres_only_calls(converted)
        if not reasons:
            return converted
    ctx.warn(f"{what} dropped: {'; '.join(r.text for r in reasons)}", rule="default")
    return None


def _array_literal(cast: exp.Cast) -> exp.Expression | None:
    """`'{a,b}'::text[]` as `ARRAY('a', 'b')` when its elements are simple."""
    text = cast.this
    if not (isinstance(text, exp.Literal) and text.is_string):
        return None
    body = text.this.strip()
    if not (body.startswith("{") and body.endswith("}")) or any(c in body[1:-1] for c in '{}"\\'):
        return None
    element_type = cast.to.expressions[0] if cast.to.expressions else None
    items = [item.strip() for item in body[1:-1].split(",") if item.strip()]
    elements: list[exp.Expression] = [exp.Literal.string(item) for item in items]
    if element_type is not None and items:
        target = map_postgres_type(element_type.sql("postgres")).databricks
        elements = [exp.cast(e, exp.DataType.build(target, dialect="databricks")) for e in elements]
    array = exp.Array(expressions=elements)
    if items or element_type is None:
        return array
    target = map_postgres_type(cast.to.sql("postgres")).databricks
    return exp.cast(array, exp.DataType.build(target, dialect="databricks"))


def _key_constraints(ctx: ObjectContext, table: CatalogObject) -> list[exp.Constraint]:
    constraints: list[exp.Constraint] = []
    if table.primary_key:
        index = next((ix for ix in table.indexes if ix.primary), None)
        constraints.append(
            exp.Constraint(
                this=exp.to_identifier(index.name if index else f"pk_{table.name}", quoted=True),
                expressions=[exp.PrimaryKey(expressions=_identifiers(table.primary_key))],
            )
        )
    else:
        ctx.info("the table has no primary key", rule="keys")
    for foreign_key in table.foreign_keys:
        reference = exp.Reference(
            this=exp.Schema(
                this=target_table(ctx, foreign_key.referenced_schema, foreign_key.referenced_table),
                expressions=_identifiers(foreign_key.referenced_columns),
            )
        )
        constraints.append(
            exp.Constraint(
                this=exp.to_identifier(foreign_key.name, quoted=True),
                expressions=[
                    exp.ForeignKey(
                        expressions=_identifiers(foreign_key.columns), reference=reference
                    )
                ],
            )
        )
    if constraints:
        ctx.info(
            "primary and foreign keys are informational in Databricks: they are not "
            "enforced (Unity Catalog only); the migration's checks verify them",
            rule="keys",
        )
    secondary = [ix.name for ix in table.indexes if not ix.primary]
    if secondary:
        ctx.info(
            f"indexes not carried over (Delta has none; consider liquid clustering): "
            f"{', '.join(secondary)}",
            rule="indexes",
        )
    return constraints


def _identifiers(names: list[str]) -> list[exp.Identifier]:
    return [exp.to_identifier(name, quoted=True) for name in names]


# ---------------------------------------------------------------------------------
# Expressions
# ---------------------------------------------------------------------------------

_STRING_TYPES = frozenset({"STRING"})
_NOW_FUNCTIONS = frozenset({"transaction_timestamp", "statement_timestamp", "clock_timestamp"})
_EXTRACT_FIELDS = {
    "isodow": "DAYOFWEEK_ISO",
    "doy": "DOY",
    "isoyear": "YEAROFWEEK",
    "year": "YEAR",
    "quarter": "QUARTER",
    "month": "MONTH",
    "week": "WEEK",
    "day": "DAY",
    "hour": "HOUR",
    "minute": "MINUTE",
    "second": "SECOND",
}
_INTERVAL_PART = re.compile(r"\s*([+-]?\d+)\s*([a-z]+)\s*")
_INTERVAL_UNITS = {
    "microsecond": "MICROSECOND",
    "millisecond": "MILLISECOND",
    "second": "SECOND",
    "sec": "SECOND",
    "minute": "MINUTE",
    "min": "MINUTE",
    "hour": "HOUR",
    "day": "DAY",
    "week": "WEEK",
    "month": "MONTH",
    "mon": "MONTH",
    "year": "YEAR",
}
_UNIT_SECONDS = {"SECOND": 1, "MINUTE": 60, "HOUR": 3600, "DAY": 86400}
# time_bucket(1 unit) == date_trunc(unit): TimescaleDB's origin is a Monday midnight
# on the first of a month, so whole weeks, months and years align like date_trunc.
_TRUNC_UNITS = frozenset({"SECOND", "MINUTE", "HOUR", "DAY", "WEEK", "MONTH", "YEAR"})


def convert_expression(expression: exp.Expression, ctx: ObjectContext) -> exp.Expression:
    """`expression` (parsed as PostgreSQL) rewritten for Databricks: casts, EXTRACT
    fields, intervals, JSON paths, TimescaleDB's time_bucket, generate_series in FROM,
    calls of the catalog's own functions. Children are rewritten before their parent."""
    root = expression.copy()
    for node in reversed(list(root.walk())):
        new = _rewrite(node, ctx)
        if new is node:
            continue
        if node is root:
            root = new
        else:
            node.replace(new)
    return root


def _rewrite(node: exp.Expression, ctx: ObjectContext) -> exp.Expression:
    if isinstance(node, exp.Cast):
        return _cast(node, ctx)
    if isinstance(node, exp.Extract):
        return _extract(node, ctx)
    if isinstance(node, exp.JSONBExtractScalar | exp.JSONBExtract):
        return _json_path(node)
    if isinstance(node, exp.Update) and node.args.get("from_") is not None:
        return _update_from_as_merge(node, ctx)
    if isinstance(node, exp.Table) and isinstance(node.this, exp.ExplodingGenerateSeries):
        return _generate_series_table(node)
    if isinstance(node, exp.Anonymous):
        name = node.name.lower()
        if name == "time_bucket":
            return _time_bucket(node, ctx)
        if name in _NOW_FUNCTIONS and not node.expressions:
            if name == "clock_timestamp":
                ctx.warn(
                    "clock_timestamp() becomes current_timestamp(): one value per query, "
                    "not per call",
                    rule="now",
                )
            return exp.CurrentTimestamp()
        return _user_function_call(node, ctx)
    if isinstance(node, exp.DateBin):
        raise ManualConversion(
            [
                manual(
                    "date_bin() has no Databricks equivalent: use date_trunc(unit, ts) for "
                    "whole-unit bins, or timestamp_seconds(floor(unix_seconds(ts) / n) * n)",
                    rule="date_bin",
                )
            ]
        )
    if isinstance(node, exp.Interval) and isinstance(node.args.get("unit"), exp.Var):
        unit = node.args["unit"].name.upper()
        if unit.endswith("S") and unit[:-1] in _INTERVAL_UNITS.values():
            return exp.Interval(this=node.this, unit=exp.var(unit[:-1]))  # 7 DAYS -> 7 DAY
        return node
    if isinstance(node, exp.Paren) and isinstance(node.this, exp.Column | exp.Literal):
        return node.this  # pg_get_expr's ("Name")::text
    return node


def _cast(node: exp.Cast, ctx: ObjectContext) -> exp.Expression:
    to = node.to
    value = node.this
    if isinstance(to, exp.ObjectIdentifier) and to.name.upper() == "OID":
        return exp.Cast(this=value, to=exp.DataType.build("BIGINT"))
    if isinstance(to, exp.ObjectIdentifier):  # ::regclass and friends
        raise ManualConversion(
            [
                manual(
                    f"a cast to {to.sql('postgres')} (a catalog object id) has no "
                    "Databricks equivalent",
                    rule="cast",
                )
            ]
        )
    if to.is_type(exp.DataType.Type.INTERVAL):
        if isinstance(value, exp.Literal) and value.is_string:
            interval = interval_literal(value.this)
            if interval is not None:
                return interval
        raise ManualConversion(
            [
                manual(
                    f"{node.sql('postgres')}: only interval literals like '1 day' or "
                    "'15 minutes' convert; Databricks intervals are typed (DAY TO SECOND, "
                    "YEAR TO MONTH)",
                    rule="interval",
                )
            ]
        )
    if to.is_type(exp.DataType.Type.ARRAY) and isinstance(value, exp.Literal):
        array = _array_literal(node)
        if array is None:
            raise ManualConversion(
                [
                    manual(
                        f"array literal {node.sql('postgres')} needs rewriting as ARRAY(...)",
                        rule="array",
                    )
                ]
            )
        return array
    pg_type = to.sql("postgres")
    mapping = map_postgres_type(pg_type)
    if isinstance(value, exp.Literal) and value.is_string and mapping.databricks in _STRING_TYPES:
        return value  # '...'::text, '{}'::jsonb: the literal already is the string
    if (
        isinstance(value, exp.Literal)
        and not value.is_string
        and pg_type.upper() == "DECIMAL"
        and value.this.isdigit()
    ):
        return value  # 1::numeric: an integer literal compares exactly as it is
    target = _mapped_type(ctx, pg_type, f"cast to {pg_type.lower()}")
    return exp.Cast(this=value, to=target)


def interval_literal(text: str) -> exp.Expression | None:
    """`'1 day'`, `'15 minutes'`, `'2 hours 30 minutes'` as Databricks INTERVAL literals
    (a sum when there are several units); None for any other spelling."""
    parts = []
    position = 0
    lowered = text.lower()
    while position < len(lowered):
        match = _INTERVAL_PART.match(lowered, position)
        if match is None:
            return None
        amount, unit = match.groups()
        unit = _INTERVAL_UNITS.get(unit.removesuffix("s"))
        if unit is None:
            return None
        parts.append(exp.Interval(this=exp.Literal.string(amount), unit=exp.var(unit)))
        position = match.end()
    units = {part.unit.name for part in parts}
    if not parts or (units & {"YEAR", "MONTH"} and units - {"YEAR", "MONTH"}):
        return None  # Databricks cannot add a year-month and a day-time interval
    result: exp.Expression = parts[0]
    for part in parts[1:]:
        result = exp.Add(this=result, expression=part)
    return result


def _interval_parts(expression: exp.Expression) -> tuple[int, str] | None:
    """(amount, UNIT) of a single-unit interval given as a literal, a cast or an INTERVAL."""
    if isinstance(expression, exp.Cast):
        expression = expression.this
    if isinstance(expression, exp.Literal) and expression.is_string:
        converted = interval_literal(expression.this)
        if not isinstance(converted, exp.Interval):
            return None
        expression = converted
    if isinstance(expression, exp.Interval):
        amount, unit = expression.this, expression.args.get("unit")
        if unit is None and isinstance(amount, exp.Literal):
            return _interval_parts(exp.Literal.string(amount.this))
        if isinstance(amount, exp.Literal) and unit is not None:
            number = amount.this.strip()
            if number.lstrip("-").isdigit():
                return int(number), unit.name.upper().rstrip("S")
    return None


def _time_bucket(node: exp.Anonymous, ctx: ObjectContext) -> exp.Expression:
    args = node.expressions
    width = _interval_parts(args[0]) if len(args) == 2 else None
    if width is not None:
        amount, unit = width
        timestamp = args[1]
        if amount == 1 and unit in _TRUNC_UNITS:
            ctx.info(f"time_bucket('1 {unit.lower()}') becomes date_trunc", rule="time_bucket")
            return exp.TimestampTrunc(this=timestamp, unit=exp.Literal.string(unit))
        seconds = amount * _UNIT_SECONDS.get(unit, 0)
        if seconds > 0 and 86400 % seconds == 0:
            # buckets that divide a day align on the epoch as on TimescaleDB's origin
            ctx.info(
                f"time_bucket('{amount} {unit.lower()}') becomes epoch-second arithmetic",
                rule="time_bucket",
            )
            bucket = exp.Mul(
                this=exp.Floor(
                    this=exp.Div(
                        this=exp.Anonymous(this="unix_seconds", expressions=[timestamp]),
                        expression=exp.Literal.number(seconds),
                    )
                ),
                expression=exp.Literal.number(seconds),
            )
            return exp.Anonymous(this="timestamp_seconds", expressions=[bucket])
    raise ManualConversion(
        [
            manual(
                f"{node.sql('postgres')}: only time_bucket with a literal width of one "
                "unit or a divisor of a day (and no origin/offset) converts; use "
                "date_trunc or window() by hand",
                rule="time_bucket",
            )
        ]
    )


def _extract(node: exp.Extract, ctx: ObjectContext) -> exp.Expression:
    part = node.this.name.lower()
    source = node.expression
    if part in _EXTRACT_FIELDS:
        return exp.Extract(this=exp.var(_EXTRACT_FIELDS[part]), expression=source)
    if part == "dow":  # PostgreSQL: Sunday = 0; Databricks DAYOFWEEK: Sunday = 1
        return exp.Paren(
            this=exp.Sub(
                this=exp.Extract(this=exp.var("DAYOFWEEK"), expression=source),
                expression=exp.Literal.number(1),
            )
        )
    if part == "epoch":
        ctx.warn(
            "EXTRACT(EPOCH ...) becomes unix_micros(...) / 1e6, which assumes timestamps "
            "(not dates or text)",
            rule="extract",
        )
        if isinstance(source, exp.Paren):
            source = source.this
        if isinstance(source, exp.Sub):
            micros: exp.Expression = exp.Paren(
                this=exp.Sub(
                    this=exp.Anonymous(this="unix_micros", expressions=[source.this]),
                    expression=exp.Anonymous(this="unix_micros", expressions=[source.expression]),
                )
            )
        else:
            micros = exp.Anonymous(this="unix_micros", expressions=[source])
        return exp.Paren(this=exp.Div(this=micros, expression=exp.Literal.number("1000000.0")))
    raise ManualConversion(
        [manual(f"EXTRACT({part.upper()} ...) has no Databricks field", rule="extract")]
    )


def _json_path(node: exp.JSONBExtractScalar | exp.JSONBExtract) -> exp.Expression:
    path = node.expression
    keys: list[str] = []
    if isinstance(path, exp.Literal) and path.is_string:  # '{a,b}'
        keys = [key.strip() for key in path.this.strip("{}").split(",") if key.strip()]
    elif isinstance(path, exp.Array):  # ARRAY['a', 'b'], or '{a,b}'::text[] rewritten
        for element in path.expressions:
            literal = element.this if isinstance(element, exp.Cast) else element
            keys.append(literal.this if isinstance(literal, exp.Literal) else "")
    if keys:
        if all(re.fullmatch(r"\w+", key) for key in keys):
            json_path = "$" + "".join(f"[{k}]" if k.isdigit() else f".{k}" for k in keys)
            return exp.Anonymous(
                this="get_json_object", expressions=[node.this, exp.Literal.string(json_path)]
            )
    raise ManualConversion(
        [
            manual(
                f"JSON path {node.sql('postgres')} needs rewriting with get_json_object",
                rule="json",
            )
        ]
    )


def _update_from_as_merge(node: exp.Update, ctx: ObjectContext) -> exp.Expression:
    """`UPDATE t SET ... FROM s WHERE cond` -> `MERGE INTO t USING s ON cond WHEN MATCHED
    THEN UPDATE SET ...` (Databricks has no UPDATE ... FROM)."""
    source = node.args["from_"]
    where = node.args.get("where")
    if where is None or node.args.get("joins") or source.this.args.get("joins"):
        raise ManualConversion(
            [
                manual(
                    "UPDATE ... FROM over several tables or without WHERE: rewrite it as "
                    "MERGE INTO target USING (the joined source) ON ... WHEN MATCHED THEN UPDATE",
                    rule="update_from",
                )
            ]
        )
    ctx.warn(
        "UPDATE ... FROM becomes MERGE INTO: it fails when a target row matches several "
        "source rows (PostgreSQL updated it once with any of them)",
        rule="update_from",
    )
    return exp.Merge(
        this=node.this,
        using=source.this,
        on=where.this,
        whens=exp.Whens(
            expressions=[exp.When(matched=True, then=exp.Update(expressions=node.expressions))]
        ),
    )


def _generate_series_table(node: exp.Table) -> exp.Expression:
    """`FROM generate_series(a, b) AS g` -> `FROM EXPLODE(SEQUENCE(a, b)) AS g(g)`:
    PostgreSQL names the column after the alias when no column list is given."""
    series = node.this
    arguments = [series.args.get(k) for k in ("start", "end", "step")]
    sequence = exp.Anonymous(this="sequence", expressions=[a for a in arguments if a is not None])
    alias = node.args.get("alias")
    name = alias.name if alias is not None and alias.name else "generate_series"
    columns = list(alias.columns) if alias is not None and alias.columns else []
    return exp.Table(
        this=exp.Explode(this=sequence),
        alias=exp.TableAlias(
            this=exp.to_identifier(name),
            columns=columns or [exp.to_identifier(name)],
        ),
    )


def _user_function_call(node: exp.Anonymous, ctx: ObjectContext) -> exp.Expression:
    """A call of one of the catalog's functions points at its Databricks name."""
    function = ctx.catalog.find(node.name, None, ObjectType.FUNCTION)
    if function is None:
        return node
    catalog, schema, name = ctx.target_name_parts(function.schema_name, function.name)
    text = (
        f"calls the user function {function.name}, converted on its own as "
        f"{catalog}.{schema}.{name}; it must exist before this object"
    )
    if text not in (m.text for m in ctx.messages):
        ctx.info(text, rule="udf")
    call = exp.Anonymous(this=exp.to_identifier(name, quoted=True), expressions=node.expressions)
    return exp.Dot.build(
        [exp.to_identifier(catalog, quoted=True), exp.to_identifier(schema, quoted=True), call]
    )


# Beyond the validator's list: catalog and quoting helpers seen in PL/pgSQL bodies.
_MORE_POSTGRES_ONLY = frozenset(
    {
        "TO_REGCLASS", "QUOTE_IDENT", "QUOTE_LITERAL", "QUOTE_NULLABLE", "PG_NOTIFY",
        "TO_JSONB", "ROW_TO_JSON", "JSON_BUILD_ARRAY", "JSONB_BUILD_ARRAY", "JSONB_OBJECT_AGG",
        "JSON_OBJECT_AGG", "REGEXP_MATCH", "CURRENT_SETTING", "SET_CONFIG",
    }
)  # fmt: skip


def _postgres_only(name: str) -> bool:
    lowered = name.lower()
    return (
        name.upper() in POSTGRES_ONLY_BUILTINS | _MORE_POSTGRES_ONLY
        or lowered.startswith("pg_")  # the server's catalog and admin functions
        or (lowered.startswith("has_") and lowered.endswith("_privilege"))
    )


def _postgres_only_calls(expression: exp.Expression) -> list[Message]:
    """PostgreSQL functions left in `expression` that Databricks does not have (each once)."""
    names = []
    for node in expression.find_all(exp.Func):
        name = (node.name if isinstance(node, exp.Anonymous) else node.sql_name()).upper()
        if _postgres_only(name) and name not in names:
            names.append(name)
    return [
        manual(f"{name}() has no Databricks equivalent; rewrite it by hand", rule="builtins")
        for name in names
    ]


def _converted_query(query: exp.Expression, ctx: ObjectContext) -> exp.Expression:
    converted = remap_tables(convert_expression(query, ctx), ctx)
    leftovers = _postgres_only_calls(converted)
    if leftovers:
        raise ManualConversion(leftovers, partial_sql=_sql(converted))
    return converted


# ---------------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------------


def convert_view(ctx: ObjectContext) -> str:
    """`CREATE OR REPLACE VIEW <target> AS <query>` from `pg_get_viewdef` output (a
    bare SELECT) or a CREATE VIEW statement."""
    assert ctx.obj.definition is not None
    parsed = _parse(ctx.obj.definition)
    query = parsed.expression if isinstance(parsed, exp.Create) else parsed
    if not isinstance(query, exp.Query):
        raise ManualConversion(
            [manual("the view's definition is not a query sqlglot can parse", rule="parse")]
        )
    if any(
        select.args.get("distinct") and select.args["distinct"].args.get("on")
        for select in query.find_all(exp.Select)
    ):
        ctx.info(
            "DISTINCT ON becomes a ROW_NUMBER() window filtered to the first row",
            rule="distinct_on",
        )
    converted = _converted_query(query, ctx)
    properties = None
    if parsed.find(exp.MaterializedProperty) is not None:
        properties = exp.Properties(expressions=[exp.MaterializedProperty()])
        ctx.info(
            "a materialized view stays one: Databricks refreshes it with REFRESH "
            "MATERIALIZED VIEW or a SCHEDULE clause (serverless / Unity Catalog)",
            rule="materialized",
        )
    create = exp.Create(
        kind="VIEW",
        replace=True,
        this=target_table(ctx, ctx.obj.schema_name, ctx.obj.name),
        expression=converted,
        properties=properties,
    )
    return _sql(create) + ";"


# ---------------------------------------------------------------------------------
# Routines: the parts of a pg_get_functiondef text
# ---------------------------------------------------------------------------------


@dataclass
class _Parameter:
    name: str
    pg_type: str
    mode: Literal["IN", "OUT", "INOUT"] = "IN"
    default: exp.Expression | None = None


@dataclass
class _Routine:
    parameters: list[_Parameter]
    returns: exp.Expression | None  # sqlglot's reading: a Schema for RETURNS TABLE
    returns_text: str  # the PostgreSQL return type as written, `void` for procedures
    language: str
    body: str  # the dollar-quoted body, or the expression after a SQL-standard RETURN
    body_line: int  # line of the definition the body starts on
    standard_return: bool = False  # `RETURN expr` instead of `AS $$ ... $$`


# Routine characteristics sqlglot does not all read (PARALLEL SAFE, COST, SET ...): the
# header is parsed up to the first of them; the language comes from the catalog.
_ROUTINE_CLAUSES = frozenset(
    {
        "LANGUAGE", "IMMUTABLE", "STABLE", "VOLATILE", "PARALLEL", "STRICT", "SECURITY",
        "EXTERNAL", "COST", "ROWS", "SET", "LEAKPROOF", "NOT", "CALLED", "WINDOW", "SUPPORT",
        "TRANSFORM", "AS", "RETURN", "BEGIN",
    }
)  # fmt: skip


def _routine(ctx: ObjectContext) -> _Routine:
    definition = ctx.obj.definition
    assert definition is not None
    tokens = _POSTGRES.tokenize(definition)
    depth = 0
    cut = returns_at = None
    for token in tokens:
        depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(token.token_type, 0)
        if depth == 0 and cut is None and _word(token) == "RETURNS" and returns_at is None:
            returns_at = token
        if depth == 0 and cut is None and _word(token) in _ROUTINE_CLAUSES:
            cut = token
    heredoc = next((t for t in tokens if t.token_type == TokenType.HEREDOC_STRING), None)
    standard = heredoc is None
    if heredoc is not None:
        body = heredoc.text
        body_start = definition.index(body, heredoc.start) if body else heredoc.start
    else:
        # SQL-standard body: `RETURN expr` (BEGIN ATOMIC ... END is not converted)
        returns = [t for t in tokens if _word(t) in ("RETURN", "BEGIN")]
        if not returns or _word(returns[0]) == "BEGIN":
            raise ManualConversion(
                [
                    manual(
                        "a BEGIN ATOMIC body: rewrite it as a single RETURN expression or "
                        "a procedure",
                        rule="routine",
                    )
                ]
            )
        body = definition[returns[0].end + 1 :]
        body_start = returns[0].end + 1
    if cut is None:
        raise ManualConversion([manual("the routine's header has no body", rule="routine")])
    # the header alone, with an empty body, is what sqlglot parses
    create = _parse(definition[: cut.start] + " AS ''")
    if not isinstance(create, exp.Create) or not isinstance(create.this, exp.UserDefinedFunction):
        raise ManualConversion(
            [manual("sqlglot cannot read this routine's header", rule="routine")]
        )
    parameters = []
    for position, column in enumerate(create.this.expressions, start=1):
        if not isinstance(column, exp.ColumnDef):
            # an unnamed parameter (`f(integer)`), referenced as $n in the body
            parameters.append(_Parameter(f"arg{position}", column.sql("postgres")))
            ctx.info(f"unnamed parameter ${position} is called arg{position}", rule="parameter")
            continue
        mode: Literal["IN", "OUT", "INOUT"] = "IN"
        default = None
        for constraint in column.args.get("constraints") or []:
            if isinstance(constraint, exp.InOutColumnConstraint):
                if constraint.args.get("output"):
                    mode = "INOUT" if constraint.args.get("input_") else "OUT"
            elif isinstance(constraint.args.get("kind"), exp.DefaultColumnConstraint):
                default = constraint.args["kind"].this
        parameters.append(
            _Parameter(column.name, column.args["kind"].sql("postgres"), mode, default)
        )
    properties = create.args.get("properties")
    returned = None
    for prop in properties.expressions if properties else []:
        if isinstance(prop, exp.ReturnsProperty):
            returned = prop.this
    language_at = next(
        (i for i, t in enumerate(tokens) if _word(t) == "LANGUAGE" and i + 1 < len(tokens)), None
    )
    language = tokens[language_at + 1].text if language_at is not None else ctx.obj.language
    returns_text = (
        definition[returns_at.end + 1 : cut.start].strip() if returns_at is not None else "void"
    )
    return _Routine(
        parameters=parameters,
        returns=returned,
        returns_text=returns_text,
        language=(language or "sql").lower(),
        body=body,
        body_line=definition.count("\n", 0, body_start) + 1,
        standard_return=standard,
    )


def _target_name(ctx: ObjectContext) -> str:
    return ctx.target_name_parts(ctx.obj.schema_name, ctx.obj.name)[2]


def _qualify(
    expression: exp.Expression,
    names: dict[str, exp.Expression],
    positional: list[exp.Expression] | None = None,
) -> exp.Expression:
    """Bare column references that name a routine parameter or variable become the
    qualified reference in `names` (a FROM table's column would capture them); `$n`
    becomes the n-th of `positional`."""

    def rewrite(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and not node.table and node.name.lower() in names:
            return names[node.name.lower()].copy()
        if isinstance(node, exp.Parameter) and positional and node.this.is_int:
            index = int(node.this.this) - 1
            if 0 <= index < len(positional):
                return positional[index].copy()
        return node

    return expression.transform(rewrite)


def _reference(qualifier: str, name: str) -> exp.Column:
    return exp.Column(this=exp.to_identifier(name), table=exp.to_identifier(qualifier, quoted=True))


def _databricks_parameters(ctx: ObjectContext, routine: _Routine) -> list[exp.ColumnDef]:
    """`name type [DEFAULT expr]` per parameter (the caller adds IN/OUT/INOUT)."""
    definitions = []
    for parameter in routine.parameters:
        kind = _mapped_type(ctx, parameter.pg_type, f"parameter {parameter.name}")
        constraints: list[exp.Expression] = []
        if parameter.default is not None:
            if parameter.mode == "IN":
                default = convert_expression(parameter.default, ctx)
                constraints.append(
                    exp.ColumnConstraint(kind=exp.DefaultColumnConstraint(this=default))
                )
            else:
                ctx.warn(
                    f"parameter {parameter.name}: the default of an {parameter.mode} "
                    "parameter is dropped (Databricks allows defaults on IN parameters only); "
                    "callers must pass it",
                    rule="parameter",
                )
        definitions.append(
            exp.ColumnDef(
                this=exp.to_identifier(parameter.name), kind=kind, constraints=constraints
            )
        )
    return definitions


# ---------------------------------------------------------------------------------
# Functions
# ---------------------------------------------------------------------------------

_NOT_A_VALUE = frozenset({"TRIGGER", "EVENT_TRIGGER", "REFCURSOR", "VOID", "RECORD", "INTERNAL"})


def convert_function(ctx: ObjectContext) -> str:
    """A Databricks SQL UDF: `RETURNS type RETURN expr` or `RETURNS TABLE (...) RETURN
    query`, from a LANGUAGE sql function or a PL/pgSQL function whose body is one
    RETURN; every other function is MANUAL with the reasons."""
    if "(" in ctx.obj.name:
        raise ManualConversion(
            [
                manual(
                    "an overloaded function: Unity Catalog functions cannot be overloaded; "
                    "give each overload its own name",
                    rule="overload",
                )
            ]
        )
    routine = _routine(ctx)
    returned = " ".join(routine.returns_text.upper().split())
    if returned == "TRIGGER":
        raise ManualConversion(
            [
                manual(
                    "a trigger function: Databricks has no triggers. Run its logic as a job "
                    "over the table's change data feed (see the trigger that calls it)",
                    rule="trigger",
                )
            ]
        )
    if returned.split("(")[0] in _NOT_A_VALUE:
        raise ManualConversion(
            [
                manual(
                    f"returns {returned.lower()}: a Databricks SQL function returns a value "
                    "or a table; rewrite callers to use a view, a table function or a "
                    "procedure",
                    rule="returns",
                )
            ]
        )
    if routine.language not in ("sql", "plpgsql"):
        raise ManualConversion(
            [
                manual(
                    f"LANGUAGE {routine.language}: only SQL and PL/pgSQL bodies convert; "
                    "rewrite it as a Databricks Python UDF",
                    rule="language",
                )
            ]
        )
    returns_sql = _returns_clause(ctx, routine)
    name = _target_name(ctx)
    names = {p.name.lower(): _reference(name, p.name) for p in routine.parameters}
    body = _function_body(ctx, routine, names)
    parameters = ", ".join(_sql(p) for p in _databricks_parameters(ctx, routine))
    target = _sql(target_table(ctx, ctx.obj.schema_name, ctx.obj.name))
    # Assembled from generated parts: sqlglot has no node for a SQL UDF with a RETURN body.
    return f"CREATE OR REPLACE FUNCTION {target}({parameters})\n{returns_sql}\nRETURN {_sql(body)};"


def _returns_clause(ctx: ObjectContext, routine: _Routine) -> str:
    """`RETURNS type` or `RETURNS TABLE (...)`; SETOF a table or view becomes its columns,
    SETOF a scalar one column named after the function (as PostgreSQL names it)."""
    returned = " ".join(routine.returns_text.split())
    columns: list[tuple[str, str]]
    if returned.upper().startswith("TABLE") and isinstance(routine.returns, exp.Schema):
        columns = [(c.name, c.args["kind"].sql("postgres")) for c in routine.returns.expressions]
    elif returned.upper().startswith("SETOF "):
        element = returned[len("SETOF ") :]
        if routine.language != "sql":
            raise ManualConversion(
                [
                    manual(
                        f"returns {returned}: RETURN NEXT / RETURN QUERY bodies need "
                        "rewriting as one query (a SQL table function)",
                        rule="returns",
                    )
                ]
            )
        relation = exp.to_table(element, dialect="postgres")
        found = ctx.catalog.find(relation.name, relation.db or None, ObjectType.TABLE) or (
            ctx.catalog.find(relation.name, relation.db or None, ObjectType.VIEW)
        )
        if found is not None and found.columns:
            columns = [(c.name, c.data_type) for c in found.columns]
        elif map_postgres_type(element).note and "not a built-in type" in (
            map_postgres_type(element).note or ""
        ):
            raise ManualConversion(
                [
                    manual(
                        f"returns {returned}: a composite type the catalog does not describe; "
                        "declare RETURNS TABLE (...) by hand",
                        rule="returns",
                    )
                ]
            )
        else:
            columns = [(ctx.obj.name, element)]
        ctx.info(f"returns {returned}: becomes RETURNS TABLE", rule="returns")
    else:
        return "RETURNS " + _sql(_mapped_type(ctx, routine.returns_text, "return type"))
    definitions = [
        exp.ColumnDef(
            this=exp.to_identifier(column, quoted=True),
            kind=_mapped_type(ctx, pg_type, f"column {column}"),
        ).sql("databricks")
        for column, pg_type in columns
    ]
    return f"RETURNS TABLE ({', '.join(definitions)})"


def _function_body(
    ctx: ObjectContext, routine: _Routine, names: dict[str, exp.Expression]
) -> exp.Expression:
    if routine.language == "plpgsql":
        expression = _single_return(ctx, routine)
    elif routine.standard_return:
        expression = _parse(routine.body.strip().rstrip(";"))
        if isinstance(expression, exp.Paren):
            expression = expression.this  # pg_get_functiondef's RETURN (x * 2)
    else:
        with quiet_sqlglot():
            statements = [s for s in sqlglot.parse(routine.body, read="postgres") if s]
        if len(statements) != 1 or not isinstance(statements[0], exp.Query | exp.Condition):
            raise ManualConversion(
                [
                    manual(
                        f"the body holds {len(statements)} statements: a Databricks SQL "
                        "function returns one expression or query; make it a procedure",
                        rule="body",
                    )
                ]
            )
        expression = statements[0]
    positional = [names[p.name.lower()] for p in routine.parameters]
    return _converted_query(_qualify(expression, names, positional), ctx)


def _single_return(ctx: ObjectContext, routine: _Routine) -> exp.Expression:
    block = _PlpgsqlParser(routine.body, routine.body_line).parse()
    statements = block.statements
    if (
        not block.declarations
        and len(statements) == 1
        and isinstance(statements[0], _Leaf)
        and statements[0].keyword == "RETURN"
        and len(statements[0].tokens) > 1
    ):
        return _parse(statements[0].text_after(1))
    procedure = _PlpgsqlConverter(ctx, routine, block, function=True)
    partial = procedure.render()
    reasons = [
        manual(
            "a PL/pgSQL function with statements: a Databricks SQL function holds one "
            "RETURN expression, not statements. Make it a procedure (draft below, the "
            "result in an OUT parameter) or rewrite it as one expression",
            rule="plpgsql_function",
        ),
        *procedure.blockers,
    ]
    raise ManualConversion(reasons, partial_sql=partial)


# ---------------------------------------------------------------------------------
# Triggers and sequences
# ---------------------------------------------------------------------------------


def convert_trigger(ctx: ObjectContext) -> str:
    """Always MANUAL: Databricks has no triggers; the reason says what it did."""
    definition = " ".join((ctx.obj.definition or "").split())
    raise ManualConversion(
        [
            manual(
                f"Databricks has no triggers. This one ({definition}) on {ctx.obj.parent} "
                "must become a job: enable the change data feed on the target table "
                "(delta.enableChangeDataFeed) and apply the trigger function's logic to "
                "table_changes(...) after each load",
                rule="trigger",
            )
        ]
    )


def convert_sequence(ctx: ObjectContext) -> str:
    """Always MANUAL: Databricks has no sequences. One owned by a serial or identity
    column says that the table's identity column replaces it."""
    owner = _sequence_owner(ctx)
    if owner is not None:
        table, column = owner
        text = (
            f"nothing to do: this sequence belongs to {table.name}.{column.name}, which "
            "becomes an identity column in Databricks (GENERATED ... AS IDENTITY replaces it)"
        )
    else:
        text = (
            "Databricks has no sequences. Columns defaulting to nextval() of it lose the "
            "default; new values must come from an identity column, the writer, or "
            "max(column) + row_number() in the loading job"
        )
    raise ManualConversion([manual(text, rule="sequence")])


def _sequence_owner(ctx: ObjectContext) -> tuple[CatalogObject, Column] | None:
    for table in ctx.catalog.of_type(ObjectType.TABLE):
        if table.schema_name != ctx.obj.schema_name:
            continue
        for column in table.columns:
            owned = _owned_sequence_name(table.name, column.name) == ctx.obj.name
            if owned and (column.is_identity or _nextval_sequence(column.default) == ctx.obj.name):
                return table, column
    return None


# ---------------------------------------------------------------------------------
# PL/pgSQL: block structure
# ---------------------------------------------------------------------------------

_WORD_TOKENS = frozenset({TokenType.STRING, TokenType.IDENTIFIER, TokenType.HEREDOC_STRING})


class _PlpgsqlTokenizer(_POSTGRES.tokenizer_class):  # type: ignore[name-defined,misc]
    # PostgreSQL's tokenizer swallows the rest of a DECLARE / EXECUTE / FETCH statement
    # as one string; PL/pgSQL needs those statements' tokens.
    COMMANDS: set[TokenType] = set()


def _word(token: Token | None) -> str | None:
    """The keyword a token spells (upper case); None for strings and quoted names."""
    if token is None or token.token_type in _WORD_TOKENS:
        return None
    return token.text.upper()


@dataclass
class _Leaf:
    """One statement ending in `;` (its tokens without the `;`)."""

    tokens: list[Token]
    source: str
    line: int

    @property
    def keyword(self) -> str | None:
        return _word(self.tokens[0]) if self.tokens else None

    @property
    def text(self) -> str:
        return self.text_after(0)

    def text_after(self, index: int) -> str:
        if index >= len(self.tokens):
            return ""
        return self.source[self.tokens[index].start : self.tokens[-1].end + 1]


@dataclass
class _If:
    branches: list[tuple[_Leaf | None, list[_Node]]]  # (condition, statements); None: ELSE
    line: int


@dataclass
class _Case:
    selector: _Leaf | None  # CASE x WHEN ... (simple) or CASE WHEN cond ... (searched)
    branches: list[tuple[_Leaf, list[_Node]]]  # (WHEN values or condition, statements)
    otherwise: list[_Node] | None  # ELSE
    line: int


@dataclass
class _Loop:
    kind: str  # LOOP, WHILE, FOR, FOREACH
    header: _Leaf  # the tokens between the keyword and LOOP
    statements: list[_Node]
    label: str | None
    line: int


@dataclass
class _Block:
    declarations: list[_Leaf]
    statements: list[_Node]
    label: str | None
    line: int
    # EXCEPTION WHEN conditions THEN statements ...
    handlers: list[tuple[_Leaf, list[_Node]]] = field(default_factory=list)


_Node = _Leaf | _If | _Case | _Loop | _Block


class _PlpgsqlParser:
    """The block structure of a PL/pgSQL body (DECLARE / BEGIN / IF / LOOP / WHILE /
    FOR / nested blocks); statements stay token lists for the converter."""

    def __init__(self, source: str, first_line: int) -> None:
        self.source = source
        self.first_line = first_line
        self.tokens = _PlpgsqlTokenizer().tokenize(source)
        self.i = 0

    def parse(self) -> _Block:
        label = self._label()
        block = self._block(label)
        if self._peek() is not None:
            raise ManualConversion(
                [
                    manual(
                        "PL/pgSQL structure not understood: text after the body's final END",
                        line=self._line(self._peek()),
                        rule="plpgsql",
                    )
                ]
            )
        return block

    def parse_statements(self) -> _Block:
        """A LANGUAGE sql body: plain statements, as one block without declarations."""
        return _Block([], self._statements(set()), None, self.first_line)

    # -- helpers
    def _peek(self, offset: int = 0) -> Token | None:
        index = self.i + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def _line(self, token: Token | None) -> int:
        position = token.start if token is not None else len(self.source)
        return self.first_line + self.source.count("\n", 0, position)

    def _leaf_of(self, tokens: list[Token], line_token: Token | None = None) -> _Leaf:
        first = tokens[0] if tokens else line_token
        return _Leaf(tokens, self.source, self._line(first))

    def _expect(self, *words: str) -> None:
        for word in words:
            token = self._peek()
            if _word(token) != word:
                found = token.text if token is not None else "the end of the body"
                raise ManualConversion(
                    [
                        manual(
                            f"PL/pgSQL structure not understood: expected {word}, found {found}",
                            line=self._line(token),
                            rule="plpgsql",
                        )
                    ]
                )
            self.i += 1

    def _until(self, stops: set[str]) -> list[Token]:
        depth = 0
        collected: list[Token] = []
        while (token := self._peek()) is not None:
            if depth == 0 and (_word(token) in stops or token.token_type == TokenType.SEMICOLON):
                break
            depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(token.token_type, 0)
            collected.append(token)
            self.i += 1
        return collected

    def _semicolon(self) -> None:
        token = self._peek()
        if token is not None and token.token_type == TokenType.SEMICOLON:
            self.i += 1

    def _label(self) -> str | None:
        first, second, name, third, fourth = (self._peek(k) for k in range(5))
        if (
            first is not None
            and first.token_type == TokenType.LT
            and second is not None
            and second.token_type == TokenType.LT
            and name is not None
            and third is not None
            and third.token_type == TokenType.GT
            and fourth is not None
            and fourth.token_type == TokenType.GT
        ):
            self.i += 5
            return name.text
        return None

    # -- grammar
    def _block(self, label: str | None) -> _Block:
        start = self._peek()
        declarations = []
        if _word(start) == "DECLARE":
            self.i += 1
            while (token := self._peek()) is not None and _word(token) != "BEGIN":
                declarations.append(self._leaf())
        self._expect("BEGIN")
        statements = self._statements({"END", "EXCEPTION"})
        handlers = []
        if _word(self._peek()) == "EXCEPTION":
            self.i += 1
            while _word(self._peek()) == "WHEN":
                self.i += 1
                conditions = self._leaf_of(self._until({"THEN"}), start)
                self._expect("THEN")
                handlers.append((conditions, self._statements({"WHEN", "END"})))
        self._expect("END")
        if label is not None and _word(self._peek()) == label.upper():
            self.i += 1
        self._semicolon()
        return _Block(declarations, statements, label, self._line(start), handlers)

    def _statements(self, stops: set[str]) -> list[_Node]:
        statements: list[_Node] = []
        while (token := self._peek()) is not None and _word(token) not in stops:
            statements.append(self._statement())
        return statements

    def _statement(self) -> _Node:
        label = self._label()
        word = _word(self._peek())
        if word == "IF":
            return self._if()
        if word in ("LOOP", "WHILE", "FOR", "FOREACH"):
            return self._loop(label)
        if word in ("DECLARE", "BEGIN"):
            return self._block(label)
        if word == "CASE":
            return self._case()
        return self._leaf()

    def _leaf(self) -> _Leaf:
        start = self._peek()
        tokens = self._until(set())
        self._semicolon()
        return self._leaf_of(tokens, start)

    def _if(self) -> _If:
        start = self._peek()
        branches: list[tuple[_Leaf | None, list[_Node]]] = []
        word = "IF"
        while word in ("IF", "ELSIF", "ELSEIF"):
            self.i += 1
            condition = self._leaf_of(self._until({"THEN"}), start)
            self._expect("THEN")
            branches.append((condition, self._statements({"ELSIF", "ELSEIF", "ELSE", "END"})))
            word = _word(self._peek()) or ""
        if word == "ELSE":
            self.i += 1
            branches.append((None, self._statements({"END"})))
        self._expect("END", "IF")
        self._semicolon()
        return _If(branches, self._line(start))

    def _loop(self, label: str | None) -> _Loop:
        start = self._peek()
        kind = _word(start) or "LOOP"
        if kind != "LOOP":
            self.i += 1
        header = self._leaf_of(self._until({"LOOP"}), start)
        self._expect("LOOP")
        statements = self._statements({"END"})
        self._expect("END", "LOOP")
        if label is not None and _word(self._peek()) == label.upper():
            self.i += 1
        self._semicolon()
        return _Loop(kind, header, statements, label, self._line(start))

    def _case(self) -> _Case:
        start = self._peek()
        self.i += 1
        selector = self._until({"WHEN"})
        branches = []
        while _word(self._peek()) == "WHEN":
            self.i += 1
            values = self._leaf_of(self._until({"THEN"}), start)
            self._expect("THEN")
            branches.append((values, self._statements({"WHEN", "ELSE", "END"})))
        otherwise = None
        if _word(self._peek()) == "ELSE":
            self.i += 1
            otherwise = self._statements({"END"})
        self._expect("END", "CASE")
        self._semicolon()
        return _Case(
            self._leaf_of(selector) if selector else None, branches, otherwise, self._line(start)
        )


# ---------------------------------------------------------------------------------
# PL/pgSQL -> Databricks SQL scripting
# ---------------------------------------------------------------------------------

BODY_LABEL = "body"  # the compound holding the body, as in the T-SQL converter
_SPECIAL_VARIABLES = frozenset({"found", "sqlstate", "sqlerrm", "tg_op", "new", "old"})
_QUIET_RAISE_LEVELS = frozenset({"DEBUG", "LOG", "INFO", "NOTICE", "WARNING"})
_SQLSTATE = re.compile(r"^[0-9A-Z]{5}$")
_DML = frozenset({"INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "DROP"})
_BLOCKED_STATEMENTS = {
    "COMMIT": "transaction control (COMMIT): a Databricks procedure cannot commit part of "
    "its work; each statement commits on its own. Remove it, or split the procedure",
    "ROLLBACK": "transaction control (ROLLBACK): Databricks procedures cannot roll back; "
    "make the steps idempotent or restore with Delta time travel (RESTORE TABLE)",
    "PERFORM": "PERFORM discards a query's result; a query in a Databricks procedure "
    "returns a result set. Assign it to a variable (SET v = (SELECT ...)) or drop it",
    "GET": "GET DIAGNOSTICS ... ROW_COUNT: Databricks scripting has no row count of the "
    "last statement; count the rows with a query before or after it",
    "EXECUTE": "dynamic SQL (EXECUTE ... format()): rewrite it with EXECUTE IMMEDIATE "
    "and IDENTIFIER() for the quoted names",
    "OPEN": "an explicit cursor: rewrite the cursor loop as FOR row AS query DO ... END FOR",
    "FETCH": "an explicit cursor: rewrite the cursor loop as FOR row AS query DO ... END FOR",
    "CLOSE": "an explicit cursor: rewrite the cursor loop as FOR row AS query DO ... END FOR",
    "MOVE": "an explicit cursor: rewrite the cursor loop as FOR row AS query DO ... END FOR",
    "CALL": "CALL of another routine: convert that procedure and call its Databricks name",
    "LISTEN": "LISTEN/NOTIFY has no Databricks equivalent; use a job trigger or a table",
    "NOTIFY": "LISTEN/NOTIFY has no Databricks equivalent; use a job trigger or a table",
}


@dataclass
class _PlpgsqlConverter:
    """A Databricks SQL procedure from a parsed PL/pgSQL body; statements without an
    equivalent become `-- MANUAL` comments in the text and reasons in `blockers`."""

    ctx: ObjectContext
    routine: _Routine
    block: _Block
    function: bool = False  # a function's body drafted as a procedure (RETURN -> OUT result)
    blockers: list[Message] = field(default_factory=list)
    _scopes: list[dict[str, exp.Expression]] = field(default_factory=list)
    _loops: list[str] = field(default_factory=list)
    _labels: int = 0

    def __post_init__(self) -> None:
        self.name = _target_name(self.ctx)
        self._scopes.append(
            {p.name.lower(): _reference(self.name, p.name) for p in self.routine.parameters}
        )
        if self.function:
            self._scopes[0]["result"] = _reference(self.name, "result")
        self._records = _for_loop_variables(self.block)
        # declared PostgreSQL types of parameters and variables, for date arithmetic
        self._types = {p.name.lower(): p.pg_type.lower() for p in self.routine.parameters}

    # -- output
    def render(self) -> str:
        """The whole CREATE PROCEDURE text."""
        parameters = []
        for definition, parameter in zip(
            _databricks_parameters(self.ctx, self.routine),
            self.routine.parameters,
            strict=True,
        ):
            parameters.append(f"{parameter.mode} {_sql(definition)}")
        if self.function:
            returned = _mapped_type(self.ctx, self.routine.returns_text, "result")
            parameters.append(f"OUT result {_sql(returned)}")
        body = self._compound(self.block, BODY_LABEL)
        target = _sql(target_table(self.ctx, self.ctx.obj.schema_name, self.ctx.obj.name))
        lines = [
            f"CREATE OR REPLACE PROCEDURE {target}({', '.join(parameters)})",
            "LANGUAGE SQL",
            "SQL SECURITY INVOKER",
            "AS BEGIN",
            *_indent(body),
            "END;",
        ]
        return "\n".join(lines)

    def _block_label(self, prefix: str) -> str:
        self._labels += 1
        return f"{prefix}{self._labels}"

    def _blocked(self, text: str, node: _Leaf) -> list[str]:
        self.blockers.append(manual(text, line=node.line, rule="plpgsql"))
        original = [f"--   {line}" for line in node.text.splitlines()]
        return [f"-- MANUAL (line {node.line}): {text}", *original]

    # -- names
    def _names(self) -> dict[str, exp.Expression]:
        merged: dict[str, exp.Expression] = {}
        for scope in self._scopes:
            merged.update(scope)
        return merged

    def _expression(self, text: str, node: _Leaf) -> str | None:
        """`text` (a PostgreSQL expression or query) in Databricks SQL, with variables
        and parameters qualified; None (and a blocker) when it does not convert."""
        already = len(self.ctx.messages)
        try:
            parsed = _parse(text)
            names = self._names()
            special = {
                column.name.upper()
                for column in parsed.find_all(exp.Column)
                if not column.table
                and column.name.lower() in _SPECIAL_VARIABLES
                and column.name.lower() not in names
            }
            if special:
                self.blockers.append(
                    manual(
                        f"{', '.join(sorted(special))}: PL/pgSQL's status variables have no "
                        "Databricks equivalent; test the data itself (e.g. a count) instead",
                        line=node.line,
                        rule="plpgsql",
                    )
                )
                return None
            parsed = parsed.transform(self._date_difference)
            converted = _converted_query(_qualify(parsed, names), self.ctx)
        except ManualConversion as outcome:
            for reason in outcome.reasons:
                self.blockers.append(reason.model_copy(update={"line": node.line}))
            return None
        except SqlglotError as error:
            first = str(error).strip().splitlines()[0]
            self.blockers.append(
                manual(f"sqlglot cannot parse {text[:60]!r}: {first}", line=node.line, rule="parse")
            )
            return None
        for index in range(already, len(self.ctx.messages)):  # the rewrites' messages
            message = self.ctx.messages[index]
            if message.line is None:
                self.ctx.messages[index] = message.model_copy(update={"line": node.line})
        return converted.sql("databricks")

    def _date_difference(self, node: exp.Expression) -> exp.Expression:
        """`d1 - d2` of two dates is a number of days in PostgreSQL and an interval in
        Databricks: datediff(d1, d2) keeps the number."""
        if (
            isinstance(node, exp.Sub)
            and self._is_date(node.this)
            and self._is_date(node.expression)
        ):
            self.ctx.info("date - date becomes datediff(...) (a number of days)", rule="date")
            return exp.Anonymous(this="datediff", expressions=[node.this, node.expression])
        return node

    def _is_date(self, node: exp.Expression) -> bool:
        if isinstance(node, exp.Column) and not node.table:
            return self._types.get(node.name.lower()) == "date"
        if isinstance(node, exp.Cast):
            return node.to.is_type(exp.DataType.Type.DATE)
        return isinstance(node, exp.CurrentDate)

    # -- blocks
    def _compound(self, block: _Block, label: str) -> list[str]:
        scope: dict[str, exp.Expression] = {}
        lines = [f"{label}: BEGIN"]
        inner: list[str] = []
        if block is self.block:
            inner += self._parameter_copies(scope)
        for declaration in block.declarations:
            inner += self._declaration(declaration, label, scope)
        self._scopes.append(scope)
        inner += self._handlers(block)
        for statement in block.statements:
            inner += self._statement(statement)
        self._scopes.pop()
        return [*lines, *_indent(inner), f"END {label};"]

    def _handlers(self, block: _Block) -> list[str]:
        """`EXCEPTION WHEN others THEN ...` becomes an EXIT handler declared after the
        block's variables. Named conditions are not mapped: PostgreSQL's SQLSTATEs are
        not the ones Databricks raises."""
        if not block.handlers:
            return []
        conditions, statements = block.handlers[0]
        if len(block.handlers) > 1 or [_word(t) for t in conditions.tokens] != ["OTHERS"]:
            return self._blocked(
                "an EXCEPTION section with named conditions: Databricks raises its own "
                "SQLSTATEs; declare an EXIT HANDLER FOR SQLEXCEPTION (or FOR SQLSTATE '...') "
                "and test the error inside it",
                conditions,
            )
        self.ctx.warn(
            "EXCEPTION WHEN others becomes an EXIT handler: the block's changes before the "
            "error are not rolled back (PostgreSQL rolled the block back)",
            line=conditions.line,
            rule="exception",
        )
        body: list[str] = []
        for statement in statements:
            body += self._statement(statement)
        return ["DECLARE EXIT HANDLER FOR SQLEXCEPTION", "BEGIN", *_indent(body), "END;"]

    def _parameter_copies(self, scope: dict[str, exp.Expression]) -> list[str]:
        """IN parameters the body assigns work on a local copy: Databricks IN parameters
        are read-only."""
        assigned = _assigned_names(self.block)
        declared = {d.tokens[0].text.lower() for d in self.block.declarations if d.tokens}
        lines = []
        for parameter in self.routine.parameters:
            name = parameter.name.lower()
            if parameter.mode != "IN" or name not in assigned or name in declared:
                continue
            mapped = map_postgres_type(parameter.pg_type).databricks
            kind = _sql(exp.DataType.build(mapped, dialect="databricks"))
            source = _reference(self.name, parameter.name).sql("databricks")
            lines.append(
                f"DECLARE {exp.to_identifier(parameter.name).sql('databricks')} {kind} "
                f"DEFAULT {source};"
            )
            scope[parameter.name.lower()] = _reference(BODY_LABEL, parameter.name)
            self.ctx.info(
                f"IN parameter {parameter.name} is assigned in the body: it works on a local "
                "copy (Databricks IN parameters are read-only)",
                rule="parameter",
            )
        return lines

    def _declaration(self, node: _Leaf, label: str, scope: dict[str, exp.Expression]) -> list[str]:
        if not node.tokens:
            return []
        words = [_word(t) for t in node.tokens]
        name = node.tokens[0].text
        if "CURSOR" in words or "REFCURSOR" in words:
            return self._blocked(
                f"cursor {name}: rewrite the loop over it as FOR row AS query DO ... END FOR",
                node,
            )
        if "ALIAS" in words or any(t.token_type == TokenType.MOD for t in node.tokens):
            return self._blocked(
                f"{name}: ALIAS FOR / %TYPE / %ROWTYPE declarations need an explicit type", node
            )
        split = next(
            (
                i
                for i, t in enumerate(node.tokens)
                if t.token_type in (TokenType.COLON_EQ, TokenType.EQ) or _word(t) == "DEFAULT"
            ),
            len(node.tokens),
        )
        type_tokens = [
            t for t in node.tokens[1:split] if _word(t) not in ("CONSTANT", "NOT", "NULL")
        ]
        if not type_tokens:
            return self._blocked(f"declaration of {name} without a type", node)
        pg_type = node.source[type_tokens[0].start : type_tokens[-1].end + 1]
        if pg_type.lower() == "record":
            if name.lower() in self._records:
                return []  # the loop variable of a FOR ... AS query loop: no declaration
            return self._blocked(f"record variable {name}: declare one variable per field", node)
        kind = _sql(_mapped_type(self.ctx, pg_type, f"variable {name}"))
        default = ""
        manual_default = []
        if split < len(node.tokens):
            value = self._expression(node.text_after(split + 1), node)
            if value is None:
                manual_default = [f"-- MANUAL (line {node.line}): the default of {name}"]
            else:
                default = f" DEFAULT {value}"
        scope[name.lower()] = _reference(label, name)
        self._types[name.lower()] = pg_type.lower()
        identifier = exp.to_identifier(name).sql("databricks")
        return [*manual_default, f"DECLARE {identifier} {kind}{default};"]

    def _statement(self, node: _Node) -> list[str]:
        if isinstance(node, _Block):
            return self._compound(node, node.label or self._block_label("block"))
        if isinstance(node, _If):
            return self._if(node)
        if isinstance(node, _Case):
            return self._case(node)
        if isinstance(node, _Loop):
            return self._loop(node)
        return self._leaf(node)

    def _if(self, node: _If) -> list[str]:
        lines: list[str] = []
        for index, (condition, statements) in enumerate(node.branches):
            if condition is None:
                lines.append("ELSE")
            else:
                converted = self._condition(condition, lines)
                lines.append(f"{'IF' if index == 0 else 'ELSEIF'} {converted} THEN")
            body: list[str] = []
            for statement in statements:
                body += self._statement(statement)
            lines += _indent(_branch(body))
        lines.append("END IF;")
        return lines

    def _case(self, node: _Case) -> list[str]:
        """The Databricks CASE statement has PL/pgSQL's shape; a WHEN with a list of
        values becomes a searched WHEN ... IN (...), and a missing ELSE raises
        case_not_found as PostgreSQL does."""
        lines: list[str] = []
        lists = any(
            t.token_type == TokenType.COMMA for values, _ in node.branches for t in values.tokens
        )
        selector = node.selector
        if selector is not None and not lists:
            lines.append(f"CASE {self._condition(selector, lines)}")
        else:
            lines.append("CASE")
        for values, statements in node.branches:
            if selector is not None and lists:
                # `x IN (a, b)` from the two source slices, for sqlglot to parse
                test = _Leaf(values.tokens, values.source, values.line)
                condition = self._expression(f"({selector.text}) IN ({test.text})", values)
                if condition is None:
                    lines.append(f"-- MANUAL (line {values.line}): {values.text}")
                    condition = "FALSE"
            else:
                condition = self._condition(values, lines)
            body: list[str] = []
            for statement in statements:
                body += self._statement(statement)
            lines += [f"  WHEN {condition} THEN", *_indent(_indent(_branch(body)))]
        otherwise: list[str] = []
        if node.otherwise is None:
            otherwise = ["SIGNAL SQLSTATE '20000' SET MESSAGE_TEXT = 'case not found';"]
        else:
            for statement in node.otherwise:
                otherwise += self._statement(statement)
        if otherwise:  # ELSE NULL; means: do nothing, as a CASE without ELSE does here
            lines += ["  ELSE", *_indent(_indent(otherwise))]
        return [*lines, "END CASE;"]

    def _condition(self, condition: _Leaf, lines: list[str]) -> str:
        """The converted condition; FALSE, after a MANUAL comment in `lines`, when it
        does not convert (the blocker is recorded)."""
        converted = self._expression(condition.text, condition)
        if converted is None:
            lines.append(f"-- MANUAL (line {condition.line}): {condition.text}")
            return "FALSE"
        return converted

    def _loop(self, node: _Loop) -> list[str]:
        label = node.label or self._block_label("loop")
        scope: dict[str, exp.Expression] = {}
        before: list[str] = []  # MANUAL comments about the header
        if node.kind == "LOOP":
            opening, closing = f"{label}: LOOP", f"END LOOP {label};"
        elif node.kind == "WHILE":
            condition = self._condition(node.header, before)
            opening, closing = f"{label}: WHILE {condition} DO", f"END WHILE {label};"
        else:
            variable = node.header.tokens[0].text if node.header.tokens else "row"
            query = self._for_query(node, scope) if node.kind == "FOR" else None
            if query is None:
                text = (
                    "FOREACH over an array: rewrite as FOR x AS SELECT explode(array) AS x DO"
                    if node.kind == "FOREACH"
                    else "a FOR loop over EXECUTE or an unsupported range or query: rewrite "
                    "as FOR row AS query DO"
                )
                before += self._blocked(text, node.header)
                query = "/* MANUAL: the query */"
            opening, closing = f"{label}: FOR {variable} AS {query} DO", f"END FOR {label};"
        self._loops.append(label)
        self._scopes.append(scope)
        body: list[str] = []
        for statement in node.statements:
            body += self._statement(statement)
        self._scopes.pop()
        self._loops.pop()
        return [*before, opening, *_indent(_branch(body)), closing]

    def _for_query(self, node: _Loop, scope: dict[str, exp.Expression]) -> str | None:
        tokens = node.header.tokens
        if len(tokens) < 3 or _word(tokens[1]) != "IN" or _word(tokens[2]) == "EXECUTE":
            return None
        variable = tokens[0].text
        rest = node.header.text_after(2)
        if _word(tokens[2]) in ("SELECT", "WITH"):
            return self._expression(rest, node.header)
        # an integer range `a..b [BY s]`, `REVERSE a..b`: explode(sequence(...))
        reverse = _word(tokens[2]) == "REVERSE"
        if reverse:
            rest = node.header.text_after(3)
        bounds, *by = re.split(r"\s+BY\s+", rest, maxsplit=1, flags=re.IGNORECASE)
        low_text, dots, high_text = bounds.partition("..")
        if not dots:
            return None
        low = self._expression(low_text.strip(), node.header)
        high = self._expression(high_text.strip(), node.header)
        step = self._expression(by[0].strip(), node.header) if by else "1"
        if low is None or high is None or step is None:
            return None
        scope[variable.lower()] = exp.Column(
            this=exp.to_identifier(variable), table=exp.to_identifier(variable)
        )
        identifier = exp.to_identifier(variable).sql("databricks")
        return f"SELECT explode({range_sequence(low, high, step, reverse)}) AS {identifier}"

    # -- statements
    def _leaf(self, node: _Leaf) -> list[str]:
        if not node.tokens:
            return []
        keyword = node.keyword
        second = node.tokens[1] if len(node.tokens) > 1 else None
        assigns = second is not None and (
            second.token_type == TokenType.COLON_EQ
            or (second.token_type == TokenType.EQ and node.tokens[0].text.lower() in self._names())
        )  # PL/pgSQL accepts `=` for `:=`
        if assigns:
            return self._assignment(node)
        if keyword == "NULL":
            return []
        if keyword == "RETURN":
            return self._return(node)
        if keyword == "RAISE":
            return self._raise(node)
        if keyword in ("EXIT", "CONTINUE"):
            return self._exit(node)
        if keyword in ("SELECT", "WITH"):
            return self._select_into(node)
        if keyword in _BLOCKED_STATEMENTS:
            text = _BLOCKED_STATEMENTS[keyword]
            if keyword == "PERFORM" and "pg_notify" in node.text.lower():
                text = _BLOCKED_STATEMENTS["NOTIFY"]
            return self._blocked(text, node)
        if keyword in _DML or keyword == "CREATE":
            return self._dml(node)
        return self._blocked(f"statement not recognised: {keyword}", node)

    def _assignment(self, node: _Leaf) -> list[str]:
        target = self._names().get(node.tokens[0].text.lower())
        if target is None:
            return self._blocked(
                f"assignment to {node.tokens[0].text}, which is not a "
                "declared variable or parameter",
                node,
            )
        value = self._expression(node.text_after(2), node)
        if value is None:
            return [f"-- MANUAL (line {node.line}): {node.text}"]
        return [f"SET {target.sql('databricks')} = {value};"]

    def _return(self, node: _Leaf) -> list[str]:
        if len(node.tokens) == 1:
            return [f"LEAVE {BODY_LABEL};"]
        if not self.function or _word(node.tokens[1]) in ("QUERY", "NEXT"):
            return self._blocked(
                "RETURN QUERY / RETURN NEXT: a set-returning body; "
                "make it a view or a table function",
                node,
            )
        value = self._expression(node.text_after(1), node)
        if value is None:
            return [f"-- MANUAL (line {node.line}): {node.text}"]
        return [
            f"SET {_reference(self.name, 'result').sql('databricks')} = {value};",
            f"LEAVE {BODY_LABEL};",
        ]

    def _raise(self, node: _Leaf) -> list[str]:
        level = _word(node.tokens[1]) if len(node.tokens) > 1 else None
        if level in _QUIET_RAISE_LEVELS:
            self.ctx.info(
                f"RAISE {level} dropped: a Databricks procedure has no notice channel",
                line=node.line,
                rule="raise",
            )
            return []
        start = 2 if level == "EXCEPTION" else 1
        message = node.tokens[start] if start < len(node.tokens) else None
        if message is None or message.token_type != TokenType.STRING:
            return self._blocked(
                "RAISE without a message text (a re-raise or a named "
                "condition): use RESIGNAL or SIGNAL by hand",
                node,
            )
        rest = node.tokens[start + 1 :]
        words = [_word(t) for t in rest]
        sqlstate = "P0001"  # PostgreSQL's code for RAISE EXCEPTION without ERRCODE
        if "USING" in words:
            using = rest[words.index("USING") :]
            code = next((t.text for t in using if t.token_type == TokenType.STRING), None)
            if code is not None and _SQLSTATE.match(code):
                sqlstate = code
            elif code is not None:
                self.ctx.warn(
                    f"RAISE ... ERRCODE = '{code}': condition names are not mapped; "
                    "SQLSTATE P0001 is raised instead",
                    line=node.line,
                    rule="raise",
                )
        if rest and rest[0].token_type == TokenType.COMMA:
            self.ctx.warn(
                "RAISE EXCEPTION arguments dropped: SIGNAL takes a literal message, so its "
                "% placeholders stay unfilled",
                line=node.line,
                rule="raise",
            )
        text = exp.Literal.string(message.text).sql("databricks")
        return [f"SIGNAL SQLSTATE '{sqlstate}' SET MESSAGE_TEXT = {text};"]

    def _exit(self, node: _Leaf) -> list[str]:
        verb = "LEAVE" if node.keyword == "EXIT" else "ITERATE"
        tokens = node.tokens[1:]
        label = None
        if tokens and _word(tokens[0]) != "WHEN":
            label = tokens[0].text
            tokens = tokens[1:]
        if label is None:
            if not self._loops:
                return self._blocked(f"{node.keyword} outside a loop", node)
            label = self._loops[-1]
        statement = f"{verb} {label};"
        if tokens and _word(tokens[0]) == "WHEN":
            condition = self._expression(node.text_after(len(node.tokens) - len(tokens) + 1), node)
            if condition is None:
                return [f"-- MANUAL (line {node.line}): {node.text}"]
            return [f"IF {condition} THEN", f"  {statement}", "END IF;"]
        return [statement]

    def _select_into(self, node: _Leaf) -> list[str]:
        depth = 0
        into = None
        for index, token in enumerate(node.tokens):
            depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(token.token_type, 0)
            if depth == 0 and token.token_type == TokenType.INTO:
                into = index
                break
        if into is None:
            return self._blocked("a query without INTO in a PL/pgSQL body", node)
        end = into + 1
        if end < len(node.tokens) and _word(node.tokens[end]) == "STRICT":
            end += 1
        targets = []
        while end < len(node.tokens) and node.tokens[end].token_type in (
            TokenType.VAR,
            TokenType.IDENTIFIER,
            TokenType.COMMA,
        ):
            if node.tokens[end].token_type != TokenType.COMMA:
                targets.append(node.tokens[end].text)
            end += 1
        names = self._names()
        references = [names.get(target.lower()) for target in targets]
        if not targets or any(r is None for r in references):
            return self._blocked(
                "SELECT INTO a record or an undeclared name: declare one variable per column", node
            )
        # The query without its INTO clause: PL/pgSQL syntax sqlglot does not read.
        query_text = node.source[node.tokens[0].start : node.tokens[into].start]
        if end < len(node.tokens):
            query_text += " " + node.text_after(end)
        query = self._expression(query_text, node)
        if query is None:
            return [f"-- MANUAL (line {node.line}): {node.text}"]
        self.ctx.warn(
            "SELECT INTO becomes SET ... = (query): it fails when the query returns more "
            "than one row (PL/pgSQL kept the first)",
            line=node.line,
            rule="select_into",
        )
        sqls = [r.sql("databricks") for r in references if r is not None]
        if len(sqls) == 1:
            return [f"SET {sqls[0]} = ({query});"]
        return [f"SET ({', '.join(sqls)}) = ({query});"]  # no VAR inside a compound

    def _dml(self, node: _Leaf) -> list[str]:
        words = [_word(t) for t in node.tokens]
        if any(a == "CURRENT" and b == "OF" for a, b in zip(words, words[1:], strict=False)):
            return self._blocked(
                "WHERE CURRENT OF a cursor: update by the row's key inside a FOR row AS query loop",
                node,
            )
        if words[0] == "CREATE" and {"TEMP", "TEMPORARY"} & set(words[1:3]):
            return self._blocked(
                "a temporary table: Databricks procedures cannot rely on session temp tables; "
                "use a CTE in the statement that reads it, or a staging Delta table",
                node,
            )
        try:
            parsed = _parse(node.text)
        except SqlglotError as error:
            first = str(error).strip().splitlines()[0]
            return self._blocked(f"sqlglot cannot parse this statement: {first}", node)
        if isinstance(parsed, exp.Command):
            return self._blocked("a statement sqlglot keeps only as raw text", node)
        if parsed.args.get("returning") is not None:
            return self._blocked(
                "RETURNING: Databricks DML returns no rows; read them back with a query", node
            )
        converted = self._expression(node.text, node)
        if converted is None:
            return [f"-- MANUAL (line {node.line}): {node.text}"]
        return [f"{converted};"]


def range_sequence(low: str, high: str, step: str, reverse: bool) -> str:
    """The array a PL/pgSQL integer FOR range walks. PostgreSQL runs no iteration when
    the bounds are the wrong way round; sequence() would count the other way or fail,
    so unless both bounds are literals in order the range is guarded."""
    if reverse:
        step = f"-{step}" if step.isdigit() else f"-({step})"
    if low.lstrip("-").isdigit() and high.lstrip("-").isdigit():
        in_order = int(high) <= int(low) if reverse else int(low) <= int(high)
        if in_order:
            return f"sequence({low}, {high}, {step})"
    end, test = (
        (f"least({low}, {high})", f"{low} >= {high}")
        if reverse
        else (f"greatest({low}, {high})", f"{low} <= {high}")
    )
    return f"filter(sequence({low}, {end}, {step}), x -> {test})"


def _walk(nodes: list[_Node]) -> Iterator[_Node]:
    """Every node of a statement list, nested ones included."""
    for node in nodes:
        yield node
        if isinstance(node, _Loop | _Block):
            yield from _walk(node.statements)
            for _, statements in node.handlers if isinstance(node, _Block) else []:
                yield from _walk(statements)
        elif isinstance(node, _If | _Case):
            for _, statements in node.branches:
                yield from _walk(statements)
            if isinstance(node, _Case) and node.otherwise:
                yield from _walk(node.otherwise)


def _for_loop_variables(block: _Block) -> set[str]:
    """Names used as the variable of a FOR ... IN query loop anywhere in `block`."""
    return {
        node.header.tokens[0].text.lower()
        for node in _walk(block.statements)
        if isinstance(node, _Loop) and node.kind == "FOR" and node.header.tokens
    }


def _assigned_names(block: _Block) -> set[str]:
    """Names the body assigns (`x := ...`, `x = ...`, `SELECT ... INTO x`)."""
    names: set[str] = set()
    for node in _walk(block.statements):
        if not isinstance(node, _Leaf) or len(node.tokens) < 2:
            continue
        if node.tokens[1].token_type in (TokenType.COLON_EQ, TokenType.EQ):
            names.add(node.tokens[0].text.lower())
        elif node.keyword in ("SELECT", "WITH"):
            into = [i for i, t in enumerate(node.tokens) if t.token_type == TokenType.INTO]
            for token in node.tokens[into[0] + 1 :] if into else []:
                if token.token_type not in (TokenType.VAR, TokenType.IDENTIFIER, TokenType.COMMA):
                    break
                names.add(token.text.lower())
    return names


def _branch(lines: list[str]) -> list[str]:
    """A branch or loop body; an empty one (only NULL; or dropped notices) becomes an
    empty compound, as Databricks wants at least one statement there."""
    if any(line and not line.lstrip().startswith("--") for line in lines):
        return lines
    return [*lines, "BEGIN END;"]


def _indent(lines: list[str]) -> list[str]:
    return [f"  {line}" if line else line for line in lines]


# ---------------------------------------------------------------------------------
# Procedures
# ---------------------------------------------------------------------------------


def convert_procedure(ctx: ObjectContext) -> str:
    """A Databricks SQL procedure from a PL/pgSQL (or LANGUAGE sql) procedure when every
    statement maps;
    otherwise MANUAL with every blocker and its line, the draft as partial SQL."""
    routine = _routine(ctx)
    parser = _PlpgsqlParser(routine.body, routine.body_line)
    if routine.language == "plpgsql":
        block = parser.parse()
    elif routine.language == "sql" and not routine.standard_return:
        block = parser.parse_statements()
    else:
        raise ManualConversion(
            [
                manual(
                    f"LANGUAGE {routine.language} procedure: only PL/pgSQL and SQL bodies convert",
                    rule="language",
                )
            ]
        )
    converter = _PlpgsqlConverter(ctx, routine, block)
    text = converter.render()
    if converter.blockers:
        raise ManualConversion(converter.blockers, partial_sql=text)
    return text
