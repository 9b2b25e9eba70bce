"""Scoring: the weights table, levels, repeats, hours and strategies, as tables of cases."""

from __future__ import annotations

from collections import Counter

import pytest

from lakebridge_dagster.assessment import INDICATORS, Indicator, Level
from lakebridge_dagster.assessment.indicators import BASE_HOURS, weights_markdown
from lakebridge_dagster.assessment.scoring import (
    level,
    manual_hours,
    repeat_factor,
    score,
    strategies,
)
from lakebridge_dagster.catalog.model import ObjectType

I = Indicator  # noqa: E741


def test_the_weights_table_covers_every_indicator_and_object_type() -> None:
    assert set(INDICATORS) == set(Indicator)
    for indicator, rule in INDICATORS.items():
        assert rule.weight > 0 and rule.hours > 0, indicator
        assert rule.strategy and rule.detects, indicator
    assert set(BASE_HOURS) == set(ObjectType)


def test_weights_markdown_has_one_row_per_indicator() -> None:
    rows = weights_markdown().splitlines()
    assert rows[0].startswith("| indicator | weight | hours |")
    assert len(rows) == 2 + len(Indicator)
    assert any(row.startswith("| `CURSOR` | 8 | 4 |") for row in rows)


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        (0, Level.LOW),
        (4.99, Level.LOW),
        (5, Level.MEDIUM),
        (14.75, Level.MEDIUM),
        (15, Level.HIGH),
        (29.99, Level.HIGH),
        (30, Level.VERY_HIGH),
        (500, Level.VERY_HIGH),
    ],
)
def test_level_boundaries(points: float, expected: Level) -> None:
    assert level(points) is expected


@pytest.mark.parametrize(
    ("occurrences", "factor"),
    [(1, 1.0), (2, 1.25), (3, 1.5), (5, 2.0), (6, 2.0), (100, 2.0)],
)
def test_repeats_add_a_quarter_each_up_to_four(occurrences: int, factor: float) -> None:
    assert repeat_factor(occurrences) == factor


@pytest.mark.parametrize(
    ("counts", "code_lines", "expected_score", "expected_level"),
    [
        ({}, 10, 0, Level.LOW),  # a plain view
        ({I.IDENTITY: 1}, 12, 1, Level.LOW),  # a table with an identity column
        ({}, 120, 2, Level.LOW),  # size alone: one point per 50 lines
        ({I.PIVOT: 1, I.XML_JSON: 2}, 40, 3 + 4 * 1.25, Level.MEDIUM),
        ({I.CURSOR: 1, I.WHILE_LOOP: 1}, 30, 12, Level.MEDIUM),
        ({I.CURSOR: 1, I.WHILE_LOOP: 1, I.TEMP_TABLE: 2, I.SPATIAL: 3}, 130, 25.25, Level.HIGH),
        (
            {I.CURSOR: 1, I.WHILE_LOOP: 1, I.DYNAMIC_SQL: 1, I.TEMP_TABLE: 1, I.TRANSACTION: 3},
            200,
            31.5,
            Level.VERY_HIGH,
        ),
        ({I.DYNAMIC_SQL: 1, I.TRY_CATCH: 1, I.TRANSACTION: 3}, 60, 8 + 3 + 4.5 + 1, Level.HIGH),
        ({I.CLR: 1}, 3, 20, Level.HIGH),
        ({I.CLR: 1, I.LINKED_SERVER: 1}, 3, 30, Level.VERY_HIGH),
    ],
)
def test_score_and_level(
    counts: dict[Indicator, int], code_lines: int, expected_score: float, expected_level: Level
) -> None:
    points = score(Counter(counts), code_lines)
    assert points == expected_score
    assert level(points) is expected_level


@pytest.mark.parametrize(
    ("object_type", "counts", "code_lines", "hours"),
    [
        (ObjectType.TABLE, {}, 10, 0.25),
        (ObjectType.TABLE, {I.IDENTITY: 1, I.SPATIAL: 1}, 10, 0.25 + 0.25 + 3),
        (ObjectType.SEQUENCE, {I.SEQUENCE: 1}, 1, 0.1 + 0.25),
        (ObjectType.VIEW, {I.PIVOT: 1}, 20, 0.5 + 1),
        (ObjectType.PROCEDURE, {I.CURSOR: 1, I.WHILE_LOOP: 1}, 100, 1.5 + 4 + 2 + 2 * 0.25),
        (ObjectType.PROCEDURE, {I.TRANSACTION: 3}, 10, 1.5 + 1.5 * 1.5),
        (ObjectType.FUNCTION, {I.CLR: 1}, 3, 1 + 16),
        (ObjectType.TRIGGER, {I.TRIGGER: 1, I.XML_JSON: 6}, 49, 1 + 4 + 2 * 2),
    ],
)
def test_manual_hours(
    object_type: ObjectType, counts: dict[Indicator, int], code_lines: int, hours: float
) -> None:
    assert manual_hours(object_type, Counter(counts), code_lines) == pytest.approx(hours)


def test_strategies_heaviest_first_in_the_migrations_words() -> None:
    found = strategies(Counter({I.TEMP_TABLE: 2, I.CURSOR: 1, I.MERGE: 1, I.PIVOT: 1}))
    assert [s.split(":")[0] for s in found] == ["CURSOR", "MERGE", "PIVOT", "TEMP_TABLE"]
    assert "set-based" in found[0]
    assert "Delta MERGE" in found[1]
    assert "temporary view or cte" in found[3].lower()
