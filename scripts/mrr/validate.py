"""`mrr validate`: check a built warehouse against an independent recomputation and invariants.

The second path (mrr.reference) reads the input files directly, in pandas, never a dbt model.
With on_invalid: quarantine the reference is given only the rows the build used: the rejected
row numbers come from the audit tables (subscriptions and fx_rates), and every subscription row
must be either used or rejected.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from mrr.audit import AUDIT_TABLE, FX_AUDIT_TABLE, has_table
from mrr.project import BUILD_TABLE, BuildSpec, MrrError, check_input, input_files, setting
from mrr.reference import InputError, Reference, compute, read_table
from mrr.warehouse import open_duckdb

BRIDGE_COLUMNS = [
    "starting_mrr", "new_mrr", "reactivation_mrr", "expansion_mrr", "contraction_mrr",
    "churned_mrr", "fx_mrr", "ending_mrr", "customers_start", "customers_end", "new_customers",
    "reactivated_customers", "churned_customers",
]
MOVEMENT_KEY = ["month", "customer_id", "subscription_id", "item_id", "movement_type"]
SHOWN_DIFFERENCES = 5


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str = ""


@dataclass(frozen=True)
class Marts:
    """What validate reads from the warehouse."""

    customer_months: pd.DataFrame
    movements: pd.DataFrame
    bridge: pd.DataFrame
    audit: pd.DataFrame
    fx_audit: pd.DataFrame


@dataclass(frozen=True)
class BuildRecord:
    """What `mrr build` recorded in a warehouse: its input, as-of date and --vars."""

    input_dir: str
    as_of_date: dt.date
    build_vars: dict[str, object]
    input_format: str = "contract"


def build_record(database: Path) -> BuildRecord | None:
    """The warehouse's record of its build (mrr.build.record_build), None when it has none."""
    if not database.exists():
        raise MrrError(f"{database} does not exist: run `mrr build` first.")
    with open_duckdb(database) as connection:
        found = connection.execute(
            "select count(*) from information_schema.tables where table_name = ?", [BUILD_TABLE]
        ).fetchone()[0]
        if not found:
            return None
        columns = [row[0] for row in connection.execute(f"describe {BUILD_TABLE}").fetchall()]
        input_format = "input_format" if "input_format" in columns else "'contract'"
        input_dir, as_of_date, build_vars, built_format = connection.execute(
            f"select input_dir, as_of_date, build_vars, {input_format} from {BUILD_TABLE}"
        ).fetchone()
    return BuildRecord(input_dir, as_of_date, json.loads(build_vars or "{}"), built_format or "contract")


def built_as_of(database: Path) -> dt.date:
    """The as-of date a database was built with: the snapshot date of its last month."""
    if not database.exists():
        raise MrrError(f"{database} does not exist: run `mrr build` first.")
    with open_duckdb(database) as connection:
        return connection.execute("select max(snapshot_date) from int_months").fetchone()[0]


def read_marts(database: Path) -> Marts:
    if not database.exists():
        raise MrrError(f"{database} does not exist: run `mrr build` first.")
    with open_duckdb(database) as connection:
        def frame(sql: str) -> pd.DataFrame:
            """Rows as fetched (DECIMAL stays Decimal: no float on the way)."""
            cursor = connection.execute(sql)
            return pd.DataFrame(cursor.fetchall(), columns=[column[0] for column in cursor.description])

        return Marts(
            customer_months=frame(
                "select month, customer_id, mrr, previous_mrr, mrr_change from fct_customer_mrr_monthly"
            ),
            movements=frame(f"select {', '.join(MOVEMENT_KEY)}, mrr_amount from fct_mrr_movements"),
            bridge=frame(f"select month, {', '.join(BRIDGE_COLUMNS)} from metrics_mrr_monthly"),
            audit=frame(f"select input_row_number, rejection_reason from {AUDIT_TABLE}"),
            fx_audit=frame(f"select input_row_number, rejection_reason from {FX_AUDIT_TABLE}")
            if has_table(connection, FX_AUDIT_TABLE)
            else pd.DataFrame(columns=["input_row_number", "rejection_reason"]),
        )


