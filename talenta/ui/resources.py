"""Process-wide resources: settings and the one DuckDB connection (each query uses a cursor)."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from .. import store
from ..config import Settings
from ..errors import StoreError
from ..scope import Scope


@st.cache_resource
def get_settings() -> Settings:
    s = Settings.from_env()
    follow_upload_limit(s)
    return s


def follow_upload_limit(s: Settings) -> None:
    """Make the server's own upload ceiling TALENTA_MAX_UPLOAD_MB, however Streamlit was started.

    ``st.set_option`` refuses server options, but the upload route reads ``server.maxUploadSize`` from the
    config on every request, so setting it here (once per process, before any session can upload) makes
    the server itself answer 413 to a larger body; the page also refuses by size with a clear message.
    """
    from streamlit import config

    config.set_option("server.maxUploadSize", s.max_upload_mb, where_defined="TALENTA_MAX_UPLOAD_MB")


@st.cache_resource
def get_connection():
    s = get_settings()
    if s.db_path != ":memory:" and not Path(s.db_path).exists():
        # a mistyped path or an unmounted volume: never a new empty database behind the login page (review 12, L4);
        # `make run`, `python -m talenta init` or `demo` create one
        raise StoreError(f"Basis data {s.db_path} tidak ada. Periksa TALENTA_DB_PATH (dan bahwa volumenya terpasang), "
                         "atau buat basis data baru dengan 'python -m talenta init' atau 'make run'.")
    con = store.connect(s.db_path, memory_limit=s.duckdb_memory_limit, threads=s.duckdb_threads)
    # this process is the writer: whatever the write path stores and is missing is built now (every builder is
    # idempotent: about 0,1 s at 21,7k when all is there): the tables masked views read already suppressed when this
    # code has not built them yet (a database from an earlier release), and the score cache, lookup indexes and the
    # high-potential model when the process that imported was killed after its commit and before its refresh
    # (review 12, L7: the pages then scored live until the next import); a failure is logged, readers compute live
    from .. import derived

    derived.refresh(con)
    if s.backup_daily:      # this process holds the only writer, so it takes the daily snapshots (once per process)
        from .. import backup

        backup.start_daily(con, s.backup_dir, s.backup_keep)
    return con


PRESENTATION_KEY = "presentasi"          # the sidebar toggle (a widget)
PRESENTATION_STATE = "presentasi_aktif"  # the value kept across page switches (widget state is not)


def keep_presentation_choice() -> None:
    st.session_state[PRESENTATION_STATE] = bool(st.session_state.get(PRESENTATION_KEY, False))


CURRENT_USER_KEY = "auth_current"   # the User re-read at the top of each run (set by ``auth.gate``)


def current_user():
    """The user signed in for this run (``talenta.access.User``), or None."""
    return st.session_state.get(CURRENT_USER_KEY)


def current_scope() -> Scope:
    """The signed-in user's scope (OPD/instansi limits, masking, small-group threshold); presentation mode
    can only reduce it. Without a signed-in user there is no scope at all."""
    from ..access import scope_for
    from ..errors import AccessDenied

    user = current_user()
    if user is None:
        raise AccessDenied("Silakan masuk lebih dulu.")
    return scope_for(user, presentation=bool(st.session_state.get(PRESENTATION_STATE, False)),
                     min_group=get_settings().min_group)



def export_scope(unmasked: bool) -> Scope:
    """The scope of a file made on the Ekspor page: the current scope, masked with the small-group setting
    unless the user deliberately asks for identities (``Scope.unmasked`` refuses a role that may not)."""
    from ..access import export_scope as rule

    return rule(current_scope(), min_group=get_settings().min_group, unmasked=unmasked)
