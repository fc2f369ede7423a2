"""Compatibility with a peer: dbt-labs/mrr-playbook's classification on its own data.

The peer's rules (models customer_revenue_by_month, customer_churn_month and mrr) are
re-implemented here in pandas, independently of this project's SQL: a customer-month spine from
2018-01 between the month of a customer's first start and of its last end, MRR at the start of
each month, a churn row the month after the last active month, and the first of new / churn /
reactivation / upgrade (net increase) / downgrade (net decrease) per customer-month.

Mapped to our input contract (monthly_amount as a monthly unit_amount, plan_id from the amount),
our movements must give, month by month, the same customer counts and amounts for new, churn and
reactivation, and its upgrades and downgrades as our upgrade and downgrade movements (one
subscription at a time, so a plan change is a same-day replacement that our switch pairing turns
into one line that changed).

Stated difference: the peer's month spine starts in 2018-01 and ignores earlier months, while
ours starts with the first month with MRR. In this data no customer pays across 2018-01-01 and
none of the 2017 customers returns, so the only difference is that our movements of 2017 (new and
churn of three customers) have no counterpart there; from 2018-01 on, everything agrees. (A
customer paying across the boundary would be `new` in 2018-01 for the peer and continuing here;
one returning after 2017 would be `new` there and a reactivation here.)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from mrr.build import build
from mrr.project import BuildSpec

from conftest import FIXTURES, run_query

PEER_PERIODS = FIXTURES / "mrr_playbook" / "subscription_periods.csv"
PEER_SPINE_START = pd.Timestamp("2018-01-01")
AS_OF = dt.date(2020, 2, 29)
CATEGORIES = ["new", "churn", "reactivation", "upgrade", "downgrade"]


def peer_periods() -> pd.DataFrame:
    periods = pd.read_csv(PEER_PERIODS, parse_dates=["start_date", "end_date"])
    return periods


def peer_classification(periods: pd.DataFrame, last_month: pd.Timestamp) -> pd.DataFrame:
    """The peer's customer-months with change_category and mrr_change."""
    spine = pd.date_range(PEER_SPINE_START, last_month, freq="MS")
    bounds = periods.groupby("customer_id").agg(first=("start_date", "min"), last=("end_date", "max"))
    rows = []
    for customer_id, bound in bounds.iterrows():
        start, end = bound["first"].to_period("M").to_timestamp(), bound["last"].to_period("M").to_timestamp()
        own = periods[periods.customer_id == customer_id]
        for month in spine[(spine >= start) & (spine < end)]:
            in_force = own[(own.start_date <= month) & (own.end_date > month)]
            rows.append({"customer_id": customer_id, "month": month, "mrr": int(in_force.monthly_amount.sum())})
    months = pd.DataFrame(rows)
    months["is_active"] = months.mrr > 0
    active = months[months.is_active].groupby("customer_id").month.agg(["min", "max"])
    churns = pd.DataFrame({
        "customer_id": active.index,
        "month": (active["max"] + pd.offsets.MonthBegin(1)).values,
        "mrr": 0,
        "is_active": False,
    })
    months = pd.concat([months, churns]).sort_values(["customer_id", "month"]).reset_index(drop=True)
    months["first_active"] = months.customer_id.map(active["min"])
    grouped = months.groupby("customer_id")
    months["previous_active"] = grouped.is_active.shift(1, fill_value=False).astype(bool)
    months["mrr_change"] = months.mrr - grouped.mrr.shift(1, fill_value=0)
    months["change_category"] = [
        classify(row) for row in months.itertuples()
    ]
    return months[months.change_category.notna()]


def classify(row) -> str | None:
    """The peer's case expression, in its order."""
    if row.month == row.first_active:
        return "new"
    if not row.is_active and row.previous_active:
        return "churn"
    if row.is_active and not row.previous_active:
        return "reactivation"
    if row.mrr_change > 0:
        return "upgrade"
    if row.mrr_change < 0:
        return "downgrade"
    return None


def as_input_contract(periods: pd.DataFrame, directory: Path) -> Path:
    """The peer's periods in our input contract."""
    directory.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({
        "subscription_id": periods.subscription_id.astype(str),
        "customer_id": periods.customer_id.astype(str),
        "plan_id": "plan_" + periods.monthly_amount.astype(str),
        "unit_amount": periods.monthly_amount,
        "valid_from": periods.start_date.dt.date,
        "valid_to": periods.end_date.dt.date,
    }).to_csv(directory / "subscriptions.csv", index=False)
    return directory


def summarize(frame: pd.DataFrame, category: str, amount: str) -> pd.DataFrame:
    return frame.groupby(["month", category]).agg(
        customers=("customer_id", "nunique"), amount=(amount, "sum")
    )


@pytest.fixture(scope="module")
def comparison(tmp_path_factory):
    periods = peer_periods()
    root = tmp_path_factory.mktemp("peer")
    database = root / "peer.duckdb"
    build(BuildSpec(input_dir=as_input_contract(periods, root / "input"), database=database, as_of=AS_OF), quiet=True)
    rows = run_query(
        database,
        "select month, customer_id, movement_type, mrr_amount from fct_mrr_movements"
        " where movement_type in ('new', 'churn', 'reactivation', 'upgrade', 'downgrade')",
    )
    ours = pd.DataFrame(rows, columns=["month", "customer_id", "movement_type", "mrr_amount"])
    ours["month"] = pd.to_datetime(ours.month).astype("datetime64[us]")
    ours["customer_id"] = ours.customer_id.astype(int)
    ours["mrr_amount"] = ours.mrr_amount.map(Decimal).astype(float)
    theirs = peer_classification(periods, pd.Timestamp(AS_OF).to_period("M").to_timestamp())
    return theirs, ours


def test_same_counts_and_amounts_per_month_and_category_from_2018(comparison):
    theirs, ours = comparison
    since = PEER_SPINE_START
    expected = summarize(theirs[theirs.month >= since], "change_category", "mrr_change")
    actual = summarize(ours[ours.month >= since], "movement_type", "mrr_amount")
    expected.index.names = actual.index.names = ["month", "category"]
    pd.testing.assert_frame_equal(actual.sort_index(), expected.sort_index(), check_dtype=False)
    assert set(expected.index.get_level_values("category")) == set(CATEGORIES)


def test_before_2018_only_we_report_the_2017_customers(comparison):
    """The peer's spine starts in 2018: our 2017 movements are the 2017-only customers' new and churn."""
    theirs, ours = comparison
    periods = peer_periods()
    only_2017 = set(periods.groupby("customer_id").end_date.max().loc[lambda end: end <= PEER_SPINE_START].index)
    before = ours[ours.month < PEER_SPINE_START]
    assert theirs.month.min() >= PEER_SPINE_START
    assert only_2017 == {2, 3, 4}
    assert set(before.customer_id) == only_2017
    assert sorted(before.movement_type) == ["churn"] * 3 + ["new"] * 3
    assert not set(ours[ours.month >= PEER_SPINE_START].customer_id) & only_2017
