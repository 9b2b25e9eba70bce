"""The table registry: how every source table is loaded into bronze.

`derive_registry(catalog, source)` reads the source catalog, derives one
`RegisteredTable` per table, then applies the config's `tables` overrides and
`exclude` list. The result is written to `table_registry.json` (with a
`schema_version`) and read by the loader, the sensors and the notebook renderer.

Heuristics, in the order they are tried (every one is overridable per table in
`lakebridge.yaml`; names are compared case-insensitively, ignoring `_` and
spaces, so `UpdatedAt`, `updated_at` and `UPDATED AT` are the same name):

Primary key
  The catalog's primary key. A table without one is excluded (MERGE needs a
  key) unless the config names a key (`primary_key: [...]`) or marks it
  `full_load: true` (then it is overwritten whole on every load).

Watermark (what "changed since the last load" means)
  1. A SQL Server `rowversion` (`timestamp`) column: a BIGINT watermark; it
     moves on every change, even ones that forget to touch `UpdatedAt`.
  2. Change-tracking timestamp columns, by name: created (`CreatedAt`,
     `CreatedOn`, `CreatedDate`, `InsertedAt`, `IngestedAt`, ...), updated
     (`UpdatedAt`, `ModifiedDate`, `ModifiedAt`, `LastModified`, `ChangedAt`,
     ...), deleted (`DeletedAt`, `DeletedOn`, ...). One of them: that column.
     Several: `GREATEST(COALESCE(created, low), COALESCE(updated, low), ...)`
     (a create, an update and a soft delete all move it). When they are all
     nullable (an `UpdatedAt` that stays NULL until the first update) and a
     NOT NULL event-time column exists, that column joins the GREATEST.
  3. An event-time column (`RecordedAt`, `EventTime`, `Timestamp`,
     `MeasuredAt`, ...): that column; rows committed late need the lag window.
  4. None of these: the table is loaded whole every time (`full_load`).
  The watermark is kept as a structured spec (columns + kind), never as SQL
  text: `query.py` renders it for the source dialect. When every watermark
  column is nullable the spec says so and the query also re-reads the rows
  where they are all NULL (a NULL watermark is never lost).

Category (the load order: dimensions, assignments, facts, history)
  1. history: a word of the name is History, Hist, Log, Audit, Trail,
     Archive, Journal or Changelog (`WorkerHistory`, `AuditTrail`, `sync_log`).
  2. assignments: a junction between other tables, seen as any of
     - a primary key of two or more columns that are all foreign-key columns;
     - the name is two other tables' names joined (`WorkerProject`,
       `ZoneActivity`, `crew_worker`; a trailing plural `s` is ignored);
     - a unique key over two or more foreign-key columns (a surrogate-keyed
       junction);
     - the name's last word says so: Assignment, Allocation, Membership,
       Member, Mapping, Map, Link, Xref, Roster, Shift, Enrollment (only for
       names of two words or more: a table called `Member` is a dimension).
  3. facts: time-series or high volume, seen as any of
     - an event-time column (`RecordedAt`, `EventTime`, `MeasuredAt`, ...);
     - append-only: a created-like timestamp but no updated/deleted one, and
       at least one foreign key (an event about something);
     - large: at least 1,000,000 rows, or at least 10,000 rows and 5x the
       median row count of the source's tables.
  4. dimensions: everything else.

Fetch size (rows per batch read from the source): facts 100,000, every other
category 50,000 (the seed loader's table).

Geometry columns: PostGIS `geometry`/`geography` and SQL Server
`geometry`/`geography` by type, plus the config's `geometry_columns`. They are
read as WKT; a configured column whose type is not spatial is read as its text
form (the registry warns).

Partition key: the table name, or `schema.table` when the catalog holds tables
of several schemas. Bronze table name: `<table_prefix><table>` in lower case
with anything but letters, digits and `_` turned into `_` (`<schema>_<table>`
with several schemas).
"""

from __future__ import annotations

