"""Transpile a whole catalog: one result per object, each object on its own.

A converter that raises on one object marks that object FAILED and the run
goes on; a construct with no Databricks equivalent makes the object MANUAL
with the reasons; every converted output is validated before it is called
CONVERTED. Nothing is dropped: every catalog object gets a result and a file.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sqlglot.errors import ParseError, TokenError

from lakebridge_dagster.artifacts import write_atomic
from lakebridge_dagster.assessment.report import ComplexityReport, ObjectAssessment
from lakebridge_dagster.catalog.model import CatalogObject, ObjectType, SourceCatalog
from lakebridge_dagster.config import SourceConfig
from lakebridge_dagster.sqlglot_logging import quiet_sqlglot
from lakebridge_dagster.transpile.context import (
    ManualConversion,
    ObjectContext,
    TranspileOptions,
    manual,
    unity_catalog_name,
)
from lakebridge_dagster.transpile.model import Message, ObjectResult, Status, TranspileReport
from lakebridge_dagster.transpile.postgres import convert_postgres_object
from lakebridge_dagster.transpile.render import relative_path, render_file
from lakebridge_dagster.transpile.tsql_objects import convert_tsql_object
from lakebridge_dagster.transpile.tsql_procedures import convert_tsql_procedure
from lakebridge_dagster.transpile.validate import validate_output

Progress = Callable[[int, int, ObjectResult], None]

# Catalogs this large are converted by several processes (one per CPU, at most
# MAX_WORKERS); below it, starting them costs more than it saves.
PARALLEL_FROM = 500
MAX_WORKERS = 8
_CHUNK = 16  # objects per task: small enough to balance, large enough to amortise


def options_for(source: SourceConfig, target_catalog: str) -> TranspileOptions:
    """The transpile options of a configured source."""
    settings = source.transpile
    return TranspileOptions(
        target_catalog=target_catalog,
        target_schema=settings.schema_name or source.target.schema_name,
        identity_generation="ALWAYS" if settings.identity == "always" else "BY DEFAULT",
        schema_map=dict(settings.schema_map),
    )


def sqlglot_dialect(catalog_dialect: str) -> str:
    return "postgres" if catalog_dialect == "postgres" else "tsql"


@dataclass
class TranspileResult:
    """The report and the text of every object's file, before anything is written."""

    report: TranspileReport
    files: dict[PurePosixPath, str] = field(default_factory=dict)
    # worker processes that converted objects (1: only this process did), and
    # why worker processes were given up for this one, if they were
    workers: int = 1
    fallback: str | None = None

    def write(self, directory: Path) -> Path:
        """Write every file and the report under `directory`; files of objects that
        are gone from the catalog are removed. Returns the report's path."""
        directory = Path(directory)
        for relative, text in self.files.items():
            write_atomic(directory / relative, text)
        keep = {directory / relative for relative in self.files}
        for stale in directory.glob("*/*/*.sql"):
            if stale not in keep:
                stale.unlink()
        return self.report.write(directory)


def transpile_catalog(
    catalog: SourceCatalog,
    options: TranspileOptions,
    assessment: ComplexityReport | None = None,
    progress: Progress | None = None,
    *,
    workers: int | None = None,
) -> TranspileResult:
    """Convert every object of `catalog` to Databricks SQL.

    `workers`: processes converting objects side by side; by default one per
    CPU (at most MAX_WORKERS) for catalogs of PARALLEL_FROM objects or more,
    else 1 (this process). The result is the same either way."""
    assessed = {
        (a.schema_name.lower(), a.name.lower(), a.type): a
        for a in (assessment.objects if assessment else [])
    }
    found = [
        assessed.get((obj.schema_name.lower(), obj.name.lower(), obj.type))
        for obj in catalog.objects
    ]
    if workers is None:
        workers = default_workers(len(catalog.objects))
    pairs, workers, fallback = _convert_all(catalog, options, found, progress, workers)
    converted = [
        (obj, result, sql) for obj, (result, sql) in zip(catalog.objects, pairs, strict=True)
    ]
    flag_blocked_dependencies([result for _, result, _ in converted], assessed)
    results: list[ObjectResult] = []
    files: dict[PurePosixPath, str] = {}
    for obj, result, sql in converted:
        path = relative_path(result)
        while path in files:  # same name in different case on the same schema/type
            path = path.with_stem(path.stem + "_")
        result.output_file = str(path)
        results.append(result)
        files[path] = render(obj, catalog, result, sql)
    report = TranspileReport.build(
        source=catalog.source,
        dialect=catalog.dialect,
        target_catalog=options.target_catalog,
        target_schema=options.target_schema,
        objects=results,
    )
    return TranspileResult(report=report, files=files, workers=workers, fallback=fallback)


