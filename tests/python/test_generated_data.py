"""Generated data through the real build: clean input, every movement type, validated marts."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from mrr.build import build
from mrr.generate import generate
from mrr.project import BuildSpec
from mrr.validate import report, validate

from conftest import run_query

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> BuildSpec:
    root = tmp_path_factory.mktemp("generated")
    generate(root / "input", customers=3000, months=30, seed=11, start_month="2022-01-01")
    spec = BuildSpec(input_dir=root / "input", database=root / "mrr.duckdb", as_of=dt.date(2024, 6, 30))
    build(spec, quiet=True)
    return spec


def test_generated_input_passes_every_input_check(generated):
    rejected = run_query(generated.database,
                         "select count(*) from int_subscription_periods_checked where rejection_reason is not null")
    assert rejected == [(0,)]


def test_generated_data_produces_every_movement_type(generated):
    with (PROJECT / "seeds" / "movement_types.csv").open() as handle:
        all_types = {row["movement_type"] for row in csv.DictReader(handle)}
    produced = {kind for (kind,) in run_query(generated.database, "select distinct movement_type from fct_mrr_movements")}
    assert produced == all_types


def test_validate_passes_on_generated_data(generated):
    checks, summary = validate(generated)
    assert all(check.passed for check in checks), report(checks, summary)
    movements = run_query(generated.database, "select count(*) from fct_mrr_movements")[0][0]
    assert movements > 10_000
