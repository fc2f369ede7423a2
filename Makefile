# Two commands on a fresh machine: `make demo` and `make test` (both set up .venv when needed).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_DB := warehouse/test.duckdb
export DBT_PROFILES_DIR := $(CURDIR)

.PHONY: setup setup-spark demo test test-postgres test-spark lint dbt-test pytest browser docs screenshot clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# Spark needs more than the embedded default: dbt-spark[session] and pyspark, pinned apart.
SPARK_STAMP := $(VENV)/.installed-spark

setup-spark: $(SPARK_STAMP)

$(SPARK_STAMP): $(STAMP) requirements-spark.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-spark.txt
	touch $(SPARK_STAMP)

demo: setup
	$(BIN)/mrr demo

test: lint dbt-test pytest

# Staging compiles against its sources: the demo files as the views raw.* (as `mrr build` makes them),
# and the Stripe fixture as the views stripe.* for the Stripe adapter, linted with its var set.
lint: setup
	mkdir -p warehouse
	$(BIN)/python -c 'from pathlib import Path; from mrr.load import create_file_views; \
		create_file_views(Path("warehouse/lint.duckdb"), Path("tests/python/fixtures/stripe"), input_format="stripe"); \
		create_file_views(Path("warehouse/lint.duckdb"), Path("data/demo"))'
	MRR_DATABASE=warehouse/lint.duckdb $(BIN)/sqlfluff lint models analyses tests
	MRR_DATABASE=warehouse/lint.duckdb $(BIN)/sqlfluff lint --config .sqlfluff-stripe \
		models/staging/stripe models/intermediate/stripe

dbt-test: setup
	$(BIN)/mrr build --database $(TEST_DB) --as-of 2024-12-31 --unit-tests

pytest: setup browser
	$(BIN)/python -m pytest

# The demo data loaded into a throw-away PostgreSQL 15 cluster, built, tested (dbt build) and
# compared mart by mart with the DuckDB build; and the engine as a package in a host project there.
test-postgres: setup
	scripts/ci/with-postgres.sh env MRR_ENGINE=postgres $(BIN)/python -m pytest \
		tests/python/test_engines.py tests/python/test_host_project.py

# The same on a local Spark session (Java 17); Spark's metastore and scratch files go to
# warehouse/spark-test (git-ignored), started afresh.
test-spark: setup-spark
	rm -rf warehouse/spark-test
	MRR_ENGINE=spark MRR_SPARK_DIR=$(CURDIR)/warehouse/spark-test $(BIN)/python -m pytest tests/python/test_engines.py

# The report's browser test drives Debian's chromium; install it where it is missing (as root).
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq -o DPkg::Lock::Timeout=600 chromium; }

docs: setup
	$(BIN)/mrr docs

# docs/report.png, the README's picture of the report: the demo built into its own database (again
# only when the demo data or the project changed), the report written from it and shot in Chromium.
SHOT_DIR := warehouse/screenshot
SHOT_DB := $(SHOT_DIR)/demo.duckdb
PROJECT_FILES := dbt_project.yml $(wildcard data/demo/*) $(shell find models macros seeds -type f 2>/dev/null)

$(SHOT_DB): $(STAMP) $(PROJECT_FILES)
	$(BIN)/mrr demo --database $(SHOT_DB) --report $(SHOT_DIR)/report.html

screenshot: setup browser $(SHOT_DB)
	$(BIN)/mrr report --database $(SHOT_DB) --out $(SHOT_DIR)/report.html
	$(BIN)/python tests/python/browser.py $(SHOT_DIR)/report.html docs/report.png --width 1280

clean:
	rm -rf $(VENV) target logs warehouse
