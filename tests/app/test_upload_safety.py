"""Impor Data uploads: the size limit is enforced by the page and the server, and no upload outlives its use."""
import os
import stat
import tempfile

from streamlit import config

from talenta import store
from tests.shown import shown


def _skp(demo_data, n=1):
    nips = demo_data.employees["nip"].iloc[:n]
    return ("nip,tahun,predikat\n" + "".join(f"{nip},2026,Baik\n" for nip in nips)).encode()


def test_file_over_the_limit_is_refused_naming_size_and_limit(app, db_copy, monkeypatch, demo_data):
    monkeypatch.setenv("TALENTA_MAX_UPLOAD_MB", "2")
    big = _skp(demo_data) + b"#" * (int(5.2 * 1024 * 1024) - len(_skp(demo_data)))
    at = app(db_copy, "views/impor.py")
    assert config.get_option("server.maxUploadSize") == 2      # the server's own ceiling follows the setting
    at.file_uploader(key="imp_files").upload("besar.csv", big, "text/csv").run()
    assert not at.exception
    msg = " ".join(e.value for e in at.error)
    assert "besar.csv berukuran 5,2 MB" in msg and "batas unggah 2 MB" in msg
    assert not [b for b in at.button if b.key == "imp_go"]          # nothing to import
    # a file under the limit goes through as before
    at.file_uploader(key="imp_files").set_value(("kecil.csv", _skp(demo_data), "text/csv")).run()
    assert not at.error and at.button(key="imp_go").label == "Impor 1 berkas"


def test_uploads_live_in_private_folders_removed_after_preview_and_import(app, db_copy, tmp_path, monkeypatch,
                                                                         demo_data):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    modes = []
    real_mkdtemp = tempfile.mkdtemp

    def spy(*a, **kw):
        d = real_mkdtemp(*a, **kw)
        modes.append(stat.S_IMODE(os.stat(d).st_mode))
        return d

    monkeypatch.setattr(tempfile, "mkdtemp", spy)
    at = app(db_copy, "views/impor.py")
    at.file_uploader(key="imp_files").upload("skp_2026.csv", _skp(demo_data, 3), "text/csv").run()
    assert not at.exception and at.button(key="imp_go").label == "Impor 1 berkas"
    assert list(scratch.iterdir()) == []                 # the preview's copy is gone
    at.button(key="imp_go").click().run()
    assert not at.exception
    assert any("3 baris dibaca = 3 diterima" in shown(s.value) for s in at.success)
    assert list(scratch.iterdir()) == []                 # and so is the import's
    assert modes and set(modes) == {0o700}
    con = store.connect(db_copy)         # same process and configuration as the page's connection
    assert store.query_one(con, "SELECT count(*) FROM performance WHERE tahun = 2026")[0] == 3
