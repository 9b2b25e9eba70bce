"""The watermark table: per source table, the last successful watermark and how
the last load went. A Delta table at `<lakehouse>/<catalog>/migration/_watermarks`
(the seed loader's columns, plus a BIGINT watermark for SQL Server rowversion),
readable by anything that reads Delta (deltalake, polars, Databricks).

Every write is one deltalake MERGE on (source_system, source_schema,
source_table), so a row per table, never duplicates. A failed load updates the
status, the message and the time only: the last successful watermark is never
erased or moved by a failure. Concurrent writers (loads of different tables in
parallel runs) are retried on Delta commit conflicts.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.compute as pc
from deltalake import DeltaTable, write_deltalake
from deltalake.exceptions import CommitFailedError, TableNotFoundError

LoadStatus = Literal["success", "skipped", "failed"]
Watermark = datetime | int

WATERMARK_SCHEMA = pa.schema(
    [
        pa.field("source_system", pa.string(), nullable=False),
        pa.field("source_schema", pa.string(), nullable=False),
        pa.field("source_table", pa.string(), nullable=False),
        pa.field("watermark_column", pa.string()),
        pa.field("last_watermark_timestamp", pa.timestamp("us", tz="UTC")),
        pa.field("last_watermark_bigint", pa.int64()),
        pa.field("last_load_status", pa.string()),
        pa.field("last_load_row_count", pa.int64()),
        pa.field("last_error_message", pa.string()),
        pa.field("updated_at", pa.timestamp("us", tz="UTC")),
    ]
)
_KEY = ("source_system", "source_schema", "source_table")
_WATERMARK_COLUMNS = ("watermark_column", "last_watermark_timestamp", "last_watermark_bigint")
_STATUS_COLUMNS = ("last_load_status", "last_load_row_count", "last_error_message", "updated_at")
MAX_ERROR_LENGTH = 4_000
COMMIT_ATTEMPTS = 20


def watermark_table_path(lakehouse: Path, catalog: str) -> Path:
    """Where a target catalog's watermark table lives in the local lakehouse."""
    return lakehouse / catalog / "migration" / "_watermarks"


@dataclass(frozen=True)
class WatermarkState:
    """One row of the watermark table. `watermark` is the last successful one: an
    aware UTC datetime (a naive source timestamp is stored as UTC wall-clock) or
    an int (rowversion, integer columns); None before the first success and for
    tables loaded whole."""

    source_system: str
    source_schema: str
    source_table: str
    watermark_column: str | None
    watermark: Watermark | None
    last_load_status: LoadStatus
    last_load_row_count: int
    last_error_message: str | None
    updated_at: datetime