import re
import statistics
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import sqlglot
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlglot import exp

from lakebridge_dagster.artifacts import read_versioned, write_atomic
from lakebridge_dagster.catalog.model import CatalogObject, Column, ObjectType, SourceCatalog
from lakebridge_dagster.config import Category, SourceConfig, TableOverride

SCHEMA_VERSION = 1
FETCH_SIZES: dict[str, int] = {
    "dimensions": 50_000,
    "assignments": 50_000,
    "facts": 100_000,
    "history": 50_000,
}
FACT_MIN_ROWS = 1_000_000
FACT_RELATIVE_MIN_ROWS = 10_000
FACT_MEDIAN_FACTOR = 5

WatermarkKind = Literal["column", "greatest"]
WatermarkType = Literal["timestamp", "bigint"]

_CREATED = frozenset(
    (
        "createdat createdon createddate createdtime created createdatetime createdutc "
        "createdatutc creationdate creationtime datecreated insertedat insertedon "
        "inserteddate insertdate ingestedat"
    ).split()
)
_UPDATED = frozenset(
    (
        "updatedat updatedon updateddate updatedtime updated updatedatutc updatedate "
        "dateupdated lastupdated lastupdatedat lastupdatedon lastupdatedate modifiedat "
        "modifiedon modifieddate modifiedtime modified modifiedatutc modifydate datemodified "
        "lastmodified lastmodifiedat lastmodifiedon lastmodifieddate changedat changedon "
        "changeddate lastchanged"
    ).split()
)
_DELETED = frozenset("deletedat deletedon deleteddate deletedtime datedeleted".split())
_EVENT_TIME = frozenset(
    (
        "recordedat recordedon recordedtime eventtime eventat eventtimestamp timestamp "
        "measuredat measuredtime readingat readingtime observedat sampledat capturedat "
        "occurredat"
    ).split()
)
_HISTORY_WORDS = frozenset("history hist log audit trail archive journal changelog".split())
_ASSIGNMENT_WORDS = frozenset(
    (
        "assignment assignments allocation allocations membership memberships member members "
        "mapping mappings map link links xref roster shift shifts enrollment enrolment"
    ).split()
)
_TIMESTAMP_TYPES_POSTGRES = ("timestamp", "date")
_TIMESTAMP_TYPES_SQLSERVER = ("datetime", "datetime2", "smalldatetime", "datetimeoffset", "date")
_INTEGER_TYPES = {"bigint", "int", "integer", "smallint", "tinyint", "int8", "int4", "int2"}
_SPATIAL_TYPES = {"geometry", "geography"}
# Lower-case words: "UPPERCase" -> upper, case; "crew_worker" -> crew, worker.
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


class RegistryError(ValueError):
    """The config's table overrides do not fit the catalog; the message lists
    every problem with the table, the key and the fix."""


class _Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")


class WatermarkSpec(_Model):
    """What "changed since the last load" means for one table, as data: `query.py`
    renders it per dialect."""

    kind: WatermarkKind
    columns: list[str] = Field(min_length=1)
    type: WatermarkType
    # True when every watermark column is nullable: rows where they are all NULL
    # carry no watermark, so every load re-reads them (MERGE makes that harmless).
    nullable: bool = False
    # SQL Server rowversion: binary(8), compared and returned as BIGINT.
    rowversion: bool = False

    @model_validator(mode="after")
    def _columns_fit_kind(self) -> WatermarkSpec:
        if self.kind == "column" and len(self.columns) != 1:
            raise ValueError("a `column` watermark has exactly one column")
        if self.kind == "greatest" and len(self.columns) < 2:
            raise ValueError("a `greatest` watermark needs two or more columns")
        return self

    def describe(self) -> str:
        """For people: `UpdatedAt` or `GREATEST(CreatedAt, UpdatedAt, DeletedAt)`."""
        if self.kind == "column":
            return self.columns[0]
        return f"GREATEST({', '.join(self.columns)})"


