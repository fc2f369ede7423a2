"""Published examples checked through the real build (the unit tests check them model by model)."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

from mrr.build import build
from mrr.project import BuildSpec

from conftest import run_query

COLUMNS = ["subscription_id", "item_id", "customer_id", "plan_id", "unit_amount", "discount_amount", "valid_from"]


def test_200_customers_at_50_with_50_add_ons_and_a_10_discount_is_8500(tmp_path):
    """200 customers at $50, 50 of them with a $10/month add-on, a $10/month discount on all 200."""
    input_dir = tmp_path / "input"
    input_dir.mkdir()
    with (input_dir / "subscriptions.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for number in range(200):
            writer.writerow([f"s{number}", "base", f"c{number}", "plan_50", "50", "10", "2024-01-01"])
            if number < 50:
                writer.writerow([f"s{number}", "add_on", f"c{number}", "add_on_10", "10", "0", "2024-01-01"])
    database = tmp_path / "mrr.duckdb"
    build(BuildSpec(input_dir=input_dir, database=database, as_of=dt.date(2024, 1, 31)), quiet=True)
    assert run_query(database, "select ending_mrr, customers_end, arpa from metrics_mrr_monthly") == [
        (Decimal("8500.00"), 200, Decimal("42.50"))
    ]
