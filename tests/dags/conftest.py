"""Airflow for the DAG tests, one of each per session: a configuration home for parsing the DAG
folder in this process (set before Airflow is first imported, as it reads its configuration once),
and a migrated home for real DAG runs in child processes."""
from __future__ import annotations

from pathlib import Path

import pytest

from paperhouse import embedded
from paperhouse.embedded import DAGS_DIR
from paperhouse.settings import Settings


@pytest.fixture(scope="session")
def airflow_config_home(tmp_path_factory):
    """Configuration only (no metadata DB): enough to parse the DAG folder in this process."""
    home = tmp_path_factory.mktemp("airflow_config_home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AIRFLOW_HOME", str(home))
        patch.setenv("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
        patch.setenv("AIRFLOW__CORE__DAGS_FOLDER", str(DAGS_DIR))
        yield home


@pytest.fixture(scope="session")
def dagbag(airflow_config_home):
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS_DIR))


@pytest.fixture(scope="session")
def airflow_home(tmp_path_factory) -> Path:
    """A migrated Airflow home (SQLite metadata DB) with the writer pool, for the session's real
    DAG runs (they run in child processes started with embedded.airflow_env)."""
    home = tmp_path_factory.mktemp("airflow_home")
    unused = Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path_factory.mktemp("unused_home"))})
    return embedded.prepare_airflow_home(embedded.airflow_env(unused, home))
