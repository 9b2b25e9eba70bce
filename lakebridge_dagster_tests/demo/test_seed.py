"""The demo seed against the real embedded PostgreSQL (the session pgserver)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pgserver
import psycopg
import pytest
from psycopg import sql

from lakebridge_dagster.demo import seed
from lakebridge_dagster.demo.seed import DEMO_SCHEMA, SEED_VERSION, seed_demo

FACT_ROWS = 5_000

# The inventory the seed.py docstring promises.
TABLES = {
    # dimensions
    "CompanyType",
    "Company",
    "Activity",
    "Project",
    "Site",
    "Zone",
    "Worker",
    "Crew",
    "Device",
    "Equipment",
    # assignments
    "CrewWorker",
    "WorkerProject",
    "ZoneActivity",
    "DeviceAssignment",
    "Crew Shift",
    # facts
    "DeviceLocation",
    "EquipmentTelemetry",
    "Attendance",
    # history
    "WorkerHistory",
    "ZoneHistory",
    "AuditTrail",
}
VIEWS = {
    "vw_ActiveWorkersPerProject",
    "vw_ZoneOccupancy",
    "vw_AttendanceByWeekday",
    "vw_EquipmentDailyTelemetry",
}
FUNCTIONS = {
    "time_bucket_demo",
    "fn_attendance_pivot",
    "fn_count_rows_since",
    "fn_open_worker_locations",
    "trg_worker_set_updated_at",
    "trg_worker_history",
}
TRIGGER_FUNCTIONS = {"trg_worker_set_updated_at", "trg_worker_history"}
PROCEDURES = {
    "sp_recalculate_attendance_hours",
    "sp_merge_zone_activity",
    "sp_build_crew_utilisation",
}
TRIGGERS = {("Worker", "trg_Worker_SetUpdatedAt"), ("Worker", "trg_Worker_History")}
SEQUENCES = {
    "TicketNumberSeq",  # the explicit one
    # identity columns
    "Worker_Id_seq",
    "WorkerProject_Id_seq",
    "ZoneActivity_Id_seq",
    "Attendance_Id_seq",
    "EquipmentTelemetry_Id_seq",
    "WorkerHistory_Id_seq",
    "ZoneHistory_Id_seq",
    # serial / bigserial columns
    "Device_Id_seq",
    "Crew Shift_Id_seq",
    "DeviceLocation_Id_seq",
}
FOREIGN_KEY_COUNT = 27


def _new_database(server: pgserver.PostgresServer, prefix: str) -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return server.get_uri(name)


def _seed(url: str, fact_rows: int) -> bool:
    with psycopg.connect(url) as conn:
        return seed_demo(conn, fact_rows=fact_rows)


def _scalar(url: str, query: str | sql.Composed, params: Any = None) -> Any:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(query, params).fetchone()
        assert row is not None
        return row[0]


def _table_md5(url: str, table: str) -> str:
    query = sql.SQL("SELECT md5(string_agg(t::text, E'\\n' ORDER BY t.{id})) FROM {table} AS t")
    return _scalar(url, query.format(id=sql.Identifier("Id"), table=sql.Identifier(table)))


@pytest.fixture(scope="module")
def demo_url(pg_server: pgserver.PostgresServer) -> str:
    """A database of this module's own, seeded once with FACT_ROWS."""
    url = _new_database(pg_server, "demo")
    assert _seed(url, FACT_ROWS) is True
    return url


@pytest.fixture()
def conn(demo_url: str) -> Any:
    """A connection whose changes are rolled back: tests leave the seeded data as it was."""
    with psycopg.connect(demo_url) as connection:
        connection.execute("SET TimeZone = 'UTC'")
        yield connection
        connection.rollback()


def test_seeds_once_then_reports_already_seeded(demo_url: str) -> None:
    assert _seed(demo_url, FACT_ROWS) is False
    with psycopg.connect(demo_url) as conn:
        row = conn.execute(
            "SELECT seed_version, fact_rows FROM _lakebridge_demo.seed_info"
        ).fetchall()
    assert row == [(SEED_VERSION, FACT_ROWS)]


def test_fact_tables_have_exactly_fact_rows(conn: psycopg.Connection[Any]) -> None:
    for table in ("DeviceLocation", "EquipmentTelemetry"):
        count = conn.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
        ).fetchone()
        assert count == (FACT_ROWS,), table
    attendance = conn.execute('SELECT count(*) FROM "Attendance"').fetchone()
    assert attendance is not None and 0 < attendance[0]


