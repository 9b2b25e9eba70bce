"""PostgreSQL -> Databricks conversion: the type mapping and each rewrite as tables of
cases, and real catalogs read from the embedded server: the demo schema, and a
`lab` schema with the constructs the demo does not have."""

from __future__ import annotations

import uuid
from collections import Counter

import pgserver
import psycopg
import pytest
import sqlglot
from psycopg import sql
from sqlglot import exp

from lakebridge_dagster.catalog.model import CatalogObject, Column, ObjectType, SourceCatalog
from lakebridge_dagster.catalog.postgres import extract_postgres_catalog
from lakebridge_dagster.demo.seed import schema_sql
from lakebridge_dagster.transpile.context import (
    ManualConversion,
    ObjectContext,
    TranspileOptions,
)
from lakebridge_dagster.transpile.postgres import (
    convert_expression,
    convert_postgres_object,
    interval_literal,
    map_postgres_type,
    range_sequence,
)
from lakebridge_dagster.transpile.scripting import check_script
from lakebridge_dagster.transpile.validate import validate_output

OPTIONS = TranspileOptions(target_catalog="main", target_schema="silver")

LAB_SCHEMA = """
CREATE SCHEMA lab;
CREATE TYPE lab.mood AS ENUM ('ok', 'bad');
CREATE TABLE lab.kinds (
    id smallserial PRIMARY KEY,
    amount numeric,
    price money,
    starts time,
    seen timestamp DEFAULT now(),
    seen_tz timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
    mood lab.mood,
    tags int[] DEFAULT '{1,2}',
    grid int[][],
    doc json,
    mac macaddr,
    flags bit(3)
);
CREATE TABLE lab.counter (
    id bigint GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 5) PRIMARY KEY,
    label text NOT NULL
);
CREATE TABLE lab.events (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL,
    payload jsonb,
    who text
);
CREATE VIEW lab.latest_event AS
    SELECT DISTINCT ON (who) who, at, payload->>'kind' AS kind,
           payload #>> '{meta,source}' AS source
    FROM lab.events
    WHERE who ILIKE 'a%' AND at > now() - interval '7 days'
    ORDER BY who, at DESC;
CREATE VIEW lab.daily AS
    SELECT d::date AS day,
           (SELECT string_agg(e.who, ', ' ORDER BY e.who) FROM lab.events e
             WHERE e.at::date = d::date) AS who,
           count(*) FILTER (WHERE d > now()) AS future
    FROM generate_series(now() - interval '2 days', now(), interval '1 day') AS d
    GROUP BY d;
CREATE VIEW lab.ages AS SELECT age(at, now()) AS age FROM lab.events;
CREATE MATERIALIZED VIEW lab.event_count AS SELECT who, count(*) AS n FROM lab.events GROUP BY who;
CREATE FUNCTION lab.add_one(x integer) RETURNS integer LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN x + 1;
END $$;
CREATE FUNCTION lab.label_of(p_id bigint) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT label FROM lab.counter WHERE id = p_id
$$;
CREATE FUNCTION lab.twice(x integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN x * 2;
CREATE PROCEDURE lab.tidy(p_limit integer, INOUT p_done integer DEFAULT 0)
LANGUAGE plpgsql AS $$
DECLARE
    v_total bigint := 0;
    v_label text;
    r record;
BEGIN
    RAISE NOTICE 'starting with %', p_limit;
    SELECT count(*), max(label) INTO v_total, v_label FROM lab.counter;
    IF v_total > p_limit THEN
        DELETE FROM lab.counter WHERE id > p_limit;
    ELSIF v_total = 0 THEN
        RAISE EXCEPTION 'nothing to tidy';
    ELSE
        INSERT INTO lab.counter (label) VALUES ('filler');
    END IF;
    WHILE p_done < 3 LOOP
        p_done := p_done + 1;
    END LOOP;
    FOR r IN SELECT id, label FROM lab.counter ORDER BY id LOOP
        EXIT WHEN r.id > 100;
        UPDATE lab.counter SET label = upper(r.label) WHERE id = r.id;
    END LOOP;
    FOR i IN 1..3 LOOP
        v_total := v_total + i;
    END LOOP;
END $$;
CREATE PROCEDURE lab.nested(p_from date, p_to date) LANGUAGE plpgsql AS $$
DECLARE
    v_days integer;
BEGIN
    v_days = p_to - p_from;
    <<halves>>
    DECLARE
        v_half integer := v_days / 2;
    BEGIN
        v_half := v_half + 1;
    END;
END $$;
CREATE PROCEDURE lab.risky(p_kind text) LANGUAGE plpgsql AS $$
BEGIN
    CASE p_kind
        WHEN 'a' THEN INSERT INTO lab.counter (label) VALUES ('a');
        ELSE NULL;
    END CASE;
EXCEPTION WHEN unique_violation THEN
    RAISE NOTICE 'failed';
END $$;
CREATE PROCEDURE lab.bump(p_step integer) LANGUAGE plpgsql AS $$
BEGIN
    p_step := p_step * 2;
    UPDATE lab.counter SET id = id + p_step;
END $$;
CREATE PROCEDURE lab.add_label(p_label text) LANGUAGE sql AS $$
    INSERT INTO lab.counter (label) VALUES (p_label);
    DELETE FROM lab.counter WHERE label = '';
$$;
CREATE FUNCTION lab.ids() RETURNS SETOF bigint LANGUAGE sql AS $$ SELECT id FROM lab.counter $$;
CREATE FUNCTION lab.counters(p_min bigint) RETURNS SETOF lab.counter LANGUAGE sql AS $$
    SELECT * FROM lab.counter WHERE id >= $1
$$;
CREATE FUNCTION lab.triple(integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT $1 * 3 $$;
CREATE FUNCTION lab.next_ids() RETURNS SETOF bigint LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY SELECT id + 1 FROM lab.counter;
END $$;
CREATE FUNCTION lab.clamp(x integer) RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
    IF x < 0 THEN
        RETURN 0;
    END IF;
    RETURN x;
END $$;
CREATE PROCEDURE lab.batch() LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO lab.counter (label) VALUES ('a');
    COMMIT;
END $$;
"""


def _database(server: pgserver.PostgresServer, script: str | tuple[str, ...]) -> str:
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = server.get_uri(name)
    with psycopg.connect(url, autocommit=True) as conn:
        for part in (script,) if isinstance(script, str) else script:
            conn.execute(part)
    return url


