"""Incremental builds give exactly the marts of a full build, on generated data.

A warehouse is built on the input as it stood at an earlier date, then the newer input is built
into it incrementally (`mrr build --incremental`); a full build of the newer input into another
database must give the same rows in every mart and intermediate table."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from mrr.bench import input_known_on
from mrr.build import build
from mrr.dbt_invoke import run_dbt
from mrr.generate import generate
from mrr.project import BuildSpec

from conftest import run_query

PREVIOUS_AS_OF = dt.date(2024, 5, 15)  # mid-month: its snapshot must be recomputed
AS_OF = dt.date(2024, 6, 30)


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("incremental")
    generate(root / "input", customers=400, months=30, seed=5, start_month="2022-01-01")
    return root


def rewrite_input(source: Path, target: Path, table: str, select_sql: str) -> None:
    """Copy an input directory, with one table replaced by a query over the original (`{table}`
    in select_sql; `{subscriptions}` can be read too)."""
    shutil.copytree(source, target)
    originals = {name: f"read_parquet('{source / name}.parquet')" for name in (table, "subscriptions")}
    with duckdb.connect() as connection:
        connection.execute(
            f"copy ({select_sql.format(**originals)}) to '{target / table}.parquet' (format parquet)"
        )


def compare_every_table(incremental: Path, full: Path) -> dict[str, tuple[int, int]]:
    """Rows only in one database, per table (both ways, duplicates counted)."""
    differences = {}
    with duckdb.connect() as connection:
        connection.execute(f"attach '{incremental}' as incremental (read_only)")
        connection.execute(f"attach '{full}' as full_build (read_only)")
        tables = [name for (name,) in connection.execute(
            "select table_name from information_schema.tables where table_catalog = 'full_build'"
            " and table_type = 'BASE TABLE' and table_name != 'int_incremental_window'"
        ).fetchall()]
        assert {"fct_mrr_movements", "int_line_months", "metrics_mrr_monthly"} <= set(tables)
        for table in tables:
            counts = tuple(connection.execute(
                f"select count(*) from (select * from {one}.{table} except all select * from {other}.{table})"
            ).fetchone()[0] for one, other in (("incremental", "full_build"), ("full_build", "incremental")))
            if counts != (0, 0):
                differences[table] = counts
    return differences


def build_twice(root: Path, name: str, before: Path, before_as_of: dt.date, after: Path) -> tuple[Path, Path]:
    """(incremental database, full database) of the `after` input as of AS_OF."""
    incremental = root / f"{name}-incremental.duckdb"
    full = root / f"{name}-full.duckdb"
    build(BuildSpec(input_dir=before, database=incremental, as_of=before_as_of), quiet=True)
    build(BuildSpec(input_dir=after, database=incremental, as_of=AS_OF), quiet=True, incremental=True)
    build(BuildSpec(input_dir=after, database=full, as_of=AS_OF), quiet=True)
    return incremental, full


@pytest.fixture(scope="module")
def new_month(generated) -> tuple[Path, Path]:
    """The input as known on the previous as-of date (nothing starts later, nothing known ends),
    then the whole input built incrementally; and the whole input built in full."""
    known_then = input_known_on(generated / "input", generated / "known-then", PREVIOUS_AS_OF)
    return build_twice(generated, "new-month", known_then, PREVIOUS_AS_OF, generated / "input")


def test_a_new_month_of_input_built_incrementally_equals_a_full_build(new_month):
    incremental, full = new_month
    assert run_query(incremental, "select rebuild_from_month_index from int_incremental_window") == [
        (month_index(PREVIOUS_AS_OF),)
    ]
    assert compare_every_table(incremental, full) == {}


def month_literal(day: str) -> str:
    return f"cast('{day}' as date)"


def compile_nodes(database: Path, selectors: list[str], **dbt_vars: object) -> list:
    """`dbt compile` of the selected nodes against a built database (is_incremental() holds
    there): their results, each with its node."""
    return run_dbt(
        ["compile", "--select", *selectors], database=database,
        dbt_vars={"input_dir": "unused", "as_of_date": AS_OF.isoformat(), **dbt_vars}, quiet=True,
    ).results


def compiled_uniqueness_tests(database: Path, rebuilt_months_only: bool) -> dict[str, str]:
    """The compiled SQL of the key tests (unique_combination, unique) against database, by tested
    model (the last, for a model with several)."""
    results = compile_nodes(database, ["test_name:unique_combination", "test_name:unique"],
                            test_rebuilt_months_only=rebuilt_months_only)
    return {node.node.attached_node.split(".")[-1]: node.node.compiled_code for node in results}


def test_an_incremental_build_tests_the_months_it_rebuilt(new_month):
    """Var test_rebuilt_months_only (docs/materializations.md, "Tests of an incremental build"):
    the data tests of an incremental model read the months (or periods) it rebuilt, and nothing
    else changes. The rebuild starts in May 2024 (the previous as-of month; the later as-of month
    is June 2024). The flows table's rows read earlier months only (12 and 3 months back), so it
    rebuilds from May 2024 too. The metrics marts rebuild the periods holding a month from May
    2024 on, or from February-March 2024 (their expansions are judged by the flows rows 3 months
    later, expansion_retention_months), or the month after one (rebuilt_period_ranges with
    metrics_looks_ahead)."""
    incremental, _ = new_month
    tested = compiled_uniqueness_tests(incremental, rebuilt_months_only=True)
    assert f"where (month >= {month_literal('2024-05-01')})" in tested["fct_mrr_movements"]
    assert f"where (month >= {month_literal('2024-04-01')})" in tested["int_line_months"]
    assert f"where (month >= {month_literal('2024-05-01')})" in tested["int_customer_month_flows"]
    assert f"where (month >= {month_literal('2024-02-01')})" in tested["metrics_mrr_monthly"]
    assert f"where (quarter >= {month_literal('2024-01-01')})" in tested["metrics_mrr_quarterly"]
    assert f"where (year >= {month_literal('2024-01-01')})" in tested["metrics_mrr_yearly"]
    # no customer has other attributes: the customer-months are rebuilt (and tested) by month
    assert f"where (month >= {month_literal('2024-05-01')})" in tested["fct_customer_mrr_monthly"]
    # the segmented mart is tested whole, and without the var every model is (a filtered test
    # reads the model through get_where_subquery's dbt_subquery)
    assert "dbt_subquery" not in tested["metrics_mrr_monthly_by_segment"]
    untested = compiled_uniqueness_tests(incremental, rebuilt_months_only=False)
    assert not any("dbt_subquery" in sql for sql in untested.values())


def test_a_late_correction_is_rebuilt_from_its_month(generated):
    """A subscription of 2022 whose quantity is corrected later: the rebuild starts at its first
    month, and the result is still exactly the full build's."""
    corrected = generated / "corrected"
    rewrite_input(generated / "input", corrected, "subscriptions", """
        select * replace (
            case when subscription_id = (
                select min(subscription_id) from {subscriptions} where valid_from >= date '2022-03-01'
            ) then quantity + 1 else quantity end as quantity
        )
        from {subscriptions}""")
    with duckdb.connect() as connection:
        (first_month,) = connection.execute(f"""
            with periods as (select * from read_parquet('{generated / 'input' / 'subscriptions.parquet'}'))
            select min(valid_from) from periods
            where subscription_id = (
                select min(subscription_id) from periods where valid_from >= date '2022-03-01'
            )""").fetchone()
    incremental, full = build_twice(generated, "correction", generated / "input", AS_OF, corrected)
    assert run_query(incremental, "select rebuild_from_month_index from int_incremental_window") == [
        (month_index(first_month),)
    ]
    assert compare_every_table(incremental, full) == {}