def test_inventory_matches_the_docstring(conn: psycopg.Connection[Any]) -> None:
    def names(query: str, params: Any = (DEMO_SCHEMA,)) -> set[Any]:
        rows = conn.execute(query, params).fetchall()
        return {row[0] if len(row) == 1 else tuple(row) for row in rows}

    assert (
        names(
            "SELECT relname FROM pg_class WHERE relnamespace = %s::regnamespace AND relkind = 'r'"
        )
        == TABLES
    )
    assert (
        names(
            "SELECT relname FROM pg_class WHERE relnamespace = %s::regnamespace AND relkind = 'v'"
        )
        == VIEWS
    )
    assert (
        names("SELECT proname FROM pg_proc WHERE pronamespace = %s::regnamespace AND prokind = 'f'")
        == FUNCTIONS
    )
    assert (
        names("SELECT proname FROM pg_proc WHERE pronamespace = %s::regnamespace AND prokind = 'p'")
        == PROCEDURES
    )
    assert (
        names(
            "SELECT proname FROM pg_proc WHERE pronamespace = %s::regnamespace"
            " AND prorettype = 'trigger'::regtype"
        )
        == TRIGGER_FUNCTIONS
    )
    assert (
        names(
            "SELECT c.relname, t.tgname FROM pg_trigger AS t"
            " JOIN pg_class AS c ON c.oid = t.tgrelid"
            " WHERE c.relnamespace = %s::regnamespace AND NOT t.tgisinternal"
        )
        == TRIGGERS
    )
    assert (
        names(
            "SELECT relname FROM pg_class WHERE relnamespace = %s::regnamespace AND relkind = 'S'"
        )
        == SEQUENCES
    )
    # The doc counts, spelled out.
    assert (
        len(TABLES),
        len(VIEWS),
        len(FUNCTIONS),
        len(PROCEDURES),
        len(TRIGGERS),
        len(SEQUENCES),
    ) == (21, 4, 6, 3, 2, 11)
    assert seed.__doc__ is not None
    for line in (
        "Tables: 21",
        "Views: 4",
        "Functions: 6",
        "Procedures: 3",
        "Triggers: 2",
        "Sequences: 11",
        "Foreign keys: 27",
    ):
        assert line in seed.__doc__, line
    # The bookkeeping schema holds the marker only.
    assert names(
        "SELECT relname FROM pg_class WHERE relnamespace = '_lakebridge_demo'::regnamespace"
        " AND relkind IN ('r', 'v', 'S')",
        None,
    ) == {"seed_info"}


def test_every_foreign_key_holds(conn: psycopg.Connection[Any]) -> None:
    fks = conn.execute(
        """
        SELECT con.conname, ch.relname, pa.relname,
               ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY AS k(n, i)
                     JOIN pg_attribute AS a ON a.attrelid = con.conrelid AND a.attnum = k.n
                     ORDER BY k.i),
               ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY AS k(n, i)
                     JOIN pg_attribute AS a ON a.attrelid = con.confrelid AND a.attnum = k.n
                     ORDER BY k.i),
               con.convalidated
        FROM pg_constraint AS con
        JOIN pg_class AS ch ON ch.oid = con.conrelid
        JOIN pg_class AS pa ON pa.oid = con.confrelid
        WHERE con.contype = 'f' AND con.connamespace = %s::regnamespace
        ORDER BY con.conname
        """,
        [DEMO_SCHEMA],
    ).fetchall()
    assert len(fks) == FOREIGN_KEY_COUNT
    indexes = conn.execute(
        "SELECT count(*), count(*) FILTER (WHERE i.indisprimary),"
        " count(*) FILTER (WHERE i.indisunique AND NOT i.indisprimary)"
        " FROM pg_index AS i JOIN pg_class AS t ON t.oid = i.indrelid"
        " WHERE t.relnamespace = %s::regnamespace",
        [DEMO_SCHEMA],
    ).fetchone()
    assert indexes == (43, 20, 13)
    checked_rows = 0
    for name, child, parent, child_cols, parent_cols, validated in fks:
        assert validated, name
        join = sql.SQL(" AND ").join(
            sql.SQL("p.{} = c.{}").format(sql.Identifier(p), sql.Identifier(c))
            for c, p in zip(child_cols, parent_cols, strict=True)
        )
        not_null = sql.SQL(" AND ").join(
            sql.SQL("c.{} IS NOT NULL").format(sql.Identifier(c)) for c in child_cols
        )
        query = sql.SQL(
            "SELECT count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM {parent} AS p WHERE {join})),"
            " count(*) FROM {child} AS c WHERE {not_null}"
        ).format(
            parent=sql.Identifier(parent),
            child=sql.Identifier(child),
            join=join,
            not_null=not_null,
        )
        row = conn.execute(query).fetchone()
        assert row is not None
        orphans, referencing = row
        assert orphans == 0, f"{name}: {orphans} orphan rows in {child}"
        assert referencing > 0, f"{name}: no rows use it, so it proves nothing"
        checked_rows += referencing
    assert checked_rows > 2 * FACT_ROWS


