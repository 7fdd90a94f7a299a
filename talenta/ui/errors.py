"""Friendly display of the library's typed errors (never a raw traceback)."""
from __future__ import annotations

import streamlit as st

from ..errors import ImportFileError, StoreError, TalentaError


def show(exc: TalentaError) -> None:
    if isinstance(exc, StoreError):
        st.error(f"**Basis data belum siap.** {exc}\n\nJalankan `make run` (membangun data demo) atau "
                 "`python -m talenta init` lalu impor data di halaman Impor Data.")
    elif isinstance(exc, ImportFileError):
        st.error(f"**{exc.file_name} tidak dapat diimpor.** {exc.message} Tidak ada data yang berubah.")
    else:
        st.error(str(exc))
