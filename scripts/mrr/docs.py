"""`mrr docs`: the dbt docs site (manifest, catalog, index.html) generated against a built database."""

from __future__ import annotations

from pathlib import Path

from mrr.dbt_invoke import run_dbt
from mrr.progress import step
from mrr.project import TARGET_DIR, MrrError


def generate_docs(database: Path, *, target: str = "duckdb", target_path: Path | None = None) -> Path:
    """`dbt docs generate --static` on the project; returns the folder holding the site.

    The catalog (column types, row counts) is read from the database, so it must be built first.
    Besides index.html (for `dbt docs serve`) dbt writes static_index.html, one file that opens
    without a server.
    """
    if target == "duckdb" and not database.is_file():
        raise MrrError(f"{database} does not exist: run `mrr build` (or `make demo`) first.")
    site = (target_path or TARGET_DIR).resolve()
    with step("dbt docs generate"):
        run_dbt(["docs", "generate", "--static", "--target-path", str(site)],
                database=database if target == "duckdb" else None, target=target, quiet=True)
    return site
