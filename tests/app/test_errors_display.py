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
