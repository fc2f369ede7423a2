"""The semantic layer through MetricFlow's own CLI (`mf query`) on a built demo warehouse.

mf reads the semantic manifest from <project>/target/semantic_manifest.json, whose table names carry
the DuckDB catalog (the database file's name). So that concurrent dbt runs in the project folder cannot
swap it, the tests run mf on a private project folder (links to the project's files and its own
target/) after `dbt parse` there with MRR_DATABASE set to the database built for them.
"""

from __future__ import annotations

import csv
import math
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from mrr.build import build
from mrr.project import DEMO_AS_OF, DEMO_INPUT, PROJECT_ROOT, BuildSpec
from mrr.warehouse import open_duckdb

BIN = Path(sys.executable).parent
PROJECT_ENTRIES = ("dbt_project.yml", "models", "macros", "seeds", "tests", "analyses", "data")
CENT = Decimal("0.01")


class Warehouse:
    """A built demo database, and mf pointed at it."""

    def __init__(self, database: Path, project_dir: Path) -> None:
        self.database = database
        self.project_dir = project_dir
        self.env = {
            **os.environ,
            "DBT_PROFILES_DIR": str(PROJECT_ROOT),
            "DBT_PROJECT_DIR": str(project_dir),
            "MRR_DATABASE": str(database),
            "MRR_TARGET": "duckdb",
        }

    def run(self, *command: str) -> None:
        result = subprocess.run(
            command, cwd=self.project_dir, env=self.env, capture_output=True, text=True, timeout=600
        )
        assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"

    def mf_query(self, metrics: list[str], group_by: str) -> list[dict[str, str]]:
        """`mf query --metrics ... --group-by ...` written as CSV, one dict per row."""
        output = self.project_dir / "mf_output.csv"
        output.unlink(missing_ok=True)
        self.run(
            str(BIN / "mf"), "query",
            "--metrics", ",".join(metrics),
            "--group-by", group_by,
            "--order", group_by,
            "--csv", str(output),
            "--quiet",
        )
        with output.open(newline="") as handle:
            return list(csv.DictReader(handle))

    def sql(self, query: str) -> list[tuple]:
        # Closed before mf runs again: DuckDB lets one process at a time open the file for writing.
        with open_duckdb(self.database) as connection:
            return connection.execute(query).fetchall()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    root = tmp_path_factory.mktemp("semantic")
    database = root / "semantic.duckdb"
    build(BuildSpec(input_dir=DEMO_INPUT, database=database, as_of=DEMO_AS_OF), quiet=True)
    project_dir = root / "project"
    project_dir.mkdir()
    for entry in PROJECT_ENTRIES:
        (project_dir / entry).symlink_to(PROJECT_ROOT / entry)
    warehouse = Warehouse(database, project_dir)
    warehouse.run(str(BIN / "dbt"), "parse", "--quiet", "--project-dir", str(project_dir))
    return warehouse


def month_of(value: str) -> str:
    """mf's metric_time ('2024-03-01 00:00:00') as an ISO date."""
    return value[:10]


def money(value: str) -> Decimal:
    return Decimal(value).quantize(CENT)


def rate(value: str) -> float | None:
    return None if value == "" else float(value)


def same_rates(actual: list[float | None], expected: list[float | None]) -> bool:
    """Equal up to float rounding, null (no denominator) where the mart has null."""
    return len(actual) == len(expected) and all(
        (a is None and e is None) or (a is not None and e is not None and math.isclose(a, e, rel_tol=1e-12))
        for a, e in zip(actual, expected)
    )


def test_expansion_mrr_by_month_equals_the_monthly_mart(warehouse):
    """The README's query: mf query --metrics expansion_mrr --group-by metric_time__month."""
    rows = warehouse.mf_query(["expansion_mrr"], "metric_time__month")
    actual = {month_of(row["metric_time__month"]): money(row["expansion_mrr"]) for row in rows}
    expected = {
        month.isoformat(): amount
        for month, amount in warehouse.sql("select month, expansion_mrr from metrics_mrr_monthly")
    }
    assert actual == expected
    assert len(expected) == 12 and sum(expected.values()) == Decimal("576.86")


def test_ratio_metrics_by_month_equal_the_monthly_mart(warehouse):
    """Ratio (customer_upgrade_rate, expansion_mrr_rate) and derived (nrr, grr) metrics, month by month."""
    metrics = ["nrr", "grr", "customer_upgrade_rate", "expansion_mrr_rate", "logo_churn_rate", "revenue_churn_rate"]
    rows = warehouse.mf_query(metrics, "metric_time__month")
    actual = {month_of(row["metric_time__month"]): [rate(row[name]) for name in metrics] for row in rows}
    expected = {
        month.isoformat(): list(values)
        for month, *values in warehouse.sql(f"select month, {', '.join(metrics)} from metrics_mrr_monthly")
    }
    assert actual.keys() == expected.keys()
    for month, values in expected.items():
        assert same_rates(actual[month], values), (month, actual[month], values)
    # The demo has upgrades (April, June, July) and a month below 100 % NRR, so the check is not vacuous.
    assert any(values[2] for values in expected.values())
    assert any(values[0] is not None and values[0] < 1 for values in expected.values())


@pytest.mark.parametrize("period", ["quarter", "year"])
def test_semi_additive_metrics_by_period_equal_the_period_marts(warehouse, period):
    """Stocks at the period's start / end and flows summed: mrr, starting_mrr and expansion_mrr_rate by
    quarter and year equal metrics_mrr_quarterly / _yearly."""
    rows = warehouse.mf_query(
        ["mrr", "starting_mrr", "expansion_mrr", "expansion_mrr_rate"], f"metric_time__{period}"
    )
    actual = {
        month_of(row[f"metric_time__{period}"]): (
            money(row["mrr"]), money(row["starting_mrr"]), money(row["expansion_mrr"]),
            rate(row["expansion_mrr_rate"]),
        )
        for row in rows
    }
    expected = {
        start.isoformat(): (ending, starting, expansion, expansion_rate)
        for start, ending, starting, expansion, expansion_rate in warehouse.sql(
            f"select {period}, ending_mrr, starting_mrr, expansion_mrr, expansion_mrr_rate"
            f" from metrics_mrr_{period}ly"
        )
    }
    assert actual.keys() == expected.keys()
    for start, values in expected.items():
        assert actual[start][:3] == values[:3], start
        assert same_rates([actual[start][3]], [values[3]]), (start, actual[start], values)
