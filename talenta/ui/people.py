"""Lists of people that open a person's profil talenta: select a row, press "Buka profil"."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ..escape import markdown as md
from . import tables

PROFILE_NIP = "profil_nip"          # the person the Profil Talenta page shows (session state)
PROFILE_PAGE = "views/profil.py"


def open_profile(nip: str) -> None:
    """Show ``nip`` on the Profil Talenta page (switches page)."""
    st.session_state[PROFILE_NIP] = str(nip)
    st.switch_page(PROFILE_PAGE)


def show(df: pd.DataFrame, *, key: str, scope, **kwargs):
    """``tables.show`` for a list of people; when identities are visible, choosing a row offers its profile."""
    if scope.mask_identity or "nip" not in df or df.empty:
        return tables.show(df, key=key, **kwargs)
    event = tables.show(df, key=key, on_select="rerun", selection_mode="single-row", **kwargs)
    rows = list(getattr(getattr(event, "selection", None), "rows", []) or [])
    if rows and rows[0] < len(df):
        row = df.iloc[rows[0]]
        who = f"{row.get('nama', '')} ({row['nip']})" if "nama" in df else str(row["nip"])
        if st.button(f"Buka profil: {md(who)}", key=f"{key}_profil", icon=":material/person:"):
            open_profile(row["nip"])
    else:
        st.caption("Pilih satu baris (kotak di kiri baris) untuk membuka profil talentanya.")
    return event
