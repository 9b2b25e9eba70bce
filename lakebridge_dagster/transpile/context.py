"""What every converter gets: the object, the catalog, the options, and a place
to record messages. Converters are plain functions of (expression or object,
ObjectContext); they never print and never swallow errors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from lakebridge_dagster.assessment.report import ObjectAssessment
from lakebridge_dagster.catalog.model import CatalogObject, ObjectType, SourceCatalog
from lakebridge_dagster.transpile.model import Message

IdentityGeneration = Literal["BY DEFAULT", "ALWAYS"]

# Source schemas whose objects keep their bare name in the target schema.
DEFAULT_SCHEMAS = frozenset({"dbo", "public"})

# Unity Catalog object names may not hold a period, a space, a slash or control characters.
_NOT_IN_UNITY_CATALOG_NAMES = re.compile(r"[ ./\x00-\x1f\x7f]")


def unity_catalog_name(name: str) -> str:
    """`name` with the characters Unity Catalog refuses in object names replaced by `_`."""
    return _NOT_IN_UNITY_CATALOG_NAMES.sub("_", name)


@dataclass(frozen=True)
class TranspileOptions:
    """How source names and features map onto Databricks."""

    target_catalog: str
    target_schema: str
    # BY DEFAULT lets the migration load existing ids into the column; ALWAYS
    # refuses explicit values (Databricks rejects INSERTs that name the column).
    identity_generation: IdentityGeneration = "BY DEFAULT"
    # source schema -> target schema; schemas not listed go to target_schema
    schema_map: dict[str, str] = field(default_factory=dict)


class ManualConversion(Exception):  # noqa: N818 - it is an outcome, not a programming error
    """The object cannot be converted automatically; `reasons` say why and where.

    `partial_sql` is the best-effort Databricks SQL, written below the reasons
    so the person finishing the job starts from it."""

    def __init__(self, reasons: list[Message], partial_sql: str | None = None) -> None:
        self.reasons = reasons
        self.partial_sql = partial_sql
        super().__init__("; ".join(reason.text for reason in reasons))


def manual(text: str, *, line: int | None = None, rule: str | None = None) -> Message:
    """A reason for MANUAL status."""
    return Message(level="manual", text=text, line=line, rule=rule)


@dataclass
class ObjectContext:
    """One object being converted, and where its messages go."""

    obj: CatalogObject
    catalog: SourceCatalog
    options: TranspileOptions
    assessment: ObjectAssessment | None = None
    messages: list[Message] = field(default_factory=list)
    # names that must not be remapped to the target catalog: CTEs, temp tables,
    # table variables, derived-table aliases the converter has seen
    local_names: set[str] = field(default_factory=set)

    def warn(self, text: str, *, line: int | None = None, rule: str | None = None) -> None:
        """Record something a reviewer should know; the object stays convertible."""
        self.messages.append(Message(level="warning", text=text, line=line, rule=rule))

    def info(self, text: str, *, line: int | None = None, rule: str | None = None) -> None:
        self.messages.append(Message(level="info", text=text, line=line, rule=rule))

    def target_schema(self, source_schema: str | None) -> str:
        return self.options.schema_map.get(source_schema or "", self.options.target_schema)

    def target_name_parts(self, schema: str | None, name: str) -> tuple[str, str, str]:
        """(catalog, schema, name) in Databricks of the source object `schema.name`.

        Objects of the default schemas (dbo, public) and of mapped schemas keep
        their name; objects of other schemas that land in the shared target
        schema get `<schema>_` in front, so Sales.Customer and Person.Customer
        never collide. Spaces, periods and slashes become `_` (Unity Catalog
        refuses them in names)."""
        schema = schema or self.obj.schema_name
        if schema in self.options.schema_map or schema.lower() in DEFAULT_SCHEMAS:
            target_name = name
        else:
            target_name = f"{schema}_{name}"
        return (
            self.options.target_catalog,
            self.target_schema(schema),
            unity_catalog_name(target_name),
        )

    def column_type(self, table: str, column: str, schema: str | None = None) -> str | None:
        """The source data type of `schema.table.column` from the catalog, if known."""
        for object_type in (ObjectType.TABLE, ObjectType.VIEW):
            found = self.catalog.find(table, schema, object_type)
            if found is None:
                continue
            for col in found.columns:
                if col.name.lower() == column.lower():
                    return col.data_type
        return None
