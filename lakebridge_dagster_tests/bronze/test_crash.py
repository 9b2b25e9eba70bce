"""Crash safety: loads killed with SIGKILL at several points, and a crash between
the Delta commit and the watermark write, leave bronze loadable with nothing
lost and no key duplicated."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from deltalake import DeltaTable

from lakebridge_dagster.bronze.load import LOADED_AT, BronzeLoadError, load_table
from lakebridge_dagster.bronze.registry import RegisteredTable, derive_registry
from lakebridge_dagster.bronze.watermarks import Watermark, WatermarkStore
from lakebridge_dagster.catalog.postgres import extract_postgres_catalog
from lakebridge_dagster.config import SourceConfig

ROWS = 60_000
READING_TABLE = """
CREATE TABLE reading (
    id bigint PRIMARY KEY,
    device_id integer NOT NULL,
    value double precision,
    note text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz
)
"""
READING_ROWS = """
INSERT INTO reading
SELECT g, g %% 100, g * 0.5, 'note ' || g, '2024-01-01Z'::timestamptz + g * interval '1 second',
       NULL
FROM generate_series(1, %s) AS g
"""
# The child process: load once when told to, so the parent can kill it mid-way.
CHILD = """
import sys
from lakebridge_dagster.bronze.load import load_table
from lakebridge_dagster.bronze.registry import RegisteredTable
from lakebridge_dagster.bronze.watermarks import WatermarkStore

table_json, url, target, store = sys.argv[1:]
table = RegisteredTable.model_validate_json(table_json)
print("ready", flush=True)
sys.stdin.readline()
load_table(table, url, target, WatermarkStore(store), source_system="app")
print("done", flush=True)
"""
KILL_AFTER = (0.0, 0.05, 0.15, 0.3, 0.5, 0.8)


def execute(url: str, statement: str, params: Any = None) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement, params)


@pytest.fixture()
def reading(fresh_database: str) -> tuple[str, RegisteredTable]:
    execute(fresh_database, READING_TABLE)
    execute(fresh_database, READING_ROWS, [ROWS])
    catalog = extract_postgres_catalog("app", fresh_database, ["public"])
    source = SourceConfig.model_validate(
        {"name": "app", "dialect": "postgres", "url": "postgresql://u@h/d"}
    )
    table = derive_registry(catalog, source).table("reading")
    return fresh_database, table.model_copy(update={"fetch_size": 5_000})


def bronze(path: Path) -> list[dict[str, Any]]:
    rows = DeltaTable(str(path)).to_pyarrow_table().drop_columns([LOADED_AT]).to_pylist()
    return sorted(rows, key=lambda row: row["id"])


def change_source(url: str, step: int) -> None:
    """Updates to recent rows and new rows at the tail, as an application makes."""
    at = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(hours=step)
    execute(
        url,
        "UPDATE reading SET value = value + 1, updated_at = %s WHERE id %% 97 = %s",
        [at, step],
    )
    execute(
        url,
        "INSERT INTO reading SELECT g, 1, 0, 'new', %s, NULL FROM generate_series(%s, %s) AS g",
        [at, ROWS + step * 1_000 + 1, ROWS + step * 1_000 + 1_000],
    )


def killed_load(table: RegisteredTable, url: str, target: Path, store: Path, delay: float) -> str:
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            table.model_dump_json(by_alias=True),
            url,
            str(target),
            str(store),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdin is not None
    assert child.stdout.readline().strip() == "ready"
    child.stdin.write("go\n")
    child.stdin.flush()
    time.sleep(delay)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    return "finished" if child.returncode == 0 else "killed"


def test_sigkill_at_any_point_then_rerun_equals_the_source(
    reading: tuple[str, RegisteredTable], tmp_path: Path
) -> None:
    url, table = reading
    target, store_path = tmp_path / "bronze" / "reading", tmp_path / "_watermarks"
    outcomes = []
    for step, delay in enumerate(KILL_AFTER):
        outcomes.append(killed_load(table, url, target, store_path, delay))
        change_source(url, step)
    store = WatermarkStore(store_path)
    result = load_table(table, url, target, store, source_system="app")
    assert result.status == "success"

    fresh = tmp_path / "fresh"
    load_table(table, url, fresh, WatermarkStore(tmp_path / "fresh_wm"), source_system="app")
    rows = bronze(target)
    assert len(rows) == ROWS + len(KILL_AFTER) * 1_000
    assert len({row["id"] for row in rows}) == len(rows)  # no duplicate keys
    assert rows == bronze(fresh)  # nothing lost, nothing stale
    assert "killed" in outcomes  # the kills did land somewhere in the loads


class CrashAfterCommit(WatermarkStore):
    """The process dies right after the Delta commit, before the watermark is
    written: the store refuses the first success."""

    crashed = False

    def record_success(self, *args: Any, **kwargs: Any) -> Any:
        if not self.crashed:
            self.crashed = True
            raise OSError("killed between the MERGE commit and the watermark write")
        return super().record_success(*args, **kwargs)


def test_crash_between_merge_and_watermark_write(
    reading: tuple[str, RegisteredTable], tmp_path: Path
) -> None:
    url, table = reading
    target = tmp_path / "bronze" / "reading"
    store = CrashAfterCommit(tmp_path / "_watermarks")
    store.crashed = True  # the first load goes through
    first = load_table(table, url, target, store, source_system="app")
    change_source(url, 0)
    store.crashed = False
    with pytest.raises(BronzeLoadError, match="Nothing is lost") as raised:
        load_table(table, url, target, store, source_system="app")
    crashed = raised.value.result
    assert crashed.delta_version == 1  # the MERGE committed
    watermark: Watermark | None = store.get("app", "public", "reading").watermark  # type: ignore[union-attr]
    assert watermark == first.watermark_after  # the watermark did not move

    again = load_table(table, url, target, store, source_system="app")
    assert again.rows_read == crashed.rows_read  # the same rows, re-read
    assert (again.rows_inserted, again.rows_updated) == (0, crashed.rows_read)
    assert again.watermark_after == crashed.watermark_after
    fresh = tmp_path / "fresh"
    load_table(table, url, fresh, WatermarkStore(tmp_path / "fresh_wm"), source_system="app")
    assert bronze(target) == bronze(fresh)
