"""A schedule per bronze category with a cron in the config: one run per
registered table of the category.

`build_schedule_from_partitioned_job` rejects dynamic partitions, hence a plain
`@schedule` that reads the partitions at each tick. Categories depend on each
other (dimensions, then assignments, then facts and history); each has its own
cron, so stagger them in that order in `lakebridge.yaml`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from dagster import (
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    SkipReason,
    schedule,
)

from lakebridge_dagster.config import CATEGORIES, SourceConfig
from lakebridge_dagster.defs.bronze.jobs import build_bronze_jobs
from lakebridge_dagster.defs.bronze.partitions import bronze_job_name, bronze_partitions

if TYPE_CHECKING:  # not exported by dagster; define_asset_job returns it
    from dagster._core.definitions.unresolved_asset_job_definition import (
        UnresolvedAssetJobDefinition,
    )

LOAD_ORDER = "dimensions, then assignments, then facts and history"


def build_bronze_schedules(
    source: SourceConfig, jobs: Sequence[UnresolvedAssetJobDefinition] | None = None
) -> list[ScheduleDefinition]:
    """`<source>__bronze_<category>_schedule` for each category with a cron, in
    dependency order. Pass the Definitions' own bronze `jobs` (Dagster wants one
    object per job name); by default they are built here."""
    by_name = {job.name: job for job in (jobs or build_bronze_jobs(source))}
    return [
        _category_schedule(source, category, source.schedules[category], by_name)
        for category in CATEGORIES
        if category in source.schedules
    ]


def _category_schedule(
    source: SourceConfig,
    category: str,
    cron: str,
    jobs: dict[str, UnresolvedAssetJobDefinition],
) -> ScheduleDefinition:
    partitions = bronze_partitions(source.name, category)

    @schedule(
        cron_schedule=cron,
        job=jobs[bronze_job_name(source.name, category)],
        name=f"{source.name}__bronze_{category}_schedule",
        description=(
            f"At {cron!r}: one incremental bronze load per registered {category} table of "
            f"{source.name!r}. Categories load in dependency order ({LOAD_ORDER}) when their "
            "crons in lakebridge.yaml are staggered in that order."
        ),
    )
    def bronze_schedule(context: ScheduleEvaluationContext) -> list[RunRequest] | SkipReason:
        keys = sorted(context.instance.get_dynamic_partitions(partitions.name))
        if not keys:
            return SkipReason(
                f"{source.name}: no {category} tables are registered yet; materialize "
                f"{source.name}/table_registry (or turn on {source.name}__new_tables_sensor)"
            )
        tick = context.scheduled_execution_time
        return [
            RunRequest(
                run_key=f"{key}:{tick.isoformat()}" if tick is not None else None,
                partition_key=key,
            )
            for key in keys
        ]

    return bronze_schedule
