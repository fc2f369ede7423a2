"""Tests of the synthetic data generator (`mrr.generate`): determinism, the input contract of
issue 3, the variety of business events the engine must see, and both file formats."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from mrr.generate import generate

CUSTOMERS = 2_000
MONTHS = 24
SEED = 7
START = date(2022, 1, 1)
END = date(2024, 1, 1)  # START + MONTHS
FILES = ("subscriptions", "customers", "plans", "fx_rates")
SUBSCRIPTION_COLUMNS = [
    "subscription_id", "item_id", "customer_id", "plan_id", "quantity", "unit_amount", "currency",
    "billing_interval", "interval_count", "discount_percent", "discount_amount", "is_trial",
    "valid_from", "valid_to",
]


def _generate(out_dir: Path, seed: int = SEED, file_format: str = "parquet",
              customers: int = CUSTOMERS) -> dict[str, int]:
    return generate(out_dir, customers=customers, months=MONTHS, seed=seed,
                    start_month=START.isoformat(), file_format=file_format)


def _read(directory: Path, name: str, file_format: str = "parquet") -> pd.DataFrame:
    """A file with every value as text, so that csv and parquet compare cell by cell."""
    path = directory / f"{name}.{file_format}"
    source = f"read_csv('{path}', all_varchar = true)" if file_format == "csv" else (
        f"read_parquet('{path}')"
    )
    return duckdb.sql(f"SELECT COLUMNS(*)::VARCHAR FROM {source}").df()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("generated")
    _generate(directory)
    return directory


@pytest.fixture(scope="module")
def con(data_dir: Path) -> duckdb.DuckDBPyConnection:
    """Views over the generated parquet files, plus `steps`: consecutive periods of a line."""
    connection = duckdb.connect()
    for name in FILES:
        connection.execute(
            f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{data_dir / name}.parquet')"
        )
    connection.execute(
        """
        CREATE VIEW steps AS
        SELECT *,
               lag(valid_to) OVER line AS prev_valid_to,
               lag(plan_id) OVER line AS prev_plan_id,
               lag(quantity) OVER line AS prev_quantity,
               lag(unit_amount) OVER line AS prev_unit_amount,
               lag(discount_percent) OVER line AS prev_discount_percent,
               lag(discount_amount) OVER line AS prev_discount_amount,
               lag(is_trial) OVER line AS prev_is_trial,
               row_number() OVER line AS period_number
        FROM subscriptions
        WINDOW line AS (PARTITION BY subscription_id, item_id ORDER BY valid_from)
        """
    )
    return connection


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]


# --- determinism -------------------------------------------------------------------------------

def test_same_seed_gives_identical_data(data_dir: Path, tmp_path: Path) -> None:
    _generate(tmp_path)
    for name in FILES:
        pd.testing.assert_frame_equal(_read(data_dir, name), _read(tmp_path, name))


def test_same_seed_gives_identical_csv_bytes(tmp_path: Path) -> None:
    _generate(tmp_path / "a", file_format="csv", customers=300)
    _generate(tmp_path / "b", file_format="csv", customers=300)
    for name in FILES:
        assert (tmp_path / "a" / f"{name}.csv").read_bytes() == (
            tmp_path / "b" / f"{name}.csv"
        ).read_bytes()


def test_other_seed_gives_other_data(data_dir: Path, tmp_path: Path) -> None:
    _generate(tmp_path, seed=SEED + 1)
    assert not _read(data_dir, "subscriptions").equals(_read(tmp_path, "subscriptions"))
    assert not _read(data_dir, "fx_rates").equals(_read(tmp_path, "fx_rates"))


# --- formats and arguments ---------------------------------------------------------------------

def test_csv_holds_the_same_data_as_parquet(data_dir: Path, tmp_path: Path) -> None:
    counts = _generate(tmp_path, file_format="csv")
    for name in FILES:
        frame = _read(tmp_path, name, "csv")
        assert len(frame) == counts[name]
        pd.testing.assert_frame_equal(frame, _read(data_dir, name))


def test_returns_row_counts_of_the_files(tmp_path: Path) -> None:
    counts = _generate(tmp_path, customers=500)
    assert counts.keys() == set(FILES)
    assert counts["customers"] == 500
    for name in FILES:
        assert len(_read(tmp_path, name)) == counts[name]


def test_smallest_run_works(tmp_path: Path) -> None:
    counts = generate(tmp_path, customers=1, months=1, seed=0)
    assert counts["customers"] == 1
    assert counts["subscriptions"] >= 1
    assert counts["fx_rates"] == 3


@pytest.mark.parametrize(
    "arguments",
    [
        {"customers": 0, "months": 12},
        {"customers": 10, "months": 0},
        {"customers": 10, "months": 12, "file_format": "json"},
        {"customers": 10, "months": 12, "start_month": "2022-01-15"},
    ],
)
def test_invalid_arguments_are_refused(tmp_path: Path, arguments: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        generate(tmp_path, seed=0, **arguments)


def test_progress_is_reported(tmp_path: Path) -> None:
    messages: list[str] = []
    generate(tmp_path, customers=50, months=3, seed=0, progress=messages.append)
    assert messages and messages[-1].startswith("wrote ")


# --- input contract ----------------------------------------------------------------------------

def test_columns_follow_the_contract(con: duckdb.DuckDBPyConnection) -> None:
    def columns(name: str) -> list[str]:
        return [row[0] for row in con.execute(f"DESCRIBE {name}").fetchall()]

    assert columns("subscriptions") == SUBSCRIPTION_COLUMNS
    assert columns("fx_rates") == ["currency", "rate_date", "rate_to_reporting"]
    assert columns("customers")[:3] == ["customer_id", "segment", "country"]
    assert columns("plans")[:5] == [
        "plan_id", "plan_name", "product_id", "billing_interval", "interval_count"
    ]


def test_required_values_are_present(con: duckdb.DuckDBPyConnection) -> None:
    required = " OR ".join(f"{c} IS NULL" for c in SUBSCRIPTION_COLUMNS if c != "valid_to")
    assert _count(con, f"SELECT * FROM subscriptions WHERE {required}") == 0


def test_periods_of_a_line_are_ordered_and_never_overlap(con: duckdb.DuckDBPyConnection) -> None:
    assert _count(con, "SELECT * FROM subscriptions WHERE valid_to <= valid_from") == 0
    assert _count(
        con,
        "SELECT * FROM steps WHERE period_number > 1"
        " AND (prev_valid_to IS NULL OR prev_valid_to > valid_from)",
    ) == 0


def test_currency_and_customer_are_constant_per_line(con: duckdb.DuckDBPyConnection) -> None:
    assert _count(
        con,
        "SELECT subscription_id, item_id FROM subscriptions GROUP BY ALL"
        " HAVING count(DISTINCT currency) > 1 OR count(DISTINCT customer_id) > 1",
    ) == 0
    assert _count(
        con,
        "SELECT subscription_id FROM subscriptions GROUP BY ALL"
        " HAVING count(DISTINCT customer_id) > 1",
    ) == 0


def test_ids_exist_in_plans_and_customers(con: duckdb.DuckDBPyConnection) -> None:
    assert _count(con, "SELECT plan_id FROM plans GROUP BY ALL HAVING count(*) > 1") == 0
    assert _count(con, "SELECT customer_id FROM customers GROUP BY ALL HAVING count(*) > 1") == 0
    assert _count(
        con, "SELECT * FROM subscriptions WHERE plan_id NOT IN (SELECT plan_id FROM plans)"
    ) == 0
    assert _count(
        con,
        "SELECT * FROM subscriptions WHERE customer_id NOT IN (SELECT customer_id FROM customers)",
    ) == 0
    assert _count(con, "SELECT DISTINCT customer_id FROM subscriptions") == CUSTOMERS


def test_billing_terms_match_the_plan(con: duckdb.DuckDBPyConnection) -> None:
    assert _count(
        con,
        "SELECT * FROM subscriptions s JOIN plans p USING (plan_id)"
        " WHERE s.billing_interval <> p.billing_interval OR s.interval_count <> p.interval_count",
    ) == 0


def test_values_are_in_range(con: duckdb.DuckDBPyConnection) -> None:
    assert _count(
        con,
        f"""SELECT * FROM subscriptions WHERE quantity < 0 OR unit_amount < 0
            OR unit_amount * 100 <> round(unit_amount * 100)
            OR discount_amount < 0 OR discount_amount * 100 <> round(discount_amount * 100)
            OR discount_percent NOT BETWEEN 0 AND 100
            OR billing_interval NOT IN ('day', 'week', 'month', 'quarter', 'year')
            OR interval_count NOT IN (1, 2, 3)
            OR currency NOT IN ('USD', 'EUR', 'GBP', 'JPY')
            OR valid_from < DATE '{START}' OR valid_from >= DATE '{END}'
            OR valid_to >= DATE '{END}'""",
    ) == 0
    types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE subscriptions)")
                 .fetchall())
    assert types["quantity"] == "INTEGER"
    assert types["unit_amount"] == types["discount_amount"] == "DECIMAL(18,2)"


def test_fx_has_one_rate_per_currency_per_month(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        """SELECT currency, count(*), count(DISTINCT date_trunc('month', rate_date)),
                  min(rate_date), max(rate_date), min(rate_to_reporting)
           FROM fx_rates GROUP BY currency ORDER BY currency"""
    ).fetchall()
    assert [row[0] for row in rows] == ["EUR", "GBP", "JPY"]
    for _, count, months, first, last, lowest in rows:
        assert count == months == MONTHS
        assert first == START and last < END and lowest > 0
    assert _count(
        con,
        "SELECT * FROM fx_rates"
        " WHERE rate_to_reporting * 1000000 <> round(rate_to_reporting * 1000000)",
    ) == 0
    assert _count(con, "SELECT DISTINCT extract(day FROM rate_date) FROM fx_rates") > 10


# --- realistic content -------------------------------------------------------------------------

def test_mix_of_currencies_intervals_segments_and_items(con: duckdb.DuckDBPyConnection) -> None:
    assert _count(con, "SELECT DISTINCT currency FROM subscriptions") == 4
    assert _count(con, "SELECT DISTINCT billing_interval FROM subscriptions") == 5
    assert _count(con, "SELECT DISTINCT interval_count FROM subscriptions") == 3
    assert _count(con, "SELECT DISTINCT segment FROM customers") == 3
    assert _count(con, "SELECT * FROM subscriptions WHERE item_id LIKE 'addon-%'") > 0
    assert _count(con, "SELECT DISTINCT extract(day FROM valid_from) FROM subscriptions") == 31


def test_lines_run_on_and_lines_end(con: duckdb.DuckDBPyConnection) -> None:
    assert _count(con, "SELECT * FROM subscriptions WHERE valid_to IS NULL") > 0
    assert _count(con, "SELECT * FROM subscriptions WHERE valid_to IS NOT NULL") > 0


@pytest.mark.parametrize(
    "change",
    [
        "plan_id <> prev_plan_id",
        "plan_id = prev_plan_id AND unit_amount > prev_unit_amount AND quantity = prev_quantity",
        "plan_id = prev_plan_id AND unit_amount < prev_unit_amount AND quantity = prev_quantity",
        "quantity > prev_quantity",
        "quantity < prev_quantity",
        "prev_discount_percent = 0 AND discount_percent > 0",
        "prev_discount_percent > 0 AND discount_percent = 0",
        "prev_discount_amount = 0 AND discount_amount > 0",
        "prev_discount_amount > 0 AND discount_amount = 0",
        "prev_is_trial AND NOT is_trial",
    ],
)
def test_lines_change_terms(con: duckdb.DuckDBPyConnection, change: str) -> None:
    assert _count(con, f"SELECT * FROM steps WHERE period_number > 1 AND {change}") > 0


def test_trials_start_subscriptions_at_a_price(con: duckdb.DuckDBPyConnection) -> None:
    assert _count(con, "SELECT * FROM steps WHERE is_trial AND period_number > 1") == 0
    assert _count(con, "SELECT * FROM subscriptions WHERE is_trial AND unit_amount = 0") == 0
    assert _count(con, "SELECT * FROM subscriptions WHERE is_trial") > 0


def test_plan_changes_by_cancel_and_recreate(con: duckdb.DuckDBPyConnection) -> None:
    """A base line ends on day D and a new subscription of the same customer starts on D."""
    assert _count(
        con,
        """SELECT * FROM subscriptions old JOIN subscriptions new
             ON new.customer_id = old.customer_id AND new.valid_from = old.valid_to
            AND new.subscription_id <> old.subscription_id
            AND new.item_id = 'base' AND old.item_id = 'base' AND new.plan_id <> old.plan_id""",
    ) > 0


def test_churned_customers_come_back(con: duckdb.DuckDBPyConnection) -> None:
    """Some customer starts a subscription a month or more after all earlier ones ended."""
    assert _count(
        con,
        """SELECT * FROM (
             SELECT customer_id, valid_from,
                    max(coalesce(valid_to, DATE '9999-12-31')) OVER (
                        PARTITION BY customer_id ORDER BY valid_from
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS ended
             FROM subscriptions)
           WHERE valid_from >= ended + INTERVAL 30 DAY""",
    ) > 0
