"""One resource per source: the `Source` object that knows how to reach it.

The resource is the real thing in tests too (the embedded PostgreSQL, a scripts
folder); tests swap the config, not the resource.
"""

from __future__ import annotations

from lakebridge_dagster.config import LakebridgeConfig
from lakebridge_dagster.sources import Source


def source_resource_key(source_name: str) -> str:
    return f"{source_name}_source"


def source_resources(config: LakebridgeConfig) -> dict[str, Source]:
    """The resources dict for `Definitions`: `<name>_source` -> `Source`."""
    return {source_resource_key(source.name): Source(source, config) for source in config.sources}
