"""Run dbt in-process through dbtRunner and turn its failures into one clear message."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mrr.profile import set_default_environment
from mrr.project import LOG_DIR, PROJECT_ROOT, TARGET_DIR, MrrError

FAILED_STATUSES = {"error", "fail", "runtime error"}


@contextmanager
def profile_env(database: Path | None, target: str, as_of: dt.date | None = None) -> Iterator[None]:
    """Point the project's profiles.yml at a database file and target for one invocation, and the
    macro as_of_date at the as-of date (MRR_AS_OF_DATE, read when no var sets it).

    The as-of date is an environment variable rather than a var because dbt parses the whole
    project again whenever a var changes, but only the files that read an environment variable
    when it changes (docs/scale.md, "dbt's fixed cost").
    """
    set_default_environment()
    saved = {key: os.environ.get(key) for key in
             ("MRR_DATABASE", "MRR_TARGET", "MRR_AS_OF_DATE", "DBT_TARGET_PATH", "DBT_LOG_PATH")}
    if database is not None:
        os.environ["MRR_DATABASE"] = str(database)
    if as_of is not None:
        os.environ["MRR_AS_OF_DATE"] = as_of.isoformat()
    os.environ["MRR_TARGET"] = target
    # dbt's artifacts and logs go to the work directory, never into an installed package
    os.environ.setdefault("DBT_TARGET_PATH", str(TARGET_DIR))
    os.environ.setdefault("DBT_LOG_PATH", str(LOG_DIR))
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_dbt(
    command: list[str],
    *,
    database: Path | None,
    target: str = "duckdb",
    dbt_vars: dict[str, Any] | None = None,
    quiet: bool = False,
    callbacks: list[Callable[[Any], None]] | None = None,
    manifest: Any | None = None,
    as_of: dt.date | None = None,
) -> Any:
    """Invoke `dbt <command>` on this project; raise MrrError naming what failed and why.

    callbacks receive every dbt event (EventMsg), quiet or not: see mrr.progress.NodeProgress.
    manifest, the result of a `dbt parse` with the same target and vars, saves the command its own
    parse.
    """
    from dbt.cli.main import dbtRunner

    args = [
        *command,
        "--project-dir", str(PROJECT_ROOT),
        "--profiles-dir", str(PROJECT_ROOT),
        "--target", target,
    ]
    if dbt_vars:
        args += ["--vars", json.dumps(dbt_vars)]
    flags = ["--quiet"] if quiet else []
    if not sys.stdout.isatty():
        flags.append("--no-use-colors")  # no colour codes in a log file or a pipe
    with profile_env(database, target, as_of):
        try:
            result = dbtRunner(manifest=manifest, callbacks=callbacks or []).invoke(flags + args)
        finally:
            release_duckdb()
    if not result.success:
        raise MrrError(describe_failure(command[0], result))
    return result.result


def release_duckdb() -> None:
    """Close the DuckDB database dbt-duckdb keeps open for the whole process.

    dbt-duckdb holds one DuckDB instance per process; closing it checkpoints the file, so the
    runner can move it into place and open it again.
    """
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    if DuckDBConnectionManager._ENV is not None:
        DuckDBConnectionManager._ENV.close()
    DuckDBConnectionManager.close_all_connections()


def describe_failure(command: str, result: Any) -> str:
    """'dbt build failed:' and one line per failed node: its name, status and message."""
    lines = [f"dbt {command} failed:"]
    for node_result in getattr(result.result, "results", None) or []:
        status = str(getattr(node_result, "status", "")).lower()
        if status in FAILED_STATUSES:
            name = node_result.node.name
            message = (node_result.message or "").strip().splitlines()
            lines.append(f"  - {name} [{status}]: {' '.join(message)[:600]}")
    if len(lines) == 1:
        lines.append(f"  {result.exception or 'see the dbt output above'}")
    return "\n".join(lines)
