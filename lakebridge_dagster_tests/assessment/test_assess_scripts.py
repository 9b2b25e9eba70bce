"""The assessment of real T-SQL scripts folders, through the scripts extractor.

- The demo warehouse (`lakebridge_dagster/demo/tsql`): every object's indicators,
  checked against its README's inventory of constructs.
- Microsoft's samples in `data/corpus` (AdventureWorks, Northwind, pubs; MIT):
  no object fails, and on every object that sqlglot parses, the token rules find
  exactly what the AST rules find, on the same lines, with the same dependencies.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lakebridge_dagster.assessment import ComplexityReport, assess_catalog
from lakebridge_dagster.assessment.analysis import AST, analyse_object
from lakebridge_dagster.assessment.context import CatalogIndex
from lakebridge_dagster.assessment.dependencies import resolve
from lakebridge_dagster.catalog.model import SourceCatalog
from lakebridge_dagster.catalog.scripts import extract_scripts_catalog

DEMO = Path(__file__).parents[2] / "lakebridge_dagster" / "demo" / "tsql"
CORPUS = Path(__file__).parents[1] / "data" / "corpus"

DEMO_INDICATORS = {
    "audit.AuditLog": "IDENTITY",
    "dbo.Attendance": "IDENTITY",
    "dbo.Company": "IDENTITY",
    "dbo.Crew": "IDENTITY",
    "dbo.CrewWorker": "",
    "dbo.Device": "IDENTITY",
    "dbo.DeviceLocation": "IDENTITY",
    "dbo.Equipment": "IDENTITY",
    "dbo.EquipmentTelemetry": "IDENTITY, XML_JSON",  # ISJSON check on the JSON payload
    "dbo.Project": "IDENTITY",
    "dbo.SafetyTicket": "IDENTITY, SEQUENCE",  # DEFAULT NEXT VALUE FOR
    "dbo.Site": "IDENTITY, SPATIAL",
    "dbo.TicketNumberSeq": "SEQUENCE",
    "dbo.Worker": "IDENTITY, TEMPORAL_TABLE",
    "dbo.Zone": "IDENTITY, SPATIAL",
    "dbo.fn_IsPointInZone": "SPATIAL",
    "dbo.fn_ShiftHours": "",
    "dbo.fn_WorkerTimesheet": "TABLE_VARIABLE, WHILE_LOOP",
    "dbo.fn_WorkersOnSite": "UDF_CALL",
    "dbo.trg_DeviceLocation_AfterInsert": "TRIGGER",
    "dbo.trg_Worker_AuditUpdate": "TRIGGER, XML_JSON",
    "dbo.usp_AttendancePivotReport": "DYNAMIC_SQL, PIVOT, XML_JSON",
    "dbo.usp_CloseOpenAttendance": "",
    "dbo.usp_EquipmentTelemetryDaily": "PIVOT, TABLE_VARIABLE, XML_JSON",
    "dbo.usp_GetWorkersByCompany": "",
    "dbo.usp_LoadDeviceLocations": "IDENTITY, SPATIAL, TEMP_TABLE, TRANSACTION, TRY_CATCH, "
    "XML_JSON",
    "dbo.usp_MergeWorkersFromHR": "MERGE, TABLE_VARIABLE, TRANSACTION, TRY_CATCH, XML_JSON",
    "dbo.usp_PurgeSoftDeleted": "DYNAMIC_SQL, IDENTITY, TABLE_VARIABLE, WHILE_LOOP",
    "dbo.usp_RefreshZoneOccupancy": "CURSOR, RECURSIVE_CTE, SPATIAL, TEMP_TABLE, WHILE_LOOP",
    "dbo.usp_SyncEquipmentFromERP": "LINKED_SERVER, TEMP_TABLE, TRANSACTION, TRY_CATCH",
    "dbo.usp_UpsertCompany": "",
    "dbo.vw_ActiveWorkers": "",
    "dbo.vw_DeviceLastLocation": "",
    "dbo.vw_SiteZoneSummary": "",
    "dbo.vw_WorkerDailyHours": "",
    "stg.DeviceLocationImport": "",
}


@pytest.fixture(scope="module")
def demo_report() -> ComplexityReport:
    return assess_catalog(extract_scripts_catalog("demo_sqlserver", DEMO))


@pytest.fixture(scope="module")
def corpus() -> SourceCatalog:
    return extract_scripts_catalog("samples", CORPUS)


def test_demo_indicators_per_object(demo_report: ComplexityReport) -> None:
    found = {
        obj.qualified_name: ", ".join(sorted(obj.indicator_counts())) for obj in demo_report.objects
    }
    assert found == DEMO_INDICATORS


def test_demo_dynamic_pivot_is_found_inside_the_executed_string(
    demo_report: ComplexityReport,
) -> None:
    report = next(o for o in demo_report.objects if o.name == "usp_AttendancePivotReport")
    pivots = [f for f in report.indicators if f.name.value == "PIVOT"]
    assert [f.detail for f in pivots] == ["in executed dynamic SQL", None]
    assert pivots[0].snippet.startswith("PIVOT (SUM(HoursWorked) FOR ShiftDay IN (")


def test_demo_levels_waves_and_hours(demo_report: ComplexityReport) -> None:
    summary = demo_report.summary
    assert summary.objects == 36 and summary.analysis_errors == 0 and summary.cycles == []
    assert demo_report.top(1)[0].name == "usp_RefreshZoneOccupancy"
    assert summary.levels["LOW"] > summary.levels["HIGH"] > 0
    by_name = {obj.qualified_name: obj for obj in demo_report.objects}
    for obj in demo_report.objects:
        for dependency in obj.depends_on:
            assert obj.wave > by_name[dependency].wave, (obj.qualified_name, dependency)
    refresh = by_name["dbo.usp_RefreshZoneOccupancy"]
    assert refresh.reads == ["dbo.DeviceLocation", "dbo.Zone", "dbo.vw_DeviceLastLocation"]
    assert refresh.writes == ["dbo.SafetyTicket"]


def test_corpus_assesses_without_errors(corpus: SourceCatalog) -> None:
    report = assess_catalog(corpus)
    assert report.summary.analysis_errors == 0
    assert report.summary.analysis["ast"] > 0 and report.summary.analysis["tokens"] > 0


def test_corpus_tokens_agree_with_the_ast_wherever_it_parses(corpus: SourceCatalog) -> None:
    index = CatalogIndex.of(corpus)
    compared = 0
    disagreements = []
    for obj in corpus.objects:
        ast = analyse_object(obj, index)
        if ast.method != AST:
            continue
        tokens = analyse_object(obj, index, use_ast=False)
        compared += 1
        by_ast = sorted((e.indicator.value, e.line) for e in ast.evidence)
        by_tokens = sorted((e.indicator.value, e.line) for e in tokens.evidence)
        if by_ast != by_tokens:
            disagreements.append((obj.qualified_name, by_ast, by_tokens))
        if resolve(ast.references, obj, index) != resolve(tokens.references, obj, index):
            disagreements.append((obj.qualified_name, "dependencies"))
    assert compared > 100
    assert not disagreements