@pytest.fixture(scope="module")
def demo_catalog(pg_server: pgserver.PostgresServer) -> SourceCatalog:
    """The demo schema (no data) as the live extractor reads it."""
    url = _database(pg_server, schema_sql())
    return extract_postgres_catalog("demo_timescale", url, ["public"])


@pytest.fixture(scope="module")
def lab_catalog(pg_server: pgserver.PostgresServer) -> SourceCatalog:
    url = _database(pg_server, LAB_SCHEMA)
    return extract_postgres_catalog("lab", url, ["lab"])


def context(
    catalog: SourceCatalog, name: str, options: TranspileOptions = OPTIONS
) -> ObjectContext:
    obj = catalog.find(name)
    assert obj is not None, name
    return ObjectContext(obj=obj, catalog=catalog, options=options)


def converted(ctx: ObjectContext) -> str:
    return convert_postgres_object(ctx)


def manual_outcome(ctx: ObjectContext) -> ManualConversion:
    with pytest.raises(ManualConversion) as raised:
        convert_postgres_object(ctx)
    return raised.value


def warnings_of(ctx: ObjectContext) -> list[str]:
    return [m.text for m in ctx.messages if m.level == "warning"]


def parses_as_databricks(text: str) -> None:
    statements = sqlglot.parse(text, read="databricks")
    assert statements and all(s is not None for s in statements)
    for statement in statements:
        assert not list(statement.find_all(exp.Command)), text


def scripting_problems(text: str) -> list[str]:
    return check_script(text)


# ---------------------------------------------------------------------------------
# Type mapping
# ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pg_type", "databricks", "level"),
    [
        ("smallint", "SMALLINT", None),
        ("integer", "INT", None),
        ("bigint", "BIGINT", None),
        ("serial", "INT", None),
        ("bigserial", "BIGINT", None),
        ("numeric(12,2)", "DECIMAL(12,2)", None),
        ("numeric(7)", "DECIMAL(7,0)", None),
        ("numeric", "DECIMAL(38,18)", "warning"),
        ("numeric(40,2)", "STRING", "warning"),
        ("real", "FLOAT", None),
        ("double precision", "DOUBLE", None),
        ("money", "DECIMAL(19,2)", "warning"),
        ("boolean", "BOOLEAN", None),
        ("text", "STRING", None),
        ("character varying(20)", "STRING", None),
        ("character(3)", "STRING", None),
        ("citext", "STRING", "warning"),
        ("uuid", "STRING", None),
        ("json", "STRING", "info"),
        ("jsonb", "STRING", "info"),
        ("bytea", "BINARY", None),
        ("date", "DATE", None),
        ("timestamp without time zone", "TIMESTAMP_NTZ", None),
        ("timestamp(3) with time zone", "TIMESTAMP", None),
        ("time without time zone", "STRING", "warning"),
        ("time with time zone", "STRING", "warning"),
        ("interval", "STRING", "warning"),
        ("interval day to second", "STRING", "warning"),
        ("text[]", "ARRAY<STRING>", None),
        ("integer[][]", "ARRAY<INT>", "warning"),
        ("numeric[]", "ARRAY<DECIMAL(38,18)>", "warning"),
        ("inet", "STRING", None),
        ("cidr", "STRING", None),
        ("macaddr", "STRING", None),
        ("point", "STRING", "info"),
        ("geometry(Polygon,4326)", "STRING", "info"),
        ("geography", "STRING", "info"),
        ('"Mood"', "STRING", "warning"),
        ("lab.mood", "STRING", "warning"),
        # sqlglot's PostgreSQL spelling, as casts render their types
        ("TIMESTAMPTZ", "TIMESTAMP", None),
        ("DECIMAL(12, 2)", "DECIMAL(12,2)", None),
        ("INT[]", "ARRAY<INT>", None),
        ("DOUBLE PRECISION", "DOUBLE", None),
    ],
)
def test_type_mapping(pg_type: str, databricks: str, level: str | None) -> None:
    mapping = map_postgres_type(pg_type)
    assert (mapping.databricks, mapping.level) == (databricks, level)
    assert (mapping.note is None) == (level is None)


# ---------------------------------------------------------------------------------
# Expression rewrites
# ---------------------------------------------------------------------------------


def expression_context(*objects: CatalogObject) -> ObjectContext:
    view = CatalogObject(schema="public", name="v", type=ObjectType.VIEW, definition="SELECT 1")
    catalog = SourceCatalog(source="t", dialect="postgres", objects=[view, *objects])
    return ObjectContext(obj=view, catalog=catalog, options=OPTIONS)


def rewrite(postgres: str, ctx: ObjectContext | None = None) -> str:
    parsed = sqlglot.parse_one(postgres, read="postgres")
    return convert_expression(parsed, ctx or expression_context()).sql("databricks")


