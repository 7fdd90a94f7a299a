from pathlib import Path

import pytest

from talenta.config import Settings, describe
from talenta.errors import SettingsError

ROOT = Path(__file__).resolve().parents[2]


def test_defaults():
    s = Settings()
    assert s.db_path == "data/talenta.duckdb"
    assert s.instansi == "Pemerintah Kota Palembang"
    assert isinstance(s.seed, int)


def test_from_env_reads_prefixed_variables():
    s = Settings.from_env({"TALENTA_DB_PATH": "/tmp/x.duckdb", "TALENTA_SEED": "42", "TALENTA_MIN_GROUP": "10"})
    assert (s.db_path, s.seed, s.min_group) == ("/tmp/x.duckdb", 42, 10)


def test_bad_integer_is_a_clear_error():
    with pytest.raises(SettingsError, match="TALENTA_SEED"):
        Settings.from_env({"TALENTA_SEED": "banyak"})


def test_every_setting_is_documented_in_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [d["env"] for d in describe() if f"`{d['env']}`" not in readme]
    assert not missing, f"README.md does not document: {missing}"
    for d in describe():
        assert d["help"], d["name"]
