"""Readable tables printed from the marts of a built DuckDB database."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from mrr.warehouse import open_duckdb

BRIDGE_COLUMNS = (
    ("month", "month"),
    ("starting_mrr", "start"),
    ("new_mrr", "+new"),
    ("reactivation_mrr", "+react."),
    ("expansion_mrr", "+expansion"),
    ("contraction_mrr", "-contraction"),
    ("churned_mrr", "-churn"),
    ("fx_mrr", "fx"),
    ("ending_mrr", "end"),
    ("customers_end", "customers"),
    ("nrr", "NRR (month)"),
)


def fetch_bridge(database: Path, months: int) -> list[tuple]:
    """The last `months` rows of metrics_mrr_monthly, oldest first."""
    columns = ", ".join(name for name, _ in BRIDGE_COLUMNS)
    with open_duckdb(database) as connection:
        rows = connection.execute(
            f"select {columns} from metrics_mrr_monthly order by month desc limit ?", [months]
        ).fetchall()
    return list(reversed(rows))


def format_cell(value: object) -> str:
    """Money with thousands separators, rates as percentages, dates as YYYY-MM."""
    if value is None:
        return "-"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, float):
        return f"{value:.1%}"
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m")
    return str(value)


def render_table(headers: list[str], rows: list[tuple]) -> str:
    """A plain-text table with right-aligned columns."""
    cells = [headers] + [[format_cell(value) for value in row] for row in rows]
    widths = [max(len(row[index]) for row in cells) for index in range(len(headers))]
    lines = ["  ".join(cell.rjust(width) for cell, width in zip(row, widths)) for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def bridge_table(database: Path, months: int = 6) -> str:
    """The MRR bridge of the last months, as printed by `mrr demo`."""
    headers = [label for _, label in BRIDGE_COLUMNS]
    return render_table(headers, fetch_bridge(database, months))