@pytest.mark.parametrize(
    ("postgres", "databricks"),
    [
        ("SELECT 1::numeric", "SELECT 1"),
        ("SELECT x::numeric(5,2)", "SELECT CAST(x AS DECIMAL(5, 2))"),
        ("SELECT x::numeric", "SELECT CAST(x AS DECIMAL(38, 18))"),
        ("SELECT 'hour'::text", "SELECT 'hour'"),
        ("SELECT '{}'::jsonb", "SELECT '{}'"),
        ("SELECT x::timestamp", "SELECT CAST(x AS TIMESTAMP_NTZ)"),
        ("SELECT x::timestamptz", "SELECT CAST(x AS TIMESTAMP)"),
        ("SELECT x::uuid", "SELECT CAST(x AS STRING)"),
        ("SELECT x::oid", "SELECT CAST(x AS BIGINT)"),
        ("SELECT ('x')::text", "SELECT 'x'"),
        ("SELECT '{a,b}'::text[]", "SELECT ARRAY(CAST('a' AS STRING), CAST('b' AS STRING))"),
        ("SELECT '{}'::int[]", "SELECT CAST(ARRAY() AS ARRAY<INT>)"),
        ("SELECT '1 day'::interval", "SELECT INTERVAL '1' DAY"),
        ("SELECT now() - interval '7 days'", "SELECT CURRENT_TIMESTAMP() - INTERVAL '7' DAY"),
        ("SELECT statement_timestamp()", "SELECT CURRENT_TIMESTAMP()"),
        ("SELECT date_trunc('hour'::text, ts)", "SELECT DATE_TRUNC('hour', ts)"),
        ("SELECT EXTRACT(isodow FROM d)", "SELECT EXTRACT(DAYOFWEEK_ISO FROM d)"),
        ("SELECT EXTRACT(dow FROM d)", "SELECT (EXTRACT(DAYOFWEEK FROM d) - 1)"),
        ("SELECT EXTRACT(doy FROM d)", "SELECT EXTRACT(DOY FROM d)"),
        ("SELECT EXTRACT(year FROM d)", "SELECT EXTRACT(YEAR FROM d)"),
        (
            "SELECT EXTRACT(EPOCH FROM b - a)",
            "SELECT ((UNIX_MICROS(b) - UNIX_MICROS(a)) / 1000000.0)",
        ),
        ("SELECT time_bucket('1 hour', ts)", "SELECT DATE_TRUNC('HOUR', ts)"),
        ("SELECT time_bucket(INTERVAL '1 week', ts)", "SELECT DATE_TRUNC('WEEK', ts)"),
        (
            "SELECT time_bucket('15 minutes', ts)",
            "SELECT TIMESTAMP_SECONDS(FLOOR(UNIX_SECONDS(ts) / 900) * 900)",
        ),
        ("SELECT c->>'k'", "SELECT GET_JSON_OBJECT(c, '$.k')"),
        ("SELECT c #>> '{a,b}'", "SELECT GET_JSON_OBJECT(c, '$.a.b')"),
        ("SELECT c #>> '{a,0}'", "SELECT GET_JSON_OBJECT(c, '$.a[0]')"),
        ("SELECT x ILIKE 'a%'", "SELECT x ILIKE 'a%'"),
        (
            "SELECT string_agg(n, ', ' ORDER BY n)",
            "SELECT LISTAGG(n, ', ') WITHIN GROUP (ORDER BY n NULLS LAST)",
        ),
        ("SELECT count(*) FILTER (WHERE x > 1)", "SELECT COUNT(*) FILTER(WHERE x > 1)"),
        (
            "UPDATE t AS c SET a = s.b FROM src AS s WHERE s.id = c.id AND s.b > 0",
            "MERGE INTO t AS c USING src AS s ON s.id = c.id AND s.b > 0 "
            "WHEN MATCHED THEN UPDATE SET a = s.b",
        ),
        (
            "SELECT g FROM generate_series(1, 10) AS g",
            "SELECT g FROM EXPLODE(SEQUENCE(1, 10)) AS g(g)",
        ),
        (
            "SELECT s.i FROM generate_series(1, 10, 2) AS s(i)",
            "SELECT s.i FROM EXPLODE(SEQUENCE(1, 10, 2)) AS s(i)",
        ),
    ],
)
def test_expression_rewrites(postgres: str, databricks: str) -> None:
    result = rewrite(postgres)
    assert result == databricks
    parses_as_databricks(result)


@pytest.mark.parametrize(
    ("postgres", "rule"),
    [
        ("SELECT time_bucket('3 days', ts)", "time_bucket"),
        ("SELECT time_bucket('7 minutes', ts)", "time_bucket"),
        ("SELECT time_bucket('1 hour', ts, origin)", "time_bucket"),
        ("SELECT time_bucket(w, ts)", "time_bucket"),
        ("SELECT date_bin('1 day', ts, o)", "date_bin"),
        ("SELECT x::interval", "interval"),
        ("SELECT '01:30'::interval", "interval"),
        ("SELECT EXTRACT(century FROM d)", "extract"),
        ("SELECT 'x'::regclass", "cast"),
        ("SELECT '{{1,2}}'::int[]", "array"),
        ("UPDATE t SET a = s.b FROM src AS s", "update_from"),
        (
            "UPDATE t SET a = s.b FROM src AS s JOIN o ON o.id = s.id WHERE s.id = t.id",
            "update_from",
        ),
    ],
)
def test_expressions_without_equivalent_are_manual(postgres: str, rule: str) -> None:
    with pytest.raises(ManualConversion) as raised:
        rewrite(postgres)
    assert [reason.rule for reason in raised.value.reasons] == [rule]
    assert raised.value.reasons[0].text


@pytest.mark.parametrize(
    ("text", "databricks"),
    [
        ("1 day", "INTERVAL '1' DAY"),
        ("15 minutes", "INTERVAL '15' MINUTE"),
        ("2 hours 30 minutes", "INTERVAL '2' HOUR + INTERVAL '30' MINUTE"),
        ("1 mon", "INTERVAL '1' MONTH"),
        ("3 years", "INTERVAL '3' YEAR"),
        ("-1 days", "INTERVAL '-1' DAY"),
        ("1 year 2 mons", "INTERVAL '1' YEAR + INTERVAL '2' MONTH"),
        ("1 mon 2 days", None),
        ("01:00:00", None),
        ("P1D", None),
        ("1 fortnight", None),
    ],
)
def test_interval_literals(text: str, databricks: str | None) -> None:
    interval = interval_literal(text)
    assert (interval.sql("databricks") if interval is not None else None) == databricks


def test_a_call_of_a_catalog_function_points_at_its_target_name() -> None:
    function = CatalogObject(schema="public", name="bucket", type=ObjectType.FUNCTION)
    ctx = expression_context(function)
    assert rewrite("SELECT bucket(ts)", ctx) == "SELECT `main`.`silver`.`bucket`(ts)"
    assert [m.rule for m in ctx.messages] == ["udf"]


def test_a_cast_to_a_lossy_type_warns() -> None:
    ctx = expression_context()
    assert rewrite("SELECT x::time", ctx) == "SELECT CAST(x AS STRING)"
    assert warnings_of(ctx) == [
        "cast to time: Delta has no time type: kept as text as bronze loads it"
    ]


# ---------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------


def table_context(
    columns: list[Column], options: TranspileOptions = OPTIONS, **table: object
) -> ObjectContext:
    obj = CatalogObject(
        schema=str(table.pop("schema", "public")),
        name=str(table.pop("name", "t")),
        type=ObjectType.TABLE,
        columns=columns,
        **table,  # type: ignore[arg-type]
    )
    catalog = SourceCatalog(source="t", dialect="postgres", objects=[obj])
    return ObjectContext(obj=obj, catalog=catalog, options=options)


