"""Bronze schedules and sensors, evaluated with `build_schedule_context` /
`build_sensor_context` against a real embedded PostgreSQL, real Delta tables and
a real Dagster instance (a temporary persistent one: schedule contexts need an
instance they can reference; an ephemeral one has no reference)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from dagster import (
    AddDynamicPartitionsRequest,
    DagsterInstance,
    Definitions,
    RepositoryDefinition,
    ScheduleEvaluationContext,
    SkipReason,
    build_schedule_context,
    build_sensor_context,
    instance_for_test,
    materialize,
)
from dagster._core.definitions.sensor_definition import SensorExecutionData

from lakebridge_dagster.bronze.registry import TableRegistry
from lakebridge_dagster.config import LakebridgeConfig, parse_config
from lakebridge_dagster.definitions import build_definitions
from lakebridge_dagster.defs.bronze.assets import build_table_registry_asset
from lakebridge_dagster.defs.catalog.assets import build_source_catalog_asset
from lakebridge_dagster.defs.resources import source_resources
from lakebridge_dagster.sources import Source

# Two dimensions with a watermark (timestamptz and timestamp), one full-load
# dimension, an assignment and a fact: one table per case the sensors tell apart.
SOURCE_SCHEMA = """
CREATE TABLE "Company" ("Id" int PRIMARY KEY, "Name" text NOT NULL,
                        "UpdatedAt" timestamptz NOT NULL);
CREATE TABLE "Worker" ("Id" int PRIMARY KEY, "CompanyId" int NOT NULL REFERENCES "Company",
                       "Name" text NOT NULL, "UpdatedAt" timestamp NOT NULL);
CREATE TABLE "Setting" ("Key" text PRIMARY KEY, "Value" text);
CREATE TABLE "CrewAssignment" ("Id" int PRIMARY KEY,
                               "WorkerId" int NOT NULL REFERENCES "Worker",
                               "UpdatedAt" timestamptz NOT NULL);
CREATE TABLE "DeviceLocation" ("Id" bigint PRIMARY KEY, "RecordedAt" timestamptz NOT NULL,
                               "X" double precision);
INSERT INTO "Company"
  SELECT i, 'company ' || i, timestamptz '2024-01-01 00:00+00' + i * interval '1 hour'
  FROM generate_series(1, 3) AS i;
INSERT INTO "Worker"
  SELECT i, 1 + i % 3, 'worker ' || i, timestamp '2024-01-02' + i * interval '1 minute'
  FROM generate_series(1, 20) AS i;
INSERT INTO "Setting" VALUES ('timezone', 'UTC'), ('shift_hours', '8');
INSERT INTO "CrewAssignment" SELECT i, i, timestamptz '2024-01-03 00:00+00'
  FROM generate_series(1, 20) AS i;
INSERT INTO "DeviceLocation"
  SELECT i, timestamptz '2024-01-04 00:00+00' + i * interval '1 second', i
  FROM generate_series(1, 100) AS i;
