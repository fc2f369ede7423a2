"""Hand-computed examples for the independent reference computation (scripts/mrr/reference.py).

Each test writes a tiny input directory and checks exact Decimal amounts: the published examples
of issue 3, one fx example, the reactivation window, the snapshot rule and the rounding rule.
"""

from __future__ import annotations

import csv
import tempfile
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mrr.reference import InputError, Reference, compute

AS_OF = date(2024, 12, 31)


def write_csv(directory: Path, name: str, rows: list[dict[str, object]]) -> None:
    """Write rows (dicts; missing keys left empty) as directory/name.csv."""
    columns = list(dict.fromkeys(key for row in rows for key in row))
    with open(directory / f"{name}.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)


def sub(subscription_id: str, valid_from: str, valid_to: str = "", customer_id: str = "c1",
        plan_id: str = "p", unit_amount: str = "10", **extra: object) -> dict[str, object]:
    """One subscriptions row with the required columns and any optional ones."""
    return {"subscription_id": subscription_id, "customer_id": customer_id, "plan_id": plan_id,
            "unit_amount": unit_amount, "valid_from": valid_from, "valid_to": valid_to, **extra}


def run(tmp_path: Path, rows: list[dict[str, object]], as_of: date = AS_OF,
        **options: object) -> Reference:
    write_csv(tmp_path, "subscriptions", rows)
    return compute(tmp_path, as_of, **options)


def mrr_of(result: Reference, month: date, customer_id: str = "c1") -> Decimal | None:
    """The customer's MRR in a month, None when it has none."""
    frame = result.customer_mrr
    match = frame[(frame["month"] == month) & (frame["customer_id"] == customer_id)]
    return match["mrr"].iloc[0] if len(match) else None


def moves(result: Reference, month: date | None = None) -> list[tuple]:
    """(month, subscription_id, item_id, movement_type, mrr_amount) rows, optionally one month."""
    frame = result.movements
    if month is not None:
        frame = frame[frame["month"] == month]
    return list(frame[["month", "subscription_id", "item_id", "movement_type", "mrr_amount"]]
                .itertuples(index=False, name=None))


def assert_reconciles(result: Reference) -> None:
    """Movements sum to each customer-month's MRR change; the bridge adds up every month."""
    mrr = result.customer_mrr.set_index(["customer_id", "month"])["mrr"]
    sums = result.movements.groupby(["customer_id", "month"])["mrr_amount"].sum()
    for (customer_id, month), amount in sums.items():
        before = mrr.get((customer_id, date(month.year - (month.month == 1),
                                            (month.month - 2) % 12 + 1, 1)), Decimal(0))
        assert mrr.get((customer_id, month), Decimal(0)) - before == amount
    for row in result.bridge.itertuples():
        assert (row.starting_mrr + row.new_mrr + row.reactivation_mrr + row.expansion_mrr
                - row.contraction_mrr - row.churned_mrr + row.fx_mrr == row.ending_mrr)


def test_plan_change_from_50_to_150_is_a_100_upgrade(tmp_path: Path) -> None:
    result = run(tmp_path, [
        sub("s1", "2024-01-01", "2024-02-01", plan_id="starter", unit_amount="50"),
        sub("s1", "2024-02-01", plan_id="pro", unit_amount="150"),
    ])
    assert moves(result, date(2024, 2, 1)) == [
        (date(2024, 2, 1), "s1", "", "upgrade", Decimal("100.00"))]
    assert_reconciles(result)


def test_plan_change_from_100_to_150_is_50_expansion(tmp_path: Path) -> None:
    result = run(tmp_path, [
        sub("s1", "2024-01-01", "2024-02-01", plan_id="a", unit_amount="100"),
        sub("s1", "2024-02-01", plan_id="b", unit_amount="150"),
    ])
    february = result.bridge[result.bridge["month"] == date(2024, 2, 1)].iloc[0]
    assert february["expansion_mrr"] == Decimal("50.00")
    assert february["contraction_mrr"] == Decimal("0.00")


def test_annual_plan_of_1200_is_100_mrr(tmp_path: Path) -> None:
    result = run(tmp_path, [sub("s1", "2024-01-01", unit_amount="1200",
                                billing_interval="year")])
    assert mrr_of(result, date(2024, 1, 1)) == Decimal("100.00")


def test_seat_story_new_add_on_removal_churn_reactivation(tmp_path: Path) -> None:
    result = run(tmp_path, [
        sub("annual", "2024-01-01", "2024-04-01", unit_amount="500", quantity=4,
            billing_interval="year"),
        sub("extra", "2024-02-01", "2024-03-01", plan_id="addon", unit_amount="30", quantity=2),
        sub("return", "2024-06-01", plan_id="monthly", unit_amount="50", quantity=3),
    ])
    assert moves(result) == [
        (date(2024, 1, 1), "annual", "", "new", Decimal("166.67")),
        (date(2024, 2, 1), "extra", "", "add_on", Decimal("60.00")),
        (date(2024, 3, 1), "extra", "", "add_on_removal", Decimal("-60.00")),
        (date(2024, 4, 1), "annual", "", "churn", Decimal("-166.67")),
        (date(2024, 6, 1), "return", "", "reactivation", Decimal("150.00")),
    ]
    assert_reconciles(result)


def test_120_per_year_at_10_percent_off_is_9(tmp_path: Path) -> None:
    result = run(tmp_path, [sub("s1", "2024-01-01", unit_amount="120", billing_interval="year",
                                discount_percent=10)])
    assert mrr_of(result, date(2024, 1, 1)) == Decimal("9.00")


def test_discount_ending_is_discount_end_not_upgrade(tmp_path: Path) -> None:
    result = run(tmp_path, [
        sub("s1", "2024-01-01", "2024-02-01", unit_amount="10", discount_percent=50),
        sub("s1", "2024-02-01", unit_amount="10"),
    ])
    assert mrr_of(result, date(2024, 1, 1)) == Decimal("5.00")
    assert moves(result, date(2024, 2, 1)) == [
        (date(2024, 2, 1), "s1", "", "discount_end", Decimal("5.00"))]


@pytest.mark.parametrize(("interval", "amount", "expected"), [
    ("quarter", "90", "30.00"),
    ("week", "12", "52.00"),
    ("day", "1", "30.42"),
    ("month", "10", "10.00"),
])
def test_billing_interval_factor(tmp_path: Path, interval: str, amount: str,
                                 expected: str) -> None:
    result = run(tmp_path, [sub("s1", "2024-01-01", unit_amount=amount,
                                billing_interval=interval)])
    assert mrr_of(result, date(2024, 1, 1)) == Decimal(expected)


def test_interval_count_divides_the_factor(tmp_path: Path) -> None:
    result = run(tmp_path, [sub("s1", "2024-01-01", unit_amount="120", billing_interval="month",
                                interval_count=6)])
    assert mrr_of(result, date(2024, 1, 1)) == Decimal("20.00")


def test_trial_month_then_paid_month_is_new_only_in_the_paid_month(tmp_path: Path) -> None:
    result = run(tmp_path, [
        sub("s1", "2024-01-01", "2024-02-01", unit_amount="20", is_trial="true"),
        sub("s1", "2024-02-01", unit_amount="20", is_trial="false"),
    ])
    assert mrr_of(result, date(2024, 1, 1)) is None
    assert moves(result) == [(date(2024, 2, 1), "s1", "", "new", Decimal("20.00"))]
    assert result.bridge["month"].iloc[0] == date(2024, 2, 1)


def test_period_mid_january_to_mid_february_counts_in_january_churns_in_february(
        tmp_path: Path) -> None:
    result = run(tmp_path, [sub("s1", "2024-01-15", "2024-02-15", unit_amount="30")])
    assert mrr_of(result, date(2024, 1, 1)) == Decimal("30.00")
    assert mrr_of(result, date(2024, 2, 1)) is None
    assert moves(result) == [
        (date(2024, 1, 1), "s1", "", "new", Decimal("30.00")),
        (date(2024, 2, 1), "s1", "", "churn", Decimal("-30.00")),
    ]


def test_subscription_replaced_same_day_by_a_dearer_one_is_an_upgrade(tmp_path: Path) -> None:
    result = run(tmp_path, [
        sub("old", "2024-01-01", "2024-03-01", plan_id="starter", unit_amount="50"),
        sub("new", "2024-03-01", plan_id="pro", unit_amount="150"),
    ])
    assert moves(result, date(2024, 3, 1)) == [
        (date(2024, 3, 1), "new", "", "upgrade", Decimal("100.00"))]


@pytest.mark.parametrize("old, new, movement", [
    # Starter at a flat $29 -> 5 seats of Pro at $15 ($75): sequential substitution said a $14
    # downgrade and $60 of seats; the plan change is one upgrade of $46 (issue 29)
    (("starter", "29", 1, 0), ("pro", "15", 5, 0), ("upgrade", "46.00")),
    # the reverse: it said a $70 upgrade and -$116 of seats
    (("pro", "15", 5, 0), ("starter", "29", 1, 0), ("downgrade", "-46.00")),
    # 2 seats at $40 with 25 % off ($60) -> 3 seats at $50 with 10 % off ($135)
    (("basic", "40", 2, 25), ("pro", "50", 3, 10), ("upgrade", "75.00")),
])
def test_plan_change_is_one_upgrade_or_downgrade_of_its_whole_change(
        tmp_path: Path, old: tuple, new: tuple, movement: tuple[str, str]) -> None:
    result = run(tmp_path, [
        sub("s1", "2024-01-01", "2024-02-01", plan_id=old[0], unit_amount=old[1], quantity=old[2],
            discount_percent=old[3]),
        sub("s1", "2024-02-01", plan_id=new[0], unit_amount=new[1], quantity=new[2],
            discount_percent=new[3]),
    ])
    assert moves(result, date(2024, 2, 1)) == [
        (date(2024, 2, 1), "s1", "", movement[0], Decimal(movement[1]))]


def test_plan_change_in_another_currency_is_one_upgrade_at_the_old_rate_and_fx(
        tmp_path: Path) -> None:
    write_csv(tmp_path, "fx_rates", [
        {"currency": "EUR", "rate_date": "2024-01-01", "rate_to_reporting": "1.10"},
        {"currency": "EUR", "rate_date": "2024-02-01", "rate_to_reporting": "1.08"},
    ])
    result = run(tmp_path, [
        sub("s1", "2024-01-01", "2024-02-01", plan_id="eu_basic", unit_amount="100",
            currency="EUR"),
        sub("s1", "2024-02-01", plan_id="eu_pro", unit_amount="80", quantity=2, currency="EUR"),
    ])
    # EUR 100 at 1.10 = $110; EUR 160 at 1.10 = $176 (+$66 upgrade); at 1.08 = $172.80 (-$3.20 fx)
    assert moves(result, date(2024, 2, 1)) == [
        (date(2024, 2, 1), "s1", "", "fx", Decimal("-3.20")),
        (date(2024, 2, 1), "s1", "", "upgrade", Decimal("66.00")),
    ]


def test_switch_pairing_is_per_product(tmp_path: Path) -> None:
    write_csv(tmp_path, "plans", [{"plan_id": "starter", "product_id": "app"},
                                  {"plan_id": "pro", "product_id": "app"},
                                  {"plan_id": "support", "product_id": "care"}])
    result = run(tmp_path, [
        sub("old", "2024-01-01", "2024-02-01", plan_id="starter", unit_amount="50"),
        sub("new", "2024-02-01", plan_id="support", unit_amount="150"),
        sub("base", "2024-01-01", plan_id="pro", unit_amount="5"),
    ])
    assert moves(result, date(2024, 2, 1)) == [
        (date(2024, 2, 1), "new", "", "add_on", Decimal("150.00")),
        (date(2024, 2, 1), "old", "", "add_on_removal", Decimal("-50.00")),
    ]


def test_seats_with_a_kept_percent_discount_is_seat_expansion_only(tmp_path: Path) -> None:
    result = run(tmp_path, [
        sub("s1", "2024-01-01", "2024-02-01", unit_amount="10", quantity=2, discount_percent=10),
        sub("s1", "2024-02-01", unit_amount="10", quantity=3, discount_percent=10),
    ])
    assert moves(result, date(2024, 2, 1)) == [
        (date(2024, 2, 1), "s1", "", "seat_expansion", Decimal("9.00"))]


def test_sequential_substitution_splits_price_seats_and_discount(tmp_path: Path) -> None:
    result = run(tmp_path, [
        sub("s1", "2024-01-01", "2024-02-01", unit_amount="10", quantity=2),
        sub("s1", "2024-02-01", unit_amount="12", quantity=5, discount_amount="6"),
    ])
    # 20 -> A 24 (+4 price) -> B 60 (+36 seats) -> 1 54 (-6 discount)
    assert moves(result, date(2024, 2, 1)) == [
        (date(2024, 2, 1), "s1", "", "discount_start", Decimal("-6.00")),
        (date(2024, 2, 1), "s1", "", "price_increase", Decimal("4.00")),
        (date(2024, 2, 1), "s1", "", "seat_expansion", Decimal("36.00")),
    ]


def test_fx_rate_change_is_an_fx_movement(tmp_path: Path) -> None:
    write_csv(tmp_path, "fx_rates", [
        {"currency": "EUR", "rate_date": "2023-12-29", "rate_to_reporting": "1.10"},
        {"currency": "EUR", "rate_date": "2024-02-15", "rate_to_reporting": "1.20"},
        {"currency": "EUR", "rate_date": "2024-04-01", "rate_to_reporting": "1.25"},
    ])
    result = run(tmp_path, [
        sub("s1", "2024-01-01", "2024-03-01", unit_amount="100", currency="EUR"),
        sub("s1", "2024-03-01", unit_amount="150", currency="EUR"),
    ], as_of=date(2024, 3, 31))
    assert moves(result) == [
        (date(2024, 1, 1), "s1", "", "new", Decimal("110.00")),
        (date(2024, 2, 1), "s1", "", "fx", Decimal("10.00")),
        (date(2024, 3, 1), "s1", "", "price_increase", Decimal("60.00")),
    ]
    assert result.bridge["fx_mrr"].tolist() == [Decimal("0.00"), Decimal("10.00"),
                                                 Decimal("0.00")]
    assert_reconciles(result)


def test_price_and_rate_change_in_one_month_split_at_the_old_rate(tmp_path: Path) -> None:
    write_csv(tmp_path, "fx_rates", [
        {"currency": "EUR", "rate_date": "2024-01-01", "rate_to_reporting": "1.1"},
        {"currency": "EUR", "rate_date": "2024-02-01", "rate_to_reporting": "1.2"},
    ])
    result = run(tmp_path, [
        sub("s1", "2024-01-01", "2024-02-01", unit_amount="100", currency="EUR"),
        sub("s1", "2024-02-01", plan_id="q", unit_amount="150", currency="EUR"),
    ])
    assert moves(result, date(2024, 2, 1)) == [
        (date(2024, 2, 1), "s1", "", "fx", Decimal("15.00")),
        (date(2024, 2, 1), "s1", "", "upgrade", Decimal("55.00")),
    ]


def test_as_of_month_uses_the_rate_on_or_before_as_of_date(tmp_path: Path) -> None:
    write_csv(tmp_path, "fx_rates", [
        {"currency": "EUR", "rate_date": "2024-01-01", "rate_to_reporting": "1.1"},
        {"currency": "EUR", "rate_date": "2024-01-20", "rate_to_reporting": "1.3"},
    ])
    result = run(tmp_path, [sub("s1", "2024-01-01", unit_amount="100", currency="EUR")],
                 as_of=date(2024, 1, 10))
    assert mrr_of(result, date(2024, 1, 1)) == Decimal("110.00")


def test_missing_rate_names_currency_and_month(tmp_path: Path) -> None:
    write_csv(tmp_path, "fx_rates", [
        {"currency": "EUR", "rate_date": "2024-03-01", "rate_to_reporting": "1.1"}])
    with pytest.raises(InputError, match=r"EUR.*2024-02"):
        run(tmp_path, [sub("s1", "2024-02-01", unit_amount="100", currency="EUR")])


@pytest.mark.parametrize(("window", "expected"), [
    (None, "reactivation"), (3, "reactivation"), (2, "new")])
def test_reactivation_window_months(tmp_path: Path, window: int | None, expected: str) -> None:
    result = run(tmp_path, [
        sub("s1", "2024-01-01", "2024-02-01", unit_amount="40"),
        sub("s2", "2024-04-10", unit_amount="40"),
    ], reactivation_window_months=window)
    # last month with MRR is January; April - January = 3 months
    assert moves(result, date(2024, 4, 1)) == [
        (date(2024, 4, 1), "s2", "", expected, Decimal("40.00"))]
    april = result.bridge[result.bridge["month"] == date(2024, 4, 1)].iloc[0]
    assert april["new_customers" if expected == "new" else "reactivated_customers"] == 1


def test_as_of_month_snapshot_is_the_day_after_as_of_date(tmp_path: Path) -> None:
    result = run(tmp_path, [
        sub("ends_on_as_of", "2024-01-01", "2024-03-15", unit_amount="10"),
        sub("ends_after", "2024-01-01", "2024-03-16", customer_id="c2", unit_amount="20"),
        sub("starts_after", "2024-03-16", customer_id="c3", unit_amount="30"),
    ], as_of=date(2024, 3, 15))
    march = date(2024, 3, 1)
    assert mrr_of(result, march, "c1") is None
    assert mrr_of(result, march, "c2") == Decimal("20.00")
    assert mrr_of(result, march, "c3") is None
    assert moves(result, march) == [(march, "ends_on_as_of", "", "churn", Decimal("-10.00"))]
    assert result.bridge["month"].tolist()[-1] == march


def test_one_rounding_half_away_from_zero(tmp_path: Path) -> None:
    result = run(tmp_path, [
        sub("half", "2024-01-01", unit_amount="0.005"),
        sub("below", "2024-01-01", customer_id="c2", unit_amount="0.0049"),
        sub("thirds", "2024-01-01", customer_id="c3", unit_amount="0.01", quantity=50,
            billing_interval="quarter"),
    ])
    assert mrr_of(result, date(2024, 1, 1), "c1") == Decimal("0.01")
    assert mrr_of(result, date(2024, 1, 1), "c2") is None
    assert mrr_of(result, date(2024, 1, 1), "c3") == Decimal("0.17")


def test_amount_discount_larger_than_price_counts_as_absent(tmp_path: Path) -> None:
    result = run(tmp_path, [
        sub("s1", "2024-01-01", unit_amount="10", discount_amount="15"),
        sub("s2", "2024-01-01", customer_id="c2", unit_amount="10"),
    ])
    assert result.customer_mrr["customer_id"].tolist() == ["c2"] * 12


def test_bridge_counts_customers_and_adds_up(tmp_path: Path) -> None:
    result = run(tmp_path, [
        sub("a", "2024-01-01", "2024-03-01", customer_id="c1", unit_amount="10"),
        sub("b", "2024-02-01", customer_id="c2", unit_amount="20"),
        sub("c", "2024-02-01", "2024-03-01", customer_id="c3", unit_amount="5"),
        sub("c", "2024-03-01", customer_id="c3", unit_amount="3"),
    ], as_of=date(2024, 3, 31))
    bridge = result.bridge
    assert bridge["customers_end"].tolist() == [1, 3, 2]
    assert bridge["new_customers"].tolist() == [1, 2, 0]
    assert bridge["churned_customers"].tolist() == [0, 0, 1]
    assert bridge["ending_mrr"].tolist() == [Decimal("10.00"), Decimal("35.00"),
                                             Decimal("23.00")]
    assert bridge["contraction_mrr"].tolist()[-1] == Decimal("2.00")
    assert_reconciles(result)


def test_parquet_input_and_rows_read(tmp_path: Path) -> None:
    pd.DataFrame({
        "subscription_id": ["s1"], "customer_id": ["c1"], "plan_id": ["p"],
        "unit_amount": [Decimal("19.99")], "quantity": [2],
        "valid_from": [date(2024, 1, 1)], "valid_to": [None],
    }).to_parquet(tmp_path / "subscriptions.parquet")
    write_csv(tmp_path, "customers", [{"customer_id": "c1", "segment": "smb"}])
    result = compute(tmp_path, date(2024, 1, 31))
    assert mrr_of(result, date(2024, 1, 1)) == Decimal("39.98")
    assert result.rows_read == {"subscriptions": 1, "customers": 1}


@pytest.mark.parametrize(("extra", "message"), [
    ({"billing_interval": "fortnight"}, "unknown billing interval"),
    ({"discount_percent": "101"}, "above 100"),
    ({"quantity": "-1"}, "negative"),
    ({"valid_to": "2023-12-01"}, "not after valid_from"),
    ({"unit_amount": "ten"}, "not a number"),
])
def test_meaningless_input_is_an_error(tmp_path: Path, extra: dict[str, str],
                                       message: str) -> None:
    with pytest.raises(InputError, match=message):
        run(tmp_path, [{**sub("s1", "2024-01-01"), **extra}])


def test_usage_price_and_long_percentage_are_not_rounded(tmp_path: Path) -> None:
    """Issue 29: 0.00025 per call x 1,000,000 calls is 250.00 (not 300.00), 12.345678 % off
    1,000,000 is 876,543.22 (not 876,543.00)."""
    result = run(tmp_path, [
        sub("calls", "2024-01-01", unit_amount="0.00025", quantity="1000000"),
        sub("big", "2024-01-01", customer_id="c2", unit_amount="1000000", discount_percent="12.345678"),
    ], as_of=date(2024, 1, 31))
    assert mrr_of(result, date(2024, 1, 1)) == Decimal("250.00")
    assert mrr_of(result, date(2024, 1, 1), "c2") == Decimal("876543.22")


def test_ids_are_trimmed_and_codes_are_case_insensitive(tmp_path: Path) -> None:
    """' acme ' and 'acme' are one customer (and line); 'eur' is EUR in both files, 'Year' is
    year, and the reporting currency 'usd' is USD: EUR 1,200 a year at 1.1 is $110."""
    write_csv(tmp_path, "fx_rates", [{"currency": " eur", "rate_date": "2024-01-01", "rate_to_reporting": "1.1"}])
    result = run(tmp_path, [
        sub(" s1 ", "2024-01-01", "2024-02-01", customer_id=" acme", unit_amount="1200", currency="eur",
            billing_interval="Year"),
        sub("s1", "2024-02-01", customer_id="acme\t", unit_amount="1200", currency="EUR", billing_interval="YEAR"),
    ], as_of=date(2024, 2, 29), reporting_currency="usd")
    assert result.customer_mrr["customer_id"].tolist() == ["acme", "acme"]
    assert mrr_of(result, date(2024, 2, 1), "acme") == Decimal("110.00")
    assert moves(result) == [(date(2024, 1, 1), "s1", "", "new", Decimal("110.00"))]


@pytest.mark.parametrize(("extra", "message"), [
    ({"unit_amount": "0.000000001"}, "too_many_decimals"),
    ({"quantity": "1.00001"}, "too_many_decimals"),
    ({"discount_percent": "1.0000001"}, "too_many_decimals"),
    ({"discount_amount": "0.00000000001"}, "too_many_decimals"),
    ({"unit_amount": "1e18"}, "amount_out_of_range"),
    ({"unit_amount": "1388888888888888.89", "quantity": "6", "billing_interval": "year"}, "amount_out_of_range"),
])
def test_numbers_the_engine_cannot_hold_exactly_are_errors(tmp_path: Path, extra: dict[str, str],
                                                           message: str) -> None:
    with pytest.raises(InputError, match=message):
        run(tmp_path, [{**sub("s1", "2024-01-01"), **extra}])


def test_the_most_decimal_places_and_the_largest_scaled_amount_are_exact(tmp_path: Path) -> None:
    """8, 4, 6 and 10 decimal places (trailing zeros not counted) and a yearly list price scaled
    just under 10^17: 1,388,888,888,888,888.88 x 6 / 12 = 694,444,444,444,444.44 a month."""
    result = run(tmp_path, [
        sub("s1", "2024-01-01", unit_amount="0.12345678000", quantity="1234.5678", discount_percent="12.345678",
            discount_amount="0.0000000001"),
        sub("s2", "2024-01-01", customer_id="c2", unit_amount="1388888888888888.88", quantity="6",
            billing_interval="year"),
    ], as_of=date(2024, 1, 31))
    assert mrr_of(result, date(2024, 1, 1)) == Decimal("133.60")  # 133.59900567691841394248
    assert mrr_of(result, date(2024, 1, 1), "c2") == Decimal("694444444444444.44")


def test_two_rates_for_one_currency_and_date_are_an_error(tmp_path: Path) -> None:
    """Even equal ones: rule duplicate_fx_rate, never a silent choice."""
    write_csv(tmp_path, "fx_rates", [
        {"currency": "EUR", "rate_date": "2024-01-01", "rate_to_reporting": "1.1"},
        {"currency": "eur", "rate_date": "2024-01-01", "rate_to_reporting": "1.10"},
    ])
    with pytest.raises(InputError, match="duplicate_fx_rate"):
        run(tmp_path, [sub("s1", "2024-01-01", currency="EUR")])


@pytest.mark.parametrize(("name", "rows", "message"), [
    ("plans", [{"plan_id": "p", "product_id": "a"}, {"plan_id": " p", "product_id": "a"}], "duplicate_plan_id"),
    ("customers", [{"customer_id": "c1"}, {"customer_id": "c1 "}], "duplicate_customer_id"),
])
def test_an_id_twice_in_plans_or_customers_is_an_error(tmp_path: Path, name: str, rows: list[dict],
                                                      message: str) -> None:
    write_csv(tmp_path, name, rows)
    with pytest.raises(InputError, match=message):
        run(tmp_path, [sub("s1", "2024-01-01")])


def test_overlapping_periods_of_a_line_are_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="overlapping"):
        run(tmp_path, [sub("s1", "2024-01-01", "2024-03-01"), sub("s1", "2024-02-01")])


