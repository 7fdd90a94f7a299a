"""The shipped .streamlit/config.toml: loopback only, XSRF on, and no error details for users."""
import tomllib
from pathlib import Path

from streamlit import config
from streamlit.elements import exception

ROOT = Path(__file__).resolve().parents[2]
CFG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_server_binds_loopback_with_xsrf_protection():
    assert CFG["server"]["address"] == "127.0.0.1"
    assert CFG["server"]["enableXsrfProtection"] is True


def test_users_see_no_exception_message_trace_or_type():
    before = config.get_option("client.showErrorDetails")
    try:
        config.set_option("client.showErrorDetails", CFG["client"]["showErrorDetails"])
        shown = exception._error_detail_visibility(True)       # what Streamlit sends for an uncaught exception
    finally:
        config.set_option("client.showErrorDetails", before)
    assert (shown.show_message, shown.show_trace, shown.show_type) == (False, False, False)
