"""The source catalog: one typed description of every object in a source.

Every extractor (postgres, sqlserver, scripts) returns a `SourceCatalog`; every
later stage (assessment, transpile, registry) reads one. It is serialised to
`source_catalog.json` with a `schema_version` so old files are recognised.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from lakebridge_dagster.artifacts import read_versioned, write_atomic

SCHEMA_VERSION = 1


class ObjectType(StrEnum):
    TABLE = "TABLE"
    VIEW = "VIEW"
    PROCEDURE = "PROCEDURE"
    FUNCTION = "FUNCTION"
    TRIGGER = "TRIGGER"
    SEQUENCE = "SEQUENCE"


class _Model(BaseModel):
    # `schema` is the migration's word for a namespace; pydantic reserves the
    # attribute, so fields use `schema_name` and serialise as "schema".
    model_config = ConfigDict(populate_by_name=True, extra="forbid", frozen=False)


class Column(_Model):
    name: str
    data_type: str
    nullable: bool
    ordinal: int
    default: str | None = None
    is_identity: bool = False
    is_computed: bool = False


class Index(_Model):
    name: str
    columns: list[str]
    unique: bool = False
    primary: bool = False
    kind: str | None = None  # btree, CLUSTERED, NONCLUSTERED, ...


class ForeignKey(_Model):
    name: str
    columns: list[str]
    referenced_schema: str
    referenced_table: str
    referenced_columns: list[str]


class CatalogObject(_Model):
    schema_name: str = Field(alias="schema")
    name: str
    type: ObjectType
    definition: str | None = None
    columns: list[Column] = Field(default_factory=list)
    primary_key: list[str] = Field(default_factory=list)
    indexes: list[Index] = Field(default_factory=list)
    foreign_keys: list[ForeignKey] = Field(default_factory=list)
    row_count: int | None = None
    row_count_estimate: int | None = None
    size_bytes: int | None = None
    parent: str | None = None  # the table a trigger belongs to
    language: str | None = None  # plpgsql, sql, ... for routines
    file: str | None = None  # scripts: path relative to the scripts folder
    line: int | None = None  # scripts: first line of the batch in that file
    parse_error: str | None = None

    @property
    def qualified_name(self) -> str:
        return f"{self.schema_name}.{self.name}"


class _NameIndex:
    """Catalog objects by lower-case name, in catalog order, for `SourceCatalog.find`
    (a scan per lookup is slow on large catalogs). Rebuilt when the objects list
    is replaced or changes length (some code paths append to it after the
    catalog is built) or one of the hits was renamed. Equal to any other index:
    a cache is no part of the catalog's value."""

    def __init__(self) -> None:
        # the list itself, not its id: a new list could reuse a freed list's id
        self._of: list[CatalogObject] | None = None
        self._length = 0
        self._by_name: dict[str, list[CatalogObject]] = {}

    def named(self, objects: list[CatalogObject], lower_name: str) -> list[CatalogObject]:
        if self._of is not objects or self._length != len(objects):
            self._build(objects)
        hits = self._by_name.get(lower_name, [])
        if any(obj.name.lower() != lower_name for obj in hits):
            self._build(objects)
            hits = self._by_name.get(lower_name, [])
        return hits

    def _build(self, objects: list[CatalogObject]) -> None:
        self._by_name = {}
        for obj in objects:
            self._by_name.setdefault(obj.name.lower(), []).append(obj)
        self._of, self._length = objects, len(objects)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _NameIndex)

    __hash__ = None  # type: ignore[assignment]


class SourceCatalog(_Model):
    schema_version: int = SCHEMA_VERSION
    source: str
    dialect: str
    extracted_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    database: str | None = None
    server: str | None = None  # host[:port] only, never credentials
    objects: list[CatalogObject] = Field(default_factory=list)
    # SQL Server alias types (CREATE TYPE x FROM base, sp_addtype): the alias's
    # name in lower case, without schema -> its base type as T-SQL writes it
    alias_types: dict[str, str] = Field(default_factory=dict)
    _name_index: _NameIndex = PrivateAttr(default_factory=lambda: _NameIndex())

    def of_type(self, object_type: ObjectType) -> list[CatalogObject]:
        return [obj for obj in self.objects if obj.type == object_type]

    def counts_by_type(self) -> dict[str, int]:
        """Count per object type, every type present (zero when absent)."""
        counts = Counter(obj.type.value for obj in self.objects)
        return {t.value: counts.get(t.value, 0) for t in ObjectType}

    def largest_tables(self, n: int = 10) -> list[CatalogObject]:
        """The n largest tables by size, then by row count."""
        return sorted(
            self.of_type(ObjectType.TABLE),
            key=lambda t: (t.size_bytes or 0, t.row_count or 0),
            reverse=True,
        )[:n]

    def find(
        self, name: str, schema: str | None = None, object_type: ObjectType | None = None
    ) -> CatalogObject | None:
        """The object called `name`, optionally in `schema` and of `object_type`.
        An exact match wins; otherwise case-insensitive (T-SQL names are)."""
        candidates = [
            obj
            for obj in self._name_index.named(self.objects, name.lower())
            if (schema is None or obj.schema_name.lower() == schema.lower())
            and (object_type is None or obj.type == object_type)
        ]
        exact = [obj for obj in candidates if obj.name == name]
        return (exact or candidates or [None])[0]

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True, indent=2)

    def write(self, path: Path) -> Path:
        """Write the catalog as JSON atomically (a crash never leaves half a file)."""
        return write_atomic(path, self.to_json())

    @classmethod
    def read(cls, path: Path) -> SourceCatalog:
        return cls.model_validate(
            read_versioned(path, SCHEMA_VERSION, "source catalog", "source_catalog")
        )