def column(name: str, data_type: str, **kwargs: object) -> Column:
    return Column(
        name=name,
        data_type=data_type,
        nullable=bool(kwargs.pop("nullable", True)),
        ordinal=1,
        **kwargs,
    )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("col", "line", "warned"),
    [
        (column("n", "integer"), "`n` INT", False),
        (
            column("id", "integer", nullable=False, default="nextval('t_id_seq'::regclass)"),
            "`id` BIGINT NOT NULL GENERATED BY DEFAULT AS IDENTITY (START WITH 1 INCREMENT BY 1)",
            True,
        ),
        (
            column("id", "bigint", nullable=False, is_identity=True),
            "`id` BIGINT NOT NULL GENERATED BY DEFAULT AS IDENTITY (START WITH 1 INCREMENT BY 1)",
            False,
        ),
        (column("seq", "bigint", default="nextval('shared_seq'::regclass)"), "`seq` BIGINT", True),
        (
            column("at", "timestamp with time zone", default="now()"),
            "`at` TIMESTAMP DEFAULT CURRENT_TIMESTAMP()",
            False,
        ),
        (
            column("at", "timestamp without time zone", default="CURRENT_TIMESTAMP"),
            "`at` TIMESTAMP_NTZ DEFAULT CAST(CURRENT_TIMESTAMP() AS TIMESTAMP_NTZ)",
            False,
        ),
        (
            column("s", "character varying(20)", default="'active'::character varying"),
            "`s` STRING DEFAULT 'active'",
            False,
        ),
        (column("b", "boolean", default="true"), "`b` BOOLEAN DEFAULT TRUE", False),
        (
            column("who", "text", default="CURRENT_USER"),
            "`who` STRING DEFAULT CURRENT_USER()",
            False,
        ),
        (
            column("tags", "text[]", default="'{}'::text[]"),
            "`tags` ARRAY<STRING> DEFAULT CAST(ARRAY() AS ARRAY<STRING>)",
            False,
        ),
        (column("amount", "numeric", nullable=False), "`amount` DECIMAL(38, 18) NOT NULL", True),
        (column("d", "interval", default="'1 day'::interval"), "`d` STRING", True),
        (
            column("at", "timestamp with time zone", default="clock_timestamp()"),
            "`at` TIMESTAMP DEFAULT CURRENT_TIMESTAMP()",
            True,
        ),
        (column("n", "bigint", default="txid_current()"), "`n` BIGINT", True),
        (column("v", "text", is_computed=True, default="age(a, b)"), "`v` STRING", True),
        (
            column("full", "text", is_computed=True, default="((a)::text || ' '::text)"),
            "`full` STRING GENERATED ALWAYS AS ((CAST(a AS STRING) || ' '))",
            False,
        ),
    ],
)
def test_table_columns(col: Column, line: str, warned: bool) -> None:
    ctx = table_context([col])
    text = converted(ctx)
    assert f"  {line}\n" in text
    assert bool(warnings_of(ctx)) is warned
    parses_as_databricks(text)
    has_default = " DEFAULT " in line.replace("BY DEFAULT AS IDENTITY", "")
    assert ("'delta.feature.allowColumnDefaults'='supported'" in text) is has_default


def test_identity_generation_follows_the_option() -> None:
    options = TranspileOptions(target_catalog="c", target_schema="s", identity_generation="ALWAYS")
    ctx = table_context([column("id", "bigint", nullable=False, is_identity=True)], options)
    assert "GENERATED ALWAYS AS IDENTITY" in converted(ctx)


def test_keys_become_informational_constraints_on_target_names() -> None:
    from lakebridge_dagster.catalog.model import ForeignKey, Index

    ctx = table_context(
        [column("a", "integer", nullable=False), column("b", "integer", nullable=False)],
        name="Crew Shift",
        schema="ops",
        primary_key=["a", "b"],
        indexes=[Index(name="PK_Crew Shift", columns=["a", "b"], primary=True)],
        foreign_keys=[
            ForeignKey(
                name="FK_x",
                columns=["b"],
                referenced_schema="public",
                referenced_table="Crew",
                referenced_columns=["Id"],
            ),
        ],
    )
    text = converted(ctx)
    assert text.startswith("CREATE TABLE IF NOT EXISTS `main`.`silver`.`ops_Crew_Shift` (")
    assert "CONSTRAINT `PK_Crew Shift` PRIMARY KEY (`a`, `b`)" in text
    assert "CONSTRAINT `FK_x` FOREIGN KEY (`b`) REFERENCES `main`.`silver`.`Crew` (`Id`)" in text
    assert any("not enforced" in m.text and m.level == "info" for m in ctx.messages)
    parses_as_databricks(text)


# ---------------------------------------------------------------------------------
# The lab schema: real catalog text for what the demo lacks
# ---------------------------------------------------------------------------------


def test_lab_tables(lab_catalog: SourceCatalog) -> None:
    kinds = context(lab_catalog, "kinds")
    text = converted(kinds)
    for line in (
        "`id` BIGINT NOT NULL GENERATED BY DEFAULT AS IDENTITY (START WITH 1 INCREMENT BY 1)",
        "`amount` DECIMAL(38, 18)",
        "`price` DECIMAL(19, 2)",
        "`starts` STRING",
        "`seen` TIMESTAMP_NTZ DEFAULT CAST(CURRENT_TIMESTAMP() AS TIMESTAMP_NTZ)",
        "`seen_tz` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP()",
        "`mood` STRING",
        "`tags` ARRAY<INT> DEFAULT ARRAY(CAST('1' AS INT), CAST('2' AS INT))",
        "`grid` ARRAY<INT>",
        "`doc` STRING",
        "`flags` STRING",
    ):
        assert f"  {line}" in text, line
    # format_type spells int[][] as integer[]: the catalog cannot tell it is 2-D
    warned = {m.text.split(":")[0] for m in kinds.messages if m.level == "warning"}
    assert warned == {
        "column 'id'",
        "column 'amount'",
        "column 'price'",
        "column 'starts'",
        "column 'mood'",
        "column 'flags'",
    }
    parses_as_databricks(text)

    counter = context(lab_catalog, "counter")
    assert (
        "`id` BIGINT NOT NULL GENERATED BY DEFAULT AS IDENTITY (START WITH 10 INCREMENT BY 5)"
        in converted(counter)
    )


