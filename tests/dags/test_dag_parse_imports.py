"""DAG files parse fast: importing one in a fresh interpreter loads none of the heavy libraries
(they load inside the tasks), and imports only the public airflow.sdk interface."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from paperhouse.embedded import DAGS_DIR

HEAVY = ("pyarrow", "pandas", "dbt", "great_expectations", "duckdb")
DAG_FILES = sorted(p.name for p in DAGS_DIR.glob("*.py"))

# One fresh interpreter (Airflow's start-up is slow on a shared machine) imports the DAG files one
# after another and reports the top-level modules loaded after each.
IMPORT_EACH = """
import importlib.util, json, sys
for n, path in enumerate(sys.argv[1:]):
    spec = importlib.util.spec_from_file_location(f"dag_under_test_{n}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    print(json.dumps([path, sorted({name.split(".")[0] for name in sys.modules})]))
"""


def test_dag_files_import_without_heavy_libraries(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env.update({"AIRFLOW_HOME": str(tmp_path), "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
                "PAPERHOUSE_HOME": str(tmp_path / "home")})
    done = subprocess.run([sys.executable, "-c", IMPORT_EACH, *(str(DAGS_DIR / f) for f in DAG_FILES)],
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    loaded_after = dict(json.loads(line) for line in done.stdout.splitlines() if line.startswith("["))
    assert sorted(loaded_after) == sorted(str(DAGS_DIR / f) for f in DAG_FILES)
    for path, loaded in loaded_after.items():
        assert "paperhouse" in loaded and "airflow" in loaded
        heavy = sorted(set(loaded) & set(HEAVY))
        assert not heavy, f"{path} loads {heavy} at parse time"


@pytest.mark.parametrize("dag_file", DAG_FILES)
def test_dag_files_use_the_public_airflow_sdk(dag_file):
    text = (DAGS_DIR / dag_file).read_text()
    imports = [line.strip() for line in text.splitlines() if line.strip().startswith(("from airflow", "import airflow"))]
    assert imports and all(line.startswith("from airflow.sdk import ") for line in imports), imports


def test_orchestration_uses_public_airflow_names_only():
    from paperhouse import orchestration

    source = open(orchestration.__file__, encoding="utf-8").read()
    assert "airflow.sdk.definitions" not in source
