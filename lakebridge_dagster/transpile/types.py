"""T-SQL column types -> Databricks (Delta) column types.

The choices follow what the bronze loader writes (bronze/generic_reader.py), so
the silver DDL and the loaded data agree:

- `datetime`, `datetime2`, `smalldatetime` -> TIMESTAMP_NTZ. SQL Server stores
  them without a zone (wall clock); Databricks TIMESTAMP is an instant read in
  the session time zone, so a wall-clock value would be shifted for every
  reader outside UTC. TIMESTAMP_NTZ ("all operations are performed without
  taking any time zone into account", Databricks docs, DBR 13.3 LTS+) keeps the
  value as the source meant it, and is what bronze loads.
- `datetimeoffset` -> TIMESTAMP (an instant): the value survives, the offset
  it was written with does not.
- `tinyint` (0..255) -> SMALLINT: Databricks TINYINT is signed (-128..127).
- `money` / `smallmoney` -> DECIMAL(19,4) / DECIMAL(10,4), their exact ranges.
- `decimal` / `numeric` without precision -> DECIMAL(18,0), T-SQL's default
  (Databricks' own default, DECIMAL(10,0), would be narrower).
- `float(n)` with n <= 24 and `real` are 4-byte floats -> FLOAT; other floats DOUBLE.
- Types with no Databricks counterpart (time, hierarchyid, geography, geometry,
  sql_variant) become STRING with a warning; bronze loads them as text (WKT for
  the spatial types). rowversion becomes BINARY with a warning: nothing
  maintains it in Databricks.
- An alias type (`CREATE TYPE dbo.Phone FROM nvarchar(25)`) cannot be resolved:
  the catalog has no type objects, so it becomes STRING with a warning naming it.
"""

from __future__ import annotations

import functools
import re

from sqlglot import Dialect, exp

from lakebridge_dagster.transpile.context import ObjectContext

_STRING_TYPES = frozenset(
    {
        "char", "varchar", "nchar", "nvarchar", "text", "ntext", "uniqueidentifier", "xml",
        "sysname", "json",
    }
)  # fmt: skip
_BINARY_TYPES = frozenset({"binary", "varbinary", "image"})
# T-SQL `timestamp` is rowversion, not a date-time
_ROWVERSION_TYPES = frozenset({"rowversion", "timestamp"})
_PLAIN = {
    "bigint": "BIGINT",
    "int": "INT",
    "integer": "INT",
    "smallint": "SMALLINT",
    "tinyint": "SMALLINT",
    "bit": "BOOLEAN",
    "money": "DECIMAL(19, 4)",
    "smallmoney": "DECIMAL(10, 4)",
    "real": "FLOAT",
    "date": "DATE",
    "datetime": "TIMESTAMP_NTZ",
    "smalldatetime": "TIMESTAMP_NTZ",
}
_AS_TEXT = {
    "time": "Databricks has no time-of-day type; the value is kept as text 'hh:mm:ss[.fffffff]'",
    "hierarchyid": "Databricks has no hierarchyid; the value is kept as its text path '/1/2/'",
    "geography": "Databricks has no geography type; the value is kept as WKT text",
    "geometry": "Databricks has no geometry type; the value is kept as WKT text",
    "sql_variant": "Databricks has no sql_variant; the value is kept as text and its "
    "base type is lost",
}
# datetime2 and datetimeoffset keep 100 ns; Databricks timestamps keep microseconds.
_MICROSECONDS = 6
_TSQL_DEFAULT_FRACTION = 7
_TSQL = Dialect.get_or_raise("tsql")  # one instance, not one per call
_TYPE = re.compile(r"\s*\[?(?P<name>[A-Za-z_]\w*)\]?\s*(?:\((?P<args>[^)]*)\))?\s*")


def databricks_type(
    source_type: str | exp.DataType,
    ctx: ObjectContext,
    *,
    column: str | None = None,
    line: int | None = None,
) -> exp.DataType:
    """The Databricks type for a T-SQL column type, e.g. "nvarchar(50)" -> STRING.

    `source_type` is the type as the catalog writes it ("decimal(19,4)",
    "[dbo].[Name]") or a parsed T-SQL DataType. Types that lose something
    record a warning on `ctx` naming `column`."""
    text = source_type.sql(_TSQL) if isinstance(source_type, exp.DataType) else source_type
    where = f"column {column}: " if column else ""
    match = _TYPE.fullmatch(text)
    if match is None:  # a schema-qualified alias type, or nothing T-SQL knows
        return _unresolved(text, ctx, column, line)
    name = match.group("name").lower()
    args = [arg.strip().lower() for arg in (match.group("args") or "").split(",") if arg.strip()]
    if name in _PLAIN:
        return _build(_PLAIN[name])
    if name in _STRING_TYPES:
        return _build("STRING")
    if name in _BINARY_TYPES:
        return _build("BINARY")
    if name in _ROWVERSION_TYPES:
        ctx.warn(
            f"{where}{text} -> BINARY: the loaded values are kept, but Databricks does not "
            "change them when a row changes; use Delta row tracking (_metadata.row_commit_"
            "version) or a modified-at column to detect changes",
            line=line,
            rule="types",
        )
        return _build("BINARY")
    if name in ("decimal", "numeric", "dec"):
        precision = args[0] if args else "18"
        scale = args[1] if len(args) > 1 else "0"
        return _build(f"DECIMAL({precision}, {scale})")
    if name == "float":
        return _build("FLOAT" if args and args[0].isdigit() and int(args[0]) <= 24 else "DOUBLE")
    if name in ("datetime2", "datetimeoffset"):
        fraction = int(args[0]) if args and args[0].isdigit() else _TSQL_DEFAULT_FRACTION
        if fraction > _MICROSECONDS:
            ctx.warn(
                f"{where}{text} keeps 100 ns; Databricks timestamps keep microseconds, "
                "so the 7th fractional digit is truncated",
                line=line,
                rule="types",
            )
        if name == "datetimeoffset":
            ctx.warn(
                f"{where}{text} -> TIMESTAMP: the instant is kept (stored in UTC), the "
                "offset it was written with is lost; keep it in a separate column if needed",
                line=line,
                rule="types",
            )
            return _build("TIMESTAMP")
        return _build("TIMESTAMP_NTZ")
    if name in _AS_TEXT:
        ctx.warn(f"{where}{text} -> STRING: {_AS_TEXT[name]}", line=line, rule="types")
        return _build("STRING")
    return _unresolved(text, ctx, column, line)


def _unresolved(
    text: str, ctx: ObjectContext, column: str | None, line: int | None
) -> exp.DataType:
    """An alias type the catalog knows maps as its base type; anything else is
    STRING with a warning."""
    where = f"column {column}: " if column else ""
    alias = text.split(".")[-1].strip().strip("[]").lower()
    base = ctx.catalog.alias_types.get(alias)
    if base is not None and _TYPE.fullmatch(base) and base.split("(")[0].strip().lower() != alias:
        ctx.info(f"{where}alias type {text} is {base}", line=line, rule="types")
        return databricks_type(base, ctx, column=column, line=line)
    ctx.warn(
        f"{where}type {text} is not a SQL Server system type (a user-defined alias type?) "
        "and the catalog does not say what it is based on; mapped to STRING: replace it with "
        "the Databricks type of its base type",
        line=line,
        rule="types",
    )
    return _build("STRING")


def _build(databricks: str) -> exp.DataType:
    # a copy: callers put the node into their trees
    return _parsed_type(databricks).copy()


@functools.cache
def _parsed_type(databricks: str) -> exp.DataType:
    return exp.DataType.build(databricks, dialect="databricks")