def test_lab_views(lab_catalog: SourceCatalog) -> None:
    latest = context(lab_catalog, "latest_event")
    text = converted(latest)
    assert "ROW_NUMBER() OVER (PARTITION BY who ORDER BY who NULLS LAST, at DESC" in text
    assert "GET_JSON_OBJECT(payload, '$.meta.source')" in text
    assert "ILIKE 'a%'" in text and "INTERVAL '7' DAY" in text
    assert "FROM `main`.`silver`.`lab_events`" in text
    parses_as_databricks(text)

    daily = converted(context(lab_catalog, "daily"))
    assert (
        "FROM EXPLODE(\n  SEQUENCE(" in daily
        and ") AS d(d)" in daily
        and "LISTAGG(" in daily
        and "FILTER(WHERE" in daily
    )
    parses_as_databricks(daily)

    counted = context(lab_catalog, "event_count")
    text = converted(counted)
    assert text.startswith(
        "CREATE OR REPLACE MATERIALIZED VIEW `main`.`silver`.`lab_event_count` AS"
    )
    assert [m.rule for m in counted.messages] == ["materialized"]
    parses_as_databricks(text)

    ages = manual_outcome(context(lab_catalog, "ages"))
    assert [r.text for r in ages.reasons] == [
        "AGE() has no Databricks equivalent; rewrite it by hand"
    ]
    assert ages.partial_sql is not None and "AGE(" in ages.partial_sql


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "add_one",
            "CREATE OR REPLACE FUNCTION `main`.`silver`.`lab_add_one`(x INT)\nRETURNS INT\n"
            "RETURN `lab_add_one`.x + 1;",
        ),
        (
            "twice",
            "CREATE OR REPLACE FUNCTION `main`.`silver`.`lab_twice`(x INT)\nRETURNS INT\n"
            "RETURN `lab_twice`.x * 2;",
        ),
        (
            "ids",
            "CREATE OR REPLACE FUNCTION `main`.`silver`.`lab_ids`()\n"
            "RETURNS TABLE (`ids` BIGINT)\n"
            "RETURN SELECT\n  id\nFROM `main`.`silver`.`lab_counter` AS `counter`;",
        ),
        (
            "counters",
            "CREATE OR REPLACE FUNCTION `main`.`silver`.`lab_counters`(p_min BIGINT)\n"
            "RETURNS TABLE (`id` BIGINT, `label` STRING)\nRETURN SELECT\n  *\n"
            "FROM `main`.`silver`.`lab_counter` AS `counter`\nWHERE\n  id >= `lab_counters`.p_min;",
        ),
        (
            "triple",
            "CREATE OR REPLACE FUNCTION `main`.`silver`.`lab_triple`(arg1 INT)\nRETURNS INT\n"
            "RETURN SELECT\n  `lab_triple`.arg1 * 3;",
        ),
        (
            "label_of",
            "CREATE OR REPLACE FUNCTION `main`.`silver`.`lab_label_of`(p_id BIGINT)\n"
            "RETURNS STRING\nRETURN SELECT\n  label\n"
            "FROM `main`.`silver`.`lab_counter` AS `counter`\n"
            "WHERE\n  id = `lab_label_of`.p_id;",
        ),
    ],
)
def test_lab_functions(lab_catalog: SourceCatalog, name: str, expected: str) -> None:
    text = converted(context(lab_catalog, name))
    assert text == expected
    parses_as_databricks(text)


def test_a_plpgsql_procedure_whose_statements_all_map(lab_catalog: SourceCatalog) -> None:
    ctx = context(lab_catalog, "tidy")
    text = converted(ctx)
    proc = "`lab_tidy`"
    for fragment in (
        "CREATE OR REPLACE PROCEDURE `main`.`silver`.`lab_tidy`(IN p_limit INT, INOUT p_done INT)"
        "\nLANGUAGE SQL\nSQL SECURITY INVOKER\nAS BEGIN\n  body: BEGIN\n",
        "    DECLARE v_total BIGINT DEFAULT 0;\n    DECLARE v_label STRING;\n",
        "    SET (`body`.v_total, `body`.v_label) = (SELECT COUNT(*), MAX(label) FROM "
        "`main`.`silver`.`lab_counter` AS `counter`);\n",
        f"    IF `body`.v_total > {proc}.p_limit THEN\n",
        f"      DELETE FROM `main`.`silver`.`lab_counter` WHERE id > {proc}.p_limit;\n",
        "    ELSEIF `body`.v_total = 0 THEN\n"
        "      SIGNAL SQLSTATE 'P0001' SET MESSAGE_TEXT = 'nothing to tidy';\n    ELSE\n",
        f"    loop1: WHILE {proc}.p_done < 3 DO\n      SET {proc}.p_done = {proc}.p_done + 1;\n"
        "    END WHILE loop1;\n",
        "    loop2: FOR r AS SELECT id, label "
        "FROM `main`.`silver`.`lab_counter` AS `counter` ORDER BY id "
        "NULLS LAST DO\n      IF r.id > 100 THEN\n        LEAVE loop2;\n      END IF;\n",
        "      UPDATE `main`.`silver`.`lab_counter` SET label = UPPER(r.label) WHERE id = r.id;\n"
        "    END FOR loop2;\n",
        "    loop3: FOR i AS SELECT explode(sequence(1, 3, 1)) AS i DO\n"
        "      SET `body`.v_total = `body`.v_total + i.i;\n    END FOR loop3;\n",
        "  END body;\nEND;",
    ):
        assert fragment in text, fragment
    assert "RAISE" not in text and "NOTICE" not in text
    rules = [m.rule for m in ctx.messages]
    assert "raise" in rules and "select_into" in rules and "parameter" in rules
    assert scripting_problems(text) == []


def test_nested_blocks_labels_and_date_arithmetic(lab_catalog: SourceCatalog) -> None:
    ctx = context(lab_catalog, "nested")
    text = converted(ctx)
    assert (
        "    DECLARE v_days INT;\n"
        "    SET `body`.v_days = DATEDIFF(`lab_nested`.p_to, `lab_nested`.p_from);\n"
        "    halves: BEGIN\n"
        "      DECLARE v_half INT DEFAULT `body`.v_days / 2;\n"
        "      SET `halves`.v_half = `halves`.v_half + 1;\n"
        "    END halves;\n"
    ) in text
    assert "date" in [m.rule for m in ctx.messages]
    assert scripting_problems(text) == []


def test_an_assigned_in_parameter_gets_a_local_copy(lab_catalog: SourceCatalog) -> None:
    ctx = context(lab_catalog, "bump")
    text = converted(ctx)
    assert text.endswith(
        "  body: BEGIN\n"
        "    DECLARE p_step INT DEFAULT `lab_bump`.p_step;\n"
        "    SET `body`.p_step = `body`.p_step * 2;\n"
        "    UPDATE `main`.`silver`.`lab_counter` SET id = id + `body`.p_step;\n"
        "  END body;\nEND;"
    )
    assert "parameter" in [m.rule for m in ctx.messages]
    assert scripting_problems(text) == []


