"""The bad-input catalogue (docs/input-checks.md): each rule's outcome in both modes."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest

from mrr.build import build
from mrr.cli import main
from mrr.project import BuildSpec, MrrError

from conftest import run_query

AS_OF = dt.date(2024, 6, 30)
COLUMNS = ["subscription_id", "item_id", "customer_id", "plan_id", "quantity", "unit_amount", "currency",
           "billing_interval", "interval_count", "discount_percent", "discount_amount", "is_trial",
           "valid_from", "valid_to"]
GOOD = {"subscription_id": "ok1", "item_id": "", "customer_id": "c1", "plan_id": "basic", "quantity": "1",
        "unit_amount": "50", "currency": "USD", "billing_interval": "month", "interval_count": "1",
        "discount_percent": "0", "discount_amount": "0", "is_trial": "false", "valid_from": "2024-01-01",
        "valid_to": ""}

# rule -> the rows (changes to GOOD) that break it; every row of an entry breaks that rule.
CATALOGUE: dict[str, list[dict[str, str]]] = {
    "missing_subscription_id": [{"subscription_id": ""}],
    "missing_customer_id": [{"subscription_id": "b2", "customer_id": ""}],
    "missing_plan_id": [{"subscription_id": "b3", "plan_id": ""}],
    "missing_valid_from": [{"subscription_id": "b4", "valid_from": ""}],
    "unparseable_valid_from": [{"subscription_id": "b5", "valid_from": "2024-13-45"}],
    "unparseable_valid_to": [{"subscription_id": "b6", "valid_to": "next year"}],
    "missing_unit_amount": [{"subscription_id": "b7", "unit_amount": ""}],
    "unit_amount_not_a_number": [{"subscription_id": "b8", "unit_amount": "fifty"}],
    "quantity_not_a_number": [{"subscription_id": "b9", "quantity": "a few"}],
    "interval_count_not_a_whole_number": [{"subscription_id": "b10", "interval_count": "1.5"}],
    "discount_percent_not_a_number": [{"subscription_id": "b11", "discount_percent": "10%"}],
    "discount_amount_not_a_number": [{"subscription_id": "b12", "discount_amount": "n/a"}],
    "is_trial_not_a_boolean": [{"subscription_id": "b13", "is_trial": "maybe"}],
    "negative_unit_amount": [{"subscription_id": "b14", "unit_amount": "-5"}],
    "negative_quantity": [{"subscription_id": "b15", "quantity": "-1"}],
    "negative_discount_amount": [{"subscription_id": "b16", "discount_amount": "-2"}],
    "discount_percent_out_of_range": [{"subscription_id": "b17", "discount_percent": "120"}],
    "unknown_billing_interval": [{"subscription_id": "b18", "billing_interval": "fortnight"}],
    "interval_count_below_one": [{"subscription_id": "b19", "interval_count": "0"}],
    "valid_to_not_after_valid_from": [{"subscription_id": "b20", "valid_to": "2024-01-01"}],
    "amount_out_of_range": [
        {"subscription_id": "b27", "unit_amount": "1e18"},
        {"subscription_id": "b28", "unit_amount": "1388888888888888.89", "quantity": "6", "billing_interval": "year"},
    ],
    "too_many_decimals": [
        {"subscription_id": "b29", "unit_amount": "0.000000001"},
        {"subscription_id": "b30", "discount_percent": "12.3456789"},
    ],
    "unknown_plan_id": [{"subscription_id": "b21", "plan_id": "nope"}],
    "unknown_customer_id": [{"subscription_id": "b22", "customer_id": "ghost"}],
    "duplicate_row": [{"subscription_id": "ok1"}],
    "customer_changes_within_line": [
        {"subscription_id": "b24", "valid_to": "2024-03-01"},
        {"subscription_id": "b24", "customer_id": "c2", "valid_from": "2024-03-01"},
    ],
    "currency_changes_within_line": [
        {"subscription_id": "b25", "valid_to": "2024-03-01"},
        {"subscription_id": "b25", "currency": "EUR", "valid_from": "2024-03-01"},
    ],
    "overlapping_periods": [
        {"subscription_id": "b26", "valid_to": "2024-04-01"},
        {"subscription_id": "b26", "valid_from": "2024-03-01", "unit_amount": "60"},
    ],
    "missing_fx_rate": [
        {"subscription_id": "b31", "currency": "GBP", "valid_to": "2024-03-01"},
        {"subscription_id": "b31", "currency": "GBP", "valid_from": "2024-03-01", "unit_amount": "60"},
    ],
}
NOT_ERRORS = [
    {"subscription_id": "fine1", "discount_amount": "80"},  # an amount discount above the price counts as 0
    {"subscription_id": "fine2", "valid_from": "2024-08-01"},  # starts after the as-of date
    {"subscription_id": "fine3", "currency": "GBP", "is_trial": "true"},  # a trial needs no fx rate
]


def write_input(directory: Path, rows: list[dict[str, str]]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "subscriptions.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    (directory / "plans.csv").write_text("plan_id,plan_name,product_id\nbasic,Basic,core\n")
    (directory / "customers.csv").write_text("customer_id,segment\nc1,smb\nc2,mid\n")
    (directory / "fx_rates.csv").write_text("currency,rate_date,rate_to_reporting\nEUR,2024-01-01,1.1\n")
    return directory


def catalogue_rows() -> tuple[list[dict[str, str]], dict[int, str]]:
    """The good row, the not-errors and every catalogue row; expected rule by input row number."""
    rows = [GOOD] + [{**GOOD, **change} for change in NOT_ERRORS]
    expected: dict[int, str] = {}
    for rule, changes in CATALOGUE.items():
        for change in changes:
            rows.append({**GOOD, **change})
            expected[len(rows)] = rule
    return rows, expected


@pytest.fixture(scope="module")
def bad_input(tmp_path_factory) -> tuple[Path, dict[int, str]]:
    rows, expected = catalogue_rows()
    return write_input(tmp_path_factory.mktemp("bad") / "input", rows), expected


@pytest.fixture(scope="module")
def failed_build(bad_input, tmp_path_factory) -> tuple[str, Path, Path]:
    """The build of the catalogue in the default mode: its error message and databases."""
    input_dir, _ = bad_input
    database = tmp_path_factory.mktemp("failed") / "mrr.duckdb"
    with pytest.raises(MrrError) as failure:
        build(BuildSpec(input_dir=input_dir, database=database, as_of=AS_OF), quiet=True)
    return str(failure.value), database, database.with_name("mrr.duckdb.failed")


@pytest.mark.parametrize("rule", sorted(CATALOGUE))
def test_fail_mode_names_the_rule_the_file_the_count_and_examples(rule, bad_input, failed_build):
    input_dir, expected = bad_input
    message, _, _ = failed_build
    rows = sorted(number for number, found in expected.items() if found == rule)
    assert f"row(s) of {input_dir / 'subscriptions.csv'} break the input contract" in message
    assert f"  {rule}: {len(rows)} row(s), e.g." in message
    # the first example as the file has it: the line (header = line 1) and the values as written
    example = next(line for line in message.splitlines() if line.startswith(f"    line {rows[0] + 1}: "))
    for column, written in CATALOGUE[rule][0].items():
        assert f"{column}={written!r}" in example, (column, example)


def test_fail_mode_replaces_no_mart_and_keeps_the_audit_table(bad_input, failed_build):
    _, expected = bad_input
    _, database, failed = failed_build
    assert not database.exists(), "no mart was built"
    audit = dict(run_query(failed, "select input_row_number, rejection_reason from int_subscription_periods_checked"
                                   " where rejection_reason is not null"))
    assert audit == expected


@pytest.fixture(scope="module")
def quarantined_build(bad_input, tmp_path_factory) -> tuple[list[str], Path]:
    """The catalogue built with on_invalid: quarantine: the runner's output lines and database."""
    input_dir, _ = bad_input
    database = tmp_path_factory.mktemp("quarantined") / "mrr.duckdb"
    args = ["--input", str(input_dir), "--database", str(database), "--as-of", AS_OF.isoformat(),
            "--vars", "{on_invalid: quarantine}"]
    with contextlib.redirect_stdout(io.StringIO()) as output:
        assert main(["build", *args]) == 0
        assert main(["validate", *args]) == 0
    return output.getvalue().splitlines(), database


