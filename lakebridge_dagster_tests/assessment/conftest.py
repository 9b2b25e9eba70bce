"""Prints the labelled set's precision/recall tables after the test run."""

from __future__ import annotations

import pytest

from lakebridge_dagster_tests.assessment.labelled import REPORTS


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for report in REPORTS:
        terminalreporter.write_line("")
        for line in report.splitlines():
            terminalreporter.write_line(line)
