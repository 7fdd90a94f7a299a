"""Process-wide resources: settings and the one DuckDB connection (each query uses a cursor)."""
from __future__ import annotations

import streamlit as st

from .. import store
from ..config import Settings
from ..scope import Scope


@st.cache_resource
def get_settings() -> Settings:
    return Settings.from_env()


@st.cache_resource
def get_connection():
    s = get_settings()
    return store.connect(s.db_path, memory_limit=s.duckdb_memory_limit, threads=s.duckdb_threads)


PRESENTATION_KEY = "presentasi"          # the sidebar toggle (a widget)
PRESENTATION_STATE = "presentasi_aktif"  # the value kept across page switches (widget state is not)


def keep_presentation_choice() -> None:
    st.session_state[PRESENTATION_STATE] = bool(st.session_state.get(PRESENTATION_KEY, False))


def current_scope() -> Scope:
    """The signed-in user's scope. Until sign-in exists, everyone sees everything; presentation mode masks
    identities and hides groups below ``Settings.min_group`` (the library applies both)."""
    masked = bool(st.session_state.get(PRESENTATION_STATE, False))
    return Scope(mask_identity=masked, min_group=get_settings().min_group if masked else 0)


def clear_caches() -> None:
    """After an import or undo: every cached query result is stale (and the fitted high-potential model)."""
    from .queries import hipo_result

    st.cache_data.clear()
    hipo_result.clear()


def export_scope(unmasked: bool) -> Scope:
    """The scope of a file made on the Ekspor page: the current scope, masked with the small-group setting
    unless the user deliberately asks for identities (``Scope.unmasked`` refuses a role that may not)."""
    scope = current_scope()
    return scope.unmasked() if unmasked else scope.masked(get_settings().min_group)
