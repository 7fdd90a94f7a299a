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


@pytest.mark.parametrize("key, raw, words", [
    ("TALENTA_MIN_GROUP", "0", "min_group harus 2 atau lebih"),        # switched small-group suppression off
    ("TALENTA_MIN_GROUP", "1", "min_group harus 2 atau lebih"),        # so did 1: no group is smaller (review 13)
    ("TALENTA_MIN_GROUP", "-3", "min_group harus 2 atau lebih"),
    ("TALENTA_BACKUP_KEEP", "0", "backup_keep harus 1 atau lebih"),    # deleted each daily snapshot as taken
    ("TALENTA_PERIOD_MIN_SHARE", "1,5", "antara 0 dan 1"),
    ("TALENTA_BACKUP_DAILY", "maybe", "bukan 1 atau 0"),               # silently meant off
])
def test_a_setting_out_of_its_range_is_refused_in_words(key, raw, words):
    """Review 12, M2, L2, L5: a value outside its range is refused when the settings are read."""
    with pytest.raises(SettingsError, match=words):
        Settings.from_env({key: raw})


def test_settings_at_the_edges_of_their_ranges_are_taken():
    s = Settings.from_env({"TALENTA_MIN_GROUP": "2", "TALENTA_BACKUP_KEEP": "1", "TALENTA_PERIOD_MIN_SHARE": "0",
                           "TALENTA_BACKUP_DAILY": "0", "TALENTA_HIPO_BOOTSTRAP": "0"})
    assert (s.min_group, s.backup_keep, s.period_min_share, s.backup_daily, s.hipo_bootstrap) == (2, 1, 0.0, False, 0)
