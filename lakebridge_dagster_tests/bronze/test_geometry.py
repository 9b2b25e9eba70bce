"""PostGIS geometry/geography columns, end to end, on a real PostgreSQL + PostGIS
(Debian's packages; `.ci/postgis.sh` installs and starts it, `.ci/run` calls it
when CI=true): the catalog reports their types, the registry lists them as
geometry columns and bronze holds them as WKT text, incremental loads included.

The server is found through `$LAKEBRIDGE_POSTGIS_URL`, else `.lakebridge/postgis_url`
(written by the script). When neither answers and the packages are installed,
the fixture runs the script to start the server (it never installs anything:
nothing downloads at test time). Without the packages the tests skip, saying so.
`LAKEBRIDGE_POSTGIS_AUTOSTART=0` keeps the fixture from starting the server.
"""

from __future__ import annotations

import glob
import os
import subprocess
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from deltalake import DeltaTable
from psycopg import sql

from lakebridge_dagster.bronze.load import LOADED_AT, LoadResult, load_table
from lakebridge_dagster.bronze.registry import RegisteredTable, derive_registry
from lakebridge_dagster.bronze.watermarks import WatermarkStore, watermark_table_path
from lakebridge_dagster.catalog.model import ObjectType
from lakebridge_dagster.catalog.postgres import extract_postgres_catalog
from lakebridge_dagster.config import SourceConfig

pytestmark = pytest.mark.postgis

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / ".ci" / "postgis.sh"
URL_FILE = REPO / ".lakebridge" / "postgis_url"
URL_ENV = "LAKEBRIDGE_POSTGIS_URL"
AUTOSTART_ENV = "LAKEBRIDGE_POSTGIS_AUTOSTART"
SKIP = "PostGIS not available: run .ci/postgis.sh --install"
SYSTEM = "gis"
T0 = datetime(2024, 1, 1, tzinfo=UTC)
GEOMETRY = ["Boundary", "Centroid", "Site"]

PARCEL = """
CREATE TABLE {schema}."Parcel" (
    "ParcelId" integer PRIMARY KEY,
    "Name" text NOT NULL,
    "Boundary" geometry(Polygon, 4326),
    "Centroid" geometry(Point),
    "Site" geography,
    "UpdatedAt" timestamptz NOT NULL
);
INSERT INTO {schema}."Parcel" VALUES
    (1, 'square',
     ST_GeomFromText('POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))', 4326),
     ST_GeomFromText('POINT(5 5)'),
     'POINT(-73.985 40.748)'::geography,
     '2024-01-01 01:00Z'),
    (2, 'with a hole',
     ST_GeomFromText(
         'POLYGON((0 0, 20 0, 20 20, 0 20, 0 0), (5 5, 5 15, 15 15, 15 5, 5 5))', 4326),
     ST_GeomFromText('POINT(-122.419415 37.774929)'),
     'LINESTRING(2.3522 48.8566, 13.405 52.52)'::geography,
     '2024-01-01 02:00Z'),
    (3, 'nothing known', NULL, NULL, NULL, '2024-01-01 03:00Z'),
    (4, 'empty shapes',
     ST_GeomFromText('POLYGON EMPTY', 4326),
     ST_GeomFromText('POINT EMPTY'),
     'POLYGON((0 0, 1 0, 1 1, 0 0))'::geography,
     '2024-01-01 04:00Z'),
    (5, 'still unknown', NULL, NULL, NULL, '2024-01-01 05:00Z');
-- Many-vertex shapes with long decimals (ST_Buffer: 33 vertices each).
INSERT INTO {schema}."Parcel"
SELECT g, 'buffer ' || g,
       ST_Buffer(ST_SetSRID(ST_MakePoint(g, g / 3.0), 4326), 0.5),
       ST_MakePoint(g * 1.1, -g / 7.0),
       ST_MakePoint(g / 10.0, 45 + g / 100.0)::geography,
       '2024-01-01Z'::timestamptz + g * interval '1 hour'
FROM generate_series(10, 59) AS g;
"""
ROWS = 55


