"""Config: env interpolation, path resolution, and one clear message per bad key."""

from __future__ import annotations

from pathlib import Path

import pytest

from lakebridge_dagster.config import (
    ConfigError,
    is_valid_cron,
    load_config,
    parse_config,
    redact_url,
)

SCRIPTS = {"name": "dw", "dialect": "scripts", "path": "sql"}
PG = {"name": "app", "dialect": "postgres", "url": "postgresql://u:pw@db.example:5432/app"}


def test_default_config_file_is_valid() -> None:
    config = load_config(Path(__file__).parent.parent / "lakebridge.yaml")
    assert [s.name for s in config.sources] == ["demo_timescale", "demo_sqlserver"]
    assert config.source("demo_timescale").embedded is not None
    assert config.source("demo_sqlserver").path is not None
    assert config.source("demo_sqlserver").path.is_dir()


def test_relative_paths_resolve_against_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "lakebridge.yaml").write_text(
        "output_dir: out\nsources:\n  - {name: dw, dialect: scripts, path: sql}\n"
    )
    config = load_config(tmp_path / "lakebridge.yaml")
    assert config.output_dir == tmp_path / "out"
    assert config.source("dw").path == tmp_path / "sql"


def test_env_interpolation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_URL", "postgresql://u:s3cret@db:5432/app")
    config = parse_config({"sources": [{**PG, "url": "${APP_URL}"}]})
    assert config.source("app").url_secret() == "postgresql://u:s3cret@db:5432/app"
    assert "s3cret" not in repr(config)
    assert "s3cret" not in config.model_dump_json()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            {"sources": [{**SCRIPTS, "dialect": "oracle"}]},
            ["sources[0].dialect", "'oracle'", "'postgres', 'sqlserver' or 'scripts'"],
        ),
        (
            {"sources": [SCRIPTS, {**SCRIPTS}]},
            ["two sources are called 'dw'", "its own name"],
        ),
        (
            {"sources": [{"name": "app", "dialect": "postgres"}]},
            ["sources[0] (source 'app')", "exactly one of `url:`"],
        ),
        (
            {"sources": [{"name": "dw", "dialect": "sqlserver"}]},
            ["sources[0] (source 'dw')", "needs `url:`", "mssql+pyodbc"],
        ),
        (
            {"sources": [{**SCRIPTS, "schedules": {"facts": "*/15 * * *"}}]},
            ["sources[0].schedules", "'*/15 * * *' is not a 5-field cron string"],
        ),
        (
            {"sources": [{**SCRIPTS, "schedules": {"weekly": "0 2 * * *"}}]},
            ["sources[0].schedules.weekly", "'weekly' is not allowed"],
        ),
        (
            {"sources": [{**SCRIPTS, "tabels": {}}]},
            ["sources[0].tabels", "unknown key", "fix its spelling"],
        ),
        (
            {"sources": [{**SCRIPTS, "tables": {"Zone": {"geometry_column": ["x"]}}}]},
            ["sources[0].tables.Zone.geometry_column", "unknown key"],
        ),
        (
            {"sources": [{**SCRIPTS, "name": "My Source"}]},
            ["sources[0].name", "cannot be an asset key prefix"],
        ),
        ({"sources": []}, ["sources", "at least 1 item"]),
        ({"output": "x", "sources": [SCRIPTS]}, ["output", "unknown key"]),
        (
            {"sources": [{**PG, "url": "${LAKEBRIDGE_TEST_UNSET_VAR}"}]},
            ["sources[0].url", "LAKEBRIDGE_TEST_UNSET_VAR is not set", "export"],
        ),
        ([1, 2], ["expected a mapping"]),
    ],
)
def test_bad_config_names_the_key_and_the_fix(raw: object, expected: list[str]) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(raw)
    message = str(caught.value)
    for fragment in expected:
        assert fragment in message, message


def test_every_problem_is_reported_at_once() -> None:
    raw = {"sources": [{**SCRIPTS, "dialect": "oracle"}, {**SCRIPTS, "name": "x", "foo": 1}]}
    with pytest.raises(ConfigError) as caught:
        parse_config(raw)
    assert "2 problems" in str(caught.value)


def test_a_bad_url_never_leaks_into_the_error() -> None:
    raw = {"sources": [{**PG, "url": "postgresql://u:hunter2@db/app", "schemas": "public"}]}
    with pytest.raises(ConfigError) as caught:
        parse_config(raw)
    assert "sources[0].schemas" in str(caught.value)
    assert "hunter2" not in str(caught.value)


def test_missing_file_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist; create it"):
        load_config(tmp_path / "nope.yaml")


def test_invalid_yaml_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("sources: [\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(tmp_path / "bad.yaml")


@pytest.mark.parametrize(
    ("cron", "valid"),
    [
        ("0 2 * * *", True),
        ("*/15 * * * *", True),
        ("0 0-6/2 1,15 * 1-5", True),
        ("0 2 * *", False),
        ("60 * * * *", False),
        ("0 24 * * *", False),
        ("0 2 * 13 *", False),
        ("every day", False),
    ],
)
def test_cron_validation(cron: str, valid: bool) -> None:
    assert is_valid_cron(cron) is valid


@pytest.mark.parametrize(
    ("url", "redacted"),
    [
        ("postgresql://u:pw@h:5432/db", "postgresql://u:***@h:5432/db"),
        ("postgresql://u@h/db", "postgresql://u@h/db"),
        ("mssql+pyodbc://sa:p%40ss@h/db?driver=x", "mssql+pyodbc://sa:***@h/db?driver=x"),
        ("postgresql:///db?host=/tmp/x", "postgresql:///db?host=/tmp/x"),
    ],
)
def test_redact_url(url: str, redacted: str) -> None:
    assert redact_url(url) == redacted


def test_transpile_settings_become_transpile_options() -> None:
    from lakebridge_dagster.transpile import options_for

    config = parse_config(
        {
            "sources": [
                {
                    "name": "dw",
                    "dialect": "scripts",
                    "path": "x",
                    "target": {"catalog": "prod", "schema": "raw"},
                    "transpile": {
                        "schema": "silver",
                        "schema_map": {"Sales": "sales"},
                        "identity": "always",
                    },
                },
                {"name": "app", "dialect": "scripts", "path": "y"},
            ]
        }
    )
    dw = options_for(config.source("dw"), "prod")
    assert (dw.target_catalog, dw.target_schema, dw.identity_generation) == (
        "prod",
        "silver",
        "ALWAYS",
    )
    assert dw.schema_map == {"Sales": "sales"}
    app = options_for(config.source("app"), "app")
    assert (app.target_schema, app.identity_generation) == ("bronze", "BY DEFAULT")


def test_a_bad_identity_setting_names_the_key() -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config(
            {
                "sources": [
                    {
                        "name": "dw",
                        "dialect": "scripts",
                        "path": "x",
                        "transpile": {"identity": "sometimes"},
                    }
                ]
            }
        )
    message = str(raised.value)
    assert "sources[0].transpile.identity" in message
    assert "by_default" in message
