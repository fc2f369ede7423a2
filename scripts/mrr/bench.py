"""`mrr bench`: generate data sets, run the full build on each, time it against a floor query.

For every size the parent process generates the input (once; it is reused on later runs) and
then runs `python -m mrr.bench --one ...` in a fresh subprocess, so that each size's peak memory
(ru_maxrss of that process: dbt and DuckDB run in-process) is its own. The child builds through
the same code path as `mrr build` (mrr.build.build) into a new database, then runs the floor
query (floor.sql) in the same process on the same files, and writes its figures as JSON.

Each size is built twice, as a scheduled job builds it: first cold, as of the day before (no
parse state: dbt parses the whole project), then the measured build, on the next day's as-of
date with the parse state the first one left (dbt re-parses only the few files that read the
as-of date; docs/scale.md, "dbt's fixed cost"). Both times are reported.

Beside the sizes asked for, the same build of FIXED_COST_CUSTOMERS customers (same months and
seed) is measured: the fixed cost of a build (dbt parsing the project, running every model and
test as its own query), which every size pays whatever its data. The build / floor ratio is
printed as a reference for comparing runs, not as a target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

from mrr.project import BuildSpec, input_files
from mrr.tables import render_table
from mrr.warehouse import open_duckdb

FLOOR_SQL = Path(__file__).with_name("floor.sql")
MART_PREFIXES = ("fct_", "dim_", "metrics_")
START_MONTH = "2022-01-01"
# The size whose build is mostly the fixed cost (docs/scale.md: the same on 1,000 as on 10,000).
FIXED_COST_CUSTOMERS = 1_000


def as_of_for(months: int, start_month: str = START_MONTH) -> dt.date:
    """The last day of the last generated month."""
    start = dt.date.fromisoformat(start_month)
    index = start.year * 12 + start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1) - dt.timedelta(days=1)


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far, in MiB (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def relation_sql(path: Path) -> str:
    escaped = str(path).replace("'", "''")
    if path.suffix == ".csv":
        return f"read_csv('{escaped}', header = true)"
    return f"read_parquet('{escaped}')"


def run_floor(input_dir: Path, as_of: dt.date) -> tuple[float, list[tuple]]:
    """The floor query on input_dir: (seconds, one row per month)."""
    files = input_files(input_dir)
    sql = FLOOR_SQL.read_text().format(
        subscriptions=relation_sql(files["subscriptions"]),
        fx_rates=relation_sql(files["fx_rates"]) if "fx_rates" in files else
        "(select 'USD' as currency, date '1900-01-01' as rate_date, 1 as rate_to_reporting)",
        as_of=as_of.isoformat(),
    )
    started = time.perf_counter()
    with duckdb.connect() as connection:
        rows = connection.execute(sql).fetchall()
    return time.perf_counter() - started, rows


def input_rows(input_dir: Path) -> dict[str, int]:
    with duckdb.connect() as connection:
        return {
            table: connection.execute(f"select count(*) from {relation_sql(path)}").fetchone()[0]
            for table, path in input_files(input_dir).items()
        }


def mart_rows(database: Path) -> dict[str, int]:
    """Row count of every mart (fct_, dim_, metrics_ tables) in a built database."""
    with open_duckdb(database) as connection:
        names = [name for (name,) in connection.execute(
            "select table_name from information_schema.tables order by table_name"
        ).fetchall() if name.startswith(MART_PREFIXES)]
        return {
            name: connection.execute(f'select count(*) from "{name}"').fetchone()[0] for name in names
        }


def node_timings(target_path: Path) -> dict[str, Any]:
    """Seconds per model from run_results.json, and the total of the data tests (a production
    build, and so the benchmark, runs no unit test)."""
    results = json.loads((target_path / "run_results.json").read_text())["results"]
    models: dict[str, float] = {}
    tests = {"data_tests": 0.0, "seeds": 0.0}
    test_count = 0
    for result in results:
        kind, _, rest = result["unique_id"].partition(".")
        seconds = float(result.get("execution_time") or 0)
        if kind == "model":
            models[rest.split(".")[-1]] = seconds
        elif kind == "test":
            tests["data_tests"] += seconds
            test_count += 1
        elif kind == "seed":
            tests["seeds"] += seconds
    return {"models": models, **tests, "data_test_count": test_count}


def use_target_path(target_path: Path) -> None:
    """Point dbt at this size's target directory, without the parse state of an earlier run: a
    benchmark times a full parse of the project as it is now (dbt's partial parsing kept a stale
    dependency graph here once, after a macro had changed between two runs)."""
    os.environ["DBT_TARGET_PATH"] = str(target_path)
    (target_path / "partial_parse.msgpack").unlink(missing_ok=True)


def run_one(input_dir: Path, database: Path, as_of: dt.date, target_path: Path) -> dict[str, Any]:
    """Build input_dir into a new database, then run the floor query; figures as a dict."""
    from mrr.build import build, discard

    use_target_path(target_path)
    discard(database)
    day_before = as_of - dt.timedelta(days=1)
    cold_seconds = build(BuildSpec(input_dir=input_dir, database=database, as_of=day_before), quiet=True)
    build_seconds = build(BuildSpec(input_dir=input_dir, database=database, as_of=as_of), quiet=True)
    build_peak = peak_rss_mib()
    floor_seconds, floor_months = run_floor(input_dir, as_of)
    return {
        "input_rows": input_rows(input_dir),
        "mart_rows": mart_rows(database),
        "build_seconds": build_seconds,
        "build_peak_rss_mib": build_peak,
        "cold_build_seconds": cold_seconds,
        "floor_seconds": floor_seconds,
        "floor_months": [[str(row[0]), *[float(value) for value in row[1:]]] for row in floor_months],
        "peak_rss_mib": peak_rss_mib(),
        "children_peak_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        **node_timings(target_path),
    }


def bench_size(customers: int, months: int, seed: int, workdir: Path) -> dict[str, Any]:
    """Generate (or reuse) one data set and measure it in a fresh process."""
    from mrr.generate import generate

    input_dir = workdir / f"input-{customers}x{months}-seed{seed}"
    marker = input_dir / ".generated.json"
    generate_seconds = None
    if not marker.is_file():
        started = time.perf_counter()
        generate(input_dir, customers=customers, months=months, seed=seed, start_month=START_MONTH)
        generate_seconds = time.perf_counter() - started
        marker.write_text(json.dumps({"customers": customers, "months": months, "seed": seed}))
    size_dir = workdir / f"run-{customers}x{months}"
    size_dir.mkdir(parents=True, exist_ok=True)

    out = size_dir / "result.json"
    command = [
        sys.executable, "-m", "mrr.bench", "--one",
        "--input", str(input_dir), "--database", str(size_dir / "mrr.duckdb"),
        "--as-of", as_of_for(months).isoformat(), "--target-path", str(size_dir / "target"),
        "--out", str(out),
    ]
    result = run_child(command, out, customers)
    result.update(customers=customers, months=months, generate_seconds=generate_seconds,
                  database=str(size_dir / "mrr.duckdb"))
    return result


def run_child(command: list[str], out: Path, customers: int) -> dict[str, Any]:
    out.unlink(missing_ok=True)
    completed = subprocess.run(command, check=False)
    if completed.returncode != 0 or not out.is_file():
        raise RuntimeError(f"benchmark of {customers:,} customers failed (exit {completed.returncode})")
    return json.loads(out.read_text())


def report(results: list[dict[str, Any]], fixed: dict[str, Any] | None = None, top: int = 8) -> str:
    """The readable summary printed by `mrr bench`: each size, then a table of every size beside
    the fixed cost (`fixed`, the build of FIXED_COST_CUSTOMERS customers) and the linearity."""
    lines = []
    if fixed is not None:
        lines += [
            f"fixed cost: full build of {fixed['customers']:,} customers x {fixed['months']} months"
            f" {fixed['build_seconds']:.1f} s (models {sum(fixed['models'].values()):.1f} s,"
            f" {fixed['data_test_count']} data tests {fixed['data_tests']:.1f} s): what every build"
            " pays whatever its size (dbt's parse, one query per model and test)",
            "",
        ]
    for result in results:
        title = f"{result['customers']:,} customers x {result['months']} months"
        lines += [title, "=" * len(title)]
        lines.append("input rows: " + ", ".join(f"{k} {v:,}" for k, v in result["input_rows"].items()))
        lines.append("mart rows:  " + ", ".join(f"{k} {v:,}" for k, v in result["mart_rows"].items()))
        lines.append(
            f"full build {result['build_seconds']:.1f} s (models {sum(result['models'].values()):.1f} s,"
            f" {result['data_test_count']} data tests {result['data_tests']:.1f} s);"
            f" peak RSS {result['peak_rss_mib']:,.0f} MiB"
            f" (build alone {result['build_peak_rss_mib']:,.0f} MiB)"
        )
        if "cold_build_seconds" in result:
            lines.append(
                f"the full build is the nightly one: a new as-of date, with the parse state of the"
                f" day before's build; cold (no parse state) it took {result['cold_build_seconds']:.1f} s"
            )
        if fixed is not None and result is not fixed:
            lines.append(
                f"above the fixed cost: {result['build_seconds'] - fixed['build_seconds']:.1f} s"
                f" (full build {result['build_seconds']:.1f} s - fixed cost {fixed['build_seconds']:.1f} s)"
            )
        lines.append(
            f"floor query {result['floor_seconds']:.2f} s; full build / floor ="
            f" {result['build_seconds'] / result['floor_seconds']:.1f} (a reference, not a target)"
        )
        slowest = sorted(result["models"].items(), key=lambda item: -item[1])[:top]
        lines.append("slowest models: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in slowest))
        lines.append("")
    headers = ["customers", "input rows", "build s", "cold build s", "above fixed cost s",
               "floor s", "build/floor (reference)", "peak MiB"]
    table = ([] if fixed is None or any(r is fixed for r in results) else [fixed]) + list(results)
    rows = [(
        f"{r['customers']:,}" + (" (fixed cost)" if r is fixed else ""),
        f"{r['input_rows'].get('subscriptions', 0):,}", f"{r['build_seconds']:.1f}",
        f"{r['cold_build_seconds']:.1f}" if "cold_build_seconds" in r else "",
        "" if fixed is None or r is fixed else f"{r['build_seconds'] - fixed['build_seconds']:.1f}",
        f"{r['floor_seconds']:.2f}", f"{r['build_seconds'] / r['floor_seconds']:.1f}",
        f"{r['peak_rss_mib']:,.0f}",
    ) for r in table]
    lines.append(render_table(headers, rows))
    lines.append(
        "build/floor: the full build against a hand-written query of month-end MRR and its"
        " new/expansion/contraction/churn split (floor.sql), a reference, not a target."
    )
    for smaller, larger in zip(results, results[1:]):
        lines.append(
            f"linearity: {larger['customers'] / smaller['customers']:.0f}x the customers took"
            f" {larger['build_seconds'] / smaller['build_seconds']:.1f}x the time"
        )
    return "\n".join(lines)


def bench(
    sizes: list[int], months: int, seed: int, workdir: Path,
    fixed_cost_customers: int = FIXED_COST_CUSTOMERS,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(the fixed cost, one result per size): the fixed cost is the build of fixed_cost_customers
    customers with the same months and seed, measured first, and not again when it is one of
    the sizes (that size's result is the same object)."""
    workdir.mkdir(parents=True, exist_ok=True)
    fixed = bench_size(fixed_cost_customers, months, seed, workdir.resolve())
    results = [fixed if size == fixed_cost_customers else bench_size(size, months, seed, workdir.resolve())
               for size in sizes]
    return fixed, results


def main(argv: list[str] | None = None) -> int:
    """The child process of one size (`--one`)."""
    parser = argparse.ArgumentParser(prog="python -m mrr.bench")
    parser.add_argument("--one", action="store_true", required=True)
    parser.add_argument("--input", type=Path, required=True)
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument("--as-of", dest="as_of", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--target-path", dest="target_path", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    result = run_one(args.input, args.database, args.as_of, args.target_path)
    args.out.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