@pytest.mark.parametrize("rule", sorted(CATALOGUE))
def test_quarantine_mode_sets_the_rule_aside_with_its_reason(rule, bad_input, quarantined_build):
    _, expected = bad_input
    lines, database = quarantined_build
    rows = sorted(number for number, found in expected.items() if found == rule)
    audit = run_query(database, "select input_row_number from int_subscription_periods_checked"
                                f" where rejection_reason = '{rule}' order by 1")
    assert [number for (number,) in audit] == rows
    quarantined = next(line for line in lines if line.startswith("Quarantined"))
    assert f"{rule}: {len(rows)}" in quarantined


def test_quarantine_mode_builds_the_rest_and_accounts_for_every_row(bad_input, quarantined_build):
    _, expected = bad_input
    lines, database = quarantined_build
    (mrr,) = run_query(database, "select sum(mrr) from fct_customer_mrr_monthly where month = date '2024-06-01'")[0]
    assert mrr == 50  # only the good row; the 100 %-capped discount line counts as 0
    assert f"PASS  input rows = used + rejected: {len(expected) + 4} read = 4 used + {len(expected)} rejected" in lines
    assert lines[-1].endswith("6 of 6 checks passed.")


MODES = ["fail", "quarantine"]


def spec_for(input_dir: Path, database: Path, mode: str) -> BuildSpec:
    return BuildSpec(input_dir=input_dir, database=database, as_of=AS_OF, extra_vars={"on_invalid": mode})


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "files, message",
    [
        ({}, "has no subscriptions.csv or subscriptions.parquet"),
        ({"subscriptions.csv": "subscription_id,customer_id\ns1,c1\n"}, "lacks required column 'plan_id'"),
        ({"subscriptions.csv": ",".join(COLUMNS) + "\n", "subscriptions.parquet": ""}, "keep one"),
    ],
    ids=["missing file", "missing column", "csv and parquet"],
)
def test_file_level_errors_stop_the_build_in_both_modes(tmp_path, files, message, mode):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    with pytest.raises(MrrError, match=message):
        build(spec_for(tmp_path, tmp_path / "db.duckdb", mode), quiet=True)


