"""`mrr load`: put input-contract files into a warehouse as the dbt source tables `raw.<table>`.

Every column is loaded as text, exactly as a CSV holds it: staging casts and checks the values
on every engine the same way, so a bad value becomes a named rejection, never a load failure.
DuckDB needs no load: `mrr build` makes the sources views over the files (create_file_views).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb

from mrr.profile import postgres_connection, profile_output
from mrr.project import (
    HISTORY_MODE_COLUMNS, INPUT_TABLES, STRIPE_TABLES, MrrError, check_input, input_files,
    source_identifiers, source_schema, stripe_identifiers, stripe_input_files, stripe_schema,
)

BATCH_ROWS = 100_000
ROW_NUMBER = "input_row_number"


def file_relation(path: Path) -> str:
    """DuckDB's reader of an input file; a CSV is read as text, so that staging's casts decide
    what is a number."""
    escaped = str(path).replace("'", "''")
    if path.suffix == ".csv":
        return f"read_csv('{escaped}', header = true, all_varchar = true)"
    return f"read_parquet('{escaped}')"


def create_file_views(
    database: Path, input_dir: Path, dbt_vars: dict[str, object] | None = None,
    input_format: str = "contract",
) -> None:
    """On DuckDB, the input files as the dbt source relations `raw.<table>` (schema and names as
    the vars say): views that read the files while the build runs (nothing is copied). A table
    the directory lacks has no view, so staging sees an absent optional table. With Stripe input
    (input_format stripe), Fivetran's Stripe tables become the views `stripe.<table>` (var
    mrr_stripe_schema), and the contract's optional fx_rates file still `raw.fx_rates`."""
    with duckdb.connect(str(database)) as connection:
        replace_views(connection, database, source_schema(dbt_vars or {}), INPUT_TABLES,
                      source_identifiers(dbt_vars or {}), input_files(input_dir))
        if input_format == "stripe":
            replace_views(connection, database, stripe_schema(dbt_vars or {}), STRIPE_TABLES,
                          stripe_identifiers(dbt_vars or {}), stripe_input_files(input_dir))


def replace_views(
    connection: duckdb.DuckDBPyConnection, database: Path, schema_name: str, tables: tuple[str, ...],
    names: dict[str, str], files: dict[str, Path],
) -> None:
    """The views schema_name.<name> over files, for each of tables (none for a missing file)."""
    catalog = connection.execute("select current_database()").fetchone()[0].replace('"', '""')
    # qualified with the catalog: a database file named like the schema (stripe.duckdb) would
    # make the bare schema name ambiguous
    schema = f'"{catalog}".{quote(schema_name)}'
    connection.execute(f"create schema if not exists {schema}")
    for table in tables:
        view = f"{schema}.{quote(names[table])}"
        try:
            connection.execute(f"drop view if exists {view}")
        except duckdb.CatalogException as error:
            raise MrrError(f"{database} has a {view} that is not a view made by mrr: {error}") from error
        if table in files:
            connection.execute(f"create view {view} as select * from {file_relation(files[table])}")


def file_columns(path: Path) -> list[str]:
    """The column names of an input file, lowercase."""
    with duckdb.connect() as connection:
        return [row[0].lower() for row in connection.execute(f"describe select * from {file_relation(path)}").fetchall()]


def history_mode_warning(input_dir: Path) -> str | None:
    """A warning when the Stripe subscription_history file is not in Fivetran's history mode."""
    path = stripe_input_files(input_dir).get("subscription_history")
    if path is None:
        return None
    missing = [name for name in HISTORY_MODE_COLUMNS if name not in file_columns(path)]
    if not missing:
        return None
    return (f"warning: {path.name} has no {', '.join(missing)}: it is not in Fivetran's history mode."
            " Each subscription's status falls back to its current state (trialing from trial_start"
            " to trial_end, then its current status until ended_at), and quantity changes made"
            " without proration are not seen; price and quantity changes still come from the"
            " invoice lines (docs/stripe.md).")


def text_batches(path: Path) -> Iterator[tuple[list[str], list[tuple]]]:
    """The file's column names (lowercase) and its rows as text, in batches, each row ending with
    its input_row_number (1 = the first data row), so rejections point at the file's rows."""
    relation = file_relation(path)
    with duckdb.connect() as connection:
        columns = [row[0] for row in connection.execute(f"describe select * from {relation}").fetchall()]
        columns = [name for name in columns if name.lower() != ROW_NUMBER]
        casts = ", ".join(f'cast("{name}" as varchar) as "{name}"' for name in columns)
        cursor = connection.execute(f"select {casts} from {relation}")
        names = [name.lower() for name in columns] + [ROW_NUMBER]
        numbered = 0
        while rows := cursor.fetchmany(BATCH_ROWS):
            yield names, [(*row, str(numbered + offset)) for offset, row in enumerate(rows, start=1)]
            numbered += len(rows)


