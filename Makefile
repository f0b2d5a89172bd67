# Credit Desk — the two commands: `make run` and `make test`.
# Each bootstraps a local virtualenv from the committed lock file on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3.11
UV_VERSION ?= 0.13.8
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export CREDITDESK_HOME ?= $(CURDIR)/.creditdesk
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format bench bench-quick venv lock clean browser

# --compile-bytecode: the first `creditdesk ask` need not compile ~1,400 modules (and processes that may not
# write bytecode, PYTHONDONTWRITEBYTECODE=1, would compile them on every start: 10 s of CPU instead of 4);
# the project's own modules are compiled too (compileall), so a first `creditdesk ask` does not compile ~120 of them.
$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found). Set PYTHON=/path/to/python3.11"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check "uv==$(UV_VERSION)"
	@$(BIN)/uv pip sync -q --compile-bytecode --python $(BIN)/python requirements.lock
	@$(BIN)/uv pip install -q --python $(BIN)/python --no-deps --config-settings editable_mode=compat -e .
	@$(BIN)/python -m compileall -q -j 0 api bot creditdesk crm_adapter kernel knowledge tools >/dev/null
	@touch $(STAMP)

venv: $(STAMP)

## make run: set up, load a demo portfolio (first time) and serve the API, dashboard and CRM sidebar.
run: $(STAMP)
	@$(BIN)/creditdesk init --demo-if-empty
	@$(BIN)/creditdesk serve --host $(HOST) --port $(PORT)

## make test: set up, lint, and run the whole test suite (PostgreSQL tier when CREDITDESK_TEST_DATABASE_URL is set).
test: $(STAMP)
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .
	@bash scripts/ensure_browser.sh || echo "headless Chromium unavailable: browser tests will be skipped"
	@$(BIN)/python -m pytest -n 2 --dist loadgroup -q $(PYTEST_ARGS); rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

lint: $(STAMP)
	@$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(STAMP)
	@$(BIN)/ruff format . && $(BIN)/ruff check --fix .

bench: $(STAMP)
	@$(BIN)/python -m bench $(BENCH_ARGS)

bench-quick: $(STAMP)
	@$(BIN)/python -m bench --quick

## make lock: re-pin dependencies after editing pyproject.toml.
lock:
	@uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
