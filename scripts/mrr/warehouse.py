"""Read a built table from any engine the project runs on, as a pandas DataFrame.

Used where Python needs the marts without dbt: the cross-engine comparison and the reports.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from mrr.profile import postgres_connection, profile_output
from mrr.project import MrrError

#: Every public mart, with the columns that identify one row.
MARTS: dict[str, list[str]] = {
    "fct_mrr_movements": ["month", "customer_id", "subscription_id", "item_id", "movement_type"],
    "fct_customer_mrr_monthly": ["month", "customer_id"],
    "dim_customers": ["customer_id"],
    "metrics_mrr_monthly": ["month"],
    "metrics_mrr_quarterly": ["quarter"],
    "metrics_mrr_yearly": ["year"],
    "metrics_mrr_monthly_by_segment": ["month", "segment"],
    "fct_plan_transitions": ["month", "from_plan_id", "to_plan_id", "transition_type"],
    "fct_cohort_retention": ["cohort_month", "months_since_start"],
}


def open_duckdb(database: Path, *, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """A connection to a built DuckDB warehouse in which every table is found by its name alone,
    whatever schema a `+schema` config put it in (main first, then the others by name)."""
    connection = duckdb.connect(str(database), read_only=read_only)
    schemas = [name for (name,) in connection.execute(
        "select schema_name from information_schema.schemata"
        " where catalog_name = current_database()"
        " and schema_name not in ('information_schema', 'pg_catalog')"
        " order by schema_name != 'main', schema_name"
    ).fetchall()]
    path = ",".join('"' + name.replace('"', '""') + '"' for name in schemas)
    connection.execute("set search_path = '" + path.replace("'", "''") + "'")
    return connection


def read_table(table: str, *, target: str = "duckdb", database: Path | None = None) -> pd.DataFrame:
    """All rows of `table` as built on `target` (a DuckDB file when target is duckdb)."""
    output = profile_output(target)
    kind = output["type"]
    if kind == "duckdb":
        if database is None or not database.exists():
            raise MrrError(f"No DuckDB database at {database}.")
        with open_duckdb(database) as connection:
            cursor = connection.execute(f"select * from {table}")
            return frame(cursor.fetchall(), [column[0] for column in cursor.description])
    if kind == "postgres":
        return read_postgres(output, table)
    if kind == "spark":
        from mrr.spark import spark_session

        session = spark_session()
        schemas = [row[0] for row in session.sql("show databases").collect()]
        schema = schema_of(table, output["schema"], [
            name for name in schemas if session.catalog.tableExists(f"{name}.{table}")])
        return session.table(f"{schema}.{table}").toPandas()
    raise MrrError(f"Reading tables from {kind} targets is not supported.")


def frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    """Rows as a DataFrame of Python values: decimals stay Decimal, so amounts stay exact."""
    return pd.DataFrame.from_records(rows, columns=columns, coerce_float=False)


def schema_of(table: str, target_schema: str, holding: list[str]) -> str:
    """Of the schemas holding table, the one a build on target_schema put it in: the target
    schema itself, else `<target schema>_<name>` (a layer's `+schema`: the marts are in
    `<target schema>_marts` by default)."""
    ours = sorted((name for name in holding
                   if name == target_schema or name.startswith(target_schema + "_")),
                  key=lambda name: (name != target_schema, name))
    if not ours:
        raise MrrError(f"No table {table} in schema {target_schema} or {target_schema}_*: build first.")
    return ours[0]


def read_postgres(output: dict, table: str) -> pd.DataFrame:
    connection = postgres_connection(output)
    try:
        with connection.cursor() as cursor:
            cursor.execute("select table_schema from information_schema.tables where table_name = %s",
                           (table,))
            schema = schema_of(table, output["schema"], [row[0] for row in cursor.fetchall()])
            cursor.execute(f'select * from "{schema}"."{table}"')
            return frame(cursor.fetchall(), [column.name for column in cursor.description])
    finally:
        connection.close()
