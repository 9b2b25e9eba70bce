"""What the bronze sensors decide, as pure functions of what they observed.

- `plan_change_requests`: which watermark tables to load because the source has
  rows above the last successful watermark; a table whose load was already
  requested for the same source watermark is not requested again (the cursor).
- `compare_table_lists`: which registered tables have no partition yet (new)
  and which partitions no longer have a registered table (vanished).

Partitions are named `category/key` here, as the table_registry asset reports
them: a table that moves category is new in one and vanished from the other.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from lakebridge_dagster.bronze.checks import watermark_text
from lakebridge_dagster.bronze.watermarks import Watermark


def source_watermark(value: object) -> Watermark | None:
    """A source's `MAX(watermark)` as the watermark table keeps watermarks: an int,
    or an aware UTC datetime (naive timestamps are UTC wall-clock, as the loader
    reads them; a date is its midnight; ISO 8601 text, as SQLite keeps
    timestamps, is parsed as the generic reader parses it)."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise TypeError(
                f"a watermark is a timestamp, a date or an integer, not the text {value!r}; "
                "fix the table's watermark_column in lakebridge.yaml"
            ) from None
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return int(value)
    raise TypeError(
        f"a watermark is a timestamp, a date or an integer, not {type(value).__name__} "
        f"({value!r}); fix the table's watermark_column in lakebridge.yaml"
    )


@dataclass(frozen=True)
class WatermarkObservation:
    """One table as a sensor tick saw it: the source's greatest watermark now
    (None: the table is empty) and the last successful one (None: never loaded)."""

    partition_key: str
    source_max: Watermark | None
    loaded: Watermark | None

    @property
    def behind(self) -> bool:
        """True when the source has rows the last successful load did not read."""
        if self.source_max is None:
            return False
        if self.loaded is None:
            return True
        try:
            return self.source_max > self.loaded  # type: ignore[operator]
        except TypeError:
            # The watermark changed kind (timestamp <-> bigint): only a load can settle it.
            return True


@dataclass(frozen=True)
class ChangeRequests:
    """The tables to load now, and the next cursor: for every table still behind,
    the source watermark its load was requested for."""

    to_load: list[WatermarkObservation]
    cursor: dict[str, str]


def plan_change_requests(
    observations: Iterable[WatermarkObservation],
    requested: Mapping[str, str],
    unobserved: Collection[str] = (),
) -> ChangeRequests:
    """Request a load for each table behind its source, unless `requested` (the
    previous cursor) shows a load was already requested at this source watermark.
    A table that caught up leaves the cursor; `unobserved` tables (their query
    failed this tick) keep their entry, so they are not requested again when the
    query works again at the same watermark."""
    to_load: list[WatermarkObservation] = []
    cursor = {key: requested[key] for key in unobserved if key in requested}
    for observation in sorted(observations, key=lambda o: o.partition_key):
        if not observation.behind:
            continue
        text = str(watermark_text(observation.source_max))
        cursor[observation.partition_key] = text
        if requested.get(observation.partition_key) != text:
            to_load.append(observation)
    return ChangeRequests(to_load, dict(sorted(cursor.items())))


@dataclass(frozen=True)
class TableListChange:
    """How the registered tables differ from the partitions.

    `new`: per category, the registered partition keys without a partition.
    `vanished`: `category/key` of partitions whose table is no longer registered
    there, and was at the previous tick (each is reported once).
    `registered`: `category/key` of every registered table, sorted (the cursor).
    `changed`: the registered tables differ from the previous tick's.
    """

    new: dict[str, list[str]]
    vanished: list[str]
    registered: list[str]
    changed: bool

    @property
    def new_tables(self) -> list[str]:
        return [f"{category}/{key}" for category, keys in self.new.items() for key in keys]


def compare_table_lists(
    registered: Mapping[str, Collection[str]],
    partitions: Mapping[str, Collection[str]],
    previous: Collection[str] | None,
) -> TableListChange:
    """Compare the registered partition keys with the existing partitions (both
    per category) and with the previous tick's registered `category/key`s (None
    on the first tick: every vanished partition is reported)."""
    current = sorted(f"{category}/{key}" for category, keys in registered.items() for key in keys)
    new = {
        category: sorted(set(keys) - set(partitions.get(category, ())))
        for category, keys in registered.items()
    }
    vanished = sorted(
        f"{category}/{key}"
        for category, keys in partitions.items()
        for key in set(keys) - set(registered.get(category, ()))
    )
    if previous is not None:
        vanished = [key for key in vanished if key in set(previous)]
    return TableListChange(
        new={category: keys for category, keys in new.items() if keys},
        vanished=vanished,
        registered=current,
        changed=previous is not None and set(previous) != set(current),
    )
