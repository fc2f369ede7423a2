"""Packaging: the `mrr` runner ships with the dbt project it runs (mrr/dbt_project/ in the wheel).

Everything else is declared in pyproject.toml. This file only adds the dbt project's files to the
built package, so that `pip install .` (or `pip install git+...`) gives an `mrr` that works
outside a checkout; an editable install (`make setup`) runs the checkout's project instead.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# The dbt project as dbt needs it (tests/ without the Python tests, data/ with the demo only).
PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "profiles.example.yml", "LICENSE")
PROJECT_DIRS = ("models", "macros", "seeds", "analyses", "tests", "data/demo")
LEFT_OUT = shutil.ignore_patterns("python", "__pycache__", "*.pyc")


class BuildPyWithProject(build_py):
    """build_py, plus a copy of the dbt project into the package as mrr/dbt_project."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "mrr" / "dbt_project"
        shutil.rmtree(target, ignore_errors=True)
        for name in PROJECT_FILES:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
        for name in PROJECT_DIRS:
            shutil.copytree(ROOT / name, target / name, ignore=LEFT_OUT)


setup(cmdclass={"build_py": BuildPyWithProject})
