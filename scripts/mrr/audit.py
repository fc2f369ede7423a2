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


def has_table(connection: duckdb.DuckDBPyConnection, table: str, schema: str | None = None) -> bool:
    """Whether the database has `table` (a table or a view), in `schema` when given."""
    return bool(connection.execute(
        "select count(*) from information_schema.tables where table_name = ?"
        " and (? is null or table_schema = ?)", [table, schema, schema]
    ).fetchone()[0])


def place(path: Path | None, row_number: int) -> str:
    """Where a row is in its file: 'line N' of a CSV file (the header is line 1), 'row N' of a
    Parquet file or a table (1 = the first row)."""
    if path is not None and path.suffix == ".csv":
        return f"line {row_number + 1}"
    return f"row {row_number}"


def written_rows(connection: duckdb.DuckDBPyConnection, schema: str, table: str,
                 row_numbers: list[int]) -> dict[int, dict[str, str]]:
    """Rows of the source `schema.table` (on DuckDB, the view over the input file) as written,
    by input_row_number, numbered as staging numbers them; {} when the source is not there."""
    if not row_numbers or not has_table(connection, table, schema):
        return {}
    cursor = connection.execute(f'select * from "{schema}"."{table}" limit 0')
    names = [column[0] for column in cursor.description]
    number = '"input_row_number"' if "input_row_number" in [name.lower() for name in names] else "row_number() over ()"
    listed = ", ".join(f'cast("{name}" as varchar)' for name in names if name.lower() != "input_row_number")
    rows = connection.execute(
        f'select * from (select cast({number} as bigint) as mrr_written_row, {listed}'
        f' from "{schema}"."{table}") as numbered'
        f" where mrr_written_row in ({', '.join('?' for _ in row_numbers)})", row_numbers,
    ).fetchall()
    shown = [name for name in names if name.lower() != "input_row_number"]
    return {row[0]: {name: value if value is not None else "" for name, value in zip(shown, row[1:])}
            for row in rows}


def rejection_report(database: Path, input_files: dict[str, Path], source_schema: str = "raw") -> str:
    """Per file, one paragraph per broken rule: how many rows, a few example rows as the file has
    them (line numbers of a CSV count the header as line 1), and what the rule found where its
    name does not say it (missing_fx_rate: the currencies and months)."""
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
                written = written_rows(connection, source_schema, table, [row[0] for row in examples])
                for row_number, *values in examples:
                    if row_number in written:
                        # the row as the file has it: every value as written (text), empty as ''
                        shown = " ".join(f"{column}={value!r}" for column, value in written[row_number].items())
                    else:
                        shown = " ".join(f"{column}={value!r}" if isinstance(value, str) else f"{column}={value}"
                                         for column, value in zip(columns, values))
                    lines.append(f"    {place(input_files.get(table), row_number)}: {shown}")
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