# ----------------------------------------------------------------------------- random inputs

PROPERTY_AS_OF = date(2024, 6, 15)
EUR_RATES = [(date(2023, 9, 1), "1.1"), (date(2024, 1, 15), "1.25"), (date(2024, 3, 31), "0.9")]
FACTOR = {"day": Fraction(365, 12), "week": Fraction(52, 12), "month": Fraction(1),
          "quarter": Fraction(1, 3), "year": Fraction(1, 12)}

terms_strategy = st.fixed_dictionaries({
    "plan_id": st.sampled_from(["p1", "p2", "p3"]),
    "unit_amount": st.sampled_from(["0", "5", "10", "12.5", "0.005", "99.99"]),
    "quantity": st.integers(0, 3),
    "billing_interval": st.sampled_from(list(FACTOR)),
    "interval_count": st.integers(1, 2),
    "discount_percent": st.sampled_from(["0", "10", "50", "100"]),
    "discount_amount": st.sampled_from(["0", "1", "20"]),
    "is_trial": st.booleans(),
})


@st.composite
def line_rows(draw: st.DrawFn, number: int) -> list[dict[str, object]]:
    """Consecutive, non-overlapping periods of one line (gaps allowed)."""
    customer_id = draw(st.sampled_from(["c1", "c2", "c3"]))
    currency = draw(st.sampled_from(["USD", "EUR"]))
    start = date(2023, 10, 1) + timedelta(days=draw(st.integers(0, 280)))
    rows = []
    for _ in range(draw(st.integers(1, 3))):
        end = start + timedelta(days=draw(st.integers(1, 120)))
        rows.append({"subscription_id": f"s{number}", "item_id": "", "customer_id": customer_id,
                     "currency": currency, "valid_from": start.isoformat(),
                     "valid_to": end.isoformat(), **draw(terms_strategy)})
        start = end + timedelta(days=draw(st.integers(0, 60)))
    if draw(st.booleans()):
        rows[-1]["valid_to"] = ""
    return rows


