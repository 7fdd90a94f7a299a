"""The shared sidebar filters, rendered once in app.py; pages read them with ``current_filters``."""
from __future__ import annotations

import streamlit as st

from .. import privacy
from ..errors import TalentaError
from ..escape import markdown as md
from ..scope import Filters, Scope
from . import queries, resources

KEYS = {"period": "flt_period", "instansi": "flt_instansi", "opd": "flt_opd",
        "jenis_jabatan": "flt_jenis_jabatan", "jenis_asn": "flt_jenis_asn", "basis": "flt_basis"}
BASIS_OPTIONS = {"otomatis": "Otomatis", "terhitung": "Terhitung", "terkalibrasi": "Terkalibrasi"}
LABELS = {"instansi": "Instansi", "opd": "OPD", "jenis_jabatan": "Jenis jabatan", "jenis_asn": "Jenis ASN"}


def render_sidebar(scope: Scope) -> Filters:
    """Draw the filters in the sidebar and return the current choice."""
    periods = queries.periods()
    options = queries.filter_options(scope)
    with st.sidebar:
        st.markdown("### Filter")
        if periods:
            if st.session_state.get(KEYS["period"]) not in periods:    # first visit, or its period undone away
                st.session_state[KEYS["period"]] = queries.default_period(resources.get_settings().period_min_share)
            st.selectbox("Periode (tahun penilaian)", options=periods[::-1], key=KEYS["period"], persist_state="session",
                         help=f"Peta talenta tahun T memakai {queries.active_rule_set().windows_text()}.")
        guest = bool(privacy.threshold(scope)) and not scope.may_unmask     # privacy.published_filters: one view
        for col in ("instansi", "opd", "jenis_jabatan", "jenis_asn"):
            values = options.get(col, [])
            if guest or (col == "instansi" and len(values) <= 1):
                continue
            chosen = st.session_state.get(KEYS[col]) or []
            if gone := [v for v in chosen if v not in values]:      # e.g. its OPD undone away in another tab
                st.session_state[KEYS[col]] = [v for v in chosen if v in values]
                st.warning(f"{LABELS[col]} {', '.join(md(v) for v in gone)} tidak ada lagi dalam data; pilihan "
                           "itu dilepas dari filter.")     # the box emptied without a word (review 10, 6)
            limit = getattr(scope, col, None) if col in ("opd", "instansi") else None
            # an account limited to some OPD reads them in the empty box, as the filter line says (review 20d, 6)
            open_text = "Semua" if not limit else (f"Semua: {', '.join(sorted(limit))}" if len(limit) <= 2 else
                                                   f"Semua {len(limit)} {LABELS[col]} akun ini")
            st.multiselect(LABELS[col], options=values, key=KEYS[col], placeholder=open_text, persist_state="session")
        if guest:
            st.caption("Akun tamu melihat angka seluruh cakupannya; angka per OPD ada di tabel Talent Pool. Filter "
                       "OPD dan jenis tidak tersedia: selisih dua pilihan dapat membuka jumlah kecil pegawai.")
        one_basis = bool(privacy.threshold(scope))     # the library reads one basis then (privacy.published_filters)
        if one_basis:
            st.session_state[KEYS["basis"]] = "otomatis"
        st.selectbox("Dasar kotak", options=list(BASIS_OPTIONS), format_func=BASIS_OPTIONS.get, key=KEYS["basis"],
                     disabled=one_basis,
                     help="Tampilan tersamar memakai satu dasar kotak, yang resmi (otomatis): dua dasar berdampingan "
                          "dapat membuka jumlah kecil pegawai yang dipindahkan Komite Talenta." if one_basis else
                          "Terhitung: kotak dari aturan penilaian. Terkalibrasi: kotak setelah kalibrasi Komite "
                          "Talenta. Otomatis: terkalibrasi bila sesi kalibrasi periode itu sudah ditetapkan.")
    return current_filters()


def current_filters() -> Filters:
    """The sidebar's choice as the library reads it for the signed-in scope (``privacy.published_filters``)."""
    raw = _chosen()
    try:
        return privacy.published_filters(resources.current_scope(), raw)
    except TalentaError:            # not signed in: no scope yet
        return raw


def _chosen() -> Filters:
    ss = st.session_state
    return Filters(
        period=ss.get(KEYS["period"]),
        instansi=tuple(ss.get(KEYS["instansi"], ()) or ()),
        opd=tuple(ss.get(KEYS["opd"], ()) or ()),
        jenis_jabatan=tuple(ss.get(KEYS["jenis_jabatan"], ()) or ()),
        jenis_asn=tuple(ss.get(KEYS["jenis_asn"], ()) or ()),
        basis=ss.get(KEYS["basis"]) or "otomatis",
    )


def summary_line(filters: Filters) -> None:
    """The "Filter aktif" caption (chosen OPD names are data: escaped, so they show as typed)."""
    scope = resources.current_scope()
    st.caption("Filter aktif: " + md(filters.describe(scope))
               + (" · " + md(queries.basis_note(scope, filters)) if filters.period else ""))


def page_header(title: str) -> Filters:
    """Title with the period, the one-line filter summary, and a clear stop when there is no period yet."""
    flt = current_filters()
    st.title(f"{title} {flt.period or ''}".strip())
    summary_line(flt)
    if flt.period is None:
        st.info("Belum ada data kinerja atau asesmen. Impor berkasnya di halaman Impor Data, atau jalankan "
                "`make run` untuk data demo.")
        st.stop()
    return flt