def test_missing_fx_rate_stops_the_default_build_naming_currency_and_month(tmp_path):
    rows = [GOOD, {**GOOD, "subscription_id": "gbp", "currency": "GBP", "valid_from": "2024-02-10"}]
    input_dir = write_input(tmp_path / "input", rows)
    with pytest.raises(MrrError, match=r"missing_fx_rate: 1 row\(s\)[\s\S]*"
                                       r"No fx rate for currency GBP in month 2024-02-01 \(1 row\(s\)\)"):
        build(spec_for(input_dir, tmp_path / "db.duckdb", "fail"), quiet=True)


def test_missing_fx_rate_is_quarantined_and_reported(tmp_path):
    """With on_invalid: quarantine the line without a rate is set aside, the rest is built, and
    the runner's summary and `mrr validate` account for it."""
    rows = [GOOD, {**GOOD, "subscription_id": "gbp", "currency": "GBP", "valid_from": "2024-02-10"}]
    input_dir = write_input(tmp_path / "input", rows)
    database = tmp_path / "db.duckdb"
    args = ["--input", str(input_dir), "--database", str(database), "--as-of", AS_OF.isoformat(),
            "--vars", "{on_invalid: quarantine}"]
    with contextlib.redirect_stdout(io.StringIO()) as output:
        assert main(["build", *args]) == 0
        assert main(["validate", *args]) == 0
    assert "Quarantined 1 invalid input row(s) (missing_fx_rate: 1)" in output.getvalue()
    assert run_query(database, "select rejection_reason, rejection_detail from int_subscription_periods_checked"
                               " where subscription_id = 'gbp'") == [
        ("missing_fx_rate", "No fx rate for currency GBP in month 2024-02-01")
    ]
    assert run_query(database, "select distinct mrr from fct_customer_mrr_monthly") == [(Decimal("50.00"),)]