@st.composite
def inputs(draw: st.DrawFn) -> list[dict[str, object]]:
    count = draw(st.integers(1, 6))
    return [row for number in range(count) for row in draw(line_rows(number))]


def direct_customer_mrr(rows: list[dict[str, object]], as_of: date) -> dict[tuple, Decimal]:
    """Customer MRR evaluated month by month with the snapshot instant, as literally defined."""
    result: dict[tuple, Decimal] = {}
    month = date(2023, 10, 1)
    while month <= as_of:
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        in_as_of_month = (month.year, month.month) == (as_of.year, as_of.month)
        instant = as_of + timedelta(days=1) if in_as_of_month else following
        snapshot = instant - timedelta(days=1)
        for row in rows:
            valid_from = date.fromisoformat(row["valid_from"])
            valid_to = date.fromisoformat(row["valid_to"]) if row["valid_to"] else None
            if not (valid_from < instant and (valid_to is None or valid_to >= instant)):
                continue
            rate = Fraction(1)
            if row["currency"] == "EUR":
                rate = Fraction([value for day, value in EUR_RATES if day <= snapshot][-1])
            cents = round_half_up_cents(line_value(row) * rate)
            if cents > 0:
                key = (month, row["customer_id"])
                result[key] = result.get(key, Decimal("0.00")) + Decimal(cents) / 100
        month = following
    return result


