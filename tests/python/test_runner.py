"""The `mrr` runner: clear errors, atomic builds, validation that catches tampering."""

from __future__ import annotations

import hashlib
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from mrr.build import build, parse_vars, parse_while_copying
from mrr.cli import main
from mrr.project import DEMO_AS_OF, DEMO_INPUT, BuildSpec, MrrError, setting
from mrr.warehouse import open_duckdb

from conftest import run_query

MARTS = ["fct_customer_mrr_monthly", "fct_mrr_movements", "dim_customers", "metrics_mrr_monthly",
         "metrics_mrr_quarterly", "metrics_mrr_yearly", "metrics_mrr_monthly_by_segment", "fct_plan_transitions",
         "fct_cohort_retention"]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mart_contents(database: Path) -> dict[str, list[tuple]]:
    """Every mart's rows, sorted: equal contents, whatever the physical layout."""
    return {mart: sorted(run_query(database, f"select * from {mart}"), key=repr) for mart in MARTS}


@pytest.mark.parametrize(
    "argv, message",
    [
        (["build", "--input", "/nonexistent"], "does not exist"),
        (["build", "--as-of", "2024-02-30"], "Not a date"),
        (["build", "--vars", "{as_of_date: 2024-01-01}"], "with --input / --as-of"),
        (["build", "--vars", "{mrr_as_of_date: 2024-01-01}"], "with --input / --as-of"),
        (["build", "--vars", "{on_invalid: fail, mrr_on_invalid: quarantine}"], "give mrr_on_invalid alone"),
        (["build", "--vars", "{reactivation_windw_months: 3}"], "Unknown var"),
        (["build", "--vars", "[1, 2]"], "must be a YAML mapping"),
        (["validate", "--database", "/nonexistent/x.duckdb"], "run `mrr build` first"),
    ],
    ids=["missing input", "bad date", "reserved var", "reserved var, new name", "old and new name",
         "unknown var", "vars not a mapping", "no database"],
)
def test_bad_arguments_exit_1_with_a_message(argv, message, capsys):
    assert main(argv) == 1
    assert message in capsys.readouterr().err


def test_vars_accept_inline_yaml_and_files(tmp_path):
    assert parse_vars("{mrr_reactivation_window_months: 6}") == {"mrr_reactivation_window_months": 6}
    file = tmp_path / "vars.yml"
    file.write_text("mrr_count_add_ons_as_upgrades: true\nmrr_source_schema: billing\n")
    assert parse_vars(str(file)) == {"mrr_count_add_ons_as_upgrades": True, "mrr_source_schema": "billing"}
    with pytest.raises(MrrError):
        parse_vars("{unclosed")


def test_a_setting_given_by_its_old_name_is_passed_on_by_its_mrr_name():
    """The settings were namespaced mrr_ (README, "Vars"); their old names are still accepted."""
    assert parse_vars("{reactivation_window_months: 6, on_invalid: quarantine}") == {
        "mrr_reactivation_window_months": 6, "mrr_on_invalid": "quarantine"}
    # the rule of the dbt macro `setting`: the mrr_ name, else the old name, else the default
    assert setting({"mrr_reporting_currency": "EUR", "reporting_currency": "GBP"}, "reporting_currency") == "EUR"
    assert setting({"reporting_currency": "GBP"}, "reporting_currency", "USD") == "GBP"
    assert setting({"mrr_reporting_currency": None}, "reporting_currency", "USD") == "USD"


def test_validate_passes_on_the_demo_and_catches_tampering(demo_database, tmp_path, capsys):
    database = tmp_path / "tampered.duckdb"
    shutil.copy(demo_database, database)
    assert main(["validate", "--database", str(database)]) == 0
    assert "6 of 6 checks passed" in capsys.readouterr().out
    with open_duckdb(database, read_only=False) as connection:
        connection.execute("update metrics_mrr_monthly set expansion_mrr = expansion_mrr + 0.01"
                           " where month = date '2024-08-01'")
        # fct_mrr_movements is a view of int_mrr_movements: tamper with the rows it shows
        connection.execute("update int_mrr_movements set mrr_amount = 99.99"
                           " where customer_id = 'c07' and movement_type = 'reactivation'")
    assert main(["validate", "--database", str(database)]) == 1
    out = capsys.readouterr().out
    assert "FAIL  monthly bridge equals the recomputation" in out
    assert "datetime.date(2024, 8, 1)}: expansion_mrr marts=100.01 reference=100.00" in out
    assert "'customer_id': 'c07'" in out and "marts=99.99 reference=150.00" in out
    assert "FAIL  bridge closes every month: months ['2024-08-01']" in out


def test_a_failed_build_leaves_the_previous_warehouse_untouched(demo_database, tmp_path):
    database = tmp_path / "mrr.duckdb"
    shutil.copy(demo_database, database)
    before = digest(database)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "subscriptions.csv").write_text(
        "subscription_id,customer_id,plan_id,unit_amount,valid_from\ns1,c1,p1,-10,2024-01-01\n"
    )
    assert main(["build", "--input", str(broken), "--database", str(database), "--as-of", "2024-12-31"]) == 1
    assert digest(database) == before
    assert (tmp_path / "mrr.duckdb.failed").exists()


