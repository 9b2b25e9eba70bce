"""T-SQL tables, views, functions, triggers and sequences -> Databricks SQL."""

from __future__ import annotations

from lakebridge_dagster.transpile.context import ManualConversion, ObjectContext, manual


def convert_tsql_object(ctx: ObjectContext) -> str:
    """Databricks SQL for one T-SQL object other than a procedure."""
    raise ManualConversion([manual(f"{ctx.obj.type.value} conversion is not built yet")])