def line_value(row: dict[str, object]) -> Fraction:
    if row["is_trial"]:
        return Fraction(0)
    factor = FACTOR[row["billing_interval"]] / row["interval_count"]
    list_price = Fraction(row["unit_amount"]) * factor * row["quantity"]
    discount = min(list_price, list_price * Fraction(row["discount_percent"]) / 100
                   + Fraction(row["discount_amount"]) * factor)
    return list_price - discount


def round_half_up_cents(value: Fraction) -> int:
    return int((Decimal(value.numerator) * 100 / Decimal(value.denominator))
               .quantize(Decimal(1), rounding=ROUND_HALF_UP))


@settings(max_examples=50, deadline=None)
@given(inputs())
def test_random_inputs_match_direct_evaluation_and_reconcile(rows: list[dict]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        write_csv(Path(directory), "fx_rates", [
            {"currency": "EUR", "rate_date": day.isoformat(), "rate_to_reporting": rate}
            for day, rate in EUR_RATES])
        write_csv(Path(directory), "plans", [{"plan_id": "p1", "product_id": "a"},
                                             {"plan_id": "p2", "product_id": "a"},
                                             {"plan_id": "p3", "product_id": "b"}])
        write_csv(Path(directory), "subscriptions", rows)
        result = compute(Path(directory), PROPERTY_AS_OF)
    computed = {(row.month, row.customer_id): row.mrr
                for row in result.customer_mrr.itertuples()}
    assert computed == direct_customer_mrr(rows, PROPERTY_AS_OF)
    assert_reconciles(result)
    movements = result.movements
    keys = ["month", "customer_id", "subscription_id", "item_id", "movement_type"]
    assert not movements.duplicated(keys).any()
    assert (movements["mrr_amount"] != 0).all()
    new_months = movements[movements["movement_type"] == "new"].drop_duplicates(
        ["customer_id", "month"])
    assert not new_months["customer_id"].duplicated().any()
    churned = movements[movements["movement_type"] == "churn"]
    assert not any(key in computed for key in zip(churned["month"], churned["customer_id"]))
    # a line whose plan changed has one upgrade or downgrade and no price, seat or discount row
    line = ["month", "customer_id", "subscription_id", "item_id"]
    kinds = movements.groupby(line)["movement_type"].agg(set)
    plan_moves, other_moves = {"upgrade", "downgrade"}, {
        "price_increase", "price_decrease", "seat_expansion", "seat_contraction",
        "discount_end", "discount_start"}
    assert not any(types & plan_moves and types & other_moves for types in kinds)
