"""Errors on a page: a typed error shows its message; a bug shows an id, never a traceback."""
import re

from streamlit.testing.v1 import AppTest

from tests.shown import shown


def _script():
    import streamlit as st

    from talenta.errors import ImportFileError
    from talenta.ui import errors

    kind = st.session_state.get("kind", "bug")
    with errors.guarded("uji halaman"):
        if kind == "bug":
            raise KeyError("rahasia_internal")
        raise ImportFileError("pegawai.xlsx", "berkas dilindungi kata sandi; buka di Excel.")
    st.write("sesudah blok")


def test_a_bug_inside_a_guarded_block_shows_an_id_and_is_logged(caplog):
    at = AppTest.from_function(_script)
    at.run()
    assert not at.exception
    [err] = at.error
    code = re.fullmatch(r"Terjadi kesalahan tak terduga \(kode ([0-9A-F]{6})\)\..*", err.value).group(1)
    assert "rahasia_internal" not in err.value and "Traceback" not in err.value
    assert at.markdown[-1].value == "sesudah blok"                 # the rest of the page still renders
    logged = [r for r in caplog.records if r.name == "talenta" and code in r.getMessage()]
    assert logged and logged[0].exc_info[0] is KeyError


def test_a_typed_error_inside_a_guarded_block_shows_its_message():
    at = AppTest.from_function(_script)
    at.session_state["kind"] = "file"
    at.run()
    assert not at.exception
    assert shown(at.error[0].value).startswith("pegawai.xlsx tidak dapat diimpor. berkas dilindungi kata sandi")


def test_a_bug_in_a_page_shows_the_apps_message_not_streamlits(demo_db_file, tmp_path, monkeypatch, caplog):
    """A page that fails (Ringkasan's trend chart raised StopIteration for a small, strong group; review 10, 1)
    showed Streamlit's raw red box; app.py now shows the app's message with its code, the sidebar intact."""
    import shutil

    from talenta import charts
    from talenta.ui import auth
    from tests.app.conftest import ROOT

    db = tmp_path / "d.duckdb"
    shutil.copy(demo_db_file, db)
    monkeypatch.setenv("TALENTA_DB_PATH", str(db))

    def broken(*a, **k):
        raise StopIteration
    monkeypatch.setattr(charts, "trend", broken)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state[auth.USER_KEY] = "admin"
    at.run()
    assert not at.exception
    said = [e.value for e in at.error]
    assert len(said) == 1 and re.fullmatch(r"Terjadi kesalahan tak terduga \(kode [0-9A-F]{6}\)\..*", said[0]), said
    assert at.sidebar.selectbox(key="flt_period").value == 2025            # the rest of the app still works
