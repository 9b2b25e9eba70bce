"""The complexity report: per object findings, score, level, hours, strategies, wave.

Serialised as `complexity_report.json` (with a `schema_version`), with a
readable `complexity_report.md` and a `complexity_report.csv` (one row per
object) next to it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from lakebridge_dagster.artifacts import read_versioned, write_atomic
from lakebridge_dagster.assessment.indicators import Indicator, Level
from lakebridge_dagster.assessment.render import report_csv, report_markdown, summary_markdown
from lakebridge_dagster.catalog.model import ObjectType

SCHEMA_VERSION = 1
JSON_NAME = "complexity_report.json"
MARKDOWN_NAME = "complexity_report.md"
CSV_NAME = "complexity_report.csv"


class _Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")


class Finding(_Model):
    """One occurrence of an indicator, with its evidence."""

    name: Indicator
    line: int | None  # 1-based line in the object's definition; None when from metadata
    snippet: str  # the source line (or the metadata that shows the indicator)
    detail: str | None = None  # e.g. the function called, the temp table, "in dynamic SQL"


class ObjectAssessment(_Model):
    schema_name: str = Field(alias="schema")
    name: str
    type: ObjectType
    level: Level
    score: float
    indicators: list[Finding] = Field(default_factory=list)
    manual_hours: float
    strategies: list[str] = Field(default_factory=list)
    depends_on: list[str] = Field(default_factory=list)
    wave: int = 1
    reads: list[str] = Field(default_factory=list)  # tables, views, sequences read
    writes: list[str] = Field(default_factory=list)  # tables written
    calls: list[str] = Field(default_factory=list)  # functions and procedures called
    analysis: str  # ast | tokens | metadata | error: how the object was read
    code_lines: int = 0
    file: str | None = None  # scripts: the file, relative to the folder
    line: int | None = None  # scripts: the first line of the object's batch in that file

    @property
    def qualified_name(self) -> str:
        return f"{self.schema_name}.{self.name}"

    def indicator_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for finding in self.indicators:
            counts[finding.name.value] = counts.get(finding.name.value, 0) + 1
        return counts


class Summary(_Model):
    objects: int
    types: dict[str, int]  # objects per type
    levels: dict[str, int]  # objects per level, every level present
    indicators: dict[str, int]  # objects with the indicator
    occurrences: dict[str, int]  # findings per indicator
    manual_hours: float
    manual_hours_by_level: dict[str, float]
    waves: dict[int, int]  # objects per migration wave
    cycles: list[list[str]] = Field(default_factory=list)  # dependency cycles
    analysis: dict[str, int]  # objects per way of reading them (ast, tokens, ...)
    analysis_errors: int = 0


class ComplexityReport(_Model):
    schema_version: int = SCHEMA_VERSION
    source: str
    dialect: str
    generated_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    summary: Summary
    objects: list[ObjectAssessment] = Field(default_factory=list)

    def top(self, n: int) -> list[ObjectAssessment]:
        """The n most complex objects: highest score, then most hours, then by name."""
        return sorted(
            self.objects, key=lambda o: (-o.score, -o.manual_hours, o.qualified_name, o.type)
        )[:n]

    def summary_markdown(self) -> str:
        """The Markdown summary (counts, hours, indicators, top 10) for Dagster metadata."""
        return summary_markdown(self)

    def to_markdown(self) -> str:
        """The full readable report: summary, top 20, one section per indicator."""
        return report_markdown(self)

    def to_csv(self) -> str:
        return report_csv(self)

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True, indent=2)

    def write(self, directory: Path) -> dict[str, Path]:
        """Write the JSON, Markdown and CSV reports atomically; their paths by format."""
        directory.mkdir(parents=True, exist_ok=True)
        outputs = {
            "json": (directory / JSON_NAME, self.to_json()),
            "md": (directory / MARKDOWN_NAME, self.to_markdown()),
            "csv": (directory / CSV_NAME, self.to_csv()),
        }
        for path, text in outputs.values():
            write_atomic(path, text)
        return {kind: path for kind, (path, _) in outputs.items()}

    @classmethod
    def read(cls, path: Path) -> ComplexityReport:
        """Read `complexity_report.json` (or the directory holding it)."""
        path = Path(path)
        if path.is_dir():
            path = path / JSON_NAME
        return cls.model_validate(
            read_versioned(path, SCHEMA_VERSION, "complexity report", "complexity_report")
        )
