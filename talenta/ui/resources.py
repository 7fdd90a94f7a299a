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


def current_scope() -> Scope:
    """The signed-in user's scope. Until login exists, everyone sees everything."""
    return Scope.everything()


def clear_caches() -> None:
    """After an import or undo: every cached query result is stale."""
    st.cache_data.clear()
