"""Seed the embedded demo PostgreSQL (source `demo_timescale`) once.

A construction-workforce application database in the spirit of the seed's
TimescaleDB source, built by `postgres_schema.sql` (DDL) and
`postgres_data.sql` (set-based, deterministic data: every value is a function
of a `generate_series` number; no `random()`). PostgreSQL 16 without
extensions: PostGIS geometry is emulated with the built-in `polygon`/`point`
types, TimescaleDB hypertables with plain tables and `time_bucket_demo`.

Inventory (all in schema `public`, mixed-case quoted names; the tests check it):

Tables: 21 (every one has a primary key except "AuditTrail")
  dimensions (10), PK ("Id"):
    "CompanyType", "Company", "Activity" (self-referencing FK), "Project",
    "Site" ("Location" point), "Zone" ("Coordinates" polygon: the geometry
    column), "Worker" (identity "Id", generated column "Name", bytea, text[]),
    "Crew", "Device" (serial "Id", inet), "Equipment"
  assignments (5):
    "CrewWorker"         PK ("CrewId", "WorkerId"), the composite key, in that order
    "WorkerProject"      PK ("Id") identity
    "ZoneActivity"       PK ("Id") identity
    "DeviceAssignment"   PK ("Id"); "TicketNumber" defaults to nextval("TicketNumberSeq")
    "Crew Shift"         PK ("Id") serial; the one name with a space
  facts (3):
    "DeviceLocation"     PK ("Id") bigserial; exactly fact_rows rows
    "EquipmentTelemetry" PK ("Id") identity; exactly fact_rows rows; append-only,
                         "CreatedAt" is its only timestamp
    "Attendance"         PK ("Id") identity; 19,222 rows whatever fact_rows is
  history (3):
    "WorkerHistory"      PK ("Id") identity; written by the "Worker" trigger
    "ZoneHistory"        PK ("Id") identity; outline versions (ValidFrom/ValidTo)
    "AuditTrail"         NO primary key and no unique index; 10 exact duplicate rows
Foreign keys: 27 (all hold in the data). Indexes: 43 (20 primary keys, 13 other
  unique, 10 non-unique; one expression index, one partial unique index)
Views: 4
  "vw_ActiveWorkersPerProject"  joins and COUNT(DISTINCT)
  "vw_ZoneOccupancy"            window functions (LAG, RANK, running SUM)
  "vw_AttendanceByWeekday"      crosstab-like pivot with FILTER and CASE
  "vw_EquipmentDailyTelemetry"  continuous-aggregate look-alike on time_bucket_demo
Functions: 6 (4 callable + 2 trigger functions, RETURNS trigger)
  time_bucket_demo           sql      TimescaleDB time_bucket emulated with date_bin
  fn_attendance_pivot        sql      crosstab-like pivot, RETURNS TABLE
  fn_count_rows_since        plpgsql  EXECUTE format('%I') ... USING (dynamic SQL)
  fn_open_worker_locations   plpgsql  RETURNS refcursor
  trg_worker_set_updated_at  plpgsql  trigger function
  trg_worker_history         plpgsql  trigger function
Procedures: 3 (plpgsql, INOUT result parameter)
  sp_recalculate_attendance_hours  explicit cursor OPEN/FETCH/LOOP/CLOSE, WHERE CURRENT OF
  sp_merge_zone_activity           MERGE, then pg_notify('zone_activity_changed')
  sp_build_crew_utilisation        CREATE TEMP TABLE ... ON COMMIT DROP
Triggers: 2, on "Worker"
  "trg_Worker_SetUpdatedAt"  BEFORE UPDATE: "UpdatedAt" = now()
  "trg_Worker_History"       AFTER INSERT OR UPDATE OR DELETE: a "WorkerHistory" row
Sequences: 11 (pg_class relkind 'S')
  1 explicit:  "TicketNumberSeq"
  7 identity:  "Worker", "WorkerProject", "ZoneActivity", "Attendance",
               "EquipmentTelemetry", "WorkerHistory", "ZoneHistory"
  3 serial:    "Device" (serial), "Crew Shift" (serial), "DeviceLocation" (bigserial)

Timing (2-core machine): fact_rows=200_000 seeds in about 4 s.

Bookkeeping lives in its own schema `_lakebridge_demo` (not part of the demo
catalog): `_lakebridge_demo.seed_info` records the seeded SEED_VERSION and
fact_rows.
"""

from __future__ import annotations

import re
import time
from importlib import resources
from typing import Any

import psycopg
from psycopg import sql

SEED_VERSION: int = 1
DEMO_SCHEMA = "public"