def normalized(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """Months as dates, amounts as Decimal, sorted and indexed by key: comparable across paths."""
    frame = frame.copy()
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    for column in frame.columns:
        if column not in key and frame[column].dtype == object:
            frame[column] = frame[column].map(lambda value: Decimal(str(value)))
    return frame.set_index(key).sort_index()


def differences(name: str, ours: pd.DataFrame, theirs: pd.DataFrame, key: list[str]) -> Check:
    """Compare two frames cell by cell on key; the first differences name the key and values."""
    ours, theirs = normalized(ours, key), normalized(theirs, key)
    joined = pd.merge(ours, theirs, how="outer", left_index=True, right_index=True,
                      suffixes=("_marts", "_reference"))
    problems = []
    for column in ours.columns:
        left, right = joined[f"{column}_marts"], joined[f"{column}_reference"]
        mismatch = ~((left == right) | (left.isna() & right.isna()))
        for index, row in joined[mismatch].iterrows():
            problems.append(f"{dict(zip(key, index if isinstance(index, tuple) else (index,)))}: "
                            f"{column} marts={row[f'{column}_marts']} reference={row[f'{column}_reference']}")
    detail = f"{len(ours):,} rows equal to the cent" if not problems else (
        f"{len(problems):,} difference(s), first: " + "; ".join(problems[:SHOWN_DIFFERENCES]))
    return Check(name, not problems, detail)


def reference_for(spec: BuildSpec, rejected_rows: dict[str, set[int]], workdir: Path) -> Reference:
    """The independent recomputation on the rows the build used (rejected_rows: the rejected
    input row numbers per input table)."""
    input_dir = spec.input_dir
    if any(rejected_rows.values()):
        input_dir = workdir / "used_rows"
        input_dir.mkdir()
        for table, path in input_files(spec.input_dir).items():
            if not rejected_rows.get(table):
                shutil.copy(path, input_dir / path.name)
                continue
            rows = read_table(path)
            keep = [number + 1 not in rejected_rows[table] for number in range(len(rows))]
            rows[keep].to_csv(input_dir / f"{table}.csv", index=False)
    window = setting(spec.extra_vars, "reactivation_window_months")
    try:
        return compute(
            input_dir, spec.as_of, str(setting(spec.extra_vars, "reporting_currency", "USD")),
            int(window) if window not in (None, "", "none", "null") else None,
        )
    except InputError as error:
        raise MrrError(f"The independent recomputation cannot read the input: {error}") from error


def reference_bridge(reference: Reference, spec: BuildSpec) -> pd.DataFrame:
    """The reference bridge, with reactivations in expansion when the build was told so."""
    bridge = reference.bridge.copy()
    if str(setting(spec.extra_vars, "reactivation_as_expansion", False)).lower() == "true":
        bridge["expansion_mrr"] = bridge["expansion_mrr"] + bridge["reactivation_mrr"]
        bridge["reactivation_mrr"] = Decimal("0.00")
    return bridge[["month", *BRIDGE_COLUMNS]]


def invariant_checks(marts: Marts) -> list[Check]:
    """Invariants read from the marts alone."""
    movements = marts.movements.groupby(["month", "customer_id"])["mrr_amount"].sum()
    customers = marts.customer_months.set_index(["month", "customer_id"])
    joined = customers.join(movements, how="outer")
    per_customer = joined[
        (joined["mrr"] - joined["previous_mrr"] != joined["mrr_amount"].fillna(0))
        | (joined["mrr_change"] != joined["mrr_amount"].fillna(0))
    ]
    bridge = marts.bridge
    flows = (bridge.starting_mrr + bridge.new_mrr + bridge.reactivation_mrr + bridge.expansion_mrr
             - bridge.contraction_mrr - bridge.churned_mrr + bridge.fx_mrr)
    per_month = bridge[flows != bridge.ending_mrr]
    return [
        Check("movements explain every customer-month", per_customer.empty,
              f"{len(joined):,} customer-months" if per_customer.empty
              else f"first: {per_customer.head(SHOWN_DIFFERENCES).index.tolist()}"),
        Check("bridge closes every month", per_month.empty,
              f"{len(bridge):,} months" if per_month.empty
              else f"months {[str(month) for month in per_month.month.head(SHOWN_DIFFERENCES)]}"),
    ]


def reconciliation_check(marts: Marts, reference: Reference, rows_read: int) -> Check:
    """Every input row is either used or rejected with a reason."""
    rejected = int(marts.audit.rejection_reason.notna().sum())
    used = len(marts.audit) - rejected
    passed = used + rejected == rows_read and used == reference.rows_read["subscriptions"]
    return Check("input rows = used + rejected", passed,
                 f"{rows_read:,} read = {used:,} used + {rejected:,} rejected"
                 if passed else f"{rows_read:,} read but {used:,} used + {rejected:,} rejected")


# The Stripe adapter's contract-shaped models, exported for the recomputation (validate_stripe).
STRIPE_CONTRACT_MODELS = {
    "subscriptions": "int_stripe__subscriptions",
    "customers": "int_stripe__customers",
    "plans": "int_stripe__plans",
}


def export_stripe_contract(database: Path, spec: BuildSpec, out_dir: Path) -> None:
    """The input contract as the Stripe adapter produced it in the warehouse (its models
    int_stripe__subscriptions, _customers, _plans) written as CSV files into out_dir, with the
    input directory's fx_rates file: the independent recomputation starts from there, so it checks
    everything downstream of the adapter, not the adapter's reading of Stripe."""
    if not database.exists():
        raise MrrError(f"{database} does not exist: run `mrr build` first.")
    with open_duckdb(database) as connection:
        for table, model in STRIPE_CONTRACT_MODELS.items():
            if not has_table(connection, model):
                raise MrrError(f"{database} has no {model}: it was not built from Stripe input"
                               " (drop --input-format stripe).")
            cursor = connection.execute(f"select * from {model} order by input_row_number")
            names = [column[0] for column in cursor.description]
            frame = pd.DataFrame(cursor.fetchall(), columns=names).drop(columns=["input_row_number"])
            frame.to_csv(out_dir / f"{table}.csv", index=False)
    for table, path in input_files(spec.input_dir).items():
        if table not in STRIPE_CONTRACT_MODELS:
            shutil.copy(path, out_dir / path.name)


def validate(spec: BuildSpec) -> tuple[list[Check], str]:
    """All checks, and a short summary of what was checked. With Stripe input the recomputation
    starts from the contract rows the adapter produced (export_stripe_contract)."""
    check_input(spec.input_dir, spec.input_format)
    if spec.input_format == "stripe":
        with tempfile.TemporaryDirectory() as exported:
            export_stripe_contract(spec.database, spec, Path(exported))
            return validate(dataclasses.replace(spec, input_dir=Path(exported), input_format="contract"))
    marts = read_marts(spec.database)
    rejected = {
        table: set(audit.loc[audit.rejection_reason.notna(), "input_row_number"].astype(int))
        for table, audit in (("subscriptions", marts.audit), ("fx_rates", marts.fx_audit))
    }
    rows_read = len(read_table(input_files(spec.input_dir)["subscriptions"]))
    with tempfile.TemporaryDirectory() as workdir:
        reference = reference_for(spec, rejected, Path(workdir))
    customer_mrr = marts.customer_months.loc[marts.customer_months.mrr > 0, ["month", "customer_id", "mrr"]]
    movements = marts.movements.groupby(MOVEMENT_KEY, as_index=False)["mrr_amount"].sum()
    checks = [
        differences("customer month-end MRR equals the recomputation", customer_mrr,
                    reference.customer_mrr, ["month", "customer_id"]),
        differences("movements equal the recomputation", movements, reference.movements, MOVEMENT_KEY),
        differences("monthly bridge equals the recomputation", marts.bridge,
                    reference_bridge(reference, spec), ["month"]),
        *invariant_checks(marts),
        reconciliation_check(marts, reference, rows_read),
    ]
    last = marts.bridge.sort_values("month").iloc[-1] if len(marts.bridge) else None
    summary = (
        f"{rows_read:,} subscription rows read, {marts.customer_months.customer_id.nunique():,} customers,"
        f" {len(marts.bridge):,} months"
        + (f", MRR at {pd.Timestamp(last.month):%Y-%m}: {Decimal(str(last.ending_mrr)):,.2f}" if last is not None else "")
    )
    return checks, summary


def report(checks: list[Check], summary: str) -> str:
    lines = [f"{'PASS' if check.passed else 'FAIL'}  {check.name}: {check.detail}" for check in checks]
    passed = sum(check.passed for check in checks)
    lines.append(f"{summary}; {passed} of {len(checks)} checks passed.")
    return "\n".join(lines)
