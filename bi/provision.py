"""Provision Superset for paperhouse in one process, and optionally serve it.

    python bi/provision.py bundle --out dashboard.zip [--warehouse PATH]   # the import zip only
    python bi/provision.py up [--serve] [--host 127.0.0.1] [--port 8088]    # provision (and serve)
        [--wait-for-warehouse SECONDS]   # migrate meanwhile; import once the first export exists

`up` migrates the SQLite metadata database, creates the admin (SUPERSET_ADMIN_USERNAME /
SUPERSET_ADMIN_PASSWORD), syncs roles and permissions, builds the dashboard bundle (bi/dashboard/,
YAML with fixed UUIDs) into a zip and imports it the way `superset import-dashboards` does, then
serves. That is `superset db upgrade`, `fab create-admin`, `init`, `import-dashboards` and `run`
in one Python process: each Superset CLI process spends 20-30 s starting up.

The database of the bundle points at the export's read-only warehouse copy,
$PAPERHOUSE_HOME/exports/latest/paperhouse.duckdb (through the `latest` link, so a new export is
picked up without provisioning again).
"""
from __future__ import annotations

import argparse
import contextlib
import io
import logging
import os
import sqlite3
import sys
import time
import zipfile
from pathlib import Path

BI_DIR = Path(__file__).resolve().parent
BUNDLE_DIR = BI_DIR / "dashboard"
BUNDLE_ROOT = "paperhouse_dashboard"  # the folder inside the zip, as Superset's own exports have
URI_PLACEHOLDER = "__PAPERHOUSE_WAREHOUSE_URI__"
DASHBOARD_SLUG = "paperhouse"


def default_warehouse() -> Path:
    home = Path(os.environ.get("PAPERHOUSE_HOME", "data")).expanduser().absolute()
    return home / "exports" / "latest" / "paperhouse.duckdb"


def warehouse_uri(warehouse: Path) -> str:
    return f"duckdb:///{Path(warehouse).absolute()}?access_mode=read_only"


def build_bundle(warehouse: Path) -> bytes:
    """The bundle's YAML files zipped, with the warehouse's URI in the database file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(BUNDLE_DIR.rglob("*.yaml")):
            text = path.read_text(encoding="utf-8").replace(URI_PLACEHOLDER, warehouse_uri(warehouse))
            bundle.writestr(f"{BUNDLE_ROOT}/{path.relative_to(BUNDLE_DIR).as_posix()}", text)
    return buffer.getvalue()


@contextlib.contextmanager
def unsynced_sqlite():
    """SQLite connections opened inside skip fsync (PRAGMA synchronous=OFF). Provisioning commits
    about a thousand times (each migration, each permission), and a synced commit costs 20-30 ms of
    disk flush: half a minute. Everything provisioning writes comes from this folder and is written
    again by the next `up`; a process crash keeps the file intact either way (only an OS crash
    mid-provisioning could leave it needing a fresh PAPERHOUSE_BI_HOME). Serving uses the default."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def no_fsync(dbapi_connection, _record) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):  # the metadata DB; the warehouse is DuckDB
            dbapi_connection.execute("PRAGMA synchronous=OFF")

    event.listen(Engine, "connect", no_fsync)
    try:
        yield
    finally:
        event.remove(Engine, "connect", no_fsync)


def wait_for(warehouse: Path, seconds: float) -> None:
    """Wait until the export's warehouse exists (a first pipeline run may still be writing it)."""
    deadline = time.monotonic() + seconds
    while not warehouse.is_file():
        if time.monotonic() >= deadline:
            raise SystemExit(f"bi: {warehouse}: no exported warehouse after {seconds:.0f} s "
                             "(run `make run` or `paperhouse export` first)")
        time.sleep(1)


