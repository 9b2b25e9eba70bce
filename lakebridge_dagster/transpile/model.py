"""The transpile report: per object a status, messages and the file written.

Serialised as `transpile_report.json` with a `schema_version`. Every catalog
object that has something to convert appears in it exactly once: nothing is
dropped silently.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from lakebridge_dagster.artifacts import read_versioned, write_atomic
from lakebridge_dagster.catalog.model import ObjectType

SCHEMA_VERSION = 1
REPORT_NAME = "transpile_report.json"


class Status(StrEnum):
    CONVERTED = "CONVERTED"  # valid Databricks SQL, nothing to review
    CONVERTED_WITH_WARNINGS = "CONVERTED_WITH_WARNINGS"  # valid, with dropped options etc.
    MANUAL = "MANUAL"  # needs a person: the reasons say what and where
    FAILED = "FAILED"  # our converter or its validation failed on this object


class _Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")


class Message(_Model):
    """One thing the converter wants a person to know about an object."""

    level: Literal["info", "warning", "manual", "error"]
    text: str
    line: int | None = None  # 1-based line in the object's source definition, when known
    rule: str | None = None  # the rewrite or check that produced it, e.g. "identity"


class ObjectResult(_Model):
    schema_name: str = Field(alias="schema")
    name: str
    type: ObjectType
    status: Status
    messages: list[Message] = Field(default_factory=list)
    output_file: str | None = None  # relative to the transpiled/ directory
    input_chars: int = 0
    output_chars: int = 0
    strategies: list[str] = Field(default_factory=list)  # from the assessment, for MANUAL work
    target_name: str | None = None  # catalog.schema.name in Databricks

    @property
    def qualified_name(self) -> str:
        return f"{self.schema_name}.{self.name}"


class Summary(_Model):
    objects: int
    statuses: dict[str, int]  # every status present, zero when absent
    types: dict[str, dict[str, int]]  # per object type: count per status
    clean: int  # CONVERTED and validated


class TranspileReport(_Model):
    schema_version: int = SCHEMA_VERSION
    source: str
    dialect: str
    generated_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    target_catalog: str
    target_schema: str
    summary: Summary
    objects: list[ObjectResult] = Field(default_factory=list)

    @classmethod
    def build(
        cls,
        *,
        source: str,
        dialect: str,
        target_catalog: str,
        target_schema: str,
        objects: list[ObjectResult],
    ) -> TranspileReport:
        return cls(
            source=source,
            dialect=dialect,
            target_catalog=target_catalog,
            target_schema=target_schema,
            summary=summarise(objects),
            objects=objects,
        )

    def of_status(self, *statuses: Status) -> list[ObjectResult]:
        return [obj for obj in self.objects if obj.status in statuses]

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True, indent=2)

    def write(self, directory: Path) -> Path:
        return write_atomic(Path(directory) / REPORT_NAME, self.to_json())

    @classmethod
    def read(cls, path: Path) -> TranspileReport:
        """Read `transpile_report.json` (or the directory holding it)."""
        path = Path(path)
        if path.is_dir():
            path = path / REPORT_NAME
        return cls.model_validate(
            read_versioned(path, SCHEMA_VERSION, "transpile report", "transpiled_sql")
        )


def summarise(objects: list[ObjectResult]) -> Summary:
    statuses = Counter(obj.status.value for obj in objects)
    types: dict[str, dict[str, int]] = {}
    for obj in objects:
        per_type = types.setdefault(obj.type.value, {status.value: 0 for status in Status})
        per_type[obj.status.value] += 1
    return Summary(
        objects=len(objects),
        statuses={status.value: statuses.get(status.value, 0) for status in Status},
        types=types,
        clean=statuses.get(Status.CONVERTED.value, 0),
    )
