"""`mrr bench` at a small size: it runs end to end and what it reports agrees with the database.
Never a timed assertion: timings on a shared machine are noise."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import mrr.bench
from mrr.bench import as_of_for, bench, report
from mrr.cli import main

from conftest import run_query

# the fixed cost is measured on a smaller data set than the sizes here, to keep the test short
CUSTOMERS, FIXED_COST_CUSTOMERS, MONTHS = 300, 100, 6


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    """(fixed cost, results) of `mrr bench` on one size."""
    return bench([CUSTOMERS], months=MONTHS, seed=3, workdir=tmp_path_factory.mktemp("bench"),
                 fixed_cost_customers=FIXED_COST_CUSTOMERS)


@pytest.fixture(scope="module")
def result(measured):
    return measured[1][0]


@pytest.fixture(scope="module")
def fixed(measured):
    return measured[0]


def test_as_of_is_the_last_day_of_the_last_generated_month():
    assert as_of_for(36) == dt.date(2024, 12, 31)
    assert as_of_for(2, "2023-12-01") == dt.date(2024, 1, 31)


def test_input_and_mart_rows_are_those_of_the_files_and_the_database(result):
    assert result["input_rows"]["customers"] == CUSTOMERS
    assert set(result["input_rows"]) == {"subscriptions", "customers", "plans", "fx_rates"}
    database = result["database"]
    marts = {name for (name,) in run_query(database, "select table_name from information_schema.tables")
             if name.startswith(("fct_", "dim_", "metrics_"))}
    assert set(result["mart_rows"]) == marts
    for mart, rows in result["mart_rows"].items():
        assert run_query(database, f"select count(*) from {mart}") == [(rows,)]
    assert result["mart_rows"]["metrics_mrr_monthly"] == MONTHS


def test_timings_cover_every_model_and_the_tests(result):
    assert {"int_line_months", "fct_mrr_movements", "metrics_mrr_monthly"} <= set(result["models"])
    assert result["data_test_count"] > 100
    assert result["build_seconds"] > 0 and result["floor_seconds"] > 0
    assert result["peak_rss_mib"] >= result["build_peak_rss_mib"] > 0


def test_floor_query_counts_the_same_customers_and_about_the_same_mrr(result):
    """The floor is simplified (floating point, no line-level split) but values the same stock."""
    built = run_query(result["database"],
                      "select month, customers_end, ending_mrr from metrics_mrr_monthly order by month")
    assert len(result["floor_months"]) == len(built)
    for (month, customers, mrr, *_), (built_month, built_customers, built_mrr) in zip(
            result["floor_months"], built):
        assert (month, customers) == (built_month.isoformat(), built_customers)
        assert abs(Decimal(str(mrr)) - built_mrr) <= Decimal("0.01") * built_customers


def test_the_fixed_cost_is_a_full_build_of_the_small_size_with_the_same_months_and_seed(fixed, result):
    assert (fixed["customers"], fixed["months"]) == (FIXED_COST_CUSTOMERS, MONTHS)
    assert fixed["input_rows"]["customers"] == FIXED_COST_CUSTOMERS
    assert fixed["mart_rows"]["metrics_mrr_monthly"] == MONTHS
    assert fixed["database"] != result["database"]
    assert set(fixed["models"]) == set(result["models"])
    assert fixed["data_test_count"] == result["data_test_count"]
    assert fixed["build_seconds"] > 0 and fixed["cold_build_seconds"] > 0


def test_a_size_equal_to_the_fixed_cost_is_built_once(monkeypatch, tmp_path):
    built = []

    def fake_bench_size(customers, months, seed, workdir):
        built.append(customers)
        return {"customers": customers}

    monkeypatch.setattr(mrr.bench, "bench_size", fake_bench_size)
    fixed, results = bench([1_000, 5_000], months=MONTHS, seed=3, workdir=tmp_path)
    assert built == [1_000, 5_000]
    assert fixed is results[0] and fixed["customers"] == 1_000


def test_report_prints_every_figure_beside_the_fixed_cost(fixed, result):
    larger = {**result, "customers": CUSTOMERS * 10, "build_seconds": result["build_seconds"] * 2}
    text = report([result, larger], fixed)
    for needle in ("input rows:", "mart rows:", "full build", "peak RSS", "floor query",
                   "build / floor", "slowest models", "linearity: 10x the customers"):
        assert needle in text
    assert f"fixed cost: full build of {FIXED_COST_CUSTOMERS:,} customers x {MONTHS} months" in text
    assert f"{FIXED_COST_CUSTOMERS:,} (fixed cost)" in text
    above = larger["build_seconds"] - fixed["build_seconds"]
    assert f"above the fixed cost: {above:.1f} s" in text
    # the measured build is the nightly one (parse state of the day before's); the cold one beside it
    assert f"cold (no parse state) it took {result['cold_build_seconds']:.1f} s" in text
    # the ratio to the floor is printed as a reference, never as a target
    assert text.count("(a reference, not a target)") == 2
    assert "build/floor (reference)" in text and "target" not in text.replace("not a target", "")


def test_bench_command_accepts_the_deprecated_incremental_flag(monkeypatch, capsys, fixed, result):
    monkeypatch.setattr(mrr.bench, "bench", lambda sizes, **_: (fixed, [result]))
    assert main(["bench", "--sizes", str(CUSTOMERS), "--incremental"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == (
        "--incremental is deprecated and does nothing: every build is now a full build"
        " (docs/materializations.md)."
    )
    assert "fixed cost:" in out and "incremental build" not in out


def test_bench_command_refuses_bad_sizes(capsys):
    assert main(["bench", "--sizes", "ten"]) == 1
    assert "--sizes" in capsys.readouterr().err