def quote(name: str) -> str:
    """name double-quoted, when it is a plain lowercase identifier; an MrrError otherwise."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise MrrError(f"{name!r} is not a plain identifier (lowercase letters, digits, underscores).")
    return f'"{name}"'


def load_postgres(output: dict[str, Any], schema: str, files: dict[str, Path], progress: Callable[[str], None]) -> dict[str, int]:
    """COPY each file into `schema.<table>` (text columns), replacing the table, in one transaction."""
    connection = postgres_connection(output)
    counts: dict[str, int] = {}
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute(f"create schema if not exists {quote(schema)}")
            for table, path in files.items():
                counts[table] = copy_into_postgres(cursor, f"{quote(schema)}.{quote(table)}", path)
                progress(f"  {schema}.{table}: {counts[table]:,} rows from {path.name}")
    finally:
        connection.close()
    return counts


def copy_into_postgres(cursor: Any, qualified: str, path: Path) -> int:
    rows_loaded = 0
    for index, (names, rows) in enumerate(text_batches(path)):
        if index == 0:
            # Staging views read this table: dropping them too is safe, the next build recreates them.
            cursor.execute(f"drop table if exists {qualified} cascade")
            cursor.execute(f"create table {qualified} ({', '.join(f'{quote(n)} text' for n in names)})")
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        buffer.seek(0)
        cursor.copy_expert(f"copy {qualified} from stdin with (format csv)", buffer)
        rows_loaded += len(rows)
    return rows_loaded


def load_spark(output: dict[str, Any], schema: str, files: dict[str, Path], progress: Callable[[str], None]) -> dict[str, int]:
    """Read each file with Spark itself and save it as the table `schema.<table>` (text columns)."""
    from mrr.spark import spark_session

    spark = spark_session()
    spark.sql(f"create database if not exists {schema}")
    counts: dict[str, int] = {}
    for table, path in files.items():
        if path.suffix == ".csv":
            frame = spark.read.option("header", True).option("inferSchema", False).csv(str(path))
        else:
            frame = spark.read.parquet(str(path))
        frame = numbered_in_file_order(frame.select(
            [frame[name].cast("string").alias(name.lower()) for name in frame.columns if name.lower() != ROW_NUMBER]
        ))
        frame.write.mode("overwrite").format("parquet").saveAsTable(f"{schema}.{table}")
        counts[table] = spark.table(f"{schema}.{table}").count()
        progress(f"  {schema}.{table}: {counts[table]:,} rows from {path.name}")
    return counts


def numbered_in_file_order(frame: Any) -> Any:
    """frame with input_row_number: monotonically_increasing_id() follows the file's order
    (partition by partition), and a window over it turns it into 1, 2, 3, ..."""
    from pyspark.sql import Window, functions

    order = Window.orderBy(functions.monotonically_increasing_id())
    return frame.withColumn(ROW_NUMBER, functions.row_number().over(order).cast("string"))


LOADERS = {"postgres": load_postgres, "spark": load_spark}


def load(
    input_dir: Path, target: str, *, schema: str | None = None, progress: Callable[[str], None] = print,
    input_format: str = "contract",
) -> dict[str, int]:
    """Load input_dir's files into target's raw schema (var mrr_source_schema unless given); rows per
    table. With Stripe input, Fivetran's Stripe tables go to the schema stripe (var
    mrr_stripe_schema) and an fx_rates file to the raw schema."""
    check_input(input_dir, input_format)
    output = profile_output(target)
    kind = output["type"]
    if kind == "duckdb":
        raise MrrError("On DuckDB `mrr build --input DIR` reads the files itself (as views raw.<table>):"
                       " it needs no load.")
    if kind not in LOADERS:
        raise MrrError(f"No loader for {kind} targets; loaders exist for: {', '.join(LOADERS)}.")
    schema = schema or source_schema({})
    counts: dict[str, int] = {}
    if input_format == "stripe":
        progress(f"Loading the Stripe tables of {input_dir} into {target} ({kind}) schema {stripe_schema({})}")
        counts.update(LOADERS[kind](output, stripe_schema({}), stripe_input_files(input_dir), progress))
    files = input_files(input_dir)
    if files:
        progress(f"Loading {input_dir} into {target} ({kind}) schema {schema}")
        counts.update(LOADERS[kind](output, schema, files, progress))
    return counts
