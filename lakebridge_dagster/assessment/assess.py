"""assess_catalog: the complexity report of a source catalog."""

from __future__ import annotations

import logging
from collections import Counter

from lakebridge_dagster.assessment.analysis import ERROR, Evidence, ObjectAnalysis, analyse_object
from lakebridge_dagster.assessment.context import Access, CatalogIndex
from lakebridge_dagster.assessment.dependencies import migration_waves, resolve_objects
from lakebridge_dagster.assessment.indicators import Indicator, Level
from lakebridge_dagster.assessment.report import (
    ComplexityReport,
    Finding,
    ObjectAssessment,
    Summary,
)
from lakebridge_dagster.assessment.scoring import level, manual_hours, score, strategies
from lakebridge_dagster.catalog.model import CatalogObject, ObjectType, SourceCatalog

logger = logging.getLogger(__name__)


def assess_catalog(catalog: SourceCatalog) -> ComplexityReport:
    """Indicators, score, level, hours, strategies, dependencies and wave of every object.

    Never raises because of one object: an internal error analysing it becomes
    an ANALYSIS_ERROR finding carrying the message, and the rest is assessed."""
    index = CatalogIndex.of(catalog)
    ids = _node_ids(catalog.objects)
    analyses = [_analyse(obj, index, catalog.source) for obj in catalog.objects]

    resolved = [
        resolve_objects(analysis.references, obj, index)
        for obj, analysis in zip(catalog.objects, analyses, strict=True)
    ]
    graph: dict[str, set[str]] = {
        ids[id(obj)]: {ids[id(target)] for targets in access.values() for target in targets}
        for obj, access in zip(catalog.objects, resolved, strict=True)
    }
    waves, cycles = migration_waves(graph)

    assessed = [
        _assessment(obj, analysis, access, sorted(graph[ids[id(obj)]]), waves[ids[id(obj)]])
        for obj, analysis, access in zip(catalog.objects, analyses, resolved, strict=True)
    ]
    return ComplexityReport(
        source=catalog.source,
        dialect=catalog.dialect,
        summary=_summary(assessed, waves, cycles),
        objects=assessed,
    )


def _analyse(obj: CatalogObject, index: CatalogIndex, source: str) -> ObjectAnalysis:
    try:
        return analyse_object(obj, index)
    except Exception as error:  # noqa: BLE001 - one object must never stop the report
        message = f"{type(error).__name__}: {error}".splitlines()[0][:300]
        logger.warning(
            "source '%s': could not analyse %s %s (%s); reported as ANALYSIS_ERROR",
            source,
            obj.type.value,
            obj.qualified_name,
            message,
        )
        evidence = Evidence(Indicator.ANALYSIS_ERROR, None, message, None)
        return ObjectAnalysis([evidence], [], ERROR)


def _node_ids(objects: list[CatalogObject]) -> dict[int, str]:
    """A dependency-graph id per object: its qualified name, plus its type when shared."""
    names = Counter(obj.qualified_name for obj in objects)
    return {
        id(obj): obj.qualified_name
        if names[obj.qualified_name] == 1
        else f"{obj.qualified_name} ({obj.type.value})"
        for obj in objects
    }


def _assessment(
    obj: CatalogObject,
    analysis: ObjectAnalysis,
    access: dict[Access, list[CatalogObject]],
    depends_on: list[str],
    wave: int,
) -> ObjectAssessment:
    counts = Counter(evidence.indicator for evidence in analysis.evidence)
    points = score(counts, analysis.code_lines)
    return ObjectAssessment(
        schema=obj.schema_name,
        name=obj.name,
        type=obj.type,
        level=level(points),
        score=points,
        indicators=[
            Finding(name=e.indicator, line=e.line, snippet=e.snippet, detail=e.detail)
            for e in analysis.evidence
        ],
        manual_hours=manual_hours(obj.type, counts, analysis.code_lines),
        strategies=strategies(counts),
        depends_on=depends_on,
        wave=wave,
        reads=_names(access[Access.READ]),
        writes=_names(access[Access.WRITE]),
        calls=_names(access[Access.CALL]),
        analysis=analysis.method,
        code_lines=analysis.code_lines,
        file=obj.file,
        line=obj.line,
    )


def _names(objects: list[CatalogObject]) -> list[str]:
    return sorted({obj.qualified_name for obj in objects})


def _summary(
    objects: list[ObjectAssessment], waves: dict[str, int], cycles: list[list[str]]
) -> Summary:
    types = Counter(obj.type.value for obj in objects)
    levels = Counter(obj.level.value for obj in objects)
    indicators: Counter[str] = Counter()
    occurrences: Counter[str] = Counter()
    hours_by_level: Counter[str] = Counter()
    for obj in objects:
        counts = obj.indicator_counts()
        indicators.update(counts.keys())
        occurrences.update(counts)
        hours_by_level[obj.level.value] += obj.manual_hours
    return Summary(
        objects=len(objects),
        types={t.value: types.get(t.value, 0) for t in ObjectType},
        levels={lv.value: levels.get(lv.value, 0) for lv in Level},
        indicators={i.value: indicators[i.value] for i in Indicator if indicators[i.value]},
        occurrences={i.value: occurrences[i.value] for i in Indicator if occurrences[i.value]},
        manual_hours=round(sum(obj.manual_hours for obj in objects), 2),
        manual_hours_by_level={lv.value: round(hours_by_level[lv.value], 2) for lv in Level},
        waves=dict(sorted(Counter(waves.values()).items())),
        cycles=cycles,
        analysis=dict(sorted(Counter(obj.analysis for obj in objects).items())),
        analysis_errors=sum(1 for obj in objects if obj.analysis == ERROR),
    )
