"""T-SQL stored procedures -> Databricks SQL procedures (SQL scripting)."""

from __future__ import annotations

from lakebridge_dagster.transpile.context import ManualConversion, ObjectContext, manual


def convert_tsql_procedure(ctx: ObjectContext) -> str:
    """`CREATE OR REPLACE PROCEDURE ... LANGUAGE SQL ... AS BEGIN ... END` for one
    T-SQL procedure, or ManualConversion with the statements that do not map."""
    raise ManualConversion([manual("procedure conversion is not built yet")])
