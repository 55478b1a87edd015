from pathlib import Path

import pytest

from paperhouse.settings import Settings


def test_defaults_live_under_home(tmp_path):
    settings = Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path)})
    assert settings.feed_dir == tmp_path / "feed"
    assert settings.warehouse_path == tmp_path / "warehouse" / "paperhouse.duckdb"
    assert settings.staging_warehouse_path.parent == settings.warehouse_path.parent
    assert settings.source == "dir"


def test_default_home_is_data_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert Settings.from_env({}).home == tmp_path / "data"


def test_typed_overrides_and_round_trip(tmp_path):
    env = {"PAPERHOUSE_HOME": str(tmp_path), "PAPERHOUSE_FEED_DIR": str(tmp_path / "elsewhere"),
           "PAPERHOUSE_SOURCE": "http", "PAPERHOUSE_HTTP_RETRIES": "5", "PAPERHOUSE_GATE_MIN_COUNT_RATIO": "0.25"}
    settings = Settings.from_env(env)
    assert settings.feed_dir == Path(tmp_path / "elsewhere")
    assert (settings.source, settings.http_retries, settings.gate_min_count_ratio) == ("http", 5, 0.25)
    assert Settings.from_env(settings.as_env()) == settings


@pytest.mark.parametrize("env,message", [
    ({"PAPERHOUSE_HTTP_RETRIES": "many"}, "PAPERHOUSE_HTTP_RETRIES='many': expected int"),
    ({"PAPERHOUSE_SOURCE": "ftp"}, "expected 'dir' or 'http'"),
    ({"PAPERHOUSE_GATE_VOLUME": "off"}, "PAPERHOUSE_GATE_VOLUME='off': expected 'warn' or 'stop'"),
])

def test_bad_values_name_the_variable(tmp_path, env, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path), **env})


def test_volume_warns_by_default_and_can_stop(tmp_path):
    assert Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path)}).gate_volume == "warn"
    assert Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path), "PAPERHOUSE_GATE_VOLUME": "stop"}).gate_volume == "stop"


@pytest.mark.parametrize("raw,expected", [("0", False), ("false", False), ("Off", False), ("1", True), ("True", True)])
def test_switches_read_the_usual_spellings(tmp_path, raw, expected):
    assert Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path), "PAPERHOUSE_GATE_WORKER": raw}).gate_worker is expected


def test_a_switch_that_is_not_one_names_the_variable(tmp_path):
    with pytest.raises(ValueError, match="PAPERHOUSE_GATE_WORKER='maybe': expected bool"):
        Settings.from_env({"PAPERHOUSE_HOME": str(tmp_path), "PAPERHOUSE_GATE_WORKER": "maybe"})
