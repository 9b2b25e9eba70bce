"""What the bronze asset checks measure: row counts against the source, duplicate
keys in the Delta table, and watermarks that never move backwards."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
from deltalake import DeltaTable

from lakebridge_dagster.bronze.query import BoundQuery, QueryDialect, count_rows
from lakebridge_dagster.bronze.registry import RegisteredTable
from lakebridge_dagster.bronze.watermarks import Watermark


@dataclass(frozen=True)
class Reconciliation:
    source_rows: int
    bronze_rows: int
    explanation: str

    @property
    def matches(self) -> bool:
        return self.source_rows == self.bronze_rows


def reconcile_row_counts(
    table: RegisteredTable,
    fetch_value: Callable[[BoundQuery], Any],
    dialect: QueryDialect,
    target: Path | str,
    watermark: Watermark | None,
) -> Reconciliation:
    """Source rows with watermark <= `watermark` (every row for full-load tables)
    against the rows of the bronze Delta table. `fetch_value` runs the count,
    written for `dialect`, on the source and returns its value."""
    high = watermark if table.load_mode == "incremental" else None
    source_rows = int(fetch_value(count_rows(table, dialect, high)))
    bronze_rows = DeltaTable(str(target)).to_pyarrow_dataset().count_rows()
    if source_rows == bronze_rows:
        explanation = "bronze holds exactly the source rows up to the watermark"
    elif bronze_rows > source_rows:
        explanation = (
            f"bronze has {bronze_rows - source_rows} rows more than the source: rows deleted "
            "in the source after they were loaded (hard deletes do not reach bronze); "
            "run a full load to drop them"
        )
    else:
        explanation = (
            f"the source has {source_rows - bronze_rows} rows more at or below the watermark: "
            "rows committed late with an older watermark; raise the source's lag_window, or "
            "run a full load"
        )
    return Reconciliation(source_rows, bronze_rows, explanation)


def duplicate_keys(target: Path | str, primary_key: list[str]) -> list[tuple[object, ...]]:
    """Primary-key values that occur more than once in the Delta table (reads only
    the key columns)."""
    keys = DeltaTable(str(target)).to_pyarrow_dataset().to_table(columns=primary_key)
    counts = keys.group_by(primary_key).aggregate([([], "count_all")])
    repeated = counts.filter(pc.greater(counts["count_all"], 1))
    return [tuple(row[c] for c in primary_key) for row in repeated.to_pylist()]


def watermark_text(watermark: Watermark | None) -> str | None:
    """A watermark as text that `parse_watermark` reads back exactly."""
    if watermark is None:
        return None
    return watermark.isoformat() if isinstance(watermark, datetime) else str(watermark)


def parse_watermark(text: str | None) -> Watermark | None:
    if text is None or text in ("", "None"):
        return None
    try:
        return int(text)
    except ValueError:
        return datetime.fromisoformat(text)
