"""Uji kesetaraan (fairness check) on a page: is the KRS share the same for women and men, every golongan,
jenis ASN, age group and OPD? The statistics are ``talenta.fairness``; this only renders them."""
from __future__ import annotations

import streamlit as st

from .. import fairness, pool, privacy
from ..rules import KRS_BOXES
from ..escape import markdown as md
from ..scope import Filters, Scope
from . import fmt, queries, resources, tables
from .queries import TTL

LABELS = {"group": "Kelompok", "n": "Pegawai terpetakan", "krs": "Di KRS", "krs_persen": "% di KRS"}


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def check(scope: Scope, filters: Filters, rs, by: str, params, basis: str):
    # under masking the Talent Pool table of the same grouping decides which groups are merged (cached, shared)
    pt = queries.pool_table(scope, filters, rs, by) if privacy.threshold(scope) else None
    return fairness.check(resources.get_connection(), scope, filters, rs, by, params, basis, pt)


def _p(p: float) -> str:
    return "–" if p != p else ("< 0,001" if p < 0.001 else fmt.num(p, 3))


def section(scope: Scope, filters: Filters, rs, key: str = "fair") -> None:
    """The "Uji kesetaraan" block: one grouping at a time, computed and calibrated basis side by side."""
    params = resources.get_settings().fairness_params()
    st.subheader("Uji kesetaraan")
    st.caption(f"Apakah bagian KRS (kotak {', '.join(map(str, KRS_BOXES))}) sama untuk setiap "
               "kelompok pegawai terpetakan? Uji chi-square (Fisher exact untuk tabel 2 × 2 yang kecil); ditandai bila "
               f"p < {fmt.num(params.alpha, 2)} dan selisih bagian KRS terbesar ≥ {fmt.num(params.min_gap_pp, 1)} "
               "poin persentase.")
    by = st.selectbox("Uji menurut", fairness.GROUPS, format_func=lambda k: pool.GROUPINGS[k][0], key=f"{key}_by")
    computed = check(scope, filters, rs, by, params, "terhitung")
    if computed.one_basis:      # a masked view: the library read the one published basis (``fairness.check``)
        shown = [(st.container(), computed, "Kotak " + computed.basis_used)]
    else:
        calibrated = check(scope, filters, rs, by, params, "terkalibrasi")
        cols = st.columns(2)
        shown = [(cols[0], computed, "Kotak terhitung"), (cols[1], calibrated, "Kotak terkalibrasi")]
    for col, r, title in shown:
        with col:
            st.markdown(f"**{title}**")
            if r.basis_used != r.basis and not r.one_basis:
                st.caption("Belum ada hasil kalibrasi: sama dengan kotak terhitung.")
            (st.warning if r.flagged else st.info)(md(r.sentence))
            if r.hidden:
                continue
            tables.show(r.table[["group", "n", "krs", "krs_persen"]], key=f"{key}_tbl_{r.basis}", labels=LABELS,
                        ints=("n", "krs"), decimals={"krs_persen": 1})
            chi = "–" if r.chi2 != r.chi2 else fmt.num(r.chi2, 2)
            st.caption(f"Uji {r.test}: chi² = {chi}, p = {_p(r.p_value)}; sebaran kotak (9 kotak): p = "
                       f"{_p(r.p_boxes)}.")
    if computed.merged:
        st.caption(f"{privacy.note(privacy.threshold(scope))}. Digabung menjadi 'lainnya' karena terlalu kecil untuk "
                   f"ditampilkan: {md(', '.join(computed.merged))}.")
    if not computed.hidden and len(computed.boxes):
        with st.expander("Sebaran kotak per kelompok (% pegawai terpetakan kelompok)"):
            box_cols = [c for c in computed.boxes.columns if c != "group"]
            tables.show(computed.boxes, key=f"{key}_tbl_boxes", labels={"group": "Kelompok", **{
                c: c.replace("kotak_", "Kotak ") for c in box_cols}}, decimals={c: 1 for c in box_cols})
