"""The project's own profiles.yml, read the way dbt reads it, for the parts of the runner that
connect to a warehouse without dbt (the loader, the Spark session)."""

from __future__ import annotations

import os
from typing import Any

import jinja2
import yaml

from mrr.project import PROJECT_ROOT, WORK_DIR, MrrError


def set_default_environment() -> None:
    """Environment defaults the profile relies on: Spark's folder as an absolute path."""
    os.environ.setdefault("MRR_SPARK_DIR", str(WORK_DIR / "warehouse" / "spark"))


def render(value: Any, environment: jinja2.Environment) -> Any:
    """A profile value with its env_var() calls rendered, nested mappings included."""
    if isinstance(value, dict):
        return {key: render(item, environment) for key, item in value.items()}
    if isinstance(value, str):
        return environment.from_string(value).render()
    return value


def profile_output(target: str) -> dict[str, Any]:
    """The project's profiles.yml entry for target, with its env_var() calls rendered."""
    profiles = yaml.safe_load((PROJECT_ROOT / "profiles.yml").read_text())
    outputs = profiles["mrr_engine"]["outputs"]
    if target not in outputs:
        raise MrrError(f"Unknown target {target!r}; profiles.yml has: {', '.join(outputs)}.")
    set_default_environment()
    environment = jinja2.Environment()
    environment.globals["env_var"] = lambda name, default=None: os.environ.get(name, default)
    return render(outputs[target], environment)




def postgres_connection(output: dict[str, Any]) -> Any:
    """A psycopg2 connection from a rendered postgres profile output (see profile_output)."""
    import psycopg2

    return psycopg2.connect(
        host=output["host"], port=int(output["port"]), user=output["user"],
        password=output.get("password") or None, dbname=output["dbname"],
    )
