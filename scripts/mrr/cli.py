"""The `mrr` command: a thin runner around the dbt project (argument parsing, dbt, reports)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from mrr.build import build, parse_vars
from mrr.project import DEFAULT_DATABASE, DEMO_AS_OF, DEMO_INPUT, BuildSpec, MrrError, parse_date
from mrr.tables import bridge_table


def add_build_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments shared by build and validate."""
    parser.add_argument("--input", type=Path, default=DEMO_INPUT,
                        help="directory of input files (default: the demo data)")
    parser.add_argument("--database", type=Path, default=DEFAULT_DATABASE,
                        help=f"DuckDB file to build into (default: {DEFAULT_DATABASE})")
    parser.add_argument("--as-of", dest="as_of",
                        help="last day reported on, YYYY-MM-DD (default: today; the demo data: 2024-12-31)")
    parser.add_argument("--vars", help="YAML mapping (or a YAML file) of project vars")
    parser.add_argument("--target", default="duckdb", help="profile target (default: duckdb)")


def spec_from(args: argparse.Namespace) -> BuildSpec:
    """A BuildSpec from parsed arguments; the demo data defaults to its own as-of date."""
    input_dir = args.input.resolve()
    if args.as_of:
        as_of = parse_date(args.as_of)
    elif input_dir == DEMO_INPUT.resolve():
        as_of = DEMO_AS_OF
    else:
        as_of = dt.date.today()
        print(f"--as-of not given: reporting as of today, {as_of.isoformat()}")
    return BuildSpec(
        input_dir=input_dir,
        database=args.database.resolve(),
        as_of=as_of,
        target=args.target,
        extra_vars=parse_vars(args.vars),
    )


def command_build(args: argparse.Namespace) -> None:
    spec = spec_from(args)
    seconds = build(spec)
    print(f"Built {spec.database} from {spec.input_dir} as of {spec.as_of} in {seconds:.1f}s")


def command_demo(args: argparse.Namespace) -> None:
    spec = BuildSpec(input_dir=DEMO_INPUT, database=args.database.resolve(), as_of=DEMO_AS_OF)
    seconds = build(spec, quiet=True)
    print(f"Built the demo warehouse {spec.database} (as of {spec.as_of}) in {seconds:.1f}s\n")
    print("MRR bridge, last 6 months (USD):")
    print(bridge_table(spec.database, months=6))


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mrr", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    build_parser = commands.add_parser("build", help="dbt build the whole project on an input directory")
    add_build_arguments(build_parser)
    build_parser.set_defaults(handler=command_build)

    demo_parser = commands.add_parser("demo", help="build the demo data and print the MRR bridge")
    demo_parser.add_argument("--database", type=Path, default=DEFAULT_DATABASE)
    demo_parser.set_defaults(handler=command_demo)
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
