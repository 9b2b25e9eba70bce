"""Checks Databricks SQL scripting text (procedures, compound statements):
the block structure by our own small parser, each leaf statement by sqlglot."""

from __future__ import annotations


def check_script(sql: str) -> list[str]:
    """Problems found in `sql`, a CREATE PROCEDURE or a BEGIN ... END block;
    empty when every block is well formed and every statement parses as
    Databricks SQL."""
    return ["the scripting checker is not built yet"]
