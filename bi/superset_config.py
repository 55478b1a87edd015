"""Superset settings for paperhouse: SQLite metadata and in-process caches, no Redis, quiet logs.

Everything Superset writes lives in PAPERHOUSE_BI_HOME (default bi/.superset). The secret key comes
from SUPERSET_SECRET_KEY, or is generated once into that folder (a laptop needs no set-up).
"""
import logging
import os
import secrets
from pathlib import Path

BI_HOME = Path(os.environ.get("PAPERHOUSE_BI_HOME") or Path(__file__).resolve().parent / ".superset").absolute()
BI_HOME.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if os.environ.get("SUPERSET_SECRET_KEY"):
        return os.environ["SUPERSET_SECRET_KEY"]
    key_file = BI_HOME / "secret_key"
    if not key_file.is_file():
        key_file.write_text(secrets.token_urlsafe(42), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
SQLALCHEMY_DATABASE_URI = f"sqlite:///{BI_HOME / 'superset.db'}"
DATA_DIR = str(BI_HOME)

# In-process caches: one Superset process, no Redis.
_SIMPLE_CACHE = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 300}
CACHE_CONFIG = {**_SIMPLE_CACHE, "CACHE_KEY_PREFIX": "superset_"}
DATA_CACHE_CONFIG = {**_SIMPLE_CACHE, "CACHE_KEY_PREFIX": "superset_data_"}
FILTER_STATE_CACHE_CONFIG = {**_SIMPLE_CACHE, "CACHE_KEY_PREFIX": "superset_filter_"}
EXPLORE_FORM_DATA_CACHE_CONFIG = {**_SIMPLE_CACHE, "CACHE_KEY_PREFIX": "superset_explore_"}
RATELIMIT_STORAGE_URI = "memory://"

# Charts read the export's DuckDB copy; nothing else is reachable offline.
PREVENT_UNSAFE_DB_CONNECTIONS = True
SUPERSET_WEBSERVER_TIMEOUT = 60
LOG_LEVEL = logging.WARNING
