"""Files the assets hand to each other: written atomically, read with a version check.

Every stage's output (catalog, registry, complexity report) is JSON with a
`schema_version`; a file from an older layout is refused with the asset to
re-materialize, never half-read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def write_atomic(path: Path, text: str) -> Path:
    """Write `text` to `path` through a temporary file and a rename, so a crash
    never leaves half a file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="")
    tmp.replace(path)
    return path


def read_versioned(path: Path, schema_version: int, what: str, asset: str) -> dict[str, Any]:
    """The JSON document at `path`, refused unless it has `schema_version`."""
    data = json.loads(path.read_text(encoding="utf-8"))
    version = data.get("schema_version")
    if version != schema_version:
        raise ValueError(
            f"{path}: {what} schema_version {version!r} is not {schema_version}; "
            f"re-materialize the {asset} asset to rewrite it"
        )
    return data
