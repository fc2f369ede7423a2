"""Where the dbt project and its demo data live, and the inputs every command shares."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

PACKAGE_DIR = Path(__file__).resolve().parent
# An installed package (pip install .) carries the dbt project inside it; a checkout (make setup,
# an editable install) runs the one at the root of the repository.
SHIPPED_PROJECT = PACKAGE_DIR / "dbt_project"
CHECKOUT_ROOT = PACKAGE_DIR.parents[1]


def find_project_root() -> Path:
    """The dbt project the runner builds: the one shipped with the package, else the checkout's."""
    for candidate in (SHIPPED_PROJECT, CHECKOUT_ROOT):
        if (candidate / "dbt_project.yml").is_file():
            return candidate
    raise RuntimeError(
        f"mrr cannot find its dbt project: neither {SHIPPED_PROJECT} nor {CHECKOUT_ROOT} holds a"
        " dbt_project.yml. Reinstall the package (pip install mrr-engine, or pip install . in a"
        " checkout)."
    )


def find_work_dir() -> Path:
    """Where the runner writes (warehouse/, dbt's target/ and logs/): the checkout when run from
    one, as `make demo` expects; an installed package writes under the current directory (or
    MRR_HOME), never into its own installation."""
    if "MRR_HOME" in os.environ:
        return Path(os.environ["MRR_HOME"]).resolve()
    return CHECKOUT_ROOT if PROJECT_ROOT == CHECKOUT_ROOT else Path.cwd().resolve()


PROJECT_ROOT = find_project_root()
WORK_DIR = find_work_dir()
TARGET_DIR = WORK_DIR / "target"
LOG_DIR = WORK_DIR / "logs"
DEMO_INPUT = PROJECT_ROOT / "data" / "demo"
DEMO_AS_OF = dt.date(2024, 12, 31)
DEFAULT_DATABASE = WORK_DIR / "warehouse" / "mrr.duckdb"
DEFAULT_REPORT = WORK_DIR / "warehouse" / "report.html"
INPUT_TABLES = ("subscriptions", "customers", "plans", "fx_rates")
# The runner's record of what a DuckDB warehouse was built from (mrr.build.record_build).
BUILD_TABLE = "mrr_build"
INPUT_EXTENSIONS = ("parquet", "csv")
# The input formats `--input-format` accepts: the input contract, or Fivetran's Stripe tables.
INPUT_FORMATS = ("contract", "stripe")
# Fivetran's Stripe tables the adapter reads (docs/stripe.md): the required ones, then the optional.
STRIPE_REQUIRED_TABLES = (
    "subscription_history", "subscription_item", "invoice", "invoice_line_item", "price", "customer",
)
STRIPE_OPTIONAL_TABLES = ("product", "coupon", "subscription_discount")
STRIPE_TABLES = STRIPE_REQUIRED_TABLES + STRIPE_OPTIONAL_TABLES
# The columns of subscription_history in Fivetran's history mode.
HISTORY_MODE_COLUMNS = ("_fivetran_start", "_fivetran_end", "_fivetran_active")


# The package's settings, namespaced as mrr_<name>; the old unprefixed names are still read (as the
# dbt macro `setting` does), and `mrr build --vars` turns them into the new ones.
SETTINGS = (
    "as_of_date", "reporting_currency", "reactivation_window_months", "reactivation_as_expansion",
    "count_add_ons_as_upgrades", "expansion_retention_months", "segment_column", "on_invalid",
)


def setting(dbt_vars: dict[str, object], name: str, default: object = None) -> object:
    """Var mrr_<name>, else its old name <name>, else default: the dbt macro `setting`'s rule."""
    for key in (f"mrr_{name}", name):
        if dbt_vars.get(key) is not None:
            return dbt_vars[key]
    return default


class MrrError(Exception):
    """A failure explained for the user: printed without a traceback, exit code 1."""


@dataclass(frozen=True)
class BuildSpec:
    """One build: which input, into which database, as of which date, with which vars."""

    input_dir: Path
    database: Path
    as_of: dt.date
    target: str = "duckdb"
    extra_vars: dict[str, object] = field(default_factory=dict)
    input_format: str = "contract"

    def dbt_vars(self) -> dict[str, object]:
        """The vars passed to dbt: the user's and, for Stripe input, the input format. The as-of
        date is not one (run_dbt passes it as the environment variable MRR_AS_OF_DATE, so that a
        build on a new date re-parses only the few models that read it), nor the input directory
        (on DuckDB the runner makes the dbt sources views over its files)."""
        chosen = dict(self.extra_vars)
        if self.input_format != "contract":
            chosen["mrr_input_format"] = self.input_format
        return chosen


def input_files(input_dir: Path) -> dict[str, Path]:
    """The input contract files found in input_dir, by table name."""
    return table_files(input_dir, INPUT_TABLES)


