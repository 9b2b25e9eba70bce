"""The one typed config model, loaded from `lakebridge.yaml`.

`${ENV_VAR}` in any string value is replaced from the environment at load time
(secrets live there, never in the file). Every problem in the file is reported
at once, in one `ConfigError` that names each key and what to do about it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

CONFIG_ENV_VAR = "LAKEBRIDGE_CONFIG"
DEFAULT_CONFIG_FILE = "lakebridge.yaml"
CATEGORIES = ("dimensions", "assignments", "facts", "history")
Category = Literal["dimensions", "assignments", "facts", "history"]
Dialect = Literal["postgres", "sqlserver", "scripts"]

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_CRON_FIELD = re.compile(r"^(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*$")
_CRON_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))


class ConfigError(ValueError):
    """The config file is unusable; the message lists every problem and its fix."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class TargetConfig(_Strict):
    engine: Literal["local", "databricks"] = "local"
    catalog: str | None = Field(
        default=None, description="target catalog; defaults to the source name"
    )
    schema_name: str = Field(default="bronze", alias="schema")
    table_prefix: str = ""
    path: Path | None = Field(
        default=None, description="local lakehouse root; defaults to <output_dir>/lakehouse"
    )


class TableOverride(_Strict):
    """Per-table overrides of what the registry derives from the catalog."""

    primary_key: list[str] | None = None
    watermark_column: str | None = None
    watermark_expression: str | None = None
    category: Category | None = None
    full_load: bool | None = None
    fetch_size: int | None = Field(default=None, gt=0)
    geometry_columns: list[str] | None = None


class EmbeddedPostgres(_Strict):
    """An embedded PostgreSQL (pgserver) started on demand under the output dir."""

    database: str = "postgres"
    seed: Literal["demo"] | None = Field(
        default=None, description="seed the database once with the demo schema"
    )
    fact_rows: int = Field(default=200_000, ge=0, description="rows per demo fact table")
    data_dir: Path | None = Field(default=None, description="defaults to <output_dir>/pg")