class RegisteredTable(_Model):
    """One source table and how it is loaded into bronze."""

    schema_name: str = Field(alias="schema")
    name: str
    partition_key: str
    target_table: str
    primary_key: list[str]
    watermark: WatermarkSpec | None
    watermark_reason: str
    category: Category
    category_reason: str
    full_load: bool
    fetch_size: int = Field(gt=0)
    geometry_columns: list[str] = Field(default_factory=list)
    columns: list[Column] = Field(default_factory=list)
    row_count: int | None = None
    overrides: list[str] = Field(default_factory=list)

    @property
    def qualified_name(self) -> str:
        return f"{self.schema_name}.{self.name}"

    @property
    def load_mode(self) -> Literal["full", "incremental"]:
        return "full" if self.full_load or self.watermark is None else "incremental"

    @property
    def watermark_type(self) -> WatermarkType | None:
        return None if self.watermark is None else self.watermark.type


class ExcludedTable(_Model):
    schema_name: str = Field(alias="schema")
    name: str
    reason: str

    @property
    def qualified_name(self) -> str:
        return f"{self.schema_name}.{self.name}"


class TableRegistry(_Model):
    schema_version: int = SCHEMA_VERSION
    source: str
    dialect: str
    derived_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    tables: list[RegisteredTable] = Field(default_factory=list)
    excluded: list[ExcludedTable] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def table(self, partition_key: str) -> RegisteredTable:
        for table in self.tables:
            if table.partition_key == partition_key:
                return table
        raise KeyError(
            f"source {self.source!r} has no registered table {partition_key!r}; "
            "re-materialize the table_registry asset if the table is new"
        )

    def by_category(self, category: Category) -> list[RegisteredTable]:
        return [t for t in self.tables if t.category == category]

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True, indent=2)

    def write(self, path: Path) -> Path:
        """Write the registry as JSON atomically (a crash never leaves half a file)."""
        return write_atomic(path, self.to_json())

    @classmethod
    def read(cls, path: Path) -> TableRegistry:
        return cls.model_validate(
            read_versioned(path, SCHEMA_VERSION, "table registry", "table_registry")
        )


def derive_registry(catalog: SourceCatalog, source: SourceConfig) -> TableRegistry:
    """The registry of `source`: one entry per catalog table, with the config's
    overrides applied; excluded tables are listed with their reasons. Raises
    `RegistryError` (all problems at once) when an override does not fit the
    catalog (a key or watermark column that does not exist, ...)."""
    tables = sorted(catalog.of_type(ObjectType.TABLE), key=lambda t: (t.schema_name, t.name))
    several_schemas = len({t.schema_name for t in tables}) > 1
    context = _Context(tables, catalog.dialect)
    overrides = _match_keys(source.tables, tables)
    excludes = _match_keys(dict.fromkeys(source.exclude), tables)
    problems: list[str] = []
    warnings: list[str] = [
        f"`tables.{key}` in the config matches no table of the catalog; "
        "check its spelling (use `schema.table` to be explicit)"
        for key, matched in overrides.items()
        if not matched
    ]
    warnings += [
        f"`exclude: {key}` in the config matches no table of the catalog"
        for key, matched in excludes.items()
        if not matched
    ]
    excluded_ids = {id(t) for matched in excludes.values() for t in matched}

    registry = TableRegistry(source=source.name, dialect=catalog.dialect)
    targets: dict[str, str] = {}
    for table in tables:
        if id(table) in excluded_ids:
            registry.excluded.append(_excluded(table, "excluded by the config (`exclude`)"))
            continue
        applied = _overrides_for(table, overrides, source.tables)
        entry = _register(
            table, catalog.dialect, source, context, several_schemas, applied, problems, warnings
        )
        if isinstance(entry, ExcludedTable):
            registry.excluded.append(entry)
            continue
        if entry is None:
            continue
        clash = targets.get(entry.target_table)
        if clash is not None:
            registry.excluded.append(
                _excluded(
                    table,
                    f"its bronze table name {entry.target_table!r} is already taken by "
                    f"{clash}; exclude one of the two (`exclude:`)",
                )
            )
            continue
        targets[entry.target_table] = table.qualified_name
        registry.tables.append(entry)
    if problems:
        lines = "\n".join(f"  - {p}" for p in problems)
        raise RegistryError(
            f"source {source.name!r}: the table overrides do not fit the catalog "
            f"({len(problems)} problem{'s' if len(problems) > 1 else ''}):\n{lines}"
        )
    registry.warnings = warnings
    return registry


