"""One dynamic partition set per source and category: a partition is a source table."""

from dagster import AssetKey, DynamicPartitionsDefinition

from lakebridge_dagster.config import CATEGORIES


def bronze_partitions(source: str, category: str) -> DynamicPartitionsDefinition:
    """The partitions of `<source>/bronze_<category>`; keys are registry partition keys."""
    return DynamicPartitionsDefinition(name=f"{source}__bronze_{category}")


def bronze_asset_key(source: str, category: str) -> AssetKey:
    return AssetKey([source, f"bronze_{category}"])


def bronze_job_name(source: str, category: str) -> str:
    return f"{source}__bronze_{category}_job"


def registry_asset_key(source: str) -> AssetKey:
    return AssetKey([source, "table_registry"])


__all__ = ["CATEGORIES", "bronze_asset_key", "bronze_job_name", "bronze_partitions"]