def test_audit_trail_is_the_only_table_without_primary_key(conn: psycopg.Connection[Any]) -> None:
    without_pk = conn.execute(
        """
        SELECT c.relname FROM pg_class AS c
        WHERE c.relnamespace = %s::regnamespace AND c.relkind = 'r'
          AND NOT EXISTS (SELECT 1 FROM pg_index AS i WHERE i.indrelid = c.oid AND i.indisprimary)
        """,
        [DEMO_SCHEMA],
    ).fetchall()
    assert without_pk == [("AuditTrail",)]
    unique_indexes = conn.execute(
        """SELECT count(*) FROM pg_index WHERE indrelid = '"AuditTrail"'::regclass
           AND (indisprimary OR indisunique)"""
    ).fetchone()
    assert unique_indexes == (0,)
    duplicates = conn.execute(
        'SELECT count(*) - count(DISTINCT t) FROM "AuditTrail" AS t'
    ).fetchone()
    assert duplicates == (10,)


def test_crew_worker_primary_key_is_crew_then_worker(conn: psycopg.Connection[Any]) -> None:
    columns = conn.execute(
        """
        SELECT array_agg(a.attname ORDER BY k.i)
        FROM pg_index AS ix
        CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(n, i)
        JOIN pg_attribute AS a ON a.attrelid = ix.indrelid AND a.attnum = k.n
        WHERE ix.indrelid = '"CrewWorker"'::regclass AND ix.indisprimary
        """
    ).fetchone()
    assert columns == (["CrewId", "WorkerId"],)


def test_exactly_one_table_name_needs_quoting_beyond_case(conn: psycopg.Connection[Any]) -> None:
    rows = conn.execute(
        "SELECT relname FROM pg_class WHERE relnamespace = %s::regnamespace"
        " AND relkind = 'r' AND lower(relname) !~ '^[a-z_][a-z0-9_]*$'",
        [DEMO_SCHEMA],
    ).fetchall()
    assert rows == [("Crew Shift",)]


def test_column_types_nulls_and_geometry(conn: psycopg.Connection[Any]) -> None:
    types = {
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT format_type(a.atttypid, a.atttypmod) FROM pg_attribute AS a"
            " JOIN pg_class AS c ON c.oid = a.attrelid"
            " WHERE c.relnamespace = %s::regnamespace AND c.relkind = 'r' AND a.attnum > 0",
            [DEMO_SCHEMA],
        )
    }
    assert {
        "numeric(12,2)",
        "uuid",
        "jsonb",
        "text[]",
        "bytea",
        "boolean",
        "date",
        "interval",
        "inet",
        "polygon",
        "point",
        "timestamp with time zone",
        "double precision",
        "bigint",
    } <= types
    zone = conn.execute('SELECT "Coordinates"::text FROM "Zone" WHERE "Id" = 1').fetchone()
    assert zone is not None and zone[0].startswith("((")
    nulls = conn.execute(
        'SELECT count(*) FILTER (WHERE "UpdatedAt" IS NULL),'
        ' count(*) FILTER (WHERE "DeletedAt" IS NOT NULL), count(*) FROM "Worker"'
    ).fetchone()
    assert nulls is not None and 0 < nulls[0] < nulls[2] and 0 < nulls[1] < nulls[2]
    identity = conn.execute(
        "SELECT count(*) FROM pg_attribute WHERE attrelid = '\"Worker\"'::regclass"
        " AND attname = 'Id' AND attidentity = 'd'"
    ).fetchone()
    assert identity == (1,)
    # Sequences continue after the seeded ids.
    next_worker = conn.execute(
        "SELECT nextval(pg_get_serial_sequence('\"Worker\"', 'Id'))"
    ).fetchone()
    assert next_worker == (3001,)


