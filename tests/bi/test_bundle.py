"""The dashboard bundle in bi/dashboard/, checked without Superset: the references the importer
follows by UUID resolve, and what SQLite metadata or the importer would refuse is absent."""
from __future__ import annotations

import yaml

from .conftest import BI_DIR

BUNDLE = BI_DIR / "dashboard"


def load(folder: str) -> list[dict]:
    return [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted((BUNDLE / folder).rglob("*.yaml"))]


def test_every_reference_in_the_bundle_resolves_by_uuid():
    (database,) = load("databases")
    datasets, charts, (dashboard,) = load("datasets"), load("charts"), load("dashboards")
    assert database["sqlalchemy_uri"] == "__PAPERHOUSE_WAREHOUSE_URI__"
    assert {d["database_uuid"] for d in datasets} == {database["uuid"]}
    assert {c["dataset_uuid"] for c in charts} <= {d["uuid"] for d in datasets}
    placed = [node["meta"] for node in dashboard["position"].values()
              if isinstance(node, dict) and node.get("type") == "CHART"]
    assert sorted(meta["uuid"] for meta in placed) == sorted(c["uuid"] for c in charts)
    assert all(isinstance(meta["chartId"], int) for meta in placed)  # the importer needs it
    uuids = [database["uuid"], dashboard["uuid"]] + [d["uuid"] for d in datasets] + [c["uuid"] for c in charts]
    assert len(set(uuids)) == len(uuids)


def test_dataset_table_names_are_unique_and_charts_use_their_columns():
    datasets = {d["uuid"]: d for d in load("datasets")}
    names = [d["table_name"] for d in datasets.values()]
    assert len(set(names)) == len(names)  # SQLite metadata: tables.table_name is UNIQUE
    for chart in load("charts"):
        columns = {c["column_name"] for c in datasets[chart["dataset_uuid"]]["columns"]}
        params = chart["params"]
        used = set(params.get("all_columns", [])) | set(params.get("groupby", []))
        used |= {params["x_axis"]} if "x_axis" in params else set()
        assert used <= columns, (chart["slice_name"], used - columns)
