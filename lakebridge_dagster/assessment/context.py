"""What the indicator rules know about the catalog, and what they produce.

Rules return `Hit`s (an indicator at an offset of the object's definition) and
`Reference`s (a name the object reads, writes or calls); `analysis.py` turns
hits into evidence lines and `dependencies.py` resolves references against the
catalog.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from lakebridge_dagster.assessment.indicators import Indicator
from lakebridge_dagster.assessment.tokens import Dialect
from lakebridge_dagster.catalog.model import CatalogObject, ObjectType, SourceCatalog

DEFAULT_SCHEMA = {Dialect.TSQL: "dbo", Dialect.POSTGRES: "public"}
FUNCTIONS = frozenset({ObjectType.FUNCTION})
ROUTINES = frozenset({ObjectType.FUNCTION, ObjectType.PROCEDURE})
RELATIONS = frozenset({ObjectType.TABLE, ObjectType.VIEW})
SEQUENCES = frozenset({ObjectType.SEQUENCE})


@dataclass(frozen=True, slots=True)
class Hit:
    indicator: Indicator
    offset: int | None  # character offset in the object's definition
    detail: str | None = None


class Access(StrEnum):
    READ = "read"
    WRITE = "write"
    CALL = "call"


@dataclass(frozen=True, slots=True)
class Reference:
    access: Access
    parts: tuple[str, ...]  # as written: (name,), (schema, name), (db, schema, name), ...


def routine_name(obj: CatalogObject) -> str:
    """The name a routine is called by (PostgreSQL overloads are named `f(args)`)."""
    return obj.name.split("(", 1)[0]


def dialect_of(catalog_dialect: str) -> Dialect:
    """sqlglot's read dialect for a catalog's dialect (scripts are T-SQL)."""
    return Dialect.POSTGRES if catalog_dialect == "postgres" else Dialect.TSQL


@dataclass
class CatalogIndex:
    """Catalog objects by lower-case name, for resolving what an object refers to."""

    dialect: Dialect
    database: str | None
    by_name: dict[str, list[CatalogObject]] = field(default_factory=dict)

    @classmethod
    def of(cls, catalog: SourceCatalog) -> CatalogIndex:
        index = cls(dialect_of(catalog.dialect), catalog.database)
        for obj in catalog.objects:
            name = routine_name(obj) if obj.type in ROUTINES else obj.name
            index.by_name.setdefault(name.lower(), []).append(obj)
        return index

    @property
    def default_schema(self) -> str:
        return DEFAULT_SCHEMA[self.dialect]

    def is_other_database(self, database: str) -> bool:
        """True when `database` (the first part of a 3-part name) is not this catalog's."""
        return self.database is None or database.lower() != self.database.lower()

    def resolve(
        self, parts: tuple[str, ...], types: frozenset[ObjectType], own_schema: str
    ) -> list[CatalogObject]:
        """The catalog objects of `types` that `parts` names, seen from `own_schema`.

        Unqualified names resolve in the referencing object's schema, then the
        default schema (dbo, public), then anywhere if only one object matches.
        A 3- or 4-part name of another database resolves to nothing."""
        if not parts or not parts[-1]:
            return []
        if len(parts) >= 4 or (len(parts) == 3 and self.is_other_database(parts[0])):
            return []
        candidates = [obj for obj in self.by_name.get(parts[-1].lower(), []) if obj.type in types]
        if not candidates:
            return []
        schema = parts[-2] if len(parts) >= 2 and parts[-2] else None
        if schema is not None:
            return [obj for obj in candidates if obj.schema_name.lower() == schema.lower()]
        for preferred in (own_schema.lower(), self.default_schema):
            found = [obj for obj in candidates if obj.schema_name.lower() == preferred]
            if found:
                return found
        schemas = {obj.schema_name.lower() for obj in candidates}
        return candidates if len(schemas) == 1 else []


@dataclass(frozen=True)
class RuleContext:
    """What rules need to know while analysing one object."""

    index: CatalogIndex
    obj: CatalogObject

    @property
    def dialect(self) -> Dialect:
        return self.index.dialect

    def called_function(self, parts: tuple[str, ...]) -> CatalogObject | None:
        """The catalog function `parts(...)` calls, unless it is the object itself."""
        for found in self.index.resolve(parts, FUNCTIONS, self.obj.schema_name):
            if found is not self.obj:
                return found
        return None
