# paperhouse, driven by make. The two commands that matter: `make run` and `make test`.
UV := ./scripts/uv
export UV_PYTHON ?= 3.11

.PHONY: setup run standalone test test-fast bench docs clean team-up team-down team-status

setup:  ## install the locked environment into .venv (uv is installed first if missing)
	@$(UV) sync --frozen --quiet

run: setup  ## the main job: sample feed -> Airflow daily DAG (embedded, SQLite) -> published warehouse and exports
	@$(UV) run --frozen python -m paperhouse.embedded run

standalone: setup  ## scheduled mode with the Airflow UI on http://localhost:8080
	@$(UV) run --frozen python -m paperhouse.embedded standalone

test: setup  ## the whole test suite, as CI runs it
	@$(UV) run --frozen pytest

test-fast: setup  ## everything but the end-to-end dbt / Great Expectations / Airflow tests
	@$(UV) run --frozen pytest -m "not slow"

bench: setup  ## benchmarks (see BENCHMARKS.md)
	@$(UV) run --frozen python bench/run.py

team-up: setup  ## the team deployment without Docker: Postgres, Redis, Airflow with Celery (scripts/team)
	@./scripts/team up

team-down:  ## stop every process team-up started
	@./scripts/team down

team-status:  ## health of each team component
	@./scripts/team status

clean:  ## remove generated data (./data, ./airflow_home) but not the environment
	rm -rf data airflow_home
