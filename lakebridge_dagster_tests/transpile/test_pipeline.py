"""The transpile pipeline: one result and one file per object, each object on its
own, and every output validated before it is called CONVERTED."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

import pytest
import sqlglot

from lakebridge_dagster.catalog.model import CatalogObject, ObjectType, SourceCatalog
from lakebridge_dagster.transpile import Status, TranspileReport, pipeline, transpile_catalog
from lakebridge_dagster.transpile.context import ObjectContext
from lakebridge_dagster.transpile.render import relative_path
from lakebridge_dagster_tests.transpile.conftest import OPTIONS


def test_every_corpus_object_gets_one_result_and_one_file(
    corpus_catalog: SourceCatalog, tmp_path: Path
) -> None:
    result = transpile_catalog(corpus_catalog, OPTIONS)
    report = result.report
    assert report.summary.objects == len(corpus_catalog.objects)
    assert len(result.files) == len(corpus_catalog.objects)
    assert sum(report.summary.statuses.values()) == len(corpus_catalog.objects)
    seen = {(o.schema_name, o.name, o.type) for o in report.objects}
    assert seen == {(o.schema_name, o.name, o.type) for o in corpus_catalog.objects}

    report_path = result.write(tmp_path)
    data = json.loads(report_path.read_text())
    assert data["schema_version"] == 1
    assert data["source"] == "corpus"
    assert set(data["summary"]["statuses"]) == {s.value for s in Status}
    for obj in data["objects"]:
        assert (tmp_path / obj["output_file"]).is_file()
        assert {
            "schema",
            "name",
            "type",
            "status",
            "messages",
            "input_chars",
            "output_chars",
        } <= set(obj)
    assert TranspileReport.read(tmp_path).summary == report.summary


def test_converted_files_run_and_manual_files_are_only_comments(
    corpus_catalog: SourceCatalog, tmp_path: Path
) -> None:
    result = transpile_catalog(corpus_catalog, OPTIONS)
    result.write(tmp_path)
    for obj in result.report.objects:
        text = (tmp_path / obj.output_file).read_text()
        assert f"-- Status: {obj.status.value}" in text
        code = [line for line in text.splitlines() if line.strip() and not line.startswith("--")]
        if obj.status in (Status.MANUAL, Status.FAILED):
            assert code == [], f"{obj.qualified_name}: a {obj.status} file must not hold SQL"
            assert any(m.level in ("manual", "error") for m in obj.messages)
        else:
            assert code, f"{obj.qualified_name}: converted but the file has no SQL"


def test_a_converter_crash_fails_that_object_only(
    corpus_catalog: SourceCatalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pipeline.convert_tsql_object

    def crash_on_one(ctx: ObjectContext) -> str:
        if ctx.obj.name == "vProductAndDescription":
            raise KeyError("boom")
        return real(ctx)

    baseline = {
        o.qualified_name + o.type: o.status
        for o in transpile_catalog(corpus_catalog, OPTIONS).report.objects
        if o.name != "vProductAndDescription"
    }
    monkeypatch.setattr(pipeline, "convert_tsql_object", crash_on_one)
    report = transpile_catalog(corpus_catalog, OPTIONS).report
    crashed = [o for o in report.objects if o.name == "vProductAndDescription"]
    assert [o.status for o in crashed] == [Status.FAILED]
    assert "KeyError" in crashed[0].messages[-1].text
    others = {
        o.qualified_name + o.type: o.status
        for o in report.objects
        if o.name != "vProductAndDescription"
    }
    assert others == baseline


def _catalog(*objects: CatalogObject) -> SourceCatalog:
    return SourceCatalog(source="t", dialect="scripts", objects=list(objects))


def test_sql_that_does_not_parse_is_manual_with_the_reason() -> None:
    obj = CatalogObject(
        schema="dbo",
        name="Broken",
        type=ObjectType.VIEW,
        definition="CREATE VIEW dbo.Broken AS SELECT FROM WHERE ((",
    )
    result, text = pipeline.transpile_object(obj, _catalog(obj), OPTIONS)
    assert result.status in (Status.MANUAL, Status.FAILED)
    reasons = [m for m in result.messages if m.level in ("manual", "error")]
    assert reasons and all(m.text for m in reasons)
    assert "-- CREATE VIEW dbo.Broken AS SELECT FROM WHERE ((" in text


def test_an_object_without_a_definition_is_manual() -> None:
    obj = CatalogObject(schema="dbo", name="Secret", type=ObjectType.PROCEDURE)
    result, _ = pipeline.transpile_object(obj, _catalog(obj), OPTIONS)
    assert result.status is Status.MANUAL
    assert "no definition" in result.messages[0].text


@pytest.mark.parametrize(
    ("output", "rule"),
    [
        ("CREATE VIEW `main`.`silver`.`v` AS SELECT FROM (", "reparse"),
        ("CREATE VIEW `main`.`silver`.`v` AS SELECT DATALENGTH(c0) AS d", "builtins"),
        ("CREATE VIEW `main`.`silver`.`v` AS SELECT @x AS d", "builtins"),
        ("CREATE VIEW `main`.`silver`.`other` AS SELECT 1 AS d", "name"),
        ("CREATE VIEW `main`.`silver`.`v` AS SELECT 1 AS d", "length"),
    ],
)
def test_validation_refuses_bad_output(
    output: str, rule: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    columns = ", ".join(f"c{i}" for i in range(40))
    obj = CatalogObject(
        schema="dbo",
        name="v",
        type=ObjectType.VIEW,
        definition=f"CREATE VIEW dbo.v AS SELECT {columns} FROM dbo.t",
    )
    monkeypatch.setattr(pipeline, "convert_tsql_object", lambda ctx: output)
    result, text = pipeline.transpile_object(obj, _catalog(obj), OPTIONS)
    assert result.status is Status.FAILED
    assert rule in {m.rule for m in result.messages if m.level == "error"}
    assert result.output_chars == 0
    assert not [line for line in text.splitlines() if line.strip() and not line.startswith("--")]


def test_a_short_output_with_a_recorded_reason_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    columns = ", ".join(f"c{i}" for i in range(40))
    obj = CatalogObject(
        schema="dbo",
        name="v",
        type=ObjectType.VIEW,
        definition=f"CREATE VIEW dbo.v AS SELECT {columns} FROM dbo.t",
    )

    def convert(ctx: ObjectContext) -> str:
        ctx.warn("dropped 39 columns nobody reads", rule="test")
        return "CREATE VIEW `main`.`silver`.`v` AS SELECT 1 AS d"

    monkeypatch.setattr(pipeline, "convert_tsql_object", convert)
    result, text = pipeline.transpile_object(obj, _catalog(obj), OPTIONS)
    assert result.status is Status.CONVERTED_WITH_WARNINGS
    body = "\n".join(line for line in text.splitlines() if not line.startswith("--")).strip()
    assert sqlglot.parse_one(body.rstrip(";"), read="databricks").sql("databricks")
    assert "-- warning: dropped 39 columns nobody reads" in text


def test_write_removes_files_of_objects_that_are_gone(tmp_path: Path) -> None:
    a = CatalogObject(
        schema="dbo", name="a", type=ObjectType.SEQUENCE, definition="CREATE SEQUENCE dbo.a"
    )
    b = CatalogObject(
        schema="dbo", name="b", type=ObjectType.SEQUENCE, definition="CREATE SEQUENCE dbo.b"
    )
    transpile_catalog(_catalog(a, b), OPTIONS).write(tmp_path)
    assert (tmp_path / "dbo/sequence/b.sql").is_file()
    transpile_catalog(_catalog(a), OPTIONS).write(tmp_path)
    assert (tmp_path / "dbo/sequence/a.sql").is_file()
    assert not (tmp_path / "dbo/sequence/b.sql").exists()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Orders", "dbo/view/Orders.sql"),
        ("Sales by Year", "dbo/view/Sales by Year.sql"),
        ("a/b:c", "dbo/view/a_b_c.sql"),
    ],
)
def test_file_names(name: str, expected: str) -> None:
    from lakebridge_dagster.transpile.model import ObjectResult

    result = ObjectResult(schema="dbo", name=name, type=ObjectType.VIEW, status=Status.MANUAL)
    assert str(relative_path(result)) == expected


def test_an_object_using_a_manual_one_says_it_will_not_run_alone() -> None:
    from lakebridge_dagster.assessment import assess_catalog

    function = CatalogObject(
        schema="dbo",
        name="fn_Open",
        type=ObjectType.FUNCTION,
        definition=(
            "CREATE FUNCTION dbo.fn_Open() RETURNS @t TABLE (id int) AS BEGIN "
            "INSERT INTO @t SELECT id FROM dbo.Ticket; RETURN; END"
        ),
    )
    view = CatalogObject(
        schema="dbo",
        name="vw_Open",
        type=ObjectType.VIEW,
        definition="CREATE VIEW dbo.vw_Open AS SELECT id FROM dbo.fn_Open()",
    )
    plain = CatalogObject(
        schema="dbo",
        name="vw_Plain",
        type=ObjectType.VIEW,
        definition="CREATE VIEW dbo.vw_Plain AS SELECT 1 AS one",
    )
    catalog = _catalog(function, view, plain)
    report = transpile_catalog(catalog, OPTIONS, assess_catalog(catalog)).report
    status = {o.name: o for o in report.objects}
    assert status["fn_Open"].status is Status.MANUAL
    assert status["vw_Open"].status is Status.CONVERTED_WITH_WARNINGS
    warning = [m for m in status["vw_Open"].messages if m.rule == "dependency"]
    assert warning and "dbo.fn_Open" in warning[0].text
    assert status["vw_Plain"].status is Status.CONVERTED


def test_names_unity_catalog_refuses_are_rewritten_everywhere(
    corpus_catalog: SourceCatalog,
) -> None:
    result = transpile_catalog(corpus_catalog, OPTIONS)
    by_name = {(o.name, o.type): o for o in result.report.objects}
    table = by_name[("Order Details", ObjectType.TABLE)]
    assert table.target_name == "main.silver.Order_Details"
    assert any(m.rule == "name" and "Order_Details" in m.text for m in table.messages)
    view = by_name[("Order Details Extended", ObjectType.VIEW)]
    assert view.status in (Status.CONVERTED, Status.CONVERTED_WITH_WARNINGS)
    text = result.files[PurePosixPath(view.output_file)]
    # The table keeps its old name as alias: `[Order Details].OrderID` still resolves.
    assert "`main`.`silver`.`Order_Details` AS `Order Details`" in " ".join(text.split())


@pytest.mark.parametrize(
    ("tsql", "expected"),
    [
        (
            "SELECT [Order Details].OrderID FROM Orders "
            "JOIN ([Order Details] JOIN Sales.Customer c ON 1 = 1) ON 1 = 1",
            "SELECT `Order Details`.OrderID FROM `main`.`silver`.`Orders` JOIN "
            "(`main`.`silver`.`Order_Details` AS `Order Details` "
            "JOIN `main`.`silver`.`Sales_Customer` AS c ON 1 = 1) ON 1 = 1",
        ),
        (
            "WITH Orders AS (SELECT 1 AS x) SELECT x FROM Orders",
            "WITH Orders AS (SELECT 1 AS x) SELECT x FROM Orders",
        ),
        (
            "SELECT * FROM AdventureWorks.dbo.Orders o",
            "SELECT * FROM `main`.`silver`.`Orders` AS o",
        ),
        ("SELECT * FROM NotInCatalog", "SELECT * FROM NotInCatalog"),
    ],
)
def test_remap_tables(tsql: str, expected: str) -> None:
    from lakebridge_dagster.transpile.names import remap_tables

    tables = [
        CatalogObject(schema="dbo", name=name, type=ObjectType.TABLE)
        for name in ("Orders", "Order Details")
    ]
    customer = CatalogObject(schema="Sales", name="Customer", type=ObjectType.TABLE)
    catalog = _catalog(*tables, customer)
    ctx = ObjectContext(obj=tables[0], catalog=catalog, options=OPTIONS)
    assert remap_tables(sqlglot.parse_one(tsql, read="tsql"), ctx).sql("databricks") == expected


def _comparable(result: pipeline.TranspileResult) -> tuple:
    return result.files, result.report.model_dump(exclude={"generated_at"})


def test_worker_processes_give_the_same_result_as_one_process(
    corpus_catalog: SourceCatalog,
) -> None:
    seen: list[int] = []
    parallel = transpile_catalog(
        corpus_catalog, OPTIONS, progress=lambda done, total, _: seen.append(done), workers=2
    )
    assert _comparable(parallel) == _comparable(
        transpile_catalog(corpus_catalog, OPTIONS, workers=1)
    )
    assert seen == list(range(1, len(corpus_catalog.objects) + 1))


def test_objects_a_dead_worker_pool_left_are_converted_here(
    corpus_catalog: SourceCatalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pool that breaks after one chunk (a worker killed, no fork server) loses
    nothing: the remaining objects are converted in this process."""
    from concurrent.futures.process import BrokenProcessPool

    def one_chunk_then_broken(catalog, options, found, workers):
        yield 0, [pipeline.convert_object(obj, catalog, options) for obj in catalog.objects[:3]]
        raise BrokenProcessPool("a worker died")

    monkeypatch.setattr(pipeline, "_in_processes", one_chunk_then_broken)
    broken = transpile_catalog(corpus_catalog, OPTIONS, workers=2)
    assert _comparable(broken) == _comparable(transpile_catalog(corpus_catalog, OPTIONS, workers=1))
    assert broken.fallback == "BrokenProcessPool: a worker died"


def test_small_catalogs_stay_in_one_process_and_large_ones_use_every_cpu() -> None:
    import os

    cpus = len(os.sched_getaffinity(0))
    assert pipeline.default_workers(pipeline.PARALLEL_FROM - 1) == 1
    assert pipeline.default_workers(pipeline.PARALLEL_FROM) == min(cpus, pipeline.MAX_WORKERS)


def test_without_a_fork_server_everything_is_converted_here(
    corpus_catalog: SourceCatalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_fork_server(catalog, options, found, workers):
        raise ValueError("cannot find context for 'forkserver'")
        yield  # a generator, as the real one

    monkeypatch.setattr(pipeline, "_in_processes", no_fork_server)
    result = transpile_catalog(corpus_catalog, OPTIONS, workers=4)
    assert result.workers == 1 and result.fallback.startswith("ValueError")
    assert len(result.report.objects) == len(corpus_catalog.objects)
