"""The SQL a bronze load sends to the source, built as sqlglot expressions.

One builder, three source dialects: `postgres` (PostgreSQL, TimescaleDB; run with
psycopg 3 or ADBC), `tsql` (SQL Server; run with pyodbc) and `sqlite` (the
generic reader's embedded test source; Python's sqlite3). Identifiers are always
quoted for the dialect (`"a""b"`, `[a]]b]`); values are never in the text:
each query carries its parameters next to it, in the driver's own style:

- postgres: psycopg's named `%(low)s` placeholders and a dict of values. Any
  `%` in an identifier or literal is doubled (`%%`), as psycopg requires
  whenever parameters are passed.
- tsql, sqlite: the positional `?` placeholders of pyodbc and sqlite3 and a
  tuple of values, one per `?` in the text, in order.

A driver with another style asks for it (`paramstyle`): `numeric` renders
`$1`, `$2`, ... (the ADBC PostgreSQL driver, which prepares the text as is; a
name used twice is one number) with a tuple of values in number order; `qmark`
is the `?` style above.

Watermarks (`WatermarkSpec`) are rendered here, per dialect:

- the value selected as `_watermark` and compared in the reconciliation count:
  the column, `CAST(rowversion AS BIGINT)`, or for several columns
  `GREATEST(COALESCE(a, low), COALESCE(b, low), ...)` (PostgreSQL) /
  `(SELECT MAX(v) FROM (VALUES (COALESCE(a, low)), ...) AS w(v))` (T-SQL: works
  on SQL Server before 2022, which has no GREATEST) / `MAX(COALESCE(a, low), ...)`
  (SQLite's scalar, several-argument MAX). `low` is 1900-01-01 for
  timestamps (`'19000101'` in T-SQL: the one unambiguous datetime literal
  whatever the session's DATEFORMAT), 0 for bigint watermarks.
- the incremental predicate, sargable (indexes on each column can serve it):
  `a > :low` for one column, `(a > :low OR b > :low ...)` for several, which
  equals `GREATEST(COALESCE(a, low), ...) > :low` for any `:low` after `low`;
  a rowversion is compared as itself, `rv > CAST(:low AS BINARY(8))`.
  When every watermark column is nullable, `OR (a IS NULL AND b IS NULL ...)`
  is added: rows without any watermark are re-read by every load rather than
  lost (MERGE makes re-reading harmless).
- the cheap maximum for sensors: `MAX` per column (an index answers each), then
  the greatest of those.

Columns whose values the drivers cannot hand over as bronze keeps them are
converted to text by the source itself:

- spatial columns as WKT: PostGIS `ST_AsText(c)`, called in the schema PostGIS
  is installed in (`"extensions".ST_AsText(c)` where managed PostgreSQL puts
  it; `postgis_schema` finds it in pg_catalog, so it need not be on the
  search_path); SQL Server `c.STAsText()` (geometry and geography alike).
- SQL Server (`sql_server_text_type`): `xml` -> `CAST(c AS NVARCHAR(MAX))`,
  `hierarchyid` -> `c.ToString()` (the `/1/2/` path), `sql_variant` ->
  `CAST(c AS NVARCHAR(4000))` (a sql_variant holds at most 8,000 bytes).
- PostgreSQL: `CAST(c AS TEXT)`, an `inet` as it displays (`abbrev(c)`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlglot import exp

from lakebridge_dagster.bronze.registry import RegisteredTable, WatermarkSpec

QueryDialect = Literal["postgres", "tsql", "sqlite"]
ParamStyle = Literal["pyformat", "numeric", "qmark"]
DEFAULT_PARAMSTYLE: dict[str, ParamStyle] = {
    "postgres": "pyformat",
    "tsql": "qmark",
    "sqlite": "qmark",
}
WATERMARK_ALIAS = "_watermark"
LOW_TIMESTAMP = {"postgres": "1900-01-01", "tsql": "19000101", "sqlite": "1900-01-01"}
LOW_BIGINT = 0
# SQL Server types read as text on the server (type -> the text type it is cast to;
# hierarchyid has its own ToString()).
SQL_SERVER_TEXT_TYPES: dict[str, str | None] = {
    "xml": "NVARCHAR(MAX)",
    "hierarchyid": None,
    "sql_variant": "NVARCHAR(4000)",
}


@dataclass(frozen=True)
class BoundQuery:
    """SQL text and the values of its placeholders, for the dialect's driver:
    a dict for psycopg (`%(name)s`), a tuple for pyodbc (`?`)."""

    sql: str
    params: dict[str, Any] | tuple[Any, ...]


def query_dialect(source_dialect: str) -> QueryDialect:
    """The query dialect of a source dialect (config's `postgres`/`sqlserver`, or
    `sqlite`)."""
    if source_dialect == "postgres":
        return "postgres"
    if source_dialect in ("sqlserver", "tsql"):
        return "tsql"
    if source_dialect == "sqlite":
        return "sqlite"
    raise ValueError(
        f"bronze loads need a live source (postgres, sqlserver or sqlite), not {source_dialect!r}"
    )


def select_rows(
    table: RegisteredTable,
    dialect: QueryDialect,
    columns: Sequence[str] | None = None,
    wkt_columns: Collection[str] = (),
    low: Any | None = None,
    *,
    text_columns: Mapping[str, str] | None = None,
    paramstyle: ParamStyle | None = None,
    spatial_schema: str | None = None,
) -> BoundQuery:
    """Every row of `table` (`low` None) or the rows whose watermark is above `low`.

    `columns` are the columns to read, in order (the source's live columns;
    default: the registry's); those in `wkt_columns` are read as WKT text and
    those in `text_columns` (name -> source type) as the source's text form
    (`CAST(c AS TEXT)`; a PostgreSQL `inet` as it displays, `abbrev(c)`:
    `10.0.0.1` where the cast writes `10.0.0.1/32`; SQL Server's by type, see
    the module doc), each under its own name. `spatial_schema` is the schema
    PostGIS's `ST_AsText` lives in (`postgis_schema`); None calls it unqualified.
    The watermark is added as `_watermark` when the table has one. `paramstyle`
    defaults to the dialect's usual driver's (see the module doc).
    """
    names = list(columns) if columns is not None else [c.name for c in table.columns]
    as_text = text_columns or {}
    selected = [_selected(name, dialect, wkt_columns, as_text, spatial_schema) for name in names]
    spec = table.watermark
    if spec is not None:
        selected.append(exp.alias_(watermark_value(spec, dialect), _identifier(WATERMARK_ALIAS)))
    query = exp.select(*selected).from_(_table(table))
    if low is None:
        return _render(query, dialect, {}, paramstyle)
    if spec is None:
        raise ValueError(f"{table.qualified_name} has no watermark; read it whole (low=None)")
    return _render(query.where(_above(spec, dialect)), dialect, {"low": low}, paramstyle)


def max_watermark(table: RegisteredTable, dialect: QueryDialect) -> BoundQuery:
    """`SELECT MAX(...) AS _watermark`: the source's current watermark, cheaply
    (one MAX per column, each answered by an index where there is one)."""
    spec = _require_watermark(table)
    per_column = [
        exp.select(exp.alias_(_max_of(name, spec, dialect), _identifier(WATERMARK_ALIAS))).from_(
            _table(table)
        )
        for name in spec.columns
    ]
    if len(per_column) == 1:
        return _render(per_column[0], dialect, {})
    union: exp.Query = per_column[0]
    for part in per_column[1:]:
        union = exp.union(union, part, distinct=False)
    outer = exp.select(
        exp.alias_(exp.Max(this=_column(WATERMARK_ALIAS)), _identifier(WATERMARK_ALIAS))
    ).from_(exp.Subquery(this=union, alias=exp.TableAlias(this=_identifier("w"))))
    return _render(outer, dialect, {})


def count_rows(
    table: RegisteredTable, dialect: QueryDialect, high: Any | None = None
) -> BoundQuery:
    """`SELECT COUNT(*)` of the rows whose watermark is at most `high` (rows with
    no watermark value count: bronze holds them too); every row when `high` is
    None or the table has no watermark. For the reconciliation check."""
    count = exp.Count(this=exp.Star(), big_int=dialect == "tsql")
    query = exp.select(exp.alias_(count, _identifier("row_count"))).from_(_table(table))
    spec = table.watermark
    if high is None or spec is None:
        return _render(query, dialect, {})
    value = watermark_value(spec, dialect)
    if spec.kind == "column" and spec.nullable:
        value = exp.Coalesce(this=value, expressions=[_low(spec, dialect)])
    at_most = exp.LTE(this=value, expression=_placeholder("high"))
    return _render(query.where(at_most), dialect, {"high": high})


def live_columns(
    schema: str, name: str, dialect: QueryDialect, paramstyle: ParamStyle | None = None
) -> BoundQuery:
    """The table's columns as the source has them now (name, type, nullable), in
    order: a load reads these, so a column added since the registry was derived
    reaches bronze and a dropped one is not asked for. From INFORMATION_SCHEMA
    (PostgreSQL's udt name; SQL Server's type name, `decimal(p,s)` with its
    precision and scale) or, in SQLite, `pragma_table_info(table, schema)`, both
    bound (the declared type as written, `DECIMAL(12,2)`)."""
    if dialect == "sqlite":
        return _sqlite_live_columns(schema, name, paramstyle)
    info = "information_schema" if dialect == "postgres" else "INFORMATION_SCHEMA"

    def ident(text: str) -> exp.Column:
        return exp.column(text if dialect == "postgres" else text.upper())

    data_type: exp.Expression = ident("udt_name" if dialect == "postgres" else "data_type")
    if dialect == "tsql":
        data_type = _tsql_type_with_precision(data_type)
    query = (
        exp.select(
            exp.alias_(ident("column_name"), "column_name"),
            exp.alias_(data_type, "data_type"),
            exp.alias_(ident("is_nullable"), "is_nullable"),
        )
        .from_(exp.table_("columns" if dialect == "postgres" else "COLUMNS", db=info))
        .where(
            exp.and_(
                exp.EQ(this=ident("table_schema"), expression=_placeholder("schema")),
                exp.EQ(this=ident("table_name"), expression=_placeholder("table")),
            )
        )
        .order_by(ident("ordinal_position"))
    )
    return _render(query, dialect, {"schema": schema, "table": name}, paramstyle)


def postgis_schema(paramstyle: ParamStyle | None = None) -> BoundQuery:
    """The schema PostGIS is installed in, as `schema_name`, from pg_catalog: the
    schema of the one-argument `st_astext` whose argument type (geometry,
    geography) lives in the same schema, as an extension installs all its
    objects in one (this leaves out PostGIS's own `st_astext(text)` and any
    look-alike elsewhere). No row: PostGIS is not installed. The function name
    is bound, never in the text."""

    def catalog(name: str, alias: str) -> exp.Table:
        return exp.table_(name, db="pg_catalog", alias=alias)

    def col(table: str, name: str) -> exp.Column:
        return exp.column(name, table=table)

    # oidvector is indexed from 0 (offset=1: the index is already PostgreSQL's).
    argument = exp.Bracket(
        this=col("p", "proargtypes"), expressions=[exp.Literal.number(0)], offset=1
    )
    query = (
        exp.select(exp.alias_(col("n", "nspname"), "schema_name"))
        .distinct()
        .from_(catalog("pg_proc", "p"))
        .join(
            catalog("pg_namespace", "n"),
            on=exp.EQ(this=col("n", "oid"), expression=col("p", "pronamespace")),
        )
        .join(catalog("pg_type", "t"), on=exp.EQ(this=col("t", "oid"), expression=argument))
        .where(
            exp.and_(
                exp.EQ(this=col("p", "proname"), expression=_placeholder("function")),
                exp.EQ(this=col("p", "pronargs"), expression=exp.Literal.number(1)),
                exp.EQ(this=col("t", "typnamespace"), expression=col("p", "pronamespace")),
            )
        )
        .order_by(col("n", "nspname"))
    )
    return _render(query, "postgres", {"function": "st_astext"}, paramstyle)


def _tsql_type_with_precision(data_type: exp.Expression) -> exp.Expression:
    """`decimal(12,2)` for decimal/numeric columns, the bare type name otherwise."""

    def text(column: str) -> exp.Expression:
        return exp.Cast(this=exp.column(column), to=exp.DataType.build("VARCHAR(3)"))

    with_precision = exp.Concat(
        expressions=[
            data_type.copy(),
            exp.Literal.string("("),
            text("NUMERIC_PRECISION"),
            exp.Literal.string(","),
            text("NUMERIC_SCALE"),
            exp.Literal.string(")"),
        ]
    )
    is_decimal = exp.In(
        this=data_type.copy(),
        expressions=[exp.Literal.string("decimal"), exp.Literal.string("numeric")],
    )
    return exp.Case(ifs=[exp.If(this=is_decimal, true=with_precision)], default=data_type)


def _sqlite_live_columns(schema: str, name: str, paramstyle: ParamStyle | None) -> BoundQuery:
    pragma = exp.Anonymous(
        this="pragma_table_info", expressions=[_placeholder("table"), _placeholder("schema")]
    )
    nullable = exp.Case(
        ifs=[exp.If(this=_column("notnull"), true=exp.Literal.string("NO"))],
        default=exp.Literal.string("YES"),
    )
    query = (
        exp.select(
            exp.alias_(_column("name"), "column_name"),
            exp.alias_(_column("type"), "data_type"),
            exp.alias_(nullable, "is_nullable"),
        )
        .from_(pragma)
        .order_by(_column("cid"))
    )
    return _render(query, "sqlite", {"schema": schema, "table": name}, paramstyle)


def watermark_value(spec: WatermarkSpec, dialect: QueryDialect) -> exp.Expression:
    """The watermark of a row as an expression (see the module doc)."""
    if spec.kind == "column":
        return _value_of(spec.columns[0], spec, dialect)
    low = _low(spec, dialect)
    values = [
        exp.Coalesce(this=_value_of(name, spec, dialect), expressions=[low.copy()])
        for name in spec.columns
    ]
    if dialect == "postgres":
        return exp.Greatest(this=values[0], expressions=values[1:])
    if dialect == "sqlite":
        return exp.Anonymous(this="MAX", expressions=values)
    rows = exp.Values(
        expressions=[exp.Tuple(expressions=[value]) for value in values],
        alias=exp.TableAlias(this=_identifier("w"), columns=[_identifier("v")]),
    )
    return exp.Subquery(this=exp.select(exp.Max(this=_column("v"))).from_(rows))


# ---------------------------------------------------------------------------------


def _above(spec: WatermarkSpec, dialect: QueryDialect) -> exp.Expression:
    """The sargable `> :low` predicate."""
    comparisons: list[exp.Expression] = [
        exp.GT(this=_column(name), expression=_rowversion(_placeholder("low")))
        if spec.rowversion and dialect == "tsql"
        else exp.GT(this=_column(name), expression=_placeholder("low"))
        for name in spec.columns
    ]
    if spec.nullable:
        comparisons.append(
            exp.and_(*(exp.Is(this=_column(name), expression=exp.Null()) for name in spec.columns))
        )
    if len(comparisons) == 1:
        return comparisons[0]
    return exp.Paren(this=exp.or_(*comparisons))


def _value_of(name: str, spec: WatermarkSpec, dialect: QueryDialect) -> exp.Expression:
    if spec.rowversion and dialect == "tsql":
        return exp.Cast(this=_column(name), to=exp.DataType.build("BIGINT"))
    return _column(name)


def _rowversion(value: exp.Expression) -> exp.Expression:
    """A BIGINT as the rowversion it stands for (binary(8), big-endian: the same
    order), so the comparison is on the column itself and an index can serve it."""
    return exp.Cast(this=value, to=exp.DataType.build("BINARY(8)", dialect="tsql"))


def _max_of(name: str, spec: WatermarkSpec, dialect: QueryDialect) -> exp.Expression:
    if spec.rowversion and dialect == "tsql":
        # MAX over the rowversion itself (an index can answer it), then the cast.
        return exp.Cast(this=exp.Max(this=_column(name)), to=exp.DataType.build("BIGINT"))
    return exp.Max(this=_column(name))


def _low(spec: WatermarkSpec, dialect: QueryDialect) -> exp.Expression:
    if spec.type == "bigint":
        return exp.Literal.number(LOW_BIGINT)
    return exp.Literal.string(LOW_TIMESTAMP[dialect])


def _selected(
    name: str,
    dialect: QueryDialect,
    wkt_columns: Collection[str],
    text_columns: Mapping[str, str],
    spatial_schema: str | None,
) -> exp.Expression:
    if name in wkt_columns:
        return exp.alias_(_wkt(name, dialect, spatial_schema), _identifier(name))
    if name in text_columns:
        return exp.alias_(_as_text(name, text_columns[name], dialect), _identifier(name))
    return _column(name)


def _as_text(name: str, source_type: str, dialect: QueryDialect) -> exp.Expression:
    """A column as the source's own text form (see the module doc)."""
    if dialect == "tsql":
        kind = _base_type_name(source_type)
        if kind == "hierarchyid":
            return _method(name, "ToString")
        to = SQL_SERVER_TEXT_TYPES.get(kind) or "NVARCHAR(MAX)"
        return exp.Cast(this=_column(name), to=exp.DataType.build(to, dialect="tsql"))
    if source_type == "inet" and dialect == "postgres":
        return exp.Anonymous(this="abbrev", expressions=[_column(name)])
    return exp.Cast(this=_column(name), to=exp.DataType.build("TEXT"))


def sql_server_text_type(data_type: str) -> bool:
    """True for the SQL Server types read as text on the server (xml,
    hierarchyid, sql_variant; see the module doc)."""
    return _base_type_name(data_type) in SQL_SERVER_TEXT_TYPES


def _base_type_name(data_type: str) -> str:
    """`xml`, from `XML`, `xml(CONTENT dbo.Schema)` or `sys.hierarchyid`."""
    head = data_type.strip().lower().split("(", 1)[0].strip()
    return head.rsplit(".", 1)[-1].strip('[]"')


def _wkt(name: str, dialect: QueryDialect, schema: str | None = None) -> exp.Expression:
    if dialect == "postgres":
        call = exp.Anonymous(this="ST_AsText", expressions=[_column(name)])
        return call if schema is None else exp.Dot(this=_identifier(schema), expression=call)
    return _method(name, "STAsText")


def _method(name: str, method: str) -> exp.Expression:
    """`[c].Method()`: a SQL Server CLR type's method (geometry, hierarchyid)."""
    return exp.Dot(this=_identifier(name), expression=exp.Anonymous(this=method))


def _require_watermark(table: RegisteredTable) -> WatermarkSpec:
    if table.watermark is None:
        raise ValueError(
            f"{table.qualified_name} is loaded whole every time (no watermark); "
            "there is no watermark to ask the source for"
        )
    return table.watermark


def _identifier(name: str) -> exp.Identifier:
    return exp.Identifier(this=name, quoted=True)


def _column(name: str) -> exp.Column:
    return exp.Column(this=_identifier(name))


def _table(table: RegisteredTable) -> exp.Table:
    return exp.Table(this=_identifier(table.name), db=_identifier(table.schema_name))


def _placeholder(name: str) -> exp.Placeholder:
    return exp.Placeholder(this=name)


def _percent_doubled(query: exp.Expression) -> exp.Expression:
    """A copy of `query` with every `%` in its identifiers and literals doubled:
    psycopg reads `%` as the start of a placeholder whenever the query has
    parameters (the named placeholders themselves are written `%(name)s`)."""

    def double(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Identifier | exp.Literal) and "%" in node.name:
            node.set("this", node.name.replace("%", "%%"))
        return node

    return query.transform(double)


def _render(
    query: exp.Expression,
    dialect: QueryDialect,
    values: dict[str, Any],
    paramstyle: ParamStyle | None = None,
) -> BoundQuery:
    """Render `query` for the driver, binding each named placeholder to
    `values[name]` (see the module doc for the styles). For `qmark` the values
    are a tuple in text order (a depth-first walk: placeholders only appear in
    WHERE, whose operands are generated left to right); for `numeric` one per
    distinct name, numbered in order of first appearance."""
    style = paramstyle or DEFAULT_PARAMSTYLE[dialect]
    if style == "pyformat":
        if dialect != "postgres":
            raise ValueError(f"psycopg's pyformat placeholders are for postgres, not {dialect}")
        text = _percent_doubled(query).sql(dialect="postgres", normalize_functions=False)
        return BoundQuery(text, dict(values))
    placeholders = list(query.find_all(exp.Placeholder, bfs=False))
    if style == "numeric":
        names = list(dict.fromkeys(placeholder.name for placeholder in placeholders))
        for placeholder in placeholders:
            number = exp.Literal.number(names.index(placeholder.name) + 1)
            placeholder.replace(exp.Parameter(this=number))
        params = tuple(values[name] for name in names)
        return BoundQuery(query.sql(dialect=dialect, normalize_functions=False), params)
    params = tuple(values[placeholder.name] for placeholder in placeholders)
    for placeholder in placeholders:
        placeholder.set("this", None)
    return BoundQuery(query.sql(dialect=dialect, normalize_functions=False), params)