MARKER_SCHEMA = "_lakebridge_demo"
# The pg_advisory_xact_lock key: fixed and arbitrary, the same in every process.
ADVISORY_LOCK_KEY = 7_245_083_145_281
STATEMENT_MARKER = "-- statement"
POST_DATA_MARKER = "-- post-data"

_MARKER_LINE = re.compile(rf"^{re.escape(STATEMENT_MARKER)}[ \t]*$", re.MULTILINE)
_POST_DATA_LINE = re.compile(rf"^{re.escape(POST_DATA_MARKER)}[ \t]*$", re.MULTILINE)


def _read_sql(name: str) -> str:
    return resources.files("lakebridge_dagster.demo").joinpath(name).read_text(encoding="utf-8")


def schema_sql() -> tuple[str, str]:
    """The DDL script as (pre-data, post-data): two multi-statement strings without
    parameters, split at the `-- post-data` line."""
    parts = _POST_DATA_LINE.split(_read_sql("postgres_schema.sql"))
    if len(parts) != 2:
        raise RuntimeError(f"postgres_schema.sql needs exactly one {POST_DATA_MARKER!r} line")
    return parts[0], parts[1]


def data_statements() -> list[str]:
    """The data script split at its marker lines, comment-only chunks dropped."""
    chunks = _MARKER_LINE.split(_read_sql("postgres_data.sql"))
    statements = []
    for chunk in chunks:
        code = "\n".join(
            line for line in chunk.splitlines() if not line.lstrip().startswith("--")
        ).strip()
        if code:
            statements.append(chunk.strip())
    return statements


def seed_demo(conn: psycopg.Connection[Any], fact_rows: int = 200_000) -> bool:
    """Create the demo schema and data once; True if it seeded, False if it was
    already seeded with this SEED_VERSION and fact_rows (then nothing changes).

    Everything happens in one transaction under a transaction-level advisory
    lock: two processes never seed at once (the second waits, then finds the
    marker and returns False), and a failure anywhere rolls back to the previous
    state. If the caller already has a transaction open, the seed runs in a
    savepoint of it and is committed with it; its SET LOCAL settings
    (search_path, TimeZone, ...) then also last until that commit.
    """
    if isinstance(fact_rows, bool) or not isinstance(fact_rows, int) or fact_rows < 1:
        raise ValueError(f"fact_rows must be a positive integer, got {fact_rows!r}")
    marker_schema = sql.Identifier(MARKER_SCHEMA)
    marker = sql.Identifier(MARKER_SCHEMA, "seed_info")
    with conn.transaction():
        # First, before anything else: creating the marker schema races otherwise.
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(marker_schema))
        conn.execute(
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} ("
                " id smallint PRIMARY KEY CHECK (id = 1),"
                " seed_version integer NOT NULL,"
                " fact_rows bigint NOT NULL,"
                " seeded_at timestamptz NOT NULL,"
                " seconds double precision NOT NULL)"
            ).format(marker)
        )
        done = conn.execute(
            sql.SQL(
                "SELECT seed_version = %s AND fact_rows = %s AND to_regclass(%s) IS NOT NULL"
                " FROM {} WHERE id = 1"
            ).format(marker),
            [SEED_VERSION, fact_rows, f'{DEMO_SCHEMA}."DeviceLocation"'],
        ).fetchone()
        if done is not None and done[0]:
            return False

        started = time.perf_counter()
        # SET LOCAL: for this transaction only.
        conn.execute(sql.SQL("SET LOCAL search_path = {}").format(sql.Identifier(DEMO_SCHEMA)))
        conn.execute("SET LOCAL TimeZone = 'UTC'")
        conn.execute("SET LOCAL client_min_messages = warning")
        conn.execute("SET LOCAL work_mem = '64MB'")
        conn.execute("SET LOCAL maintenance_work_mem = '128MB'")
        pre_data, post_data = schema_sql()
        conn.execute(pre_data)
        params = {"fact_rows": fact_rows}
        for statement in data_statements():
            conn.execute(statement, params)
        conn.execute(post_data)
        conn.execute(
            sql.SQL(
                "INSERT INTO {} (id, seed_version, fact_rows, seeded_at, seconds)"
                " VALUES (1, %s, %s, now(), %s)"
                " ON CONFLICT (id) DO UPDATE SET seed_version = EXCLUDED.seed_version,"
                " fact_rows = EXCLUDED.fact_rows, seeded_at = EXCLUDED.seeded_at,"
                " seconds = EXCLUDED.seconds"
            ).format(marker),
            [SEED_VERSION, fact_rows, time.perf_counter() - started],
        )
    return True
