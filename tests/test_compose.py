"""docker-compose.yml, Dockerfile and .dockerignore, checked without a Docker engine: the compose file
against the compose specification's JSON schema, and every path, target and variable it names
against this repository."""
from __future__ import annotations

import copy
import dataclasses
import fnmatch
import json
import re
import tomllib
from pathlib import Path

import jsonschema
import pytest
import yaml

from paperhouse.export import LATEST, WAREHOUSE_COPY
from paperhouse.orchestration import WAREHOUSE_POOL
from paperhouse.settings import ENV_PREFIX, Settings

REPO_ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
SCHEMA_FILE = Path(__file__).parent / "fixtures" / "compose-spec.json"
AIRFLOW_SERVICES = {"airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-worker",
                    "airflow-triggerer", "airflow-init"}
INTERPOLATION = re.compile(r"\$\{(\w+)(?::?-([^}]*))?\}")


@pytest.fixture(scope="module")
def compose() -> dict:
    # safe_load resolves the YAML anchors and `<<` merge keys the way Compose does.
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads(SCHEMA_FILE.read_text()))


def _with_defaults(value: str) -> str:
    """Compose interpolation with no variables set: ${X:-default} -> default; $$ -> $."""
    return INTERPOLATION.sub(lambda m: m.group(2) or "", str(value)).replace("$$", "$")


def _dockerfile_stages(dockerfile: Path = REPO_ROOT / "Dockerfile") -> dict[str, str]:
    """{stage name: base image} with ARG defaults substituted."""
    text = dockerfile.read_text()
    args = dict(re.findall(r"^ARG (\w+)=(\S+)$", text, flags=re.M))
    stages = {}
    for base, name in re.findall(r"^FROM (\S+) AS (\w+)$", text, flags=re.M):
        stages[name] = re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], base)
    return stages


def test_compose_file_follows_the_compose_specification(compose, validator):
    errors = sorted(validator.iter_errors(compose), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)


@pytest.mark.parametrize("mutate", [
    lambda c: c["services"]["postgres"].update(restrat="always"),
    lambda c: c["services"]["airflow-worker"]["depends_on"]["redis"].update(condition="when_ready"),
    lambda c: c.update(volume={"x": None}),
])
def test_the_schema_rejects_a_broken_compose_file(compose, validator, mutate):
    broken = copy.deepcopy(compose)
    mutate(broken)
    assert list(validator.iter_errors(broken))


def test_airflow_services_share_the_common_definition(compose):
    services = compose["services"]
    assert AIRFLOW_SERVICES <= set(services)
    assert {"postgres", "redis"} <= set(services)
    common = compose["x-airflow-common"]
    for name in AIRFLOW_SERVICES:
        service = services[name]
        assert service["build"] == common["build"], name
        assert service["environment"]["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert service["volumes"] == common["volumes"], name
    commands = {name: services[name].get("command") for name in AIRFLOW_SERVICES - {"airflow-init"}}
    assert commands == {"airflow-apiserver": "api-server", "airflow-scheduler": "scheduler",
                        "airflow-dag-processor": "dag-processor", "airflow-worker": "celery worker",
                        "airflow-triggerer": "triggerer"}
    assert common["environment"]["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql")
    assert re.match(r"redis://(:@)?redis:6379/", common["environment"]["AIRFLOW__CELERY__BROKER_URL"])


def test_plugins_folder_is_the_repositorys_as_in_the_official_layout(compose):
    common = compose["x-airflow-common"]
    folder = common["environment"]["AIRFLOW__CORE__PLUGINS_FOLDER"]
    assert f"./plugins:{folder}" in common["volumes"]
    assert f"./dags:{common['environment']['AIRFLOW__CORE__DAGS_FOLDER']}" in common["volumes"]
    # Airflow's plugin manager would import plugins/paperhouse/**/*.py as top-level modules.
    assert "paperhouse/" in (REPO_ROOT / "plugins" / ".airflowignore").read_text().split()


def test_dependencies_name_existing_services(compose):
    services = compose["services"]
    for name, service in services.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in services, f"{name} depends on unknown service {dependency}"


def test_build_contexts_dockerfiles_and_targets_exist(compose):
    builds = [s["build"] for s in compose["services"].values() if "build" in s]
    assert builds
    for build in builds:
        context = REPO_ROOT / build["context"]
        assert context.is_dir()
        dockerfile = context / build.get("dockerfile", "Dockerfile")
        assert dockerfile.is_file()
        assert build["target"] in _dockerfile_stages(dockerfile)


def test_airflow_image_matches_the_locked_airflow():
    lock = tomllib.loads((REPO_ROOT / "uv.lock").read_text())
    locked = {p["name"]: p["version"] for p in lock["package"]}
    base = _dockerfile_stages()["airflow"]
    assert base == f"apache/airflow:{locked['apache-airflow']}-python3.11"


def test_dockerfile_copies_files_the_build_context_keeps():
    text = (REPO_ROOT / "Dockerfile").read_text()
    ignored = [line.strip() for line in (REPO_ROOT / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")]
    sources = [src for line in re.findall(r"^COPY (?:--\S+ )*(.+) \S+$", text, flags=re.M) for src in line.split()]
    assert {"uv.lock", "plugins", "dags", "dbt_project"} <= set(sources)
    for source in sources:
        assert (REPO_ROOT / source).exists(), source
        assert not any(fnmatch.fnmatch(source, pattern) for pattern in ignored), f"{source} is in .dockerignore"


def test_volume_host_paths_exist_and_named_volumes_are_declared(compose):
    declared = set(compose.get("volumes") or {})
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = _with_defaults(volume).split(":")[0]
            if source.startswith((".", "/")):
                assert (REPO_ROOT / source).is_dir(), f"{name}: {source} is not a directory of the repository"
            else:
                assert source in declared, f"{name}: named volume {source} is not declared"


def test_paperhouse_variables_are_settings_fields(compose):
    fields = {ENV_PREFIX + f.name.upper() for f in dataclasses.fields(Settings)}
    for name, service in compose["services"].items():
        environment = {key: _with_defaults(value) for key, value in (service.get("environment") or {}).items()}
        ours = {key: value for key, value in environment.items() if key.startswith(ENV_PREFIX)}
        assert set(ours) <= fields, f"{name}: {sorted(set(ours) - fields)} are not Settings fields"
        if ours:
            settings = Settings.from_env(ours)  # the defaults must parse, too
            assert settings.home == Path("/opt/paperhouse/data")


def test_init_creates_the_writer_pool_the_dags_use(compose):
    init_script = "\n".join(compose["services"]["airflow-init"]["command"])
    assert f"airflow pools set {WAREHOUSE_POOL} 1 " in init_script


def test_superset_reads_the_exported_warehouse_copy_read_only(compose):
    superset = compose["services"]["superset"]
    assert superset["profiles"] == ["bi"]
    home = compose["x-airflow-common"]["environment"]["PAPERHOUSE_HOME"]
    # The same provisioning as `make bi`: bi/provision.py derives exports/latest/paperhouse.duckdb from it.
    assert superset["environment"]["PAPERHOUSE_HOME"] == home
    assert superset["build"]["dockerfile"] == "bi/Dockerfile"
    assert superset["command"][:3] == ["python", "provision.py", "up"]
    data_mounts = [v for v in superset["volumes"] if v.split(":")[1] == home]
    assert data_mounts and all(v.endswith(":ro") for v in data_mounts)