# ---------------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------------


def _postgis_version(url: str) -> tuple[str | None, str]:
    """PostGIS's version at `url` (None when it does not answer) and why not."""
    try:
        with psycopg.connect(url, connect_timeout=5, autocommit=True) as conn:
            row = conn.execute("SELECT postgis_lib_version()").fetchone()
    except psycopg.Error as error:
        return None, " ".join(str(error).split())
    return (row[0] if row else None), "no version"


def _installed() -> bool:
    """PostgreSQL with PostGIS from Debian's packages, on this machine."""
    return any(
        Path(f"/usr/lib/postgresql/{Path(control).parents[1].name}/bin/initdb").exists()
        for control in glob.glob("/usr/share/postgresql/*/extension/postgis.control")
    )


@pytest.fixture(scope="module")
def postgis_url() -> str:
    explicit = os.environ.get(URL_ENV)
    if explicit:
        version, why = _postgis_version(explicit)
        if version is None:
            pytest.fail(f"${URL_ENV} is set, but no PostGIS answers there: {why}")
        return explicit
    if URL_FILE.exists():
        url = URL_FILE.read_text(encoding="utf-8").strip()
        if url and _postgis_version(url)[0] is not None:
            return url
    if not _installed():
        pytest.skip(f"{SKIP} (PostgreSQL with PostGIS is not installed on this machine)")
    if os.environ.get(AUTOSTART_ENV) == "0":
        pytest.skip(f"{SKIP} (not running, and {AUTOSTART_ENV}=0 keeps the tests from starting it)")
    run = subprocess.run(
        ["bash", str(SCRIPT)], capture_output=True, text=True, timeout=300, check=False
    )
    if run.returncode == 3:  # the script's "cannot be installed here"
        pytest.skip(f"{SKIP} ({run.stderr.strip()})")
    if run.returncode != 0:
        pytest.fail(f"PostGIS is installed but {SCRIPT} could not start it:\n{run.stderr}")
    url = run.stdout.strip().splitlines()[-1]
    version, why = _postgis_version(url)
    if version is None:
        pytest.fail(f"{SCRIPT} started PostGIS, but it does not answer at its URL: {why}")
    return url


@pytest.fixture()
def schema(postgis_url: str) -> Iterator[str]:
    """A fresh schema holding the `Parcel` table, dropped afterwards."""
    name = f"gis_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(postgis_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
        conn.execute(PARCEL.format(schema=name))
    yield name
    with psycopg.connect(postgis_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))


# ---------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------


def execute(url: str, statement: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement)


def source_as_wkt(url: str, schema: str) -> list[dict[str, Any]]:
    """The source rows with every spatial column as `ST_AsText`, computed here (not by
    the loader's query), in key order."""
    query = sql.SQL(
        'SELECT "ParcelId", "Name", ST_AsText("Boundary") AS "Boundary", '
        'ST_AsText("Centroid") AS "Centroid", ST_AsText("Site") AS "Site", "UpdatedAt" '
        'FROM {}."Parcel" ORDER BY "ParcelId"'
    ).format(sql.Identifier(schema))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET TimeZone = 'UTC'")
        cursor = conn.execute(query)
        names = [column.name for column in cursor.description or []]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def bronze(path: Path) -> list[dict[str, Any]]:
    """The bronze rows' source columns, in key order."""
    rows = DeltaTable(str(path)).to_pyarrow_table().to_pylist()
    columns = ["ParcelId", "Name", *GEOMETRY, "UpdatedAt"]
    return sorted(
        ({name: row[name] for name in columns} for row in rows), key=lambda r: r["ParcelId"]
    )


def registered(url: str, schema: str) -> RegisteredTable:
    catalog = extract_postgres_catalog(SYSTEM, url, [schema])
    source = SourceConfig.model_validate(
        {"name": SYSTEM, "dialect": "postgres", "url": "postgresql://u@h/d"}
    )
    return derive_registry(catalog, source).table("Parcel")


