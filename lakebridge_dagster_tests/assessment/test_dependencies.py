"""What an object reads, writes and calls: from the AST and from tokens, resolved in the catalog."""

from __future__ import annotations

import pytest

from lakebridge_dagster.assessment import Indicator, assess_catalog
from lakebridge_dagster.assessment.analysis import analyse_object
from lakebridge_dagster.assessment.context import Access, CatalogIndex
from lakebridge_dagster.assessment.dependencies import resolve
from lakebridge_dagster.catalog.model import (
    CatalogObject,
    Column,
    ForeignKey,
    ObjectType,
    SourceCatalog,
)

T = ObjectType


def _obj(
    qualified: str, object_type: ObjectType, definition: str | None = None, **kw
) -> CatalogObject:  # noqa: ANN003
    schema, name = qualified.split(".")
    return CatalogObject(schema=schema, name=name, type=object_type, definition=definition, **kw)


def _catalog(*extra: CatalogObject, dialect: str = "scripts") -> SourceCatalog:
    base = [
        _obj("dbo.A", T.TABLE),
        _obj("dbo.B", T.TABLE),
        _obj("dbo.C", T.TABLE),
        _obj("stg.A", T.TABLE),
        _obj("dbo.V", T.VIEW),
        _obj("dbo.fn", T.FUNCTION),
        _obj("dbo.p", T.PROCEDURE),
        _obj("dbo.seq", T.SEQUENCE),
    ]
    return SourceCatalog(source="deps", dialect=dialect, database="Ops", objects=[*base, *extra])


CASES = [
    # (object, its SQL, reads, writes, calls)
    (
        "dbo.v1",
        "CREATE VIEW dbo.v1 AS SELECT * FROM dbo.A JOIN B ON A.id = B.id",
        ["dbo.A", "dbo.B"],
        [],
        [],
    ),
    (
        "dbo.p1",
        "CREATE PROCEDURE dbo.p1 AS INSERT INTO dbo.A (x) SELECT x FROM dbo.B",
        ["dbo.B"],
        ["dbo.A"],
        [],
    ),
    (
        "dbo.p2",
        "CREATE PROCEDURE dbo.p2 AS UPDATE a SET x = 1 FROM dbo.A AS a JOIN dbo.B b ON a.id = b.id",
        ["dbo.A", "dbo.B"],
        ["dbo.A"],
        [],
    ),
    (
        "dbo.p3",
        "CREATE PROCEDURE dbo.p3 AS DELETE FROM dbo.C WHERE id IN (SELECT id FROM dbo.A)",
        ["dbo.A"],
        ["dbo.C"],
        [],
    ),
    (
        "dbo.p4",
        "CREATE PROCEDURE dbo.p4 AS MERGE dbo.A AS t USING dbo.B AS s ON t.id = s.id "
        "WHEN MATCHED THEN UPDATE SET t.x = s.x;",
        ["dbo.B"],
        ["dbo.A"],
        [],
    ),
    (
        "dbo.v2",
        "CREATE VIEW dbo.v2 AS WITH cte AS (SELECT * FROM dbo.A) SELECT * FROM cte",
        ["dbo.A"],
        [],
        [],
    ),
    (
        "dbo.p5",
        "CREATE PROCEDURE dbo.p5 AS SELECT * FROM #tmp JOIN dbo.B ON 1 = 1",
        ["dbo.B"],
        [],
        [],
    ),
    (
        "dbo.v3",
        "CREATE VIEW dbo.v3 AS SELECT dbo.fn(x) AS f, NEXT VALUE FOR dbo.seq AS n FROM dbo.V",
        ["dbo.V", "dbo.seq"],
        [],
        ["dbo.fn"],
    ),
    ("dbo.p6", "CREATE PROCEDURE dbo.p6 AS EXEC dbo.p @a = 1", [], [], ["dbo.p"]),
    (
        "dbo.p7",
        "CREATE PROCEDURE dbo.p7 AS SELECT * INTO dbo.C FROM OtherDb.dbo.A",
        [],
        ["dbo.C"],
        [],
    ),
    (
        "dbo.v4",
        "CREATE VIEW dbo.v4 AS SELECT * FROM dbo.A a, dbo.B b WHERE a.id = b.id",
        ["dbo.A", "dbo.B"],
        [],
        [],
    ),
    ("stg.v5", "CREATE VIEW stg.v5 AS SELECT * FROM A", ["stg.A"], [], []),
    ("dbo.v6", "CREATE VIEW dbo.v6 AS SELECT * FROM Ops.dbo.C", ["dbo.C"], [], []),
]


