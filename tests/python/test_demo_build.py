"""The demo data through the real build: every movement as computed by hand, every type covered."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from mrr.tables import bridge_table

PROJECT = Path(__file__).resolve().parents[2]
EXPECTED_MOVEMENTS = PROJECT / "tests" / "data" / "demo_expected_movements.csv"
MOVEMENT_TYPES = PROJECT / "seeds" / "movement_types.csv"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_movements_equal_the_hand_computed_ones(demo_database, query):
    """docs/demo-data.md: each customer's story, its movements computed by hand to the cent."""
    expected = {
        (row["month"], row["customer_id"], row["movement_type"]): Decimal(row["mrr_amount"])
        for row in read_csv(EXPECTED_MOVEMENTS)
    }
    rows = query(
        demo_database,
        "select cast(month as varchar), customer_id, movement_type, sum(mrr_amount)"
        " from fct_mrr_movements group by all",
    )
    actual = {(month, customer, kind): amount for month, customer, kind, amount in rows}
    assert actual == expected


def test_demo_data_produces_every_movement_type(demo_database, query):
    """Coverage: no branch of the classification is dead on the demo data."""
    all_types = {row["movement_type"] for row in read_csv(MOVEMENT_TYPES)}
    produced = {kind for (kind,) in query(demo_database, "select distinct movement_type from fct_mrr_movements")}
    assert produced == all_types


def test_demo_december_mrr_and_bridge(demo_database, query):
    """December 2024 ends at $2,784.33 (docs/demo-data.md) and the bridge closes."""
    (row,) = query(
        demo_database,
        "select starting_mrr, fx_mrr, ending_mrr, customers_end from metrics_mrr_monthly"
        " where month = date '2024-12-01'",
    )
    assert row == (Decimal("2785.33"), Decimal("-1.00"), Decimal("2784.33"), 13)


def test_bridge_table_is_readable(demo_database):
    table = bridge_table(demo_database, months=3)
    lines = table.splitlines()
    assert lines[0].split()[:3] == ["month", "start", "+new"]
    assert [line.split()[0] for line in lines[2:]] == ["2024-10", "2024-11", "2024-12"]
    assert "2,784.33" in lines[-1]
    assert lines[0].endswith("NRR (month)")  # the month's NRR, not the 12-month figure


def test_readme_shows_the_bridge_as_printed(demo_database):
    """The README's Quick start sample of `mrr demo` (header and the months it shows) is the output."""
    readme = (PROJECT / "README.md").read_text()
    sample = readme.split("MRR bridge, last 6 months (USD):\n", 1)[1].split("```", 1)[0]
    shown = [line for line in sample.splitlines() if line and line != "..."]
    printed = bridge_table(demo_database, months=6).splitlines()
    assert len(shown) >= 3 and all(line in printed for line in shown), shown


def test_customer_attributes_reach_the_marts(demo_database, query):
    """Attribute columns of the customers input are carried to the customer marts for slicing."""
    columns = {
        name
        for (name,) in query(
            demo_database,
            "select column_name from information_schema.columns where table_name = 'dim_customers'",
        )
    }
    assert {"segment", "country", "customer_name"} <= columns
    segments = query(
        demo_database,
        "select segment, sum(mrr) from fct_customer_mrr_monthly where month = date '2024-12-01'"
        " group by 1 order by 1",
    )
    assert sum(amount for _, amount in segments) == Decimal("2784.33")