# ---------------------------------------------------------------------------------
# One table
# ---------------------------------------------------------------------------------


def _register(
    table: CatalogObject,
    dialect: str,
    source: SourceConfig,
    context: _Context,
    several_schemas: bool,
    applied: list[tuple[str, TableOverride]],
    problems: list[str],
    warnings: list[str],
) -> RegisteredTable | ExcludedTable | None:
    """The registry entry of one table; an ExcludedTable when it cannot be loaded,
    None when an override is wrong (the problem is appended)."""
    where = table.qualified_name
    count_before = len(problems)
    override = _merged(applied)
    keys = [key for key, _ in applied]

    def key_of(field: str) -> str:
        return f"`tables.{keys[-1] if keys else table.name}.{field}`"

    primary_key = list(table.primary_key)
    if override.primary_key is not None:
        primary_key = _resolve_columns(table, override.primary_key, key_of("primary_key"), problems)

    full_load = bool(override.full_load)
    watermark: WatermarkSpec | None = None
    watermark_reason = ""
    if override.watermark_column is not None and override.watermark_expression is not None:
        problems.append(
            f"{where}: {key_of('watermark_column')} and {key_of('watermark_expression')} "
            "are both set; keep one"
        )
    elif override.watermark_column is not None:
        watermark = _watermark_from_columns(
            table, dialect, [override.watermark_column], key_of("watermark_column"), problems
        )
        watermark_reason = f"config {key_of('watermark_column')}"
    elif override.watermark_expression is not None:
        columns = _columns_of_expression(
            override.watermark_expression,
            dialect,
            key_of("watermark_expression"),
            where,
            problems,
        )
        if columns:
            watermark = _watermark_from_columns(
                table, dialect, columns, key_of("watermark_expression"), problems
            )
        watermark_reason = f"config {key_of('watermark_expression')}"
    elif not full_load:
        watermark, watermark_reason = derive_watermark(table, dialect)

    if override.full_load:
        watermark = None
        watermark_reason = f"config {key_of('full_load')}: loaded whole every time"
    elif watermark is None and len(problems) == count_before:
        if override.full_load is False:
            problems.append(
                f"{where}: {key_of('full_load')} is false but the table has no watermark; "
                f"name one with {key_of('watermark_column')}"
            )
        full_load = True

    geometry = [c.name for c in table.columns if is_spatial_type(c.data_type)]
    for name in _resolve_columns(
        table, override.geometry_columns or [], key_of("geometry_columns"), problems
    ):
        if name not in geometry:
            geometry.append(name)
            column = next(c for c in table.columns if c.name == name)
            if not is_spatial_type(column.data_type):
                warnings.append(
                    f"{where}.{name} is configured as a geometry column but its type is "
                    f"{column.data_type!r}, not geometry/geography: it is read as text"
                )

    if len(problems) > count_before:
        return None
    if not primary_key and not override.full_load:
        return _excluded(
            table,
            "no primary key in the source (MERGE needs one); name one with "
            f"{key_of('primary_key')} or load it whole each time with "
            f"{key_of('full_load')}: true",
        )

    category, category_reason = derive_category(table, context)
    if override.category is not None:
        category, category_reason = override.category, f"config {key_of('category')}"
    fetch_size = override.fetch_size or FETCH_SIZES[category]
    partition_key = table.qualified_name if several_schemas else table.name
    return RegisteredTable(
        schema_name=table.schema_name,
        name=table.name,
        partition_key=partition_key,
        target_table=bronze_table_name(
            source.target.table_prefix, table.name, table.schema_name if several_schemas else None
        ),
        primary_key=primary_key,
        watermark=watermark,
        watermark_reason=watermark_reason,
        category=category,
        category_reason=category_reason,
        full_load=full_load,
        fetch_size=fetch_size,
        geometry_columns=geometry,
        columns=list(table.columns),
        row_count=table.row_count,
        overrides=keys,
    )