def default_workers(objects: int) -> int:
    if objects < PARALLEL_FROM:
        return 1
    return max(1, min(_usable_cpus(), MAX_WORKERS))


def _usable_cpus() -> int:
    affinity = getattr(os, "sched_getaffinity", None)  # Linux; elsewhere every CPU
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


Converted = tuple[ObjectResult, str | None]


def _convert_all(
    catalog: SourceCatalog,
    options: TranspileOptions,
    found: list[ObjectAssessment | None],
    progress: Progress | None,
    workers: int,
) -> tuple[list[Converted], int, str | None]:
    """Every object's (result, sql) in catalog order, the number of worker
    processes that converted some (1: only this process did), and why worker
    processes were given up (None if they were not)."""
    total = len(catalog.objects)
    out: list[Converted | None] = [None] * total
    done = 0
    fallback = None
    used = 1

    def record(index: int, pair: Converted) -> None:
        nonlocal done
        out[index] = pair
        done += 1
        if progress is not None:
            progress(done, total, pair[0])

    if workers > 1:
        try:
            for start, pairs in _in_processes(catalog, options, found, workers):
                used = workers
                for offset, pair in enumerate(pairs):
                    record(start + offset, pair)
        except (BrokenProcessPool, OSError, ValueError) as error:
            # a worker died, none could start, or this platform has no fork
            # server (ValueError): what is missing is converted here
            fallback = f"{type(error).__name__}: {error}"
    with _batch():
        for index, obj in enumerate(catalog.objects):
            if out[index] is None:
                record(index, convert_object(obj, catalog, options, found[index]))
    return [pair for pair in out if pair is not None], used, fallback


def _in_processes(
    catalog: SourceCatalog,
    options: TranspileOptions,
    found: list[ObjectAssessment | None],
    workers: int,
) -> Iterator[tuple[int, list[Converted]]]:
    """(first index, pairs) per chunk of objects, as the worker processes finish
    them. The processes come from a fork server (forking the caller, a Dagster
    run worker with threads of its own, could copy a held lock), which imports
    this module once; each worker gets the catalog once."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["__main__", __name__])
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(catalog, options, found),
    ) as pool:
        chunks = range(0, len(catalog.objects), _CHUNK)
        futures = [pool.submit(_convert_chunk, start) for start in chunks]
        for future in as_completed(futures):
            yield future.result()


_worker: tuple[SourceCatalog, TranspileOptions, list[ObjectAssessment | None]] | None = None


def _start_worker(
    catalog: SourceCatalog, options: TranspileOptions, found: list[ObjectAssessment | None]
) -> None:
    global _worker  # noqa: PLW0603 - one catalog per worker process, set once
    _worker = (catalog, options, found)


def _convert_chunk(start: int) -> tuple[int, list[Converted]]:
    assert _worker is not None, "worker not started"
    catalog, options, found = _worker
    stop = min(start + _CHUNK, len(catalog.objects))
    with _batch():
        return start, [
            convert_object(catalog.objects[index], catalog, options, found[index])
            for index in range(start, stop)
        ]


@contextmanager
def _batch() -> Iterator[None]:
    """sqlglot quiet, and the cycle collector run less often: every parsed node
    points to its parent, so each object leaves thousands of small cycles and
    the default threshold (700 new objects) runs the collector hundreds of times
    per object. Collections still happen, so memory stays bounded."""
    threshold = gc.get_threshold()
    gc.set_threshold(_GC_THRESHOLD, *threshold[1:])
    try:
        with quiet_sqlglot():
            yield
    finally:
        gc.set_threshold(*threshold)


_GC_THRESHOLD = 20_000


def flag_blocked_dependencies(
    results: list[ObjectResult], assessed: dict[tuple, ObjectAssessment]
) -> None:
    """A converted object that reads or calls a view, function or procedure left
    MANUAL or FAILED will not run until that object is done by hand: say so."""
    blocked = {
        result.qualified_name.lower(): result
        for result in results
        if result.status in (Status.MANUAL, Status.FAILED)
        and result.type in (ObjectType.VIEW, ObjectType.FUNCTION, ObjectType.PROCEDURE)
    }
    for result in results:
        if result.status not in _CONVERTED:
            continue
        found = assessed.get((result.schema_name.lower(), result.name.lower(), result.type))
        for dependency in found.depends_on if found else []:
            other = blocked.get(dependency.lower())
            if other is None or other is result:
                continue
            result.messages.append(
                Message(
                    level="warning",
                    text=(
                        f"uses {other.type.value.lower()} {other.qualified_name}, which is "
                        f"{other.status.value}: this object will not run until that one is "
                        "converted by hand"
                    ),
                    rule="dependency",
                )
            )
            result.status = Status.CONVERTED_WITH_WARNINGS


def transpile_object(
    obj: CatalogObject,
    catalog: SourceCatalog,
    options: TranspileOptions,
    assessment: ObjectAssessment | None = None,
) -> tuple[ObjectResult, str]:
    """One object's result and file text (dependencies on other objects not checked)."""
    result, sql = convert_object(obj, catalog, options, assessment)
    return result, render(obj, catalog, result, sql)


