"""Rejected input rows: a short report per rule from the audit table of a (failed) build."""

from __future__ import annotations

from pathlib import Path

import duckdb

from mrr.warehouse import open_duckdb

AUDIT_TABLE = "int_subscription_periods_checked"
EXAMPLES_PER_RULE = 3


def rejection_counts(database: Path) -> dict[str, int]:
    """Rejected input rows per rule, or {} when the database has no audit table."""
    with open_duckdb(database) as connection:
        if not has_audit_table(connection):
            return {}
        rows = connection.execute(
            f"select rejection_reason, count(*) from {AUDIT_TABLE}"
            " where rejection_reason is not null group by 1 order by 2 desc, 1"
        ).fetchall()
    return dict(rows)


def has_audit_table(connection: duckdb.DuckDBPyConnection) -> bool:
    return bool(connection.execute(
        "select count(*) from information_schema.tables where table_name = ?", [AUDIT_TABLE]
    ).fetchone()[0])


def rejection_report(database: Path, subscriptions_file: Path) -> str:
    """One paragraph per broken rule: how many rows of which file, and a few example rows."""
    counts = rejection_counts(database)
    if not counts:
        return ""
    lines = [f"{sum(counts.values()):,} row(s) of {subscriptions_file} break the input contract:"]
    with open_duckdb(database) as connection:
        for rule, count in counts.items():
            lines.append(f"  {rule}: {count:,} row(s), e.g.")
            examples = connection.execute(
                "select input_row_number, subscription_id, item_id, customer_id, plan_id,"
                f" valid_from, valid_to from {AUDIT_TABLE} where rejection_reason = ?"
                " order by input_row_number limit ?",
                [rule, EXAMPLES_PER_RULE],
            ).fetchall()
            for row_number, subscription, item, customer, plan, valid_from, valid_to in examples:
                lines.append(
                    f"    row {row_number}: subscription_id={subscription!r} item_id={item!r}"
                    f" customer_id={customer!r} plan_id={plan!r} valid_from={valid_from} valid_to={valid_to}"
                )
    lines.append(f"The rows and their reasons are in table {AUDIT_TABLE} of {database}.")
    return "\n".join(lines)
