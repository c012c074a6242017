# ContactGuard: `make run` opens the app, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)
export PYTHONPATH := $(CURDIR)

.PHONY: setup chromium data model run test lint format bench clean

setup: $(STAMP)

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# Debian's Chromium for the browser tests (Playwright drives /usr/bin/chromium; no browser download).
chromium:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

# Train and register a first model when the registry has no champion.
model: setup
	$(BIN)/python -m core ensure-model

run: model
	$(BIN)/python -m core evaluate
	$(BIN)/streamlit run app.py --server.port 8501 --server.address 0.0.0.0 --server.headless true

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: setup chromium lint
	$(BIN)/pytest -n 2 --dist loadfile -q

bench: setup
	$(BIN)/python bench/run_all.py

clean:
	rm -rf data/prepared models metrics mlflow.db mlartifacts monitoring
