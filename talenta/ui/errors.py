"""Friendly display of the library's typed errors (never a raw traceback)."""
from __future__ import annotations

import streamlit as st

from ..errors import ImportFileError, StoreError, TalentaError
from ..escape import markdown as md


def show(exc: TalentaError) -> None:
    if isinstance(exc, StoreError):
        st.error(f"**Basis data belum siap.** {md(exc)}\n\nJalankan `make run` (membangun data demo) atau "
                 "`python -m talenta init` lalu impor data di halaman Impor Data.")
    elif isinstance(exc, ImportFileError):
        st.error(f"**{md(exc.file_name)} tidak dapat diimpor.** {md(exc.message)} Tidak ada data yang berubah.")
    else:
        st.error(md(exc))   # messages quote values from files and users: shown as text