def test_views_return_rows(conn: psycopg.Connection[Any]) -> None:
    for view in sorted(VIEWS):
        count = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(view)))
        row = count.fetchone()
        assert row is not None and row[0] > 0, view


def test_every_function_and_procedure_runs(conn: psycopg.Connection[Any]) -> None:
    called: set[str] = set()

    def call(name: str, query: str, params: Any = None) -> list[tuple[Any, ...]]:
        called.add(name)
        return conn.execute(query, params).fetchall()

    assert call(
        "time_bucket_demo", "SELECT time_bucket_demo('1 week', '2024-03-07 10:07+00')::text"
    ) == [("2024-03-04 00:00:00+00",)]
    pivot = call(
        "fn_attendance_pivot", "SELECT * FROM fn_attendance_pivot('2024-03-04', '2024-03-17')"
    )
    assert pivot and all(row[8] == sum(row[1:8]) for row in pivot)
    since = call(
        "fn_count_rows_since",
        "SELECT fn_count_rows_since(%s, %s, %s::timestamptz)",
        ["Crew Shift", "CreatedAt", "2024-03-01"],
    )
    assert since[0][0] > 0
    with pytest.raises(psycopg.errors.UndefinedTable):
        with conn.transaction():
            conn.execute("SELECT fn_count_rows_since('NoSuchTable', 'CreatedAt', now())")

    assert call("fn_open_worker_locations", "SELECT fn_open_worker_locations(7)") == [
        ("worker_locations",)
    ]
    pings = conn.execute("FETCH ALL FROM worker_locations").fetchall()
    assert pings and [row[5] for row in pings] == sorted(row[5] for row in pings)

    recalculated = call(
        "sp_recalculate_attendance_hours",
        "CALL sp_recalculate_attendance_hours('2024-03-04', '2024-03-17', NULL)",
    )
    assert recalculated[0][0] > 0
    assert conn.execute(
        "CALL sp_recalculate_attendance_hours('2024-03-04', '2024-03-17', NULL)"
    ).fetchall() == [(0,)]

    merged = call(
        "sp_merge_zone_activity", "CALL sp_merge_zone_activity(1, ARRAY[1, 2, 3, 4, 5], 12.5, NULL)"
    )
    assert merged == [(5,)]
    planned = conn.execute(
        'SELECT count(*) FROM "ZoneActivity" WHERE "ZoneId" = 1 AND "PlannedHours" = 12.5'
    ).fetchone()
    assert planned == (5,)

    crews = call(
        "sp_build_crew_utilisation",
        "CALL sp_build_crew_utilisation('2024-03-04', '2024-03-17', NULL)",
    )
    assert crews[0][0] > 0
    # Twice in one transaction: the temp table is recreated.
    assert (
        conn.execute("CALL sp_build_crew_utilisation('2024-03-04', '2024-03-17', NULL)").fetchall()
        == crews
    )

    standalone = (FUNCTIONS - TRIGGER_FUNCTIONS) | PROCEDURES
    assert called == standalone


def test_merge_procedure_notifies_listeners(demo_url: str) -> None:
    with (
        psycopg.connect(demo_url, autocommit=True) as listener,
        psycopg.connect(demo_url, autocommit=True) as caller,
    ):
        listener.execute("LISTEN zone_activity_changed")
        caller.execute("CALL sp_merge_zone_activity(2, ARRAY[7], 4, NULL)")
        notices = list(listener.notifies(timeout=5, stop_after=1))
    assert [n.channel for n in notices] == ["zone_activity_changed"]
    assert '"zoneId" : 2' in notices[0].payload


def test_worker_triggers_stamp_updated_at_and_write_history(
    conn: psycopg.Connection[Any],
) -> None:
    before = conn.execute('SELECT count(*) FROM "WorkerHistory" WHERE "WorkerId" = 4').fetchone()
    conn.execute('UPDATE "Worker" SET "HourlyRate" = "HourlyRate" + 1 WHERE "Id" = 4')
    stamped = conn.execute('SELECT "UpdatedAt" = now() FROM "Worker" WHERE "Id" = 4').fetchone()
    assert stamped == (True,)
    history = conn.execute(
        'SELECT "Operation", "ChangedAt" = now(), ("NewRow"->>\'HourlyRate\')::numeric'
        " - (\"OldRow\"->>'HourlyRate')::numeric"
        ' FROM "WorkerHistory" WHERE "WorkerId" = 4 ORDER BY "Id" DESC LIMIT 1'
    ).fetchone()
    assert history == ("UPDATE", True, 1)
    after = conn.execute('SELECT count(*) FROM "WorkerHistory" WHERE "WorkerId" = 4').fetchone()
    assert before is not None and after == (before[0] + 1,)


