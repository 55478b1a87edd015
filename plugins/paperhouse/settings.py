"""One settings object for the CLI, the DAGs and the tests.

Every value comes from a ``PAPERHOUSE_*`` environment variable, read when ``Settings.from_env()``
is called (not at import), so tests and DAG runs can point the package at their own data root.
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

ENV_PREFIX = "PAPERHOUSE_"
_BOOLEANS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


def _parse_bool(raw: str) -> bool:
    try:
        return _BOOLEANS[raw.strip().lower()]
    except KeyError:
        raise ValueError(raw) from None


@dataclass(frozen=True)
class Settings:
    home: Path
    feed_dir: Path
    # "dir" reads <feed_dir>/<YYYY-MM-DD>.<ext>; "http" asks the Daily Papers API for the day.
    source: str = "dir"
    api_url: str = "https://huggingface.co/api/daily_papers"
    # Per request: the whole answer (connect, headers, body) must arrive within http_timeout_s, and
    # a body above http_max_body_mb is refused while it streams.
    http_timeout_s: float = 30.0
    http_retries: int = 3
    http_max_body_mb: float = 50.0
    # Raw gate: a day's entry count is expected within [min_ratio, max_ratio] x the median of the
    # last `history_days` accepted days; the first `warmup_days` days are exempt. Outside it, the
    # day passes with a warning (`gate_volume="warn"`: real days swing 4x) or is stopped ("stop").
    gate_volume: str = "warn"
    gate_min_count_ratio: float = 0.5
    gate_max_count_ratio: float = 3.0
    gate_history_days: int = 7
    gate_warmup_days: int = 3
    gate_max_title_like_share: float = 0.05
    # dbt runs independent models and tests side by side on one DuckDB instance: most of a daily
    # build is per-node overhead, so 4 threads cut it by about a quarter even on 2 cores.
    dbt_threads: int = 4
    # Exports kept under exports/ (the newest by date; `latest` always among them). Each is a full
    # copy of the warehouse, so keeping every one would grow disk with the square of the history.
    # 0 keeps them all.
    export_keep: int = 14
    # A failed task's first retry waits this long (jittered up to twice), doubling each try.
    retry_delay_s: float = 60.0
    # The daily DAG's catch-up start (YYYY-MM-DD). Empty: no catch-up, the scheduler runs each new
    # day, and any earlier day is run by hand or by the backfill DAG.
    start_date: str = ""
    # Alerts by mail (failed task, skipped day, day not published by its deadline): comma-separated
    # recipients; empty sends none. The server is the Airflow connection alert_smtp_conn_id
    # (e.g. AIRFLOW_CONN_SMTP_DEFAULT='smtp://user:password@mail.example.com:587').
    alert_email: str = ""
    alert_from: str = "paperhouse@localhost"
    alert_smtp_conn_id: str = "smtp_default"
    # `paperhouse run` forks a worker that imports Great Expectations while the run ingests and
    # prepares dbt, and runs the gates there (paperhouse.gate_worker); false runs them in-process.
    gate_worker: bool = True

    # Everything paperhouse writes lives under `home`.
    @property
    def landing_dir(self) -> Path:
        return self.home / "landing"

    @property
    def quarantine_dir(self) -> Path:
        return self.home / "quarantine"

    @property
    def lake_dir(self) -> Path:
        return self.home / "lake"

    @property
    def warehouse_dir(self) -> Path:
        return self.home / "warehouse"

    @property
    def warehouse_path(self) -> Path:
        """The published warehouse: only ever replaced whole, by an atomic rename."""
        return self.warehouse_dir / "paperhouse.duckdb"

    @property
    def staging_warehouse_path(self) -> Path:
        """Where dbt builds; audited before it is renamed onto `warehouse_path`."""
        return self.warehouse_dir / "staging.duckdb"

    @property
    def exports_dir(self) -> Path:
        return self.home / "exports"

    @property
    def quality_dir(self) -> Path:
        return self.home / "quality"

    @property
    def state_dir(self) -> Path:
        return self.home / "state"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> "Settings":
        env = os.environ if environ is None else environ
        home = Path(env.get(ENV_PREFIX + "HOME", "data")).expanduser().absolute()
        feed_dir = Path(env.get(ENV_PREFIX + "FEED_DIR", str(home / "feed"))).expanduser().absolute()
        values: dict = {"home": home, "feed_dir": feed_dir}
        for field in dataclasses.fields(cls):
            if field.name in values:
                continue
            raw = env.get(ENV_PREFIX + field.name.upper())
            if raw is None:
                continue
            kind = type(field.default)
            try:
                values[field.name] = _parse_bool(raw) if kind is bool else kind(raw)
            except ValueError as exc:
                raise ValueError(f"{ENV_PREFIX}{field.name.upper()}={raw!r}: expected {kind.__name__}") from exc
        if values.get("source", "dir") not in ("dir", "http"):
            raise ValueError(f"{ENV_PREFIX}SOURCE={values['source']!r}: expected 'dir' or 'http'")
        if values.get("gate_volume", "warn") not in ("warn", "stop"):
            raise ValueError(f"{ENV_PREFIX}GATE_VOLUME={values['gate_volume']!r}: expected 'warn' or 'stop'")
        values.update(overrides)
        return cls(**values)

    def as_env(self) -> dict[str, str]:
        """The environment that reproduces these settings (for dbt and subprocesses)."""
        env = {ENV_PREFIX + "HOME": str(self.home), ENV_PREFIX + "FEED_DIR": str(self.feed_dir)}
        for field in dataclasses.fields(self):
            if field.name not in ("home", "feed_dir"):
                env[ENV_PREFIX + field.name.upper()] = str(getattr(self, field.name))
        return env