def table_files(input_dir: Path, tables: tuple[str, ...]) -> dict[str, Path]:
    """The files `<table>.parquet` or `<table>.csv` found in input_dir, by table name."""
    found: dict[str, Path] = {}
    for table in tables:
        existing = [input_dir / f"{table}.{ext}" for ext in INPUT_EXTENSIONS
                    if (input_dir / f"{table}.{ext}").is_file()]
        if len(existing) > 1:
            raise MrrError(f"{input_dir} has both {existing[0].name} and {existing[1].name}: keep one.")
        if existing:
            found[table] = existing[0]
    return found


def stripe_input_files(input_dir: Path) -> dict[str, Path]:
    """Fivetran's Stripe tables found in input_dir, by table name."""
    return table_files(input_dir, STRIPE_TABLES)


def check_stripe_input_dir(input_dir: Path) -> None:
    """Fail early on a Stripe input directory that lacks a required table, naming the files."""
    if not input_dir.is_dir():
        raise MrrError(f"Input directory {input_dir} does not exist.")
    found = stripe_input_files(input_dir)
    missing = [table for table in STRIPE_REQUIRED_TABLES if table not in found]
    if missing:
        raise MrrError(
            f"{input_dir} lacks the Stripe table(s) {', '.join(missing)}: expected "
            + ", ".join(f"{table}.csv or {table}.parquet" for table in missing)
            + " (Fivetran's Stripe connector tables; required: " + ", ".join(STRIPE_REQUIRED_TABLES)
            + "; optional: " + ", ".join(STRIPE_OPTIONAL_TABLES) + ", and the contract's fx_rates)."
        )


def check_input(input_dir: Path, input_format: str) -> None:
    """check_input_dir or check_stripe_input_dir, as input_format says."""
    if input_format not in INPUT_FORMATS:
        raise MrrError(f"Unknown input format {input_format!r}; known: {', '.join(INPUT_FORMATS)}.")
    if input_format == "stripe":
        check_stripe_input_dir(input_dir)
    else:
        check_input_dir(input_dir)


def stripe_schema(extra_vars: dict[str, object]) -> str:
    """The schema of the dbt source stripe, as _stripe__sources.yml reads the vars (default stripe)."""
    chosen = {**project_vars(), **extra_vars}
    return str(chosen.get("mrr_stripe_schema") or "stripe")


def stripe_identifiers(extra_vars: dict[str, object]) -> dict[str, str]:
    """Each Stripe table's source table name: var mrr_stripe_<table>_identifier, else the table's name."""
    chosen = {**project_vars(), **extra_vars}
    return {table: str(chosen.get(f"mrr_stripe_{table}_identifier") or table) for table in STRIPE_TABLES}


def check_input_dir(input_dir: Path) -> None:
    """Fail early, with the contract in the message, on a directory that cannot be an input."""
    if not input_dir.is_dir():
        raise MrrError(f"Input directory {input_dir} does not exist.")
    hint = case_hint(input_dir)
    if "subscriptions" not in input_files(input_dir):
        raise MrrError(
            f"{input_dir} has no subscriptions.csv or subscriptions.parquet: the input contract "
            "needs subscriptions (required) and may have customers, plans and fx_rates." + hint
        )
    if hint:
        print(f"warning: {input_dir} is read without those files.{hint}")


def case_hint(input_dir: Path) -> str:
    """' (it has Subscriptions.CSV: file names are lower case)' for files whose names differ from
    the contract's only in case, which would otherwise be ignored without a word."""
    expected = {f"{table}.{ext}" for table in INPUT_TABLES for ext in INPUT_EXTENSIONS}
    near = sorted(path.name for path in input_dir.iterdir()
                  if path.name not in expected and path.name.lower() in expected
                  and not (input_dir / path.name.lower()).is_file())  # a case-insensitive disk
    if not near:
        return ""
    return f" It has {', '.join(near)}: the file names are lower case (subscriptions.csv, ...)."


def parse_date(text: str) -> dt.date:
    """A YYYY-MM-DD date, or an MrrError that says what was wrong."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise MrrError(f"Not a date (YYYY-MM-DD): {text!r}") from error


def project_vars() -> dict[str, object]:
    """The vars declared in dbt_project.yml, with their defaults."""
    project = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text())
    return dict(project.get("vars", {}))


def package_version() -> str:
    """The installed mrr-engine version ('unknown' when run from a tree that was never installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mrr-engine")
    except PackageNotFoundError:
        return "unknown"


def source_schema(extra_vars: dict[str, object]) -> str:
    """The schema of the dbt sources (the raw tables), as _raw__sources.yml reads the vars:
    mrr_source_schema, else its old name raw_schema, else raw."""
    chosen = {**project_vars(), **extra_vars}
    return str(chosen.get("mrr_source_schema") or chosen.get("raw_schema") or "raw")


def source_identifiers(extra_vars: dict[str, object]) -> dict[str, str]:
    """Each input table's source table name: var mrr_<table>_identifier, else the table's name."""
    chosen = {**project_vars(), **extra_vars}
    return {table: str(chosen.get(f"mrr_{table}_identifier") or table) for table in INPUT_TABLES}
