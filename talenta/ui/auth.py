"""Sign-in gate for the dashboard: login form, session, idle expiry, sign-out, optional SSO.

``gate()`` runs first in app.py and stops the script until someone is signed in, so no page, chart or
cache entry is computed for an anonymous visitor. The session keeps only the username; the account is
re-read on every run, so a disabled account or a changed role takes effect on the next click.

Test hook (documented): an AppTest signs in by setting ``at.session_state[USER_KEY] = "<username>"``
before ``at.run()``; the account must exist and be active in the database.
"""
from __future__ import annotations

import datetime as dt
import re
import shlex
from urllib.parse import urlparse

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from .. import accounts, audit, store
from ..access import ROLES, User
from ..errors import SignInError
from . import resources

USER_KEY = "auth_user"          # username of the signed-in account
SEEN_KEY = "auth_last_seen"     # time of the session's last run (idle expiry)
STAMP_KEY = "auth_credential"   # accounts.credential_stamp at sign-in: a password reset ends the session
SSO_KEY = "auth_sso"            # signed in through st.login
CURRENT_KEY = resources.CURRENT_USER_KEY   # the User re-read at the top of this run
NOTICE_KEY = "auth_notice"      # a message for the next login page (e.g. the session expired)
NEXT_KEY = "auth_next_page"     # url path asked for before sign-in (opened right after it)
NEXT_PARAMS_KEY = "auth_next_params"   # its query parameters
DEFAULT_DB = "data/talenta.duckdb"


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def plain(text: str) -> str:
    """Text from users or data shown literally inside Streamlit markdown (st.error, st.info, st.success).
    (To be replaced by the project's shared escaping helper when it lands.)"""
    return _MARKDOWN.sub(r"\\\1", str(text))


def clock() -> dt.datetime:
    """Now (tests replace this to move time)."""
    return store.now()


current_user = resources.current_user      # the user signed in for this run (set by ``gate``)


def signed_out() -> None:
    """The page of the signed-out navigation that "/" opens: never run (``gate`` draws the login form and stops),
    so that every real page keeps its own address behind the login, Ringkasan's "/ringkasan" included."""


def gate(signed_out_navigation=None) -> User:
    """Return the signed-in user, or draw the login page and stop the script (after ``signed_out_navigation()``,
    the app's navigation without a menu)."""
    con = resources.get_connection()
    user = _session_user(con)
    if user is None:
        if signed_out_navigation is not None:
            signed_out_navigation()
        _login_page(con)
        st.stop()
    st.session_state[CURRENT_KEY] = user
    return user


def sso_configured() -> bool:
    """Whether ``.streamlit/secrets.toml`` has an ``[auth]`` section (then ``st.login`` is offered)."""
    try:
        return "auth" in st.secrets
    except StreamlitSecretNotFoundError:
        return False


def _session_user(con) -> User | None:
    ss, settings = st.session_state, resources.get_settings()
    name = ss.get(USER_KEY)
    if not name and sso_configured() and st.user.is_logged_in:
        name = _sso_sign_in(con)
    if not name:
        return None
    (user, stamp), now = accounts.active_with_stamp(con, name), clock()
    if user is None:
        _end_session(f"Akun {plain(name)} tidak aktif lagi. Hubungi administrator.")
        return None
    # (a session signed in by the form holds its stamp; the test hook of tests/app/conftest.py sets the name only)
    if STAMP_KEY in ss and ss[STAMP_KEY] != stamp:
        accounts.sign_out(con, user, "kata sandi diganti")
        _end_session("Kata sandi akun ini sudah diganti. Silakan masuk lagi dengan kata sandi yang baru.")
        return None
    if accounts.session_expired(ss.get(SEEN_KEY), now, settings.session_idle_minutes):
        accounts.sign_out(con, user, "tidak aktif")
        _end_session(f"Sesi berakhir setelah {settings.session_idle_minutes} menit tanpa aktivitas. Silakan masuk lagi.")
        return None
    ss[SEEN_KEY] = now
    return user


def _sso_sign_in(con) -> str | None:
    email = str(st.user.get("email") or "")
    user = accounts.user_for_email(con, email)
    if user is None:
        audit.record(con, email or "(sso)", None, "login", email, {"sso": True, "sebab": "tidak ada akun"}, audit.FAILED)
        st.session_state[NOTICE_KEY] = f"Tidak ada akun aktif untuk e-mail {plain(email)}. Minta administrator membuatnya."
        st.logout()
        return None
    audit.record(con, user, None, "login", user.username, {"sso": True})
    st.session_state.update({USER_KEY: user.username, SSO_KEY: True, SEEN_KEY: clock()})
    return user.username


def _end_session(notice: str | None = None) -> None:
    """Forget everything this session held (filters included), keeping only a notice for the login page."""
    sso = st.session_state.get(SSO_KEY)
    _forget_files()             # sign-out, idle expiry, a disabled account, a password reset
    for k in list(st.session_state.keys()):
        del st.session_state[k]
    if notice:
        st.session_state[NOTICE_KEY] = notice
    if sso:
        st.logout()


