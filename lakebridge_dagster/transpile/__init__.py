"""Transpilation: every catalog object to Databricks SQL, or MANUAL with the reason.

`transpile_catalog(catalog, options, assessment)` returns a `TranspileResult`
(the report and each object's file text); `.write(dir)` puts them on disk.
sqlglot parses and generates; our own rewrites are sqlglot transforms
(`tsql_expressions`, `tsql_objects`, `tsql_procedures`, `postgres`), and
`validate` re-checks every output before it is called CONVERTED. No Dagster here.
"""

from lakebridge_dagster.transpile.context import ManualConversion, ObjectContext, TranspileOptions
from lakebridge_dagster.transpile.model import ObjectResult, Status, TranspileReport
from lakebridge_dagster.transpile.pipeline import (
    TranspileResult,
    options_for,
    transpile_catalog,
    transpile_object,
)

__all__ = [
    "ManualConversion",
    "ObjectContext",
    "ObjectResult",
    "Status",
    "TranspileOptions",
    "TranspileReport",
    "TranspileResult",
    "options_for",
    "transpile_catalog",
    "transpile_object",
]