def test_the_project_is_parsed_while_the_warehouse_is_copied(demo_database, tmp_path):
    """mrr build copies the warehouse and parses the project at once; the build reuses the parse."""
    database = tmp_path / "mrr.duckdb"
    shutil.copy(demo_database, database)
    staging = tmp_path / "mrr.duckdb.building"
    spec = BuildSpec(input_dir=DEMO_INPUT, database=database, as_of=DEMO_AS_OF)
    manifest = parse_while_copying(spec, staging, quiet=True)
    assert digest(staging) == digest(database)
    models = {node.name for node in manifest.nodes.values() if node.resource_type == "model"}
    assert {"int_line_months", "fct_mrr_movements", "metrics_mrr_monthly"} <= models


def test_an_interrupted_build_run_again_gives_the_same_marts(demo_database, tmp_path):
    """Kill a build half-way (some models built), run it again: the marts equal an uninterrupted build."""
    database = tmp_path / "mrr.duckdb"
    command = [sys.executable, "-m", "mrr.cli", "build", "--database", str(database), "--as-of", "2024-12-31",
               "--dbt-log"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in process.stdout:
        if "OK created sql" in line and "model main.int_line_months" in line:
            break
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert not database.exists(), "a half-built warehouse never takes the database's place"
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    assert mart_contents(database) == mart_contents(demo_database)


def test_demo_command_validates_and_prints_the_bridge(tmp_path, capsys):
    report = tmp_path / "report.html"
    assert main(["demo", "--database", str(tmp_path / "demo.duckdb"), "--report", str(report)]) == 0
    out = capsys.readouterr().out
    assert "6 of 6 checks passed" in out
    assert f"Report: {report}" in out and report.read_text().startswith("<!DOCTYPE html>")
    for step in ("checking input", "dbt build", "validate", "report"):
        assert re.search(rf"^done  {step} \(\d+\.\ds\)$", out, re.MULTILINE), step
    assert re.search(r"^ +\[ *\d+/\d+\] fct_mrr_movements +view +\d+\.\ds  OK$", out, re.MULTILINE)
    assert re.search(r"^ +\[ *\d+/\d+\] metrics_mrr_monthly +table +\d+\.\ds  OK$", out, re.MULTILINE)
    assert re.search(r"^ +\d+ data tests: \d+ pass$", out, re.MULTILINE), "a production build runs no unit test"
    assert "MRR bridge, last 6 months (USD):" in out
    assert out.rstrip().splitlines()[-1].startswith("2024-12")


def test_rebuild_gives_identical_marts(demo_database, tmp_path):
    database = tmp_path / "again.duckdb"
    assert main(["build", "--input", str(DEMO_INPUT), "--database", str(database), "--as-of", "2024-12-31"]) == 0
    assert mart_contents(database) == mart_contents(demo_database)


def test_the_deprecated_incremental_flag_says_so_and_builds_in_full(demo_database, tmp_path, capsys):
    """`mrr build --incremental` is still accepted: it prints one line saying every build is now
    a full build, then builds in full. A row of an old month changed in a copy of the warehouse
    (as a build that kept old months would keep it) is recomputed: the marts equal the demo's."""
    database = tmp_path / "mrr.duckdb"
    shutil.copy(demo_database, database)
    with open_duckdb(database, read_only=False) as connection:
        # fct_mrr_movements is a view of int_mrr_movements: change the rows it shows
        connection.execute("update int_mrr_movements set mrr_amount = mrr_amount + 1"
                           " where month = (select min(month) from int_mrr_movements)")
    assert mart_contents(database) != mart_contents(demo_database)
    argv = ["build", "--incremental", "--input", str(DEMO_INPUT), "--database", str(database),
            "--as-of", "2024-12-31"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == (
        "--incremental is deprecated and does nothing: every build is now a full build"
        " (docs/materializations.md)."
    )
    assert out.count("--incremental is deprecated") == 1
    assert f"Built {database}" in out
    assert mart_contents(database) == mart_contents(demo_database)


def test_unit_tests_run_only_when_asked(demo_database, tmp_path, capsys):
    """A production build leaves the dbt unit tests out (fixed inputs: they test the SQL, as
    `make test` does with --unit-tests); asked for, they run before their model."""
    database = tmp_path / "mrr.duckdb"
    shutil.copy(demo_database, database)
    spec = BuildSpec(input_dir=DEMO_INPUT, database=database, as_of=DEMO_AS_OF)
    build(spec, select=["int_customer_months"], quiet=True)
    assert re.search(r"^ +\d+ data tests: \d+ pass$", capsys.readouterr().out, re.MULTILINE)
    build(spec, select=["int_customer_months"], quiet=True, unit_tests=True)
    assert re.search(r"^ +\d+ data tests: \d+ pass; 3 unit tests: 3 pass$", capsys.readouterr().out, re.MULTILINE)


def test_build_prints_one_line_per_model_and_ends_a_failure_with_the_rule(tmp_path, capsys):
    """`mrr build` shows the compact progress of `mrr demo` (no colour codes in a pipe), and a
    failed build ends with the broken rule, the file and example rows, not one line per skipped
    node."""
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "subscriptions.csv").write_text(
        "subscription_id,customer_id,plan_id,unit_amount,valid_from\n"
        "s1,c1,p1,10,2024-01-01\ns2,c2,p1,-10,2024-01-01\n"
    )
    assert main(["build", "--input", str(broken), "--database", str(tmp_path / "x.duckdb"),
                 "--as-of", "2024-12-31"]) == 1
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert "\x1b[" not in output
    assert "SKIP" not in output
    assert re.search(r"^ +\[ *\d+/\d+\] int_subscription_periods_checked +table +\d+\.\ds  OK$",
                     captured.out, re.MULTILINE)
    tail = captured.err.strip().splitlines()
    assert len(tail) < 15, tail
    assert f"1 row(s) of {broken / 'subscriptions.csv'} break the input contract:" in captured.err
    assert "  negative_unit_amount: 1 row(s), e.g." in captured.err
    assert "subscription_id='s2'" in captured.err


def test_validate_checks_against_the_input_the_database_was_built_from(tmp_path, capsys):
    """`mrr build` records its input, as-of date and vars in the warehouse; `mrr validate
    --database X` checks X against them, never against the demo data."""
    changed = tmp_path / "input"
    shutil.copytree(DEMO_INPUT, changed)
    subscriptions = changed / "subscriptions.csv"
    # c01's pro_m price from 150 to 160 from April: not the demo's numbers any more
    subscriptions.write_text(subscriptions.read_text().replace(
        "s01,,c01,pro_m,1,150.00", "s01,,c01,pro_m,1,160.00"))
    database = tmp_path / "mine.duckdb"
    assert main(["build", "--input", str(changed), "--database", str(database), "--as-of", "2024-11-30",
                 "--vars", "{reactivation_window_months: 2}"]) == 0
    capsys.readouterr()
    assert main(["validate", "--database", str(database)]) == 0
    out = capsys.readouterr().out
    assert f"--input not given: the input {database} was built from, {changed}" in out
    # given by its old name, recorded by its new one
    assert '--vars not given: the vars it was built with, {"mrr_reactivation_window_months": 2}' in out
    assert "--as-of not given: reporting as of 2024-11-30" in out
    assert "6 of 6 checks passed" in out
    # against the demo data, the same warehouse differs (c01's MRR is 10 higher from April)
    assert main(["validate", "--database", str(database), "--input", str(DEMO_INPUT)]) == 1
    assert "FAIL  customer month-end MRR equals the recomputation" in capsys.readouterr().out


def test_an_as_of_date_after_today_is_said_to_be_projected(capsys):
    import datetime as dt

    from mrr.cli import warn_if_projected

    warn_if_projected(dt.date.today())
    assert capsys.readouterr().out == ""
    warn_if_projected(dt.date.today() + dt.timedelta(days=40))
    assert "is after today" in capsys.readouterr().out


def test_an_input_file_named_in_another_case_gets_a_hint(tmp_path, capsys):
    """Subscriptions.csv is not subscriptions.csv: say so instead of a bare 'missing', and warn
    when an optional file would be left out for its name."""
    (tmp_path / "Subscriptions.csv").write_text((DEMO_INPUT / "subscriptions.csv").read_text())
    assert main(["build", "--input", str(tmp_path), "--as-of", "2024-12-31"]) == 1
    assert "It has Subscriptions.csv: the file names are lower case" in capsys.readouterr().err
    from mrr.project import check_input_dir

    (tmp_path / "Subscriptions.csv").rename(tmp_path / "subscriptions.csv")
    (tmp_path / "Plans.CSV").write_text("plan_id\n")
    check_input_dir(tmp_path)
    assert "is read without those files. It has Plans.CSV" in capsys.readouterr().out


def test_layers_in_their_own_schemas_build_validate_and_report(demo_database, tmp_path, capsys):
    """`+schema` per layer (here through the vars that set it): staging, intermediate and marts
    land in their own schemas, nothing is looked up by name in the wrong one, and the runner
    still finds every table: the marts equal the default build's, validate and the report pass."""
    database = tmp_path / "layered.duckdb"
    layers = "{mrr_staging_schema: staging, mrr_intermediate_schema: intermediate, mrr_marts_schema: marts}"
    assert main(["build", "--database", str(database), "--as-of", "2024-12-31", "--vars", layers]) == 0
    schemas = dict(run_query(database, "select table_name, table_schema from information_schema.tables"))
    assert (schemas["stg_subscriptions"], schemas["int_line_months"], schemas["fct_mrr_movements"]) == (
        "main_staging", "main_intermediate", "main_marts")
    layered = {mart: sorted(run_query(database, f"select * from main_marts.{mart}"), key=repr) for mart in MARTS}
    assert layered == mart_contents(demo_database)
    capsys.readouterr()
    assert main(["validate", "--database", str(database)]) == 0
    assert "6 of 6 checks passed" in capsys.readouterr().out
    assert main(["report", "--database", str(database), "--out", str(tmp_path / "report.html")]) == 0