"""
WATERMARK_TABLES = {
    "Company": "app__bronze_dimensions_job",
    "Worker": "app__bronze_dimensions_job",
    "CrewAssignment": "app__bronze_assignments_job",
    "DeviceLocation": "app__bronze_facts_job",
}
SCHEDULES = {"dimensions": "0 1 * * *", "assignments": "0 2 * * *", "facts": "0 3 * * *"}
TICK = datetime(2024, 6, 1, 1, 0, tzinfo=UTC)


@dataclass
class App:
    """The `app` source: its database, config, definitions and Dagster instance."""

    url: str
    config: LakebridgeConfig
    defs: Definitions
    instance: DagsterInstance

    @property
    def repository(self) -> RepositoryDefinition:
        return self.defs.get_repository_def()

    @property
    def live(self) -> Source:
        return Source(self.config.source("app"), self.config)

    def sql(self, statement: str) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(statement)

    def materialize_registry(self) -> None:
        source = self.config.source("app")
        result = materialize(
            [build_source_catalog_asset(source), build_table_registry_asset(source)],
            resources=source_resources(self.config),
            instance=self.instance,
        )
        assert result.success

    def load(self, partition_key: str, job_name: str) -> None:
        result = self.defs.resolve_job_def(job_name).execute_in_process(
            partition_key=partition_key, instance=self.instance
        )
        assert result.success

    def sensor_tick(self, name: str, cursor: str | None) -> SensorExecutionData:
        """One tick as the daemon evaluates it (run requests resolved against the
        job's partitions, with the tick's partition additions applied)."""
        with build_sensor_context(
            instance=self.instance,
            instance_ref=self.instance.get_ref(),
            cursor=cursor,
            resources=source_resources(self.config),
            repository_def=self.repository,
        ) as context:
            return self.repository.get_sensor_def(f"app__{name}").evaluate_tick(context)


@pytest.fixture()
def app(fresh_database: str, tmp_path: Path) -> Iterator[App]:
    with psycopg.connect(fresh_database, autocommit=True) as conn:
        conn.execute(SOURCE_SCHEMA)
    config = parse_config(
        {
            "output_dir": str(tmp_path / "out"),
            "sources": [
                {
                    "name": "app",
                    "dialect": "postgres",
                    "url": fresh_database,
                    "schedules": SCHEDULES,
                },
            ],
        }
    )
    with instance_for_test() as instance:
        yield App(fresh_database, config, build_definitions(config), instance)


def requested(result: SensorExecutionData) -> dict[str, str | None]:
    return {r.partition_key: r.job_name for r in result.run_requests or []}


def test_a_schedule_per_category_with_a_cron_runs_every_registered_table(app: App) -> None:
    schedules = [
        app.repository.get_schedule_def(f"app__bronze_{category}_schedule")
        for category in SCHEDULES
    ]
    assert [(s.cron_schedule, s.job_name) for s in schedules] == [
        (cron, f"app__bronze_{category}_job") for category, cron in SCHEDULES.items()
    ]
    assert "dimensions, then assignments, then facts" in schedules[0].description
    names = {s.name for s in app.repository.schedule_defs}
    assert "app__bronze_history_schedule" not in names  # no cron for history

    def tick() -> ScheduleEvaluationContext:
        return build_schedule_context(instance=app.instance, scheduled_execution_time=TICK)

    skipped = schedules[0](tick())
    assert isinstance(skipped, SkipReason)
    assert "materialize app/table_registry" in skipped.skip_message

    app.materialize_registry()
    runs = schedules[0](tick())
    assert [(r.partition_key, r.run_key) for r in runs] == [
        (key, f"{key}:{TICK.isoformat()}") for key in ("Company", "Setting", "Worker")
    ]
    facts = schedules[2](tick())
    assert [r.partition_key for r in facts] == ["DeviceLocation"]
    # What the daemon does with the tick: each request resolves against the job's partitions.
    data = schedules[1].evaluate_tick(
        build_schedule_context(
            instance=app.instance, scheduled_execution_time=TICK, repository_def=app.repository
        )
    )
    assert [r.partition_key for r in data.run_requests] == ["CrewAssignment"]


def test_source_change_sensor_requests_tables_whose_source_watermark_moved(
    app: App, capfd: pytest.CaptureFixture[str]
) -> None:
    before = app.sensor_tick("source_change_sensor", None)
    assert "materialize app/table_registry" in before.skip_message
    app.materialize_registry()

    first = app.sensor_tick("source_change_sensor", None)
    assert requested(first) == WATERMARK_TABLES  # never loaded; Setting is full-load
    assert {r.run_key for r in first.run_requests} >= {
        "Company:2024-01-01T03:00:00+00:00",
        "DeviceLocation:2024-01-04T00:01:40+00:00",
    }
    pending = app.sensor_tick("source_change_sensor", first.cursor)
    assert not pending.run_requests  # requested once per source watermark

    app.load("Company", "app__bronze_dimensions_job")
    without_cursor = app.sensor_tick("source_change_sensor", None)
    assert requested(without_cursor) == {
        k: v for k, v in WATERMARK_TABLES.items() if k != "Company"
    }
    caught_up = app.sensor_tick("source_change_sensor", pending.cursor)
    assert not caught_up.run_requests
    assert "Company" not in caught_up.cursor

    app.sql("""UPDATE "Company" SET "UpdatedAt" = now() WHERE "Id" = 2""")
    changed = app.sensor_tick("source_change_sensor", caught_up.cursor)
    assert requested(changed) == {"Company": "app__bronze_dimensions_job"}

    app.sql('DROP TABLE "CrewAssignment"')
    app.sql("""UPDATE "Worker" SET "UpdatedAt" = '2030-01-01' WHERE "Id" = 1""")
    after_drop = app.sensor_tick("source_change_sensor", changed.cursor)
    assert requested(after_drop) == {"Worker": "app__bronze_dimensions_job"}
    assert [r.run_key for r in after_drop.run_requests] == ["Worker:2030-01-01T00:00:00+00:00"]
    assert "CrewAssignment" in after_drop.cursor  # still pending, not forgotten
    assert "cannot read MAX(UpdatedAt) of public.CrewAssignment" in capfd.readouterr().err


def test_new_tables_sensor_adds_partitions_and_reports_vanished_tables(app: App) -> None:
    app.materialize_registry()
    unchanged = app.sensor_tick("new_tables_sensor", None)
    assert unchanged.skip_message == "no new tables; 5 registered"
    assert not unchanged.asset_events

    app.sql(
        'CREATE TABLE "Site" ("Id" int PRIMARY KEY, "Name" text, "UpdatedAt" timestamptz NOT NULL);'
        """INSERT INTO "Site" VALUES (1, 'north', '2024-02-01'), (2, 'south', '2024-02-02')"""
    )
    new = app.sensor_tick("new_tables_sensor", unchanged.cursor)
    assert new.dynamic_partitions_requests == [
        AddDynamicPartitionsRequest("app__bronze_dimensions", ["Site"])
    ]
    assert requested(new) == {"Site": "app__bronze_dimensions_job"}
    assert TableRegistry.read(app.live.registry_path).table("Site").category == "dimensions"
    events = {e.asset_key.to_user_string(): e.metadata for e in new.asset_events}
    assert set(events) == {"app/source_catalog", "app/table_registry"}
    assert "dimensions/Site" in events["app/source_catalog"]["new_tables"].value
    assert "dimensions/Site" in events["app/table_registry"]["new_partitions"].value

    # The daemon adds the partition, then runs the first load: it finds its registry entry.
    app.instance.add_dynamic_partitions("app__bronze_dimensions", ["Site"])
    app.load("Site", "app__bronze_dimensions_job")
    assert app.sensor_tick("new_tables_sensor", new.cursor).skip_message == (
        "no new tables; 6 registered"
    )

    app.sql('DROP TABLE "Setting"')
    dropped = app.sensor_tick("new_tables_sensor", new.cursor)
    assert not dropped.run_requests
    assert not dropped.dynamic_partitions_requests  # partitions are never deleted
    assert "vanished: dimensions/Setting" in dropped.skip_message
    events = {e.asset_key.to_user_string(): e.metadata for e in dropped.asset_events}
    assert "dimensions/Setting" in events["app/source_catalog"]["vanished_tables"].value
    assert "dimensions/Setting" in events["app/table_registry"]["vanished_partitions"].value
    assert "Setting" in app.instance.get_dynamic_partitions("app__bronze_dimensions")
    registry = TableRegistry.read(app.live.registry_path)
    assert "Setting" not in {t.partition_key for t in registry.tables}

    again = app.sensor_tick("new_tables_sensor", dropped.cursor)
    assert again.skip_message == "no new tables; 5 registered"
    assert not again.asset_events  # reported once
