"""The same project on PostgreSQL and Spark gives the same marts as on DuckDB.

Runs when MRR_ENGINE names a warehouse target (postgres or spark): `make test-postgres` and
`make test-spark` set it, with a throw-away cluster or a local Spark session. The demo data is
loaded with `mrr load`, built and tested with `mrr build --target`, and every mart is compared
row by row with the DuckDB build: amounts to the cent (exact decimals), rates to 1e-9.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from mrr.build import build
from mrr.load import load
from mrr.project import DEMO_AS_OF, DEMO_INPUT, BuildSpec
from mrr.warehouse import MARTS, read_table

ENGINE = os.environ.get("MRR_ENGINE")
pytestmark = pytest.mark.skipif(
    not ENGINE, reason="set MRR_ENGINE=postgres|spark (make test-postgres / make test-spark)"
)
RATE_TOLERANCE = 1e-9


@pytest.fixture(scope="module")
def engine_build() -> str:
    """The demo data loaded, built and tested on MRR_ENGINE (every dbt data and unit test must
    pass: the unit tests check the SQL on this engine too)."""
    assert ENGINE is not None
    load(DEMO_INPUT, ENGINE, progress=lambda _: None)
    build(BuildSpec(input_dir=DEMO_INPUT, database=Path("unused"), as_of=DEMO_AS_OF, target=ENGINE), quiet=True,
          unit_tests=True)
    return ENGINE


def comparable(value: object) -> object:
    """One cell in a form both engines agree on: dates as dates, no NaN, no numpy scalars."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date()
    if hasattr(value, "item"):
        return value.item()
    return value


def same(left: object, right: object) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, Decimal) or isinstance(right, Decimal):
        return Decimal(str(left)) == Decimal(str(right))
    if isinstance(left, float) or isinstance(right, float):
        return abs(float(left) - float(right)) <= RATE_TOLERANCE
    return left == right


def rows_by_key(table: pd.DataFrame, key: list[str]) -> dict[tuple, dict[str, object]]:
    table = table.rename(columns=str.lower)
    records = [{name: comparable(value) for name, value in row.items()} for row in table.to_dict("records")]
    return {tuple(record[name] for name in key): record for record in records}


def differences(mart: str, ours: pd.DataFrame, theirs: pd.DataFrame) -> list[str]:
    key = MARTS[mart]
    left, right = rows_by_key(ours, key), rows_by_key(theirs, key)
    problems = [f"{mart}: row {k} only on DuckDB" for k in left.keys() - right.keys()]
    problems += [f"{mart}: row {k} only on {ENGINE}" for k in right.keys() - left.keys()]
    if set(ours.columns.str.lower()) != set(theirs.columns.str.lower()):
        problems.append(f"{mart}: columns differ: {sorted(ours.columns)} vs {sorted(theirs.columns)}")
    for row_key in left.keys() & right.keys():
        for column, value in left[row_key].items():
            if not same(value, right[row_key].get(column)):
                problems.append(f"{mart} {row_key} {column}: DuckDB {value!r}, {ENGINE} {right[row_key].get(column)!r}")
    return problems


@pytest.mark.parametrize("mart", sorted(MARTS))
def test_mart_equals_the_duckdb_build(mart: str, engine_build: str, demo_database: Path) -> None:
    duckdb_rows = read_table(mart, database=demo_database)
    engine_rows = read_table(mart, target=engine_build)
    assert len(duckdb_rows) > 0, f"{mart} is empty on DuckDB: nothing would be compared"
    problems = differences(mart, duckdb_rows, engine_rows)
    assert not problems, "\n".join(problems[:20])


def test_the_comparison_catches_a_one_cent_difference(engine_build: str, demo_database: Path) -> None:
    """The comparison itself can fail: one amount off by a cent is reported."""
    duckdb_rows = read_table("metrics_mrr_monthly", database=demo_database)
    changed = duckdb_rows.copy()
    changed.loc[0, "ending_mrr"] = changed.loc[0, "ending_mrr"] + Decimal("0.01")
    problems = differences("metrics_mrr_monthly", changed, read_table("metrics_mrr_monthly", target=engine_build))
    assert len(problems) == 1 and "ending_mrr" in problems[0]


@pytest.fixture(scope="module")
def quarantined_catalogue(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, dict[int, str]]:
    """The bad-input catalogue (docs/input-checks.md) built on the engine with on_invalid:
    quarantine, in schemas of its own: its audit table and the rule expected per input row."""
    from test_input_checks import AS_OF, catalogue_rows, write_input

    rows, expected = catalogue_rows()
    input_dir = write_input(tmp_path_factory.mktemp("catalogue") / "input", rows)
    assert ENGINE is not None
    load(input_dir, ENGINE, schema="raw_checks", progress=lambda _: None)
    os.environ["MRR_SCHEMA"] = "checks"
    try:
        spec = BuildSpec(input_dir=input_dir, database=Path("unused"), as_of=AS_OF, target=ENGINE,
                         extra_vars={"mrr_source_schema": "raw_checks", "on_invalid": "quarantine"})
        build(spec, quiet=True)
        audit = read_table("int_subscription_periods_checked", target=ENGINE)
    finally:
        del os.environ["MRR_SCHEMA"]
    return audit, expected


def test_bad_rows_are_rejected_by_the_same_rules(quarantined_catalogue) -> None:
    """Every catalogue row is rejected by its rule, pointed at by its row in the file, as on DuckDB
    (tests/python/test_input_checks.py): try_cast and row numbering agree across engines."""
    audit, expected = quarantined_catalogue
    rejected = audit.rename(columns=str.lower).dropna(subset=["rejection_reason"])
    found = {int(row): reason for row, reason in zip(rejected.input_row_number, rejected.rejection_reason)}
    assert found == expected