def test_a_sql_procedure_becomes_a_compound_of_its_statements(lab_catalog: SourceCatalog) -> None:
    text = converted(context(lab_catalog, "add_label"))
    assert text.endswith(
        "  body: BEGIN\n"
        "    INSERT INTO `main`.`silver`.`lab_counter` (label) VALUES (`lab_add_label`.p_label);\n"
        "    DELETE FROM `main`.`silver`.`lab_counter` WHERE label = '';\n"
        "  END body;\nEND;"
    )
    assert scripting_problems(text) == []


def test_exception_sections_are_manual(lab_catalog: SourceCatalog) -> None:
    ctx = context(lab_catalog, "risky")
    outcome = manual_outcome(ctx)
    assert ctx.obj.definition is not None
    lines = ctx.obj.definition.splitlines()
    located = [(lines[r.line - 1].strip(), r.text.split(":")[0]) for r in outcome.reasons if r.line]
    assert located == [
        ("EXCEPTION WHEN unique_violation THEN", "an EXCEPTION section with named conditions")
    ]


def test_a_plpgsql_function_with_statements_is_drafted_as_a_procedure(
    lab_catalog: SourceCatalog,
) -> None:
    outcome = manual_outcome(context(lab_catalog, "clamp"))
    assert [r.rule for r in outcome.reasons] == ["plpgsql_function"]
    draft = outcome.partial_sql
    assert draft is not None
    assert draft.startswith(
        "CREATE OR REPLACE PROCEDURE `main`.`silver`.`lab_clamp`(IN x INT, OUT result INT)"
    )
    assert (
        "    IF `lab_clamp`.x < 0 THEN\n      SET `lab_clamp`.result = 0;\n      LEAVE body;\n"
        "    END IF;\n    SET `lab_clamp`.result = `lab_clamp`.x;\n    LEAVE body;\n"
    ) in draft
    assert scripting_problems(draft) == []


@pytest.mark.parametrize(
    ("name", "definition", "rule"),
    [
        ("next_ids", None, "returns"),
        (
            "f(a integer)",
            "CREATE OR REPLACE FUNCTION public.f(a integer) RETURNS integer LANGUAGE sql "
            "AS $function$ SELECT a $function$",
            "overload",
        ),
        (
            "py",
            "CREATE OR REPLACE FUNCTION public.py(a integer) RETURNS integer LANGUAGE plpython3u "
            "AS $function$ return a $function$",
            "language",
        ),
        (
            "atomic",
            "CREATE OR REPLACE FUNCTION public.atomic(a integer) RETURNS integer LANGUAGE sql\n"
            "BEGIN ATOMIC\n SELECT a;\nEND",
            "routine",
        ),
    ],
)
def test_functions_without_a_sql_udf_form_are_manual(
    lab_catalog: SourceCatalog, name: str, definition: str | None, rule: str
) -> None:
    if definition is None:
        ctx = context(lab_catalog, name)
    else:
        obj = CatalogObject(
            schema="public", name=name, type=ObjectType.FUNCTION, definition=definition
        )
        catalog = SourceCatalog(source="t", dialect="postgres", objects=[obj])
        ctx = ObjectContext(obj=obj, catalog=catalog, options=OPTIONS)
    assert [r.rule for r in manual_outcome(ctx).reasons] == [rule]


@pytest.mark.parametrize(
    ("low", "high", "step", "reverse", "expected"),
    [
        ("1", "3", "1", False, "sequence(1, 3, 1)"),
        ("1", "10", "2", False, "sequence(1, 10, 2)"),
        ("3", "1", "1", True, "sequence(3, 1, -1)"),
        ("3", "1", "1", False, "filter(sequence(3, greatest(3, 1), 1), x -> 3 <= 1)"),
        ("1", "n", "1", False, "filter(sequence(1, greatest(1, n), 1), x -> 1 <= n)"),
        ("n", "1", "k", True, "filter(sequence(n, least(n, 1), -(k)), x -> n >= 1)"),
    ],
)
def test_integer_for_ranges(low: str, high: str, step: str, reverse: bool, expected: str) -> None:
    assert range_sequence(low, high, step, reverse) == expected
    parses_as_databricks(f"SELECT explode({expected})")


def procedure_context(body: str) -> ObjectContext:
    """A procedure as pg_get_functiondef prints it, around a hand-written body."""
    definition = (
        "CREATE OR REPLACE PROCEDURE public.p(IN a integer, INOUT x integer)\n"
        f" LANGUAGE plpgsql\nAS $procedure$\n{body}\n$procedure$\n"
    )
    obj = CatalogObject(schema="public", name="p", type=ObjectType.PROCEDURE, definition=definition)
    catalog = SourceCatalog(source="t", dialect="postgres", objects=[obj])
    return ObjectContext(obj=obj, catalog=catalog, options=OPTIONS)


