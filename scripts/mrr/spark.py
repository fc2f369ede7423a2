"""The local Spark session, configured exactly as dbt-spark's `session` method configures it.

dbt-spark (method: session) runs Spark inside this Python process with the profile's
server_side_parameters; the loader and the table reader use the same settings so that they see
the same metastore and warehouse folder, whether dbt started the session or not.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mrr.profile import profile_output
from mrr.project import MrrError


def spark_session(target: str = "spark") -> Any:
    """The process's SparkSession (Hive metastore enabled), created on first use."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise MrrError("pyspark is not installed: run `make test-spark` (or pip install -r requirements-spark.txt).") from error
    parameters: dict[str, str] = profile_output(target).get("server_side_parameters") or {}
    for key in ("spark.sql.warehouse.dir", "spark.local.dir"):
        if key in parameters:
            Path(parameters[key]).mkdir(parents=True, exist_ok=True)
    builder = SparkSession.builder.enableHiveSupport()
    for key, value in parameters.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()