def bronze_table_name(prefix: str, table: str, schema: str | None = None) -> str:
    """`<prefix>[<schema>_]<table>` in lower case, anything but [a-z0-9_] turned into `_`."""
    raw = f"{schema}_{table}" if schema else table
    name = re.sub(r"[^a-z0-9_]+", "_", raw.lower()).strip("_") or "table"
    return f"{prefix}{name}"


def derive_watermark(table: CatalogObject, dialect: str) -> tuple[WatermarkSpec | None, str]:
    """The watermark the heuristics choose for `table` and why (see the module doc)."""
    rowversion = [c for c in table.columns if _is_rowversion(c.data_type, dialect)]
    if rowversion:
        column = rowversion[0]
        spec = WatermarkSpec(kind="column", columns=[column.name], type="bigint", rowversion=True)
        return spec, f"rowversion column {column.name}"
    timestamps = [c for c in table.columns if _is_timestamp(c.data_type, dialect)]
    tracking = [
        c
        for names in (_CREATED, _UPDATED, _DELETED)
        for c in timestamps
        if _normal(c.name) in names
    ]
    events = [c for c in timestamps if _normal(c.name) in _EVENT_TIME]
    anchors = [c for c in events if not c.nullable][:1]
    if tracking and all(c.nullable for c in tracking) and anchors:
        # A nullable UpdatedAt alone misses rows never updated (NULL until then).
        columns = anchors + tracking
        names = ", ".join(c.name for c in columns)
        return _spec(columns, "timestamp"), (
            f"GREATEST of {names}: the change-tracking columns are nullable, the event time "
            f"{anchors[0].name} is not"
        )
    if len(tracking) == 1:
        return _spec(tracking, "timestamp"), f"change-tracking column {tracking[0].name}"
    if tracking:
        names = ", ".join(c.name for c in tracking)
        return _spec(tracking, "timestamp"), f"GREATEST of the change-tracking columns {names}"
    if events:
        return (
            _spec(events[:1], "timestamp"),
            f"event-time column {events[0].name} (rows committed late need a lag window)",
        )
    return None, (
        "no change-tracking column (UpdatedAt, ModifiedDate, CreatedAt, rowversion, ...): "
        "loaded whole every time"
    )


def derive_category(table: CatalogObject, context: _Context) -> tuple[Category, str]:
    """The category the heuristics choose for `table` and why (see the module doc)."""
    words = _words(table.name)
    history = sorted(set(words) & _HISTORY_WORDS)
    if history:
        return "history", f"history: the name contains {history[0]!r}"

    fk_columns = {column for fk in table.foreign_keys for column in fk.columns}
    if len(table.primary_key) >= 2 and set(table.primary_key) <= fk_columns:
        return "assignments", (
            f"assignments: the primary key is made of foreign keys ({', '.join(table.primary_key)})"
        )
    pair = context.joined_name(table)
    if pair is not None:
        return "assignments", f"assignments: the name joins the tables {pair[0]} and {pair[1]}"
    for index in table.indexes:
        if index.unique and not index.primary and len(index.columns) >= 2:
            if sum(column in fk_columns for column in index.columns) >= 2:
                return "assignments", (
                    f"assignments: a unique key over foreign keys ({', '.join(index.columns)})"
                )
    if len(words) >= 2 and words[-1] in _ASSIGNMENT_WORDS:
        return "assignments", f"assignments: the name ends with {words[-1]!r}"

    timestamps = [c for c in table.columns if _is_timestamp(c.data_type, context.dialect)]
    events = [c.name for c in timestamps if _normal(c.name) in _EVENT_TIME]
    if events:
        return "facts", f"facts: time-series column {events[0]}"
    kinds = {_normal(c.name) for c in timestamps}
    if kinds & _CREATED and not kinds & (_UPDATED | _DELETED) and table.foreign_keys:
        return "facts", "facts: append-only (created timestamp only) and refers to other tables"
    rows = table.row_count
    if rows is not None and rows >= FACT_MIN_ROWS:
        return "facts", f"facts: {rows:,} rows"
    if rows is not None and rows >= max(
        FACT_RELATIVE_MIN_ROWS, FACT_MEDIAN_FACTOR * context.median_rows
    ):
        return "facts", (
            f"facts: {rows:,} rows, over {FACT_MEDIAN_FACTOR}x the median table "
            f"({context.median_rows:,.0f} rows)"
        )
    return "dimensions", "dimensions: no history name, not a junction, not time-series or large"


