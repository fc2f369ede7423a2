"""`mrr build`: run the whole dbt project on one input, replacing the database only on success."""

from __future__ import annotations

import json
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import yaml

from mrr.audit import AUDIT_TABLES, rejection_counts, rejection_counts_by_file, rejection_report
from mrr.dbt_invoke import run_dbt
from mrr.load import create_file_views, history_mode_warning
from mrr.progress import NodeProgress, step
from mrr.project import (
    BUILD_TABLE, SETTINGS, BuildSpec, MrrError, check_input, input_files, package_version,
    project_vars, source_schema, stripe_schema,
)
from mrr.warehouse import open_duckdb

# The Stripe adapter's table of what it left out of MRR (models/intermediate/stripe).
STRIPE_AUDIT_TABLE = "int_stripe__input_audit"


def known_vars() -> set[str]:
    """The vars declared in dbt_project.yml, and the old names of the settings: the only ones
    --vars may set."""
    return set(project_vars()) | set(SETTINGS)


def parse_vars(text: str | None) -> dict[str, object]:
    """--vars as YAML (inline, or the path of a YAML file), restricted to the project's vars; a
    setting given by its old name (reporting_currency) is passed on by its new one
    (mrr_reporting_currency)."""
    if not text:
        return {}
    source = Path(text)
    raw = source.read_text() if source.is_file() else text
    try:
        parsed = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        raise MrrError(f"--vars is not valid YAML: {error}") from error
    if not isinstance(parsed, dict):
        raise MrrError("--vars must be a YAML mapping, e.g. '{mrr_reactivation_window_months: 6}'.")
    reserved = {"input_dir", "as_of_date", "mrr_as_of_date", "mrr_input_format"} & set(parsed)
    if reserved:
        raise MrrError(f"Set {', '.join(sorted(reserved))} with --input / --as-of / --input-format, not --vars.")
    unknown = set(parsed) - known_vars()
    if unknown:
        raise MrrError(
            f"Unknown var(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(project_vars()))}."
        )
    return namespaced(parsed)


def namespaced(dbt_vars: dict[str, object]) -> dict[str, object]:
    """dbt_vars with each setting under its mrr_ name; refused when both names are given."""
    result = dict(dbt_vars)
    for name in SETTINGS:
        if name not in result:
            continue
        if f"mrr_{name}" in result:
            raise MrrError(f"--vars gives both {name} and mrr_{name}: give mrr_{name} alone.")
        result[f"mrr_{name}"] = result.pop(name)
    return result


INCREMENTAL_DEPRECATED = (
    "--incremental is deprecated and does nothing: every build is now a full build"
    " (docs/materializations.md)."
)


def build(
    spec: BuildSpec,
    *,
    select: list[str] | None = None,
    quiet: bool = False,
    unit_tests: bool = False,
) -> float:
    """dbt build on spec's input; returns the wall time in seconds.

    Every build is a full build: it recomputes every model and seed (dbt --full-refresh) and runs
    every data test (docs/materializations.md).

    The dbt unit tests run only with unit_tests (`mrr build --unit-tests`, as `make test` does):
    they test the SQL on fixed inputs, so a production build would only repeat them (dbt Labs
    recommends them in development and CI, not in production builds; README, "Run it on your
    data").

    On DuckDB the build runs in a copy of the database file that replaces the original only when
    every model and test passed, so a failed or interrupted build never leaves a half-replaced
    warehouse behind. A failed build's copy is kept as `<database>.failed` for inspection, and
    rejected input rows are reported from its audit table. Each step prints its name and time;
    with quiet, dbt's own log is replaced by one short line per model (mrr.progress).
    """
    started = time.perf_counter()
    with step("checking input"):
        check_input(spec.input_dir, spec.input_format)
        if spec.input_format == "stripe" and spec.target == "duckdb":
            check_database_name(spec)
        warning = history_mode_warning(spec.input_dir) if spec.input_format == "stripe" else None
        if warning:
            print(warning)
    command = ["build", "--full-refresh"]
    command += [] if unit_tests else ["--exclude-resource-type", "unit_test"]
    command += ["--select", *select] if select else []
    with step("dbt build"):
        if spec.target == "duckdb":
            build_duckdb(spec, command, quiet)
        else:
            invoke_build(spec, command, None, quiet)
    return time.perf_counter() - started


def check_database_name(spec: BuildSpec) -> None:
    """DuckDB names a database after its file (up to the first dot): a file named like the schema
    of the Stripe views (stripe.duckdb) makes every reference to that schema ambiguous."""
    schema = stripe_schema(spec.extra_vars)
    if spec.database.name.split(".")[0] == schema:
        raise MrrError(f"{spec.database.name}: DuckDB would name this database {schema!r}, like the schema"
                       f" of the Stripe tables; name the file otherwise (e.g. {schema}_mrr.duckdb).")


