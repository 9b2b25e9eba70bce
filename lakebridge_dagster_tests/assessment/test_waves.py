"""Migration waves and dependency cycles, as a table of graphs."""

from __future__ import annotations

import pytest

from lakebridge_dagster.assessment.dependencies import migration_waves


@pytest.mark.parametrize(
    ("graph", "waves", "cycles"),
    [
        pytest.param({}, {}, [], id="empty"),
        pytest.param({"a": set(), "b": set()}, {"a": 1, "b": 1}, [], id="independent"),
        pytest.param(
            {"table": set(), "view": {"table"}, "proc": {"view", "table"}},
            {"table": 1, "view": 2, "proc": 3},
            [],
            id="chain: a procedure after the view after the table",
        ),
        pytest.param(
            {"a": set(), "b": {"a"}, "c": {"a"}, "d": {"b", "c"}},
            {"a": 1, "b": 2, "c": 2, "d": 3},
            [],
            id="diamond",
        ),
        pytest.param(
            {"v": {"missing.table"}},
            {"v": 1},
            [],
            id="dependencies outside the graph are ignored",
        ),
        pytest.param(
            {"a": {"b"}, "b": {"a"}, "c": {"a"}},
            {"a": 1, "b": 1, "c": 2},
            [["a", "b"]],
            id="two-object cycle shares a wave, its dependants follow",
        ),
        pytest.param(
            {"base": set(), "x": {"base", "z"}, "y": {"x"}, "z": {"y"}, "top": {"z"}},
            {"base": 1, "x": 2, "y": 2, "z": 2, "top": 3},
            [["x", "y", "z"]],
            id="three-object cycle after its own dependency",
        ),
        pytest.param(
            {"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"c"}},
            {"a": 1, "b": 1, "c": 1, "d": 1},
            [["a", "b"], ["c", "d"]],
            id="two separate cycles",
        ),
    ],
)
def test_waves_and_cycles(
    graph: dict[str, set[str]], waves: dict[str, int], cycles: list[list[str]]
) -> None:
    assert migration_waves(graph) == (waves, cycles)


def test_a_long_chain_does_not_hit_the_recursion_limit() -> None:
    graph = {f"n{k}": {f"n{k - 1}"} if k else set() for k in range(5000)}
    waves, cycles = migration_waves(graph)
    assert waves["n4999"] == 5000 and not cycles
