"""Rejected input rows: a short report per file and rule from the audit tables of a (failed) build.

Each checked input file has an audit table holding every one of its rows with the first rule it
breaks (`rejection_reason`, null when valid): int_subscription_periods_checked for subscriptions,
int_fx_rates_checked for fx_rates (docs/input-checks.md).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from mrr.warehouse import open_duckdb

AUDIT_TABLE = "int_subscription_periods_checked"
FX_AUDIT_TABLE = "int_fx_rates_checked"
# input table -> (audit table, the columns that identify an example row)
AUDIT_TABLES: dict[str, tuple[str, list[str]]] = {
    "subscriptions": (AUDIT_TABLE, ["subscription_id", "item_id", "customer_id", "plan_id", "currency",
                                    "valid_from", "valid_to"]),
    "fx_rates": (FX_AUDIT_TABLE, ["currency", "rate_date", "rate_to_reporting"]),
}
EXAMPLES_PER_RULE = 3
DETAILS_PER_RULE = 5


def rejection_counts_by_file(database: Path) -> dict[str, dict[str, int]]:
    """Rejected input rows per input table and rule (tables without rejections left out)."""
    counts: dict[str, dict[str, int]] = {}
    with open_duckdb(database) as connection:
        for table, (audit, _) in AUDIT_TABLES.items():
            if not has_table(connection, audit):
                continue
            rows = connection.execute(
                f"select rejection_reason, count(*) from {audit}"
                " where rejection_reason is not null group by 1 order by 2 desc, 1"
            ).fetchall()
            if rows:
                counts[table] = dict(rows)
    return counts


def rejection_counts(database: Path) -> dict[str, int]:
    """Rejected input rows per rule, or {} when the database has no audit table; a rule of a file
    other than subscriptions is named with its file, e.g. 'duplicate_fx_rate (fx_rates)'."""
    return {
        rule if table == "subscriptions" else f"{rule} ({table})": count
        for table, rules in rejection_counts_by_file(database).items()
        for rule, count in rules.items()
    }


def has_table(connection: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(connection.execute(
        "select count(*) from information_schema.tables where table_name = ?", [table]
    ).fetchone()[0])


def has_audit_table(connection: duckdb.DuckDBPyConnection) -> bool:
    return has_table(connection, AUDIT_TABLE)


def rejection_report(database: Path, input_files: dict[str, Path]) -> str:
    """Per file, one paragraph per broken rule: how many rows, a few example rows, and what the
    rule found where its name does not say it (missing_fx_rate: the currencies and months)."""
    counts = rejection_counts_by_file(database)
    if not counts:
        return ""
    lines = []
    with open_duckdb(database) as connection:
        for table, rules in counts.items():
            audit, columns = AUDIT_TABLES[table]
            lines.append(f"{sum(rules.values()):,} row(s) of {input_files.get(table, table)} break the input contract:")
            for rule, count in rules.items():
                lines.append(f"  {rule}: {count:,} row(s), e.g.")
                examples = connection.execute(
                    f"select input_row_number, {', '.join(columns)} from {audit} where rejection_reason = ?"
                    " order by input_row_number limit ?",
                    [rule, EXAMPLES_PER_RULE],
                ).fetchall()
                for row_number, *values in examples:
                    shown = " ".join(f"{column}={value!r}" if isinstance(value, str) else f"{column}={value}"
                                     for column, value in zip(columns, values))
                    lines.append(f"    row {row_number}: {shown}")
                if table == "subscriptions" and rule == "missing_fx_rate":
                    details = connection.execute(
                        f"select rejection_detail, count(*) from {audit} where rejection_reason = ?"
                        " group by 1 order by 1 limit ?",
                        [rule, DETAILS_PER_RULE],
                    ).fetchall()
                    for detail, rows in details:
                        lines.append(f"    {detail} ({rows:,} row(s)): add a row to fx_rates with a rate_date"
                                     " on or before the month end.")
            lines.append(f"The rows and their reasons are in table {audit} of {database}.")
    return "\n".join(lines)
