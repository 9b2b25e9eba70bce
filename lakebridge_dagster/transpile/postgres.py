"""PostgreSQL tables, views, functions, procedures, triggers, sequences -> Databricks SQL."""

from __future__ import annotations

from lakebridge_dagster.transpile.context import ManualConversion, ObjectContext, manual


def convert_postgres_object(ctx: ObjectContext) -> str:
    """Databricks SQL for one PostgreSQL catalog object."""
    raise ManualConversion([manual(f"{ctx.obj.type.value} conversion is not built yet")])
