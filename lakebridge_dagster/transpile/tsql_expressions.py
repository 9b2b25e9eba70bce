"""T-SQL expressions and statements -> Databricks SQL, as sqlglot transforms.

Owned by the T-SQL expression rules work; this first version only remaps names.
"""

from __future__ import annotations

from sqlglot import exp

from lakebridge_dagster.transpile.context import ObjectContext
from lakebridge_dagster.transpile.names import remap_tables


def to_databricks(expression: exp.Expression, ctx: ObjectContext) -> exp.Expression:
    """Rewrite one parsed T-SQL statement (or expression) so that
    `.sql("databricks")` is Databricks SQL with the same meaning. Rewrites that
    lose or change something record a warning on `ctx`; constructs with no
    Databricks equivalent raise `ManualConversion`."""
    return remap_tables(expression, ctx)