def requested_page() -> str:
    """The url path the visitor asked for before signing in (once; '' afterwards)."""
    return st.session_state.pop(NEXT_KEY, "") or ""


def requested_params() -> dict:
    """The query parameters of the link the visitor followed before signing in (once; {} afterwards),
    e.g. ``?nip=...`` of a link to a profile."""
    return st.session_state.pop(NEXT_PARAMS_KEY, {}) or {}


def _login_page(con) -> None:
    settings = resources.get_settings()
    if NEXT_KEY not in st.session_state:
        st.session_state[NEXT_KEY] = urlparse(st.context.url or "").path.rstrip("/").rsplit("/", 1)[-1]
        st.session_state[NEXT_PARAMS_KEY] = st.query_params.to_dict()
    st.title("Masuk ke Talenta")
    if notice := st.session_state.pop(NOTICE_KEY, None):
        st.info(notice)
    if not accounts.any_accounts(con):
        db = "" if settings.db_path == DEFAULT_DB else f" --db {shlex.quote(settings.db_path)}"
        st.warning("Belum ada akun pengguna di basis data ini. Buat akun administrator pertama di server "
                   "(kata sandi minimal 10 karakter dibaca dari masukan standar), lalu muat ulang halaman ini:")
        st.code(f"python -m talenta{db} user add admin --role admin --name \"Nama Anda\" --password-stdin",
                language="bash")
        st.caption("Basis data demo yang dibangun sebelum ada akun: `python -m talenta demo` menambahkan akun demo "
                   "(satu per peran) tanpa mengubah data.")
        return
    with st.form("login", clear_on_submit=True):
        username = st.text_input("Nama pengguna", autocomplete="username")
        password = st.text_input("Kata sandi", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Masuk", type="primary")
    if submitted:
        try:
            user = accounts.sign_in(con, username, password, max_failures=settings.login_max_failures,
                                    lock_minutes=settings.login_lock_minutes, clock=clock)
        except SignInError as exc:
            st.error(str(exc))
        else:
            st.session_state.update({USER_KEY: user.username, SEEN_KEY: clock(),
                                     STAMP_KEY: accounts.credential_stamp(con, user.username)})
            st.rerun()
    if sso_configured() and st.button("Masuk dengan akun instansi (SSO)"):
        st.login()
    if accounts.is_demo(con):
        from ..demo import DEMO_ACCOUNTS, DEMO_PASSWORD

        names = ", ".join(f"`{u}`" for u, *_ in DEMO_ACCOUNTS)
        st.info(f"Basis data ini berisi **data demo sintetis**. Masuk dengan salah satu akun demo {names} "
                f"(satu per peran); kata sandinya `{DEMO_PASSWORD}`.")
    _warm_browser()


def _warm_browser() -> None:
    """An empty chart and an empty table drawn off screen: the browser loads and starts its chart and table code
    while the user types, so the first page after sign-in does not wait for it (evaluating plotly.js alone takes
    about a second of the browser's main thread on a 2-core machine). No data: nothing is read before sign-in."""
    import pandas as pd
    import plotly.graph_objects as go

    st.markdown("<style>.st-key-login_warm {position: absolute; left: -10000px; top: 0; width: 320px; height: 1px; "
                "overflow: hidden;}</style>", unsafe_allow_html=True)
    with st.container(key="login_warm"):
        st.plotly_chart(go.Figure(), key="login_warm_chart")
        st.dataframe(pd.DataFrame({"": []}), key="login_warm_table", hide_index=True)


def sidebar(user: User) -> None:
    """The signed-in user's name and role, and the sign-out button."""
    with st.sidebar:
        st.caption("Masuk sebagai")
        st.text(f"{user.name}\n{ROLES[user.role].label}" + (f" · {', '.join(user.opd)}" if user.opd else ""))
        st.button("Keluar", key="auth_sign_out", on_click=_sign_out, icon=":material/logout:")
        _idle_watch()


@st.fragment(run_every=60)
def _idle_watch() -> None:
    """Once a minute, without counting as activity: an idle session's screen goes back to the login page
    (a dashboard left open on a meeting-room screen does not keep showing data)."""
    idle = resources.get_settings().session_idle_minutes
    if accounts.session_expired(st.session_state.get(SEEN_KEY), clock(), idle):
        st.rerun(scope="app")


def _sign_out() -> None:
    user = current_user()
    if user is not None:
        accounts.sign_out(resources.get_connection(), user)
    _end_session("Anda sudah keluar.")


def _forget_files() -> None:
    """Drop this session's download files and not yet built downloads now. Streamlit keeps a served file until a
    later run of some session sweeps it: after Keluar its URL still gave the list of named people to any HTTP
    client while the tab stayed open (review 8, D3). Files of other sessions are untouched (still referenced)."""
    from streamlit.runtime import Runtime

    if not Runtime.exists():        # AppTest: no server, no files
        return
    files = Runtime.instance().media_file_mgr
    files.clear_session_refs()
    files.remove_orphaned_files()   # a download is first marked, then deleted on the next sweep
    files.remove_orphaned_files()
