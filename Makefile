# Two commands on a fresh machine: `make demo` and `make test` (both set up .venv when needed).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_DB := warehouse/test.duckdb
export DBT_PROFILES_DIR := $(CURDIR)

.PHONY: setup demo test lint dbt-test pytest browser docs clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

demo: setup
	$(BIN)/mrr demo

test: lint dbt-test pytest

lint: setup
	mkdir -p warehouse
	MRR_DATABASE=warehouse/lint.duckdb $(BIN)/sqlfluff lint models analyses tests

dbt-test: setup
	$(BIN)/mrr build --database $(TEST_DB) --as-of 2024-12-31

pytest: setup browser
	$(BIN)/python -m pytest

# The report's browser test drives Debian's chromium; install it where it is missing (as root).
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq -o DPkg::Lock::Timeout=600 chromium; }

docs: setup
	$(BIN)/mrr docs

clean:
	rm -rf $(VENV) target logs warehouse
