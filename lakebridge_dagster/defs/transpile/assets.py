"""The `<source>/transpiled_sql` asset and its check: every object to Databricks SQL."""

from pathlib import Path

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    MaterializeResult,
    MetadataValue,
    TableColumn,
    TableRecord,
    TableSchema,
    asset,
    asset_check,
)

from lakebridge_dagster.assessment import ComplexityReport
from lakebridge_dagster.config import SourceConfig
from lakebridge_dagster.defs.catalog.assets import read_catalog
from lakebridge_dagster.defs.resources import source_resource_key
from lakebridge_dagster.sources import Source
from lakebridge_dagster.transpile import (
    ObjectResult,
    Status,
    TranspileReport,
    options_for,
    transpile_catalog,
)
from lakebridge_dagster.transpile.model import REPORT_NAME
from lakebridge_dagster.transpile.validate import parse_problems

# Log progress about this often on large catalogs.
PROGRESS_EVERY = 100


def transpiled_dir(live: Source) -> Path:
    return live.output_dir / "transpiled"


def transpiled_sql_key(source_name: str) -> AssetKey:
    return AssetKey([source_name, "transpiled_sql"])


def build_transpiled_sql_asset(source: SourceConfig) -> AssetsDefinition:
    """The transpiled_sql asset of one configured source."""
    resource_key = source_resource_key(source.name)
    catalog_key = AssetKey([source.name, "source_catalog"])
    report_key = AssetKey([source.name, "complexity_report"])

    @asset(
        key=transpiled_sql_key(source.name),
        deps=[catalog_key, report_key],
        group_name=source.name,
        required_resource_keys={resource_key},
        kinds={"sqlglot", "databricks"},
        description=(
            f"Every object of {source.name!r} as Databricks SQL, one file per object, with a "
            "status (CONVERTED, CONVERTED_WITH_WARNINGS, MANUAL, FAILED) and messages in "
            "transpile_report.json. Nothing is dropped: MANUAL files keep the original and "
            "the reasons."
        ),
    )
    def transpiled_sql(context: AssetExecutionContext) -> MaterializeResult:
        live: Source = getattr(context.resources, resource_key)
        catalog = read_catalog(live)
        assessment = None
        if (live.assessment_dir / "complexity_report.json").exists():
            assessment = ComplexityReport.read(live.assessment_dir)
        else:
            context.log.warning(
                f"{source.name}: no complexity report yet; MANUAL objects will have no "
                f"suggested strategy (materialize {report_key.to_user_string()} first)"
            )

        def progress(done: int, total: int, result: ObjectResult) -> None:
            if done % PROGRESS_EVERY == 0 or done == total:
                context.log.info(f"{source.name}: transpiled {done}/{total} objects")

        options = options_for(source, live.target_catalog)
        context.log.info(
            f"Transpiling {len(catalog.objects)} objects of {source.name!r} to "
            f"{options.target_catalog}.{options.target_schema}"
        )
        result = transpile_catalog(
            catalog, options, assessment, progress, workers=source.transpile.workers
        )
        if result.fallback:
            context.log.warning(
                f"{source.name}: worker processes failed ({result.fallback}); the objects "
                "they had not converted were converted in this process"
            )
        directory = transpiled_dir(live)
        report_path = result.write(directory)
        summary = result.report.summary
        context.log.info(f"{source.name}: {summary.statuses}")
        for failed in result.report.of_status(Status.FAILED):
            context.log.warning(
                f"{failed.type.value} {failed.qualified_name} FAILED: "
                + "; ".join(m.text for m in failed.messages if m.level == "error")
            )
        metadata = report_metadata(result.report, directory, report_path)
        metadata["worker_processes"] = MetadataValue.int(result.workers)
        return MaterializeResult(metadata=metadata)

    return transpiled_sql