@pytest.mark.parametrize("mode", MODES)
def test_duplicate_fx_rate_is_a_rejection_rule(tmp_path, mode):
    """Two rates for one currency and date: both rows are duplicate_fx_rate (no silent choice of
    the higher one). The default build stops naming the file and rule; quarantine leaves both
    out, so EUR's January rate is gone and the EUR line that needs it is missing_fx_rate."""
    rows = [GOOD, {**GOOD, "subscription_id": "eur", "currency": "EUR"}]
    input_dir = write_input(tmp_path / "input", rows)
    (input_dir / "fx_rates.csv").write_text(
        "currency,rate_date,rate_to_reporting\nEUR,2024-01-01,1.1\neur,2024-01-01,1.2\nEUR,2024-03-01,1.05\n")
    database = tmp_path / "db.duckdb"
    if mode == "fail":
        with pytest.raises(MrrError, match=r"2 row\(s\) of \S*fx_rates.csv break the input contract:\n"
                                           r"  duplicate_fx_rate: 2 row\(s\), e.g.\n    line 2: currency='EUR'"):
            build(spec_for(input_dir, database, mode), quiet=True)
        return
    args = ["--input", str(input_dir), "--database", str(database), "--as-of", AS_OF.isoformat(),
            "--vars", "{on_invalid: quarantine}"]
    with contextlib.redirect_stdout(io.StringIO()) as output:
        assert main(["build", *args]) == 0
        assert main(["validate", *args]) == 0
    assert ("Quarantined 3 invalid input row(s) (missing_fx_rate: 1, duplicate_fx_rate (fx_rates): 2); see table(s)"
            " int_subscription_periods_checked and int_fx_rates_checked.") in output.getvalue()
    assert run_query(database, "select input_row_number, rejection_reason from int_fx_rates_checked order by 1") == [
        (1, "duplicate_fx_rate"), (2, "duplicate_fx_rate"), (3, None)
    ]


def test_a_line_without_a_net_price_needs_no_fx_rate(tmp_path):
    """docs/definitions.md, FX: only a line with a net price above zero needs its currency's rate."""
    rows = [
        GOOD,
        {**GOOD, "subscription_id": "gbp_trial", "currency": "GBP", "is_trial": "true"},
        {**GOOD, "subscription_id": "gbp_free", "currency": "GBP", "discount_percent": "100"},
    ]
    input_dir = write_input(tmp_path / "input", rows)
    database = tmp_path / "db.duckdb"
    build(BuildSpec(input_dir=input_dir, database=database, as_of=AS_OF), quiet=True)
    assert run_query(database, "select month, sum(mrr) from fct_customer_mrr_monthly group by 1 order by 1") == [
        (dt.date(2024, month, 1), Decimal("50.00")) for month in range(1, 7)
    ]