@pytest.mark.parametrize(
    ("body", "statements"),
    [
        ("BEGIN NULL; END", ""),
        ("BEGIN x = a; END", "SET `p`.x = `p`.a;"),
        ("BEGIN <<l>> LOOP EXIT l WHEN x > 3; CONTINUE l; END LOOP l; END",
         "l: LOOP\n  IF `p`.x > 3 THEN\n    LEAVE l;\n  END IF;\n  ITERATE l;\nEND LOOP l;"),
        ("BEGIN FOR i IN REVERSE 10..1 BY 2 LOOP x := x + i; END LOOP; END",
         "loop1: FOR i AS SELECT explode(sequence(10, 1, -2)) AS i DO\n"
         "  SET `p`.x = `p`.x + i.i;\nEND FOR loop1;"),
        ("BEGIN CASE a WHEN 1 THEN x := 1; WHEN 2 THEN x := 2; ELSE x := 0; END CASE; END",
         "CASE `p`.a\n  WHEN 1 THEN\n    SET `p`.x = 1;\n  WHEN 2 THEN\n    SET `p`.x = 2;\n"
         "  ELSE\n    SET `p`.x = 0;\nEND CASE;"),
        ("BEGIN CASE a WHEN 1, 2 THEN x := 1; END CASE; END",
         "CASE\n  WHEN `p`.a IN (1, 2) THEN\n    SET `p`.x = 1;\n  ELSE\n"
         "    SIGNAL SQLSTATE '20000' SET MESSAGE_TEXT = 'case not found';\nEND CASE;"),
        ("BEGIN CASE WHEN a > 1 THEN x := 1; ELSE NULL; END CASE; END",
         "CASE\n  WHEN `p`.a > 1 THEN\n    SET `p`.x = 1;\nEND CASE;"),
        ("BEGIN IF a > 1 THEN NULL; ELSE x := 1; END IF; WHILE x < 3 LOOP END LOOP; END",
         "IF `p`.a > 1 THEN\n  BEGIN END;\nELSE\n  SET `p`.x = 1;\nEND IF;\n"
         "loop1: WHILE `p`.x < 3 DO\n  BEGIN END;\nEND WHILE loop1;"),
        ("DECLARE v int; BEGIN x := 1 / a; EXCEPTION WHEN OTHERS THEN x := 0; END",
         "DECLARE v INT;\nDECLARE EXIT HANDLER FOR SQLEXCEPTION\nBEGIN\n  SET `p`.x = 0;\nEND;\n"
         "SET `p`.x = 1 / `p`.a;"),
        ("BEGIN RAISE EXCEPTION 'x' USING ERRCODE = '22012'; END",
         "SIGNAL SQLSTATE '22012' SET MESSAGE_TEXT = 'x';"),
        ("BEGIN IF a > 0 THEN RETURN; END IF; x := 1; END",
         "IF `p`.a > 0 THEN\n  LEAVE body;\nEND IF;\nSET `p`.x = 1;"),
        ("DECLARE d date := current_date; BEGIN x := d - '2020-01-01'::date; END",
         "DECLARE d DATE DEFAULT CURRENT_DATE;\n"
         "SET `p`.x = DATEDIFF(`body`.d, CAST('2020-01-01' AS DATE));"),
        ("BEGIN x := current_date - DATE '2020-01-01'; END",
         "SET `p`.x = DATEDIFF(CURRENT_DATE, CAST('2020-01-01' AS DATE));"),
    ],
)  # fmt: skip
def test_plpgsql_statements(body: str, statements: str) -> None:
    text = converted(procedure_context(body))
    inner = text.split("  body: BEGIN\n", 1)[1].rsplit("  END body;", 1)[0]
    assert inner == "".join(f"    {line}\n" for line in statements.splitlines())
    assert scripting_problems(text) == []


@pytest.mark.parametrize(
    ("body", "blocker"),
    [
        ("BEGIN END; x := 1;", "text after the body's final END"),
        ("BEGIN IF a THEN x := 1; END; END", "expected IF"),
        ("BEGIN RAISE; END", "RAISE without a message text"),
        ("BEGIN x.y := 1; END", "statement not recognised"),
        ("BEGIN FOR r IN EXECUTE 'SELECT 1' LOOP NULL; END LOOP; END", "a FOR loop over EXECUTE"),
        ("BEGIN FOREACH v IN ARRAY x LOOP NULL; END LOOP; END", "FOREACH over an array"),
        ("BEGIN INSERT INTO t VALUES (1) RETURNING id INTO x; END", "RETURNING"),
        ("DECLARE v t.c%TYPE; BEGIN END", "%TYPE"),
        ("BEGIN IF FOUND THEN x := 1; END IF; END", "FOUND"),
        ("BEGIN ROLLBACK; END", "transaction control (ROLLBACK)"),
        ("BEGIN CALL q(); END", "CALL of another routine"),
    ],
)
def test_plpgsql_blockers(body: str, blocker: str) -> None:
    outcome = manual_outcome(procedure_context(body))
    assert any(blocker in reason.text for reason in outcome.reasons), outcome.reasons
    assert all(reason.line is not None for reason in outcome.reasons)


def test_commit_in_a_procedure_is_manual_with_its_line(lab_catalog: SourceCatalog) -> None:
    ctx = context(lab_catalog, "batch")
    outcome = manual_outcome(ctx)
    assert [r.rule for r in outcome.reasons] == ["plpgsql"]
    reason = outcome.reasons[0]
    assert "COMMIT" in reason.text
    assert ctx.obj.definition is not None and reason.line is not None
    assert ctx.obj.definition.splitlines()[reason.line - 1].strip() == "COMMIT;"
    assert outcome.partial_sql is not None
    assert "INSERT INTO `main`.`silver`.`lab_counter`" in outcome.partial_sql
    assert f"-- MANUAL (line {reason.line})" in outcome.partial_sql


def test_information_schema_converts_or_is_manual(pg_server: pgserver.PostgresServer) -> None:
    """PostgreSQL's own information_schema: 60-odd views of dense catalog SQL, a
    robustness check (no converter error, converted output parses)."""
    catalog = extract_postgres_catalog("sys", pg_server.get_uri("postgres"), ["information_schema"])
    outcomes: Counter[str] = Counter()
    for obj in catalog.objects:
        ctx = ObjectContext(obj=obj, catalog=catalog, options=OPTIONS)
        try:
            text = convert_postgres_object(ctx)
        except ManualConversion as outcome:
            assert outcome.reasons, obj.name
            outcomes["manual"] += 1
        except sqlglot.errors.ParseError:
            outcomes["unparsable"] += 1  # the pipeline reports these as MANUAL
        else:
            parses_as_databricks(text)
            outcomes["converted"] += 1
    assert len(catalog.objects) > 50
    assert outcomes["converted"] > 10 and outcomes["manual"] > 10


# ---------------------------------------------------------------------------------
# The demo catalog
# ---------------------------------------------------------------------------------

EXPECTED_DEMO = {
    # type: (converted, manual)
    "TABLE": (21, 0),
    "VIEW": (4, 0),
    "FUNCTION": (1, 5),
    "PROCEDURE": (0, 3),
    "TRIGGER": (0, 2),
    "SEQUENCE": (0, 11),
}


@pytest.fixture(scope="module")
def demo_results(
    demo_catalog: SourceCatalog,
) -> dict[str, tuple[ObjectContext, str | ManualConversion]]:
    results: dict[str, tuple[ObjectContext, str | ManualConversion]] = {}
    for obj in demo_catalog.objects:
        ctx = ObjectContext(obj=obj, catalog=demo_catalog, options=OPTIONS)
        try:
            results[obj.name] = (ctx, convert_postgres_object(ctx))
        except ManualConversion as outcome:
            results[obj.name] = (ctx, outcome)
    return results


