"""Shared fixtures: warehouses built through the real runner and dbt, once per session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mrr.build import build
from mrr.project import DEMO_AS_OF, DEMO_INPUT, BuildSpec
from mrr.warehouse import open_duckdb

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo data built as of its as-of date, with every dbt test passing."""
    database = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build(BuildSpec(input_dir=DEMO_INPUT, database=database, as_of=DEMO_AS_OF), quiet=True)
    return database


def run_query(database: Path, sql: str) -> list[tuple]:
    """Run one read-only query on a built database."""
    with open_duckdb(database) as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture(scope="session")
def query() -> Callable[[Path, str], list[tuple]]:
    """run_query, as a fixture."""
    return run_query
