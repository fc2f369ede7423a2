"""What the report shows, read from the marts of a built DuckDB database (read-only).

Only reads: every number comes from a mart as it is, so the report always agrees with the marts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from mrr.project import MrrError
from mrr.warehouse import open_duckdb

REPORT_MARTS = ("metrics_mrr_monthly", "fct_mrr_movements", "fct_plan_transitions", "fct_cohort_retention",
                "dim_customers")
LARGEST_MOVEMENTS = 10

Row = dict[str, Any]


@dataclass(frozen=True)
class ReportData:
    """The marts' rows the report draws, oldest month first."""

    database: Path
    currency: str
    monthly: list[Row]
    movements_by_type: list[Row]
    transitions: list[Row]
    cohorts: list[Row]
    largest_movements: list[Row]
    customer_names: dict[str, str]  # customer_id -> customer_name, where the input names them
    plan_names: dict[str, str]  # plan_id -> plan_name, for the plans the marts name

    @property
    def months(self) -> list[dt.date]:
        return [row["month"] for row in self.monthly]

    @property
    def as_of_month(self) -> Row:
        return self.monthly[-1]

    @property
    def previous_month(self) -> Row | None:
        return self.monthly[-2] if len(self.monthly) > 1 else None


MONTHLY_SQL = "select * from metrics_mrr_monthly order by month"

MOVEMENTS_BY_TYPE_SQL = """
select month, movement_category, movement_type, sum(mrr_amount) as mrr_amount
from fct_mrr_movements
group by all
order by month, movement_category, movement_type
"""

TRANSITIONS_SQL = """
select
    coalesce(from_plan_name, from_plan_id) as from_plan,
    coalesce(to_plan_name, to_plan_id) as to_plan,
    sum(line_changes) as line_changes,
    sum(case when transition_type = 'upgrade' then line_changes else 0 end) as upgrades,
    sum(case when transition_type = 'downgrade' then line_changes else 0 end) as downgrades,
    sum(case when transition_type = 'lateral' then line_changes else 0 end) as laterals,
    sum(plan_change_mrr) as plan_change_mrr
from fct_plan_transitions
group by all
order by from_plan, to_plan
"""

COHORTS_SQL = """
select
    cohort_month, months_since_start, cohort_customers, customers_with_mrr, mrr, starting_mrr,
    logo_retention, net_revenue_retention
from fct_cohort_retention
order by cohort_month, months_since_start
"""

LARGEST_MOVEMENTS_SQL = f"""
select customer_id, subscription_id, item_id, movement_type, movement_category, from_plan_id,
    to_plan_id, mrr_amount
from fct_mrr_movements
where month = (select max(month) from metrics_mrr_monthly)
order by abs(mrr_amount) desc, customer_id, subscription_id, item_id, movement_type
limit {LARGEST_MOVEMENTS}
"""


# Plan names reach the marts through fct_plan_transitions only (there is no plan dimension): a plan
# that never took part in a plan change is shown by its id.
PLAN_NAMES_SQL = """
select plan_id, max(plan_name) as plan_name
from (
    select from_plan_id as plan_id, from_plan_name as plan_name from fct_plan_transitions
    union all
    select to_plan_id, to_plan_name from fct_plan_transitions
) as plans
where plan_id is not null and plan_name is not null and plan_name <> ''
group by plan_id
"""

CUSTOMER_NAMES_SQL = """
select customer_id, customer_name
from dim_customers
where customer_name is not null and customer_name <> ''
"""


def fetch(connection: duckdb.DuckDBPyConnection, sql: str) -> list[Row]:
    """Rows of a query as dicts keyed by column name."""
    cursor = connection.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, values)) for values in cursor.fetchall()]


def has_column(connection: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    query = "select count(*) from information_schema.columns where table_name = ? and column_name = ?"
    return bool(connection.execute(query, [table, column]).fetchone()[0])


def customer_names(connection: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """customer_name by customer_id from dim_customers; empty when the customers input has no names."""
    if not has_column(connection, "dim_customers", "customer_name"):
        return {}
    return {str(key): str(name) for key, name in connection.execute(CUSTOMER_NAMES_SQL).fetchall()}


def plan_names(connection: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return {str(key): str(name) for key, name in connection.execute(PLAN_NAMES_SQL).fetchall()}


def check_marts(connection: duckdb.DuckDBPyConnection, database: Path) -> None:
    """An MrrError naming the marts the database lacks, or saying it has no month to show."""
    present = {name for (name,) in connection.execute("select table_name from information_schema.tables").fetchall()}
    missing = [mart for mart in REPORT_MARTS if mart not in present]
    if missing:
        raise MrrError(f"{database} lacks the mart(s) {', '.join(missing)}: build it with `mrr build` first.")
    if not connection.execute("select count(*) from metrics_mrr_monthly").fetchone()[0]:
        raise MrrError(f"{database} has no month with MRR: nothing to report.")


def read_report_data(database: Path, currency: str) -> ReportData:
    """Everything the report shows, from one read-only connection."""
    if not database.is_file():
        raise MrrError(f"{database} does not exist: run `mrr build` first.")
    try:
        connection = open_duckdb(database)
    except duckdb.Error as error:
        raise MrrError(f"{database} cannot be opened as a DuckDB database: {error}") from error
    with connection:
        check_marts(connection, database)
        return ReportData(
            database=database,
            currency=currency,
            monthly=fetch(connection, MONTHLY_SQL),
            movements_by_type=fetch(connection, MOVEMENTS_BY_TYPE_SQL),
            transitions=fetch(connection, TRANSITIONS_SQL),
            cohorts=fetch(connection, COHORTS_SQL),
            largest_movements=fetch(connection, LARGEST_MOVEMENTS_SQL),
            customer_names=customer_names(connection),
            plan_names=plan_names(connection),
        )


def to_json(value: Any) -> Any:
    """Exact decimals as strings, dates as ISO text: the JSON island keeps every digit."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_json(item) for item in value]
    return value
