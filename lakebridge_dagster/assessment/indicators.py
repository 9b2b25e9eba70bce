"""What the assessment looks for, what each finding weighs, and what to do about it.

`INDICATORS` is the one table of weights: the score, the level, the manual-work
estimate and the suggested conversion of every object are computed from it and
from the few constants below, never from ifs scattered through the code. The
README's weights table is `weights_markdown()` of this table.

Scoring (per object):
    points(indicator) = weight * (1 + REPEAT_FACTOR * min(occurrences - 1, MAX_REPEATS))
    score = sum of points over the indicators found + code_lines // LINES_PER_SIZE_POINT
    level = the first row of LEVELS whose upper bound is above the score

Manual work (hours, per object; a source is the sum of its objects):
    hours = BASE_HOURS[object type]
          + sum over the indicators of hours(indicator) * the same repeat factor
          + SIZE_HOURS * (code_lines // LINES_PER_SIZE_POINT)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from lakebridge_dagster.catalog.model import ObjectType


class Indicator(StrEnum):
    CURSOR = "CURSOR"
    WHILE_LOOP = "WHILE_LOOP"
    DYNAMIC_SQL = "DYNAMIC_SQL"
    TRY_CATCH = "TRY_CATCH"
    TRANSACTION = "TRANSACTION"
    TEMP_TABLE = "TEMP_TABLE"
    TABLE_VARIABLE = "TABLE_VARIABLE"
    MERGE = "MERGE"
    PIVOT = "PIVOT"
    XML_JSON = "XML_JSON"
    SPATIAL = "SPATIAL"
    HIERARCHYID = "HIERARCHYID"
    TEMPORAL_TABLE = "TEMPORAL_TABLE"
    SEQUENCE = "SEQUENCE"
    IDENTITY = "IDENTITY"
    CLR = "CLR"
    LINKED_SERVER = "LINKED_SERVER"
    CROSS_DATABASE = "CROSS_DATABASE"
    TRIGGER = "TRIGGER"
    RECURSIVE_CTE = "RECURSIVE_CTE"
    UDF_CALL = "UDF_CALL"
    TIMESCALEDB = "TIMESCALEDB"
    LISTEN_NOTIFY = "LISTEN_NOTIFY"
    REFCURSOR = "REFCURSOR"
    ANALYSIS_ERROR = "ANALYSIS_ERROR"


class Level(StrEnum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    VERY_HIGH = "VERY_HIGH"


@dataclass(frozen=True)
class IndicatorRule:
    weight: int  # score points for the first occurrence
    hours: float  # manual work for the first occurrence
    detects: str  # what counts as an occurrence
    strategy: str  # the conversion to Databricks


INDICATORS: dict[Indicator, IndicatorRule] = {
    Indicator.CURSOR: IndicatorRule(
        8,
        4.0,
        "T-SQL `DECLARE c CURSOR`, cursor variables; PL/pgSQL `CURSOR FOR`, `OPEN c FOR`, "
        "`FOR r IN query LOOP` (an implicit cursor)",
        "Rewrite set-based: window functions, MERGE or one DataFrame transformation "
        "instead of a row-by-row loop",
    ),
    Indicator.WHILE_LOOP: IndicatorRule(
        4,
        2.0,
        "T-SQL `WHILE`; PL/pgSQL `LOOP`, `WHILE ... LOOP`, `FOR ... LOOP`",
        "Rewrite set-based (sequence/explode, recursive CTE); keep genuine control flow "
        "in a notebook or a Databricks job loop",
    ),
    Indicator.DYNAMIC_SQL: IndicatorRule(
        8,
        4.0,
        "`EXEC (...)`, `EXEC @proc`, `sp_executesql`; PL/pgSQL `EXECUTE`",
        "EXECUTE IMMEDIATE with parameter markers, or a parameterised spark.sql() in a "
        "notebook; check identifiers against an allow-list",
    ),
    Indicator.TRY_CATCH: IndicatorRule(
        3,
        1.0,
        "`BEGIN TRY ... BEGIN CATCH`; PL/pgSQL `EXCEPTION WHEN`",
        "SQL scripting exception handlers (BEGIN ... EXCEPTION) or try/except in a notebook; "
        "job retries for transient errors",
    ),
    Indicator.TRANSACTION: IndicatorRule(
        3,
        1.5,
        "`BEGIN TRAN`, `COMMIT`, `ROLLBACK`, `SAVE TRAN`; PL/pgSQL `COMMIT`, `ROLLBACK`, "
        "`SAVEPOINT`",
        "Each Delta write is atomic per table: fold the unit into one MERGE / INSERT OVERWRITE "
        "or make every step idempotent and re-runnable",
    ),
    Indicator.TEMP_TABLE: IndicatorRule(
        3,
        1.0,
        "`#t`, `##t` (once per table); `CREATE TEMP TABLE`, `SELECT ... INTO TEMP`",
        "Temporary view or CTE; a Delta table in a scratch schema when several steps share it",
    ),
    Indicator.TABLE_VARIABLE: IndicatorRule(
        2,
        0.5,
        "`DECLARE @t TABLE`, `RETURNS @t TABLE`",
        "CTE or temporary view",
    ),
    Indicator.MERGE: IndicatorRule(
        3,
        1.0,
        "`MERGE [INTO] target ... USING`",
        "Delta MERGE INTO; check WHEN NOT MATCHED BY SOURCE and OUTPUT clauses by hand",
    ),
    Indicator.PIVOT: IndicatorRule(
        3,
        1.0,
        "`PIVOT (...)`, `UNPIVOT (...)`; `crosstab()`",
        "Databricks PIVOT / UNPIVOT with a static column list; a dynamic column list becomes "
        "a notebook step",
    ),
    Indicator.XML_JSON: IndicatorRule(
        4,
        2.0,
        "`FOR XML`, `FOR JSON`, `OPENJSON`, `OPENXML`, `JSON_*()`, `.value()/.nodes()/"
        ".query()/.exist()/.modify()`, xml types; PostgreSQL json/jsonb/xml types, "
        "functions and `-> ->> #> #>>`",
        "JSON: VARIANT, from_json, get_json_object, `:` paths, to_json; "
        "XML: from_xml, xpath functions, to_xml",
    ),
    Indicator.SPATIAL: IndicatorRule(
        5,
        3.0,
        "geography/geometry types, `geography::Point()`, `.STxxx()` methods, spatial indexes; "
        "PostGIS types and `ST_*()` functions",
        "Databricks ST_ spatial functions or H3 indexes; store shapes as WKT/WKB",
    ),
    Indicator.HIERARCHYID: IndicatorRule(
        5,
        3.0,
        "hierarchyid type and methods (`GetAncestor()`, `IsDescendantOf()`, ...); PostgreSQL ltree",
        "Materialised path string or parent/child columns queried with recursive CTEs",
    ),
    Indicator.TEMPORAL_TABLE: IndicatorRule(
        5,
        2.0,
        "`SYSTEM_VERSIONING`, `PERIOD FOR SYSTEM_TIME`, `FOR SYSTEM_TIME AS OF`",
        "Delta time travel (TIMESTAMP/VERSION AS OF) and Change Data Feed, or an SCD2 "
        "history table",
    ),
    Indicator.SEQUENCE: IndicatorRule(
        1,
        0.25,
        "`CREATE SEQUENCE`, `NEXT VALUE FOR`; `nextval()`/`currval()`/`setval()`, serial "
        "types and nextval defaults",
        "Identity column (GENERATED AS IDENTITY) or a key table; Delta values are unique, "
        "not gap-free",
    ),
    Indicator.IDENTITY: IndicatorRule(
        1,
        0.25,
        "IDENTITY columns, `IDENTITY()`, `SCOPE_IDENTITY()`, `@@IDENTITY`, "
        "`IDENT_CURRENT()`, `IDENTITY_INSERT`; `GENERATED ... AS IDENTITY`",
        "Delta identity column (GENERATED BY DEFAULT AS IDENTITY); replace SCOPE_IDENTITY() "
        "with a natural key or the MERGE output",
    ),
    Indicator.CLR: IndicatorRule(
        20,
        16.0,
        "`EXTERNAL NAME`, `CREATE ASSEMBLY`; PostgreSQL routines in C, PL/Python, PL/Perl, ...",
        "Rewrite the external code as a Python UDF or a notebook; its source is not in the "
        "database",
    ),
    Indicator.LINKED_SERVER: IndicatorRule(
        10,
        6.0,
        "4-part names, `OPENQUERY`, `OPENROWSET`, `OPENDATASOURCE`, `EXEC (...) AT`; `dblink*()`",
        "Lakehouse Federation (a foreign catalog), or ingest the remote source as its own "
        "bronze tables",
    ),
    Indicator.CROSS_DATABASE: IndicatorRule(
        5,
        2.0,
        "3-part names (`db.schema.object`, `db..object`) of another database",
        "Unity Catalog three-level names (catalog.schema.table): migrate or federate the "
        "other database",
    ),
    Indicator.TRIGGER: IndicatorRule(
        6,
        4.0,
        "`CREATE TRIGGER`; PostgreSQL trigger functions (`RETURNS trigger`)",
        "Delta has no triggers: move the logic into the step that writes the table, or read "
        "the Change Data Feed in a streaming job",
    ),
    Indicator.RECURSIVE_CTE: IndicatorRule(
        2,
        1.0,
        "a CTE that reads itself",
        "Databricks recursive CTE (WITH RECURSIVE), or an iterative notebook loop with a "
        "depth limit",
    ),
    Indicator.UDF_CALL: IndicatorRule(
        2,
        0.5,
        "a call to one of the source's own functions",
        "Databricks SQL function (CREATE FUNCTION) or Python UDF; migrate the called "
        "function in an earlier wave",
    ),
    Indicator.TIMESCALEDB: IndicatorRule(
        4,
        2.0,
        "`time_bucket()`, `create_hypertable()`, policies and chunk functions, "
        "`timescaledb.*` options",
        "date_trunc / window() for time_bucket; hypertables become Delta tables clustered by "
        "time; continuous aggregates become materialized views",
    ),
    Indicator.LISTEN_NOTIFY: IndicatorRule(
        6,
        3.0,
        "`LISTEN`, `NOTIFY`, `UNLISTEN`, `pg_notify()`",
        "Delta Change Data Feed with a streaming consumer, or a Dagster sensor; there are no "
        "push notifications",
    ),
    Indicator.REFCURSOR: IndicatorRule(
        6,
        3.0,
        "the refcursor type (parameters, variables, return types)",
        "Return a result set (a table function or a view) instead of a cursor handle",
    ),
    Indicator.ANALYSIS_ERROR: IndicatorRule(
        10,
        4.0,
        "the analyser failed on the object (the error message is the finding's snippet)",
        "Review the object by hand and report the analyser error",
    ),
}

# Each further occurrence of an indicator adds this fraction of its weight and
# hours, for at most MAX_REPEATS further occurrences.
REPEAT_FACTOR = 0.25
MAX_REPEATS = 4

# Size: one point and SIZE_HOURS of work per LINES_PER_SIZE_POINT lines of code
# (lines holding at least one token: comments and blank lines do not count).
LINES_PER_SIZE_POINT = 50
SIZE_HOURS = 0.25

# (level, upper bound of its score, exclusive); the last bound is open.
LEVELS: list[tuple[Level, float]] = [
    (Level.LOW, 5),
    (Level.MEDIUM, 15),
    (Level.HIGH, 30),
    (Level.VERY_HIGH, float("inf")),
]

BASE_HOURS: dict[ObjectType, float] = {
    ObjectType.TABLE: 0.25,
    ObjectType.VIEW: 0.5,
    ObjectType.FUNCTION: 1.0,
    ObjectType.PROCEDURE: 1.5,
    ObjectType.TRIGGER: 1.0,
    ObjectType.SEQUENCE: 0.1,
}


def weights_markdown() -> str:
    """The weights table as Markdown (the README section is this text)."""
    lines = [
        "| indicator | weight | hours | detected from | conversion strategy |",
        "|---|---:|---:|---|---|",
    ]
    for indicator, rule in INDICATORS.items():
        lines.append(
            f"| `{indicator.value}` | {rule.weight} | {rule.hours:g} | {rule.detects} "
            f"| {rule.strategy} |"
        )
    return "\n".join(lines)