def convert_object(
    obj: CatalogObject,
    catalog: SourceCatalog,
    options: TranspileOptions,
    assessment: ObjectAssessment | None = None,
) -> tuple[ObjectResult, str | None]:
    """One object's result and its Databricks SQL (best effort when MANUAL)."""
    dialect = sqlglot_dialect(catalog.dialect)
    ctx = ObjectContext(obj=obj, catalog=catalog, options=options, assessment=assessment)
    sql: str | None = None
    extra: list[Message] = []
    try:
        sql = _convert(ctx)
    except ManualConversion as outcome:
        extra, sql = outcome.reasons, outcome.partial_sql
        status = Status.MANUAL
    except (ParseError, TokenError) as exc:
        extra = [_unparsable(obj, dialect, exc)]
        status = Status.MANUAL
    except Exception as exc:  # noqa: BLE001 - one object's converter bug must not stop the run
        extra = [
            Message(
                level="error",
                text=f"the converter failed: {type(exc).__name__}: {exc}",
                rule="converter",
            )
        ]
        status = Status.FAILED
    else:
        extra = _validated(sql, ctx, dialect)
        if extra:
            status = Status.FAILED
        elif any(m.level in ("warning", "manual", "error") for m in ctx.messages):
            status = Status.CONVERTED_WITH_WARNINGS
        else:
            status = Status.CONVERTED
    _, _, target = ctx.target_name_parts(obj.schema_name, obj.name)
    if unity_catalog_name(obj.name) != obj.name:
        ctx.info(
            f"named {target} in Databricks: Unity Catalog names cannot hold spaces, "
            "periods or slashes; callers must use the new name",
            rule="name",
        )
    result = ObjectResult(
        schema=obj.schema_name,
        name=obj.name,
        type=obj.type,
        status=status,
        messages=[*ctx.messages, *extra],
        input_chars=len(obj.definition or ""),
        output_chars=len(sql or "") if status in _CONVERTED else 0,
        strategies=list(assessment.strategies) if assessment else [],
        target_name=".".join((options.target_catalog, ctx.target_schema(obj.schema_name), target)),
    )
    return result, sql


def render(
    obj: CatalogObject, catalog: SourceCatalog, result: ObjectResult, sql: str | None
) -> str:
    """The text of one object's file."""
    return render_file(
        result,
        source=catalog.source,
        dialect=sqlglot_dialect(catalog.dialect),
        sql=sql,
        original=obj.definition,
        location=f"{obj.file} line {obj.line}" if obj.file else None,
    )


_CONVERTED = (Status.CONVERTED, Status.CONVERTED_WITH_WARNINGS)


def _convert(ctx: ObjectContext) -> str:
    obj = ctx.obj
    if not obj.definition and obj.type is not ObjectType.TABLE:
        raise ManualConversion(
            [
                manual(
                    "the catalog holds no definition for this object (encrypted, or the "
                    "extracting login may not read it); export its source and convert it by hand",
                    rule="definition",
                )
            ]
        )
    if ctx.catalog.dialect == "postgres":
        return convert_postgres_object(ctx)
    if obj.type is ObjectType.PROCEDURE:
        return convert_tsql_procedure(ctx)
    return convert_tsql_object(ctx)


def _validated(sql: str, ctx: ObjectContext, dialect: str) -> list[Message]:
    try:
        return validate_output(sql, ctx, dialect)
    except Exception as exc:  # noqa: BLE001 - an unvalidated output is never called CONVERTED
        return [
            Message(
                level="error",
                text=f"validation failed: {type(exc).__name__}: {exc}",
                rule="validation",
            )
        ]


def _unparsable(obj: CatalogObject, dialect: str, exc: ParseError | TokenError) -> Message:
    line = None
    details = getattr(exc, "errors", None) or []
    if details and isinstance(details[0], dict):
        line = details[0].get("line")
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return manual(
        f"sqlglot cannot parse this {dialect} {obj.type.value.lower()}: {first}; "
        "convert it by hand or simplify the construct it stops at",
        line=line,
        rule="parse",
    )
