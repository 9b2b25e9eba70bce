"""Benchmark: assessment of a folder of T-SQL scripts (default: ../shared/corpus/tsql).

Extracts the scripts catalog once (`extract_scripts_catalog`, timed apart), then
runs `assess_catalog` on it several times and prints objects per second (the
first, cold run and the best run) and the count of every indicator, as tables.
Target on the 2-core machine: >= 200 objects/s.

    .venv/bin/python bench/assessment.py [--folder PATH] [--runs 5]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time
from collections import Counter
from pathlib import Path

from lakebridge_dagster.assessment import Indicator, assess_catalog
from lakebridge_dagster.catalog.scripts import extract_scripts_catalog

TARGET_OBJECTS_PER_SECOND = 200
DEFAULT_FOLDER = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "tsql"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)

    started = time.perf_counter()
    catalog = extract_scripts_catalog("bench", args.folder)
    extract_seconds = time.perf_counter() - started
    objects = len(catalog.objects)

    seconds: list[float] = []
    report = None
    for _ in range(max(args.runs, 1)):
        started = time.perf_counter()
        report = assess_catalog(catalog)
        seconds.append(time.perf_counter() - started)
    assert report is not None

    best = min(seconds)
    rate = objects / best
    print(f"\nAssessment of {args.folder} ({objects} objects, {len(seconds)} runs)\n")
    rows = [
        ("catalog extraction (not assessed)", f"{extract_seconds:.2f} s", ""),
        ("assess_catalog, first run (cold)", f"{seconds[0]:.3f} s", f"{objects / seconds[0]:.0f}"),
        (
            "assess_catalog, median",
            f"{statistics.median(seconds):.3f} s",
            f"{objects / statistics.median(seconds):.0f}",
        ),
        ("assess_catalog, best", f"{best:.3f} s", f"{rate:.0f}"),
    ]
    print(f"| {'step':<36} | {'time':>9} | {'objects/s':>9} |")
    print(f"|{'-' * 38}|{'-' * 11}|{'-' * 11}|")
    for step, elapsed, per_second in rows:
        print(f"| {step:<36} | {elapsed:>9} | {per_second:>9} |")
    verdict = "meets" if rate >= TARGET_OBJECTS_PER_SECOND else "MISSES"
    print(f"\nbest {rate:.0f} objects/s {verdict} the target of {TARGET_OBJECTS_PER_SECOND}.")

    summary = report.summary
    print(
        f"\nRead from the AST: {summary.analysis.get('ast', 0)}, from tokens: "
        f"{summary.analysis.get('tokens', 0)}, analysis errors: {summary.analysis_errors}; "
        f"levels {summary.levels}; {summary.manual_hours:g} hours; "
        f"{len(summary.waves)} waves, {len(summary.cycles)} cycles.\n"
    )
    per_type = Counter(obj.type.value for obj in report.objects)
    print(f"| {'indicator':<16} | {'objects':>7} | {'occurrences':>11} |")
    print(f"|{'-' * 18}|{'-' * 9}|{'-' * 13}|")
    for indicator in Indicator:
        print(
            f"| {indicator.value:<16} | {summary.indicators.get(indicator.value, 0):>7} "
            f"| {summary.occurrences.get(indicator.value, 0):>11} |"
        )
    print(f"\nobjects per type: {dict(sorted(per_type.items()))}")


if __name__ == "__main__":
    main()