@pytest.mark.parametrize("use_ast", [True, False], ids=["auto", "tokens"])
@pytest.mark.parametrize(
    ("name", "sql", "reads", "writes", "calls"), CASES, ids=[c[0] for c in CASES]
)
def test_reads_writes_calls(
    name: str, sql: str, reads: list[str], writes: list[str], calls: list[str], use_ast: bool
) -> None:
    obj = _obj(name, T.PROCEDURE if ".p" in name else T.VIEW, sql)
    catalog = _catalog(obj)
    index = CatalogIndex.of(catalog)
    analysis = analyse_object(obj, index, use_ast=use_ast)
    found = resolve(analysis.references, obj, index)
    assert (found[Access.READ], found[Access.WRITE], found[Access.CALL]) == (reads, writes, calls)


def test_tables_depend_on_their_foreign_keys_and_triggers_on_their_table() -> None:
    child = _obj(
        "dbo.Child",
        T.TABLE,
        foreign_keys=[
            ForeignKey(
                name="fk",
                columns=["AId"],
                referenced_schema="dbo",
                referenced_table="A",
                referenced_columns=["Id"],
            )
        ],
    )
    trigger = _obj(
        "dbo.trg",
        T.TRIGGER,
        "CREATE TRIGGER dbo.trg ON dbo.Child AFTER INSERT AS UPDATE dbo.B SET x = 1",
        parent="dbo.Child",
    )
    report = assess_catalog(_catalog(child, trigger))
    by_name = {obj.qualified_name: obj for obj in report.objects}
    assert by_name["dbo.Child"].depends_on == ["dbo.A"]
    assert by_name["dbo.trg"].depends_on == ["dbo.B", "dbo.Child"]
    assert by_name["dbo.trg"].writes == ["dbo.B"]
    assert (by_name["dbo.A"].wave, by_name["dbo.Child"].wave, by_name["dbo.trg"].wave) == (1, 2, 3)


def test_live_tables_are_read_from_their_column_metadata() -> None:
    table = _obj(
        "public.Zone",
        T.TABLE,
        columns=[
            Column(name="Id", data_type="integer", nullable=False, ordinal=1, is_identity=True),
            Column(name="Boundary", data_type="geometry(Polygon,4326)", nullable=True, ordinal=2),
            Column(name="Props", data_type="jsonb", nullable=True, ordinal=3),
            Column(
                name="Ticket",
                data_type="bigint",
                nullable=False,
                ordinal=4,
                default="nextval('public.ticket_seq'::regclass)",
            ),
        ],
    )
    seq = _obj("public.ticket_seq", T.SEQUENCE)
    report = assess_catalog(SourceCatalog(source="pg", dialect="postgres", objects=[table, seq]))
    zone = next(obj for obj in report.objects if obj.name == "Zone")
    assert zone.analysis == "metadata"
    assert {f.name for f in zone.indicators} == {
        Indicator.IDENTITY,
        Indicator.SPATIAL,
        Indicator.XML_JSON,
        Indicator.SEQUENCE,
    }
    assert all(f.line is None and f.snippet.startswith("column ") for f in zone.indicators)
    assert zone.depends_on == ["public.ticket_seq"]
    sequence = next(obj for obj in report.objects if obj.name == "ticket_seq")
    assert [f.name for f in sequence.indicators] == [Indicator.SEQUENCE]


def test_a_table_and_a_function_with_one_name_stay_two_dependencies() -> None:
    view = _obj("public.v", T.VIEW, "CREATE VIEW public.v AS SELECT x(1) AS y FROM x")
    catalog = SourceCatalog(
        source="pg",
        dialect="postgres",
        objects=[_obj("public.x", T.TABLE), _obj("public.x", T.FUNCTION), view],
    )
    report = assess_catalog(catalog)
    assessed = next(obj for obj in report.objects if obj.name == "v")
    assert assessed.depends_on == ["public.x (FUNCTION)", "public.x (TABLE)"]
    assert (assessed.reads, assessed.calls) == (["public.x"], ["public.x"])
    assert assessed.wave == 2
