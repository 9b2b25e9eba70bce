"""`<source>/table_registry` and `<source>/bronze_<category>`: one partition per
source table, each materialization that table's incremental watermark load."""

from datetime import timedelta
from pathlib import Path
from typing import Literal

from dagster import (
    AllPartitionMapping,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetDep,
    AssetExecutionContext,
    AssetKey,
    AssetRecordsFilter,
    AssetsDefinition,
    Config,
    DagsterInstance,
    Failure,
    MaterializeResult,
    MetadataValue,
    OpExecutionContext,
    TableColumn,
    TableRecord,
    TableSchema,
    asset,
)

from lakebridge_dagster.bronze.checks import (
    duplicate_keys,
    parse_watermark,
    reconcile_row_counts,
    watermark_text,
)
from lakebridge_dagster.bronze.load import BronzeLoadError, LoadResult, load_table
from lakebridge_dagster.bronze.registry import RegisteredTable, TableRegistry, derive_registry
from lakebridge_dagster.bronze.watermarks import Watermark, WatermarkStore, watermark_table_path
from lakebridge_dagster.config import CATEGORIES, SourceConfig
from lakebridge_dagster.defs.bronze.partitions import (
    bronze_asset_key,
    bronze_partitions,
    registry_asset_key,
)
from lakebridge_dagster.defs.catalog.assets import read_catalog
from lakebridge_dagster.defs.resources import source_resource_key
from lakebridge_dagster.sources import Source

# Lineage as the seed's job DAG: dimensions -> assignments -> facts, history after
# assignments. A run of the asset loads one partition of one category; the schedules
# and `<source>__bronze_all` (jobs.py) keep the order.
UPSTREAM_CATEGORY: dict[str, str | None] = {
    "dimensions": None,
    "assignments": "dimensions",
    "facts": "assignments",
    "history": "assignments",
}
CHECK_RECONCILE = "row_count_reconciles"
CHECK_PK_UNIQUE = "primary_key_unique"
CHECK_WATERMARK = "watermark_not_backwards"


class BronzeLoadConfig(Config):
    """Run config of a bronze load, as the seed notebook's `load_mode` widget."""

    load_mode: Literal["incremental", "full"] = "incremental"


def watermark_store(live: Source) -> WatermarkStore:
    return WatermarkStore(watermark_table_path(live.lakehouse, live.target_catalog))


def build_table_registry_asset(source: SourceConfig) -> AssetsDefinition:
    """The table_registry asset: derive, write, and register the partitions."""
    resource_key = source_resource_key(source.name)
    catalog_key = AssetKey([source.name, "source_catalog"])

    @asset(
        key=registry_asset_key(source.name),
        deps=[catalog_key],
        group_name=source.name,
        required_resource_keys={resource_key},
        kinds={"json"},
        description=(
            f"How each table of {source.name!r} loads into bronze: key, watermark, category, "
            "mode, fetch size, geometry columns; registers one partition per table."
        ),
    )
    def table_registry(context: AssetExecutionContext) -> MaterializeResult:
        live: Source = getattr(context.resources, resource_key)
        registry = derive_registry(read_catalog(live), source)
        path = registry.write(live.registry_path)
        for warning in registry.warnings:
            context.log.warning(f"{source.name}: {warning}")
        added, vanished = register_partitions(context.instance, source.name, registry)
        for key in vanished:
            context.log.warning(
                f"{source.name}: {key} has a bronze partition but is no longer a registered "
                "table (dropped, renamed, excluded or moved category); its partition and "
                "bronze table are kept"
            )
        context.log.info(
            f"{source.name}: {len(registry.tables)} tables registered, "
            f"{len(registry.excluded)} excluded, {len(added)} new partitions"
        )
        return MaterializeResult(metadata=registry_metadata(registry, str(path), added, vanished))

    return table_registry


def register_partitions(
    instance, source: str, registry: TableRegistry
) -> tuple[list[str], list[str]]:
    """Add a partition for every registered table missing one; return (added,
    vanished): `category/key` of partitions added, and of partitions whose table is
    no longer registered in that category (reported, never removed silently)."""
    added: list[str] = []
    vanished: list[str] = []
    for category in CATEGORIES:
        name = bronze_partitions(source, category).name
        existing = set(instance.get_dynamic_partitions(name))
        wanted = [t.partition_key for t in registry.by_category(category)]
        new = [key for key in wanted if key not in existing]
        if new:
            instance.add_dynamic_partitions(name, new)
        added += [f"{category}/{key}" for key in new]
        vanished += [f"{category}/{key}" for key in sorted(existing - set(wanted))]
    return added, vanished


