"""The engine as a dbt package in a company's own dbt project, on raw tables its loader filled.

A host project is written in a temporary folder: packages.yml installs this project with
`local:`, the demo data are loaded as raw text tables (as a loader would: in schema `billing`,
subscriptions under another name, which the Fivetran-style vars point to), the host puts each of
the package's layers in its own schema, adds a model of its own on `fct_mrr_movements`, and runs
`dbt deps` and `dbt build` with dbt's own command line. Every mart must equal the standalone
build's (`mrr build` on the same files). On DuckDB by default; with MRR_ENGINE=postgres (`make
test-postgres`) the same host project runs on PostgreSQL, its raw tables loaded by `mrr load`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from mrr.load import load
from mrr.profile import postgres_connection, profile_output
from mrr.project import CHECKOUT_ROOT, DEMO_INPUT, INPUT_TABLES
from mrr.warehouse import MARTS, read_table

from conftest import run_query
from test_engines import differences

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

ENGINE = os.environ.get("MRR_ENGINE", "duckdb")
pytestmark = pytest.mark.skipif(ENGINE not in ("duckdb", "postgres"),
                                reason="the host project runs on DuckDB and PostgreSQL")

HOST_PROFILES = {
    "duckdb": """
acme:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: "{database}"
      threads: 2
""",
    "postgres": """
acme:
  target: dev
  outputs:
    dev:
      type: postgres
      host: "{{{{ env_var('MRR_PG_HOST', '127.0.0.1') }}}}"
      port: "{{{{ env_var('MRR_PG_PORT', '5432') | int }}}}"
      user: "{{{{ env_var('MRR_PG_USER', 'postgres') }}}}"
      password: "{{{{ env_var('MRR_PG_PASSWORD', '') }}}}"
      dbname: "{{{{ env_var('MRR_PG_DBNAME', 'mrr') }}}}"
      schema: acme
      threads: 2
""",
}
# the schema names dbt gives the layers (target schema + '_' + the host's +schema)
TARGET_SCHEMA = {"duckdb": "main", "postgres": "acme"}[ENGINE] if ENGINE in ("duckdb", "postgres") else ""

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
    """dbt's command line in the host project, without this process's dbt or mrr settings (but
    the PostgreSQL connection's)."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DBT_", "MRR_")) or key.startswith("MRR_PG_")}
    env["DBT_PROFILES_DIR"] = str(host)
    command = [str(Path(sys.executable).with_name("dbt")), *args, "--project-dir", str(host)]
    return subprocess.run(command, cwd=host, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def host_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The host project built; returns its DuckDB database."""
    host = tmp_path_factory.mktemp("acme")
    database = host / "acme.duckdb"
    (host / "dbt_project.yml").write_text(HOST_PROJECT)
    (host / "profiles.yml").write_text(HOST_PROFILES[ENGINE].format(database=database))
    (host / "packages.yml").write_text(f"packages:\n  - local: {CHECKOUT_ROOT}\n")
    (host / "models").mkdir()
    (host / "models" / "monthly_upgrades.sql").write_text(HOST_MODEL)
    load_raw_tables(database)
    for step in (["deps"], ["build", "--exclude-resource-type", "unit_test"]):
        result = dbt(host, *step)
        assert result.returncode == 0, result.stdout[-4000:]
    return database


def load_raw_tables(database: Path) -> None:
    """The loader's raw tables, all text, in schema billing; subscriptions named otherwise."""
    if ENGINE == "postgres":
        load(DEMO_INPUT, "postgres", schema="billing", progress=lambda _: None)
        host_query("alter table billing.subscriptions rename to subscription_periods", database)
        return
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema billing")
        for table in INPUT_TABLES:
            path = DEMO_INPUT / f"{table}.csv"
            name = "subscription_periods" if table == "subscriptions" else table
            connection.execute(f"create table billing.{name} as select * from"
                               f" read_csv('{path}', header = true, all_varchar = true)")


def host_query(sql: str, database: Path) -> list[tuple]:
    """A query on the host's warehouse (its DuckDB file, or the PostgreSQL database)."""
    if ENGINE == "postgres":
        connection = postgres_connection(profile_output("postgres"))
        try:
            with connection, connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall() if cursor.description else []
        finally:
            connection.close()
    return run_query(database, sql)


def host_mart(mart: str, database: Path) -> pd.DataFrame:
    if ENGINE == "postgres":
        connection = postgres_connection(profile_output("postgres"))
        try:
            return pd.read_sql_query(f"select * from {TARGET_SCHEMA}_finance.{mart}", connection,
                                     coerce_float=False)
        finally:
            connection.close()
    return read_table(mart, database=database)


def test_every_mart_equals_the_standalone_build(host_build: Path, demo_database: Path) -> None:
    for mart in MARTS:
        problems = differences(mart, read_table(mart, database=demo_database), host_mart(mart, host_build))
        assert not problems, "\n".join(problems[:20])


def test_the_layers_land_in_the_host_schemas(host_build: Path) -> None:
    # the host's schemas only: the PostgreSQL database also holds the other CI builds' tables
    schemas = dict(host_query("select table_name, table_schema from information_schema.tables"
                              f" where table_schema like '{TARGET_SCHEMA}%'", host_build))
    assert schemas["stg_subscriptions"] == f"{TARGET_SCHEMA}_mrr_staging"
    assert schemas["int_line_months"] == f"{TARGET_SCHEMA}_mrr_internal"
    assert schemas["fct_mrr_movements"] == f"{TARGET_SCHEMA}_finance"
    assert schemas["monthly_upgrades"] == TARGET_SCHEMA


def test_a_host_model_reads_the_package_marts(host_build: Path) -> None:
    upgrades = dict(host_query(f"select month, upgrade_mrr from {TARGET_SCHEMA}.monthly_upgrades", host_build))
    # docs/demo-data.md: c01 +100.00 (April), c08 +100.00 (June), c10 +64.20 (July)
    assert {str(month): amount for month, amount in upgrades.items()} == {
        "2024-04-01": Decimal("100.00"), "2024-06-01": Decimal("100.00"), "2024-07-01": Decimal("64.20")}
