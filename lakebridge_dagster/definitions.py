"""The Dagster code location: assembles assets and resources from the config."""

from __future__ import annotations

from dagster import AssetsDefinition, Definitions

from lakebridge_dagster.config import CATEGORIES, LakebridgeConfig, SourceConfig, load_config
from lakebridge_dagster.defs.assessment.assets import build_complexity_report_asset
from lakebridge_dagster.defs.bronze.assets import build_bronze_asset, build_table_registry_asset
from lakebridge_dagster.defs.bronze.jobs import build_bronze_all_job, build_bronze_jobs
from lakebridge_dagster.defs.bronze.schedules import build_bronze_schedules
from lakebridge_dagster.defs.bronze.sensors import build_bronze_sensors
from lakebridge_dagster.defs.catalog.assets import build_source_catalog_asset
from lakebridge_dagster.defs.resources import source_resources
from lakebridge_dagster.defs.transpile.assets import (
    build_transpiled_sql_asset,
    build_transpiled_sql_check,
)


def source_assets(source: SourceConfig) -> list[AssetsDefinition]:
    """A source's asset graph. Live sources (postgres, sqlserver) get the table
    registry and the bronze assets; a scripts folder has no rows to load, so its
    graph stops at the catalog, the assessment and the transpiled SQL."""
    assets = [
        build_source_catalog_asset(source),
        build_complexity_report_asset(source),
        build_transpiled_sql_asset(source),
    ]
    if source.is_live:
        assets.append(build_table_registry_asset(source))
        assets += [build_bronze_asset(source, category) for category in CATEGORIES]
    return assets


def build_definitions(config: LakebridgeConfig) -> Definitions:
    """One asset graph per configured source, keys prefixed by the source name."""
    bronze_sources = [source for source in config.sources if source.is_live]
    jobs = {source.name: build_bronze_jobs(source) for source in bronze_sources}
    return Definitions(
        assets=[asset for source in config.sources for asset in source_assets(source)],
        asset_checks=[build_transpiled_sql_check(source) for source in config.sources],
        jobs=[job for source_jobs in jobs.values() for job in source_jobs]
        + [build_bronze_all_job(source) for source in bronze_sources],
        schedules=[
            schedule
            for source in bronze_sources
            for schedule in build_bronze_schedules(source, jobs[source.name])
        ],
        sensors=[
            sensor
            for source in bronze_sources
            for sensor in build_bronze_sensors(source, jobs[source.name])
        ],
        resources=source_resources(config),
    )


defs = build_definitions(load_config())
