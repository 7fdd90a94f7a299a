"""Every page on a database with an account and no data: a sentence saying what to do, never a traceback (the
readers ask their filters for a period, ``Filters.need_period``, and a page without one must stop first)."""
from pathlib import Path

import pytest

PAGES = sorted(p.name for p in (Path(__file__).resolve().parents[2] / "views").glob("*.py"))
NO_DATA = {"data.py": "Belum ada data pegawai", "ekspor.py": "Belum ada data untuk diekspor",
           "hipo.py": "Belum ada data kinerja atau asesmen"}
GLOBAL = {"aturan.py", "cadangan.py", "impor.py", "pengguna.py"}        # pages for an empty database too


@pytest.mark.parametrize("page", PAGES)
def test_a_page_on_an_empty_database_says_what_to_do(app, tmp_path, page):
    at = app(tmp_path / "kosong.duckdb", f"views/{page}")
    assert not at.exception, [e.value for e in at.exception]
    assert not any("Pilih periode" in e.value for e in at.error)
    if page not in GLOBAL:
        said = NO_DATA.get(page, "Belum ada data kinerja atau asesmen. Impor berkasnya di halaman Impor")
        assert any(said in i.value for i in at.info), [i.value for i in at.info]