def test_extra_columns_and_an_empty_optional_file_are_not_errors(tmp_path):
    input_dir = write_input(tmp_path / "input", [])
    with (input_dir / "subscriptions.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*COLUMNS, "notes"])
        writer.writeheader()
        writer.writerow({**GOOD, "notes": "imported from the old system"})
    (input_dir / "plans.csv").write_text("plan_id,plan_name,product_id\n")
    database = tmp_path / "db.duckdb"
    build(BuildSpec(input_dir=input_dir, database=database, as_of=AS_OF), quiet=True)
    assert run_query(database, "select sum(mrr) from fct_customer_mrr_monthly where month = date '2024-06-01'") == [
        (Decimal("50.00"),)
    ]


def test_empty_subscriptions_file_is_an_error(tmp_path):
    input_dir = write_input(tmp_path / "input", [])
    with pytest.raises(MrrError, match="has_rows_stg_subscriptions"):
        build(BuildSpec(input_dir=input_dir, database=tmp_path / "db.duckdb", as_of=AS_OF), quiet=True)


def test_unsafe_customer_attribute_header_is_refused(tmp_path):
    input_dir = write_input(tmp_path / "input", [GOOD])
    (input_dir / "customers.csv").write_text('customer_id,"segment; drop table x"\nc1,smb\n')
    with pytest.raises(MrrError, match="Unsafe identifier"):
        build(BuildSpec(input_dir=input_dir, database=tmp_path / "db.duckdb", as_of=AS_OF), quiet=True)


def test_an_amount_past_the_intermediate_bound_stops_the_build(tmp_path):
    """docs/definitions.md, "Size of an amount": on DuckDB a customer-month's MRR is exact up to
    $9,999,999,999,999,999.99 in the intermediate tables, and one cent more stops the build
    (leaving no warehouse behind) instead of giving a wrong number."""
    largest = {**GOOD, "subscription_id": "big", "customer_id": "c1", "unit_amount": "99999999999999.9999",
               "quantity": "100"}
    database = tmp_path / "db.duckdb"
    build(BuildSpec(input_dir=write_input(tmp_path / "largest", [largest]), database=database, as_of=AS_OF),
          quiet=True)
    assert run_query(database, "select distinct mrr from fct_customer_mrr_monthly") == [
        (Decimal("9999999999999999.99"),)
    ]
    one_cent_more = [largest, {**GOOD, "subscription_id": "cent", "customer_id": "c1", "unit_amount": "0.01"}]
    past = tmp_path / "past.duckdb"
    with pytest.raises(MrrError, match=r"int_customer_months[\s\S]*out of range"):
        build(BuildSpec(input_dir=write_input(tmp_path / "past", one_cent_more), database=past, as_of=AS_OF),
              quiet=True)
    assert not past.exists()


def test_padded_ids_and_codes_in_any_case_are_one_and_usage_prices_are_exact(tmp_path):
    """Issue 29, parts 2 and 3, through the build and `mrr validate`: ' c1 ', 'c1' and 'c1<tab>' are
    one customer (also in customers.csv), ' basic ' is plan basic, 'usd' and 'Eur' are USD and EUR
    (also the reporting_currency var and fx_rates' 'eur'), 'Year' is year; 0.00025 x 1,000,000
    calls is $250.00 and 12.345678 % off $1,000,000 is $876,543.22."""
    rows = [
        {**GOOD, "subscription_id": " annual ", "customer_id": " c1 ", "plan_id": " basic ", "currency": "usd",
         "billing_interval": "Year", "unit_amount": "1200"},
        {**GOOD, "subscription_id": "calls", "customer_id": "c1\t", "unit_amount": "0.00025", "quantity": "1000000"},
        {**GOOD, "subscription_id": "eur", "customer_id": "c1", "currency": "Eur", "unit_amount": "100"},
        {**GOOD, "subscription_id": "big", "customer_id": "c2", "unit_amount": "1000000",
         "discount_percent": "12.345678"},
    ]
    input_dir = write_input(tmp_path / "input", rows)
    (input_dir / "customers.csv").write_text("customer_id,segment\n c1,smb\nc2 ,mid\n")
    (input_dir / "fx_rates.csv").write_text("currency,rate_date,rate_to_reporting\neur,2024-01-01,1.1\n")
    database = tmp_path / "db.duckdb"
    args = ["--input", str(input_dir), "--database", str(database), "--as-of", AS_OF.isoformat(),
            "--vars", "{reporting_currency: usd}"]
    with contextlib.redirect_stdout(io.StringIO()) as output:
        assert main(["build", *args]) == 0
        assert main(["validate", *args]) == 0, output.getvalue()
    assert run_query(database, "select customer_id, mrr, segment from fct_customer_mrr_monthly"
                               " where month = date '2024-06-01' order by 1") == [
        ("c1", Decimal("460.00"), "smb"),  # 100 + 250 + 110
        ("c2", Decimal("876543.22"), "mid"),
    ]
    assert run_query(database, "select subscription_id, customer_id, plan_id, currency, billing_interval"
                               " from int_subscription_periods_checked order by 1") == [
        ("annual", "c1", "basic", "USD", "year"), ("big", "c2", "basic", "USD", "month"),
        ("calls", "c1", "basic", "USD", "month"), ("eur", "c1", "basic", "EUR", "month"),
    ]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("file, text, test", [
    ("plans.csv", "plan_id,plan_name,product_id\nbasic,Basic,core\n basic ,Basic,other\n", "duplicate_plan_id"),
    ("customers.csv", "customer_id,segment\nc1,smb\nc1\t,mid\n", "duplicate_customer_id"),
], ids=["plans", "customers"])
def test_an_id_twice_in_plans_or_customers_stops_the_build_in_both_modes(tmp_path, mode, file, text, test):
    """A plan on two rows (here 'basic' and ' basic ', one id once trimmed) would have two products,
    a customer two segments: no choice is made, and no subscription row is to blame, so the
    build stops in both modes, naming the test."""
    input_dir = write_input(tmp_path / "input", [GOOD])
    (input_dir / file).write_text(text)
    with pytest.raises(MrrError, match=rf"{test} \[fail\]"):
        build(spec_for(input_dir, tmp_path / "db.duckdb", mode), quiet=True)
