"""The Dockerfile and scripts/team install one resolved set: the lock's `team` group."""
from __future__ import annotations

import re
import tomllib

from conftest import REPO_ROOT

PYPROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
LOCK = tomllib.loads((REPO_ROOT / "uv.lock").read_text())
DOCKERFILE = (REPO_ROOT / "Dockerfile").read_text()


def _requirement_name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower()


def test_dockerfile_installs_dependency_groups_that_exist_and_checks_them():
    groups = re.findall(r"--group (\S+)", DOCKERFILE)
    assert "team" in groups
    assert set(groups) <= set(PYPROJECT["dependency-groups"])
    assert re.search(r"&& pip check\b", DOCKERFILE)


def test_team_group_is_locked_with_the_executor_database_and_auth_providers():
    team = {_requirement_name(r) for r in PYPROJECT["dependency-groups"]["team"]}
    assert {"apache-airflow-providers-celery", "apache-airflow-providers-postgres",
            "apache-airflow-providers-fab", "psycopg2-binary"} <= team
    (project,) = [p for p in LOCK["package"] if p["name"] == "paperhouse"]
    locked_team = {d["name"] for d in project["dev-dependencies"]["team"]}
    assert team <= locked_team
    # `make setup` (and so `make test`) installs it: the team tests need it.
    assert "team" in PYPROJECT["tool"]["uv"]["default-groups"]


def test_team_script_uses_the_compose_files_auth_manager_and_executor():
    import yaml

    compose = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
    common = compose["x-airflow-common"]["environment"]
    script = (REPO_ROOT / "scripts" / "team.py").read_text()
    assert f'FAB_AUTH_MANAGER = "{common["AIRFLOW__CORE__AUTH_MANAGER"]}"' in script
    assert f'"AIRFLOW__CORE__EXECUTOR": "{common["AIRFLOW__CORE__EXECUTOR"]}"' in script
