"""The labelled case set: one SQL file per case, its labels in a comment header.

    -- expect: CURSOR, WHILE_LOOP        (or `-- expect: none`)
    -- lines: CURSOR@12 WHILE_LOOP@15    (optional: evidence lines, file lines)
    -- type: PROCEDURE                   (default PROCEDURE)
    -- functions: dbo.fn_a, dbo.fn_b     (other functions in the catalog, for UDF_CALL)
    -- database: Sales                   (the catalog's database, for CROSS_DATABASE)
    -- language: plpgsql                 (PostgreSQL routines)
    -- name: schema.object               (default: <dbo|public>.<file stem>)

The header is a comment: the analyser sees it and must find nothing in it. The
object's definition is the whole file, so evidence lines are file lines.
`cases/tsql` and `cases/corpus` are T-SQL (a scripts source), `cases/postgres`
PostgreSQL.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lakebridge_dagster.assessment import Indicator
from lakebridge_dagster.catalog.model import CatalogObject, ObjectType, SourceCatalog

CASES_DIR = Path(__file__).parent / "cases"
# Tables the tests add and conftest.py prints at the end of the run.
REPORTS: list[str] = []
DIALECTS = {"tsql": "scripts", "corpus": "scripts", "postgres": "postgres"}


@dataclass
class Case:
    path: Path
    expected: frozenset[Indicator]
    lines: dict[Indicator, set[int]] = field(default_factory=dict)
    catalog: SourceCatalog | None = None
    obj: CatalogObject | None = None

    @property
    def id(self) -> str:
        return f"{self.path.parent.name}/{self.path.stem}"


def _header(text: str) -> dict[str, str]:
    header: dict[str, str] = {}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("--"):
            break
        key, sep, value = stripped[2:].partition(":")
        if sep and key.strip().isidentifier():
            header[key.strip()] = value.strip()
    return header


def _names(value: str) -> list[str]:
    return [name.strip() for name in value.replace(",", " ").split() if name.strip()]


def load_case(path: Path) -> Case:
    text = path.read_text(encoding="utf-8")
    header = _header(text)
    if "expect" not in header:
        raise ValueError(f"{path}: no '-- expect:' header")
    expected = frozenset(
        Indicator(name) for name in _names(header["expect"]) if name.lower() != "none"
    )
    lines: dict[Indicator, set[int]] = {}
    for item in _names(header.get("lines", "")):
        name, _, line = item.partition("@")
        lines.setdefault(Indicator(name), set()).add(int(line))
    dialect = DIALECTS[path.parent.name]
    default_schema = "public" if dialect == "postgres" else "dbo"
    schema, _, name = header.get("name", f"{default_schema}.{path.stem}").rpartition(".")
    obj = CatalogObject(
        schema=schema or default_schema,
        name=name,
        type=ObjectType(header.get("type", "PROCEDURE")),
        definition=text,
        language=header.get("language"),
        parent=header.get("parent"),
    )
    functions = [
        CatalogObject(
            schema=qualified.rpartition(".")[0] or default_schema,
            name=qualified.rpartition(".")[2],
            type=ObjectType.FUNCTION,
        )
        for qualified in _names(header.get("functions", ""))
    ]
    catalog = SourceCatalog(
        source="labelled",
        dialect=dialect,
        database=header.get("database"),
        objects=[obj, *functions],
    )
    return Case(path, expected, lines, catalog, obj)


def load_cases() -> list[Case]:
    return [load_case(path) for path in sorted(CASES_DIR.glob("*/*.sql"))]


@dataclass
class Score:
    """True/false positives and false negatives of one indicator over the case set."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def precision_recall(
    results: list[tuple[Case, frozenset[Indicator]]],
) -> dict[Indicator, Score]:
    scores = {indicator: Score() for indicator in Indicator}
    for case, found in results:
        for indicator in Indicator:
            expected = indicator in case.expected
            got = indicator in found
            if expected and got:
                scores[indicator].tp += 1
            elif got:
                scores[indicator].fp += 1
            elif expected:
                scores[indicator].fn += 1
    return scores


def score_table(title: str, scores: dict[Indicator, Score], positives: Counter[str]) -> str:
    """The precision/recall table as text, one row per indicator."""
    rows = [
        title,
        f"{'indicator':<16} {'cases':>5} {'TP':>4} {'FP':>4} {'FN':>4} "
        f"{'precision':>9} {'recall':>7}",
    ]
    for indicator, score in scores.items():
        if indicator is Indicator.ANALYSIS_ERROR:
            continue
        rows.append(
            f"{indicator.value:<16} {positives[indicator.value]:>5} {score.tp:>4} "
            f"{score.fp:>4} {score.fn:>4} {score.precision:>9.2f} {score.recall:>7.2f}"
        )
    return "\n".join(rows)
