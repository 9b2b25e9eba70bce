"""The Dagster code location: assembles assets and resources from the config."""

from __future__ import annotations

from dagster import Definitions

from lakebridge_dagster.config import LakebridgeConfig, load_config
from lakebridge_dagster.defs.assessment.assets import build_complexity_report_asset
from lakebridge_dagster.defs.catalog.assets import build_source_catalog_asset
from lakebridge_dagster.defs.resources import source_resources


def build_definitions(config: LakebridgeConfig) -> Definitions:
    """One asset graph per configured source, keys prefixed by the source name."""
    return Definitions(
        assets=[
            build(source)
            for source in config.sources
            for build in (build_source_catalog_asset, build_complexity_report_asset)
        ],
        resources=source_resources(config),
    )


defs = build_definitions(load_config())
