"""The files `transpiled_sql` writes: one `.sql` per object with a header comment.

A CONVERTED file runs as it is. A MANUAL or FAILED file is only comments (the
reasons, the original source and any best-effort conversion), so a script that
runs every file of the folder never deploys half-converted SQL.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from lakebridge_dagster.transpile.model import Message, ObjectResult, Status

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def relative_path(result: ObjectResult) -> PurePosixPath:
    """`<schema>/<type>/<name>.sql` with characters no filesystem takes replaced by `_`."""
    return PurePosixPath(
        _safe(result.schema_name), result.type.value.lower(), f"{_safe(result.name)}.sql"
    )


def render_file(
    result: ObjectResult,
    *,
    source: str,
    dialect: str,
    sql: str | None,
    original: str | None,
    location: str | None,
) -> str:
    """The text of one object's file."""
    lines = [
        f"-- Transpiled by lakebridge-dagster from {source} ({dialect}): "
        f"{result.type.value} {result.qualified_name}",
    ]
    if location:
        lines.append(f"-- Source: {location}")
    if result.target_name:
        lines.append(f"-- Target: {result.target_name}")
    lines.append(f"-- Status: {result.status.value}")
    lines += [f"-- {_describe(message)}" for message in result.messages]
    if result.status in (Status.MANUAL, Status.FAILED) and result.strategies:
        lines.append("-- Suggested conversion (from the complexity report):")
        lines += [f"--   {strategy}" for strategy in result.strategies]
    converted = result.status in (Status.CONVERTED, Status.CONVERTED_WITH_WARNINGS)
    if converted and sql is not None:
        return "\n".join(lines) + "\n\n" + sql.rstrip().rstrip(";") + ";\n"
    if original:
        lines += ["", f"-- ---- original {dialect} (not converted) ----"]
        lines += _commented(original)
    if sql:
        lines += ["", "-- ---- best-effort Databricks SQL: NOT validated, review before use ----"]
        lines += _commented(sql)
    return "\n".join(lines) + "\n"


def _describe(message: Message) -> str:
    where = f" (line {message.line})" if message.line is not None else ""
    text = " ".join(message.text.split())
    return f"{message.level}{where}: {text}"


def _commented(text: str) -> list[str]:
    return [f"-- {line}".rstrip() for line in text.replace("\r\n", "\n").split("\n")]


def _safe(name: str) -> str:
    return _UNSAFE.sub("_", name) or "_"
