"""The `mrr` command: a thin runner around the dbt project (argument parsing, dbt, reports)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from mrr.build import INCREMENTAL_DEPRECATED, build, parse_vars
from mrr.progress import step
from mrr.project import (
    DEFAULT_DATABASE, DEFAULT_REPORT, DEMO_AS_OF, DEMO_INPUT, INPUT_FORMATS, BuildSpec, MrrError,
    parse_date, project_vars, setting,
)
from mrr.tables import bridge_table


def add_build_arguments(parser: argparse.ArgumentParser, input_default: Path | None,
                        input_help: str) -> None:
    """The arguments shared by build and validate."""
    parser.add_argument("--input", type=Path, default=input_default, help=input_help)
    parser.add_argument("--database", type=Path, default=DEFAULT_DATABASE,
                        help=f"DuckDB file to build into (default: {DEFAULT_DATABASE})")
    parser.add_argument("--as-of", dest="as_of",
                        help="last day reported on, YYYY-MM-DD (build: default today; validate: default"
                             " the as-of date the database was built with)")
    parser.add_argument("--vars", help="YAML mapping (or a YAML file) of project vars")
    parser.add_argument("--target", default="duckdb", help="profile target (default: duckdb)")
    add_input_format_argument(parser)


def add_input_format_argument(parser: argparse.ArgumentParser) -> None:
    """--input-format: the input contract's files, or Fivetran's Stripe tables (docs/stripe.md)."""
    parser.add_argument(
        "--input-format", dest="input_format", choices=INPUT_FORMATS, default=None,
        help="contract (default: the input contract's files) or stripe (Fivetran's Stripe tables"
             " as <table>.csv or .parquet, plus an optional fx_rates file; docs/stripe.md)",
    )


def spec_from(args: argparse.Namespace, default_as_of: dt.date) -> BuildSpec:
    """A BuildSpec from parsed arguments (--as-of, else default_as_of)."""
    if args.as_of:
        as_of = parse_date(args.as_of)
    else:
        as_of = default_as_of
        print(f"--as-of not given: reporting as of {as_of.isoformat()}")
    warn_if_projected(as_of)
    return BuildSpec(
        input_dir=args.input.resolve(),
        database=args.database.resolve(),
        as_of=as_of,
        target=args.target,
        extra_vars=parse_vars(args.vars),
        input_format=args.input_format or "contract",
    )


def warn_if_projected(as_of: dt.date) -> None:
    """An as-of date after today reports months that have not happened yet: say so."""
    if as_of > dt.date.today():
        print(f"warning: the as-of date {as_of.isoformat()} is after today ({dt.date.today().isoformat()}):"
              " the months after today are projected flat, from the subscriptions as they stand.")


def command_build(args: argparse.Namespace) -> None:
    spec = spec_from(args, default_as_of=dt.date.today())
    if args.incremental:
        print(INCREMENTAL_DEPRECATED)
    seconds = build(spec, quiet=not args.dbt_log, unit_tests=args.unit_tests)
    source = f"{spec.input_dir} (Stripe)" if spec.input_format == "stripe" else f"{spec.input_dir}"
    print(f"Built {spec.database} from {source} as of {spec.as_of} in {seconds:.1f}s")


def command_validate(args: argparse.Namespace) -> None:
    """Validate a warehouse against the input, as-of date and vars it was built with (recorded in
    it by `mrr build`), unless --input, --as-of or --vars say otherwise."""
    from mrr.validate import built_as_of, build_record

    record = build_record(args.database.resolve())
    if args.input is None:
        if record is None:
            raise MrrError(f"{args.database} does not record the input it was built from (built by an"
                           " older mrr?): pass --input.")
        args.input = Path(record.input_dir)
        print(f"--input not given: the input {args.database} was built from, {args.input}")
    if args.vars is None and record is not None and record.build_vars:
        args.vars = json.dumps(record.build_vars)
        print(f"--vars not given: the vars it was built with, {args.vars}")
    if args.input_format is None and record is not None and record.input_format != "contract":
        args.input_format = record.input_format
        print(f"--input-format not given: the format it was built from, {args.input_format}")
    as_of = record.as_of_date if record is not None else built_as_of(args.database.resolve())
    run_validation(spec_from(args, default_as_of=as_of))


def run_validation(spec: BuildSpec) -> None:
    """Print the validation report; an MrrError when any check failed."""
    from mrr.validate import report, validate

    checks, summary = validate(spec)
    print(report(checks, summary))
    failed = [check.name for check in checks if not check.passed]
    if failed:
        raise MrrError(f"validation failed: {', '.join(failed)}")


def command_demo(args: argparse.Namespace) -> None:
    spec = BuildSpec(input_dir=DEMO_INPUT, database=args.database.resolve(), as_of=DEMO_AS_OF)
    seconds = build(spec, quiet=True)
    print(f"Built the demo warehouse {spec.database} (as of {spec.as_of}) in {seconds:.1f}s\n")
    print("Validation against an independent recomputation:")
    with step("validate"):
        run_validation(spec)
    report = run_report(spec.database, args.report, default_currency())
    print(f"\nReport: {report} (open it in a browser)")
    print("\nMRR bridge, last 6 months (USD):")
    print(bridge_table(spec.database, months=6))


def default_currency() -> str:
    """The project's reporting currency (dbt_project.yml), the currency of a default build."""
    return str(setting(project_vars(), "reporting_currency", "USD"))


