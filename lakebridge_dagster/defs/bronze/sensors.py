"""Two sensors per live source (PostgreSQL or SQL Server): one loads the tables
that changed in the source, the other registers tables that appeared (and
reports those gone). Both reach the source through `Source`, whatever its dialect."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from dagster import (
    AssetKey,
    AssetMaterialization,
    MetadataValue,
    RunRequest,
    SensorDefinition,
    SensorEvaluationContext,
    SensorResult,
    sensor,
)

from lakebridge_dagster.bronze.changes import (
    WatermarkObservation,
    compare_table_lists,
    plan_change_requests,
    source_watermark,
)
from lakebridge_dagster.bronze.registry import TableRegistry, derive_registry
from lakebridge_dagster.catalog.model import SourceCatalog
from lakebridge_dagster.config import CATEGORIES, SourceConfig
from lakebridge_dagster.defs.bronze.assets import registry_metadata, watermark_store
from lakebridge_dagster.defs.bronze.jobs import build_bronze_jobs
from lakebridge_dagster.defs.bronze.partitions import (
    bronze_job_name,
    bronze_partitions,
    registry_asset_key,
)
from lakebridge_dagster.defs.catalog.assets import catalog_metadata
from lakebridge_dagster.defs.resources import source_resource_key
from lakebridge_dagster.sources import Source

if TYPE_CHECKING:  # not exported by dagster; define_asset_job returns it
    from dagster._core.definitions.unresolved_asset_job_definition import (
        UnresolvedAssetJobDefinition,
    )


def build_bronze_sensors(
    source: SourceConfig, jobs: Sequence[UnresolvedAssetJobDefinition] | None = None
) -> list[SensorDefinition]:
    """Both sensors of a source. Pass the Definitions' own bronze `jobs` (Dagster
    wants one object per job name); by default they are built here."""
    jobs = jobs or build_bronze_jobs(source)
    return [build_source_change_sensor(source, jobs), build_new_tables_sensor(source, jobs)]


def build_source_change_sensor(
    source: SourceConfig,
    jobs: Sequence[UnresolvedAssetJobDefinition] | None = None,
    minimum_interval_seconds: int = 300,
) -> SensorDefinition:
    """`<source>__source_change_sensor`: a load for each registered table whose
    source watermark moved above its last successful load."""
    resource_key = source_resource_key(source.name)

    @sensor(
        name=f"{source.name}__source_change_sensor",
        jobs=list(jobs or build_bronze_jobs(source)),
        minimum_interval_seconds=minimum_interval_seconds,
        required_resource_keys={resource_key},
        description=(
            f"Every {minimum_interval_seconds} s, asks {source.name!r} for MAX(watermark) of "
            "each registered table (one cheap query per table) and requests a bronze load of "
            "the tables whose source watermark is above their last successful load, once per "
            "source watermark. Full-load tables (no watermark) are not requested here: the "
            "category schedules reload them."
        ),
    )
    def source_change_sensor(context: SensorEvaluationContext) -> SensorResult:
        live: Source = getattr(context.resources, resource_key)
        requested: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
        if not live.registry_path.exists():
            return SensorResult(
                skip_reason=f"no table registry at {live.registry_path}; "
                f"materialize {source.name}/table_registry first",
                cursor=context.cursor,
            )
        registry = TableRegistry.read(live.registry_path)
        partitioned = {
            key
            for category in CATEGORIES
            for key in context.instance.get_dynamic_partitions(
                bronze_partitions(source.name, category).name
            )
        }
        # Tables without a partition yet are the new_tables_sensor's to load first.
        tables = [
            t for t in registry.tables if t.watermark is not None and t.partition_key in partitioned
        ]
        loaded = {
            (state.source_schema, state.source_table): state.watermark
            for state in watermark_store(live).all(source.name)
        }
        observations: list[WatermarkObservation] = []
        failed: list[str] = []
        for reading in live.read_max_watermarks(tables):
            table, error, source_max = reading.table, reading.error, None
            if error is None:
                try:
                    source_max = source_watermark(reading.value)
                except TypeError as not_a_watermark:
                    error = not_a_watermark
            if error is not None:
                detail = (str(error).strip().splitlines() or [""])[0]
                context.log.warning(
                    f"{source.name}: cannot read MAX({table.watermark.describe()}) of "  # type: ignore[union-attr]
                    f"{table.qualified_name} ({type(error).__name__}: {detail}); skipping "
                    "it this tick. If the table was dropped, new_tables_sensor reports it."
                )
                failed.append(table.partition_key)
                continue
            observations.append(
                WatermarkObservation(
                    table.partition_key, source_max, loaded.get((table.schema_name, table.name))
                )
            )
        plan = plan_change_requests(observations, requested, failed)
        cursor = json.dumps(plan.cursor, sort_keys=True)
        if not plan.to_load:
            return SensorResult(
                skip_reason=f"no source changes in {len(observations)} watermark tables"
                + (f"; {len(failed)} could not be queried" if failed else ""),
                cursor=cursor,
            )
        category = {t.partition_key: t.category for t in tables}
        for change in plan.to_load:
            context.log.info(
                f"{source.name}: {change.partition_key} source watermark {change.source_max} "
                f"is above the last load's ({change.loaded}); requesting a load"
            )
        return SensorResult(
            run_requests=[
                RunRequest(
                    run_key=f"{change.partition_key}:{plan.cursor[change.partition_key]}",
                    partition_key=change.partition_key,
                    job_name=bronze_job_name(source.name, category[change.partition_key]),
                )
                for change in plan.to_load
            ],
            cursor=cursor,
        )

    return source_change_sensor


def build_new_tables_sensor(
    source: SourceConfig,
    jobs: Sequence[UnresolvedAssetJobDefinition] | None = None,
    minimum_interval_seconds: int = 600,
) -> SensorDefinition:
    """`<source>__new_tables_sensor`: re-extract the catalog and re-derive the
    registry; add a partition for each new table and request its first load;
    report tables that vanished (their partitions are kept)."""
    resource_key = source_resource_key(source.name)
    catalog_key = AssetKey([source.name, "source_catalog"])
    name = f"{source.name}__new_tables_sensor"

    @sensor(
        name=name,
        jobs=list(jobs or build_bronze_jobs(source)),
        minimum_interval_seconds=minimum_interval_seconds,
        required_resource_keys={resource_key},
        description=(
            f"Every {minimum_interval_seconds} s, re-reads the table list of {source.name!r} "
            "(the catalog extraction, set-based) and re-derives the table registry. A new "
            "table gets its bronze partition and a first load; a table that vanished is "
            "reported (its partition and bronze table are kept). Rewrites "
            f"{catalog_key.to_user_string()} and {source.name}/table_registry when the tables "
            "change."
        ),
    )
    def new_tables_sensor(context: SensorEvaluationContext) -> SensorResult:
        live: Source = getattr(context.resources, resource_key)
        previous: list[str] | None = json.loads(context.cursor) if context.cursor else None
        catalog = live.extract_catalog().catalog
        registry = derive_registry(catalog, source)
        change = compare_table_lists(
            {c: [t.partition_key for t in registry.by_category(c)] for c in CATEGORIES},
            {
                c: context.instance.get_dynamic_partitions(bronze_partitions(source.name, c).name)
                for c in CATEGORIES
            },
            previous,
        )
        cursor = json.dumps(change.registered)
        summary = f"{len(registry.tables)} registered"
        if not (change.new or change.vanished or change.changed):
            return SensorResult(skip_reason=f"no new tables; {summary}", cursor=cursor)

        # Written before the first loads run: a load reads its table's registry entry.
        catalog_path = catalog.write(live.catalog_path)
        registry_path = registry.write(live.registry_path)
        for key in change.vanished:
            context.log.warning(
                f"{source.name}: {key} has a bronze partition but is no longer a registered "
                "table (dropped, renamed, excluded or moved category); its partition and "
                "bronze table are kept"
            )
        for key in change.new_tables:
            context.log.info(f"{source.name}: new table {key}; adding its partition")
        asset_events = [
            _catalog_event(
                catalog_key, name, catalog, str(catalog_path), change.new_tables, change.vanished
            ),
            AssetMaterialization(
                asset_key=registry_asset_key(source.name),
                description=f"rewritten by {name}",
                metadata=registry_metadata(
                    registry, str(registry_path), change.new_tables, change.vanished
                ),
            ),
        ]
        run_requests = [
            RunRequest(
                run_key=f"{category}/{key}:first_load",
                partition_key=key,
                job_name=bronze_job_name(source.name, category),
            )
            for category, keys in change.new.items()
            for key in keys
        ]
        if change.vanished:
            summary += f"; vanished: {', '.join(change.vanished)}"
        return SensorResult(
            run_requests=run_requests,
            skip_reason=None if run_requests else f"no new tables; {summary}",
            dynamic_partitions_requests=[
                bronze_partitions(source.name, category).build_add_request(keys)
                for category, keys in change.new.items()
            ],
            asset_events=asset_events,
            cursor=cursor,
        )

    return new_tables_sensor


def _catalog_event(
    key: AssetKey,
    sensor_name: str,
    catalog: SourceCatalog,
    path: str,
    new: list[str],
    vanished: list[str],
) -> AssetMaterialization:
    metadata = catalog_metadata(catalog, path)
    metadata["new_tables"] = MetadataValue.md("\n".join(f"- {k}" for k in new) or "_none_")
    metadata["vanished_tables"] = MetadataValue.md(
        "\n".join(f"- {k}" for k in vanished) or "_none_"
    )
    return AssetMaterialization(
        asset_key=key, description=f"re-extracted by {sensor_name}", metadata=metadata
    )