def test_two_seeds_are_identical(pg_server: pgserver.PostgresServer, demo_url: str) -> None:
    other = _new_database(pg_server, "determinism")
    assert _seed(other, FACT_ROWS) is True
    for table in ("Worker", "Zone", "DeviceLocation", "EquipmentTelemetry"):
        assert _table_md5(other, table) == _table_md5(demo_url, table), table


def test_other_fact_rows_reseed(pg_server: pgserver.PostgresServer) -> None:
    url = _new_database(pg_server, "reseed")
    assert _seed(url, 1_000) is True
    assert _seed(url, 1_000) is False
    assert _seed(url, 2_500) is True
    assert _scalar(url, 'SELECT count(*) FROM "DeviceLocation"') == 2_500
    assert _scalar(url, 'SELECT count(*) FROM "EquipmentTelemetry"') == 2_500
    assert _scalar(url, "SELECT fact_rows FROM _lakebridge_demo.seed_info") == 2_500
    # ANALYZE ran: the planner's estimate is the real count.
    assert (
        _scalar(
            url,
            """SELECT reltuples::bigint FROM pg_class
                          WHERE oid = '"DeviceLocation"'::regclass""",
        )
        == 2_500
    )
    assert _seed(url, 2_500) is False


def test_concurrent_seeds_run_once(pg_server: pgserver.PostgresServer) -> None:
    url = _new_database(pg_server, "concurrent")
    start = threading.Barrier(2)

    def race() -> bool:
        start.wait(timeout=30)
        return _seed(url, 1_000)

    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(race) for _ in range(2)]
        results = sorted(future.result(timeout=120) for future in futures)
    assert results == [False, True]
    assert _scalar(url, 'SELECT count(*) FROM "DeviceLocation"') == 1_000


def test_failed_seed_leaves_nothing_half_done(
    pg_server: pgserver.PostgresServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _new_database(pg_server, "crash")
    real_statements: Callable[[], list[str]] = seed.data_statements

    def crashing() -> list[str]:
        statements = real_statements()
        # Fail after the first fact table has been loaded.
        fact = next(i for i, s in enumerate(statements) if 'INSERT INTO "DeviceLocation"' in s)
        return [*statements[: fact + 1], "SELECT 1 / 0"]

    monkeypatch.setattr(seed, "data_statements", crashing)
    with pytest.raises(psycopg.errors.DivisionByZero):
        _seed(url, 1_000)
    assert _scalar(url, "SELECT to_regclass('public.\"Worker\"') IS NULL") is True
    assert _scalar(url, "SELECT to_regnamespace('_lakebridge_demo') IS NULL") is True

    monkeypatch.setattr(seed, "data_statements", real_statements)
    assert _seed(url, 1_000) is True
    monkeypatch.setattr(seed, "data_statements", crashing)
    with pytest.raises(psycopg.errors.DivisionByZero):
        _seed(url, 2_000)
    # The earlier seed is untouched.
    assert _scalar(url, 'SELECT count(*) FROM "DeviceLocation"') == 1_000
    assert _scalar(url, "SELECT fact_rows FROM _lakebridge_demo.seed_info") == 1_000


def test_data_file_statements_are_split_and_parameterised() -> None:
    statements = seed.data_statements()
    with_param = [s for s in statements if "%(fact_rows)s" in s]
    assert len(with_param) == 2
    for statement in statements:
        # Every statement goes through psycopg's placeholder parser: no other percent signs.
        assert statement.replace("%(fact_rows)s", "").count("%") == 0
        assert "random()" not in statement.lower()
    pre_data, post_data = seed.schema_sql()
    assert "CREATE TABLE" in pre_data and "ANALYZE" in post_data


def test_rejects_bad_fact_rows(demo_url: str) -> None:
    with psycopg.connect(demo_url) as conn:
        for bad in (0, -5, True, 2.5):
            with pytest.raises(ValueError):
                seed_demo(conn, fact_rows=bad)  # type: ignore[arg-type]