def registry_metadata(
    registry: TableRegistry, path: str, added: list[str], vanished: list[str]
) -> dict[str, object]:
    per_category = {c: len(registry.by_category(c)) for c in CATEGORIES}
    return {
        "tables": MetadataValue.int(len(registry.tables)),
        "excluded_count": MetadataValue.int(len(registry.excluded)),
        **{f"{c}": MetadataValue.int(n) for c, n in per_category.items()},
        "path": MetadataValue.path(path),
        "registry": MetadataValue.table(
            records=[
                TableRecord(
                    {
                        "partition": t.partition_key,
                        "category": t.category,
                        "primary_key": ", ".join(t.primary_key) or "(none)",
                        "watermark": t.watermark.describe() if t.watermark else "(full load)",
                        "mode": t.load_mode,
                        "fetch_size": t.fetch_size,
                        "target": t.target_table,
                    }
                )
                for t in registry.tables
            ],
            schema=TableSchema(
                columns=[
                    TableColumn("partition", "string"),
                    TableColumn("category", "string"),
                    TableColumn("primary_key", "string"),
                    TableColumn("watermark", "string"),
                    TableColumn("mode", "string"),
                    TableColumn("fetch_size", "int"),
                    TableColumn("target", "string"),
                ]
            ),
        ),
        "excluded": MetadataValue.md(
            "\n".join(f"- `{e.qualified_name}`: {e.reason}" for e in registry.excluded) or "_none_"
        ),
        "new_partitions": MetadataValue.md("\n".join(f"- {k}" for k in added) or "_none_"),
        "vanished_partitions": MetadataValue.md("\n".join(f"- {k}" for k in vanished) or "_none_"),
    }


def build_bronze_asset(source: SourceConfig, category: str) -> AssetsDefinition:
    """`<source>/bronze_<category>`: one partition per table of the category."""
    resource_key = source_resource_key(source.name)
    key = bronze_asset_key(source.name, category)
    upstream = UPSTREAM_CATEGORY[category]
    deps: list[AssetDep | AssetKey] = [registry_asset_key(source.name)]
    if upstream is not None:
        upstream_key = bronze_asset_key(source.name, upstream)
        deps.append(AssetDep(upstream_key, partition_mapping=AllPartitionMapping()))

    @asset(
        key=key,
        deps=deps,
        group_name=source.name,
        partitions_def=bronze_partitions(source.name, category),
        required_resource_keys={resource_key},
        kinds={"delta", source.dialect},
        check_specs=[
            AssetCheckSpec(
                CHECK_RECONCILE,
                asset=key,
                description=(
                    "source rows with watermark <= the new watermark equal bronze rows "
                    "(full-load tables: equal totals)"
                ),
            ),
            AssetCheckSpec(CHECK_PK_UNIQUE, asset=key, description="no duplicate primary keys"),
            AssetCheckSpec(
                CHECK_WATERMARK,
                asset=key,
                description=("the recorded watermark is not below the last materialization's"),
            ),
        ],
        description=(
            f"Bronze Delta tables of the {category} of {source.name!r}: each partition is a "
            "source table, each materialization its incremental watermark load (MERGE on the PK)."
        ),
    )
    def bronze(context: AssetExecutionContext, config: BronzeLoadConfig) -> MaterializeResult:
        live: Source = getattr(context.resources, resource_key)
        table = _registered_table(live, context.partition_key)
        return load_partition(context, live, key, table, config.load_mode)

    return bronze


def load_partition(
    context: AssetExecutionContext | OpExecutionContext,
    live: Source,
    key: AssetKey,
    table: RegisteredTable,
    mode: Literal["incremental", "full"],
) -> MaterializeResult:
    """Load `table` into its bronze Delta table and evaluate the three checks:
    what one partition of `key` reports, whether its bronze asset or the
    all-categories job runs the load. Raises `Failure` carrying the failed load's
    metadata after `load_table` recorded the failure in the watermark table."""
    target = live.bronze_path(table.target_table)
    store = watermark_store(live)
    lag = _lag(table, live.config.lag_window)
    context.log.info(
        f"Loading {table.qualified_name} ({mode}, watermark "
        f"{table.watermark.describe() if table.watermark else 'none: full load'}) -> {target}"
    )
    previous = _previous_watermark(context.instance, key, table.partition_key)
    try:
        result = load_table(
            table, live.url, target, store, source_system=live.name, mode=mode, lag=lag
        )
    except BronzeLoadError as error:
        raise Failure(description=str(error), metadata=load_metadata(error.result)) from None
    context.log.info(
        f"{table.qualified_name}: {result.status}, {result.rows_read} rows read, "
        f"{result.rows_inserted} inserted, {result.rows_updated} updated, watermark "
        f"{result.watermark_before} -> {result.watermark_after} in "
        f"{result.duration_seconds:.1f} s"
    )
    return MaterializeResult(
        metadata=load_metadata(result),
        check_results=[
            _reconcile_check(live, table, result, target),
            _pk_check(table, target),
            _watermark_check(store, live.name, table, result, previous),
        ],
    )