def invoke_build(
    spec: BuildSpec, command: list[str], database: Path | None, quiet: bool, manifest: object | None = None
) -> None:
    """run_dbt for a build, with per-model progress lines when dbt itself is quiet."""
    progress = NodeProgress() if quiet else None
    run_dbt(command, database=database, target=spec.target, dbt_vars=spec.dbt_vars(), quiet=quiet,
            callbacks=[progress] if progress else None, manifest=manifest, as_of=spec.as_of)
    if progress and progress.summary():
        print(progress.summary())


def build_duckdb(spec: BuildSpec, command: list[str], quiet: bool) -> None:
    """The build in a copy of the database that takes the original's place only on success.

    dbt parses the project while the database is copied (a parse never opens the database), and
    the build reuses that parse: at 1,000,000 customers each takes about 5 s.
    """
    spec.database.parent.mkdir(parents=True, exist_ok=True)
    staging = spec.database.with_name(spec.database.name + ".building")
    discard(staging)
    try:
        manifest = parse_while_copying(spec, staging, quiet)
    except BaseException:
        discard(staging)
        raise
    try:
        create_file_views(staging, spec.input_dir, spec.extra_vars, spec.input_format)
        invoke_build(spec, command, staging, quiet, manifest)
    except MrrError as error:
        raise MrrError(keep_failed(staging, spec, str(error))) from None
    except BaseException:
        discard(staging)
        raise
    record_build(staging, spec)
    staging.replace(spec.database)
    report_quarantine(spec)
    if spec.input_format == "stripe":
        print(stripe_audit_summary(spec.database))


def parse_while_copying(spec: BuildSpec, staging: Path, quiet: bool) -> object:
    """`dbt parse` (its manifest) while spec's database, when there is one, is copied to staging.

    The parse writes no JSON artifacts (--no-write-json): the build writes manifest.json and the
    semantic manifest itself, from the same manifest (about 1 s saved per build).
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        copying = pool.submit(copy_database, spec.database, staging)
        manifest = run_dbt(["parse", "--no-write-json"], database=staging, target=spec.target,
                           dbt_vars=spec.dbt_vars(), quiet=quiet, as_of=spec.as_of)
        copying.result()
    return manifest


def copy_database(database: Path, copy: Path) -> None:
    """Copy a DuckDB file, when there is one."""
    if database.exists():
        shutil.copyfile(database, copy)


def keep_failed(staging: Path, spec: BuildSpec, message: str) -> str:
    """Move a failed build's database aside and add the rejected-row report to its message."""
    failed = spec.database.with_name(spec.database.name + ".failed")
    discard(failed)
    if not staging.exists():
        return message
    staging.replace(failed)
    report = rejection_report(failed, input_files(spec.input_dir), source_schema(spec.extra_vars))
    kept = f"The failed build is kept in {failed}; {spec.database} was not changed."
    return "\n".join(part for part in (message, report, kept) if part)


def record_build(database: Path, spec: BuildSpec) -> None:
    """Write what the warehouse was built from into it (BUILD_TABLE): its input directory, as-of
    date and the --vars given, so that `mrr validate --database X` checks it against that input.
    No timestamp: the same build gives the same table."""
    with duckdb.connect(str(database)) as connection:
        connection.execute(
            f"create or replace table {BUILD_TABLE} as select"
            " cast(? as varchar) as input_dir, cast(? as date) as as_of_date,"
            " cast(? as varchar) as build_vars, cast(? as varchar) as mrr_version,"
            " cast(? as varchar) as input_format",
            [str(spec.input_dir), spec.as_of, json.dumps(spec.extra_vars, sort_keys=True),
             package_version(), spec.input_format],
        )


def stripe_audit_rows(database: Path) -> list[tuple[str, str, int, str]]:
    """The Stripe adapter's audit: (reason, Stripe table, count, example id) per kind left out."""
    with open_duckdb(database) as connection:
        return [tuple(row) for row in connection.execute(
            f"select reason, stripe_table, row_count, example_id from {STRIPE_AUDIT_TABLE} order by 1, 2"
        ).fetchall()]


def stripe_audit_summary(database: Path) -> str:
    """What the Stripe adapter left out of MRR, one line per kind, with counts and an example."""
    rows = stripe_audit_rows(database)
    if not rows:
        return "Stripe input: nothing left out of MRR."
    lines = [f"Stripe input: left out of MRR (table {STRIPE_AUDIT_TABLE}):"]
    lines += [f"  {reason}: {count:,} (ids of {table}, e.g. {example})" for reason, table, count, example in rows]
    return "\n".join(lines)


def report_quarantine(spec: BuildSpec) -> None:
    """With on_invalid: quarantine, say how many rows were left out and why."""
    counts = rejection_counts(spec.database)
    if counts:
        total = sum(counts.values())
        detail = ", ".join(f"{rule}: {count:,}" for rule, count in counts.items())
        tables = " and ".join(AUDIT_TABLES[table][0] for table in rejection_counts_by_file(spec.database))
        print(f"Quarantined {total:,} invalid input row(s) ({detail}); see table(s) {tables}.")


def discard(database: Path) -> None:
    """Remove a DuckDB file and its write-ahead log, if present."""
    for path in (database, database.with_name(database.name + ".wal")):
        path.unlink(missing_ok=True)
