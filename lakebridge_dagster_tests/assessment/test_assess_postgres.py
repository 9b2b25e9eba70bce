"""The assessment of the demo PostgreSQL schema, extracted from the real embedded server.

Checks the analyser on what `pg_get_functiondef`, `pg_get_viewdef` and
`pg_get_triggerdef` really return: dollar-quoted PL/pgSQL bodies, views and
triggers, live tables known only from their columns.
"""

from __future__ import annotations

import psycopg
import pytest

from lakebridge_dagster.assessment import ComplexityReport, Level, assess_catalog
from lakebridge_dagster.catalog.postgres import extract_postgres_catalog
from lakebridge_dagster.demo.seed import schema_sql

# The demo schema's routines, triggers and views, and what they use.
EXPECTED = {
    "fn_attendance_pivot": set(),  # FILTER aggregates, LANGUAGE sql: nothing to flag
    "fn_count_rows_since": {"DYNAMIC_SQL"},
    "fn_open_worker_locations": {"CURSOR", "REFCURSOR"},
    "time_bucket_demo": set(),  # a user function, not TimescaleDB's time_bucket
    "trg_worker_history": {"TRIGGER", "XML_JSON"},
    "trg_worker_set_updated_at": {"TRIGGER"},
    "sp_build_crew_utilisation": {"TEMP_TABLE"},
    "sp_merge_zone_activity": {"MERGE", "LISTEN_NOTIFY", "XML_JSON"},
    "sp_recalculate_attendance_hours": {"CURSOR", "WHILE_LOOP"},
    "trg_Worker_History": {"TRIGGER"},
    "trg_Worker_SetUpdatedAt": {"TRIGGER"},
    "vw_ActiveWorkersPerProject": set(),
    "vw_AttendanceByWeekday": set(),
    "vw_EquipmentDailyTelemetry": {"UDF_CALL"},
    "vw_ZoneOccupancy": set(),
}


@pytest.fixture()
def demo_report(fresh_database: str) -> ComplexityReport:
    pre_data, post_data = schema_sql()
    with psycopg.connect(fresh_database, autocommit=True) as conn:
        conn.execute(pre_data)
        conn.execute(post_data)
    return assess_catalog(extract_postgres_catalog("demo_timescale", fresh_database, ["public"]))


def test_demo_schema_indicators(demo_report: ComplexityReport) -> None:
    found = {
        obj.name: set(obj.indicator_counts()) for obj in demo_report.objects if obj.name in EXPECTED
    }
    assert found == EXPECTED
    assert demo_report.summary.analysis_errors == 0


def test_plpgsql_evidence_points_into_the_body(demo_report: ComplexityReport) -> None:
    merge = next(obj for obj in demo_report.objects if obj.name == "sp_merge_zone_activity")
    evidence = {f.name.value: (f.line, f.snippet) for f in merge.indicators}
    assert evidence["MERGE"][1].startswith('MERGE INTO "ZoneActivity"')
    assert evidence["LISTEN_NOTIFY"][1].startswith("PERFORM pg_notify(")
    assert evidence["MERGE"][0] < evidence["LISTEN_NOTIFY"][0]
    assert merge.writes == ["public.ZoneActivity"]
    assert merge.level is Level.MEDIUM


def test_live_tables_sequences_triggers_and_waves(demo_report: ComplexityReport) -> None:
    by_name = {obj.name: obj for obj in demo_report.objects}
    history = by_name["WorkerHistory"]
    assert history.analysis == "metadata"
    assert set(history.indicator_counts()) == {"IDENTITY", "XML_JSON"}  # jsonb columns
    assert all(
        obj.indicator_counts() == {"SEQUENCE": 1}
        for obj in demo_report.objects
        if obj.type.value == "SEQUENCE"
    )
    trigger = by_name["trg_Worker_History"]
    assert trigger.depends_on == ["public.Worker", "public.trg_worker_history"]
    assert trigger.wave > by_name["Worker"].wave
    assert trigger.wave > by_name["trg_worker_history"].wave
    for obj in demo_report.objects:
        for dependency in obj.depends_on:
            assert (
                obj.wave
                > next(o for o in demo_report.objects if o.qualified_name == dependency).wave
            )
