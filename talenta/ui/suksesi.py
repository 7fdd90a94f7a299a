"""Cached reads of the Suksesi page (the cache lives at the UI seam; a decision clears them via ui/actions), and
the page's aggregate view for a scope that may not see people (role ``tamu``)."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from .. import privacy, succession, succession_report, succession_rules, succession_workflow
from ..scope import Scope
from . import fmt, presentation, tables
from .queries import TTL
from .resources import get_connection


@st.cache_data(ttl=TTL, max_entries=8, show_spinner=False)
def active_rules():
    return succession_rules.active(get_connection())


@st.cache_data(ttl=TTL, max_entries=32, show_spinner="Menghitung jabatan target dan kandidat…")
def targets(scope: Scope, period: int, rs, srs, tanggal: dt.date, opd: tuple[str, ...], identities: bool = True):
    return succession.targets(get_connection(), scope, period, rs, srs, tanggal=tanggal, opd=opd,
                              identities=identities)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner="Menilai kandidat…")
def candidates(scope: Scope, period: int, rs, srs, tanggal: dt.date, post: str):
    return succession.candidates(get_connection(), scope, period, rs, srs, post=post, tanggal=tanggal)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def box_history(scope: Scope, nips: tuple[str, ...], periods: tuple[int, ...], rs):
    return succession.box_history(get_connection(), scope, list(nips), list(periods), rs)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def decisions(scope: Scope, post: str):
    return succession_workflow.history(get_connection(), scope, post)


def recommended(post: str, nip: str) -> bool:
    return succession_workflow.recommended(get_connection(), post, nip)


@st.cache_data(ttl=TTL, max_entries=32, show_spinner="Menghitung kesehatan pipeline suksesi…")
def pipeline_summary(scope: Scope, period: int, rs, srs, opd: tuple[str, ...], by: str | None = None):
    """``succession.pipeline_summary`` at the scope's reference date (the library fixes it for tamu)."""
    return succession.pipeline_summary(get_connection(), scope, period, rs, srs, opd=opd, by=by)


PIPE_LABELS = {"opd": "OPD", "instansi": "Instansi", "jabatan_target": "Jabatan target",
               "persen_siap_sekarang": "% ada siap sekarang", "persen_dua_kandidat": "% ≥ 2 kandidat",
               "berisiko": "Berisiko"}


def show_aggregates(scope: Scope, period: int, rs, srs, opd: tuple[str, ...],
                    groups: int = succession_report.CHART_GROUPS) -> None:
    """The Suksesi page for a scope that may not see people: the pipeline's totals, its chart of the ``groups``
    weakest groups and its table, small counts hidden (``•``); no post, holder or candidate."""
    table, total = pipeline_summary(scope, period, rs, srs, tuple(opd))
    if table.empty:
        st.info("Tidak ada jabatan target (kosong, pemangku mencapai BUP dalam 24 bulan, atau kritikal) dalam filter ini.")
        return
    by = table.columns[0]
    share = lambda v: privacy.HIDDEN if privacy.hidden(v) else fmt.pct(v / 100)  # noqa: E731
    c = st.columns(4)
    c[0].metric("Jabatan target", privacy.text(total["jabatan_target"], fmt.num))
    c[1].metric("Ada kandidat siap sekarang", share(total["persen_siap_sekarang"]))
    c[2].metric("Punya ≥ 2 kandidat", share(total["persen_dua_kandidat"]))
    c[3].metric("Berisiko (tak ada yang siap sekarang)", privacy.text(total["berisiko"], fmt.num))
    tgl = succession.reference_date(period, None, scope)
    st.plotly_chart(succession_report.pipeline_table_chart(
        table.head(groups), by=by, footnote=f"Tanggal acuan {tgl:%d-%m-%Y}; {rs.label}"),
        key="suk_pipe", config=presentation.CHART_CONFIG)
    tables.show(table.head(tables.SCREEN_ROWS), key="suk_pipe_tbl", labels=PIPE_LABELS,
                ints=("jabatan_target", "berisiko"), decimals={"persen_siap_sekarang": 1, "persen_dua_kandidat": 1})
    note = privacy.note(privacy.threshold(scope))
    st.caption((note + ". " if note else "") + succession.AGGREGATES_ONLY)