def run_report(database: Path, out: Path, currency: str) -> Path:
    """Write the HTML report, as a timed step; returns its path."""
    from mrr.report import write_report

    with step("report"):
        return write_report(database.resolve(), out, currency)


def command_report(args: argparse.Namespace) -> None:
    path = run_report(args.database, args.out, args.currency or default_currency())
    print(f"Wrote {path}")


def command_docs(args: argparse.Namespace) -> None:
    from mrr.docs import generate_docs

    site = generate_docs(args.database.resolve(), target=args.target, target_path=args.target_path)
    print(f"dbt docs site: {site / 'index.html'}")
    print(f"Open {site / 'static_index.html'} in a browser (one file, no server needed), or serve the"
          f" site with `.venv/bin/dbt docs serve --profiles-dir . --target-path {site}`.")


def command_generate(args: argparse.Namespace) -> None:
    from mrr.generate import generate

    try:
        counts = generate(
            args.out, customers=args.customers, months=args.months, seed=args.seed,
            start_month=args.start, file_format=args.format, progress=print,
        )
    except ValueError as error:
        raise MrrError(str(error)) from error
    print(", ".join(f"{table}: {rows:,} rows" for table, rows in counts.items()) + f" in {args.out}")


def command_load(args: argparse.Namespace) -> None:
    from mrr.load import load

    counts = load(args.input.resolve(), args.target, input_format=args.input_format or "contract")
    print(f"Loaded {sum(counts.values()):,} rows into {len(counts)} source tables on {args.target}")


def command_bench(args: argparse.Namespace) -> None:
    from mrr.bench import bench, report

    try:
        sizes = [int(size.replace("_", "")) for size in args.sizes.split(",") if size.strip()]
    except ValueError as error:
        raise MrrError(f"--sizes must be whole numbers separated by commas: {args.sizes!r}") from error
    if args.incremental:
        print(INCREMENTAL_DEPRECATED)
    try:
        fixed, results = bench(sizes, months=args.months, seed=args.seed, workdir=args.workdir)
    except RuntimeError as error:
        raise MrrError(str(error)) from error
    print(report(results, fixed))