def compiled_model(database: Path, model: str) -> str:
    """The compiled SQL of a model against a built database."""
    return compile_nodes(database, [model])[0].node.compiled_code


def test_the_segmented_mart_is_rebuilt_by_period_while_segments_stay(new_month):
    """docs/materializations.md, "Segments": with no customer in another segment and the same
    set of segments, metrics_mrr_monthly_by_segment reads and rebuilds the months that
    metrics_mrr_monthly does."""
    incremental, _ = new_month
    assert run_query(incremental, "select changed_segment_customers from int_incremental_window") == [(0,)]
    read = f"where (month_index >= {month_index(dt.date(2024, 1, 1))})"  # from the month before February
    assert read in compiled_model(incremental, "metrics_mrr_monthly")
    assert read in compiled_model(incremental, "metrics_mrr_monthly_by_segment")


def test_a_customer_moved_to_another_segment_rebuilds_every_segmented_month(generated):
    """A customer of the previous build with another segment in the new customers input (its
    subscriptions unchanged): its whole history moves, so every month of
    metrics_mrr_monthly_by_segment is rebuilt, and the result is exactly the full build's."""
    moved = generated / "moved"
    rewrite_input(generated / "input", moved, "customers", """
        select * replace (
            case when customer_id = (select min(customer_id) from {subscriptions} where valid_from < date '2022-06-01')
                then (case when segment = 'smb' then 'mid' else 'smb' end) else segment end as segment
        )
        from {customers}""")
    incremental, full = build_twice(generated, "moved", generated / "input", AS_OF, moved)
    assert run_query(
        incremental, "select changed_attribute_customers, changed_segment_customers from int_incremental_window"
    ) == [(1, 1)]
    assert compare_every_table(incremental, full) == {}
    assert "month_index between" not in compiled_model(incremental, "metrics_mrr_monthly_by_segment")
    # fct_customer_mrr_monthly, which carries the attributes, was rebuilt in full
    assert "where month_index >= 0\n" in compiled_model(incremental, "fct_customer_mrr_monthly")


