"""Friendly display of the library's typed errors (never a raw traceback)."""
from __future__ import annotations

from contextlib import contextmanager

import streamlit as st

from ..errors import (DISK_FULL, ImportFileError, SettingsError, StoreError, TalentaError, disk_full, report_operator,
                      report_unexpected, unexpected_message)
from ..escape import markdown as md


def show(exc: TalentaError) -> None:
    if isinstance(exc, (StoreError, SettingsError)):
        # the installation's fault, in words naming server paths and processes: in the server's log, not on screen
        code = report_operator(exc, "dashboard")
        what = "Pengaturan server tidak valid" if isinstance(exc, SettingsError) else "Basis data tidak dapat dibuka"
        st.error(f"**{what}** (kode {code}). Talenta belum dapat melayani. Pengelola aplikasi menemukan sebab dan "
                 "cara memperbaikinya di log server dengan kode itu.")
    elif isinstance(exc, ImportFileError):
        st.error(f"**{md(exc.file_name)} tidak dapat diimpor.** {md(exc.message)} Tidak ada data yang berubah.")
    else:
        st.error(md(exc))   # messages quote values from files and users: shown as text


def show_unexpected(exc: BaseException, where: str) -> str:
    """Log an unexpected error (a bug) with a short id and tell the user that id, not the traceback."""
    if disk_full(exc):
        code = report_operator(exc, where)
        st.error(f"**Tidak tersimpan (kode {code}):** {DISK_FULL}" + (" Impor yang gagal tidak mengubah data."
                                                                      if where == "impor" else ""))
        return code
    code = report_unexpected(exc, where)
    st.error(unexpected_message(code, importing=where == "impor"))
    return code


@contextmanager
def guarded(where: str):
    """Run a block (preview, import) so that no traceback reaches the page.

    A ``TalentaError`` is shown with :func:`show`; anything else is logged with an id
    (:func:`show_unexpected`). Streamlit's own control-flow exceptions (rerun, stop) pass through.
    """
    try:
        yield
    except TalentaError as exc:
        show(exc)
    except Exception as exc:
        if type(exc).__module__.startswith("streamlit"):
            raise
        show_unexpected(exc, where)
