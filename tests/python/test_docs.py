"""`mrr docs` builds the dbt docs site, and the docs stay complete: every model, column, macro
(with its arguments), singular test and seed is described, models starting with their grain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mrr.cli import main
from mrr.report_data import REPORT_MARTS

PACKAGE = "mrr_engine"
GRAIN = "One row per"


@pytest.fixture(scope="module")
def site(demo_database: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    target = tmp_path_factory.mktemp("docs")
    assert main(["docs", "--database", str(demo_database), "--target-path", str(target)]) == 0
    assert (target / "index.html").is_file() and (target / "static_index.html").is_file()
    return {name: json.loads((target / f"{name}.json").read_text()) for name in ("manifest", "catalog")}


def own_nodes(manifest: dict, *resource_types: str) -> list[dict]:
    return [node for node in manifest["nodes"].values()
            if node["package_name"] == PACKAGE and node["resource_type"] in resource_types]


def test_every_model_seed_and_analysis_is_described_with_its_grain(site):
    nodes = own_nodes(site["manifest"], "model", "seed", "analysis")
    assert len(nodes) > 20
    undescribed = [node["name"] for node in nodes if not node["description"].strip().startswith(GRAIN)]
    assert undescribed == []


def test_every_documented_column_has_a_description(site):
    missing = [f"{node['name']}.{column}" for node in own_nodes(site["manifest"], "model", "seed")
               for column, meta in node["columns"].items() if not meta["description"].strip()]
    assert missing == []


def test_every_column_of_a_contracted_mart_is_documented(site):
    """The catalog (what the database really has) against the docs, for the public marts."""
    catalog = site["catalog"]["nodes"]
    contracted = [node for node in own_nodes(site["manifest"], "model") if node["contract"]["enforced"]]
    assert contracted
    for node in contracted:
        built = {column.lower() for column in catalog[node["unique_id"]]["columns"]}
        assert built <= set(node["columns"]), node["name"]


def test_every_macro_and_its_arguments_are_described(site):
    macros = [macro for macro in site["manifest"]["macros"].values() if macro["package_name"] == PACKAGE]
    assert len(macros) > 40 and any(macro["name"] == "test_between" for macro in macros)
    missing = [macro["name"] for macro in macros if not macro["description"].strip()]
    missing += [f"{macro['name']}({argument['name']})" for macro in macros
                for argument in macro["arguments"] if not argument["description"].strip()]
    assert missing == []


def test_every_singular_test_is_described(site):
    singular = [node for node in own_nodes(site["manifest"], "test") if not node.get("test_metadata")]
    assert len(singular) >= 10
    assert [node["name"] for node in singular if not node["description"].strip()] == []


def test_descriptions_are_written_into_the_warehouse(site, demo_database):
    """persist_docs: a BI tool reading the warehouse sees each model's and column's description."""
    import duckdb

    models = {node["name"]: node for node in own_nodes(site["manifest"], "model")}
    with duckdb.connect(str(demo_database), read_only=True) as connection:
        tables = dict(connection.execute(
            "select table_name, comment from duckdb_tables()"
            " union all select view_name, comment from duckdb_views() where not internal").fetchall())
        columns = connection.execute(
            "select table_name, column_name, comment from duckdb_columns()"
            " where table_name in ('fct_mrr_movements', 'metrics_mrr_monthly')").fetchall()
    for name in ("fct_mrr_movements", "metrics_mrr_monthly", "stg_subscriptions", "int_line_months"):
        assert tables[name] == models[name]["description"], name
    assert len(columns) > 20
    assert [(table, column) for table, column, comment in columns
            if comment != models[table]["columns"][column]["description"]] == []


def test_every_unit_test_name_fits_postgres_identifiers(site):
    """dbt names a unit test's relation after the test: PostgreSQL refuses identifiers of more
    than 63 characters, so a longer name passes on DuckDB and fails on PostgreSQL."""
    names = [test["name"] for test in site["manifest"]["unit_tests"].values()]
    assert len(names) > 20
    assert [name for name in names if len(name) > 63] == []


def test_exposures_name_the_report_and_the_semantic_layer(site):
    exposures = {exposure["name"]: exposure for exposure in site["manifest"]["exposures"].values()}
    assert exposures["mrr_report"]["type"] == "dashboard"
    assert exposures["semantic_layer"]["type"] == "application"
    report_reads = set(exposures["mrr_report"]["depends_on"]["nodes"])
    assert {f"model.{PACKAGE}.{mart}" for mart in REPORT_MARTS} <= report_reads  # every mart it reads
    semantic_models = {node["node_relation"]["alias"] for node in site["manifest"]["semantic_models"].values()}
    assert {f"model.{PACKAGE}.{name}" for name in semantic_models} <= set(exposures["semantic_layer"]["depends_on"]["nodes"])


def test_docs_refuse_a_missing_database(tmp_path, capsys):
    assert main(["docs", "--database", str(tmp_path / "none.duckdb")]) == 1
    assert "does not exist" in capsys.readouterr().err
