"""Benchmark: our transpiler against plain sqlglot on a folder of T-SQL scripts.

Extracts the scripts catalog of DIR (default ../shared/corpus/tsql), then runs
on the same objects
- plain sqlglot: `sqlglot.transpile(definition, read="tsql", write="databricks")`,
- ours: `transpile_catalog` (rewrites, procedure conversion, validation),
and judges every output the same way: it parses as Databricks SQL (scripting
checker for procedures), names its object, keeps no T-SQL-only function and is
not under half the input's length. Prints per object type the share that is
clean for each, the silent losses (an output that fails the judge while its
tool reported success; must be 0 for us) and objects per second.

Targets: >= 95% of tables and views clean, >= 60% of procedures converted (the
rest MANUAL with a reason), 0 silent losses, >= 200 objects/s. Speed is printed
for one process and for worker processes (one per CPU, or --workers).

    .venv/bin/python bench/transpile_corpus.py [DIR] [--runs 3]
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import sqlglot
from sqlglot.errors import ErrorLevel, SqlglotError

from lakebridge_dagster.catalog.model import CatalogObject, ObjectType
from lakebridge_dagster.catalog.scripts import extract_scripts_catalog
from lakebridge_dagster.sqlglot_logging import quiet_sqlglot
from lakebridge_dagster.transpile import Status, TranspileOptions, transpile_catalog
from lakebridge_dagster.transpile.validate import (
    MIN_OUTPUT_SHARE,
    builtins_for,
    parse_problems,
    significant_chars,
)

DEFAULT_FOLDER = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "tsql"
TARGETS = {"TABLE": 0.95, "VIEW": 0.95, "PROCEDURE": 0.60}
TARGET_OBJECTS_PER_SECOND = 200
OPTIONS = TranspileOptions(target_catalog="main", target_schema="migrated")


def judge(sql: str | None, name: str, definition: str | None) -> list[str]:
    """Why `sql` is not a clean conversion of the object called `name` (empty: clean)."""
    if not sql or not sql.strip():
        return ["empty output"]
    problems = list(parse_problems(sql))
    if name.lower() not in sql.lower():
        problems.append("object name missing")
    tokens = sqlglot.Dialect.get_or_raise("databricks")
    try:
        toks = tokens.tokenize(sql)
    except SqlglotError:
        return [*problems, "does not tokenize"]
    leftovers = builtins_for("tsql")
    for token, following in zip(toks, toks[1:], strict=False):
        if following.text == "(" and token.text.upper() in leftovers:
            problems.append(f"T-SQL function {token.text.upper()} left")
            break
    if definition:
        source = significant_chars(definition, "tsql")
        output = sum(len(t.text) for t in toks)
        if source and output < MIN_OUTPUT_SHARE * source:
            problems.append(f"output {output} of {source} chars")
    return problems


def plain_sqlglot(obj: CatalogObject) -> tuple[str | None, bool]:
    """Plain sqlglot's output and whether it reported an error (raised or logged)."""
    handler = _Collect()
    logger = logging.getLogger("sqlglot")
    logger.addHandler(handler)
    try:
        out = sqlglot.transpile(
            obj.definition or "", read="tsql", write="databricks", error_level=ErrorLevel.WARN
        )
        return ";\n".join(out), bool(handler.records)
    except Exception:  # noqa: BLE001 - sqlglot also crashes (AttributeError) on some T-SQL
        return None, True
    finally:
        logger.removeHandler(handler)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, nargs="?", default=DEFAULT_FOLDER)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: one per CPU)"
    )
    args = parser.parse_args()

    catalog = extract_scripts_catalog("bench", args.folder)
    objects = catalog.objects
    print(f"\nTranspile benchmark on {args.folder}: {len(objects)} objects\n")

    # Plain sqlglot: clean = judged clean; silent loss = judged bad while no error was reported.
    plain_clean: Counter[str] = Counter()
    plain_silent: Counter[str] = Counter()
    started = time.perf_counter()
    plain_outputs = {}
    for obj in objects:
        plain_outputs[id(obj)] = plain_sqlglot(obj)
    plain_seconds = time.perf_counter() - started
    with quiet_sqlglot():
        for obj in objects:
            out, reported = plain_outputs[id(obj)]
            problems = judge(out, obj.name, obj.definition)
            if not problems and not reported:
                plain_clean[obj.type.value] += 1
            elif problems and not reported:
                plain_silent[obj.type.value] += 1

    seconds = []
    result = None
    for _ in range(max(args.runs, 1)):
        started = time.perf_counter()
        result = transpile_catalog(catalog, OPTIONS, workers=1)
        seconds.append(time.perf_counter() - started)
    assert result is not None
    # worker processes: the first run includes starting the fork server
    workers = args.workers or len(os.sched_getaffinity(0))
    parallel = []
    for _ in range(max(args.runs, 1) + 1):
        started = time.perf_counter()
        transpile_catalog(catalog, OPTIONS, workers=workers)
        parallel.append(time.perf_counter() - started)
    ours: dict[str, Counter[str]] = defaultdict(Counter)
    ours_silent: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as folder:
        result.write(Path(folder))
        by_key = {(o.schema_name, o.name, o.type): o for o in result.report.objects}
        for obj in objects:
            got = by_key.get((obj.schema_name, obj.name, obj.type))
            if got is None:  # an object with no result at all is the worst silent loss
                ours_silent[obj.type.value] += 1
                continue
            ours[obj.type.value][got.status.value] += 1
            if got.status in (Status.CONVERTED, Status.CONVERTED_WITH_WARNINGS):
                text = (Path(folder) / got.output_file).read_text()
                sql = (
                    "\n".join(line for line in text.splitlines() if not line.startswith("--"))
                    .strip()
                    .rstrip(";")
                )
                target = (got.target_name or "").rsplit(".", 1)[-1]
                if judge(sql, target, None):
                    ours_silent[obj.type.value] += 1
            else:
                for message in got.messages:
                    if message.level in ("manual", "error"):
                        reasons[(message.rule or "other")] += 1

    types = [t.value for t in ObjectType if any(o.type == t for o in objects)]
    head = (
        f"| {'type':<9} | {'objects':>7} | {'plain clean':>11} | {'plain silent':>12} "
        f"| {'ours clean':>10} | {'ours w/ warn':>12} | {'manual':>6} | {'failed':>6} "
        f"| {'ours silent':>11} | {'target':>6} |"
    )
    print(head)
    print("|" + "|".join("-" * len(cell) for cell in head.strip("|").split("|")) + "|")
    for object_type in types:
        total = sum(1 for o in objects if o.type.value == object_type)
        mine = ours[object_type]
        valid = mine["CONVERTED"] + mine["CONVERTED_WITH_WARNINGS"]
        target = TARGETS.get(object_type)
        print(
            f"| {object_type:<9} | {total:>7} | {_pct(plain_clean[object_type], total):>11} "
            f"| {plain_silent[object_type]:>12} | {_pct(mine['CONVERTED'], total):>10} "
            f"| {_pct(valid, total):>12} | {mine['MANUAL']:>6} | {mine['FAILED']:>6} "
            f"| {ours_silent[object_type]:>11} | {f'{target:.0%}' if target else '-':>6} |"
        )
    best = min(seconds)
    print(
        f"\nplain sqlglot: {len(objects) / plain_seconds:.0f} objects/s; ours, one process: "
        f"{len(objects) / best:.0f} objects/s (best of {len(seconds)}, median "
        f"{len(objects) / statistics.median(seconds):.0f}); target {TARGET_OBJECTS_PER_SECOND}"
    )
    steady = parallel[1:]
    print(
        f"ours, {workers} worker processes: {len(objects) / min(steady):.0f} objects/s (best of "
        f"{len(steady)}, median {len(objects) / statistics.median(steady):.0f}); first run, "
        f"starting the fork server: {len(objects) / parallel[0]:.0f} objects/s"
    )
    print(f"ours silent losses: {sum(ours_silent.values())} (must be 0)")
    print(f"MANUAL/FAILED reasons by rule: {dict(reasons.most_common())}\n")
    print("'ours clean' = CONVERTED; 'ours w/ warn' = CONVERTED or CONVERTED_WITH_WARNINGS, all")
    print("validated. The target shares count valid outputs ('ours w/ warn').\n")


def _pct(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "-"


if __name__ == "__main__":
    main()