def provision(warehouse: Path, username: str, password: str, wait_s: float = 0):
    """Metadata DB, admin, roles, dashboard; returns the Flask app. The metadata steps do not need
    the warehouse: with wait_s, they run while the export may still be on its way."""
    started = time.monotonic()

    def step(name: str) -> None:
        if os.environ.get("PAPERHOUSE_BI_TIMINGS"):
            print(f"bi: {name} at {time.monotonic() - started:.1f} s", file=sys.stderr, flush=True)

    os.environ.setdefault("SUPERSET_CONFIG_PATH", str(BI_DIR / "superset_config.py"))
    from flask import g
    from flask_migrate import upgrade
    from superset.app import create_app

    step("superset imported")
    app = create_app()
    step("app created")
    with app.app_context(), unsynced_sqlite():
        from superset import security_manager
        from superset.commands.dashboard.importers.dispatcher import ImportDashboardsCommand
        from superset.commands.importers.v1.utils import get_contents_from_bundle
        from superset.extensions import appbuilder, db

        logging.disable(logging.INFO)  # alembic logs every table it creates
        try:
            upgrade()  # superset db upgrade
        finally:
            logging.disable(logging.NOTSET)
        step("metadata database migrated")
        if security_manager.find_user(username=username) is None:  # superset fab create-admin
            admin_role = security_manager.find_role(security_manager.auth_role_admin)
            if not security_manager.add_user(username, "Admin", "User", f"{username}@localhost",
                                             admin_role, password=password):
                raise SystemExit(f"bi: could not create the admin user {username!r}")
        else:
            user = security_manager.find_user(username=username)
            security_manager.reset_password(user.id, password)
        appbuilder.add_permissions(update_perms=True)  # superset init
        security_manager.sync_role_definitions()
        db.session.commit()
        step("roles and permissions synced")
        wait_for(warehouse, wait_s)
        g.user = security_manager.find_user(username=username)  # superset import-dashboards -u admin
        with zipfile.ZipFile(io.BytesIO(build_bundle(warehouse))) as bundle:
            contents = get_contents_from_bundle(bundle)
        ImportDashboardsCommand(contents, overwrite=True).run()
        db.session.commit()
        step("dashboard imported")
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    bundle_cmd = sub.add_parser("bundle", help="write the dashboard bundle as a zip for `superset import-dashboards`")
    bundle_cmd.add_argument("--out", type=Path, required=True)
    bundle_cmd.add_argument("--warehouse", type=Path, default=None)
    up_cmd = sub.add_parser("up", help="provision the metadata DB, admin and dashboard; --serve to serve it")
    up_cmd.add_argument("--warehouse", type=Path, default=None)
    up_cmd.add_argument("--serve", action="store_true")
    up_cmd.add_argument("--wait-for-warehouse", type=float, default=0, metavar="SECONDS",
                        help="provision the metadata meanwhile and wait this long for a first export")
    up_cmd.add_argument("--host", default="127.0.0.1")
    up_cmd.add_argument("--port", type=int, default=8088)
    args = parser.parse_args(argv)

    warehouse = args.warehouse or default_warehouse()
    if args.command == "bundle":
        args.out.write_bytes(build_bundle(warehouse))
        print(f"bi: bundle {args.out} (database {warehouse_uri(warehouse)})", file=sys.stderr)
        return 0
    if not warehouse.is_file() and not args.wait_for_warehouse:
        print(f"bi: {warehouse}: no exported warehouse yet (run `make run` or `paperhouse export` first)",
              file=sys.stderr)
        return 1
    username = os.environ.get("SUPERSET_ADMIN_USERNAME", "admin")
    password = os.environ.get("SUPERSET_ADMIN_PASSWORD", "admin")
    app = provision(warehouse, username, password, args.wait_for_warehouse)
    print(f"bi: dashboard '{DASHBOARD_SLUG}' over {warehouse} provisioned; admin user {username}", file=sys.stderr)
    if args.serve:
        print(f"bi: serving http://{args.host}:{args.port}/superset/dashboard/{DASHBOARD_SLUG}/", file=sys.stderr, flush=True)
        app.run(host=args.host, port=args.port, threaded=True, use_reloader=False, debug=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