def version_text() -> str:
    """`mrr --version`: the package's version, dbt's and its DuckDB adapter's, and the project run."""
    from importlib.metadata import PackageNotFoundError, version

    from mrr.project import PROJECT_ROOT

    def installed(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    return (f"mrr-engine {installed('mrr-engine')} (dbt-core {installed('dbt-core')},"
            f" dbt-duckdb {installed('dbt-duckdb')}; dbt project {PROJECT_ROOT})")


class PrintVersion(argparse.Action):
    """--version: print version_text() on one line (argparse's own action wraps it) and exit."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(version_text())
        parser.exit()


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mrr", description=__doc__)
    parser.add_argument("--version", action=PrintVersion, help="print the versions and exit")
    commands = parser.add_subparsers(dest="command", required=True)

    build_parser = commands.add_parser("build", help="dbt build the whole project on an input directory")
    add_build_arguments(build_parser, DEMO_INPUT, "directory of input files (default: the demo data)")
    build_parser.add_argument(
        "--dbt-log", dest="dbt_log", action="store_true",
        help="print dbt's own log instead of one line per model",
    )
    build_parser.add_argument(
        "--incremental", action="store_true",
        help="deprecated, does nothing: every build is a full build",
    )
    build_parser.add_argument(
        "--unit-tests", dest="unit_tests", action="store_true",
        help="also run the dbt unit tests (fixed inputs: for development and CI, not production)",
    )
    build_parser.set_defaults(handler=command_build)

    validate_parser = commands.add_parser(
        "validate", help="check a built database against an independent recomputation"
    )
    add_build_arguments(validate_parser, None,
                        "directory of input files (default: the one the database was built from)")
    validate_parser.set_defaults(handler=command_validate)

    demo_parser = commands.add_parser("demo", help="build the demo data and print the MRR bridge")
    demo_parser.add_argument("--database", type=Path, default=DEFAULT_DATABASE)
    demo_parser.add_argument("--report", type=Path, default=DEFAULT_REPORT,
                             help=f"HTML report to write (default: {DEFAULT_REPORT})")
    demo_parser.set_defaults(handler=command_demo)

    load_parser = commands.add_parser(
        "load", help="load input files into a warehouse target as the dbt source tables raw.*"
    )
    load_parser.add_argument("--input", type=Path, default=DEMO_INPUT,
                             help="directory of input files (default: the demo data)")
    load_parser.add_argument("--target", required=True, help="profile target, e.g. postgres or spark")
    add_input_format_argument(load_parser)
    load_parser.set_defaults(handler=command_load)

    report_parser = commands.add_parser("report", help="write the MRR report (one offline HTML file) from the marts")
    report_parser.add_argument("--database", type=Path, default=DEFAULT_DATABASE,
                               help=f"built DuckDB file (default: {DEFAULT_DATABASE})")
    report_parser.add_argument("--out", type=Path, default=DEFAULT_REPORT,
                               help=f"HTML file to write (default: {DEFAULT_REPORT})")
    report_parser.add_argument("--currency", help="reporting currency the database was built with"
                                                  " (default: var mrr_reporting_currency of dbt_project.yml)")
    report_parser.set_defaults(handler=command_report)

    docs_parser = commands.add_parser("docs", help="generate the dbt docs site (target/) against a database")
    docs_parser.add_argument("--database", type=Path, default=DEFAULT_DATABASE,
                             help=f"built DuckDB file whose catalog the docs describe (default: {DEFAULT_DATABASE})")
    docs_parser.add_argument("--target", default="duckdb", help="profile target (default: duckdb)")
    docs_parser.add_argument("--target-path", dest="target_path", type=Path,
                             help="folder to write the site into (default: target/)")
    docs_parser.set_defaults(handler=command_docs)

    generate_parser = commands.add_parser("generate", help="write realistic synthetic input data")
    generate_parser.add_argument("--customers", type=int, required=True)
    generate_parser.add_argument("--months", type=int, required=True)
    generate_parser.add_argument("--seed", type=int, default=1)
    generate_parser.add_argument("--start", default="2022-01-01", help="first month (YYYY-MM-01)")
    generate_parser.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    generate_parser.add_argument("out", type=Path, help="directory to write the input files into")
    generate_parser.set_defaults(handler=command_generate)

    bench_parser = commands.add_parser(
        "bench", help="time the full build on generated data against a hand-written floor query"
    )
    bench_parser.add_argument("--sizes", default="100000,1000000", help="customer counts, comma-separated")
    bench_parser.add_argument("--months", type=int, default=36)
    bench_parser.add_argument("--seed", type=int, default=1)
    bench_parser.add_argument("--workdir", type=Path, default=Path("warehouse/bench"))
    bench_parser.add_argument(
        "--incremental", action="store_true",
        help="deprecated, does nothing: every build is a full build",
    )
    bench_parser.set_defaults(handler=command_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], None] = args.handler
    try:
        handler(args)
    except MrrError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
