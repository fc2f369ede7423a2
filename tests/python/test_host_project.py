"""The engine as a dbt package in a company's own dbt project, on raw tables its loader filled.

A host project is written in a temporary folder: packages.yml installs this project with
`local:`, the demo data are loaded as raw text tables (as a loader would: in schema `billing`,
subscriptions under another name, which the Fivetran-style vars point to), the host puts each of
the package's layers in its own schema, adds a model of its own on `fct_mrr_movements`, and runs
`dbt deps` and `dbt build` with dbt's own command line. Every mart must equal the standalone
build's (`mrr build` on the same files).
"""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from mrr.project import CHECKOUT_ROOT, DEMO_INPUT, INPUT_TABLES
from mrr.warehouse import MARTS

from conftest import run_query

HOST_PROJECT = """
name: acme_analytics
version: "1.0.0"
config-version: 2
profile: acme
models:
  mrr_engine:
    staging:
      +schema: mrr_staging
    intermediate:
      +schema: mrr_internal
    marts:
      +schema: finance
      +tags: ["finance"]
vars:
  as_of_date: "2024-12-31"
  # where the loader put the raw tables, and the one it named otherwise
  mrr_source_schema: billing
  mrr_subscriptions_identifier: subscription_periods
"""

HOST_PROFILE = """
acme:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: "{database}"
      threads: 2
"""

# A host model on the package's movements: monthly upgrade MRR, as a finance team might add.
HOST_MODEL = """
select
    month,
    sum(mrr_amount) as upgrade_mrr
from {{ ref('mrr_engine', 'fct_mrr_movements') }}
where movement_type = 'upgrade'
group by 1
"""


def dbt(host: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """dbt's command line in the host project, without this process's dbt or mrr settings."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DBT_", "MRR_"))}
    env["DBT_PROFILES_DIR"] = str(host)
    command = [str(Path(sys.executable).with_name("dbt")), *args, "--project-dir", str(host)]
    return subprocess.run(command, cwd=host, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def host_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The host project built; returns its DuckDB database."""
    host = tmp_path_factory.mktemp("acme")
    database = host / "acme.duckdb"
    (host / "dbt_project.yml").write_text(HOST_PROJECT)
    (host / "profiles.yml").write_text(HOST_PROFILE.format(database=database))
    (host / "packages.yml").write_text(f"packages:\n  - local: {CHECKOUT_ROOT}\n")
    (host / "models").mkdir()
    (host / "models" / "monthly_upgrades.sql").write_text(HOST_MODEL)
    with duckdb.connect(str(database)) as connection:  # the loader's raw tables, all text
        connection.execute("create schema billing")
        for table in INPUT_TABLES:
            path = DEMO_INPUT / f"{table}.csv"
            name = "subscription_periods" if table == "subscriptions" else table
            connection.execute(f"create table billing.{name} as select * from"
                               f" read_csv('{path}', header = true, all_varchar = true)")
    for step in (["deps"], ["build", "--exclude-resource-type", "unit_test"]):
        result = dbt(host, *step)
        assert result.returncode == 0, result.stdout[-4000:]
    return database


def test_every_mart_equals_the_standalone_build(host_build: Path, demo_database: Path) -> None:
    for mart in MARTS:
        host = sorted(run_query(host_build, f"select * from main_finance.{mart}"), key=repr)
        standalone = sorted(run_query(demo_database, f"select * from {mart}"), key=repr)
        assert host == standalone, mart


def test_the_layers_land_in_the_host_schemas(host_build: Path) -> None:
    schemas = dict(run_query(host_build, "select table_name, table_schema from information_schema.tables"))
    assert schemas["stg_subscriptions"] == "main_mrr_staging"
    assert schemas["int_line_months"] == "main_mrr_internal"
    assert schemas["fct_mrr_movements"] == "main_finance"
    assert schemas["monthly_upgrades"] == "main"


def test_a_host_model_reads_the_package_marts(host_build: Path) -> None:
    upgrades = dict(run_query(host_build, "select month, upgrade_mrr from main.monthly_upgrades"))
    # docs/demo-data.md: c01 +100.00 (April), c08 +100.00 (June), c10 +64.20 (July)
    assert {str(month): amount for month, amount in upgrades.items()} == {
        "2024-04-01": Decimal("100.00"), "2024-06-01": Decimal("100.00"), "2024-07-01": Decimal("64.20")}