def read_registry(live: Source) -> TableRegistry:
    """The source's table registry, or a `Failure` saying how to make it."""
    if not live.registry_path.exists():
        raise Failure(
            description=f"source {live.name!r}: no table registry at {live.registry_path}; "
            f"materialize {live.name}/table_registry first"
        )
    return TableRegistry.read(live.registry_path)


def _registered_table(live: Source, partition_key: str) -> RegisteredTable:
    registry = read_registry(live)
    try:
        return registry.table(partition_key)
    except KeyError as error:
        raise Failure(description=str(error.args[0])) from None


def _lag(table: RegisteredTable, lag_window: int) -> timedelta | int | None:
    if not lag_window or table.watermark is None:
        return None
    return timedelta(seconds=lag_window) if table.watermark.type == "timestamp" else lag_window


def load_metadata(result: LoadResult) -> dict[str, object]:
    """A load's measurements, as the seed's LoadResult, for the UI."""
    metadata: dict[str, object] = {
        "status": MetadataValue.text(result.status),
        "mode": MetadataValue.text(result.mode),
        "rows_read": MetadataValue.int(result.rows_read),
        "rows_inserted": MetadataValue.int(result.rows_inserted),
        "rows_updated": MetadataValue.int(result.rows_updated),
        "watermark_before": MetadataValue.text(str(watermark_text(result.watermark_before))),
        "watermark_after": MetadataValue.text(str(watermark_text(result.watermark_after))),
        "duration_seconds": MetadataValue.float(round(result.duration_seconds, 3)),
        "target_path": MetadataValue.path(result.target_path),
    }
    if result.delta_version is not None:
        metadata["delta_version"] = MetadataValue.int(result.delta_version)
    if result.error_message:
        metadata["error"] = MetadataValue.text(result.error_message)
    return metadata


def _previous_watermark(
    instance: DagsterInstance, key: AssetKey, partition_key: str
) -> Watermark | None:
    """The watermark the last materialization of this partition reported (this
    run's own materialization is not stored yet)."""
    records = instance.fetch_materializations(
        AssetRecordsFilter(asset_key=key, asset_partitions=[partition_key]), limit=1
    ).records
    if not records or records[0].asset_materialization is None:
        return None
    value = records[0].asset_materialization.metadata.get("watermark_after")
    return parse_watermark(value.value if value is not None else None)


def _reconcile_check(
    live: Source, table: RegisteredTable, result: LoadResult, target: Path
) -> AssetCheckResult:
    outcome = reconcile_row_counts(
        table, live.fetch_value, live.query_dialect, target, result.watermark_after
    )
    return AssetCheckResult(
        check_name=CHECK_RECONCILE,
        passed=outcome.matches,
        severity=AssetCheckSeverity.WARN,
        metadata={
            "source_rows": outcome.source_rows,
            "bronze_rows": outcome.bronze_rows,
            "up_to_watermark": MetadataValue.text(str(watermark_text(result.watermark_after))),
            "explanation": MetadataValue.text(outcome.explanation),
        },
    )


def _pk_check(table: RegisteredTable, target: Path) -> AssetCheckResult:
    if not table.primary_key:
        return AssetCheckResult(
            check_name=CHECK_PK_UNIQUE,
            passed=True,
            metadata={"explanation": "no primary key: the table is overwritten whole each load"},
        )
    duplicates = duplicate_keys(target, table.primary_key)
    return AssetCheckResult(
        check_name=CHECK_PK_UNIQUE,
        passed=not duplicates,
        metadata={
            "primary_key": ", ".join(table.primary_key),
            "duplicate_keys": len(duplicates),
            "examples": MetadataValue.json([[str(v) for v in key] for key in duplicates[:10]]),
        },
    )


def _watermark_check(
    store: WatermarkStore,
    source: str,
    table: RegisteredTable,
    result: LoadResult,
    previous: Watermark | None,
) -> AssetCheckResult:
    """The watermark table's value, read back after the load, against the one the
    previous materialization reported: catches a reset or a lost write of the
    watermark table. A full load may legitimately move it back (it resets)."""
    state = store.get(source, table.schema_name, table.name)
    recorded = state.watermark if state is not None else None
    if result.mode == "full" or previous is None or table.watermark is None:
        passed, why = True, "no earlier incremental watermark to compare with"
    elif recorded is None:
        passed, why = False, "the watermark table has no watermark for this table any more"
    else:
        passed = recorded >= previous
        why = "moved forward or stayed" if passed else "moved backwards"
    return AssetCheckResult(
        check_name=CHECK_WATERMARK,
        passed=passed,
        metadata={
            "previous": MetadataValue.text(str(watermark_text(previous))),
            "recorded": MetadataValue.text(str(watermark_text(recorded))),
            "explanation": MetadataValue.text(why),
        },
    )
