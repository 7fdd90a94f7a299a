from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Caches must not leak between tests (settings and connection are cached per process)."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app(monkeypatch):
    """Factory: an AppTest of app.py against the database at ``db``."""
    def make(db: Path, page: str | None = None) -> AppTest:
        monkeypatch.setenv("TALENTA_DB_PATH", str(db))
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
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
