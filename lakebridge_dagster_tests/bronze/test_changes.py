"""What the bronze sensors decide: tables of observations and expected requests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from lakebridge_dagster.bronze.changes import (
    WatermarkObservation,
    compare_table_lists,
    plan_change_requests,
    source_watermark,
)

T1 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
T2 = datetime(2024, 5, 2, 8, 30, 0, 250_000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (T1, T1),
        (datetime(2024, 5, 1, 12, 0), T1),  # naive: UTC wall-clock, as the loader reads it
        (datetime(2024, 5, 1, 14, 0, tzinfo=timezone(timedelta(hours=2))), T1),
        (date(2024, 5, 1), datetime(2024, 5, 1, tzinfo=UTC)),
        (42, 42),
        (Decimal(42), 42),
        ("2024-05-01 12:00:00", T1),  # SQLite keeps timestamps as ISO 8601 text
        ("2024-05-02T08:30:00.250000+00:00", T2),
    ],
)
def test_source_watermark_is_kept_as_the_store_keeps_it(value, expected) -> None:
    result = source_watermark(value)
    assert result == expected
    if isinstance(result, datetime):
        assert result.utcoffset() == timedelta(0)


@pytest.mark.parametrize("value", ["yesterday", 1.5, b"\x00"])
def test_source_watermark_rejects_other_types_with_the_fix(value) -> None:
    with pytest.raises(TypeError, match="watermark_column"):
        source_watermark(value)


@pytest.mark.parametrize(
    ("source_max", "loaded", "behind"),
    [
        (None, None, False),  # empty table: nothing to load
        (None, T1, False),
        (T1, None, True),  # never loaded
        (T2, T1, True),
        (T1, T1, False),
        (T1, T2, False),  # rows deleted in the source: not a reason to load
        (7, 5, True),
        (5, 5, False),
        (7, T1, True),  # the watermark changed kind: a load settles it
    ],
)
def test_behind(source_max, loaded, behind) -> None:
    assert WatermarkObservation("t", source_max, loaded).behind is behind


@pytest.mark.parametrize(
    ("observations", "requested", "unobserved", "to_load", "cursor"),
    [
        # first tick: every table behind is requested
        ([("A", T1, None), ("B", 5, None)], {}, (), ["A", "B"], {"A": T1.isoformat(), "B": "5"}),
        # pending at the same source watermark: not again
        ([("A", T1, None)], {"A": T1.isoformat()}, (), [], {"A": T1.isoformat()}),
        # the source moved again while the run was pending: request again
        ([("A", T2, None)], {"A": T1.isoformat()}, (), ["A"], {"A": T2.isoformat()}),
        # loaded up to the source: leaves the cursor
        ([("A", T1, T1)], {"A": T1.isoformat()}, (), [], {}),
        # loaded, then changed: requested at the new watermark
        ([("A", T2, T1)], {}, (), ["A"], {"A": T2.isoformat()}),
        # a table whose query failed keeps its entry; a table gone from the registry does not
        ([("A", T1, T1)], {"B": "5", "C": "9"}, ("B",), [], {"B": "5"}),
    ],
)
def test_plan_change_requests(observations, requested, unobserved, to_load, cursor) -> None:
    plan = plan_change_requests(
        [WatermarkObservation(*o) for o in observations], requested, unobserved
    )
    assert [o.partition_key for o in plan.to_load] == to_load
    assert plan.cursor == cursor


# One case per line: the cases read as a table.
# fmt: off
@pytest.mark.parametrize(
    ("registered", "partitions", "previous", "new", "vanished", "changed"),
    [
        # nothing registered yet: every table is new
        ({"facts": ["F"], "dimensions": ["D"]}, {}, None, {"facts": ["F"], "dimensions": ["D"]},
         [], False),
        # all partitioned, first tick
        ({"dimensions": ["D"]}, {"dimensions": ["D"]}, None, {}, [], False),
        # all partitioned, same as last tick
        ({"dimensions": ["D"]}, {"dimensions": ["D"]}, ["dimensions/D"], {}, [], False),
        # a new table
        ({"dimensions": ["D", "E"]}, {"dimensions": ["D"]}, ["dimensions/D"],
         {"dimensions": ["E"]}, [], True),
        # a table dropped since the last tick: reported once
        ({"dimensions": ["D"]}, {"dimensions": ["D", "X"]}, ["dimensions/D", "dimensions/X"],
         {}, ["dimensions/X"], True),
        ({"dimensions": ["D"]}, {"dimensions": ["D", "X"]}, ["dimensions/D"], {}, [], False),
        # first tick after a restart: every vanished partition is reported
        ({"dimensions": ["D"]}, {"dimensions": ["D", "X"]}, None, {}, ["dimensions/X"], False),
        # a table that moved category: new in one, vanished from the other
        ({"facts": ["D"]}, {"dimensions": ["D"]}, ["dimensions/D"], {"facts": ["D"]},
         ["dimensions/D"], True),
        # a dropped table re-created: its partition was kept, so nothing is new
        ({"dimensions": ["D", "X"]}, {"dimensions": ["D", "X"]}, ["dimensions/D"], {}, [], True),
    ],
)
# fmt: on
def test_compare_table_lists(registered, partitions, previous, new, vanished, changed) -> None:
    change = compare_table_lists(registered, partitions, previous)
    assert change.new == new
    assert change.vanished == vanished
    assert change.changed is changed
    assert change.registered == sorted(f"{c}/{k}" for c, keys in registered.items() for k in keys)
