"""`python -m lakebridge_dagster.demo`: the embedded demo, end to end.

Starts (or attaches to) the embedded sources, sets a persistent DAGSTER_HOME
under the output dir, materializes every asset with the Dagster CLI, and
prints where the outputs are. `--ui` starts `dagster dev` on the same home
instead. Safe to re-run: the seed runs once, the catalog is rewritten.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from dagster import DagsterInstance, Definitions

from lakebridge_dagster.catalog.errors import CatalogError
from lakebridge_dagster.catalog.model import SourceCatalog
from lakebridge_dagster.config import (
    CATEGORIES,
    ConfigError,
    LakebridgeConfig,
    config_path,
    load_config,
)
from lakebridge_dagster.defs.bronze.partitions import bronze_job_name, bronze_partitions
from lakebridge_dagster.sources import Source

DAGSTER_YAML = "telemetry:\n  enabled: false\n"


def dagster_home(config: LakebridgeConfig) -> Path:
    """$DAGSTER_HOME, or a persistent one under the output dir (runs survive re-runs)."""
    home = Path(os.environ.get("DAGSTER_HOME") or config.output_dir / "dagster_home")
    home.mkdir(parents=True, exist_ok=True)
    settings = home / "dagster.yaml"
    if not settings.exists():
        settings.write_text(DAGSTER_YAML, encoding="utf-8")
    return home.resolve()


def _dagster_command() -> str:
    # The venv's own CLI, next to this interpreter, whatever PATH says.
    local = Path(sys.executable).with_name("dagster")
    return str(local) if local.exists() else (shutil.which("dagster") or "dagster")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lakebridge_dagster.demo")
    parser.add_argument("--ui", action="store_true", help="start `dagster dev` instead")
    args = parser.parse_args(argv)
    try:
        config = load_config()
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    env = {**os.environ, "DAGSTER_HOME": str(dagster_home(config))}
    env.setdefault("LAKEBRIDGE_CONFIG", str(config_path().resolve()))

    # Holding the embedded servers here keeps them up across the CLI's worker
    # processes (pgserver stops a server when its last user exits).
    sources = [Source(source, config) for source in config.sources]
    for source in sources:
        if source.config.embedded is not None:
            try:
                source.url  # noqa: B018 - starts and seeds the server
            except CatalogError as error:
                print(error, file=sys.stderr)
                return 1
            print(f"[demo] {source.name}: {source.location} is up and seeded")

    if args.ui:
        print(f"[demo] Dagster UI with DAGSTER_HOME={env['DAGSTER_HOME']}")
        return subprocess.call([_dagster_command(), "dev", "-w", "workspace.yaml"], env=env)

    # 1. Every unpartitioned asset with the Dagster CLI: catalog, report, registry.
    # (Imported here: importing the module loads the config, which is checked above.)
    from lakebridge_dagster.definitions import build_definitions

    defs = build_definitions(config)
    unpartitioned = [
        key.to_user_string()
        for key in defs.resolve_all_asset_keys()
        if defs.resolve_assets_def(key).partitions_def is None
    ]
    command = [
        _dagster_command(),
        "asset",
        "materialize",
        "-m",
        "lakebridge_dagster.definitions",
        "--select",
        ",".join(sorted(unpartitioned)),
    ]
    print(f"[demo] {' '.join(command)}")
    result = subprocess.run(command, env=env)
    if result.returncode != 0:
        print("[demo] materialization failed: see the run log above", file=sys.stderr)
        return result.returncode
    # 2. Every bronze partition (one table each), category by category, in order.
    os.environ["DAGSTER_HOME"] = env["DAGSTER_HOME"]
    failed = load_bronze(defs, config)
    print_outputs(sources, env["DAGSTER_HOME"])
    return 1 if failed else 0


def load_bronze(defs: Definitions, config: LakebridgeConfig) -> list[str]:
    """Run each registered bronze partition's job in the persistent instance, in
    the seed's category order; return the tables that failed."""
    instance = DagsterInstance.get()
    failed: list[str] = []
    for source in config.sources:
        if source.dialect != "postgres":
            continue
        for category in CATEGORIES:
            job = defs.resolve_job_def(bronze_job_name(source.name, category))
            keys = instance.get_dynamic_partitions(bronze_partitions(source.name, category).name)
            for key in keys:
                run = job.execute_in_process(
                    partition_key=key, instance=instance, raise_on_error=False
                )
                status = "ok" if run.success else "FAILED"
                print(f"[demo] {source.name}/bronze_{category}[{key}]: {status}")
                if not run.success:
                    failed.append(f"{source.name}/{key}")
    return failed


def print_outputs(sources: list[Source], home: str) -> None:
    """Where each source's outputs are, with the catalog's counts."""
    print("\n[demo] outputs")
    for source in sources:
        path = source.catalog_path
        if path.exists():
            counts = SourceCatalog.read(path).counts_by_type()
            summary = ", ".join(f"{n} {t.lower()}s" for t, n in counts.items())
            print(f"  {source.name}/source_catalog: {path}  ({summary})")
        report = source.assessment_dir / "complexity_report.md"
        if report.exists():
            print(f"  {source.name}/complexity_report: {report} (+ .json, .csv)")
        transpiled = source.output_dir / "transpiled" / "transpile_report.json"
        if transpiled.exists():
            print(f"  {source.name}/transpiled_sql: {transpiled.parent} (one .sql per object)")
        if source.registry_path.exists():
            print(f"  {source.name}/table_registry: {source.registry_path}")
            print(
                f"  {source.name}/bronze_*: Delta tables under "
                f"{source.lakehouse / source.target_catalog / source.config.target.schema_name}"
            )
            print(f"  watermarks: {source.lakehouse / source.target_catalog / 'migration'}")
    print(
        f"\n[demo] open the UI: make dev  (or DAGSTER_HOME={home} "
        ".venv/bin/dagster dev -w workspace.yaml), then http://127.0.0.1:3000"
    )


if __name__ == "__main__":
    sys.exit(main())
