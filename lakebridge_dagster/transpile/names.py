"""Source names to Databricks names: `db.dbo.X` / `dbo.X` / `X` -> `catalog.schema.X`.

A sqlglot transform over table references. Names the object defines for
itself (CTEs, temp tables, table variables) stay as they are.
"""

from __future__ import annotations

from sqlglot import exp

from lakebridge_dagster.transpile.context import ObjectContext


def target_table(ctx: ObjectContext, schema: str | None, name: str) -> exp.Table:
    """The fully qualified, quoted Databricks table expression for a source object."""
    catalog, target_schema, target_name = ctx.target_name_parts(schema, name)
    return exp.table_(
        exp.to_identifier(target_name, quoted=True),
        db=exp.to_identifier(target_schema, quoted=True),
        catalog=exp.to_identifier(catalog, quoted=True),
    )


def cte_names(expression: exp.Expression) -> set[str]:
    return {cte.alias_or_name.lower() for cte in expression.find_all(exp.CTE)}


def remap_tables(expression: exp.Expression, ctx: ObjectContext) -> exp.Expression:
    """Point every table reference that is a catalog object (or looks like one:
    schema-qualified) at its Databricks name. `USE db` is the caller's to drop."""
    local = {name.lower() for name in ctx.local_names} | cte_names(expression)

    def rewrite(node: exp.Expression) -> exp.Expression:
        if not isinstance(node, exp.Table) or not node.name:
            return node
        if isinstance(node.this, exp.Func | exp.Anonymous):
            return node  # a table-valued function call, remapped by its own rule
        name = node.name
        if name.startswith(("#", "@")) or (not node.db and name.lower() in local):
            return node
        schema = node.db or None
        if schema is None and ctx.catalog.find(name) is None:
            return node  # not a catalog object and not qualified: leave it alone
        if schema is None:
            found = ctx.catalog.find(name)
            schema = found.schema_name if found is not None else ctx.obj.schema_name
        target = target_table(ctx, schema, name)
        if (
            not node.alias
            and target.name != name
            and isinstance(node.parent, exp.From | exp.Join | exp.Subquery)
        ):
            # Columns qualified by the source table name (`[Order Details].OrderID`)
            # must still resolve once the table has its Databricks name.
            node.set("alias", exp.TableAlias(this=exp.to_identifier(name, quoted=True)))
        # Set the parts on the node itself: `transform` does not descend into a
        # replacement, and a parenthesised join nests tables inside this one.
        for part in ("this", "db", "catalog"):
            node.set(part, target.args[part])
        return node

    return expression.transform(rewrite, copy=False)