class Loader:
    def __init__(self, url: str, schema: str, root: Path) -> None:
        self.url = url
        self.table = registered(url, schema)
        self.path = root / "bronze" / self.table.target_table
        self.store = WatermarkStore(watermark_table_path(root, "cat"))

    def __call__(self, **kwargs: Any) -> LoadResult:
        return load_table(
            self.table, self.url, self.path, self.store, source_system=SYSTEM, **kwargs
        )


@pytest.fixture()
def loader(postgis_url: str, schema: str, tmp_path: Path) -> Loader:
    return Loader(postgis_url, schema, tmp_path)


# ---------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------


def test_the_catalog_reports_postgis_types(postgis_url: str, schema: str) -> None:
    catalog = extract_postgres_catalog(SYSTEM, postgis_url, [schema])
    (table,) = catalog.of_type(ObjectType.TABLE)
    assert table.name == "Parcel" and table.primary_key == ["ParcelId"]
    assert {c.name: c.data_type for c in table.columns} == {
        "ParcelId": "integer",
        "Name": "text",
        "Boundary": "geometry(Polygon,4326)",
        "Centroid": "geometry(Point)",
        "Site": "geography",
        "UpdatedAt": "timestamp with time zone",
    }


def test_the_registry_lists_them_as_geometry_columns(postgis_url: str, schema: str) -> None:
    table = registered(postgis_url, schema)
    assert table.geometry_columns == GEOMETRY
    assert table.primary_key == ["ParcelId"]
    assert table.watermark is not None and table.watermark.columns == ["UpdatedAt"]
    assert table.load_mode == "incremental"
    assert [c.name for c in table.columns if c.name in GEOMETRY] == GEOMETRY


def test_a_full_load_writes_wkt_text(loader: Loader, schema: str) -> None:
    result = loader()
    assert (result.status, result.mode, result.rows_read, result.rows_inserted) == (
        "success",
        "full",
        ROWS,
        ROWS,
    )
    assert result.watermark_after == T0 + timedelta(hours=59)
    expected = source_as_wkt(loader.url, schema)
    assert len(expected) == ROWS
    assert bronze(loader.path) == expected
    # Spelled out for a few rows, so the comparison cannot be trivially true.
    rows = {row["ParcelId"]: row for row in expected}
    assert rows[1]["Boundary"] == "POLYGON((0 0,10 0,10 10,0 10,0 0))"
    assert rows[1]["Centroid"] == "POINT(5 5)"
    assert rows[1]["Site"] == "POINT(-73.985 40.748)"
    assert rows[2]["Boundary"] == "POLYGON((0 0,20 0,20 20,0 20,0 0),(5 5,5 15,15 15,15 5,5 5))"
    assert rows[2]["Site"] == "LINESTRING(2.3522 48.8566,13.405 52.52)"
    assert (rows[4]["Boundary"], rows[4]["Centroid"]) == ("POLYGON EMPTY", "POINT EMPTY")
    assert rows[10]["Boundary"].startswith("POLYGON((") and rows[10]["Boundary"].count(",") == 32
    fields = {f.name: f.type for f in DeltaTable(str(loader.path)).schema().fields}
    for name in GEOMETRY:
        assert fields[name].type == "string", (name, fields[name])


def test_null_geometry_stays_null(loader: Loader) -> None:
    loader()
    rows = {row["ParcelId"]: row for row in bronze(loader.path)}
    for key in (3, 5):
        assert [rows[key][name] for name in GEOMETRY] == [None, None, None]
    table = DeltaTable(str(loader.path)).to_pyarrow_table()
    assert all(table.column(name).null_count == 2 for name in GEOMETRY)