def test_a_new_segment_rebuilds_every_segmented_month(generated):
    """Customers that first pay after the previous as-of date, in a segment no customer had: no
    customer of the previous build moved, but the new segment has a row (of zeros) in every month,
    so every month is rebuilt, and the result is exactly the full build's."""
    newcomers = generated / "newcomers"
    rewrite_input(generated / "input", newcomers, "customers", f"""
        select * replace (
            case when customer_id not in (
                select customer_id from {{subscriptions}} where valid_from <= date '{PREVIOUS_AS_OF}'
            ) then 'newcomer' else segment end as segment
        )
        from {{customers}}""")
    known_then = input_known_on(newcomers, generated / "newcomers-known-then", PREVIOUS_AS_OF)
    incremental, full = build_twice(generated, "newcomers", known_then, PREVIOUS_AS_OF, newcomers)
    assert run_query(incremental, "select changed_segment_customers from int_incremental_window") == [(0,)]
    assert run_query(incremental, "select count(*) > 0 from metrics_mrr_monthly_by_segment"
                                  " where segment = 'newcomer' and month < date '2022-06-01'") == [(True,)]
    assert compare_every_table(incremental, full) == {}


def test_a_new_customer_attribute_column_rebuilds_the_customer_months_in_full(generated):
    """docs/materializations.md: a customers input with another attribute column cannot be
    compared with the previous build's attributes; fct_customer_mrr_monthly, which carries them,
    is rebuilt in full (should_full_refresh()), with its columns in the order a full build
    gives, and every table is exactly the full build's."""
    widened = generated / "widened"
    rewrite_input(generated / "input", widened, "customers", """
        select customer_id, case when customer_id < 'cus_00000100' then 'gold' end as tier, * exclude (customer_id)
        from {customers}""")
    incremental, full = build_twice(generated, "widened", generated / "input", AS_OF, widened)
    assert run_query(
        incremental, "select customer_attributes, changed_attribute_customers from int_incremental_window"
    ) == [("tier,segment,country", None)]
    assert compare_every_table(incremental, full) == {}


def test_a_warehouse_of_another_rows_version_is_rebuilt_every_month(generated, new_month):
    """docs/materializations.md, "After an upgrade of the project": a warehouse written before
    incremental_rows_version() was recorded (its settings lack it) whose int_line_changes still
    holds a row that the current rules no longer write, in an old month. The incremental build
    rebuilds every month, so the row goes and every table equals the full build."""
    known_then = input_known_on(generated / "input", generated / "known-then-old", PREVIOUS_AS_OF)
    incremental = generated / "old-rows-incremental.duckdb"
    build(BuildSpec(input_dir=known_then, database=incremental, as_of=PREVIOUS_AS_OF), quiet=True)
    with duckdb.connect(str(incremental)) as connection:
        (settings,) = connection.execute("select build_settings from int_incremental_window").fetchone()
        older_settings = json.dumps({key: value for key, value in json.loads(settings).items()
                                     if key != "incremental_rows_version"})
        connection.execute("update int_incremental_window set build_settings = ?", [older_settings])
        # what the rules before version 2 also wrote: a line within its period in force
        connection.execute("""
            insert into int_line_changes by name
            select
                month, month_index, customer_id, 'kept' as line_change, plan_id as from_plan_id,
                plan_id as to_plan_id, subscription_id, item_id, product_id,
                previous_mrr_in_period as mrr_0, mrr as mrr_1
            from int_line_months
            where previous_mrr_in_period > 0 and month_index < ?
            limit 1""", [month_index(PREVIOUS_AS_OF) - 3])
    build(BuildSpec(input_dir=generated / "input", database=incremental, as_of=AS_OF), quiet=True,
          incremental=True)
    _, full = new_month
    assert run_query(incremental, "select rebuild_from_month_index from int_incremental_window") == [(0,)]
    assert compare_every_table(incremental, full) == {}
