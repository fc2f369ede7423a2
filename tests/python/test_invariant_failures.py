"""The invariants and key tests fail on a warehouse that breaks them (tests that can fail).

The demo warehouse passes every dbt data test (conftest.demo_database). A copy of it is broken
on purpose, one rule at a time, and the dbt test of that rule must then return exactly the rows
that break it. Customer c01 of the demo data (docs/demo-data.md) has one line, s01 on starter_m
at $50.00 a month in USD, from January to March 2024; it moves to pro_m in April.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mrr.dbt_invoke import run_dbt
from mrr.project import DEMO_AS_OF, MrrError
from mrr.warehouse import open_duckdb

DEMO_VARS = {"as_of_date": DEMO_AS_OF.isoformat()}


def broken_copy(demo_database: Path, tmp_path: Path, sql: str) -> Path:
    """A copy of the demo warehouse with `sql` run on it."""
    database = tmp_path / "broken.duckdb"
    shutil.copy(demo_database, database)
    with open_duckdb(database, read_only=False) as connection:
        connection.execute(sql)
    return database


def failures(database: Path, selector: str) -> str:
    """The failure report of `dbt test --select selector` (raises if every test passes)."""
    with pytest.raises(MrrError) as failed:
        run_dbt(["test", "--select", selector], database=database, dbt_vars=DEMO_VARS, quiet=True)
    return str(failed.value)


def test_a_movement_of_a_customer_whose_lines_did_not_change_fails_the_invariant(demo_database, tmp_path):
    """assert_no_movement_for_unchanged_customer compares a line's terms and rate through one
    fingerprint (columns_fingerprint): c01's line is the same at the end of February and of March
    2024, so a movement in March is one row too many. Its upgrade in April, a real change, is not
    flagged: the demo warehouse passes the test with it (a fingerprint that took changed terms for
    unchanged ones would flag it)."""
    database = broken_copy(demo_database, tmp_path, """
        insert into int_mrr_movements
        select date '2024-03-01', 'c01', 's01', '', 'expansion', 'expansion', 10.00,
            'starter_m', 'starter_m', 'core'
    """)
    report = failures(database, "assert_no_movement_for_unchanged_customer")
    assert "assert_no_movement_for_unchanged_customer [fail]: Got 1 result" in report
    run_dbt(["test", "--select", "assert_no_movement_for_unchanged_customer"],
            database=demo_database, dbt_vars=DEMO_VARS, quiet=True)


def test_a_copied_row_fails_the_key_tests(demo_database, tmp_path):
    """unique_combination finds a repeated key through fingerprints on DuckDB, then rechecks the
    rows on the key columns: a copy of c01's line-month of March 2024 and of its new movement of
    January (in int_mrr_movements, whose rows the view fct_mrr_movements publishes) are each one
    duplicated combination."""
    database = broken_copy(demo_database, tmp_path, """
        insert into int_line_months
        select * from int_line_months where customer_id = 'c01' and month = date '2024-03-01';
        insert into int_mrr_movements
        select * from int_mrr_movements where customer_id = 'c01' and month = date '2024-01-01'
    """)
    report = failures(
        database,
        "test_name:unique_combination,int_line_months test_name:unique_combination,fct_mrr_movements",
    )
    failed = [line for line in report.splitlines() if "[fail]" in line]
    assert len(failed) == 2
    assert all("unique_combination" in line and "Got 1 result" in line for line in failed)
    assert any("int_line_months" in line for line in failed)
    assert any("fct_mrr_movements" in line for line in failed)


def test_a_repeated_effect_fails_the_movements_key_test(demo_database, tmp_path):
    """int_line_change_effects is a view without a key test of its own (docs/materializations.md):
    fct_mrr_movements (the view of int_mrr_movements) holds each of its rows once with the same
    key, so its unique_combination test is the view's. c01's upgrade of April 2024 given twice by
    the view is one duplicated combination in the movements built from it."""
    database = broken_copy(demo_database, tmp_path, """
        alter view int_line_change_effects rename to int_line_change_effects_once;
        create view int_line_change_effects as
        select * from int_line_change_effects_once
        union all
        select * from int_line_change_effects_once
        where customer_id = 'c01' and month = date '2024-04-01' and movement_type = 'upgrade'
    """)
    run_dbt(["run", "--select", "int_mrr_movements", "--full-refresh"], database=database,
            dbt_vars=DEMO_VARS, quiet=True)
    report = failures(database, "test_name:unique_combination,fct_mrr_movements")
    failed = [line for line in report.splitlines() if "[fail]" in line]
    assert len(failed) == 1
    assert "fct_mrr_movements" in failed[0] and "Got 1 result" in failed[0]


def test_without_as_of_date_a_build_reports_as_of_the_day_it_runs(demo_database, tmp_path):
    """A host project that sets no as_of_date gets its marts as of the run's date (UTC), never
    the demo's 2024-12-31 (docs: README, "Use it in your dbt project")."""
    import datetime as dt

    database = tmp_path / "today.duckdb"
    shutil.copy(demo_database, database)
    started = dt.datetime.now(dt.timezone.utc).date()
    run_dbt(["run", "--select", "int_months"], database=database, quiet=True)
    with open_duckdb(database) as connection:
        (last,) = connection.execute("select max(snapshot_date) from int_months").fetchone()
    assert last in (started, dt.datetime.now(dt.timezone.utc).date())