class SourceConfig(_Strict):
    name: str
    dialect: Dialect
    url: SecretStr | None = None
    embedded: EmbeddedPostgres | None = None
    path: Path | None = None
    schemas: list[str] | None = None
    target: TargetConfig = Field(default_factory=TargetConfig)
    tables: dict[str, TableOverride] = Field(default_factory=dict)
    exclude: list[str] = Field(default_factory=list)
    schedules: dict[Category, str] = Field(default_factory=dict)
    lag_window: int = Field(
        default=0,
        ge=0,
        description="re-read rows this far below the last watermark: seconds for timestamp "
        "watermarks, units for bigint (rowversion) ones; MERGE makes re-reading harmless",
    )

    @field_validator("name")
    @classmethod
    def _name_is_a_key(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError(
                f"{value!r} cannot be an asset key prefix; use lower case letters, digits "
                "and underscores, starting with a letter (e.g. wakecap_dw)"
            )
        return value

    @field_validator("schedules")
    @classmethod
    def _crons_are_valid(cls, value: dict[str, str]) -> dict[str, str]:
        for category, cron in value.items():
            if not is_valid_cron(cron):
                raise ValueError(
                    f"{category}: {cron!r} is not a 5-field cron string; "
                    "write e.g. '0 2 * * *' (minute hour day-of-month month day-of-week)"
                )
        return value

    @model_validator(mode="after")
    def _location_matches_dialect(self) -> SourceConfig:
        if self.dialect == "scripts":
            if self.path is None:
                raise ValueError("a scripts source needs `path:` (a folder of .sql files)")
            if self.url is not None or self.embedded is not None:
                raise ValueError("a scripts source reads files: remove `url:`/`embedded:`")
        elif self.dialect == "postgres":
            if (self.url is None) == (self.embedded is None):
                raise ValueError(
                    "a postgres source needs exactly one of `url:` (e.g. ${TIMESCALE_URL}) "
                    "or `embedded:` (the pgserver demo database)"
                )
        elif self.dialect == "sqlserver":
            if self.url is None:
                raise ValueError(
                    "a sqlserver source needs `url:` "
                    "(an mssql+pyodbc:// URL, e.g. ${SQLSERVER_URL})"
                )
            if self.embedded is not None:
                raise ValueError("`embedded:` is only available for postgres sources")
        return self

    @property
    def is_live(self) -> bool:
        return self.dialect != "scripts"

    @property
    def sqlglot_dialect(self) -> str:
        return {"postgres": "postgres", "sqlserver": "tsql", "scripts": "tsql"}[self.dialect]

    def url_secret(self) -> str:
        """The connection URL with its password; use only to connect, never to print."""
        assert self.url is not None
        return self.url.get_secret_value()

    def redacted_url(self) -> str | None:
        return None if self.url is None else redact_url(self.url.get_secret_value())


class LakebridgeConfig(_Strict):
    output_dir: Path = Path(".lakebridge")
    plan_dir: Path = Path("specs")
    sources: list[SourceConfig] = Field(min_length=1)

    @model_validator(mode="after")
    def _names_are_unique(self) -> LakebridgeConfig:
        seen: set[str] = set()
        for source in self.sources:
            if source.name in seen:
                raise ValueError(
                    f"two sources are called {source.name!r}; give each source its own name"
                )
            seen.add(source.name)
        return self

    def source(self, name: str) -> SourceConfig:
        for source in self.sources:
            if source.name == name:
                return source
        raise KeyError(f"no source called {name!r}; configured: {[s.name for s in self.sources]}")

    def source_dir(self, source: SourceConfig) -> Path:
        return self.output_dir / source.name

    def catalog_path(self, source: SourceConfig) -> Path:
        return self.source_dir(source) / "catalog" / "source_catalog.json"

    def lakehouse_dir(self, source: SourceConfig) -> Path:
        """The local lakehouse root holding `<catalog>/<schema>/<table>` Delta tables."""
        return source.target.path or (self.output_dir / "lakehouse")

    def embedded_data_dir(self, source: SourceConfig) -> Path:
        assert source.embedded is not None
        return source.embedded.data_dir or (self.output_dir / "pg")


def is_valid_cron(cron: str) -> bool:
    """True for a standard 5-field cron string (numbers, *, ranges, steps, lists)."""
    fields = cron.split()
    if len(fields) != 5:
        return False
    for text, (low, high) in zip(fields, _CRON_RANGES, strict=True):
        if not _CRON_FIELD.match(text):
            return False
        for number in re.findall(r"\d+", re.sub(r"/\d+", "", text)):
            if not low <= int(number) <= high:
                return False
    return True


def redact_url(url: str) -> str:
    """`url` with any password replaced by ***; safe for logs and messages."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable url>"
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    userinfo = f"{parts.username}:***" if parts.username else "***"
    return urlunsplit(parts._replace(netloc=f"{userinfo}@{netloc[-1]}"))


def scrub(text: str, secrets: list[str]) -> str:
    """`text` with every secret (and its URL-decoded form) replaced by ***."""
    from urllib.parse import unquote

    for secret in secrets:
        for form in {secret, unquote(secret)}:
            if form:
                text = text.replace(form, "***")
    return text


def config_path(path: str | os.PathLike[str] | None = None) -> Path:
    """Where the config is: the argument, $LAKEBRIDGE_CONFIG, or ./lakebridge.yaml."""
    if path is not None:
        return Path(path)
    if os.environ.get(CONFIG_ENV_VAR):
        return Path(os.environ[CONFIG_ENV_VAR])
    local = Path.cwd() / DEFAULT_CONFIG_FILE
    if local.exists():
        return local
    # `dagster dev` started elsewhere: fall back to the project checkout's file.
    return Path(__file__).resolve().parent.parent / DEFAULT_CONFIG_FILE


def load_config(path: str | os.PathLike[str] | None = None) -> LakebridgeConfig:
    """Read, interpolate and validate the config; relative paths are resolved
    against the config file's folder."""
    file = config_path(path)
    if not file.exists():
        raise ConfigError(
            f"config file {file} does not exist; create it (see README 'Config') "
            f"or point ${CONFIG_ENV_VAR} at one"
        )
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ConfigError(f"{file} is not valid YAML: {error}") from None
    return parse_config(raw, base_dir=file.resolve().parent, origin=str(file))


def parse_config(
    raw: Any, base_dir: Path | None = None, origin: str = DEFAULT_CONFIG_FILE
) -> LakebridgeConfig:
    """Validate an already-parsed config mapping (see `load_config`)."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{origin}: expected a mapping with `sources:`, got {type(raw).__name__}")
    problems: list[str] = []
    raw = _interpolate(raw, (), problems)
    if problems:
        raise ConfigError(_report(origin, problems))
    try:
        config = LakebridgeConfig.model_validate(raw)
    except ValidationError as error:
        raise ConfigError(_report(origin, [_describe(e, raw) for e in error.errors()])) from None
    return _resolve_paths(config, base_dir or Path.cwd())


def _interpolate(value: Any, key: tuple[Any, ...], problems: list[str]) -> Any:
    if isinstance(value, dict):
        return {k: _interpolate(v, (*key, k), problems) for k, v in value.items()}
    if isinstance(value, list):
        return [_interpolate(v, (*key, i), problems) for i, v in enumerate(value)]
    if not isinstance(value, str):
        return value

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            problems.append(
                f"{_key(key)}: environment variable {name} is not set; export {name}=... "
                "before starting Dagster (secrets belong in the environment, not the file)"
            )
            return ""
        return os.environ[name]

    return _ENV_REF.sub(replace, value)


_FIXES = {
    "extra_forbidden": "unknown key; remove it or fix its spelling (see README 'Config')",
    "missing": "required key is missing; add it",
}


def _describe(error: dict[str, Any], raw: dict[str, Any]) -> str:
    loc = list(error["loc"])
    message = _FIXES.get(error["type"], error["msg"])
    if error["type"] == "value_error":
        message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "literal_error":
        message = f"{error.get('input')!r} is not allowed; {error['msg'].lower()}"
    # Secrets never reach a message: drop the offending value of a url key.
    if loc and loc[-1] == "url":
        message = message.split(" [")[0]
    name = _source_name(raw, loc)
    where = _key(tuple(loc)) or "(top level)"
    return f"{where}{f' (source {name!r})' if name else ''}: {message}"


def _source_name(raw: dict[str, Any], loc: list[Any]) -> str | None:
    if len(loc) >= 2 and loc[0] == "sources" and isinstance(loc[1], int):
        sources = raw.get("sources")
        entry = sources[loc[1]] if isinstance(sources, list) and loc[1] < len(sources) else None
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            return entry["name"]
    return None


def _key(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _report(origin: str, problems: list[str]) -> str:
    lines = "\n".join(f"  - {p}" for p in problems)
    plural = "s" if len(problems) > 1 else ""
    return f"{origin} is invalid ({len(problems)} problem{plural}):\n{lines}"


def _resolve_paths(config: LakebridgeConfig, base_dir: Path) -> LakebridgeConfig:
    def absolute(path: Path) -> Path:
        return path if path.is_absolute() else (base_dir / path)

    config.output_dir = absolute(config.output_dir)
    config.plan_dir = absolute(config.plan_dir)
    for source in config.sources:
        if source.path is not None:
            source.path = absolute(source.path)
        if source.target.path is not None:
            source.target.path = absolute(source.target.path)
        if source.embedded is not None and source.embedded.data_dir is not None:
            source.embedded.data_dir = absolute(source.embedded.data_dir)
    return config
