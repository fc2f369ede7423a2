"""The Stripe adapter (issue 32, docs/stripe.md) on a hand-written fixture in Fivetran's layout.

tests/python/fixtures/stripe holds eleven customer stories as Fivetran's Stripe connector writes
them (subscription_history in history mode, subscription_item, invoice, invoice_line_item, price,
product, coupon, subscription_discount, customer) plus the contract's fx_rates (EUR 1.10, JPY
0.0068 from 2024-01-01). The MRR of each customer at each month end and every movement below are
worked out by hand from the stories, following Stripe's documented MRR definition as the adapter's
defaults implement it (trials, unpaid and canceled excluded, past_due and paused collection
included, metered and one-time prices excluded, only forever coupons counted, churn when the
subscription ends), with the products Business and Plus mapped to one family. The fixture is built
twice, through the runner (`mrr build --input-format stripe`) and as raw tables read through the
dbt source `stripe` by a host project that uses this one as a package, and the two give the same
marts.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from mrr.build import build, stripe_audit_rows
from mrr.load import history_mode_warning
from mrr.project import CHECKOUT_ROOT, STRIPE_TABLES, BuildSpec, MrrError
from mrr.validate import validate
from mrr.warehouse import MARTS, open_duckdb

FIXTURE = Path(__file__).parent / "fixtures" / "stripe"
AS_OF = dt.date(2024, 12, 31)
FAMILIES = {"mrr_stripe_product_families": {"prod_business": "core", "prod_plus": "core"}}
MONTHS = [dt.date(2024, month, 1) for month in range(1, 13)]


def months(first: int, last: int, amount: str) -> dict[dt.date, Decimal]:
    """amount at the end of each month from 2024-first to 2024-last."""
    return {dt.date(2024, month, 1): Decimal(amount) for month in range(first, last + 1)}


# Month-end MRR per customer (USD), months with MRR only.
EXPECTED_MRR: dict[str, dict[dt.date, Decimal]] = {
    # flat Starter $29 from 01-10; on 04-20 the same item swapped to 5 seats of Pro at $15,
    # prorated (a -$19.33 and a +$50.00 line): 5 × 15 = 75 from April
    "cus_upgrade": {**months(1, 3, "29.00"), **months(4, 12, "75.00")},
    # 3 seats × $15 = 45 from 02-01; a 4th seat on 06-15 without proration (history mode only):
    # 4 × 15 = 60 from June
    "cus_seats": {**months(2, 5, "45.00"), **months(6, 12, "60.00")},
    # Team yearly $1,200 / 12 = 100, with a forever 20 % coupon: 100 × 0.8 = 80 from 03-05
    "cus_annual": months(3, 12, "80.00"),
    # Basic EUR 40 × 1.10 = 44 from 01-15; cancelled on 08-03 at period end, ends 09-15: no MRR
    # at the end of September
    "cus_eur": months(1, 8, "44.00"),
    # trial 02-01 to 02-15, then Business $99; the 3-month 50 % coupon is not forever: not counted;
    # 2 × $10 add-on from 06-10 (prorated) to 09-20 (negative proration, item gone): 99 + 20 = 119
    "cus_trial": {**months(2, 5, "99.00"), **months(6, 8, "119.00"), **months(9, 12, "99.00")},
    # Starter $29 from 01-05, cancelled at once on 04-10; back on 08-01 with 2 × $15 = 30
    "cus_return": {**months(1, 3, "29.00"), **months(8, 12, "30.00")},
    # 2 × JPY 5,000 (zero-decimal: not divided by 100) = JPY 10,000 × 0.0068 = 68 from 05-01
    "cus_jpy": months(5, 12, "68.00"),
    # Plus $49 from 01-20 with a metered API item (left out); past_due from 10-20 still counts at
    # the end of October, unpaid from 11-05 does not
    "cus_dunning": months(1, 10, "49.00"),
    # Pro 1 × $15 from 03-01; collection paused (void) July and August still counts
    "cus_paused": months(3, 12, "15.00"),
    # Business $99 from 02-01, cancelled 06-01 and recreated the same day as Plus $49
    "cus_recreate": {**months(2, 5, "99.00"), **months(6, 12, "49.00")},
    # cus_trialing: trialing since 12-10: no MRR in any month
}

# Every movement: (month, customer, item, movement type, amount).
EXPECTED_MOVEMENTS: list[tuple[dt.date, str, str, str, Decimal]] = [
    # January: four customers start paying
    (dt.date(2024, 1, 1), "cus_upgrade", "si_upgrade", "new", Decimal("29.00")),  # Starter 29
    (dt.date(2024, 1, 1), "cus_eur", "si_eur", "new", Decimal("44.00")),  # EUR 40 × 1.10
    (dt.date(2024, 1, 1), "cus_return", "si_return_1", "new", Decimal("29.00")),  # Starter 29
    (dt.date(2024, 1, 1), "cus_dunning", "si_dunning_base", "new", Decimal("49.00")),  # Plus 49, metered item left out
    # February
    (dt.date(2024, 2, 1), "cus_seats", "si_seats", "new", Decimal("45.00")),  # 3 × 15
    (dt.date(2024, 2, 1), "cus_trial", "si_trial_base", "new", Decimal("99.00")),  # trial ended 02-15: 99, coupon not counted
    (dt.date(2024, 2, 1), "cus_recreate", "si_business", "new", Decimal("99.00")),  # Business 99
    # March
    (dt.date(2024, 3, 1), "cus_annual", "si_annual", "new", Decimal("80.00")),  # 1200 / 12 × 0.8
    (dt.date(2024, 3, 1), "cus_paused", "si_paused", "new", Decimal("15.00")),  # 1 × 15
    # April
    (dt.date(2024, 4, 1), "cus_upgrade", "si_upgrade", "upgrade", Decimal("46.00")),  # 75 − 29, one line
    (dt.date(2024, 4, 1), "cus_return", "si_return_1", "churn", Decimal("-29.00")),  # cancelled 04-10
    # May
    (dt.date(2024, 5, 1), "cus_jpy", "si_jpy", "new", Decimal("68.00")),  # JPY 10,000 × 0.0068
    # June
    (dt.date(2024, 6, 1), "cus_seats", "si_seats", "seat_expansion", Decimal("15.00")),  # 4 × 15 − 3 × 15
    (dt.date(2024, 6, 1), "cus_trial", "si_trial_addon", "add_on", Decimal("20.00")),  # 2 × 10
    (dt.date(2024, 6, 1), "cus_recreate", "si_plus", "downgrade", Decimal("-50.00")),  # 49 − 99, paired in family core
    # August
    (dt.date(2024, 8, 1), "cus_return", "si_return_2", "reactivation", Decimal("30.00")),  # 2 × 15
    # September
    (dt.date(2024, 9, 1), "cus_eur", "si_eur", "churn", Decimal("-44.00")),  # ended 09-15
    (dt.date(2024, 9, 1), "cus_trial", "si_trial_addon", "add_on_removal", Decimal("-20.00")),  # removed 09-20
    # November
    (dt.date(2024, 11, 1), "cus_dunning", "si_dunning_base", "churn", Decimal("-49.00")),  # unpaid from 11-05
]

# What the adapter leaves out: (reason, Stripe table, count).
EXPECTED_AUDIT = {
    ("canceled_status", "subscription_history", 3),  # sub_eur, sub_return_1, sub_business
    ("metered_price", "subscription_item", 1),  # si_dunning_api
    ("one_time_price", "invoice_line_item", 1),  # the $500 setup fee of cus_upgrade
    ("repeating_coupon_not_counted", "subscription_discount", 1),  # cus_trial's 3-month coupon
    ("trial", "subscription_history", 2),  # sub_trial, sub_trialing
    ("unpaid_status", "subscription_history", 1),  # sub_dunning
    ("void_invoice", "invoice", 2),  # cus_paused's July and August invoices
}


@pytest.fixture(scope="module")
def runner_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture built by the runner, as `mrr build --input-format stripe --unit-tests` does
    (the Stripe models' unit tests run only in a Stripe build)."""
    database = tmp_path_factory.mktemp("stripe_runner") / "runner.duckdb"
    build(BuildSpec(input_dir=FIXTURE, database=database, as_of=AS_OF, extra_vars=FAMILIES,
                    input_format="stripe"), quiet=True, unit_tests=True)
    return database