class _Context:
    """What the category heuristics need to know about the other tables."""

    def __init__(self, tables: list[CatalogObject], dialect: str) -> None:
        self.names = {_singular(_normal(t.name)): t.name for t in tables}
        counts = [t.row_count for t in tables if t.row_count is not None]
        self.median_rows = statistics.median(counts) if counts else 0
        self.dialect = dialect

    def joined_name(self, table: CatalogObject) -> tuple[str, str] | None:
        """The two other tables whose names joined make this table's name."""
        name = _singular(_normal(table.name))
        for cut in range(1, len(name)):
            left, right = _singular(name[:cut]), _singular(name[cut:])
            if left in self.names and right in self.names and name not in (left, right):
                return self.names[left], self.names[right]
        return None


# ---------------------------------------------------------------------------------
# Overrides
# ---------------------------------------------------------------------------------


def _match_keys(
    keys: dict[str, TableOverride | None], tables: list[CatalogObject]
) -> dict[str, list[CatalogObject]]:
    """The tables each config key names: `table` or `schema.table`, exact first,
    then case-insensitively. A bare name matches that table in every schema."""
    matched: dict[str, list[CatalogObject]] = {}
    for key in keys:
        exact = [t for t in tables if key in (t.name, t.qualified_name)]
        if not exact:
            lower = key.lower()
            exact = [t for t in tables if lower in (t.name.lower(), t.qualified_name.lower())]
        matched[key] = exact
    return matched


def _overrides_for(
    table: CatalogObject,
    matches: dict[str, list[CatalogObject]],
    overrides: dict[str, TableOverride],
) -> list[tuple[str, TableOverride]]:
    """The config overrides naming `table`: bare names first, so that a
    `schema.table` key wins where both set the same field."""
    keys = [key for key, tables in matches.items() if any(t is table for t in tables)]
    keys.sort(key=lambda key: key.lower() == table.qualified_name.lower())
    return [(key, overrides[key]) for key in keys]


def _merged(applied: list[tuple[str, TableOverride]]) -> TableOverride:
    """One override from several keys naming the same table (a bare name, then
    `schema.table`): later keys win field by field."""
    merged: dict[str, object] = {}
    for _, override in applied:
        merged.update(override.model_dump(exclude_none=True))
    return TableOverride.model_validate(merged)


def _resolve_columns(
    table: CatalogObject, names: list[str], key: str, problems: list[str]
) -> list[str]:
    """The table's own spelling of each configured column name; a problem for each
    name the table does not have."""
    resolved: list[str] = []
    for name in names:
        column = next((c for c in table.columns if c.name == name), None) or next(
            (c for c in table.columns if c.name.lower() == name.lower()), None
        )
        if column is None:
            problems.append(
                f"{table.qualified_name}: {key} names column {name!r}, which the table "
                f"does not have; its columns are {', '.join(c.name for c in table.columns)}"
            )
        else:
            resolved.append(column.name)
    return resolved