class WatermarkStore:
    """The watermark Delta table at `path` (created on first write)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def get(self, source_system: str, schema: str, table: str) -> WatermarkState | None:
        """The table's row, or None when it was never loaded (or the table is new)."""
        rows = self._read(
            (pc.field("source_system") == source_system)
            & (pc.field("source_schema") == schema)
            & (pc.field("source_table") == table)
        )
        return rows[0] if rows else None

    def all(self, source_system: str | None = None) -> list[WatermarkState]:
        """Every row (of one source system), ordered by schema and table."""
        rows = self._read(
            None if source_system is None else pc.field("source_system") == source_system
        )
        return sorted(rows, key=lambda r: (r.source_system, r.source_schema, r.source_table))

    def record_success(
        self,
        source_system: str,
        schema: str,
        table: str,
        *,
        watermark_column: str | None,
        watermark: Watermark | None,
        row_count: int,
    ) -> WatermarkState:
        """A load committed: its new watermark (None for tables loaded whole)."""
        row = _row(source_system, schema, table, watermark_column, watermark, "success", row_count)
        self._merge(row, _WATERMARK_COLUMNS + _STATUS_COLUMNS)
        return _state(row.to_pylist()[0])

    def record_skipped(
        self, source_system: str, schema: str, table: str, *, watermark_column: str | None
    ) -> None:
        """A load found nothing new: status and time change, the watermark does not."""
        row = _row(source_system, schema, table, watermark_column, None, "skipped", 0)
        self._merge(row, _STATUS_COLUMNS)

    def record_failure(
        self,
        source_system: str,
        schema: str,
        table: str,
        *,
        watermark_column: str | None,
        error_message: str,
    ) -> None:
        """A load failed: the message is recorded, the last successful watermark is
        kept as it was (a first load that fails leaves it empty)."""
        message = error_message[:MAX_ERROR_LENGTH]
        row = _row(source_system, schema, table, watermark_column, None, "failed", 0, message)
        self._merge(row, _STATUS_COLUMNS)

    # ------------------------------------------------------------------------------

    def _read(self, condition: pc.Expression | None) -> list[WatermarkState]:
        try:
            table = DeltaTable(str(self.path))
        except TableNotFoundError:
            return []
        dataset = table.to_pyarrow_dataset()
        rows = dataset.to_table(filter=condition) if condition is not None else dataset.to_table()
        return [_state(row) for row in rows.to_pylist()]

    def _merge(self, row: pa.Table, update_columns: tuple[str, ...]) -> None:
        """Upsert `row` on the key; a matched row gets only `update_columns`.
        Retried on commit conflicts with other writers (each retry re-reads)."""
        predicate = " AND ".join(f"target.{column} = source.{column}" for column in _KEY)
        updates = {column: f"source.{column}" for column in update_columns}
        for attempt in range(COMMIT_ATTEMPTS):
            try:
                self._ensure_table()
                (
                    DeltaTable(str(self.path))
                    .merge(row, predicate, source_alias="source", target_alias="target")
                    .when_matched_update(updates)
                    .when_not_matched_insert_all()
                    .execute()
                )
                return
            except CommitFailedError:
                if attempt == COMMIT_ATTEMPTS - 1:
                    raise
                time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))

    def _ensure_table(self) -> None:
        if DeltaTable.is_deltatable(str(self.path)):
            return
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            write_deltalake(
                str(self.path),
                WATERMARK_SCHEMA.empty_table(),
                mode="ignore",
                name="_watermarks",
                description="lakebridge-dagster: last successful watermark per source table",
            )
        except CommitFailedError:
            pass  # another writer created it first: that table is the one we want


def _row(
    source_system: str,
    schema: str,
    table: str,
    watermark_column: str | None,
    watermark: Watermark | None,
    status: LoadStatus,
    row_count: int,
    error_message: str | None = None,
) -> pa.Table:
    timestamp: datetime | None = None
    bigint: int | None = None
    if isinstance(watermark, datetime):
        timestamp = watermark if watermark.tzinfo else watermark.replace(tzinfo=UTC)
    elif isinstance(watermark, int) and not isinstance(watermark, bool):
        bigint = watermark
    elif watermark is not None:
        raise TypeError(
            f"{schema}.{table}: a watermark is a datetime or an int, not "
            f"{type(watermark).__name__} ({watermark!r})"
        )
    values = {
        "source_system": source_system,
        "source_schema": schema,
        "source_table": table,
        "watermark_column": watermark_column,
        "last_watermark_timestamp": timestamp,
        "last_watermark_bigint": bigint,
        "last_load_status": status,
        "last_load_row_count": row_count,
        "last_error_message": error_message,
        "updated_at": datetime.now(UTC),
    }
    return pa.Table.from_pylist([values], schema=WATERMARK_SCHEMA)


def _state(row: dict[str, object]) -> WatermarkState:
    timestamp = row["last_watermark_timestamp"]
    bigint = row["last_watermark_bigint"]
    watermark = timestamp if timestamp is not None else bigint
    return WatermarkState(
        source_system=str(row["source_system"]),
        source_schema=str(row["source_schema"]),
        source_table=str(row["source_table"]),
        watermark_column=row["watermark_column"],  # type: ignore[arg-type]
        watermark=watermark,  # type: ignore[arg-type]
        last_load_status=row["last_load_status"],  # type: ignore[arg-type]
        last_load_row_count=int(row["last_load_row_count"] or 0),  # type: ignore[call-overload]
        last_error_message=row["last_error_message"],  # type: ignore[arg-type]
        updated_at=row["updated_at"],  # type: ignore[arg-type]
    )
