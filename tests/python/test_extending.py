"""docs/extending.md, done for real: its four walkthroughs applied to a copy of the project.

The guide shows each walkthrough's change as ```diff blocks. This module copies the project to a
temporary folder, checks that each walkthrough's diff applies on its own to the unchanged code
(so that the guide cannot drift from it: a diff that no longer applies fails naming its
walkthrough), applies all four, builds the demo data once with the copy's runner (every unit and
data test, the customers file with one more attribute, metrics by segment cut by it), runs the
copy's `mrr validate` (its pandas reference patched by walkthrough 4), and checks every new
figure against values computed apart from the SQL: by hand from docs/demo-data.md, or from the
unchanged pandas reference (`mrr.reference`) over the same input files.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from mrr import reference
from mrr.project import CHECKOUT_ROOT, DEMO_AS_OF, DEMO_INPUT

from conftest import run_query

GUIDE = CHECKOUT_ROOT / "docs" / "extending.md"
WALKTHROUGH_HEADING = re.compile(r"^## (\d+)\. (.+)$", re.MULTILINE)
DIFF_BLOCK = re.compile(r"^```diff\n(.*?)^```$", re.MULTILINE | re.DOTALL)
# what is not part of the project: the copy leaves it out
NOT_COPIED = shutil.ignore_patterns(".venv", "warehouse", "target", "logs", ".git", "dbt_packages",
                                    "__pycache__", "*.egg-info", ".pytest_cache")
# walkthrough 3: one more column of the customers input (no code), by which the segments are cut
INDUSTRY = {"c01": "software", "c02": "retail", "c03": "finance"}
# the copy's runner: its scripts/ first on the path, so that `mrr` is the copy's (patched) package
RUNNER = "import sys; sys.path.insert(0, 'scripts'); from mrr.cli import main; sys.exit(main())"


def industry_of(customer_id: str) -> str:
    return INDUSTRY.get(customer_id, "software" if int(customer_id[1:]) % 2 else "retail")


def walkthroughs() -> list[tuple[str, str, str]]:
    """(number, title, diff) of each walkthrough: its diff blocks, in order."""
    text = GUIDE.read_text()
    headings = list(WALKTHROUGH_HEADING.finditer(text))
    found = []
    for heading, following in zip(headings, headings[1:] + [None]):
        body = text[heading.end():following.start() if following else len(text)]
        found.append((heading.group(1), heading.group(2),
                      "".join(block.group(1) for block in DIFF_BLOCK.finditer(body))))
    return found


def git_apply(project: Path, diff: str, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "apply", "--whitespace=nowarn", *options, "-"], cwd=project,
                          input=diff, text=True, capture_output=True, check=False)


def copy_project(destination: Path) -> Path:
    shutil.copytree(CHECKOUT_ROOT, destination, ignore=NOT_COPIED)
    # a repository of its own, so that git apply never takes a parent folder's for the root
    subprocess.run(["git", "init", "-q"], cwd=destination, check=True)
    return destination


def run_mrr(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("DBT_PROFILES_DIR", "MRR_HOME")}
    return subprocess.run([sys.executable, "-c", RUNNER, *args], cwd=project, env=env, text=True,
                          capture_output=True, check=False)


def write_input(folder: Path) -> Path:
    """The demo input, its customers file with the column industry (walkthrough 3, no code)."""
    shutil.copytree(DEMO_INPUT, folder)
    path = folder / "customers.csv"
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*rows[0], "industry"])
        writer.writeheader()
        writer.writerows({**row, "industry": industry_of(row["customer_id"])} for row in rows)
    return folder


def test_the_guide_has_four_walkthroughs_each_with_a_diff():
    found = walkthroughs()
    assert [number for number, _, _ in found] == ["1", "2", "3", "4"]
    assert all(diff.startswith("diff --git ") for _, _, diff in found), found


@pytest.fixture(scope="module")
def extended(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project with the four walkthroughs applied, built on the demo data: its database."""
    root = tmp_path_factory.mktemp("extending")
    project = copy_project(root / "project")
    for number, title, diff in walkthroughs():
        checked = git_apply(project, diff, "--check")
        if checked.returncode != 0:
            pytest.fail(f"docs/extending.md, walkthrough {number} ({title}) no longer applies to"
                        f" the code: update its diff blocks.\n{checked.stderr}")
    for number, title, diff in walkthroughs():
        applied = git_apply(project, diff)
        if applied.returncode != 0:
            pytest.fail(f"docs/extending.md, walkthrough {number} ({title}) does not apply after"
                        f" the walkthroughs before it.\n{applied.stderr}")
    input_dir = write_input(root / "input")
    database = root / "extended.duckdb"
    built = run_mrr(project, "build", "--input", str(input_dir), "--database", str(database),
                    "--as-of", DEMO_AS_OF.isoformat(), "--unit-tests",
                    "--vars", "{mrr_segment_column: industry}")
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]
    validated = run_mrr(project, "validate", "--database", str(database))
    assert validated.returncode == 0, validated.stdout + validated.stderr
    return database


