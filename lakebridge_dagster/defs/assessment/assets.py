"""The `<source>/complexity_report` asset: assess every object of the catalog."""

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    MaterializeResult,
    MetadataValue,
    TableColumn,
    TableRecord,
    TableSchema,
    asset,
)

from lakebridge_dagster.assessment import ComplexityReport, assess_catalog
from lakebridge_dagster.config import SourceConfig
from lakebridge_dagster.defs.catalog.assets import read_catalog
from lakebridge_dagster.defs.resources import source_resource_key
from lakebridge_dagster.sources import Source


def build_complexity_report_asset(source: SourceConfig) -> AssetsDefinition:
    """The complexity_report asset of one configured source."""
    resource_key = source_resource_key(source.name)
    catalog_key = AssetKey([source.name, "source_catalog"])

    @asset(
        key=AssetKey([source.name, "complexity_report"]),
        deps=[catalog_key],
        group_name=source.name,
        required_resource_keys={resource_key},
        kinds={"sqlglot", "json"},
        description=(
            f"Per object of {source.name!r}: migration-difficulty indicators with evidence "
            "lines, a weighted score and level, manual-work hours, conversion strategies, "
            "dependencies and migration waves (JSON, Markdown, CSV)."
        ),
    )
    def complexity_report(context: AssetExecutionContext) -> MaterializeResult:
        live: Source = getattr(context.resources, resource_key)
        catalog = read_catalog(live)
        context.log.info(f"Assessing {len(catalog.objects)} objects of {source.name!r}")
        report = assess_catalog(catalog)
        paths = report.write(live.assessment_dir)
        summary = report.summary
        context.log.info(
            f"{source.name}: {summary.objects} objects, levels {summary.levels}, "
            f"{summary.manual_hours:g} manual hours, {summary.analysis_errors} analysis errors"
        )
        return MaterializeResult(metadata=report_metadata(report, paths))

    return complexity_report


def report_metadata(report: ComplexityReport, paths: dict) -> dict[str, object]:
    """The summary as Markdown, the ten most complex objects, counts and paths."""
    summary = report.summary
    metadata: dict[str, object] = {
        "summary": MetadataValue.md(report.summary_markdown()),
        "objects": MetadataValue.int(summary.objects),
        "manual_hours": MetadataValue.float(float(summary.manual_hours)),
        "analysis_errors": MetadataValue.int(summary.analysis_errors),
        **{
            f"level_{level.lower()}": MetadataValue.int(count)
            for level, count in summary.levels.items()
        },
        "report_json": MetadataValue.path(str(paths["json"])),
        "report_md": MetadataValue.path(str(paths["md"])),
        "report_csv": MetadataValue.path(str(paths["csv"])),
    }
    top = report.top(10)
    if top:
        metadata["most_complex"] = MetadataValue.table(
            records=[
                TableRecord(
                    {
                        "object": obj.qualified_name,
                        "type": obj.type.value,
                        "level": obj.level.value,
                        "score": float(obj.score),
                        "manual_hours": float(obj.manual_hours),
                        "indicators": ", ".join(sorted(obj.indicator_counts())) or "-",
                        "wave": obj.wave,
                    }
                )
                for obj in top
            ],
            schema=TableSchema(
                columns=[
                    TableColumn("object", "string"),
                    TableColumn("type", "string"),
                    TableColumn("level", "string"),
                    TableColumn("score", "float"),
                    TableColumn("manual_hours", "float"),
                    TableColumn("indicators", "string"),
                    TableColumn("wave", "int"),
                ]
            ),
        )
    return metadata
