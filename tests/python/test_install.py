"""`pip install .` in a fresh virtualenv gives a working `mrr`, outside the checkout.

The package declares its dependencies (pyproject.toml) and carries the dbt project it runs, so
`mrr demo` in an empty folder elsewhere builds, validates and reports there, and writes nothing
into its own installation. The install takes the versions requirements.txt pins (as a
constraints file), from pip's cache when `make setup` has filled it: about a minute.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import venv
from pathlib import Path

import pytest

from mrr.project import CHECKOUT_ROOT
from mrr.warehouse import open_duckdb

# What a checkout holds that is not the product: environments, builds, version control.
NOT_COPIED = shutil.ignore_patterns(".git", ".venv", "warehouse", "target", "logs", "build",
                                    "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis")


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a command with a clean environment (no venv or dbt settings of this process)."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DBT_", "MRR_", "VIRTUAL_ENV", "PYTHON"))}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the package installed from a copy of the source tree."""
    root = tmp_path_factory.mktemp("install")
    source = root / "source"
    shutil.copytree(CHECKOUT_ROOT, source, ignore=NOT_COPIED)
    environment = root / "venv"
    venv.create(environment, with_pip=True)
    pip = run([str(environment / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
               "-c", str(source / "requirements.txt"), str(source)], cwd=root)
    assert pip.returncode == 0, pip.stderr[-3000:]
    return environment


def test_version_names_the_package_dbt_and_the_shipped_project(installed: Path) -> None:
    result = run([str(installed / "bin" / "mrr"), "--version"], cwd=installed)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("mrr-engine 0.1.0 (dbt-core 1.11.")
    assert "site-packages/mrr/dbt_project" in result.stdout


def test_demo_runs_outside_the_checkout_and_writes_only_there(installed: Path,
                                                              tmp_path: Path) -> None:
    result = run([str(installed / "bin" / "mrr"), "demo"], cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "6 of 6 checks passed" in result.stdout
    database = tmp_path / "warehouse" / "mrr.duckdb"
    with open_duckdb(database) as connection:
        # the demo's month-end MRR as of 2024-12 (docs/demo-data.md), from the new warehouse
        (mrr,) = connection.execute(
            "select ending_mrr from metrics_mrr_monthly where month = date '2024-12-01'"
        ).fetchone()
    assert str(mrr) == "2784.33"
    assert (tmp_path / "warehouse" / "report.html").is_file()
    shipped = next((installed / "lib").glob("python3.*/site-packages/mrr/dbt_project"))
    assert not (shipped / "target").exists() and not (shipped / "logs").exists()
    assert not (shipped / "tests" / "python").exists()