HOST_PROJECT = """
name: acme_analytics
version: "1.0.0"
config-version: 2
profile: acme
vars:
  as_of_date: "2024-12-31"
  mrr_input_format: stripe
  # where Fivetran put the Stripe tables, and one table named otherwise
  mrr_stripe_schema: fivetran_stripe
  mrr_stripe_customer_identifier: stripe_customers
  mrr_stripe_product_families: {prod_business: core, prod_plus: core}
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


@pytest.fixture(scope="module")
def source_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture as typed tables in a DuckDB warehouse (schema fivetran_stripe, the customer
    table named stripe_customers; fx_rates in raw), built by a host dbt project that installs this
    one as a package and selects the Stripe input with the vars, as on a warehouse Fivetran fills."""
    host = tmp_path_factory.mktemp("stripe_host")
    database = host / "warehouse.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema fivetran_stripe")
        connection.execute("create schema raw")
        for table in STRIPE_TABLES:
            path = str(FIXTURE / f"{table}.csv").replace("'", "''")
            name = "stripe_customers" if table == "customer" else table
            connection.execute(f"create table fivetran_stripe.{name} as select * from read_csv('{path}', header = true)")
        path = str(FIXTURE / "fx_rates.csv").replace("'", "''")
        connection.execute(f"create table raw.fx_rates as select * from read_csv('{path}', header = true)")
    (host / "dbt_project.yml").write_text(HOST_PROJECT)
    (host / "profiles.yml").write_text(HOST_PROFILE.format(database=database))
    (host / "packages.yml").write_text(f"packages:\n  - local: {CHECKOUT_ROOT}\n")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DBT_", "MRR_"))}
    env["DBT_PROFILES_DIR"] = str(host)
    for step in (["deps"], ["build", "--exclude-resource-type", "unit_test"]):
        result = subprocess.run([str(Path(sys.executable).with_name("dbt")), *step, "--project-dir", str(host)],
                                cwd=host, env=env, capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, result.stdout[-4000:]
    return database


def rows(database: Path, sql: str) -> list[tuple]:
    """A query on a built warehouse, its tables found by name whatever their schema."""
    with open_duckdb(database) as connection:
        return connection.execute(sql).fetchall()


def test_month_end_mrr_per_customer_is_worked_out_by_hand(runner_database: Path) -> None:
    built = {(month, customer): mrr for month, customer, mrr in rows(
        runner_database, "select month, customer_id, mrr from fct_customer_mrr_monthly where mrr <> 0")}
    expected = {(month, customer): amount
                for customer, by_month in EXPECTED_MRR.items() for month, amount in by_month.items()}
    assert built == expected
    ending = dict(rows(runner_database, "select month, ending_mrr from metrics_mrr_monthly"))
    for month in MONTHS:
        assert ending[month] == sum((amount for (at, _), amount in expected.items() if at == month), Decimal(0))
    assert ending[dt.date(2024, 12, 1)] == Decimal("476.00")


def test_movements_are_worked_out_by_hand(runner_database: Path) -> None:
    built = rows(runner_database, "select month, customer_id, item_id, movement_type, mrr_amount"
                                  " from fct_mrr_movements order by 1, 2, 3, 4")
    assert built == sorted(EXPECTED_MOVEMENTS)


def test_a_price_swapped_on_one_item_is_one_line_with_one_plan_change(runner_database: Path) -> None:
    periods = rows(runner_database, "select item_id, plan_id, quantity, valid_from, valid_to"
                                    " from int_stripe__subscriptions where subscription_id = 'sub_upgrade'"
                                    " order by valid_from")
    assert periods == [
        ("si_upgrade", "price_starter_m", 1, dt.date(2024, 1, 10), dt.date(2024, 4, 20)),
        ("si_upgrade", "price_pro_seat_m", 5, dt.date(2024, 4, 20), None),
    ]
    transitions = rows(runner_database, "select month, from_plan_id, to_plan_id, transition_type"
                                        " from fct_plan_transitions order by 1")
    assert (dt.date(2024, 4, 1), "price_starter_m", "price_pro_seat_m", "upgrade") in transitions


def test_what_is_left_out_is_counted(runner_database: Path) -> None:
    assert {(reason, table, count) for reason, table, count, _ in stripe_audit_rows(runner_database)} == EXPECTED_AUDIT


def test_runner_and_dbt_sources_give_the_same_marts(runner_database: Path, source_database: Path) -> None:
    for mart, key in MARTS.items():
        order = ", ".join(key)
        assert rows(runner_database, f"select * from {mart} order by {order}") == \
            rows(source_database, f"select * from {mart} order by {order}"), mart


def test_validate_checks_the_stripe_build_against_the_recomputation(runner_database: Path) -> None:
    checks, summary = validate(BuildSpec(input_dir=FIXTURE, database=runner_database, as_of=AS_OF,
                                         extra_vars=FAMILIES, input_format="stripe"))
    assert all(check.passed for check in checks), [check for check in checks if not check.passed]
    assert summary.startswith("17 subscription rows read, 10 customers, 12 months")


def test_mrr_validate_remembers_the_input_format(runner_database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from mrr.cli import main

    assert main(["validate", "--database", str(runner_database)]) == 0
    output = capsys.readouterr().out
    assert "--input-format not given: the format it was built from, stripe" in output
    assert "6 of 6 checks passed" in output


def test_a_missing_stripe_table_is_named_with_the_file_expected(tmp_path: Path) -> None:
    for path in FIXTURE.iterdir():
        if path.name != "invoice_line_item.csv":
            shutil.copy(path, tmp_path / path.name)
    with pytest.raises(MrrError, match=r"invoice_line_item\.csv or invoice_line_item\.parquet"):
        build(BuildSpec(input_dir=tmp_path, database=tmp_path / "mrr.duckdb", as_of=AS_OF,
                        input_format="stripe"), quiet=True)


def test_subscription_history_without_history_mode_says_what_falls_back(tmp_path: Path) -> None:
    assert history_mode_warning(FIXTURE) is None
    with duckdb.connect() as connection:
        source = str(FIXTURE / "subscription_history.csv").replace("'", "''")
        target = str(tmp_path / "subscription_history.csv").replace("'", "''")
        connection.execute(
            "copy (select * exclude (_fivetran_start, _fivetran_end, _fivetran_active)"
            f" from read_csv('{source}', header = true, all_varchar = true)) to '{target}' (header)"
        )
    warning = history_mode_warning(tmp_path)
    assert warning is not None
    assert "_fivetran_start" in warning and "falls back to its current state" in warning
