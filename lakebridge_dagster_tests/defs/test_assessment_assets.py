"""The complexity_report asset, materialized with its catalog on the demo scripts."""

from __future__ import annotations

import csv
from pathlib import Path

from dagster import materialize

from lakebridge_dagster.assessment import ComplexityReport
from lakebridge_dagster.config import parse_config
from lakebridge_dagster.defs.assessment.assets import build_complexity_report_asset
from lakebridge_dagster.defs.catalog.assets import build_source_catalog_asset
from lakebridge_dagster.defs.resources import source_resources

DEMO_TSQL = Path(__file__).resolve().parents[2] / "lakebridge_dagster" / "demo" / "tsql"


def test_catalog_then_complexity_report(tmp_path: Path) -> None:
    config = parse_config(
        {
            "output_dir": str(tmp_path),
            "sources": [{"name": "dw", "dialect": "scripts", "path": str(DEMO_TSQL)}],
        }
    )
    source = config.source("dw")
    result = materialize(
        [build_source_catalog_asset(source), build_complexity_report_asset(source)],
        resources=source_resources(config),
    )
    assert result.success

    folder = tmp_path / "dw" / "assessment"
    report = ComplexityReport.read(folder / "complexity_report.json")
    assert report.summary.objects == 36
    assert sum(report.summary.levels.values()) == 36
    by_name = {o.name: o for o in report.objects}
    # The shipped demo's cursor procedure (see demo/tsql/README.md).
    assert "CURSOR" in by_name["usp_RefreshZoneOccupancy"].indicator_counts()
    assert by_name["usp_GetWorkersByCompany"].indicators == []
    with (folder / "complexity_report.csv").open(newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 36
    markdown = (folder / "complexity_report.md").read_text()
    assert "usp_RefreshZoneOccupancy" in markdown

    metadata = result.asset_materializations_for_node("dw__complexity_report")[0].metadata
    assert metadata["objects"].value == 36
    assert "| level |" in metadata["summary"].value
    top = metadata["most_complex"].value.records
    assert len(top) == 10
    scores = [r.data["score"] for r in top]
    assert scores == sorted(scores, reverse=True)
    assert metadata["report_md"].value == str(folder / "complexity_report.md")


def test_complexity_report_without_a_catalog_says_what_to_do(tmp_path: Path) -> None:
    config = parse_config(
        {
            "output_dir": str(tmp_path),
            "sources": [{"name": "dw", "dialect": "scripts", "path": str(DEMO_TSQL)}],
        }
    )
    result = materialize(
        [build_complexity_report_asset(config.source("dw"))],
        resources=source_resources(config),
        raise_on_error=False,
    )
    assert not result.success
    message = result.get_step_failure_events()[0].step_failure_data.error.message
    assert "materialize dw/source_catalog first" in message