def _watermark_from_columns(
    table: CatalogObject, dialect: str, names: list[str], key: str, problems: list[str]
) -> WatermarkSpec | None:
    count_before = len(problems)
    resolved = _resolve_columns(table, names, key, problems)
    if len(problems) > count_before:
        return None
    columns = [next(c for c in table.columns if c.name == name) for name in resolved]
    if len(columns) == 1 and _is_rowversion(columns[0].data_type, dialect):
        return WatermarkSpec(kind="column", columns=resolved, type="bigint", rowversion=True)
    if all(_is_timestamp(c.data_type, dialect) for c in columns):
        return _spec(columns, "timestamp")
    if all(_base_type(c.data_type) in _INTEGER_TYPES for c in columns):
        return _spec(columns, "bigint")
    problems.append(
        f"{table.qualified_name}: {key} must be timestamp/date columns or integer columns "
        f"of one kind; got {', '.join(f'{c.name} {c.data_type}' for c in columns)}"
    )
    return None


def _columns_of_expression(
    text: str, dialect: str, key: str, where: str, problems: list[str]
) -> list[str]:
    """The columns of a configured watermark expression: a column, or GREATEST over
    columns (optionally each in COALESCE(column, default)). Anything else is a
    problem: the expression is rebuilt from the columns, never pasted as SQL."""
    read = "tsql" if dialect in ("sqlserver", "scripts", "tsql") else "postgres"
    try:
        tree = sqlglot.parse_one(text, read=read)
    except sqlglot.errors.ParseError:
        tree = None
    arguments: list[exp.Expression] = []
    if isinstance(tree, exp.Column):
        arguments = [tree]
    elif isinstance(tree, exp.Greatest):
        arguments = [tree.this, *tree.expressions]
    columns: list[str] = []
    for argument in arguments:
        if isinstance(argument, exp.Coalesce):
            argument = argument.this
        if not isinstance(argument, exp.Column):
            columns = []
            break
        columns.append(argument.name)
    if not columns:
        problems.append(
            f"{where}: {key} {text!r} is not a column or GREATEST(column, ...); "
            "write e.g. GREATEST(CreatedAt, UpdatedAt, DeletedAt) or use watermark_column"
        )
    return columns


# ---------------------------------------------------------------------------------
# Names and types
# ---------------------------------------------------------------------------------


def _spec(columns: list[Column], type_: WatermarkType) -> WatermarkSpec:
    return WatermarkSpec(
        kind="column" if len(columns) == 1 else "greatest",
        columns=[c.name for c in columns],
        type=type_,
        nullable=all(c.nullable for c in columns),
    )


def _excluded(table: CatalogObject, reason: str) -> ExcludedTable:
    return ExcludedTable(schema_name=table.schema_name, name=table.name, reason=reason)


def _normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _singular(name: str) -> str:
    return name[:-1] if name.endswith("s") and not name.endswith("ss") else name


def _words(name: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(name)]


def _base_type(data_type: str) -> str:
    """`timestamp(3) with time zone` -> `timestamp`; `public.geometry(Point,4326)`
    -> `geometry`; `DATETIME2(7)` -> `datetime2`."""
    head = data_type.strip().lower().split("(", 1)[0].split()[0] if data_type.strip() else ""
    return head.rsplit(".", 1)[-1].strip('"[]')


def _is_timestamp(data_type: str, dialect: str) -> bool:
    base = _base_type(data_type)
    if dialect in ("sqlserver", "scripts", "tsql"):
        return base in _TIMESTAMP_TYPES_SQLSERVER
    return base in _TIMESTAMP_TYPES_POSTGRES


def _is_rowversion(data_type: str, dialect: str) -> bool:
    base = _base_type(data_type)
    return base == "rowversion" or (
        base == "timestamp" and dialect in ("sqlserver", "scripts", "tsql")
    )


def is_spatial_type(data_type: str) -> bool:
    """True for PostGIS and SQL Server geometry/geography types (read as WKT)."""
    return _base_type(data_type) in _SPATIAL_TYPES
