"""The bronze jobs of a source.

- `<source>__bronze_<category>_job`: one partition (one table) of one category
  per run; `dagster job launch`, the schedules and the sensors use these.
- `<source>__bronze_all`: every registered table of every category in one run,
  in the seed's order (dimensions, assignments, facts, history). Dagster
  refuses one asset job over assets with different partition sets, so this is
  an op job: each table's load is the same `load_partition` the bronze asset
  runs, reported as a materialization of that table's partition of
  `bronze_<category>` (same metadata) with its three check evaluations.

Failures in the all-categories job: a table that fails is recorded (the
watermark table keeps its last successful watermark and the error, and an
observation of its partition carries the failed load's metadata); the other
tables of the same category still load, since they do not depend on each
other; then the run fails before the next category starts, because facts and
history are joined to the dimensions and assignments they reference.
"""

from collections.abc import Iterator

from dagster import (
    AssetCheckEvaluation,
    AssetMaterialization,
    AssetObservation,
    AssetSelection,
    Failure,
    JobDefinition,
    MetadataValue,
    OpExecutionContext,
    define_asset_job,
    job,
    op,
)

from lakebridge_dagster.bronze.registry import TableRegistry
from lakebridge_dagster.config import CATEGORIES, SourceConfig
from lakebridge_dagster.defs.bronze.assets import (
    BronzeLoadConfig,
    load_partition,
    read_registry,
    register_partitions,
)
from lakebridge_dagster.defs.bronze.partitions import (
    bronze_asset_key,
    bronze_job_name,
    bronze_partitions,
)
from lakebridge_dagster.defs.resources import source_resource_key
from lakebridge_dagster.sources import Source

Event = AssetMaterialization | AssetObservation | AssetCheckEvaluation


def build_bronze_jobs(source: SourceConfig) -> list:
    """The per-category jobs of a source (partitioned: one table per run)."""
    return [
        define_asset_job(
            bronze_job_name(source.name, category),
            selection=AssetSelection.assets(bronze_asset_key(source.name, category)),
            partitions_def=bronze_partitions(source.name, category),
            description=f"Load one {category} table of {source.name!r} into bronze.",
        )
        for category in CATEGORIES
    ]


def bronze_all_job_name(source: str) -> str:
    return f"{source}__bronze_all"


def build_bronze_all_job(source: SourceConfig) -> JobDefinition:
    """`<source>__bronze_all`: every registered table, category by category (see
    the module doc for the order and what a failure stops)."""
    resource_key = source_resource_key(source.name)
    order = ", ".join(CATEGORIES)

    @op(
        name=f"{source.name}__load_bronze_all",
        out={},  # events only: one materialization per table, no op output
        required_resource_keys={resource_key},
        description=f"Loads every registered table of {source.name!r}, category by category.",
    )
    def load_bronze_all(context: OpExecutionContext, config: BronzeLoadConfig) -> Iterator[Event]:
        live: Source = getattr(context.resources, resource_key)
        registry = read_registry(live)
        added, _ = register_partitions(context.instance, source.name, registry)
        for key in added:
            context.log.info(f"{source.name}: added the partition of {key}")
        for position, category in enumerate(CATEGORIES):
            failed: list[str] = []
            yield from _load_category(context, live, category, registry, config, failed)
            if failed:
                not_started = list(CATEGORIES[position + 1 :])
                raise Failure(
                    description=(
                        f"source {source.name!r}: {len(failed)} {category} table(s) failed to "
                        f"load ({', '.join(failed)}); the other {category} tables loaded. "
                        + (
                            f"Not started: {', '.join(not_started)} (they depend on the "
                            f"{category}). "
                            if not_started
                            else ""
                        )
                        + "Each failed table's error is in its partition's observation and in "
                        "the watermark table; fix it and re-run this job or the partition."
                    ),
                    metadata={
                        "failed_tables": MetadataValue.json(failed),
                        "categories_not_started": MetadataValue.json(not_started),
                    },
                )

    @job(
        name=bronze_all_job_name(source.name),
        description=(
            f"Load every registered table of {source.name!r} into bronze in one run, in the "
            f"seed's order ({order}); each table is recorded as a materialization of its "
            "partition of bronze_<category>. A failed table fails the run after the rest of "
            "its category; later categories are not started."
        ),
    )
    def bronze_all() -> None:
        load_bronze_all()

    return bronze_all


def _load_category(
    context: OpExecutionContext,
    live: Source,
    category: str,
    registry: TableRegistry,
    config: BronzeLoadConfig,
    failed: list[str],
) -> Iterator[Event]:
    """Load each table of `category`, yielding each table's partition events as
    soon as it is done (the UI sees them during the run); the partition keys of
    the tables that failed are appended to `failed`."""
    key = bronze_asset_key(live.name, category)
    for table in registry.by_category(category):
        partition = table.partition_key
        try:
            loaded = load_partition(context, live, key, table, config.load_mode)
        except Failure as failure:
            context.log.error(f"{live.name}: {category}/{partition} failed: {failure.description}")
            failed.append(partition)
            yield AssetObservation(
                asset_key=key,
                partition=partition,
                description=failure.description,
                metadata=failure.metadata,
            )
            continue
        yield AssetMaterialization(asset_key=key, partition=partition, metadata=loaded.metadata)
        for check in loaded.check_results or []:
            yield AssetCheckEvaluation(
                asset_key=key,
                check_name=check.check_name,
                passed=check.passed,
                metadata=check.metadata,
                severity=check.severity,
                description=check.description,
                partition=partition,
            )
