"""Assessment: what in each object makes its migration hard, and how hard.

`assess_catalog(catalog)` returns a `ComplexityReport`: per object the
indicators found (with the line and source snippet as evidence), a weighted
score and level, a manual-work estimate, a conversion strategy per indicator,
the objects it depends on and its migration wave. The weights are one table:
`indicators.INDICATORS`. No Dagster here; `defs/` wires it to an asset.
"""

from lakebridge_dagster.assessment.assess import assess_catalog
from lakebridge_dagster.assessment.indicators import INDICATORS, Indicator, Level
from lakebridge_dagster.assessment.report import (
    ComplexityReport,
    Finding,
    ObjectAssessment,
    Summary,
)

__all__ = [
    "INDICATORS",
    "ComplexityReport",
    "Finding",
    "Indicator",
    "Level",
    "ObjectAssessment",
    "Summary",
    "assess_catalog",
]