def test_every_demo_object_converts_or_is_manual_with_a_reason(
    demo_catalog: SourceCatalog,
    demo_results: dict[str, tuple[ObjectContext, str | ManualConversion]],
) -> None:
    counts: Counter[tuple[str, bool]] = Counter()
    for ctx, result in demo_results.values():
        if isinstance(result, ManualConversion):
            assert result.reasons and all(r.level == "manual" and r.text for r in result.reasons)
        counts[(ctx.obj.type.value, isinstance(result, str))] += 1
    assert len(demo_results) == len(demo_catalog.objects) == 47
    found = {t: (counts[(t, True)], counts[(t, False)]) for t in EXPECTED_DEMO}
    assert found == EXPECTED_DEMO


def test_converted_demo_objects_are_valid_databricks_sql(
    demo_results: dict[str, tuple[ObjectContext, str | ManualConversion]],
) -> None:
    for ctx, result in demo_results.values():
        if isinstance(result, str):
            parses_as_databricks(result)
            assert validate_output(result, ctx, "postgres") == [], ctx.obj.name


def test_demo_tables(demo_results: dict[str, tuple[ObjectContext, str | ManualConversion]]) -> None:
    crew_shift = demo_results["Crew Shift"][1]
    assert isinstance(crew_shift, str)
    assert crew_shift.startswith("CREATE TABLE IF NOT EXISTS `main`.`silver`.`Crew_Shift` (\n")
    assert "CONSTRAINT `FK_Crew Shift_Crew` FOREIGN KEY (`CrewId`)" in crew_shift
    composite = demo_results["CrewWorker"][1]
    assert isinstance(composite, str)
    assert "PRIMARY KEY (`CrewId`, `WorkerId`)" in composite
    audit_ctx, audit = demo_results["AuditTrail"]
    assert isinstance(audit, str) and "PRIMARY KEY" not in audit
    assert "the table has no primary key" in [m.text for m in audit_ctx.messages]
    worker_ctx, worker = demo_results["Worker"]
    assert isinstance(worker, str)
    assert "`Name` STRING GENERATED ALWAYS AS (" in worker
    assert any("widened from integer to BIGINT" in w for w in warnings_of(worker_ctx))
    ticket_ctx, _ = demo_results["DeviceAssignment"]
    assert any("nextval('TicketNumberSeq') dropped" in w for w in warnings_of(ticket_ctx))


def test_demo_views(demo_results: dict[str, tuple[ObjectContext, str | ManualConversion]]) -> None:
    weekday = demo_results["vw_AttendanceByWeekday"][1]
    assert isinstance(weekday, str)
    assert "EXTRACT(DAYOFWEEK_ISO FROM a.`WorkDate`) = 1)" in weekday
    assert "::" not in weekday and "CAST(" not in weekday
    telemetry = demo_results["vw_EquipmentDailyTelemetry"][1]
    assert isinstance(telemetry, str)
    assert "`main`.`silver`.`time_bucket_demo`(INTERVAL '1' DAY, `CreatedAt`)" in telemetry
    occupancy = demo_results["vw_ZoneOccupancy"][1]
    assert isinstance(occupancy, str) and "DATE_TRUNC('hour', dl.`RecordedAt`)" in occupancy


def test_demo_manual_reasons_point_at_their_lines(
    demo_results: dict[str, tuple[ObjectContext, str | ManualConversion]],
) -> None:
    expected = {
        "sp_merge_zone_activity": ["GET DIAGNOSTICS p_merged", "PERFORM pg_notify("],
        "sp_build_crew_utilisation": ["CREATE TEMP TABLE", "GET DIAGNOSTICS p_crews"],
        "sp_recalculate_attendance_hours": [
            "cur_attendance CURSOR",
            "v_row record",
            "OPEN cur_attendance",
            "FETCH cur_attendance",
            "EXIT WHEN NOT FOUND",
            'UPDATE "Attendance"',
            "CLOSE cur_attendance",
        ],
        "fn_count_rows_since": ["IF to_regclass(", "EXECUTE format("],
    }
    for name, starts in expected.items():
        ctx, outcome = demo_results[name]
        assert isinstance(outcome, ManualConversion), name
        assert ctx.obj.definition is not None
        lines = ctx.obj.definition.splitlines()
        located = [lines[r.line - 1].strip() for r in outcome.reasons if r.line is not None]
        assert len(located) == len(starts), (name, located)
        for text, start in zip(located, starts, strict=True):
            assert text.startswith(start), (name, text, start)
        assert outcome.partial_sql is not None and "-- MANUAL (line " in outcome.partial_sql


def test_demo_functions_triggers_and_sequences(
    demo_results: dict[str, tuple[ObjectContext, str | ManualConversion]],
) -> None:
    pivot = demo_results["fn_attendance_pivot"][1]
    assert isinstance(pivot, str)
    assert pivot.startswith(
        "CREATE OR REPLACE FUNCTION `main`.`silver`.`fn_attendance_pivot`(p_from DATE, p_to DATE)"
        "\nRETURNS TABLE (`ProjectId` INT, `Mon` DECIMAL(38, 18)"
    )
    assert "BETWEEN `fn_attendance_pivot`.p_from AND `fn_attendance_pivot`.p_to" in pivot
    rules = {
        name: [r.rule for r in outcome.reasons]
        for name, (_, outcome) in demo_results.items()
        if isinstance(outcome, ManualConversion)
        and name
        in (
            "trg_worker_history",
            "trg_worker_set_updated_at",
            "time_bucket_demo",
            "fn_open_worker_locations",
            "trg_Worker_History",
        )
    }
    assert rules == {
        "trg_worker_history": ["trigger"],
        "trg_worker_set_updated_at": ["trigger"],
        "time_bucket_demo": ["date_bin"],
        "fn_open_worker_locations": ["returns"],
        "trg_Worker_History": ["trigger"],
    }
    trigger = demo_results["trg_Worker_History"][1]
    assert isinstance(trigger, ManualConversion)
    assert "change data feed" in trigger.reasons[0].text
    owned = demo_results["Crew Shift_Id_seq"][1]
    assert isinstance(owned, ManualConversion)
    assert "belongs to Crew Shift.Id" in owned.reasons[0].text
    shared = demo_results["TicketNumberSeq"][1]
    assert isinstance(shared, ManualConversion)
    assert shared.reasons[0].text.startswith("Databricks has no sequences")
