# paperhouse images for docker-compose.yml. Two targets:
#   airflow  (default): the official Airflow 3 image with paperhouse and its locked dependencies
#   superset (profile bi): Superset with the DuckDB driver, to read the exported warehouse copy
ARG AIRFLOW_IMAGE=apache/airflow:3.3.2-python3.11
ARG SUPERSET_IMAGE=apache/superset:5.0.0

FROM ${SUPERSET_IMAGE} AS superset
USER root
# DuckDB pinned to the warehouse's major version: the file format must match the writer's.
RUN . /app/.venv/bin/activate && uv pip install --no-cache "duckdb==2.0.*" "duckdb-engine>=0.17"
USER superset

FROM ${AIRFLOW_IMAGE} AS airflow
WORKDIR /opt/paperhouse
USER root
RUN mkdir -p /opt/paperhouse/data && chown -R airflow:0 /opt/paperhouse
USER airflow
# Dependencies first (this layer is reused until uv.lock changes): exactly the locked versions,
# exported from uv.lock, installed with the image's pip; the lock pins the same Airflow as the image.
# The `team` group (celery, postgres and fab providers) is the set scripts/team runs with, too;
# pip check fails the build if it does not fit what the image already holds.
COPY --chown=airflow:0 pyproject.toml uv.lock README.md ./
RUN pip install --no-cache-dir "uv>=0.9" \
 && uv export --frozen --no-default-groups --group team --no-emit-project --no-hashes --output-file /tmp/requirements.txt \
 && pip install --no-cache-dir -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt \
 && pip check
COPY --chown=airflow:0 plugins ./plugins
COPY --chown=airflow:0 dags ./dags
COPY --chown=airflow:0 dbt_project ./dbt_project
# Editable, so the package finds dags/ and dbt_project/ beside it (compose mounts them over for development).
RUN pip install --no-cache-dir --no-deps -e .
ENV PAPERHOUSE_HOME=/opt/paperhouse/data \
    AIRFLOW__CORE__DAGS_FOLDER=/opt/paperhouse/dags \
    AIRFLOW__CORE__LOAD_EXAMPLES=False