@pytest.fixture(scope="module")
def base_reference() -> reference.Reference:
    """The unchanged pandas recomputation of the demo data (walkthroughs 1 and 4 check against it)."""
    return reference.compute(DEMO_INPUT, DEMO_AS_OF)


def period_start(month: dt.date, grain: str) -> dt.date:
    if grain == "quarter":
        return month.replace(month=(month.month - 1) // 3 * 3 + 1)
    return month.replace(month=1) if grain == "year" else month


def test_1_expanding_customers_in_every_metrics_mart(extended: Path, base_reference):
    movements = base_reference.movements
    expanding = movements[movements["movement_type"].map(reference.CATEGORY) == "expansion"]
    for mart, grain, segmented in (("metrics_mrr_monthly", "month", False),
                                   ("metrics_mrr_quarterly", "quarter", False),
                                   ("metrics_mrr_yearly", "year", False),
                                   ("metrics_mrr_monthly_by_segment", "month", True)):
        customers: dict[tuple, set[str]] = defaultdict(set)
        for month, customer in zip(expanding["month"], expanding["customer_id"]):
            key = (period_start(month, grain), industry_of(customer) if segmented else "all")
            customers[key].add(customer)
        segment = "segment" if segmented else "'all'"
        rows = run_query(extended, f"select {grain}, {segment}, expanding_customers from {mart}")
        actual = {(period, seg): count for period, seg, count in rows if count}
        assert actual == {key: len(value) for key, value in customers.items()}, mart
        assert all(count == 0 or (period, seg) in customers for period, seg, count in rows)
    quarterly = dict(run_query(extended, "select quarter, expanding_customers from metrics_mrr_quarterly"))
    assert quarterly[dt.date(2024, 4, 1)] == 3  # c01 upgrades in April and adds on in June: once
    assert run_query(extended, "select expanding_customers from metrics_mrr_yearly") == [(8,)]


def test_2_mrr_by_plan_adds_up_and_matches_december_by_hand(extended: Path, base_reference):
    december = run_query(
        extended,
        "select plan_id, plan_name, mrr, subscription_lines, customers from metrics_mrr_monthly_by_plan"
        " where month = date '2024-12-01' order by plan_id")
    assert december == [
        ("business_y", "Business (annual per seat)", Decimal("208.33"), 1, 1),
        ("enterprise_y", "Enterprise (annual)", Decimal("1100.00"), 1, 1),
        ("pro_eur_m", "Pro EUR (monthly)", Decimal("105.00"), 1, 1),
        ("pro_m", "Pro (monthly)", Decimal("600.00"), 4, 4),
        ("pro_y", "Pro (annual)", Decimal("120.00"), 1, 1),
        ("starter_m", "Starter (monthly)", Decimal("150.00"), 3, 3),
        ("starter_w", "Starter (weekly)", Decimal("39.00"), 1, 1),
        ("team_q", "Team (quarterly per seat)", Decimal("462.00"), 2, 2),
    ]
    totals = dict(run_query(extended, "select month, sum(mrr) from metrics_mrr_monthly_by_plan group by 1"))
    bridge = base_reference.bridge
    assert totals == dict(zip(bridge["month"], bridge["ending_mrr"]))


def test_3_customer_attributes_from_the_input_and_computed(extended: Path):
    attributes = run_query(extended, "select customer_id, industry, first_plan_ids from dim_customers")
    assert {customer: industry for customer, industry, _ in attributes} == {
        customer: industry_of(customer) for customer, _, _ in attributes}
    assert {customer: plans for customer, _, plans in attributes} == {
        "c01": "starter_m", "c02": "pro_m, team_q", "c03": "enterprise_y", "c04": "starter_w",
        "c05": "pro_m", "c06": "pro_y", "c07": "starter_m", "c08": "starter_m",
        "c09": "pro_eur_m", "c10": "starter_eur_m", "c12": "business_y", "c13": "starter_m",
        "c14": "team_q", "c15": "starter_m", "c16": "pro_y", "c17": "analytics_m, pro_m",
    }
    monthly = run_query(extended, "select distinct customer_id, industry from fct_customer_mrr_monthly")
    assert all(industry == industry_of(customer) for customer, industry in monthly)
    segments = {segment for (segment,) in run_query(
        extended, "select distinct segment from metrics_mrr_monthly_by_segment")}
    assert segments == {"software", "retail", "finance"}


def test_4_trial_conversion_is_c04_in_march_and_new_figures_do_not_move(extended: Path, base_reference):
    assert run_query(
        extended,
        "select month, customer_id, movement_category, mrr_amount from fct_mrr_movements"
        " where movement_type = 'trial_conversion'",
    ) == [(dt.date(2024, 3, 1), "c04", "new", Decimal("52.00"))]
    bridge = base_reference.bridge
    rows = run_query(extended, "select month, new_mrr, new_customers from metrics_mrr_monthly")
    assert {month: (new_mrr, customers) for month, new_mrr, customers in rows} == {
        month: (new_mrr, customers) for month, new_mrr, customers
        in zip(bridge["month"], bridge["new_mrr"], bridge["new_customers"])}
