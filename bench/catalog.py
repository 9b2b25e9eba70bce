"""Benchmark: catalog extraction of a large PostgreSQL schema.

Generates, in the embedded PostgreSQL (pgserver), a schema with 5,000 tables
of 10 columns (each with a primary key), 2,000 views and 1,000 PL/pgSQL
functions, then times `extract_postgres_catalog` end to end and each catalog
query on its own. Prints a table. Target on the 2-core machine: <= 10 s.

    .venv/bin/python bench/catalog.py [--tables 5000 --views 2000 --functions 1000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from pathlib import Path

import pgserver
import psutil
import psycopg

from lakebridge_dagster.catalog.postgres import QUERY_NAMES, extract_postgres_catalog, load_query

# One DO block per kind and chunk: a single transaction creating 5,000 tables
# runs out of lock slots (max_locks_per_transaction).
CREATE_TABLES = """
DO $$ BEGIN
    FOR i IN current_setting('bench.first')::int..current_setting('bench.last')::int LOOP
        EXECUTE format(
            'CREATE TABLE bench.%I ("Id" bigint PRIMARY KEY, "Name" text, "Code" varchar(20), '
            '"Amount" numeric(12,2), "Flag" boolean, "CreatedAt" timestamptz, '
            '"UpdatedAt" timestamptz, "DeletedAt" timestamptz, "Payload" jsonb, "Ref" int)',
            'Table_' || i);
    END LOOP;
END $$
"""
CREATE_VIEWS = """
DO $$ BEGIN
    FOR i IN current_setting('bench.first')::int..current_setting('bench.last')::int LOOP
        EXECUTE format(
            'CREATE VIEW bench.%I AS SELECT "Id", "Name", "Amount" FROM bench.%I WHERE "Flag"',
            'View_' || i, 'Table_' || (1 + i % current_setting('bench.tables')::int));
    END LOOP;
END $$
"""
CREATE_FUNCTIONS = """
DO $$ BEGIN
    FOR i IN current_setting('bench.first')::int..current_setting('bench.last')::int LOOP
        EXECUTE format(
            'CREATE FUNCTION bench.%I(p_id bigint) RETURNS numeric LANGUAGE plpgsql AS '
            '$f$ DECLARE total numeric; BEGIN SELECT sum("Amount") INTO total FROM bench.%I '
            'WHERE "Id" > p_id; RETURN coalesce(total, 0); END $f$',
            'fn_' || i, 'Table_' || (1 + i % current_setting('bench.tables')::int));
    END LOOP;
END $$
"""
CHUNK = 500


def generate(url: str, tables: int, views: int, functions: int) -> float:
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS bench CASCADE")
        conn.execute("CREATE SCHEMA bench")
        for statement, count in (
            (CREATE_TABLES, tables),
            (CREATE_VIEWS, views),
            (CREATE_FUNCTIONS, functions),
        ):
            for first in range(1, count + 1, CHUNK):
                with conn.transaction():
                    settings = {
                        "first": first,
                        "last": min(first + CHUNK - 1, count),
                        "tables": tables,
                    }
                    for name, value in settings.items():
                        conn.execute(
                            "SELECT set_config(%s, %s, true)", [f"bench.{name}", str(value)]
                        )
                    conn.execute(statement)
        conn.execute("ANALYZE")
    return time.perf_counter() - started


def time_queries(url: str) -> list[tuple[str, int, float]]:
    timings = []
    with psycopg.connect(url, autocommit=True) as conn:
        for name in QUERY_NAMES:
            started = time.perf_counter()
            rows = conn.execute(load_query(name), {"schemas": ["bench"]}).fetchall()
            timings.append((name, len(rows), time.perf_counter() - started))
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tables", type=int, default=5000)
    parser.add_argument("--views", type=int, default=2000)
    parser.add_argument("--functions", type=int, default=1000)
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="lbpg"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        server = pgserver.get_server(data_dir, cleanup_mode="delete")
    url = server.get_uri("postgres")
    setup = generate(url, args.tables, args.views, args.functions)

    process = psutil.Process()
    rss_before = process.memory_info().rss
    started = time.perf_counter()
    catalog = extract_postgres_catalog("bench", url, ["bench"])
    elapsed = time.perf_counter() - started
    rss_after = process.memory_info().rss
    counts = catalog.counts_by_type()

    print(
        f"\nschema generated in {setup:.1f} s: {args.tables} tables x 10 columns, "
        f"{args.views} views, {args.functions} functions\n"
    )
    print("| step | rows / objects | seconds |")
    print("|---|---:|---:|")
    for name, rows, seconds in time_queries(url):
        print(f"| query {name} | {rows} | {seconds:.2f} |")
    print(
        f"| **extract_postgres_catalog (all, incl. exact counts)** | "
        f"{len(catalog.objects)} | **{elapsed:.2f}** |"
    )
    print()
    print("| objects | count |")
    print("|---|---:|")
    for object_type, count in counts.items():
        print(f"| {object_type} | {count} |")
    print(
        f"\nobjects/s: {len(catalog.objects) / elapsed:,.0f}; "
        f"RSS growth during extraction: {(rss_after - rss_before) / 1_048_576:.0f} MB; "
        f"target <= 10 s: {'met' if elapsed <= 10 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
