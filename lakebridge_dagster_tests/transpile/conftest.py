"""Shared fixtures for the transpile tests: real catalogs, and a context builder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from lakebridge_dagster.catalog.model import CatalogObject, ObjectType, SourceCatalog
from lakebridge_dagster.catalog.scripts import extract_scripts_catalog
from lakebridge_dagster.transpile.context import ObjectContext, TranspileOptions

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
DEMO_TSQL = Path(__file__).resolve().parents[2] / "lakebridge_dagster" / "demo" / "tsql"

OPTIONS = TranspileOptions(target_catalog="main", target_schema="silver")


@pytest.fixture(scope="session")
def corpus_catalog() -> SourceCatalog:
    """AdventureWorks OLTP, Northwind and pubs (MIT, see data/corpus/README.md)."""
    return extract_scripts_catalog("corpus", CORPUS)


@pytest.fixture(scope="session")
def demo_tsql_catalog() -> SourceCatalog:
    return extract_scripts_catalog("demo_tsql", DEMO_TSQL)


def tsql_object(
    definition: str,
    object_type: ObjectType,
    name: str = "obj",
    schema: str = "dbo",
    catalog_objects: list[CatalogObject] | None = None,
) -> ObjectContext:
    """A context for one hand-written T-SQL object, in a catalog of its own (plus
    `catalog_objects`, e.g. tables whose column types a rule needs)."""
    obj = CatalogObject(schema=schema, name=name, type=object_type, definition=definition)
    catalog = SourceCatalog(source="test", dialect="tsql", objects=[obj, *(catalog_objects or [])])
    return ObjectContext(obj=obj, catalog=catalog, options=OPTIONS)


@pytest.fixture
def make_context() -> Callable[..., ObjectContext]:
    return tsql_object


def context_for(catalog: SourceCatalog, name: str, object_type: ObjectType) -> ObjectContext:
    obj = catalog.find(name, object_type=object_type)
    assert obj is not None, f"{name} not in {catalog.source}"
    return ObjectContext(obj=obj, catalog=catalog, options=OPTIONS)
