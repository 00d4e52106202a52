# Agora: `make run` serves the API on http://127.0.0.1:8000 (SQLite; `make run PORT=8001` for
# another port); `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-tools lint format clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-runtime

run: $(VENV)/.installed-runtime
	@# A DATABASE_URL naming a PostgreSQL database that does not exist yet: create it.
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py ensure_database
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py seed_demo
	@# gunicorn rather than runserver: Django's dev server queues only 10 waiting connections
	@# and resets the rest, so a burst of clients would see dropped connections.
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/gunicorn -c gunicorn.conf.py \
		--bind $(HOST):$(PORT) --workers 2 --threads 8 --reload config.wsgi

test: $(VENV)/.installed-dev test-tools
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# What the suite needs beyond Python: Debian's Chromium (browser tests; no browser is ever
# downloaded), and PostgreSQL's and Redis's server programs (the outage and attack tests start
# servers of their own). Installed with apt where we may (root), else named, with the command.
TEST_TOOLS := /usr/bin/chromium:chromium /usr/lib/postgresql/*/bin/initdb:postgresql \
	/usr/bin/redis-server:redis-server
test-tools:
	@missing=""; for tool in $(TEST_TOOLS); do \
		ls $${tool%%:*} >/dev/null 2>&1 || missing="$$missing $${tool##*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "installing:$$missing"; \
			apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "make test needs:$$missing. Install them: sudo apt-get install$$missing"; exit 1; \
		fi; \
	fi

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache

# `make bench`: the benchmark of bench/README.md on PostgreSQL at 127.0.0.1:5432 (databases
# agora_bench and agora_bench_small, seeded once); options through BENCH_ARGS, e.g.
# BENCH_ARGS="--repeat 1 --scenarios health,feed_anon".
.PHONY: bench
$(VENV)/.installed-bench: requirements.txt bench/requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r bench/requirements.txt
	touch $@

bench: $(VENV)/.installed-bench
	@command -v wrk >/dev/null || apt-get install -y -qq wrk || \
		{ apt-get update -qq && apt-get install -y -qq wrk; }
	$(BIN)/python bench/run.py $(BENCH_ARGS)
