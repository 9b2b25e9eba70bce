"""Markdown and CSV renderings of a complexity report."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from lakebridge_dagster.assessment.indicators import INDICATORS, Indicator, Level

if TYPE_CHECKING:
    from lakebridge_dagster.assessment.report import ComplexityReport, ObjectAssessment

TOP_IN_SUMMARY = 10
TOP_IN_REPORT = 20
EXAMPLES_PER_INDICATOR = 50

CSV_COLUMNS = [
    "schema",
    "name",
    "type",
    "level",
    "score",
    "manual_hours",
    "wave",
    "indicators",
    "depends_on",
    "analysis",
    "code_lines",
    "file",
    "line",
]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _cell(text: object) -> str:
    """A Markdown table cell: pipes escaped, one line."""
    return " ".join(str(text).replace("|", "\\|").split())


def _indicator_list(obj: ObjectAssessment) -> str:
    return ", ".join(
        f"{name}×{n}" if n > 1 else name for name, n in sorted(obj.indicator_counts().items())
    )


def _objects_table(objects: list[ObjectAssessment]) -> list[str]:
    lines = [
        "| object | type | level | score | hours | wave | indicators |",
        "|---|---|---|---:|---:|---:|---|",
    ]
    for obj in objects:
        lines.append(
            f"| `{_cell(obj.qualified_name)}` | {obj.type.value} | {obj.level.value} "
            f"| {obj.score:g} | {obj.manual_hours:g} | {obj.wave} | {_cell(_indicator_list(obj))} |"
        )
    return lines


def summary_markdown(report: ComplexityReport) -> str:
    """Counts per level and type, hours, indicators with their strategy, the top 10."""
    summary = report.summary
    lines = [
        f"**{summary.objects} objects** of `{report.source}` ({report.dialect}): "
        f"**{summary.manual_hours:g} hours** of estimated manual work, "
        f"{len(summary.waves)} migration waves.",
        "",
        "| level | objects | hours |",
        "|---|---:|---:|",
    ]
    for level in Level:
        lines.append(
            f"| {level.value} | {summary.levels.get(level.value, 0)} "
            f"| {summary.manual_hours_by_level.get(level.value, 0):g} |"
        )
    lines += ["", "| type | objects |", "|---|---:|"]
    lines += [f"| {kind} | {n} |" for kind, n in summary.types.items() if n]
    if summary.indicators:
        lines += [
            "",
            "| indicator | objects | occurrences | conversion |",
            "|---|---:|---:|---|",
        ]
        for name, n in sorted(summary.indicators.items(), key=lambda item: (-item[1], item[0])):
            strategy = INDICATORS[Indicator(name)].strategy
            lines.append(
                f"| `{name}` | {n} | {summary.occurrences.get(name, 0)} | {_cell(strategy)} |"
            )
    if summary.cycles:
        lines += ["", f"**{len(summary.cycles)} dependency cycles** (each shares one wave):"]
        lines += [f"- {' ↔ '.join(f'`{name}`' for name in cycle)}" for cycle in summary.cycles]
    if summary.analysis_errors:
        lines += [
            "",
            f"**{summary.analysis_errors} objects could not be analysed** "
            "(ANALYSIS_ERROR findings): review them by hand.",
        ]
    lines += ["", f"Top {TOP_IN_SUMMARY} by score:", ""]
    lines += _objects_table(report.top(TOP_IN_SUMMARY))
    return "\n".join(lines) + "\n"


def report_markdown(report: ComplexityReport) -> str:
    """The whole report: summary, top 20, one section per indicator with evidence, waves."""
    lines = [
        f"# Complexity report: {report.source}",
        "",
        f"Generated {report.generated_at:%Y-%m-%d %H:%M:%SZ} from the `{report.dialect}` "
        "source catalog. Scores, levels and hours follow the weights table of "
        "`lakebridge_dagster/assessment/indicators.py`. Evidence lines are lines of the "
        "object's definition (for a scripts source, counted from its CREATE statement).",
        "",
        "## Summary",
        "",
        summary_markdown(report).rstrip(),
        "",
        f"## Top {TOP_IN_REPORT} objects",
        "",
        *_objects_table(report.top(TOP_IN_REPORT)),
    ]
    by_indicator: dict[str, list[tuple[ObjectAssessment, int | None, str, str | None]]] = {}
    for obj in report.top(len(report.objects)):
        for finding in obj.indicators:
            by_indicator.setdefault(finding.name.value, []).append(
                (obj, finding.line, finding.snippet, finding.detail)
            )
    lines += ["", "## Indicators"]
    for indicator in Indicator:
        found = by_indicator.get(indicator.value)
        if not found:
            continue
        rule = INDICATORS[indicator]
        objects = {obj.qualified_name for obj, *_ in found}
        lines += [
            "",
            f"### {indicator.value}",
            "",
            f"{_count(len(found), 'occurrence')} in {_count(len(objects), 'object')}. "
            f"Detected from: {rule.detects}.",
            "",
            f"**Conversion:** {rule.strategy}.",
            "",
            "| object | line | evidence |",
            "|---|---:|---|",
        ]
        for obj, line, snippet, detail in found[:EXAMPLES_PER_INDICATOR]:
            evidence = f"`{_cell(snippet)}`" if snippet else ""
            if detail:
                evidence += f" ({_cell(detail)})"
            lines.append(f"| `{_cell(obj.qualified_name)}` | {line or ''} | {evidence} |")
        if len(found) > EXAMPLES_PER_INDICATOR:
            lines.append(f"\n... and {len(found) - EXAMPLES_PER_INDICATOR} more (see the JSON).")
    lines += ["", "## Migration waves", "", "| wave | objects |", "|---:|---|"]
    waves: dict[int, list[str]] = {}
    for obj in report.objects:
        waves.setdefault(obj.wave, []).append(obj.qualified_name)
    for wave in sorted(waves):
        names = sorted(waves[wave])
        shown = ", ".join(f"`{_cell(name)}`" for name in names[:30])
        more = f" and {len(names) - 30} more" if len(names) > 30 else ""
        lines.append(f"| {wave} | {len(names)}: {shown}{more} |")
    return "\n".join(lines) + "\n"


def report_csv(report: ComplexityReport) -> str:
    """One row per object; lists are joined with `;`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for obj in report.objects:
        writer.writerow(
            [
                obj.schema_name,
                obj.name,
                obj.type.value,
                obj.level.value,
                f"{obj.score:g}",
                f"{obj.manual_hours:g}",
                obj.wave,
                ";".join(f"{name}={n}" for name, n in sorted(obj.indicator_counts().items())),
                ";".join(obj.depends_on),
                obj.analysis,
                obj.code_lines,
                obj.file or "",
                obj.line if obj.line is not None else "",
            ]
        )
    return out.getvalue()