def test_an_incremental_geometry_update_is_merged(loader: Loader, schema: str) -> None:
    first = loader()
    table = f'"{schema}"."Parcel"'
    later = "'2024-02-01 00:00Z'"
    execute(
        loader.url,
        f"""
        -- moved and reshaped
        UPDATE {table} SET "Boundary" = ST_GeomFromText('POLYGON((1 1, 2 1, 2 2, 1 1))', 4326),
                           "Centroid" = ST_GeomFromText('POINT(1.5 1.25)'),
                           "UpdatedAt" = {later}
        WHERE "ParcelId" = 2;
        -- geometry set to NULL
        UPDATE {table} SET "Boundary" = NULL, "Site" = NULL, "UpdatedAt" = {later}
        WHERE "ParcelId" = 1;
        -- NULL geometry set
        UPDATE {table} SET "Centroid" = ST_GeomFromText('POINT(7 8)'), "UpdatedAt" = {later}
        WHERE "ParcelId" = 3;
        INSERT INTO {table} VALUES
            (100, 'new', ST_GeomFromText('POLYGON((3 3, 4 3, 4 4, 3 3))', 4326),
             NULL, 'POINT(0 0)'::geography, {later});
        """,
    )
    result = loader()
    assert (result.status, result.mode, result.rows_read) == ("success", "incremental", 4)
    assert (result.rows_inserted, result.rows_updated) == (1, 3)
    assert result.watermark_before == first.watermark_after
    assert result.watermark_after == datetime(2024, 2, 1, tzinfo=UTC)
    assert bronze(loader.path) == source_as_wkt(loader.url, schema)
    rows = {row["ParcelId"]: row for row in bronze(loader.path)}
    assert len(rows) == ROWS + 1  # merged on the key: no duplicates
    assert rows[2]["Boundary"] == "POLYGON((1 1,2 1,2 2,1 1))"
    assert rows[2]["Centroid"] == "POINT(1.5 1.25)"
    assert rows[2]["Site"] == "LINESTRING(2.3522 48.8566,13.405 52.52)"  # untouched
    assert (rows[1]["Boundary"], rows[1]["Centroid"], rows[1]["Site"]) == (
        None,
        "POINT(5 5)",
        None,
    )
    assert (rows[3]["Boundary"], rows[3]["Centroid"], rows[3]["Site"]) == (
        None,
        "POINT(7 8)",
        None,
    )
    assert [rows[5][name] for name in GEOMETRY] == [None, None, None]  # not re-read
    assert (rows[100]["Boundary"], rows[100]["Centroid"], rows[100]["Site"]) == (
        "POLYGON((3 3,4 3,4 4,3 3))",
        None,
        "POINT(0 0)",
    )
    loaded = DeltaTable(str(loader.path)).to_pyarrow_table()
    by_key = dict(
        zip(
            loaded.column("ParcelId").to_pylist(), loaded.column(LOADED_AT).to_pylist(), strict=True
        )
    )
    assert by_key[2] > by_key[5]  # row 2 came from the second load, row 5 from the first


def test_postgis_off_the_search_path_is_called_in_its_own_schema(
    postgis_url: str, schema: str, tmp_path: Path
) -> None:
    """Managed PostgreSQL often installs PostGIS in a schema of its own
    (`extensions`) that is not on the loader's search_path: the loader finds
    PostGIS's schema in pg_catalog and calls `"<schema>".ST_AsText`. Here the
    session's search_path holds only the table's schema, so PostGIS (in
    `public` on this server) is off it, as it would be in `extensions`."""
    separator = "&" if "?" in postgis_url else "?"
    hidden = f"{postgis_url}{separator}options=-csearch_path%3D{schema}"
    with psycopg.connect(hidden) as conn:
        with pytest.raises(psycopg.errors.UndefinedFunction):  # unqualified: not found
            conn.execute("SELECT ST_AsText(NULL::public.geometry)")
    loader = Loader(postgis_url, schema, tmp_path)
    loader.url = hidden
    result = loader()
    assert (result.status, result.rows_read) == ("success", ROWS)
    assert bronze(loader.path) == source_as_wkt(postgis_url, schema)