def build_transpiled_sql_check(source: SourceConfig):
    """Every CONVERTED file on disk still parses as Databricks SQL."""
    resource_key = source_resource_key(source.name)

    @asset_check(
        asset=transpiled_sql_key(source.name),
        name="converted_objects_reparse",
        required_resource_keys={resource_key},
        description="Every CONVERTED or CONVERTED_WITH_WARNINGS file re-parses as Databricks SQL.",
    )
    def converted_objects_reparse(context: AssetCheckExecutionContext) -> AssetCheckResult:
        live: Source = getattr(context.resources, resource_key)
        directory = transpiled_dir(live)
        report = TranspileReport.read(directory / REPORT_NAME)
        converted = report.of_status(Status.CONVERTED, Status.CONVERTED_WITH_WARNINGS)
        broken: list[tuple[ObjectResult, str]] = []
        for obj in converted:
            path = directory / (obj.output_file or "")
            if not path.is_file():
                broken.append((obj, f"file missing: {path}"))
                continue
            problems = parse_problems(_without_header(path.read_text(encoding="utf-8")))
            if problems:
                broken.append((obj, problems[0]))
        return AssetCheckResult(
            passed=not broken,
            severity=AssetCheckSeverity.ERROR,
            description=(
                f"{len(converted) - len(broken)} of {len(converted)} converted objects re-parse"
            ),
            metadata={
                "checked": MetadataValue.int(len(converted)),
                "broken": MetadataValue.int(len(broken)),
                "first_broken": MetadataValue.md(
                    "\n".join(
                        f"- `{o.qualified_name}` ({o.output_file}): {why}" for o, why in broken[:20]
                    )
                    or "none"
                ),
            },
        )

    return converted_objects_reparse


def _without_header(text: str) -> str:
    """The SQL of a converted file: the header is the leading comment lines."""
    lines = text.splitlines()
    index = 0
    while index < len(lines) and (lines[index].startswith("--") or not lines[index].strip()):
        index += 1
    return "\n".join(lines[index:]).rstrip().rstrip(";")


def report_metadata(report: TranspileReport, directory: Path, report_path: Path) -> dict:
    summary = report.summary
    metadata: dict[str, object] = {
        "summary": MetadataValue.md(summary_markdown(report)),
        "objects": MetadataValue.int(summary.objects),
        **{f"status_{s.lower()}": MetadataValue.int(n) for s, n in summary.statuses.items()},
        "transpiled_dir": MetadataValue.path(str(directory)),
        "report_json": MetadataValue.path(str(report_path)),
    }
    manual = report.of_status(Status.MANUAL, Status.FAILED)
    if manual:
        metadata["manual_objects"] = MetadataValue.table(
            records=[
                TableRecord(
                    {
                        "object": obj.qualified_name,
                        "type": obj.type.value,
                        "status": obj.status.value,
                        "reasons": "; ".join(
                            _reason(m.text, m.line)
                            for m in obj.messages
                            if m.level in ("manual", "error")
                        )[:500],
                        "file": obj.output_file or "",
                    }
                )
                for obj in manual[:200]
            ],
            schema=TableSchema(
                columns=[
                    TableColumn("object", "string"),
                    TableColumn("type", "string"),
                    TableColumn("status", "string"),
                    TableColumn("reasons", "string"),
                    TableColumn("file", "string"),
                ]
            ),
        )
    return metadata


def summary_markdown(report: TranspileReport) -> str:
    """Counts per type and status as a Markdown table."""
    statuses = [s.value for s in Status]
    lines = [
        f"**{report.summary.objects} objects** of `{report.source}` to "
        f"`{report.target_catalog}.{report.target_schema}`",
        "",
        "| type | " + " | ".join(statuses) + " |",
        "|---|" + "---:|" * len(statuses),
    ]
    for object_type, counts in sorted(report.summary.types.items()):
        lines.append(f"| {object_type} | " + " | ".join(str(counts[s]) for s in statuses) + " |")
    lines.append(
        "| **all** | " + " | ".join(f"**{report.summary.statuses[s]}**" for s in statuses) + " |"
    )
    return "\n".join(lines)


def _reason(text: str, line: int | None) -> str:
    return f"{text} (line {line})" if line is not None else text
