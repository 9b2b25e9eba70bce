"""The complexity report: JSON/Markdown/CSV outputs, reading back, top objects, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from lakebridge_dagster.assessment import ComplexityReport, Indicator, Level, assess_catalog
from lakebridge_dagster.catalog.model import CatalogObject, ObjectType, SourceCatalog

CURSOR_PROC = """CREATE PROCEDURE dbo.usp_Loop AS
BEGIN
    DECLARE c CURSOR FOR SELECT Id FROM dbo.Worker;
    OPEN c;
    WHILE @@FETCH_STATUS = 0 FETCH NEXT FROM c;
    EXEC (N'SELECT 1');
END"""


def _catalog() -> SourceCatalog:
    return SourceCatalog(
        source="demo_src",
        dialect="scripts",
        objects=[
            CatalogObject(
                schema="dbo",
                name="Worker",
                type=ObjectType.TABLE,
                definition="CREATE TABLE dbo.Worker (Id INT IDENTITY(1,1) NOT NULL)",
            ),
            CatalogObject(
                schema="dbo",
                name="vw_Workers",
                type=ObjectType.VIEW,
                definition="CREATE VIEW dbo.vw_Workers AS SELECT Id FROM dbo.Worker",
            ),
            CatalogObject(
                schema="dbo",
                name="usp_Loop",
                type=ObjectType.PROCEDURE,
                definition=CURSOR_PROC,
                file="dbo/usp_Loop.sql",
                line=3,
            ),
            # an unterminated string: the tokenizer fails on this object only
            CatalogObject(
                schema="dbo",
                name="usp_Broken",
                type=ObjectType.PROCEDURE,
                definition="CREATE PROCEDURE dbo.usp_Broken AS SELECT 'oops",
            ),
        ],
    )


@pytest.fixture()
def report() -> ComplexityReport:
    return assess_catalog(_catalog())


def test_an_object_that_cannot_be_analysed_is_a_finding_not_a_crash(
    report: ComplexityReport,
) -> None:
    broken = next(obj for obj in report.objects if obj.name == "usp_Broken")
    assert broken.analysis == "error"
    assert [f.name for f in broken.indicators] == [Indicator.ANALYSIS_ERROR]
    assert "TokenError" in broken.indicators[0].snippet
    assert broken.strategies[0].startswith("ANALYSIS_ERROR: Review the object by hand")
    assert report.summary.analysis_errors == 1
    assert len(report.objects) == 4, "the other objects are still assessed"


def test_summary_counts(report: ComplexityReport) -> None:
    summary = report.summary
    assert summary.objects == 4
    assert summary.types == {
        "TABLE": 1,
        "VIEW": 1,
        "PROCEDURE": 2,
        "FUNCTION": 0,
        "TRIGGER": 0,
        "SEQUENCE": 0,
    }
    assert sum(summary.levels.values()) == 4 and set(summary.levels) == {lv.value for lv in Level}
    assert summary.indicators == {
        "CURSOR": 1,
        "WHILE_LOOP": 1,
        "DYNAMIC_SQL": 1,
        "IDENTITY": 1,
        "ANALYSIS_ERROR": 1,
    }
    assert summary.manual_hours == pytest.approx(sum(o.manual_hours for o in report.objects))
    assert summary.waves == {1: 2, 2: 2}  # Worker, usp_Broken; then the view and usp_Loop
    assert summary.cycles == []


def test_top_is_most_complex_first(report: ComplexityReport) -> None:
    top = report.top(2)
    assert [obj.name for obj in top] == ["usp_Loop", "usp_Broken"]
    assert top[0].score >= top[1].score
    loop = top[0]
    assert loop.level is Level.HIGH
    assert [(f.name.value, f.line) for f in loop.indicators] == [
        ("CURSOR", 3),
        ("WHILE_LOOP", 5),
        ("DYNAMIC_SQL", 6),
    ]
    assert loop.indicators[0].snippet == "DECLARE c CURSOR FOR SELECT Id FROM dbo.Worker;"
    assert loop.depends_on == ["dbo.Worker"] and loop.wave == 2
    assert (loop.file, loop.line) == ("dbo/usp_Loop.sql", 3)


def test_write_is_atomic_and_reads_back(report: ComplexityReport, tmp_path: Path) -> None:
    paths = report.write(tmp_path / "assessment")
    assert set(paths) == {"json", "md", "csv"}
    assert [p.name for p in paths.values()] == [
        "complexity_report.json",
        "complexity_report.md",
        "complexity_report.csv",
    ]
    assert not list((tmp_path / "assessment").glob("*.tmp"))

    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert data["schema_version"] == 1 and data["source"] == "demo_src"
    first = data["objects"][0]
    assert {
        "schema",
        "name",
        "type",
        "level",
        "score",
        "indicators",
        "manual_hours",
        "strategies",
        "depends_on",
        "wave",
    } <= set(first)
    assert set(first["indicators"][0]) >= {"name", "line", "snippet"}
    assert set(data["summary"]) >= {"types", "levels", "indicators", "manual_hours"}

    assert ComplexityReport.read(paths["json"]) == report
    assert ComplexityReport.read(tmp_path / "assessment") == report

    rows = list(csv.DictReader(io.StringIO(paths["csv"].read_text(encoding="utf-8"))))
    assert len(rows) == 4
    loop = next(row for row in rows if row["name"] == "usp_Loop")
    assert loop["indicators"] == "CURSOR=1;DYNAMIC_SQL=1;WHILE_LOOP=1"
    assert loop["depends_on"] == "dbo.Worker" and loop["level"] == "HIGH"

    markdown = paths["md"].read_text(encoding="utf-8")
    for section in (
        "# Complexity report: demo_src",
        "## Summary",
        "## Top 20 objects",
        "## Indicators",
        "### CURSOR",
        "### ANALYSIS_ERROR",
        "## Migration waves",
    ):
        assert section in markdown
    assert "`DECLARE c CURSOR FOR SELECT Id FROM dbo.Worker;`" in markdown


def test_summary_markdown_for_dagster_metadata(report: ComplexityReport) -> None:
    text = report.summary_markdown()
    assert text.startswith("**4 objects** of `demo_src`")
    assert "| HIGH | 1 |" in text
    assert "| `CURSOR` | 1 | 1 | Rewrite set-based" in text
    assert "could not be analysed" in text
    assert "`dbo.usp_Loop`" in text


def test_reading_another_schema_version_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "complexity_report.json"
    path.write_text(json.dumps({"schema_version": 99}), encoding="utf-8")
    with pytest.raises(ValueError, match="re-materialize the complexity_report asset"):
        ComplexityReport.read(path)
