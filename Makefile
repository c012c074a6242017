# ContactGuard: `make run` opens the app, `make test` runs the whole suite, `make container-test` the image.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Runtime (requirements.txt, what the image installs), the Spark job (requirements-spark.txt) and development
# (requirements-dev.txt, which includes both); constraints.txt pins everything they pull in (`make lock`).
REQUIREMENTS := requirements.txt requirements-spark.txt requirements-dev.txt constraints.txt
STAMP := $(VENV)/.installed-$(shell cat $(REQUIREMENTS) | sha1sum | cut -c1-12)
export PYTHONPATH := $(CURDIR)

.PHONY: setup lock chromium java prometheus data model run test lint format bench clean screenshots retrain serve desktop container-test

setup: $(STAMP)

$(STAMP): $(REQUIREMENTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# Pin every package the requirement files pull in, at the version installed in .venv (after adding or bumping
# a requirement: edit the file, `make lock`, commit both).
lock: setup
	$(BIN)/python scripts/deps.py lock

# Debian's Chromium for the browser tests (Playwright drives /usr/bin/chromium; no browser download).
chromium:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

# Debian's Java runtime for Spark (`python -m core spark-score`, tests/integration/test_spark.py).
java:
	@command -v java >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless)

# Debian's Prometheus: promtool checks docker/prometheus/ in lint; tests/integration/test_serving_ops.py scrapes with it.
prometheus:
	@command -v promtool >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus)

# Train and register a first model when the registry has no champion.
model: setup
	$(BIN)/python -m core ensure-model

run: model
	$(BIN)/streamlit run app.py --server.port 8501 --server.address 0.0.0.0 --server.headless true

lint: setup prometheus
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/deps.py check
	$(BIN)/lint-imports
	$(BIN)/hadolint Dockerfile
	bash -n scripts/container_test.sh
	sh -n docker/entrypoint.sh
	promtool check config docker/prometheus/prometheus.yml
	promtool check rules docker/prometheus/alerts.yml

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: setup chromium java lint
	$(BIN)/pytest -n 2 --dist loadfile -q

# Build the Dockerfile and run it for real: the image (health, non-root, every runtime import installed, the
# served model answers) and the compose stack (MLflow server + app, the first model registered on the server).
# Docker when its daemon answers, else podman (installed with apt-get when missing). About 15-25 minutes.
container-test: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" scripts/container_test.sh

# Refresh the README's screenshots (docs/screenshots/) from the browser tests.
screenshots: setup chromium
	CONTACTGUARD_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/pytest -q tests/browser

bench: setup
	$(BIN)/python bench/run_all.py

clean:
	rm -rf data/prepared models metrics mlflow.db mlartifacts monitoring

# Retrain: reproduce prepare -> train -> evaluate with DVC (prepare again when moderator feedback exists),
# then promote the version just registered only if it scores no worse than the champion (exit 3 = refused).
FEEDBACK = $(shell $(BIN)/python -c "from core.config import load_settings, resolve_path; print(resolve_path(load_settings().data.feedback_path))" 2>/dev/null)
retrain: setup
	@if [ -n "$(FEEDBACK)" ] && [ -f "$(FEEDBACK)" ]; then \
		echo "moderator feedback $(FEEDBACK) found: preparing the data again"; \
		PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/dvc repro --force --single-item prepare; \
	fi
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/dvc repro
	$(BIN)/python -m core promote --candidate latest --if-better || test $$? -eq 3

# The champion over HTTP (MLflow scoring server): POST /invocations {"dataframe_records": [ads]}.
serve: model
	$(BIN)/python -m core serve

# The dashboard in its own window (pywebview when installed, else the default browser).
desktop: model
	$(BIN)/python desktop.py
