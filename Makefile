# paperhouse, driven by make. The two commands that matter: `make run` and `make test`.
UV := ./scripts/uv
export UV_PYTHON ?= 3.11

.PHONY: setup run standalone test test-fast bench docs clean bi-setup bi team-up team-down team-status

setup:  ## install the locked environment into .venv (uv is installed first if missing)
	@# Bytecode compiled once here (the first time ~1 min, then ~3 s): with PYTHONDONTWRITEBYTECODE set, or a
	@# read-only venv, every fresh process (a cron run, an Airflow task) would otherwise compile dbt and GE again.
	@$(UV) sync --frozen --quiet --compile-bytecode
	@.venv/bin/python -m compileall -q -j 0 plugins dags >/dev/null

run: setup  ## the main job: sample feed -> Airflow daily DAG (embedded, SQLite) -> published warehouse and exports
	@$(UV) run --frozen python -m paperhouse.embedded run

standalone: setup  ## scheduled mode with the Airflow UI on http://localhost:8080
	@$(UV) run --frozen python -m paperhouse.embedded standalone

# One pytest worker per core (at most 4): test files are the unit of work (tests/conftest.py).
PARALLEL := -n auto --maxprocesses 4 --dist loadfile

test: setup  ## the whole test suite, as CI runs it
	@$(UV) run --frozen pytest $(PARALLEL)

test-fast: setup  ## everything but the end-to-end dbt / Great Expectations / Airflow tests
	@$(UV) run --frozen pytest $(PARALLEL) -m "not slow"

bench: setup  ## all benchmarks, full size (hours: the 2.2 M-entry scaling run); saves bench/results/, writes BENCHMARKS.md
	@$(UV) run --frozen python bench/run.py

bi-setup:  ## Superset 6.1 in its own locked environment, bi/.venv (it needs SQLAlchemy < 2, Airflow >= 2)
	@cd bi && ../$(UV) sync --frozen --quiet --compile-bytecode

bi: bi-setup  ## provision Superset (SQLite, admin from SUPERSET_ADMIN_USERNAME/_PASSWORD) and serve the dashboard on 127.0.0.1:8088
	@bi/.venv/bin/python bi/provision.py up --serve --host 127.0.0.1 --port $${PAPERHOUSE_BI_PORT:-8088}

team-up: setup  ## the team deployment without Docker: Postgres, Redis, Airflow with Celery (scripts/team)
	@./scripts/team up

team-down:  ## stop every process team-up started
	@./scripts/team down

team-status:  ## health of each team component
	@./scripts/team status

clean:  ## remove generated data (./data, ./airflow_home) but not the environment
	rm -rf data airflow_home
