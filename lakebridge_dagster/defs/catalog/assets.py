"""The `<source>/source_catalog` asset: extract the catalog, write it as JSON."""

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    Failure,
    MaterializeResult,
    MetadataValue,
    TableColumn,
    TableRecord,
    TableSchema,
    asset,
)

from lakebridge_dagster.catalog.errors import CatalogError
from lakebridge_dagster.catalog.model import ObjectType, SourceCatalog
from lakebridge_dagster.config import SourceConfig
from lakebridge_dagster.defs.resources import source_resource_key
from lakebridge_dagster.sources import Source

_KINDS = {"postgres": "postgres", "sqlserver": "sqlserver", "scripts": "sql"}


def source_catalog_key(source_name: str) -> AssetKey:
    return AssetKey([source_name, "source_catalog"])


def read_catalog(live: Source) -> SourceCatalog:
    """The materialized catalog of a source; a Failure that says what to run when
    there is none yet (every later asset starts here)."""
    if not live.catalog_path.exists():
        raise Failure(
            description=(
                f"source {live.name!r}: no catalog at {live.catalog_path}; "
                f"materialize {source_catalog_key(live.name).to_user_string()} first"
            )
        )
    return SourceCatalog.read(live.catalog_path)


def build_source_catalog_asset(source: SourceConfig) -> AssetsDefinition:
    """The source_catalog asset of one configured source."""
    resource_key = source_resource_key(source.name)

    @asset(
        key=AssetKey([source.name, "source_catalog"]),
        group_name=source.name,
        required_resource_keys={resource_key},
        kinds={_KINDS[source.dialect], "json"},
        description=(
            f"Every table (columns, types, PK, indexes, FKs, row count, size), view, "
            f"procedure, function, trigger and sequence of source {source.name!r} "
            f"({source.dialect}), with its SQL definition."
        ),
    )
    def source_catalog(context: AssetExecutionContext) -> MaterializeResult:
        live: Source = getattr(context.resources, resource_key)
        context.log.info(f"Extracting the catalog of {source.name!r} from {live.location}")
        try:
            catalog, skipped = live.extract_catalog()
        except CatalogError as error:
            # The message already names the source and the fix, without secrets.
            raise Failure(description=str(error)) from None
        for problem in skipped:
            context.log.warning(f"{source.name}: skipped {problem}")
        path = catalog.write(live.catalog_path)
        context.log.info(f"Catalog of {source.name!r}: {len(catalog.objects)} objects -> {path}")
        metadata = catalog_metadata(catalog, str(path))
        metadata["skipped"] = MetadataValue.md(
            "\n".join(f"- {problem}" for problem in skipped) or "_nothing_"
        )
        return MaterializeResult(metadata=metadata)

    return source_catalog


def catalog_metadata(catalog: SourceCatalog, path: str) -> dict[str, object]:
    """What a person wants to see of a catalog in the Dagster UI."""
    counts = catalog.counts_by_type()
    metadata: dict[str, object] = {
        f"{object_type.lower()}s": MetadataValue.int(count) for object_type, count in counts.items()
    }
    metadata["objects"] = MetadataValue.int(len(catalog.objects))
    metadata["parse_errors"] = MetadataValue.int(
        sum(1 for obj in catalog.objects if obj.parse_error)
    )
    metadata["path"] = MetadataValue.path(path)
    if catalog.database:
        metadata["database"] = MetadataValue.text(catalog.database)
    if catalog.server:
        metadata["server"] = MetadataValue.text(catalog.server)
    tables = catalog.largest_tables(10)
    if tables:
        metadata["largest_tables"] = MetadataValue.table(
            records=[
                TableRecord(
                    {
                        "table": t.qualified_name,
                        "rows": t.row_count if t.row_count is not None else -1,
                        "size_mb": round((t.size_bytes or 0) / 1_048_576, 2),
                        "columns": len(t.columns),
                        "primary_key": ", ".join(t.primary_key) or "(none)",
                    }
                )
                for t in tables
            ],
            schema=TableSchema(
                columns=[
                    TableColumn("table", "string"),
                    TableColumn("rows", "int", description="-1: unknown (offline source)"),
                    TableColumn("size_mb", "float"),
                    TableColumn("columns", "int"),
                    TableColumn("primary_key", "string"),
                ]
            ),
        )
    no_pk = [t.qualified_name for t in catalog.of_type(ObjectType.TABLE) if not t.primary_key]
    metadata["tables_without_primary_key"] = MetadataValue.md(
        "\n".join(f"- `{name}`" for name in no_pk) or "_none_"
    )
    return metadata
