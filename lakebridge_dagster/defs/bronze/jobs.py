"""A job per bronze category: `dagster job launch` / the schedules run one
partition (one table) per run."""

from dagster import AssetSelection, define_asset_job

from lakebridge_dagster.config import CATEGORIES, SourceConfig
from lakebridge_dagster.defs.bronze.partitions import (
    bronze_asset_key,
    bronze_job_name,
    bronze_partitions,
)


def build_bronze_jobs(source: SourceConfig) -> list:
    return [
        define_asset_job(
            bronze_job_name(source.name, category),
            selection=AssetSelection.assets(bronze_asset_key(source.name, category)),
            partitions_def=bronze_partitions(source.name, category),
            description=f"Load one {category} table of {source.name!r} into bronze.",
        )
        for category in CATEGORIES
    ]
