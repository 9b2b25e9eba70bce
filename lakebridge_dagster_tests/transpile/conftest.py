"""Shared fixtures for the transpile tests: real catalogs, and a context builder."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
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
def spark() -> Iterator[object]:
    """A local Spark SQL session, the open-source engine under Databricks SQL
    (ANSI mode on, as Databricks SQL has it): converted SQL is run on it, not
    only parsed. It needs Java, which `.ci/run` installs on CI."""
    if shutil.which("java") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Java is not installed: .ci/run installs default-jre-headless on CI")
        pytest.skip(
            "Java is not installed here: Spark cannot run (apt-get install default-jre-headless)"
        )
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")
        .appName("lakebridge-dagster-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.ansi.enabled", "true")
        .config("spark.sql.scripting.enabled", "true")  # BEGIN ... END scripts
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


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
