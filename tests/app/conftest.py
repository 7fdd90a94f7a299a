from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from talenta import accounts, store
from talenta.access import OPERATOR
from talenta.errors import StoreError
from talenta.ui import auth, errors

ROOT = Path(__file__).resolve().parents[2]
TEST_PASSWORD = "uji-kata-sandi-123"


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Caches must not leak between tests (settings and connection are cached per process)."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def ensure_account(db: Path, username: str = "admin", role: str = "admin", **limits) -> None:
    """Create ``username`` in ``db`` unless it exists (the demo database already has one account per role)."""
    try:
        con = store.connect(db)
    except StoreError:
        return                      # an unopenable file: the app must say so, signed in or not
    try:
        if accounts.get(con, username) is None:
            accounts.add_user(con, OPERATOR, username, role, TEST_PASSWORD, **limits)
    finally:
        con.close()


def _raise(exc: BaseException, where: str) -> str:
    raise exc


@pytest.fixture
def app(monkeypatch):
    """Factory: an AppTest of app.py against the database at ``db``, signed in as ``user`` (None: not signed in).

    Signing in uses the documented test hook: the session state holds the username (ui/auth.USER_KEY).
    """
    def make(db: Path, page: str | None = None, user: str | None = "admin", bugs_shown: bool = False) -> AppTest:
        monkeypatch.setenv("TALENTA_DB_PATH", str(db))
        # app.py shows a page's bug as the app's message with a code (errors.guarded); a test must still see it
        # as an exception, not as a red box it may not look for (``bugs_shown``: a test of that message)
        if not bugs_shown:
            monkeypatch.setattr(errors, "report_unexpected", _raise)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        if user:
            ensure_account(db, user, user if user in ("admin", "analis", "komite", "pimpinan", "tamu") else "admin")
            at.session_state[auth.USER_KEY] = user
        at.run()
        if page:
            at.switch_page(page)
            at.run()
        return at
    return make


def shown(markdown: str) -> str:
    """What a reader sees of escaped markdown text: backslash escapes removed (values are escaped on pages)."""
    import re

    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")


@pytest.fixture
def downloads(monkeypatch):
    """The data (bytes, or the callable a click runs) of every download button drawn, by label: AppTest cannot
    click a download, so a test calls what the click would."""
    import streamlit as st
    from streamlit.delta_generator import DeltaGenerator

    built = {}
    original = DeltaGenerator.download_button

    def keep(self, label, data, *a, **kw):
        built[label] = data
        return original(self, label, data, *a, **kw)
    monkeypatch.setattr(DeltaGenerator, "download_button", keep)
    monkeypatch.setattr(st, "download_button", lambda label, data, *a, **kw: keep(st._main, label, data, *a, **kw))
    return built
