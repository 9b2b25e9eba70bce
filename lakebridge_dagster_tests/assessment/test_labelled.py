"""Indicator detection against the labelled case set: precision and recall per indicator.

Every case runs twice: the normal way (AST where the object parses, tokens
where it does not) and tokens only, so the fallback is checked on the objects
that parse too. The bar is 1.0 precision and recall for every indicator.
"""

from __future__ import annotations

from collections import Counter

import pytest

from lakebridge_dagster.assessment import Indicator
from lakebridge_dagster.assessment.analysis import AST, analyse_object
from lakebridge_dagster.assessment.context import CatalogIndex
from lakebridge_dagster_tests.assessment.labelled import (
    REPORTS,
    Case,
    load_cases,
    precision_recall,
    score_table,
)

CASES = load_cases()
MODES = {"auto": True, "tokens": False}


def _analyse(case: Case, use_ast: bool):  # noqa: ANN202 - the analysis dataclass
    assert case.obj is not None and case.catalog is not None
    return analyse_object(case.obj, CatalogIndex.of(case.catalog), use_ast=use_ast)


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case_finds_exactly_its_labels(case: Case, mode: str) -> None:
    analysis = _analyse(case, MODES[mode])
    found = frozenset(evidence.indicator for evidence in analysis.evidence)
    evidence = "\n".join(
        f"  {e.indicator.value} line {e.line}: {e.snippet} {e.detail or ''}"
        for e in analysis.evidence
    )
    assert found == case.expected, (
        f"{case.id} ({analysis.method}): missing {sorted(case.expected - found)}, "
        f"unexpected {sorted(found - case.expected)}\n{evidence}"
    )
    for indicator, lines in case.lines.items():
        got = {e.line for e in analysis.evidence if e.indicator is indicator}
        assert got == lines, f"{case.id} ({analysis.method}): {indicator.value} lines\n{evidence}"


def test_precision_and_recall_are_one_for_every_indicator() -> None:
    positives = Counter(indicator.value for case in CASES for indicator in case.expected)
    failing = []
    for mode, use_ast in MODES.items():
        results = []
        for case in CASES:
            analysis = _analyse(case, use_ast)
            results.append((case, frozenset(e.indicator for e in analysis.evidence)))
        scores = precision_recall(results)
        how = "AST where it parses" if use_ast else "tokens only"
        title = f"Labelled set, {len(CASES)} cases, {mode} ({how}):"
        REPORTS.append(score_table(title, scores, positives))
        failing += [
            f"{mode} {indicator.value}: precision {score.precision:.2f} recall {score.recall:.2f}"
            for indicator, score in scores.items()
            if score.precision < 1 or score.recall < 1
        ]
    assert not failing, "\n".join(failing)


def test_every_indicator_has_positive_cases_and_the_set_has_tricky_negatives() -> None:
    positives = Counter(indicator for case in CASES for indicator in case.expected)
    missing = [i.value for i in Indicator if i is not Indicator.ANALYSIS_ERROR and not positives[i]]
    assert not missing, f"indicators without a positive case: {missing}"
    negatives = [case for case in CASES if "negative" in case.path.stem]
    assert len(negatives) >= 20, "keywords in comments, strings and identifiers need cases"


def test_the_ast_path_reads_a_good_share_of_the_cases() -> None:
    methods = Counter(_analyse(case, True).method for case in CASES)
    assert methods[AST] >= len(CASES) // 5, methods
