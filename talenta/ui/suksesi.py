"""Cached reads of the Suksesi page (the cache lives at the UI seam; a decision clears them via ui/actions)."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from .. import succession, succession_rules, succession_workflow
from ..scope import Scope
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
