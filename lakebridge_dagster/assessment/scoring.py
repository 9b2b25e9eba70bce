"""Score, level, manual-work estimate and strategies of an object, from `INDICATORS`."""

from __future__ import annotations

from collections import Counter

from lakebridge_dagster.assessment.indicators import (
    BASE_HOURS,
    INDICATORS,
    LEVELS,
    LINES_PER_SIZE_POINT,
    MAX_REPEATS,
    REPEAT_FACTOR,
    SIZE_HOURS,
    Indicator,
    Level,
)
from lakebridge_dagster.catalog.model import ObjectType


def repeat_factor(occurrences: int) -> float:
    """1 for one occurrence, + REPEAT_FACTOR per further one, up to MAX_REPEATS of them."""
    return 1 + REPEAT_FACTOR * min(max(occurrences - 1, 0), MAX_REPEATS)


def size_points(code_lines: int) -> int:
    return code_lines // LINES_PER_SIZE_POINT


def score(counts: Counter[Indicator], code_lines: int) -> float:
    """Weighted points of the indicators found, plus one point per 50 lines of code."""
    points = sum(INDICATORS[indicator].weight * repeat_factor(n) for indicator, n in counts.items())
    return round(points + size_points(code_lines), 2)


def level(points: float) -> Level:
    for found, upper in LEVELS:
        if points < upper:
            return found
    return LEVELS[-1][0]


def manual_hours(object_type: ObjectType, counts: Counter[Indicator], code_lines: int) -> float:
    """Base hours of the object type + hours per indicator (repeats included) + size."""
    hours = BASE_HOURS[object_type]
    hours += sum(INDICATORS[indicator].hours * repeat_factor(n) for indicator, n in counts.items())
    hours += SIZE_HOURS * size_points(code_lines)
    return round(hours, 2)


def strategies(counts: Counter[Indicator]) -> list[str]:
    """The conversion strategy of every indicator found, heaviest first."""
    ordered = sorted(counts, key=lambda indicator: (-INDICATORS[indicator].weight, indicator.value))
    return [f"{indicator.value}: {INDICATORS[indicator].strategy}" for indicator in ordered]
