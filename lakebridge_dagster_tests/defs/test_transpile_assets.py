"""The transpiled_sql asset and its re-parse check, materialized on the demo scripts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dagster import AssetSelection, materialize

from lakebridge_dagster.config import parse_config
from lakebridge_dagster.defs.assessment.assets import build_complexity_report_asset
from lakebridge_dagster.defs.catalog.assets import build_source_catalog_asset
from lakebridge_dagster.defs.resources import source_resources
from lakebridge_dagster.defs.transpile.assets import (
    build_transpiled_sql_asset,
    build_transpiled_sql_check,
)
from lakebridge_dagster.transpile import Status, TranspileReport

REPO = Path(__file__).resolve().parents[2]
DEMO_TSQL = REPO / "lakebridge_dagster" / "demo" / "tsql"
CORPUS = REPO / "lakebridge_dagster_tests" / "data" / "corpus"


def _config(tmp_path: Path):
    return parse_config(
        {
            "output_dir": str(tmp_path),
            "sources": [
                {
                    "name": "dw",
                    "dialect": "scripts",
                    "path": str(DEMO_TSQL),
                    "target": {"catalog": "wakecap_prod", "schema": "silver"},
                }
            ],
        }
    )


def test_transpiled_sql_writes_every_object_and_the_check_passes(tmp_path: Path) -> None:
    config = _config(tmp_path)
    source = config.source("dw")
    result = materialize(
        [
            build_source_catalog_asset(source),
            build_complexity_report_asset(source),
            build_transpiled_sql_asset(source),
            build_transpiled_sql_check(source),
        ],
        resources=source_resources(config),
    )
    assert result.success

    folder = tmp_path / "dw" / "transpiled"
    report = TranspileReport.read(folder)
    assert report.summary.objects == 36
    assert report.target_catalog == "wakecap_prod" and report.target_schema == "silver"
    for obj in report.objects:
        assert (folder / obj.output_file).is_file()
    converted = report.of_status(Status.CONVERTED, Status.CONVERTED_WITH_WARNINGS)
    assert converted, "the demo's tables and views must convert"
    # MANUAL objects carry the assessment's strategy for the person who finishes them.
    manual = report.of_status(Status.MANUAL)
    cursor_proc = [o for o in manual if o.name == "usp_RefreshZoneOccupancy"]
    assert cursor_proc and cursor_proc[0].strategies

    metadata = result.asset_materializations_for_node("dw__transpiled_sql")[0].metadata
    assert metadata["objects"].value == 36
    assert sum(metadata[f"status_{s.value.lower()}"].value for s in Status) == 36
    assert "| type |" in metadata["summary"].value
    rows = metadata["manual_objects"].value.records
    assert {r.data["object"] for r in rows} >= {o.qualified_name for o in manual}

    evaluation = result.get_asset_check_evaluations()[0]
    assert evaluation.passed
    assert evaluation.metadata["checked"].value == len(converted)


def test_the_check_fails_when_a_converted_file_no_longer_parses(tmp_path: Path) -> None:
    config = _config(tmp_path)
    source = config.source("dw")
    resources = source_resources(config)
    assert materialize(
        [build_source_catalog_asset(source), build_transpiled_sql_asset(source)],
        resources=resources,
    ).success
    folder = tmp_path / "dw" / "transpiled"
    victim = TranspileReport.read(folder).of_status(
        Status.CONVERTED, Status.CONVERTED_WITH_WARNINGS
    )[0]
    path = folder / victim.output_file
    path.write_text(path.read_text() + "\nSELECT FROM WHERE ((;\n")

    result = materialize(
        [build_transpiled_sql_asset(source), build_transpiled_sql_check(source)],
        resources=resources,
        selection=AssetSelection.all_asset_checks(),
    )
    assert not result.get_asset_materialization_events(), "only the check may run"
    evaluation = result.get_asset_check_evaluations()[0]
    assert not evaluation.passed
    assert evaluation.metadata["broken"].value == 1
    assert victim.qualified_name in evaluation.metadata["first_broken"].value


def test_transpiled_sql_without_a_catalog_says_what_to_do(tmp_path: Path) -> None:
    config = _config(tmp_path)
    result = materialize(
        [build_transpiled_sql_asset(config.source("dw"))],
        resources=source_resources(config),
        raise_on_error=False,
    )
    assert not result.success
    message = result.get_step_failure_events()[0].step_failure_data.error.message
    assert "materialize dw/source_catalog first" in message


def test_the_cli_transpiles_in_worker_processes_with_the_same_result(tmp_path: Path) -> None:
    """`dagster asset materialize` with `transpile.workers: 2` (worker processes
    under the real Dagster CLI) writes the same files and statuses as one
    process does."""
    reports = {}
    for workers in (1, 2):
        config = tmp_path / f"lakebridge-{workers}.yaml"
        config.write_text(
            f"output_dir: {tmp_path / str(workers)}\nsources:\n"
            f"  - {{name: corpus, dialect: scripts, path: '{CORPUS}', "
            f"transpile: {{workers: {workers}}}}}\n"
        )
        env = {**os.environ, "LAKEBRIDGE_CONFIG": str(config), "DAGSTER_HOME": str(tmp_path)}
        run = subprocess.run(
            [
                str(Path(sys.executable).with_name("dagster")),
                "asset",
                "materialize",
                "-m",
                "lakebridge_dagster.definitions",
                "--select",
                "corpus/source_catalog,corpus/transpiled_sql",
            ],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert run.returncode == 0, run.stderr[-3000:]
        assert "worker processes failed" not in run.stderr
        folder = tmp_path / str(workers) / "corpus" / "transpiled"
        report = TranspileReport.read(folder)
        files = {o.output_file: (folder / o.output_file).read_text() for o in report.objects}
        reports[workers] = (report.model_dump(exclude={"generated_at"}), files)
    assert reports[2] == reports[1]
    assert len(reports[1][1]) > 150  # the corpus test data: AdventureWorks, Northwind, pubs
