# The two commands that matter: `make run` and `make test`.
# Both create .venv from requirements.lock on first use.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run test lint format bench load lighthouse install clean

help:
	@echo "make run    set up .venv, migrate, load the sample data and serve http://127.0.0.1:$(PORT)"
	@echo "make test   set up .venv and run ruff and the whole test suite"
	@echo "make bench  build 1k/10k/100k-clinic databases and measure the site under load"
	@echo "make load   60 s load run, then a PostgreSQL and a Redis outage run (needs DATABASE_URL)"

# Refuse a Python that is too old, and say what to do about it.
check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null || { \
	  echo "This project needs Python 3.12 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
	  echo "Install Python 3.12+ (for example 'pyenv install 3.12' or your system's python3.12 package),"; \
	  echo "then run 'make $(MAKECMDGOALS) PYTHON=python3.12'."; \
	  exit 1; }

# A venv made by an older Python is thrown away and made again.
$(VENV)/.installed: requirements.lock pyproject.toml | check-python
	@if [ -x $(PY) ] && ! $(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then \
	  echo "Recreating $(VENV): it was made by an older Python."; rm -rf $(VENV); fi
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	@touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_sample_data
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: lint
	$(VENV)/bin/pytest

# Not part of `make test`: builds 1k/10k/100k-clinic databases and measures the
# production server under wrk. Uses PostgreSQL when DATABASE_URL points at one.
bench: install
	@command -v wrk >/dev/null || apt-get install -y -qq wrk
	$(PY) bench/run.py

# 60 s of load at 32 connections, then a run during which PostgreSQL is stopped
# for 10 s and started again, then one that does the same to a Redis of its own
# (redis-server). Needs DATABASE_URL at the local cluster.
load: install
	@command -v wrk >/dev/null || apt-get install -y -qq wrk
	$(PY) bench/faults.py

# Lighthouse 12 (npm, Node 20) with Debian's Chromium against the production server.
lighthouse: install
	@command -v chromium >/dev/null || apt-get install -y -qq chromium
	$(PY) bench/lighthouse.py

clean:
	rm -rf $(VENV) .pytest_cache db.sqlite3 staticfiles
